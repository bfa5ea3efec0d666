"""``keras.datasets.fashion_mnist``: 70,000 28x28 grayscale images of 10 clothing classes (Zalando, MIT).

Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag,
9 Ankle boot.
"""
from __future__ import annotations

import gzip
import os

import numpy as np

from ..utils.file_utils import get_file
from ._common import BASE_URL

__all__ = ["load_data"]

_FILES = ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
          "t10k-images-idx3-ubyte.gz")


def _read_idx(path: str, header_bytes: int) -> np.ndarray:
    with gzip.open(path, "rb") as file:
        return np.frombuffer(file.read(), np.uint8, offset=header_bytes)


def load_data() -> tuple:
    """Loads Fashion-MNIST from its four gzipped IDX files (cached in ``~/.keras/datasets/fashion-mnist``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(60000, 28, 28)`` / ``(10000, 28, 28)`` and
        uint8 labels 0-9.
    """
    subdir = os.path.join("datasets", "fashion-mnist")
    paths = [get_file(name, origin=BASE_URL + name, cache_subdir=subdir) for name in _FILES]
    y_train, y_test = _read_idx(paths[0], 8), _read_idx(paths[2], 8)
    x_train = _read_idx(paths[1], 16).reshape(len(y_train), 28, 28)
    x_test = _read_idx(paths[3], 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
