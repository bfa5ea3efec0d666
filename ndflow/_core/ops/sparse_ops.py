"""``tf.sparse``: ops on ``SparseTensor`` values, set operations (``tf.sets``) and sparse embedding lookups.

Each op splits into a *plan* kernel working on the integer coordinates (NumPy bookkeeping, no gradient)
and differentiable value ops built from existing ones: ``gather_drop_negatives`` moves values to new
positions (``-1`` gives 0) and a segment sum adds values that land on the same coordinate. Gradients with
respect to ``values`` (and dense operands) therefore come from those ops, and everything also runs inside
graphs, where the coordinates are known only at run time.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..export import export
from ..indexed_slices import IndexedSlices
from ..shape import TensorShape
from ..sparse_tensor import SparseTensor
from ..tensor import EagerTensor, Tensor
from . import array_ops, math_ops, segment_ops
from ._helpers import execute, register, shape_text, to_tensor
from .indexing_ops import gather, gather_nd
from .reduction_ops import reduce_prod, reduce_sum

_INT64 = np.int64


def _error(op_name: str, message: str) -> InvalidArgumentError:
    """TF's eager error text for a sparse kernel."""
    return InvalidArgumentError(None, None, f"{message} [Op:{op_name}] name: ")


def _specs(*items: tuple) -> Callable:
    """A static shape rule giving fixed ``(dims, dtype)`` outputs (dims may hold None)."""
    return lambda *inputs, **attrs: [(TensorShape(d), dtypes.as_dtype(t)) for d, t in items]


def _sparse(x: Any, what: str = "Input") -> SparseTensor:
    if not isinstance(x, SparseTensor):
        raise TypeError(f"{what} must be a SparseTensor.")
    return x


def _rank(sp: SparseTensor) -> int:
    """The static rank of ``sp`` (from its dense shape or the width of its indices).

    Raises:
        ValueError: the rank is not known before running.
    """
    rank = sp.shape.rank
    if rank is None:
        rank = sp.indices.shape[1] if sp.indices.shape.rank else None
    if rank is None:
        raise ValueError("The rank of the SparseTensor must be known statically.")
    return rank


def _take(values: Tensor, positions: Tensor) -> Tensor:
    """``values[positions]`` with zeros where a position is -1 (dense gradient)."""
    return segment_ops.gather_drop_negatives(values, positions)


def _sum_into(values: Tensor, positions: Tensor, like: Tensor) -> Tensor:
    """Adds ``values`` into as many slots as ``like`` has rows, slot ``positions[i]`` for value ``i``."""
    return segment_ops._reduce_like("sum", values, positions, like)


def _new(indices: Tensor, values: Tensor, dense_shape: Tensor, shape: TensorShape | None = None) -> SparseTensor:
    """A SparseTensor whose static shape also takes what ``shape`` knows (graphs lose it in the ops)."""
    out = SparseTensor(indices, values, dense_shape)
    if shape is not None and shape.rank is not None and out.shape.rank == shape.rank:
        out._shape = TensorShape([a if a is not None else b for a, b in zip(out.shape.dims, shape.dims)])
    return out


def _lexsort(indices: np.ndarray) -> np.ndarray:
    """The stable permutation putting coordinates in row-major order."""
    if indices.shape[0] == 0 or indices.shape[1] == 0:
        return np.arange(indices.shape[0], dtype=_INT64)
    return np.lexsort(indices.T[::-1]).astype(_INT64)


def _unique_rows(indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct coordinates and, for each input row, the position of its coordinate among them."""
    if indices.shape[0] == 0:
        return indices.reshape(0, indices.shape[1]).astype(_INT64), np.zeros(0, _INT64)
    if indices.shape[1] == 0:
        return np.zeros((1, 0), _INT64), np.zeros(indices.shape[0], _INT64)
    unique, inverse = np.unique(indices, axis=0, return_inverse=True)
    return unique.astype(_INT64), inverse.reshape(-1).astype(_INT64)


# ---------------------------------------------------------------------------------------------------------
# to_dense


def _position_text(index: np.ndarray) -> str:
    return "[" + ",".join(str(int(v)) for v in index) + "]"


def _validate_positions(op_name: str, indices: np.ndarray, shape: tuple, ordered: bool) -> None:
    """TF's checks, in index order: each coordinate inside ``shape`` and (``ordered``) strictly increasing."""
    bounds = np.asarray(shape, dtype=_INT64)
    outside = ((indices < 0) | (indices >= bounds)).any(axis=1)
    flags = outside.copy()
    if ordered and indices.shape[0] > 1:
        flat = np.ravel_multi_index(np.clip(indices, 0, np.maximum(bounds - 1, 0)).T, shape) \
            if len(shape) else np.zeros(indices.shape[0], _INT64)
        flags[1:] |= flat[1:] <= flat[:-1]
    if not flags.any():
        return
    i = int(np.argmax(flags))
    where = f"indices[{i}] = {_position_text(indices[i])}"
    if outside[i]:
        raise _error(op_name, f"{where} is out of bounds: need 0 <= index < {shape_text(shape)}")
    flat_i = np.ravel_multi_index(indices[i], shape)
    flat_prev = np.ravel_multi_index(indices[i - 1], shape)
    if flat_i == flat_prev:
        raise _error(op_name, f"{where} is repeated")
    raise _error(op_name, f"{where} is out of order. Many sparse ops require sorted indices.\n    Use "
                          "`tf.sparse.reorder` to create a correctly ordered copy.\n\n")


def _to_dense_forward(xp, indices, values, dense_shape, default_value, *, validate):
    shape = tuple(int(d) for d in dense_shape)
    _validate_positions("SparseToDense", indices, shape, validate)
    out = xp.full(shape, default_value[()], dtype=values.dtype)
    if not shape:
        return values[-1].copy() if values.size else out
    if indices.shape[0]:
        out[tuple(indices.T)] = values
    return out


def _to_dense_grad(entry, dy):
    indices = entry.inputs[0]
    d_values = gather_nd(dy, indices)
    d_default = math_ops.subtract(reduce_sum(dy), reduce_sum(d_values))
    return None, d_values, None, d_default


def _to_dense_infer(indices, values, dense_shape, default_value, *, validate):
    rank = dense_shape[0].as_list()[0] if dense_shape[0].rank else None
    return [(TensorShape(None if rank is None else [None] * rank), values[1])]


SparseToDense = register("SparseToDense", _to_dense_forward, grad=_to_dense_grad, infer=_to_dense_infer)


def _default_of(dtype: dtypes.DType, default_value: Any) -> Tensor:
    if default_value is None:
        return to_tensor(b"" if dtype is dtypes.string else np.zeros((), dtype._np), dtype=dtype)
    return to_tensor(default_value, dtype=dtype)


@export("sparse.to_dense")
def to_dense(sp_input: Any, default_value: Any = None, validate_indices: bool = True,
             name: str | None = None) -> Tensor:
    """The dense tensor: ``values`` at ``indices``, ``default_value`` (0 or ``b""``) elsewhere.

    Raises:
        TypeError: ``sp_input`` is not a SparseTensor.
        InvalidArgumentError: an index out of bounds, or (``validate_indices``) repeated or out of order.
    """
    sp = _sparse(sp_input)
    default = _default_of(sp.dtype, default_value)
    out = execute(SparseToDense, (sp.indices, sp.values, sp.dense_shape, default),
                  {"validate": bool(validate_indices)})
    if not isinstance(out, EagerTensor) and sp.shape.rank is not None:
        out.set_shape(sp.shape)
    return out


@export("sparse.from_dense")
def from_dense(tensor: Any, name: str | None = None) -> SparseTensor:
    """The SparseTensor of the non-zero (non-empty for strings, True for bools) entries of ``tensor``."""
    tensor = to_tensor(tensor)
    zero = b"" if tensor.dtype is dtypes.string else np.zeros((), tensor.dtype._np)
    indices = math_ops.where(math_ops.not_equal(tensor, to_tensor(zero, dtype=tensor.dtype)))
    values = gather_nd(tensor, indices)
    return _new(indices, values, array_ops.shape(tensor, out_type=dtypes.int64), tensor.shape)


# ---------------------------------------------------------------------------------------------------------
# reorder, reshape, slice, concat


def _reorder_forward(xp, indices, dense_shape):
    order = _lexsort(indices)
    return indices[order], order


SparseReorder = register("SparseReorder", _reorder_forward,
                         infer=lambda idx, shape: [(idx[0], dtypes.int64), (TensorShape([None]), dtypes.int64)],
                         num_outputs=2)


@export("sparse.reorder")
def reorder(sp_input: Any, name: str | None = None) -> SparseTensor:
    """The same SparseTensor with its entries in row-major (lexicographic) order."""
    sp = _sparse(sp_input)
    indices, order = execute(SparseReorder, (sp.indices, sp.dense_shape))
    return _new(indices, _take(sp.values, order), sp.dense_shape, sp.shape)


def _reshape_forward(xp, indices, dense_shape, new_shape):
    shape = [int(d) for d in dense_shape]
    target = [int(d) for d in new_shape]
    total = int(np.prod(shape, dtype=_INT64))
    unknown = [i for i, d in enumerate(target) if d == -1]
    if len(unknown) > 1:
        raise _error("SparseReshape", f"only one output dimension may be -1, not both {unknown[0]} and "
                                      f"{unknown[1]}")
    known = int(np.prod([d for d in target if d != -1], dtype=_INT64))
    if unknown:
        if known == 0 or total % known:
            raise _error("SparseReshape", f"Input to reshape is a SparseTensor with {total} dense values, but the "
                                          f"requested shape requires a multiple of {known}. input_shape="
                                          f"{shape_text(shape)} output_shape={shape_text(target)}")
        target[unknown[0]] = total // known
    elif known != total:
        raise _error("SparseReshape", f"Input to reshape is a tensor with {total} dense values, but the requested "
                                      f"shape has {known}. input_shape={shape_text(shape)} output_shape="
                                      f"{shape_text(target)}")
    out_shape = np.asarray(target, dtype=_INT64)
    if indices.shape[0] == 0:
        return np.zeros((0, len(target)), _INT64), out_shape
    flat = np.ravel_multi_index(indices.T, shape) if shape else np.zeros(indices.shape[0], _INT64)
    if not target:
        return np.zeros((indices.shape[0], 0), _INT64), out_shape
    return np.stack(np.unravel_index(flat, target), axis=1).astype(_INT64), out_shape


def _reshape_infer(indices, dense_shape, new_shape):
    rank = new_shape[0].as_list()[0] if new_shape[0].rank else None
    return [(TensorShape([None, rank]), dtypes.int64), (TensorShape([rank]), dtypes.int64)]


SparseReshape = register("SparseReshape", _reshape_forward, infer=_reshape_infer, num_outputs=2)


@export("sparse.reshape")
def reshape(sp_input: Any, shape: Any, name: str | None = None) -> SparseTensor:
    """The SparseTensor of ``shape`` holding the same values in row-major order (one dim may be -1).

    Raises:
        InvalidArgumentError: the element counts differ, or more than one -1.
    """
    sp = _sparse(sp_input)
    new_shape = to_tensor(shape, dtype=dtypes.int64) if not isinstance(shape, Tensor) else \
        math_ops.cast(shape, dtypes.int64)
    indices, out_shape = execute(SparseReshape, (sp.indices, sp.dense_shape, new_shape))
    return SparseTensor(indices, sp.values, out_shape)


def _slice_forward(xp, indices, dense_shape, start, size):
    start, size = start.astype(_INT64), size.astype(_INT64)
    shape = dense_shape.astype(_INT64)
    begin = np.minimum(start, shape)
    out_shape = np.maximum(np.minimum(start + size, shape) - begin, 0)
    keep = ((indices >= start) & (indices < start + size)).all(axis=1) if indices.shape[0] else \
        np.zeros(0, bool)
    positions = np.flatnonzero(keep).astype(_INT64)
    return (indices[keep] - start).astype(_INT64), positions, out_shape.astype(_INT64)


SparseSlice = register("SparseSlice", _slice_forward, num_outputs=3,
                       infer=lambda idx, shape, start, size: [(idx[0], dtypes.int64),
                                                              (TensorShape([None]), dtypes.int64),
                                                              (shape[0], dtypes.int64)])


@export("sparse.slice")
def sparse_slice(sp_input: Any, start: Any, size: Any, name: str | None = None) -> SparseTensor:
    """The entries inside the box ``[start, start + size)``, re-based at ``start`` (clipped to the shape)."""
    sp = _sparse(sp_input)
    start = to_tensor(start, dtype=dtypes.int64) if not isinstance(start, Tensor) else start
    size = to_tensor(size, dtype=dtypes.int64) if not isinstance(size, Tensor) else size
    indices, positions, out_shape = execute(SparseSlice, (sp.indices, sp.dense_shape, start, size))
    return SparseTensor(indices, _take(sp.values, positions), out_shape)


def _concat_forward(xp, *parts, n, axis, expand):
    indices, shapes = parts[:n], [p.astype(_INT64) for p in parts[n:]]
    rank = shapes[0].shape[0]
    if not -rank <= axis < rank:
        raise _error("SparseConcat", f"Concat dimension must be in range [{-rank}, {rank}), got {axis}")
    axis %= rank
    for k, s in enumerate(shapes[1:], 1):
        if s.shape[0] != rank:
            raise _error("SparseConcat", f"Ranks of all input tensors must match: expected {rank} but got "
                                         f"{s.shape[0]} at position {k}")
    out_shape = shapes[0].copy()
    if expand:
        out_shape = np.max(np.stack(shapes), axis=0)
    else:
        for k, s in enumerate(shapes[1:], 1):
            for d in range(rank):
                if d != axis and s[d] != shapes[0][d]:
                    raise _error("SparseConcat", f"Input shapes must match: expected {shapes[0][d]} for dimension "
                                                 f"{d} but got {s[d]} at position {k}")
    offsets = np.cumsum([0] + [int(s[axis]) for s in shapes])
    out_shape[axis] = offsets[-1]
    shifted = []
    for idx, offset in zip(indices, offsets):
        moved = idx.astype(_INT64).copy()
        moved[:, axis] += offset
        shifted.append(moved)
    stacked = np.concatenate(shifted, axis=0) if shifted else np.zeros((0, rank), _INT64)
    order = _lexsort(stacked)
    return stacked[order], order, out_shape


SparseConcat = register("SparseConcat", _concat_forward, num_outputs=3,
                        infer=lambda *parts, n, axis, expand: [(TensorShape([None, parts[n][0].as_list()[0]
                                                                             if parts[n][0].rank else None]),
                                                                dtypes.int64),
                                                               (TensorShape([None]), dtypes.int64),
                                                               (parts[n][0], dtypes.int64)])


@export("sparse.concat")
def concat(axis: int, sp_inputs: list, expand_nonconcat_dims: bool = False, concat_dim: Any = None,
           name: str | None = None) -> SparseTensor:
    """Joins SparseTensors along ``axis``; the result's entries are in row-major order.

    With ``expand_nonconcat_dims`` the other dimensions may differ and take their largest size.

    Raises:
        InvalidArgumentError: ``axis`` out of range, or shapes that differ outside ``axis``.
    """
    if concat_dim is not None:
        axis = concat_dim
    inputs = [_sparse(s, "Input") for s in sp_inputs]
    if len(inputs) == 1:
        return inputs[0]
    values = array_ops.concat([s.values for s in inputs], 0)
    parts = tuple(s.indices for s in inputs) + tuple(s.dense_shape for s in inputs)
    indices, order, out_shape = execute(SparseConcat, parts, {"n": len(inputs), "axis": int(axis),
                                                              "expand": bool(expand_nonconcat_dims)})
    return SparseTensor(indices, _take(values, order), out_shape)


@export("sparse.split")
def split(sp_input: Any = None, num_split: int | None = None, axis: int | None = None,
          name: str | None = None) -> list:
    """``num_split`` SparseTensors slicing ``sp_input`` along ``axis`` (the first pieces one larger when the
    size does not divide evenly).

    Raises:
        ValueError: ``num_split`` or ``axis`` missing, or an unknown dimension size.
    """
    if num_split is None or axis is None:
        raise ValueError("Argument `num_split` and `axis` must be specified.")
    sp = _sparse(sp_input)
    rank = _rank(sp)
    axis = int(axis) % rank
    size = sp.shape[axis]
    if size is None:
        raise ValueError("sparse.split needs the size of the split dimension to be known statically.")
    base, extra = divmod(size, int(num_split))
    pieces, begin = [], 0
    for k in range(int(num_split)):
        length = base + (1 if k < extra else 0)
        start = [0] * rank
        start[axis] = begin
        box = [d if d is not None else -1 for d in sp.shape.as_list()]
        box[axis] = length
        pieces.append(sparse_slice(sp, start, box))
        begin += length
    return pieces


# ---------------------------------------------------------------------------------------------------------
# add, maximum, minimum


def _union_forward(xp, a_indices, a_shape, b_indices, b_shape, *, op_name):
    if a_shape.shape != b_shape.shape:
        raise _error(op_name, f"Operands do not have the same ranks; got shapes: {shape_text(a_shape)} and "
                              f"{shape_text(b_shape)}")
    for d, (x, y) in enumerate(zip(a_shape, b_shape)):
        if x != y:
            raise _error(op_name, f"Operands' shapes do not match: got {int(x)} and {int(y)} for dimension {d}")
    merged, inverse = _unique_rows(np.concatenate([a_indices, b_indices], axis=0).astype(_INT64))
    n = a_indices.shape[0]
    return merged, inverse[:n], inverse[n:]


def _union_infer(a_indices, a_shape, b_indices, b_shape, *, op_name):
    return [(a_indices[0], dtypes.int64), (TensorShape([None]), dtypes.int64), (TensorShape([None]), dtypes.int64)]


SparseUnionPlan = register("SparseUnionPlan", _union_forward, infer=_union_infer, num_outputs=3)


def _check_values_dtype(op_name: str, a: SparseTensor, b: SparseTensor, position: int) -> None:
    if a.dtype is not b.dtype:
        from ..tensor import _tf_type_name

        raise InvalidArgumentError(
            None, None, f"cannot compute {op_name} as input #{position}(zero-based) was expected to be a "
                        f"{_tf_type_name(a.dtype)} tensor but is a {_tf_type_name(b.dtype)} tensor [Op:{op_name}] "
                        "name: ")


def _aligned(a: SparseTensor, b: SparseTensor, op_name: str) -> tuple[Tensor, Tensor, Tensor]:
    """The union of both patterns and each operand's values laid out on it (0 where absent)."""
    merged, a_pos, b_pos = execute(SparseUnionPlan, (a.indices, a.dense_shape, b.indices, b.dense_shape),
                                   {"op_name": op_name})
    return merged, _sum_into(a.values, a_pos, merged), _sum_into(b.values, b_pos, merged)


@export("sparse.add")
def add(a: Any, b: Any, threshold: Any = 0, name: str | None = None) -> Any:
    """``a + b`` where at least one is a SparseTensor.

    Sparse + sparse is a SparseTensor over the union of both patterns; sums whose magnitude is below
    ``threshold`` are dropped. Sparse + dense is a dense tensor.

    Raises:
        TypeError: neither operand is a SparseTensor.
        InvalidArgumentError: different dense shapes or value dtypes.
    """
    a_sparse, b_sparse = isinstance(a, SparseTensor), isinstance(b, SparseTensor)
    if not a_sparse and not b_sparse:
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add()?")
    if not (a_sparse and b_sparse):
        sp, dense = (a, b) if a_sparse else (b, a)
        dense = to_tensor(dense, dtype_hint=sp.dtype)
        return math_ops.add(dense, to_dense(sp, validate_indices=False))
    _check_values_dtype("SparseAdd", a, b, 4)
    merged, a_values, b_values = _aligned(a, b, "SparseAdd")
    sums = math_ops.add(a_values, b_values)
    if not (isinstance(threshold, (int, float)) and threshold == 0):
        thresh = math_ops.cast(to_tensor(threshold), sums.dtype.real_dtype if sums.dtype.is_complex else sums.dtype)
        kept = array_ops.reshape(math_ops.where(math_ops.greater_equal(math_ops.abs(sums), thresh)), [-1])
        merged, sums = gather(merged, kept), _take(sums, kept)
    return _new(merged, sums, a.dense_shape, a.shape)


def _elementwise_extremum(a: Any, b: Any, fn: Callable, op_name: str) -> SparseTensor:
    a, b = _sparse(a), _sparse(b)
    _check_values_dtype(op_name, a, b, 4)
    merged, a_values, b_values = _aligned(a, b, op_name)
    return _new(merged, fn(a_values, b_values), a.dense_shape, a.shape)


@export("sparse.maximum")
def maximum(sp_a: Any, sp_b: Any, name: str | None = None) -> SparseTensor:
    """Elementwise maximum over the union of both patterns (an absent entry counts as 0)."""
    return _elementwise_extremum(sp_a, sp_b, math_ops.maximum, "SparseSparseMaximum")


@export("sparse.minimum")
def minimum(sp_a: Any, sp_b: Any, name: str | None = None) -> SparseTensor:
    """Elementwise minimum over the union of both patterns (an absent entry counts as 0)."""
    return _elementwise_extremum(sp_a, sp_b, math_ops.minimum, "SparseSparseMinimum")


def dense_cwise(sp: SparseTensor, other: Any, kind: str) -> SparseTensor:
    """``sp * other`` or ``sp / other``: ``other`` (a scalar or a tensor broadcast to ``sp``'s shape) is read
    at ``sp``'s entries only."""
    from ..sparse_tensor import _convert

    y = _convert(other, "y", sp.dtype)
    if y.shape.rank != 0:
        y = gather_nd(array_ops.broadcast_to(y, sp.dense_shape), sp.indices)
    if kind == "mul":
        values = math_ops.multiply(sp.values, y)
    elif sp.dtype.is_integer:
        values = math_ops.truncatediv(sp.values, y)
    else:
        values = math_ops.divide(sp.values, y)
    return sp.with_values(values)


@export("sparse.map_values")
def map_values(op: Callable, *args: Any, **kwargs: Any) -> SparseTensor:
    """``op`` applied to the ``values`` of the SparseTensor arguments (which share one pattern).

    Raises:
        ValueError: no SparseTensor among the arguments.
    """
    found = [a for a in list(args) + list(kwargs.values()) if isinstance(a, SparseTensor)]
    if not found:
        raise ValueError("No SparseTensor in argument list of map_values")

    def unwrap(x: Any) -> Any:
        return x.values if isinstance(x, SparseTensor) else x

    values = op(*[unwrap(a) for a in args], **{k: unwrap(v) for k, v in kwargs.items()})
    return found[0].with_values(values)


# ---------------------------------------------------------------------------------------------------------
# reductions


def _reduce_plan_forward(xp, indices, dense_shape, *, axes, keepdims):
    rank = dense_shape.shape[0]
    kept = [d for d in range(rank) if d not in axes]
    groups, segments = _unique_rows(indices[:, kept].astype(_INT64))
    if keepdims:
        full = np.zeros((groups.shape[0], rank), _INT64)
        full[:, kept] = groups
        shape = np.where(np.isin(np.arange(rank), axes), 1, dense_shape).astype(_INT64)
        return full, segments, shape
    return groups, segments, dense_shape[kept].astype(_INT64)


def _reduce_plan_infer(indices, dense_shape, *, axes, keepdims):
    rank = dense_shape[0].as_list()[0]
    out_rank = rank if keepdims else rank - len(axes)
    return [(TensorShape([None, out_rank]), dtypes.int64), (TensorShape([None]), dtypes.int64),
            (TensorShape([out_rank]), dtypes.int64)]


SparseReducePlan = register("SparseReducePlan", _reduce_plan_forward, infer=_reduce_plan_infer, num_outputs=3)


def _segment_max_forward(xp, values, segments, like):
    out = xp.full(like.shape[0], -xp.inf if values.dtype.kind == "f" else xp.iinfo(values.dtype).min,
                  dtype=values.dtype)
    xp.maximum.at(out, segments, values)
    return out


SparseSegmentMax = register("SparseSegmentMax", _segment_max_forward,
                            infer=lambda values, segments, like: [(TensorShape([None]), values[1])])


def _reduction_axes(op_name: str, axis: Any, rank: int) -> tuple:
    if axis is None:
        return tuple(range(rank))
    axes = [int(a) for a in np.asarray(axis.numpy() if isinstance(axis, EagerTensor) else axis).reshape(-1)]
    out = []
    for a in axes:
        if not -rank <= a < rank:
            raise _error(op_name, f"Invalid reduction dimension {a}, for input with {rank} dimensions.")
        out.append(a % rank)
    return tuple(sorted(set(out)))


def _reduce(sp_input: Any, axis: Any, keepdims: Any, output_is_sparse: bool, kind: str) -> Any:
    sp = _sparse(sp_input)
    op_name = f"SparseReduce{kind.capitalize()}" + ("Sparse" if output_is_sparse else "")
    axes = _reduction_axes(op_name, axis, _rank(sp))
    indices, segments, out_shape = execute(SparseReducePlan, (sp.indices, sp.dense_shape),
                                           {"axes": axes, "keepdims": bool(keepdims)})
    if kind == "sum":
        values = _sum_into(sp.values, segments, indices)
    else:
        values = execute(SparseSegmentMax, (sp.values, segments, indices))
    result = SparseTensor(indices, values, out_shape)
    return result if output_is_sparse else to_dense(result, validate_indices=False)


@export("sparse.reduce_sum")
def reduce_sum_v2(sp_input: Any, axis: Any = None, keepdims: Any = None, output_is_sparse: bool = False,
                  name: str | None = None) -> Any:
    """Sums the entries over ``axis`` (all axes when None); a SparseTensor when ``output_is_sparse``.

    Raises:
        InvalidArgumentError: an axis outside the rank.
    """
    return _reduce(sp_input, axis, keepdims, output_is_sparse, "sum")


@export("sparse.reduce_max")
def reduce_max_v2(sp_input: Any, axis: Any = None, keepdims: Any = None, output_is_sparse: bool = False,
                  name: str | None = None) -> Any:
    """Maximum of the stored entries over ``axis`` (implicit zeros are ignored; an empty slice gives 0)."""
    return _reduce(sp_input, axis, keepdims, output_is_sparse, "max")


# ---------------------------------------------------------------------------------------------------------
# sparse_dense_matmul


def _matmul_plan_forward(xp, indices, dense_shape, b_shape, *, adjoint_a, adjoint_b):
    rows_axis, cols_axis = (1, 0) if adjoint_a else (0, 1)
    inner_a = int(dense_shape[cols_axis])
    inner_b = int(b_shape[1] if adjoint_b else b_shape[0])
    if inner_a != inner_b:
        dims_b = shape_text(b_shape)
        raise _error("SparseTensorDenseMatMul", f"Cannot multiply A and B because inner dimension does not match: "
                                                f"{inner_a} vs. {inner_b}.  Did you forget a transpose?  Dimensions "
                                                f"of A: [{int(dense_shape[0])}, {int(dense_shape[1])}).  Dimensions "
                                                f"of B: {dims_b}")
    rows = indices[:, rows_axis].astype(_INT64)
    cols = indices[:, cols_axis].astype(_INT64)
    bad = (cols < 0) | (cols >= inner_a) | (rows < 0) | (rows >= dense_shape[rows_axis])
    if bad.any():
        i = int(np.argmax(bad))
        raise _error("SparseTensorDenseMatMul", f"k ({int(cols[i])}) from index[{i},{cols_axis}] out of bounds "
                                                f"(>={inner_a})")
    return rows, cols, np.zeros((int(dense_shape[rows_axis]), 0), np.int8)


SparseMatMulPlan = register("SparseMatMulPlan", _matmul_plan_forward, num_outputs=3,
                            infer=_specs(([None], "int64"), ([None], "int64"), ([None, 0], "int8")))


def _adjoint(x: Tensor) -> Tensor:
    x = array_ops.transpose(x)
    return math_ops.conj(x) if x.dtype.is_complex else x


def _conj_sparse(sp: SparseTensor) -> SparseTensor:
    return sp.with_values(math_ops.conj(sp.values)) if sp.dtype.is_complex else sp


@export("sparse.sparse_dense_matmul")
def sparse_dense_matmul(sp_a: Any, b: Any, adjoint_a: bool = False, adjoint_b: bool = False,
                        name: str | None = None) -> Tensor:
    """The dense product of a rank-2 SparseTensor and a dense matrix (either operand may be the sparse one).

    Raises:
        InvalidArgumentError: the inner dimensions differ, or the dtypes differ.
    """
    if isinstance(b, SparseTensor) and not isinstance(sp_a, SparseTensor):
        # a @ b = (b' @ a')' with the adjoints moved onto the transposed operands
        dense = to_tensor(sp_a)
        sparse_t = _conj_sparse(b) if adjoint_b else transpose(b)
        dense_t = math_ops.conj(dense) if adjoint_a and dense.dtype.is_complex else dense
        return array_ops.transpose(sparse_dense_matmul(sparse_t, dense_t, adjoint_b=not adjoint_a))
    sp = _sparse(sp_a, "sp_a")
    b = to_tensor(b, dtype_hint=sp.dtype)
    if b.dtype is not sp.dtype:
        from ..tensor import _tf_type_name

        raise InvalidArgumentError(
            None, None, f"cannot compute SparseTensorDenseMatMul as input #3(zero-based) was expected to be a "
                        f"{_tf_type_name(sp.dtype)} tensor but is a {_tf_type_name(b.dtype)} tensor "
                        "[Op:SparseTensorDenseMatMul] name: ")
    rows, cols, like = execute(SparseMatMulPlan, (sp.indices, sp.dense_shape, array_ops.shape(b)),
                               {"adjoint_a": bool(adjoint_a), "adjoint_b": bool(adjoint_b)})
    dense = _adjoint(b) if adjoint_b else b
    values = math_ops.conj(sp.values) if adjoint_a and sp.dtype.is_complex else sp.values
    picked = _take(dense, cols)
    contributions = math_ops.multiply(array_ops.expand_dims(values, 1), picked)
    return _sum_into(contributions, rows, like)


# ---------------------------------------------------------------------------------------------------------
# Pattern edits: retain, transpose, expand_dims, fill_empty_rows, to_indicator, eye, mask


@export("sparse.retain")
def retain(sp_input: Any, to_retain: Any) -> SparseTensor:
    """The entries whose ``to_retain`` flag (a bool vector, one per entry) is True.

    Raises:
        ValueError: ``to_retain`` is not a vector as long as the number of entries.
    """
    sp = _sparse(sp_input)
    keep = to_tensor(to_retain, dtype_hint=dtypes.bool)
    if keep.shape.rank != 1:
        raise ValueError(f"Shape {keep.shape} must have rank 1")
    n = sp.indices.shape[0] if sp.indices.shape.rank else None
    if n is not None and keep.shape[0] is not None and n != keep.shape[0]:
        raise ValueError(f"Dimensions {n} and {keep.shape[0]} are not compatible")
    positions = array_ops.reshape(math_ops.where(keep), [-1])
    return _new(gather(sp.indices, positions), _take(sp.values, positions), sp.dense_shape, sp.shape)


@export("sparse.transpose")
def transpose(sp_input: Any, perm: Any = None, name: str | None = None) -> SparseTensor:
    """Permutes the dimensions (reversed when ``perm`` is None); the entries are re-sorted."""
    sp = _sparse(sp_input)
    rank = _rank(sp)
    perm = list(range(rank - 1, -1, -1)) if perm is None else perm
    perm = to_tensor(perm, dtype_hint=dtypes.int32)
    indices = gather(sp.indices, perm, axis=1)
    shape = gather(sp.dense_shape, perm)
    static = TensorShape(None)
    if isinstance(perm, EagerTensor) and sp.shape.rank is not None:
        static = TensorShape([sp.shape.dims[int(p)] for p in perm.numpy()])
    return reorder(_new(indices, sp.values, shape, static))


@export("sparse.expand_dims")
def expand_dims(sp_input: Any, axis: Any = None, name: str | None = None) -> SparseTensor:
    """Inserts a dimension of size 1 at ``axis`` (negative counts from the end of the result).

    Raises:
        ValueError: ``axis`` outside ``[-rank - 1, rank]``.
    """
    sp = _sparse(sp_input)
    rank = _rank(sp)
    axis = -1 if axis is None else int(axis)
    if not -rank - 1 <= axis <= rank:
        raise ValueError(f"Axis {axis} out of range [{-rank - 1}, {rank}]")
    axis %= rank + 1
    column = array_ops.zeros_like(sp.indices[:, :1])
    indices = array_ops.concat([sp.indices[:, :axis], column, sp.indices[:, axis:]], 1)
    one = to_tensor([1], dtype=dtypes.int64)
    shape = array_ops.concat([sp.dense_shape[:axis], one, sp.dense_shape[axis:]], 0)
    static = TensorShape(None)
    if sp.shape.rank is not None:
        dims = list(sp.shape.dims)
        static = TensorShape(dims[:axis] + [1] + dims[axis:])
    return _new(indices, sp.values, shape, static)


def _fill_rows_forward(xp, indices, dense_shape):
    rows = int(dense_shape[0])
    present = np.zeros(rows, bool)
    present[indices[:, 0]] = True
    empty_rows = np.flatnonzero(~present)
    filler = np.zeros((empty_rows.size, indices.shape[1]), _INT64)
    filler[:, 0] = empty_rows
    merged = np.concatenate([indices.astype(_INT64), filler], axis=0)
    positions = np.concatenate([np.arange(indices.shape[0], dtype=_INT64), np.full(empty_rows.size, -1, _INT64)])
    order = np.argsort(merged[:, 0], kind="stable")
    return merged[order], positions[order], ~present


SparseFillEmptyRows = register("SparseFillEmptyRows", _fill_rows_forward, num_outputs=3,
                               infer=lambda idx, shape: [(idx[0], dtypes.int64), (TensorShape([None]), dtypes.int64),
                                                         (TensorShape([None]), dtypes.bool)])


@export("sparse.fill_empty_rows")
def fill_empty_rows(sp_input: Any, default_value: Any, name: str | None = None) -> tuple:
    """Adds an entry ``default_value`` at column 0 of every empty row.

    Returns:
        ``(filled SparseTensor, empty_row_indicator)``: the indicator is a bool vector, one per row.
    """
    sp = _sparse(sp_input)
    indices, positions, empty = execute(SparseFillEmptyRows, (sp.indices, sp.dense_shape))
    default = to_tensor(default_value, dtype=sp.dtype)
    values = math_ops.where(math_ops.greater_equal(positions, 0), _take(sp.values, positions),
                            array_ops.fill(array_ops.shape(positions), default))
    return _new(indices, values, sp.dense_shape, sp.shape), empty


@export("sparse.to_indicator")
def to_indicator(sp_input: Any, vocab_size: Any, name: str | None = None) -> Tensor:
    """A bool tensor whose last dimension (of size ``vocab_size``) flags the ids stored in each row.

    ``sp_input`` holds integer ids; the result has shape ``dense_shape[:-1] + [vocab_size]``.
    """
    sp = _sparse(sp_input)
    ids = math_ops.cast(array_ops.expand_dims(sp.values, 1), dtypes.int64)
    indices = array_ops.concat([sp.indices[:, :-1], ids], 1)
    size = array_ops.reshape(math_ops.cast(to_tensor(vocab_size), dtypes.int64), [1])
    shape = array_ops.concat([sp.dense_shape[:-1], size], 0)
    flags = array_ops.fill(array_ops.shape(sp.values), True)
    return to_dense(SparseTensor(indices, flags, shape), default_value=False, validate_indices=False)


@export("sparse.eye")
def eye(num_rows: Any, num_columns: Any = None, dtype: Any = dtypes.float32, name: str | None = None) -> SparseTensor:
    """The identity matrix ``[num_rows, num_columns]`` as a SparseTensor."""
    rows = math_ops.cast(to_tensor(num_rows), dtypes.int64)
    cols = rows if num_columns is None else math_ops.cast(to_tensor(num_columns), dtypes.int64)
    diagonal = math_ops.minimum(rows, cols)
    from .creation_ops import range as tensor_range

    positions = tensor_range(diagonal, dtype=dtypes.int64)
    indices = array_ops.stack([positions, positions], 1)
    values = array_ops.ones(array_ops.shape(positions), dtype=dtype)
    return SparseTensor(indices, values, array_ops.stack([rows, cols]))


def _mask_forward(xp, indices, mask_indices):
    return np.flatnonzero(~np.isin(indices, mask_indices)).astype(_INT64)


SparseMaskPlan = register("SparseMaskPlan", _mask_forward, infer=_specs(([None], "int64")))


@export("sparse.mask")
def mask(a: IndexedSlices, mask_indices: Any, name: str | None = None) -> IndexedSlices:
    """The slices of ``a`` whose index is not in ``mask_indices``."""
    mask_indices = to_tensor(mask_indices)
    kept = execute(SparseMaskPlan, (a.indices, mask_indices))
    return IndexedSlices(_take(a.values, kept), gather(a.indices, kept), a.dense_shape)


# ---------------------------------------------------------------------------------------------------------
# Segment reductions over selected rows


def _rows(data: Tensor, indices: Tensor) -> Tensor:
    """``data[indices]`` along axis 0 with a dense gradient (TF's sparse segment ops)."""
    return gather_nd(data, array_ops.expand_dims(indices, 1))


def _sparse_segment(kind: str, data: Any, indices: Any, segment_ids: Any, num_segments: Any) -> Tensor:
    data, indices, segment_ids = to_tensor(data), to_tensor(indices), to_tensor(segment_ids)
    rows = _rows(data, indices)
    if num_segments is None:
        total = segment_ops.segment_sum(rows, segment_ids)
        counts = segment_ops.segment_sum(array_ops.ones_like(segment_ids, dtype=data.dtype), segment_ids)
    else:
        total = segment_ops.unsorted_segment_sum(rows, segment_ids, num_segments)
        counts = segment_ops.unsorted_segment_sum(array_ops.ones_like(segment_ids, dtype=data.dtype),
                                                  segment_ids, num_segments)
    if kind == "sum":
        return total
    counts = math_ops.maximum(counts, array_ops.ones_like(counts))
    if kind == "sqrt_n":
        counts = math_ops.sqrt(counts)
    shape = array_ops.concat([array_ops.shape(counts), array_ops.ones([data.ndim - 1], dtypes.int32)], 0)
    return math_ops.divide(total, array_ops.reshape(counts, shape))


@export("sparse.segment_sum")
def segment_sum(data: Any, indices: Any, segment_ids: Any, num_segments: Any = None, name: str | None = None,
                sparse_gradient: bool = False) -> Tensor:
    """Sums the rows ``data[indices]`` by (sorted) ``segment_ids``; ``num_segments`` fixes the row count."""
    return _sparse_segment("sum", data, indices, segment_ids, num_segments)


@export("sparse.segment_mean")
def segment_mean(data: Any, indices: Any, segment_ids: Any, num_segments: Any = None, name: str | None = None,
                 sparse_gradient: bool = False) -> Tensor:
    """Means of the rows ``data[indices]`` by ``segment_ids`` (empty segments give 0)."""
    return _sparse_segment("mean", data, indices, segment_ids, num_segments)


@export("sparse.segment_sqrt_n")
def segment_sqrt_n(data: Any, indices: Any, segment_ids: Any, num_segments: Any = None,
                   name: str | None = None, sparse_gradient: bool = False) -> Tensor:
    """Sums of the rows ``data[indices]`` by ``segment_ids`` divided by the square root of each count."""
    return _sparse_segment("sqrt_n", data, indices, segment_ids, num_segments)


# ---------------------------------------------------------------------------------------------------------
# Sparse embedding lookups


_COMBINERS = ("mean", "sqrtn", "sum")


@export("nn.embedding_lookup_sparse")
def embedding_lookup_sparse(params: Any, sp_ids: SparseTensor, sp_weights: SparseTensor | None,
                            combiner: str | None = None, max_norm: Any = None, name: str | None = None,
                            allow_fast_lookup: bool = False) -> Tensor:
    """Combines (``"mean"``, ``"sqrtn"`` or ``"sum"``) the embeddings of each row's ids, weighted by
    ``sp_weights`` when given. Row ``i`` of the result combines the ids in row ``i`` of ``sp_ids``.

    Raises:
        ValueError: an unknown combiner.
        TypeError: ``sp_ids``/``sp_weights`` not SparseTensors.
    """
    from .nn_ops import embedding_lookup
    from .sort_ops import unique

    combiner = "mean" if combiner is None else combiner
    if combiner not in _COMBINERS:
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    if not isinstance(sp_ids, SparseTensor):
        raise TypeError(f"sp_ids must be SparseTensor, got {type(sp_ids)}")
    if sp_weights is not None and not isinstance(sp_weights, SparseTensor):
        raise TypeError(f"sp_weights must be either None or SparseTensor,got {type(sp_weights)}")
    segment_ids = math_ops.cast(sp_ids.indices[:, 0], dtypes.int32)
    ids, positions = unique(sp_ids.values)
    embeddings = embedding_lookup(params, ids, max_norm=max_norm)
    if sp_weights is None:
        kind = {"sum": "sum", "mean": "mean", "sqrtn": "sqrt_n"}[combiner]
        return _sparse_segment(kind, embeddings, positions, segment_ids, None)
    weights = sp_weights.values
    if weights.dtype is not embeddings.dtype:
        weights = math_ops.cast(weights, embeddings.dtype)
    rows = gather(embeddings, positions)
    shape = array_ops.concat([array_ops.shape(weights), array_ops.ones([rows.ndim - 1], dtypes.int32)], 0)
    total = segment_ops.segment_sum(math_ops.multiply(rows, array_ops.reshape(weights, shape)), segment_ids)
    if combiner == "sum":
        return total
    scale = weights if combiner == "mean" else math_ops.square(weights)
    norm = segment_ops.segment_sum(scale, segment_ids)
    if combiner == "sqrtn":
        norm = math_ops.sqrt(norm)
    norm_shape = array_ops.concat([array_ops.shape(norm), array_ops.ones([rows.ndim - 1], dtypes.int32)], 0)
    return math_ops.divide_no_nan(total, array_ops.reshape(norm, norm_shape))


@export("nn.safe_embedding_lookup_sparse")
def safe_embedding_lookup_sparse(embedding_weights: Any, sparse_ids: SparseTensor, sparse_weights: Any = None,
                                 combiner: str = "mean", default_id: Any = None, max_norm: Any = None,
                                 name: str | None = None, allow_fast_lookup: bool = False) -> Tensor:
    """``embedding_lookup_sparse`` that ignores invalid (negative) ids and non-positive weights and gives
    every row of ``sparse_ids`` an output: empty rows get ``embedding_weights[default_id]``, or zeros.

    Ids of rank above 2 are flattened to rows and the result reshaped back (``dense_shape[:-1] + [dim]``).
    """
    if isinstance(embedding_weights, (list, tuple)):
        params = [to_tensor(p) for p in embedding_weights]
        dim = params[0].shape[1:]
    else:
        params = to_tensor(embedding_weights)
        dim = params.shape[1:]
    sp_ids = _sparse(sparse_ids, "sparse_ids")
    rank = _rank(sp_ids)
    original_shape = sp_ids.dense_shape
    if rank > 2:
        rows = reduce_prod(original_shape[:-1], keepdims=True)
        flat_shape = array_ops.concat([rows, original_shape[-1:]], 0)
        sp_ids = reshape(sp_ids, flat_shape)
        if sparse_weights is not None:
            sparse_weights = reshape(sparse_weights, flat_shape)
    valid = math_ops.greater_equal(sp_ids.values, 0)
    if sparse_weights is not None:
        valid = math_ops.logical_and(valid, math_ops.greater(sparse_weights.values, 0))
        sparse_weights = retain(sparse_weights, valid)
    sp_ids = retain(sp_ids, valid)
    sp_ids, empty = fill_empty_rows(sp_ids, 0 if default_id is None else default_id)
    if sparse_weights is not None:
        sparse_weights, _ = fill_empty_rows(sparse_weights, 1.0)
    result = embedding_lookup_sparse(params, sp_ids, sparse_weights, combiner=combiner, max_norm=max_norm)
    if default_id is None:
        keep = array_ops.reshape(math_ops.logical_not(empty), [-1, 1])
        result = math_ops.where(keep, result, array_ops.zeros_like(result))
    if rank > 2:
        out_shape = array_ops.concat([math_ops.cast(original_shape[:-1], dtypes.int32),
                                      to_tensor(dim.as_list(), dtype=dtypes.int32)], 0)
        result = array_ops.reshape(result, out_shape)
    return result


# ---------------------------------------------------------------------------------------------------------
# Sets (tf.sets): the last dimension of a dense tensor, or the entries of each row of a SparseTensor, is a set


_SET_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "string")
_SET_DTYPES_TEXT = "frozenset({tf.int32, tf.uint8, tf.int16, tf.int8, tf.string, tf.int64, tf.uint16})"


def _groups(op_name: str, parts: list, sparse: bool) -> tuple[tuple, dict]:
    """``(group shape, {group coordinates: set of values})`` of one operand."""
    if sparse:
        indices, values, shape = parts
        shape = tuple(int(d) for d in shape)
        if len(shape) < 2:
            raise _error(op_name, f"Shape {shape_text(shape)} has rank {len(shape)} < 2")
        groups: dict = {}
        for index, value in zip(indices.tolist(), values.tolist()):
            groups.setdefault(tuple(index[:-1]), set()).add(value)
        return shape[:-1], groups
    (dense,) = parts
    if dense.ndim < 2:
        raise _error(op_name, f"Shape {shape_text(dense.shape)} has rank {dense.ndim} < 2")
    rows = dense.reshape(-1, dense.shape[-1]).tolist()
    keys = list(np.ndindex(*dense.shape[:-1]))
    return dense.shape[:-1], {key: set(row) for key, row in zip(keys, rows)}


_SET_FUNCTIONS = {"union": set.union, "intersection": set.intersection, "a-b": set.difference,
                  "b-a": lambda a, b: b - a}


def _set_operation_forward(xp, *parts, a_sparse, b_sparse, operation, op_name):
    split = 3 if a_sparse else 1
    shape_a, groups_a = _groups(op_name, list(parts[:split]), a_sparse)
    shape_b, groups_b = _groups(op_name, list(parts[split:]), b_sparse)
    if tuple(shape_a) != tuple(shape_b):
        raise _error(op_name, f"Mismatched shapes {shape_text(shape_a)} vs {shape_text(shape_b)}")
    dtype = parts[1].dtype if a_sparse else parts[0].dtype
    combine = _SET_FUNCTIONS[operation]
    indices, values, widest = [], [], 0
    for key in np.ndindex(*shape_a):
        result = sorted(combine(groups_a.get(key, set()), groups_b.get(key, set())))
        widest = max(widest, len(result))
        indices.extend(key + (j,) for j in range(len(result)))
        values.extend(result)
    rank = len(shape_a) + 1
    out_indices = np.asarray(indices, dtype=_INT64).reshape(-1, rank)
    if dtype.kind == "O":  # strings: keep the bytes objects as they are
        out_values = np.empty(len(values), dtype=object)
        out_values[:] = values
    else:
        out_values = np.asarray(values, dtype=dtype)
    return out_indices, out_values, np.asarray(tuple(shape_a) + (widest,), dtype=_INT64)


def _set_operation_infer(*parts, a_sparse, b_sparse, operation, op_name):
    first = parts[0]
    if a_sparse:
        rank = first[0].as_list()[1] if first[0].rank else None
        dtype = parts[1][1]
    else:
        rank, dtype = first[0].rank, first[1]
    return [(TensorShape([None, rank]), dtypes.int64), (TensorShape([None]), dtype),
            (TensorShape([rank]), dtypes.int64)]


_SET_OPS = {name: register(name, _set_operation_forward, infer=_set_operation_infer, num_outputs=3)
            for name in ("DenseToDenseSetOperation", "DenseToSparseSetOperation", "SparseToSparseSetOperation")}


def _set_size_forward(xp, indices, values, dense_shape):
    shape, groups = _groups("SetSize", [indices, values, dense_shape], True)
    out = np.zeros(shape, dtype=np.int32)
    for key, members in groups.items():
        out[key] = len(members)
    return out


SetSize = register("SetSize", _set_size_forward,
                   infer=lambda idx, vals, shape: [(TensorShape(None), dtypes.int32)])


def _set_operand(x: Any) -> Any:
    return x if isinstance(x, SparseTensor) else to_tensor(x)


def _check_set_dtypes(a: Any, b: Any) -> None:
    if a.dtype.name not in _SET_DTYPES:
        raise TypeError(f"'a' has invalid dtype `{a.dtype}` not in supported dtypes: `{_SET_DTYPES_TEXT}`.")
    if b.dtype is not a.dtype:
        raise TypeError(f"Types don't match, {a.dtype} vs {b.dtype}.")


def _set_operation(a: Any, b: Any, operation: str, flip_difference: bool = False) -> SparseTensor:
    a, b = _set_operand(a), _set_operand(b)
    _check_set_dtypes(a, b)
    if isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        a, b = b, a
        if flip_difference:
            operation = "b-a" if operation == "a-b" else "a-b"
    a_sparse, b_sparse = isinstance(a, SparseTensor), isinstance(b, SparseTensor)
    name = {(False, False): "DenseToDenseSetOperation", (False, True): "DenseToSparseSetOperation",
            (True, True): "SparseToSparseSetOperation"}[(a_sparse, b_sparse)]
    parts = tuple([a.indices, a.values, a.dense_shape] if a_sparse else [a]) + \
        tuple([b.indices, b.values, b.dense_shape] if b_sparse else [b])
    attrs = {"a_sparse": a_sparse, "b_sparse": b_sparse, "operation": operation, "op_name": name}
    return SparseTensor(*execute(_SET_OPS[name], parts, attrs))


@export("sets.union")
def set_union(a: Any, b: Any, validate_indices: bool = True) -> SparseTensor:
    """The union of the sets in the last dimension of ``a`` and ``b`` (dense tensors or SparseTensors).

    Returns:
        A SparseTensor whose rows hold each union, sorted; ``dense_shape[-1]`` is the largest union size.

    Raises:
        TypeError: a dtype other than int8/16/32/64, uint8/16 or string, or differing dtypes.
        InvalidArgumentError: rank below 2, or leading dimensions that differ.
    """
    return _set_operation(a, b, "union")


@export("sets.intersection")
def set_intersection(a: Any, b: Any, validate_indices: bool = True) -> SparseTensor:
    """The intersection of the sets in the last dimension of ``a`` and ``b`` (see ``sets.union``)."""
    return _set_operation(a, b, "intersection")


@export("sets.difference")
def set_difference(a: Any, b: Any, aminusb: bool = True, validate_indices: bool = True) -> SparseTensor:
    """``a - b`` (``b - a`` when ``aminusb`` is False) of the sets in the last dimension (see ``sets.union``)."""
    return _set_operation(a, b, "a-b" if aminusb else "b-a", flip_difference=True)


@export("sets.size")
def set_size(a: Any, validate_indices: bool = True) -> Tensor:
    """The number of distinct values in each set (each row of the last dimension) of a SparseTensor.

    Raises:
        TypeError: ``a`` is not a SparseTensor, or has an unsupported dtype.
    """
    if not isinstance(a, SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {a}.")
    if a.dtype.name not in _SET_DTYPES:
        raise TypeError(f"Invalid dtype `{a.dtype}` not in supported dtypes: `{_SET_DTYPES_TEXT}`.")
    return execute(SetSize, (a.indices, a.values, a.dense_shape))
