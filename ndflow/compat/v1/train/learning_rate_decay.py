"""TF1 learning-rate schedules of the global step. Eagerly they return callables (as TF does)."""
from __future__ import annotations

from typing import Any, Callable

from ...._core.context import state
from ...._core.ops import math_ops
from ...._core.tensor import convert_to_tensor

__all__ = ["exponential_decay", "natural_exp_decay", "inverse_time_decay", "polynomial_decay",
           "piecewise_constant"]


def _deferred(compute: Callable[[], Any]) -> Any:
    return compute() if state.graph is not None else compute


def _step_ratio(global_step: Any, decay_steps: Any, staircase: bool) -> Any:
    ratio = math_ops.cast(global_step, "float32") / float(decay_steps)
    return math_ops.floor(ratio) if staircase else ratio


def exponential_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: float,
                      staircase: bool = False, name: str | None = None) -> Any:
    """``learning_rate * decay_rate ** (global_step / decay_steps)`` (integer division with ``staircase``)."""
    return _deferred(lambda: convert_to_tensor(learning_rate, "float32") *
                     math_ops.pow(convert_to_tensor(decay_rate, "float32"),
                                  _step_ratio(global_step, decay_steps, staircase)))


def natural_exp_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: float,
                      staircase: bool = False, name: str | None = None) -> Any:
    """``learning_rate * exp(-decay_rate * global_step / decay_steps)``."""
    return _deferred(lambda: convert_to_tensor(learning_rate, "float32") *
                     math_ops.exp(-float(decay_rate) * _step_ratio(global_step, decay_steps, staircase)))


def inverse_time_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: float,
                       staircase: bool = False, name: str | None = None) -> Any:
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)``."""
    return _deferred(lambda: convert_to_tensor(learning_rate, "float32") /
                     (1.0 + float(decay_rate) * _step_ratio(global_step, decay_steps, staircase)))


def polynomial_decay(learning_rate: Any, global_step: Any, decay_steps: Any, end_learning_rate: float = 0.0001,
                     power: float = 1.0, cycle: bool = False, name: str | None = None) -> Any:
    """Polynomial decay from ``learning_rate`` to ``end_learning_rate`` over ``decay_steps``."""
    def compute() -> Any:
        step = math_ops.cast(global_step, "float32")
        steps = convert_to_tensor(float(decay_steps))
        if cycle:
            multiplier = math_ops.maximum(math_ops.ceil(step / steps), 1.0)
            steps = steps * multiplier
        else:
            step = math_ops.minimum(step, steps)
        fraction = math_ops.pow(1.0 - step / steps, convert_to_tensor(float(power)))
        return (float(learning_rate) - end_learning_rate) * fraction + end_learning_rate
    return _deferred(compute)


def piecewise_constant(x: Any, boundaries: list, values: list, name: str | None = None) -> Any:
    """``values[i]`` for ``boundaries[i-1] < x <= boundaries[i]``.

    Raises:
        ValueError: ``values`` is not one longer than ``boundaries``.
    """
    if len(values) != len(boundaries) + 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")

    def compute() -> Any:
        step = convert_to_tensor(x)
        result = convert_to_tensor(values[-1], "float32") if isinstance(values[-1], float) else \
            convert_to_tensor(values[-1])
        for boundary, value in reversed(list(zip(boundaries, values[:-1]))):
            cond = math_ops.less_equal(step, math_ops.cast(boundary, step.dtype))
            result = math_ops.where(cond, convert_to_tensor(value, result.dtype), result)
        return result
    return _deferred(compute)
