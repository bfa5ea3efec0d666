"""Norms and norm clipping: values against NumPy, argument errors and gradients."""
import numpy as np
import pytest

import ndflow as tf
from tests.gradcheck import check_gradients

RS = np.random.RandomState(3)
M = np.array([[1.0, -2.0], [3.0, 4.0]], np.float32)


def grad_of(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x)


def test_exports():
    assert tf.norm is tf.linalg.norm
    assert callable(tf.clip_by_norm) and callable(tf.clip_by_global_norm) and callable(tf.linalg.global_norm)


@pytest.mark.parametrize("ord,expected", [("euclidean", 5.0), (2, 5.0), (1, 7.0), (np.inf, 4.0),
                                          (3, 91 ** (1 / 3)), (0.5, (3 ** 0.5 + 2) ** 2)])
def test_vector_norms(ord, expected):
    out = tf.norm(tf.constant([3.0, -4.0]), ord)
    assert out.dtype == tf.float32 and out.shape == ()
    assert out.numpy() == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("ord", ["fro", "euclidean", 1, 2, np.inf])
@pytest.mark.parametrize("axis", [(0, 1), (1, 0), (-2, -1)])
def test_matrix_norms_match_numpy(ord, axis):
    x = RS.randn(3, 4)
    np_ord = "fro" if ord == "euclidean" else ord
    out = tf.norm(x, ord, axis=axis)
    expected = np.linalg.norm(x, np_ord, axis=axis)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-10)


def test_batched_matrix_norm_and_keepdims():
    x = RS.randn(2, 3, 4)
    out = tf.norm(x, 1, axis=[-2, -1], keepdims=True)
    assert out.shape == (2, 1, 1)
    np.testing.assert_allclose(out.numpy()[:, 0, 0], np.linalg.norm(x, 1, axis=(-2, -1)))
    np.testing.assert_allclose(tf.norm(x, axis=1).numpy(), np.linalg.norm(x, axis=1))
    assert tf.norm(x, axis=-1, keepdims=True).shape == (2, 3, 1)
    assert tf.norm(x, keepdims=True).shape == (1, 1, 1)


def test_norm_of_whole_tensor_and_complex():
    assert tf.norm(M).numpy() == pytest.approx(np.sqrt(30.0))
    z = tf.norm(tf.constant([3 + 4j, 0]))
    assert z.dtype == tf.complex128 and z.numpy() == 5
    z1 = tf.norm(tf.constant([3 + 4j, 0]), 1)
    assert z1.dtype == tf.float64 and z1.numpy() == 5


@pytest.mark.parametrize("ord", [0, -1, "fro", "nuc", "foo"])
def test_bad_vector_ord(ord):
    with pytest.raises(ValueError, match=f"'ord' must be a supported vector norm, got {ord}"):
        tf.norm(tf.constant([3.0, 4.0]), ord)


@pytest.mark.parametrize("ord", [3, -2, "nuc"])
def test_bad_matrix_ord(ord):
    with pytest.raises(ValueError, match="'ord' must be a supported matrix norm"):
        tf.norm(M, ord, axis=[0, 1])


@pytest.mark.parametrize("axis", [[0, 1, 1], (1, 1), 1.0])
def test_bad_axis(axis):
    with pytest.raises(ValueError, match="'axis' must be None, an integer, or a tuple of 2 unique integers"):
        tf.norm(M, axis=axis)


def test_norm_gradients():
    x = RS.randn(3, 4)
    check_gradients(lambda v: tf.norm(v), x)
    check_gradients(lambda v: tf.norm(v, axis=1), x)
    check_gradients(lambda v: tf.norm(v, 1, axis=0), x)
    check_gradients(lambda v: tf.norm(v, np.inf, axis=-1), x)
    check_gradients(lambda v: tf.norm(v, 3, axis=1), x)
    check_gradients(lambda v: tf.norm(v, "fro", axis=[0, 1]), x)
    check_gradients(lambda v: tf.norm(v, 1, axis=[0, 1]), x)
    check_gradients(lambda v: tf.norm(v, np.inf, axis=[1, 0]), x)


def test_spectral_norm_gradient():
    x = RS.randn(3, 4)
    check_gradients(lambda v: tf.norm(v, 2, axis=[0, 1]), x)
    check_gradients(lambda v: tf.norm(v, 2, axis=[1, 0]), x)
    check_gradients(lambda v: tf.norm(v, 2, axis=[-2, -1]), RS.randn(2, 3, 4))


def test_clip_by_norm():
    np.testing.assert_allclose(tf.clip_by_norm(tf.constant([3.0, 4.0]), 1.0).numpy(), [0.6, 0.8], rtol=1e-6)
    np.testing.assert_allclose(tf.clip_by_norm(tf.constant([3.0, 4.0]), 10.0).numpy(), [3.0, 4.0])
    np.testing.assert_array_equal(tf.clip_by_norm(tf.constant([0.0, 0.0]), 1.0).numpy(), [0.0, 0.0])
    x = RS.randn(3, 4)
    out = tf.clip_by_norm(x, 1.0, axes=[1]).numpy()
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    np.testing.assert_allclose(out, x / np.maximum(norms, 1.0))


def test_clip_by_norm_gradient_is_finite_at_zero():
    np.testing.assert_allclose(grad_of(lambda v: tf.clip_by_norm(v, 1.0), [0.0, 0.0]).numpy(), [1.0, 1.0])
    check_gradients(lambda v: tf.clip_by_norm(v, 1.0), np.array([3.0, 4.0]))
    check_gradients(lambda v: tf.clip_by_norm(v, 1.0, axes=[0]), RS.randn(3, 2))


def test_global_norm_and_clip_by_global_norm():
    w1, w2 = RS.randn(3, 3), RS.randn(3, 3)
    expected = np.sqrt(np.sum(w1 ** 2) + np.sum(w2 ** 2))
    assert tf.linalg.global_norm([w1, None, w2]).numpy() == pytest.approx(expected)
    (c1, none, c2), norm = tf.clip_by_global_norm([w1, None, w2], 2.0)
    assert none is None
    assert norm.numpy() == pytest.approx(expected)
    joint = np.sqrt(np.sum(c1.numpy() ** 2) + np.sum(c2.numpy() ** 2))
    assert joint == pytest.approx(min(2.0, expected))
    (u1,), _ = tf.clip_by_global_norm([w1], 100.0)
    np.testing.assert_allclose(u1.numpy(), w1)
    (n1,), _ = tf.clip_by_global_norm([w1], 1.0, use_norm=tf.constant(np.inf, tf.float64))
    assert np.isnan(n1.numpy()).all()


def test_global_norm_rejects_non_sequences():
    with pytest.raises(TypeError, match="`t_list` should be a sequence of tensors"):
        tf.linalg.global_norm(tf.constant([1.0]))
    with pytest.raises(TypeError, match="`t_list` should be a sequence of tensors"):
        tf.clip_by_global_norm("abc", 1.0)


def test_clip_by_global_norm_gradient():
    a, b = RS.randn(2, 2), RS.randn(3)

    def clipped_flat(x, y):
        return tf.concat([tf.reshape(t, [-1]) for t in tf.clip_by_global_norm([x, y], 1.0)[0]], 0)

    check_gradients(clipped_flat, a, b)
    check_gradients(lambda x, y: tf.linalg.global_norm([x, y]), a, b)
