"""``keras.datasets.imdb``: 50,000 movie reviews labelled by sentiment, as sequences of word ids ranked by
frequency (Maas et al., 2011)."""
from __future__ import annotations

import json

import numpy as np

from ..utils.file_utils import get_file
from ._common import BASE_URL, drop_long, limit_vocabulary, load_npz, object_array, reindex, shuffled

__all__ = ["load_data", "get_word_index"]


def load_data(path: str = "imdb.npz", num_words: int | None = None, skip_top: int = 0, maxlen: int | None = None,
              seed: int = 113, start_char: int | None = 1, oov_char: int | None = 2, index_from: int = 3,
              **kwargs) -> tuple:
    """Loads the IMDB reviews (25,000 for training, 25,000 for testing).

    Args:
        path: cache file name (relative to ``~/.keras/datasets``).
        num_words: keep the ``num_words`` most frequent words (ids ``< num_words``); others become ``oov_char``.
        skip_top: also replace the ``skip_top`` most frequent ids by ``oov_char``.
        maxlen: drop sequences that are not shorter than ``maxlen`` (after adding ``start_char``).
        seed: seed of the shuffle applied to the training and the test set.
        start_char: id marking the start of every sequence (``None``: none).
        oov_char: id of out-of-vocabulary words (``None``: drop them).
        index_from: offset added to every word id.
        **kwargs: ignored (accepted for old callers, as Keras does).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of integer lists, and 0/1 label arrays.
    """
    path = get_file(fname=path, origin=f"{BASE_URL}imdb.npz",
                    file_hash="69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f")
    data = load_npz(path)
    rng = np.random.RandomState(seed)  # one generator for both shuffles, as in Keras
    x_train, labels_train = shuffled(rng, data["x_train"], data["y_train"])
    x_test, labels_test = shuffled(rng, data["x_test"], data["y_test"])
    x_train, x_test = reindex(x_train, start_char, index_from), reindex(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = drop_long(maxlen, x_train, labels_train)
        x_test, labels_test = drop_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was kept. "
                             "Increase maxlen.")
    sequences = limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    cut = len(x_train)
    return (object_array(sequences[:cut]), labels[:cut]), (object_array(sequences[cut:]), labels[cut:])


def get_word_index(path: str = "imdb_word_index.json") -> dict:
    """The ``{word: rank}`` mapping of the IMDB vocabulary (add ``index_from`` to match ``load_data``'s ids)."""
    path = get_file(fname=path, origin=f"{BASE_URL}imdb_word_index.json",
                    file_hash="bfafd718b763782e994055a2d397834f")
    with open(path) as file:
        return json.load(file)

