"""compat.v1.layers: TF1 variable names, sharing, collections and values against NumPy references."""
import numpy as np
import pytest

import ndflow as tf

v1 = tf.compat.v1
layers = v1.layers


def _names(variables):
    return [v.name for v in variables]


def _conv2d_reference(x, w, b, stride=1, padding="VALID"):
    kh, kw = w.shape[:2]
    if padding == "SAME":
        ph, pw = kh - 1, kw - 1
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    n, h, wd, _ = x.shape
    oh, ow = (h - kh) // stride + 1, (wd - kw) // stride + 1
    out = np.zeros((n, oh, ow, w.shape[3]))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            out[:, i, j, :] = np.tensordot(patch, w, axes=([1, 2, 3], [0, 1, 2]))
    return out + b


def test_dense_names_values_and_default_uniquing():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 4])
        hidden = layers.dense(x, 3, activation=tf.nn.relu, name="hidden1")
        out1 = layers.dense(hidden, 2)
        out2 = layers.dense(hidden, 2)
        assert _names(v1.global_variables()) == ["hidden1/kernel:0", "hidden1/bias:0", "dense/kernel:0",
                                                 "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"]
        assert _names(v1.trainable_variables()) == _names(v1.global_variables())
        assert hidden.shape.as_list() == [None, 3] and out2.shape.as_list() == [None, 2]
        kernel, bias = v1.global_variables()[:2]
        assert kernel.shape.as_list() == [4, 3] and bias.shape.as_list() == [3]
        data = np.random.RandomState(0).randn(5, 4).astype(np.float32)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            w, b, h, o1, w1, b1 = sess.run([kernel, bias, hidden, out1, "dense/kernel:0", "dense/bias:0"],
                                           {x: data})
        np.testing.assert_allclose(h, np.maximum(data @ w + b, 0), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(o1, h @ w1 + b1, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(b, np.zeros(3))
        assert np.abs(w).max() <= np.sqrt(6 / 7) + 1e-6  # glorot uniform limit


def test_dense_reuse_and_already_exists_error():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 4])
        a = layers.dense(x, 3, name="shared")
        b = layers.dense(x, 3, name="shared", reuse=True)
        assert len(v1.global_variables()) == 2
        with v1.variable_scope("outer", reuse=v1.AUTO_REUSE):
            layers.dense(x, 3, name="auto")
            layers.dense(x, 3, name="auto")
        assert "outer/auto/kernel:0" in _names(v1.global_variables())
        assert len(v1.global_variables()) == 4
        with pytest.raises(ValueError, match="shared/kernel already exists"):
            layers.dense(x, 3, name="shared")
        data = np.ones((2, 4), np.float32)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            va, vb = sess.run([a, b], {x: data})
        np.testing.assert_array_equal(va, vb)


def test_dense_regularizers_and_rank3_inputs():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 2, 4])
        out = layers.dense(x, 3, kernel_regularizer=v1.contrib.layers.l2_regularizer(0.1),
                           activity_regularizer=lambda t: tf.reduce_sum(t) * 0.0 + 1.0, name="reg")
        reg_losses = v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)
        assert len(reg_losses) == 2
        assert out.shape.as_list() == [None, 2, 3]
        data = np.random.RandomState(1).randn(3, 2, 4).astype(np.float32)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            w, b, value, penalties = sess.run(["reg/kernel:0", "reg/bias:0", out, reg_losses], {x: data})
        np.testing.assert_allclose(value, data @ w + b, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(penalties[0], 0.1 * np.sum(w ** 2) / 2, rtol=1e-5)
        assert penalties[1] == 1.0


def test_dense_needs_known_last_dimension():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, None])
        with pytest.raises(ValueError, match="last dimension of the inputs to `Dense` should be defined"):
            layers.dense(x, 3)


def test_dropout_training_flag_python_and_tensor():
    with tf.Graph().as_default():
        x = tf.ones([200, 50])
        training = v1.placeholder_with_default(False, [])
        off = layers.dropout(x, 0.3, training=False)
        switched = layers.dropout(x, 0.5, training=training, seed=1)
        with v1.Session() as sess:
            np.testing.assert_array_equal(sess.run(off), np.ones((200, 50)))
            np.testing.assert_array_equal(sess.run(switched), np.ones((200, 50)))
            dropped = sess.run(switched, {training: True})
        assert set(np.unique(dropped)) <= {0.0, 2.0}
        assert 0.4 < np.mean(dropped == 0) < 0.6


def test_batch_normalization_training_updates_and_inference():
    data = np.random.RandomState(2).randn(8, 3).astype(np.float32) * 2 + 1
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 3])
        training = v1.placeholder_with_default(False, [])
        out = layers.batch_normalization(x, training=training, momentum=0.9)
        names = _names(v1.global_variables())
        assert names == ["batch_normalization/gamma:0", "batch_normalization/beta:0",
                         "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0"]
        assert _names(v1.trainable_variables()) == names[:2]
        updates = v1.get_collection(v1.GraphKeys.UPDATE_OPS)
        assert len(updates) == 2
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            inference = sess.run(out, {x: data})
            trained, _ = sess.run([out, updates], {x: data, training: True})
            moving_mean, moving_var = sess.run(["batch_normalization/moving_mean:0",
                                                "batch_normalization/moving_variance:0"])
    np.testing.assert_allclose(inference, data / np.sqrt(1 + 1e-3), rtol=1e-5)
    mean, var = data.mean(0), data.var(0)
    np.testing.assert_allclose(trained, (data - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(moving_mean, 0.1 * mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(moving_var, 0.9 + 0.1 * var, rtol=1e-5)


def test_batch_normalization_4d_updates_with_unbiased_variance():
    data = np.random.RandomState(3).randn(2, 3, 3, 2).astype(np.float32)
    with tf.Graph().as_default():
        out = layers.batch_normalization(tf.constant(data), training=True, momentum=0.5)
        updates = v1.get_collection(v1.GraphKeys.UPDATE_OPS)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run([out, updates])
            moving_var = sess.run("batch_normalization/moving_variance:0")
    np.testing.assert_allclose(moving_var, 0.5 + 0.5 * data.reshape(-1, 2).var(0, ddof=1), rtol=1e-5)


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv2d_and_pooling_against_numpy(padding):
    data = np.random.RandomState(4).randn(2, 6, 6, 3).astype(np.float32)
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 6, 6, 3])
        conv = layers.conv2d(x, 4, 3, padding=padding, activation=tf.nn.relu)
        pooled = layers.max_pooling2d(conv, 2, 2)
        averaged = layers.average_pooling2d(conv, [2, 2], [2, 2])
        flat = layers.flatten(pooled)
        assert _names(v1.global_variables()) == ["conv2d/kernel:0", "conv2d/bias:0"]
        assert v1.global_variables()[0].shape.as_list() == [3, 3, 3, 4]
        size = 6 if padding == "same" else 4
        assert conv.shape.as_list() == [None, size, size, 4]
        assert flat.shape.as_list() == [None, (size // 2) ** 2 * 4]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(v1.global_variables()[1].assign([0.1, -0.2, 0.3, 0.0]))
            w, b, c, p, a = sess.run(["conv2d/kernel:0", "conv2d/bias:0", conv, pooled, averaged], {x: data})
    expected = np.maximum(_conv2d_reference(data, w, b, padding=padding.upper()), 0)
    np.testing.assert_allclose(c, expected, rtol=1e-4, atol=1e-5)
    blocks = expected[:, :size // 2 * 2, :size // 2 * 2].reshape(2, size // 2, 2, size // 2, 2, 4)
    np.testing.assert_allclose(p, blocks.max(axis=(2, 4)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(a, blocks.mean(axis=(2, 4)), rtol=1e-5, atol=1e-6)


def test_conv1d_strides_and_reuse():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 10, 2])
        y = layers.conv1d(x, 5, 3, strides=2, name="c1")
        layers.conv1d(x, 5, 3, strides=2, name="c1", reuse=True)
        assert y.shape.as_list() == [None, 4, 5]
        assert _names(v1.global_variables()) == ["c1/kernel:0", "c1/bias:0"]


def test_layer_classes_eagerly_with_gradients():
    layer = layers.Dense(2, activation=tf.nn.tanh, name="eager_dense")
    data = np.random.RandomState(5).randn(3, 4).astype(np.float32)
    with tf.GradientTape() as tape:
        out = layer(data)
        loss = tf.reduce_sum(out)
    w, b = (v.numpy() for v in layer.variables)
    assert [v.name for v in layer.trainable_variables] == ["eager_dense/kernel:0", "eager_dense/bias:0"]
    np.testing.assert_allclose(out.numpy(), np.tanh(data @ w + b), rtol=1e-5, atol=1e-6)
    grad_w, grad_b = tape.gradient(loss, layer.variables)
    np.testing.assert_allclose(grad_b.numpy(), (1 - np.tanh(data @ w + b) ** 2).sum(0), rtol=1e-5)
    np.testing.assert_allclose(layer(data).numpy(), out.numpy())  # same weights on the second call
    assert len(layer.variables) == 2


def test_batch_normalization_eager_training_updates_immediately():
    layer = layers.BatchNormalization(momentum=0.5)
    data = np.random.RandomState(6).randn(4, 2).astype(np.float32)
    layer(data, training=True)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.5 * data.mean(0), rtol=1e-5, atol=1e-6)
    assert [v.name for v in layer.non_trainable_variables] == ["batch_normalization/moving_mean:0",
                                                               "batch_normalization/moving_variance:0"]


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="padding"):
        layers.Conv2D(2, 3, padding="full")
    with pytest.raises(ValueError, match="kernel_size"):
        layers.Conv2D(2, (3, 3, 3))
    with pytest.raises(TypeError, match="Keyword argument not understood"):
        layers.Dense(2, bogus=1)


def test_layer_object_in_a_graph_reports_losses_and_updates():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 3])
        dense = layers.Dense(2, kernel_regularizer=v1.contrib.layers.l1_regularizer(0.5), name="reg_dense")
        norm = layers.BatchNormalization()
        out = norm(dense(x), training=True)
        dense(x)  # a second call shares the weights
        assert len(dense.variables) == 2 and len(v1.global_variables()) == 6
        assert len(dense.losses) == 1 and len(norm.updates) == 2
        assert out.shape.as_list() == [None, 2]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            kernel, penalty = sess.run([dense.kernel, dense.losses[0]])
        np.testing.assert_allclose(penalty, 0.5 * np.abs(kernel).sum(), rtol=1e-5)


def test_conv2d_transpose_eagerly_with_gradients():
    layer = layers.Conv2DTranspose(2, 3, strides=2, padding="same")
    data = np.random.RandomState(7).randn(1, 3, 3, 4).astype(np.float32)
    with tf.GradientTape() as tape:
        out = layer(data)
        loss = tf.reduce_sum(out)
    assert out.shape == (1, 6, 6, 2) and layer.kernel.shape == (3, 3, 2, 4)
    grad_kernel, grad_bias = tape.gradient(loss, [layer.kernel, layer.bias])
    np.testing.assert_allclose(grad_bias.numpy(), [36.0, 36.0])
    assert grad_kernel.shape == (3, 3, 2, 4)
