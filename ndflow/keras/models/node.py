"""``Node``: one call of a layer or operation on KerasTensors (an edge set of the functional graph)."""
from __future__ import annotations

from typing import Any

from ..._core import nest
from .keras_tensor import KerasHistory, KerasTensor

__all__ = ["Node"]


def _flat_keras_tensors(structure: Any) -> list:
    return [x for x in nest.flatten(structure) if isinstance(x, KerasTensor)]


class Node:
    """Records ``operation(*call_args, **call_kwargs) -> outputs`` and wires the graph.

    Appends itself to ``operation._inbound_nodes`` and to the ``_outbound_nodes`` of the operations that
    produced its inputs, and stamps each output with its ``_keras_history``.

    Args:
        operation: the layer or operation that was called.
        call_args, call_kwargs: the call's arguments (KerasTensors and plain values).
        outputs: the output KerasTensor(s).

    Raises:
        ValueError: an output that is not a KerasTensor.
    """

    def __init__(self, operation: Any, call_args: tuple = (), call_kwargs: dict | None = None,
                 outputs: Any = None) -> None:
        self.operation = operation
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = [] if outputs is None else nest.flatten(outputs)
        self.outputs_structure = outputs
        for x in self.outputs:
            if not isinstance(x, KerasTensor):
                raise ValueError(f"All operation outputs must be tensors. Operation {operation} returned a "
                                 f"non-tensor. Non-tensor received: {x}")
        self.input_tensors = _flat_keras_tensors(self.call_args) + _flat_keras_tensors(self.call_kwargs)
        for tensor in self.input_tensors:
            if not hasattr(tensor, "_keras_history"):
                tensor._keras_history = KerasHistory(None, 0, 0)
        operation._inbound_nodes.append(self)
        for tensor in self.input_tensors:
            producer = tensor._keras_history.operation
            if producer is not None:
                producer._outbound_nodes.append(self)
        node_index = len(operation._inbound_nodes) - 1
        for index, tensor in enumerate(self.outputs):
            tensor._keras_history = KerasHistory(operation, node_index, index)
        self.is_input = not self.input_tensors

    def __repr__(self) -> str:
        return f"<Node operation={self.operation.name}, id={id(self)}>"

    @property
    def output_tensors(self) -> list:
        return self.outputs

    @property
    def input_tensors_structure(self) -> Any:
        """The inputs as ``layer.input`` shows them: the tensor itself when there is only one."""
        return self.input_tensors[0] if len(self.input_tensors) == 1 else self.input_tensors

    @property
    def output_tensors_structure(self) -> Any:
        """The outputs as ``layer.output`` shows them: the tensor itself when there is only one."""
        return self.outputs[0] if len(self.outputs) == 1 else self.outputs

    @property
    def parent_nodes(self) -> list[Node]:
        """The nodes whose outputs this node consumes."""
        parents = []
        for tensor in self.input_tensors:
            operation, node_index, _ = tensor._keras_history
            if operation is not None:
                parents.append(operation._inbound_nodes[node_index])
        return parents
