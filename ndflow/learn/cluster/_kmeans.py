"""K-Means clustering: Lloyd's algorithm with k-means++ seeding (``KMeans``) and its mini-batch variant.

The random draws happen in the same order as in scikit-learn, so a given ``random_state`` picks the same
initial centers and (up to floating-point ties) reaches the same clustering.
"""
from __future__ import annotations

import contextlib
import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..._core import blas_threads
from ..._core.backend import get_namespace
from ..base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, ClusterMixin, TransformerMixin
from ..exceptions import ConvergenceWarning
from ..utils.validation import (
    _check_sample_weight,
    check_array,
    check_is_fitted,
    check_random_state,
    validate_data,
)
from ._common import (
    _CACHE_BLOCK_ROWS,
    InvalidParameterError,
    check_number,
    check_option,
    is_array_like,
    nearest_center,
    nearest_center_labels,
    squared_distances,
)

__all__ = ["KMeans", "MiniBatchKMeans", "k_means", "kmeans_plusplus"]


def kmeans_plusplus(X: Any, n_clusters: int, *, sample_weight: Any = None, x_squared_norms: Any = None,
                    random_state: Any = None, n_local_trials: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Greedy k-means++ seeding: each new center is the best of ``n_local_trials`` D²-weighted draws.

    Returns:
        ``(centers, indices)``: the chosen rows of ``X`` and their indices.

    Raises:
        ValueError: fewer samples than clusters.
    """
    X = check_array(X, dtype=[np.float64, np.float32])
    sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
    if X.shape[0] < n_clusters:
        raise ValueError(f"n_samples={X.shape[0]} should be >= n_clusters={n_clusters}.")
    if x_squared_norms is None:
        x_squared_norms = np.einsum("ij,ij->i", X, X)
    return _kmeans_plusplus(X, n_clusters, x_squared_norms, sample_weight, check_random_state(random_state),
                            n_local_trials)


_THREADED_PRODUCT = 1024  # features × centers above which BLAS threads pay off on a block's products


def _blas_threads_for(n_features: int, n_centers: int) -> Any:
    """Context running BLAS on one thread while the fit's block products are small.

    A block's products (``_CACHE_BLOCK_ROWS × n_features × n_centers``) then take well under a millisecond: waking
    BLAS worker threads for each costs more than it saves (``blas_threads.single_threaded``).
    """
    if n_features * n_centers > _THREADED_PRODUCT:
        return contextlib.nullcontext()
    return blas_threads.single_threaded()


def _capped_sq_distances(points, X, x_sq, cap, out):
    """Squared distances of every row of ``X`` to each of ``points``, written into ``out`` (shape (p, n)).

    Same arithmetic as ``squared_distances(points, X)`` (``-2 p·x``, then ``+ ‖p‖²``, then ``+ ‖x‖²``,
    clipped at 0), then lowered to ``cap`` where given, one cache-sized block of rows at a time.
    """
    xp = get_namespace(X)
    scaled = -2.0 * points  # exact: points scaled by -2 give the same bits as scaling the products
    p_sq = xp.einsum("ij,ij->i", points, points)[:, None]
    for start in range(0, X.shape[0], _CACHE_BLOCK_ROWS):
        block = slice(start, start + _CACHE_BLOCK_ROWS)
        dist = out[:, block]
        xp.matmul(scaled, X[block].T, out=dist)
        dist += p_sq
        dist += x_sq[block]
        xp.maximum(dist, 0, out=dist)
        if cap is not None:
            xp.minimum(dist, cap[block], out=dist)
    return out


def _kmeans_plusplus(X, n_clusters, x_sq, sample_weight, rng, n_local_trials=None):
    xp = get_namespace(X)
    n_samples, n_features = X.shape
    if n_local_trials is None:
        n_local_trials = 2 + int(np.log(n_clusters))
    centers = xp.empty((n_clusters, n_features), dtype=X.dtype)
    indices = xp.full(n_clusters, -1, dtype=int)
    unit_weights = bool(xp.all(sample_weight == 1))
    first = rng.choice(n_samples, p=sample_weight / sample_weight.sum())
    centers[0], indices[0] = X[first], first
    closest_sq = _capped_sq_distances(X[first:first + 1], X, x_sq, None, xp.empty((1, n_samples), X.dtype))[0]
    potential = closest_sq @ sample_weight
    cand_sq = xp.empty((n_local_trials, n_samples), dtype=X.dtype)
    for c in range(1, n_clusters):
        targets = rng.uniform(size=n_local_trials) * potential
        weighted = closest_sq if unit_weights else sample_weight * closest_sq
        candidates = xp.searchsorted(xp.cumsum(weighted, dtype=xp.float64), targets)
        candidates = xp.minimum(candidates, closest_sq.size - 1)
        _capped_sq_distances(X[candidates], X, x_sq, closest_sq, cand_sq)
        cand_potentials = cand_sq @ sample_weight
        best = int(xp.argmin(cand_potentials))
        potential = cand_potentials[best]
        closest_sq[:] = cand_sq[best]
        centers[c], indices[c] = X[candidates[best]], candidates[best]
    return centers, indices


def _tolerance(X: np.ndarray, tol: float) -> float:
    """``tol`` scaled by the mean per-feature variance of ``X`` (0 stays 0)."""
    return 0.0 if tol == 0 else float(np.mean(np.var(X, axis=0)) * tol)


def _cluster_sums(X, sample_weight, labels, n_clusters):
    """Per-cluster weight and weighted sum of the rows (one sparse product, no loop over samples)."""
    n = X.shape[0]
    weights = np.bincount(labels, weights=sample_weight, minlength=n_clusters).astype(X.dtype)
    # column i of the (clusters, samples) membership matrix holds the weight of sample i in its cluster
    pointers = np.arange(n + 1, dtype=np.int32 if n < np.iinfo(np.int32).max else np.int64)
    membership = sp.csc_matrix((sample_weight, labels, pointers), shape=(n_clusters, n))
    return weights, np.asarray(membership @ X, dtype=X.dtype)


def _relocate_empty_clusters(X, sample_weight, centers_old, sums, weights, labels):
    """Moves each empty cluster onto one of the points farthest from their own center (in place)."""
    empty = np.flatnonzero(weights == 0)
    if empty.size == 0:
        return
    dist = ((X - centers_old[labels]) ** 2).sum(axis=1)
    far = np.argpartition(dist, -empty.size)[:-empty.size - 1:-1]
    for new_id, idx in zip(empty, far):
        w, old_id = sample_weight[idx], labels[idx]
        sums[old_id] -= X[idx] * w
        sums[new_id] = X[idx] * w
        weights[new_id] = w
        weights[old_id] -= w


def _inertia(X, sample_weight, centers, labels) -> float:
    """Weighted sum of the squared distances ``‖x − c‖²`` of the rows to their centers (computed directly)."""
    diff = np.empty((min(X.shape[0], _CACHE_BLOCK_ROWS), X.shape[1]), dtype=X.dtype)
    total = 0.0
    for start in range(0, X.shape[0], _CACHE_BLOCK_ROWS):
        block = slice(start, start + _CACHE_BLOCK_ROWS)
        rows = X[block]
        d = np.take(centers, labels[block], axis=0, out=diff[:rows.shape[0]], mode="clip")
        np.subtract(rows, d, out=d)
        total += float(np.einsum("ij,ij->i", d, d) @ sample_weight[block])
    return total


def _lloyd(X, sample_weight, centers, max_iter, tol):
    """One run of Lloyd's algorithm from ``centers``.

    Returns:
        ``(labels, inertia, centers, n_iter)``.
    """
    n_clusters = centers.shape[0]
    labels_old = None
    strict = False
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        labels = nearest_center_labels(X, centers)
        weights, sums = _cluster_sums(X, sample_weight, labels, n_clusters)
        _relocate_empty_clusters(X, sample_weight, centers, sums, weights, labels)
        nonempty = weights > 0
        sums[nonempty] /= weights[nonempty, None]
        shift = ((sums - centers) ** 2).sum()
        centers = sums
        if labels_old is not None and np.array_equal(labels, labels_old):
            strict = True
            break
        if shift <= tol:
            break
        labels_old = labels
    if not strict:
        labels = nearest_center_labels(X, centers)
    return labels, _inertia(X, sample_weight, centers, labels), centers, n_iter


def _same_clustering(labels1: np.ndarray, labels2: np.ndarray, n_clusters: int) -> bool:
    """True when every label of ``labels1`` always goes with a single label of ``labels2``."""
    pairs = np.bincount(labels1.astype(np.int64) * n_clusters + labels2, minlength=n_clusters * n_clusters)
    return bool(np.all(np.count_nonzero(pairs.reshape(n_clusters, n_clusters), axis=1) <= 1))


class _BaseKMeans(ClassNamePrefixFeaturesOutMixin, TransformerMixin, ClusterMixin, BaseEstimator):
    """Parameter checks, initialisation and the prediction methods shared by the K-Means estimators."""

    _default_n_init = 10

    def _check_params(self, X: np.ndarray) -> None:
        name = type(self).__name__
        check_number(self, "n_clusters", self.n_clusters, "int", 1)
        check_number(self, "max_iter", self.max_iter, "int", 1)
        check_number(self, "tol", self.tol, "real", 0)
        if not (callable(self.init) or is_array_like(self.init)
                or (isinstance(self.init, str) and self.init in ("k-means++", "random"))):
            raise InvalidParameterError(
                f"The 'init' parameter of {name} must be a str among {{'k-means++', 'random'}}, a callable or "
                f"an array-like. Got {self.init!r} instead.")
        if not (isinstance(self.n_init, str) and self.n_init == "auto"):
            try:
                check_number(self, "n_init", self.n_init, "int", 1)
            except InvalidParameterError:
                raise InvalidParameterError(
                    f"The 'n_init' parameter of {name} must be a str among {{'auto'}} or an int in the range "
                    f"[1, inf). Got {self.n_init!r} instead.") from None
        if X.shape[0] < self.n_clusters:
            raise ValueError(f"n_samples={X.shape[0]} should be >= n_clusters={self.n_clusters}.")
        if self.n_init == "auto":
            random_like = callable(self.init) or (isinstance(self.init, str) and self.init == "random")
            self._n_init = self._default_n_init if random_like else 1
        else:
            self._n_init = self.n_init
        if is_array_like(self.init) and self._n_init != 1:
            warnings.warn(f"Explicit initial center position passed: performing only one init in {name} instead "
                          f"of n_init={self._n_init}.", RuntimeWarning, stacklevel=3)
            self._n_init = 1

    def _checked_init(self, X: np.ndarray) -> Any:
        if not is_array_like(self.init):
            return self.init
        centers = check_array(self.init, dtype=X.dtype, copy=True, order="C")
        self._check_center_shape(X, centers)
        return centers

    def _check_center_shape(self, X: np.ndarray, centers: np.ndarray) -> None:
        if centers.shape[0] != self.n_clusters:
            raise ValueError(f"The shape of the initial centers {centers.shape} does not match the number of "
                             f"clusters {self.n_clusters}.")
        if centers.shape[1] != X.shape[1]:
            raise ValueError(f"The shape of the initial centers {centers.shape} does not match the number of "
                             f"features of the data {X.shape[1]}.")

    def _init_centroids(self, X, x_sq, init, rng, sample_weight, init_size=None):
        n_samples = X.shape[0]
        if init_size is not None and init_size < n_samples:
            chosen = rng.randint(0, n_samples, init_size)
            X, x_sq, sample_weight = X[chosen], x_sq[chosen], sample_weight[chosen]
            n_samples = init_size
        if isinstance(init, str) and init == "k-means++":
            centers, _ = _kmeans_plusplus(X, self.n_clusters, x_sq, sample_weight, rng)
        elif isinstance(init, str) and init == "random":
            seeds = rng.choice(n_samples, size=self.n_clusters, replace=False,
                               p=sample_weight / sample_weight.sum())
            centers = X[seeds]
        elif callable(init):
            centers = check_array(init(X, self.n_clusters, random_state=rng), dtype=X.dtype, order="C")
            self._check_center_shape(X, centers)
        else:
            centers = init
        return np.array(centers, dtype=X.dtype, copy=True)

    def _validate_test(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        return validate_data(self, X, reset=False, dtype=[np.float64, np.float32], order="C")

    def predict(self, X: Any) -> np.ndarray:
        """Index of the nearest cluster center of each sample."""
        X = self._validate_test(X)
        return nearest_center(X, self.cluster_centers_)[0]

    def fit_predict(self, X: Any, y: Any = None, sample_weight: Any = None) -> np.ndarray:
        """Fits and returns ``labels_``."""
        return self.fit(X, sample_weight=sample_weight).labels_

    def transform(self, X: Any) -> np.ndarray:
        """Euclidean distance of each sample to every cluster center, shape ``(n_samples, n_clusters)``."""
        X = self._validate_test(X)
        return np.sqrt(squared_distances(X, self.cluster_centers_))

    def fit_transform(self, X: Any, y: Any = None, sample_weight: Any = None) -> np.ndarray:
        """Fits and returns the distances of ``X`` to the centers."""
        return self.fit(X, sample_weight=sample_weight).transform(X)

    def score(self, X: Any, y: Any = None, sample_weight: Any = None) -> float:
        """Minus the (weighted) inertia of ``X`` on the fitted centers: greater is better."""
        X = self._validate_test(X)
        sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        _, sq = nearest_center(X, self.cluster_centers_)
        return -float(sq @ sample_weight)

    def _warn_if_too_few_clusters(self) -> None:
        distinct = np.count_nonzero(np.bincount(self.labels_, minlength=self.n_clusters))
        if distinct < self.n_clusters:
            warnings.warn(f"Number of distinct clusters ({distinct}) found smaller than n_clusters "
                          f"({self.n_clusters}). Possibly due to duplicate points in X.", ConvergenceWarning,
                          stacklevel=3)

    def _update_sklearn_tags(self, tags) -> None:
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]


class KMeans(_BaseKMeans):
    """K-Means clustering (Lloyd's algorithm; ``algorithm="elkan"`` runs the same Lloyd iterations).

    Fitted attributes: ``cluster_centers_``, ``labels_``, ``inertia_`` (sum of squared distances to the
    nearest center), ``n_iter_``, ``n_features_in_``.
    """

    def __init__(self, n_clusters: int = 8, *, init: Any = "k-means++", n_init: Any = "auto",
                 max_iter: int = 300, tol: float = 1e-4, verbose: int = 0, random_state: Any = None,
                 copy_x: bool = True, algorithm: str = "lloyd"):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state
        self.copy_x = copy_x
        self.algorithm = algorithm

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> KMeans:
        """Runs ``n_init`` seeded Lloyd runs and keeps the one with the lowest inertia.

        Raises:
            ValueError: fewer samples than clusters, or initial centers of the wrong shape.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32], order="C")
        check_option(self, "algorithm", self.algorithm, ("lloyd", "elkan"))
        self._check_params(X)
        rng = check_random_state(self.random_state)
        sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        init = self._checked_init(X)
        with _blas_threads_for(X.shape[1], self.n_clusters):
            labels, inertia, centers, n_iter = self._best_run(X, sample_weight, init, rng)
        self.cluster_centers_ = centers
        self._n_features_out = self.cluster_centers_.shape[0]
        self.labels_ = labels
        self.inertia_ = inertia
        self.n_iter_ = n_iter
        self._warn_if_too_few_clusters()
        return self

    def _best_run(self, X, sample_weight, init, rng):
        """The best of ``n_init`` seeded Lloyd runs: ``(labels, inertia, centers, n_iter)``."""
        # centering (on a copy: the input is never modified, whatever copy_x) makes the ‖x‖² − 2x·c + ‖c‖²
        # distances more accurate
        X_mean = X.mean(axis=0)
        X = X - X_mean
        if is_array_like(init):
            init = init - X_mean
        x_sq = np.einsum("ij,ij->i", X, X)
        # tol scales with the mean per-feature variance, which for centered data is the mean of the ‖x‖²
        self._tol = float(x_sq.sum() / X.size * self.tol) if self.tol else 0.0
        best = None
        for _ in range(self._n_init):
            start = self._init_centroids(X, x_sq, init, rng, sample_weight)
            labels, inertia, centers, n_iter = _lloyd(X, sample_weight, start, self.max_iter, self._tol)
            if best is None or (inertia < best[1] and not _same_clustering(labels, best[0], self.n_clusters)):
                best = (labels, inertia, centers, n_iter)
        labels, inertia, centers, n_iter = best
        return labels, inertia, centers + X_mean, n_iter


class MiniBatchKMeans(_BaseKMeans):
    """K-Means on random mini-batches (Sculley's update with per-center learning rates).

    ``fit`` streams ``max_iter`` epochs of batches with early stopping on the smoothed batch inertia;
    ``partial_fit`` makes one update on the given batch.
    """

    _default_n_init = 3

    def __init__(self, n_clusters: int = 8, *, init: Any = "k-means++", max_iter: int = 100,
                 batch_size: int = 1024, verbose: int = 0, compute_labels: bool = True, random_state: Any = None,
                 tol: float = 0.0, max_no_improvement: int | None = 10, init_size: int | None = None,
                 n_init: Any = "auto", reassignment_ratio: float = 0.01):
        self.n_clusters = n_clusters
        self.init = init
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.verbose = verbose
        self.compute_labels = compute_labels
        self.random_state = random_state
        self.tol = tol
        self.max_no_improvement = max_no_improvement
        self.init_size = init_size
        self.n_init = n_init
        self.reassignment_ratio = reassignment_ratio

    def _check_params(self, X: np.ndarray) -> None:
        check_number(self, "batch_size", self.batch_size, "int", 1)
        check_number(self, "max_no_improvement", self.max_no_improvement, "int", 0, allow_none=True)
        check_number(self, "init_size", self.init_size, "int", 1, allow_none=True)
        check_number(self, "reassignment_ratio", self.reassignment_ratio, "real", 0)
        super()._check_params(X)
        self._batch_size = min(self.batch_size, X.shape[0])
        init_size = self.init_size
        if init_size is None:
            init_size = 3 * self._batch_size
            if init_size < self.n_clusters:
                init_size = 3 * self.n_clusters
        elif init_size < self.n_clusters:
            warnings.warn(f"init_size={init_size} should be larger than n_clusters={self.n_clusters}. Setting it "
                          "to min(3*n_clusters, n_samples)", RuntimeWarning, stacklevel=3)
            init_size = 3 * self.n_clusters
        self._init_size = min(init_size, X.shape[0])
        self._tol = _tolerance(X, self.tol)

    def _random_reassign(self) -> bool:
        """Whether this step may reassign rarely hit centers (every ``10 * n_clusters`` samples)."""
        self._n_since_last_reassign += self._batch_size
        if (self._counts == 0).any() or self._n_since_last_reassign >= 10 * self.n_clusters:
            self._n_since_last_reassign = 0
            return True
        return False

    def _step(self, X, sample_weight, centers, rng, reassign):
        """One mini-batch update; returns the new centers and the batch's inertia before the update."""
        labels, sq = nearest_center(X, centers)
        inertia = float(sq @ sample_weight)
        batch_w, batch_sums = _cluster_sums(X, sample_weight, labels, self.n_clusters)
        hit = batch_w > 0
        new = centers.copy()
        counts = self._counts
        new[hit] = centers[hit] * counts[hit, None] + batch_sums[hit]
        counts[hit] += batch_w[hit]
        new[hit] /= counts[hit, None]
        if reassign and self.reassignment_ratio > 0:
            low = counts < self.reassignment_ratio * counts.max()
            if low.sum() > 0.5 * X.shape[0]:
                low[np.argsort(counts)[int(0.5 * X.shape[0]):]] = False
            n_low = int(low.sum())
            if n_low:
                picked = rng.choice(X.shape[0], replace=False, size=n_low)
                new[low] = X[picked]
                counts[low] = np.min(counts[~low])
        return new, inertia

    def _converged(self, step, n_samples, shift, batch_inertia) -> bool:
        """Early stopping on the centers' squared move or on no improvement of the smoothed inertia."""
        if step == 0:  # the first batch's inertia still reflects the initialisation
            return False
        batch_inertia /= self._batch_size
        if self._ewa_inertia is None:
            self._ewa_inertia = batch_inertia
        else:
            alpha = min(self._batch_size * 2.0 / (n_samples + 1), 1)
            self._ewa_inertia = self._ewa_inertia * (1 - alpha) + batch_inertia * alpha
        if self._tol > 0.0 and shift <= self._tol:
            return True
        if self._ewa_inertia_min is None or self._ewa_inertia < self._ewa_inertia_min:
            self._no_improvement = 0
            self._ewa_inertia_min = self._ewa_inertia
        else:
            self._no_improvement += 1
        return self.max_no_improvement is not None and self._no_improvement >= self.max_no_improvement

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> MiniBatchKMeans:
        """Seeds on an ``init_size`` subsample (best of ``n_init``), then runs mini-batch updates."""
        X = validate_data(self, X, dtype=[np.float64, np.float32], order="C")
        self._check_params(X)
        rng = check_random_state(self.random_state)
        sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        n_samples = X.shape[0]
        init = self._checked_init(X)
        with _blas_threads_for(X.shape[1], self.n_clusters):
            centers = self._seed(X, sample_weight, init, rng)
            centers, step = self._run_batches(X, sample_weight, centers, rng)
            if self.compute_labels:
                self.labels_, sq = nearest_center(X, centers)
                self.inertia_ = float(sq @ sample_weight)
            else:
                self.inertia_ = self._ewa_inertia * n_samples
        self.cluster_centers_ = centers
        self._n_features_out = self.n_clusters
        self.n_steps_ = step + 1
        self.n_iter_ = int(np.ceil((step + 1) * self._batch_size / n_samples))
        return self

    def _seed(self, X, sample_weight, init, rng):
        """The initial centers: the best of ``n_init`` seedings on ``init_size`` subsamples."""
        x_sq = np.einsum("ij,ij->i", X, X)
        valid = rng.randint(0, X.shape[0], self._init_size)
        X_valid, w_valid = X[valid], sample_weight[valid]
        best_inertia, centers = None, None
        for _ in range(self._n_init):
            candidate = self._init_centroids(X, x_sq, init, rng, sample_weight, init_size=self._init_size)
            inertia = float(nearest_center(X_valid, candidate)[1] @ w_valid)
            if best_inertia is None or inertia < best_inertia:
                centers, best_inertia = candidate, inertia
        return centers

    def _run_batches(self, X, sample_weight, centers, rng):
        """Mini-batch updates until early stopping or ``max_iter`` epochs: ``(centers, last step index)``."""
        n_samples = X.shape[0]
        self._counts = np.zeros(self.n_clusters, dtype=X.dtype)
        self._ewa_inertia = self._ewa_inertia_min = None
        self._no_improvement = 0
        self._n_since_last_reassign = 0
        n_steps = (self.max_iter * n_samples) // self._batch_size
        # batches are drawn with probability proportional to the weights, then count once each
        draw_p = sample_weight / sample_weight.sum()
        # rng.choice(n, size, p=draw_p) builds this table on every call; reused, the draws stay the same (one
        # uniform per sample looked up in the table); the first batch still goes through rng.choice, which
        # checks the probabilities
        cumulative = np.cumsum(draw_p)
        cumulative /= cumulative[-1]
        unit = np.ones(self._batch_size, dtype=X.dtype)
        step = -1
        for step in range(n_steps):
            if step == 0:
                batch = rng.choice(n_samples, self._batch_size, p=draw_p, replace=True)
            else:
                batch = cumulative.searchsorted(rng.random_sample(self._batch_size), side="right")
            new, batch_inertia = self._step(X[batch], unit, centers, rng, self._random_reassign())
            shift = float(((new - centers) ** 2).sum()) if self._tol > 0.0 else 0.0
            centers = new
            if self._converged(step, n_samples, shift, batch_inertia):
                break
        return centers, step

    def partial_fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> MiniBatchKMeans:
        """One mini-batch update on ``X`` (seeding the centers from it on the first call)."""
        has_centers = hasattr(self, "cluster_centers_")
        X = validate_data(self, X, dtype=[np.float64, np.float32], order="C", reset=not has_centers)
        if not hasattr(self, "_random_state"):
            self._random_state = check_random_state(self.random_state)
        sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        self.n_steps_ = getattr(self, "n_steps_", 0)
        if not has_centers:
            self._check_params(X)
            init = self._checked_init(X)
            x_sq = np.einsum("ij,ij->i", X, X)
            self.cluster_centers_ = self._init_centroids(X, x_sq, init, self._random_state, sample_weight,
                                                         init_size=self._init_size)
            self._counts = np.zeros(self.n_clusters, dtype=X.dtype)
            self._n_since_last_reassign = 0
        self.cluster_centers_, _ = self._step(X, sample_weight, self.cluster_centers_, self._random_state,
                                              self._random_reassign())
        if self.compute_labels:
            self.labels_, sq = nearest_center(X, self.cluster_centers_)
            self.inertia_ = float(sq @ sample_weight)
        self.n_steps_ += 1
        self._n_features_out = self.n_clusters
        return self


def k_means(X: Any, n_clusters: int, *, sample_weight: Any = None, init: Any = "k-means++", n_init: Any = "auto",
            max_iter: int = 300, verbose: bool = False, tol: float = 1e-4, random_state: Any = None,
            copy_x: bool = True, algorithm: str = "lloyd", return_n_iter: bool = False) -> tuple:
    """Functional form of ``KMeans``: ``(centers, labels, inertia[, n_iter])``."""
    est = KMeans(n_clusters=n_clusters, init=init, n_init=n_init, max_iter=max_iter, verbose=verbose, tol=tol,
                 random_state=random_state, copy_x=copy_x, algorithm=algorithm).fit(X, sample_weight=sample_weight)
    out = (est.cluster_centers_, est.labels_, est.inertia_)
    return out + (est.n_iter_,) if return_n_iter else out
