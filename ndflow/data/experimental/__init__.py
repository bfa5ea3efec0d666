"""``ndflow.data.experimental``: TF's ``tf.data.experimental`` (transformations in their older spelling,
cardinality helpers, option classes, ``Optional``, and the CSV readers)."""
from __future__ import annotations

from typing import Any, Callable

from ..core import AUTOTUNE
from ..core import INFINITE as INFINITE_CARDINALITY
from ..core import UNKNOWN as UNKNOWN_CARDINALITY
from ..dataset import Dataset
from ..iterator import Optional, get_next_as_optional
from ..options import (
    AutoShardPolicy,
    AutotuneAlgorithm,
    AutotuneOptions,
    DistributeOptions,
    ExternalStatePolicy,
    OptimizationOptions,
    ThreadingOptions,
)
from ..readers import CsvDataset, make_csv_dataset

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "AutoShardPolicy", "AutotuneAlgorithm",
           "AutotuneOptions", "DistributeOptions", "ExternalStatePolicy", "OptimizationOptions", "ThreadingOptions",
           "Optional", "get_next_as_optional", "cardinality", "assert_cardinality", "sample_from_datasets",
           "choose_from_datasets", "Counter", "enumerate_dataset", "group_by_window", "bucket_by_sequence_length",
           "ignore_errors", "unbatch", "scan", "shuffle_and_repeat", "map_and_batch", "parallel_interleave",
           "get_single_element", "take_while", "unique", "prefetch_to_device", "copy_to_device",
           "CsvDataset", "make_csv_dataset"]

_Transformation = Callable[[Dataset], Dataset]


def cardinality(dataset: Dataset) -> Any:
    """``dataset.cardinality()``."""
    return dataset.cardinality()


def assert_cardinality(expected_cardinality: Any) -> _Transformation:
    """A transformation declaring the dataset's cardinality, checked while it is iterated
    (``FailedPreconditionError`` when wrong)."""
    from ..transforms import AssertCardinalityDataset

    return lambda dataset: AssertCardinalityDataset(dataset, expected_cardinality)


sample_from_datasets = Dataset.sample_from_datasets
choose_from_datasets = Dataset.choose_from_datasets


def Counter(start: Any = 0, step: Any = 1, dtype: Any = None) -> Dataset:  # noqa: N802 - TF's name
    """The endless sequence ``start, start + step, …`` (int64 by default)."""
    from ..._core import dtypes

    return Dataset.counter(start, step, dtype or dtypes.int64)


def enumerate_dataset(start: int = 0) -> _Transformation:
    return lambda dataset: dataset.enumerate(start)


def group_by_window(key_func: Callable, reduce_func: Callable, window_size: Any = None,
                    window_size_func: Callable | None = None) -> _Transformation:
    return lambda dataset: dataset.group_by_window(key_func, reduce_func, window_size, window_size_func)


def bucket_by_sequence_length(element_length_func: Callable, bucket_boundaries: list, bucket_batch_sizes: list,
                              padded_shapes: Any = None, padding_values: Any = None,
                              pad_to_bucket_boundary: bool = False, no_padding: bool = False,
                              drop_remainder: bool = False) -> _Transformation:
    return lambda dataset: dataset.bucket_by_sequence_length(
        element_length_func, bucket_boundaries, bucket_batch_sizes, padded_shapes, padding_values,
        pad_to_bucket_boundary, no_padding, drop_remainder)


def ignore_errors(log_warning: bool = False) -> _Transformation:
    return lambda dataset: dataset.ignore_errors(log_warning)


def unbatch() -> _Transformation:
    return lambda dataset: dataset.unbatch()


def scan(initial_state: Any, scan_func: Callable) -> _Transformation:
    return lambda dataset: dataset.scan(initial_state, scan_func)


def shuffle_and_repeat(buffer_size: Any, count: Any = None, seed: Any = None) -> _Transformation:
    """``shuffle(buffer_size, seed)`` then ``repeat(count)`` (each repetition reshuffled)."""
    return lambda dataset: dataset.shuffle(buffer_size, seed).repeat(count)


def map_and_batch(map_func: Callable, batch_size: Any, num_parallel_batches: Any = None,
                  drop_remainder: bool = False, num_parallel_calls: Any = None) -> _Transformation:
    """``map(map_func)`` then ``batch(batch_size)``."""
    parallel = num_parallel_calls if num_parallel_calls is not None else num_parallel_batches
    return lambda dataset: dataset.map(map_func, num_parallel_calls=parallel).batch(batch_size, drop_remainder)


def parallel_interleave(map_func: Callable, cycle_length: int, block_length: int = 1, sloppy: bool = False,
                        buffer_output_elements: Any = None, prefetch_input_elements: Any = None) -> _Transformation:
    """``interleave`` with a read-ahead thread per open dataset."""
    return lambda dataset: dataset.interleave(map_func, cycle_length, block_length, num_parallel_calls=cycle_length,
                                              deterministic=not sloppy)


def get_single_element(dataset: Dataset) -> Any:
    return dataset.get_single_element()


def take_while(predicate: Callable) -> _Transformation:
    return lambda dataset: dataset.take_while(predicate)


def unique() -> _Transformation:
    return lambda dataset: dataset.unique()


def prefetch_to_device(device: str, buffer_size: Any = None) -> _Transformation:
    """``prefetch`` (there is one device)."""
    return lambda dataset: dataset.prefetch(AUTOTUNE if buffer_size is None else buffer_size)


def copy_to_device(target_device: str, source_device: str = "/cpu:0") -> _Transformation:
    """The dataset unchanged (there is one device)."""
    return lambda dataset: dataset
