"""``Adagrad``: per-coordinate learning rates from the sum of squared gradients."""
from __future__ import annotations

from typing import Any

import ndflow as tf

from .base_optimizer import Optimizer, constant_initializer, per_slice

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad: ``acc += g^2; w -= lr * g / sqrt(acc + epsilon)``.

    Args:
        learning_rate: default 0.001.
        initial_accumulator_value: the accumulators' starting value.
        epsilon: added inside the square root.
        **kwargs: the ``Optimizer`` arguments.
    """

    def __init__(self, learning_rate: Any = 0.001, initial_accumulator_value: float = 0.1, epsilon: float = 1e-7,
                 **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        initializer = constant_initializer(self.initial_accumulator_value)
        self._accumulators = self.add_optimizer_variables(var_list, "accumulator", initializer=initializer)

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        lr = self._learning_rate_as(learning_rate, variable.dtype)
        gradient = tf.cast(gradient, variable.dtype)
        squared = per_slice(tf.square, gradient)  # per slice for IndexedSlices, as in Keras
        gradient = tf.convert_to_tensor(gradient)
        slot = self._accumulators[self._get_variable_index(variable)]
        accumulator = slot.read_value() + squared
        slot.assign(accumulator)
        variable.assign_sub(lr * gradient / tf.sqrt(accumulator + self.epsilon))

    def get_config(self) -> dict:
        return {**super().get_config(), "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
