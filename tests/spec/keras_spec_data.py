"""Small offline stand-ins for the datasets of the spec's Keras chapters.

Fashion-MNIST and California housing need a download, so the Keras spec tests use the bundled 8×8 digits
(images scaled to [0, 1], split like the book: train / validation / test) and a synthetic 8-feature regression
set built like California housing (scaled with ``StandardScaler``, split twice with ``random_state=42``).
"""
from __future__ import annotations

import functools

import numpy as np

from ndflow.learn.datasets import load_digits
from ndflow.learn.model_selection import train_test_split
from ndflow.learn.preprocessing import StandardScaler


@functools.cache
def digits_images() -> tuple[np.ndarray, ...]:
    """``X_train, y_train, X_valid, y_valid, X_test, y_test``: 8×8 float32 images in [0, 1], int labels."""
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32).reshape(-1, 8, 8)
    order = np.random.RandomState(42).permutation(len(X))
    X, y = X[order], y[order]
    return X[:1200], y[:1200], X[1200:1450], y[1200:1450], X[1450:], y[1450:]


@functools.cache
def housing(n_samples: int = 2000) -> tuple[np.ndarray, ...]:
    """``X_train, y_train, X_valid, y_valid, X_test, y_test``: standardised float32 features, targets (n,)."""
    rng = np.random.RandomState(42)
    X = rng.normal(size=(n_samples, 8))
    y = (2.0 + 0.8 * X[:, 0] + 0.5 * np.tanh(X[:, 1] * X[:, 2]) - 0.3 * X[:, 3] ** 2
         + 0.2 * X[:, 4] * X[:, 5] + 0.1 * rng.normal(size=n_samples))
    X_train_full, X_test, y_train_full, y_test = train_test_split(X, y, random_state=42)
    X_train, X_valid, y_train, y_valid = train_test_split(X_train_full, y_train_full, random_state=42)
    scaler = StandardScaler()
    X_train = scaler.fit_transform(X_train)
    X_valid, X_test = scaler.transform(X_valid), scaler.transform(X_test)
    cast = functools.partial(np.asarray, dtype=np.float32)
    return tuple(cast(a) for a in (X_train, y_train, X_valid, y_valid, X_test, y_test))
