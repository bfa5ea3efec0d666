"""Truncated SVD (latent semantic analysis): PCA without centring, so sparse data stays sparse."""
from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from ..utils.extmath import randomized_svd, svd_flip
from ..utils.validation import check_array, check_is_fitted, check_random_state, validate_data
from ._params import check_number, check_option

__all__ = ["TruncatedSVD"]


def _column_variance_sum(X: Any) -> float:
    if sp.issparse(X):
        mean = np.asarray(X.mean(axis=0)).reshape(-1)
        squares = np.asarray(X.multiply(X).mean(axis=0)).reshape(-1)
        return float(np.sum(squares - mean ** 2))
    return float(np.var(X, axis=0).sum())


class TruncatedSVD(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Rank-``n_components`` SVD of the (uncentred) data, by randomized SVD or ARPACK.

    Args:
        n_components: number of singular triplets to keep.
        algorithm: "randomized" or "arpack".
        n_iter, n_oversamples, power_iteration_normalizer: randomized SVD settings.
        random_state: seed of both solvers.
        tol: ARPACK tolerance.
    """

    def __init__(self, n_components: int = 2, *, algorithm: str = "randomized", n_iter: int = 5,
                 n_oversamples: int = 10, power_iteration_normalizer: str = "auto", random_state: Any = None,
                 tol: float = 0.0) -> None:
        self.n_components = n_components
        self.algorithm = algorithm
        self.n_iter = n_iter
        self.n_oversamples = n_oversamples
        self.power_iteration_normalizer = power_iteration_normalizer
        self.random_state = random_state
        self.tol = tol

    @property
    def _n_features_out(self) -> int:
        return self.components_.shape[0]

    def fit(self, X: Any, y: Any = None) -> TruncatedSVD:
        """Fits the singular vectors of ``X`` (dense or sparse)."""
        self.fit_transform(X)
        return self

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """Fits on ``X`` and returns ``U * Sigma``, the data in the reduced space.

        Raises:
            ValueError: more components than features (randomized) or not fewer (arpack).
        """
        from scipy.sparse.linalg import svds

        check_number(self, "n_components", self.n_components, integer=True, low=1)
        check_option(self, "algorithm", self.algorithm, ("arpack", "randomized"))
        check_number(self, "n_iter", self.n_iter, integer=True, low=0)
        check_number(self, "n_oversamples", self.n_oversamples, integer=True, low=1)
        check_option(self, "power_iteration_normalizer", self.power_iteration_normalizer,
                     ("auto", "QR", "LU", "none"))
        check_number(self, "tol", self.tol, low=0)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], ensure_min_features=2)
        random_state = check_random_state(self.random_state)
        if self.algorithm == "arpack":
            v0 = random_state.uniform(-1, 1, min(X.shape))
            U, Sigma, VT = svds(X, k=self.n_components, tol=self.tol, v0=v0)
            Sigma = Sigma[::-1]
            U, VT = svd_flip(U[:, ::-1], VT[::-1], u_based_decision=False)
        else:
            if self.n_components > X.shape[1]:
                raise ValueError(f"n_components({self.n_components}) must be <= n_features({X.shape[1]}).")
            U, Sigma, VT = randomized_svd(X, self.n_components, n_iter=self.n_iter,
                                          n_oversamples=self.n_oversamples,
                                          power_iteration_normalizer=self.power_iteration_normalizer,
                                          random_state=random_state, flip_sign=False)
            U, VT = svd_flip(U, VT, u_based_decision=False)
        self.components_ = VT
        if self.algorithm == "randomized" or self.tol > 0:
            # an approximate SVD: X @ V is the exact projection, U * Sigma only approximates it
            X_transformed = np.asarray(X @ VT.T)
        else:
            X_transformed = U * Sigma
        self.explained_variance_ = np.var(X_transformed, axis=0)
        self.explained_variance_ratio_ = self.explained_variance_ / _column_variance_sum(X)
        self.singular_values_ = Sigma
        return X_transformed

    def transform(self, X: Any) -> np.ndarray:
        """Projects ``X`` on the fitted right singular vectors."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False)
        return np.asarray(X @ self.components_.T)

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Maps reduced data back to the (approximated) input space."""
        X = check_array(X, input_name="X")
        return X @ self.components_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
