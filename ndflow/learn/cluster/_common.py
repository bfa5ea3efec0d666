"""Helpers shared by the clustering and mixture estimators: parameter checks and squared distances."""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..._core.backend import get_namespace
from ..preprocessing._utils import InvalidParameterError, check_option

__all__ = ["InvalidParameterError", "check_option", "check_number", "squared_distances", "nearest_center",
           "is_array_like"]

_CHUNK_ELEMENTS = 1 << 22  # at most 32 MiB of float64 per block of the distance matrix
_CHUNK_ROWS = 4096  # small blocks stay in cache and avoid BLAS threading overhead on thin products


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
    n = X.shape[0]
    if X_sq is None:
        X_sq = xp.einsum("ij,ij->i", X, X)
    c_sq = xp.einsum("ij,ij->i", centers, centers)
    labels = xp.empty(n, dtype=xp.int32)
    best = xp.empty(n, dtype=X.dtype)
    step = max(1, min(_CHUNK_ROWS, _CHUNK_ELEMENTS // max(1, centers.shape[0])))
    for start in range(0, n, step):
        block = slice(start, start + step)
        # ‖x‖² is the same for every center, so the arg-min needs only ‖c‖² − 2x·c
        partial = c_sq[None, :] - 2.0 * (X[block] @ centers.T)
        lab = xp.argmin(partial, axis=1)
        labels[block] = lab
        best[block] = xp.take_along_axis(partial, lab[:, None], axis=1)[:, 0] + X_sq[block]
    return labels, xp.maximum(best, 0, out=best)
