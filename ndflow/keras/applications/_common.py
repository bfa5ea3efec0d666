"""Steps every application constructor shares: argument checks, the image input, pooling, weight loading."""
from __future__ import annotations

import os
from typing import Any, Callable

from .. import backend, layers

WEIGHTS_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/"


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


def channel_axis() -> int:
    return 1 if backend.image_data_format() == "channels_first" else -1


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


def imagenet_classifier(x: Any, classes: int, classifier_activation: Any, weights: Any,
                        pool_name: str | None = "avg_pool") -> Any:
    """The usual top: global average pooling ``pool_name`` and the dense ``predictions`` layer.

    Raises:
        ValueError: ``classifier_activation`` other than ``None``/``"softmax"`` with pretrained weights.
    """
    from . import imagenet_utils

    x = layers.GlobalAveragePooling2D(name=pool_name)(x)
    imagenet_utils.validate_activation(classifier_activation, weights)
    return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)


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
