"""Convolutional networks (inventory 001c §(d), chapter 14; 003 §(m) CNNs): hand-made filters, Keras conv and
pooling layers, the book's CNN and ResNet-34 (parameter counts), trained at small scale on the 8×8 digits.
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
def images():
    """Two small RGB 'photos' in [0, 1] standing in for the china and flower sample images."""
    rng = np.random.RandomState(0)
    images = rng.uniform(0.0, 0.3, size=(2, 70, 120, 3)).astype(np.float32)
    images[0, :, 40:43, :] = 1.0  # a vertical stripe
    images[1, 30:33, :, :] = 1.0  # a horizontal stripe
    return images


def test_hand_made_filters_with_tf_nn_conv2d_and_a_keras_layer(images):
    batch_size, height, width, channels = images.shape
    filters = np.zeros(shape=(7, 7, channels, 2), dtype=np.float32)
    filters[:, 3, :, 0] = 1  # vertical line
    filters[3, :, :, 1] = 1  # horizontal line
    outputs = tf.nn.conv2d(images, filters, strides=1, padding="SAME")
    assert outputs.shape == (2, 70, 120, 2)
    vertical, horizontal = outputs[0, ..., 0].numpy(), outputs[1, ..., 1].numpy()
    assert vertical[35, 41] == pytest.approx(21.0, abs=1e-4) and vertical[35, 41] > vertical[35, 80] + 10
    assert horizontal[31, 60] == pytest.approx(21.0, abs=1e-4) and horizontal[31, 60] > horizontal[60, 60] + 10

    conv = keras.layers.Conv2D(filters=2, kernel_size=7, strides=1, padding="SAME", activation="relu",
                               input_shape=outputs.shape)
    conv_outputs = conv(images)
    assert conv_outputs.shape == (2, 70, 120, 2)
    conv.set_weights([filters, np.zeros(2)])
    np.testing.assert_allclose(conv(images).numpy(), np.maximum(outputs.numpy(), 0), rtol=1e-5, atol=1e-5)

    assert tf.nn.conv2d(images, filters, strides=[1, 2, 2, 1], padding="VALID").shape == (2, 32, 57, 2)


def test_pooling_layers(images):
    max_pool = keras.layers.MaxPool2D(pool_size=2)
    output = max_pool(images)
    assert output.shape == (2, 35, 60, 3)
    expected = images.reshape(2, 35, 2, 60, 2, 3).max(axis=(2, 4))
    np.testing.assert_array_equal(output.numpy(), expected)
    assert keras.layers.MaxPooling2D(pool_size=2)(images[:, :69, :119]).shape == (2, 34, 59, 3)  # rounds down

    avg_pool = keras.layers.AvgPool2D(pool_size=2)
    np.testing.assert_allclose(avg_pool(images).numpy(), images.reshape(2, 35, 2, 60, 2, 3).mean(axis=(2, 4)),
                               rtol=1e-6)

    global_avg_pool = keras.layers.GlobalAvgPool2D()
    output_global_avg2 = keras.layers.Lambda(lambda X: tf.reduce_mean(X, axis=[1, 2]))
    assert global_avg_pool(images).shape == (2, 3)
    np.testing.assert_allclose(global_avg_pool(images).numpy(), output_global_avg2(images).numpy(), rtol=1e-6)
    assert keras.layers.GlobalAveragePooling2D()(tf.random.normal([4, 7, 7, 16])).shape == (4, 16)
    assert keras.layers.MaxPooling2D(2, 2)(tf.zeros([4, 28, 28, 6])).shape == (4, 14, 14, 6)


class DepthMaxPool(keras.layers.Layer):
    def __init__(self, pool_size, strides=None, padding="VALID", **kwargs):
        super().__init__(**kwargs)
        if strides is None:
            strides = pool_size
        self.pool_size = pool_size
        self.strides = strides
        self.padding = padding

    def call(self, inputs):
        return tf.nn.max_pool(inputs, ksize=(1, 1, 1, self.pool_size), strides=(1, 1, 1, self.pool_size),
                              padding=self.padding)


def test_depthwise_max_pooling(images):
    feature_maps = np.concatenate([images, images[..., ::-1] * 0.5], axis=-1)  # 6 channels
    depth_pool = DepthMaxPool(3)
    depth_output = depth_pool(feature_maps)
    assert depth_output.shape == (2, 70, 120, 2)
    np.testing.assert_array_equal(depth_output.numpy(), feature_maps.reshape(2, 70, 120, 2, 3).max(axis=-1))
    lambda_pool = keras.layers.Lambda(
        lambda X: tf.nn.max_pool(X, ksize=(1, 1, 1, 3), strides=(1, 1, 1, 3), padding="VALID"))
    np.testing.assert_array_equal(lambda_pool(feature_maps).numpy(), depth_output.numpy())


def test_tf_notes_conv_shapes_and_parameter_counts():
    x = tf.random.normal([2, 5, 5, 3])
    w = tf.random.normal([3, 3, 3, 4])
    out = tf.nn.conv2d(x, w, strides=1, padding=[[0, 0], [1, 1], [1, 1], [0, 0]])
    assert out.shape == (2, 5, 5, 4)
    np.testing.assert_allclose(out.numpy(), tf.nn.conv2d(x, w, strides=1, padding="SAME").numpy(), rtol=1e-5)

    layer = keras.layers.Conv2D(4, kernel_size=(3, 4), strides=(2, 1), padding="SAME")
    out = layer(x)
    assert out.shape == (2, 3, 5, 4)
    assert layer.kernel.shape == (3, 4, 3, 4) and layer.bias.shape == (4,)
    assert len(layer.trainable_variables) == 2
    assert keras.layers.Conv2D(4, kernel_size=3, strides=1, padding="same")(x).shape == (2, 5, 5, 4)

    dilated = keras.layers.Conv2D(1, kernel_size=3, strides=1, dilation_rate=2)
    assert dilated(tf.zeros([1, 7, 7, 1])).shape == (1, 3, 3, 1)  # effective kernel 5

    transposed = keras.layers.Conv2DTranspose(1, kernel_size=3, strides=1, padding="VALID")
    assert transposed(tf.zeros([1, 2, 2, 1])).shape == (1, 4, 4, 1)
    for padding, size in (("valid", (5 - 1) * 2 + 3), ("same", 5 * 2)):
        layer = keras.layers.Conv2DTranspose(1, kernel_size=3, strides=2, padding=padding)
        assert layer(tf.zeros([1, 5, 5, 1])).shape == (1, size, size, 1)
    w = tf.random.normal([3, 3, 1, 4])  # [k, k, c_out, c_in]
    out = tf.nn.conv2d_transpose(tf.zeros([1, 5, 5, 4]), w, output_shape=[1, 11, 11, 1], strides=2,
                                 padding="VALID")
    assert out.shape == (1, 11, 11, 1)

    separable = keras.layers.SeparableConv2D(4, 3, use_bias=False)
    normal = keras.layers.Conv2D(4, 3, use_bias=False)
    separable.build((None, 5, 5, 3))
    normal.build((None, 5, 5, 3))
    assert (separable.count_params(), normal.count_params()) == (27 + 12, 108)

    with pytest.raises(ValueError, match="isn't built"):
        keras.layers.Conv2D(200, 5, padding="same").count_params()  # weights are created on first use
    big = keras.layers.Conv2D(200, 5, padding="same")
    big.build((None, 150, 100, 3))
    assert big.count_params() == 15_200


def lenet(kernel_size):
    return keras.Sequential([
        keras.layers.Conv2D(6, kernel_size, activation="relu", input_shape=[28, 28, 1]),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(16, kernel_size, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(120, activation="relu"),
        keras.layers.Dense(84, activation="relu"),
        keras.layers.Dense(10),
    ])


def test_tf_notes_lenet5_shapes():
    model = lenet(3)
    assert model.layers[3].output.shape == (None, 5, 5, 16) and model.layers[4].output.shape == (None, 400)
    assert model.count_params() == 60_074
    assert lenet(5).layers[4].output.shape == (None, 256) and lenet(5).count_params() == 44_426
    original = keras.Sequential([
        keras.layers.Conv2D(6, 5, activation="tanh", input_shape=[32, 32, 1]),
        keras.layers.AveragePooling2D(2),
        keras.layers.Conv2D(16, 5, activation="tanh"),
        keras.layers.AveragePooling2D(2),
        keras.layers.Flatten(),
    ])
    assert [layer.output.shape[1:] for layer in original.layers] == [(28, 28, 6), (14, 14, 6), (10, 10, 16),
                                                                     (5, 5, 16), (400,)]


def book_cnn(input_shape):
    DefaultConv2D = partial(keras.layers.Conv2D, kernel_size=3, activation="relu", padding="SAME")
    return keras.models.Sequential([
        DefaultConv2D(filters=64, kernel_size=7, input_shape=input_shape),
        keras.layers.MaxPooling2D(pool_size=2),
        DefaultConv2D(filters=128),
        DefaultConv2D(filters=128),
        keras.layers.MaxPooling2D(pool_size=2),
        DefaultConv2D(filters=256),
        DefaultConv2D(filters=256),
        keras.layers.MaxPooling2D(pool_size=2),
        keras.layers.Flatten(),
        keras.layers.Dense(units=128, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(units=64, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(units=10, activation="softmax"),
    ])


def test_the_books_cnn_architecture_and_a_small_one_trained_on_digits():
    assert book_cnn([28, 28, 1]).count_params() == 1_413_834

    X_train, y_train, X_valid, y_valid, X_test, y_test = digits_images()
    X_mean = X_train.mean(axis=0, keepdims=True)
    X_std = X_train.std(axis=0, keepdims=True) + 1e-7
    X_train, X_valid, X_test = ((X - X_mean) / X_std for X in (X_train, X_valid, X_test))
    X_train, X_valid, X_test = (X[..., np.newaxis] for X in (X_train, X_valid, X_test))

    DefaultConv2D = partial(keras.layers.Conv2D, kernel_size=3, activation="relu", padding="SAME")
    model = keras.models.Sequential([
        DefaultConv2D(filters=16, kernel_size=5, input_shape=[8, 8, 1]),
        keras.layers.MaxPooling2D(pool_size=2),
        DefaultConv2D(filters=32),
        DefaultConv2D(filters=32),
        keras.layers.MaxPooling2D(pool_size=2),
        keras.layers.Flatten(),
        keras.layers.Dense(units=64, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(units=10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="nadam", metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=6, validation_data=(X_valid, y_valid), verbose=0)
    assert history.history["val_accuracy"][-1] > 0.92
    score = model.evaluate(X_test, y_test, verbose=0)
    assert score[1] > 0.92
    X_new = X_test[:10]
    y_pred = model.predict(X_new, verbose=0)
    assert y_pred.shape == (10, 10) and np.mean(y_pred.argmax(axis=1) == y_test[:10]) >= 0.8


DefaultConv2D = partial(keras.layers.Conv2D, kernel_size=3, strides=1, padding="SAME", use_bias=False)


class ResidualUnit(keras.layers.Layer):
    def __init__(self, filters, strides=1, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.activation = keras.activations.get(activation)
        self.main_layers = [
            DefaultConv2D(filters, strides=strides),
            keras.layers.BatchNormalization(),
            self.activation,
            DefaultConv2D(filters),
            keras.layers.BatchNormalization()]
        self.skip_layers = []
        if strides > 1:
            self.skip_layers = [
                DefaultConv2D(filters, kernel_size=1, strides=strides),
                keras.layers.BatchNormalization()]

    def call(self, inputs):
        Z = inputs
        for layer in self.main_layers:
            Z = layer(Z)
        skip_Z = inputs
        for layer in self.skip_layers:
            skip_Z = layer(skip_Z)
        return self.activation(Z + skip_Z)


def resnet(input_shape, stages, n_classes=10):
    model = keras.models.Sequential()
    model.add(DefaultConv2D(64, kernel_size=7, strides=2, input_shape=input_shape))
    model.add(keras.layers.BatchNormalization())
    model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.MaxPool2D(pool_size=3, strides=2, padding="SAME"))
    prev_filters = 64
    for filters in stages:
        strides = 1 if filters == prev_filters else 2
        model.add(ResidualUnit(filters, strides=strides))
        prev_filters = filters
    model.add(keras.layers.GlobalAvgPool2D())
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(n_classes, activation="softmax"))
    return model


def test_resnet34_parameter_counts(capsys):
    # the global average pooling makes the counts independent of the image size: 32×32 instead of 224×224
    # keeps the shape inference (which runs the custom units on zeros) cheap
    model = resnet([32, 32, 3], [64] * 3 + [128] * 4 + [256] * 6 + [512] * 3)
    model.summary()
    out = capsys.readouterr().out
    assert "Total params: 21,306,826" in out
    assert "Trainable params: 21,289,802" in out and "Non-trainable params: 17,024" in out
    shapes = [layer.output.shape[1:] for layer in model.layers if isinstance(layer, ResidualUnit)]
    assert shapes[0] == (8, 8, 64) and shapes[3] == (4, 4, 128) and shapes[7] == (2, 2, 256)
    assert shapes[-1] == (1, 1, 512) and len(shapes) == 16


def test_a_small_residual_network_trains_on_digits():
    X_train, y_train, X_valid, y_valid, *_ = digits_images()
    X_train, X_valid = X_train[..., np.newaxis], X_valid[..., np.newaxis]
    model = keras.models.Sequential([
        DefaultConv2D(16, input_shape=[8, 8, 1]),
        keras.layers.BatchNormalization(),
        keras.layers.Activation("relu"),
        ResidualUnit(16),
        ResidualUnit(32, strides=2),
        keras.layers.GlobalAvgPool2D(),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="nadam", metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=4, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.9
    bn = model.layers[1]
    assert np.any(bn.moving_variance.numpy() != 1.0)  # moving statistics were updated during fit
    # after 150 steps the moving averages (momentum 0.99) still lag the batch statistics, so inference-mode
    # accuracy trails the training accuracy, in Keras too; the training-mode forward pass is already good
    train_mode = model(X_valid, training=True).numpy().argmax(axis=1)
    assert np.mean(train_mode == y_valid) > 0.85


def test_classification_and_localization_heads():
    X_train, y_train, *_ = digits_images()
    X_train = X_train[..., np.newaxis]
    inputs = keras.layers.Input(shape=[8, 8, 1])
    z = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    z = keras.layers.GlobalAveragePooling2D()(z)
    class_output = keras.layers.Dense(10, activation="softmax")(z)
    loc_output = keras.layers.Dense(4)(z)
    model = keras.models.Model(inputs=inputs, outputs=[class_output, loc_output])
    model.compile(loss=["sparse_categorical_crossentropy", "mse"], loss_weights=[0.8, 0.2], optimizer="nadam")
    y_loc = tf.random.uniform([len(y_train), 4])  # fake bounding boxes
    history = model.fit(X_train, (y_train, y_loc), epochs=3, verbose=0)
    assert len(history.history) == 3 and history.history["loss"][-1] < history.history["loss"][0]
    y_proba, boxes = model.predict(X_train[:2], verbose=0)
    assert y_proba.shape == (2, 10) and boxes.shape == (2, 4)
