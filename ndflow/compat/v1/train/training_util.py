"""The global step variable (TF1's ``tf.train.get_or_create_global_step``)."""
from __future__ import annotations

from typing import Any

from ...._core import dtypes
from ...._core.context import state
from ...._core.graph import get_default_graph
from ...._core.variable import Variable

GLOBAL_STEP = "global_step"
_eager_global_step: list = []


def get_global_step(graph: Any = None) -> Variable | None:
    """The global step variable of ``graph`` (or the eager one), None if not created yet."""
    if state.graph is None and graph is None:
        return _eager_global_step[0] if _eager_global_step else None
    found = (graph or get_default_graph()).get_collection(GLOBAL_STEP)
    return found[0] if found else None


def create_global_step(graph: Any = None) -> Variable:
    """Creates the int64 ``global_step`` variable (not trainable).

    Raises:
        ValueError: it already exists.
    """
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    graph = graph or (get_default_graph() if state.graph is not None else None)
    step = Variable(0, trainable=False, name="global_step", dtype=dtypes.int64)
    if graph is None:
        _eager_global_step.append(step)
    else:
        graph.add_to_collection(GLOBAL_STEP, step)
    return step


def get_or_create_global_step(graph: Any = None) -> Variable:
    """The global step, created on first use."""
    return get_global_step(graph) or create_global_step(graph)


def global_step(sess: Any, global_step_tensor: Any) -> int:
    """The global step's current value as a Python int."""
    return int(sess.run(global_step_tensor))
