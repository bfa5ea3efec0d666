"""Logistic regression: binary log-loss or multinomial cross-entropy with L2, L1 or elastic-net penalties.

Every solver minimises the same objective, so they agree to tolerance:

* ``lbfgs``, ``newton-cg``, ``newton-cholesky``, ``sag``, ``saga`` (L2 or no penalty):
  ``1/S Σ s_i loss_i + 1/(2 C S) ||W||²`` (``S`` = total sample weight, intercepts not penalised), with
  ``scipy.optimize`` (L-BFGS-B, or Newton-CG with Hessian-vector products).
* ``saga`` with L1/elastic-net: the same plus ``l1_ratio/(C S) ||W||_1``; the L1 part is made smooth by
  splitting ``W = W⁺ - W⁻`` with ``W± ≥ 0`` and solved with L-BFGS-B.
* ``liblinear`` (two classes): ``C Σ s_i loss_i + penalty(w, intercept_scaling * b)`` — the intercept is a
  regularised extra feature, as in LIBLINEAR.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..base import BaseEstimator
from ..exceptions import ConvergenceWarning
from ..utils.validation import _check_sample_weight, check_is_fitted, validate_data
from ._base import (
    LinearClassifierMixin,
    SparseCoefMixin,
    check_classification_targets,
    class_weight_per_sample,
)

__all__ = ["LogisticRegression"]

_SOLVERS = ("lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag", "saga")


def _binary_loss(theta, X, y01, sw, l2, fit_intercept):
    """Weighted binary log-loss (already divided by S) + ½ l2 ||w||², and its gradient."""
    w = theta[:-1] if fit_intercept else theta
    z = X @ w + (theta[-1] if fit_intercept else 0.0)
    e = np.exp(-np.abs(z))  # one exponential serves both log(1 + e^z) and sigmoid(z)
    loss = float(sw @ (np.maximum(z, 0.0) + np.log1p(e) - y01 * z)) + 0.5 * l2 * float(w @ w)
    sigmoid = np.where(z >= 0, 1.0, e) / (1.0 + e)
    residual = sw * (sigmoid - y01)
    grad_w = X.T @ residual + l2 * w
    grad = np.append(grad_w, residual.sum()) if fit_intercept else grad_w
    return loss, grad


def _binary_hessp(theta, v, X, sw, l2, fit_intercept):
    from scipy.special import expit

    w = theta[:-1] if fit_intercept else theta
    z = X @ w + (theta[-1] if fit_intercept else 0.0)
    p = expit(z)
    d = sw * p * (1 - p)
    vw = v[:-1] if fit_intercept else v
    Xv = X @ vw + (v[-1] if fit_intercept else 0.0)
    dXv = d * Xv
    hv = X.T @ dXv + l2 * vw
    return np.append(hv, dXv.sum()) if fit_intercept else hv


def _multinomial_loss(theta, X, Y, sw, l2, fit_intercept):
    """Weighted multinomial cross-entropy (already divided by S) + ½ l2 ||W||², and its gradient."""
    from scipy.special import logsumexp

    k, p = Y.shape[1], X.shape[1]
    Wb = theta.reshape(k, p + fit_intercept)
    W = Wb[:, :p]
    Z = X @ W.T + (Wb[:, p] if fit_intercept else 0.0)
    lse = logsumexp(Z, axis=1)
    loss = float(sw @ (lse - (Z * Y).sum(axis=1))) + 0.5 * l2 * float((W * W).sum())
    R = sw[:, None] * (np.exp(Z - lse[:, None]) - Y)
    grad = R.T @ X + l2 * W
    if fit_intercept:
        grad = np.column_stack([grad, R.sum(axis=0)])
    return loss, grad.ravel()


def _multinomial_hessp(theta, v, X, Y, sw, l2, fit_intercept):
    from scipy.special import softmax

    k, p = Y.shape[1], X.shape[1]
    Wb = theta.reshape(k, p + fit_intercept)
    Vb = v.reshape(k, p + fit_intercept)
    P = softmax(X @ Wb[:, :p].T + (Wb[:, p] if fit_intercept else 0.0), axis=1)
    Zv = X @ Vb[:, :p].T + (Vb[:, p] if fit_intercept else 0.0)
    D = sw[:, None] * P * (Zv - (P * Zv).sum(axis=1, keepdims=True))
    hv = D.T @ X + l2 * Vb[:, :p]
    if fit_intercept:
        hv = np.column_stack([hv, D.sum(axis=0)])
    return hv.ravel()


def _split_l1(fun, n_params, penalised, l1):
    """Turns ``min f(θ) + l1 ||θ[penalised]||_1`` into a smooth bound-constrained problem.

    Returns:
        ``(objective on [θ_free, θ⁺, θ⁻], bounds, map back to θ)``.
    """
    n_pen = int(penalised.sum())

    def to_theta(z):
        theta = np.empty(n_params)
        theta[~penalised] = z[: n_params - n_pen]
        theta[penalised] = z[n_params - n_pen: n_params] - z[n_params:]
        return theta

    def objective(z):
        loss, grad = fun(to_theta(z))
        pos, neg = z[n_params - n_pen: n_params], z[n_params:]
        loss += l1 * (pos.sum() + neg.sum())
        g_pen = grad[penalised]
        return loss, np.concatenate([grad[~penalised], g_pen + l1, -g_pen + l1])

    bounds = [(None, None)] * (n_params - n_pen) + [(0, None)] * (2 * n_pen)
    return objective, bounds, to_theta


def _l1_start(theta0, penalised):
    pen = theta0[penalised]
    return np.concatenate([theta0[~penalised], np.maximum(pen, 0), np.maximum(-pen, 0)])


def _warn_not_converged(solver: str, n_iter: int, max_iter: int, message: str) -> None:
    msg = f"{solver} failed to converge after {n_iter} iteration(s) (status=1):\n{message}\n"
    if n_iter >= max_iter:
        msg += f"\nIncrease the number of iterations to improve the convergence (max_iter={max_iter})."
    msg += ("\nYou might also want to scale the data as shown in:\n"
            "    https://scikit-learn.org/stable/modules/preprocessing.html\n"
            "Please also refer to the documentation for alternative solver options:\n"
            "    https://scikit-learn.org/stable/modules/linear_model.html#logistic-regression")
    warnings.warn(msg, ConvergenceWarning, stacklevel=4)


def minimize_penalised(fun, hessp, theta0, *, l1, penalised, method, max_iter, tol, solver_name):
    """Minimises ``fun`` (+ ``l1 ||θ[penalised]||_1``); returns ``(θ, n_iter)``, warns if not converged."""
    import scipy.optimize

    if l1 > 0:
        objective, bounds, to_theta = _split_l1(fun, theta0.size, penalised, l1)
        res = scipy.optimize.minimize(objective, _l1_start(theta0, penalised), jac=True, method="L-BFGS-B",
                                      bounds=bounds, options={"maxiter": max_iter, "maxls": 50, "gtol": tol,
                                                              "ftol": 64 * np.finfo(float).eps})
        theta = to_theta(res.x)
    elif method == "newton-cg":
        res = scipy.optimize.minimize(fun, theta0, jac=True, hessp=hessp, method="Newton-CG",
                                      options={"maxiter": max_iter, "xtol": tol})
        theta = res.x
    else:
        res = scipy.optimize.minimize(fun, theta0, jac=True, method="L-BFGS-B",
                                      options={"maxiter": max_iter, "maxls": 50, "gtol": tol,
                                               "ftol": 64 * np.finfo(float).eps})
        theta = res.x
    n_iter = int(min(res.nit, max_iter))
    if res.status != 0 and (n_iter >= max_iter or method != "newton-cg"):
        _warn_not_converged(solver_name, n_iter, max_iter, str(res.message))
    return theta, n_iter


def _resolve_penalty(est) -> str | None:
    """The effective penalty: the deprecated ``penalty``, else derived from ``l1_ratio`` and ``C``."""
    if est.penalty == "deprecated":
        if est.l1_ratio is None:
            warnings.warn("'l1_ratio=None' was deprecated in version 1.8 and will trigger an error in 1.10. "
                          "Use 0<=l1_ratio<=1 instead.", FutureWarning, stacklevel=3)
        if est.l1_ratio == 0 or est.l1_ratio is None:
            penalty = "l2"
        elif est.l1_ratio == 1:
            penalty = "l1"
        else:
            penalty = "elasticnet"
        return None if est.C == np.inf else penalty
    warnings.warn(
        "'penalty' was deprecated in version 1.8 and will be removed in 1.10. To avoid this warning, leave "
        "'penalty' set to its default value and use 'l1_ratio' or 'C' instead. Use l1_ratio=0 instead of "
        "penalty='l2', l1_ratio=1 instead of penalty='l1', l1_ratio set to a float between 0 and 1 instead "
        "of penalty='elasticnet', and C=np.inf instead of penalty=None.", FutureWarning, stacklevel=3)
    if est.penalty not in ("l1", "l2", "elasticnet", None):
        raise ValueError(f"The 'penalty' parameter of LogisticRegression must be a str among "
                         f"{{'l1', 'l2', 'elasticnet'}} or None. Got {est.penalty!r} instead.")
    return est.penalty


def _check_solver(solver, penalty, dual) -> None:
    if solver not in _SOLVERS:
        raise ValueError(f"The 'solver' parameter of LogisticRegression must be a str among "
                         f"{set(_SOLVERS)}. Got {solver!r} instead.")
    if solver not in ("liblinear", "saga") and penalty not in ("l2", None):
        raise ValueError(f"Solver {solver} supports only 'l2' or None penalties, got {penalty} penalty.")
    if solver != "liblinear" and dual:
        raise ValueError(f"Solver {solver} supports only dual=False, got dual={dual}")
    if penalty == "elasticnet" and solver != "saga":
        raise ValueError(f"Only 'saga' solver supports elasticnet penalty, got solver={solver}.")
    if solver == "liblinear" and penalty is None:
        raise ValueError("C=np.inf as well as penalty=None is not supported for the liblinear solver")


class LogisticRegression(LinearClassifierMixin, SparseCoefMixin, BaseEstimator):
    """Logistic regression classifier: binary for two classes, multinomial (softmax) for more.

    ``liblinear`` handles two classes only (as in scikit-learn ≥ 1.8); use ``OneVsRestClassifier`` for
    one-vs-rest.
    """

    def __init__(self, penalty: Any = "deprecated", *, C: float = 1.0, l1_ratio: float | None = 0.0,
                 dual: bool = False, tol: float = 1e-4, fit_intercept: bool = True,
                 intercept_scaling: float = 1, class_weight: Any = None, random_state: Any = None,
                 solver: str = "lbfgs", max_iter: int = 100, verbose: int = 0, warm_start: bool = False,
                 n_jobs: Any = None) -> None:
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio
        self.dual = dual
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.random_state = random_state
        self.solver = solver
        self.max_iter = max_iter
        self.verbose = verbose
        self.warm_start = warm_start
        self.n_jobs = n_jobs

    def fit(self, X, y, sample_weight=None) -> LogisticRegression:
        """Fits the model.

        Raises:
            ValueError: unsupported solver/penalty combination, a single class, or ``liblinear`` with
                more than two classes.
        """
        penalty = _resolve_penalty(self)
        _check_solver(self.solver, penalty, self.dual)
        if not (isinstance(self.C, (int, float, np.number)) and self.C > 0):
            raise ValueError(f"The 'C' parameter of LogisticRegression must be a float in the range "
                             f"(0.0, inf]. Got {self.C!r} instead.")
        if penalty == "elasticnet" and self.l1_ratio is None:
            raise ValueError("l1_ratio must be specified when penalty is elasticnet.")
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32])
        dtype = X.dtype
        X = X.astype(np.float64, copy=False)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        n_classes = len(self.classes_)
        if self.solver == "liblinear" and n_classes > 2:
            raise ValueError(
                "The 'liblinear' solver does not support multiclass classification (n_classes >= 3). Either "
                "use another solver or wrap the estimator in a OneVsRestClassifier to keep applying a "
                "one-versus-rest scheme."
            )
        if n_classes < 2:
            raise ValueError("This solver needs samples of at least 2 classes in the data, but the data "
                             f"contains only one class: {self.classes_[0]!r}")
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64)
        sw = sw * class_weight_per_sample(self.class_weight, self.classes_, encoded, sw)
        if penalty is None:
            l1_ratio, inv_C = 0.0, 0.0
        else:
            l1_ratio = {"l2": 0.0, "l1": 1.0}.get(penalty, self.l1_ratio)
            inv_C = 1.0 / self.C
        if self.solver == "liblinear":
            self._fit_liblinear(X, encoded, sw, penalty)
            self.coef_ = self.coef_.astype(dtype, copy=False)
            return self

        fit_intercept = bool(self.fit_intercept)
        S = sw.sum()
        sw_norm = sw / S
        l2 = inv_C * (1 - l1_ratio) / S
        l1 = inv_C * l1_ratio / S
        p = X.shape[1]
        if n_classes == 2:
            y01 = encoded.astype(np.float64)
            n_params = p + fit_intercept

            def fun(t):
                return _binary_loss(t, X, y01, sw_norm, l2, fit_intercept)

            def hessp(t, v):
                return _binary_hessp(t, v, X, sw_norm, l2, fit_intercept)

            penalised = np.arange(n_params) < p
        else:
            Y = (encoded[:, None] == np.arange(n_classes)[None, :]).astype(np.float64)
            n_params = n_classes * (p + fit_intercept)

            def fun(t):
                return _multinomial_loss(t, X, Y, sw_norm, l2, fit_intercept)

            def hessp(t, v):
                return _multinomial_hessp(t, v, X, Y, sw_norm, l2, fit_intercept)

            penalised = (np.arange(n_params) % (p + fit_intercept)) < p
        theta0 = self._warm_start_theta(n_classes, p, fit_intercept, n_params)
        method = "newton-cg" if self.solver in ("newton-cg", "newton-cholesky") else "lbfgs"
        theta, n_iter = minimize_penalised(fun, hessp, theta0, l1=l1, penalised=penalised, method=method,
                                           max_iter=self.max_iter, tol=self.tol, solver_name=self.solver)
        Wb = theta.reshape(1 if n_classes == 2 else n_classes, p + fit_intercept)
        self.coef_ = Wb[:, :p].astype(dtype)  # float32 in, float32 out
        self.intercept_ = Wb[:, p].astype(dtype) if fit_intercept else np.zeros(Wb.shape[0], dtype=dtype)
        self.n_iter_ = np.asarray([n_iter], dtype=np.int32)
        return self

    def _warm_start_theta(self, n_classes, p, fit_intercept, n_params) -> np.ndarray:
        coef = getattr(self, "coef_", None) if self.warm_start else None
        if coef is None or coef.shape[1] != p or coef.shape[0] != (1 if n_classes == 2 else n_classes):
            return np.zeros(n_params)
        parts = [coef, self.intercept_[:, None]] if fit_intercept else [coef]
        return np.hstack(parts).ravel()

    def _fit_liblinear(self, X, encoded, sw, penalty) -> None:
        """LIBLINEAR's objective: ``C Σ s_i loss_i + penalty`` with the intercept as a regularised feature."""
        scaling = float(self.intercept_scaling) if self.fit_intercept else 0.0
        Xa = np.column_stack([X, np.full(X.shape[0], scaling)]) if self.fit_intercept else X
        y01 = encoded.astype(np.float64)
        csw = self.C * sw
        l2 = 1.0 if penalty == "l2" else 0.0

        def fun(t):
            return _binary_loss(t, Xa, y01, csw, l2, False)

        def hessp(t, v):
            return _binary_hessp(t, v, Xa, csw, l2, False)

        n_params = Xa.shape[1]
        theta, n_iter = minimize_penalised(
            fun, hessp, np.zeros(n_params), l1=1.0 if penalty == "l1" else 0.0,
            penalised=np.ones(n_params, dtype=bool), method="lbfgs", max_iter=self.max_iter,
            tol=self.tol, solver_name="liblinear")
        self.coef_ = theta[None, : X.shape[1]].copy()
        self.intercept_ = np.array([theta[-1] * scaling]) if self.fit_intercept else 0.0
        self.n_iter_ = np.asarray([n_iter], dtype=np.int32)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities: logistic for two classes, softmax of the scores for more."""
        from scipy.special import expit, softmax

        check_is_fitted(self)
        scores = self.decision_function(X)
        if scores.ndim == 1:
            p1 = expit(scores)
            return np.column_stack([1 - p1, p1])
        return softmax(scores, axis=1)

    def predict_log_proba(self, X) -> np.ndarray:
        """Log of ``predict_proba``, computed stably."""
        from scipy.special import log_expit, log_softmax

        check_is_fitted(self)
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return np.column_stack([log_expit(-scores), log_expit(scores)])
        return log_softmax(scores, axis=1)
