"""Background work: ``prefetch`` (a producer thread), parallel ``map`` (a thread pool) and read-ahead for
parallel ``interleave``.

Every thread belongs to an element iterator and is stopped and joined by its ``close()``, which runs when the
iteration ends, fails for good, or its iterator is dropped. Errors raised for one element travel to the
consumer and are raised there, at that element's position; the iteration can go on after them.
"""
from __future__ import annotations

import collections
import concurrent.futures
import queue
import threading
import time
from typing import Any, Callable

from .core import AUTOTUNE, ElementIterator, IteratorContext, close_iterator
from .dataset import Dataset
from .structure import is_symbolic

__all__ = ["PrefetchDataset", "BackgroundIterator", "ParallelMapIterator"]

_ELEMENT, _ERROR, _END = 0, 1, 2
_AUTOTUNE_BUFFER = 8
_POLL_SECONDS = 0.05


class _Producer:
    """The state a producer thread shares with its consumer (the thread never references the consumer)."""

    def __init__(self, source: Any, capacity: int) -> None:
        self.source = source
        self.queue: queue.Queue = queue.Queue(capacity)
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    item = (_ELEMENT, next(self.source))
                except StopIteration:
                    item = (_END, None)
                except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
                    item = (_ERROR, exc)
                if not self._put(item) or item[0] == _END:
                    return
        finally:
            close_iterator(self.source)

    def _put(self, item: tuple) -> bool:
        while not self.stopping.is_set():
            try:
                self.queue.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False


class BackgroundIterator(ElementIterator):
    """Runs ``source`` in a producer thread, up to ``capacity`` elements ahead of the consumer."""

    __slots__ = ("_producer", "_thread", "_done")

    def __init__(self, source: Any, capacity: int) -> None:
        self._producer = _Producer(source, max(1, capacity))
        self._thread = threading.Thread(target=self._producer.run, name="ndflow.data.prefetch", daemon=True)
        self._done = False
        self._thread.start()

    def __next__(self) -> tuple:
        if self._done:
            raise StopIteration
        kind, value = self._producer.queue.get()
        if kind == _ELEMENT:
            return value
        if kind == _END:
            self.close()
            raise StopIteration
        raise value

    def close(self) -> None:
        self._done = True
        producer = self._producer
        producer.stopping.set()
        if self._thread is not threading.current_thread():
            self._thread.join()
        while not producer.queue.empty():
            producer.queue.get_nowait()

    def __del__(self) -> None:
        if not self._done:
            self.close()


class PrefetchDataset(Dataset):
    """The input prepared ``buffer_size`` elements ahead by a background thread (``AUTOTUNE``: a few).

    Raises:
        ValueError: a negative ``buffer_size`` other than ``AUTOTUNE``.
    """

    _tf_name = "_PrefetchDataset"

    def __init__(self, dataset: Dataset, buffer_size: Any) -> None:
        from .transforms import scalar_int

        self._size = scalar_int(buffer_size, "buffer_size", 0)
        if self._size < AUTOTUNE:
            raise ValueError(f"Invalid `buffer_size`: it must be non-negative or `tf.data.AUTOTUNE`, got "
                             f"{self._size}.")
        super().__init__(dataset.element_spec, inputs=(dataset,), symbolic=is_symbolic(buffer_size))

    def _iterator(self, ctx: IteratorContext) -> ElementIterator:
        source = self._inputs[0]._iterator(ctx)
        if self._size == 0:
            return source
        return BackgroundIterator(source, _AUTOTUNE_BUFFER if self._size == AUTOTUNE else self._size)

    def _cardinality(self) -> int:
        return self._input_cardinality()


def _apply_all(function: Callable, elements: list) -> tuple[list, float]:
    """``function`` on each element: ``(True, result)`` or ``(False, error)`` per element, and the seconds spent
    per element."""
    start = time.perf_counter()
    out = []
    for element in elements:
        try:
            out.append((True, function(element)))
        except Exception as exc:  # noqa: BLE001 - raised to the consumer at this element
            out.append((False, exc))
    return out, (time.perf_counter() - start) / max(1, len(elements))


class ParallelMapIterator(ElementIterator):
    """``function`` applied by a pool of ``workers`` threads to elements read ahead.

    Cheap functions get several elements per task (so the pool's overhead does not dominate), costly ones one
    element per task. With ``deterministic`` the results come in input order; otherwise each task's results are
    handed over as soon as they are done.
    """

    def __init__(self, source: Any, function: Callable, workers: int, deterministic: bool) -> None:
        self._source = source
        self._function = function
        self._deterministic = deterministic
        self._pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="ndflow.data.map")
        self._in_flight = 2 * workers
        self._pending: collections.deque = collections.deque()
        self._ready: collections.deque = collections.deque()
        self._source_done = False
        self._seconds_per_element: float | None = None

    def _chunk_size(self) -> int:
        cost = self._seconds_per_element
        if cost is None or cost > 5e-4:
            return 1
        return 4 if cost > 5e-5 else 32

    def _submit(self) -> None:
        while not self._source_done and len(self._pending) < self._in_flight:
            chunk = []
            size = self._chunk_size()
            while len(chunk) < size:
                try:
                    chunk.append(next(self._source))
                except StopIteration:
                    self._source_done = True
                    break
                except Exception as exc:  # noqa: BLE001 - an input error keeps its position
                    if chunk:
                        self._pending.append(self._pool.submit(_apply_all, self._function, chunk))
                    failed: concurrent.futures.Future = concurrent.futures.Future()
                    failed.set_result(([(False, exc)], 0.0))
                    self._pending.append(failed)
                    chunk = []
                    break
            if chunk:
                self._pending.append(self._pool.submit(_apply_all, self._function, chunk))

    def _next_chunk(self) -> list:
        if self._deterministic:
            future = self._pending.popleft()
        else:
            done, _ = concurrent.futures.wait(self._pending, return_when=concurrent.futures.FIRST_COMPLETED)
            future = next(f for f in self._pending if f in done)
            self._pending.remove(future)
        results, cost = future.result()
        if cost:
            previous = self._seconds_per_element
            self._seconds_per_element = cost if previous is None else 0.8 * previous + 0.2 * cost
        return results

    def __next__(self) -> tuple:
        if not self._ready:
            self._submit()
            if not self._pending:
                self.close()
                raise StopIteration
            self._ready.extend(self._next_chunk())
            self._submit()
        ok, value = self._ready.popleft()
        if ok:
            return value
        raise value

    def close(self) -> None:
        if self._pool is None:
            return
        self._source_done = True
        self._ready.clear()
        for future in self._pending:
            future.cancel()
        self._pending.clear()
        try:
            self._pool.shutdown(wait=True)
        except RuntimeError:  # closed from one of its own workers (a nested pipeline): they end on their own
            pass
        self._pool = None
        close_iterator(self._source)

    def __del__(self) -> None:
        self.close()
