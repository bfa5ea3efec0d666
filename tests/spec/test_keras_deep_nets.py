"""Training deep nets (inventory 001c §(a)–(c), chapter 11): initialisers, leaky/parametric ReLU, SELU,
batch normalisation, optimizers and schedules, ℓ2, dropout, MC dropout and max-norm, on the bundled digits.
"""
from functools import partial

import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from tests.spec.keras_spec_data import digits_images


@pytest.fixture(autouse=True)
def fresh_session():
    keras.backend.clear_session()
    # the book's np.random.seed + tf.random.set_seed is not enough in Keras 3: unseeded initializers draw from
    # Python's `random`, which set_random_seed seeds too
    keras.utils.set_random_seed(42)


@pytest.fixture(scope="module")
def digits():
    X_train, y_train, X_valid, y_valid, X_test, y_test = digits_images()
    pixel_means = X_train.mean(axis=0, keepdims=True)
    pixel_stds = X_train.std(axis=0, keepdims=True) + 1e-7
    scale = lambda X: (X - pixel_means) / pixel_stds  # noqa: E731
    return scale(X_train), y_train, scale(X_valid), y_valid, scale(X_test), y_test


def test_initializers():
    names = [name for name in dir(keras.initializers) if not name.startswith("_")]
    for name in ("GlorotUniform", "HeNormal", "LecunNormal", "VarianceScaling", "he_uniform", "glorot_normal"):
        assert name in names
    assert keras.layers.Dense(10).get_config()["kernel_initializer"]["class_name"] == "GlorotUniform"

    init = keras.initializers.VarianceScaling(scale=2., mode="fan_avg", distribution="uniform")
    layer = keras.layers.Dense(200, activation="relu", kernel_initializer=init)
    layer.build((None, 300))
    kernel = layer.kernel.numpy()
    limit = np.sqrt(3 * 2.0 / ((300 + 200) / 2))
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.95 * limit
    assert kernel.var() == pytest.approx(2.0 / 250, rel=0.05)

    layer = keras.layers.Dense(200, activation="relu", kernel_initializer="he_normal")
    layer.build((None, 300))
    assert layer.kernel.numpy().var() == pytest.approx(2.0 / 300, rel=0.1)  # truncated normal, variance 2/fan_in


def test_leaky_and_parametric_relu_models(digits):
    assert keras.layers.LeakyReLU().get_config()["negative_slope"] == 0.3
    np.testing.assert_allclose(keras.layers.LeakyReLU(0.2)(tf.constant([-10., 5.])).numpy(), [-2., 5.])

    def mlp(activation_layer, input_shape):
        return keras.models.Sequential([
            keras.layers.Flatten(input_shape=input_shape),
            keras.layers.Dense(300, kernel_initializer="he_normal"),
            activation_layer(),
            keras.layers.Dense(100, kernel_initializer="he_normal"),
            activation_layer(),
            keras.layers.Dense(10, activation="softmax"),
        ])

    assert mlp(keras.layers.LeakyReLU, [28, 28]).count_params() == 266_610
    assert mlp(keras.layers.PReLU, [28, 28]).count_params() == 267_010  # one learned slope per unit

    X_train, y_train, X_valid, y_valid, *_ = digits
    for activation_layer in (keras.layers.LeakyReLU, keras.layers.PReLU):
        model = mlp(activation_layer, [8, 8])
        model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1e-2),
                      metrics=["accuracy"])
        history = model.fit(X_train, y_train, epochs=5, validation_data=(X_valid, y_valid), verbose=0)
        assert history.history["val_accuracy"][-1] > 0.9


def test_selu_constants_and_self_normalisation():
    np.testing.assert_allclose(keras.activations.selu(tf.constant([-1000.0])).numpy(), [-1.7580993], rtol=1e-6)
    deep = keras.models.Sequential([keras.layers.Flatten(input_shape=[28, 28])])
    deep.add(keras.layers.Dense(300, activation="selu", kernel_initializer="lecun_normal"))
    for _ in range(99):
        deep.add(keras.layers.Dense(100, activation="selu", kernel_initializer="lecun_normal"))
    deep.add(keras.layers.Dense(10, activation="softmax"))
    assert deep.count_params() == 1_256_410

    stack = keras.models.Sequential([keras.layers.Dense(100, activation="selu", kernel_initializer="lecun_normal")
                                     for _ in range(50)])
    Z = stack(tf.random.normal([500, 100])).numpy()
    assert abs(Z.mean()) < 0.2 and 0.7 < Z.std() < 1.3  # mean 0, std 1 preserved through 50 layers


def test_batch_normalization_models(digits, capsys):
    model = keras.models.Sequential([
        keras.layers.Flatten(input_shape=[28, 28]),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(300, activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.summary()
    out = capsys.readouterr().out
    assert "Total params: 271,346" in out and "Trainable params: 268,978" in out
    assert "Non-trainable params: 2,368" in out
    bn1 = model.layers[1]
    assert [(var.name, var.trainable) for var in bn1.variables] == [
        ("gamma", True), ("beta", True), ("moving_mean", False), ("moving_variance", False)]

    before_activation = keras.models.Sequential([
        keras.layers.Flatten(input_shape=[28, 28]),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(300, use_bias=False),
        keras.layers.BatchNormalization(),
        keras.layers.Activation("relu"),
        keras.layers.Dense(100, use_bias=False),
        keras.layers.BatchNormalization(),
        keras.layers.Activation("relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    assert before_activation.count_params() == 270_946

    X_train, y_train, X_valid, y_valid, *_ = digits
    model = keras.models.Sequential([
        keras.layers.Flatten(input_shape=[8, 8]),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1e-2),
                  metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=5, validation_data=(X_valid, y_valid), verbose=0)
    assert history.history["val_accuracy"][-1] > 0.85
    moving_mean = model.layers[1].moving_mean.numpy()
    assert np.abs(moving_mean - X_train.reshape(-1, 64).mean(axis=0)).max() < 0.5  # tracking the inputs' means


def test_batch_normalization_axis_and_modes():
    assert keras.layers.BatchNormalization()(tf.zeros([2, 28, 28])).shape == (2, 28, 28)
    per_column = keras.layers.BatchNormalization()
    per_column.build((None, 28, 28))
    assert per_column.gamma.shape == (28,)
    with pytest.raises(TypeError):
        keras.layers.BatchNormalization(axis=[1, 2])  # the book's per-pixel tip: Keras 3 takes one axis only

    net = keras.layers.BatchNormalization()
    x = tf.random.normal([64, 3], mean=5.0, stddev=2.0)
    out = net(x, training=None)  # inference: moving statistics 0 and 1, nothing updated
    np.testing.assert_allclose(out.numpy(), x.numpy() / np.sqrt(1 + 1e-3), rtol=1e-5)
    assert np.all(net.moving_mean.numpy() == 0)
    out = net(x, training=True)  # batch statistics; the moving averages move by 1 - momentum
    assert np.abs(out.numpy().mean(axis=0)).max() < 1e-4
    np.testing.assert_allclose(net.moving_mean.numpy(), 0.01 * x.numpy().mean(axis=0), rtol=1e-4)


def test_optimizers_and_schedules_train(digits):
    X_train, y_train, *_ = digits
    optimizers = [
        keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
        keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True),
        keras.optimizers.Adagrad(learning_rate=0.01),
        keras.optimizers.RMSprop(learning_rate=0.001, rho=0.9),
        keras.optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999),
        keras.optimizers.Nadam(learning_rate=0.001, beta_1=0.9, beta_2=0.999),
        keras.optimizers.SGD(keras.optimizers.schedules.InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-4)),
    ]
    for optimizer in optimizers:
        model = keras.models.Sequential([keras.layers.Flatten(input_shape=[8, 8]),
                                         keras.layers.Dense(30, activation="selu",
                                                            kernel_initializer="lecun_normal"),
                                         keras.layers.Dense(10, activation="softmax")])
        model.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])
        history = model.fit(X_train, y_train, epochs=3, verbose=0)
        assert history.history["loss"][-1] < 0.6 * history.history["loss"][0], optimizer.name
    assert keras.optimizers.Adam().epsilon == 1e-7 and keras.optimizers.RMSprop().rho == 0.9
    with pytest.warns(UserWarning, match="decay"):
        keras.optimizers.SGD(learning_rate=0.01, decay=1e-4)  # Keras 3 ignores the old power-scheduling argument


def test_l2_regularization_and_dropout(digits):
    X_train, y_train, X_valid, y_valid, *_ = digits
    RegularizedDense = partial(keras.layers.Dense, activation="elu", kernel_initializer="he_normal",
                               kernel_regularizer=keras.regularizers.l2(0.01))
    model = keras.models.Sequential([
        keras.layers.Flatten(input_shape=[8, 8]),
        RegularizedDense(300),
        RegularizedDense(100),
        RegularizedDense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="nadam", metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=2, validation_data=(X_valid, y_valid), verbose=0)
    assert len(model.losses) == 3
    penalty = sum(0.01 * np.sum(layer.kernel.numpy() ** 2) for layer in model.layers[1:])
    assert float(tf.add_n(model.losses)) == pytest.approx(penalty, rel=1e-5)
    assert history.history["val_accuracy"][-1] > 0.9

    model = keras.models.Sequential([
        keras.layers.Flatten(input_shape=[8, 8]),
        keras.layers.Dropout(rate=0.2),
        keras.layers.Dense(300, activation="elu", kernel_initializer="he_normal"),
        keras.layers.Dropout(rate=0.2),
        keras.layers.Dense(100, activation="elu", kernel_initializer="he_normal"),
        keras.layers.Dropout(rate=0.2),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="nadam", metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=2, validation_data=(X_valid, y_valid), verbose=0)
    assert history.history["val_accuracy"][-1] > 0.9
    # dropout only during training: inference is deterministic
    np.testing.assert_array_equal(model.predict(X_valid[:5], verbose=0), model.predict(X_valid[:5], verbose=0))


def test_alpha_dropout_and_monte_carlo_dropout(digits):
    X_train, y_train, _, _, X_test, y_test = digits
    model = keras.models.Sequential([
        keras.layers.Flatten(input_shape=[8, 8]),
        keras.layers.AlphaDropout(rate=0.2),
        keras.layers.Dense(300, activation="selu", kernel_initializer="lecun_normal"),
        keras.layers.AlphaDropout(rate=0.2),
        keras.layers.Dense(100, activation="selu", kernel_initializer="lecun_normal"),
        keras.layers.AlphaDropout(rate=0.2),
        keras.layers.Dense(10, activation="softmax"),
    ])
    optimizer = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True)
    model.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])
    model.fit(X_train, y_train, epochs=5, verbose=0)
    accuracy = model.evaluate(X_test, y_test, verbose=0)[1]
    assert accuracy > 0.85

    y_probas = np.stack([model(X_test, training=True) for sample in range(20)])
    y_proba = y_probas.mean(axis=0)
    y_std = y_probas.std(axis=0)
    assert y_probas.shape == (20, len(X_test), 10) and y_proba.shape == (len(X_test), 10)
    assert y_std.max() > 0  # training=True keeps the dropout on
    mc_accuracy = np.mean(np.argmax(y_proba, axis=1) == y_test)
    assert abs(mc_accuracy - accuracy) < 0.05

    class MCAlphaDropout(keras.layers.AlphaDropout):
        def call(self, inputs):
            return super().call(inputs, training=True)

    mc_model = keras.models.Sequential([
        MCAlphaDropout(layer.rate) if isinstance(layer, keras.layers.AlphaDropout) else layer
        for layer in model.layers
    ])
    assert mc_model.count_params() == model.count_params()
    first, second = mc_model.predict(X_test[:5], verbose=0), mc_model.predict(X_test[:5], verbose=0)
    assert not np.allclose(first, second)  # stochastic even through predict()


def test_max_norm_constraint(digits):
    X_train, y_train, *_ = digits
    MaxNormDense = partial(keras.layers.Dense, activation="selu", kernel_initializer="lecun_normal",
                           kernel_constraint=keras.constraints.max_norm(1.))
    model = keras.models.Sequential([
        keras.layers.Flatten(input_shape=[8, 8]),
        MaxNormDense(300),
        MaxNormDense(100),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="nadam", metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=2, verbose=0)
    assert history.history["accuracy"][-1] > 0.85
    for layer in model.layers[1:3]:
        assert np.linalg.norm(layer.kernel.numpy(), axis=0).max() <= 1.0 + 1e-5  # axis=0: per output unit
