"""Smoke tests: the example scripts run end to end on the bundled data."""
import importlib.util
import pathlib

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_train_digits_learns(capsys):
    accuracy = load("train_digits").main(["--epochs", "3"])
    out = capsys.readouterr().out
    assert 'Model: "digits_cnn"' in out and "Total params:" in out
    assert "Epoch 3/3" in out and "41/41" in out and "━━━━━━━━━━━━━━━━━━━━" in out and "val_accuracy:" in out
    first, last = [float(v) for v in out.rsplit("loss ", 1)[1].split(";")[0].split(" -> ")]
    assert last < first
    assert accuracy > 0.9


def test_tf1_linear_regression_converges(capsys):
    final_mse = load("tf1_linear_regression").main(n_epochs=10)
    out = capsys.readouterr().out
    assert "Epoch   0" in out and "normal equation" in out
    assert final_mse < 0.6  # the least-squares optimum on standardised diabetes targets is about 0.48


def test_autograph_example():
    assert load("autograph_function").main() == 111  # Collatz: 27 takes 111 steps
