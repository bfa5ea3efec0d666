"""``keras.datasets.digits`` (ndflow extra, works offline): the UCI optical hand-written digits.

1,797 grayscale 8x8 images of the digits 0-9 with pixel values 0-16, bundled with ndflow (the copy that
``ndflow.learn.datasets.load_digits`` reads). Source: E. Alpaydin and C. Kaynak, "Optical Recognition of
Handwritten Digits", UCI Machine Learning Repository (CC BY 4.0), https://doi.org/10.24432/C50P49.
"""
from __future__ import annotations

import numpy as np

from ._common import check_test_split, shuffled, split_train_test

__all__ = ["load_data"]


def load_data(test_split: float = 0.2, seed: int = 113) -> tuple:
    """Loads the bundled digits, shuffled with ``seed``; the last ``test_split`` fraction is the test set.

    The default arguments always give the same split: 1,437 training and 360 test images.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(n, 8, 8)`` with values 0-16 (divide by 16 to
        scale them to [0, 1]) and uint8 labels 0-9 of shape ``(n,)``.
    """
    check_test_split(test_split)
    from ...learn.datasets import load_digits

    data, target = load_digits(return_X_y=True)
    images = np.asarray(data).reshape(-1, 8, 8).astype("uint8")
    return split_train_test(*shuffled(seed, images, np.asarray(target).astype("uint8")), test_split)
