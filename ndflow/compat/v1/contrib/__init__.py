"""``compat.v1.contrib``: the ``tf.contrib`` helpers TF1 programs in the spec use (see ``docs/contrib.md``)."""
import importlib as _importlib

from . import framework, layers, legacy_seq2seq, rnn, seq2seq, slim

__all__ = ["framework", "layers", "learn", "legacy_seq2seq", "rnn", "seq2seq", "slim"]


def __getattr__(name: str):
    """``contrib.learn`` is imported on first use (it builds on ``ndflow.estimator``, which imports compat.v1)."""
    if name == "learn":
        return _importlib.import_module(f"{__name__}.learn")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
