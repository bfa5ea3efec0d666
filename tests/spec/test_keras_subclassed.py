"""Subclassed models (inventory 001b §(d) 'Subclassing API', §(g) 'Custom models', 'Losses and metrics based on
model internals', §(h) 'TF Functions with tf.keras'; 003 §(j) 6.3/6.5 custom layer and network).
"""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from tests.spec.keras_spec_data import housing


@pytest.fixture(autouse=True)
def fresh_session():
    keras.backend.clear_session()
    # the book's np.random.seed + tf.random.set_seed is not enough in Keras 3: unseeded initializers draw from
    # Python's `random`, which set_random_seed seeds too
    keras.utils.set_random_seed(42)


class WideAndDeepModel(keras.models.Model):
    def __init__(self, units=30, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.hidden1 = keras.layers.Dense(units, activation=activation)
        self.hidden2 = keras.layers.Dense(units, activation=activation)
        self.main_output = keras.layers.Dense(1)
        self.aux_output = keras.layers.Dense(1)

    def call(self, inputs):
        input_A, input_B = inputs
        hidden1 = self.hidden1(input_B)
        hidden2 = self.hidden2(hidden1)
        concat = keras.layers.concatenate([input_A, hidden2])
        main_output = self.main_output(concat)
        aux_output = self.aux_output(hidden2)
        return main_output, aux_output


def test_wide_and_deep_subclass_trains_like_the_functional_one(capsys):
    X_train, y_train, X_valid, y_valid, X_test, y_test = housing()
    split = [(X[:, :5], X[:, 2:]) for X in (X_train, X_valid, X_test)]
    (X_train_A, X_train_B), (X_valid_A, X_valid_B), (X_test_A, X_test_B) = split
    model = WideAndDeepModel(30, activation="relu")
    assert not model.built and model.weights == []
    model.compile(loss="mse", loss_weights=[0.9, 0.1], optimizer=keras.optimizers.SGD(learning_rate=1e-3))
    with pytest.raises(ValueError, match="`loss_weights` must match the number of losses"):
        model.fit((X_train_A, X_train_B), (y_train, y_train), epochs=1, verbose=0)  # the book's form, Keras 2 only

    model.compile(loss=["mse", "mse"], loss_weights=[0.9, 0.1], optimizer=keras.optimizers.SGD(learning_rate=1e-3))
    history = model.fit((X_train_A, X_train_B), (y_train, y_train), epochs=10,
                        validation_data=((X_valid_A, X_valid_B), (y_valid, y_valid)), verbose=0)
    assert sorted(history.history) == ["loss", "mse_loss", "val_loss", "val_mse_loss"]
    first_loss = history.history["loss"][0]
    assert history.history["loss"][-1] < 0.5 * first_loss
    assert history.history["val_loss"][-1] < 0.5 * history.history["val_loss"][0]
    total_loss, main_loss, aux_loss = model.evaluate((X_test_A, X_test_B), (y_test, y_test), verbose=0)
    y_pred_main, y_pred_aux = model.predict((X_test_A, X_test_B), verbose=0)
    assert y_pred_main.shape == y_pred_aux.shape == (len(y_test), 1)
    mse_main, mse_aux = (np.mean((y_pred[:, 0] - y_test) ** 2) for y_pred in (y_pred_main, y_pred_aux))
    assert total_loss == pytest.approx(0.9 * mse_main + 0.1 * mse_aux, rel=1e-4)
    assert total_loss < 0.5 * first_loss
    # unnamed outputs: both loss trackers are called "mse_loss", so Keras 3 reports the last one twice
    assert main_loss == aux_loss == pytest.approx(mse_aux, rel=0.02)

    assert model.count_params() == 1_207
    assert [layer.name for layer in model.layers] == ["dense", "dense_1", "dense_2", "dense_3"]
    model.summary()  # layers only: Keras cannot see the connections inside call()
    out = capsys.readouterr().out
    assert 'Model: "wide_and_deep_model"' in out and "Trainable params: 1,207" in out
    assert "Optimizer params: 2" in out  # SGD's iteration count and learning rate


class ResidualBlock(keras.layers.Layer):
    def __init__(self, n_layers, n_neurons, **kwargs):
        super().__init__(**kwargs)
        self.n_layers, self.n_neurons = n_layers, n_neurons
        self.hidden = [keras.layers.Dense(n_neurons, activation="elu", kernel_initializer="he_normal")
                       for _ in range(n_layers)]

    def call(self, inputs):
        Z = inputs
        for layer in self.hidden:
            Z = layer(Z)
        return inputs + Z

    def get_config(self):
        return {**super().get_config(), "n_layers": self.n_layers, "n_neurons": self.n_neurons}


class ResidualRegressor(keras.models.Model):
    def __init__(self, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.output_dim = output_dim
        self.hidden1 = keras.layers.Dense(30, activation="elu", kernel_initializer="he_normal")
        self.block1 = ResidualBlock(2, 30)
        self.block2 = ResidualBlock(2, 30)
        self.out = keras.layers.Dense(output_dim)

    def call(self, inputs):
        Z = self.hidden1(inputs)
        for _ in range(1 + 3):
            Z = self.block1(Z)
        Z = self.block2(Z)
        return self.out(Z)

    def get_config(self):
        return {**super().get_config(), "output_dim": self.output_dim}


def test_residual_regressor_tracks_layers_in_lists_and_reuses_a_block():
    X_train, y_train, _, _, X_test, y_test = housing()
    model = ResidualRegressor(1)
    model.compile(loss="mse", optimizer="nadam")
    history = model.fit(X_train, y_train, epochs=5, verbose=0)
    losses = history.history["loss"]
    assert all(b < a for a, b in zip(losses, losses[1:]))
    # the block applied four times makes the first epoch explode, in Keras too; training recovers
    assert model.evaluate(X_test, y_test, verbose=0) < 0.25 * losses[0]
    assert model.predict(X_test[:3], verbose=0).shape == (3, 1)
    # hidden1 + two blocks of two Dense(30) + out: the block applied four times is counted once
    assert len(model.trainable_weights) == 2 * (1 + 2 + 2 + 1)
    assert model.count_params() == 8 * 30 + 30 + 4 * (30 * 30 + 30) + 31
    assert len(model.block1.hidden) == 2 and len(model.block1.trainable_weights) == 4


def test_sequential_equivalent_with_a_shared_block():
    X_train, y_train, *_ = housing()
    block1 = ResidualBlock(2, 30)
    model = keras.models.Sequential([
        keras.layers.Dense(30, activation="elu", kernel_initializer="he_normal"),
        block1, block1, block1, block1,
        ResidualBlock(2, 30),
        keras.layers.Dense(1),
    ])
    model.compile(loss="mse", optimizer="nadam")
    history = model.fit(X_train, y_train, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.count_params() == 8 * 30 + 30 + 4 * (30 * 30 + 30) + 31


def test_subclassed_model_saved_and_reloaded(tmp_path):
    X_train, y_train, _, _, X_test, _ = housing()
    keras.saving.register_keras_serializable("spec")(ResidualBlock)
    keras.saving.register_keras_serializable("spec")(ResidualRegressor)
    model = ResidualRegressor(1)
    model.compile(loss="mse", optimizer="nadam")
    model.fit(X_train, y_train, epochs=1, verbose=0)
    path = str(tmp_path / "my_custom_model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(X_test, verbose=0), model.predict(X_test, verbose=0), rtol=1e-5)
    loaded.fit(X_train, y_train, epochs=1, verbose=0)


class ReconstructingRegressor(keras.models.Model):
    def __init__(self, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.hidden = [keras.layers.Dense(30, activation="selu", kernel_initializer="lecun_normal")
                       for _ in range(5)]
        self.out = keras.layers.Dense(output_dim)
        self.reconstruct = keras.layers.Dense(8)
        self.reconstruction_mean = keras.metrics.Mean(name="reconstruction_error")

    def call(self, inputs, training=None):
        Z = inputs
        for layer in self.hidden:
            Z = layer(Z)
        reconstruction = self.reconstruct(Z)
        recon_loss = tf.reduce_mean(tf.square(reconstruction - inputs))
        self.add_loss(0.05 * recon_loss)
        if training:
            self.reconstruction_mean.update_state(recon_loss)
        return self.out(Z)


def test_losses_and_metrics_based_on_model_internals():
    X_train, y_train, _, _, X_test, _ = housing()
    model = ReconstructingRegressor(1)
    model.compile(loss="mse", optimizer="nadam")
    history = model.fit(X_train, y_train, epochs=3, verbose=0)
    assert sorted(history.history) == ["loss", "reconstruction_error"]
    for values in history.history.values():
        assert values[-1] < values[0]  # both curves decrease
    assert [metric.name for metric in model.metrics] == ["loss", "reconstruction_error"]
    y_pred = model.predict(X_test[:3], verbose=0)
    assert y_pred.shape == (3, 1)
    assert len(model.losses) == 1  # the reconstruction term of the last call

    inputs = tf.constant(X_test[:16])
    model(inputs)
    reconstruction = model.reconstruct(_hidden_features(model, inputs))
    expected = 0.05 * np.mean((reconstruction.numpy() - X_test[:16]) ** 2)
    np.testing.assert_allclose(float(model.losses[0]), expected, rtol=1e-5)


def _hidden_features(model, inputs):
    Z = inputs
    for layer in model.hidden:
        Z = layer(Z)
    return Z


def test_tracing_prints_once_in_graph_mode_and_every_step_eagerly(capsys):
    X_train, y_train, *_ = housing()

    def my_mse(y_true, y_pred):
        print("Tracing loss my_mse()")
        return tf.reduce_mean(tf.square(y_pred - y_true))

    def build():
        return keras.models.Sequential([keras.layers.Dense(30, activation="relu"), keras.layers.Dense(1)])

    model = build()
    model.compile(loss=my_mse, optimizer="nadam")
    model.fit(X_train[:256], y_train[:256], epochs=2, verbose=0)
    traced = capsys.readouterr().out.count("Tracing loss my_mse()")
    assert 1 <= traced <= 2  # 8 steps per epoch, 2 epochs: traced, not run, on each step

    model = build()
    model.compile(loss=my_mse, optimizer="nadam", run_eagerly=True)
    model.fit(X_train[:256], y_train[:256], epochs=2, verbose=0)
    assert capsys.readouterr().out.count("Tracing loss my_mse()") == 16


class MyDense(keras.layers.Layer):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.kernel = self.add_weight(name="w", shape=[input_dim, output_dim], trainable=True)

    def call(self, inputs, training=None):
        out = inputs @ self.kernel
        return tf.nn.relu(out)


class MyModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.fc1 = MyDense(28 * 28, 256)
        self.fc2 = MyDense(256, 128)
        self.fc3 = MyDense(128, 64)
        self.fc4 = MyDense(64, 32)
        self.fc5 = MyDense(32, 10)

    def call(self, inputs, training=None):
        x = self.fc1(inputs)
        x = self.fc2(x)
        x = self.fc3(x)
        x = self.fc4(x)
        return self.fc5(x)


def test_tf_notes_bias_free_dense_stack(capsys):
    model = keras.Sequential([MyDense(784, 256), MyDense(256, 128), MyDense(128, 64), MyDense(64, 32),
                              MyDense(32, 10)])
    model.build(input_shape=(None, 28 * 28))
    model.summary()
    out = capsys.readouterr().out
    for count in ("200,704", "32,768", "8,192", "2,048", "320"):
        assert count in out
    assert "Total params: 244,032" in out and "(None, 10)" in out

    network = MyModel()
    y = network(tf.random.normal([4, 784]))
    assert y.shape == (4, 10) and np.all(y.numpy() >= 0)
    assert network.count_params() == 244_032
    assert [v.name for v in network.fc1.trainable_variables] == ["w"]


def test_tf_notes_old_add_variable_form_is_rejected():
    class OldDense(keras.layers.Layer):
        def __init__(self, input_dim, output_dim):
            super().__init__()
            self.kernel = self.add_weight("w", [input_dim, output_dim], trainable=True)

    with pytest.raises(ValueError):
        OldDense(4, 3)
