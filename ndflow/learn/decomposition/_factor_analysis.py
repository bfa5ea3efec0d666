"""Factor analysis: a Gaussian latent linear model with per-feature noise, fitted by SVD-based EM."""
from __future__ import annotations

import warnings
from math import log, pi
from typing import Any

import numpy as np

from ..base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from ..exceptions import ConvergenceWarning
from ..utils.extmath import fast_logdet, randomized_svd
from ..utils.validation import check_is_fitted, check_random_state, validate_data
from ._params import check_number, check_option

__all__ = ["FactorAnalysis"]

_SMALL = 1e-12


def orthogonal_rotation(loadings: np.ndarray, method: str = "varimax", tol: float = 1e-6,
                        max_iter: int = 100) -> np.ndarray:
    """Rotates the (n_features, n_components) ``loadings`` to maximise the varimax or quartimax criterion.

    Returns:
        The rotated loadings, transposed to (n_components, n_features).
    """
    n_rows, n_cols = loadings.shape
    rotation = np.eye(n_cols)
    previous = 0.0
    for _ in range(max_iter):
        rotated = loadings @ rotation
        shrink = rotated * ((rotated ** 2).sum(axis=0) / n_rows) if method == "varimax" else 0.0
        u, s, vt = np.linalg.svd(loadings.T @ (rotated ** 3 - shrink))
        rotation = u @ vt
        criterion = np.sum(s)
        if previous != 0 and criterion < previous * (1 + tol):
            break
        previous = criterion
    return (loadings @ rotation).T


class FactorAnalysis(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Factor analysis ``x = W z + mean + noise`` with ``z ~ N(0, I)`` and diagonal noise ``Psi``.

    Args:
        n_components: latent dimension (None: the number of features).
        tol: stop when the log-likelihood gains less than this.
        max_iter: EM iterations.
        noise_variance_init: starting ``Psi`` (None: ones).
        svd_method: "lapack" (exact) or "randomized" SVD in each step.
        iterated_power: power iterations of the randomized SVD.
        rotation: None, "varimax" or "quartimax" rotation of the loadings.
        random_state: seed of the randomized SVD.
    """

    def __init__(self, n_components: int | None = None, *, tol: float = 1e-2, copy: bool = True,
                 max_iter: int = 1000, noise_variance_init: Any = None, svd_method: str = "randomized",
                 iterated_power: int = 3, rotation: str | None = None, random_state: Any = 0) -> None:
        self.n_components = n_components
        self.tol = tol
        self.copy = copy
        self.max_iter = max_iter
        self.noise_variance_init = noise_variance_init
        self.svd_method = svd_method
        self.iterated_power = iterated_power
        self.rotation = rotation
        self.random_state = random_state

    @property
    def _n_features_out(self) -> int:
        return self.components_.shape[0]

    def _validate_params(self) -> None:
        check_number(self, "n_components", self.n_components, integer=True, low=0, allow=(None,))
        check_number(self, "tol", self.tol, low=0)
        check_number(self, "max_iter", self.max_iter, integer=True, low=1)
        check_option(self, "svd_method", self.svd_method, ("randomized", "lapack"))
        check_number(self, "iterated_power", self.iterated_power, integer=True, low=0)
        check_option(self, "rotation", self.rotation, ("varimax", "quartimax", None))

    def fit(self, X: Any, y: Any = None) -> FactorAnalysis:
        """Fits the loadings ``components_`` and the noise ``noise_variance_`` by EM (Barber 2012, 21.2).

        Raises:
            ValueError: ``noise_variance_init`` of the wrong length.
        """
        from scipy import linalg

        self._validate_params()
        X = validate_data(self, X, copy=self.copy, dtype=np.float64)
        n_samples, n_features = X.shape
        n_components = self.n_components if self.n_components is not None else n_features
        self.mean_ = X.mean(axis=0)
        X = X - self.mean_
        root_n = np.sqrt(n_samples)
        ll_const = n_features * log(2.0 * pi) + n_components
        variance = X.var(axis=0)
        if self.noise_variance_init is None:
            psi = np.ones(n_features, dtype=X.dtype)
        else:
            psi = np.asarray(self.noise_variance_init)
            if len(psi) != n_features:
                raise ValueError(
                    f"noise_variance_init dimension does not with number of features : {len(psi)} != {n_features}"
                )
        random_state = check_random_state(self.random_state)

        def leading_svd(A):
            if self.svd_method == "lapack":
                _, s, Vt = linalg.svd(A, full_matrices=False, check_finite=False)
                return s[:n_components], Vt[:n_components], np.sum(s[n_components:] ** 2)
            _, s, Vt = randomized_svd(A, n_components, random_state=random_state, n_iter=self.iterated_power)
            return s, Vt, np.sum(A ** 2) - np.sum(s ** 2)

        log_likelihoods = []
        previous = -np.inf
        for _ in range(self.max_iter):
            sqrt_psi = np.sqrt(psi) + _SMALL
            s, Vt, unexplained = leading_svd(X / (sqrt_psi * root_n))
            s **= 2
            W = np.sqrt(np.maximum(s - 1.0, 0.0))[:, None] * Vt * sqrt_psi
            ll = -n_samples / 2.0 * (ll_const + np.sum(np.log(s)) + unexplained + np.sum(np.log(psi)))
            log_likelihoods.append(ll)
            if ll - previous < self.tol:
                break
            previous = ll
            psi = np.maximum(variance - np.sum(W ** 2, axis=0), _SMALL)
        else:
            warnings.warn("FactorAnalysis did not converge. You might want to increase the number of iterations.",
                          ConvergenceWarning, stacklevel=2)
        self.components_ = W
        if self.rotation is not None:
            self.components_ = orthogonal_rotation(W.T, method=self.rotation)[: self.n_components]
        self.noise_variance_ = psi
        self.loglike_ = log_likelihoods
        self.n_iter_ = len(log_likelihoods)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Posterior means ``E[z | x]`` of the latent factors."""
        from scipy import linalg

        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        W_psi = self.components_ / self.noise_variance_
        posterior_cov = linalg.inv(np.eye(len(self.components_)) + W_psi @ self.components_.T)
        return (X - self.mean_) @ W_psi.T @ posterior_cov

    def get_covariance(self) -> np.ndarray:
        """Model covariance ``Wᵀ W + Psi``."""
        check_is_fitted(self)
        cov = self.components_.T @ self.components_
        cov[np.diag_indices_from(cov)] += self.noise_variance_
        return cov

    def get_precision(self) -> np.ndarray:
        """Inverse of :meth:`get_covariance`, by the matrix inversion lemma."""
        check_is_fitted(self)
        n_features = self.components_.shape[1]
        if self.n_components == 0:
            return np.diag(1.0 / self.noise_variance_)
        if self.n_components == n_features:
            return np.linalg.inv(self.get_covariance())
        W_psi = self.components_ / self.noise_variance_
        inner = np.linalg.inv(np.eye(len(self.components_)) + W_psi @ self.components_.T)
        precision = -W_psi.T @ inner @ W_psi
        precision[np.diag_indices_from(precision)] += 1.0 / self.noise_variance_
        return precision

    def score_samples(self, X: Any) -> np.ndarray:
        """Gaussian log-likelihood of each sample under the fitted model."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        centred = X - self.mean_
        precision = self.get_precision()
        log_like = -0.5 * np.sum(centred * (centred @ precision), axis=1)
        return log_like - 0.5 * (X.shape[1] * log(2.0 * pi) - fast_logdet(precision))

    def score(self, X: Any, y: Any = None) -> float:
        """Average log-likelihood of the samples of ``X``."""
        return float(np.mean(self.score_samples(X)))
