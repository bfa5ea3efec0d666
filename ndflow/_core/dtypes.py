"""TensorFlow's dtypes as ndflow objects mapped to NumPy dtypes."""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "DType", "as_dtype", "from_numpy",
    "float16", "float32", "float64", "half", "double", "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64", "bool", "string", "complex64", "complex128", "variant",
]

# TF's names for the string element type, stored as NumPy object arrays of bytes.
_STRING_NP = np.dtype(object)


class DType:
    """An element type: ``name``, ``as_numpy_dtype``, ``is_floating``, ``min``/``max`` and friends."""

    __slots__ = ("_name", "_np", "_tf_name")

    def __init__(self, name: str, np_dtype: Any, tf_name: str) -> None:
        self._name = name
        self._np = np.dtype(np_dtype)
        self._tf_name = tf_name

    @property
    def name(self) -> str:
        return self._name

    @property
    def as_numpy_dtype(self) -> type:
        return self._np.type

    @property
    def as_datatype_enum(self) -> int:
        return _DATATYPE_ENUM[self._name]

    @property
    def base_dtype(self) -> DType:
        return self

    @property
    def real_dtype(self) -> DType:
        return {"complex64": float32, "complex128": float64}.get(self._name, self)

    @property
    def is_floating(self) -> bool:
        return self._np.kind == "f" or self._name == "bfloat16"

    @property
    def is_integer(self) -> bool:
        return self._np.kind in "iu"

    @property
    def is_unsigned(self) -> bool:
        return self._np.kind == "u"

    @property
    def is_complex(self) -> bool:
        return self._np.kind == "c"

    @property
    def is_bool(self) -> bool:
        return self._np.kind == "b"

    @property
    def is_numeric(self) -> bool:
        return self._np.kind in "iufcb" and self._name != "string"

    @property
    def size(self) -> int:
        return 1 if self._name == "string" else self._np.itemsize

    @property
    def min(self):
        if self.is_floating:
            return _finfo(self).min
        if self.is_integer:
            return np.iinfo(self._np).min
        raise TypeError(f"Cannot find minimum value of {self} with type {self}.")

    @property
    def max(self):
        if self.is_floating:
            return _finfo(self).max
        if self.is_integer:
            return np.iinfo(self._np).max
        raise TypeError(f"Cannot find maximum value of {self} with type {self}.")

    @property
    def limits(self) -> tuple:
        return self.min, self.max

    def is_compatible_with(self, other: Any) -> bool:
        return self == as_dtype(other)

    def __eq__(self, other: Any) -> bool:
        if other is self:
            return True
        if other is None:
            return False
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self._name)

    def __repr__(self) -> str:
        return f"tf.{self._name}"

    def __str__(self) -> str:
        return f"<dtype: '{self._name}'>"

    def __reduce__(self):
        return as_dtype, (self._name,)


def _finfo(dtype: DType):
    if dtype._name == "bfloat16":
        import ml_dtypes

        return ml_dtypes.finfo(ml_dtypes.bfloat16)
    return np.finfo(dtype._np)


float16 = DType("float16", np.float16, "DT_HALF")
float32 = DType("float32", np.float32, "DT_FLOAT")
float64 = DType("float64", np.float64, "DT_DOUBLE")
int8 = DType("int8", np.int8, "DT_INT8")
int16 = DType("int16", np.int16, "DT_INT16")
int32 = DType("int32", np.int32, "DT_INT32")
int64 = DType("int64", np.int64, "DT_INT64")
uint8 = DType("uint8", np.uint8, "DT_UINT8")
uint16 = DType("uint16", np.uint16, "DT_UINT16")
uint32 = DType("uint32", np.uint32, "DT_UINT32")
uint64 = DType("uint64", np.uint64, "DT_UINT64")
bool = DType("bool", np.bool_, "DT_BOOL")  # noqa: A001 - TF's public name
complex64 = DType("complex64", np.complex64, "DT_COMPLEX64")
complex128 = DType("complex128", np.complex128, "DT_COMPLEX128")
string = DType("string", _STRING_NP, "DT_STRING")
variant = DType("variant", _STRING_NP, "DT_VARIANT")
resource = DType("resource", _STRING_NP, "DT_RESOURCE")
half = float16
double = float64

_ALL = [float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool,
        complex64, complex128, string]
_BY_NAME: dict[str, DType] = {d.name: d for d in _ALL}
_BY_NAME.update({"half": float16, "double": float64, "float": float32, "variant": variant,
                 "resource": resource})
_BY_NP: dict[np.dtype, DType] = {d._np: d for d in _ALL if d is not string}
_BY_NP[_STRING_NP] = string
_DATATYPE_ENUM = {"float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6, "string": 7,
                  "complex64": 8, "int64": 9, "bool": 10, "bfloat16": 14, "uint16": 17, "complex128": 18,
                  "float16": 19, "resource": 20, "variant": 21, "uint32": 22, "uint64": 23}
_BY_ENUM = {v: k for k, v in _DATATYPE_ENUM.items()}


def _bfloat16() -> DType:
    dt = _BY_NAME.get("bfloat16")
    if dt is None:
        try:
            import ml_dtypes
        except ImportError:
            raise TypeError("bfloat16 needs the optional package 'ml_dtypes'") from None
        dt = DType("bfloat16", ml_dtypes.bfloat16, "DT_BFLOAT16")
        _BY_NAME["bfloat16"] = dt
        _BY_NP[dt._np] = dt
    return dt


def from_numpy(np_dtype: np.dtype) -> DType:
    """The DType of a NumPy dtype (object, bytes and str arrays are ``string``)."""
    dt = _BY_NP.get(np_dtype)
    if dt is not None:
        return dt
    if np_dtype.kind in "SUO":
        return string
    if np_dtype.name == "bfloat16":
        return _bfloat16()
    raise TypeError(f"Cannot convert {np_dtype!r} to an ndflow DType.")


def as_dtype(type_value: Any) -> DType:
    """Converts a DType, NumPy dtype/type, Python type, name or enum to a DType.

    Raises:
        TypeError: the value names no known dtype.
    """
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        dt = _BY_NAME.get(type_value)
        if dt is not None:
            return dt
        if type_value == "bfloat16":
            return _bfloat16()
    elif isinstance(type_value, int) and not isinstance(type_value, type(True)) and type_value in _BY_ENUM:  # noqa: UP003
        return as_dtype(_BY_ENUM[type_value])
    elif type_value is float:
        return float32
    elif type_value is int:
        raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.")
    elif type_value is type(True):  # noqa: UP003 - ``bool`` is the DType here
        return bool
    elif type_value in (bytes, str):
        return string
    elif type_value is complex:
        return complex128
    else:
        try:
            return from_numpy(np.dtype(type_value))
        except TypeError:
            pass
    raise TypeError(f"Cannot convert {type_value!r} to a dtype. data type {type_value!r} not understood")


def __getattr__(name: str):
    if name == "bfloat16":
        return _bfloat16()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
