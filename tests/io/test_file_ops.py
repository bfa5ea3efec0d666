"""read_file/write_file/matching_files, serialize_tensor/parse_tensor, decode_raw and tf.io.gfile."""
import os

import numpy as np
import pytest

import ndflow as tf

from .helpers import outcome

# ---------------------------------------------------------------------------------------------------------
# read_file, write_file, matching_files


def test_write_then_read_creates_directories(tmp_path):
    path = tmp_path / "sub" / "dir" / "f.bin"
    assert tf.io.write_file(str(path), b"ab\x00\xff") is None
    data = tf.io.read_file(str(path))
    assert data.dtype == tf.string and data.shape == ()
    assert data.numpy() == b"ab\x00\xff" == path.read_bytes()


def test_file_errors(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match=r"nope.txt; No such file or directory \[Op:ReadFile\]"):
        tf.io.read_file(str(tmp_path / "nope.txt"))
    with pytest.raises(tf.errors.FailedPreconditionError, match="Is a directory"):
        tf.io.read_file(str(tmp_path))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input filename tensor must be scalar"):
        tf.io.read_file([str(tmp_path)])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Contents tensor must be scalar"):
        tf.io.write_file(str(tmp_path / "x"), ["a"])


def test_matching_files_sorted(tmp_path):
    for name in ("b.txt", "a.txt", "c.dat"):
        (tmp_path / name).write_text("x")
    found = tf.io.matching_files([str(tmp_path / "*.dat"), str(tmp_path / "*.txt")]).numpy()
    assert [os.path.basename(p) for p in found.tolist()] == [b"a.txt", b"b.txt", b"c.dat"]
    assert tf.io.matching_files(str(tmp_path / "zz*")).shape == (0,)


def test_file_ops_inside_a_function(tmp_path):
    path = tmp_path / "f.txt"

    @tf.function
    def copy_upper(src, dst):
        tf.io.write_file(dst, tf.io.read_file(src))
        return tf.io.read_file(src)

    path.write_bytes(b"hello")
    assert copy_upper(tf.constant(str(path)), tf.constant(str(tmp_path / "g.txt"))).numpy() == b"hello"
    assert (tmp_path / "g.txt").read_bytes() == b"hello"


# ---------------------------------------------------------------------------------------------------------
# serialize_tensor / parse_tensor / decode_raw

TENSORS = [
    lambda t: t.constant([[1.5, 2.0], [3.0, 4.0]]),
    lambda t: t.constant([b"a", b"bcd", b"\x00z\x00"]),
    lambda t: t.constant(7),
    lambda t: t.constant([True, False]),
    lambda t: t.constant([1, 2], t.int64),
    lambda t: t.constant(np.zeros((0, 3), np.float32)),
    lambda t: t.constant([1 + 2j], t.complex64),
    lambda t: t.constant([1.0, -2.5], t.float16),
    lambda t: t.constant([1, 255], t.uint8),
    lambda t: t.constant(np.arange(6, dtype=np.float64).reshape(1, 2, 3)),
]


@pytest.mark.parametrize("index", range(len(TENSORS)))
def test_serialize_round_trip(index):
    value = TENSORS[index](tf)
    back = tf.io.parse_tensor(tf.io.serialize_tensor(value), value.dtype)
    assert back.dtype == value.dtype and back.shape == value.shape
    np.testing.assert_array_equal(back.numpy(), value.numpy())


@pytest.mark.parity
@pytest.mark.parametrize("index", range(len(TENSORS)))
def test_serialized_bytes_equal_tensorflow(real_tf, index):
    ours = tf.io.serialize_tensor(TENSORS[index](tf)).numpy()
    theirs = real_tf.io.serialize_tensor(TENSORS[index](real_tf)).numpy()
    assert ours == theirs
    value = TENSORS[index](real_tf)
    np.testing.assert_array_equal(tf.io.parse_tensor(theirs, value.dtype.name).numpy(), value.numpy())


@pytest.mark.parity
def test_parse_tensor_typed_fields_and_errors_parity(real_tf):
    from tensorflow.core.framework import tensor_pb2

    protos = [tensor_pb2.TensorProto(dtype=1, float_val=[1.0], tensor_shape={"dim": [{"size": 3}]}),
              tensor_pb2.TensorProto(dtype=1, float_val=[1.0, 2.0, 3.0, 4.0], tensor_shape={"dim": [{"size": 3}]}),
              tensor_pb2.TensorProto(dtype=7, string_val=[b"a"], tensor_shape={"dim": [{"size": 2}]}),
              tensor_pb2.TensorProto(dtype=19, half_val=[15360], tensor_shape={"dim": [{"size": 2}]}),
              tensor_pb2.TensorProto(dtype=3, tensor_shape={"dim": [{"size": 2}]}),
              tensor_pb2.TensorProto(dtype=1, float_val=[1.0], tensor_shape={"unknown_rank": True})]
    for proto in protos:
        data = proto.SerializeToString()
        dtype = {1: "float32", 7: "string", 19: "float16", 3: "int32"}[proto.dtype]
        np.testing.assert_array_equal(tf.io.parse_tensor(data, dtype).numpy(),
                                      real_tf.io.parse_tensor(data, dtype).numpy())
    serialized = real_tf.io.serialize_tensor(real_tf.constant([1, 2])).numpy()
    for lib in (tf, real_tf):
        with pytest.raises(lib.errors.InvalidArgumentError, match=r"Type mismatch between parsed tensor \(int32\) "
                                                                  r"and dtype \(float\)"):
            lib.io.parse_tensor(serialized, lib.float32)
        with pytest.raises(lib.errors.InvalidArgumentError, match="Expected `serialized` to be a scalar"):
            lib.io.parse_tensor([serialized], lib.int32)


RAW_CASES = {
    "int16": ([b"\x01\x00\x02\x00", b"\x03\x00\x04\x01"], "int16", {}),
    "big_endian": ([b"\x01\x00\x02\x00"], "int16", {"little_endian": False}),
    "float": (b"\x00\x00\x80\x3f", "float32", {}),
    "uint8": (b"abc", "uint8", {}),
    "bool": (b"\x02\x00", "bool", {}),
    "empty_scalar": (b"", "int32", {}),
    "empty_vector": ([], "int16", {}),
    "padded": ([b"\x01\x00\x02", b"\x03\x00\x04\x01\x05"], "int16", {"fixed_length": 4}),
    "rank2": ([[b"ab"], [b"cd"]], "uint8", {}),
    "ragged": ([b"\x01\x00\x02", b"\x03\x00\x04\x01"], "int16", {}),
    "odd_length": ([b"abc"], "int16", {}),
    "odd_fixed_length": ([b"ab"], "int16", {"fixed_length": 3}),
    "string_type": (b"abc", "string", {}),
    "complex": (b"\x00\x00\x80\x3f\x00\x00\x00\x40", "complex64", {}),
}


@pytest.mark.parity
@pytest.mark.parametrize("case", sorted(RAW_CASES))
def test_decode_raw_parity(real_tf, case):
    data, dtype, kwargs = RAW_CASES[case]

    def run(lib):
        out = lib.io.decode_raw(lib.constant(data, lib.string), lib.as_dtype(dtype), **kwargs)
        return out.dtype.name, out.numpy().shape, out.numpy().tolist()

    ours, theirs = outcome(lambda: run(tf)), outcome(lambda: run(real_tf))
    assert ours[:2] == theirs[:2], f"ndflow {ours} vs TF {theirs}"
    if ours[0] == "error":
        assert ours[2].split("[Op:")[0].strip() in theirs[2]


def test_decode_raw_static_shape_in_graphs():
    fn = tf.function(lambda s: tf.io.decode_raw(s, tf.float32, fixed_length=8))
    out = fn.get_concrete_function(tf.TensorSpec([None], tf.string)).structured_outputs
    assert out.shape.as_list() == [None, 2]


# ---------------------------------------------------------------------------------------------------------
# gfile


def test_gfile_reads_writes_and_appends(tmp_path):
    gfile = tf.io.gfile
    path = str(tmp_path / "a" / "f.txt")
    gfile.makedirs(str(tmp_path / "a"))
    gfile.makedirs(str(tmp_path / "a"))
    with gfile.GFile(path, "w") as f:
        f.write("hi\nthere\n")
        f.write(b"bytes too\n")
    with gfile.GFile(path, "a") as f:
        f.write("more")
    with gfile.GFile(path) as f:
        assert f.readline() == "hi\n"
        assert f.readlines() == ["there\n", "bytes too\n", "more"]
    assert gfile.GFile(path, "rb").read() == b"hi\nthere\nbytes too\nmore"
    assert list(gfile.GFile(path)) == ["hi\n", "there\n", "bytes too\n", "more"]
    f = gfile.GFile(path)
    f.seek(3)
    assert (f.tell(), f.read(5), f.size()) == (3, "there", 23)
    f.close()
    with pytest.raises(tf.errors.PermissionDeniedError, match="File isn't open for reading"):
        f.read()
    with pytest.raises(tf.errors.PermissionDeniedError, match="File isn't open for writing"):
        gfile.GFile(path).write("x")
    with pytest.raises(tf.errors.InvalidArgumentError, match="mode is not 'r' or 'w'"):
        gfile.GFile(path, "x")


def test_gfile_directory_operations(tmp_path):
    gfile = tf.io.gfile
    base = str(tmp_path)
    gfile.makedirs(base + "/a/b/c")
    gfile.mkdir(base + "/d")
    gfile.mkdir(base + "/d")
    (tmp_path / "a" / "f.txt").write_text("x")
    assert sorted(gfile.listdir(base + "/a")) == ["b", "f.txt"]
    assert gfile.isdir(base + "/a") and not gfile.isdir(base + "/a/f.txt") and gfile.exists(base + "/a/f.txt")
    assert gfile.glob(base + "/a/*") == sorted([base + "/a/b", base + "/a/f.txt"])
    info = gfile.stat(base + "/a/f.txt")
    assert (info.length, info.is_directory, isinstance(info.mtime_nsec, int)) == (1, False, True)
    gfile.copy(base + "/a/f.txt", base + "/a/g.txt")
    with pytest.raises(tf.errors.AlreadyExistsError):
        gfile.copy(base + "/a/f.txt", base + "/a/g.txt")
    gfile.copy(base + "/a/f.txt", base + "/a/g.txt", overwrite=True)
    with pytest.raises(tf.errors.AlreadyExistsError):
        gfile.rename(base + "/a/g.txt", base + "/a/f.txt")
    gfile.rename(base + "/a/g.txt", base + "/a/h.txt")
    assert list(gfile.walk(base)) == [(base, ["a", "d"], []), (base + "/a", ["b"], ["f.txt", "h.txt"]),
                                      (base + "/a/b", ["c"], []), (base + "/a/b/c", [], []), (base + "/d", [], [])]
    assert [d for d, _, _ in gfile.walk(base, topdown=False)][-1] == base
    gfile.remove(base + "/a/h.txt")
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        gfile.remove(base + "/a/h.txt")
    with pytest.raises(tf.errors.FailedPreconditionError, match="Is a directory"):
        gfile.remove(base + "/d")
    with pytest.raises(tf.errors.NotFoundError, match="Could not find directory"):
        gfile.listdir(base + "/zz")
    with pytest.raises(tf.errors.NotFoundError):
        gfile.mkdir(base + "/x/y")
    gfile.rmtree(base + "/a")
    assert not gfile.exists(base + "/a")
    with pytest.raises(tf.errors.NotFoundError, match="not found"):
        gfile.rmtree(base + "/a")
    assert list(gfile.walk(base + "/zz")) == []


def test_compat_v1_gfile_names(tmp_path):
    path = str(tmp_path / "f.bin")
    with tf.compat.v1.gfile.GFile(path, "wb") as f:
        f.write(b"abc")
    assert tf.compat.v1.gfile.FastGFile(path, "rb").read() == b"abc"
    assert tf.compat.v1.gfile.Exists(path) and tf.compat.v1.gfile.ListDirectory(str(tmp_path)) == ["f.bin"]
    assert tf.compat.v1.gfile.Glob(str(tmp_path / "*")) == [path]


@pytest.mark.parity
def test_gfile_errors_match_tensorflow(real_tf, tmp_path):
    base = str(tmp_path)
    calls = [lambda g: g.listdir(base + "/zz"), lambda g: g.remove(base + "/zz"), lambda g: g.stat(base + "/zz"),
             lambda g: g.GFile(base + "/zz").read(), lambda g: g.rmtree(base + "/zz"),
             lambda g: g.mkdir(base + "/x/y"), lambda g: sorted(g.listdir(base))]
    for call in calls:
        ours = outcome(lambda f=call: f(tf.io.gfile))
        theirs = outcome(lambda f=call: f(real_tf.io.gfile))
        assert ours == theirs
