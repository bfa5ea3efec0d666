"""The ``.keras`` archive: a zip holding ``metadata.json``, ``config.json`` and ``model.weights.h5``.

``config.json`` is the model serialized by ``serialize_keras_object`` (with its build and compile configs);
``model.weights.h5`` holds the layers' and optimizer's variables in the layout of ``state_tree``. Entries are
stored uncompressed, as Keras writes them. With ``zipped=False`` the same three files go into a folder.
"""
from __future__ import annotations

import datetime
import io
import json
import os
import tempfile
import zipfile
from typing import Any

from .. import __version__ as keras_version
from . import serialization
from .h5_weights import H5WeightsReader, H5WeightsWriter
from .state_tree import load_state, save_state, walk_saveables

__all__ = ["write_archive", "read_archive", "write_directory", "read_directory", "load_archive_weights"]

_METADATA = "metadata.json"
_CONFIG = "config.json"
_WEIGHTS = "model.weights.h5"
_ASSETS = "assets"


def _config_and_metadata(model: Any) -> tuple[str, str]:
    with serialization.ObjectSharingScope():
        config_json = json.dumps(serialization.serialize_keras_object(model))
    metadata_json = json.dumps({"keras_version": keras_version,
                                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")})
    return config_json, metadata_json


def _write_weights(model: Any, target: Any) -> None:
    writer = H5WeightsWriter(target)
    try:
        save_state(model, writer)
    finally:
        writer.close()


def _save_assets(model: Any, root: str) -> list[str]:
    """Lets each object with ``save_assets`` (lookup layers' vocabularies) write files into ``root/<its path>``;
    returns the written files' paths relative to ``root``."""
    written = []
    for path, obj in walk_saveables(model):
        if callable(getattr(obj, "save_assets", None)):
            folder = os.path.join(root, path)
            os.makedirs(folder, exist_ok=True)
            obj.save_assets(folder)
            written += [f"{path}/{name}" for name in sorted(os.listdir(folder))
                        if os.path.isfile(os.path.join(folder, name))]
    return written


def _load_assets(model: Any, root: str) -> None:
    for path, obj in walk_saveables(model):
        folder = os.path.join(root, path)
        if callable(getattr(obj, "load_assets", None)) and os.path.isdir(folder):
            obj.load_assets(folder)


def write_archive(model: Any, fileobj: Any) -> None:
    """Writes ``model`` as a ``.keras`` zip into the binary file object ``fileobj``."""
    config_json, metadata_json = _config_and_metadata(model)
    weights = io.BytesIO()
    _write_weights(model, weights)
    with zipfile.ZipFile(fileobj, "w") as archive, tempfile.TemporaryDirectory() as assets:
        archive.writestr(_METADATA, metadata_json)
        archive.writestr(_CONFIG, config_json)
        archive.writestr(_WEIGHTS, weights.getvalue())
        for name in _save_assets(model, assets):
            archive.write(os.path.join(assets, name), f"{_ASSETS}/{name}")


def write_directory(model: Any, dirpath: str, atomic_output: Any) -> None:
    """Writes the archive's three files unzipped into the folder ``dirpath`` (``zipped=False``)."""
    os.makedirs(dirpath, exist_ok=True)
    config_json, metadata_json = _config_and_metadata(model)
    for name, text in ((_METADATA, metadata_json), (_CONFIG, config_json)):
        with atomic_output(os.path.join(dirpath, name), ".json") as temporary, open(temporary, "w") as file:
            file.write(text)
    with atomic_output(os.path.join(dirpath, _WEIGHTS), ".h5") as temporary:
        _write_weights(model, temporary)
    _save_assets(model, os.path.join(dirpath, _ASSETS))


def _model_from_config(config_json: Any, custom_objects: dict | None, compile: bool, safe_mode: bool) -> Any:
    config = json.loads(config_json)
    if not compile:
        config["compile_config"] = None
    with serialization.ObjectSharingScope():
        return serialization.deserialize_keras_object(config, custom_objects, safe_mode=safe_mode)


def _load_weights(model: Any, source: Any, skip_mismatch: bool = False) -> None:
    reader = H5WeightsReader(source)
    try:
        load_state(model, reader, skip_mismatch=skip_mismatch)
    finally:
        reader.close()


def read_archive(fileobj: Any, custom_objects: dict | None = None, compile: bool = True,
                 safe_mode: bool = True) -> Any:
    """The model stored in a ``.keras`` zip, with its weights (and optimizer state when compiled).

    Raises:
        ValueError: the archive has no weights file, or some weights could not be loaded.
    """
    with zipfile.ZipFile(fileobj, "r") as archive:
        model = _model_from_config(archive.read(_CONFIG), custom_objects, compile, safe_mode)
        if _WEIGHTS not in archive.namelist():
            raise ValueError(f"Expected a {_WEIGHTS} file.")
        weights = archive.read(_WEIGHTS)
        _load_weights(model, weights)
        assets = [name for name in archive.namelist() if name.startswith(f"{_ASSETS}/")]
        if assets:
            with tempfile.TemporaryDirectory() as root:
                archive.extractall(root, members=assets)
                _load_assets(model, os.path.join(root, _ASSETS))
    return model


def read_directory(dirpath: str, custom_objects: dict | None = None, compile: bool = True,
                   safe_mode: bool = True) -> Any:
    """The model saved unzipped in the folder ``dirpath``.

    Raises:
        ValueError: the folder has no weights file, or some weights could not be loaded.
    """
    with open(os.path.join(dirpath, _CONFIG)) as file:
        model = _model_from_config(file.read(), custom_objects, compile, safe_mode)
    weights = os.path.join(dirpath, _WEIGHTS)
    if not os.path.exists(weights):
        raise ValueError(f"Expected a {_WEIGHTS} file.")
    _load_weights(model, weights)
    _load_assets(model, os.path.join(dirpath, _ASSETS))
    return model


def load_archive_weights(model: Any, fileobj: Any, skip_mismatch: bool = False) -> None:
    """Loads the weights held in a ``.keras`` zip into an existing ``model``."""
    with zipfile.ZipFile(fileobj, "r") as archive:
        weights = archive.read(_WEIGHTS)
    _load_weights(model, weights, skip_mismatch=skip_mismatch)
