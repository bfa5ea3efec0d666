"""``keras.utils.timeseries_dataset_from_array``: sliding windows over a sequence as an ``ndflow.data.Dataset``."""
from __future__ import annotations

from typing import Any

import numpy as np

from .dataset_utils import check_format

__all__ = ["timeseries_dataset_from_array"]


def _check_positions(length: int, start_index: int | None, end_index: int | None, sampling_rate: int,
                     sequence_stride: int) -> None:
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: start_index={start_index}")
        if start_index >= length:
            raise ValueError("`start_index` must be lower than the length of the data. "
                             f"Received: start_index={start_index}, for data of length {length}")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError("`end_index` must be higher than `start_index`. "
                             f"Received: start_index={start_index}, and end_index={end_index} ")
        if end_index >= length:
            raise ValueError("`end_index` must be lower than the length of the data. "
                             f"Received: end_index={end_index}, for data of length {length}")
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
        if value >= length:
            raise ValueError(f"`{name}` must be lower than the length of the data. "
                             f"Received: {name}={value}, for data of length {length}")


def timeseries_dataset_from_array(data: Any, targets: Any, sequence_length: int, sequence_stride: int = 1,
                                  sampling_rate: int = 1, batch_size: int | None = 128, shuffle: bool = False,
                                  seed: int | None = None, start_index: int | None = None,
                                  end_index: int | None = None, format: str = "tf"):
    """Batches of windows ``data[s], data[s + r], …, data[s + (sequence_length - 1) * r]`` (``r`` the
    ``sampling_rate``) for start positions ``s`` every ``sequence_stride`` steps within ``data[start_index:
    end_index]``; with ``targets``, each window is paired with ``targets[start_index + s]``.

    Args:
        data: array-like of timesteps (axis 0 is time).
        targets: array-like aligned with ``data``, or ``None`` for windows only.
        sequence_length: timesteps per window.
        sequence_stride: distance between the starts of consecutive windows.
        sampling_rate: distance between the timesteps inside a window.
        batch_size: windows per batch (``None``: unbatched).
        shuffle: permute the windows (start positions by ``np.random.RandomState(seed)`` as Keras, then a
            shuffle buffer of ``8 * batch_size`` in ndflow's random order).
        seed: shuffle seed.
        start_index, end_index: the part of ``data`` used (``end_index`` excluded).
        format: ``"tf"`` (an ``ndflow.data.Dataset``; Keras's ``"grain"`` is not provided).
    """
    from ... import constant, gather
    from ... import range as tf_range
    from ...data import Dataset

    _check_positions(len(data), start_index, end_index, sampling_rate, sequence_stride)
    check_format(format)
    start_index = start_index or 0
    end_index = len(data) if end_index is None else end_index
    num_windows = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_windows = min(num_windows, len(targets))
    index_dtype = "int32" if num_windows < 2**31 - 1 else "int64"
    starts = np.arange(0, num_windows, sequence_stride, dtype=index_dtype)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(starts)
    steps = constant(data[start_index:end_index])
    span = np.asarray(sequence_length * sampling_rate, dtype=index_dtype)
    rate = np.asarray(sampling_rate, dtype=index_dtype)

    def window(start):
        return gather(steps, tf_range(start, start + span, rate))

    dataset = Dataset.from_tensor_slices(starts)
    if targets is None:
        dataset = dataset.map(window)
    else:
        aligned = constant(targets[start_index:end_index])
        dataset = dataset.map(lambda start: (window(start), gather(aligned, start)))
    if batch_size is not None:
        if shuffle:
            dataset = dataset.shuffle(buffer_size=batch_size * 8, seed=seed)
        return dataset.batch(batch_size)
    if shuffle:
        dataset = dataset.shuffle(buffer_size=1024, seed=seed)
    return dataset
