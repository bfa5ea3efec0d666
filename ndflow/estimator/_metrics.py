"""Streaming metrics for evaluation: each returns ``(value, update_op)`` over local variables (TF1's
``tf.compat.v1.metrics``). Run ``update_op`` once per batch, then read ``value``."""
from __future__ import annotations

from typing import Any

import ndflow as _tf

from .._core.graph import get_default_graph
from .._core.graph_variables import LOCAL_VARIABLES
from .._core.variable import Variable
from ..compat.v1.variables import VariableV1

__all__ = ["mean", "accuracy", "mean_squared_error", "root_mean_squared_error", "mean_absolute_error",
           "precision", "recall", "auc"]

METRIC_VARIABLES = "metric_variables"


def _local_zero(name: str, shape: list | None = None) -> Variable:
    """A float32 zero variable in LOCAL_VARIABLES (not saved in checkpoints, reset by the local init)."""
    return VariableV1(_tf.zeros(shape or [], _tf.float32), trainable=False, name=name,
                      collections=[LOCAL_VARIABLES, METRIC_VARIABLES])


def _weighted(values: Any, weights: Any) -> tuple:
    values = _tf.cast(values, _tf.float32)
    if weights is None:
        return _tf.reduce_sum(values), _tf.cast(_tf.size(values), _tf.float32)
    weights = _tf.cast(weights, _tf.float32) * _tf.ones_like(values)
    return _tf.reduce_sum(values * weights), _tf.reduce_sum(weights)


def _ratio(numerator: Variable, denominator: Variable, name: str) -> Any:
    return _tf.math.divide_no_nan(numerator.read_value(), denominator.read_value(), name=name)


def mean(values: Any, weights: Any = None, metrics_collections: Any = None, updates_collections: Any = None,
         name: str | None = None) -> tuple:
    """The (weighted) mean of every value seen."""
    with _tf.name_scope(name or "mean"):
        total, count = _local_zero("total"), _local_zero("count")
        batch_total, batch_count = _weighted(values, weights)
        with get_default_graph().control_dependencies([total.assign_add(batch_total),
                                                       count.assign_add(batch_count)]):
            update = _ratio(total, count, "update_op")
        return _ratio(total, count, "value"), update


def accuracy(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
             updates_collections: Any = None, name: str | None = None) -> tuple:
    """How often ``predictions`` equal ``labels``."""
    labels, predictions = _tf.convert_to_tensor(labels), _tf.convert_to_tensor(predictions)
    if labels.dtype != predictions.dtype:
        predictions = _tf.cast(predictions, labels.dtype)
    hits = _tf.cast(_tf.equal(_tf.reshape(predictions, [-1]), _tf.reshape(labels, [-1])), _tf.float32)
    return mean(hits, weights, name=name or "accuracy")


def mean_squared_error(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
                       updates_collections: Any = None, name: str | None = None) -> tuple:
    diff = _tf.cast(predictions, _tf.float32) - _tf.cast(labels, _tf.float32)
    return mean(diff * diff, weights, name=name or "mean_squared_error")


def root_mean_squared_error(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
                            updates_collections: Any = None, name: str | None = None) -> tuple:
    value, update = mean_squared_error(labels, predictions, weights, name=name or "root_mean_squared_error")
    return _tf.sqrt(value), _tf.sqrt(update)


def mean_absolute_error(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
                        updates_collections: Any = None, name: str | None = None) -> tuple:
    diff = _tf.cast(predictions, _tf.float32) - _tf.cast(labels, _tf.float32)
    return mean(_tf.abs(diff), weights, name=name or "mean_absolute_error")


def _confusion_ratio(labels: Any, predictions: Any, weights: Any, name: str, positive_of: str) -> tuple:
    labels = _tf.cast(_tf.reshape(labels, [-1]), _tf.bool)
    predictions = _tf.cast(_tf.reshape(predictions, [-1]), _tf.bool)
    relevant = predictions if positive_of == "predictions" else labels
    hits = _tf.cast(labels & predictions, _tf.float32)
    with _tf.name_scope(name):
        true_pos, all_pos = _local_zero("true_positives"), _local_zero("positives")
        w = _tf.ones_like(hits) if weights is None else _tf.cast(_tf.reshape(weights, [-1]), _tf.float32)
        updates = [true_pos.assign_add(_tf.reduce_sum(hits * w)),
                   all_pos.assign_add(_tf.reduce_sum(_tf.cast(relevant, _tf.float32) * w))]
        with get_default_graph().control_dependencies(updates):
            update = _ratio(true_pos, all_pos, "update_op")
        return _ratio(true_pos, all_pos, "value"), update


def precision(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
              updates_collections: Any = None, name: str | None = None) -> tuple:
    """true positives / predicted positives (labels and predictions read as booleans)."""
    return _confusion_ratio(labels, predictions, weights, name or "precision", "predictions")


def recall(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
           updates_collections: Any = None, name: str | None = None) -> tuple:
    """true positives / actual positives."""
    return _confusion_ratio(labels, predictions, weights, name or "recall", "labels")


def auc(labels: Any, predictions: Any, weights: Any = None, num_thresholds: int = 200,
        metrics_collections: Any = None, updates_collections: Any = None, curve: str = "ROC",
        name: str | None = None, summation_method: str = "trapezoidal", thresholds: Any = None) -> tuple:
    """Area under the ROC or PR curve, from confusion counts at ``num_thresholds`` thresholds in [0, 1].

    Raises:
        ValueError: an unknown ``curve`` or ``summation_method``, or fewer than 2 thresholds.
        NotImplementedError: ``summation_method='careful_interpolation'`` for the PR curve.
    """
    if curve not in ("ROC", "PR"):
        raise ValueError(f"curve must be either ROC or PR, {curve} unknown")
    if summation_method == "careful_interpolation":
        if curve == "PR":
            raise NotImplementedError("auc summation_method='careful_interpolation' for PR curves is not supported "
                                      "yet")
        summation_method = "trapezoidal"  # as TF: the same for ROC curves
    if summation_method not in ("trapezoidal", "minoring", "majoring"):
        raise ValueError(f"Invalid summation_method: {summation_method}")
    epsilon = 1.0e-7
    if thresholds is None:
        if num_thresholds < 2:
            raise ValueError("num_thresholds must be > 1.")
        inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        thresholds = [0.0 - epsilon] + inner + [1.0 + epsilon]
    else:
        thresholds = [0.0 - epsilon] + list(thresholds) + [1.0 + epsilon]
    edges = _tf.constant(thresholds, _tf.float32)
    labels = _tf.reshape(_tf.cast(labels, _tf.bool), [-1, 1])
    above = _tf.reshape(_tf.cast(predictions, _tf.float32), [-1, 1]) > edges
    w = _tf.ones_like(_tf.cast(labels, _tf.float32)) if weights is None else _tf.reshape(
        _tf.cast(weights, _tf.float32), [-1, 1])
    as_float = lambda mask: _tf.reduce_sum(_tf.cast(mask, _tf.float32) * w, axis=0)  # noqa: E731
    with _tf.name_scope(name or "auc"):
        counts = {key: _local_zero(key, [len(thresholds)]) for key in ("true_positives", "false_negatives",
                                                                      "true_negatives", "false_positives")}
        batch = {"true_positives": as_float(labels & above), "false_negatives": as_float(labels & ~above),
                 "true_negatives": as_float(~labels & ~above), "false_positives": as_float(~labels & above)}
        updates = [counts[key].assign_add(batch[key]) for key in counts]

        def area(tp: Any, fn: Any, tn: Any, fp: Any) -> Any:
            recall_ = (tp + epsilon) / (tp + fn + epsilon)
            if curve == "ROC":
                x, y = fp / (fp + tn + epsilon), recall_
            else:
                x, y = recall_, (tp + epsilon) / (tp + fp + epsilon)
            heights = {"trapezoidal": (y[:-1] + y[1:]) / 2.0, "minoring": _tf.minimum(y[:-1], y[1:]),
                       "majoring": _tf.maximum(y[:-1], y[1:])}[summation_method]
            return _tf.reduce_sum((x[:-1] - x[1:]) * heights)

        keys = ("true_positives", "false_negatives", "true_negatives", "false_positives")
        value = area(*(counts[k].read_value() for k in keys))
        with get_default_graph().control_dependencies(updates):
            update = area(*(counts[k].read_value() for k in keys))
        return _tf.identity(value, name="value"), _tf.identity(update, name="update_op")
