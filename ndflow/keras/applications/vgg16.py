"""VGG16 (Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition", 2015).

Expects ``preprocess_input`` (``caffe`` mode: BGR, ImageNet mean pixel subtracted) inputs, 224×224 by default.
"""
from __future__ import annotations

from typing import Any

from .. import layers
from . import _common, imagenet_utils
from .imagenet_utils import decode_predictions

__all__ = ["VGG16", "preprocess_input", "decode_predictions"]

WEIGHTS_PATH = _common.WEIGHTS_BASE + "vgg16/vgg16_weights_tf_dim_ordering_tf_kernels.h5"
WEIGHTS_PATH_NO_TOP = _common.WEIGHTS_BASE + "vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
_HASHES = ("64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc")


def build_vgg(convs_per_block: tuple, include_top: bool, weights: Any, input_tensor: Any, input_shape: Any,
              pooling: str | None, classes: int, classifier_activation: Any, name: str,
              weight_files: tuple) -> Any:
    """A VGG network: five blocks of 3×3 "same" convolutions (64, 128, 256, 512, 512 filters, ``convs_per_block``
    of them) each followed by 2×2 max pooling, then two 4096-unit dense layers and the classifier.

    Args:
        weight_files: ``((url, hash) with the top, (url, hash) without)``.
    """
    _common.check_arguments(
        weights, include_top, classes,
        "The `weights` argument should be either `None` (random initialization), 'imagenet' "
        "(pre-training on ImageNet), or the path to the weights file to be loaded.  Received: "
        f"weights={weights}",
        "If using `weights='imagenet'` with "
        f"`include_top=True`, `classes` should be 1000.  Received classes={classes}")
    input_shape = _common.image_shape(input_shape, 224, 32, include_top, weights)
    img_input = _common.image_input(input_tensor, input_shape)
    x = img_input
    for block, (filters, convs) in enumerate(zip((64, 128, 256, 512, 512), convs_per_block), start=1):
        for conv in range(1, convs + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same",
                              name=f"block{block}_conv{conv}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.pool(x, pooling)

    def pretrained_path() -> str:
        return _common.download(*weight_files[0 if include_top else 1])

    return _common.finish(img_input, input_tensor, x, name, weights, pretrained_path)


def VGG16(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None, input_shape: Any = None,
          pooling: str | None = None, classes: int = 1000, classifier_activation: Any = "softmax",
          name: str = "vgg16") -> Any:
    """Instantiates the VGG16 model (13 convolutions in 5 blocks, 3 dense layers).

    Args:
        include_top: whether to include the 3 dense layers at the top.
        weights: ``None`` (random initialization), ``"imagenet"`` or the path of a weights file.
        input_tensor: an optional KerasTensor to use as the image input.
        input_shape: the image shape (only with ``include_top=False``; at least 32×32).
        pooling: with ``include_top=False``: ``None`` (4D features), ``"avg"`` or ``"max"`` global pooling.
        classes: number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the top layer's activation (``None`` or ``"softmax"`` with pretrained weights).
        name: the model's name.

    Returns:
        A functional ``Model``.

    Raises:
        ValueError: invalid ``weights``, ``classes``, ``input_shape`` or ``classifier_activation``.
    """
    return build_vgg((2, 2, 3, 3, 3), include_top, weights, input_tensor, input_shape, pooling, classes,
                     classifier_activation, name, ((WEIGHTS_PATH, _HASHES[0]), (WEIGHTS_PATH_NO_TOP, _HASHES[1])))


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Converts RGB images in [0, 255] to BGR and subtracts the ImageNet mean pixel (``caffe`` mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")
