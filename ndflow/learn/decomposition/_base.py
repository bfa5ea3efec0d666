"""What PCA and IncrementalPCA share: projection, reconstruction and the probabilistic-PCA covariance."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..._core.backend import get_namespace
from ..base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from ..utils.validation import check_array, check_is_fitted, validate_data

__all__ = ["BasePCA"]


class BasePCA(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Fitted state: ``components_`` (rows), ``explained_variance_``, ``mean_``, ``noise_variance_``, ``whiten``."""

    @property
    def _n_features_out(self) -> int:
        return self.components_.shape[0]

    def get_covariance(self) -> np.ndarray:
        """Data covariance under the probabilistic PCA model: ``Wᵀ diag(λ - σ²) W + σ² I``."""
        xp = get_namespace(self.components_)
        components = self.components_
        variance = self.explained_variance_
        if self.whiten:
            components = components * xp.sqrt(variance[:, None])
        excess = xp.maximum(variance - self.noise_variance_, 0.0)
        cov = (components.T * excess) @ components
        cov[xp.diag_indices_from(cov)] += self.noise_variance_
        return cov

    def get_precision(self) -> np.ndarray:
        """Inverse of :meth:`get_covariance`, by the matrix inversion lemma (cheap for few components)."""
        xp = get_namespace(self.components_)
        n_features = self.components_.shape[1]
        if self.n_components_ == 0:
            return xp.eye(n_features) / self.noise_variance_
        if self.noise_variance_ == 0.0:
            return xp.linalg.inv(self.get_covariance())
        components = self.components_
        variance = self.explained_variance_
        if self.whiten:
            components = components * xp.sqrt(variance[:, None])
        excess = xp.maximum(variance - self.noise_variance_, 0.0)
        inner = components @ components.T / self.noise_variance_
        inner[xp.diag_indices_from(inner)] += 1.0 / excess
        precision = -(components.T @ xp.linalg.inv(inner) @ components) / self.noise_variance_ ** 2
        precision[xp.diag_indices_from(precision)] += 1.0 / self.noise_variance_
        return precision

    def transform(self, X: Any) -> np.ndarray:
        """Projects ``X`` on the principal components (whitened to unit variance with ``whiten``)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], accept_sparse=("csr", "csc"), reset=False)
        return self._project(X)

    def _project(self, X: Any) -> np.ndarray:
        xp = get_namespace(self.components_)
        projected = xp.asarray(X @ self.components_.T)
        projected -= xp.reshape(self.mean_ @ self.components_.T, (1, -1))
        if self.whiten:
            scale = xp.sqrt(self.explained_variance_)
            projected /= xp.maximum(scale, xp.finfo(scale.dtype).eps)
        return projected

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Maps reduced data back to the input space (exact inverse of ``transform`` on the kept subspace)."""
        check_is_fitted(self)
        X = check_array(X, input_name="X", dtype=[np.float64, np.float32])
        components = self.components_
        if self.whiten:
            xp = get_namespace(components)
            components = xp.sqrt(self.explained_variance_[:, None]) * components
        return X @ components + self.mean_
