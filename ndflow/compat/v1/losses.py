"""``tf.compat.v1.losses``: TF1 loss functions that add their result to ``GraphKeys.LOSSES``.

Each loss computes per-element losses, multiplies them by ``weights`` (broadcast) and reduces them with
``reduction`` (default ``SUM_BY_NONZERO_WEIGHTS``: the weighted sum over the number of non-zero weights).
"""
from __future__ import annotations

from typing import Any

import ndflow as _tf

from ..._core.context import state
from ..._core.graph import get_default_graph

__all__ = ["Reduction", "compute_weighted_loss", "mean_squared_error", "absolute_difference", "huber_loss",
           "log_loss", "sigmoid_cross_entropy", "softmax_cross_entropy", "sparse_softmax_cross_entropy",
           "hinge_loss", "add_loss", "get_losses", "get_regularization_loss", "get_regularization_losses",
           "get_total_loss"]

LOSSES = "losses"
REGULARIZATION_LOSSES = "regularization_losses"


class Reduction:
    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls) -> tuple:
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE, cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key: str) -> None:
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}.")


def add_loss(loss: Any, loss_collection: str = LOSSES) -> None:
    """Adds ``loss`` to ``loss_collection`` (graph mode only, as in TF)."""
    if loss_collection and state.graph is not None:
        get_default_graph().add_to_collection(loss_collection, loss)


def compute_weighted_loss(losses: Any, weights: Any = 1.0, scope: str | None = None,
                          loss_collection: str = LOSSES, reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Any:
    """``losses * weights`` reduced by ``reduction``, added to ``loss_collection``.

    Raises:
        ValueError: an unknown reduction.
    """
    Reduction.validate(reduction)
    with _tf.name_scope(scope or "weighted_loss"):
        losses = _tf.cast(_tf.convert_to_tensor(losses), _tf.float32)
        weights = _tf.cast(_tf.convert_to_tensor(weights), _tf.float32)
        weighted = losses * weights
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            loss = _tf.reduce_sum(weighted)
            if reduction == Reduction.MEAN:
                loss = _tf.math.divide_no_nan(loss, _tf.reduce_sum(weights * _tf.ones_like(losses)))
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = loss / _tf.cast(_tf.size(losses), _tf.float32)
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                nonzero = _tf.reduce_sum(_tf.cast(_tf.not_equal(weights * _tf.ones_like(losses), 0.0), _tf.float32))
                loss = _tf.math.divide_no_nan(loss, nonzero)
        add_loss(loss, loss_collection)
        return loss


def _pair(labels: Any, predictions: Any) -> tuple:
    predictions = _tf.cast(_tf.convert_to_tensor(predictions), _tf.float32)
    labels = _tf.cast(_tf.convert_to_tensor(labels), _tf.float32)
    if labels.shape.is_fully_defined() and predictions.shape.is_fully_defined() and \
            labels.shape != predictions.shape:
        raise ValueError(f"Dimensions must be equal, but are {labels.shape} and {predictions.shape}.")
    return labels, predictions


def mean_squared_error(labels: Any, predictions: Any, weights: Any = 1.0, scope: str | None = None,
                       loss_collection: str = LOSSES, reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Any:
    """Weighted mean of ``(predictions - labels)²``."""
    with _tf.name_scope(scope or "mean_squared_error"):
        labels, predictions = _pair(labels, predictions)
        return compute_weighted_loss(_tf.square(predictions - labels), weights, None, loss_collection, reduction)


def absolute_difference(labels: Any, predictions: Any, weights: Any = 1.0, scope: str | None = None,
                        loss_collection: str = LOSSES, reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Any:
    with _tf.name_scope(scope or "absolute_difference"):
        labels, predictions = _pair(labels, predictions)
        return compute_weighted_loss(_tf.abs(predictions - labels), weights, None, loss_collection, reduction)


def huber_loss(labels: Any, predictions: Any, weights: Any = 1.0, delta: float = 1.0, scope: str | None = None,
               loss_collection: str = LOSSES, reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Any:
    with _tf.name_scope(scope or "huber_loss"):
        labels, predictions = _pair(labels, predictions)
        error = _tf.abs(predictions - labels)
        quadratic = _tf.minimum(error, delta)
        losses = 0.5 * quadratic * quadratic + delta * (error - quadratic)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def log_loss(labels: Any, predictions: Any, weights: Any = 1.0, epsilon: float = 1e-7, scope: str | None = None,
             loss_collection: str = LOSSES, reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Any:
    with _tf.name_scope(scope or "log_loss"):
        labels, predictions = _pair(labels, predictions)
        losses = -labels * _tf.math.log(predictions + epsilon) - (1 - labels) * _tf.math.log(
            1 - predictions + epsilon)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def hinge_loss(labels: Any, logits: Any, weights: Any = 1.0, scope: str | None = None,
               loss_collection: str = LOSSES, reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Any:
    """``max(0, 1 - (2·labels - 1)·logits)`` for 0/1 labels."""
    with _tf.name_scope(scope or "hinge_loss"):
        labels, logits = _pair(labels, logits)
        losses = _tf.nn.relu(1.0 - (2.0 * labels - 1.0) * logits)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def _cross_entropy(name: str, cross_entropy: Any, labels: Any, logits: Any, weights: Any, label_smoothing: float,
                   classes: int | None, loss_collection: str, reduction: str) -> Any:
    """``cross_entropy(labels, logits)`` weighted and reduced, in name scope ``name``; ``label_smoothing`` moves the
    labels towards ``1 / classes`` (``classes``: the labels' last dimension when None)."""
    with _tf.name_scope(name):
        labels, logits = _pair(labels, logits)
        if label_smoothing:
            if classes is None:
                classes = _tf.cast(_tf.shape(labels)[-1], _tf.float32)
            labels = labels * (1 - label_smoothing) + label_smoothing / classes
        losses = cross_entropy(labels=labels, logits=logits)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def sigmoid_cross_entropy(multi_class_labels: Any, logits: Any, weights: Any = 1.0, label_smoothing: float = 0,
                          scope: str | None = None, loss_collection: str = LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Any:
    return _cross_entropy(scope or "sigmoid_cross_entropy_loss", _tf.nn.sigmoid_cross_entropy_with_logits,
                          multi_class_labels, logits, weights, label_smoothing, 2, loss_collection, reduction)


def softmax_cross_entropy(onehot_labels: Any, logits: Any, weights: Any = 1.0, label_smoothing: float = 0,
                          scope: str | None = None, loss_collection: str = LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Any:
    """Cross-entropy of one-hot labels against softmax(logits); ``weights`` are per example."""
    return _cross_entropy(scope or "softmax_cross_entropy_loss", _tf.nn.softmax_cross_entropy_with_logits,
                          onehot_labels, logits, weights, label_smoothing, None, loss_collection, reduction)


def sparse_softmax_cross_entropy(labels: Any, logits: Any, weights: Any = 1.0, scope: str | None = None,
                                 loss_collection: str = LOSSES,
                                 reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Any:
    """Cross-entropy of integer class labels against softmax(logits)."""
    with _tf.name_scope(scope or "sparse_softmax_cross_entropy_loss"):
        losses = _tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def get_losses(scope: str | None = None, loss_collection: str = LOSSES) -> list:
    return get_default_graph().get_collection(loss_collection, scope)


def get_regularization_losses(scope: str | None = None) -> list:
    return get_default_graph().get_collection(REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope: str | None = None, name: str = "total_regularization_loss") -> Any:
    """The sum of the regularization losses (0.0 when there are none)."""
    losses = get_regularization_losses(scope)
    return _tf.add_n(losses, name=name) if losses else _tf.constant(0.0)


def get_total_loss(add_regularization_losses: bool = True, name: str = "total_loss", scope: str | None = None) -> Any:
    """The sum of the LOSSES collection (plus the regularization losses).

    Raises:
        ValueError: no losses at all.
    """
    losses = get_losses(scope) + (get_regularization_losses(scope) if add_regularization_losses else [])
    if not losses:
        raise ValueError("No losses found in collections.")
    return _tf.add_n(losses, name=name)
