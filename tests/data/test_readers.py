"""File datasets: TFRecordDataset, TextLineDataset, CsvDataset and make_csv_dataset, with TF parity."""
import gzip
import os

import numpy as np
import pytest

import ndflow as tf


@pytest.fixture(scope="module")
def real_tf():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("tensorflow")


def _write_records(path, records, kind=""):
    with tf.io.TFRecordWriter(str(path), kind) as writer:
        for r in records:
            writer.write(r)
    return str(path)


def _example(i):
    return tf.train.Example(features=tf.train.Features(feature={
        "x": tf.train.Feature(int64_list=tf.train.Int64List(value=[i, i + 1])),
        "y": tf.train.Feature(float_list=tf.train.FloatList(value=[i / 2])),
        "name": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"n%d" % i] * (i % 3)))})).SerializeToString()


# ---------------------------------------------------------------------------------------------------------
# TFRecordDataset


def test_tfrecord_dataset_reads_files_in_order(tmp_path):
    a = _write_records(tmp_path / "a.rec", [b"a0", b"a1", b"a2"])
    b = _write_records(tmp_path / "b.rec", [b"b0"], "GZIP")
    ds = tf.data.TFRecordDataset([a, a])
    assert ds.element_spec == tf.TensorSpec([], tf.string)
    assert repr(ds) == "<TFRecordDatasetV2 element_spec=TensorSpec(shape=(), dtype=tf.string, name=None)>"
    assert list(ds.as_numpy_iterator()) == [b"a0", b"a1", b"a2"] * 2
    assert list(tf.data.TFRecordDataset(b, compression_type="GZIP").as_numpy_iterator()) == [b"b0"]
    assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY
    first = next(iter(ds))
    assert first.dtype == tf.string and first.numpy() == b"a0"


def test_parallel_reads_interleave_one_record_at_a_time(tmp_path):
    a = _write_records(tmp_path / "a.rec", [b"a0", b"a1", b"a2"])
    b = _write_records(tmp_path / "b.rec", [b"b0"])
    c = _write_records(tmp_path / "c.rec", [b"c0", b"c1"])
    ds = tf.data.TFRecordDataset([a, b, c], num_parallel_reads=2)
    assert list(ds.as_numpy_iterator()) == [b"a0", b"b0", b"a1", b"a2", b"c0", b"c1"]


def test_file_names_from_a_dataset_and_interleave(tmp_path):
    a = _write_records(tmp_path / "a.rec", [b"a0", b"a1"])
    b = _write_records(tmp_path / "b.rec", [b"b0", b"b1"])
    names = tf.data.Dataset.from_tensor_slices([a, b])
    assert list(tf.data.TFRecordDataset(names).as_numpy_iterator()) == [b"a0", b"a1", b"b0", b"b1"]
    mixed = names.interleave(lambda f: tf.data.TFRecordDataset(f), cycle_length=2)
    assert list(mixed.as_numpy_iterator()) == [b"a0", b"b0", b"a1", b"b1"]


def test_parsing_in_map(tmp_path):
    path = _write_records(tmp_path / "ex.rec", [_example(i) for i in range(5)])
    specs = {"x": tf.io.FixedLenFeature([2], tf.int64), "name": tf.io.VarLenFeature(tf.string)}
    parsed = tf.data.TFRecordDataset(path).map(lambda s: tf.io.parse_single_example(s, specs))
    rows = list(parsed)
    assert [r["x"].numpy().tolist() for r in rows] == [[i, i + 1] for i in range(5)]
    assert [r["name"].values.numpy().tolist() for r in rows][2] == [b"n2", b"n2"]


def test_batched_parsing(tmp_path):
    path = _write_records(tmp_path / "ex.rec", [_example(i) for i in range(5)])
    specs = {"y": tf.io.FixedLenFeature([], tf.float32)}
    batches = tf.data.TFRecordDataset(path).batch(2).map(lambda s: tf.io.parse_example(s, specs))
    assert [b["y"].numpy().tolist() for b in batches] == [[0.0, 0.5], [1.0, 1.5], [2.0]]


def test_reader_errors(tmp_path):
    with pytest.raises(TypeError, match="must contain `tf.string` elements. Got `tf.int32` elements."):
        tf.data.TFRecordDataset([1, 2])
    with pytest.raises(ValueError, match="Not a valid compression_type"):
        tf.data.TFRecordDataset("x.rec", compression_type="BAD")
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        list(tf.data.TFRecordDataset(str(tmp_path / "missing.rec")))


def test_corrupted_record_then_next_file(tmp_path):
    bad = tmp_path / "bad.rec"
    bad.write_bytes(open(_write_records(tmp_path / "x.rec", [b"a" * 10, b"b" * 10]), "rb").read()[:30])
    good = _write_records(tmp_path / "good.rec", [b"ok"])
    iterator = iter(tf.data.TFRecordDataset([str(bad), good]))
    assert next(iterator).numpy() == b"a" * 10
    with pytest.raises(tf.errors.DataLossError, match="truncated record at 26"):
        next(iterator)
    assert next(iterator).numpy() == b"ok"
    skipped = tf.data.TFRecordDataset([str(bad), good]).ignore_errors()
    assert list(skipped.as_numpy_iterator()) == [b"a" * 10, b"ok"]


# ---------------------------------------------------------------------------------------------------------
# TextLineDataset


def test_text_lines(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(b"header\r\nl1\n\nl3")
    zipped = tmp_path / "t.txt.gz"
    zipped.write_bytes(gzip.compress(b"g1\ng2\n"))
    assert list(tf.data.TextLineDataset(str(path)).skip(1).as_numpy_iterator()) == [b"l1", b"", b"l3"]
    assert list(tf.data.TextLineDataset(str(zipped), "GZIP").as_numpy_iterator()) == [b"g1", b"g2"]
    assert repr(tf.data.TextLineDataset(str(path))).startswith("<TextLineDatasetV2 element_spec=")


# ---------------------------------------------------------------------------------------------------------
# FixedLengthRecordDataset


@pytest.mark.parametrize("kind", ["", "GZIP"])
def test_fixed_length_records(tmp_path, kind):
    data = b"HH" + bytes(range(12)) + b"FF"
    path = tmp_path / "r.bin"
    path.write_bytes(gzip.compress(data) if kind else data)
    ds = tf.data.FixedLengthRecordDataset(str(path), 4, header_bytes=2, footer_bytes=2, compression_type=kind,
                                          buffer_size=5)
    assert list(ds.as_numpy_iterator()) == [bytes(range(0, 4)), bytes(range(4, 8)), bytes(range(8, 12))]
    (tmp_path / "bad.bin").write_bytes(data[:-3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="has body length 11 bytes, which is not an exact"):
        list(tf.data.FixedLengthRecordDataset(str(tmp_path / "bad.bin"), 4, header_bytes=2, footer_bytes=0))


@pytest.mark.parity
def test_fixed_length_records_match_tensorflow(real_tf, tmp_path):
    path = tmp_path / "r.bin"
    path.write_bytes(bytes(range(40)))

    def run(lib, **kwargs):
        try:
            return list(lib.data.FixedLengthRecordDataset(str(path), 6, **kwargs).as_numpy_iterator())
        except Exception as exc:  # noqa: BLE001 - the error is compared
            return type(exc).__name__, str(exc).split("input file")[0][-40:]

    for kwargs in ({"header_bytes": 4}, {"header_bytes": 4, "footer_bytes": 6}, {}):
        assert run(tf, **kwargs) == run(real_tf, **kwargs)


# ---------------------------------------------------------------------------------------------------------
# CsvDataset and make_csv_dataset

CSV = 'a,b,c\n1,2.5,x\n\n3,,"y\nz"\r\n4,5,w'


def test_csv_dataset_records_and_errors(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(CSV)
    ds = tf.data.experimental.CsvDataset(str(path), [[0], [0.0], ["d"]], header=True)
    assert ds.element_spec == (tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.float32),
                               tf.TensorSpec([], tf.string))
    iterator = iter(ds)
    assert [v.numpy() for v in next(iterator)] == [1, 2.5, b"x"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Expect 3 fields but have 1 in record"):
        next(iterator)
    assert [v.numpy() for v in next(iterator)] == [3, 0.0, b"y\nz"]
    rows = list(ds.ignore_errors().as_numpy_iterator())
    assert rows == [(1, 2.5, b"x"), (3, 0.0, b"y\nz"), (4, 5.0, b"w")]


def test_csv_dataset_select_and_exclude(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("a,b,c\n1,2,x\n3,4,y\n")
    picked = tf.data.experimental.CsvDataset(str(path), [tf.int64, ["d"]], header=True, select_cols=[1, 2])
    assert list(picked.as_numpy_iterator()) == [(2, b"x"), (4, b"y")]
    dropped = tf.data.experimental.CsvDataset(str(path), [[0], [""]], header=True, exclude_cols=[1])
    assert list(dropped.as_numpy_iterator()) == [(1, b"x"), (3, b"y")]
    with pytest.raises(ValueError, match="not both"):
        tf.data.experimental.CsvDataset(str(path), [[0]], select_cols=[0], exclude_cols=[1])


def test_csv_dataset_many_rows(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("".join(f"{i},{i * 0.25},r{i}\n" for i in range(3000)))
    rows = list(tf.data.experimental.CsvDataset(str(path), [[0], [0.0], [""]]).as_numpy_iterator())
    assert len(rows) == 3000 and rows[2999] == (2999, np.float32(749.75), b"r2999")


def _csv_files(tmp_path):
    (tmp_path / "f1.csv").write_text("id,score,name,label\n1,0.5,a,0\n2,,b,1\n3,1.5,c,0\n")
    (tmp_path / "f2.csv").write_text("id,score,name,label\n4,2.5,d,1\n5,3,e,1\n")
    return str(tmp_path / "f*.csv")


def test_make_csv_dataset_types_and_batches(tmp_path):
    ds = tf.data.experimental.make_csv_dataset(_csv_files(tmp_path), batch_size=2, label_name="label",
                                               num_epochs=1, shuffle=False)
    batches = list(ds)
    features, labels = batches[0]
    assert list(features) == ["id", "score", "name"]
    assert features["id"].dtype == tf.int32 and features["score"].dtype == tf.float32
    assert features["name"].dtype == tf.string and labels.dtype == tf.int32
    assert [b[0]["id"].numpy().tolist() for b in batches] == [[1, 2], [3, 4], [5]]
    assert batches[0][0]["score"].numpy().tolist() == [0.5, 0.0]
    assert [b[1].numpy().tolist() for b in batches] == [[0, 1], [0, 1], [1]]


def test_make_csv_dataset_options(tmp_path):
    pattern = _csv_files(tmp_path)
    ds = tf.data.experimental.make_csv_dataset(pattern, batch_size=3, select_columns=["name", "id"],
                                               column_defaults=[tf.int64, ["?"]], num_epochs=1, shuffle=False)
    first = next(iter(ds))
    assert list(first) == ["id", "name"] and first["id"].dtype == tf.int64
    forever = tf.data.experimental.make_csv_dataset(pattern, batch_size=4, shuffle=True, shuffle_seed=3)
    sizes = [int(b["id"].shape[0]) for b in forever.take(5)]
    assert sizes == [4] * 5
    with pytest.raises(ValueError, match="`label_name` provided must be one of the columns"):
        tf.data.experimental.make_csv_dataset(pattern, batch_size=2, label_name="nope")
    with pytest.raises(ValueError, match="No files match"):
        tf.data.experimental.make_csv_dataset(str(tmp_path / "zz*.csv"), batch_size=2)


# ---------------------------------------------------------------------------------------------------------
# Parity


@pytest.mark.parity
def test_readers_match_tensorflow(real_tf, tmp_path):
    path = _write_records(tmp_path / "ex.rec", [_example(i) for i in range(7)])

    def pipeline(lib):
        specs = {"x": lib.io.FixedLenFeature([2], lib.int64), "y": lib.io.FixedLenFeature([], lib.float32),
                 "name": lib.io.VarLenFeature(lib.string)}
        ds = lib.data.TFRecordDataset([path, path], num_parallel_reads=2)
        ds = ds.map(lambda s: lib.io.parse_single_example(s, specs))
        return [(r["x"].numpy().tolist(), float(r["y"]), r["name"].values.numpy().tolist()) for r in ds]

    assert pipeline(tf) == pipeline(real_tf)


@pytest.mark.parity
def test_csv_readers_match_tensorflow(real_tf, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("h1,h2,h3\n1,2.5,x\n7,,\"q,r\"\n")
    text = (tmp_path / "t.txt")
    text.write_bytes(b"a\r\nb\n\nc")
    pattern = _csv_files(tmp_path)

    def run(lib):
        csv = lib.data.experimental.CsvDataset(str(path), [[0], [1.0], ["d"]], header=True)
        lines = lib.data.TextLineDataset(str(text))
        made = lib.data.experimental.make_csv_dataset(pattern, batch_size=2, label_name="label", num_epochs=1,
                                                      shuffle=False)
        return ([tuple(np.asarray(v.numpy()).tolist() for v in row) for row in csv], list(lines.as_numpy_iterator()),
                [({k: (v.dtype.name, v.numpy().tolist()) for k, v in f.items()}, y.numpy().tolist())
                 for f, y in made])

    assert run(tf) == run(real_tf)


@pytest.mark.parity
@pytest.mark.parametrize("buffer_size", [2, 3, 4, 5, 64])
def test_text_lines_crlf_across_buffers_match_tensorflow(real_tf, tmp_path, buffer_size):
    # a "\r\n" split between two reads must still lose its "\r"
    text = tmp_path / "crlf.txt"
    text.write_bytes(b"abc\r\ndef\r\n\r\nxy\r")

    def run(lib):
        return list(lib.data.TextLineDataset(str(text), buffer_size=buffer_size).as_numpy_iterator())

    assert run(tf) == run(real_tf)


# ---------------------------------------------------------------------------------------------------------
# batch of a reader: batches cut straight from the records or decoded columns


def _batch_outcomes(dataset, steps=20):
    """Each ``next`` of an iterator: ``("ok", components as lists)`` or ``("error", type name)``, to the end."""
    iterator, out = iter(dataset), []
    for _ in range(steps):
        try:
            element = next(iterator)
        except StopIteration:
            break
        except Exception as exc:  # noqa: BLE001 - the error is what the tests compare
            out.append(("error", type(exc).__name__))
            continue
        parts = element if isinstance(element, tuple) else (element,)
        out.append(("ok", [(p.dtype.name, p.numpy().tolist()) for p in parts]))
    return out


def _corrupted_file(tmp_path, records, flip):
    data = bytearray(open(_write_records(tmp_path / "clean.rec", records), "rb").read())
    data[flip] ^= 1
    path = tmp_path / f"bad{flip}.rec"
    path.write_bytes(bytes(data))
    return str(path)


@pytest.mark.parity
@pytest.mark.parametrize("drop_remainder", [False, True])
def test_batched_records_with_errors_match_tensorflow(real_tf, tmp_path, drop_remainder):
    records = [b"rec%d" % i for i in range(7)]
    bad = _corrupted_file(tmp_path, records, 5 * 20 + 14)  # record 5's data
    cut = tmp_path / "cut.rec"
    cut.write_bytes(open(_write_records(tmp_path / "c.rec", records[:3]), "rb").read()[:-3])
    good = _write_records(tmp_path / "good.rec", [b"ok%d" % i for i in range(5)])
    files = [bad, good, str(cut), good]

    def run(lib, **kwargs):
        return _batch_outcomes(lib.data.TFRecordDataset(files, **kwargs).batch(3, drop_remainder=drop_remainder))

    assert run(tf) == run(real_tf)
    assert run(tf, num_parallel_reads=2) == run(real_tf, num_parallel_reads=2)
    assert run(tf)[0] == ("ok", [("string", [b"rec0", b"rec1", b"rec2"])])


@pytest.mark.parity
def test_batched_text_lines_and_fixed_length_records_match_tensorflow(real_tf, tmp_path):
    text = tmp_path / "t.txt"
    text.write_bytes(b"".join(b"line %d\r\n" % i for i in range(11)))
    fixed = tmp_path / "f.bin"
    fixed.write_bytes(b"HEAD" + bytes(range(40)) + b"FT")

    def run(lib):
        lines = lib.data.TextLineDataset([str(text), str(text)], buffer_size=16).batch(4)
        records = lib.data.FixedLengthRecordDataset([str(fixed), str(fixed)], 8, header_bytes=4,
                                                    footer_bytes=2).batch(3, drop_remainder=True)
        return _batch_outcomes(lines), _batch_outcomes(records)

    assert run(tf) == run(real_tf)


@pytest.mark.parity
@pytest.mark.parametrize("batch_size", [1, 3, 4])
def test_batched_csv_records_with_errors_match_tensorflow(real_tf, tmp_path, batch_size):
    path = tmp_path / "c.csv"
    path.write_text("a,b,c\n1,2.5,x\n2,oops,y\n3,,\"q,r\"\n4,1,z\n5,2,w\n6\n7,3,v\n8,4,u\n")
    other = tmp_path / "d.csv"
    other.write_text("a,b,c\n" + "".join(f"{i},{i / 4},n{i}\n" for i in range(10)))

    def run(lib):
        csv = lib.data.experimental.CsvDataset([str(path), str(other)], [[0], [1.0], ["d"]], header=True)
        return _batch_outcomes(csv.batch(batch_size), steps=40)

    assert run(tf) == run(real_tf)


def test_batched_readers_equal_stacked_elements(tmp_path):
    """The batches cut at once hold what stacking the dataset's elements gives (dtypes and values)."""
    path = _write_records(tmp_path / "r.rec", [b"r%d" % i for i in range(10)])
    missing = str(tmp_path / "missing.rec")
    csv = tmp_path / "c.csv"
    csv.write_text("".join(f"{i},{i * 1.5},s{i}\n" for i in range(10)) + "x,1,2\n1,2,3\n")
    misfit = tmp_path / "m.bin"
    misfit.write_bytes(bytes(13))
    for ds in (tf.data.TFRecordDataset([path, missing, path]),
               tf.data.TFRecordDataset([path, missing, path], num_parallel_reads=2),
               tf.data.experimental.CsvDataset([str(csv), missing, str(csv)], [tf.int64, [0.0], [""]]),
               tf.data.FixedLengthRecordDataset([str(misfit), str(misfit)], 2, header_bytes=2)):
        stacked = ds.map(lambda *x: x).batch(4)  # map hides the reader from batch: elements are stacked
        assert _batch_outcomes(ds.batch(4)) == _batch_outcomes(stacked)
