"""Spectral embedding (Laplacian eigenmaps, Belkin & Niyogi 2003) of an affinity graph."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator
from ..decomposition._params import check_number, check_option
from ..metrics.pairwise import rbf_kernel
from ..neighbors import NearestNeighbors, kneighbors_graph
from ..utils.validation import check_array, check_random_state, validate_data

__all__ = ["SpectralEmbedding", "spectral_embedding"]


def _graph_is_connected(graph: Any) -> bool:
    from scipy.sparse.csgraph import connected_components

    return connected_components(sp.csr_matrix(graph))[0] == 1


def _unit_diagonal(laplacian: Any) -> Any:
    """The normalised Laplacian with its diagonal entries set to exactly one."""
    if not sp.issparse(laplacian):
        laplacian = laplacian.copy()
        np.fill_diagonal(laplacian, 1)
        return laplacian
    laplacian = laplacian.tocoo()
    laplacian.data[laplacian.row == laplacian.col] = 1
    return laplacian.tocsr()


def spectral_embedding(adjacency: Any, *, n_components: int = 8, eigen_solver: str | None = None,
                       random_state: Any = None, eigen_tol: Any = "auto", norm_laplacian: bool = True,
                       drop_first: bool = True) -> np.ndarray:
    """Rows of the smallest non-trivial eigenvectors of the graph Laplacian of ``adjacency``.

    Raises:
        NotImplementedError: ``eigen_solver`` "lobpcg" or "amg".
    """
    from scipy.sparse.csgraph import laplacian as csgraph_laplacian
    from scipy.sparse.linalg import eigsh

    if eigen_solver in ("lobpcg", "amg"):
        raise NotImplementedError(f"spectral_embedding eigen_solver={eigen_solver!r} is not supported yet")
    if sp.issparse(adjacency):
        if abs(adjacency - adjacency.T).max() > 1e-10:
            adjacency = 0.5 * (adjacency + adjacency.T)
            warnings.warn("Array is not symmetric, and will be converted to symmetric by average with its "
                          "transpose.", stacklevel=2)
    elif not np.allclose(adjacency, adjacency.T, atol=1e-10):
        adjacency = 0.5 * (adjacency + adjacency.T)
        warnings.warn("Array is not symmetric, and will be converted to symmetric by average with its transpose.",
                      stacklevel=2)
    k = n_components + 1 if drop_first else n_components
    if not _graph_is_connected(adjacency):
        warnings.warn("Graph is not fully connected, spectral embedding may not work as expected.", stacklevel=2)
    laplacian, degrees = csgraph_laplacian(adjacency, normed=norm_laplacian, return_diag=True)
    if norm_laplacian:
        laplacian = _unit_diagonal(laplacian)
    v0 = check_random_state(random_state).uniform(-1, 1, laplacian.shape[0])
    laplacian = check_array(laplacian, accept_sparse="csr")
    tol = 0 if isinstance(eigen_tol, str) else eigen_tol
    _, vectors = eigsh(laplacian, k=k, sigma=-1e-5, which="LM", tol=tol, v0=v0)
    embedding = vectors.T[:k]
    if norm_laplacian:
        embedding = embedding / degrees
    # deterministic signs: the largest-magnitude entry of each vector is positive
    embedding *= np.sign(embedding[np.arange(k), np.argmax(np.abs(embedding), axis=1)])[:, None]
    return embedding[1:k].T if drop_first else embedding[:k].T


class SpectralEmbedding(BaseEstimator):
    """Laplacian eigenmaps.

    Args:
        n_components: output dimension.
        affinity: "nearest_neighbors", "rbf", "precomputed", "precomputed_nearest_neighbors" or a callable.
        gamma: rbf coefficient (None: ``1 / n_features``).
        n_neighbors: graph neighbors (None: ``max(n_samples / 10, 1)``).
        eigen_solver: None or "arpack" ("lobpcg" and "amg" are not supported yet).
        eigen_tol: ARPACK tolerance ("auto": 0).
        random_state: seed of the ARPACK start vector.
    """

    def __init__(self, n_components: int = 2, *, affinity: Any = "nearest_neighbors", gamma: float | None = None,
                 random_state: Any = None, eigen_solver: str | None = None, eigen_tol: Any = "auto",
                 n_neighbors: int | None = None, n_jobs: int | None = None) -> None:
        self.n_components = n_components
        self.affinity = affinity
        self.gamma = gamma
        self.random_state = random_state
        self.eigen_solver = eigen_solver
        self.eigen_tol = eigen_tol
        self.n_neighbors = n_neighbors
        self.n_jobs = n_jobs

    def _affinity_matrix(self, X: Any) -> Any:
        if self.affinity == "precomputed":
            return X
        if self.affinity == "precomputed_nearest_neighbors":
            nn = NearestNeighbors(n_neighbors=self.n_neighbors, metric="precomputed").fit(X)
            connectivity = nn.kneighbors_graph(X=X, mode="connectivity")
            return 0.5 * (connectivity + connectivity.T)
        affinity = self.affinity
        if affinity == "nearest_neighbors" and sp.issparse(X):
            warnings.warn("Nearest neighbors affinity currently does not support sparse input, falling back to rbf "
                          "affinity", stacklevel=2)
            affinity = "rbf"
        if affinity == "nearest_neighbors":
            self.n_neighbors_ = self.n_neighbors if self.n_neighbors is not None else max(int(X.shape[0] / 10), 1)
            graph = kneighbors_graph(X, self.n_neighbors_, include_self=True)
            return 0.5 * (graph + graph.T)
        if affinity == "rbf":
            self.gamma_ = self.gamma if self.gamma is not None else 1.0 / X.shape[1]
            return rbf_kernel(X, gamma=self.gamma_)
        return self.affinity(X)

    def fit(self, X: Any, y: Any = None) -> SpectralEmbedding:
        """Computes the embedding of ``X`` (or of an affinity matrix with a precomputed affinity)."""
        check_number(self, "n_components", self.n_components, integer=True, low=1)
        if not callable(self.affinity):
            check_option(self, "affinity", self.affinity,
                         ("nearest_neighbors", "rbf", "precomputed", "precomputed_nearest_neighbors"))
        check_option(self, "eigen_solver", self.eigen_solver, ("arpack", "lobpcg", "amg", None))
        check_number(self, "n_neighbors", self.n_neighbors, integer=True, low=1, allow=(None,))
        check_number(self, "gamma", self.gamma, low=0, allow=(None,))
        X = validate_data(self, X, accept_sparse="csr", ensure_min_samples=2)
        self.affinity_matrix_ = self._affinity_matrix(X)
        self.embedding_ = spectral_embedding(self.affinity_matrix_, n_components=self.n_components,
                                             eigen_solver=self.eigen_solver, eigen_tol=self.eigen_tol,
                                             random_state=check_random_state(self.random_state))
        return self

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """Computes and returns the embedding of ``X``."""
        return self.fit(X).embedding_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.pairwise = self.affinity in ("precomputed", "precomputed_nearest_neighbors")
        return tags
