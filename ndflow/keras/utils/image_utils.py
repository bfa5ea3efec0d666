"""``keras.utils`` image helpers: ``load_img``, ``img_to_array``, ``array_to_img``, ``save_img`` (through
Pillow, imported on first use) and ``smart_resize``."""
from __future__ import annotations

import io
import pathlib
import warnings
from typing import Any

import numpy as np

from .. import backend

__all__ = ["array_to_img", "img_to_array", "save_img", "load_img", "smart_resize"]

_RESAMPLING_NAMES = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def _pil_image(user: str):
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(f"Could not import PIL.Image. The use of `{user}` requires PIL.") from None
    return Image


def _resampling(image_module, name: str):
    methods = getattr(image_module, "Resampling", image_module)
    return getattr(methods, name.upper())


def array_to_img(x: Any, data_format: str | None = None, scale: bool = True, dtype: Any = None):
    """A ``PIL.Image`` from a rank-3 array (1, 3 or 4 channels).

    Args:
        x: the image array.
        data_format: ``"channels_last"``/``"channels_first"`` (default ``keras.config.image_data_format()``).
        scale: stretch the values linearly so that the minimum becomes 0 and the maximum 255.
        dtype: dtype the values are read as before scaling (default ``keras.config.floatx()``).
    """
    data_format = backend.standardize_data_format(data_format)
    image_module = _pil_image("array_to_img")
    x = np.asarray(x, dtype=dtype or backend.floatx())
    if x.ndim != 3:
        raise ValueError(f"Expected image array to have rank 3 (single image). Got array with shape: {x.shape}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        peak = np.max(x)
        if peak != 0:
            x /= peak
        x *= 255
    channels = x.shape[2]
    if channels in (3, 4):
        return image_module.fromarray(x.astype("uint8"), "RGB" if channels == 3 else "RGBA")
    if channels == 1:
        if np.max(x) > 255:  # keep 16/32-bit grayscale values
            return image_module.fromarray(x[:, :, 0].astype("int32"), "I")
        return image_module.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def img_to_array(img: Any, data_format: str | None = None, dtype: Any = None) -> np.ndarray:
    """A rank-3 array ``(height, width, channels)`` (or channels first) from a ``PIL.Image``.

    Raises:
        ValueError: if the image is neither 2-D (grayscale) nor 3-D.
    """
    data_format = backend.standardize_data_format(data_format)
    x = np.asarray(img, dtype=dtype or backend.floatx())
    if x.ndim == 2:
        x = x[np.newaxis] if data_format == "channels_first" else x[..., np.newaxis]
    elif x.ndim == 3:
        if data_format == "channels_first":
            x = x.transpose(2, 0, 1)
    else:
        raise ValueError(f"Unsupported image shape: {x.shape}")
    return x


def save_img(path: Any, x: Any, data_format: str | None = None, file_format: str | None = None,
             scale: bool = True, **kwargs) -> None:
    """Writes the array ``x`` as an image file (format from ``file_format`` or the file extension).

    RGBA images saved as JPEG are converted to RGB with a warning; ``kwargs`` go to ``PIL.Image.save``.
    """
    data_format = backend.standardize_data_format(data_format)
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("The JPEG format does not support RGBA images, converting to RGB.", stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def _center_crop_box(size: tuple[int, int], target: tuple[int, int]) -> list[int]:
    """The largest centred ``(left, upper, right, lower)`` box of ``size`` (w, h) with ``target``'s aspect."""
    width, height = size
    target_width, target_height = target
    crop_height = min(height, width * target_height // target_width)
    crop_width = min(width, height * target_width // target_height)
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    return [left, top, left + crop_width, top + crop_height]


def load_img(path: Any, color_mode: str = "rgb", target_size: tuple[int, int] | None = None,
             interpolation: str = "nearest", keep_aspect_ratio: bool = False):
    """Reads an image file into a ``PIL.Image``.

    Args:
        path: a path (``str``, ``bytes``, ``pathlib.Path``) or an ``io.BytesIO``.
        color_mode: ``"rgb"``, ``"rgba"`` or ``"grayscale"``.
        target_size: ``(height, width)`` to resize to, or ``None`` for the stored size.
        interpolation: Pillow resampling: ``"nearest"``, ``"bilinear"``, ``"bicubic"``, ``"hamming"``,
            ``"box"`` or ``"lanczos"``.
        keep_aspect_ratio: crop the largest centred box with the target's aspect ratio before resizing.
    """
    image_module = _pil_image("load_img")
    if isinstance(path, io.BytesIO):
        img = image_module.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        with open(path, "rb") as file:
            img = image_module.open(io.BytesIO(file.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    wanted_modes = {"grayscale": ("L", "I;16", "I"), "rgba": ("RGBA",), "rgb": ("RGB",)}
    if color_mode not in wanted_modes:
        raise ValueError('color_mode must be "grayscale", "rgb", or "rgba"')
    if img.mode not in wanted_modes[color_mode]:
        img = img.convert(wanted_modes[color_mode][0])
    if target_size is None:
        return img
    width_height = (target_size[1], target_size[0])
    if img.size == width_height:
        return img
    if interpolation not in _RESAMPLING_NAMES:
        raise ValueError(f"Invalid interpolation method {interpolation} specified. Supported methods are "
                         f"{', '.join(_RESAMPLING_NAMES)}")
    box = _center_crop_box(img.size, width_height) if keep_aspect_ratio else None
    return img.resize(width_height, _resampling(image_module, interpolation), box=box)


def smart_resize(x: Any, size: tuple[int, int], interpolation: str = "bilinear",
                 data_format: str = "channels_last") -> Any:
    """Resizes an image (or batch) to ``size`` without distorting it: the largest centred crop with the target
    aspect ratio is taken first, then resized with ``tf.image.resize``.

    Returns:
        A NumPy array for NumPy input, else a tensor.
    """
    from ... import convert_to_tensor, expand_dims, squeeze, transpose
    from ... import image as tf_image
    from ..layers.preprocessing._image_ops import crop_to_aspect_ratio

    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers, but got: {size}.")
    img = convert_to_tensor(x)
    rank = len(img.shape)
    if rank not in (3, 4):
        raise ValueError("Expected an image array with shape `(height, width, channels)`, or "
                         "`(batch_size, height, width, channels)`, but got input with incorrect rank, of shape "
                         f"{tuple(img.shape)}.")
    if rank == 3:
        img = expand_dims(img, 0)
    channels_first = data_format == "channels_first"
    if channels_first:
        img = transpose(img, (0, 2, 3, 1))
    resized = tf_image.resize(crop_to_aspect_ratio(img, *size), size, method=interpolation)
    if channels_first:
        resized = transpose(resized, (0, 3, 1, 2))
    if rank == 3:
        resized = squeeze(resized, 0)
    return resized.numpy() if isinstance(x, np.ndarray) else resized
