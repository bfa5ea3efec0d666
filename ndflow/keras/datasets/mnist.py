"""``keras.datasets.mnist``: 70,000 28x28 grayscale hand-written digits (LeCun & Cortes, CC BY-SA 3.0)."""
from __future__ import annotations

import numpy as np

from ..utils.file_utils import get_file
from ._common import BASE_URL

__all__ = ["load_data"]


def load_data(path: str = "mnist.npz") -> tuple:
    """Loads MNIST, downloading ``mnist.npz`` into ``~/.keras/datasets`` on first use.

    Args:
        path: file name of the cached copy (relative to ``~/.keras/datasets``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(60000, 28, 28)`` / ``(10000, 28, 28)`` with
        values 0-255 and uint8 labels 0-9 of shape ``(60000,)`` / ``(10000,)``.
    """
    path = get_file(fname=path, origin=f"{BASE_URL}mnist.npz",
                    file_hash="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1")
    with np.load(path, allow_pickle=False) as data:
        return (data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])
