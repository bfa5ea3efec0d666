"""``Tensor`` (the public base class), ``EagerTensor`` and conversion of Python/NumPy values to tensors."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes
from .backend import numpy_namespace as xp
from .context import current_device, state
from .errors import InvalidArgumentError
from .shape import TensorShape

__all__ = ["Tensor", "EagerTensor", "convert_to_tensor", "constant", "is_tensor"]


class Tensor:
    """Base class of eager and symbolic tensors; carries the Python operators.

    Operators dispatch to ndflow ops (bound at the end of ``ndflow._core.ops``), so they record on tapes
    and build graph ops like any other op call.
    """

    __slots__ = ()
    __array_priority__ = 100
    _is_tensor = True

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    def __hash__(self) -> int:
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def ref(self):
        """A hashable reference to this tensor (``ref().deref()`` gives it back)."""
        from .variable import _Reference

        return _Reference(self)

    experimental_ref = ref

    def __len__(self) -> int:
        shape = self.shape
        if shape.rank is None or shape.rank == 0:
            raise TypeError("len is not well defined for a rank-0 tensor" if shape.rank == 0 else
                            "len is not well defined for a tensor of unknown rank")
        if shape[0] is None:
            raise TypeError("len is not well defined for a tensor with an unknown first dimension")
        return shape[0]

    def __iter__(self):
        shape = self.shape
        if shape.rank == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        for i in range(len(self)):
            yield self[i]


class ValueProtocols:
    """Python conversions of an object holding a concrete array in ``_value`` (tensors and variables)."""

    __slots__ = ()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        arr = np.array(self._value) if copy else np.asarray(self._value)
        return arr if dtype is None else arr.astype(dtype)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __float__(self) -> float:
        return float(self._value)

    def __int__(self) -> int:
        return int(self._value)

    def __complex__(self) -> complex:
        return complex(self._value)

    def __index__(self) -> int:
        if self._dtype.is_integer and self._value.ndim == 0:
            return int(self._value)
        raise TypeError(f"Only integer scalar tensors can be converted to an index, got {self._dtype.name} "
                        f"tensor of shape {self.shape}")


class EagerTensor(ValueProtocols, Tensor):
    """An immutable tensor holding a concrete array (``numpy()`` gives it)."""

    __slots__ = ("_value", "_dtype", "_keras_mask", "_keras_logits", "__weakref__")

    def __init__(self, value: Any, dtype: dtypes.DType | None = None) -> None:
        self._value = value
        self._dtype = dtype if dtype is not None else dtypes.from_numpy(value.dtype)

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._value.shape)

    @property
    def ndim(self) -> int:
        return self._value.ndim

    @property
    def device(self) -> str:
        return current_device()

    @property
    def name(self) -> str:
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    @property
    def graph(self):
        raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")

    def numpy(self) -> Any:
        """The value as a NumPy array (a NumPy scalar for rank-0 tensors)."""
        value = self._value
        if type(value) is not np.ndarray and not isinstance(value, np.generic):
            return xp.asnumpy(value) if hasattr(xp, "asnumpy") else np.asarray(value)
        if type(value) is np.ndarray and value.ndim == 0:
            return value[()]  # TF gives NumPy scalars, and ``bytes`` for string scalars
        return value

    def set_shape(self, shape: Any) -> None:
        """Checks that ``shape`` fits (an eager tensor's shape is fully known already).

        Raises:
            ValueError: an incompatible ``shape``.
        """
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied shape "
                             f"{TensorShape(shape)}.")

    def __format__(self, spec: str) -> str:
        if self._value.ndim == 0 and spec:
            return format(self._value.item(), spec)
        return format(str(self), spec)

    def __len__(self) -> int:
        if self._value.ndim == 0:
            raise TypeError("len is not well defined for a rank-0 tensor")
        return self._value.shape[0]

    def __repr__(self) -> str:
        return (f"<tf.Tensor: shape={self.shape}, dtype={self._dtype.name}, "
                f"numpy={_numpy_text(self._value, is_repr=True)}>")

    def __str__(self) -> str:
        return f"tf.Tensor({_numpy_text(self._value)}, shape={self.shape}, dtype={self._dtype.name})"

    def __reduce__(self):
        return EagerTensor, (np.asarray(self._value), self._dtype)

    def __copy__(self) -> EagerTensor:
        return self

    def __deepcopy__(self, memo: dict) -> EagerTensor:
        return self

    def _shape_tuple(self) -> tuple:
        return self._value.shape


def _numpy_text(value: Any, is_repr: bool = False) -> str:
    value = np.asarray(value)
    if value.ndim == 0:
        item = value.item()
        if is_repr:
            return repr(item)
        return str(value[()]) if value.dtype.kind != "O" else repr(item)
    if is_repr:
        text = repr(value)
        return "\n" + text if "\n" in text else text
    text = np.array2string(value, separator=" ") if value.dtype.kind == "O" else str(value)
    return "\n" + text if "\n" in text else text


def is_tensor(x: Any) -> bool:
    """True for ndflow tensors and variables (TF's ``is_tensor``)."""
    return isinstance(x, Tensor) or getattr(x, "_is_tensor_like", False)


# ---------------------------------------------------------------------------------------------------------
# Conversion

def _to_bytes(x: Any) -> Any:
    if isinstance(x, str):
        return x.encode("utf-8")
    if isinstance(x, (bytes, np.bytes_)):
        return bytes(x)
    raise TypeError(f"Failed to convert elements of {x!r} to Tensor.")


def _string_array(value: Any) -> np.ndarray:
    arr = np.asarray(value, dtype=object)
    flat = [_to_bytes(x) for x in arr.reshape(-1)]
    out = np.empty(arr.shape, dtype=object)
    out.reshape(-1)[:] = flat if flat else []
    return out


def _array_from_python(value: Any, dtype: dtypes.DType | None) -> np.ndarray:
    try:
        arr = np.asarray(value)
    except ValueError as exc:
        if "inhomogeneous" in str(exc) or "sequence" in str(exc):
            raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from None
        raise
    kind = arr.dtype.kind
    if kind in "SU":  # NumPy's fixed-width strings drop trailing NUL bytes: keep the Python objects
        arr = np.asarray(value, dtype=object)
    if kind in "SUO":
        if dtype is None or dtype is dtypes.string:
            is_text = [isinstance(x, (str, bytes, np.bytes_)) for x in arr.reshape(-1)]
            if kind == "O" and arr.size and not is_text[0]:
                raise ValueError("Can't convert non-rectangular Python sequence to Tensor.")
            if not all(is_text):
                raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
            return _string_array(arr)
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
    if dtype is dtypes.string:
        if arr.size == 0:
            return arr.astype(object)
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype string")
    if dtype is None:
        if kind == "b":
            return arr
        if kind in "iu":
            if arr.size == 0:
                return arr.astype(np.int32)
            lo, hi = arr.min(), arr.max()
            return arr.astype(np.int32 if -(2**31) <= lo and hi < 2**31 else np.int64)
        if kind == "f":
            return arr.astype(np.float32)
        if kind == "c":
            return arr.astype(np.complex128)
        raise TypeError(f"Cannot convert {value!r} to a Tensor.")
    target = dtype._np
    if dtype.is_integer and kind == "f" and arr.size:
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
    if (dtype.is_integer or dtype.is_floating or dtype.is_bool) and kind == "c":
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
    if dtype.is_bool and kind != "b":
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
    return arr.astype(target, copy=False)


def _array_from_numpy(arr: np.ndarray | np.generic, dtype: dtypes.DType | None) -> Any:
    if arr.dtype.kind in "SUO":
        if dtype is not None and dtype is not dtypes.string:
            raise TypeError(f"Cannot convert {arr!r} to EagerTensor of dtype {dtype.name}")
        return _string_array(arr)
    if dtype is None or dtype._np == arr.dtype:
        return arr
    return arr.astype(dtype._np)


def convert_to_tensor(value: Any, dtype: Any = None, name: str | None = None,
                      dtype_hint: Any = None) -> Tensor:
    """Converts tensors, variables, NumPy arrays and (nested) Python values to a Tensor.

    Python floats become float32 and ints int32 unless ``dtype`` (a requirement) or ``dtype_hint`` (a
    preference, ignored when impossible) says otherwise. NumPy arrays keep their dtype.

    Raises:
        ValueError: a tensor of another dtype than the required ``dtype``.
        TypeError: a value that cannot be represented in ``dtype``.
    """
    if isinstance(value, Tensor):
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype)
            if value.dtype is not dtype:
                raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                                 f"{value.dtype.name}: {value!r}")
        return value
    conv = getattr(value, "_as_tensor", None)
    if conv is not None:
        return conv(dtype=None if dtype is None else dtypes.as_dtype(dtype))
    if getattr(value, "_is_composite", False):  # SparseTensor, TensorArray …
        raise ValueError(f"Attempt to convert a value ({value}) with an unsupported type ({type(value)}) to a "
                         "Tensor.")
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    elif dtype_hint is not None:
        try:
            return convert_to_tensor(value, dtype_hint)
        except (TypeError, ValueError):
            pass
    if isinstance(value, (np.ndarray, np.generic)):
        return _in_context(_array_from_numpy(value, dtype))
    if isinstance(value, (list, tuple)) and any(isinstance(v, Tensor) or hasattr(v, "_as_tensor")
                                                for v in _flatten(value)):
        from .ops.array_ops import stack

        return stack([convert_to_tensor(v, dtype) for v in value])
    if isinstance(value, TensorShape):
        value = value.as_list()
    return _in_context(_array_from_python(value, dtype))


def _in_context(arr: Any) -> Tensor:
    """An eager tensor, or a constant op when a graph is being built (as TF's conversion does)."""
    graph = state.graph
    if graph is not None:
        return graph.constant(arr, "Const")
    return EagerTensor(arr)


def _flatten(value: Any):
    for v in value:
        if isinstance(v, (list, tuple)):
            yield from _flatten(v)
        else:
            yield v


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str = "Const") -> Tensor:
    """Creates a constant tensor from a value, optionally cast to ``dtype`` and broadcast/reshaped to ``shape``.

    Raises:
        TypeError: ``value`` cannot be represented in ``dtype``.
        InvalidArgumentError: ``value`` does not fit ``shape``.
    """
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        t = convert_to_tensor(value)
        if dtype is not None and t.dtype != dtypes.as_dtype(dtype):
            from .ops.math_ops import cast

            t = cast(t, dtype)
        arr = t._value
    else:
        dt = None if dtype is None else dtypes.as_dtype(dtype)
        if isinstance(value, (np.ndarray, np.generic)):
            arr = _array_from_numpy(value, dt)
        else:
            arr = _array_from_python(value, dt)
    if shape is not None:
        shape = tuple(int(d) for d in TensorShape(shape).as_list())
        n = int(np.prod(shape, dtype=np.int64))
        if arr.size == n:
            arr = arr.reshape(shape)
        elif arr.size == 1:
            arr = np.broadcast_to(arr.reshape(()), shape).copy()
        else:
            raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor {arr} "
                            f"(converted from {value}) has {arr.size} elements, but got `shape` {shape} "
                            f"with {n} elements).")
    graph = state.graph
    if graph is not None:
        return graph.constant(arr, name)
    return EagerTensor(arr)


def check_same_dtype(op_name: str, tensors: Any) -> None:
    """TF's strictness: all inputs of a homogeneous op share one dtype.

    Raises:
        InvalidArgumentError: naming the op, the input index and both dtypes.
    """
    first = tensors[0].dtype
    for i, t in enumerate(tensors[1:], 1):
        if t.dtype is not first:
            raise InvalidArgumentError(
                None, None,
                f"cannot compute {op_name} as input #{i}(zero-based) was expected to be a "
                f"{_tf_type_name(first)} tensor but is a {_tf_type_name(t.dtype)} tensor [Op:{op_name}] name: ")


def _tf_type_name(dtype: dtypes.DType) -> str:
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)
