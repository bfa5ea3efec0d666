"""``keras.utils.text_dataset_from_directory``: an ``ndflow.data.Dataset`` of texts read from class folders."""
from __future__ import annotations

from typing import Any

import numpy as np

from .dataset_utils import (
    check_format,
    check_label_args,
    check_validation_split_arg,
    encode_labels,
    get_training_or_validation_split,
    index_directory,
)

__all__ = ["text_dataset_from_directory"]


def _paths_and_labels_to_dataset(file_paths: list, labels: Any, label_mode: str | None, num_classes: int,
                                 max_length: int | None, shuffle: bool, shuffle_buffer_size: int | None,
                                 seed: int | None, batch_size: int | None):
    from ... import TensorSpec, string
    from ...data import Dataset
    from ...data.experimental import assert_cardinality

    encoded = encode_labels(labels, label_mode, num_classes) if label_mode else None

    def generate():
        for index, path in enumerate(file_paths):
            with open(path, "rb") as file:
                text = file.read() if max_length is None else file.read(max_length)
            yield (text, encoded[index]) if encoded is not None else text

    signature = TensorSpec((), string)
    if encoded is not None:
        signature = (signature, TensorSpec(encoded.shape[1:], encoded.dtype))
    dataset = Dataset.from_generator(generate, output_signature=signature).apply(assert_cardinality(len(file_paths)))
    if shuffle:
        dataset = dataset.shuffle(buffer_size=shuffle_buffer_size or 1024, seed=seed)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    return dataset


def text_dataset_from_directory(directory: str, labels: Any = "inferred", label_mode: str | None = "int",
                                class_names: list | None = None, batch_size: int | None = 32,
                                max_length: int | None = None, shuffle: bool = True, seed: int | None = None,
                                validation_split: float | None = None, subset: str | None = None,
                                follow_links: bool = False, format: str = "tf",
                                verbose: bool = True):
    """A dataset of ``(texts, labels)`` batches from the ``.txt`` files of ``directory`` (one sub-folder per class).

    Texts are string tensors (the file bytes, cut to ``max_length`` bytes when given); labels and
    ``validation_split``/``subset`` work as in ``image_dataset_from_directory``. The dataset has a
    ``class_names`` attribute.
    """
    check_label_args(labels, label_mode, class_names, "text")
    if labels is None or label_mode is None:
        labels = label_mode = None
    check_format(format)
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    file_paths, labels, class_names = index_directory(directory, labels, formats=(".txt",), class_names=class_names,
                                                      shuffle=shuffle, seed=seed, follow_links=follow_links,
                                                      verbose=verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 class_names. '
                         f"Received: class_names={class_names}")
    num_classes = len(class_names) if class_names else 0
    buffer = batch_size * 8 if batch_size is not None else 1024

    def build(paths, part_labels, shuffle_part):
        dataset = _paths_and_labels_to_dataset(paths, part_labels, label_mode, num_classes, max_length, shuffle_part,
                                               buffer, seed, batch_size)
        dataset.class_names = class_names
        return dataset

    if subset == "both":
        train_paths, train_labels = get_training_or_validation_split(file_paths, labels, validation_split,
                                                                     "training")
        val_paths, val_labels = get_training_or_validation_split(file_paths, labels, validation_split, "validation")
        if not train_paths:
            raise ValueError(f"No training text files found in directory {directory}. Allowed format: .txt")
        if not val_paths:
            raise ValueError(f"No validation text files found in directory {directory}. Allowed format: .txt")
        return [build(train_paths, train_labels, shuffle), build(val_paths, val_labels, False)]
    file_paths, labels = get_training_or_validation_split(file_paths, labels, validation_split, subset)
    if not file_paths:
        raise ValueError(f"No text files found in directory {directory}. Allowed format: .txt")
    return build(file_paths, labels, shuffle)
