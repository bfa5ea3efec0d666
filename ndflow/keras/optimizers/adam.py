"""``Adam`` (with AMSGrad) and ``AdamW`` (Adam with decoupled weight decay)."""
from __future__ import annotations

from typing import Any

import ndflow as tf

from .base_optimizer import Optimizer, per_slice

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    """Adam: bias-corrected moving averages of the gradient (``m``) and its square (``v``);
    ``w -= lr * sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + epsilon)``.

    Args:
        learning_rate: default 0.001.
        beta_1: decay of the first moment.
        beta_2: decay of the second moment.
        epsilon: added to ``sqrt(v)``.
        amsgrad: use the running maximum of ``v`` (AMSGrad).
        **kwargs: the ``Optimizer`` arguments (``weight_decay``, ``clipnorm`` … ``name``).
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, amsgrad: bool = False, **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        dtype = variable.dtype
        alpha = self._shared(("adam_step_size", dtype), lambda: self._step_size(learning_rate, dtype))
        gradient = tf.cast(gradient, dtype)
        squared = per_slice(tf.square, gradient)  # per slice for IndexedSlices, as in Keras
        gradient = tf.convert_to_tensor(gradient)
        index = self._get_variable_index(variable)
        m_slot, v_slot = self._momentums[index], self._velocities[index]
        m = m_slot.read_value()
        m = m + (gradient - m) * (1 - self.beta_1)
        m_slot.assign(m)
        v = v_slot.read_value()
        v = v + (squared - v) * (1 - self.beta_2)
        v_slot.assign(v)
        if self.amsgrad:
            v_hat_slot = self._velocity_hats[index]
            v = tf.maximum(v_hat_slot.read_value(), v)
            v_hat_slot.assign(v)
        variable.assign_sub(m * alpha / (tf.sqrt(v) + self.epsilon))

    def _step_size(self, learning_rate: Any, dtype: Any) -> Any:
        """The bias-corrected step size ``lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)``."""
        step = self._local_step(dtype)
        beta_1_power = tf.pow(tf.cast(self.beta_1, dtype), step)
        beta_2_power = tf.pow(tf.cast(self.beta_2, dtype), step)
        return self._learning_rate_as(learning_rate, dtype) * tf.sqrt(1 - beta_2_power) / (1 - beta_1_power)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                "amsgrad": self.amsgrad}


class AdamW(Adam):
    """Adam with decoupled weight decay: each step first does ``w -= w * weight_decay * lr``.

    Args:
        learning_rate: default 0.001.
        weight_decay: default 0.004; required.
        beta_1, beta_2, epsilon, amsgrad: as ``Adam``.
        **kwargs: the other ``Optimizer`` arguments.

    Raises:
        ValueError: ``weight_decay`` is None.
    """

    def __init__(self, learning_rate: Any = 0.001, weight_decay: float | None = 0.004, beta_1: float = 0.9,
                 beta_2: float = 0.999, epsilon: float = 1e-7, amsgrad: bool = False, **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, weight_decay=weight_decay, **kwargs)
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
