"""Summary writers and the per-thread summary state (default writer, step, recording condition).

``write_value`` is where every TF2 summary ends up: executing eagerly it writes an event now; inside a graph
(an ``ndflow.function`` being traced, or a TF1 graph) it adds a stateful op that writes when the graph runs,
with the step read at run time.
"""
from __future__ import annotations

import contextlib
import threading
import time
from typing import Any, Callable, Iterator

import numpy as np

__all__ = ["SummaryWriter", "create_file_writer", "create_noop_writer", "record_if", "should_record_summaries",
           "get_step", "set_step", "recording_writer", "write_value", "scoped_tag", "flush"]


V2_SUMMARY_OPS = "_SUMMARY_V2"  # graph collection of the TF2 summary ops built in a graph


class _State(threading.local):
    def __init__(self) -> None:
        self.writer: SummaryWriter | None = None
        self.step: Any = None
        self.recording: Any = True


_state = _State()


class SummaryWriter:
    """Writes summaries to one event file (``tf.summary.SummaryWriter``); a no-op writer has no file.

    Use ``with writer.as_default(step=...)`` (or ``set_as_default``) so ``tf.summary.scalar`` … write here.
    """

    def __init__(self, event_writer: Any = None) -> None:
        self._events = event_writer
        self._closed = False

    @property
    def _noop(self) -> bool:
        return self._events is None

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"SummaryWriter {self!r} is already closed")

    def as_default(self, step: Any = None) -> contextlib.AbstractContextManager:
        """Makes this the default writer (and ``step`` the default step, when given) inside the block; the
        writer is flushed on exit.

        Raises:
            RuntimeError: the writer is closed.
        """
        self._check_open()
        return self._as_default(step)

    @contextlib.contextmanager
    def _as_default(self, step: Any) -> Iterator[SummaryWriter]:
        previous_writer, previous_step = _state.writer, _state.step
        _state.writer = self
        if step is not None:
            _state.step = step
        try:
            yield self
        finally:
            self.flush()
            _state.writer = previous_writer
            if step is not None:
                _state.step = previous_step

    def set_as_default(self, step: Any = None) -> None:
        """Makes this the default writer until another one is set (and ``step`` the default step).

        Raises:
            RuntimeError: the writer is closed.
        """
        self._check_open()
        _state.writer = self
        if step is not None:
            _state.step = step

    def init(self) -> None:
        """Nothing to initialize (the event file is open from the start).

        Raises:
            RuntimeError: the writer is closed.
        """
        self._check_open()

    def flush(self) -> None:
        """Writes buffered events to disk."""
        if self._events is not None and not self._closed:
            self._events.flush()

    def close(self) -> None:
        """Flushes and closes the event file; later summaries to this writer raise ``NotFoundError``."""
        if self._events is not None:
            self._events.close()
        self._closed = True

    def add_event(self, event: Any, op_name: str = "WriteSummary") -> None:
        """Writes an ``Event`` proto.

        Raises:
            NotFoundError: the writer is closed (TF's error for a deleted writer resource).
        """
        if self._closed:
            from .._core.errors import NotFoundError

            raise NotFoundError(None, None, f"Resource SummaryWriter does not exist: the writer is closed. "
                                            f"[Op:{op_name}]")
        if self._events is not None:
            self._events.add_event(event)

    def write_summary_value(self, value: Any, step: int) -> None:
        """Writes a ``Summary.Value`` (or a whole ``Summary``) proto at ``step`` (now)."""
        from ..protos import load

        event = load("event").Event(wall_time=time.time(), step=int(step))
        if isinstance(value, load("summary").Summary):
            event.summary.CopyFrom(value)
        else:
            event.summary.value.add().CopyFrom(value)
        self.add_event(event)


def create_file_writer(logdir: Any, max_queue: int | None = None, flush_millis: int | None = None,
                       filename_suffix: str | None = None, name: str | None = None,
                       experimental_trackable: bool = False, experimental_mesh: Any = None) -> SummaryWriter:
    """A ``SummaryWriter`` to a new event file in ``logdir`` (created with its parents).

    Args:
        max_queue: events buffered before a write (10).
        flush_millis: longest time an event stays buffered (120000).
        filename_suffix: appended to the file name (".v2").
    """
    from .._core.event_file import EventFileWriter

    if logdir is None:
        raise ValueError("Argument `logdir` cannot be None")
    events = EventFileWriter(logdir, max_queue=10 if max_queue is None else max_queue,
                             flush_secs=(120000 if flush_millis is None else flush_millis) / 1000.0,
                             filename_suffix=".v2" if filename_suffix is None else filename_suffix,
                             unique_name=True)
    return SummaryWriter(events)


def create_noop_writer() -> SummaryWriter:
    """A writer that writes nothing (summaries under it return False)."""
    return SummaryWriter(None)


@contextlib.contextmanager
def record_if(condition: Any) -> Iterator[None]:
    """Summaries inside record only while ``condition`` (a bool, a boolean tensor, or a callable returning
    one, called when a summary is written) holds."""
    previous = _state.recording
    _state.recording = condition
    try:
        yield
    finally:
        _state.recording = previous


def _recording() -> bool:
    condition = _state.recording
    if callable(condition):
        condition = condition()
    return bool(np.asarray(condition.numpy() if hasattr(condition, "numpy") else condition))


def recording_writer() -> SummaryWriter | None:
    """The default writer when a summary written now would be recorded, else None."""
    writer = _state.writer
    return writer if writer is not None and not writer._noop and _recording() else None


def should_record_summaries() -> Any:
    """A boolean tensor: whether a summary written now would be recorded."""
    from .._core.tensor import convert_to_tensor

    return convert_to_tensor(recording_writer() is not None)


def set_step(step: Any) -> None:
    """Sets the default step (an int, a tensor or a variable read each time a summary is written)."""
    _state.step = step


def get_step() -> Any:
    """The default step, or None."""
    return _state.step


def flush(writer: Any = None, name: str | None = None) -> None:
    """Flushes ``writer`` (the default writer when None)."""
    writer = _state.writer if writer is None else writer
    if writer is not None:
        writer.flush()


def scoped_tag(name: str) -> str:
    """``name`` under the current name scope (``"outer/inner/name"``), as TF tags summaries."""
    from .._core.context import executing_eagerly
    from .._core.graph import state

    graph = state.graph
    scopes = list(graph._name_stack) if graph is not None and not executing_eagerly() else list(state.name_scopes)
    scopes = [s for s in scopes if s]
    return "/".join(scopes + [name]) if scopes else name


def write_value(build: Callable[..., Any], inputs: list, step: Any) -> Any:
    """Records the ``Summary.Value`` that ``build(*arrays)`` makes from ``inputs``' values at ``step``.

    Returns:
        A boolean tensor: True when a summary was (or, in a graph, will be) written.

    Raises:
        ValueError: no step given and no default step set.
    """
    from .._core.context import executing_eagerly
    from .._core.tensor import convert_to_tensor

    writer = recording_writer()
    if writer is None:
        return convert_to_tensor(False)
    step = _state.step if step is None else step
    if step is None:
        raise ValueError("No step set. Please specify one either through the `step` argument or through "
                         "tf.summary.experimental.set_step()")
    if executing_eagerly():
        arrays = [_numpy(x) for x in inputs]
        writer.write_summary_value(build(*arrays), int(np.asarray(_numpy(step))))
        return convert_to_tensor(True)
    return _write_in_graph(writer, build, inputs, step)


def _numpy(value: Any) -> Any:
    """The value of a tensor or variable; other values as they are."""
    return value.numpy() if hasattr(value, "numpy") else value


def _write_in_graph(writer: SummaryWriter, build: Callable[..., Any], inputs: list, step: Any) -> Any:
    from .._core import dtypes
    from .._core.py_func import numpy_function
    from .._core.tensor import convert_to_tensor

    def write_now(*arrays: Any) -> np.ndarray:
        *values, step_value = arrays
        writer.write_summary_value(build(*values), int(np.asarray(step_value)))
        return np.asarray(True)

    write_now.op_type = "WriteSummary"  # the node type TensorBoard's graph shows

    from .._core.graph import get_default_graph

    tensors = [convert_to_tensor(x) for x in inputs] + [convert_to_tensor(step, dtype=dtypes.int64)]
    written = numpy_function(write_now, tensors, dtypes.bool)
    written.set_shape([])
    get_default_graph().add_to_collection(V2_SUMMARY_OPS, written)
    return written

