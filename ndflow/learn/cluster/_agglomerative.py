"""Agglomerative (hierarchical) clustering on SciPy's linkage, cut into flat clusters like scikit-learn."""
from __future__ import annotations

import heapq
from typing import Any

import numpy as np

from ..base import BaseEstimator, ClusterMixin
from ..utils.validation import validate_data
from ._common import check_number, check_option

__all__ = ["AgglomerativeClustering"]

_SCIPY_METRICS = {"l2": "euclidean", "l1": "cityblock", "manhattan": "cityblock"}


def _linkage_matrix(X: np.ndarray, linkage: str, metric: Any) -> np.ndarray:
    """SciPy linkage matrix ``(n - 1, 4)`` of ``X`` (features, or distances when ``metric="precomputed"``)."""
    from scipy.cluster import hierarchy

    if linkage == "ward":
        return hierarchy.ward(X)
    if metric == "precomputed" or callable(metric):
        D = X if metric == "precomputed" else np.asarray(metric(X), dtype=float)
        rows, cols = np.triu_indices(D.shape[0], k=1)
        return hierarchy.linkage(D[rows, cols], method=linkage)
    if metric == "cosine" and np.any(~np.any(X, axis=1)):
        raise ValueError("Cosine affinity cannot be used when X contains zero vectors")
    return hierarchy.linkage(X, method=linkage, metric=_SCIPY_METRICS.get(metric, metric))


def _cut_tree(children: np.ndarray, n_leaves: int, n_clusters: int) -> np.ndarray:
    """Flat labels from undoing the last ``n_clusters - 1`` merges, numbered like scikit-learn's cut."""
    if n_clusters > n_leaves:
        raise ValueError(f"Cannot extract more clusters than samples: {n_clusters} clusters were given for a tree "
                         f"with {n_leaves} leaves.")
    # the remaining clusters, kept as a heap of negated node ids (splitting the newest node first)
    heap = [-(int(children[-1].max()) + 1)]
    for _ in range(n_clusters - 1):
        left, right = children[-heap[0] - n_leaves]
        heapq.heappush(heap, -int(left))
        heapq.heappushpop(heap, -int(right))
    # follow parent links of the kept merges up to each leaf's cluster node (pointer jumping)
    n_kept = n_leaves - n_clusters
    parent = np.arange(2 * n_leaves - 1)
    parent[children[:n_kept].ravel()] = np.repeat(n_leaves + np.arange(n_kept), 2)
    while True:
        jumped = parent[parent]
        if np.array_equal(jumped, parent):
            break
        parent = jumped
    label_of_node = np.zeros(2 * n_leaves - 1, dtype=np.intp)
    label_of_node[[-node for node in heap]] = np.arange(len(heap))
    return label_of_node[parent[:n_leaves]]


class AgglomerativeClustering(ClusterMixin, BaseEstimator):
    """Bottom-up hierarchical clustering (ward, complete, average or single linkage).

    Fitted attributes: ``n_clusters_``, ``labels_``, ``n_leaves_``, ``n_connected_components_``,
    ``children_`` (merged node pairs; ids ``>= n_leaves_`` are earlier merges) and ``distances_`` (when
    ``distance_threshold`` or ``compute_distances`` is set). A ``connectivity`` constraint is not supported yet.
    """

    def __init__(self, n_clusters: int | None = 2, *, metric: Any = "euclidean", memory: Any = None,
                 connectivity: Any = None, compute_full_tree: Any = "auto", linkage: str = "ward",
                 distance_threshold: float | None = None, compute_distances: bool = False):
        self.n_clusters = n_clusters
        self.metric = metric
        self.memory = memory
        self.connectivity = connectivity
        self.compute_full_tree = compute_full_tree
        self.linkage = linkage
        self.distance_threshold = distance_threshold
        self.compute_distances = compute_distances

    def _check_params(self) -> None:
        check_number(self, "n_clusters", self.n_clusters, "int", 1, allow_none=True)
        check_number(self, "distance_threshold", self.distance_threshold, "real", 0, allow_none=True)
        check_option(self, "linkage", self.linkage, ("ward", "complete", "average", "single"))
        if self.connectivity is not None:
            raise NotImplementedError("AgglomerativeClustering with a connectivity constraint is not supported yet")
        if (self.n_clusters is None) == (self.distance_threshold is None):
            raise ValueError("Exactly one of n_clusters and distance_threshold has to be set, and the other "
                             "needs to be None.")
        if self.distance_threshold is not None and not self.compute_full_tree:
            raise ValueError("compute_full_tree must be True if distance_threshold is set.")
        if self.linkage == "ward" and self.metric != "euclidean":
            raise ValueError(f"{self.metric} was provided as metric. Ward can only work with euclidean distances.")

    def fit(self, X: Any, y: Any = None) -> AgglomerativeClustering:
        """Builds the full merge tree and cuts it at ``n_clusters`` or ``distance_threshold``."""
        X = validate_data(self, X, ensure_min_samples=2)
        self._check_params()
        tree = _linkage_matrix(X, self.linkage, self.metric)
        self.n_leaves_ = X.shape[0]
        self.n_connected_components_ = 1
        self.children_ = tree[:, :2].astype(np.intp)
        distances = tree[:, 2]
        if self.distance_threshold is not None or self.compute_distances:
            self.distances_ = distances
        if self.distance_threshold is not None:
            self.n_clusters_ = int(np.count_nonzero(distances >= self.distance_threshold)) + 1
        else:
            self.n_clusters_ = self.n_clusters
        self.labels_ = _cut_tree(self.children_, self.n_leaves_, self.n_clusters_)
        return self

    def fit_predict(self, X: Any, y: Any = None) -> np.ndarray:
        """Fits and returns ``labels_``."""
        return self.fit(X).labels_

    def _update_sklearn_tags(self, tags) -> None:
        tags.input_tags.pairwise = self.metric == "precomputed"
