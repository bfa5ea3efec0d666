"""Lasso and elastic net by coordinate descent, their regularisation paths and cross-validated variants.

Objective: ``1/(2 n) ||y - X w||² + alpha * l1_ratio * ||w||_1 + alpha * (1 - l1_ratio) / 2 * ||w||²``.
Coordinate descent sweeps the features (cyclically or at random); when the largest coefficient change
is small relative to the largest coefficient, the duality gap decides convergence (as in scikit-learn).
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..base import MultiOutputMixin, RegressorMixin
from ..exceptions import ConvergenceWarning
from ..utils.validation import _check_sample_weight, check_random_state, column_or_1d, validate_data
from ._base import LinearModel, kfold_splits, preprocess_data, rescale_data

__all__ = ["Lasso", "ElasticNet", "LassoCV", "ElasticNetCV", "enet_path", "lasso_path"]

_NOT_CONVERGED = (
    "Objective did not converge. You might want to increase the number of iterations, check the scale of "
    "the features or consider increasing regularisation."
)


class _Gram:
    """Quantities of the least-squares problem seen through ``G = XᵀX`` (for ``n_samples > n_features``)."""

    def __init__(self, X, y):
        self.G = X.T @ X
        self.Xty = X.T @ y
        self.yy = float(y @ y)
        self.diag = np.diag(self.G).copy()


def _duality_gap(w, XtR, R_norm2, Ry, l1, l2, positive):
    """Duality gap of the elastic net in scikit-learn's unnormalised scaling (``l1``, ``l2`` times n)."""
    w_l2 = float(w @ w) if l2 > 0 else 0.0
    if l1 == 0:
        if l2 == 0:
            return float(XtR @ XtR)
        return R_norm2 + 0.5 * l2 * w_l2 - Ry + float(XtR @ XtR) / (2 * l2)
    XtA = XtR - l2 * w
    dual_norm = float(XtA.max()) if positive else float(np.abs(XtA).max())
    primal = 0.5 * (R_norm2 + l2 * w_l2) + l1 * float(np.abs(w).sum())
    scale = l1 / dual_norm if dual_norm > l1 else 1.0
    dual = -0.5 * scale ** 2 * (R_norm2 + l2 * w_l2) + scale * Ry
    return primal - dual


def enet_coordinate_descent(X, y, w, l1, l2, max_iter, tol, rng, random, positive):
    """Minimises ``½||y - Xw||² + l1 ||w||_1 + ½ l2 ||w||²`` in place of ``w``.

    Uses the Gram matrix when ``n_samples > n_features`` (each coordinate step costs O(n_features)),
    residuals otherwise (O(n_samples)).

    Returns:
        ``(w, gap, scaled tol, n_iter)``.
    """
    n, p = X.shape
    d_w_tol = tol
    tol = tol * float(y @ y)
    use_gram = n > p
    if use_gram:
        gram = _Gram(X, y)
        norms = gram.diag
        q = gram.G @ w  # XᵀX w
    else:
        norms = np.einsum("ij,ij->j", X, X)
        R = y - X @ w

    def gap_now():
        if use_gram:
            XtR = gram.Xty - q
            wXty = float(w @ gram.Xty)
            R_norm2 = gram.yy - 2 * wXty + float(w @ q)
            Ry = gram.yy - wXty
        else:
            XtR = X.T @ R
            R_norm2 = float(R @ R)
            Ry = float(R @ y)
        return _duality_gap(w, XtR, R_norm2, Ry, l1, l2, positive)

    gap = gap_now()
    if gap <= tol:
        return w, gap, tol, 0
    norms_list = norms.tolist()
    n_iter = 0
    for n_iter in range(max_iter):
        order = rng.randint(0, p, size=p) if random else range(p)
        w_max = d_w_max = 0.0
        for j in order:
            norm_j = norms_list[j]
            if norm_j == 0.0:
                continue
            w_j = w[j]
            if use_gram:
                tmp = gram.Xty[j] - q[j] + w_j * norm_j
            else:
                tmp = X[:, j] @ R + w_j * norm_j
            if positive and tmp < 0:
                new = 0.0
            else:
                new = np.sign(tmp) * max(abs(tmp) - l1, 0.0) / (norm_j + l2)
            if new != w_j:
                w[j] = new
                if use_gram:
                    q += gram.G[:, j] * (new - w_j)
                else:
                    R -= X[:, j] * (new - w_j)
            d_w_max = max(d_w_max, abs(new - w_j))
            w_max = max(w_max, abs(new))
        if w_max == 0.0 or d_w_max / w_max <= d_w_tol or n_iter == max_iter - 1:
            gap = gap_now()
            if gap <= tol:
                break
    else:
        message = f"{_NOT_CONVERGED} Duality gap: {gap:.6e}, tolerance: {tol:.3e}"
        if l1 < np.finfo(np.float64).eps:
            message += ("\nLinear regression models with a zero l1 penalization strength are more "
                        "efficiently fitted using one of the solvers implemented in "
                        "sklearn.linear_model.Ridge/RidgeCV instead.")
        warnings.warn(message, ConvergenceWarning, stacklevel=3)
    return w, gap, tol, n_iter + 1


def alpha_grid(X, y, *, l1_ratio=1.0, fit_intercept=True, eps=1e-3, n_alphas=100, sample_weight=None,
               positive=False) -> np.ndarray:
    """Log-spaced alphas from the smallest alpha giving all-zero coefficients down to ``eps`` times it."""
    if l1_ratio == 0:
        raise ValueError(
            "Automatic alpha grid generation is not supported for l1_ratio=0. Please supply a grid by "
            "providing your estimator with the appropriate `alphas=` argument."
        )
    yw = y if sample_weight is None else (y * sample_weight if y.ndim == 1 else y * sample_weight[:, None])
    Xy = X.T @ yw
    if fit_intercept:
        X_mean = np.average(X, axis=0, weights=sample_weight)
        Xy = Xy - (np.outer(X_mean, yw.sum(axis=0)) if y.ndim > 1 else X_mean * yw.sum())
    Xy = Xy.reshape(X.shape[1], -1)
    n = X.shape[0] if sample_weight is None else sample_weight.sum()
    if positive:
        alpha_max = max(0.0, float(Xy.max())) / (n * l1_ratio)
    else:
        alpha_max = float(np.sqrt((Xy ** 2).sum(axis=1).max())) / (n * l1_ratio)
    if alpha_max <= np.finfo(np.float64).resolution:
        return np.full(n_alphas, np.finfo(np.float64).resolution)
    return np.geomspace(alpha_max, alpha_max * eps, num=n_alphas)


def enet_path(X, y, *, l1_ratio: float = 0.5, eps: float = 1e-3, n_alphas: int = 100, alphas=None,
              precompute: Any = "auto", Xy=None, copy_X: bool = True, coef_init=None, verbose: bool = False,
              return_n_iter: bool = False, positive: bool = False, check_input: bool = True, **params):
    """Elastic-net coefficients along a decreasing sequence of alphas (no intercept, no centring).

    Returns:
        ``(alphas, coefs, dual_gaps[, n_iters])``; ``coefs`` is ``(n_features, n_alphas)`` or
        ``(n_targets, n_features, n_alphas)``.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if alphas is None:
        alphas = alpha_grid(X, y, l1_ratio=l1_ratio, fit_intercept=False, eps=eps, n_alphas=n_alphas,
                            positive=positive)
    else:
        alphas = np.sort(np.asarray(alphas, dtype=np.float64))[::-1]
    n, p = X.shape
    Y = y[:, None] if y.ndim == 1 else y
    rng = check_random_state(params.get("random_state"))
    random = params.get("selection", "cyclic") == "random"
    max_iter, tol = params.get("max_iter", 1000), params.get("tol", 1e-4)
    coefs = np.empty((Y.shape[1], p, len(alphas)))
    gaps = np.empty(len(alphas))
    n_iters = []
    W = np.zeros((Y.shape[1], p)) if coef_init is None else np.array(coef_init, dtype=float).reshape(-1, p)
    for i, alpha in enumerate(alphas):
        gap_total = 0.0
        for k in range(Y.shape[1]):
            W[k], gap, _, it = enet_coordinate_descent(
                X, Y[:, k], W[k], alpha * l1_ratio * n, alpha * (1 - l1_ratio) * n, max_iter, tol, rng,
                random, positive)
            gap_total += gap
        coefs[..., i] = W
        gaps[i] = gap_total / n
        n_iters.append(it)
    coefs = coefs[0] if y.ndim == 1 else coefs
    if return_n_iter:
        return alphas, coefs, gaps, n_iters
    return alphas, coefs, gaps


def lasso_path(X, y, *, eps: float = 1e-3, n_alphas: int = 100, alphas=None, **params):
    """``enet_path`` with ``l1_ratio=1``."""
    return enet_path(X, y, l1_ratio=1.0, eps=eps, n_alphas=n_alphas, alphas=alphas, **params)


def _centred_weighted(X, y, fit_intercept, sample_weight):
    """Centres (weighted) and rescales by ``sqrt(sample_weight)`` normalised to sum to ``n_samples``."""
    if sample_weight is not None:
        sample_weight = sample_weight * (X.shape[0] / np.sum(sample_weight))
    Xc, yc, X_offset, y_offset = preprocess_data(X, y, fit_intercept, sample_weight)
    if sample_weight is not None:
        Xc, yc, _ = rescale_data(Xc, yc, sample_weight)
    return Xc, yc, X_offset, y_offset


class ElasticNet(MultiOutputMixin, RegressorMixin, LinearModel):
    """Linear regression with combined L1 and L2 penalties, fitted by coordinate descent."""

    path = staticmethod(enet_path)

    def __init__(self, alpha: float = 1.0, *, l1_ratio: float = 0.5, fit_intercept: bool = True,
                 precompute: Any = False, max_iter: int = 1000, copy_X: bool = True, tol: float = 1e-4,
                 warm_start: bool = False, positive: bool = False, random_state: Any = None,
                 selection: str = "cyclic") -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def fit(self, X, y, sample_weight=None, check_input: bool = True) -> ElasticNet:
        """Fits the coefficients by coordinate descent (one problem per target column).

        Raises:
            ValueError: invalid ``selection``, negative ``alpha`` or ``l1_ratio`` outside [0, 1].
        """
        if self.selection not in ("cyclic", "random"):
            raise ValueError(f"The 'selection' parameter of {type(self).__name__} must be a str among "
                             f"{{'cyclic', 'random'}}. Got {self.selection!r} instead.")
        if self.alpha < 0:
            raise ValueError(f"The 'alpha' parameter of {type(self).__name__} must be a float in the range "
                             f"[0.0, inf). Got {self.alpha!r} instead.")
        if not 0 <= self.l1_ratio <= 1:
            raise ValueError(f"The 'l1_ratio' parameter of {type(self).__name__} must be a float in the "
                             f"range [0.0, 1.0]. Got {self.l1_ratio!r} instead.")
        if self.alpha == 0:
            warnings.warn("With alpha=0, this algorithm does not converge well. You are advised to use the "
                          "LinearRegression estimator", stacklevel=2)
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
        dtype = X.dtype
        X = X.astype(np.float64, copy=False)
        y = np.asarray(y, dtype=np.float64)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        Xc, yc, X_offset, y_offset = _centred_weighted(X, y, self.fit_intercept, sample_weight)
        Y = yc[:, None] if yc.ndim == 1 else yc
        n, p = Xc.shape
        if self.warm_start and hasattr(self, "coef_"):
            W = np.array(self.coef_, dtype=float).reshape(Y.shape[1], p)
        else:
            W = np.zeros((Y.shape[1], p))
        rng = check_random_state(self.random_state)
        gaps, n_iters = np.zeros(Y.shape[1]), []
        l1 = self.alpha * self.l1_ratio * n
        l2 = self.alpha * (1 - self.l1_ratio) * n
        for k in range(Y.shape[1]):
            W[k], gap, _, it = enet_coordinate_descent(Xc, Y[:, k], W[k], l1, l2, self.max_iter, self.tol,
                                                       rng, self.selection == "random", self.positive)
            gaps[k] = gap / n
            n_iters.append(it)
        single = Y.shape[1] == 1  # a single target, even as a column, gives 1-D coefficients
        self.coef_ = W[0] if single else W
        self.dual_gap_ = gaps[0] if single else gaps
        self.n_iter_ = n_iters[0] if single else n_iters
        self.coef_ = self.coef_.astype(dtype, copy=False)
        self._set_intercept(X_offset, y_offset)
        self.intercept_ = np.asarray(self.intercept_, dtype=dtype)[()]  # float32 in, float32 out
        return self

    @property
    def sparse_coef_(self):
        """``coef_`` as a CSR matrix."""
        import scipy.sparse as sp

        return sp.csr_matrix(np.atleast_2d(self.coef_))


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty (``ElasticNet`` with ``l1_ratio=1``)."""

    path = staticmethod(enet_path)

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True, precompute: Any = False,
                 copy_X: bool = True, max_iter: int = 1000, tol: float = 1e-4, warm_start: bool = False,
                 positive: bool = False, random_state: Any = None, selection: str = "cyclic") -> None:
        super().__init__(alpha=alpha, l1_ratio=1.0, fit_intercept=fit_intercept, precompute=precompute,
                         max_iter=max_iter, copy_X=copy_X, tol=tol, warm_start=warm_start,
                         positive=positive, random_state=random_state, selection=selection)


class _EnetCVBase(RegressorMixin, LinearModel):
    """Shared ``fit`` of ``LassoCV``/``ElasticNetCV``: a warm-started path per fold, then a refit."""

    def _l1_ratios(self) -> np.ndarray:
        return np.atleast_1d(np.asarray(getattr(self, "l1_ratio", 1.0), dtype=float))

    def fit(self, X, y, sample_weight=None, **params) -> _EnetCVBase:
        """Chooses ``alpha_`` (and ``l1_ratio_``) by K-fold MSE, then refits on all the data.

        Raises:
            ValueError: a 2-D ``y``.
        """
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
        dtype = X.dtype
        X = X.astype(np.float64, copy=False)
        y = np.asarray(y, dtype=np.float64)
        if y.ndim > 1 and y.shape[1] > 1:
            raise ValueError(f"For multi-task outputs, use MultiTask{type(self).__name__}")
        y = column_or_1d(y, warn=True)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        l1_ratios = self._l1_ratios()
        if isinstance(self.alphas, (int, np.integer)):
            grids = np.array([alpha_grid(X, y, l1_ratio=r, fit_intercept=self.fit_intercept, eps=self.eps,
                                         n_alphas=int(self.alphas), sample_weight=sample_weight,
                                         positive=self.positive) for r in l1_ratios])
        else:
            grid = np.sort(np.asarray(self.alphas, dtype=float))[::-1]
            grids = np.tile(grid, (len(l1_ratios), 1))
        folds = kfold_splits(self.cv, X, y)
        mse = np.empty((len(l1_ratios), grids.shape[1], len(folds)))
        rng = check_random_state(self.random_state)
        for r, l1_ratio in enumerate(l1_ratios):
            for f, (train, test) in enumerate(folds):
                sw = None if sample_weight is None else sample_weight[train]
                Xc, yc, X_off, y_off = _centred_weighted(X[train], y[train], self.fit_intercept, sw)
                _, coefs, _ = enet_path(Xc, yc, l1_ratio=l1_ratio, alphas=grids[r], max_iter=self.max_iter,
                                        tol=self.tol, positive=self.positive, random_state=rng,
                                        selection=self.selection)
                intercepts = y_off - X_off @ coefs
                residual = X[test] @ coefs + intercepts - y[test][:, None]
                weights = None if sample_weight is None else sample_weight[test]
                mse[r, :, f] = np.average(residual ** 2, axis=0, weights=weights)
        mean_mse = mse.mean(axis=2)
        best_r, best_a = np.unravel_index(int(np.argmin(mean_mse)), mean_mse.shape)
        self.alpha_ = float(grids[best_r, best_a])
        self.l1_ratio_ = float(l1_ratios[best_r])
        model = ElasticNet(alpha=self.alpha_, l1_ratio=self.l1_ratio_, fit_intercept=self.fit_intercept,
                           max_iter=self.max_iter, tol=self.tol, positive=self.positive,
                           random_state=self.random_state, selection=self.selection)
        model.fit(X.astype(dtype, copy=False), y, sample_weight=sample_weight)
        self.coef_, self.intercept_ = model.coef_, model.intercept_
        self.dual_gap_, self.n_iter_ = model.dual_gap_, model.n_iter_
        single = len(l1_ratios) == 1
        self.alphas_ = grids[0] if single else grids
        self.mse_path_ = mse[0] if single else mse
        return self


class LassoCV(_EnetCVBase):
    """Lasso with ``alpha`` chosen by K-fold cross-validation along a regularisation path."""

    path = staticmethod(lasso_path)

    def __init__(self, *, eps: float = 1e-3, alphas: Any = 100, fit_intercept: bool = True,
                 precompute: Any = "auto", max_iter: int = 1000, tol: float = 1e-4, copy_X: bool = True,
                 cv: Any = None, verbose: Any = False, n_jobs: Any = None, positive: bool = False,
                 random_state: Any = None, selection: str = "cyclic") -> None:
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.copy_X = copy_X
        self.cv = cv
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def fit(self, X, y, sample_weight=None, **params) -> LassoCV:
        """Chooses ``alpha_`` by cross-validation and refits."""
        super().fit(X, y, sample_weight, **params)
        del self.l1_ratio_
        return self


class ElasticNetCV(_EnetCVBase):
    """Elastic net with ``alpha`` (and ``l1_ratio`` from a list) chosen by K-fold cross-validation."""

    path = staticmethod(enet_path)

    def __init__(self, *, l1_ratio: Any = 0.5, eps: float = 1e-3, alphas: Any = 100,
                 fit_intercept: bool = True, precompute: Any = "auto", max_iter: int = 1000,
                 tol: float = 1e-4, cv: Any = None, copy_X: bool = True, verbose: Any = 0, n_jobs: Any = None,
                 positive: bool = False,
                 random_state: Any = None, selection: str = "cyclic") -> None:
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.copy_X = copy_X
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
