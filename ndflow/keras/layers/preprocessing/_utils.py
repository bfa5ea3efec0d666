"""Helpers shared by the preprocessing layers: reading ``adapt`` data and encoding integer categories."""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np

import ndflow as tf

from ...._core.ragged_tensor import RaggedTensor
from ...._core.sparse_tensor import SparseTensor
from ...._core.tensor import Tensor

__all__ = ["adapt_batches", "encode_categorical", "is_tensor_like", "validate_string_arg"]


def is_tensor_like(value: Any) -> bool:
    """True for dense, ragged and sparse tensors."""
    return isinstance(value, (Tensor, RaggedTensor, SparseTensor))


def _first_of(element: Any) -> Any:
    """The inputs of a dataset element: ``x`` from ``(x, y)`` or ``(x, y, sample_weight)``."""
    return element[0] if isinstance(element, tuple) else element


def adapt_batches(data: Any, steps: int | None = None, batch_size: int | None = None) -> Iterator[Any]:
    """The batches ``adapt`` reads from ``data``.

    An array, list or tensor is one batch (or batches of ``batch_size`` when given); a ``Dataset`` or any other
    iterable yields its elements as batches (at most ``steps`` of them).
    """
    from ....data import Dataset

    if isinstance(data, Dataset):
        if steps is not None:
            data = data.take(steps)
        for element in data:
            yield _first_of(element)
        return
    if isinstance(data, (list, tuple, np.ndarray)) or is_tensor_like(data):
        if batch_size is None:
            yield data
            return
        array = data if is_tensor_like(data) else np.asarray(data)
        total = int(array.shape[0])
        for count, start in enumerate(range(0, total, batch_size)):
            if steps is not None and count >= steps:
                return
            yield array[start:start + batch_size]
        return
    if not hasattr(data, "__iter__"):
        raise TypeError(f"Unsupported data type: {type(data)}. `adapt` supports NumPy arrays, tensors, lists, "
                        "`tf.data.Dataset` and iterables of batches.")
    for count, element in enumerate(data):
        if steps is not None and count >= steps:
            return
        yield _first_of(element)


def validate_string_arg(value: Any, allowed: tuple, layer: str, argument: str, allow_none: bool = False,
                        allow_callables: bool = False) -> None:
    """Raises Keras's ValueError when ``value`` is not one of ``allowed``."""
    if value is None and allow_none:
        return
    if callable(value) and allow_callables:
        return
    if isinstance(value, str) and value in allowed:
        return
    raise ValueError(f"Unknown value for `{argument}` argument of {layer}. Allowed values are: {allowed}. "
                     f"Received: {argument}={value}")


def encode_categorical(indices: Any, output_mode: str, depth: int, dtype: str = "float32",
                       count_weights: Any = None, sparse: bool = False) -> Any:
    """Integer category indices as Keras encodes them.

    Args:
        indices: integer tensor (rank 0, 1 or 2 for ``multi_hot``/``count``).
        output_mode: ``"int"`` (cast only), ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        depth: the number of categories.
        dtype: the output dtype.
        count_weights: per-index weights summed in ``"count"`` mode.
        sparse: return a ``SparseTensor`` of the non-zero entries.

    Returns:
        ``one_hot``: a trailing ``depth`` axis (a trailing axis of size 1 is replaced); ``multi_hot``/``count``:
        the last axis reduced to ``depth`` bins (a 1-D input gives one ``(depth,)`` vector).
    """
    if output_mode == "int":
        return tf.cast(indices, dtype)
    indices = tf.convert_to_tensor(indices)
    if indices.shape.rank == 0:
        indices = tf.expand_dims(indices, -1)
    if output_mode == "one_hot":
        if indices.shape.rank > 1 and indices.shape[-1] == 1:
            indices = tf.squeeze(indices, -1)
        encoded = tf.one_hot(indices, depth, dtype=dtype)
        return tf.sparse.from_dense(encoded) if sparse else encoded
    if indices.shape.rank > 2:
        raise ValueError("When output_mode is not `'int'`, maximum supported output rank is 2. Received "
                         f"output_mode {output_mode} and input shape {tuple(indices.shape)}, which would result "
                         f"in output rank {indices.shape.rank}.")
    weights = None if count_weights is None else tf.cast(count_weights, dtype)
    counts = tf.math.bincount(indices, weights=weights, minlength=depth, maxlength=depth,
                              axis=-1, binary_output=output_mode == "multi_hot",
                              dtype=dtype if weights is None else weights.dtype)
    counts = tf.cast(counts, dtype)
    return tf.sparse.from_dense(counts) if sparse else counts
