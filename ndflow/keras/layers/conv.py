"""Keras convolution layers: ``Conv1D/2D/3D``, their transposes, depthwise and separable convolutions.

Every layer runs on the engine's convolution ops (``ndflow.nn.conv*``); ``channels_first`` inputs use the
ops' ``NC...`` layouts directly.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..._core.ops import array_ops, conv_ops, nn_ops
from .. import activations, constraints, initializers, regularizers
from ..backend import standardize_data_format
from .input_spec import InputSpec
from .layer import Layer

__all__ = ["Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
           "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
           "Convolution1D", "Convolution2D", "Convolution3D", "Convolution1DTranspose", "Convolution2DTranspose",
           "Convolution3DTranspose", "SeparableConvolution1D", "SeparableConvolution2D"]

_LAYOUTS = {("channels_last", 1): "NWC", ("channels_last", 2): "NHWC", ("channels_last", 3): "NDHWC",
            ("channels_first", 1): "NCW", ("channels_first", 2): "NCHW", ("channels_first", 3): "NCDHW"}


# ---------------------------------------------------------------------------------------------------------
# Argument normalisation shared by the conv, pooling and reshaping families (Keras's messages)


def standardize_tuple(value: Any, n: int, name: str, allow_zero: bool = False) -> tuple:
    """``value`` (an int or ``n`` ints) as a tuple of ``n`` ints.

    Raises:
        ValueError: another length, a non-integer entry, or an entry below 1 (below 0 with ``allow_zero``).
    """
    message = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}"
    if isinstance(value, int):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(message) from None
        if len(values) != n:
            raise ValueError(message)
        for item in values:
            try:
                int(item)
            except (TypeError, ValueError):
                raise ValueError(f"{message}including element {item} of type {type(item)}") from None
    lowest, requirement = (0, ">= 0") if allow_zero else (1, "> 0")
    bad = {v for v in values if v < lowest}
    if bad:
        raise ValueError(f"{message}, including values {bad} that do not satisfy `value {requirement}`")
    return tuple(int(v) for v in values)


def standardize_padding(value: Any, allow_causal: bool = False) -> Any:
    """The lower-cased padding mode (lists and tuples pass through, as in Keras).

    Raises:
        ValueError: a mode other than ``valid``, ``same`` (and ``causal`` where allowed).
    """
    if isinstance(value, (list, tuple)):
        return value
    padding = value.lower()
    allowed = {"valid", "same", "causal"} if allow_causal else {"valid", "same"}
    if padding not in allowed:
        raise ValueError(f"The `padding` argument must be a list/tuple or one of {allowed}. Received: {padding}")
    return padding


def conv_output_shape(input_shape: tuple, filters: int, kernel_size: tuple, strides: tuple, padding: Any,
                      data_format: str, dilation_rate: tuple) -> tuple:
    """The output shape of a convolution (``None`` for unknown dims).

    Raises:
        ValueError: an input of the wrong rank, an output size below 1, or an unknown padding.
    """
    input_shape = tuple(input_shape)
    channels_last = data_format == "channels_last"
    sizes = input_shape[1:-1] if channels_last else input_shape[2:]
    kernel_shape = (*kernel_size, input_shape[-1 if channels_last else 1], filters)
    if len(kernel_shape) != len(input_shape):
        raise ValueError(f"Kernel shape must have the same length as input, but received kernel of shape "
                         f"{kernel_shape} and input of shape {input_shape}.")
    if isinstance(padding, str) and padding in ("same", "causal"):
        out = tuple(None if n is None else (n - 1) // s + 1 for n, s in zip(sizes, strides))
    elif isinstance(padding, str) and padding == "valid":
        out = tuple(None if n is None else (n - d * (k - 1) - 1) // s + 1
                    for n, k, s, d in zip(sizes, kernel_size, strides, dilation_rate))
        if any(o is not None and o <= 0 for o in out):
            raise ValueError(f"Computed output size would be zero or negative. Received `inputs shape={input_shape}`, "
                             f"`kernel shape={kernel_shape}`, `dilation_rate={np.array(dilation_rate)}`, "
                             f"`strides={strides}`, `padding={padding}`.")
    else:
        raise ValueError(f"`padding` must be either `'valid'` or `'same'`. Received {padding}.")
    return (input_shape[0], *out, filters) if channels_last else (input_shape[0], filters, *out)


def _transposed_length(size: Any, kernel: int, stride: int, padding: str, output_padding: int | None,
                       dilation: int) -> Any:
    """One spatial output size of a transposed convolution (``size`` may be a scalar tensor)."""
    if size is None:
        return None
    kernel = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(kernel, stride) - kernel if output_padding is None else output_padding
        return (size - 1) * stride + kernel + extra
    if output_padding is None:
        return size * stride
    return (size - 1) * stride + kernel % 2 + output_padding


def dims_of(x: Any) -> list:
    """``x``'s dims: Python ints where static, scalar tensors where not (inside ``ndflow.function``)."""
    static = list(x.shape)
    if all(d is not None for d in static):
        return static
    dynamic = array_ops.shape(x)
    return [dynamic[i] if d is None else d for i, d in enumerate(static)]


# ---------------------------------------------------------------------------------------------------------
# Common pieces of every convolution layer


class _BaseConv(Layer):
    """Shared state of convolution layers: geometry, activation, bias and its initializer/regularizer."""

    rank: int

    def _init_geometry(self, kernel_size: Any, strides: Any, padding: Any, data_format: Any, dilation_rate: Any,
                       activation: Any, use_bias: bool, allow_causal: bool = False) -> None:
        rank = self.rank
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding, allow_causal=allow_causal)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.input_spec = InputSpec(min_ndim=rank + 2)

    def _init_bias(self, bias_initializer: Any, bias_regularizer: Any, bias_constraint: Any) -> None:
        self.bias_initializer = initializers.get(bias_initializer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.bias_constraint = constraints.get(bias_constraint)

    def _check_positive(self, name: str, value: Any) -> None:
        if value is not None and value <= 0:
            raise ValueError(f"Invalid value for argument `{name}`. Expected a strictly positive value. "
                             f"Received {name}={value}.")

    def _input_channels(self, input_shape: Any) -> Any:
        return input_shape[-1] if self.data_format == "channels_last" else input_shape[1]

    def _lock_channels(self, channels: Any) -> None:
        axis = -1 if self.data_format == "channels_last" else 1
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={axis: channels})

    def _add_bias(self, size: int) -> None:
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(size,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        trainable=True, dtype=self.dtype)
        else:
            self.bias = None

    @property
    def _layout(self) -> str:
        return _LAYOUTS[self.data_format, self.rank]

    def _finish(self, outputs: Any) -> Any:
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias,
                                      data_format=None if self.data_format == "channels_last" else self._layout)
        return self.activation(outputs)

    def _geometry_config(self, after_padding: dict | None = None, before_activation: dict | None = None) -> dict:
        """The geometry entries in Keras's key order, with the given extra entries in their places."""
        return {"kernel_size": self.kernel_size, "strides": self.strides, "padding": self.padding,
                **(after_padding or {}), "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                **(before_activation or {}), "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias}

    def _weights_config(self, *kernels: str) -> dict:
        """The initializer/regularizer/constraint entries of ``kernels`` and the bias, in Keras's key order."""
        config = {f"{k}_initializer": initializers.serialize(getattr(self, f"{k}_initializer")) for k in kernels}
        config["bias_initializer"] = initializers.serialize(self.bias_initializer)
        config.update({f"{k}_regularizer": regularizers.serialize(getattr(self, f"{k}_regularizer")) for k in kernels})
        config["bias_regularizer"] = regularizers.serialize(self.bias_regularizer)
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        config.update({f"{k}_constraint": constraints.serialize(getattr(self, f"{k}_constraint")) for k in kernels})
        config["bias_constraint"] = constraints.serialize(self.bias_constraint)
        return config


# ---------------------------------------------------------------------------------------------------------
# Conv1D / Conv2D / Conv3D


class _Conv(_BaseConv):
    """An N-D convolution with a ``kernel`` of shape ``kernel_size + (in_channels // groups, filters)``."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any, padding: str, data_format: Any,
                 dilation_rate: Any, groups: int, activation: Any, use_bias: bool, kernel_initializer: Any,
                 bias_initializer: Any, kernel_regularizer: Any, bias_regularizer: Any, activity_regularizer: Any,
                 kernel_constraint: Any, bias_constraint: Any, **kwargs: Any) -> None:
        if kwargs.pop("lora_rank", None) is not None or kwargs.pop("lora_alpha", None) is not None:
            raise NotImplementedError("LoRA in convolution layers is not supported yet")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.filters = filters
        self.groups = groups
        self._init_geometry(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                            allow_causal=self.rank == 1)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self._init_bias(bias_initializer, bias_regularizer, bias_constraint)
        self._check_positive("filters", filters)
        if groups <= 0:
            raise ValueError(f"The number of groups must be a positive integer. Received: groups={groups}.")
        if filters is not None and filters % groups != 0:
            raise ValueError("The number of filters must be evenly divisible by the number of groups. "
                             f"Received: groups={groups}, filters={filters}.")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                             f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}")

    def build(self, input_shape: Any) -> None:
        channels = self._input_channels(input_shape)
        self._lock_channels(channels)
        if channels % self.groups != 0:
            raise ValueError("The number of input channels must be evenly divisible by the number of groups. "
                             f"Received groups={self.groups}, but the input has {channels} channels (full input "
                             f"shape is {tuple(input_shape)}).")
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(name="kernel", shape=(*self.kernel_size, channels // self.groups, self.filters),
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, trainable=True, dtype=self.dtype)
        self._add_bias(self.filters)
        self.built = True

    def convolution_op(self, inputs: Any, kernel: Any) -> Any:
        """The convolution of ``inputs`` with ``kernel`` (no bias, no activation)."""
        padding = "VALID" if self.padding == "causal" else self.padding.upper()
        if self.rank == 1:
            return conv_ops.conv1d(inputs, kernel, self.strides, padding, self._layout, self.dilation_rate)
        if self.rank == 2:
            return conv_ops.conv2d(inputs, kernel, self.strides, padding, self._layout, self.dilation_rate)
        return self._conv3d(inputs, kernel, padding)

    def _conv3d(self, inputs: Any, kernel: Any, padding: str) -> Any:
        layout = self._layout
        strides = conv_ops.full_sequence(self.strides, 3, layout == "NCDHW", "strides")
        dilations = conv_ops.full_sequence(self.dilation_rate, 3, layout == "NCDHW", "dilations")
        if self.groups == 1:
            return conv_ops.conv3d(inputs, kernel, strides, padding, layout, dilations)
        # The 3-D op has no grouped form: convolve each channel group on its own.
        axis = -1 if self.data_format == "channels_last" else 1
        parts = zip(array_ops.split(inputs, self.groups, axis=axis), array_ops.split(kernel, self.groups, axis=-1))
        return array_ops.concat([conv_ops.conv3d(x, k, strides, padding, layout, dilations) for x, k in parts],
                                axis=axis)

    def call(self, inputs: Any) -> Any:
        if self.padding == "causal":
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            time = [left, 0]
            pads = [[0, 0], time, [0, 0]] if self.data_format == "channels_last" else [[0, 0], [0, 0], time]
            inputs = array_ops.pad(inputs, pads)
        return self._finish(self.convolution_op(inputs, self.kernel))

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return conv_output_shape(input_shape, self.filters, self.kernel_size, self.strides, self.padding,
                                 self.data_format, self.dilation_rate)

    def get_config(self) -> dict:
        return {**super().get_config(), "filters": self.filters,
                **self._geometry_config(before_activation={"groups": self.groups}), **self._weights_config("kernel")}


class Conv1D(_Conv):
    """1-D convolution over ``(batch, steps, channels)`` inputs (``padding="causal"`` looks only backwards).

    Args:
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: an int or a tuple of 1 int.
        padding: ``"valid"``, ``"same"`` or ``"causal"``.
        data_format: ``"channels_last"`` (default from ``keras.config``) or ``"channels_first"``.
        groups: split the input channels into this many groups convolved separately.
        activation, use_bias, *_initializer, *_regularizer, *_constraint: as in ``Dense``.
    """

    rank = 1

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: Any = None, dilation_rate: Any = 1, groups: int = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, groups, activation,
                         use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


class Conv2D(_Conv):
    """2-D convolution over ``(batch, height, width, channels)`` inputs (see ``Conv1D`` for the arguments)."""

    rank = 2

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1), padding: str = "valid",
                 data_format: Any = None, dilation_rate: Any = (1, 1), groups: int = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, groups, activation,
                         use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


class Conv3D(_Conv):
    """3-D convolution over ``(batch, depth, height, width, channels)`` inputs (see ``Conv1D``)."""

    rank = 3

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1, 1), padding: str = "valid",
                 data_format: Any = None, dilation_rate: Any = (1, 1, 1), groups: int = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, groups, activation,
                         use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


# ---------------------------------------------------------------------------------------------------------
# Transposed convolutions


class _ConvTranspose(_BaseConv):
    """An N-D transposed convolution with a ``kernel`` of shape ``kernel_size + (filters, in_channels)``."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any, padding: str, output_padding: Any,
                 data_format: Any, dilation_rate: Any, activation: Any, use_bias: bool, kernel_initializer: Any,
                 bias_initializer: Any, kernel_regularizer: Any, bias_regularizer: Any, activity_regularizer: Any,
                 kernel_constraint: Any, bias_constraint: Any, **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.filters = filters
        self._init_geometry(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias)
        self.output_padding = None if output_padding is None else standardize_tuple(
            output_padding, self.rank, "output_padding", allow_zero=True)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self._init_bias(bias_initializer, bias_regularizer, bias_constraint)
        self._check_positive("filters", filters)
        for i, (extra, stride) in enumerate(zip(self.output_padding or (), self.strides)):
            if extra >= stride:
                raise ValueError("`output_padding` must be strictly less than `strides` for all dimensions. At "
                                 f"dimension {i}, `output_padding` is {extra} but `strides` is {stride}. Received: "
                                 f"output_padding={self.output_padding}, strides={self.strides}")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                             f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}")

    def build(self, input_shape: Any) -> None:
        channels = self._input_channels(input_shape)
        self._lock_channels(channels)
        self.kernel = self.add_weight(name="kernel", shape=(*self.kernel_size, self.filters, channels),
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, trainable=True, dtype=self.dtype)
        self._add_bias(self.filters)
        self.built = True

    def _spatial_output(self, sizes: list) -> list:
        extras = self.output_padding or (None,) * self.rank
        return [_transposed_length(n, k, s, self.padding, p, d)
                for n, k, s, p, d in zip(sizes, self.kernel_size, self.strides, extras, self.dilation_rate)]

    def call(self, inputs: Any) -> Any:
        dims = dims_of(inputs)
        channels_last = self.data_format == "channels_last"
        spatial = self._spatial_output(dims[1:-1] if channels_last else dims[2:])
        shape = [dims[0], *spatial, self.filters] if channels_last else [dims[0], self.filters, *spatial]
        x, kernel, strides, dilations, layout = inputs, self.kernel, self.strides, self.dilation_rate, self._layout
        if self.rank == 1:
            # Lifted to 2-D here (not by the op) so that the static shape can be set before the squeeze.
            axis = 1 if channels_last else 2
            x, kernel = array_ops.expand_dims(x, axis), array_ops.expand_dims(kernel, 0)
            shape.insert(axis, 1)
            strides, dilations, layout = (1, *strides), (1, *dilations), _LAYOUTS[self.data_format, 2]
        op = conv_ops.conv3d_transpose if self.rank == 3 else conv_ops.conv2d_transpose
        if all(isinstance(d, int) for d in shape):
            outputs = op(x, kernel, shape, strides, self.padding.upper(), layout, dilations)
        else:
            outputs = op(x, kernel, array_ops.stack(shape), strides, self.padding.upper(), layout, dilations)
            outputs.set_shape([d if isinstance(d, int) else None for d in shape])
        if self.rank == 1:
            outputs = array_ops.squeeze(outputs, [axis])
        return self._finish(outputs)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        input_shape = tuple(input_shape)
        if self.data_format == "channels_last":
            return (input_shape[0], *self._spatial_output(list(input_shape[1:-1])), self.filters)
        return (input_shape[0], self.filters, *self._spatial_output(list(input_shape[2:])))

    def get_config(self) -> dict:
        return {**super().get_config(), "filters": self.filters,
                **self._geometry_config(after_padding={"output_padding": self.output_padding}),
                **self._weights_config("kernel")}


class Conv1DTranspose(_ConvTranspose):
    """Transposed 1-D convolution ("deconvolution").

    Args:
        output_padding: extra size added to one side of the output (each below the stride); ``None`` lets the
            output size follow from ``strides`` and ``padding``.
        Others: as in ``Conv1D`` (no ``groups``, no causal padding).
    """

    rank = 1

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 output_padding: Any = None, data_format: Any = None, dilation_rate: Any = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


class Conv2DTranspose(_ConvTranspose):
    """Transposed 2-D convolution (see ``Conv1DTranspose``)."""

    rank = 2

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1), padding: str = "valid",
                 output_padding: Any = None, data_format: Any = None, dilation_rate: Any = (1, 1),
                 activation: Any = None, use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None, bias_constraint: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


class Conv3DTranspose(_ConvTranspose):
    """Transposed 3-D convolution (see ``Conv1DTranspose``; note ``data_format`` comes before
    ``output_padding`` here, as in Keras)."""

    rank = 3

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1, 1), padding: str = "valid",
                 data_format: Any = None, output_padding: Any = None, dilation_rate: Any = (1, 1, 1),
                 activation: Any = None, use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None, bias_constraint: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


# ---------------------------------------------------------------------------------------------------------
# Depthwise and separable convolutions (1-D runs as 2-D over a height-1 image)


class _Depthwise(_BaseConv):
    """Shared argument handling of depthwise and separable layers."""

    def _init_depthwise(self, depth_multiplier: int, depthwise_initializer: Any, depthwise_regularizer: Any,
                        depthwise_constraint: Any) -> None:
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def _as_2d(self, inputs: Any, *kernels: Any) -> tuple:
        """Inputs and kernels of a 1-D layer lifted to 2-D, with 2-D strides and dilations."""
        if self.rank == 2:
            return (inputs, *kernels, self._strides_2d(self.strides), self.dilation_rate)
        axis = 1 if self.data_format == "channels_last" else 2
        lifted = [array_ops.expand_dims(k, 0) for k in kernels]
        # A height-1 image with a height-1 kernel has one output row whatever the row stride.
        stride = self.strides[0]
        return (array_ops.expand_dims(inputs, axis), *lifted, self._strides_2d((stride, stride)),
                (1, self.dilation_rate[0]))

    def _strides_2d(self, strides: tuple) -> list:
        return [1, 1, *strides] if self.data_format == "channels_first" else [1, *strides, 1]

    def _from_2d(self, outputs: Any) -> Any:
        if self.rank == 2:
            return outputs
        return array_ops.squeeze(outputs, [1 if self.data_format == "channels_last" else 2])

    @property
    def _layout_2d(self) -> str:
        return _LAYOUTS[self.data_format, 2]


class _DepthwiseConv(_Depthwise):
    """Per-channel convolution with a ``kernel`` of shape ``kernel_size + (in_channels, depth_multiplier)``."""

    def __init__(self, kernel_size: Any, strides: Any, padding: str, depth_multiplier: int, data_format: Any,
                 dilation_rate: Any, activation: Any, use_bias: bool, depthwise_initializer: Any,
                 bias_initializer: Any, depthwise_regularizer: Any, bias_regularizer: Any, activity_regularizer: Any,
                 depthwise_constraint: Any, bias_constraint: Any, **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._init_geometry(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias)
        self._init_depthwise(depth_multiplier, depthwise_initializer, depthwise_regularizer, depthwise_constraint)
        self._init_bias(bias_initializer, bias_regularizer, bias_constraint)
        self._check_positive("depth_multiplier", depth_multiplier)

    def build(self, input_shape: Any) -> None:
        channels = self._input_channels(input_shape)
        self._lock_channels(channels)
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(name="kernel", shape=(*self.kernel_size, channels, self.depth_multiplier),
                                      initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
                                      constraint=self.depthwise_constraint, trainable=True, dtype=self.dtype)
        self._add_bias(channels * self.depth_multiplier)
        self.built = True

    def call(self, inputs: Any) -> Any:
        x, kernel, strides, dilations = self._as_2d(inputs, self.kernel)
        outputs = conv_ops.depthwise_conv2d(x, kernel, strides, self.padding.upper(), self._layout_2d, dilations)
        return self._finish(self._from_2d(outputs))

    def compute_output_shape(self, input_shape: Any) -> tuple:
        channels = self._input_channels(input_shape)
        return conv_output_shape(input_shape, self.depth_multiplier * channels, self.kernel_size, self.strides,
                                 self.padding, self.data_format, self.dilation_rate)

    def get_config(self) -> dict:
        return {**super().get_config(), "depth_multiplier": self.depth_multiplier, **self._geometry_config(),
                **self._weights_config("depthwise")}


class DepthwiseConv1D(_DepthwiseConv):
    """Depthwise 1-D convolution: each input channel convolved with its own ``depth_multiplier`` filters.

    Args:
        kernel_size, strides, dilation_rate: an int or a tuple of 1 int.
        padding: ``"valid"`` or ``"same"``.
        depth_multiplier: output channels per input channel.
        depthwise_*: initializer, regularizer and constraint of the depthwise ``kernel``.
    """

    rank = 1

    def __init__(self, kernel_size: Any, strides: Any = 1, padding: str = "valid", depth_multiplier: int = 1,
                 data_format: Any = None, dilation_rate: Any = 1, activation: Any = None, use_bias: bool = True,
                 depthwise_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 depthwise_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 depthwise_constraint: Any = None, bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate, activation,
                         use_bias, depthwise_initializer, bias_initializer, depthwise_regularizer, bias_regularizer,
                         activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)


class DepthwiseConv2D(_DepthwiseConv):
    """Depthwise 2-D convolution (see ``DepthwiseConv1D``)."""

    rank = 2

    def __init__(self, kernel_size: Any, strides: Any = (1, 1), padding: str = "valid", depth_multiplier: int = 1,
                 data_format: Any = None, dilation_rate: Any = (1, 1), activation: Any = None, use_bias: bool = True,
                 depthwise_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 depthwise_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 depthwise_constraint: Any = None, bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate, activation,
                         use_bias, depthwise_initializer, bias_initializer, depthwise_regularizer, bias_regularizer,
                         activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)


class _SeparableConv(_Depthwise):
    """A depthwise convolution followed by a 1x1 convolution (``depthwise_kernel``, ``pointwise_kernel``)."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any, padding: str, data_format: Any,
                 dilation_rate: Any, depth_multiplier: int, activation: Any, use_bias: bool,
                 depthwise_initializer: Any, pointwise_initializer: Any, bias_initializer: Any,
                 depthwise_regularizer: Any, pointwise_regularizer: Any, bias_regularizer: Any,
                 activity_regularizer: Any, depthwise_constraint: Any, pointwise_constraint: Any,
                 bias_constraint: Any, **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.filters = filters
        self._init_geometry(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias)
        self._init_depthwise(depth_multiplier, depthwise_initializer, depthwise_regularizer, depthwise_constraint)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = constraints.get(pointwise_constraint)
        self._init_bias(bias_initializer, bias_regularizer, bias_constraint)
        self._check_positive("depth_multiplier", depth_multiplier)
        self._check_positive("filters", filters)

    def build(self, input_shape: Any) -> None:
        channels = self._input_channels(input_shape)
        self._lock_channels(channels)
        self.compute_output_shape(input_shape)
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel", shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint, trainable=True, dtype=self.dtype)
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel", shape=(*(1,) * self.rank, channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint, trainable=True, dtype=self.dtype)
        self._add_bias(self.filters)
        self.built = True

    def call(self, inputs: Any) -> Any:
        x, depthwise, pointwise, strides, dilations = self._as_2d(inputs, self.depthwise_kernel,
                                                                  self.pointwise_kernel)
        outputs = conv_ops.separable_conv2d(x, depthwise, pointwise, strides, self.padding.upper(), self._layout_2d,
                                            dilations)
        return self._finish(self._from_2d(outputs))

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return conv_output_shape(input_shape, self.filters, self.kernel_size, self.strides, self.padding,
                                 self.data_format, self.dilation_rate)

    def get_config(self) -> dict:
        return {**super().get_config(), "depth_multiplier": self.depth_multiplier, "filters": self.filters,
                **self._geometry_config(), **self._weights_config("depthwise", "pointwise")}


class SeparableConv1D(_SeparableConv):
    """Depthwise-separable 1-D convolution: a depthwise convolution, then a 1x1 convolution to ``filters``.

    Args:
        filters: output channels.
        depth_multiplier: channels per input channel after the depthwise step.
        depthwise_*, pointwise_*: initializer, regularizer and constraint of each kernel.
        Others: as in ``Conv1D`` (no ``groups``, no causal padding).
    """

    rank = 1

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: Any = None, dilation_rate: Any = 1, depth_multiplier: int = 1, activation: Any = None,
                 use_bias: bool = True, depthwise_initializer: Any = "glorot_uniform",
                 pointwise_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 depthwise_regularizer: Any = None, pointwise_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, depthwise_constraint: Any = None, pointwise_constraint: Any = None,
                 bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                         activation, use_bias, depthwise_initializer, pointwise_initializer, bias_initializer,
                         depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer,
                         depthwise_constraint, pointwise_constraint, bias_constraint, **kwargs)


class SeparableConv2D(_SeparableConv):
    """Depthwise-separable 2-D convolution (see ``SeparableConv1D``)."""

    rank = 2

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1), padding: str = "valid",
                 data_format: Any = None, dilation_rate: Any = (1, 1), depth_multiplier: int = 1,
                 activation: Any = None, use_bias: bool = True, depthwise_initializer: Any = "glorot_uniform",
                 pointwise_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 depthwise_regularizer: Any = None, pointwise_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, depthwise_constraint: Any = None, pointwise_constraint: Any = None,
                 bias_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                         activation, use_bias, depthwise_initializer, pointwise_initializer, bias_initializer,
                         depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer,
                         depthwise_constraint, pointwise_constraint, bias_constraint, **kwargs)


Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
