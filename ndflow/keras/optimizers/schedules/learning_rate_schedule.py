"""Learning-rate schedules: functions of the optimizer's step count (Keras 3's ``keras.optimizers.schedules``).

Each schedule computes in the dtype of its initial learning rate (float32 for Python floats) with ndflow ops,
so it gives Keras's values bit for bit and works inside ``ndflow.function``.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

import ndflow as tf

from .._serialization import find_class, serialize_object

__all__ = ["LearningRateSchedule", "ExponentialDecay", "PiecewiseConstantDecay", "PolynomialDecay",
           "InverseTimeDecay", "CosineDecay", "CosineDecayRestarts", "serialize", "deserialize"]


class LearningRateSchedule:
    """Base class: subclasses define ``__call__(step)`` (returning the learning rate) and ``get_config``."""

    def __call__(self, step: Any) -> Any:
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override "
                                  "`__call__(self, step)`.")

    def get_config(self) -> dict:
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override `get_config()` "
                                  "in order to be serializable.")

    @classmethod
    def from_config(cls, config: dict) -> LearningRateSchedule:
        return cls(**config)


def _check_positive_steps(argument: str, value: Any) -> None:
    if value <= 0:
        raise ValueError(f"Argument `{argument}` must be > 0. Received: {argument}={value}")


class _RateDecay(LearningRateSchedule):
    """A rate decayed by ``decay_rate`` as a function of ``step / decay_steps`` (floored if ``staircase``).

    Raises:
        ValueError: ``decay_steps`` <= 0.
    """

    def __init__(self, initial_learning_rate: Any, decay_steps: Any, decay_rate: Any, staircase: bool = False,
                 name: str | None = None) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name or type(self).__name__
        _check_positive_steps("decay_steps", decay_steps)

    def __call__(self, step: Any) -> Any:
        initial = tf.convert_to_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        progress = tf.cast(step, dtype) / tf.cast(self.decay_steps, dtype)
        if self.staircase:
            progress = tf.floor(progress)
        return self._decay(initial, tf.cast(self.decay_rate, dtype), progress)

    def _decay(self, initial: Any, rate: Any, progress: Any) -> Any:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_RateDecay):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)``.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps per factor of ``decay_rate``; must be > 0.
        decay_rate: the decay factor.
        staircase: decay in whole steps (``floor(step / decay_steps)``).
        name: the schedule's name (default ``"ExponentialDecay"``).

    Raises:
        ValueError: ``decay_steps`` <= 0.
    """

    def _decay(self, initial: Any, rate: Any, progress: Any) -> Any:
        return initial * tf.pow(rate, progress)


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` up to ``boundaries[0]`` (inclusive), ``values[1]`` up to ``boundaries[1]`` … then
    ``values[-1]``.

    Raises:
        ValueError: ``len(boundaries) != len(values) - 1``.
    """

    def __init__(self, boundaries: list, values: list, name: str = "PiecewiseConstant") -> None:
        if len(boundaries) != len(values) - 1:
            raise ValueError("The length of boundaries should be 1 less than the length of values. Received: "
                             f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of "
                             f"length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step: Any) -> Any:
        step = tf.convert_to_tensor(step)
        boundaries = [tf.cast(b, step.dtype) for b in self.boundaries]
        values = [tf.convert_to_tensor(v) for v in self.values]
        dtype = values[0].dtype
        result = tf.cast(step <= boundaries[0], dtype) * values[0]
        result = result + tf.cast(step > boundaries[-1], dtype) * values[-1]
        for low, high, value in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            in_range = tf.logical_and(step > low, step <= high)
            result = result + tf.cast(in_range, dtype) * value
        return result

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """Decays from ``initial_learning_rate`` to ``end_learning_rate`` along ``(1 - step / decay_steps) ** power``.

    With ``cycle=True`` the decay restarts with ``decay_steps`` multiplied by ``ceil(step / decay_steps)``;
    otherwise the rate stays at ``end_learning_rate`` after ``decay_steps``.

    Raises:
        ValueError: ``decay_steps`` <= 0.
    """

    def __init__(self, initial_learning_rate: Any, decay_steps: Any, end_learning_rate: Any = 0.0001,
                 power: Any = 1.0, cycle: bool = False, name: str = "PolynomialDecay") -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_positive_steps("decay_steps", decay_steps)

    def __call__(self, step: Any) -> Any:
        initial = tf.convert_to_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        end = tf.cast(self.end_learning_rate, dtype)
        step = tf.cast(step, dtype)
        decay_steps = tf.cast(self.decay_steps, dtype)
        if self.cycle:
            multiplier = tf.where(tf.equal(step, 0), tf.cast(1.0, dtype), tf.math.ceil(step / decay_steps))
            decay_steps = decay_steps * multiplier
        else:
            step = tf.minimum(step, decay_steps)
        fraction = step / decay_steps
        return (initial - end) * tf.pow(1 - fraction, tf.cast(self.power, dtype)) + end

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
                "name": self.name}


class InverseTimeDecay(_RateDecay):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)`` (``floor`` of the ratio if staircase).

    Raises:
        ValueError: ``decay_steps`` <= 0.
    """

    def _decay(self, initial: Any, rate: Any, progress: Any) -> Any:
        return initial / (tf.cast(1, initial.dtype) + rate * progress)


class CosineDecay(LearningRateSchedule):
    """Half a cosine from the rate down to ``alpha`` times it over ``decay_steps``, after an optional linear
    warmup from ``initial_learning_rate`` to ``warmup_target`` over ``warmup_steps``.

    Raises:
        ValueError: ``decay_steps`` <= 0.
    """

    def __init__(self, initial_learning_rate: Any, decay_steps: Any, alpha: Any = 0.0, name: str = "CosineDecay",
                 warmup_target: Any = None, warmup_steps: Any = 0) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_positive_steps("decay_steps", decay_steps)

    def _decay(self, step: Any, decay_steps: Any, start_rate: Any, dtype: Any) -> Any:
        fraction = step / decay_steps
        cosine = 0.5 * (1.0 + tf.cos(tf.constant(math.pi, dtype=dtype) * fraction))
        return start_rate * ((1 - self.alpha) * cosine + self.alpha)

    def __call__(self, step: Any) -> Any:
        initial = tf.convert_to_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        decay_steps = tf.cast(self.decay_steps, dtype)
        step = tf.cast(step, dtype)
        if self.warmup_target is None:
            return self._decay(tf.minimum(step, decay_steps), decay_steps, initial, dtype)
        target = tf.cast(self.warmup_target, dtype)
        warmup_steps = tf.cast(self.warmup_steps, dtype)
        step = tf.minimum(step, decay_steps + warmup_steps)
        return tf.cond(step < warmup_steps,
                       lambda: (target - initial) * (step / warmup_steps) + initial,
                       lambda: self._decay(step - warmup_steps, decay_steps, target, dtype))

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): each period is ``t_mul`` times longer than the previous one and
    starts from ``m_mul`` times the previous starting rate.

    Raises:
        ValueError: ``first_decay_steps`` <= 0.
    """

    def __init__(self, initial_learning_rate: Any, first_decay_steps: Any, t_mul: Any = 2.0, m_mul: Any = 1.0,
                 alpha: Any = 0.0, name: str = "SGDRDecay") -> None:
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _check_positive_steps("first_decay_steps", first_decay_steps)

    def __call__(self, step: Any) -> Any:
        initial = tf.convert_to_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        alpha = tf.cast(self.alpha, dtype)
        t_mul = tf.cast(self._t_mul, dtype)
        fraction = tf.cast(step, dtype) / tf.cast(self.first_decay_steps, dtype)
        if np.asarray(self._t_mul, dtype=dtype.as_numpy_dtype) == 1.0:
            restart = tf.floor(fraction)
            fraction = fraction - restart
        else:
            # periods grow geometrically: find the restart index from the geometric series' partial sums
            restart = tf.floor(tf.math.log(1.0 - fraction * (1.0 - t_mul)) / tf.math.log(t_mul))
            elapsed = (1.0 - tf.pow(t_mul, restart)) / (1.0 - t_mul)
            fraction = (fraction - elapsed) / tf.pow(t_mul, restart)
        m_factor = tf.pow(tf.cast(self._m_mul, dtype), restart)
        cosine = 0.5 * m_factor * (1.0 + tf.cos(tf.constant(math.pi, dtype=dtype) * fraction))
        return initial * ((1 - alpha) * cosine + alpha)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self._t_mul, "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_BUILTINS = {cls.__name__.lower(): cls for cls in (
    LearningRateSchedule, ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay,
    CosineDecayRestarts)}


def serialize(learning_rate_schedule: LearningRateSchedule) -> dict:
    """The schedule's Keras config dict (``module``, ``class_name``, ``config``, ``registered_name``)."""
    return serialize_object(learning_rate_schedule, "keras.optimizers.schedules", _BUILTINS)


def deserialize(config: dict, custom_objects: dict | None = None) -> LearningRateSchedule:
    """The schedule a config dict (from ``serialize``) describes.

    Raises:
        ValueError: the config names an unknown schedule class.
    """
    cls = find_class(config, _BUILTINS, custom_objects, case_insensitive=False)
    if cls is None:
        raise ValueError(f"Unknown decay: '{config['class_name']}'. Please ensure you are using a "
                         "`keras.utils.custom_object_scope` and that this object is included in the scope.")
    return cls.from_config(config["config"])
