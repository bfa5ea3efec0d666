"""TensorBoard event files: ``events.out.tfevents.*``, a TFRecord file of serialized ``Event`` protos.

The first record is the ``file_version: "brain.Event:2"`` event TensorFlow starts every file with; later events
are queued and reach the file when ``max_queue`` events are waiting, every ``flush_secs`` seconds (a daemon
thread), on ``flush()``/``close()`` and when the interpreter exits.
"""
from __future__ import annotations

import atexit
import itertools
import os
import socket
import threading
import time
import weakref
from typing import Any

__all__ = ["EventFileWriter", "event_file_name"]

FILE_VERSION = "brain.Event:2"
SOURCE_WRITER = "tensorflow.core.util.events_writer"

_writer_ids = itertools.count()
_open_writers: weakref.WeakSet = weakref.WeakSet()


def event_file_name(logdir: str, suffix: str = "", unique: bool = False) -> str:
    """``<logdir>/events.out.tfevents.<seconds>.<host>[.<pid>.<n>]<suffix>`` (the TF2 writer adds pid and n)."""
    name = f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}"
    if unique:
        name += f".{os.getpid()}.{next(_writer_ids)}"
    return os.path.join(logdir, name + suffix)


def _event_protos() -> Any:
    from ..protos import load

    return load("event")


class EventFileWriter:
    """Appends ``Event`` protos to a new event file in ``logdir`` (created with its parents).

    Args:
        logdir: the directory.
        max_queue: events kept in memory before they are written.
        flush_secs: longest time an event waits in memory.
        filename_suffix: appended to the file name.
        unique_name: name the file as TF2's writers do (with the process id and a counter).
    """

    def __init__(self, logdir: Any, max_queue: int = 10, flush_secs: float = 120, filename_suffix: str = "",
                 unique_name: bool = False) -> None:
        from ..io.gfile import as_path, makedirs

        self._logdir = as_path(logdir)
        makedirs(self._logdir)
        self._suffix = filename_suffix or ""
        self._unique_name = unique_name
        self._max_queue = max(int(max_queue), 1)
        self._flush_secs = float(flush_secs or 0)
        self._queue: list[bytes] = []
        self._lock = threading.Lock()
        self._closed = True
        self._open()

    def _open(self) -> None:
        """Starts the event file with its version record, and the thread flushing it."""
        from ..io.tfrecord import TFRecordWriter

        self._path = event_file_name(self._logdir, self._suffix, self._unique_name)
        if os.path.exists(self._path):  # reopened within the same second: never overwrite
            self._path = event_file_name(self._logdir, self._suffix, True)
        self._records = TFRecordWriter(self._path)
        first = _event_protos().Event(wall_time=float(int(time.time())), file_version=FILE_VERSION)
        first.source_metadata.writer = SOURCE_WRITER
        self._records.write(first.SerializeToString())
        self._records.flush()
        self._closed = False
        _open_writers.add(self)
        self._wake = threading.Event()
        if self._flush_secs > 0:
            threading.Thread(target=_flush_periodically, args=(weakref.ref(self), self._flush_secs, self._wake),
                             daemon=True, name="EventFileWriterFlusher").start()

    @property
    def path(self) -> str:
        """The event file's path."""
        return self._path

    def get_logdir(self) -> str:
        return self._logdir

    def add_event(self, event: Any) -> None:
        """Queues an ``Event`` proto (or its serialized bytes); a closed writer ignores it, as TF's does."""
        data = event if isinstance(event, bytes) else event.SerializeToString()
        with self._lock:
            if self._closed:
                return
            self._queue.append(data)
            if len(self._queue) >= self._max_queue:
                self._write_queue()

    def _write_queue(self) -> None:
        for data in self._queue:
            self._records.write(data)
        self._queue.clear()
        self._records.flush()

    def flush(self) -> None:
        """Writes every queued event to disk."""
        with self._lock:
            if not self._closed:
                self._write_queue()

    def close(self) -> None:
        """Flushes and closes the file; later events are dropped. Closing twice is harmless."""
        with self._lock:
            if self._closed:
                return
            self._write_queue()
            self._records.close()
            self._closed = True
        self._wake.set()
        _open_writers.discard(self)

    @property
    def closed(self) -> bool:
        return self._closed

    def reopen(self) -> None:
        """Starts a new event file in the same directory after ``close()``."""
        with self._lock:
            if self._closed:
                self._open()


def _flush_periodically(writer_ref: Any, interval: float, stop: threading.Event) -> None:
    while not stop.wait(interval):
        writer = writer_ref()
        if writer is None or writer.closed:
            return
        writer.flush()
        del writer


@atexit.register
def _flush_all() -> None:
    for writer in list(_open_writers):
        writer.flush()
