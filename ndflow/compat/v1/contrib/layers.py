"""``tf.contrib.layers`` regularizers and initializers (TF1)."""
from __future__ import annotations

import numbers
from typing import Any, Callable

import ndflow as _ndflow

from ..initializers import variance_scaling_initializer as _variance_scaling

__all__ = ["l1_regularizer", "l2_regularizer", "l1_l2_regularizer", "sum_regularizer", "apply_regularization",
           "variance_scaling_initializer", "xavier_initializer"]


def _check_scale(scale: Any) -> None:
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"scale cannot be an integer: {scale}")
    if isinstance(scale, numbers.Real) and scale < 0.0:
        raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale}")


def l1_regularizer(scale: float, scope: str | None = None) -> Callable | None:
    """``weights -> scale * sum(|weights|)`` (None when ``scale`` is 0).

    Raises:
        ValueError: an integer or negative scale.
    """
    _check_scale(scale)
    if scale == 0.0:
        return lambda weights: None
    return lambda weights: _ndflow.multiply(_ndflow.reduce_sum(_ndflow.abs(weights)), scale)


def l2_regularizer(scale: float, scope: str | None = None) -> Callable | None:
    """``weights -> scale * sum(weights²) / 2`` (TF's ``l2_loss``; None when ``scale`` is 0).

    Raises:
        ValueError: an integer or negative scale.
    """
    _check_scale(scale)
    if scale == 0.0:
        return lambda weights: None
    return lambda weights: _ndflow.multiply(_ndflow.nn.l2_loss(weights), scale)


def l1_l2_regularizer(scale_l1: float = 1.0, scale_l2: float = 1.0, scope: str | None = None) -> Callable:
    """The sum of an L1 and an L2 regularizer."""
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)])


def sum_regularizer(regularizer_list: list, scope: str | None = None) -> Callable:
    """A regularizer adding up the (non-None) penalties of ``regularizer_list``."""
    def regularize(weights: Any) -> Any:
        penalties = [p for p in (r(weights) for r in regularizer_list if r is not None) if p is not None]
        return _ndflow.add_n(penalties) if penalties else None
    return regularize


def apply_regularization(regularizer: Callable, weights_list: list | None = None) -> Any:
    """The summed penalty of ``regularizer`` over ``weights_list``, also added to REGULARIZATION_LOSSES.

    Raises:
        ValueError: no weights.
    """
    from .. import GraphKeys, add_to_collection, get_collection

    weights_list = weights_list if weights_list is not None else get_collection(GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    penalties = [p for p in (regularizer(w) for w in weights_list) if p is not None]
    total = _ndflow.add_n(penalties)
    add_to_collection(GraphKeys.REGULARIZATION_LOSSES, total)
    return total


def variance_scaling_initializer(factor: float = 2.0, mode: str = "FAN_IN", uniform: bool = False,
                                 seed: Any = None, dtype: Any = _ndflow.float32) -> Any:
    """He initialisation by default (contrib's argument names: ``factor``, ``mode`` in capitals)."""
    return _variance_scaling(factor, mode.lower(), "uniform" if uniform else "truncated_normal", seed, dtype)


def xavier_initializer(uniform: bool = True, seed: Any = None, dtype: Any = _ndflow.float32) -> Any:
    """Glorot initialisation."""
    return _variance_scaling(1.0, "fan_avg", "uniform" if uniform else "truncated_normal", seed, dtype)
