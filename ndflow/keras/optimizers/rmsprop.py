"""``RMSprop``: gradients divided by the root of a moving average of their squares."""
from __future__ import annotations

from typing import Any

import ndflow as tf

from .base_optimizer import Optimizer, per_slice

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop: ``v = rho * v + (1 - rho) * g^2``; ``w -= lr * g / sqrt(v + epsilon)``. Centered, it subtracts the
    square of the moving average of ``g`` from ``v``; with momentum the increments go through a velocity.

    Args:
        learning_rate: default 0.001.
        rho: the decay of the averages.
        momentum: momentum of the increments (0 for none).
        epsilon: added to the denominator before the square root.
        centered: normalize by the estimated variance instead of the second moment.
        **kwargs: the ``Optimizer`` arguments.
    """

    def __init__(self, learning_rate: Any = 0.001, rho: float = 0.9, momentum: float = 0.0, epsilon: float = 1e-7,
                 centered: bool = False, **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = self.add_optimizer_variables(var_list, "momentum") if self.momentum > 0 else []
        self._average_gradients = self.add_optimizer_variables(var_list, "average_gradient") if self.centered else []

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        lr = self._learning_rate_as(learning_rate, variable.dtype)
        gradient = tf.cast(gradient, variable.dtype)
        squared = per_slice(tf.square, gradient)  # per slice for IndexedSlices, as in Keras
        gradient = tf.convert_to_tensor(gradient)
        rho = self.rho
        index = self._get_variable_index(variable)
        velocity_slot = self._velocities[index]
        velocity = rho * velocity_slot.read_value() + (1 - rho) * squared
        velocity_slot.assign(velocity)
        if self.centered:
            average_slot = self._average_gradients[index]
            average = rho * average_slot.read_value() + (1 - rho) * gradient
            average_slot.assign(average)
            denominator = velocity - tf.square(average) + self.epsilon
        else:
            denominator = velocity + self.epsilon
        increment = lr * gradient / tf.sqrt(denominator)
        if self.momentum > 0:
            momentum_slot = self._momentums[index]
            momentum = self.momentum * momentum_slot.read_value() + increment
            momentum_slot.assign(momentum)
            variable.assign_sub(momentum)
        else:
            variable.assign_sub(increment)

    def get_config(self) -> dict:
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                "centered": self.centered}
