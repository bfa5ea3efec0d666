"""``keras.datasets``: loaders for Keras's standard data sets (downloaded into ``~/.keras/datasets`` through
``keras.utils.get_file``) plus ``digits``, a small data set bundled with ndflow for offline use.

Submodules load on first access.
"""
import importlib as _importlib

_SUBMODULES = ("boston_housing", "california_housing", "cifar10", "cifar100", "digits", "fashion_mnist", "imdb",
               "mnist", "reuters")


def __getattr__(name: str):
    if name in _SUBMODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_SUBMODULES])
