"""``tf.train.Coordinator``, ``QueueRunner`` and ``start_queue_runners`` (spec 004.md "Coordinator", "QueueRunner")."""
import threading
import time

import numpy as np
import pytest

import ndflow.compat.v1 as tf


def test_coordinator_stops_plain_python_threads():
    coord = tf.train.Coordinator()
    steps = []

    def loop(worker_id):
        while not coord.should_stop():
            steps.append(worker_id)
            if worker_id == 3 and set(steps) == set(range(5)):  # all workers ran: worker 3 stops them
                coord.request_stop()
            time.sleep(0.001)

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    coord.join(threads, stop_grace_period_secs=5)
    assert coord.should_stop() and coord.joined and not any(t.is_alive() for t in threads)
    assert set(steps) == set(range(5))


def test_spec_coordinator_demo_output(capsys):
    """The spec's MyLoop: each worker stops everyone with probability 0.1, else prints and sleeps."""
    rng = np.random.RandomState(0)
    lock = threading.Lock()

    def my_loop(coord, worker_id):
        while not coord.should_stop():
            with lock:
                stop = rng.rand() < 0.1
            if stop:
                print("Stoping from id: %d" % worker_id)  # noqa: UP031 - the spec's program
                coord.request_stop()
            else:
                print("Working on id: %d" % worker_id)  # noqa: UP031
                time.sleep(0.01)

    coord = tf.train.Coordinator()
    threads = [threading.Thread(target=my_loop, args=(coord, i)) for i in range(5)]
    for t in threads:
        t.start()
    coord.join(threads, stop_grace_period_secs=5)
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("Stoping from id: ") for line in lines)
    assert all(line[:-1] in ("Stoping from id: ", "Working on id: ") and line[-1] in "01234" for line in lines)


def test_join_reraises_the_first_exception_and_ignores_out_of_range():
    coord = tf.train.Coordinator()

    def fail():
        with coord.stop_on_exception():
            raise ValueError("boom")

    def late_failure():
        coord.wait_for_stop()
        coord.request_stop(RuntimeError("second"))

    threads = [threading.Thread(target=fail), threading.Thread(target=late_failure)]
    for t in threads:
        t.start()
    with pytest.raises(ValueError, match="boom"):
        coord.join(threads, stop_grace_period_secs=5)

    clean = tf.train.Coordinator()
    clean.request_stop(tf.errors.OutOfRangeError(None, None, "end of input"))
    clean.join([], stop_grace_period_secs=1)  # OutOfRange is a clean stop
    assert clean.should_stop()


def test_join_reports_threads_that_ignore_the_stop():
    coord = tf.train.Coordinator()
    release = threading.Event()
    straggler = threading.Thread(target=release.wait, name="straggler", daemon=True)
    straggler.start()
    coord.request_stop()
    with pytest.raises(RuntimeError, match="Coordinator stopped with threads still running: straggler"):
        coord.join([straggler], stop_grace_period_secs=0.05)
    release.set()
    straggler.join(5)


def test_coordinator_misc():
    coord = tf.train.Coordinator()
    assert not coord.wait_for_stop(0.01)
    with pytest.raises(ValueError, match="ex must be a tuple or sys.exc_info"):
        coord.request_stop("not an exception")
    coord.request_stop()
    assert coord.wait_for_stop(0.01)
    coord.clear_stop()
    assert not coord.should_stop()
    thread = threading.Thread(target=lambda: None)
    coord.register_thread(thread)
    thread.start()
    coord.join(stop_grace_period_secs=1)  # waits for the registered thread
    with pytest.raises(KeyError):  # after join, a new failure is raised where it is reported
        coord.request_stop(KeyError("late"))
    coord.request_stop()  # a plain stop after join is fine


def test_looper_thread_calls_its_target_until_stop():
    coord = tf.train.Coordinator()
    calls = []
    looper = tf.train.LooperThread.loop(coord, 0.001, target=calls.append, args=(1,))
    time.sleep(0.05)
    coord.request_stop()
    coord.join([looper], stop_grace_period_secs=5)
    assert calls and not looper.is_alive()


def test_spec_queue_runner_demo_with_five_enqueue_threads():
    queue = tf.FIFOQueue(100, "float")
    enqueue_op = queue.enqueue([tf.random_normal([1])])
    qr = tf.train.QueueRunner(queue, [enqueue_op] * 5)
    tf.train.add_queue_runner(qr)
    out_tensor = queue.dequeue()
    assert tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS) == [qr]
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        assert len(threads) == 6 and all(t.daemon for t in threads)  # 5 enqueue threads + 1 canceller
        values = [sess.run(out_tensor)[0] for _ in range(3)]
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=5)
    assert len(set(values)) == 3 and all(np.isfinite(values))
    assert not any(t.is_alive() for t in threads)


def test_end_of_input_closes_the_queue_and_the_standard_loop_shuts_down():
    source = tf.FIFOQueue(10, tf.int32, shapes=[[]])
    fill = source.enqueue_many([[1, 2, 3, 4, 5]])
    close_source = source.close()
    doubled = tf.FIFOQueue(2, tf.int32, shapes=[[]])
    qr = tf.train.QueueRunner(doubled, [doubled.enqueue(source.dequeue() * 2)] * 2)
    tf.train.add_queue_runner(qr)
    batch = doubled.dequeue_up_to(2)
    received = []
    with tf.Session() as sess:
        sess.run(fill)
        sess.run(close_source)
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        start = time.time()
        try:
            while not coord.should_stop():
                received.extend(sess.run(batch).tolist())
        except tf.errors.OutOfRangeError:
            received.append("done")
        finally:
            coord.request_stop()
            coord.join(threads, stop_grace_period_secs=5)
    assert received[-1] == "done" and sorted(received[:-1]) == [2, 4, 6, 8, 10]
    assert time.time() - start < 5 and not any(t.is_alive() for t in threads)


def test_stop_request_cancels_enqueues_blocked_on_a_full_queue():
    queue = tf.FIFOQueue(1, tf.int32, shapes=[[]])
    tf.train.add_queue_runner(tf.train.QueueRunner(queue, [queue.enqueue(1)] * 3))
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        assert sess.run(queue.dequeue()) == 1
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=5)  # no straggler: the blocked enqueues were cancelled
    assert not any(t.is_alive() for t in threads)


def test_enqueue_failure_is_reported_through_the_coordinator():
    queue = tf.FIFOQueue(4, tf.float32, shapes=[[2]])
    fed = tf.placeholder_with_default(tf.constant([1.0, 2.0, 3.0]), [None])
    tf.train.add_queue_runner(tf.train.QueueRunner(queue, [queue.enqueue([fed])]))
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Shape mismatch in tuple component 0"):
            coord.join(threads, stop_grace_period_secs=5)


def test_queue_runner_without_coordinator_and_create_threads_once_per_session():
    queue = tf.FIFOQueue(10, tf.int32, shapes=[[]])
    source = tf.FIFOQueue(10, tf.int32, shapes=[[]])
    qr = tf.train.QueueRunner(queue, [queue.enqueue(source.dequeue())])
    assert qr.name == "fifo_queue" and qr.queue is queue and len(qr.enqueue_ops) == 1
    assert qr.queue_closed_exception_types == (tf.errors.OutOfRangeError,)
    with tf.Session() as sess:
        sess.run(source.enqueue_many([[7, 8]]))
        threads = qr.create_threads(sess, start=True)
        assert qr.create_threads(sess) == []  # still running for this session (blocked on the open source)
        sess.run(source.close())
        for t in threads:
            t.join(5)
        assert sess.run(queue.dequeue_up_to(5)).tolist() == [7, 8]
        assert sess.run(queue.is_closed())  # the last enqueue thread closed it
        assert qr.exceptions_raised == []


def test_queue_runner_and_start_errors():
    with pytest.raises(ValueError, match="Both queue and enqueue_ops must be specified."):
        tf.train.QueueRunner(None, [])
    queue = tf.FIFOQueue(2, tf.int32)
    with pytest.raises(TypeError, match="queue_closed_exception_types, when provided, must be a tuple"):
        tf.train.QueueRunner(queue, [queue.enqueue(1)], queue_closed_exception_types=[ValueError])
    qr = tf.train.QueueRunner(queue, [queue.enqueue(1)], queue_closed_exception_types=(
        tf.errors.OutOfRangeError, tf.errors.CancelledError))
    assert qr.queue_closed_exception_types == (tf.errors.OutOfRangeError, tf.errors.CancelledError)
    with pytest.raises(ValueError, match="Cannot start queue runners: No default session is registered."):
        tf.train.start_queue_runners()
    with pytest.raises(TypeError, match="sess must be a `tf.Session` object"):
        tf.train.start_queue_runners(sess=object())


def test_start_queue_runners_needs_a_session_when_eager():
    tf.enable_eager_execution()
    with pytest.raises(RuntimeError, match="Queues are not compatible with eager execution."):
        tf.train.start_queue_runners()


def test_queue_runner_module_alias():
    assert tf.train.queue_runner.QueueRunner is tf.train.QueueRunner
    assert tf.train.queue_runner.add_queue_runner is tf.train.add_queue_runner
