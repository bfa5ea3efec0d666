"""Threshold metrics built on confusion counts: TP/FP/TN/FN counters, Precision, Recall, the
sensitivity/specificity family and AUC."""
from __future__ import annotations

from typing import Any

import numpy as np

import ndflow as tf

from ..losses.loss import epsilon
from . import metrics_utils as mu
from .metric import Metric

__all__ = ["TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives", "Precision", "Recall",
           "SensitivityAtSpecificity", "SpecificityAtSensitivity", "PrecisionAtRecall", "RecallAtPrecision", "AUC"]


def _ratio(numerator: Any, other: Any) -> Any:
    """``numerator / (numerator + other)``, 0 where both are 0."""
    return tf.math.divide_no_nan(numerator, numerator + other)


class _ConfusionMatrixConditionCount(Metric):
    """Counts one confusion-matrix cell (weighted) at each threshold."""

    _condition = ""

    def __init__(self, thresholds: Any = None, name: str | None = None, dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = mu.parse_init_thresholds(thresholds, default_threshold=0.5)
        self._thresholds_distributed_evenly = mu.is_evenly_distributed_thresholds(self.thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),), initializer="zeros", name="accumulator")

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        mu.update_confusion_matrix_variables({self._condition: self.accumulator}, y_true, y_pred, self.thresholds,
                                             sample_weight=sample_weight,
                                             thresholds_distributed_evenly=self._thresholds_distributed_evenly)

    def result(self) -> Any:
        return self.accumulator[0] if len(self.thresholds) == 1 else tf.identity(self.accumulator)

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of positives predicted above each threshold (default 0.5)."""

    _condition = mu.TRUE_POSITIVES


class FalsePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of negatives predicted above each threshold (default 0.5)."""

    _condition = mu.FALSE_POSITIVES


class TrueNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of negatives predicted at or below each threshold (default 0.5)."""

    _condition = mu.TRUE_NEGATIVES


class FalseNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of positives predicted at or below each threshold (default 0.5)."""

    _condition = mu.FALSE_NEGATIVES


class _PrecisionOrRecall(Metric):
    """Shared state of Precision and Recall: true positives and one error cell per threshold."""

    _error_condition = ""

    def __init__(self, thresholds: Any = None, top_k: int | None = None, class_id: int | None = None,
                 name: str | None = None, dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else mu.NEG_INF
        self.thresholds = mu.parse_init_thresholds(thresholds, default_threshold=default)
        self._thresholds_distributed_evenly = mu.is_evenly_distributed_thresholds(self.thresholds)
        count = len(self.thresholds)
        self.true_positives = self.add_variable(shape=(count,), initializer="zeros", name="true_positives")
        error_name = "false_positives" if self._error_condition == mu.FALSE_POSITIVES else "false_negatives"
        setattr(self, error_name, self.add_variable(shape=(count,), initializer="zeros", name=error_name))
        self._errors = getattr(self, error_name)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        mu.update_confusion_matrix_variables(
            {mu.TRUE_POSITIVES: self.true_positives, self._error_condition: self._errors}, y_true, y_pred,
            self.thresholds, top_k=self.top_k, class_id=self.class_id, sample_weight=sample_weight,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly)

    def result(self) -> Any:
        result = _ratio(self.true_positives, self._errors)
        return result[0] if len(self.thresholds) == 1 else result

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


class Precision(_PrecisionOrRecall):
    """``TP / (TP + FP)``: the fraction of positive predictions that are right.

    Args:
        thresholds: one threshold or a list (then ``result`` is a vector); default 0.5.
        top_k: only the ``top_k`` highest-scored classes of each sample count as predicted positive.
        class_id: score only this class.
    """

    _error_condition = mu.FALSE_POSITIVES


class Recall(_PrecisionOrRecall):
    """``TP / (TP + FN)``: the fraction of positives that are found (arguments as ``Precision``)."""

    _error_condition = mu.FALSE_NEGATIVES


class _SensitivitySpecificityBase(Metric):
    """Counts all four cells at ``num_thresholds`` evenly spaced thresholds and reads off one quantity at the
    best threshold that satisfies a constraint on another."""

    _value_name = ""

    def __init__(self, value: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: Any = None) -> None:
        if value < 0 or value > 1:
            raise ValueError(f"Argument `{self._value_name}` must be in the range [0, 1]. "
                             f"Received: {self._value_name}={value}")
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer > 0. "
                             f"Received: num_thresholds={num_thresholds}")
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds_distributed_evenly = True
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=shape, initializer="zeros", name="true_positives")
        self.false_positives = self.add_variable(shape=shape, initializer="zeros", name="false_positives")
        self.true_negatives = self.add_variable(shape=shape, initializer="zeros", name="true_negatives")
        self.false_negatives = self.add_variable(shape=shape, initializer="zeros", name="false_negatives")

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        mu.update_confusion_matrix_variables(
            {mu.TRUE_POSITIVES: self.true_positives, mu.TRUE_NEGATIVES: self.true_negatives,
             mu.FALSE_POSITIVES: self.false_positives, mu.FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, self.thresholds, class_id=self.class_id, sample_weight=sample_weight,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly)

    def _rates(self) -> dict:
        return {"sensitivity": _ratio(self.true_positives, self.false_negatives),
                "specificity": _ratio(self.true_negatives, self.false_positives),
                "precision": _ratio(self.true_positives, self.false_positives)}

    def _max_under_constraint(self, constrained: Any, dependent: Any) -> Any:
        """The largest ``dependent`` among thresholds where ``constrained >= value`` (0 if none)."""
        feasible = tf.greater_equal(constrained, tf.constant(self.value, constrained.dtype))
        return tf.maximum(tf.reduce_max(tf.where(feasible, dependent, tf.zeros_like(dependent))),
                          tf.zeros((), dependent.dtype))

    def get_config(self) -> dict:
        return {**super().get_config(), "class_id": self.class_id, "num_thresholds": self.num_thresholds,
                self._value_name: self.value}


class SensitivityAtSpecificity(_SensitivitySpecificityBase):
    """The best sensitivity (recall) among thresholds whose specificity is at least ``specificity``."""

    _value_name = "specificity"

    def __init__(self, specificity: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: Any = None) -> None:
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.specificity = specificity

    def result(self) -> Any:
        rates = self._rates()
        return self._max_under_constraint(rates["specificity"], rates["sensitivity"])


class SpecificityAtSensitivity(_SensitivitySpecificityBase):
    """The best specificity among thresholds whose sensitivity is at least ``sensitivity``."""

    _value_name = "sensitivity"

    def __init__(self, sensitivity: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: Any = None) -> None:
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.sensitivity = sensitivity

    def result(self) -> Any:
        rates = self._rates()
        return self._max_under_constraint(rates["sensitivity"], rates["specificity"])


class PrecisionAtRecall(_SensitivitySpecificityBase):
    """The best precision among thresholds whose recall is at least ``recall``."""

    _value_name = "recall"

    def __init__(self, recall: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: Any = None) -> None:
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.recall = recall

    def result(self) -> Any:
        rates = self._rates()
        return self._max_under_constraint(rates["sensitivity"], rates["precision"])


class RecallAtPrecision(_SensitivitySpecificityBase):
    """The best recall among thresholds whose precision is at least ``precision``."""

    _value_name = "precision"

    def __init__(self, precision: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: Any = None) -> None:
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.precision = precision

    def result(self) -> Any:
        rates = self._rates()
        return self._max_under_constraint(rates["precision"], rates["sensitivity"])


_CURVES = {"ROC": "ROC", "roc": "ROC", "PR": "PR", "pr": "PR", "PRGAIN": "PRGAIN", "prgain": "PRGAIN"}
_SUMMATIONS = {name: name.lower() for name in ("interpolation", "Interpolation", "majoring", "Majoring", "minoring",
                                               "Minoring")}


def _parse_option(value: Any, table: dict, what: str, expected: str) -> str:
    option = table.get(getattr(value, "value", value))
    if option is None:
        raise ValueError(f'Invalid AUC {what} value: "{value}". Expected values are {expected}')
    return option


class AUC(Metric):
    """Area under the ROC or precision-recall curve, approximated with a Riemann sum over thresholds.

    Args:
        num_thresholds: evenly spaced thresholds in (0, 1), plus end points just outside; default 200.
        curve: ``"ROC"`` (default), ``"PR"`` or ``"PRGAIN"``.
        summation_method: ``"interpolation"`` (default; Davis & Goadrich for PR), ``"majoring"`` or
            ``"minoring"``.
        thresholds: explicit thresholds instead of ``num_thresholds``.
        multi_label: compute one AUC per label (last axis) and average them (weighted by ``label_weights``).
        num_labels: the number of labels when ``multi_label`` (else inferred on the first update).
        label_weights: per-label weights.
        from_logits: apply a sigmoid to the predictions first.

    Raises:
        ValueError: invalid curve, summation method or ``num_thresholds``, or ``num_labels`` without
            ``multi_label``.
    """

    def __init__(self, num_thresholds: int = 200, curve: str = "ROC", summation_method: str = "interpolation",
                 name: str | None = None, dtype: Any = None, thresholds: Any = None, multi_label: bool = False,
                 num_labels: int | None = None, label_weights: Any = None, from_logits: bool = False) -> None:
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            thresholds = sorted(thresholds)
            self._thresholds_distributed_evenly = mu.is_evenly_distributed_thresholds(
                np.array([0.0] + thresholds + [1.0]))
        else:
            if num_thresholds <= 1:
                raise ValueError(f"Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        self._thresholds = np.array([0.0 - epsilon()] + list(thresholds) + [1.0 + epsilon()])
        self.curve = _parse_option(curve, _CURVES, "curve", '["PR", "ROC", "PRGAIN"]')
        self.summation_method = _parse_option(summation_method, _SUMMATIONS, "summation method",
                                              '["interpolation", "majoring", "minoring"]')
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else tf.constant(np.asarray(label_weights), self.dtype)
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build([None, num_labels])
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self) -> list:
        """The thresholds used, end points included."""
        return list(self._thresholds)

    def _build(self, shape: Any) -> None:
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(f"`y_pred` must have rank 2 when `multi_label=True`. Found rank {len(shape)}. "
                                 f"Full shape received for `y_pred`: {shape}")
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self._build_input_shape = shape
        self.true_positives = self.add_variable(shape=variable_shape, initializer="zeros", name="true_positives")
        self.false_positives = self.add_variable(shape=variable_shape, initializer="zeros", name="false_positives")
        self.true_negatives = self.add_variable(shape=variable_shape, initializer="zeros", name="true_negatives")
        self.false_negatives = self.add_variable(shape=variable_shape, initializer="zeros", name="false_negatives")
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_pred = tf.convert_to_tensor(y_pred)
        if not self._built:
            self._build(tuple(y_pred.shape))
        if self._from_logits:
            y_pred = tf.sigmoid(y_pred)
        mu.update_confusion_matrix_variables(
            {mu.TRUE_POSITIVES: self.true_positives, mu.TRUE_NEGATIVES: self.true_negatives,
             mu.FALSE_POSITIVES: self.false_positives, mu.FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, self._thresholds, sample_weight=sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly)

    def _average_over_labels(self, per_threshold: Any) -> Any:
        if not self.multi_label:
            return tf.reduce_sum(per_threshold)
        by_label = tf.reduce_sum(per_threshold, axis=0)
        if self.label_weights is None:
            return tf.reduce_mean(by_label)
        return tf.math.divide_no_nan(tf.reduce_sum(by_label * self.label_weights),
                                     tf.reduce_sum(self.label_weights))

    def interpolate_pr_auc(self) -> Any:
        """PR AUC with the precision interpolated between thresholds (Davis & Goadrich, 2006)."""
        n = self.num_thresholds
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        zero = tf.zeros((), tp.dtype)
        dtp = tp[:n - 1] - tp[1:]
        p = tp + fp
        dp = p[:n - 1] - p[1:]
        prec_slope = tf.math.divide_no_nan(dtp, tf.maximum(dp, zero))
        intercept = tp[1:] - prec_slope * p[1:]
        safe_p_ratio = tf.where(tf.logical_and(p[:n - 1] > zero, p[1:] > zero),
                                tf.math.divide_no_nan(p[:n - 1], tf.maximum(p[1:], zero)), tf.ones_like(p[1:]))
        increments = tf.math.divide_no_nan(prec_slope * (dtp + intercept * tf.math.log(safe_p_ratio)),
                                           tf.maximum(tp[1:] + fn[1:], zero))
        return self._average_over_labels(increments)

    def result(self) -> Any:
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        recall = _ratio(tp, fn)
        if self.curve == "ROC":
            x, y = _ratio(fp, tn), recall
        elif self.curve == "PR":
            x, y = recall, _ratio(tp, fp)
        else:
            x, y = self._gain_curve(tp, fp, tn, fn)
        n = self.num_thresholds
        if self.summation_method == "interpolation":
            heights = (y[:n - 1] + y[1:]) / tf.constant(2.0, y.dtype)
        elif self.summation_method == "minoring":
            heights = tf.minimum(y[:n - 1], y[1:])
        else:
            heights = tf.maximum(y[:n - 1], y[1:])
        return self._average_over_labels((x[:n - 1] - x[1:]) * heights)

    @staticmethod
    def _gain_curve(tp: Any, fp: Any, tn: Any, fn: Any) -> tuple[Any, Any]:
        """Recall gain and precision gain (Flach & Kull, 2015), with the degenerate cases clamped."""
        one, zero = tf.ones((), tp.dtype), tf.zeros((), tp.dtype)
        scale = tf.math.divide_no_nan(tp + fn, tn + fp)
        recall_gain = one - scale * tf.math.divide_no_nan(fn, tp)
        precision_gain = one - scale * tf.math.divide_no_nan(fp, tp)
        no_tp = tf.equal(tp, zero)
        recall_gain = tf.maximum(tf.where(no_tp, tf.zeros_like(recall_gain), recall_gain), zero)
        precision_gain = tf.where(no_tp, tf.ones_like(precision_gain), precision_gain)
        return recall_gain, precision_gain

    def reset_state(self) -> None:
        if self._built:
            super().reset_state()

    def get_config(self) -> dict:
        label_weights = self.label_weights
        config = {**super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": self.multi_label,
                  "num_labels": self.num_labels,
                  "label_weights": None if label_weights is None else label_weights.numpy().tolist(),
                  "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
