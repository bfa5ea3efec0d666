"""``FBetaScore`` and ``F1Score``: per-class F-scores from thresholded predictions, optionally averaged."""
from __future__ import annotations

from typing import Any

import ndflow as tf

from ..losses.loss import epsilon
from .metric import Metric

__all__ = ["FBetaScore", "F1Score"]


class FBetaScore(Metric):
    """``(1 + beta²) · precision · recall / (beta² · precision + recall)`` per class.

    Args:
        average: ``None`` (one score per class), ``"micro"`` (pool all classes), ``"macro"`` (mean over
            classes) or ``"weighted"`` (mean weighted by each class's support).
        beta: the weight of recall relative to precision (a Python float > 0).
        threshold: predictions above it are positive; ``None`` marks the highest score of each sample.

    Raises:
        ValueError: invalid ``average``, ``beta`` or ``threshold``, or inputs that are not 2-D.
    """

    def __init__(self, average: str | None = None, beta: float = 1.0, threshold: float | None = None,
                 name: str = "fbeta_score", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError("Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', "
                             f"'weighted'}}. Received: average={average}")
        if not isinstance(beta, float):
            raise ValueError("Invalid `beta` argument value. It should be a Python float. "
                             f"Received: beta={beta} of type '{type(beta)}'")
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError("Invalid `threshold` argument value. It should be a Python float. "
                                 f"Received: threshold={threshold} of type '{type(threshold)}'")
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError("Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
                                 f"Received: threshold={threshold}")
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape: tuple, y_pred_shape: tuple) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError("FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input "
                             f"shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}.")
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError("FBetaScore expects 2D inputs with shape (batch_size, output_dim), with output_dim "
                             "fully defined (not None). Received input shapes: "
                             f"y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}.")
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        for name in ("true_positives", "false_positives", "false_negatives", "intermediate_weights"):
            setattr(self, name, self.add_variable(shape=shape, initializer="zeros", dtype=self.dtype, name=name))
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true = tf.cast(tf.convert_to_tensor(y_true), self.dtype)
        y_pred = tf.cast(tf.convert_to_tensor(y_pred), self.dtype)
        if not self._built:
            self._build(tuple(y_true.shape), tuple(y_pred.shape))
        if self.threshold is None:
            # the highest score of each sample is positive, unless it is (close to) zero
            highest = tf.reduce_max(y_pred, axis=-1, keepdims=True)
            y_pred = tf.logical_and(y_pred >= highest, tf.abs(y_pred) > tf.constant(1e-9, y_pred.dtype))
        else:
            y_pred = y_pred > tf.constant(self.threshold, y_pred.dtype)
        y_pred = tf.cast(y_pred, self.dtype)
        if sample_weight is not None:
            sample_weight = tf.expand_dims(tf.cast(tf.convert_to_tensor(sample_weight), self.dtype), 1)
        one = tf.constant(1.0, self.dtype)

        def weighted_sum(values: Any) -> Any:
            if sample_weight is not None:
                values = values * sample_weight
            return tf.reduce_sum(values, axis=self.axis)

        self.true_positives.assign_add(weighted_sum(y_pred * y_true))
        self.false_positives.assign_add(weighted_sum(y_pred * (one - y_true)))
        self.false_negatives.assign_add(weighted_sum((one - y_pred) * y_true))
        self.intermediate_weights.assign_add(weighted_sum(y_true))

    def result(self) -> Any:
        eps = tf.constant(epsilon(), self.dtype)
        tp = tf.identity(self.true_positives)
        precision = tp / (tp + self.false_positives + eps)
        recall = tp / (tp + self.false_negatives + eps)
        beta_squared = tf.constant(self.beta ** 2, self.dtype)
        f_score = precision * recall / (beta_squared * precision + recall + eps) * (1.0 + beta_squared)
        if self.average == "weighted":
            weights = self.intermediate_weights / (tf.reduce_sum(self.intermediate_weights) + eps)
            return tf.reduce_sum(f_score * weights)
        if self.average is not None:
            return tf.reduce_mean(f_score)
        return f_score

    def get_config(self) -> dict:
        return {**super().get_config(), "average": self.average, "beta": self.beta, "threshold": self.threshold}


class F1Score(FBetaScore):
    """The F-score with ``beta = 1``: the harmonic mean of precision and recall (arguments as ``FBetaScore``)."""

    def __init__(self, average: str | None = None, threshold: float | None = None, name: str = "f1_score",
                 dtype: Any = None) -> None:
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config
