"""Multidimensional scaling: classical (Torgerson) and SMACOF stress majorisation, metric or not."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..base import BaseEstimator
from ..decomposition._params import check_number
from ..metrics.pairwise import euclidean_distances, pairwise_distances
from ..utils.extmath import svd_flip
from ..utils.validation import check_array, check_random_state, validate_data

__all__ = ["MDS", "ClassicalMDS", "smacof"]


def _check_symmetric(D: np.ndarray) -> np.ndarray:
    if D.ndim != 2 or D.shape[0] != D.shape[1]:
        raise ValueError(f"array must be 2-dimensional and square. shape = {D.shape}")
    if not np.allclose(D, D.T, atol=1e-10):
        raise ValueError("Array must be symmetric")
    return D


def _isotonic_fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares non-decreasing fit of ``y`` in the order of ``x``; ``x`` within float resolution share a value."""
    from scipy.optimize import isotonic_regression

    order = np.argsort(x, kind="mergesort")
    x_sorted = x[order]
    new_level = np.concatenate([[True], np.diff(x_sorted) >= np.finfo(x.dtype).resolution])
    level = np.cumsum(new_level) - 1
    counts = np.bincount(level)
    means = np.bincount(level, weights=y[order]) / counts
    fitted = np.empty_like(y, dtype=float)
    fitted[order] = isotonic_regression(means, weights=counts.astype(float), increasing=True).x[level]
    return fitted


def _smacof_single(D: np.ndarray, metric: bool, n_components: int, init: np.ndarray | None, max_iter: int,
                   eps: float, random_state: np.random.RandomState, normalized_stress: bool):
    """One SMACOF run (Guttman transforms) from ``init`` or a uniform random start."""
    n = D.shape[0]
    upper = ((1 - np.tri(n)) * D).ravel()
    observed = upper != 0  # zero dissimilarities are treated as missing by non-metric MDS
    if init is None:
        X = random_state.uniform(size=n * n_components).reshape(n, n_components)
    else:
        if init.shape[0] != n:
            raise ValueError(f"init matrix should be of shape ({n}, {init.shape[1]})")
        X = init
    distances = euclidean_distances(X)
    old_stress = None
    it = 0
    for it in range(max_iter):
        if metric:
            disparities = D
        else:
            fitted = upper[observed] if it < 1 else _isotonic_fit(upper[observed], distances.ravel()[observed])
            disparities = np.zeros(n * n)
            disparities[observed] = fitted
            disparities = disparities.reshape(n, n)
            disparities *= np.sqrt((n * (n - 1) / 2) / (disparities ** 2).sum())
            disparities = disparities + disparities.T
        distances[distances == 0] = 1e-5
        ratio = disparities / distances
        B = -ratio
        B[np.diag_indices(n)] += ratio.sum(axis=1)
        X = B @ X / n
        distances = euclidean_distances(X)
        stress = ((distances - disparities) ** 2).sum() / 2
        if old_stress is not None and (old_stress - stress) / ((distances ** 2).sum() / 2) < eps:
            break
        old_stress = stress
    if normalized_stress:
        stress = np.sqrt(stress / ((distances ** 2).sum() / 2))
    return X, float(stress), it + 1


def smacof(dissimilarities: Any, *, metric: bool = True, n_components: int = 2, init: Any = None, n_init: int = 8,
           n_jobs: int | None = None, max_iter: int = 300, verbose: int = 0, eps: float = 1e-6,
           random_state: Any = None, return_n_iter: bool = False, normalized_stress: Any = "auto"):
    """The best of ``n_init`` SMACOF runs on a symmetric dissimilarity matrix.

    Returns:
        ``(embedding, stress)``, plus the iteration count with ``return_n_iter``.
    """
    D = _check_symmetric(check_array(dissimilarities))
    random_state = check_random_state(random_state)
    if isinstance(normalized_stress, str) and normalized_stress == "auto":
        normalized_stress = not metric
    if init is not None:
        init = np.array(init, dtype=float)
        if n_init != 1:
            warnings.warn(
                f"Explicit initial positions passed: performing only one init of the MDS instead of {n_init}",
                stacklevel=2,
            )
            n_init = 1
    best = None
    for _ in range(n_init):
        run = _smacof_single(D, metric, n_components, init, max_iter, eps, random_state, normalized_stress)
        if best is None or run[1] < best[1]:
            best = run
    return best if return_n_iter else best[:2]


def _double_centred_eigen(D: np.ndarray, n_components: int) -> tuple[np.ndarray, np.ndarray]:
    from scipy import linalg

    B = D.astype(np.float64) ** 2
    B -= B.mean(axis=0)
    B -= B.mean(axis=1, keepdims=True)
    B *= -0.5
    w, U = linalg.eigh(B)
    w, U = w[::-1][:n_components], U[:, ::-1][:, :n_components]
    U, _ = svd_flip(U, None)
    return np.sqrt(w) * U, w


class ClassicalMDS(BaseEstimator):
    """Classical (Torgerson) MDS: the top eigenvectors of the double-centred squared distances."""

    def __init__(self, n_components: int = 2, *, metric: Any = "euclidean", metric_params: dict | None = None):
        self.n_components = n_components
        self.metric = metric
        self.metric_params = metric_params

    def fit(self, X: Any, y: Any = None) -> ClassicalMDS:
        """Computes the embedding of ``X`` (or of a dissimilarity matrix with ``metric="precomputed"``)."""
        self.fit_transform(X)
        return self

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """Computes and returns the embedding."""
        check_number(self, "n_components", self.n_components, integer=True, low=1)
        X = validate_data(self, X)
        if self.metric == "precomputed":
            self.dissimilarity_matrix_ = _check_symmetric(X)
        else:
            self.dissimilarity_matrix_ = pairwise_distances(X, metric=self.metric, **(self.metric_params or {}))
        self.embedding_, self.eigenvalues_ = _double_centred_eigen(self.dissimilarity_matrix_, self.n_components)
        return self.embedding_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.metric == "precomputed"
        return tags


class MDS(BaseEstimator):
    """Multidimensional scaling by SMACOF.

    Args:
        n_components: output dimension.
        metric_mds: metric MDS (True) or non-metric, rank-based MDS (False).
        n_init: random restarts; the lowest stress wins.
        init: "random", "classical_mds" or "warn" (random, with scikit-learn's FutureWarning about the change).
        max_iter, eps: SMACOF stopping rule.
        metric, metric_params: input distance, or "precomputed" dissimilarities.
        normalized_stress: report Kruskal's stress-1 ("auto": for non-metric MDS).
        dissimilarity: deprecated alias of ``metric``.
    """

    def __init__(self, n_components: int = 2, *, metric_mds: bool = True, n_init: int = 1, init: str = "warn",
                 max_iter: int = 300, verbose: int = 0, eps: float = 1e-6, n_jobs: int | None = None,
                 random_state: Any = None, dissimilarity: str = "deprecated", metric: Any = "euclidean",
                 metric_params: dict | None = None, normalized_stress: Any = "auto") -> None:
        self.n_components = n_components
        self.metric_mds = metric_mds
        self.n_init = n_init
        self.init = init
        self.max_iter = max_iter
        self.verbose = verbose
        self.eps = eps
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.dissimilarity = dissimilarity
        self.metric = metric
        self.metric_params = metric_params
        self.normalized_stress = normalized_stress

    def _resolve_options(self) -> tuple[str, Any, bool]:
        init = self.init
        if init == "warn":
            warnings.warn(
                "The default value of `init` will change from 'random' to 'classical_mds' in 1.10. To suppress "
                "this warning, provide some value of `init`.",
                FutureWarning, stacklevel=2)
            init = "random"
        metric, metric_mds = self.metric, self.metric_mds
        if self.dissimilarity != "deprecated":
            if not isinstance(self.metric, bool) and self.metric != "euclidean":
                raise ValueError("You provided both `dissimilarity` and `metric`. Please use only `metric`.")
            warnings.warn("The `dissimilarity` parameter is deprecated and will be removed in 1.10. Use `metric` "
                          "instead.", FutureWarning, stacklevel=2)
            metric = self.dissimilarity
        if isinstance(self.metric, bool):
            warnings.warn(f"Use metric_mds={self.metric} instead of metric={self.metric}. The support for "
                          "metric={True/False} will be dropped in 1.10.", FutureWarning, stacklevel=2)
            metric = "euclidean" if self.dissimilarity == "deprecated" else metric
            metric_mds = self.metric
        return init, metric, metric_mds

    def fit(self, X: Any, y: Any = None, init: Any = None) -> MDS:
        """Computes the embedding of ``X``; ``init`` is an optional starting configuration."""
        self.fit_transform(X, init=init)
        return self

    def fit_transform(self, X: Any, y: Any = None, init: Any = None) -> np.ndarray:
        """Computes and returns the embedding; ``stress_`` holds the final (normalised) stress."""
        check_number(self, "n_components", self.n_components, integer=True, low=1)
        check_number(self, "n_init", self.n_init, integer=True, low=1)
        check_number(self, "max_iter", self.max_iter, integer=True, low=1)
        check_number(self, "eps", self.eps, low=0)
        init_name, metric, metric_mds = self._resolve_options()
        self._metric = metric
        X = validate_data(self, X)
        if X.shape[0] == X.shape[1] and metric != "precomputed":
            warnings.warn(
                "The provided input is a square matrix. Note that ``fit`` constructs a dissimilarity matrix from "
                "data and will treat rows as samples and columns as features. To use a pre-computed dissimilarity "
                "matrix, set ``metric='precomputed'``.", stacklevel=2)
        if metric == "precomputed":
            self.dissimilarity_matrix_ = _check_symmetric(X)
        else:
            self.dissimilarity_matrix_ = pairwise_distances(X, metric=metric, **(self.metric_params or {}))
        if init is None and init_name == "classical_mds":
            init = _double_centred_eigen(self.dissimilarity_matrix_, self.n_components)[0]
        self.embedding_, self.stress_, self.n_iter_ = smacof(
            self.dissimilarity_matrix_, metric=metric_mds, n_components=self.n_components, init=init,
            n_init=self.n_init, max_iter=self.max_iter, eps=self.eps, random_state=self.random_state,
            return_n_iter=True, normalized_stress=self.normalized_stress)
        return self.embedding_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.metric == "precomputed" or self.dissimilarity == "precomputed"
        return tags
