"""Kernels for the SVMs: whole matrices from ``ndflow.learn.metrics.pairwise``, fast rows for the solver.

The solver asks for one training row at a time, thousands of times; those rows are computed here with
precomputed squared norms and no per-call validation. Whole matrices (prediction) go through
``metrics.pairwise``.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["KERNELS", "kernel_matrix", "training_rows"]

KERNELS = ("linear", "poly", "rbf", "sigmoid", "precomputed")


def kernel_matrix(kernel: Any, X: np.ndarray, Y: np.ndarray, *, gamma: float, degree: float,
                  coef0: float) -> np.ndarray:
    """``K(X, Y)`` for a named kernel or a callable; ``X`` itself for ``"precomputed"``."""
    from ..metrics import pairwise

    if callable(kernel):
        return np.asarray(kernel(X, Y), dtype=np.float64)
    if kernel == "precomputed":
        return X
    if kernel == "linear":
        return pairwise.linear_kernel(X, Y)
    if kernel == "poly":
        return pairwise.polynomial_kernel(X, Y, degree=degree, gamma=gamma, coef0=coef0)
    if kernel == "rbf":
        return pairwise.rbf_kernel(X, Y, gamma=gamma)
    return pairwise.sigmoid_kernel(X, Y, gamma=gamma, coef0=coef0)


def training_rows(kernel: str, X: np.ndarray, *, gamma: float, degree: float,
                  coef0: float) -> tuple[Callable[[int], np.ndarray], np.ndarray]:
    """Returns ``(row(i) -> K[i, :], diag(K))`` over the rows of ``X`` (a kernel matrix if precomputed)."""
    if kernel == "precomputed":
        return (lambda i: X[i]), np.diag(X).astype(np.float64)
    sq_norms = np.einsum("ij,ij->i", X, X)
    if kernel == "linear":
        return (lambda i: X @ X[i]), sq_norms
    if kernel == "poly":
        return (lambda i: (gamma * (X @ X[i]) + coef0) ** degree), (gamma * sq_norms + coef0) ** degree
    if kernel == "sigmoid":
        return (lambda i: np.tanh(gamma * (X @ X[i]) + coef0)), np.tanh(gamma * sq_norms + coef0)

    scaled_sq = gamma * sq_norms

    def rbf_row(i: int) -> np.ndarray:
        # -gamma |x_i - x_t|² = 2 gamma x_i·x_t - gamma |x_t|² - gamma |x_i|², clipped at 0 then exp'd.
        row = X @ ((2.0 * gamma) * X[i])
        row -= scaled_sq
        row -= scaled_sq[i]
        np.minimum(row, 0.0, out=row)
        row[i] = 0.0
        return np.exp(row, out=row)

    return rbf_row, np.ones(X.shape[0])
