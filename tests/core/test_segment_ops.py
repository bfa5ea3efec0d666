"""Sorted and unsorted segment reductions: values, empty segments, dtypes, errors and gradients."""
import numpy as np
import pytest

import ndflow as tf
from tests.gradcheck import check_gradients

RS = np.random.RandomState(2)
DATA = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)
NP_REDUCE = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min, "prod": np.prod}


def reference(kind, data, ids, num_segments, empty):
    data = np.asarray(data)
    ids = np.asarray(ids)
    out = np.full((num_segments,) + data.shape[ids.ndim:], empty, dtype=data.dtype)
    rows = data.reshape((-1,) + data.shape[ids.ndim:])
    flat = ids.reshape(-1)
    for s in range(num_segments):
        if (flat == s).any():
            out[s] = NP_REDUCE[kind](rows[flat == s], axis=0)
    return out


def grad_of(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x)


@pytest.mark.parametrize("kind,empty", [("sum", 0), ("mean", 0), ("max", 0), ("min", 0), ("prod", 1)])
def test_sorted_segments(kind, empty):
    out = getattr(tf.math, f"segment_{kind}")(DATA, tf.constant([0, 0, 2]))
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), reference(kind, DATA, [0, 0, 2], 3, empty))


def test_sorted_segments_int64_ids_and_int_mean():
    np.testing.assert_array_equal(tf.math.segment_sum(DATA, tf.constant([0, 0, 1], tf.int64)).numpy(),
                                  [[4, 6], [5, 6]])
    out = tf.math.segment_mean(tf.constant([1, 2, 4]), tf.constant([0, 0, 1]))
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [1, 4])  # 3 / 2 truncates
    assert tf.math.segment_sum(tf.zeros([0, 2]), tf.zeros([0], tf.int32)).shape == (0, 2)


def test_sorted_segment_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="segment ids are not increasing"):
        tf.math.segment_sum(DATA, tf.constant([1, 0, 0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Segment id -1 out of range \[0, 1\)"):
        tf.math.segment_max(DATA, tf.constant([-1, 0, 0]))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="segment_ids should be the same size as dimension 0 of input."):
        tf.math.segment_sum(DATA, tf.constant([0, 0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="segment_ids should be a vector."):
        tf.math.segment_sum(DATA, tf.constant([[0, 0, 1]]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'Tindices' of float"):
        tf.math.segment_sum(DATA, tf.constant([0.0, 0.0, 1.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="complex128"):
        tf.math.segment_max(tf.constant([1j]), tf.constant([0]))


@pytest.mark.parametrize("kind", ["sum", "max", "min", "prod", "mean"])
def test_unsorted_segments(kind):
    lowest, highest = np.finfo(np.float32).min, np.finfo(np.float32).max
    empty = {"sum": 0, "mean": 0, "max": lowest, "min": highest, "prod": 1}[kind]
    out = getattr(tf.math, f"unsorted_segment_{kind}")(DATA, tf.constant([2, 0, 2]), 4)
    assert out.dtype == tf.float32 and out.shape == (4, 2)
    np.testing.assert_allclose(out.numpy(), reference(kind, DATA, [2, 0, 2], 4, empty))


def test_unsorted_segment_integer_identities_and_mean_dtype():
    x, ids = tf.constant([1, 2, 4]), tf.constant([2, 0, 2])
    np.testing.assert_array_equal(tf.math.unsorted_segment_max(x, ids, 4).numpy(), [2, -2**31, 4, -2**31])
    highest = 2**31 - 1
    np.testing.assert_array_equal(tf.math.unsorted_segment_min(x, ids, 4).numpy(), [2, highest, 1, highest])
    np.testing.assert_array_equal(tf.math.unsorted_segment_prod(x, ids, 4).numpy(), [2, 1, 4, 1])
    mean = tf.math.unsorted_segment_mean(x, ids, 4)
    assert mean.dtype == tf.float64
    np.testing.assert_allclose(mean.numpy(), [2.0, 0.0, 2.5, 0.0])


def test_unsorted_segment_sqrt_n():
    out = tf.math.unsorted_segment_sqrt_n(DATA, tf.constant([2, 0, 2]), 4)
    expected = reference("sum", DATA, [2, 0, 2], 4, 0) / np.sqrt([[1.0], [1.0], [2.0], [1.0]])
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


def test_unsorted_segments_drop_negative_ids_and_accept_nd_ids():
    np.testing.assert_array_equal(tf.math.unsorted_segment_sum(DATA, tf.constant([-1, 0, 2]), 3).numpy(),
                                  [[3, 4], [0, 0], [5, 6]])
    np.testing.assert_allclose(tf.math.unsorted_segment_mean(DATA, tf.constant([-1, 0, 0]), 2).numpy(),
                               [[4, 5], [0, 0]])
    x = tf.constant([[1, 2], [3, 4]])
    np.testing.assert_array_equal(tf.math.unsorted_segment_sum(x, tf.constant([[0, 1], [1, 1]]), 2).numpy(),
                                  [1, 9])
    out = tf.math.unsorted_segment_sum(x, tf.constant([1, 1]), tf.constant(2))
    np.testing.assert_array_equal(out.numpy(), [[0, 0], [4, 6]])


def test_unsorted_segment_errors():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"segment_ids\[0\] = 5 is out of range \[0, 3\)"):
        tf.math.unsorted_segment_sum(DATA, tf.constant([5, 0, 2]), 3)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"data.shape = \[3,2\] does not start with segment_ids.shape = \[2\]"):
        tf.math.unsorted_segment_max(DATA, tf.constant([1, 1]), 2)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Input num_segments == -1 must not be negative."):
        tf.math.unsorted_segment_sum(DATA, tf.constant([1, 1, 0]), -1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="bool"):
        tf.math.unsorted_segment_max(tf.constant([True]), tf.constant([0]), 1)


# ---------------------------------------------------------------------------------------------------------
# Gradients


@pytest.mark.parametrize("kind", ["sum", "mean", "max", "min", "prod"])
def test_sorted_segment_gradients(kind):
    ids = tf.constant([0, 0, 1, 3, 3])
    check_gradients(lambda d: getattr(tf.math, f"segment_{kind}")(d, ids), 0.5 + RS.rand(5, 2),
                    order=2 if kind in ("sum", "mean") else 1)


@pytest.mark.parametrize("kind", ["sum", "mean", "max", "min", "prod", "sqrt_n"])
def test_unsorted_segment_gradients(kind):
    ids = tf.constant([2, 0, -1, 2, 0])
    check_gradients(lambda d: getattr(tf.math, f"unsorted_segment_{kind}")(d, ids, 4), 0.5 + RS.rand(5, 3),
                    order=2 if kind in ("sum", "mean", "sqrt_n") else 1)


def test_segment_max_gradient_splits_ties_and_skips_dropped_ids():
    g = grad_of(lambda v: tf.math.segment_max(v, [0, 0, 1]), [3.0, 3.0, 2.0])
    np.testing.assert_allclose(g.numpy(), [0.5, 0.5, 1.0])
    g = grad_of(lambda v: tf.math.unsorted_segment_max(v, [0, -1, 0, 1], 2), [1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(g.numpy(), [0.0, 0.0, 1.0, 1.0])


def test_segment_prod_gradient_with_zeros():
    g = grad_of(lambda v: tf.math.unsorted_segment_prod(v, [0, 0, 0, 1], 2), [0.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(g.numpy(), [6.0, 0.0, 0.0, 1.0])
    g = grad_of(lambda v: tf.math.segment_prod(v, [0, 0, 0, 1]), [0.0, 0.0, 3.0, 4.0])
    np.testing.assert_allclose(g.numpy(), [0.0, 0.0, 0.0, 1.0])


def test_gradients_in_functions_with_ids_known_only_at_run_time():
    def gradients(data, ids):
        with tf.GradientTape() as tape:
            tape.watch(data)
            y = sum(tf.reduce_sum(getattr(tf.math, f"segment_{kind}")(data, ids))
                    for kind in ("sum", "mean", "max", "prod"))
        return tape.gradient(y, data)

    traced = tf.function(gradients)
    data, ids = tf.constant(0.5 + RS.rand(5, 2)), tf.constant([0, 0, 1, 3, 3])
    np.testing.assert_allclose(traced(data, ids).numpy(), gradients(data, ids).numpy(), rtol=1e-12)
