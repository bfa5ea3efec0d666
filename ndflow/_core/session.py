"""TF1 sessions: ``Session.run(fetches, feed_dict)`` over a graph, and the default-session stack."""
from __future__ import annotations

import contextlib
from typing import Any

import numpy as np

from . import graph_variables, nest
from .executor import plan_for
from .graph import Graph, GraphTensor, Operation, get_default_graph

__all__ = ["Session", "InteractiveSession", "get_default_session"]

_session_stack: list = []


def get_default_session() -> Session | None:
    """The innermost session entered with ``with`` / ``as_default()`` (or an InteractiveSession)."""
    return _session_stack[-1] if _session_stack else None


def _session_for(session: Session | None) -> Session:
    session = session or get_default_session()
    if session is None:
        raise ValueError("Cannot evaluate tensor using `eval()`: No default session is registered. Use `with "
                         "sess.as_default()` or pass an explicit session to `eval(session=sess)`")
    return session


class Session:
    """Runs ops of one graph (TF1's ``tf.Session``).

    Args:
        target: ignored (no distributed runtime).
        graph: the graph to run; the default graph when None.
        config: accepted for compatibility.
    """

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None) -> None:
        self.graph = graph if graph is not None else get_default_graph()
        self._variable_values: dict = {}
        self._closed = False
        self._default_ctx = None

    def run(self, fetches: Any, feed_dict: dict | None = None, options: Any = None,
            run_metadata: Any = None) -> Any:
        """Evaluates ``fetches`` (a nested structure of tensors, ops or their names).

        Returns:
            The values in ``fetches``' structure: NumPy arrays for tensors, None for ops.

        Raises:
            RuntimeError: the session is closed.
            ValueError: a fed value whose shape does not fit the tensor's static shape.
            TypeError: a fetch that is not a graph element.
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        fetches = nest.map_structure(_component_tuple, fetches)
        flat = nest.flatten(fetches)
        elements = [self._element(f) for f in flat]
        tensors = [e for e in elements if isinstance(e, GraphTensor)]
        targets = [e for e in elements if isinstance(e, Operation)]
        feed_keys, feed_values = [], []
        for key, value in _flat_feeds(feed_dict or {}):
            tensor = self._element(key)
            if not isinstance(tensor, GraphTensor):
                raise TypeError(f"The value of a feed cannot be a tf.Operation: {key!r}")
            feed_keys.append(tensor)
            feed_values.append(_feed_value(tensor, value))
        plan = plan_for(self.graph, tensors, targets, feed_keys)
        results = iter(graph_variables.run_with_store(self._variable_values, plan.run, feed_values))
        out = [_as_output(next(results)) if isinstance(e, GraphTensor) else None for e in elements]
        return nest.pack_sequence_as(fetches, out)

    def _element(self, fetch: Any) -> Any:
        if isinstance(fetch, str):
            return self.graph.as_graph_element(fetch)
        if isinstance(fetch, (GraphTensor, Operation)):
            if fetch.graph is not self.graph:
                raise ValueError(f"Fetch argument {fetch!r} cannot be interpreted as a Tensor. ({fetch!r} is "
                                 "not an element of this graph.)")
            return fetch
        graph_element = getattr(fetch, "_graph_element", None)
        if graph_element is not None:
            return graph_element()
        raise TypeError(f"Fetch argument {fetch!r} has invalid type {type(fetch)}, must be a string or Tensor. "
                        f"(Can not convert a {type(fetch).__name__} into a Tensor or Operation.)")

    def close(self) -> None:
        """Closes the session; ops blocked in it (queue enqueues and dequeues) are cancelled."""
        self._closed = True
        for value in list(self._variable_values.values()):
            if hasattr(value, "cancel_blocked_ops"):
                value.cancel_blocked_ops()

    @contextlib.contextmanager
    def as_default(self):
        """Makes this the default session (and its graph the default graph) inside the block."""
        _session_stack.append(self)
        try:
            with self.graph.as_default():
                yield self
        finally:
            _session_stack.remove(self)

    def __enter__(self) -> Session:
        self._default_ctx = self.as_default()
        return self._default_ctx.__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._default_ctx.__exit__(*exc)
        self.close()


class InteractiveSession(Session):
    """A session that makes itself the default on creation (close it with ``close()``)."""

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None) -> None:
        super().__init__(target, graph, config)
        _session_stack.append(self)

    def close(self) -> None:
        super().close()
        if self in _session_stack:
            _session_stack.remove(self)


def _flat_feeds(feed_dict: dict) -> list:
    """``(tensor, value)`` pairs; a nested key (an LSTM state tuple) feeds each of its tensors, as in TF1."""
    pairs = []
    for key, value in feed_dict.items():
        if isinstance(key, (tuple, list)):
            pairs.extend(zip(nest.flatten(key), nest.flatten_up_to(key, value)))
        else:
            pairs.append((key, value))
    return pairs


def _feed_value(tensor: GraphTensor, value: Any) -> Any:
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    dtype = tensor.dtype
    if dtype.name == "string":
        from .tensor import _string_array

        arr = _string_array(value)
    else:
        arr = np.asarray(value, dtype=dtype.as_numpy_dtype)
    if not tensor.shape.is_compatible_with(arr.shape):
        raise ValueError(f"Cannot feed value of shape {arr.shape} for Tensor {tensor.name}, which has shape "
                         f"{tensor.shape}")
    return arr


def _as_output(value: Any) -> Any:
    value = np.asarray(value) if not isinstance(value, (np.ndarray, np.generic)) else value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    return value


def _component_tuple(fetch: Any) -> Any:
    """SparseTensor and IndexedSlices fetches become TF1's value tuples (filled with their components' values)."""
    from .indexed_slices import IndexedSlices, IndexedSlicesValue
    from .sparse_tensor import SparseTensor, SparseTensorValue

    if isinstance(fetch, SparseTensor):
        return SparseTensorValue(fetch.indices, fetch.values, fetch.dense_shape)
    if isinstance(fetch, IndexedSlices) and fetch.dense_shape is not None:
        return IndexedSlicesValue(fetch.values, fetch.indices, fetch.dense_shape)
    return fetch
