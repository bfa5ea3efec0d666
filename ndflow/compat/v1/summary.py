"""``tf.compat.v1.summary``: TF1 summaries (serialized ``Summary`` protos as string tensors, run through
``Session.run``) and ``FileWriter``.

The ops write the legacy value kinds TF1 writes: ``simple_value`` scalars, ``histo`` histograms over TF's
exponential bucket limits, PNG ``image`` and WAV ``audio`` values tagged ``<name>/image/<i>`` …
"""
from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

from ..._core import dtypes, errors
from ..._core.event_file import EventFileWriter
from ..._core.execute import execute
from ..._core.ops._helpers import object_scalar
from ..._core.py_func import NumpyFunction
from ..._core.tensor import convert_to_tensor
from ...protos import load
from ...summary import values as _values
from ...summary.graph_proto import graph_def_bytes

# also the proto classes Summary, SummaryMetadata, HistogramProto, SummaryDescription, Event, SessionLog and
# TaggedRunMetadata (module __getattr__)
__all__ = ["FileWriter", "FileWriterCache", "scalar", "histogram", "image", "audio", "text", "tensor_summary",
           "merge", "merge_all", "all_v2_summary_ops", "initialize", "get_summary_description"]

_SUMMARIES = "summaries"


def __getattr__(name: str) -> Any:
    """The proto classes (``Summary``, ``Event`` …), loaded with the ``protobuf`` package on first use."""
    if name in ("Summary", "SummaryMetadata", "HistogramProto", "SummaryDescription"):
        return getattr(load("summary"), name)
    if name in ("Event", "SessionLog", "TaggedRunMetadata"):
        return getattr(load("event"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------------------------------------------------
# Summary ops


def _summary_op(op_type: str, name: str, build: Callable[..., Any], inputs: list, collections: Any,
                family: Any) -> Any:
    """A string tensor: the serialized ``Summary`` that ``build(tag, *arrays)`` makes when it runs (shown as an
    ``op_type`` node, TF's summary op, in TensorBoard's graph)."""
    from ..._core.context import executing_eagerly
    from ...summary.writer import scoped_tag

    base = f"{family}/{name}" if family else name
    eager = executing_eagerly()
    tag_holder = [scoped_tag(base)]

    def serialize(*arrays: Any) -> np.ndarray:
        return object_scalar(build(tag_holder[0], *arrays).SerializeToString())

    serialize.op_type = op_type

    tensors = [convert_to_tensor(x) for x in inputs]
    result = execute(NumpyFunction, tuple(tensors),
                     {"func": serialize, "Tout": (dtypes.string,), "eager_inputs": False}, name=base)[0]
    if not eager:
        result.set_shape([])
        tag_holder[0] = result.op.name
        from ..._core.graph import get_default_graph

        for key in [_SUMMARIES] if collections is None else collections:
            get_default_graph().add_to_collection(key, result)
    return result


def _summary(*values: Any) -> Any:
    summary = load("summary").Summary()
    for value in values:
        summary.value.add().CopyFrom(value)
    return summary


def scalar(name: str, tensor: Any, collections: Any = None, family: Any = None) -> Any:
    """A summary with one ``simple_value`` (the scalar ``tensor`` as float).

    Raises:
        InvalidArgumentError: when run, ``tensor`` is not a scalar.
    """
    def build(tag: str, value: Any) -> Any:
        value = np.asarray(value)
        if value.ndim != 0:
            raise errors.InvalidArgumentError(None, None, f"tags and values are not the same shape: [] != "
                                              f"{list(value.shape)} (tag '{tag}')")
        return _summary(load("summary").Summary.Value(tag=tag, simple_value=float(value)))

    return _summary_op("ScalarSummary", name, build, [tensor], collections, family)


def _default_bucket_limits() -> list:
    """TF's histogram bucket limits: ±1e-12 growing by 10% up to 1e20, then ±DBL_MAX, and 0."""
    positive = []
    v = 1.0e-12
    while v < 1.0e20:
        positive.append(v)
        v *= 1.1
    positive.append(np.finfo(np.float64).max)
    return [-x for x in reversed(positive)] + [0.0] + positive


_BUCKET_LIMITS = np.asarray(_default_bucket_limits())


def histogram_proto(values: Any) -> Any:
    """A ``HistogramProto`` as TF1's histogram summary makes it: counts over the default limits, with each run
    of empty buckets collapsed into one.

    Raises:
        InvalidArgumentError: non-finite values.
    """
    data = np.asarray(values, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(data)):
        raise errors.InvalidArgumentError(None, None, "Nan in summary histogram")
    counts = np.bincount(np.searchsorted(_BUCKET_LIMITS, data, side="right"), minlength=len(_BUCKET_LIMITS))
    proto = load("summary").HistogramProto(num=float(data.size), sum=float(data.sum()),
                                           sum_squares=float(np.dot(data, data)))
    proto.min = float(data.min()) if data.size else float(_BUCKET_LIMITS[-1])
    proto.max = float(data.max()) if data.size else float(_BUCKET_LIMITS[0])
    i = 0
    while i < len(counts):
        limit, count = _BUCKET_LIMITS[i], counts[i]
        i += 1
        if count <= 0:
            while i < len(counts) and counts[i] <= 0:
                limit, count = _BUCKET_LIMITS[i], counts[i]
                i += 1
        proto.bucket_limit.append(float(limit))
        proto.bucket.append(float(count))
    return proto


def histogram(name: str, values: Any, collections: Any = None, family: Any = None) -> Any:
    """A summary with a ``histo`` value of ``values``."""
    def build(tag: str, data: Any) -> Any:
        value = load("summary").Summary.Value(tag=tag)
        value.histo.CopyFrom(histogram_proto(data))
        return _summary(value)

    return _summary_op("HistogramSummary", name, build, [values], collections, family)


def _legacy_uint8(image: np.ndarray) -> np.ndarray:
    """TF1's per-image scaling: [0, max] onto [0, 255], or [-m, m] onto [1, 255] around 128 when negative."""
    if image.dtype == np.uint8:
        return image
    pixels = image.astype(np.float32)
    finite = np.isfinite(pixels)
    low = pixels[finite].min() if finite.any() else np.float32(0)
    high = pixels[finite].max() if finite.any() else np.float32(0)
    if low < 0:
        bound = max(abs(low), abs(high))
        scale, offset = (np.float32(0) if bound < 1e-6 else np.float32(127.0) / bound), np.float32(128.0)
    else:
        scale, offset = (np.float32(0) if high < 1e-6 else np.float32(255.0) / high), np.float32(0)
    out = np.where(finite, pixels * scale + offset, 0).astype(np.uint8)
    if not finite.all():
        bad = np.array([255, 0, 0, 255][:image.shape[-1]] if image.shape[-1] > 1 else [255], np.uint8)
        out[~finite.all(axis=-1)] = bad
    return out


def image(name: str, tensor: Any, max_outputs: int = 3, collections: Any = None, family: Any = None) -> Any:
    """A summary with up to ``max_outputs`` PNG ``image`` values of a ``[k, h, w, c]`` batch (c = 1, 3, 4)."""
    def build(tag: str, batch: Any) -> Any:
        batch = np.asarray(batch)
        if batch.ndim != 4 or batch.shape[-1] not in (1, 3, 4):
            raise errors.InvalidArgumentError(None, None, "Tensor must be 4-D with last dim 1, 3, or 4, not "
                                              f"{list(batch.shape)}")
        out = []
        for i, frame in enumerate(batch[:max_outputs]):
            value = load("summary").Summary.Value(tag=f"{tag}/image/{i}" if max_outputs > 1 else f"{tag}/image")
            value.image.height, value.image.width = frame.shape[0], frame.shape[1]
            value.image.colorspace = frame.shape[2]
            value.image.encoded_image_string = _values.encode_png(_legacy_uint8(frame))
            out.append(value)
        return _summary(*out)

    return _summary_op("ImageSummary", name, build, [tensor], collections, family)


def audio(name: str, tensor: Any, sample_rate: Any, max_outputs: int = 3, collections: Any = None,
          family: Any = None) -> Any:
    """A summary with up to ``max_outputs`` WAV ``audio`` values of a ``[k, frames(, channels)]`` batch."""
    def build(tag: str, batch: Any, rate: Any) -> Any:
        batch = np.asarray(batch, np.float32)
        batch = batch[..., None] if batch.ndim == 2 else batch
        out = []
        for i, clip in enumerate(batch[:max_outputs]):
            value = load("summary").Summary.Value(tag=f"{tag}/audio/{i}" if max_outputs > 1 else f"{tag}/audio")
            value.audio.sample_rate = float(rate)
            value.audio.num_channels, value.audio.length_frames = clip.shape[1], clip.shape[0]
            value.audio.encoded_audio_string = _values.encode_wav(clip, int(rate))
            value.audio.content_type = "audio/wav"
            out.append(value)
        return _summary(*out)

    return _summary_op("AudioSummaryV2", name, build, [tensor, sample_rate], collections, family)


def text(name: str, tensor: Any, collections: Any = None) -> Any:
    """A summary of a string tensor for the ``text`` dashboard."""
    return _summary_op("TensorSummaryV2", name, lambda tag, data: _summary(_values.text_value(tag, data)), [tensor],
                       collections, None)


def tensor_summary(name: str, tensor: Any, summary_description: Any = None, collections: Any = None,
                   summary_metadata: Any = None, family: Any = None, display_name: Any = None) -> Any:
    """A summary holding ``tensor`` itself (with ``summary_metadata`` when given)."""
    metadata = None
    if summary_metadata is not None:
        metadata = load("summary").SummaryMetadata.FromString(
            summary_metadata if isinstance(summary_metadata, bytes) else summary_metadata.SerializeToString())

    def build(tag: str, data: Any) -> Any:
        return _summary(_values.tensor_value(tag, data, metadata))

    return _summary_op("TensorSummaryV2", name, build, [tensor], collections, family)


def merge(inputs: list, collections: Any = None, name: str | None = None) -> Any:
    """One ``Summary`` with the values of every serialized summary in ``inputs``.

    Raises:
        InvalidArgumentError: when run, two inputs share a tag.
    """
    def build(tag: str, *blobs: Any) -> Any:
        merged = load("summary").Summary.FromString(b"".join(bytes(np.asarray(b, dtype=object).item())
                                                             for b in blobs))
        seen: set = set()
        for value in merged.value:
            if value.tag in seen:
                raise errors.InvalidArgumentError(None, None, f"Duplicate tag {value.tag} found in summary inputs")
            seen.add(value.tag)
        return merged

    return _summary_op("MergeSummary", name or "Merge/MergeSummary", build, list(inputs),
                       [] if collections is None else collections, None)


def merge_all(key: str = _SUMMARIES, scope: Any = None, name: str | None = None) -> Any:
    """``merge`` of every summary in the default graph's ``key`` collection, or None when it is empty.

    Raises:
        RuntimeError: executing eagerly.
    """
    from ..._core.context import executing_eagerly
    from ..._core.graph import get_default_graph

    if executing_eagerly():
        raise RuntimeError("Merging tf.summary.* ops is not compatible with eager execution. Use "
                           "tf.contrib.summary instead.")
    summaries = get_default_graph().get_collection(key, scope)
    return merge(summaries, name=name) if summaries else None


def all_v2_summary_ops() -> list | None:
    """The TF2 summary ops (``tf.summary.scalar`` …) added to the default graph, to run in a ``Session``; None
    when executing eagerly."""
    from ..._core.context import executing_eagerly
    from ..._core.graph import get_default_graph
    from ...summary.writer import V2_SUMMARY_OPS

    if executing_eagerly():
        return None
    return get_default_graph().get_collection(V2_SUMMARY_OPS)


def initialize(graph: Any = None, session: Any = None) -> None:
    """Writers need no initialization in ndflow: accepted for TF1 programs."""


def get_summary_description(node_def: Any) -> Any:
    """The ``SummaryDescription`` of a summary node (ndflow records none: an empty one)."""
    return load("summary").SummaryDescription()


# ---------------------------------------------------------------------------------------------------------
# FileWriter


def _as_bytes(value: Any) -> bytes:
    if hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, np.ndarray):
        value = value.item()
    if isinstance(value, (bytes, bytearray, np.bytes_)):
        return bytes(value)
    if hasattr(value, "SerializeToString"):
        return value.SerializeToString()
    raise TypeError(f"Expected a Summary proto or its serialized bytes, got {type(value).__name__}")


class FileWriter:
    """Writes ``Summary`` protos, graphs and events to an event file in ``logdir`` (TF1's ``FileWriter``).

    Args:
        logdir: the directory (created with its parents).
        graph: a graph to write first (``sess.graph``).
        max_queue: events buffered before a write.
        flush_secs: longest time an event stays buffered.
        graph_def: the deprecated form of ``graph``.
        filename_suffix: appended to the event file's name.

    Raises:
        RuntimeError: created while executing eagerly.
    """

    def __init__(self, logdir: Any, graph: Any = None, max_queue: int = 10, flush_secs: float = 120,
                 graph_def: Any = None, filename_suffix: str | None = None, session: Any = None) -> None:
        from ..._core.context import executing_eagerly

        if executing_eagerly():
            raise RuntimeError("v1.summary.FileWriter is not compatible with eager execution. Use "
                               "`tf.summary.create_file_writer`,or a `with v1.Graph().as_default():` context")
        self._events = EventFileWriter(logdir, max_queue, flush_secs, filename_suffix or "")
        self._seen_tags: set = set()
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def get_logdir(self) -> str:
        return self._events.get_logdir()

    def _event(self, step: Any = None, **fields: Any) -> Any:
        event = load("event").Event(wall_time=time.time(), **fields)
        if step is not None:
            event.step = int(np.asarray(step.numpy() if hasattr(step, "numpy") else step))
        return event

    def add_event(self, event: Any) -> None:
        """Writes an ``Event`` proto (ours or TensorFlow's)."""
        self._events.add_event(event if isinstance(event, bytes) else event.SerializeToString())

    def add_summary(self, summary: Any, global_step: Any = None) -> None:
        """Writes a ``Summary`` (a proto or the bytes a summary op returned) at ``global_step``; plugin metadata
        is kept only the first time a tag appears, as TF does."""
        proto = load("summary").Summary.FromString(_as_bytes(summary))
        for value in proto.value:
            if value.HasField("metadata"):
                if value.tag in self._seen_tags:
                    value.ClearField("metadata")
                else:
                    self._seen_tags.add(value.tag)
        event = self._event(global_step)
        event.summary.CopyFrom(proto)
        self.add_event(event)

    def add_graph(self, graph: Any, global_step: Any = None, graph_def: Any = None) -> None:
        """Writes ``graph`` (a ``Graph`` or ``GraphDef``) for TensorBoard's graph tab.

        Raises:
            ValueError: both or neither of ``graph`` and ``graph_def``.
        """
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        if graph is None and graph_def is None:
            raise ValueError("Please pass either graph or graph_def (deprecated).")
        self.add_event(self._event(global_step, graph_def=graph_def_bytes(graph if graph is not None
                                                                          else graph_def)))

    def add_session_log(self, session_log: Any, global_step: Any = None) -> None:
        event = self._event(global_step)
        event.session_log.ParseFromString(session_log.SerializeToString())
        self.add_event(event)

    def add_run_metadata(self, run_metadata: Any, tag: str, global_step: Any = None) -> None:
        """Writes ``run_metadata`` (a ``RunMetadata`` proto or its bytes) under ``tag``."""
        event = self._event(global_step)
        event.tagged_run_metadata.tag = tag
        event.tagged_run_metadata.run_metadata = _as_bytes(run_metadata)
        self.add_event(event)

    def add_meta_graph(self, meta_graph_def: Any, global_step: Any = None) -> None:
        raise NotImplementedError("FileWriter.add_meta_graph is not supported yet")

    def flush(self) -> None:
        self._events.flush()

    def close(self) -> None:
        self._events.close()

    def reopen(self) -> None:
        self._events.reopen()

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


class FileWriterCache:
    """One shared ``FileWriter`` per log directory."""

    _cache: dict = {}

    @staticmethod
    def get(logdir: Any) -> FileWriter:
        from ..._core.graph import get_default_graph

        key = str(logdir)
        if key not in FileWriterCache._cache:
            FileWriterCache._cache[key] = FileWriter(logdir, graph=get_default_graph())
        return FileWriterCache._cache[key]

    @staticmethod
    def clear() -> None:
        for writer in FileWriterCache._cache.values():
            writer.close()
        FileWriterCache._cache.clear()
