"""contrib.layers / contrib.framework / contrib.slim: TF1 names, arg_scope defaults and values vs NumPy."""
import numpy as np
import pytest

import ndflow as tf

v1 = tf.compat.v1
contrib = v1.contrib
fully_connected = contrib.layers.fully_connected
arg_scope = contrib.framework.arg_scope
slim = contrib.slim


def _names(variables):
    return [v.name for v in variables]


def test_fully_connected_names_default_relu_and_values():
    data = np.random.RandomState(0).randn(4, 3).astype(np.float32)
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 3])
        h1 = fully_connected(x, 5, scope="hidden_1")
        h2 = fully_connected(h1, 2)
        h3 = fully_connected(h1, 2, activation_fn=None)
        assert _names(v1.global_variables()) == [
            "hidden_1/weights:0", "hidden_1/biases:0", "fully_connected/weights:0", "fully_connected/biases:0",
            "fully_connected_1/weights:0", "fully_connected_1/biases:0"]
        assert _names(v1.get_collection(v1.GraphKeys.MODEL_VARIABLES)) == _names(v1.global_variables())
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            w1, b1, w3, b3, o1, o3 = sess.run(["hidden_1/weights:0", "hidden_1/biases:0",
                                               "fully_connected_1/weights:0", "fully_connected_1/biases:0", h1, h3],
                                              {x: data})
    np.testing.assert_allclose(o1, np.maximum(data @ w1 + b1, 0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(o3, o1 @ w3 + b3, rtol=1e-5, atol=1e-6)
    assert h2.shape.as_list() == [None, 2]
    with pytest.raises(ValueError, match="num_outputs"):
        fully_connected(tf.ones([2, 3]), 2.5)


def test_arg_scope_supplies_defaults_and_explicit_arguments_win():
    data = np.random.RandomState(1).randn(3, 4).astype(np.float32)
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 4])
        with arg_scope([fully_connected], activation_fn=tf.nn.elu,
                       weights_initializer=contrib.layers.variance_scaling_initializer(),
                       weights_regularizer=contrib.layers.l2_regularizer(0.01)):
            hidden = fully_connected(x, 3)
            out = fully_connected(hidden, 2, activation_fn=None, scope="outputs")
        plain = fully_connected(x, 3, scope="plain")
        reg = v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)
        assert len(reg) == 2
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            w, b, h, o, wo, bo, p, wp, bp, penalties = sess.run(
                ["fully_connected/weights:0", "fully_connected/biases:0", hidden, out, "outputs/weights:0",
                 "outputs/biases:0", plain, "plain/weights:0", "plain/biases:0", reg], {x: data})
    z = data @ w + b
    np.testing.assert_allclose(h, np.where(z > 0, z, np.expm1(z)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(o, h @ wo + bo, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(p, np.maximum(data @ wp + bp, 0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(penalties[0], 0.01 * np.sum(w ** 2) / 2, rtol=1e-5)


def test_arg_scope_nesting_reuse_and_errors():
    with arg_scope([slim.conv2d, slim.max_pool2d], padding="SAME") as outer:
        with arg_scope([slim.conv2d], stride=2):
            inner = contrib.framework.current_arg_scope()
        assert contrib.framework.current_arg_scope() is outer
    key_conv = slim.conv2d._key_op
    assert inner[key_conv] == {"padding": "SAME", "stride": 2}
    assert outer[key_conv] == {"padding": "SAME"}
    with arg_scope(inner):
        assert contrib.framework.current_arg_scope() is inner
    with pytest.raises(ValueError, match="kwargs must be empty"):
        with arg_scope(inner, stride=1):
            pass
    with pytest.raises(ValueError, match="is not decorated with @add_arg_scope"):
        with arg_scope([tf.nn.relu], x=1):
            pass

    @contrib.framework.add_arg_scope
    def scaled(value, factor=1):
        return value * factor

    with arg_scope([scaled], factor=3):
        assert scaled(2) == 6
        assert scaled(2, factor=5) == 10
    assert contrib.framework.has_arg_scope(scaled)
    assert contrib.framework.arg_scoped_arguments(scaled) == ["value", "factor"]


def test_slim_conv2d_pool_and_names():
    data = np.random.RandomState(2).randn(1, 6, 6, 1).astype(np.float32)
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 6, 6, 1])
        net = slim.conv2d(x, num_outputs=4, kernel_size=[3, 3], stride=1, padding="VALID")
        same = slim.conv2d(x, 2, 3)
        pooled = slim.max_pool2d(same, 2)
        averaged = slim.avg_pool2d(same, kernel_size=3, stride=2)
        assert _names(v1.global_variables()) == ["Conv/weights:0", "Conv/biases:0", "Conv_1/weights:0",
                                                 "Conv_1/biases:0"]
        assert v1.global_variables()[0].shape.as_list() == [3, 3, 1, 4]
        assert net.shape.as_list() == [None, 4, 4, 4] and same.shape.as_list() == [None, 6, 6, 2]
        assert pooled.shape.as_list() == [None, 3, 3, 2] and averaged.shape.as_list() == [None, 2, 2, 2]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            w, b, out = sess.run(["Conv/weights:0", "Conv/biases:0", net], {x: data})
    expected = np.zeros((1, 4, 4, 4))
    for i in range(4):
        for j in range(4):
            expected[0, i, j] = np.tensordot(data[0, i:i + 3, j:j + 3], w, axes=([0, 1, 2], [0, 1, 2]))
    np.testing.assert_allclose(out, np.maximum(expected + b, 0), rtol=1e-4, atol=1e-5)


def test_slim_inception_mixed_7c_module():
    """The spec's Inception-v3 ``Mixed_7c`` module, built under one arg_scope."""
    with tf.Graph().as_default():
        net = v1.placeholder(tf.float32, [None, 4, 4, 8])
        with arg_scope([slim.conv2d, slim.max_pool2d, slim.avg_pool2d], stride=1, padding="SAME"):
            with v1.variable_scope("Mixed_7c"):
                with v1.variable_scope("Branch_0"):
                    branch_0 = slim.conv2d(net, 320, 1, scope="Conv2d_0a_1x1")
                with v1.variable_scope("Branch_1"):
                    branch_1 = slim.conv2d(net, 384, 1, scope="Conv2d_0a_1x1")
                    branch_1 = tf.concat([slim.conv2d(branch_1, 384, [1, 3], scope="Conv2d_0b_1x3"),
                                          slim.conv2d(branch_1, 384, [3, 1], scope="Conv2d_0c_3x1")], 3)
                with v1.variable_scope("Branch_2"):
                    branch_2 = slim.conv2d(net, 448, 1, scope="Conv2d_0a_1x1")
                    branch_2 = slim.conv2d(branch_2, 384, 3, scope="Conv2d_0b_3x3")
                    branch_2 = tf.concat([slim.conv2d(branch_2, 384, [1, 3], scope="Conv2d_0c_1x3"),
                                          slim.conv2d(branch_2, 384, [3, 1], scope="Conv2d_0d_3x1")], 3)
                with v1.variable_scope("Branch_3"):
                    branch_3 = slim.avg_pool2d(net, 3, scope="AvgPool_0a_3x3")
                    branch_3 = slim.conv2d(branch_3, 192, 1, scope="Conv2d_0b_1x1")
                out = tf.concat([branch_0, branch_1, branch_2, branch_3], 3)
        assert out.shape.as_list() == [None, 4, 4, 2048]
        assert "Mixed_7c/Branch_1/Conv2d_0b_1x3/weights:0" in _names(v1.global_variables())
        assert v1.get_default_graph().get_tensor_by_name(
            "Mixed_7c/Branch_1/Conv2d_0c_3x1/weights:0").shape.as_list() == [3, 1, 384, 384]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            value = sess.run(out, {net: np.ones((1, 4, 4, 8), np.float32)})
        assert value.shape == (1, 4, 4, 2048) and np.all(value >= 0)


def test_fully_connected_with_batch_norm_normalizer():
    data = np.random.RandomState(3).randn(6, 3).astype(np.float32)
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 3])
        training = v1.placeholder_with_default(False, [])
        out = fully_connected(x, 2, normalizer_fn=contrib.layers.batch_norm,
                              normalizer_params={"is_training": training, "decay": 0.9})
        assert _names(v1.global_variables()) == [
            "fully_connected/weights:0", "fully_connected/BatchNorm/beta:0",
            "fully_connected/BatchNorm/moving_mean:0", "fully_connected/BatchNorm/moving_variance:0"]
        updates = v1.get_collection(v1.GraphKeys.UPDATE_OPS)
        assert len(updates) == 2
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            w = sess.run("fully_connected/weights:0")
            value, _ = sess.run([out, updates], {x: data, training: True})
            moving_mean = sess.run("fully_connected/BatchNorm/moving_mean:0")
    z = data @ w
    np.testing.assert_allclose(value, np.maximum((z - z.mean(0)) / np.sqrt(z.var(0) + 1e-3), 0), rtol=1e-4,
                               atol=1e-5)
    np.testing.assert_allclose(moving_mean, 0.1 * z.mean(0), rtol=1e-4, atol=1e-6)


def test_batch_norm_updates_in_place_without_collection():
    data = np.arange(6, dtype=np.float32).reshape(3, 2)
    with tf.Graph().as_default():
        out = contrib.layers.batch_norm(tf.constant(data), decay=0.5, updates_collections=None, scale=True)
        assert not v1.get_collection(v1.GraphKeys.UPDATE_OPS)
        assert "BatchNorm/gamma:0" in _names(v1.global_variables())
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(out)
            np.testing.assert_allclose(sess.run("BatchNorm/moving_mean:0"), 0.5 * data.mean(0), rtol=1e-6)


def test_dropout_flatten_and_regularizers():
    with tf.Graph().as_default():
        x = tf.ones([100, 2, 5])
        kept = contrib.layers.dropout(x, keep_prob=0.5, is_training=False)
        dropped = contrib.layers.dropout(x, keep_prob=0.5)
        flat = contrib.layers.flatten(x)
        with v1.Session() as sess:
            k, d, f = sess.run([kept, dropped, flat])
    np.testing.assert_array_equal(k, np.ones((100, 2, 5)))
    assert set(np.unique(d)) <= {0.0, 2.0} and 0.35 < np.mean(d == 0) < 0.65
    assert f.shape == (100, 10)


def test_optimize_loss_takes_one_sgd_step_and_increments_global_step():
    with tf.Graph().as_default():
        w = v1.get_variable("w", initializer=tf.constant([1.0, -2.0]))
        loss = tf.reduce_sum(tf.square(w))
        step = v1.train.get_or_create_global_step()
        train = contrib.layers.optimize_loss(loss, step, learning_rate=0.1, optimizer="SGD")
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            returned = sess.run(train)
            np.testing.assert_allclose(sess.run(w), [1.0 - 0.1 * 2.0, -2.0 + 0.1 * 4.0], rtol=1e-6)
            assert returned == pytest.approx(5.0) and sess.run(step) == 1
        with pytest.raises(ValueError, match="Optimizer name should be one of"):
            contrib.layers.optimize_loss(loss, step, 0.1, "Nope")


def test_framework_variable_helpers():
    with tf.Graph().as_default():
        with v1.variable_scope("block"):
            fully_connected(tf.ones([1, 2]), 3)
        v1.get_variable("other", [1])
        framework = contrib.framework
        assert _names(framework.get_variables("block")) == ["block/fully_connected/weights:0",
                                                            "block/fully_connected/biases:0"]
        assert _names(framework.get_variables_by_name("weights")) == ["block/fully_connected/weights:0"]
        assert _names(framework.get_model_variables()) == _names(framework.get_variables("block"))
        assert _names(framework.get_variables_to_restore(exclude=["block"])) == ["other:0"]
        assert framework.get_or_create_global_step() is v1.train.get_global_step()
