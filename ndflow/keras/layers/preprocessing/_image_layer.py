"""The base of the image preprocessing layers: batched or single images, channels-last or channels-first, plain
tensors or ``{"images": …, "labels": …, "segmentation_masks": …}`` dicts."""
from __future__ import annotations

from typing import Any

import ndflow as tf

from ...backend import standardize_data_format
from ..layer import Layer

__all__ = ["ImageLayer", "check_factor", "with_spatial_size"]


def check_factor(factor: Any, bounds: tuple, message: str) -> tuple:
    """``(lower, upper)`` from a number ``f`` (``(-f, f)`` clipped to ``bounds``) or a pair.

    Raises:
        ValueError: not a number or a pair, or outside ``bounds``.
    """
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or factor[0] > bounds[1] or factor[1] < bounds[0]:
            raise ValueError(message)
        lower, upper = sorted(factor)
        return lower, upper
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        if factor < bounds[0] or factor > bounds[1]:
            raise ValueError(message)
        factor = abs(factor)
        return max(-factor, bounds[0]), factor
    raise ValueError(message)


def with_spatial_size(input_shape: Any, height: int, width: int, data_format: str) -> tuple:
    """``input_shape`` (an image or a batch) with its height and width replaced."""
    shape = list(input_shape)
    rows = -2 if data_format == "channels_first" else -3
    shape[rows], shape[rows + 1] = height, width
    return tuple(shape)


class ImageLayer(Layer):
    """Applies ``_transform`` to a ``[batch, height, width, channels]`` view of the images.

    Subclasses draw their random parameters in ``_parameters(images, training)`` (``None``: leave the images
    unchanged) and apply them in ``_transform(images, parameters, interpolation)``; both see channels-last batches.
    """

    interpolation = "bilinear"
    _cast_inputs = True  # images become the layer's compute dtype …
    _cast_at_inference = True  # … also when not training
    _transforms_at_inference = False  # deterministic layers transform whatever `training` says
    _transforms_masks = True  # geometric layers move segmentation masks with the images (nearest sampling)

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.built = True

    def _parameters(self, images: Any, training: bool) -> Any:
        return None

    def _transform(self, images: Any, parameters: Any, interpolation: str) -> Any:
        raise NotImplementedError(f"{type(self).__name__}._transform")

    def call(self, data: Any, training: bool = True) -> Any:
        if isinstance(data, dict):
            if "bounding_boxes" in data:
                raise NotImplementedError(f"{type(self).__name__} with bounding boxes is not supported yet")
            data = dict(data)
            images, unbatch = self._as_batch(tf.convert_to_tensor(data["images"]))
            parameters = self._parameters(images, training)
            data["images"] = self._apply(images, parameters, training, self.interpolation, unbatch, True)
            if "segmentation_masks" in data and self._transforms_masks:
                masks, unbatch = self._as_batch(tf.convert_to_tensor(data["segmentation_masks"]))
                data["segmentation_masks"] = self._apply(masks, parameters, training, "nearest", unbatch, False)
            return data
        images, unbatch = self._as_batch(tf.convert_to_tensor(data))
        parameters = self._parameters(images, training)
        return self._apply(images, parameters, training, self.interpolation, unbatch, True)

    def _as_batch(self, images: Any) -> tuple:
        """A channels-last batch, and whether the input was a single image."""
        rank = images.shape.rank
        if rank not in (3, 4):
            raise ValueError("Expected image tensor to have rank 3 (single image) or 4 (batch of images). Received: "
                             f"data.shape={tuple(images.shape)}")
        if rank == 3:
            images = tf.expand_dims(images, 0)
        if self.data_format == "channels_first":
            images = tf.transpose(images, (0, 2, 3, 1))
        return images, rank == 3

    def _apply(self, images: Any, parameters: Any, training: bool, interpolation: str, unbatch: bool,
               cast: bool) -> Any:
        if cast and self._cast_inputs and (training or self._cast_at_inference):
            images = tf.cast(images, self.compute_dtype)
        if training and parameters is not None or self._transforms_at_inference:
            images = self._transform(images, parameters, interpolation)
        if self.data_format == "channels_first":
            images = tf.transpose(images, (0, 3, 1, 2))
        return tf.squeeze(images, 0) if unbatch else images

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}
