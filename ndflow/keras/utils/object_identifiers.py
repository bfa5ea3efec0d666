"""Shared plumbing for ``get`` / ``serialize`` / ``deserialize`` of Keras components by identifier.

Initializers, activations, regularizers and constraints all accept a name, a Keras 3 config dict, an object or a
class. This module resolves those against the module's own objects, the caller's ``custom_objects`` and the
globally registered custom objects of ``ndflow.keras.saving`` (when that package is present).
"""
from __future__ import annotations

import importlib
import inspect
from typing import Any, Callable


def _saving_function(name: str) -> Callable | None:
    try:
        saving = importlib.import_module("ndflow.keras.saving")
    except ImportError:
        return None
    return getattr(saving, name, None)


def _registered_objects() -> dict:
    """Registered custom objects plus those of an active ``custom_object_scope``."""
    try:
        from ..saving.object_registration import visible_custom_objects
    except ImportError:
        return {}
    return visible_custom_objects()


def _registered_name(obj: Any) -> str:
    get_registered_name = _saving_function("get_registered_name")
    return get_registered_name(obj) if get_registered_name is not None else obj.__name__


def lookup(name: str, module_objects: dict, custom_objects: dict | None = None) -> Any:
    """Finds ``name`` in ``custom_objects``, then registered custom objects, then ``module_objects``."""
    for table in (custom_objects or {}, _registered_objects(), module_objects):
        if name in table:
            return table[name]
    return None


def serialize_object(obj: Any, module_name: str) -> Any:
    """Keras 3's serialized form of a component: a config dict (``module``, ``class_name``, ``config``,
    ``registered_name``) for objects, a function descriptor for plain functions, ``None`` for ``None``."""
    if obj is None:
        return None
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return {"module": "builtins", "class_name": "function", "config": _registered_name(obj),
                "registered_name": "function"}
    cls = type(obj)
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize {obj!r}: it has no `get_config()` method.")
    builtin = cls.__module__ == module_name
    return {
        "module": _public_module(module_name) if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": obj.get_config(),
        "registered_name": None if builtin else _registered_name(cls),
    }


def _public_module(module_name: str) -> str:
    return module_name.replace("ndflow.keras", "keras", 1)


def deserialize_object(config: Any, module_objects: dict, kind: str,
                       custom_objects: dict | None = None) -> Any:
    """Rebuilds a component from a name or a config dict.

    Raises:
        ValueError: when the name or class is unknown (message ``Could not interpret <kind> identifier: …``).
    """
    if isinstance(config, str):
        found = lookup(config, module_objects, custom_objects)
        if found is None:
            raise ValueError(f"Could not interpret {kind} identifier: {config}")
        return found() if inspect.isclass(found) else found
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret {kind} identifier: {config}")
    if config["class_name"] == "function":
        return deserialize_object(config["config"], module_objects, kind, custom_objects)
    found = None
    for name in (config.get("registered_name"), config["class_name"]):
        if name:
            found = lookup(name, module_objects, custom_objects)
            if found is not None:
                break
    if found is None or not inspect.isclass(found):
        raise ValueError(f"Could not interpret {kind} identifier: {config}")
    return found.from_config(config.get("config") or {})


def get_object(identifier: Any, deserialize: Callable[[Any], Any], kind: str) -> Any:
    """The ``get`` rule shared by the component modules: configs and names are deserialized, classes are
    instantiated with no arguments, callables pass through."""
    if isinstance(identifier, (dict, str)):
        obj = deserialize(identifier)
    else:
        obj = identifier
    if inspect.isclass(obj):
        obj = obj()
    if not callable(obj):
        raise ValueError(f"Could not interpret {kind} identifier: {identifier}")
    return obj
