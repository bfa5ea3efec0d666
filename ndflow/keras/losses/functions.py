"""Keras 3 loss functions: each maps ``(y_true, y_pred)`` to one value per sample (the last axis reduced).

Probabilities are clipped to ``[epsilon, 1 - epsilon]`` (``keras.backend.epsilon()``) exactly where Keras's
TensorFlow backend clips them, so values agree to float32 rounding. A ``y_pred`` produced by a softmax or
sigmoid activation that carries its logits (``_keras_logits``) is scored from those logits, as Keras does.
"""
from __future__ import annotations

import math
import warnings
from typing import Any

import ndflow as tf

from .loss import epsilon, set_keras_mask, squeeze_or_expand_to_same_rank

__all__ = ["mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
           "mean_squared_logarithmic_error", "cosine_similarity", "huber", "log_cosh", "hinge", "squared_hinge",
           "categorical_hinge", "kl_divergence", "poisson", "binary_crossentropy", "binary_focal_crossentropy",
           "categorical_crossentropy", "categorical_focal_crossentropy", "sparse_categorical_crossentropy",
           "categorical_generalized_cross_entropy", "dice", "tversky", "l2_normalize"]


def _pred_and_true(y_true: Any, y_pred: Any, same_rank: bool = True) -> tuple[Any, Any]:
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(tf.convert_to_tensor(y_true), y_pred.dtype)
    if same_rank:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return y_true, y_pred


def _const(value: float, like: Any) -> Any:
    return tf.constant(value, dtype=like.dtype)


# -- regression --------------------------------------------------------------------------------------------
def mean_squared_error(y_true: Any, y_pred: Any) -> Any:
    """``mean(square(y_true - y_pred), axis=-1)``."""
    y_true, y_pred = _pred_and_true(y_true, y_pred)
    return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Any:
    """``mean(abs(y_true - y_pred), axis=-1)``."""
    y_true, y_pred = _pred_and_true(y_true, y_pred)
    return tf.reduce_mean(tf.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Any:
    """``100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)``."""
    y_true, y_pred = _pred_and_true(y_true, y_pred)
    diff = tf.abs((y_true - y_pred) / tf.maximum(tf.abs(y_true), _const(epsilon(), y_pred)))
    return _const(100.0, diff) * tf.reduce_mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Any:
    """``mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)``."""
    y_true, y_pred = _pred_and_true(y_true, y_pred)
    eps, one = _const(epsilon(), y_pred), _const(1.0, y_pred)
    first_log = tf.math.log(tf.maximum(y_pred, eps) + one)
    second_log = tf.math.log(tf.maximum(y_true, eps) + one)
    return tf.reduce_mean(tf.square(first_log - second_log), axis=-1)


def l2_normalize(x: Any, axis: Any = -1) -> Any:
    """``x * min(rsqrt(sum(square(x))), 1 / epsilon)`` along ``axis`` (Keras's ``ops.normalize``)."""
    inv_norm = tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=axis, keepdims=True))
    return x * tf.minimum(inv_norm, _const(1.0 / epsilon(), x))


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Any:
    """Minus the cosine of the angle between ``y_true`` and ``y_pred`` along ``axis`` (in [-1, 1])."""
    y_true, y_pred = _pred_and_true(y_true, y_pred)
    return -tf.reduce_sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), axis=axis)


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Any:
    """Quadratic for errors up to ``delta``, linear beyond; averaged over the last axis."""
    y_true, y_pred = _pred_and_true(y_true, y_pred)
    delta = tf.cast(delta, y_pred.dtype)
    error = y_pred - y_true
    abs_error = tf.abs(error)
    half = _const(0.5, error)
    losses = tf.where(abs_error <= delta, half * tf.square(error), delta * abs_error - half * tf.square(delta))
    return tf.reduce_mean(losses, axis=-1)


def log_cosh(y_true: Any, y_pred: Any) -> Any:
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed as ``x + softplus(-2x) - log(2)``."""
    y_true, y_pred = _pred_and_true(y_true, y_pred)
    x = y_pred - y_true
    return tf.reduce_mean(x + tf.math.softplus(x * _const(-2.0, x)) - _const(math.log(2.0), x), axis=-1)


# -- hinge -------------------------------------------------------------------------------------------------
def _binary_labels_to_signs(y_true: Any) -> Any:
    """Maps 0/1 labels to -1/+1; labels that are not all 0 or 1 are used as they are."""
    is_binary = tf.reduce_all(tf.logical_or(tf.equal(y_true, 0), tf.equal(y_true, 1)))
    return tf.where(is_binary, _const(2.0, y_true) * y_true - _const(1.0, y_true), y_true)


def hinge(y_true: Any, y_pred: Any) -> Any:
    """``mean(maximum(1 - y_true * y_pred, 0), axis=-1)`` with 0/1 labels mapped to -1/+1."""
    y_true, y_pred = _pred_and_true(y_true, y_pred, same_rank=False)
    y_true = _binary_labels_to_signs(y_true)
    return tf.reduce_mean(tf.maximum(_const(1.0, y_pred) - y_true * y_pred, _const(0.0, y_pred)), axis=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> Any:
    """``mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`` with 0/1 labels mapped to -1/+1."""
    y_true, y_pred = _pred_and_true(y_true, y_pred, same_rank=False)
    y_true = _binary_labels_to_signs(y_true)
    margin = tf.maximum(_const(1.0, y_pred) - y_true * y_pred, _const(0.0, y_pred))
    return tf.reduce_mean(tf.square(margin), axis=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> Any:
    """``maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`` over the last axis."""
    y_true, y_pred = _pred_and_true(y_true, y_pred, same_rank=False)
    one = _const(1.0, y_pred)
    pos = tf.reduce_sum(y_true * y_pred, axis=-1)
    neg = tf.reduce_max((one - y_true) * y_pred, axis=-1)
    return tf.maximum(neg - pos + one, _const(0.0, y_pred))


# -- probabilistic -----------------------------------------------------------------------------------------
def kl_divergence(y_true: Any, y_pred: Any) -> Any:
    """``sum(y_true * log(y_true / y_pred), axis=-1)`` with both clipped to ``[epsilon, 1]``."""
    y_true, y_pred = _pred_and_true(y_true, y_pred, same_rank=False)
    eps, one = _const(epsilon(), y_pred), _const(1.0, y_pred)
    y_true = tf.clip_by_value(y_true, eps, one)
    y_pred = tf.clip_by_value(y_pred, eps, one)
    return tf.reduce_sum(y_true * tf.math.log(y_true / y_pred), axis=-1)


def poisson(y_true: Any, y_pred: Any) -> Any:
    """``mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)``."""
    y_true, y_pred = _pred_and_true(y_true, y_pred, same_rank=False)
    return tf.reduce_mean(y_pred - y_true * tf.math.log(y_pred + _const(epsilon(), y_pred)), axis=-1)


def _logits_of(output: Any, from_logits: bool, fn_name: str, activation: str) -> tuple[Any, bool]:
    """Uses the logits an activation attached to ``output`` (``_keras_logits``), as Keras does."""
    logits = getattr(output, "_keras_logits", None)
    if logits is None:
        return output, from_logits
    if from_logits:
        warnings.warn(f'"`{fn_name}` received `from_logits=True`, but the `output` argument was produced by a '
                      f"{activation} activation and thus does not represent logits. Was this intended?",
                      stacklevel=3)
    return logits, True


def _check_same_shape(target: Any, output: Any) -> None:
    if len(target.shape) != len(output.shape):
        raise ValueError("Arguments `target` and `output` must have the same rank (ndim). Received: "
                         f"target.shape={_shape(target)}, output.shape={_shape(output)}")
    for t, o in zip(target.shape, output.shape):
        if t is not None and o is not None and t != o:
            raise ValueError("Arguments `target` and `output` must have the same shape. Received: "
                             f"target.shape={_shape(target)}, output.shape={_shape(output)}")


def _shape(x: Any) -> tuple:
    return tuple(x.shape)


def _elementwise_binary_crossentropy(target: Any, output: Any, from_logits: bool) -> Any:
    _check_same_shape(target, output)
    output, from_logits = _logits_of(output, from_logits, "binary_crossentropy", "Sigmoid")
    if from_logits:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    one = _const(1.0, output)
    output = tf.clip_by_value(output, _const(epsilon(), output), one - _const(epsilon(), output))
    return -(target * tf.math.log(output) + (one - target) * tf.math.log(one - output))


def _smooth_binary_labels(y_true: Any, label_smoothing: float) -> Any:
    if not label_smoothing:
        return y_true
    return y_true * _const(1.0 - label_smoothing, y_true) + _const(0.5 * label_smoothing, y_true)


def binary_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0,
                        axis: int = -1) -> Any:
    """Binary cross-entropy averaged over ``axis``.

    Args:
        from_logits: ``y_pred`` holds logits rather than probabilities.
        label_smoothing: squeezes the labels towards 0.5 by this amount.

    Raises:
        ValueError: ``y_true`` and ``y_pred`` differ in shape.
    """
    y_true, y_pred = _pred_and_true(y_true, y_pred, same_rank=False)
    y_true = _smooth_binary_labels(y_true, label_smoothing)
    return tf.reduce_mean(_elementwise_binary_crossentropy(y_true, y_pred, from_logits), axis=axis)


def binary_focal_crossentropy(y_true: Any, y_pred: Any, apply_class_balancing: bool = False, alpha: float = 0.25,
                              gamma: float = 2.0, from_logits: bool = False, label_smoothing: float = 0.0,
                              axis: int = -1) -> Any:
    """Binary cross-entropy scaled by ``(1 - p_t) ** gamma`` (and by ``alpha`` with class balancing)."""
    y_true, y_pred = _pred_and_true(y_true, y_pred, same_rank=False)
    y_true = _smooth_binary_labels(y_true, label_smoothing)
    if from_logits:
        bce = _elementwise_binary_crossentropy(y_true, y_pred, True)
        y_pred = tf.sigmoid(y_pred)
    else:
        bce = _elementwise_binary_crossentropy(y_true, y_pred, False)
    one = _const(1.0, y_pred)
    p_t = y_true * y_pred + (one - y_true) * (one - y_pred)
    focal_bce = tf.pow(one - p_t, tf.cast(gamma, y_pred.dtype)) * bce
    if apply_class_balancing:
        alpha_t = tf.cast(alpha, y_pred.dtype)
        focal_bce = (y_true * alpha_t + (one - y_true) * (one - alpha_t)) * focal_bce
    return tf.reduce_mean(focal_bce, axis=axis)


def _check_axis(axis: Any) -> None:
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}")


def _smooth_categorical_labels(y_true: Any, y_pred: Any, label_smoothing: float, fn_name: str) -> Any:
    if y_pred.shape[-1] == 1:
        warnings.warn(f"In loss {fn_name}, expected y_pred.shape to be (batch_size, num_classes) with "
                      f"num_classes > 1. Received: y_pred.shape={_shape(y_pred)}. Consider using "
                      "'binary_crossentropy' if you only have 2 classes.", SyntaxWarning, stacklevel=3)
    if not label_smoothing:
        return y_true
    num_classes = tf.cast(tf.shape(y_true)[-1], y_pred.dtype)
    return y_true * _const(1.0 - label_smoothing, y_true) + _const(label_smoothing, y_true) / num_classes


def _normalized_clipped_probabilities(output: Any, axis: int) -> Any:
    output = output / tf.reduce_sum(output, axis=axis, keepdims=True)
    eps = _const(epsilon(), output)
    return tf.clip_by_value(output, eps, _const(1.0, output) - eps)


def categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0,
                             axis: int = -1) -> Any:
    """Cross-entropy between one-hot (or soft) labels and predicted class probabilities along ``axis``.

    Probabilities are renormalised to sum to one, then clipped, before the log.

    Raises:
        ValueError: ``axis`` is a bool, or the shapes of ``y_true`` and ``y_pred`` differ.
    """
    _check_axis(axis)
    y_true, y_pred = _pred_and_true(y_true, y_pred, same_rank=False)
    y_true = _smooth_categorical_labels(y_true, y_pred, label_smoothing, "categorical_crossentropy")
    if len(y_true.shape) < 1:
        raise ValueError("Arguments `target` and `output` must be at least rank 1. Received: "
                         f"target.shape={_shape(y_true)}, output.shape={_shape(y_pred)}")
    _check_same_shape(y_true, y_pred)
    output, from_logits = _logits_of(y_pred, from_logits, "categorical_crossentropy", "Softmax")
    if from_logits:
        return tf.nn.softmax_cross_entropy_with_logits(labels=y_true, logits=output, axis=axis)
    output = _normalized_clipped_probabilities(output, axis)
    return -tf.reduce_sum(y_true * tf.math.log(output), axis=axis)


def categorical_focal_crossentropy(y_true: Any, y_pred: Any, alpha: float = 0.25, gamma: float = 2.0,
                                   from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1) -> Any:
    """Categorical cross-entropy with each class term scaled by ``alpha * (1 - p) ** gamma``."""
    _check_axis(axis)
    y_true, y_pred = _pred_and_true(y_true, y_pred, same_rank=False)
    y_true = _smooth_categorical_labels(y_true, y_pred, label_smoothing, "categorical_focal_crossentropy")
    if from_logits:
        y_pred = tf.nn.softmax(y_pred, axis=axis)
    output = _normalized_clipped_probabilities(y_pred, axis)
    cce = -y_true * tf.math.log(output)
    weight = tf.pow(_const(1.0, output) - output, tf.cast(gamma, output.dtype)) * tf.cast(alpha, output.dtype)
    return tf.reduce_sum(weight * cce, axis=axis)


def sparse_categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False, ignore_class: Any = None,
                                    axis: int = -1) -> Any:
    """Cross-entropy between integer class labels and predicted class probabilities (or logits).

    Args:
        ignore_class: a label value whose entries get zero loss and are masked out of the reduction.

    Raises:
        ValueError: ``axis`` is not the last axis, or the label shape does not match the predictions.
    """
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[axis] == 1:
        y_true = tf.squeeze(y_true, axis)
    valid = None
    if ignore_class is not None:
        class_axis = axis % len(y_pred.shape)
        result_shape = [d for i, d in enumerate(_dynamic_shape(y_pred)) if i != class_axis]
        valid = tf.not_equal(tf.cast(y_true, y_pred.dtype), tf.cast(ignore_class, y_pred.dtype))
        y_true = tf.where(valid, y_true, tf.zeros_like(y_true))
        y_pred = tf.where(tf.expand_dims(valid, axis), y_pred, tf.zeros_like(y_pred))
    result = _sparse_crossentropy(y_true, y_pred, from_logits, axis)
    if valid is not None:
        valid = tf.reshape(valid, tf.stack(result_shape) if _is_dynamic(result_shape) else result_shape)
        result = tf.where(valid, result, tf.zeros_like(result))
        set_keras_mask(result, valid)
    return result


def _dynamic_shape(x: Any) -> list:
    dynamic = None
    dims = []
    for i, d in enumerate(x.shape):
        if d is None:
            dynamic = tf.shape(x) if dynamic is None else dynamic
            d = dynamic[i]
        dims.append(d)
    return dims


def _is_dynamic(dims: list) -> bool:
    return any(not isinstance(d, int) for d in dims)


def _sparse_crossentropy(target: Any, output: Any, from_logits: bool, axis: int) -> Any:
    if axis != -1 and axis != len(output.shape) - 1:
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    output, from_logits = _logits_of(output, from_logits, "sparse_categorical_crossentropy", "Softmax")
    target = tf.cast(target, tf.int64)
    if len(target.shape) == len(output.shape) and target.shape[-1] == 1:
        target = tf.squeeze(target, -1)
    if len(output.shape) < 1:
        raise ValueError(f"Argument `output` must be at least rank 1. Received: output.shape={_shape(output)}")
    if len(target.shape) != len(output.shape[:-1]):
        raise ValueError("Argument `output` must have rank (ndim) `target.ndim - 1`. Received: "
                         f"target.shape={_shape(target)}, output.shape={_shape(output)}")
    for t, o in zip(target.shape, output.shape[:-1]):
        if t is not None and o is not None and t != o:
            raise ValueError("Arguments `target` and `output` must have the same shape up until the last "
                             f"dimension: target.shape={_shape(target)}, output.shape={_shape(output)}")
    if not from_logits:
        eps = _const(epsilon(), output)
        output = tf.math.log(tf.clip_by_value(output, eps, _const(1.0, output) - eps))
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)


def categorical_generalized_cross_entropy(y_true: Any, y_pred: Any, q: float) -> Any:
    """Generalized cross-entropy ``(1 - p ** q) / q`` of the probability ``p`` given to the integer label;
    robust to noisy labels for ``q`` in (0, 1)."""
    y_pred = tf.convert_to_tensor(y_pred)
    labels = tf.cast(tf.convert_to_tensor(y_true), tf.int64)
    p = tf.reduce_sum(y_pred * tf.one_hot(labels, y_pred.shape[-1], dtype=y_pred.dtype), axis=-1)
    q = tf.cast(q, y_pred.dtype)
    return (tf.ones((), y_pred.dtype) - tf.pow(p, q)) / q


# -- segmentation ------------------------------------------------------------------------------------------
def dice(y_true: Any, y_pred: Any, axis: Any = None) -> Any:
    """``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)`` over ``axis``."""
    y_true, y_pred = _pred_and_true(y_true, y_pred, same_rank=False)
    intersection = tf.reduce_sum(y_true * y_pred, axis=axis)
    denominator = tf.reduce_sum(y_true, axis=axis) + tf.reduce_sum(y_pred, axis=axis) + _const(epsilon(), y_pred)
    return _const(1.0, y_pred) - _const(2.0, y_pred) * intersection / denominator


def tversky(y_true: Any, y_pred: Any, alpha: float = 0.5, beta: float = 0.5, axis: Any = None) -> Any:
    """``1 - TP / (TP + alpha * FP + beta * FN + epsilon)`` with soft counts over ``axis``."""
    y_true, y_pred = _pred_and_true(y_true, y_pred, same_rank=False)
    one = _const(1.0, y_pred)
    intersection = tf.reduce_sum(y_true * y_pred, axis=axis)
    fp = tf.reduce_sum((one - y_pred) * y_true, axis=axis)
    fn = tf.reduce_sum(y_pred * (one - y_true), axis=axis)
    denominator = intersection + fp * _const(alpha, fp) + fn * _const(beta, fn) + _const(epsilon(), y_pred)
    return one - intersection / denominator
