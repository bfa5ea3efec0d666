"""``kneighbors_graph`` and ``radius_neighbors_graph``: neighbor graphs of a data set in one call."""
from __future__ import annotations

from typing import Any

from ._unsupervised import NearestNeighbors

__all__ = ["kneighbors_graph", "radius_neighbors_graph"]


def kneighbors_graph(X: Any, n_neighbors: int, *, mode: str = "connectivity", metric: Any = "minkowski",
                     p: float = 2, metric_params: dict | None = None, include_self: bool = False,
                     n_jobs: int | None = None):
    """Sparse ``(n_samples, n_samples)`` graph linking each sample to its ``n_neighbors`` nearest samples.

    Args:
        mode: "connectivity" (ones) or "distance".
        include_self: count each sample as its own first neighbor.
    """
    nn = NearestNeighbors(n_neighbors=n_neighbors, metric=metric, p=p, metric_params=metric_params,
                          n_jobs=n_jobs).fit(X)
    return nn.kneighbors_graph(nn._fit_X if include_self else None, mode=mode)


def radius_neighbors_graph(X: Any, radius: float, *, mode: str = "connectivity", metric: Any = "minkowski",
                           p: float = 2, metric_params: dict | None = None, include_self: bool = False,
                           n_jobs: int | None = None):
    """Sparse ``(n_samples, n_samples)`` graph linking each sample to the samples within ``radius``."""
    nn = NearestNeighbors(radius=radius, metric=metric, p=p, metric_params=metric_params, n_jobs=n_jobs).fit(X)
    return nn.radius_neighbors_graph(nn._fit_X if include_self else None, mode=mode)
