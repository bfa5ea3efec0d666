import numpy as np
import pytest
from scipy import special

import ndflow as tf
from tests.gradcheck import check_gradients

N = 20000  # samples for the statistical checks: standard errors are ~1/sqrt(N) ≈ 0.007


@pytest.fixture(autouse=True)
def _no_global_seed():
    tf.random.set_seed(None)
    yield
    tf.random.set_seed(None)


# ---------------------------------------------------------------------------------------------------------
# Distributions


def test_normal_shape_dtype_and_moments():
    x = tf.random.normal([N], mean=2.0, stddev=3.0)
    assert x.dtype == tf.float32 and x.shape == (N,)
    assert abs(x.numpy().mean() - 2.0) < 0.1
    assert abs(x.numpy().std() - 3.0) < 0.1
    for dtype in (tf.float16, tf.float64, tf.bfloat16):
        assert tf.random.normal([2, 3], dtype=dtype).dtype == dtype
    assert tf.random.normal(tf.constant([2, 3])).shape == (2, 3)
    assert tf.random.normal([]).shape == ()


def test_normal_parameters_broadcast():
    x = tf.random.normal([N, 3], mean=[0.0, 10.0, -10.0], stddev=[1.0, 0.5, 2.0]).numpy()
    np.testing.assert_allclose(x.mean(axis=0), [0, 10, -10], atol=0.1)
    np.testing.assert_allclose(x.std(axis=0), [1, 0.5, 2], atol=0.1)


def test_uniform_float_range_is_half_open():
    x = tf.random.uniform([N], minval=-2.0, maxval=3.0).numpy()
    assert x.dtype == np.float32 and x.min() >= -2.0 and x.max() < 3.0
    assert abs(x.mean() - 0.5) < 0.1
    default = tf.random.uniform([N]).numpy()
    assert default.min() >= 0.0 and default.max() < 1.0
    for dtype in (tf.float16, tf.bfloat16):
        low = tf.random.uniform([N], dtype=dtype)
        assert low.dtype == dtype and float(tf.reduce_sum(low)) > 0
        values = np.asarray(low.numpy(), dtype=np.float32)
        assert values.min() >= 0.0 and values.max() < 1.0


def test_uniform_int_covers_range_without_maxval():
    x = tf.random.uniform([N], minval=-3, maxval=4, dtype=tf.int32).numpy()
    assert x.dtype == np.int32
    assert set(np.unique(x).tolist()) == set(range(-3, 4))
    counts = np.bincount(x + 3)
    assert counts.min() > N / 7 * 0.9
    assert tf.random.uniform([3], 0, 10, dtype=tf.int64).dtype == tf.int64


def test_truncated_normal_stays_within_two_stddevs():
    x = tf.random.truncated_normal([N], mean=1.0, stddev=2.0).numpy()
    assert x.min() >= 1.0 - 4.0 and x.max() <= 1.0 + 4.0
    assert abs(x.mean() - 1.0) < 0.1
    # the standard deviation of N(0, 1) truncated to [-2, 2] is 0.8796
    assert abs(x.std() / 2.0 - 0.8796) < 0.03


def test_shuffle_permutes_first_axis_only():
    value = np.arange(12).reshape(6, 2)
    out = tf.random.shuffle(value).numpy()
    assert sorted(map(tuple, out)) == sorted(map(tuple, value))
    assert all(row[1] == row[0] + 1 for row in out)
    assert tf.random.shuffle(3).numpy() == 3
    orders = {tuple(tf.random.shuffle(np.arange(5)).numpy()) for _ in range(20)}
    assert len(orders) > 1


def test_categorical_frequencies_follow_softmax():
    logits = np.log([[0.2, 0.3, 0.5], [0.9, 0.1, 0.0 + 1e-300]])
    out = tf.random.categorical(logits, N)
    assert out.dtype == tf.int64 and out.shape == (2, N)
    freq = np.stack([np.bincount(row, minlength=3) / N for row in out.numpy()])
    np.testing.assert_allclose(freq[0], [0.2, 0.3, 0.5], atol=0.02)
    np.testing.assert_allclose(freq[1], [0.9, 0.1, 0.0], atol=0.02)
    never = tf.random.categorical([[-np.inf, 0.0, -np.inf]], 100, dtype=tf.int32)
    assert never.dtype == tf.int32 and (never.numpy() == 1).all()
    assert tf.random.categorical([[0.0, 1.0]], 0).shape == (1, 0)


def test_gamma_and_poisson_means():
    g = tf.random.gamma([N], alpha=[1.5, 4.0], beta=[1.0, 2.0])
    assert g.dtype == tf.float32 and g.shape == (N, 2)
    np.testing.assert_allclose(g.numpy().mean(axis=0), [1.5, 2.0], rtol=0.05)
    assert (g.numpy() > 0).all()
    assert tf.random.gamma([3], [[1.0], [2.0]], beta=[3.0, 4.0, 5.0]).shape == (3, 2, 3)
    p = tf.random.poisson([N], lam=[0.5, 7.0])
    assert p.dtype == tf.float32 and p.shape == (N, 2)
    np.testing.assert_allclose(p.numpy().mean(axis=0), [0.5, 7.0], rtol=0.05)
    assert tf.random.poisson([3], 2.0, dtype=tf.int64).dtype == tf.int64


# ---------------------------------------------------------------------------------------------------------
# Seeds


def test_no_seed_is_nondeterministic():
    assert not np.array_equal(tf.random.normal([10]).numpy(), tf.random.normal([10]).numpy())


def test_global_seed_repeats_the_program_and_set_seed_restarts_it():
    tf.random.set_seed(42)
    first = [tf.random.uniform([3]).numpy(), tf.random.normal([3]).numpy()]
    tf.random.set_seed(42)
    second = [tf.random.uniform([3]).numpy(), tf.random.normal([3]).numpy()]
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.array_equal(first[0], tf.random.uniform([3]).numpy())
    tf.random.set_seed(43)
    assert not np.array_equal(first[0], tf.random.uniform([3]).numpy())


def test_op_seed_continues_its_stream_until_set_seed():
    tf.random.set_seed(7)
    a1 = tf.random.uniform([3], seed=1).numpy()
    a2 = tf.random.uniform([3], seed=1).numpy()
    assert not np.array_equal(a1, a2)
    tf.random.set_seed(7)
    np.testing.assert_array_equal(tf.random.uniform([3], seed=1).numpy(), a1)
    np.testing.assert_array_equal(tf.random.uniform([3], seed=1).numpy(), a2)
    tf.random.set_seed(8)
    assert not np.array_equal(tf.random.uniform([3], seed=1).numpy(), a1)


def test_op_seed_without_global_seed_is_deterministic_after_reset():
    a = tf.random.normal([4], seed=3).numpy()
    tf.random.set_seed(None)
    np.testing.assert_array_equal(tf.random.normal([4], seed=3).numpy(), a)


def test_seeded_ops_of_every_kind_repeat():
    def run():
        tf.random.set_seed(11)
        return [tf.random.truncated_normal([3]), tf.random.shuffle(np.arange(6)), tf.random.categorical(
            [[0.0, 1.0, 2.0]], 5), tf.random.gamma([3], 2.0), tf.random.poisson([3], 3.0),
            tf.random.uniform([3], 0, 100, dtype=tf.int32)]

    for x, y in zip(run(), run()):
        np.testing.assert_array_equal(x.numpy(), y.numpy())


def test_stateless_ops_depend_only_on_seed():
    for fn in (lambda s: tf.random.stateless_normal([5], seed=s),
               lambda s: tf.random.stateless_uniform([5], seed=s),
               lambda s: tf.random.stateless_truncated_normal([5], seed=s),
               lambda s: tf.random.stateless_uniform([5], seed=s, minval=0, maxval=100, dtype=tf.int64),
               lambda s: tf.random.stateless_uniform([5], seed=s, minval=None, maxval=None, dtype=tf.int32),
               lambda s: tf.random.stateless_categorical([[0.0, 0.0, 0.0]], 8, seed=s),
               lambda s: tf.random.stateless_gamma([5], seed=s, alpha=2.0),
               lambda s: tf.random.stateless_poisson([5], seed=s, lam=4.0)):
        np.testing.assert_array_equal(fn([1, 2]).numpy(), fn(tf.constant([1, 2], tf.int64)).numpy())
        assert not np.array_equal(fn([1, 2]).numpy(), fn([1, 3]).numpy())
    x = tf.random.stateless_normal([N], seed=[4, 5], mean=1.0, stddev=2.0).numpy()
    assert abs(x.mean() - 1.0) < 0.1 and abs(x.std() - 2.0) < 0.1
    assert tf.random.stateless_uniform([2], seed=[1, 2], minval=None, maxval=None, dtype=tf.uint32).dtype == \
        tf.uint32


def test_seed_helpers_make_distinct_seeds():
    seeds = tf.random.split([1, 2], num=3)
    assert seeds.shape == (3, 2) and len({tuple(s) for s in seeds.numpy()}) == 3
    np.testing.assert_array_equal(tf.random.fold_in([1, 2], 5).numpy(), tf.random.fold_in([1, 2], 5).numpy())
    assert not np.array_equal(tf.random.fold_in([1, 2], 5).numpy(), tf.random.fold_in([1, 2], 6).numpy())


# ---------------------------------------------------------------------------------------------------------
# Generator


def test_generator_from_seed_is_reproducible_and_advances_its_counter():
    g = tf.random.Generator.from_seed(1)
    np.testing.assert_array_equal(g.state.numpy(), [1, 0, 0])
    assert g.algorithm == tf.random.Algorithm.PHILOX.value and int(g.key) == 0
    first = g.normal([3])
    np.testing.assert_array_equal(g.state.numpy(), [1 + 256 * 3, 0, 0])
    np.testing.assert_array_equal(tf.random.Generator.from_seed(1).normal([3]).numpy(), first.numpy())
    assert not np.array_equal(g.normal([3]).numpy(), first.numpy())
    g.reset_from_seed(1)
    np.testing.assert_array_equal(g.normal([3]).numpy(), first.numpy())
    g.skip(10)
    assert int(g.state.numpy()[0]) == 1 + 256 * 13


def test_generator_distributions():
    g = tf.random.Generator.from_seed(123)
    x = g.normal([N], mean=1.0, stddev=0.5).numpy()
    assert abs(x.mean() - 1.0) < 0.05 and abs(x.std() - 0.5) < 0.05
    u = g.uniform([N], minval=2.0, maxval=4.0).numpy()
    assert u.min() >= 2.0 and u.max() < 4.0
    ints = g.uniform([N], minval=0, maxval=5, dtype=tf.int32).numpy()
    assert set(np.unique(ints).tolist()) == {0, 1, 2, 3, 4}
    t = g.truncated_normal([N]).numpy()
    assert np.abs(t).max() <= 2.0
    assert g.uniform_full_int([4]).dtype == tf.uint64
    seeds = g.make_seeds(3)
    assert seeds.shape == (2, 3) and seeds.dtype == tf.int64


def test_generator_split_gives_independent_generators():
    g = tf.random.Generator.from_seed(5)
    children = g.split(2)
    assert len(children) == 2 and all(isinstance(c, tf.random.Generator) for c in children)
    a, b = (c.normal([5]).numpy() for c in children)
    assert not np.array_equal(a, b)
    again = tf.random.Generator.from_seed(5).split(2)
    np.testing.assert_array_equal(again[0].normal([5]).numpy(), a)


def test_generator_algorithms_and_global_generator():
    g = tf.random.Generator.from_seed(1, alg="threefry")
    np.testing.assert_array_equal(g.state.numpy(), [1, 0])
    assert g.algorithm == 2 and g.normal([2]).shape == (2,)
    np.testing.assert_array_equal(tf.random.create_rng_state(2**64 + 3, "philox"), [3, 1, 0])
    nondeterministic = tf.random.Generator.from_non_deterministic_state()
    other = tf.random.Generator.from_non_deterministic_state()
    assert not np.array_equal(nondeterministic.state.numpy(), other.state.numpy())
    mine = tf.random.Generator.from_seed(9)
    tf.random.set_global_generator(mine)
    assert tf.random.get_global_generator() is mine
    copy = tf.random.Generator(copy_from=mine)
    np.testing.assert_array_equal(copy.normal([3]).numpy(), mine.normal([3]).numpy())


# ---------------------------------------------------------------------------------------------------------
# Errors


def test_argument_errors_match_tf():
    with pytest.raises(ValueError, match="Must specify maxval for integer dtype tf.int32"):
        tf.random.uniform([2], dtype=tf.int32)
    with pytest.raises(ValueError, match="Argument `dtype` got invalid value <dtype: 'int8'>"):
        tf.random.uniform([2], 0, 10, dtype=tf.int8)
    with pytest.raises(tf.errors.InvalidArgumentError, match="minval must be 0-D, got shape \\[2\\]"):
        tf.random.uniform([2], [0, 1], 10, dtype=tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Need minval < maxval, got 5 >= 5"):
        tf.random.uniform([2], 5, 5, dtype=tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Dimension -1 must be >= 0"):
        tf.random.uniform([-1])
    with pytest.raises(TypeError, match="Cannot convert 0.0 to EagerTensor of dtype int32"):
        tf.random.normal([2], dtype=tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'dtype' of complex64"):
        tf.random.normal([2], dtype=tf.complex64)
    with pytest.raises(ValueError, match="requested dtype float32 for Tensor with dtype float64"):
        tf.random.normal([2], mean=tf.constant(1.0, tf.float64))


def test_categorical_and_stateless_errors_match_tf():
    with pytest.raises(tf.errors.InvalidArgumentError, match="logits should be a matrix, got shape \\[2\\]"):
        tf.random.categorical([0.0, 1.0], 5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_samples should be non-negative, got -1"):
        tf.random.categorical([[0.0, 1.0]], -1)
    with pytest.raises(ValueError, match="Accepted dtypes are \\(tf.int32, tf.int64\\)"):
        tf.random.categorical([[0.0, 1.0]], 5, dtype=tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="seed must have shape \\[2\\], not \\[3\\]"):
        tf.random.stateless_normal([2], seed=[1, 2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'Tseed' of float"):
        tf.random.stateless_normal([2], seed=[1.0, 2.0])
    with pytest.raises(ValueError, match="must be both None or not None"):
        tf.random.stateless_uniform([2], seed=[1, 2], dtype=tf.int32)
    with pytest.raises(ValueError, match="minval and maxval must be both `None` or both non-`None`"):
        tf.random.Generator.from_seed(1).uniform([2], dtype=tf.int32)
    with pytest.raises(ValueError, match="Argument `alg` got unsupported value foo"):
        tf.random.Generator.from_seed(1, alg="foo")


# ---------------------------------------------------------------------------------------------------------
# Gradients


def test_location_scale_and_range_gradients():
    mean, stddev = tf.Variable(1.0), tf.Variable(2.0)
    low, high = tf.Variable(-1.0), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        x = tf.random.normal([50], mean=mean, stddev=stddev)
        u = tf.random.uniform([50], minval=low, maxval=high)
        total = tf.reduce_sum(x) + tf.reduce_sum(u)
    g_mean, g_std, g_low, g_high = tape.gradient(total, [mean, stddev, low, high])
    assert float(g_mean) == pytest.approx(50.0)
    assert float(g_std) == pytest.approx(float(tf.reduce_sum((x - 1.0) / 2.0)), rel=1e-5)
    assert float(g_low) + float(g_high) == pytest.approx(50.0, rel=1e-5)


def test_stateless_normal_is_differentiable_in_its_parameters():
    check_gradients(lambda m, s: tf.random.stateless_normal([4], seed=[3, 4], mean=m, stddev=s,
                                                            dtype=tf.float64), 0.5, 1.5, order=2)


def test_gamma_reparameterisation_gradient():
    # d sample / d alpha holds the sample's CDF level fixed: compare with the inverse CDF's derivative
    alpha = tf.constant([0.7, 1.5, 4.0], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(alpha)
        sample = tf.random.stateless_gamma([2, 3], seed=[1, 2], alpha=alpha, dtype=tf.float64)
    grad = tape.gradient(sample, alpha, output_gradients=tf.constant([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]],
                                                                       tf.float64)).numpy()
    level = special.gammainc(alpha.numpy(), sample.numpy()[0])
    step = 1e-6
    expected = (special.gammaincinv(alpha.numpy() + step, level) -
                special.gammaincinv(alpha.numpy() - step, level)) / (2 * step)
    np.testing.assert_allclose(grad, expected, rtol=1e-4)
    check_gradients(lambda b: tf.random.stateless_gamma([3, 2], seed=[1, 2], alpha=[1.5, 4.0], beta=b,
                                                        dtype=tf.float64), [2.0, 0.5])
    alpha = tf.constant([2.0, 5.0], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(alpha)
        total = tf.reduce_sum(tf.random.gamma([N], alpha, dtype=tf.float64))
    # E[sample] = alpha, so d E[sum] / d alpha = N
    np.testing.assert_allclose(tape.gradient(total, alpha).numpy() / N, [1.0, 1.0], rtol=0.03)


def test_traced_random_ops_draw_fresh_numbers_per_call():
    fn = tf.function(lambda: tf.random.normal([4]))
    assert not np.array_equal(fn().numpy(), fn().numpy())


def test_shapes_known_only_at_run_time_work_in_functions():
    @tf.function
    def noisy(x):
        return (x + tf.random.normal(tf.shape(x), stddev=0.1), tf.random.uniform([tf.shape(x)[0], 2]),
                tf.random.stateless_normal(tf.shape(x), seed=[1, 2]), tf.random.gamma(tf.shape(x), [1.0, 2.0]))

    for rows in (3, 5):
        shapes = [t.shape.as_list() for t in noisy(tf.ones([rows, 2]))]
        assert shapes == [[rows, 2], [rows, 2], [rows, 2], [rows, 2, 2]]
