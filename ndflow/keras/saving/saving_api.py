"""``save_model`` / ``load_model`` / ``save_weights`` / ``load_weights`` (Keras 3's file formats).

Files are written atomically: into a temporary file in the target's directory, then moved over the target.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from typing import Any, Iterator

from . import keras_archive
from .h5_weights import H5WeightsReader, H5WeightsWriter, import_h5py
from .legacy_h5 import absl_warning, load_model_from_hdf5, load_weights_from_hdf5, save_model_to_hdf5
from .state_tree import load_state, save_state

__all__ = ["save_model", "load_model", "save_weights", "load_weights"]

_LEGACY_SUFFIXES = (".h5", ".hdf5")


def _ask_to_proceed_with_overwrite(filepath: str) -> bool:
    """Keras's overwrite prompt: ``[y/n]`` on stdin."""
    answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "n":
        return False
    print("[TIP] Next time specify overwrite=True!")
    return True


def _exists(filepath: Any) -> bool:
    try:
        return os.path.exists(filepath)
    except TypeError:
        return False


def _is_file_object(filepath: Any) -> bool:
    return hasattr(filepath, "write") or hasattr(filepath, "read")


@contextlib.contextmanager
def _atomic_output(filepath: Any, suffix: str) -> Iterator[str]:
    """Yields a temporary path beside ``filepath``; on success it replaces ``filepath``, on error it is removed."""
    directory = os.path.dirname(os.path.abspath(os.fspath(filepath)))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=suffix)
    os.close(handle)
    try:
        yield temporary
        os.replace(temporary, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


# -- whole models --------------------------------------------------------------------------------------------
def save_model(model: Any, filepath: Any, overwrite: bool = True, zipped: bool | None = None, **kwargs: Any) -> None:
    """Saves ``model`` (config, weights, optimizer state) as a ``.keras`` zip archive (or legacy ``.h5`` file).

    Args:
        model: the model.
        filepath: a path ending in ``.keras`` (or ``.h5``/``.hdf5``), or a writable binary file object.
        overwrite: when ``False`` and the file exists, ask on stdin first.
        zipped: ``False`` writes the archive's files into the folder ``filepath`` instead.
        **kwargs: ``include_optimizer`` (legacy ``.h5`` only) and ``save_format`` (deprecated).

    Raises:
        ValueError: an unsupported argument or file extension.
    """
    include_optimizer = kwargs.pop("include_optimizer", True)
    save_format = kwargs.pop("save_format", False)
    path = str(filepath)
    if save_format:
        if not path.endswith((*_LEGACY_SUFFIXES, ".keras")):
            raise ValueError("The `save_format` argument is deprecated in Keras 3. Please remove this argument and "
                             f"pass a file path with either `.keras` or `.h5` extension.Received: "
                             f"save_format={save_format}")
        absl_warning("The `save_format` argument is deprecated in Keras 3. We recommend removing this argument as "
                     f"it can be inferred from the file path. Received: save_format={save_format}")
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs.keys())}")
    if path.endswith(_LEGACY_SUFFIXES):
        absl_warning("You are saving your model as an HDF5 file via `model.save()` or "
                     "`keras.saving.save_model(model)`. This file format is considered legacy. We recommend using "
                     "instead the native Keras format, e.g. `model.save('my_model.keras')` or "
                     "`keras.saving.save_model(model, 'my_model.keras')`. ")
    if zipped is False and path.endswith(".keras"):
        raise ValueError("When using `zipped=False`, the `filepath` argument should not end in `.keras`. Received: "
                         f"filepath={filepath}")
    if _exists(filepath) and not overwrite and not _ask_to_proceed_with_overwrite(path):
        return
    if not getattr(model, "built", False):
        import warnings

        warnings.warn("You are saving a model that has not yet been built. It might not contain any weights yet. "
                      "Consider building the model first by calling it on some data.", stacklevel=2)
    if _is_file_object(filepath):
        keras_archive.write_archive(model, filepath)
        return
    if zipped is False:
        keras_archive.write_directory(model, os.fspath(filepath), _atomic_output)
        return
    if path.endswith(_LEGACY_SUFFIXES):
        import_h5py()
        with _atomic_output(filepath, ".h5") as temporary:
            save_model_to_hdf5(model, temporary, include_optimizer=include_optimizer)
        return
    if not path.endswith(".keras"):
        raise ValueError("Invalid filepath extension for saving. Please add either a `.keras` extension for the "
                         "native Keras format (recommended) or a `.h5` extension. Use `model.export(filepath)` if "
                         "you want to export a SavedModel for use with TFLite/TFServing/etc. Received: "
                         f"filepath={filepath}.")
    with _atomic_output(filepath, ".keras") as temporary, open(temporary, "wb") as file:
        keras_archive.write_archive(model, file)


def load_model(filepath: Any, custom_objects: dict | None = None, compile: bool = True,
               safe_mode: bool = True) -> Any:
    """Loads a model saved by ``save_model`` (ours or Keras 3's ``.keras``, unzipped or legacy ``.h5`` files).

    Args:
        filepath: a ``.keras``/``.h5`` path, a folder saved with ``zipped=False``, or a readable binary file object.
        custom_objects: ``{name: class or function}`` for custom objects in the config.
        compile: recompile the model with the saved ``compile()`` arguments (and restore the optimizer state).
        safe_mode: refuse ``Lambda`` layers and other objects carrying Python bytecode.

    Raises:
        ValueError: a missing file or an unsupported format; unsafe content in safe mode.
    """
    if _is_file_object(filepath):
        return keras_archive.read_archive(filepath, custom_objects, compile=compile, safe_mode=safe_mode)
    path = str(filepath)
    if path.endswith(".keras") and _exists(filepath) and zipfile.is_zipfile(filepath):
        with open(filepath, "rb") as file:
            return keras_archive.read_archive(file, custom_objects, compile=compile, safe_mode=safe_mode)
    if os.path.isdir(path) and os.path.exists(os.path.join(path, "config.json")):
        return keras_archive.read_directory(path, custom_objects, compile=compile, safe_mode=safe_mode)
    if path.endswith(_LEGACY_SUFFIXES):
        return load_model_from_hdf5(filepath, custom_objects, compile=compile, safe_mode=safe_mode)
    if path.endswith(".keras"):
        raise ValueError(f"File not found: filepath={filepath}. Please ensure the file is an accessible `.keras` "
                         "zip file.")
    raise ValueError(f"File format not supported: filepath={filepath}. Keras 3 only supports V3 `.keras` files, "
                     "legacy H5 format files (`.h5` extension). Note that the legacy SavedModel format is not "
                     "supported by `load_model()` in Keras 3. In order to reload a TensorFlow SavedModel as an "
                     f"inference-only layer in Keras 3, use `keras.layers.TFSMLayer({filepath}, "
                     "call_endpoint='serving_default')` (note that your `call_endpoint` might have a different "
                     "name).")


# -- weights only --------------------------------------------------------------------------------------------
def save_weights(model: Any, filepath: Any, overwrite: bool = True, max_shard_size: Any = None,
                 **kwargs: Any) -> None:
    """Saves the model's (and its optimizer's) variables to a ``.weights.h5`` file in Keras 3's layout.

    Raises:
        ValueError: a file name not ending in ``.weights.h5``, or a model that is not built.
        NotImplementedError: ``max_shard_size`` (sharded weights).
    """
    path = str(filepath)
    if max_shard_size is None and not path.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={path}")
    if max_shard_size is not None:
        if not path.endswith(("weights.h5", "weights.json")):
            raise ValueError("The filename must end in `.weights.json` when `max_shard_size` is specified. "
                             f"Received: filepath={path}")
        raise NotImplementedError("Sharded weights (`max_shard_size`) are not supported yet.")
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    if kwargs:
        raise TypeError(f"save_weights() got unexpected keyword arguments: {list(kwargs)}")
    if _exists(filepath) and not overwrite and not _ask_to_proceed_with_overwrite(path):
        return
    if not getattr(model, "built", False):
        raise ValueError("You are saving a model that has not yet been built. Try building the model first by "
                         "calling it on some data or by using `build()`.")
    with _atomic_output(filepath, ".weights.h5") as temporary:
        writer = H5WeightsWriter(temporary)
        try:
            save_state(model, writer, objects_to_skip)
        finally:
            writer.close()


def load_weights(model: Any, filepath: Any, skip_mismatch: bool = False, **kwargs: Any) -> None:
    """Loads weights from a ``.weights.h5`` file, a ``.keras`` archive or a legacy ``.h5`` file (ours or Keras's).

    Args:
        skip_mismatch: warn about variables whose count or shape differ instead of raising.
        **kwargs: ``objects_to_skip`` (``.weights.h5``), ``by_name`` (legacy ``.h5``: match layers by name).

    Raises:
        ValueError: an unsupported file format or keyword argument; weights that do not fit (without
            ``skip_mismatch``); a model that is not built.
    """
    path = str(filepath)
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    by_name = kwargs.pop("by_name", None)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    if path.endswith(".keras"):
        if objects_to_skip is not None:
            raise ValueError(f"`objects_to_skip` only supports loading '.weights.h5' files.Received: {filepath}")
    elif not path.endswith(".weights.h5") and path.endswith(_LEGACY_SUFFIXES):
        if objects_to_skip is not None:
            raise ValueError(f"`objects_to_skip` only supports loading '.weights.h5' files.Received: {filepath}")
        with import_h5py().File(filepath, "r") as file:
            group = file["model_weights"] if "layer_names" not in file.attrs and "model_weights" in file else file
            load_weights_from_hdf5(group, model, skip_mismatch=skip_mismatch, by_name=bool(by_name))
        return
    elif not path.endswith(".weights.h5"):
        raise ValueError(f"File format not supported: filepath={filepath}. Keras 3 only supports V3 `.keras` "
                         "files, `.weights.h5` files, legacy H5 format files (`.h5` extension), or Orbax "
                         "checkpoints.")
    if by_name is not None:
        raise ValueError(f"`by_name` only supports loading legacy '.h5' or '.hdf5' files. Received: {filepath}")
    if not getattr(model, "built", False):
        raise ValueError("You are loading weights into a model that has not yet been built. Try building the model "
                         "first by calling it on some data or by using `build()`.")
    if path.endswith(".keras"):
        with open(filepath, "rb") as file:
            keras_archive.load_archive_weights(model, file, skip_mismatch=skip_mismatch)
        return
    reader = H5WeightsReader(filepath)
    try:
        load_state(model, reader, skip_mismatch=skip_mismatch, objects_to_skip=objects_to_skip)
    finally:
        reader.close()
