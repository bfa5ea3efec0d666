"""Clustering metrics that compare two labelings: Rand indices and mutual information."""
from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from ...utils.validation import check_array, check_consistent_length

__all__ = [
    "contingency_matrix",
    "pair_confusion_matrix",
    "rand_score",
    "adjusted_rand_score",
    "mutual_info_score",
    "normalized_mutual_info_score",
    "adjusted_mutual_info_score",
    "entropy",
    "homogeneity_completeness_v_measure",
    "homogeneity_score",
    "completeness_score",
    "v_measure_score",
    "fowlkes_mallows_score",
]


def check_clusterings(labels_true: Any, labels_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validates two labelings as 1-D arrays of the same length.

    Raises:
        ValueError: a labeling is not 1-D, or the lengths differ.
    """
    labels_true = check_array(labels_true, ensure_2d=False, ensure_min_samples=0, dtype=None)
    labels_pred = check_array(labels_pred, ensure_2d=False, ensure_min_samples=0, dtype=None)
    if labels_true.ndim != 1:
        raise ValueError(f"labels_true must be 1D: shape is {labels_true.shape!r}")
    if labels_pred.ndim != 1:
        raise ValueError(f"labels_pred must be 1D: shape is {labels_pred.shape!r}")
    check_consistent_length(labels_true, labels_pred)
    return labels_true, labels_pred


def contingency_matrix(labels_true: Any, labels_pred: Any, *, eps: float | None = None, sparse: bool = False,
                       dtype: Any = np.int64) -> Any:
    """Counts ``C[i, j]`` of samples in true class ``i`` and predicted cluster ``j`` (sorted label order).

    Raises:
        ValueError: ``eps`` together with ``sparse``.
    """
    if eps is not None and sparse:
        raise ValueError("Cannot set 'eps' when sparse=True")
    classes, class_idx = np.unique(labels_true, return_inverse=True)
    clusters, cluster_idx = np.unique(labels_pred, return_inverse=True)
    counts = sp.coo_matrix((np.ones(class_idx.shape[0]), (class_idx.ravel(), cluster_idx.ravel())),
                           shape=(classes.shape[0], clusters.shape[0]), dtype=dtype)
    if sparse:
        matrix = counts.tocsr()
        matrix.sum_duplicates()
        return matrix
    matrix = counts.toarray()
    return matrix + eps if eps is not None else matrix


def pair_confusion_matrix(labels_true: Any, labels_pred: Any) -> np.ndarray:
    """2x2 counts of sample pairs by (same cluster in ``labels_true``?, same cluster in ``labels_pred``?)."""
    labels_true, labels_pred = check_clusterings(labels_true, labels_pred)
    n = np.int64(labels_true.shape[0])
    c = contingency_matrix(labels_true, labels_pred, sparse=True, dtype=np.int64)
    n_c = np.ravel(c.sum(axis=1))
    n_k = np.ravel(c.sum(axis=0))
    sum_squares = (c.data ** 2).sum()
    out = np.empty((2, 2), dtype=np.int64)
    out[1, 1] = sum_squares - n
    out[0, 1] = (c @ n_k).sum() - sum_squares
    out[1, 0] = (c.T @ n_c).sum() - sum_squares
    out[0, 0] = n ** 2 - out[0, 1] - out[1, 0] - sum_squares
    return out


def rand_score(labels_true: Any, labels_pred: Any) -> float:
    """Fraction of sample pairs on which both labelings agree (same / different cluster)."""
    pairs = pair_confusion_matrix(labels_true, labels_pred)
    agree, total = pairs.diagonal().sum(), pairs.sum()
    if agree == total or total == 0:
        return 1.0
    return float(agree / total)


def adjusted_rand_score(labels_true: Any, labels_pred: Any) -> float:
    """Rand index corrected for chance: 0 for random labelings, 1 for identical ones."""
    (tn, fp), (fn, tp) = pair_confusion_matrix(labels_true, labels_pred).astype(np.float64)
    if fn == 0 and fp == 0:
        return 1.0
    return float(2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn)))


def entropy(labels: Any) -> float:
    """Shannon entropy (nats) of a labeling."""
    labels = np.asarray(labels)
    if labels.shape[0] == 0:
        return 1.0
    counts = np.unique(labels, return_counts=True)[1].astype(np.float64)
    if counts.size == 1:
        return 0.0
    total = counts.sum()
    return float(-np.sum((counts / total) * (np.log(counts) - np.log(total))))


def mutual_info_score(labels_true: Any, labels_pred: Any, *, contingency: Any = None) -> float:
    """Mutual information (nats) between two labelings, or of a given contingency matrix."""
    if contingency is None:
        labels_true, labels_pred = check_clusterings(labels_true, labels_pred)
        contingency = contingency_matrix(labels_true, labels_pred, sparse=True)
    else:
        contingency = check_array(contingency, accept_sparse=["csr", "csc", "coo"],
                                  dtype=[int, np.int32, np.int64])
    rows, cols, values = sp.find(contingency) if sp.issparse(contingency) else (
        *np.nonzero(contingency), contingency[np.nonzero(contingency)])
    total = values.sum()
    pi = np.ravel(contingency.sum(axis=1)).astype(np.float64)
    pj = np.ravel(contingency.sum(axis=0)).astype(np.float64)
    if pi.size == 1 or pj.size == 1:
        return 0.0
    values = values.astype(np.float64)
    p_ij = values / total
    log_outer = -np.log(pi[rows] * pj[cols]) + np.log(pi.sum()) + np.log(pj.sum())
    mi = p_ij * (np.log(values) - np.log(total)) + p_ij * log_outer
    mi = np.where(np.abs(mi) < np.finfo(mi.dtype).eps, 0.0, mi)
    return float(np.clip(mi.sum(), 0.0, None))


def _generalized_average(u: float, v: float, method: str) -> float:
    if method == "min":
        return min(u, v)
    if method == "geometric":
        return float(np.sqrt(u * v))
    if method == "arithmetic":
        return float(np.mean([u, v]))
    if method == "max":
        return max(u, v)
    raise ValueError("'average_method' must be 'min', 'geometric', 'arithmetic', or 'max'")


def _trivial(labels_true: np.ndarray, labels_pred: np.ndarray) -> bool:
    """Both labelings are empty or both put everything in one cluster (a perfect match by convention)."""
    n_classes, n_clusters = np.unique(labels_true).shape[0], np.unique(labels_pred).shape[0]
    return n_classes == n_clusters == 1 or n_classes == n_clusters == 0


def normalized_mutual_info_score(labels_true: Any, labels_pred: Any, *,
                                 average_method: str = "arithmetic") -> float:
    """Mutual information divided by a mean (``average_method``) of the two entropies."""
    labels_true, labels_pred = check_clusterings(labels_true, labels_pred)
    if _trivial(labels_true, labels_pred):
        return 1.0
    contingency = contingency_matrix(labels_true, labels_pred, sparse=True)
    mi = mutual_info_score(None, None, contingency=contingency)
    if mi == 0:
        return 0.0
    return float(mi / _generalized_average(entropy(labels_true), entropy(labels_pred), average_method))


def expected_mutual_information(contingency: Any, n_samples: int) -> float:
    """Expected mutual information of two random labelings with the row/column sums of ``contingency``.

    Sums the hypergeometric model of Vinh, Epps & Bailey (2010) over every feasible cell count.
    """
    from scipy.special import gammaln

    a = np.ravel(contingency.sum(axis=1)).astype(np.float64)
    b = np.ravel(contingency.sum(axis=0)).astype(np.float64)
    n = float(n_samples)
    if a.size == 1 or b.size == 1:
        return 0.0
    nij = np.arange(1, int(max(a.max(), b.max())) + 1, dtype=np.float64)
    log_ab = np.log(a)[:, None] + np.log(b)[None, :]
    const = (gammaln(a + 1)[:, None] + gammaln(b + 1)[None, :] + gammaln(n - a + 1)[:, None]
             + gammaln(n - b + 1)[None, :] - gammaln(n + 1))
    emi = 0.0
    for i in range(a.size):
        ai = a[i]
        lo = np.maximum(1, ai + b - n)[:, None]
        hi = np.minimum(ai, b)[:, None]
        k = nij[None, :]
        feasible = (k >= lo) & (k <= hi)
        k_safe = np.where(feasible, k, 1.0)
        bj = b[:, None]
        log_prob = (const[i][:, None] - gammaln(k_safe + 1) - gammaln(ai - k_safe + 1)
                    - gammaln(bj - k_safe + 1) - gammaln(n - ai - bj + k_safe + 1))
        terms = (k_safe / n) * (np.log(n) + np.log(k_safe) - log_ab[i][:, None]) * np.exp(log_prob)
        emi += terms[feasible].sum()
    return float(emi)


def adjusted_mutual_info_score(labels_true: Any, labels_pred: Any, *,
                               average_method: str = "arithmetic") -> float:
    """Mutual information adjusted for chance: ``(MI - E[MI]) / (mean(H) - E[MI])``."""
    labels_true, labels_pred = check_clusterings(labels_true, labels_pred)
    if _trivial(labels_true, labels_pred):
        return 1.0
    contingency = contingency_matrix(labels_true, labels_pred, sparse=True)
    mi = mutual_info_score(None, None, contingency=contingency)
    emi = expected_mutual_information(contingency, labels_true.shape[0])
    normalizer = _generalized_average(entropy(labels_true), entropy(labels_pred), average_method)
    denominator = normalizer - emi
    eps = np.finfo(np.float64).eps
    denominator = min(denominator, -eps) if denominator < 0 else max(denominator, eps)
    return float((mi - emi) / denominator)


def homogeneity_completeness_v_measure(labels_true: Any, labels_pred: Any, *,
                                       beta: float = 1.0) -> tuple[float, float, float]:
    """``MI / H(true)``, ``MI / H(pred)`` and their weighted harmonic mean (``beta`` weights completeness)."""
    labels_true, labels_pred = check_clusterings(labels_true, labels_pred)
    if len(labels_true) == 0:
        return 1.0, 1.0, 1.0
    h_true, h_pred = entropy(labels_true), entropy(labels_pred)
    mi = mutual_info_score(None, None, contingency=contingency_matrix(labels_true, labels_pred, sparse=True))
    homogeneity = mi / h_true if h_true else 1.0
    completeness = mi / h_pred if h_pred else 1.0
    if homogeneity + completeness == 0.0:
        return float(homogeneity), float(completeness), 0.0
    v_measure = (1 + beta) * homogeneity * completeness / (beta * homogeneity + completeness)
    return float(homogeneity), float(completeness), float(v_measure)


def homogeneity_score(labels_true: Any, labels_pred: Any) -> float:
    """1 when every cluster holds members of a single class."""
    return homogeneity_completeness_v_measure(labels_true, labels_pred)[0]


def completeness_score(labels_true: Any, labels_pred: Any) -> float:
    """1 when all members of a class fall in the same cluster."""
    return homogeneity_completeness_v_measure(labels_true, labels_pred)[1]


def v_measure_score(labels_true: Any, labels_pred: Any, *, beta: float = 1.0) -> float:
    """Weighted harmonic mean of homogeneity and completeness."""
    return homogeneity_completeness_v_measure(labels_true, labels_pred, beta=beta)[2]


def fowlkes_mallows_score(labels_true: Any, labels_pred: Any) -> float:
    """Geometric mean of pairwise precision and recall: ``TP / sqrt((TP + FP)(TP + FN))``."""
    labels_true, labels_pred = check_clusterings(labels_true, labels_pred)
    n = labels_true.shape[0]
    c = contingency_matrix(labels_true, labels_pred, sparse=True).astype(np.int64)
    tk = np.dot(c.data, c.data) - n
    pk = np.sum(np.asarray(c.sum(axis=0)).ravel().astype(np.int64) ** 2) - n
    qk = np.sum(np.asarray(c.sum(axis=1)).ravel().astype(np.int64) ** 2) - n
    return float(np.sqrt(tk / pk) * np.sqrt(tk / qk)) if tk != 0 else 0.0
