"""Grouping elements: batch, padded_batch, unbatch, rebatch, window, group_by_window and
bucket_by_sequence_length."""
from __future__ import annotations

import itertools
from typing import Any, Callable

import numpy as np

from .._core import dtypes, nest
from .._core.errors import InvalidArgumentError
from .._core.shape import TensorShape
from .._core.tensor_spec import TensorSpec
from .core import INFINITE, UNKNOWN, ElementIterator, IteratorContext, close_iterator
from .dataset import Dataset
from .functions import StructuredFunction
from .structure import DatasetSpec, flatten_up_to, is_symbolic, to_leaf, unbatched_spec
from .transforms import scalar_int

__all__ = ["BatchDataset", "PaddedBatchDataset", "UnbatchDataset", "RebatchDataset", "WindowDataset",
           "GroupByWindowDataset", "ListDataset", "bucket_by_sequence_length", "stack_leaves"]


# -- specs and stacking ----------------------------------------------------------------------------------------------
def _batched_spec(spec: Any, batch_dim: int | None) -> Any:
    if isinstance(spec, TensorSpec):
        if spec.shape.rank is None:
            return TensorSpec(None, spec.dtype)
        return TensorSpec([batch_dim] + spec.shape.as_list(), spec.dtype)
    if type(spec).__name__ == "SparseTensorSpec":
        dims = None if spec.shape.rank is None else [batch_dim] + spec.shape.as_list()
        return type(spec)(dims, spec.dtype)
    raise NotImplementedError(f"batching {type(spec).__name__} elements is not supported yet")


def _shape_text(shape: tuple) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def stack_leaves(rows: list, index: int) -> Any:
    """Stacks one component of several elements into a batch.

    Raises:
        InvalidArgumentError: the components have different shapes.
    """
    first = rows[0]
    kind = type(first)
    if issubclass(kind, np.generic) and all(type(r) is kind for r in rows):  # NumPy scalars of one type
        return np.array(rows, dtype=first.dtype)
    if kind is np.ndarray and first.dtype == object and not first.shape and \
            all(type(r) is np.ndarray and r.dtype == object and not r.shape for r in rows):  # scalar strings
        return np.fromiter([r[()] for r in rows], dtype=object, count=len(rows))  # items kept whole
    if isinstance(first, (np.ndarray, np.generic)):
        shape = np.shape(first)
        for i, r in enumerate(rows):
            if np.shape(r) != shape:
                raise InvalidArgumentError(None, None, f"Cannot batch tensors with different shapes in component "
                                           f"{index}. First element had shape {_shape_text(shape)} and element {i} "
                                           f"had shape {_shape_text(np.shape(r))}.")
        return np.stack(rows) if shape or first.dtype == object else np.array(rows, dtype=first.dtype)
    if type(first).__name__ == "SparseTensor":
        return _stack_sparse(rows)
    raise NotImplementedError(f"batching {type(first).__name__} elements is not supported yet")


def _stack_sparse(values: list) -> Any:
    """SparseTensors batched along a new first dimension (the dense shape is the largest of each dimension)."""
    from .._core.sparse_tensor import SparseTensor
    from .._core.tensor import EagerTensor

    indices, vals, shapes = [], [], []
    for i, st in enumerate(values):
        idx = np.asarray(st.indices)
        indices.append(np.concatenate([np.full((idx.shape[0], 1), i, np.int64), idx], axis=1))
        vals.append(np.asarray(st.values._value))
        shapes.append(np.asarray(st.dense_shape))
    dense = np.concatenate([[len(values)], np.max(np.stack(shapes), axis=0)]).astype(np.int64)
    return SparseTensor(EagerTensor(np.concatenate(indices).astype(np.int64)),
                        EagerTensor(np.concatenate(vals), values[0].dtype), EagerTensor(dense))


def _stack(elements: list) -> tuple:
    return tuple(stack_leaves(list(rows), i) for i, rows in enumerate(zip(*elements)))


def _batch_cardinality(n: int, batch_size: int, drop_remainder: bool) -> int:
    if n in (INFINITE, UNKNOWN):
        return n
    return n // batch_size if drop_remainder else -(-n // batch_size)


def _batch_size(value: Any) -> int:
    size = scalar_int(value, "batch_size", 1)
    if size <= 0:
        raise InvalidArgumentError(None, None, "Batch size must be greater than zero. [Op:BatchDatasetV2]")
    return size


# -- batch -----------------------------------------------------------------------------------------------------------
class _BatchIterator(ElementIterator):
    __slots__ = ("_source", "_size", "_drop", "_combine", "_done")

    def __init__(self, source: Any, size: int, drop_remainder: bool, combine: Callable) -> None:
        self._source = source
        self._size = size
        self._drop = drop_remainder
        self._combine = combine
        self._done = False

    def __next__(self) -> tuple:
        if self._done:
            raise StopIteration
        elements = []
        source = self._source
        try:
            for _ in range(self._size):
                elements.append(next(source))
        except StopIteration:
            self._done = True
            close_iterator(source)
            if not elements or (self._drop and len(elements) < self._size):
                raise
        return self._combine(elements)

    def close(self) -> None:
        close_iterator(self._source)


class BatchDataset(Dataset):
    """Elements stacked ``batch_size`` at a time."""

    def __init__(self, dataset: Dataset, batch_size: Any, drop_remainder: bool, num_parallel_calls: Any) -> None:
        self._size = _batch_size(batch_size)
        self._drop = bool(drop_remainder)
        self._tf_name = "_BatchDataset" if num_parallel_calls is None else "_ParallelBatchDataset"
        fixed = self._size if self._drop and not is_symbolic(batch_size) else None
        spec = nest.map_structure(lambda s: _batched_spec(s, fixed), dataset.element_spec)
        super().__init__(spec, inputs=(dataset,), symbolic=is_symbolic(batch_size))

    def _iterator(self, ctx: IteratorContext) -> Any:
        dataset = self._inputs[0]
        if dataset._cuts_batches:
            return dataset._batches(self._size, self._drop)
        return _BatchIterator(dataset._iterator(ctx), self._size, self._drop, _stack)

    def _cardinality(self) -> int:
        return _batch_cardinality(self._input_cardinality(), self._size, self._drop)


class PaddedBatchDataset(Dataset):
    """Batches whose components are padded to ``padded_shapes`` (unknown dimensions: the batch's largest).

    Raises:
        ValueError: a padded shape smaller than its component's shape, or no ``padded_shapes`` for a component of
            unknown rank.
        TypeError: a padding value of another dtype than its component.
    """

    _tf_name = "_PaddedBatchDataset"

    def __init__(self, dataset: Dataset, batch_size: Any, padded_shapes: Any, padding_values: Any,
                 drop_remainder: bool) -> None:
        self._size = _batch_size(batch_size)
        self._drop = bool(drop_remainder)
        spec = dataset.element_spec
        leaves = nest.flatten(spec)
        for s in leaves:
            if not isinstance(s, TensorSpec):
                raise NotImplementedError(f"padded_batch of {type(s).__name__} elements is not supported yet")
        if padded_shapes is None:
            for i, s in enumerate(leaves):
                if s.shape.rank is None:
                    raise ValueError(f"You must provide `padded_shapes` argument because component {i} has unknown "
                                     "rank.")
            shapes = [s.shape for s in leaves]
        else:
            shapes = [_padded_shape(p, s) for p, s in zip(flatten_up_to(spec, padded_shapes), leaves)]
        values = [None] * len(leaves) if padding_values is None else flatten_up_to(spec, padding_values)
        self._shapes = [None if s.rank is None else s.as_list() for s in shapes]
        self._pads = [_padding_value(v, s.dtype) for v, s in zip(values, leaves)]
        fixed = self._size if self._drop and not is_symbolic(batch_size) else None
        out = [TensorSpec([fixed] + d, s.dtype) if d is not None else TensorSpec(None, s.dtype)
               for d, s in zip(self._shapes, leaves)]
        super().__init__(nest.pack_sequence_as(spec, out), inputs=(dataset,), symbolic=is_symbolic(batch_size))

    def _pad(self, elements: list) -> tuple:
        out = []
        for i, (rows, target, pad) in enumerate(zip(zip(*elements), self._shapes, self._pads)):
            shapes = [np.shape(r) for r in rows]
            rank = len(shapes[0])
            if any(len(s) != rank for s in shapes):
                raise InvalidArgumentError(None, None, f"Cannot batch tensors with different ranks in component "
                                           f"{i}.")
            dims = []
            for axis in range(rank):
                largest = max(s[axis] for s in shapes)
                want = target[axis] if target is not None and target[axis] is not None else largest
                if largest > want:
                    raise InvalidArgumentError(None, None, f"Attempted to pad to a smaller size than the input "
                                               f"element. Component {i}: padded dimension {axis} is {want} but an "
                                               f"element has {largest}.")
                dims.append(want)
            batch = np.full([len(rows)] + dims, pad, dtype=rows[0].dtype)
            for j, r in enumerate(rows):
                batch[(j, *(slice(0, d) for d in np.shape(r)))] = r[()] if np.ndim(r) == 0 else r
            out.append(batch)
        return tuple(out)

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _BatchIterator(self._inputs[0]._iterator(ctx), self._size, self._drop, self._pad)

    def _cardinality(self) -> int:
        return _batch_cardinality(self._input_cardinality(), self._size, self._drop)


def _padded_shape(value: Any, spec: TensorSpec) -> TensorShape:
    if isinstance(value, TensorShape):
        shape = value
    else:
        dims = np.asarray(to_leaf(value), dtype=np.int64).reshape(-1).tolist() if not isinstance(value, (list, tuple)) \
            else [None if d is None or int(d) == -1 else int(d) for d in value]
        shape = TensorShape([None if d == -1 else d for d in dims])
    component = spec.shape
    ok = component.rank is None or (shape.rank == component.rank and all(
        p is None or c is None or c <= p for p, c in zip(shape, component)))
    if not ok:
        raise ValueError(f"The padded shape {shape} is not compatible with the shape {component} of the "
                         "corresponding input component.")
    return shape


def _padding_value(value: Any, dtype: dtypes.DType) -> Any:
    if value is None:
        return b"" if dtype == dtypes.string else np.zeros((), dtype.as_numpy_dtype)
    leaf = to_leaf(value, dtype) if not hasattr(value, "dtype") or dtypes.as_dtype(value.dtype) == dtype \
        else None
    if leaf is None:
        raise TypeError(f"Invalid `padding_values`. `padding_values` values should have the same type as the "
                        f"corresponding component: expected {dtype.name}, got {dtypes.as_dtype(value.dtype).name}.")
    return np.asarray(leaf).reshape(()).item() if dtype == dtypes.string else np.asarray(leaf).reshape(())


# -- unbatch, rebatch ------------------------------------------------------------------------------------------------
def _rows(element: tuple) -> list:
    sizes = [np.shape(v)[0] for v in element]
    if any(s != sizes[0] for s in sizes):
        raise InvalidArgumentError(None, None, f"Input element must have the same batch size in each component. "
                                   f"Component 0 had size {sizes[0]} but component "
                                   f"{next(i for i, s in enumerate(sizes) if s != sizes[0])} had size "
                                   f"{next(s for s in sizes if s != sizes[0])}.")
    columns = []
    for v in element:
        if v.dtype == object and v.ndim == 1:
            columns.append([np.array(x, dtype=object) for x in v])
        else:
            columns.append(list(v))
    return list(zip(*columns))


class _UnbatchIterator(ElementIterator):
    __slots__ = ("_source", "_rows")

    def __init__(self, source: Any) -> None:
        self._source = source
        self._rows: list = []

    def __next__(self) -> tuple:
        while not self._rows:
            self._rows = _rows(next(self._source))[::-1]
        return self._rows.pop()

    def close(self) -> None:
        close_iterator(self._source)


class UnbatchDataset(Dataset):
    """Each element split along its first dimension.

    Raises:
        ValueError: a scalar component.
    """

    _tf_name = "_UnbatchDataset"

    def __init__(self, dataset: Dataset) -> None:
        spec = nest.map_structure(lambda s: unbatched_spec(s, "unbatch"), dataset.element_spec)
        super().__init__(spec, inputs=(dataset,))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _UnbatchIterator(self._inputs[0]._iterator(ctx))

    def _cardinality(self) -> int:
        n = self._input_cardinality()
        sizes = {s.shape[0] if s.shape.rank else None for s in nest.flatten(self._inputs[0].element_spec)}
        if len(sizes) != 1 or None in sizes or n == UNKNOWN:
            return UNKNOWN
        return INFINITE if n == INFINITE else n * sizes.pop()


class RebatchDataset(Dataset):
    """Batched elements regrouped into batches of ``batch_size`` (a list of sizes is used in turn)."""

    _tf_name = "_RebatchDataset"

    def __init__(self, dataset: Dataset, batch_size: Any, drop_remainder: bool) -> None:
        sizes = [1] if is_symbolic(batch_size) else [int(s) for s in np.asarray(to_leaf(batch_size)).reshape(-1)]
        if not sizes or any(s <= 0 for s in sizes):
            raise InvalidArgumentError(None, None, "Batch size must be greater than zero.")
        self._sizes = sizes
        self._drop = bool(drop_remainder)
        fixed = sizes[0] if self._drop and len(set(sizes)) == 1 and not is_symbolic(batch_size) else None
        spec = nest.map_structure(lambda s: _batched_spec(unbatched_spec(s, "rebatch"), fixed), dataset.element_spec)
        super().__init__(spec, inputs=(dataset,), symbolic=is_symbolic(batch_size))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _RebatchIterator(_UnbatchIterator(self._inputs[0]._iterator(ctx)), self._sizes, self._drop)


class _RebatchIterator(_BatchIterator):
    __slots__ = ("_sizes",)

    def __init__(self, source: Any, sizes: list, drop_remainder: bool) -> None:
        super().__init__(source, sizes[0], drop_remainder, _stack)
        self._sizes = itertools.cycle(sizes)

    def __next__(self) -> tuple:
        self._size = next(self._sizes)
        return super().__next__()


# -- windows ---------------------------------------------------------------------------------------------------------
class ListDataset(Dataset):
    """A dataset over elements already in memory (the windows of ``window`` and ``group_by_window``)."""

    _tf_name = "_VariantDataset"

    def __init__(self, element_spec: Any, elements: list) -> None:
        self._elements = elements
        super().__init__(element_spec)

    def _iterator(self, ctx: IteratorContext) -> Any:
        return iter(self._elements)

    def _cardinality(self) -> int:
        return len(self._elements)


class _WindowIterator(ElementIterator):
    def __init__(self, source: Any, specs: list, size: int, shift: int, stride: int, drop_remainder: bool) -> None:
        self._source = source
        self._specs = specs
        self._size, self._shift, self._stride, self._drop = size, shift, stride, drop_remainder
        self._buffer: dict[int, tuple] = {}
        self._read = 0
        self._start = 0
        self._input_done = False

    def __next__(self) -> tuple:
        span = self._stride * (self._size - 1) + 1
        while not self._input_done and self._read < self._start + span:
            try:
                element = next(self._source)
            except StopIteration:
                self._input_done = True
                close_iterator(self._source)
                break
            if self._read >= self._start:
                self._buffer[self._read] = element
            self._read += 1
        positions = [p for p in range(self._start, self._start + span, self._stride) if p < self._read]
        if not positions or (self._drop and len(positions) < self._size):
            self._buffer.clear()
            raise StopIteration
        elements = [self._buffer[p] for p in positions]
        self._start += self._shift
        for p in [p for p in self._buffer if p < self._start]:
            del self._buffer[p]
        return tuple(ListDataset(spec, [(e[i],) for e in elements]) for i, spec in enumerate(self._specs))

    def close(self) -> None:
        self._buffer.clear()
        close_iterator(self._source)


class WindowDataset(Dataset):
    """Windows of ``size`` elements starting every ``shift`` elements, taking every ``stride``-th element.

    Raises:
        InvalidArgumentError: a size, shift or stride below 1.
    """

    _tf_name = "_WindowDataset"

    def __init__(self, dataset: Dataset, size: Any, shift: Any, stride: Any, drop_remainder: bool) -> None:
        self._size = scalar_int(size, "size", 1)
        self._shift = self._size if shift is None else scalar_int(shift, "shift", 1)
        self._stride = scalar_int(stride, "stride", 1)
        for what, value in (("Window size", self._size), ("Window shift", self._shift),
                            ("Window stride", self._stride)):
            if value <= 0:
                raise InvalidArgumentError(None, None, f"{what} must be greater than zero, but got {value}.")
        self._drop = bool(drop_remainder)
        spec = nest.map_structure(DatasetSpec, dataset.element_spec)
        super().__init__(spec, inputs=(dataset,), symbolic=any(is_symbolic(v) for v in (size, shift, stride)))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _WindowIterator(self._inputs[0]._iterator(ctx), nest.flatten(self._inputs[0].element_spec),
                               self._size, self._shift, self._stride, self._drop)

    def _cardinality(self) -> int:
        n = self._input_cardinality()
        if n in (INFINITE, UNKNOWN):
            return n
        if self._drop:
            span = self._stride * (self._size - 1) + 1
            return 0 if n < span else (n - span) // self._shift + 1
        return -(-n // self._shift)


# -- group_by_window, bucket_by_sequence_length ---------------------------------------------------------------------
def _int64_scalar_function(func: Callable, spec: Any, what: str) -> StructuredFunction:
    function = StructuredFunction(func, spec, what)
    out = function.output_spec
    if not (isinstance(out, TensorSpec) and out.dtype == dtypes.int64 and out.shape.rank == 0):
        raise ValueError(f"Invalid `{what}`. `{what}` must return a single tf.int64 scalar tensor but its return "
                         f"type is {out}.")
    return function


class _GroupByWindowIterator(ElementIterator):
    def __init__(self, source: Any, owner: GroupByWindowDataset) -> None:
        self._source = source
        self._owner = owner
        self._groups: dict[int, list] = {}
        self._sizes: dict[int, int] = {}
        self._current = None
        self._input_done = False

    def _reduce(self, key: int) -> None:
        owner = self._owner
        window = ListDataset(owner._inputs[0].element_spec, self._groups.pop(key))
        self._sizes.pop(key, None)
        (dataset,) = owner._reduce_func((np.int64(key), window))
        self._current = dataset._element_iterator()

    def __next__(self) -> tuple:
        owner = self._owner
        while True:
            if self._current is not None:
                try:
                    return next(self._current)
                except StopIteration:
                    close_iterator(self._current)
                    self._current = None
            if self._input_done:
                if not self._groups:
                    raise StopIteration
                self._reduce(min(self._groups))
                continue
            try:
                element = next(self._source)
            except StopIteration:
                self._input_done = True
                close_iterator(self._source)
                continue
            key = int(owner._key_func(element)[0])
            group = self._groups.setdefault(key, [])
            if key not in self._sizes:
                self._sizes[key] = owner._window_size(key)
            group.append(element)
            if len(group) >= self._sizes[key]:
                self._reduce(key)

    def close(self) -> None:
        if self._current is not None:
            close_iterator(self._current)
            self._current = None
        self._groups.clear()
        close_iterator(self._source)


class GroupByWindowDataset(Dataset):
    """Elements grouped by an int64 key; each full window (or leftover group at the end, in key order) is turned
    into a dataset by ``reduce_func(key, window)``.

    Raises:
        ValueError: neither or both of ``window_size`` and ``window_size_func``, or functions of the wrong type.
    """

    _tf_name = "_GroupByWindowDataset"

    def __init__(self, dataset: Dataset, key_func: Callable, reduce_func: Callable, window_size: Any,
                 window_size_func: Callable | None) -> None:
        if (window_size is None) == (window_size_func is None):
            raise ValueError("Either the `window_size` argument or the `window_size_func` argument must be "
                             "specified." if window_size is None else "Either the `window_size` argument or the "
                             "`window_size_func` argument must be specified, but not both.")
        spec = dataset.element_spec
        key_spec = TensorSpec((), dtypes.int64)
        self._key_func = _int64_scalar_function(key_func, spec, "key_func")
        if window_size is not None:
            fixed = scalar_int(window_size, "window_size", 1)
            self._window_size: Callable[[int], int] = lambda key: fixed
        else:
            size_func = _int64_scalar_function(window_size_func, key_spec, "window_size_func")
            self._window_size = lambda key: int(size_func((np.int64(key),))[0])
        self._reduce_func = StructuredFunction(reduce_func, (key_spec, DatasetSpec(spec)), "reduce_func")
        out = self._reduce_func.output_spec
        if not isinstance(out, DatasetSpec):
            raise TypeError(f"Invalid `reduce_func`. `reduce_func` must return a single `tf.data.Dataset` object but "
                            f"its return type is {out}.")
        super().__init__(out.element_spec, inputs=(dataset,))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _GroupByWindowIterator(self._inputs[0]._iterator(ctx), self)


def bucket_by_sequence_length(dataset: Dataset, element_length_func: Callable, bucket_boundaries: list,
                              bucket_batch_sizes: list, padded_shapes: Any, padding_values: Any,
                              pad_to_bucket_boundary: bool, no_padding: bool, drop_remainder: bool) -> Dataset:
    """``Dataset.bucket_by_sequence_length``: ``group_by_window`` keyed by length bucket, then (padded) batches.

    Raises:
        ValueError: ``bucket_batch_sizes`` is not one longer than ``bucket_boundaries``.
    """
    import ndflow as tf

    boundaries = [int(b) for b in bucket_boundaries]
    sizes = [int(b) for b in bucket_batch_sizes]
    if len(sizes) != len(boundaries) + 1:
        raise ValueError(f"len(bucket_batch_sizes) must equal len(bucket_boundaries) + 1 but "
                         f"len(bucket_batch_sizes)={len(sizes)} and len(bucket_boundaries)={len(boundaries)}")
    if boundaries != sorted(boundaries):
        raise ValueError(f"bucket_boundaries must be sorted in increasing order, got {boundaries}.")

    def bucket_of(*element: Any) -> Any:
        length = tf.cast(element_length_func(*element), tf.int64)
        return tf.reduce_sum(tf.cast(tf.less_equal(tf.constant(boundaries, tf.int64), length), tf.int64))

    def batch_bucket(bucket: Any, window: Dataset) -> Dataset:
        symbolic = is_symbolic(bucket)  # while traced for its spec: sizes and boundaries are unknown
        index = None if symbolic else int(bucket)
        batch_size = tf.gather(tf.constant(sizes, tf.int64), bucket) if symbolic else sizes[index]
        if no_padding:
            return window.batch(batch_size, drop_remainder=drop_remainder)
        shapes = padded_shapes
        if pad_to_bucket_boundary:
            if index == len(boundaries):
                raise InvalidArgumentError(None, None, "When pad_to_bucket_boundary=True, elements must have length "
                                           "< max(bucket_boundaries).")
            limit = None if symbolic else boundaries[index] - 1
            specs = nest.flatten(window.element_spec)
            given = [s.shape for s in specs] if shapes is None else flatten_up_to(window.element_spec, shapes)
            shapes = nest.pack_sequence_as(window.element_spec, [
                TensorShape([limit if d is None or d == -1 else d for d in TensorShape(g).as_list()]) for g in given])
        return window.padded_batch(batch_size, shapes, padding_values, drop_remainder=drop_remainder)

    return dataset.group_by_window(bucket_of, batch_bucket, window_size_func=lambda bucket: tf.gather(
        tf.constant(sizes, tf.int64), bucket))
