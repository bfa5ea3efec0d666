"""TF1 linear regression workflows of the spec's Hands-On ML ch. 9 notes (inventory 000.md claims 1–13)."""
import numpy as np
import pytest

import ndflow.compat.v1 as tf
from tests.compat.conftest import graph_mode  # noqa: F401 - the TF1 graph-mode fixture

pytestmark = pytest.mark.usefixtures("graph_mode")


def housing_like(m=200, n=8, seed=42):
    rng = np.random.RandomState(seed)
    X = rng.randn(m, n)
    y = X @ rng.randn(n, 1) + 0.5 + 0.1 * rng.randn(m, 1)
    return np.c_[np.ones((m, 1)), X].astype(np.float32), y.astype(np.float32)


def test_claim4_graph_membership():
    x1 = tf.Variable(1)
    assert x1.graph is tf.get_default_graph()
    graph = tf.Graph()
    with graph.as_default():
        x2 = tf.Variable(2)
    assert x2.graph is graph and x2.graph is not tf.get_default_graph()


def test_normal_equation_matches_numpy():
    data, target = housing_like()
    X = tf.constant(data, dtype=tf.float32, name="X")
    y = tf.constant(target, dtype=tf.float32, name="y")
    XT = tf.transpose(X)
    theta = tf.matmul(tf.matmul(tf.matrix_inverse(tf.matmul(XT, X)), XT), y)
    with tf.Session():
        theta_value = theta.eval()
    expected = np.linalg.lstsq(data.astype(np.float64), target.astype(np.float64), rcond=None)[0]
    np.testing.assert_allclose(theta_value, expected, rtol=1e-3, atol=1e-4)


def _gd(mode, n_epochs=200, learning_rate=0.01):
    tf.reset_default_graph()
    data, target = housing_like()
    m = len(data)
    X = tf.constant(data, dtype=tf.float32, name="X")
    y = tf.constant(target, dtype=tf.float32, name="y")
    theta = tf.Variable(tf.constant(np.linspace(-1, 1, data.shape[1]).reshape(-1, 1), tf.float32), name="theta")
    y_pred = tf.matmul(X, theta, name="predictions")
    error = y_pred - y
    mse = tf.reduce_mean(tf.square(error), name="mse")
    if mode == "manual":
        gradients = 2 / m * tf.matmul(tf.transpose(X), error)
        training_op = tf.assign(theta, theta - learning_rate * gradients)
    elif mode == "autodiff":
        gradients = tf.gradients(mse, [theta])[0]
        training_op = tf.assign(theta, theta - learning_rate * gradients)
    elif mode == "optimizer":
        training_op = tf.train.GradientDescentOptimizer(learning_rate=learning_rate).minimize(mse)
    else:
        training_op = tf.train.MomentumOptimizer(learning_rate=learning_rate, momentum=0.9).minimize(mse)
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        for _ in range(n_epochs):
            sess.run(training_op)
        return theta.eval(), mse.eval()


def test_claim9_manual_autodiff_and_optimizer_agree_and_momentum_is_faster():
    manual, mse_manual = _gd("manual")
    autodiff, _ = _gd("autodiff")
    optimizer, _ = _gd("optimizer")
    _, mse_momentum = _gd("momentum")
    np.testing.assert_allclose(autodiff, manual, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(optimizer, manual, rtol=1e-4, atol=1e-5)
    assert mse_momentum < mse_manual


def test_minibatch_gradient_descent_with_placeholders():
    data, target = housing_like()
    m, n = data.shape
    X = tf.placeholder(tf.float32, shape=(None, n), name="X")
    y = tf.placeholder(tf.float32, shape=(None, 1), name="y")
    theta = tf.Variable(tf.random_uniform([n, 1], -1.0, 1.0, seed=42), name="theta")
    mse = tf.reduce_mean(tf.square(tf.matmul(X, theta) - y), name="mse")
    training_op = tf.train.GradientDescentOptimizer(0.05).minimize(mse)
    batch_size, n_batches = 20, int(np.ceil(m / 20))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start = mse.eval(feed_dict={X: data, y: target})
        for epoch in range(10):
            for batch_index in range(n_batches):
                np.random.seed(epoch * n_batches + batch_index)
                indices = np.random.randint(m, size=batch_size)
                sess.run(training_op, feed_dict={X: data[indices], y: target[indices]})
        end = mse.eval(feed_dict={X: data, y: target})
    assert end < 0.05 < start


def test_claim5_shared_nodes_and_claim17_feeding_intermediates():
    w = tf.constant(3)
    x = w + 2
    y = x + 5
    z = x * 3
    with tf.Session() as sess:
        assert (y.eval(), z.eval()) == (10, 15)
        assert sess.run([y, z]) == [10, 15]
        assert sess.run(z, feed_dict={x: 100}) == 300
