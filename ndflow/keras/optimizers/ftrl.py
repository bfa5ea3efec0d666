"""``Ftrl``: Follow The Regularized Leader (McMahan et al.), for sparse linear models."""
from __future__ import annotations

from typing import Any

import ndflow as tf

from .base_optimizer import Optimizer, constant_initializer, per_slice

__all__ = ["Ftrl"]


class Ftrl(Optimizer):
    """FTRL-proximal with L1, L2 and L2-shrinkage regularization.

    Args:
        learning_rate: default 0.001.
        learning_rate_power: how the per-coordinate rate shrinks with the accumulated squared gradient (<= 0).
        initial_accumulator_value: the accumulators' starting value (>= 0).
        l1_regularization_strength: >= 0.
        l2_regularization_strength: >= 0.
        l2_shrinkage_regularization_strength: an L2 penalty on the weights in the gradient (>= 0).
        beta: added as ``beta / (2 * lr)`` to the L2 strength.
        **kwargs: the ``Optimizer`` arguments.

    Raises:
        ValueError: an argument out of its range.
    """

    def __init__(self, learning_rate: Any = 0.001, learning_rate_power: float = -0.5,
                 initial_accumulator_value: float = 0.1, l1_regularization_strength: float = 0.0,
                 l2_regularization_strength: float = 0.0, l2_shrinkage_regularization_strength: float = 0.0,
                 beta: float = 0.0, **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, **kwargs)
        _check_non_negative("initial_accumulator_value", initial_accumulator_value)
        if learning_rate_power > 0.0:
            raise ValueError("`learning_rate_power` needs to be negative or zero. Received: "
                             f"learning_rate_power={learning_rate_power}.")
        _check_non_negative("l1_regularization_strength", l1_regularization_strength)
        _check_non_negative("l2_regularization_strength", l2_regularization_strength)
        _check_non_negative("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength)
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"],
            initializer=[constant_initializer(self.initial_accumulator_value), "zeros"])

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        lr = self._learning_rate_as(learning_rate, variable.dtype)
        gradient = tf.cast(gradient, variable.dtype)
        squared = per_slice(tf.square, gradient)  # per slice for IndexedSlices, as in Keras
        gradient = tf.convert_to_tensor(gradient)
        index = self._get_variable_index(variable)
        accumulator_slot, linear_slot = self._accumulators[index], self._linears[index]
        power = -self.learning_rate_power
        l2 = self._shared(("ftrl_l2", variable.dtype),
                          lambda: self.l2_regularization_strength + self.beta / (2.0 * lr))
        weights = variable.read_value()
        shrunk_gradient = gradient + 2 * self.l2_shrinkage_regularization_strength * weights
        accumulator = accumulator_slot.read_value()
        new_accumulator = accumulator + squared
        rate_change = (tf.pow(new_accumulator, power) - tf.pow(accumulator, power)) / lr
        linear = linear_slot.read_value() + (shrunk_gradient - rate_change * weights)
        linear_slot.assign(linear)
        quadratic = tf.pow(new_accumulator, power) / lr + 2 * l2
        l1 = self.l1_regularization_strength
        variable.assign((tf.clip_by_value(linear, -l1, l1) - linear) / quadratic)
        accumulator_slot.assign(new_accumulator)

    def get_config(self) -> dict:
        return {**super().get_config(), "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
                "beta": self.beta}


def _check_non_negative(argument: str, value: float) -> None:
    if value < 0.0:
        raise ValueError(f"`{argument}` needs to be positive or zero. Received: {argument}={value}.")
