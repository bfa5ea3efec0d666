"""TF1 initializers: callables ``init(shape, dtype=None, partition_info=None)`` returning tensors."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..._core import dtypes
from ..._core.ops import array_ops, random_ops
from ..._core.tensor import convert_to_tensor

__all__ = ["Initializer", "zeros_initializer", "ones_initializer", "constant_initializer",
           "random_normal_initializer", "truncated_normal_initializer", "random_uniform_initializer",
           "glorot_uniform_initializer", "glorot_normal_initializer", "variance_scaling_initializer",
           "orthogonal_initializer", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform"]


class Initializer:
    """Base class: ``__call__(shape, dtype=None, partition_info=None)``."""

    dtype: Any = dtypes.float32

    def _dtype(self, dtype: Any) -> dtypes.DType:
        return dtypes.as_dtype(dtype if dtype is not None else self.dtype)

    def get_config(self) -> dict:
        return {}


class zeros_initializer(Initializer):  # noqa: N801 - TF's public name
    def __init__(self, dtype: Any = dtypes.float32) -> None:
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
        return array_ops.zeros(shape, self._dtype(dtype))


class ones_initializer(zeros_initializer):  # noqa: N801
    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
        return array_ops.ones(shape, self._dtype(dtype))


class constant_initializer(Initializer):  # noqa: N801
    """Fills with ``value`` (a scalar, or a list with exactly as many elements as the shape)."""

    def __init__(self, value: Any = 0, dtype: Any = dtypes.float32, verify_shape: bool = False) -> None:
        self.value = value
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
        dtype = self._dtype(dtype)
        arr = np.asarray(self.value, dtype=dtype.as_numpy_dtype)
        shape = [int(d) for d in shape]
        if arr.size == 1:
            return array_ops.fill(shape, convert_to_tensor(arr.reshape(()), dtype))
        if arr.size != int(np.prod(shape)):
            raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor {arr} has "
                            f"{arr.size} elements, but got `shape` {tuple(shape)}")
        return convert_to_tensor(arr.reshape(shape), dtype)


class random_normal_initializer(Initializer):  # noqa: N801
    def __init__(self, mean: float = 0.0, stddev: float = 1.0, seed: Any = None, dtype: Any = dtypes.float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
        return random_ops.normal(shape, self.mean, self.stddev, self._dtype(dtype), seed=self.seed)


class truncated_normal_initializer(random_normal_initializer):  # noqa: N801
    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
        return random_ops.truncated_normal(shape, self.mean, self.stddev, self._dtype(dtype), seed=self.seed)


class random_uniform_initializer(Initializer):  # noqa: N801
    def __init__(self, minval: float = 0.0, maxval: float | None = None, seed: Any = None,
                 dtype: Any = dtypes.float32) -> None:
        self.minval, self.maxval, self.seed, self.dtype = minval, maxval, seed, dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
        dtype = self._dtype(dtype)
        maxval = self.maxval if self.maxval is not None else (1.0 if dtype.is_floating else None)
        return random_ops.uniform(shape, self.minval, maxval, dtype, seed=self.seed)


def _fans(shape: list) -> tuple[float, float]:
    if len(shape) < 1:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    receptive = float(np.prod(shape[:-2])) if len(shape) > 2 else 1.0
    return shape[-2] * receptive, shape[-1] * receptive


class variance_scaling_initializer(Initializer):  # noqa: N801
    """Samples with variance ``scale / n`` (n = fan_in, fan_out or their mean)."""

    def __init__(self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal",
                 seed: Any = None, dtype: Any = dtypes.float32) -> None:
        if scale <= 0.0:
            raise ValueError("`scale` must be positive float.")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` argument: {mode}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError(f"Invalid `distribution` argument: {distribution}")
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.seed, self.dtype = seed, dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
        dtype = self._dtype(dtype)
        shape = [int(d) for d in shape]
        fan_in, fan_out = _fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / 0.87962566103423978
            return random_ops.truncated_normal(shape, 0.0, stddev, dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random_ops.normal(shape, 0.0, math.sqrt(variance), dtype, seed=self.seed)
        limit = math.sqrt(3.0 * variance)
        return random_ops.uniform(shape, -limit, limit, dtype, seed=self.seed)


def glorot_uniform_initializer(seed: Any = None, dtype: Any = dtypes.float32) -> variance_scaling_initializer:
    return variance_scaling_initializer(1.0, "fan_avg", "uniform", seed, dtype)


def glorot_normal_initializer(seed: Any = None, dtype: Any = dtypes.float32) -> variance_scaling_initializer:
    return variance_scaling_initializer(1.0, "fan_avg", "truncated_normal", seed, dtype)


def he_normal(seed: Any = None) -> variance_scaling_initializer:
    return variance_scaling_initializer(2.0, "fan_in", "truncated_normal", seed)


def he_uniform(seed: Any = None) -> variance_scaling_initializer:
    return variance_scaling_initializer(2.0, "fan_in", "uniform", seed)


def lecun_normal(seed: Any = None) -> variance_scaling_initializer:
    return variance_scaling_initializer(1.0, "fan_in", "truncated_normal", seed)


def lecun_uniform(seed: Any = None) -> variance_scaling_initializer:
    return variance_scaling_initializer(1.0, "fan_in", "uniform", seed)


class orthogonal_initializer(Initializer):  # noqa: N801
    """A (semi-)orthogonal matrix from the QR decomposition of a Gaussian sample, times ``gain``."""

    def __init__(self, gain: float = 1.0, seed: Any = None, dtype: Any = dtypes.float32) -> None:
        self.gain, self.seed, self.dtype = gain, seed, dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
        dtype = self._dtype(dtype)
        shape = [int(d) for d in shape]
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional")
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        rng = np.random.default_rng(self.seed)
        a = rng.standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))
        q = q.T if rows < cols else q
        return convert_to_tensor((self.gain * q).reshape(shape).astype(dtype.as_numpy_dtype))
