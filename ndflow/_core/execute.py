"""Op dispatch: run an op's kernel eagerly (recording it on active tapes) or add it to the current graph."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes
from .backend import numpy_namespace
from .context import state
from .errors import InvalidArgumentError, OpError
from .ieee import restore, silence
from .op import OpDef
from .tensor import EagerTensor

__all__ = ["execute"]

_EMPTY: dict = {}
_xp = numpy_namespace


def execute(op: OpDef, inputs: tuple, attrs: dict = _EMPTY, name: str | None = None) -> Any:
    """Runs ``op`` on ``inputs`` (tensors) with ``attrs``; returns a tensor or a tuple of tensors.

    ``name`` names the node when a graph is being built (ignored eagerly).

    Raises:
        InvalidArgumentError: the kernel rejected its inputs (the message names the op and their shapes).
    """
    graph = state.graph
    if graph is not None:
        out = graph.create_op(op, inputs, attrs, name)
        if state.tapes:
            outs = (out,) if op.num_outputs == 1 else tuple(out)
            # record the graph op's own (captured) inputs, which is what tapes in nested graphs watch
            _record(op, outs[0].op.inputs if outs else inputs, attrs, outs)
        return out
    try:
        token = silence()
        try:
            result = op.forward(_xp, *[t._value for t in inputs], **attrs)
        finally:
            restore(token)
    except OpError:
        raise
    except (ValueError, IndexError, TypeError, ArithmeticError, np.linalg.LinAlgError) as exc:
        raise _kernel_error(op, inputs, exc) from None
    if op.num_outputs == 1:
        out = EagerTensor(result, _variant_dtype(result))
        if state.tapes:
            _record(op, inputs, attrs, (out,))
        return out
    outs = tuple(EagerTensor(r, _variant_dtype(r)) for r in result)
    if state.tapes:
        _record(op, inputs, attrs, outs)
    return outs


def _variant_dtype(value: Any) -> Any:
    """``variant`` for an array holding a TensorArray's list (NumPy sees only ``object``), else None."""
    if value.dtype.kind == "O" and value.ndim == 0 and getattr(value[()], "_is_variant", False):
        return dtypes.variant
    return None


def _record(op: OpDef, inputs: tuple, attrs: dict, outputs: tuple) -> None:
    for tape in state.tapes:
        tape._record(op, inputs, attrs, outputs)


def _kernel_error(op: OpDef, inputs: tuple, exc: Exception) -> InvalidArgumentError:
    got = ", ".join(f"{t.dtype.name}{list(t._value.shape)}" for t in inputs)
    return InvalidArgumentError(None, None, f"{exc} (inputs: {got}) [Op:{op.name}]")
