"""DBSCAN: density-based clusters grown from core samples through their eps-neighborhoods."""
from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, ClusterMixin
from ..utils.validation import _check_sample_weight, validate_data
from ._common import check_number, check_option

__all__ = ["DBSCAN", "dbscan"]


def _label_from_neighborhoods(graph: sp.csr_matrix, core: np.ndarray) -> np.ndarray:
    """Cluster labels given the (self-inclusive) neighborhood graph and the core mask; -1 marks noise.

    Clusters are the connected components of the core samples, numbered in the order of their
    lowest-index core sample; a border sample joins the lowest-numbered cluster among its core neighbors
    (the outcome of growing clusters one by one in index order, as scikit-learn does).
    """
    from scipy.sparse.csgraph import connected_components

    n = graph.shape[0]
    labels = np.full(n, -1, dtype=np.intp)
    core_idx = np.flatnonzero(core)
    if core_idx.size == 0:
        return labels
    core_graph = graph[core_idx][:, core_idx]
    _, component = connected_components(core_graph, directed=False)
    first_member = np.full(component.max() + 1, n, dtype=np.intp)
    np.minimum.at(first_member, component, core_idx)
    rank = np.empty_like(first_member)
    rank[np.argsort(first_member, kind="stable")] = np.arange(first_member.size)
    labels[core_idx] = rank[component]
    border_idx = np.flatnonzero(~core)
    to_core = graph[border_idx][:, core_idx].tocsr()
    reached = np.diff(to_core.indptr) > 0
    if reached.any():
        neighbor_labels = labels[core_idx[to_core.indices]]
        labels[border_idx[reached]] = np.minimum.reduceat(neighbor_labels, to_core.indptr[:-1][reached])
    return labels


def _euclidean_radius_graph(X: np.ndarray, radius: float) -> sp.csr_matrix:
    """Self-inclusive Euclidean radius-neighbors graph from SciPy's k-d tree (the fast path for dense data)."""
    from scipy.spatial import cKDTree

    n = X.shape[0]
    pairs = cKDTree(X).query_pairs(radius, output_type="ndarray")
    rows = np.concatenate([pairs[:, 0], pairs[:, 1], np.arange(n)])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0], np.arange(n)])
    return sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n))


class DBSCAN(ClusterMixin, BaseEstimator):
    """Density-Based Spatial Clustering of Applications with Noise.

    A core sample has at least ``min_samples`` samples (itself included, weighted by ``sample_weight``)
    within distance ``eps``. Fitted attributes: ``core_sample_indices_``, ``components_`` (the core
    samples), ``labels_`` (-1 for noise).
    """

    def __init__(self, eps: float = 0.5, *, min_samples: int = 5, metric: Any = "euclidean",
                 metric_params: dict | None = None, algorithm: str = "auto", leaf_size: int = 30,
                 p: float | None = None, n_jobs: int | None = None):
        self.eps = eps
        self.min_samples = min_samples
        self.metric = metric
        self.metric_params = metric_params
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> DBSCAN:
        """Finds core samples and grows clusters from them (radius queries of ``ndflow.learn.neighbors``)."""
        from ..neighbors import NearestNeighbors

        check_number(self, "eps", self.eps, "real", 0.0, closed="neither")
        check_number(self, "min_samples", self.min_samples, "int", 1)
        check_number(self, "leaf_size", self.leaf_size, "int", 1)
        check_number(self, "p", self.p, "real", 0.0, allow_none=True)
        check_option(self, "algorithm", self.algorithm, ("auto", "ball_tree", "kd_tree", "brute"))
        X = validate_data(self, X, accept_sparse="csr")
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
        if self._kd_tree_applies(X):
            graph = _euclidean_radius_graph(X, self.eps)
        else:
            neighbors = NearestNeighbors(radius=self.eps, algorithm=self.algorithm, leaf_size=self.leaf_size,
                                         metric=self.metric, metric_params=self.metric_params, p=self.p,
                                         n_jobs=self.n_jobs).fit(X)
            graph = neighbors.radius_neighbors_graph(X, mode="connectivity").tocsr()
        if sample_weight is None:
            n_neighbors = np.diff(graph.indptr)
        else:
            n_neighbors = graph @ sample_weight
        core = np.asarray(n_neighbors >= self.min_samples)
        self.labels_ = _label_from_neighborhoods(graph, core)
        self.core_sample_indices_ = np.flatnonzero(core)
        if self.core_sample_indices_.size:
            self.components_ = X[self.core_sample_indices_].copy()
        else:
            self.components_ = np.empty((0, X.shape[1]))
        return self

    def _kd_tree_applies(self, X: Any) -> bool:
        euclidean = self.metric == "euclidean" or (self.metric == "minkowski" and self.p in (None, 2))
        return (euclidean and not sp.issparse(X) and not self.metric_params
                and self.algorithm in ("auto", "kd_tree"))

    def fit_predict(self, X: Any, y: Any = None, sample_weight: Any = None) -> np.ndarray:
        """Fits and returns ``labels_``."""
        return self.fit(X, sample_weight=sample_weight).labels_

    def _update_sklearn_tags(self, tags) -> None:
        tags.input_tags.pairwise = self.metric == "precomputed"
        tags.input_tags.sparse = True


def dbscan(X: Any, eps: float = 0.5, *, min_samples: int = 5, metric: Any = "minkowski",
           metric_params: dict | None = None, algorithm: str = "auto", leaf_size: int = 30, p: float = 2,
           sample_weight: Any = None, n_jobs: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Functional form of ``DBSCAN``: ``(core_sample_indices, labels)``."""
    est = DBSCAN(eps=eps, min_samples=min_samples, metric=metric, metric_params=metric_params,
                 algorithm=algorithm, leaf_size=leaf_size, p=p, n_jobs=n_jobs).fit(X, sample_weight=sample_weight)
    return est.core_sample_indices_, est.labels_
