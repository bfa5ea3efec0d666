"""Correlation metrics: running means of the per-sample Pearson and concordance correlation coefficients."""
from __future__ import annotations

from typing import Any

import ndflow as tf

from ..losses.loss import epsilon, squeeze_or_expand_to_same_rank
from .reduction_metrics import MeanMetricWrapper

__all__ = ["PearsonCorrelation", "ConcordanceCorrelation", "pearson_correlation", "concordance_correlation"]


def _aligned(y_true: Any, y_pred: Any) -> tuple[Any, Any]:
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(tf.convert_to_tensor(y_true), y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def pearson_correlation(y_true: Any, y_pred: Any, axis: int = -1) -> Any:
    """Pearson's correlation of ``y_true`` and ``y_pred`` along ``axis`` (population standard deviations)."""
    y_true, y_pred = _aligned(y_true, y_pred)
    true_centered = y_true - tf.reduce_mean(y_true, axis=axis, keepdims=True)
    pred_centered = y_pred - tf.reduce_mean(y_pred, axis=axis, keepdims=True)
    true_centered = true_centered / tf.math.reduce_std(true_centered, axis=axis, keepdims=True)
    pred_centered = pred_centered / tf.math.reduce_std(pred_centered, axis=axis, keepdims=True)
    return tf.reduce_mean(true_centered * pred_centered, axis=axis)


def concordance_correlation(y_true: Any, y_pred: Any, axis: int = -1) -> Any:
    """Lin's concordance correlation along ``axis``, computed term for term as Keras 3 does (its covariance
    term centres ``y_true`` on the mean of ``y_pred``)."""
    y_true, y_pred = _aligned(y_true, y_pred)
    true_mean = tf.reduce_mean(y_true, axis=axis, keepdims=True)
    pred_mean = tf.reduce_mean(y_pred, axis=axis, keepdims=True)
    true_var = tf.math.reduce_variance(y_true - true_mean, axis=axis, keepdims=True)
    pred_var = tf.math.reduce_variance(y_pred - pred_mean, axis=axis, keepdims=True)
    covariance = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + tf.square(true_mean - pred_mean)
    return tf.reduce_mean(2.0 * covariance / (norm + tf.constant(epsilon(), norm.dtype)), axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """The mean over samples of Pearson's correlation along ``axis``."""

    def __init__(self, name: str = "pearson_correlation", dtype: Any = None, axis: int = -1) -> None:
        super().__init__(fn=pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """The mean over samples of the concordance correlation along ``axis``."""

    def __init__(self, name: str = "concordance_correlation", dtype: Any = None, axis: int = -1) -> None:
        super().__init__(fn=concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
