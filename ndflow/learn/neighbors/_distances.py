"""Pairwise distances and k-smallest selection for the brute-force neighbor search.

All distances are computed in float64, over chunks of query rows so that memory stays bounded.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import scipy.sparse as sp

from ..._core.backend import get_namespace

__all__ = ["METRIC_ALIASES", "BRUTE_METRICS", "CHUNK_BYTES", "pairwise_distances", "iter_distance_chunks",
           "k_smallest"]

# Canonical names of the metrics understood here, by every accepted spelling.
METRIC_ALIASES = {
    "euclidean": "euclidean", "l2": "euclidean",
    "manhattan": "manhattan", "cityblock": "manhattan", "l1": "manhattan",
    "chebyshev": "chebyshev", "infinity": "chebyshev",
    "minkowski": "minkowski", "p": "minkowski",
    "sqeuclidean": "sqeuclidean",
    "cosine": "cosine",
    "precomputed": "precomputed",
}
BRUTE_METRICS = frozenset(METRIC_ALIASES)

# Bytes of float64 distances computed at once (one chunk of query rows against all fitted rows).
CHUNK_BYTES = 64 * 2**20


def _dense(a):
    return a.toarray() if sp.issparse(a) else a


def _squared_euclidean(X, Y):
    """``|x|² - 2 x·y + |y|²`` through one matrix product (also for sparse inputs), clipped at 0."""
    xp = get_namespace(X if not sp.issparse(X) else Y)
    x2 = np.asarray(X.multiply(X).sum(axis=1)).ravel() if sp.issparse(X) else xp.einsum("ij,ij->i", X, X)
    y2 = np.asarray(Y.multiply(Y).sum(axis=1)).ravel() if sp.issparse(Y) else xp.einsum("ij,ij->i", Y, Y)
    d2 = X @ Y.T
    d2 = d2.toarray() if sp.issparse(d2) else xp.array(d2, dtype=xp.result_type(d2, xp.float64), copy=False)
    # in place: these matrices are large, and extra temporaries cost more than the product itself
    d2 *= -2.0
    d2 += x2[:, None]
    d2 += y2[None, :]
    return xp.maximum(d2, 0.0, out=d2)


def _cosine(X, Y):
    xp = get_namespace(X if not sp.issparse(X) else Y)

    def unit(a):
        norms = np.sqrt(np.asarray(a.multiply(a).sum(axis=1)).ravel()) if sp.issparse(a) \
            else xp.sqrt(xp.einsum("ij,ij->i", a, a))
        norms[norms == 0.0] = 1.0
        return sp.diags(1.0 / norms) @ a if sp.issparse(a) else a / norms[:, None]

    sim = unit(X) @ unit(Y).T
    sim = sim.toarray() if sp.issparse(sim) else sim
    d = 1.0 - sim
    return xp.clip(d, 0.0, 2.0, out=d)


def pairwise_distances(X, Y, metric: str | Callable = "euclidean", **params) -> np.ndarray:
    """Distances between the rows of ``X`` and the rows of ``Y`` as a dense float64 matrix.

    Args:
        metric: a name from ``METRIC_ALIASES`` (not "precomputed") or a callable on two 1-D rows.
        params: metric parameters (``p`` for minkowski, ``w`` for weighted minkowski).
    """
    from scipy.spatial.distance import cdist

    if callable(metric):
        return cdist(_dense(X), _dense(Y), metric=lambda a, b: metric(a, b, **params))
    name = METRIC_ALIASES[metric]
    if name == "euclidean":
        return np.sqrt(_squared_euclidean(X, Y))
    if name == "sqeuclidean":
        return _squared_euclidean(X, Y)
    if name == "cosine":
        return _cosine(X, Y)
    X, Y = _dense(X), _dense(Y)
    if name == "manhattan":
        return cdist(X, Y, "cityblock")
    if name == "chebyshev":
        return cdist(X, Y, "chebyshev")
    p = params.get("p", 2)
    if np.isinf(p):
        return cdist(X, Y, "chebyshev")
    w = params.get("w")
    return cdist(X, Y, "minkowski", p=p, w=w) if w is not None else cdist(X, Y, "minkowski", p=p)


def iter_distance_chunks(X, Y, metric, **params) -> Iterator[tuple[int, np.ndarray]]:
    """Yields ``(start, D)`` where ``D`` holds the distances of ``X[start:start + len(D)]`` to ``Y``."""
    n_queries, n_fit = X.shape[0], Y.shape[0]
    step = max(1, CHUNK_BYTES // (8 * max(n_fit, 1)))
    Y = Y.astype(np.float64) if Y.dtype != np.float64 else Y
    for start in range(0, n_queries, step):
        chunk = X[start:start + step]
        chunk = chunk.astype(np.float64) if chunk.dtype != np.float64 else chunk
        yield start, pairwise_distances(chunk, Y, metric, **params)


def k_smallest(D: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` smallest entries of each row of ``D``, ordered by distance then by column index.

    Returns:
        ``(distances, indices)``, both of shape ``(n_rows, k)``.
    """
    xp = get_namespace(D)
    n = D.shape[1]
    if k < n:
        candidates = xp.argpartition(D, k - 1, axis=1)[:, :k]
    else:
        candidates = xp.broadcast_to(xp.arange(n), D.shape)
    cand_dist = xp.take_along_axis(D, candidates, axis=1)
    order = np.lexsort((candidates, cand_dist), axis=-1)
    ind = xp.take_along_axis(candidates, order, axis=1)
    dist = xp.take_along_axis(cand_dist, order, axis=1)
    if k < n:
        # argpartition picks arbitrarily among values tied with the k-th: redo those rows with a stable sort
        tied = xp.flatnonzero((D <= dist[:, -1:]).sum(axis=1) > k)
        if tied.size:
            ind[tied] = xp.argsort(D[tied], axis=1, kind="stable")[:, :k]
            dist[tied] = xp.take_along_axis(D[tied], ind[tied], axis=1)
    return dist, ind
