"""Quantile binning of continuous features into at most 255 uint8 codes plus one code for missing values."""
from __future__ import annotations

import numpy as np

from ...utils.validation import check_random_state
from .._gradient_boosting import _weighted_percentile

ALMOST_INF = 1e300
SUBSAMPLE = 200_000


def find_thresholds(column: np.ndarray, max_bins: int, sample_weight: np.ndarray | None = None) -> np.ndarray:
    """Increasing bin edges of one feature: value ``x`` falls in bin ``i`` iff ``edges[i-1] < x <= edges[i]``.

    With at most ``max_bins`` distinct values the edges are the midpoints between them, otherwise the
    ``max_bins``-quantiles (averaged inverted CDF). NaNs are ignored.
    """
    keep = ~np.isnan(column)
    if sample_weight is not None:
        keep &= sample_weight != 0
        sample_weight = sample_weight[keep]
    column = column[keep]
    distinct = np.unique(column)
    if distinct.size <= 1:
        return np.asarray([], dtype=np.float64)
    if distinct.size <= max_bins:
        edges = (distinct[:-1] + distinct[1:]) / 2.0
    else:
        ranks = np.linspace(0, 100, num=max_bins + 1)[1:-1]
        if sample_weight is None:
            edges = np.percentile(np.sort(column), ranks, method="averaged_inverted_cdf")
        else:
            edges = np.array([_weighted_percentile(column, sample_weight, r, average=True) for r in ranks])
        edges = np.unique(edges)
    return np.clip(edges, None, ALMOST_INF)


class BinMapper:
    """Learns per-feature bin edges on (a subsample of) the training data and maps data to uint8 codes.

    The last code, ``missing_values_bin_idx_ = n_bins - 1``, is reserved for NaN. Codes are returned
    feature-major, shape (n_features, n_samples), which is the layout the histogram builder reads.
    """

    def __init__(self, n_bins: int = 256, random_state: int | None = None):
        self.n_bins = n_bins
        self.random_state = random_state

    def fit(self, X: np.ndarray, sample_weight: np.ndarray | None = None,
            n_categories: list[int] | None = None) -> BinMapper:
        """Learns the bin edges; the first ``len(n_categories)`` features are categories coded ``0 .. k-1``."""
        max_bins = self.n_bins - 1
        n_categorical = 0 if n_categories is None else len(n_categories)
        if X.shape[0] > SUBSAMPLE:
            rng = check_random_state(self.random_state)
            p = None if sample_weight is None else sample_weight / np.sum(sample_weight)
            X = X.take(rng.choice(X.shape[0], SUBSAMPLE, p=p, replace=True), axis=0)
            sample_weight = None
        self.bin_thresholds_ = [np.arange(n_categories[f], dtype=np.float64) if f < n_categorical
                                else find_thresholds(X[:, f], max_bins, sample_weight) for f in range(X.shape[1])]
        self.n_bins_non_missing_ = np.array([t.size + (f >= n_categorical) for f, t in enumerate(self.bin_thresholds_)],
                                            dtype=np.intp)
        self.missing_values_bin_idx_ = self.n_bins - 1
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        codes = np.empty((X.shape[1], X.shape[0]), dtype=np.uint8)
        for f, edges in enumerate(self.bin_thresholds_):
            column = X[:, f]
            codes[f] = np.searchsorted(edges, column, side="left")
            codes[f, np.isnan(column)] = self.missing_values_bin_idx_
        return codes
