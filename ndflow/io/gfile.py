"""``tf.io.gfile``: TensorFlow's file API on the local file system.

Paths may be ``str``, ``bytes``, ``os.PathLike`` or scalar string tensors. Operating-system errors become
TensorFlow's error types (``NotFoundError``, ``AlreadyExistsError`` …) with TF's messages.
"""
from __future__ import annotations

import errno
import glob as _glob
import os
import shutil
from typing import Any, Iterator

from .._core import errors

__all__ = ["GFile", "copy", "exists", "glob", "isdir", "join", "listdir", "makedirs", "mkdir", "remove",
           "rename", "rmtree", "stat", "walk", "get_registered_schemes", "FileStatistics"]

_LOCAL_PREFIX = "file://"


def as_path(path: Any) -> str:
    """A local path string from ``str``, ``bytes``, ``os.PathLike`` or a scalar string tensor."""
    if hasattr(path, "numpy"):
        path = path.numpy()
    path = os.fsdecode(os.fspath(path.item() if hasattr(path, "item") else path))
    return path[len(_LOCAL_PREFIX):] if path.startswith(_LOCAL_PREFIX) else path


_ERRNO_TYPES = {
    errno.ENOENT: errors.NotFoundError, errno.ENOTDIR: errors.FailedPreconditionError,
    errno.EISDIR: errors.FailedPreconditionError, errno.EEXIST: errors.AlreadyExistsError,
    errno.EACCES: errors.PermissionDeniedError, errno.EPERM: errors.PermissionDeniedError,
    errno.ENOTEMPTY: errors.FailedPreconditionError, errno.ENOSPC: errors.ResourceExhaustedError,
}


def os_error(exc: OSError, path: str, op_name: str | None = None) -> errors.OpError:
    """The TensorFlow error for an ``OSError`` on ``path``: ``"<path>; <reason>"`` as TF words it, with the
    ``[Op:<name>]`` suffix when an op failed."""
    kind = _ERRNO_TYPES.get(exc.errno, errors.UnknownError)
    suffix = f" [Op:{op_name}]" if op_name else ""
    return kind(None, None, f"{path}; {exc.strerror or exc}{suffix}")


def exists(path: Any) -> bool:
    """Whether ``path`` (a file or a directory) exists."""
    return os.path.exists(as_path(path))


def isdir(path: Any) -> bool:
    """Whether ``path`` is a directory."""
    return os.path.isdir(as_path(path))


def makedirs(path: Any) -> None:
    """Creates ``path`` and any missing parents; an existing directory is fine."""
    path = as_path(path)
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, path) from None


def mkdir(path: Any) -> None:
    """Creates the directory ``path`` (its parent must exist); an existing directory is fine, as in TF."""
    path = as_path(path)
    try:
        os.mkdir(path)
    except FileExistsError:
        if not os.path.isdir(path):
            raise errors.AlreadyExistsError(None, None, f"{path}; File exists") from None
    except OSError as exc:
        raise os_error(exc, path) from None


def listdir(path: Any) -> list[str]:
    """The names of the entries of directory ``path`` (no ``.``/``..``), in no particular order.

    Raises:
        NotFoundError: ``path`` is not a directory.
    """
    path = as_path(path)
    if not os.path.isdir(path):
        raise errors.NotFoundError(None, None, f"Could not find directory {path}")
    return os.listdir(path)


def glob(pattern: Any) -> list[str]:
    """The paths matching a glob ``pattern`` (or any of a list of patterns), sorted per pattern."""
    patterns = pattern if isinstance(pattern, (list, tuple)) else [pattern]
    out: list[str] = []
    for p in patterns:
        out.extend(sorted(_glob.glob(as_path(p))))
    return out


def remove(path: Any) -> None:
    """Deletes the file ``path``.

    Raises:
        NotFoundError: no such file. FailedPreconditionError: ``path`` is a directory.
    """
    path = as_path(path)
    if os.path.isdir(path):
        raise errors.FailedPreconditionError(None, None, f"{path}; Is a directory")
    try:
        os.remove(path)
    except OSError as exc:
        raise os_error(exc, path) from None


def rmtree(path: Any) -> None:
    """Deletes the directory ``path`` and everything under it.

    Raises:
        NotFoundError: ``path`` does not exist.
    """
    path = as_path(path)
    if not os.path.exists(path):
        raise errors.NotFoundError(None, None, f"{path} not found")
    try:
        shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    except OSError as exc:
        raise os_error(exc, exc.filename or path) from None


def copy(src: Any, dst: Any, overwrite: bool = False) -> None:
    """Copies the file ``src`` to ``dst``.

    Raises:
        AlreadyExistsError: ``dst`` exists and ``overwrite`` is False. NotFoundError: no ``src``.
    """
    src, dst = as_path(src), as_path(dst)
    if not overwrite and os.path.exists(dst):
        raise errors.AlreadyExistsError(None, None, "file already exists")
    try:
        shutil.copyfile(src, dst)
    except OSError as exc:
        raise os_error(exc, exc.filename or src) from None


def rename(src: Any, dst: Any, overwrite: bool = False) -> None:
    """Renames (moves) ``src`` to ``dst``.

    Raises:
        AlreadyExistsError: ``dst`` exists and ``overwrite`` is False. NotFoundError: no ``src``.
    """
    src, dst = as_path(src), as_path(dst)
    if not overwrite and os.path.exists(dst):
        raise errors.AlreadyExistsError(None, None, "file already exists")
    try:
        os.replace(src, dst)
    except OSError as exc:
        raise os_error(exc, src) from None


class FileStatistics:
    """What ``stat`` reports: ``length`` in bytes, ``mtime_nsec`` and ``is_directory``."""

    def __init__(self, length: int = 0, mtime_nsec: int = 0, is_directory: bool = False) -> None:
        self.length = length
        self.mtime_nsec = mtime_nsec
        self.is_directory = is_directory


def stat(path: Any) -> FileStatistics:
    """Size, modification time and kind of ``path``.

    Raises:
        NotFoundError: ``path`` does not exist.
    """
    path = as_path(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise os_error(exc, path) from None
    return FileStatistics(info.st_size, info.st_mtime_ns, os.path.isdir(path))


def walk(top: Any, topdown: bool = True, onerror: Any = None) -> Iterator[tuple[str, list[str], list[str]]]:
    """``(dirname, subdirs, files)`` for each directory under ``top``; nothing when ``top`` is missing."""
    top = as_path(top)
    try:
        names = sorted(os.listdir(top))
    except OSError as exc:
        if onerror is not None:
            onerror(os_error(exc, top))
        return
    dirs = [n for n in names if os.path.isdir(os.path.join(top, n))]
    files = [n for n in names if n not in dirs]
    if topdown:
        yield top, dirs, files
    for name in dirs:
        yield from walk(os.path.join(top, name), topdown, onerror)
    if not topdown:
        yield top, dirs, files


def join(path: Any, *paths: Any) -> str:
    """Joins path components like ``os.path.join``."""
    return os.path.join(as_path(path), *[as_path(p) for p in paths])


def get_registered_schemes() -> list[str]:
    """The URL schemes understood: only local files here."""
    return ["", "file"]


_MODES = ("r", "rb", "w", "wb", "a", "ab", "r+", "rb+", "w+", "wb+", "a+", "ab+")


class GFile:
    """A file object like Python's, opened on first use as TF's ``GFile`` is.

    Text modes read ``str`` and write ``str`` or ``bytes``; binary modes read ``bytes`` and write either.

    Raises:
        InvalidArgumentError: an unknown ``mode``.
    """

    def __init__(self, name: Any, mode: str = "r") -> None:
        normalized = mode.replace("t", "")
        if normalized not in _MODES and normalized.replace("+b", "b+") not in _MODES:
            raise errors.InvalidArgumentError(
                None, None, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'")
        self._name = as_path(name)
        self._mode = mode
        self._binary = "b" in mode
        self._file: Any = None
        self._closed = False

    @property
    def name(self) -> str:
        return self._name

    @property
    def mode(self) -> str:
        return self._mode

    def _handle(self, purpose: str = "") -> Any:
        """The open file, opening it now if needed; ``purpose`` ("read"/"write") is checked against the mode."""
        readable = "r" in self._mode or "+" in self._mode
        writable = not self._mode.startswith("r") or "+" in self._mode
        if self._closed or (purpose == "read" and not readable) or (purpose == "write" and not writable):
            action = "writing" if purpose == "write" else "reading"
            raise errors.PermissionDeniedError(None, None, f"File isn't open for {action}")
        if self._file is None:
            mode = self._mode.replace("t", "")
            try:
                self._file = open(self._name, mode if "b" in mode else mode + "b")  # noqa: SIM115
            except OSError as exc:
                raise os_error(exc, self._name) from None
        return self._file

    def _text(self, data: bytes) -> Any:
        return data if self._binary else data.decode("utf-8")

    def read(self, n: int = -1) -> Any:
        """Up to ``n`` bytes (all when negative): ``bytes`` in binary mode, ``str`` otherwise."""
        return self._text(self._handle("read").read(n))

    def readline(self) -> Any:
        return self._text(self._handle("read").readline())

    def readlines(self) -> list:
        return [self._text(line) for line in self._handle("read").readlines()]

    def __iter__(self) -> GFile:
        return self

    def __next__(self) -> Any:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    next = __next__

    def write(self, data: Any) -> None:
        """Appends ``data`` (``str`` is UTF-8 encoded)."""
        self._handle("write").write(data.encode("utf-8") if isinstance(data, str) else bytes(data))

    def seek(self, offset: int = 0, whence: int = 0, position: int | None = None) -> None:
        self._handle().seek(offset if position is None else position, whence)

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._handle().tell()

    def size(self) -> int:
        """The file's length in bytes."""
        if self._file is not None:
            self._file.flush()
        return stat(self._name).length

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._closed = True

    def __enter__(self) -> GFile:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

