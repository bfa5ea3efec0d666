"""Linear SVMs with LIBLINEAR's objectives: ``LinearSVC`` (one-vs-rest) and ``LinearSVR``.

The intercept is an extra feature of value ``intercept_scaling`` and is regularised, as in LIBLINEAR.
Each formulation is solved with SciPy's L-BFGS-B on vectorised objectives:

* primal squared hinge / squared epsilon-insensitive: smooth, unconstrained;
* primal L1 penalty: split ``w = w⁺ - w⁻`` with ``w± ≥ 0``;
* duals (hinge, squared hinge, (squared) epsilon-insensitive): box-constrained quadratics whose
  products with ``Q = (y x)(y x)ᵀ`` are computed through ``X`` without forming ``Q``.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..base import BaseEstimator, RegressorMixin
from ..exceptions import ConvergenceWarning
from ..linear_model._base import (
    LinearClassifierMixin,
    SparseCoefMixin,
    check_classification_targets,
    compute_class_weight,
)
from ..utils.validation import _check_sample_weight, check_is_fitted, validate_data

__all__ = ["LinearSVC", "LinearSVR"]

_SOLVERS = {
    "hinge": {"l2": {True}},
    "squared_hinge": {"l1": {False}, "l2": {False, True}},
    "epsilon_insensitive": {"l2": {True}},
    "squared_epsilon_insensitive": {"l2": {False, True}},
}


def _check_combination(penalty, loss, dual) -> None:
    by_penalty = _SOLVERS.get(loss)
    if by_penalty is None:
        problem = f"loss='{loss}' is not supported"
    elif penalty not in by_penalty:
        problem = f"The combination of penalty='{penalty}' and loss='{loss}' is not supported"
    elif dual not in by_penalty[penalty]:
        problem = (f"The combination of penalty='{penalty}' and loss='{loss}' are not supported when "
                   f"dual={dual}")
    else:
        return
    raise ValueError(f"Unsupported set of arguments: {problem}, Parameters: penalty={penalty!r}, "
                     f"loss={loss!r}, dual={dual!r}")


def _resolve_dual(dual, penalty, loss, X) -> bool:
    """``dual="auto"``: dual when fewer samples than features, if the combination allows it."""
    if dual != "auto":
        return bool(dual)
    prefer = X.shape[0] < X.shape[1]
    try:
        _check_combination(penalty, loss, prefer)
        return prefer
    except ValueError:
        return not prefer


def _lbfgs(fun, x0, bounds, max_iter, gtol):
    import scipy.optimize

    res = scipy.optimize.minimize(fun, x0, jac=True, method="L-BFGS-B", bounds=bounds,
                                  options={"maxiter": max_iter, "gtol": gtol, "maxls": 50,
                                           "ftol": 64 * np.finfo(float).eps})
    return res.x, int(res.nit)


def _solve_primal_l2(Xa, y, C, loss, eps, max_iter, tol):
    """``½||w||² + Σ C_i loss_i`` for squared hinge (``y=±1``) or squared epsilon-insensitive."""
    def fun(w):
        z = Xa @ w
        if loss == "squared_hinge":
            slack = np.maximum(0.0, 1.0 - y * z)
            return 0.5 * w @ w + C @ slack ** 2, w - Xa.T @ (2.0 * C * slack * y)
        r = z - y
        excess = np.maximum(0.0, np.abs(r) - eps)
        return 0.5 * w @ w + C @ excess ** 2, w + Xa.T @ (2.0 * C * excess * np.sign(r))

    return _lbfgs(fun, np.zeros(Xa.shape[1]), None, max_iter, tol)


def _solve_primal_l1(Xa, y, C, max_iter, tol):
    """``||w||_1 + Σ C_i max(0, 1 - y_i w·x_i)²`` with ``w = w⁺ - w⁻``."""
    p = Xa.shape[1]

    def fun(z):
        w = z[:p] - z[p:]
        slack = np.maximum(0.0, 1.0 - y * (Xa @ w))
        g = -Xa.T @ (2.0 * C * slack * y)
        return z.sum() + C @ slack ** 2, np.concatenate([g + 1.0, -g + 1.0])

    z, n_iter = _lbfgs(fun, np.zeros(2 * p), [(0, None)] * (2 * p), max_iter, tol)
    return z[:p] - z[p:], n_iter


def _solve_dual_svc(Xa, y, C, loss, max_iter, tol):
    """Dual of hinge (``0 ≤ α ≤ C``) or squared hinge (``α ≥ 0``, diagonal ``1/(2C)``).

    Returns:
        ``(w = Σ α_i y_i x_i, n_iter)``.
    """
    Z = Xa * y[:, None]
    extra = 0.5 / C if loss == "squared_hinge" else np.zeros_like(C)

    def fun(a):
        w = Z.T @ a
        Qa = Z @ w + extra * a
        return 0.5 * a @ Qa - a.sum(), Qa - 1.0

    bounds = [(0, c) for c in C] if loss == "hinge" else [(0, None)] * C.size
    a, n_iter = _lbfgs(fun, np.zeros(C.size), bounds, max_iter, tol)
    return Z.T @ a, n_iter


def _solve_dual_svr(Xa, y, C, loss, eps, max_iter, tol):
    """Dual of (squared) epsilon-insensitive regression with ``β = α⁺ - α⁻``; ``w = Σ β_i x_i``."""
    n = y.size
    extra = 0.5 / C if loss == "squared_epsilon_insensitive" else np.zeros_like(C)

    def fun(z):
        beta = z[:n] - z[n:]
        w = Xa.T @ beta
        Kb = Xa @ w + extra * beta
        g = Kb - y
        return 0.5 * beta @ Kb - y @ beta + eps * z.sum(), np.concatenate([g + eps, -g + eps])

    upper = list(C) if loss == "epsilon_insensitive" else [None] * n
    bounds = [(0, u) for u in upper] * 2
    z, n_iter = _lbfgs(fun, np.zeros(2 * n), bounds, max_iter, tol)
    return Xa.T @ (z[:n] - z[n:]), n_iter


def _with_intercept(X, fit_intercept, intercept_scaling):
    if not fit_intercept:
        return X
    return np.column_stack([X, np.full(X.shape[0], float(intercept_scaling))])


def _split_intercept(w, fit_intercept, intercept_scaling):
    if fit_intercept:
        return w[:-1], intercept_scaling * w[-1]
    return w, 0.0


def _warn_if_not_converged(n_iter: int, max_iter: int) -> None:
    if n_iter >= max_iter:
        warnings.warn("Liblinear failed to converge, increase the number of iterations.", ConvergenceWarning,
                      stacklevel=3)


class LinearSVC(LinearClassifierMixin, SparseCoefMixin, BaseEstimator):
    """Linear support vector classifier (LIBLINEAR's objectives); one-vs-rest for several classes."""

    def __init__(self, penalty: str = "l2", loss: str = "squared_hinge", *, dual: Any = "auto",
                 tol: float = 1e-4, C: float = 1.0, multi_class: str = "ovr", fit_intercept: bool = True,
                 intercept_scaling: float = 1, class_weight: Any = None, verbose: int = 0,
                 random_state: Any = None, max_iter: int = 1000) -> None:
        self.penalty = penalty
        self.loss = loss
        self.dual = dual
        self.tol = tol
        self.C = C
        self.multi_class = multi_class
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.verbose = verbose
        self.random_state = random_state
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None) -> LinearSVC:
        """Fits one linear SVM per class (one for two classes).

        Raises:
            ValueError: an unsupported penalty/loss/dual combination or a single class.
            NotImplementedError: ``multi_class="crammer_singer"``.
        """
        if self.multi_class == "crammer_singer":
            raise NotImplementedError("multi_class='crammer_singer' is not supported yet")
        if self.multi_class != "ovr":
            raise ValueError(
                f"`multi_class` must be one of `ovr`, `crammer_singer`, got {self.multi_class!r}")
        if not self.C > 0:
            raise ValueError(f"The 'C' parameter of LinearSVC must be a float in the range (0.0, inf). Got "
                             f"{self.C!r} instead.")
        X, y = validate_data(self, X, y, dtype=np.float64, order="C")
        check_classification_targets(y)
        dual = _resolve_dual(self.dual, self.penalty, self.loss, X)
        _check_combination(self.penalty, self.loss, dual)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError("This solver needs samples of at least 2 classes in the data, but the data "
                             f"contains only one class: {self.classes_[0]!r}")
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64)
        C = self.C * compute_class_weight(self.class_weight, self.classes_, encoded, sw)[encoded] * sw
        Xa = _with_intercept(X, self.fit_intercept, self.intercept_scaling)
        targets = [1] if n_classes == 2 else range(n_classes)
        gtol = self.tol * 1e-2
        weights, n_iter = [], 0
        for k in targets:
            y_pm = np.where(encoded == k, 1.0, -1.0)
            if dual:
                w, it = _solve_dual_svc(Xa, y_pm, C, self.loss, self.max_iter, gtol)
            elif self.penalty == "l1":
                w, it = _solve_primal_l1(Xa, y_pm, C, self.max_iter, gtol)
            else:
                w, it = _solve_primal_l2(Xa, y_pm, C, self.loss, 0.0, self.max_iter, gtol)
            weights.append(w)
            n_iter = max(n_iter, it)
        W = np.vstack(weights)
        if self.fit_intercept:
            self.coef_, self.intercept_ = W[:, :-1].copy(), self.intercept_scaling * W[:, -1]
        else:
            self.coef_, self.intercept_ = W, 0.0
        self.n_iter_ = n_iter
        _warn_if_not_converged(n_iter, self.max_iter)
        return self


class LinearSVR(RegressorMixin, BaseEstimator):
    """Linear support vector regression (LIBLINEAR's epsilon-insensitive objectives)."""

    def __init__(self, *, epsilon: float = 0.0, tol: float = 1e-4, C: float = 1.0,
                 loss: str = "epsilon_insensitive", fit_intercept: bool = True,
                 intercept_scaling: float = 1.0, dual: Any = "auto", verbose: int = 0,
                 random_state: Any = None, max_iter: int = 1000) -> None:
        self.epsilon = epsilon
        self.tol = tol
        self.C = C
        self.loss = loss
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.dual = dual
        self.verbose = verbose
        self.random_state = random_state
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None) -> LinearSVR:
        """Fits the linear epsilon-SVR.

        Raises:
            ValueError: an unsupported loss/dual combination.
        """
        X, y = validate_data(self, X, y, dtype=np.float64, order="C", y_numeric=True)
        y = np.asarray(y, dtype=np.float64)
        dual = _resolve_dual(self.dual, "l2", self.loss, X)
        _check_combination("l2", self.loss, dual)
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64)
        C = self.C * sw
        Xa = _with_intercept(X, self.fit_intercept, self.intercept_scaling)
        gtol = self.tol * 1e-2
        if dual:
            w, n_iter = _solve_dual_svr(Xa, y, C, self.loss, self.epsilon, self.max_iter, gtol)
        else:
            w, n_iter = _solve_primal_l2(Xa, y, C, self.loss, self.epsilon, self.max_iter, gtol)
        self.coef_, intercept = _split_intercept(w, self.fit_intercept, self.intercept_scaling)
        self.intercept_ = np.array([intercept]) if self.fit_intercept else 0.0
        self.n_iter_ = n_iter
        _warn_if_not_converged(n_iter, self.max_iter)
        return self

    def predict(self, X) -> np.ndarray:
        """``X @ coef_ + intercept_``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.coef_ + (self.intercept_[0] if self.fit_intercept else 0.0)
