"""``ndflow.keras.models``: ``Model``, ``Sequential``, the functional API and model cloning.

Names load on first access (``layers`` imports this package's KerasTensor, so eager imports would cycle).
"""
import importlib as _importlib

__all__ = ["Model", "Sequential", "clone_model", "load_model", "save_model", "model_from_json"]
_LOCAL = {"Model": "model", "Sequential": "sequential", "Functional": "functional", "clone_model": "cloning",
          "model_from_json": "config"}
_SAVING = ("load_model", "save_model")


def __getattr__(name: str):
    if name in _LOCAL:
        return getattr(_importlib.import_module(f"{__name__}.{_LOCAL[name]}"), name)
    if name in _SAVING:
        return getattr(_importlib.import_module("ndflow.keras.saving"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *__all__])
