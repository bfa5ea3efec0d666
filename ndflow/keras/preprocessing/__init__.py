"""``keras.preprocessing``: the directory/array dataset builders and the legacy ``image``, ``sequence`` and
``text`` helper modules (``pad_sequences``, ``Tokenizer`` …). Everything loads on first access."""
import importlib as _importlib

_SUBMODULES = ("image", "sequence", "text")
_NAMES = {
    "image_dataset_from_directory": "ndflow.keras.utils.image_dataset_utils",
    "text_dataset_from_directory": "ndflow.keras.utils.text_dataset_utils",
    "timeseries_dataset_from_array": "ndflow.keras.utils.timeseries_dataset_utils",
}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    if name in _NAMES:
        return getattr(_importlib.import_module(_NAMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_SUBMODULES, *_NAMES])
