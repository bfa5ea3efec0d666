"""tf.compat.v1.summary: summary ops run through Session.run, FileWriter, read back with ``tensorboard``."""
import glob
import io
import os

import numpy as np
import pytest

import ndflow as tf

pytest.importorskip("google.protobuf")
event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
v1 = tf.compat.v1


def _load(logdir):
    acc = event_accumulator.EventAccumulator(str(logdir), size_guidance={"scalars": 0, "histograms": 0,
                                                                          "images": 0})
    acc.Reload()
    return acc


def _graph_with_summaries():
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None], name="x")
        with tf.name_scope("loss"):
            mse = tf.reduce_mean(tf.square(x), name="mse")
        scalar = v1.summary.scalar("MSE", mse)
        hist = v1.summary.histogram("values", x)
        image = v1.summary.image("picture", tf.reshape(x[:12], [1, 3, 4, 1]))
        merged = v1.summary.merge_all()
    return graph, x, scalar, hist, image, merged


def test_scalar_histogram_image_through_session(tmp_path):
    graph, x, scalar, _, _, merged = _graph_with_summaries()
    assert scalar.name == "MSE:0" and scalar.dtype == tf.string
    assert len(graph.get_collection(v1.GraphKeys.SUMMARIES)) == 3
    data = np.linspace(-1, 2, 12).astype(np.float32)
    with v1.Session(graph=graph) as sess:
        writer = v1.summary.FileWriter(str(tmp_path), sess.graph)
        for step in range(0, 30, 10):
            writer.add_summary(sess.run(merged, {x: data + step}), step)
        summary_str = scalar.eval(feed_dict={x: data}, session=sess)
        writer.add_summary(summary_str, 99)
        writer.flush()
        writer.close()
    (path,) = glob.glob(str(tmp_path / "events.out.tfevents.*"))
    assert not path.endswith(".v2")
    acc = _load(tmp_path)
    assert sorted(acc.Tags()["scalars"]) == ["MSE"]
    mse = [(e.step, e.value) for e in acc.Scalars("MSE")]
    expected = [np.mean(np.square(data + s, dtype=np.float32)) for s in (0, 10, 20)] + [np.mean(data ** 2)]
    assert [s for s, _ in mse] == [0, 10, 20, 99]
    np.testing.assert_allclose([v for _, v in mse], expected, rtol=1e-6)
    histo = acc.Histograms("values")[0].histogram_value
    assert (histo.min, histo.max, histo.num) == (pytest.approx(-1), pytest.approx(2), 12)
    assert histo.sum == pytest.approx(float(data.sum()), rel=1e-6)
    assert sum(histo.bucket) == 12 and list(histo.bucket_limit) == sorted(histo.bucket_limit)
    (image,) = acc.Images("picture/image/0")[:1]
    assert (image.height, image.width) == (3, 4)
    nodes = {n.name: n for n in acc.Graph().node}
    assert "loss/mse" in nodes and list(nodes["loss/mse"].input)[0] == "loss/Square"
    assert (nodes["MSE"].op, nodes["values"].op, nodes["picture"].op) == ("ScalarSummary", "HistogramSummary",
                                                                          "ImageSummary")
    assert nodes["Merge/MergeSummary"].op == "MergeSummary"
    assert list(nodes["Merge/MergeSummary"].input) == ["MSE", "values", "picture"]


def test_merge_and_errors(tmp_path):
    graph = tf.Graph()
    with graph.as_default():
        a = v1.summary.scalar("a", tf.constant(1.0), collections=[])
        b = v1.summary.scalar("b", tf.constant(2.0), collections=["mine"])
        assert v1.summary.merge_all() is None
        assert v1.summary.merge_all(key="mine") is not None
        merged = v1.summary.merge([a, b])
        duplicate = v1.summary.merge([a, a])
        with v1.Session() as sess:
            summary = v1.summary.Summary.FromString(sess.run(merged))
            assert [(v.tag, v.simple_value) for v in summary.value] == [("a", 1.0), ("b", 2.0)]
            with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate tag a"):
                sess.run(duplicate)
    with pytest.raises(RuntimeError, match="not compatible with eager execution"):
        v1.summary.FileWriter(str(tmp_path))


def test_file_writer_graph_and_cache(tmp_path):
    graph = tf.Graph()
    with graph.as_default():
        input1 = tf.constant([1.0, 2.0, 3.0], name="input1")
        input2 = tf.Variable(tf.random.uniform([3]), name="input2")
        tf.add_n([input1, input2], name="add")
        writer = v1.summary.FileWriter(str(tmp_path / "log"), tf.compat.v1.get_default_graph())
        writer.close()
        with v1.summary.FileWriter(str(tmp_path / "from_def"), graph_def=graph.as_graph_def()):
            pass
        cached = v1.summary.FileWriterCache.get(str(tmp_path / "cache"))
        assert v1.summary.FileWriterCache.get(str(tmp_path / "cache")) is cached
        v1.summary.FileWriterCache.clear()
    nodes = {n.name: n for n in _load(tmp_path / "log").Graph().node}
    assert nodes["input1"].op == "Const" and nodes["add"].op == "AddN"
    assert nodes["input1"].attr["value"].tensor.dtype == 1  # DT_FLOAT
    from_def = {n.name: (n.op, list(n.input)) for n in _load(tmp_path / "from_def").Graph().node}
    assert from_def == {name: (n.op, list(n.input)) for name, n in nodes.items()}
    from tensorboard.util import tensor_util

    const = next(n for n in _load(tmp_path / "from_def").Graph().node if n.name == "input1")
    np.testing.assert_array_equal(tensor_util.make_ndarray(const.attr["value"].tensor), [1.0, 2.0, 3.0])


def test_add_summary_keeps_plugin_metadata_once(tmp_path):
    from ndflow.summary.values import scalar_value

    summary = v1.summary.Summary()
    summary.value.add().CopyFrom(scalar_value("t", 1.0))
    with tf.Graph().as_default():
        writer = v1.summary.FileWriter(str(tmp_path))
        writer.add_summary(summary, 1)
        writer.add_summary(summary.SerializeToString(), 2)
        writer.close()
    from tensorboard.backend.event_processing import event_file_loader

    (path,) = glob.glob(os.path.join(str(tmp_path), "events.out.tfevents.*"))
    events = [e for e in event_file_loader.EventFileLoader(path).Load() if e.HasField("summary")]
    assert [e.step for e in events] == [1, 2]
    assert events[0].summary.value[0].HasField("metadata") and not events[1].summary.value[0].HasField("metadata")


@pytest.mark.parity
def test_parity_with_tensorflow_v1_summaries():
    real_tf = pytest.importorskip("tensorflow")
    from PIL import Image

    values = np.concatenate([np.random.default_rng(4).normal(size=50), [0.0, 1e-13, -3e5]]).astype(np.float32)
    images = np.stack([np.random.default_rng(5).random((3, 5, 3)) * 4 - 1,
                       np.random.default_rng(6).random((3, 5, 3)) * 0.5]).astype(np.float32)

    def run(lib):
        with lib.Graph().as_default():
            fetch = lib.compat.v1.summary.merge([
                lib.compat.v1.summary.scalar("s", lib.constant(0.125)),
                lib.compat.v1.summary.histogram("h", lib.constant(values)),
                lib.compat.v1.summary.image("i", lib.constant(images)),
            ])
            with lib.compat.v1.Session() as sess:
                return real_tf.compat.v1.Summary.FromString(sess.run(fetch))

    ours, theirs = run(tf), run(real_tf)
    assert [v.tag for v in ours.value] == [v.tag for v in theirs.value] == ["s", "h", "i/image/0", "i/image/1"]
    assert ours.value[0] == theirs.value[0] and ours.value[1] == theirs.value[1]
    for a, b in zip(ours.value[2:], theirs.value[2:]):
        assert (a.image.height, a.image.width, a.image.colorspace) == (b.image.height, b.image.width,
                                                                      b.image.colorspace)
        pixels = [np.asarray(Image.open(io.BytesIO(v.image.encoded_image_string))) for v in (a, b)]
        np.testing.assert_array_equal(*pixels)


def test_spec_tf1_linear_regression_logging(tmp_path):
    """000.md ch. 9: an MSE scalar every 10 batches plus the graph, with name scopes as TensorBoard groups."""
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
    logdir = "{}/run-{}/".format(tmp_path / "tf_logs", now)
    rng = np.random.default_rng(7)
    data = np.c_[np.ones((40, 1)), rng.random((40, 2))].astype(np.float32)
    target = (data @ np.array([[1.0], [2.0], [-1.0]], np.float32)).astype(np.float32)
    n_batches = 4
    graph = tf.Graph()
    with graph.as_default():
        X = v1.placeholder(tf.float32, shape=(None, 3), name="X")
        y = v1.placeholder(tf.float32, shape=(None, 1), name="y")
        theta = tf.Variable(v1.random_uniform([3, 1], -1.0, 1.0, seed=42), name="theta")
        y_pred = tf.matmul(X, theta, name="predictions")
        with tf.name_scope("loss") as scope:
            error = y_pred - y
            mse = tf.reduce_mean(tf.square(error), name="mse")
        assert scope == "loss/"
        training_op = v1.train.GradientDescentOptimizer(0.1).minimize(mse)
        init = v1.global_variables_initializer()
        mse_summary = v1.summary.scalar("MSE", mse)
        file_writer = v1.summary.FileWriter(logdir, v1.get_default_graph())
        expected = []
        with v1.Session() as sess:
            sess.run(init)
            for epoch in range(5):
                for batch_index in range(n_batches):
                    X_batch, y_batch = data[batch_index::n_batches], target[batch_index::n_batches]
                    if batch_index % 2 == 0:
                        summary_str = mse_summary.eval(feed_dict={X: X_batch, y: y_batch})
                        step = epoch * n_batches + batch_index
                        file_writer.add_summary(summary_str, step)
                        expected.append((step, mse.eval(feed_dict={X: X_batch, y: y_batch})))
                    sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
        file_writer.flush()
        file_writer.close()
    acc = _load(logdir)
    got = [(e.step, e.value) for e in acc.Scalars("MSE")]
    assert [s for s, _ in got] == [s for s, _ in expected]
    np.testing.assert_allclose([v for _, v in got], [v for _, v in expected], rtol=1e-6)
    assert expected[-1][1] < expected[0][1]
    names = [n.name for n in acc.Graph().node]
    assert "loss/mse" in names and "loss/sub" in names


def test_name_scoped_relus_in_graph(tmp_path):
    """000.md #42: five ReLUs built in a ``relu`` name scope show as relu … relu_4 groups."""
    graph = tf.Graph()
    with graph.as_default():
        def relu(X):
            with tf.name_scope("relu"):
                w = tf.Variable(v1.random_normal((3, 1)), name="weights")
                b = tf.Variable(0.0, name="bias")
                z = tf.add(tf.matmul(X, w), b, name="z")
                return tf.maximum(z, 0.0, name="max")

        X = v1.placeholder(tf.float32, shape=(None, 3), name="X")
        tf.add_n([relu(X) for _ in range(5)], name="output")
        with v1.summary.FileWriter(str(tmp_path), graph):
            pass
    names = {n.name for n in _load(tmp_path).Graph().node}
    assert {"relu/max", "relu_1/max", "relu_4/z", "output"} <= names


def test_v2_summaries_in_a_session_graph(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [], name="x")
        with writer.as_default():
            tf.summary.scalar("in_graph", x * 2, step=3)
        ops = v1.summary.all_v2_summary_ops()
        assert len(ops) == 1
        v1.summary.initialize()
        with v1.Session() as sess:
            assert sess.run(ops, {x: 1.5}) == [True]
    writer.close()
    from tensorboard.backend.event_processing import plugin_event_accumulator
    from tensorboard.util import tensor_util

    acc = plugin_event_accumulator.EventAccumulator(str(tmp_path))
    acc.Reload()
    (event,) = acc.Tensors("in_graph")
    assert event.step == 3 and float(tensor_util.make_ndarray(event.tensor_proto)) == 3.0
    assert v1.summary.all_v2_summary_ops() is None


def test_run_metadata_and_session_log(tmp_path):
    from ndflow.protos import load

    run_metadata = load("graph").RunMetadata()
    run_metadata.function_graphs.add().pre_optimization_graph.node.add(name="n", op="NoOp")
    with tf.Graph().as_default():
        writer = v1.summary.FileWriter(str(tmp_path))
        writer.add_session_log(v1.summary.SessionLog(status=v1.summary.SessionLog.START), 0)
        writer.add_run_metadata(run_metadata, "step1", global_step=1)
        event = v1.summary.Event(step=2, wall_time=1.0)
        event.summary.value.add(tag="from_event", simple_value=0.5)
        writer.add_event(event)
        writer.close()
    acc = _load(tmp_path)
    assert acc.Tags()["run_metadata"] == ["step1"]
    assert [(e.step, e.value) for e in acc.Scalars("from_event")] == [(2, 0.5)]
    assert acc.RunMetadata("step1").function_graphs[0].pre_optimization_graph.node[0].name == "n"
