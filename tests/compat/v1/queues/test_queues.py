"""TF1 queues in graphs and sessions, and ``tf.queue`` eagerly (spec 004.md "Queues", 000.md ch. 12)."""
import threading
import time

import numpy as np
import pytest

import ndflow
import ndflow.compat.v1 as tf

from .helpers import core_message, run_with_timeout


def test_spec_fifo_demo_prints_0_10_1_11_2(capsys):
    q = tf.FIFOQueue(2, tf.int32)
    init = q.enqueue_many(([0, 10],))
    x = q.dequeue()
    y = x + 1
    q_inc = q.enqueue([y])
    with tf.Session() as sess:
        init.run()
        for _ in range(5):
            v, _ = sess.run([x, q_inc])
            print("v =", v)
    assert capsys.readouterr().out == "v = 0\nv = 10\nv = 1\nv = 11\nv = 2\n"


def test_names_shapes_and_static_info():
    q = tf.FIFOQueue(3, tf.int32)
    q2 = tf.FIFOQueue(3, [tf.int32, tf.float32], shapes=[[], [2]], names=["a", "b"])
    assert (q.name, q2.name) == ("fifo_queue", "fifo_queue_1")
    assert q.dtypes == [tf.int32] and q.shapes == [tf.TensorShape(None)] and q.names is None
    assert q2.names == ["a", "b"] and q2.shapes == [tf.TensorShape([]), tf.TensorShape([2])]
    d = q.dequeue()
    assert d.name == "fifo_queue_Dequeue:0" and d.shape.rank is None
    many = q2.dequeue_many(4)
    assert set(many) == {"a", "b"} and many["b"].shape.as_list() == [4, 2]
    assert q2.dequeue_up_to(4)["a"].shape.as_list() == [None]
    assert q.enqueue(1).type == "QueueEnqueueV2" and q.close().name == "fifo_queue_Close"
    assert q.size().dtype == tf.int32 and q.is_closed().dtype == tf.bool
    with tf.name_scope("scope"):
        assert tf.RandomShuffleQueue(5, 1, tf.int32).name == "scope/random_shuffle_queue"


def test_size_close_and_end_of_data_errors():
    q = tf.FIFOQueue(3, tf.int32, shapes=[[]])
    enq = q.enqueue_many([[1, 2]])
    x = q.dequeue()
    with tf.Session() as sess:
        sess.run(enq)
        assert sess.run(q.size()) == 2 and not sess.run(q.is_closed())
        sess.run(q.close())
        assert sess.run(q.is_closed())
        assert [sess.run(x), sess.run(x)] == [1, 2]
        with pytest.raises(tf.errors.OutOfRangeError) as info:
            sess.run(x)
        assert core_message(info.value) == ("FIFOQueue '_N_fifo_queue' is closed and has insufficient elements "
                                            "(requested 1, current size 0)")
        assert "fifo_queue_Dequeue" in str(info.value)
        with pytest.raises(tf.errors.CancelledError, match="FIFOQueue '_[0-9]+_fifo_queue' is closed."):
            sess.run(enq)


def test_dequeue_many_drops_and_dequeue_up_to_keeps_the_remainder():
    q = tf.FIFOQueue(10, tf.int32, shapes=[[]])
    with tf.Session() as sess:
        sess.run(q.enqueue_many([[1, 2, 3, 4, 5]]))
        sess.run(q.close())
        np.testing.assert_array_equal(sess.run(q.dequeue_many(2)), [1, 2])
        with pytest.raises(tf.errors.OutOfRangeError, match=r"requested 4, current size 3"):
            sess.run(q.dequeue_many(4))
        np.testing.assert_array_equal(sess.run(q.dequeue_up_to(4)), [3, 4, 5])
        with pytest.raises(tf.errors.OutOfRangeError, match=r"requested 4, current size 0"):
            sess.run(q.dequeue_up_to(4))


def test_dequeue_many_needs_shapes():
    q = tf.FIFOQueue(10, tf.int32)
    with tf.Session() as sess:
        sess.run(q.enqueue([1]))
        with pytest.raises(tf.errors.InvalidArgumentError, match="FIFOQueue's DequeueMany and DequeueUpTo require "
                                                                 "the components to have specified shapes."):
            sess.run(q.dequeue_many(1))


def test_tuple_and_dict_components():
    q = tf.FIFOQueue(4, [tf.int32, tf.string], shapes=[[], [2]])
    named = tf.FIFOQueue(4, [tf.int32, tf.float32], names=["a", "b"], shapes=[[], []])
    with tf.Session() as sess:
        sess.run(q.enqueue_many(([1, 2], [["a", "b"], ["c", "d"]])))
        number, words = sess.run(q.dequeue())
        assert number == 1 and list(words) == [b"a", b"b"]
        sess.run(named.enqueue({"b": 2.5, "a": 7}))
        assert sess.run(named.dequeue()) == {"a": 7, "b": 2.5}
    with pytest.raises(ValueError, match="Queue must have names to enqueue a dictionary"):
        q.enqueue({"a": 1})
    with pytest.raises(ValueError, match="You must enqueue a dictionary in a Queue with names"):
        named.enqueue([1, 2.0])
    with pytest.raises(ValueError, match=r"Keys in dictionary to enqueue do not match names of Queue.  "
                                         r"Dictionary: \['a'\],Queue: \['a', 'b'\]"):
        named.enqueue({"a": 1})


def test_shape_checks_at_build_and_run_time():
    q = tf.FIFOQueue(3, tf.int32, shapes=[[2]])
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
        q.enqueue([[1, 2, 3]])
    fed = tf.placeholder(tf.int32, [None])
    enq = q.enqueue([fed])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Shape mismatch in tuple component 0. "
                                                                 r"Expected \[2\], got \[3\]"):
            sess.run(enq, {fed: [1, 2, 3]})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Different number of component types"):
        tf.FIFOQueue(3, [tf.int32, tf.int32], shapes=[[2]])
    with pytest.raises(ValueError, match="List of names must have the same length as the list of dtypes"):
        tf.FIFOQueue(3, [tf.int32], names=["a", "b"])


def test_padding_fifo_queue_pads_to_the_batch_max_shape():
    q = tf.PaddingFIFOQueue(5, [tf.int32, tf.string], shapes=[[None], [None]])
    v = tf.placeholder(tf.int32, [None])
    s = tf.placeholder(tf.string, [None])
    enq = q.enqueue([v, s])
    batch = q.dequeue_many(2)
    assert batch[0].shape.as_list() == [2, None]
    with tf.Session() as sess:
        sess.run(enq, {v: [1, 2, 3], s: ["a"]})
        sess.run(enq, {v: [4], s: ["b", "c"]})
        numbers, words = sess.run(batch)
    np.testing.assert_array_equal(numbers, [[1, 2, 3], [4, 0, 0]])
    assert words.tolist() == [[b"a", b""], [b"b", b"c"]]
    with pytest.raises(ValueError, match="Shapes must be provided"):
        tf.PaddingFIFOQueue(5, tf.int32, shapes=None)


def test_random_shuffle_queue_keeps_min_after_dequeue_until_closed():
    q = tf.RandomShuffleQueue(10, 3, tf.int32, shapes=[[]], seed=7)
    x = q.dequeue()
    with tf.Session() as sess:
        sess.run(q.enqueue_many([[1, 2, 3]]))
        finished, _ = run_with_timeout(lambda: sess.run(x), timeout=0.3)
        assert not finished  # 3 elements, 3 must stay: the dequeue waits
        sess.run(q.enqueue(4))  # now the pending dequeue can take one
        time.sleep(0.05)
        assert sess.run(q.size()) == 3
        sess.run(q.close())
        rest = sorted(sess.run(q.dequeue_many(3)).tolist())
        assert len(rest) == 3 and set(rest) < {1, 2, 3, 4}
        with pytest.raises(tf.errors.OutOfRangeError, match="RandomShuffleQueue '_[0-9]+_random_shuffle_queue' is "
                                                            "closed and has insufficient elements"):
            sess.run(x)


def test_random_shuffle_queue_shuffles_all_elements():
    q = tf.RandomShuffleQueue(100, 0, tf.int32, shapes=[[]], seed=3)
    with tf.Session() as sess:
        sess.run(q.enqueue_many([list(range(50))]))
        out = sess.run(q.dequeue_many(50)).tolist()
    assert sorted(out) == list(range(50)) and out != list(range(50))


def test_random_shuffle_order_follows_the_random_seeds():
    def orders():
        tf.reset_default_graph()
        tf.set_random_seed(5)
        queues = [tf.RandomShuffleQueue(20, 0, tf.int32, shapes=[[]]) for _ in range(2)]
        with tf.Session() as sess:
            for q in queues:
                sess.run(q.enqueue_many([list(range(10))]))
            return [sess.run(q.dequeue_many(10)).tolist() for q in queues]

    try:
        first, second = orders(), orders()
    finally:
        tf.set_random_seed(None)
    assert first == second  # reproducible under a global seed
    assert first[0] != first[1]  # but each queue gets its own operation seed


def test_priority_queue_orders_by_priority():
    q = tf.PriorityQueue(5, [tf.string], shapes=[[]])
    with tf.Session() as sess:
        for priority, word in [(3, "c"), (1, "a"), (2, "b"), (1, "a2")]:
            sess.run(q.enqueue((tf.constant(priority, tf.int64), word)))
        priorities, words = sess.run(q.dequeue_many(4))
    assert priorities.tolist() == [1, 1, 2, 3] and words.tolist() == [b"a", b"a2", b"b", b"c"]


def test_from_list_picks_a_queue_at_run_time():
    train = tf.FIFOQueue(5, tf.int32, shapes=[[2]])
    test = tf.FIFOQueue(5, tf.int32, shapes=[[3]])
    which = tf.placeholder(tf.int32, [])
    chosen = tf.QueueBase.from_list(which, [train, test])
    assert chosen.shapes == [tf.TensorShape([None])] and chosen.dtypes == [tf.int32]
    x = chosen.dequeue()
    with tf.Session() as sess:
        sess.run(train.enqueue([[1, 2]]))
        sess.run(test.enqueue([[3, 4, 5]]))
        assert sess.run(x, {which: 1}).tolist() == [3, 4, 5]
        assert sess.run(x, {which: 0}).tolist() == [1, 2]
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices = 2 is not in \[0, 2\)"):
            sess.run(x, {which: 2})
    with pytest.raises(TypeError, match="Queues do not have matching component dtypes."):
        tf.QueueBase.from_list(0, [train, tf.FIFOQueue(5, tf.float32)])
    with pytest.raises(TypeError, match="A list of queues expected"):
        tf.QueueBase.from_list(0, (train, test))


def test_each_session_has_its_own_queue():
    q = tf.FIFOQueue(3, tf.int32, shapes=[[]])
    enq = q.enqueue(5)
    with tf.Session() as first, tf.Session() as second:
        first.run(enq)
        assert first.run(q.size()) == 1 and second.run(q.size()) == 0


def test_shared_name_shares_contents():
    a = tf.FIFOQueue(3, tf.int32, shapes=[[]], shared_name="shared")
    b = tf.FIFOQueue(3, tf.int32, shapes=[[]], shared_name="shared")
    with tf.Session() as sess:
        sess.run(a.enqueue(9))
        assert sess.run(b.dequeue()) == 9


def test_blocking_producer_and_consumer_threads():
    q = tf.FIFOQueue(2, tf.int32, shapes=[[]])
    value = tf.placeholder(tf.int32, [])
    enq = q.enqueue(value)
    close = q.close()
    x = q.dequeue()
    sess = tf.Session()

    def produce():
        for i in range(20):
            sess.run(enq, {value: i})
        sess.run(close)

    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    received = []
    while True:
        finished, result = run_with_timeout(lambda: sess.run(x))
        assert finished
        if isinstance(result, tf.errors.OutOfRangeError):
            break
        received.append(int(result))
    producer.join(5)
    assert received == list(range(20)) and not producer.is_alive()


def test_close_with_cancel_pending_enqueues_fails_the_blocked_enqueue():
    q = tf.FIFOQueue(1, tf.int32, shapes=[[]])
    enq = q.enqueue(1)
    sess = tf.Session()
    sess.run(enq)
    box = {}

    def blocked():
        try:
            sess.run(enq)
        except tf.errors.CancelledError as exc:
            box["error"] = exc

    thread = threading.Thread(target=blocked, daemon=True)
    thread.start()
    time.sleep(0.1)
    assert thread.is_alive()
    sess.run(q.close(cancel_pending_enqueues=True))
    thread.join(5)
    assert not thread.is_alive() and "is closed." in str(box["error"])


def test_close_without_cancel_lets_a_blocked_enqueue_finish():
    q = tf.FIFOQueue(1, tf.int32, shapes=[[]])
    enq = q.enqueue(2)
    sess = tf.Session()
    sess.run(enq)
    thread = threading.Thread(target=lambda: sess.run(enq), daemon=True)
    thread.start()
    time.sleep(0.1)
    sess.run(q.close())
    assert sess.run(q.dequeue()) == 2
    thread.join(5)
    assert not thread.is_alive()
    assert sess.run(q.dequeue()) == 2 and sess.run(q.size()) == 0


def test_closing_the_session_cancels_blocked_ops():
    q = tf.FIFOQueue(1, tf.int32, shapes=[[]])
    enq = q.enqueue(1)
    x = q.dequeue()
    sess = tf.Session()
    other = tf.Session()
    other.run(enq)
    results = {}

    def run(name, fetch, session):
        try:
            session.run(fetch)
        except tf.errors.CancelledError as exc:
            results[name] = str(exc)

    threads = [threading.Thread(target=run, args=("dequeue", x, sess), daemon=True),
               threading.Thread(target=run, args=("enqueue", enq, other), daemon=True)]
    for t in threads:
        t.start()
    time.sleep(0.1)
    sess.close()
    other.close()
    for t in threads:
        t.join(5)
    assert not any(t.is_alive() for t in threads)
    assert results["dequeue"].startswith("Dequeue operation was cancelled")
    assert results["enqueue"].startswith("Enqueue operation was cancelled")


class TestEager:
    @pytest.fixture(autouse=True)
    def eager(self):
        tf.enable_eager_execution()

    def test_tf_queue_namespace_runs_eagerly(self):
        q = ndflow.queue.FIFOQueue(3, ndflow.int32, shapes=[[]])
        assert q.name == "Empty"
        assert q.enqueue(1) is None and q.enqueue_many([[2, 3]]) is None
        assert int(q.size()) == 3
        assert int(q.dequeue()) == 1
        np.testing.assert_array_equal(q.dequeue_many(2).numpy(), [2, 3])
        q.close()
        assert bool(q.is_closed())
        with pytest.raises(ndflow.errors.OutOfRangeError,
                           match=r"^FIFOQueue '\d+' is closed and has insufficient elements \(requested 1, current "
                                 r"size 0\) \[Op:QueueDequeueV2\] name: Empty_Dequeue$"):
            q.dequeue()
        with pytest.raises(ndflow.errors.CancelledError,
                           match=r"^FIFOQueue '\d+' is closed. \[Op:QueueEnqueueV2\] name: $"):
            q.enqueue(1)

    def test_eager_random_shuffle_and_padding(self):
        rq = ndflow.queue.RandomShuffleQueue(10, 0, ndflow.int32, shapes=[[]], seed=1)
        rq.enqueue_many([[1, 2, 3]])
        assert sorted(rq.dequeue_many(3).numpy().tolist()) == [1, 2, 3]
        pq = ndflow.queue.PaddingFIFOQueue(4, ndflow.float32, shapes=[[None]])
        pq.enqueue([[1.0]])
        pq.enqueue([[1.0, 2.0]])
        np.testing.assert_array_equal(pq.dequeue_many(2).numpy(), [[1, 0], [1, 2]])

    def test_queue_used_inside_tf_function(self):
        q = ndflow.queue.FIFOQueue(5, ndflow.string, shapes=[[]])

        @ndflow.function
        def push(word):
            q.enqueue(word)
            return q.size()

        assert int(push(ndflow.constant("a"))) == 1 and int(push(ndflow.constant("b"))) == 2
        first = q.dequeue()
        assert first.dtype == ndflow.string and first.numpy() == b"a"
        q.close()
        assert q.dequeue_up_to(3).numpy().tolist() == [b"b"]  # closed: the rest, fewer than 3

    def test_readers_need_graphs(self):
        with pytest.raises(RuntimeError, match="Readers are not supported when eager execution is enabled."):
            tf.TFRecordReader()

    def test_input_pipelines_need_graphs(self):
        with pytest.raises(ValueError, match="Input pipelines based on Queues are not supported when eager"):
            tf.train.batch([ndflow.constant([1])], 2)
        with pytest.raises(RuntimeError, match="Input pipelines based on Queues are not supported when eager"):
            tf.train.string_input_producer(["a"])


# ---------------------------------------------------------------------------------------------------------
# Parity with real TensorFlow


def _errors_of(tf_module, make_graph_ops):
    """Runs the ops ``make_graph_ops(tf_module)`` returns, one by one; records values or error types/messages."""
    graph = tf_module.Graph()
    with graph.as_default():
        steps = make_graph_ops(tf_module.compat.v1)
    out = []
    with tf_module.compat.v1.Session(graph=graph) as sess:
        for step in steps:
            try:
                value = sess.run(step)
                out.append(("ok", None if value is None else np.asarray(value).tolist()))
            except tf_module.errors.OpError as exc:
                out.append((type(exc).__name__, core_message(exc)))
    return out


def _scenario(v1):
    q = v1.FIFOQueue(4, v1.int32, shapes=[[]])
    pq = v1.PaddingFIFOQueue(4, [v1.int32], shapes=[[None]])
    rq = v1.RandomShuffleQueue(8, 2, [v1.int32], shapes=[[]])
    return [q.enqueue_many([[3, 1, 2]]), q.dequeue(), q.dequeue_many(2), q.size(), q.enqueue(5), q.close(),
            q.is_closed(), q.dequeue_up_to(3), q.dequeue(), q.dequeue_many(2), q.enqueue(1),
            pq.enqueue([[1, 2]]), pq.enqueue([[3]]), pq.dequeue_many(2), pq.close(), pq.dequeue_up_to(2),
            rq.enqueue_many([[1, 2, 3]]), rq.close(), rq.dequeue_many(5)]


@pytest.mark.parity
def test_parity_fifo_order_values_and_errors():
    real_tf = pytest.importorskip("tensorflow")
    assert _errors_of(ndflow, _scenario) == _errors_of(real_tf, _scenario)


@pytest.mark.parity
def test_parity_fifo_demo_and_static_shapes():
    real_tf = pytest.importorskip("tensorflow")

    def build(v1):
        q = v1.FIFOQueue(2, v1.int32)
        init = q.enqueue_many(([0, 10],))
        x = q.dequeue()
        q_inc = q.enqueue([x + 1])
        s = v1.FIFOQueue(5, [v1.float32, v1.string], shapes=[[3], []])
        shapes = [t.shape.as_list() for t in s.dequeue_many(4) + s.dequeue_up_to(4) + s.dequeue()]
        return init, x, q_inc, shapes, [q.name, s.name]

    results = []
    for module in (ndflow, real_tf):
        graph = module.Graph()
        with graph.as_default():
            init, x, q_inc, shapes, names = build(module.compat.v1)
        with module.compat.v1.Session(graph=graph) as sess:
            sess.run(init)
            values = [int(sess.run([x, q_inc])[0]) for _ in range(5)]
        results.append((values, shapes, names))
    assert results[0] == results[1]
    assert results[0][0] == [0, 10, 1, 11, 2]
