"""BIRCH: an online CF-tree of sub-clusters, optionally followed by a global clustering of their centroids.

Samples are inserted one by one, in order, into a tree of clustering features (count, linear sum, squared
sum). A sample joins the closest leaf sub-cluster when the merged radius stays within ``threshold``; a node
holding more than ``branching_factor`` sub-clusters splits around its two farthest sub-clusters. Insertion
order and split rule follow scikit-learn, so the same data gives the same sub-clusters.
"""
from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, ClusterMixin, TransformerMixin
from ..exceptions import ConvergenceWarning
from ..utils.validation import check_is_fitted, validate_data
from ._agglomerative import AgglomerativeClustering
from ._common import InvalidParameterError, check_number, nearest_center, squared_distances

__all__ = ["Birch"]


class _CFSubcluster:
    """Clustering feature of a group of samples; ``child_`` is the node below it (None in leaves)."""

    def __init__(self, *, linear_sum: np.ndarray | None = None):
        if linear_sum is None:
            self.n_samples_, self.squared_sum_ = 0, 0.0
            self.centroid_ = self.linear_sum_ = 0
        else:
            self.n_samples_ = 1
            self.centroid_ = self.linear_sum_ = linear_sum
            self.squared_sum_ = self.sq_norm_ = np.dot(linear_sum, linear_sum)
        self.child_ = None

    def update(self, other: _CFSubcluster) -> None:
        """Absorbs ``other`` unconditionally."""
        self.n_samples_ += other.n_samples_
        self.linear_sum_ = self.linear_sum_ + other.linear_sum_
        self.squared_sum_ += other.squared_sum_
        self.centroid_ = self.linear_sum_ / self.n_samples_
        self.sq_norm_ = np.dot(self.centroid_, self.centroid_)

    def merge_subcluster(self, other: _CFSubcluster, threshold: float) -> bool:
        """Absorbs ``other`` if the merged radius is at most ``threshold``; says whether it did."""
        new_ss = self.squared_sum_ + other.squared_sum_
        new_ls = self.linear_sum_ + other.linear_sum_
        new_n = self.n_samples_ + other.n_samples_
        new_centroid = (1 / new_n) * new_ls
        new_sq_norm = np.dot(new_centroid, new_centroid)
        if new_ss / new_n - new_sq_norm <= threshold ** 2:
            self.n_samples_, self.linear_sum_, self.squared_sum_ = new_n, new_ls, new_ss
            self.centroid_, self.sq_norm_ = new_centroid, new_sq_norm
            return True
        return False

    @property
    def radius(self) -> float:
        return float(np.sqrt(max(0.0, self.squared_sum_ / self.n_samples_ - self.sq_norm_)))


class _CFNode:
    """A node of the CF-tree: up to ``branching_factor`` sub-clusters; leaves are chained in a list."""

    def __init__(self, *, threshold: float, branching_factor: int, is_leaf: bool, n_features: int, dtype: Any):
        self.threshold, self.branching_factor = threshold, branching_factor
        self.is_leaf, self.n_features = is_leaf, n_features
        self.subclusters_: list[_CFSubcluster] = []
        # centroids and squared norms of the sub-clusters, preallocated for one overflowing entry
        self.init_centroids_ = np.zeros((branching_factor + 1, n_features), dtype=dtype)
        self.init_sq_norm_ = np.zeros(branching_factor + 1, dtype=dtype)
        self.centroids_ = self.init_centroids_[:0]
        self.squared_norm_ = self.init_sq_norm_[:0]
        self.prev_leaf_: _CFNode | None = None
        self.next_leaf_: _CFNode | None = None

    def _set(self, index: int, subcluster: _CFSubcluster) -> None:
        self.init_centroids_[index] = subcluster.centroid_
        self.init_sq_norm_[index] = subcluster.sq_norm_

    def append_subcluster(self, subcluster: _CFSubcluster) -> None:
        n = len(self.subclusters_)
        self.subclusters_.append(subcluster)
        self._set(n, subcluster)
        self.centroids_ = self.init_centroids_[:n + 1]
        self.squared_norm_ = self.init_sq_norm_[:n + 1]

    def update_split_subclusters(self, old: _CFSubcluster, new1: _CFSubcluster, new2: _CFSubcluster) -> None:
        """Replaces ``old`` by ``new1`` in place and appends ``new2``."""
        index = self.subclusters_.index(old)
        self.subclusters_[index] = new1
        self._set(index, new1)
        self.append_subcluster(new2)

    def insert_cf_subcluster(self, subcluster: _CFSubcluster) -> bool:
        """Inserts ``subcluster`` below this node; True when this node now overflows and must be split."""
        if not self.subclusters_:
            self.append_subcluster(subcluster)
            return False
        # ‖c‖² − 2 c·x orders the sub-clusters by distance to x
        distances = np.dot(self.centroids_, subcluster.centroid_)
        distances *= -2.0
        distances += self.squared_norm_
        closest_index = int(distances.argmin())
        closest = self.subclusters_[closest_index]
        if closest.child_ is not None:
            if not closest.child_.insert_cf_subcluster(subcluster):
                closest.update(subcluster)
                self._set(closest_index, closest)
                return False
            new1, new2 = _split_node(closest.child_, self.threshold, self.branching_factor)
            self.update_split_subclusters(closest, new1, new2)
            return len(self.subclusters_) > self.branching_factor
        if closest.merge_subcluster(subcluster, self.threshold):
            self._set(closest_index, closest)
            return False
        self.append_subcluster(subcluster)
        return len(self.subclusters_) > self.branching_factor


def _split_node(node: _CFNode, threshold: float, branching_factor: int) -> tuple[_CFSubcluster, _CFSubcluster]:
    """Splits an overflowing node in two around its farthest pair of sub-clusters.

    Returns the two parent sub-clusters, whose children are the new nodes (leaves stay chained in order).
    """
    parents = (_CFSubcluster(), _CFSubcluster())
    nodes = tuple(_CFNode(threshold=threshold, branching_factor=branching_factor, is_leaf=node.is_leaf,
                          n_features=node.n_features, dtype=node.init_centroids_.dtype) for _ in range(2))
    parents[0].child_, parents[1].child_ = nodes
    if node.is_leaf:
        if node.prev_leaf_ is not None:
            node.prev_leaf_.next_leaf_ = nodes[0]
        nodes[0].prev_leaf_, nodes[0].next_leaf_ = node.prev_leaf_, nodes[1]
        nodes[1].prev_leaf_, nodes[1].next_leaf_ = nodes[0], node.next_leaf_
        if node.next_leaf_ is not None:
            node.next_leaf_.prev_leaf_ = nodes[1]
    centroids = node.centroids_
    norms = np.einsum("ij,ij->i", centroids, centroids)
    dist = squared_distances(centroids, centroids, norms, norms)
    np.fill_diagonal(dist, 0)
    first, second = np.unravel_index(dist.argmax(), dist.shape)
    to_first = dist[first] < dist[second]
    to_first[first] = True
    for goes_first, subcluster in zip(to_first, node.subclusters_):
        target = 0 if goes_first else 1
        nodes[target].append_subcluster(subcluster)
        parents[target].update(subcluster)
    return parents


class Birch(ClassNamePrefixFeaturesOutMixin, ClusterMixin, TransformerMixin, BaseEstimator):
    """BIRCH clustering (scikit-learn's ``Birch``).

    Args:
        threshold: largest radius of a leaf sub-cluster after a sample joins it.
        branching_factor: most sub-clusters per node before the node splits.
        n_clusters: global step on the sub-cluster centroids: an int (``AgglomerativeClustering`` with that
            many clusters), a clusterer instance, or None (each sub-cluster is a cluster).
        compute_labels: compute ``labels_`` at each fit.

    Fitted attributes: ``root_``, ``dummy_leaf_`` (head of the chain of leaves), ``subcluster_centers_``,
    ``subcluster_labels_``, ``labels_``, ``n_features_in_``.
    """

    def __init__(self, *, threshold: float = 0.5, branching_factor: int = 50, n_clusters: Any = 3,
                 compute_labels: bool = True):
        self.threshold = threshold
        self.branching_factor = branching_factor
        self.n_clusters = n_clusters
        self.compute_labels = compute_labels

    def _check_params(self) -> None:
        check_number(self, "threshold", self.threshold, "real", 0.0, closed="neither")
        check_number(self, "branching_factor", self.branching_factor, "int", 1, closed="neither")
        clusterer = self.n_clusters
        is_int = isinstance(clusterer, numbers.Integral) and not isinstance(clusterer, bool)
        is_clusterer = getattr(clusterer, "_estimator_type", None) == "clusterer" or (
            hasattr(clusterer, "fit_predict") and not isinstance(clusterer, type))
        if not (clusterer is None or is_clusterer or (is_int and clusterer >= 1)):
            raise InvalidParameterError(
                f"The 'n_clusters' parameter of Birch must be None, an instance of 'ClusterMixin' or an int in the "
                f"range [1, inf). Got {clusterer!r} instead.")
        if not isinstance(self.compute_labels, (bool, np.bool_)):
            raise InvalidParameterError(f"The 'compute_labels' parameter of Birch must be an instance of 'bool' "
                                        f"or an instance of 'numpy.bool'. Got {self.compute_labels!r} instead.")

    def fit(self, X: Any, y: Any = None) -> Birch:
        """Builds a new CF-tree from ``X`` and runs the global clustering."""
        return self._fit(X, partial=False)

    def partial_fit(self, X: Any = None, y: Any = None) -> Birch:
        """Inserts ``X`` into the existing tree (a new one on the first call); with no ``X``, only re-runs the
        global clustering step."""
        if X is None:
            self._check_params()
            check_is_fitted(self)
            self._global_clustering()
            return self
        return self._fit(X, partial=True)

    def _fit(self, X: Any, partial: bool) -> Birch:
        self._check_params()
        first_call = not (partial and getattr(self, "root_", None) is not None)
        X = validate_data(self, X, accept_sparse="csr", reset=first_call, dtype=[np.float64, np.float32])
        if sp.issparse(X):
            X = X.toarray()
        n_features = X.shape[1]
        threshold, branching_factor = self.threshold, self.branching_factor

        def new_node(is_leaf: bool) -> _CFNode:
            return _CFNode(threshold=threshold, branching_factor=branching_factor, is_leaf=is_leaf,
                           n_features=n_features, dtype=X.dtype)

        if first_call:
            self.root_ = new_node(True)
            self.dummy_leaf_ = new_node(True)
            self.dummy_leaf_.next_leaf_ = self.root_
            self.root_.prev_leaf_ = self.dummy_leaf_
        for sample in X:
            if self.root_.insert_cf_subcluster(_CFSubcluster(linear_sum=sample.copy())):
                new1, new2 = _split_node(self.root_, threshold, branching_factor)
                self.root_ = new_node(False)
                self.root_.append_subcluster(new1)
                self.root_.append_subcluster(new2)
        self.subcluster_centers_ = np.concatenate([leaf.centroids_ for leaf in self._get_leaves()])
        self._n_features_out = self.subcluster_centers_.shape[0]
        self._global_clustering(X)
        return self

    def _get_leaves(self) -> list[_CFNode]:
        leaves, leaf = [], self.dummy_leaf_.next_leaf_
        while leaf is not None:
            leaves.append(leaf)
            leaf = leaf.next_leaf_
        return leaves

    def _global_clustering(self, X: np.ndarray | None = None) -> None:
        clusterer, centroids = self.n_clusters, self.subcluster_centers_
        not_enough = False
        if isinstance(clusterer, numbers.Integral):
            clusterer = AgglomerativeClustering(n_clusters=self.n_clusters)
            not_enough = len(centroids) < self.n_clusters
        self._subcluster_norms = np.einsum("ij,ij->i", centroids, centroids)
        if clusterer is None or not_enough:
            self.subcluster_labels_ = np.arange(len(centroids))
            if not_enough:
                warnings.warn(f"Number of subclusters found ({len(centroids)}) by BIRCH is less than "
                              f"({self.n_clusters}). Decrease the threshold.", ConvergenceWarning, stacklevel=3)
        else:
            self.subcluster_labels_ = clusterer.fit_predict(centroids)
        if X is not None and self.compute_labels:
            self.labels_ = self._predict(X)

    def _validate_X(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        return X.toarray() if sp.issparse(X) else X

    def _predict(self, X: np.ndarray) -> np.ndarray:
        centers = self.subcluster_centers_
        nearest, _ = nearest_center(X, centers.astype(X.dtype, copy=False))
        return self.subcluster_labels_[nearest]

    def predict(self, X: Any) -> np.ndarray:
        """Label of the nearest sub-cluster centroid of each sample."""
        return self._predict(self._validate_X(X))

    def transform(self, X: Any) -> np.ndarray:
        """Euclidean distances of each sample to every sub-cluster centroid."""
        X = self._validate_X(X)
        return np.sqrt(squared_distances(X, self.subcluster_centers_.astype(X.dtype, copy=False)))

    def _update_sklearn_tags(self, tags) -> None:
        tags.input_tags.sparse = True
        if tags.transformer_tags is not None:
            tags.transformer_tags.preserves_dtype = ["float64", "float32"]
