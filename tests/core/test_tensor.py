import re

import numpy as np
import pytest

import ndflow as tf


def test_python_values_get_tf_default_dtypes():
    assert tf.constant(1.2).dtype == tf.float32
    assert tf.constant([1, 2, 3]).dtype == tf.int32
    assert tf.constant(2**40).dtype == tf.int64
    assert tf.constant(True).dtype == tf.bool
    assert tf.constant("TensorFlow hub").dtype == tf.string
    assert tf.constant(1 + 2j).dtype == tf.complex128


def test_numpy_arrays_keep_their_dtype():
    t = tf.convert_to_tensor(np.array([[1, 2.0], [3, 4]]))
    assert t.dtype == tf.float64 and t.shape == (2, 2)
    assert tf.constant(np.float64(5.0)).dtype == tf.float64


def test_constant_with_dtype_and_shape():
    t = tf.constant(5, shape=[2, 2])
    np.testing.assert_array_equal(t.numpy(), np.full((2, 2), 5, dtype=np.int32))
    np.testing.assert_array_equal(tf.constant([1, 2, 3, 4], shape=[2, 2]).numpy(), [[1, 2], [3, 4]])
    assert tf.constant(np.pi, dtype=tf.float16).numpy() == np.float16(np.pi)
    with pytest.raises(TypeError, match="unsupported shape"):
        tf.constant([1, 2, 3], shape=[2, 2])
    with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int32"):
        tf.constant(1.5, dtype=tf.int32)
    with pytest.raises(ValueError, match="non-rectangular"):
        tf.constant([[1, 2], [3]])


def test_repr_and_str_follow_tensorflow():
    assert repr(tf.constant(3)) == "<tf.Tensor: shape=(), dtype=int32, numpy=3>"
    assert str(tf.constant(0.5)) == "tf.Tensor(0.5, shape=(), dtype=float32)"
    assert str(tf.constant([[1.0, 2.0], [3.0, 4.0]])) == (
        "tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)")
    assert repr(tf.constant("ab")) == "<tf.Tensor: shape=(), dtype=string, numpy=b'ab'>"
    assert str(tf.constant(["ab", "c"])) == "tf.Tensor([b'ab' b'c'], shape=(2,), dtype=string)"


def test_python_protocols():
    t = tf.constant([1, 2, 3])
    assert len(t) == 3 and [int(x) for x in t] == [1, 2, 3]
    assert bool(tf.constant(True)) and int(tf.constant(3)) == 3 and float(tf.constant(2.5)) == 2.5
    assert list(range(10))[tf.constant(4)] == 4
    np.testing.assert_array_equal(np.asarray(t), [1, 2, 3])
    with pytest.raises(TypeError):
        len(tf.constant(1))
    with pytest.raises(TypeError, match="unhashable"):
        hash(t)
    assert t.ref().deref() is t


def test_scalars_adopt_partner_dtype_and_tensors_do_not_promote():
    x = tf.constant([1.0, 2.0])
    assert (x + 1).dtype == tf.float32
    assert (2 * tf.constant([1, 2])).dtype == tf.int32
    assert (np.array([1.0, 2.0]) + tf.constant([1.0, 2.0], tf.float64)).dtype == tf.float64
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a float tensor but is a double"):
        x + tf.constant([1.0, 2.0], tf.float64)
    with pytest.raises(tf.errors.InvalidArgumentError, match="int32 tensor but is a float tensor"):
        tf.constant(1) + 2.5


def test_shape_api():
    s = tf.TensorShape([None, 3])
    assert s.rank == 2 and s.as_list() == [None, 3] and str(s) == "(None, 3)"
    assert s.is_compatible_with([4, 3]) and not s.is_compatible_with([4, 2])
    assert s.merge_with([4, None]).as_list() == [4, 3]
    assert str(tf.TensorShape([2])) == "(2,)" and str(tf.TensorShape(None)) == "<unknown>"
    with pytest.raises(ValueError):
        s.merge_with([4, 2])
    t = tf.zeros([4, 32, 32, 3])
    assert t.shape[1] == 32 and t.shape.rank == 4 and t.ndim == 4


@pytest.mark.parity
@pytest.mark.parametrize("a, b", [([1, 2], [1, 3]), ([1, 2], None), ([1], [1, 2]), ([None, 4], [5, 4]), ([], [])])
def test_most_specific_compatible_shape_matches_tensorflow(a, b):
    real = pytest.importorskip("tensorflow")
    ours = tf.TensorShape(a).most_specific_compatible_shape(tf.TensorShape(b))
    theirs = real.TensorShape(a).most_specific_compatible_shape(real.TensorShape(b))
    assert ours.rank == theirs.rank
    assert ours.rank is None or ours.as_list() == theirs.as_list()


def test_indexing_like_tensorflow():
    x = tf.reshape(tf.constant(np.arange(4 * 5 * 3, dtype=np.float32)), [4, 5, 3])
    ref = np.arange(4 * 5 * 3, dtype=np.float32).reshape(4, 5, 3)
    np.testing.assert_array_equal(x[1, 2, 1].numpy(), ref[1, 2, 1])
    np.testing.assert_array_equal(x[1][2][1].numpy(), ref[1][2][1])
    np.testing.assert_array_equal(x[0, ::].numpy(), ref[0])
    np.testing.assert_array_equal(x[..., 1].numpy(), ref[..., 1])
    np.testing.assert_array_equal(x[::-1, 1:4:2, None].numpy(), ref[::-1, 1:4:2, None])
    np.testing.assert_array_equal(x[-1].numpy(), ref[-1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of bounds"):
        x[7]
    with pytest.raises(TypeError, match="Only integers"):
        x[1.5]


@pytest.mark.parity
def test_tensor_printing_parity():
    ref = pytest.importorskip("tensorflow")
    values = [1.5, [1, 2], [[1.0, 2.0], [3.0, 4.0]], True, "abc", ["a", "bc"], np.arange(6).reshape(2, 3)]
    for v in values:
        assert repr(tf.constant(v)) == repr(ref.constant(v)), v
        assert str(tf.constant(v)) == str(ref.constant(v)), v


@pytest.mark.parametrize("make, error, message", [
    (lambda: tf.constant(1, dtype=tf.string), TypeError, "Cannot convert 1 to EagerTensor of dtype string"),
    (lambda: tf.constant([1, "a"]), ValueError, "Can't convert Python sequence with mixed types to Tensor."),
])
def test_constant_rejects_numbers_as_strings_like_tensorflow(make, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make()


@pytest.mark.parity
@pytest.mark.parametrize("make", [lambda m: m.zeros((2, 0)), lambda m: m.constant([[1.5, 2.0], [3.0, 4.0]]),
                                  lambda m: m.constant([1, 2]), lambda m: m.constant(["a", "b"])])
def test_repr_breaks_lines_like_tensorflow(make):
    real_tf = pytest.importorskip("tensorflow")
    assert repr(make(tf)) == repr(make(real_tf))
