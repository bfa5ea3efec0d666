"""Helpers shared by the clustering and mixture estimators: parameter checks and squared distances."""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..._core.backend import get_namespace
from ..preprocessing._utils import InvalidParameterError, check_option

__all__ = ["InvalidParameterError", "check_option", "check_number", "squared_distances", "nearest_center",
           "nearest_center_labels", "is_array_like"]

_CHUNK_ELEMENTS = 1 << 22  # at most 32 MiB of float64 per block of the distance matrix
_CHUNK_ROWS = 4096  # small blocks stay in cache and avoid BLAS threading overhead on thin products
_FEW_CENTERS = 32  # up to this many centers (at most 255: ranks are uint8), a vectorised minimum over
# centers beats a per-row arg-min
_CACHE_BLOCK_ROWS = 8192  # rows per block then (and in k-means' blocked loops): the block and its distances to a
# few centers stay in the L2 cache


def check_number(estimator: Any, name: str, value: Any, kind: str, low: float | None = None,
                 high: float | None = None, *, closed: str = "left", allow_none: bool = False) -> None:
    """Raises InvalidParameterError unless ``value`` is an int (``kind="int"``) or real in the interval.

    ``closed`` says which ends are included: ``"left"``, ``"right"``, ``"both"`` or ``"neither"``.
    """
    if value is None and allow_none:
        return
    is_int = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    is_real = isinstance(value, numbers.Real) and not isinstance(value, bool)
    ok = is_int if kind == "int" else is_real
    if ok:
        above = low is None or (value >= low if closed in ("left", "both") else value > low)
        below = high is None or (value <= high if closed in ("right", "both") else value < high)
        ok = above and below
    if ok:
        return
    left = "[" if closed in ("left", "both") and low is not None else "("
    right = "]" if closed in ("right", "both") and high is not None else ")"
    interval = f"{left}{'-inf' if low is None else low}, {'inf' if high is None else high}{right}"
    what = "an int" if kind == "int" else "a float"
    suffix = " or None" if allow_none else ""
    raise InvalidParameterError(
        f"The {name!r} parameter of {type(estimator).__name__} must be {what} in the range {interval}"
        f"{suffix}. Got {value!r} instead."
    )


def is_array_like(value: Any) -> bool:
    """True for arrays and sequences (not strings, scalars or callables)."""
    return (hasattr(value, "__len__") or hasattr(value, "shape") or hasattr(value, "__array__")) \
        and not isinstance(value, str) and not np.isscalar(value)


def squared_distances(X: Any, Y: Any, X_sq: Any = None, Y_sq: Any = None) -> Any:
    """Squared Euclidean distances ``‖x‖² − 2x·y + ‖y‖²`` (one BLAS product, clipped at 0)."""
    xp = get_namespace(X, Y)
    if X_sq is None:
        X_sq = xp.einsum("ij,ij->i", X, X)
    if Y_sq is None:
        Y_sq = xp.einsum("ij,ij->i", Y, Y)
    d = -2.0 * (X @ Y.T)
    d += X_sq[:, None]
    d += Y_sq[None, :]
    return xp.maximum(d, 0, out=d)


def nearest_center(X: Any, centers: Any, X_sq: Any = None) -> tuple[Any, Any]:
    """Index of the nearest center of each row and the squared distance to it, in memory-bounded chunks.

    Returns:
        ``(labels, min_sq_dist)``: int32 labels and float distances of the rows of ``X``.
    """
    xp = get_namespace(X, centers)
    if X_sq is None:
        X_sq = xp.einsum("ij,ij->i", X, X)
    labels, best = nearest_center_labels(X, centers, with_partial=True)
    best += X_sq
    return labels, xp.maximum(best, 0, out=best).astype(X.dtype, copy=False)


def nearest_center_labels(X: Any, centers: Any, *, with_partial: bool = False) -> Any:
    """Index of the nearest center of each row (int32), the first one on ties, as ``argmin`` gives.

    The comparison uses ``‖c‖² − 2x·c`` (``‖x‖²`` is the same for every center), computed block by block.

    Returns:
        the labels, or ``(labels, partial)`` with the row minima of ``‖c‖² − 2x·c`` when ``with_partial``.
    """
    xp = get_namespace(X, centers)
    n, k = X.shape[0], centers.shape[0]
    c_sq = xp.einsum("ij,ij->i", centers, centers)
    scaled = -2.0 * centers  # scaling by -2 is exact: x·(-2c) has the same bits as -2(x·c)
    dtype = xp.result_type(X.dtype, scaled.dtype)
    labels = xp.empty(n, dtype=xp.int32)
    partial = xp.empty(n, dtype=dtype) if with_partial else None
    if k > _FEW_CENTERS:
        step = max(1, min(_CHUNK_ROWS, n, _CHUNK_ELEMENTS // k))
        dist = xp.empty((step, k), dtype=dtype)
        for start in range(0, n, step):
            rows = X[start:start + step]
            block = dist[:rows.shape[0]]
            xp.matmul(rows, scaled.T, out=block)
            block += c_sq
            lab = xp.argmin(block, axis=1)
            labels[start:start + step] = lab
            if with_partial:
                partial[start:start + step] = xp.take_along_axis(block, lab[:, None], axis=1)[:, 0]
        return (labels, partial) if with_partial else labels
    # few centers: blocks laid out (centers, rows), so the minimum over the centers is a vectorised reduction
    # across rows; the label is then the first center reaching that minimum, found as the largest
    # "rank" k − j among the centers j equal to it
    step = max(1, min(_CACHE_BLOCK_ROWS, n))
    rank = (k - xp.arange(k)).astype(xp.uint8)[:, None]
    dist = xp.empty((k, step), dtype=dtype)
    low = xp.empty(step, dtype=dtype)
    hit = xp.empty((k, step), dtype=bool)
    code = xp.empty((k, step), dtype=xp.uint8)
    top = xp.empty(step, dtype=xp.uint8)
    c_sq = c_sq[:, None]
    for start in range(0, n, step):
        rows = X[start:start + step]
        m = rows.shape[0]
        block = dist[:, :m]
        xp.matmul(scaled, rows.T, out=block)
        block += c_sq
        row_min = xp.min(block, axis=0, out=low[:m] if partial is None else partial[start:start + m])
        xp.equal(block, row_min, out=hit[:, :m])
        xp.multiply(hit[:, :m], rank, out=code[:, :m])
        xp.subtract(k, xp.max(code[:, :m], axis=0, out=top[:m]), out=labels[start:start + m], dtype=xp.int32)
    return (labels, partial) if with_partial else labels
