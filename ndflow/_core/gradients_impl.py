"""Symbolic gradients of graph tensors (TF1's ``tf.gradients``), using the ops' gradient functions."""
from __future__ import annotations

from typing import Any

from . import nest
from .context import state
from .graph import GraphTensor
from .graph_variables import ReadVariable
from .tape import UnconnectedGradients, backward

__all__ = ["gradients"]


def gradients(ys: Any, xs: Any, grad_ys: Any = None, name: str = "gradients", gate_gradients: bool = False,
              aggregation_method: Any = None, stop_gradients: Any = None,
              unconnected_gradients: Any = UnconnectedGradients.NONE) -> list:
    """d(sum of ys)/dx for each x, built as new ops in the graph of ``ys``.

    Args:
        ys: a tensor or list of tensors to differentiate.
        xs: tensors or variables to differentiate with respect to.
        grad_ys: optional weights for ``ys`` (ones by default).

    Returns:
        A list with one gradient tensor (or None) per element of ``xs``.

    Raises:
        RuntimeError: called while executing eagerly (use ``GradientTape``).
    """
    if state.graph is None:
        raise RuntimeError("tf.gradients is not supported when eager execution is enabled. Use "
                           "tf.GradientTape instead.")
    ys = [y for y in nest.flatten(ys)]
    xs = nest.flatten(xs)
    graph = ys[0].graph
    entries = list(graph._ops)
    sources, groups = [], []
    for x in xs:
        if hasattr(x, "_is_variable"):
            reads = [op.outputs[0] for op in entries if op.opdef is ReadVariable and op.attrs["var"] is x]
        elif isinstance(x, GraphTensor):
            reads = [x]
        else:
            raise TypeError(f"gradients() expects graph tensors or variables, got {x!r}")
        groups.append((len(sources), len(reads)))
        sources.extend(reads)
    grad_ys = None if grad_ys is None else nest.flatten(grad_ys)
    with graph.as_default(), graph.name_scope(name):
        flat = backward(entries, ys, sources, grad_ys, UnconnectedGradients(unconnected_gradients))
        out = []
        for start, count in groups:
            parts = [g for g in flat[start:start + count] if g is not None]
            if not parts:
                out.append(None)
                continue
            total = parts[0]
            for p in parts[1:]:
                total = total + p
            out.append(total)
    return out



def hessians(ys: Any, xs: Any, name: str = "hessians", colocate_gradients_with_ops: bool = False,
             gate_gradients: bool = False, aggregation_method: Any = None) -> list:
    """Second derivatives of ``sum(ys)`` with respect to each ``x``: shape ``x.shape + x.shape``.

    Raises:
        RuntimeError: called while executing eagerly (use nested ``GradientTape``s).
        ValueError: an ``x`` whose shape is not fully known.
    """
    from .ops.array_ops import reshape, stack

    out = []
    for x in nest.flatten(xs):
        (grad,) = gradients(ys, [x], name=name)
        if grad is None:
            out.append(None)
            continue
        shape = x.shape
        if not shape.is_fully_defined():
            raise ValueError(f"Cannot compute Hessian because the shape of {x} is not fully defined: {shape}")
        n = shape.num_elements()
        flat = reshape(grad, [n])
        rows = []
        for i in range(n):
            (row,) = gradients(flat[i], [x], name=name, unconnected_gradients="zero")
            rows.append(reshape(row, [n]))
        out.append(reshape(stack(rows), shape.as_list() + shape.as_list()))
    return out
