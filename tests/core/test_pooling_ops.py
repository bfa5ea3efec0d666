"""Pooling: values against direct-loop NumPy references, TF's SAME rules, argmax indices, errors, gradients."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.errors import InvalidArgumentError, UnimplementedError
from tests.gradcheck import check_gradients

RS = np.random.RandomState(1)


def same_pads(n, k, s):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def ref_pool(x, ksize, strides, pads, kind, dilations=None):
    """Channels-last N-D pooling by loops; max ignores padding, avg divides by the real inputs covered."""
    nd = x.ndim - 2
    dil = dilations or (1,) * nd
    sizes = x.shape[1:-1]
    outs = [(n + lo + hi - (k - 1) * d - 1) // s + 1 for n, (lo, hi), k, s, d in zip(sizes, pads, ksize, strides, dil)]
    y = np.zeros((x.shape[0], *outs, x.shape[-1]))
    for pos in np.ndindex(*outs):
        taps = []
        for offs in np.ndindex(*ksize):
            src = [p * s + o * d - lo for p, s, o, d, (lo, _) in zip(pos, strides, offs, dil, pads)]
            if all(0 <= c < n for c, n in zip(src, sizes)):
                taps.append(x[(slice(None), *src)])
        stacked = np.stack(taps)
        y[(slice(None), *pos)] = stacked.max(0) if kind == "MAX" else stacked.mean(0)
    return y


def grad_of(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x).numpy()


X = RS.randn(2, 5, 6, 3)


@pytest.mark.parametrize("name", ["max_pool", "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool", "avg_pool1d",
                                  "avg_pool2d", "avg_pool3d", "pool", "max_pool_with_argmax"])
def test_exported_in_nn(name):
    assert callable(getattr(tf.nn, name))


def test_spec_two_by_two_halves_height_and_width():
    assert tf.nn.max_pool2d(tf.ones([4, 28, 28, 6]), 2, 2, "VALID").shape == (4, 14, 14, 6)
    assert tf.nn.max_pool(tf.ones([1, 4, 4, 16]), [1, 3, 3, 1], [1, 2, 2, 1], "SAME").shape == (1, 2, 2, 16)


# ---------------------------------------------------------------------------------------------------------
# Values


@pytest.mark.parametrize("kind", ["MAX", "AVG"])
@pytest.mark.parametrize("ksize,strides", [(2, 2), (3, 1), ([2, 3], [1, 2]), (3, 2)])
@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_pool2d_matches_reference(kind, ksize, strides, padding):
    k = (ksize, ksize) if isinstance(ksize, int) else tuple(ksize)
    s = (strides, strides) if isinstance(strides, int) else tuple(strides)
    pads = [same_pads(n, kk, ss) for n, kk, ss in zip((5, 6), k, s)] if padding == "SAME" else [(0, 0)] * 2
    fn = tf.nn.max_pool2d if kind == "MAX" else tf.nn.avg_pool2d
    out = fn(X, ksize, strides, padding)
    np.testing.assert_allclose(out.numpy(), ref_pool(X, k, s, pads, kind), rtol=1e-12)


def test_avg_pool_same_divides_by_real_inputs():
    x = np.arange(9.0, dtype=np.float32).reshape(1, 3, 3, 1)
    np.testing.assert_allclose(tf.nn.avg_pool2d(x, 2, 2, "SAME").numpy().ravel(), [2, 3.5, 6.5, 8])


def test_max_pool_explicit_padding():
    x = -np.abs(X) - 1  # all negative: zero padding would win if padding took part
    pads = [[0, 0], [1, 1], [0, 1], [0, 0]]
    out = tf.nn.max_pool2d(x, 2, 2, pads)
    np.testing.assert_allclose(out.numpy(), ref_pool(x, (2, 2), (2, 2), [(1, 1), (0, 1)], "MAX"), rtol=1e-12)


def test_max_pool_across_depth():
    x = RS.randn(2, 3, 3, 6)
    out = tf.nn.max_pool(x, (1, 1, 1, 3), (1, 1, 1, 3), "VALID")
    np.testing.assert_allclose(out.numpy(), x.reshape(2, 3, 3, 2, 3).max(-1))


@pytest.mark.parametrize("kind", ["MAX", "AVG"])
def test_channels_first_matches_channels_last(kind):
    fn = tf.nn.max_pool2d if kind == "MAX" else tf.nn.avg_pool2d
    out = fn(np.moveaxis(X, -1, 1), 3, 2, "SAME", data_format="NCHW")
    np.testing.assert_allclose(np.moveaxis(out.numpy(), 1, -1), fn(X, 3, 2, "SAME").numpy(), rtol=1e-12)


@pytest.mark.parametrize("kind", ["MAX", "AVG"])
def test_pool1d_and_pool3d(kind):
    x1 = RS.randn(2, 7, 3)
    x3 = RS.randn(1, 4, 5, 3, 2).astype(np.float32)
    f1, f3 = (tf.nn.max_pool1d, tf.nn.max_pool3d) if kind == "MAX" else (tf.nn.avg_pool1d, tf.nn.avg_pool3d)
    np.testing.assert_allclose(f1(x1, 3, 2, "SAME").numpy(), ref_pool(x1, (3,), (2,), [(1, 1)], kind), rtol=1e-12)
    out = f3(x3, [2, 2, 2], [1, 2, 2], "SAME")
    pads = [same_pads(n, 2, s) for n, s in zip((4, 5, 3), (1, 2, 2))]
    np.testing.assert_allclose(out.numpy(), ref_pool(x3, (2, 2, 2), (1, 2, 2), pads, kind), rtol=1e-6)
    generic = tf.nn.max_pool if kind == "MAX" else tf.nn.avg_pool
    np.testing.assert_allclose(generic(x1, 3, 2, "SAME").numpy(), f1(x1, 3, 2, "SAME").numpy())


@pytest.mark.parametrize("kind", ["MAX", "AVG"])
def test_generic_pool_with_dilations(kind):
    x = RS.randn(1, 7, 7, 2)
    out = tf.nn.pool(x, [2, 2], kind, padding="VALID", dilations=[2, 2])
    np.testing.assert_allclose(out.numpy(), ref_pool(x, (2, 2), (1, 1), [(0, 0)] * 2, kind, (2, 2)), rtol=1e-12)
    out = tf.nn.pool(x[:, 0], [3], kind, strides=[2], padding="SAME")
    np.testing.assert_allclose(out.numpy(), ref_pool(x[:, 0], (3,), (2,), [(1, 1)], kind), rtol=1e-12)


@pytest.mark.parametrize("dtype", [tf.int32, tf.int64, tf.uint8, tf.float16, tf.bfloat16, tf.float64])
def test_max_pool_dtypes(dtype):
    x = tf.cast(tf.constant(np.arange(2 * 4 * 4 * 2).reshape(2, 4, 4, 2) % 7), dtype)
    out = tf.nn.max_pool2d(x, 2, 2, "SAME")
    assert out.dtype == dtype
    np.testing.assert_array_equal(out.numpy(), x.numpy().reshape(2, 2, 2, 2, 2, 2).max(axis=(2, 4)))


def test_avg_pool_half_precision_keeps_dtype():
    out = tf.nn.avg_pool2d(tf.ones([1, 4, 4, 1], tf.float16), 2, 2, "VALID")
    assert out.dtype == tf.float16


def test_max_pool_with_argmax_indices():
    x = RS.randn(2, 4, 5, 3).astype(np.float32)
    out, argmax = tf.nn.max_pool_with_argmax(x, 2, 2, "SAME")
    assert argmax.dtype == tf.int64
    np.testing.assert_array_equal(out.numpy(), tf.nn.max_pool2d(x, 2, 2, "SAME").numpy())
    per_image = x.reshape(2, -1)
    gathered = np.take_along_axis(per_image, argmax.numpy().reshape(2, -1), axis=1)
    np.testing.assert_array_equal(gathered.reshape(out.shape), out.numpy())
    _, with_batch = tf.nn.max_pool_with_argmax(x, 2, 2, "SAME", output_dtype=tf.int32, include_batch_in_index=True)
    assert with_batch.dtype == tf.int32
    np.testing.assert_array_equal(x.reshape(-1)[with_batch.numpy()], out.numpy())


def test_ties_go_to_the_first_element():
    x = np.array([[1, 3, 3], [2, 3, 0], [5, 1, 5]], np.float32).reshape(1, 3, 3, 1)
    _, argmax = tf.nn.max_pool_with_argmax(x, 2, 1, "VALID")
    np.testing.assert_array_equal(argmax.numpy().ravel(), [1, 1, 6, 8])
    g = grad_of(lambda t: tf.nn.max_pool2d(t, 2, 1, "VALID"), x)
    np.testing.assert_array_equal(g.ravel(), [0, 2, 0, 0, 0, 0, 1, 0, 1])
    g = grad_of(lambda t: tf.nn.max_pool2d(t, 2, 1, "SAME"), x)
    np.testing.assert_array_equal(g.ravel(), [0, 2, 1, 0, 0, 0, 2, 0, 4])
    g = grad_of(lambda t: tf.nn.max_pool_with_argmax(t, 2, 1, "VALID")[0], x)
    np.testing.assert_array_equal(g.ravel(), [0, 2, 0, 0, 0, 0, 1, 0, 1])


def test_avg_pool_gradient_spreads_by_count():
    g = grad_of(lambda t: tf.nn.avg_pool2d(t, 2, 2, "SAME"), np.ones((1, 3, 3, 1)))
    np.testing.assert_allclose(g.ravel(), [.25, .25, .5, .25, .25, .5, .5, .5, 1])


# ---------------------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize("call,exc,message", [
    (lambda: tf.nn.max_pool2d(X, [1, 2, 2], 2, "VALID"), ValueError, "ksize should be of length 1, 2 or 4"),
    (lambda: tf.nn.max_pool2d(X, 2, 2, "FOO"), InvalidArgumentError, "Value for attr 'padding'"),
    (lambda: tf.nn.avg_pool2d(X, 2, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]), TypeError, "Expected string"),
    (lambda: tf.nn.max_pool2d(X, 7, 1, "VALID"), InvalidArgumentError, "Computed output size would be negative"),
    (lambda: tf.nn.max_pool2d(X, 0, 1, "VALID"), InvalidArgumentError, "Sliding window ksize must be positive"),
    (lambda: tf.nn.max_pool2d(X, 2, 0, "VALID"), InvalidArgumentError, "Stride must be > 0"),
    (lambda: tf.nn.max_pool2d(X[0], 2, 2, "VALID"), InvalidArgumentError, "must have 2 spatial dimensions"),
    (lambda: tf.nn.max_pool(X, (2, 1, 1, 1), 1, "VALID"), UnimplementedError, "batch dimension"),
    (lambda: tf.nn.max_pool(X, (1, 2, 1, 3), (1, 1, 1, 3), "VALID"), UnimplementedError, "exactly one of"),
    (lambda: tf.nn.max_pool(X, (1, 1, 1, 2), (1, 1, 1, 2), "VALID"), UnimplementedError, "evenly divide"),
    (lambda: tf.nn.avg_pool(X, (1, 1, 1, 3), (1, 1, 1, 3), "VALID"), UnimplementedError, "Non-spatial pooling"),
    (lambda: tf.nn.avg_pool2d(tf.ones([1, 2, 2, 1], tf.int32), 2, 2, "VALID"), InvalidArgumentError,
     "Value for attr 'T' of int32"),
    (lambda: tf.nn.max_pool3d(tf.ones([1, 2, 2, 2, 1], tf.int32), 2, 2, "VALID"), InvalidArgumentError,
     "Value for attr 'T' of int32"),
    (lambda: tf.nn.pool(X, [2, 2], "MIN"), ValueError, "2-D MIN pooling is not supported."),
    (lambda: tf.nn.pool(X[:, 0], [2, 2], "AVG"), ValueError, "must have rank 4"),
    (lambda: tf.nn.pool(X, [2, 2], "MAX", padding="SAME", dilations=[2, 2]), ValueError,
     "pooling with 'SAME' padding is not implemented for `dilation_rate` > 1"),
    (lambda: tf.nn.pool(X, [2, 2], "MAX", strides=[2, 2], dilations=[2, 2]), ValueError,
     "`strides > 1` not supported in conjunction with `dilation_rate > 1`"),
    (lambda: tf.nn.max_pool_with_argmax(X, 2, 2, "VALID", data_format="NCHW"), ValueError, "NHWC"),
    (lambda: tf.nn.max_pool_with_argmax(X, 2, 2, "VALID", output_dtype=tf.float32), InvalidArgumentError,
     "Targmax"),
])
def test_errors(call, exc, message):
    with pytest.raises(exc) as info:
        call()
    assert message in str(info.value)


# ---------------------------------------------------------------------------------------------------------
# Gradients (distinct values keep max pooling away from ties)

XG = RS.permutation(60).reshape(1, 4, 5, 3) * 0.1


@pytest.mark.parametrize("ksize,strides,padding", [(2, 2, "VALID"), (3, 2, "SAME"), (2, 1, "SAME"),
                                                    (2, 2, [[0, 0], [1, 0], [0, 1], [0, 0]])])
def test_max_pool2d_gradients(ksize, strides, padding):
    check_gradients(lambda x: tf.nn.max_pool2d(x, ksize, strides, padding), XG, order=2)


@pytest.mark.parametrize("ksize,strides,padding", [(2, 2, "VALID"), (3, 2, "SAME"), (2, 1, "SAME")])
def test_avg_pool2d_gradients(ksize, strides, padding):
    check_gradients(lambda x: tf.nn.avg_pool2d(x, ksize, strides, padding), XG, order=2)


def test_other_pool_gradients():
    x3 = RS.permutation(48).reshape(1, 4, 3, 2, 2) * 0.1
    check_gradients(lambda x: tf.nn.max_pool3d(x, 2, [1, 2, 1], "SAME"), x3, order=2)
    check_gradients(lambda x: tf.nn.avg_pool3d(x, 2, [1, 2, 1], "SAME"), x3, order=2)
    check_gradients(lambda x: tf.nn.max_pool1d(x, 3, 2, "SAME"), XG[0], order=2)
    check_gradients(lambda x: tf.nn.avg_pool1d(x, 3, 2, "SAME"), XG[0], order=2)
    check_gradients(lambda x: tf.nn.max_pool(x, (1, 1, 1, 3), (1, 1, 1, 3), "VALID"), XG, order=2)
    check_gradients(lambda x: tf.nn.pool(x, [2, 2], "MAX", dilations=[2, 2]), XG, order=2)
    check_gradients(lambda x: tf.nn.max_pool2d(x, 2, 2, "SAME", data_format="NCHW"), np.moveaxis(XG, -1, 1),
                    order=2)
    check_gradients(lambda x: tf.nn.max_pool_with_argmax(x, 2, 2, "SAME")[0], XG, order=2)


def test_max_pool3d_gradient_agrees_with_2d_on_a_flat_volume():
    x = RS.permutation(30).reshape(1, 1, 5, 6, 1).astype(np.float32)
    g3 = grad_of(lambda t: tf.nn.max_pool3d(t, [1, 2, 2], [1, 2, 2], "SAME"), x)
    g2 = grad_of(lambda t: tf.nn.max_pool2d(t, 2, 2, "SAME"), x[:, 0])
    np.testing.assert_array_equal(g3[:, 0], g2)


def test_pool_inside_function():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.nn.max_pool2d(x, 2, 2, "SAME")) + tf.reduce_sum(tf.nn.avg_pool2d(x, 3, 2, "SAME"))
        return tape.gradient(y, x)

    g = f(tf.constant(XG))
    ref = grad_of(lambda t: tf.reduce_sum(tf.nn.max_pool2d(t, 2, 2, "SAME"))
                  + tf.reduce_sum(tf.nn.avg_pool2d(t, 3, 2, "SAME")), XG)
    np.testing.assert_allclose(g.numpy(), ref, rtol=1e-12)


@pytest.mark.parametrize("pool", [lambda x: tf.nn.max_pool2d(x, 2, 1, "SAME"),
                                  lambda x: tf.nn.max_pool3d(x[:, None], 2, 1, "SAME")[:, 0]])
def test_gradient_of_the_max_pool_gradient(pool):
    """Differentiates the routing op itself (its gradient gathers at the argmax positions)."""
    def routed(x, dy):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = pool(x)
        return tape.gradient(y, x, output_gradients=dy)

    check_gradients(routed, XG, RS.randn(1, 4, 5, 3), order=2)
