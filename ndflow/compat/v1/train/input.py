"""TF1 queue-based input pipelines: producers (``string_input_producer`` …) and batching (``batch`` …).

Each function adds a queue and a ``QueueRunner`` (to ``GraphKeys.QUEUE_RUNNERS``) whose threads fill it once
``start_queue_runners`` runs; the dequeue tensors they return block until data arrives.
"""
from __future__ import annotations

import threading
from typing import Any

import numpy as np

from ...._core import dtypes, graph_variables
from ...._core.context import state
from ...._core.data_flow_ops import FIFOQueue, PaddingFIFOQueue, RandomShuffleQueue
from ...._core.errors import InvalidArgumentError, OutOfRangeError
from ...._core.execute import execute
from ...._core.graph import control_dependencies, name_scope
from ...._core.op import register
from ...._core.ops.array_ops import identity
from ...._core.shape import TensorShape
from ...._core.sparse_tensor import SparseTensor
from ...._core.tensor import Tensor, convert_to_tensor
from ...._core.variable import Variable
from ..variables import VariableV1
from .queue_runner import QueueRunner, add_queue_runner

__all__ = ["limit_epochs", "input_producer", "string_input_producer", "range_input_producer",
           "slice_input_producer", "match_filenames_once", "batch", "batch_join", "shuffle_batch",
           "shuffle_batch_join", "maybe_batch", "maybe_batch_join", "maybe_shuffle_batch", "maybe_shuffle_batch_join"]

_QUEUES_IN_EAGER = ("Input pipelines based on Queues are not supported when eager execution is enabled. Please "
                    "use tf.data to ingest data into your model instead.")
_count_lock = threading.Lock()


def _count_up_to_forward(xp, *, var, limit):
    with _count_lock:
        current = graph_variables._get(var)
        if current >= limit:
            raise OutOfRangeError(None, None, f"Reached limit of {limit}")
        graph_variables._set(var, np.asarray(current + 1, dtype=current.dtype))
    return np.asarray(current)


def _check_non_empty_forward(xp, value, *, message):
    if np.size(value) == 0:
        raise InvalidArgumentError(None, None, f"assertion failed: [{message}]")
    return value


CountUpTo = register("CountUpTo", _count_up_to_forward, stateful=True,
                     infer=lambda *, var, limit: [(TensorShape([]), var.dtype)])
CheckNonEmpty = register("CheckNonEmpty", _check_non_empty_forward, stateful=True,
                         infer=lambda spec, *, message: [spec])


def _local_variable(initial_value: Any, name: str) -> Variable:
    """A non-trainable variable in LOCAL_VARIABLES (initialized by ``local_variables_initializer``)."""
    return VariableV1(initial_value, trainable=False, name=name, validate_shape=False,
                      collections=[graph_variables.LOCAL_VARIABLES])


def _fill_summary(name: str, size: Tensor, capacity: int) -> None:
    """TF's scalar summary of how full an input queue is (``size / capacity``), in SUMMARIES."""
    from ...._core.ops.math_ops import cast
    from ..summary import scalar

    scalar(name, cast(size, dtypes.float32) * (1.0 / capacity))


def _require_graph(error: type) -> None:
    if state.graph is None:
        raise error(_QUEUES_IN_EAGER)


# ---------------------------------------------------------------------------------------------------------
# Producers


def limit_epochs(tensor: Any, num_epochs: int | None = None, name: str | None = None) -> Tensor:
    """``tensor``, which raises ``OutOfRangeError`` once it has been computed ``num_epochs`` times.

    The count lives in a local variable ``epochs``: run ``local_variables_initializer()`` first.

    Raises:
        ValueError: ``num_epochs`` not positive.
    """
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 not {num_epochs}.")
    with name_scope(name, "limit_epochs"):
        epochs = _local_variable(convert_to_tensor(0, dtype=dtypes.int64), "epochs")
        counter = execute(CountUpTo, (), {"var": epochs, "limit": int(num_epochs)})
        with control_dependencies([counter]):
            return identity(tensor)


def input_producer(input_tensor: Any, element_shape: Any = None, num_epochs: int | None = None,
                   shuffle: bool = True, seed: int | None = None, capacity: int = 32,
                   shared_name: str | None = None, summary_name: str | None = None, name: str | None = None,
                   cancel_op: Any = None) -> FIFOQueue:
    """A queue filled (by a QueueRunner) with the rows of ``input_tensor``, over and over.

    Args:
        num_epochs: stop (``OutOfRangeError``) after this many passes; None cycles forever.
        shuffle: shuffle the rows within each pass.

    Raises:
        RuntimeError: executing eagerly.
        ValueError: the element shape is not fully defined.
    """
    _require_graph(RuntimeError)
    with name_scope(name, "input_producer") as scope:
        input_tensor = convert_to_tensor(input_tensor)
        known = input_tensor.shape
        shape = TensorShape(None) if known.rank is None else TensorShape(known.dims[1:])
        if element_shape is not None:
            shape = shape.merge_with(TensorShape(element_shape))
        if not shape.is_fully_defined():
            raise ValueError("Either `input_tensor` must have a fully defined shape or `element_shape` must be "
                             "specified")
        if shuffle:
            from ...._core.ops.random_ops import shuffle as random_shuffle

            input_tensor = random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        queue = FIFOQueue(capacity, [input_tensor.dtype], shapes=[shape], shared_name=shared_name, name=scope)
        enqueue = queue.enqueue_many([input_tensor])
        add_queue_runner(QueueRunner(queue, [enqueue], cancel_op=cancel_op))
        if summary_name is not None:
            _fill_summary(summary_name, queue.size(), capacity)
        return queue


def string_input_producer(string_tensor: Any, num_epochs: int | None = None, shuffle: bool = True,
                          seed: int | None = None, capacity: int = 32, shared_name: str | None = None,
                          name: str | None = None, cancel_op: Any = None) -> FIFOQueue:
    """A queue of strings (usually file names) for a reader, shuffled each epoch unless ``shuffle=False``.

    Raises:
        ValueError: an empty list of strings.
    """
    not_null_err = "string_input_producer requires a non-null input tensor"
    if not isinstance(string_tensor, Tensor) and not isinstance(string_tensor, Variable) \
            and not np.size(np.asarray(string_tensor, dtype=object)):
        raise ValueError(not_null_err)
    _require_graph(RuntimeError)
    with name_scope(name, "input_producer") as scope:
        string_tensor = convert_to_tensor(string_tensor, dtype=dtypes.string)
        string_tensor = execute(CheckNonEmpty, (string_tensor,), {"message": not_null_err})
        return input_producer(string_tensor, [], num_epochs, shuffle, seed, capacity, shared_name,
                              f"fraction_of_{capacity}_full", scope, cancel_op)


def range_input_producer(limit: Any, num_epochs: int | None = None, shuffle: bool = True, seed: int | None = None,
                         capacity: int = 32, shared_name: str | None = None, name: str | None = None) -> FIFOQueue:
    """A queue of the integers ``0 … limit - 1`` (int32), shuffled each epoch unless ``shuffle=False``."""
    _require_graph(RuntimeError)
    from ...._core.ops.creation_ops import range as range_op

    with name_scope(name, "input_producer") as scope:
        return input_producer(range_op(limit), [], num_epochs, shuffle, seed, capacity, shared_name,
                              f"fraction_of_{capacity}_full", scope)


def slice_input_producer(tensor_list: list, num_epochs: int | None = None, shuffle: bool = True,
                         seed: int | None = None, capacity: int = 32, shared_name: str | None = None,
                         name: str | None = None) -> list:
    """One row of every tensor in ``tensor_list`` at a time (the same row index for all of them).

    Raises:
        ValueError: an empty ``tensor_list``.
    """
    _require_graph(RuntimeError)
    from ...._core.ops.array_ops import shape as shape_op
    from ...._core.ops.indexing_ops import gather

    with name_scope(name, "input_producer"):
        tensors = [convert_to_tensor(t) for t in tensor_list]
        if not tensors:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        queue = range_input_producer(shape_op(tensors[0])[0], num_epochs, shuffle, seed, capacity, shared_name)
        index = queue.dequeue()
        return [gather(t, index) for t in tensors]


def match_filenames_once(pattern: Any, name: str | None = None) -> Variable:
    """A local variable holding the file names matching the glob ``pattern`` (computed when initialized)."""
    from ....io import matching_files

    with name_scope(name, "matching_filenames") as scope:
        return _local_variable(matching_files(pattern), scope.rstrip("/").split("/")[-1])


# ---------------------------------------------------------------------------------------------------------
# Batching


def _as_tensor_list(tensors: Any) -> Any:
    if isinstance(tensors, dict):
        return [tensors[k] for k in sorted(tensors, key=str)]
    return tensors


def _as_tensor_list_list(tensors_list: list) -> list:
    if not tensors_list:
        raise ValueError("Expected at least one set of tensors")
    if isinstance(tensors_list[0], dict):
        keys = set(tensors_list[0])
        if any(set(t) != keys for t in tensors_list[1:]):
            raise ValueError("All dictionaries in tensors_list must have the same keys")
        return [_as_tensor_list(t) for t in tensors_list]
    return tensors_list


def _as_original_type(original: Any, dequeued: Any) -> Any:
    if isinstance(original, dict):
        values = dequeued if isinstance(dequeued, list) else [dequeued]
        return {k: values[i] for i, k in enumerate(sorted(original, key=str))}
    return dequeued


def _validate(tensor_list: Any, what: str) -> list:
    tensors = tensor_list if isinstance(tensor_list, (list, tuple)) else [tensor_list]
    if any(isinstance(t, SparseTensor) for t in tensors):
        raise NotImplementedError(f"{what} of SparseTensors is not supported yet")
    tensors = [convert_to_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError(f"Expected at least one tensor in {what}().")
    return tensors


def _dtypes(tensor_list_list: list) -> list:
    types = [t.dtype for t in tensor_list_list[0]]
    for other in tensor_list_list[1:]:
        other_types = [t.dtype for t in other]
        if other_types != types:
            raise TypeError(f"Expected types to be consistent: {', '.join(t.name for t in types)} vs. "
                            f"{', '.join(t.name for t in other_types)}.")
    return types


def _shapes(tensor_list_list: list, shapes: Any, enqueue_many: bool) -> list:
    """The per-component element shapes: ``shapes`` if given, else merged from the tensors."""
    if shapes is not None:
        return [TensorShape(s) for s in shapes]
    merged = []
    for i in range(len(tensor_list_list[0])):
        shape = None
        for tensors in tensor_list_list:
            s = tensors[i].shape
            if s.rank is None:
                raise ValueError(f"Cannot infer Tensor's rank: {tensors[i]}")
            if enqueue_many:
                if s.rank < 1:
                    raise ValueError(f"Shape {s} must have rank at least 1")
                s = TensorShape(s.dims[1:])
            shape = s if shape is None else shape.merge_with(s)
        merged.append(shape)
    return merged


def _validate_keep_input(keep_input: Any, enqueue_many: bool) -> Tensor | None:
    """The bool tensor deciding what to enqueue (None when everything is kept).

    Raises:
        ValueError: a ``keep_input`` of unknown or too high rank, or a vector without ``enqueue_many``.
    """
    if keep_input is True:
        return None
    keep = convert_to_tensor(keep_input, dtype=dtypes.bool)
    rank = keep.shape.rank
    if rank is None:
        raise ValueError("`keep_input` dimensions must be known at graph construction.")
    if not enqueue_many and rank == 1:
        raise ValueError("`keep_input` cannot be a vector when `enqueue_many=False`.")
    if rank > 1:
        raise ValueError("`keep_input` must be 0 or 1 dimensions.")
    return keep


def _batch_queue(original: Any, tensor_lists: list, what: str, scope: str, batch_size: Any, num_threads: int,
                 capacity: int, enqueue_many: bool, shapes: Any, dynamic_pad: bool, allow_smaller_final_batch: bool,
                 shared_name: str | None, keep_input: Any, min_after_dequeue: int | None = None,
                 seed: int | None = None) -> Any:
    """The queue behind every batching function: one runner enqueueing each of ``tensor_lists`` (one list
    from ``num_threads`` threads), dequeued in batches shaped like ``original``."""
    tensor_lists = [_validate(t, what) for t in tensor_lists]
    keep = _validate_keep_input(keep_input, enqueue_many)
    types = _dtypes(tensor_lists)
    shapes = _shapes(tensor_lists, shapes, enqueue_many)
    if min_after_dequeue is not None:
        queue = RandomShuffleQueue(capacity, min_after_dequeue, types, shapes=shapes, seed=seed,
                                   shared_name=shared_name)
    else:
        queue_type = PaddingFIFOQueue if dynamic_pad else FIFOQueue
        queue = queue_type(capacity, types, shapes=shapes, shared_name=shared_name)
    if keep is None:
        enqueue = queue.enqueue_many if enqueue_many else queue.enqueue
        enqueue_ops = [enqueue(tensors) for tensors in tensor_lists]
    else:
        enqueue_ops = [queue._enqueue_if(tensors, keep, enqueue_many) for tensors in tensor_lists]
    if len(tensor_lists) == 1:
        enqueue_ops *= num_threads
    add_queue_runner(QueueRunner(queue, enqueue_ops))
    if min_after_dequeue is None:
        _fill_summary(f"fraction_of_{capacity}_full", queue.size(), capacity)
    else:
        from ...._core.ops.math_ops import maximum

        retained = capacity - min_after_dequeue
        _fill_summary(f"fraction_over_{min_after_dequeue}_of_{retained}_full",
                      maximum(0, queue.size() - min_after_dequeue), retained)
    if allow_smaller_final_batch:
        dequeued = queue.dequeue_up_to(batch_size, name=scope)  # named like the scope (``batch:0``), as TF
    else:
        dequeued = queue.dequeue_many(batch_size, name=scope)
    return _as_original_type(original, dequeued)


def _check_capacity(capacity: int, min_after_dequeue: int) -> None:
    if capacity <= min_after_dequeue:
        raise ValueError(f"capacity {capacity} must be bigger than min_after_dequeue {min_after_dequeue}.")


def maybe_batch(tensors: Any, keep_input: Any, batch_size: Any, num_threads: int = 1, capacity: int = 32,
                enqueue_many: bool = False, shapes: Any = None, dynamic_pad: bool = False,
                allow_smaller_final_batch: bool = False, shared_name: str | None = None,
                name: str | None = None) -> Any:
    """``batch`` that enqueues only the examples for which the bool ``keep_input`` is true."""
    _require_graph(ValueError)
    with name_scope(name, "batch") as scope:
        return _batch_queue(tensors, [_as_tensor_list(tensors)], "batch", scope, batch_size, num_threads, capacity,
                            enqueue_many, shapes, dynamic_pad, allow_smaller_final_batch, shared_name, keep_input)


def batch(tensors: Any, batch_size: Any, num_threads: int = 1, capacity: int = 32, enqueue_many: bool = False,
          shapes: Any = None, dynamic_pad: bool = False, allow_smaller_final_batch: bool = False,
          shared_name: str | None = None, name: str | None = None) -> Any:
    """Batches of ``tensors`` (a list, tuple or dict of examples), filled by ``num_threads`` threads.

    Returns:
        The batched tensors in ``tensors``' structure (a single tensor for one component, as TF).

    Raises:
        ValueError: executing eagerly, no tensors, or a tensor of unknown rank.
    """
    return maybe_batch(tensors, True, batch_size, num_threads, capacity, enqueue_many, shapes, dynamic_pad,
                       allow_smaller_final_batch, shared_name, name)


def maybe_batch_join(tensors_list: list, keep_input: Any, batch_size: Any, capacity: int = 32,
                     enqueue_many: bool = False, shapes: Any = None, dynamic_pad: bool = False,
                     allow_smaller_final_batch: bool = False, shared_name: str | None = None,
                     name: str | None = None) -> Any:
    """``batch_join`` that enqueues only the examples for which ``keep_input`` is true."""
    _require_graph(ValueError)
    tensor_lists = _as_tensor_list_list(tensors_list)
    with name_scope(name, "batch_join") as scope:
        return _batch_queue(tensors_list[0], tensor_lists, "batch_join", scope, batch_size, 1, capacity,
                            enqueue_many, shapes, dynamic_pad, allow_smaller_final_batch, shared_name, keep_input)


def batch_join(tensors_list: list, batch_size: Any, capacity: int = 32, enqueue_many: bool = False,
               shapes: Any = None, dynamic_pad: bool = False, allow_smaller_final_batch: bool = False,
               shared_name: str | None = None, name: str | None = None) -> Any:
    """Batches mixing several example lists, one enqueue thread per list (e.g. one per reader)."""
    return maybe_batch_join(tensors_list, True, batch_size, capacity, enqueue_many, shapes, dynamic_pad,
                            allow_smaller_final_batch, shared_name, name)


def maybe_shuffle_batch(tensors: Any, batch_size: Any, capacity: int, min_after_dequeue: int, keep_input: Any,
                        num_threads: int = 1, seed: int | None = None, enqueue_many: bool = False,
                        shapes: Any = None, allow_smaller_final_batch: bool = False,
                        shared_name: str | None = None, name: str | None = None) -> Any:
    """``shuffle_batch`` that enqueues only the examples for which ``keep_input`` is true."""
    _require_graph(ValueError)
    with name_scope(name, "shuffle_batch") as scope:
        _check_capacity(capacity, min_after_dequeue)
        return _batch_queue(tensors, [_as_tensor_list(tensors)], "shuffle_batch", scope, batch_size, num_threads,
                            capacity, enqueue_many, shapes, False, allow_smaller_final_batch, shared_name,
                            keep_input, min_after_dequeue, seed)


def shuffle_batch(tensors: Any, batch_size: Any, capacity: int, min_after_dequeue: int, num_threads: int = 1,
                  seed: int | None = None, enqueue_many: bool = False, shapes: Any = None,
                  allow_smaller_final_batch: bool = False, shared_name: str | None = None,
                  name: str | None = None) -> Any:
    """Batches drawn at random from a ``RandomShuffleQueue`` holding at least ``min_after_dequeue`` examples.

    Raises:
        ValueError: executing eagerly, or ``capacity <= min_after_dequeue``.
    """
    return maybe_shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, True, num_threads, seed,
                               enqueue_many, shapes, allow_smaller_final_batch, shared_name, name)


def maybe_shuffle_batch_join(tensors_list: list, batch_size: Any, capacity: int, min_after_dequeue: int,
                             keep_input: Any, seed: int | None = None, enqueue_many: bool = False,
                             shapes: Any = None, allow_smaller_final_batch: bool = False,
                             shared_name: str | None = None, name: str | None = None) -> Any:
    """``shuffle_batch_join`` that enqueues only the examples for which ``keep_input`` is true."""
    _require_graph(ValueError)
    tensor_lists = _as_tensor_list_list(tensors_list)
    with name_scope(name, "shuffle_batch_join") as scope:
        _check_capacity(capacity, min_after_dequeue)
        return _batch_queue(tensors_list[0], tensor_lists, "shuffle_batch_join", scope, batch_size, 1, capacity,
                            enqueue_many, shapes, False, allow_smaller_final_batch, shared_name, keep_input,
                            min_after_dequeue, seed)


def shuffle_batch_join(tensors_list: list, batch_size: Any, capacity: int, min_after_dequeue: int,
                       seed: int | None = None, enqueue_many: bool = False, shapes: Any = None,
                       allow_smaller_final_batch: bool = False, shared_name: str | None = None,
                       name: str | None = None) -> Any:
    """``shuffle_batch`` over several example lists, one enqueue thread per list."""
    return maybe_shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, True, seed,
                                    enqueue_many, shapes, allow_smaller_final_batch, shared_name, name)
