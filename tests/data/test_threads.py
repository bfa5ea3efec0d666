"""Parallel ``map``, ``prefetch`` and parallel ``interleave``: real threads, order, errors and no leaked threads."""
import gc
import threading
import time

import numpy as np
import pytest

import ndflow as tf

D = tf.data.Dataset


def _data_threads():
    return [t for t in threading.enumerate() if t.name.startswith("ndflow.data")]


@pytest.fixture(autouse=True)
def no_leaked_threads():
    assert _data_threads() == []
    yield
    gc.collect()
    assert _data_threads() == []


def _slow_identity(x):
    def work(v):
        time.sleep(0.02)
        return v

    return tf.py_function(work, [x], tf.int64)


def test_parallel_map_uses_several_threads_and_keeps_order():
    seen = set()

    def record(v):
        seen.add(threading.current_thread().name)
        time.sleep(0.005)
        return v * 2

    dataset = D.range(64).map(lambda x: tf.py_function(record, [x], tf.int64), num_parallel_calls=4)
    assert list(dataset.as_numpy_iterator()) == [2 * i for i in range(64)]
    assert len(seen) > 1 and all(name.startswith("ndflow.data.map") for name in seen)


def test_parallel_map_is_faster_than_sequential_for_blocking_work():
    start = time.perf_counter()
    list(D.range(20).map(_slow_identity, num_parallel_calls=4))
    parallel = time.perf_counter() - start
    assert parallel < 20 * 0.02 * 0.7


def test_nondeterministic_map_yields_every_element():
    def jitter(v):
        time.sleep(0.001 * (int(v) % 3))
        return v

    dataset = D.range(100).map(lambda x: tf.py_function(jitter, [x], tf.int64), num_parallel_calls=3,
                               deterministic=False)
    assert sorted(dataset.as_numpy_iterator()) == list(range(100))
    options = tf.data.Options()
    options.deterministic = False
    options.threading.private_threadpool_size = 2
    relaxed = D.range(50).map(lambda x: x + 1, num_parallel_calls=tf.data.AUTOTUNE).with_options(options)
    assert sorted(relaxed.as_numpy_iterator()) == list(range(1, 51))


def test_prefetch_runs_ahead_in_a_background_thread():
    produced = []

    def note(v):
        produced.append(int(v))
        return v

    iterator = iter(D.range(10).map(lambda x: tf.py_function(note, [x], tf.int64)).prefetch(3))
    assert int(next(iterator)) == 0
    deadline = time.time() + 5
    while len(produced) < 4 and time.time() < deadline:
        time.sleep(0.01)
    assert len(produced) >= 4
    assert [int(v) for v in iterator] == list(range(1, 10))


@pytest.mark.parametrize("make", [
    lambda: D.range(1000).map(_slow_identity, num_parallel_calls=3),
    lambda: D.range(1000).map(lambda x: x + 1).prefetch(tf.data.AUTOTUNE),
    lambda: D.range(1000).prefetch(2).map(_slow_identity, num_parallel_calls=2).prefetch(1),
    lambda: D.range(4).interleave(lambda x: D.range(100).map(lambda y: y + x), cycle_length=2,
                                  num_parallel_calls=2),
], ids=["parallel_map", "prefetch", "chained", "parallel_interleave"])
def test_threads_stop_when_iteration_is_abandoned(make):
    for i, _ in enumerate(make()):
        if i == 2:
            break
    gc.collect()
    assert _data_threads() == []
    iterator = iter(make())
    next(iterator)
    assert _data_threads() != []
    del iterator
    gc.collect()
    assert _data_threads() == []


def _failing(x):
    def fail(v):
        if int(v) == 3:
            raise ValueError("element three")
        return v

    return tf.py_function(fail, [x], tf.int64)


@pytest.mark.parametrize("make", [
    lambda: D.range(8).map(_failing, num_parallel_calls=3),
    lambda: D.range(8).map(_failing).prefetch(2),
    lambda: D.range(8).map(_failing, num_parallel_calls=2).prefetch(tf.data.AUTOTUNE),
], ids=["parallel_map", "prefetch", "both"])
def test_errors_from_threads_surface_in_order_and_iteration_goes_on(make):
    iterator = iter(make())
    assert [int(next(iterator)) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(tf.errors.InvalidArgumentError, match="element three"):
        next(iterator)
    assert [int(v) for v in iterator] == [4, 5, 6, 7]


def test_generator_error_behind_prefetch_ends_the_iteration_cleanly():
    def gen():
        yield 1
        raise RuntimeError("stop here")

    iterator = iter(D.from_generator(gen, output_signature=tf.TensorSpec((), tf.int32)).prefetch(2))
    assert int(next(iterator)) == 1
    with pytest.raises(tf.errors.UnknownError, match="RuntimeError: stop here"):
        next(iterator)
    assert list(iterator) == []


def test_parallel_interleave_keeps_the_sequential_order():
    def make(parallel):
        return D.range(1, 6).interleave(lambda x: D.range(x * 10, x * 10 + x).map(lambda v: v * 2), cycle_length=3,
                                        block_length=2, num_parallel_calls=parallel)

    assert list(make(3).as_numpy_iterator()) == list(make(None).as_numpy_iterator())


def test_keras_style_repeated_epochs_release_threads():
    dataset = D.from_tensor_slices(np.arange(40.0)).map(lambda x: x * 2, num_parallel_calls=2).batch(8).prefetch(2)
    for _ in range(3):
        assert sum(float(b.numpy().sum()) for b in dataset) == pytest.approx(2 * sum(range(40)))
