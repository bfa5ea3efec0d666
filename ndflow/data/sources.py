"""Datasets that start pipelines or combine several: tensors, slices, ranges, generators, zip, concatenate,
``list_files`` and the directed interleaves behind ``choose_from_datasets`` / ``sample_from_datasets``."""
from __future__ import annotations

import glob
import itertools
import random
import traceback
from typing import Any, Callable

import numpy as np

from .._core import dtypes, nest
from .._core.errors import InvalidArgumentError, OpError, UnknownError
from .._core.shape import TensorShape
from .._core.tensor_spec import TensorSpec
from .core import INFINITE, UNKNOWN, ElementIterator, IteratorContext, close_iterator
from .dataset import Dataset
from .seeds import resolve_seeds
from .structure import flatten_up_to, is_symbolic, leaves_of, normalize, structure_spec, to_leaf, unbatched_spec

__all__ = ["TensorDataset", "TensorSliceDataset", "RangeDataset", "GeneratorDataset", "ZipDataset",
           "ConcatenateDataset", "DirectedInterleaveDataset", "list_files", "choose_from_datasets",
           "sample_from_datasets", "python_error"]


def _user_arrays(value: Any) -> set:
    """The ids of the NumPy arrays inside a Python structure given by the user."""
    if isinstance(value, np.ndarray):
        return {id(value)}
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return set().union(*(_user_arrays(v) for v in value)) if value else set()
    return set()


def _element_leaves(tensors: Any) -> tuple[Any, list]:
    """The normalized structure of ``tensors`` and its leaves, with copies of the caller's arrays (TF copies its
    input too, so later changes to them do not reach the dataset)."""
    structure = normalize(tensors)
    theirs = _user_arrays(tensors)
    leaves = [_read_only_copy(leaf) if isinstance(leaf, np.ndarray) and (id(leaf) in theirs or id(leaf.base) in theirs)
              else leaf for leaf in nest.flatten(structure)]
    return nest.pack_sequence_as(structure, leaves), leaves


def _read_only_copy(array: np.ndarray) -> np.ndarray:
    """A copy whose views (the elements handed out) cannot be written through."""
    copy = array.copy()
    copy.flags.writeable = False
    return copy


class TensorDataset(Dataset):
    """One element: the given tensors."""

    _tf_name = "_TensorDataset"

    def __init__(self, tensors: Any) -> None:
        structure, self._leaves = _element_leaves(tensors)
        super().__init__(structure_spec(structure), symbolic=any(is_symbolic(v) for v in self._leaves))

    def _iterator(self, ctx: IteratorContext) -> Any:
        return iter([tuple(self._leaves)])

    def _cardinality(self) -> int:
        return 1


def _row_iterator(leaf: Any) -> Any:
    if isinstance(leaf, np.ndarray) and leaf.dtype == object and leaf.ndim == 1:
        return (np.array(v, dtype=object) for v in leaf)
    return iter(leaf)


class TensorSliceDataset(Dataset):
    """The slices of the given tensors along their first dimension.

    Raises:
        ValueError: an empty structure, a scalar, or components with different first dimensions.
    """

    _tf_name = "_TensorSliceDataset"
    _cuts_batches = True

    def __init__(self, tensors: Any) -> None:
        structure, self._leaves = _element_leaves(tensors)
        if not self._leaves:
            raise ValueError("Invalid `element`. `element` should not be empty.")
        specs = nest.flatten(structure_spec(structure))
        sizes = set()
        for spec in specs:
            if spec.shape.rank == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
            if spec.shape.rank is not None and spec.shape[0] is not None:
                sizes.add(spec.shape[0])
        if len(sizes) > 1:
            a, b = sorted(sizes)[:2]
            raise ValueError(f"Dimensions {a} and {b} are not compatible")
        self._size = sizes.pop() if sizes else None
        element_spec = nest.pack_sequence_as(structure, [unbatched_spec(s, "from_tensor_slices") for s in specs])
        super().__init__(element_spec, symbolic=any(is_symbolic(v) for v in self._leaves))

    def _iterator(self, ctx: IteratorContext) -> Any:
        return zip(*[_row_iterator(leaf) for leaf in self._leaves])

    def _batches(self, batch_size: int, drop_remainder: bool) -> Any:
        """Batches cut straight from the arrays (what ``batch`` of these slices gives)."""
        n = self._size
        stop = n - n % batch_size if drop_remainder else n
        return (tuple(leaf[i:i + batch_size] for leaf in self._leaves) for i in range(0, stop, batch_size))

    def _cardinality(self) -> int:
        return UNKNOWN if self._size is None else self._size


def _range_args(args: tuple) -> tuple:
    if len(args) == 1:
        return 0, args[0], 1
    if len(args) == 2:
        return args[0], args[1], 1
    if len(args) == 3:
        return args
    raise ValueError(f"Invalid arguments to range: expected 1 to 3 arguments, got {len(args)}.")


class RangeDataset(Dataset):
    """``start, start + step, …`` up to ``stop`` (forever when ``stop`` is None), as ``output_type`` scalars.

    Raises:
        InvalidArgumentError: ``step`` is zero.
    """

    _tf_name = "_RangeDataset"

    def __init__(self, *args: Any, output_type: Any = dtypes.int64, name: str | None = None, **unknown: Any) -> None:
        start, stop, step = _range_args(args)
        self._dtype = dtypes.as_dtype(output_type)
        symbolic = any(is_symbolic(b) for b in (start, stop, step))
        if not symbolic:
            start, step = (int(to_leaf(v)) for v in (start, step))
            stop = None if stop is None else int(to_leaf(stop))
            if step == 0:
                raise InvalidArgumentError(None, None, "step must be a non-zero integer. [Op:RangeDataset]")
        self._start, self._stop, self._step = start, stop, step
        super().__init__(TensorSpec((), self._dtype), symbolic=symbolic)

    def _iterator(self, ctx: IteratorContext) -> Any:
        scalar = self._dtype.as_numpy_dtype
        if self._stop is None:
            return ((scalar(i),) for i in itertools.count(self._start, self._step))
        return _chunked_range(self._start, self._stop, self._step, scalar)

    def _cardinality(self) -> int:
        if self._symbolic:
            return UNKNOWN
        if self._stop is None:
            return INFINITE
        return len(range(self._start, self._stop, self._step))


def _chunked_range(start: int, stop: int, step: int, dtype: Any, chunk: int = 4096) -> Any:
    values = range(start, stop, step)
    for i in range(0, len(values), chunk):
        part = values[i:i + chunk]
        yield from zip(np.arange(part.start, part.stop, part.step, dtype=dtype))


# -- generators --------------------------------------------------------------------------------------------------
def _legacy_signature(output_types: Any, output_shapes: Any) -> Any:
    """TF1-style ``output_types`` and ``output_shapes`` (unknown shapes when absent) as a spec nest."""
    types = nest.flatten(output_types)
    shapes = [None] * len(types) if output_shapes is None else flatten_up_to(output_types, output_shapes)
    return nest.pack_sequence_as(output_types, [TensorSpec(TensorShape(s), t) for s, t in zip(shapes, types)])


def python_error(exc: BaseException) -> OpError:
    """TF's conversion of an exception raised by Python code inside the pipeline (a generator …)."""
    kind = InvalidArgumentError if isinstance(exc, (ValueError, TypeError)) else UnknownError
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return kind(None, None, f"{type(exc).__name__}: {exc}\n{trace}")


class _GeneratorIterator(ElementIterator):
    __slots__ = ("_generator", "_spec", "_done")

    def __init__(self, generator: Any, spec: Any) -> None:
        self._generator = generator
        self._spec = spec
        self._done = False

    def __next__(self) -> tuple:
        if self._done:
            raise StopIteration
        try:
            value = next(self._generator)
            return leaves_of(value, self._spec, "`generator` yielded")
        except StopIteration:
            self._done = True
            raise
        except Exception as exc:
            raise python_error(exc) from exc

    def close(self) -> None:
        self._done = True
        close_iterator(self._generator)


class GeneratorDataset(Dataset):
    """What ``generator(*args)`` yields, checked against ``output_signature`` (a new call per iteration).

    Raises:
        TypeError: ``generator`` is not callable, or no signature was given.
    """

    _tf_name = "_FlatMapDataset"

    def __init__(self, generator: Callable, output_types: Any, output_shapes: Any, args: Any,
                 output_signature: Any) -> None:
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        if output_signature is not None:
            if output_types is not None:
                raise TypeError("The `output_types` argument can not be used together with the `output_signature` "
                                "argument.")
            if output_shapes is not None:
                raise TypeError("The `output_shapes` argument can not be used together with the "
                                "`output_signature` argument.")
            spec = nest.map_structure(lambda s: s, output_signature)
            for s in nest.flatten(spec):
                if not isinstance(s, TensorSpec) and not getattr(s, "_is_type_spec", False):
                    raise TypeError(f"`output_signature` must contain objects that are subclass of `tf.TypeSpec` but "
                                    f"found {type(s)} which is not.")
        elif output_types is None:
            raise TypeError("To specify the output signature you need to provide either the `output_signature` "
                            "argument or the `output_types` argument.")
        else:
            types = nest.map_structure(dtypes.as_dtype, output_types)
            spec = _legacy_signature(types, output_shapes)
        self._generator = generator
        self._args = tuple(_generator_arg(a) for a in (args or ()))
        super().__init__(spec)

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        try:
            generator = iter(self._generator(*self._args))
        except Exception as exc:
            raise python_error(exc) from exc
        return _GeneratorIterator(generator, self.element_spec)


def _generator_arg(value: Any) -> Any:
    leaf = to_leaf(value)
    return leaf[()] if isinstance(leaf, np.ndarray) and leaf.ndim == 0 else leaf


# -- combining datasets ----------------------------------------------------------------------------------------
class _ZipIterator(ElementIterator):
    __slots__ = ("_iterators", "_done")

    def __init__(self, iterators: list) -> None:
        self._iterators = iterators
        self._done = False

    def __next__(self) -> tuple:
        if self._done:
            raise StopIteration
        parts = []
        try:
            for it in self._iterators:
                parts.append(next(it))
        except StopIteration:
            self._done = True
            self.close()
            raise
        if len(parts) == 2:
            return parts[0] + parts[1]
        return tuple(leaf for part in parts for leaf in part)

    def close(self) -> None:
        for it in self._iterators:
            close_iterator(it)


class ZipDataset(Dataset):
    """Elements of a nest of datasets, side by side, until the shortest ends.

    Raises:
        TypeError: a leaf of the nest is not a dataset.
    """

    _tf_name = "_ZipDataset"

    def __init__(self, datasets: Any) -> None:
        if isinstance(datasets, list):
            datasets = tuple(datasets)
        flat = nest.flatten(datasets)
        for d in flat:
            if not isinstance(d, Dataset):
                raise TypeError(f"Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                                f"`tf.data.Dataset` objects. Python `list` is not supported and you should use "
                                f"`tuple` instead. Received: {datasets}")
        self._datasets = datasets
        super().__init__(nest.map_structure(lambda d: d.element_spec, datasets), inputs=tuple(flat))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _ZipIterator([d._iterator(ctx) for d in self._inputs])

    def _cardinality(self) -> int:
        counts = [d._cardinality() for d in self._inputs]
        if UNKNOWN in counts:
            return UNKNOWN
        finite = [c for c in counts if c != INFINITE]
        return min(finite) if finite else INFINITE


class _ChainIterator(ElementIterator):
    """The elements of several datasets one after the other (each iterator made when reached)."""

    __slots__ = ("_datasets", "_ctx", "_current", "_index")

    def __init__(self, datasets: tuple, ctx: IteratorContext) -> None:
        self._datasets = datasets
        self._ctx = ctx
        self._index = 0
        self._current = datasets[0]._iterator(ctx)

    def __next__(self) -> tuple:
        while True:
            if self._current is None:
                raise StopIteration
            try:
                return next(self._current)
            except StopIteration:
                close_iterator(self._current)
                self._index += 1
                self._current = None
                if self._index < len(self._datasets):
                    self._current = self._datasets[self._index]._iterator(self._ctx)

    def close(self) -> None:
        if self._current is not None:
            close_iterator(self._current)
            self._current = None


class ConcatenateDataset(Dataset):
    """One dataset's elements followed by another's.

    Raises:
        TypeError: the element structures or dtypes differ.
    """

    _tf_name = "_ConcatenateDataset"

    def __init__(self, first: Dataset, second: Dataset) -> None:
        a, b = first.element_spec, second.element_spec
        try:
            nest.assert_same_structure(a, b)
        except (ValueError, TypeError):
            raise TypeError(f"Incompatible dataset elements:\n  {a} vs.   {b}") from None
        merged = []
        for x, y in zip(nest.flatten(a), nest.flatten(b)):
            if type(x) is not type(y) or getattr(x, "dtype", None) != getattr(y, "dtype", None):
                raise TypeError(f"Incompatible dataset elements:\n  {a} vs.   {b}")
            merged.append(x.most_specific_compatible_type(y) if isinstance(x, TensorSpec) else x)
        super().__init__(nest.pack_sequence_as(a, merged), inputs=(first, second))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _ChainIterator(self._inputs, ctx)

    def _cardinality(self) -> int:
        a, b = self._input_cardinality(0), self._input_cardinality(1)
        if INFINITE in (a, b):
            return INFINITE
        if UNKNOWN in (a, b):
            return UNKNOWN
        return a + b


# -- files -----------------------------------------------------------------------------------------------------
def list_files(file_pattern: Any, shuffle: bool | None, seed: int | None) -> Dataset:
    """The dataset behind ``Dataset.list_files``: the sorted matching names, then shuffled unless ``shuffle=False``.

    Raises:
        InvalidArgumentError: nothing matches.
    """
    leaf = to_leaf(file_pattern, dtypes.string)
    patterns = [p.decode() for p in np.asarray(leaf, dtype=object).reshape(-1)]
    names = sorted({name for p in patterns for name in glob.glob(p)})
    if not names:
        raise InvalidArgumentError(None, None, f"Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. "
                                   f"Summarized data: b'No files matched pattern: {', '.join(patterns)}'")
    files = TensorSliceDataset(np.array([n.encode() for n in names], dtype=object))
    return files if shuffle is False else files.shuffle(len(names), seed=seed)


# -- directed interleaves --------------------------------------------------------------------------------------
class _DirectedIterator(ElementIterator):
    __slots__ = ("_choices", "_inputs", "_live", "_stop_on_empty", "_done")

    def __init__(self, choices: Any, inputs: list, stop_on_empty: bool) -> None:
        self._choices = choices
        self._inputs = inputs
        self._live = [True] * len(inputs)
        self._stop_on_empty = stop_on_empty
        self._done = False

    def __next__(self) -> tuple:
        while not self._done:
            if not any(self._live):
                break
            try:
                (choice,) = next(self._choices)
            except StopIteration:
                break
            index = int(choice)
            if index < 0 or index >= len(self._inputs):
                raise InvalidArgumentError(None, None, f"Selector index out of range: {index} >= "
                                           f"{len(self._inputs)}")
            if not self._live[index]:
                continue
            try:
                return next(self._inputs[index])
            except StopIteration:
                self._live[index] = False
                close_iterator(self._inputs[index])
                if self._stop_on_empty:
                    break
        self._done = True
        self.close()
        raise StopIteration

    def close(self) -> None:
        close_iterator(self._choices)
        for it in self._inputs:
            close_iterator(it)


class DirectedInterleaveDataset(Dataset):
    """Elements of ``datasets[i]`` for each index ``i`` the selector dataset yields."""

    _tf_name = "_DirectedInterleaveDataset"

    def __init__(self, selector: Dataset, datasets: list, stop_on_empty: bool) -> None:
        spec = _common_spec(datasets)
        self._selector = selector
        self._stop_on_empty = stop_on_empty
        super().__init__(spec, inputs=(selector, *datasets))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        return _DirectedIterator(self._selector._iterator(ctx), [d._iterator(ctx) for d in self._inputs[1:]],
                                 self._stop_on_empty)


def _common_spec(datasets: list) -> Any:
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    spec = datasets[0].element_spec
    for d in datasets[1:]:
        other = d.element_spec
        try:
            nest.assert_same_structure(spec, other)
        except (ValueError, TypeError):
            raise TypeError(f"Invalid `datasets`. `datasets` must have compatible element specs.\n Dataset 0 "
                            f"element_spec={spec}.\nDataset {datasets.index(d)} element_spec={other}.") from None
        if any(getattr(x, "dtype", None) != getattr(y, "dtype", None)
               for x, y in zip(nest.flatten(spec), nest.flatten(other))):
            raise TypeError(f"Invalid `datasets`. `datasets` must have compatible element specs.\n Dataset 0 "
                            f"element_spec={spec}.\nDataset {datasets.index(d)} element_spec={other}.")
        spec = nest.map_structure(lambda x, y: x.most_specific_compatible_type(y) if isinstance(x, TensorSpec)
                                  else x, spec, other)
    return spec


def choose_from_datasets(datasets: list, choice_dataset: Dataset, stop_on_empty_dataset: bool) -> Dataset:
    """The dataset behind ``Dataset.choose_from_datasets``.

    Raises:
        TypeError: ``choice_dataset`` does not yield int64 scalars.
    """
    spec = choice_dataset.element_spec
    if not (isinstance(spec, TensorSpec) and spec.dtype == dtypes.int64 and spec.shape.rank == 0):
        raise TypeError(f"Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar `tf.int64` tensors "
                        f"but are {spec}.")
    return DirectedInterleaveDataset(choice_dataset, list(datasets), stop_on_empty_dataset)


class _WeightedChoices(Dataset):
    """Endless random indices drawn with probabilities ``weights`` (a new stream per iteration if asked)."""

    def __init__(self, weights: np.ndarray, seed: int | None, rerandomize: bool) -> None:
        self._weights = weights
        self._seeds = resolve_seeds(seed)
        self._rerandomize = rerandomize
        self._epochs = itertools.count()
        super().__init__(TensorSpec((), dtypes.int64))

    def _iterator(self, ctx: IteratorContext) -> Any:
        epoch = next(self._epochs) if self._rerandomize else 0
        rng = random.Random(f"sample:{self._seeds[0]}:{self._seeds[1]}:{epoch}")
        cumulative = list(itertools.accumulate(self._weights / self._weights.sum()))
        population = range(len(cumulative))
        return ((np.int64(rng.choices(population, cum_weights=cumulative)[0]),) for _ in itertools.count())

    def _cardinality(self) -> int:
        return INFINITE


def sample_from_datasets(datasets: list, weights: Any, seed: int | None, stop_on_empty_dataset: bool,
                         rerandomize_each_iteration: bool | None) -> Dataset:
    """The dataset behind ``Dataset.sample_from_datasets`` (an exhausted input drops out of the draws).

    Raises:
        ValueError: ``weights`` has the wrong length.
    """
    datasets = list(datasets)
    _common_spec(datasets)
    if isinstance(weights, Dataset):
        raise NotImplementedError("sample_from_datasets with a dataset of weights is not supported yet")
    if weights is None:
        w = np.ones(len(datasets), np.float64)
    else:
        w = np.asarray(to_leaf(weights), dtype=np.float64).reshape(-1)
        if len(w) != len(datasets):
            raise ValueError(f"Invalid `weights`. The shape of `weights` should be compatible with `[len(datasets)]` "
                             f"but is {list(w.shape)}.")
    if len(datasets) == 1:
        return datasets[0]
    choices = _WeightedChoices(w, seed, bool(rerandomize_each_iteration))
    return DirectedInterleaveDataset(choices, datasets, stop_on_empty_dataset)

