"""tf.summary (TF2): event files written by ndflow, read back with the real ``tensorboard`` package."""
import glob
import io
import os
import struct

import numpy as np
import pytest

import ndflow as tf

pytest.importorskip("google.protobuf")
tb_accumulator = pytest.importorskip("tensorboard.backend.event_processing.plugin_event_accumulator")
tensor_util = pytest.importorskip("tensorboard.util.tensor_util")


def _load(logdir):
    acc = tb_accumulator.EventAccumulator(str(logdir), size_guidance={"tensors": 0})
    acc.Reload()
    return acc


def _values(acc, tag):
    return [(e.step, tensor_util.make_ndarray(e.tensor_proto)) for e in acc.Tensors(tag)]


def test_event_file_name_and_first_record(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path / "run"))
    writer.close()
    (path,) = glob.glob(str(tmp_path / "run" / "events.out.tfevents.*"))
    name = os.path.basename(path)
    parts = name.split(".")
    assert name.startswith("events.out.tfevents.") and name.endswith(".v2")
    assert parts[3].isdigit() and str(os.getpid()) in parts
    from tensorboard.backend.event_processing import event_file_loader

    events = list(event_file_loader.EventFileLoader(path).Load())
    assert len(events) == 1 and events[0].file_version == "brain.Event:2"


def test_scalars_tags_steps_values(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        for step in range(5):
            assert bool(tf.summary.scalar("my_scalar", np.sin(step / 10), step=step, description="sine").numpy())
        with tf.name_scope("outer"):
            tf.summary.scalar("inner", tf.constant(2.5), step=7)
    writer.close()
    acc = _load(tmp_path)
    got = _values(acc, "my_scalar")
    assert [s for s, _ in got] == list(range(5))
    np.testing.assert_allclose([v for _, v in got], np.sin(np.arange(5) / 10).astype(np.float32), rtol=1e-6)
    assert all(v.dtype == np.float32 and v.shape == () for _, v in got)
    meta = acc.SummaryMetadata("my_scalar")
    assert meta.plugin_data.plugin_name == "scalars" and meta.summary_description == "sine"
    assert _values(acc, "outer/inner") == [(7, np.float32(2.5))]


def test_no_writer_no_step_and_record_if(tmp_path):
    assert not tf.summary.scalar("x", 1.0, step=0).numpy()
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        with pytest.raises(ValueError, match="No step set"):
            tf.summary.scalar("x", 1.0)
        with tf.summary.record_if(False):
            assert not tf.summary.scalar("skipped", 1.0, step=0).numpy()
            assert not tf.summary.should_record_summaries().numpy()
        with tf.summary.record_if(lambda: True):
            tf.summary.scalar("kept", 1.0, step=0)
        with pytest.raises(ValueError, match="scalar"):
            tf.summary.scalar("vector", [1.0, 2.0], step=0)
    with tf.summary.create_noop_writer().as_default():
        assert not tf.summary.scalar("noop", 1.0, step=0).numpy()
    writer.close()
    assert _load(tmp_path).Tags()["tensors"] == ["kept"]


def test_default_step_and_writer_step(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    step = tf.Variable(3, dtype=tf.int64)
    tf.summary.experimental.set_step(step)
    assert tf.summary.experimental.get_step() is step
    with writer.as_default():
        tf.summary.scalar("a", 1.0)
        step.assign(4)
        tf.summary.scalar("a", 2.0)
    with writer.as_default(step=10):
        tf.summary.scalar("b", 1.0)
    assert tf.summary.experimental.get_step() is step
    writer.close()
    acc = _load(tmp_path)
    assert [s for s, _ in _values(acc, "a")] == [3, 4]
    assert [s for s, _ in _values(acc, "b")] == [10]


def test_histogram_buckets(tmp_path):
    rng = np.random.default_rng(0)
    data = rng.normal(size=200)
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        tf.summary.histogram("my_hist", data, buckets=50, step=1)
        tf.summary.histogram("default", tf.constant(data, tf.float32), step=2)
        tf.summary.histogram("single", [3.0, 3.0], step=3)
        tf.summary.histogram("empty", np.zeros([0]), step=4)
    writer.close()
    acc = _load(tmp_path)
    assert acc.SummaryMetadata("my_hist").plugin_data.plugin_name == "histograms"
    (step, buckets), = _values(acc, "my_hist")
    counts, edges = np.histogram(data, bins=50, range=(data.min(), data.max()))
    assert step == 1 and buckets.shape == (50, 3) and buckets.dtype == np.float64
    np.testing.assert_allclose(buckets[:, 0], edges[:-1], rtol=1e-12)
    np.testing.assert_allclose(buckets[:, 1], edges[1:], rtol=1e-12)
    np.testing.assert_array_equal(buckets[:, 2], counts)
    assert _values(acc, "default")[0][1].shape == (30, 3)
    single = _values(acc, "single")[0][1]
    assert np.all(single[:, :2] == 3.0) and single[-1, 2] == 2 and single[:-1, 2].sum() == 0
    np.testing.assert_array_equal(_values(acc, "empty")[0][1], np.zeros((30, 3)))


def test_image_text_audio(tmp_path):
    from PIL import Image

    images = np.random.default_rng(1).random((2, 32, 24, 3))
    audio = np.sin(np.arange(1200) / 48000 * 2 * np.pi * 440).astype(np.float32).reshape(1, -1, 1)
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        tf.summary.image("my_images", images, step=1)
        tf.summary.image("one", tf.zeros([5, 4, 4, 1]), step=1, max_outputs=1)
        tf.summary.text("my_text", tf.constant(["hello", "world"]), step=2)
        tf.summary.audio("my_audio", audio, sample_rate=48000, step=3)
    writer.close()
    acc = _load(tmp_path)
    (_, img), = _values(acc, "my_images")
    assert img[0] == b"24" and img[1] == b"32" and len(img) == 4
    pixels = np.asarray(Image.open(io.BytesIO(img[2])))
    assert pixels.shape == (32, 24, 3)
    np.testing.assert_array_equal(pixels, np.clip(images[0] * 255.5, 0, 255).astype(np.uint8))
    assert len(_values(acc, "one")[0][1]) == 3
    (step, text), = _values(acc, "my_text")
    assert step == 2 and list(text) == [b"hello", b"world"]
    assert acc.SummaryMetadata("my_text").plugin_data.plugin_name == "text"
    (_, clips), = _values(acc, "my_audio")
    assert clips.shape == (1,)  # TensorBoard's reader drops the label column ([k, 2] on disk)
    wav = clips[0]
    assert wav[:4] == b"RIFF" and wav[8:12] == b"WAVE"
    channels, rate = struct.unpack("<HI", wav[22:28])
    assert (channels, rate) == (1, 48000)
    samples = np.frombuffer(wav[44:], "<i2")
    np.testing.assert_array_equal(samples, np.clip(np.round(audio[0, :, 0] * 32768), -32768, 32767))


def test_summaries_inside_function_record_when_run(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))

    @tf.function
    def step_fn(x, step):
        tf.summary.scalar("loss", tf.reduce_sum(x), step=step)
        tf.summary.histogram("x", x, step=step)
        return x * 2

    with writer.as_default():
        for i in range(3):
            step_fn(tf.constant([1.0, float(i)]), tf.constant(i, tf.int64))
    writer.close()
    assert step_fn.experimental_get_tracing_count() == 1
    acc = _load(tmp_path)
    assert [(s, float(v)) for s, v in _values(acc, "loss")] == [(0, 1.0), (1, 2.0), (2, 3.0)]
    assert [s for s, _ in _values(acc, "x")] == [0, 1, 2]


def test_graph_and_trace_export(tmp_path):
    @tf.function
    def f(x):
        with tf.name_scope("layer"):
            return tf.nn.relu(tf.matmul(x, x) + 1.0)

    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        tf.summary.trace_on(graph=True)
        f(tf.ones([2, 2]))
        tf.summary.trace_export("my_trace", step=0)
        assert tf.summary.graph(f.get_concrete_function(tf.ones([2, 2])).graph).numpy()
    writer.close()
    acc = _load(tmp_path)
    graph = acc.Graph()
    ops = {node.name: node.op for node in graph.node}
    assert ops["layer/MatMul"] in ("MatMul", "BatchMatMulV2") and "layer/Relu" in ops
    relu = next(n for n in graph.node if n.name == "layer/Relu")
    assert list(relu.input) == ["layer/add"]
    assert acc.SummaryMetadata("my_trace").plugin_data.plugin_name == "graph_run_metadata_graph"
    from tensorboard.compat.proto import config_pb2

    (_, blob), = _values(acc, "my_trace")
    run_metadata = config_pb2.RunMetadata.FromString(blob.item())
    traced = run_metadata.function_graphs[0].pre_optimization_graph
    assert "layer/Relu" in [n.name for n in traced.node]


def test_queue_and_flush(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path), max_queue=100, flush_millis=10 ** 7)
    writer.set_as_default(step=0)
    tf.summary.scalar("a", 1.0)
    assert _load(tmp_path).Tags()["tensors"] == []
    tf.summary.flush()
    assert _load(tmp_path).Tags()["tensors"] == ["a"]
    writer.close()
    with pytest.raises(tf.errors.NotFoundError, match="closed"):
        tf.summary.scalar("after_close", 1.0, step=1)
    with pytest.raises(RuntimeError, match="already closed"):
        writer.as_default()
    assert _load(tmp_path).Tags()["tensors"] == ["a"]


def test_write_and_write_raw_pb(tmp_path):
    from ndflow.protos import load

    writer = tf.summary.create_file_writer(str(tmp_path))
    metadata = load("summary").SummaryMetadata()
    metadata.plugin_data.plugin_name = "custom"
    raw = load("summary").Summary()
    raw.value.add(tag="raw", simple_value=4.0)
    with writer.as_default(step=5):
        tf.summary.write("my_tensor", tf.constant([[1, 2]]), metadata=metadata)
        tf.summary.experimental.write_raw_pb(raw.SerializeToString())
    writer.close()
    acc = _load(tmp_path)
    (step, value), = _values(acc, "my_tensor")
    assert step == 5 and value.tolist() == [[1, 2]]
    assert acc.SummaryMetadata("my_tensor").plugin_data.plugin_name == "custom"
    (step, value), = _values(acc, "raw")  # TensorBoard turns legacy simple values into scalar tensors
    assert step == 5 and float(value) == 4.0


@pytest.mark.parity
def test_parity_with_tensorflow_writer(tmp_path):
    real_tf = pytest.importorskip("tensorflow")
    from tensorboard.backend.event_processing import event_file_loader

    data = np.random.default_rng(2).normal(size=(7, 3))
    audio = (np.random.default_rng(3).random((2, 50, 2)) * 2 - 1).astype(np.float32)

    def write_all(lib, logdir):
        writer = lib.summary.create_file_writer(logdir)
        with writer.as_default():
            lib.summary.scalar("loss", 0.25, step=1, description="the loss")
            lib.summary.scalar("int_scalar", 3, step=2)
            lib.summary.histogram("hist", data, step=3, buckets=7)
            lib.summary.histogram("single", [1.5] * 4, step=3)
            lib.summary.text("text", "some *markdown*", step=4)
            lib.summary.audio("audio", audio, sample_rate=8000, step=5, max_outputs=2)
        writer.close()
        (path,) = glob.glob(os.path.join(logdir, "events.out.tfevents.*"))
        events = list(event_file_loader.EventFileLoader(path).Load())
        for event in events:
            event.wall_time = 0
        return events

    ours = write_all(tf, str(tmp_path / "ours"))
    theirs = write_all(real_tf, str(tmp_path / "theirs"))
    assert len(ours) == len(theirs) == 7
    for a, b in zip(ours, theirs):
        assert a == b, (a, b)


@pytest.mark.parity
@pytest.mark.parametrize("dtype", ["int8", "uint16", "int32", "float32", "float64"])
def test_image_pixels_match_tensorflow(tmp_path, dtype):
    real_tf = pytest.importorskip("tensorflow")
    from PIL import Image

    rng = np.random.default_rng(7)
    if np.dtype(dtype).kind == "f":
        images = (rng.random((1, 3, 4, 3)) * 1.4 - 0.2).astype(dtype)
    else:
        info = np.iinfo(dtype)
        images = rng.integers(info.min, info.max, (1, 3, 4, 3), endpoint=True).astype(dtype)

    def pixels(lib, logdir):
        writer = lib.summary.create_file_writer(logdir)
        with writer.as_default():
            lib.summary.image("img", images, step=0)
        writer.close()
        (_, strings), = _values(_load(logdir), "img")
        return np.asarray(Image.open(io.BytesIO(strings[2])))

    np.testing.assert_array_equal(pixels(tf, str(tmp_path / "ours")), pixels(real_tf, str(tmp_path / "theirs")))


def test_spec_low_level_api_example(tmp_path):
    """001b.md's low-level API loop (fewer steps): every summary kind under one writer."""
    test_logdir = str(tmp_path / "my_logs" / "run_test")
    writer = tf.summary.create_file_writer(test_logdir)
    with writer.as_default():
        for step in range(1, 6):
            tf.summary.scalar("my_scalar", np.sin(step / 10), step=step)
            data = (np.random.randn(100) + 2) * step / 100
            tf.summary.histogram("my_hist", data, buckets=50, step=step)
            images = np.random.rand(2, 32, 32, 3)
            tf.summary.image("my_images", images * step / 1000, step=step)
            texts = ["The step is " + str(step), "Its square is " + str(step ** 2)]
            tf.summary.text("my_text", texts, step=step)
            sine_wave = tf.math.sin(tf.range(12000) / 48000 * 2 * np.pi * step)
            audio = tf.reshape(tf.cast(sine_wave, tf.float32), [1, -1, 1])
            tf.summary.audio("my_audio", audio, sample_rate=48000, step=step)
    writer.close()
    acc = _load(test_logdir)
    assert sorted(acc.Tags()["tensors"]) == ["my_audio", "my_hist", "my_images", "my_scalar", "my_text"]
    for tag in acc.Tags()["tensors"]:
        assert [e.step for e in acc.Tensors(tag)] == [1, 2, 3, 4, 5]
    assert _values(acc, "my_hist")[0][1].shape == (50, 3)
    assert list(_values(acc, "my_text")[-1][1]) == [b"The step is 5", b"Its square is 25"]


def test_summary_scope_and_graph_errors(tmp_path):
    with tf.name_scope("outer"):
        with tf.summary.experimental.summary_scope("my summary", "default") as (tag, scope):
            assert tag == "outer/my summary"
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="graph context"):
            tf.summary.graph(tf.Graph())
    assert not tf.summary.graph(tf.Graph()).numpy()  # no default writer
    with pytest.raises(ValueError, match="Must enable trace"):
        tf.summary.trace_export("nothing", step=0)
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        with pytest.raises(ValueError, match="is not tf.Graph"):
            tf.summary.graph("not a graph")
        tf.summary.trace_on(graph=True)
        with pytest.raises(ValueError, match="No step set"):
            tf.summary.trace_export("no_step")
    writer.close()
    with pytest.raises(ValueError, match="logdir"):
        tf.summary.create_file_writer(None)


def test_flush_millis_and_max_queue(tmp_path):
    import time

    timed = tf.summary.create_file_writer(str(tmp_path / "timed"), max_queue=1000, flush_millis=50)
    queued = tf.summary.create_file_writer(str(tmp_path / "queued"), max_queue=3, flush_millis=10 ** 7)
    timed.set_as_default(step=0)  # not as_default: that flushes when its block ends
    tf.summary.scalar("t", 1.0)
    queued.set_as_default()
    for step in range(4):
        tf.summary.scalar("q" if step < 3 else "extra", 1.0, step=step)
    deadline = time.time() + 5
    while "t" not in _load(tmp_path / "timed").Tags()["tensors"] and time.time() < deadline:
        time.sleep(0.05)
    assert "t" in _load(tmp_path / "timed").Tags()["tensors"]
    assert _load(tmp_path / "queued").Tags()["tensors"] == ["q"]
    timed.close()
    queued.close()
    assert sorted(_load(tmp_path / "queued").Tags()["tensors"]) == ["extra", "q"]
