"""TF1 readers: ``TFRecordReader``, ``TextLineReader``, ``WholeFileReader``, ``FixedLengthRecordReader``."""
import numpy as np
import pytest

import ndflow
import ndflow.compat.v1 as tf

from .helpers import core_message


@pytest.fixture
def files(tmp_path):
    records = str(tmp_path / "a.tfrecord")
    with ndflow.io.TFRecordWriter(records) as writer:
        for i in range(3):
            writer.write(b"rec%d" % i + b"x" * i)
    (tmp_path / "b.csv").write_bytes(b"h1,h2\n1,2\r\n3,4\n\n5,6")
    (tmp_path / "c.bin").write_bytes(b"HHabcdefgFF")
    return {"records": records, "csv": str(tmp_path / "b.csv"), "bin": str(tmp_path / "c.bin")}


def _filename_queue(names):
    """A closed queue of file names: the queue and ``fill(sess)``."""
    q = tf.FIFOQueue(10, tf.string, shapes=[[]])
    enqueue, close = q.enqueue_many([names]), q.close()

    def fill(sess):
        sess.run(enqueue)
        sess.run(close)  # in a separate run: TF would run the two ops of one run in any order

    return q, fill


def test_tfrecord_reader_keys_are_byte_offsets(files):
    q, fill = _filename_queue([files["records"], files["records"]])
    reader = tf.TFRecordReader()
    key, value = reader.read(q)
    assert key.shape == tf.TensorShape([]) and key.dtype == tf.string and key.op.type == "ReaderReadV2"
    name = files["records"].encode()
    with tf.Session() as sess:
        fill(sess)
        got = [tuple(sess.run([key, value])) for _ in range(6)]
        assert sess.run(reader.num_records_produced()) == 6
        assert sess.run(reader.num_work_units_completed()) == 1
        with pytest.raises(tf.errors.OutOfRangeError) as info:
            sess.run(key)
    assert got[:3] == [(name + b":0", b"rec0"), (name + b":20", b"rec1x"), (name + b":41", b"rec2xx")]
    assert got[3:] == got[:3]
    assert core_message(info.value) == ("FIFOQueue '_N_fifo_queue' is closed and has insufficient elements "
                                        "(requested 1, current size 0)")


def test_read_up_to_stops_at_the_end_of_a_file(files):
    q, fill = _filename_queue([files["records"], files["records"]])
    reader = tf.TFRecordReader()
    keys, values = reader.read_up_to(q, 2)
    assert keys.shape.as_list() == [None]
    with tf.Session() as sess:
        fill(sess)
        batches = [sess.run(values).tolist() for _ in range(4)]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(values)
    assert batches == [[b"rec0", b"rec1x"], [b"rec2xx"], [b"rec0", b"rec1x"], [b"rec2xx"]]


def test_text_line_reader_skips_headers_and_strips_line_endings(files):
    q, fill = _filename_queue([files["csv"]])
    reader = tf.TextLineReader(skip_header_lines=1)
    key, value = reader.read(q)
    name = files["csv"].encode()
    with tf.Session() as sess:
        fill(sess)
        lines = [tuple(sess.run([key, value])) for _ in range(4)]
        sess.run(reader.reset())
        assert sess.run(reader.num_records_produced()) == 0
    assert lines == [(name + b":2", b"1,2"), (name + b":3", b"3,4"), (name + b":4", b""), (name + b":5", b"5,6")]


def test_whole_file_and_fixed_length_readers(files):
    q, fill = _filename_queue([files["bin"], files["bin"]])
    whole = tf.WholeFileReader()
    fixed = tf.FixedLengthRecordReader(record_bytes=3, header_bytes=2, footer_bytes=2)
    wk, wv = whole.read(q)
    fk, fv = fixed.read(q)
    name = files["bin"].encode()
    with tf.Session() as sess:
        fill(sess)
        assert sess.run([wk, wv]) == [name, b"HHabcdefgFF"]
        assert [sess.run([fk, fv]) for _ in range(2)] == [[name + b":0", b"abc"], [name + b":1", b"def"]]
        with pytest.raises(tf.errors.OutOfRangeError):  # "g" is a partial record; no file names are left
            sess.run(fk)
    with pytest.raises(NotImplementedError, match="hop_bytes is not supported yet"):
        tf.FixedLengthRecordReader(4, hop_bytes=2)


def test_missing_file_raises_not_found(tmp_path):
    q, fill = _filename_queue([str(tmp_path / "missing.txt")])
    _, value = tf.WholeFileReader().read(q)
    with tf.Session() as sess:
        fill(sess)
        with pytest.raises(tf.errors.NotFoundError, match="missing.txt; No such file or directory"):
            sess.run(value)


def test_each_session_has_its_own_reader_state(files):
    q, fill = _filename_queue([files["records"]])
    _, value = tf.TFRecordReader().read(q)
    with tf.Session() as first, tf.Session() as second:
        fill(first)
        fill(second)
        assert first.run(value) == b"rec0" and first.run(value) == b"rec1x"
        assert second.run(value) == b"rec0"


def test_reader_names_and_unsupported_state():
    reader = tf.TFRecordReader()
    assert reader.reader_ref.op.name == "TFRecordReaderV2" and not reader.supports_serialize
    assert tf.TextLineReader().reader_ref.op.name == "TextLineReaderV2"
    with pytest.raises(NotImplementedError, match="serialize_state is not supported yet"):
        reader.serialize_state()


@pytest.mark.parity
def test_parity_reader_keys_and_values(files):
    real_tf = pytest.importorskip("tensorflow")

    def run(module):
        graph = module.Graph()
        v1 = module.compat.v1
        with graph.as_default():
            q = v1.FIFOQueue(10, v1.string, shapes=[[]])
            fill = [q.enqueue_many([[files["records"], files["csv"], files["bin"], files["bin"]]]), q.close()]
            tfr = v1.TFRecordReader().read_up_to(q, 5)
            text = v1.TextLineReader(skip_header_lines=1).read_up_to(q, 10)
            whole = v1.WholeFileReader().read(q)
            fixed = v1.FixedLengthRecordReader(record_bytes=3, header_bytes=2, footer_bytes=2).read_up_to(q, 9)
        with v1.Session(graph=graph) as sess:
            for step in fill:
                sess.run(step)
            return [np.asarray(x).tolist() for op in (tfr, text, whole, fixed) for x in sess.run(op)]

    assert run(ndflow) == run(real_tf)
