"""``tf.train.QueueRunner``: threads that keep running enqueue ops, and ``start_queue_runners``."""
from __future__ import annotations

import logging
import threading
import weakref
from typing import Any, Iterable

from ...._core import errors
from ...._core.context import state
from ...._core.graph import get_default_graph
from ...._core.session import Session, get_default_session
from .coordinator import Coordinator

__all__ = ["QueueRunner", "add_queue_runner", "start_queue_runners"]

QUEUE_RUNNERS = "queue_runners"
_log = logging.getLogger("ndflow")


class QueueRunner:
    """Runs each of ``enqueue_ops`` in a loop in its own thread, to keep ``queue`` filled.

    When every enqueue thread has ended because its op raised one of ``queue_closed_exception_types``
    (``OutOfRangeError``: its input ran out), ``close_op`` closes the queue, so consumers get
    ``OutOfRangeError`` once it is empty. With a coordinator, a stop request runs ``cancel_op``.

    Raises:
        ValueError: ``queue`` or ``enqueue_ops`` missing.
        TypeError: ``queue_closed_exception_types`` is not a non-empty tuple of ``tf.errors`` types.
    """

    def __init__(self, queue: Any = None, enqueue_ops: list | None = None, close_op: Any = None,
                 cancel_op: Any = None, queue_closed_exception_types: Iterable[type] | None = None,
                 queue_runner_def: Any = None, import_scope: str | None = None) -> None:
        if queue_runner_def is not None:
            raise NotImplementedError("QueueRunner from a queue_runner_def is not supported yet")
        if not queue or not enqueue_ops:
            raise ValueError("Both queue and enqueue_ops must be specified.")
        self._queue = queue
        self._enqueue_ops = list(enqueue_ops)
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = cancel_op if cancel_op is not None else queue.close(cancel_pending_enqueues=True)
        if queue_closed_exception_types is not None and (
                not isinstance(queue_closed_exception_types, tuple) or not queue_closed_exception_types
                or not all(isinstance(t, type) and issubclass(t, errors.OpError)
                           for t in queue_closed_exception_types)):
            raise TypeError("queue_closed_exception_types, when provided, must be a tuple of tf.error types, but "
                            f"saw: {queue_closed_exception_types}")
        self._queue_closed_exception_types = queue_closed_exception_types or (errors.OutOfRangeError,)
        self._lock = threading.Lock()
        self._runs_per_session: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._exceptions_raised: list = []

    @property
    def queue(self) -> Any:
        return self._queue

    @property
    def enqueue_ops(self) -> list:
        return self._enqueue_ops

    @property
    def close_op(self) -> Any:
        return self._close_op

    @property
    def cancel_op(self) -> Any:
        return self._cancel_op

    @property
    def queue_closed_exception_types(self) -> tuple:
        return self._queue_closed_exception_types

    @property
    def exceptions_raised(self) -> list:
        """Exceptions the enqueue threads raised (when they ran without a coordinator)."""
        return self._exceptions_raised

    @property
    def name(self) -> str:
        return self._queue.name

    def _finish_one(self, sess: Session) -> None:
        """Counts an enqueue thread as done; the last one closes the queue."""
        with self._lock:
            self._runs_per_session[sess] -= 1
            last = self._runs_per_session[sess] == 0
        if last:
            try:
                sess.run(self._close_op)
            except Exception as exc:  # noqa: BLE001 - the session may be closed already
                _log.debug("Ignored exception while closing the queue: %s", exc)

    def _run(self, sess: Session, enqueue_op: Any, coord: Coordinator | None) -> None:
        try:
            while not (coord is not None and coord.should_stop()):
                try:
                    sess.run(enqueue_op)
                except self._queue_closed_exception_types:
                    break
        except Exception as exc:  # noqa: BLE001 - reported through the coordinator, as TF does
            if coord is not None:
                coord.request_stop(exc)
            else:
                _log.error("Exception in QueueRunner: %s", exc)
                with self._lock:
                    self._exceptions_raised.append(exc)
                raise
        finally:
            self._finish_one(sess)

    def _close_on_stop(self, sess: Session, coord: Coordinator) -> None:
        coord.wait_for_stop()
        try:
            sess.run(self._cancel_op)
        except Exception as exc:  # noqa: BLE001 - the session may be closed already
            _log.debug("Ignored exception while cancelling the queue: %s", exc)

    def create_threads(self, sess: Session, coord: Coordinator | None = None, daemon: bool = False,
                       start: bool = False) -> list[threading.Thread]:
        """One thread per enqueue op (plus one that cancels the queue on a stop request when ``coord``).

        Returns:
            The threads; an empty list when threads for ``sess`` are still running.
        """
        with self._lock:
            if self._runs_per_session.get(sess, 0) > 0:
                return []
            self._runs_per_session[sess] = len(self._enqueue_ops)
            self._exceptions_raised = []
        threads = [threading.Thread(target=self._run, args=(sess, op, coord)) for op in self._enqueue_ops]
        if coord is not None:
            threads.append(threading.Thread(target=self._close_on_stop, args=(sess, coord)))
        for thread in threads:
            if coord is not None:
                coord.register_thread(thread)
            thread.daemon = daemon
            if start:
                thread.start()
        return threads


def add_queue_runner(qr: QueueRunner, collection: str = QUEUE_RUNNERS) -> None:
    """Adds ``qr`` to the default graph's ``collection`` (``GraphKeys.QUEUE_RUNNERS``)."""
    get_default_graph().add_to_collection(collection, qr)


def start_queue_runners(sess: Session | None = None, coord: Coordinator | None = None, daemon: bool = True,
                        start: bool = True, collection: str = QUEUE_RUNNERS) -> list[threading.Thread]:
    """Starts the threads of every queue runner in ``sess``'s graph ``collection``.

    Returns:
        All the threads created.

    Raises:
        RuntimeError: no session given while executing eagerly.
        ValueError: no session given and no default session.
        TypeError: ``sess`` is not a Session.
    """
    sess = sess if sess is not None else get_default_session()
    if sess is None:
        if state.graph is None:
            raise RuntimeError("Queues are not compatible with eager execution.")
        raise ValueError("Cannot start queue runners: No default session is registered. Use `with "
                         "sess.as_default()` or pass an explicit session to tf.start_queue_runners(sess=sess)")
    if not isinstance(sess, Session):
        raise TypeError(f"sess must be a `tf.Session` object. Given class: {sess.__class__}")
    threads = []
    for qr in sess.graph.get_collection(collection):
        threads.extend(qr.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads
