"""Running graphs: a cached plan per (fetches, feeds) runs only the needed ops, freeing dead values early."""
from __future__ import annotations

from typing import Any

from . import graph_passes
from .backend import numpy_namespace as xp
from .errors import InvalidArgumentError, OpError
from .graph import Graph, Operation, Placeholder
from .ieee import restore, silence

__all__ = ["Plan", "plan_for"]


class Plan:
    """A compiled schedule for computing ``fetches`` given values for ``feeds``.

    The ops needed (through data inputs and control inputs, stopping at fed tensors) run in graph order,
    which is a topological order since inputs always exist before the ops that use them. Optimisation passes
    (``graph_passes``) fold constants and merge common subexpressions first; each value is dropped after
    its last use.
    """

    def __init__(self, graph: Graph, fetches: list, targets: list, feeds: list, optimize: bool = True) -> None:
        fed = {(t.op._id, t.value_index) for t in feeds}
        needed: set[int] = set()
        stack = [t.op for t in fetches] + list(targets)
        while stack:
            op = stack.pop()
            if op._id in needed:
                continue
            if op.outputs and all((op._id, i) in fed for i in range(len(op.outputs))):
                continue
            needed.add(op._id)
            for t in op.inputs:
                if (t.op._id, t.value_index) not in fed:
                    stack.append(t.op)
            stack.extend(op.control_inputs)
        ops = [op for op in graph._ops if op._id in needed]
        aliases: dict = {}
        constants: dict = {}
        if optimize:
            ops, aliases, constants = graph_passes.optimize(ops, fed)
            ops = [op for op in ops if not (op.outputs and all((op._id, i) in constants
                                                                for i in range(len(op.outputs))))]
        self.ops: list[Operation] = ops
        self.feeds = [(t.op._id, t.value_index) for t in feeds]
        self.fetches = [_resolve((t.op._id, t.value_index), aliases) for t in fetches]
        self.input_keys = [[_resolve((t.op._id, t.value_index), aliases) for t in op.inputs] for op in ops]
        used = {k for keys in self.input_keys for k in keys} | set(self.fetches)
        self.constants = {k: v for k, v in constants.items() if k in used}
        last_use: dict[tuple, int] = {}
        for step, keys in enumerate(self.input_keys):
            for key in keys:
                last_use[key] = step
        keep = set(self.fetches) | set(self.constants)
        self.free_after: list[list[tuple]] = [[] for _ in self.ops]
        for key, step in last_use.items():
            if key not in keep:
                self.free_after[step].append(key)

    def run(self, feed_values: list) -> list:
        """Executes the plan; returns the fetched arrays in order.

        Kernels compute IEEE results (inf, nan) without NumPy warnings, as TF does.

        Raises:
            InvalidArgumentError: an unfed placeholder or a kernel that rejected its inputs.
        """
        token = silence()
        try:
            return self._run(feed_values)
        finally:
            restore(token)

    def _run(self, feed_values: list) -> list:
        values: dict[tuple, Any] = dict(self.constants)
        values.update(zip(self.feeds, feed_values))
        for step, op in enumerate(self.ops):
            if op.opdef is Placeholder:
                raise _unfed(op)
            args = [values[key] for key in self.input_keys[step]]
            try:
                out = op.opdef.forward(xp, *args, **op.attrs)
            except OpError as exc:
                raise type(exc)(op.node_def, op, _with_node(exc.message, op)) from None
            except (ValueError, IndexError, TypeError, ArithmeticError) as exc:
                raise InvalidArgumentError(op.node_def, op, _with_node(str(exc), op)) from None
            if op.opdef.num_outputs == 1:
                values[(op._id, 0)] = out
            elif op.outputs:
                for i, o in enumerate(out):
                    values[(op._id, i)] = o
            for key in self.free_after[step]:
                values.pop(key, None)
        return [values[key] for key in self.fetches]


def _resolve(key: tuple, aliases: dict) -> tuple:
    while key in aliases:
        key = aliases[key]
    return key


def _unfed(op: Operation) -> InvalidArgumentError:
    dtype = op.outputs[0].dtype
    dims = op.outputs[0].shape.dims
    shape = "<unknown>" if dims is None else "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"
    type_name = {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)
    return InvalidArgumentError(op.node_def, op, _with_node(
        f"You must feed a value for placeholder tensor '{op.name}' with dtype {type_name} and shape {shape}", op))


def _with_node(message: str, op: Operation) -> str:
    message = message.split(" [Op:")[0]
    return f"{message}\n\t [[{{{{node {op.name}}}}}]]"


def plan_for(graph: Graph, fetches: list, targets: list, feeds: list) -> Plan:
    """The cached plan for these fetches, target ops and fed tensors."""
    key = (tuple(id(t) for t in fetches), tuple(id(o) for o in targets), tuple(id(t) for t in feeds))
    plan = graph._plans.get(key)
    if plan is None:
        plan = Plan(graph, fetches, targets, feeds)
        graph._plans[key] = plan
    return plan

