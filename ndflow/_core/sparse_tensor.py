"""``SparseTensor``: a tensor stored as the coordinates (``indices``) and ``values`` of its non-zero entries."""
from __future__ import annotations

from collections import namedtuple
from typing import Any

from . import dtypes
from .composite_tensor import CompositeTensor, TypeSpec
from .export import export
from .shape import TensorShape
from .tensor import Tensor, convert_to_tensor
from .tensor_spec import TensorSpec

__all__ = ["SparseTensor", "SparseTensorSpec", "SparseTensorValue", "is_sparse"]

# What a TF1 session returns for a fetched SparseTensor.
SparseTensorValue = namedtuple("SparseTensorValue", ["indices", "values", "dense_shape"])


def _convert(value: Any, what: str, dtype: Any = None) -> Tensor:
    """``convert_to_tensor`` whose dtype errors name the argument (``indices: Tensor conversion …``)."""
    try:
        return convert_to_tensor(value, dtype=dtype)
    except ValueError as exc:
        if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
            raise ValueError(f"{what}: {exc}") from None
        raise


def _assert_rank(shape: TensorShape, rank: int) -> None:
    if shape.rank is not None and shape.rank != rank:
        raise ValueError(f"Shape {shape} must have rank {rank}")


def _assert_compatible(a: int | None, b: int | None) -> None:
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions {a} and {b} are not compatible")


@export("sparse.SparseTensor", "SparseTensor")
class SparseTensor(CompositeTensor):
    """A sparse tensor: ``values[i]`` sits at coordinates ``indices[i]`` of a ``dense_shape`` tensor.

    Args:
        indices: int64 ``[N, rank]`` coordinates, in row-major order for most ops (see ``sparse.reorder``).
        values: ``[N]`` values of any dtype.
        dense_shape: int64 ``[rank]`` shape of the dense tensor.

    Raises:
        ValueError: components of the wrong rank, or whose sizes disagree.
        TypeError: non-integer indices or shape.
    """

    def __init__(self, indices: Any, values: Any, dense_shape: Any) -> None:
        if isinstance(dense_shape, TensorShape):
            dense_shape = dense_shape.as_list()
        self._indices = _convert(indices, "indices", dtypes.int64)
        self._values = _convert(values, "values")
        self._dense_shape = _convert(dense_shape, "dense_shape", dtypes.int64)
        i_shape, v_shape, s_shape = self._indices.shape, self._values.shape, self._dense_shape.shape
        _assert_rank(i_shape, 2)
        _assert_rank(v_shape, 1)
        _assert_rank(s_shape, 1)
        if i_shape.rank is not None:
            if v_shape.rank is not None:
                _assert_compatible(i_shape[0], v_shape[0])
            if s_shape.rank is not None:
                _assert_compatible(i_shape[1], s_shape[0])
        from .ops._helpers import static_shape  # the op package imports this module

        self._shape = static_shape(self._dense_shape)  # TF's constant_value_as_shape

    @classmethod
    def from_value(cls, sparse_tensor_value: Any) -> SparseTensor:
        """The value itself when it is a ``SparseTensor``, else one built from its three components."""
        if isinstance(sparse_tensor_value, SparseTensor):
            return sparse_tensor_value
        return cls(sparse_tensor_value.indices, sparse_tensor_value.values, sparse_tensor_value.dense_shape)

    @property
    def indices(self) -> Tensor:
        return self._indices

    @property
    def values(self) -> Tensor:
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        return self._dense_shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    @property
    def graph(self) -> Any:
        return self._indices.graph

    @property
    def op(self) -> Any:
        return self._values.op

    def with_values(self, new_values: Any) -> SparseTensor:
        """The same sparsity pattern holding ``new_values``."""
        out = SparseTensor(self._indices, new_values, self._dense_shape)
        out._shape = self._shape
        return out

    @property
    def _type_spec(self) -> SparseTensorSpec:
        return SparseTensorSpec(self._shape, self.dtype)

    def _binary(self, other: Any, op_name: str) -> SparseTensor:
        from .ops import sparse_ops

        return sparse_ops.dense_cwise(self, other, op_name)

    def __mul__(self, other: Any) -> SparseTensor:
        return self._binary(other, "mul")

    def __truediv__(self, other: Any) -> SparseTensor:
        return self._binary(other, "div")

    __div__ = __truediv__

    def __repr__(self) -> str:
        return f"SparseTensor(indices={self._indices}, values={self._values}, dense_shape={self._dense_shape})"

    __str__ = __repr__


@export("SparseTensorSpec")
class SparseTensorSpec(TypeSpec):
    """The type of a ``SparseTensor``: its (possibly partial) dense shape and dtype."""

    def __init__(self, shape: Any = None, dtype: Any = dtypes.float32) -> None:
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def value_type(self) -> type:
        return SparseTensor

    @classmethod
    def from_value(cls, value: SparseTensor) -> SparseTensorSpec:
        return value._type_spec

    def is_compatible_with(self, other: Any) -> bool:
        spec = other._type_spec if isinstance(other, SparseTensor) else other
        return isinstance(spec, SparseTensorSpec) and spec._dtype == self._dtype and \
            self._shape.is_compatible_with(spec._shape)

    @property
    def _component_specs(self) -> list:
        rank = self._shape.rank
        return [TensorSpec([None, rank], dtypes.int64), TensorSpec([None], self._dtype),
                TensorSpec([rank], dtypes.int64)]

    def _to_components(self, value: SparseTensor) -> list:
        return [value.indices, value.values, value.dense_shape]

    def _from_components(self, components: list) -> Any:
        out = SparseTensor(*components)
        if self._shape.rank is not None and out._shape.rank == self._shape.rank:
            out._shape = TensorShape([a if a is not None else b for a, b in zip(out._shape.dims, self._shape.dims)])
        return out

    def _key(self) -> tuple:
        dims = None if self._shape.rank is None else tuple(self._shape.dims)
        return ("SparseTensorSpec", dims, self._dtype.name)

    def __repr__(self) -> str:
        return f"SparseTensorSpec({self._shape!r}, {self._dtype!r})"


def is_sparse(x: Any) -> bool:
    """True for ``SparseTensor`` values."""
    return isinstance(x, SparseTensor)
