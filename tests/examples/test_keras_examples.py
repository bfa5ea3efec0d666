"""Smoke tests: the Keras example scripts run end to end, quickly, and learn something."""
import importlib.util
import pathlib

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mlp_classifier(capsys):
    accuracy = load("keras_mlp_classifier").main(["--epochs", "8"])
    out = capsys.readouterr().out
    assert "Total params: 50,610" in out and "Epoch 8/8" in out and "38/38 - " in out
    assert "predicted: [" in out
    assert accuracy > 0.75


def test_wide_and_deep(capsys):
    main_loss = load("keras_wide_and_deep").main(["--epochs", "4"])
    out = capsys.readouterr().out
    assert "wide_input" in out and "aux_output_loss" in out and "Total params: 1,207" in out
    assert main_loss < 0.6  # predicting the mean scores about 0.94


def test_cnn(capsys):
    accuracy = load("keras_cnn").main(["--epochs", "3"])
    out = capsys.readouterr().out
    assert "residual_unit" in out and "learning_rate:" in out and "test accuracy:" in out
    assert accuracy > 0.8


def test_lstm_time_series(capsys):
    mse = load("keras_lstm_time_series").main(["--epochs", "3", "--series", "400"])
    out = capsys.readouterr().out
    naive = float(out.split("naive forecast: ")[1].split(")")[0])
    assert "Epoch 3/3" in out and mse < 0.5 * naive
