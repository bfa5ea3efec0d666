"""``keras.constraints``: projections applied to a weight after each optimizer update (Keras 3 semantics)."""
from __future__ import annotations

from typing import Any

from .. import cast, clip_by_value, maximum, reduce_sum, sqrt, square
from .._core.tensor import Tensor, convert_to_tensor
from .utils.object_identifiers import deserialize_object, get_object, serialize_object

__all__ = ["Constraint", "MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm", "max_norm", "non_neg", "unit_norm",
           "min_max_norm", "get", "serialize", "deserialize"]


def _epsilon() -> float:
    from .backend import epsilon

    return epsilon()


def _norms(w: Tensor, axis: Any) -> Tensor:
    return sqrt(reduce_sum(square(w), axis=axis, keepdims=True))


class Constraint:
    """Base class: a constraint maps a weight tensor to its projected value (identity here)."""

    def __call__(self, w: Any) -> Any:
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Constraint:
        return cls(**config)


class MaxNorm(Constraint):
    """Rescales slices along ``axis`` whose L2 norm exceeds ``max_value``."""

    def __init__(self, max_value: float = 2, axis: Any = 0) -> None:
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w: Any) -> Tensor:
        w = convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = clip_by_value(norms, cast(0, norms.dtype), cast(self.max_value, norms.dtype))
        return w * (desired / (_epsilon() + norms))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Replaces negative entries with 0."""

    def __call__(self, w: Any) -> Tensor:
        w = convert_to_tensor(w)
        return maximum(w, cast(0, w.dtype))


class UnitNorm(Constraint):
    """Rescales slices along ``axis`` to unit L2 norm."""

    def __init__(self, axis: Any = 0) -> None:
        self.axis = axis

    def __call__(self, w: Any) -> Tensor:
        w = convert_to_tensor(w)
        return w / (_epsilon() + _norms(w, self.axis))

    def get_config(self) -> dict:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves the L2 norm of slices along ``axis`` into ``[min_value, max_value]``; ``rate`` < 1 moves it only
    part of the way."""

    def __init__(self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0, axis: Any = 0) -> None:
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w: Any) -> Tensor:
        w = convert_to_tensor(w)
        norms = _norms(w, self.axis)
        clipped = clip_by_value(norms, cast(self.min_value, norms.dtype), cast(self.max_value, norms.dtype))
        desired = self.rate * clipped + (1 - self.rate) * norms
        return w * (desired / (_epsilon() + norms))

    def get_config(self) -> dict:
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm

_OBJECTS = {"Constraint": Constraint, "MaxNorm": MaxNorm, "NonNeg": NonNeg, "UnitNorm": UnitNorm,
            "MinMaxNorm": MinMaxNorm, "constraint": Constraint, "max_norm": MaxNorm, "non_neg": NonNeg,
            "unit_norm": UnitNorm, "min_max_norm": MinMaxNorm}


def serialize(constraint: Any) -> Any:
    """Keras 3's config dict of ``constraint``."""
    return serialize_object(constraint, __name__)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """Rebuilds a constraint from ``serialize`` output or a name."""
    return deserialize_object(config, _OBJECTS, "constraint", custom_objects)


def get(identifier: Any) -> Any:
    """A constraint from a name, a config dict, a class, an instance or a callable; ``None`` gives ``None``.

    Raises:
        ValueError: when ``identifier`` is none of these.
    """
    if identifier is None:
        return None
    return get_object(identifier, deserialize, "constraint")
