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


def serialize_layer(layer: Any) -> dict:
    """``layer`` as ``{"module", "class_name", "config", "registered_name"[, "build_config", "compile_config"]}``
    (``keras.saving.serialize_keras_object``)."""
    from ..saving import serialize_keras_object

    return serialize_keras_object(layer)


def deserialize_layer(config: dict, custom_objects: dict | None = None) -> Any:
    """Creates a layer (or graph operation, or model) from ``serialize_layer`` output
    (``keras.saving.deserialize_keras_object``).

    Raises:
        TypeError: an unknown ``class_name`` (pass its class in ``custom_objects``).
    """
    from ..saving import deserialize_keras_object

    return deserialize_keras_object(config, custom_objects)


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
