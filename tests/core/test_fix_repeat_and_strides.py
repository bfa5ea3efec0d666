"""``tf.repeat`` and depthwise/separable convolutions with unequal row and column strides."""
import numpy as np
import pytest

import ndflow as tf
from tests.gradcheck import check_gradients

RS = np.random.RandomState(11)

# ---------------------------------------------------------------------------------------------------------
# repeat


def test_repeat_values():
    x = np.array([[1, 2], [3, 4]], np.int32)
    np.testing.assert_array_equal(tf.repeat(x, 2).numpy(), np.repeat(x, 2))
    np.testing.assert_array_equal(tf.repeat(x, [1, 2], axis=0).numpy(), np.repeat(x, [1, 2], axis=0))
    np.testing.assert_array_equal(tf.repeat(x, [2], axis=1).numpy(), np.repeat(x, 2, axis=1))
    np.testing.assert_array_equal(tf.repeat(x, tf.constant([0, 3]), axis=-1).numpy(),
                                  np.repeat(x, [0, 3], axis=-1))
    np.testing.assert_array_equal(tf.repeat(x, [1, -1], axis=0).numpy(), x[:1])  # negative counts count as 0
    np.testing.assert_array_equal(tf.repeat(3, 2).numpy(), [3, 3])
    assert tf.repeat(tf.constant(["a"]), 2).numpy().tolist() == [b"a", b"a"]


@pytest.mark.parametrize("call,exc,message", [
    (lambda x: tf.repeat(x, [1, 2, 3], axis=0), ValueError, "Dimensions 2 and 3 are not compatible"),
    (lambda x: tf.repeat(x, [[1, 2]], axis=0), ValueError, "must have rank at most 1"),
    (lambda x: tf.repeat(x, 2, axis=2), ValueError, "axis=2 out of bounds: expected -2<=axis<2"),
    (lambda x: tf.repeat(x, 2.0, axis=0), TypeError, "must be of type integer"),
    (lambda x: tf.repeat(x, -1, axis=0), tf.errors.InvalidArgumentError, "Expected multiples[1] >= 0"),
])
def test_repeat_errors(call, exc, message):
    with pytest.raises(exc) as info:
        call(tf.constant([[1, 2], [3, 4]]))
    assert message in str(info.value)


def test_repeat_in_a_function():
    @tf.function(input_signature=[tf.TensorSpec([None, 3]), tf.TensorSpec([None], tf.int32)])
    def f(a, counts):
        return tf.repeat(a, counts, axis=0), tf.repeat(a, 2, axis=1), tf.repeat(a, 2, axis=0), tf.repeat(a, 2)

    shapes = [o.shape.as_list() for o in f.get_concrete_function().outputs]
    assert shapes == [[None, 3], [None, 6], [None, 3], [None]]
    a = RS.rand(2, 3).astype(np.float32)
    outs = f(tf.constant(a), tf.constant([1, 2]))
    for out, expected in zip(outs, [np.repeat(a, [1, 2], axis=0), np.repeat(a, 2, axis=1), np.repeat(a, 2, axis=0),
                                    np.repeat(a, 2)]):
        np.testing.assert_array_equal(out.numpy(), expected)


def test_repeat_gradients():
    x = RS.randn(3, 2)
    check_gradients(lambda x: tf.repeat(x, [2, 0, 1], axis=0), x, order=2)
    check_gradients(lambda x: tf.repeat(x, 3, axis=1), x)
    check_gradients(lambda x: tf.repeat(x, 2), x)


@pytest.mark.parity
def test_repeat_matches_tensorflow():
    real_tf = pytest.importorskip("tensorflow")
    x = RS.randn(3, 2).astype(np.float32)
    for repeats, axis in [(2, None), ([1, 0, 2], 0), ([3], 1), (2, -1)]:
        np.testing.assert_array_equal(tf.repeat(x, repeats, axis=axis).numpy(),
                                      real_tf.repeat(x, repeats, axis=axis).numpy())
    mine, theirs = tf.constant(x), real_tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(mine)
        y = tf.reduce_sum(tf.repeat(mine, [1, 0, 2], axis=0) ** 2)
    with real_tf.GradientTape() as real_tape:
        real_tape.watch(theirs)
        z = real_tf.reduce_sum(real_tf.repeat(theirs, [1, 0, 2], axis=0) ** 2)
    np.testing.assert_allclose(tape.gradient(y, mine).numpy(), real_tape.gradient(z, theirs).numpy(), rtol=1e-6)


# ---------------------------------------------------------------------------------------------------------
# Unequal strides in depthwise and separable convolutions


def _depthwise_reference(x, w, strides, padding):
    """Direct loops: output channel ``c * multiplier + m`` sums ``x[..., c] * w[..., c, m]`` over the window."""
    kh, kw, c, m = w.shape
    sh, sw = strides
    n, h, wd, _ = x.shape
    if padding == "SAME":
        oh, ow = -(-h // sh), -(-wd // sw)
        ph, pw = max((oh - 1) * sh + kh - h, 0), max((ow - 1) * sw + kw - wd, 0)
        x = np.pad(x, [(0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)])
    else:
        oh, ow = (h - kh) // sh + 1, (wd - kw) // sw + 1
    out = np.zeros((n, oh, ow, c * m))
    for i in range(oh):
        for j in range(ow):
            window = x[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :]
            out[:, i, j, :] = np.einsum("nhwc,hwcm->ncm", window, w).reshape(n, c * m)
    return out


@pytest.mark.parametrize("strides,padding", [((1, 2), "VALID"), ((2, 1), "SAME"), ((3, 2), "SAME")])
def test_depthwise_unequal_strides(strides, padding):
    x, w = RS.randn(2, 7, 8, 3), RS.randn(3, 2, 3, 2)
    out = tf.nn.depthwise_conv2d(x, w, [1, *strides, 1], padding)
    np.testing.assert_allclose(out.numpy(), _depthwise_reference(x, w, strides, padding), rtol=1e-10)
    check_gradients(lambda x, w: tf.nn.depthwise_conv2d(x, w, [1, *strides, 1], padding), x[:1, :5, :6], w,
                    order=2)


def test_separable_unequal_strides():
    x, w, pw = RS.randn(1, 5, 6, 2), RS.randn(2, 3, 2, 2), RS.randn(1, 1, 4, 3)
    out = tf.nn.separable_conv2d(x, w, pw, [1, 1, 2, 1], "VALID")
    expected = np.einsum("nhwc,co->nhwo", _depthwise_reference(x, w, (1, 2), "VALID"), pw[0, 0])
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-10)
    check_gradients(lambda x, w, pw: tf.nn.separable_conv2d(x, w, pw, [1, 2, 1, 1], "SAME"), x, w, pw)


@pytest.mark.parity
def test_unequal_strides_match_tensorflow():
    real_tf = pytest.importorskip("tensorflow")
    x, w, pw = (RS.randn(2, 7, 8, 3).astype(np.float32), RS.randn(3, 2, 3, 2).astype(np.float32),
                RS.randn(1, 1, 6, 4).astype(np.float32))
    for strides, padding in [([1, 1, 2, 1], "VALID"), ([1, 3, 2, 1], "SAME")]:
        np.testing.assert_allclose(tf.nn.depthwise_conv2d(x, w, strides, padding).numpy(),
                                   real_tf.nn.depthwise_conv2d(x, w, strides, padding).numpy(), rtol=1e-5,
                                   atol=1e-5)
        np.testing.assert_allclose(tf.nn.separable_conv2d(x, w, pw, strides, padding).numpy(),
                                   real_tf.nn.separable_conv2d(x, w, pw, strides, padding).numpy(), rtol=1e-5,
                                   atol=1e-5)
