"""``keras.datasets.cifar100``: 60,000 32x32 colour images in 100 fine / 20 coarse classes (Krizhevsky, 2009)."""
from __future__ import annotations

import os

import numpy as np

from ..utils.file_utils import get_file
from ._cifar import load_batch, to_image_layout

__all__ = ["load_data"]


def load_data(label_mode: str = "fine") -> tuple:
    """Loads CIFAR-100, downloading and extracting ``cifar-100-python.tar.gz`` on first use.

    Args:
        label_mode: ``"fine"`` (100 classes) or ``"coarse"`` (20 superclasses).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(50000, 32, 32, 3)`` / ``(10000, 32, 32, 3)``
        and labels of shape ``(n, 1)``.
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.')
    root = get_file(fname="cifar-100-python-target", origin="https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz",
                    extract=True, file_hash="85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7")
    folder = os.path.join(root, "cifar-100-python")
    x_train, y_train = load_batch(os.path.join(folder, "train"), label_key=f"{label_mode}_labels")
    x_test, y_test = load_batch(os.path.join(folder, "test"), label_key=f"{label_mode}_labels")
    y_train, y_test = np.reshape(y_train, (len(y_train), 1)), np.reshape(y_test, (len(y_test), 1))
    x_train, x_test = to_image_layout(x_train, x_test)
    return (x_train, y_train), (x_test, y_test)
