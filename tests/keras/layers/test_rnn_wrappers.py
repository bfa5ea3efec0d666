"""Bidirectional, TimeDistributed and ConvLSTM: parity with Keras 3 (outputs and gradients), configs, masks, errors."""
import re

import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

TOL = {"rtol": 1e-4, "atol": 1e-4}


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _weight_names(layer):
    """Weight paths below the layer, without the ``_<n>`` suffixes of automatic names."""
    return [re.sub(r"_\d+(?=/|$)", "", w.path.split("/", 1)[1]) for w in layer.weights]


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _forward_and_grads(framework, layer, x, upstream, **call_kwargs):
    x = framework.constant(x)
    with framework.GradientTape() as tape:
        tape.watch(x)
        outputs = _as_list(layer(x, **call_kwargs))
        loss = sum(framework.reduce_sum(o * u) for o, u in zip(outputs, upstream))
    grads = tape.gradient(loss, [x, *layer.trainable_weights])
    return [np.asarray(o) for o in outputs], [np.asarray(g) for g in grads]


def parity(make, x, **call_kwargs):
    """Same layer in both libraries, Keras's weights copied into ours; outputs and gradients must agree."""
    theirs, ours = make(keras.layers), make(layers)
    theirs(x, **call_kwargs)
    ours(x, **call_kwargs)
    assert _weight_names(ours) == _weight_names(theirs)
    ours.set_weights(theirs.get_weights())
    reference = _as_list(theirs(x, **call_kwargs))
    upstream = [_rand(*np.asarray(r).shape, seed=i + 3) for i, r in enumerate(reference)]
    expected, expected_grads = _forward_and_grads(real_tf, theirs, x, upstream, **call_kwargs)
    got, got_grads = _forward_and_grads(tf, ours, x, upstream, **call_kwargs)
    assert [a.shape for a in got] == [b.shape for b in expected]
    for a, b in zip(got + got_grads, expected + expected_grads):
        np.testing.assert_allclose(a, b, **TOL)
    return ours, theirs


@pytest.mark.parity
@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional_merge_modes_parity(merge_mode, return_sequences):
    ours, theirs = parity(lambda L: L.Bidirectional(L.LSTM(3, return_sequences=return_sequences),
                                                    merge_mode=merge_mode), _rand(2, 5, 4))
    shape = (None, 5, 4)
    assert ours.compute_output_shape(shape) == theirs.compute_output_shape(shape)


@pytest.mark.parity
def test_bidirectional_return_state_and_mask_parity():
    mask = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], dtype=bool)
    ours, theirs = parity(lambda L: L.Bidirectional(L.GRU(3, return_sequences=True, return_state=True)),
                          _rand(2, 4, 3), mask=mask)
    assert ours.compute_output_shape((2, 4, 3)) == theirs.compute_output_shape((2, 4, 3))
    parity(lambda L: L.Bidirectional(L.SimpleRNN(2, return_state=True), merge_mode=None), _rand(2, 4, 3))


@pytest.mark.parity
def test_bidirectional_backward_layer_and_initial_state_parity():
    states = [_rand(2, 3, seed=s) for s in range(4)]
    parity(lambda L: L.Bidirectional(L.LSTM(3, return_sequences=True),
                                     backward_layer=L.LSTM(3, return_sequences=True, go_backwards=True)),
           _rand(2, 4, 2), initial_state=states)


@pytest.mark.parity
def test_bidirectional_config_and_names():
    ours = layers.Bidirectional(layers.LSTM(2, name="enc"), merge_mode="sum")
    theirs = keras.layers.Bidirectional(keras.layers.LSTM(2, name="enc"), merge_mode="sum")
    assert ours.forward_layer.name == "forward_enc" and ours.backward_layer.name == "backward_enc"
    assert ours.backward_layer.go_backwards and not ours.forward_layer.go_backwards
    config, reference = ours.get_config(), theirs.get_config()
    assert set(config) == set(reference)
    assert set(config["layer"]["config"]) == set(reference["layer"]["config"])
    assert config["layer"]["class_name"] == "LSTM" and config["merge_mode"] == "sum"
    clone = layers.Bidirectional.from_config(config)
    assert clone.get_config()["backward_layer"]["config"]["go_backwards"] is True
    ours(_rand(1, 3, 2))
    assert [w.path for w in ours.weights][0].endswith("forward_enc/lstm_cell/kernel")


def test_bidirectional_errors():
    with pytest.raises(ValueError, match="Invalid merge mode"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="Please initialize `Bidirectional` layer"):
        layers.Bidirectional("lstm")
    with pytest.raises(ValueError, match="should have different `go_backwards` value"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2))
    with pytest.raises(AttributeError, match="Layer must be stateful"):
        layers.Bidirectional(layers.LSTM(2)).reset_states()


@pytest.mark.parity
def test_time_distributed_dense_parity():
    ours, theirs = parity(lambda L: L.TimeDistributed(L.Dense(3, activation="tanh")), _rand(2, 4, 5))
    assert [w.path.split("/", 1)[1] for w in ours.weights] == ["dense/kernel", "dense/bias"]
    assert ours.compute_output_shape((None, 4, 5)) == theirs.compute_output_shape((None, 4, 5))


@pytest.mark.parity
def test_time_distributed_conv2d_parity():
    ours, theirs = parity(lambda L: L.TimeDistributed(L.Conv2D(2, 3, padding="same")), _rand(2, 3, 5, 5, 1))
    assert ours.compute_output_shape((None, 3, 5, 5, 1)) == theirs.compute_output_shape((None, 3, 5, 5, 1))


@pytest.mark.parity
def test_time_distributed_after_lstm_parity():
    def make(L):
        return [L.LSTM(4, return_sequences=True), L.TimeDistributed(L.Dense(2))]

    x = _rand(2, 5, 3)
    theirs, ours = make(keras.layers), make(layers)
    expected = theirs[1](theirs[0](x))
    ours[1](ours[0](x))
    for a, b in zip(ours, theirs):
        a.set_weights(b.get_weights())
    np.testing.assert_allclose(ours[1](ours[0](x)).numpy(), np.asarray(expected), **TOL)


def test_time_distributed_mask_and_errors():
    layer = layers.TimeDistributed(layers.Dense(2))
    x = _rand(2, 3, 4)
    mask = tf.constant(np.array([[1, 0, 1], [1, 1, 0]], dtype=bool))
    out = layer(x, mask=mask)
    np.testing.assert_array_equal(out._keras_mask.numpy(), mask.numpy())
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        layers.TimeDistributed(layers.Dense(2))(_rand(2, 3))
    with pytest.raises(ValueError, match="Please initialize `TimeDistributed` layer"):
        layers.TimeDistributed(3)
    with pytest.raises(ValueError, match="is incompatible with the input shape"):
        layer(x, mask=tf.constant(np.ones((2, 5), dtype=bool)))


@pytest.mark.parity
def test_time_distributed_config_round_trip():
    ours = layers.TimeDistributed(layers.Dense(3))
    theirs = keras.layers.TimeDistributed(keras.layers.Dense(3))
    config = ours.get_config()
    assert set(config) == set(theirs.get_config())
    assert config["layer"]["class_name"] == "Dense"
    clone = layers.TimeDistributed.from_config(config)
    assert clone.layer.units == 3 and clone.get_config() == config


@pytest.mark.parity
@pytest.mark.parametrize("options", [
    {},
    {"return_sequences": True, "padding": "same"},
    {"return_state": True, "strides": 2},
    {"go_backwards": True, "return_sequences": True, "dilation_rate": 2, "use_bias": False},
])
def test_conv_lstm2d_parity(options):
    ours, theirs = parity(lambda L: L.ConvLSTM2D(2, 3, **options), _rand(2, 3, 6, 6, 2))
    shape = (None, 3, 6, 6, 2)
    assert ours.compute_output_shape(shape) == theirs.compute_output_shape(shape)


@pytest.mark.parity
def test_conv_lstm_channels_first_and_1d_3d_parity():
    ours, theirs = parity(lambda L: L.ConvLSTM1D(2, 2, return_sequences=True, padding="same"), _rand(2, 3, 5, 2))
    assert ours.compute_output_shape((2, 3, 5, 2)) == theirs.compute_output_shape((2, 3, 5, 2))
    parity(lambda L: L.ConvLSTM3D(1, 2), _rand(1, 2, 3, 3, 3, 1))
    x = tf.constant(_rand(2, 3, 2, 5, 5))
    layer = layers.ConvLSTM2D(3, 3, data_format="channels_first", return_sequences=True)
    assert tuple(layer(x).shape) == (2, 3, 3, 3, 3)


@pytest.mark.parity
def test_conv_lstm_config_matches_keras():
    ours = layers.ConvLSTM2D(4, (3, 2), strides=(1, 2), padding="same", recurrent_dropout=0.1)
    theirs = keras.layers.ConvLSTM2D(4, (3, 2), strides=(1, 2), padding="same", recurrent_dropout=0.1)
    config, reference = ours.get_config(), theirs.get_config()
    assert set(config) == set(reference)
    for key in ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "recurrent_dropout",
                "kernel_initializer", "unit_forget_bias", "activation"):
        assert config[key] == reference[key], key
    assert layers.ConvLSTM2D.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="not compatible with `dilation_rate > 1`"):
        layers.ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
