"""Argument handling shared by the built-in cells and the layers that wrap them."""
from __future__ import annotations

from typing import Any

from ... import constraints, initializers, regularizers
from ... import random as keras_random

WEIGHT_ARGS = ("kernel", "recurrent", "bias")


def check_positive(value: Any, name: str = "units") -> None:
    """Raises ValueError unless ``value`` is a positive number (Keras's message)."""
    if value <= 0:
        raise ValueError(f"Received an invalid value for argument `{name}`, expected a positive integer, "
                         f"got {value}.")


def check_use_cudnn(value: Any) -> None:
    """Raises ValueError unless ``value`` is one of ``"auto"``, True, False (Keras's message)."""
    if value not in ("auto", True, False):
        raise ValueError("Invalid valid received for argument `use_cudnn`. Expected one of {'auto', True, False}. "
                         f"Received: use_cudnn={value}")


def set_weight_args(cell: Any, arguments: dict) -> None:
    """Stores the ``<kernel|recurrent|bias>_<initializer|regularizer|constraint>`` entries of ``arguments`` (the
    constructor's ``locals()``) on ``cell``, resolved with each component module's ``get``."""
    for prefix in WEIGHT_ARGS:
        setattr(cell, f"{prefix}_initializer", initializers.get(arguments[f"{prefix}_initializer"]))
        setattr(cell, f"{prefix}_regularizer", regularizers.get(arguments[f"{prefix}_regularizer"]))
        setattr(cell, f"{prefix}_constraint", constraints.get(arguments[f"{prefix}_constraint"]))


def add_cell_weight(cell: Any, prefix: str, shape: tuple, initializer: Any = None) -> Any:
    """Creates the cell's ``kernel``, ``recurrent_kernel`` or ``bias`` (``prefix`` kernel/recurrent/bias) with its
    stored regularizer and constraint, and its stored initializer unless ``initializer`` is given."""
    name = {"kernel": "kernel", "recurrent": "recurrent_kernel", "bias": "bias"}[prefix]
    return cell.add_weight(shape=shape, name=name,
                           initializer=initializer or getattr(cell, f"{prefix}_initializer"),
                           regularizer=getattr(cell, f"{prefix}_regularizer"),
                           constraint=getattr(cell, f"{prefix}_constraint"))


def set_dropout_args(cell: Any, dropout: float, recurrent_dropout: float, seed: Any) -> None:
    """Clips the rates into [0, 1] and gives ``cell`` its own seed generator (as Keras does)."""
    cell.dropout = min(1.0, max(0.0, dropout))
    cell.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
    cell.seed = seed
    cell.seed_generator = keras_random.SeedGenerator(seed=seed)


def weights_config(owner: Any) -> dict:
    """The serialized initializers, regularizers and constraints of ``owner`` (a cell or a layer with a cell)."""
    config = {}
    for kind, module in (("initializer", initializers), ("regularizer", regularizers), ("constraint", constraints)):
        config.update({f"{p}_{kind}": module.serialize(getattr(owner, f"{p}_{kind}")) for p in WEIGHT_ARGS})
    return config


def cell_property(name: str) -> property:
    """A read-only attribute of a layer that forwards to the same attribute of its ``cell``."""
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's ``{name}``.")


def add_cell_properties(cls: type, names: tuple) -> type:
    """Gives ``cls`` a forwarding ``cell_property`` for each of ``names``."""
    for name in names:
        setattr(cls, name, cell_property(name))
    return cls


CELL_WEIGHT_PROPERTIES = tuple(f"{p}_{kind}" for kind in ("initializer", "regularizer", "constraint")
                               for p in WEIGHT_ARGS)
