"""Confusion-matrix bookkeeping shared by the threshold metrics (Precision, Recall, AUC …) and IoU metrics.

``update_confusion_matrix_variables`` adds a batch's true/false positive/negative counts at each threshold
to the given variables. A prediction counts as positive at threshold ``t`` when it is strictly greater than
``t``. For evenly spaced thresholds the counts come from bucketing the predictions (one pass, like Keras),
otherwise from comparing every prediction with every threshold.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

import ndflow as tf

from ..losses.loss import epsilon, squeeze_or_expand_to_same_rank

__all__ = ["NEG_INF", "TRUE_POSITIVES", "FALSE_POSITIVES", "TRUE_NEGATIVES", "FALSE_NEGATIVES",
           "parse_init_thresholds", "is_evenly_distributed_thresholds", "update_confusion_matrix_variables",
           "confusion_matrix"]

NEG_INF = -1e10
TRUE_POSITIVES, FALSE_POSITIVES, TRUE_NEGATIVES, FALSE_NEGATIVES = "tp", "fp", "tn", "fn"
_CONDITIONS = (TRUE_POSITIVES, FALSE_POSITIVES, TRUE_NEGATIVES, FALSE_NEGATIVES)


def _to_list(x: Any) -> list:
    return list(x) if isinstance(x, (list, tuple, np.ndarray)) else [x]


def parse_init_thresholds(thresholds: Any, default_threshold: float = 0.5) -> list:
    """The thresholds as a list (``[default_threshold]`` when ``None``).

    Raises:
        ValueError: a threshold outside [0, 1].
    """
    if thresholds is not None:
        invalid = [t for t in _to_list(thresholds) if t is None or t < 0 or t > 1]
        if invalid:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    return _to_list(default_threshold if thresholds is None else thresholds)


def is_evenly_distributed_thresholds(thresholds: Sequence) -> bool:
    """True for at least 3 thresholds equal (within epsilon) to ``i / (n - 1)``."""
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype=np.float32) / (count - 1)
    return bool(np.allclose(thresholds, even, atol=epsilon()))


def _filter_top_k(x: Any, k: int) -> Any:
    """Keeps the ``k`` largest entries of the last axis and sets the others to ``NEG_INF``."""
    _, indices = tf.math.top_k(x, k)
    keep = tf.reduce_sum(tf.one_hot(indices, x.shape[-1], dtype=x.dtype), axis=-2)
    one = tf.constant(1.0, x.dtype)
    return x * keep + tf.constant(NEG_INF, x.dtype) * (one - keep)


def update_confusion_matrix_variables(variables: dict, y_true: Any, y_pred: Any, thresholds: Sequence,
                                      top_k: int | None = None, class_id: int | None = None,
                                      sample_weight: Any = None, multi_label: bool = False,
                                      label_weights: Any = None, thresholds_distributed_evenly: bool = False) -> None:
    """Adds the batch's weighted confusion counts at every threshold to ``variables``.

    Args:
        variables: maps ``"tp"``, ``"fp"``, ``"tn"``, ``"fn"`` to variables of shape ``(num_thresholds,)``
            (or ``(num_thresholds, num_labels)`` with ``multi_label``).
        y_true: 0/1 labels (any non-zero counts as positive).
        y_pred: scores, compared with each threshold.
        thresholds: thresholds in [0, 1] (the AUC adds ``-epsilon`` and ``1 + epsilon`` end points).
        top_k: only the ``top_k`` highest scores of each sample may count as positive.
        class_id: only this class (last axis) is scored.
        sample_weight: per-sample (or per-entry) weights.
        multi_label: keep the label axis (counts per label) instead of flattening it.
        label_weights: per-label weights (not with ``multi_label``).
        thresholds_distributed_evenly: count with buckets (the thresholds are ``i / (n - 1)``).

    Raises:
        ValueError: invalid keys, ``label_weights`` with ``multi_label``, or ``class_id`` with rank-1
            predictions.
    """
    if multi_label and label_weights is not None:
        raise ValueError("`label_weights` for multilabel data should be handled outside of "
                         "`update_confusion_matrix_variables` when `multi_label` is True.")
    invalid = [key for key in variables if key not in _CONDITIONS]
    if invalid or not variables:
        raise ValueError(f'Invalid keys: "{invalid}". Valid variable key options are: "{list(_CONDITIONS)}"')
    dtype = next(iter(variables.values())).dtype
    y_true = tf.cast(tf.convert_to_tensor(y_true), dtype)
    y_pred = tf.cast(tf.convert_to_tensor(y_pred), dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = tf.expand_dims(tf.cast(tf.convert_to_tensor(sample_weight), dtype), -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if len(y_pred.shape) == 1:
            raise ValueError("When class_id is provided, y_pred must be a 2D array with shape (num_samples, "
                             f"num_classes), found shape: {tuple(y_pred.shape)}")
        y_true = y_true[..., class_id:class_id + 1]
        y_pred = y_pred[..., class_id:class_id + 1]
    if label_weights is not None:
        label_weights = tf.cast(tf.convert_to_tensor(label_weights), dtype)
    if thresholds_distributed_evenly:
        with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
        counts = _bucketed_counts(y_true, y_pred, len(thresholds), multi_label, sample_weight, label_weights,
                                  with_epsilon, variables)
    else:
        counts = _compared_counts(y_true, y_pred, tf.constant(np.asarray(thresholds), dtype), multi_label,
                                  sample_weight, label_weights, variables)
    for key, variable in variables.items():
        variable.assign_add(counts[key])


def _weights(sample_weight: Any, label_weights: Any, y_pred: Any, flatten: bool) -> Any:
    """The product of sample and label weights broadcast to ``y_pred`` (``None`` when neither is given)."""
    weights = None
    if sample_weight is not None:
        weights = tf.broadcast_to(sample_weight, tf.shape(y_pred))
    if label_weights is not None:
        label_weights = tf.broadcast_to(tf.expand_dims(label_weights, 0), tf.shape(y_pred))
        weights = label_weights if weights is None else weights * label_weights
    if weights is not None and flatten:
        weights = tf.reshape(weights, [-1])
    return weights


def _bucketed_counts(y_true: Any, y_pred: Any, num_thresholds: int, multi_label: bool, sample_weight: Any,
                     label_weights: Any, with_epsilon: bool, wanted: dict) -> dict:
    """Counts by the bucket ``ceil(y_pred * (n - 1)) - 1`` of each prediction, then reverse cumulative sums."""
    weights = _weights(sample_weight, label_weights, y_pred, flatten=not multi_label)
    y_pred = tf.clip_by_value(y_pred, tf.constant(0.0, y_pred.dtype), tf.constant(1.0, y_pred.dtype))
    y_true = tf.cast(tf.cast(y_true, tf.bool), y_true.dtype)
    if not multi_label:
        y_true, y_pred = tf.reshape(y_true, [-1]), tf.reshape(y_pred, [-1])
    one = tf.constant(1.0, y_true.dtype)
    true_labels = y_true if weights is None else y_true * weights
    false_labels = one - y_true if weights is None else (one - y_true) * weights
    buckets = tf.math.ceil(y_pred * tf.constant(num_thresholds - 1, y_pred.dtype)) - one
    if with_epsilon:
        buckets = tf.nn.relu(buckets)
    buckets = tf.cast(buckets, tf.int32)
    if multi_label:
        # one segment range per label: ids of label j live in [j * n, (j + 1) * n)
        true_labels, false_labels = tf.transpose(true_labels), tf.transpose(false_labels)
        buckets = tf.transpose(buckets)
        num_labels = int(buckets.shape[0])
        offsets = tf.expand_dims(tf.range(num_labels) * num_thresholds, 1)
        buckets = tf.where(buckets >= 0, buckets + offsets, -tf.ones_like(buckets))

        def per_bucket(values: Any) -> Any:
            sums = tf.math.unsorted_segment_sum(tf.reshape(values, [-1]), tf.reshape(buckets, [-1]),
                                                num_labels * num_thresholds)
            return tf.reshape(sums, [num_labels, num_thresholds])

        tp = tf.transpose(tf.math.cumsum(per_bucket(true_labels), axis=1, reverse=True))
        fp = tf.transpose(tf.math.cumsum(per_bucket(false_labels), axis=1, reverse=True))
        total_true, total_false = tf.reduce_sum(true_labels, axis=1), tf.reduce_sum(false_labels, axis=1)
    else:
        tp = tf.math.cumsum(tf.math.unsorted_segment_sum(true_labels, buckets, num_thresholds), reverse=True)
        fp = tf.math.cumsum(tf.math.unsorted_segment_sum(false_labels, buckets, num_thresholds), reverse=True)
        total_true, total_false = tf.reduce_sum(true_labels), tf.reduce_sum(false_labels)
    counts = {TRUE_POSITIVES: tp, FALSE_POSITIVES: fp}
    if TRUE_NEGATIVES in wanted:
        counts[TRUE_NEGATIVES] = total_false - fp
    if FALSE_NEGATIVES in wanted:
        counts[FALSE_NEGATIVES] = total_true - tp
    return counts


def _compared_counts(y_true: Any, y_pred: Any, thresholds: Any, multi_label: bool, sample_weight: Any,
                     label_weights: Any, wanted: dict) -> dict:
    """Counts by comparing every prediction with every threshold (shape ``(thresholds, predictions…)``)."""
    weights = _weights(sample_weight, None if multi_label else label_weights, y_pred, flatten=not multi_label)
    if multi_label:
        preds, labels = tf.expand_dims(y_pred, 0), tf.expand_dims(tf.cast(y_true, tf.bool), 0)
        thresholds = tf.reshape(thresholds, [-1, 1, 1])
    else:
        preds, labels = tf.reshape(y_pred, [1, -1]), tf.reshape(tf.cast(y_true, tf.bool), [1, -1])
        thresholds = tf.reshape(thresholds, [-1, 1])
    if weights is not None:
        weights = tf.expand_dims(weights, 0)
    pred_pos = preds > thresholds
    label_pos = tf.broadcast_to(labels, tf.shape(pred_pos))
    pred_neg, label_neg = tf.logical_not(pred_pos), tf.logical_not(label_pos)
    cells = {TRUE_POSITIVES: (label_pos, pred_pos), FALSE_POSITIVES: (label_neg, pred_pos),
             TRUE_NEGATIVES: (label_neg, pred_neg), FALSE_NEGATIVES: (label_pos, pred_neg)}
    counts = {}
    for key in wanted:
        hit = tf.logical_and(*cells[key])
        if weights is None:
            values = tf.cast(hit, y_pred.dtype)
        else:
            values = tf.where(hit, tf.broadcast_to(weights, tf.shape(hit)), tf.zeros_like(pred_pos, y_pred.dtype))
        counts[key] = tf.reduce_sum(values, axis=1)
    return counts


def confusion_matrix(labels: Any, predictions: Any, num_classes: int, weights: Any = None,
                     dtype: Any = "int32") -> Any:
    """The ``(num_classes, num_classes)`` matrix counting (weighted) ``(label, prediction)`` pairs."""
    labels = tf.cast(tf.convert_to_tensor(labels), dtype)
    predictions = tf.cast(tf.convert_to_tensor(predictions), dtype)
    labels, predictions = squeeze_or_expand_to_same_rank(labels, predictions)
    values = tf.ones_like(predictions) if weights is None else tf.cast(weights, dtype)
    cells = tf.cast(labels, tf.int64) * num_classes + tf.cast(predictions, tf.int64)
    counts = tf.math.unsorted_segment_sum(values, cells, num_classes * num_classes)
    return tf.reshape(counts, [num_classes, num_classes])
