"""TFRecord files: framing, compression, writer behaviour, corruption handling and parity with TensorFlow."""
import gzip
import random
import struct
import zlib

import numpy as np
import pytest

import ndflow as tf
from ndflow.io.tfrecord import read_records

RECORDS = [b"hello", b"", b"x" * 1000, bytes(range(256)) * 300]


def _crc32c_reference(data: bytes) -> int:
    """Bitwise CRC32C (Castagnoli, reflected polynomial 0x82F63B78), independent of the library in use."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def _masked(data: bytes) -> int:
    crc = _crc32c_reference(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _framed(records) -> bytes:
    out = b""
    for r in records:
        length = struct.pack("<Q", len(r))
        out += length + struct.pack("<I", _masked(length)) + r + struct.pack("<I", _masked(r))
    return out


def _write(path, records, options=None):
    with tf.io.TFRecordWriter(str(path), options) as writer:
        for r in records:
            writer.write(r)
    return path.read_bytes()


def test_crc32c_known_value():
    from ndflow.io.crc32c import crc32c

    assert crc32c(b"123456789") == 0xE3069283 == _crc32c_reference(b"123456789")


def test_framing_matches_the_format(tmp_path):
    assert _write(tmp_path / "a.rec", RECORDS) == _framed(RECORDS)


@pytest.mark.parametrize("kind, decompress", [("GZIP", gzip.decompress), ("ZLIB", zlib.decompress)])
def test_compressed_files_hold_the_framed_records(tmp_path, kind, decompress):
    data = _write(tmp_path / "a.rec", RECORDS, kind)
    assert decompress(data) == _framed(RECORDS)
    assert list(read_records(tmp_path / "a.rec", kind)) == RECORDS


@pytest.mark.parametrize("kind", ["", "GZIP", "ZLIB"])
def test_round_trip_and_iterators(tmp_path, kind):
    path = tmp_path / "a.rec"
    _write(path, RECORDS, tf.io.TFRecordOptions(kind))
    assert list(tf.compat.v1.python_io.tf_record_iterator(str(path), kind)) == RECORDS
    options = tf.io.TFRecordOptions(compression_type=kind)
    assert list(tf.compat.v1.python_io.tf_record_iterator(path, options)) == RECORDS


def test_writer_accepts_str_and_rejects_other_types(tmp_path):
    path = tmp_path / "a.rec"
    with tf.io.TFRecordWriter(str(path)) as writer:
        writer.write("héllo")
        with pytest.raises(TypeError):
            writer.write(5)
    assert list(read_records(path)) == ["héllo".encode()]


def test_closed_writer(tmp_path):
    writer = tf.io.TFRecordWriter(str(tmp_path / "a.rec"))
    writer.close()
    writer.close()
    with pytest.raises(tf.errors.FailedPreconditionError, match="Writer is closed."):
        writer.write(b"a")
    with pytest.raises(tf.errors.FailedPreconditionError, match="Writer is closed."):
        writer.flush()


def test_flush_makes_records_readable(tmp_path):
    path = tmp_path / "a.rec"
    writer = tf.io.TFRecordWriter(str(path))
    writer.write(b"abc")
    writer.flush()
    assert list(read_records(path)) == [b"abc"]
    writer.close()


def test_options_and_compression_names():
    options = tf.io.TFRecordOptions
    assert options.get_compression_type_string(None) == ""
    assert options.get_compression_type_string("ZLIB") == "ZLIB"
    assert options.get_compression_type_string(tf.compat.v1.python_io.TFRecordCompressionType.GZIP) == "GZIP"
    assert options.get_compression_type_string(options("GZIP")) == "GZIP"
    with pytest.raises(ValueError, match='Not a valid compression_type: "BAD"'):
        options("BAD")


def test_missing_directory_and_missing_file(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        tf.io.TFRecordWriter(str(tmp_path / "nope" / "a.rec"))
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        list(read_records(tmp_path / "missing.rec"))


@pytest.mark.parametrize("cut, message", [(5, "truncated record at 0"), (14, "truncated record at 0"),
                                          (21 + 5, "truncated record at 21")])
def test_truncation_is_data_loss_naming_file_and_offset(tmp_path, cut, message):
    path = tmp_path / "cut.rec"
    path.write_bytes(_framed(RECORDS)[:cut])
    with pytest.raises(tf.errors.DataLossError, match=message) as info:
        list(read_records(path))
    assert str(path) in str(info.value)


@pytest.mark.parametrize("position, message", [(1, "corrupted record at 0 .*Is this even a TFRecord file"),
                                               (13, "corrupted record at 0"), (18, "corrupted record at 0")])
def test_bit_flips_are_data_loss(tmp_path, position, message):
    data = bytearray(_framed(RECORDS))
    data[position] ^= 1
    path = tmp_path / "flip.rec"
    path.write_bytes(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match=message):
        list(read_records(path))


@pytest.mark.parametrize("kind", ["", "GZIP", "ZLIB"])
def test_fuzzed_files_never_yield_wrong_records(tmp_path, kind):
    """Random truncations and bit flips: reading ends (no hang), raises only DataLossError, and every record
    returned before the error is one of the records written, in order."""
    records = [bytes(random.Random(i).randbytes(random.Random(i).randint(0, 60))) for i in range(30)]
    clean = _write(tmp_path / "clean.rec", records, kind)
    rng = random.Random(1234)
    path = tmp_path / "fuzz.rec"
    for trial in range(150):
        data = bytearray(clean)
        if trial % 2:
            data = data[:rng.randrange(len(data))]
        else:
            for _ in range(rng.randint(1, 3)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        got = []
        try:
            for record in read_records(path, kind):
                got.append(record)
        except tf.errors.DataLossError as exc:
            assert str(path) in str(exc)
        assert got == records[:len(got)], f"trial {trial}: a wrong record came back"
        if trial % 2 and not kind:
            complete = sum(1 for i in range(len(records))
                           if len(_framed(records[:i + 1])) <= len(data))
            assert len(got) == complete


def test_huge_length_field_does_not_allocate(tmp_path):
    length = struct.pack("<Q", 1 << 60)
    path = tmp_path / "huge.rec"
    path.write_bytes(length + struct.pack("<I", _masked(length)) + b"abc")
    with pytest.raises(tf.errors.DataLossError, match="truncated record at 0"):
        list(read_records(path))


def test_empty_files(tmp_path):
    for kind in ("", "GZIP", "ZLIB"):
        path = tmp_path / f"empty{kind}.rec"
        path.write_bytes(b"")
        assert list(read_records(path, kind)) == []


def test_concatenated_gzip_members_are_read_in_turn(tmp_path):
    path = tmp_path / "two.rec"
    path.write_bytes(gzip.compress(_framed(RECORDS[:2])) + gzip.compress(_framed(RECORDS[2:])))
    assert list(read_records(path, "GZIP")) == RECORDS


# ---------------------------------------------------------------------------------------------------------
# Parity with TensorFlow


def _examples(n):
    out = []
    for i in range(n):
        out.append(tf.train.Example(features=tf.train.Features(feature={
            "x": tf.train.Feature(float_list=tf.train.FloatList(value=[i * 0.5, -1.25])),
            "i": tf.train.Feature(int64_list=tf.train.Int64List(value=[i])),
            "s": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"rec%d" % i]))})).SerializeToString())
    return out


@pytest.mark.parity
@pytest.mark.parametrize("kind", ["", "GZIP", "ZLIB"])
def test_bytes_equal_tensorflow_writer(tmp_path, real_tf, kind):
    records = RECORDS + _examples(300)
    ours = _write(tmp_path / "ours.rec", records, kind)
    with real_tf.io.TFRecordWriter(str(tmp_path / "tf.rec"), kind) as writer:
        for r in records:
            writer.write(r)
    assert ours == (tmp_path / "tf.rec").read_bytes()


@pytest.mark.parity
@pytest.mark.parametrize("kind", ["GZIP", "ZLIB"])
def test_flushed_compressed_bytes_equal_tensorflow(tmp_path, real_tf, kind):
    for lib, name in ((tf, "ours.rec"), (real_tf, "tf.rec")):
        writer = lib.io.TFRecordWriter(str(tmp_path / name), lib.io.TFRecordOptions(kind))
        writer.write(b"hello")
        writer.flush()
        writer.write(b"x" * 1000)
        writer.close()
    assert (tmp_path / "ours.rec").read_bytes() == (tmp_path / "tf.rec").read_bytes()


@pytest.mark.parity
@pytest.mark.parametrize("kind", ["", "GZIP", "ZLIB"])
def test_each_reads_the_others_files(tmp_path, real_tf, kind):
    records = RECORDS + _examples(20)
    _write(tmp_path / "ours.rec", records, kind)
    theirs = [r.numpy() for r in real_tf.data.TFRecordDataset(str(tmp_path / "ours.rec"), kind)]
    assert theirs == records
    with real_tf.io.TFRecordWriter(str(tmp_path / "tf.rec"), kind) as writer:
        for r in records:
            writer.write(r)
    assert list(read_records(tmp_path / "tf.rec", kind)) == records


@pytest.mark.parity
@pytest.mark.parametrize("cut", [14, 36, 1040])
def test_truncation_errors_like_tensorflow(tmp_path, real_tf, cut):
    """Cuts inside a record (TF stops silently on a cut inside a header; we report that as data loss too)."""
    path = tmp_path / "cut.rec"
    path.write_bytes(_framed(RECORDS)[:cut])
    with pytest.raises(real_tf.errors.DataLossError) as theirs:
        list(real_tf.data.TFRecordDataset(str(path)))
    with pytest.raises(tf.errors.DataLossError) as ours:
        list(read_records(path))
    offset = str(ours.value).split(" in ")[0]
    assert offset in str(theirs.value)


@pytest.mark.parity
def test_tensorflow_examples_parse_with_our_protos(real_tf):
    theirs = real_tf.train.Example(features=real_tf.train.Features(feature={
        "val": real_tf.train.Feature(float_list=real_tf.train.FloatList(value=np.arange(4.0))),
        "labels": real_tf.train.Feature(int64_list=real_tf.train.Int64List(value=[1])),
        "name": real_tf.train.Feature(bytes_list=real_tf.train.BytesList(value=[b"aa"]))}))
    data = theirs.SerializeToString(deterministic=True)
    ours = tf.train.Example.FromString(data)
    assert list(ours.features.feature["val"].float_list.value) == [0.0, 1.0, 2.0, 3.0]
    assert ours.SerializeToString(deterministic=True) == data


def test_missing_crc32c_library_is_a_clear_import_error(tmp_path, monkeypatch):
    from ndflow.io import crc32c

    monkeypatch.setattr(crc32c, "_crc32c", None)
    monkeypatch.setitem(__import__("sys").modules, "crc32c", None)
    monkeypatch.setitem(__import__("sys").modules, "google_crc32c", None)
    with pytest.raises(ImportError, match="pip install crc32c"):
        tf.io.TFRecordWriter(str(tmp_path / "a.rec"))


def test_example_stand_ins_without_protobuf():
    from ndflow.train.example import _unavailable

    stand_in = _unavailable("Example", ImportError("protobuf is missing"))
    with pytest.raises(ImportError, match="tf.train.Example: protobuf is missing"):
        stand_in()
    with pytest.raises(ImportError, match="protobuf is missing"):
        stand_in.FromString(b"")


@pytest.mark.parametrize("buffer_size", [None, 100, 2000])  # checked in bulk, one by one, both
@pytest.mark.parametrize("part, hint", [(0, True), (9, True), (12, False), (-2, False)])
def test_corruption_inside_a_run_of_records(tmp_path, buffer_size, part, hint):
    """A flipped bit in record 123 (its length, length checksum, data or data checksum): the records before it
    come back, then TF's error naming record 123's offset."""
    records = [b"r%03d" % i * (i % 5 + 1) for i in range(200)]
    frames = [_framed([r]) for r in records]
    offset = sum(len(f) for f in frames[:123])
    data = bytearray(b"".join(frames))
    data[offset + part % len(frames[123])] ^= 1
    path = tmp_path / "flip.rec"
    path.write_bytes(bytes(data))
    got = []
    with pytest.raises(tf.errors.DataLossError) as info:
        for record in read_records(path, buffer_size=buffer_size):
            got.append(record)
    assert got == records[:123]
    message = f"corrupted record at {offset} in {path}"
    assert str(info.value).endswith(message + (" (Is this even a TFRecord file?)" if hint else ""))


def test_bulk_length_checksums_equal_the_reference():
    from ndflow.io.tfrecord import _masked_length_crcs

    rng = np.random.default_rng(0)
    headers = rng.integers(0, 256, size=(64, 12), dtype=np.uint8)
    headers[:3, :8] = 0
    headers[1, 0], headers[2, 7] = 255, 255
    expected = [_masked(bytes(row[:8])) for row in headers]
    assert _masked_length_crcs(headers).tolist() == expected
