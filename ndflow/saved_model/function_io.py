"""Traced functions as data: a concrete function's graph, inputs and output structure in JSON, and back.

Graph nodes are ``Graph.as_graph_def()`` nodes; ops that read or assign a variable name it by its index in the
SavedModel's variable list (``{"variable": 3}``). Argument and output structures are encoded as nested
``{"list": …}``, ``{"tuple": …}``, ``{"dict": [[key, …]]}`` with ``{"arg": i}`` (the i-th graph input),
``{"output": i}`` (the i-th graph output) or ``{"value": …}`` (a Python constant) leaves. Loading only
interprets this data with ndflow's op table: nothing from the files is executed as Python code.
"""
from __future__ import annotations

from typing import Any

from .._core.function import ConcreteFunction, FuncGraph
from .._core.graph import GraphTensor
from .._core.graph_def import _specs, decode_attr, node_def
from .._core.op import OPS
from .._core.tensor import EagerTensor, Tensor
from .._core.tensor_spec import TensorSpec
from .._core.variable import Variable

__all__ = ["serialize_concrete_function", "deserialize_concrete_function", "encode_structure", "decode_structure",
           "add_nodes", "node_output"]

_PLAIN = (bool, int, float, str, type(None))


def encode_structure(value: Any, leaf: Any) -> Any:
    """``value`` as JSON data; ``leaf(x)`` encodes tensors (returning None for values it does not take).

    Raises:
        NotImplementedError: a value that is neither a container, a tensor nor a plain Python constant.
    """
    encoded = leaf(value)
    if encoded is not None:
        return encoded
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: str(kv[0]))
        return {"dict": [[str(k), encode_structure(v, leaf)] for k, v in items]}
    if isinstance(value, tuple):
        return {"tuple": [encode_structure(v, leaf) for v in value]}
    if isinstance(value, list):
        return {"list": [encode_structure(v, leaf) for v in value]}
    if isinstance(value, _PLAIN):
        return {"value": value}
    raise NotImplementedError(f"saving a function argument or result of type {type(value).__name__} is not supported "
                              "yet")


def decode_structure(data: Any, leaf: Any) -> Any:
    """Inverts ``encode_structure``; ``leaf(kind, index)`` supplies ``arg``/``output`` leaves."""
    if "dict" in data:
        return {k: decode_structure(v, leaf) for k, v in data["dict"]}
    if "tuple" in data:
        return tuple(decode_structure(v, leaf) for v in data["tuple"])
    if "list" in data:
        return [decode_structure(v, leaf) for v in data["list"]]
    if "value" in data:
        return data["value"]
    kind = "arg" if "arg" in data else "output"
    return leaf(kind, data[kind])


def _has_python_object(value: Any) -> bool:
    if isinstance(value, dict):
        return "unserializable" in value or any(_has_python_object(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_python_object(v) for v in value)
    return False


def serialize_concrete_function(concrete: ConcreteFunction, variable_ids: dict, parameters: list) -> dict:
    """The data describing ``concrete``.

    Args:
        variable_ids: ``id(variable)`` → index of every variable the SavedModel stores.
        parameters: the Python function's parameter names (without ``self``).

    Raises:
        AssertionError: the function uses a variable that is not among ``variable_ids`` (untracked).
        NotImplementedError: an op holding Python objects (``cond``/``while_loop`` branches, ``py_function``).
    """
    graph = concrete.graph
    nodes = []
    for op in graph.get_operations():
        node = node_def(op)
        var = op.attrs.get("var")
        if isinstance(var, Variable):
            index = variable_ids.get(id(var))
            if index is None:
                raise AssertionError(f"Tried to export a function which references an 'untracked' resource: the "
                                     f"variable {var.name}. Variables captured by functions must be 'tracked' by "
                                     "assigning them to an attribute of a tracked object or of the main object.")
            node["attr"]["var"] = {"variable": index}
        for key, value in node["attr"].items():
            if _has_python_object(value):
                raise NotImplementedError(f"saving the function {graph.name!r}: its op {op.name!r} ({op.type}) holds "
                                          f"a Python object in attribute {key!r}; this is not supported yet")
        nodes.append(node)
    output_index = {id(t): i for i, t in enumerate(graph.outputs)}
    args, kwargs = concrete._arg_template
    if kwargs:
        raise NotImplementedError("saving a concrete function traced with keyword-only arguments is not supported yet")
    positions = iter(range(len(graph.inputs)))

    def arg_leaf(value: Any) -> Any:
        if isinstance(value, (EagerTensor, TensorSpec)):
            return {"arg": next(positions)}
        if isinstance(value, Tensor) or hasattr(value, "_is_variable"):
            raise NotImplementedError("saving a function traced with a variable or symbolic argument is not "
                                      "supported yet")
        return None

    def output_leaf(value: Any) -> Any:
        if isinstance(value, GraphTensor):
            return {"output": output_index[id(value)]}
        return None

    return {
        "name": graph.name, "nodes": nodes, "parameters": list(parameters),
        "inputs": [{"name": t.op.name, "dtype": t.dtype.name, "shape": t.shape.dims} for t in graph.inputs],
        "outputs": [t.name for t in graph.outputs],
        "args": [encode_structure(a, arg_leaf) for a in args],
        "structured_outputs": encode_structure(graph.structured_outputs, output_leaf),
    }


def add_nodes(graph: Any, nodes: list, variables: Any, special: Any = None) -> dict:
    """Adds graph-description ``nodes`` to ``graph`` (which must be the current graph).

    Args:
        variables: maps the reference in a ``{"variable": reference}`` attribute to its ``Variable``.
        special: optional ``special(node) -> Operation | None`` that adds a node itself (None: add it normally).

    Returns:
        ``{node name in the description: Operation}``.

    Raises:
        ValueError: an op type that is not registered, or an input that refers to a missing or later node.
    """
    created: dict = {}
    for node in nodes:
        op = special(node) if special is not None else None
        if op is None:
            opdef = OPS.get(node["op"])
            if opdef is None:
                raise ValueError(f"Op type not registered '{node['op']}' in binary running on this machine.")
            attrs = {}
            for key, value in node.get("attr", {}).items():
                if isinstance(value, dict) and "variable" in value:
                    attrs[key] = variables[value["variable"]]
                else:
                    attrs[key] = decode_attr(value)
            inputs = tuple(node_output(created, i) for i in node.get("input", []) if not i.startswith("^"))
            controls = [created[i[1:]] for i in node.get("input", []) if i.startswith("^")]
            var = attrs.get("var")
            specs = [(var._shape, var.dtype)] if isinstance(var, Variable) else _specs(opdef, list(inputs), attrs, node)
            with graph.control_dependencies(controls):
                op = graph._add_op(opdef, inputs, attrs, node["name"], specs)
        created[node["name"]] = op
    return created


def node_output(created: dict, ref: str) -> GraphTensor:
    """The tensor ``ref`` (``op`` or ``op:i``) among the ``created`` ops.

    Raises:
        ValueError: no such op (yet).
    """
    op_name, _, index = (ref if ":" in ref else f"{ref}:0").rpartition(":")
    if op_name not in created:
        raise ValueError(f"The graph description is invalid: input {ref!r} refers to a node that comes later or is "
                         "missing")
    return created[op_name].outputs[int(index)]


def deserialize_concrete_function(data: dict, variables: list) -> ConcreteFunction:
    """Rebuilds a concrete function whose variable ops use ``variables`` (by index).

    Raises:
        ValueError: an op type that is not registered, or a malformed graph.
    """
    graph = FuncGraph(data["name"])
    with graph.as_default():
        created = add_nodes(graph, data["nodes"], variables)
    graph.inputs = [created[spec["name"]].outputs[0] for spec in data["inputs"]]
    graph.outputs = [node_output(created, name) for name in data["outputs"]]
    graph.structured_outputs = decode_structure(data["structured_outputs"], lambda kind, i: graph.outputs[i])
    specs = [TensorSpec(s["shape"], s["dtype"], s["name"]) for s in data["inputs"]]
    concrete = ConcreteFunction(graph, None, specs)
    concrete._saved_args = data["args"]
    concrete._saved_parameters = data["parameters"]
    return concrete
