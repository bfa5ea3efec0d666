"""Autodiff claims of the Hands-On ML notes, ch. 12 (inventory 001b.md §(h) and its testable results)."""
import numpy as np
import pytest

import ndflow as tf


def f(w1, w2):
    return 3 * w1 ** 2 + 2 * w1 * w2


def test_finite_differences_approximate_tape_gradients():
    w1, w2, eps = 5.0, 3.0, 1e-6
    assert (f(w1 + eps, w2) - f(w1, w2)) / eps == pytest.approx(36.000003, rel=1e-6)
    assert (f(w1, w2 + eps) - f(w1, w2)) / eps == pytest.approx(10.0, rel=1e-6)
    v1, v2 = tf.Variable(5.0), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        z = f(v1, v2)
    assert [float(g) for g in tape.gradient(z, [v1, v2])] == [36.0, 10.0]
    with pytest.raises(RuntimeError, match="A non-persistent GradientTape can only be used to compute one set "
                                           r"of gradients \(or jacobians\)"):
        tape.gradient(z, [v1, v2])


def test_constants_need_watch_and_vector_targets_sum():
    c1, c2 = tf.constant(5.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        z = f(c1, c2)
    assert tape.gradient(z, [c1, c2]) == [None, None]
    with tf.GradientTape() as tape:
        tape.watch(c1)
        tape.watch(c2)
        z = f(c1, c2)
    assert [float(g) for g in tape.gradient(z, [c1, c2])] == [36.0, 10.0]
    w1, w2 = tf.Variable(5.0), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        z1, z2, z3 = f(w1, w2 + 2.0), f(w1, w2 + 5.0), f(w1, w2 + 7.0)
    assert [float(g) for g in tape.gradient([z1, z2, z3], [w1, w2])] == [136.0, 30.0]


def test_hessians_via_nested_tapes():
    w1, w2 = tf.Variable(5.0), tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as hessian_tape:
        with tf.GradientTape() as jacobian_tape:
            z = f(w1, w2)
        jacobians = jacobian_tape.gradient(z, [w1, w2])
    hessians = [hessian_tape.gradient(j, [w1, w2]) for j in jacobians]
    assert [float(j) for j in jacobians] == [36.0, 10.0]
    assert [[None if h is None else float(h) for h in row] for row in hessians] == [[6.0, 2.0], [2.0, None]]


def test_stop_gradient_blocks_one_term():
    w1, w2 = tf.Variable(5.0), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        z = 3 * w1 ** 2 + tf.stop_gradient(2 * w1 * w2)
    g1, g2 = tape.gradient(z, [w1, w2])
    assert float(g1) == 30.0 and g2 is None


def test_softplus_overflow_and_custom_gradient_fix():
    def my_softplus(z):
        return tf.math.log(tf.exp(z) + 1.0)

    x = tf.Variable(100.0)
    with tf.GradientTape() as tape:
        z = my_softplus(x)
    assert np.isnan(float(tape.gradient(z, [x])[0]))
    assert float(tf.math.log(tf.exp(tf.constant(30.0)) + 1.0)) == 30.0

    @tf.custom_gradient
    def my_better_softplus(z):
        exp = tf.exp(z)

        def my_softplus_gradients(grad):
            return grad / (1 + 1 / exp)

        return tf.math.log(exp + 1), my_softplus_gradients

    x = tf.Variable([1000.0])
    with tf.GradientTape() as tape:
        z = my_better_softplus(x)
    assert np.isinf(z.numpy()[0])
    assert float(tape.gradient(z, [x])[0][0]) == 1.0
