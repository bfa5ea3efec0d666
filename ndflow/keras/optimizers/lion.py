"""``Lion``: sign-of-momentum updates (Chen et al., 2023)."""
from __future__ import annotations

from typing import Any

import ndflow as tf

from .base_optimizer import Optimizer

__all__ = ["Lion"]


class Lion(Optimizer):
    """Lion: ``w -= lr * sign(beta_1 * m + (1 - beta_1) * g)``, then ``m = beta_2 * m + (1 - beta_2) * g``.

    Args:
        learning_rate: default 0.001.
        beta_1: interpolation between momentum and gradient for the update, in (0, 1].
        beta_2: decay of the momentum.
        **kwargs: the ``Optimizer`` arguments.

    Raises:
        ValueError: ``beta_1`` outside (0, 1].
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.99,
                 **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError("Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates "
                             f"to SignSGD. Received: beta_1={beta_1}.")

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        dtype = variable.dtype
        lr = self._learning_rate_as(learning_rate, dtype)
        gradient = tf.convert_to_tensor(tf.cast(gradient, dtype))
        beta_1 = self._cast_once(self.beta_1, dtype)
        beta_2 = self._cast_once(self.beta_2, dtype)
        slot = self._momentums[self._get_variable_index(variable)]
        m = slot.read_value()
        variable.assign_sub(lr * tf.sign(m * beta_1 + gradient * (1.0 - beta_1)))
        slot.assign(m * beta_2 + gradient * (1.0 - beta_2))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
