"""MobileNet (Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
Applications", 2017): depthwise separable convolutions with a width multiplier ``alpha``.

Expects ``preprocess_input`` (``tf`` mode: pixels scaled to [-1, 1]) inputs; 224×224 by default, ImageNet
weights exist for 128, 160, 192 and 224.
"""
from __future__ import annotations

import warnings
from typing import Any

from .. import layers
from . import _common, imagenet_utils
from .imagenet_utils import decode_predictions

__all__ = ["MobileNet", "preprocess_input", "decode_predictions"]

BASE_WEIGHT_PATH = _common.WEIGHTS_BASE + "mobilenet/"
_SIZES = (128, 160, 192, 224)
_ALPHA_TEXT = {1.0: "1_0", 0.75: "7_5", 0.50: "5_0"}

# (pointwise filters, strides) of the 13 depthwise separable blocks.
_BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1),
           (512, 1), (1024, 2), (1024, 1))


def _conv_block(inputs: Any, filters: int, alpha: float, kernel: tuple = (3, 3), strides: tuple = (1, 1)) -> Any:
    """The stem: a bias-free convolution of ``filters·alpha`` filters, batch norm and ReLU6."""
    x = layers.Conv2D(int(filters * alpha), kernel, padding="same", use_bias=False, strides=strides,
                      name="conv1")(inputs)
    x = layers.BatchNormalization(axis=_common.channel_axis(), name="conv1_bn")(x)
    return layers.ReLU(6.0, name="conv1_relu")(x)


def _depthwise_conv_block(inputs: Any, pointwise_conv_filters: int, alpha: float, depth_multiplier: int = 1,
                          strides: tuple = (1, 1), block_id: int = 1) -> Any:
    """A 3×3 depthwise convolution (zero-padded and "valid" when strided) and a 1×1 pointwise convolution of
    ``pointwise_conv_filters·alpha`` filters, each followed by batch norm and ReLU6."""
    axis = _common.channel_axis()
    x = inputs
    if strides != (1, 1):
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D((3, 3), padding="same" if strides == (1, 1) else "valid",
                               depth_multiplier=depth_multiplier, strides=strides, use_bias=False,
                               name=f"conv_dw_{block_id}")(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(int(pointwise_conv_filters * alpha), (1, 1), padding="same", use_bias=False, strides=(1, 1),
                      name=f"conv_pw_{block_id}")(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def MobileNet(input_shape: Any = None, alpha: float = 1.0, depth_multiplier: int = 1, dropout: float = 1e-3,
              include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
              pooling: str | None = None, classes: int = 1000, classifier_activation: Any = "softmax",
              name: str | None = None) -> Any:
    """Instantiates the MobileNet architecture.

    Args:
        input_shape: the image shape (at least 32×32; only with ``include_top=False`` unless 224×224…).
        alpha: width multiplier of every layer's filters (0.25, 0.5, 0.75 or 1.0 with ImageNet weights).
        depth_multiplier: depthwise convolutions' channel multiplier (1 with ImageNet weights).
        dropout: dropout rate before the classifier.
        include_top: whether to include the classifier (a 1×1 convolution over the pooled features).
        weights: ``None`` (random initialization), ``"imagenet"`` or the path of a weights file.
        input_tensor: an optional KerasTensor to use as the image input.
        pooling: with ``include_top=False``: ``None`` (4D features), ``"avg"`` or ``"max"`` global pooling.
        classes: number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the top layer's activation (``None`` or ``"softmax"`` with pretrained weights).
        name: the model's name (default ``mobilenet_<alpha>_<rows>``).

    Returns:
        A functional ``Model``.

    Raises:
        ValueError: invalid ``weights``, ``classes``, ``input_shape``, ``alpha``, ``depth_multiplier`` or
            ``classifier_activation``.
    """
    _common.check_arguments(
        weights, include_top, classes,
        "The `weights` argument should be either `None` (random initialization), 'imagenet' "
        "(pre-training on ImageNet), or the path to the weights file to be loaded. Received "
        f"weights={weights}",
        "If using `weights='imagenet'` with "
        f"`include_top=True`, `classes` should be 1000.  Received classes={classes}")
    default_size = 224
    if input_shape is not None:
        rows, cols = _common.rows_cols(input_shape)
        if rows == cols and rows in _SIZES:
            default_size = rows
    input_shape = _common.image_shape(input_shape, default_size, 32, include_top, weights)
    rows, cols = _common.rows_cols(input_shape)
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise ValueError("If imagenet weights are being loaded, depth multiplier must be 1.  Received "
                             f"depth_multiplier={depth_multiplier}")
        if alpha not in (0.25, 0.50, 0.75, 1.0):
            raise ValueError("If imagenet weights are being loaded, alpha can be one of`0.25`, `0.50`, `0.75` or "
                             f"`1.0` only.  Received alpha={alpha}")
        if rows != cols or rows not in _SIZES:
            rows = 224
            warnings.warn("`input_shape` is undefined or non-square, or `rows` is not in [128, 160, 192, 224]. "
                          "Weights for input shape (224, 224) will be loaded as the default.", stacklevel=2)
    img_input = _common.image_input(input_tensor, input_shape)
    x = _conv_block(img_input, 32, alpha, strides=(2, 2))
    for block_id, (filters, stride) in enumerate(_BLOCKS, start=1):
        x = _depthwise_conv_block(x, filters, alpha, depth_multiplier, strides=(stride, stride), block_id=block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.pool(x, pooling)

    def pretrained_path() -> str:
        suffix = "" if include_top else "_no_top"
        file_name = f"mobilenet_{_ALPHA_TEXT.get(alpha, '2_5')}_{rows}_tf{suffix}.h5"
        return _common.get_file(file_name, BASE_WEIGHT_PATH + file_name)

    if name is None:
        name = f"mobilenet_{alpha:0.2f}_{rows}"
    return _common.finish(img_input, input_tensor, x, name, weights, pretrained_path)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scales RGB pixels from [0, 255] to [-1, 1] (``tf`` mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")
