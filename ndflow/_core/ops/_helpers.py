"""Shared plumbing for op modules: input conversion, dtype checks, op declaration shortcuts."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from .. import dtypes
from ..context import state
from ..errors import InvalidArgumentError
from ..execute import execute
from ..op import OpDef, register
from ..shape import TensorShape
from ..tensor import EagerTensor, Tensor, check_same_dtype, convert_to_tensor

__all__ = [
    "to_tensor", "binary_args", "check_dtype", "unary_op", "binary_op", "execute", "register", "OpDef",
    "FLOATS", "FLOAT_COMPLEX", "NUMERIC", "INTEGERS", "REALS", "invalid_arg", "as_int_list", "static_value",
    "shape_text", "is_symbolic", "static_shape", "object_scalar",
]

FLOATS = ("float16", "bfloat16", "float32", "float64")
FLOAT_COMPLEX = FLOATS + ("complex64", "complex128")
INTEGERS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
REALS = FLOATS + INTEGERS
NUMERIC = REALS + ("complex64", "complex128")

_TF_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


_SCALARS: dict = {}


def to_tensor(x: Any, dtype: Any = None, dtype_hint: Any = None) -> Tensor:
    """``convert_to_tensor`` with fast paths for tensors and (cached, immutable) Python scalars."""
    if isinstance(x, Tensor) and dtype is None:
        return x
    kind = type(x)
    if (kind is float or kind is int) and dtype_hint is None and state.graph is None:
        key = (kind, x, dtype)
        cached = _SCALARS.get(key)
        if cached is not None:
            return cached
        out = convert_to_tensor(x, dtype=dtype)
        if x != 0 and len(_SCALARS) < 4096:  # 0.0 and -0.0 hash alike: don't cache zeros
            _SCALARS[key] = out
        return out
    return convert_to_tensor(x, dtype=dtype, dtype_hint=dtype_hint)


def binary_args(x: Any, y: Any, op_name: str) -> tuple[Tensor, Tensor]:
    """Converts both operands: a non-tensor operand adopts the tensor operand's dtype.

    Raises:
        InvalidArgumentError: two tensors of different dtypes (TF does not promote).
        TypeError: a Python value that does not fit the other operand's dtype.
    """
    x_is_t = isinstance(x, Tensor)
    y_is_t = isinstance(y, Tensor)
    if x_is_t and y_is_t:
        if x.dtype is not y.dtype:
            check_same_dtype(op_name, (x, y))
        return x, y
    if not x_is_t and hasattr(x, "_as_tensor"):
        x, x_is_t = x._as_tensor(), True
    if not y_is_t and hasattr(y, "_as_tensor"):
        y, y_is_t = y._as_tensor(), True
    if x_is_t and not y_is_t:
        y = _adopt(y, x.dtype)
    elif y_is_t and not x_is_t:
        x = _adopt(x, y.dtype)
    elif not x_is_t and not y_is_t:
        x = convert_to_tensor(x)
        y = _adopt(y, x.dtype)
    if x.dtype is not y.dtype:
        check_same_dtype(op_name, (x, y))
    return x, y


def _adopt(value: Any, dtype: dtypes.DType) -> Tensor:
    """Converts a non-tensor operand to ``dtype``; when it can't be, converts it plainly so that the
    caller's dtype check reports the mismatch like TF does."""
    try:
        return convert_to_tensor(value, dtype=dtype)
    except (TypeError, ValueError):
        return convert_to_tensor(value)


def check_dtype(op_name: str, x: Tensor, allowed: Iterable[str]) -> None:
    """Raises TF's attr error when ``x.dtype`` is not in ``allowed``."""
    if x.dtype.name not in allowed:
        names = ", ".join(_TF_TYPE_NAMES.get(a, a) for a in allowed)
        raise InvalidArgumentError(
            None, None,
            f"Value for attr 'T' of {_TF_TYPE_NAMES.get(x.dtype.name, x.dtype.name)} is not in the list of "
            f"allowed values: {names}\n\t; NodeDef: {{{{node {op_name}}}}}; Op<name={op_name}; "
            f"signature=x:T -> y:T; attr=T:type,allowed=[{names}]> [Op:{op_name}] name: ")


def invalid_arg(op_name: str, message: str) -> InvalidArgumentError:
    """An ``InvalidArgumentError`` with TF's eager suffix."""
    return InvalidArgumentError(None, None, f"{message} [Op:{op_name}]")


def unary_op(name: str, forward: Callable, grad: Callable | None = None, allowed: Iterable[str] | None = None,
             infer: Callable | None = None) -> tuple[OpDef, Callable]:
    """Declares an elementwise unary op and returns ``(opdef, api_function(x, name=None))``."""
    op = register(name, forward, grad=grad, infer=infer)
    allowed = tuple(allowed) if allowed is not None else None

    def api(x: Any, name: str | None = None) -> Tensor:
        x = to_tensor(x)
        if allowed is not None and x.dtype.name not in allowed:
            check_dtype(op.name, x, allowed)
        return execute(op, (x,))

    return op, api


def binary_op(name: str, forward: Callable, grad: Callable | None = None,
              allowed: Iterable[str] | None = None, infer: Callable | None = None) -> tuple[OpDef, Callable]:
    """Declares an elementwise broadcasting binary op; returns ``(opdef, api_function(x, y, name=None))``."""
    op = register(name, forward, grad=grad, infer=infer)
    allowed = tuple(allowed) if allowed is not None else None

    def api(x: Any, y: Any, name: str | None = None) -> Tensor:
        x, y = binary_args(x, y, op.name)
        if allowed is not None and x.dtype.name not in allowed:
            check_dtype(op.name, x, allowed)
        return execute(op, (x, y))

    return op, api


def object_scalar(value: Any) -> np.ndarray:
    """A 0-d object array holding ``value`` (``np.array`` would unpack sequences and bytes-like values)."""
    out = np.empty((), dtype=object)
    out[()] = value
    return out


def shape_text(shape: Any) -> str:
    """A shape as TF prints it in kernel errors: ``[2,3]``."""
    return "[" + ",".join(str(d) for d in shape) + "]"


def as_int_list(value: Any) -> list[int]:
    """A shape-like value (list, tuple, TensorShape, int tensor) as a list of Python ints."""
    if isinstance(value, EagerTensor):
        return [int(v) for v in value.numpy().reshape(-1)]
    if hasattr(value, "as_list"):
        return [int(v) for v in value.as_list()]
    if isinstance(value, (list, tuple)):
        return [int(v) for v in value]
    return [int(value)]


def static_value(x: Any) -> Any:
    """The concrete NumPy value of an eager tensor (or the Python value itself); None if symbolic."""
    if isinstance(x, EagerTensor):
        return x.numpy()
    if isinstance(x, Tensor):
        return None
    if hasattr(x, "_as_tensor"):
        return x.numpy()
    return x


def is_symbolic(x: Any) -> bool:
    """True for a graph tensor (a value only known when the graph runs)."""
    return isinstance(x, Tensor) and not isinstance(x, EagerTensor)


def static_shape(shape: Any) -> TensorShape:
    """The dims of a shape argument known while tracing (TF's ``constant_value_as_shape``).

    ``shape`` is a list of ints and scalar tensors, or a 1-D int tensor. Graph tensors built by ``tf.stack``,
    ``tf.concat``, ``tf.shape`` (and slices of them) or constants give their known entries; other entries,
    and negative ones (``-1`` in ``reshape``), are ``None``.
    """
    if isinstance(shape, (list, tuple)):
        return TensorShape([_static_dim(d) for d in shape])
    if not is_symbolic(shape):
        return TensorShape([d if d >= 0 else None for d in as_int_list(shape)])
    op = shape.op
    if op.type == "Const":
        return TensorShape([int(d) if d >= 0 else None for d in np.reshape(op.attrs["value"], -1)])
    if op.type == "Shape":
        return op.inputs[0].shape
    if op.type == "Cast":
        return static_shape(op.inputs[0])
    if op.type == "Pack" and op.attrs["axis"] == 0:
        return TensorShape([_static_dim(t) for t in op.inputs])
    if op.type == "ConcatV2" and op.attrs["axis"] in (0, -1):
        result = TensorShape([])
        for t in op.inputs:
            result = result.concatenate(static_shape(t))
        return result
    if op.type == "StridedSlice" and len(op.attrs["key"]) == 1 and isinstance(op.attrs["key"][0], slice):
        whole = static_shape(op.inputs[0])
        if whole.rank is not None:
            return TensorShape(whole.dims[op.attrs["key"][0]])
    length = shape.shape[0] if shape.shape.rank == 1 else None
    return TensorShape(None if length is None else [None] * length)


def _static_dim(d: Any) -> int | None:
    """One entry of a shape argument, if known while tracing."""
    if not is_symbolic(d):
        value = int(np.asarray(static_value(d)).reshape(-1)[0])
        return value if value >= 0 else None
    op = d.op
    if op.type == "Const" and np.size(op.attrs["value"]) == 1:
        value = int(np.reshape(op.attrs["value"], -1)[0])
        return value if value >= 0 else None
    if op.type == "Cast":
        return _static_dim(op.inputs[0])
    if op.type == "StridedSlice" and len(op.attrs["key"]) == 1 and isinstance(op.attrs["key"][0], int):
        whole = static_shape(op.inputs[0])
        index = op.attrs["key"][0]
        if whole.rank is not None and -whole.rank <= index < whole.rank:
            return whole.dims[index]
    return None
