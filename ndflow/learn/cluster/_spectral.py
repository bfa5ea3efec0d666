"""Spectral clustering: k-means (or a QR rotation) on the leading eigenvectors of the normalised Laplacian."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, ClusterMixin
from ..utils.validation import check_random_state, validate_data
from ._common import check_number, check_option

__all__ = ["SpectralClustering", "spectral_clustering"]


def _spectral_embedding(affinity: Any, n_components: int, rng: np.random.RandomState,
                        eigen_tol: Any) -> np.ndarray:
    """``(n_samples, n_components)`` embedding from ARPACK shift-invert on the normalised Laplacian.

    The random start vector is drawn exactly as scikit-learn draws it, so the generator state seen by
    the k-means step afterwards is the same.
    """
    from scipy.sparse.csgraph import connected_components, laplacian
    from scipy.sparse.linalg import eigsh

    if connected_components(sp.csr_matrix(affinity), directed=False)[0] > 1:
        warnings.warn("Graph is not fully connected, spectral embedding may not work as expected.", stacklevel=3)
    lap, dd = laplacian(affinity, normed=True, return_diag=True)
    lap = sp.csr_matrix(lap, dtype=np.float64) if sp.issparse(lap) else np.array(lap, dtype=np.float64)
    if sp.issparse(lap):
        lap = lap.tolil()
        lap.setdiag(1)
        lap = lap.tocsr()
    else:
        np.fill_diagonal(lap, 1)
    lap *= -1
    v0 = rng.uniform(-1, 1, lap.shape[0])
    tol = 0 if eigen_tol == "auto" else eigen_tol
    _, vectors = eigsh(lap, k=n_components, sigma=1.0, which="LM", tol=tol, v0=v0)
    embedding = vectors.T[n_components::-1] / dd
    # fix each eigenvector's sign so that its largest entry is positive
    pivot = np.argmax(np.abs(embedding), axis=1)
    embedding *= np.sign(embedding[np.arange(embedding.shape[0]), pivot])[:, None]
    return embedding[:n_components].T


def _cluster_qr(vectors: np.ndarray) -> np.ndarray:
    """Labels from a column-pivoted QR rotation of the embedding (deterministic, no k-means)."""
    from scipy.linalg import qr, svd

    k = vectors.shape[1]
    _, _, piv = qr(vectors.T, pivoting=True)
    ut, _, v = svd(vectors[piv[:k], :].T)
    return np.abs(vectors @ (ut @ v.conj())).argmax(axis=1)


def spectral_clustering(affinity: Any, *, n_clusters: int = 8, n_components: int | None = None,
                        eigen_solver: str | None = None, random_state: Any = None, n_init: int = 10,
                        eigen_tol: Any = "auto", assign_labels: str = "kmeans", verbose: bool = False) -> np.ndarray:
    """Cluster labels of the nodes of a symmetric ``affinity`` graph (dense or sparse)."""
    from ._kmeans import KMeans

    if eigen_solver not in (None, "arpack"):
        raise NotImplementedError(f"eigen_solver={eigen_solver!r} is not supported yet")
    if assign_labels == "discretize":
        raise NotImplementedError("assign_labels='discretize' is not supported yet")
    rng = check_random_state(random_state)
    maps = _spectral_embedding(affinity, n_clusters if n_components is None else n_components, rng, eigen_tol)
    if assign_labels == "cluster_qr":
        return _cluster_qr(maps)
    return KMeans(n_clusters=n_clusters, n_init=n_init, random_state=rng).fit(maps).labels_


class SpectralClustering(ClusterMixin, BaseEstimator):
    """Clusters the spectral embedding of an affinity matrix (``"rbf"``, ``"nearest_neighbors"``, a kernel
    name or ``"precomputed"``). Fitted attributes: ``affinity_matrix_``, ``labels_``."""

    def __init__(self, n_clusters: int = 8, *, eigen_solver: str | None = None, n_components: int | None = None,
                 random_state: Any = None, n_init: int = 10, gamma: float = 1.0, affinity: Any = "rbf",
                 n_neighbors: int = 10, eigen_tol: Any = "auto", assign_labels: str = "kmeans", degree: float = 3,
                 coef0: float = 1, kernel_params: dict | None = None, n_jobs: int | None = None,
                 verbose: bool = False):
        self.n_clusters = n_clusters
        self.eigen_solver = eigen_solver
        self.n_components = n_components
        self.random_state = random_state
        self.n_init = n_init
        self.gamma = gamma
        self.affinity = affinity
        self.n_neighbors = n_neighbors
        self.eigen_tol = eigen_tol
        self.assign_labels = assign_labels
        self.degree = degree
        self.coef0 = coef0
        self.kernel_params = kernel_params
        self.n_jobs = n_jobs
        self.verbose = verbose

    def fit(self, X: Any, y: Any = None) -> SpectralClustering:
        """Builds the affinity matrix and clusters its spectral embedding."""
        from ..metrics.pairwise import pairwise_kernels

        check_number(self, "n_clusters", self.n_clusters, "int", 1)
        check_number(self, "n_init", self.n_init, "int", 1)
        check_number(self, "n_neighbors", self.n_neighbors, "int", 1)
        check_option(self, "assign_labels", self.assign_labels, ("kmeans", "discretize", "cluster_qr"))
        X = validate_data(self, X, accept_sparse=["csr", "csc", "coo"], dtype=np.float64, ensure_min_samples=2)
        if self.affinity == "nearest_neighbors":
            from ..neighbors import kneighbors_graph

            connectivity = kneighbors_graph(X, n_neighbors=self.n_neighbors, include_self=True)
            self.affinity_matrix_ = 0.5 * (connectivity + connectivity.T)
        elif self.affinity == "precomputed":
            self.affinity_matrix_ = X
        elif self.affinity == "precomputed_nearest_neighbors":
            raise NotImplementedError("affinity='precomputed_nearest_neighbors' is not supported yet")
        else:
            params = dict(self.kernel_params or {})
            if not callable(self.affinity):
                params.update(gamma=self.gamma, degree=self.degree, coef0=self.coef0)
            self.affinity_matrix_ = pairwise_kernels(X, metric=self.affinity, filter_params=True, **params)
        self.labels_ = spectral_clustering(self.affinity_matrix_, n_clusters=self.n_clusters,
                                           n_components=self.n_components, eigen_solver=self.eigen_solver,
                                           random_state=self.random_state, n_init=self.n_init,
                                           eigen_tol=self.eigen_tol, assign_labels=self.assign_labels)
        return self

    def fit_predict(self, X: Any, y: Any = None) -> np.ndarray:
        """Fits and returns ``labels_``."""
        return self.fit(X).labels_

    def _update_sklearn_tags(self, tags) -> None:
        tags.input_tags.sparse = True
        tags.input_tags.pairwise = self.affinity in ("precomputed", "precomputed_nearest_neighbors")
