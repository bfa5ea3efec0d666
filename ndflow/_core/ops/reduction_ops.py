"""Reductions, scans, sorting and segment ops (``tf.reduce_sum``, ``tf.argmax``, ``tf.sort`` …)."""
from __future__ import annotations

from typing import Any

from ..export import export
from ..tensor import Tensor
from ._helpers import execute, register, to_tensor
from .array_ops import reshape, shape
from .math_ops import broadcast_like


def _axes(axis: Any, rank: int) -> tuple | None:
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) % rank if rank else int(a) for a in axis)
    return (int(axis) % rank if rank else int(axis),)


def _sum_forward(xp, x, *, axis, keepdims):
    return xp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _keepdims_shape(x_shape: Any, axis: Any) -> Any:
    return [1 if (axis is None or i in axis) else d for i, d in enumerate(x_shape)]


def _sum_grad(entry, dy):
    x = entry.inputs[0]
    axis = entry.attrs["axis"]
    if not entry.attrs["keepdims"]:
        dy = reshape(dy, _keepdims_shape(x.shape, axis))
    return (broadcast_like(dy, x),)


Sum = register("Sum", _sum_forward, grad=_sum_grad)


@export("math.reduce_sum", "reduce_sum")
def reduce_sum(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """Sum over ``axis`` (all axes when None)."""
    x = to_tensor(input_tensor)
    return execute(Sum, (x,), {"axis": _axes(axis, x.ndim), "keepdims": bool(keepdims)})


del shape
