"""``Input`` and ``InputLayer``: the entry points of functional models (Keras 3 semantics)."""
from __future__ import annotations

import warnings
from typing import Any

from ..._core.dtypes import as_dtype
from ..models.keras_tensor import KerasTensor, standardize_shape
from ..models.node import Node
from .layer import Layer

__all__ = ["Input", "InputLayer", "KerasTensor"]


class InputLayer(Layer):
    """The layer that produces a model's input KerasTensor.

    Args:
        shape: the shape of one sample (without the batch dimension).
        batch_size: an optional fixed batch size.
        dtype: the input's dtype (default ``floatx()``).
        sparse, ragged: recorded for Keras compatibility.
        batch_shape: the full shape, batch dimension included (instead of ``shape``/``batch_size``).
        input_tensor: an existing KerasTensor to use as the input.
        optional: whether ``None`` may be passed for this input.
        name: the layer name (default ``input_layer``, ``input_layer_1`` …).

    Raises:
        ValueError: no shape, conflicting arguments, or a non-KerasTensor ``input_tensor``.
    """

    def __init__(self, shape: Any = None, batch_size: int | None = None, dtype: Any = None, sparse: bool | None = None,
                 ragged: bool | None = None, batch_shape: Any = None, input_tensor: Any = None,
                 optional: bool = False, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name)
        if "input_shape" in kwargs:
            warnings.warn("Argument `input_shape` is deprecated. Use `shape` instead.", stacklevel=2)
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to InputLayer: {kwargs}")
        if input_tensor is not None:
            batch_shape, dtype, sparse = self._check_input_tensor(input_tensor, shape, batch_size, batch_shape,
                                                                  dtype, sparse)
        else:
            if shape is not None and batch_shape is not None:
                raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
            if batch_size is not None and batch_shape is not None:
                raise ValueError("You cannot pass both `batch_size` and `batch_shape` at the same time.")
            if shape is None and batch_shape is None:
                raise ValueError("You must pass a `shape` argument.")
            if shape is not None:
                batch_shape = (batch_size, *standardize_shape(shape))
        self._batch_shape = standardize_shape(batch_shape)
        self._input_dtype = as_dtype(getattr(dtype, "name", dtype)).name if dtype is not None else self._dtype_name
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        if input_tensor is None:
            input_tensor = KerasTensor(self._batch_shape, dtype=self._input_dtype, sparse=self.sparse,
                                       ragged=self.ragged, name=name)
        self._input_tensor = input_tensor
        Node(self, (), {}, input_tensor)
        self.built = True
        self.optional = optional

    @staticmethod
    def _check_input_tensor(tensor: Any, shape: Any, batch_size: Any, batch_shape: Any, dtype: Any,
                            sparse: Any) -> tuple:
        if not isinstance(tensor, KerasTensor):
            raise ValueError("Argument `input_tensor` must be a KerasTensor. Received invalid type: "
                             f"input_tensor={tensor} (of type {type(tensor)})")
        if batch_size is not None and (len(tensor.shape) < 1 or tensor.shape[0] != batch_size):
            raise ValueError("When providing the `input_tensor` argument, you cannot provide an incompatible "
                             "`batch_size` argument.")
        if shape is not None and tuple(shape) != tensor.shape[1:]:
            raise ValueError("When providing the `input_tensor` argument, you cannot provide an incompatible "
                             "`shape` argument.")
        if batch_shape is not None and tuple(batch_shape) != tensor.shape:
            raise ValueError("When providing the `input_tensor` argument, you cannot provide an incompatible "
                             "`batch_shape` argument.")
        if dtype is not None and as_dtype(getattr(dtype, "name", dtype)).name != tensor.dtype:
            raise ValueError("When providing the `input_tensor` argument, you cannot provide an incompatible "
                             "`dtype` argument.")
        if sparse is not None and bool(sparse) != tensor.sparse:
            raise ValueError("When providing the `input_tensor` argument, you cannot provide an incompatible "
                             "`sparse` argument.")
        return tensor.shape, tensor.dtype, tensor.sparse

    @property
    def dtype(self) -> str:
        return self._input_dtype

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    def call(self) -> None:
        return None

    def get_build_config(self) -> None:
        return None  # Keras writes no build config for input layers

    def get_config(self) -> dict:
        return {"batch_shape": self.batch_shape, "dtype": self.dtype, "sparse": self.sparse, "ragged": self.ragged,
                "name": self.name, "optional": self.optional}


def Input(shape: Any = None, batch_size: int | None = None, dtype: Any = None, sparse: bool | None = None,
          ragged: bool | None = None, batch_shape: Any = None, name: str | None = None, tensor: Any = None,
          optional: bool = False) -> KerasTensor:
    """Creates a symbolic input tensor (a KerasTensor) of a functional model.

    Args:
        shape: the shape of one sample, without the batch dimension (``None`` for unknown sizes).
        batch_size: an optional fixed batch size.
        dtype: the expected dtype (default ``floatx()``).
        sparse, ragged: recorded for Keras compatibility.
        batch_shape: the full shape, batch dimension included.
        name: the input layer's name.
        tensor: an existing KerasTensor to wrap.
        optional: whether ``None`` may be passed for this input.

    Returns:
        The KerasTensor produced by a new ``InputLayer``.
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse, ragged=ragged,
                       batch_shape=batch_shape, name=name, input_tensor=tensor, optional=optional)
    return layer.output
