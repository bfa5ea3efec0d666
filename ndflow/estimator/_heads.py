"""Heads: how canned estimators turn logits into predictions, a loss, metrics and a training op.

Losses follow TF1's canned estimators: by default the training ``loss`` is the SUM of per-example losses over
the batch (``loss_reduction=SUM_OVER_BATCH_SIZE`` makes it the mean); evaluation reports ``loss`` (mean over
batches of that batch loss) and ``average_loss`` (mean per example).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

import ndflow as _tf

from . import _metrics
from ._spec import EstimatorSpec, ModeKeys

__all__ = ["RegressionHead", "ClassificationHead"]


def _example_weights(features: Any, weight_column: Any) -> Any:
    if weight_column is None:
        return None
    key = getattr(weight_column, "key", weight_column)
    return _tf.reshape(_tf.cast(features[key], _tf.float32), [-1, 1])


SUM = "weighted_sum"


# loss_reduction names (TF1's and Keras') to the compat.v1.losses reduction computing them
_REDUCTIONS = {None: SUM, SUM: SUM, "sum": SUM, "weighted_sum_over_batch_size": "weighted_sum_over_batch_size",
               "sum_over_batch_size": "weighted_sum_over_batch_size", "auto": "weighted_sum_over_batch_size",
               "weighted_mean": "weighted_mean", "weighted_sum_by_nonzero_weights": "weighted_sum_by_nonzero_weights"}


def _training_loss(per_example: Any, weights: Any, reduction: str) -> Any:
    """The batch loss: the weighted sum (TF1's canned default), or ``reduction``'s normalisation of it.

    Raises:
        ValueError: an unknown reduction.
    """
    from ..compat.v1.losses import compute_weighted_loss

    if reduction not in _REDUCTIONS:
        raise ValueError(f"Invalid loss_reduction: {reduction}")
    return compute_weighted_loss(per_example, 1.0 if weights is None else weights, loss_collection=None,
                                 reduction=_REDUCTIONS[reduction])


class RegressionHead:
    """Squared error against float labels of width ``label_dimension``; predictions ``{'predictions'}``."""

    def __init__(self, label_dimension: int = 1, weight_column: Any = None, loss_reduction: str = SUM) -> None:
        if label_dimension < 1:
            raise ValueError(f"Invalid label_dimension {label_dimension}.")
        self.loss_reduction = loss_reduction
        self.logits_dimension = label_dimension
        self.weight_column = weight_column

    def create_estimator_spec(self, features: Any, mode: str, logits: Any, labels: Any,
                              train_op_fn: Callable) -> EstimatorSpec:
        predictions = {"predictions": logits}
        if mode == ModeKeys.PREDICT:
            return EstimatorSpec(mode, predictions=predictions)
        labels = _tf.reshape(_tf.cast(labels, _tf.float32), [-1, self.logits_dimension])
        per_example = _tf.square(labels - logits)
        weights = _example_weights(features, self.weight_column)
        loss = _training_loss(per_example, weights, self.loss_reduction)
        if mode == ModeKeys.EVAL:
            metrics = {"average_loss": _metrics.mean(per_example, weights, name="average_loss")}
            return EstimatorSpec(mode, predictions=predictions, loss=loss, eval_metric_ops=metrics)
        return EstimatorSpec(mode, predictions=predictions, loss=loss, train_op=train_op_fn(loss))


class ClassificationHead:
    """Softmax (``n_classes > 2``) or logistic (``n_classes == 2``) cross-entropy.

    Predictions: ``logits``, ``probabilities``, ``class_ids`` and ``classes`` (bytes: the class id or its
    ``label_vocabulary`` entry); binary heads add ``logistic``.
    """

    def __init__(self, n_classes: int = 2, weight_column: Any = None, label_vocabulary: Any = None,
                 loss_reduction: str = SUM) -> None:
        self.loss_reduction = loss_reduction
        if n_classes is None or n_classes < 2:
            raise ValueError(f"n_classes must be > 1: {n_classes}.")
        if label_vocabulary is not None and len(label_vocabulary) != n_classes:
            raise ValueError(f"label_vocabulary should have {n_classes} entries, got {len(label_vocabulary)}.")
        self.n_classes = n_classes
        self.logits_dimension = 1 if n_classes == 2 else n_classes
        self.weight_column = weight_column
        self.label_vocabulary = list(label_vocabulary) if label_vocabulary is not None else None

    def _class_names(self, class_ids: Any) -> Any:
        names = self.label_vocabulary or [str(i) for i in range(self.n_classes)]
        return _tf.gather(_tf.constant(np.array(names, dtype=object)), class_ids)

    def _label_ids(self, labels: Any) -> Any:
        labels = _tf.reshape(_tf.convert_to_tensor(labels), [-1, 1])
        if self.label_vocabulary is None:
            return _tf.cast(labels, _tf.int64)
        vocab = _tf.constant(np.array(self.label_vocabulary, dtype=object))
        return _tf.argmax(_tf.cast(_tf.equal(labels, vocab), _tf.int32), axis=1, output_type=_tf.int64)[:, None]

    def create_estimator_spec(self, features: Any, mode: str, logits: Any, labels: Any,
                              train_op_fn: Callable) -> EstimatorSpec:
        binary = self.n_classes == 2
        if binary:
            logistic = _tf.sigmoid(logits)
            probabilities = _tf.concat([1.0 - logistic, logistic], axis=1)
            class_ids = _tf.cast(logits > 0.0, _tf.int64)
        else:
            probabilities = _tf.nn.softmax(logits)
            class_ids = _tf.expand_dims(_tf.argmax(logits, axis=1, output_type=_tf.int64), -1)
        predictions = {"logits": logits, "probabilities": probabilities, "class_ids": class_ids,
                       "classes": self._class_names(class_ids)}
        if binary:
            predictions["logistic"] = logistic
        if mode == ModeKeys.PREDICT:
            return EstimatorSpec(mode, predictions=predictions)
        label_ids = self._label_ids(labels)
        if binary:
            per_example = _tf.nn.sigmoid_cross_entropy_with_logits(labels=_tf.cast(label_ids, _tf.float32),
                                                                   logits=logits)
        else:
            per_example = _tf.expand_dims(_tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=label_ids[:, 0], logits=logits), -1)
        weights = _example_weights(features, self.weight_column)
        loss = _training_loss(per_example, weights, self.loss_reduction)
        if mode == ModeKeys.EVAL:
            metrics = {"accuracy": _metrics.accuracy(label_ids, class_ids, weights, name="accuracy"),
                       "average_loss": _metrics.mean(per_example, weights, name="average_loss")}
            if binary:
                label_mean = _metrics.mean(_tf.cast(label_ids, _tf.float32), weights, name="label/mean")
                metrics.update({
                    "label/mean": label_mean,
                    "accuracy_baseline": (_tf.maximum(label_mean[0], 1.0 - label_mean[0]),
                                          _tf.maximum(label_mean[1], 1.0 - label_mean[1])),
                    "prediction/mean": _metrics.mean(logistic, weights, name="prediction/mean"),
                    "auc": _metrics.auc(label_ids, logistic, weights, name="auc"),
                    "precision": _metrics.precision(label_ids, class_ids, weights, name="precision"),
                    "recall": _metrics.recall(label_ids, class_ids, weights, name="recall"),
                })
            return EstimatorSpec(mode, predictions=predictions, loss=loss, eval_metric_ops=metrics)
        return EstimatorSpec(mode, predictions=predictions, loss=loss, train_op=train_op_fn(loss))
