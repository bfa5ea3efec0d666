"""``variable_scope`` and ``get_variable``: named, shareable variables (TF1)."""
from __future__ import annotations

import contextlib
from typing import Any

from ..._core import dtypes
from ..._core.context import state
from ..._core.graph import get_default_graph
from ..._core.graph_variables import place_in_collections
from ..._core.shape import TensorShape
from ..._core.variable import Variable
from .initializers import glorot_uniform_initializer, zeros_initializer

__all__ = ["variable_scope", "get_variable", "get_variable_scope", "AUTO_REUSE", "VariableScope", "EagerVariableStore"]


class _AutoReuse:
    def __repr__(self) -> str:
        return "AUTO_REUSE"


AUTO_REUSE = _AutoReuse()


class VariableScope:
    """Defaults for ``get_variable`` inside a scope: name prefix, reuse, initializer, regularizer, dtype."""

    def __init__(self, reuse: Any, name: str = "", initializer: Any = None, regularizer: Any = None,
                 dtype: Any = dtypes.float32, name_scope: str = "") -> None:
        self.name = name
        self.reuse = reuse
        self.initializer = initializer
        self.regularizer = regularizer
        self.dtype = dtypes.as_dtype(dtype)
        self.original_name_scope = name_scope

    def reuse_variables(self) -> None:
        """From now on ``get_variable`` in this scope returns existing variables."""
        self.reuse = True

    def set_initializer(self, initializer: Any) -> None:
        self.initializer = initializer

    def set_regularizer(self, regularizer: Any) -> None:
        self.regularizer = regularizer


def _root_graph() -> Any:
    """The default graph, or the graph a control-flow body being traced is nested in (variables live there)."""
    from ..._core.control_flow import _SubGraph

    graph = get_default_graph()
    while isinstance(graph, _SubGraph):
        graph = graph.outer_graph
    return graph


def _store() -> tuple[dict, list]:
    graph = _root_graph() if state.graph is not None else None
    holder = graph if graph is not None else _EAGER_STORES[-1] if _EAGER_STORES else _EAGER
    if not hasattr(holder, "_var_store"):
        holder._var_store = {}
        holder._var_scopes = [VariableScope(False)]
    return holder._var_store, holder._var_scopes


class _EagerHolder:
    pass


_EAGER = _EagerHolder()
_EAGER_STORES: list = []  # active EagerVariableStores (innermost last)


class EagerVariableStore:
    """Executing eagerly, ``get_variable`` shares variables only inside ``with store.as_default():``."""

    def __init__(self) -> None:
        self._var_store: dict = {}
        self._var_scopes = [VariableScope(False)]

    @contextlib.contextmanager
    def as_default(self):
        _EAGER_STORES.append(self)
        try:
            yield self
        finally:
            _EAGER_STORES.pop()

    def variables(self) -> list:
        return list(self._var_store.values())

    def trainable_variables(self) -> list:
        return [v for v in self._var_store.values() if v.trainable]

    def non_trainable_variables(self) -> list:
        return [v for v in self._var_store.values() if not v.trainable]


def _shares_variables() -> bool:
    """Graphs keep a variable store; eager code has one only inside an ``EagerVariableStore``."""
    return state.graph is not None or bool(_EAGER_STORES)


def get_variable_scope() -> VariableScope:
    """The innermost variable scope."""
    return _store()[1][-1]


@contextlib.contextmanager
def variable_scope(name_or_scope: Any, default_name: str | None = None, values: Any = None,
                   initializer: Any = None, regularizer: Any = None, caching_device: Any = None,
                   partitioner: Any = None, custom_getter: Any = None, reuse: Any = None, dtype: Any = None,
                   use_resource: Any = None, constraint: Any = None, auxiliary_name_scope: bool = True):
    """Prefixes ``get_variable`` names with the scope and sets sharing (``reuse``) and defaults.

    Raises:
        ValueError: neither a name nor a default name.
    """
    _, scopes = _store()
    parent = scopes[-1]
    if name_or_scope is None and default_name is None:
        raise ValueError("If default_name is None then scope (name_or_scope) is required")
    graph = state.graph
    if isinstance(name_or_scope, VariableScope):
        full = name_or_scope.name
        scope_reuse = name_or_scope.reuse if reuse is None else reuse
        base_name = full.split("/")[-1]
    else:
        base_name = name_or_scope if name_or_scope is not None else _unique_default(default_name, parent)
        full = f"{parent.name}/{base_name}" if parent.name else base_name
        scope_reuse = reuse if reuse is not None else parent.reuse
        if reuse is False:
            scope_reuse = False
    scope = VariableScope(scope_reuse if scope_reuse is not None else False, full,
                          initializer if initializer is not None else parent.initializer,
                          regularizer if regularizer is not None else parent.regularizer,
                          dtype if dtype is not None else parent.dtype)
    scopes.append(scope)
    try:
        if graph is not None and auxiliary_name_scope:
            with graph.name_scope(base_name) as ns:
                scope.original_name_scope = ns
                yield scope
        else:
            yield scope
    finally:
        scopes.pop()


def _unique_default(default_name: str, parent: VariableScope) -> str:
    store, _ = _store()
    prefix = f"{parent.name}/" if parent.name else ""
    used = {name.split("/")[len(prefix.split("/")) - 1] for name in store if name.startswith(prefix)}
    if default_name not in used:
        return default_name
    i = 1
    while f"{default_name}_{i}" in used:
        i += 1
    return f"{default_name}_{i}"


def _in_name_scope(graph: Any, scope: str, make: Any) -> Any:
    """``make`` wrapped so the ops it builds are named under ``scope`` (TF's ``<var>/Initializer/…``)."""
    def made_in_scope() -> Any:
        with graph.name_scope(scope):
            return make()

    return made_in_scope


def get_variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                 regularizer: Any = None, trainable: Any = None, collections: Any = None,
                 caching_device: Any = None, partitioner: Any = None, validate_shape: bool = True,
                 use_resource: Any = None, custom_getter: Any = None, constraint: Any = None,
                 synchronization: Any = None, aggregation: Any = None) -> Variable:
    """The variable ``<scope>/<name>``: created, or reused when the scope allows.

    Raises:
        ValueError: it exists and the scope does not reuse; it is missing and the scope reuses; its shape
            is not fully defined; or the requested shape differs from the existing one.
    """
    store, scopes = _store()
    scope = scopes[-1]
    full = f"{scope.name}/{name}" if scope.name else name
    reuse = scope.reuse
    existing = store.get(full)
    if existing is not None:
        if reuse is False:
            raise ValueError(f"Variable {full} already exists, disallowed. Did you mean to set reuse=True or "
                             "reuse=tf.AUTO_REUSE in VarScope?")
        if shape is not None and not existing.shape.is_compatible_with(shape):
            raise ValueError(f"Trying to share variable {full}, but specified shape {TensorShape(shape)} and "
                             f"found shape {existing.shape}.")
        return existing
    if reuse is True and _shares_variables():
        raise ValueError(f"Variable {full} does not exist, or was not created with tf.get_variable(). Did you "
                         "mean to set reuse=tf.AUTO_REUSE in VarScope?")
    dtype = dtypes.as_dtype(dtype) if dtype is not None else scope.dtype
    initializer = initializer if initializer is not None else scope.initializer
    if initializer is None:
        initializer = glorot_uniform_initializer() if dtype.is_floating else zeros_initializer()
    if callable(initializer) and not hasattr(initializer, "shape"):
        shape = TensorShape(shape)
        if not shape.is_fully_defined():
            raise ValueError(f"Shape of a new variable ({full}) must be fully defined, but instead was {shape}.")
        init_value = lambda: initializer(shape.as_list(), dtype=dtype)  # noqa: E731
    else:
        init_value = initializer
    if state.graph is None:  # TF2 eager: a new variable, shared only through an EagerVariableStore
        var = Variable(init_value, trainable=trainable, name=full, dtype=dtype, constraint=constraint)
        if _EAGER_STORES:
            store[full] = var
        return var
    graph = _root_graph()
    if callable(init_value):
        init_value = _in_name_scope(graph, full + "/Initializer/", init_value)
    with graph.as_default(), graph.name_scope(None):
        var = Variable(init_value, trainable=trainable, name=full, dtype=dtype, constraint=constraint)
    store[full] = var
    regularizer = regularizer if regularizer is not None else scope.regularizer
    if regularizer is not None:
        with graph.name_scope(full + "/Regularizer/"):
            loss = regularizer(var)
        if loss is not None:
            graph.add_to_collection("regularization_losses", loss)
    place_in_collections(var, collections)
    return var
