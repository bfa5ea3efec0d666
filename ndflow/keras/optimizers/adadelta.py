"""``Adadelta``: step sizes from moving averages of squared gradients and squared updates."""
from __future__ import annotations

from typing import Any

import ndflow as tf

from .base_optimizer import Optimizer, per_slice

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta: ``E[g^2]`` and ``E[dx^2]`` decay with ``rho``;
    ``dx = -sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) * g`` and ``w += lr * dx``.

    Args:
        learning_rate: default 0.001.
        rho: the decay rate of both averages.
        epsilon: added inside the square roots.
        **kwargs: the ``Optimizer`` arguments.
    """

    def __init__(self, learning_rate: Any = 0.001, rho: float = 0.95, epsilon: float = 1e-7, **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"])

    def update_step(self, grad: Any, variable: Any, learning_rate: Any) -> None:
        lr = self._learning_rate_as(learning_rate, variable.dtype)
        grad = tf.cast(grad, variable.dtype)
        rho = self.rho
        index = self._get_variable_index(variable)
        grad_slot, delta_slot = self._accumulated_grads[index], self._accumulated_delta_vars[index]
        # squares are taken per slice of IndexedSlices gradients, as in Keras
        accumulated_grad = rho * grad_slot.read_value() + (1 - rho) * per_slice(tf.square, grad)
        grad_slot.assign(accumulated_grad)
        accumulated_delta = delta_slot.read_value()
        rms_delta, rms_grad = tf.sqrt(accumulated_delta + self.epsilon), tf.sqrt(accumulated_grad + self.epsilon)
        if isinstance(grad, tf.IndexedSlices):
            rows = grad.indices
            step = -(tf.gather(rms_delta, rows) * grad.values / tf.gather(rms_grad, rows))
            delta = tf.IndexedSlices(step, rows, grad.dense_shape)
        else:
            delta = -(rms_delta * grad / rms_grad)
        delta_slot.assign(rho * accumulated_delta + (1 - rho) * per_slice(tf.square, delta))
        variable.assign_add(lr * tf.convert_to_tensor(delta))

    def get_config(self) -> dict:
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
