"""Registry of public names: ``@export("math.add", "add")`` places an object in ``ndflow.math`` and ``ndflow``.

Public namespace modules (``ndflow/math.py`` …) are thin: they copy their entries from this registry.
Functions with a ``name`` parameter are registered wrapped so that, while a graph is being built, the op
they create is called ``name`` (inside the current name scope), as in TF. The module keeps the unwrapped
function, so internal calls and Python operators skip the wrapper.
"""
from __future__ import annotations

import functools
import inspect
from collections import defaultdict
from typing import Any, Callable

from .context import state

_EXPORTS: dict[str, dict[str, Any]] = defaultdict(dict)


def export(*names: str) -> Callable[[Any], Any]:
    """Decorator registering ``obj`` under each dotted public name (no dot: top-level ``ndflow``)."""

    def register(obj: Any) -> Any:
        public = _with_op_naming(obj)
        for full in names:
            namespace, _, short = full.rpartition(".")
            _EXPORTS[namespace][short] = public
        return obj

    return register


def namespace(name: str) -> dict[str, Any]:
    """The objects exported into ``ndflow.<name>`` (``""`` for the top level).

    Names from the op modules loaded on first use (``ops.DEFERRED_MODULES``) are included only once those are
    loaded, except for the namespaces only they fill (``sparse``, ``sets``), which load them.
    """
    from . import ops  # importing the op modules fills the registry

    if name in ops.DEFERRED_NAMESPACES:
        ops.load_deferred()
    return dict(_EXPORTS[name])


def deferred_attributes(module_globals: dict) -> tuple[Callable[[str], Any], Callable[[], list]]:
    """``__getattr__`` and ``__dir__`` for a public namespace module (``ndflow.nn`` …) some of whose names come
    from the op modules loaded on first use: a miss loads them, and ``ndflow`` publishes their names."""
    module_name = module_globals["__name__"]

    def publish() -> None:
        import ndflow

        ndflow._load_deferred()

    def __getattr__(name: str) -> Any:
        if not name.startswith("__"):
            publish()
            if name in module_globals:
                return module_globals[name]
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    def __dir__() -> list:
        publish()
        return sorted(module_globals)

    return __getattr__, __dir__


def _with_op_naming(fn: Any) -> Any:
    if not inspect.isfunction(fn):
        return fn
    code = fn.__code__  # cheaper than inspect.signature: this runs for every export at import time
    params = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
    if "name" not in params:
        return fn
    position = params.index("name") if params.index("name") < code.co_argcount else 1 << 30

    @functools.wraps(fn)
    def named(*args: Any, **kwargs: Any) -> Any:
        graph = state.graph
        if graph is None:
            return fn(*args, **kwargs)
        first_new = len(graph._ops)
        out = fn(*args, **kwargs)
        name = kwargs.get("name", args[position] if len(args) > position else None)
        if name:
            _rename(graph, out, name, first_new)
        return out

    return named


def _rename(graph: Any, out: Any, name: str, first_new: int) -> None:
    """Gives the op behind ``out`` the user's name when this call created it."""
    op = getattr(out, "op", None)
    if op is None or getattr(op, "graph", None) is not graph or op._id < first_new:
        return
    del graph._by_name[op.name]
    op.name = graph.unique_name(name)
    graph._by_name[op.name] = op
