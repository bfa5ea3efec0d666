"""Numerical preprocessing layers: ``Normalization``, ``Rescaling`` and ``Discretization``."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

import ndflow as tf

from ...backend import epsilon, image_data_format
from ..layer import Layer
from ._utils import adapt_batches, encode_categorical, is_tensor_like, validate_string_arg

__all__ = ["Normalization", "Rescaling", "Discretization"]


class Normalization(Layer):
    """Shifts and scales inputs to zero mean and unit variance: ``(x - mean) / sqrt(variance)``.

    Args:
        axis: the axis or axes that keep separate statistics (default the last one); ``None`` for one mean and
            variance over everything.
        mean: the mean to use instead of ``adapt`` (a scalar or an array broadcast along ``axis``).
        variance: the variance to use with ``mean``.
        invert: undo the normalization instead: ``x * sqrt(variance) + mean``.

    Raises:
        ValueError: only one of ``mean``/``variance``, or their shapes differ or have too many dimensions.
    """

    def __init__(self, axis: Any = -1, mean: Any = None, variance: Any = None, invert: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self._build_input_shape = None
        self.mean = None
        self.variance = None
        if (mean is not None) != (variance is not None):
            raise ValueError("When setting values directly, both `mean` and `variance` must be set. Received: "
                             f"mean={mean} and variance={variance}")
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError("When setting values directly, `mean` and `variance` must have the same shape. "
                                 f"Received: mean shape {np.shape(mean)} and variance shape {np.shape(variance)}")
            if np.ndim(mean) > len(self.axis):
                raise ValueError(f"The rank of `mean` must be less than or equal to the number of axes "
                                 f"({len(self.axis)}). Received: mean shape {np.shape(mean)} for axis {self.axis}")

    def build(self, input_shape: Any) -> None:
        if input_shape is None:
            return
        input_shape = tuple(input_shape)
        ndim = len(input_shape)
        self._build_input_shape = input_shape
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError("All `axis` values must be in the range [-ndim, ndim). Received inputs with "
                             f"ndim={ndim}, while axis={self.axis}")
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(f"All `axis` values to be kept must have a known shape. Received axis={self.axis}, "
                                 f"inputs.shape={input_shape}, with unknown axis at index {d}")
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = [input_shape[d] if d in self._keep_axis else 1 for d in range(ndim)]
        self._stats_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._stats_shape, initializer="zeros",
                                              trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=self._stats_shape, initializer="ones",
                                                  trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int64", initializer="zeros",
                                         trainable=False)
        else:
            self.mean = self._broadcast_given(self.input_mean)
            self.variance = self._broadcast_given(self.input_variance)
        self.built = True

    def _broadcast_given(self, value: Any) -> np.ndarray:
        """A given mean/variance reshaped so its trailing dimensions line up with the kept axes (kept as NumPy, so
        the layer can be called in any graph)."""
        value = np.asarray(value, dtype=np.float64)
        if value.ndim:
            expanded = [1] * len(self._broadcast_shape)
            for i in range(1, value.ndim + 1):
                expanded[self._keep_axis[-i]] = value.shape[-i]
            value = value.reshape(expanded)
        return np.broadcast_to(value, self._broadcast_shape).astype(self.compute_dtype)

    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Computes the mean and variance of ``data`` along the non-kept axes (exactly as Keras 3).

        Args:
            data: a NumPy array or tensor (statistics in one pass), or a batched ``Dataset``, list of batches or
                other iterable of batches (statistics combined batch by batch).
            batch_size: read an array in batches of this size (default: all at once).
            steps: read at most this many batches.
        """
        from ....data import Dataset

        if isinstance(data, Dataset) and len(_element_shape(data)) == 1:
            data = data.batch(128)
        whole = (isinstance(data, np.ndarray) or is_tensor_like(data)) and batch_size is None
        if whole:
            input_shape = tuple(data.shape)
            batches = None
        else:
            if isinstance(data, (list, tuple)):  # a list of batches, as Keras 3 reads it
                batches = list(data)[:steps]
            else:
                batches = list(adapt_batches(data, steps=steps, batch_size=batch_size))
            if not batches:
                raise ValueError("adapt() received an empty iterable (no batches). Expected at least one batch. "
                                 "Pass a non-empty iterable of arrays or tensors, e.g. layer.adapt([x]) or "
                                 "layer.adapt(list_of_batches).")
            if not hasattr(batches[0], "shape"):
                raise TypeError("adapt() expects an iterable that yields arrays or tensors with a `.shape` "
                                f"attribute. Got an element of type {type(batches[0]).__name__}.")
            input_shape = tuple(batches[0].shape)
        if not self.built:
            self.build(input_shape)
        else:
            for d in self._keep_axis:
                if input_shape[d] != self._build_input_shape[d]:
                    raise ValueError(f"The layer was built with input_shape={self._build_input_shape}, but adapt() "
                                     f"is being called with data with an incompatible shape, data.shape="
                                     f"{input_shape}")
        if whole:
            values = data.numpy() if is_tensor_like(data) else data
            if is_tensor_like(data):
                values = values.astype(np.float32) if values.dtype.kind != "f" else values
            mean = np.mean(values, axis=self._reduce_axis)
            variance = np.var(values, axis=self._reduce_axis)
        else:
            mean, variance = self._combine_batches(batches)
        self.adapt_mean.assign(np.asarray(mean, dtype=np.float32).reshape(self._stats_shape))
        self.adapt_variance.assign(np.asarray(variance, dtype=np.float32).reshape(self._stats_shape))

    def _combine_batches(self, batches: list) -> tuple:
        """Running mean/variance over batches, weighted by each batch's element count (float32, as Keras)."""
        total_mean = np.zeros(self._stats_shape, np.float32)
        total_var = np.zeros(self._stats_shape, np.float32)
        total_count = 0
        for batch in batches:
            batch = np.asarray(batch.numpy() if is_tensor_like(batch) else batch, dtype=np.float32)
            for d in self._keep_axis:
                if batch.shape[d] != self._build_input_shape[d]:
                    raise ValueError(f"adapt() yielded a batch with incompatible shape. Expected "
                                     f"{self._build_input_shape}, got {tuple(batch.shape)}.")
            batch_mean = np.mean(batch, axis=self._reduce_axis, dtype=np.float32)
            batch_var = np.var(batch, axis=self._reduce_axis, dtype=np.float32)
            batch_count = math.prod(batch.shape[d] for d in self._reduce_axis) if self._reduce_axis else 1
            total_count += batch_count
            batch_weight = np.float32(float(batch_count) / total_count)
            existing_weight = np.float32(1.0) - batch_weight
            new_mean = total_mean * existing_weight + batch_mean * batch_weight
            total_var = ((total_var + (total_mean - new_mean) ** 2) * existing_weight
                         + (batch_var + (batch_mean - new_mean) ** 2) * batch_weight)
            total_mean = new_mean
        return total_mean, total_var

    def call(self, inputs: Any) -> Any:
        inputs = tf.cast(inputs, self.compute_dtype)
        if self.input_mean is None:
            mean = tf.cast(tf.reshape(self.adapt_mean, self._broadcast_shape), self.compute_dtype)
            variance = tf.cast(tf.reshape(self.adapt_variance, self._broadcast_shape), self.compute_dtype)
        else:
            mean, variance = tf.constant(self.mean), tf.constant(self.variance)
        scale = tf.maximum(tf.sqrt(variance), epsilon())
        if self.invert:
            return mean + inputs * scale
        return (inputs - mean) / scale

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_build_config(self) -> dict | None:
        return {"input_shape": self._build_input_shape} if self._build_input_shape else None

    def build_from_config(self, config: dict) -> None:
        if config:
            self.build(config["input_shape"])

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": np.array(self.input_mean).tolist(), "variance": np.array(self.input_variance).tolist()}


def _element_shape(dataset: Any) -> tuple:
    spec = dataset.element_spec
    spec = spec[0] if isinstance(spec, tuple) else spec
    return tuple(spec.shape)


class Rescaling(Layer):
    """Multiplies inputs by ``scale`` and adds ``offset`` (e.g. ``scale=1/255`` maps pixels to ``[0, 1]``).

    Args:
        scale: a number, or per-channel numbers.
        offset: a number, or per-channel numbers.
    """

    def __init__(self, scale: Any, offset: Any = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def call(self, inputs: Any) -> Any:
        dtype = self.compute_dtype
        scale = tf.cast(self.scale, dtype)
        offset = tf.cast(self.offset, dtype)
        if scale.shape.rank and image_data_format() == "channels_first":
            scale = tf.reshape(scale, tuple(scale.shape) + (1,) * (3 - scale.shape.rank))
        return tf.cast(inputs, dtype) * scale + offset

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}


class Discretization(Layer):
    """Buckets continuous values by ranges: ``i`` where ``bin_boundaries[i-1] <= x < bin_boundaries[i]``.

    Args:
        bin_boundaries: sorted boundaries (``n`` boundaries make ``n + 1`` bins).
        num_bins: learn ``num_bins - 1`` quantile boundaries with ``adapt`` instead.
        epsilon: the quantile sketch's error tolerance (smaller: more exact, more memory).
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: return ``SparseTensor`` outputs (not with ``output_mode="int"``).

    Raises:
        ValueError: both or neither of ``bin_boundaries``/``num_bins``, a negative ``num_bins``, or an unknown
            ``output_mode``.
    """

    def __init__(self, bin_boundaries: Any = None, num_bins: int | None = None, epsilon: float = 0.01,
                 output_mode: str = "int", sparse: bool = False, dtype: Any = None, name: str | None = None) -> None:
        super().__init__(name=name, dtype=dtype)
        if sparse and output_mode == "int":
            raise ValueError("`sparse=True` may only be used if `output_mode` is `'one_hot'`, `'multi_hot'`, or "
                             f"`'count'`. Received: sparse={sparse} and output_mode={output_mode}")
        validate_string_arg(output_mode, ("int", "one_hot", "multi_hot", "count"), "Discretization", "output_mode")
        if num_bins is not None and num_bins < 0:
            raise ValueError(f"`num_bins` must be greater than or equal to 0. Received: `num_bins={num_bins}`")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError("Both `num_bins` and `bin_boundaries` should not be set. Received: "
                             f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self.bin_boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = None if bin_boundaries else _empty_summary()
        self.built = True

    @property
    def output_dtype(self) -> str:
        return self.compute_dtype if self.output_mode != "int" else "int32"

    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Learns ``num_bins - 1`` boundaries at the quantiles of ``data`` (an array or tensor, or a ``Dataset``,
        list or other iterable of batches).

        Raises:
            ValueError: the layer was created with ``bin_boundaries``.
        """
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer that has been initialized with `bin_boundaries`, "
                             "use `num_bins` instead.")
        self.reset_state()
        if isinstance(data, np.ndarray) or is_tensor_like(data):
            self.update_state(data)
        else:  # a Dataset, or a list or other iterable of batches
            for batch in adapt_batches(iter(data) if isinstance(data, (list, tuple)) else data, steps=steps):
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        values = np.array(data.numpy() if is_tensor_like(data) else data).astype("float32")
        self.summary = _merge_summaries(_summarize(values, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self) -> None:
        if self.num_bins is None:
            return
        self.bin_boundaries = _compress_summary(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self) -> None:
        if self.num_bins is None:
            return
        self.summary = _empty_summary()

    def call(self, inputs: Any) -> Any:
        if self.bin_boundaries is None:
            raise ValueError("You need to either pass the `bin_boundaries` argument at construction time or call "
                             "`adapt(dataset)` before you can start using the `Discretization` layer.")
        inputs = tf.convert_to_tensor(inputs)
        compare_dtype = inputs.dtype if inputs.dtype.is_floating else tf.float64
        values = tf.cast(inputs, compare_dtype)
        boundaries = tf.constant(np.asarray(self.bin_boundaries, dtype=compare_dtype.as_numpy_dtype))
        if len(self.bin_boundaries):
            indices = tf.reduce_sum(tf.cast(tf.expand_dims(values, -1) >= boundaries, "int32"), axis=-1)
        else:
            indices = tf.zeros_like(values, dtype="int32")
        return encode_categorical(indices, self.output_mode, len(self.bin_boundaries) + 1, self.output_dtype,
                                  sparse=self.sparse)

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self.output_mode == "int":
            return input_shape
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        input_shape = tuple(input_shape)
        if self.output_mode == "one_hot":
            if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        if len(input_shape) >= 2:
            return (input_shape[0],) + input_shape[2:] + (depth,)
        return (depth,)

    def get_config(self) -> dict:
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins, "epsilon": self.epsilon,
                "output_mode": self.output_mode, "sparse": self.sparse, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict) -> Discretization:
        config = dict(config)
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)


# -- Discretization's quantile sketch: (value, weight) pairs, compressed to about 1/epsilon of them --------------
def _empty_summary() -> np.ndarray:
    return np.array([[], []], dtype="float32")


def _summarize(values: np.ndarray, eps: float) -> np.ndarray:
    """Every ``step``-th sorted value, each standing for ``step`` values."""
    ordered = np.sort(np.reshape(values, [-1]))
    step = max(ordered.size / (1.0 / eps), 1)
    kept = ordered[int(step - 1)::int(step)]
    return np.stack([kept, np.ones_like(kept) * step])


def _merge_summaries(first: np.ndarray, second: np.ndarray, eps: float) -> np.ndarray:
    merged = np.concatenate((first, second), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)
    return _compress_summary(merged, eps)


def _compress_summary(summary: np.ndarray, eps: float) -> np.ndarray:
    """The summary re-sampled at the cumulative-weight fractions ``eps, 2 eps, …, 1`` (interpolated)."""
    if summary.shape[1] * eps < 1:
        return summary
    fractions = eps + np.arange(0.0, 1.0, eps)
    cumulative = summary[1].cumsum()
    cumulative_fraction = cumulative / cumulative[-1]
    values = np.interp(fractions, cumulative_fraction, summary[0])
    new_cumulative = np.interp(fractions, cumulative_fraction, cumulative)
    weights = new_cumulative - np.concatenate((np.array([0]), new_cumulative[:-1]))
    return np.stack((values, weights)).astype("float32")
