"""Linear feature scalers (standard, min-max, max-abs, robust), row normalisation and binarisation."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from ..._core.backend import get_namespace
from ..base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from ..utils.validation import _check_sample_weight, check_array, check_is_fitted, validate_data
from ._utils import (
    FLOAT_DTYPES,
    check_option,
    handle_zeros_in_scale,
    is_constant_feature,
    sklearn_tags_hook,
    wrap_output,
)

__all__ = [
    "StandardScaler",
    "MinMaxScaler",
    "MaxAbsScaler",
    "RobustScaler",
    "Normalizer",
    "Binarizer",
    "scale",
    "minmax_scale",
    "maxabs_scale",
    "robust_scale",
    "normalize",
    "binarize",
    "add_dummy_feature",
]


def _reset(estimator: Any, names: tuple[str, ...]) -> None:
    for name in names:
        estimator.__dict__.pop(name, None)


def _weighted_nan_stats(X: Any, sample_weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-column weighted count, mean and (population) variance, ignoring NaNs; X dense or sparse."""
    if sp.issparse(X):
        X = X.tocsc(copy=True)
        nan_data = np.isnan(X.data)
        nan_pattern = sp.csc_matrix((nan_data.astype(np.float64), X.indices, X.indptr), shape=X.shape)
        X.data[nan_data] = 0.0
        count = sample_weight.sum() - sample_weight @ nan_pattern
        mean = np.asarray(sample_weight @ X).ravel() / count
        sq_mean = np.asarray(sample_weight @ X.multiply(X)).ravel() / count
        return count, mean, np.maximum(sq_mean - mean**2, 0.0)
    xp = get_namespace(X)
    present = ~xp.isnan(X)
    weights = sample_weight[:, None] * present
    count = weights.sum(axis=0)
    filled = xp.where(present, X, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (weights * filled).sum(axis=0) / count
        var = (weights * (filled - mean) ** 2).sum(axis=0) / count
    return count, mean, var


def _collapse(counts: np.ndarray) -> Any:
    """A single count when every feature saw the same number of samples, otherwise the array."""
    return counts[0] if counts.size and np.all(counts == counts[0]) else counts


class StandardScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Standardises features: ``(x - mean_) / scale_``, statistics learned (incrementally) in ``fit``.

    NaNs are ignored when fitting and kept when transforming. Sparse input needs ``with_mean=False``.
    """

    def __init__(self, *, copy: bool = True, with_mean: bool = True, with_std: bool = True):
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std

    def _update_sklearn_tags(self, tags) -> None:
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = not self.with_mean

    def fit(self, X, y=None, sample_weight=None) -> StandardScaler:
        """Computes ``mean_``, ``var_`` and ``scale_`` from ``X`` (optionally weighted)."""
        _reset(self, ("mean_", "var_", "scale_", "n_samples_seen_"))
        return self.partial_fit(X, y, sample_weight)

    def partial_fit(self, X, y=None, sample_weight=None) -> StandardScaler:
        """Updates the running mean and variance with one more batch ``X``.

        Raises:
            ValueError: sparse ``X`` with ``with_mean=True``.
        """
        first_call = not hasattr(self, "n_samples_seen_")
        X = validate_data(
            self,
            X,
            accept_sparse=("csr", "csc"),
            dtype=FLOAT_DTYPES,
            ensure_all_finite="allow-nan",
            reset=first_call,
        )
        if sp.issparse(X) and self.with_mean:
            raise ValueError(
                "Cannot center sparse matrices: pass `with_mean=False` instead. See docstring for "
                "motivation and alternatives."
            )
        sw = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        count, mean, var = _weighted_nan_stats(X, sw.astype(np.float64))
        if first_call:
            n_seen = np.zeros(X.shape[1])
            old_mean = np.zeros(X.shape[1])
            old_var = np.zeros(X.shape[1])
        else:
            n_seen = np.broadcast_to(np.asarray(self.n_samples_seen_, dtype=np.float64), (X.shape[1],))
            old_mean = self.mean_ if self.mean_ is not None else np.zeros(X.shape[1])
            old_var = self.var_ if self.var_ is not None else np.zeros(X.shape[1])
        total = n_seen + count
        with np.errstate(invalid="ignore", divide="ignore"):
            new_mean = np.where(count > 0, (n_seen * old_mean + count * np.nan_to_num(mean)) / total, old_mean)
            spread = n_seen * count / total * (old_mean - np.nan_to_num(mean)) ** 2
            new_var = np.where(count > 0, (n_seen * old_var + count * np.nan_to_num(var) + spread) / total, old_var)
        new_mean = np.where(total == 0, np.nan, new_mean)
        new_var = np.where(total == 0, np.nan, new_var)
        self.n_samples_seen_ = _collapse(total)
        if not (self.with_mean or self.with_std):
            self.mean_ = None
            self.var_ = None
            self.scale_ = None
            return self
        self.mean_ = new_mean
        if self.with_std:
            self.var_ = new_var
            constant = is_constant_feature(new_var, new_mean, total)
            self.scale_ = handle_zeros_in_scale(np.sqrt(new_var), constant)
        else:
            self.var_ = None
            self.scale_ = None
        return self

    def transform(self, X, copy: bool | None = None):
        """Returns ``(X - mean_) / scale_``."""
        check_is_fitted(self)
        copy = self.copy if copy is None else copy
        X_in = X
        X = validate_data(
            self,
            X,
            reset=False,
            accept_sparse="csr",
            copy=copy,
            dtype=FLOAT_DTYPES,
            ensure_all_finite="allow-nan",
        )
        if sp.issparse(X):
            if self.with_mean:
                raise ValueError(
                    "Cannot center sparse matrices: pass `with_mean=False` instead. See docstring for "
                    "motivation and alternatives."
                )
            if self.scale_ is not None:
                X = sp.csr_matrix(X.multiply(1.0 / self.scale_).astype(X.dtype))
            return wrap_output(self, X, X_in)
        if self.with_mean:
            X = X - self.mean_.astype(X.dtype, copy=False)
        if self.with_std:
            X = X / self.scale_.astype(X.dtype, copy=False)
        return wrap_output(self, X, X_in)

    def inverse_transform(self, X, copy: bool | None = None):
        """Undoes ``transform``: ``X * scale_ + mean_``."""
        check_is_fitted(self)
        X = check_array(
            X,
            accept_sparse="csr",
            dtype=FLOAT_DTYPES,
            ensure_all_finite="allow-nan",
            copy=self.copy if copy is None else copy,
        )
        if sp.issparse(X):
            if self.with_mean:
                raise ValueError(
                    "Cannot uncenter sparse matrices: pass `with_mean=False` instead See docstring for "
                    "motivation and alternatives."
                )
            return sp.csr_matrix(X.multiply(self.scale_)) if self.scale_ is not None else X
        if self.with_std:
            X = X * self.scale_
        if self.with_mean:
            X = X + self.mean_
        return X


class MinMaxScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Maps each feature linearly onto ``feature_range`` using the minimum and maximum seen in ``fit``."""

    _update_sklearn_tags = sklearn_tags_hook(allow_nan=True)

    def __init__(self, feature_range: tuple = (0, 1), *, copy: bool = True, clip: bool = False):
        self.feature_range = feature_range
        self.copy = copy
        self.clip = clip

    def fit(self, X, y=None) -> MinMaxScaler:
        """Learns the per-feature minimum and maximum of ``X``."""
        _reset(self, ("scale_", "min_", "n_samples_seen_", "data_min_", "data_max_", "data_range_"))
        return self.partial_fit(X, y)

    def partial_fit(self, X, y=None) -> MinMaxScaler:
        """Updates the running minimum and maximum with one more batch.

        Raises:
            ValueError: ``feature_range`` is not increasing.
            TypeError: sparse input.
        """
        low, high = self.feature_range
        if low >= high:
            raise ValueError(
                f"Minimum of desired feature range must be smaller than maximum. Got {self.feature_range}."
            )
        if sp.issparse(X):
            raise TypeError("MinMaxScaler does not support sparse input. Consider using MaxAbsScaler instead.")
        first_call = not hasattr(self, "n_samples_seen_")
        X = validate_data(self, X, reset=first_call, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan")
        xp = get_namespace(X)
        data_min = xp.nanmin(X, axis=0)
        data_max = xp.nanmax(X, axis=0)
        if first_call:
            self.n_samples_seen_ = X.shape[0]
        else:
            data_min = xp.minimum(self.data_min_, data_min)
            data_max = xp.maximum(self.data_max_, data_max)
            self.n_samples_seen_ += X.shape[0]
        data_range = data_max - data_min
        self.scale_ = (high - low) / handle_zeros_in_scale(data_range)
        self.min_ = low - data_min * self.scale_
        self.data_min_ = data_min
        self.data_max_ = data_max
        self.data_range_ = data_range
        return self

    def transform(self, X):
        """Returns ``X * scale_ + min_``, clipped to ``feature_range`` when ``clip``."""
        check_is_fitted(self)
        X_in = X
        X = validate_data(self, X, reset=False, copy=self.copy, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan")
        xp = get_namespace(X)
        out = X * self.scale_.astype(X.dtype, copy=False) + self.min_.astype(X.dtype, copy=False)
        if self.clip:
            out = xp.clip(out, self.feature_range[0], self.feature_range[1])
        return wrap_output(self, out, X_in)

    def inverse_transform(self, X):
        """Maps scaled values back to the original range."""
        check_is_fitted(self)
        X = check_array(X, copy=self.copy, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan")
        return (X - self.min_) / self.scale_


class MaxAbsScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Divides each feature by its maximum absolute value; keeps sparsity."""

    _update_sklearn_tags = sklearn_tags_hook(allow_nan=True, sparse=True)

    def __init__(self, *, copy: bool = True, clip: bool = False):
        self.copy = copy
        self.clip = clip

    def fit(self, X, y=None) -> MaxAbsScaler:
        """Learns the per-feature maximum absolute value."""
        _reset(self, ("scale_", "max_abs_", "n_samples_seen_"))
        return self.partial_fit(X, y)

    def partial_fit(self, X, y=None) -> MaxAbsScaler:
        """Updates the running maximum absolute value with one more batch."""
        first_call = not hasattr(self, "n_samples_seen_")
        X = validate_data(
            self,
            X,
            reset=first_call,
            accept_sparse=("csr", "csc"),
            dtype=FLOAT_DTYPES,
            ensure_all_finite="allow-nan",
        )
        if sp.issparse(X):
            abs_X = abs(X.tocsc())
            max_abs = np.asarray(abs_X.max(axis=0).toarray()).ravel()
        else:
            max_abs = np.nanmax(np.abs(X), axis=0)
        if first_call:
            self.n_samples_seen_ = X.shape[0]
        else:
            max_abs = np.maximum(self.max_abs_, max_abs)
            self.n_samples_seen_ += X.shape[0]
        self.max_abs_ = max_abs
        self.scale_ = handle_zeros_in_scale(max_abs)
        return self

    def transform(self, X):
        """Returns ``X / scale_`` (clipped to [-1, 1] when ``clip``)."""
        check_is_fitted(self)
        X_in = X
        X = validate_data(
            self,
            X,
            reset=False,
            accept_sparse=("csr", "csc"),
            copy=self.copy,
            dtype=FLOAT_DTYPES,
            ensure_all_finite="allow-nan",
        )
        if sp.issparse(X):
            out = sp.csr_matrix(X.multiply(1.0 / self.scale_).astype(X.dtype))
            if self.clip:
                out.data = np.clip(out.data, -1.0, 1.0)
            return wrap_output(self, out, X_in)
        out = X / self.scale_.astype(X.dtype, copy=False)
        if self.clip:
            out = np.clip(out, -1.0, 1.0)
        return wrap_output(self, out, X_in)

    def inverse_transform(self, X):
        """Returns ``X * scale_``."""
        check_is_fitted(self)
        X = check_array(
            X, accept_sparse=("csr", "csc"), copy=self.copy, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan"
        )
        if sp.issparse(X):
            return sp.csr_matrix(X.multiply(self.scale_))
        return X * self.scale_


class RobustScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Centres on the median and scales by an inter-quantile range, so outliers matter little."""

    def __init__(
        self,
        *,
        with_centering: bool = True,
        with_scaling: bool = True,
        quantile_range: tuple = (25.0, 75.0),
        copy: bool = True,
        unit_variance: bool = False,
    ):
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.quantile_range = quantile_range
        self.copy = copy
        self.unit_variance = unit_variance

    def _update_sklearn_tags(self, tags) -> None:
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = not self.with_centering

    def fit(self, X, y=None) -> RobustScaler:
        """Learns ``center_`` (median) and ``scale_`` (quantile range).

        Raises:
            ValueError: an invalid ``quantile_range`` or sparse ``X`` with centering.
        """
        X = validate_data(self, X, accept_sparse="csc", dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan")
        q_min, q_max = self.quantile_range
        if not 0 <= q_min <= q_max <= 100:
            raise ValueError(f"Invalid quantile range: {self.quantile_range}")
        if sp.issparse(X) and self.with_centering:
            raise ValueError(
                "Cannot center sparse matrices: use `with_centering=False` instead. See docstring for "
                "motivation and alternatives."
            )
        dense = X.toarray() if sp.issparse(X) else X
        self.center_ = np.nanmedian(dense, axis=0) if self.with_centering else None
        if self.with_scaling:
            low, high = np.nanpercentile(dense, [q_min, q_max], axis=0)
            scale = handle_zeros_in_scale(high - low)
            if self.unit_variance:
                from scipy.stats import norm

                scale = scale / (norm.ppf(q_max / 100.0) - norm.ppf(q_min / 100.0))
            self.scale_ = scale
        else:
            self.scale_ = None
        return self

    def transform(self, X):
        """Returns ``(X - center_) / scale_``."""
        check_is_fitted(self)
        X_in = X
        X = validate_data(
            self,
            X,
            reset=False,
            accept_sparse=("csr", "csc"),
            copy=self.copy,
            dtype=FLOAT_DTYPES,
            ensure_all_finite="allow-nan",
        )
        if sp.issparse(X):
            if self.with_scaling:
                X = sp.csr_matrix(X.multiply(1.0 / self.scale_).astype(X.dtype))
            return wrap_output(self, X, X_in)
        if self.with_centering:
            X = X - self.center_.astype(X.dtype, copy=False)
        if self.with_scaling:
            X = X / self.scale_.astype(X.dtype, copy=False)
        return wrap_output(self, X, X_in)

    def inverse_transform(self, X):
        """Returns ``X * scale_ + center_``."""
        check_is_fitted(self)
        X = check_array(
            X, accept_sparse=("csr", "csc"), copy=self.copy, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan"
        )
        if sp.issparse(X):
            return sp.csr_matrix(X.multiply(self.scale_)) if self.with_scaling else X
        if self.with_scaling:
            X = X * self.scale_
        if self.with_centering:
            X = X + self.center_
        return X


def normalize(X, norm: str = "l2", *, axis: int = 1, copy: bool = True, return_norm: bool = False):
    """Scales each row (``axis=1``) or column (``axis=0``) to unit ``l1``, ``l2`` or ``max`` norm.

    Returns:
        The normalised array, and the norms when ``return_norm``.

    Raises:
        ValueError: an unknown ``norm`` or ``axis``.
    """
    if norm not in ("l1", "l2", "max"):
        raise ValueError(f"'{norm}' is not a supported norm")
    if axis not in (0, 1):
        raise ValueError(f"'{axis}' is not a supported axis")
    X = check_array(X, accept_sparse="csr" if axis == 1 else "csc", copy=copy, dtype=FLOAT_DTYPES)
    if axis == 0:
        X = X.T
    if sp.issparse(X):
        X = sp.csr_matrix(X)
        if norm == "l1":
            norms = np.asarray(abs(X).sum(axis=1)).ravel()
        elif norm == "l2":
            norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        else:
            norms = np.asarray(abs(X).max(axis=1).toarray()).ravel()
        out = sp.csr_matrix(X.multiply(1.0 / handle_zeros_in_scale(norms)[:, None]).astype(X.dtype))
    else:
        xp = get_namespace(X)
        if norm == "l1":
            norms = xp.abs(X).sum(axis=1)
        elif norm == "l2":
            norms = xp.sqrt((X * X).sum(axis=1))
        else:
            norms = xp.max(xp.abs(X), axis=1)
        out = X / handle_zeros_in_scale(norms)[:, None]
    if axis == 0:
        out = out.T
    return (out, norms) if return_norm else out


class Normalizer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Rescales each sample (row) to unit norm; learns nothing."""

    _update_sklearn_tags = sklearn_tags_hook(requires_fit=False, sparse=True)

    def __init__(self, norm: str = "l2", *, copy: bool = True):
        self.norm = norm
        self.copy = copy

    def fit(self, X, y=None) -> Normalizer:
        """Validates the parameters and ``X``."""
        check_option(self, "norm", self.norm, ("l1", "l2", "max"))
        validate_data(self, X, accept_sparse="csr")
        return self

    def transform(self, X, copy: bool | None = None):
        """Returns every row of ``X`` divided by its norm."""
        X_in = X
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        out = normalize(X, norm=self.norm, axis=1, copy=self.copy if copy is None else copy)
        return wrap_output(self, out, X_in)


def binarize(X, *, threshold: float = 0.0, copy: bool = True):
    """Returns 1 where ``X > threshold`` and 0 elsewhere, in ``X``'s dtype.

    Raises:
        ValueError: a sparse ``X`` with a negative threshold.
    """
    X = check_array(X, accept_sparse=("csr", "csc"), copy=copy)
    if sp.issparse(X):
        if threshold < 0:
            raise ValueError("Cannot binarize a sparse matrix with threshold < 0")
        X = X.copy()
        X.data = (X.data > threshold).astype(X.dtype)
        X.eliminate_zeros()
        return X
    return (X > threshold).astype(X.dtype)


class Binarizer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Thresholds features to 0/1; learns nothing."""

    _update_sklearn_tags = sklearn_tags_hook(requires_fit=False, sparse=True)

    def __init__(self, *, threshold: float = 0.0, copy: bool = True):
        self.threshold = threshold
        self.copy = copy

    def fit(self, X, y=None) -> Binarizer:
        """Validates ``X``."""
        validate_data(self, X, accept_sparse="csr")
        return self

    def transform(self, X, copy: bool | None = None):
        """Returns ``X > threshold`` as 0/1 values."""
        X_in = X
        X = validate_data(self, X, accept_sparse=("csr", "csc"), reset=False)
        return wrap_output(self, binarize(X, threshold=self.threshold, copy=False), X_in)


def scale(X, *, axis: int = 0, with_mean: bool = True, with_std: bool = True, copy: bool = True):
    """Standardises ``X`` along ``axis`` (columns by default) without keeping an estimator."""
    X = check_array(X, accept_sparse=("csr", "csc"), dtype=FLOAT_DTYPES, copy=copy, ensure_all_finite="allow-nan")
    if axis == 1:
        return scale(X.T, axis=0, with_mean=with_mean, with_std=with_std, copy=False).T
    scaler = StandardScaler(with_mean=with_mean, with_std=with_std, copy=False).fit(X)
    return scaler.transform(X)


def minmax_scale(X, feature_range: tuple = (0, 1), *, axis: int = 0, copy: bool = True):
    """Maps ``X`` linearly onto ``feature_range`` along ``axis``."""
    X = check_array(X, dtype=FLOAT_DTYPES, copy=copy, ensure_all_finite="allow-nan", ensure_2d=False)
    one_d = X.ndim == 1
    X = X.reshape(-1, 1) if one_d else X
    X = X.T if axis == 1 else X
    out = MinMaxScaler(feature_range=feature_range, copy=False).fit_transform(X)
    out = out.T if axis == 1 else out
    return out.ravel() if one_d else out


def maxabs_scale(X, *, axis: int = 0, copy: bool = True):
    """Divides ``X`` by its maximum absolute value along ``axis``."""
    X = check_array(X, accept_sparse=("csr", "csc"), dtype=FLOAT_DTYPES, copy=copy, ensure_all_finite="allow-nan")
    X = X.T if axis == 1 else X
    out = MaxAbsScaler(copy=False).fit_transform(X)
    return out.T if axis == 1 else out


def robust_scale(
    X,
    *,
    axis: int = 0,
    with_centering: bool = True,
    with_scaling: bool = True,
    quantile_range: tuple = (25.0, 75.0),
    copy: bool = True,
    unit_variance: bool = False,
):
    """Centres on the median and scales by the inter-quantile range along ``axis``."""
    X = check_array(X, accept_sparse="csc", dtype=FLOAT_DTYPES, copy=copy, ensure_all_finite="allow-nan")
    X = X.T if axis == 1 else X
    out = RobustScaler(
        with_centering=with_centering,
        with_scaling=with_scaling,
        quantile_range=quantile_range,
        unit_variance=unit_variance,
        copy=False,
    ).fit_transform(X)
    return out.T if axis == 1 else out


def add_dummy_feature(X, value: float = 1.0):
    """Prepends a constant column ``value`` to ``X`` (dense or sparse)."""
    X = check_array(X, accept_sparse=("csc", "csr", "coo"), dtype=FLOAT_DTYPES)
    column = np.full((X.shape[0], 1), value, dtype=X.dtype)
    if sp.issparse(X):
        return sp.hstack([sp.csr_matrix(column), X], format=X.format)
    return np.hstack([column, X])
