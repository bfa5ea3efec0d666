"""Helpers shared by the dataset loaders: a pickle-safe ``.npz`` reader and the word-index remapping of the
IMDB and Reuters sequence datasets."""
from __future__ import annotations

import io
import pickle
import zipfile

import numpy as np

BASE_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

_ARRAY_GLOBALS = {("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "_reconstruct"),
                  ("numpy._core.multiarray", "_reconstruct")}


class ArrayOnlyUnpickler(pickle.Unpickler):
    """An unpickler that rebuilds NumPy arrays and refuses every other global (no code runs while loading)."""

    def find_class(self, module: str, name: str):
        if (module, name) in _ARRAY_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"Refusing to deserialize `{module}.{name}` while loading a Keras dataset. "
                                     "The file may be corrupted or malicious.")


def _read_npy(stream: io.BytesIO) -> np.ndarray:
    try:
        return np.lib.format.read_array(stream, allow_pickle=False)
    except ValueError:  # an object array: its payload is a pickle stream after the header
        stream.seek(0)
        major, _ = np.lib.format.read_magic(stream)
        read_header = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
        read_header(stream)
        return ArrayOnlyUnpickler(stream).load()


def load_npz(path: str) -> dict:
    """The arrays of an ``.npz`` file by name; object (ragged) arrays are unpickled with ``ArrayOnlyUnpickler``."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                with archive.open(member) as raw:
                    arrays[member[:-4]] = _read_npy(io.BytesIO(raw.read()))
    return arrays


def shuffled(seed: int | np.random.RandomState, *arrays: np.ndarray) -> list:
    """Each array permuted by one permutation of its rows, drawn from ``np.random.RandomState(seed)`` (a fresh
    generator per call) or from the given ``RandomState``."""
    rng = seed if isinstance(seed, np.random.RandomState) else np.random.RandomState(seed)
    order = np.arange(len(arrays[0]))
    rng.shuffle(order)
    return [array[order] for array in arrays]


def reindex(sequences, start_char: int | None, index_from: int) -> list:
    """Shifts word ids by ``index_from`` and prepends ``start_char`` (when not ``None``) to every sequence."""
    head = [] if start_char is None else [start_char]
    return [head + [word + index_from for word in sequence] for sequence in sequences]


def drop_long(maxlen: int, sequences: list, labels) -> tuple[list, list]:
    """Keeps the sequences shorter than ``maxlen`` (and their labels)."""
    kept = [(sequence, label) for sequence, label in zip(sequences, labels) if len(sequence) < maxlen]
    return [s for s, _ in kept], [label for _, label in kept]


def limit_vocabulary(sequences: list, num_words: int | None, skip_top: int, oov_char: int | None) -> list:
    """Replaces (or, with ``oov_char=None``, drops) word ids outside ``[skip_top, num_words)``.

    Without ``num_words`` the bound is the largest id present (so that id itself becomes out of vocabulary,
    as in Keras).
    """
    if not num_words:
        num_words = max(max(sequence) for sequence in sequences)
    if oov_char is None:
        return [[w for w in sequence if skip_top <= w < num_words] for sequence in sequences]
    return [[w if skip_top <= w < num_words else oov_char for w in sequence] for sequence in sequences]


def object_array(sequences: list) -> np.ndarray:
    """``np.array(sequences, dtype=object)``: one Python list per row for ragged data, as Keras returns it."""
    return np.array(sequences, dtype=object)


def check_test_split(test_split: float) -> None:
    if not 0 <= test_split < 1:
        raise ValueError(f"Invalid `test_split` argument: {test_split}. It must be between 0 and 1 (exclusive of 1).")


def split_train_test(x: np.ndarray, y: np.ndarray, test_split: float) -> tuple:
    """``((x_train, y_train), (x_test, y_test))`` with the first ``int(n * (1 - test_split))`` rows for training."""
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))
