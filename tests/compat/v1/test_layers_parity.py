"""compat.v1.layers against TF's own TF1 layers (TF 2.21 keeps them internally, in
``tensorflow.python.keras.legacy_tf_layers``): variable names, shapes and outputs given the same weights."""
import numpy as np
import pytest

import ndflow as tf

real_tf = pytest.importorskip("tensorflow")
legacy = pytest.importorskip("tensorflow.python.keras.legacy_tf_layers")
pytestmark = [pytest.mark.parity, pytest.mark.filterwarnings("ignore::UserWarning")]

DATA = np.random.RandomState(0).randn(2, 6, 6, 3).astype(np.float32)
SEQ = np.random.RandomState(1).randn(2, 7, 3).astype(np.float32)


def _ours():
    layers = tf.compat.v1.layers
    return tf, layers, layers, layers


def _theirs():
    from tensorflow.python.keras.legacy_tf_layers import convolutional, core, pooling

    return real_tf, core, convolutional, pooling


def _build_and_run(module, core, conv, pool):
    v1 = module.compat.v1
    with module.Graph().as_default():
        images = v1.placeholder(module.float32, [None, 6, 6, 3])
        seq = v1.placeholder(module.float32, [None, 7, 3])
        c1 = conv.conv2d(images, 4, 3, strides=2, padding="same", activation=module.nn.relu)
        c2 = conv.conv2d(images, 2, (2, 3), padding="valid", dilation_rate=(2, 1), use_bias=False, name="dil")
        s1 = conv.conv1d(seq, 3, 2, strides=1, padding="same")
        p1 = pool.max_pooling2d(c1, 2, 1, padding="same")
        p2 = pool.average_pooling2d(c2, (2, 2), (1, 2))
        p3 = pool.max_pooling1d(s1, 3, 2)
        t1 = conv.conv2d_transpose(c1, 2, 3, strides=2, padding="same")
        t2 = conv.conv2d_transpose(images, 3, (2, 3), strides=(2, 1), activation=module.nn.relu)
        flat = core.flatten(p1)
        hidden = core.dense(flat, 5, activation=module.nn.tanh, name="hidden1")
        out = core.dense(hidden, 2)
        seq_dense = core.dense(s1, 4)
        dropped = core.dropout(out, 0.5, training=False)
        variables = v1.global_variables()
        rng = np.random.RandomState(42)
        values = [rng.randn(*v.shape.as_list()).astype(np.float32) * 0.5 for v in variables]
        outputs = [c1, c2, s1, p1, p2, p3, t1, t2, flat, hidden, out, seq_dense, dropped]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run([var.assign(value) for var, value in zip(variables, values)])
            results = sess.run(outputs, {images: DATA, seq: SEQ})
        return ([(v.name, v.shape.as_list()) for v in variables], [t.shape.as_list() for t in outputs], results)


def test_layers_match_tensorflow_tf1_layers():
    their_vars, their_shapes, theirs = _build_and_run(*_theirs())
    our_vars, our_shapes, ours = _build_and_run(*_ours())
    assert our_vars == their_vars
    assert our_shapes == their_shapes
    for expected, got in zip(theirs, ours):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_dense_reuse_and_regularization_match_tensorflow():
    def run(module, core):
        v1 = module.compat.v1
        with module.Graph().as_default():
            x = v1.placeholder(module.float32, [None, 3])
            reg = lambda w: module.reduce_sum(module.abs(w)) * 0.1  # noqa: E731
            a = core.dense(x, 2, kernel_regularizer=reg, bias_regularizer=reg, name="shared")
            core.dense(x, 2, name="shared", reuse=True)
            with v1.variable_scope("block"):
                core.dense(x, 2)
                core.dense(x, 2)
            names = [v.name for v in v1.global_variables()]
            losses = v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)
            with v1.Session() as sess:
                sess.run(v1.global_variables_initializer())
                kernel = sess.run(v1.global_variables()[0])
                return names, len(losses), kernel.shape, a.shape.as_list()

    from tensorflow.python.keras.legacy_tf_layers import core

    assert run(tf, tf.compat.v1.layers) == run(real_tf, core)
