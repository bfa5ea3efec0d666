"""Segment reductions (``tf.math.segment_sum``, ``tf.math.unsorted_segment_max`` …)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..export import export
from ..shape import TensorShape
from ..tensor import Tensor
from . import math_ops
from ._helpers import check_dtype, execute, invalid_arg, register, shape_text, to_tensor
from .array_ops import ones_like, zeros_like
from .math_ops import cast, divide, divide_no_nan, multiply
from .reduction_ops import MINMAX_TYPES, SUM_TYPES, attr_error

# ---------------------------------------------------------------------------------------------------------
# Kernels


def _check_sorted_ids(xp, op_name, data, ids):
    if ids.ndim != 1:
        raise invalid_arg(op_name, "segment_ids should be a vector.")
    if data.ndim == 0 or ids.shape[0] != data.shape[0]:
        raise invalid_arg(op_name, "segment_ids should be the same size as dimension 0 of input.")
    if not ids.size:
        return 0
    num_segments = int(ids[-1]) + 1
    if (ids[1:] < ids[:-1]).any():
        raise invalid_arg(op_name, "segment ids are not increasing")
    if ids[0] < 0:
        raise invalid_arg(op_name, f"Segment id {int(ids[0])} out of range [0, {num_segments}), possibly "
                                   "because 'segment_ids' input is not sorted.")
    return num_segments


def _valid_rows(xp, op_name, data, ids, num_segments):
    """Flattens ``data`` to one row per segment id, validating ids and dropping negative ones."""
    if data.shape[:ids.ndim] != ids.shape:
        raise invalid_arg(op_name, f"data.shape = {shape_text(data.shape)} does not start with "
                                   f"segment_ids.shape = {shape_text(ids.shape)}")
    flat = ids.reshape(-1)
    too_big = flat >= num_segments
    if too_big.any():
        i = int(xp.argmax(too_big))
        raise invalid_arg(op_name, f"segment_ids[{i}] = {int(flat[i])} is out of range [0, {num_segments})")
    rows = data.reshape((flat.size,) + data.shape[ids.ndim:])
    keep = flat >= 0
    if keep.all():
        return rows, flat
    return rows[keep], flat[keep]


def _identity(xp, kind, dtype):
    if kind == "max":
        return xp.finfo(dtype).min if dtype.kind == "f" else xp.iinfo(dtype).min
    if kind == "min":
        return xp.finfo(dtype).max if dtype.kind == "f" else xp.iinfo(dtype).max
    return 1 if kind == "prod" else 0


_SCATTER_UFUNC = {"sum": "add", "prod": "multiply", "max": "maximum", "min": "minimum"}


def _scatter_reduce(xp, kind, rows, ids, num_segments):
    out = xp.full((num_segments,) + rows.shape[1:], _identity(xp, kind, rows.dtype), dtype=rows.dtype)
    getattr(xp, _SCATTER_UFUNC[kind]).at(out, ids, rows)
    return out


def _segment_forward(xp, data, ids, *, op_name, kind):
    num_segments = _check_sorted_ids(xp, op_name, data, ids)
    mean = kind == "mean"
    out = _scatter_reduce(xp, "sum" if mean else kind, data, ids, num_segments)
    if kind in ("prod", "sum"):
        return out
    counts = xp.bincount(ids.astype(xp.int64), minlength=num_segments).reshape((-1,) + (1,) * (data.ndim - 1))
    if mean:
        if data.dtype.kind in "iu":
            quotient = xp.abs(out) // xp.maximum(counts, 1)
            return (xp.sign(out) * quotient if data.dtype.kind == "i" else quotient).astype(data.dtype)
        return (out / xp.maximum(counts, 1)).astype(data.dtype, copy=False)
    return xp.where(counts > 0, out, xp.zeros((), dtype=data.dtype))  # TF's sorted max/min: empty → 0


def _unsorted_segment_forward(xp, data, ids, *, num_segments, op_name, kind):
    rows, flat = _valid_rows(xp, op_name, data, ids, num_segments)
    return _scatter_reduce(xp, kind, rows, flat, num_segments)


def _gather_drop_negatives_forward(xp, params, ids):
    gathered = params[xp.maximum(ids, 0)]
    if (ids >= 0).all():
        return gathered
    valid = (ids >= 0).reshape(ids.shape + (1,) * (params.ndim - 1))
    return xp.where(valid, gathered, xp.zeros((), dtype=params.dtype))


def _segment_counts_forward(xp, ids, like, *, trailing, dtype):
    num_segments = like.shape[0]
    flat = ids.reshape(-1)
    counts = xp.bincount(flat[flat >= 0].astype(xp.int64), minlength=num_segments)[:num_segments]
    return xp.maximum(counts, 1).reshape((num_segments,) + (1,) * trailing).astype(dtype)


def _selection_weights_forward(xp, data, output, ids):
    # 1/k for each of the k entries of a segment (per column) equal to its max/min, 0 elsewhere
    selected = data == output[xp.maximum(ids, 0)]
    selected &= (ids >= 0).reshape(ids.shape + (1,) * (data.ndim - ids.ndim))
    rows, flat = selected.reshape((ids.size,) + data.shape[ids.ndim:]), ids.reshape(-1)
    keep = flat >= 0
    counts = xp.zeros(output.shape, dtype=data.dtype)
    xp.add.at(counts, flat[keep], rows[keep].astype(data.dtype))
    return selected.astype(data.dtype) / xp.maximum(counts[xp.maximum(ids, 0)], 1)


# Static shape rules: probing kernels on stand-in ids would fix sizes that depend on the ids' values.


def _dims(shape: Any) -> list | None:
    return None if shape.rank is None else shape.as_list()


def _segment_rows_spec(rows: Any, data: tuple, ids: tuple) -> tuple:
    data_dims, ids_rank = _dims(data[0]), ids[0].rank
    if data_dims is None or ids_rank is None:
        return TensorShape(None), data[1]
    return TensorShape([rows] + data_dims[ids_rank:]), data[1]


def _infer_gather(params, ids, **attrs):
    ids_dims, params_dims = _dims(ids[0]), _dims(params[0])
    if ids_dims is None or params_dims is None:
        return [(TensorShape(None), params[1])]
    return [(TensorShape(ids_dims + params_dims[1:]), params[1])]


def _infer_counts(ids, like, *, trailing, dtype):
    rows = None if like[0].rank is None else like[0].as_list()[0]
    return [(TensorShape([rows] + [1] * trailing), dtypes.as_dtype(dtype))]


GatherDropNegatives = register("GatherDropNegatives", _gather_drop_negatives_forward, infer=_infer_gather)
SegmentCounts = register("SegmentCounts", _segment_counts_forward, infer=_infer_counts)
SegmentSelectionWeights = register("SegmentSelectionWeights", _selection_weights_forward,
                                   infer=lambda data, output, ids: [data])


def gather_drop_negatives(params: Tensor, ids: Tensor) -> Tensor:
    """``params[ids]`` along axis 0, with zeros where an id is negative."""
    return execute(GatherDropNegatives, (params, ids))


def _reduce_like(kind: str, data: Tensor, ids: Tensor, like: Tensor) -> Tensor:
    """An unsorted segment reduction into as many segments as ``like`` has rows (known at run time)."""
    return execute(REDUCE_LIKE_OPS[kind], (data, ids, like))


def _counts(data: Tensor, ids: Tensor, like: Tensor) -> Tensor:
    """Entries per segment (at least 1), shaped to broadcast against the segment output ``like``."""
    attrs = {"trailing": data.ndim - ids.ndim, "dtype": data.dtype._np}
    return execute(SegmentCounts, (ids, like), attrs)


# ---------------------------------------------------------------------------------------------------------
# Gradients: inputs are (data, segment_ids[, like]); the output's rows are the segments.


def _no_grads(entry) -> tuple:
    return (None,) * (len(entry.inputs) - 1)


@GatherDropNegatives.def_grad
def _gather_drop_negatives_grad(entry, dy):
    params, ids = entry.inputs
    return _reduce_like("sum", dy, ids, params), None


def _sum_grad(entry, dy):
    return (gather_drop_negatives(dy, entry.inputs[1]),) + _no_grads(entry)


def _mean_grad(entry, dy):
    data, ids = entry.inputs[0], entry.inputs[1]
    scaled = divide(dy, _counts(data, ids, entry.outputs[0]))
    return (gather_drop_negatives(scaled, ids),) + _no_grads(entry)


def _extremum_grad(entry, dy):
    data, ids = entry.inputs[0], entry.inputs[1]
    weights = execute(SegmentSelectionWeights, (data, entry.outputs[0], ids))
    return (multiply(weights, gather_drop_negatives(dy, ids)),) + _no_grads(entry)


def _prod_grad(entry, dy):
    # Exact at zeros: with one zero in a segment only that entry gets the product of the others.
    data, ids, output = entry.inputs[0], entry.inputs[1], entry.outputs[0]
    is_zero = math_ops.equal(data, 0)
    zeros_per_segment = _reduce_like("sum", cast(is_zero, dtypes.int32), ids, output)
    dy = math_ops.where(math_ops.greater(zeros_per_segment, 1), zeros_like(dy), dy)
    nonzero_product = _reduce_like("prod", math_ops.where(is_zero, ones_like(data), data), ids, output)
    partial = math_ops.where(is_zero, gather_drop_negatives(nonzero_product, ids),
                             divide_no_nan(gather_drop_negatives(output, ids), data))
    return (multiply(gather_drop_negatives(dy, ids), partial),) + _no_grads(entry)


_GRADS = {"sum": _sum_grad, "mean": _mean_grad, "max": _extremum_grad, "min": _extremum_grad,
          "prod": _prod_grad}


def _sorted_op(kind: str) -> Any:
    name = f"Segment{kind.capitalize()}"

    def forward(xp, data, ids):
        return _segment_forward(xp, data, ids, op_name=name, kind=kind)

    def infer(data, ids):
        return [_segment_rows_spec(None, data, ids)]

    return register(name, forward, grad=_GRADS[kind], infer=infer)


def _unsorted_op(kind: str) -> Any:
    name = f"UnsortedSegment{kind.capitalize()}"

    def forward(xp, data, ids, *, num_segments):
        return _unsorted_segment_forward(xp, data, ids, num_segments=num_segments, op_name=name, kind=kind)

    def infer(data, ids, *, num_segments):
        return [_segment_rows_spec(num_segments, data, ids)]

    return register(name, forward, grad=_GRADS[kind], infer=infer)


def _unsorted_like_op(kind: str) -> Any:
    """The unsorted reduction with as many segments as a third input has rows (for gradients in graphs)."""
    name = f"UnsortedSegment{kind.capitalize()}"

    def forward(xp, data, ids, like):
        return _unsorted_segment_forward(xp, data, ids, num_segments=like.shape[0], op_name=name, kind=kind)

    def infer(data, ids, like):
        return [_segment_rows_spec(like[0].as_list()[0] if like[0].rank else None, data, ids)]

    return register(f"{name}ToShapeOf", forward, grad=_GRADS[kind], infer=infer)


SEGMENT_OPS = {kind: _sorted_op(kind) for kind in ("sum", "mean", "max", "min", "prod")}
UNSORTED_SEGMENT_OPS = {kind: _unsorted_op(kind) for kind in ("sum", "max", "min", "prod")}
REDUCE_LIKE_OPS = {kind: _unsorted_like_op(kind) for kind in ("sum", "prod")}


# ---------------------------------------------------------------------------------------------------------
# Public API


def _check_args(op_name: str, data: Any, segment_ids: Any, allowed: tuple) -> tuple[Tensor, Tensor]:
    data, ids = to_tensor(data), to_tensor(segment_ids)
    if data.dtype.name not in allowed:
        check_dtype(op_name, data, allowed)
    if ids.dtype.name not in ("int32", "int64"):
        raise attr_error(op_name, "Tindices", ids.dtype, ("int32", "int64"))
    return data, ids


def _sorted(kind: str, data: Any, segment_ids: Any, allowed: tuple) -> Tensor:
    op = SEGMENT_OPS[kind]
    data, ids = _check_args(op.name, data, segment_ids, allowed)
    return execute(op, (data, ids))


def _num_segments(op_name: str, num_segments: Any) -> int:
    n = int(np.asarray(num_segments))
    if n < 0:
        raise invalid_arg(op_name, f"Input num_segments == {n} must not be negative.")
    return n


def _unsorted(kind: str, data: Any, segment_ids: Any, num_segments: Any, allowed: tuple) -> Tensor:
    op = UNSORTED_SEGMENT_OPS[kind]
    data, ids = _check_args(op.name, data, segment_ids, allowed)
    return execute(op, (data, ids), {"num_segments": _num_segments(op.name, num_segments)})


@export("math.segment_sum")
def segment_sum(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Sums the rows of ``data`` sharing a sorted segment id; the output has ``segment_ids[-1] + 1`` rows.

    Raises:
        InvalidArgumentError: ids not sorted, negative, not 1-D or not as long as ``data``.
    """
    return _sorted("sum", data, segment_ids, SUM_TYPES)


@export("math.segment_mean")
def segment_mean(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Means of the rows sharing a sorted segment id (integers truncate; empty segments give 0)."""
    return _sorted("mean", data, segment_ids, SUM_TYPES)


@export("math.segment_max")
def segment_max(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Maxima of the rows sharing a sorted segment id (empty segments give 0)."""
    return _sorted("max", data, segment_ids, MINMAX_TYPES)


@export("math.segment_min")
def segment_min(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Minima of the rows sharing a sorted segment id (empty segments give 0)."""
    return _sorted("min", data, segment_ids, MINMAX_TYPES)


@export("math.segment_prod")
def segment_prod(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Products of the rows sharing a sorted segment id (empty segments give 1)."""
    return _sorted("prod", data, segment_ids, SUM_TYPES)


@export("math.unsorted_segment_sum")
def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """Sums entries of ``data`` by segment id into ``num_segments`` rows; negative ids are dropped.

    ``segment_ids`` may have any shape that ``data``'s shape starts with.

    Raises:
        InvalidArgumentError: an id ``>= num_segments``, mismatched shapes or negative ``num_segments``.
    """
    return _unsorted("sum", data, segment_ids, num_segments, SUM_TYPES)


@export("math.unsorted_segment_max")
def unsorted_segment_max(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """Maxima by segment id; empty segments give the dtype's lowest finite value."""
    return _unsorted("max", data, segment_ids, num_segments, MINMAX_TYPES)


@export("math.unsorted_segment_min")
def unsorted_segment_min(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """Minima by segment id; empty segments give the dtype's largest finite value."""
    return _unsorted("min", data, segment_ids, num_segments, MINMAX_TYPES)


@export("math.unsorted_segment_prod")
def unsorted_segment_prod(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """Products by segment id; empty segments give 1."""
    return _unsorted("prod", data, segment_ids, num_segments, SUM_TYPES)


@export("math.unsorted_segment_mean")
def unsorted_segment_mean(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """Means by segment id (empty segments give 0; integer data gives a float result like TF's ``/``)."""
    summed = unsorted_segment_sum(data, segment_ids, num_segments)
    return divide(summed, _counts(to_tensor(data), to_tensor(segment_ids), summed))


@export("math.unsorted_segment_sqrt_n")
def unsorted_segment_sqrt_n(data: Any, segment_ids: Any, num_segments: Any,
                            name: str | None = None) -> Tensor:
    """Sums by segment id divided by the square root of each segment's size (empty segments give 0)."""
    summed = unsorted_segment_sum(data, segment_ids, num_segments)
    return divide(summed, math_ops.sqrt(_counts(to_tensor(data), to_tensor(segment_ids), summed)))
