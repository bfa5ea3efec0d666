"""Switching between eager execution (TF2) and deferred graphs (TF1's ``disable_eager_execution``)."""
from __future__ import annotations

from . import graph as graph_module
from .context import state

_eager_disabled = False


def disable_eager_execution() -> None:
    """From now on ops are added to the default graph and run by sessions."""
    global _eager_disabled
    _eager_disabled = True
    state.graph = graph_module.get_default_graph()


def enable_eager_execution(config: object = None, device_policy: object = None,
                           execution_mode: object = None) -> None:
    """Back to eager execution (ndflow allows switching at any time)."""
    global _eager_disabled
    _eager_disabled = False
    state.graph = None


def reset_default_graph() -> None:
    """Clears the default graph (and keeps graph mode pointing at the new one)."""
    graph_module.reset_default_graph()
    if _eager_disabled:
        state.graph = graph_module.get_default_graph()


def eager_disabled() -> bool:
    return _eager_disabled
