"""A transformer built from a plain function (and optionally its inverse)."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, TransformerMixin
from ..utils.validation import _check_feature_names_in, check_array, validate_data
from ._utils import InvalidParameterError, available_if, is_pandas_df, wrap_output

__all__ = ["FunctionTransformer"]


def _record_input_shape(estimator, X, reset: bool) -> None:
    """Records/checks ``n_features_in_`` and ``feature_names_in_`` without converting ``X``."""
    validate_data(estimator, X, reset=reset, skip_check_array=True)
    if reset and not hasattr(X, "shape") and hasattr(X, "__len__") and len(X) and hasattr(X[0], "__len__"):
        estimator.n_features_in_ = len(X[0])


class FunctionTransformer(TransformerMixin, BaseEstimator):
    """Applies ``func`` (identity when None) in ``transform``, ``inverse_func`` in ``inverse_transform``."""

    def __init__(
        self,
        func=None,
        inverse_func=None,
        *,
        validate: bool = False,
        accept_sparse: bool = False,
        check_inverse: bool = True,
        feature_names_out=None,
        kw_args=None,
        inv_kw_args=None,
    ):
        self.func = func
        self.inverse_func = inverse_func
        self.validate = validate
        self.accept_sparse = accept_sparse
        self.check_inverse = check_inverse
        self.feature_names_out = feature_names_out
        self.kw_args = kw_args
        self.inv_kw_args = inv_kw_args

    def _update_sklearn_tags(self, tags) -> None:
        tags.no_validation = not self.validate
        tags.requires_fit = False
        tags.input_tags.sparse = not self.validate or self.accept_sparse

    def _check_input(self, X, reset: bool):
        if self.validate:
            return validate_data(self, X, reset=reset, accept_sparse=self.accept_sparse)
        _record_input_shape(self, X, reset)
        return X

    def fit(self, X, y=None) -> FunctionTransformer:
        """Records the input shape and, with ``check_inverse``, checks ``inverse_func(func(X)) ≈ X``."""
        if not (
            self.feature_names_out is None or callable(self.feature_names_out) or self.feature_names_out == "one-to-one"
        ):
            raise InvalidParameterError(
                "The 'feature_names_out' parameter of FunctionTransformer must be a str among "
                f"{{'one-to-one'}}, a callable or None. Got {self.feature_names_out!r} instead."
            )
        X = self._check_input(X, reset=True)
        if self.check_inverse and not (self.func is None or self.inverse_func is None):
            self._check_inverse_transform(X)
        return self

    def _check_inverse_transform(self, X) -> None:
        n_samples = X.shape[0] if hasattr(X, "shape") else len(X)
        rows = slice(None, None, max(1, n_samples // 100))
        sample = X.iloc[rows] if is_pandas_df(X) else X[rows]
        round_trip = self.inverse_transform(self.transform(sample))
        original = np.asarray(sample.toarray() if sp.issparse(sample) else sample)
        back = np.asarray(round_trip.toarray() if sp.issparse(round_trip) else round_trip)
        if original.dtype.kind not in "biuf" or back.dtype.kind not in "biuf":
            return
        if not np.allclose(original, back, equal_nan=True):
            warnings.warn(
                "The provided functions are not strictly inverse of each other. If you are sure you want to "
                "proceed regardless, set 'check_inverse=False'.",
                UserWarning,
                stacklevel=3,
            )

    def transform(self, X):
        """Returns ``func(X, **kw_args)``."""
        X_in = X
        X = self._check_input(X, reset=False)
        out = self._apply(X, self.func, self.kw_args)
        if self.feature_names_out is None or is_pandas_df(out):
            return out
        return wrap_output(self, out, X_in)

    def inverse_transform(self, X):
        """Returns ``inverse_func(X, **inv_kw_args)``."""
        if self.validate:
            X = check_array(X, accept_sparse=self.accept_sparse)
        return self._apply(X, self.inverse_func, self.inv_kw_args)

    @staticmethod
    def _apply(X, func, kw_args):
        if func is None:
            return X
        return func(X, **(kw_args if kw_args else {}))

    @available_if(lambda self: self.feature_names_out is not None)
    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Input names for ``feature_names_out="one-to-one"``, else ``feature_names_out(self, names)``."""
        if hasattr(self, "n_features_in_") or input_features is not None:
            names = _check_feature_names_in(self, input_features)
        else:
            names = None
        if self.feature_names_out == "one-to-one":
            return names
        return np.asarray(self.feature_names_out(self, names), dtype=object)
