"""Generative adversarial networks (inventory 001c §(g) 'GAN', 'DCGAN'): the dense GAN trained with
``train_on_batch`` and the ``discriminator.trainable`` toggles, the same game as a GradientTape loop, and the
DCGAN's parameter counts. Small scale: 8×8 digits, a few epochs.
"""
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


def build_gan(codings_size, side):
    generator = keras.models.Sequential([
        keras.layers.Dense(100, activation="selu", input_shape=[codings_size]),
        keras.layers.Dense(150, activation="selu"),
        keras.layers.Dense(side * side, activation="sigmoid"),
        keras.layers.Reshape([side, side]),
    ])
    discriminator = keras.models.Sequential([
        keras.layers.Flatten(input_shape=[side, side]),
        keras.layers.Dense(150, activation="selu"),
        keras.layers.Dense(100, activation="selu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    gan = keras.models.Sequential([generator, discriminator])
    return generator, discriminator, gan


def train_gan(gan, dataset, batch_size, codings_size, n_epochs=50):
    generator, discriminator = gan.layers
    for epoch in range(n_epochs):
        print(f"Epoch {epoch + 1}/{n_epochs}")
        for X_batch in dataset:
            # phase 1 - training the discriminator
            noise = tf.random.normal(shape=[batch_size, codings_size])
            generated_images = generator(noise)
            X_fake_and_real = tf.concat([generated_images, X_batch], axis=0)
            y1 = tf.constant([[0.]] * batch_size + [[1.]] * batch_size)
            discriminator.trainable = True
            discriminator.train_on_batch(X_fake_and_real, y1)
            # phase 2 - training the generator
            noise = tf.random.normal(shape=[batch_size, codings_size])
            y2 = tf.constant([[1.]] * batch_size)
            discriminator.trainable = False
            gan.train_on_batch(noise, y2)
    return generated_images


def numpy_batches(X, batch_size):
    order = np.random.permutation(len(X))
    return [X[order[i:i + batch_size]] for i in range(0, len(X) - batch_size + 1, batch_size)]  # drop remainder


def compile_gan(discriminator, gan):
    discriminator.compile(loss="binary_crossentropy", optimizer="rmsprop")
    discriminator.trainable = False
    gan.compile(loss="binary_crossentropy", optimizer="rmsprop")


def test_dense_gan_parameter_counts():
    generator, discriminator, gan = build_gan(30, 28)
    assert generator.count_params() == 136_634 and discriminator.count_params() == 132_951
    assert gan.layers == [generator, discriminator]
    assert gan.output_shape == (None, 1)


def test_train_on_batch_updates_only_the_intended_network():
    X_train = digits_images()[0]
    codings_size, batch_size = 30, 32
    generator, discriminator, gan = build_gan(codings_size, 8)
    compile_gan(discriminator, gan)
    assert gan.trainable_weights == generator.trainable_weights  # the frozen discriminator is left out

    noise = tf.random.normal(shape=[batch_size, codings_size])
    X_fake_and_real = tf.concat([generator(noise), X_train[:batch_size]], axis=0)
    y1 = tf.constant([[0.]] * batch_size + [[1.]] * batch_size)
    generator_before = [w.copy() for w in generator.get_weights()]
    discriminator.trainable = True
    discriminator.train_on_batch(X_fake_and_real, y1)
    for before, after in zip(generator_before, generator.get_weights()):
        np.testing.assert_array_equal(before, after)

    discriminator_before = [w.copy() for w in discriminator.get_weights()]
    discriminator.trainable = False
    loss = gan.train_on_batch(noise, tf.constant([[1.]] * batch_size))
    assert np.isfinite(loss)
    for before, after in zip(discriminator_before, discriminator.get_weights()):
        np.testing.assert_array_equal(before, after)
    assert any(not np.array_equal(b, a) for b, a in zip(generator_before, generator.get_weights()))


def test_dense_gan_training_loop(capsys):
    X_train = digits_images()[0]
    codings_size, batch_size = 30, 32
    generator, discriminator, gan = build_gan(codings_size, 8)
    compile_gan(discriminator, gan)
    dataset = numpy_batches(X_train, batch_size)
    generated_images = train_gan(gan, dataset, batch_size, codings_size, n_epochs=2)
    assert "Epoch 2/2" in capsys.readouterr().out
    assert generated_images.shape == (batch_size, 8, 8)
    images = generator(tf.random.normal(shape=[200, codings_size])).numpy()
    assert abs(images.mean() - X_train.mean()) < 0.15  # drawn towards the digits' ink level (0.5 at the start)
    assert images.std(axis=0).mean() > 0.01  # not one constant image


def test_dense_gan_with_a_tf_data_pipeline():
    X_train = digits_images()[0]
    codings_size, batch_size = 30, 32
    generator, discriminator, gan = build_gan(codings_size, 8)
    compile_gan(discriminator, gan)
    dataset = tf.data.Dataset.from_tensor_slices(X_train).shuffle(1000)
    dataset = dataset.batch(batch_size, drop_remainder=True).prefetch(1)
    generated_images = train_gan(gan, dataset, batch_size, codings_size, n_epochs=1)
    assert generated_images.shape == (batch_size, 8, 8)


def test_gan_as_a_gradient_tape_loop():
    X_train = digits_images()[0]
    codings_size, batch_size = 30, 32
    generator, discriminator, _ = build_gan(codings_size, 8)
    cross_entropy = keras.losses.BinaryCrossentropy()
    generator_optimizer = keras.optimizers.RMSprop()
    discriminator_optimizer = keras.optimizers.RMSprop()

    @tf.function
    def train_step(X_batch):
        noise = tf.random.normal(shape=[batch_size, codings_size])
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            generated_images = generator(noise, training=True)
            real_output = discriminator(X_batch, training=True)
            fake_output = discriminator(generated_images, training=True)
            gen_loss = cross_entropy(tf.ones_like(fake_output), fake_output)
            disc_loss = (cross_entropy(tf.ones_like(real_output), real_output) +
                         cross_entropy(tf.zeros_like(fake_output), fake_output))
        generator_optimizer.apply_gradients(
            zip(gen_tape.gradient(gen_loss, generator.trainable_variables), generator.trainable_variables))
        discriminator_optimizer.apply_gradients(
            zip(disc_tape.gradient(disc_loss, discriminator.trainable_variables),
                discriminator.trainable_variables))
        return gen_loss, disc_loss

    generator.build((None, codings_size))
    discriminator.build((None, 8, 8))
    losses = [train_step(X_batch) for _ in range(2) for X_batch in numpy_batches(X_train, batch_size)]
    gen_losses, disc_losses = np.array(losses).T
    assert np.all(np.isfinite(gen_losses)) and np.all(np.isfinite(disc_losses))
    assert int(generator_optimizer.iterations) == int(discriminator_optimizer.iterations) == len(losses)
    images = generator(tf.random.normal(shape=[200, codings_size])).numpy()
    assert abs(images.mean() - X_train.mean()) < 0.15


def test_dcgan_parameter_counts():
    codings_size = 100
    generator = keras.models.Sequential([
        keras.layers.Dense(7 * 7 * 128, input_shape=[codings_size]),
        keras.layers.Reshape([7, 7, 128]),
        keras.layers.BatchNormalization(),
        keras.layers.Conv2DTranspose(64, kernel_size=5, strides=2, padding="SAME", activation="selu"),
        keras.layers.BatchNormalization(),
        keras.layers.Conv2DTranspose(1, kernel_size=5, strides=2, padding="SAME", activation="tanh"),
    ])
    discriminator = keras.models.Sequential([
        keras.layers.Conv2D(64, kernel_size=5, strides=2, padding="SAME", activation=keras.layers.LeakyReLU(0.2),
                            input_shape=[28, 28, 1]),
        keras.layers.Dropout(0.4),
        keras.layers.Conv2D(128, kernel_size=5, strides=2, padding="SAME",
                            activation=keras.layers.LeakyReLU(0.2)),
        keras.layers.Dropout(0.4),
        keras.layers.Flatten(),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    assert generator.output_shape == (None, 28, 28, 1) and generator.count_params() == 840_705
    assert discriminator.count_params() == 212_865
    images = generator(tf.random.normal([2, codings_size])).numpy()
    assert images.min() >= -1 and images.max() <= 1  # tanh: inputs rescaled to [-1, 1] to match
    assert discriminator(images).shape == (2, 1)
