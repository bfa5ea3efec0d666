"""Operations on ``RaggedTensor``: indexing, elementwise math, reductions, concat/stack, gather, masks.

``install_dispatch`` makes the public ``ndflow`` functions (``ndflow.add``, ``ndflow.reduce_sum``,
``ndflow.concat`` …) accept ragged tensors, as TF's dispatch does.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from . import dtypes
from .errors import InvalidArgumentError
from .execute import execute
from .export import _EXPORTS, export
from .ops import array_ops, indexing_ops, math_ops, reduction_ops
from .ops import ragged_index_ops as index_ops
from .ragged_tensor import RaggedTensor, _range
from .tensor import EagerTensor, Tensor, convert_to_tensor

__all__ = ["getitem", "elementwise", "reduce", "concat", "stack", "gather", "boolean_mask", "map_flat_values",
           "install_dispatch"]


def _take(values: Any, indices: Tensor) -> Any:
    """Rows ``indices`` of ``values`` (a tensor or a ragged tensor)."""
    if isinstance(values, RaggedTensor):
        return _gather_rows(values, indices)
    return indexing_ops.gather(values, indices)


def _gather_rows(rt: RaggedTensor, indices: Tensor) -> RaggedTensor:
    new_splits, value_indices = execute(index_ops.GatherRows, (rt.row_splits, indices))
    return RaggedTensor._create(_take(rt.values, value_indices), new_splits)


# ---------------------------------------------------------------------------------------------------------
# Indexing


def _expand_ellipsis(key: tuple, rank: int | None) -> tuple:
    if Ellipsis not in key:
        return key
    if rank is None:
        raise ValueError("Ellipsis not supported for RaggedTensor of unknown rank")
    at = key.index(Ellipsis)
    fill = rank - (len(key) - 1)
    return key[:at] + (slice(None),) * max(fill, 0) + key[at + 1:]


def _is_full(s: slice) -> bool:
    return s.start is None and s.stop is None and s.step in (None, 1)


def _slice_attrs(s: slice) -> dict:
    return {"start": _int_or_none(s.start), "stop": _int_or_none(s.stop), "step": _int_or_none(s.step)}


def _int_or_none(x: Any) -> int | None:
    if x is None:
        return None
    if isinstance(x, Tensor) and not isinstance(x, EagerTensor):
        raise NotImplementedError("slicing a RaggedTensor with symbolic bounds is not supported yet")
    return int(x)


def getitem(rt: RaggedTensor, key: Any) -> Any:
    """``rt[key]``: ints and slices on the outer dimension, slices on ragged dimensions, anything on the
    uniform inner dimensions.

    Raises:
        IndexError: a row index outside the (known) number of rows.
        ValueError: an integer index into a ragged dimension.
    """
    key = key if isinstance(key, tuple) else (key,)
    if any(k is None for k in key):
        raise NotImplementedError("tf.newaxis in a RaggedTensor index is not supported yet")
    return _getitem(rt, _expand_ellipsis(key, rt.shape.rank))


def _getitem(rt: Any, key: tuple) -> Any:
    if not isinstance(rt, RaggedTensor):
        return rt[key] if key else rt
    if not key:
        return rt
    first, rest = key[0], key[1:]
    if isinstance(first, slice):
        rows = rt if _is_full(first) else _gather_rows(
            rt, execute(index_ops.RowRange, (rt.row_splits,), _slice_attrs(first)))
        return _getitem_inner(rows, rest)
    if isinstance(first, Tensor):
        index = first
    else:
        index = int(first)
        n = rt.shape[0]
        if n is not None and not -n <= index < n:
            raise IndexError(f"Row key {index} out of bounds")
    _, value_indices = execute(index_ops.GatherRows, (rt.row_splits, array_ops.reshape(
        convert_to_tensor(index, dtype_hint=dtypes.int64), [1])))
    return _getitem(_take(rt.values, value_indices), rest)


def _getitem_inner(rt: RaggedTensor, key: tuple) -> RaggedTensor:
    """Applies ``key`` to dimensions 1.. of every row of ``rt``."""
    if not key:
        return rt
    first, rest = key[0], key[1:]
    if not isinstance(first, slice):
        raise ValueError("Cannot index into an inner ragged dimension.")
    if not _is_full(first):
        new_splits, value_indices = execute(index_ops.InnerSlice, (rt.row_splits,), _slice_attrs(first))
        rt = RaggedTensor._create(_take(rt.values, value_indices), new_splits)
    if not rest:
        return rt
    return rt.with_values(_getitem(rt.values, (slice(None),) + rest))


# ---------------------------------------------------------------------------------------------------------
# Elementwise


def _check_same_partition(a: RaggedTensor, b: RaggedTensor) -> None:
    """Raises unless ``a`` and ``b`` have the same nested row splits (checked when they are concrete)."""
    if a is b:
        return
    if a.ragged_rank != b.ragged_rank:
        raise ValueError(f"Ragged tensors have different ragged_rank: {a.ragged_rank} and {b.ragged_rank}")
    for x, y in zip(a.nested_row_splits, b.nested_row_splits):
        if x is y or not (isinstance(x, EagerTensor) and isinstance(y, EagerTensor)):
            continue
        xs, ys = x.numpy(), y.numpy()
        if xs.shape != ys.shape or not np.array_equal(xs, ys):
            raise InvalidArgumentError(None, None, f"Condition x == y did not hold.\nFirst {min(3, xs.size)} "
                                                   f"elements of x:\n{xs[:3]}\nFirst {min(3, ys.size)} elements of "
                                                   f"y:\n{ys[:3]}")


def _flat_row_ids(rt: RaggedTensor) -> Tensor:
    """For each flat value, the index of the outermost row holding it."""
    ids = None
    level: Any = rt
    while isinstance(level, RaggedTensor):
        level_ids = level.value_rowids()
        ids = level_ids if ids is None else indexing_ops.gather(ids, level_ids)
        level = level.values
    return ids


def _dense_operand(template: RaggedTensor, value: Any) -> Any:
    """``value`` (a dense operand of an elementwise op) as an operand for ``template.flat_values``."""
    if not isinstance(value, (Tensor, np.ndarray, list, tuple)):
        return value  # a Python scalar: the op converts it to the ragged operand's dtype
    t = convert_to_tensor(value)
    rank, rt_rank = t.shape.rank, template.shape.rank
    inner = rt_rank - template.ragged_rank - 1
    if rank is None or rt_rank is None or rank <= inner:
        return t
    dims = t.shape.as_list()
    ragged_dims = dims[max(0, rank - inner - template.ragged_rank):rank - inner]
    if rank > rt_rank:
        raise ValueError(f"Unable to broadcast: dense rank {rank} is larger than ragged rank {rt_rank}")
    if all(d == 1 for d in ragged_dims):
        squeezed = array_ops.reshape(t, dims[:rank - inner - len(ragged_dims)] + dims[rank - inner:])
        if rank < rt_rank or dims[0] == 1:
            return array_ops.reshape(squeezed, dims[rank - inner:]) if rank == rt_rank else squeezed
        return indexing_ops.gather(squeezed, _flat_row_ids(template))
    if rank < rt_rank:
        raise InvalidArgumentError(None, None, f"Condition x == y did not hold: a dense operand of shape {dims} "
                                               f"does not broadcast against ragged shape {template.shape}")
    converted = RaggedTensor.from_tensor(t, ragged_rank=template.ragged_rank,
                                         row_splits_dtype=template.row_splits_dtype)
    _check_same_partition(template, converted)
    return converted.flat_values


def elementwise(fn: Callable, *args: Any, **kwargs: Any) -> RaggedTensor:
    """Applies the elementwise ``fn`` to the flat values of ragged operands sharing one row partition;
    dense operands broadcast against them.

    Raises:
        InvalidArgumentError: ragged operands with different row partitions.
    """
    template = next(a for a in args if isinstance(a, RaggedTensor))
    flat = []
    for a in args:
        if isinstance(a, RaggedTensor):
            _check_same_partition(template, a)
            flat.append(a.flat_values)
        else:
            flat.append(_dense_operand(template, a))
    return template.with_flat_values(fn(*flat, **kwargs))


@export("ragged.map_flat_values")
def map_flat_values(op: Callable, *args: Any, **kwargs: Any) -> Any:
    """``op`` applied to the flat values of every ragged argument (which must share one row partition).

    Raises:
        InvalidArgumentError: ragged arguments with different row partitions.
    """
    from . import nest

    leaves = nest.flatten((args, kwargs))
    ragged = [x for x in leaves if isinstance(x, RaggedTensor)]
    if not ragged:
        return op(*args, **kwargs)
    template = ragged[0]
    for other in ragged[1:]:
        _check_same_partition(template, other)
    flat_args, flat_kwargs = nest.pack_sequence_as(
        (args, kwargs), [x.flat_values if isinstance(x, RaggedTensor) else x for x in leaves])
    return template.with_flat_values(op(*flat_args, **flat_kwargs))


# ---------------------------------------------------------------------------------------------------------
# Reductions

_REDUCERS = {
    "sum": reduction_ops.reduce_sum, "prod": reduction_ops.reduce_prod, "max": reduction_ops.reduce_max,
    "min": reduction_ops.reduce_min, "all": reduction_ops.reduce_all, "any": reduction_ops.reduce_any,
    "mean": reduction_ops.reduce_mean,
}


def _identity(kind: str, dtype: dtypes.DType) -> Any:
    """The padding value that leaves a reduction unchanged."""
    if kind in ("sum", "any"):
        return False if kind == "any" else 0
    if kind in ("prod", "all"):
        return True if kind == "all" else 1
    info = np.finfo(dtype._np) if dtype.is_floating else np.iinfo(dtype._np)
    return info.min if kind == "max" else info.max


def _normalize_axes(axis: Any, rank: int) -> list[int]:
    axes = [int(a) for a in np.asarray(axis.numpy() if isinstance(axis, EagerTensor) else axis).reshape(-1)]
    out = []
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"axis={a} out of bounds: expected {-rank}<=axis<{rank}")
        out.append(a + rank if a < 0 else a)
    return sorted(set(out), reverse=True)


def reduce(kind: str, rt: RaggedTensor, axis: Any = None, keepdims: bool = False) -> Any:
    """``reduce_<kind>`` of a ragged tensor over ``axis`` (all values when None).

    Reducing over a ragged dimension treats missing entries as absent (empty rows give the reduction's
    identity: 0 for sums, the dtype's lowest value for max …; means of empty rows are NaN).
    """
    if axis is None:
        result = _REDUCERS[kind](rt.flat_values)
        return array_ops.reshape(result, [1] * rt.shape.rank) if keepdims else result
    axes = _normalize_axes(axis, rt.shape.rank)
    if kind == "mean":
        total = reduce("sum", rt, axes, keepdims)
        ones = rt.with_flat_values(array_ops.ones_like(rt.flat_values))
        count = reduce("sum", ones, axes, keepdims)
        return _apply(math_ops.divide, total, count)
    result: Any = rt
    for a in axes:
        result = _reduce_axis(kind, result, a, keepdims)
    return result


def _apply(fn: Callable, x: Any, y: Any) -> Any:
    if isinstance(x, RaggedTensor) or isinstance(y, RaggedTensor):
        return elementwise(fn, x, y)
    return fn(x, y)


def _reduce_axis(kind: str, x: Any, axis: int, keepdims: bool) -> Any:
    reducer = _REDUCERS[kind]
    if not isinstance(x, RaggedTensor):
        return reducer(x, axis=axis, keepdims=keepdims)
    rank = x.ragged_rank
    if axis > rank:
        return x.with_flat_values(reducer(x.flat_values, axis=axis - rank, keepdims=keepdims))
    if axis >= 2:
        return x.with_values(_reduce_axis(kind, x.values, axis - 1, keepdims))
    dense = x.to_tensor(default_value=_identity(kind, x.dtype))
    reduced = reducer(dense, axis=axis, keepdims=keepdims)
    if rank == 1:
        return reduced
    if keepdims or rank > 2:
        raise NotImplementedError(f"reducing axis {axis} of a RaggedTensor with ragged_rank {rank}"
                                  f"{' and keepdims' if keepdims else ''} is not supported yet")
    present = x.with_flat_values(array_ops.ones(array_ops.shape(x.flat_values)[:1], dtypes.int32)).to_tensor()
    lengths = reduction_ops.reduce_sum(reduction_ops.reduce_max(present, axis=axis), axis=1)
    return RaggedTensor.from_tensor(reduced, lengths=math_ops.cast(lengths, x.row_splits_dtype),
                                    row_splits_dtype=x.row_splits_dtype)


# ---------------------------------------------------------------------------------------------------------
# concat / stack / gather


def _as_ragged(values: list, ragged_rank: int, splits_dtype: dtypes.DType) -> list:
    out = []
    for v in values:
        if isinstance(v, RaggedTensor):
            if v.ragged_rank != ragged_rank:
                raise ValueError(f"All RaggedTensors must have the same ragged_rank, got {v.ragged_rank} and "
                                 f"{ragged_rank}")
            out.append(v if v.row_splits_dtype is splits_dtype else v.with_row_splits_dtype(splits_dtype))
        else:
            out.append(RaggedTensor.from_tensor(v, ragged_rank=ragged_rank, row_splits_dtype=splits_dtype))
    return out


def _prepare(values: Any) -> list:
    values = list(values)
    ragged = [v for v in values if isinstance(v, RaggedTensor)]
    ragged_rank = max(r.ragged_rank for r in ragged)
    splits_dtype = dtypes.int64 if any(r.row_splits_dtype is dtypes.int64 for r in ragged) else dtypes.int32
    return _as_ragged(values, ragged_rank, splits_dtype)


def _concat_rows(parts: list) -> Any:
    if not isinstance(parts[0], RaggedTensor):
        return array_ops.concat(parts, 0)
    pieces, offset = [parts[0].row_splits], parts[0].row_splits[-1]
    for p in parts[1:]:
        pieces.append(math_ops.add(p.row_splits[1:], offset))
        offset = math_ops.add(offset, p.row_splits[-1])
    return RaggedTensor._create(_concat_rows([p.values for p in parts]), array_ops.concat(pieces, 0))


def _concat_inner(parts: list, axis: int) -> Any:
    if not isinstance(parts[0], RaggedTensor):
        return array_ops.concat(parts, axis)
    if axis == 1:
        new_splits, value_indices = execute(index_ops.InterleaveRows, tuple(p.row_splits for p in parts))
        return RaggedTensor._create(_take(_concat_rows([p.values for p in parts]), value_indices), new_splits)
    for p in parts[1:]:
        _check_same_partition(RaggedTensor._create(parts[0].flat_values, parts[0].row_splits),
                              RaggedTensor._create(p.flat_values, p.row_splits))
    return parts[0].with_values(_concat_inner([p.values for p in parts], axis - 1))


def _axis(axis: Any, rank: int | None) -> int:
    axis = int(axis.numpy() if isinstance(axis, EagerTensor) else axis)
    if rank is not None:
        if not -rank <= axis < rank:
            raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
        axis = axis + rank if axis < 0 else axis
    return axis


def concat(values: Any, axis: Any, name: str | None = None) -> RaggedTensor:
    """Joins ragged (and dense) tensors: axis 0 appends rows, axis 1 joins row by row.

    Raises:
        InvalidArgumentError: different numbers of rows for ``axis >= 1``, or different dtypes.
    """
    parts = _prepare(values)
    axis = _axis(axis, parts[0].shape.rank)
    return _concat_rows(parts) if axis == 0 else _concat_inner(parts, axis)


def stack(values: Any, axis: Any = 0, name: str | None = None) -> RaggedTensor:
    """Stacks ragged (and dense) tensors along a new ``axis`` (0 or 1)."""
    parts = _prepare(values)
    rank = parts[0].shape.rank
    axis = _axis(axis, None if rank is None else rank + 1)
    if axis == 0:
        expanded = [RaggedTensor._create(p, array_ops.stack([math_ops.cast(0, p.row_splits_dtype), p.nrows()]))
                    for p in parts]
        return _concat_rows(expanded)
    if axis == 1:
        expanded = [RaggedTensor._create(p, _range(p.nrows() + 1, p.row_splits_dtype)) for p in parts]
        return _concat_inner(expanded, 1)
    raise NotImplementedError(f"stacking RaggedTensors along axis {axis} is not supported yet")


@export("ragged.stack")
def ragged_stack(values: Any, axis: int = 0, name: str | None = None) -> Any:
    """``stack`` for ragged and dense inputs (the result is always ragged)."""
    values = list(values)
    if not any(isinstance(v, RaggedTensor) for v in values):
        values = [RaggedTensor.from_tensor(v) for v in values]
    return stack(values, axis)


def gather(params: Any, indices: Any, validate_indices: Any = None, axis: Any = None, batch_dims: int = 0,
           name: str | None = None) -> Any:
    """Rows of ragged ``params`` at ``indices`` (axis 0), or a dense gather at ragged ``indices``."""
    if isinstance(indices, RaggedTensor):
        return indices.with_flat_values(gather(params, indices.flat_values, axis=axis, batch_dims=batch_dims))
    if (axis not in (None, 0)) or batch_dims != 0:
        raise NotImplementedError("gathering a RaggedTensor along an axis other than 0 is not supported yet")
    if not isinstance(params, RaggedTensor):
        return indexing_ops.gather(params, indices)
    indices = convert_to_tensor(indices)
    if indices.shape.rank == 0:
        return params[indices]
    if indices.shape.rank != 1:
        raise NotImplementedError("gathering a RaggedTensor with indices of rank > 1 is not supported yet")
    return _gather_rows(params, indices)


@export("ragged.boolean_mask")
def boolean_mask(data: Any, mask: Any, name: str | None = None) -> Any:
    """The entries of ``data`` where ``mask`` is true, keeping the dimensions ``mask`` covers but the last
    (which becomes ragged).

    Raises:
        ValueError: a scalar mask, or a mask whose rank exceeds ``data``'s.
    """
    if not isinstance(mask, RaggedTensor):
        mask = convert_to_tensor(mask, dtype=dtypes.bool)
    mask_rank = mask.shape.rank
    if mask_rank == 0:
        raise ValueError("mask.shape.ndims must be greater than 0")
    if mask_rank == 1:
        keep = array_ops.reshape(math_ops.where(mask), [-1])
        return _take(data, keep)
    if not isinstance(data, RaggedTensor):
        data = RaggedTensor.from_tensor(data, ragged_rank=mask_rank - 1)
    if not isinstance(mask, RaggedTensor):
        mask = RaggedTensor.from_tensor(mask, ragged_rank=mask_rank - 1)
    if mask.ragged_rank != 1 or data.ragged_rank != 1:
        raise NotImplementedError("ragged.boolean_mask with more than one ragged dimension is not supported yet")
    _check_same_partition(RaggedTensor._create(data.flat_values, data.row_splits), mask)
    keep = array_ops.reshape(math_ops.where(mask.flat_values), [-1])
    ids = indexing_ops.gather(data.value_rowids(), keep)
    splits = execute(index_ops.SplitsFromIds, (ids, data.nrows()))
    return RaggedTensor._create(indexing_ops.gather(data.values, keep), splits)


# ---------------------------------------------------------------------------------------------------------
# ragged.range and segment ids


@export("ragged.range")
def ragged_range(starts: Any, limits: Any = None, deltas: Any = 1, dtype: Any = None, name: str | None = None,
                 row_splits_dtype: Any = dtypes.int64) -> RaggedTensor:
    """Row ``i`` is ``range(starts[i], limits[i], deltas[i])`` (``limits`` alone counts from 0).

    Raises:
        InvalidArgumentError: a zero delta.
    """
    if limits is None:
        starts, limits = 0, starts
    values = [starts, limits, deltas]
    if dtype is not None:
        tensors = [convert_to_tensor(v, dtype=dtype) for v in values]
    else:
        tensors = [convert_to_tensor(v) for v in values]
        target = _widest([t.dtype for t in tensors])
        tensors = [t if t.dtype is target else math_ops.cast(t, target) for t in tensors]
    splits, flat = execute(index_ops.RaggedRange, tuple(tensors),
                           {"splits_dtype": dtypes.as_dtype(row_splits_dtype)._np})
    return RaggedTensor._create(flat, splits)


def _widest(dts: list) -> dtypes.DType:
    order = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]
    return max(dts, key=lambda d: order.index(d) if d in order else 0)


@export("ragged.row_splits_to_segment_ids")
def row_splits_to_segment_ids(splits: Any, name: str | None = None, out_type: Any = None) -> Tensor:
    """The row index of each value, from row splits."""
    splits = convert_to_tensor(splits, dtype_hint=dtypes.int64)
    ids = execute(index_ops.RowIds, (splits,))
    return ids if out_type is None else math_ops.cast(ids, out_type)


@export("ragged.segment_ids_to_row_splits")
def segment_ids_to_row_splits(segment_ids: Any, num_segments: Any = None, out_type: Any = None,
                              name: str | None = None) -> Tensor:
    """Row splits from (sorted) segment ids; ``num_segments`` defaults to the largest id + 1."""
    ids = convert_to_tensor(segment_ids, dtype_hint=dtypes.int64)
    if num_segments is None:
        padded = array_ops.concat([array_ops.fill([1], math_ops.cast(-1, ids.dtype)), ids], 0)
        num_segments = math_ops.add(reduction_ops.reduce_max(padded), math_ops.cast(1, ids.dtype))
    splits = execute(index_ops.SplitsFromIds, (ids, convert_to_tensor(num_segments, dtype=ids.dtype)))
    return splits if out_type is None else math_ops.cast(splits, out_type)


# ---------------------------------------------------------------------------------------------------------
# Dispatch of the public API

_UNARY = (
    "abs", "negative", "sqrt", "rsqrt", "exp", "expm1", "log", "log1p", "square", "sin", "cos", "tan", "sinh",
    "cosh", "tanh", "asin", "acos", "atan", "asinh", "acosh", "atanh", "sigmoid", "floor", "ceil", "round",
    "rint", "sign", "reciprocal", "logical_not", "is_nan", "is_inf", "is_finite", "erf", "erfc", "softplus",
    "softsign", "relu", "relu6", "elu", "selu", "gelu", "silu", "swish", "leaky_relu", "identity", "conj",
    "real", "imag", "cast", "saturate_cast", "zeros_like", "ones_like", "stop_gradient", "clip_by_value",
)
_BINARY = (
    "add", "subtract", "multiply", "divide", "truediv", "floordiv", "floormod", "mod", "pow", "maximum",
    "minimum", "squared_difference", "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
    "logical_and", "logical_or", "logical_xor", "atan2", "divide_no_nan", "truncatediv", "truncatemod",
    "xdivy", "xlogy",
)
_REDUCTIONS = {"reduce_sum": "sum", "reduce_prod": "prod", "reduce_max": "max", "reduce_min": "min",
               "reduce_mean": "mean", "reduce_all": "all", "reduce_any": "any"}


_RAGGED_OR_SEQUENCE = (RaggedTensor, list, tuple)


def _is_ragged_argument(a: Any) -> bool:
    return isinstance(a, RaggedTensor) or (type(a) in (list, tuple) and any(isinstance(v, RaggedTensor) for v in a))


def _has_ragged(args: tuple, kwargs: dict) -> bool:
    # runs on every call of a dispatching public function: one isinstance per plain tensor argument
    for a in args:
        if isinstance(a, _RAGGED_OR_SEQUENCE) and _is_ragged_argument(a):
            return True
    if kwargs:
        for a in kwargs.values():
            if isinstance(a, _RAGGED_OR_SEQUENCE) and _is_ragged_argument(a):
                return True
    return False


def _dispatching(fn: Callable, handler: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _has_ragged(args, kwargs):
            return handler(fn, *args, **kwargs)
        return fn(*args, **kwargs)

    wrapper._ragged_dispatch = True
    return wrapper


def _unary_handler(fn: Callable, x: Any, *args: Any, **kwargs: Any) -> Any:
    kwargs.pop("name", None)
    return x.with_flat_values(fn(x.flat_values, *args, **kwargs))


def _binary_handler(fn: Callable, x: Any, y: Any, *args: Any, **kwargs: Any) -> Any:
    kwargs.pop("name", None)
    return elementwise(fn, x, y, *args, **kwargs)


def _reduction_handler(kind: str) -> Callable:
    def handler(fn: Callable, input_tensor: Any, axis: Any = None, keepdims: bool = False,
                name: str | None = None, **unused: Any) -> Any:
        return reduce(kind, input_tensor, axis, bool(keepdims or unused.get("keep_dims")))

    return handler


def _concat_handler(fn: Callable, values: Any, axis: Any, name: str | None = None) -> Any:
    return concat(values, axis)


def _stack_handler(fn: Callable, values: Any, axis: Any = 0, name: str | None = None) -> Any:
    return stack(values, axis)


def _gather_handler(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    return gather(*args, **kwargs)


def _boolean_mask_handler(fn: Callable, tensor: Any, mask: Any, axis: Any = None, name: str | None = None) -> Any:
    if axis not in (None, 0):
        raise NotImplementedError("boolean_mask of a RaggedTensor with axis != 0 is not supported yet")
    return boolean_mask(tensor, mask)


def install_dispatch() -> None:
    """Wraps the exported ``ndflow`` functions (every namespace) so that they accept ragged tensors."""
    handlers: dict[str, Callable] = {name: _unary_handler for name in _UNARY}
    handlers.update({name: _binary_handler for name in _BINARY})
    handlers.update({name: _reduction_handler(kind) for name, kind in _REDUCTIONS.items()})
    handlers.update(concat=_concat_handler, stack=_stack_handler, gather=_gather_handler,
                    boolean_mask=_boolean_mask_handler)
    handler_of: dict[int, Callable] = {}  # by function, so every alias (tf.nn.silu for swish) gets the wrapper
    for entries in _EXPORTS.values():
        for short, handler in handlers.items():
            fn = entries.get(short)
            if callable(fn) and not getattr(fn, "_ragged_dispatch", False) and not isinstance(fn, type):
                handler_of.setdefault(id(fn), handler)
    wrapped: dict[int, Callable] = {}  # one wrapper per function, so aliases stay the same object
    for entries in _EXPORTS.values():
        for short, fn in list(entries.items()):
            if id(fn) in handler_of:
                if id(fn) not in wrapped:
                    wrapped[id(fn)] = _dispatching(fn, handler_of[id(fn)])
                entries[short] = wrapped[id(fn)]


def _ragged_binary(fn: Callable, reflected: bool = False) -> Callable:
    if reflected:
        return lambda self, other: elementwise(fn, other, self)
    return lambda self, other: elementwise(fn, self, other)


def _bind_operators() -> None:
    pairs = {"add": math_ops.add, "sub": math_ops.subtract, "mul": math_ops.multiply,
             "truediv": math_ops.divide, "floordiv": math_ops.floordiv, "mod": math_ops.floormod,
             "pow": math_ops.pow, "and": math_ops.logical_and, "or": math_ops.logical_or,
             "xor": math_ops.logical_xor}
    for short, fn in pairs.items():
        setattr(RaggedTensor, f"__{short}__", _ragged_binary(fn))
        setattr(RaggedTensor, f"__r{short}__", _ragged_binary(fn, reflected=True))
    for short, fn in {"lt": math_ops.less, "le": math_ops.less_equal, "gt": math_ops.greater,
                      "ge": math_ops.greater_equal}.items():
        setattr(RaggedTensor, f"__{short}__", _ragged_binary(fn))
    RaggedTensor.__neg__ = lambda self: self.with_flat_values(math_ops.negative(self.flat_values))
    RaggedTensor.__abs__ = lambda self: self.with_flat_values(math_ops.abs(self.flat_values))
    RaggedTensor.__invert__ = lambda self: self.with_flat_values(math_ops.logical_not(self.flat_values))


_bind_operators()
