"""What every dataset implementation shares: element iterators, the iteration context and cardinality constants.

An element iterator produces one pass over a dataset: ``next()`` gives an element's leaves (a tuple), raises
``StopIteration`` at the end (and keeps raising it), and may raise an error for one element and still go on with
the next (as TF's iterators do, which is what ``ignore_errors`` relies on). ``close()`` releases threads and files.
"""
from __future__ import annotations

import os
from typing import Any

__all__ = ["AUTOTUNE", "INFINITE", "UNKNOWN", "ElementIterator", "IteratorContext", "close_iterator",
           "cpu_count"]

AUTOTUNE = -1
INFINITE = -1
UNKNOWN = -2


class ElementIterator:
    """Base class of element iterators (see the module docstring)."""

    __slots__ = ()

    def __iter__(self) -> ElementIterator:
        return self

    def __next__(self) -> tuple:
        raise NotImplementedError

    def close(self) -> None:
        """Releases what the iteration holds (idempotent)."""


def close_iterator(iterator: Any) -> None:
    """Closes an element iterator or a plain Python iterator (which may have nothing to close)."""
    close = getattr(iterator, "close", None)
    if close is not None:
        close()


class IteratorContext:
    """Settings of one iteration, taken from the options of the dataset being iterated.

    Attributes:
        deterministic: whether parallel transformations must keep element order by default.
        threadpool_size: the worker threads a parallel transformation may use for ``AUTOTUNE``.
    """

    def __init__(self, options: Any = None) -> None:
        deterministic = None if options is None else options.deterministic
        self.deterministic = True if deterministic is None else bool(deterministic)
        size = None if options is None else options.threading.private_threadpool_size
        self.threadpool_size = size if size else cpu_count()


def cpu_count() -> int:
    """The CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
