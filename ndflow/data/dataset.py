"""``Dataset``: TF's ``tf.data.Dataset``: sources (``from_tensor_slices`` …) and chainable transformations.

Each method builds a new dataset object describing the pipeline; nothing runs until it is iterated. The classes
implementing the pieces live in ``sources``, ``transforms``, ``batching`` and ``threads``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._core import dtypes, nest
from .._core.context import state
from .._core.errors import InvalidArgumentError
from .._core.function import FuncGraph
from .._core.tensor import EagerTensor
from .core import INFINITE, UNKNOWN, ElementIterator, IteratorContext, close_iterator
from .options import Options
from .structure import make_packer

__all__ = ["Dataset", "SymbolicDataset"]


class Dataset:
    """A sequence of elements, each a nest (tuples, dicts) of tensors, built lazily and iterated in Python.

    Subclasses implement ``_iterator(ctx)`` (an element iterator) and ``_cardinality()``.
    """

    _is_ndflow_dataset = True
    _tf_name = "Dataset"
    _cuts_batches = False  # True where ``_batches(batch_size, drop_remainder)`` gives what ``batch`` iterates

    def __init__(self, element_spec: Any, inputs: tuple = (), symbolic: bool = False) -> None:
        self._element_spec = element_spec
        self._inputs = tuple(inputs)
        self._symbolic = symbolic or any(d._symbolic for d in self._inputs)
        self._own_options: Options | None = None

    # -- what every dataset implements ------------------------------------------------------------------------
    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        raise NotImplementedError

    def _cardinality(self) -> int:
        return UNKNOWN

    def _input_cardinality(self, index: int = 0) -> int:
        return self._inputs[index]._cardinality()

    # -- description -------------------------------------------------------------------------------------------
    @property
    def element_spec(self) -> Any:
        """The nest of ``TensorSpec`` (and ``DatasetSpec`` …) describing one element."""
        return self._element_spec

    def cardinality(self) -> EagerTensor:
        """The number of elements as an int64 scalar: ``INFINITE_CARDINALITY`` (-1) or ``UNKNOWN_CARDINALITY`` (-2)
        when not known without iterating."""
        return EagerTensor(np.int64(UNKNOWN if self._symbolic else self._cardinality()), dtypes.int64)

    def __len__(self) -> int:
        if state.graph is not None:
            raise TypeError("`tf.data.Dataset` only supports `len` in eager mode. Use "
                            "`tf.data.Dataset.cardinality()` instead.")
        n = self._cardinality()
        if n == INFINITE:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"<{self._tf_name} element_spec={self.element_spec}>"

    def options(self) -> Options:
        """The options of this dataset: those set with ``with_options`` here and upstream, merged."""
        merged = Options()
        for d in self._inputs:
            merged = merged.merge(d.options())
        return merged.merge(self._own_options) if self._own_options is not None else merged

    def with_options(self, options: Options, name: str | None = None) -> Dataset:
        """This dataset with ``options`` merged into its options."""
        from .transforms import OptionsDataset

        return OptionsDataset(self, options)

    # -- iteration ---------------------------------------------------------------------------------------------
    def __iter__(self):
        from .iterator import OwnedIterator

        graph = state.graph
        if graph is not None:
            if isinstance(graph, FuncGraph):
                raise NotImplementedError("iterating a Dataset inside ndflow.function is not supported yet")
            raise RuntimeError("`tf.data.Dataset` only supports Python-style iteration in eager mode or within "
                               "tf.function.")
        return OwnedIterator(self)

    def _element_iterator(self) -> ElementIterator:
        """A raw iterator over this dataset's element leaves (with this dataset's options)."""
        if self._symbolic:
            raise NotImplementedError("iterating a Dataset built from graph tensors is not supported yet")
        return self._iterator(IteratorContext(self.options()))

    def as_numpy_iterator(self):
        """An iterator giving elements as NumPy values (``bytes`` for string scalars).

        Raises:
            TypeError: an element holds something other than tensors (nested datasets …).
        """
        from .iterator import NumpyIterator
        from .structure import DatasetSpec

        for spec in nest.flatten(self.element_spec):
            if isinstance(spec, DatasetSpec):
                raise TypeError(f"Dataset.as_numpy_iterator() is not supported for datasets that produce values "
                                f"of type {spec.value_type}")
        return NumpyIterator(self)

    def make_one_shot_iterator(self):
        """TF1: an iterator whose ``get_next()`` is a graph op (in graph mode) or the next element (eagerly)."""
        from .iterator import make_one_shot_iterator

        return make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name: str | None = None):
        """TF1: an iterator with an ``initializer`` op that restarts it."""
        from .iterator import make_initializable_iterator

        return make_initializable_iterator(self)

    def get_single_element(self, name: str | None = None) -> Any:
        """The only element of the dataset.

        Raises:
            InvalidArgumentError: the dataset is empty or has more than one element.
        """
        if self._symbolic:
            from .functions import symbolic_result

            return symbolic_result(self.element_spec)
        iterator = self._element_iterator()
        try:
            try:
                first = next(iterator)
            except StopIteration:
                raise InvalidArgumentError(None, None, "Dataset was empty. [Op:DatasetToSingleElement]") from None
            try:
                next(iterator)
            except StopIteration:
                return make_packer(self.element_spec)(first)
            raise InvalidArgumentError(None, None, "Dataset had more than one element. [Op:DatasetToSingleElement]")
        finally:
            close_iterator(iterator)

    def reduce(self, initial_state: Any, reduce_func: Callable, name: str | None = None) -> Any:
        """Folds the elements into a state: ``state = reduce_func(state, element)`` for each element."""
        from .transforms import reduce_dataset

        return reduce_dataset(self, initial_state, reduce_func)

    # -- sources -----------------------------------------------------------------------------------------------
    @staticmethod
    def from_tensors(tensors: Any, name: str | None = None) -> Dataset:
        """A dataset of one element, ``tensors``."""
        from .sources import TensorDataset

        return TensorDataset(tensors)

    @staticmethod
    def from_tensor_slices(tensors: Any, name: str | None = None) -> Dataset:
        """A dataset of the slices of ``tensors`` along their first dimension."""
        from .sources import TensorSliceDataset

        return TensorSliceDataset(tensors)

    @staticmethod
    def from_generator(generator: Callable, output_types: Any = None, output_shapes: Any = None, args: Any = None,
                       output_signature: Any = None, name: str | None = None) -> Dataset:
        """A dataset of what ``generator(*args)`` yields (called again for each iteration)."""
        from .sources import GeneratorDataset

        return GeneratorDataset(generator, output_types, output_shapes, args, output_signature)

    @staticmethod
    def range(*args: Any, **kwargs: Any) -> Dataset:
        """``range(stop)``, ``range(start, stop[, step])`` as int64 (or ``output_type=``) scalars."""
        from .sources import RangeDataset

        return RangeDataset(*args, **kwargs)

    @staticmethod
    def counter(start: Any = 0, step: Any = 1, dtype: Any = dtypes.int64, name: str | None = None) -> Dataset:
        """The infinite sequence ``start, start + step, …``."""
        from .sources import RangeDataset

        return RangeDataset(start, None, step, output_type=dtype)

    @staticmethod
    def zip(*args: Any, datasets: Any = None, name: str | None = None) -> Dataset:
        """Elements of several datasets side by side (a nest of datasets gives the same nest of elements)."""
        from .sources import ZipDataset

        if datasets is not None and args:
            raise TypeError("Both `*args` and `datasets` cannot be set.")
        if datasets is None:
            if not args:
                raise TypeError("Must pass at least one dataset to `zip`.")
            datasets = args[0] if len(args) == 1 else args
        return ZipDataset(datasets)

    @staticmethod
    def list_files(file_pattern: Any, shuffle: bool | None = None, seed: int | None = None,
                   name: str | None = None) -> Dataset:
        """The file names matching ``file_pattern`` (a glob or a list of globs), shuffled unless ``shuffle=False``.

        Raises:
            InvalidArgumentError: nothing matches (raised when iterated, as TF does).
        """
        from .sources import list_files

        return list_files(file_pattern, shuffle, seed)

    @staticmethod
    def choose_from_datasets(datasets: list, choice_dataset: Dataset, stop_on_empty_dataset: bool = True) -> Dataset:
        """Elements taken from ``datasets[i]`` for each ``i`` that ``choice_dataset`` (int64 scalars) yields."""
        from .sources import choose_from_datasets

        return choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)

    @staticmethod
    def sample_from_datasets(datasets: list, weights: Any = None, seed: int | None = None,
                             stop_on_empty_dataset: bool = False, rerandomize_each_iteration: bool | None = None
                             ) -> Dataset:
        """Elements drawn at random from ``datasets``, each chosen with probability ``weights[i]``."""
        from .sources import sample_from_datasets

        return sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset, rerandomize_each_iteration)

    # -- element-wise transformations ------------------------------------------------------------------------
    def map(self, map_func: Callable, num_parallel_calls: int | None = None, deterministic: bool | None = None,
            synchronous: bool | None = None, use_unbounded_threadpool: bool = False, name: str | None = None
            ) -> Dataset:
        """``map_func`` applied to each element (on ``num_parallel_calls`` threads, order kept unless
        ``deterministic=False``)."""
        from .transforms import MapDataset

        return MapDataset(self, map_func, num_parallel_calls, deterministic)

    def filter(self, predicate: Callable, name: str | None = None) -> Dataset:
        """The elements for which ``predicate`` returns True (a scalar ``tf.bool``)."""
        from .transforms import FilterDataset

        return FilterDataset(self, predicate)

    def flat_map(self, map_func: Callable, name: str | None = None) -> Dataset:
        """The elements of the datasets ``map_func`` returns, one dataset after the other."""
        from .transforms import FlatMapDataset

        return FlatMapDataset(self, map_func)

    def interleave(self, map_func: Callable, cycle_length: int | None = None, block_length: int | None = None,
                   num_parallel_calls: int | None = None, deterministic: bool | None = None,
                   name: str | None = None) -> Dataset:
        """The datasets ``map_func`` returns, ``cycle_length`` at a time, taking ``block_length`` elements from
        each in turn."""
        from .transforms import InterleaveDataset

        return InterleaveDataset(self, map_func, cycle_length, block_length, num_parallel_calls, deterministic)

    def scan(self, initial_state: Any, scan_func: Callable, name: str | None = None) -> Dataset:
        """``scan_func(state, element) -> (new_state, output)`` carried over the elements; yields the outputs."""
        from .transforms import ScanDataset

        return ScanDataset(self, initial_state, scan_func)

    def enumerate(self, start: int = 0, name: str | None = None) -> Dataset:
        """``(index, element)`` pairs, indices counting from ``start`` (int64)."""
        from .sources import RangeDataset, ZipDataset

        return ZipDataset((RangeDataset(start, None), self))

    def apply(self, transformation_func: Callable[[Dataset], Dataset]) -> Dataset:
        """``transformation_func(self)``, which must return a dataset.

        Raises:
            TypeError: it returned something else.
        """
        result = transformation_func(self)
        if not isinstance(result, Dataset):
            raise TypeError(f"`transformation_func` must return a `tf.data.Dataset` object. Got {type(result)}.")
        return result

    # -- order and selection ---------------------------------------------------------------------------------
    def shuffle(self, buffer_size: Any, seed: int | None = None, reshuffle_each_iteration: bool = True,
                name: str | None = None) -> Dataset:
        """Elements drawn at random from a buffer of ``buffer_size`` (``buffer_size=1``: no shuffling)."""
        from .transforms import ShuffleDataset

        return ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count: Any = None, name: str | None = None) -> Dataset:
        """The dataset ``count`` times (forever for None or -1)."""
        from .transforms import RepeatDataset

        return RepeatDataset(self, count)

    def take(self, count: Any, name: str | None = None) -> Dataset:
        """The first ``count`` elements (all for -1)."""
        from .transforms import TakeDataset

        return TakeDataset(self, count)

    def skip(self, count: Any, name: str | None = None) -> Dataset:
        """All but the first ``count`` elements (none for -1)."""
        from .transforms import SkipDataset

        return SkipDataset(self, count)

    def take_while(self, predicate: Callable, name: str | None = None) -> Dataset:
        """The elements up to (not including) the first for which ``predicate`` is False."""
        from .transforms import TakeWhileDataset

        return TakeWhileDataset(self, predicate)

    def shard(self, num_shards: Any, index: Any, name: str | None = None) -> Dataset:
        """Every ``num_shards``-th element, starting at ``index``."""
        from .transforms import ShardDataset

        return ShardDataset(self, num_shards, index)

    def unique(self, name: str | None = None) -> Dataset:
        """The elements (int or string scalars) without repeats, in first-seen order."""
        from .transforms import UniqueDataset

        return UniqueDataset(self)

    def concatenate(self, dataset: Dataset, name: str | None = None) -> Dataset:
        """This dataset's elements, then ``dataset``'s."""
        from .sources import ConcatenateDataset

        return ConcatenateDataset(self, dataset)

    def ignore_errors(self, log_warning: bool = False, name: str | None = None) -> Dataset:
        """This dataset without the elements whose production raised an error."""
        from .transforms import IgnoreErrorsDataset

        return IgnoreErrorsDataset(self, log_warning)

    # -- batching --------------------------------------------------------------------------------------------
    def batch(self, batch_size: Any, drop_remainder: bool = False, num_parallel_calls: int | None = None,
              deterministic: bool | None = None, name: str | None = None) -> Dataset:
        """Consecutive elements stacked ``batch_size`` at a time (the last batch may be smaller unless
        ``drop_remainder``)."""
        from .batching import BatchDataset

        return BatchDataset(self, batch_size, drop_remainder, num_parallel_calls)

    def padded_batch(self, batch_size: Any, padded_shapes: Any = None, padding_values: Any = None,
                     drop_remainder: bool = False, name: str | None = None) -> Dataset:
        """Like ``batch``, padding each component to ``padded_shapes`` (default: the largest in the batch)."""
        from .batching import PaddedBatchDataset

        return PaddedBatchDataset(self, batch_size, padded_shapes, padding_values, drop_remainder)

    def unbatch(self, name: str | None = None) -> Dataset:
        """Splits each element along its first dimension into several elements."""
        from .batching import UnbatchDataset

        return UnbatchDataset(self)

    def rebatch(self, batch_size: Any, drop_remainder: bool = False, name: str | None = None) -> Dataset:
        """The batched elements regrouped into batches of ``batch_size`` (a list cycles through sizes)."""
        from .batching import RebatchDataset

        return RebatchDataset(self, batch_size, drop_remainder)

    def window(self, size: Any, shift: Any = None, stride: Any = 1, drop_remainder: bool = False,
               name: str | None = None) -> Dataset:
        """Windows of ``size`` elements (each a nest of datasets), starting every ``shift`` elements."""
        from .batching import WindowDataset

        return WindowDataset(self, size, shift, stride, drop_remainder)

    def group_by_window(self, key_func: Callable, reduce_func: Callable, window_size: Any = None,
                        window_size_func: Callable | None = None, name: str | None = None) -> Dataset:
        """Groups elements by ``key_func`` (int64); each full window of a group goes through
        ``reduce_func(key, window_dataset)``."""
        from .batching import GroupByWindowDataset

        return GroupByWindowDataset(self, key_func, reduce_func, window_size, window_size_func)

    def bucket_by_sequence_length(self, element_length_func: Callable, bucket_boundaries: list,
                                  bucket_batch_sizes: list, padded_shapes: Any = None, padding_values: Any = None,
                                  pad_to_bucket_boundary: bool = False, no_padding: bool = False,
                                  drop_remainder: bool = False, name: str | None = None) -> Dataset:
        """Padded batches of elements of similar length (``element_length_func``), one bucket per length range."""
        from .batching import bucket_by_sequence_length

        return bucket_by_sequence_length(self, element_length_func, bucket_boundaries, bucket_batch_sizes,
                                         padded_shapes, padding_values, pad_to_bucket_boundary, no_padding,
                                         drop_remainder)

    # -- performance -----------------------------------------------------------------------------------------
    def cache(self, filename: str = "", name: str | None = None) -> Dataset:
        """Keeps the elements of the first complete iteration in memory (or in files at ``filename``) and
        replays them in later iterations."""
        from .transforms import CacheDataset

        return CacheDataset(self, filename)

    def prefetch(self, buffer_size: Any, name: str | None = None) -> Dataset:
        """Prepares up to ``buffer_size`` elements ahead in a background thread."""
        from .threads import PrefetchDataset

        return PrefetchDataset(self, buffer_size)

    # -- TF1 properties --------------------------------------------------------------------------------------
    @property
    def output_types(self) -> Any:
        return nest.map_structure(lambda s: s.dtype if hasattr(s, "dtype") else type(s), self.element_spec)

    @property
    def output_shapes(self) -> Any:
        return nest.map_structure(lambda s: s.shape, self.element_spec)


class SymbolicDataset(Dataset):
    """A dataset argument while a function is traced: it has an element spec but no elements."""

    def __init__(self, element_spec: Any) -> None:
        super().__init__(element_spec, symbolic=True)
