"""Accuracy metrics: exact match, binary (thresholded), categorical (argmax), sparse and top-k accuracy."""
from __future__ import annotations

from typing import Any

import ndflow as tf

from ..losses.loss import floatx, squeeze_or_expand_to_same_rank
from .reduction_metrics import MeanMetricWrapper

__all__ = ["Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
           "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "accuracy", "binary_accuracy",
           "categorical_accuracy", "sparse_categorical_accuracy", "top_k_categorical_accuracy",
           "sparse_top_k_categorical_accuracy"]


def _matches(a: Any, b: Any) -> Any:
    return tf.cast(tf.equal(a, b), floatx())


def accuracy(y_true: Any, y_pred: Any) -> Any:
    """1.0 where ``y_true == y_pred``, else 0.0."""
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(tf.convert_to_tensor(y_true), y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _matches(y_true, y_pred)


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> Any:
    """1.0 where ``y_pred > threshold`` agrees with the 0/1 label ``y_true``."""
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.convert_to_tensor(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    # Keras compares against a float32 threshold, in float64 only when the predictions are float64.
    threshold = tf.cast(threshold, tf.float32)
    if y_pred.dtype == tf.float64:
        threshold = tf.cast(threshold, tf.float64)
    else:
        y_pred = tf.cast(y_pred, tf.float32)
    y_pred = tf.cast(tf.greater(y_pred, threshold), y_true.dtype)
    return _matches(y_true, y_pred)


def _sparse_matches(y_true: Any, y_pred: Any, squeeze_only_if_one: bool) -> Any:
    """Compares integer labels with ``argmax(y_pred)``, keeping ``y_true``'s shape."""
    true_shape = tf.shape(y_true)
    reshape = False
    if len(y_true.shape) == len(y_pred.shape) and (not squeeze_only_if_one or y_true.shape[-1] == 1):
        y_true = tf.squeeze(y_true, -1)
        reshape = True
    y_pred = tf.argmax(y_pred, axis=-1)
    if y_pred.dtype != y_true.dtype:
        y_pred = tf.cast(y_pred, y_true.dtype)
    matches = _matches(y_true, y_pred)
    if reshape:
        matches = tf.reshape(matches, true_shape)
    return matches


def categorical_accuracy(y_true: Any, y_pred: Any) -> Any:
    """1.0 where ``argmax(y_true) == argmax(y_pred)`` (one-hot labels)."""
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(tf.argmax(y_true, axis=-1), y_pred.dtype)
    return _sparse_matches(y_true, y_pred, squeeze_only_if_one=False)


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> Any:
    """1.0 where the integer label ``y_true`` equals ``argmax(y_pred)``."""
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(tf.convert_to_tensor(y_true), y_pred.dtype)
    matches = _sparse_matches(y_true, y_pred, squeeze_only_if_one=True)
    if len(matches.shape) > 1 and matches.shape[-1] == 1:
        matches = tf.squeeze(matches, -1)
    return matches


def _in_top_k(targets: Any, y_pred: Any, k: int) -> Any:
    """``in_top_k`` over flattened leading dimensions, reshaped back to ``targets``' shape."""
    true_shape = tf.shape(targets)
    if len(y_pred.shape) > 2:
        y_pred = tf.reshape(y_pred, [-1, y_pred.shape[-1]])
    reshape = len(targets.shape) > 1
    if reshape:
        targets = tf.reshape(targets, [-1])
    matches = tf.cast(tf.math.in_top_k(targets, y_pred, k=k), floatx())
    return tf.reshape(matches, true_shape) if reshape else matches


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Any:
    """1.0 where the class of the one-hot label is among the ``k`` highest predictions."""
    y_pred = tf.convert_to_tensor(y_pred)
    targets = tf.cast(tf.argmax(y_true, axis=-1), tf.int32)
    return _in_top_k(targets, y_pred, k)


def sparse_top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5, from_sorted_ids: bool = False) -> Any:
    """1.0 where the integer label is among the ``k`` highest predictions.

    With ``from_sorted_ids``, ``y_pred`` holds class ids already sorted by score and the first ``k`` are used.
    """
    y_pred = tf.convert_to_tensor(y_pred)
    if not from_sorted_ids:
        return _in_top_k(tf.cast(tf.convert_to_tensor(y_true), tf.int32), y_pred, k)
    y_true = tf.cast(tf.convert_to_tensor(y_true), y_pred.dtype)
    true_shape = tf.shape(y_true)
    if len(y_pred.shape) > 2:
        y_pred = tf.reshape(y_pred, [-1, y_pred.shape[-1]])
    reshape = len(y_true.shape) > 1
    if reshape:
        y_true = tf.reshape(y_true, [-1])
    matches = tf.reduce_any(tf.equal(tf.expand_dims(y_true, 1), y_pred[:, :k]), axis=1)
    matches = tf.cast(matches, floatx())
    return tf.reshape(matches, true_shape) if reshape else matches


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly."""

    def __init__(self, name: str = "accuracy", dtype: Any = None) -> None:
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` matches the binary label."""

    def __init__(self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5) -> None:
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of the predictions matches the one-hot label."""

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of the predictions matches the integer label."""

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the top ``k`` predictions."""

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the top ``k`` predictions."""

    def __init__(self, k: int = 5, name: str = "sparse_top_k_categorical_accuracy", dtype: Any = None,
                 from_sorted_ids: bool = False) -> None:
        super().__init__(fn=sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    def get_config(self) -> dict:
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
