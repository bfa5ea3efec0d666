"""Tests for ``ndflow.keras.activations``: values, gradients, lookup and serialization."""
import math

import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import activations

X = np.linspace(-4.0, 4.0, 17, dtype=np.float32)
X2 = np.stack([X, X[::-1] * 0.5, X * 0.25, np.cos(X)], axis=1)  # (17, 4)


def _np_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _np_softplus(x):
    return np.log1p(np.exp(x))


SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805
NUMPY_REFERENCES = {
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.2 * x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x)),
    "celu": lambda x: np.maximum(x, 0) + np.expm1(np.minimum(x, 0)),
    "gelu": lambda x: 0.5 * x * (1 + np.vectorize(math.erf)(x / np.sqrt(2))),
    "sigmoid": _np_sigmoid,
    "hard_sigmoid": lambda x: np.clip(x + 3, 0, 6) / 6,
    "log_sigmoid": lambda x: -np.log1p(np.exp(-x)),
    "sparse_sigmoid": lambda x: np.clip(0.5 * (x + 1), 0, 1),
    "hard_silu": lambda x: x * np.clip(x + 3, 0, 6) / 6,
    "hard_swish": lambda x: x * np.clip(x + 3, 0, 6) / 6,
    "silu": lambda x: x * _np_sigmoid(x),
    "swish": lambda x: x * _np_sigmoid(x),
    "mish": lambda x: x * np.tanh(_np_softplus(x)),
    "tanh": np.tanh,
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "tanh_shrink": lambda x: x - np.tanh(x),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0),
    "soft_shrink": lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.5, 0),
    "softplus": _np_softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "sparse_plus": lambda x: np.where(x <= -1, 0, np.where(x < 1, 0.25 * (x + 1) ** 2, x)),
    "squareplus": lambda x: (x + np.sqrt(x * x + 4)) / 2,
    "exponential": np.exp,
    "linear": lambda x: x,
}


@pytest.mark.parametrize("name", sorted(NUMPY_REFERENCES))
def test_matches_numpy_formula(name):
    got = activations.get(name)(tf.constant(X2))
    got = got.numpy() if hasattr(got, "numpy") else np.asarray(got)
    np.testing.assert_allclose(got, NUMPY_REFERENCES[name](X2.astype(np.float64)), rtol=2e-5, atol=2e-6)


def test_softmax_log_softmax_glu_sparsemax_against_numpy():
    shifted = np.exp(X2 - X2.max(axis=1, keepdims=True))
    expected = shifted / shifted.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(activations.softmax(X2).numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(activations.log_softmax(X2).numpy(), np.log(expected), rtol=1e-5, atol=1e-6)
    whole = np.exp(X2) / np.exp(X2).sum()
    np.testing.assert_allclose(activations.softmax(X2, axis=None).numpy(), whole, rtol=1e-5)
    np.testing.assert_allclose(activations.softmax(X2, axis=0).numpy().sum(axis=0), np.ones(4), rtol=1e-5)
    np.testing.assert_allclose(activations.glu(X2).numpy(), X2[:, :2] * _np_sigmoid(X2[:, 2:]), rtol=1e-5)
    with pytest.raises(ValueError, match="axis size must be divisible by 2"):
        activations.glu(np.ones((2, 3), np.float32))
    sparse = activations.sparsemax(np.array([[2.0, 1.0, -1.0], [0.1, 0.2, 0.3], [0.5, 0.4, -2.0]], np.float32))
    expected = [[1.0, 0.0, 0.0], [0.1 + 0.4 / 3, 0.2 + 0.4 / 3, 0.3 + 0.4 / 3], [0.55, 0.45, 0.0]]
    np.testing.assert_allclose(sparse.numpy(), expected, rtol=1e-5, atol=1e-6)
    column_wise = activations.sparsemax(np.array([[2.0, 0.1], [1.0, 0.2], [-1.0, 0.3]], np.float32), axis=0)
    np.testing.assert_allclose(column_wise.numpy().T, expected[:2], rtol=1e-5, atol=1e-6)


def test_relu_options():
    x = X.astype(np.float64)
    np.testing.assert_allclose(activations.relu(X, negative_slope=0.1).numpy(), np.where(x >= 0, x, 0.1 * x), rtol=1e-6)
    np.testing.assert_allclose(activations.relu(X, max_value=2.5).numpy(), np.clip(x, 0, 2.5))
    np.testing.assert_allclose(activations.relu(X, threshold=1.0).numpy(), np.where(x > 1.0, x, 0))
    combined = activations.relu(X, negative_slope=0.3, max_value=2.0, threshold=0.5).numpy()
    expected = np.clip(np.where(x > 0.5, x, 0), 0, 2.0) - 0.3 * np.maximum(0.5 - x, 0)
    np.testing.assert_allclose(combined, expected, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(activations.elu(X, alpha=0.5).numpy(), np.where(x > 0, x, 0.5 * np.expm1(x)), rtol=1e-6)
    approx = activations.gelu(X, approximate=True).numpy()
    expected = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
    np.testing.assert_allclose(approx, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(activations.threshold(X, 1.0, -7.0).numpy(), np.where(x > 1.0, x, -7.0))


@pytest.mark.parametrize("name", ["relu", "elu", "selu", "gelu", "sigmoid", "silu", "mish", "softplus", "softsign",
                                  "tanh", "softmax", "log_softmax", "hard_silu", "celu", "squareplus"])
def test_gradients_match_finite_differences(name):
    fn = activations.get(name)
    x = tf.constant(X2.astype(np.float64) + 0.013)  # keep away from kinks
    weights = tf.constant(np.random.RandomState(0).randn(*X2.shape))
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(fn(x) * weights)
    analytic = tape.gradient(loss, x).numpy()
    numeric = np.zeros_like(X2, dtype=np.float64)
    base = x.numpy()
    for index in np.ndindex(*base.shape):
        for sign in (1, -1):
            bumped = base.copy()
            bumped[index] += sign * 1e-6
            numeric[index] += sign * float(tf.reduce_sum(fn(tf.constant(bumped)) * weights).numpy())
    np.testing.assert_allclose(analytic, numeric / 2e-6, rtol=1e-4, atol=1e-6)


def test_softmax_and_sigmoid_remember_logits():
    logits = tf.constant(X2)
    assert activations.softmax(logits)._keras_logits is logits
    assert activations.sigmoid(logits)._keras_logits is logits


def test_get_serialize_deserialize():
    assert activations.get(None) is activations.linear
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu
    assert activations.get(activations.relu) is activations.relu
    assert activations.serialize(activations.relu) == "relu"
    assert activations.serialize(activations.swish) == "silu"
    assert activations.deserialize("gelu") is activations.gelu
    function_config = {"module": "builtins", "class_name": "function", "config": "tanh", "registered_name": "function"}
    assert activations.get(function_config) is activations.tanh

    def my_activation(x):
        return x * 2

    config = activations.serialize(my_activation)
    assert config["class_name"] == "function" and config["config"] == "my_activation"
    assert activations.deserialize(config, custom_objects={"my_activation": my_activation}) is my_activation
    for bad in ["Relu", 3]:
        with pytest.raises(ValueError, match=f"Could not interpret activation function identifier: {bad}"):
            activations.get(bad)


@pytest.mark.parity
@pytest.mark.parametrize("name", sorted(set(NUMPY_REFERENCES) | {"softmax", "log_softmax", "glu"}))
def test_parity_with_keras(name):
    # sparsemax is left out on purpose: Keras 3.15's threshold is wrong whenever more than one entry is kept.
    keras = pytest.importorskip("keras")
    ours = activations.get(name)(tf.constant(X2))
    ours = ours.numpy() if hasattr(ours, "numpy") else np.asarray(ours)
    np.testing.assert_allclose(ours, np.asarray(keras.activations.get(name)(X2)), rtol=1e-5, atol=1e-5)
    assert activations.serialize(activations.get(name)) == keras.activations.serialize(keras.activations.get(name))


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{"negative_slope": 0.1}, {"max_value": 3.0}, {"threshold": 1.0}, {"max_value": 6},
                                    {"negative_slope": 0.1, "max_value": 2, "threshold": 0.5}])
def test_relu_options_parity_with_keras(kwargs):
    keras = pytest.importorskip("keras")
    np.testing.assert_allclose(activations.relu(X2, **kwargs).numpy(),
                               np.asarray(keras.activations.relu(X2, **kwargs)), rtol=1e-6, atol=1e-6)
