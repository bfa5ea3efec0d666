"""``tf.image.resize`` and friends: resizing with TF2's sampling rules, ``resize_with_pad``, ``crop_and_resize``.

Every interpolating method is separable, so a resize is two small matrix products with a per-axis weight
matrix ``[out, in]`` built on the host from the static sizes (exactly TF's sample positions and kernel
weights). Gradients therefore come from ``einsum``; nearest-neighbour resizing is a gather.
"""
from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from .. import dtypes
from ..export import export
from ..shape import TensorShape
from ..tensor import Tensor
from . import array_ops, indexing_ops, linalg_ops, math_ops
from ._helpers import as_int_list, execute, invalid_arg, register, to_tensor
from .image_ops import pad_to_bounding_box


@export("image.ResizeMethod")
class ResizeMethod:
    """The names ``tf.image.resize`` accepts for ``method``."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


_F32 = np.float32


# ---------------------------------------------------------------------------------------------------------
# Per-axis weights (float32 arithmetic, as TF's kernels)


def _bilinear(in_size: int, out_size: int) -> np.ndarray:
    scale = _F32(in_size) / _F32(out_size)
    position = (np.arange(out_size, dtype=_F32) + _F32(0.5)) * scale - _F32(0.5)
    low = np.floor(position)
    lerp = position - low
    weights = np.zeros((out_size, in_size), np.float64)
    rows = np.arange(out_size)
    np.add.at(weights, (rows, np.maximum(low, 0).astype(np.int64)), 1 - lerp.astype(np.float64))
    np.add.at(weights, (rows, np.minimum(np.ceil(position), in_size - 1).astype(np.int64)), lerp)
    return weights


_TABLE_SIZE = 1024


@functools.lru_cache(maxsize=1)
def _keys_table() -> np.ndarray:
    """TF's tabulated Keys cubic coefficients (a = -0.5) at ``i / 1024``: columns ``|t| < 1`` and ``1 <= |t| < 2``."""
    a = -0.5
    x = np.arange(_TABLE_SIZE + 1, dtype=np.float64) / _TABLE_SIZE
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    x1 = x + 1
    far = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a
    return np.stack([near, far], axis=1).astype(_F32)


def _bicubic(in_size: int, out_size: int) -> np.ndarray:
    scale = _F32(in_size) / _F32(out_size)
    position = (np.arange(out_size, dtype=_F32) + _F32(0.5)) * scale - _F32(0.5)
    base = np.floor(position)
    offset = np.rint((position - base) * _F32(_TABLE_SIZE)).astype(np.int64)
    table = _keys_table()
    taps = np.stack([table[offset, 1], table[offset, 0], table[_TABLE_SIZE - offset, 0],
                     table[_TABLE_SIZE - offset, 1]], axis=1).astype(np.float64)
    index = base.astype(np.int64)[:, None] + np.arange(-1, 3)[None, :]
    taps = np.where((index >= 0) & (index < in_size), taps, 0.0)
    taps /= taps.sum(axis=1, keepdims=True)
    weights = np.zeros((out_size, in_size), np.float64)
    np.add.at(weights, (np.repeat(np.arange(out_size), 4), np.clip(index, 0, in_size - 1).ravel()), taps.ravel())
    return weights


def _area(in_size: int, out_size: int) -> np.ndarray:
    scale = _F32(in_size) / _F32(out_size)
    weights = np.zeros((out_size, in_size), np.float64)
    for out in range(out_size):
        start, end = _F32(out) * scale, _F32(out + 1) * scale
        for source in range(int(math.floor(start)), int(math.ceil(end))):
            overlap = min(source + 1, end) - max(source, start)
            weights[out, min(source, in_size - 1)] += overlap
    return weights / float(scale)


def _lanczos(radius: int):
    def kernel(x):
        with np.errstate(invalid="ignore", divide="ignore"):
            value = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / (np.pi * np.pi * x * x)
        return np.where(x > radius, 0.0, np.where(x <= 1e-3, 1.0, value))
    return kernel


def _keys_cubic(x):
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    near = (1.5 * x - 2.5) * x * x + 1.0
    return np.where(x >= 2.0, 0.0, np.where(x >= 1.0, far, near))


def _mitchell_cubic(x):
    far = (((-7.0 / 18.0) * x + 2.0) * x - 10.0 / 3.0) * x + 16.0 / 9.0
    near = ((7.0 / 6.0) * x - 2.0) * x * x + 8.0 / 9.0
    return np.where(x >= 2.0, 0.0, np.where(x >= 1.0, far, near))


def _gaussian(x):
    sigma = 1.5 / 3.0
    return np.where(x >= 1.5, 0.0, np.exp(-x * x / (2.0 * sigma * sigma)))


def _triangle(x):
    return np.where(x < 1.0, 1.0 - x, 0.0)


# kernel name → (function of |distance|, radius)
_KERNELS = {"lanczos3": (_lanczos(3), 3.0), "lanczos5": (_lanczos(5), 5.0), "gaussian": (_gaussian, 1.5),
            "mitchellcubic": (_mitchell_cubic, 2.0), "keyscubic": (_keys_cubic, 2.0), "triangle": (_triangle, 1.0)}


def _scale_and_translate(in_size: int, out_size: int, kernel_name: str, antialias: bool) -> np.ndarray:
    """TF's ``ScaleAndTranslate`` spans with zero translation: the kernel widened by the downscale factor
    when antialiasing, weights normalised per output sample."""
    kernel, radius = _KERNELS[kernel_name]
    inv_scale = _F32(1.0) / (_F32(out_size) / _F32(in_size))
    kernel_scale = max(float(inv_scale), 1.0) if antialias else 1.0
    weights = np.zeros((out_size, in_size), np.float64)
    for out in range(out_size):
        sample = float((_F32(out) + _F32(0.5)) * inv_scale)
        if sample < 0 or sample > in_size:
            continue
        start = min(max(math.ceil(sample - radius * kernel_scale - 0.5), 0), in_size - 1)
        end = min(max(math.floor(sample + radius * kernel_scale - 0.5), 0), in_size - 1) + 1
        sources = np.arange(start, end)
        taps = kernel(np.abs((sources + 0.5 - sample) / kernel_scale)).astype(_F32).astype(np.float64)
        total = taps.sum()
        if abs(total) >= 1000.0 * np.finfo(np.float32).tiny:
            weights[out, start:end] = taps / total
    return weights


@functools.lru_cache(maxsize=256)
def _axis_weights(in_size: int, out_size: int, method: str, antialias: bool) -> np.ndarray:
    if method == "area":
        return _area(in_size, out_size)
    if method == "bilinear":
        return _scale_and_translate(in_size, out_size, "triangle", True) if antialias else _bilinear(
            in_size, out_size)
    if method == "bicubic":
        return _scale_and_translate(in_size, out_size, "keyscubic", True) if antialias else _bicubic(
            in_size, out_size)
    return _scale_and_translate(in_size, out_size, method, antialias)


@functools.lru_cache(maxsize=256)
def _nearest_indices(in_size: int, out_size: int) -> np.ndarray:
    scale = _F32(in_size) / _F32(out_size)
    position = np.floor((np.arange(out_size, dtype=_F32) + _F32(0.5)) * scale)
    return np.clip(position, 0, in_size - 1).astype(np.int32)


# ---------------------------------------------------------------------------------------------------------
# resize


_METHODS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")


def _target_size(size: Any, height: int, width: int, preserve_aspect_ratio: bool) -> tuple[int, int]:
    values = as_int_list(size)
    if len(values) != 2:
        raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
    new_height, new_width = values
    if preserve_aspect_ratio:
        if height is None or width is None:
            raise NotImplementedError("tf.image.resize with preserve_aspect_ratio of images of unknown height or "
                                      "width is not supported yet")
        factor = min(_F32(new_height) / _F32(height), _F32(new_width) / _F32(width))
        new_height = int(np.rint(factor * _F32(height)))
        new_width = int(np.rint(factor * _F32(width)))
    return new_height, new_width


# The same tables for an input size known only when the graph runs (not differentiable: they hold no input).
ResizeWeights = register(
    "ResizeAxisWeights",
    lambda xp, shape, *, axis, out_size, method, antialias, dtype: _axis_weights(
        int(shape[axis]), out_size, method, antialias).astype(dtype),
    infer=lambda shape, *, out_size, dtype, **attrs: [(TensorShape([out_size, None]), dtypes.from_numpy(dtype))])
NearestIndices = register(
    "ResizeNearestIndices",
    lambda xp, shape, *, axis, out_size: _nearest_indices(int(shape[axis]), out_size).copy(),
    infer=lambda shape, *, out_size, **attrs: [(TensorShape([out_size]), dtypes.int32)])


def _weights(images: Tensor, axis: int, out_size: int, method: str, antialias: bool) -> Tensor:
    """The ``[out, in]`` weights along ``axis`` of ``images``, built when the graph runs if that size is unknown."""
    size = images.shape[axis]
    if size is not None:
        return to_tensor(_axis_weights(size, out_size, method, antialias).astype(images.dtype._np))
    return execute(ResizeWeights, (array_ops.shape(images),), {
        "axis": axis, "out_size": out_size, "method": method, "antialias": antialias, "dtype": images.dtype._np})


def _nearest(images: Tensor, axis: int, out_size: int) -> Tensor:
    """The source index along ``axis`` of every output position of a nearest-neighbour resize."""
    size = images.shape[axis]
    if size is not None:
        return _nearest_indices(size, out_size)
    return execute(NearestIndices, (array_ops.shape(images),), {"axis": axis, "out_size": out_size})


_MAX_TAPS = 16


@functools.lru_cache(maxsize=256)
def _axis_taps(in_size: int, out_size: int, method: str, antialias: bool) -> tuple[np.ndarray, np.ndarray] | None:
    """The banded weight matrix as ``(indices, weights)``, each ``[taps, out]``; None for wide bands."""
    weights = _axis_weights(in_size, out_size, method, antialias)
    nonzero = weights != 0
    first = nonzero.argmax(axis=1)
    last = in_size - 1 - nonzero[:, ::-1].argmax(axis=1)
    taps = int((last - first).max(initial=0)) + 1
    if taps > _MAX_TAPS:
        return None
    indices = np.minimum(first[None, :] + np.arange(taps)[:, None], in_size - 1)
    rows = np.arange(out_size)[None, :]
    band = weights[rows, indices] * (first[None, :] + np.arange(taps)[:, None] <= last[None, :])
    return indices.astype(np.int32), band


def _resize_axis(images: Tensor, axis: int, out_size: int, method: str, antialias: bool) -> Tensor:
    """Resamples ``images`` along ``axis`` (1 or 2): a few gathers when the kernel is narrow, else a matmul."""
    size = images.shape[axis]
    taps = None if size is None else _axis_taps(size, out_size, method, antialias)
    if taps is None:
        weights = _weights(images, axis, out_size, method, antialias)
        return linalg_ops.einsum("oh,nhwc->nowc" if axis == 1 else "ow,nhwc->nhoc", weights, images)
    indices, band = taps
    shape = (-1, 1, 1) if axis == 1 else (-1, 1)
    total = None
    for index, weight in zip(indices, band.astype(images.dtype._np)):
        term = indexing_ops.gather(images, index, axis=axis) * to_tensor(weight.reshape(shape))
        total = term if total is None else total + term
    return total


def _separable(images: Tensor, new_height: int, new_width: int, method: str, antialias: bool) -> Tensor:
    """Resizes a float batch axis by axis with the per-axis weights, in the batch's dtype."""
    return _resize_axis(_resize_axis(images, 1, new_height, method, antialias), 2, new_width, method, antialias)


def _resize_batch(images: Tensor, new_height: int, new_width: int, method: str, antialias: bool) -> Tensor:
    if method == "nearest":
        rows = _nearest(images, 1, new_height)
        cols = _nearest(images, 2, new_width)
        return indexing_ops.gather(indexing_ops.gather(images, rows, axis=1), cols, axis=2)
    if images.dtype is not dtypes.float32:
        images = math_ops.cast(images, dtypes.float32)
    return _separable(images, new_height, new_width, method, antialias)


def _kernel_name(method: str, antialias: bool) -> str:
    """The TF kernel that runs ``method`` (it names resize errors)."""
    names = {"bilinear": "ResizeBilinear", "bicubic": "ResizeBicubic", "nearest": "ResizeNearestNeighbor",
             "area": "ResizeArea"}
    if method in ("nearest", "area") or (method in names and not antialias):
        return names[method]
    return "ScaleAndTranslate"


def _check_images(images: Tensor) -> tuple[Tensor, bool]:
    rank = images.shape.rank
    if rank is None or rank not in (3, 4):
        raise ValueError("'images' must have either 3 or 4 dimensions.")
    if rank == 3:
        return array_ops.expand_dims(images, 0), False
    return images, True


@export("image.resize")
def resize(images: Any, size: Any, method: str = ResizeMethod.BILINEAR, preserve_aspect_ratio: bool = False,
           antialias: bool = False, name: str | None = None) -> Tensor:
    """Resizes ``[h, w, c]`` or ``[n, h, w, c]`` images to ``size`` (TF2 half-pixel sampling).

    Returns:
        float32 images, except ``"nearest"`` which keeps the input dtype.

    Raises:
        ValueError: a rank other than 3 or 4, a bad ``size``, or an unknown ``method``.
    """
    images = to_tensor(images)
    batch, was_batch = _check_images(images)
    if method not in _METHODS:
        raise ValueError(f"Resize method is not implemented: [{method}]")
    _, height, width, _ = batch.shape.as_list()
    new_height, new_width = _target_size(size, height, width, preserve_aspect_ratio)
    if new_height <= 0 or new_width <= 0:
        raise invalid_arg(_kernel_name(method, antialias), "output dimensions must be positive")
    resized = _resize_batch(batch, new_height, new_width, method, antialias)
    return resized if was_batch else array_ops.squeeze(resized, [0])


def _resize_float(images: Any, size: Any, method: str = "bilinear", antialias: bool = False) -> Tensor:
    """``resize`` of a float batch kept in its own dtype (the float64 path the gradient tests use)."""
    images = to_tensor(images)
    new_height, new_width = as_int_list(size)
    return _separable(images, new_height, new_width, method, antialias)


@export("image.resize_with_pad")
def resize_with_pad(image: Any, target_height: int, target_width: int, method: str = ResizeMethod.BILINEAR,
                    antialias: bool = False) -> Tensor:
    """Resizes keeping the aspect ratio, then zero-pads to ``target_height`` × ``target_width``."""
    image = to_tensor(image)
    batch, was_batch = _check_images(image)
    _, height, width, _ = batch.shape.as_list()
    target_height, target_width = int(target_height), int(target_width)
    if target_width <= 0:
        raise ValueError("target_width must be > 0")
    if target_height <= 0:
        raise ValueError("target_height must be > 0")
    ratio = max(_F32(width) / _F32(target_width), _F32(height) / _F32(target_height))
    resized_height, resized_width = _F32(height) / ratio, _F32(width) / ratio
    pad_top = max(0, int(np.floor((_F32(target_height) - resized_height) / _F32(2))))
    pad_left = max(0, int(np.floor((_F32(target_width) - resized_width) / _F32(2))))
    resized = resize(batch, [int(np.floor(resized_height)), int(np.floor(resized_width))], method,
                     antialias=antialias)
    padded = pad_to_bounding_box(resized, pad_top, pad_left, target_height, target_width)
    return padded if was_batch else array_ops.squeeze(padded, [0])


# ---------------------------------------------------------------------------------------------------------
# crop_and_resize


def _sample_positions(low: Tensor, high: Tensor, crop: int, size: int) -> Tensor:
    """Source coordinates ``[boxes, crop]`` for normalised box edges ``low``/``high`` (shape ``[boxes, 1]``)."""
    extent = float(size - 1)
    if crop > 1:
        steps = to_tensor(np.arange(crop, dtype=np.float32)[None, :])
        return low * extent + steps * ((high - low) * extent / float(crop - 1))
    return 0.5 * (low + high) * extent


def _gather_axis(images: Tensor, positions: Tensor, size: int, axis: int, method: str) -> tuple:
    """Gathers along ``axis`` (1 or 2) of per-box images; returns the value(s) and the interpolation weight."""
    if method == "nearest":
        index = math_ops.cast(math_ops.floor(positions + 0.5), dtypes.int32)
        index = math_ops.clip_by_value(index, 0, size - 1)
        return (indexing_ops.gather(images, index, axis=axis, batch_dims=1),), None
    low = math_ops.floor(positions)
    low_index = math_ops.clip_by_value(math_ops.cast(low, dtypes.int32), 0, size - 1)
    high_index = math_ops.clip_by_value(math_ops.cast(math_ops.ceil(positions), dtypes.int32), 0, size - 1)
    values = (indexing_ops.gather(images, low_index, axis=axis, batch_dims=1),
              indexing_ops.gather(images, high_index, axis=axis, batch_dims=1))
    return values, positions - low


@export("image.crop_and_resize")
def crop_and_resize(image: Any, boxes: Any, box_indices: Any, crop_size: Any, method: str = "bilinear",
                    extrapolation_value: float = 0.0, name: str | None = None) -> Tensor:
    """Crops normalised ``boxes`` ``[y1, x1, y2, x2]`` out of ``image[box_indices]`` and resamples each to
    ``crop_size``; samples outside the image get ``extrapolation_value``.

    Returns:
        float32 ``[num_boxes, crop_height, crop_width, depth]``.
    """
    image = to_tensor(image)
    boxes = to_tensor(boxes, dtype_hint=dtypes.float32)
    box_indices = to_tensor(box_indices, dtype_hint=dtypes.int32)
    if method not in ("bilinear", "nearest"):
        raise invalid_arg("CropAndResize", f"Value for attr 'method' of \"{method}\" is not in the list of allowed "
                                           "values: \"bilinear\", \"nearest\"")
    if image.shape.rank != 4:
        raise invalid_arg("CropAndResize", f"input image must be 4-D{image.shape.as_list()}")
    if boxes.shape.rank != 2 or boxes.shape.as_list()[1] != 4:
        raise invalid_arg("CropAndResize", f"boxes must be 2-D[num_boxes, 4]{boxes.shape.as_list()}")
    crop_height, crop_width = as_int_list(crop_size)
    if crop_height <= 0 or crop_width <= 0:
        raise invalid_arg("CropAndResize", "crop dimensions must be positive")
    _, height, width, _ = image.shape.as_list()
    if boxes.dtype is not dtypes.float32:
        boxes = math_ops.cast(boxes, dtypes.float32)
    images = indexing_ops.gather(math_ops.cast(image, dtypes.float32), box_indices)
    y1, x1, y2, x2 = (boxes[:, k:k + 1] for k in range(4))
    rows = _sample_positions(y1, y2, crop_height, height)
    cols = _sample_positions(x1, x2, crop_width, width)

    row_values, row_lerp = _gather_axis(images, rows, height, 1, method)
    samples = []
    for row_value in row_values:
        col_values, col_lerp = _gather_axis(row_value, cols, width, 2, method)
        if col_lerp is None:
            samples.append(col_values[0])
        else:
            lerp = array_ops.reshape(col_lerp, [-1, 1, crop_width, 1])
            samples.append(col_values[0] + (col_values[1] - col_values[0]) * lerp)
    if row_lerp is None:
        out = samples[0]
    else:
        out = samples[0] + (samples[1] - samples[0]) * array_ops.reshape(row_lerp, [-1, crop_height, 1, 1])
    row_inside = math_ops.logical_and(rows >= 0.0, rows <= float(height - 1))
    col_inside = math_ops.logical_and(cols >= 0.0, cols <= float(width - 1))
    inside = math_ops.logical_and(array_ops.reshape(row_inside, [-1, rows.shape[1], 1, 1]),
                                  array_ops.reshape(col_inside, [-1, 1, cols.shape[1], 1]))
    return math_ops.where(inside, out, math_ops.cast(extrapolation_value, dtypes.float32))
