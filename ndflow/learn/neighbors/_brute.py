"""Brute-force neighbor search over chunks of queries, and grouping of radius results by query (CSR)."""
from __future__ import annotations

import numpy as np

from ._distances import CHUNK_BYTES, iter_distance_chunks, k_smallest

__all__ = ["brute_kneighbors", "brute_radius_pairs", "pairs_to_csr", "split_rows"]


def _distance_chunks(X, fit_X, metric, params):
    if metric != "precomputed":
        yield from iter_distance_chunks(X, fit_X, metric, **params)
        return
    step = max(1, CHUNK_BYTES // (8 * max(X.shape[1], 1)))  # X already holds the distances
    for start in range(0, X.shape[0], step):
        yield start, np.asarray(X[start:start + step], dtype=np.float64)


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
