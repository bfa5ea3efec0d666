"""TF2 summaries: ``tf.summary.scalar``, ``histogram``, ``image``, ``text``, ``audio``, ``write``, ``graph`` and
graph tracing (``trace_on``/``trace_export``/``trace_off``)."""
from __future__ import annotations

import logging
import time
from typing import Any

from .._core.ops._helpers import object_scalar
from . import values
from .graph_proto import graph_def_bytes, graph_def_proto
from .writer import recording_writer, scoped_tag, write_value

__all__ = ["scalar", "histogram", "image", "text", "audio", "write", "graph", "trace_on", "trace_off",
           "trace_export"]

_log = logging.getLogger("ndflow")


def scalar(name: str, data: Any, step: Any = None, description: str | None = None) -> Any:
    """Writes a scalar (cast to float32) for the ``scalars`` dashboard.

    Returns:
        A boolean tensor: True when written (False without a default writer or while not recording).

    Raises:
        ValueError: no step (argument or ``experimental.set_step``), or non-scalar data.
    """
    tag = scoped_tag(name)
    return write_value(lambda d: values.scalar_value(tag, d, description), [data], step)


def histogram(name: str, data: Any, step: Any = None, buckets: int | None = None,
              description: str | None = None) -> Any:
    """Writes the distribution of ``data``'s values in ``buckets`` (30) equal-width buckets."""
    tag = scoped_tag(name)
    return write_value(lambda d: values.histogram_value(tag, d, buckets, description), [data], step)


def image(name: str, data: Any, step: Any = None, max_outputs: int = 3, description: str | None = None) -> Any:
    """Writes up to ``max_outputs`` images of a ``[k, h, w, c]`` batch (floats in [0, 1] or uint8) as PNG."""
    tag = scoped_tag(name)
    return write_value(lambda d: values.image_value(tag, d, max_outputs, description), [data], step)


def text(name: str, data: Any, step: Any = None, description: str | None = None) -> Any:
    """Writes a string tensor (markdown) for the ``text`` dashboard."""
    tag = scoped_tag(name)
    return write_value(lambda d: values.text_value(tag, d, description), [data], step)


def audio(name: str, data: Any, sample_rate: Any, step: Any = None, max_outputs: int = 3, encoding: Any = None,
          description: str | None = None) -> Any:
    """Writes up to ``max_outputs`` clips of a ``[k, t, c]`` float batch in [-1, 1] as 16-bit WAV.

    Raises:
        ValueError: an ``encoding`` other than "wav".
    """
    if encoding is not None and encoding != "wav":
        raise ValueError(f"Unknown encoding: {encoding!r}")
    tag = scoped_tag(name)
    return write_value(lambda d, rate: values.audio_value(tag, d, rate, max_outputs, description),
                       [data, sample_rate], step)


def write(tag: str, tensor: Any, step: Any = None, metadata: Any = None, name: str | None = None) -> Any:
    """Writes ``tensor`` (or the result of calling it) under ``tag`` with ``metadata`` (a ``SummaryMetadata``
    proto or its serialized bytes)."""
    from ..protos import load

    summary_pb2 = load("summary")
    if isinstance(metadata, bytes):
        metadata = summary_pb2.SummaryMetadata.FromString(metadata)
    elif metadata is not None and not isinstance(metadata, summary_pb2.SummaryMetadata):
        metadata = summary_pb2.SummaryMetadata.FromString(metadata.SerializeToString())

    if callable(tensor):
        if recording_writer() is None:
            from .._core.tensor import convert_to_tensor

            return convert_to_tensor(False)
        tensor = tensor()
    return write_value(lambda array: values.tensor_value(tag, array, metadata), [tensor], step)


def graph(graph_data: Any) -> Any:
    """Writes a graph (an ndflow ``Graph``, ``ConcreteFunction`` or ``GraphDef``) for the graph dashboard.

    Returns:
        A boolean tensor: whether it was written.

    Raises:
        ValueError: called inside a graph, or ``graph_data`` is not a graph.
    """
    from .._core.context import executing_eagerly
    from .._core.tensor import convert_to_tensor
    from ..protos import load

    if not executing_eagerly():
        raise ValueError("graph() cannot be invoked inside a graph context.")
    writer = recording_writer()
    if writer is None:
        return convert_to_tensor(False)
    try:
        data = graph_def_bytes(graph_data)
    except TypeError:
        raise ValueError("Argument 'graph_data' is not tf.Graph or tf.compat.v1.GraphDef. Received "
                         f"graph_data={graph_data} of type {type(graph_data).__name__}.") from None
    writer.add_event(load("event").Event(wall_time=time.time(), step=0, graph_def=data), "WriteGraphSummary")
    return convert_to_tensor(True)


class _Trace:
    """Graphs of the functions run since ``trace_on``, in first-run order."""

    def __init__(self) -> None:
        self.graphs: list = []

    def __call__(self, concrete: Any) -> None:
        if all(g is not concrete.graph for g in self.graphs):
            self.graphs.append(concrete.graph)


_trace: list[_Trace] = []


def trace_on(graph: bool = True, profiler: bool = False, profiler_outdir: Any = None) -> None:
    """Starts recording the graphs of ``ndflow.function`` calls (profiling is not available and is ignored)."""
    from .._core.function import CALL_OBSERVERS

    if profiler:
        _log.warning("Profiling is not supported by ndflow; trace_on records graphs only.")
    if _trace:
        _log.warning("Trace already enabled")
        return
    if graph:
        _trace.append(_Trace())
        CALL_OBSERVERS.append(_trace[0])


def trace_off() -> None:
    """Stops recording and drops what was recorded."""
    from .._core.function import CALL_OBSERVERS

    while _trace:
        CALL_OBSERVERS.remove(_trace.pop())


def trace_export(name: str, step: Any = None, profiler_outdir: Any = None) -> None:
    """Writes the graphs recorded since ``trace_on`` to the default writer under ``name`` (a ``RunMetadata``
    for TensorBoard's graph dashboard), then stops recording.

    Raises:
        ValueError: ``trace_on`` was not called, or no step.
    """
    from ..protos import load

    if not _trace:
        raise ValueError("Must enable trace before export through tf.summary.trace_on.")
    trace = _trace[0]
    trace_off()
    run_metadata = load("graph").RunMetadata()
    for traced in trace.graphs:
        run_metadata.function_graphs.add().pre_optimization_graph.CopyFrom(graph_def_proto(traced))
    metadata = values.summary_metadata("graph_run_metadata_graph", content=b"1")
    write(name, object_scalar(run_metadata.SerializeToString()), step=step, metadata=metadata)
