"""A functional Wide & Deep regressor with two named inputs and an auxiliary output (Hands-On ML ch. 10).

The data is a synthetic, California-housing-like table (8 standardised features); the wide path sees
features 0–4, the deep path features 2–7, and the auxiliary output regularises the deep path.
Usage: ``python examples/keras_wide_and_deep.py [--epochs N]``
"""
from __future__ import annotations

import argparse

import numpy as np

from ndflow import keras
from ndflow.learn.model_selection import train_test_split
from ndflow.learn.preprocessing import StandardScaler


def housing_like(n_samples: int = 3000, seed: int = 42) -> tuple[np.ndarray, np.ndarray]:
    """Eight noisy features and a target in $100k that mixes linear and non-linear effects."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, 8))
    y = (2.0 + 0.8 * X[:, 0] + 0.5 * np.tanh(X[:, 1] * X[:, 2]) - 0.3 * X[:, 3] ** 2
         + 0.2 * X[:, 4] * X[:, 5] + 0.1 * rng.normal(size=n_samples))
    return X, y


def build_model() -> keras.Model:
    input_A = keras.layers.Input(shape=[5], name="wide_input")
    input_B = keras.layers.Input(shape=[6], name="deep_input")
    hidden1 = keras.layers.Dense(30, activation="relu")(input_B)
    hidden2 = keras.layers.Dense(30, activation="relu")(hidden1)
    concat = keras.layers.concatenate([input_A, hidden2])
    output = keras.layers.Dense(1, name="main_output")(concat)
    aux_output = keras.layers.Dense(1, name="aux_output")(hidden2)
    return keras.Model(inputs=[input_A, input_B], outputs=[output, aux_output])


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(42)
    X, y = housing_like()
    X_train_full, X_test, y_train_full, y_test = train_test_split(X, y, random_state=42)
    X_train, X_valid, y_train, y_valid = train_test_split(X_train_full, y_train_full, random_state=42)
    scaler = StandardScaler()
    X_train = scaler.fit_transform(X_train).astype(np.float32)
    X_valid, X_test = (scaler.transform(X).astype(np.float32) for X in (X_valid, X_test))
    inputs = {name: {"wide_input": X[:, :5], "deep_input": X[:, 2:]}
              for name, X in (("train", X_train), ("valid", X_valid), ("test", X_test))}

    model = build_model()
    model.summary()
    model.compile(loss={"main_output": "mse", "aux_output": "mse"},
                  loss_weights={"main_output": 0.9, "aux_output": 0.1},
                  optimizer=keras.optimizers.SGD(learning_rate=1e-2))
    model.fit(inputs["train"], (y_train, y_train), epochs=args.epochs,
              validation_data=(inputs["valid"], (y_valid, y_valid)), verbose=2)
    total_loss, main_loss, aux_loss = model.evaluate(inputs["test"], (y_test, y_test), verbose=0)
    print(f"test loss: {total_loss:.4f} (main {main_loss:.4f}, auxiliary {aux_loss:.4f}); "
          f"predicting the mean: {np.var(y_test):.4f}")
    y_pred_main, y_pred_aux = model.predict({k: v[:3] for k, v in inputs["test"].items()}, verbose=0)
    print("predictions:", [f"{v:.2f}" for v in y_pred_main[:, 0]], "actual:", [f"{v:.2f}" for v in y_test[:3]])
    return float(main_loss)


if __name__ == "__main__":
    main()
