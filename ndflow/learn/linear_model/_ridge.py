"""Ridge regression ``||y - X w||² + alpha ||w||²``: direct and iterative solvers, LOO-CV, a classifier."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..base import MultiOutputMixin, RegressorMixin
from ..utils.validation import _check_sample_weight, validate_data
from ._base import (
    LinearClassifierMixin,
    LinearModel,
    check_classification_targets,
    class_weight_per_sample,
    kfold_splits,
    preprocess_data,
    rescale_data,
)

__all__ = ["Ridge", "RidgeCV", "RidgeClassifier"]

_SOLVERS = ("auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs")


def _solve_cholesky(X, Y, alphas):
    import scipy.linalg

    n, p = X.shape
    same_alpha = np.all(alphas == alphas[0])
    if p > n:  # kernel form: w = X^T (X X^T + alpha I)^-1 y
        K = X @ X.T
        if same_alpha:
            dual = scipy.linalg.solve(K + alphas[0] * np.eye(n), Y, assume_a="pos")
        else:
            dual = np.column_stack([scipy.linalg.solve(K + a * np.eye(n), Y[:, k], assume_a="pos")
                                    for k, a in enumerate(alphas)])
        return (X.T @ dual).T
    A = X.T @ X
    XtY = X.T @ Y
    if same_alpha:
        return scipy.linalg.solve(A + alphas[0] * np.eye(p), XtY, assume_a="pos").T
    return np.vstack([scipy.linalg.solve(A + a * np.eye(p), XtY[:, k], assume_a="pos")
                      for k, a in enumerate(alphas)])


def _solve_svd(X, Y, alphas):
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    keep = s > 1e-15
    U, s, Vt = U[:, keep], s[keep], Vt[keep]
    UtY = U.T @ Y
    shrink = s[:, None] / (s[:, None] ** 2 + alphas[None, :])
    return (Vt.T @ (shrink * UtY)).T


def _solve_lsqr(X, Y, alphas, max_iter, tol):
    from scipy.sparse.linalg import lsqr

    coefs, n_iter = [], []
    for k, a in enumerate(alphas):
        out = lsqr(X, Y[:, k], damp=np.sqrt(a), atol=tol, btol=tol, iter_lim=max_iter)
        coefs.append(out[0])
        n_iter.append(out[2])
    return np.vstack(coefs), np.asarray(n_iter, dtype=np.int32)


def _solve_sparse_cg(X, Y, alphas, max_iter, tol):
    from scipy.sparse.linalg import LinearOperator, cg

    n, p = X.shape
    coefs, n_iter = [], []
    for k, a in enumerate(alphas):
        counter = [0]

        def count(_, counter=counter):
            counter[0] += 1

        if n > p:
            op = LinearOperator((p, p), matvec=lambda v, a=a: X.T @ (X @ v) + a * v, dtype=X.dtype)
            w, _ = cg(op, X.T @ Y[:, k], rtol=tol, atol=0.0, maxiter=max_iter, callback=count)
        else:
            op = LinearOperator((n, n), matvec=lambda v, a=a: X @ (X.T @ v) + a * v, dtype=X.dtype)
            dual, _ = cg(op, Y[:, k], rtol=tol, atol=0.0, maxiter=max_iter, callback=count)
            w = X.T @ dual
        coefs.append(w)
        n_iter.append(counter[0])
    return np.vstack(coefs), np.asarray(n_iter, dtype=np.int32)


def _solve_lbfgs(X, Y, alphas, max_iter, tol, positive):
    import scipy.optimize

    p = X.shape[1]
    coefs, n_iter = [], []
    for k, a in enumerate(alphas):
        y = Y[:, k]

        def objective(w, a=a, y=y):
            residual = X @ w - y
            return 0.5 * residual @ residual + 0.5 * a * w @ w, X.T @ residual + a * w

        bounds = [(0, np.inf)] * p if positive else None
        res = scipy.optimize.minimize(objective, np.zeros(p), jac=True, method="L-BFGS-B", bounds=bounds,
                                      options={"maxiter": max_iter or 15000, "gtol": tol,
                                               "ftol": 64 * np.finfo(float).eps})
        coefs.append(res.x)
        n_iter.append(res.nit)
    return np.vstack(coefs), np.asarray(n_iter, dtype=np.int32)


def _check_alpha(alpha, n_targets: int) -> np.ndarray:
    alphas = np.asarray(alpha, dtype=np.float64).ravel()
    if np.any(alphas < 0):
        raise ValueError(f"alpha == {alpha}, must be >= 0.0.")
    if alphas.size == 1:
        return np.repeat(alphas, n_targets)
    if alphas.size != n_targets:
        raise ValueError(f"Number of targets and number of penalties do not correspond: {n_targets} != "
                         f"{alphas.size}")
    return alphas


def _pick_solver(solver: str, positive: bool) -> str:
    if solver not in _SOLVERS:
        raise ValueError(f"The 'solver' parameter of Ridge must be a str among {set(_SOLVERS)}. "
                         f"Got {solver!r} instead.")
    if positive and solver not in ("auto", "lbfgs"):
        raise ValueError(
            f"solver='{solver}' does not support positive fitting. Please set the solver to 'auto' or "
            "'lbfgs', or set `positive=False`"
        )
    if solver == "lbfgs" and not positive:
        raise ValueError("'lbfgs' solver can be used only when positive=True. Please use another solver.")
    if solver == "auto":
        return "lbfgs" if positive else "cholesky"
    return solver


def ridge_solve(X, Y, alphas, solver, *, max_iter=None, tol=1e-4, positive=False):
    """Solves ridge on already centred/rescaled ``X`` and 2-D ``Y``.

    ``sag`` and ``saga`` are solved with LSQR on the same objective (same solution to tolerance).

    Returns:
        ``(coef of shape (n_targets, n_features), n_iter or None, solver actually used)``.
    """
    import scipy.linalg

    if solver == "cholesky":
        try:
            return _solve_cholesky(X, Y, alphas), None, "cholesky"
        except (np.linalg.LinAlgError, scipy.linalg.LinAlgError):
            solver = "svd"
    if solver == "svd":
        return _solve_svd(X, Y, alphas), None, "svd"
    if solver in ("lsqr", "sag", "saga"):
        coef, n_iter = _solve_lsqr(X, Y, alphas, max_iter, tol)
        return coef, n_iter, solver
    if solver == "sparse_cg":
        coef, n_iter = _solve_sparse_cg(X, Y, alphas, max_iter, tol)
        return coef, n_iter, solver
    coef, n_iter = _solve_lbfgs(X, Y, alphas, max_iter, tol, positive)
    return coef, n_iter, "lbfgs"


class _RidgeBase(LinearModel):
    def _fit_ridge(self, X, y, sample_weight, *, alpha, solver, max_iter=None, tol=1e-4, positive=False):
        solver = _pick_solver(solver, positive)
        y = np.asarray(y, dtype=X.dtype)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        Xc, yc, X_offset, y_offset = preprocess_data(X, y, self.fit_intercept, sample_weight)
        if sample_weight is not None:
            Xc, yc, _ = rescale_data(Xc, yc, sample_weight)
        Y = yc if yc.ndim > 1 else yc[:, None]
        alphas = _check_alpha(alpha, Y.shape[1])
        coef, n_iter, used = ridge_solve(Xc, Y, alphas, solver, max_iter=max_iter, tol=tol, positive=positive)
        # A single target, even as a column, gives 1-D coefficients (the intercept keeps y's trailing shape).
        self.coef_ = (coef.ravel() if coef.shape[0] == 1 else coef).astype(X.dtype, copy=False)
        self._set_intercept(X_offset, y_offset)
        self.intercept_ = np.asarray(self.intercept_, dtype=X.dtype)[()]  # float32 in, float32 out
        return n_iter, used


class Ridge(MultiOutputMixin, RegressorMixin, _RidgeBase):
    """Linear least squares with an L2 penalty ``alpha`` (a scalar or one per target).

    Solvers: ``cholesky`` (normal equations, kernel form when ``n_features > n_samples``), ``svd``,
    ``lsqr``, ``sparse_cg``, ``lbfgs`` (needed for ``positive``); ``sag``/``saga`` use LSQR.
    """

    def __init__(self, alpha: Any = 1.0, *, fit_intercept: bool = True, copy_X: bool = True,
                 max_iter: int | None = None, tol: float = 1e-4, solver: str = "auto",
                 positive: bool = False, random_state: Any = None) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.positive = positive
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None) -> Ridge:
        """Fits the ridge model; ``sample_weight`` weights the squared errors."""
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
        self.n_iter_, self.solver_ = self._fit_ridge(
            X, y, sample_weight, alpha=self.alpha, solver=self.solver, max_iter=self.max_iter, tol=self.tol,
            positive=self.positive)
        return self


class RidgeClassifier(LinearClassifierMixin, _RidgeBase):
    """Ridge regression on ``{-1, 1}`` targets (one column per class); predicts the highest score."""

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True, copy_X: bool = True,
                 max_iter: int | None = None, tol: float = 1e-4, class_weight: Any = None,
                 solver: str = "auto", positive: bool = False, random_state: Any = None) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.class_weight = class_weight
        self.solver = solver
        self.positive = positive
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None) -> RidgeClassifier:
        """Fits one ridge regression per class on ``±1`` targets (one for two classes)."""
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32])
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"The number of classes has to be greater than one; got {len(self.classes_)} class")
        Y = np.where(encoded[:, None] == np.arange(len(self.classes_))[None, :], 1.0, -1.0)
        if len(self.classes_) == 2:
            Y = Y[:, 1:]
        sw = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        sw = sw * class_weight_per_sample(self.class_weight, self.classes_, encoded)
        self.n_iter_, self.solver_ = self._fit_ridge(
            X, Y, sw, alpha=self.alpha, solver=self.solver, max_iter=self.max_iter, tol=self.tol,
            positive=self.positive)
        self.coef_ = np.atleast_2d(self.coef_)  # one row per binary problem
        return self


def _loo_squared_errors(X, y, alpha, fit_intercept, sample_weight):
    """Leave-one-out squared errors of ridge for every alpha, from one SVD of the centred data.

    With ``H = U diag(s²/(s²+alpha)) Uᵀ (+ the intercept direction)`` the LOO residual of sample i is
    ``(y_i - ŷ_i) / (1 - H_ii)``.

    Returns:
        array ``(n_samples, n_targets, n_alphas)``.
    """
    sw = np.ones(X.shape[0]) if sample_weight is None else sample_weight
    Xc, yc, _, _ = preprocess_data(X, y, fit_intercept, sample_weight)
    Xs, ys, root = rescale_data(Xc, yc, sw)
    Y = ys if ys.ndim > 1 else ys[:, None]
    U, s, _ = np.linalg.svd(Xs, full_matrices=False)
    keep = s > 1e-12 * max(s.max(initial=0.0), 1.0)
    U, s = U[:, keep], s[keep]
    UtY = U.T @ Y
    intercept_dir = root / np.linalg.norm(root) if fit_intercept else None
    errors = []
    for a in _as_alphas(alpha):
        shrink = s ** 2 / (s ** 2 + a)
        fitted = U @ (shrink[:, None] * UtY)
        h_diag = (U ** 2) @ shrink
        if intercept_dir is not None:
            h_diag = h_diag + intercept_dir ** 2
        residual = (Y - fitted) / (1.0 - h_diag)[:, None]
        errors.append(residual ** 2)
    return np.stack(errors, axis=-1)


def _r2(y_true, y_pred) -> float:
    """R² averaged uniformly over targets (the regressor's default score)."""
    y_true = np.reshape(y_true, (len(y_true), -1))
    y_pred = np.reshape(y_pred, (len(y_pred), -1))
    ss_res = ((y_true - y_pred) ** 2).sum(axis=0)
    ss_tot = ((y_true - y_true.mean(axis=0)) ** 2).sum(axis=0)
    return float(np.mean(1 - ss_res / np.where(ss_tot == 0, 1.0, ss_tot)))


def _as_alphas(alphas):
    return np.atleast_1d(np.asarray(alphas, dtype=np.float64))


class RidgeCV(MultiOutputMixin, RegressorMixin, _RidgeBase):
    """Ridge with ``alpha`` chosen by efficient leave-one-out CV (``cv=None``) or K-fold CV.

    Attributes:
        alpha_: the chosen penalty (an array with ``alpha_per_target``).
        best_score_: the best mean score (negative mean squared LOO error when ``scoring`` is None).
    """

    def __init__(self, alphas: Any = (0.1, 1.0, 10.0), *, fit_intercept: bool = True, scoring: Any = None,
                 cv: Any = None, gcv_mode: str | None = None, store_cv_results: bool = False,
                 alpha_per_target: bool = False) -> None:
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.gcv_mode = gcv_mode
        self.store_cv_results = store_cv_results
        self.alpha_per_target = alpha_per_target

    def fit(self, X, y, sample_weight=None) -> RidgeCV:
        """Selects ``alpha`` by cross-validation, then refits on all the data."""
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
        y = np.asarray(y, dtype=X.dtype)
        alphas = _as_alphas(self.alphas)
        if np.any(alphas <= 0):
            raise ValueError(f"alphas[{int(np.argmax(alphas <= 0))}] == {alphas[alphas <= 0][0]}, "
                             "must be > 0.0.")
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        if self.cv is None and self.scoring is None:
            scores = -_loo_squared_errors(X, y, alphas, self.fit_intercept, sample_weight)
            if self.store_cv_results:
                self.cv_results_ = -scores if y.ndim > 1 else -scores[:, 0, :]
        else:
            if self.store_cv_results:
                raise ValueError("cv!=None and store_cv_results=True are incompatible")
            if self.alpha_per_target:
                raise ValueError("cv!=None and alpha_per_target=True are incompatible")
            scores = self._kfold_scores(X, y, alphas, sample_weight)
        mean_scores = scores.mean(axis=0)  # (n_targets, n_alphas)
        if self.alpha_per_target and y.ndim > 1:
            best = mean_scores.argmax(axis=1)
            self.alpha_ = alphas[best]
            self.best_score_ = mean_scores[np.arange(len(best)), best]
        else:
            overall = mean_scores.mean(axis=0)
            best = int(overall.argmax())
            self.alpha_ = float(alphas[best])
            self.best_score_ = float(overall[best])
        self._fit_ridge(X, y, sample_weight, alpha=self.alpha_, solver="svd")
        return self

    def _kfold_scores(self, X, y, alphas, sample_weight):
        scorer = None
        if self.scoring is not None:
            from ..metrics import get_scorer

            scorer = get_scorer(self.scoring) if isinstance(self.scoring, str) else self.scoring
        folds = kfold_splits(self.cv, X, y)
        n_targets = y.shape[1] if y.ndim > 1 else 1
        scores = np.empty((len(folds), n_targets, len(alphas)))
        for f, (train, test) in enumerate(folds):
            for a, alpha in enumerate(alphas):
                sw = None if sample_weight is None else sample_weight[train]
                model = Ridge(alpha=alpha, fit_intercept=self.fit_intercept, solver="svd")
                model.fit(X[train], y[train], sample_weight=sw)
                if scorer is not None:
                    scores[f, :, a] = scorer(model, X[test], y[test])
                else:
                    scores[f, :, a] = _r2(y[test], model.predict(X[test]))
        return scores
