"""Indexing a directory of class sub-folders and splitting it, shared by ``image_dataset_from_directory`` and
``text_dataset_from_directory``."""
from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np

from .progbar import print_msg


def check_label_args(labels: Any, label_mode: Any, class_names: Any, kind: str) -> None:
    """Raises ``ValueError`` for bad ``labels``/``label_mode``/``class_names`` combinations."""
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError("`labels` argument should be a list/tuple of integer labels, of the same size as the "
                             f"number of {kind} files in the target directory. If you wish to infer the labels from "
                             'the subdirectory names in the target directory, pass `labels="inferred"`. If you wish '
                             f"to get a dataset that only contains {kind}s (no labels), pass `labels=None`. "
                             f"Received: labels={labels}")
        if class_names:
            raise ValueError('You can only pass `class_names` if `labels="inferred"`. '
                             f"Received: labels={labels}, and class_names={class_names}")
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError('`label_mode` argument must be one of "int", "categorical", "binary", or None. '
                         f"Received: label_mode={label_mode}")


def check_format(format: str) -> None:
    """Accepts ``"tf"`` (an ``ndflow.data.Dataset``); ``"grain"`` is Keras's Grain output, not provided."""
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')
    if format == "grain":
        raise NotImplementedError('format="grain" is not supported yet')


def check_validation_split_arg(validation_split: float | None, subset: str | None, shuffle: bool,
                               seed: int | None) -> None:
    """Raises ``ValueError`` for inconsistent ``validation_split``/``subset``/``seed`` arguments."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: {validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f'`subset` must be either "training", "validation" or "both", received: {subset}')
    if validation_split and shuffle and seed is None:
        raise ValueError("If using `validation_split` and shuffling the data, you must provide a `seed` argument, "
                         "to make sure that there is no overlap between the training and validation subset.")


def _class_folders(directory: str, class_names: list | None) -> list[str]:
    folders = [name for name in sorted(os.listdir(directory))
               if os.path.isdir(os.path.join(directory, name)) and not name.startswith(".")]
    if class_names is None:
        return folders
    if not set(class_names).issubset(folders):
        raise ValueError("The `class_names` passed did not match the names of the subdirectories of the target "
                         f"directory. Expected: {folders} (or a subset of it), but received: "
                         f"class_names={class_names}")
    return list(class_names)


def files_under(folder: str, follow_links: bool, formats: tuple) -> list[str]:
    """Paths (relative to ``folder``'s parent) of the files under ``folder`` whose name ends with ``formats``."""
    found = []
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda entry: entry[0]):
        for name in sorted(files):
            if name.lower().endswith(formats):
                found.append(os.path.join(os.path.basename(folder), os.path.relpath(os.path.join(root, name),
                                                                                    folder)))
    return found


def index_directory(directory: str, labels: Any, formats: tuple, class_names: list | None = None,
                    shuffle: bool = True, seed: int | None = None, follow_links: bool = False,
                    verbose: bool = True) -> tuple[list[str], Any, list | None]:
    """Lists the files of ``directory`` (one sub-folder per class when ``labels="inferred"``).

    Returns:
        ``(file_paths, labels, class_names)``; files are sorted by class then path, then (with ``shuffle``)
        permuted by ``np.random.RandomState(seed)``; ``labels`` is an int32 array for inferred labels.
    """
    if labels == "inferred":
        folders = _class_folders(directory, class_names)
    else:
        if class_names is not None:
            if labels is None:
                raise ValueError("When `labels=None` (no labels), argument `class_names` cannot be specified.")
            raise ValueError("When argument `labels` is specified, argument `class_names` cannot be specified "
                             "(the `class_names` will be the sorted list of labels).")
        folders = [""]
    filenames, inferred = [], []
    for index, folder in enumerate(folders):
        found = files_under(os.path.join(directory, folder), follow_links, formats)
        filenames += found
        inferred += [index] * len(found)
    if labels == "inferred":
        labels, class_names = np.asarray(inferred, dtype="int32"), folders
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError("Expected the lengths of `labels` to match the number of files in the target directory. "
                             f"len(labels) is {len(labels)} while we found {len(filenames)} files in directory "
                             f"{directory}.")
        class_names = [str(label) for label in sorted(set(labels))]
        labels = list(labels)  # shuffled below: leave the caller's list alone
    if verbose:
        if labels is None:
            print_msg(f"Found {len(filenames)} files.")
        else:
            print_msg(f"Found {len(filenames)} files belonging to {len(class_names)} classes.")
    file_paths = [os.path.join(directory, name) for name in filenames]
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(file_paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return file_paths, labels, class_names


def get_training_or_validation_split(samples: list, labels: Any, validation_split: float | None,
                                     subset: str | None) -> tuple[list, Any]:
    """The training (leading) or validation (trailing ``validation_split`` fraction) part, announced on stdout."""
    if not validation_split:
        return samples, labels
    num_val = int(validation_split * len(samples))
    if subset == "training":
        print_msg(f"Using {len(samples) - num_val} files for training.")
        part = slice(None, -num_val)
    elif subset == "validation":
        print_msg(f"Using {num_val} files for validation.")
        part = slice(-num_val, None)
    else:
        raise ValueError(f'`subset` must be either "training" or "validation", received: {subset}')
    return samples[part], (labels[part] if labels is not None else None)


def encode_labels(labels: Any, label_mode: str, num_classes: int) -> np.ndarray:
    """``labels`` as Keras yields them: int32 for ``"int"``, float32 ``(n, 1)`` for ``"binary"``, float32
    one-hot for ``"categorical"``."""
    labels = np.asarray(labels)
    if label_mode == "binary":
        return labels.astype("float32")[:, None]
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels]
    return labels.astype("int32" if labels.dtype.kind in "iub" else "float32")


def check_binary_class_count(label_mode: str | None, class_names: list | None) -> None:
    """Raises ``ValueError`` unless ``label_mode="binary"`` comes with exactly two classes."""
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 class_names. '
                         f"Received: class_names={class_names}")


def paths_and_labels_to_dataset(paths: list, labels: Any, label_mode: str | None, num_classes: int,
                                load: Callable[[str], Any], item_spec: Any, shuffle: bool, shuffle_buffer_size: int,
                                seed: int | None, batch_size: int | None):
    """A dataset of ``load(path)`` items (paired with their encoded labels when ``label_mode`` is set), with known
    cardinality, shuffled then batched when asked."""
    from ... import TensorSpec
    from ...data import Dataset
    from ...data.experimental import assert_cardinality

    encoded = encode_labels(labels, label_mode, num_classes) if label_mode else None

    def generate():
        for index, path in enumerate(paths):
            item = load(path)
            yield (item, encoded[index]) if encoded is not None else item

    signature = item_spec
    if encoded is not None:
        signature = (item_spec, TensorSpec(encoded.shape[1:], encoded.dtype))
    dataset = Dataset.from_generator(generate, output_signature=signature).apply(assert_cardinality(len(paths)))
    if shuffle:
        dataset = dataset.shuffle(buffer_size=shuffle_buffer_size or 1024, seed=seed)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    return dataset


def build_subsets(samples: list, labels: Any, validation_split: float | None, subset: str | None, shuffle: bool,
                  build: Callable[[list, Any, bool], Any], missing: Callable[[str], str]):
    """``build(paths, labels, shuffle)`` for the requested ``subset`` (``[training, validation]`` for ``"both"``,
    the validation part never shuffled).

    Raises:
        ValueError: ``missing(part)`` (``part`` is ``"training "``, ``"validation "`` or ``""``) when a part is empty.
    """
    if subset == "both":
        parts = [get_training_or_validation_split(samples, labels, validation_split, part)
                 for part in ("training", "validation")]
        for (paths, _), part in zip(parts, ("training ", "validation ")):
            if not paths:
                raise ValueError(missing(part))
        return [build(*parts[0], shuffle), build(*parts[1], False)]
    samples, labels = get_training_or_validation_split(samples, labels, validation_split, subset)
    if not samples:
        raise ValueError(missing(""))
    return build(samples, labels, shuffle)
