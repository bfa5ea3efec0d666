"""Static shape/dtype rules for op families whose outputs can't be found by probing with stand-in dims.

Probing (``graph.infer_outputs``) runs a kernel on arrays whose unknown dims are 2 and then 3; that fails
for broadcasting ops when an unknown dim meets a known one (``[None, 1] - [3, 1]``). The rules here give
TF's broadcast shapes instead and are attached to the op table entries by name.
"""
from __future__ import annotations

from .. import dtypes
from ..op import OPS
from ..shape import TensorShape

_BROADCAST_ARITHMETIC = (
    "AddV2", "Sub", "Mul", "RealDiv", "TrueDiv", "DivNoNan", "FloorDiv", "FloorMod", "TruncateDiv",
    "TruncateMod", "Pow", "Maximum", "Minimum", "SquaredDifference", "Xlogy", "Xdivy", "Xlog1py", "Atan2",
    "BitwiseAnd", "BitwiseOr", "BitwiseXor", "LogicalAnd", "LogicalOr",
)
_BROADCAST_COMPARISON = ("Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual")
_LIKE_SECOND_INPUT = ("SumToShapeOf", "BroadcastToShapeOf", "ReshapeToShapeOf")


def broadcast_shapes(a: TensorShape, b: TensorShape) -> TensorShape:
    """TF's static broadcast of two partial shapes.

    Raises:
        ValueError: known dims that cannot broadcast.
    """
    if a.rank is None or b.rank is None:
        return TensorShape(None)
    da, db = list(a), list(b)
    n = max(len(da), len(db))
    da = [1] * (n - len(da)) + da
    db = [1] * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y)
        elif y is None or x == y:
            out.append(x)
        else:
            raise ValueError(f"Incompatible shapes: {a} vs. {b}")
    return TensorShape(out)


def _arithmetic(x, y, **attrs):
    return [(broadcast_shapes(x[0], y[0]), x[1])]


def _comparison(x, y, **attrs):
    return [(broadcast_shapes(x[0], y[0]), dtypes.bool)]


def _select(cond, x, y, **attrs):
    return [(broadcast_shapes(broadcast_shapes(cond[0], x[0]), y[0]), x[1])]


def _like_second(x, like, **attrs):
    return [(like[0], x[1])]


def _reshape(x, *, shape):
    target = list(shape)
    if -1 not in target:
        return [(TensorShape(target), x[1])]
    n = x[0].num_elements()
    known = 1
    for d in target:
        if d != -1:
            known *= d
    fill = n // known if n is not None and known else None
    return [(TensorShape([fill if d == -1 else d for d in target]), x[1])]


def attach() -> None:
    """Sets the rules on the op-table entries that exist (called once after all op modules load)."""
    for name in _BROADCAST_ARITHMETIC:
        if name in OPS and OPS[name].infer is None:
            OPS[name].infer = _arithmetic
    for name in _BROADCAST_COMPARISON:
        if name in OPS and OPS[name].infer is None:
            OPS[name].infer = _comparison
    for name in _LIKE_SECOND_INPUT:
        if name in OPS and OPS[name].infer is None:
            OPS[name].infer = _like_second
    if "SelectV2" in OPS and OPS["SelectV2"].infer is None:
        OPS["SelectV2"].infer = _select
    if OPS["Reshape"].infer is None:
        OPS["Reshape"].infer = _reshape
