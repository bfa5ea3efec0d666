"""TF1 optimizers, schedules and moving averages (spec 000.md ch. 9, 004.md)."""
import numpy as np
import pytest

import ndflow.compat.v1 as tf

pytestmark = pytest.mark.usefixtures("graph_mode")


def test_ema_sequence_from_the_spec():
    v1 = tf.Variable(0, dtype=tf.float32)
    step = tf.Variable(0, trainable=False)
    ema = tf.train.ExponentialMovingAverage(0.99, step)
    maintain = ema.apply([v1])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        seen = [sess.run([v1, ema.average(v1)])]
        sess.run(tf.assign(v1, 5))
        sess.run(maintain)
        seen.append(sess.run([v1, ema.average(v1)]))
        sess.run(tf.assign(step, 10000))
        sess.run(tf.assign(v1, 10))
        sess.run(maintain)
        seen.append(sess.run([v1, ema.average(v1)]))
        sess.run(maintain)
        seen.append(sess.run([v1, ema.average(v1)]))
    np.testing.assert_allclose(seen, [[0.0, 0.0], [5.0, 4.5], [10.0, 4.555], [10.0, 4.60945]], rtol=1e-6)


def test_ema_names_and_variables_to_restore():
    v = tf.Variable(0, dtype=tf.float32, name="v")
    ema = tf.train.ExponentialMovingAverage(0.99)
    ema.apply([v])
    assert [x.name for x in tf.global_variables()] == ["v:0", "v/ExponentialMovingAverage:0"]
    assert ema.variables_to_restore() == {"v/ExponentialMovingAverage": v}


def test_exponential_decay_staircase_with_global_step():
    global_step = tf.Variable(0)
    learning_rate = tf.train.exponential_decay(0.1, global_step, 1, 0.96, staircase=True)
    x = tf.Variable(tf.constant(5, dtype=tf.float32), name="x")
    train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(tf.square(x), global_step=global_step)
    xs, lrs = [], []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            lrs.append(sess.run(learning_rate))
            sess.run(train_op)
            xs.append(sess.run(x))
        assert sess.run(global_step) == 3
    expected_x, value = [], 5.0
    for k in range(3):
        value -= 0.1 * 0.96 ** k * 2 * value
        expected_x.append(value)
    np.testing.assert_allclose(lrs, [0.1, 0.096, 0.09216], rtol=1e-6)
    np.testing.assert_allclose(xs, expected_x, rtol=1e-5)


def test_schedules_values():
    step = tf.constant(5)
    with tf.Session() as sess:
        pw = sess.run(tf.train.piecewise_constant(step, [3, 8], [1.0, 0.5, 0.1]))
        poly = sess.run(tf.train.polynomial_decay(1.0, step, 10, end_learning_rate=0.0, power=2.0))
        inv = sess.run(tf.train.inverse_time_decay(1.0, step, 5, 0.5))
        nat = sess.run(tf.train.natural_exp_decay(1.0, step, 5, 0.5))
    assert pw == pytest.approx(0.5) and poly == pytest.approx(0.25)
    assert inv == pytest.approx(1 / 1.5) and nat == pytest.approx(np.exp(-0.5))


OPTIMIZERS = [
    ("GradientDescentOptimizer", dict(learning_rate=0.1)),
    ("MomentumOptimizer", dict(learning_rate=0.1, momentum=0.9)),
    ("MomentumOptimizer", dict(learning_rate=0.1, momentum=0.9, use_nesterov=True)),
    ("AdagradOptimizer", dict(learning_rate=0.5)),
    ("AdadeltaOptimizer", dict(learning_rate=1.0)),
    ("RMSPropOptimizer", dict(learning_rate=0.05)),
    ("RMSPropOptimizer", dict(learning_rate=0.05, momentum=0.5, centered=True)),
    ("AdamOptimizer", dict(learning_rate=0.1)),
]


def _train(lib, name, kwargs, steps=7):
    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]], np.float32)
    y = np.array([[1.0], [0.0], [2.0]], np.float32)
    graph = lib.Graph()
    with graph.as_default():
        x_ph = lib.placeholder(lib.float32, (None, 2))
        w = lib.Variable([[0.5], [-0.5]], name="w")
        loss = lib.reduce_mean(lib.square(lib.matmul(x_ph, w) - y))
        op = getattr(lib.train, name)(**kwargs).minimize(loss)
        init = lib.global_variables_initializer()
    with lib.Session(graph=graph) as sess:
        sess.run(init)
        for _ in range(steps):
            sess.run(op, {x_ph: X})
        return sess.run(w)


@pytest.mark.parametrize("name,kwargs", OPTIMIZERS)
def test_optimizer_decreases_loss(name, kwargs):
    w = _train(tf, name, kwargs, steps=30)
    assert np.all(np.isfinite(w))
    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
    y = np.array([[1.0], [0.0], [2.0]])
    assert np.mean((X @ w - y) ** 2) < np.mean((X @ np.array([[0.5], [-0.5]]) - y) ** 2)


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", OPTIMIZERS)
def test_optimizer_parity_with_tensorflow(name, kwargs):
    ref = pytest.importorskip("tensorflow").compat.v1
    np.testing.assert_allclose(_train(tf, name, kwargs), _train(ref, name, kwargs), rtol=2e-5, atol=1e-6)


def test_contrib_regularizer_values_from_the_spec():
    weights = tf.constant([[1.0, -2.0], [-3.0, 4.0]])
    with tf.Session() as sess:
        assert sess.run(tf.contrib.layers.l1_regularizer(0.5)(weights)) == pytest.approx(5.0)
        assert sess.run(tf.contrib.layers.l2_regularizer(0.5)(weights)) == pytest.approx(7.5)
        assert sess.run(tf.contrib.layers.l1_l2_regularizer(0.5, 0.5)(weights)) == pytest.approx(12.5)
    with pytest.raises(ValueError):
        tf.contrib.layers.l2_regularizer(1)


def test_losses_collection_pattern_and_initialized_value():
    ww = tf.Variable(tf.constant([2, 3], dtype=tf.float32))
    bb = tf.Variable(ww.initialized_value() * 2)
    tf.add_to_collection("losses", tf.contrib.layers.l2_regularizer(0.5)(ww))
    tf.add_to_collection("losses", tf.constant(1.0))
    loss = tf.add_n(tf.get_collection("losses"))
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(ww.initialized_value()), [2.0, 3.0])
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(bb), [4.0, 6.0])
        assert sess.run(loss) == pytest.approx(0.5 * 13 / 2 + 1.0)
