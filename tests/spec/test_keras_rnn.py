"""Recurrent networks and time series (inventory 001c §(e), chapter 15; 003 §(n)): the book's synthetic series,
baselines, SimpleRNN/LSTM/GRU models, forecasting 10 steps ahead, Conv1D and WaveNet-style stacks, and a
custom cell — at small scale (fewer series, few epochs).
"""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras


@pytest.fixture(autouse=True)
def fresh_session():
    keras.backend.clear_session()
    # the book's np.random.seed + tf.random.set_seed is not enough in Keras 3: unseeded initializers draw from
    # Python's `random`, which set_random_seed seeds too
    keras.utils.set_random_seed(42)


def generate_time_series(batch_size, n_steps):
    freq1, freq2, offsets1, offsets2 = np.random.rand(4, batch_size, 1)
    time = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((time - offsets1) * (freq1 * 10 + 10))  # wave 1
    series += 0.2 * np.sin((time - offsets2) * (freq2 * 20 + 20))  # + wave 2
    series += 0.1 * (np.random.rand(batch_size, n_steps) - 0.5)  # + noise
    return series[..., np.newaxis].astype(np.float32)


N_STEPS = 50


@pytest.fixture(scope="module")
def one_step():
    np.random.seed(42)
    series = generate_time_series(10000, N_STEPS + 1)
    X_train, y_train = series[:7000, :N_STEPS], series[:7000, -1]
    X_valid, y_valid = series[7000:9000, :N_STEPS], series[7000:9000, -1]
    X_test, y_test = series[9000:, :N_STEPS], series[9000:, -1]
    return X_train, y_train, X_valid, y_valid, X_test, y_test


@pytest.fixture(scope="module")
def ten_steps():
    np.random.seed(43)
    series = generate_time_series(1000, N_STEPS + 10)
    X_train, Y_train = series[:700, :N_STEPS], series[:700, -10:, 0]
    X_valid, Y_valid = series[700:900, :N_STEPS], series[700:900, -10:, 0]
    return X_train, Y_train, X_valid, Y_valid


def test_series_shapes_and_baselines(one_step):
    X_train, y_train, X_valid, y_valid, *_ = one_step
    assert X_train.shape == (7000, 50, 1) and y_train.shape == (7000, 1)
    y_pred = X_valid[:, -1]
    naive = np.mean(keras.losses.mean_squared_error(y_valid, y_pred))
    assert naive == pytest.approx(0.020, abs=0.002)  # the book: about 0.020

    model = keras.models.Sequential([keras.layers.Flatten(input_shape=[50, 1]), keras.layers.Dense(1)])
    assert model.count_params() == 51
    model.compile(loss="mse", optimizer="adam")
    history = model.fit(X_train, y_train, epochs=20, validation_data=(X_valid, y_valid), verbose=0)
    assert history.history["val_loss"][-1] < 0.5 * naive  # the book: about 0.004
    assert model.evaluate(X_valid, y_valid, verbose=0) == pytest.approx(history.history["val_loss"][-1], rel=1e-5)


def test_simple_rnns(one_step, ten_steps):
    X_train, y_train, X_valid, y_valid, *_ = one_step
    X_train, y_train, X_valid, y_valid = X_train[:600], y_train[:600], X_valid[:200], y_valid[:200]
    naive = np.mean(keras.losses.mean_squared_error(y_valid, X_valid[:, -1]))

    model = keras.models.Sequential([keras.layers.SimpleRNN(1, input_shape=[None, 1])])
    assert model.count_params() == 3
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=0.005))
    history = model.fit(X_train, y_train, epochs=4, validation_data=(X_valid, y_valid), verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]

    deep_rnn = keras.models.Sequential([
        keras.layers.SimpleRNN(20, return_sequences=True, input_shape=[None, 1]),
        keras.layers.SimpleRNN(20, return_sequences=True),
        keras.layers.SimpleRNN(1),
    ])
    assert deep_rnn.count_params() == 1_282
    model = keras.models.Sequential([
        keras.layers.SimpleRNN(20, return_sequences=True, input_shape=[None, 1]),
        keras.layers.SimpleRNN(20),
        keras.layers.Dense(1),
    ])
    assert model.count_params() == 1_281
    model.compile(loss="mse", optimizer="adam")
    history = model.fit(X_train, y_train, epochs=6, validation_data=(X_valid, y_valid), verbose=0)
    assert history.history["val_loss"][-1] < naive  # the book: about 0.003 after 20 epochs

    _, _, X_valid10, Y_valid10 = ten_steps  # forecast 10 steps ahead, one step at a time
    X = X_valid10
    for step_ahead in range(10):
        y_pred_one = model.predict(X[:, step_ahead:], verbose=0)[:, np.newaxis, :]
        X = np.concatenate([X, y_pred_one], axis=1)
    Y_pred = X[:, N_STEPS:, 0]
    assert Y_pred.shape == Y_valid10.shape == (200, 10)
    naive10 = np.mean(keras.metrics.mean_squared_error(Y_valid10, np.tile(X_valid10[:, -1], (1, 10))))
    assert np.mean(keras.metrics.mean_squared_error(Y_valid10, Y_pred)) < 0.5 * naive10  # the errors accumulate


def last_time_step_mse(Y_true, Y_pred):
    return keras.metrics.mean_squared_error(Y_true[:, -1], Y_pred[:, -1])


def sequence_targets(series_X, series_Y):
    """Y[:, t] holds the 10 values after step t (the book's sequence-to-sequence targets)."""
    full = np.concatenate([series_X[..., 0], series_Y], axis=1)
    Y = np.empty((len(series_X), N_STEPS, 10), dtype=np.float32)
    for step_ahead in range(1, 10 + 1):
        Y[..., step_ahead - 1] = full[:, step_ahead:step_ahead + N_STEPS]
    return Y


def test_forecasting_ten_steps_sequence_to_vector_and_sequence_to_sequence(ten_steps):
    X_train, Y_train, X_valid, Y_valid = ten_steps
    naive = np.mean(keras.metrics.mean_squared_error(Y_valid, np.tile(X_valid[:, -1], (1, 10))))
    assert naive > 0.1  # the last value is a poor forecast 10 steps ahead

    model = keras.models.Sequential([
        keras.layers.SimpleRNN(20, return_sequences=True, input_shape=[None, 1]),
        keras.layers.SimpleRNN(20),
        keras.layers.Dense(10),
    ])
    model.compile(loss="mse", optimizer="adam")
    history = model.fit(X_train, Y_train, epochs=5, validation_data=(X_valid, Y_valid), verbose=0)
    assert history.history["val_loss"][-1] < 0.5 * naive
    assert model.predict(X_valid[:3], verbose=0).shape == (3, 10)

    X_train, Y_train = X_train[:500], Y_train[:500]
    Y_train_seq, Y_valid_seq = sequence_targets(X_train, Y_train), sequence_targets(X_valid, Y_valid)
    assert Y_train_seq.shape == (500, 50, 10)
    np.testing.assert_array_equal(Y_train_seq[:, -1], Y_train)
    model = keras.models.Sequential([
        keras.layers.SimpleRNN(20, return_sequences=True, input_shape=[None, 1]),
        keras.layers.SimpleRNN(20, return_sequences=True),
        keras.layers.TimeDistributed(keras.layers.Dense(10)),
    ])
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=0.01), metrics=[last_time_step_mse])
    history = model.fit(X_train, Y_train_seq, epochs=5, validation_data=(X_valid, Y_valid_seq), verbose=0)
    assert sorted(history.history) == ["last_time_step_mse", "loss", "val_last_time_step_mse", "val_loss"]
    assert history.history["val_last_time_step_mse"][-1] < 0.5 * naive
    Y_pred = model.predict(X_valid, verbose=0)
    assert Y_pred.shape == (200, 50, 10)
    assert history.history["val_last_time_step_mse"][-1] == pytest.approx(
        np.mean((Y_pred[:, -1] - Y_valid) ** 2), rel=0.05)


def test_lstm_gru_and_conv1d_sequence_models(ten_steps):
    X_train, Y_train, X_valid, Y_valid = ten_steps
    X_train, Y_train, X_valid, Y_valid = X_train[:200], Y_train[:200], X_valid[:100], Y_valid[:100]
    Y_train_seq, Y_valid_seq = sequence_targets(X_train, Y_train), sequence_targets(X_valid, Y_valid)

    lstm = keras.models.Sequential([
        keras.layers.LSTM(20, return_sequences=True, input_shape=[None, 1]),
        keras.layers.LSTM(20, return_sequences=True),
        keras.layers.TimeDistributed(keras.layers.Dense(10)),
    ])
    with_cells = keras.models.Sequential([
        keras.layers.RNN(keras.layers.LSTMCell(20), return_sequences=True, input_shape=[None, 1]),
        keras.layers.RNN(keras.layers.LSTMCell(20), return_sequences=True),
        keras.layers.TimeDistributed(keras.layers.Dense(10)),
    ])
    assert lstm.count_params() == with_cells.count_params() == 4 * (20 * 21 + 20) + 4 * (20 * 40 + 20) + 210
    assert np.all(lstm.layers[0].cell.bias.numpy()[20:40] == 1.0)  # unit forget bias
    lstm.compile(loss="mse", optimizer="adam", metrics=[last_time_step_mse])
    history = lstm.fit(X_train, Y_train_seq, epochs=2, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert lstm.evaluate(X_valid, Y_valid_seq, verbose=0)[1] < history.history["last_time_step_mse"][0]

    model = keras.models.Sequential([
        keras.layers.Conv1D(filters=20, kernel_size=4, strides=2, padding="valid", input_shape=[None, 1]),
        keras.layers.GRU(20, return_sequences=True),
        keras.layers.GRU(20, return_sequences=True),
        keras.layers.TimeDistributed(keras.layers.Dense(10)),
    ])
    model.compile(loss="mse", optimizer="adam", metrics=[last_time_step_mse])
    history = model.fit(X_train, Y_train_seq[:, 3::2], epochs=4,
                        validation_data=(X_valid, Y_valid_seq[:, 3::2]), verbose=0)
    assert model.predict(X_valid[:2], verbose=0).shape == (2, 24, 10)
    assert history.history["val_last_time_step_mse"][-1] < history.history["val_last_time_step_mse"][0]


def test_simplified_wavenet(ten_steps):
    X_train, Y_train, X_valid, Y_valid = ten_steps
    Y_train_seq, Y_valid_seq = sequence_targets(X_train, Y_train), sequence_targets(X_valid, Y_valid)
    model = keras.models.Sequential()
    model.add(keras.layers.InputLayer(shape=[None, 1]))
    for rate in (1, 2, 4, 8) * 2:
        model.add(keras.layers.Conv1D(filters=20, kernel_size=2, padding="causal", activation="relu",
                                      dilation_rate=rate))
    model.add(keras.layers.Conv1D(filters=10, kernel_size=1))
    model.compile(loss="mse", optimizer="adam", metrics=[last_time_step_mse])
    history = model.fit(X_train[:400], Y_train_seq[:400], epochs=6, validation_data=(X_valid, Y_valid_seq),
                        verbose=0)
    naive = np.mean(keras.metrics.mean_squared_error(Y_valid, np.tile(X_valid[:, -1], (1, 10))))
    assert history.history["val_last_time_step_mse"][-1] < 0.5 * naive

    # causal: an output never depends on later inputs
    x = np.random.rand(1, 50, 1).astype(np.float32)
    changed = x.copy()
    changed[:, 30:] += 1.0
    np.testing.assert_allclose(model(changed).numpy()[:, :30], model(x).numpy()[:, :30], rtol=1e-5, atol=1e-6)


class LNSimpleRNNCell(keras.layers.Layer):
    def __init__(self, units, activation="tanh", **kwargs):
        super().__init__(**kwargs)
        self.state_size = units
        self.output_size = units
        self.simple_rnn_cell = keras.layers.SimpleRNNCell(units, activation=None)
        self.layer_norm = keras.layers.LayerNormalization()
        self.activation = keras.activations.get(activation)

    def call(self, inputs, states):
        outputs, new_states = self.simple_rnn_cell(inputs, states)
        norm_outputs = self.activation(self.layer_norm(outputs))
        return norm_outputs, [norm_outputs]


def test_custom_layer_normalised_cell(ten_steps):
    X_train, Y_train, X_valid, Y_valid = ten_steps
    Y_train_seq = sequence_targets(X_train, Y_train)
    model = keras.models.Sequential([
        keras.layers.RNN(LNSimpleRNNCell(20), return_sequences=True, input_shape=[None, 1]),
        keras.layers.RNN(LNSimpleRNNCell(20), return_sequences=True),
        keras.layers.TimeDistributed(keras.layers.Dense(10)),
    ])
    assert model.count_params() == 210  # the cells' sub-layers are built on the first real call, as in Keras
    model.compile(loss="mse", optimizer="adam", metrics=[last_time_step_mse])
    history = model.fit(X_train[:200], Y_train_seq[:200], epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.count_params() == (20 * 21 + 20 + 40) + (20 * 40 + 20 + 40) + 210
    out = model.layers[0](X_valid[:4]).numpy()
    assert out.shape == (4, 50, 20) and np.abs(out).max() <= 1.0  # tanh of normalised outputs


def test_batch_normalization_between_recurrent_layers(ten_steps):
    X_train, Y_train, X_valid, Y_valid = ten_steps
    model = keras.models.Sequential([
        keras.layers.SimpleRNN(20, return_sequences=True, input_shape=[None, 1]),
        keras.layers.BatchNormalization(),
        keras.layers.SimpleRNN(20, return_sequences=True),
        keras.layers.BatchNormalization(),
        keras.layers.TimeDistributed(keras.layers.Dense(10)),
    ])
    model.compile(loss="mse", optimizer="adam", metrics=[last_time_step_mse])
    history = model.fit(X_train[:200], sequence_targets(X_train[:200], Y_train[:200]), epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.layers[1].moving_mean.shape == (20,)


def test_tf_notes_simple_rnn_cell_step():
    cell = keras.layers.SimpleRNNCell(4)
    x = tf.random.normal([2, 3])
    h0 = [tf.zeros([2, 4])]
    out, h1 = cell(x, h0)
    W_xh, W_hh, b = (w.numpy() for w in cell.weights)
    assert W_xh.shape == (3, 4) and W_hh.shape == (4, 4) and b.shape == (4,)
    np.testing.assert_allclose(out.numpy(), np.tanh(x.numpy() @ W_xh + b), rtol=1e-5, atol=1e-6)
    out2, _ = cell(x, h1)
    np.testing.assert_allclose(out2.numpy(), np.tanh(x.numpy() @ W_xh + out.numpy() @ W_hh + b), rtol=1e-5,
                               atol=1e-6)
    layer = keras.layers.SimpleRNN(4)
    assert layer(tf.random.normal([2, 80, 3])).shape == (2, 4)  # (samples, timesteps, features) → last state
