"""Recurrent layers: parity with Keras 3 (outputs, input/weight/state gradients), masks, initial states, stacked and
custom cells, configs and errors."""
import re

import numpy as np
import pytest

import ndflow as tf
from ndflow import keras as nd_keras
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


def _forward_and_grads(framework, layer, x, upstream, initial_state=None, **call_kwargs):
    x = framework.constant(x)
    states = None if initial_state is None else [framework.constant(s) for s in initial_state]
    with framework.GradientTape() as tape:
        tape.watch(x)
        if states is not None:
            tape.watch(states)
            call_kwargs["initial_state"] = states
        outputs = _as_list(layer(x, **call_kwargs))
        loss = sum(framework.reduce_sum(o * u) for o, u in zip(outputs, upstream))
    sources = [x, *layer.trainable_weights, *(states or [])]
    return [np.asarray(o) for o in outputs], [np.asarray(g) for g in tape.gradient(loss, sources)]


def parity(make, x, initial_state=None, **call_kwargs):
    """Builds ``make(keras.layers)`` and ``make(ndflow layers)``, copies Keras's weights into ours and compares
    outputs and the gradients for the inputs, the weights and the initial states."""
    theirs, ours = make(keras.layers), make(layers)
    theirs(x, **call_kwargs)
    ours(x, **call_kwargs)
    assert _weight_names(ours) == _weight_names(theirs)
    ours.set_weights(theirs.get_weights())
    reference = _as_list(theirs(x, **call_kwargs))
    upstream = [_rand(*np.asarray(r).shape, seed=i + 7) for i, r in enumerate(reference)]
    expected, expected_grads = _forward_and_grads(real_tf, theirs, x, upstream, initial_state, **call_kwargs)
    got, got_grads = _forward_and_grads(tf, ours, x, upstream, initial_state, **call_kwargs)
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a, b, **TOL)
    assert len(got_grads) == len(expected_grads)
    for a, b in zip(got_grads, expected_grads):
        np.testing.assert_allclose(a, b, **TOL)
    return ours, theirs


@pytest.mark.parity
@pytest.mark.parametrize("name", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("options", [
    {},
    {"return_sequences": True},
    {"return_state": True},
    {"return_sequences": True, "return_state": True, "go_backwards": True},
    {"go_backwards": True, "use_bias": False},
    {"unroll": True, "return_sequences": True},
    {"activation": "relu"},
])
def test_layer_parity(name, options):
    parity(lambda L: getattr(L, name)(4, **options), _rand(3, 5, 2))


@pytest.mark.parity
@pytest.mark.parametrize("options", [{"reset_after": False}, {"reset_after": False, "return_sequences": True,
                                                              "go_backwards": True}])
def test_gru_reset_before_parity(options):
    parity(lambda L: L.GRU(3, **options), _rand(2, 6, 3))


@pytest.mark.parity
def test_lstm_options_parity():
    parity(lambda L: L.LSTM(3, unit_forget_bias=False, recurrent_activation="hard_sigmoid", activation="softsign",
                            bias_initializer="random_uniform", return_sequences=True), _rand(2, 4, 3))
    parity(lambda L: L.LSTM(3, implementation=1, return_state=True), _rand(2, 4, 3))


@pytest.mark.parity
@pytest.mark.parametrize("name,n_states", [("SimpleRNN", 1), ("LSTM", 2), ("GRU", 1)])
def test_initial_state_parity(name, n_states):
    states = [_rand(3, 4, seed=10 + i) for i in range(n_states)]
    parity(lambda L: getattr(L, name)(4, return_sequences=True, return_state=True), _rand(3, 5, 2),
           initial_state=states)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("options", [{}, {"return_sequences": True}, {"go_backwards": True, "return_sequences": True},
                                     {"return_state": True, "go_backwards": True}])
def test_mask_parity(name, options):
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 0], [0, 0, 1, 1, 1]], dtype=bool)
    parity(lambda L: getattr(L, name)(4, **options), _rand(3, 5, 2), mask=mask)


@pytest.mark.parity
def test_zero_output_for_mask_parity():
    mask = np.array([[1, 1, 0, 1], [0, 1, 1, 0]], dtype=bool)
    parity(lambda L: L.RNN(L.LSTMCell(3), return_sequences=True, zero_output_for_mask=True), _rand(2, 4, 2),
           mask=mask)


@pytest.mark.parity
def test_embedding_mask_propagates_like_keras():
    tokens = np.array([[3, 1, 4, 0, 0], [2, 7, 0, 0, 0]], dtype="int32")

    def run(module, weights=None):
        embedding = module.layers.Embedding(8, 3, mask_zero=True)
        lstm = module.layers.LSTM(4, return_sequences=True)
        out = lstm(embedding(tokens))
        return embedding, lstm, out

    k_emb, k_lstm, expected = run(keras)
    o_emb, o_lstm, _ = run(nd_keras)
    o_emb.set_weights(k_emb.get_weights())
    o_lstm.set_weights(k_lstm.get_weights())
    got = o_lstm(o_emb(tokens))
    np.testing.assert_allclose(got.numpy(), np.asarray(expected), **TOL)
    np.testing.assert_array_equal(got._keras_mask.numpy(), tokens != 0)


@pytest.mark.parity
@pytest.mark.parametrize("options", [{}, {"return_sequences": True, "return_state": True}])
def test_stacked_cells_parity(options):
    ours, theirs = parity(lambda L: L.RNN([L.LSTMCell(3), L.GRUCell(2), L.SimpleRNNCell(4)], **options),
                          _rand(2, 5, 3))
    assert _weight_names(ours)[0] == "stacked_rnn_cells/lstm_cell/kernel"
    assert ours.compute_output_shape((2, 5, 3)) == theirs.compute_output_shape((2, 5, 3))


def _minimal_cell_class(base, matmul):
    """Keras's ``MinimalRNNCell`` example, for either library."""

    class MinimalRNNCell(base):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="uniform", name="kernel")
            self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), initializer="uniform",
                                                    name="recurrent_kernel")

        def call(self, inputs, states):
            prev_output = states[0]
            output = matmul(inputs, self.kernel) + matmul(prev_output, self.recurrent_kernel)
            return output, [output]

    return MinimalRNNCell


@pytest.mark.parity
@pytest.mark.parametrize("options", [{}, {"return_sequences": True, "go_backwards": True}])
def test_custom_cell_parity(options):
    ours_cls = _minimal_cell_class(layers.Layer, tf.matmul)
    theirs_cls = _minimal_cell_class(keras.layers.Layer, keras.ops.matmul)

    def make(L):
        cell = (ours_cls if L is layers else theirs_cls)(4)
        return L.RNN(cell, **options)

    parity(make, _rand(3, 5, 2))
    parity(lambda L: L.RNN([(ours_cls if L is layers else theirs_cls)(3),
                            (ours_cls if L is layers else theirs_cls)(2)]), _rand(3, 5, 2))


def test_plain_object_cell_runs():
    class Accumulate:
        state_size = 2
        output_size = 2

        def call(self, inputs, states):
            total = states[0] + inputs
            return total, [total]

    x = _rand(2, 4, 2)
    out = layers.RNN(Accumulate(), return_sequences=True)(x)
    np.testing.assert_allclose(out.numpy(), np.cumsum(x, axis=1), rtol=1e-6)


def test_multi_dimensional_state_size_and_masked_steps():
    class Accumulate2D(layers.Layer):
        state_size = tf.TensorShape([2, 3])
        output_size = 6

        def call(self, inputs, states):
            total = states[0] + tf.reshape(inputs, (-1, 2, 3))
            return tf.reshape(total, (-1, 6)), [total]

    layer = layers.RNN(Accumulate2D(), return_sequences=True, return_state=True)
    x = _rand(4, 5, 6)
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 0, 1], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]], dtype=bool)
    outputs, state = layer(x, mask=mask)
    kept = np.cumsum(x * mask[..., None], axis=1)
    np.testing.assert_allclose(state.numpy(), kept[:, -1].reshape(4, 2, 3), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(outputs.numpy(), kept, rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape((4, 5, 6)) == ((4, 5, 6), (4, 2, 3))


@pytest.mark.parity
def test_masking_layer_parity():
    x = _rand(3, 5, 2)
    x[0, 3:] = 0.0
    x[2, :2] = 0.0

    def run(module):
        masking, gru = module.layers.Masking(0.0), module.layers.GRU(3, return_sequences=True, go_backwards=True)
        return masking, gru, gru(masking(x))

    _, k_gru, expected = run(keras)
    _, o_gru, _ = run(nd_keras)
    o_gru.set_weights(k_gru.get_weights())
    np.testing.assert_allclose(o_gru(layers.Masking(0.0)(x)).numpy(), np.asarray(expected), **TOL)


def test_lstm_matches_numpy_reference():
    x = _rand(2, 4, 3)
    layer = layers.LSTM(2, return_sequences=True, bias_initializer="random_normal", unit_forget_bias=False)
    out = layer(x).numpy()
    kernel, recurrent, bias = layer.get_weights()
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    h = c = np.zeros((2, 2))
    for t in range(4):
        z = x[:, t] @ kernel + h @ recurrent + bias
        i, f, g, o = np.split(z, 4, axis=-1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        np.testing.assert_allclose(out[:, t], h, rtol=1e-5, atol=1e-6)


def test_gru_matches_numpy_reference():
    x = _rand(2, 3, 3)
    layer = layers.GRU(2, go_backwards=True, bias_initializer="random_normal")
    out = layer(x).numpy()
    kernel, recurrent, bias = layer.get_weights()
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    h = np.zeros((2, 2))
    for t in reversed(range(3)):
        xz, xr, xh = np.split(x[:, t] @ kernel + bias[0], 3, axis=-1)
        rz, rr, rh = np.split(h @ recurrent + bias[1], 3, axis=-1)
        z, r = sigmoid(xz + rz), sigmoid(xr + rr)
        h = z * h + (1 - z) * np.tanh(xh + r * rh)
    np.testing.assert_allclose(out, h, rtol=1e-5, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["SimpleRNNCell", "LSTMCell", "GRUCell"])
def test_cell_step_parity(name):
    x = _rand(3, 2)
    theirs, ours = getattr(keras.layers, name)(4), getattr(layers, name)(4)
    n_states = 2 if name == "LSTMCell" else 1
    states = [_rand(3, 4, seed=5 + i) for i in range(n_states)]
    theirs(x, states)
    ours(x, states)
    ours.set_weights(theirs.get_weights())
    expected_out, expected_states = theirs(x, states)
    got_out, got_states = ours(x, states)
    np.testing.assert_allclose(got_out.numpy(), np.asarray(expected_out), **TOL)
    for a, b in zip(got_states, expected_states):
        np.testing.assert_allclose(a.numpy(), np.asarray(b), **TOL)


@pytest.mark.parity
@pytest.mark.parametrize("make", [
    lambda L: L.SimpleRNN(3, return_sequences=True, dropout=0.1),
    lambda L: L.LSTM(3, return_state=True, kernel_regularizer="l2", recurrent_constraint="non_neg"),
    lambda L: L.GRU(3, reset_after=False, go_backwards=True, bias_regularizer="l1", seed=3),
    lambda L: L.SimpleRNNCell(2, recurrent_dropout=0.2),
    lambda L: L.LSTMCell(2, unit_forget_bias=False, bias_initializer="ones"),
    lambda L: L.GRUCell(2, reset_after=False, activation="relu"),
    lambda L: L.RNN(L.LSTMCell(2), stateful=False, zero_output_for_mask=True, unroll=True),
    lambda L: L.RNN([L.LSTMCell(2), L.GRUCell(3)]),
])
def test_config_matches_keras_and_round_trips(make):
    ours, theirs = make(layers), make(keras.layers)
    config = ours.get_config()
    reference = theirs.get_config()
    assert set(config) == set(reference)
    for key in config:
        if key not in ("name", "cell"):
            assert config[key] == reference[key], key
    if "cell" in config:
        assert config["cell"]["class_name"] == reference["cell"]["class_name"]
        assert set(config["cell"]["config"]) == set(reference["cell"]["config"])
    clone = type(ours).from_config(config)
    assert clone.get_config() == config


def test_weight_paths_and_properties():
    layer = layers.GRU(3, name="g", dropout=0.2, recurrent_dropout=0.1)
    layer(_rand(2, 4, 5))
    assert [w.path for w in layer.weights] == ["g/gru_cell/kernel", "g/gru_cell/recurrent_kernel", "g/gru_cell/bias"]
    assert [tuple(w.shape) for w in layer.weights] == [(5, 9), (3, 9), (2, 9)]
    assert layer.units == 3 and layer.dropout == 0.2 and layer.recurrent_dropout == 0.1 and layer.reset_after
    assert layer.cell.implementation == 1
    lstm = layers.LSTM(2)
    lstm.build((None, 3, 4))
    np.testing.assert_array_equal(lstm.cell.bias.numpy(), [0, 0, 1, 1, 0, 0, 0, 0])


def test_weight_regularizers_join_losses():
    layer = layers.LSTM(3, kernel_regularizer=nd_keras.regularizers.L2(0.1),
                        recurrent_regularizer=nd_keras.regularizers.L1(0.01), bias_regularizer="l2")
    layer(_rand(2, 4, 2))
    kernel, recurrent, bias = layer.get_weights()
    expected = 0.1 * np.sum(kernel ** 2) + 0.01 * np.sum(np.abs(recurrent)) + 0.01 * np.sum(bias ** 2)
    np.testing.assert_allclose(sum(loss.numpy() for loss in layer.losses), expected, rtol=1e-5)


def test_variable_length_sequences_eagerly():
    layer = layers.LSTM(3, return_sequences=True)
    assert tuple(layer(_rand(2, 4, 2)).shape) == (2, 4, 3)
    assert tuple(layer(_rand(2, 9, 2)).shape) == (2, 9, 3)
    assert tuple(layer(_rand(5, 1, 2)).shape) == (5, 1, 3)


@pytest.mark.parametrize("make,shape,expected", [
    (lambda: layers.LSTM(4), (None, 7, 3), (None, 4)),
    (lambda: layers.LSTM(4, return_sequences=True, return_state=True), (2, None, 3),
     ((2, None, 4), (2, 4), (2, 4))),
    (lambda: layers.GRU(2, return_state=True), (None, 5, 3), ((None, 2), (None, 2))),
    (lambda: layers.RNN([layers.LSTMCell(3), layers.SimpleRNNCell(2)], return_state=True), (4, 5, 1),
     ((4, 2), [(4, 3), (4, 3)], (4, 2))),
])
def test_compute_output_shape(make, shape, expected):
    assert make().compute_output_shape(shape) == expected


def test_errors_match_keras():
    with pytest.raises(ValueError, match="expected a positive integer, got 0"):
        layers.LSTM(0)
    with pytest.raises(ValueError, match="should have a `call` method"):
        layers.RNN(object())
    with pytest.raises(ValueError, match="Invalid valid received for argument `use_cudnn`"):
        layers.GRU(2, use_cudnn="yes")
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        layers.LSTM(2)(_rand(2, 3))
    with pytest.raises(ValueError, match="All cells must have a `state_size` attribute"):
        layers.StackedRNNCells([layers.LSTMCell(2), type("NoState", (), {"call": lambda self: None})()])


def test_gradients_through_function_match_eager():
    layer = layers.LSTM(3, return_sequences=True)
    x = tf.constant(_rand(2, 5, 2))
    layer(x)

    def loss_and_grads(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(layer(x) ** 2)
        return loss, tape.gradient(loss, layer.trainable_weights)

    eager_loss, eager_grads = loss_and_grads(x)
    graph_loss, graph_grads = tf.function(loss_and_grads)(x)
    np.testing.assert_allclose(graph_loss.numpy(), eager_loss.numpy(), rtol=1e-6)
    for a, b in zip(graph_grads, eager_grads):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)
