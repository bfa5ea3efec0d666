"""Normalization, Rescaling, Discretization: parity with Keras 3 (adapt statistics, outputs, gradients, configs)."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

pytestmark = pytest.mark.parity
TOL = {"rtol": 1e-5, "atol": 1e-5}
RNG = np.random.default_rng(0)
X = RNG.normal(2.0, 3.0, size=(16, 4, 3)).astype("float32")


def _config_round_trip(ours, theirs):
    config = ours.get_config()
    assert set(config) == set(theirs.get_config())
    clone = type(ours).from_config(config)
    assert clone.get_config() == config


@pytest.mark.parametrize("axis", [-1, (1, 2), None, 1])
def test_normalization_adapt_array_matches_keras(axis):
    ours, theirs = layers.Normalization(axis=axis), keras.layers.Normalization(axis=axis)
    ours.adapt(X)
    theirs.adapt(X)
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, **TOL)
    np.testing.assert_allclose(ours(X).numpy(), np.asarray(theirs(X)), **TOL)
    _config_round_trip(ours, theirs)


def test_normalization_adapt_batches_dataset_and_tensor():
    batches = [X[:5], X[5:11], X[11:]]
    theirs = keras.layers.Normalization()
    theirs.adapt(batches)
    expected = theirs.get_weights()
    for data in (batches, tf.data.Dataset.from_tensor_slices(X).batch(5)):
        ours = layers.Normalization()
        ours.adapt(data)
        for a, b in zip(ours.get_weights()[:2], expected[:2]):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    ours = layers.Normalization()
    ours.adapt(tf.constant(X))
    theirs = keras.layers.Normalization()
    theirs.adapt(real_tf.constant(X))
    np.testing.assert_allclose(ours.get_weights()[0], theirs.get_weights()[0], **TOL)
    by_steps = layers.Normalization()
    by_steps.adapt(X, batch_size=5, steps=2)
    np.testing.assert_allclose(by_steps.get_weights()[0], X[:10].reshape(-1, 3).mean(0), **TOL)


def test_normalization_given_statistics_invert_and_gradients():
    mean, variance = [1.0, 2.0, 3.0], [4.0, 0.25, 9.0]
    for invert in (False, True):
        ours = layers.Normalization(mean=mean, variance=variance, invert=invert)
        theirs = keras.layers.Normalization(mean=mean, variance=variance, invert=invert)
        np.testing.assert_allclose(ours(X).numpy(), np.asarray(theirs(X)), **TOL)
        assert ours.weights == []
        _config_round_trip(ours, theirs)
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(layers.Normalization(mean=mean, variance=variance)(x))
    np.testing.assert_allclose(tape.gradient(y, x).numpy()[0, 0], 1 / np.sqrt(variance), **TOL)


def test_normalization_errors():
    with pytest.raises(ValueError, match="both `mean` and `variance` must be set"):
        layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="must have the same shape"):
        layers.Normalization(mean=[1.0, 2.0], variance=[1.0])
    layer = layers.Normalization(axis=3)
    with pytest.raises(ValueError, match=r"range \[-ndim, ndim\)"):
        layer.build((2, 3))


def test_normalization_in_sequential_model_and_dataset_map():
    norm = layers.Normalization()
    norm.adapt(X[:, 0, :])
    model = tf.keras.Sequential([tf.keras.Input((3,)), norm, layers.Dense(2)])
    assert model(X[:, 0, :]).shape == (16, 2)
    mapped = tf.data.Dataset.from_tensor_slices(X[:, 0, :]).batch(4).map(norm)
    got = np.concatenate([b.numpy() for b in mapped])
    np.testing.assert_allclose(got, norm(X[:, 0, :]).numpy(), **TOL)


def test_rescaling_matches_keras():
    images = RNG.uniform(0, 255, (2, 3, 3, 3)).astype("float32")
    for kwargs in ({"scale": 1 / 255.0}, {"scale": 1 / 127.5, "offset": -1.0}, {"scale": [0.5, 1.0, 2.0]}):
        ours, theirs = layers.Rescaling(**kwargs), keras.layers.Rescaling(**kwargs)
        np.testing.assert_allclose(ours(images).numpy(), np.asarray(theirs(images)), **TOL)
        _config_round_trip(ours, theirs)
    assert layers.Rescaling(2.0)(np.ones((2, 2), "uint8")).dtype == tf.float32


@pytest.mark.parametrize("data", [X, [X[:8], X[8:]], "dataset"])
def test_discretization_adapt_matches_keras(data):
    ours = layers.Discretization(num_bins=5, epsilon=0.05)
    theirs = keras.layers.Discretization(num_bins=5, epsilon=0.05)
    if isinstance(data, str):
        ours.adapt(tf.data.Dataset.from_tensor_slices(X).batch(6))
        theirs.adapt(real_tf.data.Dataset.from_tensor_slices(X).batch(6))
    else:
        ours.adapt(data)
        theirs.adapt(data)
    np.testing.assert_allclose(ours.bin_boundaries, theirs.bin_boundaries, **TOL)
    np.testing.assert_array_equal(ours(X).numpy(), np.asarray(theirs(X)))


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
def test_discretization_output_modes_match_keras(mode):
    boundaries = [-1.0, 0.0, 1.5]
    x = np.array([[-2.0, -1.0, 0.5], [1.5, 3.0, 0.0]], "float32")
    ours = layers.Discretization(bin_boundaries=boundaries, output_mode=mode)
    theirs = keras.layers.Discretization(bin_boundaries=boundaries, output_mode=mode)
    expected = np.asarray(theirs(x))
    got = ours(x)
    assert got.dtype.name == str(expected.dtype)
    np.testing.assert_array_equal(got.numpy(), expected)
    assert ours.compute_output_shape((2, 3)) == tuple(theirs.compute_output_shape((2, 3)))
    _config_round_trip(ours, theirs)


def test_discretization_errors():
    with pytest.raises(ValueError, match="either `num_bins` or `bin_boundaries`"):
        layers.Discretization()
    with pytest.raises(ValueError, match="should not be set"):
        layers.Discretization(bin_boundaries=[0.0], num_bins=2)
    with pytest.raises(ValueError, match="Cannot adapt"):
        layers.Discretization(bin_boundaries=[0.0]).adapt(X)
    with pytest.raises(ValueError, match="before you can start using"):
        layers.Discretization(num_bins=3)(X)
