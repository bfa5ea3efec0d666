"""t-distributed stochastic neighbor embedding (van der Maaten & Hinton 2008): exact or Barnes-Hut gradient."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from ..decomposition import PCA
from ..decomposition._params import check_number, check_option
from ..metrics.pairwise import pairwise_distances
from ..neighbors import NearestNeighbors
from ..utils.validation import _check_non_negative, _num_samples, check_random_state, validate_data
from ._barnes_hut import NeighborEdges, Scratch, kl_divergence_bh

__all__ = ["TSNE", "trustworthiness"]

MACHINE_EPSILON = np.finfo(np.double).eps
_PERPLEXITY_TOL = 1e-5
_EXPLORATION_MAX_ITER = 250


def conditional_probabilities(sq_distances: np.ndarray, perplexity: float, *, neighbors_only: bool) -> np.ndarray:
    """Row-stochastic ``P(j|i)`` whose entropies equal ``log(perplexity)``, by bisection on each row's precision.

    Args:
        sq_distances: squared distances, (n, n) to all points or (n, k) to each point's k neighbors.
        neighbors_only: the columns are neighbors (all used) rather than all points (the diagonal skipped).
    """
    D = sq_distances.astype(np.float64)
    n = D.shape[0]
    target = np.log(perplexity)
    beta = np.ones(n)
    low = np.full(n, -np.inf)
    high = np.full(n, np.inf)
    active = np.ones(n, dtype=bool)
    self_mask = None if neighbors_only else np.eye(n, dtype=bool)
    P = np.zeros_like(D)
    for _ in range(100):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        Pr = np.exp(-D[rows] * beta[rows, None])
        if self_mask is not None:
            Pr[self_mask[rows]] = 0.0
        total = Pr.sum(axis=1)
        total[total == 0.0] = 1e-8
        Pr /= total[:, None]
        P[rows] = Pr
        entropy = np.log(total) + beta[rows] * np.sum(D[rows] * Pr, axis=1)
        diff = entropy - target
        done = np.abs(diff) <= _PERPLEXITY_TOL
        up = (diff > 0) & ~done
        down = (diff <= 0) & ~done
        b = beta[rows]
        low[rows[up]] = b[up]
        high[rows[down]] = b[down]
        b_up = np.where(np.isinf(high[rows]), b * 2.0, (b + high[rows]) / 2.0)
        b_down = np.where(np.isinf(low[rows]), b / 2.0, (b + low[rows]) / 2.0)
        beta[rows] = np.where(up, b_up, np.where(down, b_down, b))
        active[rows[done]] = False
    return P


def _joint_probabilities(sq_distances: np.ndarray, perplexity: float) -> np.ndarray:
    P = conditional_probabilities(sq_distances, perplexity, neighbors_only=False)
    P = P + P.T
    return np.maximum(P / np.sum(P), MACHINE_EPSILON)


def _joint_probabilities_nn(graph: Any, perplexity: float) -> Any:
    graph.sort_indices()
    n = graph.shape[0]
    cond = conditional_probabilities(graph.data.reshape(n, -1).astype(np.float32), perplexity, neighbors_only=True)
    P = sp.csr_matrix((cond.ravel(), graph.indices, graph.indptr), shape=(n, n))
    P = P + P.T
    return (P / max(P.sum(), MACHINE_EPSILON)).tocsr()


def _student_t(sq_distances: np.ndarray, dof: float, dtype: Any) -> np.ndarray:
    """Unnormalised Student-t similarities ``(1 + d² / dof) ** (-(dof + 1) / 2)``."""
    if dof != 1:
        sq_distances = sq_distances / dof
    kernel = np.add(sq_distances, 1.0, dtype=dtype)
    if dof == 1:
        return np.reciprocal(kernel, out=kernel)
    kernel **= (dof + 1.0) / -2.0
    return kernel


def _kl_divergence(Y: np.ndarray, P: Any, dof: float, compute_error: bool = True) -> tuple[float, np.ndarray]:
    """KL(P || Q) of the Student-t similarities ``Q`` of embedding ``Y``, and its gradient (``Y``'s dtype).

    ``P`` is the joint distribution with a zero diagonal: a dense array (every pair counts in the divergence)
    or a sparse matrix (only its stored pairs count and attract: scikit-learn's Barnes-Hut convention). The
    (n, n) work arrays use float32 for a sparse ``P`` (as scikit-learn's Barnes-Hut code does), ``P``'s dtype
    otherwise; distances are taken in float64 first so close points keep their precision. The error is NaN
    unless ``compute_error``.
    """
    from scipy.spatial.distance import cdist

    sparse_p = sp.issparse(P)
    work = np.float32 if sparse_p else P.dtype
    kernel = _student_t(cdist(Y, Y, "sqeuclidean"), dof, work)
    np.fill_diagonal(kernel, 0.0)
    total = float(kernel.sum())  # numpy's pairwise summation keeps float32 sums accurate
    Y_work = Y.astype(work, copy=False)
    Y_ones = np.hstack([Y_work, np.ones((len(Y), 1), dtype=work)])
    if sparse_p:
        rows = np.repeat(np.arange(P.shape[0]), np.diff(P.indptr))
        cols, p_values = P.indices, P.data.astype(np.float64)
        pair_kernel = _student_t(np.sum((Y[rows].astype(np.float64) - Y[cols]) ** 2, axis=1), dof, np.float64)
        attraction = sp.csr_matrix((p_values * pair_kernel, cols, P.indptr), shape=P.shape) @ Y_ones
        kernel *= kernel
        kernel /= -total
        products = attraction + kernel @ Y_ones
        kl = np.nan
        if compute_error:
            q_values = np.maximum(pair_kernel / total, MACHINE_EPSILON)
            kl = float(np.sum(p_values * np.log(np.maximum(p_values, MACHINE_EPSILON) / q_values)))
    else:
        kl = np.nan
        if compute_error:
            Q = np.maximum(kernel / total, MACHINE_EPSILON)
            off = ~np.eye(len(Y), dtype=bool)
            kl = float(np.sum(P[off] * np.log(np.maximum(P[off], MACHINE_EPSILON) / Q[off]), dtype=np.float64))
        weights = np.multiply(kernel, -1.0 / total, dtype=work)
        weights += P
        weights *= kernel
        # one pass over the weights gives both their row sums and their products with Y
        products = weights @ Y_ones
    grad = products[:, -1:] * Y_work - products[:, :-1]
    grad *= 2.0 * (dof + 1.0) / dof
    return kl, grad.astype(Y.dtype, copy=False)


def _gradient_descent(Y: np.ndarray, objective: Callable[[np.ndarray, bool], tuple[float, np.ndarray]], it: int,
                      max_iter: int, *, momentum: float, learning_rate: float, n_iter_without_progress: int,
                      min_grad_norm: float, n_iter_check: int = 50, min_gain: float = 0.01):
    """Momentum descent with per-coordinate adaptive gains (delta-bar-delta); returns ``(Y, kl, last_iter)``.

    ``objective(Y, compute_error)`` returns the divergence (NaN when not asked for) and its gradient.
    """
    update = np.zeros_like(Y)
    gains = np.ones_like(Y)
    error = best_error = np.finfo(float).max
    best_iter = i = it
    for i in range(it, max_iter):
        check = (i + 1) % n_iter_check == 0
        error, grad = objective(Y, check or i == max_iter - 1)
        same_direction = update * grad < 0.0
        gains = np.where(same_direction, gains + 0.2, gains * 0.8)
        np.clip(gains, min_gain, np.inf, out=gains)
        grad *= gains
        update = momentum * update - learning_rate * grad
        Y += update
        if check:
            if error < best_error:
                best_error, best_iter = error, i
            elif i - best_iter > n_iter_without_progress:
                break
            if np.linalg.norm(grad) <= min_grad_norm:
                break
    return Y, error, i


def trustworthiness(X: Any, X_embedded: Any, *, n_neighbors: int = 5, metric: Any = "euclidean") -> float:
    """How well the embedding keeps neighborhoods: 1 when no point gains a stranger among its neighbors.

    Raises:
        ValueError: ``n_neighbors >= n_samples / 2``.
    """
    n = X.shape[0]
    if n_neighbors >= n / 2:
        raise ValueError(f"n_neighbors ({n_neighbors}) should be less than n_samples / 2 ({n / 2})")
    D = pairwise_distances(X, metric=metric)
    if metric == "precomputed":
        D = D.copy()
    np.fill_diagonal(D, np.inf)
    order = np.argsort(D, axis=1)
    ranks = np.empty_like(order)
    ranks[np.arange(n)[:, None], order] = np.arange(1, n + 1)[None, :]
    embedded = NearestNeighbors(n_neighbors=n_neighbors).fit(X_embedded).kneighbors(return_distance=False)
    penalty = ranks[np.arange(n)[:, None], embedded] - n_neighbors
    t = np.sum(penalty[penalty > 0])
    return float(1.0 - t * (2.0 / (n * n_neighbors * (2.0 * n - 3.0 * n_neighbors - 1.0))))


class TSNE(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """t-SNE embedding for visualisation.

    ``method="barnes_hut"`` (default) builds a sparse ``P`` from ``3 * perplexity`` nearest neighbors and
    approximates the repulsive forces with a quadtree (octree in 3-D), like scikit-learn: O(n log n) per
    iteration. ``method="exact"`` uses all pairs: O(n²) time and memory.

    Args:
        n_components: output dimension.
        perplexity: effective number of neighbors.
        early_exaggeration: factor on ``P`` during the first 250 iterations.
        learning_rate: step size, or "auto" (``max(n / early_exaggeration / 4, 50)``).
        max_iter: total iterations (at least 250).
        n_iter_without_progress, min_grad_norm: stopping rules (checked every 50 iterations).
        metric: input distance or "precomputed".
        init: "pca", "random" or an initial embedding.
        method: "barnes_hut" (sparse neighbor ``P``) or "exact" (dense ``P``).
        angle: Barnes-Hut trade-off: a tree cell summarises its points when its width / distance < angle.
    """

    def __init__(self, n_components: int = 2, *, perplexity: float = 30.0, early_exaggeration: float = 12.0,
                 learning_rate: Any = "auto", max_iter: int = 1000, n_iter_without_progress: int = 300,
                 min_grad_norm: float = 1e-7, metric: Any = "euclidean", metric_params: dict | None = None,
                 init: Any = "pca", verbose: int = 0, random_state: Any = None, method: str = "barnes_hut",
                 angle: float = 0.5, n_jobs: int | None = None) -> None:
        self.n_components = n_components
        self.perplexity = perplexity
        self.early_exaggeration = early_exaggeration
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.n_iter_without_progress = n_iter_without_progress
        self.min_grad_norm = min_grad_norm
        self.metric = metric
        self.metric_params = metric_params
        self.init = init
        self.verbose = verbose
        self.random_state = random_state
        self.method = method
        self.angle = angle
        self.n_jobs = n_jobs

    @property
    def _n_features_out(self) -> int:
        return self.embedding_.shape[1]

    def _validate_params(self) -> None:
        check_number(self, "n_components", self.n_components, integer=True, low=1)
        check_number(self, "perplexity", self.perplexity, low=0, closed="neither")
        check_number(self, "early_exaggeration", self.early_exaggeration, low=1, closed="both")
        check_number(self, "learning_rate", self.learning_rate, low=0, closed="neither", allow=("auto",))
        check_number(self, "max_iter", self.max_iter, integer=True, low=250)
        check_number(self, "n_iter_without_progress", self.n_iter_without_progress, integer=True, low=-1)
        check_number(self, "min_grad_norm", self.min_grad_norm, low=0)
        check_option(self, "method", self.method, ("barnes_hut", "exact"))
        check_number(self, "angle", self.angle, low=0, high=1, closed="both")
        if not isinstance(self.init, np.ndarray):
            check_option(self, "init", self.init, ("pca", "random"))

    def _input_probabilities(self, X: Any) -> Any:
        n = X.shape[0]
        if self.method == "exact":
            if self.metric == "precomputed":
                D = np.array(X, dtype=float)
            elif self.metric == "euclidean":
                D = pairwise_distances(X, metric="euclidean", squared=True)
            else:
                D = pairwise_distances(X, metric=self.metric, **(self.metric_params or {}))
            if np.any(D < 0):
                raise ValueError("All distances should be positive, the metric given is not correct")
            if self.metric != "euclidean":
                D = D ** 2
            return _zero_diagonal(_joint_probabilities(D, self.perplexity))
        k = min(n - 1, int(3.0 * self.perplexity + 1))
        knn = NearestNeighbors(n_neighbors=k, metric=self.metric, metric_params=self.metric_params).fit(X)
        graph = knn.kneighbors_graph(mode="distance")
        graph.data **= 2
        return _joint_probabilities_nn(graph, self.perplexity)

    def _objective(self, P: Any, dof: float) -> Callable[[np.ndarray, bool], tuple[float, np.ndarray]]:
        """The divergence and gradient the descent uses.

        Barnes-Hut for a sparse ``P``, except at ``angle=0`` where it equals the exact repulsion (cheaper to compute
        directly); the exact gradient for a dense ``P``.
        """
        if sp.issparse(P) and self.angle > 0:
            edges, scratch = NeighborEdges.from_csr(P), Scratch()
            return lambda Y, compute_error: kl_divergence_bh(Y, edges, dof, self.angle, compute_error, scratch)
        return lambda Y, compute_error: _kl_divergence(Y, P, dof, compute_error)

    def _fit(self, X: Any) -> np.ndarray:
        self._validate_params()
        n_samples = _num_samples(X)
        if self.perplexity >= n_samples:
            raise ValueError(f"perplexity ({self.perplexity}) must be less than n_samples ({n_samples})")
        if isinstance(self.init, str) and self.init == "pca" and sp.issparse(X):
            raise TypeError(
                "PCA initialization is currently not supported with the sparse input matrix. Use init = "
                '"random" instead.'
            )
        self.learning_rate_ = (max(X.shape[0] / self.early_exaggeration / 4, 50) if self.learning_rate == "auto"
                               else self.learning_rate)
        if self.method == "barnes_hut":
            X = validate_data(self, X, accept_sparse=["csr"], ensure_min_samples=2, dtype=[np.float32, np.float64])
        else:
            X = validate_data(self, X, accept_sparse=["csr", "csc", "coo"], dtype=[np.float32, np.float64])
        if self.metric == "precomputed":
            if isinstance(self.init, str) and self.init == "pca":
                raise ValueError('The parameter init="pca" cannot be used with metric="precomputed".')
            if X.shape[0] != X.shape[1]:
                raise ValueError("X should be a square distance matrix")
            _check_non_negative(X, "TSNE.fit(). With metric='precomputed', X should contain positive distances.")
        if self.method == "exact" and sp.issparse(X):
            raise TypeError(
                'TSNE with method="exact" does not accept sparse precomputed distance matrix. Use '
                'method="barnes_hut" or provide the dense distance matrix.'
            )
        if self.method == "barnes_hut" and self.n_components > 3:
            raise ValueError("'n_components' should be inferior to 4 for the barnes_hut algorithm as it relies on "
                             "quad-tree or oct-tree.")
        random_state = check_random_state(self.random_state)
        n = X.shape[0]
        P = self._input_probabilities(X)
        if isinstance(self.init, np.ndarray):
            Y = np.array(self.init)
        elif self.init == "pca":
            Y = PCA(n_components=self.n_components, random_state=random_state).fit_transform(X).astype(np.float32)
            Y = Y / np.std(Y[:, 0]) * 1e-4
        else:
            Y = 1e-4 * random_state.standard_normal(size=(n, self.n_components)).astype(np.float32)
        dof = max(self.n_components - 1, 1)
        settings = dict(learning_rate=self.learning_rate_, min_grad_norm=self.min_grad_norm)
        Y, kl, it = _gradient_descent(Y, self._objective(P * self.early_exaggeration, dof), 0, _EXPLORATION_MAX_ITER,
                                      momentum=0.5, n_iter_without_progress=_EXPLORATION_MAX_ITER, **settings)
        if it < _EXPLORATION_MAX_ITER or self.max_iter - _EXPLORATION_MAX_ITER > 0:
            Y, kl, it = _gradient_descent(Y, self._objective(P, dof), it + 1, self.max_iter, momentum=0.8,
                                          n_iter_without_progress=self.n_iter_without_progress, **settings)
        self.n_iter_ = it
        self.kl_divergence_ = kl
        return Y

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """Embeds ``X`` and returns the embedding."""
        self.embedding_ = self._fit(X)
        return self.embedding_

    def fit(self, X: Any, y: Any = None) -> TSNE:
        """Embeds ``X``; the result is ``embedding_``."""
        self.fit_transform(X)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.metric == "precomputed"
        return tags


def _zero_diagonal(P: np.ndarray) -> np.ndarray:
    """A copy of the joint ``P`` with a zero diagonal (its floor at machine epsilon kept off the diagonal)."""
    P = P.copy()
    np.fill_diagonal(P, 0.0)
    return P
