"""TF1 queues: ``FIFOQueue``, ``RandomShuffleQueue``, ``PaddingFIFOQueue`` and ``PriorityQueue``.

A queue is a stateful resource. In a graph, the queue op (``FIFOQueueV2`` …) outputs a handle to the queue's
contents in the session that runs it, so each ``Session`` has its own queue, as in TF; eagerly the queue
object keeps its contents itself. The enqueue and dequeue kernels block on a ``threading.Condition`` until
there is room or data, so several threads may run ``Session.run`` on one queue at once (queue runners).
"""
from __future__ import annotations

import bisect
import functools
import itertools
import threading
from typing import Any

import numpy as np

from . import dtypes as dtypes_lib
from . import graph_variables
from .context import CPU_DEVICE, state
from .errors import CancelledError, InvalidArgumentError, OpError, OutOfRangeError
from .execute import execute
from .op import register
from .ops._helpers import object_scalar, shape_text
from .shape import TensorShape
from .tensor import Tensor, convert_to_tensor

__all__ = ["QueueBase", "FIFOQueue", "RandomShuffleQueue", "PaddingFIFOQueue", "PriorityQueue",
           "SessionResource", "resource_handle_op", "runtime_of", "name_exactly"]

# TF names each unshared resource "_<n>_<op name>" with a process-wide counter, counted when it is created.
_resource_ids = itertools.count()
_lookup_lock = threading.Lock()


class SessionResource:
    """A stateful object whose runtime state lives in the session that runs it (or on itself eagerly).

    Subclasses define ``_new_runtime(resource_name)`` and set ``_name`` and ``_shared_name``.
    """

    _name: str
    _shared_name: str | None = None

    def _runtime(self) -> Any:
        """The state of this resource in the running session (created on first use)."""
        store = graph_variables._session_store.current
        if store is None or self._graph is None:
            store = self.__dict__.setdefault("_eager_store", {})
        key = ("resource", self._shared_name) if self._shared_name else ("resource", id(self))
        with _lookup_lock:
            runtime = store.get(key)
            if runtime is None:
                resource_name = self._shared_name or (
                    f"_{next(_resource_ids)}_{self._name}" if self._graph is not None else str(next(_resource_ids)))
                runtime = store[key] = self._new_runtime(resource_name)
        return runtime

    def _new_runtime(self, resource_name: str) -> Any:
        raise NotImplementedError


class _Handle:
    """The value a resource op outputs: a reference to the resource's runtime state."""

    _is_variant = True

    def __init__(self, runtime: Any) -> None:
        self.runtime = runtime

    def __repr__(self) -> str:
        return (f'<ResourceHandle(name="{self.runtime.resource_name}", device="{CPU_DEVICE}", '
                f'container="localhost", type="{self.runtime.kind}")>')


def _handle_forward(xp, *, resource):
    return object_scalar(_Handle(resource._runtime()))


def _handle_spec(**attrs):
    return [(TensorShape([]), dtypes_lib.resource)]


# The resource ops, by TF's op type (FIFOQueueV2, TFRecordReaderV2 …): one kernel, registered on first use.
_handle_ops: dict = {}


def _handle_op(op_type: str) -> Any:
    with _lookup_lock:
        if op_type not in _handle_ops:
            _handle_ops[op_type] = register(op_type, _handle_forward, stateful=True, infer=_handle_spec)
        return _handle_ops[op_type]


def resource_handle_op(resource: SessionResource, op_name: str, name: str) -> Tensor:
    """Creates the op outputting ``resource``'s handle (named like TF's ``op_name`` node, e.g. FIFOQueueV2).

    Sets ``resource._graph`` (None when executing eagerly) and ``resource._name``: the last part of the op's
    name in a graph, the name scope (or "Empty") eagerly, as TF names queues.
    """
    graph = state.graph
    resource._graph = graph
    if graph is None:
        resource._name = "/".join(state.name_scopes) or "Empty"  # TF's name for an eager queue
        handle = execute(_handle_op(op_name), (), {"resource": resource})
        handle._dtype = dtypes_lib.resource
        return handle
    op = graph._add_op(_handle_op(op_name), (), {"resource": resource}, name.rstrip("/") or op_name,
                       _handle_spec())
    name_exactly(op, name)
    resource._name = op.name.split("/")[-1]
    return op.outputs[0]


def name_exactly(op: Any, name: str | None) -> None:
    """Renames ``op`` to ``name`` without its trailing "/" when ``name`` is a name scope (TF's ``name=scope``
    idiom gives the op exactly the scope's name), unless that name is taken."""
    if not name or not name.endswith("/") or name[:-1] in op.graph._by_name:
        return
    del op.graph._by_name[op.name]
    op.name = name[:-1]
    op.graph._by_name[op.name] = op


def runtime_of(handle: Any) -> Any:
    """The runtime state behind a handle array."""
    return handle[()].runtime


# ---------------------------------------------------------------------------------------------------------
# Queue contents


class _QueueRuntime:
    """The contents of one queue in one session: a list of elements (tuples of component arrays)."""

    kind = "tensorflow::QueueInterface"

    def __init__(self, queue: QueueBase, resource_name: str) -> None:
        self.queue = queue
        self.resource_name = resource_name
        self.items: list = []
        self.closed = False
        self.cancel_count = 0  # bumped by close(cancel_pending_enqueues=True)
        self.session_closed = False
        self.condition = threading.Condition()
        self.rng = np.random.RandomState(queue._seed) if queue._seed is not None else np.random.RandomState()
        self.order = itertools.count()

    def describe(self) -> str:
        return f"{self.queue._kind} '{self.resource_name}'"

    def enqueue(self, elements: list) -> None:
        """Appends ``elements`` one by one, waiting for room.

        Raises:
            CancelledError: the queue is closed, or its pending enqueues were cancelled while waiting.
        """
        with self.condition:
            if self.closed:
                raise CancelledError(None, None, f"{self.describe()} is closed.")
            cancel_count = self.cancel_count
            for element in elements:
                while len(self.items) >= self.queue._capacity:
                    if self.session_closed:
                        raise CancelledError(None, None, "Enqueue operation was cancelled")
                    self.condition.wait()
                    if self.cancel_count != cancel_count:
                        raise CancelledError(None, None, f"{self.describe()} is closed.")
                self.queue._insert(self, element)
                self.condition.notify_all()

    def dequeue(self, n: int, up_to: bool) -> list:
        """Takes ``n`` elements (fewer when ``up_to`` and the queue is closed), waiting for them.

        Raises:
            OutOfRangeError: the queue is closed and has too few elements.
        """
        with self.condition:
            while True:
                size = len(self.items)
                if self.closed:
                    if size >= n or (up_to and size > 0):
                        break
                    raise OutOfRangeError(None, None, f"{self.describe()} is closed and has insufficient "
                                                      f"elements (requested {n}, current size {size})")
                if size >= n + self.queue._min_after_dequeue:
                    break
                if self.session_closed:
                    raise CancelledError(None, None, "Dequeue operation was cancelled")
                self.condition.wait()
            taken = self.queue._take(self, min(n, len(self.items)))
            self.condition.notify_all()
            return taken

    def close(self, cancel_pending_enqueues: bool) -> None:
        with self.condition:
            self.closed = True
            if cancel_pending_enqueues:
                self.cancel_count += 1
            self.condition.notify_all()

    def cancel_blocked_ops(self) -> None:
        """Its session closed: blocked enqueues and dequeues fail with CancelledError."""
        with self.condition:
            self.session_closed = True
            self.condition.notify_all()


# ---------------------------------------------------------------------------------------------------------
# Kernels (input 0 is the queue handle)


def _element_specs(queue: QueueBase, batch: Any) -> list:
    return [(TensorShape([batch]).concatenate(s) if s.rank is not None else TensorShape(None), d)
            for s, d in zip(queue._shapes, queue._dtypes)]


def _check_shapes(queue: QueueBase, arrays: tuple, batched: bool) -> None:
    for i, (array, shape) in enumerate(zip(arrays, queue._shapes)):
        got = array.shape[1:] if batched else array.shape
        if not shape.is_compatible_with(got):
            expected = shape_text("?" if d is None else d for d in shape.dims)
            raise InvalidArgumentError(None, None, f"Shape mismatch in tuple component {i}. Expected {expected}, "
                                                   f"got {shape_text(got)}")


def _enqueue_forward(xp, handle, *components, many, keep_input=False):
    """Enqueues the components; with ``keep_input`` the last input is a bool deciding which to keep (a scalar
    for the whole call, or one per row with ``many``), as TF1's ``maybe_batch`` conditions its enqueue."""
    runtime = runtime_of(handle)
    queue = runtime.queue
    arrays = tuple(np.asarray(c) for c in components)
    keep = None
    if keep_input:
        arrays, keep = arrays[:-1], arrays[-1]
        if keep.ndim == 0 and not keep:
            return ()
    _check_shapes(queue, arrays, many)
    if many:
        sizes = {a.shape[0] if a.ndim else None for a in arrays}
        if len(sizes) != 1 or None in sizes:
            raise InvalidArgumentError(None, None, "Expected all components to have the same first dimension "
                                                   f"(batch size); got {[a.shape for a in arrays]}")
        rows = range(sizes.pop())
        if keep is not None and keep.ndim == 1:
            rows = [i for i in rows if keep[i]]
        elements = [tuple(np.array(a[i], dtype=a.dtype) for a in arrays) for i in rows]
    else:
        elements = [tuple(np.array(a) for a in arrays)]  # copies: the queue must not see later changes
    runtime.enqueue(elements)
    return ()


def _dequeue_forward(xp, handle, *maybe_n, n, batched, up_to, specs):
    runtime = runtime_of(handle)
    queue = runtime.queue
    if not batched:
        return tuple(np.asarray(c) for c in runtime.dequeue(1, False)[0])
    count = int(maybe_n[0]) if maybe_n else n
    if count < 0:
        raise InvalidArgumentError(None, None, f"DequeueMany requested {count} < 0 elements")
    if not queue._batchable():
        raise InvalidArgumentError(None, None, f"{queue._kind}'s DequeueMany and DequeueUpTo require the "
                                               "components to have specified shapes.")
    taken = runtime.dequeue(count, up_to) if count else []
    return tuple(queue._stack([element[i] for element in taken], i) for i in range(len(queue._dtypes)))


def _close_forward(xp, handle, *, cancel_pending_enqueues):
    runtime_of(handle).close(cancel_pending_enqueues)
    return ()


def _size_forward(xp, handle):
    return np.asarray(len(runtime_of(handle).items), dtype=np.int32)


def _is_closed_forward(xp, handle):
    return np.asarray(runtime_of(handle).closed)


def _no_outputs(*specs, **attrs):
    return []


def _dequeue_specs(*specs, **attrs):
    return attrs["specs"]


# One kernel each for enqueueing and dequeueing; the op names are TF's (they show in graphs and errors).
QueueEnqueue = register("QueueEnqueueV2", _enqueue_forward, stateful=True, num_outputs=0, infer=_no_outputs)
QueueEnqueueMany = register("QueueEnqueueManyV2", _enqueue_forward, stateful=True, num_outputs=0,
                            infer=_no_outputs)
QueueDequeue = register("QueueDequeueV2", _dequeue_forward, stateful=True, num_outputs=None, infer=_dequeue_specs)
QueueDequeueMany = register("QueueDequeueManyV2", _dequeue_forward, stateful=True, num_outputs=None,
                            infer=_dequeue_specs)
QueueDequeueUpTo = register("QueueDequeueUpToV2", _dequeue_forward, stateful=True, num_outputs=None,
                            infer=_dequeue_specs)
QueueClose = register("QueueCloseV2", _close_forward, stateful=True, num_outputs=0, infer=_no_outputs)
QueueSize = register("QueueSizeV2", _size_forward, stateful=True,
                     infer=lambda *specs: [(TensorShape([]), dtypes_lib.int32)])
QueueIsClosed = register("QueueIsClosedV2", _is_closed_forward, stateful=True,
                         infer=lambda *specs: [(TensorShape([]), dtypes_lib.bool)])


def _select_forward(xp, index, *handles):
    i = int(index)
    if not 0 <= i < len(handles):
        raise InvalidArgumentError(None, None, f"indices = {i} is not in [0, {len(handles)})")
    return handles[i]


# ``QueueBase.from_list``: the handle of the queue chosen by a run-time index (TF stacks and gathers them).
SelectQueue = register("SelectQueue", _select_forward, stateful=True, infer=lambda *specs: _handle_spec())


# ---------------------------------------------------------------------------------------------------------
# Python API


def _as_shapes(shapes: Any, dtypes: list) -> list:
    """One ``TensorShape`` per component (unknown when ``shapes`` is None).

    Raises:
        InvalidArgumentError: a different number of shapes than dtypes (TF's kernel message).
    """
    if shapes is None:
        return [TensorShape(None)] * len(dtypes)
    shapes = [TensorShape(s) for s in shapes]
    if len(shapes) != len(dtypes):
        raise InvalidArgumentError(None, None, "Different number of component types.  Types: "
                                               f"{', '.join(d.name for d in dtypes)}, Shapes: "
                                               f"[{' '.join(str(s.as_list()) for s in shapes)}]")
    return shapes


def _common_shape(shapes: list) -> TensorShape:
    """The most specific shape all of ``shapes`` satisfy (dims that differ become unknown)."""
    return functools.reduce(TensorShape.most_specific_compatible_shape, shapes)


class QueueBase(SessionResource):
    """The methods every queue has (TF's ``tf.queue.QueueBase``).

    Subclasses set ``_kind`` (TF's kernel name for messages) and the ordering hooks ``_insert``/``_take``.
    """

    _kind = "Queue"
    _min_after_dequeue = 0
    _seed: int | None = None

    def __init__(self, capacity: int, dtypes: Any, shapes: Any, names: Any, shared_name: str | None,
                 name: str, op_name: str) -> None:
        dtypes = [dtypes_lib.as_dtype(d) for d in (dtypes if isinstance(dtypes, (list, tuple)) else [dtypes])]
        if names is not None:
            names = list(names) if isinstance(names, (list, tuple)) else [names]
            if len(names) != len(dtypes):
                raise ValueError("List of names must have the same length as the list of dtypes, received "
                                 f"len(names)={len(names)},len(dtypes)={len(dtypes)}")
        self._shapes = _as_shapes(shapes, dtypes)
        self._dtypes = dtypes
        self._names = names
        self._capacity = int(capacity)
        self._shared_name = shared_name or None
        self._queue_ref = resource_handle_op(self, op_name, name)

    def _new_runtime(self, resource_name: str) -> _QueueRuntime:
        return _QueueRuntime(self, resource_name)

    # -- properties ----------------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The queue op's full name in a graph (``batch/fifo_queue``); eagerly its name scope or "Empty"."""
        return self._name if self._graph is None else self._queue_ref.op.name

    @property
    def queue_ref(self) -> Tensor:
        return self._queue_ref

    @property
    def dtypes(self) -> list:
        return list(self._dtypes)

    @property
    def shapes(self) -> list:
        return list(self._shapes)

    @property
    def names(self) -> list | None:
        return None if self._names is None else list(self._names)

    @staticmethod
    def from_list(index: Any, queues: list) -> QueueBase:
        """A queue that is whichever of ``queues`` the int32 ``index`` picks when each op runs.

        Raises:
            TypeError: not a list of queues, or queues with different dtypes or names.
        """
        if not queues or not isinstance(queues, list) or not all(isinstance(q, QueueBase) for q in queues):
            raise TypeError("A list of queues expected")
        first = queues[0]
        if any(q.dtypes != first.dtypes for q in queues[1:]):
            raise TypeError("Queues do not have matching component dtypes.")
        if any(q.names != first.names for q in queues[1:]):
            raise TypeError("Queues do not have matching component names.")
        selected = QueueBase.__new__(QueueBase)
        selected._dtypes, selected._names = first.dtypes, first.names
        selected._shapes = [_common_shape([q.shapes[i] for q in queues]) for i in range(len(first.dtypes))]
        selected._graph = state.graph
        selected._queue_ref = execute(SelectQueue, (convert_to_tensor(index, dtype=dtypes_lib.int32),
                                                    *[q.queue_ref for q in queues]))
        selected._name = "Empty" if state.graph is None else selected._queue_ref.op.name.split("/")[-1]
        return selected

    # -- ordering hooks ------------------------------------------------------------------------------------
    def _insert(self, runtime: _QueueRuntime, element: tuple) -> None:
        runtime.items.append(element)

    def _take(self, runtime: _QueueRuntime, n: int) -> list:
        taken = runtime.items[:n]
        del runtime.items[:n]
        return taken

    def _batchable(self) -> bool:
        return all(s.is_fully_defined() for s in self._shapes)

    def _stack(self, values: list, component: int) -> np.ndarray:
        if not values:
            shape = (0,) + tuple(d or 0 for d in self._shapes[component].as_list())
            return np.zeros(shape, dtype=object if self._dtypes[component] is dtypes_lib.string
                            else self._dtypes[component].as_numpy_dtype)
        return np.stack([np.asarray(v) for v in values])

    # -- ops -----------------------------------------------------------------------------------------------
    def _op_name(self, name: str | None, suffix: str) -> str:
        return name or f"{self._name}_{suffix}"

    def _components(self, vals: Any, many: bool) -> list:
        """``vals`` (a tensor, list/tuple, or dict by name) as converted tensors checked against the queue."""
        if isinstance(vals, dict):
            if not self._names:
                raise ValueError("Queue must have names to enqueue a dictionary")
            if sorted(self._names) != sorted(vals):
                raise ValueError(f"Keys in dictionary to enqueue do not match names of Queue.  Dictionary: "
                                 f"{sorted(vals)},Queue: {sorted(self._names)}")
            vals = [vals[k] for k in self._names]
        else:
            if self._names:
                raise ValueError("You must enqueue a dictionary in a Queue with names")
            if not isinstance(vals, (list, tuple)):
                vals = [vals]
        if len(vals) != len(self._dtypes):
            raise ValueError(f"Expected {len(self._dtypes)} components for queue '{self._name}', got {len(vals)}")
        tensors = [convert_to_tensor(v, dtype=d) for v, d in zip(vals, self._dtypes)]
        for tensor, shape in zip(tensors, self._shapes):
            got = tensor.shape
            if many:
                if got.rank == 0:
                    raise ValueError(f"Shape {got} must have rank at least 1")
                got = TensorShape(None) if got.rank is None else TensorShape(got.dims[1:])
            got.assert_is_compatible_with(shape)
        return tensors

    def _execute(self, opdef: Any, inputs: tuple, attrs: dict, name: str, eager_name: str | None = None) -> Any:
        """Adds ``opdef`` to the graph (returning the op when it has no outputs) or runs it eagerly.

        Eager errors end with TF's ``[Op:<type>] name: <name>``.
        """
        graph = state.graph
        if graph is not None:
            out = execute(opdef, inputs, attrs, name=name.rstrip("/"))
            op = graph._ops[-1] if opdef.num_outputs == 0 else out[0].op
            name_exactly(op, name)
            return op if opdef.num_outputs == 0 else out
        try:
            out = execute(opdef, inputs, attrs)
        except OpError as exc:
            shown = name if eager_name is None else eager_name
            raise type(exc)(None, None, f"{exc.message} [Op:{opdef.name}] name: {shown}") from None
        return None if opdef.num_outputs == 0 else out

    def enqueue(self, vals: Any, name: str | None = None) -> Any:
        """Adds one element (blocks while the queue is full); an op in a graph, None eagerly."""
        tensors = self._components(vals, False)
        return self._execute(QueueEnqueue, (self._queue_ref, *tensors), {"many": False},
                             self._op_name(name, "enqueue"), name or "")

    def enqueue_many(self, vals: Any, name: str | None = None) -> Any:
        """Adds the slices of ``vals`` along dimension 0 as separate elements."""
        tensors = self._components(vals, True)
        return self._execute(QueueEnqueueMany, (self._queue_ref, *tensors), {"many": True},
                             self._op_name(name, "EnqueueMany"), name or "")

    def _enqueue_if(self, vals: Any, keep_input: Tensor, many: bool) -> Any:
        """An enqueue op that keeps only what the bool ``keep_input`` allows (scalar, or per row when ``many``)."""
        tensors = self._components(vals, many)
        opdef, suffix = (QueueEnqueueMany, "EnqueueMany") if many else (QueueEnqueue, "enqueue")
        return self._execute(opdef, (self._queue_ref, *tensors, keep_input), {"many": many, "keep_input": True},
                             self._op_name(None, suffix))

    def _dequeue(self, n: Any, up_to: bool, name: str) -> Any:
        inputs: tuple = (self._queue_ref,)
        static_n = None
        if n is not None:
            if isinstance(n, Tensor):
                inputs += (convert_to_tensor(n, dtype=dtypes_lib.int32),)
            else:
                static_n = int(n)
        batched = n is not None
        batch_dim = None if (up_to or static_n is None) else static_n
        specs = _element_specs(self, batch_dim) if batched else list(zip(self._shapes, self._dtypes))
        opdef = QueueDequeueUpTo if up_to else QueueDequeueMany if batched else QueueDequeue
        outs = self._execute(opdef, inputs, {"n": static_n, "batched": batched, "up_to": up_to, "specs": specs},
                             name)
        return self._as_structure(list(outs))

    def _as_structure(self, tensors: list) -> Any:
        if self._names:
            return dict(zip(self._names, tensors))
        return tensors[0] if len(tensors) == 1 else tensors

    def dequeue(self, name: str | None = None) -> Any:
        """Removes one element (blocks while empty).

        Raises (when run):
            OutOfRangeError: the queue is closed and empty.
        """
        return self._dequeue(None, False, self._op_name(name, "Dequeue"))

    def dequeue_many(self, n: Any, name: str | None = None) -> Any:
        """Removes ``n`` elements, concatenated along a new first dimension (blocks until there are ``n``)."""
        return self._dequeue(n, False, self._op_name(name, "DequeueMany"))

    def dequeue_up_to(self, n: Any, name: str | None = None) -> Any:
        """Like ``dequeue_many``, but once the queue is closed returns the fewer elements that remain."""
        return self._dequeue(n, True, self._op_name(name, "DequeueUpTo"))

    def close(self, cancel_pending_enqueues: bool = False, name: str | None = None) -> Any:
        """Closes the queue: later enqueues fail; dequeues fail once it is empty."""
        return self._execute(QueueClose, (self._queue_ref,),
                             {"cancel_pending_enqueues": bool(cancel_pending_enqueues)}, self._op_name(name, "Close"))

    def size(self, name: str | None = None) -> Tensor:
        return execute(QueueSize, (self._queue_ref,), name=self._op_name(name, "Size"))

    def is_closed(self, name: str | None = None) -> Tensor:
        return execute(QueueIsClosed, (self._queue_ref,), name=self._op_name(name, "Is_Closed"))


class FIFOQueue(QueueBase):
    """A queue that dequeues elements in first-in first-out order."""

    _kind = "FIFOQueue"

    def __init__(self, capacity: int, dtypes: Any, shapes: Any = None, names: Any = None,
                 shared_name: str | None = None, name: str = "fifo_queue") -> None:
        super().__init__(capacity, dtypes, shapes, names, shared_name, name, "FIFOQueueV2")


class PaddingFIFOQueue(QueueBase):
    """A FIFO queue whose ``dequeue_many`` pads each component with zeros to the batch's largest shape.

    Raises:
        ValueError: ``shapes`` missing or of unknown rank.
    """

    _kind = "PaddingFIFOQueue"

    def __init__(self, capacity: int, dtypes: Any, shapes: Any, names: Any = None,
                 shared_name: str | None = None, name: str = "padding_fifo_queue") -> None:
        count = len(dtypes) if isinstance(dtypes, (list, tuple)) else 1
        if shapes is None or len(shapes) != count:
            raise ValueError("Shapes must be provided for all components, but received "
                             f"{count} dtypes and {0 if shapes is None else len(shapes)} shapes.")
        super().__init__(capacity, dtypes, shapes, names, shared_name, name, "PaddingFIFOQueueV2")
        if any(s.rank is None for s in self._shapes):
            raise ValueError(f"Shapes must be fully defined in rank: {self._shapes}")

    def _batchable(self) -> bool:
        return True

    def _stack(self, values: list, component: int) -> np.ndarray:
        if not values:
            return super()._stack(values, component)
        arrays = [np.asarray(v) for v in values]
        target = tuple(max(a.shape[d] for a in arrays) for d in range(arrays[0].ndim))
        fill = b"" if self._dtypes[component] is dtypes_lib.string else 0
        out = np.full((len(arrays),) + target, fill, dtype=arrays[0].dtype)
        for i, a in enumerate(arrays):
            out[(i,) + tuple(slice(0, s) for s in a.shape)] = a
        return out


class RandomShuffleQueue(QueueBase):
    """A queue that dequeues elements in random order, keeping ``min_after_dequeue`` until it is closed."""

    _kind = "RandomShuffleQueue"

    def __init__(self, capacity: int, min_after_dequeue: int, dtypes: Any, shapes: Any = None, names: Any = None,
                 seed: int | None = None, shared_name: str | None = None,
                 name: str = "random_shuffle_queue") -> None:
        self._min_after_dequeue = int(min_after_dequeue)
        self._seed = _op_seed(seed)
        super().__init__(capacity, dtypes, shapes, names, shared_name, name, "RandomShuffleQueueV2")

    def _take(self, runtime: _QueueRuntime, n: int) -> list:
        taken = []
        items = runtime.items
        for _ in range(n):
            i = runtime.rng.randint(len(items))
            items[i], items[-1] = items[-1], items[i]
            taken.append(items.pop())
        return taken


class PriorityQueue(QueueBase):
    """A queue that dequeues the element with the smallest int64 priority (component 0) first."""

    _kind = "PriorityQueue"

    def __init__(self, capacity: int, types: Any, shapes: Any = None, names: Any = None,
                 shared_name: str | None = None, name: str = "priority_queue") -> None:
        types = list(types) if isinstance(types, (list, tuple)) else [types]
        shapes = None if shapes is None else [()] + list(shapes)
        names = None if names is None else ["priority"] + list(names)
        super().__init__(capacity, [dtypes_lib.int64] + types, shapes, names, shared_name, name,
                         "PriorityQueueV2")

    def _insert(self, runtime: _QueueRuntime, element: tuple) -> None:
        if np.ndim(element[0]) != 0:
            raise InvalidArgumentError(None, None, "Expected the priority element to be a scalar, but received "
                                                   f"shape: [{','.join(str(d) for d in np.shape(element[0]))}]")
        key = (int(element[0]), next(runtime.order))
        keys = [k for k, _ in runtime.items]
        runtime.items.insert(bisect.bisect(keys, key), (key, element))

    def _take(self, runtime: _QueueRuntime, n: int) -> list:
        taken = [element for _, element in runtime.items[:n]]
        del runtime.items[:n]
        return taken


def _op_seed(seed: int | None) -> int | None:
    """The shuffling seed from the global seed and ``seed`` (``random_ops.get_seed``); None when neither is set."""
    from .ops.random_ops import get_seed

    global_seed, op_seed = get_seed(seed)
    return None if global_seed is None else hash((global_seed, op_seed)) % (2 ** 32)
