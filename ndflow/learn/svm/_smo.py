"""Sequential minimal optimisation for the SVM dual, in the style of LIBSVM.

Solves ``min ½ αᵀQα + pᵀα`` subject to ``yᵀα = const`` and ``0 ≤ α_i ≤ C_i`` where
``Q_ij = y_i y_j K_ij``. Each step picks the maximal-violating index ``i`` and, among the candidates,
the ``j`` with the largest second-order decrease of the objective (Fan, Chen & Lin 2005), updates the
pair analytically, and refreshes the whole gradient with two vector operations on cached kernel rows.
Stops when the maximal KKT violation ``m(α) - M(α)`` falls below ``tol``.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import numpy as np

__all__ = ["KernelRowCache", "solve_smo"]

_TAU = 1e-12


class KernelRowCache:
    """Least-recently-used cache of kernel rows ``K[i, :]`` bounded by ``cache_size`` megabytes."""

    def __init__(self, compute_row: Callable[[int], np.ndarray], n: int, cache_size: float) -> None:
        self._compute = compute_row
        self._rows: OrderedDict[int, np.ndarray] = OrderedDict()
        self._capacity = max(2, int(cache_size * 2 ** 20 // max(8 * n, 1)))

    def __getitem__(self, i: int) -> np.ndarray:
        row = self._rows.get(i)
        if row is not None:
            self._rows.move_to_end(i)
            return row
        row = self._compute(i)
        self._rows[i] = row
        if len(self._rows) > self._capacity:
            self._rows.popitem(last=False)
        return row


def _last_argmax(values: np.ndarray) -> int:
    """Index of the last maximum (LIBSVM keeps the last of tied candidates)."""
    return values.size - 1 - int(np.argmax(values[::-1]))


def solve_smo(kernel_row: Callable[[int], np.ndarray], diag: np.ndarray, y: np.ndarray, p: np.ndarray,
              C: np.ndarray, *, tol: float, max_iter: int = -1):
    """Solves the SVM dual.

    Args:
        kernel_row: ``i -> K[i, :]`` over all variables (cached by the caller).
        diag: ``K[i, i]`` for all variables.
        y: ``±1`` labels of the variables.
        p: linear term of the objective.
        C: upper bound per variable.
        tol: stopping tolerance on the maximal KKT violation.
        max_iter: iteration cap, ``-1`` for LIBSVM's default cap.

    Returns:
        ``(alpha, rho, n_iter, status)`` with ``status`` 1 when stopped by ``max_iter``.
    """
    from scipy.linalg.blas import daxpy

    n = y.size
    alpha = np.zeros(n)
    v = -y * p.astype(np.float64)  # -y G, the scores of the selection rule (G = p while α = 0)
    pos = y > 0
    # 0 where a variable may move up (resp. down) along its direction, -inf where it may not.
    up_pen = np.where(np.where(pos, alpha < C, alpha > 0), 0.0, -np.inf)
    low_pen = np.where(np.where(pos, alpha > 0, alpha < C), 0.0, -np.inf)
    y_list, C_list = y.tolist(), C.astype(np.float64).tolist()
    diag_list = diag.tolist()
    cap = max_iter if max_iter > 0 else max(10_000_000, 100 * n)
    scores = np.empty(n)
    quad = np.empty(n)
    n_iter = 0
    status = 0
    while True:
        if n_iter >= cap:
            status = 1
            break
        np.add(v, up_pen, out=scores)
        i = _last_argmax(scores)
        g_max = scores[i]
        if g_max == -np.inf:
            break
        np.subtract(low_pen, v, out=scores)
        g_max2 = scores.max()
        if g_max + g_max2 < tol:
            break
        K_i = kernel_row(i)
        # Second-order gain (g_max - v_t)² / (K_ii + K_tt - 2 K_it) over the candidates t.
        scores += g_max
        np.maximum(scores, 0.0, out=scores)
        np.square(scores, out=scores)
        np.multiply(K_i, -2.0, out=quad)
        quad += diag
        quad += diag_list[i]
        np.maximum(quad, _TAU, out=quad)
        scores /= quad
        j = _last_argmax(scores)
        n_iter += 1
        K_j = kernel_row(j)
        a_i, a_j = float(alpha[i]), float(alpha[j])
        C_i, C_j = C_list[i], C_list[j]
        y_i, y_j = y_list[i], y_list[j]
        G_i, G_j = -y_i * float(v[i]), -y_j * float(v[j])
        K_ij = float(K_i[j])
        if y_i != y_j:
            q = diag_list[i] + diag_list[j] + 2.0 * (y_i * y_j * K_ij)
            delta = (-G_i - G_j) / (q if q > 0 else _TAU)
            diff = a_i - a_j
            new_i, new_j = a_i + delta, a_j + delta
            if diff > 0:
                if new_j < 0:
                    new_j, new_i = 0.0, diff
            elif new_i < 0:
                new_i, new_j = 0.0, -diff
            if diff > C_i - C_j:
                if new_i > C_i:
                    new_i, new_j = C_i, C_i - diff
            elif new_j > C_j:
                new_j, new_i = C_j, C_j + diff
        else:
            q = diag_list[i] + diag_list[j] - 2.0 * (y_i * y_j * K_ij)
            delta = (G_i - G_j) / (q if q > 0 else _TAU)
            total = a_i + a_j
            new_i, new_j = a_i - delta, a_j + delta
            if total > C_i:
                if new_i > C_i:
                    new_i, new_j = C_i, total - C_i
            elif new_j < 0:
                new_j, new_i = 0.0, total
            if total > C_j:
                if new_j > C_j:
                    new_j, new_i = C_j, total - C_j
            elif new_i < 0:
                new_i, new_j = 0.0, total
        alpha[i], alpha[j] = new_i, new_j
        # v = -y G and G += Q_i dα_i + Q_j dα_j with Q_t = y_t y K_t, so v -= y_t dα_t K_t.
        daxpy(K_i, v, a=-y_i * (new_i - a_i))
        daxpy(K_j, v, a=-y_j * (new_j - a_j))
        for t, a_t, y_t in ((i, new_i, y_i), (j, new_j, y_j)):
            below_c, above_0 = a_t < C_list[t], a_t > 0
            up_pen[t] = 0.0 if (below_c if y_t > 0 else above_0) else -np.inf
            low_pen[t] = 0.0 if (above_0 if y_t > 0 else below_c) else -np.inf
    return alpha, _rho(alpha, -y * v, y, C), n_iter, status


def _rho(alpha, G, y, C) -> float:
    """Offset: the mean of ``y G`` over free variables, else the middle of the feasible interval."""
    yG = y * G
    at_upper = alpha >= C
    at_lower = alpha <= 0
    free = ~(at_upper | at_lower)
    if free.any():
        return float(yG[free].mean())
    ub_mask = (at_upper & (y < 0)) | (at_lower & (y > 0))
    lb_mask = (at_upper & (y > 0)) | (at_lower & (y < 0))
    ub = yG[ub_mask].min() if ub_mask.any() else np.inf
    lb = yG[lb_mask].max() if lb_mask.any() else -np.inf
    return float((ub + lb) / 2)
