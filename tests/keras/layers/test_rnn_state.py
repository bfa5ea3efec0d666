"""Recurrent layers: stateful layers, dropout masks, and tracing inside ``ndflow.function``."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers
from tests.gradcheck import check_gradients


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


@pytest.mark.parity
@pytest.mark.parametrize("name", ["SimpleRNN", "LSTM", "GRU"])
def test_stateful_carries_states_like_keras(name):
    keras = pytest.importorskip("keras")
    first, second = _rand(2, 3, 4), _rand(2, 3, 4, seed=1)
    theirs = getattr(keras.layers, name)(3, stateful=True)
    ours = getattr(layers, name)(3, stateful=True)
    theirs(first)
    ours(first)
    ours.set_weights(theirs.get_weights())
    theirs.reset_states()
    ours.reset_states()
    for batch in (first, second):
        np.testing.assert_allclose(ours(batch).numpy(), np.asarray(theirs(batch)), rtol=1e-5, atol=1e-5)
    for a, b in zip(ours.states, theirs.states):
        np.testing.assert_allclose(a.numpy(), np.asarray(b), rtol=1e-5, atol=1e-5)
    ours.reset_state()
    theirs.reset_state()
    np.testing.assert_allclose(ours(second).numpy(), np.asarray(theirs(second)), rtol=1e-5, atol=1e-5)


def test_stateful_states_are_not_weights_and_need_a_fixed_batch():
    layer = layers.LSTM(2, stateful=True)
    out = layer(_rand(3, 4, 1))
    assert len(layer.weights) == 3
    assert [tuple(s.shape) for s in layer.states] == [(3, 2), (3, 2)]
    np.testing.assert_allclose(layer.states[0].numpy(), out.numpy())
    layer.reset_states()
    assert not np.any(layer.states[0].numpy()) and not np.any(layer.states[1].numpy())
    with pytest.raises(ValueError, match="batch size must be static"):
        layers.GRU(2, stateful=True).build((None, 4, 1))
    with pytest.raises(ValueError, match="Expected batch size: 3"):
        layer(_rand(5, 4, 1))


def test_stateless_layer_starts_from_zeros_each_call():
    layer = layers.SimpleRNN(2)
    x = _rand(2, 3, 2)
    np.testing.assert_array_equal(layer(x).numpy(), layer(x).numpy())
    assert layer.states is None


def _shared_step_inputs(layer, x_step, timesteps):
    """Runs ``layer`` on a sequence repeating ``x_step`` with a zero recurrent kernel, so each step's output
    depends only on the (dropped-out) input of that step."""
    x = np.repeat(x_step[:, None, :], timesteps, axis=1)
    layer(x)
    weights = layer.get_weights()
    weights[1] = np.zeros_like(weights[1])
    layer.set_weights(weights)
    return layer(x, training=True).numpy(), layer(x, training=False).numpy()


def test_input_dropout_mask_is_shared_across_timesteps():
    layer = layers.SimpleRNN(6, dropout=0.5, return_sequences=True, seed=3)
    trained, inferred = _shared_step_inputs(layer, np.ones((4, 5), "float32"), 4)
    for t in range(1, 4):
        np.testing.assert_allclose(trained[:, t], trained[:, 0], rtol=1e-6)
    assert not np.allclose(trained, inferred)


@pytest.mark.parametrize("make,x", [
    (lambda: layers.LSTM(3, dropout=0.4, recurrent_dropout=0.3), _rand(2, 5, 4)),
    (lambda: layers.GRU(3, dropout=0.4, recurrent_dropout=0.3, reset_after=False), _rand(2, 5, 4)),
    (lambda: layers.ConvLSTM2D(2, 3, dropout=0.4, recurrent_dropout=0.3), _rand(2, 3, 5, 5, 1)),
])
def test_masks_are_drawn_once_per_sequence(make, x, monkeypatch):
    layer = make()
    layer(x)
    drawn = []
    original = type(layer.cell)._create_dropout_mask

    def spy(cell, step_input, rate):
        drawn.append(tuple(step_input.shape))
        return original(cell, step_input, rate)

    monkeypatch.setattr(type(layer.cell), "_create_dropout_mask", spy)
    layer(x, training=True)
    assert drawn == [(x.shape[0], *x.shape[2:]), (x.shape[0], *layer.compute_output_shape(x.shape)[1:])]
    drawn.clear()
    layer(x, training=False)
    assert drawn == []


def test_dropout_masks_are_fresh_for_each_sequence_and_reset():
    layer = layers.LSTM(8, dropout=0.5, recurrent_dropout=0.5, seed=1)
    x = _rand(4, 3, 6)
    a = layer(x, training=True).numpy()
    b = layer(x, training=True).numpy()
    assert not np.allclose(a, b)
    assert layer.cell._dropout_mask is None and layer.cell._recurrent_dropout_mask is None
    np.testing.assert_allclose(layer(x).numpy(), layer(x, training=False).numpy())


def test_seeded_dropout_is_reproducible():
    x = _rand(4, 3, 6)
    outputs = []
    for _ in range(2):
        layer = layers.GRU(5, dropout=0.3, recurrent_dropout=0.3, seed=42, kernel_initializer="ones",
                           recurrent_initializer="zeros")
        outputs.append(layer(x, training=True).numpy())
    np.testing.assert_array_equal(outputs[0], outputs[1])


def test_recurrent_dropout_changes_training_output_only():
    layer = layers.SimpleRNN(4, recurrent_dropout=0.5, return_sequences=True, seed=0)
    x = _rand(3, 5, 2)
    inference = layer(x).numpy()
    assert not np.allclose(layer(x, training=True).numpy(), inference)
    np.testing.assert_allclose(layer(x, training=False).numpy(), inference)


def test_standalone_cell_keeps_its_mask_until_reset():
    cell = layers.SimpleRNNCell(3, dropout=0.5, seed=2)
    x, h = _rand(4, 5), np.zeros((4, 3), "float32")
    first, _ = cell(x, [h], training=True)
    second, _ = cell(x, [h], training=True)
    np.testing.assert_allclose(first.numpy(), second.numpy())
    cell.reset_dropout_mask()
    assert cell._dropout_mask is None


def test_traced_function_with_unknown_batch_and_mask_matches_eager():
    layer = layers.Bidirectional(layers.GRU(3, return_sequences=True))
    x = _rand(2, 4, 3)
    mask = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], dtype=bool)
    eager = layer(x, mask=mask).numpy()
    traced = tf.function(lambda x, m: layer(x, mask=m),
                         input_signature=[tf.TensorSpec([None, 4, 3]), tf.TensorSpec([None, 4], "bool")])
    np.testing.assert_allclose(traced(x, mask).numpy(), eager, rtol=1e-6, atol=1e-6)


def test_traced_stateful_layer_updates_its_states():
    layer = layers.LSTM(2, stateful=True)
    x = _rand(2, 3, 1)
    layer(x)
    layer.reset_states()
    expected_first = layer(x).numpy()
    expected_second = layer(x).numpy()
    layer.reset_states()
    step = tf.function(lambda x: layer(x))
    np.testing.assert_allclose(step(x).numpy(), expected_first, rtol=1e-6)
    np.testing.assert_allclose(step(x).numpy(), expected_second, rtol=1e-6)


def test_unknown_timesteps_while_tracing_is_reported():
    layer = layers.LSTM(2)
    traced = tf.function(lambda x: layer(x), input_signature=[tf.TensorSpec([2, None, 3])])
    with pytest.raises(NotImplementedError, match="static number of timesteps"):
        traced(_rand(2, 4, 3))
    with pytest.raises(ValueError, match="Cannot unroll a RNN if the time dimension is undefined"):
        tf.function(lambda x: layers.GRU(2, unroll=True)(x), input_signature=[tf.TensorSpec([2, None, 3])])(
            _rand(2, 4, 3))


@pytest.mark.parametrize("make", [
    lambda: layers.LSTM(2, return_sequences=True, go_backwards=True, dtype="float64"),
    lambda: layers.GRU(2, reset_after=False, dtype="float64"),
    lambda: layers.RNN(layers.StackedRNNCells([layers.SimpleRNNCell(2, dtype="float64"),
                                               layers.GRUCell(2, dtype="float64")], dtype="float64"),
                       dtype="float64"),
])
def test_gradients_match_finite_differences(make):
    layer = make()
    x = np.random.default_rng(0).standard_normal((2, 3, 2))
    layer(x)
    mask = tf.constant(np.array([[1, 1, 0], [0, 1, 1]], dtype=bool))
    check_gradients(lambda x: layer(x, mask=mask), x)


def test_bidirectional_stateful_carries_and_resets_both_directions():
    layer = layers.Bidirectional(layers.LSTM(2, stateful=True))
    x = _rand(3, 4, 2)
    first = layer(x).numpy()
    assert len(layer.states) == 4 and len(layer.weights) == 6
    assert not np.allclose(layer(x).numpy(), first)
    layer.reset_states()
    np.testing.assert_allclose(layer(x).numpy(), first, rtol=1e-6)
