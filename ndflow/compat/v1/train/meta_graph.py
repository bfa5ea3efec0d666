"""MetaGraphs: a graph with its variables, collections and Saver, written as JSON (``.meta`` files).

``Graph.as_graph_def()`` cannot describe variables (its read and assign ops point at Python ``Variable``
objects). Here each variable becomes a ``VariableV2`` node named after it, holding its dtype, shape and the
names of its initializer, snapshot and initial value; the ops that read or assign it refer to that node by name.
Importing rebuilds fresh graph variables from these nodes, so ``get_tensor_by_name("v1:0")`` reads ``v1``.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
from typing import Any

import ndflow

from ...._core import dtypes, graph_variables
from ...._core.graph import Graph, GraphTensor, Operation, get_default_graph
from ...._core.graph_def import node_def
from ...._core.op import register
from ...._core.shape import TensorShape
from ...._core.variable import Variable
from ....saved_model.function_io import add_nodes, node_output
from ..graph_util import GraphDef, Message, NodeDef

__all__ = ["MetaGraphDef", "SaverDef", "export_meta_graph", "import_meta_graph_def", "read_meta_graph_file",
           "graph_def_with_variables"]

_log = logging.getLogger("ndflow")

# The variable itself: reading it gives its value (TF1's ``v1:0``).
VariableV2 = register("VariableV2", graph_variables._read_forward, stateful=True)


class SaverDef(Message):
    """How to run a Saver's graph ops: ``filename_tensor_name``, ``save_tensor_name``, ``restore_op_name`` …"""

    def __str__(self) -> str:
        lines = [f'filename_tensor_name: "{self["filename_tensor_name"]}"',
                 f'save_tensor_name: "{self["save_tensor_name"]}"',
                 f'restore_op_name: "{self["restore_op_name"]}"',
                 f"max_to_keep: {self['max_to_keep']}",
                 f"keep_checkpoint_every_n_hours: {float(self['keep_checkpoint_every_n_hours'])!r}"]
        if self.get("sharded"):
            lines.append("sharded: true")
        lines.append(f"version: {self.get('version', 'V2')}")
        return "\n".join(lines) + "\n"

    __repr__ = __str__


class MetaGraphDef(Message):
    """``meta_info_def``, ``graph_def``, ``saver_def`` and ``collection_def`` of one graph."""

    @property
    def graph_def(self) -> GraphDef:
        value = self.get("graph_def", {})
        if not isinstance(value, GraphDef):
            value = self["graph_def"] = GraphDef(value)
        return value

    @property
    def saver_def(self) -> SaverDef | None:
        value = self.get("saver_def")
        if value is not None and not isinstance(value, SaverDef):
            value = self["saver_def"] = SaverDef(value)
        return value


# ---------------------------------------------------------------------------------------------------------
# Export


def _variable_name(var: Any) -> str:
    return var.name[:-2] if var.name.endswith(":0") else var.name


def _variable_node(var: Any) -> NodeDef:
    def name_of(tensor: Any) -> str:
        return tensor.name if isinstance(tensor, GraphTensor) else ""

    return NodeDef({"name": _variable_name(var), "op": "VariableV2", "input": [], "device": "",
                    "attr": {"dtype": {"dtype": var.dtype.name}, "shape": {"shape": var._shape.dims},
                             "trainable": bool(var.trainable), "initializer_name": var.initializer.name,
                             "snapshot_name": name_of(var._snapshot),
                             "initial_value_name": name_of(var._initial_value)},
                    "output_types": [var.dtype.name]})


def graph_def_with_variables(graph: Graph) -> GraphDef:
    """``graph.as_graph_def()`` with ``VariableV2`` nodes for its variables.

    Raises:
        NotImplementedError: an op that uses a variable of another graph (an eager variable).
    """
    nodes = []
    emitted: set[int] = set()
    for op in graph.get_operations():
        node = NodeDef(node_def(op))
        var = op.attrs.get("var")
        if isinstance(var, Variable):
            if var._graph is not graph:
                raise NotImplementedError(f"exporting op {op.name!r}, which uses the variable {var.name} of another "
                                          "graph, is not supported yet")
            if id(var) not in emitted and op.type != "VariableV2":
                emitted.add(id(var))
                nodes.append(_variable_node(var))
            emitted.add(id(var))
            if op.type == "VariableV2":
                node = _variable_node(var)
            else:
                node["attr"]["var"] = {"variable": _variable_name(var)}
        nodes.append(node)
    return GraphDef({"node": nodes, "versions": {"producer": 1}})


def _collection_def(graph: Graph) -> dict:
    out = {}
    for key in graph.get_all_collection_keys():
        items = graph.get_collection(key)
        if not items:
            continue
        if all(isinstance(i, Variable) for i in items):
            out[key] = {"variable_list": {"value": [_variable_name(v) for v in items]}}
        elif all(isinstance(i, (Operation, GraphTensor)) for i in items):
            out[key] = {"node_list": {"value": [i.name for i in items]}}
        elif all(isinstance(getattr(i, "saver_def", None), dict) for i in items):
            out[key] = {"saver_list": {"value": [dict(i.saver_def) for i in items]}}
        elif all(isinstance(i, (str, bytes)) for i in items):
            out[key] = {"bytes_list": {"value": [i.decode() if isinstance(i, bytes) else i for i in items]}}
        elif all(isinstance(i, int) and not isinstance(i, bool) for i in items):
            out[key] = {"int64_list": {"value": list(items)}}
        elif all(isinstance(i, float) for i in items):
            out[key] = {"float_list": {"value": list(items)}}
        else:
            _log.warning("Issue encountered when serializing %s: its items are not variables, ops, tensors or "
                         "plain values, so the collection is not exported.", key)
    return out


def export_meta_graph(filename: str | None = None, graph: Graph | None = None, saver_def: dict | None = None,
                      collection_list: Any = None) -> MetaGraphDef:
    """The ``MetaGraphDef`` of ``graph`` (default: the default graph), also written to ``filename`` if given."""
    graph = graph or get_default_graph()
    graph_def = graph_def_with_variables(graph)
    collections = _collection_def(graph)
    if collection_list is not None:
        collections = {k: v for k, v in collections.items() if k in collection_list}
    op_names = sorted({n["op"] for n in graph_def["node"]})
    meta = MetaGraphDef({"meta_info_def": {"stripped_op_list": {"op": [{"name": n} for n in op_names]},
                                           "tensorflow_version": ndflow.__version__,
                                           "tensorflow_git_version": "ndflow"},
                         "graph_def": graph_def, "collection_def": collections})
    if saver_def is not None:
        meta["saver_def"] = SaverDef(saver_def)
    if filename is not None:
        from ...._core.checkpoint_format import atomic_write

        atomic_write(os.fspath(filename), [json.dumps(meta, indent=1, sort_keys=True).encode()])
    return meta


# ---------------------------------------------------------------------------------------------------------
# Import


def read_meta_graph_file(filename: str) -> MetaGraphDef:
    """Reads a ``.meta`` file written by ``export_meta_graph``.

    Raises:
        OSError: the file does not exist.
        ValueError: it is not an ndflow MetaGraph.
    """
    with open(os.fspath(filename), "rb") as f:
        raw = f.read()
    meta = MetaGraphDef()
    meta.ParseFromString(raw)
    if "graph_def" not in meta:
        raise ValueError(f"{filename} is not an ndflow MetaGraph")
    return meta


def _new_variable(graph: Graph, node: dict) -> Variable:
    """A graph variable shell; its ops are attached as the nodes that build them are imported."""
    var = Variable.__new__(Variable)
    attr = node["attr"]
    var._graph = graph
    var._name = node["name"]
    var._dtype = dtypes.as_dtype(attr["dtype"]["dtype"])
    var._shape = TensorShape(attr["shape"]["shape"])
    var._value = None
    var._trainable = bool(attr.get("trainable", True))
    var._constraint = None
    var._synchronization = 0
    var._aggregation = 0
    var._initial_value = None
    var._initializer_op = None
    var._snapshot = None
    return var


def import_meta_graph_def(meta: MetaGraphDef, graph: Graph | None = None, import_scope: str | None = None) -> dict:
    """Adds the nodes, variables and collections of ``meta`` to ``graph`` (default: the default graph).

    Returns:
        ``{original op name: new Operation}``.

    Raises:
        ValueError: an op type that is not registered, or an input that refers to a missing node.
    """
    graph = graph or get_default_graph()
    variables: dict[str, Variable] = {}
    variable_nodes: list = []

    def add_variable(node: dict) -> Operation | None:
        if node["op"] != "VariableV2":
            return None
        var = _new_variable(graph, node)
        op = graph._add_op(VariableV2, (), {"var": var}, node["name"], [(var._shape, var._dtype)])
        var._name = op.name
        variables[node["name"]] = var
        variable_nodes.append((var, node))
        return op

    scope = graph.name_scope(import_scope) if import_scope else contextlib.nullcontext()
    with graph.as_default(), scope:
        created = add_nodes(graph, meta.graph_def["node"], variables, add_variable)
    for var, node in variable_nodes:
        attr = node["attr"]
        var._initializer_op = created.get(attr.get("initializer_name", ""))
        snapshot = attr.get("snapshot_name")
        var._snapshot = node_output(created, snapshot) if snapshot else created[node["name"]].outputs[0]
        initial = attr.get("initial_value_name")
        var._initial_value = node_output(created, initial) if initial else None
    _import_collections(meta.get("collection_def", {}), graph, created, variables)
    return created


def _import_collections(collections: dict, graph: Graph, created: dict, variables: dict) -> None:
    for key, collection in collections.items():
        kind, payload = next(iter(collection.items()))
        values = payload.get("value", [])
        if kind == "variable_list":
            items = [variables[name] for name in values if name in variables]
        elif kind == "node_list":
            items = []
            for name in values:
                op_name, _, index = name.partition(":")
                op = created.get(op_name)
                if op is not None:
                    items.append(op.outputs[int(index)] if index else op)
        elif kind == "saver_list":
            from .saver import Saver

            items = [Saver(saver_def=saver_def) for saver_def in values]
        else:
            items = list(values)
        for item in items:
            graph.add_to_collection(key, item)
