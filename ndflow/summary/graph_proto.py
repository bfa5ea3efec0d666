"""ndflow graphs as TensorFlow ``GraphDef`` protos, for TensorBoard's graph tab.

Nodes keep their ``name`` (scopes become the tab's collapsible groups), ``op``, ``input`` and ``device``;
attributes become ``AttrValue``s where they have a proto form (dtypes, shapes, numbers, strings, small
constant tensors) and each node gets ``_output_shapes`` so edges show tensor shapes. Python objects held as
attributes (traced branches, callables) are left out.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..protos import load

__all__ = ["graph_def_proto", "graph_def_bytes"]

_MAX_CONST_ELEMENTS = 1024  # larger constants keep only their dtype and shape


def _dtype_enum(value: Any) -> int:
    from .._core import dtypes

    dtype = dtypes.as_dtype(value) if not isinstance(value, np.dtype) else (
        dtypes.string if value.kind in "OSU" else dtypes.from_numpy(value))
    return dtype.as_datatype_enum


def _shape_proto(dims: Any, proto: Any) -> None:
    if dims is None:
        proto.unknown_rank = True
        return
    for size in dims:
        proto.dim.add(size=-1 if size is None else int(size))


def _set_attr(attr: Any, value: Any) -> bool:
    """Fills ``attr`` (an ``AttrValue``) from a Python attribute value; False when there is no proto form."""
    from .._core import dtypes
    from .._core.shape import TensorShape
    from .values import tensor_proto

    if isinstance(value, bool):
        attr.b = value
    elif isinstance(value, (int, np.integer)):
        attr.i = int(value)
    elif isinstance(value, (float, np.floating)):
        attr.f = float(value)
    elif isinstance(value, (str, bytes)):
        attr.s = value.encode() if isinstance(value, str) else value
    elif isinstance(value, (dtypes.DType, np.dtype)):
        attr.type = _dtype_enum(value)
    elif isinstance(value, TensorShape):
        _shape_proto(value.dims if value.rank is not None else None, attr.shape)
    elif isinstance(value, np.ndarray):
        if value.dtype.kind == "O" and not all(isinstance(v, (bytes, str)) for v in value.reshape(-1)):
            return False
        if value.size <= _MAX_CONST_ELEMENTS:
            attr.tensor.CopyFrom(tensor_proto(value))
        else:
            attr.tensor.dtype = _dtype_enum(value.dtype)
            _shape_proto(value.shape, attr.tensor.tensor_shape)
    elif isinstance(value, (list, tuple)) and value and all(isinstance(v, (int, np.integer)) and
                                                             not isinstance(v, bool) for v in value):
        attr.list.i.extend(int(v) for v in value)
    elif isinstance(value, (list, tuple)) and value and all(isinstance(v, (float, np.floating)) for v in value):
        attr.list.f.extend(float(v) for v in value)
    elif isinstance(value, (list, tuple)) and value and all(isinstance(v, (dtypes.DType, np.dtype)) for v in value):
        attr.list.type.extend(_dtype_enum(v) for v in value)
    else:
        return False
    return True


def _add_attr(node: Any, key: str, value: Any) -> None:
    """Sets ``node.attr[key]`` when ``value`` has a proto form (types ndflow has but TF lacks are left out)."""
    attr = load("graph").AttrValue()
    try:
        if not _set_attr(attr, value):
            return
    except (TypeError, ValueError, KeyError):
        return
    node.attr[key].CopyFrom(attr)


def _ops_graph_def(graph: Any) -> Any:
    from .._core.graph_def import node_def

    pb = load("graph")
    out = pb.GraphDef()
    for op in graph.get_operations():
        desc = node_def(op)
        # summary ops run Python (PyFunc); their function names the TF op they stand for
        op_type = getattr(op.attrs.get("func"), "op_type", None) or desc["op"]
        node = out.node.add(name=desc["name"], op=op_type, device=desc["device"] or "")
        node.input.extend(desc["input"])
        for key, value in op.attrs.items():
            _add_attr(node, key, value)
        shapes = node.attr["_output_shapes"].list
        for tensor in op.outputs:
            _shape_proto(tensor.shape.dims if tensor.shape.rank is not None else None, shapes.shape.add())
    out.versions.producer = 1
    return out


def _dict_graph_def(graph_def: Any) -> Any:
    from .._core.graph_def import decode_attr

    pb = load("graph")
    out = pb.GraphDef()
    for desc in graph_def["node"]:
        node = out.node.add(name=desc["name"], op=desc["op"], device=desc.get("device") or "")
        node.input.extend(desc.get("input", []))
        for key, encoded in desc.get("attr", {}).items():
            try:
                value = decode_attr(encoded)
            except NotImplementedError:
                continue
            _add_attr(node, key, value)
    out.versions.producer = 1
    return out


def graph_def_proto(graph_data: Any) -> Any:
    """A ``GraphDef`` proto for an ndflow ``Graph``/``FuncGraph``, a ``ConcreteFunction``, an ndflow graph
    description (``as_graph_def()``), or a ``GraphDef`` proto (TensorFlow's or ours).

    Raises:
        TypeError: anything else.
    """
    if hasattr(graph_data, "graph") and hasattr(graph_data.graph, "get_operations"):
        graph_data = graph_data.graph  # a ConcreteFunction
    if hasattr(graph_data, "get_operations"):
        return _ops_graph_def(graph_data)
    if isinstance(graph_data, dict) and "node" in graph_data:
        return _dict_graph_def(graph_data)
    if hasattr(graph_data, "SerializeToString") and hasattr(graph_data, "node"):
        return load("graph").GraphDef.FromString(graph_data.SerializeToString())
    raise TypeError(f"Expected a Graph, a ConcreteFunction or a GraphDef, got {type(graph_data).__name__}: "
                    f"{graph_data!r}")


def graph_def_bytes(graph_data: Any) -> bytes:
    """The serialized ``GraphDef`` of ``graph_def_proto(graph_data)``."""
    return graph_def_proto(graph_data).SerializeToString()
