"""``keras.utils.text_dataset_from_directory``: an ``ndflow.data.Dataset`` of texts read from class folders."""
from __future__ import annotations

from typing import Any

import numpy as np

from .dataset_utils import (
    build_subsets,
    check_binary_class_count,
    check_format,
    check_label_args,
    check_validation_split_arg,
    index_directory,
    paths_and_labels_to_dataset,
)

__all__ = ["text_dataset_from_directory"]


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
    from ... import TensorSpec, string

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
    check_binary_class_count(label_mode, class_names)
    num_classes = len(class_names) if class_names else 0
    buffer = batch_size * 8 if batch_size is not None else 1024

    def load(path):
        with open(path, "rb") as file:
            return file.read() if max_length is None else file.read(max_length)

    def build(paths, part_labels, shuffle_part):
        dataset = paths_and_labels_to_dataset(paths, part_labels, label_mode, num_classes, load,
                                              TensorSpec((), string), shuffle_part, buffer, seed, batch_size)
        dataset.class_names = class_names
        return dataset

    return build_subsets(file_paths, labels, validation_split, subset, shuffle, build,
                         lambda part: f"No {part}text files found in directory {directory}. Allowed format: .txt")
