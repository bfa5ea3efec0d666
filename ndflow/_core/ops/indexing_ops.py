"""Gathers, scatters and boolean masks: ``tf.gather``, ``tf.gather_nd``, ``tf.scatter_nd``,
``tf.tensor_scatter_nd_*``, ``tf.boolean_mask`` and ``tf.repeat``.

A gather along axis 0 has ``IndexedSlices`` as its gradient (as in TF); other gradients are dense tensors.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..export import export
from ..shape import TensorShape
from ..tensor import Tensor
from . import math_ops
from ._helpers import execute, invalid_arg, is_symbolic, register, shape_text, static_value, to_tensor
from .array_ops import _dims, _scalar_int, _tf_name, expand_dims, reshape, squeeze, zeros_like
from .array_ops import shape as shape_of

_INDEX_DTYPES = ("int16", "int32", "int64")


def _check_indices(op_name: str, indices: Tensor) -> None:
    if indices.dtype.name not in _INDEX_DTYPES:
        raise invalid_arg(op_name, f"Value for attr 'Tindices' of {_tf_name(indices.dtype)} is not in the "
                                   "list of allowed values: int16, int32, int64")


def _position(index: Any) -> str:
    return ",".join(str(int(i)) for i in index)


def _like_last_input(dy, indices, like, **attrs):
    """Static rule of the gradient ops: the params' shape with the gradient's dtype."""
    return [(like[0], dy[1])]


# ---------------------------------------------------------------------------------------------------------
# gather


def _gather_index(xp, shape, indices, axis, batch_dims):
    """Reshapes for a batched gather: params → [B, M, P, N], plus the index tuple that selects [B, M, I]."""
    b = int(np.prod(shape[:batch_dims], dtype=np.int64))
    m = int(np.prod(shape[batch_dims:axis], dtype=np.int64))
    n = int(np.prod(shape[axis + 1:], dtype=np.int64))
    flat_idx = indices.reshape(b, -1)
    key = (xp.arange(b)[:, None, None], xp.arange(m)[None, :, None], flat_idx[:, None, :])
    return (b, m, shape[axis], n), key


def _gather_forward(xp, params, indices, *, axis, batch_dims):
    dim = params.shape[axis]
    bad = (indices < 0) | (indices >= dim)
    if bad.any():
        pos = tuple(xp.argwhere(bad)[0])
        raise invalid_arg("GatherV2", f"indices[{_position(pos)}] = {int(indices[pos])} is not in [0, {dim})")
    if batch_dims == 0:
        return xp.take(params, indices, axis=axis)
    flat_shape, key = _gather_index(xp, params.shape, indices, axis, batch_dims)
    out = params.reshape(flat_shape)[key]
    return out.reshape(params.shape[:axis] + indices.shape[batch_dims:] + params.shape[axis + 1:])


def _gather_grad_forward(xp, dy, indices, like, *, axis, batch_dims):
    out = xp.zeros(like.shape, dtype=dy.dtype)
    if batch_dims == 0:
        xp.add.at(out, (slice(None),) * axis + (indices,), dy)
        return out
    flat_shape, key = _gather_index(xp, like.shape, indices, axis, batch_dims)
    flat = out.reshape(flat_shape)
    xp.add.at(flat, key, dy.reshape(flat_shape[:2] + (-1, flat_shape[3])))
    return flat.reshape(like.shape)


def _gather_grad(entry, dy):
    params, indices = entry.inputs
    if entry.attrs["axis"] == 0 and entry.attrs["batch_dims"] == 0:
        # like TF: the rows that were read, as IndexedSlices of the params' shape
        from ..indexed_slices import IndexedSlices
        from .array_ops import concat, shape

        params_shape = shape(params)
        flat_indices = reshape(indices, [-1])
        values = reshape(dy, concat([shape(flat_indices), params_shape[1:]], 0))
        return IndexedSlices(values, flat_indices, params_shape), None
    return execute(GatherGrad, (dy, indices, params), entry.attrs), None


def _gather_grad_grad(entry, ddx):
    return execute(GatherV2, (ddx, entry.inputs[1]), entry.attrs), None, None


GatherV2 = register("GatherV2", _gather_forward, grad=_gather_grad)
GatherGrad = register("GatherGrad", _gather_grad_forward, grad=_gather_grad_grad, infer=_like_last_input)


@export("gather")
def gather(params: Any, indices: Any, validate_indices: Any = None, axis: Any = None, batch_dims: int = 0,
           name: str | None = None) -> Tensor:
    """Slices of ``params`` along ``axis`` at ``indices``; the first ``batch_dims`` dims are batch dims shared
    by ``params`` and ``indices``.

    The result has shape ``params.shape[:axis] + indices.shape[batch_dims:] + params.shape[axis + 1:]``.

    Raises:
        InvalidArgumentError: an index outside ``[0, params.shape[axis])``, bad ``axis``/``batch_dims``,
            mismatched batch dims or non-integer indices.
    """
    params, indices = to_tensor(params), to_tensor(indices)
    _check_indices("GatherV2", indices)
    rank = params.ndim
    if rank == 0:
        raise invalid_arg("GatherV2", "params must be at least 1 dimensional")
    given = batch_dims = int(batch_dims)
    if batch_dims < 0:
        batch_dims += indices.ndim
    if not 0 <= batch_dims <= indices.ndim:
        raise invalid_arg("GatherV2", f"Expected batch_dims in the range [{-indices.ndim}, {indices.ndim}], "
                                      f"but got {given}")
    axis = batch_dims if axis is None else _scalar_int(axis)
    if axis < 0:
        axis += rank
    if not 0 <= axis < rank:
        raise invalid_arg("GatherV2", f"Shape must be at least rank {axis + 1} but is rank {rank}")
    if batch_dims > axis:
        raise invalid_arg("GatherV2", f"batch_dims ({batch_dims}) must be less than or equal to axis "
                                      f"({axis}).")
    p_shape, i_shape = _dims(params), _dims(indices)
    for d in range(batch_dims):
        if p_shape[d] != i_shape[d]:
            raise invalid_arg("GatherV2", f"params.shape[{d}]: {p_shape[d]} should be equal to "
                                          f"indices.shape[{d}]: {i_shape[d]}")
    return execute(GatherV2, (params, indices), {"axis": axis, "batch_dims": batch_dims})


# ---------------------------------------------------------------------------------------------------------
# gather_nd / scatter_nd


def _nd_key(xp, shape, indices, batch_dims):
    """Reshapes for an N-d gather: params → [B, *rest], plus the index tuple selecting [B, I]."""
    b = int(np.prod(shape[:batch_dims], dtype=np.int64))
    k = indices.shape[-1]
    flat_idx = indices.reshape(b, -1, k)
    key = (xp.arange(b)[:, None],) + tuple(flat_idx[..., j] for j in range(k))
    return (b,) + tuple(shape[batch_dims:]), key


def _check_nd_indices(xp, op_name, indices, shape, what):
    k = indices.shape[-1]
    flat = indices.reshape(-1, k)
    bad = ((flat < 0) | (flat >= xp.asarray(shape[:k], dtype=flat.dtype))).any(axis=1)
    if bad.any():
        i = int(xp.argmax(bad))
        index = ", ".join(str(int(v)) for v in flat[i])
        raise invalid_arg(op_name, f"indices[{i}] = [{index}] does not index into {what} {shape_text(shape)}"
                                   + (", node name: GatherNd" if op_name == "GatherNd" else ""))


def _gather_nd_forward(xp, params, indices, *, batch_dims):
    k = indices.shape[-1]
    out_shape = indices.shape[:-1] + params.shape[batch_dims + k:]
    if k == 0:
        index_dims = (1,) * (indices.ndim - 1 - batch_dims)
        spread = params.reshape(params.shape[:batch_dims] + index_dims + params.shape[batch_dims:])
        return xp.broadcast_to(spread, out_shape).copy()
    _check_nd_indices(xp, "GatherNd", indices, params.shape[batch_dims:], "param shape")
    if batch_dims == 0:
        return params[tuple(indices[..., j] for j in range(k))].reshape(out_shape)
    flat_shape, key = _nd_key(xp, params.shape, indices, batch_dims)
    return params.reshape(flat_shape)[key].reshape(out_shape)


def _gather_nd_grad_forward(xp, dy, indices, like, *, batch_dims):
    k = indices.shape[-1]
    if k == 0:
        grouped = dy.reshape(like.shape[:batch_dims] + (-1,) + like.shape[batch_dims:])
        return grouped.sum(axis=batch_dims, dtype=dy.dtype)
    out = xp.zeros(like.shape, dtype=dy.dtype)
    if batch_dims == 0:
        key = tuple(indices[..., j] for j in range(k))
        xp.add.at(out, key, dy.reshape(indices.shape[:-1] + like.shape[k:]))
        return out
    flat_shape, key = _nd_key(xp, like.shape, indices, batch_dims)
    flat = out.reshape(flat_shape)
    xp.add.at(flat, key, dy.reshape((flat_shape[0], -1) + flat_shape[1 + k:]))
    return flat.reshape(like.shape)


def _gather_nd_grad(entry, dy):
    params, indices = entry.inputs
    return execute(GatherNdGrad, (dy, indices, params), entry.attrs), None


def _gather_nd_grad_grad(entry, ddx):
    return execute(GatherNd, (ddx, entry.inputs[1]), entry.attrs), None, None


GatherNd = register("GatherNd", _gather_nd_forward, grad=_gather_nd_grad)
GatherNdGrad = register("GatherNdGrad", _gather_nd_grad_forward, grad=_gather_nd_grad_grad,
                        infer=_like_last_input)


@export("gather_nd")
def gather_nd(params: Any, indices: Any, batch_dims: int = 0, name: str | None = None) -> Tensor:
    """Gathers slices of ``params`` addressed by the innermost dimension of ``indices`` (``K`` coordinates).

    The result has shape ``indices.shape[:-1] + params.shape[batch_dims + K:]``.

    Raises:
        InvalidArgumentError: an index outside ``params``, ``K`` larger than the rank, scalar or
            non-integer indices.
    """
    params, indices = to_tensor(params), to_tensor(indices)
    _check_indices("GatherNd", indices)
    if indices.ndim == 0:
        raise invalid_arg("GatherNd", "indices must be at least a vector")
    batch_dims = int(batch_dims)
    if batch_dims < 0:
        batch_dims += indices.ndim
    p_shape, i_shape = _dims(params), _dims(indices)
    if i_shape[-1] > len(p_shape) - batch_dims:
        raise invalid_arg("GatherNd", "index innermost dimension length must be <= params rank; saw: "
                                      f"{i_shape[-1]} vs. {len(p_shape) - batch_dims}")
    for d in range(batch_dims):
        if p_shape[d] != i_shape[d]:
            raise invalid_arg("GatherNd", "Batch dimensions of params and indices must match: params.shape"
                                          f"[{d}]: {p_shape[d]} vs. indices.shape[{d}]: {i_shape[d]}")
    return execute(GatherNd, (params, indices), {"batch_dims": batch_dims})


def _check_scatter_shapes(op_name: str, indices: Tensor, updates: Tensor, shape: tuple) -> None:
    i_shape, u_shape = _dims(indices), _dims(updates)
    if indices.ndim == 0:
        raise invalid_arg(op_name, "Indices shape must have rank at least one.")
    k = i_shape[-1]
    outer = len(i_shape) - 1
    if k > len(shape):
        raise invalid_arg(op_name, f"Index innermost dimension length must be <= output rank; saw: {k} vs. "
                                   f"{len(shape)}")
    if u_shape[:outer] != i_shape[:-1]:
        raise invalid_arg(op_name, f"Outer dimensions of indices and update must match. Indices shape: "
                                   f"{shape_text(i_shape)}, updates shape:{shape_text(u_shape)}")
    if u_shape[outer:] != tuple(shape[k:]):
        raise invalid_arg(op_name, f"Dimensions [{k},{len(shape)}) of input[shape={shape_text(shape)}] must "
                                   f"match dimensions [{outer},{len(u_shape)}) of "
                                   f"updates[shape={shape_text(u_shape)}]")


def _scatter_nd_forward(xp, indices, updates, *, shape):
    _check_nd_indices(xp, "ScatterNd", indices, shape, "shape")
    out = xp.zeros(shape, dtype=updates.dtype)
    key = tuple(indices[..., j] for j in range(indices.shape[-1]))
    if out.dtype.kind == "b":
        xp.logical_or.at(out, key, updates)
    else:
        xp.add.at(out, key, updates)
    return out


def _scatter_nd_grad(entry, dy):
    return None, gather_nd(dy, entry.inputs[0])


ScatterNd = register("ScatterNd", _scatter_nd_forward, grad=_scatter_nd_grad)


@export("scatter_nd")
def scatter_nd(indices: Any, updates: Any, shape: Any, name: str | None = None) -> Tensor:
    """A tensor of ``shape`` holding zeros except ``updates`` at ``indices`` (duplicate indices add up).

    Raises:
        InvalidArgumentError: an index outside ``shape``, mismatched ``updates`` shape, or ``shape`` of
            another integer dtype than ``indices``.
    """
    indices, updates = to_tensor(indices), to_tensor(updates)
    _check_indices("ScatterNd", indices)
    if isinstance(shape, Tensor) and shape.dtype is not indices.dtype:
        raise InvalidArgumentError(
            None, None, f"cannot compute ScatterNd as input #2(zero-based) was expected to be a "
                        f"{indices.dtype.name} tensor but is a {shape.dtype.name} tensor [Op:ScatterNd]")
    shape = tuple(int(d) for d in np.asarray(shape).reshape(-1))
    _check_scatter_shapes("ScatterNd", indices, updates, shape)
    return execute(ScatterNd, (indices, updates), {"shape": shape})


# ---------------------------------------------------------------------------------------------------------
# tensor_scatter_nd_*


def _tensor_scatter_forward(how):
    def forward(xp, tensor, indices, updates):
        _check_nd_indices(xp, _SCATTER_NAMES[how], indices, tensor.shape, "shape")
        out = tensor.copy()
        key = tuple(indices[..., j] for j in range(indices.shape[-1]))
        if how == "update":
            out[key] = updates
        else:
            getattr(xp, how).at(out, key, updates)
        return out

    return forward


def _scatter_update_grad(entry, dy):
    indices, updates = entry.inputs[1:]
    return tensor_scatter_nd_update(dy, indices, zeros_like(updates)), None, gather_nd(dy, indices)


def _scatter_add_grad(entry, dy):
    return dy, None, gather_nd(dy, entry.inputs[1])


def _scatter_sub_grad(entry, dy):
    return dy, None, math_ops.negative(gather_nd(dy, entry.inputs[1]))


def _min_max_weights_forward(xp, tensor, indices, updates, out):
    """Where each output came from: 1/ties on the tensor elements and updates that equal it, else 0."""
    key = tuple(indices[..., j] for j in range(indices.shape[-1]))
    from_tensor = (tensor == out).astype(out.dtype)
    from_updates = (updates == out[key]).astype(out.dtype)
    count = from_tensor.copy()
    xp.add.at(count, key, from_updates)
    return from_tensor / count, from_updates / count[key]


def _scatter_min_max_grad(entry, dy):
    tensor, indices, updates = entry.inputs
    w_tensor, w_updates = execute(MinMaxWeights, (tensor, indices, updates, entry.outputs[0]))
    return math_ops.multiply(dy, w_tensor), None, math_ops.multiply(gather_nd(dy, indices), w_updates)


_SCATTER_NAMES = {"update": "TensorScatterUpdate", "add": "TensorScatterAdd", "subtract": "TensorScatterSub",
                  "maximum": "TensorScatterMax", "minimum": "TensorScatterMin"}
MinMaxWeights = register("TensorScatterMinMaxWeights", _min_max_weights_forward, num_outputs=2)
TensorScatterUpdate = register("TensorScatterUpdate", _tensor_scatter_forward("update"),
                               grad=_scatter_update_grad)
TensorScatterAdd = register("TensorScatterAdd", _tensor_scatter_forward("add"), grad=_scatter_add_grad)
TensorScatterSub = register("TensorScatterSub", _tensor_scatter_forward("subtract"), grad=_scatter_sub_grad)
TensorScatterMax = register("TensorScatterMax", _tensor_scatter_forward("maximum"),
                            grad=_scatter_min_max_grad)
TensorScatterMin = register("TensorScatterMin", _tensor_scatter_forward("minimum"),
                            grad=_scatter_min_max_grad)


def _tensor_scatter(op, tensor: Any, indices: Any, updates: Any) -> Tensor:
    tensor, indices = to_tensor(tensor), to_tensor(indices)
    updates = updates if isinstance(updates, Tensor) else to_tensor(updates, dtype_hint=tensor.dtype)
    _check_indices(op.name, indices)
    if updates.dtype is not tensor.dtype:
        raise InvalidArgumentError(
            None, None, f"cannot compute {op.name} as input #2(zero-based) was expected to be a "
                        f"{_tf_name(tensor.dtype)} tensor but is a {_tf_name(updates.dtype)} tensor "
                        f"[Op:{op.name}]")
    _check_scatter_shapes(op.name, indices, updates, _dims(tensor))
    return execute(op, (tensor, indices, updates))


@export("tensor_scatter_nd_update")
def tensor_scatter_nd_update(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` written at ``indices`` (for duplicates, the last one wins).

    Raises:
        InvalidArgumentError: an index out of range, mismatched shapes or dtypes.
    """
    return _tensor_scatter(TensorScatterUpdate, tensor, indices, updates)


@export("tensor_scatter_nd_add")
def tensor_scatter_nd_add(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` added at ``indices`` (duplicates add up)."""
    return _tensor_scatter(TensorScatterAdd, tensor, indices, updates)


@export("tensor_scatter_nd_sub")
def tensor_scatter_nd_sub(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` subtracted at ``indices``."""
    return _tensor_scatter(TensorScatterSub, tensor, indices, updates)


@export("tensor_scatter_nd_max")
def tensor_scatter_nd_max(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """A copy of ``tensor`` holding the elementwise maximum with ``updates`` at ``indices``."""
    return _tensor_scatter(TensorScatterMax, tensor, indices, updates)


@export("tensor_scatter_nd_min")
def tensor_scatter_nd_min(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
    """A copy of ``tensor`` holding the elementwise minimum with ``updates`` at ``indices``."""
    return _tensor_scatter(TensorScatterMin, tensor, indices, updates)


# ---------------------------------------------------------------------------------------------------------
# boolean_mask

MaskIndices = register("MaskIndices", lambda xp, mask: xp.flatnonzero(mask).astype(xp.int64))


@export("boolean_mask")
def boolean_mask(tensor: Any, mask: Any, axis: Any = None, name: str = "boolean_mask") -> Tensor:
    """The elements (or slices) of ``tensor`` where ``mask`` is true; ``mask`` covers dims ``axis`` to
    ``axis + mask.ndim`` of ``tensor``, which collapse into one dimension.

    Raises:
        ValueError: a scalar mask, or a mask whose shape does not match those dimensions.
    """
    tensor, mask = to_tensor(tensor), to_tensor(mask)
    m = mask.ndim
    if m == 0:
        raise ValueError("mask cannot be scalar.")
    axis = 0 if axis is None else _scalar_int(axis)
    dims = list(_dims(tensor))
    covered, mask_shape = tuple(dims[axis:axis + m]), _dims(mask)
    if covered != mask_shape:
        raise ValueError(f"Shapes {covered} and {mask_shape} are incompatible")
    flat = reshape(tensor, dims[:axis] + [-1] + dims[axis + m:])
    return gather(flat, execute(MaskIndices, (mask,)), axis=axis)


# ---------------------------------------------------------------------------------------------------------
# repeat


def _repeat_indices_forward(xp, repeats, shape, *, axis):
    """The gather indices of ``repeat``: each position along ``axis`` listed ``repeats`` times."""
    size = int(shape[axis])
    if repeats.ndim == 0:
        if repeats < 0:
            raise invalid_arg("Tile", f"Expected multiples[{axis + 1}] >= 0, but got {int(repeats)}")
        counts = xp.full(size, repeats, dtype=xp.int64)
    elif repeats.size in (1, size):
        counts = xp.broadcast_to(xp.maximum(repeats, 0), (size,))
    else:
        raise invalid_arg("Repeat", f"repeats has {repeats.size} entries but the repeated dimension has {size}")
    return xp.repeat(xp.arange(size, dtype=xp.int64), counts)


RepeatIndices = register("RepeatIndices", _repeat_indices_forward,
                         infer=lambda repeats, shape, **attrs: [(TensorShape([None]), dtypes.int64)])


@export("repeat")
def repeat(input: Any, repeats: Any, axis: Any = None, name: str | None = None) -> Tensor:
    """Repeats each slice of ``input`` along ``axis`` (``None``: of the flattened input) ``repeats`` times.

    Args:
        repeats: one count for every slice, or a 1-D list/tensor of counts, one per slice (or a single one);
            negative counts in a list count as 0.

    Raises:
        TypeError: non-integer ``repeats``.
        ValueError: ``repeats`` of rank above 1, a number of counts that does not match the dimension, or
            ``axis`` out of range.
        InvalidArgumentError: a negative scalar count.
        NotImplementedError: an ``axis`` of an input of unknown rank (inside a function).
    """
    x = to_tensor(input)
    counts = to_tensor(repeats, dtype_hint=dtypes.int32)
    if not counts.dtype.is_integer:
        raise TypeError(f"Argument `tensor` (name: repeats) must be of type integer. Received `tensor` = "
                        f"{repeats} of dtype: <dtype: '{counts.dtype.name}'>")
    if counts.shape.rank is not None and counts.shape.rank > 1:
        raise ValueError(f"Shape {counts.shape} must have rank at most 1")
    if axis is None:
        x, axis = reshape(x, [-1]), 0
    rank = x.shape.rank
    if rank is None:
        raise NotImplementedError("tf.repeat along an axis of a tensor of unknown rank is not supported yet")
    axis = _scalar_int(axis)
    if not -rank <= axis < rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
    axis %= rank
    size = x.shape[axis]
    n = counts.shape[0] if counts.shape.rank == 1 else None
    if n not in (None, 1) and size is not None and n != size:
        raise ValueError(f"Dimensions {size} and {n} are not compatible")
    indices = execute(RepeatIndices, (counts, shape_of(x)), {"axis": axis})
    # gathered along a non-leading axis so that the gradient is a dense tensor, as TF's repeat gives
    out = squeeze(gather(expand_dims(x, 0), indices, axis=axis + 1), [0])
    if is_symbolic(out) and size is not None and static_value(repeats) is not None:
        dims = out.shape.as_list()
        dims[axis] = int(np.sum(np.broadcast_to(np.maximum(static_value(repeats), 0), (size,))))
        out.set_shape(dims)
    return out


@export("reverse_sequence")
def reverse_sequence(input: Any, seq_lengths: Any, seq_axis: int | None = None, batch_axis: int | None = None,
                     name: str | None = None, seq_dim: int | None = None, batch_dim: int | None = None) -> Tensor:
    """Reverses the first ``seq_lengths[b]`` entries along ``seq_axis`` of each slice ``b`` of ``batch_axis``.

    Raises:
        ValueError: no ``seq_axis``.
        InvalidArgumentError: a length beyond the sequence axis, or lengths not matching the batch size.
    """
    from .array_ops import transpose
    from .creation_ops import range as range_

    input = to_tensor(input)
    seq_axis = seq_dim if seq_axis is None else seq_axis
    batch_axis = (batch_dim if batch_dim is not None else 0) if batch_axis is None else batch_axis
    if seq_axis is None:
        raise ValueError("reverse_sequence needs seq_axis")
    rank = input.shape.rank
    seq_axis, batch_axis = seq_axis % rank, batch_axis % rank
    lengths = math_ops.cast(to_tensor(seq_lengths), dtypes.int32)
    known = static_value(lengths)
    dims = _dims(input)
    if known is not None and dims[seq_axis] is not None and np.any(np.asarray(known) > dims[seq_axis]):
        raise invalid_arg("ReverseSequence", f"seq_lens({int(np.argmax(known))}) > input.dims({seq_axis})")
    if known is not None and dims[batch_axis] is not None and np.size(known) != dims[batch_axis]:
        raise invalid_arg("ReverseSequence", f"Length of seq_lengths != input.dims({batch_axis}), "
                                             f"({np.size(known)} vs. {dims[batch_axis]})")
    rest = [a for a in range(rank) if a not in (batch_axis, seq_axis)]
    order = [batch_axis, seq_axis, *rest]
    moved = transpose(input, order)
    steps = range_(shape_of(moved)[1])[None, :]
    n = lengths[:, None]
    index = math_ops.maximum(n - 1 - steps, 0) * math_ops.cast(steps < n, dtypes.int32) \
        + steps * math_ops.cast(steps >= n, dtypes.int32)
    out = gather(moved, index, batch_dims=1)
    return transpose(out, [order.index(a) for a in range(rank)])
