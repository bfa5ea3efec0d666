"""HDF5 weight stores in Keras 3's layout: one ``<path>/vars`` group per layer or optimizer.

Each group carries the object's ``name`` attribute and one dataset per variable, keyed ``"0"``, ``"1"`` …;
the model's own group is ``vars`` at the root. h5py is imported only when a store is opened.
"""
from __future__ import annotations

import io
from typing import Any

import numpy as np

__all__ = ["H5WeightsWriter", "H5WeightsReader", "import_h5py"]


def import_h5py() -> Any:
    """The ``h5py`` module.

    Raises:
        ImportError: h5py is not installed.
    """
    try:
        import h5py
    except ImportError as error:
        raise ImportError("h5py is required to save weights; pip install h5py") from error
    return h5py


def _vars_path(path: str) -> str:
    return f"{path}/vars" if path else "vars"


class H5WeightsWriter:
    """Writes weight groups into a new HDF5 file (a path or a writable binary file object)."""

    def __init__(self, target: Any) -> None:
        self._file = import_h5py().File(target, mode="w")

    def write(self, path: str, values: dict, name: str | None = None) -> None:
        """Creates ``<path>/vars`` with the ``name`` attribute and one dataset per entry of ``values``.

        Without ``name`` and values nothing is written (Keras leaves no empty unnamed groups).
        """
        if name is None and not values:
            return
        group = self._file.create_group(_vars_path(path))
        if name is not None:
            group.attrs["name"] = name
        for key, value in values.items():
            group[key] = np.asarray(value.numpy() if hasattr(value, "numpy") else value)

    def close(self) -> None:
        self._file.close()


class H5WeightsReader:
    """Reads weight groups from an HDF5 file (a path, bytes or a readable binary file object)."""

    def __init__(self, source: Any) -> None:
        if isinstance(source, (bytes, bytearray)):
            source = io.BytesIO(source)
        self._file = import_h5py().File(source, mode="r")

    def read(self, path: str) -> dict[str, np.ndarray]:
        """The datasets of ``<path>/vars`` as arrays (an empty dict when the group is absent)."""
        group = self._file.get(_vars_path(path))
        if group is None or not hasattr(group, "keys"):
            return {}
        return {key: np.asarray(group[key][()]) for key in group.keys()}

    def has_path(self, path: str) -> bool:
        return path in self._file

    def close(self) -> None:
        self._file.close()
