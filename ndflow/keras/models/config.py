"""Layer and call-argument configs in Keras 3's envelope (``{"module", "class_name", "config", …}``).

Used by ``Functional``/``Sequential`` ``get_config``/``from_config``, ``to_json`` and ``model_from_json``.
"""
from __future__ import annotations

import json
from typing import Any

import numpy as np

from ..._core.tensor import Tensor, convert_to_tensor
from .keras_tensor import KerasTensor

__all__ = ["serialize_layer", "deserialize_layer", "serialize_value", "deserialize_value", "model_from_json"]

_MODEL_MODULES = {"Functional": "keras.src.models.functional", "Sequential": "keras", "Model": "keras"}


def _public_layer_class(cls: type) -> bool:
    from .. import layers

    return getattr(layers, cls.__name__, None) is cls


def _envelope(obj: Any) -> tuple[str | None, str | None]:
    """``(module, registered_name)`` as Keras writes them for ``obj``'s class."""
    from .operations import OPERATIONS

    cls = type(obj)
    name = cls.__name__
    if OPERATIONS.get(name) is cls:
        return "keras.src.ops.numpy", name
    if name in _MODEL_MODULES and cls.__module__.startswith("ndflow.keras.models"):
        return _MODEL_MODULES[name], name if name == "Functional" else None
    if _public_layer_class(cls):
        return "keras.layers", None
    registered = getattr(cls, "_registered_name", None)
    return cls.__module__, registered or name


def serialize_layer(layer: Any) -> dict:
    """``layer`` as ``{"module", "class_name", "config", "registered_name"[, "build_config"]}``."""
    module, registered_name = _envelope(layer)
    config = {"module": module, "class_name": type(layer).__name__, "config": layer.get_config(),
              "registered_name": registered_name}
    build_config = _build_config(layer)
    if build_config is not None:
        config["build_config"] = build_config
    if hasattr(layer, "get_compile_config"):
        config["compile_config"] = layer.get_compile_config()
    return config


def _build_config(layer: Any) -> dict | None:
    from ..layers.input_layer import InputLayer
    from .functional import Functional
    from .sequential import Sequential

    if isinstance(layer, InputLayer) or not hasattr(layer, "built"):
        return None
    if isinstance(layer, Sequential):
        functional = layer._functional
        return {"input_shape": functional.inputs[0].shape if functional is not None else None}
    if isinstance(layer, Functional):
        return {"input_shape": None}
    shapes = getattr(layer, "_build_shapes", None)
    return None if shapes is None else {"input_shape": shapes}


def deserialize_layer(config: dict, custom_objects: dict | None = None) -> Any:
    """Creates a layer (or graph operation, or model) from ``serialize_layer`` output.

    Raises:
        TypeError: an unknown ``class_name`` (pass its class in ``custom_objects``).
    """
    cls = _find_class(config, custom_objects or {})
    inner = dict(config.get("config") or {})
    from .model import Model

    if not (isinstance(cls, type) and issubclass(cls, Model)):
        return cls.from_config(inner)
    model = cls.from_config(inner, custom_objects=custom_objects)
    if config.get("compile_config"):
        model.compile_from_config(config["compile_config"])
    return model


def _find_class(config: dict, custom_objects: dict) -> Any:
    from .. import layers
    from .functional import Functional
    from .model import Model
    from .operations import OPERATIONS
    from .sequential import Sequential

    class_name = config.get("class_name")
    registered = config.get("registered_name")
    for key in (registered, class_name):
        if key is not None and key in custom_objects:
            return custom_objects[key]
    if str(config.get("module")).startswith("keras.src.ops") and class_name in OPERATIONS:
        return OPERATIONS[class_name]
    models = {"Functional": Functional, "Sequential": Sequential, "Model": Model}
    if class_name in models:
        return models[class_name]
    found = getattr(layers, class_name, None) if isinstance(class_name, str) else None
    if isinstance(found, type):
        return found
    try:
        from .. import saving

        found = saving.get_registered_object(registered or class_name, custom_objects)
    except (ImportError, AttributeError):
        found = None
    if found is not None:
        return found
    raise TypeError(f"Could not locate class '{class_name}'. Make sure custom classes are decorated with "
                    f"`@keras.saving.register_keras_serializable()`. Full object config: {config}")


# -- call arguments recorded in nodes ------------------------------------------------------------------------
def serialize_value(value: Any, tensor_history: Any = None) -> Any:
    """A call argument as JSON-able data (KerasTensors become ``__keras_tensor__`` entries).

    Args:
        value: the argument (nested lists, tuples and dicts allowed).
        tensor_history: maps a KerasTensor to its ``[layer name, node index, tensor index]``.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        items = [serialize_value(v, tensor_history) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, dict):
        return {k: serialize_value(v, tensor_history) for k, v in value.items()}
    if isinstance(value, KerasTensor):
        history = tensor_history(value) if tensor_history is not None else None
        return {"class_name": "__keras_tensor__",
                "config": {"shape": value.shape, "dtype": value.dtype, "keras_history": history}}
    if isinstance(value, slice):
        return {"class_name": "__slice__", "config": {"start": serialize_value(value.start),
                                                      "stop": serialize_value(value.stop),
                                                      "step": serialize_value(value.step)}}
    if value is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(value, Tensor):
        return {"class_name": "__tensor__", "config": {"value": np.asarray(value.numpy()).tolist(),
                                                       "dtype": value.dtype.name}}
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return {"class_name": "__numpy__", "config": {"value": value.tolist(), "dtype": value.dtype.name}}
    if isinstance(value, np.generic) or isinstance(value, np.ndarray):
        return value.item()
    raise TypeError(f"Cannot serialize the call argument {value!r} of type {type(value)}.")


def deserialize_value(data: Any, tensor_lookup: Any = None) -> Any:
    """Inverse of ``serialize_value``; ``tensor_lookup(history)`` returns the KerasTensor of a history."""
    if isinstance(data, list):
        return [deserialize_value(v, tensor_lookup) for v in data]
    if isinstance(data, tuple):
        return tuple(deserialize_value(v, tensor_lookup) for v in data)
    if not isinstance(data, dict):
        return data
    kind = data.get("class_name")
    inner = data.get("config", {})
    if kind == "__keras_tensor__":
        history = inner.get("keras_history")
        if history is None or tensor_lookup is None:
            return KerasTensor(inner["shape"], dtype=inner["dtype"])
        return tensor_lookup(history)
    if kind == "__slice__":
        return slice(inner["start"], inner["stop"], inner["step"])
    if kind == "__ellipsis__":
        return Ellipsis
    if kind == "__tensor__":
        return convert_to_tensor(np.asarray(inner["value"], dtype=inner["dtype"]))
    if kind == "__numpy__":
        return np.asarray(inner["value"], dtype=inner["dtype"])
    if kind == "__tuple__":
        return tuple(deserialize_value(v, tensor_lookup) for v in inner["value"])
    return {k: deserialize_value(v, tensor_lookup) for k, v in data.items()}


def model_from_json(json_string: str, custom_objects: dict | None = None) -> Any:
    """Creates a model (unbuilt weights) from ``model.to_json()`` output.

    Args:
        json_string: the JSON text.
        custom_objects: ``{name: class}`` for custom layers and models.
    """
    return deserialize_layer(json.loads(json_string), custom_objects)
