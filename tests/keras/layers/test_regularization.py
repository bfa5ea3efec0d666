"""Regularization layers: inference is the identity (parity with Keras 3), training statistics, seeds, configs."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


CASES = [
    ("Dropout", {"rate": 0.5}, (3, 4)),
    ("Dropout", {"rate": 0.3, "noise_shape": (None, 1, 4), "seed": 3}, (2, 3, 4)),
    ("SpatialDropout1D", {"rate": 0.5}, (2, 3, 4)),
    ("SpatialDropout2D", {"rate": 0.5, "data_format": "channels_first"}, (2, 3, 4, 4)),
    ("SpatialDropout3D", {"rate": 0.2, "seed": 1}, (1, 2, 3, 2, 4)),
    ("AlphaDropout", {"rate": 0.2}, (3, 4)),
    ("GaussianNoise", {"stddev": 0.3, "seed": 2}, (3, 4)),
    ("GaussianDropout", {"rate": 0.4}, (3, 4)),
    ("ActivityRegularization", {"l1": 0.1, "l2": 0.01}, (3, 4)),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs,shape", CASES)
def test_inference_is_identity_like_keras_and_config_matches(name, kwargs, shape):
    x = _rand(*shape)
    ours = getattr(layers, name)(**kwargs)
    theirs = getattr(keras.layers, name)(**kwargs)
    for training in (None, False):
        call_kwargs = {} if training is None else {"training": training}
        np.testing.assert_allclose(ours(x, **call_kwargs).numpy(), np.asarray(theirs(x, **call_kwargs)), **TOL)
    assert ours.compute_output_shape(shape) == tuple(theirs.compute_output_shape(shape))
    assert ours.weights == [] and ours.built == theirs.built
    config = ours.get_config()
    assert config.keys() == theirs.get_config().keys()
    assert type(ours).from_config(config).get_config() == config


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", [("Dropout", {"rate": 0.0}), ("GaussianNoise", {"stddev": 0.0}),
                                         ("GaussianDropout", {"rate": 0.0}), ("AlphaDropout", {"rate": 0.0})])
def test_zero_rate_is_identity_in_training(name, kwargs):
    x = _rand(3, 4)
    np.testing.assert_array_equal(getattr(layers, name)(**kwargs)(x, training=True).numpy(), x)
    np.testing.assert_allclose(np.asarray(getattr(keras.layers, name)(**kwargs)(x, training=True)), x)


def test_dropout_statistics_and_scaling():
    x = np.ones((200, 100), "float32")
    out = layers.Dropout(0.3)(x, training=True).numpy()
    kept = out != 0
    assert abs(kept.mean() - 0.7) < 0.02
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-6)
    np.testing.assert_array_equal(layers.Dropout(1.0)(x, training=True).numpy(), np.zeros_like(x))


def test_dropout_noise_shape_shares_decisions():
    x = np.ones((4, 50, 6), "float32")
    out = layers.Dropout(0.5, noise_shape=(None, 1, 6))(x, training=True).numpy()
    assert (out == out[:, :1, :]).all()
    assert 0 < (out == 0).mean() < 1


@pytest.mark.parametrize("layer,shape,axes", [
    (layers.SpatialDropout1D(0.5), (8, 20, 6), (1,)),
    (layers.SpatialDropout2D(0.5), (8, 5, 4, 6), (1, 2)),
    (layers.SpatialDropout2D(0.5, data_format="channels_first"), (8, 6, 5, 4), (2, 3)),
    (layers.SpatialDropout3D(0.5), (4, 3, 2, 3, 6), (1, 2, 3)),
])
def test_spatial_dropout_drops_whole_feature_maps(layer, shape, axes):
    out = layer(np.ones(shape, "float32"), training=True).numpy()
    per_map = out.min(axis=axes) == out.max(axis=axes)
    assert per_map.all()
    assert set(np.unique(out)) <= {0.0, 2.0} and 0 < (out == 0).mean() < 1


def test_seeded_layers_are_reproducible_and_advance():
    x = np.ones((10, 10), "float32")
    first, second = layers.Dropout(0.5, seed=7), layers.Dropout(0.5, seed=7)
    a1, a2 = first(x, training=True).numpy(), first(x, training=True).numpy()
    np.testing.assert_array_equal(a1, second(x, training=True).numpy())
    assert not np.array_equal(a1, a2)
    noise1 = layers.GaussianNoise(0.5, seed=3)(x, training=True).numpy()
    np.testing.assert_array_equal(noise1, layers.GaussianNoise(0.5, seed=3)(x, training=True).numpy())


def test_dropout_in_function_draws_fresh_masks():
    layer = layers.Dropout(0.5, seed=1)
    fn = tf.function(lambda t: layer(t, training=True))
    x = tf.ones((8, 8))
    assert not np.array_equal(fn(x).numpy(), fn(x).numpy())


def test_dropout_training_flag_propagates_from_outer_layer():
    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.dropout = layers.Dropout(0.9)

        def call(self, inputs, training=None):
            return self.dropout(inputs)

    x = np.ones((5, 5), "float32")
    np.testing.assert_array_equal(Outer()(x).numpy(), x)
    assert (Outer()(x, training=True).numpy() == 0).any()


def test_dropout_gradient_matches_mask():
    layer = layers.Dropout(0.5, seed=4)
    x = tf.constant(np.ones((6, 6), "float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = layer(x, training=True)
    grad = tape.gradient(out, x).numpy()
    np.testing.assert_allclose(grad, out.numpy(), rtol=1e-6)


def test_alpha_dropout_keeps_mean_and_variance():
    x = np.random.default_rng(0).standard_normal((400, 250)).astype("float32")
    out = layers.AlphaDropout(0.2, seed=0)(x, training=True).numpy()
    assert abs(out.mean()) < 0.03
    assert abs(out.var() - 1.0) < 0.05
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = (0.8 * (1 + 0.2 * alpha_p ** 2)) ** -0.5
    dropped_value = a * alpha_p - a * alpha_p * 0.2
    assert abs(np.isclose(out, dropped_value, atol=1e-6).mean() - 0.2) < 0.01


def test_gaussian_noise_and_dropout_statistics():
    x = np.ones((300, 200), "float32")
    noisy = layers.GaussianNoise(0.2)(x, training=True).numpy()
    assert abs((noisy - x).std() - 0.2) < 0.01 and abs((noisy - x).mean()) < 0.01
    dropped = layers.GaussianDropout(0.3)(x, training=True).numpy()
    assert abs(dropped.mean() - 1.0) < 0.01
    assert abs(dropped.std() - np.sqrt(0.3 / 0.7)) < 0.01


@pytest.mark.parity
def test_activity_regularization_losses_match_keras():
    x = _rand(4, 3)
    ours, theirs = layers.ActivityRegularization(l1=0.1, l2=0.2), keras.layers.ActivityRegularization(l1=0.1, l2=0.2)
    np.testing.assert_array_equal(ours(x).numpy(), x)
    theirs(x)
    assert len(ours.losses) == len(theirs.losses) == 1
    np.testing.assert_allclose(float(ours.losses[0]), float(theirs.losses[0]), rtol=1e-6)
    expected = (0.1 * np.abs(x).sum() + 0.2 * np.square(x).sum()) / 4
    np.testing.assert_allclose(float(ours.losses[0]), expected, rtol=1e-5)
    assert "activity_regularizer" not in ours.get_config()


@pytest.mark.parametrize("factory,message", [
    (lambda: layers.Dropout(1.5), "Expected a float value between 0 and 1. Received: rate=1.5"),
    (lambda: layers.Dropout(0.5, noise_shape="abc"), "Expected a tuple or list of integers"),
    (lambda: layers.Dropout(0.5, noise_shape=(None, 0)), "Received negative or zero value at index 1: 0"),
    (lambda: layers.Dropout(0.5, noise_shape=(2.5,)), "Expected all elements to be integers or None"),
    (lambda: layers.Dropout(0.5, noise_shape=5), "Expected an iterable of integers"),
    (lambda: layers.GaussianNoise(-0.1), "Received: stddev=-0.1"),
    (lambda: layers.GaussianDropout(2), "Received: rate=2"),
    (lambda: layers.AlphaDropout(-1), "Received: rate=-1"),
    (lambda: layers.SpatialDropout2D(0.5, data_format="nchw"), "data_format"),
])
def test_argument_errors(factory, message):
    with pytest.raises(ValueError, match=message):
        factory()


def test_spatial_dropout_rank_errors():
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        layers.SpatialDropout1D(0.5)(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="expected ndim=4"):
        layers.SpatialDropout2D(0.5)(np.ones((2, 3, 4), "float32"))
