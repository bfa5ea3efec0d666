"""``tf.estimator.inputs``: input functions over in-memory NumPy arrays."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

__all__ = ["numpy_input_fn", "pandas_input_fn"]


def numpy_input_fn(x: Any, y: Any = None, batch_size: int = 128, num_epochs: int | None = 1, shuffle: Any = None,
                   queue_capacity: int = 1000, num_threads: int = 1) -> Callable:
    """An ``input_fn`` returning ``(features, labels)`` batches of ``x`` (an array or a dict of arrays) and ``y``.

    Batches come from a ``Dataset`` (one-shot iterator): ``num_epochs`` passes (None: forever), shuffled each
    pass when ``shuffle``; the last batch of a finite input may be smaller. ``queue_capacity`` and
    ``num_threads`` are accepted for compatibility.

    Raises:
        ValueError: ``shuffle`` not a bool, mismatched lengths, overlapping ``x``/``y`` keys, or an empty dict.
        TypeError: ``x`` not an array or dict.
    """
    if not isinstance(shuffle, bool):
        raise ValueError(f"shuffle must be provided explicitly as a bool, got {shuffle}.")
    if isinstance(x, dict):
        if not x:
            raise ValueError("x cannot be an empty dict")
        features = {k: np.asarray(v) for k, v in x.items()}
    elif isinstance(x, (np.ndarray, list, tuple)):
        features = np.asarray(x)
    else:
        raise TypeError(f"x must be a dict or array; got {type(x).__name__}")
    labels = None
    if y is not None:
        labels = {k: np.asarray(v) for k, v in y.items()} if isinstance(y, dict) else np.asarray(y)
        if isinstance(labels, dict) and isinstance(features, dict) and set(labels) & set(features):
            raise ValueError(f"{sorted(set(labels) & set(features))} duplicate keys are found in both x and y: "
                             f"keys of x {sorted(features)}, keys of y {sorted(labels)}")
    arrays = list(features.values()) if isinstance(features, dict) else [features]
    arrays += (list(labels.values()) if isinstance(labels, dict) else [labels]) if labels is not None else []
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ValueError("Length of tensors in x and y is mismatched. All elements in x and y must have the same "
                         f"length.\nShapes in x: {_shapes(features)}\nShapes in y: {_shapes(labels)}\n")
    size = lengths.pop()

    def input_fn() -> Any:
        from ..data import Dataset, make_one_shot_iterator

        data = features if labels is None else (features, labels)
        dataset = Dataset.from_tensor_slices(data)
        if shuffle:
            dataset = dataset.shuffle(max(size, 1))
        dataset = dataset.repeat(num_epochs).batch(batch_size)

        return make_one_shot_iterator(dataset).get_next()

    return input_fn


def _shapes(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: np.shape(v) for k, v in value.items()}
    return None if value is None else np.shape(value)


def pandas_input_fn(x: Any, y: Any = None, batch_size: int = 128, num_epochs: int | None = 1, shuffle: Any = None,
                    queue_capacity: int = 1000, num_threads: int = 1, target_column: str = "target") -> Callable:
    """``numpy_input_fn`` over a DataFrame's columns (features) and a Series or DataFrame (labels).

    Raises:
        ValueError: ``shuffle`` not a bool, mismatched indexes of ``x`` and ``y``, or ``target_column``
            already a column of ``x``.
    """
    if not isinstance(shuffle, bool):
        raise ValueError(f"shuffle must be provided explicitly as a bool, got {shuffle}.")
    features = {str(k): x[k].to_numpy() for k in x.columns}
    labels = None
    if y is not None:
        if target_column in x.columns:
            raise ValueError(f"Cannot use name {target_column} for target column: DataFrame already has a column "
                             f"with that name: {list(x.columns)}")
        if not np.array_equal(x.index, y.index):
            raise ValueError(f"Index for x and y are mismatched.\nIndex for x: {x.index}\nIndex for y: {y.index}\n")
        labels = {str(k): y[k].to_numpy() for k in y.columns} if hasattr(y, "columns") else y.to_numpy()
    return numpy_input_fn(features, labels, batch_size, num_epochs, shuffle, queue_capacity, num_threads)
