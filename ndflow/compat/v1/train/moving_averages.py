"""``ExponentialMovingAverage``: shadow copies of variables updated as ``s -= (1 - decay) * (s - v)``."""
from __future__ import annotations

from typing import Any

from ...._core.context import state
from ...._core.logging_ops import group
from ...._core.ops import math_ops
from ...._core.tensor import convert_to_tensor
from ...._core.variable import Variable


def _op_name(var: Variable) -> str:
    return var.name[:-2] if var.name.endswith(":0") else var.name


class ExponentialMovingAverage:
    """Keeps a moving average of variables.

    Args:
        decay: the decay; with ``num_updates`` the decay used is ``min(decay, (1 + n) / (10 + n))``.
        num_updates: an optional counter (tensor or variable) that lowers the decay early in training.
    """

    def __init__(self, decay: float, num_updates: Any = None, zero_debias: bool = False,
                 name: str = "ExponentialMovingAverage") -> None:
        self._decay = decay
        self._num_updates = num_updates
        self._name = name
        self._averages: dict[int, Variable] = {}
        self._sources: dict[int, Variable] = {}

    @property
    def name(self) -> str:
        return self._name

    def _effective_decay(self, dtype: Any) -> Any:
        decay = convert_to_tensor(self._decay, dtype)
        if self._num_updates is None:
            return decay
        n = math_ops.cast(self._num_updates, dtype)
        return math_ops.minimum(decay, (1.0 + n) / (10.0 + n))

    def apply(self, var_list: Any = None) -> Any:
        """Creates shadows (initialised to each variable's initial value) and updates them.

        Returns:
            In a graph, the op that updates every shadow; eagerly, None (the updates happened).
        """
        var_list = list(var_list) if var_list is not None else _trainable()
        updates = []
        for var in var_list:
            shadow = self._averages.get(id(var))
            if shadow is None:
                init = var.initial_value if getattr(var, "_graph", None) is not None else var.read_value()
                shadow = Variable(init, trainable=False, name=f"{_op_name(var)}/{self._name}")
                self._averages[id(var)] = shadow
                self._sources[id(var)] = var
                if state.graph is not None:
                    state.graph.add_to_collection("moving_average_variables", var)
            decay = self._effective_decay(var.dtype)
            updates.append(shadow.assign_sub((shadow - var) * (1.0 - decay)))
        if state.graph is not None:
            return group(*updates, name=self._name)
        return None

    def average(self, var: Variable) -> Variable | None:
        """The shadow variable of ``var`` (None if ``apply`` never saw it)."""
        return self._averages.get(id(var))

    def average_name(self, var: Variable) -> str:
        return f"{_op_name(var)}/{self._name}"

    def variables_to_restore(self, moving_avg_variables: Any = None) -> dict:
        """``{name: variable}`` for a Saver that loads shadow values into the variables themselves."""
        from .. import global_variables

        result = {}
        averaged = {id(v) for v in (moving_avg_variables or self._sources.values())}
        for var in global_variables():
            if any(var is s for s in self._averages.values()):
                continue
            key = self.average_name(var) if id(var) in averaged or not self._averages else _op_name(var)
            result[key] = var
        return result


def _trainable() -> list:
    from .. import trainable_variables

    return trainable_variables()
