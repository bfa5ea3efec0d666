"""Elementwise arithmetic, casting and matrix products (``tf.math`` / top-level ``tf``)."""
from __future__ import annotations

from typing import Any

from .. import dtypes
from ..export import export
from ..tensor import Tensor
from ._helpers import (
    FLOAT_COMPLEX,
    NUMERIC,
    binary_args,
    binary_op,
    execute,
    invalid_arg,
    register,
    shape_text,
    to_tensor,
)

# ---------------------------------------------------------------------------------------------------------
# Broadcasting gradients: sum an incoming gradient back to the shape of the input it flows to.


def _sum_to_forward(xp, g, like):
    shape = like.shape
    if g.shape == shape:
        return g
    extra = g.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(i + extra for i, d in enumerate(shape) if d == 1 and g.shape[i + extra] != 1)
    out = g.sum(axis=axes, keepdims=True, dtype=g.dtype) if axes else g
    return out.reshape(shape)


def _broadcast_like_forward(xp, x, like):
    return xp.broadcast_to(x, like.shape).copy() if x.shape != like.shape else x


SumTo = register("SumToShapeOf", _sum_to_forward)
BroadcastLike = register("BroadcastToShapeOf", _broadcast_like_forward)


@SumTo.def_grad
def _sum_to_grad(entry, dy):
    return broadcast_like(dy, entry.inputs[0]), None


@BroadcastLike.def_grad
def _broadcast_like_grad(entry, dy):
    return sum_to(dy, entry.inputs[0]), None


def sum_to(g: Tensor, like: Tensor) -> Tensor:
    """Sums ``g`` over broadcast dimensions so that it has ``like``'s shape (no-op when equal)."""
    if g.shape == like.shape and g.shape.is_fully_defined():
        return g
    return execute(SumTo, (g, like))


def broadcast_like(x: Tensor, like: Tensor) -> Tensor:
    """Broadcasts ``x`` to ``like``'s shape."""
    if x.shape == like.shape and x.shape.is_fully_defined():
        return x
    return execute(BroadcastLike, (x, like))


# ---------------------------------------------------------------------------------------------------------
# Arithmetic


def _add_grad(entry, dy):
    x, y = entry.inputs
    return sum_to(dy, x), sum_to(dy, y)


def _sub_grad(entry, dy):
    x, y = entry.inputs
    return sum_to(dy, x), sum_to(negative(dy), y)


def _mul_grad(entry, dy):
    x, y = entry.inputs
    return sum_to(multiply(dy, conj(y)), x), sum_to(multiply(conj(x), dy), y)


def _div_grad(entry, dy):
    x, y = entry.inputs
    gx = divide(dy, conj(y))
    gy = multiply(dy, conj(negative(divide(divide(x, y), y))))
    return sum_to(gx, x), sum_to(gy, y)


def _truediv_forward(xp, x, y):
    if x.dtype.kind in "iu":
        target = xp.float64 if x.dtype.itemsize >= 4 else xp.float32
        return xp.true_divide(x, y, dtype=target)
    return xp.true_divide(x, y)


def _real_div_forward(xp, x, y):
    if x.dtype.kind in "iu":
        if xp.any(y == 0):
            raise ZeroDivisionError("Integer division by zero")
        q = xp.floor_divide(x, y)
        # C semantics: round toward zero
        return q + ((q < 0) & (q * y != x)).astype(q.dtype)
    return xp.true_divide(x, y)


AddV2, add = binary_op("AddV2", lambda xp, x, y: x + y, _add_grad)
Sub, subtract = binary_op("Sub", lambda xp, x, y: x - y, _sub_grad)
Mul, multiply = binary_op("Mul", lambda xp, x, y: x * y, _mul_grad)
RealDiv, _real_div = binary_op("RealDiv", _real_div_forward, _div_grad)
TrueDiv = register("TrueDiv", _truediv_forward, grad=_div_grad)

export("math.add", "add")(add)
export("math.subtract", "subtract")(subtract)
export("math.multiply", "multiply")(multiply)


@export("math.divide", "divide", "math.truediv", "truediv")
def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x / y`` with Python semantics: integer inputs give float64 (int8/16: float32), like TF."""
    x, y = binary_args(x, y, "TrueDiv")
    if x.dtype.is_integer:
        return execute(TrueDiv, (x, y))
    return execute(RealDiv, (x, y))


truediv = divide


@export("math.divide_no_nan", "div_no_nan")
def divide_no_nan(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x / y``, but 0 where ``y == 0``."""
    x, y = binary_args(x, y, "DivNoNan")
    return execute(DivNoNan, (x, y))


def _div_no_nan_forward(xp, x, y):
    safe = xp.where(y == 0, xp.ones_like(y), y)
    return xp.where(y == 0, xp.zeros((), dtype=x.dtype), x / safe).astype(x.dtype, copy=False)


def _div_no_nan_grad(entry, dy):
    x, y = entry.inputs
    gx = divide_no_nan(dy, y)
    gy = multiply(dy, divide_no_nan(divide_no_nan(negative(x), y), y))
    return sum_to(gx, x), sum_to(gy, y)


DivNoNan = register("DivNoNan", _div_no_nan_forward, grad=_div_no_nan_grad)


def _neg_grad(entry, dy):
    return (negative(dy),)


Neg = register("Neg", lambda xp, x: -x, grad=_neg_grad)


@export("math.negative", "negative")
def negative(x: Any, name: str | None = None) -> Tensor:
    """Elementwise ``-x``."""
    return execute(Neg, (to_tensor(x),))


def _conj_grad(entry, dy):
    return (conj(dy),)


Conj = register("Conj", lambda xp, x: xp.conj(x), grad=_conj_grad)


@export("math.conj", "conj")
def conj(x: Any, name: str | None = None) -> Tensor:
    """Complex conjugate (identity on real tensors)."""
    x = to_tensor(x)
    if not x.dtype.is_complex:
        return x
    return execute(Conj, (x,))


# ---------------------------------------------------------------------------------------------------------
# Casting


def _cast_forward(xp, x, *, dtype):
    if dtype.kind in "iu" and x.dtype.kind == "f":
        return xp.trunc(x).astype(dtype)
    if dtype.kind == "b":
        return x != 0
    if x.dtype.kind == "c" and dtype.kind != "c":
        return x.real.astype(dtype)
    return x.astype(dtype)


def _cast_grad(entry, dy):
    x = entry.inputs[0]
    if not (x.dtype.is_floating or x.dtype.is_complex):
        return (None,)
    return (cast(dy, x.dtype),)


CastOp = register("Cast", _cast_forward, grad=_cast_grad)


@export("cast", "dtypes.cast")
def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """Converts ``x`` to ``dtype`` (floats truncate toward zero when cast to integers).

    Raises:
        UnimplementedError: casting to or from strings.
    """
    dtype = dtypes.as_dtype(dtype)
    x = to_tensor(x)
    if x.dtype is dtype:
        return x
    if dtype is dtypes.string or x.dtype is dtypes.string:
        from ..errors import UnimplementedError

        raise UnimplementedError(None, None, f"Cast {x.dtype.name} to {dtype.name} is not supported "
                                             "[Op:Cast]")
    return execute(CastOp, (x,), {"dtype": dtype._np})


# ---------------------------------------------------------------------------------------------------------
# Matrix products


def _matmul_forward(xp, a, b, *, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False):
    if a.ndim < 2 or b.ndim < 2:
        raise ValueError(f"In[0] and In[1] must be at least rank 2, got shapes {list(a.shape)} and "
                         f"{list(b.shape)}")
    a_shape, b_shape = a.shape, b.shape
    if transpose_a or adjoint_a:
        a = xp.swapaxes(a, -1, -2)
        if adjoint_a:
            a = xp.conj(a)
    if transpose_b or adjoint_b:
        b = xp.swapaxes(b, -1, -2)
        if adjoint_b:
            b = xp.conj(b)
    if a.shape[-1] != b.shape[-2]:
        raise invalid_arg("MatMul", f"Matrix size-incompatible: In[0]: {shape_text(a_shape)}, In[1]: "
                                    f"{shape_text(b_shape)}")
    return xp.matmul(a, b)


def _matmul_grad(entry, dy):
    a, b = entry.inputs
    attrs = entry.attrs
    ta = attrs.get("transpose_a", False) or attrs.get("adjoint_a", False)
    tb = attrs.get("transpose_b", False) or attrs.get("adjoint_b", False)
    if not ta and not tb:
        ga = matmul(dy, b, adjoint_b=True)
        gb = matmul(a, dy, adjoint_a=True)
    elif not ta and tb:
        ga = matmul(dy, b)
        gb = matmul(dy, a, adjoint_a=True)
    elif ta and not tb:
        ga = matmul(b, dy, adjoint_b=True)
        gb = matmul(a, dy)
    else:
        ga = matmul(b, dy, adjoint_a=True, adjoint_b=True)
        gb = matmul(dy, a, adjoint_a=True, adjoint_b=True)
    return sum_to(ga, a), sum_to(gb, b)


MatMul = register("BatchMatMulV2", _matmul_forward, grad=_matmul_grad)


@export("linalg.matmul", "matmul")
def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False, adjoint_a: bool = False,
           adjoint_b: bool = False, a_is_sparse: bool = False, b_is_sparse: bool = False,
           output_type: Any = None, grad_a: bool = False, grad_b: bool = False,
           name: str | None = None) -> Tensor:
    """Matrix product of the inner-most two dims, broadcasting batch dims.

    Raises:
        InvalidArgumentError: rank < 2, mismatched inner dims, or different dtypes.
    """
    a, b = binary_args(a, b, "MatMul")
    if a.dtype.name not in NUMERIC or a.dtype.is_unsigned and a.dtype.name != "uint8":
        from ._helpers import check_dtype

        check_dtype("MatMul", a, FLOAT_COMPLEX + ("int32", "int64", "int16", "int8", "uint8"))
    attrs = {}
    if transpose_a:
        attrs["transpose_a"] = True
    if transpose_b:
        attrs["transpose_b"] = True
    if adjoint_a:
        attrs["adjoint_a"] = True
    if adjoint_b:
        attrs["adjoint_b"] = True
    return execute(MatMul, (a, b), attrs)
