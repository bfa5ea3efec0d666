"""``Nadam``: Adam with Nesterov momentum (and the momentum schedule of Dozat's paper)."""
from __future__ import annotations

from typing import Any

import ndflow as tf

from .base_optimizer import Optimizer, per_slice

__all__ = ["Nadam"]


class Nadam(Optimizer):
    """Nadam: Adam whose first moment looks one step ahead, with the momentum schedule
    ``u_t = beta_1 * (1 - 0.5 * 0.96^t)`` and its running product.

    Args:
        learning_rate: default 0.001.
        beta_1: decay of the first moment.
        beta_2: decay of the second moment.
        epsilon: added to ``sqrt(v_hat)``.
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
        dtype = var_list[0].dtype if var_list else "float32"
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        self._u_product = self.add_variable((), initializer="ones", dtype=dtype, name="variable")

    def _backend_update_step(self, grads: list, variables: list, learning_rate: Any) -> None:
        dtype = self._u_product.dtype
        step = tf.cast(self._iterations_value() + 1, dtype)
        self._u_product.assign(self._u_product.read_value() * self.beta_1 * (1.0 - 0.5 * tf.pow(0.96, step)))
        super()._backend_update_step(grads, variables, learning_rate)

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        dtype = variable.dtype
        lr, beta_1, beta_2, u_t, u_t_1, u_product_t, u_product_t_1, beta_2_power = self._shared(
            ("nadam_factors", dtype), lambda: self._momentum_schedule(learning_rate, dtype))
        gradient = tf.cast(gradient, dtype)
        squared = per_slice(tf.square, gradient)  # per slice for IndexedSlices, as in Keras
        gradient = tf.convert_to_tensor(gradient)
        index = self._get_variable_index(variable)
        m_slot, v_slot = self._momentums[index], self._velocities[index]
        m = m_slot.read_value()
        m = m + (gradient - m) * (1 - beta_1)
        m_slot.assign(m)
        v = v_slot.read_value()
        v = v + (squared - v) * (1 - beta_2)
        v_slot.assign(v)
        m_hat = u_t_1 * m / (1 - u_product_t_1) + (1 - u_t) * gradient / (1 - u_product_t)
        v_hat = v / (1 - beta_2_power)
        variable.assign_sub(m_hat * lr / (tf.sqrt(v_hat) + self.epsilon))

    def _momentum_schedule(self, learning_rate: Any, dtype: Any) -> tuple:
        """The factors one step shares: lr, beta_1, beta_2, ``u_t``, ``u_{t+1}``, the products of the ``u`` up to
        ``t`` and ``t+1``, and ``beta_2^t``."""
        iterations = self._iterations_value()
        step = tf.cast(iterations + 1, dtype)
        next_step = tf.cast(iterations + 2, dtype)
        decay = tf.cast(0.96, dtype)
        beta_1 = tf.cast(self.beta_1, dtype)
        beta_2 = tf.cast(self.beta_2, dtype)
        u_t = beta_1 * (1.0 - 0.5 * tf.pow(decay, step))
        u_t_1 = beta_1 * (1.0 - 0.5 * tf.pow(decay, next_step))
        u_product_t = tf.cast(self._u_product.read_value(), dtype)
        return (tf.cast(learning_rate, dtype), beta_1, beta_2, u_t, u_t_1, u_product_t, u_product_t * u_t_1,
                tf.pow(beta_2, step))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
