"""Gaussian mixture fitted by EM, with full, tied, diagonal or spherical covariances."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..utils.validation import _num_samples, check_array
from ._base import BaseMixture

__all__ = ["GaussianMixture"]

_ILL_DEFINED = ("Fitting the mixture model failed because some components have ill-defined empirical covariance "
                "(for instance caused by singleton or collapsed samples). Try to decrease the number of "
                "components, increase reg_covar, or scale the input data. The numerical accuracy can also be "
                "improved by passing float64 data instead of float32.")


def estimate_gaussian_parameters(X: np.ndarray, resp: np.ndarray, reg_covar: float,
                                 covariance_type: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Soft counts, means and covariances (``reg_covar`` added on the diagonal) from responsibilities.

    Returns:
        ``(nk, means, covariances)``; covariances have shape ``(k, d, d)`` (full), ``(d, d)`` (tied),
        ``(k, d)`` (diag) or ``(k,)`` (spherical).
    """
    nk = resp.sum(axis=0) + 10 * np.finfo(resp.dtype).eps
    means = (resp.T @ X) / nk[:, None]
    n_features = X.shape[1]
    if covariance_type == "full":
        cov = np.empty((means.shape[0], n_features, n_features), dtype=X.dtype)
        for k in range(means.shape[0]):
            diff = X - means[k]
            cov[k] = (resp[:, k] * diff.T) @ diff / nk[k]
            cov[k].flat[::n_features + 1] += reg_covar
    elif covariance_type == "tied":
        cov = X.T @ X - (nk * means.T) @ means
        cov /= nk.sum()
        cov.flat[::n_features + 1] += reg_covar
    else:
        cov = (resp.T @ (X * X)) / nk[:, None] - means ** 2 + reg_covar
        if covariance_type == "spherical":
            cov = cov.mean(axis=1)
    return nk, means, cov


def precision_cholesky(covariances: np.ndarray, covariance_type: str) -> np.ndarray:
    """Upper-triangular factors ``U`` with ``U Uᵀ`` = inverse covariance (inverse square roots if diagonal).

    Raises:
        ValueError: a covariance is not positive definite.
    """
    if covariance_type in ("full", "tied"):
        stack = covariances[None] if covariance_type == "tied" else covariances
        try:
            chol = np.linalg.cholesky(stack)
        except np.linalg.LinAlgError:
            raise ValueError(_ILL_DEFINED) from None
        eye = np.broadcast_to(np.eye(stack.shape[-1], dtype=stack.dtype), stack.shape)
        out = np.swapaxes(np.linalg.solve(chol, eye), -1, -2)
        return out[0] if covariance_type == "tied" else out
    if np.any(np.less_equal(covariances, 0.0)):
        raise ValueError(_ILL_DEFINED)
    return 1.0 / np.sqrt(covariances)


def _precision_cholesky_from_precisions(precisions: np.ndarray, covariance_type: str) -> np.ndarray:
    """Upper-triangular ``U`` with ``U Uᵀ = P`` for each precision ``P`` (square roots if diagonal)."""
    from scipy import linalg

    if covariance_type not in ("full", "tied"):
        return np.sqrt(precisions)

    def upper(p):  # reversing rows and columns turns a lower Cholesky factor into an upper one
        return linalg.cholesky(p[::-1, ::-1], lower=True)[::-1, ::-1]

    if covariance_type == "tied":
        return upper(precisions)
    return np.array([upper(p) for p in precisions])


def log_det_cholesky(matrix_chol: np.ndarray, covariance_type: str, n_features: int) -> np.ndarray:
    """log-determinant of each precision from its Cholesky factor."""
    if covariance_type == "full":
        return np.log(np.diagonal(matrix_chol, axis1=1, axis2=2)).sum(axis=1)
    if covariance_type == "tied":
        return np.log(np.diag(matrix_chol)).sum()
    if covariance_type == "diag":
        return np.log(matrix_chol).sum(axis=1)
    return n_features * np.log(matrix_chol)


def estimate_log_gaussian_prob(X: np.ndarray, means: np.ndarray, precisions_chol: np.ndarray,
                               covariance_type: str) -> np.ndarray:
    """log N(x | mean_k, cov_k) for every sample and component, shape ``(n_samples, n_components)``."""
    n_samples, n_features = X.shape
    n_components = means.shape[0]
    log_det = log_det_cholesky(precisions_chol, covariance_type, n_features)
    if covariance_type in ("full", "tied"):
        maha = np.empty((n_samples, n_components), dtype=X.dtype)
        for k in range(n_components):
            chol = precisions_chol[k] if covariance_type == "full" else precisions_chol
            y = X @ chol - means[k] @ chol
            maha[:, k] = np.einsum("ij,ij->i", y, y)
    elif covariance_type == "diag":
        prec = precisions_chol ** 2
        maha = (means ** 2 * prec).sum(axis=1) - 2.0 * (X @ (means * prec).T) + (X ** 2) @ prec.T
    else:
        prec = precisions_chol ** 2
        maha = ((means ** 2).sum(axis=1) * prec - 2 * (X @ means.T) * prec
                + np.outer(np.einsum("ij,ij->i", X, X), prec))
    return -0.5 * (n_features * np.log(2 * np.pi) + maha) + log_det


def precisions_from_cholesky(precisions_chol: np.ndarray, covariance_type: str) -> np.ndarray:
    """The precision matrices ``U Uᵀ`` (squares for diagonal types)."""
    if covariance_type == "full":
        return np.einsum("kij,klj->kil", precisions_chol, precisions_chol)
    if covariance_type == "tied":
        return precisions_chol @ precisions_chol.T
    return precisions_chol ** 2


class GaussianMixture(BaseMixture):
    """Mixture of ``n_components`` Gaussians fitted by expectation-maximisation.

    Fitted attributes: ``weights_``, ``means_``, ``covariances_``, ``precisions_``, ``precisions_cholesky_``,
    ``converged_``, ``n_iter_``, ``lower_bound_`` (mean log-likelihood of the best run), ``lower_bounds_``.
    """

    def __init__(self, n_components: int = 1, *, covariance_type: str = "full", tol: float = 1e-3,
                 reg_covar: float = 1e-6, max_iter: int = 100, n_init: int = 1, init_params: str = "kmeans",
                 weights_init: Any = None, means_init: Any = None, precisions_init: Any = None,
                 random_state: Any = None, warm_start: bool = False, verbose: int = 0, verbose_interval: int = 10):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval

    def _check_parameters(self, X: np.ndarray) -> None:
        """Validates ``weights_init``, ``means_init`` and ``precisions_init`` against the data."""
        k, n_features = self.n_components, X.shape[1]
        if self.weights_init is not None:
            w = check_array(self.weights_init, dtype=[np.float64, np.float32], ensure_2d=False)
            if w.shape != (k,):
                raise ValueError(f"The parameter 'weights' should have the shape of ({k},), but got {w.shape}")
            if w.min() < 0 or w.max() > 1:
                raise ValueError("The parameter 'weights' should be in the range [0, 1], but got max value "
                                 f"{w.max():.5f}, min value {w.min():.5f}")
            if not np.allclose(np.abs(1.0 - w.sum()), 0.0):
                raise ValueError(f"The parameter 'weights' should be normalized, but got sum(weights) = {w.sum():.5f}")
            self.weights_init = w
        if self.means_init is not None:
            m = check_array(self.means_init, dtype=[np.float64, np.float32], ensure_2d=False)
            if m.shape != (k, n_features):
                raise ValueError(f"The parameter 'means' should have the shape of ({k}, {n_features}), but got "
                                 f"{m.shape}")
            self.means_init = m
        if self.precisions_init is not None:
            expected = {"full": (k, n_features, n_features), "tied": (n_features, n_features),
                        "diag": (k, n_features), "spherical": (k,)}[self.covariance_type]
            p = check_array(self.precisions_init, dtype=[np.float64, np.float32], ensure_2d=False, allow_nd=True)
            if p.shape != expected:
                raise ValueError(f"The parameter '{self.covariance_type} precision' should have the shape of "
                                 f"{expected}, but got {p.shape}")
            self.precisions_init = p

    def _initialize(self, X: np.ndarray, resp: np.ndarray) -> None:
        weights, means, covariances = estimate_gaussian_parameters(X, resp, self.reg_covar, self.covariance_type)
        weights /= X.shape[0]
        self.weights_ = weights if self.weights_init is None else self.weights_init
        self.means_ = means if self.means_init is None else self.means_init
        if self.precisions_init is None:
            self.covariances_ = covariances
            self.precisions_cholesky_ = precision_cholesky(covariances, self.covariance_type)
        else:
            self.precisions_cholesky_ = _precision_cholesky_from_precisions(self.precisions_init,
                                                                            self.covariance_type)
            # scikit-learn leaves covariances_ unset here (max_iter=0 then fails); use the inverses
            self.covariances_ = (np.linalg.inv(self.precisions_init) if self.covariance_type in ("full", "tied")
                                 else 1.0 / self.precisions_init)

    def _m_step(self, X: np.ndarray, log_resp: np.ndarray) -> None:
        self.weights_, self.means_, self.covariances_ = estimate_gaussian_parameters(
            X, np.exp(log_resp), self.reg_covar, self.covariance_type)
        self.weights_ /= self.weights_.sum()
        self.precisions_cholesky_ = precision_cholesky(self.covariances_, self.covariance_type)

    def _estimate_log_prob(self, X: np.ndarray) -> np.ndarray:
        return estimate_log_gaussian_prob(X, self.means_, self.precisions_cholesky_, self.covariance_type)

    def _estimate_log_weights(self) -> np.ndarray:
        return np.log(self.weights_)

    def _compute_lower_bound(self, log_resp: np.ndarray, log_prob_norm: float) -> float:
        return log_prob_norm

    def _get_parameters(self) -> tuple:
        return self.weights_, self.means_, self.covariances_, self.precisions_cholesky_

    def _set_parameters(self, params: tuple) -> None:
        self.weights_, self.means_, self.covariances_, self.precisions_cholesky_ = params
        self.precisions_ = precisions_from_cholesky(self.precisions_cholesky_, self.covariance_type)

    def _n_parameters(self) -> int:
        """Number of free parameters: covariances, means and ``n_components - 1`` weights."""
        k, d = self.means_.shape
        cov = {"full": k * d * (d + 1) / 2, "tied": d * (d + 1) / 2, "diag": k * d, "spherical": k}
        return int(cov[self.covariance_type] + k * d + k - 1)

    def bic(self, X: Any) -> float:
        """Bayesian information criterion on ``X`` (lower is better)."""
        n = _num_samples(X)
        return -2 * self.score(X) * n + self._n_parameters() * np.log(n)

    def aic(self, X: Any) -> float:
        """Akaike information criterion on ``X`` (lower is better)."""
        n = _num_samples(X)
        return -2 * self.score(X) * n + 2 * self._n_parameters()
