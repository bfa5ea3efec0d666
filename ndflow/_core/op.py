"""The op table: each op is declared once as an ``OpDef`` and drives eager, tape and graph execution."""
from __future__ import annotations

from typing import Callable

__all__ = ["OpDef", "OPS", "register", "get"]


class OpDef:
    """One op: a forward kernel, a gradient and a shape/dtype rule.

    Attributes:
        name: TF's op name (``"AddV2"``, ``"MatMul"``), used in errors and graphs.
        forward: ``forward(xp, *arrays, **attrs)`` → array or tuple of arrays; arrays only, no tensors.
        grad: ``grad(entry, *output_grads)`` → one gradient (ndflow tensor or None) per input, written with
            ndflow ops so it can itself be differentiated and built into graphs. ``entry`` has ``inputs``,
            ``outputs`` and ``attrs``. None marks the op as not differentiable.
        infer: ``infer(*input_specs, **attrs)`` → output spec(s) ``(TensorShape, DType)``; None lets the graph
            builder derive them by running ``forward`` on placeholder arrays.
        num_outputs: outputs per call; None when an attribute decides (``Unpack``, ``Split``).
        stateful: the op has side effects or randomness, so graph passes must not fold or merge it.
    """

    __slots__ = ("name", "forward", "grad", "infer", "num_outputs", "stateful")

    def __init__(self, name: str, forward: Callable, grad: Callable | None = None,
                 infer: Callable | None = None, num_outputs: int | None = 1, stateful: bool = False) -> None:
        self.name = name
        self.forward = forward
        self.grad = grad
        self.infer = infer
        self.num_outputs = num_outputs
        self.stateful = stateful

    def def_grad(self, fn: Callable) -> Callable:
        """Decorator attaching ``fn`` as this op's gradient."""
        self.grad = fn
        return fn

    def __repr__(self) -> str:
        return f"<OpDef {self.name}>"


class _OpTable(dict):
    """``{name: OpDef}``; looking up a missing name first loads the op modules ``import ndflow`` defers."""

    def __missing__(self, name: str) -> OpDef:
        from .ops import load_deferred  # the op package imports this module

        load_deferred()
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        raise KeyError(name)

    def get(self, name: str, default: OpDef | None = None) -> OpDef | None:
        try:
            return self[name]
        except KeyError:
            return default


OPS: dict[str, OpDef] = _OpTable()


def register(name: str, forward: Callable, *, grad: Callable | None = None, infer: Callable | None = None,
             num_outputs: int | None = 1, stateful: bool = False) -> OpDef:
    """Declares an op and adds it to the table.

    Raises:
        ValueError: the name is taken.
    """
    if name in OPS:
        raise ValueError(f"op {name!r} is already registered")
    op = OpDef(name, forward, grad, infer, num_outputs, stateful)
    OPS[name] = op
    return op


def get(name: str) -> OpDef:
    """The registered op called ``name``."""
    return OPS[name]
