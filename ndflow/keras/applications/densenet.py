"""DenseNet121/169/201 (Huang et al., "Densely Connected Convolutional Networks", 2017).

Expects ``preprocess_input`` (``torch`` mode: pixels scaled to [0, 1], then standardised per channel) inputs,
224×224 by default. Only the ``channels_last`` image format is supported, as in Keras.
"""
from __future__ import annotations

from typing import Any

from .. import layers
from . import _common, imagenet_utils
from .imagenet_utils import decode_predictions

__all__ = ["DenseNet121", "DenseNet169", "DenseNet201", "preprocess_input", "decode_predictions"]

BASE_WEIGHTS_PATH = _common.WEIGHTS_BASE + "densenet/"
# blocks per dense stage -> (weights key, hash with the top, hash without)
_PUBLISHED = {
    (6, 12, 24, 16): ("densenet121", "9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"),
    (6, 12, 32, 32): ("densenet169", "d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"),
    (6, 12, 48, 32): ("densenet201", "1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"),
}
_EPSILON = 1.001e-5
_AXIS = 3


def _bn_relu(x: Any, name: str, bn_suffix: str = "_bn", relu_suffix: str = "_relu") -> Any:
    x = layers.BatchNormalization(axis=_AXIS, epsilon=_EPSILON, name=f"{name}{bn_suffix}")(x)
    return layers.Activation("relu", name=f"{name}{relu_suffix}")(x)


def conv_block(x: Any, growth_rate: int, name: str) -> Any:
    """BN-ReLU-1×1 conv (4·``growth_rate``), BN-ReLU-3×3 conv (``growth_rate``), concatenated to the input."""
    new = _bn_relu(x, name, "_0_bn", "_0_relu")
    new = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(new)
    new = _bn_relu(new, name, "_1_bn", "_1_relu")
    new = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(new)
    return layers.Concatenate(axis=_AXIS, name=f"{name}_concat")([x, new])


def dense_block(x: Any, blocks: int, name: str) -> Any:
    """``blocks`` conv blocks of growth rate 32."""
    for i in range(blocks):
        x = conv_block(x, 32, name=f"{name}_block{i + 1}")
    return x


def transition_block(x: Any, reduction: float, name: str) -> Any:
    """BN-ReLU, a 1×1 convolution keeping ``reduction`` of the channels, 2×2 average pooling."""
    x = _bn_relu(x, name)
    x = layers.Conv2D(int(x.shape[_AXIS] * reduction), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def DenseNet(blocks: Any, include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
             input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
             classifier_activation: Any = "softmax", name: str = "densenet") -> Any:
    """A DenseNet with ``blocks`` conv blocks in each of its four dense stages; other arguments as
    ``DenseNet121``.

    Raises:
        ValueError: the ``channels_first`` format, invalid ``weights``, ``classes``, ``input_shape`` or
            ``classifier_activation``, or ImageNet weights for a block layout without published weights.
    """
    _common.require_channels_last("DenseNet")
    _common.check_arguments(
        weights, include_top, classes,
        _common.WEIGHTS_MESSAGE,
        'If using `weights` as `"imagenet"` with '
        "`include_top` as true, `classes` should be 1000")
    input_shape = _common.image_shape(input_shape, 224, 32, include_top, weights)
    img_input = _common.image_input(input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = _bn_relu(x, "conv1")
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, count in enumerate(blocks, start=2):
        x = dense_block(x, count, name=f"conv{stage}")
        if stage < 5:
            x = transition_block(x, 0.5, name=f"pool{stage}")
    x = _bn_relu(x, "", "bn", "relu")
    x = _common.head(x, include_top, pooling, classes, classifier_activation, weights, avg_name="avg_pool",
                     max_name="max_pool")

    def pretrained_path() -> str:
        published = _PUBLISHED.get(tuple(blocks))
        if published is None:
            raise ValueError("weights_path undefined")
        key, top_hash, notop_hash = published
        file_name = f"{key}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
        return _common.get_file(file_name, BASE_WEIGHTS_PATH + file_name,
                                file_hash=top_hash if include_top else notop_hash)

    return _common.finish(img_input, input_tensor, x, name, weights, pretrained_path)


def DenseNet121(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "densenet121") -> Any:
    """Instantiates the DenseNet121 architecture (6, 12, 24, 16 conv blocks).

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
        A functional ``Model``.
    """
    return DenseNet([6, 12, 24, 16], include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name=name)


def DenseNet169(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "densenet169") -> Any:
    """Instantiates the DenseNet169 architecture (6, 12, 32, 32 blocks); arguments as ``DenseNet121``."""
    return DenseNet([6, 12, 32, 32], include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name=name)


def DenseNet201(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "densenet201") -> Any:
    """Instantiates the DenseNet201 architecture (6, 12, 48, 32 blocks); arguments as ``DenseNet121``."""
    return DenseNet([6, 12, 48, 32], include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name=name)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scales RGB pixels to [0, 1] and standardises each channel with ImageNet statistics (``torch`` mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")
