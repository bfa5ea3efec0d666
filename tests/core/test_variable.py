import numpy as np
import pytest

import ndflow as tf


def test_variable_basics():
    v = tf.Variable([1.0, 2.0], name="v")
    assert v.name == "v:0" and v.dtype == tf.float32 and v.shape == (2,) and v.trainable
    assert tf.Variable(1.0).name == "Variable:0"
    assert not tf.Variable(1.0, trainable=False).trainable
    assert repr(v) == "<tf.Variable 'v:0' shape=(2,) dtype=float32, numpy=array([1., 2.], dtype=float32)>"
    np.testing.assert_array_equal((v + 1).numpy(), [2.0, 3.0])
    assert isinstance(v.read_value(), tf.Tensor) and not isinstance(v, tf.Tensor)


def test_assign_family():
    v = tf.Variable([1.0, 2.0])
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub([0.5, 0.5])
    np.testing.assert_array_equal(v.numpy(), [3.5, 4.5])
    with pytest.raises(ValueError, match="Shape mismatch"):
        v.assign([1.0, 2.0, 3.0])


def test_slice_assign():
    v = tf.Variable([1.0, 2.0, 3.0, 4.0])
    v[1:3].assign([9.0, 8.0])
    v[0].assign(5.0)
    np.testing.assert_array_equal(v.numpy(), [5.0, 9.0, 8.0, 4.0])


def test_reads_are_snapshots():
    v = tf.Variable(1.0)
    before = v.read_value()
    v.assign(2.0)
    assert float(before) == 1.0 and float(v) == 2.0


def test_variable_with_dtype_and_callable_initial_value():
    v = tf.Variable(lambda: [1, 2], dtype=tf.float64)
    assert v.dtype == tf.float64
    with pytest.raises(ValueError):
        tf.Variable(None)


def test_variables_are_unhashable_but_have_refs():
    v = tf.Variable(1.0)
    with pytest.raises(TypeError, match="unhashable"):
        _ = {v: 1}
    assert {v.ref(): 1}[v.ref()] == 1
