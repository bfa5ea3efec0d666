"""ConvNeXt Tiny/Small/Base/Large/XLarge (Liu et al., "A ConvNet for the 2020s", 2022).

The models normalise [0, 255] inputs themselves (``include_preprocessing=True``), so ``preprocess_input``
returns its input unchanged. Only the ``channels_last`` image format is supported, as in Keras.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import backend, initializers, layers, ops, random
from ..layers.layer import Layer
from . import _common, imagenet_utils
from .imagenet_utils import decode_predictions

__all__ = ["ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge", "LayerScale",
           "StochasticDepth", "preprocess_input", "decode_predictions"]

BASE_WEIGHTS_PATH = _common.WEIGHTS_BASE + "convnext/"
WEIGHTS_HASHES = {
    "convnext_tiny": ("8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
                      "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1"),
    "convnext_small": ("ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
                       "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab"),
    "convnext_base": ("52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
                      "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45"),
    "convnext_large": ("070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
                       "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd"),
    "convnext_xlarge": ("c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
                        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05"),
}
MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "small": {"depths": [3, 3, 27, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "base": {"depths": [3, 3, 27, 3], "projection_dims": [128, 256, 512, 1024], "default_size": 224},
    "large": {"depths": [3, 3, 27, 3], "projection_dims": [192, 384, 768, 1536], "default_size": 224},
    "xlarge": {"depths": [3, 3, 27, 3], "projection_dims": [256, 512, 1024, 2048], "default_size": 224},
}


class StochasticDepth(Layer):
    """Drops the whole residual branch of random samples while training (kept ones scaled by 1/keep).

    Args:
        drop_path_rate: the probability of dropping a sample's branch.
    """

    def __init__(self, drop_path_rate: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x: Any, training: Any = None) -> Any:
        if not training:
            return x
        keep_prob = 1 - self.drop_path_rate
        shape = (ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
        mask = ops.floor(keep_prob + random.uniform(shape, 0, 1))
        return x / keep_prob * mask

    def get_config(self) -> dict:
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}


class LayerScale(Layer):
    """Multiplies the last axis by a learned per-channel ``gamma`` (initialised to ``init_values``).

    Args:
        init_values: the initial value of every ``gamma`` entry.
        projection_dim: the number of channels.
    """

    def __init__(self, init_values: float, projection_dim: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, _: Any) -> None:
        self.gamma = self.add_weight(shape=(self.projection_dim,),
                                     initializer=initializers.Constant(self.init_values), trainable=True)

    def call(self, x: Any) -> Any:
        return x * self.gamma

    def get_config(self) -> dict:
        return {**super().get_config(), "init_values": self.init_values, "projection_dim": self.projection_dim}


def ConvNeXtBlock(projection_dim: int, drop_path_rate: float = 0.0, layer_scale_init_value: float | None = 1e-6,
                  name: str | None = None) -> Callable[[Any], Any]:
    """7×7 depthwise convolution, layer norm, 4× dense expansion with GELU, dense projection, layer scale;
    added to the input (through stochastic depth when ``drop_path_rate``)."""
    name = name if name is not None else f"prestem{backend.get_uid('prestem')}"

    def apply(inputs: Any) -> Any:
        x = layers.Conv2D(filters=projection_dim, kernel_size=7, padding="same", groups=projection_dim,
                          name=f"{name}_depthwise_conv")(inputs)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
        x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
        x = layers.Activation("gelu", name=f"{name}_gelu")(x)
        x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
        if layer_scale_init_value is not None:
            x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
        if drop_path_rate:
            branch = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")
        else:
            branch = layers.Activation("linear", name=f"{name}_identity")
        return inputs + branch(x)

    return apply


def _check_pretrained(depths: list, projection_dims: list, name: str, weights_name: str) -> None:
    expected = MODEL_CONFIGS[weights_name.split("convnext_")[-1]]
    if depths != expected["depths"] or projection_dims != expected["projection_dims"]:
        raise ValueError(f"Architecture configuration does not match {weights_name} variant. When using pre-trained "
                         "weights, the model architecture must match the pre-trained configuration exactly. Expected "
                         f"depths: {expected['depths']}, got: {depths}. Expected projection_dims: "
                         f"{expected['projection_dims']}, got: {projection_dims}.")
    if weights_name not in name:
        raise ValueError(f'Model name "{name}" does not match weights variant "{weights_name}". When using imagenet '
                         'weights, model name must contain the weights variant (e.g., "convnext_'
                         f'{weights_name.split("convnext_")[-1]}").')


def ConvNeXt(depths: list, projection_dims: list, drop_path_rate: float = 0.0,
             layer_scale_init_value: float | None = 1e-6, default_size: int = 224, name: str = "convnext",
             include_preprocessing: bool = True, include_top: bool = True, weights: Any = None,
             input_tensor: Any = None, input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
             classifier_activation: Any = "softmax", weights_name: str | None = None) -> Any:
    """A ConvNeXt: a 4×4 patchify stem, four stages of ``depths`` blocks of ``projection_dims`` channels joined by
    2×2 strided downsampling, then the head. Other arguments as ``ConvNeXtTiny``.

    Raises:
        ValueError: the ``channels_first`` format, invalid ``weights``, ``classes``, ``input_shape`` or
            ``classifier_activation``; ImageNet weights with another architecture or a name without the variant.
    """
    from ..models import Sequential

    _common.require_channels_last("ConvNeXt")
    _common.check_arguments(
        weights, include_top, classes,
        _common.WEIGHTS_MESSAGE,
        'If using `weights="imagenet"` with '
        f"`include_top=True`, `classes` should be 1000. Received classes={classes}")
    input_shape = _common.image_shape(input_shape, default_size, 32, include_top, weights)
    img_input = _common.image_input(input_tensor, input_shape)
    if input_tensor is not None:
        inputs, x = _common.source_inputs(input_tensor)[0], input_tensor
    else:
        inputs = x = img_input
    if include_preprocessing and input_shape[-1] == 3:
        x = layers.Normalization(mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
                                 variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
                                 name=f"{name}_prestem_normalization")(x)
    downsampling = [Sequential([layers.Conv2D(projection_dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"),
                                layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm")],
                               name=f"{name}_stem")]
    for i in range(3):
        downsampling.append(Sequential(
            [layers.LayerNormalization(epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i}"),
             layers.Conv2D(projection_dims[i + 1], kernel_size=2, strides=2, name=f"{name}_downsampling_conv_{i}")],
            name=f"{name}_downsampling_block_{i}"))
    drop_rates = [float(rate) for rate in np.linspace(0.0, drop_path_rate, sum(depths))]
    done = 0
    for i in range(4):
        x = downsampling[i](x)
        for j in range(depths[i]):
            x = ConvNeXtBlock(projection_dim=projection_dims[i], drop_path_rate=drop_rates[done + j],
                              layer_scale_init_value=layer_scale_init_value, name=f"{name}_stage_{i}_block_{j}")(x)
        done += depths[i]
    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        x = layers.Dense(classes, activation=classifier_activation, name=f"{name}_head_dense")(x)
    else:
        x = layers.LayerNormalization(epsilon=1e-6)(_common.pool(x, pooling))
    if weights == "imagenet":
        _check_pretrained(depths, projection_dims, name, weights_name)

    pretrained_path = _common.model_named_weights(name, include_top, WEIGHTS_HASHES, weights_name, BASE_WEIGHTS_PATH)
    return _common.finish(inputs, None, x, name, weights, pretrained_path)


def _variant(size: str, include_top: bool, include_preprocessing: bool, weights: Any, input_tensor: Any,
             input_shape: Any, pooling: str | None, classes: int, classifier_activation: Any, name: str) -> Any:
    config = MODEL_CONFIGS[size]
    return ConvNeXt(weights_name=f"convnext_{size}", depths=config["depths"],
                    projection_dims=config["projection_dims"], drop_path_rate=0.0, layer_scale_init_value=1e-6,
                    default_size=config["default_size"], name=name, include_top=include_top,
                    include_preprocessing=include_preprocessing, weights=weights, input_tensor=input_tensor,
                    input_shape=input_shape, pooling=pooling, classes=classes,
                    classifier_activation=classifier_activation)


def ConvNeXtTiny(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                 input_tensor: Any = None, input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                 classifier_activation: Any = "softmax", name: str = "convnext_tiny") -> Any:
    """Instantiates ConvNeXtTiny (stages of 3, 3, 9, 3 blocks; 96–768 channels).

    Args:
        include_top: whether to include the head (global pooling, layer norm, dense classifier).
        include_preprocessing: whether the model normalises [0, 255] inputs itself.
        weights: ``None`` (random initialization), ``"imagenet"`` or the path of a weights file.
        input_tensor: an optional KerasTensor to use as the image input.
        input_shape: the image shape (only with ``include_top=False``; at least 32×32).
        pooling: with ``include_top=False``: ``None`` (4D features), ``"avg"`` or ``"max"`` global pooling
            (followed by layer normalisation either way).
        classes: number of classes (1000 with ImageNet weights and the top).
        classifier_activation: the top layer's activation (``None`` or ``"softmax"`` with pretrained weights).
        name: the model's name (must contain ``convnext_tiny`` with ImageNet weights).

    Returns:
        A functional ``Model``.
    """
    return _variant("tiny", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def ConvNeXtSmall(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                  input_tensor: Any = None, input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                  classifier_activation: Any = "softmax", name: str = "convnext_small") -> Any:
    """Instantiates ConvNeXtSmall (3, 3, 27, 3 blocks; 96–768 channels); arguments as ``ConvNeXtTiny``."""
    return _variant("small", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def ConvNeXtBase(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                 input_tensor: Any = None, input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                 classifier_activation: Any = "softmax", name: str = "convnext_base") -> Any:
    """Instantiates ConvNeXtBase (3, 3, 27, 3 blocks; 128–1024 channels); arguments as ``ConvNeXtTiny``."""
    return _variant("base", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def ConvNeXtLarge(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                  input_tensor: Any = None, input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                  classifier_activation: Any = "softmax", name: str = "convnext_large") -> Any:
    """Instantiates ConvNeXtLarge (3, 3, 27, 3 blocks; 192–1536 channels); arguments as ``ConvNeXtTiny``."""
    return _variant("large", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def ConvNeXtXLarge(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                   input_tensor: Any = None, input_shape: Any = None, pooling: str | None = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "convnext_xlarge") -> Any:
    """Instantiates ConvNeXtXLarge (3, 3, 27, 3 blocks; 256–2048 channels); arguments as ``ConvNeXtTiny``."""
    return _variant("xlarge", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling,
                    classes, classifier_activation, name)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Returns ``x`` unchanged: ConvNeXt models normalise their inputs themselves."""
    return x
