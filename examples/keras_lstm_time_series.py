"""Forecasting a synthetic time series with an LSTM (Hands-On ML chapter 15), against the naive baseline.

Each series is the sum of two sine waves plus noise; the model reads 50 steps and predicts the next 10
(sequence-to-vector), trained with Keras's ``fit`` and an ``EarlyStopping`` callback.
Usage: ``python examples/keras_lstm_time_series.py [--epochs N]``
"""
from __future__ import annotations

import argparse

import numpy as np

from ndflow import keras

N_STEPS, HORIZON = 50, 10


def generate_time_series(batch_size: int, n_steps: int) -> np.ndarray:
    """``(batch_size, n_steps, 1)`` float32 series: two random sine waves plus uniform noise."""
    freq1, freq2, offsets1, offsets2 = np.random.rand(4, batch_size, 1)
    time = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((time - offsets1) * (freq1 * 10 + 10))
    series += 0.2 * np.sin((time - offsets2) * (freq2 * 20 + 20))
    series += 0.1 * (np.random.rand(batch_size, n_steps) - 0.5)
    return series[..., np.newaxis].astype(np.float32)


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--series", type=int, default=1000)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(42)
    series = generate_time_series(args.series, N_STEPS + HORIZON)
    n_train, n_valid = int(0.7 * args.series), int(0.85 * args.series)
    X_train, Y_train = series[:n_train, :N_STEPS], series[:n_train, -HORIZON:, 0]
    X_valid, Y_valid = series[n_train:n_valid, :N_STEPS], series[n_train:n_valid, -HORIZON:, 0]
    X_test, Y_test = series[n_valid:, :N_STEPS], series[n_valid:, -HORIZON:, 0]

    naive = np.mean((np.tile(X_test[:, -1], (1, HORIZON)) - Y_test) ** 2)
    model = keras.models.Sequential([
        keras.Input(shape=[None, 1]),
        keras.layers.LSTM(20, return_sequences=True),
        keras.layers.LSTM(20),
        keras.layers.Dense(HORIZON),
    ])
    model.summary()
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=0.01))
    model.fit(X_train, Y_train, epochs=args.epochs, validation_data=(X_valid, Y_valid), verbose=2,
              callbacks=[keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)])
    mse = model.evaluate(X_test, Y_test, verbose=0)
    print(f"test MSE over the next {HORIZON} steps: {mse:.4f} (naive forecast: {naive:.4f})")
    forecast = model.predict(X_test[:1], verbose=0)[0]
    print("forecast:", [f"{v:.2f}" for v in forecast])
    print("actual:  ", [f"{v:.2f}" for v in Y_test[0]])
    return float(mse)


if __name__ == "__main__":
    main()
