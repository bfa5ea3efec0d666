"""Locally linear embedding (Roweis & Saul 2000): keep each point's reconstruction from its neighbors."""
from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from ..decomposition._params import check_number, check_option
from ..neighbors import NearestNeighbors
from ..utils.validation import check_is_fitted, check_random_state, validate_data

__all__ = ["LocallyLinearEmbedding", "locally_linear_embedding", "barycenter_weights"]


def barycenter_weights(X: np.ndarray, Y: np.ndarray, indices: np.ndarray, reg: float = 1e-3) -> np.ndarray:
    """Weights (rows summing to one) that best rebuild each ``X[i]`` from its neighbors ``Y[indices[i]]``.

    Each local Gram matrix is regularised by ``reg`` times its trace; all systems are solved in one batch.
    """
    offsets = Y[indices] - X[:, None, :]
    gram = offsets @ offsets.transpose(0, 2, 1)
    trace = np.trace(gram, axis1=1, axis2=2)
    ridge = np.where(trace > 0, reg * trace, reg)
    k = indices.shape[1]
    gram[:, np.arange(k), np.arange(k)] += ridge[:, None]
    weights = np.linalg.solve(gram, np.ones((len(X), k, 1)))[:, :, 0]
    return weights / weights.sum(axis=1, keepdims=True)


def null_space(M: Any, k: int, k_skip: int = 1, eigen_solver: str = "arpack", tol: float = 1e-6,
               max_iter: int = 100, random_state: Any = None) -> tuple[np.ndarray, float]:
    """The eigenvectors ``k_skip .. k_skip + k`` of ``M`` from the bottom, and the sum of their eigenvalues."""
    from scipy.linalg import eigh
    from scipy.sparse.linalg import eigsh

    if eigen_solver == "auto":
        eigen_solver = "arpack" if M.shape[0] > 200 and k + k_skip < 10 else "dense"
    if eigen_solver == "arpack":
        v0 = check_random_state(random_state).uniform(-1, 1, M.shape[0])
        try:
            values, vectors = eigsh(M, k + k_skip, sigma=0.0, tol=tol, maxiter=max_iter, v0=v0)
        except RuntimeError as err:
            raise ValueError(
                f"Error in determining null-space with ARPACK. Error message: '{err}'. Note that "
                "eigen_solver='arpack' can fail when the weight matrix is singular or otherwise ill-behaved. In that "
                "case, eigen_solver='dense' is recommended. See online documentation for more information."
            ) from err
        return vectors[:, k_skip:], float(np.sum(values[k_skip:]))
    M = M.toarray() if sp.issparse(M) else M
    values, vectors = eigh(M, subset_by_index=(k_skip, k + k_skip - 1), overwrite_a=True)
    order = np.argsort(np.abs(values))
    return vectors[:, order], float(np.sum(values))


def _neighbor_indices(nbrs: NearestNeighbors, n_neighbors: int) -> np.ndarray:
    """Each fitted point's ``n_neighbors`` nearest other points (the query itself comes first and is dropped)."""
    return nbrs.kneighbors(nbrs._fit_X, n_neighbors=n_neighbors + 1, return_distance=False)[:, 1:]


def _standard_matrix(X: np.ndarray, ind: np.ndarray, reg: float, dense: bool) -> Any:
    n, k = ind.shape
    weights = barycenter_weights(X, X, ind, reg=reg)
    W = sp.csr_matrix((weights.ravel(), ind.ravel(), np.arange(0, n * k + 1, k)), shape=(n, n))
    if dense:
        M = (W.T @ W - W.T - W).toarray()
        M[np.diag_indices(n)] += 1
        return M
    I_minus_W = sp.eye(n, format="csr") - W
    return I_minus_W.T @ I_minus_W


def _ltsa_matrix(X: np.ndarray, ind: np.ndarray, n_components: int) -> Any:
    """Local tangent space alignment: ``Σ_i S_i (I - G_i G_iᵀ) S_iᵀ`` with ``G_i`` local tangent bases (sparse)."""
    n, k = ind.shape
    local = X[ind] - X[ind].mean(axis=1, keepdims=True)
    if k > X.shape[1]:
        basis = np.linalg.svd(local, full_matrices=True)[0]
    else:
        basis = np.linalg.eigh(local @ local.transpose(0, 2, 1))[1][:, :, ::-1]
    G = np.concatenate([np.full((n, k, 1), 1.0 / np.sqrt(k)), basis[:, :, :n_components]], axis=2)
    block = np.eye(k)[None] - G @ G.transpose(0, 2, 1)
    rows = np.repeat(ind, k, axis=1).ravel()
    cols = np.tile(ind, (1, k)).ravel()
    return sp.csr_matrix((block.ravel(), (rows, cols)), shape=(n, n))  # duplicates are summed


def locally_linear_embedding(X: Any, *, n_neighbors: int, n_components: int, reg: float = 1e-3,
                             eigen_solver: str = "auto", tol: float = 1e-6, max_iter: int = 100,
                             method: str = "standard", hessian_tol: float = 1e-4, modified_tol: float = 1e-12,
                             random_state: Any = None, n_jobs: int | None = None) -> tuple[np.ndarray, float]:
    """Embedding and reconstruction error of LLE ("standard" or "ltsa").

    ``hessian_tol`` and ``modified_tol`` belong to the methods not supported yet and are accepted for
    scikit-learn compatibility only.

    Raises:
        ValueError: ``n_components`` above the input dimension, or ``n_neighbors >= n_samples``.
        NotImplementedError: the "modified" and "hessian" methods.
    """
    if method in ("modified", "hessian"):
        raise NotImplementedError(f"LocallyLinearEmbedding method={method!r} is not supported yet")
    nbrs = X if isinstance(X, NearestNeighbors) else NearestNeighbors(n_neighbors=n_neighbors + 1,
                                                                          n_jobs=n_jobs).fit(X)
    data = nbrs._fit_X
    n_samples, n_features = data.shape
    if n_components > n_features:
        raise ValueError("output dimension must be less than or equal to input dimension")
    if n_neighbors >= n_samples:
        raise ValueError(
            f"Expected n_neighbors <= n_samples,  but n_samples = {n_samples}, n_neighbors = {n_neighbors}"
        )
    ind = _neighbor_indices(nbrs, n_neighbors)
    if method == "standard":
        M = _standard_matrix(data, ind, reg, dense=eigen_solver == "dense")
    else:
        M = _ltsa_matrix(data, ind, n_components)
    return null_space(M, n_components, k_skip=1, eigen_solver=eigen_solver, tol=tol, max_iter=max_iter,
                      random_state=random_state)


class LocallyLinearEmbedding(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Locally linear embedding.

    Args:
        n_neighbors: neighbors used to rebuild each point.
        n_components: output dimension.
        reg: regularisation of the local Gram matrices (times their trace).
        eigen_solver: "auto", "arpack" or "dense".
        tol, max_iter: ARPACK settings.
        method: "standard" or "ltsa" ("modified" and "hessian" are not supported yet).
        random_state: seed of the ARPACK start vector.
    """

    def __init__(self, *, n_neighbors: int = 5, n_components: int = 2, reg: float = 1e-3,
                 eigen_solver: str = "auto", tol: float = 1e-6, max_iter: int = 100, method: str = "standard",
                 hessian_tol: float = 1e-4, modified_tol: float = 1e-12, neighbors_algorithm: str = "auto",
                 random_state: Any = None, n_jobs: int | None = None) -> None:
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.reg = reg
        self.eigen_solver = eigen_solver
        self.tol = tol
        self.max_iter = max_iter
        self.method = method
        self.hessian_tol = hessian_tol
        self.modified_tol = modified_tol
        self.neighbors_algorithm = neighbors_algorithm
        self.random_state = random_state
        self.n_jobs = n_jobs

    @property
    def _n_features_out(self) -> int:
        return self.embedding_.shape[1]

    def _fit_transform(self, X: Any) -> None:
        check_number(self, "n_neighbors", self.n_neighbors, integer=True, low=1)
        check_number(self, "n_components", self.n_components, integer=True, low=1)
        check_number(self, "reg", self.reg, low=0)
        check_option(self, "eigen_solver", self.eigen_solver, ("auto", "arpack", "dense"))
        check_option(self, "method", self.method, ("standard", "hessian", "modified", "ltsa"))
        check_option(self, "neighbors_algorithm", self.neighbors_algorithm, ("auto", "brute", "kd_tree", "ball_tree"))
        X = validate_data(self, X, dtype=float)
        self.nbrs_ = NearestNeighbors(n_neighbors=self.n_neighbors, algorithm=self.neighbors_algorithm,
                                      n_jobs=self.n_jobs).fit(X)
        self.embedding_, self.reconstruction_error_ = locally_linear_embedding(
            self.nbrs_, n_neighbors=self.n_neighbors, n_components=self.n_components, reg=self.reg,
            eigen_solver=self.eigen_solver, tol=self.tol, max_iter=self.max_iter, method=self.method,
            random_state=check_random_state(self.random_state), n_jobs=self.n_jobs)

    def fit(self, X: Any, y: Any = None) -> LocallyLinearEmbedding:
        """Computes the embedding of ``X``."""
        self._fit_transform(X)
        return self

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """Computes and returns the embedding of ``X``."""
        self._fit_transform(X)
        return self.embedding_

    def transform(self, X: Any) -> np.ndarray:
        """Embeds new points as the same barycentric combination of their training neighbors' embeddings."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        ind = self.nbrs_.kneighbors(X, n_neighbors=self.n_neighbors, return_distance=False)
        weights = barycenter_weights(X, self.nbrs_._fit_X, ind, reg=self.reg)
        return np.einsum("ik,ikc->ic", weights, self.embedding_[ind])
