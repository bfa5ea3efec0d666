"""``x[i]`` with a scalar tensor ``i`` known only at run time (inside ``tf.function``), as TF allows."""
import numpy as np
import pytest

import ndflow as tf
from ndflow._core.execute import execute
from ndflow._core.ops.array_ops import DynamicStridedSlice, _RuntimeIndex
from ndflow.errors import InvalidArgumentError
from tests.gradcheck import check_gradients

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


@pytest.mark.parametrize("index", [
    lambda x, i: x[i],
    lambda x, i: x[:, i],
    lambda x, i: x[..., i, None],
    lambda x, i: x[i:i + 1, 1:],
    lambda x, i: x[:, i::2],
    lambda x, i: x[-i],
])
def test_runtime_index_matches_static_numpy_indexing(index):
    traced = tf.function(index)
    for i in (0, 1):
        np.testing.assert_array_equal(traced(tf.constant(X), tf.constant(i)).numpy(), index(X, i))


def test_static_shape_drops_indexed_dims_and_leaves_runtime_slices_unknown():
    traced = tf.function(lambda x, i: (x[i], x[:, i:]))
    outs = traced.get_concrete_function(tf.TensorSpec([2, 3, 4]), tf.TensorSpec([], tf.int32)).structured_outputs
    assert outs[0].shape.as_list() == [3, 4]
    assert outs[1].shape.as_list() == [2, None, 4]


def test_runtime_index_out_of_bounds_raises_invalid_argument():
    with pytest.raises(InvalidArgumentError, match="slice index 5 of dimension 1 out of bounds"):
        tf.function(lambda x, i: x[:, i])(tf.constant(X), tf.constant(5))


def test_loop_over_tensor_range_indexes_and_differentiates():
    @tf.function
    def sum_of_squares(x):
        total = tf.constant(0.0)
        for i in tf.range(3):
            total += x[i] * x[i]
        return total

    v = tf.constant([1.0, 2.0, 3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(v)
        y = sum_of_squares(v)
    assert float(y) == 14.0
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [2.0, 4.0, 6.0, 0.0])


def test_dynamic_strided_slice_gradient_float64():
    key = (slice(None), _RuntimeIndex(0), slice(_RuntimeIndex(1), None))
    check_gradients(lambda x: execute(DynamicStridedSlice, (x, tf.constant(1), tf.constant(2)), {"key": key}),
                    np.random.default_rng(0).normal(size=(2, 3, 4)), order=2)
