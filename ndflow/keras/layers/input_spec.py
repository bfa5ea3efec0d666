"""``InputSpec``: the rank, shape and dtype a layer accepts, checked on every call (Keras 3 messages)."""
from __future__ import annotations

from typing import Any

from ..._core import nest

__all__ = ["InputSpec", "assert_input_compatibility"]


class InputSpec:
    """Constraints on one input of a layer.

    Args:
        dtype: required dtype name.
        shape: required shape (``None`` entries match anything).
        ndim, max_ndim, min_ndim: rank constraints.
        axes: ``{axis: size}`` for axes that must have a given size.
        allow_last_axis_squeeze: accept a missing or extra trailing axis of size 1.
        name: the input's name in messages.
        optional: the input may be ``None``.
    """

    def __init__(self, dtype: Any = None, shape: Any = None, ndim: int | None = None, max_ndim: int | None = None,
                 min_ndim: int | None = None, axes: dict | None = None, allow_last_axis_squeeze: bool = False,
                 name: str | None = None, optional: bool = False) -> None:
        self.dtype = getattr(dtype, "name", dtype)
        self.shape = tuple(shape) if shape is not None else None
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_dim = (self.ndim if self.ndim is not None else self.max_ndim) - 1
            if max(self.axes) > max_dim:
                raise ValueError(f"Axis {max(self.axes)} is greater than the maximum allowed value: {max_dim}")

    def __repr__(self) -> str:
        parts = [f"{k}={v}" for k, v in (("dtype", self.dtype), ("shape", self.shape), ("ndim", self.ndim),
                                         ("max_ndim", self.max_ndim), ("min_ndim", self.min_ndim),
                                         ("axes", self.axes or None)) if v is not None]
        return f"InputSpec({', '.join(parts)})"

    def get_config(self) -> dict:
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim, "max_ndim": self.max_ndim,
                "min_ndim": self.min_ndim, "axes": self.axes, "optional": self.optional}

    @classmethod
    def from_config(cls, config: dict) -> InputSpec:
        return cls(**config)


def assert_input_compatibility(input_spec: Any, inputs: Any, layer_name: str) -> None:
    """Checks ``inputs`` against one spec or a list of specs.

    Raises:
        ValueError: a rank, axis size, shape or dtype that the spec rejects (Keras's message).
    """
    specs = nest.flatten(input_spec)
    if isinstance(inputs, dict):  # a dict of inputs is matched to the specs by name
        names = [getattr(spec, "name", None) for spec in specs]
        if all(names) and set(names) <= set(inputs):
            inputs = [inputs[name] for name in names]
    flat = nest.flatten(inputs) if isinstance(inputs, (list, tuple, dict)) else [inputs]
    if len(flat) != len(specs):
        raise ValueError(f'Layer "{layer_name}" expects {len(specs)} input(s), but it received {len(flat)} '
                         f"input tensors. Inputs received: {inputs}")
    for index, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None or (x is None and spec.optional) or not hasattr(x, "shape"):
            continue
        shape = tuple(x.shape)
        where = f"Input {index} with name '{spec.name}' of layer '{layer_name}' is incompatible with the layer:"
        ndim = len(shape)
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
            raise ValueError(f"{where} expected ndim={spec.ndim}, found ndim={ndim}. Full shape received: {shape}")
        if spec.max_ndim is not None and ndim > spec.max_ndim:
            raise ValueError(f"{where} expected max_ndim={spec.max_ndim}, found ndim={ndim}")
        if spec.min_ndim is not None and ndim < spec.min_ndim:
            raise ValueError(f"{where} expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
                             f"Full shape received: {shape}")
        dtype = getattr(x.dtype, "name", x.dtype)
        if spec.dtype is not None and dtype != spec.dtype:
            raise ValueError(f"{where} expected dtype={spec.dtype}, found dtype={dtype}")
        for axis, size in spec.axes.items():
            if size is None:
                continue
            if not -ndim <= axis < ndim or shape[axis] not in (size, None):
                raise ValueError(f"{where} expected axis {axis} of input shape to have value {size}, but received "
                                 f"input with shape {shape}")
        if spec.shape is not None:
            for got, want in zip(shape, spec.shape):
                if want is not None and got is not None and got != want:
                    raise ValueError(f"{where} expected shape={spec.shape}, found shape={shape}")
