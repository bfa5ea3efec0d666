"""The functional API's Wide & Deep models (inventory 001b §(d) 'Functional API — Wide & Deep').

One input, two named inputs (tuples or dicts), and an auxiliary output with ``loss_weights``.
"""
import numpy as np
import pytest

from ndflow import keras
from tests.spec.keras_spec_data import housing


@pytest.fixture(autouse=True)
def fresh_session():
    keras.backend.clear_session()
    # the book's np.random.seed + tf.random.set_seed is not enough in Keras 3: unseeded initializers draw from
    # Python's `random`, which set_random_seed seeds too
    keras.utils.set_random_seed(42)


@pytest.fixture(scope="module")
def data():
    X_train, y_train, X_valid, y_valid, X_test, y_test = housing()
    split = {name: (X[:, :5], X[:, 2:]) for name, X in (("train", X_train), ("valid", X_valid), ("test", X_test))}
    return split, (y_train, y_valid, y_test)


def test_single_input_wide_and_deep(data):
    X_train, y_train, X_valid, y_valid, X_test, y_test = housing()
    input_ = keras.layers.Input(shape=X_train.shape[1:])
    hidden1 = keras.layers.Dense(30, activation="relu")(input_)
    hidden2 = keras.layers.Dense(30, activation="relu")(hidden1)
    concat = keras.layers.concatenate([input_, hidden2])
    output = keras.layers.Dense(1)(concat)
    model = keras.models.Model(inputs=[input_], outputs=[output])
    assert model.count_params() == 1_239
    assert concat.shape == (None, 38)
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Dense", "Dense", "Concatenate",
                                                                 "Dense"]

    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.SGD(learning_rate=1e-3))
    history = model.fit(X_train, y_train, epochs=20, validation_data=(X_valid, y_valid), verbose=0)
    assert history.history["val_loss"][-1] < 0.5 * history.history["val_loss"][0]
    mse_test = model.evaluate(X_test, y_test, verbose=0)
    assert mse_test < 0.6
    assert model.predict(X_test[:3], verbose=0).shape == (3, 1)

    other = keras.layers.Concatenate()([input_, hidden2])  # the layer class works like the function
    assert other.shape == (None, 38)


def build_two_input_model(aux_output=False):
    input_A = keras.layers.Input(shape=[5], name="wide_input")
    input_B = keras.layers.Input(shape=[6], name="deep_input")
    hidden1 = keras.layers.Dense(30, activation="relu")(input_B)
    hidden2 = keras.layers.Dense(30, activation="relu")(hidden1)
    concat = keras.layers.concatenate([input_A, hidden2])
    output = keras.layers.Dense(1, name="main_output")(concat)
    if not aux_output:
        return keras.models.Model(inputs=[input_A, input_B], outputs=[output])
    aux = keras.layers.Dense(1, name="aux_output")(hidden2)
    return keras.models.Model(inputs=[input_A, input_B], outputs=[output, aux])


def test_two_named_inputs_fed_as_tuples_or_dicts(data):
    (X_A, X_B), (X_valid_A, X_valid_B), (X_test_A, X_test_B) = data[0]["train"], data[0]["valid"], data[0]["test"]
    y_train, y_valid, y_test = data[1]
    model = build_two_input_model()
    assert model.count_params() == 1_176
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=1e-3))
    history = model.fit((X_A, X_B), y_train, epochs=20, validation_data=((X_valid_A, X_valid_B), y_valid),
                        verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    mse_test = model.evaluate((X_test_A, X_test_B), y_test, verbose=0)
    assert mse_test < 0.7

    by_name = {"wide_input": X_test_A, "deep_input": X_test_B}
    by_name_reversed = {"deep_input": X_test_B, "wide_input": X_test_A}
    y_pred = model.predict((X_test_A[:3], X_test_B[:3]), verbose=0)
    np.testing.assert_allclose(model.predict(by_name, verbose=0)[:3], y_pred, rtol=1e-6)
    np.testing.assert_allclose(model.predict(by_name_reversed, verbose=0)[:3], y_pred, rtol=1e-6)
    assert model.evaluate(by_name, y_test, verbose=0) == pytest.approx(mse_test, rel=1e-5)

    history = model.fit({"wide_input": X_A, "deep_input": X_B}, y_train, epochs=2, verbose=0)
    assert history.history["loss"][-1] < mse_test * 1.5


def test_auxiliary_output_with_loss_weights(data):
    (X_A, X_B), (X_valid_A, X_valid_B), (X_test_A, X_test_B) = data[0]["train"], data[0]["valid"], data[0]["test"]
    y_train, y_valid, y_test = data[1]
    model = build_two_input_model(aux_output=True)
    assert model.count_params() == 1_207
    assert model.output_names == ["main_output", "aux_output"]
    model.compile(loss=["mse", "mse"], loss_weights=[0.9, 0.1], optimizer=keras.optimizers.SGD(learning_rate=1e-3))
    history = model.fit([X_A, X_B], [y_train, y_train], epochs=20,
                        validation_data=([X_valid_A, X_valid_B], [y_valid, y_valid]), verbose=0)
    assert sorted(history.history) == ["aux_output_loss", "loss", "main_output_loss", "val_aux_output_loss",
                                       "val_loss", "val_main_output_loss"]
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]

    total_loss, main_loss, aux_loss = model.evaluate([X_test_A, X_test_B], [y_test, y_test], verbose=0)
    y_pred_main, y_pred_aux = model.predict([X_test_A, X_test_B], verbose=0)
    assert y_pred_main.shape == y_pred_aux.shape == (len(y_test), 1)
    mse_main, mse_aux = (np.mean((y_pred[:, 0] - y_test) ** 2) for y_pred in (y_pred_main, y_pred_aux))
    assert total_loss == pytest.approx(0.9 * mse_main + 0.1 * mse_aux, rel=1e-4)
    # Keras averages each output's loss over batches without weighting the last, partial one
    assert main_loss == pytest.approx(mse_main, rel=0.02) and aux_loss == pytest.approx(mse_aux, rel=0.02)

    results = model.evaluate([X_test_A, X_test_B], [y_test, y_test], verbose=0, return_dict=True)
    assert results["main_output_loss"] == pytest.approx(main_loss)


def test_losses_keyed_by_output_name(data):
    (X_A, X_B) = data[0]["train"]
    y_train = data[1][0]
    model = build_two_input_model(aux_output=True)
    model.compile(loss={"main_output": "mse", "aux_output": "mae"},
                  loss_weights={"main_output": 0.9, "aux_output": 0.1}, optimizer="sgd")
    inputs = {"wide_input": X_A, "deep_input": X_B}
    targets = {"main_output": y_train, "aux_output": y_train}
    history = model.fit(inputs, targets, epochs=3, verbose=0)
    assert sorted(history.history) == ["aux_output_loss", "loss", "main_output_loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    results = model.evaluate(inputs, targets, batch_size=len(y_train), return_dict=True, verbose=0)
    assert results["loss"] == pytest.approx(0.9 * results["main_output_loss"] + 0.1 * results["aux_output_loss"],
                                            rel=1e-5)
    assert results["aux_output_loss"] == pytest.approx(
        np.mean(np.abs(model.predict(inputs, verbose=0)[1][:, 0] - y_train)), rel=1e-5)  # mae on that output
