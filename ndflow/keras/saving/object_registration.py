"""Custom-object registry: ``register_keras_serializable``, ``custom_object_scope`` and the name lookups.

Registered objects live in one process-wide table keyed ``"package>name"``; ``custom_object_scope`` adds a
per-thread table on top of it for the duration of a ``with`` block (Keras 3 semantics).
"""
from __future__ import annotations

import inspect
import threading
from typing import Any, Callable

__all__ = ["CustomObjectScope", "custom_object_scope", "get_custom_objects", "register_keras_serializable",
           "get_registered_name", "get_registered_object", "scoped_custom_objects", "visible_custom_objects"]

_GLOBAL_CUSTOM_OBJECTS: dict[str, Any] = {}
_GLOBAL_CUSTOM_NAMES: dict[Any, str] = {}


class _ScopeState(threading.local):
    def __init__(self) -> None:
        self.objects: dict[str, Any] = {}


_SCOPE = _ScopeState()


class CustomObjectScope:
    """Makes custom classes and functions visible to deserialization inside a ``with`` block.

    Args:
        custom_objects: ``{name: object}``.

    Example: ``with custom_object_scope({"MyLayer": MyLayer}): model = load_model("m.keras")``.
    """

    def __init__(self, custom_objects: dict | None) -> None:
        self.custom_objects = dict(custom_objects or {})
        self.backup: dict | None = None

    def __enter__(self) -> CustomObjectScope:
        self.backup = dict(_SCOPE.objects)
        _SCOPE.objects = dict(self.custom_objects)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        _SCOPE.objects = dict(self.backup or {})


custom_object_scope = CustomObjectScope


def get_custom_objects() -> dict:
    """The live global table of registered custom objects (``custom_object_scope`` entries are not in it)."""
    return _GLOBAL_CUSTOM_OBJECTS


def scoped_custom_objects() -> dict:
    """The objects of the innermost active ``custom_object_scope`` of this thread (a copy)."""
    return dict(_SCOPE.objects)


def visible_custom_objects() -> dict:
    """Registered objects plus the active ``custom_object_scope`` entries (the scope wins on clashes)."""
    return {**_GLOBAL_CUSTOM_OBJECTS, **_SCOPE.objects}


def register_keras_serializable(package: str = "Custom", name: str | None = None) -> Callable[[Any], Any]:
    """Decorator registering a class or function under ``"package>name"`` (``name`` defaults to its own name).

    Raises:
        ValueError: a class without a ``get_config()`` method.
    """

    def decorator(obj: Any) -> Any:
        registered_name = f"{package}>{name if name is not None else obj.__name__}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        _GLOBAL_CUSTOM_OBJECTS[registered_name] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = registered_name
        return obj

    return decorator


def get_registered_name(obj: Any) -> str:
    """The name ``obj`` is registered under, else its ``__name__``."""
    try:
        return _GLOBAL_CUSTOM_NAMES[obj]
    except (KeyError, TypeError):
        return obj.__name__


def get_registered_object(name: str, custom_objects: dict | None = None, module_objects: dict | None = None) -> Any:
    """The object registered as ``name``: the active scope first, then the global registry, then
    ``custom_objects``, then ``module_objects``; ``None`` when absent."""
    for table in (_SCOPE.objects, _GLOBAL_CUSTOM_OBJECTS, custom_objects or {}, module_objects or {}):
        if name in table:
            return table[name]
    return None
