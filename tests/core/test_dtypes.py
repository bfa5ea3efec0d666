import numpy as np
import pytest

import ndflow as tf


def test_dtype_properties_match_numpy():
    assert tf.float32.name == "float32" and tf.float32.size == 4
    assert tf.float32.is_floating and not tf.float32.is_integer
    assert tf.int8.max == np.iinfo(np.int8).max and tf.uint8.min == 0
    assert tf.float32.min == np.finfo(np.float32).min
    assert tf.float64.as_numpy_dtype is np.float64
    assert tf.complex64.is_complex and tf.complex64.real_dtype == tf.float32
    assert tf.bool.is_bool and tf.uint16.is_unsigned


def test_as_dtype_accepts_names_numpy_types_and_dtypes():
    assert tf.as_dtype("float64") is tf.float64
    assert tf.as_dtype(np.int64) is tf.int64
    assert tf.as_dtype(np.dtype("float16")) is tf.float16
    assert tf.as_dtype(float) is tf.float32
    assert tf.as_dtype(tf.int32) is tf.int32
    assert tf.double is tf.float64 and tf.half is tf.float16
    with pytest.raises(TypeError):
        tf.as_dtype("nonsense")


def test_dtype_equality_and_printing():
    assert tf.float32 == np.float32 and tf.float32 == "float32"
    assert tf.float32 != tf.float64
    assert repr(tf.float32) == "tf.float32"
    assert str(tf.int32) == "<dtype: 'int32'>"


@pytest.mark.parity
def test_dtype_parity_with_tensorflow():
    ref = pytest.importorskip("tensorflow")
    for name in ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16",
                 "uint32", "uint64", "bool", "complex64", "complex128"]:
        ours, theirs = tf.as_dtype(name), ref.as_dtype(name)
        assert (ours.is_floating, ours.is_integer, ours.is_complex, ours.size) == (
            theirs.is_floating, theirs.is_integer, theirs.is_complex, theirs.size), name
        if ours.is_complex or ours.is_bool:
            with pytest.raises(TypeError):
                _ = ours.min
        else:
            assert ours.min == theirs.min and ours.max == theirs.max, name
        assert str(ours) == str(theirs) and ours.as_datatype_enum == theirs.as_datatype_enum
