"""Probability estimates for SVC: Platt sigmoids fitted on cross-validated decision values, then
pairwise coupling of the one-vs-one probabilities (Wu, Lin & Weng 2004, method 2)."""
from __future__ import annotations

import numpy as np

__all__ = ["fit_sigmoid", "sigmoid_predict", "couple_pairwise"]

_MIN_PROB = 1e-7


def _sigmoid_objective(dec, targets, A, B) -> float:
    f = dec * A + B
    return float(np.sum(np.where(f >= 0, targets * f + np.log1p(np.exp(-np.abs(f))),
                                 (targets - 1) * f + np.log1p(np.exp(-np.abs(f))))))


def fit_sigmoid(dec: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Fits ``P(y=+1 | f) = 1 / (1 + exp(A f + B))`` by Newton's method with backtracking.

    The method is Lin, Lin & Weng (2007).

    Targets are Platt's regularised ``(N₊+1)/(N₊+2)`` and ``1/(N₋+2)``.
    """
    positive = labels > 0
    prior1 = int(positive.sum())
    prior0 = labels.size - prior1
    targets = np.where(positive, (prior1 + 1.0) / (prior1 + 2.0), 1.0 / (prior0 + 2.0))
    A, B = 0.0, float(np.log((prior0 + 1.0) / (prior1 + 1.0)))
    fval = _sigmoid_objective(dec, targets, A, B)
    for _ in range(100):
        f = dec * A + B
        e = np.exp(-np.abs(f))
        p = np.where(f >= 0, e, 1.0) / (1.0 + e)  # 1 / (1 + exp(f))
        q = 1.0 - p
        d2 = p * q
        h11 = 1e-12 + float(dec * dec @ d2)
        h22 = 1e-12 + float(d2.sum())
        h21 = float(dec @ d2)
        d1 = targets - p
        g1, g2 = float(dec @ d1), float(d1.sum())
        if abs(g1) < 1e-5 and abs(g2) < 1e-5:
            break
        det = h11 * h22 - h21 * h21
        dA = -(h22 * g1 - h21 * g2) / det
        dB = -(-h21 * g1 + h11 * g2) / det
        gd = g1 * dA + g2 * dB
        step = 1.0
        while step >= 1e-10:
            new_A, new_B = A + step * dA, B + step * dB
            new_f = _sigmoid_objective(dec, targets, new_A, new_B)
            if new_f < fval + 1e-4 * step * gd:
                A, B, fval = new_A, new_B, new_f
                break
            step /= 2.0
        else:
            break
    return A, B


def sigmoid_predict(dec: np.ndarray, A: float, B: float) -> np.ndarray:
    """``1 / (1 + exp(A f + B))`` computed stably."""
    f = dec * A + B
    e = np.exp(-np.abs(f))
    return np.where(f >= 0, e, 1.0) / (1.0 + e)


def couple_pairwise(pair_dec: np.ndarray, probA: np.ndarray, probB: np.ndarray, n_classes: int) -> np.ndarray:
    """Class probabilities from one-vs-one decision values ``(n_samples, n_pairs)``.

    Solves ``min pᵀQp`` s.t. ``Σp = 1`` exactly (a small linear system per sample), the fixed point of
    LIBSVM's iterative coupling.
    """
    n = pair_dec.shape[0]
    r = np.zeros((n, n_classes, n_classes))
    k = 0
    for a in range(n_classes):
        for b in range(a + 1, n_classes):
            r_ab = np.clip(sigmoid_predict(pair_dec[:, k], probA[k], probB[k]), _MIN_PROB, 1 - _MIN_PROB)
            r[:, a, b], r[:, b, a] = r_ab, 1 - r_ab
            k += 1
    if n_classes == 2:
        return np.column_stack([r[:, 0, 1], r[:, 1, 0]])
    Q = -r.transpose(0, 2, 1) * r
    diag = (r ** 2).sum(axis=1)  # Σ_j r_jt²
    Q[:, np.arange(n_classes), np.arange(n_classes)] = diag
    system = np.zeros((n, n_classes + 1, n_classes + 1))
    system[:, :n_classes, :n_classes] = Q
    system[:, :n_classes, n_classes] = 1.0
    system[:, n_classes, :n_classes] = 1.0
    rhs = np.zeros((n, n_classes + 1, 1))
    rhs[:, n_classes] = 1.0
    p = np.linalg.solve(system, rhs)[:, :n_classes, 0]
    p = np.clip(p, 0.0, None)
    return p / p.sum(axis=1, keepdims=True)
