"""Train a small Keras CNN on the bundled hand-written digits, with Keras's progress bar.

Runs offline: the 8×8 UCI digits ship with ndflow. Prints the model summary, a progress bar per epoch
(with validation metrics), and the test accuracy.
Usage: ``python examples/train_digits.py [--epochs N] [--batch-size B]``
"""
from __future__ import annotations

import argparse

import numpy as np

from ndflow import keras
from ndflow.learn.datasets import load_digits
from ndflow.learn.model_selection import train_test_split


def load_data() -> tuple[np.ndarray, ...]:
    """``x_train, x_test, y_train, y_test``: 8×8×1 images scaled to [0, 1], a stratified 80/20 split."""
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32).reshape(-1, 8, 8, 1)
    return train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)


def build_model() -> keras.Model:
    return keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
        keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ], name="digits_cnn")


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(42)
    x_train, x_test, y_train, y_test = load_data()
    model = build_model()
    model.summary()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, validation_split=0.1)
    losses = history.history["loss"]
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"loss {losses[0]:.4f} -> {losses[-1]:.4f}; test accuracy: {accuracy:.4f}")
    return float(accuracy)


if __name__ == "__main__":
    main()
