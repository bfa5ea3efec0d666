"""``tf.compat.v1.graph_util``: freezing variables into constants and extracting sub-graphs of a ``GraphDef``.

ndflow's ``GraphDef`` is the JSON-compatible description of ``Graph.as_graph_def()``; here it is wrapped in a
``GraphDef`` message with TF's protobuf methods (``SerializeToString``/``ParseFromString``, attribute access to
``node``, ``node[i].name`` …) so TF1 programs that write ``.pb`` files run unchanged.
"""
from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np

from ..._core.graph_def import encode_attr

__all__ = ["GraphDef", "NodeDef", "Message", "convert_variables_to_constants", "extract_sub_graph",
           "must_run_on_cpu", "tensor_shape_from_node_def_name"]

_log = logging.getLogger("ndflow")
_VARIABLE_OPS = ("ReadVariableOp", "VariableV2")


class Message(dict):
    """A dict whose keys read as attributes (``message.node``), like a protobuf message."""

    _fields: dict = {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name not in self and name in self._fields:
            self[name] = self._fields[name]()
        try:
            value = self[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}") from None
        if isinstance(value, dict) and not isinstance(value, Message):
            value = self[name] = Message(value)
        elif isinstance(value, list):
            value[:] = [Message(v) if isinstance(v, dict) and not isinstance(v, Message) else v for v in value]
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def SerializeToString(self, deterministic: bool | None = None) -> bytes:  # noqa: N802 - protobuf's name
        """The message as UTF-8 JSON bytes."""
        return json.dumps(self, sort_keys=True).encode()

    def ParseFromString(self, serialized: bytes) -> int:  # noqa: N802 - protobuf's name
        """Replaces the contents with a ``SerializeToString`` result.

        Raises:
            ValueError: bytes that are not such a message.
        """
        try:
            data = json.loads(bytes(serialized).decode())
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ValueError(f"Error parsing message with type '{type(self).__name__}' (ndflow messages are "
                             "JSON)") from None
        if not isinstance(data, dict):
            raise ValueError(f"Error parsing message with type '{type(self).__name__}'")
        self.clear()
        self.update(data)
        return len(serialized)

    def CopyFrom(self, other: dict) -> None:  # noqa: N802 - protobuf's name
        self.clear()
        self.update(json.loads(json.dumps(other)))

    def ByteSize(self) -> int:  # noqa: N802 - protobuf's name
        return len(self.SerializeToString())

    def __str__(self) -> str:
        return json.dumps(self, indent=2, sort_keys=True)


class NodeDef(Message):
    """One node: ``name``, ``op``, ``input``, ``attr``, ``device``."""

    _fields = {"input": list, "attr": dict, "device": str}


class GraphDef(Message):
    """A graph description: ``node`` (a list of ``NodeDef``) and ``versions``."""

    _fields = {"node": list, "versions": dict}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setdefault("node", [])

    @property
    def node(self) -> list:
        nodes = self["node"]
        for i, node in enumerate(nodes):
            if not isinstance(node, NodeDef):
                nodes[i] = NodeDef(node)
        return nodes


def _as_graph_def(graph_def: Any) -> GraphDef:
    if isinstance(graph_def, dict) and "node" in graph_def:
        return graph_def if isinstance(graph_def, GraphDef) else GraphDef(graph_def)
    raise TypeError(f"graph_def must be a graph_pb2.GraphDef proto, but got type {type(graph_def)}.")


def _node_name(name: str) -> str:
    return name[1:].split(":")[0] if name.startswith("^") else name.split(":")[0]


def extract_sub_graph(graph_def: Any, dest_nodes: Any) -> GraphDef:
    """The nodes that ``dest_nodes`` need (through data and control inputs), in their original order.

    Raises:
        TypeError: ``graph_def`` is not a GraphDef, or ``dest_nodes`` is a single string.
        AssertionError: a destination that is not in the graph.
    """
    graph_def = _as_graph_def(graph_def)
    if isinstance(dest_nodes, str):
        raise TypeError("dest_nodes must be an iterable of strings.")
    by_name = {node["name"]: node for node in graph_def["node"]}
    for name in dest_nodes:
        if _node_name(name) not in by_name:
            raise AssertionError(f"{name} is not in graph")
    keep: set[str] = set()
    stack = [_node_name(n) for n in dest_nodes]
    while stack:
        name = stack.pop()
        if name in keep:
            continue
        keep.add(name)
        stack.extend(_node_name(i) for i in by_name[name].get("input", []))
    out = GraphDef({k: v for k, v in graph_def.items() if k != "node"})
    out["node"] = [NodeDef(json.loads(json.dumps(n, default=str))) for n in graph_def["node"] if n["name"] in keep]
    return out


def convert_variables_to_constants(sess: Any, input_graph_def: Any, output_node_names: list,
                                   variable_names_whitelist: Any = None,
                                   variable_names_blacklist: Any = None) -> GraphDef:
    """Keeps what ``output_node_names`` need and replaces variable reads by constants holding their values in
    ``sess``.

    Args:
        sess: the session holding the variables' values.
        input_graph_def: ``sess.graph.as_graph_def()`` (or a sub-graph of it).
        output_node_names: op names (without ``:0``) of the outputs to keep.
        variable_names_whitelist: if given, only these variables are frozen.
        variable_names_blacklist: variables not to freeze.

    Returns:
        A ``GraphDef`` that ``import_graph_def`` loads into any graph.

    Raises:
        ValueError: a kept node still refers to a variable (an assignment, or a variable left unfrozen).
    """
    sub = extract_sub_graph(input_graph_def, output_node_names)
    graph = sess.graph
    frozen: list[tuple[int, Any]] = []
    for i, node in enumerate(sub["node"]):
        if node["op"] not in _VARIABLE_OPS:
            continue
        var = graph.get_operation_by_name(node["name"]).attrs["var"]
        name = var.name.split(":")[0]
        if (variable_names_whitelist is not None and name not in variable_names_whitelist) or \
                (variable_names_blacklist is not None and name in variable_names_blacklist):
            continue
        frozen.append((i, var))
    values = sess.run([var._snapshot for _, var in frozen])
    for (i, var), value in zip(frozen, values):
        old = sub["node"][i]
        array = np.asarray(value, dtype=var.dtype._np)
        sub["node"][i] = NodeDef({"name": old["name"], "op": "Const", "input": [], "device": old.get("device", ""),
                                  "attr": {"value": encode_attr(array)}, "output_types": [var.dtype.name]})
    frozen_names = {sub["node"][i]["name"] for i, _ in frozen}
    for node in sub["node"]:
        if node["name"] not in frozen_names and "var" in node.get("attr", {}):
            raise ValueError(f"Cannot freeze node {node['name']!r} ({node['op']}): it still uses a variable")
    _log.info("Froze %d variables.", len(frozen))
    _log.info("Converted %d variables to const ops.", len(frozen))
    return sub


def must_run_on_cpu(node: Any, pin_variables_on_cpu: bool = False) -> bool:
    """Whether ``node`` must be placed on the CPU: everything runs on the CPU here."""
    return True


def tensor_shape_from_node_def_name(graph: Any, input_name: str) -> Any:
    """The static shape of tensor ``input_name`` (``op`` means ``op:0``) in ``graph``."""
    name = input_name if ":" in input_name else f"{input_name}:0"
    return graph.get_tensor_by_name(name).shape
