"""``NearestNeighbors``: the unsupervised neighbor index."""
from __future__ import annotations

from typing import Any

from ._base import KNeighborsMixin, NeighborsBase, RadiusNeighborsMixin

__all__ = ["NearestNeighbors"]


class NearestNeighbors(KNeighborsMixin, RadiusNeighborsMixin, NeighborsBase):
    """Indexes the training points for k-nearest and radius neighbor queries."""

    def __init__(self, *, n_neighbors: int = 5, radius: float = 1.0, algorithm: str = "auto",
                 leaf_size: int = 30, metric: Any = "minkowski", p: float = 2,
                 metric_params: dict | None = None, n_jobs: int | None = None) -> None:
        self.n_neighbors = n_neighbors
        self.radius = radius
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.metric = metric
        self.p = p
        self.metric_params = metric_params
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: Any = None) -> NearestNeighbors:
        """Indexes ``X`` (``y`` is ignored)."""
        return self._fit(X)
