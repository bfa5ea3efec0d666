"""``keras.initializers``: how layer weights get their first values (Keras 3 semantics).

A random initializer seeded with an int, or left unseeded, draws its seed once at construction, so every call
returns the same values; seed it with a ``keras.random.SeedGenerator`` to get new values on each call.
Unseeded initializers take their seed from Python's ``random`` module, which ``keras.utils.set_random_seed``
seeds, so whole programs stay reproducible.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import cast, eye, linalg, reshape, sign, transpose
from .. import ones as _ones
from .. import zeros as _zeros
from .._core.dtypes import as_dtype
from .._core.tensor import Tensor, convert_to_tensor, is_tensor
from . import random as keras_random
from .utils.object_identifiers import deserialize_object, get_object, serialize_object

__all__ = [
    "Initializer", "Constant", "Zeros", "Ones", "Identity", "RandomNormal", "RandomUniform", "TruncatedNormal",
    "VarianceScaling", "GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform", "LecunNormal",
    "Orthogonal", "IdentityInitializer", "OrthogonalInitializer", "constant", "zeros", "ones", "identity",
    "random_normal", "random_uniform", "truncated_normal", "variance_scaling", "glorot_uniform", "glorot_normal",
    "he_uniform", "he_normal", "lecun_uniform", "lecun_normal", "orthogonal", "get", "serialize", "deserialize",
]

# The standard deviation of a unit normal truncated to [-2, 2]: dividing by it keeps the variance requested.
_TRUNCATED_NORMAL_STDDEV = 0.87962566103423978


def _dtype(dtype: Any) -> Any:
    if dtype is None:
        from .backend import floatx

        return as_dtype(floatx())
    return as_dtype(dtype)


def _shape(shape: Any) -> tuple:
    return tuple(int(d) for d in shape)


class Initializer:
    """Base class: subclasses implement ``__call__(shape, dtype=None)`` returning a tensor."""

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        raise NotImplementedError("Initializer subclasses must implement the `__call__()` method.")

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        return cls(**config)

    def clone(self) -> Initializer:
        return type(self).from_config(self.get_config())


class Constant(Initializer):
    """Fills the tensor with ``value``."""

    def __init__(self, value: Any = 0.0) -> None:
        self.value = value

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        dtype = _dtype(dtype)
        return cast(self.value, dtype) * _ones(_shape(shape), dtype=dtype)

    def get_config(self) -> dict:
        value = self.value
        if is_tensor(value) or isinstance(value, (np.ndarray, np.generic)):
            array = np.asarray(value)
            kind = "__tensor__" if is_tensor(value) else "__numpy__"
            value = {"class_name": kind, "config": {"value": array.tolist(), "dtype": array.dtype.name}}
        return {"value": value}

    @classmethod
    def from_config(cls, config: dict) -> Constant:
        value = config["value"]
        if isinstance(value, dict) and value.get("class_name") in ("__tensor__", "__numpy__"):
            array = np.asarray(value["config"]["value"], dtype=value["config"]["dtype"])
            value = convert_to_tensor(array) if value["class_name"] == "__tensor__" else array
        return cls(value)


class Zeros(Initializer):
    """Fills the tensor with 0."""

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        return _zeros(_shape(shape), dtype=_dtype(dtype))


class Ones(Initializer):
    """Fills the tensor with 1."""

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        return _ones(_shape(shape), dtype=_dtype(dtype))


class Identity(Initializer):
    """``gain`` times the identity matrix (2-D shapes only)."""

    def __init__(self, gain: float = 1.0) -> None:
        self.gain = gain

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        shape = _shape(shape)
        if len(shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        dtype = _dtype(dtype)
        return cast(self.gain, dtype) * eye(shape[0], shape[1], dtype=dtype)

    def get_config(self) -> dict:
        return {"gain": self.gain}


class RandomInitializer(Initializer):
    """Base of the random initializers: resolves ``seed`` once, at construction.

    Raises:
        ValueError: when ``seed`` is neither ``None``, an int, a ``SeedGenerator`` nor its config.
    """

    def __init__(self, seed: Any = None) -> None:
        self._init_seed = seed
        if seed is None:
            seed = keras_random.make_default_seed()
        elif isinstance(seed, dict):
            seed = keras_random.SeedGenerator.from_config(seed.get("config", seed))
        elif isinstance(seed, bool) or not isinstance(seed, (int, np.integer, keras_random.SeedGenerator)):
            raise ValueError("`seed` argument should be an instance of `keras.random.SeedGenerator()` or an "
                             f"integer. Received: seed={seed}")
        self.seed = seed

    def get_config(self) -> dict:
        seed = self._init_seed
        if isinstance(seed, keras_random.SeedGenerator):
            seed = {"module": "keras.random", "class_name": "SeedGenerator", "config": seed.get_config(),
                    "registered_name": None}
        return {"seed": seed}


class RandomNormal(RandomInitializer):
    """Samples from N(``mean``, ``stddev``²)."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None) -> None:
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        return keras_random.normal(shape, mean=self.mean, stddev=self.stddev, seed=self.seed, dtype=dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Samples from N(``mean``, ``stddev``²), redrawing values more than two ``stddev`` from ``mean``."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None) -> None:
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        return keras_random.truncated_normal(shape, mean=self.mean, stddev=self.stddev, seed=self.seed, dtype=dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Samples uniformly from ``[minval, maxval)``."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: Any = None) -> None:
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        return keras_random.uniform(shape, minval=self.minval, maxval=self.maxval, seed=self.seed, dtype=dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


def compute_fans(shape: Any, input_axes: Any = None, output_axes: Any = None) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight shape.

    Dense kernels ``(in, out)`` give ``(in, out)``; convolution kernels ``(*spatial, in, out)`` multiply both
    by the receptive field size. ``input_axes`` / ``output_axes`` pick the axes explicitly.
    """
    shape = _shape(shape)
    if input_axes is not None and output_axes is not None:
        return (int(np.prod([shape[a] for a in input_axes])), int(np.prod([shape[a] for a in output_axes])))
    if not shape:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class VarianceScaling(RandomInitializer):
    """Samples with a variance of ``scale / n``, ``n`` being the fan-in, fan-out or their mean (``mode``).

    Args:
        scale: positive scaling factor.
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``.
        distribution: ``"truncated_normal"`` (alias ``"normal"``), ``"untruncated_normal"`` or ``"uniform"``.
        seed: int, ``SeedGenerator`` or ``None``.
        input_axes, output_axes: axes whose sizes make up the fans (default: Keras's kernel convention).

    Raises:
        ValueError: for a non-positive scale, an unknown mode or distribution.
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal",
                 seed: Any = None, input_axes: Any = None, output_axes: Any = None) -> None:
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        modes = {"fan_in", "fan_out", "fan_avg"}
        if mode not in modes:
            raise ValueError(f"Invalid `mode` argument: {mode}. Please use one of {modes}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        distributions = {"uniform", "truncated_normal", "untruncated_normal"}
        if distribution not in distributions:
            raise ValueError(f"Invalid `distribution` argument: {distribution}.Please use one of {distributions}")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, fan)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / _TRUNCATED_NORMAL_STDDEV
            return keras_random.truncated_normal(shape, stddev=stddev, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return keras_random.normal(shape, stddev=math.sqrt(variance), dtype=dtype, seed=self.seed)
        limit = math.sqrt(3.0 * variance)
        return keras_random.uniform(shape, minval=-limit, maxval=limit, dtype=dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "input_axes": self.input_axes, "output_axes": self.output_axes}


class _FixedVarianceScaling(VarianceScaling):
    """A ``VarianceScaling`` whose scale, mode and distribution are fixed by the subclass."""

    _scale = 1.0
    _mode = "fan_in"
    _distribution = "truncated_normal"

    def __init__(self, seed: Any = None, input_axes: Any = None, output_axes: Any = None) -> None:
        super().__init__(scale=self._scale, mode=self._mode, distribution=self._distribution, seed=seed,
                         input_axes=input_axes, output_axes=output_axes)

    def get_config(self) -> dict:
        return {"seed": RandomInitializer.get_config(self)["seed"], "input_axes": self.input_axes,
                "output_axes": self.output_axes}


class GlorotUniform(_FixedVarianceScaling):
    """Uniform in ``[-limit, limit]`` with ``limit = sqrt(6 / (fan_in + fan_out))``."""

    _mode, _distribution = "fan_avg", "uniform"


class GlorotNormal(_FixedVarianceScaling):
    """Truncated normal with ``stddev = sqrt(2 / (fan_in + fan_out))``."""

    _mode = "fan_avg"


class HeUniform(_FixedVarianceScaling):
    """Uniform in ``[-limit, limit]`` with ``limit = sqrt(6 / fan_in)``."""

    _scale, _distribution = 2.0, "uniform"


class HeNormal(_FixedVarianceScaling):
    """Truncated normal with ``stddev = sqrt(2 / fan_in)``."""

    _scale = 2.0


class LecunUniform(_FixedVarianceScaling):
    """Uniform in ``[-limit, limit]`` with ``limit = sqrt(3 / fan_in)``."""

    _distribution = "uniform"


class LecunNormal(_FixedVarianceScaling):
    """Truncated normal with ``stddev = sqrt(1 / fan_in)``."""


class Orthogonal(RandomInitializer):
    """A (semi-)orthogonal matrix times ``gain``; shapes of rank > 2 are flattened to ``(prod(shape[:-1]),
    shape[-1])``."""

    def __init__(self, gain: float = 1.0, seed: Any = None) -> None:
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        shape = _shape(shape)
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        num_rows, num_cols = int(np.prod(shape[:-1])), shape[-1]
        flat_shape = (max(num_rows, num_cols), min(num_rows, num_cols))
        dtype = _dtype(dtype)
        q, r = linalg.qr(keras_random.normal(flat_shape, seed=self.seed, dtype=dtype))
        q = q * sign(linalg.diag_part(r))
        if num_rows < num_cols:
            q = transpose(q)
        return cast(self.gain, dtype) * reshape(q, shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "gain": self.gain}


IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal
constant = Constant
zeros = Zeros
ones = Ones
identity = Identity
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
he_uniform = HeUniform
he_normal = HeNormal
lecun_uniform = LecunUniform
lecun_normal = LecunNormal
orthogonal = Orthogonal

_CLASSES = (Initializer, Constant, Zeros, Ones, Identity, RandomNormal, RandomUniform, TruncatedNormal,
            VarianceScaling, GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, Orthogonal)


def _snake_case(name: str) -> str:
    import re

    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


_OBJECTS = {cls.__name__: cls for cls in _CLASSES}
_OBJECTS.update({_snake_case(cls.__name__): cls for cls in _CLASSES})
_OBJECTS.update({"IdentityInitializer": Identity, "OrthogonalInitializer": Orthogonal, "normal": RandomNormal,
                 "uniform": RandomUniform, "one": Ones, "zero": Zeros})


def serialize(initializer: Any) -> Any:
    """Keras 3's config dict of ``initializer`` (``module``, ``class_name``, ``config``, ``registered_name``)."""
    return serialize_object(initializer, __name__)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """Rebuilds an initializer from ``serialize`` output or a name."""
    return deserialize_object(config, _OBJECTS, "initializer", custom_objects)


def get(identifier: Any) -> Any:
    """An initializer from a name, a config dict, a class, an instance, a callable, or a tensor / array
    (used as the value itself); ``None`` gives ``None``.

    Raises:
        ValueError: when ``identifier`` is none of these.
    """
    if identifier is None:
        return None
    if is_tensor(identifier) or isinstance(identifier, (np.ndarray, np.generic)):
        return _value_initializer(identifier)
    return get_object(identifier, deserialize, "initializer")


def _value_initializer(value: Any) -> Any:
    def initialize(shape: Any, dtype: Any = None) -> Tensor:
        if _shape(shape) != tuple(value.shape):
            raise ValueError(f"Expected `shape` to be {tuple(value.shape)} for direct tensor as initializer. "
                             f"Received shape={shape}")
        return cast(convert_to_tensor(value), _dtype(dtype))

    return initialize
