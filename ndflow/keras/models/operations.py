"""Weightless graph operations created by Python operators on KerasTensors (``x + 1``, ``x[:, 0]`` …).

They carry Keras 3's class names (``Add``, ``GetItem`` …) so that summaries and configs read the same. They
are graph nodes but not layers: ``model.layers`` leaves them out, as Keras 3 does.
"""
from __future__ import annotations

from typing import Any

from ..._core import nest
from ..layers.layer import _snake_case, unique_name

__all__ = ["Operation", "OPERATIONS"]


class Operation:
    """A named, weightless function usable in functional graphs.

    Args:
        name: default the class name in snake case, made unique.
    """

    def __init__(self, name: str | None = None) -> None:
        self.name = name or unique_name(_snake_case(type(self).__name__))
        self._inbound_nodes: list = []
        self._outbound_nodes: list = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if any(getattr(x, "_is_keras_tensor", False) for x in nest.flatten([list(args), kwargs])):
            from .symbolic import symbolic_call

            return symbolic_call(self, args, kwargs)
        return self.call(*args, **kwargs)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"Operation {type(self).__name__} does not implement `call()`.")

    def get_config(self) -> dict:
        return {"name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> Operation:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<Operation name={self.name}>"


def _binary_operation(class_name: str, function: Any) -> type:
    def call(self: Operation, x: Any, y: Any) -> Any:
        return function(x, y)

    return type(class_name, (Operation,), {"call": call, "__doc__": f"Keras's ``{class_name}`` operation."})


def _unary_operation(class_name: str, function: Any) -> type:
    def call(self: Operation, x: Any) -> Any:
        return function(x)

    return type(class_name, (Operation,), {"call": call, "__doc__": f"Keras's ``{class_name}`` operation."})


def _math():
    from ... import math as tf_math

    return tf_math


Add = _binary_operation("Add", lambda x, y: x + y)
Subtract = _binary_operation("Subtract", lambda x, y: x - y)
Multiply = _binary_operation("Multiply", lambda x, y: x * y)
Matmul = _binary_operation("Matmul", lambda x, y: x @ y)
TrueDivide = _binary_operation("TrueDivide", lambda x, y: x / y)
FloorDivide = _binary_operation("FloorDivide", lambda x, y: x // y)
Mod = _binary_operation("Mod", lambda x, y: x % y)
Power = _binary_operation("Power", lambda x, y: x ** y)
Less = _binary_operation("Less", lambda x, y: x < y)
LessEqual = _binary_operation("LessEqual", lambda x, y: x <= y)
Greater = _binary_operation("Greater", lambda x, y: x > y)
GreaterEqual = _binary_operation("GreaterEqual", lambda x, y: x >= y)
NotEqual = _binary_operation("NotEqual", lambda x, y: x != y)
LogicalAnd = _binary_operation("LogicalAnd", lambda x, y: _math().logical_and(x, y))
LogicalOr = _binary_operation("LogicalOr", lambda x, y: _math().logical_or(x, y))
LogicalXor = _binary_operation("LogicalXor", lambda x, y: _math().logical_xor(x, y))
GetItem = _binary_operation("GetItem", lambda x, key: x[key])
Negative = _unary_operation("Negative", lambda x: -x)
Absolute = _unary_operation("Absolute", lambda x: abs(x))
LogicalNot = _unary_operation("LogicalNot", lambda x: _math().logical_not(x))


class Round(Operation):
    """Keras's ``Round`` operation (``round(x, decimals)``)."""

    def __init__(self, decimals: int = 0, name: str | None = None) -> None:
        super().__init__(name=name)
        self.decimals = decimals

    def call(self, x: Any) -> Any:
        tf_math = _math()
        if not self.decimals:
            return tf_math.round(x)
        scale = 10.0 ** self.decimals
        return tf_math.round(x * scale) / scale

    def get_config(self) -> dict:
        return {"decimals": self.decimals, **super().get_config()}


class Reshape(Operation):
    """Keras's ``Reshape`` operation (``x.reshape(newshape)``, batch dimension included)."""

    def __init__(self, newshape: Any, name: str | None = None) -> None:
        super().__init__(name=name)
        self.newshape = tuple(newshape) if isinstance(newshape, (list, tuple)) else newshape

    def call(self, x: Any) -> Any:
        from ... import reshape

        return reshape(x, self.newshape)

    def get_config(self) -> dict:
        return {"newshape": self.newshape, **super().get_config()}


class Squeeze(Operation):
    """Keras's ``Squeeze`` operation (``x.squeeze(axis)``)."""

    def __init__(self, axis: Any = None, name: str | None = None) -> None:
        super().__init__(name=name)
        self.axis = axis

    def call(self, x: Any) -> Any:
        from ... import squeeze

        return squeeze(x, self.axis)

    def get_config(self) -> dict:
        return {"axis": self.axis, **super().get_config()}


OPERATIONS = {cls.__name__: cls for cls in (
    Add, Subtract, Multiply, Matmul, TrueDivide, FloorDivide, Mod, Power, Less, LessEqual, Greater, GreaterEqual,
    NotEqual, LogicalAnd, LogicalOr, LogicalXor, GetItem, Negative, Absolute, LogicalNot, Round, Reshape, Squeeze)}
