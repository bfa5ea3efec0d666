"""Shape manipulation, basic creation and slicing (``tf.reshape``, ``tf.concat``, ``tf.pad``, ``x[...]`` …).

``creation_ops`` holds ``tf.range``/``eye``/``linspace``/``meshgrid``; ``indexing_ops`` gathers and scatters.
"""
from __future__ import annotations

import builtins
import itertools
from typing import Any

import numpy as np

from .. import dtypes
from ..export import export
from ..shape import TensorShape
from ..tensor import EagerTensor, Tensor, check_same_dtype
from ._helpers import as_int_list, execute, invalid_arg, register, shape_text, static_shape, to_tensor

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
    """The shape of ``input`` as a 1-D int32/int64 tensor.

    Raises:
        InvalidArgumentError: ``out_type`` is not int32 or int64.
    """
    return execute(ShapeOp, (to_tensor(input),), {"out_type": _index_dtype(out_type, "Shape")})


def _index_dtype(out_type: Any, op_name: str) -> Any:
    out_type = dtypes.as_dtype(out_type)
    if out_type is not dtypes.int32 and out_type is not dtypes.int64:
        raise invalid_arg(op_name, f"Value for attr 'out_type' of {_tf_name(out_type)} is not in the list of "
                                   "allowed values: int32, int64")
    return out_type._np


def _tf_name(dtype: dtypes.DType) -> str:
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)


@export("shape_n")
def shape_n(input: Any, out_type: Any = dtypes.int32, name: str | None = None) -> list:
    """The shapes of a list of tensors."""
    return [shape(x, out_type) for x in input]


SizeOp = register("Size", lambda xp, x, *, out_type: xp.asarray(x.size, dtype=out_type))
RankOp = register("Rank", lambda xp, x: xp.asarray(x.ndim, dtype=xp.int32))


@export("size")
def size(input: Any, out_type: Any = dtypes.int32, name: str | None = None) -> Tensor:
    """The number of elements of ``input`` as a scalar of ``out_type``."""
    return execute(SizeOp, (to_tensor(input),), {"out_type": dtypes.as_dtype(out_type)._np})


@export("rank")
def rank(input: Any, name: str | None = None) -> Tensor:
    """The number of dimensions of ``input`` as an int32 scalar."""
    return execute(RankOp, (to_tensor(input),))


StopGradient = register("StopGradient", lambda xp, x: x, grad=lambda entry, dy: (None,))


@export("stop_gradient")
def stop_gradient(input: Any, name: str | None = None) -> Tensor:
    """The identity, with no gradient flowing back to ``input``."""
    return execute(StopGradient, (to_tensor(input),))


def _ensure_shape_forward(xp, x, *, shape):
    if len(shape) != x.ndim or any(d is not None and d != s for d, s in zip(shape, x.shape)):
        expected = "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"
        raise invalid_arg("EnsureShape", f"Shape of tensor input {shape_text(x.shape)} is not compatible "
                                         f"with expected shape {expected}.")
    return x


def _ensure_shape_infer(x, *, shape):
    from ..graph import merge_static_shapes

    if x[0].rank is not None and x[0].rank != len(shape):
        raise ValueError(f"Shape must be rank {len(shape)} but is rank {x[0].rank}")
    return [(merge_static_shapes(TensorShape(list(shape)), x[0]), x[1])]


EnsureShape = register("EnsureShape", _ensure_shape_forward, grad=lambda entry, dy: (dy,),
                       infer=_ensure_shape_infer)


@export("ensure_shape")
def ensure_shape(x: Any, shape: Any, name: str | None = None) -> Tensor:
    """Returns ``x`` after checking that its shape is compatible with ``shape`` (``None`` dims match any).

    Raises:
        InvalidArgumentError: the shapes are incompatible.
    """
    x = to_tensor(x)
    shape = TensorShape(shape)
    if shape.rank is None:
        return execute(Identity, (x,))
    return execute(EnsureShape, (x,), {"shape": tuple(shape.as_list())})


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
    raise invalid_arg("Reshape", f"Input to reshape is a tensor with {x.size} values, but the requested "
                                 f"shape has {n}")


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
    if _is_symbolic(shape) or (isinstance(shape, (list, tuple)) and any(_is_symbolic(d) for d in shape)):
        known = static_shape(shape)
        dims = shape if _is_symbolic(shape) else stack([cast_to_int32(d) for d in shape])
        out = execute(ReshapeDynamic, (tensor, dims))
        out.set_shape(_resolve_unknown_dim(known, tensor.shape))
        return out
    return execute(Reshape, (tensor,), {"shape": tuple(as_int_list(shape))})


def _is_symbolic(x: Any) -> bool:
    return isinstance(x, Tensor) and not isinstance(x, EagerTensor)


def _resolve_unknown_dim(known: TensorShape, input_shape: TensorShape) -> TensorShape:
    """A reshape target's static shape with its one unknown dim found from the element count, if possible."""
    n = input_shape.num_elements()
    if known.rank is None or n is None or [d is None for d in known.dims].count(True) != 1:
        return known
    rest = int(np.prod([d for d in known.dims if d is not None], dtype=np.int64))
    return TensorShape([n // rest if d is None and rest else d for d in known.dims])


def cast_to_int32(d: Any) -> Tensor:
    from .math_ops import cast

    return cast(d, dtypes.int32) if isinstance(d, Tensor) else to_tensor(int(d), dtype=dtypes.int32)


def _reshape_dynamic_forward(xp, x, dims):
    return _reshape_forward(xp, x, shape=tuple(int(d) for d in dims))


def _reshape_dynamic_infer(x, dims):
    length = dims[0][0] if dims[0].rank == 1 else None
    return [(TensorShape(None if length is None else [None] * length), x[1])]


# ``reshape`` to a shape computed in a graph (``tf.reshape(x, tf.shape(y))``).
ReshapeDynamic = register("ReshapeDynamic", _reshape_dynamic_forward, infer=_reshape_dynamic_infer,
                          grad=lambda entry, dy: (reshape_like(dy, entry.inputs[0]), None))


# ---------------------------------------------------------------------------------------------------------
# Creation


def _fill_forward(xp, value, *, shape):
    return xp.full(shape, value, dtype=value.dtype)


def _fill_grad(entry, dy):
    from .reduction_ops import reduce_sum

    return (reduce_sum(dy),)


Fill = register("Fill", _fill_forward, grad=_fill_grad)


def _fill_dynamic_forward(xp, dims, value):
    if dims.ndim != 1:
        raise invalid_arg("Fill", f"dims must be a vector, got shape {shape_text(dims.shape)}")
    shape = tuple(int(d) for d in dims)
    if any(d < 0 for d in shape):
        raise invalid_arg("Fill", f"Dimension {min(shape)} must be >= 0")
    return xp.full(shape, value, dtype=value.dtype)


def _fill_dynamic_infer(dims, value):
    length = dims[0][0] if dims[0].rank == 1 else None
    return [(TensorShape(None if length is None else [None] * length), value[1])]


# ``fill`` with a shape computed in a graph (``tf.zeros(tf.shape(x)[:1])``).
FillDynamic = register("FillDynamic", _fill_dynamic_forward, infer=_fill_dynamic_infer,
                       grad=lambda entry, dy: (None, _fill_grad(entry, dy)[0]))


@export("fill")
def fill(dims: Any, value: Any, name: str | None = None, layout: Any = None) -> Tensor:
    """A tensor of shape ``dims`` filled with the scalar ``value``.

    Raises:
        InvalidArgumentError: ``value`` is not a scalar or a dimension is negative.
    """
    value = to_tensor(value)
    if value.ndim:
        raise invalid_arg("Fill", f"value must represent a scalar, got shape {shape_text(value.shape)}")
    if _is_symbolic(dims) or (isinstance(dims, (list, tuple)) and any(_is_symbolic(d) for d in dims)):
        known = static_shape(dims)
        packed = dims if _is_symbolic(dims) else stack([cast_to_int32(d) for d in dims])
        out = execute(FillDynamic, (packed, value))
        out.set_shape(known)
        return out
    dims = tuple(as_int_list(dims))
    for d in dims:
        if d < 0:
            raise invalid_arg("Fill", f"Dimension {d} must be >= 0")
    return execute(Fill, (value,), {"shape": dims})


@export("zeros")
def zeros(shape: Any, dtype: Any = dtypes.float32, name: str | None = None, layout: Any = None) -> Tensor:
    """A tensor of zeros (``False`` for bool, empty strings for ``tf.string``)."""
    return fill(shape, _scalar_of(dtypes.as_dtype(dtype), 0))


@export("ones")
def ones(shape: Any, dtype: Any = dtypes.float32, name: str | None = None, layout: Any = None) -> Tensor:
    """A tensor of ones (``True`` for bool)."""
    return fill(shape, _scalar_of(dtypes.as_dtype(dtype), 1))


def _scalar_of(dtype: dtypes.DType, value: int) -> Tensor:
    if dtype is dtypes.string:
        return to_tensor(b"", dtype=dtype)
    return EagerTensor(np.asarray(value, dtype=dtype._np), dtype)


def _zeros_like_forward(xp, x):
    if x.dtype.kind == "O":
        return xp.full(x.shape, b"", dtype=x.dtype)
    return xp.zeros_like(x)


ZerosLike = register("ZerosLike", _zeros_like_forward, infer=lambda x: [x])  # variant stays variant
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
    """One-hot encodes integer ``indices`` along a new axis of size ``depth`` (out-of-range → all off).

    The dtype is ``dtype``, else that of ``on_value``/``off_value``, else float32.

    Raises:
        TypeError: ``on_value``, ``off_value`` and ``dtype`` disagree.
        InvalidArgumentError: bad ``axis``, negative ``depth`` or non-integer ``indices``.
    """
    indices = to_tensor(indices)
    on = None if on_value is None else to_tensor(on_value, dtype_hint=dtype)
    off = None if off_value is None else to_tensor(off_value, dtype_hint=dtype)
    if on is not None and off is not None and on.dtype is not off.dtype:
        raise TypeError(f"dtype {on.dtype!r} of on_value does not match dtype {off.dtype!r} of off_value")
    given = on if on is not None else off
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        if given is not None and given.dtype is not dtype:
            which = "on_value" if on is not None else "off_value"
            raise TypeError(f"dtype {given.dtype!r} of {which} does not match dtype parameter {dtype!r}")
    else:
        dtype = given.dtype if given is not None else dtypes.float32
    on = to_tensor(1, dtype=dtype) if on is None else on
    off = to_tensor(0, dtype=dtype) if off is None else off
    if indices.dtype.name not in ("uint8", "int8", "int32", "int64"):
        raise invalid_arg("OneHot", f"Value for attr 'TI' of {_tf_name(indices.dtype)} is not in the list of "
                                    "allowed values: uint8, int8, int32, int64")
    depth = _scalar_int(depth)
    axis = -1 if axis is None else int(axis)
    if depth < 0:
        raise invalid_arg("OneHot", f"depth must be non-negative, got: {depth}")
    if not -1 <= axis <= indices.ndim:
        raise invalid_arg("OneHot", f"Expected axis to be -1 or between [0, {indices.ndim + 1}).  But "
                                    f"received: {axis}")
    return execute(OneHot, (indices, on, off), {"depth": depth, "axis": axis})


# ---------------------------------------------------------------------------------------------------------
# Stack, concat, split


def _convert_list(values: Any, op_name: str) -> list:
    """Converts a list of op inputs; Python values adopt the dtype of the first tensor among them.

    Raises:
        InvalidArgumentError: tensors of different dtypes.
    """
    tensors = [to_tensor(v) for v in values]
    if tensors and any(t.dtype is not tensors[0].dtype for t in tensors):
        given = next((v for v in values if isinstance(v, Tensor) or hasattr(v, "_as_tensor")), None)
        if given is not None:
            dtype = to_tensor(given).dtype
            tensors = [t if isinstance(v, Tensor) or hasattr(v, "_as_tensor") else to_tensor(v, dtype=dtype)
                       for t, v in zip(tensors, values)]
        check_same_dtype(op_name, tensors)
    return tensors


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
    tensors = _convert_list(values, "Pack")
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


def _concat_forward(xp, *values, axis):
    first = values[0]
    rank = first.ndim
    if rank == 0:
        raise invalid_arg("ConcatV2", "ConcatOp : Can't concatenate scalars (use tf.stack instead)")
    if not -rank <= axis < rank:
        raise invalid_arg("ConcatV2", f"ConcatOp : Expected concatenating dimensions in the range [{-rank}, "
                                      f"{rank}), but got {axis}")
    axis %= rank
    for i, v in enumerate(values[1:], 1):
        if v.ndim != rank:
            raise invalid_arg("ConcatV2", f"ConcatOp : Ranks of all input tensors should match: shape[0] = "
                                          f"{shape_text(first.shape)} vs. shape[{i}] = {shape_text(v.shape)}")
        for d in range(rank):
            if d != axis and v.shape[d] != first.shape[d]:
                raise invalid_arg("ConcatV2", f"ConcatOp : Dimension {d} in both shapes must be equal: "
                                              f"shape[0] = {shape_text(first.shape)} vs. shape[{i}] = "
                                              f"{shape_text(v.shape)}")
    return xp.concatenate(values, axis=axis)


def _concat_grad_forward(xp, dy, *inputs, axis):
    """Splits ``dy`` back into pieces shaped like the concatenated ``inputs``."""
    ends = list(itertools.accumulate(x.shape[axis] for x in inputs[:-1]))
    return tuple(xp.split(dy, ends, axis=axis))


def _concat_grad(entry, dy):
    return tuple(execute(ConcatGrad, (dy, *entry.inputs), entry.attrs))


def _concat_grad_grad(entry, *ddys):
    return (concat(list(ddys), axis=entry.attrs["axis"]),) + (None,) * (len(entry.inputs) - 1)


ConcatV2 = register("ConcatV2", _concat_forward, grad=_concat_grad)
ConcatGrad = register("ConcatGrad", _concat_grad_forward, grad=_concat_grad_grad, num_outputs=None)


@export("concat")
def concat(values: Any, axis: Any, name: str = "concat") -> Tensor:
    """Joins tensors along an existing ``axis`` (all other dims must match).

    Raises:
        InvalidArgumentError: ranks or non-``axis`` dims differ, ``axis`` out of range, or scalars.
    """
    tensors = _convert_list(values, "ConcatV2")
    axis = _scalar_int(axis)
    if len(tensors) == 1:
        return execute(Identity, (tensors[0],))
    return execute(ConcatV2, tuple(tensors), {"axis": axis})


def _split_forward(xp, x, *, sizes, axis):
    return tuple(xp.split(x, list(itertools.accumulate(sizes[:-1])), axis=axis))


def _split_grad(entry, *dys):
    return (concat(list(dys), axis=entry.attrs["axis"]),)


Split = register("Split", _split_forward, grad=_split_grad, num_outputs=None)
SplitV = register("SplitV", _split_forward, grad=_split_grad, num_outputs=None)


@export("split")
def split(value: Any, num_or_size_splits: Any, axis: Any = 0, num: int | None = None,
          name: str = "split") -> list:
    """Splits ``value`` along ``axis`` into ``num_or_size_splits`` equal parts, or parts of the listed sizes
    (one size may be -1: the rest).

    Raises:
        InvalidArgumentError: the sizes do not fit the dimension, or ``axis`` is out of range.
    """
    value = to_tensor(value)
    axis = _scalar_int(axis)
    rank = value.ndim
    op_name = "Split" if _is_scalar(num_or_size_splits) else "SplitV"
    if not -rank <= axis < rank:
        raise invalid_arg(op_name, f"-input rank(-{rank}) <= split_dim < input rank ({rank}), but got {axis}")
    axis %= rank
    dim = value.shape[axis]
    if op_name == "Split":
        n = _scalar_int(num_or_size_splits)
        if n < 1:
            raise invalid_arg("Split", f"Value for attr 'num_split' of {n} must be at least minimum 1")
        if dim % n:
            raise invalid_arg("Split", "Number of ways to split should evenly divide the split dimension, "
                                       f"but got split_dim {axis} (size = {dim}) and num_split {n}")
        return list(execute(Split, (value,), {"sizes": (dim // n,) * n, "axis": axis}))
    sizes = as_int_list(num_or_size_splits)
    if sizes.count(-1) > 1:
        raise invalid_arg("SplitV", "There can only be one -1 in the input.")
    known = sum(s for s in sizes if s != -1)
    if (-1 not in sizes and known != dim) or known > dim:
        raise invalid_arg("SplitV", "Determined shape must either match input shape along split_dim exactly "
                                    "if fully specified, or be less than the size of the input along "
                                    f"split_dim if not fully specified.  Got: {known}")
    sizes = tuple(dim - known if s == -1 else s for s in sizes)
    return list(execute(SplitV, (value,), {"sizes": sizes, "axis": axis}))


def _dims(t: Tensor) -> tuple:
    """The static dims of ``t`` (``None`` where a graph tensor's dim is unknown; ``()`` for unknown rank)."""
    if isinstance(t, EagerTensor):
        return t._value.shape
    shape = t.shape
    return () if shape.rank is None else tuple(shape.as_list())


def _is_scalar(x: Any) -> bool:
    if isinstance(x, (Tensor, np.ndarray)):
        return x.ndim == 0
    return not isinstance(x, (list, tuple))


def _scalar_int(x: Any) -> int:
    if isinstance(x, (Tensor, np.ndarray, list, tuple)) or hasattr(x, "_as_tensor"):
        return int(np.asarray(x).reshape(-1)[0])
    return int(x)


# ---------------------------------------------------------------------------------------------------------
# Shape manipulation


def _reshape_like_grad(entry, dy):
    return (reshape_like(dy, entry.inputs[0]),)


ExpandDims = register("ExpandDims", lambda xp, x, *, axis: xp.expand_dims(x, axis), grad=_reshape_like_grad)


def _squeeze_forward(xp, x, *, axis):
    if axis is None:  # every size-1 dim, found when the graph runs
        return xp.squeeze(x)
    for a in axis:
        if not -x.ndim <= a < x.ndim:
            raise invalid_arg("Squeeze", f"Tried to squeeze dim index {a} for tensor with {x.ndim} dimensions.")
        if x.shape[a] != 1:
            raise invalid_arg("Squeeze", f"Can not squeeze dim[{a % x.ndim}], expected a dimension of 1, got "
                                         f"{x.shape[a]}")
    return xp.squeeze(x, axis)


def _squeeze_infer(x, *, axis):
    if axis is None or x[0].rank is None:
        return [(TensorShape(None), x[1])]
    return [(TensorShape([d for i, d in enumerate(x[0].as_list()) if i not in axis]), x[1])]


Squeeze = register("Squeeze", _squeeze_forward, grad=_reshape_like_grad, infer=_squeeze_infer)


@export("expand_dims")
def expand_dims(input: Any, axis: Any, name: str | None = None) -> Tensor:
    """Inserts a length-1 dimension at ``axis`` (in ``[-rank - 1, rank]``).

    Raises:
        InvalidArgumentError: ``axis`` out of range or not a single value.
        ValueError: ``axis`` is None.
    """
    if axis is None:
        raise ValueError("Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to "
                         "a Tensor.")
    input = to_tensor(input)
    if np.size(axis) != 1:
        raise invalid_arg("ExpandDims", "'dim' must be a tensor with a single value")
    axis = _scalar_int(axis)
    rank = input.ndim
    if not -rank - 1 <= axis <= rank:
        raise invalid_arg("ExpandDims", f"Tried to expand dim index {axis} for tensor with {rank} "
                                        "dimensions.")
    return execute(ExpandDims, (input,), {"axis": axis % (rank + 1)})


@export("squeeze")
def squeeze(input: Any, axis: Any = None, name: str | None = None) -> Tensor:
    """Removes length-1 dimensions: all of them, or those listed in ``axis``.

    Raises:
        InvalidArgumentError: a listed dimension is out of range or not of length 1.
    """
    input = to_tensor(input)
    if input.shape.rank is None:  # the axes are checked when the graph runs
        return execute(Squeeze, (input,), {"axis": None if axis is None else tuple(as_int_list(axis))})
    dims = input.shape.as_list()
    if axis is None:
        if None in dims:  # which dims have size 1 is known only when the graph runs
            return execute(Squeeze, (input,), {"axis": None})
        axes = tuple(i for i, d in enumerate(dims) if d == 1)
    else:
        axes = []
        for a in as_int_list(axis):
            if not -len(dims) <= a < len(dims):
                raise invalid_arg("Squeeze", f"Tried to squeeze dim index {a} for tensor with {len(dims)} "
                                             "dimensions.")
            a %= len(dims)
            if dims[a] not in (1, None):
                raise invalid_arg("Squeeze", f"Can not squeeze dim[{a}], expected a dimension of 1, got "
                                             f"{dims[a]}")
            axes.append(a)
        axes = tuple(sorted(set(axes)))
    return execute(Squeeze, (input,), {"axis": axes})


def _inverse_perm(entry) -> dict:
    return {"perm": tuple(int(i) for i in np.argsort(entry.attrs["perm"]))}


Transpose = register("Transpose", lambda xp, x, *, perm: xp.transpose(x, perm),
                     grad=lambda entry, dy: (execute(Transpose, (dy,), _inverse_perm(entry)),))
ConjugateTranspose = register(
    "ConjugateTranspose", lambda xp, x, *, perm: xp.conj(xp.transpose(x, perm)),
    grad=lambda entry, dy: (execute(ConjugateTranspose, (dy,), _inverse_perm(entry)),))


@export("transpose")
def transpose(a: Any, perm: Any = None, conjugate: bool = False, name: str = "transpose") -> Tensor:
    """Permutes the dimensions of ``a`` (reverses them by default); ``conjugate`` also conjugates.

    Raises:
        InvalidArgumentError: ``perm`` is not a permutation of ``range(rank)``.
    """
    a = to_tensor(a)
    rank = a.ndim
    op = ConjugateTranspose if conjugate and a.dtype.is_complex else Transpose
    if perm is None:
        perm = tuple(range(rank - 1, -1, -1))
    else:
        perm = as_int_list(perm)
        if len(perm) != rank:
            raise invalid_arg(op.name, f"transpose expects a vector of size {rank}. But input(1) is a vector "
                                       f"of size {len(perm)}")
        for p in perm:
            if not -rank <= p < rank:
                raise invalid_arg(op.name, f"{p} is out of range [0 .. {rank})")
        perm = tuple(p % rank for p in perm)
        missing = sorted(set(range(rank)) - set(perm))
        if missing:
            raise invalid_arg(op.name, f"{missing[0]} is missing from {{{','.join(map(str, perm))}}}.")
    return execute(op, (a,), {"perm": perm})


def _tile_forward(xp, x, *, multiples):
    return xp.tile(x, multiples) if x.ndim else x


def _tile_grad(entry, dy):
    x = entry.inputs[0]
    if x.ndim == 0:
        return (dy,)
    return (execute(TileGrad, (dy, x), {"multiples": entry.attrs["multiples"]}),)


def _tile_grad_forward(xp, dy, like, *, multiples):
    """Sums the tiled copies of ``dy`` back onto ``like``'s (run-time) shape."""
    interleaved = [v for pair in zip(multiples, like.shape) for v in pair]
    return dy.reshape(interleaved).sum(axis=tuple(range(0, 2 * like.ndim, 2)), dtype=dy.dtype)


def _tile_grad_grad(entry, ddx):
    return execute(Tile, (ddx,), {"multiples": entry.attrs["multiples"]}), None


Tile = register("Tile", _tile_forward, grad=_tile_grad)
TileGrad = register("TileGrad", _tile_grad_forward, grad=_tile_grad_grad,
                    infer=lambda dy, like, multiples: [like])


@export("tile")
def tile(input: Any, multiples: Any, name: str | None = None) -> Tensor:
    """Repeats ``input`` ``multiples[i]`` times along each dimension ``i``.

    Raises:
        InvalidArgumentError: ``multiples`` has the wrong length or a negative entry.
    """
    input = to_tensor(input)
    if _is_runtime(multiples):
        return _tile_at_run_time(input, _index_elements(multiples))
    multiples = tuple(as_int_list(multiples))
    if len(multiples) != input.ndim:
        raise invalid_arg("Tile", f"Expected multiples argument to be a vector of length {input.ndim} but "
                                  f"got length {len(multiples)}")
    for i, m in enumerate(multiples):
        if m < 0:
            raise invalid_arg("Tile", f"Expected multiples[{i}] >= 0, but got {m}")
    return execute(Tile, (input,), {"multiples": multiples})


def _is_runtime(value: Any) -> bool:
    """Whether a shape-like argument holds a tensor whose value is known only when the graph runs."""
    if isinstance(value, Tensor):
        return not isinstance(value, EagerTensor)
    return isinstance(value, (list, tuple)) and any(_is_runtime(v) for v in value)


def _tile_at_run_time(input: Tensor, multiples: list) -> Tensor:
    """``tile`` with run-time multiples: broadcast ``[1, d0, 1, d1, …]`` to ``[m0, d0, m1, d1, …]``, then merge."""
    dims = shape(input)
    sizes = [dims[i] for i in range(input.ndim)]
    spread = reshape(input, stack([v for d in sizes for v in (1, d)]))
    tiled = broadcast_to(spread, stack([v for m, d in zip(multiples, sizes) for v in (m, d)]))
    return reshape(tiled, stack([m * d for m, d in zip(multiples, sizes)]))


def _broadcast_to_forward(xp, x, *, shape):
    if x.ndim > len(shape):
        raise invalid_arg("BroadcastTo", f"Rank of input ({x.ndim}) must be no greater than rank of output "
                                         f"shape ({len(shape)}).")
    try:
        return xp.broadcast_to(x, shape).copy()
    except ValueError:
        raise invalid_arg("BroadcastTo", f"Incompatible shapes: {shape_text(x.shape)} vs. "
                                         f"{shape_text(shape)}") from None


def _broadcast_to_grad(entry, dy):
    from .math_ops import sum_to

    return (sum_to(dy, entry.inputs[0]),)


BroadcastTo = register("BroadcastTo", _broadcast_to_forward, grad=_broadcast_to_grad)


@export("broadcast_to")
def broadcast_to(input: Any, shape: Any, name: str | None = None) -> Tensor:
    """Broadcasts ``input`` to ``shape`` with NumPy's rules (materialised, like TF).

    Raises:
        InvalidArgumentError: the shapes are not compatible.
    """
    input = to_tensor(input)
    if isinstance(shape, (list, tuple)) and any(_is_symbolic(d) for d in shape):
        shape = stack([cast_to_int32(d) for d in shape])
    if _is_symbolic(shape):  # a run-time shape (graph mode): multiply by ones of that shape
        from .math_ops import logical_and, multiply

        ones = fill(shape, _scalar_of(input.dtype, 1))
        return logical_and(input, ones) if input.dtype is dtypes.bool else multiply(input, ones)
    return execute(BroadcastTo, (input,), {"shape": tuple(as_int_list(shape))})


@export("broadcast_static_shape")
def broadcast_static_shape(shape_x: Any, shape_y: Any) -> TensorShape:
    """The broadcast of two static shapes (``None`` dims stay unknown unless the other side decides).

    Raises:
        ValueError: the shapes are incompatible.
    """
    shape_x, shape_y = TensorShape(shape_x), TensorShape(shape_y)
    if shape_x.rank is None or shape_y.rank is None:
        return TensorShape(None)
    x, y = shape_x.as_list()[::-1], shape_y.as_list()[::-1]
    out = []
    for i in range(max(len(x), len(y))):
        a = x[i] if i < len(x) else 1
        b = y[i] if i < len(y) else 1
        if a == 1 or a == b:
            out.append(b)
        elif b == 1:
            out.append(a)
        elif a is None or b is None:
            out.append(a if b is None else b)
        else:
            raise ValueError("Incompatible shapes for broadcasting. Two shapes are compatible if for each "
                             "dimension pair they are either equal or one of them is 1. Received: "
                             f"{_shape_tuple_text(shape_x)} and {_shape_tuple_text(shape_y)}.")
    return TensorShape(out[::-1])


def _shape_tuple_text(shape: TensorShape) -> str:
    return str(tuple(shape.as_list()))


def _broadcast_args_forward(xp, x, y):
    try:
        out = xp.broadcast_shapes(tuple(int(d) for d in x), tuple(int(d) for d in y))
    except ValueError:
        raise invalid_arg("BroadcastArgs", f"Incompatible shapes: {shape_text(x.tolist())} vs. "
                                           f"{shape_text(y.tolist())}") from None
    return xp.asarray(out, dtype=x.dtype)


BroadcastArgs = register("BroadcastArgs", _broadcast_args_forward)


@export("broadcast_dynamic_shape")
def broadcast_dynamic_shape(shape_x: Any, shape_y: Any) -> Tensor:
    """The broadcast of two shapes given as 1-D integer tensors.

    Raises:
        InvalidArgumentError: the shapes are incompatible.
    """
    from ._helpers import binary_args

    shape_x, shape_y = binary_args(shape_x, shape_y, "BroadcastArgs")
    return execute(BroadcastArgs, (shape_x, shape_y))


# ---------------------------------------------------------------------------------------------------------
# Padding


def _pad_forward(xp, x, value=None, *, paddings):
    if value is None:
        return xp.pad(x, paddings)
    return xp.pad(x, paddings, constant_values=value)


def _pad_grad(entry, dy):
    key = tuple(builtins.slice(before, -after or None) for before, after in entry.attrs["paddings"])
    grad_x = execute(StridedSlice, (dy,), {"key": key})
    return (grad_x,) if len(entry.inputs) == 1 else (grad_x, None)


def _mirror_pad_forward(xp, x, *, paddings, mode):
    return xp.pad(x, paddings, mode=mode)


def _mirror_pad_grad_forward(xp, dy, *, paddings, mode):
    """Folds the gradient of the padded borders back onto the elements they copy."""
    offset = 1 if mode == "reflect" else 0
    for axis, (before, after) in enumerate(paddings):
        if not before and not after:
            continue
        g = xp.moveaxis(dy, axis, 0)
        n = g.shape[0] - before - after
        core = g[before:before + n].copy()
        if before:
            core[offset:offset + before] += g[:before][::-1]
        if after:
            core[n - offset - after:n - offset] += g[before + n:][::-1]
        dy = xp.moveaxis(core, 0, axis)
    return dy


MirrorPad = register("MirrorPad", _mirror_pad_forward)
MirrorPadGrad = register("MirrorPadGrad", _mirror_pad_grad_forward)
MirrorPad.def_grad(lambda entry, dy: (execute(MirrorPadGrad, (dy,), entry.attrs),))
MirrorPadGrad.def_grad(lambda entry, dy: (execute(MirrorPad, (dy,), entry.attrs),))
Pad = register("Pad", _pad_forward, grad=_pad_grad)
PadV2 = register("PadV2", _pad_forward, grad=_pad_grad)


@export("pad")
def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", constant_values: Any = 0,
        name: str | None = None) -> Tensor:
    """Pads each dimension ``i`` with ``paddings[i] = [before, after]`` elements.

    ``mode`` is ``"CONSTANT"`` (``constant_values``), ``"REFLECT"`` (mirror without the edge) or
    ``"SYMMETRIC"`` (mirror with the edge), case-insensitive.

    Raises:
        ValueError: unknown ``mode``.
        InvalidArgumentError: ``paddings`` is not ``[rank, 2]``, negative, or too large for a mirror mode.
    """
    tensor = to_tensor(tensor)
    upper = mode.upper() if isinstance(mode, str) else mode
    if upper not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError('Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or '
                         f'"SYMMETRIC". Received `mode` = {mode}')
    if _is_runtime(paddings):
        if upper != "CONSTANT":
            return _mirror_pad_at_run_time(tensor, paddings, upper)
        return _pad_at_run_time(tensor, paddings, constant_values)
    pads = np.asarray(paddings.numpy() if isinstance(paddings, EagerTensor) else paddings, dtype=np.int64)
    mirror = upper != "CONSTANT"
    constant = not mirror and not isinstance(constant_values, Tensor) and np.all(np.equal(constant_values, 0))
    op_name = "MirrorPad" if mirror else "Pad" if constant else "PadV2"
    dims = tensor.shape.as_list()
    if pads.ndim != 2 or pads.shape[0] != len(dims) or pads.shape[1] != 2:
        raise invalid_arg(op_name, "The first dimension of paddings must be the rank of inputs"
                                   f"{shape_text(pads.shape)} {shape_text(dims)}")
    paddings = tuple((int(b), int(a)) for b, a in pads)
    _check_paddings(op_name, paddings, dims, upper)
    if mirror:
        return execute(MirrorPad, (tensor,), {"paddings": paddings, "mode": upper.lower()})
    if constant:
        return execute(Pad, (tensor,), {"paddings": paddings})
    value = to_tensor(constant_values, dtype=tensor.dtype) if not isinstance(constant_values, Tensor) \
        else constant_values
    if value.ndim:
        raise invalid_arg("PadV2", f"constant_values must be a scalar. Found: {shape_text(value.shape)}")
    return execute(PadV2, (tensor, value), {"paddings": paddings})


def _pad_at_run_time(tensor: Tensor, paddings: Any, constant_values: Any) -> Tensor:
    """Constant padding with run-time amounts: a fill of ``constant_values`` on each side, axis by axis."""
    rows = [paddings[i] for i in range(tensor.ndim)] if isinstance(paddings, Tensor) else list(paddings)
    value = to_tensor(constant_values, dtype=tensor.dtype) if not isinstance(constant_values, Tensor) \
        else constant_values
    out = tensor
    for axis, row in enumerate(rows):
        before, after = (row[0], row[1])
        dims = shape(out)
        sizes = [dims[i] for i in range(tensor.ndim)]
        sides = [fill(stack(sizes[:axis] + [n] + sizes[axis + 1:]), value) for n in (before, after)]
        out = concat([sides[0], out, sides[1]], axis)
    return out


def _check_paddings(op_name: str, paddings: Any, dims: Any, mode: str) -> None:
    """TF's checks of ``[before, after]`` amounts against the (known) dimensions ``dims``."""
    for (before, after), d in zip(paddings, dims):
        if before < 0 or after < 0:
            raise invalid_arg(op_name, f"Paddings must be non-negative: {before} {after}")
        if d is None:
            continue
        if mode == "REFLECT" and (before >= d or after >= d):
            raise invalid_arg(op_name, f"paddings must be less than the dimension size: {before}, {after} "
                                       f"not less than {d}")
        if mode == "SYMMETRIC" and (before > d or after > d):
            raise invalid_arg(op_name, "paddings must be no greater than the dimension size: "
                                       f"{before}, {after} greater than {d}")


def _checked_paddings_forward(xp, paddings, dims, *, mode):
    if paddings.shape != (dims.shape[0], 2):
        raise invalid_arg("MirrorPad", "The first dimension of paddings must be the rank of inputs"
                                       f"{shape_text(paddings.shape)} {shape_text(dims.tolist())}")
    _check_paddings("MirrorPad", paddings.tolist(), dims.tolist(), mode)
    return paddings


CheckedMirrorPaddings = register("CheckedMirrorPaddings", _checked_paddings_forward,
                                 infer=lambda paddings, dims, *, mode: [paddings])


def _mirror_pad_at_run_time(tensor: Tensor, paddings: Any, mode: str) -> Tensor:
    """Mirror padding with run-time amounts: a gather of mirrored positions along each axis.

    Position ``p`` of the padded axis (``-before <= p < n + after``) reads ``|p|`` folded back below ``n`` for
    REFLECT, and ``p`` mirrored about the edges themselves for SYMMETRIC. Amounts too large for the mode give
    positions outside the axis, which ``gather`` rejects.
    """
    from .creation_ops import range as arange
    from .indexing_ops import gather
    from .math_ops import abs as absolute
    from .math_ops import cast, where

    amounts = execute(CheckedMirrorPaddings, (cast(paddings, dtypes.int32), shape(tensor)), {"mode": mode})
    out = tensor
    for axis in range(tensor.ndim):
        before, after = amounts[axis, 0], amounts[axis, 1]
        n = shape(out)[axis]
        p = arange(-before, n + after)
        if mode == "REFLECT":
            index = (n - 1) - absolute((n - 1) - absolute(p))
        else:
            index = where(p < 0, -1 - p, p)
            index = where(index >= n, 2 * n - 1 - index, index)
        out = gather(out, index, axis=axis)
    return out


# ---------------------------------------------------------------------------------------------------------
# Reverse, roll


def _reverse_grad(entry, dy):
    return (execute(ReverseV2, (dy,), entry.attrs),)


ReverseV2 = register("ReverseV2", lambda xp, x, *, axis: xp.flip(x, axis), grad=_reverse_grad)


@export("reverse")
def reverse(tensor: Any, axis: Any, name: str | None = None) -> Tensor:
    """Reverses ``tensor`` along each dimension listed in ``axis`` (a 1-D list).

    Raises:
        InvalidArgumentError: ``axis`` is not 1-D, out of range, or repeats a dimension.
    """
    tensor = to_tensor(tensor)
    if _is_scalar(axis):
        raise invalid_arg("ReverseV2", "'dims' must be 1-dimension, not 0")
    rank = tensor.ndim
    axes = []
    for i, a in enumerate(as_int_list(axis)):
        if not -rank <= a < rank:
            raise invalid_arg("ReverseV2", f"'axis'[{i}] = {a} is out of valid range [0, {rank - 1}")
        a %= rank
        if a in axes:
            raise invalid_arg("ReverseV2", f"axis {a} specified more than once.")
        axes.append(a)
    return execute(ReverseV2, (tensor,), {"axis": tuple(axes)})


def _roll_grad(entry, dy):
    return (execute(Roll, (dy,), {"shift": tuple(-s for s in entry.attrs["shift"]),
                                  "axis": entry.attrs["axis"]}),)


Roll = register("Roll", lambda xp, x, *, shift, axis: xp.roll(x, shift, axis), grad=_roll_grad)


@export("roll")
def roll(input: Any, shift: Any, axis: Any, name: str | None = None) -> Tensor:
    """Rotates elements by ``shift`` along ``axis`` (scalars or equal-length lists; repeated axes add up).

    Raises:
        InvalidArgumentError: ``shift`` and ``axis`` differ in length, or an axis is out of range.
    """
    input = to_tensor(input)
    shifts, axes = as_int_list(shift), as_int_list(axis)
    if len(shifts) != len(axes):
        raise invalid_arg("Roll", "shift and axis must have the same size")
    rank = input.ndim
    for a in axes:
        if not -rank <= a < rank:
            raise invalid_arg("Roll", f"axis {a} is out of range")
    return execute(Roll, (input,), {"shift": tuple(shifts), "axis": tuple(a % rank for a in axes)})


# ---------------------------------------------------------------------------------------------------------
# Indexing: tensor[...], tf.slice, tf.strided_slice


def normalize_index(key: Any, shape: tuple) -> tuple:
    """Validates a TF index (ints, slices, ``...``, ``None``, scalar int tensors) for an array of ``shape``.

    A list is read like a tuple, as TF does.

    Returns:
        A tuple usable for NumPy basic indexing.

    Raises:
        TypeError: float, string, nested-list or non-scalar indices, which TF rejects.
        InvalidArgumentError: an integer index out of bounds, a zero step, several ellipses, or more
            indices than dimensions.
    """
    if not isinstance(key, (tuple, list)):
        key = (key,)
    n_specified = sum(1 for k in key if k is not None and k is not Ellipsis)
    if n_specified and not shape:
        raise invalid_arg("StridedSlice", "Attempting to slice scalar input.")
    out = []
    dim = 0
    seen_ellipsis = False
    for position, k in enumerate(key):
        if k is Ellipsis:
            if seen_ellipsis:
                raise invalid_arg("StridedSlice", "Multiple ellipses in slice spec not allowed")
            seen_ellipsis = True
            out.append(k)
            dim += len(shape) - n_specified
        elif k is None:
            out.append(None)
        elif isinstance(k, builtins.slice):
            step = _index_value(k.step)
            if step == 0 and not isinstance(step, _RuntimeIndex):
                raise invalid_arg("StridedSlice", f"strides[{position}] must be non-zero")
            out.append(builtins.slice(_index_value(k.start), _index_value(k.stop), step))
            dim += 1
        else:
            i = _index_value(k)
            if dim >= len(shape):
                raise invalid_arg("StridedSlice", f"Index out of range using input dim {dim}; input has only "
                                                  f"{len(shape)} dims")
            size = shape[dim]
            if size is not None and not isinstance(i, _RuntimeIndex) and not -size <= i < size:
                raise invalid_arg("StridedSlice", f"slice index {i} of dimension {dim} out of bounds.")
            out.append(i)
            dim += 1
    if dim > len(shape):
        raise invalid_arg("StridedSlice", f"Index out of range using input dim {len(shape)}; input has only "
                                          f"{len(shape)} dims")
    return tuple(out)


_INDEX_DTYPES = ("int16", "int32", "int64")


class _RuntimeIndex(int):
    """Stands in a static index for the ``position``-th scalar tensor whose value is known only at run time."""

    def __repr__(self) -> str:
        return f"<runtime index {int(self)}>"


def _index_value(k: Any) -> Any:
    if k is None or isinstance(k, _RuntimeIndex):
        return k
    if isinstance(k, (int, np.integer)):
        return int(k)
    if isinstance(k, np.ndarray) and k.ndim == 0 and k.dtype.kind in "iu":
        return int(k)
    if (isinstance(k, EagerTensor) or hasattr(k, "_is_variable")) and k.dtype.name in _INDEX_DTYPES \
            and k.ndim == 0:
        return int(k.numpy())
    raise TypeError(_BAD_INDEX.format(k=k))


_BAD_INDEX = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
              "tf.int32/tf.int64 tensors are valid indices, got {k!r}")


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
StridedSliceGrad = register("StridedSliceGrad", _strided_slice_grad_forward, grad=_strided_slice_grad_grad,
                            infer=lambda dy, like, **attrs: [(like[0], dy[1])])
Slice = register("Slice", _strided_slice_forward, grad=_strided_slice_grad)


def _is_bool_mask(key: Any) -> bool:
    if isinstance(key, (bool, np.bool_)):
        return True
    if isinstance(key, (Tensor, np.ndarray)) or hasattr(key, "_is_variable"):
        return key.dtype == np.bool_ or key.dtype is dtypes.bool
    return False


def slice_helper(tensor: Tensor, key: Any) -> Tensor:
    """``tensor[key]`` with TF's indexing rules (a boolean key is a ``boolean_mask``)."""
    tensor = to_tensor(tensor)
    if _is_bool_mask(key):
        from .indexing_ops import boolean_mask

        return boolean_mask(tensor, key)
    key, runtime = _lift_runtime_indices(key)
    key = normalize_index(key, _dims(tensor))
    if runtime:
        return execute(DynamicStridedSlice, (tensor, *runtime), {"key": key})
    return execute(StridedSlice, (tensor,), {"key": key})


def _lift_runtime_indices(key: Any) -> tuple[Any, list]:
    """``key`` with each symbolic scalar int tensor replaced by a ``_RuntimeIndex``; and those tensors."""
    runtime: list = []

    def lift(k: Any) -> Any:
        if isinstance(k, Tensor) and not isinstance(k, EagerTensor) and k.dtype.name in _INDEX_DTYPES \
                and k.shape.rank == 0:
            runtime.append(k)
            return _RuntimeIndex(len(runtime) - 1)
        if isinstance(k, builtins.slice):
            return builtins.slice(lift(k.start), lift(k.stop), lift(k.step))
        return k

    if isinstance(key, (tuple, list)):
        return tuple(lift(k) for k in key), runtime
    return lift(key), runtime


def _concrete_key(key: tuple, values: tuple) -> tuple:
    def resolve(k: Any) -> Any:
        if isinstance(k, _RuntimeIndex):
            return int(values[k])
        if isinstance(k, builtins.slice):
            return builtins.slice(resolve(k.start), resolve(k.stop), resolve(k.step))
        return k

    return tuple(resolve(k) for k in key)


def _dynamic_slice_forward(xp, x, *indices, key):
    concrete = _concrete_key(key, indices)
    dim = 0
    for k, c in zip(key, concrete):
        if k is Ellipsis:
            dim += x.ndim - sum(1 for j in key if j is not None and j is not Ellipsis)
        elif k is not None:
            if isinstance(k, _RuntimeIndex) and not -x.shape[dim] <= c < x.shape[dim]:
                raise invalid_arg("StridedSlice", f"slice index {c} of dimension {dim} out of bounds.")
            dim += 1
    return x[concrete]


def _dynamic_slice_infer(x, *indices, key):
    """Dims indexed by a run-time integer vanish; dims sliced with a run-time bound are unknown."""
    shape, dtype = x
    if shape.rank is None:
        return [(TensorShape(None), dtype)]
    dims, out, dim = shape.as_list(), [], 0
    for k in key:
        if k is None:
            out.append(1)
        elif k is Ellipsis:
            n_rest = sum(1 for j in key if j is not None and j is not Ellipsis)
            span = len(dims) - n_rest
            out.extend(dims[dim:dim + span])
            dim += span
        elif isinstance(k, builtins.slice):
            parts = (k.start, k.stop, k.step)
            static = dims[dim] is not None and not any(isinstance(p, _RuntimeIndex) for p in parts)
            out.append(len(range(dims[dim])[k]) if static else None)
            dim += 1
        else:
            dim += 1
    out.extend(dims[dim:])
    return [(TensorShape(out), dtype)]


def _dynamic_slice_grad(entry, dy):
    x, *indices = entry.inputs
    dx = execute(DynamicStridedSliceGrad, (dy, x, *indices), {"key": entry.attrs["key"]})
    return (dx,) + (None,) * len(indices)


def _dynamic_slice_grad_forward(xp, dy, like, *indices, key):
    out = xp.zeros(like.shape, dtype=dy.dtype)
    out[_concrete_key(key, indices)] = dy
    return out


def _dynamic_slice_grad_grad(entry, ddx):
    _, _, *indices = entry.inputs
    return (execute(DynamicStridedSlice, (ddx, *indices), {"key": entry.attrs["key"]}), None) \
        + (None,) * len(indices)


DynamicStridedSlice = register("DynamicStridedSlice", _dynamic_slice_forward, grad=_dynamic_slice_grad,
                               infer=_dynamic_slice_infer)
DynamicStridedSliceGrad = register("DynamicStridedSliceGrad", _dynamic_slice_grad_forward,
                                   grad=_dynamic_slice_grad_grad,
                                   infer=lambda dy, like, *indices, **attrs: [(like[0], dy[1])])


@export("slice")
def slice(input_: Any, begin: Any, size: Any, name: str | None = None) -> Tensor:
    """The block of ``input_`` starting at ``begin`` with extent ``size`` (-1: to the end of that dimension).

    Raises:
        InvalidArgumentError: wrong lengths, or ``begin``/``size`` out of range.
    """
    input_ = to_tensor(input_)
    begin, size = as_int_list(begin), as_int_list(size)
    dims = _dims(input_)
    if len(begin) != len(dims) or len(size) != len(dims):
        raise invalid_arg("Slice", "Expected begin and size arguments to be 1-D tensors of size "
                                   f"{len(dims)}, but got shapes [{len(begin)}] and [{len(size)}] instead.")
    key = []
    for i, (b, s, d) in enumerate(zip(begin, size, dims)):
        if d is None:
            key.append(builtins.slice(b, None if s == -1 else b + s))
            continue
        if not 0 <= b <= d:
            raise invalid_arg("Slice", f"Expected begin[{i}] in [0, {d}], but got {b}")
        if s == -1:
            s = d - b
        if not 0 <= s <= d - b:
            raise invalid_arg("Slice", f"Expected size[{i}] in [0, {d - b}], but got {s}")
        key.append(builtins.slice(b, b + s))
    return execute(Slice, (input_,), {"key": tuple(key)})


@export("strided_slice")
def strided_slice(input_: Any, begin: Any, end: Any, strides: Any = None, begin_mask: int = 0,
                  end_mask: int = 0, ellipsis_mask: int = 0, new_axis_mask: int = 0,
                  shrink_axis_mask: int = 0, var: Any = None, name: str | None = None) -> Tensor:
    """NumPy-style strided slicing spelled out as ``begin``/``end``/``strides`` and bit masks.

    Bit ``i`` of ``begin_mask``/``end_mask`` ignores ``begin[i]``/``end[i]`` (full range), of
    ``ellipsis_mask`` makes position ``i`` an ellipsis, of ``new_axis_mask`` inserts a length-1 dimension,
    of ``shrink_axis_mask`` takes the single index ``begin[i]`` and drops that dimension.

    Raises:
        InvalidArgumentError: lengths differ, a zero stride, or an index out of range.
    """
    input_ = to_tensor(input_)
    begin, end = _index_elements(begin), _index_elements(end)
    strides = [1] * len(begin) if strides is None else _index_elements(strides)
    if not len(begin) == len(end) == len(strides):
        raise invalid_arg("StridedSlice", "Expected begin, end, and strides to be 1D equal size tensors, but "
                                          f"got shapes [{len(begin)}], [{len(end)}], and [{len(strides)}] "
                                          "instead.")
    key = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if ellipsis_mask & bit:
            key.append(Ellipsis)
        elif new_axis_mask & bit:
            key.append(None)
        elif isinstance(s, int) and s == 0:
            raise invalid_arg("StridedSlice", f"strides[{i}] must be non-zero")
        elif shrink_axis_mask & bit:
            key.append(b)
        else:
            key.append(builtins.slice(None if begin_mask & bit else b, None if end_mask & bit else e, s))
    key, runtime = _lift_runtime_indices(tuple(key))
    key = normalize_index(key, _dims(input_))
    if runtime:
        return execute(DynamicStridedSlice, (input_, *runtime), {"key": key})
    return execute(StridedSlice, (input_,), {"key": key})


def _index_elements(value: Any) -> list:
    """``begin``/``end``/``strides`` as a list of Python ints, or scalar tensors where known only at run time."""
    if isinstance(value, Tensor) and not isinstance(value, EagerTensor):
        length = value.shape.as_list()[0] if value.shape.rank == 1 else None
        if length is None:
            raise ValueError(f"strided_slice needs begin, end and strides of known length, got {value}")
        return [slice_helper(value, i) for i in range(length)]
    if isinstance(value, (list, tuple)):
        return [v if isinstance(v, Tensor) and not isinstance(v, EagerTensor) else int(v) for v in value]
    return as_int_list(value)


# Scatter/gather live in indexing_ops; ``Variable.scatter_nd_*`` reaches them through this module.
from .indexing_ops import (  # noqa: E402, F401
    tensor_scatter_nd_add,
    tensor_scatter_nd_max,
    tensor_scatter_nd_min,
    tensor_scatter_nd_sub,
    tensor_scatter_nd_update,
)
