"""Tests for ``ndflow.keras.backend``: global settings, session state and the classic ``K.*`` helpers."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import backend as K

RNG = np.random.RandomState(0)
A = RNG.randn(3, 4).astype(np.float32)
B = RNG.randn(4, 5).astype(np.float32)
X3 = RNG.randn(2, 3, 4).astype(np.float32)
Y3 = RNG.randn(2, 4, 5).astype(np.float32)
PROBS = np.abs(A) / np.abs(A).sum(axis=1, keepdims=True)
ONE_HOT = np.eye(4, dtype=np.float32)[[0, 2, 1]]


@pytest.fixture
def restore_settings():
    saved = (K.floatx(), K.epsilon(), K.image_data_format())
    yield
    K.set_floatx(saved[0])
    K.set_epsilon(saved[1])
    K.set_image_data_format(saved[2])


def test_settings_defaults_and_setters(restore_settings):
    assert (K.floatx(), K.epsilon(), K.image_data_format(), K.backend()) == (
        "float32", 1e-7, "channels_last", "tensorflow")
    K.set_floatx("float64")
    assert K.floatx() == "float64" and K.variable([1.0]).dtype == tf.float64
    K.set_epsilon(1e-5)
    assert K.epsilon() == 1e-5
    K.set_image_data_format("channels_first")
    assert K.image_data_format() == "channels_first"
    with pytest.raises(ValueError, match="Unknown `floatx` value: int32"):
        K.set_floatx("int32")
    with pytest.raises(ValueError, match="The `data_format` argument must be one of"):
        K.set_image_data_format("channels_middle")


def test_clear_session_resets_shared_uids():
    K.clear_session()
    assert [K.get_uid("thing"), K.get_uid("thing"), K.get_uid("other")] == [1, 2, 1]
    K.clear_session()
    assert K.get_uid("thing") == 1


def test_shape_helpers():
    x = tf.constant(X3)
    assert K.int_shape(x) == (2, 3, 4) and K.ndim(x) == 3 and K.count_params(x) == 24
    np.testing.assert_array_equal(K.shape(x).numpy(), [2, 3, 4])
    assert K.dtype(x) == "float32" and K.is_float_dtype("float16") and K.is_int_dtype("int64")
    assert K.is_keras_tensor(x) is False
    assert K.standardize_dtype(None) == "float32"


def test_variables_and_values():
    v = K.variable(A, name="v")
    assert isinstance(v, tf.Variable) and v.dtype == tf.float32
    K.set_value(v, B[:3, :4])
    np.testing.assert_array_equal(K.get_value(v), B[:3, :4])
    np.testing.assert_array_equal(K.eval(K.constant(2.0, shape=(2,))), [2.0, 2.0])
    zeros = K.zeros((2, 3))
    assert isinstance(zeros, tf.Variable) and np.array_equal(K.get_value(zeros), np.zeros((2, 3)))
    assert isinstance(K.ones((2,), dtype="int32"), tf.Variable)
    K.update_add(v, np.ones((3, 4), np.float32))
    np.testing.assert_allclose(K.get_value(v), B[:3, :4] + 1)
    assert K.cast_to_floatx([1, 2]).dtype == np.float32


def test_math_helpers_match_numpy():
    x = tf.constant(A)
    np.testing.assert_allclose(K.mean(x, axis=1).numpy(), A.mean(axis=1), rtol=1e-6)
    np.testing.assert_allclose(K.sum(x, axis=0, keepdims=True).numpy(), A.sum(axis=0, keepdims=True), rtol=1e-6)
    np.testing.assert_allclose(K.max(x).numpy(), A.max())
    np.testing.assert_allclose(K.min(x, axis=1).numpy(), A.min(axis=1))
    np.testing.assert_allclose(K.sqrt(x).numpy(), np.sqrt(np.maximum(A, 0)))
    np.testing.assert_allclose(K.clip(x, 0.5, 0.1).numpy(), np.clip(A, 0.5, 0.5))
    np.testing.assert_allclose(K.clip(x, None, 0.2).numpy(), np.minimum(A, 0.2))
    np.testing.assert_allclose(K.pow(x, 2).numpy(), A ** 2, rtol=1e-6)
    np.testing.assert_array_equal(K.argmax(x).numpy(), A.argmax(axis=-1))
    np.testing.assert_allclose(K.std(x, axis=0).numpy(), A.std(axis=0), rtol=1e-5)
    np.testing.assert_allclose(K.mean(tf.constant([True, False, True, True])).numpy(), 0.75)
    np.testing.assert_allclose(K.l2_normalize(x, axis=1).numpy(), A / np.linalg.norm(A, axis=1, keepdims=True),
                               rtol=1e-5)


def test_products():
    np.testing.assert_allclose(K.dot(A, B).numpy(), A @ B, rtol=1e-5)
    np.testing.assert_allclose(K.dot(tf.constant(X3), tf.constant(Y3)).numpy(),
                               np.tensordot(X3, Y3, axes=[[2], [1]]), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(K.batch_dot(X3, Y3).numpy(), np.einsum("bij,bjk->bik", X3, Y3), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(K.batch_dot(A, A, axes=1).numpy(), (A * A).sum(axis=1, keepdims=True), rtol=1e-5)
    np.testing.assert_allclose(K.batch_dot(X3, X3, axes=(2, 2)).numpy(), np.einsum("bik,bjk->bij", X3, X3),
                               rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="Cannot perform batch_dot over axis 0"):
        K.batch_dot(A, A, axes=0)


def test_shape_manipulation():
    x = tf.constant(X3)
    assert K.flatten(x).shape == (24,) and K.batch_flatten(x).shape == (2, 12)
    assert K.concatenate([x, x]).shape == (2, 3, 8)
    assert K.stack([A, A], axis=1).shape == (3, 2, 4)
    assert K.expand_dims(A).shape == (3, 4, 1) and K.squeeze(K.expand_dims(A, 0), 0).shape == (3, 4)
    assert K.permute_dimensions(x, (2, 0, 1)).shape == (4, 2, 3)
    np.testing.assert_array_equal(K.repeat_elements(A, 2, axis=1).numpy(), np.repeat(A, 2, axis=1))
    np.testing.assert_array_equal(K.one_hot([0, 2], 3).numpy(), np.eye(3)[[0, 2]])


def test_switch():
    np.testing.assert_array_equal(K.switch(A > 0, A, -A).numpy(), np.abs(A))
    assert float(K.switch(tf.constant(True), lambda: tf.constant(1.0), lambda: tf.constant(2.0))) == 1.0
    batch_condition = tf.constant([[True], [False], [True]])
    np.testing.assert_array_equal(K.switch(batch_condition, A, np.zeros_like(A)).numpy(), A * [[1], [0], [1]])


def test_losses_and_activations():
    eps = 1e-7
    clipped = np.clip(PROBS, eps, 1 - eps)
    expected_bce = -(ONE_HOT * np.log(clipped + eps) + (1 - ONE_HOT) * np.log(1 - clipped + eps))
    np.testing.assert_allclose(K.binary_crossentropy(ONE_HOT, PROBS).numpy(), expected_bce, rtol=1e-5)
    np.testing.assert_allclose(K.categorical_crossentropy(ONE_HOT, PROBS).numpy(),
                               -(ONE_HOT * np.log(clipped)).sum(axis=1), rtol=1e-5)
    log_softmax = A - np.log(np.exp(A).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(K.categorical_crossentropy(ONE_HOT, A, from_logits=True).numpy(),
                               -(ONE_HOT * log_softmax).sum(axis=1), rtol=1e-5)
    np.testing.assert_allclose(K.sparse_categorical_crossentropy([0, 2, 1], A, from_logits=True).numpy(),
                               -(ONE_HOT * log_softmax).sum(axis=1), rtol=1e-5)
    np.testing.assert_allclose(K.softmax(A).numpy(), np.exp(log_softmax), rtol=1e-5)
    with pytest.raises(ValueError, match="Cannot apply softmax to a tensor that is 1D"):
        K.softmax(A[0])
    np.testing.assert_allclose(K.relu(A, alpha=0.1, max_value=1.0).numpy(),
                               np.clip(A, 0, 1.0) - 0.1 * np.maximum(-A, 0), rtol=1e-6)
    np.testing.assert_allclose(K.hard_sigmoid(A).numpy(), np.clip(0.2 * A + 0.5, 0, 1), rtol=1e-6)
    np.testing.assert_allclose(K.tanh(A).numpy(), np.tanh(A), rtol=1e-6)


def test_random_helpers_respect_seed_and_dtype():
    tf.random.set_seed(1)
    first = K.random_normal((3, 2), seed=5).numpy()
    tf.random.set_seed(1)
    np.testing.assert_array_equal(first, K.random_normal((3, 2), seed=5).numpy())
    uniform = K.random_uniform((1000,), minval=2.0, maxval=3.0, dtype="float64").numpy()
    assert uniform.dtype == np.float64 and uniform.min() >= 2.0 and uniform.max() < 3.0


def test_helpers_are_differentiable():
    x = tf.Variable(A)
    with tf.GradientTape() as tape:
        loss = K.mean(K.square(K.clip(x, -1.0, 1.0)))
    expected = 2 * np.clip(A, -1, 1) * (np.abs(A) <= 1) / A.size
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), expected, rtol=1e-5, atol=1e-7)


@pytest.mark.parity
@pytest.mark.parametrize("name, call", [
    ("dot3", lambda K, c: K.dot(c(X3), c(Y3))),
    ("batch_dot", lambda K, c: K.batch_dot(c(X3), c(Y3))),
    ("batch_dot_axes", lambda K, c: K.batch_dot(c(X3), c(X3), axes=(1, 1))),
    ("bce", lambda K, c: K.binary_crossentropy(c(ONE_HOT), c(PROBS))),
    ("bce_logits", lambda K, c: K.binary_crossentropy(c(ONE_HOT), c(A), from_logits=True)),
    ("cce", lambda K, c: K.categorical_crossentropy(c(ONE_HOT), c(PROBS))),
    ("scce", lambda K, c: K.sparse_categorical_crossentropy(c([0, 2, 1]), c(PROBS))),
    ("relu", lambda K, c: K.relu(c(A), alpha=0.2, threshold=0.3)),
    ("switch", lambda K, c: K.switch(c(A) > 0, c(A), c(B[:3, :4]))),
    ("repeat_elements", lambda K, c: K.repeat_elements(c(X3), 3, 1)),
    ("sqrt", lambda K, c: K.sqrt(c(A))),
    ("var", lambda K, c: K.var(c(A), axis=1, keepdims=True)),
])
def test_parity_with_tf_keras_backend(name, call):
    real_tf = pytest.importorskip("tensorflow")
    expected = np.asarray(call(real_tf.keras.backend, real_tf.constant))
    got = np.asarray(call(K, tf.constant))
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
