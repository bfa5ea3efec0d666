"""``KDTree`` (on ``scipy.spatial.cKDTree``) and ``BallTree`` (chunked brute force) with sklearn's query API.

Both answer k-nearest and radius queries; results are ordered by distance then index, as in the
estimators.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._distances import METRIC_ALIASES, iter_distance_chunks, k_smallest

__all__ = ["KDTree", "BallTree", "brute_kneighbors", "brute_radius_pairs", "pairs_to_csr",
           "split_rows"]

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


def _distance_chunks(X, fit_X, metric, params):
    if metric == "precomputed":
        step = max(1, (64 * 2**20) // (8 * max(X.shape[1], 1)))
        for start in range(0, X.shape[0], step):
            D = X[start:start + step]
            yield start, np.asarray(D.toarray() if hasattr(D, "toarray") else D, dtype=np.float64)
    else:
        yield from iter_distance_chunks(X, fit_X, metric, **params)


def brute_kneighbors(X, fit_X, k: int, metric, params: dict) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest rows of ``fit_X`` (or columns of a precomputed ``X``), over chunks of queries."""
    dist = np.empty((X.shape[0], k))
    ind = np.empty((X.shape[0], k), dtype=np.intp)
    for start, D in _distance_chunks(X, fit_X, metric, params):
        dist[start:start + len(D)], ind[start:start + len(D)] = k_smallest(D, k)
    return dist, ind


def brute_radius_pairs(X, fit_X, radius: np.ndarray, metric, params: dict):
    """``(rows, cols, distances)`` of all pairs within ``radius[row]``, in row-major order."""
    parts = [(np.empty(0, np.intp), np.empty(0, np.intp), np.empty(0))]
    for start, D in _distance_chunks(X, fit_X, metric, params):
        r, c = np.nonzero(D <= radius[start:start + len(D), None])
        parts.append((r + start, c, D[r, c]))
    return tuple(np.concatenate(p) for p in zip(*parts))


def pairs_to_csr(rows, cols, dist, n_rows: int, sort_results: bool = False):
    """Groups ``(row, col, distance)`` pairs by row as CSR parts ``(indptr, indices, distances)``.

    Within a row, entries are in index order, or by distance then index with ``sort_results``.
    """
    order = np.lexsort((cols, dist, rows)) if sort_results else np.lexsort((cols, rows))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_rows))])
    return indptr, cols[order], dist[order]


def split_rows(indptr: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Splits CSR-ordered ``values`` into an object array holding one 1-D array per row."""
    out = np.empty(len(indptr) - 1, dtype=object)
    out[:] = np.split(values, indptr[1:-1])
    return out


class _NeighborTree:
    """Query API shared by the two trees; subclasses implement ``_kneighbors`` and ``_radius_pairs``."""

    valid_metrics: tuple[str, ...] = ()

    def __init__(self, X: Any, leaf_size: int = 40, metric: str = "minkowski", **kwargs: Any) -> None:
        if metric not in self.valid_metrics:
            raise ValueError(f"metric {metric} is not valid for {type(self).__name__}")
        self.data = np.asarray(X, dtype=np.float64)
        if self.data.ndim != 2:
            raise ValueError("X must be 2-dimensional")
        if self.data.shape[0] == 0:
            raise ValueError("X is an empty array")
        self.leaf_size = leaf_size
        self.metric = metric
        self.metric_params = kwargs
        self._metric = METRIC_ALIASES[metric]
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
        return np.take_along_axis(dist, order, 1), np.take_along_axis(ind, order, 1).astype(np.intp)

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

    valid_metrics = _BALL_METRICS + ("cosine",)

    def _kneighbors(self, X: np.ndarray, k: int):
        return brute_kneighbors(X, self.data, k, self._metric, self._params())

    def _radius_pairs(self, X: np.ndarray, radius: np.ndarray):
        return brute_radius_pairs(X, self.data, radius, self._metric, self._params())

    def _params(self) -> dict:
        return dict(self.metric_params) if self._metric == "minkowski" else {}
