"""ResNet50/101/152 (He et al., "Deep Residual Learning for Image Recognition", 2015) and the shared ResNet
builder that ``resnet_v2`` uses too.

ResNet (v1) expects ``preprocess_input`` (``caffe`` mode) inputs, 224×224 by default.
"""
from __future__ import annotations

from typing import Any, Callable

from .. import layers
from . import _common, imagenet_utils
from .imagenet_utils import decode_predictions

__all__ = ["ResNet50", "ResNet101", "ResNet152", "preprocess_input", "decode_predictions"]

BASE_WEIGHTS_PATH = _common.WEIGHTS_BASE + "resnet/"
WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}
_EPSILON = 1.001e-5


def _batch_norm(name: str) -> layers.BatchNormalization:
    return layers.BatchNormalization(axis=_common.channel_axis(), epsilon=_EPSILON, name=name)


def ResNet(stack_fn: Callable[[Any], Any], preact: bool, use_bias: bool, include_top: bool = True,
           weights: Any = "imagenet", input_tensor: Any = None, input_shape: Any = None, pooling: str | None = None,
           classes: int = 1000, classifier_activation: Any = "softmax", name: str = "resnet",
           weights_name: str | None = None) -> Any:
    """A ResNet: 7×7 stem convolution and max pooling, the residual stacks ``stack_fn`` adds, the classifier.

    Args:
        stack_fn: adds the residual stacks to a tensor and returns the result.
        preact: pre-activation (ResNetV2): batch norm and ReLU after the stacks instead of after the stem.
        use_bias: whether the stem convolution has a bias.
        weights_name: the key of the pretrained files (``"resnet50"`` …); others load no ImageNet weights.
        The other arguments are those of ``ResNet50``.
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
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = _batch_norm("conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = _batch_norm("post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
    x = _common.head(x, include_top, pooling, classes, classifier_activation, weights, avg_name="avg_pool",
                     max_name="max_pool")

    def pretrained_path() -> str:
        if weights_name not in WEIGHTS_HASHES:
            return weights  # no published file: ``load_weights("imagenet")`` rejects it as Keras does
        suffix = "" if include_top else "_notop"
        file_name = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
        file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
        return _common.get_file(file_name, BASE_WEIGHTS_PATH + file_name, file_hash=file_hash)

    return _common.finish(img_input, input_tensor, x, name, weights, pretrained_path)


def residual_block_v1(x: Any, filters: int, kernel_size: int = 3, stride: int = 1, conv_shortcut: bool = True,
                      name: str | None = None) -> Any:
    """A bottleneck block: 1×1 (``filters``), ``kernel_size`` (``filters``), 1×1 (4·``filters``) convolutions,
    each batch-normalised, added to the shortcut (a strided 1×1 convolution or the identity), then ReLU."""
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = _batch_norm(f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = _batch_norm(f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="SAME", name=f"{name}_2_conv")(x)
    x = _batch_norm(f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = _batch_norm(f"{name}_3_bn")(x)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def stack_residual_blocks_v1(x: Any, filters: int, blocks: int, stride1: int = 2, name: str | None = None) -> Any:
    """``blocks`` v1 blocks; the first has a convolution shortcut and stride ``stride1``."""
    x = residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def residual_block_v2(x: Any, filters: int, kernel_size: int = 3, stride: int = 1, conv_shortcut: bool = False,
                      name: str | None = None) -> Any:
    """A pre-activation bottleneck block: batch norm and ReLU first, then 1×1, padded ``kernel_size`` (strided)
    and 1×1 convolutions added to the shortcut (a 1×1 convolution, a strided 1×1 max pooling or the identity)."""
    preact = _batch_norm(f"{name}_preact_bn")(x)
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = _batch_norm(f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=f"{name}_2_conv")(x)
    x = _batch_norm(f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def stack_residual_blocks_v2(x: Any, filters: int, blocks: int, stride1: int = 2, name: str | None = None) -> Any:
    """``blocks`` v2 blocks; the first has a convolution shortcut, the last stride ``stride1``."""
    x = residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{i}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def _v1_stacks(blocks: tuple) -> Callable[[Any], Any]:
    def stack_fn(x: Any) -> Any:
        x = stack_residual_blocks_v1(x, 64, blocks[0], stride1=1, name="conv2")
        x = stack_residual_blocks_v1(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v1(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v1(x, 512, blocks[3], name="conv5")
    return stack_fn


def _resnet_v1(blocks: tuple, weights_name: str, include_top: bool, weights: Any, input_tensor: Any,
               input_shape: Any, pooling: str | None, classes: int, classifier_activation: Any, name: str) -> Any:
    return ResNet(_v1_stacks(blocks), preact=False, use_bias=True, name=name, weights_name=weights_name,
                  include_top=include_top, weights=weights, input_tensor=input_tensor, input_shape=input_shape,
                  pooling=pooling, classes=classes, classifier_activation=classifier_activation)


def ResNet50(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None, input_shape: Any = None,
             pooling: str | None = None, classes: int = 1000, classifier_activation: Any = "softmax",
             name: str = "resnet50") -> Any:
    """Instantiates the ResNet50 architecture (3, 4, 6, 3 bottleneck blocks).

    Args:
        include_top: whether to include the global pooling and dense classifier at the top.
        weights: ``None`` (random initialization), ``"imagenet"`` or the path of a weights file.
        input_tensor: an optional KerasTensor to use as the image input.
        input_shape: the image shape (only with ``include_top=False``; at least 32×32).
        pooling: with ``include_top=False``: ``None`` (4D features), ``"avg"`` or ``"max"`` global pooling.
        classes: number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the top layer's activation (``None`` or ``"softmax"`` with pretrained weights).
        name: the model's name.

    Returns:
        A functional ``Model``; without the top its output is ``[b, h/32, w/32, 2048]``.

    Raises:
        ValueError: invalid ``weights``, ``classes``, ``input_shape`` or ``classifier_activation``.
    """
    return _resnet_v1((3, 4, 6, 3), "resnet50", include_top, weights, input_tensor, input_shape, pooling, classes,
                      classifier_activation, name)


def ResNet101(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
              input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
              classifier_activation: Any = "softmax", name: str = "resnet101") -> Any:
    """Instantiates the ResNet101 architecture (3, 4, 23, 3 blocks); arguments as ``ResNet50``."""
    return _resnet_v1((3, 4, 23, 3), "resnet101", include_top, weights, input_tensor, input_shape, pooling,
                      classes, classifier_activation, name)


def ResNet152(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
              input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
              classifier_activation: Any = "softmax", name: str = "resnet152") -> Any:
    """Instantiates the ResNet152 architecture (3, 8, 36, 3 blocks); arguments as ``ResNet50``."""
    return _resnet_v1((3, 8, 36, 3), "resnet152", include_top, weights, input_tensor, input_shape, pooling,
                      classes, classifier_activation, name)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Converts RGB images in [0, 255] to BGR and subtracts the ImageNet mean pixel (``caffe`` mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")
