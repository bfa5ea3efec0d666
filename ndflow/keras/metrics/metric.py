"""``Metric``: the base class of stateful Keras metrics (Keras 3 semantics).

A metric keeps its running state in non-trainable variables created with ``add_variable``. ``update_state``
folds a batch into them with ndflow ops (``assign`` / ``assign_add``), so it also runs inside
``ndflow.function``; ``result`` reads the current value; ``reset_state`` zeroes the state. The built-in
updates only add to the state (``assign_add``) and never read it, so a ``result()`` traced after them in the
same function reads the updated value.
"""
from __future__ import annotations

from typing import Any

import ndflow as tf

from ..._core.variable import Variable
from ..layers.layer import KerasVariable
from ..losses.loss import auto_name, floatx, standardize_dtype

__all__ = ["Metric"]


class Metric:
    """Base class of metrics: subclasses create variables in ``__init__`` and implement ``update_state`` and
    ``result``.

    Args:
        dtype: the dtype of the metric's computations; default ``keras.backend.floatx()``.
        name: the metric name; default the class name in snake case, made unique.
    """

    def __init__(self, dtype: Any = None, name: str | None = None) -> None:
        self.name = name or auto_name(type(self).__name__)
        self._dtype = standardize_dtype(dtype)
        self._variables: list = []
        self._metrics: list = []
        self._tracking = True

    def __setattr__(self, name: str, value: Any) -> None:
        if self.__dict__.get("_tracking"):
            if isinstance(value, Variable) and not any(v is value for v in self._variables):
                self._variables.append(value)
            elif isinstance(value, Metric) and not any(m is value for m in self._metrics):
                self._metrics.append(value)
        super().__setattr__(name, value)

    @property
    def dtype(self) -> str:
        return self._dtype

    @property
    def variables(self) -> list:
        """The metric's state variables, then those of the metrics it holds."""
        variables = list(self._variables)
        for metric in self._metrics:
            variables.extend(metric.variables)
        return variables

    def add_variable(self, shape: Any, initializer: Any, dtype: Any = None, aggregation: str = "sum",
                     name: str | None = None) -> KerasVariable:
        """Creates a non-trainable state variable of this metric.

        Args:
            shape: the variable's shape.
            initializer: an initializer, its name or config (usually ``"zeros"``).
            dtype: default ``keras.backend.floatx()``.
            aggregation: how replicas would combine it (kept for Keras compatibility).
            name: the short name; the variable's path is ``"<metric name>/<name>"``.
        """
        self._check_super_called()
        from .. import initializers

        init = initializers.get(initializer)
        shape = tuple(int(d) for d in shape)
        dtype = tf.as_dtype(dtype or floatx())
        name = name or "variable"
        variable = KerasVariable(lambda: init(shape, dtype=dtype), name=name,
                                 path=f"{self.name.replace('/', '>')}/{name}", trainable=False, dtype=dtype,
                                 aggregation=aggregation)
        self._variables.append(variable)
        return variable

    def add_weight(self, shape: Any = (), initializer: Any = None, dtype: Any = None,
                   name: str | None = None) -> KerasVariable:
        """Older name of ``add_variable``."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    def update_state(self, *args: Any, **kwargs: Any) -> Any:
        """Folds a batch of observations into the state."""
        raise NotImplementedError

    def result(self) -> Any:
        """The metric's current value, computed from the state."""
        raise NotImplementedError

    def reset_state(self) -> None:
        """Sets every state variable back to zero."""
        for variable in self.variables:
            variable.assign(tf.zeros(variable.shape, dtype=variable.dtype))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """``update_state(*args, **kwargs)``, then ``result()``."""
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        return cls(**config)

    def _check_super_called(self) -> None:
        if "_tracking" not in self.__dict__:
            raise RuntimeError("You forgot to call `super().__init__()` in the `__init__()` method. Go add it!")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"

    def __str__(self) -> str:
        return self.__repr__()
