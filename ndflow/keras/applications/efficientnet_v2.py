"""EfficientNetV2B0–B3, S, M and L (Tan & Le, "EfficientNetV2: Smaller Models and Faster Training", 2021).

The models preprocess their inputs themselves (``include_preprocessing=True``; feed pixels in [0, 255]), so
``preprocess_input`` returns its input unchanged.
"""
from __future__ import annotations

import math
from typing import Any, Callable

from .. import backend, initializers, layers
from . import _common
from .efficientnet import CONV_KERNEL_INITIALIZER, top
from .imagenet_utils import decode_predictions

__all__ = ["EfficientNetV2B0", "EfficientNetV2B1", "EfficientNetV2B2", "EfficientNetV2B3", "EfficientNetV2S",
           "EfficientNetV2M", "EfficientNetV2L", "preprocess_input", "decode_predictions"]

BASE_WEIGHTS_PATH = _common.WEIGHTS_BASE + "efficientnet_v2/"
WEIGHTS_HASHES = {
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}
_KEYS = ("kernel_size", "num_repeat", "input_filters", "output_filters", "expand_ratio", "se_ratio", "strides",
         "conv_type")
_B_BLOCKS = ((3, 1, 32, 16, 1, 0, 1, 1), (3, 2, 16, 32, 4, 0, 2, 1), (3, 2, 32, 48, 4, 0, 2, 1),
             (3, 3, 48, 96, 4, 0.25, 2, 0), (3, 5, 96, 112, 6, 0.25, 1, 0), (3, 8, 112, 192, 6, 0.25, 2, 0))
# per weights key: (kernel, repeats, filters in, filters out, expansion, squeeze-excite, stride, fused (1) or not)
_BLOCKS = {
    "b0": _B_BLOCKS, "b1": _B_BLOCKS, "b2": _B_BLOCKS, "b3": _B_BLOCKS,
    "-s": ((3, 2, 24, 24, 1, 0.0, 1, 1), (3, 4, 24, 48, 4, 0.0, 2, 1), (3, 4, 48, 64, 4, 0, 2, 1),
           (3, 6, 64, 128, 4, 0.25, 2, 0), (3, 9, 128, 160, 6, 0.25, 1, 0), (3, 15, 160, 256, 6, 0.25, 2, 0)),
    "-m": ((3, 3, 24, 24, 1, 0, 1, 1), (3, 5, 24, 48, 4, 0, 2, 1), (3, 5, 48, 80, 4, 0, 2, 1),
           (3, 7, 80, 160, 4, 0.25, 2, 0), (3, 14, 160, 176, 6, 0.25, 1, 0), (3, 18, 176, 304, 6, 0.25, 2, 0),
           (3, 5, 304, 512, 6, 0.25, 1, 0)),
    "-l": ((3, 4, 32, 32, 1, 0, 1, 1), (3, 7, 32, 64, 4, 0, 2, 1), (3, 7, 64, 96, 4, 0, 2, 1),
           (3, 10, 96, 192, 4, 0.25, 2, 0), (3, 19, 192, 224, 6, 0.25, 1, 0), (3, 25, 224, 384, 6, 0.25, 2, 0),
           (3, 7, 384, 640, 6, 0.25, 1, 0)),
}


def round_filters(filters: float, width_coefficient: float, min_depth: int, depth_divisor: int) -> int:
    """``filters·width_coefficient`` rounded to a multiple of ``depth_divisor`` (at least ``min_depth``)."""
    filters *= width_coefficient
    return int(max(min_depth or depth_divisor, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor))


def round_repeats(repeats: int, depth_coefficient: float) -> int:
    return int(math.ceil(depth_coefficient * repeats))


def _bn_axis() -> int:
    return 3 if backend.image_data_format() == "channels_last" else 1


def _conv(filters: int, kernel_size: int, name: str, strides: int = 1, **kwargs: Any) -> layers.Conv2D:
    return layers.Conv2D(filters, kernel_size=kernel_size, strides=strides, kernel_initializer=CONV_KERNEL_INITIALIZER,
                         padding="same", use_bias=False, name=name, **kwargs)


def _squeeze_excite(x: Any, filters: int, input_filters: int, se_ratio: float, activation: str, name: str) -> Any:
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se = layers.Reshape((filters, 1, 1) if _bn_axis() == 1 else (1, 1, filters), name=f"{name}se_reshape")(se)
    se = layers.Conv2D(max(1, int(input_filters * se_ratio)), 1, padding="same", activation=activation,
                       kernel_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", kernel_initializer=CONV_KERNEL_INITIALIZER,
                       name=f"{name}se_expand")(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def _residual(x: Any, inputs: Any, strides: int, input_filters: int, output_filters: int,
              survival_probability: float, name: str) -> Any:
    """Adds the input back when the shapes allow it (after a ``Dropout`` whose rate is, as in Keras, the
    ``survival_probability`` argument)."""
    if strides == 1 and input_filters == output_filters:
        if survival_probability:
            x = layers.Dropout(survival_probability, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def MBConvBlock(input_filters: int, output_filters: int, expand_ratio: int = 1, kernel_size: int = 3,
                strides: int = 1, se_ratio: float = 0.0, bn_momentum: float = 0.9, activation: str = "swish",
                survival_probability: float = 0.8, name: str | None = None) -> Callable[[Any], Any]:
    """A mobile inverted bottleneck: 1×1 expansion, depthwise convolution, squeeze-excite, 1×1 projection."""
    axis = _bn_axis()
    name = name if name is not None else backend.get_uid("block0")

    def apply(inputs: Any) -> Any:
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = _conv(filters, 1, f"{name}expand_conv")(x)
            x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name=f"{name}expand_bn")(x)
            x = layers.Activation(activation, name=f"{name}expand_activation")(x)
        x = layers.DepthwiseConv2D(kernel_size=kernel_size, strides=strides, padding="same", use_bias=False,
                                   depthwise_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}dwconv2")(x)
        x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name=f"{name}bn")(x)
        x = layers.Activation(activation, name=f"{name}activation")(x)
        if 0 < se_ratio <= 1:
            x = _squeeze_excite(x, filters, input_filters, se_ratio, activation, name)
        x = _conv(output_filters, 1, f"{name}project_conv")(x)
        x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name=f"{name}project_bn")(x)
        return _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name)

    return apply


def FusedMBConvBlock(input_filters: int, output_filters: int, expand_ratio: int = 1, kernel_size: int = 3,
                     strides: int = 1, se_ratio: float = 0.0, bn_momentum: float = 0.9, activation: str = "swish",
                     survival_probability: float = 0.8, name: str | None = None) -> Callable[[Any], Any]:
    """A fused inverted bottleneck: one regular ``kernel_size`` expansion convolution (strided) instead of
    expansion + depthwise, then squeeze-excite and the 1×1 projection (the only convolution without expansion)."""
    axis = _bn_axis()
    name = name if name is not None else backend.get_uid("block0")

    def apply(inputs: Any) -> Any:
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = _conv(filters, kernel_size, f"{name}expand_conv", strides=strides)(x)
            x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name=f"{name}expand_bn")(x)
            x = layers.Activation(activation=activation, name=f"{name}expand_activation")(x)
        if 0 < se_ratio <= 1:
            x = _squeeze_excite(x, filters, input_filters, se_ratio, activation, name)
        expanded = expand_ratio != 1
        x = _conv(output_filters, 1 if expanded else kernel_size, f"{name}project_conv",
                  strides=1 if expanded else strides)(x)
        x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name=f"{name}project_bn")(x)
        if not expanded:
            x = layers.Activation(activation=activation, name=f"{name}project_activation")(x)
        return _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name)

    return apply


def EfficientNetV2(width_coefficient: float, depth_coefficient: float, default_size: int, dropout_rate: float = 0.2,
                   drop_connect_rate: float = 0.2, depth_divisor: int = 8, min_depth: int = 8,
                   bn_momentum: float = 0.9, activation: str = "swish", blocks_args: Any = "default",
                   name: str = "efficientnetv2", include_top: bool = True, weights: Any = "imagenet",
                   input_tensor: Any = None, input_shape: Any = None, pooling: str | None = None,
                   classes: int = 1000, classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                   weights_name: str | None = None) -> Any:
    """An EfficientNetV2 scaled by ``width_coefficient`` and ``depth_coefficient``; ``blocks_args="default"``
    takes the block layout of ``weights_name``. Other arguments as ``EfficientNetV2B0``.

    Raises:
        ValueError: invalid ``weights``, ``classes``, ``input_shape``, ``classifier_activation`` or a block with
            no repeats.
    """
    if blocks_args == "default":
        blocks_args = [dict(zip(_KEYS, values)) for values in _BLOCKS[weights_name]]
    _common.check_arguments(
        weights, include_top, classes,
        _common.WEIGHTS_MESSAGE + f"Received: weights={weights}",
        'If using `weights="imagenet"` with '
        "`include_top` as true, `classes` should be 1000")
    input_shape = _common.image_shape(input_shape, default_size, 32, include_top, weights)
    img_input = _common.image_input(input_tensor, input_shape)
    axis = _bn_axis()

    def filters_of(filters: float) -> int:
        return round_filters(filters, width_coefficient, min_depth, depth_divisor)

    x = img_input
    if include_preprocessing:
        if name.split("-")[-1].startswith("b") and input_shape[axis - 1] == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(mean=[0.485, 0.456, 0.406], variance=[0.229**2, 0.224**2, 0.225**2],
                                     axis=axis)(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)
    x = _conv(filters_of(blocks_args[0]["input_filters"]), 3, "stem_conv", strides=2)(x)
    x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)
    total_blocks = float(sum(args["num_repeat"] for args in blocks_args))
    done = 0
    for i, block_args in enumerate(blocks_args):
        if block_args["num_repeat"] <= 0:
            raise ValueError("The number of repeats in `EfficientNetV2` must be > 0. Received: "
                             f"num_repeat={block_args['num_repeat']}")
        args = {key: value for key, value in block_args.items() if key not in ("num_repeat", "conv_type")}
        args["input_filters"] = filters_of(args["input_filters"])
        args["output_filters"] = filters_of(args["output_filters"])
        block = FusedMBConvBlock if block_args["conv_type"] == 1 else MBConvBlock
        for j in range(round_repeats(block_args["num_repeat"], depth_coefficient)):
            if j > 0:
                args["strides"] = 1
                args["input_filters"] = args["output_filters"]
            x = block(activation=activation, bn_momentum=bn_momentum,
                      survival_probability=drop_connect_rate * done / total_blocks, name=f"block{i + 1}{chr(j + 97)}_",
                      **args)(x)
            done += 1
    x = _conv(filters_of(1280), 1, "top_conv")(x)
    x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name="top_bn")(x)
    x = layers.Activation(activation=activation, name="top_activation")(x)
    x = top(x, include_top, pooling, dropout_rate, classes, classifier_activation, weights,
            bias_initializer=initializers.Constant(0.0))

    pretrained_path = _common.model_named_weights(name, include_top, WEIGHTS_HASHES, weights_name, BASE_WEIGHTS_PATH)
    return _common.finish(img_input, input_tensor, x, name, weights, pretrained_path)


def _variant(key: str, width: float, depth: float, size: int, include_top: bool, weights: Any, input_tensor: Any,
             input_shape: Any, pooling: str | None, classes: int, classifier_activation: Any,
             include_preprocessing: bool, name: str) -> Any:
    return EfficientNetV2(width_coefficient=width, depth_coefficient=depth, default_size=size, name=name,
                          include_top=include_top, weights=weights, input_tensor=input_tensor,
                          input_shape=input_shape, pooling=pooling, classes=classes,
                          classifier_activation=classifier_activation, include_preprocessing=include_preprocessing,
                          weights_name=key)


def EfficientNetV2B0(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b0") -> Any:
    """Instantiates EfficientNetV2B0 (224×224 by default).

    Args:
        include_top: whether to include the global pooling, dropout and dense classifier at the top.
        weights: ``None`` (random initialization), ``"imagenet"`` or the path of a weights file.
        input_tensor: an optional KerasTensor to use as the image input.
        input_shape: the image shape (only with ``include_top=False``; at least 32×32).
        pooling: with ``include_top=False``: ``None`` (4D features), ``"avg"`` or ``"max"`` global pooling.
        classes: number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the top layer's activation (``None`` or ``"softmax"`` with pretrained weights).
        include_preprocessing: whether the model rescales and normalises [0, 255] inputs itself.
        name: the model's name.

    Returns:
        A functional ``Model``.
    """
    return _variant("b0", 1.0, 1.0, 224, include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def EfficientNetV2B1(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b1") -> Any:
    """Instantiates EfficientNetV2B1 (240×240 by default); arguments as ``EfficientNetV2B0``."""
    return _variant("b1", 1.0, 1.1, 240, include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def EfficientNetV2B2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b2") -> Any:
    """Instantiates EfficientNetV2B2 (260×260 by default); arguments as ``EfficientNetV2B0``."""
    return _variant("b2", 1.1, 1.2, 260, include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def EfficientNetV2B3(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b3") -> Any:
    """Instantiates EfficientNetV2B3 (300×300 by default); arguments as ``EfficientNetV2B0``."""
    return _variant("b3", 1.2, 1.4, 300, include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def EfficientNetV2S(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                    input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                    classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                    name: str = "efficientnetv2-s") -> Any:
    """Instantiates EfficientNetV2S (384×384 by default); arguments as ``EfficientNetV2B0``."""
    return _variant("-s", 1.0, 1.0, 384, include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def EfficientNetV2M(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                    input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                    classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                    name: str = "efficientnetv2-m") -> Any:
    """Instantiates EfficientNetV2M (480×480 by default); arguments as ``EfficientNetV2B0``."""
    return _variant("-m", 1.0, 1.0, 480, include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def EfficientNetV2L(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                    input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                    classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                    name: str = "efficientnetv2-l") -> Any:
    """Instantiates EfficientNetV2L (480×480 by default); arguments as ``EfficientNetV2B0``."""
    return _variant("-l", 1.0, 1.0, 480, include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Returns ``x`` unchanged: EfficientNetV2 models preprocess their inputs themselves."""
    return x
