"""Principal component analysis by exact, covariance, ARPACK or randomized SVD of the centred data."""
from __future__ import annotations

import numbers
from math import lgamma, log
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..._core.backend import get_namespace
from ..utils.extmath import fast_logdet, randomized_svd, svd_flip
from ..utils.validation import check_is_fitted, check_random_state, validate_data
from ._base import BasePCA
from ._params import check_number, check_option

__all__ = ["PCA"]


def _rank_log_likelihood(spectrum: np.ndarray, rank: int, n_samples: int) -> float:
    """Minka's (2000) log-likelihood that data with eigenvalue ``spectrum`` has intrinsic dimension ``rank``."""
    n_features = spectrum.shape[0]
    eps = 1e-15
    if spectrum[rank - 1] < eps:
        return -np.inf
    dims = n_features - np.arange(1, rank + 1) + 1
    log_prior_u = -rank * log(2.0) + sum(lgamma(d / 2.0) for d in dims) - log(np.pi) * dims.sum() / 2.0
    log_l = -np.sum(np.log(spectrum[:rank])) * n_samples / 2.0
    v = max(eps, np.sum(spectrum[rank:]) / (n_features - rank))
    log_v = -log(v) * n_samples * (n_features - rank) / 2.0
    m = n_features * rank - rank * (rank + 1.0) / 2.0
    log_p = log(2.0 * np.pi) * (m + rank) / 2.0
    flattened = spectrum.copy()
    flattened[rank:] = v
    i, j = np.triu_indices(n_features, k=1)
    keep = i < rank
    i, j = i[keep], j[keep]
    log_a = np.sum(np.log((spectrum[i] - spectrum[j]) * (1.0 / flattened[j] - 1.0 / flattened[i]))
                   + log(n_samples))
    return log_prior_u + log_l + log_v + log_p - log_a / 2.0 - rank * log(n_samples) / 2.0


def _infer_dimension(spectrum: np.ndarray, n_samples: int) -> int:
    """The rank in ``[1, n_features - 1]`` with the largest :func:`_rank_log_likelihood`."""
    scores = [-np.inf] + [_rank_log_likelihood(spectrum, r, n_samples) for r in range(1, spectrum.shape[0])]
    return int(np.argmax(scores))


def _centred_operator(X: Any, mean: np.ndarray):
    """``X - mean`` as a LinearOperator, so sparse ``X`` is never densified."""
    from scipy.sparse.linalg import LinearOperator

    ones = np.ones(X.shape[0], dtype=X.dtype)

    def matvec(v):
        return X @ v - ones[:, None] * (mean @ v) if v.ndim == 2 else X @ v - mean @ v

    def rmatvec(v):
        return X.T @ v - np.outer(mean, ones @ v) if v.ndim == 2 else X.T @ v - mean * v.sum()

    return LinearOperator(X.shape, matvec=matvec, rmatvec=rmatvec, matmat=matvec, rmatmat=rmatvec,
                          dtype=X.dtype)


class PCA(BasePCA):
    """Principal component analysis: projects centred data on the directions of largest variance.

    Args:
        n_components: components to keep: an int, a float in (0, 1) (smallest count whose explained
            variance ratio exceeds it), "mle" (Minka's estimate) or None (all).
        whiten: scale the projections to unit variance.
        svd_solver: "auto", "full", "covariance_eigh", "arpack" or "randomized".
        tol: ARPACK tolerance.
        iterated_power, n_oversamples, power_iteration_normalizer: randomized SVD settings.
        random_state: seed of the randomized and ARPACK solvers.
    """

    def __init__(self, n_components: Any = None, *, copy: bool = True, whiten: bool = False,
                 svd_solver: str = "auto", tol: float = 0.0, iterated_power: Any = "auto", n_oversamples: int = 10,
                 power_iteration_normalizer: str = "auto", random_state: Any = None) -> None:
        self.n_components = n_components
        self.copy = copy
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.tol = tol
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.power_iteration_normalizer = power_iteration_normalizer
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None) -> PCA:
        """Fits the components on ``X`` (n_samples, n_features); ``y`` is ignored."""
        self._fit(X)
        return self

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """Fits on ``X`` and returns its projection (from the SVD factors, without a second product)."""
        U, S, X = self._fit(X)
        if U is None:
            return self._project(X)
        U = U[:, : self.n_components_]
        if self.whiten:
            return U * np.sqrt(X.shape[0] - 1)
        return U * S[: self.n_components_]

    def _validate_params(self) -> None:
        n = self.n_components
        if not (n is None or (isinstance(n, str) and n == "mle")
                or (isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 0)
                or (isinstance(n, numbers.Real) and not isinstance(n, (bool, numbers.Integral)) and 0 < n < 1)):
            check_number(self, "n_components", n, integer=True, low=0, allow=("mle", None))
        check_option(self, "svd_solver", self.svd_solver, ("auto", "full", "covariance_eigh", "arpack", "randomized"))
        check_number(self, "tol", self.tol, low=0)
        check_number(self, "iterated_power", self.iterated_power, integer=True, low=0, allow=("auto",))
        check_number(self, "n_oversamples", self.n_oversamples, integer=True, low=1)
        check_option(self, "power_iteration_normalizer", self.power_iteration_normalizer,
                     ("auto", "QR", "LU", "none"))

    def _choose_solver(self, X: Any, n_components: Any) -> str:
        """scikit-learn's "auto" policy: covariance for tall data, full for small data, else randomized."""
        if self.svd_solver != "auto":
            return self.svd_solver
        if sp.issparse(X):
            return "arpack"
        n_samples, n_features = X.shape
        if n_features <= 1_000 and n_samples >= 10 * n_features:
            return "covariance_eigh"
        if max(X.shape) <= 500 or n_components == "mle":
            return "full"
        if 1 <= n_components < 0.8 * min(X.shape):
            return "randomized"
        return "full"

    def _fit(self, X: Any):
        self._validate_params()
        if sp.issparse(X) and self.svd_solver not in ("auto", "arpack", "covariance_eigh"):
            raise TypeError(
                'PCA only support sparse inputs with the "arpack" and "covariance_eigh" solvers, while '
                f'"{self.svd_solver}" was passed. See TruncatedSVD for a possible alternative.'
            )
        X = validate_data(self, X, dtype=[np.float64, np.float32], accept_sparse=("csr", "csc"), copy=False)
        arpack = self.svd_solver == "arpack" or (self.svd_solver == "auto" and sp.issparse(X))
        if self.n_components is None:
            n_components = min(X.shape) - (1 if arpack else 0)
        else:
            n_components = self.n_components
        self._fit_svd_solver = self._choose_solver(X, n_components)
        if self._fit_svd_solver in ("full", "covariance_eigh"):
            return self._fit_full(X, n_components)
        return self._fit_truncated(X, n_components)

    def _fit_full(self, X: Any, n_components: Any):
        from scipy import linalg

        n_samples, n_features = X.shape
        if n_components == "mle":
            if n_samples < n_features:
                raise ValueError("n_components='mle' is only supported if n_samples >= n_features")
        elif not 0 <= n_components <= min(n_samples, n_features):
            raise ValueError(
                f"n_components={n_components} must be between 0 and min(n_samples, n_features)="
                f"{min(n_samples, n_features)} with svd_solver={self._fit_svd_solver!r}"
            )
        xp = get_namespace(X)
        self.mean_ = np.asarray(X.mean(axis=0)).reshape(-1)
        if self._fit_svd_solver == "full":
            if sp.issparse(X):
                X = X.toarray()
            X_centered = X - self.mean_
            U, S, Vt = linalg.svd(X_centered, full_matrices=False)
            explained_variance = S ** 2 / (n_samples - 1)
        else:
            gram = X.T @ X
            gram = gram.toarray() if sp.issparse(gram) else gram
            cov = (gram - n_samples * xp.outer(self.mean_, self.mean_)) / (n_samples - 1)
            eigenvalues, eigenvectors = xp.linalg.eigh(cov)
            explained_variance = xp.maximum(eigenvalues[::-1], 0.0)
            S = xp.sqrt(explained_variance * (n_samples - 1))
            Vt = xp.ascontiguousarray(eigenvectors[:, ::-1].T)
            U = None
        U, Vt = svd_flip(U, Vt, u_based_decision=False)
        ratio = explained_variance / explained_variance.sum()
        if n_components == "mle":
            n_components = _infer_dimension(explained_variance, n_samples)
        elif 0 < n_components < 1.0:
            n_components = int(xp.searchsorted(xp.cumsum(ratio), n_components, side="right")) + 1
        n_components = int(n_components)
        if n_components < min(n_features, n_samples):
            self.noise_variance_ = float(explained_variance[n_components:].mean())
        else:
            self.noise_variance_ = 0.0
        self.n_samples_ = n_samples
        self.n_components_ = n_components
        self.components_ = Vt[:n_components].copy()
        self.explained_variance_ = explained_variance[:n_components].copy()
        self.explained_variance_ratio_ = ratio[:n_components].copy()
        self.singular_values_ = S[:n_components].copy()
        return U, S, X

    def _fit_truncated(self, X: Any, n_components: Any):
        from scipy.sparse.linalg import svds

        n_samples, n_features = X.shape
        solver = self._fit_svd_solver
        if isinstance(n_components, str):
            raise ValueError(f"n_components={n_components!r} cannot be a string with svd_solver='{solver}'")
        if not 1 <= n_components <= min(n_samples, n_features):
            raise ValueError(
                f"n_components={n_components!r} must be between 1 and min(n_samples, n_features)="
                f"{min(n_samples, n_features)!r} with svd_solver='{solver}'"
            )
        if solver == "arpack" and n_components == min(n_samples, n_features):
            raise ValueError(
                f"n_components={n_components!r} must be strictly less than min(n_samples, n_features)="
                f"{min(n_samples, n_features)!r} with svd_solver='{solver}'"
            )
        random_state = check_random_state(self.random_state)
        self.mean_ = np.asarray(X.mean(axis=0)).reshape(-1)
        if sp.issparse(X):
            squares = np.asarray(X.multiply(X).sum(axis=0)).reshape(-1)
            total_var = float((squares - n_samples * self.mean_ ** 2).sum() / (n_samples - 1))
            X_centered = _centred_operator(X, self.mean_)
        else:
            X_centered = X - self.mean_
            total_var = float(np.sum(X_centered ** 2) / (n_samples - 1))
        if solver == "arpack":
            v0 = random_state.uniform(-1, 1, min(X.shape))
            U, S, Vt = svds(X_centered, k=n_components, tol=self.tol, v0=v0)
            S = S[::-1]
            U, Vt = svd_flip(U[:, ::-1], Vt[::-1], u_based_decision=False)
        else:
            U, S, Vt = randomized_svd(X_centered, n_components, n_oversamples=self.n_oversamples,
                                      n_iter=self.iterated_power,
                                      power_iteration_normalizer=self.power_iteration_normalizer,
                                      flip_sign=False, random_state=random_state)
            U, Vt = svd_flip(U, Vt, u_based_decision=False)
        self.n_samples_ = n_samples
        self.components_ = Vt
        self.n_components_ = n_components
        self.explained_variance_ = S ** 2 / (n_samples - 1)
        self.explained_variance_ratio_ = self.explained_variance_ / total_var
        self.singular_values_ = S.copy()
        if n_components < min(n_features, n_samples):
            self.noise_variance_ = (total_var - self.explained_variance_.sum()) / (
                min(n_features, n_samples) - n_components)
        else:
            self.noise_variance_ = 0.0
        return U, S, X

    def score_samples(self, X: Any) -> np.ndarray:
        """Log-likelihood of each sample under the probabilistic PCA model (Tipping & Bishop 1999)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        centred = X - self.mean_
        precision = self.get_precision()
        log_like = -0.5 * np.sum(centred * (centred @ precision), axis=1)
        return log_like - 0.5 * (X.shape[1] * log(2.0 * np.pi) - fast_logdet(precision))

    def score(self, X: Any, y: Any = None) -> float:
        """Average log-likelihood of the samples of ``X``."""
        return float(np.mean(self.score_samples(X)))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = self.svd_solver in ("auto", "arpack", "covariance_eigh")
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
