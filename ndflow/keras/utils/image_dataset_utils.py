"""``keras.utils.image_dataset_from_directory``: an ``ndflow.data.Dataset`` of images read from class folders."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import backend
from .dataset_utils import (
    build_subsets,
    check_binary_class_count,
    check_format,
    check_label_args,
    check_validation_split_arg,
    index_directory,
    paths_and_labels_to_dataset,
)

__all__ = ["image_dataset_from_directory", "ALLOWLIST_FORMATS"]

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}
_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")


def _load_image(path: str, image_size: tuple, num_channels: int, interpolation: str, data_format: str,
                crop_to_aspect_ratio: bool, pad_to_aspect_ratio: bool) -> np.ndarray:
    """Decodes ``path`` and resizes it the way Keras does (``tf.image`` ops): float32, or uint8 for
    ``"nearest"``."""
    from ... import image as tf_image
    from ... import io as tf_io
    from .image_utils import smart_resize

    img = tf_image.decode_image(tf_io.read_file(path), channels=num_channels, expand_animations=False)
    if crop_to_aspect_ratio:
        img = smart_resize(img, image_size, interpolation=interpolation)
    elif pad_to_aspect_ratio:
        img = tf_image.resize_with_pad(img, image_size[0], image_size[1], method=interpolation)
    else:
        img = tf_image.resize(img, image_size, method=interpolation)
    img = img.numpy()
    return img.transpose(2, 0, 1) if data_format == "channels_first" else img


def image_dataset_from_directory(directory: str, labels: Any = "inferred", label_mode: str | None = "int",
                                 class_names: list | None = None, color_mode: str = "rgb",
                                 batch_size: int | None = 32, image_size: Any = (256, 256), shuffle: bool = True,
                                 seed: int | None = None, validation_split: float | None = None,
                                 subset: str | None = None, interpolation: str = "bilinear",
                                 follow_links: bool = False, crop_to_aspect_ratio: bool = False,
                                 pad_to_aspect_ratio: bool = False, data_format: str | None = None,
                                 format: str = "tf", verbose: bool = True):
    """A dataset of ``(images, labels)`` batches from ``directory`` (one sub-folder per class).

    Images (bmp, gif, jpeg, png) are decoded, resized to ``image_size`` and yielded as float32 ``(batch, height,
    width, channels)`` (uint8 with ``interpolation="nearest"``, as in Keras); labels follow ``label_mode``:
    ``"int"`` (int32), ``"categorical"`` (one-hot float32), ``"binary"`` (float32 ``(batch, 1)``) or ``None``
    (images only). With ``validation_split`` and
    ``subset="training"``/``"validation"`` one part is returned, with ``subset="both"`` the pair
    ``[train, validation]``. The dataset carries ``class_names`` and ``file_paths`` attributes.
    With ``shuffle``, the file order comes from ``np.random.RandomState(seed)`` as in Keras; the per-epoch
    shuffle buffer uses ndflow's random order.
    """
    from ... import TensorSpec, float32, uint8

    check_label_args(labels, label_mode, class_names, "image")
    if labels is None or label_mode is None:
        labels = label_mode = None
    if color_mode not in _CHANNELS:
        raise ValueError('`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
                         f"Received: color_mode={color_mode}")
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError("Invalid `image_size` value. Expected a tuple of 2 integers. "
                         f"Received: image_size={image_size}")
    interpolation = interpolation.lower()
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"Argument `interpolation` should be one of {_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation}")
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.")
    check_format(format)
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    image_paths, labels, class_names = index_directory(directory, labels, formats=ALLOWLIST_FORMATS,
                                                       class_names=class_names, shuffle=shuffle, seed=seed,
                                                       follow_links=follow_links, verbose=verbose)
    check_binary_class_count(label_mode, class_names)
    data_format = backend.standardize_data_format(data_format)
    num_channels = _CHANNELS[color_mode]
    image_size = tuple(image_size)
    shape = (num_channels, *image_size) if data_format == "channels_first" else (*image_size, num_channels)
    image_spec = TensorSpec(shape, uint8 if interpolation == "nearest" else float32)
    num_classes = len(class_names) if class_names else 0
    buffer = batch_size * 8 if batch_size is not None else 1024

    def load(path):
        return _load_image(path, image_size, num_channels, interpolation, data_format, crop_to_aspect_ratio,
                           pad_to_aspect_ratio)

    def build(paths, part_labels, shuffle_part):
        dataset = paths_and_labels_to_dataset(paths, part_labels, label_mode, num_classes, load, image_spec,
                                              shuffle_part, buffer, seed, batch_size)
        dataset.class_names = class_names
        dataset.file_paths = paths
        return dataset

    return build_subsets(image_paths, labels, validation_split, subset, shuffle, build,
                         lambda part: f"No {part}images found in directory {directory}. Allowed formats: "
                                      f"{ALLOWLIST_FORMATS}")
