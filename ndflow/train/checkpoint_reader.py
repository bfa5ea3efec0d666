"""Reading checkpoints by tensor name: ``load_checkpoint``, ``list_variables``, ``load_variable``."""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from .._core import checkpoint_format
from .._core.errors import NotFoundError
from .checkpoint_management import latest_checkpoint

__all__ = ["CheckpointReader", "load_checkpoint", "list_variables", "load_variable", "NewCheckpointReader"]


class CheckpointReader:
    """The tensors of one checkpoint, by name.

    Args:
        prefix: a checkpoint prefix.

    Raises:
        NotFoundError: no checkpoint at ``prefix``.
    """

    def __init__(self, prefix: str) -> None:
        self._file = checkpoint_format.CheckpointFile(prefix)

    def get_tensor(self, tensor_str: str) -> Any:
        """The value of ``tensor_str`` (a NumPy array; strings are ``bytes``).

        Raises:
            NotFoundError: ``Key <name> not found in checkpoint``.
        """
        value = self._file.read(tensor_str)
        if value.ndim == 0 and value.dtype == object:
            return value[()]
        return value

    def has_tensor(self, tensor_str: str) -> bool:
        return self._file.has_tensor(tensor_str)

    def get_variable_to_shape_map(self) -> dict:
        """``{name: shape as a list of ints}``."""
        return {name: list(e.shape) for name, e in self._file.entries.items()}

    def get_variable_to_dtype_map(self) -> dict:
        """``{name: DType}``."""
        return {name: e.dtype for name, e in self._file.entries.items()}

    def debug_string(self) -> bytes:
        """One ``name (dtype) [shape]`` line per tensor."""
        lines = [f"{n} ({e.dtype.name}) {e.shape}" for n, e in sorted(self._file.entries.items())]
        return ("\n".join(lines) + "\n").encode()


def NewCheckpointReader(filepattern: str) -> CheckpointReader:  # noqa: N802 - TF1's name
    """A ``CheckpointReader`` for the checkpoint prefix ``filepattern``."""
    return CheckpointReader(os.fspath(filepattern))


def _prefix(ckpt_dir_or_file: str) -> str:
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}")
        return latest
    return path


def load_checkpoint(ckpt_dir_or_file: str) -> CheckpointReader:
    """A reader for a checkpoint prefix, or for the latest checkpoint of a directory.

    Raises:
        ValueError: a directory without checkpoints.
        NotFoundError: no checkpoint at the prefix.
    """
    return CheckpointReader(_prefix(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file: str) -> list:
    """``[(name, shape)]`` of every tensor in the checkpoint, sorted by name."""
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return [(name, shapes[name]) for name in sorted(shapes)]


def load_variable(ckpt_dir_or_file: str, name: str) -> np.ndarray:
    """The value of the tensor ``name`` (a trailing ``:0`` is ignored).

    Raises:
        NotFoundError: no such tensor.
    """
    if name.endswith(":0"):
        name = name[:-2]
    reader = load_checkpoint(ckpt_dir_or_file)
    if not reader.has_tensor(name):
        raise NotFoundError(None, None, f"Key {name} not found in checkpoint")
    return reader.get_tensor(name)
