"""Tensors built from a few numbers: ``tf.eye``, ``tf.range``, ``tf.linspace``, ``tf.meshgrid``,
``tf.sequence_mask``."""
from __future__ import annotations

import builtins
from typing import Any

from .. import dtypes
from ..export import export
from ..shape import TensorShape
from ..tensor import Tensor
from . import math_ops
from ._helpers import as_int_list, check_dtype, execute, invalid_arg, register, to_tensor
from .array_ops import _scalar_int, broadcast_to, reshape

# ---------------------------------------------------------------------------------------------------------
# eye


def _eye_forward(xp, *, num_rows, num_columns, batch_shape, dtype):
    eye = xp.eye(num_rows, num_columns, dtype=dtype)
    return xp.broadcast_to(eye, batch_shape + eye.shape).copy() if batch_shape else eye


Eye = register("Eye", _eye_forward)


@export("eye", "linalg.eye")
def eye(num_rows: Any, num_columns: Any = None, batch_shape: Any = None, dtype: Any = dtypes.float32,
        name: str | None = None) -> Tensor:
    """An identity matrix ``[num_rows, num_columns]`` (square by default), repeated over ``batch_shape``.

    Raises:
        InvalidArgumentError: a negative dimension.
    """
    if isinstance(num_rows, float) or isinstance(num_columns, float):
        columns = num_rows if num_columns is None else num_columns
        raise TypeError("Arguments `num_rows` and `num_columns` must be positive integer values. Received: "
                        f"num_rows={num_rows}, num_columns={columns}")
    num_rows = _scalar_int(num_rows)
    num_columns = num_rows if num_columns is None else _scalar_int(num_columns)
    batch_shape = () if batch_shape is None else tuple(as_int_list(batch_shape))
    for d in batch_shape + (num_rows, num_columns):
        if d < 0:
            raise invalid_arg("Fill", f"Dimension {d} must be >= 0")
    return execute(Eye, (), {"num_rows": num_rows, "num_columns": num_columns, "batch_shape": batch_shape,
                             "dtype": dtypes.as_dtype(dtype)._np})


# ---------------------------------------------------------------------------------------------------------
# range

_RANGE_DTYPES = ("bfloat16", "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint16",
                 "uint32", "uint64")
# TF picks the "widest" argument dtype in this order when no dtype is given.
_RANGE_ORDER = ("int32", "int64", "float16", "bfloat16", "float32", "float64")


def _range_forward(xp, start, limit, delta):
    if delta == 0:
        raise invalid_arg("Range", f"Requires delta != 0: {delta}")
    if delta > 0 and start > limit:
        raise invalid_arg("Range", f"Requires start <= limit when delta > 0: {start}/{limit}")
    if delta < 0 and start < limit:
        raise invalid_arg("Range", f"Requires start >= limit when delta < 0: {start}/{limit}")
    if start.dtype.kind in "iu":
        n = (abs(int(limit) - int(start)) + abs(int(delta)) - 1) // abs(int(delta))
    else:
        n = int(xp.ceil(abs((limit - start) / delta)))
    return (start + xp.arange(n, dtype=start.dtype) * delta).astype(start.dtype, copy=False)


Range = register("Range", _range_forward)


@export("range")
def range(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None, name: str = "range") -> Tensor:
    """``[start, start + delta, …]`` up to but excluding ``limit`` (``range(n)`` counts from 0).

    Without ``dtype`` the widest argument dtype wins (Python ints → int32, floats → float32).

    Raises:
        InvalidArgumentError: ``delta == 0``, ``delta`` pointing away from ``limit``, or a dtype Range
            does not support.
        TypeError: an argument that cannot be represented in ``dtype``.
    """
    if limit is None:
        start, limit = 0, start
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        args = [_range_arg(v, dtype) for v in (start, limit, delta)]
    else:
        args = [to_tensor(v) for v in (start, limit, delta)]
        widest = builtins.max(args, key=lambda t: _RANGE_ORDER.index(t.dtype.name)
                              if t.dtype.name in _RANGE_ORDER else -1)
        args = [t if t.dtype is widest.dtype else math_ops.cast(t, widest.dtype) for t in args]
    if args[0].dtype.name not in _RANGE_DTYPES:
        check_dtype("Range", args[0], _RANGE_DTYPES)
    args = [reshape(t, []) if t.ndim else t for t in args]
    out = execute(Range, tuple(args))
    if any(getattr(t, "op", None) is not None and t.op.type != "Const" for t in args):
        out._shape = TensorShape([None])  # in a graph the length depends on run-time values
    return out


def _range_arg(value: Any, dtype: dtypes.DType) -> Tensor:
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        t = to_tensor(value)
        return t if t.dtype is dtype else math_ops.cast(t, dtype)
    return to_tensor(value, dtype=dtype)


# ---------------------------------------------------------------------------------------------------------
# linspace


def _linspace_weights(xp, num, axis, ndim, dtype):
    """``t = i / (num - 1)`` laid along ``axis`` of an ``ndim``-D result (0 when ``num == 1``)."""
    t = xp.arange(num, dtype=dtype) / builtins.max(num - 1, 1)
    shape = [1] * ndim
    shape[axis] = num
    return t.reshape(shape)


def _linspace_forward(xp, start, stop, *, num, axis):
    start, stop = xp.broadcast_arrays(start, stop)
    ndim = start.ndim + 1
    start, stop = xp.expand_dims(start, axis), xp.expand_dims(stop, axis)
    shape = [1] * ndim
    shape[axis] = num
    steps = xp.arange(num, dtype=start.dtype).reshape(shape)
    # start + i * delta (not a weighted mean) rounds like TF; the last value is ``stop`` exactly.
    out = start + steps * ((stop - start) / start.dtype.type(builtins.max(num - 1, 1)))
    if num > 1:
        last = [slice(None)] * ndim
        last[axis] = slice(num - 1, num)
        out[tuple(last)] = stop
    return out


def _linspace_grad(entry, dy):
    from .reduction_ops import reduce_sum

    start, stop = entry.inputs
    attrs = entry.attrs
    weights = execute(LinspaceWeights, (dy,), attrs)
    grad_stop = reduce_sum(math_ops.multiply(dy, weights), axis=attrs["axis"])
    grad_start = math_ops.subtract(reduce_sum(dy, axis=attrs["axis"]), grad_stop)
    return math_ops.sum_to(grad_start, start), math_ops.sum_to(grad_stop, stop)


LinSpace = register("LinSpace", _linspace_forward, grad=_linspace_grad)
LinspaceWeights = register(
    "LinSpaceWeights", lambda xp, like, *, num, axis: _linspace_weights(xp, num, axis, like.ndim, like.dtype))


@export("linspace")
def linspace(start: Any, stop: Any, num: Any, name: str | None = None, axis: int = 0) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop`` inclusive, along a new ``axis``.

    ``start`` and ``stop`` may be broadcastable tensors; integer inputs give float64 (like TF's division).

    Raises:
        TypeError: ``num`` is not an integer, or ``stop`` does not fit ``start``'s dtype.
        ValueError: ``stop`` is a tensor of another dtype.
        InvalidArgumentError: ``num < 0`` or ``axis`` out of range.
    """
    start = to_tensor(start)
    stop = to_tensor(stop, dtype=start.dtype)
    if isinstance(num, float) or (isinstance(num, Tensor) and not num.dtype.is_integer):
        dt = "float32" if isinstance(num, float) else num.dtype.name
        raise TypeError(f"Argument `tensor` (name: num) must be of type integer. Received `tensor` = {num} "
                        f"of dtype: <dtype: '{dt}'>")
    num = _scalar_int(num)
    if num < 0:
        raise invalid_arg("Range", f"Requires start <= limit when delta > 0: 1/{num}")
    if start.dtype.is_integer:
        target = dtypes.float64 if start.dtype.size >= 4 else dtypes.float32
        start, stop = math_ops.cast(start, target), math_ops.cast(stop, target)
    ndim = builtins.max(start.ndim, stop.ndim) + 1
    if not -ndim <= axis < ndim:
        raise invalid_arg("ExpandDims", f"Tried to expand dim index {axis} for tensor with {ndim - 1} "
                                        "dimensions.")
    return execute(LinSpace, (start, stop), {"num": num, "axis": axis % ndim})


# ---------------------------------------------------------------------------------------------------------
# meshgrid


@export("meshgrid")
def meshgrid(*args: Any, **kwargs: Any) -> list:
    """Coordinate grids from 1-D coordinate vectors (``indexing="xy"``: Cartesian, ``"ij"``: matrix).

    Raises:
        ValueError: ``indexing`` is neither ``"xy"`` nor ``"ij"``.
        TypeError: an unknown keyword argument.
    """
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"Argument `indexing` parameter must be either 'xy' or 'ij', got '{indexing}'")
    vectors = [reshape(to_tensor(a), [-1]) for a in args]
    n = len(vectors)
    sizes = [v.shape[0] for v in vectors]
    if indexing == "xy" and n > 1:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    outputs = []
    for i, v in enumerate(vectors):
        position = 1 - i if indexing == "xy" and n > 1 and i < 2 else i
        view = [1] * n
        view[position] = -1
        outputs.append(broadcast_to(reshape(v, view), sizes))
    return outputs


# ---------------------------------------------------------------------------------------------------------
# sequence_mask


def _sequence_mask_forward(xp, lengths, *, maxlen, dtype):
    if maxlen is None:
        maxlen = int(lengths.max()) if lengths.size else 0
    return (xp.arange(builtins.max(maxlen, 0)) < lengths[..., None]).astype(dtype, copy=False)


SequenceMask = register("SequenceMask", _sequence_mask_forward)


@export("sequence_mask")
def sequence_mask(lengths: Any, maxlen: Any = None, dtype: Any = dtypes.bool,
                  name: str | None = None) -> Tensor:
    """``mask[..., j] = j < lengths[...]`` for ``j < maxlen`` (default: ``max(lengths)``).

    Raises:
        ValueError: ``maxlen`` is not a scalar.
    """
    lengths = to_tensor(lengths)
    if maxlen is not None:
        value = to_tensor(maxlen)
        if value.ndim:
            raise ValueError(f"Argument `maxlen` must be scalar for sequence_mask, received `maxlen` = "
                             f"{value.numpy().tolist()} with shape '{tuple(value.shape.as_list())}' instead")
        maxlen = int(value.numpy())
    return execute(SequenceMask, (lengths,), {"maxlen": maxlen, "dtype": dtypes.as_dtype(dtype)._np})


lin_space = linspace  # TF1's name (``tf.compat.v1.lin_space``)
