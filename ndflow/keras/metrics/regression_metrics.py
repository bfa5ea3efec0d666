"""Regression metrics: running means of error functions, ``RootMeanSquaredError`` and ``R2Score``."""
from __future__ import annotations

import warnings
from typing import Any

import ndflow as tf

from ..losses import functions as F
from ..losses.loss import squeeze_or_expand_to_same_rank
from .metric import Metric
from .reduction_metrics import LossMeanMetric, Mean, MeanMetricWrapper

__all__ = ["MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
           "RootMeanSquaredError", "CosineSimilarity", "LogCoshError", "R2Score", "cosine_similarity"]


class MeanSquaredError(LossMeanMetric):
    """The mean of ``mean(square(y_true - y_pred), axis=-1)`` over all samples."""

    _loss_fn = staticmethod(F.mean_squared_error)

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)


class MeanAbsoluteError(LossMeanMetric):
    """The mean of ``mean(abs(y_true - y_pred), axis=-1)`` over all samples."""

    _loss_fn = staticmethod(F.mean_absolute_error)

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)


class MeanAbsolutePercentageError(LossMeanMetric):
    """The mean absolute percentage error over all samples."""

    _loss_fn = staticmethod(F.mean_absolute_percentage_error)

    def __init__(self, name: str = "mean_absolute_percentage_error", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)


class MeanSquaredLogarithmicError(LossMeanMetric):
    """The mean squared logarithmic error over all samples."""

    _loss_fn = staticmethod(F.mean_squared_logarithmic_error)

    def __init__(self, name: str = "mean_squared_logarithmic_error", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)


class LogCoshError(LossMeanMetric):
    """The mean of ``log(cosh(y_pred - y_true))`` over all samples."""

    _loss_fn = staticmethod(F.log_cosh)

    def __init__(self, name: str = "logcosh", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)


class RootMeanSquaredError(Mean):
    """``sqrt(mean(square(y_pred - y_true)))`` over all entries seen."""

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true = tf.cast(tf.convert_to_tensor(y_true), self.dtype)
        y_pred = tf.cast(tf.convert_to_tensor(y_pred), self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(tf.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self) -> Any:
        return tf.sqrt(super().result())


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Any:
    """The cosine of the angle between ``y_true`` and ``y_pred`` along ``axis`` (the metric's sign)."""
    return -F.cosine_similarity(y_true, y_pred, axis=axis)


class CosineSimilarity(MeanMetricWrapper):
    """The mean cosine similarity between labels and predictions along ``axis``."""

    def __init__(self, name: str = "cosine_similarity", dtype: Any = None, axis: int = -1) -> None:
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class R2Score(Metric):
    """The coefficient of determination, per output column, aggregated over columns.

    Args:
        class_aggregation: ``"uniform_average"`` (default), ``"variance_weighted_average"`` or ``None`` (one
            score per column).
        num_regressors: when > 0, the adjusted R² for that many independent variables.

    Raises:
        ValueError: invalid arguments, or inputs that are not 2-D ``(batch_size, output_dim)``.
    """

    def __init__(self, class_aggregation: str | None = "uniform_average", num_regressors: int = 0,
                 name: str = "r2_score", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError(f"Invalid value for argument `class_aggregation`. Expected one of {valid}. "
                             f"Received: class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. Expected a value >= 0. "
                             f"Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape: Any, y_pred_shape: Any) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError("R2Score expects 2D inputs with shape (batch_size, output_dim). Received input "
                             f"shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}.")
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError("R2Score expects 2D inputs with shape (batch_size, output_dim), with output_dim "
                             "fully defined (not None). Received input shapes: "
                             f"y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}.")
        shape = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(shape=shape, initializer="zeros", name="squared_sum")
        self.sum = self.add_variable(shape=shape, initializer="zeros", name="sum")
        self.total_mse = self.add_variable(shape=shape, initializer="zeros", name="residual")
        self.count = self.add_variable(shape=shape, initializer="zeros", name="count")
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true = tf.cast(tf.convert_to_tensor(y_true), self.dtype)
        y_pred = tf.cast(tf.convert_to_tensor(y_pred), self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(tuple(y_true.shape), tuple(y_pred.shape))
        weight = tf.cast(tf.convert_to_tensor(1 if sample_weight is None else sample_weight), self.dtype)
        if len(weight.shape) == 1:
            weight = tf.expand_dims(weight, 1)
        weight = tf.broadcast_to(weight, tf.shape(y_true))
        weighted_y_true = y_true * weight
        self.sum.assign_add(tf.reduce_sum(weighted_y_true, axis=0))
        self.squared_sum.assign_add(tf.reduce_sum(y_true * weighted_y_true, axis=0))
        self.total_mse.assign_add(tf.reduce_sum(tf.square(y_true - y_pred) * weight, axis=0))
        self.count.assign_add(tf.reduce_sum(weight, axis=0))
        self.num_samples.assign_add(tf.cast(tf.size(y_true), self.num_samples.dtype))

    def result(self) -> Any:
        mean = self.sum / self.count
        total = self.squared_sum - self.sum * mean
        raw_scores = 1.0 - self.total_mse / total
        raw_scores = tf.where(tf.math.is_inf(raw_scores), tf.zeros_like(raw_scores), raw_scores)
        if self.class_aggregation == "uniform_average":
            score = tf.reduce_mean(raw_scores)
        elif self.class_aggregation == "variance_weighted_average":
            score = tf.reduce_sum(total * raw_scores) / tf.reduce_sum(total)
        else:
            score = raw_scores
        if self.num_regressors != 0:
            score = self._adjusted(score)
        return score

    def _adjusted(self, score: Any) -> Any:
        """The adjusted R² ``1 - (1 - R²)(n - 1) / (n - p - 1)``; plain R² when ``p >= n - 1``."""
        n = tf.cast(self.num_samples, tf.float32)
        p = tf.constant(float(self.num_regressors), tf.float32)
        if tf.executing_eagerly():
            samples = float(n.numpy())
            if self.num_regressors > samples - 1:
                warnings.warn("More independent predictors than datapoints in adjusted R2 score. Falling back to "
                              "standard R2 score.", stacklevel=3)
            elif self.num_regressors == samples - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to standard R2 score.",
                              stacklevel=3)
        adjusted = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
        return tf.where(p < n - 1.0, adjusted, score)

    def get_config(self) -> dict:
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
