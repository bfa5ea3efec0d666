"""Reductions, arg-reductions, counting and scans: values against NumPy, dtypes, errors and gradients."""
import numpy as np
import pytest

import ndflow as tf
from tests.gradcheck import check_gradients

RS = np.random.RandomState(0)
X = RS.randn(2, 3, 4)


def grad_of(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x)


# ---------------------------------------------------------------------------------------------------------
# Exports


@pytest.mark.parametrize("name", ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
                                  "reduce_logsumexp", "reduce_all", "reduce_any", "argmax", "argmin",
                                  "cumsum"])
def test_exported_at_top_level_and_in_math(name):
    assert getattr(tf, name) is getattr(tf.math, name)


@pytest.mark.parametrize("name", ["reduce_std", "reduce_variance", "reduce_euclidean_norm", "cumprod",
                                  "cumulative_logsumexp", "count_nonzero"])
def test_math_only_names(name):
    assert callable(getattr(tf.math, name))


# ---------------------------------------------------------------------------------------------------------
# Values, axes, keepdims


@pytest.mark.parametrize("tf_fn,np_fn", [(tf.reduce_sum, np.sum), (tf.reduce_mean, np.mean),
                                         (tf.reduce_max, np.max), (tf.reduce_min, np.min),
                                         (tf.reduce_prod, np.prod)])
@pytest.mark.parametrize("axis", [None, 0, -1, [0, 2], (1,), [-1, 0], []])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_match_numpy(tf_fn, np_fn, axis, keepdims):
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    out = tf_fn(X, axis=axis, keepdims=keepdims)
    expected = np_fn(X, axis=np_axis, keepdims=keepdims)
    assert out.shape == expected.shape
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)


def test_axis_given_as_tensor():
    x = tf.constant([[1, 2], [-3, -4]])
    np.testing.assert_array_equal(tf.reduce_sum(x, tf.constant([1])).numpy(), [3, -7])
    np.testing.assert_array_equal(tf.reduce_sum(x, tf.constant(0)).numpy(), [-2, -2])


def test_integer_reductions_keep_dtype():
    x = tf.constant([[1, 2], [-3, -4]])
    assert tf.reduce_sum(x).dtype == tf.int32
    assert tf.reduce_prod(x).numpy() == 24
    assert tf.reduce_max(tf.constant([1, 5], tf.int64)).dtype == tf.int64
    assert tf.reduce_sum(tf.constant([100, 100], tf.int8)).numpy() == -56  # wraps like TF


def test_integer_mean_truncates_toward_zero_and_keeps_dtype():
    x = tf.constant([[1, 2], [-3, -4]])
    out = tf.reduce_mean(x)
    assert out.dtype == tf.int32 and out.numpy() == -1  # -4 / 4
    np.testing.assert_array_equal(tf.reduce_mean(x, 0).numpy(), [-1, -1])  # -2/2, -2/2
    np.testing.assert_array_equal(tf.reduce_mean(x, 1).numpy(), [1, -3])  # 3/2 → 1, -7/2 → -3
    assert tf.reduce_mean(tf.constant([100, 100, 100], tf.int8)).numpy() == 100  # no int8 overflow
    assert tf.reduce_mean(tf.constant([200, 200], tf.uint8)).numpy() == 200


def test_float16_mean_is_accurate():
    x = np.full(4096, 0.1, np.float16)
    out = tf.reduce_mean(x)
    assert out.dtype == tf.float16
    assert abs(float(out) - 0.1) < 1e-3


def test_empty_reductions_give_identities():
    assert tf.reduce_max(tf.zeros([0])).numpy() == -np.inf
    assert tf.reduce_min(tf.zeros([0])).numpy() == np.inf
    assert tf.reduce_max(tf.zeros([0], tf.int32)).numpy() == np.iinfo(np.int32).min
    assert tf.reduce_min(tf.zeros([0], tf.int32)).numpy() == np.iinfo(np.int32).max
    assert tf.reduce_prod(tf.zeros([0])).numpy() == 1.0
    assert tf.reduce_sum(tf.zeros([0])).numpy() == 0.0
    assert np.isnan(tf.reduce_mean(tf.zeros([0])).numpy())
    assert tf.reduce_mean(tf.zeros([0], tf.int32)).numpy() == 0
    assert tf.reduce_logsumexp(tf.zeros([0])).numpy() == -np.inf
    assert tf.reduce_max(tf.zeros([2, 0]), axis=0).shape == [0]


def test_complex_sum_and_mean():
    x = tf.constant([1j, 1.0])
    assert tf.reduce_mean(x).numpy() == 0.5 + 0.5j
    assert tf.reduce_sum(x).dtype == tf.complex128


def test_reduce_all_any():
    b = tf.constant([[True, False], [True, True]])
    assert not bool(tf.reduce_all(b))
    assert bool(tf.reduce_any(b))
    np.testing.assert_array_equal(tf.reduce_all(b, axis=1).numpy(), [False, True])
    np.testing.assert_array_equal(tf.reduce_any(b, axis=0, keepdims=True).numpy(), [[True, True]])
    assert tf.reduce_all([True, False]).dtype == tf.bool


def test_logsumexp_is_stable():
    assert tf.reduce_logsumexp(tf.constant([1000.0, 1000.0])).numpy() == pytest.approx(1000 + np.log(2))
    assert tf.reduce_logsumexp(tf.constant([-1000.0, -1000.0])).numpy() == pytest.approx(-1000 + np.log(2))
    assert tf.reduce_logsumexp(tf.constant([-np.inf, -np.inf])).numpy() == -np.inf
    assert tf.reduce_logsumexp(tf.constant([np.inf, 1.0])).numpy() == np.inf
    out = tf.reduce_logsumexp(X, axis=[0, 2], keepdims=True)
    expected = np.log(np.sum(np.exp(X), axis=(0, 2), keepdims=True))
    assert out.shape == (1, 3, 1)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)
    assert tf.reduce_logsumexp(tf.constant([1.0, 2.0], tf.float32)).dtype == tf.float32


def test_variance_and_std():
    np.testing.assert_allclose(tf.math.reduce_variance(X, axis=1).numpy(), np.var(X, axis=1), rtol=1e-12)
    np.testing.assert_allclose(tf.math.reduce_std(X, axis=[0, 2], keepdims=True).numpy(),
                               np.std(X, axis=(0, 2), keepdims=True), rtol=1e-12)
    z = tf.constant([1 + 1j, 2 - 1j])
    out = tf.math.reduce_variance(z)
    assert out.dtype == tf.float64 and out.numpy() == pytest.approx(1.25)


def test_euclidean_norm():
    np.testing.assert_allclose(tf.math.reduce_euclidean_norm(X, axis=2).numpy(),
                               np.sqrt(np.sum(X ** 2, axis=2)), rtol=1e-12)
    out = tf.math.reduce_euclidean_norm(tf.constant([3, 4]))
    assert out.dtype == tf.int32 and out.numpy() == 5


# ---------------------------------------------------------------------------------------------------------
# Arg-reductions and counting


def test_argmax_argmin_defaults():
    x = tf.constant([[1, 5], [7, 2]])
    out = tf.argmax(x)
    assert out.dtype == tf.int64
    np.testing.assert_array_equal(out.numpy(), [1, 0])
    np.testing.assert_array_equal(tf.argmin(x, axis=1).numpy(), [0, 1])
    np.testing.assert_array_equal(tf.argmax(x, axis=-1, output_type=tf.int32).numpy(), [1, 0])
    assert tf.argmax(x, output_type=tf.int32).dtype == tf.int32
    np.testing.assert_array_equal(tf.argmax(x, tf.constant(1)).numpy(), [1, 0])


def test_argmax_first_tie_and_ignores_nan():
    assert tf.argmax(tf.constant([3, 5, 5, 1])).numpy() == 1
    assert tf.argmin(tf.constant([3, 1, 1])).numpy() == 1
    assert tf.argmax(tf.constant([3.0, np.nan, 1.0])).numpy() == 0
    assert tf.argmin(tf.constant([3.0, np.nan, 1.0])).numpy() == 2
    assert tf.argmax(tf.constant([False, True])).numpy() == 1


def test_argmax_errors():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Expected dimension in the range \[-1, 1\), but got 1"):
        tf.argmax(tf.zeros([2]), 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Reduction axis 0 is empty in shape"):
        tf.argmax(tf.zeros([0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="output_type"):
        tf.argmax(tf.constant([1, 2]), output_type=tf.float32)
    with pytest.raises(TypeError, match="axis must be int"):
        tf.argmax(tf.constant([[1, 2]]), [1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="string"):
        tf.argmax(tf.constant(["a"]))


def test_count_nonzero():
    x = tf.constant([[0, 1], [2, 0]])
    out = tf.math.count_nonzero(x)
    assert out.dtype == tf.int64 and out.numpy() == 2
    out = tf.math.count_nonzero(x, 1, keepdims=True, dtype=tf.int32)
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [[1], [1]])
    assert tf.math.count_nonzero(tf.constant([True, False])).numpy() == 1
    assert tf.math.count_nonzero(tf.constant(["", "a", "b"])).numpy() == 2
    assert tf.math.count_nonzero(tf.constant([np.nan, 0.0])).numpy() == 1
    assert tf.math.count_nonzero(tf.constant([1.0, 0.0]), dtype=tf.float32).dtype == tf.float32


# ---------------------------------------------------------------------------------------------------------
# Errors


def test_axis_errors_use_tf_messages():
    x = tf.constant([[1, 2], [3, 4]])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Invalid reduction dimension \(2 for input with 2 dimension\(s\)"):
        tf.reduce_sum(x, 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Invalid reduction dimension \(-3"):
        tf.reduce_max(x, -3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Axes contains duplicate dimension: 0"):
        tf.reduce_sum(x, [0, -2])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\(0 for input with 0 dimension\(s\)"):
        tf.reduce_sum(tf.constant(3.0), 0)
    with pytest.raises(TypeError):
        tf.reduce_sum(x, 0.5)


def test_dtype_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of bool"):
        tf.reduce_sum(tf.constant([True]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of bool"):
        tf.reduce_mean(tf.constant([True]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="complex128"):
        tf.reduce_max(tf.constant([1j]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a bool tensor but is a int32"):
        tf.reduce_all(tf.constant([1, 0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a bool tensor but is a float"):
        tf.reduce_any(tf.constant([1.0]))
    with pytest.raises(TypeError, match="Input must be either real or complex"):
        tf.math.reduce_std(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="Input must be either real or complex"):
        tf.math.reduce_variance(tf.constant([1, 2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="int32"):
        tf.reduce_logsumexp(tf.constant([1, 2]))


# ---------------------------------------------------------------------------------------------------------
# Scans


def np_scan(fn, x, axis, exclusive, reverse, identity):
    if reverse:
        x = np.flip(x, axis)
    out = fn(x, axis=axis)
    if exclusive:
        pad = np.full_like(np.take(out, [0], axis=axis), identity)
        out = np.concatenate([pad, np.delete(out, -1, axis=axis)], axis=axis)
    return np.flip(out, axis) if reverse else out


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_scans_match_numpy(exclusive, reverse, axis):
    np.testing.assert_allclose(tf.cumsum(X, axis, exclusive=exclusive, reverse=reverse).numpy(),
                               np_scan(np.cumsum, X, axis, exclusive, reverse, 0), rtol=1e-12)
    np.testing.assert_allclose(tf.math.cumprod(X, axis, exclusive=exclusive, reverse=reverse).numpy(),
                               np_scan(np.cumprod, X, axis, exclusive, reverse, 1), rtol=1e-12)
    np.testing.assert_allclose(
        tf.math.cumulative_logsumexp(X, axis, exclusive=exclusive, reverse=reverse).numpy(),
        np_scan(np.logaddexp.accumulate, X, axis, exclusive, reverse, -np.inf), rtol=1e-12)


def test_scan_dtypes_axis_and_errors():
    out = tf.cumsum(tf.constant([1, 2, 3]))
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [1, 3, 6])
    np.testing.assert_array_equal(tf.math.cumprod(tf.constant([100, 2], tf.int8)).numpy(), [100, -56])
    np.testing.assert_array_equal(tf.cumsum([[1, 2], [3, 4]], tf.constant(1)).numpy(), [[1, 3], [3, 7]])
    np.testing.assert_allclose(tf.math.cumulative_logsumexp(tf.constant([1000.0, 1000.0])).numpy(),
                               [1000.0, 1000 + np.log(2)], rtol=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Expected scan axis in the range \[-2, 2\), but got 2"):
        tf.cumsum(tf.zeros([2, 2]), 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"range \[0, 0\)"):
        tf.cumsum(tf.constant(1.0))
    with pytest.raises(tf.errors.InvalidArgumentError, match="bool"):
        tf.cumsum(tf.constant([True]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="int32"):
        tf.math.cumulative_logsumexp(tf.constant([1, 2]))


# ---------------------------------------------------------------------------------------------------------
# Gradients (float64 central differences)


@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), ([0, 2], True), (-1, True)])
def test_sum_and_mean_gradients_second_order(axis, keepdims):
    check_gradients(lambda x: tf.reduce_sum(x * x, axis, keepdims=keepdims), X, order=2)
    check_gradients(lambda x: tf.reduce_mean(x * x, axis, keepdims=keepdims), X, order=2)


@pytest.mark.parametrize("axis", [None, 0, [0, 2], -1, [1, 2]])
def test_prod_gradient_second_order(axis):
    x = 0.5 + RS.rand(2, 3, 2)
    check_gradients(lambda v: tf.reduce_prod(v, axis), x, order=2)


def test_prod_gradient_is_exact_with_zeros():
    np.testing.assert_allclose(grad_of(tf.reduce_prod, [0.0, 2.0, 3.0]).numpy(), [6.0, 0.0, 0.0])
    np.testing.assert_allclose(grad_of(tf.reduce_prod, [0.0, 0.0, 3.0]).numpy(), [0.0, 0.0, 0.0])
    g = grad_of(lambda v: tf.reduce_prod(v, axis=1), [[0.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(g.numpy(), [[2.0, 0.0], [4.0, 3.0]])


@pytest.mark.parametrize("axis", [None, 1, [0, 2]])
def test_logsumexp_gradient_second_order(axis):
    check_gradients(lambda x: tf.reduce_logsumexp(x, axis), X, order=2)


def test_logsumexp_gradient_is_softmax_for_large_inputs():
    np.testing.assert_allclose(grad_of(tf.reduce_logsumexp, [1000.0, 1000.0]).numpy(), [0.5, 0.5])


@pytest.mark.parametrize("fn", [tf.reduce_max, tf.reduce_min])
def test_max_min_gradients(fn):
    check_gradients(lambda x: fn(x, axis=1), X)
    check_gradients(lambda x: fn(x, axis=[0, 2], keepdims=True), X)
    check_gradients(lambda x: fn(x), X)


def test_max_gradient_splits_ties_evenly():
    np.testing.assert_allclose(grad_of(tf.reduce_max, [1.0, 3.0, 3.0]).numpy(), [0.0, 0.5, 0.5])
    g = grad_of(lambda v: tf.reduce_min(v, axis=0), [[1.0, 2.0], [1.0, 5.0]])
    np.testing.assert_allclose(g.numpy(), [[0.5, 1.0], [0.5, 0.0]])


def test_norm_like_reduction_gradients():
    check_gradients(lambda x: tf.math.reduce_euclidean_norm(x, axis=1), X)
    check_gradients(lambda x: tf.math.reduce_variance(x, axis=[0, 2]), X)
    check_gradients(lambda x: tf.math.reduce_std(x, axis=-1, keepdims=True), X)


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_scan_gradients(exclusive, reverse):
    check_gradients(lambda x: tf.cumsum(x, 1, exclusive=exclusive, reverse=reverse), X, order=2)
    positive = 0.5 + RS.rand(2, 3, 4)
    check_gradients(lambda x: tf.math.cumprod(x, 2, exclusive=exclusive, reverse=reverse), positive)
    # an exclusive scan starts at -inf, where finite differences are undefined: leave that entry out
    finite = slice(1, None) if exclusive and not reverse else slice(None, -1) if exclusive else slice(None)
    check_gradients(
        lambda x: tf.math.cumulative_logsumexp(x, 1, exclusive=exclusive, reverse=reverse)[:, finite], X)


def test_integer_and_boolean_ops_have_no_gradient():
    x = tf.constant([3.0, 1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cast(tf.argmax(x), tf.float32) + tf.cast(tf.math.count_nonzero(x), tf.float32)
    assert tape.gradient(y, x) is None


def test_gradients_in_functions_with_unknown_dims():
    def loss_gradient(v):
        with tf.GradientTape() as tape:
            tape.watch(v)
            y = (tf.reduce_mean(v, 1) + tf.reduce_max(v, 1) + tf.reduce_prod(v, 1) + tf.reduce_logsumexp(v, 1)
                 + tf.math.reduce_std(v, 1))
            total = tf.reduce_sum(y) + tf.reduce_sum(tf.cumsum(v, 1, exclusive=True))
        return tape.gradient(total, v)

    traced = tf.function(loss_gradient, input_signature=[tf.TensorSpec([None, 4], tf.float64)])
    x = tf.constant(RS.rand(3, 4) + 0.5)
    np.testing.assert_allclose(traced(x).numpy(), loss_gradient(x).numpy(), rtol=1e-12)
