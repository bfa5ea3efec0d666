"""``Loss``: the base class of Keras losses, and the reductions shared with metrics (Keras 3 semantics).

A loss call converts ``y_true``/``y_pred`` to the loss dtype, computes per-sample values with ``call``, folds
the Keras mask of ``y_pred`` (the ``_keras_mask`` attribute set by masking layers) into ``sample_weight`` and
reduces.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np

import ndflow as tf

from ..._core import nest

__all__ = ["Loss", "REDUCTIONS", "standardize_reduction", "squeeze_or_expand_to_same_rank", "apply_mask",
           "reduce_values", "reduce_weighted_values", "get_keras_mask", "set_keras_mask", "to_snake_case",
           "auto_name", "epsilon", "floatx", "standardize_dtype"]

REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


def epsilon() -> float:
    """Keras's fuzz factor (``keras.backend.epsilon()``, 1e-7 unless changed)."""
    from .. import backend

    return backend.epsilon()


def floatx() -> str:
    """Keras's default float dtype name (``keras.backend.floatx()``)."""
    from .. import backend

    return backend.floatx()


def to_snake_case(name: str) -> str:
    """``"MeanSquaredError"`` → ``"mean_squared_error"`` (Keras's rule, so ``"AUC"`` → ``"auc"``)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def auto_name(class_name: str) -> str:
    """A fresh object name from a class name (``loss``, ``loss_1`` …), shared with layer names as in Keras."""
    from ..layers.layer import unique_name

    return unique_name(to_snake_case(class_name))


def get_keras_mask(x: Any) -> Any:
    """The Keras mask carried by ``x`` (``None`` when it has none)."""
    return getattr(x, "_keras_mask", None)


def set_keras_mask(x: Any, mask: Any) -> None:
    """Attaches ``mask`` to the tensor ``x`` as its Keras mask."""
    x._keras_mask = mask


def standardize_reduction(reduction: Any) -> Any:
    """Checks a reduction name.

    Raises:
        ValueError: not one of ``REDUCTIONS``.
    """
    if reduction not in REDUCTIONS:
        allowed = "{" + ", ".join(repr(r) for r in REDUCTIONS) + "}"
        raise ValueError(f"Invalid value for argument `reduction`. Expected one of {allowed}. "
                         f"Received: reduction={reduction}")
    return reduction


def squeeze_or_expand_to_same_rank(x1: Any, x2: Any, expand_rank_1: bool = True) -> tuple[Any, Any]:
    """Makes ranks equal when they differ by one and the longer tensor ends in a dimension of size 1.

    A rank-1 partner is expanded (when ``expand_rank_1``); otherwise the trailing 1 is squeezed away.
    """
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = tf.expand_dims(x2, -1)
        else:
            x1 = tf.squeeze(x1, -1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = tf.expand_dims(x1, -1)
        else:
            x2 = tf.squeeze(x2, -1)
    return x1, x2


def _num_elements(x: Any, dtype: Any) -> Any:
    return tf.cast(tf.size(x), dtype)


def apply_mask(sample_weight: Any, mask: Any, dtype: Any, reduction: Any) -> Any:
    """Folds a boolean ``mask`` into ``sample_weight``.

    For the averaging reductions the kept entries are scaled by ``total / valid`` so that dividing by the
    element count later averages over the valid entries only.
    """
    if mask is None:
        return sample_weight
    mask = tf.cast(mask, tf.bool)
    if reduction in ("mean", "sum_over_batch_size"):
        valid = tf.reduce_sum(tf.cast(mask, dtype))
        scale = tf.math.divide_no_nan(_num_elements(mask, dtype), valid)
        float_mask = tf.where(mask, scale, tf.zeros_like(scale))
    else:
        float_mask = tf.cast(mask, dtype)
    if sample_weight is None:
        return float_mask
    sample_weight = tf.cast(sample_weight, dtype)
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return sample_weight * float_mask


def reduce_values(values: Any, sample_weight: Any = None, reduction: Any = "sum_over_batch_size") -> Any:
    """Reduces already weighted per-sample values (scalars and empty vectors pass through unchanged)."""
    if reduction in (None, "none") or tuple(values.shape) in ((), (0,)):
        return values
    loss = tf.reduce_sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = tf.cast(tf.reduce_sum(sample_weight), loss.dtype)
    else:
        divisor = _num_elements(values, loss.dtype)
    return tf.math.divide_no_nan(loss, divisor)


def reduce_weighted_values(values: Any, sample_weight: Any = None, mask: Any = None,
                           reduction: Any = "sum_over_batch_size", dtype: Any = None) -> Any:
    """Weights ``values`` by ``sample_weight`` and ``mask`` (broadcast as Keras does), then reduces."""
    reduction = standardize_reduction(reduction)
    values = _to_dtype(values, dtype)
    if sample_weight is not None:
        sample_weight = _to_dtype(sample_weight, dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        sample_weight = tf.cast(sample_weight, values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


def _to_dtype(x: Any, dtype: Any) -> Any:
    x = tf.convert_to_tensor(x) if dtype is None or tf.is_tensor(x) else tf.convert_to_tensor(x, dtype=dtype)
    return x if dtype is None or x.dtype == tf.as_dtype(dtype) else tf.cast(x, dtype)


def _to_tensors(x: Any, dtype: Any) -> Any:
    """``x`` as tensors of ``dtype``: a structure (dict, or list/tuple holding tensors or arrays) leaf by leaf,
    anything else (including nested lists of numbers) as one tensor."""
    structured = isinstance(x, dict) or (nest.is_nested(x) and any(
        tf.is_tensor(leaf) or isinstance(leaf, np.ndarray) for leaf in nest.flatten(x)))
    if structured:
        return nest.map_structure(lambda leaf: _to_dtype(leaf, dtype), x)
    return _to_dtype(x, dtype)


class Loss:
    """Base class of losses: subclasses implement ``call(y_true, y_pred)`` returning per-sample values.

    Args:
        name: the loss name; default the class name in snake case, made unique.
        reduction: ``"sum_over_batch_size"`` (default), ``"sum"``, ``"mean"``, ``"mean_with_sample_weight"``,
            ``"none"`` or ``None``.
        dtype: the computation dtype; default ``keras.backend.floatx()``.

    Raises:
        ValueError: unknown ``reduction``.
    """

    def __init__(self, name: str | None = None, reduction: Any = "sum_over_batch_size", dtype: Any = None) -> None:
        self.name = name or auto_name(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = standardize_dtype(dtype)

    @property
    def dtype(self) -> str:
        return self._dtype

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        in_mask = get_keras_mask(y_pred)
        with tf.name_scope(self.name):
            y_pred = _to_tensors(y_pred, self.dtype)
            y_true = _to_tensors(y_true, self.dtype)
            losses = self.call(y_true, y_pred)
            out_mask = get_keras_mask(losses)
            if in_mask is not None and out_mask is not None:
                mask = tf.logical_and(tf.cast(in_mask, tf.bool), tf.cast(out_mask, tf.bool))
            else:
                mask = in_mask if in_mask is not None else out_mask
            return reduce_weighted_values(losses, sample_weight=sample_weight, mask=mask,
                                          reduction=self.reduction, dtype=self.dtype)

    def call(self, y_true: Any, y_pred: Any) -> Any:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict) -> Loss:
        return cls(**config)


def standardize_dtype(dtype: Any) -> str:
    """The compute dtype name for a ``dtype`` argument: a name, a DType, a dtype-policy (or its config) or
    ``None`` (``floatx()``); ``"int"`` means int64 and ``"float"`` means ``floatx()``, as in Keras."""
    if dtype is None:
        return floatx()
    if isinstance(dtype, dict):  # a serialized DTypePolicy
        dtype = dtype.get("config", {}).get("name", floatx())
    name = getattr(dtype, "name", dtype)
    if name in ("mixed_float16", "mixed_bfloat16"):
        return name.split("_", 1)[1]
    return {"int": "int64", "float": floatx()}.get(name, name)
