"""Keras 3's config dicts for optimizers and schedules: ``{"module", "class_name", "config", "registered_name"}``."""
from __future__ import annotations

from typing import Any


def serialize_object(obj: Any, public_module: str, builtins: dict[str, type]) -> dict:
    """The Keras config dict of ``obj``; built-in classes name ``public_module``, others their own module."""
    cls = type(obj)
    builtin = builtins.get(cls.__name__.lower()) is cls
    return {"module": public_module if builtin else cls.__module__, "class_name": cls.__name__,
            "config": obj.get_config(), "registered_name": None if builtin else cls.__name__}


def serialize_function(fn: Any) -> dict:
    """The Keras config dict of a plain function (the learning rate given as a callable)."""
    return {"module": "builtins", "class_name": "function", "config": getattr(fn, "__name__", repr(fn)),
            "registered_name": "function"}


def find_function(config: dict, custom_objects: dict | None) -> Any:
    """The function a ``serialize_function`` dict names, from ``custom_objects``.

    Raises:
        ValueError: ``custom_objects`` does not hold it.
    """
    name = config["config"]
    if not custom_objects or name not in custom_objects:
        raise ValueError(f"Unknown function: '{name}'. Please ensure you are using a "
                         "`keras.utils.custom_object_scope` and that this object is included in the scope.")
    return custom_objects[name]


def find_class(config: dict, builtins: dict[str, type], custom_objects: dict | None,
               case_insensitive: bool) -> type | None:
    """The class a config dict names: from ``custom_objects`` first, then ``builtins`` (keyed by lower-case class
    name; None if unknown)."""
    name = config["class_name"]
    for key in (config.get("registered_name"), name):
        if custom_objects and key in custom_objects:
            return custom_objects[key]
    cls = builtins.get(name.lower())
    if cls is None or (not case_insensitive and cls.__name__ != name):
        return None
    return cls
