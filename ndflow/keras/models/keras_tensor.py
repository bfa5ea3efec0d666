"""``KerasTensor``: a symbolic tensor (shape with ``None`` dims and a dtype) used to build functional models.

Calling a layer on KerasTensors records a ``Node`` and returns new KerasTensors instead of computing values.
Python operators (``+ - * / // % ** @``, comparisons, ``& | ^ ~``, ``abs``, ``round``, indexing and slicing)
and the ``reshape``/``squeeze`` methods create the same graph operations as Keras 3 (``Add``, ``GetItem`` …).
NDFlow ops such as ``tf.nn.relu(x)`` do not accept KerasTensors, as in Keras 3: wrap them in a layer.
"""
from __future__ import annotations

import collections
from typing import Any

from ..._core.dtypes import as_dtype
from ..layers.layer import _snake_case, unique_name

__all__ = ["KerasTensor", "KerasHistory", "is_keras_tensor", "standardize_shape"]

_WRAP_HINT = ("You can only use it as input to a Keras layer or a Keras operation (from the namespaces "
              "`keras.layers` and `keras.ops`). You are likely doing something like:\n\n```\nx = Input(...)\n...\n"
              "tf_fn(x)  # Invalid.\n```\n\nWhat you should do instead is wrap `tf_fn` in a layer:\n\n```\n"
              "class MyLayer(Layer):\n    def call(self, x):\n        return tf_fn(x)\n\nx = MyLayer()(x)\n```\n")


class KerasHistory(collections.namedtuple("KerasHistory", ["operation", "node_index", "tensor_index"])):
    """Where a KerasTensor comes from: ``operation._inbound_nodes[node_index].outputs[tensor_index]``."""

    __slots__ = ()


def standardize_shape(shape: Any) -> tuple:
    """A shape as a tuple of ints and ``None``.

    Raises:
        ValueError: a shape that is not a sequence of non-negative ints or ``None``.
    """
    if shape is None:
        raise ValueError("Undefined shapes are not supported.")
    if not hasattr(shape, "__iter__"):
        raise ValueError(f"Cannot convert '{shape}' to a shape.")
    if hasattr(shape, "as_list"):
        shape = shape.as_list()
    out = []
    for dim in shape:
        if dim is None:
            out.append(None)
            continue
        if not isinstance(dim, int) and not (hasattr(dim, "__index__") and not isinstance(dim, bool)):
            raise ValueError(f"Cannot convert '{tuple(shape)}' to a shape. Found invalid entry '{dim}' "
                             f"of type '{type(dim)}'. ")
        dim = int(dim)
        if dim < 0:
            raise ValueError(f"Cannot convert '{tuple(shape)}' to a shape. Negative dimensions are not allowed.")
        out.append(dim)
    return tuple(out)


class KerasTensor:
    """A placeholder for a tensor of a given shape and dtype.

    Args:
        shape: a tuple of ints and ``None`` (unknown sizes).
        dtype: dtype name, default ``"float32"``.
        sparse, ragged: recorded for Keras compatibility (dense tensors are always used).
        record_history: whether nodes record this tensor's history.
        name: default ``keras_tensor``, ``keras_tensor_1`` …
    """

    _is_keras_tensor = True

    def __init__(self, shape: Any, dtype: Any = "float32", sparse: bool = False, ragged: bool = False,
                 record_history: bool = True, name: str | None = None) -> None:
        self._shape = standardize_shape(shape)
        self._dtype = as_dtype(getattr(dtype, "name", dtype) or "float32").name
        self._sparse = bool(sparse)
        self._ragged = bool(ragged)
        if self._sparse and self._ragged:
            raise ValueError("KerasTensor cannot have `sparse=True` and `ragged=True` at the same time.")
        self.name = name or unique_name(_snake_case(type(self).__name__))
        self.record_history = record_history

    @property
    def shape(self) -> tuple:
        return self._shape

    @property
    def dtype(self) -> str:
        return self._dtype

    @property
    def sparse(self) -> bool:
        return self._sparse

    @property
    def ragged(self) -> bool:
        return self._ragged

    @property
    def ndim(self) -> int:
        return len(self._shape)

    def __repr__(self) -> str:
        return (f"<KerasTensor shape={self.shape}, dtype={self.dtype}, sparse={self.sparse}, ragged={self.ragged}, "
                f"name={self.name}>")

    # -- refusals (as Keras 3) ------------------------------------------------------------------------------
    def _symbolic_error(self, what: str) -> ValueError:
        return ValueError("A KerasTensor is symbolic: it's a placeholder for a shape an a dtype. It doesn't have "
                          f"any actual numerical value. You cannot convert it to {what}.")

    def __int__(self) -> int:
        raise self._symbolic_error("an int")

    def __float__(self) -> float:
        raise self._symbolic_error("a float")

    def __array__(self, *args: Any, **kwargs: Any) -> Any:
        raise self._symbolic_error("a NumPy array")

    def _as_tensor(self, dtype: Any = None) -> Any:
        raise ValueError("A KerasTensor cannot be used as input to a TensorFlow function. A KerasTensor is a "
                         "symbolic placeholder for a shape and dtype, used when constructing Keras Functional "
                         "models or Keras Functions. " + _WRAP_HINT)

    def __iter__(self) -> Any:
        raise NotImplementedError("Iterating over a symbolic KerasTensor is not supported.")

    def __bool__(self) -> bool:
        raise TypeError("A symbolic KerasTensor cannot be used as a boolean.")

    __hash__ = object.__hash__

    # -- operators: each creates a graph operation (see the module-level tables below) -------------------
    def __round__(self, ndigits: int | None = None) -> KerasTensor:
        return _apply("Round", self, ndigits or 0)

    def __getitem__(self, key: Any) -> KerasTensor:
        return _apply("GetItem", self, key)

    def reshape(self, newshape: Any) -> KerasTensor:
        return _apply("Reshape", self, newshape)

    def squeeze(self, axis: Any = None) -> KerasTensor:
        return _apply("Squeeze", self, axis)


def _apply(op_name: str, tensor: KerasTensor, *args: Any) -> KerasTensor:
    from . import operations

    op_class = getattr(operations, op_name)
    if op_name in ("Round", "Reshape", "Squeeze"):
        return op_class(*args)(tensor)
    return op_class()(tensor, *args)


# dunder name -> operation class; binary ones also get their reflected form (``1 + x``)
_BINARY = {"add": "Add", "sub": "Subtract", "mul": "Multiply", "matmul": "Matmul", "truediv": "TrueDivide",
           "floordiv": "FloorDivide", "mod": "Mod", "pow": "Power", "and": "LogicalAnd", "or": "LogicalOr",
           "xor": "LogicalXor"}
_COMPARISONS = {"lt": "Less", "le": "LessEqual", "gt": "Greater", "ge": "GreaterEqual", "ne": "NotEqual"}
_UNARY = {"neg": "Negative", "abs": "Absolute", "invert": "LogicalNot"}


def _binary(op_name: str, reflected: bool) -> Any:
    def method(self: KerasTensor, other: Any) -> KerasTensor:
        from . import operations

        op = getattr(operations, op_name)()
        return op(other, self) if reflected else op(self, other)

    return method


def _unary(op_name: str) -> Any:
    def method(self: KerasTensor) -> KerasTensor:
        return _apply(op_name, self)

    return method


for _dunder, _op_name in _BINARY.items():
    setattr(KerasTensor, f"__{_dunder}__", _binary(_op_name, False))
    setattr(KerasTensor, f"__r{_dunder}__", _binary(_op_name, True))
for _dunder, _op_name in _COMPARISONS.items():
    setattr(KerasTensor, f"__{_dunder}__", _binary(_op_name, False))
for _dunder, _op_name in _UNARY.items():
    setattr(KerasTensor, f"__{_dunder}__", _unary(_op_name))


def is_keras_tensor(x: Any) -> bool:
    """Whether ``x`` is a symbolic ``KerasTensor``."""
    return isinstance(x, KerasTensor)
