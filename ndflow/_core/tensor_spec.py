"""``TensorSpec``: the shape and dtype a function input is traced with."""
from __future__ import annotations

from typing import Any

from . import dtypes
from .shape import TensorShape


class TensorSpec:
    """Describes a tensor: ``shape`` (possibly partial), ``dtype`` and an optional ``name``."""

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> None:
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    @classmethod
    def from_tensor(cls, tensor: Any, name: str | None = None) -> TensorSpec:
        return cls(tensor.shape, tensor.dtype, name)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def name(self) -> str | None:
        return self._name

    def is_compatible_with(self, other: Any) -> bool:
        """True when ``other`` (a tensor, spec or value) has this dtype and a compatible shape."""
        dtype = getattr(other, "dtype", None)
        shape = getattr(other, "shape", None)
        if dtype is None or shape is None:
            return False
        return dtypes.as_dtype(dtype) == self._dtype and self._shape.is_compatible_with(shape)

    def most_specific_compatible_type(self, other: TensorSpec) -> TensorSpec:
        return TensorSpec(self._shape.most_specific_compatible_shape(other._shape), self._dtype, self._name)

    def _key(self) -> tuple:
        return (self._shape.dims and tuple(self._shape.dims), self._dtype.name)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, TensorSpec) and (self._shape, self._dtype, self._name) == (
            other._shape, other._dtype, other._name)

    def __hash__(self) -> int:
        return hash((self._shape, self._dtype, self._name))

    def __repr__(self) -> str:
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r})"
