"""``keras.datasets.cifar10``: 60,000 32x32 colour images in 10 classes (Krizhevsky, 2009).

Labels: 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship, 9 truck.
"""
from __future__ import annotations

import os

import numpy as np

from ..utils.file_utils import get_file
from ._cifar import load_batch, to_image_layout

__all__ = ["load_data"]

_TRAIN_BATCHES = 5


def load_data() -> tuple:
    """Loads CIFAR-10, downloading and extracting ``cifar-10-python.tar.gz`` on first use.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(50000, 32, 32, 3)`` / ``(10000, 32, 32, 3)``
        (channels first under ``image_data_format() == "channels_first"``) and uint8 labels of shape ``(n, 1)``.
    """
    root = get_file(fname="cifar-10-batches-py-target", origin="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
                    extract=True, file_hash="6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce")
    folder = os.path.join(root, "cifar-10-batches-py")
    parts = [load_batch(os.path.join(folder, f"data_batch_{i}")) for i in range(1, _TRAIN_BATCHES + 1)]
    x_train = np.concatenate([data for data, _ in parts]).astype("uint8")
    y_train = np.concatenate([np.asarray(labels) for _, labels in parts]).astype("uint8").reshape(-1, 1)
    x_test, y_test = load_batch(os.path.join(folder, "test_batch"))
    x_test = np.asarray(x_test).astype("uint8")
    y_test = np.asarray(y_test).astype("uint8").reshape(-1, 1)
    x_train, x_test = to_image_layout(x_train, x_test)
    return (x_train, y_train), (x_test, y_test)
