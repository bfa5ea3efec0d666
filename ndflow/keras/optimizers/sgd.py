"""``SGD``: gradient descent with optional (Nesterov) momentum."""
from __future__ import annotations

from typing import Any

import ndflow as tf

from .base_optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    """Gradient descent: ``w -= lr * g``; with momentum ``v = momentum * v - lr * g; w += v``, and with Nesterov
    ``w += momentum * v - lr * g``.

    Args:
        learning_rate: default 0.01.
        momentum: a float in [0, 1].
        nesterov: use Nesterov momentum.
        **kwargs: the ``Optimizer`` arguments (``weight_decay``, ``clipnorm`` … ``name``).

    Raises:
        ValueError: ``momentum`` is not a float in [0, 1].
    """

    def __init__(self, learning_rate: Any = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables: list) -> None:
        if self.built:
            return
        super().build(variables)
        self.momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum != 0 else []

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        lr = self._learning_rate_as(learning_rate, variable.dtype)
        gradient = tf.convert_to_tensor(tf.cast(gradient, variable.dtype))
        if self.momentum == 0:
            variable.assign_sub(gradient * lr)
            return
        momentum_slot = self.momentums[self._get_variable_index(variable)]
        momentum = self._cast_once(self.momentum, variable.dtype)
        velocity = momentum_slot.read_value() * momentum - gradient * lr
        momentum_slot.assign(velocity)
        if self.nesterov:
            variable.assign_add(velocity * momentum - gradient * lr)
        else:
            variable.assign_add(velocity)

    def get_config(self) -> dict:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
