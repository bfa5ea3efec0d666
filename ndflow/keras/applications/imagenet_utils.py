"""ImageNet helpers shared by the applications: input preprocessing, decoding predictions, input-shape checks.

``preprocess_input`` modes, as the pretrained weights expect them:

- ``caffe``: RGB to BGR, then each channel minus the ImageNet mean pixel (no scaling);
- ``tf``: pixels scaled from [0, 255] to [-1, 1];
- ``torch``: pixels scaled to [0, 1], then each channel standardised with the ImageNet mean and deviation.
"""
from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np

from .. import activations, backend
from . import _common

__all__ = ["preprocess_input", "decode_predictions", "obtain_input_shape", "correct_pad", "validate_activation"]

CLASS_INDEX: dict | None = None
CLASS_INDEX_PATH = "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"

_CAFFE_MEAN = (103.939, 116.779, 123.68)
_TORCH_MEAN = (0.485, 0.456, 0.406)
_TORCH_STD = (0.229, 0.224, 0.225)


def preprocess_input(x: Any, data_format: str | None = None, mode: str = "caffe") -> Any:
    """Preprocesses a batch of images (or one image), pixel values in [0, 255], for an ImageNet model.

    A floating NumPy array is modified in place (pass ``np.copy(x)`` to keep it); other NumPy arrays are
    converted to ``floatx()``. Tensors (eager or symbolic ``KerasTensor``) give new tensors.

    Args:
        x: a 3D or 4D NumPy array or tensor with 3 colour channels.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default ``image_data_format()``).
        mode: ``"caffe"``, ``"tf"`` or ``"torch"``.

    Returns:
        The preprocessed array or tensor.

    Raises:
        ValueError: an unknown ``mode`` or ``data_format``.
    """
    if mode not in {"caffe", "tf", "torch"}:
        raise ValueError(f"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}")
    if data_format is None:
        data_format = backend.image_data_format()
    elif data_format not in {"channels_first", "channels_last"}:
        raise ValueError("Expected data_format to be one of `channels_first` or `channels_last`. "
                         f"Received: data_format={data_format}")
    if isinstance(x, np.ndarray):
        return _preprocess_numpy(x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _channel_axis(ndim: int, data_format: str) -> int:
    if data_format == "channels_last":
        return ndim - 1
    return 0 if ndim == 3 else 1


def _channel_shape(ndim: int, data_format: str) -> tuple:
    """The shape that broadcasts a per-channel vector over an image batch."""
    shape = [1] * ndim
    shape[_channel_axis(ndim, data_format)] = 3
    return tuple(shape)


def _reverse_channels(x: Any, data_format: str) -> Any:
    index = [slice(None)] * len(x.shape)
    index[_channel_axis(len(x.shape), data_format)] = slice(None, None, -1)
    return x[tuple(index)]


def _preprocess_numpy(x: np.ndarray, data_format: str, mode: str) -> np.ndarray:
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(backend.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        x = _reverse_channels(x, data_format)
        mean, std = _CAFFE_MEAN, None
    shape = _channel_shape(x.ndim, data_format)
    x -= np.reshape(np.asarray(mean, dtype=x.dtype), shape)
    if std is not None:
        x /= np.reshape(np.asarray(std, dtype=x.dtype), shape)
    return x


def _preprocess_tensor(x: Any, data_format: str, mode: str) -> Any:
    if mode == "tf":
        return x / 127.5 - 1.0
    if mode == "torch":
        x = x / 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        x = _reverse_channels(x, data_format)
        mean, std = _CAFFE_MEAN, None
    ndim = len(x.shape)
    dtype = np.dtype(x.dtype.name if hasattr(x.dtype, "name") else x.dtype)
    x = x - np.reshape(np.asarray(mean, dtype=dtype), _channel_shape(ndim, data_format))
    if std is not None:
        x = x / np.reshape(np.asarray(std, dtype=dtype), _channel_shape(ndim, data_format))
    return x


def decode_predictions(preds: Any, top: int = 5) -> list:
    """The ``top`` ImageNet classes of each prediction, best first.

    The class index (``imagenet_class_index.json``) is fetched once through ``get_file`` and cached.

    Args:
        preds: an array or tensor of shape ``(samples, 1000)``.
        top: how many classes to return per sample.

    Returns:
        One list per sample of ``(class_name, class_description, score)`` tuples.

    Raises:
        ValueError: ``preds`` is not of shape ``(samples, 1000)``.
    """
    global CLASS_INDEX

    if len(preds.shape) != 2 or preds.shape[1] != 1000:
        raise ValueError("`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape "
                         f"(samples, 1000)). Received array with shape: {tuple(preds.shape)}")
    if CLASS_INDEX is None:
        path = _common.get_file("imagenet_class_index.json", CLASS_INDEX_PATH, file_hash=CLASS_INDEX_HASH)
        with open(path) as file:
            CLASS_INDEX = json.load(file)
    preds = np.asarray(preds.numpy() if hasattr(preds, "numpy") else preds)
    results = []
    for pred in preds:
        best = pred.argsort()[-top:][::-1]
        result = [(*CLASS_INDEX[str(i)], pred[i]) for i in best]
        result.sort(key=lambda entry: entry[2], reverse=True)
        results.append(result)
    return results


def obtain_input_shape(input_shape: Any, default_size: int, min_size: int, data_format: str,
                       require_flatten: bool, weights: Any = None) -> tuple:
    """The model's input shape: ``input_shape`` checked, or the default one.

    Args:
        input_shape: ``None`` or the user's shape (without the batch dimension).
        default_size: the default image height and width.
        min_size: the smallest height and width accepted.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        require_flatten: whether the model ends in a classifier needing a static shape (``include_top``).
        weights: ``None``, ``"imagenet"`` or a weights file (``"imagenet"`` requires 3 channels).

    Raises:
        ValueError: a shape that is not 3 integers, has the wrong channels or size, or differs from the
            default with ``include_top`` and ImageNet weights.
    """
    channels_first = data_format == "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels not in {1, 3}:
            warnings.warn("This model usually expects 1 or 3 input channels. However, it was passed an "
                          f"input_shape with {channels} input channels.", stacklevel=3)
        default_shape = (channels, default_size, default_size) if channels_first \
            else (default_size, default_size, channels)
    else:
        default_shape = (3, default_size, default_size) if channels_first else (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and input_shape != default_shape:
            raise ValueError("When setting `include_top=True` and loading `imagenet` weights, `input_shape` "
                             f"should be {default_shape}.  Received: input_shape={input_shape}")
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        channels = input_shape[0] if channels_first else input_shape[-1]
        rows, cols = (input_shape[1], input_shape[2]) if channels_first else (input_shape[0], input_shape[1])
        if channels != 3 and weights == "imagenet":
            raise ValueError(f"The input must have 3 channels; Received `input_shape={input_shape}`")
        if (rows is not None and rows < min_size) or (cols is not None and cols < min_size):
            raise ValueError(f"Input size must be at least {min_size}x{min_size}; Received: "
                             f"input_shape={input_shape}")
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError("If `include_top` is True, you should specify a static `input_shape`. "
                         f"Received: input_shape={input_shape}")
    return input_shape


def correct_pad(inputs: Any, kernel_size: Any) -> tuple:
    """The zero padding ``((top, bottom), (left, right))`` that makes a strided "valid" convolution of
    ``kernel_size`` centre its windows like TensorFlow's "same" padding."""
    first = 2 if backend.image_data_format() == "channels_first" else 1
    rows, cols = inputs.shape[first:first + 2]
    kernel = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    adjust = (1, 1) if rows is None else (1 - rows % 2, 1 - cols % 2)
    half = (kernel[0] // 2, kernel[1] // 2)
    return (half[0] - adjust[0], half[0]), (half[1] - adjust[1], half[1])


def validate_activation(classifier_activation: Any, weights: Any) -> None:
    """Pretrained classifiers only allow a softmax or no (linear) activation.

    Raises:
        ValueError: another activation together with weights.
    """
    if weights is None:
        return
    activation = activations.get(classifier_activation)
    if activation not in {activations.get("softmax"), activations.get(None)}:
        raise ValueError("Only `None` and `softmax` activations are allowed for the `classifier_activation` "
                         "argument when using pretrained weights, with `include_top=True`; Received: "
                         f"classifier_activation={activation}")
