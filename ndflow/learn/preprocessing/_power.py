"""Power transforms (Yeo-Johnson, Box-Cox) that make features more Gaussian."""

from __future__ import annotations

import numpy as np

from ..base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from ..utils.validation import check_array, check_is_fitted, validate_data
from ._data import StandardScaler
from ._utils import FLOAT_DTYPES, check_option, sklearn_tags_hook, wrap_output

__all__ = ["PowerTransformer", "power_transform"]

_EPS = np.spacing(1.0)


def _yeo_johnson(x: np.ndarray, lmbda: float) -> np.ndarray:
    out = np.zeros_like(x)
    pos = x >= 0
    if abs(lmbda) < _EPS:
        out[pos] = np.log1p(x[pos])
    else:
        out[pos] = (np.power(x[pos] + 1, lmbda) - 1) / lmbda
    if abs(lmbda - 2) > _EPS:
        out[~pos] = -(np.power(-x[~pos] + 1, 2 - lmbda) - 1) / (2 - lmbda)
    else:
        out[~pos] = -np.log1p(-x[~pos])
    return out


def _yeo_johnson_inverse(x: np.ndarray, lmbda: float) -> np.ndarray:
    out = np.zeros_like(x)
    pos = x >= 0
    if abs(lmbda) < _EPS:
        out[pos] = np.expm1(x[pos])
    else:
        out[pos] = np.power(x[pos] * lmbda + 1, 1 / lmbda) - 1
    if abs(lmbda - 2) > _EPS:
        out[~pos] = 1 - np.power(-(2 - lmbda) * x[~pos] + 1, 1 / (2 - lmbda))
    else:
        out[~pos] = -np.expm1(-x[~pos])
    return out


def _yeo_johnson_lambda(x: np.ndarray) -> float:
    """Maximum-likelihood Yeo-Johnson exponent (Brent's method from the bracket (-2, 2))."""
    from scipy.optimize import brent

    x = x[~np.isnan(x)]
    if x.size < 2 or np.all(x == x[0]):
        return 1.0  # no spread to make Gaussian: keep the identity exponent
    log_term = np.sum(np.sign(x) * np.log1p(np.abs(x)))

    def neg_log_likelihood(lmbda: float) -> float:
        variance = np.var(_yeo_johnson(x, lmbda))
        if variance < np.finfo(np.float64).tiny:
            return np.inf
        return x.size / 2 * np.log(variance) - (lmbda - 1) * log_term

    return float(brent(neg_log_likelihood, brack=(-2, 2)))


def _box_cox_lambda(x: np.ndarray) -> float:
    from scipy import stats

    _, lmbda = stats.boxcox(x[~np.isnan(x)], lmbda=None)
    return float(lmbda)


class PowerTransformer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Per-feature power transform with a maximum-likelihood exponent, then (optionally) standardisation."""

    _update_sklearn_tags = sklearn_tags_hook(allow_nan=True)

    def __init__(self, method: str = "yeo-johnson", *, standardize: bool = True, copy: bool = True):
        self.method = method
        self.standardize = standardize
        self.copy = copy

    def _validate(self, X, reset: bool, check_positive: bool):
        X = validate_data(self, X, reset=reset, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", copy=True)
        if check_positive and self.method == "box-cox":
            with np.errstate(invalid="ignore"):
                if np.any(X <= 0):
                    raise ValueError("The Box-Cox transformation can only be applied to strictly positive data")
        return X

    def fit(self, X, y=None) -> PowerTransformer:
        """Estimates ``lambdas_`` (and the standardising scaler)."""
        self._fit(X, transform=False)
        return self

    def fit_transform(self, X, y=None):
        """Fits and returns the transformed ``X``."""
        X_in = X
        return wrap_output(self, self._fit(X, transform=True), X_in)

    def _fit(self, X, transform: bool):
        check_option(self, "method", self.method, ("yeo-johnson", "box-cox"))
        X = self._validate(X, reset=True, check_positive=True)
        find = _box_cox_lambda if self.method == "box-cox" else _yeo_johnson_lambda
        self.lambdas_ = np.array([find(X[:, j]) for j in range(X.shape[1])])
        if not (self.standardize or transform):
            return None
        Xt = self._power(X)
        if self.standardize:
            self._scaler = StandardScaler(copy=False).fit(Xt)
            Xt = self._scaler.transform(Xt)
        return Xt

    def _power(self, X: np.ndarray) -> np.ndarray:
        from scipy.special import boxcox

        for j, lmbda in enumerate(self.lambdas_):
            with np.errstate(invalid="ignore"):
                X[:, j] = boxcox(X[:, j], lmbda) if self.method == "box-cox" else _yeo_johnson(X[:, j], lmbda)
        return X

    def transform(self, X):
        """Applies the fitted power transform (and standardisation)."""
        check_is_fitted(self)
        X_in = X
        X = self._validate(X, reset=False, check_positive=True)
        Xt = self._power(X)
        if self.standardize:
            Xt = self._scaler.transform(Xt)
        return wrap_output(self, Xt, X_in)

    def inverse_transform(self, X):
        """Undoes standardisation and the power transform."""
        from scipy.special import inv_boxcox

        check_is_fitted(self)
        X = check_array(X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", copy=True)
        if self.standardize:
            X = self._scaler.inverse_transform(X)
        for j, lmbda in enumerate(self.lambdas_):
            X[:, j] = inv_boxcox(X[:, j], lmbda) if self.method == "box-cox" else (_yeo_johnson_inverse(X[:, j], lmbda))
        return X


def power_transform(X, method: str = "yeo-johnson", *, standardize: bool = True, copy: bool = True):
    """Function form of ``PowerTransformer``."""
    return PowerTransformer(method=method, standardize=standardize, copy=copy).fit_transform(X)
