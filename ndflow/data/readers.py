"""File-reading datasets: ``TFRecordDataset``, ``TextLineDataset``, ``FixedLengthRecordDataset``,
``experimental.CsvDataset`` and ``experimental.make_csv_dataset``.

Files are read in order; with ``num_parallel_reads`` several files are open at once and their elements
interleave one at a time in TF's deterministic order. A reading error (missing file, corrupted record, bad CSV
field) is raised for the element where it happens; iterating further goes on with the next file.
"""
from __future__ import annotations

import collections
import csv
import gzip
import io
import itertools
import os
import zlib
from typing import Any, Callable, Iterator

import numpy as np

from .._core import dtypes
from .._core.errors import DataLossError, InvalidArgumentError
from .._core.graph import GraphTensor
from .._core.tensor import Tensor, convert_to_tensor
from .._core.tensor_spec import TensorSpec
from ..io import gfile
from ..io.csv_ops import CsvColumn, CsvError, CsvFormat, as_bytes, check_select_cols, decode_csv_records
from ..io.tfrecord import TFRecordOptions, TruncatedStream, open_stream, read_records
from .core import AUTOTUNE, UNKNOWN, ElementIterator, IteratorContext, close_iterator, cpu_count
from .dataset import Dataset

__all__ = ["TFRecordDataset", "TextLineDataset", "FixedLengthRecordDataset", "CsvDataset", "make_csv_dataset"]

_DEFAULT_BUFFER = 256 * 1024
_CSV_CHUNK = 8192  # records decoded together (vectorized) by CsvDataset


def _scalar_string(data: bytes) -> np.ndarray:
    return np.array(data, dtype=object)


# ---------------------------------------------------------------------------------------------------------
# File names and interleaving


class _FileNames:
    """A reader's ``filenames``: a string tensor (any shape, flattened), a dataset of strings, or a graph tensor
    while a dataset function is traced (then the reader describes its elements but can't be iterated).

    Raises:
        TypeError: names that are not strings.
    """

    def __init__(self, filenames: Any) -> None:
        self.dataset = filenames if isinstance(filenames, Dataset) else None
        self.symbolic = isinstance(filenames, GraphTensor) or (self.dataset is not None and self.dataset._symbolic)
        self.names: list[str] = []
        if self.dataset is not None:
            spec = self.dataset.element_spec
            if not isinstance(spec, TensorSpec) or spec.dtype is not dtypes.string:
                raise TypeError(f"The `filenames` argument must contain `tf.string` elements. Got a dataset of "
                                f"`{spec!r}` elements.")
            return
        if isinstance(filenames, GraphTensor):
            if filenames.dtype is not dtypes.string:
                raise TypeError(f"The `filenames` argument must contain `tf.string` elements. Got "
                                f"`{filenames.dtype!r}` elements.")
            return
        if isinstance(filenames, os.PathLike):
            filenames = os.fspath(filenames)
        elif isinstance(filenames, (list, tuple)):
            filenames = [os.fspath(f) if isinstance(f, os.PathLike) else f for f in filenames]
        tensor = convert_to_tensor(filenames)
        if tensor.dtype is not dtypes.string:
            raise TypeError(f"The `filenames` argument must contain `tf.string` elements. Got `{tensor.dtype!r}` "
                            "elements.")
        self.names = [gfile.as_path(n) for n in tensor._value.reshape(-1).tolist()]

    def __iter__(self) -> Iterator[str]:
        if self.dataset is None:
            yield from self.names
            return
        iterator = self.dataset._element_iterator()
        try:
            for (leaf,) in iterator:
                yield gfile.as_path(leaf.item() if isinstance(leaf, np.ndarray) else leaf)
        finally:
            close_iterator(iterator)


class _InterleavedFiles(ElementIterator):
    """Elements of several files, ``cycle`` open at once, one element from each in turn (TF's deterministic
    interleave with ``block_length=1``: an exhausted file's slot takes the next file when its turn comes).

    ``read(path)`` yields element tuples, or exceptions for bad elements after which the file goes on (a CSV
    record); an exception it raises ends that file (a missing file, a corrupted TFRecord).
    """

    __slots__ = ("_names", "_read", "_slots", "_position", "_names_left", "_type")

    def __init__(self, names: Iterator[str], read: Callable[[str], Iterator[Any]], cycle: int,
                 element_type: type = tuple) -> None:
        self._names = names
        self._read = read
        self._slots: list[Iterator[Any] | None] = [None] * cycle
        self._position = 0
        self._names_left = True
        self._type = element_type  # what ``read`` yields besides exceptions: tuples, or bytes for raw records

    def _advance(self) -> None:
        self._position = (self._position + 1) % len(self._slots)

    def __next__(self) -> tuple:
        current = self._slots[self._position]
        if current is not None and len(self._slots) == 1:  # one file at a time: the common, fast case
            try:
                element = next(current)
            except StopIteration:
                return self._next_slow()
            if type(element) is not self._type:
                raise element
            return element
        return self._next_slow()

    def take(self, n: int) -> list:
        """The next ``n`` elements (fewer at the end), as ``n`` calls of ``next`` give them: an error drops the
        elements taken before it. Only for files whose elements are never errors (the readers of raw records)."""
        if len(self._slots) > 1:
            taken = []
            for _ in range(n):
                try:
                    taken.append(next(self))
                except StopIteration:
                    break
            return taken
        taken = []
        while len(taken) < n:  # one file at a time: whole runs of its elements at C speed
            if self._slots[0] is None:
                name = next(self._names, None) if self._names_left else None
                if name is None:
                    self._names_left = False
                    break
                self._slots[0] = self._read(name)
            want = n - len(taken)
            try:
                run = list(itertools.islice(self._slots[0], want))
            except BaseException:
                self._drop()
                raise
            taken += run
            if len(run) < want:
                self._drop()
        return taken

    def _next_slow(self) -> tuple:
        while True:
            current = self._slots[self._position]
            if current is None:
                if not self._names_left:
                    if not any(self._slots):
                        raise StopIteration
                    self._advance()
                    continue
                name = next(self._names, None)
                if name is None:
                    self._names_left = False
                    continue
                self._slots[self._position] = self._read(name)
                continue
            try:
                element = next(current)
            except StopIteration:
                self._drop()
                continue
            except BaseException:
                self._drop()
                raise
            self._advance()
            if type(element) is not self._type:
                raise element
            return element

    def _drop(self) -> None:
        close_iterator(self._slots[self._position])
        self._slots[self._position] = None
        self._advance()

    def close(self) -> None:
        for i, current in enumerate(self._slots):
            close_iterator(current)
            self._slots[i] = None
        close_iterator(self._names)
        self._names_left = False


def _compression(compression_type: Any) -> str:
    if isinstance(compression_type, Tensor):
        compression_type = compression_type.numpy()
    if isinstance(compression_type, bytes):
        compression_type = compression_type.decode()
    return TFRecordOptions.get_compression_type_string(compression_type)


def _cycle_length(num_parallel_reads: Any) -> int:
    if num_parallel_reads is None:
        return 1
    n = int(num_parallel_reads)
    if n == AUTOTUNE:
        return cpu_count()
    if n < 1:
        raise ValueError(f"`num_parallel_reads` must be positive or AUTOTUNE, got {n}.")
    return n


class _FileDataset(Dataset):
    """Base of the readers: elements come from each file in turn (interleaved with ``num_parallel_reads``)."""

    def __init__(self, filenames: Any, element_spec: Any, num_parallel_reads: Any, compression_type: Any,
                 buffer_size: Any) -> None:
        self._compression = _compression(compression_type)
        self._buffer_size = int(buffer_size) if buffer_size is not None else _DEFAULT_BUFFER
        self._files = _FileNames(filenames)
        self._cycle = _cycle_length(num_parallel_reads)
        super().__init__(element_spec, symbolic=self._files.symbolic)

    def _read_file(self, path: str) -> Iterator[tuple]:
        raise NotImplementedError

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _InterleavedFiles(iter(self._files), self._read_file, self._cycle)

    def _cardinality(self) -> int:
        return UNKNOWN


class _RecordFileDataset(_FileDataset):
    """A reader whose elements are the scalar strings ``_read_records(path)`` yields; ``batch`` of it cuts
    batches straight from the records."""

    _cuts_batches = True

    def _read_records(self, path: str) -> Iterator[bytes]:
        raise NotImplementedError

    def _read_file(self, path: str) -> Iterator[tuple]:
        for record in self._read_records(path):
            yield (_scalar_string(record),)

    def _batches(self, batch_size: int, drop_remainder: bool) -> ElementIterator:
        """What ``batch(batch_size, drop_remainder)`` of this dataset iterates."""
        files = _InterleavedFiles(iter(self._files), self._read_records, self._cycle, element_type=bytes)
        return _RecordBatches(files, batch_size, drop_remainder)


class _RecordBatches(ElementIterator):
    """Batches of raw records as ``(batch,)`` string vectors; a reading error drops the batch it happens in."""

    __slots__ = ("_files", "_size", "_drop", "_done")

    def __init__(self, files: _InterleavedFiles, size: int, drop_remainder: bool) -> None:
        self._files = files
        self._size = size
        self._drop = drop_remainder
        self._done = False

    def __next__(self) -> tuple:
        if self._done:
            raise StopIteration
        records = self._files.take(self._size)
        if len(records) < self._size:
            self._done = True
            self._files.close()
            if not records or self._drop:
                raise StopIteration
        batch = np.empty(len(records), dtype=object)
        batch[:] = records
        return (batch,)

    def close(self) -> None:
        self._files.close()


# ---------------------------------------------------------------------------------------------------------
# TFRecord


class TFRecordDataset(_RecordFileDataset):
    """The records of one or more TFRecord files, as scalar strings (``tf.data.TFRecordDataset``).

    Args:
        filenames: a file name, a list or string tensor of them, or a dataset of them.
        compression_type: ``""`` (none), ``"ZLIB"`` or ``"GZIP"``.
        buffer_size: read-buffer bytes per file (default 256 KiB).
        num_parallel_reads: files read at once, their records interleaved (AUTOTUNE: one per CPU core).

    Raises:
        TypeError: file names that are not strings. ValueError: an unknown compression type.
    """

    _tf_name = "TFRecordDatasetV2"

    def __init__(self, filenames: Any, compression_type: Any = None, buffer_size: Any = None,
                 num_parallel_reads: Any = None, name: str | None = None) -> None:
        super().__init__(filenames, TensorSpec([], dtypes.string), num_parallel_reads, compression_type,
                         buffer_size)

    def _read_records(self, path: str) -> Iterator[bytes]:
        return read_records(path, self._compression, self._buffer_size)


# ---------------------------------------------------------------------------------------------------------
# Text lines


def _line_chunks(path: str, compression: str, buffer_size: int) -> Iterator[list[bytes]]:
    """The lines of a (possibly compressed) text file without their ``\\n`` or ``\\r\\n`` ending, a
    buffer's worth at a time.

    Raises:
        NotFoundError: no such file. DataLossError: a corrupted or truncated compressed file.
    """
    raw, stream = open_stream(path, compression, buffer_size)
    with raw:
        rest = b""
        while True:
            try:
                chunk = stream.read(buffer_size)
            except zlib.error as exc:
                raise DataLossError(None, None, f"inflate() failed reading {path}: {exc}") from None
            except TruncatedStream:
                raise DataLossError(None, None, f"truncated compressed stream in {path}") from None
            if not chunk:
                break
            data = rest + chunk
            lines = data.split(b"\n")
            rest = lines.pop()
            if b"\r" in data:  # not just chunk: a "\r" at the end of the last buffer is now in rest
                lines = [line[:-1] if line.endswith(b"\r") else line for line in lines]
            yield lines
        if rest:
            yield [rest[:-1] if rest.endswith(b"\r") else rest]


class TextLineDataset(_RecordFileDataset):
    """The lines of one or more text files, as scalar strings without the line ending
    (``tf.data.TextLineDataset``). Use ``.skip(1)`` to drop a header line.

    Args: as ``TFRecordDataset``.
    """

    _tf_name = "TextLineDatasetV2"

    def __init__(self, filenames: Any, compression_type: Any = None, buffer_size: Any = None,
                 num_parallel_reads: Any = None, name: str | None = None) -> None:
        super().__init__(filenames, TensorSpec([], dtypes.string), num_parallel_reads, compression_type,
                         buffer_size)

    def _read_records(self, path: str) -> Iterator[bytes]:
        for lines in _line_chunks(path, self._compression, self._buffer_size):
            yield from lines


# ---------------------------------------------------------------------------------------------------------
# Fixed-length records


class FixedLengthRecordDataset(_RecordFileDataset):
    """Records of ``record_bytes`` bytes from binary files, after ``header_bytes`` and before
    ``footer_bytes`` (``tf.data.FixedLengthRecordDataset``).

    Raises (while iterating):
        InvalidArgumentError: a file whose body is not a whole number of records.
    """

    _tf_name = "FixedLengthRecordDatasetV2"

    def __init__(self, filenames: Any, record_bytes: int, header_bytes: int | None = None,
                 footer_bytes: int | None = None, buffer_size: Any = None, compression_type: Any = None,
                 num_parallel_reads: Any = None, name: str | None = None) -> None:
        self._record_bytes = int(record_bytes)
        if self._record_bytes <= 0:
            raise ValueError(f"`record_bytes` must be positive, got {record_bytes}.")
        self._header_bytes = int(header_bytes or 0)
        self._footer_bytes = int(footer_bytes or 0)
        super().__init__(filenames, TensorSpec([], dtypes.string), num_parallel_reads, compression_type,
                         buffer_size)

    def _misfit(self, path: str, body: int) -> InvalidArgumentError:
        return InvalidArgumentError(None, None, f"Excluding the header ({self._header_bytes} bytes) and footer "
                                                f"({self._footer_bytes} bytes), input file \"{path}\" has body "
                                                f"length {body} bytes, which is not an exact multiple of the "
                                                f"record length ({self._record_bytes} bytes).")

    def _read_records(self, path: str) -> Iterator[bytes]:
        size, skip, keep = self._record_bytes, self._header_bytes, self._footer_bytes
        if not self._compression and os.path.isfile(path):
            body = os.path.getsize(path) - skip - keep
            if body < 0 or body % size:
                raise self._misfit(path, max(body, 0))
        raw, stream = open_stream(path, self._compression, self._buffer_size)
        with raw:
            buffer, pos, consumed = b"", 0, -skip
            while True:
                try:
                    more = stream.read(max(self._buffer_size, size + keep))
                except (zlib.error, TruncatedStream) as exc:
                    raise DataLossError(None, None, f"corrupted compressed stream in {path}: {exc}") from None
                buffer, pos = buffer[pos:] + more, 0
                if consumed < 0:
                    pos = min(-consumed, len(buffer))
                    consumed += pos
                while len(buffer) - pos >= size + keep and consumed >= 0:
                    yield buffer[pos:pos + size]
                    pos += size
                if not more:
                    if len(buffer) - pos != keep or consumed < 0:
                        raise self._misfit(path, max(len(buffer) - pos - keep, 0))
                    return


# ---------------------------------------------------------------------------------------------------------
# CSV


def _csv_default(value: Any) -> Tensor:
    """A record default as a tensor; a dtype means a required column (an empty default).

    Raises:
        TypeError: an unsupported type. ValueError: more than one default value.
    """
    if isinstance(value, dtypes.DType):
        return convert_to_tensor(np.empty(0, dtype=value.as_numpy_dtype))
    tensor = value if isinstance(value, Tensor) else convert_to_tensor(value)
    if tensor.dtype.name not in ("float32", "float64", "int32", "int64", "string"):
        raise TypeError(f"Unsupported CSV column type {tensor.dtype.name}: use float32, float64, int32, int64 or "
                        "string.")
    if tensor.shape.num_elements() not in (0, 1):
        raise ValueError(f"A record default must be a scalar or have at most one element, got shape "
                         f"{tensor.shape}.")
    return tensor


def _record_chunks(line_chunks: Iterator[list[bytes]], use_quote_delim: bool) -> Iterator[list[bytes]]:
    """CSV records, a chunk at a time: lines, joined where a quoted field spans several lines."""
    pending = None
    for lines in line_chunks:
        if pending is None and not (use_quote_delim and any(b'"' in line for line in lines)):
            yield lines
            continue
        records = []
        for line in lines:
            if pending is not None:
                line = pending + b"\n" + line
            if use_quote_delim and line.count(b'"') % 2:
                pending = line
                continue
            pending = None
            records.append(line)
        yield records
    if pending is not None:
        yield [pending]


def _sources(n_columns: int, select_cols: tuple, exclude_cols: tuple) -> list[int]:
    """The field each output column reads."""
    if select_cols:
        return list(select_cols)
    if exclude_cols:
        return [c for c in range(n_columns + len(exclude_cols)) if c not in exclude_cols]
    return list(range(n_columns))


class CsvDataset(_FileDataset):
    """The records of CSV files, each a tuple of scalars, one per (selected) column
    (``tf.data.experimental.CsvDataset``).

    Args:
        filenames: as ``TFRecordDataset``.
        record_defaults: per output column, a one-element value giving its dtype and default, or a dtype /
            empty tensor for a required column.
        compression_type, buffer_size: as ``TFRecordDataset``.
        header: skip each file's first line.
        field_delim, use_quote_delim, na_value: as ``tf.io.decode_csv``.
        select_cols: the (increasing) column indices to keep; exclude_cols: the columns to drop instead.

    Raises:
        ValueError: both ``select_cols`` and ``exclude_cols``, or bad column indices.
    """

    _tf_name = "CsvDatasetV2"

    def __init__(self, filenames: Any, record_defaults: Any, compression_type: Any = None, buffer_size: Any = None,
                 header: bool = False, field_delim: str = ",", use_quote_delim: bool = True, na_value: str = "",
                 select_cols: Any = None, exclude_cols: Any = None, name: str | None = None) -> None:
        if select_cols is not None and exclude_cols is not None:
            raise ValueError("Either select_cols or exclude_cols should be specified, but not both.")
        defaults = [_csv_default(d) for d in record_defaults]
        select = check_select_cols(select_cols, len(defaults))
        exclude = check_select_cols(exclude_cols, len(exclude_cols)) if exclude_cols is not None else ()
        delim = as_bytes(field_delim)
        if len(delim) != 1:
            raise ValueError(f"field_delim should be only 1 char, got {field_delim!r}.")
        columns = [CsvColumn(d.dtype, d._value.reshape(-1)[0] if d.shape.num_elements() else None, source)
                   for d, source in zip(defaults, _sources(len(defaults), select, exclude))]
        self._format = CsvFormat(columns, delim, bool(use_quote_delim), as_bytes(na_value), bool(select or exclude),
                                 True, lambda r: "")
        self._header = bool(header)
        self._cuts_batches = bool(defaults)
        super().__init__(filenames, tuple(TensorSpec([], d.dtype) for d in defaults), None, compression_type,
                         buffer_size)

    def _blocks(self, records: list[bytes]) -> Iterator[Any]:
        """The decoded columns of a chunk of records; where a record is bad, the records one by one, each bad
        one's error in its place."""
        try:
            yield decode_csv_records(records, self._format)
        except CsvError:
            for record in records:
                try:
                    yield decode_csv_records([record], self._format)
                except CsvError as exc:
                    yield InvalidArgumentError(None, None, str(exc))

    def _read_blocks(self, path: str) -> Iterator[Any]:
        """A file's records as blocks of decoded columns (lists of arrays), and errors of bad records."""
        skip_header = self._header
        for records in _record_chunks(_line_chunks(path, self._compression, self._buffer_size),
                                      self._format.use_quote_delim):
            if skip_header and records:
                records, skip_header = records[1:], False
            for start in range(0, len(records), _CSV_CHUNK):
                yield from self._blocks(records[start:start + _CSV_CHUNK])

    def _read_file(self, path: str) -> Iterator[Any]:
        for block in self._read_blocks(path):
            if type(block) is list:
                yield from _rows_of(block)
            else:
                yield block

    def _batches(self, batch_size: int, drop_remainder: bool) -> ElementIterator:
        """What ``batch(batch_size, drop_remainder)`` of this dataset iterates."""
        files = _InterleavedFiles(iter(self._files), self._read_blocks, self._cycle, element_type=list)
        return _ColumnBatches(files, batch_size, drop_remainder)


class _ColumnBatches(ElementIterator):
    """Batches cut from blocks of decoded columns; a bad record's error drops the batch it happens in."""

    __slots__ = ("_blocks", "_size", "_drop", "_done", "_block", "_start")

    def __init__(self, blocks: _InterleavedFiles, size: int, drop_remainder: bool) -> None:
        self._blocks = blocks
        self._size = size
        self._drop = drop_remainder
        self._done = False
        self._block: list[np.ndarray] | None = None  # the block being cut, from row ``_start``
        self._start = 0

    def __next__(self) -> tuple:
        if self._done:
            raise StopIteration
        pieces, count = [], 0
        while count < self._size:
            if self._block is None:
                try:
                    self._block, self._start = next(self._blocks), 0
                except StopIteration:
                    break
            start, block = self._start, self._block
            take = min(len(block[0]) - start, self._size - count)
            pieces.append([column[start:start + take] for column in block])
            count += take
            self._start += take
            if self._start == len(block[0]):
                self._block = None
        if count < self._size:
            self._done = True
            self.close()
            if not count or self._drop:
                raise StopIteration
        if len(pieces) == 1:
            return tuple(pieces[0])
        return tuple(np.concatenate(parts) for parts in zip(*pieces))

    def close(self) -> None:
        self._block = None
        self._blocks.close()


def _rows_of(columns: list[np.ndarray]) -> Iterator[tuple]:
    """Element tuples from decoded columns: NumPy scalars, and 0-d object arrays for strings."""
    leaves = [[_scalar_string(v) for v in c] if c.dtype == object else list(c) for c in columns]
    return zip(*leaves)


# ---------------------------------------------------------------------------------------------------------
# make_csv_dataset

_INFER_ORDER = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64, dtypes.string)


def _fits(text: str, dtype: dtypes.DType) -> bool:
    """Whether NumPy reads ``text`` as ``dtype`` (finite for floats, in range for ints), as TF checks."""
    try:
        if dtype is dtypes.int32:
            return np.int32(text) == np.int64(text)
        if dtype is dtypes.int64:
            np.int64(text)
        elif dtype.is_floating:
            return bool(dtype.as_numpy_dtype(text) < np.inf)
    except (ValueError, OverflowError):
        return False
    return True


def _infer_type(text: str, na_value: str, previous: dtypes.DType | None) -> dtypes.DType | None:
    """The least permissive type holding ``text`` that also holds what the column had so far."""
    if text in ("", na_value):
        return previous
    start = 0 if previous is None else _INFER_ORDER.index(previous)
    for dtype in _INFER_ORDER[start:]:
        if _fits(text, dtype):
            return dtype
    return dtypes.string


def _csv_text_rows(path: str, compression: str, field_delim: str, use_quote_delim: bool,
                   encoding: str) -> Iterator[list[str]]:
    if compression == "ZLIB":
        raise ValueError("`compression_type` ZLIB is not supported for probing columns.")
    opener = gzip.open if compression == "GZIP" else open
    try:
        handle = opener(path, "rb")
    except OSError as exc:
        raise gfile.os_error(exc, path) from None
    with io.TextIOWrapper(handle, encoding=encoding, newline="") as text:
        yield from csv.reader(text, delimiter=field_delim,
                              quoting=csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE)


def _file_names(file_pattern: Any) -> list[str]:
    if isinstance(file_pattern, (list, tuple)):
        if not file_pattern:
            raise ValueError("Argument `file_pattern` should not be empty.")
        names = [n for pattern in file_pattern for n in gfile.glob(pattern)]
    else:
        names = gfile.glob(file_pattern)
    if not names:
        raise ValueError(f"No files match `file_pattern` {file_pattern}.")
    return sorted(names)


def _column_names(files: list[str], read_rows: Callable[[str], Iterator[list[str]]]) -> list[str]:
    names = None
    for path in files:
        header = next(read_rows(path), None)
        if header is None:
            raise ValueError(f"Failed when reading the header line of {path}. Is it an empty file?")
        if names is None:
            names = header
        elif header != names:
            raise ValueError(f"All input CSV files should have the same column names in the header row. File "
                             f"{path} has different column names.")
    return names


def _column_indices(select_columns: list, column_names: list[str]) -> list[int]:
    indices = []
    for column in select_columns:
        if isinstance(column, int):
            if not 0 <= column < len(column_names):
                raise ValueError(f"Column index {column} specified in `select_columns` should be > 0  and <= "
                                 f"{len(column_names)}, which is the number of columns.")
            indices.append(column)
        elif column in column_names:
            indices.append(column_names.index(column))
        else:
            raise ValueError(f"Column {column} specified in `select_columns` must be of one of the columns: "
                             f"{column_names}.")
    return sorted(indices)


def _inferred_defaults(files: list[str], read_rows: Callable, n_columns: int, header: bool, na_value: str,
                       rows_for_inference: int | None, selected: list[int]) -> list[Tensor]:
    types: list = [None] * len(selected)
    seen = 0
    for path in files:
        rows = read_rows(path)
        line = 1
        if header:
            next(rows, None)
            line += 1
        for row in rows:
            if rows_for_inference is not None and seen >= rows_for_inference:
                break
            if len(row) != n_columns:
                raise ValueError(f"Problem inferring types: CSV row {line} has {len(row)} number of fields. "
                                 f"Expected: {n_columns}.")
            for j, column in enumerate(selected):
                types[j] = _infer_type(row[column], na_value, types[j])
            seen += 1
            line += 1
    types = [t or dtypes.string for t in types]
    return [convert_to_tensor([0 if t is not dtypes.string else ""], t) for t in types]


def make_csv_dataset(file_pattern: Any, batch_size: int, column_names: list | None = None,
                     column_defaults: list | None = None, label_name: str | None = None,
                     select_columns: list | None = None, field_delim: str = ",", use_quote_delim: bool = True,
                     na_value: str = "", header: bool = True, num_epochs: int | None = None, shuffle: bool = True,
                     shuffle_buffer_size: int = 10000, shuffle_seed: int | None = None,
                     prefetch_buffer_size: int | None = None, num_parallel_reads: int | None = None,
                     sloppy: bool = False, num_rows_for_inference: int | None = 100,
                     compression_type: Any = None, ignore_errors: bool = False, encoding: str = "utf-8") -> Dataset:
    """Batches of CSV rows as ``(features, label)`` (or just ``features``), with ``features`` an OrderedDict
    from column name to a ``[batch]`` tensor (``tf.data.experimental.make_csv_dataset``).

    Column names come from the header when not given; column types are inferred from the first
    ``num_rows_for_inference`` rows when ``column_defaults`` is not given (int32, int64, float32, float64 or
    string, with 0 / "" as defaults). Files and rows are shuffled unless ``shuffle=False``; the data repeats
    ``num_epochs`` times (forever for None, then the last partial batch is dropped).

    Raises:
        ValueError: no matching files, missing or duplicate column names, an unknown ``label_name``, bad
            ``select_columns`` or inconsistent lengths.
    """
    compression = _compression(compression_type)
    files = _file_names(file_pattern)

    def read_rows(path: str) -> Iterator[list[str]]:
        return _csv_text_rows(path, compression, field_delim, use_quote_delim, encoding)

    if column_names is None:
        if not header:
            raise ValueError("Expected `column_names` or `header` arguments. Neither is provided.")
        column_names = _column_names(files, read_rows)
    column_names = list(column_names)
    duplicates = {n for n in column_names if column_names.count(n) > 1}
    if duplicates:
        raise ValueError(f"Either `column_names` argument or CSV header row contains duplicate column names: "
                         f"{duplicates}.")
    selected = _column_indices(select_columns, column_names) if select_columns is not None else None
    if column_defaults is not None:
        defaults = list(column_defaults)
    else:
        defaults = _inferred_defaults(files, read_rows, len(column_names), header, na_value,
                                      num_rows_for_inference, selected or list(range(len(column_names))))
    if selected is not None and len(defaults) != len(selected):
        raise ValueError(f"If specified, `column_defaults` and `select_columns` must have the same length: "
                         f"`column_defaults` has length {len(defaults)}, `select_columns` has length "
                         f"{len(selected)}.")
    if selected is not None and len(column_names) > len(selected):
        column_names = [column_names[i] for i in selected]
    if label_name is not None and label_name not in column_names:
        raise ValueError(f"`label_name` provided must be one of the columns: {column_names}. Received: "
                         f"{label_name}.")

    names = Dataset.from_tensor_slices(files)
    if shuffle:
        names = names.shuffle(len(files), shuffle_seed)

    def file_dataset(filename: Any) -> Dataset:
        records = CsvDataset(filename, defaults, compression_type=compression, header=header,
                             field_delim=field_delim, use_quote_delim=use_quote_delim, na_value=na_value,
                             select_cols=selected)
        return records.ignore_errors() if ignore_errors else records

    if num_parallel_reads in (None, 1):
        dataset = file_dataset(names)
    else:
        dataset = names.interleave(file_dataset, cycle_length=_cycle_length(num_parallel_reads), block_length=1,
                                   num_parallel_calls=num_parallel_reads, deterministic=not sloppy)
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None)

    def to_features(*columns: Any) -> Any:
        features = collections.OrderedDict(zip(column_names, columns))
        if label_name is None:
            return features
        label = features.pop(label_name)
        return features, label

    dataset = dataset.map(to_features)
    return dataset.prefetch(AUTOTUNE if prefetch_buffer_size is None else prefetch_buffer_size)
