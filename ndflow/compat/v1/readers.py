"""TF1 readers: ``TFRecordReader``, ``TextLineReader``, ``WholeFileReader``, ``FixedLengthRecordReader``.

A reader takes file names from a queue (usually ``string_input_producer``'s) and produces ``(key, value)``
records, moving to the next file when one is used up. Keys are what TF produces: ``b"<file>:<byte offset>"``
for TFRecords, ``b"<file>:<line number>"`` for text lines, ``b"<file>:<record index>"`` for fixed-length
records and the file name for whole files. Like queues, each session has its own reader state.
"""
from __future__ import annotations

import threading
from typing import Any, Iterator

import numpy as np

from ..._core import dtypes
from ..._core.context import state
from ..._core.data_flow_ops import SessionResource, resource_handle_op, runtime_of
from ..._core.errors import InvalidArgumentError
from ..._core.execute import execute
from ..._core.op import register
from ..._core.ops._helpers import object_scalar
from ..._core.shape import TensorShape
from ..._core.tensor import Tensor, convert_to_tensor
from ...io.gfile import as_path, os_error
from ...io.tfrecord import TFRecordOptions, read_records

__all__ = ["ReaderBase", "TFRecordReader", "TextLineReader", "WholeFileReader", "FixedLengthRecordReader"]


class _ReaderRuntime:
    """One reader's progress in one session: the records left in the current file and the counters."""

    kind = "tensorflow::ReaderInterface"

    def __init__(self, reader: ReaderBase, resource_name: str) -> None:
        self.reader = reader
        self.resource_name = resource_name
        self.lock = threading.Lock()
        self.records: Iterator | None = None
        self.produced = 0
        self.completed = 0

    def next_records(self, queue_runtime: Any, n: int, up_to: bool) -> list:
        """Up to ``n`` records; with ``up_to``, stops at the end of a file once it has some.

        Raises:
            OutOfRangeError: the file-name queue is closed and empty (and nothing was read).
        """
        out: list = []
        with self.lock:
            while len(out) < n:
                if self.records is None:
                    if out and up_to:
                        break
                    work = queue_runtime.dequeue(1, False)[0][0]
                    self.records = self.reader._records(np.asarray(work, dtype=object)[()])
                try:
                    out.append(next(self.records))
                    self.produced += 1
                except StopIteration:
                    self.records = None
                    self.completed += 1
        return out


def _strings(values: list) -> np.ndarray:
    out = np.empty((len(values),), dtype=object)
    out[:] = values
    return out


def _read_forward(xp, reader_handle, queue_handle):
    [(key, value)] = runtime_of(reader_handle).next_records(runtime_of(queue_handle), 1, False)
    return object_scalar(key), object_scalar(value)


def _read_up_to_forward(xp, reader_handle, queue_handle, num_records):
    count = int(num_records)
    if count <= 0:
        raise InvalidArgumentError(None, None, f"num_records ({count}) must be > 0")
    records = runtime_of(reader_handle).next_records(runtime_of(queue_handle), count, True)
    return _strings([k for k, _ in records]), _strings([v for _, v in records])


def _counter_forward(xp, reader_handle, *, field):
    return np.asarray(getattr(runtime_of(reader_handle), field), dtype=np.int64)


def _reset_forward(xp, reader_handle):
    runtime = runtime_of(reader_handle)
    with runtime.lock:
        runtime.records, runtime.produced, runtime.completed = None, 0, 0
    return ()


_SCALAR_STRINGS = [(TensorShape([]), dtypes.string)] * 2
_STRING_VECTORS = [(TensorShape([None]), dtypes.string)] * 2
ReaderRead = register("ReaderReadV2", _read_forward, stateful=True, num_outputs=2,
                      infer=lambda *specs: _SCALAR_STRINGS)
ReaderReadUpTo = register("ReaderReadUpToV2", _read_up_to_forward, stateful=True, num_outputs=2,
                          infer=lambda *specs: _STRING_VECTORS)
ReaderNumRecordsProduced = register("ReaderNumRecordsProducedV2", _counter_forward, stateful=True,
                                    infer=lambda *specs, field: [(TensorShape([]), dtypes.int64)])
ReaderNumWorkUnitsCompleted = register("ReaderNumWorkUnitsCompletedV2", _counter_forward, stateful=True,
                                       infer=lambda *specs, field: [(TensorShape([]), dtypes.int64)])
ReaderReset = register("ReaderResetV2", _reset_forward, stateful=True, num_outputs=0, infer=lambda *specs: [])


class ReaderBase(SessionResource):
    """Reads ``(key, value)`` records from the files named in a queue of strings.

    Subclasses define ``_records(filename) -> iterator of (key, value)`` and ``_op_type``.
    """

    _op_type = "ReaderV2"

    def __init__(self, name: str | None = None) -> None:
        """Adds the reader's resource op to the current graph.

        Raises:
            RuntimeError: executing eagerly (use ``tf.data``).
        """
        if state.graph is None:
            raise RuntimeError("Readers are not supported when eager execution is enabled. Instead, please use "
                               "tf.data to get data into your model.")
        self._reader_ref = resource_handle_op(self, self._op_type, name or self._op_type)

    def _new_runtime(self, resource_name: str) -> _ReaderRuntime:
        return _ReaderRuntime(self, resource_name)

    @property
    def reader_ref(self) -> Tensor:
        return self._reader_ref

    @property
    def supports_serialize(self) -> bool:
        return False

    @staticmethod
    def _queue_ref(queue: Any) -> Tensor:
        return queue if isinstance(queue, Tensor) else queue.queue_ref

    def read(self, queue: Any, name: str | None = None) -> tuple[Tensor, Tensor]:
        """The next record: ``(key, value)`` scalar strings; takes a new file from ``queue`` when needed.

        Raises (when run):
            OutOfRangeError: ``queue`` is closed and has no more file names.
        """
        return execute(ReaderRead, (self._reader_ref, self._queue_ref(queue)), name=name)

    def read_up_to(self, queue: Any, num_records: Any, name: str | None = None) -> tuple[Tensor, Tensor]:
        """Up to ``num_records`` records (fewer at the end of a file): ``(keys, values)`` string vectors."""
        n = convert_to_tensor(num_records, dtype=dtypes.int64)
        return execute(ReaderReadUpTo, (self._reader_ref, self._queue_ref(queue), n), name=name)

    def num_records_produced(self, name: str | None = None) -> Tensor:
        return execute(ReaderNumRecordsProduced, (self._reader_ref,), {"field": "produced"}, name=name)

    def num_work_units_completed(self, name: str | None = None) -> Tensor:
        return execute(ReaderNumWorkUnitsCompleted, (self._reader_ref,), {"field": "completed"}, name=name)

    def reset(self, name: str | None = None) -> Any:
        """Forgets the current file and zeroes the counters (an op)."""
        execute(ReaderReset, (self._reader_ref,), name=name)
        return state.graph._ops[-1]

    def serialize_state(self, name: str | None = None) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__}.serialize_state is not supported yet")

    def restore_state(self, state: Any, name: str | None = None) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.restore_state is not supported yet")

    def _records(self, filename: bytes) -> Iterator[tuple[bytes, bytes]]:
        raise NotImplementedError


def _read_bytes(filename: bytes) -> bytes:
    path = as_path(filename)
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise os_error(exc, path) from None


class TFRecordReader(ReaderBase):
    """Reads the records of TFRecord files; keys are ``b"<file>:<byte offset of the record>"``.

    Args:
        options: a ``TFRecordOptions`` or compression type string (``""``, ``"ZLIB"``, ``"GZIP"``).
    """

    _op_type = "TFRecordReaderV2"

    def __init__(self, name: str | None = None, options: Any = None) -> None:
        self._compression = TFRecordOptions.get_compression_type_string(options)
        super().__init__(name)

    def _records(self, filename: bytes) -> Iterator[tuple[bytes, bytes]]:
        offset = 0
        for record in read_records(filename, self._compression):
            yield b"%s:%d" % (filename, offset), record
            offset += len(record) + 16  # 8-byte length, 4-byte length CRC, data, 4-byte data CRC


class TextLineReader(ReaderBase):
    """Reads the lines of text files (without line endings); keys are ``b"<file>:<line number>"``.

    Args:
        skip_header_lines: lines to skip at the start of every file.
    """

    _op_type = "TextLineReaderV2"

    def __init__(self, skip_header_lines: int | None = None, name: str | None = None) -> None:
        self._skip = int(skip_header_lines or 0)
        super().__init__(name)

    def _records(self, filename: bytes) -> Iterator[tuple[bytes, bytes]]:
        lines = _read_bytes(filename).split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()  # the file's final newline ends the last line; it doesn't start another
        for number, line in enumerate(lines, start=1):
            if number > self._skip:
                yield b"%s:%d" % (filename, number), line[:-1] if line.endswith(b"\r") else line


class WholeFileReader(ReaderBase):
    """Reads each file as one record: the key is the file name, the value its contents."""

    _op_type = "WholeFileReaderV2"

    def _records(self, filename: bytes) -> Iterator[tuple[bytes, bytes]]:
        yield filename, _read_bytes(filename)


class FixedLengthRecordReader(ReaderBase):
    """Reads records of ``record_bytes`` bytes between a header and a footer; keys ``b"<file>:<index>"``."""

    _op_type = "FixedLengthRecordReaderV2"

    def __init__(self, record_bytes: int, header_bytes: int | None = None, footer_bytes: int | None = None,
                 hop_bytes: int | None = None, name: str | None = None, encoding: str | None = None) -> None:
        if hop_bytes:
            raise NotImplementedError("FixedLengthRecordReader's hop_bytes is not supported yet")
        if encoding:
            raise NotImplementedError("FixedLengthRecordReader's encoding is not supported yet")
        self._record_bytes = int(record_bytes)
        self._header = int(header_bytes or 0)
        self._footer = int(footer_bytes or 0)
        super().__init__(name)

    def _records(self, filename: bytes) -> Iterator[tuple[bytes, bytes]]:
        data = _read_bytes(filename)
        body = data[self._header:len(data) - self._footer]
        for index in range(len(body) // self._record_bytes):
            start = index * self._record_bytes
            yield b"%s:%d" % (filename, index), body[start:start + self._record_bytes]
