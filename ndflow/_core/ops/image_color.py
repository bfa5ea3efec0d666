"""``tf.image`` colour ops: colour-space conversions, brightness/contrast/hue/saturation/gamma adjustments,
standardisation and image-gradient measures.

All are compositions of ndflow ops (with safe denominators where a branch divides), so they are
differentiable where TF's are. Float images keep their dtype (float64 is computed in float64, where TF
rounds through float32); integer images are converted to float32 in [0, 1] and back.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..errors import FailedPreconditionError
from ..export import export
from ..tensor import Tensor
from . import array_ops, linalg_ops, math_ops, reduction_ops
from ._helpers import check_dtype, invalid_arg, shape_text, static_value, to_tensor
from .image_ops import convert_image_dtype, draw_uniform, image_dims, to_float

_HSV_DTYPES = ("float16", "bfloat16", "float32", "float64")


def _last_dim_three(images: Tensor, op_name: str) -> None:
    dims = images.shape.as_list() if images.shape.rank is not None else None
    if dims is not None and (not dims or dims[-1] != 3):
        raise FailedPreconditionError(None, None, f"input must have 3 channels but input only has "
                                                  f"{dims[-1] if dims else 0} channels. [Op:{op_name}]")


# ---------------------------------------------------------------------------------------------------------
# Colour spaces


def _rgb_to_hsv(images: Tensor) -> Tensor:
    red, green, blue = array_ops.unstack(images, axis=-1)
    value = math_ops.maximum(math_ops.maximum(red, green), blue)
    spread = value - math_ops.minimum(math_ops.minimum(red, green), blue)
    zero, one = math_ops.cast(0, images.dtype), math_ops.cast(1, images.dtype)
    bright = value > zero
    saturation = math_ops.where(bright, spread / math_ops.where(bright, value, one), zero)
    colourful = spread > zero
    norm = one / (math_ops.cast(6, images.dtype) * math_ops.where(colourful, spread, one))
    hue = math_ops.where(math_ops.equal(red, value), norm * (green - blue),
                         math_ops.where(math_ops.equal(green, value), norm * (blue - red) + 2.0 / 6.0,
                                        norm * (red - green) + 4.0 / 6.0))
    hue = math_ops.where(colourful, hue, zero)
    hue = math_ops.where(hue < zero, hue + one, hue)
    return array_ops.stack([hue, saturation, value], axis=-1)


def _hsv_to_rgb(images: Tensor) -> Tensor:
    hue, saturation, value = array_ops.unstack(images, axis=-1)
    chroma = saturation * value
    sextant = hue * 6.0
    channels = []
    for shift in (5.0, 3.0, 1.0):
        k = math_ops.floormod(sextant + shift, 6.0)
        ramp = math_ops.maximum(math_ops.minimum(math_ops.minimum(k, 4.0 - k), 1.0), 0.0)
        channels.append(value - chroma * ramp)
    return array_ops.stack(channels, axis=-1)


@export("image.rgb_to_hsv")
def rgb_to_hsv(images: Any, name: str | None = None) -> Tensor:
    """RGB in [0, 1] → HSV (hue in [0, 1)); the last axis holds the 3 channels."""
    images = to_tensor(images)
    check_dtype("RGBToHSV", images, _HSV_DTYPES)
    _last_dim_three(images, "RGBToHSV")
    return _rgb_to_hsv(images)


@export("image.hsv_to_rgb")
def hsv_to_rgb(images: Any, name: str | None = None) -> Tensor:
    """HSV (all in [0, 1]) → RGB; the last axis holds the 3 channels."""
    images = to_tensor(images)
    check_dtype("HSVToRGB", images, _HSV_DTYPES)
    _last_dim_three(images, "HSVToRGB")
    return _hsv_to_rgb(images)


_RGB_TO_YUV = [[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512],
               [0.114, 0.43601035, -0.10001026]]
_YUV_TO_RGB = [[1, 1, 1], [0, -0.394642334, 2.03206185], [1.13988303, -0.58062185, 0]]
_RGB_TO_YIQ = [[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617],
               [0.114, -0.32134392, 0.31119955]]
_YIQ_TO_RGB = [[1, 1, 1], [0.95598634, -0.27201283, -1.10674021], [0.6208248, -0.64720424, 1.70423049]]


def _mix_channels(images: Any, kernel: list) -> Tensor:
    images = to_tensor(images)
    if not images.dtype.is_floating:
        raise TypeError(f"Cannot convert {kernel} to EagerTensor of dtype {images.dtype.name}")
    weights = to_tensor(np.asarray(kernel, dtype=images.dtype.as_numpy_dtype))
    return linalg_ops.tensordot(images, weights, axes=[[-1], [0]])


@export("image.rgb_to_yuv")
def rgb_to_yuv(images: Any) -> Tensor:
    """RGB → YUV (float images)."""
    return _mix_channels(images, _RGB_TO_YUV)


@export("image.yuv_to_rgb")
def yuv_to_rgb(images: Any) -> Tensor:
    """YUV → RGB (float images)."""
    return _mix_channels(images, _YUV_TO_RGB)


@export("image.rgb_to_yiq")
def rgb_to_yiq(images: Any) -> Tensor:
    """RGB → YIQ (float images)."""
    return _mix_channels(images, _RGB_TO_YIQ)


@export("image.yiq_to_rgb")
def yiq_to_rgb(images: Any) -> Tensor:
    """YIQ → RGB (float images)."""
    return _mix_channels(images, _YIQ_TO_RGB)


@export("image.rgb_to_grayscale")
def rgb_to_grayscale(images: Any, name: str | None = None) -> Tensor:
    """Luma (ITU-R 601 weights) with a last axis of size 1, in the input dtype."""
    images = to_tensor(images)
    flt = to_float(images)
    weights = to_tensor(np.asarray([0.2989, 0.5870, 0.1140], dtype=flt.dtype.as_numpy_dtype))
    gray = array_ops.expand_dims(linalg_ops.tensordot(flt, weights, axes=[[-1], [-1]]), -1)
    return convert_image_dtype(gray, images.dtype)


@export("image.grayscale_to_rgb")
def grayscale_to_rgb(images: Any, name: str | None = None) -> Tensor:
    """Repeats a single channel three times.

    Raises:
        ValueError: the last axis isn't of size 1, or the rank is below 2.
    """
    images = to_tensor(images)
    dims = images.shape.as_list()
    if len(dims) < 2:
        raise ValueError(f"A grayscale image (shape {tuple(dims)}) must be at least two-dimensional.")
    if dims[-1] != 1:
        raise ValueError("Last dimension of a grayscale image should be size 1.")
    return array_ops.tile(images, [1] * (len(dims) - 1) + [3])


# ---------------------------------------------------------------------------------------------------------
# Adjustments


def _float_param(value: Any, dtype: dtypes.DType) -> Tensor:
    return math_ops.cast(to_tensor(value), dtype)


@export("image.adjust_brightness")
def adjust_brightness(image: Any, delta: Any) -> Tensor:
    """Adds ``delta`` (in [0, 1] units) to every channel."""
    image = to_tensor(image)
    flt = to_float(image)
    adjusted = flt + _float_param(delta, flt.dtype)
    return convert_image_dtype(adjusted, image.dtype, saturate=True)


@export("image.adjust_contrast")
def adjust_contrast(images: Any, contrast_factor: Any) -> Tensor:
    """Scales each channel's deviation from its per-image mean by ``contrast_factor``."""
    images = to_tensor(images)
    if images.shape.rank is not None and images.shape.rank < 3:
        raise invalid_arg("AdjustContrastv2", f"input must be at least 3-D, got shape{shape_text(images.shape)}")
    flt = to_float(images)
    mean = reduction_ops.reduce_mean(flt, axis=[-3, -2], keepdims=True)
    adjusted = (flt - mean) * _float_param(contrast_factor, flt.dtype) + mean
    return convert_image_dtype(adjusted, images.dtype, saturate=True)


@export("image.adjust_gamma")
def adjust_gamma(image: Any, gamma: Any = 1, gain: Any = 1) -> Tensor:
    """``gain * image ** gamma`` on the [0, 1] scale.

    Raises:
        ValueError: a negative ``gamma``.
    """
    image = to_tensor(image)
    flt = to_float(image)
    gamma_value = static_value(to_tensor(gamma))
    if gamma_value is not None and np.any(np.asarray(gamma_value) < 0):
        raise ValueError("Gamma should be a non-negative real number.")
    adjusted = _float_param(gain, flt.dtype) * math_ops.pow(flt, _float_param(gamma, flt.dtype))
    return convert_image_dtype(adjusted, image.dtype, saturate=True)


@export("image.adjust_hue")
def adjust_hue(image: Any, delta: Any, name: str | None = None) -> Tensor:
    """Rotates the hue by ``delta`` (a fraction of the colour wheel, in [-1, 1]).

    Raises:
        InvalidArgumentError: ``delta`` outside [-1, 1] or an image without 3 channels.
    """
    image = to_tensor(image)
    flt = to_float(image)
    delta_value = static_value(to_tensor(delta))
    if delta_value is not None and not -1.0 <= float(delta_value) <= 1.0:
        raise ValueError("delta must be in the interval [-1, 1]")
    _last_dim_three(flt, "AdjustHue")
    hue, saturation, value = array_ops.unstack(_rgb_to_hsv(flt), axis=-1)
    hue = math_ops.floormod(hue + _float_param(delta, flt.dtype), math_ops.cast(1, flt.dtype))
    return convert_image_dtype(_hsv_to_rgb(array_ops.stack([hue, saturation, value], axis=-1)), image.dtype)


@export("image.adjust_saturation")
def adjust_saturation(image: Any, saturation_factor: Any, name: str | None = None) -> Tensor:
    """Scales the HSV saturation by ``saturation_factor`` (clipped to [0, 1])."""
    image = to_tensor(image)
    flt = to_float(image)
    _last_dim_three(flt, "AdjustSaturation")
    hue, saturation, value = array_ops.unstack(_rgb_to_hsv(flt), axis=-1)
    saturation = math_ops.clip_by_value(saturation * _float_param(saturation_factor, flt.dtype), 0.0, 1.0)
    return convert_image_dtype(_hsv_to_rgb(array_ops.stack([hue, saturation, value], axis=-1)), image.dtype)


def _check_range(lower: float, upper: float) -> None:
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")


def _check_delta(max_delta: float, limit: float | None = None) -> None:
    if limit is not None and max_delta > limit:
        raise ValueError(f"max_delta must be <= {limit}.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")


@export("image.random_brightness")
def random_brightness(image: Any, max_delta: float, seed: Any = None) -> Tensor:
    """``adjust_brightness`` by a delta drawn uniformly from [-max_delta, max_delta)."""
    _check_delta(max_delta)
    return adjust_brightness(image, draw_uniform([], -max_delta, max_delta, seed, False))


@export("image.random_contrast")
def random_contrast(image: Any, lower: float, upper: float, seed: Any = None) -> Tensor:
    """``adjust_contrast`` by a factor drawn uniformly from [lower, upper)."""
    _check_range(lower, upper)
    return adjust_contrast(image, draw_uniform([], lower, upper, seed, False))


@export("image.random_hue")
def random_hue(image: Any, max_delta: float, seed: Any = None) -> Tensor:
    """``adjust_hue`` by a delta drawn uniformly from [-max_delta, max_delta); ``max_delta`` <= 0.5."""
    _check_delta(max_delta, 0.5)
    return adjust_hue(image, draw_uniform([], -max_delta, max_delta, seed, False))


@export("image.random_saturation")
def random_saturation(image: Any, lower: float, upper: float, seed: Any = None) -> Tensor:
    """``adjust_saturation`` by a factor drawn uniformly from [lower, upper)."""
    _check_range(lower, upper)
    return adjust_saturation(image, draw_uniform([], lower, upper, seed, False))


@export("image.stateless_random_brightness")
def stateless_random_brightness(image: Any, max_delta: float, seed: Any) -> Tensor:
    """``random_brightness`` drawing from a ``[2]`` integer ``seed``."""
    _check_delta(max_delta)
    return adjust_brightness(image, draw_uniform([], -max_delta, max_delta, seed, True))


@export("image.stateless_random_contrast")
def stateless_random_contrast(image: Any, lower: float, upper: float, seed: Any) -> Tensor:
    """``random_contrast`` drawing from a ``[2]`` integer ``seed``."""
    _check_range(lower, upper)
    return adjust_contrast(image, draw_uniform([], lower, upper, seed, True))


@export("image.stateless_random_hue")
def stateless_random_hue(image: Any, max_delta: float, seed: Any) -> Tensor:
    """``random_hue`` drawing from a ``[2]`` integer ``seed``."""
    _check_delta(max_delta, 0.5)
    return adjust_hue(image, draw_uniform([], -max_delta, max_delta, seed, True))


@export("image.stateless_random_saturation")
def stateless_random_saturation(image: Any, lower: float, upper: float, seed: Any) -> Tensor:
    """``random_saturation`` drawing from a ``[2]`` integer ``seed``."""
    _check_range(lower, upper)
    return adjust_saturation(image, draw_uniform([], lower, upper, seed, True))


# ---------------------------------------------------------------------------------------------------------
# Statistics and gradients


@export("image.per_image_standardization")
def per_image_standardization(image: Any) -> Tensor:
    """``(x - mean) / max(stddev, 1 / sqrt(num_pixels))`` per image, as float32."""
    image = to_tensor(image)
    image_dims(image)
    if image.dtype is not dtypes.float32:
        image = math_ops.cast(image, dtypes.float32)
    dims = image.shape.as_list()[-3:]
    num_pixels = float(dims[0] * dims[1] * dims[2])
    mean = reduction_ops.reduce_mean(image, axis=[-1, -2, -3], keepdims=True)
    stddev = reduction_ops.reduce_std(image, axis=[-1, -2, -3], keepdims=True)
    floor = math_ops.cast(1.0 / np.sqrt(num_pixels), image.dtype)
    return (image - mean) / math_ops.maximum(stddev, floor)


@export("image.total_variation")
def total_variation(images: Any, name: str | None = None) -> Tensor:
    """Sum of absolute differences between neighbouring pixels: a scalar, or one per image of a batch."""
    images = to_tensor(images)
    rank = images.shape.rank
    if rank == 3:
        down = images[1:, :, :] - images[:-1, :, :]
        right = images[:, 1:, :] - images[:, :-1, :]
        axis = None
    elif rank == 4:
        down = images[:, 1:, :, :] - images[:, :-1, :, :]
        right = images[:, :, 1:, :] - images[:, :, :-1, :]
        axis = [1, 2, 3]
    else:
        raise ValueError("'images' must be either 3 or 4-dimensional.")
    return (reduction_ops.reduce_sum(math_ops.abs(down), axis=axis)
            + reduction_ops.reduce_sum(math_ops.abs(right), axis=axis))


@export("image.image_gradients")
def image_gradients(image: Any) -> tuple[Tensor, Tensor]:
    """Forward differences ``(dy, dx)`` of a batch, zero in the last row / column."""
    image = to_tensor(image)
    if image.shape.rank != 4:
        raise ValueError("image_gradients expects a 4D tensor [batch_size, h, w, d], not "
                         f"{image.shape}.")
    dy = array_ops.pad(image[:, 1:, :, :] - image[:, :-1, :, :], [[0, 0], [0, 1], [0, 0], [0, 0]])
    dx = array_ops.pad(image[:, :, 1:, :] - image[:, :, :-1, :], [[0, 0], [0, 0], [0, 1], [0, 0]])
    return dy, dx


_SOBEL = (((-1, -2, -1), (0, 0, 0), (1, 2, 1)), ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)))


@export("image.sobel_edges")
def sobel_edges(image: Any) -> Tensor:
    """Sobel responses ``[n, h, w, d, 2]`` (vertical then horizontal), reflecting at the borders."""
    image = to_tensor(image)
    if image.shape.rank != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {image.shape.rank}")
    if not image.dtype.is_floating:
        raise TypeError(f"sobel_edges needs a floating-point image, got {image.dtype.name}")
    _, height, width, _ = image.shape.as_list()
    padded = array_ops.pad(image, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    windows = [[padded[:, i:i + height, j:j + width, :] for j in range(3)] for i in range(3)]
    outputs = []
    for kernel in _SOBEL:
        total = None
        for i in range(3):
            for j in range(3):
                if kernel[i][j]:
                    term = windows[i][j] * math_ops.cast(kernel[i][j], image.dtype)
                    total = term if total is None else total + term
        outputs.append(total)
    return array_ops.stack(outputs, axis=-1)
