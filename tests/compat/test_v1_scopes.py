"""variable_scope/get_variable sharing rules and TF1 initializers (spec 000.md ch. 9 'Sharing Variables')."""
import numpy as np
import pytest

import ndflow.compat.v1 as tf

pytestmark = pytest.mark.usefixtures("graph_mode")


def relu(X):
    with tf.variable_scope("relu", reuse=True):
        threshold = tf.get_variable("threshold")
        w = tf.Variable(tf.random_normal((int(X.get_shape()[1]), 1)), name="weights")
        b = tf.Variable(0.0, name="bias")
        z = tf.matmul(X, w) + b
        return tf.maximum(z, threshold)


def test_shared_threshold_across_modules():
    X = tf.placeholder(tf.float32, shape=(None, 3), name="X")
    with tf.variable_scope("relu"):
        threshold = tf.get_variable("threshold", shape=(), initializer=tf.constant_initializer(0.0))
    relus = [relu(X) for _ in range(5)]
    output = tf.add_n(relus)
    assert threshold.name == "relu/threshold:0"
    assert [r.name.split("/")[0] for r in relus] == ["relu_1", "relu_2", "relu_3", "relu_4", "relu_5"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(output, {X: np.ones((2, 3))}).shape == (2, 1)
        assert float(sess.run(tf.reduce_min(output), {X: np.ones((2, 3))})) >= 0.0


def test_reuse_errors_and_auto_reuse():
    with tf.variable_scope("layer"):
        tf.get_variable("w", shape=[2])
    with pytest.raises(ValueError, match="Variable layer/w already exists, disallowed"):
        with tf.variable_scope("layer"):
            tf.get_variable("w", shape=[2])
    with pytest.raises(ValueError, match="Variable other/w does not exist"):
        with tf.variable_scope("other", reuse=True):
            tf.get_variable("w")
    with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
        a = tf.get_variable("v", [3])
        b = tf.get_variable("v", [3])
    assert a is b
    with tf.variable_scope("layer") as scope:
        scope.reuse_variables()
        assert tf.get_variable("w").name == "layer/w:0"
    with pytest.raises(ValueError, match="must be fully defined"):
        tf.get_variable("no_shape")


def test_regularizer_losses_are_collected():
    def l2(w):
        return tf.reduce_sum(w * w) / 2.0 * 0.5

    with tf.variable_scope("dense", regularizer=l2):
        tf.get_variable("kernel", initializer=tf.constant_initializer([[1.0, -2.0], [-3.0, 4.0]]), shape=[2, 2])
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(losses[0]) == pytest.approx(7.5)


def test_initializer_statistics():
    shape = (200, 300)
    inits = {
        "zeros": tf.zeros_initializer()(shape),
        "ones": tf.ones_initializer()(shape),
        "normal": tf.random_normal_initializer(0.0, 2.0)(shape),
        "truncated": tf.truncated_normal_initializer(0.0, 1.0)(shape),
        "uniform": tf.random_uniform_initializer(-1.0, 1.0)(shape),
        "glorot": tf.glorot_uniform_initializer()(shape),
        "he": tf.variance_scaling_initializer(2.0)(shape),
    }
    with tf.Session() as sess:
        values = sess.run(inits)
    assert values["zeros"].sum() == 0 and values["ones"].mean() == 1
    assert abs(values["normal"].std() - 2.0) < 0.1
    assert np.abs(values["truncated"]).max() <= 2.0
    assert values["uniform"].min() >= -1.0 and values["uniform"].max() < 1.0
    limit = np.sqrt(6.0 / (200 + 300))
    assert np.abs(values["glorot"]).max() <= limit
    assert abs(values["he"].std() - np.sqrt(2.0 / 200)) < 0.01
    q = tf.orthogonal_initializer()((4, 4))
    with tf.Session() as sess:
        qv = sess.run(q)
    np.testing.assert_allclose(qv.T @ qv, np.eye(4), atol=1e-5)


def test_graph_variable_has_an_op_named_like_it_that_reads_its_value():
    with tf.Graph().as_default() as graph:
        v = tf.Variable(3.0, name="v1")
        tensor = graph.get_tensor_by_name("v1:0")
        assert graph.get_operation_by_name("v1") is tensor.op
        with tf.Session() as sess:
            sess.run(v.initializer)
            assert sess.run(tensor) == 3.0


def test_get_variable_builds_its_initializer_under_name_initializer():
    with tf.Graph().as_default() as graph:
        with tf.variable_scope("layer"):
            tf.get_variable("w", [2])
        init_ops = [op.name for op in graph.get_operations() if op.type not in ("ReadVariableOp", "AssignVariableOp")]
        assert init_ops and all(name.startswith("layer/w/Initializer/") for name in init_ops)
