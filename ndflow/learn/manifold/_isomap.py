"""Isomap (Tenenbaum et al. 2000): kernel PCA of the geodesic distances along the neighbor graph."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from ..decomposition import KernelPCA
from ..decomposition._params import check_number, check_option
from ..metrics.pairwise import pairwise_distances
from ..neighbors import NearestNeighbors
from ..utils.validation import check_is_fitted, validate_data

__all__ = ["Isomap"]


def connect_components(X: np.ndarray, graph: Any, labels: np.ndarray, metric: Any, **params: Any) -> Any:
    """Adds, for every pair of connected components, an edge between their two closest points."""
    graph = graph.tolil()
    n_components = labels.max() + 1
    members = [np.flatnonzero(labels == c) for c in range(n_components)]
    for i in range(n_components):
        for j in range(i):
            D = pairwise_distances(X[members[i]], X[members[j]], metric=metric, **params)
            a, b = np.unravel_index(D.argmin(), D.shape)
            graph[members[i][a], members[j][b]] = D[a, b]
            graph[members[j][b], members[i][a]] = D[a, b]
    return graph.tocsr()


class Isomap(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Isometric mapping.

    Args:
        n_neighbors: neighbors per point in the graph (or None with ``radius``).
        radius: neighborhood radius (with ``n_neighbors=None``).
        n_components: output dimension.
        eigen_solver, tol, max_iter: of the inner :class:`KernelPCA`.
        path_method: shortest-path algorithm of ``scipy.sparse.csgraph``: "auto", "FW" or "D".
        metric, p, metric_params: neighbor distance.
    """

    def __init__(self, *, n_neighbors: int | None = 5, radius: float | None = None, n_components: int = 2,
                 eigen_solver: str = "auto", tol: float = 0, max_iter: int | None = None, path_method: str = "auto",
                 neighbors_algorithm: str = "auto", n_jobs: int | None = None, metric: Any = "minkowski",
                 p: float = 2, metric_params: dict | None = None) -> None:
        self.n_neighbors = n_neighbors
        self.radius = radius
        self.n_components = n_components
        self.eigen_solver = eigen_solver
        self.tol = tol
        self.max_iter = max_iter
        self.path_method = path_method
        self.neighbors_algorithm = neighbors_algorithm
        self.n_jobs = n_jobs
        self.metric = metric
        self.p = p
        self.metric_params = metric_params

    @property
    def _n_features_out(self) -> int:
        return self.embedding_.shape[1]

    def _fit_transform(self, X: Any) -> None:
        from scipy.sparse.csgraph import connected_components, shortest_path

        check_number(self, "n_neighbors", self.n_neighbors, integer=True, low=1, allow=(None,))
        check_number(self, "radius", self.radius, low=0, allow=(None,))
        check_number(self, "n_components", self.n_components, integer=True, low=1)
        check_option(self, "path_method", self.path_method, ("auto", "FW", "D"))
        if self.n_neighbors is not None and self.radius is not None:
            raise ValueError(
                "Both n_neighbors and radius are provided. Use Isomap(radius=self.radius, n_neighbors=None) if "
                "intended to use radius-based neighbors"
            )
        X = validate_data(self, X, accept_sparse="csr")
        self.nbrs_ = NearestNeighbors(n_neighbors=self.n_neighbors or 5, radius=self.radius or 1.0,
                                      algorithm=self.neighbors_algorithm, metric=self.metric, p=self.p,
                                      metric_params=self.metric_params, n_jobs=self.n_jobs).fit(X)
        self.kernel_pca_ = KernelPCA(n_components=self.n_components, kernel="precomputed",
                                     eigen_solver=self.eigen_solver, tol=self.tol, max_iter=self.max_iter,
                                     n_jobs=self.n_jobs)
        if self.n_neighbors is not None:
            graph = self.nbrs_.kneighbors_graph(None, self.n_neighbors, mode="distance")
        else:
            graph = self.nbrs_.radius_neighbors_graph(None, self.radius, mode="distance")
        n_parts, labels = connected_components(graph)
        if n_parts > 1:
            if self.metric == "precomputed" and sp.issparse(X):
                raise RuntimeError(
                    f"The number of connected components of the neighbors graph is {n_parts} > 1. The graph cannot "
                    "be completed with metric='precomputed', and Isomap cannot befitted. Increase the number of "
                    "neighbors to avoid this issue, or precompute the full distance matrix instead of passing a "
                    "sparse neighbors graph."
                )
            warnings.warn(
                f"The number of connected components of the neighbors graph is {n_parts} > 1. Completing the graph to "
                "fit Isomap might be slow. Increase the number of neighbors to avoid this issue.",
                stacklevel=3,
            )
            fit_X = self.nbrs_._fit_X
            fit_X = fit_X.toarray() if sp.issparse(fit_X) else fit_X
            graph = connect_components(fit_X, graph, labels, self.nbrs_.effective_metric_,
                                       **self.nbrs_.effective_metric_params_)
        self.dist_matrix_ = shortest_path(graph, method=self.path_method, directed=False)
        if self.nbrs_._fit_X.dtype == np.float32:
            self.dist_matrix_ = self.dist_matrix_.astype(np.float32, copy=False)
        self.embedding_ = self.kernel_pca_.fit_transform(-0.5 * self.dist_matrix_ ** 2)

    def fit(self, X: Any, y: Any = None) -> Isomap:
        """Builds the neighbor graph of ``X``, its geodesic distances and their embedding."""
        self._fit_transform(X)
        return self

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """Fits on ``X`` and returns its embedding."""
        self._fit_transform(X)
        return self.embedding_

    def reconstruction_error(self) -> float:
        """Frobenius distance between the centred geodesic kernel and its low-rank embedding, per sample."""
        G = -0.5 * self.dist_matrix_ ** 2
        centred = self.kernel_pca_._centerer.fit(G).transform(G)
        return float(np.sqrt(np.sum(centred ** 2) - np.sum(self.kernel_pca_.eigenvalues_ ** 2)) / G.shape[0])

    def transform(self, X: Any) -> np.ndarray:
        """Embeds new points through their geodesic distances via their training neighbors."""
        check_is_fitted(self)
        if self.n_neighbors is not None:
            distances, indices = self.nbrs_.kneighbors(X, return_distance=True)
            counts = np.full(len(indices), indices.shape[1])
            distances, indices = distances.ravel(), indices.ravel()
        else:
            distances, indices = self.nbrs_.radius_neighbors(X, return_distance=True)
            counts = np.array([len(i) for i in indices])
            distances, indices = np.concatenate(distances), np.concatenate(indices).astype(int)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        # geodesic to every training point: best path through one of the query's neighbors
        via = self.dist_matrix_[indices] + distances[:, None]
        G_X = np.minimum.reduceat(via, starts, axis=0).astype(self.dist_matrix_.dtype, copy=False)
        return self.kernel_pca_.transform(-0.5 * G_X ** 2)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        tags.input_tags.sparse = True
        return tags
