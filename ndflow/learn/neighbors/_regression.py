"""``KNeighborsRegressor`` and ``RadiusNeighborsRegressor``: (weighted) means of the neighbors' targets."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..base import MultiOutputMixin, RegressorMixin
from ._base import KNeighborsMixin, NeighborsBase, RadiusNeighborsMixin, get_radius_weights, get_weights

__all__ = ["KNeighborsRegressor", "RadiusNeighborsRegressor"]


class KNeighborsRegressor(KNeighborsMixin, MultiOutputMixin, RegressorMixin, NeighborsBase):
    """Predicts the (weighted) mean target of the ``n_neighbors`` nearest training points."""

    def __init__(self, n_neighbors: int = 5, *, weights: Any = "uniform", algorithm: str = "auto",
                 leaf_size: int = 30, p: float = 2, metric: Any = "minkowski",
                 metric_params: dict | None = None, n_jobs: int | None = None) -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.metric = metric
        self.metric_params = metric_params
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: Any) -> KNeighborsRegressor:
        """Indexes ``X`` and stores the targets ``y`` (1-D or multi-output 2-D)."""
        return self._fit(X, y)

    def predict(self, X: Any) -> np.ndarray:
        """Mean (or distance-weighted mean) of the neighbors' targets."""
        dist, ind = self.kneighbors(X)
        weights = get_weights(dist, self.weights)
        targets = self._y[ind]  # (n_queries, k) or (n_queries, k, n_outputs)
        if weights is None:
            return targets.mean(axis=1)
        if targets.ndim == 3:
            weights = weights[:, :, None]
        return (targets * weights).sum(axis=1) / weights.sum(axis=1)


class RadiusNeighborsRegressor(RadiusNeighborsMixin, MultiOutputMixin, RegressorMixin, NeighborsBase):
    """Predicts the (weighted) mean target of the training points within ``radius`` (NaN when none)."""

    def __init__(self, radius: float = 1.0, *, weights: Any = "uniform", algorithm: str = "auto",
                 leaf_size: int = 30, p: float = 2, metric: Any = "minkowski",
                 metric_params: dict | None = None, n_jobs: int | None = None) -> None:
        self.radius = radius
        self.weights = weights
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.metric = metric
        self.metric_params = metric_params
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: Any) -> RadiusNeighborsRegressor:
        """Indexes ``X`` and stores the targets ``y``."""
        return self._fit(X, y)

    def predict(self, X: Any) -> np.ndarray:
        """Weighted mean of the targets within ``radius``; NaN (with a warning) where there are none."""
        indptr, ind, dist = self._radius_csr(X, None, sort_results=False)
        n_queries = len(indptr) - 1
        rows = np.repeat(np.arange(n_queries), np.diff(indptr))
        weights = get_radius_weights(rows, dist, n_queries, self.weights)
        if weights is None:
            weights = np.ones(ind.size)
        targets = self._y[ind].reshape(ind.size, -1)
        total = np.bincount(rows, weights=weights, minlength=n_queries)
        sums = np.stack([np.bincount(rows, weights=weights * targets[:, j], minlength=n_queries)
                         for j in range(targets.shape[1])], axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            y_pred = sums / total[:, None]
        y_pred[total == 0] = np.nan
        if np.isnan(y_pred).any():
            warnings.warn("One or more samples have no neighbors within specified radius; predicting NaN.",
                          stacklevel=2)
        return y_pred.ravel() if self._y.ndim == 1 else y_pred
