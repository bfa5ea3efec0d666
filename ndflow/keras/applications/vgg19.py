"""VGG19: VGG16 with four convolutions in each of the last three blocks (16 convolutions in all)."""
from __future__ import annotations

from typing import Any

from . import _common
from .vgg16 import build_vgg, decode_predictions, preprocess_input

__all__ = ["VGG19", "preprocess_input", "decode_predictions"]

WEIGHTS_PATH = _common.WEIGHTS_BASE + "vgg19/vgg19_weights_tf_dim_ordering_tf_kernels.h5"
WEIGHTS_PATH_NO_TOP = _common.WEIGHTS_BASE + "vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"
_HASHES = ("cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6")


def VGG19(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None, input_shape: Any = None,
          pooling: str | None = None, classes: int = 1000, classifier_activation: Any = "softmax",
          name: str = "vgg19") -> Any:
    """Instantiates the VGG19 model; the arguments are those of ``VGG16``."""
    return build_vgg((2, 2, 4, 4, 4), include_top, weights, input_tensor, input_shape, pooling, classes,
                     classifier_activation, name, ((WEIGHTS_PATH, _HASHES[0]), (WEIGHTS_PATH_NO_TOP, _HASHES[1])))
