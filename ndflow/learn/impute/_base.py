"""Univariate imputation (``SimpleImputer``) and missing-value indicators (``MissingIndicator``)."""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..._core.backend import get_namespace
from ..base import BaseEstimator, TransformerMixin
from ..preprocessing._utils import FLOAT_DTYPES, check_option, is_pandas_df, sklearn_tags_hook, wrap_output
from ..utils.validation import _check_feature_names_in, check_array, check_is_fitted, validate_data

__all__ = ["SimpleImputer", "MissingIndicator"]


def _is_nan_scalar(value: Any) -> bool:
    return isinstance(value, numbers.Real) and np.isnan(value)


def _is_pandas_na(value: Any) -> bool:
    return type(value).__name__ == "NAType"


def missing_mask(X: np.ndarray, missing_values: Any) -> np.ndarray:
    """Boolean mask of the entries of ``X`` equal to ``missing_values`` (NaN, None and pd.NA aware)."""
    xp = get_namespace(X)
    if _is_nan_scalar(missing_values) or _is_pandas_na(missing_values):
        if X.dtype.kind == "f":
            return xp.isnan(X)
        if X.dtype.kind == "O":
            return np.asarray((X != X) | np.equal(X, None), dtype=bool)
        return xp.zeros(X.shape, dtype=bool)
    if missing_values is None:
        return np.asarray(np.equal(X, None), dtype=bool)
    return np.asarray(X == missing_values, dtype=bool)


def validate_missing(
    estimator: Any, X: Any, *, reset: bool, dtype: Any, copy: bool = False, accept_sparse: Any = False
) -> Any:
    """Validates ``X`` for an imputer: NaN allowed when it marks missing values, strings as objects.

    Raises:
        ValueError: ``X`` and ``missing_values`` of incompatible kinds, or an unsupported dtype.
    """
    missing_values = estimator.missing_values
    allow_nan = _is_nan_scalar(missing_values) or _is_pandas_na(missing_values) or missing_values is None
    if is_pandas_df(X) and dtype is None and any(d.kind not in "biuf" for d in X.dtypes):
        validate_data(estimator, X, reset=reset, skip_check_array=True)
        X = check_array(X.astype(object), dtype=object, ensure_all_finite=False)
    else:
        X = validate_data(
            estimator,
            X,
            reset=reset,
            dtype=dtype,
            copy=copy,
            accept_sparse=accept_sparse,
            ensure_all_finite="allow-nan" if allow_nan else True,
        )
    if X.dtype.kind in "US":
        X = X.astype(object)
    if X.dtype.kind not in "iufO" and X.dtype.kind != "b":
        raise ValueError(
            f"{type(estimator).__name__} does not support data with dtype {X.dtype}. Please provide either a "
            "numeric array (with a floating point or integer dtype) or categorical data represented either "
            "as an array with integer dtype or an array of string values with an object dtype."
        )
    numeric_x = X.dtype.kind in "iufb"
    if numeric_x and not (isinstance(missing_values, numbers.Real) or allow_nan):
        raise ValueError(
            "'X' and 'missing_values' types are expected to be both numerical. Got X.dtype="
            f"{X.dtype} and  type(missing_values)={type(missing_values)}."
        )
    return X


class MissingIndicator(TransformerMixin, BaseEstimator):
    """Boolean mask of the missing entries, restricted to the features that had missing values in ``fit``."""

    _update_sklearn_tags = sklearn_tags_hook(allow_nan=True, sparse=True, string=True, preserves_dtype=[])

    def __init__(
        self,
        *,
        missing_values=np.nan,
        features: str = "missing-only",
        sparse="auto",
        error_on_new: bool = True,
    ):
        self.missing_values = missing_values
        self.features = features
        self.sparse = sparse
        self.error_on_new = error_on_new

    def _mask(self, X) -> np.ndarray:
        if sp.issparse(X):
            return missing_mask(X.toarray(), self.missing_values)
        return missing_mask(X, self.missing_values)

    def _validate(self, X, reset: bool):
        return validate_missing(self, X, reset=reset, dtype=None, accept_sparse=("csr", "csc"))

    def fit(self, X, y=None) -> MissingIndicator:
        """Stores ``features_``: the columns with missing values (or all with ``features="all"``)."""
        check_option(self, "features", self.features, ("missing-only", "all"))
        if not (self.sparse == "auto" or isinstance(self.sparse, bool)):
            raise ValueError(f"'sparse' has to be a boolean or 'auto'. Got {self.sparse!r} instead.")
        X = self._validate(X, reset=True)
        mask = self._mask(X)
        self._n_features = X.shape[1]
        self._sparse_input = sp.issparse(X)
        if self.features == "all":
            self.features_ = np.arange(X.shape[1])
        else:
            self.features_ = np.flatnonzero(mask.any(axis=0))
        return self

    def transform(self, X):
        """Returns the missing-value mask of the ``features_`` columns.

        Raises:
            ValueError: with ``error_on_new``, missing values in columns that had none in ``fit``.
        """
        check_is_fitted(self)
        X_in = X
        X = self._validate(X, reset=False)
        mask = self._mask(X)
        if self.features == "missing-only":
            new = np.setdiff1d(np.flatnonzero(mask.any(axis=0)), self.features_)
            if self.error_on_new and new.size:
                raise ValueError(
                    f"The features {new} have missing values in transform but have no missing values in fit."
                )
            mask = mask[:, self.features_]
        sparse = self.sparse if isinstance(self.sparse, bool) else sp.issparse(X)
        out = sp.csc_matrix(mask) if sparse else mask
        return wrap_output(self, out, X_in)

    def fit_transform(self, X, y=None):
        """Fits and returns the mask of ``X``."""
        return self.fit(X, y).transform(X)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names ``missingindicator_<feature>``."""
        check_is_fitted(self, "n_features_in_")
        names = _check_feature_names_in(self, input_features)
        return np.asarray([f"missingindicator_{names[i]}" for i in self.features_], dtype=object)


class _BaseImputer(TransformerMixin, BaseEstimator):
    """Optional missing-indicator columns appended after the imputed ones."""

    def _fit_indicator(self, X) -> None:
        if self.add_indicator:
            self.indicator_ = MissingIndicator(missing_values=self.missing_values, error_on_new=False)
            self.indicator_.fit(X)
        else:
            self.indicator_ = None

    def _concatenate_indicator(self, imputed, indicator):
        if indicator is None:
            return imputed
        if sp.issparse(imputed) or sp.issparse(indicator):
            return sp.hstack([imputed, indicator]).tocsr()
        return np.hstack([imputed, indicator.astype(imputed.dtype, copy=False)])

    def _indicator_names(self, names) -> list:
        if not self.add_indicator:
            return []
        return list(self.indicator_.get_feature_names_out(names))


def _most_frequent(values: np.ndarray) -> Any:
    """The most frequent value (the smallest one among ties)."""
    uniques, counts = np.unique(values, return_counts=True)
    return uniques[np.argmax(counts)]


class SimpleImputer(_BaseImputer):
    """Replaces missing values column by column with the mean, median, most frequent value or a constant."""

    _update_sklearn_tags = sklearn_tags_hook(allow_nan=True, sparse=True)

    def __init__(
        self,
        *,
        missing_values=np.nan,
        strategy="mean",
        fill_value=None,
        copy: bool = True,
        add_indicator: bool = False,
        keep_empty_features: bool = False,
    ):
        self.missing_values = missing_values
        self.strategy = strategy
        self.fill_value = fill_value
        self.copy = copy
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    def _validate_input(self, X, reset: bool):
        if sp.issparse(X) and self.missing_values == 0:
            raise ValueError(
                "Imputation not possible when missing_values == 0 and input is sparse. Provide a dense array instead."
            )
        numeric = self.strategy in ("mean", "median")
        try:
            X = validate_missing(
                self,
                X,
                reset=reset,
                dtype=FLOAT_DTYPES if numeric else None,
                copy=self.copy,
                accept_sparse="csc",
            )
        except ValueError as exc:
            if "could not convert" in str(exc):
                raise ValueError(f"Cannot use {self.strategy} strategy with non-numeric data:\n{exc}") from None
            raise
        return X

    def fit(self, X, y=None) -> SimpleImputer:
        """Computes ``statistics_``, the fill value of every column (NaN for all-missing columns).

        Raises:
            ValueError: a strategy that does not fit the data, or a bad ``fill_value``.
        """
        if not callable(self.strategy):
            check_option(self, "strategy", self.strategy, ("mean", "median", "most_frequent", "constant"))
        X = self._validate_input(X, reset=True)
        fill_value = self.fill_value
        if fill_value is None:
            fill_value = 0 if X.dtype.kind in "iufb" else "missing_value"
        if self.strategy == "constant" and X.dtype.kind in "iuf" and not isinstance(fill_value, numbers.Real):
            raise ValueError(
                f"fill_value={fill_value!r} (of type {type(fill_value)!r}) cannot be cast to the input data "
                f"that is {X.dtype!r}. If fill_value is a Python scalar, instead pass  a numpy scalar (e.g. "
                "fill_value=np.uint8(0) if your data is of type np.uint8). Make sure that both dtypes are of "
                "the same kind."
            )
        if sp.issparse(X):
            self.statistics_ = self._sparse_statistics(X, fill_value)
        else:
            mask = missing_mask(X, self.missing_values)
            self.statistics_ = self._statistics(X, mask, mask.all(axis=0), fill_value)
        self._fit_indicator(X)
        return self

    def _sparse_statistics(self, X, fill_value: Any) -> np.ndarray:
        """Per-column statistics of a CSC matrix, counting its implicit zeros as observed values."""
        n_samples, n_features = X.shape
        empty_value = 0 if self.keep_empty_features else np.nan
        pick = {"mean": np.mean, "median": np.median, "most_frequent": _most_frequent}.get(self.strategy)
        stats = np.empty(n_features, dtype=np.float64)
        for j in range(n_features):
            stored = X.data[X.indptr[j] : X.indptr[j + 1]]
            present = stored[~missing_mask(stored, self.missing_values)]
            observed = np.concatenate([present, np.zeros(n_samples - stored.size, dtype=stored.dtype)])
            if observed.size == 0:
                stats[j] = empty_value
            elif self.strategy == "constant":
                stats[j] = fill_value
            else:
                stats[j] = (pick or self.strategy)(observed)
        return stats

    def _statistics(self, X: np.ndarray, mask: np.ndarray, empty: np.ndarray, fill_value: Any) -> np.ndarray:
        n_features = X.shape[1]
        numeric = X.dtype.kind in "iufb"
        empty_value = 0 if self.keep_empty_features else np.nan
        if self.strategy == "constant":
            stats = np.full(n_features, fill_value, dtype=X.dtype if numeric else object)
            if not self.keep_empty_features and empty.any():
                stats = stats.astype(object)
                stats[empty] = np.nan
            return stats
        if self.strategy == "mean":
            xp = get_namespace(X)
            counts = (~mask).sum(axis=0)
            sums = xp.where(mask, 0.0, X).sum(axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                stats = sums / counts
            stats[empty] = empty_value
            return stats
        if self.strategy == "median":
            stats = np.nanmedian(np.where(mask, np.nan, X), axis=0) if X.shape[0] else np.full(n_features, np.nan)
            stats[empty] = empty_value
            return stats
        pick = _most_frequent if self.strategy == "most_frequent" else self.strategy
        stats = np.empty(n_features, dtype=np.float64 if numeric else object)
        for j in range(n_features):
            stats[j] = empty_value if empty[j] else pick(X[~mask[:, j], j])
        return stats

    def _empty_features(self) -> np.ndarray:
        stats = self.statistics_
        if stats.dtype.kind == "f":
            return np.isnan(stats)
        return np.array([_is_nan_scalar(s) for s in stats], dtype=bool)

    def transform(self, X):
        """Fills the missing entries with ``statistics_`` (dropping all-missing columns) and appends the
        indicator columns when ``add_indicator``.
        """
        check_is_fitted(self)
        X_in = X
        X = self._validate_input(X, reset=False)
        indicator = self.indicator_.transform(X) if self.add_indicator else None
        empty = self._empty_features()
        if empty.any():
            warnings.warn(
                f"Skipping features without any observed values: {np.flatnonzero(empty)}. At least one "
                f"non-missing value is needed for imputation with strategy='{self.strategy}'.",
                stacklevel=2,
            )
        keep = ~empty
        if sp.issparse(X):
            return wrap_output(self, self._concatenate_indicator(self._fill_sparse(X, keep), indicator), X_in)
        mask = missing_mask(X, self.missing_values)
        X, mask, stats = X[:, keep], mask[:, keep], self.statistics_[keep]
        if X.dtype.kind in "iub" and stats.dtype.kind == "f":
            X = X.astype(np.float64)
        elif X.dtype.kind in "iuf" and stats.dtype.kind == "O":
            stats = stats.astype(X.dtype)
        out = np.where(mask, stats[None, :], X) if X.dtype.kind != "O" else X.copy()
        if X.dtype.kind == "O":
            rows, cols = np.nonzero(mask)
            out[rows, cols] = stats[cols]
        return wrap_output(self, self._concatenate_indicator(out, indicator), X_in)

    def _fill_sparse(self, X, keep: np.ndarray):
        """Replaces the stored missing entries of a sparse ``X`` and keeps the ``keep`` columns."""
        X = sp.csc_matrix(X, dtype=np.float64, copy=True)
        columns = np.repeat(np.arange(X.shape[1]), np.diff(X.indptr))
        mask = missing_mask(X.data, self.missing_values)
        X.data[mask] = self.statistics_.astype(np.float64)[columns[mask]]
        return X[:, keep]

    def inverse_transform(self, X):
        """Puts ``missing_values`` back where the indicator columns are set.

        Raises:
            ValueError: the imputer was built without ``add_indicator``.
        """
        check_is_fitted(self)
        if not self.add_indicator:
            raise ValueError(
                "'inverse_transform' works only when 'SimpleImputer' is instantiated with "
                f"'add_indicator=True'. Got 'add_indicator={self.add_indicator}' instead."
            )
        empty = self._empty_features()
        n_kept = int((~empty).sum())
        X = np.asarray(X.toarray() if sp.issparse(X) else X)
        imputed, indicator = X[:, :n_kept], X[:, n_kept:].astype(bool)
        out = np.full(
            (X.shape[0], self.statistics_.shape[0]),
            self.missing_values,
            dtype=np.result_type(imputed.dtype, np.float64) if imputed.dtype.kind != "O" else object,
        )
        out[:, ~empty] = imputed
        full_indicator = np.zeros_like(out, dtype=bool)
        full_indicator[:, self.indicator_.features_] = indicator
        out[full_indicator] = self.missing_values
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the kept input features, then ``missingindicator_<feature>`` names."""
        check_is_fitted(self, "n_features_in_")
        names = _check_feature_names_in(self, input_features)
        kept = list(names[~self._empty_features()])
        return np.asarray(kept + self._indicator_names(names), dtype=object)
