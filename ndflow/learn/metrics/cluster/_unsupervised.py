"""Clustering metrics that need only the data and the labels: the silhouette coefficient."""
from __future__ import annotations

from typing import Any

import numpy as np

from ...utils.validation import check_random_state, check_X_y

__all__ = ["silhouette_score", "silhouette_samples"]

_ROWS_PER_CHUNK = 1024


def _check_number_of_labels(n_labels: int, n_samples: int) -> None:
    if not 1 < n_labels < n_samples:
        raise ValueError(f"Number of labels is {n_labels}. Valid values are 2 to n_samples - 1 (inclusive)")


def silhouette_samples(X: Any, labels: Any, *, metric: str = "euclidean", **kwds: Any) -> np.ndarray:
    """Silhouette coefficient ``(b - a) / max(a, b)`` of each sample (0 for singleton clusters).

    ``a`` is the mean distance to the other members of the sample's cluster, ``b`` the smallest mean
    distance to the members of another cluster.

    Raises:
        ValueError: fewer than 2 or as many labels as samples; a precomputed matrix with a non-zero diagonal.
    """
    from ..pairwise import pairwise_distances

    X, labels = check_X_y(X, labels, accept_sparse=["csr"])
    if metric == "precomputed":
        atol = np.finfo(X.dtype).eps * 100 if X.dtype.kind == "f" else 0
        if np.any(np.abs(X.diagonal()) > atol):
            raise ValueError("The precomputed distance matrix contains non-zero elements on the diagonal. "
                             "Use np.fill_diagonal(X, 0).")
    classes, encoded = np.unique(labels, return_inverse=True)
    n_samples = labels.shape[0]
    _check_number_of_labels(len(classes), n_samples)
    freqs = np.bincount(encoded)
    onehot = np.zeros((n_samples, len(classes)))
    onehot[np.arange(n_samples), encoded] = 1.0

    intra = np.empty(n_samples)
    inter = np.empty(n_samples)
    for start in range(0, n_samples, _ROWS_PER_CHUNK):
        rows = slice(start, min(start + _ROWS_PER_CHUNK, n_samples))
        dist = X[rows] if metric == "precomputed" else pairwise_distances(X[rows], X, metric=metric, **kwds)
        cluster_sums = np.asarray(dist) @ onehot
        own = encoded[rows]
        idx = np.arange(cluster_sums.shape[0])
        intra[rows] = cluster_sums[idx, own]
        means = cluster_sums / freqs
        means[idx, own] = np.inf
        inter[rows] = means.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        intra /= (freqs - 1)[encoded]
        scores = (inter - intra) / np.maximum(intra, inter)
    return np.nan_to_num(scores)


def silhouette_score(X: Any, labels: Any, *, metric: str = "euclidean", sample_size: int | None = None,
                     random_state: Any = None, **kwds: Any) -> float:
    """Mean silhouette coefficient, optionally over a random subset of ``sample_size`` samples."""
    if sample_size is not None:
        X, labels = check_X_y(X, labels, accept_sparse=["csc", "csr"])
        indices = check_random_state(random_state).permutation(X.shape[0])[:sample_size]
        X = X[indices][:, indices] if metric == "precomputed" else X[indices]
        labels = labels[indices]
    return float(np.mean(silhouette_samples(X, labels, metric=metric, **kwds)))
