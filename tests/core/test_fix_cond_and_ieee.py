"""``tf.cond`` branches that return None inside functions, and kernels that compute inf/nan without NumPy
warnings (under pytest, which drops the warning filters set while importing)."""
import warnings

import numpy as np
import pytest

import ndflow as tf

# ---------------------------------------------------------------------------------------------------------
# cond with None outputs


def test_cond_branches_returning_none_run_for_their_effects():
    v = tf.Variable(0.0)
    seen = []

    @tf.function
    def f(p):
        seen.append(tf.cond(p, lambda: None, lambda: None))
        seen.append(tf.cond(p, lambda: (v.assign_add(1.0), None)[1], lambda: None))
        return v.read_value()

    assert float(f(tf.constant(True)).numpy()) == 1.0
    assert float(f(tf.constant(False)).numpy()) == 1.0
    assert seen == [None, None]


def test_cond_keeps_none_leaves_of_structures():
    @tf.function
    def f(p):
        pair = tf.cond(p, lambda: (tf.constant(1.0), None), lambda: (tf.constant(2.0), None))
        assert pair[1] is None
        return pair[0]

    assert float(f(tf.constant(False)).numpy()) == 2.0


def test_cond_with_none_on_one_side_only_fails():
    @tf.function
    def f(p):
        return tf.cond(p, lambda: tf.constant(1.0), lambda: None)

    with pytest.raises(ValueError, match="Lengths of branch outputs of cond must match"):
        f(tf.constant(True))


def test_eager_cond_returns_none():
    assert tf.cond(tf.constant(True), lambda: None, lambda: None) is None


# ---------------------------------------------------------------------------------------------------------
# IEEE results without warnings

SPECIAL = np.array([0.0, -1.0, 1e30, -1e30, np.inf, -np.inf, np.nan], np.float32)
ZEROS = np.zeros(7, np.float32)

CALLS = {
    "rsqrt": lambda x, z: tf.math.rsqrt(z),
    "log": lambda x, z: tf.math.log(x),
    "log1p": lambda x, z: tf.math.log1p(x - 1.0),
    "sqrt": lambda x, z: tf.sqrt(x),
    "reciprocal": lambda x, z: tf.math.reciprocal(z),
    "divide": lambda x, z: x / z,
    "floordiv": lambda x, z: x // z,
    "mod": lambda x, z: tf.math.floormod(x, z),
    "pow": lambda x, z: tf.pow(z, -1.0),
    "exp": lambda x, z: tf.exp(x),
    "square": lambda x, z: tf.square(x),
    "multiply": lambda x, z: x * x,
    "subtract": lambda x, z: x - x,
    "acos": lambda x, z: tf.math.acos(x),
    "atanh": lambda x, z: tf.math.atanh(x),
    "xlogy": lambda x, z: tf.math.xlogy(x, z),
    "softplus": lambda x, z: tf.nn.softplus(x),
    "sigmoid_xent": lambda x, z: tf.nn.sigmoid_cross_entropy_with_logits(labels=z + 1.0, logits=x),
    "moments_of_empty": lambda x, z: tf.nn.moments(tf.zeros((0, 2)), [0])[1],
    "reduce_logsumexp": lambda x, z: tf.reduce_logsumexp(tf.constant([-np.inf, -np.inf])),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_kernels_compute_ieee_results_silently(name):
    x, z = tf.constant(SPECIAL), tf.constant(ZEROS)
    graph_fn = tf.function(CALLS[name])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        eager = CALLS[name](x, z)
        traced = graph_fn(x, z)
    np.testing.assert_array_equal(traced.numpy(), eager.numpy())


def test_numpy_error_state_is_restored_and_respected_outside_kernels():
    before = np.geterr()
    with np.errstate(all="raise"):
        assert np.isinf(tf.math.log(tf.constant(0.0)).numpy())
        assert np.isinf(tf.function(lambda z: 1.0 / z)(tf.constant(0.0)).numpy())
        with pytest.raises(FloatingPointError):
            np.float32(1.0) / np.float32(0.0)
    assert np.geterr() == before


@pytest.mark.parity
@pytest.mark.parametrize("name", ["rsqrt", "log", "sqrt", "reciprocal", "divide", "pow", "exp", "atanh",
                                  "softplus", "moments_of_empty"])
def test_ieee_results_match_tensorflow(name):
    real_tf = pytest.importorskip("tensorflow")
    mine = CALLS[name](tf.constant(SPECIAL), tf.constant(ZEROS)).numpy()
    calls = {
        "rsqrt": lambda x, z: real_tf.math.rsqrt(z), "log": lambda x, z: real_tf.math.log(x),
        "sqrt": lambda x, z: real_tf.sqrt(x), "reciprocal": lambda x, z: real_tf.math.reciprocal(z),
        "divide": lambda x, z: x / z, "pow": lambda x, z: real_tf.pow(z, -1.0), "exp": lambda x, z: real_tf.exp(x),
        "atanh": lambda x, z: real_tf.math.atanh(x), "softplus": lambda x, z: real_tf.nn.softplus(x),
        "moments_of_empty": lambda x, z: real_tf.nn.moments(real_tf.zeros((0, 2)), [0])[1],
    }
    theirs = calls[name](real_tf.constant(SPECIAL), real_tf.constant(ZEROS)).numpy()
    np.testing.assert_allclose(mine, theirs, rtol=1e-6)
