"""``keras.regularizers``: weight penalties added to a layer's losses (Keras 3 semantics)."""
from __future__ import annotations

import math
from typing import Any

from .. import cast, eye, matmul, reduce_sum, square, transpose
from .._core.tensor import Tensor, convert_to_tensor
from .utils.numerical_utils import normalize_tensor
from .utils.object_identifiers import deserialize_object, get_object, serialize_object

__all__ = ["Regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer", "l1", "l2", "l1_l2",
           "orthogonal_regularizer", "get", "serialize", "deserialize"]


def _non_negative_float(value: Any, name: str) -> float:
    if (isinstance(value, bool) or not isinstance(value, (float, int)) or math.isinf(value) or math.isnan(value)
            or value < 0):
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float.Received: {name}={value}")
    return float(value)


def _float32(value: float) -> float:
    """``value`` rounded to float32 (Keras keeps some factors as float32 tensors, which shows in configs)."""
    import numpy as np

    return float(np.float32(value))


class Regularizer:
    """Base class: a regularizer maps a weight tensor to a scalar penalty."""

    def __call__(self, x: Any) -> Any:
        return 0.0

    def get_config(self) -> dict:
        raise NotImplementedError(f"{self} does not implement get_config()")

    @classmethod
    def from_config(cls, config: dict) -> Regularizer:
        return cls(**config)


class L1L2(Regularizer):
    """``l1 * sum(|x|) + l2 * sum(x²)``.

    Raises:
        ValueError: for a negative, infinite or NaN factor.
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = _non_negative_float(0.0 if l1 is None else l1, "l1")
        self.l2 = _non_negative_float(0.0 if l2 is None else l2, "l2")

    def __call__(self, x: Any) -> Tensor:
        x = convert_to_tensor(x)
        penalty = cast(0.0, x.dtype)
        if self.l1 != 0.0:
            penalty = penalty + cast(self.l1, x.dtype) * reduce_sum(abs(x))
        if self.l2 != 0.0:
            penalty = penalty + cast(self.l2, x.dtype) * reduce_sum(square(x))
        return penalty

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """``l1 * sum(|x|)``."""

    def __init__(self, l1: float = 0.01) -> None:
        self.l1 = _float32(_non_negative_float(0.01 if l1 is None else l1, "l1"))

    def __call__(self, x: Any) -> Tensor:
        x = convert_to_tensor(x)
        return cast(self.l1, x.dtype) * reduce_sum(abs(x))

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(Regularizer):
    """``l2 * sum(x²)``."""

    def __init__(self, l2: float = 0.01) -> None:
        self.l2 = _non_negative_float(0.01 if l2 is None else l2, "l2")

    def __call__(self, x: Any) -> Tensor:
        x = convert_to_tensor(x)
        return cast(self.l2, x.dtype) * reduce_sum(square(x))

    def get_config(self) -> dict:
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Penalises non-orthogonality of the rows (or columns) of a 2-D weight: ``factor`` times the mean absolute
    cosine similarity between distinct pairs, halved.

    Raises:
        ValueError: for a bad ``factor`` or ``mode``, or (on call) a weight that is not 2-D.
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows") -> None:
        self.factor = _float32(_non_negative_float(factor, "factor"))
        if mode not in {"rows", "columns"}:
            raise ValueError('Invalid value for argument `mode`. Expected one of {"rows", "columns"}. '
                             f"Received: mode={mode}")
        self.mode = mode

    def __call__(self, inputs: Any) -> Tensor:
        inputs = convert_to_tensor(inputs)
        if len(inputs.shape) != 2:
            raise ValueError(f"Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape={inputs.shape}")
        if self.mode == "rows":
            inputs = normalize_tensor(inputs, axis=1)
            product = matmul(inputs, transpose(inputs))
            size = inputs.shape[0]
        else:
            inputs = normalize_tensor(inputs, axis=0)
            product = matmul(transpose(inputs), inputs)
            size = inputs.shape[1]
        off_diagonal = product * (1.0 - eye(size, dtype=inputs.dtype))
        num_pairs = size * (size - 1.0) / 2.0
        return cast(self.factor, inputs.dtype) * 0.5 * reduce_sum(abs(off_diagonal)) / num_pairs

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}


l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

_OBJECTS = {"Regularizer": Regularizer, "L1": L1, "L2": L2, "L1L2": L1L2,
            "OrthogonalRegularizer": OrthogonalRegularizer, "regularizer": Regularizer, "l1": L1, "l2": L2,
            "l1l2": L1L2, "orthogonal_regularizer": OrthogonalRegularizer}


def serialize(regularizer: Any) -> Any:
    """Keras 3's config dict of ``regularizer``."""
    return serialize_object(regularizer, __name__)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """Rebuilds a regularizer from ``serialize`` output or a name."""
    return deserialize_object(config, _OBJECTS, "regularizer", custom_objects)


def get(identifier: Any) -> Any:
    """A regularizer from a name, a config dict, a class, an instance or a callable; ``None`` gives ``None``.

    Raises:
        ValueError: when ``identifier`` is none of these.
    """
    if identifier is None:
        return None
    return get_object(identifier, deserialize, "regularizer")
