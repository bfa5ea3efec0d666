"""Graph descriptions: ``Graph.as_graph_def()`` as plain JSON-compatible data, and ``import_graph_def``.

A node is ``{"name", "op", "input", "attr", "device", "output_types"}``; inputs name tensors (``op`` for
output 0, ``op:1`` …, ``^op`` for control inputs). Attributes are encoded so they decode to the same
Python values the op's kernel takes.
"""
from __future__ import annotations

import base64
from typing import Any

import numpy as np

from . import dtypes
from .shape import TensorShape

__all__ = ["node_def", "import_graph_def"]


def encode_attr(value: Any) -> Any:
    """A JSON-compatible form of an attribute value."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.ndarray):
        dtype = dtypes.from_numpy(value.dtype)
        if value.dtype.kind == "O":
            data = [base64.b64encode(bytes(v)).decode("ascii") for v in value.reshape(-1)]
            return {"tensor": {"dtype": dtype.name, "shape": list(value.shape), "bytes": data}}
        return {"tensor": {"dtype": dtype.name, "shape": list(value.shape), "value": value.reshape(-1).tolist()}}
    if isinstance(value, np.generic):
        return encode_attr(np.asarray(value))
    if isinstance(value, np.dtype):
        return {"type": dtypes.from_numpy(value).name}
    if isinstance(value, dtypes.DType):
        return {"dtype": value.name}
    if isinstance(value, TensorShape):
        return {"shape": value.dims}
    if isinstance(value, slice):
        return {"slice": [encode_attr(value.start), encode_attr(value.stop), encode_attr(value.step)]}
    if value is Ellipsis:
        return {"ellipsis": True}
    if isinstance(value, tuple):
        return {"tuple": [encode_attr(v) for v in value]}
    if isinstance(value, list):
        return {"list": [encode_attr(v) for v in value]}
    return {"unserializable": repr(value)}


def decode_attr(value: Any) -> Any:
    """Inverts ``encode_attr``.

    Raises:
        NotImplementedError: the attribute was a Python object (a traced branch, a callable) that graph
            descriptions cannot carry.
    """
    if not isinstance(value, dict):
        return value
    if "tensor" in value:
        spec = value["tensor"]
        dtype = dtypes.as_dtype(spec["dtype"])
        if "bytes" in spec:
            flat = [base64.b64decode(v) for v in spec["bytes"]]
            out = np.empty(len(flat), dtype=object)
            out[:] = flat
            return out.reshape(spec["shape"])
        return np.asarray(spec["value"], dtype=dtype.as_numpy_dtype).reshape(spec["shape"])
    if "type" in value:
        return np.dtype(dtypes.as_dtype(value["type"]).as_numpy_dtype) if value["type"] != "string" \
            else np.dtype(object)
    if "dtype" in value:
        return dtypes.as_dtype(value["dtype"])
    if "shape" in value:
        return TensorShape(value["shape"])
    if "slice" in value:
        return slice(*[decode_attr(v) for v in value["slice"]])
    if "ellipsis" in value:
        return Ellipsis
    if "tuple" in value:
        return tuple(decode_attr(v) for v in value["tuple"])
    if "list" in value:
        return [decode_attr(v) for v in value["list"]]
    raise NotImplementedError(f"importing an op attribute that holds a Python object ({value['unserializable']})"
                              " is not supported yet")


def node_def(op: Any) -> dict:
    """The description of one ``Operation``."""
    inputs = [t.name if t.value_index else t.op.name for t in op.inputs]
    inputs += [f"^{c.name}" for c in op.control_inputs]
    return {"name": op.name, "op": op.type, "input": inputs,
            "attr": {key: encode_attr(value) for key, value in op.attrs.items()},
            "device": op.device, "output_types": [t.dtype.name for t in op.outputs]}


def import_graph_def(graph_def: dict, input_map: dict | None = None, return_elements: list | None = None,
                     name: str | None = None, op_dict: Any = None, producer_op_list: Any = None) -> Any:
    """Adds the nodes of ``graph_def`` to the current graph, under the name scope ``name`` ("import").

    Args:
        input_map: ``{"tensor_name": tensor}`` replacing tensors of the imported graph (e.g. its inputs).
        return_elements: names (``"op"`` or ``"op:0"``) of operations or tensors to return.

    Returns:
        The requested elements (a list), or None when ``return_elements`` is None.

    Raises:
        ValueError: an unknown op type, or a reference to a node that is not in ``graph_def``.
    """
    from .graph import get_default_graph
    from .op import OPS

    graph = get_default_graph()
    input_map = {(k if ":" in k else f"{k}:0"): v for k, v in (input_map or {}).items()}
    created: dict[str, Any] = {}

    def tensor(ref: str) -> Any:
        full = ref if ":" in ref else f"{ref}:0"
        if full in input_map:
            return graph.capture(input_map[full])
        op_name, _, index = full.rpartition(":")
        if op_name not in created:
            raise ValueError(f"graph_def is invalid: node input {ref!r} refers to a node that comes later or is "
                             "missing")
        return created[op_name].outputs[int(index)]

    with graph.name_scope("import" if name is None else name):
        for node in graph_def["node"]:
            opdef = OPS.get(node["op"])
            if opdef is None:
                raise ValueError(f"Op type not registered '{node['op']}' in binary running on this machine.")
            attrs = {key: decode_attr(value) for key, value in node.get("attr", {}).items()}
            data_inputs = [tensor(i) for i in node.get("input", []) if not i.startswith("^")]
            controls = [created[i[1:]] for i in node.get("input", []) if i.startswith("^")]
            specs = _specs(opdef, data_inputs, attrs, node)
            with graph.control_dependencies(controls):
                op = graph._add_op(opdef, tuple(data_inputs), attrs, node["name"], specs)
            created[node["name"]] = op
    if return_elements is None:
        return None
    out = []
    for ref in return_elements:
        if ":" in ref:
            out.append(tensor(ref))
        else:
            out.append(created[ref])
    return out


def _specs(opdef: Any, inputs: list, attrs: dict, node: dict) -> list:
    from .graph import infer_outputs

    if opdef.name == "Const":
        value = attrs["value"]
        return [(TensorShape(value.shape), dtypes.from_numpy(value.dtype))]
    if opdef.name == "Placeholder":
        return [(TensorShape(attrs["shape"]), dtypes.from_numpy(attrs["dtype"]))]
    specs = infer_outputs(opdef, tuple(inputs), attrs)
    types = node.get("output_types")
    if types is not None and len(types) == len(specs):
        specs = [(shape, dtypes.as_dtype(t)) for (shape, _), t in zip(specs, types)]
    return specs
