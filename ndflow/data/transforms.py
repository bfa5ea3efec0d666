"""Transformations of a dataset's elements: map, filter, flat_map, interleave, scan, shuffle, repeat, take,
skip, shard, unique, ignore_errors, cache, options, and ``reduce``."""
from __future__ import annotations

import itertools
import logging
import os
import random
from typing import Any, Callable

import numpy as np

from .._core import dtypes, nest
from .._core.errors import FailedPreconditionError, InvalidArgumentError
from .._core.tensor_spec import TensorSpec
from .cache_format import CacheWriter, read_cache_file
from .core import AUTOTUNE, INFINITE, UNKNOWN, ElementIterator, IteratorContext, close_iterator
from .dataset import Dataset
from .functions import StructuredFunction, symbolic_result
from .options import Options
from .seeds import resolve_seeds
from .structure import DatasetSpec, describe, is_symbolic, make_packer, normalize, structure_spec, to_leaf

__all__ = ["MapDataset", "FilterDataset", "FlatMapDataset", "InterleaveDataset", "ScanDataset", "ShuffleDataset",
           "RepeatDataset", "TakeDataset", "SkipDataset", "TakeWhileDataset", "ShardDataset", "UniqueDataset",
           "IgnoreErrorsDataset", "OptionsDataset", "CacheDataset", "AssertCardinalityDataset", "reduce_dataset",
           "scalar_int"]

_log = logging.getLogger("ndflow.data")


def scalar_int(value: Any, what: str, symbolic: int | None = None) -> int:
    """A Python int from a Python/NumPy/tensor scalar argument; ``symbolic`` stands for a graph tensor (while a
    dataset function is traced only its datasets' specs matter).

    Raises:
        TypeError: not an integer scalar.
    """
    if is_symbolic(value):
        if symbolic is None:
            raise NotImplementedError(f"a graph tensor as `{what}` is not supported yet")
        return symbolic
    leaf = to_leaf(value)
    arr = np.asarray(leaf)
    if arr.ndim != 0 or arr.dtype.kind not in "iub":
        raise TypeError(f"Invalid `{what}`: expected an integer scalar, got {value!r}.")
    return int(arr)


def _parallelism(num_parallel_calls: Any) -> int | None:
    if num_parallel_calls is None:
        return None
    n = scalar_int(num_parallel_calls, "num_parallel_calls")
    if n != AUTOTUNE and n <= 0:
        raise ValueError(f"Invalid `num_parallel_calls`: it must be positive or `tf.data.AUTOTUNE`, got {n}.")
    return n


class _Passthrough(Dataset):
    """A transformation that keeps its input's element spec."""

    def __init__(self, dataset: Dataset, symbolic: bool = False) -> None:
        super().__init__(dataset.element_spec, inputs=(dataset,), symbolic=symbolic)


# -- map, filter ---------------------------------------------------------------------------------------------------
class _MapIterator(ElementIterator):
    __slots__ = ("_source", "_call")

    def __init__(self, source: Any, call: Callable) -> None:
        self._source = source
        self._call = call

    def __next__(self) -> tuple:
        return self._call(next(self._source))

    def close(self) -> None:
        close_iterator(self._source)


class MapDataset(Dataset):
    """Each element through ``map_func`` (in a thread pool with ``num_parallel_calls``)."""

    def __init__(self, dataset: Dataset, map_func: Callable, num_parallel_calls: Any, deterministic: Any) -> None:
        self._function = StructuredFunction(map_func, dataset.element_spec, "map_func")
        self._parallel = _parallelism(num_parallel_calls)
        self._deterministic = deterministic
        self._tf_name = "_MapDataset" if self._parallel is None else "_ParallelMapDataset"
        super().__init__(self._function.output_spec, inputs=(dataset,))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        source = self._inputs[0]._iterator(ctx)
        if self._parallel is None:
            return _MapIterator(source, self._function)
        from .threads import ParallelMapIterator

        workers = ctx.threadpool_size if self._parallel == AUTOTUNE else self._parallel
        deterministic = ctx.deterministic if self._deterministic is None else bool(self._deterministic)
        return ParallelMapIterator(source, self._function, workers, deterministic)

    def _cardinality(self) -> int:
        return self._input_cardinality()


def _predicate(func: Callable, spec: Any, what: str = "predicate") -> StructuredFunction:
    function = StructuredFunction(func, spec, what)
    out = function.output_spec
    if not (isinstance(out, TensorSpec) and out.dtype == dtypes.bool and out.shape.rank == 0):
        raise ValueError(f"Invalid `{what}`. `{what}` must return a `tf.bool` scalar tensor, but its return type is "
                         f"{out}.")
    return function


class _FilterIterator(ElementIterator):
    __slots__ = ("_source", "_keep")

    def __init__(self, source: Any, keep: Callable) -> None:
        self._source = source
        self._keep = keep

    def __next__(self) -> tuple:
        while True:
            element = next(self._source)
            if self._keep(element)[0]:
                return element

    def close(self) -> None:
        close_iterator(self._source)


class FilterDataset(_Passthrough):
    """The elements for which the predicate holds.

    Raises:
        ValueError: the predicate does not return a scalar bool.
    """

    _tf_name = "_FilterDataset"

    def __init__(self, dataset: Dataset, predicate: Callable) -> None:
        self._predicate = _predicate(predicate, dataset.element_spec)
        super().__init__(dataset)

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _FilterIterator(self._inputs[0]._iterator(ctx), self._predicate)


class _TakeWhileIterator(_FilterIterator):
    __slots__ = ()

    def __next__(self) -> tuple:
        if self._source is None:
            raise StopIteration
        element = next(self._source)
        if self._keep(element)[0]:
            return element
        self.close()
        raise StopIteration

    def close(self) -> None:
        if self._source is not None:
            close_iterator(self._source)
            self._source = None


class TakeWhileDataset(FilterDataset):
    """The elements before the first one for which the predicate fails."""

    _tf_name = "_TakeWhileDataset"

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _TakeWhileIterator(self._inputs[0]._iterator(ctx), self._predicate)


# -- flat_map, interleave -------------------------------------------------------------------------------------------
def _dataset_function(func: Callable, spec: Any) -> StructuredFunction:
    function = StructuredFunction(func, spec, "map_func")
    if not isinstance(function.output_spec, DatasetSpec):
        raise TypeError(f"The `map_func` argument must return a `Dataset` object. Got {function.output_spec}.")
    return function


class _FlatMapIterator(ElementIterator):
    __slots__ = ("_source", "_function", "_ctx", "_inner")

    def __init__(self, source: Any, function: StructuredFunction, ctx: IteratorContext) -> None:
        self._source = source
        self._function = function
        self._ctx = ctx
        self._inner = None

    def __next__(self) -> tuple:
        while True:
            if self._inner is None:
                (dataset,) = self._function(next(self._source))
                self._inner = dataset._element_iterator()
            try:
                return next(self._inner)
            except StopIteration:
                close_iterator(self._inner)
                self._inner = None

    def close(self) -> None:
        if self._inner is not None:
            close_iterator(self._inner)
            self._inner = None
        close_iterator(self._source)


class FlatMapDataset(Dataset):
    """The elements of the dataset ``map_func`` makes of each element, in order."""

    _tf_name = "_FlatMapDataset"

    def __init__(self, dataset: Dataset, map_func: Callable) -> None:
        self._function = _dataset_function(map_func, dataset.element_spec)
        super().__init__(self._function.output_spec.element_spec, inputs=(dataset,))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _FlatMapIterator(self._inputs[0]._iterator(ctx), self._function, ctx)


class _InterleaveIterator(ElementIterator):
    """TF's interleave order: ``cycle_length`` open iterators visited in turn, ``block_length`` elements each; an
    exhausted slot is refilled from the next input element when the cycle comes back to it."""

    def __init__(self, source: Any, open_element: Callable, cycle_length: int, block_length: int) -> None:
        self._source = source
        self._open = open_element
        self._slots: list = [None] * cycle_length
        self._block_length = block_length
        self._slot = 0
        self._taken = 0
        self._input_done = False

    def _advance(self) -> None:
        self._slot = (self._slot + 1) % len(self._slots)
        self._taken = 0

    def __next__(self) -> tuple:
        slots = self._slots
        while not self._input_done or any(s is not None for s in slots):
            current = slots[self._slot]
            if current is not None:
                try:
                    element = next(current)
                except StopIteration:
                    close_iterator(current)
                    slots[self._slot] = None
                    self._advance()
                    continue
                self._taken += 1
                if self._taken == self._block_length:
                    self._advance()
                return element
            if not self._input_done:
                try:
                    element = next(self._source)
                except StopIteration:
                    self._input_done = True
                    continue
                slots[self._slot] = self._open(element)
            else:
                self._advance()
        raise StopIteration

    def close(self) -> None:
        for i, s in enumerate(self._slots):
            if s is not None:
                close_iterator(s)
                self._slots[i] = None
        close_iterator(self._source)


class InterleaveDataset(Dataset):
    """Elements of the datasets ``map_func`` makes, taken from ``cycle_length`` of them in turn.

    With ``num_parallel_calls`` each open dataset is read ahead by its own thread; the order stays the same.
    """

    def __init__(self, dataset: Dataset, map_func: Callable, cycle_length: Any, block_length: Any,
                 num_parallel_calls: Any, deterministic: Any) -> None:
        self._function = _dataset_function(map_func, dataset.element_spec)
        self._cycle_length = AUTOTUNE if cycle_length is None else scalar_int(cycle_length, "cycle_length", 1)
        self._block_length = 1 if block_length is None else scalar_int(block_length, "block_length", 1)
        if self._cycle_length != AUTOTUNE and self._cycle_length <= 0:
            raise InvalidArgumentError(None, None, "cycle_length must be greater than zero.")
        if self._block_length <= 0:
            raise InvalidArgumentError(None, None, "block_length must be greater than zero.")
        self._parallel = _parallelism(num_parallel_calls)
        self._tf_name = "_InterleaveDataset" if self._parallel is None else "_ParallelInterleaveDataset"
        super().__init__(self._function.output_spec.element_spec, inputs=(dataset,),
                         symbolic=is_symbolic(cycle_length) or is_symbolic(block_length))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        cycle = ctx.threadpool_size if self._cycle_length == AUTOTUNE else self._cycle_length
        function = self._function

        if self._parallel is None:
            def open_element(element: tuple) -> Any:
                return function(element)[0]._element_iterator()
        else:
            from .threads import BackgroundIterator

            def open_element(element: tuple) -> Any:
                return BackgroundIterator(function(element)[0]._element_iterator(), 2 * self._block_length)

        return _InterleaveIterator(self._inputs[0]._iterator(ctx), open_element, cycle, self._block_length)


# -- stateful: scan, reduce ----------------------------------------------------------------------------------------
def _state_function(func: Callable, initial_state: Any, element_spec: Any, what: str, with_output: bool) -> tuple:
    """The traced ``func(state, element)`` with the state spec relaxed until it is stable (as TF retraces).

    Returns:
        (function, initial state leaves, state spec).

    Raises:
        TypeError: the new state's structure or dtypes differ from the initial state's.
    """
    structure = normalize(initial_state)
    leaves = tuple(nest.flatten(structure))
    state_spec = structure_spec(structure)
    for _ in range(8):
        function = StructuredFunction(func, (state_spec, element_spec), what)
        out = function.output_spec
        if with_output:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise TypeError("The scan function must return a pair comprising the new state and the output "
                                "value.")
            out = out[0]
        try:
            nest.assert_same_structure(state_spec, out)
        except (ValueError, TypeError):
            raise TypeError(f"The element classes for the new state must match the initial state. Expected "
                            f"{state_spec}; got {out}.") from None
        old, new = nest.flatten(state_spec), nest.flatten(out)
        if any(a.dtype != b.dtype for a, b in zip(old, new)):
            raise TypeError(f"The element types for the new state must match the initial state. Expected "
                            f"{nest.map_structure(lambda s: s.dtype, state_spec)}; got "
                            f"{nest.map_structure(lambda s: s.dtype, out)}.")
        relaxed = nest.pack_sequence_as(state_spec, [a.most_specific_compatible_type(b) for a, b in zip(old, new)])
        if describe(relaxed) == describe(state_spec):
            return function, leaves, state_spec
        state_spec = relaxed
    raise TypeError(f"The state of `{what}` did not reach a stable shape.")


class _ScanIterator(ElementIterator):
    __slots__ = ("_source", "_function", "_state")

    def __init__(self, source: Any, function: StructuredFunction, state: tuple) -> None:
        self._source = source
        self._function = function
        self._state = state

    def __next__(self) -> tuple:
        out = self._function(self._state + next(self._source))
        n = len(self._state)
        self._state = out[:n]
        return out[n:]

    def close(self) -> None:
        close_iterator(self._source)


class ScanDataset(Dataset):
    """The outputs of ``scan_func(state, element) -> (new_state, output)`` carried over the elements."""

    _tf_name = "_ScanDataset"

    def __init__(self, dataset: Dataset, initial_state: Any, scan_func: Callable) -> None:
        self._function, self._state, _ = _state_function(scan_func, initial_state, dataset.element_spec,
                                                         "scan_func", with_output=True)
        super().__init__(self._function.output_spec[1], inputs=(dataset,))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _ScanIterator(self._inputs[0]._iterator(ctx), self._function, self._state)

    def _cardinality(self) -> int:
        return self._input_cardinality()


def reduce_dataset(dataset: Dataset, initial_state: Any, reduce_func: Callable) -> Any:
    """``Dataset.reduce``: the final state, as eager tensors."""
    function, state, spec = _state_function(reduce_func, initial_state, dataset.element_spec, "reduce_func",
                                            with_output=False)
    if dataset._symbolic:
        return symbolic_result(spec)
    iterator = dataset._element_iterator()
    try:
        for element in iterator:
            state = function(state + element)
    finally:
        close_iterator(iterator)
    return make_packer(spec)(state)


# -- order ---------------------------------------------------------------------------------------------------------
class _ShuffleIterator(ElementIterator):
    __slots__ = ("_source", "_size", "_buffer", "_random", "_source_done")

    def __init__(self, source: Any, size: int, rng: random.Random) -> None:
        self._source = source
        self._size = size
        self._buffer: list = []
        self._random = rng.random
        self._source_done = False

    def __next__(self) -> tuple:
        buffer = self._buffer
        if not self._source_done:
            source = self._source
            try:
                while len(buffer) < self._size:
                    buffer.append(next(source))
            except StopIteration:
                self._source_done = True
                close_iterator(source)
        if not buffer:
            raise StopIteration
        i = int(self._random() * len(buffer))
        element = buffer[i]
        buffer[i] = buffer[-1]
        buffer.pop()
        return element

    def close(self) -> None:
        self._buffer.clear()
        close_iterator(self._source)


class ShuffleDataset(_Passthrough):
    """Elements drawn uniformly from a buffer of ``buffer_size`` that refills from the input.

    Raises:
        InvalidArgumentError: ``buffer_size`` below 1.
    """

    _tf_name = "_ShuffleDataset"

    def __init__(self, dataset: Dataset, buffer_size: Any, seed: Any, reshuffle_each_iteration: bool) -> None:
        self._size = scalar_int(buffer_size, "buffer_size", 1)
        if self._size <= 0:
            raise InvalidArgumentError(None, None, "buffer_size must be greater than zero. [Op:ShuffleDatasetV3]")
        self._seeds = resolve_seeds(None if seed is None else scalar_int(seed, "seed", 0))
        self._reshuffle = bool(reshuffle_each_iteration)
        self._epochs = itertools.count()
        super().__init__(dataset, symbolic=is_symbolic(buffer_size) or is_symbolic(seed))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        epoch = next(self._epochs) if self._reshuffle else 0
        rng = random.Random(f"shuffle:{self._seeds[0]}:{self._seeds[1]}:{epoch}")
        return _ShuffleIterator(self._inputs[0]._iterator(ctx), self._size, rng)

    def _cardinality(self) -> int:
        return self._input_cardinality()


class _RepeatIterator(ElementIterator):
    __slots__ = ("_dataset", "_ctx", "_count", "_epoch", "_current", "_produced")

    def __init__(self, dataset: Dataset, ctx: IteratorContext, count: int) -> None:
        self._dataset = dataset
        self._ctx = ctx
        self._count = count
        self._epoch = 0
        self._produced = False
        self._current = dataset._iterator(ctx) if count != 0 else None

    def __next__(self) -> tuple:
        while self._current is not None:
            try:
                element = next(self._current)
            except StopIteration:
                close_iterator(self._current)
                self._current = None
                self._epoch += 1
                # an epoch without elements ends an endless repeat instead of spinning forever
                if self._epoch == self._count or not self._produced:
                    break
                self._produced = False
                self._current = self._dataset._iterator(self._ctx)
                continue
            self._produced = True
            return element
        raise StopIteration

    def close(self) -> None:
        if self._current is not None:
            close_iterator(self._current)
            self._current = None


class RepeatDataset(_Passthrough):
    """The input ``count`` times (forever for -1)."""

    _tf_name = "_RepeatDataset"

    def __init__(self, dataset: Dataset, count: Any) -> None:
        self._count = -1 if count is None else scalar_int(count, "count", -1)
        super().__init__(dataset, symbolic=is_symbolic(count))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _RepeatIterator(self._inputs[0], ctx, self._count)

    def _cardinality(self) -> int:
        n, count = self._input_cardinality(), self._count
        if n == 0 or count == 0:
            return 0
        if count < 0 or n == INFINITE:
            return INFINITE
        return UNKNOWN if n == UNKNOWN else n * count


class _TakeIterator(ElementIterator):
    __slots__ = ("_source", "_left")

    def __init__(self, source: Any, count: int) -> None:
        self._source = source
        self._left = count

    def __next__(self) -> tuple:
        if self._left == 0:
            self.close()
            raise StopIteration
        element = next(self._source)
        self._left -= 1
        return element

    def close(self) -> None:
        close_iterator(self._source)


class TakeDataset(_Passthrough):
    """The first ``count`` elements (all of them for a negative count)."""

    _tf_name = "_TakeDataset"

    def __init__(self, dataset: Dataset, count: Any) -> None:
        self._count = scalar_int(count, "count", -1)
        super().__init__(dataset, symbolic=is_symbolic(count))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        source = self._inputs[0]._iterator(ctx)
        return source if self._count < 0 else _TakeIterator(source, self._count)

    def _cardinality(self) -> int:
        n, count = self._input_cardinality(), self._count
        if count < 0:
            return n
        if n == INFINITE:
            return count
        return UNKNOWN if n == UNKNOWN else min(n, count)


class _SkipIterator(ElementIterator):
    __slots__ = ("_source", "_left")

    def __init__(self, source: Any, count: int) -> None:
        self._source = source
        self._left = count

    def __next__(self) -> tuple:
        while self._left != 0:
            next(self._source)
            self._left -= 1
        return next(self._source)

    def close(self) -> None:
        close_iterator(self._source)


class SkipDataset(_Passthrough):
    """All but the first ``count`` elements (none for a negative count)."""

    _tf_name = "_SkipDataset"

    def __init__(self, dataset: Dataset, count: Any) -> None:
        self._count = scalar_int(count, "count", -1)
        super().__init__(dataset, symbolic=is_symbolic(count))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _SkipIterator(self._inputs[0]._iterator(ctx), self._count)

    def _cardinality(self) -> int:
        n, count = self._input_cardinality(), self._count
        if count < 0:
            return 0
        if n in (INFINITE, UNKNOWN):
            return n
        return max(0, n - count)


class _ShardIterator(ElementIterator):
    __slots__ = ("_source", "_num", "_index", "_position")

    def __init__(self, source: Any, num: int, index: int) -> None:
        self._source = source
        self._num = num
        self._index = index
        self._position = 0

    def __next__(self) -> tuple:
        while True:
            element = next(self._source)
            position = self._position
            self._position += 1
            if position % self._num == self._index:
                return element

    def close(self) -> None:
        close_iterator(self._source)


class ShardDataset(_Passthrough):
    """Elements ``index``, ``index + num_shards``, …

    Raises:
        InvalidArgumentError: ``num_shards`` below 1 or ``index`` outside ``[0, num_shards)``.
    """

    _tf_name = "_ShardDataset"

    def __init__(self, dataset: Dataset, num_shards: Any, index: Any) -> None:
        self._num = scalar_int(num_shards, "num_shards", 1)
        self._index = scalar_int(index, "index", 0)
        if self._num <= 0:
            raise InvalidArgumentError(None, None, f"Number of shards must be greater than zero (currently "
                                       f"num_shards = {self._num}). [Op:ShardDataset]")
        if not 0 <= self._index < self._num:
            raise InvalidArgumentError(None, None, f"Index must be between 0 and {self._num - 1} (currently index = "
                                       f"{self._index}). [Op:ShardDataset]")
        super().__init__(dataset, symbolic=is_symbolic(num_shards) or is_symbolic(index))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _ShardIterator(self._inputs[0]._iterator(ctx), self._num, self._index)

    def _cardinality(self) -> int:
        n = self._input_cardinality()
        if n in (INFINITE, UNKNOWN):
            return n
        return n // self._num + (1 if self._index < n % self._num else 0)


class _UniqueIterator(ElementIterator):
    __slots__ = ("_source", "_seen")

    def __init__(self, source: Any) -> None:
        self._source = source
        self._seen: set = set()

    def __next__(self) -> tuple:
        while True:
            element = next(self._source)
            key = element[0].item() if hasattr(element[0], "item") else element[0]
            if key not in self._seen:
                self._seen.add(key)
                return element

    def close(self) -> None:
        close_iterator(self._source)


class UniqueDataset(_Passthrough):
    """The first occurrence of each element (int32, int64 or string scalars).

    Raises:
        TypeError: elements of another kind.
    """

    _tf_name = "_UniqueDataset"

    def __init__(self, dataset: Dataset) -> None:
        spec = dataset.element_spec
        if not (isinstance(spec, TensorSpec) and spec.dtype in (dtypes.int32, dtypes.int64, dtypes.string)):
            raise TypeError(f"Unique transformation only supports int32, int64 and string elements; got {spec}.")
        if spec.shape.rank != 0:
            raise TypeError(f"Unique transformation only supports scalar elements; got {spec}.")
        super().__init__(dataset)

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _UniqueIterator(self._inputs[0]._iterator(ctx))


# -- errors, options, cardinality assertion -------------------------------------------------------------------------
class _IgnoreErrorsIterator(ElementIterator):
    __slots__ = ("_source", "_log")

    def __init__(self, source: Any, log: bool) -> None:
        self._source = source
        self._log = log

    def __next__(self) -> tuple:
        while True:
            try:
                return next(self._source)
            except StopIteration:
                raise
            except Exception as exc:  # noqa: BLE001 - dropping failed elements is the point
                if self._log:
                    _log.warning("Ignoring error: %s", exc)

    def close(self) -> None:
        close_iterator(self._source)


class IgnoreErrorsDataset(_Passthrough):
    """The input without the elements whose production raised."""

    _tf_name = "_IgnoreErrorsDataset"

    def __init__(self, dataset: Dataset, log_warning: bool) -> None:
        self._log = bool(log_warning)
        super().__init__(dataset)

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _IgnoreErrorsIterator(self._inputs[0]._iterator(ctx), self._log)


class OptionsDataset(_Passthrough):
    """The input with options attached."""

    _tf_name = "_OptionsDataset"

    def __init__(self, dataset: Dataset, options: Options) -> None:
        if not isinstance(options, Options):
            raise TypeError(f"Invalid `options`: expected a `tf.data.Options`, got {type(options)}.")
        super().__init__(dataset)
        self._own_options = options

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return self._inputs[0]._iterator(ctx)

    def _cardinality(self) -> int:
        return self._input_cardinality()


class _AssertCardinalityIterator(ElementIterator):
    __slots__ = ("_source", "_expected", "_seen")

    def __init__(self, source: Any, expected: int) -> None:
        self._source = source
        self._expected = expected
        self._seen = 0

    def __next__(self) -> tuple:
        try:
            element = next(self._source)
        except StopIteration:
            if self._expected != INFINITE and self._seen < self._expected:
                raise FailedPreconditionError(None, None, f"Input dataset was expected to contain {self._expected} "
                                              f"elements but contained only {self._seen} elements.") from None
            raise
        self._seen += 1
        if self._expected != INFINITE and self._seen > self._expected:
            raise FailedPreconditionError(None, None, f"Input dataset was expected to contain {self._expected} "
                                          f"elements but contained at least {self._seen} elements.")
        return element

    def close(self) -> None:
        close_iterator(self._source)


class AssertCardinalityDataset(_Passthrough):
    """The input, checked to have ``expected`` elements while iterated (which is then its cardinality)."""

    _tf_name = "_AssertCardinalityDataset"

    def __init__(self, dataset: Dataset, expected: Any) -> None:
        self._expected = scalar_int(expected, "expected_cardinality", UNKNOWN)
        super().__init__(dataset, symbolic=is_symbolic(expected))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _AssertCardinalityIterator(self._inputs[0]._iterator(ctx), self._expected)

    def _cardinality(self) -> int:
        return self._expected


# -- cache ----------------------------------------------------------------------------------------------------------
class _RecordingIterator(ElementIterator):
    """Reads the input while recording it; the recording is kept only if the input is read to its end."""

    __slots__ = ("_source", "_owner", "_recorded", "_file", "_writer", "_done")

    def __init__(self, source: Any, owner: CacheDataset) -> None:
        self._source = source
        self._owner = owner
        self._done = False
        self._recorded: list | None = [] if not owner._filename else None
        self._file = open(owner._filename + ".tmp", "wb") if owner._filename else None  # noqa: SIM115
        self._writer = CacheWriter(self._file) if self._file is not None else None

    def __next__(self) -> tuple:
        if self._done:
            raise StopIteration
        try:
            element = next(self._source)
        except StopIteration:
            self._done = True
            self._finish()
            raise
        if self._writer is not None:
            self._writer.write(element)
        else:
            self._recorded.append(element)
        return element

    def _finish(self) -> None:
        close_iterator(self._source)
        if self._file is not None:
            self._writer.finish()
            self._file.close()
            self._file = None
            os.replace(self._owner._filename + ".tmp", self._owner._data_file)
            with open(self._owner._filename + ".index", "wb"):
                pass
        else:
            self._owner._memory = self._recorded

    def close(self) -> None:
        if self._done:
            return
        self._done = True
        close_iterator(self._source)
        if self._file is not None:
            self._file.close()
            self._file = None
            os.remove(self._owner._filename + ".tmp")
        elif self._recorded:
            _log.warning("The calling iterator did not fully read the dataset being cached. In order to avoid "
                         "unexpected truncation of the dataset, the partially cached contents of the dataset will "
                         "be discarded.")


class CacheDataset(_Passthrough):
    """Replays the elements of the first complete iteration (kept in memory, or in files at ``filename``)."""

    _tf_name = "CacheDataset"

    def __init__(self, dataset: Dataset, filename: Any) -> None:
        name = to_leaf(filename, dtypes.string)
        name = name.item() if hasattr(name, "item") else name
        self._filename = name.decode() if isinstance(name, bytes) else str(name)
        self._data_file = self._filename + ".data-00000-of-00001"
        self._memory: list | None = None
        super().__init__(dataset)

    def _iterator(self, ctx: IteratorContext) -> Any:
        if self._memory is not None:
            return iter(self._memory)
        if self._filename and os.path.exists(self._filename + ".index"):
            return read_cache_file(self._data_file)
        return _RecordingIterator(self._inputs[0]._iterator(ctx), self)

    def _cardinality(self) -> int:
        return self._input_cardinality()
