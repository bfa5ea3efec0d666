"""``ndflow.keras.optimizers``: Keras 3's optimizers, learning-rate schedules and ``get``/``serialize``/
``deserialize``."""
from __future__ import annotations

from typing import Any

from . import legacy, schedules
from ._serialization import find_class, serialize_object
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .base_optimizer import Optimizer
from .ftrl import Ftrl
from .lion import Lion
from .nadam import Nadam
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW", "Adamax", "Nadam", "Ftrl",
           "Lion", "get", "serialize", "deserialize", "legacy", "schedules"]

_BUILTINS = {cls.__name__.lower(): cls for cls in (
    Optimizer, SGD, Adagrad, Adadelta, RMSprop, Adam, AdamW, Adamax, Nadam, Ftrl, Lion)}


def serialize(optimizer: Optimizer) -> dict:
    """The optimizer's Keras config dict (``module``, ``class_name``, ``config``, ``registered_name``)."""
    return serialize_object(optimizer, "keras.optimizers", _BUILTINS)


def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """The optimizer a config dict describes (built-in class names are case-insensitive).

    Raises:
        ValueError: the config names an unknown optimizer.
    """
    cls = find_class(config, _BUILTINS, custom_objects, case_insensitive=True)
    if cls is None:
        raise ValueError(f"Could not interpret optimizer identifier: {config}")
    return cls.from_config(config.get("config", {}), custom_objects=custom_objects)


def get(identifier: Any) -> Optimizer | None:
    """An optimizer from a name (``"adam"``, ``"SGD"`` …, any case), a config dict or an instance.

    Raises:
        ValueError: the identifier names no optimizer.
    """
    if identifier is None:
        return None
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str) and identifier.lower() in _BUILTINS:
        return _BUILTINS[identifier.lower()]()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
