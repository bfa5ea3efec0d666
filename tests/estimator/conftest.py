import numpy as np
import pytest

TIME_STEPS = 10


def _windows(seq):
    xs = [seq[i:i + TIME_STEPS] for i in range(len(seq) - TIME_STEPS - 1)]
    ys = [seq[i + TIME_STEPS] for i in range(len(seq) - TIME_STEPS - 1)]
    return np.array(xs, np.float32), np.array(ys, np.float32)


@pytest.fixture(scope="session")
def sin_data():
    """The spec's sin-prediction data: windows of 10 values predicting the next one."""
    train_x, train_y = _windows(np.sin(np.linspace(0, 100, num=10000)))
    test_x, test_y = _windows(np.sin(np.linspace(100, 110, num=1000)))
    return train_x, train_y, test_x, test_y


@pytest.fixture(scope="session")
def blobs():
    """Three well-separated Gaussian classes in 4-D (an iris-like problem)."""
    rng = np.random.RandomState(0)
    centers = np.array([[0, 0, 0, 0], [3, 3, 0, 0], [0, 3, 3, 3]], np.float32)
    x = np.concatenate([rng.randn(40, 4).astype(np.float32) + c for c in centers])
    y = np.repeat(np.arange(3), 40).astype(np.int32)
    return x, y
