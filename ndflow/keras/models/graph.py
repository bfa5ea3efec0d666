"""The functional graph: ordering the nodes between inputs and outputs, and a flat plan to run them.

``map_graph`` follows Keras's rules (nodes by depth, operations in traversal order, its errors); ``plan``
numbers every tensor with a slot so that running the graph is one loop over ``Step``s.
"""
from __future__ import annotations

import collections
from typing import Any

from ..._core import nest
from ..layers.input_layer import Input, InputLayer
from ..layers.layer import Layer
from .keras_tensor import KerasTensor
from .node import Node

__all__ = ["map_graph", "plan", "fill", "Step", "is_input_tensor", "clone_graph_nodes", "build_map"]


# -- graph mapping ---------------------------------------------------------------------------------------------
def build_map(inputs: list, outputs: list) -> tuple[list, dict]:
    """Depth-first walk from the outputs: nodes from inputs to outputs, and each operation's visit order."""
    finished: set = set()
    in_progress: set = set()
    ordered: list = []
    visit_order: dict = {}
    input_ids = {id(x) for x in inputs}

    def visit(tensor: KerasTensor) -> None:
        operation, node_index, _ = tensor._keras_history
        if operation is None:
            return
        node = operation._inbound_nodes[node_index]
        if node in finished:
            return
        if not node.is_input and id(tensor) in input_ids:
            finished.add(node)
            return
        if node in in_progress:
            raise ValueError(f"Tensor {tensor} from operation '{operation.name}' is part of a cycle.")
        visit_order.setdefault(operation, len(visit_order))
        in_progress.add(node)
        if not node.is_input:
            for parent_tensor in node.input_tensors:
                visit(parent_tensor)
        finished.add(node)
        in_progress.remove(node)
        ordered.append(node)

    for output in outputs:
        visit(output)
    return ordered, visit_order


def map_graph(inputs: list, outputs: list) -> tuple[set, dict, list]:
    """Validates the graph between ``inputs`` and ``outputs`` and orders it.

    Returns:
        ``(nodes, nodes_by_depth, operations)``: the set of the graph's nodes, ``{depth: [node, …]}`` (depth 0
        holds the output nodes) and the operations from the inputs to the outputs.

    Raises:
        ValueError: a cycle, a disconnected graph or two operations with the same name.
    """
    ordered, visit_order = build_map(inputs, outputs)
    in_graph = set(ordered)
    node_depth: dict = {}
    operation_depth: dict = {}
    for node in reversed(ordered):
        depth = max(node_depth.setdefault(node, 0), operation_depth.get(node.operation, 0))
        operation_depth[node.operation] = depth
        node_depth[node] = depth
        for parent in node.parent_nodes:
            if parent in in_graph:
                node_depth[parent] = max(depth + 1, node_depth.get(parent, 0))
    for tensor in inputs:
        operation, node_index, _ = tensor._keras_history
        if operation is not None and operation not in operation_depth:
            node = operation._inbound_nodes[node_index]
            if node.is_input:
                operation_depth[operation] = 0
                visit_order[operation] = -1
                node_depth[node] = 0
                in_graph.add(node)

    nodes_by_depth: dict = collections.defaultdict(list)
    for node, depth in node_depth.items():
        nodes_by_depth[depth].append(node)
    operations_by_depth: dict = collections.defaultdict(list)
    for operation, depth in operation_depth.items():
        operations_by_depth[depth].append(operation)
    operations = []
    for depth in sorted(operations_by_depth, reverse=True):
        operations.extend(sorted(operations_by_depth[depth], key=lambda op: visit_order[op]))

    computable = {id(x) for x in inputs}
    reached: list = []
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            for tensor in node.input_tensors:
                if id(tensor) not in computable:
                    raise ValueError(f"Graph disconnected: cannot find parent for tensor {tensor} at operation "
                                     f"'{node.operation}'. The following previous operations were accessed "
                                     f"without issue: {reached}")
                reached.append(node.operation.name)
            computable.update(id(x) for x in node.outputs)
    names = [operation.name for operation in operations]
    for name in names:
        if names.count(name) != 1:
            raise ValueError(f'The name "{name}" is used {names.count(name)} times in the model. All operation '
                             "names should be unique.")
    return in_graph, dict(nodes_by_depth), operations


# -- execution plan ---------------------------------------------------------------------------------------------
class _Slot:
    """A placeholder for the value in slot ``index`` of a running graph."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


def _template(value: Any, slots: dict) -> Any:
    """Call arguments with each KerasTensor replaced by its slot."""
    if isinstance(value, KerasTensor):
        return _Slot(slots[id(value)])
    if isinstance(value, list):
        return [_template(v, slots) for v in value]
    if isinstance(value, tuple):
        return tuple(_template(v, slots) for v in value)
    if isinstance(value, dict):
        return {k: _template(v, slots) for k, v in value.items()}
    return value


def fill(template: Any, values: list) -> Any:
    """``template`` (call arguments with slots) with each slot replaced by its value."""
    if isinstance(template, _Slot):
        return values[template.index]
    if isinstance(template, list):
        return [fill(v, values) for v in template]
    if isinstance(template, tuple):
        return tuple(fill(v, values) for v in template)
    if isinstance(template, dict):
        return {k: fill(v, values) for k, v in template.items()}
    return template


class Step:
    """One node of the plan: ``operation(*args, **kwargs)`` whose outputs go to ``out_slots``."""

    __slots__ = ("operation", "args", "kwargs", "out_slots", "single_slot", "is_layer", "has_training")

    def __init__(self, node: Node, slots: dict) -> None:
        self.operation = node.operation
        self.args = _template(node.call_args, slots)
        self.kwargs = _template(node.call_kwargs, slots)
        self.out_slots = [slots[id(x)] for x in node.outputs]
        plain_kwargs = not any(isinstance(x, KerasTensor) for x in nest.flatten(list(node.call_kwargs.values())))
        first = node.call_args[0] if len(node.call_args) == 1 else None
        self.single_slot = slots[id(first)] if isinstance(first, KerasTensor) and plain_kwargs else None
        self.is_layer = isinstance(node.operation, Layer)
        self.has_training = "training" in node.call_kwargs

    def run(self, values: list, training: Any) -> Any:
        kwargs = self.kwargs if self.single_slot is not None else fill(self.kwargs, values)
        if training is not None and self.has_training:
            kwargs = {**kwargs, "training": training}
        if self.single_slot is not None:
            args = (values[self.single_slot],)
        else:
            args = fill(self.args, values)
        if self.is_layer:
            return self.operation(*args, **kwargs)
        return self.operation.call(*args, **kwargs)


def plan(inputs: list, nodes_by_depth: dict) -> tuple[list, dict]:
    """The steps that compute every reachable node, and the slot of each KerasTensor."""
    slots = {id(x): i for i, x in enumerate(inputs)}
    steps = []
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            if node.is_input or any(id(x) not in slots for x in node.input_tensors):
                continue
            for tensor in node.outputs:
                slots.setdefault(id(tensor), len(slots))
            steps.append(Step(node, slots))
    return steps, slots


def is_input_tensor(x: KerasTensor) -> bool:
    """Whether ``x`` is produced by an ``InputLayer`` (rather than an intermediate tensor)."""
    operation, node_index, _ = x._keras_history
    return operation._inbound_nodes[node_index].is_input


def clone_graph_nodes(inputs: Any, outputs: Any) -> tuple[Any, Any]:
    """Copies the nodes between intermediate ``inputs`` and ``outputs`` onto new ``Input`` tensors."""
    nodes, _ = build_map(nest.flatten(inputs), nest.flatten(outputs))
    mapping: dict = {}
    replaced_ops: dict = {}
    new_inputs = []
    for tensor in nest.flatten(inputs):
        if is_input_tensor(tensor):
            mapping[id(tensor)] = tensor
            new_inputs.append(tensor)
            continue
        clone = Input(batch_shape=tensor.shape, dtype=tensor.dtype, sparse=tensor.sparse,
                      name=f"{tensor.name}CLONE")
        mapping[id(tensor)] = clone
        replaced_ops[id(tensor._keras_history.operation)] = clone._keras_history.operation
        new_inputs.append(clone)
    new_outputs = []
    for tensor in nest.flatten(outputs):
        copy_ = KerasTensor(tensor.shape, dtype=tensor.dtype, sparse=tensor.sparse, name=f"{tensor.name}_clone")
        copy_._keras_history = tensor._keras_history
        mapping[id(tensor)] = copy_
        new_outputs.append(copy_)

    def swap(value: Any) -> Any:
        if not isinstance(value, KerasTensor):
            return value
        if id(value) not in mapping:
            mapping[id(value)] = KerasTensor(value.shape, dtype=value.dtype, sparse=value.sparse,
                                             name=f"{value.name}_clone")
        return mapping[id(value)]

    for node in nodes:
        operation = replaced_ops.get(id(node.operation), node.operation)
        outs = nest.map_structure(swap, node.outputs)
        if isinstance(operation, InputLayer):
            Node(operation, (), {}, outs)
        else:
            Node(operation, nest.map_structure(swap, node.call_args), nest.map_structure(swap, node.call_kwargs),
                 outs)
    return nest.pack_sequence_as(inputs, new_inputs), nest.pack_sequence_as(outputs, new_outputs)
