"""``keras.datasets.boston_housing``: 506 Boston districts, 13 features, median home value in k$ (StatLib).

The data carry a known ethical problem (feature "B"); Keras discourages using them outside that discussion.
"""
from __future__ import annotations

import numpy as np

from ..utils.file_utils import get_file
from ._common import BASE_URL, check_test_split, shuffled, split_train_test

__all__ = ["load_data"]


def load_data(path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113) -> tuple:
    """Loads the data shuffled with ``seed``; the last ``test_split`` fraction is the test set.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float64 features ``(n, 13)`` and targets ``(n,)``.
    """
    check_test_split(test_split)
    path = get_file(path, origin=f"{BASE_URL}boston_housing.npz",
                    file_hash="f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5")
    with np.load(path, allow_pickle=False) as data:
        x, y = data["x"], data["y"]
    return split_train_test(*shuffled(seed, x, y), test_split)
