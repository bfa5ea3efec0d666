"""Binning of continuous features into intervals (uniform, quantile or 1-D k-means edges)."""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..base import BaseEstimator, TransformerMixin
from ..utils.validation import (
    _check_feature_names_in,
    check_array,
    check_is_fitted,
    check_random_state,
    validate_data,
)
from ._encoders import OneHotEncoder
from ._utils import FLOAT_DTYPES, InvalidParameterError, check_option, checked_sample_weight, wrap_output

__all__ = ["KBinsDiscretizer"]


def _kmeans_1d_centers(
    x: np.ndarray, init: np.ndarray, weights: np.ndarray | None, max_iter: int = 300, tol: float = 1e-4
) -> np.ndarray:
    """Lloyd iterations on one feature from sorted ``init`` centres; stops on stable labels or small shift."""
    weights = np.ones_like(x) if weights is None else weights
    threshold = tol * np.var(x)
    centers = init.copy()
    previous = None
    for _ in range(max_iter):
        labels = _nearest(x, centers)
        sums = np.bincount(labels, weights=weights * x, minlength=centers.size)
        counts = np.bincount(labels, weights=weights, minlength=centers.size)
        new = np.where(counts > 0, sums / np.where(counts > 0, counts, 1), centers)
        shift = np.sum((new - centers) ** 2)
        centers = new
        if previous is not None and np.array_equal(labels, previous):
            break
        if shift <= threshold:
            break
        previous = labels
    return np.sort(centers)


def _nearest(x: np.ndarray, centers: np.ndarray) -> np.ndarray:
    order = np.argsort(centers)
    midpoints = (centers[order][1:] + centers[order][:-1]) / 2
    return order[np.searchsorted(midpoints, x, side="left")]


def _weighted_percentile(
    x: np.ndarray, weights: np.ndarray, percentiles: np.ndarray, average: bool = True
) -> np.ndarray:
    """Inverted-CDF percentiles of ``x`` weighted by ``weights``; with ``average``, the mean of the two
    candidates where a percentile falls exactly on a step of the CDF.
    """
    order = np.argsort(x)
    xs, ws = x[order], weights[order]
    cdf = np.cumsum(ws)
    total = cdf[-1]
    targets = percentiles / 100.0 * total
    low = np.clip(np.searchsorted(cdf, targets, side="left"), 0, xs.size - 1)
    if not average:
        return xs[low]
    high = np.clip(np.searchsorted(cdf, targets, side="right"), 0, xs.size - 1)
    return 0.5 * (xs[low] + xs[high])


class KBinsDiscretizer(TransformerMixin, BaseEstimator):
    """Bins each feature into ``n_bins`` intervals, encoded one-hot (sparse or dense) or as ordinals."""

    def __init__(
        self,
        n_bins=5,
        *,
        encode: str = "onehot",
        strategy: str = "quantile",
        quantile_method: str = "averaged_inverted_cdf",
        dtype=None,
        subsample=200_000,
        random_state=None,
    ):
        self.n_bins = n_bins
        self.encode = encode
        self.strategy = strategy
        self.quantile_method = quantile_method
        self.dtype = dtype
        self.subsample = subsample
        self.random_state = random_state

    def _validate_n_bins(self, n_features: int) -> np.ndarray:
        if isinstance(self.n_bins, numbers.Integral):
            if self.n_bins < 2:
                raise InvalidParameterError(
                    f"The 'n_bins' parameter of {type(self).__name__} must be an int in the range [2, inf) "
                    f"or an array-like. Got {self.n_bins!r} instead."
                )
            return np.full(n_features, self.n_bins, dtype=np.int64)
        n_bins = check_array(self.n_bins, dtype=None, copy=True, ensure_2d=False)
        if n_bins.ndim > 1 or n_bins.shape[0] != n_features:
            raise ValueError("n_bins must be a scalar or array of shape (n_features,).")
        bad = (n_bins < 2) | (n_bins != np.floor(n_bins))
        if bad.any():
            raise ValueError(
                f"{type(self).__name__} received an invalid number of bins at indices "
                f"{', '.join(str(i) for i in np.flatnonzero(bad))}. Number of bins must be at least 2, and "
                "must be an int."
            )
        return n_bins.astype(np.int64)

    def fit(self, X, y=None, sample_weight=None) -> KBinsDiscretizer:
        """Computes ``bin_edges_`` and ``n_bins_`` per feature.

        Raises:
            ValueError: invalid ``n_bins`` or options.
        """
        check_option(self, "encode", self.encode, ("onehot", "onehot-dense", "ordinal"))
        check_option(self, "strategy", self.strategy, ("uniform", "quantile", "kmeans"))
        check_option(
            self,
            "quantile_method",
            self.quantile_method,
            (
                "inverted_cdf",
                "averaged_inverted_cdf",
                "closest_observation",
                "interpolated_inverted_cdf",
                "hazen",
                "weibull",
                "linear",
                "median_unbiased",
                "normal_unbiased",
            ),
        )
        X = validate_data(self, X, dtype="numeric")
        if self.dtype in (np.float64, np.float32):
            output_dtype = self.dtype
        else:
            output_dtype = X.dtype if X.dtype in (np.float64, np.float32) else np.float64
        n_samples, n_features = X.shape
        weights = checked_sample_weight(sample_weight, X)
        if weights is not None:
            if self.strategy == "quantile" and self.quantile_method not in ("averaged_inverted_cdf", "inverted_cdf"):
                raise ValueError(
                    "When fitting with strategy='quantile' and sample weights, quantile_method should either be "
                    "set to 'averaged_inverted_cdf' or 'inverted_cdf', got "
                    f"quantile_method='{self.quantile_method}' instead."
                )
            X, weights = X[weights > 0], weights[weights > 0]  # weightless rows change no statistic
            n_samples = X.shape[0]
        if self.subsample is not None and n_samples > self.subsample and self.strategy != "uniform":
            rows = check_random_state(self.random_state).choice(n_samples, self.subsample, replace=False)
            X = X[rows]
            weights = None if weights is None else weights[rows]
        n_bins = self._validate_n_bins(n_features)
        edges = np.empty(n_features, dtype=object)
        for j in range(n_features):
            column = X[:, j].astype(np.float64)
            low, high = column.min(), column.max()
            if low == high:
                warnings.warn(f"Feature {j} is constant and will be replaced with 0.", stacklevel=2)
                n_bins[j] = 1
                edges[j] = np.array([-np.inf, np.inf])
                continue
            edges[j] = self._edges(column, n_bins[j], low, high, weights)
            if self.strategy in ("quantile", "kmeans"):
                wide = np.ediff1d(edges[j], to_begin=np.inf) > 1e-8
                edges[j] = edges[j][wide]
                if edges[j].size - 1 != n_bins[j]:
                    warnings.warn(
                        f"Bins whose width are too small (i.e., <= 1e-8) in feature {j} are removed. "
                        "Consider decreasing the number of bins.",
                        stacklevel=2,
                    )
                    n_bins[j] = edges[j].size - 1
        self.bin_edges_ = edges
        self.n_bins_ = n_bins
        if "onehot" in self.encode:
            self._encoder = OneHotEncoder(
                categories=[np.arange(k) for k in n_bins],
                sparse_output=self.encode == "onehot",
                dtype=output_dtype,
            )
            self._encoder.fit(np.zeros((1, n_features)))
        self._output_dtype = output_dtype
        return self

    def _edges(self, column: np.ndarray, n_bins: int, low: float, high: float, weights) -> np.ndarray:
        if self.strategy == "uniform":
            return np.linspace(low, high, n_bins + 1)
        if self.strategy == "quantile":
            percentiles = np.linspace(0, 100, n_bins + 1)
            if weights is None:
                return np.asarray(np.percentile(column, percentiles, method=self.quantile_method), dtype=np.float64)
            return _weighted_percentile(
                column, weights, percentiles, average=self.quantile_method == "averaged_inverted_cdf"
            )
        uniform = np.linspace(low, high, n_bins + 1)
        init = (uniform[1:] + uniform[:-1]) * 0.5
        centers = _kmeans_1d_centers(column, init, weights)
        return np.r_[low, (centers[1:] + centers[:-1]) * 0.5, high]

    def transform(self, X):
        """Returns each value's bin index (ordinal) or its one-hot encoding."""
        check_is_fitted(self)
        X_in = X
        X = validate_data(self, X, reset=False, dtype=FLOAT_DTYPES, copy=True)
        codes = np.empty(X.shape, dtype=np.float64)
        for j, edges in enumerate(self.bin_edges_):
            codes[:, j] = np.searchsorted(edges[1:-1], X[:, j], side="right")
        if self.encode == "ordinal":
            return wrap_output(self, codes.astype(self._output_dtype), X_in)
        encoder_output = getattr(self, "_output_container", "default")
        self._encoder._output_container = "default"
        out = self._encoder.transform(codes)
        self._encoder._output_container = encoder_output
        return wrap_output(self, out, X_in)

    def inverse_transform(self, X):
        """Maps bin indices (or one-hot rows) to the centres of their bins."""
        check_is_fitted(self)
        codes = (
            self._encoder.inverse_transform(X)
            if "onehot" in self.encode
            else check_array(X, dtype=FLOAT_DTYPES, copy=True)
        )
        if codes.shape[1] != self.n_bins_.shape[0]:
            raise ValueError(
                f"Incorrect number of features. Expecting {self.n_bins_.shape[0]}, received {codes.shape[1]}."
            )
        out = np.empty(codes.shape, dtype=np.float64)
        for j, edges in enumerate(self.bin_edges_):
            centers = (edges[1:] + edges[:-1]) * 0.5
            out[:, j] = centers[np.asarray(codes[:, j], dtype=np.int64)]
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Input names (ordinal) or ``<feature>_<bin>`` names (one-hot)."""
        check_is_fitted(self, "n_features_in_")
        names = _check_feature_names_in(self, input_features)
        if "onehot" in self.encode:
            return self._encoder.get_feature_names_out(names)
        return names
