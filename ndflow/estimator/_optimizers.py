"""Optimizers by name for estimators and ``optimize_loss`` (plus TF1's FTRL, the linear models' default)."""
from __future__ import annotations

from typing import Any

import ndflow as _tf

from .._core.ops import array_ops, math_ops
from .._core.tensor import convert_to_tensor
from ..compat.v1.train.optimizer import (
    AdagradOptimizer,
    AdamOptimizer,
    GradientDescentOptimizer,
    MomentumOptimizer,
    Optimizer,
    RMSPropOptimizer,
    _after,
)

__all__ = ["FtrlOptimizer", "optimizer_from_name", "get_optimizer"]


class FtrlOptimizer(Optimizer):
    """FTRL-Proximal (TF1's ``tf.train.FtrlOptimizer``, dense updates).

    ``n += g²; z += g - (n_new^-p - n^-p)/lr · w; w = (clip(z, ±l1) - z) / (n_new^-p/lr + 2·l2)`` with
    ``p = learning_rate_power`` (-0.5 by default, i.e. square roots).
    """

    def __init__(self, learning_rate: Any, learning_rate_power: float = -0.5, initial_accumulator_value: float = 0.1,
                 l1_regularization_strength: float = 0.0, l2_regularization_strength: float = 0.0,
                 use_locking: bool = False, name: str = "Ftrl", accum_name: Any = None, linear_name: Any = None,
                 l2_shrinkage_regularization_strength: float = 0.0) -> None:
        if initial_accumulator_value < 0.0:
            raise ValueError(f"initial_accumulator_value {initial_accumulator_value} needs to be positive or zero")
        if learning_rate_power > 0.0:
            raise ValueError(f"learning_rate_power {learning_rate_power} needs to be negative or zero")
        if l2_shrinkage_regularization_strength:
            raise NotImplementedError("FtrlOptimizer l2_shrinkage_regularization_strength is not supported yet")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._power = learning_rate_power
        self._initial = initial_accumulator_value
        self._l1, self._l2 = l1_regularization_strength, l2_regularization_strength

    def _create_slots(self, var_list: list) -> None:
        for v in var_list:
            self._slot(v, "accum", lambda var: array_ops.fill(var.shape.as_list(),
                                                              convert_to_tensor(self._initial, var.dtype)))
            self._slot(v, "linear", lambda var: array_ops.zeros(var.shape.as_list(), dtype=var.dtype))

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        accum, linear = self.get_slot(var, "accum"), self.get_slot(var, "linear")
        lr = self._lr(var)
        old = accum.read_value()
        new = old + grad * grad
        scaled_new, scaled_old = math_ops.pow(new, -self._power), math_ops.pow(old, -self._power)
        new_linear = linear.assign_add(grad - (scaled_new - scaled_old) / lr * var.read_value())
        quadratic = scaled_new / lr + 2.0 * self._l2
        shrunk = math_ops.minimum(math_ops.maximum(new_linear, -self._l1), self._l1) - new_linear
        value = _tf.where(math_ops.abs(new_linear) > self._l1, shrunk / quadratic, _tf.zeros_like(new_linear))
        with _after(accum.assign(new)):
            return var.assign(value)


_BY_NAME = {
    "Adagrad": AdagradOptimizer,
    "Adam": AdamOptimizer,
    "Ftrl": FtrlOptimizer,
    "Momentum": lambda lr: MomentumOptimizer(lr, momentum=0.9),
    "RMSProp": RMSPropOptimizer,
    "SGD": GradientDescentOptimizer,
}


def optimizer_from_name(name: str, learning_rate: Any) -> Optimizer:
    """``"Adagrad"``, ``"Adam"``, ``"Ftrl"``, ``"Momentum"``, ``"RMSProp"`` or ``"SGD"`` at ``learning_rate``.

    Raises:
        ValueError: an unknown name.
    """
    if name not in _BY_NAME:
        raise ValueError(f"Optimizer name should be one of [{', '.join(sorted(_BY_NAME))}], you provided {name}.")
    return _BY_NAME[name](learning_rate)


def get_optimizer(optimizer: Any, learning_rate: float) -> Optimizer:
    """A canned estimator's optimizer: a name (at the canned default rate), an instance, or a callable."""
    if isinstance(optimizer, str):
        return optimizer_from_name(optimizer, learning_rate)
    if callable(optimizer) and not isinstance(optimizer, Optimizer):
        optimizer = optimizer()
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"The given object is not an Optimizer instance. Given: {optimizer}")
    return optimizer
