"""``keras.datasets.reuters``: 11,228 Reuters newswires labelled over 46 topics, as sequences of word ids."""
from __future__ import annotations

import json

import numpy as np

from ..utils.file_utils import get_file
from ._common import BASE_URL, drop_long, limit_vocabulary, load_npz, object_array, reindex, shuffled

__all__ = ["load_data", "get_word_index", "get_label_names"]

_LABEL_NAMES = ("cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee",
                "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx",
                "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock",
                "retail", "ipi", "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
                "dlr", "gas", "silver", "wpi", "hog", "lead")


def load_data(path: str = "reuters.npz", num_words: int | None = None, skip_top: int = 0, maxlen: int | None = None,
              test_split: float = 0.2, seed: int = 113, start_char: int | None = 1, oov_char: int | None = 2,
              index_from: int = 3) -> tuple:
    """Loads the Reuters newswires, shuffled with ``seed`` and split with the last ``test_split`` for testing.

    The word-id arguments (``num_words``, ``skip_top``, ``maxlen``, ``start_char``, ``oov_char``, ``index_from``)
    work as in ``keras.datasets.imdb.load_data``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of integer lists and integer topic labels.
    """
    path = get_file(fname=path, origin=f"{BASE_URL}reuters.npz",
                    file_hash="d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916")
    data = load_npz(path)
    sequences, labels = shuffled(seed, data["x"], data["y"])
    sequences = reindex(sequences, start_char, index_from)
    if maxlen:
        sequences, labels = drop_long(maxlen, sequences, labels)
    sequences = limit_vocabulary(sequences, num_words, skip_top, oov_char)
    cut = int(len(sequences) * (1 - test_split))
    return ((object_array(sequences[:cut]), np.array(labels[:cut])),
            (object_array(sequences[cut:]), np.array(labels[cut:])))


def get_word_index(path: str = "reuters_word_index.json") -> dict:
    """The ``{word: rank}`` mapping of the Reuters vocabulary (add ``index_from`` to match ``load_data``'s ids)."""
    path = get_file(path, origin=f"{BASE_URL}reuters_word_index.json", file_hash="4d44cc38712099c9e383dc6e5f11a921")
    with open(path) as file:
        return json.load(file)


def get_label_names() -> tuple:
    """The 46 topic names, indexed like the labels."""
    return _LABEL_NAMES
