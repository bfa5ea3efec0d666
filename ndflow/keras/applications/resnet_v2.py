"""ResNet50V2/101V2/152V2 (He et al., "Identity Mappings in Deep Residual Networks", 2016): pre-activation
residual blocks.

Expects ``preprocess_input`` (``tf`` mode: pixels scaled to [-1, 1]) inputs, 224×224 by default.
"""
from __future__ import annotations

from typing import Any, Callable

from . import imagenet_utils
from .imagenet_utils import decode_predictions
from .resnet import ResNet, stack_residual_blocks_v2

__all__ = ["ResNet50V2", "ResNet101V2", "ResNet152V2", "preprocess_input", "decode_predictions"]


def _v2_stacks(blocks: tuple) -> Callable[[Any], Any]:
    def stack_fn(x: Any) -> Any:
        x = stack_residual_blocks_v2(x, 64, blocks[0], name="conv2")
        x = stack_residual_blocks_v2(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v2(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v2(x, 512, blocks[3], stride1=1, name="conv5")
    return stack_fn


def _resnet_v2(blocks: tuple, weights_name: str, include_top: bool, weights: Any, input_tensor: Any,
               input_shape: Any, pooling: str | None, classes: int, classifier_activation: Any, name: str) -> Any:
    return ResNet(_v2_stacks(blocks), preact=True, use_bias=True, name=name, weights_name=weights_name,
                  include_top=include_top, weights=weights, input_tensor=input_tensor, input_shape=input_shape,
                  pooling=pooling, classes=classes, classifier_activation=classifier_activation)


def ResNet50V2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
               input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
               classifier_activation: Any = "softmax", name: str = "resnet50v2") -> Any:
    """Instantiates the ResNet50V2 architecture (3, 4, 6, 3 blocks); arguments as ``resnet.ResNet50``."""
    return _resnet_v2((3, 4, 6, 3), "resnet50v2", include_top, weights, input_tensor, input_shape, pooling,
                      classes, classifier_activation, name)


def ResNet101V2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "resnet101v2") -> Any:
    """Instantiates the ResNet101V2 architecture (3, 4, 23, 3 blocks); arguments as ``resnet.ResNet50``."""
    return _resnet_v2((3, 4, 23, 3), "resnet101v2", include_top, weights, input_tensor, input_shape, pooling,
                      classes, classifier_activation, name)


def ResNet152V2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "resnet152v2") -> Any:
    """Instantiates the ResNet152V2 architecture (3, 8, 36, 3 blocks); arguments as ``resnet.ResNet50``."""
    return _resnet_v2((3, 8, 36, 3), "resnet152v2", include_top, weights, input_tensor, input_shape, pooling,
                      classes, classifier_activation, name)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scales RGB pixels from [0, 255] to [-1, 1] (``tf`` mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")
