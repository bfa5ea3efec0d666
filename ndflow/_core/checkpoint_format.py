"""ndflow's checkpoint files: a tensor table (``<prefix>.index``) and raw bytes (``<prefix>.data-00000-of-00001``).

The layout is documented in ``docs/checkpoint_format.md``. In short: the data file holds each tensor's bytes
(little-endian; strings as a table of uint64 lengths followed by the bytes), then a JSON copy of the index,
its length as uint64 and the magic ``NDFCKPT1``. The index file holds the same JSON: for each tensor its
dtype, shape, byte offset, byte length and CRC-32, plus a random ``write_id`` shared with the data file.

Writes are atomic per file (temporary name, fsync, rename) and ordered data first, index second. A reader that
finds an index whose ``write_id`` differs from the data file's (a save killed between the two renames) uses the
index copy inside the data file, so it always sees one complete checkpoint: the old one or the new one.
"""
from __future__ import annotations

import glob
import json
import os
import struct
import uuid
import zlib
from typing import Any, Mapping

import numpy as np

from . import dtypes
from .errors import DataLossError, NotFoundError
from .shape import TensorShape

__all__ = ["DATA_SUFFIX", "INDEX_SUFFIX", "TensorEntry", "CheckpointFile", "write_tensors", "checkpoint_exists",
           "delete_checkpoint_files", "atomic_write"]

FORMAT_NAME = "ndflow-checkpoint"
FORMAT_VERSION = 1
DATA_SUFFIX = ".data-00000-of-00001"
INDEX_SUFFIX = ".index"
_MAGIC = b"NDFCKPT1"
_FOOTER = struct.Struct("<Q8s")
_TEMP_MARK = ".ndflow-tmp-"


class TensorEntry:
    """One tensor of a checkpoint: ``dtype`` (a DType), ``shape`` (a list), where its bytes are and their CRC."""

    __slots__ = ("name", "dtype", "shape", "offset", "length", "crc32")

    def __init__(self, name: str, dtype: dtypes.DType, shape: list, offset: int, length: int, crc32: int) -> None:
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.offset = offset
        self.length = length
        self.crc32 = crc32

    def to_json(self) -> dict:
        return {"dtype": self.dtype.name, "shape": self.shape, "offset": self.offset, "length": self.length,
                "crc32": self.crc32}


def data_path(prefix: str) -> str:
    return os.fspath(prefix) + DATA_SUFFIX


def index_path(prefix: str) -> str:
    return os.fspath(prefix) + INDEX_SUFFIX


def checkpoint_exists(prefix: str) -> bool:
    """Whether ``prefix`` names a checkpoint (its index file exists)."""
    return os.path.isfile(index_path(prefix))


def delete_checkpoint_files(prefix: str) -> None:
    """Removes the index and data files of ``prefix`` (missing files are ignored)."""
    for path in (index_path(prefix), data_path(prefix)):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


# ---------------------------------------------------------------------------------------------------------
# Encoding


def _as_array(value: Any) -> np.ndarray:
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    array = np.asarray(value)
    if array.dtype.kind in "SU":
        array = np.vectorize(lambda s: s.encode() if isinstance(s, str) else bytes(s), otypes=[object])(array)
    return array


def _encode(array: np.ndarray, dtype: dtypes.DType) -> bytes:
    if dtype is dtypes.string:
        items = [item.encode() if isinstance(item, str) else bytes(item) for item in array.reshape(-1)]
        lengths = np.asarray([len(item) for item in items], dtype="<u8")
        return lengths.tobytes() + b"".join(items)
    array = np.ascontiguousarray(array, dtype=dtype._np)
    if array.dtype.byteorder == ">":
        array = array.byteswap().view(array.dtype.newbyteorder("<"))
    return array.tobytes()


def _decode(buffer: bytes, entry: TensorEntry) -> np.ndarray:
    count = int(np.prod(entry.shape, dtype=np.int64))
    if entry.dtype is dtypes.string:
        lengths = np.frombuffer(buffer, dtype="<u8", count=count)
        out = np.empty(count, dtype=object)
        position = 8 * count
        for i, length in enumerate(lengths.tolist()):
            out[i] = buffer[position:position + length]
            position += length
        return out.reshape(entry.shape)
    np_dtype = entry.dtype._np
    if np_dtype.itemsize > 1 and np_dtype.byteorder == "=":
        np_dtype = np_dtype.newbyteorder("<")
    return np.frombuffer(buffer, dtype=np_dtype, count=count).astype(entry.dtype._np).reshape(entry.shape)


# ---------------------------------------------------------------------------------------------------------
# Writing


def atomic_write(path: str, chunks: Any) -> None:
    """Writes the byte strings ``chunks`` to ``path`` through a temporary file, fsync and rename."""
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    temp = f"{path}{_TEMP_MARK}{uuid.uuid4().hex}"
    try:
        with open(temp, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_stale_temporaries(prefix: str) -> None:
    """Deletes temporary files that a killed save of ``prefix`` left behind."""
    for path in glob.glob(glob.escape(os.fspath(prefix)) + ".*" + _TEMP_MARK + "*"):
        try:
            os.remove(path)
        except OSError:
            pass


def write_tensors(prefix: str, tensors: Mapping[str, Any]) -> None:
    """Writes ``{name: array-like}`` as the checkpoint ``prefix`` (data file, then index, each atomically).

    Raises:
        TypeError: a value whose dtype has no ndflow DType.
    """
    prefix = os.fspath(prefix)
    _remove_stale_temporaries(prefix)
    entries: dict[str, TensorEntry] = {}
    chunks: list[bytes] = []
    offset = 0
    for name in sorted(tensors):
        array = _as_array(tensors[name])
        dtype = dtypes.from_numpy(array.dtype)
        payload = _encode(array, dtype)
        entries[name] = TensorEntry(name, dtype, [int(d) for d in array.shape], offset, len(payload),
                                    zlib.crc32(payload))
        chunks.append(payload)
        offset += len(payload)
    index = json.dumps({"format": FORMAT_NAME, "version": FORMAT_VERSION, "write_id": uuid.uuid4().hex,
                        "data_size": offset, "tensors": {n: e.to_json() for n, e in entries.items()}},
                       sort_keys=True).encode()
    atomic_write(data_path(prefix), [*chunks, index, _FOOTER.pack(len(index), _MAGIC)])
    atomic_write(index_path(prefix), [index])


# ---------------------------------------------------------------------------------------------------------
# Reading


class CheckpointFile:
    """Read access to the tensors of one checkpoint.

    Args:
        prefix: the checkpoint prefix (``dir/model.ckpt-10``).

    Raises:
        NotFoundError: no checkpoint at ``prefix``.
        DataLossError: the files are not an ndflow checkpoint or are damaged.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = os.fspath(prefix)
        if not checkpoint_exists(self.prefix):
            raise NotFoundError(None, None, "Unsuccessful TensorSliceReader constructor: Failed to find any "
                                            f"matching files for {self.prefix}")
        self._data = data_path(self.prefix)
        index = _parse_index(_read_file(index_path(self.prefix)), index_path(self.prefix))
        footer = self._footer_index()
        if footer is not None and footer.get("write_id") != index.get("write_id"):
            index = footer  # a save was killed between renaming the data file and the index
        self.entries = {name: TensorEntry(name, dtypes.as_dtype(e["dtype"]), list(e["shape"]), e["offset"],
                                          e["length"], e["crc32"]) for name, e in index["tensors"].items()}

    def _footer_index(self) -> dict | None:
        try:
            with open(self._data, "rb") as f:
                f.seek(0, os.SEEK_END)
                size = f.tell()
                if size < _FOOTER.size:
                    raise DataLossError(None, None, f"Data file {self._data} is truncated")
                f.seek(size - _FOOTER.size)
                length, magic = _FOOTER.unpack(f.read(_FOOTER.size))
                if magic != _MAGIC or length > size - _FOOTER.size:
                    raise DataLossError(None, None, f"{self._data} is not an ndflow checkpoint data file")
                f.seek(size - _FOOTER.size - length)
                return _parse_index(f.read(length), self._data)
        except FileNotFoundError:
            raise NotFoundError(None, None, f"Data file {self._data} of checkpoint {self.prefix} is missing") from None

    def has_tensor(self, name: str) -> bool:
        return name in self.entries

    def entry(self, name: str) -> TensorEntry:
        """The table entry of ``name``.

        Raises:
            NotFoundError: no tensor called ``name``.
        """
        entry = self.entries.get(name)
        if entry is None:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint")
        return entry

    def shape(self, name: str) -> TensorShape:
        return TensorShape(self.entry(name).shape)

    def read(self, name: str) -> np.ndarray:
        """The value of tensor ``name`` (a new array).

        Raises:
            NotFoundError: no tensor called ``name``.
            DataLossError: its bytes fail the CRC check.
        """
        entry = self.entry(name)
        with open(self._data, "rb") as f:
            f.seek(entry.offset)
            payload = f.read(entry.length)
        crc = zlib.crc32(payload)
        if len(payload) != entry.length or crc != entry.crc32:
            raise DataLossError(None, None, f"Checksum does not match for tensor {name!r} of {self.prefix}: stored "
                                            f"{entry.crc32} vs. calculated on the restored bytes {crc}")
        return _decode(payload, entry)


def _read_file(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _parse_index(raw: bytes, where: str) -> dict:
    try:
        index = json.loads(raw.decode())
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DataLossError(None, None, f"{where} is not an ndflow checkpoint index (it may have been written by "
                                        "another program)") from None
    if not isinstance(index, dict) or index.get("format") != FORMAT_NAME:
        raise DataLossError(None, None, f"{where} is not an ndflow checkpoint index")
    if index.get("version", 0) > FORMAT_VERSION:
        raise DataLossError(None, None, f"{where} has format version {index['version']}; this ndflow reads up to "
                                        f"version {FORMAT_VERSION}")
    return index
