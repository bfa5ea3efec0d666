"""``KDTree`` (on ``scipy.spatial.cKDTree``) and ``BallTree`` (chunked brute force) with sklearn's query API.

Both answer k-nearest and radius queries; results are ordered by distance then index, as in the
estimators.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._brute import brute_kneighbors, brute_radius_pairs, pairs_to_csr, split_rows
from ._distances import METRIC_ALIASES

__all__ = ["KDTree", "BallTree"]

_KD_METRICS = ("euclidean", "l2", "minkowski", "p", "manhattan", "cityblock", "l1", "chebyshev", "infinity")
_BALL_METRICS = _KD_METRICS + ("sqeuclidean",)
_MINKOWSKI_P = {"euclidean": 2.0, "manhattan": 1.0, "chebyshev": np.inf}


def _as_2d_float(X: Any) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2:
        raise ValueError("query data must be 2-dimensional")
    return X


class _NeighborTree:
    """Query API shared by the two trees; subclasses implement ``_kneighbors`` and ``_radius_pairs``."""

    valid_metrics: tuple[str, ...] = ()
    accepts_callable = False

    def __init__(self, X: Any, leaf_size: int = 40, metric: str = "minkowski", **kwargs: Any) -> None:
        if not (callable(metric) and self.accepts_callable) and metric not in self.valid_metrics:
            raise ValueError(f"metric {metric} is not valid for {type(self).__name__}")
        self.data = np.asarray(X, dtype=np.float64)
        if self.data.ndim != 2:
            raise ValueError("X must be 2-dimensional")
        if self.data.shape[0] == 0:
            raise ValueError("X is an empty array")
        self.leaf_size = leaf_size
        self.metric = metric
        self.metric_params = kwargs
        self._metric = metric if callable(metric) else METRIC_ALIASES[metric]
        self._p = float(kwargs.get("p", 2)) if self._metric == "minkowski" else _MINKOWSKI_P.get(self._metric)

    def _check_query(self, X: Any) -> np.ndarray:
        X = _as_2d_float(X)
        if X.shape[1] != self.data.shape[1]:
            raise ValueError("query data dimension must match training data dimension")
        return X

    def query(self, X: Any, k: int = 1, return_distance: bool = True, dualtree: bool = False,
              breadth_first: bool = False, sort_results: bool = True):
        """The ``k`` nearest fitted points of each row of ``X``: ``(dist, ind)`` or ``ind``.

        Raises:
            ValueError: ``k`` larger than the number of fitted points, or a dimension mismatch.
        """
        X = self._check_query(X)
        if k > self.data.shape[0]:
            raise ValueError("k must be less than or equal to the number of training points")
        if k < 1:
            raise ValueError("k must be greater than or equal to 1")
        dist, ind = self._kneighbors(X, k)
        return (dist, ind) if return_distance else ind

    def query_radius(self, X: Any, r: Any, return_distance: bool = False, count_only: bool = False,
                     sort_results: bool = False):
        """Fitted points within distance ``r`` (scalar or one per query) of each row of ``X``.

        Returns:
            counts (``count_only``), or object arrays of indices (and distances with ``return_distance``).
        """
        if count_only and return_distance:
            raise ValueError("count_only and return_distance cannot both be true")
        if sort_results and not return_distance:
            raise ValueError("return_distance must be True if sort_results is True")
        X = self._check_query(X)
        radius = np.broadcast_to(np.asarray(r, dtype=np.float64), (X.shape[0],))
        indptr, ind, dist = self.radius_csr(X, radius, sort_results=sort_results)
        if count_only:
            return np.diff(indptr)
        if return_distance:
            return split_rows(indptr, ind), split_rows(indptr, dist)
        return split_rows(indptr, ind)

    def radius_csr(self, X: np.ndarray, radius: np.ndarray, sort_results: bool = False):
        """Radius neighbors as CSR parts ``(indptr, indices, distances)``."""
        return pairs_to_csr(*self._radius_pairs(X, radius), X.shape[0], sort_results)

    def get_arrays(self):
        return self.data, np.arange(self.data.shape[0]), None, None

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_ckdtree"}


class KDTree(_NeighborTree):
    """KD-tree for Minkowski-family metrics, backed by ``scipy.spatial.cKDTree``."""

    valid_metrics = _KD_METRICS

    def __init__(self, X: Any, leaf_size: int = 40, metric: str = "minkowski", **kwargs: Any) -> None:
        super().__init__(X, leaf_size=leaf_size, metric=metric, **kwargs)
        if self._p < 1:
            raise ValueError("p must be greater than or equal to 1 for KDTree")

    @property
    def _tree(self):
        tree = self.__dict__.get("_ckdtree")
        if tree is None:
            from scipy.spatial import cKDTree

            tree = self.__dict__["_ckdtree"] = cKDTree(self.data, leafsize=max(1, self.leaf_size))
        return tree

    def _kneighbors(self, X: np.ndarray, k: int):
        dist, ind = self._tree.query(X, k=np.arange(1, k + 1), p=self._p)
        order = np.lexsort((ind, dist), axis=-1)
        dist, ind = np.take_along_axis(dist, order, 1), np.take_along_axis(ind, order, 1).astype(np.intp)
        # the tree picks arbitrarily among points tied with the k-th: redo those rows by (distance, index)
        kth = dist[:, -1]
        tied = np.flatnonzero(self._tree.query_ball_point(X, kth, p=self._p, return_length=True) > k)
        if tied.size:
            indptr, cols, pair_dist = pairs_to_csr(*self._radius_pairs(X[tied], kth[tied]), tied.size,
                                                   sort_results=True)
            first_k = indptr[:-1, None] + np.arange(k)
            ind[tied], dist[tied] = cols[first_k], pair_dist[first_k]
        return dist, ind

    def _radius_pairs(self, X: np.ndarray, radius: np.ndarray):
        found = self._tree.query_ball_point(X, radius, p=self._p)
        counts = np.fromiter((len(f) for f in found), dtype=np.intp, count=len(found))
        rows = np.repeat(np.arange(X.shape[0]), counts)
        cols = np.concatenate([np.asarray(f, dtype=np.intp) for f in found]) if rows.size else rows
        diff = np.abs(X[rows] - self.data[cols])
        if np.isinf(self._p):
            dist = diff.max(axis=1, initial=0.0)
        else:
            dist = (diff ** self._p).sum(axis=1) ** (1.0 / self._p)
        return rows, cols, dist


class BallTree(_NeighborTree):
    """Ball-tree query API; the search itself is brute force over chunks of queries."""

    valid_metrics = _BALL_METRICS
    accepts_callable = True

    def _kneighbors(self, X: np.ndarray, k: int):
        return brute_kneighbors(X, self.data, k, self._metric, self._params())

    def _radius_pairs(self, X: np.ndarray, radius: np.ndarray):
        return brute_radius_pairs(X, self.data, radius, self._metric, self._params())

    def _params(self) -> dict:
        return dict(self.metric_params) if self._metric == "minkowski" or callable(self._metric) else {}
