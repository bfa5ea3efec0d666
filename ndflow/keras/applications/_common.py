"""Steps every application constructor shares: argument checks, the image input, pooling, weight loading."""
from __future__ import annotations

import os
from typing import Any, Callable

from .. import backend, layers

WEIGHTS_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/"
WEIGHTS_MESSAGE = ("The `weights` argument should be either `None` (random initialization), `imagenet` "
                   "(pre-training on ImageNet), or the path to the weights file to be loaded.")


def get_file(fname: str, origin: str, file_hash: str | None = None) -> str:
    """Downloads ``origin`` into the ``models`` cache folder (once) and returns the local path."""
    from ..utils.file_utils import get_file as cached_download

    return cached_download(fname, origin, cache_subdir="models", file_hash=file_hash)


def download(url: str, file_hash: str | None = None) -> str:
    """``get_file`` for ``url``, cached under the URL's last path component."""
    return get_file(url.rsplit("/", 1)[1], url, file_hash=file_hash)


def is_valid_weights(weights: Any) -> bool:
    """``None``, ``"imagenet"`` or the path of an existing file."""
    if weights is None or weights == "imagenet":
        return True
    try:
        return os.path.exists(weights)
    except TypeError:
        return False


def check_arguments(weights: Any, include_top: bool, classes: int, weights_message: str,
                    classes_message: str) -> None:
    """The first checks of every constructor, each raising the application's own Keras message.

    Raises:
        ValueError: ``weights_message`` when ``weights`` is not ``None``, ``"imagenet"`` or an existing file;
            ``classes_message`` when an ImageNet classifier is asked for other than 1000 classes.
    """
    if not is_valid_weights(weights):
        raise ValueError(weights_message)
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(classes_message)


def require_channels_last(model: str) -> None:
    """Raises:
        ValueError: the image data format is ``channels_first``, which ``model`` does not support.
    """
    if backend.image_data_format() == "channels_first":
        raise ValueError(f"{model} does not support the `channels_first` image data format. Switch to "
                         "`channels_last` by editing your local config file at ~/.keras/keras.json")


def channel_axis() -> int:
    return 1 if backend.image_data_format() == "channels_first" else -1


def rows_cols(shape: Any, offset: int = 0) -> tuple:
    """Height and width of an image shape without (``offset=0``) or with (``offset=1``) its batch dimension."""
    first = offset + (1 if backend.image_data_format() == "channels_first" else 0)
    return shape[first], shape[first + 1]


def image_shape(input_shape: Any, default_size: int, min_size: int, include_top: bool, weights: Any) -> tuple:
    """``imagenet_utils.obtain_input_shape`` for the current image data format."""
    from . import imagenet_utils

    return imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=min_size,
                                             data_format=backend.image_data_format(),
                                             require_flatten=include_top, weights=weights)


def image_input(input_tensor: Any, input_shape: tuple) -> Any:
    """The graph's image input: ``input_tensor`` when it is already a KerasTensor, else a new ``Input``."""
    if input_tensor is None:
        return layers.Input(shape=input_shape)
    if backend.is_keras_tensor(input_tensor):
        return input_tensor
    return layers.Input(tensor=input_tensor, shape=input_shape)


def source_inputs(tensor: Any) -> list:
    """The ``Input`` tensors that ``tensor`` was computed from."""
    history = getattr(tensor, "_keras_history", None)
    if history is None or history.operation is None:
        return [tensor]
    node = history.operation._inbound_nodes[history.node_index]
    if node.is_input:
        return [tensor]
    found: list = []
    for parent in node.input_tensors:
        for source in source_inputs(parent):
            if all(source is not seen for seen in found):
                found.append(source)
    return found


def pool(x: Any, pooling: str | None, avg_name: str | None = None, max_name: str | None = None) -> Any:
    """Global average (``"avg"``) or max (``"max"``) pooling of the features; ``None`` leaves them 4D."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x


def head(x: Any, include_top: bool, pooling: str | None, classes: int, classifier_activation: Any, weights: Any,
         pool_name: str | None = "avg_pool", avg_name: str | None = None, max_name: str | None = None) -> Any:
    """The usual top: global average pooling ``pool_name`` and the dense ``predictions`` layer.

    Without the top, the features go through ``pool`` (``pooling``, ``avg_name``, ``max_name``) instead.

    Raises:
        ValueError: ``classifier_activation`` other than ``None``/``"softmax"`` with pretrained weights.
    """
    from . import imagenet_utils

    if not include_top:
        return pool(x, pooling, avg_name=avg_name, max_name=max_name)
    x = layers.GlobalAveragePooling2D(name=pool_name)(x)
    imagenet_utils.validate_activation(classifier_activation, weights)
    return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)


def model_named_weights(name: str, include_top: bool, hashes: dict, key: str, base_path: str) -> Callable[[], str]:
    """The ``pretrained_path`` of weights files named after the model (``name.h5`` / ``name_notop.h5``).

    ``hashes[key]`` holds the (with top, without top) file hashes; it is looked up only when the file is asked for.
    """

    def pretrained_path() -> str:
        file_name = name + (".h5" if include_top else "_notop.h5")
        return get_file(file_name, base_path + file_name, file_hash=hashes[key][0 if include_top else 1])

    return pretrained_path


def finish(img_input: Any, input_tensor: Any, outputs: Any, name: str, weights: Any,
           pretrained_path: Callable[[], str]) -> Any:
    """The functional model from the image input (or ``input_tensor``'s sources) to ``outputs``, with weights.

    Args:
        weights: ``None`` (keep the random initialisation), ``"imagenet"`` (load the file
            ``pretrained_path()`` returns) or a weights file path.
    """
    from ..models.functional import Functional

    inputs = img_input if input_tensor is None else source_inputs(input_tensor)
    model = Functional(inputs, outputs, name=name)
    if weights == "imagenet":
        model.load_weights(pretrained_path())
    elif weights is not None:
        model.load_weights(weights)
    return model
