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


def test_strided_slice_with_run_time_bounds_in_a_tf1_graph():
    v1 = tf.compat.v1
    with v1.Graph().as_default():
        i = v1.placeholder(tf.int32, [])
        data = tf.reshape(tf.range(40), [4, 10])
        window = v1.strided_slice(data, [0, i * 5], [4, (i + 1) * 5])
        assert window.shape.as_list() == [4, None]
        with v1.Session() as sess:
            np.testing.assert_array_equal(sess.run(window, {i: 1}), np.arange(40).reshape(4, 10)[:, 5:10])


@pytest.mark.parity
@pytest.mark.parametrize("seq_axis, batch_axis", [(1, 0), (0, 1), (2, 0)])
def test_reverse_sequence_matches_tensorflow(seq_axis, batch_axis):
    real_tf = pytest.importorskip("tensorflow")
    x = np.arange(2 * 4 * 3, dtype=np.float32).reshape(2, 4, 3)
    if (seq_axis, batch_axis) == (0, 1):
        x = x.transpose(1, 0, 2)
    lengths = [2, 3]
    ours = tf.reverse_sequence(x, lengths, seq_axis=seq_axis, batch_axis=batch_axis)
    theirs = real_tf.reverse_sequence(x, lengths, seq_axis=seq_axis, batch_axis=batch_axis)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_reverse_sequence_gradient_and_errors():
    check_gradients(lambda x: tf.reverse_sequence(x, [1, 3], seq_axis=1), np.random.default_rng(1).normal(size=(2, 3)))
    with pytest.raises(InvalidArgumentError, match=r"seq_lens\(0\) > input.dims\(1\)"):
        tf.reverse_sequence(tf.zeros((2, 3)), [4, 1], seq_axis=1)


def test_session_feeds_nested_keys_leaf_by_leaf():
    v1 = tf.compat.v1
    with v1.Graph().as_default():
        c, h = v1.placeholder(tf.float32, [2]), v1.placeholder(tf.float32, [2])
        state = v1.nn.rnn_cell.LSTMStateTuple(c, h)
        with v1.Session() as sess:
            np.testing.assert_array_equal(sess.run(c + h, {state: ([1.0, 2.0], [3.0, 4.0])}), [4.0, 6.0])


def test_tile_and_pad_with_amounts_known_at_run_time():
    @tf.function
    def grow(x):
        tiled = tf.tile(tf.ones([1, 2]), tf.stack([tf.shape(x)[0], 1]))
        padded = tf.pad(x, tf.stack([tf.stack([0, 3 - tf.shape(x)[0]]), [1, 0]]), constant_values=7.0)
        return tiled, padded

    x = np.array([[1.0, 2.0]], dtype=np.float32)
    tiled, padded = grow(tf.constant(x))
    np.testing.assert_array_equal(tiled.numpy(), np.tile(np.ones((1, 2)), (1, 1)))
    np.testing.assert_array_equal(padded.numpy(), np.pad(x, [[0, 2], [1, 0]], constant_values=7.0))
    tiled, padded = grow(tf.constant(np.ones((3, 2), np.float32)))
    assert tiled.shape == (3, 2) and padded.shape == (3, 3)


@pytest.mark.parametrize("mode, paddings", [("REFLECT", [[1, 2], [3, 0]]), ("SYMMETRIC", [[3, 2], [4, 1]]),
                                            ("reflect", [[0, 0], [0, 0]])])
def test_mirror_pad_with_amounts_known_at_run_time(mode, paddings):
    x = np.arange(12.0).reshape(3, 4)

    @tf.function(input_signature=[tf.TensorSpec([2, 2], tf.int32)])
    def padded_and_grad(p):
        v = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(v)
            y = tf.pad(v, p, mode=mode)
            loss = tf.reduce_sum(y * y)
        return y, tape.gradient(loss, v)

    y, grad = padded_and_grad(tf.constant(paddings))
    expected = np.pad(x, paddings, mode=mode.lower())
    np.testing.assert_array_equal(y.numpy(), expected)
    # d(sum y^2)/dx: each padded entry's 2*y added back to the input position it copies (found by padding indices)
    source = np.pad(np.arange(x.size).reshape(x.shape), paddings, mode=mode.lower())
    expected_grad = np.bincount(source.ravel(), weights=2 * expected.ravel(), minlength=x.size).reshape(x.shape)
    np.testing.assert_allclose(grad.numpy(), expected_grad)


def test_mirror_pad_at_run_time_rejects_amounts_too_large():
    @tf.function(input_signature=[tf.TensorSpec([1, 2], tf.int32)])
    def reflect(p):
        return tf.pad(tf.constant([1.0, 2.0, 3.0]), p, mode="REFLECT")

    with pytest.raises(InvalidArgumentError, match="paddings must be less than the dimension size: 3, 0 not less "
                                                   "than 3"):
        reflect(tf.constant([[3, 0]]))
