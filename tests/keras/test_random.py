"""Tests for ``ndflow.keras.random``: seed semantics, distributions and dropout/shuffle."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import random
from ndflow.keras.utils import set_random_seed


def test_int_seed_repeats_and_seed_generator_advances():
    np.testing.assert_array_equal(random.normal((4,), seed=3).numpy(), random.normal((4,), seed=3).numpy())
    generator = random.SeedGenerator(3)
    first, second = random.normal((4,), seed=generator).numpy(), random.normal((4,), seed=generator).numpy()
    assert not np.array_equal(first, second)
    replay = random.SeedGenerator(3)
    np.testing.assert_array_equal(random.normal((4,), seed=replay).numpy(), first)
    np.testing.assert_array_equal(random.SeedGenerator(9).next().numpy(), [9, 0])


def test_unseeded_calls_differ_and_set_random_seed_replays_them():
    assert not np.array_equal(random.uniform((4,)).numpy(), random.uniform((4,)).numpy())
    set_random_seed(11)
    run_one = [random.uniform((3,)).numpy(), random.normal((3,)).numpy()]
    set_random_seed(11)
    run_two = [random.uniform((3,)).numpy(), random.normal((3,)).numpy()]
    for a, b in zip(run_one, run_two):
        np.testing.assert_array_equal(a, b)


def test_distributions():
    normal = random.normal((20000,), mean=2.0, stddev=0.5, seed=1).numpy()
    np.testing.assert_allclose([normal.mean(), normal.std()], [2.0, 0.5], rtol=0.02)
    uniform = random.uniform((20000,), minval=-2.0, maxval=1.0, seed=1, dtype="float64").numpy()
    assert uniform.dtype == np.float64 and uniform.min() >= -2.0 and uniform.max() < 1.0
    truncated = random.truncated_normal((20000,), stddev=2.0, seed=1).numpy()
    assert np.abs(truncated).max() <= 4.0
    integers = random.randint((20000,), 3, 7, seed=1).numpy()
    assert integers.dtype == np.int32 and set(np.unique(integers)) == {3, 4, 5, 6}
    samples = random.categorical(np.log([[0.1, 0.9]]), 5000, seed=2).numpy()
    np.testing.assert_allclose(samples.mean(), 0.9, atol=0.03)


def test_dropout_and_shuffle():
    x = tf.ones((200, 50))
    dropped = random.dropout(x, 0.25, seed=4).numpy()
    kept = dropped != 0
    np.testing.assert_allclose(dropped[kept], 1 / 0.75, rtol=1e-6)
    np.testing.assert_allclose(kept.mean(), 0.75, atol=0.02)
    columns = random.dropout(x, 0.5, noise_shape=(1, 50), seed=4).numpy()
    assert (columns == columns[0]).all()
    values = np.arange(20).reshape(10, 2)
    shuffled = random.shuffle(values, seed=5).numpy()
    assert sorted(shuffled[:, 0].tolist()) == values[:, 0].tolist()
    np.testing.assert_array_equal(shuffled[:, 1] - shuffled[:, 0], np.ones(10))
    assert sorted(random.shuffle(values, axis=1, seed=5).numpy()[3].tolist()) == [6, 7]


def test_dropout_gradient_and_tracing():
    x = tf.Variable(np.ones((4, 5), np.float32))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(random.dropout(x, 0.5, seed=1))
    gradient = tape.gradient(y, x).numpy()
    assert set(np.unique(gradient)) <= {0.0, 2.0}
    generator = random.SeedGenerator(1)

    @tf.function
    def draw():
        return random.uniform((3,), seed=generator)

    assert not np.array_equal(draw().numpy(), draw().numpy())


def test_bad_arguments():
    with pytest.raises(ValueError, match="Argument `seed` must be either an integer"):
        random.normal((2,), seed="x")
    with pytest.raises(ValueError, match="requires a floating point `dtype`"):
        random.uniform((2,), dtype="int32")
    with pytest.raises(ValueError, match="Argument `seed` must be an integer"):
        random.SeedGenerator(1.5)
    config = random.SeedGenerator(4, name="gen").get_config()
    assert config == {"seed": 4, "name": "gen"}
    assert random.SeedGenerator.from_config(config).next().numpy().tolist() == [4, 0]
