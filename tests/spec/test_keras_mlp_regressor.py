"""The Sequential regression MLP (inventory 001b §(d)/(e) 'California housing', hyperparameter tuning).

California housing needs a download; the programs run on a synthetic 8-feature set prepared the same way
(two ``train_test_split(random_state=42)`` calls and a ``StandardScaler``).
"""
import numpy as np
import pytest
from scipy.stats import reciprocal

from ndflow import keras
from ndflow.learn.model_selection import ParameterSampler
from tests.spec.keras_spec_data import housing


@pytest.fixture(autouse=True)
def fresh_session():
    keras.backend.clear_session()
    # the book's np.random.seed + tf.random.set_seed is not enough in Keras 3: unseeded initializers draw from
    # Python's `random`, which set_random_seed seeds too
    keras.utils.set_random_seed(42)


def test_regression_mlp_trains_evaluates_and_predicts():
    X_train, y_train, X_valid, y_valid, X_test, y_test = housing()
    model = keras.models.Sequential([
        keras.layers.Dense(30, activation="relu", input_shape=X_train.shape[1:]),
        keras.layers.Dense(1),
    ])
    assert model.count_params() == 301
    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.SGD(learning_rate=1e-3))
    history = model.fit(X_train, y_train, epochs=20, validation_data=(X_valid, y_valid), verbose=0)
    losses = history.history["loss"]
    assert sorted(history.history) == ["loss", "val_loss"]
    assert losses[-1] < 0.3 * losses[0] and all(b < a for a, b in zip(losses, losses[1:]))
    mse_test = model.evaluate(X_test, y_test, verbose=0)
    assert isinstance(mse_test, float)
    assert mse_test < 0.6 < float(np.var(y_test))  # better than predicting the mean
    X_new = X_test[:3]
    y_pred = model.predict(X_new, verbose=0)
    assert y_pred.shape == (3, 1)
    np.testing.assert_allclose(mse_test, np.mean((model.predict(X_test, verbose=0)[:, 0] - y_test) ** 2),
                               rtol=1e-4)


def test_two_hidden_layer_regressor_parameter_count():
    model = keras.models.Sequential([
        keras.layers.Dense(30, activation="relu", input_shape=[8]),
        keras.layers.Dense(30, activation="relu"),
        keras.layers.Dense(1),
    ])
    assert model.count_params() == 1_231


def test_keras3_rejects_the_old_lr_argument():
    with pytest.raises(ValueError, match="lr"):
        keras.optimizers.SGD(lr=0.01)


def build_model(n_hidden=1, n_neurons=30, learning_rate=3e-3, input_shape=(8,)):
    model = keras.models.Sequential()
    model.add(keras.layers.InputLayer(shape=input_shape))
    for _ in range(n_hidden):
        model.add(keras.layers.Dense(n_neurons, activation="relu"))
    model.add(keras.layers.Dense(1))
    optimizer = keras.optimizers.SGD(learning_rate=learning_rate)
    model.compile(loss="mse", optimizer=optimizer)
    return model


def test_random_search_over_a_model_building_function_with_early_stopping():
    X_train, y_train, X_valid, y_valid, X_test, y_test = housing()
    assert build_model().count_params() == 301
    assert build_model(n_hidden=0).count_params() == 9
    param_distribs = {
        "n_hidden": [0, 1, 2, 3],
        "n_neurons": np.arange(1, 100).tolist(),
        "learning_rate": reciprocal(3e-4, 3e-2).rvs(1000, random_state=42).tolist(),
    }
    results = []
    for params in ParameterSampler(param_distribs, n_iter=3, random_state=42):
        model = build_model(**params)
        history = model.fit(X_train, y_train, epochs=15, validation_data=(X_valid, y_valid), verbose=0,
                            callbacks=[keras.callbacks.EarlyStopping(patience=3)])
        assert 1 <= len(history.epoch) <= 15
        results.append((min(history.history["val_loss"]), params, model))
    best_score, best_params, best_model = min(results, key=lambda result: result[0])
    assert set(best_params) == {"n_hidden", "n_neurons", "learning_rate"}
    assert best_model.evaluate(X_test, y_test, verbose=0) < 1.5 * best_score + 0.1
