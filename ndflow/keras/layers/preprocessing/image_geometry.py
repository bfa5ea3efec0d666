"""Deterministic image layers: ``Resizing`` and ``CenterCrop``."""
from __future__ import annotations

from typing import Any

import numpy as np

import ndflow as tf

from ._image_layer import ImageLayer, with_spatial_size
from ._image_ops import crop_to_aspect_ratio, resize

__all__ = ["Resizing", "CenterCrop"]

_RESIZE_METHODS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")


class Resizing(ImageLayer):
    """Resizes images to ``(height, width)``.

    Args:
        height, width: the output size.
        interpolation: ``"bilinear"``, ``"nearest"``, ``"bicubic"``, ``"area"``, ``"lanczos3"``, ``"lanczos5"``.
        crop_to_aspect_ratio: first crop the largest centered box with the target aspect ratio.
        pad_to_aspect_ratio: first pad evenly with ``fill_value`` to the target aspect ratio.
        fill_mode: ``"constant"`` (the only padding mode).
        fill_value: the padding value.
        antialias: antialias when downsampling.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Integer images come back with their dtype (rounded and clipped), as Keras does.
    """

    _cast_inputs = False
    _transforms_at_inference = True

    def __init__(self, height: int, width: int, interpolation: str = "bilinear", crop_to_aspect_ratio: bool = False,
                 pad_to_aspect_ratio: bool = False, fill_mode: str = "constant", fill_value: float = 0.0,
                 antialias: bool = False, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def _transform(self, images: Any, parameters: Any, interpolation: str) -> Any:
        if interpolation not in _RESIZE_METHODS:
            raise ValueError(f"Invalid value for argument `interpolation`. Expected of one {_RESIZE_METHODS}. "
                             f"Received: interpolation={interpolation}")
        if self.fill_mode != "constant":
            raise ValueError("Invalid value for argument `fill_mode`. Only `'constant'` is supported. Received: "
                             f"fill_mode={self.fill_mode}")
        resized = resize(images, self.height, self.width, interpolation, self.antialias, self.crop_to_aspect_ratio,
                         self.pad_to_aspect_ratio, self.fill_value)
        if resized.dtype == images.dtype:
            return resized
        if images.dtype.is_integer:
            info = np.iinfo(images.dtype.as_numpy_dtype)
            resized = tf.clip_by_value(tf.round(resized), float(info.min), float(info.max))
        return tf.cast(resized, images.dtype)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return with_spatial_size(input_shape, self.height, self.width, self.data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation, "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias}


class CenterCrop(ImageLayer):
    """Crops the central ``(height, width)`` box; smaller images are aspect-cropped and resized up instead.

    Args:
        height, width: the output size.
        data_format: ``"channels_last"`` or ``"channels_first"``.
    """

    _transforms_at_inference = True

    def __init__(self, height: int, width: int, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width

    def _transform(self, images: Any, parameters: Any, interpolation: str) -> Any:
        static = tuple(images.shape)
        dynamic = tf.shape(images)
        in_h = static[1] if static[1] is not None else dynamic[1]
        in_w = static[2] if static[2] is not None else dynamic[2]
        h_diff, w_diff = in_h - self.height, in_w - self.width
        if (not isinstance(h_diff, int) or h_diff >= 0) and (not isinstance(w_diff, int) or w_diff >= 0):
            top, left = h_diff // 2, w_diff // 2
            return images[:, top:top + self.height, left:left + self.width, :]
        cropped = crop_to_aspect_ratio(images, self.height, self.width)
        return tf.image.resize(cropped, (self.height, self.width), method="bilinear")

    def compute_output_shape(self, input_shape: Any) -> Any:
        input_shape = list(input_shape)
        if (input_shape and isinstance(input_shape[0], (list, tuple))) or len(input_shape) not in (3, 4):
            raise ValueError("`input_shape` must be a non-nested tuple or list of rank-1 with size 3 (unbatched) or 4 "
                             "(batched). ")
        return with_spatial_size(input_shape, self.height, self.width, self.data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width}
