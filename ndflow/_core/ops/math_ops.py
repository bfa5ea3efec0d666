"""Elementwise math, comparisons, logic, casting and matrix products (``tf.math`` / top-level ``tf``)."""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from .. import dtypes
from ..errors import InternalError, InvalidArgumentError, NotFoundError
from ..export import export
from ..indexed_slices import IndexedSlices
from ..shape import TensorShape
from ..tensor import Tensor, check_same_dtype
from . import array_ops
from ._helpers import (
    FLOAT_COMPLEX,
    INTEGERS,
    NUMERIC,
    OpDef,
    binary_args,
    check_dtype,
    execute,
    invalid_arg,
    register,
    shape_text,
    to_tensor,
    unary_op,
)

# TF's allowed input dtypes per op, in TF's order (it shows in the error message).
_FLT = ("bfloat16", "float16", "float32", "float64")
_CPLX = ("complex64", "complex128")
_FLT_CPLX = _FLT + _CPLX
_FLT_HALF_FIRST = ("float16", "bfloat16", "float32", "float64")
_SIGNED = ("int8", "int16", "int32", "int64")
_UNSIGNED = ("uint8", "uint16", "uint32", "uint64")
_SIGNED_NUMERIC = _FLT + _SIGNED + _CPLX
_ABS = _FLT + _SIGNED
_SQUARE = _FLT + _SIGNED + _UNSIGNED + _CPLX
_MUL_DIV = _FLT + ("uint8", "int8", "uint16", "int16", "int32", "uint32", "uint64", "int64") + _CPLX
_SUB = _FLT + ("uint8", "int8", "uint16", "int16", "int32", "int64") + _CPLX + ("uint32", "uint64")
_FLOOR_MOD = _SIGNED + _UNSIGNED + _FLT
_TRUNCATE_MOD = ("int32", "int64") + _FLT
_POW = ("bfloat16", "float32", "float16", "float64") + _SIGNED + _CPLX
_MIN_MAX = _FLT + ("int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64")
_SQUARED_DIFFERENCE = _FLT + ("int32", "int64") + _CPLX
_COMPARABLE = ("float32", "float64", "int32", "uint8", "int16", "int8", "int64", "bfloat16", "uint16",
               "float16", "uint32", "uint64")
_ADD_N = ("float32", "float64", "int32", "uint8", "int16", "int8", "complex64", "int64", "qint8", "quint8",
          "qint32", "bfloat16", "qint16", "quint16", "uint16", "complex128", "float16", "uint32", "uint64",
          "variant")
_WHERE = _ADD_N[:-1] + ("bool",)
_TF_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _expect_dtype(op_name: str, index: int, x: Tensor, expected: dtypes.DType) -> None:
    """TF's error for an input whose dtype differs from the one the op requires."""
    if x.dtype is not expected:
        want, got = (_TF_NAMES.get(d.name, d.name) for d in (expected, x.dtype))
        raise InvalidArgumentError(None, None, f"cannot compute {op_name} as input #{index}(zero-based) was "
                                               f"expected to be a {want} tensor but is a {got} tensor "
                                               f"[Op:{op_name}] name: ")


def _no_kernel(op_name: str, x: Tensor) -> NotFoundError:
    """TF's error for a dtype the op declares but has no CPU kernel for."""
    return NotFoundError(None, None, f"Could not find device for node: {{{{node {op_name}}}}} = "
                                     f"{op_name}[T=DT_{x.dtype.name.upper()}] [Op:{op_name}]")


def _broadcasting(op_name: str, kernel: Callable) -> Callable:
    """Wraps a binary kernel so that unbroadcastable shapes give TF's "Incompatible shapes" error."""

    def forward(xp, x, y, **attrs):
        try:
            return kernel(xp, x, y, **attrs)
        except ValueError:
            try:
                xp.broadcast_shapes(x.shape, y.shape)
            except ValueError:
                raise invalid_arg(op_name, f"Incompatible shapes: {shape_text(x.shape)} vs. "
                                           f"{shape_text(y.shape)}") from None
            raise

    return forward


def _is_tensor_like(x: Any) -> bool:
    return isinstance(x, Tensor) or hasattr(x, "_as_tensor")


def _binary_operands(x: Any, y: Any, op_name: str) -> tuple[Tensor, Tensor]:
    """Converts the operands of a binary op as TF's op wrappers do: a non-tensor operand is converted to the
    other operand's dtype, and two tensors must share their dtype.

    Raises:
        TypeError: a non-tensor operand whose value doesn't fit the other operand's dtype.
        InvalidArgumentError: tensors of different dtypes.
    """
    if not (isinstance(x, Tensor) and isinstance(y, Tensor)):
        if _is_tensor_like(y) and not _is_tensor_like(x):
            y = to_tensor(y)
            x = to_tensor(x, dtype=y.dtype)
        else:
            x = to_tensor(x)
            y = to_tensor(y) if _is_tensor_like(y) else to_tensor(y, dtype=x.dtype)
    if x.dtype is not y.dtype:
        check_same_dtype(op_name, (x, y))
    return x, y


def _binary(name: str, kernel: Callable, grad: Callable | None = None, allowed: tuple | None = None,
            operands: Callable = _binary_operands, also_accepted: tuple = ()) -> tuple[OpDef, Callable]:
    """Declares a broadcasting binary op (with TF's "Incompatible shapes" error) and its API function.

    ``allowed`` lists the input dtypes as TF's error shows them; ``also_accepted`` are unlisted extras.
    """
    op = register(name, _broadcasting(name, kernel), grad=grad)

    def api(x: Any, y: Any, name: str | None = None) -> Tensor:
        x, y = operands(x, y, op.name)
        if allowed is not None and x.dtype.name not in allowed and x.dtype.name not in also_accepted:
            check_dtype(op.name, x, allowed)
        return execute(op, (x, y))

    return op, api


def _register_binary(name: str, kernel: Callable, **kwargs: Any) -> OpDef:
    """``register`` for a broadcasting binary kernel, with TF's broadcasting error."""
    return register(name, _broadcasting(name, kernel), **kwargs)


def _no_gradient_registered(op_name: str) -> Callable:
    """A gradient for ops TF has none for: differentiating through them raises TF's LookupError."""

    def grad(entry, *dys):
        raise LookupError(f"gradient registry has no entry for: {op_name}")

    return grad


def _public(api: Callable, doc: str, *names: str) -> Callable:
    """Names, documents and exports an op function made by ``unary_op``/``_binary``."""
    short = names[-1].rpartition(".")[2]
    api.__name__ = api.__qualname__ = short
    api.__doc__ = doc
    return export(*names)(api)


def _scipy_special(xp):
    """``scipy.special`` for NumPy arrays, ``cupyx.scipy.special`` for CuPy arrays."""
    if xp.__name__ == "cupy":
        import cupyx.scipy.special as special
    else:
        import scipy.special as special
    return special


def _special_kernel(fn_name: str) -> Callable:
    """A unary kernel applying ``scipy.special.<fn_name>`` in at least float32, returning the input dtype."""

    def forward(xp, x):
        fn = getattr(_scipy_special(xp), fn_name)
        return fn(x if x.dtype.itemsize >= 4 else x.astype(xp.float32)).astype(x.dtype, copy=False)

    return forward


# ---------------------------------------------------------------------------------------------------------
# Broadcasting gradients: sum an incoming gradient back to the shape of the input it flows to.


def _sum_to_forward(xp, g, like):
    shape = like.shape
    if g.shape == shape:
        return g
    extra = g.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(i + extra for i, d in enumerate(shape)
                                       if d == 1 and g.shape[i + extra] != 1)
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


def _same_known_shape(a: Tensor, b: Tensor) -> bool:
    shape = a._shape_tuple()
    return shape is not None and shape == b._shape_tuple() and None not in shape


def sum_to(g: Tensor, like: Tensor) -> Tensor:
    """Sums ``g`` over broadcast dimensions so that it has ``like``'s shape (no-op when equal)."""
    if _same_known_shape(g, like):
        return g
    return execute(SumTo, (g, like))


def broadcast_like(x: Tensor, like: Tensor) -> Tensor:
    """Broadcasts ``x`` to ``like``'s shape."""
    if _same_known_shape(x, like):
        return x
    return execute(BroadcastLike, (x, like))


# ---------------------------------------------------------------------------------------------------------
# Arithmetic


# ``entry.needs[i]`` says whether input i leads back to a source; gradients skip the work for the others.


def _add_grad(entry, dy):
    x, y = entry.inputs
    need_x, need_y = entry.needs
    return sum_to(dy, x) if need_x else None, sum_to(dy, y) if need_y else None


def _sub_grad(entry, dy):
    x, y = entry.inputs
    need_x, need_y = entry.needs
    return sum_to(dy, x) if need_x else None, sum_to(negative(dy), y) if need_y else None


def _mul_grad(entry, dy):
    x, y = entry.inputs
    need_x, need_y = entry.needs
    return (sum_to(multiply(dy, conj(y)), x) if need_x else None,
            sum_to(multiply(conj(x), dy), y) if need_y else None)


def _div_grad(entry, dy):
    x, y = entry.inputs
    need_x, need_y = entry.needs
    gx = sum_to(divide(dy, conj(y)), x) if need_x else None
    gy = sum_to(multiply(dy, conj(negative(divide(divide(x, y), y)))), y) if need_y else None
    return gx, gy


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


# TF's ``add`` alone converts a Python operand that doesn't fit the tensor's dtype plainly and then reports
# the dtype mismatch (InvalidArgumentError); the other ops raise the conversion's TypeError.
def _add_forward(xp, x, y):
    out = x + y
    if x.dtype.kind == "O":
        # string concatenation: NumPy gives a bare bytes object for 0-d operands
        out = xp.asarray(out, dtype=object)
    return out


AddV2, add = _binary("AddV2", _add_forward, _add_grad, _FLT + _UNSIGNED + _SIGNED + _CPLX,
                     operands=binary_args, also_accepted=("string",))
Sub, subtract = _binary("Sub", lambda xp, x, y: x - y, _sub_grad, _SUB)
Mul, multiply = _binary("Mul", lambda xp, x, y: x * y, _mul_grad, _MUL_DIV)
RealDiv = _register_binary("RealDiv", _real_div_forward, grad=_div_grad)
TrueDiv = _register_binary("TrueDiv", _truediv_forward, grad=_div_grad)


def _division_operands(x: Any, y: Any) -> tuple[Tensor, Tensor]:
    """Operands of ``divide``/``divide_no_nan``: a non-tensor operand prefers the other's dtype.

    Raises:
        TypeError: the operands' dtypes differ.
    """
    if _is_tensor_like(y) and not _is_tensor_like(x):
        y = to_tensor(y)
        x = to_tensor(x, dtype_hint=y.dtype)
    else:
        x = to_tensor(x)
        y = to_tensor(y, dtype_hint=x.dtype)
    if x.dtype is not y.dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got {x.dtype!r} != {y.dtype!r}.")
    return x, y

export("math.add", "add")(add)
export("math.subtract", "subtract")(subtract)
export("math.multiply", "multiply")(multiply)


@export("math.divide", "divide", "math.truediv", "truediv")
def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x / y`` with Python semantics: integer inputs give float64 (int8/16: float32), like TF."""
    x, y = _division_operands(x, y)
    if x.dtype.is_integer:
        return execute(TrueDiv, (x, y))
    return execute(RealDiv, (x, y))


truediv = divide


@export("math.divide_no_nan", "div_no_nan")
def divide_no_nan(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x / y``, but 0 where ``y == 0``; integers are divided in floating point as by ``divide``.

    Raises:
        TypeError: different dtypes, or bool inputs.
    """
    x, y = _division_operands(x, y)
    if x.dtype.is_integer:
        real_dtype = dtypes.float64 if x.dtype.size >= 4 else dtypes.float32
        x, y = cast(x, real_dtype), cast(y, real_dtype)
    elif x.dtype.name not in _FLT_CPLX:
        raise TypeError(f"Invalid dtype {x.dtype!r} in tf.math.divide_no_nan. Expected one of {{tf.uint8, "
                        "tf.int8, tf.uint16, tf.int16, tf.uint32, tf.int32, tf.uint64, tf.int64, "
                        "tf.bfloat16, tf.float16, tf.float32, tf.float64, tf.complex64, tf.complex128}.")
    return execute(DivNoNan, (x, y))


def _div_no_nan_forward(xp, x, y):
    safe = xp.where(y == 0, xp.ones_like(y), y)
    return xp.where(y == 0, xp.zeros((), dtype=x.dtype), x / safe).astype(x.dtype, copy=False)


def _div_no_nan_grad(entry, dy):
    x, y = entry.inputs
    gx = divide_no_nan(dy, conj(y))
    gy = multiply(dy, conj(divide_no_nan(divide_no_nan(negative(x), y), y)))
    return sum_to(gx, x), sum_to(gy, y)


DivNoNan = register("DivNoNan", _div_no_nan_forward, grad=_div_no_nan_grad)


def _neg_grad(entry, dy):
    return (negative(dy),)


Neg = register("Neg", lambda xp, x: -x, grad=_neg_grad)


@export("math.negative", "negative")
def negative(x: Any, name: str | None = None) -> Tensor:
    """Elementwise ``-x``.

    Raises:
        InvalidArgumentError: unsigned or bool input.
    """
    x = to_tensor(x)
    if x.dtype.name not in _SIGNED_NUMERIC:
        check_dtype("Neg", x, _SIGNED_NUMERIC)
    return execute(Neg, (x,))


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


CastOp = register("Cast", _cast_forward, grad=_cast_grad,
                  infer=lambda x, *, dtype: [(x[0], dtypes.from_numpy(dtype))])


@export("cast", "dtypes.cast")
def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """Converts ``x`` to ``dtype`` (floats truncate toward zero when cast to integers).

    Raises:
        UnimplementedError: casting to or from strings.
    """
    dtype = dtypes.as_dtype(dtype)
    if isinstance(x, IndexedSlices):
        return IndexedSlices(cast(x.values, dtype), x.indices, x.dense_shape)
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


# ---------------------------------------------------------------------------------------------------------
# Integer-style division and modulo


def _internal_division_error(op_name: str) -> InternalError:
    """TF's (odd) error for integer division by zero in the truncating ops."""
    return InternalError(None, None, "Unexpected error in binary operator (only integer div and mod should "
                                     f"have errors) [Op:{op_name}]")


def _floordiv_forward(xp, x, y):
    if x.dtype.kind in "iu" and not xp.all(y):
        raise invalid_arg("FloorDiv", "Integer division by zero")
    return xp.floor_divide(x, y)


def _truncatediv_forward(xp, x, y):
    if x.dtype.kind not in "iu":
        return xp.trunc(x / y)
    if not xp.all(y):
        raise _internal_division_error("TruncateDiv")
    q = xp.floor_divide(x, y)
    if x.dtype.kind == "u":
        return q
    # floor and truncation differ by one where the division is inexact and the signs differ
    inexact = (q * y != x) & ((x < 0) != (y < 0))
    return q + inexact.astype(q.dtype)


def _floormod_forward(xp, x, y):
    if x.dtype.kind in "iu" and not xp.all(y):
        raise invalid_arg("FloorMod", "Integer division by zero")
    return xp.mod(x, y)


def _truncatemod_forward(xp, x, y):
    if x.dtype.kind in "iu" and not xp.all(y):
        raise _internal_division_error("TruncateMod")
    return xp.fmod(x, y)


def _floormod_grad(entry, dy):
    x, y = entry.inputs
    return sum_to(dy, x), sum_to(multiply(dy, negative(floordiv(x, y))), y)


FloorDiv = _register_binary("FloorDiv", _floordiv_forward)
TruncateDiv = _register_binary("TruncateDiv", _truncatediv_forward)
FloorMod = _register_binary("FloorMod", _floormod_forward, grad=_floormod_grad)
TruncateMod = _register_binary("TruncateMod", _truncatemod_forward,
                               grad=_no_gradient_registered("TruncateMod"))


def _division_args(x: Any, y: Any, op_name: str, allowed: tuple) -> tuple[Tensor, Tensor]:
    x, y = _binary_operands(x, y, op_name)
    if x.dtype.name not in allowed:
        check_dtype(op_name, x, allowed)
    if x.dtype.is_complex:
        raise _no_kernel(op_name, x)
    return x, y


@export("math.floordiv")
def floordiv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x // y`` rounding toward negative infinity (Python semantics), for integers and floats.

    Raises:
        InvalidArgumentError: integer division by zero, or an unsupported dtype.
    """
    return execute(FloorDiv, _division_args(x, y, "FloorDiv", _MUL_DIV))


@export("truncatediv")
def truncatediv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x / y`` rounded toward zero (C semantics).

    Raises:
        InternalError: integer division by zero (TF's error type for this op).
    """
    return execute(TruncateDiv, _division_args(x, y, "TruncateDiv", _MUL_DIV))


@export("math.floormod", "math.mod")
def floormod(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x % y`` with the sign of ``y`` (Python semantics): ``x - floordiv(x, y) * y``.

    Raises:
        InvalidArgumentError: integer division by zero, or an unsupported dtype.
    """
    return execute(FloorMod, _division_args(x, y, "FloorMod", _FLOOR_MOD))


mod = floormod


@export("truncatemod")
def truncatemod(x: Any, y: Any, name: str | None = None) -> Tensor:
    """Remainder of truncating division: it has the sign of ``x`` (C's ``fmod``)."""
    return execute(TruncateMod, _division_args(x, y, "TruncateMod", _TRUNCATE_MOD))


# ---------------------------------------------------------------------------------------------------------
# Powers, exponentials, logarithms


def _pow_forward(xp, x, y):
    if x.dtype.kind == "i" and xp.any(y < 0):
        raise invalid_arg("Pow", "Integers to negative integer powers are not allowed")
    return xp.power(x, y)


def _pow_grad(entry, dy):
    x, y = entry.inputs
    if not (x.dtype.is_floating or x.dtype.is_complex):
        return None, None
    z = entry.outputs[0]
    gx = multiply(dy, conj(multiply(y, pow(x, subtract(y, 1)))))
    # log(x) only where it is real and finite, so that x <= 0 gives a zero (not NaN) exponent gradient
    positive = not_equal(x, 0) if x.dtype.is_complex else greater(x, 0)
    zeros = array_ops.zeros_like(x)
    log_x = where(positive, log(where(positive, x, array_ops.ones_like(x))), zeros)
    gy = multiply(dy, conj(multiply(z, log_x)))
    return sum_to(gx, x), sum_to(gy, y)


Pow, pow = _binary("Pow", _pow_forward, _pow_grad, _POW)
_public(pow, """``x ** y`` elementwise.

    Raises:
        InvalidArgumentError: an integer base with a negative integer exponent, or an unsupported dtype.
    """, "math.pow", "pow")


def _square_grad(entry, dy):
    x = entry.inputs[0]
    return (multiply(dy, multiply(conj(x), 2)),)


def _sqrt_grad(entry, dy):
    return (divide(multiply(dy, 0.5), conj(entry.outputs[0])),)


def _rsqrt_grad(entry, dy):
    y = entry.outputs[0]
    return (multiply(multiply(dy, -0.5), conj(multiply(square(y), y))),)


def _exp_grad(entry, dy):
    return (multiply(dy, conj(entry.outputs[0])),)


def _expm1_grad(entry, dy):
    return (multiply(dy, conj(exp(entry.inputs[0]))),)


def _log_grad(entry, dy):
    return (divide(dy, conj(entry.inputs[0])),)


def _log1p_grad(entry, dy):
    return (divide(dy, conj(add(entry.inputs[0], 1))),)


def _reciprocal_grad(entry, dy):
    return (multiply(negative(dy), conj(square(entry.outputs[0]))),)


Square, square = unary_op("Square", lambda xp, x: xp.square(x), _square_grad, _SQUARE)
Sqrt, sqrt = unary_op("Sqrt", lambda xp, x: xp.sqrt(x), _sqrt_grad, _FLT_CPLX)
Rsqrt, rsqrt = unary_op("Rsqrt", lambda xp, x: 1 / xp.sqrt(x), _rsqrt_grad, _FLT_CPLX)
Exp, exp = unary_op("Exp", lambda xp, x: xp.exp(x), _exp_grad, _FLT_CPLX)
Expm1, expm1 = unary_op("Expm1", lambda xp, x: xp.expm1(x), _expm1_grad, _FLT_CPLX)
Log, log = unary_op("Log", lambda xp, x: xp.log(x), _log_grad, _FLT_CPLX)
Log1p, log1p = unary_op("Log1p", lambda xp, x: xp.log1p(x), _log1p_grad, _FLT_CPLX)
Reciprocal = register("Reciprocal", lambda xp, x: 1 / x, grad=_reciprocal_grad)

_public(square, "``x * x`` elementwise.", "math.square", "square")
_public(sqrt, "Elementwise square root (NaN for negative reals).", "math.sqrt", "sqrt")
_public(rsqrt, "Elementwise ``1 / sqrt(x)``.", "math.rsqrt")
_public(exp, "Elementwise ``e ** x``.", "math.exp", "exp")
_public(expm1, "Elementwise ``exp(x) - 1``, accurate near zero.", "math.expm1")
_public(log, "Elementwise natural logarithm.", "math.log")
_public(log1p, "Elementwise ``log(1 + x)``, accurate near zero.", "math.log1p")


@export("math.reciprocal")
def reciprocal(x: Any, name: str | None = None) -> Tensor:
    """Elementwise ``1 / x``.

    Raises:
        NotFoundError: integer input (TF has no CPU kernel for it).
    """
    x = to_tensor(x)
    if x.dtype.name not in _SIGNED_NUMERIC:
        check_dtype("Reciprocal", x, _SIGNED_NUMERIC)
    if x.dtype.is_integer:
        raise _no_kernel("Reciprocal", x)
    return execute(Reciprocal, (x,))


# ---------------------------------------------------------------------------------------------------------
# Sign, magnitude, complex parts


def _abs_grad(entry, dy):
    return (multiply(dy, sign(entry.inputs[0])),)


def _complex_abs_grad(entry, dy):
    x, y = entry.inputs[0], entry.outputs[0]
    zeros = array_ops.zeros_like(dy)
    return (divide_no_nan(multiply(complex(dy, zeros), x), complex(y, array_ops.zeros_like(y))),)


Abs = register("Abs", lambda xp, x: xp.abs(x), grad=_abs_grad)
ComplexAbs = register("ComplexAbs", lambda xp, x: xp.abs(x), grad=_complex_abs_grad)
Sign = register("Sign", lambda xp, x: xp.sign(x),
                grad=lambda entry, dy: (array_ops.zeros_like(entry.inputs[0]),))


@export("math.abs", "abs")
def abs(x: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's public name
    """Elementwise absolute value; complex input gives its magnitude in the matching real dtype.

    Raises:
        InvalidArgumentError: unsigned or bool input.
    """
    x = to_tensor(x)
    if x.dtype.is_complex:
        return execute(ComplexAbs, (x,))
    if x.dtype.name not in _ABS:
        check_dtype("Abs", x, _ABS)
    return execute(Abs, (x,))


@export("math.sign", "sign")
def sign(x: Any, name: str | None = None) -> Tensor:
    """-1, 0 or 1 by the sign of ``x`` (NaN stays NaN); ``x / |x|`` for complex input (0 at 0).

    Its gradient is zero, as in TF.
    """
    x = to_tensor(x)
    if x.dtype.is_complex:
        return divide_no_nan(x, cast(abs(x), x.dtype))
    if x.dtype.name not in _SIGNED_NUMERIC:
        check_dtype("Sign", x, _SIGNED_NUMERIC)
    return execute(Sign, (x,))


def _complex_forward(xp, re, im):
    out = xp.empty(xp.broadcast_shapes(re.shape, im.shape), dtype=xp.result_type(re.dtype, xp.complex64))
    out.real = re
    out.imag = im
    return out


def _complex_grad(entry, dy):
    re, im = entry.inputs
    return sum_to(real(dy), re), sum_to(imag(dy), im)


def _real_grad(entry, dy):
    return (complex(dy, array_ops.zeros_like(dy)),)


def _imag_grad(entry, dy):
    return (complex(array_ops.zeros_like(dy), dy),)


def _angle_grad(entry, dy):
    x = entry.inputs[0]
    # d angle = Im(dz / z): the gradient is -dy / conj(i * z)
    rotated = reciprocal(complex(imag(x), real(x)))
    return (negative(multiply(complex(dy, array_ops.zeros_like(dy)), rotated)),)


ComplexOp = _register_binary("Complex", _complex_forward, grad=_complex_grad)
Real = register("Real", lambda xp, x: x.real, grad=_real_grad)
Imag = register("Imag", lambda xp, x: x.imag, grad=_imag_grad)
Angle = register("Angle", lambda xp, x: xp.angle(x), grad=_angle_grad)


@export("complex")
def complex(real: Any, imag: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's public name
    """``real + 1j * imag``: float32 parts give complex64, float64 parts complex128.

    Raises:
        TypeError: the parts are not both float32 or both float64.
    """
    re, im = to_tensor(real), to_tensor(imag)
    if re.dtype is not im.dtype or re.dtype.name not in ("float32", "float64"):
        raise TypeError(f"The `real` and `imag` components have incorrect types: {re.dtype.name} "
                        f"{im.dtype.name}. They must be consistent, and one of [tf.float32, tf.float64]")
    return execute(ComplexOp, (re, im))


@export("math.real")
def real(input: Any, name: str | None = None) -> Tensor:
    """The real part of a complex tensor (a real tensor is returned as is)."""
    x = to_tensor(input)
    if not x.dtype.is_complex:
        if x.dtype.is_bool or x.dtype is dtypes.string:
            raise TypeError(f"input must be a numeric tensor, but got tensor with dtype {x.dtype}")
        return x
    return execute(Real, (x,))


@export("math.imag")
def imag(input: Any, name: str | None = None) -> Tensor:
    """The imaginary part of a complex tensor (zeros for a real tensor)."""
    x = to_tensor(input)
    if not x.dtype.is_complex:
        return array_ops.zeros_like(x)
    return execute(Imag, (x,))


@export("math.angle")
def angle(input: Any, name: str | None = None) -> Tensor:
    """The argument of complex numbers in (-pi, pi]; for real input pi where negative, else 0.

    Raises:
        TypeError: integer input (pi does not fit).
    """
    x = to_tensor(input)
    if x.dtype.is_complex:
        return execute(Angle, (x,))
    return where(less(x, 0), multiply(array_ops.ones_like(x), math.pi), array_ops.zeros_like(x))


# ---------------------------------------------------------------------------------------------------------
# Binary elementwise arithmetic


def _min_max_grad(select_x: Callable) -> Callable:
    """The gradient goes to ``x`` where ``select_x(x, y)`` holds (ties included), to ``y`` elsewhere."""

    def grad(entry, dy):
        x, y = entry.inputs
        zeros = array_ops.zeros_like(dy)
        mask = select_x(x, y)
        return sum_to(where(mask, dy, zeros), x), sum_to(where(mask, zeros, dy), y)

    return grad


def _squared_difference_forward(xp, x, y):
    d = x - y
    return d * xp.conj(d) if d.dtype.kind == "c" else d * d


def _squared_difference_grad(entry, dy):
    x, y = entry.inputs
    if not (x.dtype.is_floating or x.dtype.is_complex):
        return None, None
    gx = multiply(multiply(dy, 2), subtract(x, y))
    return sum_to(gx, x), sum_to(negative(gx), y)


def _xlogy_forward(xp, x, y):
    return x * xp.log(xp.where(x == 0, 1, y))


def _xdivy_forward(xp, x, y):
    return x / xp.where(x == 0, 1, y)


def _xlog1py_forward(xp, x, y):
    return x * xp.log1p(xp.where(x == 0, 0, y))


def _nonzero_indicator(x: Tensor) -> Tensor:
    return cast(not_equal(x, 0), x.dtype)


def _xlogy_grad(entry, dy):
    x, y = entry.inputs
    gx = xlogy(_nonzero_indicator(x), y)
    gy = xdivy(x, y)
    return sum_to(multiply(dy, gx), x), sum_to(multiply(dy, gy), y)


def _xdivy_grad(entry, dy):
    x, y = entry.inputs
    gx = xdivy(_nonzero_indicator(x), y)
    gy = xdivy(negative(x), square(y))
    return sum_to(multiply(dy, gx), x), sum_to(multiply(dy, gy), y)


def _xlog1py_grad(entry, dy):
    x, y = entry.inputs
    gx = xlog1py(_nonzero_indicator(x), y)
    gy = xdivy(x, add(y, 1))
    return sum_to(multiply(dy, gx), x), sum_to(multiply(dy, gy), y)


Maximum, maximum = _binary("Maximum", lambda xp, x, y: xp.maximum(x, y),
                           _min_max_grad(lambda x, y: greater_equal(x, y)), _MIN_MAX)
Minimum, minimum = _binary("Minimum", lambda xp, x, y: xp.minimum(x, y),
                           _min_max_grad(lambda x, y: less_equal(x, y)), _MIN_MAX)
SquaredDifference, squared_difference = _binary("SquaredDifference", _squared_difference_forward,
                                                _squared_difference_grad, _SQUARED_DIFFERENCE)
Xlogy, xlogy = _binary("Xlogy", _xlogy_forward, _xlogy_grad, _FLT_HALF_FIRST + _CPLX)
Xdivy, xdivy = _binary("Xdivy", _xdivy_forward, _xdivy_grad, _FLT_HALF_FIRST + _CPLX)
Xlog1py, xlog1py = _binary("Xlog1py", _xlog1py_forward, _xlog1py_grad, _FLT_HALF_FIRST + _CPLX)

_public(maximum, "Elementwise maximum (NaN propagates); the gradient goes to ``x`` on ties.",
        "math.maximum", "maximum")
_public(minimum, "Elementwise minimum (NaN propagates); the gradient goes to ``x`` on ties.",
        "math.minimum", "minimum")
_public(squared_difference, "``(x - y) * conj(x - y)`` elementwise.", "math.squared_difference")
_public(xlogy, "``x * log(y)``, but 0 where ``x == 0`` (even if ``y`` is 0 or NaN).", "math.xlogy")
_public(xdivy, "``x / y``, but 0 where ``x == 0``.", "math.xdivy")
_public(xlog1py, "``x * log1p(y)``, but 0 where ``x == 0``.", "math.xlog1py")


def _add_n_forward(xp, *arrays):
    first = arrays[0]
    for i, a in enumerate(arrays[1:], 1):
        if a.shape != first.shape:
            raise invalid_arg("AddN", "Inputs to operation AddN of type AddN must have the same size and "
                                      f"shape.  Input 0: {shape_text(first.shape)} != input {i}: "
                                      f"{shape_text(a.shape)}")
    total = first + arrays[1]
    for a in arrays[2:]:
        total += a
    return total


AddN = register("AddN", _add_n_forward, grad=lambda entry, dy: (dy,) * len(entry.inputs))
_ADD_N_ERROR = ("Inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype and "
                "shape.")


@export("math.add_n", "add_n")
def add_n(inputs: Any, name: str | None = None) -> Tensor:
    """Sums a list of tensors of the same shape and dtype (no broadcasting).

    Raises:
        ValueError: an empty or non-iterable ``inputs``.
        InvalidArgumentError: inputs of different shapes or dtypes.
    """
    if isinstance(inputs, Tensor):
        inputs = list(inputs)
    elif not isinstance(inputs, Iterable) or isinstance(inputs, (str, bytes)):
        raise ValueError(_ADD_N_ERROR)
    tensors = [to_tensor(v) for v in inputs]
    if not tensors:
        raise ValueError(_ADD_N_ERROR)
    if len(tensors) == 1:
        return array_ops.identity(tensors[0])
    first = tensors[0]
    for i, t in enumerate(tensors[1:], 1):
        _expect_dtype("AddN", i, t, first.dtype)
    if first.dtype.name not in _ADD_N:
        check_dtype("AddN", first, _ADD_N)
    return execute(AddN, tuple(tensors))


_ACCUMULATE_N_ERROR = "inputs must be a list of at least one Tensor with the same dtype and shape"


@export("math.accumulate_n")
def accumulate_n(inputs: Any, shape: Any = None, tensor_dtype: Any = None, name: str | None = None) -> Tensor:
    """Sums a list of same-shape, same-dtype tensors, checking them against ``shape`` and ``tensor_dtype``.

    Raises:
        ValueError: an empty list, mixed dtypes or incompatible shapes.
        TypeError: ``tensor_dtype`` differs from the inputs' dtype.
    """
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError(_ACCUMULATE_N_ERROR)
    tensors = [to_tensor(v) for v in inputs]
    dtype = tensors[0].dtype
    if any(t.dtype is not dtype for t in tensors):
        raise ValueError(_ACCUMULATE_N_ERROR)
    merged = TensorShape(shape)
    for t in tensors:
        merged = merged.merge_with(t.shape)
    if tensor_dtype is not None and dtypes.as_dtype(tensor_dtype) is not dtype:
        raise TypeError(f"The `tensor_dtype` argument is {dtypes.as_dtype(tensor_dtype)}, but `input` is of "
                        f"type {dtype}. These must be equal. Try casting the input to the desired type.")
    return add_n(tensors)


@export("math.scalar_mul", "scalar_mul")
def scalar_mul(scalar: Any, x: Any, name: str | None = None) -> Tensor:
    """``scalar * x`` for a 0-D ``scalar``, converted to ``x``'s dtype.

    Raises:
        ValueError: ``scalar`` is not 0-D, or is a tensor of another dtype.
    """
    x = to_tensor(x)
    scalar = to_tensor(scalar, dtype=x.dtype)
    if scalar.shape.rank != 0:
        raise ValueError(f"The input scalar must be a 0-D value. Received shape {scalar.shape}.")
    return multiply(scalar, x)


def _atan2_grad(entry, dy):
    y, x = entry.inputs
    scale = divide(dy, add(square(x), square(y)))
    return sum_to(multiply(scale, x), y), sum_to(multiply(negative(scale), y), x)


Atan2, atan2 = _binary("Atan2", lambda xp, y, x: xp.arctan2(y, x), _atan2_grad, _FLT)
_public(atan2, "Elementwise ``atan(y / x)`` in (-pi, pi], using the signs of both to pick the quadrant.",
        "math.atan2", "atan2")


# ---------------------------------------------------------------------------------------------------------
# Trigonometric and hyperbolic functions


def _sin_grad(entry, dy):
    return (multiply(dy, cos(conj(entry.inputs[0]))),)


def _cos_grad(entry, dy):
    return (multiply(negative(dy), sin(conj(entry.inputs[0]))),)


def _tan_grad(entry, dy):
    return (multiply(dy, conj(add(square(entry.outputs[0]), 1))),)


def _one_minus_square(x: Tensor) -> Tensor:
    return subtract(1, square(x))


def _asin_grad(entry, dy):
    return (divide(dy, conj(sqrt(_one_minus_square(entry.inputs[0])))),)


def _acos_grad(entry, dy):
    return (divide(negative(dy), conj(sqrt(_one_minus_square(entry.inputs[0])))),)


def _atan_grad(entry, dy):
    return (divide(dy, conj(add(square(entry.inputs[0]), 1))),)


def _sinh_grad(entry, dy):
    return (multiply(dy, conj(cosh(entry.inputs[0]))),)


def _cosh_grad(entry, dy):
    return (multiply(dy, conj(sinh(entry.inputs[0]))),)


def _tanh_grad(entry, dy):
    return (multiply(dy, conj(_one_minus_square(entry.outputs[0]))),)


def _asinh_grad(entry, dy):
    return (divide(dy, conj(cosh(entry.outputs[0]))),)


def _acosh_grad(entry, dy):
    return (divide(dy, conj(sinh(entry.outputs[0]))),)


def _atanh_grad(entry, dy):
    return (divide(dy, conj(_one_minus_square(entry.inputs[0]))),)


Sin, sin = unary_op("Sin", lambda xp, x: xp.sin(x), _sin_grad, _FLT_CPLX)
Cos, cos = unary_op("Cos", lambda xp, x: xp.cos(x), _cos_grad, _FLT_CPLX)
Tan, tan = unary_op("Tan", lambda xp, x: xp.tan(x), _tan_grad, _FLT_CPLX)
Asin, asin = unary_op("Asin", lambda xp, x: xp.arcsin(x), _asin_grad, _FLT_CPLX)
Acos, acos = unary_op("Acos", lambda xp, x: xp.arccos(x), _acos_grad, _FLT_CPLX)
Atan, atan = unary_op("Atan", lambda xp, x: xp.arctan(x), _atan_grad, _FLT_CPLX)
Sinh, sinh = unary_op("Sinh", lambda xp, x: xp.sinh(x), _sinh_grad, _FLT_CPLX)
Cosh, cosh = unary_op("Cosh", lambda xp, x: xp.cosh(x), _cosh_grad, _FLT_CPLX)
Tanh, tanh = unary_op("Tanh", lambda xp, x: xp.tanh(x), _tanh_grad, _FLT_CPLX)
Asinh, asinh = unary_op("Asinh", lambda xp, x: xp.arcsinh(x), _asinh_grad, _FLT_CPLX)
Acosh, acosh = unary_op("Acosh", lambda xp, x: xp.arccosh(x), _acosh_grad, _FLT_CPLX)
Atanh, atanh = unary_op("Atanh", lambda xp, x: xp.arctanh(x), _atanh_grad, _FLT_CPLX)

_public(sin, "Elementwise sine.", "math.sin", "sin")
_public(cos, "Elementwise cosine.", "math.cos", "cos")
_public(tan, "Elementwise tangent.", "math.tan", "tan")
_public(asin, "Elementwise inverse sine (NaN outside [-1, 1]).", "math.asin", "asin")
_public(acos, "Elementwise inverse cosine (NaN outside [-1, 1]).", "math.acos", "acos")
_public(atan, "Elementwise inverse tangent.", "math.atan", "atan")
_public(sinh, "Elementwise hyperbolic sine.", "math.sinh", "sinh")
_public(cosh, "Elementwise hyperbolic cosine.", "math.cosh", "cosh")
_public(tanh, "Elementwise hyperbolic tangent.", "math.tanh", "nn.tanh", "tanh")
_public(asinh, "Elementwise inverse hyperbolic sine.", "math.asinh", "asinh")
_public(acosh, "Elementwise inverse hyperbolic cosine (NaN below 1).", "math.acosh", "acosh")
_public(atanh, "Elementwise inverse hyperbolic tangent (NaN outside [-1, 1]).", "math.atanh", "atanh")


# ---------------------------------------------------------------------------------------------------------
# Activations and special functions


_expit = _special_kernel("expit")


def _sigmoid_forward(xp, x):
    if x.dtype.kind == "c":
        return 1 / (1 + xp.exp(-x))
    return _expit(xp, x)


def _softplus_forward(xp, x):
    return xp.logaddexp(x, 0)


def _sigmoid_grad(entry, dy):
    y = entry.outputs[0]
    return (multiply(dy, conj(multiply(y, subtract(1, y)))),)


def _softplus_grad(entry, dy):
    return (multiply(dy, sigmoid(entry.inputs[0])),)


def _softsign_grad(entry, dy):
    return (divide(dy, square(add(abs(entry.inputs[0]), 1))),)


_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


def _erf_grad(entry, dy):
    return (multiply(dy, multiply(exp(negative(square(entry.inputs[0]))), _TWO_OVER_SQRT_PI)),)


def _erfc_grad(entry, dy):
    return (multiply(negative(dy), multiply(exp(negative(square(entry.inputs[0]))), _TWO_OVER_SQRT_PI)),)


def _erfinv_grad(entry, dy):
    return (divide(dy, multiply(exp(negative(square(entry.outputs[0]))), _TWO_OVER_SQRT_PI)),)


def _lgamma_grad(entry, dy):
    return (multiply(dy, digamma(entry.inputs[0])),)


def _digamma_grad(entry, dy):
    return (multiply(dy, polygamma(1, entry.inputs[0])),)


def _digamma_forward(xp, x):
    y = _special_kernel("psi")(xp, x)
    # TF gives NaN at the poles 0, -1, -2, ...
    return xp.where((x <= 0) & (x == xp.floor(x)), xp.nan, y).astype(x.dtype, copy=False)


def _polygamma_forward(xp, a, x):
    special = _scipy_special(xp)
    valid = (a >= 0) & (a == xp.floor(a))
    out = special.polygamma(xp.where(valid, a, 0).astype(xp.int64), x)
    return xp.where(valid, out, xp.nan).astype(x.dtype, copy=False)


def _polygamma_grad(entry, dy):
    a, x = entry.inputs
    return None, sum_to(multiply(dy, polygamma(add(a, 1), x)), x)


def _bessel_i0e_grad(entry, dy):
    x, y = entry.inputs[0], entry.outputs[0]
    return (multiply(dy, subtract(bessel_i1e(x), multiply(sign(x), y))),)


def _bessel_i1e_grad(entry, dy):
    x, y = entry.inputs[0], entry.outputs[0]
    nonzero = not_equal(x, 0)
    safe_x = where(nonzero, x, array_ops.ones_like(x))
    slope = subtract(bessel_i0e(safe_x), multiply(y, add(sign(safe_x), reciprocal(safe_x))))
    return (multiply(dy, where(nonzero, slope, multiply(array_ops.ones_like(x), 0.5))),)


Sigmoid, sigmoid = unary_op("Sigmoid", _sigmoid_forward, _sigmoid_grad, _FLT_CPLX)
Softplus, softplus = unary_op("Softplus", _softplus_forward, _softplus_grad, _FLT_HALF_FIRST)
Softsign, softsign = unary_op("Softsign", lambda xp, x: x / (1 + xp.abs(x)), _softsign_grad, _FLT_HALF_FIRST)
Erf, erf = unary_op("Erf", _special_kernel("erf"), _erf_grad, _FLT)
Erfc, erfc = unary_op("Erfc", _special_kernel("erfc"), _erfc_grad, _FLT)
Erfinv, erfinv = unary_op("Erfinv", _special_kernel("erfinv"), _erfinv_grad, _FLT)
Lgamma, lgamma = unary_op("Lgamma", _special_kernel("gammaln"), _lgamma_grad, _FLT)
Digamma, digamma = unary_op("Digamma", _digamma_forward, _digamma_grad, _FLT)
Polygamma, polygamma = _binary("Polygamma", _polygamma_forward, _polygamma_grad, ("float32", "float64"))
BesselI0e, bessel_i0e = unary_op("BesselI0e", _special_kernel("i0e"), _bessel_i0e_grad, _FLT)
BesselI1e, bessel_i1e = unary_op("BesselI1e", _special_kernel("i1e"), _bessel_i1e_grad, _FLT)

_public(sigmoid, "Elementwise logistic function ``1 / (1 + exp(-x))``, exact for large ``|x|``.",
        "math.sigmoid", "nn.sigmoid", "sigmoid")
_public(softplus, "Elementwise ``log(1 + exp(x))``, finite for large ``|x|``.", "nn.softplus",
        "math.softplus")
_public(softsign, "Elementwise ``x / (1 + |x|)``.", "nn.softsign", "math.softsign")
_public(erf, "Elementwise Gauss error function.", "math.erf")
_public(erfc, "Elementwise complementary error function ``1 - erf(x)``.", "math.erfc")
_public(erfinv, "Elementwise inverse error function (NaN outside [-1, 1]).", "math.erfinv")
_public(lgamma, "Elementwise ``log(|Gamma(x)|)``.", "math.lgamma")
_public(digamma, "Elementwise derivative of ``lgamma`` (NaN at 0, -1, -2, ...).", "math.digamma")
_public(polygamma, "The ``a``-th derivative of ``digamma`` at ``x`` (NaN unless ``a`` is a whole number "
                   ">= 0).", "math.polygamma")
_public(bessel_i0e, "Exponentially scaled modified Bessel function of order 0: ``exp(-|x|) * I0(x)``.",
        "math.bessel_i0e", "math.special.bessel_i0e")
_public(bessel_i1e, "Exponentially scaled modified Bessel function of order 1: ``exp(-|x|) * I1(x)``.",
        "math.bessel_i1e", "math.special.bessel_i1e")


@export("math.log_sigmoid")
def log_sigmoid(x: Any, name: str | None = None) -> Tensor:
    """Elementwise ``log(sigmoid(x)) = -softplus(-x)``, finite for large ``|x|``."""
    return negative(softplus(negative(to_tensor(x))))


# ---------------------------------------------------------------------------------------------------------
# Rounding and floating-point tests


Floor, floor = unary_op("Floor", lambda xp, x: xp.floor(x), None, _FLT)
Ceil, ceil = unary_op("Ceil", lambda xp, x: xp.ceil(x), None, _FLT)
Rint, rint = unary_op("Rint", lambda xp, x: xp.rint(x), None, _FLT)
RoundOp = register("Round", lambda xp, x: xp.round(x))
IsNan, is_nan = unary_op("IsNan", lambda xp, x: xp.isnan(x), _no_gradient_registered("IsNan"), _FLT)
IsInf, is_inf = unary_op("IsInf", lambda xp, x: xp.isinf(x), _no_gradient_registered("IsInf"), _FLT)
IsFinite, is_finite = unary_op("IsFinite", lambda xp, x: xp.isfinite(x), _no_gradient_registered("IsFinite"),
                               _FLT)

_public(floor, "Elementwise largest integer not greater than ``x`` (no gradient).", "math.floor", "floor")
_public(ceil, "Elementwise smallest integer not less than ``x`` (no gradient).", "math.ceil")
_public(rint, "Elementwise nearest integer, halves to even (no gradient).", "math.rint")
_public(is_nan, "Elementwise ``x != x``.", "math.is_nan")
_public(is_inf, "Elementwise test for +inf or -inf.", "math.is_inf")
_public(is_finite, "Elementwise test for neither infinite nor NaN.", "math.is_finite")


@export("math.round", "round")
def round(x: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's public name
    """Rounds to the nearest integer, halves to even (banker's rounding); integers are returned as is."""
    x = to_tensor(x)
    if x.dtype.is_integer:
        return x
    if x.dtype.name not in _FLT:
        check_dtype("Round", x, _SIGNED_NUMERIC)
        raise _no_kernel("Round", x)
    return execute(RoundOp, (x,))


@export("clip_by_value")
def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any, name: str | None = None) -> Tensor:
    """``min(max(t, clip_value_min), clip_value_max)``; the gradient passes where ``t`` is within the bounds.

    Raises:
        ValueError: the bounds would broadcast ``t`` to a larger shape.
    """
    if isinstance(t, IndexedSlices):
        return IndexedSlices(clip_by_value(t.values, clip_value_min, clip_value_max), t.indices, t.dense_shape)
    t = to_tensor(t)
    upper_clipped = minimum(t, clip_value_max)
    t.shape.assert_is_compatible_with(upper_clipped.shape)
    clipped = maximum(upper_clipped, clip_value_min)
    t.shape.assert_is_compatible_with(clipped.shape)
    return clipped


# ---------------------------------------------------------------------------------------------------------
# Comparisons


def _equal_forward(xp, x, y, *, incompatible_shape_error=True):
    if not incompatible_shape_error and x.shape != y.shape:
        try:
            xp.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            return xp.asarray(False)
    return xp.equal(x, y)


def _not_equal_forward(xp, x, y, *, incompatible_shape_error=True):
    if not incompatible_shape_error and x.shape != y.shape:
        try:
            xp.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            return xp.asarray(True)
    return xp.not_equal(x, y)


Equal, equal = _binary("Equal", _equal_forward)
NotEqual, not_equal = _binary("NotEqual", _not_equal_forward)
Less, less = _binary("Less", lambda xp, x, y: xp.less(x, y), None, _COMPARABLE)
LessEqual, less_equal = _binary("LessEqual", lambda xp, x, y: xp.less_equal(x, y), None, _COMPARABLE)
Greater, greater = _binary("Greater", lambda xp, x, y: xp.greater(x, y), None, _COMPARABLE)
GreaterEqual, greater_equal = _binary("GreaterEqual", lambda xp, x, y: xp.greater_equal(x, y), None,
                                      _COMPARABLE)

_public(equal, "Elementwise ``x == y`` (broadcasting) as a bool tensor.", "math.equal", "equal")
_public(not_equal, "Elementwise ``x != y`` (broadcasting) as a bool tensor.", "math.not_equal", "not_equal")
_public(less, "Elementwise ``x < y`` (broadcasting) as a bool tensor.", "math.less", "less")
_public(less_equal, "Elementwise ``x <= y`` (broadcasting) as a bool tensor.", "math.less_equal",
        "less_equal")
_public(greater, "Elementwise ``x > y`` (broadcasting) as a bool tensor.", "math.greater", "greater")
_public(greater_equal, "Elementwise ``x >= y`` (broadcasting) as a bool tensor.", "math.greater_equal",
        "greater_equal")

_INCOMPATIBLE_OK = {"incompatible_shape_error": False}


def _tensor_equals(self: Any, other: Any) -> Tensor:
    """``tensor == other`` in TF2: elementwise, but a scalar ``False`` when the shapes don't broadcast."""
    x, y = _binary_operands(self, other, "Equal")
    return execute(Equal, (x, y), _INCOMPATIBLE_OK)


def _tensor_not_equals(self: Any, other: Any) -> Tensor:
    """``tensor != other`` in TF2: elementwise, but a scalar ``True`` when the shapes don't broadcast."""
    x, y = _binary_operands(self, other, "NotEqual")
    return execute(NotEqual, (x, y), _INCOMPATIBLE_OK)


# ---------------------------------------------------------------------------------------------------------
# Logic and bits


def _bool_args(op_name: str, *values: Any) -> tuple:
    """Converts operands of a logical op: Python values to bool; tensors must already be bool."""
    tensors = tuple(v if isinstance(v, Tensor) else to_tensor(v, dtype=dtypes.bool) for v in values)
    for i, t in enumerate(tensors):
        _expect_dtype(op_name, i, t, dtypes.bool)
    return tensors


LogicalAnd = _register_binary("LogicalAnd", lambda xp, x, y: xp.logical_and(x, y))
LogicalOr = _register_binary("LogicalOr", lambda xp, x, y: xp.logical_or(x, y))
LogicalNot = register("LogicalNot", lambda xp, x: xp.logical_not(x))


@export("math.logical_and", "logical_and")
def logical_and(x: Any, y: Any, name: str | None = None) -> Tensor:
    """Elementwise ``x AND y`` of bool tensors (broadcasting)."""
    return execute(LogicalAnd, _bool_args("LogicalAnd", x, y))


@export("math.logical_or", "logical_or")
def logical_or(x: Any, y: Any, name: str | None = None) -> Tensor:
    """Elementwise ``x OR y`` of bool tensors (broadcasting)."""
    return execute(LogicalOr, _bool_args("LogicalOr", x, y))


@export("math.logical_not", "logical_not")
def logical_not(x: Any, name: str | None = None) -> Tensor:
    """Elementwise ``NOT x`` of a bool tensor."""
    return execute(LogicalNot, _bool_args("LogicalNot", x))


@export("math.logical_xor")
def logical_xor(x: Any, y: Any, name: str | None = None) -> Tensor:
    """Elementwise exclusive or of bool tensors (broadcasting)."""
    return execute(NotEqual, _bool_args("LogicalOr", x, y))


def _shift_amount(xp, x, y):
    # TF clamps shift amounts to [0, bits - 1]
    return xp.clip(y, 0, x.dtype.itemsize * 8 - 1)


BitwiseAnd, bitwise_and = _binary("BitwiseAnd", lambda xp, x, y: x & y, None, INTEGERS)
BitwiseOr, bitwise_or = _binary("BitwiseOr", lambda xp, x, y: x | y, None, INTEGERS)
BitwiseXor, bitwise_xor = _binary("BitwiseXor", lambda xp, x, y: x ^ y, None, INTEGERS)
Invert, invert = unary_op("Invert", lambda xp, x: ~x, None, INTEGERS)
LeftShift, left_shift = _binary("LeftShift", lambda xp, x, y: xp.left_shift(x, _shift_amount(xp, x, y)), None,
                                INTEGERS)
RightShift, right_shift = _binary("RightShift", lambda xp, x, y: xp.right_shift(x, _shift_amount(xp, x, y)),
                                  None, INTEGERS)

_public(bitwise_and, "Elementwise bitwise AND of integer tensors.", "bitwise.bitwise_and")
_public(bitwise_or, "Elementwise bitwise OR of integer tensors.", "bitwise.bitwise_or")
_public(bitwise_xor, "Elementwise bitwise XOR of integer tensors.", "bitwise.bitwise_xor")
_public(invert, "Elementwise bitwise NOT of an integer tensor.", "bitwise.invert")
_public(left_shift, "``x << y`` elementwise (shift amounts clamped to the bit width).", "bitwise.left_shift")
_public(right_shift, "``x >> y`` elementwise, arithmetic for signed types (shift amounts clamped).",
        "bitwise.right_shift")


def _leading_dtype(x: Any) -> Any:
    return getattr(x, "dtype", None)


def _and(x: Any, y: Any) -> Tensor:
    """``x & y``: logical AND for bool tensors, bitwise AND for integer tensors."""
    if _leading_dtype(x) is dtypes.bool:
        return logical_and(x, y)
    x, y = _binary_operands(x, y, "BitwiseAnd")
    return logical_and(x, y) if x.dtype is dtypes.bool else bitwise_and(x, y)


def _or(x: Any, y: Any) -> Tensor:
    """``x | y``: logical OR for bool tensors, bitwise OR for integer tensors."""
    if _leading_dtype(x) is dtypes.bool:
        return logical_or(x, y)
    x, y = _binary_operands(x, y, "BitwiseOr")
    return logical_or(x, y) if x.dtype is dtypes.bool else bitwise_or(x, y)


def _xor(x: Any, y: Any) -> Tensor:
    """``x ^ y``: logical XOR for bool tensors, bitwise XOR for integer tensors."""
    if _leading_dtype(x) is dtypes.bool:
        return logical_xor(x, y)
    x, y = _binary_operands(x, y, "BitwiseXor")
    return logical_xor(x, y) if x.dtype is dtypes.bool else bitwise_xor(x, y)


def _invert(x: Any) -> Tensor:
    """``~x``: logical NOT for bool tensors, bitwise NOT for integer tensors."""
    x = to_tensor(x)
    return logical_not(x) if x.dtype is dtypes.bool else invert(x)


# ---------------------------------------------------------------------------------------------------------
# Selection


def _select_forward(xp, cond, x, y):
    try:
        return xp.where(cond, x, y)
    except ValueError:
        raise invalid_arg("SelectV2", f"condition {shape_text(cond.shape)}, then {shape_text(x.shape)}, and "
                                      f"else {shape_text(y.shape)} must be broadcastable") from None


def _select_grad(entry, dy):
    cond, x, y = entry.inputs
    zeros = array_ops.zeros_like(dy)
    return None, sum_to(where(cond, dy, zeros), x), sum_to(where(cond, zeros, dy), y)


def _where_forward(xp, x):
    if x.ndim == 0:
        raise invalid_arg("Where", "WhereOp : Unhandled input dimensions: 0")
    return xp.argwhere(x).astype(xp.int64, copy=False)


SelectV2 = register("SelectV2", _select_forward, grad=_select_grad)
def _where_infer(spec):
    shape, _ = spec
    # data-dependent row count: probing the kernel would fix it wrongly
    return [(TensorShape([None, shape.rank]), dtypes.int64)]


WhereOp = register("Where", _where_forward, infer=_where_infer)


@export("where")
def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """Elementwise choice ``x`` where ``condition`` else ``y`` (all three broadcast), or, with ``condition``
    alone, the int64 coordinates ``[num_true, rank]`` of its true (non-zero) elements.

    Raises:
        ValueError: only one of ``x`` and ``y`` is given.
        InvalidArgumentError: a non-bool condition with ``x``/``y``, mixed dtypes, or unbroadcastable shapes.
    """
    if x is None and y is None:
        condition = to_tensor(condition)
        if condition.dtype.name not in _WHERE:
            check_dtype("Where", condition, _WHERE)
        return execute(WhereOp, (condition,))
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    condition = to_tensor(condition, dtype_hint=dtypes.bool)
    _expect_dtype("SelectV2", 0, condition, dtypes.bool)
    if isinstance(x, Tensor) and isinstance(y, Tensor):
        _expect_dtype("SelectV2", 2, y, x.dtype)
    x, y = _binary_operands(x, y, "SelectV2")
    return execute(SelectV2, (condition, x, y))
