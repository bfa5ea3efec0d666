"""Sorting, top-k, unique values and counting (``tf.sort``, ``tf.math.top_k``, ``tf.unique`` …)."""
from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from .. import dtypes
from ..export import export
from ..shape import TensorShape
from ..tensor import Tensor
from ._helpers import check_dtype, execute, invalid_arg, register, shape_text, to_tensor
from .array_ops import reshape
from .math_ops import cast
from .reduction_ops import MINMAX_TYPES, attr_error

TopKV2 = namedtuple("TopKV2", ["values", "indices"])
Unique = namedtuple("Unique", ["y", "idx"])
UniqueWithCounts = namedtuple("UniqueWithCounts", ["y", "idx", "count"])

_DIRECTIONS = ("ASCENDING", "DESCENDING")


# ---------------------------------------------------------------------------------------------------------
# Moving values along one axis by index: the gradients of sorting and top-k (indices are distinct per line).


def _gather_along_axis_forward(xp, x, indices, *, axis):
    return xp.take_along_axis(x, indices, axis=axis)


def _scatter_along_axis_forward(xp, updates, indices, like, *, axis):
    out = xp.zeros(like.shape, dtype=updates.dtype)
    xp.put_along_axis(out, indices, updates, axis=axis)
    return out


def _gather_along_axis_grad(entry, dy):
    x, indices = entry.inputs
    return execute(ScatterAlongAxis, (dy, indices, x), entry.attrs), None


def _scatter_along_axis_grad(entry, dy):
    return execute(GatherAlongAxis, (dy, entry.inputs[1]), entry.attrs), None, None


GatherAlongAxis = register("GatherAlongAxis", _gather_along_axis_forward, grad=_gather_along_axis_grad)
ScatterAlongAxis = register("ScatterAlongAxis", _scatter_along_axis_forward, grad=_scatter_along_axis_grad)


def _sorted_order(xp, x, axis, descending):
    # Stable argsort; for descending order sort an order-reversing key (no overflow: ~x == -x - 1 for ints),
    # so equal values keep their index order and NaN goes last either way, like TF's top_k.
    if descending:
        x = -x if x.dtype.kind == "f" else ~x
    return xp.argsort(x, axis=axis, kind="stable")


def _selected_values_grad(entry, dvalues, dindices):
    """Gradient of (values, indices) = select(x): each value's gradient goes back to where it came from."""
    axis = entry.attrs.get("axis", -1)  # top_k works on the last axis
    return (execute(ScatterAlongAxis, (dvalues, entry.outputs[1], entry.inputs[0]), {"axis": axis}),)


# ---------------------------------------------------------------------------------------------------------
# top_k, sort, argsort


def _top_k_forward(xp, x, *, k, index_type):
    order = _sorted_order(xp, x, -1, True)[..., :k]
    return xp.take_along_axis(x, order, axis=-1), order.astype(index_type)


TopK = register("TopKV2", _top_k_forward, grad=_selected_values_grad, num_outputs=2)


@export("math.top_k", "nn.top_k")
def top_k(input: Any, k: Any = 1, sorted: bool = True, index_type: Any = dtypes.int32,
          name: str | None = None) -> TopKV2:
    """The ``k`` largest entries of the last axis and their indices, largest first (lower index on ties).

    Returns:
        ``TopKV2(values, indices)``; the gradient flows to the selected entries.

    Raises:
        InvalidArgumentError: a scalar input, ``k < 0`` or ``k`` larger than the last dimension.
    """
    x = to_tensor(input)
    if x.dtype.name not in MINMAX_TYPES:
        check_dtype("TopKV2", x, MINMAX_TYPES)
    k = int(np.asarray(k))
    if x.ndim == 0:
        raise invalid_arg("TopKV2", "input must be >= 1-D, got shape []")
    if k < 0:
        raise invalid_arg("TopKV2", f"Need k >= 0, got {k}")
    if x.shape[-1] < k:
        raise invalid_arg("TopKV2", f"input must have at least k columns. Had {x.shape[-1]}, needed {k}")
    values, indices = execute(TopK, (x,), {"k": k, "index_type": dtypes.as_dtype(index_type)._np})
    return TopKV2(values, indices)


def _sort_forward(xp, x, *, axis, descending):
    order = _sorted_order(xp, x, axis, descending)
    return xp.take_along_axis(x, order, axis=axis), order


def _argsort_forward(xp, x, *, axis, descending):
    return _sorted_order(xp, x, axis, descending).astype(xp.int32)


SortOp = register("Sort", _sort_forward, grad=_selected_values_grad, num_outputs=2)
ArgSort = register("ArgSort", _argsort_forward)


def _sort_args(values: Any, axis: Any, direction: str) -> tuple[Tensor, dict]:
    if direction not in _DIRECTIONS:
        raise ValueError(f"Argument `direction` should be one of {', '.join(_DIRECTIONS)}. Received: "
                         f"direction={direction}")
    x = to_tensor(values)
    if x.dtype.name not in MINMAX_TYPES:
        check_dtype("TopKV2", x, MINMAX_TYPES)
    axis = int(np.asarray(axis))
    if not -x.ndim <= axis < x.ndim:
        raise invalid_arg("StridedSlice", f"slice index {axis} of dimension 0 out of bounds.")
    return x, {"axis": axis % x.ndim, "descending": direction == "DESCENDING"}


@export("sort")
def sort(values: Any, axis: int = -1, direction: str = "ASCENDING", name: str | None = None) -> Tensor:
    """``values`` sorted along ``axis`` (stable; NaN last).

    Raises:
        ValueError: ``direction`` is not ``"ASCENDING"`` or ``"DESCENDING"``.
        InvalidArgumentError: ``axis`` out of range or an unsortable dtype.
    """
    x, attrs = _sort_args(values, axis, direction)
    return execute(SortOp, (x,), attrs)[0]


@export("argsort")
def argsort(values: Any, axis: int = -1, direction: str = "ASCENDING", stable: bool = False,
            name: str | None = None) -> Tensor:
    """int32 indices that sort ``values`` along ``axis``; always stable (equal values keep index order)."""
    x, attrs = _sort_args(values, axis, direction)
    return execute(ArgSort, (x,), attrs)


# ---------------------------------------------------------------------------------------------------------
# unique, bincount


def _unique_forward(xp, x, *, out_idx):
    if x.ndim != 1:
        raise invalid_arg("Unique", "unique expects a 1D vector.")
    nan_kw = {"equal_nan": False} if x.dtype.kind in "fc" else {}
    values, first, inverse, counts = xp.unique(x, return_index=True, return_inverse=True, return_counts=True,
                                               **nan_kw)
    order = xp.argsort(first, kind="stable")  # order of first occurrence
    rank = xp.empty_like(order)
    rank[order] = xp.arange(order.size)
    return values[order], rank[inverse.reshape(-1)].astype(out_idx), counts[order].astype(out_idx)


def _infer_unique(x, *, out_idx):
    index_dtype = dtypes.as_dtype(out_idx)
    return [(TensorShape([None]), x[1]), (x[0], index_dtype), (TensorShape([None]), index_dtype)]


UniqueOp = register("UniqueWithCounts", _unique_forward, num_outputs=3, infer=_infer_unique)


def _unique(x: Any, out_idx: Any) -> tuple:
    x = to_tensor(x)
    out = dtypes.as_dtype(out_idx)
    if out.name not in ("int32", "int64"):
        raise attr_error("Unique", "out_idx", out, ("int32", "int64"))
    return execute(UniqueOp, (x,), {"out_idx": out._np})


@export("unique")
def unique(x: Any, out_idx: Any = dtypes.int32, name: str | None = None) -> Unique:
    """Distinct values of a 1-D tensor in order of first occurrence, and each entry's index into them.

    Raises:
        InvalidArgumentError: ``x`` is not 1-D.
    """
    y, idx, _ = _unique(x, out_idx)
    return Unique(y, idx)


@export("unique_with_counts")
def unique_with_counts(x: Any, out_idx: Any = dtypes.int32, name: str | None = None) -> UniqueWithCounts:
    """Like ``unique``, plus how often each distinct value occurs."""
    return UniqueWithCounts(*_unique(x, out_idx))


def _dense_bincount_forward(xp, arr, weights, *, minlength, maxlength, binary_output, dtype):
    if arr.size and arr.min() < 0:
        raise invalid_arg("DenseBincount", "Input arr must be non-negative!")
    if weights.size and weights.shape != arr.shape:
        raise invalid_arg("DenseBincount", "`weights` must be the same shape as `arr` or a length-0 "
                                           "`Tensor`, in which case it acts as all weights equal to 1. "
                                           f"Received {shape_text(weights.shape)}")
    size = int(arr.max()) + 1 if arr.size else 0
    if minlength is not None:
        size = max(size, minlength)
    if maxlength is not None:
        size = max(min(size, maxlength), 0)
    per_row = arr.ndim == 2
    rows = arr.shape[0] if per_row else 1
    arr = arr.reshape(rows, -1).astype(xp.int64)
    kept = arr < size
    ids = (arr + xp.arange(rows, dtype=xp.int64)[:, None] * size)[kept]
    w = weights.reshape(rows, -1)[kept] if weights.size and not binary_output else None
    counts = xp.bincount(ids, weights=w, minlength=rows * size)
    if binary_output:
        counts = counts > 0
    return counts.reshape((rows, size) if per_row else (size,)).astype(dtype)


DenseBincount = register("DenseBincount", _dense_bincount_forward)


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(np.asarray(value))


@export("math.bincount")
def bincount(arr: Any, weights: Any = None, minlength: Any = None, maxlength: Any = None,
             dtype: Any = dtypes.int32, name: str | None = None, axis: Any = None,
             binary_output: bool = False) -> Tensor:
    """Counts (or sums ``weights``) per non-negative integer value of ``arr``.

    The output has ``max(arr) + 1`` bins, at least ``minlength`` and at most ``maxlength`` (larger values are
    dropped). ``axis=-1`` counts each row of a 2-D ``arr`` separately.

    Raises:
        InvalidArgumentError: negative values, or ``weights`` shaped unlike ``arr``.
        ValueError: ``weights`` with ``binary_output``, or an axis other than 0/-1/None.
    """
    arr = to_tensor(arr)
    if weights is not None:
        weights = to_tensor(weights)
        if binary_output:
            raise ValueError("Arguments `binary_output` and `weights` are mutually exclusive. Please specify "
                             "only one.")
    if not arr.dtype.is_integer:
        arr = cast(arr, dtypes.int32)
    if axis is None:
        axis = 0
    if axis not in (0, -1):
        raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are currently "
                         "supported.")
    if axis == 0:
        arr = reshape(arr, [-1])
        if weights is not None:
            weights = reshape(weights, [-1])
    if weights is None:
        weights = to_tensor(np.zeros(0, dtypes.as_dtype(dtype)._np))
    attrs = {"minlength": _optional_int(minlength), "maxlength": _optional_int(maxlength),
             "binary_output": bool(binary_output), "dtype": weights.dtype._np}
    return execute(DenseBincount, (arr, weights), attrs)
