"""Whole models and weights in the legacy HDF5 format (``model.save("x.h5")``, ``load_model("x.h5")``).

Layout, as Keras 3 writes it: file attributes ``keras_version``, ``backend``, ``model_config`` (JSON, layers as
``{"class_name", "config"}``) and ``training_config`` (the ``compile()`` arguments, the optimizer under
``optimizer_config``); a ``model_weights`` group with one group per layer listing its ``weight_names``
(trainable weights first) and one dataset per weight; an ``optimizer_weights`` group the same way. Weights are
matched to layers by order (or by layer name with ``by_name=True``).
"""
from __future__ import annotations

import json
import sys
import warnings
from typing import Any

import numpy as np

from . import object_registration, serialization
from .h5_weights import import_h5py

__all__ = ["save_model_to_hdf5", "load_model_from_hdf5", "load_weights_from_hdf5", "absl_warning"]

_METRIC_STRINGS = ("accuracy", "acc", "crossentropy", "ce")
_HEADER_LIMIT = 64512


# -- saving --------------------------------------------------------------------------------------------------
def save_model_to_hdf5(model: Any, filepath: Any, include_optimizer: bool = True) -> None:
    """Writes ``model``'s config, weights and (when compiled) training config and optimizer state."""
    from .. import __version__ as keras_version

    h5py = import_h5py()
    with h5py.File(filepath, mode="w") as file:
        file.attrs["backend"] = "tensorflow"
        file.attrs["keras_version"] = keras_version
        config = _legacy_layer_entry(serialization.serialize_keras_object(model))
        file.attrs["model_config"] = json.dumps({"class_name": type(model).__name__, "config": config["config"]})
        optimizer = getattr(model, "optimizer", None)
        if include_optimizer and optimizer is not None and getattr(model, "compiled", False):
            file.attrs["training_config"] = json.dumps(_training_config(model))
        _save_layer_weights(file.create_group("model_weights"), model, keras_version)
        if include_optimizer and optimizer is not None and optimizer.variables:
            _save_weight_list(file.create_group("optimizer_weights"), list(optimizer.variables),
                              prefix=optimizer.name)


def _legacy_layer_entry(entry: Any) -> Any:
    """A Keras 3 layer entry in the legacy form: ``{"class_name", "config"}`` (plus ``name``/``inbound_nodes`` in
    functional configs), nested model layers converted too."""
    if not isinstance(entry, dict) or "class_name" not in entry:
        return entry
    inner = dict(entry["config"])
    if isinstance(inner.get("layers"), list):
        inner["layers"] = [_legacy_layer_entry(layer) for layer in inner["layers"]]
    legacy = {"class_name": entry.get("registered_name") or entry["class_name"], "config": inner}
    legacy.update({key: entry[key] for key in ("name", "inbound_nodes") if key in entry})
    return legacy


def _legacy_value(value: Any) -> Any:
    """A compile argument in the legacy form: functions by (registered) name, objects as class name + config."""
    if isinstance(value, dict) and "class_name" in value and "config" in value:
        if value["class_name"] == "function":
            return value["config"]
        return {"class_name": value.get("registered_name") or value["class_name"], "config": value["config"]}
    if isinstance(value, dict):
        return {key: _legacy_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_legacy_value(item) for item in value]
    return value


def _training_config(model: Any) -> dict:
    config = {key: _legacy_value(value) for key, value in model.get_compile_config().items() if key != "optimizer"}
    optimizer = model.optimizer
    name = object_registration.get_registered_name(type(optimizer))
    config["optimizer_config"] = {"class_name": name, "config": serialization.serialize_keras_object(
        optimizer.get_config())}
    return config


def _weights_of(layer: Any) -> list:
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _set_names(group: Any, attribute: str, names: list[str]) -> None:
    """Stores a list of names as an attribute, split into ``name0``, ``name1`` … chunks when HDF5's 64 KB object
    header limit requires it (as Keras does)."""
    data = np.asarray([name.encode("utf8") for name in names])
    chunks = 1
    while data.nbytes / chunks > _HEADER_LIMIT:
        chunks += 1
    if chunks == 1:
        group.attrs[attribute] = [name.encode("utf8") for name in names]
        return
    for index, chunk in enumerate(np.array_split(data, chunks)):
        group.attrs[f"{attribute}{index}"] = chunk


def _save_layer_weights(group: Any, model: Any, keras_version: str) -> None:
    _set_names(group, "layer_names", [layer.name for layer in model.layers])
    group.attrs["backend"] = "tensorflow"
    group.attrs["keras_version"] = keras_version
    for layer in sorted(model.layers, key=lambda layer: layer.name):
        _save_weight_list(group.create_group(layer.name), _weights_of(layer))
    _save_weight_list(group.create_group("top_level_model_weights"), [])


def _save_weight_list(group: Any, variables: list, prefix: str | None = None) -> None:
    names = [_weight_path(v, prefix) for v in variables]
    _set_names(group, "weight_names", names)
    for name, variable in zip(names, variables):
        group.create_dataset(name, data=np.asarray(variable.numpy()))


def _weight_path(variable: Any, prefix: str | None) -> str:
    path = getattr(variable, "path", None)
    if isinstance(path, str):
        return path
    name = str(variable.name).split(":")[0]
    return f"{prefix}/{name}" if prefix else name


# -- loading -------------------------------------------------------------------------------------------------
def load_model_from_hdf5(filepath: Any, custom_objects: dict | None = None, compile: bool = True,
                         safe_mode: bool = True) -> Any:
    """The model stored in a legacy HDF5 file (ours or Keras's).

    Raises:
        ValueError: the file holds no model config, or the weights do not fit the model.
    """
    h5py = import_h5py()
    with h5py.File(filepath, mode="r") as file:
        model_config = file.attrs.get("model_config")
        if model_config is None:
            raise ValueError(f"No model config found in the file at {filepath}.")
        config = json.loads(_text(model_config))
        with serialization.SafeModeScope(safe_mode):
            model = serialization.deserialize_keras_object(config, custom_objects)
        load_weights_from_hdf5(file["model_weights"], model)
        if not compile:
            return model
        training_config = file.attrs.get("training_config")
        if training_config is None:
            absl_warning("No training configuration found in the save file, so the model was *not* compiled. "
                         "Compile it manually.")
            return model
        with object_registration.CustomObjectScope(custom_objects):
            model.compile(**_compile_arguments(json.loads(_text(training_config))))
        absl_warning("Compiled the loaded model, but the compiled metrics have yet to be built. "
                     "`model.compile_metrics` will be empty until you train or evaluate the model.")
        if "optimizer_weights" in file:
            _restore_optimizer(model, file["optimizer_weights"])
    return model


def _text(value: Any) -> str:
    return value.decode("utf-8") if hasattr(value, "decode") else str(value)


def absl_warning(message: str) -> None:
    """Prints a warning the way Keras's absl logging does when logging is not configured."""
    print(f"WARNING:absl:{message}", file=sys.stderr)


def _compile_arguments(training_config: dict) -> dict:
    from .. import losses, metrics, optimizers

    def each(value: Any, deserialize: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str) or (isinstance(value, dict) and "class_name" in value):
            return deserialize(value)
        if isinstance(value, dict):
            return {key: each(item, deserialize) for key, item in value.items()}
        return [each(item, deserialize) for item in value]

    def metric(value: Any) -> Any:
        return value if value in _METRIC_STRINGS else metrics.deserialize(value)

    return {"optimizer": optimizers.deserialize(training_config["optimizer_config"]),
            "loss": each(training_config.get("loss"), losses.deserialize),
            "metrics": each(training_config.get("metrics"), metric),
            "weighted_metrics": each(training_config.get("weighted_metrics"), metric),
            "loss_weights": training_config.get("loss_weights")}


def _restore_optimizer(model: Any, group: Any) -> None:
    values = [np.asarray(group[name][()]) for name in _names(group, "weight_names")]
    try:
        model.optimizer.build(model.trainable_variables)
        model.optimizer.set_weights(values)
    except ValueError:
        absl_warning("Error in loading the saved optimizer state. As a result, your model is starting with a "
                     "freshly initialized optimizer.")


def _names(group: Any, attribute: str) -> list[str]:
    """A list-valued attribute, also when Keras split it into ``name0``, ``name1`` … chunks."""
    if attribute in group.attrs:
        chunks = [group.attrs[attribute]]
    else:
        chunks, index = [], 0
        while f"{attribute}{index}" in group.attrs:
            chunks.append(group.attrs[f"{attribute}{index}"])
            index += 1
    return [_text(name) for chunk in chunks for name in chunk]


def load_weights_from_hdf5(group: Any, model: Any, skip_mismatch: bool = False, by_name: bool = False) -> None:
    """Assigns the weights of a legacy ``model_weights`` group: layer by layer in order (layers without weights
    skipped), or to the layers of the same name with ``by_name``.

    Raises:
        ValueError: the layer or weight counts differ, or a shape differs (warned and skipped with
            ``skip_mismatch``).
    """
    saved = [name for name in _names(group, "layer_names") if _names(group[name], "weight_names")]
    if by_name:
        layers = {layer.name: layer for layer in model._flatten_layers(include_self=False)}
        pairs = [(layers[name], name) for name in saved if name in layers]
    else:
        with_weights = [layer for layer in model.layers if _weights_of(layer)]
        if len(saved) != len(with_weights):
            raise ValueError(f"Layer count mismatch when loading weights from file. Model expected "
                             f"{len(with_weights)} layers, found {len(saved)} saved layers.")
        pairs = list(zip(with_weights, saved))
    for index, (layer, name) in enumerate(pairs):
        values = [np.asarray(group[name][weight][()]) for weight in _names(group[name], "weight_names")]
        variables = _weights_of(layer)
        if len(values) != len(variables):
            message = (f"Weight count mismatch for layer #{index} (named {layer.name} in the current model, {name} in "
                       f"the save file). Layer expects {len(variables)} weight(s). Received {len(values)} saved "
                       "weight(s)")
            if by_name and skip_mismatch:
                warnings.warn(f"Skipping loading of weights for layer #{index} (named {layer.name}) due to "
                              f"mismatch in number of weights. {message}", stacklevel=2)
                continue
            raise ValueError(message)
        _assign(variables, values, f"layer #{index} (named {layer.name})", skip_mismatch)


def _assign(variables: list, values: list, description: str, skip_mismatch: bool) -> None:
    for variable, value in zip(variables, values):
        if tuple(variable.shape) == value.shape:
            variable.assign(value.astype(variable.dtype.as_numpy_dtype, copy=False))
            continue
        path = getattr(variable, "path", variable.name)
        if not skip_mismatch:
            raise ValueError(f"Shape mismatch in {description}for weight {path}. Weight expects shape "
                             f"{tuple(variable.shape)}. Received saved weight with shape {value.shape}")
        warnings.warn(f"Skipping loading weights for {description}due to mismatch in shape for weight {path}. "
                      f"Weight expects shape {tuple(variable.shape)}. Received saved weight with shape "
                      f"{value.shape}", stacklevel=3)
