"""AutoGraph: Python control flow over tensors becomes graph control flow inside ``ndflow.function``."""
from __future__ import annotations

from typing import Any, Callable

from .converter import convert, to_source

__all__ = ["to_code", "to_graph", "do_not_convert", "convert"]


def to_code(entity: Callable, recursive: bool = True, experimental_optional_features: Any = None) -> str:
    """The source AutoGraph generates for ``entity`` (a function or an ``ndflow.function``)."""
    return to_source(getattr(entity, "python_function", entity))


def to_graph(entity: Callable, recursive: bool = True, experimental_optional_features: Any = None) -> Callable:
    """The converted function (call it inside ``ndflow.function`` to build graph control flow)."""
    return convert(getattr(entity, "python_function", entity))


def do_not_convert(func: Callable | None = None) -> Any:
    """Marks ``func`` so that ``ndflow.function`` traces it without AutoGraph."""
    def mark(f: Callable) -> Callable:
        f.__ag_do_not_convert__ = True
        return f

    return mark if func is None else mark(func)
