"""NumPy's BLAS thread pools, through the optional ``threadpoolctl``: the user's count and one-thread sections.

Loops of small matrix products (a training step on a batch of 32 rows, a k-means block) lose more to waking
BLAS worker threads than they gain, far more when other processes compete for the cores; they run inside
``single_threaded()``. A count the user chose (``tf.config.threading``) always wins.
"""
from __future__ import annotations

import contextlib
from typing import Any, Iterator

_USER_COUNT = [0]  # threads chosen with tf.config.threading (0: the library default)
_USER_LIMIT: list = []  # the threadpoolctl limit holding that count
_IN_SECTION = [False]  # inside single_threaded(): nested sections keep the outer limit


def _controller() -> Any:
    """threadpoolctl's view of the BLAS libraries loaded now (a scan costs ~0.3 ms; libraries such as SciPy's
    OpenBLAS may load after NumPy's), or ``None`` without threadpoolctl."""
    try:
        import threadpoolctl
    except ImportError:
        return None
    return threadpoolctl.ThreadpoolController()


def set_user_count(n: int) -> None:
    """Limits the BLAS pools to ``n`` threads (0 restores the library default).

    Raises:
        ImportError: ``threadpoolctl`` is not installed.
    """
    try:
        import threadpoolctl
    except ImportError as exc:
        raise ImportError("Setting thread counts needs the optional package 'threadpoolctl' "
                          "(pip install threadpoolctl)") from exc
    if _USER_LIMIT:
        _USER_LIMIT.pop().restore_original_limits()
    _USER_COUNT[0] = int(n)
    if n:
        _USER_LIMIT.append(threadpoolctl.threadpool_limits(limits=int(n), user_api="blas"))


def user_count() -> int:
    return _USER_COUNT[0]


@contextlib.contextmanager
def single_threaded() -> Iterator[None]:
    """Runs the block with BLAS on one thread, unless the user chose a count or threadpoolctl is missing."""
    controller = _controller()
    if controller is None or _IN_SECTION[0] or _USER_COUNT[0]:
        yield
        return
    _IN_SECTION[0] = True
    try:
        with controller.limit(limits=1, user_api="blas"):
            yield
    finally:
        _IN_SECTION[0] = False
