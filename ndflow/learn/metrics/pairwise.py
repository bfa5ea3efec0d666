"""Pairwise distances and kernels between the rows of ``X`` and ``Y`` (dense or SciPy sparse)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..utils.validation import check_array

__all__ = [
    "check_pairwise_arrays",
    "euclidean_distances",
    "manhattan_distances",
    "cosine_distances",
    "cosine_similarity",
    "pairwise_distances",
    "linear_kernel",
    "polynomial_kernel",
    "sigmoid_kernel",
    "rbf_kernel",
    "laplacian_kernel",
    "pairwise_kernels",
    "PAIRWISE_DISTANCE_FUNCTIONS",
    "PAIRWISE_KERNEL_FUNCTIONS",
]

_SCIPY_METRICS = (
    "braycurtis", "canberra", "chebyshev", "correlation", "dice", "hamming", "jaccard", "mahalanobis",
    "minkowski", "rogerstanimoto", "russellrao", "seuclidean", "sokalsneath", "sqeuclidean", "yule",
)


def _float_dtype(*arrays: Any) -> Any:
    dtypes = [a.dtype for a in arrays if a is not None]
    return np.float32 if all(d == np.float32 for d in dtypes) else np.float64


def check_pairwise_arrays(X: Any, Y: Any = None, *, precomputed: bool = False, dtype: Any = "infer_float",
                          accept_sparse: Any = "csr", copy: bool = False,
                          ensure_all_finite: bool | str = True, ensure_2d: bool = True) -> tuple[Any, Any]:
    """Validates ``X`` and ``Y`` (``Y`` is ``X`` when None) as 2-D arrays with the same number of columns.

    Raises:
        ValueError: the column counts differ (or, ``precomputed``, ``X`` has not one column per ``Y`` row).
    """
    if dtype == "infer_float":
        probe = [np.asarray(a) if not sp.issparse(a) and not hasattr(a, "dtype") else a
                 for a in (X, Y) if a is not None]
        dtype = _float_dtype(*probe)
    Y_is_X = Y is X or Y is None
    X = check_array(X, accept_sparse=accept_sparse, dtype=dtype, copy=copy,
                    ensure_all_finite=ensure_all_finite, ensure_2d=ensure_2d, input_name="X")
    Y = X if Y_is_X else check_array(Y, accept_sparse=accept_sparse, dtype=dtype, copy=copy,
                                     ensure_all_finite=ensure_all_finite, ensure_2d=ensure_2d,
                                     input_name="Y")
    if precomputed:
        if X.shape[1] != Y.shape[0]:
            raise ValueError(f"Precomputed metric requires shape (n_queries, n_indexed). Got ({X.shape[0]}, "
                             f"{X.shape[1]}) for {Y.shape[0]} indexed.")
    elif X.shape[1] != Y.shape[1]:
        raise ValueError(f"Incompatible dimension for X and Y matrices: X.shape[1] == {X.shape[1]} while "
                         f"Y.shape[1] == {Y.shape[1]}")
    return X, Y


def _dot(A: Any, B: Any, dense_output: bool = True) -> Any:
    out = A @ B
    if dense_output and sp.issparse(out):
        return out.toarray()
    return np.asarray(out) if isinstance(out, np.matrix) else out


def _row_sq_norms(X: Any) -> np.ndarray:
    if sp.issparse(X):
        return np.asarray(X.multiply(X).sum(axis=1), dtype=np.float64).ravel()
    X = np.asarray(X, dtype=np.float64)
    return np.einsum("ij,ij->i", X, X)


def _normalize_rows(X: Any) -> Any:
    norms = np.sqrt(_row_sq_norms(X))
    norms[norms == 0] = 1.0
    if sp.issparse(X):
        return sp.diags(1.0 / norms) @ X
    return X / norms[:, None].astype(X.dtype)


def euclidean_distances(X: Any, Y: Any = None, *, Y_norm_squared: Any = None, squared: bool = False,
                        X_norm_squared: Any = None) -> np.ndarray:
    """Euclidean distances between the rows of ``X`` and ``Y`` via ``|x|² - 2 x·y + |y|²``."""
    X, Y = check_pairwise_arrays(X, Y)
    out_dtype = X.dtype
    xx = _row_sq_norms(X) if X_norm_squared is None else np.asarray(X_norm_squared, np.float64).reshape(-1)
    if Y is X and Y_norm_squared is None:
        yy = xx
    else:
        yy = (_row_sq_norms(Y) if Y_norm_squared is None
              else np.asarray(Y_norm_squared, np.float64).reshape(-1))
    Xd = X.astype(np.float64) if not sp.issparse(X) else X.astype(np.float64)
    Yd = Xd if Y is X else Y.astype(np.float64)
    dist = -2.0 * _dot(Xd, Yd.T) + xx[:, None] + yy[None, :]
    np.maximum(dist, 0, out=dist)
    if Y is X:
        np.fill_diagonal(dist, 0)
    if not squared:
        np.sqrt(dist, out=dist)
    return dist.astype(out_dtype, copy=False)


def manhattan_distances(X: Any, Y: Any = None) -> np.ndarray:
    """L1 distances between the rows of ``X`` and ``Y``."""
    from scipy.spatial.distance import cdist

    X, Y = check_pairwise_arrays(X, Y)
    X = X.toarray() if sp.issparse(X) else X
    Y = Y.toarray() if sp.issparse(Y) else Y
    return cdist(X, Y, "cityblock")


def cosine_similarity(X: Any, Y: Any = None, dense_output: bool = True) -> Any:
    """Cosine of the angle between the rows of ``X`` and ``Y`` (zero rows give 0)."""
    X, Y = check_pairwise_arrays(X, Y)
    Xn = _normalize_rows(X)
    Yn = Xn if Y is X else _normalize_rows(Y)
    return _dot(Xn, Yn.T, dense_output=dense_output)


def cosine_distances(X: Any, Y: Any = None) -> np.ndarray:
    """``1 - cosine_similarity``, clipped to [0, 2] (exact zeros on the diagonal when ``Y`` is ``X``)."""
    X, Y = check_pairwise_arrays(X, Y)
    dist = 1.0 - cosine_similarity(X, Y)
    np.clip(dist, 0, 2, out=dist)
    if Y is X:
        np.fill_diagonal(dist, 0.0)
    return dist


def linear_kernel(X: Any, Y: Any = None, dense_output: bool = True) -> Any:
    """``X @ Y.T``."""
    X, Y = check_pairwise_arrays(X, Y)
    return _dot(X, Y.T, dense_output=dense_output)


def polynomial_kernel(X: Any, Y: Any = None, degree: float = 3, gamma: float | None = None,
                      coef0: float = 1) -> np.ndarray:
    """``(gamma * X @ Y.T + coef0) ** degree``; ``gamma`` defaults to ``1 / n_features``."""
    X, Y = check_pairwise_arrays(X, Y)
    gamma = 1.0 / X.shape[1] if gamma is None else gamma
    return (gamma * _dot(X, Y.T) + coef0) ** degree


def sigmoid_kernel(X: Any, Y: Any = None, gamma: float | None = None, coef0: float = 1) -> np.ndarray:
    """``tanh(gamma * X @ Y.T + coef0)``; ``gamma`` defaults to ``1 / n_features``."""
    X, Y = check_pairwise_arrays(X, Y)
    gamma = 1.0 / X.shape[1] if gamma is None else gamma
    return np.tanh(gamma * _dot(X, Y.T) + coef0)


def rbf_kernel(X: Any, Y: Any = None, gamma: float | None = None) -> np.ndarray:
    """``exp(-gamma * |x - y|²)``; ``gamma`` defaults to ``1 / n_features``."""
    X, Y = check_pairwise_arrays(X, Y)
    gamma = 1.0 / X.shape[1] if gamma is None else gamma
    return np.exp(-gamma * euclidean_distances(X, Y, squared=True))


def laplacian_kernel(X: Any, Y: Any = None, gamma: float | None = None) -> np.ndarray:
    """``exp(-gamma * |x - y|_1)``; ``gamma`` defaults to ``1 / n_features``."""
    X, Y = check_pairwise_arrays(X, Y)
    gamma = 1.0 / X.shape[1] if gamma is None else gamma
    return np.exp(-gamma * manhattan_distances(X, Y))


PAIRWISE_DISTANCE_FUNCTIONS: dict[str, Callable] = {
    "cityblock": manhattan_distances,
    "cosine": cosine_distances,
    "euclidean": euclidean_distances,
    "l2": euclidean_distances,
    "l1": manhattan_distances,
    "manhattan": manhattan_distances,
}

PAIRWISE_KERNEL_FUNCTIONS: dict[str, Callable] = {
    "linear": linear_kernel,
    "poly": polynomial_kernel,
    "polynomial": polynomial_kernel,
    "rbf": rbf_kernel,
    "laplacian": laplacian_kernel,
    "sigmoid": sigmoid_kernel,
    "cosine": cosine_similarity,
}

_KERNEL_PARAMS = {
    "linear": (), "cosine": (), "rbf": ("gamma",), "laplacian": ("gamma",), "sigmoid": ("gamma", "coef0"),
    "poly": ("gamma", "degree", "coef0"), "polynomial": ("gamma", "degree", "coef0"),
}


def _pairwise_callable(X: Any, Y: Any, func: Callable, **kwds: Any) -> np.ndarray:
    from scipy.spatial.distance import cdist

    X, Y = check_pairwise_arrays(X, Y, ensure_all_finite=False)
    X = X.toarray() if sp.issparse(X) else X
    Y = Y.toarray() if sp.issparse(Y) else Y
    return cdist(X, Y, lambda a, b: func(a, b, **kwds))


def pairwise_distances(X: Any, Y: Any = None, metric: str | Callable = "euclidean", *,
                       n_jobs: int | None = None, ensure_all_finite: bool | str = True,
                       **kwds: Any) -> np.ndarray:
    """Distances between the rows of ``X`` and ``Y`` for a named metric, a callable, or ``"precomputed"``.

    ``n_jobs`` is accepted for compatibility; the computation runs in this process.

    Raises:
        ValueError: an unknown metric name.
    """
    if metric == "precomputed":
        X, _ = check_pairwise_arrays(X, Y, precomputed=True, ensure_all_finite=ensure_all_finite)
        if (X < 0).any() if not sp.issparse(X) else (X.data < 0).any():
            raise ValueError("Negative values in data passed to precomputed distance matrix.")
        return X
    if callable(metric):
        return _pairwise_callable(X, Y, metric, **kwds)
    if metric in PAIRWISE_DISTANCE_FUNCTIONS:
        return PAIRWISE_DISTANCE_FUNCTIONS[metric](X, Y, **kwds)
    if metric in _SCIPY_METRICS:
        from scipy.spatial.distance import cdist

        X, Y = check_pairwise_arrays(X, Y, dtype=bool if metric in ("dice", "jaccard", "rogerstanimoto",
                                     "russellrao", "sokalsneath", "yule") else "infer_float",
                                     ensure_all_finite=ensure_all_finite)
        X = X.toarray() if sp.issparse(X) else X
        Y = Y.toarray() if sp.issparse(Y) else Y
        return cdist(X, Y, metric, **kwds)
    valid = sorted(set(PAIRWISE_DISTANCE_FUNCTIONS) | set(_SCIPY_METRICS) | {"precomputed"})
    raise ValueError(f"Unknown metric {metric}. Valid metrics are {valid}, or 'precomputed', or a callable")


def pairwise_kernels(X: Any, Y: Any = None, metric: str | Callable = "linear", *, filter_params: bool = False,
                     n_jobs: int | None = None, **kwds: Any) -> np.ndarray:
    """Kernel matrix between the rows of ``X`` and ``Y`` for a named kernel, a callable, or ``"precomputed"``.

    Raises:
        ValueError: an unknown kernel name.
    """
    if metric == "precomputed":
        X, _ = check_pairwise_arrays(X, Y, precomputed=True)
        return X
    if callable(metric):
        return _pairwise_callable(X, Y, metric, **kwds)
    if metric not in PAIRWISE_KERNEL_FUNCTIONS:
        raise ValueError(f"Unknown kernel {metric!r}")
    if filter_params:
        kwds = {k: v for k, v in kwds.items() if k in _KERNEL_PARAMS[metric]}
    return PAIRWISE_KERNEL_FUNCTIONS[metric](X, Y, **kwds)
