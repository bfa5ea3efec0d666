"""The file format of ``Dataset.cache(filename)``: plain typed bytes, so reading a cache never runs code.

Layout (integers little-endian)::

    file      := MAGIC element* end
    element   := b"E" u32(component count) component*
    component := b"T" flags name shape raw-bytes            numbers and bools
               | b"S" flags shape u64(length)* bytes*       string tensors: lengths, then the bytes joined
    name      := u8(length) ascii dtype name ("float32", "bfloat16" …)
    shape     := u8(rank) u64(dim)*
    end       := b"Z" u64(element count)

``flags`` bit 0 marks a NumPy scalar (``np.generic``) rather than an array. A file that does not start with
``MAGIC``, breaks this grammar, or ends before the ``end`` record raises ``DataLossError``.
"""
from __future__ import annotations

import math
import os
import struct
from typing import Any, BinaryIO, Iterator, NoReturn

import numpy as np

from .._core import dtypes
from .._core.errors import DataLossError

__all__ = ["CacheWriter", "read_cache_file"]

MAGIC = b"ndflow dataset cache v1\n"
_SCALAR = 1
_U8, _U32, _U64 = struct.Struct("<B"), struct.Struct("<I"), struct.Struct("<Q")


class CacheWriter:
    """Appends dataset elements (tuples of NumPy arrays/scalars) to an open binary file."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self._count = 0
        file.write(MAGIC)

    def write(self, element: tuple) -> None:
        """Writes one element.

        Raises:
            NotImplementedError: a component is not a tensor value (ragged, sparse, nested dataset …).
        """
        parts = [b"E", _U32.pack(len(element))]
        for value in element:
            parts.extend(_encode(value))
        self._file.write(b"".join(parts))
        self._count += 1

    def finish(self) -> None:
        """Writes the end record (without it the file reads as truncated)."""
        self._file.write(b"Z" + _U64.pack(self._count))


def _encode(value: Any) -> list[bytes]:
    if not isinstance(value, (np.ndarray, np.generic)):
        raise NotImplementedError("caching elements that are not tensors to a file is not supported yet")
    flags = _U8.pack(_SCALAR if isinstance(value, np.generic) else 0)
    array = np.asarray(value)
    shape = [_U8.pack(array.ndim)] + [_U64.pack(d) for d in array.shape]
    if array.dtype.kind in "OSU":
        items = [_as_bytes(item) for item in array.ravel()]
        return [b"S", flags, *shape, np.array([len(b) for b in items], dtype="<u8").tobytes(), *items]
    name = dtypes.as_dtype(array.dtype).name.encode("ascii")
    if array.dtype.kind in "biufc":
        array = array.astype(array.dtype.newbyteorder("<"), copy=False)
    return [b"T", flags, _U8.pack(len(name)), name, *shape, np.ascontiguousarray(array).tobytes()]


def _as_bytes(item: Any) -> bytes:
    if isinstance(item, bytes):
        return item
    if isinstance(item, str):
        return item.encode("utf-8")
    raise NotImplementedError(f"caching a string tensor holding {type(item).__name__} is not supported yet")


def read_cache_file(path: str) -> Iterator[tuple]:
    """Yields the elements stored in the cache file at ``path``.

    Raises:
        DataLossError: the file is not an ndflow dataset cache, or is corrupted or truncated.
    """
    with open(path, "rb") as f:
        reader = _Reader(f, path)
        if f.read(len(MAGIC)) != MAGIC:
            raise DataLossError(None, None, f"{path} is not a dataset cache file written by ndflow "
                                            "(Dataset.cache): its header does not match.")
        count = 0
        while True:
            tag = reader.take(1)
            if tag == b"Z":
                if reader.unpack(_U64) != count or f.read(1):
                    reader.corrupt("its element count does not match its contents")
                return
            if tag != b"E":
                reader.corrupt(f"unexpected record tag {tag!r}")
            yield tuple(reader.component() for _ in range(reader.unpack(_U32)))
            count += 1


class _Reader:
    """Reads the grammar's pieces, checking every length against what the file still holds."""

    def __init__(self, file: BinaryIO, path: str) -> None:
        self._file = file
        self._path = path
        self._size = os.fstat(file.fileno()).st_size

    def corrupt(self, why: str) -> NoReturn:
        raise DataLossError(None, None, f"The dataset cache file {self._path} is corrupted: {why}.")

    def take(self, n: int) -> bytes:
        if n > self._size - self._file.tell():
            raise DataLossError(None, None, f"The dataset cache file {self._path} is truncated: it ends inside "
                                            "an element (was it written completely?).")
        return self._file.read(n)

    def unpack(self, fmt: struct.Struct) -> int:
        return fmt.unpack(self.take(fmt.size))[0]

    def component(self) -> Any:
        kind, flags = self.take(1), self.unpack(_U8)
        if kind == b"T":
            dtype = self._dtype(self.take(self.unpack(_U8)))
            shape = self._shape()
            array = np.frombuffer(bytearray(self.take(math.prod(shape) * dtype.itemsize)), dtype=dtype).reshape(shape)
        elif kind == b"S":
            shape = self._shape()
            lengths = np.frombuffer(self.take(8 * math.prod(shape)), dtype="<u8")
            array = np.empty(len(lengths), dtype=object)
            array[:] = [self.take(int(n)) for n in lengths]
            array = array.reshape(shape)
        else:
            self.corrupt(f"unexpected component tag {kind!r}")
        return array[()] if flags & _SCALAR else array

    def _dtype(self, raw: bytes) -> np.dtype:
        try:
            dtype = np.dtype(dtypes.as_dtype(raw.decode("ascii")).as_numpy_dtype)
        except (TypeError, UnicodeDecodeError):
            dtype = None
        if dtype is None or dtype.kind == "O":
            self.corrupt(f"unknown tensor dtype {raw!r}")
        return dtype.newbyteorder("<") if dtype.kind in "biufc" else dtype

    def _shape(self) -> tuple:
        return tuple(self.unpack(_U64) for _ in range(self.unpack(_U8)))
