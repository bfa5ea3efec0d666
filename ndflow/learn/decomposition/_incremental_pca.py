"""Incremental PCA: the SVD is updated batch by batch, so the data never has to fit in memory at once."""
from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from ..utils.extmath import svd_flip
from ..utils.validation import check_array, check_is_fitted, validate_data
from ._base import BasePCA
from ._params import check_number

__all__ = ["IncrementalPCA"]


def _batches(n: int, batch_size: int, min_batch_size: int = 0):
    """Consecutive slices of ``batch_size`` rows; the tail is merged into the last one if too small."""
    start = 0
    for _ in range(n // batch_size):
        end = start + batch_size
        if end + min_batch_size > n:
            continue
        yield slice(start, end)
        start = end
    if start < n:
        yield slice(start, n)


def _update_mean_and_var(X: np.ndarray, mean: Any, var: Any, count: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Running column mean and (biased) variance after adding the rows of ``X`` (Chan et al. 1979)."""
    n_new = X.shape[0]
    total = count + n_new
    new_sum = X.sum(axis=0, dtype=np.float64)
    new_mean = new_sum / n_new
    new_ssd = np.sum((X - new_mean) ** 2, axis=0, dtype=np.float64)
    if count == 0:
        return new_mean, new_ssd / total, total
    delta = new_mean - mean
    ssd = var * count + new_ssd + delta ** 2 * count * n_new / total
    return (count * mean + new_sum) / total, ssd / total, total


class IncrementalPCA(BasePCA):
    """PCA fitted in mini-batches (Ross et al. 2008); the result approaches :class:`PCA`'s.

    Args:
        n_components: components to keep (None: the smaller of the first batch's rows and the features).
        whiten: scale the projections to unit variance.
        copy: copy each batch before centring it (batches are always copied here; kept for compatibility).
        batch_size: rows per batch in ``fit`` (None: ``5 * n_features``).
    """

    def __init__(self, n_components: int | None = None, *, whiten: bool = False, copy: bool = True,
                 batch_size: int | None = None) -> None:
        self.n_components = n_components
        self.whiten = whiten
        self.copy = copy
        self.batch_size = batch_size

    def _validate_params(self) -> None:
        check_number(self, "n_components", self.n_components, integer=True, low=1, allow=(None,))
        check_number(self, "batch_size", self.batch_size, integer=True, low=1, allow=(None,))

    def _reset(self) -> None:
        self.components_ = None
        self.n_samples_seen_ = 0
        self.mean_ = 0.0
        self.var_ = 0.0
        self.singular_values_ = None
        self.explained_variance_ = None
        self.explained_variance_ratio_ = None
        self.noise_variance_ = None

    def fit(self, X: Any, y: Any = None) -> IncrementalPCA:
        """Fits on ``X`` batch by batch; a ``np.memmap`` is read one batch at a time."""
        self._validate_params()
        self._reset()
        X = validate_data(self, X, dtype=[np.float64, np.float32], accept_sparse=["csr", "csc"], copy=False)
        n_samples, n_features = X.shape
        self.batch_size_ = 5 * n_features if self.batch_size is None else self.batch_size
        for rows in _batches(n_samples, self.batch_size_, min_batch_size=self.n_components or 0):
            batch = X[rows]
            if sp.issparse(batch):
                batch = batch.toarray()
            self._partial_fit(np.array(batch, dtype=X.dtype))
        return self

    def partial_fit(self, X: Any, y: Any = None, check_input: bool = True) -> IncrementalPCA:
        """Updates the fit with one batch ``X``; the first call starts a new fit.

        Raises:
            ValueError: more components than features or than rows in this batch, or a changed
                number of components.
        """
        first_pass = not hasattr(self, "components_")
        if check_input:
            if sp.issparse(X):
                raise TypeError(
                    "IncrementalPCA.partial_fit does not support sparse input. Either convert data to dense "
                    "or use IncrementalPCA.fit to do so in batches."
                )
            self._validate_params()
            X = validate_data(self, X, dtype=[np.float64, np.float32], reset=first_pass, copy=True)
        else:
            X = np.array(X, copy=True)
        if first_pass:
            self._reset()
        self._partial_fit(X)
        return self

    def _partial_fit(self, X: np.ndarray) -> None:
        from scipy import linalg

        n_samples, n_features = X.shape
        if self.n_components is None:
            n_components = min(n_samples, n_features) if self.components_ is None else self.components_.shape[0]
        elif self.n_components > n_features:
            raise ValueError(
                f"n_components={self.n_components!r} invalid for n_features={n_features}, need more rows than "
                "columns for IncrementalPCA processing"
            )
        elif self.n_components > n_samples:
            raise ValueError(
                f"n_components={self.n_components!r} must be less or equal to the batch number of samples "
                f"{n_samples}."
            )
        else:
            n_components = self.n_components
        if self.components_ is not None and self.components_.shape[0] != n_components:
            raise ValueError(
                f"Number of input features has changed from {self.components_.shape[0]} to {n_components} between "
                "calls to partial_fit! Try setting n_components to a fixed value."
            )
        seen = self.n_samples_seen_
        mean, var, total = _update_mean_and_var(X, self.mean_, self.var_, seen)
        mean, var = mean.astype(X.dtype, copy=False), var.astype(X.dtype, copy=False)
        if seen == 0:
            X -= mean
        else:
            batch_mean = X.mean(axis=0)
            X -= batch_mean
            # the shift between the old and the new mean, weighted so the stacked SVD sees the right scatter
            correction = (np.sqrt(seen / total * n_samples) * (self.mean_ - batch_mean)).astype(X.dtype)
            X = np.vstack([self.singular_values_[:, None] * self.components_, X, correction])
        U, S, Vt = linalg.svd(X, full_matrices=False, check_finite=False)
        U, Vt = svd_flip(U, Vt, u_based_decision=False)
        explained_variance = S ** 2 / (total - 1)
        ratio = S ** 2 / np.sum(var * total)
        self.n_samples_seen_ = total
        self.components_ = Vt[:n_components]
        self.singular_values_ = S[:n_components]
        self.mean_ = mean
        self.var_ = var
        self.explained_variance_ = explained_variance[:n_components]
        self.explained_variance_ratio_ = ratio[:n_components]
        self.n_components_ = n_components
        if n_components not in (n_samples, n_features):
            self.noise_variance_ = float(explained_variance[n_components:].mean())
        else:
            self.noise_variance_ = 0.0

    def transform(self, X: Any) -> np.ndarray:
        """Projects ``X`` on the components; sparse input is densified one batch at a time."""
        if not sp.issparse(X):
            return super().transform(X)
        check_is_fitted(self)
        X = check_array(X, accept_sparse=["csr", "csc"])
        n_samples = X.shape[0]
        return np.vstack([self._project(X[rows].toarray())
                          for rows in _batches(n_samples, self.batch_size_, min_batch_size=self.n_components or 0)])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


