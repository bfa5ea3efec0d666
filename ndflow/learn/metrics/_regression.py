"""Regression metrics: squared/absolute errors, R² and explained variance, with multi-output averaging."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..exceptions import UndefinedMetricWarning
from ..utils.validation import _num_samples, check_array, check_consistent_length

__all__ = [
    "mean_squared_error",
    "root_mean_squared_error",
    "mean_absolute_error",
    "median_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_log_error",
    "max_error",
    "r2_score",
    "explained_variance_score",
]

_MULTIOUTPUT_OPTIONS = ("raw_values", "uniform_average", "variance_weighted")


def _check_reg_targets(y_true: Any, y_pred: Any, multioutput: Any, sample_weight: Any = None):
    """Validates regression targets as 2-D float arrays and checks ``multioutput``.

    Returns:
        ``(y_type, y_true, y_pred, multioutput, sample_weight)``.

    Raises:
        ValueError: different lengths or output counts, or an invalid ``multioutput``.
    """
    check_consistent_length(y_true, y_pred, sample_weight)
    y_true = check_array(y_true, ensure_2d=False, dtype="numeric", input_name="y_true")
    y_pred = check_array(y_pred, ensure_2d=False, dtype="numeric", input_name="y_pred")
    y_true = y_true.reshape(-1, 1) if y_true.ndim == 1 else y_true
    y_pred = y_pred.reshape(-1, 1) if y_pred.ndim == 1 else y_pred
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError("y_true and y_pred have different number of output "
                         f"({y_true.shape[1]}!={y_pred.shape[1]})")
    n_outputs = y_true.shape[1]
    if isinstance(multioutput, str):
        if multioutput not in _MULTIOUTPUT_OPTIONS:
            raise ValueError(f"Allowed 'multioutput' string values are {_MULTIOUTPUT_OPTIONS}. You provided "
                             f"multioutput={multioutput!r}")
    elif multioutput is not None:
        multioutput = check_array(multioutput, ensure_2d=False)
        if n_outputs == 1:
            raise ValueError("Custom weights are useful only in multi-output cases.")
        if n_outputs != len(multioutput):
            raise ValueError(f"There must be equally many custom weights ({len(multioutput)}) as outputs "
                             f"({n_outputs}).")
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
    y_type = "continuous" if n_outputs == 1 else "continuous-multioutput"
    return y_type, y_true.astype(np.float64), y_pred.astype(np.float64), multioutput, sample_weight


def _combine_outputs(errors: np.ndarray, multioutput: Any):
    """Per-output values as they are (``raw_values``) or averaged (uniformly or with custom weights)."""
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return errors
        multioutput = None
    return float(np.average(errors, weights=multioutput))


def mean_squared_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                       multioutput: Any = "uniform_average"):
    """Mean squared error per output, combined as ``multioutput`` says."""
    _, y_true, y_pred, multioutput, sw = _check_reg_targets(y_true, y_pred, multioutput, sample_weight)
    return _combine_outputs(np.average((y_true - y_pred) ** 2, axis=0, weights=sw), multioutput)


def root_mean_squared_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                            multioutput: Any = "uniform_average"):
    """Square root of the mean squared error of each output, combined as ``multioutput`` says."""
    _, y_true, y_pred, multioutput, sw = _check_reg_targets(y_true, y_pred, multioutput, sample_weight)
    return _combine_outputs(np.sqrt(np.average((y_true - y_pred) ** 2, axis=0, weights=sw)), multioutput)


def mean_squared_log_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                           multioutput: Any = "uniform_average"):
    """Mean squared error of ``log1p`` of targets and predictions.

    Raises:
        ValueError: a value is -1 or less.
    """
    _, y_true, y_pred, multioutput, sw = _check_reg_targets(y_true, y_pred, multioutput, sample_weight)
    if np.any(y_true <= -1) or np.any(y_pred <= -1):
        raise ValueError("Mean Squared Logarithmic Error cannot be used when targets contain values less "
                         "than or equal to -1.")
    errors = np.average((np.log1p(y_true) - np.log1p(y_pred)) ** 2, axis=0, weights=sw)
    return _combine_outputs(errors, multioutput)


def mean_absolute_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                        multioutput: Any = "uniform_average"):
    """Mean absolute error per output, combined as ``multioutput`` says."""
    _, y_true, y_pred, multioutput, sw = _check_reg_targets(y_true, y_pred, multioutput, sample_weight)
    return _combine_outputs(np.average(np.abs(y_true - y_pred), axis=0, weights=sw), multioutput)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                                   multioutput: Any = "uniform_average"):
    """Mean of ``|y_true - y_pred| / max(|y_true|, eps)`` (a fraction, not a percentage)."""
    _, y_true, y_pred, multioutput, sw = _check_reg_targets(y_true, y_pred, multioutput, sample_weight)
    ratio = np.abs(y_pred - y_true) / np.maximum(np.abs(y_true), np.finfo(np.float64).eps)
    return _combine_outputs(np.average(ratio, axis=0, weights=sw), multioutput)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Column-wise median with sample weights (averaging the two middle values on an exact tie)."""
    order = np.argsort(values, axis=0, kind="stable")
    sorted_values = np.take_along_axis(values, order, axis=0)
    cum = np.cumsum(weights[order], axis=0)
    half = 0.5 * cum[-1]
    out = np.empty(values.shape[1])
    for j in range(values.shape[1]):
        below = np.searchsorted(cum[:, j], half[j], side="left")
        if np.isclose(cum[below, j], half[j]) and below + 1 < len(cum):
            above = np.searchsorted(cum[:, j], cum[below, j], side="right")
            out[j] = 0.5 * (sorted_values[below, j] + sorted_values[min(above, len(cum) - 1), j])
        else:
            out[j] = sorted_values[below, j]
    return out


def median_absolute_error(y_true: Any, y_pred: Any, *, multioutput: Any = "uniform_average",
                          sample_weight: Any = None):
    """Median absolute error per output, combined as ``multioutput`` says."""
    _, y_true, y_pred, multioutput, sw = _check_reg_targets(y_true, y_pred, multioutput, sample_weight)
    abs_err = np.abs(y_pred - y_true)
    errors = np.median(abs_err, axis=0) if sw is None else _weighted_median(abs_err, sw)
    return _combine_outputs(errors, multioutput)


def max_error(y_true: Any, y_pred: Any) -> float:
    """Largest absolute residual (single output only).

    Raises:
        ValueError: multi-output targets.
    """
    y_type, y_true, y_pred, _, _ = _check_reg_targets(y_true, y_pred, None)
    if y_type == "continuous-multioutput":
        raise ValueError("Multioutput not supported in max_error")
    return float(np.max(np.abs(y_true - y_pred)))


def _assemble_scores(numerator: np.ndarray, denominator: np.ndarray, multioutput: Any,
                     force_finite: bool):
    """``1 - numerator / denominator`` per output; with ``force_finite``, 0/0 gives 1 and x/0 gives 0."""
    nonzero_den = denominator != 0
    if force_finite:
        nonzero_num = numerator != 0
        scores = np.ones(numerator.shape[0])
        valid = nonzero_den & nonzero_num
        scores[valid] = 1 - numerator[valid] / denominator[valid]
        scores[nonzero_num & ~nonzero_den] = 0.0
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = 1 - numerator / denominator
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return scores
        if multioutput == "uniform_average":
            return float(np.average(scores))
        weights = denominator if np.any(nonzero_den) else None
        return float(np.average(scores, weights=weights))
    return float(np.average(scores, weights=multioutput))


def r2_score(y_true: Any, y_pred: Any, *, sample_weight: Any = None, multioutput: Any = "uniform_average",
             force_finite: bool = True):
    """Coefficient of determination ``1 - SS_res / SS_tot`` (NaN with a warning below two samples)."""
    _, y_true, y_pred, multioutput, sw = _check_reg_targets(y_true, y_pred, multioutput, sample_weight)
    if _num_samples(y_pred) < 2:
        warnings.warn("R^2 score is not well-defined with less than two samples.", UndefinedMetricWarning,
                      stacklevel=2)
        return float("nan")
    weight = 1.0 if sw is None else sw[:, None]
    numerator = np.sum(weight * (y_true - y_pred) ** 2, axis=0)
    denominator = np.sum(weight * (y_true - np.average(y_true, axis=0, weights=sw)) ** 2, axis=0)
    return _assemble_scores(numerator, denominator, multioutput, force_finite)


def explained_variance_score(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                             multioutput: Any = "uniform_average", force_finite: bool = True):
    """``1 - Var(y_true - y_pred) / Var(y_true)`` per output, combined as ``multioutput`` says."""
    _, y_true, y_pred, multioutput, sw = _check_reg_targets(y_true, y_pred, multioutput, sample_weight)
    residual = y_true - y_pred
    numerator = np.average((residual - np.average(residual, axis=0, weights=sw)) ** 2, axis=0, weights=sw)
    denominator = np.average((y_true - np.average(y_true, axis=0, weights=sw)) ** 2, axis=0, weights=sw)
    return _assemble_scores(numerator, denominator, multioutput, force_finite)
