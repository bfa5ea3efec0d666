"""Turning what users pass to ``fit``/``evaluate``/``predict`` into batches of NumPy arrays.

Accepted: arrays (NumPy, ndflow tensors, anything with ``__array__``) and lists/tuples/dicts of them; Python
generators yielding ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``; ``PyDataset`` (``Sequence``)
objects; and datasets (any other iterable of batches, such as ``ndflow.data.Dataset``).
"""
from __future__ import annotations

import concurrent.futures
import itertools
import math
import random
import types
import warnings
from typing import Any, Iterator

import numpy as np

from ..._core import nest

__all__ = ["PyDataset", "Sequence", "get_data_adapter", "unpack_x_y_sample_weight", "pack_x_y_sample_weight",
           "class_weight_to_sample_weights", "train_validation_split", "ArrayDataAdapter", "GeneratorDataAdapter",
           "PyDatasetAdapter", "IterableDataAdapter"]


def unpack_x_y_sample_weight(data: Any) -> tuple:
    """Splits a batch ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)`` into three (``None`` for missing).

    Raises:
        ValueError: a tuple of more than three elements.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) <= 3:
        return tuple(data) + (None,) * (3 - len(data))
    raise ValueError(f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
                     f"found: {data}")


def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None) -> Any:
    """The inverse of ``unpack_x_y_sample_weight``: ``x`` (or ``(x,)`` for a list/tuple ``x``), ``(x, y)`` …"""
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return x, y
    return x, y, sample_weight


def class_weight_to_sample_weights(y: Any, class_weight: dict) -> np.ndarray:
    """One weight per sample: ``class_weight[class of the sample]`` (1 for classes not in the dict).

    One-hot targets (last dimension above 1) are reduced with argmax; ``(n, 1)`` targets are squeezed.
    """
    from ..backend import floatx

    labels = _to_numpy(y)
    if labels.ndim > 1:
        labels = np.argmax(labels, axis=-1) if labels.shape[-1] != 1 else np.squeeze(labels, axis=-1)
    labels = np.round(labels).astype("int64")
    weights = np.array([class_weight.get(int(c), 1.0) for c in labels.reshape(-1)], dtype=floatx())
    return weights.reshape(labels.shape[:1]) if labels.ndim else weights


def _is_array(x: Any) -> bool:
    return x is None or (hasattr(x, "shape") and (hasattr(x, "__array__") or hasattr(x, "numpy")))


def _to_numpy(x: Any) -> Any:
    if x is None or isinstance(x, np.ndarray):
        return x
    if hasattr(x, "numpy"):
        return np.asarray(x.numpy())
    return np.asarray(x)


def _arrays_only(structure: Any) -> bool:
    return all(_is_array(leaf) for leaf in nest.flatten(structure))


def train_validation_split(arrays: tuple, validation_split: float) -> tuple:
    """Splits ``(x, y, sample_weight)`` arrays: the last ``validation_split`` fraction becomes validation data.

    Raises:
        ValueError: inputs that are not arrays, or too few samples to split.
    """
    flat = nest.flatten(arrays)
    unsplittable = [type(t) for t in flat if not _is_array(t)]
    if unsplittable:
        raise ValueError("Argument `validation_split` is only supported for tensors or NumPy arrays."
                         f"Found incompatible type in the input: {unsplittable}")
    present = [t for t in flat if t is not None]
    if not present:
        return arrays, arrays
    size = int(present[0].shape[0])
    split_at = int(math.floor(size * (1.0 - validation_split)))
    if split_at == 0 or split_at == size:
        raise ValueError(f"Training data contains {size} samples, which is not sufficient to split it into a "
                         f"validation and training set as specified by `validation_split={validation_split}`. "
                         "Either provide more data, or a different value for the `validation_split` argument.")
    train = nest.map_structure(lambda t: None if t is None else _to_numpy(t)[:split_at], arrays)
    val = nest.map_structure(lambda t: None if t is None else _to_numpy(t)[split_at:], arrays)
    return train, val


class PyDataset:
    """Base class for datasets that produce whole batches by index (``keras.utils.PyDataset``).

    Subclasses implement ``__getitem__(index)`` returning ``(x, y)`` / ``(x, y, sample_weight)`` / ``(x,)`` and
    ``__len__`` (or a ``num_batches`` property; ``None`` means infinite).

    Args:
        workers: threads that prepare batches ahead of time (1: in the main thread).
        use_multiprocessing: not supported (batches are prepared by threads).
        max_queue_size: how many batches the workers may prepare ahead.
    """

    def __init__(self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10) -> None:
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    def _setting(self, name: str, default: Any) -> Any:
        if not hasattr(self, name):
            warnings.warn("Your `PyDataset` class should call `super().__init__(**kwargs)` in its constructor. "
                          "`**kwargs` can include `workers`, `use_multiprocessing`, `max_queue_size`. Do not pass "
                          "these arguments to `fit()`, as they will be ignored.", stacklevel=4)
            setattr(self, name, default)
        return getattr(self, name)

    @property
    def workers(self) -> int:
        return self._setting("_workers", 1)

    @workers.setter
    def workers(self, value: int) -> None:
        self._workers = value

    @property
    def use_multiprocessing(self) -> bool:
        return self._setting("_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value: bool) -> None:
        self._use_multiprocessing = value

    @property
    def max_queue_size(self) -> int:
        return self._setting("_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value: int) -> None:
        self._max_queue_size = value

    def __getitem__(self, index: int) -> Any:
        """The batch at ``index`` (override)."""
        raise NotImplementedError

    def __iter__(self) -> Iterator:
        count = self.num_batches
        for index in (range(count) if count is not None else itertools.count()):
            yield self[index]

    @property
    def num_batches(self) -> int | None:
        """The number of batches per epoch (``len(self)``); ``None`` for an infinite dataset."""
        if hasattr(self, "__len__"):
            return len(self)
        raise NotImplementedError("You need to implement the `num_batches` property:\n\n"
                                  "@property\ndef num_batches(self):\n  return ...")

    def on_epoch_begin(self) -> None:
        """Called at the start of every epoch."""

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch (shuffle here)."""


Sequence = PyDataset


class DataAdapter:
    """Produces the batches of one epoch as NumPy structures."""

    num_batches: int | None = None
    batch_size: int | None = None

    def __iter__(self) -> Iterator:
        raise NotImplementedError

    def on_epoch_begin(self) -> None:
        pass

    def on_epoch_end(self) -> None:
        pass


class ArrayDataAdapter(DataAdapter):
    """Batches of in-memory arrays, reshuffled each epoch when ``shuffle`` (``"batch"``: within each batch).

    Raises:
        ValueError: arrays of different lengths, ``sample_weight`` with ``class_weight``, or sample weights
            that do not fit the outputs.
    """

    def __init__(self, x: Any, y: Any = None, sample_weight: Any = None, batch_size: int | None = None,
                 steps: int | None = None, shuffle: Any = False, class_weight: dict | None = None) -> None:
        x, y, sample_weight = (nest.map_structure(_to_numpy, v) for v in (x, y, sample_weight))
        if sample_weight is not None:
            if class_weight is not None:
                raise ValueError("You cannot `class_weight` and `sample_weight` at the same time.")
            if nest.is_nested(y):
                sample_weight = _per_output_sample_weight(y, sample_weight)
        if class_weight is not None:
            if nest.is_nested(y):
                raise ValueError("`class_weight` is only supported for Models with a single output.")
            sample_weight = class_weight_to_sample_weights(y, class_weight)
        self._inputs = pack_x_y_sample_weight(x, y, sample_weight)
        _check_cardinality(self._inputs)
        self._flat = nest.flatten(self._inputs)
        self._num_samples = next(int(a.shape[0]) for a in self._flat if a is not None)
        if not batch_size:
            batch_size = int(math.ceil(self._num_samples / steps)) if steps else 32
        self.batch_size = batch_size
        self.num_batches = int(math.ceil(self._num_samples / batch_size))
        self._shuffle = shuffle

    def __iter__(self) -> Iterator:
        order = np.random.permutation(self._num_samples) if self._shuffle and self._shuffle != "batch" else None
        for i in range(self.num_batches):
            start, stop = i * self.batch_size, min((i + 1) * self.batch_size, self._num_samples)
            if self._shuffle == "batch":
                index: Any = np.random.permutation(stop - start) + start
            elif order is not None:
                index = order[start:stop]
            else:
                index = slice(start, stop)
            yield nest.pack_sequence_as(self._inputs, [None if a is None else a[index] for a in self._flat])


def _per_output_sample_weight(y: Any, sample_weight: Any) -> Any:
    if isinstance(sample_weight, (list, tuple, dict)):
        try:
            nest.assert_same_structure(y, sample_weight)
        except (ValueError, TypeError):
            raise ValueError("You should provide one `sample_weight` array per output in `y`. The two structures "
                             f"did not match:\n- y: {y}\n- sample_weight: {sample_weight}\n") from None
        return sample_weight
    if not (sample_weight.ndim == 1 or (sample_weight.ndim == 2 and sample_weight.shape[1] == 1)):
        raise ValueError("For a model with multiple outputs, when providing a single `sample_weight` array, it "
                         "should only have one scalar score per sample (i.e. shape `(num_samples,)`). If you want "
                         "to use non-scalar sample weights, pass a `sample_weight` argument with one array per "
                         "model output.")
    return nest.map_structure(lambda _: sample_weight, y)


def _check_cardinality(data: tuple) -> None:
    sizes = {int(a.shape[0]) for a in nest.flatten(data) if a is not None}
    if len(sizes) > 1:
        message = "Data cardinality is ambiguous. Make sure all arrays contain the same number of samples."
        parts = data if isinstance(data, tuple) else (data,)
        for label, part in zip(("x", "y", "sample_weight"), parts):
            message += f"'{label}' sizes: {', '.join(str(a.shape[0]) for a in nest.flatten(part) if a is not None)}\n"
        raise ValueError(message)


def _standardize_batch(batch: Any, class_weight: dict | None, source: str) -> Any:
    if isinstance(batch, dict):
        return nest.map_structure(_to_numpy, batch)
    if isinstance(batch, list):
        batch = tuple(batch)
    if not isinstance(batch, tuple):
        batch = (batch,)
    if len(batch) not in (1, 2, 3):
        raise ValueError(f"{source} must return a tuple or a dict. If a tuple, it must be ordered either (input,) "
                         "or (inputs, targets) or (inputs, targets, sample_weights). Received: "
                         f"{str(batch)[:100]}... of type {type(batch)}")
    if class_weight is not None:
        if len(batch) == 3:
            raise ValueError("You cannot specify `class_weight` and `sample_weight` at the same time.")
        if len(batch) == 2:
            batch = batch + (class_weight_to_sample_weights(batch[1], class_weight),)
    return nest.map_structure(_to_numpy, batch)


class GeneratorDataAdapter(DataAdapter):
    """Batches from a Python generator, whose length is unknown.

    Like Keras, the first two batches are read up front (to check them) and every epoch starts by replaying
    them before continuing with whatever the generator still yields.

    Raises:
        ValueError: an empty generator, or one whose batches are not tuples.
    """

    def __init__(self, generator: Iterator) -> None:
        self._first_batches = list(itertools.islice(generator, 2))
        self._generator = generator
        if not self._first_batches:
            raise ValueError("When passing a Python generator to a Keras model, the generator must yield at least "
                             "one batch. Received an empty generator.")
        if not isinstance(self._first_batches[0], tuple):
            raise ValueError("When passing a Python generator to a Keras model, the generator must return a tuple, "
                             "either (input,) or (inputs, targets) or (inputs, targets, sample_weights). "
                             f"Received: {self._first_batches[0]}")

    def __iter__(self) -> Iterator:
        for batch in itertools.chain(self._first_batches, self._generator):
            yield _standardize_batch(batch, None, "The generator")


class PyDatasetAdapter(DataAdapter):
    """Batches from a ``PyDataset``: by index, in shuffled order when ``shuffle``, prefetched by ``workers``.

    Raises:
        NotImplementedError: ``use_multiprocessing=True``.
    """

    def __init__(self, dataset: PyDataset, class_weight: dict | None = None, shuffle: bool = False) -> None:
        if dataset.use_multiprocessing:
            raise NotImplementedError("PyDataset with use_multiprocessing=True is not supported yet")
        self._dataset = dataset
        self._class_weight = class_weight
        self._shuffle = shuffle
        self.num_batches = dataset.num_batches

    def __iter__(self) -> Iterator:
        if self.num_batches is None:
            indices: Any = itertools.count()
        else:
            indices = list(range(self.num_batches))
            if self._shuffle:
                random.shuffle(indices)
        workers = self._dataset.workers
        if workers <= 1:
            for i in indices:
                yield _standardize_batch(self._dataset[i], self._class_weight, "PyDataset.__getitem__()")
            return
        yield from self._prefetched(iter(indices), workers)

    def _prefetched(self, indices: Iterator, workers: int) -> Iterator:
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            pending = [pool.submit(self._dataset.__getitem__, i)
                       for i in itertools.islice(indices, max(self._dataset.max_queue_size, 1))]
            while pending:
                batch = pending.pop(0).result()
                pending.extend(pool.submit(self._dataset.__getitem__, i) for i in itertools.islice(indices, 1))
                yield _standardize_batch(batch, self._class_weight, "PyDataset.__getitem__()")

    def on_epoch_begin(self) -> None:
        self._dataset.on_epoch_begin()

    def on_epoch_end(self) -> None:
        self._dataset.on_epoch_end()


class IterableDataAdapter(DataAdapter):
    """Batches from a re-iterable dataset (``ndflow.data.Dataset`` or any iterable of batches)."""

    def __init__(self, dataset: Any, class_weight: dict | None = None) -> None:
        self._dataset = dataset
        self._class_weight = class_weight
        self.num_batches = _known_length(dataset)

    def __iter__(self) -> Iterator:
        for batch in self._dataset:
            yield _standardize_batch(batch, self._class_weight, "The dataset")


def _known_length(dataset: Any) -> int | None:
    cardinality = getattr(dataset, "cardinality", None)
    if callable(cardinality):  # tf.data style: negative for infinite or unknown
        value = cardinality()
        value = int(value.numpy() if hasattr(value, "numpy") else value)
        return value if value >= 0 else None
    try:
        return len(dataset)
    except TypeError:
        return None


def _unsupported(arg: str, description: str, kind: str) -> ValueError:
    return ValueError(f"When providing `x` as a {kind}, `{arg}` should not be passed. Instead, {description} should "
                      f"be included as part of the {kind}.")


def get_data_adapter(x: Any, y: Any = None, sample_weight: Any = None, batch_size: int | None = None,
                     steps_per_epoch: int | None = None, shuffle: Any = False,
                     class_weight: dict | None = None) -> DataAdapter:
    """The adapter for ``x`` (with ``y``/``sample_weight`` for arrays).

    Raises:
        ValueError: ``y`` or ``sample_weight`` given with a generator or dataset, or an unknown type of ``x``.
    """
    if isinstance(x, DataAdapter):
        return x
    if _arrays_only((x, y, sample_weight)):
        return ArrayDataAdapter(x, y, sample_weight=sample_weight, class_weight=class_weight, shuffle=shuffle,
                                batch_size=batch_size, steps=steps_per_epoch)
    if isinstance(x, PyDataset):
        kind = "PyDataset"
    elif getattr(x, "_is_ndflow_dataset", False):
        kind = "tf.data.Dataset"
    elif isinstance(x, types.GeneratorType):
        kind = "generator"
    elif hasattr(x, "__iter__") and not isinstance(x, (str, bytes, dict, list, tuple)):
        kind = "dataset"
    else:
        raise ValueError(f"Unrecognized data type: x={x} (of type {type(x)})")
    if y is not None:
        raise _unsupported("y", "the targets", kind)
    if sample_weight is not None:
        raise _unsupported("sample_weights", "the sample weights", kind)
    if kind == "generator":
        if class_weight is not None:
            raise ValueError("Argument `class_weight` is not supported for Python generator inputs. "
                             f"Received: class_weight={class_weight}")
        if shuffle:
            warnings.warn("`shuffle=True` was passed, but will be ignored since the data `x` was provided as a "
                          "generator. The generator is expected to yield already-shuffled data.", stacklevel=4)
        return GeneratorDataAdapter(x)
    if kind == "PyDataset":
        return PyDatasetAdapter(x, class_weight=class_weight, shuffle=shuffle)
    if shuffle:
        source = "a tf.data.Dataset. The Dataset" if kind == "tf.data.Dataset" else "a dataset. The dataset"
        warnings.warn(f"`shuffle=True` was passed, but will be ignored since the data `x` was provided as {source} "
                      "is expected to already be shuffled (via `.shuffle(buffer_size)`).", stacklevel=4)
    return IterableDataAdapter(x, class_weight=class_weight)
