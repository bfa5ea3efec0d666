"""``keras.datasets.california_housing``: 20,640 California block groups (1990 census), 8 features, median
house value in dollars (StatLib)."""
from __future__ import annotations

import numpy as np

from ..utils.file_utils import get_file
from ._common import BASE_URL, check_test_split, shuffled, split_train_test

__all__ = ["load_data"]

_SMALL_SIZE = 600


def load_data(version: str = "large", path: str = "california_housing.npz", test_split: float = 0.2,
              seed: int = 113) -> tuple:
    """Loads the data shuffled with ``seed``; the last ``test_split`` fraction is the test set.

    Args:
        version: ``"large"`` (all 20,640 rows) or ``"small"`` (the first 600 rows).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: features ``(n, 8)`` and targets ``(n,)``.
    """
    check_test_split(test_split)
    path = get_file(path, origin=f"{BASE_URL}california_housing.npz",
                    file_hash="1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f")
    with np.load(path, allow_pickle=False) as data:
        x, y = data["x"], data["y"]
    if version == "small":
        x, y = x[:_SMALL_SIZE], y[:_SMALL_SIZE]
    elif version != "large":
        raise ValueError(f"Argument `version` must be one of 'small', 'large'. Received: version={version}")
    return split_train_test(*shuffled(seed, x, y), test_split)
