"""``tf.image``: dtype conversion, geometry (crops, pads, flips, rotations, patches) and codecs.

Resizing lives in ``image_resize``, colour ops in ``image_color``, bounding boxes in ``image_boxes``.
Geometry ops are compositions of array ops, so their gradients come from those ops.
"""
from __future__ import annotations

import io
import zlib
from typing import Any

import numpy as np

from .. import dtypes
from ..control_flow import cond
from ..errors import InvalidArgumentError
from ..export import export
from ..shape import TensorShape
from ..tensor import Tensor
from . import array_ops, indexing_ops, math_ops, random_ops
from ._helpers import as_int_list, check_dtype, execute, invalid_arg, register, shape_text, static_value, to_tensor

# ---------------------------------------------------------------------------------------------------------
# Shape checks shared by the image modules


def image_dims(image: Tensor, name: str = "image") -> list:
    """The static dims of an image of rank >= 3 (None where unknown).

    Raises:
        ValueError: rank below 3, as TF's ``_AssertAtLeast3DImage``.
    """
    dims = image.shape.as_list() if image.shape.rank is not None else None
    if dims is None or len(dims) < 3:
        shape = tuple(dims) if dims is not None else "<unknown>"
        raise ValueError(f"'{name}' (shape {shape}) must be at least three-dimensional.")
    if any(d == 0 for d in dims[-3:]):
        raise ValueError(f"all dims of '{name}.shape' must be > 0.")
    return dims


def as_batch(image: Tensor, name: str = "image") -> tuple[Tensor, bool]:
    """``image`` as a 4-D batch, and whether it was one already.

    Raises:
        ValueError: a rank other than 3 or 4.
    """
    dims = image_dims(image, name)
    if len(dims) == 3:
        return array_ops.expand_dims(image, 0), False
    if len(dims) != 4:
        raise ValueError(f"'{name}' must have either 3 (HWC) or 4 (NHWC) dimensions.")
    return image, True


def unbatch(images: Tensor, was_batch: bool) -> Tensor:
    """Undoes ``as_batch``."""
    return images if was_batch else array_ops.squeeze(images, [0])


# ---------------------------------------------------------------------------------------------------------
# dtype conversion


def saturate_cast(value: Tensor, dtype: dtypes.DType) -> Tensor:
    """Casts ``value`` to ``dtype``, clamping first to the values ``dtype`` can hold."""
    if value.dtype.min < dtype.min or value.dtype.max > dtype.max:
        source = value.dtype.as_numpy_dtype
        low = np.asarray(max(value.dtype.min, dtype.min), source)
        high = np.asarray(min(value.dtype.max, dtype.max), source)
        if value.dtype.is_floating and float(high) > dtype.max:  # e.g. float32(2**31 - 1) rounds up to 2**31
            high = np.nextafter(high, source(0))
        value = math_ops.clip_by_value(value, to_tensor(low), to_tensor(high))
    return math_ops.cast(value, dtype)


@export("image.convert_image_dtype")
def convert_image_dtype(image: Any, dtype: Any, saturate: bool = False, name: str | None = None) -> Tensor:
    """Converts ``image`` to ``dtype``, rescaling: floats span [0, 1], integers [0, dtype.max].

    Raises:
        AttributeError: ``dtype`` or the image dtype is neither integer nor floating point.
    """
    image = to_tensor(image)
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise AttributeError("dtype must be either floating point or integer")
    if not (image.dtype.is_floating or image.dtype.is_integer):
        raise AttributeError("image dtype must be either floating point or integer")
    if dtype is image.dtype:
        return array_ops.identity(image)
    if image.dtype.is_integer and dtype.is_integer:
        if image.dtype.max > dtype.max:
            scale = (image.dtype.max + 1) // (dtype.max + 1)
            scaled = math_ops.floordiv(image, math_ops.cast(scale, image.dtype))
            return saturate_cast(scaled, dtype) if saturate else math_ops.cast(scaled, dtype)
        cast = saturate_cast(image, dtype) if saturate else math_ops.cast(image, dtype)
        return math_ops.multiply(cast, math_ops.cast((dtype.max + 1) // (image.dtype.max + 1), dtype))
    if image.dtype.is_floating and dtype.is_floating:
        return math_ops.cast(image, dtype)
    if image.dtype.is_integer:
        return math_ops.multiply(math_ops.cast(image, dtype), 1.0 / image.dtype.max)
    scaled = math_ops.multiply(image, dtype.max + 0.5)
    return saturate_cast(scaled, dtype) if saturate else math_ops.cast(scaled, dtype)


def to_float(image: Tensor) -> Tensor:
    """The image as float for colour arithmetic: float16/32/64 stay, other dtypes become float32 in [0, 1]."""
    if image.dtype.name in ("float16", "float32", "float64"):
        return image
    return convert_image_dtype(image, dtypes.float32)


# ---------------------------------------------------------------------------------------------------------
# Flips, rotations, transposes


def _flip(image: Any, axis: int) -> Tensor:
    image = to_tensor(image)
    dims = image_dims(image)
    if len(dims) > 4:
        raise ValueError("'image' must have either 3 (HWC) or 4 (NHWC) dimensions.")
    return array_ops.reverse(image, [axis + len(dims) - 3])


@export("image.flip_left_right")
def flip_left_right(image: Any) -> Tensor:
    """Mirrors the image (or each image of a batch) horizontally."""
    return _flip(image, 1)


@export("image.flip_up_down")
def flip_up_down(image: Any) -> Tensor:
    """Mirrors the image (or each image of a batch) vertically."""
    return _flip(image, 0)


def draw_uniform(shape: list, minval: Any, maxval: Any, seed: Any, stateless: bool,
                 dtype: dtypes.DType = dtypes.float32) -> Tensor:
    """A uniform draw from ``random.uniform`` (op seed) or ``random.stateless_uniform`` (``[2]`` seed)."""
    if stateless:
        return random_ops.stateless_uniform(shape, seed, minval, maxval, dtype=dtype)
    return random_ops.uniform(shape, minval, maxval, dtype=dtype, seed=seed)


def _random_flip(image: Any, axis: int, seed: Any, stateless: bool = False) -> Tensor:
    image = to_tensor(image)
    dims = image_dims(image)
    if len(dims) == 3:
        return cond(draw_uniform([], 0, 1.0, seed, stateless) < 0.5, lambda: array_ops.reverse(image, [axis]),
                    lambda: image)
    if len(dims) != 4:
        raise ValueError("'image' must have either 3 (HWC) or 4 (NHWC) dimensions.")
    draws = draw_uniform([dims[0]], 0, 1.0, seed, stateless)
    flips = math_ops.cast(array_ops.reshape(math_ops.round(draws), [-1, 1, 1, 1]), image.dtype)
    flipped = array_ops.reverse(image, [axis + 1])
    return flips * flipped + (math_ops.cast(1, image.dtype) - flips) * image


@export("image.random_flip_left_right")
def random_flip_left_right(image: Any, seed: Any = None) -> Tensor:
    """Mirrors horizontally with probability 1/2 (each image of a batch independently)."""
    return _random_flip(image, 1, seed)


@export("image.random_flip_up_down")
def random_flip_up_down(image: Any, seed: Any = None) -> Tensor:
    """Mirrors vertically with probability 1/2 (each image of a batch independently)."""
    return _random_flip(image, 0, seed)


@export("image.stateless_random_flip_left_right")
def stateless_random_flip_left_right(image: Any, seed: Any) -> Tensor:
    """``random_flip_left_right`` drawing from a ``[2]`` integer ``seed`` (deterministic per seed)."""
    return _random_flip(image, 1, seed, stateless=True)


@export("image.stateless_random_flip_up_down")
def stateless_random_flip_up_down(image: Any, seed: Any) -> Tensor:
    """``random_flip_up_down`` drawing from a ``[2]`` integer ``seed`` (deterministic per seed)."""
    return _random_flip(image, 0, seed, stateless=True)


@export("image.transpose")
def transpose(image: Any, name: str | None = None) -> Tensor:
    """Swaps the height and width axes."""
    image = to_tensor(image)
    dims = image_dims(image)
    if len(dims) == 3:
        return array_ops.transpose(image, [1, 0, 2])
    if len(dims) == 4:
        return array_ops.transpose(image, [0, 2, 1, 3])
    raise ValueError("'image' must have either 3 (HWC) or 4 (NHWC) dimensions.")


@export("image.rot90")
def rot90(image: Any, k: Any = 1, name: str | None = None) -> Tensor:
    """Rotates by ``k`` quarter turns counter-clockwise."""
    image = to_tensor(image)
    image_dims(image)
    k = as_int_list(k)[0] % 4
    if k == 0:
        return image
    if k == 2:
        return flip_up_down(flip_left_right(image))
    if k == 1:
        return flip_up_down(transpose(image))
    return flip_left_right(transpose(image))


# ---------------------------------------------------------------------------------------------------------
# Crops and pads


def _int(value: Any) -> int:
    return as_int_list(value)[0]


@export("image.crop_to_bounding_box")
def crop_to_bounding_box(image: Any, offset_height: Any, offset_width: Any, target_height: Any,
                         target_width: Any) -> Tensor:
    """The ``target_height`` × ``target_width`` window whose top-left corner is at the offsets.

    Raises:
        ValueError: negative offsets, empty targets, or a window reaching past the image.
    """
    image = to_tensor(image)
    batch, was_batch = as_batch(image)
    _, height, width, _ = batch.shape.as_list()
    oh, ow, th, tw = (_int(v) for v in (offset_height, offset_width, target_height, target_width))
    for ok, message in ((ow >= 0, "offset_width must be >= 0."), (oh >= 0, "offset_height must be >= 0."),
                        (tw > 0, "target_width must be > 0."), (th > 0, "target_height must be > 0."),
                        (width >= tw + ow, "width must be >= target + offset."),
                        (height >= th + oh, "height must be >= target + offset.")):
        if not ok:
            raise ValueError(message)
    return unbatch(array_ops.slice(batch, [0, oh, ow, 0], [-1, th, tw, -1]), was_batch)


@export("image.pad_to_bounding_box")
def pad_to_bounding_box(image: Any, offset_height: Any, offset_width: Any, target_height: Any,
                        target_width: Any) -> Tensor:
    """Places the image on a zero canvas of ``target_height`` × ``target_width`` at the offsets.

    Raises:
        ValueError: negative offsets or a canvas too small for the image.
    """
    image = to_tensor(image)
    batch, was_batch = as_batch(image)
    _, height, width, _ = batch.shape.as_list()
    oh, ow, th, tw = (_int(v) for v in (offset_height, offset_width, target_height, target_width))
    after_h, after_w = th - oh - height, tw - ow - width
    for ok, message in ((oh >= 0, "offset_height must be >= 0"), (ow >= 0, "offset_width must be >= 0"),
                        (after_w >= 0, "width must be <= target - offset"),
                        (after_h >= 0, "height must be <= target - offset")):
        if not ok:
            raise ValueError(message)
    padded = array_ops.pad(batch, [[0, 0], [oh, after_h], [ow, after_w], [0, 0]])
    return unbatch(padded, was_batch)


@export("image.resize_with_crop_or_pad")
def resize_with_crop_or_pad(image: Any, target_height: Any, target_width: Any) -> Tensor:
    """Centre-crops and/or zero-pads the image to ``target_height`` × ``target_width``."""
    image = to_tensor(image)
    batch, was_batch = as_batch(image)
    _, height, width, _ = batch.shape.as_list()
    th, tw = _int(target_height), _int(target_width)
    if tw <= 0:
        raise ValueError("target_width must be > 0")
    if th <= 0:
        raise ValueError("target_height must be > 0")
    dw, dh = tw - width, th - height
    cropped = crop_to_bounding_box(batch, max(-dh // 2, 0), max(-dw // 2, 0), min(th, height), min(tw, width))
    padded = pad_to_bounding_box(cropped, max(dh // 2, 0), max(dw // 2, 0), th, tw)
    return unbatch(padded, was_batch)


@export("image.central_crop")
def central_crop(image: Any, central_fraction: float) -> Tensor:
    """The central region keeping ``central_fraction`` of each spatial dimension.

    Raises:
        ValueError: ``central_fraction`` outside (0, 1], or a rank other than 3 or 4.
    """
    image = to_tensor(image)
    fraction = float(central_fraction)
    if fraction <= 0.0 or fraction > 1.0:
        raise ValueError("central_fraction must be within (0, 1]")
    if fraction == 1.0:
        return image
    dims = image.shape.as_list()
    if len(dims) not in (3, 4):
        raise ValueError(f"`image` should either be a Tensor with rank = 3 or rank = 4. Had rank = {len(dims)}.")
    height, width = dims[-3], dims[-2]
    top = int((height - height * fraction) / 2)
    left = int((width - width * fraction) / 2)
    begin = [top, left, 0] if len(dims) == 3 else [0, top, left, 0]
    size = [height - 2 * top, width - 2 * left, -1]
    return array_ops.slice(image, begin, size if len(dims) == 3 else [-1] + size)


@export("image.random_crop")
def random_crop(value: Any, size: Any, seed: Any = None, name: str | None = None) -> Tensor:
    """A window of shape ``size`` at a uniformly random offset.

    Raises:
        InvalidArgumentError: ``size`` larger than ``value`` in some dimension.
    """
    return _random_crop(value, size, seed, stateless=False)


@export("image.stateless_random_crop")
def stateless_random_crop(value: Any, size: Any, seed: Any, name: str | None = None) -> Tensor:
    """``random_crop`` drawing from a ``[2]`` integer ``seed`` (deterministic per seed)."""
    return _random_crop(value, size, seed, stateless=True)


def _random_crop(value: Any, size: Any, seed: Any, stateless: bool) -> Tensor:
    value = to_tensor(value)
    size = as_int_list(size)
    shape = value.shape.as_list()
    if len(size) != len(shape):
        raise ValueError(f"Shapes must be equal rank, but are {len(shape)} and {len(size)}")
    if any(s > d for s, d in zip(size, shape)):
        raise InvalidArgumentError(None, None, f"Need value.shape >= size, got {shape} {size}")
    limit = np.asarray(shape, np.int32) - np.asarray(size, np.int32) + 1
    draws = draw_uniform([len(shape)], 0, dtypes.int32.max, seed, stateless, dtypes.int32)
    offset = math_ops.floormod(draws, limit)
    if static_value(offset) is not None:
        return array_ops.slice(value, offset, size)
    for axis, extent in enumerate(size):  # offsets known only when the graph runs
        window = offset[axis] + np.arange(extent, dtype=np.int32)
        value = indexing_ops.gather(value, window, axis=axis)
    return value


@export("image.extract_patches")
def extract_patches(images: Any, sizes: Any, strides: Any, rates: Any, padding: str,
                    name: str | None = None) -> Tensor:
    """Patches of ``sizes[1]`` × ``sizes[2]`` pixels (dilated by ``rates``) flattened into the depth axis.

    Returns:
        ``[batch, out_rows, out_cols, size_rows * size_cols * depth]``.
    """
    images = to_tensor(images)
    if images.shape.rank != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {images.shape.rank}")
    sizes, strides, rates = (as_int_list(v) for v in (sizes, strides, rates))
    for label, v in (("ksizes", sizes), ("strides", strides), ("rates", rates)):
        if len(v) != 4 or v[0] != 1 or v[3] != 1:
            raise invalid_arg("ExtractImagePatches", f"Only support {label} across space.")
    padding = padding.upper() if isinstance(padding, str) else padding
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    _, height, width, depth = images.shape.as_list()
    rows, pad_rows = _patch_indices(height, sizes[1], strides[1], rates[1], padding)
    cols, pad_cols = _patch_indices(width, sizes[2], strides[2], rates[2], padding)
    padded = array_ops.pad(images, [[0, 0], pad_rows, pad_cols, [0, 0]])
    gathered = indexing_ops.gather(indexing_ops.gather(padded, rows, axis=1), cols, axis=3)
    patches = array_ops.transpose(gathered, [0, 1, 3, 2, 4, 5])  # [n, out_r, out_c, k_r, k_c, d]
    return array_ops.reshape(patches, [-1, rows.shape[0], cols.shape[0], sizes[1] * sizes[2] * depth])


def _patch_indices(size: int, ksize: int, stride: int, rate: int, padding: str) -> tuple[np.ndarray, list]:
    """Source indices ``[out, ksize]`` into the padded axis, and the axis padding."""
    effective = ksize + (ksize - 1) * (rate - 1)
    if padding == "VALID":
        out = max(-(-(size - effective + 1) // stride), 0)
        before = after = 0
    else:
        out = -(-size // stride)
        total = max((out - 1) * stride + effective - size, 0)
        before, after = total // 2, total - total // 2
    starts = np.arange(out, dtype=np.int32)[:, None] * stride
    return starts + np.arange(ksize, dtype=np.int32)[None, :] * rate, [before, after]


# ---------------------------------------------------------------------------------------------------------
# Codecs (Pillow, imported on first use)


# Codec kernels run on the host (Pillow, zlib), as TF's do: string tensors hold host objects, and images
# to encode are copied from the device first.


def _host(array):
    """A host (NumPy) copy of a backend array."""
    return array.get() if hasattr(array, "get") else np.asarray(array)


def _pillow():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("ndflow.image codecs need Pillow: pip install pillow") from None
    return Image


_SIGNATURES = ((b"\xff\xd8\xff", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
               (b"BM", "bmp"))
# formats each decode op accepts (TF's decoders share one kernel that sniffs the format)
_ACCEPTED = {"DecodeJpeg": ("jpeg", "png", "gif"), "DecodePng": ("jpeg", "png", "gif"),
             "DecodeGif": ("jpeg", "png", "gif"), "DecodeBmp": ("bmp",),
             "DecodeImage": ("jpeg", "png", "gif", "bmp")}
_DECODE_NAMES = {"jpeg": "decode_jpeg", "png": "decode_png", "gif": "decode_gif", "bmp": "decode_bmp"}


def _sniff(op_name: str, data: bytes) -> str:
    kind = next((k for magic, k in _SIGNATURES if data.startswith(magic)), None)
    if kind is None:
        raise invalid_arg(op_name, "Unknown image file format. One of JPEG, JPEG XL, PNG, GIF, BMP, WebP required.")
    if kind not in _ACCEPTED[op_name]:
        raise invalid_arg(op_name, f"Trying to decode {kind.upper()} format using {op_name} op. Use "
                                   f"`{_DECODE_NAMES[kind]}` or `decode_image` instead.")
    return kind


def _luma(rgb: np.ndarray) -> np.ndarray:
    """libpng's RGB → gray (weights 0.299, 0.587, rest in 1/32768 fixed point, truncated), alpha kept."""
    weights = np.asarray([9797, 19234, 3737], np.uint32)
    gray = ((rgb[..., :3].astype(np.uint32) @ weights) >> 15).astype(np.uint8)[..., None]
    return np.concatenate([gray, rgb[..., 3:]], axis=-1)


def _as_array(image, channels: int) -> np.ndarray:
    """A Pillow frame → uint8 ``[h, w, c]`` with ``channels`` (0: as stored)."""
    mode = image.mode
    if channels == 0:
        if mode in ("L", "1", "I;16", "I"):
            target = "L"
        elif mode in ("LA", "RGB", "RGBA"):
            target = mode
        elif mode == "P":
            target = "RGBA" if "transparency" in image.info else "RGB"
        else:
            target = "RGB"
    else:
        target = {1: "L", 3: "RGB", 4: "RGBA"}[channels]
    if target in ("L", "LA") and mode in ("RGB", "RGBA", "P"):
        return _luma(np.asarray(image.convert("RGBA" if target == "LA" else "RGB"), dtype=np.uint8))
    if mode != target:
        image = image.convert(target)
    array = np.asarray(image, dtype=np.uint8)
    return array[:, :, None] if array.ndim == 2 else array


def _decode_png_pixels(image, channels: int, sixteen: bool) -> np.ndarray:
    """PNG pixels; 16-bit greyscale is kept at full depth (libpng strips it to the high byte for uint8)."""
    if image.mode in ("I;16", "I;16B", "I") and channels in (0, 1):
        array = np.asarray(image).astype(np.uint16)[:, :, None]
        return array if sixteen else (array >> 8).astype(np.uint8)
    array = _as_array(image, channels)
    return array.astype(np.uint16) * 257 if sixteen else array


def _decode_forward(xp, contents, *, op_name, channels, ratio, sixteen, expand_animations):
    if contents.ndim != 0:
        raise invalid_arg(op_name, f"`contents` must be scalar but got shape{shape_text(contents.shape)}")
    if channels not in (0, 1, 3, 4):
        raise invalid_arg(op_name, f"`channels` must be 0, 1, 3 or 4 but got {channels}")
    data = bytes(contents.item())
    kind = _sniff(op_name, data)
    pillow = _pillow()
    try:
        image = pillow.open(io.BytesIO(data))
        if kind == "jpeg" and (ratio != 1 or channels == 1):
            width, height = image.size
            image.draft("L" if channels == 1 else image.mode, (-(-width // ratio), -(-height // ratio)))
        image.load()
    except Exception as exc:  # Pillow raises many kinds on corrupt data
        raise invalid_arg(op_name, f"Invalid {kind.upper()} data, size {len(data)}: {exc}") from None
    if kind == "gif":
        frames = []
        for index in range(getattr(image, "n_frames", 1) if expand_animations else 1):
            image.seek(index)
            frames.append(_as_array(image.convert("RGB"), channels))
        array = np.stack(frames)
        if op_name != "DecodeGif" and not (op_name == "DecodeImage" and expand_animations):
            array = array[0]
    elif kind == "png":
        array = _decode_png_pixels(image, channels, sixteen)
    else:
        array = _as_array(image, channels)
        if sixteen:
            array = array.astype(np.uint16) * 257
    if op_name == "DecodeGif" and array.ndim == 3:
        array = array[None]
    return xp.asarray(array)


def _decode_infer(contents, *, op_name, channels, ratio, sixteen, expand_animations):
    """Pixel dtype from the op; height and width are known only once the bytes are read."""
    dtype = dtypes.uint16 if sixteen else dtypes.uint8
    if op_name == "DecodeGif":
        return [(TensorShape([None, None, None, 3]), dtype)]
    if op_name == "DecodeImage" and expand_animations:
        return [(TensorShape(None), dtype)]
    return [(TensorShape([None, None, channels or None]), dtype)]


_DECODE = {name: register(name, _decode_forward, infer=_decode_infer)
           for name in ("DecodeJpeg", "DecodePng", "DecodeGif", "DecodeBmp", "DecodeImage")}


def _decode(op_name: str, contents: Any, channels: int = 0, ratio: int = 1, sixteen: bool = False,
            expand_animations: bool = True) -> Tensor:
    contents = to_tensor(contents)
    if contents.dtype is not dtypes.string:
        raise invalid_arg(op_name, f"cannot compute {op_name} as input #0(zero-based) was expected to be a "
                                   f"string tensor but is a {contents.dtype.name} tensor")
    attrs = {"op_name": op_name, "channels": int(channels), "ratio": int(ratio), "sixteen": sixteen,
             "expand_animations": bool(expand_animations)}
    return execute(_DECODE[op_name], (contents,), attrs)


def _is_jpeg_forward(xp, contents):
    flags = [bytes(item).startswith(b"\xff\xd8\xff") for item in contents.reshape(-1)]
    return xp.asarray(flags, dtype=bool).reshape(contents.shape)


_IS_JPEG = register("IsJpeg", _is_jpeg_forward)


@export("image.is_jpeg", "io.is_jpeg")
def is_jpeg(contents: Any, name: str | None = None) -> Tensor:
    """Whether each string starts with the JPEG signature (a bool tensor shaped like ``contents``)."""
    contents = to_tensor(contents)
    if contents.dtype is not dtypes.string:
        raise TypeError(f"is_jpeg expects string contents, got {contents.dtype.name}")
    return execute(_IS_JPEG, (contents,))


@export("image.decode_jpeg", "io.decode_jpeg")
def decode_jpeg(contents: Any, channels: int = 0, ratio: int = 1, fancy_upscaling: bool = True,
                try_recover_truncated: bool = False, acceptable_fraction: float = 1,
                dct_method: str = "", name: str | None = None) -> Tensor:
    """Decodes JPEG (or PNG/GIF) bytes into a uint8 ``[h, w, channels]`` image; ``ratio`` (1, 2, 4, 8)
    downscales while decoding. ``dct_method`` is accepted; Pillow always uses the accurate integer DCT."""
    if ratio not in (1, 2, 4, 8):
        raise invalid_arg("DecodeJpeg", f"ratio must be 1, 2, 4, or 8, got {ratio}")
    return _decode("DecodeJpeg", contents, channels, ratio)


@export("image.decode_png", "io.decode_png")
def decode_png(contents: Any, channels: int = 0, dtype: Any = dtypes.uint8, name: str | None = None) -> Tensor:
    """Decodes PNG (or JPEG/GIF) bytes into a uint8 or uint16 ``[h, w, channels]`` image."""
    dtype = dtypes.as_dtype(dtype)
    if dtype.name not in ("uint8", "uint16"):
        raise TypeError(f"Value passed to parameter 'dtype' has DataType {dtype.name} not in list of allowed "
                        "values: uint8, uint16")
    return _decode("DecodePng", contents, channels, sixteen=dtype is dtypes.uint16)


@export("image.decode_bmp", "io.decode_bmp")
def decode_bmp(contents: Any, channels: int = 0, name: str | None = None) -> Tensor:
    """Decodes BMP bytes into a uint8 ``[h, w, channels]`` image."""
    return _decode("DecodeBmp", contents, channels)


@export("image.decode_gif", "io.decode_gif")
def decode_gif(contents: Any, name: str | None = None) -> Tensor:
    """Decodes GIF (or a JPEG/PNG as one frame) into uint8 RGB frames ``[num_frames, h, w, 3]``."""
    return _decode("DecodeGif", contents, 3)


@export("image.decode_image", "io.decode_image")
def decode_image(contents: Any, channels: int | None = None, dtype: Any = dtypes.uint8, name: str | None = None,
                 expand_animations: bool = True) -> Tensor:
    """Decodes JPEG, PNG, GIF or BMP bytes (detected from the header) and converts to ``dtype``.

    GIFs give ``[frames, h, w, 3]`` unless ``expand_animations`` is False (then the first frame).

    Raises:
        InvalidArgumentError: an unknown format or a bad ``channels``.
    """
    dtype = dtypes.as_dtype(dtype)
    image = _decode("DecodeImage", contents, 0 if channels is None else channels,
                    sixteen=dtype is dtypes.uint16, expand_animations=expand_animations)
    return convert_image_dtype(image, dtype)


def _encode_jpeg_forward(xp, image, *, quality, progressive, optimize_size, chroma_downsampling, density):
    if image.ndim != 3 or image.shape[-1] not in (1, 3):
        raise invalid_arg("EncodeJpeg", f"image must be 3-dimensional with 1 or 3 channels, got "
                                        f"{shape_text(image.shape)}")
    array = _host(image)
    picture = _pillow().fromarray(array[:, :, 0] if array.shape[-1] == 1 else array)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality, progressive=progressive, optimize=optimize_size,
                 subsampling=2 if chroma_downsampling else 0, dpi=density)
    return xp.asarray(buffer.getvalue(), dtype=object)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def _encode_png_forward(xp, image, *, compression):
    """A PNG written directly (no Pillow): one IDAT of unfiltered rows, 8 or 16 bits per sample."""
    if image.ndim != 3 or not 1 <= image.shape[-1] <= 4:
        raise invalid_arg("EncodePng", f"image must be 3-dimensional with 1 to 4 channels, got "
                                       f"{shape_text(image.shape)}")
    array = _host(image)
    height, width, channels = array.shape
    bit_depth = 16 if array.dtype == np.uint16 else 8
    color_type = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    rows = array.astype(">u2" if bit_depth == 16 else np.uint8).reshape(height, -1).view(np.uint8)
    raw = np.concatenate([np.zeros((height, 1), np.uint8), rows], axis=1).tobytes()
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([bit_depth, color_type, 0, 0, 0])
    level = 6 if compression < 0 else compression
    data = (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(raw, level))
            + _png_chunk(b"IEND", b""))
    return xp.asarray(data, dtype=object)


_ENCODE_JPEG = register("EncodeJpeg", _encode_jpeg_forward)
_ENCODE_PNG = register("EncodePng", _encode_png_forward)


@export("image.encode_jpeg", "io.encode_jpeg")
def encode_jpeg(image: Any, format: str = "", quality: int = 95, progressive: bool = False,
                optimize_size: bool = False, chroma_downsampling: bool = True, density_unit: str = "in",
                x_density: int = 300, y_density: int = 300, xmp_metadata: str = "",
                name: str | None = None) -> Tensor:
    """Encodes a uint8 ``[h, w, 1 or 3]`` image as JPEG bytes (a scalar string tensor)."""
    image = to_tensor(image)
    check_dtype("EncodeJpeg", image, ("uint8",))
    if not 0 <= quality <= 100:
        raise invalid_arg("EncodeJpeg", f"quality must be in [0,100], got {quality}")
    attrs = {"quality": int(quality), "progressive": bool(progressive), "optimize_size": bool(optimize_size),
             "chroma_downsampling": bool(chroma_downsampling), "density": (int(x_density), int(y_density))}
    return execute(_ENCODE_JPEG, (image,), attrs)


@export("image.encode_png", "io.encode_png")
def encode_png(image: Any, compression: int = -1, name: str | None = None) -> Tensor:
    """Encodes a uint8 or uint16 ``[h, w, 1..4]`` image as PNG bytes (``compression`` -1 or 0..9)."""
    image = to_tensor(image)
    check_dtype("EncodePng", image, ("uint8", "uint16"))
    if not -1 <= compression <= 9:
        raise invalid_arg("EncodePng", f"compression should be in [-1,9], got {compression}")
    return execute(_ENCODE_PNG, (image,), {"compression": int(compression)})
