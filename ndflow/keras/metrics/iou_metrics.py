"""Intersection-over-union metrics for segmentation: ``IoU``, ``BinaryIoU``, ``MeanIoU``, ``OneHotIoU`` and
``OneHotMeanIoU``. They accumulate a class confusion matrix; ``IoU = TP / (TP + FP + FN)`` per class."""
from __future__ import annotations

import warnings
from typing import Any, Sequence

import ndflow as tf

from ..losses.loss import epsilon
from .metric import Metric
from .metrics_utils import confusion_matrix

__all__ = ["IoU", "BinaryIoU", "MeanIoU", "OneHotIoU", "OneHotMeanIoU"]


class _IoUBase(Metric):
    """Accumulates the ``(num_classes, num_classes)`` confusion matrix of labels against predictions."""

    def __init__(self, num_classes: int, name: str | None = None, dtype: Any = None, ignore_class: int | None = None,
                 sparse_y_true: bool = True, sparse_y_pred: bool = True, axis: int = -1) -> None:
        super().__init__(name=name, dtype=dtype or "int")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(shape=(num_classes, num_classes), initializer="zeros", dtype=self.dtype,
                                          name="total_confusion_matrix")

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        if not self.sparse_y_true:
            y_true = tf.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = tf.argmax(y_pred, axis=self.axis)
        y_true = tf.reshape(tf.cast(tf.convert_to_tensor(y_true), self.dtype), [-1])
        y_pred = tf.reshape(tf.cast(tf.convert_to_tensor(y_pred), self.dtype), [-1])
        if sample_weight is None:
            sample_weight = 1
        elif "float" in str(getattr(sample_weight, "dtype", "")) and "int" in self.dtype:
            warnings.warn("You are passing weight as `float`, but dtype is `int`. This may result in an incorrect "
                          "weight due to type casting Consider using integer weights.", stacklevel=2)
        sample_weight = tf.reshape(tf.cast(tf.convert_to_tensor(sample_weight), self.dtype), [-1])
        sample_weight = tf.broadcast_to(sample_weight, tf.shape(y_true))
        # labels or predictions outside [0, num_classes), and ignored labels, never reach the matrix
        num_classes = tf.constant(self.num_classes, y_true.dtype)
        zero = tf.zeros((), y_true.dtype)
        in_range = tf.logical_and(tf.logical_and(y_true >= zero, y_true < num_classes),
                                  tf.logical_and(y_pred >= zero, y_pred < num_classes))
        if self.ignore_class is not None:
            in_range = tf.logical_and(in_range, tf.not_equal(y_true, tf.constant(self.ignore_class, y_true.dtype)))
        y_true = tf.where(in_range, y_true, tf.zeros_like(y_true))
        y_pred = tf.where(in_range, y_pred, tf.zeros_like(y_pred))
        sample_weight = tf.where(in_range, sample_weight, tf.zeros_like(sample_weight))
        current = confusion_matrix(y_true, y_pred, self.num_classes, weights=sample_weight, dtype=self.dtype)
        self.total_cm.assign_add(current)

    def reset_state(self) -> None:
        self.total_cm.assign(tf.zeros(self.total_cm.shape, dtype=self.total_cm.dtype))


class IoU(_IoUBase):
    """The mean IoU over ``target_class_ids`` (classes that never occur are left out of the mean).

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes to average over.
        ignore_class: a label value left out of the matrix.
        sparse_y_true, sparse_y_pred: whether labels/predictions are class ids (else argmax over ``axis``).

    Raises:
        ValueError: a target class id ≥ ``num_classes``.
    """

    def __init__(self, num_classes: int, target_class_ids: Sequence[int], name: str | None = None,
                 dtype: Any = None, ignore_class: int | None = None, sparse_y_true: bool = True,
                 sparse_y_pred: bool = True, axis: int = -1) -> None:
        super().__init__(num_classes=num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, which is "
                             f"[0, {num_classes}).")
        self.target_class_ids = list(target_class_ids)

    def result(self) -> Any:
        cm = tf.cast(self.total_cm, tf.float32)
        true_positives = tf.linalg.diag_part(cm)
        denominator = tf.reduce_sum(cm, axis=0) + tf.reduce_sum(cm, axis=1) - true_positives
        true_positives = tf.gather(true_positives, self.target_class_ids)
        denominator = tf.gather(denominator, self.target_class_ids)
        valid = tf.greater(denominator, tf.constant(1e-9, tf.float32))
        iou = true_positives / (denominator + tf.constant(epsilon(), tf.float32))
        iou = tf.where(valid, iou, tf.zeros_like(iou))
        num_valid = tf.reduce_sum(tf.cast(valid, tf.float32))
        return tf.reduce_sum(iou, axis=self.axis) / (num_valid + tf.constant(epsilon(), tf.float32))

    def get_config(self) -> dict:
        return {**super().get_config(), "num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class BinaryIoU(IoU):
    """IoU for binary labels, with predictions ``>= threshold`` taken as class 1."""

    def __init__(self, target_class_ids: Sequence[int] = (0, 1), threshold: float = 0.5, name: str | None = None,
                 dtype: Any = None) -> None:
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_pred = tf.cast(tf.convert_to_tensor(y_pred), tf.float32)
        y_pred = tf.cast(y_pred >= tf.constant(self.threshold, tf.float32), self.dtype)
        super().update_state(y_true, y_pred, sample_weight)

    def get_config(self) -> dict:
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold, "name": self.name,
                "dtype": self.dtype}


class MeanIoU(IoU):
    """The IoU averaged over all ``num_classes`` classes."""

    def __init__(self, num_classes: int, name: str | None = None, dtype: Any = None, ignore_class: int | None = None,
                 sparse_y_true: bool = True, sparse_y_pred: bool = True, axis: int = -1) -> None:
        super().__init__(num_classes=num_classes, target_class_ids=list(range(num_classes)), name=name,
                         dtype=dtype, ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotIoU(IoU):
    """``IoU`` for one-hot labels (and, unless ``sparse_y_pred``, class scores as predictions)."""

    def __init__(self, num_classes: int, target_class_ids: Sequence[int], name: str | None = None,
                 dtype: Any = None, ignore_class: int | None = None, sparse_y_pred: bool = False,
                 axis: int = -1) -> None:
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids, "name": self.name,
                "dtype": self.dtype, "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


class OneHotMeanIoU(MeanIoU):
    """``MeanIoU`` for one-hot labels (and, unless ``sparse_y_pred``, class scores as predictions)."""

    def __init__(self, num_classes: int, name: str | None = None, dtype: Any = None, ignore_class: int | None = None,
                 sparse_y_pred: bool = False, axis: int = -1) -> None:
        super().__init__(num_classes=num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}
