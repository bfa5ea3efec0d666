import numpy as np
import pytest

import ndflow as tf
from tests.gradcheck import check_gradients


def test_polynomial_gradient_matches_calculus():
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x * x + 2.0 * x
    assert float(tape.gradient(y, x)) == pytest.approx(8.0)


def test_nested_tapes_give_second_derivative():
    x = tf.Variable(3.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = x * x * x
        dy = inner.gradient(y, x)
    assert float(dy) == pytest.approx(27.0)
    assert float(outer.gradient(dy, x)) == pytest.approx(18.0)


def test_non_persistent_tape_used_twice_raises():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="non-persistent"):
        tape.gradient(y, x)


def test_unconnected_source_gives_none_or_zeros():
    x, z = tf.constant(2.0), tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, z])
        y = x * x
    assert tape.gradient(y, z) is None
    np.testing.assert_array_equal(tape.gradient(y, z, unconnected_gradients="zero").numpy(), [0.0, 0.0])


def test_binary_op_gradients_broadcast():
    a = np.random.RandomState(0).randn(2, 3)
    b = np.random.RandomState(1).randn(3)
    check_gradients(lambda x, y: x * y + x / (y + 3.0) - y, a, b, order=2)


def test_matmul_gradients_all_transposes():
    rs = np.random.RandomState(0)
    a, b = rs.randn(2, 3), rs.randn(3, 4)
    check_gradients(lambda x, y: tf.matmul(x, y), a, b)
    check_gradients(lambda x, y: tf.matmul(x, y, transpose_a=True), a.T, b)
    check_gradients(lambda x, y: tf.matmul(x, y, transpose_b=True), a, b.T)
    check_gradients(lambda x, y: tf.matmul(x, y, transpose_a=True, transpose_b=True), a.T, b.T)
