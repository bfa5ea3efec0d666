"""Keras pooling layers: windowed max/average pooling and global max/average pooling in 1, 2 and 3 D."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..._core.ops import array_ops, math_ops, pooling_ops, reduction_ops
from ..backend import standardize_data_format
from .conv import standardize_tuple
from .input_spec import InputSpec
from .layer import Layer

__all__ = ["MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
           "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
           "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
           "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D",
           "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D", "GlobalAvgPool1D", "GlobalAvgPool2D",
           "GlobalAvgPool3D"]

_LAYOUTS = {("channels_last", 1): "NWC", ("channels_last", 2): "NHWC", ("channels_last", 3): "NDHWC",
            ("channels_first", 1): "NCW", ("channels_first", 2): "NCHW", ("channels_first", 3): "NCDHW"}
_POOL_OPS = {("max", 1): pooling_ops.max_pool1d, ("max", 2): pooling_ops.max_pool2d,
             ("max", 3): pooling_ops.max_pool3d, ("average", 1): pooling_ops.avg_pool1d,
             ("average", 2): pooling_ops.avg_pool2d, ("average", 3): pooling_ops.avg_pool3d}


def pooling_output_shape(input_shape: Any, pool_size: tuple, strides: tuple, padding: str,
                         data_format: str) -> tuple:
    """The output shape of a windowed pooling (``None`` for unknown dims).

    Raises:
        ValueError: an output size below 1, or a padding other than ``valid``/``same``.
    """
    input_shape = tuple(input_shape)
    channels_last = data_format == "channels_last"
    sizes = input_shape[1:-1] if channels_last else input_shape[2:]
    padding = padding.lower()  # Keras accepts "SAME"/"VALID" too
    if padding == "valid":
        out = tuple(None if n is None else (n - k) // s + 1 for n, k, s in zip(sizes, pool_size, strides))
        if any(o is not None and o <= 0 for o in out):
            raise ValueError(f"Computed output size would be zero or negative. Received: `inputs.shape="
                             f"{np.array(input_shape)}`, `pool_size={np.array(pool_size)}`, `strides={strides}`, "
                             f"`padding={padding}`.")
    elif padding == "same":
        out = tuple(None if n is None else (n - 1) // s + 1 for n, s in zip(sizes, strides))
    else:
        raise ValueError(f"Argument `padding` must be either 'valid' or 'same'. Received: padding={padding}")
    if channels_last:
        return (input_shape[0], *out, input_shape[-1])
    return (input_shape[0], input_shape[1], *out)


class _Pooling(Layer):
    """Max or average over sliding windows of ``pool_size``, moved by ``strides`` (default ``pool_size``)."""

    rank: int
    mode: str

    def __init__(self, pool_size: Any, strides: Any = None, padding: str = "valid", data_format: Any = None,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.pool_size = standardize_tuple(pool_size, self.rank, "pool_size")
        self.strides = standardize_tuple(pool_size if strides is None else strides, self.rank, "strides",
                                         allow_zero=True)
        self.padding = padding
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self._pool = _POOL_OPS[self.mode, self.rank]
        self._layout = _LAYOUTS[self.data_format, self.rank]
        self.built = True

    def call(self, inputs: Any) -> Any:
        return self._pool(inputs, self.pool_size, self.strides, self.padding.upper(), self._layout)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return pooling_output_shape(input_shape, self.pool_size, self.strides, self.padding, self.data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}


class MaxPooling1D(_Pooling):
    """Max pooling over ``(batch, steps, channels)`` inputs.

    Args:
        pool_size: the window size; an int or a tuple of 1 int.
        strides: the window step; default ``pool_size``.
        padding: ``"valid"`` or ``"same"`` (padded positions never win).
        data_format: ``"channels_last"`` (default from ``keras.config``) or ``"channels_first"``.
    """

    rank, mode = 1, "max"

    def __init__(self, pool_size: Any = 2, strides: Any = None, padding: str = "valid", data_format: Any = None,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


class MaxPooling2D(_Pooling):
    """Max pooling over ``(batch, height, width, channels)`` inputs (see ``MaxPooling1D``)."""

    rank, mode = 2, "max"

    def __init__(self, pool_size: Any = (2, 2), strides: Any = None, padding: str = "valid",
                 data_format: Any = None, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


class MaxPooling3D(_Pooling):
    """Max pooling over ``(batch, depth, height, width, channels)`` inputs (see ``MaxPooling1D``)."""

    rank, mode = 3, "max"

    def __init__(self, pool_size: Any = (2, 2, 2), strides: Any = None, padding: str = "valid",
                 data_format: Any = None, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


class AveragePooling1D(_Pooling):
    """Average pooling over ``(batch, steps, channels)`` inputs; with ``"same"`` padding each window averages
    only the real inputs it covers (see ``MaxPooling1D`` for the arguments; ``pool_size`` is required)."""

    rank, mode = 1, "average"

    def __init__(self, pool_size: Any, strides: Any = None, padding: str = "valid", data_format: Any = None,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


class AveragePooling2D(_Pooling):
    """Average pooling over ``(batch, height, width, channels)`` inputs (see ``AveragePooling1D``)."""

    rank, mode = 2, "average"

    def __init__(self, pool_size: Any, strides: Any = None, padding: str = "valid", data_format: Any = None,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


class AveragePooling3D(_Pooling):
    """Average pooling over ``(batch, depth, height, width, channels)`` inputs (see ``AveragePooling1D``)."""

    rank, mode = 3, "average"

    def __init__(self, pool_size: Any, strides: Any = None, padding: str = "valid", data_format: Any = None,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


class _GlobalPooling(Layer):
    """Max or mean over every spatial axis; ``keepdims`` keeps them with size 1."""

    rank: int

    def __init__(self, data_format: Any = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=self.rank + 2)
        first = 1 if self.data_format == "channels_last" else 2
        self._axes = list(range(first, first + self.rank))
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        input_shape = tuple(input_shape)
        channels = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        if not self.keepdims:
            return (input_shape[0], channels)
        ones = (1,) * (len(input_shape) - 2)
        return (input_shape[0], *ones, channels) if self.data_format == "channels_last" else \
            (input_shape[0], channels, *ones)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class _GlobalMaxPooling(_GlobalPooling):
    def call(self, inputs: Any) -> Any:
        return reduction_ops.reduce_max(inputs, axis=self._axes, keepdims=self.keepdims)


class _GlobalAveragePooling(_GlobalPooling):
    def call(self, inputs: Any) -> Any:
        return reduction_ops.reduce_mean(inputs, axis=self._axes, keepdims=self.keepdims)


class GlobalMaxPooling1D(_GlobalMaxPooling):
    """The maximum over the steps of ``(batch, steps, channels)`` inputs.

    Args:
        data_format: ``"channels_last"`` (default from ``keras.config``) or ``"channels_first"``.
        keepdims: keep the steps axis with size 1.
    """

    rank = 1

    def __init__(self, data_format: Any = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalMaxPooling2D(_GlobalMaxPooling):
    """The maximum over height and width (see ``GlobalMaxPooling1D``)."""

    rank = 2

    def __init__(self, data_format: Any = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalMaxPooling3D(_GlobalMaxPooling):
    """The maximum over depth, height and width (see ``GlobalMaxPooling1D``)."""

    rank = 3

    def __init__(self, data_format: Any = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalAveragePooling1D(_GlobalAveragePooling):
    """The mean over the steps of ``(batch, steps, channels)`` inputs; with a mask ``(batch, steps)`` only
    the unmasked steps are averaged. The output carries no mask (see ``GlobalMaxPooling1D``)."""

    rank = 1
    supports_masking = True

    def __init__(self, data_format: Any = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs: Any, mask: Any = None) -> Any:
        if mask is None:
            return super().call(inputs)
        mask = array_ops.expand_dims(math_ops.cast(mask, "bool"), 2 if self.data_format == "channels_last" else 1)
        total = reduction_ops.reduce_sum(math_ops.where(mask, inputs, array_ops.zeros_like(inputs)),
                                         axis=self._axes, keepdims=self.keepdims)
        count = reduction_ops.reduce_sum(math_ops.cast(mask, inputs.dtype), axis=self._axes,
                                         keepdims=self.keepdims)
        return total / count

    def compute_mask(self, inputs: Any, mask: Any = None) -> None:
        return None


class GlobalAveragePooling2D(_GlobalAveragePooling):
    """The mean over height and width (see ``GlobalMaxPooling1D``)."""

    rank = 2

    def __init__(self, data_format: Any = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalAveragePooling3D(_GlobalAveragePooling):
    """The mean over depth, height and width (see ``GlobalMaxPooling1D``)."""

    rank = 3

    def __init__(self, data_format: Any = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)


MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
MaxPool3D = MaxPooling3D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
AvgPool3D = AveragePooling3D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalMaxPool3D = GlobalMaxPooling3D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D
