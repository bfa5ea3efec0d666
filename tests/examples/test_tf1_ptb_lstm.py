"""Smoke test: the TF1 PTB LSTM language model example learns its generated corpus."""
import importlib.util
import pathlib

import pytest

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "tf1_ptb_lstm.py"


def load():
    spec = importlib.util.spec_from_file_location("tf1_ptb_lstm", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("unroll", ["manual", "dynamic"])
def test_ptb_language_model_learns(tmp_path, capsys, unroll):
    example = load()
    result = example.main(["--data-dir", str(tmp_path), "--unroll", unroll])
    out = capsys.readouterr().out
    assert (tmp_path / "ptb.train.txt").exists() and (tmp_path / "ptb.valid.txt").exists()
    assert "In iteration: 1" in out and "After 0 steps, perplexity is" in out
    assert "Epoch: 4 Validation Perplexity:" in out and "Test Perplexity:" in out
    train, valid, _, vocab_size = example.ptb_raw_data(str(tmp_path))
    assert vocab_size == 23
    # a model that only learned word frequencies scores about 19; the grammar allows far better
    assert result["valid"][-1] < 6 and result["test"] < 6
    assert result["valid"][-1] < result["valid"][0]
