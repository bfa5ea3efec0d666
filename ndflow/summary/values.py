"""``Summary.Value`` protos as TensorFlow 2 writes them, built from NumPy arrays.

Each TF2 summary is a tensor plus ``SummaryMetadata`` naming the TensorBoard plugin that reads it:

========== ========================= ==========================================================
plugin     tensor                    contents
========== ========================= ==========================================================
scalars    float32 ``[]``            the value
histograms float64 ``[k, 3]``        ``[left edge, right edge, count]`` per bucket
images     string ``[2 + n]``        width, height (as decimal strings), then n PNG images
audio      string ``[n, 2]``         WAV bytes and a label ("") per clip
text       string, any shape         the text
========== ========================= ==========================================================
"""
from __future__ import annotations

import io
import struct
from typing import Any

import numpy as np

from ..protos import load
from ..protos.tensors import array_to_proto as tensor_proto

__all__ = ["tensor_proto", "tensor_value", "summary_metadata", "scalar_value", "histogram_buckets", "histogram_value",
           "image_value", "text_value", "audio_value", "encode_png", "encode_wav", "DEFAULT_BUCKET_COUNT"]

DEFAULT_BUCKET_COUNT = 30
_AUDIO_PLUGIN_WAV = b"\x10\x0b"  # AudioPluginData(encoding=WAV): field 2, varint 11


def summary_metadata(plugin_name: str, description: str | None = None, content: bytes = b"",
                     display_name: str | None = None) -> Any:
    """``SummaryMetadata`` for ``plugin_name`` (fields left unset as TF leaves them)."""
    metadata = load("summary").SummaryMetadata()
    metadata.plugin_data.plugin_name = plugin_name
    if content:
        metadata.plugin_data.content = content
    if description:
        metadata.summary_description = description
    if display_name:
        metadata.display_name = display_name
    return metadata


def tensor_value(tag: str, array: Any, metadata: Any = None) -> Any:
    """A ``Summary.Value`` holding ``array`` as a tensor, with ``metadata`` (a ``SummaryMetadata``) when given."""
    value = load("summary").Summary.Value(tag=tag)
    value.tensor.CopyFrom(tensor_proto(array))
    if metadata is not None:
        value.metadata.CopyFrom(metadata)
    return value


def scalar_value(tag: str, data: Any, description: str | None = None) -> Any:
    """A ``scalars``-plugin value: ``data`` as a float32 scalar.

    Raises:
        ValueError: ``data`` is not a scalar.
    """
    array = np.asarray(data)
    if array.ndim != 0:
        raise ValueError(f"Expected scalar shape for {tag}, saw shape: {tuple(array.shape)}.")
    return tensor_value(tag, array.astype(np.float32), summary_metadata("scalars", description))


def histogram_buckets(data: Any, bucket_count: int | None = None) -> np.ndarray:
    """``[left edge, right edge, count]`` rows over ``[min, max]`` split evenly, as TensorBoard's TF2 histogram
    summary buckets data: an empty input gives zero rows of zeros, a single distinct value puts every count
    in the last bucket with both edges at that value, and the last bucket includes ``max``."""
    k = DEFAULT_BUCKET_COUNT if bucket_count is None else max(int(bucket_count), 0)
    values = np.asarray(data, dtype=np.float64).reshape(-1)
    if values.size == 0 or k == 0:
        return np.zeros((k, 3), np.float64)
    low, high = values.min(), values.max()
    if low == high:
        counts = np.zeros(k, np.float64)
        counts[-1] = values.size
        return np.stack([np.full(k, high), np.full(k, high), counts], axis=1)
    width = (high - low) / k
    index = np.minimum(np.floor((values - low) / width).astype(np.int64), k - 1)
    counts = np.bincount(index, minlength=k).astype(np.float64)
    edges = low + np.arange(k + 1, dtype=np.float64) * width
    edges[-1] = high
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


def histogram_value(tag: str, data: Any, buckets: int | None = None, description: str | None = None) -> Any:
    """A ``histograms``-plugin value."""
    return tensor_value(tag, histogram_buckets(data, buckets), summary_metadata("histograms", description))


def _to_uint8(images: np.ndarray) -> np.ndarray:
    """Pixels as ``tf.image.convert_image_dtype(images, tf.uint8, saturate=True)`` converts them (booleans
    become 0 or 255). NumPy only: this also runs inside a graph's ``numpy_function``, where ops would be traced."""
    if images.dtype == np.uint8:
        return images
    if images.dtype == np.bool_:
        return images.astype(np.uint8) * 255
    if images.dtype.kind == "f":
        scaled = images * images.dtype.type(255.5)
        return np.clip(scaled, 0, 255).astype(np.uint8)
    if images.dtype.kind in "iu":
        top = int(np.iinfo(images.dtype).max) + 1
        if top > 256:
            return np.clip(images // (top // 256), 0, 255).astype(np.uint8)
        return np.clip(images, 0, 255).astype(np.uint8) * np.uint8(256 // top)  # int8: [0, 127] onto [0, 254]
    raise TypeError(f"image summaries take numeric or boolean images, got dtype {images.dtype}")


def encode_png(pixels: np.ndarray) -> bytes:
    """PNG bytes of an ``[h, w, c]`` uint8 image (c = 1, 2, 3 or 4) via Pillow.

    Raises:
        ImportError: Pillow is missing.
    """
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("image summaries need Pillow: pip install pillow") from None
    mode = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[pixels.shape[-1]]
    frame = pixels[..., 0] if mode == "L" else pixels
    out = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(frame), mode=mode).save(out, format="PNG")
    return out.getvalue()


def image_value(tag: str, data: Any, max_outputs: int = 3, description: str | None = None) -> Any:
    """An ``images``-plugin value from ``[n, h, w, c]`` images (floats in [0, 1] or uint8; c = 1, 3 or 4).

    Raises:
        ValueError: a batch of another rank or channel count.
    """
    images = np.asarray(data)
    if images.ndim != 4 or images.shape[-1] not in (1, 3, 4):
        raise ValueError(f"Image summary {tag!r} expects images of shape [k, h, w, c] with c in (1, 3, 4), got "
                         f"shape {tuple(images.shape)}")
    pixels = _to_uint8(images)[:max(int(max_outputs), 0)]
    strings = [str(images.shape[2]).encode(), str(images.shape[1]).encode()]
    strings += [encode_png(image) for image in pixels]
    array = np.empty(len(strings), dtype=object)
    array[:] = strings
    return tensor_value(tag, array, summary_metadata("images", description))


def text_value(tag: str, data: Any, description: str | None = None) -> Any:
    """A ``text``-plugin value: a string tensor of any shape.

    Raises:
        TypeError: non-string data.
    """
    array = np.asarray(data, dtype=object) if not isinstance(data, np.ndarray) else data
    if array.dtype.kind not in "OSU" or not all(isinstance(v, (bytes, str)) for v in array.reshape(-1)):
        raise TypeError(f"Text summary {tag!r} expects string data, got {array.dtype}")
    return tensor_value(tag, array, summary_metadata("text", description))


def encode_wav(samples: np.ndarray, sample_rate: int) -> bytes:
    """16-bit PCM WAV bytes of ``[frames, channels]`` floats in [-1, 1] (rounded and clipped as
    ``tf.audio.encode_wav`` does)."""
    frames, channels = samples.shape
    pcm = np.clip(np.round(np.asarray(samples, np.float32) * np.float32(32768.0)), -32768, 32767)
    data = pcm.astype("<i2").tobytes()
    header = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + len(data), b"WAVE", b"fmt ", 16, 1, channels,
                         int(sample_rate), int(sample_rate) * channels * 2, channels * 2, 16, b"data", len(data))
    return header + data


def audio_value(tag: str, data: Any, sample_rate: Any, max_outputs: int = 3, description: str | None = None) -> Any:
    """An ``audio``-plugin value from ``[k, frames, channels]`` float clips in [-1, 1].

    Raises:
        ValueError: clips of another rank.
    """
    clips = np.asarray(data, dtype=np.float32)
    if clips.ndim != 3:
        raise ValueError(f"Audio summary {tag!r} expects audio of shape [k, t, c], got shape {tuple(clips.shape)}")
    rate = int(np.asarray(sample_rate))
    rows = [[encode_wav(clip, rate), b""] for clip in clips[:max(int(max_outputs), 0)]]
    array = np.empty((len(rows), 2), dtype=object)
    for i, row in enumerate(rows):
        array[i, 0], array[i, 1] = row
    return tensor_value(tag, array, summary_metadata("audio", description, _AUDIO_PLUGIN_WAV))
