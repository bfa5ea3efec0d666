"""Comparisons of application models with real Keras's: ``assert_same_architecture`` (build only) and
``assert_same_predictions`` (a small forward pass)."""
import os

import numpy as np
import pytest

from ndflow import keras as ours

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def describe(model) -> dict:
    """Name, parameter count, output shape and, per layer: name, class, weight and trainable weight shapes."""
    layers = [(layer.name, type(layer).__name__, [tuple(w.shape) for w in layer.weights],
               [tuple(w.shape) for w in layer.trainable_weights]) for layer in model.layers]
    return {"name": model.name, "layers": layers, "params": model.count_params(),
            "output_shape": tuple(model.output.shape)}


def _assert_same_architecture(constructor: str, kwargs: dict) -> None:
    keras = pytest.importorskip("keras")
    mine = describe(getattr(ours.applications, constructor)(weights=None, **kwargs))
    theirs = describe(getattr(keras.applications, constructor)(weights=None, **kwargs))
    assert mine["layers"] == theirs["layers"]
    assert mine == theirs


@pytest.fixture
def assert_same_architecture():
    """Builds ``constructor(weights=None, **kwargs)`` with ndflow and with Keras and compares ``describe``."""
    return _assert_same_architecture


def _assert_same_predictions(constructor: str, module: str, kwargs: dict) -> None:
    keras = pytest.importorskip("keras")
    kwargs = {"weights": None, "input_shape": (32, 32, 3), **kwargs}
    theirs = getattr(keras.applications, constructor)(**kwargs)
    mine = getattr(ours.applications, constructor)(**kwargs)
    rng = np.random.default_rng(0)
    # Keras's random kernels; random biases and batch-norm parameters and statistics (vectors)
    theirs.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32") if w.ndim == 1 else w
                        for w in theirs.get_weights()])
    mine.set_weights(theirs.get_weights())
    images = rng.uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    x = getattr(ours.applications, module).preprocess_input(images.copy())
    expected = theirs.predict(getattr(keras.applications, module).preprocess_input(images.copy()), verbose=0)
    assert np.all(np.isfinite(expected))
    np.testing.assert_allclose(mine.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)


@pytest.fixture
def assert_same_predictions():
    """Builds ``constructor(weights=None, input_shape=(32, 32, 3), **kwargs)`` with ndflow and with Keras, gives
    both Keras's weights (random vectors) and compares predictions on ``module.preprocess_input`` images."""
    return _assert_same_predictions
