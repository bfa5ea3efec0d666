"""``Progbar``: byte-for-byte the output of Keras 3's progress bar (with a fake clock)."""
import time

import numpy as np
import pytest

from ndflow.keras.utils.progbar import Progbar


@pytest.fixture
def clock(monkeypatch):
    """A fake ``time.time`` that advances by ``clock.step`` seconds at each call."""

    class Clock:
        now = 1000.0
        step = 0.1

        def __call__(self):
            self.now += self.step
            return self.now

    fake = Clock()
    monkeypatch.setattr(time, "time", fake)
    return fake


def _drive(cls, updates, **kwargs):
    bar = cls(**kwargs)
    for args in updates:
        if args[0] == "add":
            bar.add(*args[1:])
        else:
            bar.update(*args)


SCENARIOS = {
    "known target, averaged values": (dict(target=5), [
        (1, [("loss", 0.9), ("acc", 0.5)]), (2, [("loss", 0.7), ("acc", 0.6)]), (5, [("loss", 0.5), ("acc", 0.7)])]),
    "stateful metrics": (dict(target=3, stateful_metrics=["acc"]), [
        (1, [("loss", 1.0), ("acc", 0.1)]), (2, [("loss", 2.0), ("acc", 0.2)]), (3, [("loss", 3.0), ("acc", 0.3)])]),
    "stateless metrics": (dict(target=3, stateless_metrics=["loss"]), [
        (1, [("loss", 1.0), ("acc", 0.1)]), (3, [("loss", 2.0), ("acc", 0.2)])]),
    "tiny and negative values": (dict(target=2), [(1, [("a", 1e-5), ("b", -0.25)]), (2, [("a", 2e-5), ("b", -3.5)])]),
    "unknown target": (dict(target=None), [(1, [("loss", 0.3)]), (2, [("loss", 0.2)]), (3, [("loss", 0.1)], True)]),
    "verbose 2": (dict(target=4, verbose=2), [(1, [("loss", 0.4)]), (2, [("loss", 0.3)]), (4, [("loss", 0.0001)])]),
    "verbose 0": (dict(target=2, verbose=0), [(1, [("loss", 0.4)]), (2, [("loss", 0.3)])]),
    "add and samples": (dict(target=100, unit_name="sample", width=10), [
        ("add", 30, [("x", 2.0)]), ("add", 30, [("x", 4.0)]), ("add", 40)]),
    "interval skips redraws": (dict(target=4, interval=0.25), [(1,), (2,), (3,), (4,)]),
    "large target": (dict(target=12345), [(1,), (6000,), (12345,)]),
    "finalize early": (dict(target=10), [(3, [("m", 1.0)]), (4, [("m", 2.0)], True)]),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_matches_keras_progbar(name, clock, capsys):
    keras_progbar = pytest.importorskip("keras.src.utils.progbar")
    kwargs, updates = SCENARIOS[name]
    clock.now = 1000.0
    _drive(keras_progbar.Progbar, updates, **kwargs)
    theirs = capsys.readouterr().out
    clock.now = 1000.0
    _drive(Progbar, updates, **kwargs)
    ours = capsys.readouterr().out
    assert ours == theirs


@pytest.mark.parametrize("step, expected", [(120.0, "2:00"), (4000.0, "1:06:40"), (0.5, "1s")])
def test_eta_formats(clock, capsys, step, expected):
    clock.step = step
    bar = Progbar(target=3)
    bar.update(1)
    bar.update(2)
    out = capsys.readouterr().out
    assert f"\x1b[1m{expected}\x1b[0m" in out


def test_time_units(clock, capsys):
    for step, unit in ((2.0, "s/step"), (0.002, "ms/step"), (0.000002, "us/step")):
        clock.step = step
        bar = Progbar(target=1)
        bar.update(1)
        assert unit in capsys.readouterr().out


def test_format_of_a_finished_bar(clock, capsys):
    bar = Progbar(target=4)
    bar.update(4, [("loss", 0.5)])
    out = capsys.readouterr().out
    assert out.endswith(" - loss: 0.5000\n")
    assert "\x1b[32m" + "━" * 20 + "\x1b[0m" in out


def test_verbose_2_line(clock, capsys):
    bar = Progbar(target=10, verbose=2)
    bar.update(5, [("loss", 2.0)])
    assert capsys.readouterr().out == ""
    bar.update(10, [("loss", 1e-4)])
    out = capsys.readouterr().out
    assert out.startswith("10/10 - ") and out.endswith(" - loss: 1.0000e-04\n")


def test_both_metric_kinds_rejected():
    with pytest.raises(ValueError, match="Only one of `stateful_metrics` or `stateless_metrics`"):
        Progbar(3, stateful_metrics=["a"], stateless_metrics=["b"])


def test_array_values_are_averaged(clock, capsys):
    bar = Progbar(target=2)
    bar.update(2, [("v", np.array([1.0, 3.0]))])
    assert "v: 2.0000" in capsys.readouterr().out
