"""``tf.train.Coordinator``: stopping a group of threads together and reporting the first failure."""
from __future__ import annotations

import contextlib
import sys
import threading
import time
from typing import Any, Callable, Iterable

from ...._core import errors

__all__ = ["Coordinator", "LooperThread"]


class Coordinator:
    """Lets threads ask each other to stop and collects the first exception.

    Threads poll ``should_stop()``; any of them can ``request_stop(ex)``. ``join`` waits for the threads and
    re-raises the first exception passed to ``request_stop`` (exceptions of ``clean_stop_exception_types``,
    ``OutOfRangeError`` by default, count as a normal stop).
    """

    def __init__(self, clean_stop_exception_types: Iterable[type] | None = None) -> None:
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (errors.OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise: tuple | None = None
        self._joined = False
        self._registered_threads: set = set()

    def _filter_exception(self, ex: Any) -> Any:
        exception = ex[1] if isinstance(ex, tuple) else ex
        return None if isinstance(exception, self._clean_stop_exception_types) else ex

    def request_stop(self, ex: Any = None) -> None:
        """Asks all threads to stop; ``ex`` (an exception or an ``exc_info`` tuple) is reported by ``join``.

        Raises:
            ValueError: ``ex`` is neither an exception nor an ``exc_info`` tuple.
        """
        with self._lock:
            ex = self._filter_exception(ex)
            if self._joined:  # too late to report through join: raise it here (unless join raised it)
                exception = ex[1] if isinstance(ex, tuple) else ex
                reported = self._exc_info_to_raise[1] if self._exc_info_to_raise else None
                if exception is not None and exception is not reported:
                    raise exception
                return
            if not self._stop_event.is_set():
                if ex is not None and self._exc_info_to_raise is None:
                    if isinstance(ex, tuple):
                        if not isinstance(ex[1], BaseException):
                            raise ValueError(f"ex must be a tuple or sys.exc_info, got: {ex}")
                        self._exc_info_to_raise = ex
                    elif isinstance(ex, BaseException):
                        self._exc_info_to_raise = (type(ex), ex, ex.__traceback__)
                    else:
                        raise ValueError(f"ex must be a tuple or sys.exc_info, got: {ex}")
                self._stop_event.set()

    def clear_stop(self) -> None:
        """Lets the coordinator be used again after a stop (forgets the exception too)."""
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            self._stop_event.clear()

    def should_stop(self) -> bool:
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self):
        """A block whose exception is swallowed and passed to ``request_stop`` (``join`` re-raises it)."""
        try:
            yield
        except Exception:  # noqa: BLE001 - every failure is reported through the coordinator
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout: float | None = None) -> bool:
        """Blocks until a stop is requested (or ``timeout`` seconds pass); True when stop was requested."""
        return self._stop_event.wait(timeout)

    def register_thread(self, thread: threading.Thread) -> None:
        """Adds ``thread`` to the threads ``join`` waits for."""
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads: Iterable[threading.Thread] | None = None, stop_grace_period_secs: float = 120,
             ignore_live_threads: bool = False) -> None:
        """Waits until the threads end or a stop is requested, then ``stop_grace_period_secs`` for stragglers.

        Raises:
            The exception passed to ``request_stop`` first, if any.
            RuntimeError: threads still running after the grace period (unless ``ignore_live_threads``).
        """
        with self._lock:
            all_threads = set(self._registered_threads) | set(threads or ())
        while any(t.is_alive() for t in all_threads) and not self.wait_for_stop(1.0):
            pass
        wait = 0.001
        while any(t.is_alive() for t in all_threads) and stop_grace_period_secs >= 0:
            time.sleep(wait)
            stop_grace_period_secs -= wait
            wait = max(min(2 * wait, stop_grace_period_secs), 0.001)
        stragglers = [t.name for t in all_threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info_to_raise is not None:
                _, value, traceback = self._exc_info_to_raise
                raise value.with_traceback(traceback)
            if stragglers and not ignore_live_threads:
                raise RuntimeError(f"Coordinator stopped with threads still running: {' '.join(stragglers)}")

    @property
    def joined(self) -> bool:
        return self._joined

    def raise_requested_exception(self) -> None:
        """Re-raises the exception given to ``request_stop``, if any."""
        with self._lock:
            if self._exc_info_to_raise is not None:
                _, value, traceback = self._exc_info_to_raise
                raise value.with_traceback(traceback)


class LooperThread(threading.Thread):
    """A thread calling ``target(*args)`` (or ``run_loop``) every ``timer_interval_secs`` until a stop.

    Args:
        coord: the coordinator to watch and to report exceptions to.
        timer_interval_secs: seconds between calls; None calls back to back.
    """

    def __init__(self, coord: Coordinator, timer_interval_secs: float | None, target: Callable | None = None,
                 args: tuple | None = None, kwargs: dict | None = None) -> None:
        if not isinstance(coord, Coordinator):
            raise ValueError(f"'coord' argument must be a Coordinator: {coord}")
        super().__init__()
        self.daemon = True
        self._coord = coord
        self._timer_interval_secs = timer_interval_secs
        self._target_fn = target
        self._args = args or ()
        self._kwargs = kwargs or {}
        self._coord.register_thread(self)

    @staticmethod
    def loop(coord: Coordinator, timer_interval_secs: float | None, target: Callable, args: tuple | None = None,
             kwargs: dict | None = None) -> LooperThread:
        """Starts a LooperThread calling ``target`` and returns it."""
        looper = LooperThread(coord, timer_interval_secs, target=target, args=args, kwargs=kwargs)
        looper.start()
        return looper

    def run(self) -> None:
        with self._coord.stop_on_exception():
            self.start_loop()
            if self._timer_interval_secs is None:
                while not self._coord.should_stop():
                    self.run_loop()
            else:
                next_time = time.time()
                while not self._coord.wait_for_stop(max(next_time - time.time(), 0)):
                    next_time += self._timer_interval_secs
                    self.run_loop()
            self.stop_loop()

    def start_loop(self) -> None:
        """Called once when the thread starts."""

    def stop_loop(self) -> None:
        """Called once when the thread stops."""

    def run_loop(self) -> None:
        """One iteration: calls ``target`` (subclasses may override)."""
        if self._target_fn is not None:
            self._target_fn(*self._args, **self._kwargs)
