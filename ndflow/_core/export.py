"""Registry of public names: ``@export("math.add", "add")`` places an object in ``ndflow.math`` and ``ndflow``.

Public namespace modules (``ndflow/math.py`` …) are thin: they copy their entries from this registry.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable

_EXPORTS: dict[str, dict[str, Any]] = defaultdict(dict)


def export(*names: str) -> Callable[[Any], Any]:
    """Decorator registering ``obj`` under each dotted public name (no dot: top-level ``ndflow``)."""

    def register(obj: Any) -> Any:
        for full in names:
            namespace, _, short = full.rpartition(".")
            _EXPORTS[namespace][short] = obj
        return obj

    return register


def namespace(name: str) -> dict[str, Any]:
    """The objects exported into ``ndflow.<name>`` (``""`` for the top level)."""
    from . import ops  # noqa: F401 - importing the op modules fills the registry

    return dict(_EXPORTS[name])
