"""Mean shift: seeds climb to the modes of a flat-kernel density estimate; nearby modes are merged."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, ClusterMixin
from ..utils.validation import check_array, check_is_fitted, check_random_state, validate_data
from ._common import check_number, nearest_center

__all__ = ["MeanShift", "estimate_bandwidth", "get_bin_seeds"]


def estimate_bandwidth(X: Any, *, quantile: float = 0.3, n_samples: int | None = None, random_state: Any = 0,
                       n_jobs: int | None = None) -> float:
    """Mean distance of each point to its ``quantile * n``-th nearest neighbor (itself counted)."""
    from scipy.spatial import cKDTree

    X = check_array(X)
    rng = check_random_state(random_state)
    if n_samples is not None:
        X = X[rng.permutation(X.shape[0])[:n_samples]]
    k = max(1, int(X.shape[0] * quantile))
    dist, _ = cKDTree(X).query(X, k=[k])
    return float(dist.sum() / X.shape[0])


def get_bin_seeds(X: Any, bin_size: float, min_bin_freq: int = 1) -> np.ndarray:
    """Centers of the grid cells of side ``bin_size`` holding at least ``min_bin_freq`` points."""
    if bin_size == 0:
        return X
    cells, counts = np.unique(np.round(X / bin_size), axis=0, return_counts=True)
    seeds = cells[counts >= min_bin_freq].astype(np.float32)
    if len(seeds) == len(X):
        warnings.warn(f"Binning data failed with provided bin_size={bin_size:f}, using data points as seeds.",
                      stacklevel=2)
        return X
    return seeds * bin_size


def _shift_seeds(X: np.ndarray, seeds: np.ndarray, bandwidth: float, max_iter: int):
    """Moves all seeds to the mean of the points within ``bandwidth`` until each moves < 1e-3·bandwidth.

    Returns:
        ``(means, n_within, n_iter)`` per seed.
    """
    from scipy.spatial import cKDTree

    tree = cKDTree(X)
    means = np.array(seeds, dtype=np.float64)
    n_within = np.zeros(len(means), dtype=np.intp)
    n_iter = np.zeros(len(means), dtype=np.intp)
    active = np.arange(len(means))
    while active.size:
        pairs = cKDTree(means[active]).sparse_distance_matrix(tree, bandwidth, output_type="ndarray")
        member = sp.csr_matrix((np.ones(pairs.size), (pairs["i"], pairs["j"])), shape=(active.size, X.shape[0]))
        member.sort_indices()  # members summed in index order, so equal neighborhoods give equal means
        lengths = np.diff(member.indptr)
        empty = lengths == 0
        new = np.asarray(member @ X) / np.maximum(lengths, 1)[:, None]
        new[empty] = means[active][empty]
        moved = np.linalg.norm(new - means[active], axis=1)
        n_within[active] = lengths
        means[active] = new
        done = empty | (moved <= 1e-3 * bandwidth) | (n_iter[active] == max_iter)
        n_iter[active[~done]] += 1
        active = active[~done]
    return means, n_within, n_iter


class MeanShift(ClusterMixin, BaseEstimator):
    """Mean shift clustering with a flat kernel. Fitted attributes: ``cluster_centers_``, ``labels_``,
    ``n_iter_`` (most iterations of any seed)."""

    def __init__(self, *, bandwidth: float | None = None, seeds: Any = None, bin_seeding: bool = False,
                 min_bin_freq: int = 1, cluster_all: bool = True, n_jobs: int | None = None, max_iter: int = 300):
        self.bandwidth = bandwidth
        self.seeds = seeds
        self.bin_seeding = bin_seeding
        self.min_bin_freq = min_bin_freq
        self.cluster_all = cluster_all
        self.n_jobs = n_jobs
        self.max_iter = max_iter

    def fit(self, X: Any, y: Any = None) -> MeanShift:
        """Shifts the seeds, merges modes closer than ``bandwidth`` and labels points by nearest mode.

        Raises:
            ValueError: no point lies within ``bandwidth`` of any seed.
        """
        from scipy.spatial import cKDTree

        check_number(self, "bandwidth", self.bandwidth, "real", 0.0, closed="neither", allow_none=True)
        check_number(self, "min_bin_freq", self.min_bin_freq, "int", 1)
        check_number(self, "max_iter", self.max_iter, "int", 0)
        X = validate_data(self, X)
        bandwidth = estimate_bandwidth(X) if self.bandwidth is None else self.bandwidth
        if self.seeds is not None:
            seeds = check_array(self.seeds)
        elif self.bin_seeding:
            seeds = get_bin_seeds(X, bandwidth, self.min_bin_freq)
        else:
            seeds = X
        means, n_within, n_iter = _shift_seeds(X, seeds, bandwidth, self.max_iter)
        self.n_iter_ = int(n_iter.max())
        found = n_within > 0
        if not found.any():
            raise ValueError(f"No point was within bandwidth={bandwidth:f} of any seed. Try a different seeding "
                             "strategy or increase the bandwidth.")
        centers, first = np.unique(means[found], axis=0, return_index=True)
        intensity = n_within[found][first]
        # strongest modes first (ties: larger coordinates first), then drop modes near a stronger one
        order = np.lexsort(tuple(centers[:, j] for j in range(centers.shape[1] - 1, -1, -1)) + (intensity,))[::-1]
        centers = centers[order]
        keep = np.ones(len(centers), dtype=bool)
        tree = cKDTree(centers)
        for i in range(len(centers)):
            if keep[i]:
                keep[tree.query_ball_point(centers[i], bandwidth)] = False
                keep[i] = True
        self.cluster_centers_ = centers[keep]
        labels, sq = nearest_center(X, self.cluster_centers_)
        labels = labels.astype(np.intp)
        if not self.cluster_all:
            labels[np.sqrt(sq) > bandwidth] = -1
        self.labels_ = labels
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Index of the nearest cluster center of each sample."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return nearest_center(X, self.cluster_centers_)[0].astype(np.intp)
