"""Image operations behind the image preprocessing layers, written with ndflow ops (traceable, differentiable
with respect to the images): projective transforms as TensorFlow's ``ImageProjectiveTransformV3`` computes them,
the affine matrices Keras builds, and Keras's aspect-ratio crop/pad for resizing."""
from __future__ import annotations

import math
from typing import Any

import ndflow as tf

__all__ = ["affine_transform", "affine_matrix", "resize", "crop_to_aspect_ratio", "pad_to_aspect_ratio"]

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def _reflect(coord: Any, size: Any) -> Any:
    """Mirror ``coord`` into ``[0, size - 1]`` about the pixel edges (``d c b a | a b c d | d c b a``)."""
    period = 2.0 * size
    below = coord < 0
    low = tf.where(coord < -period, period * tf.math.floor(-coord / period) + coord, coord)
    low = tf.where(low < -size, low + period, -low - 1.0)
    high = coord - period * tf.math.floor(coord / period)
    high = tf.where(high >= size, period - high - 1.0, high)
    mapped = tf.where(below, low, tf.where(coord > size - 1.0, high, coord))
    return tf.where(size <= 1.0, tf.zeros_like(coord), mapped)


def _wrap(coord: Any, size: Any) -> Any:
    """Wrap ``coord`` around into ``[0, size - 1]`` (``a b c d | a b c d | a b c d``)."""
    span = tf.maximum(size - 1.0, 1.0)
    low = coord + size * (tf.math.floor(-coord / span) + 1.0)
    high = coord - size * tf.math.floor(coord / span)
    mapped = tf.where(coord < 0, low, tf.where(coord > size - 1.0, high, coord))
    return tf.where(size <= 1.0, tf.zeros_like(coord), mapped)


def _map_coordinate(coord: Any, size: Any, fill_mode: str) -> Any:
    if fill_mode == "constant":
        return coord
    if fill_mode == "reflect":
        coord = _reflect(coord, size)
    elif fill_mode == "wrap":
        coord = _wrap(coord, size)
    return tf.clip_by_value(coord, 0.0, size - 1.0)


def _round_half_away(x: Any) -> Any:
    return tf.sign(x) * tf.math.floor(tf.abs(x) + 0.5)


def affine_transform(images: Any, transform: Any, interpolation: str = "bilinear", fill_mode: str = "constant",
                     fill_value: float = 0.0) -> Any:
    """Projective transform of a ``[batch, height, width, channels]`` batch.

    Each output pixel ``(x, y)`` samples the input at ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`` with
    ``k = c0 x + c1 y + 1``, for ``transform`` rows ``[a0, a1, a2, b0, b1, b2, c0, c1]`` (one row, or one per
    image).

    Args:
        images: the image batch.
        transform: ``[8]`` or ``[batch, 8]`` transform rows.
        interpolation: ``"nearest"`` or ``"bilinear"``.
        fill_mode: how points outside the input are read: ``"reflect"``, ``"wrap"``, ``"nearest"`` or
            ``"constant"`` (``fill_value``).
        fill_value: the value outside the input in ``"constant"`` mode.

    Returns:
        The transformed batch, shaped and typed like ``images``.
    """
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"Invalid value for argument `interpolation`. Expected of one {INTERPOLATIONS}. Received: "
                         f"interpolation={interpolation}")
    if fill_mode not in FILL_MODES:
        raise ValueError(f"Invalid value for argument `fill_mode`. Expected of one {FILL_MODES}. Received: "
                         f"fill_mode={fill_mode}")
    dtype = images.dtype
    shape = tf.shape(images)
    batch, height, width, channels = shape[0], shape[1], shape[2], shape[3]
    transform = tf.cast(transform, "float32")
    if transform.shape.rank == 1:
        transform = tf.expand_dims(transform, 0)
    transform = tf.broadcast_to(transform, tf.stack([batch, 8]))
    h = tf.cast(height, "float32")
    w = tf.cast(width, "float32")
    ys = tf.reshape(tf.cast(tf.range(height), "float32"), [1, -1, 1])
    xs = tf.reshape(tf.cast(tf.range(width), "float32"), [1, 1, -1])
    row = [tf.reshape(transform[:, i], [-1, 1, 1]) for i in range(8)]
    projection = row[6] * xs + row[7] * ys + 1.0
    in_x = (row[0] * xs + row[1] * ys + row[2]) / projection
    in_y = (row[3] * xs + row[4] * ys + row[5]) / projection
    in_x = _map_coordinate(in_x, w, fill_mode)
    in_y = _map_coordinate(in_y, h, fill_mode)

    flat = tf.reshape(tf.cast(images, "float32"), tf.stack([-1, channels]))
    base = tf.reshape(tf.range(batch) * height * width, [-1, 1, 1])
    fill = tf.constant(fill_value, "float32")

    def read(y: Any, x: Any) -> Any:
        inside = (y >= 0) & (y <= h - 1.0) & (x >= 0) & (x <= w - 1.0)
        yi = tf.cast(tf.clip_by_value(y, 0.0, h - 1.0), "int32")
        xi = tf.cast(tf.clip_by_value(x, 0.0, w - 1.0), "int32")
        values = tf.gather(flat, base + yi * width + xi)
        return tf.where(tf.expand_dims(inside, -1), values, fill)

    if interpolation == "nearest":
        out = read(_round_half_away(in_y), _round_half_away(in_x))
    else:
        y0 = tf.math.floor(in_y)
        x0 = tf.math.floor(in_x)
        y1 = y0 + 1.0
        x1 = x0 + 1.0
        wx0 = tf.expand_dims(x1 - in_x, -1)
        wx1 = tf.expand_dims(in_x - x0, -1)
        top = wx0 * read(y0, x0) + wx1 * read(y0, x1)
        bottom = wx0 * read(y1, x0) + wx1 * read(y1, x1)
        out = tf.expand_dims(y1 - in_y, -1) * top + tf.expand_dims(in_y - y0, -1) * bottom
    out = tf.where(tf.expand_dims(tf.equal(projection, 0.0), -1), fill, out)
    if dtype.is_integer:
        out = tf.round(out)
    return tf.ensure_shape(tf.cast(out, dtype), images.shape)


def affine_matrix(angle: Any, translate_x: Any, translate_y: Any, scale: Any, height: Any, width: Any,
                  center_x: float = 0.5, center_y: float = 0.5) -> Any:
    """``[batch, 8]`` transform rows for a rotation by ``angle`` degrees about the relative center, a scale and
    a translation (in pixels), as Keras's image layers build them (no shear)."""
    angle = angle * (math.pi / 180.0)
    width = tf.cast(width, angle.dtype)
    height = tf.cast(height, angle.dtype)
    cx = center_x * (width - 1)
    cy = center_y * (height - 1)
    cos, sin = tf.cos(angle), tf.sin(angle)
    a0, a1 = scale * cos, scale * -sin
    b0, b1 = scale * sin, scale * cos
    a2 = translate_x + cx - cx * a0 - cy * a1
    b2 = translate_y + cy - cx * b0 - cy * b1
    zeros = tf.zeros_like(angle)
    return tf.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)


def _aspect_box(height: Any, width: Any, target_height: int, target_width: int, shrink: bool) -> tuple:
    """The (box height, box width, start row, start column) of Keras's aspect-ratio crop (``shrink``) or pad."""
    box_h = tf.cast(tf.cast(width * target_height, "float32") / target_width, "int32")
    box_w = tf.cast(tf.cast(height * target_width, "float32") / target_height, "int32")
    if shrink:
        box_h = tf.maximum(tf.minimum(height, box_h), 1)
        box_w = tf.maximum(tf.minimum(width, box_w), 1)
        start_h = tf.cast(tf.cast(height - box_h, "float32") / 2, "int32")
        start_w = tf.cast(tf.cast(width - box_w, "float32") / 2, "int32")
    else:
        box_h = tf.maximum(height, box_h)
        box_w = tf.maximum(width, box_w)
        start_h = tf.cast(tf.cast(box_h - height, "float32") / 2, "int32")
        start_w = tf.cast(tf.cast(box_w - width, "float32") / 2, "int32")
    return box_h, box_w, start_h, start_w


def crop_to_aspect_ratio(images: Any, target_height: int, target_width: int) -> Any:
    """The largest centered crop of a ``[batch, h, w, c]`` batch with the target aspect ratio."""
    shape = tf.shape(images)
    box_h, box_w, start_h, start_w = _aspect_box(shape[1], shape[2], target_height, target_width, shrink=True)
    return images[:, start_h:start_h + box_h, start_w:start_w + box_w, :]


def pad_to_aspect_ratio(images: Any, target_height: int, target_width: int, fill_value: float) -> Any:
    """The batch padded evenly on both sides (with ``fill_value``) to the target aspect ratio."""
    shape = tf.shape(images)
    batch, height, width, channels = shape[0], shape[1], shape[2], shape[3]
    _, _, pad_h, pad_w = _aspect_box(height, width, target_height, target_width, shrink=False)
    value = tf.cast(fill_value, images.dtype)
    rows = tf.fill(tf.stack([batch, pad_h, width, channels]), value)
    images = tf.concat([rows, images, rows], axis=1)
    columns = tf.fill(tf.stack([batch, height + 2 * pad_h, pad_w, channels]), value)
    return tf.concat([columns, images, columns], axis=2)


def resize(images: Any, height: int, width: int, interpolation: str = "bilinear", antialias: bool = False,
           crop_to_aspect: bool = False, pad_to_aspect: bool = False, fill_value: float = 0.0) -> Any:
    """A ``[batch, h, w, c]`` batch resized to ``(height, width)`` (``tf.image.resize``), after an optional
    aspect-ratio crop or pad."""
    if crop_to_aspect and pad_to_aspect:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.")
    if crop_to_aspect:
        images = crop_to_aspect_ratio(images, height, width)
    elif pad_to_aspect:
        images = pad_to_aspect_ratio(images, height, width, fill_value)
    return tf.image.resize(images, (height, width), method=interpolation, antialias=antialias)
