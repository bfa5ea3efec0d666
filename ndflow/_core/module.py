"""``Module``: a container that finds the variables and sub-modules held in its attributes (TF's tf.Module)."""
from __future__ import annotations

import re
from typing import Any, Callable, Iterator

from .graph import name_scope as _name_scope

__all__ = ["Module"]

_VALID_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-/]*$")


def _camel_to_snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


class Module:
    """Base class for objects that own variables (models, layers, optimizers' state …).

    Args:
        name: the module name (default: the class name in snake_case); used as its name scope.

    Raises:
        ValueError: a name that is not a valid scope name.
    """

    _TF_MODULE_IGNORED_PROPERTIES: frozenset = frozenset()

    def __init__(self, name: str | None = None) -> None:
        if name is None:
            name = _camel_to_snake(type(self).__name__)
        elif not _VALID_NAME.match(name):
            raise ValueError(f"'{name}' is not a valid module name. Module names must be valid Python "
                             "identifiers (e.g. a valid class name).")
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    @property
    def name_scope(self) -> Any:
        """A name scope named after the module (enter it to prefix the names of what it creates)."""
        return _name_scope(self._name)

    @property
    def variables(self) -> tuple:
        """Every variable this module and its sub-modules hold, in attribute order, without duplicates."""
        return tuple(self._flatten(lambda v: hasattr(v, "_is_variable")))

    @property
    def trainable_variables(self) -> tuple:
        return tuple(v for v in self.variables if v.trainable)

    @property
    def non_trainable_variables(self) -> tuple:
        return tuple(v for v in self.variables if not v.trainable)

    @property
    def submodules(self) -> tuple:
        """Every module reachable from this one's attributes (breadth first)."""
        found: list = []
        seen = {id(self)}
        queue = [self]
        while queue:
            module = queue.pop(0)
            for child in module._children(lambda v: isinstance(v, Module)):
                if id(child) not in seen:
                    seen.add(id(child))
                    found.append(child)
                    queue.append(child)
        return tuple(found)

    def _children(self, predicate: Callable[[Any], bool]) -> Iterator:
        for key in sorted(vars(self)):
            if key in self._TF_MODULE_IGNORED_PROPERTIES:
                continue
            yield from _walk(vars(self)[key], predicate, set())

    def _flatten(self, predicate: Callable[[Any], bool]) -> list:
        out, seen = [], set()
        for module in (self, *self.submodules):
            for leaf in module._children(predicate):
                if id(leaf) not in seen:
                    seen.add(id(leaf))
                    out.append(leaf)
        return out

    @classmethod
    def with_name_scope(cls, method: Callable) -> Callable:
        """Decorator running ``method`` inside the module's name scope."""
        import functools

        @functools.wraps(method)
        def wrapped(self: Module, *args: Any, **kwargs: Any) -> Any:
            with self.name_scope:
                return method(self, *args, **kwargs)

        return wrapped

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__} object at {hex(id(self))}>"


def _walk(value: Any, predicate: Callable[[Any], bool], seen: set) -> Iterator:
    if id(value) in seen:
        return
    if predicate(value):
        yield value
        return
    if isinstance(value, Module):
        return
    if isinstance(value, dict):
        seen.add(id(value))
        for key in sorted(value, key=str):
            yield from _walk(value[key], predicate, seen)
    elif isinstance(value, (list, tuple)):
        seen.add(id(value))
        for item in value:
            yield from _walk(item, predicate, seen)
