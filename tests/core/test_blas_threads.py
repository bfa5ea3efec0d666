"""BLAS thread sections and the user's count (``tf.config.threading``), read back through threadpoolctl."""
import pytest

import ndflow as tf
from ndflow._core import blas_threads

threadpoolctl = pytest.importorskip("threadpoolctl")


def _blas_threads() -> set:
    return {info["num_threads"] for info in threadpoolctl.threadpool_info() if info["user_api"] == "blas"}


def test_single_threaded_sections_nest_and_restore():
    before = _blas_threads()
    with blas_threads.single_threaded():
        assert _blas_threads() == {1}
        with blas_threads.single_threaded():
            assert _blas_threads() == {1}
        assert _blas_threads() == {1}
    assert _blas_threads() == before


def test_a_count_chosen_by_the_user_wins():
    before = _blas_threads()
    tf.config.threading.set_intra_op_parallelism_threads(2)
    try:
        assert tf.config.threading.get_intra_op_parallelism_threads() == 2
        with blas_threads.single_threaded():
            assert _blas_threads() == {2}
    finally:
        tf.config.threading.set_intra_op_parallelism_threads(0)
    assert tf.config.threading.get_intra_op_parallelism_threads() == 0
    assert _blas_threads() == before
