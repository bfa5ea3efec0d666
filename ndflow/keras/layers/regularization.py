"""Keras regularization layers: ``Dropout``, ``SpatialDropout1D/2D/3D``, ``AlphaDropout``, ``GaussianNoise``,
``GaussianDropout`` and ``ActivityRegularization``.

The noise layers change their input only when called with ``training=True``; otherwise they return it as is.
A ``seed`` makes a layer's sequence of noise draws reproducible (ndflow's random streams, not TensorFlow's).
"""
from __future__ import annotations

import math
from typing import Any

import ndflow as tf

from .. import random as keras_random
from .. import regularizers
from ..backend import standardize_data_format
from .input_spec import InputSpec
from .layer import Layer

__all__ = ["Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout", "GaussianNoise",
           "GaussianDropout", "ActivityRegularization"]


def _check_rate(rate: Any, argument: str = "rate") -> None:
    if not 0 <= rate <= 1:
        raise ValueError(f"Invalid value received for argument `{argument}`. Expected a float value between 0 and "
                         f"1. Received: {argument}={rate}")


def _validate_noise_shape(noise_shape: Any) -> tuple | None:
    if noise_shape is None:
        return None
    prefix = "Invalid value received for argument `noise_shape`."
    if isinstance(noise_shape, str):
        raise ValueError(f"{prefix} Expected a tuple or list of integers. Received: noise_shape={noise_shape}")
    try:
        noise_shape = tuple(noise_shape)
    except TypeError:
        raise ValueError(f"{prefix} Expected an iterable of integers (e.g., a tuple or list). Received: "
                         f"noise_shape={noise_shape}") from None
    for i, dim in enumerate(noise_shape):
        if dim is None:
            continue
        if not isinstance(dim, int):
            raise ValueError(f"{prefix} Expected all elements to be integers or None. Received element at index "
                             f"{i}: {dim} (type: {type(dim).__name__})")
        if dim <= 0:
            raise ValueError(f"{prefix} Expected all dimensions to be positive integers or None. Received negative "
                             f"or zero value at index {i}: {dim}")
    return noise_shape


def _concrete_noise_shape(inputs: Any, noise_shape: tuple | None) -> Any:
    """``noise_shape`` with its ``None`` entries taken from ``inputs`` (the input's shape when ``None``)."""
    static = tuple(inputs.shape)
    if noise_shape is None:
        return static if None not in static else tf.shape(inputs)
    dynamic = tf.shape(inputs) if None in static else None
    return [value if value is not None else static[i] if static[i] is not None else dynamic[i]
            for i, value in enumerate(noise_shape)]


class Dropout(Layer):
    """Zeroes input units with probability ``rate`` during training, scaling the rest by ``1 / (1 - rate)``.

    Args:
        rate: fraction of units to drop, in ``[0, 1]``.
        noise_shape: shape of the keep/drop mask, broadcast against the input (``None`` entries follow the
            input), e.g. ``(batch, 1, features)`` to drop the same features at every timestep.
        seed: makes the layer's mask sequence reproducible.

    Raises:
        ValueError: ``rate`` outside ``[0, 1]`` or an invalid ``noise_shape``.
    """

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        _check_rate(rate)
        self.rate = rate
        self.seed = seed
        self.noise_shape = _validate_noise_shape(noise_shape)
        if rate > 0:
            self.seed_generator = keras_random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any, training: Any = False) -> Any:
        if training and self.rate > 0:
            return self._drop(inputs, _concrete_noise_shape(inputs, self.noise_shape))
        return inputs

    def _drop(self, inputs: Any, noise_shape: Any) -> Any:
        if self.rate >= 1:
            return tf.zeros_like(inputs)
        return keras_random.dropout(inputs, self.rate, noise_shape=noise_shape, seed=self.seed_generator)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape}


class _SpatialDropout(Dropout):
    """Dropout of whole feature maps: one keep/drop decision per (sample, channel)."""

    _rank = 0

    def __init__(self, rate: float, data_format: str | None = None, seed: int | None = None,
                 name: str | None = None, dtype: Any = None) -> None:
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self._rank + 2)

    def call(self, inputs: Any, training: Any = False) -> Any:
        if training and self.rate > 0:
            return self._drop(inputs, self._noise_shape(inputs))
        return inputs

    def _noise_shape(self, inputs: Any) -> list:
        static = tuple(inputs.shape)
        dynamic = tf.shape(inputs) if None in static else None
        dims = [static[i] if static[i] is not None else dynamic[i] for i in range(len(static))]
        ones = [1] * self._rank
        if self.data_format == "channels_first":
            return [dims[0], dims[1], *ones]
        return [dims[0], *ones, dims[-1]]

    def get_config(self) -> dict:
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype,
                "data_format": self.data_format}


class SpatialDropout1D(_SpatialDropout):
    """Drops entire 1D feature maps: inputs ``(batch, steps, channels)``, one decision per channel.

    Args:
        rate: fraction of channels to drop.
        seed: makes the mask sequence reproducible.
    """

    _rank = 1

    def __init__(self, rate: float, seed: int | None = None, name: str | None = None, dtype: Any = None) -> None:
        super().__init__(rate, data_format="channels_last", seed=seed, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}


class SpatialDropout2D(_SpatialDropout):
    """Drops entire 2D feature maps of ``(batch, rows, cols, channels)`` inputs (or channels-first).

    Args:
        rate: fraction of channels to drop.
        data_format: ``channels_last`` or ``channels_first`` (default ``image_data_format()``).
        seed: makes the mask sequence reproducible.
    """

    _rank = 2


class SpatialDropout3D(_SpatialDropout):
    """Drops entire 3D feature maps of ``(batch, d1, d2, d3, channels)`` inputs (or channels-first).

    Args:
        rate: fraction of channels to drop.
        data_format: ``channels_last`` or ``channels_first`` (default ``image_data_format()``).
        seed: makes the mask sequence reproducible.
    """

    _rank = 3


_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


class AlphaDropout(Layer):
    """Dropout that keeps the mean and variance of its inputs (for self-normalizing ``selu`` networks).

    Dropped units are set to SELU's negative saturation value, then an affine transform restores the
    statistics.

    Args:
        rate: fraction of units to drop, in ``[0, 1]``.
        noise_shape: shape of the keep/drop mask (``None`` entries follow the input).
        seed: makes the mask sequence reproducible.
    """

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        _check_rate(rate)
        self.rate = rate
        self.seed = seed
        self.noise_shape = noise_shape
        if rate > 0:
            self.seed_generator = keras_random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any, training: Any = False) -> Any:
        if not (training and self.rate > 0):
            return inputs
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        noise = keras_random.uniform(_concrete_noise_shape(inputs, self.noise_shape), dtype=inputs.dtype,
                                     seed=self.seed_generator)
        kept = tf.cast(tf.greater_equal(noise, self.rate), inputs.dtype)
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        return a * (inputs * kept + alpha_p * (1 - kept)) + b

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape}


class GaussianNoise(Layer):
    """Adds zero-centred Gaussian noise of standard deviation ``stddev`` during training.

    Raises:
        ValueError: ``stddev`` outside ``[0, 1]`` (as Keras).
    """

    def __init__(self, stddev: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        _check_rate(stddev, "stddev")
        self.stddev = stddev
        self.seed = seed
        if stddev > 0:
            self.seed_generator = keras_random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any, training: Any = False) -> Any:
        if training and self.stddev > 0:
            noise = keras_random.normal(_concrete_noise_shape(inputs, None), mean=0.0, stddev=self.stddev,
                                        dtype=self.compute_dtype, seed=self.seed_generator)
            return inputs + noise
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


class GaussianDropout(Layer):
    """Multiplies inputs by Gaussian noise of mean 1 and variance ``rate / (1 - rate)`` during training.

    Raises:
        ValueError: ``rate`` outside ``[0, 1]``.
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        _check_rate(rate)
        self.rate = rate
        self.seed = seed
        if rate > 0:
            self.seed_generator = keras_random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any, training: Any = False) -> Any:
        if training and self.rate > 0:
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            noise = keras_random.normal(_concrete_noise_shape(inputs, None), mean=1.0, stddev=stddev,
                                        dtype=self.compute_dtype, seed=self.seed_generator)
            return inputs * noise
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


class ActivityRegularization(Layer):
    """Returns its input unchanged and adds ``l1 * sum(|x|) + l2 * sum(x**2)`` of it to ``losses``."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs: Any) -> None:
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2
        self.built = True

    def call(self, inputs: Any) -> Any:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
