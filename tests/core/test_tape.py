import numpy as np
import pytest

import ndflow as tf


def test_trainable_variables_are_watched_automatically():
    w = tf.Variable(2.0)
    frozen = tf.Variable(3.0, trainable=False)
    with tf.GradientTape() as tape:
        y = w * frozen
    dw, dfrozen = tape.gradient(y, [w, frozen])
    assert float(dw) == 3.0 and dfrozen is None
    assert tape.watched_variables() == (w,)


def test_watch_accessed_variables_false_needs_explicit_watch():
    a, b = tf.Variable(2.0), tf.Variable(5.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(a)
        y = a * a + b
    ga, gb = tape.gradient(y, [a, b])
    assert float(ga) == 4.0 and gb is None


def test_constants_need_watch():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None


def test_persistent_tape_and_nested_structures():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    assert float(tape.gradient(z, x)) == pytest.approx(108.0)
    assert float(tape.gradient(y, x)) == pytest.approx(6.0)
    grads = tape.gradient(z, {"a": x, "b": [x]})
    assert float(grads["a"]) == pytest.approx(108.0) and float(grads["b"][0]) == pytest.approx(108.0)


def test_list_targets_are_summed_and_output_gradients_weight_them():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y1, y2 = x * x, x * 3.0
    np.testing.assert_allclose(tape.gradient([y1, y2], x).numpy(), 2 * np.array([1.0, 2.0]) + 3.0)
    np.testing.assert_allclose(tape.gradient(y1, x, output_gradients=tf.constant([1.0, 10.0])).numpy(),
                               [2.0, 40.0])


def test_stop_recording():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        with tape.stop_recording():
            z = y * x
        w = y + z
    assert float(tape.gradient(w, x)) == pytest.approx(4.0)


def test_integer_sources_get_no_gradient():
    x = tf.constant(3)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x) is None


def test_jacobian_matches_analytic():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    np.testing.assert_allclose(tape.jacobian(y, x).numpy(), np.diag([2.0, 4.0, 6.0]))


def test_batch_jacobian():
    x = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    w = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.matmul(x, w)
    j = tape.batch_jacobian(y, x)
    assert j.shape == (2, 4, 3)
    np.testing.assert_allclose(j.numpy()[0], w.numpy().T)
    np.testing.assert_allclose(j.numpy()[1], w.numpy().T)


def test_third_order_derivative():
    x = tf.Variable(2.0)
    with tf.GradientTape() as t3:
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                y = x * x * x * x
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    d3 = t3.gradient(d2, x)
    assert (float(d1), float(d2), float(d3)) == pytest.approx((32.0, 48.0, 48.0))


def test_custom_gradient_replaces_the_gradient():
    @tf.custom_gradient
    def clipped_identity(x):
        def grad(dy):
            return dy * 0.5
        return tf.identity(x), grad

    x = tf.constant(4.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = clipped_identity(x) * 3.0
    assert float(tape.gradient(y, x)) == pytest.approx(1.5)


def test_custom_gradient_with_variables():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def scale(x):
        def grad(dy, variables=None):
            return dy * v, [dy * x * 10.0]
        return x * v, grad

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scale(x)
    gx, gv = tape.gradient(y, [x, v])
    assert float(gx) == 2.0 and float(gv) == 30.0


def test_gradient_rejects_non_tensor_sources():
    with tf.GradientTape() as tape:
        y = tf.constant(1.0)
    with pytest.raises(ValueError):
        tape.gradient(y, "x")


@pytest.mark.parity
def test_gradient_parity_on_small_network():
    ref = pytest.importorskip("tensorflow")
    rs = np.random.RandomState(0)
    xv, wv, bv = rs.randn(4, 3).astype("f"), rs.randn(3, 2).astype("f"), rs.randn(2).astype("f")

    def run(lib):
        x, w, b = lib.constant(xv), lib.Variable(wv), lib.Variable(bv)
        with lib.GradientTape() as tape:
            y = lib.reduce_sum(lib.matmul(x, w) * lib.matmul(x, w) + b)
        return [g.numpy() for g in tape.gradient(y, [w, b])]

    for ours, theirs in zip(run(tf), run(ref)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5)
