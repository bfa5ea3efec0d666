"""A Sequential MLP classifier, the Keras workflow of Hands-On ML chapter 10, on the bundled digits.

Builds the model with ``add``, prints its summary, trains with validation data (one line per epoch),
reports the ``History``, evaluates on the test set and predicts class names for three new images.
Usage: ``python examples/keras_mlp_classifier.py [--epochs N]``
"""
from __future__ import annotations

import argparse

import numpy as np

from ndflow import keras
from ndflow.learn.datasets import load_digits

CLASS_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(42)
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32).reshape(-1, 8, 8)
    order = np.random.permutation(len(X))
    X, y = X[order], y[order]
    X_train, X_valid, X_test = X[:1200], X[1200:1450], X[1450:]
    y_train, y_valid, y_test = y[:1200], y[1200:1450], y[1450:]

    model = keras.models.Sequential()
    model.add(keras.Input(shape=[8, 8]))
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(300, activation="relu"))
    model.add(keras.layers.Dense(100, activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.summary()

    model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=args.epochs, validation_data=(X_valid, y_valid), verbose=2)
    print("history:", {name: round(values[-1], 4) for name, values in history.history.items()})

    test_loss, test_accuracy = model.evaluate(X_test, y_test, verbose=0)
    print(f"test loss: {test_loss:.4f} - test accuracy: {test_accuracy:.4f}")
    X_new = X_test[:3]
    y_proba = model.predict(X_new, verbose=0)
    print("probabilities:")
    print(y_proba.round(2))
    y_pred = np.argmax(y_proba, axis=-1)
    print("predicted:", [CLASS_NAMES[i] for i in y_pred], "actual:", [CLASS_NAMES[i] for i in y_test[:3]])
    return float(test_accuracy)


if __name__ == "__main__":
    main()
