"""``Adamax``: Adam with the infinity norm in place of the second moment."""
from __future__ import annotations

from typing import Any

import ndflow as tf

from .base_optimizer import Optimizer, per_slice

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """Adamax: ``m`` as in Adam, ``u = max(beta_2 * u, |g|)``,
    ``w -= lr * m / ((1 - beta_1^t) * (u + epsilon))``.

    Args:
        learning_rate: default 0.001.
        beta_1: decay of the first moment.
        beta_2: decay of the infinity norm.
        epsilon: added to ``u``.
        **kwargs: the ``Optimizer`` arguments.
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        dtype = variable.dtype
        lr = self._learning_rate_as(learning_rate, dtype)
        gradient = tf.cast(gradient, dtype)
        magnitude = per_slice(tf.abs, gradient)  # per slice for IndexedSlices, as in Keras
        gradient = tf.convert_to_tensor(gradient)
        bias_correction = self._shared(("adamax_bias_correction", dtype), lambda: 1 - tf.pow(
            tf.cast(self.beta_1, dtype), self._local_step(dtype)))
        index = self._get_variable_index(variable)
        m_slot, u_slot = self._m[index], self._u[index]
        m = m_slot.read_value()
        m = m + (gradient - m) * (1 - self.beta_1)
        m_slot.assign(m)
        u = tf.maximum(self.beta_2 * u_slot.read_value(), magnitude)
        u_slot.assign(u)
        variable.assign_sub(lr * m / (bias_correction * (u + self.epsilon)))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
