"""``ndflow.keras``: Keras 3's API (layers, models, training, optimizers, losses, metrics, callbacks, saving).

Submodules load on first access, so ``import ndflow`` stays fast.
"""
import importlib as _importlib

_SUBMODULES = ("activations", "applications", "backend", "callbacks", "config", "constraints", "datasets",
               "initializers", "layers", "losses", "metrics", "models", "ops", "optimizers", "preprocessing", "random",
               "regularizers", "saving", "utils")
_NAMES = {
    "Sequential": "models", "Model": "models", "Input": "layers", "InputLayer": "layers", "Layer": "layers",
    "InputSpec": "layers", "KerasTensor": "layers", "Variable": "layers", "Optimizer": "optimizers",
    "Loss": "losses", "Metric": "metrics",
}

__version__ = "3.15.1"


def __getattr__(name: str):
    if name in _SUBMODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    if name in _NAMES:
        module = _importlib.import_module(f"{__name__}.{_NAMES[name]}")
        return getattr(module, "KerasVariable" if name == "Variable" else name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_SUBMODULES, *_NAMES])
