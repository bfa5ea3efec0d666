"""Optimisation passes applied when a plan is compiled. They rewrite the plan, never the user's graph.

Each pass takes the ops a plan needs (in execution order) and returns which ops still run plus how the
outputs of removed ops are obtained: ``aliases`` (use another op's output) or ``constants`` (a value
computed once at compile time).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .backend import numpy_namespace as xp
from .graph import Const, Operation

__all__ = ["fold_constants", "eliminate_common_subexpressions", "optimize"]

Key = tuple  # (op id, output index)

# Folding keeps compile time and memory bounded: bigger results stay computed at run time.
_MAX_FOLDED_ELEMENTS = 1 << 16


def _resolve(key: Key, aliases: dict) -> Key:
    while key in aliases:
        key = aliases[key]
    return key


def fold_constants(ops: list[Operation], fed: set, aliases: dict, constants: dict) -> list[Operation]:
    """Evaluates stateless ops whose inputs are all constants; their outputs become ``constants``."""
    kept = []
    for op in ops:
        if op.opdef is Const and (op._id, 0) not in fed:
            constants[(op._id, 0)] = op.attrs["value"]
            kept.append(op)
            continue
        keys = [_resolve((t.op._id, t.value_index), aliases) for t in op.inputs]
        foldable = (op.inputs and not op.opdef.stateful and not op.control_inputs and op.outputs
                    and all(k in constants for k in keys)
                    and not any((op._id, i) in fed for i in range(len(op.outputs))))
        if foldable:
            try:
                with np.errstate(all="ignore"):
                    result = op.opdef.forward(xp, *[constants[k] for k in keys], **op.attrs)
            except Exception:
                kept.append(op)
                continue
            outs = [result] if op.opdef.num_outputs == 1 else list(result)
            if all(np.size(o) <= _MAX_FOLDED_ELEMENTS for o in outs):
                for i, value in enumerate(outs):
                    constants[(op._id, i)] = value
                continue
        kept.append(op)
    return kept


def _attr_key(attrs: dict) -> Any:
    """A hashable description of simple attributes, or None when some attribute is not simple."""
    items = []
    for name in sorted(attrs):
        value = attrs[name]
        if isinstance(value, (bool, int, float, str, type(None), np.dtype)):
            items.append((name, value))
        elif isinstance(value, tuple) and all(isinstance(v, (bool, int, float, str, type(None))) for v in value):
            items.append((name, value))
        else:
            return None
    return tuple(items)


def eliminate_common_subexpressions(ops: list[Operation], fed: set, aliases: dict,
                                    constants: dict) -> list[Operation]:
    """Runs each stateless (op type, inputs, attributes) combination once; duplicates alias the first."""
    seen: dict = {}
    kept = []
    for op in ops:
        if op.opdef.stateful or op.opdef is Const or op.control_inputs or not op.outputs \
                or any((op._id, i) in fed for i in range(len(op.outputs))):
            kept.append(op)
            continue
        attr_key = _attr_key(op.attrs)
        if attr_key is None:
            kept.append(op)
            continue
        key = (op.opdef.name, tuple(_resolve((t.op._id, t.value_index), aliases) for t in op.inputs), attr_key)
        first = seen.get(key)
        if first is None:
            seen[key] = op
            kept.append(op)
            continue
        for i in range(len(op.outputs)):
            aliases[(op._id, i)] = (first._id, i)
    return kept


def optimize(ops: list[Operation], fed: set) -> tuple[list[Operation], dict, dict]:
    """Constant folding, then common-subexpression elimination.

    Returns:
        ``(ops_to_run, aliases, constants)``.
    """
    aliases: dict = {}
    constants: dict = {}
    ops = fold_constants(ops, fed, aliases, constants)
    ops = eliminate_common_subexpressions(ops, fed, aliases, constants)
    return ops, aliases, constants
