"""Autoencoders (inventory 001c §(g), chapter 17; 003 §(o)): linear (PCA), stacked, tied, convolutional,
recurrent, denoising, sparse and variational autoencoders. Parameter counts use the book's 28×28 shapes; the
training runs use the bundled 8×8 digits (pixels in [0, 1]).
"""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from ndflow.learn.decomposition import PCA
from tests.spec.keras_spec_data import digits_images


@pytest.fixture(autouse=True)
def fresh_session():
    keras.backend.clear_session()
    # the book's np.random.seed + tf.random.set_seed is not enough in Keras 3: unseeded initializers draw from
    # Python's `random`, which set_random_seed seeds too
    keras.utils.set_random_seed(42)


@pytest.fixture(scope="module")
def images():
    X_train, _, X_valid, _, _, _ = digits_images()
    return X_train, X_valid


def rounded_accuracy(y_true, y_pred):
    return keras.metrics.binary_accuracy(tf.round(y_true), tf.round(y_pred))


def generate_3d_data(m, w1=0.1, w2=0.3, noise=0.1):
    angles = np.random.rand(m) * 3 * np.pi / 2 - 0.5
    data = np.empty((m, 3))
    data[:, 0] = np.cos(angles) + np.sin(angles) / 2 + noise * np.random.randn(m) / 2
    data[:, 1] = np.sin(angles) * 0.7 + noise * np.random.randn(m) / 2
    data[:, 2] = data[:, 0] * w1 + data[:, 1] * w2 + noise * np.random.randn(m)
    return data


def test_linear_autoencoder_finds_the_pca_plane():
    np.random.seed(4)
    X_train = generate_3d_data(60)
    X_train = (X_train - X_train.mean(axis=0, keepdims=True)).astype(np.float32)
    encoder = keras.models.Sequential([keras.layers.Dense(2, input_shape=[3])])
    decoder = keras.models.Sequential([keras.layers.Dense(3, input_shape=[2])])
    autoencoder = keras.models.Sequential([encoder, decoder])
    autoencoder.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=1.5))
    history = autoencoder.fit(X_train, X_train, epochs=20, verbose=0)
    codings = encoder.predict(X_train, verbose=0)
    assert codings.shape == (60, 2)
    errors = {}
    for n in (1, 2):
        pca = PCA(n_components=n).fit(X_train)
        errors[n] = np.mean((pca.inverse_transform(pca.transform(X_train)) - X_train) ** 2)
    # far better than any line, approaching the best plane
    assert history.history["loss"][-1] < 0.3 * errors[1] and history.history["loss"][-1] < 3 * errors[2]


def test_stacked_autoencoder(images):
    full_size = keras.models.Sequential([
        keras.models.Sequential([keras.layers.Flatten(input_shape=[28, 28]),
                                 keras.layers.Dense(100, activation="selu"),
                                 keras.layers.Dense(30, activation="selu")]),
        keras.models.Sequential([keras.layers.Dense(100, activation="selu", input_shape=[30]),
                                 keras.layers.Dense(28 * 28, activation="sigmoid"),
                                 keras.layers.Reshape([28, 28])]),
    ])
    assert full_size.count_params() == 163_814

    X_train, X_valid = images
    stacked_encoder = keras.models.Sequential([
        keras.layers.Flatten(input_shape=[8, 8]),
        keras.layers.Dense(100, activation="selu"),
        keras.layers.Dense(30, activation="selu"),
    ])
    stacked_decoder = keras.models.Sequential([
        keras.layers.Dense(100, activation="selu", input_shape=[30]),
        keras.layers.Dense(8 * 8, activation="sigmoid"),
        keras.layers.Reshape([8, 8]),
    ])
    stacked_ae = keras.models.Sequential([stacked_encoder, stacked_decoder])
    stacked_ae.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1.5),
                       metrics=[rounded_accuracy])
    history = stacked_ae.fit(X_train, X_train, epochs=10, validation_data=(X_valid, X_valid), verbose=0)
    assert sorted(history.history) == ["loss", "rounded_accuracy", "val_loss", "val_rounded_accuracy"]
    assert history.history["val_loss"][-1] < 0.75 * history.history["val_loss"][0]
    assert history.history["val_rounded_accuracy"][-1] > 0.85
    reconstructions = stacked_ae.predict(X_valid[:5], verbose=0)
    assert reconstructions.shape == (5, 8, 8)
    assert stacked_encoder.predict(X_valid, verbose=0).shape == (250, 30)


class DenseTranspose(keras.layers.Layer):
    def __init__(self, dense, activation=None, **kwargs):
        self.dense = dense
        self.activation = keras.activations.get(activation)
        super().__init__(**kwargs)

    def build(self, batch_input_shape):
        # the book reads self.dense.input_shape, which Keras 3 layers no longer have
        self.biases = self.add_weight(name="bias", shape=[self.dense.kernel.shape[0]], initializer="zeros")
        super().build(batch_input_shape)

    def call(self, inputs):
        z = tf.matmul(inputs, self.dense.weights[0], transpose_b=True)
        return self.activation(z + self.biases)


def tied_autoencoder(side):
    dense_1 = keras.layers.Dense(100, activation="selu")
    dense_2 = keras.layers.Dense(30, activation="selu")
    tied_encoder = keras.models.Sequential([keras.layers.Flatten(input_shape=[side, side]), dense_1, dense_2])
    tied_decoder = keras.models.Sequential([
        DenseTranspose(dense_2, activation="selu"),
        DenseTranspose(dense_1, activation="sigmoid"),
        keras.layers.Reshape([side, side]),
    ])
    return keras.models.Sequential([tied_encoder, tied_decoder])


def test_tied_weights_autoencoder(images):
    full_size = tied_autoencoder(28)
    assert full_size.count_params() == 82_414  # about half of the untied 163,814

    X_train, X_valid = images
    tied_ae = tied_autoencoder(8)
    tied_ae.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1.5),
                    metrics=[rounded_accuracy])
    history = tied_ae.fit(X_train, X_train, epochs=10, validation_data=(X_valid, X_valid), verbose=0)
    assert history.history["val_loss"][-1] < 0.85 * history.history["val_loss"][0]
    assert history.history["val_rounded_accuracy"][-1] > 0.8
    assert len(tied_ae.trainable_weights) == 4 + 2  # two kernels and biases, plus the decoder's two biases


def test_convolutional_autoencoder(images):
    conv_encoder = keras.models.Sequential([
        keras.layers.Reshape([28, 28, 1], input_shape=[28, 28]),
        keras.layers.Conv2D(16, kernel_size=3, padding="SAME", activation="selu"),
        keras.layers.MaxPool2D(pool_size=2),
        keras.layers.Conv2D(32, kernel_size=3, padding="SAME", activation="selu"),
        keras.layers.MaxPool2D(pool_size=2),
        keras.layers.Conv2D(64, kernel_size=3, padding="SAME", activation="selu"),
        keras.layers.MaxPool2D(pool_size=2),
    ])
    conv_decoder = keras.models.Sequential([
        keras.layers.Conv2DTranspose(32, kernel_size=3, strides=2, padding="VALID", activation="selu",
                                     input_shape=[3, 3, 64]),
        keras.layers.Conv2DTranspose(16, kernel_size=3, strides=2, padding="SAME", activation="selu"),
        keras.layers.Conv2DTranspose(1, kernel_size=3, strides=2, padding="SAME", activation="sigmoid"),
        keras.layers.Reshape([28, 28]),
    ])
    assert conv_encoder.output_shape == (None, 3, 3, 64) and conv_encoder.count_params() == 23_296
    assert conv_decoder.layers[0].output.shape == (None, 7, 7, 32) and conv_decoder.count_params() == 23_233

    X_train, X_valid = images
    conv_ae = keras.models.Sequential([
        keras.models.Sequential([
            keras.layers.Reshape([8, 8, 1], input_shape=[8, 8]),
            keras.layers.Conv2D(16, kernel_size=3, padding="SAME", activation="selu"),
            keras.layers.MaxPool2D(pool_size=2),
            keras.layers.Conv2D(32, kernel_size=3, padding="SAME", activation="selu"),
            keras.layers.MaxPool2D(pool_size=2),
        ]),
        keras.models.Sequential([
            keras.layers.Conv2DTranspose(16, kernel_size=3, strides=2, padding="SAME", activation="selu",
                                         input_shape=[2, 2, 32]),
            keras.layers.Conv2DTranspose(1, kernel_size=3, strides=2, padding="SAME", activation="sigmoid"),
            keras.layers.Reshape([8, 8]),
        ]),
    ])
    conv_ae.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1.0),
                    metrics=[rounded_accuracy])
    history = conv_ae.fit(X_train, X_train, epochs=4, validation_data=(X_valid, X_valid), verbose=0)
    assert history.history["val_loss"][-1] < history.history["val_loss"][0]
    assert conv_ae.predict(X_valid[:3], verbose=0).shape == (3, 8, 8)


def test_recurrent_autoencoder(images):
    recurrent_encoder = keras.models.Sequential([
        keras.layers.LSTM(100, return_sequences=True, input_shape=[28, 28]),
        keras.layers.LSTM(30),
    ])
    recurrent_decoder = keras.models.Sequential([
        keras.layers.RepeatVector(28, input_shape=[30]),
        keras.layers.LSTM(100, return_sequences=True),
        keras.layers.TimeDistributed(keras.layers.Dense(28, activation="sigmoid")),
    ])
    assert (recurrent_encoder.count_params(), recurrent_decoder.count_params()) == (67_320, 55_228)

    X_train, X_valid = images
    recurrent_ae = keras.models.Sequential([
        keras.models.Sequential([keras.layers.LSTM(32, return_sequences=True, input_shape=[8, 8]),
                                 keras.layers.LSTM(16)]),
        keras.models.Sequential([keras.layers.RepeatVector(8, input_shape=[16]),
                                 keras.layers.LSTM(32, return_sequences=True),
                                 keras.layers.TimeDistributed(keras.layers.Dense(8, activation="sigmoid"))]),
    ])
    recurrent_ae.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(0.1),
                         metrics=[rounded_accuracy])
    history = recurrent_ae.fit(X_train[:500], X_train[:500], epochs=2, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert recurrent_ae.predict(X_valid[:2], verbose=0).shape == (2, 8, 8)


@pytest.mark.parametrize("noise_layer", [keras.layers.GaussianNoise(0.2), keras.layers.Dropout(0.5)],
                         ids=["gaussian", "dropout"])
def test_denoising_autoencoders(images, noise_layer):
    X_train, X_valid = images
    noisy = noise_layer(X_valid, training=True).numpy()
    assert not np.allclose(noisy, X_valid) and np.array_equal(noise_layer(X_valid).numpy(), X_valid)

    denoising_encoder = keras.models.Sequential([
        keras.layers.Flatten(input_shape=[8, 8]),
        type(noise_layer).from_config(noise_layer.get_config()),
        keras.layers.Dense(100, activation="selu"),
        keras.layers.Dense(30, activation="selu"),
    ])
    denoising_decoder = keras.models.Sequential([
        keras.layers.Dense(100, activation="selu", input_shape=[30]),
        keras.layers.Dense(8 * 8, activation="sigmoid"),
        keras.layers.Reshape([8, 8]),
    ])
    denoising_ae = keras.models.Sequential([denoising_encoder, denoising_decoder])
    denoising_ae.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1.0),
                         metrics=[rounded_accuracy])
    history = denoising_ae.fit(X_train, X_train, epochs=8, validation_data=(X_valid, X_valid), verbose=0)
    assert history.history["val_loss"][-1] < 0.85 * history.history["val_loss"][0]
    cleaned = denoising_ae.predict(noisy, verbose=0)
    assert np.mean((cleaned - X_valid) ** 2) < np.mean((noisy - X_valid) ** 2)


class KLDivergenceRegularizer(keras.regularizers.Regularizer):
    def __init__(self, weight, target=0.1):
        self.weight = weight
        self.target = target

    def __call__(self, inputs):
        kl_divergence = keras.losses.kl_divergence
        mean_activities = tf.reduce_mean(inputs, axis=0)
        return self.weight * (kl_divergence(self.target, mean_activities) +
                              kl_divergence(1. - self.target, 1. - mean_activities))


def sparse_autoencoder(coding_layers):
    encoder = keras.models.Sequential([keras.layers.Flatten(input_shape=[8, 8]),
                                       keras.layers.Dense(100, activation="selu"), *coding_layers])
    decoder = keras.models.Sequential([keras.layers.Dense(100, activation="selu", input_shape=[300]),
                                       keras.layers.Dense(8 * 8, activation="sigmoid"),
                                       keras.layers.Reshape([8, 8])])
    return encoder, keras.models.Sequential([encoder, decoder])


def test_sparse_autoencoders(images):
    X_train, X_valid = images
    layer = keras.layers.ActivityRegularization(l1=1e-3)
    x = tf.constant([[0.5, -1.5]])
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())  # passes its inputs through

    mean_activations = {}
    for name, coding_layers in (
            ("plain", [keras.layers.Dense(300, activation="sigmoid")]),
            ("l1", [keras.layers.Dense(300, activation="sigmoid"), keras.layers.ActivityRegularization(l1=1e-3)]),
            ("kl", [keras.layers.Dense(300, activation="sigmoid",
                                       activity_regularizer=KLDivergenceRegularizer(weight=0.05, target=0.1))])):
        encoder, model = sparse_autoencoder(coding_layers)
        model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1.0))
        history = model.fit(X_train, X_train, epochs=5, verbose=0)
        assert history.history["loss"][-1] < history.history["loss"][0]
        if name != "plain":
            model(X_valid, training=True)
            assert len(model.losses) == 1 and float(model.losses[0]) > 0
        mean_activations[name] = encoder.predict(X_valid, verbose=0).mean()
    assert mean_activations["kl"] < mean_activations["plain"]  # pushed towards the 10% target
    assert mean_activations["l1"] < mean_activations["plain"]


class Sampling(keras.layers.Layer):
    """Samples the codings and adds the latent loss (Keras 3 has no symbolic ``Model.add_loss``)."""

    def call(self, inputs):
        mean, log_var = inputs
        latent_loss = -0.5 * tf.reduce_sum(1 + log_var - tf.exp(log_var) - tf.square(mean), axis=-1)
        self.add_loss(tf.reduce_mean(latent_loss) / 64.)
        return tf.random.normal(tf.shape(log_var)) * tf.exp(log_var / 2) + mean


def test_variational_autoencoder(images):
    X_train, X_valid = images
    codings_size = 10
    inputs = keras.layers.Input(shape=[8, 8])
    z = keras.layers.Flatten()(inputs)
    z = keras.layers.Dense(150, activation="selu")(z)
    z = keras.layers.Dense(100, activation="selu")(z)
    codings_mean = keras.layers.Dense(codings_size)(z)
    codings_log_var = keras.layers.Dense(codings_size)(z)
    codings = Sampling()([codings_mean, codings_log_var])
    variational_encoder = keras.models.Model(inputs=[inputs], outputs=[codings_mean, codings_log_var, codings])

    decoder_inputs = keras.layers.Input(shape=[codings_size])
    x = keras.layers.Dense(100, activation="selu")(decoder_inputs)
    x = keras.layers.Dense(150, activation="selu")(x)
    x = keras.layers.Dense(8 * 8, activation="sigmoid")(x)
    outputs = keras.layers.Reshape([8, 8])(x)
    variational_decoder = keras.models.Model(inputs=[decoder_inputs], outputs=[outputs])

    _, _, codings = variational_encoder(inputs)
    reconstructions = variational_decoder(codings)
    variational_ae = keras.models.Model(inputs=[inputs], outputs=[reconstructions])
    with pytest.raises(NotImplementedError):
        variational_ae.add_loss(tf.constant(0.0))  # the book's symbolic latent loss: Keras 2 only

    variational_ae.compile(loss="binary_crossentropy", optimizer="rmsprop", metrics=[rounded_accuracy])
    history = variational_ae.fit(X_train, X_train, epochs=20, batch_size=128, validation_data=(X_valid, X_valid),
                                 verbose=0)
    assert history.history["val_loss"][-1] < 0.8 * history.history["val_loss"][0]

    mean, log_var, sampled = variational_encoder(X_valid[:4])
    assert mean.shape == log_var.shape == sampled.shape == (4, codings_size)
    variational_ae(X_valid[:4])
    latent = -0.5 * np.sum(1 + log_var.numpy() - np.exp(log_var.numpy()) - mean.numpy() ** 2, axis=-1)
    assert len(variational_ae.losses) == 1 and float(variational_ae.losses[0]) > 0
    assert float(variational_encoder(X_valid[:4])[0].numpy().std()) > 0 and latent.min() >= 0  # KL ≥ 0

    codings = tf.random.normal(shape=[12, codings_size])
    generated = variational_decoder(codings).numpy()
    assert generated.shape == (12, 8, 8) and 0 <= generated.min() and generated.max() <= 1

    codings_grid = tf.reshape(codings, [1, 3, 4, codings_size])
    larger_grid = tf.image.resize(codings_grid, size=[5, 7])
    interpolated_codings = tf.reshape(larger_grid, [-1, codings_size])
    assert variational_decoder(interpolated_codings).shape == (35, 8, 8)


def test_tf_notes_dense_autoencoder_parameter_count():
    encoder = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(128, activation="relu"),
                                keras.layers.Dense(20)])
    decoder = keras.Sequential([keras.layers.Dense(128, activation="relu"), keras.layers.Dense(256, activation="relu"),
                                keras.layers.Dense(784)])
    model = keras.Sequential([encoder, decoder])
    model.build(input_shape=(None, 784))
    assert model.count_params() == 473_636
    x = tf.random.uniform([4, 784])
    assert encoder(x).shape == (4, 20) and model(x).shape == (4, 784)
