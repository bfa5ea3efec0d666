"""Producers (``string_input_producer`` …), batching (``batch``, ``shuffle_batch`` …) and file pipelines
(spec 004.md "string_input_producer", "Batching", "Full pipeline demo"; 002.md CSV pipeline)."""
import os

import numpy as np
import pytest

import ndflow
import ndflow.compat.v1 as tf


class Runners:
    """``with Runners(sess) as coord:`` starts the graph's queue runners and always shuts them down."""

    def __init__(self, sess):
        self.sess = sess

    def __enter__(self):
        self.coord = tf.train.Coordinator()
        self.threads = tf.train.start_queue_runners(sess=self.sess, coord=self.coord)
        return self.coord

    def __exit__(self, *exc):
        self.coord.request_stop()
        self.coord.join(self.threads, stop_grace_period_secs=5)
        assert not any(t.is_alive() for t in self.threads)


def _int64_feature(value):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))


def _write_shards(directory):
    """The spec's 2 shards x 2 examples with int64 features ``i`` (shard) and ``j`` (instance)."""
    for i in range(2):
        path = os.path.join(directory, "data.tfrecords-%.5d-of-%.5d" % (i, 2))  # noqa: UP031 - the spec's format
        with tf.python_io.TFRecordWriter(path) as writer:
            for j in range(2):
                example = tf.train.Example(features=tf.train.Features(
                    feature={"i": _int64_feature(i), "j": _int64_feature(j)}))
                writer.write(example.SerializeToString())


def _parsed_examples(filename_queue):
    _, serialized = tf.TFRecordReader().read(filename_queue)
    features = tf.parse_single_example(serialized, features={"i": tf.FixedLenFeature([], tf.int64),
                                                             "j": tf.FixedLenFeature([], tf.int64)})
    return features["i"], features["j"]


def test_spec_sharded_tfrecord_pipeline(tmp_path):
    _write_shards(str(tmp_path))
    files = tf.train.match_filenames_once(str(tmp_path / "data.tfrecords-*"))
    filename_queue = tf.train.string_input_producer(files, shuffle=False)
    example, label = _parsed_examples(filename_queue)
    assert files in tf.local_variables() and files not in tf.global_variables()
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        names = sess.run(files)
        assert sorted(os.path.basename(n.decode()) for n in names) == [
            "data.tfrecords-00000-of-00002", "data.tfrecords-00001-of-00002"]
        with Runners(sess):
            reads = [sess.run([example, label]) for _ in range(6)]
    # unshuffled: both files in order, then the next epoch
    assert [[int(a), int(b)] for a, b in reads] == [[0, 0], [0, 1], [1, 0], [1, 1], [0, 0], [0, 1]]


def test_batch_and_shuffle_batch_over_the_pipeline(tmp_path):
    _write_shards(str(tmp_path))
    filename_queue = tf.train.string_input_producer(sorted(str(p) for p in tmp_path.iterdir()), shuffle=False)
    example, label = _parsed_examples(filename_queue)
    example_batch, label_batch = tf.train.batch([example, label], batch_size=2, capacity=1000 + 3 * 2)
    min_after_dequeue = 10
    shuffled = tf.train.shuffle_batch([example, label], batch_size=2, capacity=min_after_dequeue + 3 * 2,
                                      min_after_dequeue=min_after_dequeue)
    assert example_batch.name == "batch:0" and example_batch.shape.as_list() == [2]
    assert shuffled[0].name == "shuffle_batch:0"
    with tf.Session() as sess:
        with Runners(sess):
            batches = [sess.run([example_batch, label_batch]) for _ in range(3)]
            shuffled_batches = [sess.run(shuffled) for _ in range(3)]
    for e, lab in batches + shuffled_batches:
        assert e.shape == (2,) and lab.shape == (2,) and set(e) <= {0, 1} and set(lab) <= {0, 1}


def test_num_epochs_ends_with_out_of_range_and_needs_local_init():
    queue = tf.train.string_input_producer(["a", "b", "c"], num_epochs=2, shuffle=False)
    name = queue.dequeue()
    epochs = tf.local_variables()
    assert [v.name for v in epochs] == ["input_producer/limit_epochs/epochs:0"]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        seen = []
        with Runners(sess):
            try:
                while True:
                    seen.append(sess.run(name))
            except tf.errors.OutOfRangeError as exc:
                assert "is closed and has insufficient elements" in str(exc)
    assert seen == [b"a", b"b", b"c"] * 2


def test_uninitialized_epoch_counter_stops_the_runner():
    queue = tf.train.string_input_producer(["a"], num_epochs=1)
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value input_producer/limit_epochs/epochs"):
            coord.join(threads, stop_grace_period_secs=5)
    assert queue.name == "input_producer"


def test_limit_epochs_counts_runs():
    limited = tf.train.limit_epochs(tf.constant([1, 2]), num_epochs=2)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(limited).tolist() == [1, 2] and sess.run(limited).tolist() == [1, 2]
        with pytest.raises(tf.errors.OutOfRangeError, match="Reached limit of 2"):
            sess.run(limited)
    with pytest.raises(ValueError, match="num_epochs must be > 0 not 0."):
        tf.train.limit_epochs(tf.constant(1), 0)


def test_shuffled_producer_covers_every_string_each_epoch():
    queue = tf.train.string_input_producer([f"f{i}" for i in range(8)], seed=1)
    batch = queue.dequeue_many(8)
    with tf.Session() as sess, Runners(sess):
        epochs = [sess.run(batch).tolist() for _ in range(3)]
    for epoch in epochs:
        assert sorted(epoch) == [f"f{i}".encode() for i in range(8)]
    assert epochs[0] != sorted(epochs[0]) or epochs[1] != sorted(epochs[1])


def test_range_and_slice_input_producers():
    indices = tf.train.range_input_producer(4, num_epochs=2, shuffle=False).dequeue_many(8)
    column, row = tf.train.slice_input_producer([tf.constant([1, 2, 3]), tf.constant([[1.0, 1.0], [2.0, 2.0],
                                                                                       [3.0, 3.0]])],
                                                shuffle=False)
    assert column.shape.as_list() == [] and row.shape.as_list() == [2]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        with Runners(sess):
            assert sess.run(indices).tolist() == [0, 1, 2, 3, 0, 1, 2, 3]
            pairs = [sess.run([column, row]) for _ in range(4)]
    assert [int(c) for c, _ in pairs] == [1, 2, 3, 1]
    assert all(r.tolist() == [c, c] for c, r in pairs)


def test_empty_producers_are_rejected():
    with pytest.raises(ValueError, match="string_input_producer requires a non-null input tensor"):
        tf.train.string_input_producer([])
    with pytest.raises(ValueError, match="Expected at least one tensor in slice_input_producer"):
        tf.train.slice_input_producer([])
    empty = tf.placeholder_with_default(tf.constant([], tf.string), [None])  # empty only at run time
    queue = tf.train.string_input_producer(empty)
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"assertion failed: \[string_input_producer "
                                                                 r"requires a non-null input tensor\]"):
            coord.join(threads, stop_grace_period_secs=5)
    assert queue.dtypes == [tf.string]


def test_batch_structures_and_shapes():
    x = tf.constant([1, 2])
    y = tf.constant(["a", "b"])
    single = tf.train.batch([x], 3)
    pair = tf.train.batch((x, y), 3, allow_smaller_final_batch=True)
    named = tf.train.batch({"x": x, "y": y}, 3)
    many = tf.train.batch([x, y], 3, enqueue_many=True)
    assert single.shape.as_list() == [3, 2]
    assert isinstance(pair, list) and pair[0].shape.as_list() == [None, 2]
    assert set(named) == {"x", "y"} and named["y"].shape.as_list() == [3, 2]
    assert many[0].shape.as_list() == [3]
    with tf.Session() as sess, Runners(sess):
        assert sess.run(single).tolist() == [[1, 2]] * 3
        values = sess.run(named)
        assert values["x"].tolist() == [[1, 2]] * 3 and values["y"].tolist() == [[b"a", b"b"]] * 3
        assert sess.run(many[1]).tolist() == [b"a", b"b", b"a"]


def test_batch_errors():
    x = tf.constant([1, 2])
    with pytest.raises(ValueError, match="capacity 5 must be bigger than min_after_dequeue 5."):
        tf.train.shuffle_batch([x], 4, 5, 5)
    with pytest.raises(ValueError, match=r"Expected at least one tensor in batch\(\)."):
        tf.train.batch([], 4)
    with pytest.raises(ValueError, match="Cannot infer Tensor's rank"):
        tf.train.batch([tf.placeholder(tf.float32)], 2)
    with pytest.raises(TypeError, match="Expected types to be consistent: int32 vs. float32."):
        tf.train.batch_join([[x], [tf.constant([1.0, 2.0])]], 2)
    with pytest.raises(ValueError, match="All dictionaries in tensors_list must have the same keys"):
        tf.train.batch_join([{"a": x}, {"b": x}], 2)


def test_dynamic_pad_and_smaller_final_batch():
    lengths = tf.train.range_input_producer(4, num_epochs=1, shuffle=False).dequeue()
    sequence = tf.range(lengths + 1)
    padded = tf.train.batch([sequence], 3, dynamic_pad=True, allow_smaller_final_batch=True)
    assert padded.shape.as_list() == [None, None]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        with Runners(sess):
            first = sess.run(padded)
            last = sess.run(padded)
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(padded)
    np.testing.assert_array_equal(first, [[0, 0, 0], [0, 1, 0], [0, 1, 2]])
    np.testing.assert_array_equal(last, [[0, 1, 2, 3]])


def test_batch_join_and_shuffle_batch_join_mix_sources():
    a = tf.train.string_input_producer(["a"], shuffle=False).dequeue()
    b = tf.train.string_input_producer(["b"], shuffle=False).dequeue()
    joined = tf.train.batch_join([[a], [b]], 20)
    shuffled = tf.train.shuffle_batch_join([{"s": a}, {"s": b}], 20, capacity=40, min_after_dequeue=5, seed=2)
    with tf.Session() as sess, Runners(sess):
        # one enqueue thread per source: both sources show up (thread scheduling decides the mix)
        for batch in (joined, shuffled["s"]):
            values = set()
            for _ in range(50):
                values.update(sess.run(batch).tolist())
                if len(values) == 2:
                    break
            assert values == {b"a", b"b"}


def test_csv_pipeline_with_text_line_reader(tmp_path):
    path = tmp_path / "boston.csv"
    rows = [(float(i), i % 3, 20.0 + i) for i in range(12)]
    path.write_text("RM,CHAS,MEDV\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows))
    filename_queue = tf.train.string_input_producer([str(path)], num_epochs=1, shuffle=False)
    _, line = tf.TextLineReader(skip_header_lines=1).read(filename_queue)
    rm, chas, medv = tf.decode_csv(line, record_defaults=[[0.0], [0], [0.0]])
    features = tf.stack([rm, tf.cast(chas, tf.float32)])
    feature_batch, label_batch = tf.train.shuffle_batch([features, medv], batch_size=4, capacity=12,
                                                        min_after_dequeue=2, allow_smaller_final_batch=True)
    seen = []
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        with Runners(sess):
            try:
                while True:
                    f, lab = sess.run([feature_batch, label_batch])
                    assert f.shape[1:] == (2,) and f.shape[0] == lab.shape[0] <= 4
                    seen.extend(zip(f[:, 0].tolist(), f[:, 1].tolist(), lab.tolist()))
            except tf.errors.OutOfRangeError:
                pass
    assert sorted(seen) == sorted((a, float(b), c) for a, b, c in rows)


def test_maybe_batch_keeps_only_selected_examples():
    value = tf.train.range_input_producer(6, num_epochs=1, shuffle=False).dequeue()
    evens = tf.train.maybe_batch([value], tf.equal(value % 2, 0), 3)
    rows = tf.constant([[1, 10], [2, 20], [3, 30]])
    kept = tf.train.maybe_batch([rows], tf.constant([True, False, True]), 4, enqueue_many=True)
    shuffled = tf.train.maybe_shuffle_batch([rows], 2, 10, 1, tf.constant(False), enqueue_many=True,
                                            allow_smaller_final_batch=True)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        with Runners(sess):
            assert sess.run(evens).tolist() == [0, 2, 4]
            assert sess.run(kept).tolist() == [[1, 10], [3, 30], [1, 10], [3, 30]]
            assert sess.run(tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)[-1].queue.size()) == 0
    assert shuffled.shape.as_list() == [None, 2]
    with pytest.raises(ValueError, match="`keep_input` cannot be a vector when `enqueue_many=False`."):
        tf.train.maybe_batch([value], tf.constant([True]), 2)
    with pytest.raises(ValueError, match="`keep_input` must be 0 or 1 dimensions."):
        tf.train.maybe_batch_join([[rows]], tf.constant([[True]]), 2, enqueue_many=True)


def _ptb_producer(v1, raw_data, batch_size, num_steps):
    """The PTB tutorial's reader.ptb_producer (spec 004.md): a range_input_producer drives the slices."""
    raw_data = v1.convert_to_tensor(raw_data, name="raw_data", dtype=v1.int32)
    batch_len = v1.size(raw_data) // batch_size
    data = v1.reshape(raw_data[0: batch_size * batch_len], [batch_size, batch_len])
    epoch_size = v1.identity((batch_len - 1) // num_steps, name="epoch_size")
    i = v1.train.range_input_producer(epoch_size, shuffle=False).dequeue()
    x = data[:, i * num_steps:(i + 1) * num_steps]
    x.set_shape([batch_size, num_steps])
    y = data[:, i * num_steps + 1:(i + 1) * num_steps + 1]
    y.set_shape([batch_size, num_steps])
    return x, y


@pytest.mark.parity
def test_parity_ptb_producer():
    real_tf = pytest.importorskip("tensorflow")

    def run(module):
        graph = module.Graph()
        with graph.as_default():
            x, y = _ptb_producer(module.compat.v1, list(range(100)), 4, 5)
        with module.compat.v1.Session(graph=graph) as sess:
            coord = module.compat.v1.train.Coordinator()
            threads = module.compat.v1.train.start_queue_runners(sess, coord)
            out = [[a.tolist() for a in sess.run([x, y])] for _ in range(5)]
            coord.request_stop()
            coord.join(threads, stop_grace_period_secs=5)
        return out

    ours = run(ndflow)
    assert ours[0][0][1] == [25, 26, 27, 28, 29] and ours[4] == ours[0]  # 4 steps per epoch, then again
    assert ours == run(real_tf)


@pytest.mark.parity
def test_parity_producer_order_and_batch_shapes():
    real_tf = pytest.importorskip("tensorflow")

    def run(module):
        graph = module.Graph()
        v1 = module.compat.v1
        with graph.as_default():
            names = v1.train.string_input_producer(["a", "b", "c"], num_epochs=2, shuffle=False)
            name = names.dequeue()
            x = v1.constant([[1, 2], [3, 4], [5, 6]])
            batches = [v1.train.batch([x], 2, enqueue_many=True), v1.train.batch([x, x], 4),
                       v1.train.batch({"k": x}, 2, allow_smaller_final_batch=True),
                       v1.train.shuffle_batch([x], 3, 10, 2),
                       v1.train.maybe_batch([x], v1.constant([True, False, True]), 4, enqueue_many=True)]
            shapes = [[t.shape.as_list() for t in (b if isinstance(b, list) else
                                                   list(b.values()) if isinstance(b, dict) else [b])]
                      for b in batches]
            local = [v.name for v in v1.local_variables()]
        with v1.Session(graph=graph) as sess:
            sess.run(v1.local_variables_initializer())
            coord = v1.train.Coordinator()
            threads = v1.train.start_queue_runners(sess, coord)
            order = []
            try:
                while True:
                    order.append(sess.run(name))
            except module.errors.OutOfRangeError:
                pass
            first = [sess.run(batches[0]).tolist(), sess.run(batches[-1]).tolist()]
            coord.request_stop()
            coord.join(threads, stop_grace_period_secs=5)
        return order, shapes, local, first

    assert run(ndflow) == run(real_tf)


@pytest.mark.parity
def test_parity_queue_fill_summaries():
    real_tf = pytest.importorskip("tensorflow")

    def names(module):
        v1 = module.compat.v1
        with module.Graph().as_default():
            v1.train.string_input_producer(["a"], capacity=8)
            v1.train.batch([v1.constant(1)], 2, capacity=10)
            v1.train.shuffle_batch([v1.constant(1)], 2, capacity=10, min_after_dequeue=4)
            return [t.name for t in v1.get_collection(v1.GraphKeys.SUMMARIES)]

    assert names(ndflow) == names(real_tf) == ["input_producer/fraction_of_8_full:0", "batch/fraction_of_10_full:0",
                                               "shuffle_batch/fraction_over_4_of_6_full:0"]
