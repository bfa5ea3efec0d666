"""File ops usable eagerly and inside graphs: ``read_file``, ``write_file``, ``matching_files``."""
from __future__ import annotations

import glob
import os
from typing import Any

import numpy as np

from .._core import dtypes
from .._core.context import state
from .._core.execute import execute
from .._core.op import register
from .._core.ops._helpers import invalid_arg, object_scalar, shape_text
from .._core.shape import TensorShape
from .._core.tensor import Tensor, convert_to_tensor
from .gfile import as_path, os_error

__all__ = ["read_file", "write_file", "matching_files"]


def _scalar_path(array: Any, op_name: str, what: str) -> str:
    if array.ndim:
        raise invalid_arg(op_name, f"{what} tensor must be scalar, but had shape: {shape_text(array.shape)}")
    return as_path(array.item())


def _read_file_forward(xp, filename):
    path = _scalar_path(filename, "ReadFile", "Input filename")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise os_error(exc, path, "ReadFile") from None
    return object_scalar(data)


def _write_file_forward(xp, filename, contents):
    path = _scalar_path(filename, "WriteFile", "Input filename")
    if contents.ndim:
        raise invalid_arg("WriteFile", f"Contents tensor must be scalar, but had shape: {shape_text(contents.shape)}")
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "wb") as f:
            f.write(contents.item())
    except OSError as exc:
        raise os_error(exc, path, "WriteFile") from None
    return ()


def _matching_files_forward(xp, pattern):
    if pattern.ndim > 1:
        raise invalid_arg("MatchingFiles",
                          f"Input pattern tensor must be scalar or vector, but had shape: {shape_text(pattern.shape)}")
    names = sorted(p.encode() for item in pattern.reshape(-1) for p in glob.glob(as_path(item)))
    out = np.empty(len(names), dtype=object)
    out[:] = names
    return out


def _scalar_string(*specs, **attrs):
    return [(TensorShape([]), dtypes.string)]


ReadFile = register("ReadFile", _read_file_forward, infer=_scalar_string, stateful=True)
WriteFile = register("WriteFile", _write_file_forward, num_outputs=0, stateful=True)
MatchingFiles = register("MatchingFiles", _matching_files_forward,
                         infer=lambda pattern: [(TensorShape([None]), dtypes.string)], stateful=True)


def _string_tensor(value: Any) -> Tensor:
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    return convert_to_tensor(value, dtypes.string)


def read_file(filename: Any, name: str | None = None) -> Tensor:
    """The whole contents of ``filename`` as a scalar string tensor.

    Raises:
        NotFoundError: no such file. FailedPreconditionError: ``filename`` is a directory.
    """
    return execute(ReadFile, (_string_tensor(filename),))


def write_file(filename: Any, contents: Any, name: str | None = None) -> Any:
    """Writes the scalar string ``contents`` to ``filename``, creating missing directories.

    Returns None eagerly; the op inside a graph.
    """
    inputs = (_string_tensor(filename), _string_tensor(contents))
    graph = state.graph
    if graph is None:
        _write_file_forward(None, *[t._value for t in inputs])
        return None
    return graph._add_op(WriteFile, inputs, {}, name or "WriteFile", [])


def matching_files(pattern: Any, name: str | None = None) -> Tensor:
    """The sorted paths matching a glob pattern (or a vector of patterns), as a string vector."""
    return execute(MatchingFiles, (_string_tensor(pattern),))
