"""Reduction metrics: ``Sum``, ``Mean`` and ``MeanMetricWrapper`` (the running mean of a per-sample function)."""
from __future__ import annotations

from typing import Any, Callable

import ndflow as tf

from ..losses.loss import apply_mask, get_keras_mask, squeeze_or_expand_to_same_rank
from .metric import Metric

__all__ = ["Sum", "Mean", "MeanMetricWrapper", "LossMeanMetric", "reduce_to_samplewise_values"]


def reduce_to_samplewise_values(values: Any, sample_weight: Any, reduce_fn: Callable, dtype: Any) -> tuple[Any, Any]:
    """Weights ``values`` and reduces them to one value per sample (Keras's rule).

    ``sample_weight`` is aligned to ``values``' rank when they differ by a trailing 1; values with extra
    dimensions are first reduced (with ``reduce_fn``) to the rank of the weights. Any Keras mask on ``values``
    is folded into the weights.

    Returns:
        ``(values, sample_weight)``, both reduced to rank ≤ 1 (``sample_weight`` stays ``None`` if given so).
    """
    mask = get_keras_mask(values)
    values = tf.cast(values, dtype)
    if sample_weight is not None:
        sample_weight = tf.cast(sample_weight, dtype)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, dtype=dtype, reduction="sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_rank, values_rank = len(sample_weight.shape), len(values.shape)
        if values_rank > weight_rank:
            values = reduce_fn(values, axis=list(range(weight_rank, values_rank)))
        sample_weight = tf.broadcast_to(sample_weight, tf.shape(values))
        values = values * sample_weight
        if weight_rank > 1:
            sample_weight = reduce_fn(sample_weight, axis=list(range(1, weight_rank)))
    if len(values.shape) > 1:
        values = reduce_fn(values, axis=list(range(1, len(values.shape))))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of all values seen."""

    def __init__(self, name: str = "sum", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="total")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values, _ = reduce_to_samplewise_values(values, sample_weight, tf.reduce_sum, self.dtype)
        self.total.assign_add(tf.reduce_sum(values))

    def result(self) -> Any:
        return tf.identity(self.total)


class Mean(Metric):
    """The (weighted) mean of all values seen: ``sum(values * weights) / sum(weights)``.

    Each sample counts once (its values are first averaged), or with its weight.
    """

    def __init__(self, name: str = "mean", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="count")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, tf.reduce_mean, self.dtype)
        self.total.assign_add(tf.reduce_sum(values))
        if sample_weight is not None:
            num_samples = tf.reduce_sum(sample_weight)
        elif len(values.shape) >= 1:
            num_samples = tf.shape(values)[0]
        else:
            num_samples = 1
        self.count.assign_add(tf.cast(num_samples, self.dtype))

    def result(self) -> Any:
        return tf.math.divide_no_nan(self.total, tf.cast(self.count, self.dtype))


class MeanMetricWrapper(Mean):
    """The running mean of ``fn(y_true, y_pred, **kwargs)`` (a per-sample function such as a loss).

    Args:
        fn: the function.
        name: the metric name.
        dtype: the dtype of the running totals.
        **kwargs: passed to ``fn`` on every update.
    """

    def __init__(self, fn: Callable, name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        from .. import losses

        if fn in losses.ALL_OBJECTS or type(fn) in losses.ALL_OBJECTS:
            self._direction = "down"

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        mask = get_keras_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        sample_weight = apply_mask(sample_weight, mask, dtype=self.dtype, reduction="sum")
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self) -> dict:
        from . import serialize_function

        return {**super().get_config(), "fn": serialize_function(self._fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict) -> MeanMetricWrapper:
        config = dict(config)
        if "fn" in config:
            from . import deserialize_function

            config["fn"] = deserialize_function(config["fn"])
        return cls(**config)


class LossMeanMetric(MeanMetricWrapper):
    """Base of the built-in metrics that average a loss function: subclasses set ``_loss_fn`` (a staticmethod)
    and ``_config_keys`` (the keyword arguments passed to it, stored as attributes and listed in the config).
    Such metrics are minimised (``_direction = "down"``)."""

    _config_keys: tuple[str, ...] = ()

    def __init__(self, name: str, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(type(self)._loss_fn, name=name, dtype=dtype, **kwargs)
        for key in self._config_keys:
            setattr(self, key, kwargs[key])
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, **{key: getattr(self, key) for key in self._config_keys}}
