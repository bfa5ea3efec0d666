"""Regression on a transformed target, with predictions mapped back to the original scale."""

from __future__ import annotations

import warnings

import numpy as np

from ..base import BaseEstimator, RegressorMixin, clone
from ..utils.validation import check_array, check_is_fitted

__all__ = ["TransformedTargetRegressor"]


class TransformedTargetRegressor(RegressorMixin, BaseEstimator):
    """Fits ``regressor`` on ``transformer.transform(y)`` (or ``func(y)``) and inverts its predictions."""

    def __init__(self, regressor=None, *, transformer=None, func=None, inverse_func=None, check_inverse: bool = True):
        self.regressor = regressor
        self.transformer = transformer
        self.func = func
        self.inverse_func = inverse_func
        self.check_inverse = check_inverse

    def _fit_transformer(self, y: np.ndarray) -> None:
        if self.transformer is not None and (self.func is not None or self.inverse_func is not None):
            raise ValueError("'transformer' and functions 'func'/'inverse_func' cannot both be set.")
        if self.transformer is not None:
            self.transformer_ = clone(self.transformer)
        else:
            if self.func is not None and self.inverse_func is None:
                raise ValueError(
                    "When 'func' is provided, 'inverse_func' must also be provided. If inverse_func is "
                    "supposed to be the default, you need to explicitly pass it the identity function."
                )
            if self.inverse_func is not None and self.func is None:
                raise ValueError(
                    "When 'inverse_func' is provided, 'func' must also be provided. If func is supposed to be "
                    "the default, you need to explicitly pass it the identity function."
                )
            from ..preprocessing import FunctionTransformer

            self.transformer_ = FunctionTransformer(
                func=self.func,
                inverse_func=self.inverse_func,
                validate=True,
                check_inverse=self.check_inverse,
            )
        self.transformer_.fit(y)
        if self.check_inverse:
            rows = slice(None, None, max(1, y.shape[0] // 10))
            sample = y[rows]
            round_trip = self.transformer_.inverse_transform(self.transformer_.transform(sample))
            if not np.allclose(sample, round_trip):
                warnings.warn(
                    "The provided functions or transformer are not strictly inverse of each other. If you "
                    "are sure you want to proceed regardless, set 'check_inverse=False'",
                    UserWarning,
                    stacklevel=3,
                )

    def fit(self, X, y, **fit_params) -> TransformedTargetRegressor:
        """Fits the target transformer, then the regressor on the transformed target.

        Raises:
            ValueError: y is None, or both ``transformer`` and ``func`` are given.
        """
        if y is None:
            raise ValueError(f"This {type(self).__name__} estimator requires y to be passed, but the target y is None.")
        y = check_array(y, input_name="y", ensure_2d=False, dtype="numeric", allow_nd=True)
        self._training_dim = y.ndim
        y_2d = y.reshape(-1, 1) if y.ndim == 1 else y
        self._fit_transformer(y_2d)
        y_trans = self.transformer_.transform(y_2d)
        if y_trans.ndim == 2 and y_trans.shape[1] == 1 and self._training_dim == 1:
            y_trans = y_trans.ravel()
        if self.regressor is None:
            from ..linear_model import LinearRegression

            self.regressor_ = LinearRegression()
        else:
            self.regressor_ = clone(self.regressor)
        self.regressor_.fit(X, y_trans, **fit_params)
        if hasattr(self.regressor_, "feature_names_in_"):
            self.feature_names_in_ = self.regressor_.feature_names_in_
        return self

    def predict(self, X, **predict_params) -> np.ndarray:
        """The regressor's predictions mapped back through the inverse target transform."""
        check_is_fitted(self)
        pred = self.regressor_.predict(X, **predict_params)
        pred_2d = pred.reshape(-1, 1) if pred.ndim == 1 else pred
        out = self.transformer_.inverse_transform(pred_2d)
        if self._training_dim == 1 and out.ndim == 2 and out.shape[1] == 1:
            out = out.ravel()
        return out

    @property
    def n_features_in_(self) -> int:
        """The regressor's ``n_features_in_``."""
        return self.regressor_.n_features_in_
