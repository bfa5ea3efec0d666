"""Normalisation ops of ``tf.nn``: ``moments``, ``weighted_moments``, ``normalize_moments``,
``batch_normalization``, ``fused_batch_norm`` and local response normalisation (``lrn``).
"""
from __future__ import annotations

import math
from typing import Any

from .. import dtypes
from ..errors import InvalidArgumentError
from ..export import export
from ..tensor import Tensor
from . import array_ops, math_ops, reduction_ops
from ._helpers import check_dtype, execute, invalid_arg, register, shape_text, to_tensor
from .math_ops import add, divide, multiply, negative, subtract
from .nn_ops import is_zero_tensor
from .reduction_ops import (
    _reduced_count,
    _with_kept_dims,
    attr_error,
    reduce_mean,
    reduce_sum,
    reduction_axes,
)

_FLOATS = ("float16", "bfloat16", "float32", "float64")


# ---------------------------------------------------------------------------------------------------------
# moments


def _moments_forward(xp, x, *, axis, keepdims):
    mean = _mean(x, axis, True)
    deviation = x - mean
    variance = _mean(deviation * deviation, axis, keepdims)
    return (mean if keepdims else mean.reshape(variance.shape)), variance


def _mean(x, axis, keepdims):
    """``x.mean``; an empty reduction gives nan without NumPy's "Mean of empty slice" warning (kernels run
    with floating-point warnings off, so ``0 / 0`` is silent)."""
    if x.size:
        return x.mean(axis=axis, keepdims=keepdims)
    return x.sum(axis=axis, keepdims=keepdims) / 0


def _moments_grad(entry, dmean, dvar):
    # d mean = 1/n;  d var = 2 (x - mean) / n
    x = entry.inputs[0]
    attrs = entry.attrs
    total = None
    if not is_zero_tensor(dvar):
        mean = _with_kept_dims(entry.outputs[0], x, attrs)
        total = multiply(multiply(subtract(x, mean), 2), _with_kept_dims(dvar, x, attrs))
    if not is_zero_tensor(dmean):
        kept = _with_kept_dims(dmean, x, attrs)
        total = math_ops.broadcast_like(kept, x) if total is None else add(total, kept)
    if total is None:
        return (array_ops.zeros_like(x),)
    return (divide(total, _reduced_count(x, attrs["axis"])),)


# Mean and (population) variance in one pass; TF composes it from Mean, SquaredDifference and Mean.
Moments = register("Moments", _moments_forward, grad=_moments_grad, num_outputs=2)


@export("nn.moments")
def moments(x: Any, axes: Any, shift: Any = None, keepdims: bool = False, name: str | None = None) -> tuple:
    """Mean and population variance of ``x`` over ``axes`` (``shift`` is accepted and ignored, as in TF).

    float16 inputs are reduced in float32; integer inputs use integer means.

    Raises:
        InvalidArgumentError: an axis out of range.
    """
    x = to_tensor(x)
    axis = reduction_axes("Mean", axes, x.ndim)
    if axis == () and not keepdims:
        # TF squeezes with an empty axis list, which drops every size-1 dimension
        mean, variance = moments(x, (), keepdims=True)
        return array_ops.squeeze(mean), array_ops.squeeze(variance)
    attrs = {"axis": axis, "keepdims": bool(keepdims)}
    if x.dtype.name in ("float32", "float64"):
        return execute(Moments, (x,), attrs)
    if x.dtype.name in ("float16", "bfloat16"):
        mean, variance = execute(Moments, (math_ops.cast(x, dtypes.float32),), attrs)
        return math_ops.cast(mean, x.dtype), math_ops.cast(variance, x.dtype)
    mean = reduce_mean(x, axis, keepdims=True)
    variance = reduce_mean(math_ops.squared_difference(x, array_ops.stop_gradient(mean)), axis, keepdims=keepdims)
    if not keepdims:
        mean = array_ops.reshape(mean, array_ops.shape(variance))
    return mean, variance


@export("nn.weighted_moments")
def weighted_moments(x: Any, axes: Any, frequency_weights: Any, keepdims: bool = False,
                     name: str | None = None) -> tuple:
    """Mean and variance of ``x`` over ``axes`` with ``frequency_weights`` (broadcast against ``x``); both
    are 0 where the weights sum to 0.

    Raises:
        InvalidArgumentError: integer inputs (the weighted mean is float64, TF's dtype clash).
    """
    x = to_tensor(x)
    weights = to_tensor(frequency_weights)
    half = x.dtype.name == "float16"
    if half:
        x = math_ops.cast(x, dtypes.float32)
    if weights.dtype is not x.dtype:
        weights = math_ops.cast(weights, x.dtype)
    weighted_sum = reduce_sum(multiply(weights, x), axes, keepdims=True)
    weight_sum = reduce_sum(add(weights, array_ops.zeros_like(x)), axes, keepdims=True)
    mean = math_ops.divide_no_nan(weighted_sum, weight_sum)
    distances = reduce_sum(multiply(weights, math_ops.squared_difference(x, mean)), axes, keepdims=True)
    variance = math_ops.divide_no_nan(distances, weight_sum)
    if not keepdims:
        mean = array_ops.squeeze(mean, axes)
        variance = array_ops.squeeze(variance, axes)
    if half:
        return math_ops.cast(mean, dtypes.float16), math_ops.cast(variance, dtypes.float16)
    return mean, variance


@export("nn.normalize_moments")
def normalize_moments(counts: Any, mean_ss: Any, variance_ss: Any, shift: Any, name: str | None = None) -> tuple:
    """Mean and variance from sufficient statistics: ``counts``, the (shifted) sum and sum of squares."""
    divisor = math_ops.reciprocal(counts)
    shifted_mean = multiply(mean_ss, divisor)
    mean = shifted_mean if shift is None else add(shifted_mean, shift)
    variance = subtract(multiply(variance_ss, divisor), math_ops.square(shifted_mean))
    return mean, variance


@export("nn.batch_normalization")
def batch_normalization(x: Any, mean: Any, variance: Any, offset: Any, scale: Any, variance_epsilon: Any,
                        name: str | None = None) -> Tensor:
    """``(x - mean) * scale / sqrt(variance + variance_epsilon) + offset`` (``offset``/``scale`` may be None).

    Raises:
        InvalidArgumentError: operands of different dtypes.
    """
    x = to_tensor(x)
    # Python operators, as TF writes it: a list ``variance`` fails like TF's (TypeError)
    inv = math_ops.rsqrt(variance + variance_epsilon)
    if scale is not None:
        inv = inv * scale
    shift = -mean * inv if offset is None else offset - mean * inv
    return add(multiply(x, math_ops.cast(inv, x.dtype)), math_ops.cast(shift, x.dtype))


@export("nn.batch_norm_with_global_normalization")
def batch_norm_with_global_normalization(input: Any, mean: Any, variance: Any, beta: Any, gamma: Any,
                                         variance_epsilon: Any, scale_after_normalization: bool,
                                         name: str | None = None) -> Tensor:
    """``batch_normalization`` with offset ``beta`` and, when ``scale_after_normalization``, scale ``gamma``."""
    return batch_normalization(input, mean, variance, beta, gamma if scale_after_normalization else None,
                               variance_epsilon)


@export("nn.sufficient_statistics")
def sufficient_statistics(x: Any, axes: Any, shift: Any = None, keepdims: bool = False,
                          name: str | None = None) -> tuple:
    """``(count, sum(x - shift), sum((x - shift) ** 2), shift)`` over ``axes``; ``count`` has ``x``'s dtype."""
    x = to_tensor(x)
    dims = x._shape_tuple()
    axis_list = [axes] if isinstance(axes, int) else list(axes)
    if dims is not None and all(dims[a] is not None for a in axis_list):
        counts = to_tensor(math.prod(dims[a] for a in axis_list), dtype=x.dtype)
    else:
        counts = math_ops.cast(reduction_ops.reduce_prod(array_ops.gather(array_ops.shape(x), axis_list)), x.dtype)
    if shift is not None:
        shift = to_tensor(shift)
        m_ss, v_ss = subtract(x, shift), math_ops.squared_difference(x, shift)
    else:
        m_ss, v_ss = x, math_ops.square(x)
    return counts, reduce_sum(m_ss, axes, keepdims=keepdims), reduce_sum(v_ss, axes, keepdims=keepdims), shift


@export("nn.zero_fraction", "math.zero_fraction")
def zero_fraction(value: Any, name: str | None = None) -> Tensor:
    """The fraction of zero entries of ``value`` as a float32 scalar."""
    value = to_tensor(value)
    nonzero = reduction_ops.count_nonzero(value, dtype=dtypes.int64)
    fraction = divide(nonzero, array_ops.size(value, out_type=dtypes.int64))  # float64, like TF's
    return math_ops.cast(subtract(1.0, fraction), dtypes.float32)


# ---------------------------------------------------------------------------------------------------------
# fused_batch_norm

_FBN = "FusedBatchNormV3"
_FBN_X_TYPES = ("half", "bfloat16", "float")
_FBN_U_TYPES = ("bfloat16", "float")
_DATA_FORMATS = ("NHWC", "NCHW", "NDHWC", "NCDHW")
_MIN_EPSILON = 1.001e-5  # TF raises smaller epsilons to cuDNN's minimum


def _channel_shape(ndim: int, channel_axis: int) -> list[int]:
    shape = [1] * ndim
    shape[channel_axis] = -1
    return shape


def _fused_batch_norm_forward(xp, x, scale, offset, mean, variance, *, epsilon, factor, channel_axis, rank,
                              is_training):
    axes = tuple(a for a in range(x.ndim) if a != channel_axis)
    shape = _channel_shape(x.ndim, channel_axis)
    wide = x.astype(xp.float32) if x.dtype.itemsize < 4 else x
    if is_training:
        use_mean = wide.mean(axis=axes)
        use_var = wide.var(axis=axes)
        count = x.size // max(x.shape[channel_axis], 1)
        corrected = use_var * (count / max(count - 1, 1))
        if factor != 1:
            out_mean = mean * (1 - factor) + use_mean * factor
            out_var = variance * (1 - factor) + corrected * factor
        else:
            out_mean, out_var = use_mean, corrected
    else:
        use_mean, use_var = mean, variance
        out_mean, out_var = mean, variance
    inv = scale / xp.sqrt(use_var + xp.asarray(epsilon, use_var.dtype))
    y = (wide - use_mean.reshape(shape)) * inv.reshape(shape) + offset.reshape(shape)
    return y.astype(x.dtype), out_mean.astype(scale.dtype), out_var.astype(scale.dtype)


def _fused_batch_norm_grad(entry, dy, dmean, dvar):
    # gradients of the running statistics (outputs 1 and 2) are not propagated, as in TF
    x, scale, offset, mean, variance = entry.inputs
    attrs = entry.attrs
    channel_axis, rank = attrs["channel_axis"], attrs["rank"]
    axes = [a for a in range(rank) if a != channel_axis]
    shape = _channel_shape(rank, channel_axis)
    wide_x = math_ops.cast(x, scale.dtype) if x.dtype is not scale.dtype else x
    wide_dy = math_ops.cast(dy, scale.dtype) if dy.dtype is not scale.dtype else dy
    scale_b = array_ops.reshape(scale, shape)
    d_offset = reduce_sum(wide_dy, axes)
    if attrs["is_training"]:
        centered = subtract(wide_x, reduce_mean(wide_x, axes, keepdims=True))
        rstd = math_ops.rsqrt(add(reduce_mean(math_ops.square(centered), axes, keepdims=True), attrs["epsilon"]))
        x_hat = multiply(centered, rstd)
        g = multiply(wide_dy, scale_b)
        dx = multiply(rstd, subtract(subtract(g, reduce_mean(g, axes, keepdims=True)),
                                     multiply(x_hat, reduce_mean(multiply(g, x_hat), axes, keepdims=True))))
        d_scale = reduce_sum(multiply(wide_dy, x_hat), axes)
        d_mean = d_variance = None
    else:
        rstd = math_ops.rsqrt(add(variance, attrs["epsilon"]))
        rstd_b = array_ops.reshape(rstd, shape)
        centered = subtract(wide_x, array_ops.reshape(mean, shape))
        dx = multiply(wide_dy, multiply(scale_b, rstd_b))
        weighted = reduce_sum(multiply(wide_dy, centered), axes)
        d_scale = multiply(weighted, rstd)
        d_mean = negative(multiply(d_offset, multiply(scale, rstd)))
        d_variance = multiply(multiply(weighted, scale), multiply(math_ops.pow(rstd, 3), -0.5))
    if dx.dtype is not x.dtype:
        dx = math_ops.cast(dx, x.dtype)
    return dx, d_scale, d_offset, d_mean, d_variance


def _fused_batch_norm_infer(x, scale, *stats, **attrs):
    return [x, (scale[0], scale[1]), (scale[0], scale[1])]


FusedBatchNorm = register(_FBN, _fused_batch_norm_forward, grad=_fused_batch_norm_grad,
                          infer=_fused_batch_norm_infer, num_outputs=3)


def _tf_type(dtype: dtypes.DType) -> str:
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)


def _check_channels(label: str, t: Tensor, channels: int | None) -> None:
    dims = t.shape.as_list()
    if len(dims) != 1:
        raise invalid_arg(_FBN, f"{label} must be 1-dimensional{shape_text(dims)}")
    if None not in (dims[0], channels) and dims[0] != channels:
        raise invalid_arg(_FBN, f"{label} must have the same number of elements as the channels of x, got "
                                f"{dims[0]} and {channels}")


@export("nn.fused_batch_norm")
def fused_batch_norm(x: Any, scale: Any, offset: Any, mean: Any = None, variance: Any = None,
                     epsilon: float = 0.001, data_format: str = "NHWC", is_training: bool = True,
                     name: str | None = None, exponential_avg_factor: float = 1.0) -> tuple:
    """Batch normalisation of a 4-D/5-D ``x`` per channel; returns ``(y, mean, variance)``.

    Training: normalises with the batch statistics and returns the batch mean and the Bessel-corrected
    batch variance (blended into the given ``mean``/``variance`` when ``exponential_avg_factor != 1``).
    Inference: normalises with (and returns) the given ``mean`` and ``variance``.

    Raises:
        ValueError: ``mean``/``variance`` missing where needed.
        InvalidArgumentError: bad dtypes, ``data_format``, rank or channel counts.
    """
    if (not is_training or exponential_avg_factor != 1.0) and (mean is None or variance is None):
        raise ValueError(f"Both `mean` and `variance` must be a 1D tensor when `is_training` is False or "
                         f"`exponential_avg_factor` != 1.0. Received: `mean` {mean!r} and `variance` {variance!r}")
    x = to_tensor(x)
    scale = to_tensor(scale)
    offset = to_tensor(offset, dtype_hint=scale.dtype)
    mean = to_tensor([] if mean is None else mean, dtype_hint=scale.dtype)
    variance = to_tensor([] if variance is None else variance, dtype_hint=scale.dtype)
    if x.dtype.name not in ("float16", "bfloat16", "float32"):
        raise attr_error(_FBN, "T", x.dtype, _FBN_X_TYPES)
    if scale.dtype.name not in ("bfloat16", "float32"):
        raise attr_error(_FBN, "U", scale.dtype, _FBN_U_TYPES)
    for index, t in ((2, offset), (3, mean), (4, variance)):
        if t.dtype is not scale.dtype:
            math_ops._expect_dtype(_FBN, index, t, scale.dtype)
    if data_format not in _DATA_FORMATS:
        raise InvalidArgumentError(None, None, f"Value for attr 'data_format' of \"{data_format}\" is not in the "
                                               f"list of allowed values: \"NHWC\", \"NCHW\", \"NDHWC\", \"NCDHW\" "
                                               f"[Op:{_FBN}]")
    dims = x._shape_tuple()
    if dims is None:  # unknown rank (graph): the data format's
        dims = (None,) * len(data_format)
    if len(dims) not in (4, 5):
        raise invalid_arg(_FBN, f"input must be 4 or 5-dimensional{shape_text(dims)}")
    channel_axis = len(dims) - 1 if data_format.endswith("C") else 1
    channels = dims[channel_axis]
    _check_channels("scale", scale, channels)
    _check_channels("offset", offset, channels)
    if not is_training or exponential_avg_factor != 1.0:
        _check_channels("mean", mean, channels)
        _check_channels("variance", variance, channels)
    attrs = {"epsilon": max(float(epsilon), _MIN_EPSILON), "factor": float(exponential_avg_factor),
             "channel_axis": channel_axis, "rank": len(dims), "is_training": bool(is_training)}
    return execute(FusedBatchNorm, (x, scale, offset, mean, variance), attrs)


# ---------------------------------------------------------------------------------------------------------
# Local response normalisation


def _window_sum_forward(xp, x, *, depth_radius):
    """Sum over the channel window ``[c - r, c + r]`` (clipped to the valid channels), along the last axis."""
    channels = x.shape[-1]
    cumulative = xp.zeros(x.shape[:-1] + (channels + 1,), dtype=xp.float64)
    xp.cumsum(x, axis=-1, dtype=xp.float64, out=cumulative[..., 1:])
    positions = xp.arange(channels)
    upper = xp.minimum(positions + depth_radius + 1, channels)
    lower = xp.maximum(positions - depth_radius, 0)
    return (cumulative[..., upper] - cumulative[..., lower]).astype(x.dtype)


# the window is symmetric, so the op is self-adjoint: its gradient is itself
WindowSum = register("LRNWindowSum", _window_sum_forward,
                     grad=lambda entry, dy: (execute(WindowSum, (dy,), entry.attrs),))


def _lrn_forward(xp, x, *, depth_radius, bias, alpha, beta):
    wide = x.astype(xp.float32) if x.dtype.itemsize < 4 else x
    norm = _window_sum_forward(xp, wide * wide, depth_radius=depth_radius) * alpha + bias
    return (wide * norm ** -beta).astype(x.dtype)


def _lrn_grad(entry, dy):
    # y = x N^-b with N = bias + alpha W(x^2):  dx = dy N^-b - 2 alpha b x W(dy x N^(-b-1))
    x = entry.inputs[0]
    radius, bias, alpha, beta = (entry.attrs[k] for k in ("depth_radius", "bias", "alpha", "beta"))
    norm = add(multiply(execute(WindowSum, (math_ops.square(x),), {"depth_radius": radius}), alpha), bias)
    scaled = math_ops.pow(norm, -beta)
    inner = execute(WindowSum, (multiply(multiply(dy, x), divide(scaled, norm)),), {"depth_radius": radius})
    return (subtract(multiply(dy, scaled), multiply(multiply(x, inner), 2 * alpha * beta)),)


LRN = register("LRN", _lrn_forward, grad=_lrn_grad)


@export("nn.local_response_normalization", "nn.lrn")
def local_response_normalization(input: Any, depth_radius: int = 5, bias: float = 1, alpha: float = 1,
                                 beta: float = 0.5, name: str | None = None) -> Tensor:
    """``input / (bias + alpha * sum(input[..., c-r:c+r+1] ** 2)) ** beta`` over the last (depth) axis of a
    4-D tensor.

    Raises:
        InvalidArgumentError: not 4-D, or not half/bfloat16/float32.
    """
    allowed = ("float16", "bfloat16", "float32")
    x = to_tensor(input)
    if x.dtype.name not in allowed and not isinstance(input, Tensor):
        x = to_tensor(input, dtype=dtypes.float32)  # like TF's op wrapper: the attr's default dtype
    if x.dtype.name not in allowed:
        check_dtype("LRN", x, allowed)
    dims = x._shape_tuple()
    if dims is not None and len(dims) != 4:
        raise invalid_arg("LRN", "in must be 4-dimensional")
    attrs = {"depth_radius": int(depth_radius), "bias": float(bias), "alpha": float(alpha), "beta": float(beta)}
    return execute(LRN, (x,), attrs)


lrn = local_response_normalization
