"""TFRecord files: ``TFRecordWriter``, ``TFRecordOptions`` and the record reader behind ``TFRecordDataset``.

A TFRecord file is a sequence of records, each framed as::

    uint64 length (little endian) | uint32 masked CRC32C of length | data | uint32 masked CRC32C of data

optionally compressed as one GZIP or ZLIB stream. Files written here are byte-for-byte what TensorFlow
writes for the same records (zlib's defaults, as TF's writer uses them).
"""
from __future__ import annotations

import functools
import struct
import zlib
from typing import Any, Callable, Iterator

import numpy as np

from .._core import errors
from .crc32c import MASK_DELTA, library, masker
from .gfile import as_path, os_error

__all__ = ["TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter", "tf_record_iterator", "read_records",
           "open_stream", "Inflater", "TruncatedStream"]

_LENGTH = struct.Struct("<Q")
_CRC = struct.Struct("<I")
_HEADER = struct.Struct("<QI")
_DEFAULT_BUFFER = 256 * 1024
_MAX_READ = 1 << 26  # larger payloads are read piecewise, so a bogus length can't allocate it all


class TFRecordCompressionType:
    """TF1's compression enum (``NONE``, ``ZLIB``, ``GZIP``)."""

    NONE = 0
    ZLIB = 1
    GZIP = 2


_TYPE_NAMES = {TFRecordCompressionType.NONE: "", TFRecordCompressionType.ZLIB: "ZLIB",
               TFRecordCompressionType.GZIP: "GZIP"}


class TFRecordOptions:
    """How a TFRecord file is compressed: ``compression_type`` ``""``, ``"ZLIB"`` or ``"GZIP"``.

    The zlib settings left as None take zlib's defaults (TF's as well). ``flush_mode``, ``input_buffer_size``
    and ``output_buffer_size`` are recorded for compatibility; they don't change the bytes written.

    Raises:
        ValueError: an unknown ``compression_type``.
    """

    compression_type_map = {"ZLIB": TFRecordCompressionType.ZLIB, "GZIP": TFRecordCompressionType.GZIP,
                            "": TFRecordCompressionType.NONE}

    def __init__(self, compression_type: Any = None, flush_mode: int | None = None,
                 input_buffer_size: int | None = None, output_buffer_size: int | None = None,
                 window_bits: int | None = None, compression_level: int | None = None,
                 compression_method: int | None = None, mem_level: int | None = None,
                 compression_strategy: int | None = None) -> None:
        if isinstance(compression_type, str) and compression_type not in self.compression_type_map:
            raise ValueError(f'Not a valid compression_type: "{compression_type}"')
        if isinstance(compression_type, int) and compression_type not in _TYPE_NAMES:
            raise ValueError(f'Not a valid compression_type: "{compression_type}"')
        self.compression_type = compression_type
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_level = compression_level
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy

    @classmethod
    def get_compression_type_string(cls, options: Any) -> str:
        """``""``, ``"ZLIB"`` or ``"GZIP"`` for options, an enum value, a string or None.

        Raises:
            ValueError: an unknown compression type.
        """
        if options is None:
            return ""
        if isinstance(options, TFRecordOptions):
            return cls.get_compression_type_string(options.compression_type)
        if isinstance(options, int) and options in _TYPE_NAMES:
            return _TYPE_NAMES[options]
        if isinstance(options, str) and options in cls.compression_type_map:
            return options
        raise ValueError(f'Not a valid compression_type: "{options}"')

    def _compressor(self) -> Any:
        """A zlib compressor producing TF's GZIP/ZLIB stream, or None without compression."""
        kind = self.get_compression_type_string(self)
        if not kind:
            return None
        window_bits = 15 if self.window_bits is None else self.window_bits
        return zlib.compressobj(
            -1 if self.compression_level is None else self.compression_level,
            zlib.DEFLATED if self.compression_method is None else self.compression_method,
            window_bits + 16 if kind == "GZIP" else window_bits,
            9 if self.mem_level is None else self.mem_level,
            zlib.Z_DEFAULT_STRATEGY if self.compression_strategy is None else self.compression_strategy)


def _as_options(options: Any) -> TFRecordOptions:
    return options if isinstance(options, TFRecordOptions) else TFRecordOptions(options)


def _record_bytes(record: Any) -> bytes:
    if isinstance(record, bytes):
        return record
    if isinstance(record, str):
        return record.encode("utf-8")
    if isinstance(record, (bytearray, memoryview)):
        return bytes(record)
    raise TypeError(f"TFRecordWriter.write() takes a bytes or str record, got {type(record).__name__}: "
                    f"{record!r}")


class TFRecordWriter:
    """Writes records to a TFRecord file (``tf.io.TFRecordWriter``); a context manager.

    Args:
        path: the file to (over)write.
        options: a ``TFRecordOptions``, or a compression type (``""``, ``"GZIP"``, ``"ZLIB"``).

    Raises:
        NotFoundError: the directory does not exist. ValueError: an unknown compression type.
        ImportError: no CRC32C library is installed.
    """

    def __init__(self, path: Any, options: Any = None) -> None:
        self._options = _as_options(options)
        self._compressor = self._options._compressor()
        self._mask = masker()
        self._path = as_path(path)
        try:
            self._file: Any = open(self._path, "wb", buffering=_DEFAULT_BUFFER)  # noqa: SIM115
        except OSError as exc:
            raise os_error(exc, self._path) from None

    def _sink(self, data: bytes) -> None:
        if self._compressor is not None:
            data = self._compressor.compress(data)
        self._file.write(data)

    def _check_open(self) -> None:
        if self._file is None:
            raise errors.FailedPreconditionError(None, None, "Writer is closed.")

    def write(self, record: Any) -> None:
        """Appends one record (``bytes``; ``str`` is UTF-8 encoded).

        Raises:
            FailedPreconditionError: the writer is closed. TypeError: a record of another type.
        """
        self._check_open()
        data = _record_bytes(record)
        length = _LENGTH.pack(len(data))
        mask = self._mask
        self._sink(b"".join((length, _CRC.pack(mask(length)), data, _CRC.pack(mask(data)))))

    def flush(self) -> None:
        """Pushes buffered records to the file (a partial zlib flush when compressing, as TF does)."""
        self._check_open()
        if self._compressor is not None:
            self._file.write(self._compressor.flush(zlib.Z_PARTIAL_FLUSH))
        self._file.flush()

    def close(self) -> None:
        """Finishes the compressed stream and closes the file; closing twice is harmless."""
        if self._file is None:
            return
        try:
            if self._compressor is not None:
                self._file.write(self._compressor.flush())
        finally:
            self._file.close()
            self._file = None

    def __enter__(self) -> TFRecordWriter:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_file", None) is not None:
            self.close()


# ---------------------------------------------------------------------------------------------------------
# Reading


class TruncatedStream(Exception):
    """The compressed stream ended before its end marker."""


class Inflater:
    """``read(n)`` over a GZIP or ZLIB stream (concatenated GZIP members are read in turn)."""

    def __init__(self, raw: Any, window_bits: int, chunk_size: int) -> None:
        self._raw = raw
        self._window_bits = window_bits
        self._chunk_size = chunk_size
        self._inflate = zlib.decompressobj(window_bits)
        self._started = False
        self._buffer = b""
        self._pos = 0

    def _more(self) -> bool:
        """Inflates more input into the buffer; False at the clean end of the stream."""
        if self._inflate.eof:
            data = self._inflate.unused_data or self._raw.read(self._chunk_size)
            if not data:
                return False
            self._inflate = zlib.decompressobj(self._window_bits)
        else:
            data = self._raw.read(self._chunk_size)
            if not data:
                if self._started:
                    raise TruncatedStream
                return False
        self._started = True
        self._buffer = self._buffer[self._pos:] + self._inflate.decompress(data)
        self._pos = 0
        return True

    def read(self, n: int) -> bytes:
        while len(self._buffer) - self._pos < n and self._more():
            pass
        out = self._buffer[self._pos:self._pos + n]
        self._pos += len(out)
        return out


def _data_loss(message: str) -> errors.DataLossError:
    return errors.DataLossError(None, None, message)


def open_stream(path: str, compression: str, buffer_size: int) -> tuple[Any, Any]:
    """``(file, stream)``: the opened file and a ``read(n)`` source of its (decompressed) bytes.

    Raises:
        NotFoundError (and the other TF file errors): the file can't be opened.
    """
    try:
        raw = open(path, "rb", buffering=max(buffer_size, 2))  # noqa: SIM115  (1 means line buffering)
    except OSError as exc:
        raise os_error(exc, path) from None
    if not compression:
        return raw, raw
    return raw, Inflater(raw, 31 if compression == "GZIP" else 15, buffer_size)


def read_records(path: Any, compression_type: Any = "", buffer_size: int | None = None) -> Iterator[bytes]:
    """Yields the records of one TFRecord file, checking every length and data checksum.

    Raises (while iterating):
        NotFoundError: no such file.
        DataLossError: a truncated or corrupted record or compressed stream; the message names the file and
            the record's offset in the (uncompressed) stream.
    """
    kind = TFRecordOptions.get_compression_type_string(compression_type)
    path = as_path(path)
    raw, stream = open_stream(path, kind, buffer_size or _DEFAULT_BUFFER)
    with raw:
        try:
            yield from _records(stream.read, buffer_size or _DEFAULT_BUFFER)
        except _BadFrame as exc:
            what, offset, note = exc.args
            raise _data_loss(f"{what} at {offset} in {path}{note}") from None


class _BadFrame(Exception):
    """``(what, offset, note)`` of a truncated or corrupted record."""


_LENGTH_AT = struct.Struct("<Q").unpack_from


@functools.cache
def _crc32c_bytes_table() -> np.ndarray:
    """CRC32C's (reflected polynomial 0x82F63B78) update of one byte, for checking record lengths in bulk."""
    crc = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        crc = (crc >> 1) ^ np.where(crc & 1, np.uint32(0x82F63B78), np.uint32(0))
    return crc


def _mask_crcs(crc: np.ndarray) -> np.ndarray:
    """TFRecord's mask of uint32 CRCs (``crc32c.masker`` for arrays): uint32 arithmetic wraps, as the mask wants."""
    return ((crc >> 15) | (crc << 17)) + np.uint32(MASK_DELTA)


def _masked_length_crcs(headers: np.ndarray) -> np.ndarray:
    """The masked CRC32C of each row's first 8 bytes (record lengths), as uint32."""
    table = _crc32c_bytes_table()
    crc = np.full(len(headers), 0xFFFFFFFF, dtype=np.uint32)
    for k in range(8):
        crc = table[(crc ^ headers[:, k]) & 0xFF] ^ (crc >> 8)
    return _mask_crcs(crc ^ np.uint32(0xFFFFFFFF))


_BULK_MIN = 64  # fewer whole records than this are checked one by one: NumPy's set-up would cost more


def _whole_records(buffer: bytes, pos: int, crc32c: Callable[[bytes], int]) -> tuple[list[bytes], int, bool]:
    """The records lying wholly in ``buffer`` from ``pos``, checked together up to the first bad one.

    Returns:
        ``(records, end, bad)``: the good records, where they end, and whether the record at ``end`` failed a
        checksum (its length's or its data's).
    """
    first, stops = pos, []
    size, append = len(buffer), stops.append
    while pos + 12 <= size:
        stop = pos + _LENGTH_AT(buffer, pos)[0] + 16  # lengths are checked below, before any is trusted
        if stop > size:
            break
        append(stop)
        pos = stop
    if len(stops) < _BULK_MIN:
        return _checked_one_by_one(buffer, first, stops, crc32c)
    ends = np.array(stops)
    starts = np.concatenate([[first], ends[:-1]])
    data = np.frombuffer(buffer, dtype=np.uint8)
    headers = data[starts[:, None] + np.arange(12)]
    length_ok = _masked_length_crcs(headers) == headers[:, 8:].copy().view("<u4")[:, 0]
    records = [buffer[i + 12:j - 4] for i, j in zip(starts.tolist(), stops)]
    masked = _mask_crcs(np.array(list(map(crc32c, records)), dtype=np.uint32))
    good = length_ok & (masked == data[(ends - 4)[:, None] + np.arange(4)].view("<u4")[:, 0])
    if good.all():
        return records, pos, False
    n_good = int(np.argmin(good))
    return records[:n_good], int(starts[n_good]), True


def _checked_one_by_one(buffer: bytes, pos: int, stops: list, crc32c: Callable[[bytes], int]) -> tuple:
    """``_whole_records`` for the records from ``pos`` ending at ``stops``, checked in turn (masked inline: this
    loop is hot)."""
    records = []
    for stop in stops:
        record = buffer[pos + 12:stop - 4]
        length_crc, data_crc = crc32c(buffer[pos:pos + 8]), crc32c(record)
        length_crc = (((length_crc >> 15) | (length_crc << 17)) + MASK_DELTA) & 0xFFFFFFFF
        data_crc = (((data_crc >> 15) | (data_crc << 17)) + MASK_DELTA) & 0xFFFFFFFF
        if length_crc != _CRC.unpack_from(buffer, pos + 8)[0] or data_crc != _CRC.unpack_from(buffer, stop - 4)[0]:
            return records, pos, True
        records.append(record)
        pos = stop
    return records, pos, False


def _records(read: Callable[[int], bytes], chunk_size: int) -> Iterator[bytes]:
    """The records in the byte source ``read``, checksums verified.

    Raises:
        _BadFrame: a truncated or corrupted record, or a broken compressed stream.
    """
    crc32c, masked_crc = library(), masker()
    buffer, pos, offset = b"", 0, 0
    try:
        while True:
            if len(buffer) - pos < 12:
                more = read(chunk_size)
                buffer, pos = buffer[pos:] + more, 0
                if len(buffer) < 12:
                    if not buffer:
                        return
                    if not more:
                        raise _BadFrame("truncated record", offset, "")
                    continue
            records, end, bad = _whole_records(buffer, pos, crc32c)
            yield from records
            offset += end - pos
            pos = end
            if len(buffer) - pos < 12 and not bad:
                continue
            # A record running past the buffer, or a bad one: checked alone for TF's error
            length, length_crc = _HEADER.unpack_from(buffer, pos)
            if masked_crc(buffer[pos:pos + 8]) != length_crc:
                raise _BadFrame("corrupted record", offset, " (Is this even a TFRecord file?)")
            end = pos + length + 16
            while len(buffer) < end:
                more = read(min(max(chunk_size, end - len(buffer)), _MAX_READ))
                if not more:
                    raise _BadFrame("truncated record", offset, "")
                buffer, end, pos = buffer[pos:] + more, end - pos, 0
            record = buffer[pos + 12:end - 4]
            if masked_crc(record) != _CRC.unpack_from(buffer, end - 4)[0]:
                raise _BadFrame("corrupted record", offset, "")
            yield record
            pos = end
            offset += length + 16
    except zlib.error as exc:
        raise _BadFrame("inflate() failed reading the record", offset, f": {exc}") from None
    except TruncatedStream:
        raise _BadFrame("truncated compressed stream, cut in the record", offset, "") from None


def tf_record_iterator(path: Any, options: Any = None) -> Iterator[bytes]:
    """Yields the records of a TFRecord file (TF1's ``tf_record_iterator``).

    Args:
        path: the file. options: ``TFRecordOptions`` or a compression type.

    Raises (while iterating):
        NotFoundError, DataLossError: as ``read_records``.
    """
    return read_records(path, TFRecordOptions.get_compression_type_string(options))
