"""Batch iterators of the classic ``ImageDataGenerator``: over NumPy arrays (``flow``) and over a directory of
class folders (``flow_from_directory``). Both are ``PyDataset``s, so ``fit`` accepts them, and plain Python
iterators that cycle forever (``next(iterator)``), as in Keras."""
from __future__ import annotations

import os
import threading
import warnings
from typing import Any

import numpy as np

from .. import backend
from ..trainers.data_adapters import PyDataset
from ..utils.dataset_utils import files_under
from ..utils.image_utils import array_to_img, img_to_array, load_img

__all__ = ["DirectoryIterator", "Iterator", "NumpyArrayIterator"]


class Iterator(PyDataset):
    """Base class: hands out index batches over ``n`` samples, reshuffled every epoch when ``shuffle``.

    With a ``seed``, ``np.random`` is re-seeded with ``seed + batches_seen`` before every batch, so the
    sequence of batches (and of random augmentations) repeats from run to run.
    """

    white_list_formats = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")

    def __init__(self, n: int, batch_size: int, shuffle: bool, seed: int | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.n, self.batch_size, self.shuffle, self.seed = n, batch_size, shuffle, seed
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array = None
        self.index_generator = self._flow_index()

    def _set_index_array(self) -> None:
        self.index_array = np.random.permutation(self.n) if self.shuffle else np.arange(self.n)

    def _reseed(self) -> None:
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)

    def __getitem__(self, idx: int):
        if idx >= len(self):
            raise ValueError(f"Asked to retrieve element {idx}, but the Sequence has length {len(self)}")
        self._reseed()
        self.total_batches_seen += 1
        if self.index_array is None:
            self._set_index_array()
        return self._get_batches_of_transformed_samples(
            self.index_array[self.batch_size * idx:self.batch_size * (idx + 1)])

    def __len__(self) -> int:
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_end(self) -> None:
        self._set_index_array()

    def reset(self) -> None:
        self.batch_index = 0

    def _flow_index(self):
        self.reset()
        while True:
            self._reseed()
            if self.batch_index == 0:
                self._set_index_array()
            start = self.batch_index * self.batch_size % self.n if self.n else 0
            self.batch_index = self.batch_index + 1 if self.n > start + self.batch_size else 0
            self.total_batches_seen += 1
            yield self.index_array[start:start + self.batch_size]

    def __iter__(self):
        return self

    def __next__(self):
        with self.lock:
            index_array = next(self.index_generator)
        return self._get_batches_of_transformed_samples(index_array)

    def _get_batches_of_transformed_samples(self, index_array: np.ndarray):
        raise NotImplementedError(f"{type(self).__name__} must implement _get_batches_of_transformed_samples")


def _augment(generator: Any, x: np.ndarray) -> np.ndarray:
    params = generator.get_random_transform(x.shape)
    return generator.standardize(generator.apply_transform(x, params))


def _save_batch(batch_x: np.ndarray, index_array: np.ndarray, data_format: str, directory: str, prefix: str,
                file_format: str, hash_range: float) -> None:
    for image, index in zip(batch_x, index_array):
        name = f"{prefix}_{index}_{np.random.randint(hash_range)}.{file_format}"
        array_to_img(image, data_format, scale=True).save(os.path.join(directory, name))


class NumpyArrayIterator(Iterator):
    """Batches ``(augmented x, y[, sample_weight])`` from a rank-4 image array (``ImageDataGenerator.flow``).

    ``x`` may be ``(images, extra)`` or ``(images, [extra, …])``: the extra arrays are batched alongside the
    images without augmentation. ``subset`` takes the first ``validation_split`` fraction as validation data.
    """

    def __init__(self, x: Any, y: Any, image_data_generator: Any, batch_size: int = 32, shuffle: bool = False,
                 sample_weight: Any = None, seed: int | None = None, data_format: str | None = None,
                 save_to_dir: str | None = None, save_prefix: str = "", save_format: str = "png",
                 subset: str | None = None, ignore_class_split: bool = False, dtype: Any = None) -> None:
        data_format = data_format or backend.image_data_format()
        self.dtype = dtype or backend.floatx()
        extras = []
        if isinstance(x, (tuple, list)):
            extras = [np.asarray(e) for e in x[1]] if isinstance(x[1], list) else [np.asarray(x[1])]
            x = x[0]
            for extra in extras:
                if len(x) != len(extra):
                    raise ValueError("All of the arrays in `x` should have the same length. Found a pair with: "
                                     f"len(x[0]) = {len(x)}, len(x[?]) = {len(extra)}")
        if y is not None and len(x) != len(y):
            raise ValueError("`x` (images tensor) and `y` (labels) should have the same length. Found: "
                             f"x.shape = {np.asarray(x).shape}, y.shape = {np.asarray(y).shape}")
        if sample_weight is not None and len(x) != len(sample_weight):
            raise ValueError("`x` (images tensor) and `sample_weight` should have the same length. Found: "
                             f"x.shape = {np.asarray(x).shape}, "
                             f"sample_weight.shape = {np.asarray(sample_weight).shape}")
        if subset is not None:
            if subset not in ("training", "validation"):
                raise ValueError(f'Invalid subset name: {subset}; expected "training" or "validation".')
            cut = int(len(x) * image_data_generator._validation_split)
            if (y is not None and not ignore_class_split
                    and not np.array_equal(np.unique(y[:cut]), np.unique(y[cut:]))):
                raise ValueError("Training and validation subsets have different number of classes after the split. "
                                 "If your numpy arrays are sorted by the label, you might want to shuffle them.")
            part = slice(None, cut) if subset == "validation" else slice(cut, None)
            x, extras = x[part], [np.asarray(e[part]) for e in extras]
            y = y[part] if y is not None else None
        self.x = np.asarray(x, dtype=self.dtype)
        self.x_misc = extras
        if self.x.ndim != 4:
            raise ValueError(f"Input data in `NumpyArrayIterator` should have rank 4. You passed an array with shape "
                             f"{self.x.shape}")
        channels_axis = 3 if data_format == "channels_last" else 1
        if self.x.shape[channels_axis] not in (1, 3, 4):
            warnings.warn(f'NumpyArrayIterator is set to use the data format convention "{data_format}" (channels on '
                          f"axis {channels_axis}), i.e. expected either 1, 3, or 4 channels on axis {channels_axis}. "
                          f"However, it was passed an array with shape {self.x.shape} "
                          f"({self.x.shape[channels_axis]} channels).", stacklevel=2)
        self.y = np.asarray(y) if y is not None else None
        self.sample_weight = np.asarray(sample_weight) if sample_weight is not None else None
        self.image_data_generator = image_data_generator
        self.data_format = data_format
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        super().__init__(self.x.shape[0], batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array: np.ndarray):
        batch_x = np.zeros((len(index_array), *self.x.shape[1:]), dtype=self.dtype)
        for row, index in enumerate(index_array):
            batch_x[row] = _augment(self.image_data_generator, self.x[index].astype(self.dtype))
        if self.save_to_dir:
            _save_batch(batch_x, index_array, self.data_format, self.save_to_dir, self.save_prefix,
                        self.save_format, 1e4)
        extras = [extra[index_array] for extra in self.x_misc]
        inputs = [batch_x, *extras] if extras else batch_x
        if self.y is None:
            return inputs
        if self.sample_weight is None:
            return inputs, self.y[index_array]
        return inputs, self.y[index_array], self.sample_weight[index_array]


def _list_class_files(folder: str, formats: tuple, split: tuple | None, follow_links: bool) -> list[str]:
    """Paths relative to ``folder``'s parent of the image files under ``folder`` (the ``split`` fraction)."""
    found = files_under(folder, follow_links, formats)
    for path in found:
        if path.lower().endswith(".tiff"):
            warnings.warn('Using ".tiff" files with multiple bands will cause distortion. Please verify your '
                          "output.", stacklevel=2)
    if split:
        found = found[int(split[0] * len(found)):int(split[1] * len(found))]
    return found


class DirectoryIterator(Iterator):
    """Batches of images loaded (and augmented) from ``directory``'s class folders
    (``ImageDataGenerator.flow_from_directory``).

    Args:
        class_mode: ``"categorical"`` (one-hot), ``"binary"``/``"sparse"`` (class index as float), ``"input"``
            (the images themselves) or ``None`` (images only).
        subset: ``"validation"`` takes the first ``validation_split`` fraction of every class folder,
            ``"training"`` the rest.
    """

    allowed_class_modes = {"categorical", "binary", "sparse", "input", None}

    def __init__(self, directory: str, image_data_generator: Any, target_size: tuple = (256, 256),
                 color_mode: str = "rgb", classes: list | None = None, class_mode: str | None = "categorical",
                 batch_size: int = 32, shuffle: bool = True, seed: int | None = None, data_format: str | None = None,
                 save_to_dir: str | None = None, save_prefix: str = "", save_format: str = "png",
                 follow_links: bool = False, subset: str | None = None, interpolation: str = "nearest",
                 keep_aspect_ratio: bool = False, dtype: Any = None) -> None:
        self.data_format = data_format or backend.image_data_format()
        self.dtype = dtype or backend.floatx()
        self.image_data_generator = image_data_generator
        self.target_size, self.keep_aspect_ratio = tuple(target_size), keep_aspect_ratio
        channels = {"rgba": 4, "rgb": 3, "grayscale": 1}
        if color_mode not in channels:
            raise ValueError(f'Invalid color mode: {color_mode}; expected "rgb", "rgba", or "grayscale".')
        self.color_mode = color_mode
        self.image_shape = ((*self.target_size, channels[color_mode]) if self.data_format == "channels_last"
                            else (channels[color_mode], *self.target_size))
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        self.interpolation = interpolation
        if subset is None:
            split = None
        elif subset in ("validation", "training"):
            fraction = image_data_generator._validation_split
            split = (0, fraction) if subset == "validation" else (fraction, 1)
        else:
            raise ValueError(f'Invalid subset name: {subset};expected "training" or "validation"')
        self.split, self.subset = split, subset
        self.directory = directory
        if class_mode not in self.allowed_class_modes:
            raise ValueError(f"Invalid class_mode: {class_mode}; expected one of: {self.allowed_class_modes}")
        self.class_mode = class_mode
        if not classes:
            classes = [name for name in sorted(os.listdir(directory)) if os.path.isdir(os.path.join(directory, name))]
        self.num_classes = len(classes)
        self.class_indices = dict(zip(classes, range(len(classes))))
        self.filenames, labels = [], []
        for name in classes:
            found = _list_class_files(os.path.join(directory, name), self.white_list_formats, split, follow_links)
            self.filenames += found
            labels += [self.class_indices[name]] * len(found)
        self.samples = len(self.filenames)
        self.classes = np.asarray(labels, dtype="int32")
        from ..utils.progbar import print_msg

        print_msg(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        self._filepaths = [os.path.join(directory, name) for name in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self) -> list[str]:
        return self._filepaths

    @property
    def labels(self) -> np.ndarray:
        return self.classes

    @property
    def sample_weight(self) -> None:
        return None

    def _get_batches_of_transformed_samples(self, index_array: np.ndarray):
        batch_x = np.zeros((len(index_array), *self.image_shape), dtype=self.dtype)
        for row, index in enumerate(index_array):
            img = load_img(self._filepaths[index], color_mode=self.color_mode, target_size=self.target_size,
                           interpolation=self.interpolation, keep_aspect_ratio=self.keep_aspect_ratio)
            x = img_to_array(img, data_format=self.data_format)
            img.close()
            batch_x[row] = _augment(self.image_data_generator, x) if self.image_data_generator else x
        if self.save_to_dir:
            _save_batch(batch_x, index_array, self.data_format, self.save_to_dir, self.save_prefix,
                        self.save_format, 1e7)
        if self.class_mode == "input":
            return batch_x, batch_x.copy()
        if self.class_mode in ("binary", "sparse"):
            return batch_x, self.classes[index_array].astype(self.dtype)
        if self.class_mode == "categorical":
            batch_y = np.zeros((len(batch_x), self.num_classes), dtype=self.dtype)
            batch_y[np.arange(len(batch_x)), self.classes[index_array]] = 1.0
            return batch_x, batch_y
        return batch_x
