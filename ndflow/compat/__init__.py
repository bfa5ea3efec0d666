"""``ndflow.compat``: TensorFlow 1 compatibility (``ndflow.compat.v1``) and the ``v2`` alias."""
import importlib as _importlib


def __getattr__(name: str):
    if name == "v1":
        return _importlib.import_module(f"{__name__}.v1")
    if name == "v2":
        return _importlib.import_module("ndflow")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
