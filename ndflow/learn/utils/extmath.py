"""Linear-algebra helpers shared by the estimators: deterministic SVD signs and randomized SVD."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..._core.backend import get_namespace
from .validation import check_random_state

__all__ = ["svd_flip", "randomized_range_finder", "randomized_svd", "fast_logdet", "stable_cumsum"]


def svd_flip(u: Any, v: Any, u_based_decision: bool = True) -> tuple[Any, Any]:
    """Fixes the signs of an SVD ``u @ diag(s) @ v`` so that it is reproducible.

    Each singular pair is multiplied by the sign of the largest-magnitude entry of its column of ``u``
    (``u_based_decision``) or of its row of ``v``; that entry becomes positive. Either array may be None
    when only the other one decides. Both arrays are modified in place.

    Returns:
        The adjusted ``(u, v)``.
    """
    xp = get_namespace(*(a for a in (u, v) if a is not None))
    deciding = u.T if u_based_decision else v
    rows = xp.arange(deciding.shape[0])
    signs = xp.sign(deciding[rows, xp.argmax(xp.abs(deciding), axis=1)])
    if u is not None:
        u *= signs[None, :]
    if v is not None:
        v *= signs[:, None]
    return u, v


def _normalizer(name: str):
    from scipy import linalg

    if name == "QR":
        return lambda a: linalg.qr(a, mode="economic", check_finite=False)[0]
    if name == "LU":
        return lambda a: linalg.lu(a, permute_l=True, check_finite=False)[0]
    return lambda a: a


def randomized_range_finder(A: Any, *, size: int, n_iter: int, power_iteration_normalizer: str = "auto",
                            random_state: Any = None) -> np.ndarray:
    """An orthonormal ``(n_rows, size)`` basis whose span approximates the range of ``A`` (Halko et al. 2009).

    A Gaussian test matrix is pushed through ``n_iter`` power iterations ``(A Aᵀ)``, renormalised after
    each product by ``power_iteration_normalizer`` ("auto": none for ``n_iter <= 2``, else "LU").
    """
    from scipy import linalg

    random_state = check_random_state(random_state)
    Q = random_state.normal(size=(A.shape[1], size))
    if np.issubdtype(A.dtype, np.floating):
        Q = Q.astype(A.dtype, copy=False)
    if power_iteration_normalizer == "auto":
        power_iteration_normalizer = "none" if n_iter <= 2 else "LU"
    normalize = _normalizer(power_iteration_normalizer)
    for _ in range(n_iter):
        Q = normalize(A @ Q)
        Q = normalize(A.T @ Q)
    return linalg.qr(A @ Q, mode="economic", check_finite=False)[0]


def randomized_svd(M: Any, n_components: int, *, n_oversamples: int = 10, n_iter: int | str = "auto",
                   power_iteration_normalizer: str = "auto", transpose: bool | str = "auto",
                   flip_sign: bool = True, random_state: Any = None,
                   svd_lapack_driver: str = "gesdd") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Truncated SVD ``M ≈ U diag(s) Vt`` with ``n_components`` terms by random projection.

    Args:
        n_oversamples: extra random directions beyond ``n_components`` (accuracy).
        n_iter: power iterations; "auto" is 7 when ``n_components < 0.1 * min(M.shape)``, else 4.
        transpose: work on ``M.T`` ("auto": when ``M`` is wider than tall).
        flip_sign: make the signs deterministic with :func:`svd_flip`.

    Returns:
        ``U`` (n_rows, n_components), ``s`` (n_components,), ``Vt`` (n_components, n_cols).
    """
    from scipy import linalg

    random_state = check_random_state(random_state)
    n_random = n_components + n_oversamples
    if n_iter == "auto":
        n_iter = 7 if n_components < 0.1 * min(M.shape) else 4
    if transpose == "auto":
        transpose = M.shape[0] < M.shape[1]
    if transpose:
        M = M.T
    Q = randomized_range_finder(M, size=n_random, n_iter=n_iter,
                                power_iteration_normalizer=power_iteration_normalizer, random_state=random_state)
    B = Q.T @ M
    if hasattr(B, "toarray"):
        B = B.toarray()
    B = np.asarray(B)
    U_small, s, Vt = linalg.svd(B, full_matrices=False, lapack_driver=svd_lapack_driver)
    U = Q @ U_small
    if flip_sign:
        U, Vt = svd_flip(U, Vt, u_based_decision=not transpose)
    if transpose:
        return Vt[:n_components].T, s[:n_components], U[:, :n_components].T
    return U[:, :n_components], s[:n_components], Vt[:n_components]


def fast_logdet(A: Any) -> float:
    """``log(det(A))`` for a symmetric positive-definite ``A``; ``-inf`` when the determinant is not positive."""
    sign, logdet = np.linalg.slogdet(A)
    return float(logdet) if sign > 0 else -np.inf


def stable_cumsum(arr: Any, axis: int | None = None) -> np.ndarray:
    """Cumulative sum in float64 (less round-off than the input dtype)."""
    return np.cumsum(arr, axis=axis, dtype=np.float64)
