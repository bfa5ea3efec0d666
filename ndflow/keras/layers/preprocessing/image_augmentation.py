"""Random image augmentation layers: ``RandomFlip``, ``RandomRotation``, ``RandomZoom``, ``RandomTranslation``,
``RandomContrast``, ``RandomBrightness`` and ``RandomCrop``.

They transform only when training (a direct call counts as training, as in Keras; ``fit`` trains, ``predict``
does not). Each draw comes from the layer's ``SeedGenerator``: a ``seed`` makes the sequence reproducible
(ndflow's random streams, not TensorFlow's). Given its random parameters, each transform is Keras's exactly.
"""
from __future__ import annotations

from typing import Any

import ndflow as tf

from ... import random as keras_random
from ._image_layer import ImageLayer, check_factor, with_spatial_size
from ._image_ops import FILL_MODES, INTERPOLATIONS, affine_matrix, affine_transform

__all__ = ["RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast", "RandomBrightness",
           "RandomCrop"]

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


def _uniform(shape: Any, minval: float, maxval: float, generator: Any, dtype: str = "float32") -> Any:
    """Uniform draws of a (possibly dynamic) shape from a ``SeedGenerator``."""
    return tf.random.stateless_uniform(shape, seed=keras_random.draw_seed(generator), minval=minval, maxval=maxval,
                                       dtype=dtype)


def _batch_size(images: Any) -> Any:
    return images.shape[0] if images.shape[0] is not None else tf.shape(images)[0]


def _check_fill_and_interpolation(fill_mode: str, interpolation: str) -> None:
    if fill_mode not in FILL_MODES:
        raise NotImplementedError(f"Unknown `fill_mode` {fill_mode}. Expected of one {FILL_MODES}.")
    if interpolation not in INTERPOLATIONS:
        raise NotImplementedError(f"Unknown `interpolation` {interpolation}. Expected of one {INTERPOLATIONS}.")


class RandomFlip(ImageLayer):
    """Flips each image with probability 1/2 (horizontally, vertically, or both together).

    Args:
        mode: ``"horizontal"``, ``"vertical"`` or ``"horizontal_and_vertical"``.
        seed: makes the draws reproducible.
        data_format: ``"channels_last"`` or ``"channels_first"``.
    """

    def __init__(self, mode: str = HORIZONTAL_AND_VERTICAL, seed: int | None = None, data_format: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(data_format=data_format, **kwargs)
        self.seed = seed
        self.generator = keras_random.SeedGenerator(seed)
        self.mode = mode

    def _parameters(self, images: Any, training: bool) -> Any:
        if not training:
            return None
        draws = _uniform(tf.stack([_batch_size(images), 1, 1, 1]), 0.0, 1.0, self.generator)
        return tf.less_equal(draws, 0.5)

    def _transform(self, images: Any, flips: Any, interpolation: str) -> Any:
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            images = tf.where(flips, tf.reverse(images, axis=[2]), images)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            images = tf.where(flips, tf.reverse(images, axis=[1]), images)
        return images

    def get_config(self) -> dict:
        return {**super().get_config(), "seed": self.seed, "mode": self.mode}


class _AffineLayer(ImageLayer):
    """An augmentation that resamples images through a random affine transform."""

    def _setup(self, fill_mode: str, interpolation: str, seed: int | None, fill_value: float) -> None:
        _check_fill_and_interpolation(fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.seed = seed
        self.fill_value = fill_value
        self.generator = keras_random.SeedGenerator(seed)

    def _matrix(self, images: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}._matrix")

    def _parameters(self, images: Any, training: bool) -> Any:
        return self._matrix(images) if training else None

    def _transform(self, images: Any, matrix: Any, interpolation: str) -> Any:
        return affine_transform(images, matrix, interpolation, self.fill_mode, self.fill_value)


class RandomRotation(_AffineLayer):
    """Rotates each image by a random angle about its center.

    Args:
        factor: a fraction of a full turn: ``f`` draws from ``[-f, f]``, a pair ``(a, b)`` from ``[a, b]``
            (``0.25`` is up to 90 degrees either way).
        fill_mode: ``"reflect"``, ``"wrap"``, ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        seed: makes the draws reproducible.
        fill_value: the value outside the image with ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.
    """

    def __init__(self, factor: Any, fill_mode: str = "reflect", interpolation: str = "bilinear",
                 seed: int | None = None, fill_value: float = 0.0, data_format: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(data_format=data_format, **kwargs)
        self.factor = check_factor(factor, (-1, 1), "The `factor` argument should be a number (or a list of two "
                                   f"numbers) in the range [-1, 1]. Received: factor={factor}")
        self._setup(fill_mode, interpolation, seed, fill_value)

    def _matrix(self, images: Any) -> Any:
        shape = tf.shape(images)
        batch = _batch_size(images)
        angle = _uniform(tf.reshape(batch, [1]), self.factor[0] * 360.0, self.factor[1] * 360.0, self.generator)
        zeros = tf.zeros_like(angle)
        return affine_matrix(angle, zeros, zeros, tf.ones_like(angle), shape[1], shape[2])

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "interpolation": self.interpolation, "seed": self.seed}


def _range_factor(factor: Any, name: str, open_below: bool, message: str) -> tuple:
    """``(lower, upper)`` of a zoom/translation factor in ``(-1, 1]`` (zoom) or ``[-1, 1]`` (translation)."""
    def check(value: float) -> None:
        if value > 1.0 or (value <= -1.0 if open_below else value < -1.0):
            raise ValueError(message + f"Received: input_number={value}")

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(message + f"Received: {name}={factor}")
        check(factor[0])
        check(factor[1])
        lower, upper = sorted(factor)
        return lower, upper
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        check(factor)
        return -abs(factor), abs(factor)
    raise ValueError(message + f"Received: {name}={factor}")


class RandomZoom(_AffineLayer):
    """Zooms each image in or out by a random factor about its center.

    Args:
        height_factor: ``f`` draws a vertical zoom in ``[1 - f, 1 + f]`` (positive: zoom out), a pair ``(a, b)``
            in ``[1 + a, 1 + b]``; values in ``(-1, 1]``.
        width_factor: the same horizontally; ``None`` keeps the aspect ratio (the vertical draw).
        fill_mode, interpolation, seed, fill_value, data_format: as ``RandomRotation``.
    """

    _MESSAGE = ("The `height_factor` and `width_factor` arguments should be a number (or a list of two numbers) in "
                "the range (-1.0, 1.0]. ")

    def __init__(self, height_factor: Any, width_factor: Any = None, fill_mode: str = "reflect",
                 interpolation: str = "bilinear", seed: int | None = None, fill_value: float = 0.0,
                 data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _range_factor(height_factor, "height_factor", True, self._MESSAGE)
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = _range_factor(width_factor, "width_factor", True, self._MESSAGE)
        self._setup(fill_mode, interpolation, seed, fill_value)

    def _matrix(self, images: Any) -> Any:
        shape = tf.shape(images)
        draw_shape = tf.stack([_batch_size(images), 1])
        zoom_y = _uniform(draw_shape, 1.0 + self.height_lower, 1.0 + self.height_upper, self.generator)
        zoom_x = zoom_y if self.width_factor is None else \
            _uniform(draw_shape, 1.0 + self.width_lower, 1.0 + self.width_upper, self.generator)
        height = tf.cast(shape[1], "float32")
        width = tf.cast(shape[2], "float32")
        zeros = tf.zeros_like(zoom_x)
        return tf.concat([zoom_x, zeros, (width - 1.0) / 2.0 * (1.0 - zoom_x), zeros, zoom_y,
                          (height - 1.0) / 2.0 * (1.0 - zoom_y), zeros, zeros], axis=1)

    def get_config(self) -> dict:
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor,
                "fill_mode": self.fill_mode, "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value}


class RandomTranslation(_AffineLayer):
    """Shifts each image by a random fraction of its height and width.

    Args:
        height_factor: ``f`` draws a vertical shift in ``[-f, f]`` of the height, a pair ``(a, b)`` in
            ``[a, b]`` (positive: down); values in ``[-1, 1]``.
        width_factor: the same horizontally (positive: right).
        fill_mode, interpolation, seed, fill_value, data_format: as ``RandomRotation``.
    """

    _MESSAGE = "The `factor` argument should be a number (or a list of two numbers) in the range [-1.0, 1.0]. "

    def __init__(self, height_factor: Any, width_factor: Any, fill_mode: str = "reflect",
                 interpolation: str = "bilinear", seed: int | None = None, fill_value: float = 0.0,
                 data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _range_factor(height_factor, "height_factor", False, self._MESSAGE)
        self.width_factor = width_factor
        self.width_lower, self.width_upper = _range_factor(width_factor, "width_factor", False, self._MESSAGE)
        self._setup(fill_mode, interpolation, seed, fill_value)

    def _matrix(self, images: Any) -> Any:
        shape = tf.shape(images)
        draw_shape = tf.stack([_batch_size(images), 1])
        shift_y = _uniform(draw_shape, self.height_lower, self.height_upper, self.generator)
        shift_y = shift_y * tf.cast(shape[1], "float32")
        shift_x = _uniform(draw_shape, self.width_lower, self.width_upper, self.generator)
        shift_x = shift_x * tf.cast(shape[2], "float32")
        ones, zeros = tf.ones_like(shift_x), tf.zeros_like(shift_x)
        return tf.concat([ones, zeros, -shift_x, zeros, ones, -shift_y, zeros, zeros], axis=1)

    def get_config(self) -> dict:
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor,
                "fill_mode": self.fill_mode, "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value}


class RandomContrast(ImageLayer):
    """Scales each image's deviation from its per-channel mean by a random factor, then clips to
    ``value_range``.

    Args:
        factor: ``f`` draws from ``[1 - f, 1 + f]``, a pair ``(a, b)`` from ``[1 - a, 1 + b]``; in ``[0, 1]``.
        value_range: the ``(min, max)`` the outputs are clipped to.
        seed: makes the draws reproducible.
    """

    _cast_at_inference = False
    _transforms_masks = False

    def __init__(self, factor: Any, value_range: Any = (0, 255), seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.factor = check_factor(factor, (0, 1), "The `factor` argument should be a number (or a list of two "
                                   f"numbers) in the range [0, 1]. Received: factor={factor}")
        self.value_range = value_range
        self.seed = seed
        self.generator = keras_random.SeedGenerator(seed)

    def _parameters(self, images: Any, training: bool) -> Any:
        if not training:
            return None
        return _uniform(tf.stack([_batch_size(images), 1, 1, 1]), 1.0 - self.factor[0], 1.0 + self.factor[1],
                        self.generator, self.compute_dtype)

    def _transform(self, images: Any, factor: Any, interpolation: str) -> Any:
        mean = tf.reduce_mean(tf.reduce_mean(images, axis=1, keepdims=True), axis=2, keepdims=True)
        outputs = (images - mean) * factor + mean
        return tf.clip_by_value(outputs, self.value_range[0], self.value_range[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range, "seed": self.seed}


class RandomBrightness(ImageLayer):
    """Adds a random offset (a fraction of the value range) to each image, then clips to ``value_range``.

    Args:
        factor: ``f`` draws the fraction from ``[-f, f]``, a pair ``(a, b)`` from ``[a, b]``; in ``[-1, 1]``.
        value_range: the ``(min, max)`` of the pixel values.
        seed: makes the draws reproducible.
    """

    _cast_at_inference = False
    _transforms_masks = False

    def __init__(self, factor: Any, value_range: Any = (0, 255), seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.factor = check_factor(factor, (-1, 1), "The `factor` argument should be a number (or a list of two "
                                   f"numbers) in the range [-1, 1]. Received: factor={factor}")
        self.seed = seed
        self.generator = keras_random.SeedGenerator(seed)
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError("The `value_range` argument should be a list of two numbers. Received: "
                             f"value_range={value_range}")
        self.value_range = sorted(value_range)

    def _parameters(self, images: Any, training: bool) -> Any:
        if not training:
            return None
        delta = _uniform(tf.stack([_batch_size(images), 1, 1, 1]), self.factor[0], self.factor[1], self.generator)
        return delta * (self.value_range[1] - self.value_range[0])

    def _transform(self, images: Any, delta: Any, interpolation: str) -> Any:
        images = images + tf.cast(delta, images.dtype)
        return tf.clip_by_value(images, self.value_range[0], self.value_range[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range, "seed": self.seed}


class RandomCrop(ImageLayer):
    """Crops a random ``(height, width)`` box (the same box for the whole batch) when training.

    Images not larger than the box in both dimensions are aspect-cropped at the center and resized instead;
    at inference the images pass unchanged, as in Keras 3.

    Args:
        height, width: the output size.
        seed: makes the draws reproducible (default: a random seed, reported by ``get_config``).
        data_format: ``"channels_last"`` or ``"channels_first"``.
    """

    _cast_at_inference = False

    def __init__(self, height: int, width: int, seed: int | None = None, data_format: str | None = None,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(data_format=data_format, name=name, **kwargs)
        self.height = height
        self.width = width
        self.seed = seed if seed is not None else keras_random.make_default_seed()
        self.generator = keras_random.SeedGenerator(seed)
        self.supports_masking = False

    def _parameters(self, images: Any, training: bool) -> Any:
        in_h, in_w = images.shape[1], images.shape[2]
        if in_h is None or in_w is None:
            raise ValueError("RandomCrop requires the input to have a fully defined height and width. Received: "
                             f"images.shape={tuple(images.shape)}")
        if training and in_h > self.height and in_w > self.width:
            top = tf.cast(_uniform([], 0.0, float(in_h - self.height + 1), self.generator), "int32")
            left = tf.cast(_uniform([], 0.0, float(in_w - self.width + 1), self.generator), "int32")
            return top, left
        crop_h = max(min(in_h, int(float(in_w * self.height) / self.width)), 1)
        crop_w = max(min(in_w, int(float(in_h * self.width) / self.height)), 1)
        return int(float(in_h - crop_h) / 2), int(float(in_w - crop_w) / 2)

    def _transform(self, images: Any, start: Any, interpolation: str) -> Any:
        top, left = start
        images = images[:, top:top + self.height, left:left + self.width, :]
        if tuple(images.shape[1:3]) != (self.height, self.width):
            images = tf.cast(tf.image.resize(images, (self.height, self.width)), self.compute_dtype)
        return images

    def compute_output_shape(self, input_shape: Any) -> Any:
        return with_spatial_size(input_shape, self.height, self.width, self.data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width, "seed": self.seed}
