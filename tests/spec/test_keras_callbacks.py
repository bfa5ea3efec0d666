"""Callbacks (inventory 001b §(e) 'Callbacks', 001c §(b) learning-rate schedules E21–E27).

ModelCheckpoint, EarlyStopping with restored weights, a custom ratio callback, every hook in order, the
learning-rate scheduling callbacks and schedule objects, and a learning-rate finder written as a callback.
"""
import math

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


def regression_model(learning_rate=1e-3, n_hidden=30):
    model = keras.models.Sequential([
        keras.layers.Dense(n_hidden, activation="relu", input_shape=[8]),
        keras.layers.Dense(1),
    ])
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=learning_rate))
    return model


def test_model_checkpoint_keeps_the_best_model(tmp_path):
    X_train, y_train, X_valid, y_valid, X_test, y_test = housing()
    path = str(tmp_path / "my_keras_model.keras")
    model = regression_model()
    checkpoint_cb = keras.callbacks.ModelCheckpoint(path, save_best_only=True)
    history = model.fit(X_train, y_train, epochs=10, validation_data=(X_valid, y_valid), callbacks=[checkpoint_cb],
                        verbose=0)
    model = keras.models.load_model(path)  # roll back to the best model
    assert model.evaluate(X_valid, y_valid, verbose=0) == pytest.approx(min(history.history["val_loss"]), rel=1e-4)


def test_model_checkpoint_with_weights_only(tmp_path):
    X_train, y_train, X_valid, y_valid, *_ = housing()
    path = str(tmp_path / "my_keras.weights.h5")
    model = regression_model()
    model.fit(X_train, y_train, epochs=3, validation_data=(X_valid, y_valid), verbose=0,
              callbacks=[keras.callbacks.ModelCheckpoint(path, save_weights_only=True)])
    fresh = regression_model()
    fresh.load_weights(path)
    for a, b in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_restores_the_best_weights():
    X_train, y_train, X_valid, y_valid, *_ = housing()
    model = regression_model(learning_rate=0.05, n_hidden=100)
    early_stopping_cb = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)
    history = model.fit(X_train[:300], y_train[:300], epochs=100, validation_data=(X_valid, y_valid),
                        callbacks=[early_stopping_cb], verbose=0)
    val_losses = history.history["val_loss"]
    assert len(val_losses) < 100 and early_stopping_cb.stopped_epoch == len(val_losses) - 1
    best = int(np.argmin(val_losses))
    assert best == len(val_losses) - 1 - 3  # three epochs without progress, then stop
    assert model.evaluate(X_valid, y_valid, verbose=0) == pytest.approx(val_losses[best], rel=1e-5)


def test_custom_callback_prints_the_validation_to_training_ratio(capsys):
    class PrintValTrainRatioCallback(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs):
            print("\nval/train: {:.2f}".format(logs["val_loss"] / logs["loss"]))

    X_train, y_train, X_valid, y_valid, *_ = housing()
    model = regression_model()
    history = model.fit(X_train, y_train, epochs=2, validation_data=(X_valid, y_valid),
                        callbacks=[PrintValTrainRatioCallback()], verbose=0)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("val/train:")]
    expected = [f"val/train: {v / t:.2f}" for v, t in zip(history.history["val_loss"], history.history["loss"])]
    assert lines == expected


def test_every_hook_is_called_in_order():
    class Recorder(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.calls = []

        def on_train_begin(self, logs=None):
            self.calls.append("train_begin")

        def on_train_end(self, logs=None):
            self.calls.append("train_end")

        def on_epoch_begin(self, epoch, logs=None):
            self.calls.append(f"epoch_begin {epoch}")

        def on_epoch_end(self, epoch, logs=None):
            self.calls.append(f"epoch_end {epoch}")

        def on_batch_begin(self, batch, logs=None):
            self.calls.append(f"batch_begin {batch}")

        def on_batch_end(self, batch, logs=None):
            self.calls.append(f"batch_end {batch}")

        def on_test_begin(self, logs=None):
            self.calls.append("test_begin")

        def on_test_end(self, logs=None):
            self.calls.append("test_end")

        def on_test_batch_begin(self, batch, logs=None):
            self.calls.append(f"test_batch_begin {batch}")

        def on_test_batch_end(self, batch, logs=None):
            self.calls.append(f"test_batch_end {batch}")

        def on_predict_begin(self, logs=None):
            self.calls.append("predict_begin")

        def on_predict_end(self, logs=None):
            self.calls.append("predict_end")

        def on_predict_batch_begin(self, batch, logs=None):
            self.calls.append(f"predict_batch_begin {batch}")

        def on_predict_batch_end(self, batch, logs=None):
            self.calls.append(f"predict_batch_end {batch}")

    X_train, y_train, X_valid, y_valid, *_ = housing()
    model = regression_model()
    recorder = Recorder()
    model.fit(X_train[:64], y_train[:64], batch_size=32, epochs=1, validation_data=(X_valid[:32], y_valid[:32]),
              callbacks=[recorder], verbose=0)
    assert recorder.calls == ["train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0", "batch_begin 1",
                              "batch_end 1", "test_begin", "test_batch_begin 0", "test_batch_end 0", "test_end",
                              "epoch_end 0", "train_end"]
    assert recorder.model is model and recorder.params == {"verbose": 0, "epochs": 1, "steps": 2}
    recorder.calls.clear()
    model.evaluate(X_valid[:32], y_valid[:32], callbacks=[recorder], verbose=0)
    model.predict(X_valid[:32], callbacks=[recorder], verbose=0)
    assert recorder.calls == ["test_begin", "test_batch_begin 0", "test_batch_end 0", "test_end", "predict_begin",
                              "predict_batch_begin 0", "predict_batch_end 0", "predict_end"]


def exponential_decay(lr0, s):
    def exponential_decay_fn(epoch):
        return lr0 * 0.1 ** (epoch / s)
    return exponential_decay_fn


def piecewise_constant_fn(epoch):
    if epoch < 5:
        return 0.01
    elif epoch < 15:
        return 0.005
    return 0.001


def test_learning_rate_scheduler_with_one_and_two_argument_schedules():
    X_train, y_train, *_ = housing()
    model = keras.models.Sequential([keras.layers.Dense(30, activation="selu", kernel_initializer="lecun_normal",
                                                        input_shape=[8]), keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer="nadam")
    lr_scheduler = keras.callbacks.LearningRateScheduler(exponential_decay(lr0=0.01, s=20))
    history = model.fit(X_train[:256], y_train[:256], epochs=21, callbacks=[lr_scheduler], verbose=0)
    np.testing.assert_allclose(history.history["learning_rate"], [0.01 * 0.1 ** (e / 20) for e in range(21)],
                               rtol=1e-6)
    assert history.history["learning_rate"][20] == pytest.approx(0.001)  # 0.01 → 0.001 by epoch 20

    history = model.fit(X_train[:256], y_train[:256], epochs=16, verbose=0,
                        callbacks=[keras.callbacks.LearningRateScheduler(piecewise_constant_fn)])
    assert history.history["learning_rate"][4:6] == pytest.approx([0.01, 0.005])
    assert history.history["learning_rate"][14:16] == pytest.approx([0.005, 0.001])

    def exponential_decay_fn(epoch, lr):
        return lr * 0.1 ** (1 / 20)

    history = model.fit(X_train[:256], y_train[:256], epochs=3, verbose=0,
                        callbacks=[keras.callbacks.LearningRateScheduler(exponential_decay_fn)])
    np.testing.assert_allclose(history.history["learning_rate"], [0.001 * 0.1 ** (k / 20) for k in (1, 2, 3)],
                               rtol=1e-5)


def test_per_step_exponential_decay_callback():
    class ExponentialDecay(keras.callbacks.Callback):
        def __init__(self, s=40000):
            super().__init__()
            self.s = s

        def on_batch_begin(self, batch, logs=None):
            lr = float(self.model.optimizer.learning_rate)
            self.model.optimizer.learning_rate = lr * 0.1 ** (1 / self.s)

        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            logs["lr"] = float(self.model.optimizer.learning_rate)

    X_train, y_train, *_ = housing()
    model = regression_model(learning_rate=0.01)
    s = 20 * 8  # 20 epochs of 8 steps
    history = model.fit(X_train[:256], y_train[:256], epochs=3, callbacks=[ExponentialDecay(s)], verbose=0)
    np.testing.assert_allclose(history.history["lr"], [0.01 * 0.1 ** (8 * k / s) for k in (1, 2, 3)], rtol=1e-5)


def test_reduce_lr_on_plateau_halves_the_rate():
    X_train, y_train, X_valid, y_valid, *_ = housing()
    model = regression_model(learning_rate=2.0)  # far too large: the validation loss stops improving
    lr_scheduler = keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=2)
    history = model.fit(X_train[:256], y_train[:256], epochs=8, validation_data=(X_valid, y_valid),
                        callbacks=[lr_scheduler], verbose=0)
    rates = history.history["learning_rate"]
    assert rates[0] == pytest.approx(2.0) and rates[-1] < 2.0
    assert all(b in (a, a / 2) for a, b in zip(rates, rates[1:]))


def test_schedule_objects_drive_the_optimizer():
    s = 20 * math.ceil(256 / 32)
    exponential = keras.optimizers.schedules.ExponentialDecay(0.01, s, 0.1)
    assert float(exponential(s)) == pytest.approx(0.001)
    piecewise = keras.optimizers.schedules.PiecewiseConstantDecay(boundaries=[5 * 8, 15 * 8],
                                                                  values=[0.01, 0.005, 0.001])
    assert [float(piecewise(step)) for step in (0, 40, 41, 120, 121)] == pytest.approx(
        [0.01, 0.01, 0.005, 0.005, 0.001])

    X_train, y_train, *_ = housing()
    model = keras.models.Sequential([keras.layers.Dense(30, activation="relu", input_shape=[8]),
                                     keras.layers.Dense(1)])
    optimizer = keras.optimizers.SGD(exponential)
    model.compile(loss="mse", optimizer=optimizer)
    history = model.fit(X_train[:256], y_train[:256], epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert int(optimizer.iterations) == 24
    assert float(optimizer.learning_rate) == pytest.approx(0.01 * 0.1 ** (24 / s), rel=1e-5)


def test_learning_rate_finder_callback():
    class ExponentialLearningRate(keras.callbacks.Callback):
        def __init__(self, factor):
            super().__init__()
            self.factor = factor
            self.rates, self.losses = [], []
            self.prev_loss = 0

        def on_epoch_begin(self, epoch, logs=None):
            self.prev_loss = 0

        def on_batch_end(self, batch, logs=None):
            batch_loss = logs["loss"] * (batch + 1) - self.prev_loss * batch  # logs hold the running mean
            self.prev_loss = logs["loss"]
            self.rates.append(float(self.model.optimizer.learning_rate))
            self.losses.append(batch_loss)
            self.model.optimizer.learning_rate = self.model.optimizer.learning_rate * self.factor

    X_train, y_train, *_ = housing()
    model = regression_model()
    init_weights = model.get_weights()
    iterations = math.ceil(len(X_train) / 32)
    min_rate, max_rate = 1e-4, 1.0
    factor = np.exp(np.log(max_rate / min_rate) / iterations)
    model.optimizer.learning_rate = min_rate
    exp_lr = ExponentialLearningRate(factor)
    model.fit(X_train, y_train, epochs=1, callbacks=[exp_lr], verbose=0)
    model.set_weights(init_weights)
    assert len(exp_lr.rates) == iterations
    np.testing.assert_allclose(exp_lr.rates[-1], min_rate * factor ** (iterations - 1), rtol=1e-4)
    best = int(np.argmin(exp_lr.losses))
    assert 0 < best < iterations - 1  # the loss falls, then blows up past a good learning rate
    assert exp_lr.losses[-1] > exp_lr.losses[best]
    np.testing.assert_array_equal(model.get_weights()[0], init_weights[0])
