"""A residual CNN in the functional API, with a custom layer and callbacks (Hands-On ML chapter 14).

``ResidualUnit`` is a ``keras.layers.Layer`` subclass (two convolutions with batch normalisation and a skip
connection, as in ResNet-34); the network trains on the bundled 8×8 digits with ``EarlyStopping`` and
``ReduceLROnPlateau``, then reports the test accuracy and the learning rates it used.
Usage: ``python examples/keras_cnn.py [--epochs N]``
"""
from __future__ import annotations

import argparse
from functools import partial

import numpy as np

from ndflow import keras
from ndflow.learn.datasets import load_digits
from ndflow.learn.model_selection import train_test_split

DefaultConv2D = partial(keras.layers.Conv2D, kernel_size=3, strides=1, padding="same", use_bias=False)
# a small dataset gives few steps: faster moving averages than the default 0.99 keep inference in step
BatchNormalization = partial(keras.layers.BatchNormalization, momentum=0.9)


class ResidualUnit(keras.layers.Layer):
    """``activation(main(x) + skip(x))``; the skip path is a strided 1×1 convolution when the size changes."""

    def __init__(self, filters: int, strides: int = 1, activation: str = "relu", **kwargs) -> None:
        super().__init__(**kwargs)
        self.filters, self.strides = filters, strides
        self.activation = keras.activations.get(activation)
        self.main_layers = [DefaultConv2D(filters, strides=strides), BatchNormalization(),
                            keras.layers.Activation(activation), DefaultConv2D(filters),
                            BatchNormalization()]
        self.skip_layers = []
        if strides > 1:
            self.skip_layers = [DefaultConv2D(filters, kernel_size=1, strides=strides),
                                BatchNormalization()]

    def call(self, inputs, training=None):
        Z = inputs
        for layer in self.main_layers:
            Z = layer(Z, training=training)
        skip_Z = inputs
        for layer in self.skip_layers:
            skip_Z = layer(skip_Z, training=training)
        return self.activation(Z + skip_Z)

    def get_config(self) -> dict:
        return {**super().get_config(), "filters": self.filters, "strides": self.strides}


def build_model() -> keras.Model:
    inputs = keras.Input(shape=(8, 8, 1), name="image")
    z = DefaultConv2D(16)(inputs)
    z = BatchNormalization()(z)
    z = keras.layers.Activation("relu")(z)
    z = ResidualUnit(16)(z)
    z = ResidualUnit(32, strides=2)(z)
    z = keras.layers.GlobalAveragePooling2D()(z)
    z = keras.layers.Dropout(0.3)(z)
    outputs = keras.layers.Dense(10, activation="softmax", name="digit")(z)
    return keras.Model(inputs, outputs, name="residual_cnn")


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(42)
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32).reshape(-1, 8, 8, 1)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    X_train, X_valid, y_train, y_valid = train_test_split(X_train, y_train, test_size=0.15, random_state=0)

    model = build_model()
    model.summary()
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=3e-3),
                  metrics=["accuracy"])
    callbacks = [keras.callbacks.EarlyStopping(patience=4, restore_best_weights=True),
                 keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=2)]
    history = model.fit(X_train, y_train, epochs=args.epochs, validation_data=(X_valid, y_valid),
                        callbacks=callbacks, verbose=2)
    _, accuracy = model.evaluate(X_test, y_test, verbose=0)
    rates = sorted(set(round(rate, 6) for rate in history.history["learning_rate"]), reverse=True)
    print(f"{len(history.epoch)} epochs, learning rates {rates}; test accuracy: {accuracy:.4f}")
    return float(accuracy)


if __name__ == "__main__":
    main()
