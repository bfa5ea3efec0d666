"""Mapping features through their empirical CDF onto a uniform or normal distribution."""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from ..utils.validation import check_array, check_is_fitted, check_random_state, validate_data
from ._utils import FLOAT_DTYPES, InvalidParameterError, check_option, sklearn_tags_hook, wrap_output

__all__ = ["QuantileTransformer", "quantile_transform"]

BOUNDS_THRESHOLD = 1e-7


class QuantileTransformer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Transforms each feature with its empirical quantile function onto ``uniform`` or ``normal``."""

    _update_sklearn_tags = sklearn_tags_hook(allow_nan=True, sparse=True)

    def __init__(
        self,
        *,
        n_quantiles: int = 1000,
        output_distribution: str = "uniform",
        ignore_implicit_zeros: bool = False,
        subsample=10_000,
        random_state=None,
        copy: bool = True,
    ):
        self.n_quantiles = n_quantiles
        self.output_distribution = output_distribution
        self.ignore_implicit_zeros = ignore_implicit_zeros
        self.subsample = subsample
        self.random_state = random_state
        self.copy = copy

    def fit(self, X, y=None) -> QuantileTransformer:
        """Estimates ``quantiles_`` at the ``references_`` probabilities.

        Raises:
            ValueError: more quantiles than subsampled rows.
        """
        check_option(self, "output_distribution", self.output_distribution, ("uniform", "normal"))
        if not (isinstance(self.n_quantiles, numbers.Integral) and self.n_quantiles >= 1):
            raise InvalidParameterError(
                "The 'n_quantiles' parameter of QuantileTransformer must be an int in the range [1, inf). "
                f"Got {self.n_quantiles!r} instead."
            )
        X = self._validate(X, reset=True)
        if self.subsample is not None and self.n_quantiles > self.subsample:
            raise ValueError(
                "The number of quantiles cannot be greater than the number of samples used. Got "
                f"{self.n_quantiles} quantiles and {self.subsample} samples."
            )
        n_samples = X.shape[0]
        if self.n_quantiles > n_samples:
            warnings.warn(
                f"n_quantiles ({self.n_quantiles}) is greater than the total number of samples "
                f"({n_samples}). n_quantiles is set to n_samples.",
                stacklevel=2,
            )
        if self.ignore_implicit_zeros and not sp.issparse(X):
            warnings.warn(
                "'ignore_implicit_zeros' takes effect only with sparse matrix. This parameter has no effect.",
                stacklevel=2,
            )
        self.n_quantiles_ = max(1, min(self.n_quantiles, n_samples))
        self.references_ = np.linspace(0, 1, self.n_quantiles_, endpoint=True)
        rng = check_random_state(self.random_state)
        quantiles = self._sparse_quantiles(X, rng) if sp.issparse(X) else self._dense_quantiles(X, rng)
        self.quantiles_ = np.maximum.accumulate(quantiles, axis=0)
        return self

    def _validate(self, X, reset: bool, negative_ok: bool = False):
        X = validate_data(
            self,
            X,
            reset=reset,
            accept_sparse="csc",
            dtype=FLOAT_DTYPES,
            ensure_all_finite="allow-nan",
            copy=True,
        )
        if sp.issparse(X):
            X = sp.csc_matrix(X, copy=True)  # check_array may hand back the caller's matrix itself
            if not negative_ok and np.any(X.data < 0):
                raise ValueError("QuantileTransformer only accepts non-negative sparse matrices.")
        return X

    def _dense_quantiles(self, X: np.ndarray, rng) -> np.ndarray:
        if self.subsample is not None and X.shape[0] > self.subsample:
            X = X.take(rng.choice(X.shape[0], size=self.subsample, replace=False), axis=0)
        return np.nanpercentile(X, self.references_ * 100, axis=0)

    def _sparse_quantiles(self, X, rng) -> np.ndarray:
        """Quantiles per column of a CSC matrix, counting its implicit zeros unless told to ignore them."""
        n_samples = X.shape[0]
        columns = []
        for j in range(X.shape[1]):
            stored = X.data[X.indptr[j] : X.indptr[j + 1]]
            if self.subsample is not None and self.subsample < n_samples:
                kept = self.subsample * stored.size // n_samples
                values = np.zeros(kept if self.ignore_implicit_zeros else self.subsample)
                values[:kept] = rng.choice(stored, kept, replace=False)
            else:
                values = np.zeros(stored.size if self.ignore_implicit_zeros else n_samples)
                values[: stored.size] = stored
            if values.size:
                columns.append(np.nanpercentile(values, self.references_ * 100))
            else:
                columns.append(np.zeros(self.references_.size))
        return np.transpose(columns)

    def _map_column(self, column: np.ndarray, quantiles: np.ndarray, inverse: bool) -> np.ndarray:
        from scipy import stats

        normal = self.output_distribution == "normal"
        if inverse:
            low_x, high_x, low_y, high_y = 0.0, 1.0, quantiles[0], quantiles[-1]
            if normal:
                column = stats.norm.cdf(column)
        else:
            low_x, high_x, low_y, high_y = quantiles[0], quantiles[-1], 0.0, 1.0
        with np.errstate(invalid="ignore"):
            if normal:
                at_low = column - BOUNDS_THRESHOLD < low_x
                at_high = column + BOUNDS_THRESHOLD > high_x
            else:
                at_low = column == low_x
                at_high = column == high_x
        finite = ~np.isnan(column)
        values = column[finite]
        mapped = column.copy()
        if inverse:
            mapped[finite] = np.interp(values, self.references_, quantiles)
        else:
            # average of the interpolations from both ends, so repeated quantiles map to their middle
            mapped[finite] = 0.5 * (
                np.interp(values, quantiles, self.references_)
                - np.interp(-values, -quantiles[::-1], -self.references_[::-1])
            )
        mapped[at_high] = high_y
        mapped[at_low] = low_y
        if normal and not inverse:
            with np.errstate(invalid="ignore", divide="ignore"):
                mapped = stats.norm.ppf(mapped)
                margin = BOUNDS_THRESHOLD - np.spacing(1)
                mapped = np.clip(mapped, stats.norm.ppf(margin), stats.norm.ppf(1 - margin))
        return mapped

    def _map(self, X, inverse: bool):
        """Maps every column (only the stored entries of a sparse matrix) in place."""
        for j in range(X.shape[1]):
            if sp.issparse(X):
                stored = slice(X.indptr[j], X.indptr[j + 1])
                X.data[stored] = self._map_column(X.data[stored], self.quantiles_[:, j], inverse)
            else:
                X[:, j] = self._map_column(X[:, j], self.quantiles_[:, j], inverse)
        return X

    def transform(self, X):
        """Returns the transformed features (NaNs stay NaN)."""
        check_is_fitted(self)
        X_in = X
        X = self._validate(X, reset=False)
        return wrap_output(self, self._map(X, inverse=False), X_in)

    def inverse_transform(self, X):
        """Maps transformed values back to the original feature space."""
        check_is_fitted(self)
        X = check_array(X, accept_sparse="csc", dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", copy=True)
        return self._map(sp.csc_matrix(X, copy=True) if sp.issparse(X) else X, inverse=True)


def quantile_transform(
    X,
    *,
    axis: int = 0,
    n_quantiles: int = 1000,
    output_distribution: str = "uniform",
    ignore_implicit_zeros: bool = False,
    subsample=100_000,
    random_state=None,
    copy: bool = True,
):
    """Function form of ``QuantileTransformer`` along ``axis``."""
    transformer = QuantileTransformer(
        n_quantiles=n_quantiles,
        output_distribution=output_distribution,
        ignore_implicit_zeros=ignore_implicit_zeros,
        subsample=subsample,
        random_state=random_state,
        copy=copy,
    )
    X = check_array(X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan")
    if axis == 1:
        return transformer.fit_transform(X.T).T
    return transformer.fit_transform(X)
