"""top_k, sort, argsort, unique and bincount: values, dtypes, tie order, errors and gradients."""
import numpy as np
import pytest

import ndflow as tf
from tests.gradcheck import check_gradients

RS = np.random.RandomState(1)


def grad_of(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x)


def test_exports():
    for name in ("sort", "argsort", "unique", "unique_with_counts"):
        assert callable(getattr(tf, name))
    assert callable(tf.math.top_k) and callable(tf.math.bincount)


# ---------------------------------------------------------------------------------------------------------
# top_k


def test_top_k_values_indices_and_ties():
    v = tf.constant([[3.0, 1.0, 3.0, 2.0], [0.0, 5.0, 5.0, 5.0]])
    result = tf.math.top_k(v, 2)
    values, indices = result
    assert result._fields == ("values", "indices")
    assert result.values is values and result.indices is indices
    np.testing.assert_array_equal(values.numpy(), [[3, 3], [5, 5]])
    np.testing.assert_array_equal(indices.numpy(), [[0, 2], [1, 2]])  # lower index first on ties
    assert values.dtype == tf.float32 and indices.dtype == tf.int32


def test_top_k_options_and_dtypes():
    x = tf.constant([1, 3, 2])
    out = tf.math.top_k(x, 2, index_type=tf.int64)
    assert out.values.dtype == tf.int32 and out.indices.dtype == tf.int64
    np.testing.assert_array_equal(out.indices.numpy(), [1, 2])
    unsorted = tf.math.top_k(x, 3, sorted=False)
    assert sorted(unsorted.values.numpy().tolist()) == [1, 2, 3]
    assert tf.math.top_k(tf.zeros([2, 3]), 0).values.shape == (2, 0)
    out = tf.math.top_k(tf.constant([1.0, np.nan, 2.0]), 3)
    np.testing.assert_array_equal(out.indices.numpy(), [2, 0, 1])  # NaN ranks lowest
    np.testing.assert_array_equal(tf.math.top_k([-2**31, 0, 5], 3).values.numpy(), [5, 0, -2**31])


def test_top_k_matches_numpy_on_random_rows():
    x = RS.randn(4, 7)
    out = tf.math.top_k(x, 3)
    expected = -np.sort(-x, axis=-1)[:, :3]
    np.testing.assert_allclose(out.values.numpy(), expected)
    np.testing.assert_allclose(np.take_along_axis(x, out.indices.numpy(), -1), expected)


def test_top_k_errors():
    v = tf.zeros([2, 4])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="input must have at least k columns. Had 4, needed 5"):
        tf.math.top_k(v, 5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Need k >= 0, got -1"):
        tf.math.top_k(v, -1)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"input must be >= 1-D, got shape \[\]"):
        tf.math.top_k(tf.constant(1.0), 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="bool"):
        tf.math.top_k(tf.constant([True, False]), 1)


def test_top_k_gradient():
    g = grad_of(lambda v: tf.math.top_k(v, 2).values * tf.constant([1.0, 2.0]), [3.0, 1.0, 2.0])
    np.testing.assert_allclose(g.numpy(), [1.0, 0.0, 2.0])
    check_gradients(lambda v: tf.math.top_k(v, 3).values, RS.randn(3, 5), order=2)


# ---------------------------------------------------------------------------------------------------------
# sort, argsort


@pytest.mark.parametrize("axis", [-1, 0, 1])
@pytest.mark.parametrize("direction", ["ASCENDING", "DESCENDING"])
def test_sort_matches_numpy(axis, direction):
    x = RS.randn(3, 5)
    expected = np.sort(x, axis=axis)
    if direction == "DESCENDING":
        expected = np.flip(expected, axis)
    out = tf.sort(x, axis=axis, direction=direction)
    np.testing.assert_array_equal(out.numpy(), expected)
    order = tf.argsort(x, axis=axis, direction=direction)
    assert order.dtype == tf.int32
    np.testing.assert_array_equal(np.take_along_axis(x, order.numpy(), axis), expected)


def test_sort_integer_extremes_and_nan():
    np.testing.assert_array_equal(tf.sort(tf.constant([5, -2**31, 0])).numpy(), [-2**31, 0, 5])
    np.testing.assert_array_equal(tf.sort(tf.constant([0, 5, 255], tf.uint8), direction="DESCENDING").numpy(),
                                  [255, 5, 0])
    np.testing.assert_array_equal(tf.sort(tf.constant([3.0, 2.0, np.nan]), direction="DESCENDING").numpy(),
                                  [3.0, 2.0, np.nan])


def test_argsort_is_stable_in_both_directions():
    x = tf.constant([3, 1, 2, 1, 3])
    np.testing.assert_array_equal(tf.argsort(x, stable=True).numpy(), [1, 3, 2, 0, 4])
    np.testing.assert_array_equal(tf.argsort(x, direction="DESCENDING").numpy(), [0, 4, 2, 1, 3])


def test_sort_errors():
    with pytest.raises(ValueError, match="Argument `direction` should be one of ASCENDING, DESCENDING"):
        tf.sort(tf.constant([3, 1]), direction="UP")
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.sort(tf.zeros([2, 2]), axis=2)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.sort(tf.constant(1.0))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.sort(tf.constant(["b", "a"]))


def test_sort_gradient():
    g = grad_of(lambda v: tf.sort(v) * tf.constant([1.0, 2.0, 3.0]), [3.0, 1.0, 2.0])
    np.testing.assert_allclose(g.numpy(), [3.0, 1.0, 2.0])
    check_gradients(lambda v: tf.sort(v, axis=0, direction="DESCENDING") * [[1.0], [2.0], [3.0]],
                    RS.randn(3, 4), order=2)


# ---------------------------------------------------------------------------------------------------------
# unique, bincount


def test_unique_keeps_first_occurrence_order():
    y, idx = tf.unique(tf.constant([1, 1, 2, 4, 4, 4, 7, 8, 8]))
    np.testing.assert_array_equal(y.numpy(), [1, 2, 4, 7, 8])
    np.testing.assert_array_equal(idx.numpy(), [0, 0, 1, 2, 2, 2, 3, 4, 4])
    out = tf.unique(tf.constant([3.0, 1.0, 3.0]), out_idx=tf.int64)
    assert out._fields == ("y", "idx")
    np.testing.assert_array_equal(out.y.numpy(), [3.0, 1.0])
    assert out.idx.dtype == tf.int64 and out.y.dtype == tf.float32
    strings = tf.unique(tf.constant(["b", "a", "b"]))
    assert strings.y.numpy().tolist() == [b"b", b"a"]
    np.testing.assert_array_equal(strings.idx.numpy(), [0, 1, 0])


def test_unique_nan_entries_are_distinct():
    y, idx = tf.unique(tf.constant([np.nan, np.nan, 1.0]))
    assert y.shape == (3,)
    np.testing.assert_array_equal(idx.numpy(), [0, 1, 2])


def test_unique_with_counts():
    out = tf.unique_with_counts(tf.constant([3, 1, 3, 3, 5]))
    assert out._fields == ("y", "idx", "count")
    np.testing.assert_array_equal(out.y.numpy(), [3, 1, 5])
    np.testing.assert_array_equal(out.idx.numpy(), [0, 1, 0, 0, 2])
    np.testing.assert_array_equal(out.count.numpy(), [3, 1, 1])
    assert out.count.dtype == tf.int32


def test_unique_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="unique expects a 1D vector."):
        tf.unique(tf.constant([[1, 2]]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="out_idx"):
        tf.unique(tf.constant([1]), out_idx=tf.float32)


def test_bincount():
    arr = tf.constant([1, 1, 2, 5])
    out = tf.math.bincount(arr)
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [0, 2, 1, 0, 0, 1])
    w = tf.math.bincount(arr, weights=tf.constant([1.0, 2.0, 3.0, 4.0], tf.float64))
    assert w.dtype == tf.float64
    np.testing.assert_array_equal(w.numpy(), [0, 3, 3, 0, 0, 4])
    np.testing.assert_array_equal(tf.math.bincount(arr, minlength=8).numpy(), [0, 2, 1, 0, 0, 1, 0, 0])
    np.testing.assert_array_equal(tf.math.bincount(arr, maxlength=3).numpy(), [0, 2, 1])
    assert tf.math.bincount(arr, dtype=tf.float32).dtype == tf.float32
    assert tf.math.bincount(tf.constant([], tf.int32)).shape == (0,)
    np.testing.assert_array_equal(tf.math.bincount([1, 1, 2], binary_output=True).numpy(), [0, 1, 1])
    np.testing.assert_array_equal(tf.math.bincount(tf.constant([1.0, 2.0])).numpy(), [0, 1, 1])


def test_bincount_two_dimensional():
    arr = tf.constant([[1, 2], [3, 3]])
    np.testing.assert_array_equal(tf.math.bincount(arr).numpy(), [0, 1, 1, 2])
    np.testing.assert_array_equal(tf.math.bincount(arr, axis=-1).numpy(), [[0, 1, 1, 0], [0, 0, 0, 2]])


def test_bincount_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input arr must be non-negative!"):
        tf.math.bincount(tf.constant([1, -1]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="`weights` must be the same shape as `arr`"):
        tf.math.bincount(tf.constant([1, 1, 2]), weights=tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="mutually exclusive"):
        tf.math.bincount([1], weights=[1.0], binary_output=True)
    with pytest.raises(ValueError, match="Unsupported value for argument axis=1"):
        tf.math.bincount([[1]], axis=1)


def test_unique_output_length_is_unknown_in_functions():
    shapes = []

    @tf.function
    def f(x):
        out = tf.unique_with_counts(x)
        shapes.append((out.y.shape.as_list(), out.idx.shape.as_list(), out.count.shape.as_list()))
        return out.y, tf.math.bincount(x, minlength=3)

    y, counts = f(tf.constant([1, 1, 2, 5]))
    assert shapes == [([None], [4], [None])]
    np.testing.assert_array_equal(y.numpy(), [1, 2, 5])
    np.testing.assert_array_equal(counts.numpy(), [0, 2, 1, 0, 0, 1])
