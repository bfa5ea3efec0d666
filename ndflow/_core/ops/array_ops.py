"""Creation, shape manipulation and indexing ops (``tf.reshape``, ``tf.zeros``, ``tensor[...]`` …)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..export import export
from ..tensor import EagerTensor, Tensor
from ._helpers import as_int_list, execute, invalid_arg, register, to_tensor

# ---------------------------------------------------------------------------------------------------------
# Identity, shape


Identity = register("Identity", lambda xp, x: x, grad=lambda entry, dy: (dy,))


@export("identity")
def identity(input: Any, name: str | None = None) -> Tensor:
    """Returns a tensor with the same value (reads variables)."""
    return execute(Identity, (to_tensor(input),))


def _shape_forward(xp, x, *, out_type):
    return xp.asarray(x.shape, dtype=out_type)


ShapeOp = register("Shape", _shape_forward)


@export("shape")
def shape(input: Any, out_type: Any = dtypes.int32, name: str | None = None) -> Tensor:
    """The shape of ``input`` as a 1-D integer tensor."""
    return execute(ShapeOp, (to_tensor(input),), {"out_type": dtypes.as_dtype(out_type)._np})


# ---------------------------------------------------------------------------------------------------------
# Reshape


def _reshape_forward(xp, x, *, shape):
    try:
        return x.reshape(shape)
    except ValueError:
        pass
    known = [d for d in shape if d != -1]
    n = int(np.prod(known, dtype=np.int64)) if known else 1
    if shape.count(-1) > 1:
        raise invalid_arg("Reshape", f"Only one input size may be -1, not both {shape.index(-1)} and "
                                     f"{len(shape) - 1 - shape[::-1].index(-1)}")
    if -1 in shape:
        raise invalid_arg("Reshape", f"Input to reshape is a tensor with {x.size} values, but the requested "
                                     f"shape requires a multiple of {n}")
    raise invalid_arg("Reshape", f"Input to reshape is a tensor with {x.size} values, but the requested shape "
                                 f"has {n}")


def _reshape_grad(entry, dy):
    return (reshape_like(dy, entry.inputs[0]),)


Reshape = register("Reshape", _reshape_forward, grad=_reshape_grad)
ReshapeLike = register("ReshapeToShapeOf", lambda xp, x, like: x.reshape(like.shape),
                       grad=lambda entry, dy: (reshape_like(dy, entry.inputs[0]), None))


def reshape_like(x: Tensor, like: Tensor) -> Tensor:
    """Reshapes ``x`` to ``like``'s (run-time) shape."""
    return execute(ReshapeLike, (x, like))


@export("reshape")
def reshape(tensor: Any, shape: Any, name: str | None = None) -> Tensor:
    """Reshapes ``tensor`` to ``shape`` (one ``-1`` is inferred).

    Raises:
        InvalidArgumentError: the element counts differ.
    """
    tensor = to_tensor(tensor)
    return execute(Reshape, (tensor,), {"shape": tuple(as_int_list(shape))})


# ---------------------------------------------------------------------------------------------------------
# Creation


def _dtype_np(dtype: Any) -> Any:
    return dtypes.as_dtype(dtype)._np


def _fill_forward(xp, value, *, shape):
    return xp.full(shape, value, dtype=value.dtype)


Fill = register("Fill", _fill_forward, grad=None)


@export("fill")
def fill(dims: Any, value: Any, name: str | None = None, layout: Any = None) -> Tensor:
    """A tensor of shape ``dims`` filled with the scalar ``value``."""
    value = to_tensor(value)
    return execute(Fill, (value,), {"shape": tuple(as_int_list(dims))})


@export("zeros")
def zeros(shape: Any, dtype: Any = dtypes.float32, name: str | None = None, layout: Any = None) -> Tensor:
    """A tensor of zeros."""
    return fill(shape, to_tensor(0, dtype=dtype))


@export("ones")
def ones(shape: Any, dtype: Any = dtypes.float32, name: str | None = None, layout: Any = None) -> Tensor:
    """A tensor of ones."""
    return fill(shape, to_tensor(1, dtype=dtype))


ZerosLike = register("ZerosLike", lambda xp, x: xp.zeros_like(x))
OnesLike = register("OnesLike", lambda xp, x: xp.ones_like(x))


@export("zeros_like")
def zeros_like(input: Any, dtype: Any = None, name: str | None = None, layout: Any = None) -> Tensor:
    """Zeros with ``input``'s shape (and dtype unless ``dtype`` is given)."""
    input = to_tensor(input)
    if dtype is not None and dtypes.as_dtype(dtype) is not input.dtype:
        return zeros(shape(input), dtype)
    return execute(ZerosLike, (input,))


@export("ones_like")
def ones_like(input: Any, dtype: Any = None, name: str | None = None, layout: Any = None) -> Tensor:
    """Ones with ``input``'s shape (and dtype unless ``dtype`` is given)."""
    input = to_tensor(input)
    if dtype is not None and dtypes.as_dtype(dtype) is not input.dtype:
        return ones(shape(input), dtype)
    return execute(OnesLike, (input,))


def _one_hot_forward(xp, indices, on_value, off_value, *, depth, axis):
    eye = indices[..., None] == xp.arange(depth)
    out = xp.where(eye, on_value, off_value).astype(on_value.dtype, copy=False)
    if axis != -1 and axis != indices.ndim:
        out = xp.moveaxis(out, -1, axis)
    return out


OneHot = register("OneHot", _one_hot_forward)


@export("one_hot")
def one_hot(indices: Any, depth: int, on_value: Any = None, off_value: Any = None, axis: int | None = None,
            dtype: Any = None, name: str | None = None) -> Tensor:
    """One-hot encodes integer ``indices`` along a new axis of size ``depth`` (out-of-range → all off)."""
    indices = to_tensor(indices)
    if dtype is None:
        dtype = (to_tensor(on_value).dtype if on_value is not None else
                 to_tensor(off_value).dtype if off_value is not None else dtypes.float32)
    on = to_tensor(1 if on_value is None else on_value, dtype=dtype)
    off = to_tensor(0 if off_value is None else off_value, dtype=dtype)
    return execute(OneHot, (indices, on, off), {"depth": int(depth), "axis": -1 if axis is None else int(axis)})


# ---------------------------------------------------------------------------------------------------------
# Stack


def _stack_forward(xp, *values, axis):
    shapes = {v.shape for v in values}
    if len(shapes) > 1:
        first, other = values[0].shape, next(v.shape for v in values if v.shape != values[0].shape)
        idx = next(i for i, v in enumerate(values) if v.shape != first)
        raise invalid_arg("Pack", f"Shapes of all inputs must match: values[0].shape = {list(first)} != "
                                  f"values[{idx}].shape = {list(other)}")
    return xp.stack(values, axis=axis)


def _stack_grad(entry, dy):
    return tuple(unstack(dy, num=len(entry.inputs), axis=entry.attrs["axis"]))


Pack = register("Pack", _stack_forward, grad=_stack_grad)


def _unstack_forward(xp, x, *, num, axis):
    return tuple(xp.take(x, i, axis=axis) for i in range(num))


def _unstack_grad(entry, *dys):
    return (stack(list(dys), axis=entry.attrs["axis"]),)


Unpack = register("Unpack", _unstack_forward, grad=_unstack_grad, num_outputs=None)


@export("stack")
def stack(values: Any, axis: int = 0, name: str = "stack") -> Tensor:
    """Stacks equally shaped tensors along a new ``axis``.

    Raises:
        InvalidArgumentError: the shapes differ.
    """
    tensors = [to_tensor(v) for v in values]
    if tensors and any(t.dtype is not tensors[0].dtype for t in tensors):
        py = [v for v in values if not isinstance(v, Tensor)]
        if py:
            dt = next(t.dtype for t, v in zip(tensors, values) if isinstance(v, Tensor))
            tensors = [to_tensor(v, dtype=dt) if not isinstance(v, Tensor) else v for v in values]
        from ..tensor import check_same_dtype

        check_same_dtype("Pack", tensors)
    rank = len(tensors[0].shape) if tensors else 0
    if not -(rank + 1) <= axis < rank + 1:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-(rank + 1)}, {rank + 1})")
    return execute(Pack, tuple(tensors), {"axis": axis if axis >= 0 else axis + rank + 1})


@export("unstack")
def unstack(value: Any, num: int | None = None, axis: int = 0, name: str = "unstack") -> list:
    """Splits ``value`` along ``axis`` into a list of tensors of one rank less.

    Raises:
        ValueError: ``axis`` out of range or ``num`` unknown.
    """
    value = to_tensor(value)
    rank = value.shape.rank
    if not -rank <= axis < rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    axis = axis % rank
    n = value.shape[axis] if num is None else num
    if n is None:
        raise ValueError(f"Cannot infer argument `num` from shape {value.shape}")
    return list(execute(Unpack, (value,), {"num": int(n), "axis": axis}))


# ---------------------------------------------------------------------------------------------------------
# Indexing: tensor[...]

_NEWAXIS = None


def normalize_index(key: Any, shape: tuple) -> tuple:
    """Validates a TF index (ints, slices, ``...``, ``None``, scalar int tensors) for an array of ``shape``.

    Returns:
        A tuple usable for NumPy basic indexing.

    Raises:
        TypeError: list/array/float indices, which TF rejects.
        InvalidArgumentError: an integer index out of bounds.
    """
    if not isinstance(key, tuple):
        key = (key,)
    out = []
    dim = 0
    n_specified = sum(1 for k in key if k is not None and k is not Ellipsis)
    for k in key:
        if k is Ellipsis:
            out.append(k)
            dim += len(shape) - n_specified
            continue
        if k is None:
            out.append(None)
            continue
        if isinstance(k, slice):
            out.append(slice(_index_value(k.start), _index_value(k.stop), _index_value(k.step)))
            if k.step is not None and _index_value(k.step) == 0:
                raise invalid_arg("StridedSlice", "slice stride cannot be zero")
            dim += 1
            continue
        i = _index_value(k)
        if dim >= len(shape):
            raise invalid_arg("StridedSlice", f"Index out of range using input dim {dim}; input has only "
                                              f"{len(shape)} dims")
        size = shape[dim]
        if not -size <= i < size:
            raise invalid_arg("StridedSlice", f"slice index {i} of dimension {dim} out of bounds.")
        out.append(i)
        dim += 1
    return tuple(out)


def _index_value(k: Any) -> Any:
    if k is None:
        return None
    if isinstance(k, (bool, np.bool_)):
        raise TypeError(_BAD_INDEX.format(k=k))
    if isinstance(k, (int, np.integer)):
        return int(k)
    if isinstance(k, EagerTensor) and k.dtype.is_integer and k.ndim == 0:
        return int(k.numpy())
    if hasattr(k, "_is_variable") and k.dtype.is_integer and k.ndim == 0:
        return int(k.numpy())
    raise TypeError(_BAD_INDEX.format(k=k))


_BAD_INDEX = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 "
              "tensors are valid indices, got {k!r}")


def _strided_slice_forward(xp, x, *, key):
    return x[key]


def _strided_slice_grad(entry, dy):
    return (execute(StridedSliceGrad, (dy, entry.inputs[0]), {"key": entry.attrs["key"]}),)


def _strided_slice_grad_forward(xp, dy, like, *, key):
    out = xp.zeros(like.shape, dtype=dy.dtype)
    out[key] = dy
    return out


def _strided_slice_grad_grad(entry, ddx):
    return execute(StridedSlice, (ddx,), {"key": entry.attrs["key"]}), None


StridedSlice = register("StridedSlice", _strided_slice_forward, grad=_strided_slice_grad)
StridedSliceGrad = register("StridedSliceGrad", _strided_slice_grad_forward, grad=_strided_slice_grad_grad)


def slice_helper(tensor: Tensor, key: Any) -> Tensor:
    """``tensor[key]`` with TF's indexing rules."""
    tensor = to_tensor(tensor)
    key = normalize_index(key, tuple(tensor.shape))
    return execute(StridedSlice, (tensor,), {"key": key})
