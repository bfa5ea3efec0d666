"""Variables inside graphs: read and assign ops that reach the Python ``Variable`` at run time."""
from __future__ import annotations

import threading
from typing import Any

from . import dtypes
from .errors import FailedPreconditionError
from .op import register
from .shape import TensorShape

GLOBAL_VARIABLES = "variables"
TRAINABLE_VARIABLES = "trainable_variables"
LOCAL_VARIABLES = "local_variables"


def uninitialized(var: Any) -> FailedPreconditionError:
    name = var.name[:-2] if var.name.endswith(":0") else var.name
    return FailedPreconditionError(None, None, f"Attempting to use uninitialized value {name}")


# TF1 semantics: each session holds its own values of a graph's variables. ``Session.run`` makes its store
# current; eager variables (read inside traced functions) keep their value on the object.
class _SessionStore(threading.local):
    current: Any = None  # per thread, so several threads can run ``Session.run`` at once


_session_store = _SessionStore()


def run_with_store(store: dict, fn: Any, *args: Any) -> Any:
    """Calls ``fn(*args)`` with ``store`` holding the values of graph variables."""
    previous = _session_store.current
    _session_store.current = store
    try:
        return fn(*args)
    finally:
        _session_store.current = previous


def _get(var: Any) -> Any:
    if var._graph is None:
        value = var._value
        var._value_shared = True  # the op's output is the variable's own array
    else:
        store = _session_store.current
        value = None if store is None else store.get(id(var))
    if value is None:
        raise uninitialized(var)
    return value


def _set(var: Any, value: Any) -> None:
    if var._graph is None:
        var._value = value
        var._value_shared = True  # the assign op outputs this array too
    else:
        _session_store.current[id(var)] = value


def _read_forward(xp, *, var):
    return _get(var)


def _assign_forward(xp, value, *, var, mode):
    if mode == "assign":
        new = xp.array(value, dtype=var._dtype._np, copy=True)
        if not var._shape.is_compatible_with(new.shape):
            from .errors import InvalidArgumentError

            raise InvalidArgumentError(None, None, f"Assign requires shapes of both tensors to match. lhs "
                                                   f"shape= {var._shape} rhs shape= {TensorShape(new.shape)}")
    else:
        current = _get(var)
        new = xp.asarray(current + value if mode == "add" else current - value)
    _set(var, new)
    return new


ReadVariable = register("ReadVariableOp", _read_forward, stateful=True)
AssignVariable = register("AssignVariableOp", _assign_forward, stateful=True)


def init_in_graph(var: Any, initial_value: Any, trainable: Any, name: Any, dtype: Any, shape: Any,
                  constraint: Any) -> None:
    """Makes ``var`` a graph variable: uninitialized until its ``initializer`` op runs."""
    from .context import state
    from .graph import Graph
    from .tensor import convert_to_tensor

    graph: Graph = state.graph
    var._graph = graph
    spec = [(TensorShape(shape) if shape is not None else TensorShape(None), dtypes.as_dtype(dtype or "float32"))]
    handle = graph._add_op(ReadVariable, (), {"var": var}, name or "Variable", spec)  # TF1's op named like var
    base = handle.name
    var._name = base
    with graph.name_scope(base + "/"):
        init = initial_value if hasattr(initial_value, "op") else convert_to_tensor(
            initial_value, dtype=dtype)
        if dtype is not None and init.dtype != dtypes.as_dtype(dtype):
            from .ops.math_ops import cast

            init = cast(init, dtype)
        var._dtype = init.dtype
        var._shape = init.shape if shape is None else TensorShape(shape)
        var._value = None
        var._trainable = True if trainable is None else bool(trainable)
        var._constraint = constraint
        var._synchronization = 0
        var._aggregation = 0
        var._initial_value = init
        assign = graph._add_op(AssignVariable, (init,), {"var": var, "mode": "assign"}, "Assign",
                               [(var._shape, var._dtype)])
        var._initializer_op = assign
        var._snapshot = graph._add_op(ReadVariable, (), {"var": var}, "read", [(var._shape, var._dtype)]).outputs[0]
        handle.outputs[0]._shape, handle.outputs[0]._dtype = var._shape, var._dtype
    graph.add_to_collection(GLOBAL_VARIABLES, var)
    if var._trainable:
        graph.add_to_collection(TRAINABLE_VARIABLES, var)


def place_in_collections(var: Any, collections: Any) -> None:
    """Puts a graph variable in exactly ``collections`` (TF1's ``collections=`` argument), plus
    TRAINABLE_VARIABLES when it is trainable, instead of the default GLOBAL_VARIABLES."""
    graph = var._graph
    if graph is None or collections is None:
        return
    collections = list(collections)
    if var._trainable and TRAINABLE_VARIABLES not in collections:
        collections.append(TRAINABLE_VARIABLES)
    for key in (GLOBAL_VARIABLES, TRAINABLE_VARIABLES):
        if key not in collections:
            ref = graph.get_collection_ref(key)
            ref[:] = [v for v in ref if v is not var]
    for key in collections:
        if not any(v is var for v in graph.get_collection(key)):
            graph.add_to_collection(key, var)


def read(var: Any, graph: Any) -> Any:
    """A tensor of ``var``'s value in ``graph``: its snapshot in its own graph, else a read op.

    Reads are cached per graph until ``var`` is assigned in it (or in a graph nested in it); the next read
    is then a new op that runs after that assign, as TF's automatic control dependencies order them.
    """
    if var._graph is graph:
        return var._snapshot
    cache = graph.__dict__.setdefault("_variable_reads", {})
    tensor = cache.get(id(var))
    if tensor is None:
        tensor = _outer_read(var, graph)
        if tensor is None:
            tensor = fresh_read(var, graph)
        cache[id(var)] = tensor
    return tensor


def _outer_read(var: Any, graph: Any) -> Any:
    """Inside a control-flow body: the enclosing graph's read of ``var``, captured, so gradients reach ``var``
    through the ``If``/``While`` op's inputs. None where the body assigns ``var`` (its reads must be fresh)."""
    outer = graph.outer_graph
    if outer is None or getattr(graph, "_lifts_variables", True):
        return None
    if id(var) in graph.__dict__.get("_assigned_inside", ()) or id(var) in graph.__dict__.get("_fresh_reads", ()):
        return None
    with outer.as_default():
        outer_tensor = var._read()  # tapes record this read, so they can differentiate through the op
    graph.__dict__.setdefault("_captured_reads", set()).add(id(var))
    return graph.capture(outer_tensor)


def stale_captured_reads(graph: Any) -> set:
    """Variables whose reads ``graph`` captured from outside but which it (or a graph in it) also assigns:
    inside a loop those captures would hold the value from before the loop."""
    return graph.__dict__.get("_captured_reads", set()) & graph.__dict__.get("_assigned_inside", set())


def evaluate_outside(graph: Any, value: Any) -> Any:
    """The concrete value of a graph tensor that depends on no graph input (for lifted variables).

    Raises:
        InvalidArgumentError: the value depends on a function input.
    """
    from .executor import Plan
    from .graph import GraphTensor

    if not isinstance(value, GraphTensor):
        return value
    return Plan(graph, [value], [], []).run([])[0]


def fresh_read(var: Any, graph: Any) -> Any:
    """A new read op, placed after whatever control dependencies are active and after the last assign of
    ``var`` in ``graph``."""
    last_assign = graph.__dict__.get("_variable_assigns", {}).get(id(var))
    with graph.control_dependencies([] if last_assign is None else [last_assign]):
        return graph._add_op(ReadVariable, (), {"var": var}, "ReadVariableOp",
                             [(var.shape, var.dtype)]).outputs[0]


def _forget_reads(var: Any, graph: Any) -> None:
    """Drops the cached reads of ``var`` in ``graph`` and the graphs it is nested in (they are stale now)."""
    while graph is not None:
        graph.__dict__.get("_variable_reads", {}).pop(id(var), None)
        graph = graph.outer_graph


def assign(var: Any, value: Any, mode: str) -> Any:
    """An assign/assign_add/assign_sub op in the current graph; returns the new-value tensor."""
    from .context import state
    from .tensor import convert_to_tensor

    graph = state.graph
    value = value if hasattr(value, "op") and hasattr(value, "graph") else convert_to_tensor(value, var.dtype)
    op_name = {"assign": "Assign", "add": "AssignAdd", "sub": "AssignSub"}[mode]
    op = graph._add_op(AssignVariable, (graph.capture(value),), {"var": var, "mode": mode}, op_name,
                       [(var.shape, var.dtype)])
    if var._graph is not graph:
        graph.__dict__.setdefault("_variable_assigns", {})[id(var)] = op
        _forget_reads(var, graph)
        inner = graph
        while inner is not None and inner is not var._graph:
            inner.__dict__.setdefault("_assigned_inside", set()).add(id(var))
            inner = inner.outer_graph
    return op.outputs[0]


def collection_variables(key: str, scope: str | None = None) -> list:
    from .graph import get_default_graph

    return get_default_graph().get_collection(key, scope)


def variables_initializer(var_list: list, name: str = "init") -> Any:
    """One op that runs the initializers of ``var_list``."""
    from .graph import NoOp, get_default_graph

    graph = get_default_graph()
    with graph.control_dependencies([v.initializer for v in var_list]):
        return graph._add_op(NoOp, (), {}, name, [])


def global_variables_initializer() -> Any:
    """The op initialising every global variable of the default graph."""
    return variables_initializer(collection_variables(GLOBAL_VARIABLES))


