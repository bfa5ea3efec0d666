"""Testable claims T1–T23, T34–T36, T48 of the spec's TF2 notes (inventory 003.md)."""
import numpy as np
import pytest

import ndflow as tf


def test_t1_t2_t3_creation_and_dtypes():
    r = tf.range(10, delta=2)
    assert r.dtype == tf.int32
    np.testing.assert_array_equal(r.numpy(), [0, 2, 4, 6, 8])
    u = tf.random.uniform([1000], minval=2.0, maxval=3.0)
    assert float(tf.reduce_min(u)) >= 2.0 and float(tf.reduce_max(u)) < 3.0
    assert tf.constant(1.2).dtype == tf.float32 and tf.constant(1.2).shape == []
    assert tf.constant([1, 2, 3]).dtype == tf.int32
    t = tf.convert_to_tensor(np.array([[1, 2.0], [3, 4]]))
    assert t.dtype == tf.float64 and t.shape == (2, 2)
    half = tf.constant(np.pi, dtype=tf.float16)
    assert str(half.numpy()) == "3.14"
    assert float(tf.cast(half, tf.double)) == 3.140625


def test_t4_variables_trainable_flag():
    assert tf.Variable(1.0).trainable and not tf.Variable(1.0, trainable=False).trainable


def test_t5_to_t10_indexing_and_shape_ops():
    x = tf.random.normal([4, 32, 32, 3])
    assert x[1, 9, 1].shape == (3,)
    np.testing.assert_array_equal(x[1, 9, 1].numpy(), x[1][9][1].numpy())
    np.testing.assert_array_equal(x[0, ::].numpy(), x[0].numpy())
    assert tf.reshape(x, [2, -1]).shape == (2, 6144)
    img = tf.zeros([28, 28])
    assert tf.expand_dims(img, axis=2).shape == (28, 28, 1)
    assert tf.expand_dims(img, axis=0).shape == (1, 28, 28)
    assert tf.squeeze(tf.zeros([1, 28, 28]), axis=0).shape == (28, 28)
    assert tf.squeeze(tf.zeros([1, 28, 1, 28, 1])).shape == (28, 28)
    assert tf.transpose(x, perm=[0, 3, 1, 2]).shape == (4, 3, 32, 32)
    np.testing.assert_array_equal(tf.tile([[1, 2]], [2, 1]).numpy(), [[1, 2], [1, 2]])
    assert tf.tile(tf.zeros([4, 28, 28, 1]), [2, 3, 3, 1]).shape == (8, 84, 84, 1)


def test_t11_batched_matmul():
    a, b = tf.random.normal([4, 3, 28, 32]), tf.random.normal([4, 3, 32, 2])
    assert (a @ b).shape == (4, 3, 28, 2)
    np.testing.assert_allclose(tf.matmul(a, b).numpy(), a.numpy() @ b.numpy(), rtol=1e-4, atol=1e-4)


def test_t12_to_t15_merge_and_split():
    a, b = tf.random.normal([35, 8]), tf.random.normal([35, 8])
    assert tf.stack([a, b], axis=0).shape == (2, 35, 8)
    assert tf.stack([a, b], axis=-1).shape == (35, 8, 2)
    assert tf.concat([tf.zeros([4, 35, 8]), tf.zeros([6, 35, 8])], axis=0).shape == (10, 35, 8)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.concat([tf.zeros([4, 35, 8]), tf.zeros([6, 34, 8])], axis=0)
    x = tf.zeros([10, 35, 8])
    parts = tf.split(x, num_or_size_splits=[4, 2, 2, 2], axis=0)
    assert len(parts) == 4 and [p.shape.as_list() for p in parts] == [[4, 35, 8]] + [[2, 35, 8]] * 3
    assert len(tf.split(x, 2, axis=0)) == 2
    pieces = tf.unstack(x, axis=0)
    assert len(pieces) == 10 and pieces[0].shape == (35, 8)


def test_t16_t17_norms_and_reductions():
    v = tf.constant([3.0, -4.0])
    assert float(tf.norm(v, ord=1)) == 7.0
    assert float(tf.norm(v)) == 5.0
    assert float(tf.norm(v, ord=np.inf)) == 4.0
    m = tf.constant([[1.0, 5.0], [3.0, 2.0]])
    assert float(tf.reduce_max(m)) == 5.0 and float(tf.reduce_sum(m)) == 11.0
    assert float(tf.reduce_mean(m)) == 2.75
    np.testing.assert_array_equal(tf.argmax(m, axis=1).numpy(), [1, 0])
    np.testing.assert_array_equal(tf.argmin(m, axis=0).numpy(), [0, 1])
    np.testing.assert_array_equal(tf.equal(m, 5.0).numpy(), [[False, True], [False, False]])


def test_t18_t19_pad_and_clipping():
    assert tf.pad(tf.zeros([4, 28, 28, 1]), [[0, 0], [2, 2], [2, 2], [0, 0]]).shape == (4, 32, 32, 1)
    x = tf.constant([-2.0, 0.5, 3.0])
    np.testing.assert_array_equal(tf.maximum(x, 0.0).numpy(), [0.0, 0.5, 3.0])
    np.testing.assert_array_equal(tf.minimum(x, 1.0).numpy(), [-2.0, 0.5, 1.0])
    np.testing.assert_array_equal(tf.clip_by_value(x, -1.0, 1.0).numpy(), [-1.0, 0.5, 1.0])


def test_t20_to_t23_advanced_indexing():
    x = tf.random.normal([4, 35, 8])
    assert tf.gather(x, [0, 3, 8], axis=1).shape == (4, 3, 8)
    g = tf.gather(x, [3, 1, 0], axis=0)
    assert g.shape == (3, 35, 8)
    np.testing.assert_array_equal(g[0].numpy(), x[3].numpy())
    assert tf.gather_nd(x, [[1, 1], [2, 2], [3, 3]]).shape == (3, 8)
    masked = tf.boolean_mask(x, [True, False, False, True], axis=0)
    assert masked.shape == (2, 35, 8)
    with pytest.raises(ValueError):
        tf.boolean_mask(x, [True, False, False], axis=0)
    m = tf.constant([[1.0, -2, 3], [-4, 5, -6], [7, 8, -9]])
    positive = m > 0
    np.testing.assert_array_equal(tf.boolean_mask(m, positive).numpy(), [1, 3, 5, 7, 8])
    idx = tf.where(positive)
    assert idx.dtype == tf.int64
    np.testing.assert_array_equal(idx.numpy(), [[0, 0], [0, 2], [1, 1], [2, 0], [2, 1]])
    np.testing.assert_array_equal(tf.where(positive, m, tf.zeros_like(m)).numpy(),
                                  np.where(m.numpy() > 0, m.numpy(), 0))
    scattered = tf.scatter_nd(tf.constant([[4], [3], [1], [7]]), tf.constant([4.4, 3.3, 1.1, 7.7]), [8])
    np.testing.assert_allclose(scattered.numpy(), [0, 1.1, 0, 3.3, 4.4, 0, 0, 7.7])
    gx, gy = tf.meshgrid(tf.linspace(-8.0, 8, 100), tf.linspace(-8.0, 8, 100))
    assert gx.shape == (100, 100) and gy.shape == (100, 100)


def test_t34_activation_derivatives():
    x = tf.constant(np.linspace(-3, 3, 13), dtype=tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        s = tf.sigmoid(x)
        th = tf.tanh(x)
    np.testing.assert_allclose(tape.gradient(s, x).numpy(), (s * (1 - s)).numpy(), rtol=1e-12)
    np.testing.assert_allclose(tape.gradient(th, x).numpy(), (1 - th * th).numpy(), rtol=1e-12)
    np.testing.assert_allclose((2 * tf.sigmoid(2 * x) - 1).numpy(), th.numpy(), atol=1e-12)


def himmelblau(x):
    return (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2


def test_t35_himmelblau_gradient_descent():
    x = tf.constant([4.0, 0.0])
    for _ in range(200):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = himmelblau(x)
        grads = tape.gradient(y, [x])[0]
        x = x - 0.01 * grads
    np.testing.assert_allclose(x.numpy(), [3.5844283, -1.8481264], rtol=1e-5)
    assert float(himmelblau(x)) < 1e-8


def test_t36_second_derivative_of_linear_function_is_none():
    w, b, x = tf.Variable(2.0), tf.Variable(1.0), tf.constant(3.0)
    with tf.GradientTape() as t1:
        with tf.GradientTape() as t2:
            y = x * w + b
        dy_dw, dy_db = t2.gradient(y, [w, b])
    assert float(dy_dw) == 3.0 and float(dy_db) == 1.0
    assert t1.gradient(dy_dw, w) is None
    with tf.GradientTape() as t1:
        with tf.GradientTape() as t2:
            y = x * w * w
        dy_dw = t2.gradient(y, w)
    assert float(t1.gradient(dy_dw, w)) == 6.0


def test_t48_clip_by_norm_and_global_norm():
    np.testing.assert_allclose(tf.clip_by_norm(tf.constant([3.0, 4.0]), 1.0).numpy(), [0.6, 0.8], rtol=1e-6)
    grads = [tf.random.normal([3, 3]) * 10, tf.random.normal([3]) * 10]
    clipped, norm = tf.clip_by_global_norm(grads, 2.0)
    original = np.sqrt(sum(float(tf.reduce_sum(g * g)) for g in grads))
    assert float(norm) == pytest.approx(original, rel=1e-5)
    new_norm = np.sqrt(sum(float(tf.reduce_sum(g * g)) for g in clipped))
    assert new_norm == pytest.approx(2.0, rel=1e-5)
