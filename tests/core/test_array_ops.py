"""Creation, shape and indexing ops: values against NumPy, dtypes, TF's errors, float64 gradient checks."""
from __future__ import annotations

import numpy as np
import pytest

import ndflow as tf
from ndflow.errors import InvalidArgumentError
from tests.gradcheck import check_gradients

RS = np.random.RandomState(0)
A23 = RS.randn(2, 3)
A234 = RS.randn(2, 3, 4)
A34 = RS.randn(3, 4)


def _np(t):
    return np.asarray(t.numpy())


# ---------------------------------------------------------------------------------------------------------
# creation


def test_eye_values_and_batch_shape():
    np.testing.assert_array_equal(_np(tf.eye(2, 3)), np.eye(2, 3))
    batched = tf.eye(3, batch_shape=[2, 1], dtype=tf.int64)
    assert batched.dtype == tf.int64 and batched.shape == (2, 1, 3, 3)
    np.testing.assert_array_equal(_np(batched)[1, 0], np.eye(3))
    assert tf.linalg.eye is tf.eye


def test_range_dtype_inference():
    r = tf.range(10, delta=2)
    assert r.dtype == tf.int32
    np.testing.assert_array_equal(_np(r), [0, 2, 4, 6, 8])
    assert tf.range(1, 5.5).dtype == tf.float32
    assert tf.range(tf.constant(2, tf.int64)).dtype == tf.int64
    assert tf.range(tf.constant(1.0, tf.float64), 4).dtype == tf.float64
    np.testing.assert_allclose(_np(tf.range(0.0, 1.0, 0.25)), np.arange(0.0, 1.0, 0.25))
    np.testing.assert_array_equal(_np(tf.range(5, 1, -2)), [5, 3])
    assert tf.range(3, dtype=tf.float64).dtype == tf.float64


def test_range_errors():
    with pytest.raises(InvalidArgumentError, match="Requires delta != 0"):
        tf.range(0, 4, 0)
    with pytest.raises(InvalidArgumentError, match=r"Requires start <= limit when delta > 0: 5/1"):
        tf.range(5, 1)
    with pytest.raises(InvalidArgumentError, match=r"Requires start >= limit when delta < 0: 1/5"):
        tf.range(1, 5, -1)


def test_linspace_values_axis_and_dtype():
    np.testing.assert_allclose(_np(tf.linspace(0.0, 1.0, 5)), np.linspace(0, 1, 5), rtol=1e-6)
    out = tf.linspace([0.0, 1.0], [2.0, 5.0], 3, axis=1)
    np.testing.assert_allclose(_np(out), np.linspace([0.0, 1.0], [2.0, 5.0], 3, axis=1))
    assert tf.linspace(0, 10, 5).dtype == tf.float64
    assert _np(tf.linspace(2.0, 4.0, 1)).tolist() == [2.0]
    assert tf.linspace(2.0, 4.0, 0).shape == (0,)
    assert float(tf.linspace(0.1, 0.7, 7)[-1]) == np.float32(0.7)


def test_linspace_gradients():
    check_gradients(lambda a, b: tf.linspace(a, b, 4, axis=1), RS.randn(2), RS.randn(3, 1) + 1.0, order=2)
    check_gradients(lambda a, b: tf.linspace(a, b, 1), RS.randn(3), RS.randn(3))


def test_meshgrid_xy_and_ij():
    x, y = np.arange(3), np.arange(4, 6)
    for indexing in ("xy", "ij"):
        got = tf.meshgrid(x, y, indexing=indexing)
        for g, e in zip(got, np.meshgrid(x, y, indexing=indexing)):
            np.testing.assert_array_equal(_np(g), e)
    got = tf.meshgrid(np.arange(2), np.arange(3), np.arange(4))
    for g, e in zip(got, np.meshgrid(np.arange(2), np.arange(3), np.arange(4))):
        np.testing.assert_array_equal(_np(g), e)
    with pytest.raises(ValueError, match="must be either 'xy' or 'ij'"):
        tf.meshgrid(x, y, indexing="xx")


def test_meshgrid_gradients():
    check_gradients(lambda a, b: tf.meshgrid(a, b)[0] * tf.meshgrid(a, b)[1], RS.randn(3), RS.randn(2),
                    order=2)


def test_sequence_mask():
    got = tf.sequence_mask([1, 3, 0], 4)
    assert got.dtype == tf.bool
    np.testing.assert_array_equal(_np(got), np.arange(4) < np.array([1, 3, 0])[:, None])
    assert tf.sequence_mask([[1, 2]]).shape == (1, 2, 2)
    assert tf.sequence_mask([2], 3, dtype=tf.float32).dtype == tf.float32


def test_fill_zeros_ones_like():
    assert tf.zeros([2], tf.bool).numpy().tolist() == [False, False]
    assert tf.ones([2], tf.bool).numpy().tolist() == [True, True]
    assert tf.zeros([1], tf.string).numpy().tolist() == [b""]
    assert tf.zeros_like(tf.constant([1, 2]), dtype=tf.float64).dtype == tf.float64
    with pytest.raises(InvalidArgumentError, match="value must represent a scalar"):
        tf.fill([2], [1, 2])
    with pytest.raises(InvalidArgumentError, match="Dimension -1 must be >= 0"):
        tf.zeros([-1])
    check_gradients(lambda v: tf.fill([2, 3], v), np.array(1.5), order=2)


def test_one_hot_dtype_rules():
    assert tf.one_hot([0, 1], 2).dtype == tf.float32
    assert tf.one_hot([0, 1], 2, on_value=3).dtype == tf.int32
    np.testing.assert_array_equal(_np(tf.one_hot([[0, 2]], 3, axis=0)), np.eye(3)[[0, 2]].T[:, None, :])
    with pytest.raises(TypeError, match="of on_value does not match dtype"):
        tf.one_hot([0], 2, on_value=1, off_value=0.0)


# ---------------------------------------------------------------------------------------------------------
# shape


def test_expand_dims_and_squeeze():
    x = tf.constant(A23)
    assert tf.expand_dims(x, 2).shape == (2, 3, 1)
    assert tf.expand_dims(x, -1).shape == (2, 3, 1)
    assert tf.expand_dims(x, 0).shape == (1, 2, 3)
    with pytest.raises(InvalidArgumentError, match="Tried to expand dim index 3 for tensor with 2 dim"):
        tf.expand_dims(x, 3)
    y = tf.zeros([1, 2, 1])
    assert tf.squeeze(y).shape == (2,)
    assert tf.squeeze(y, [2]).shape == (1, 2)
    with pytest.raises(InvalidArgumentError, match=r"Can not squeeze dim\[1\], expected a dimension of 1"):
        tf.squeeze(y, 1)
    check_gradients(lambda v: tf.expand_dims(v, 1), A23, order=2)
    check_gradients(lambda v: tf.squeeze(v, [0]), A23[None], order=2)


def test_transpose():
    np.testing.assert_array_equal(_np(tf.transpose(tf.constant(A234))), A234.T)
    np.testing.assert_array_equal(_np(tf.transpose(A234, [1, 0, 2])), A234.transpose(1, 0, 2))
    c = tf.constant(np.array([[1 + 2j, 3 - 1j]]))
    np.testing.assert_array_equal(_np(tf.transpose(c, conjugate=True)), np.conj(c.numpy().T))
    with pytest.raises(InvalidArgumentError, match=r"1 is missing from \{0,0,2\}"):
        tf.transpose(A234, [0, 0, 2])
    check_gradients(lambda v: tf.transpose(v, [2, 0, 1]), A234, order=2)


def test_concat_values_and_errors():
    got = tf.concat([A23, A23 * 2], axis=-1)
    np.testing.assert_array_equal(_np(got), np.concatenate([A23, A23 * 2], -1))
    with pytest.raises(InvalidArgumentError, match=r"ConcatOp : Dimension 1 in both shapes must be equal: "
                                                   r"shape\[0\] = \[2,3\] vs. shape\[1\] = \[2,4\]"):
        tf.concat([tf.zeros([2, 3]), tf.zeros([2, 4])], 0)
    with pytest.raises(InvalidArgumentError, match=r"Ranks of all input tensors should match"):
        tf.concat([tf.zeros([2, 3]), tf.zeros([3])], 0)
    with pytest.raises(InvalidArgumentError, match=r"in the range \[-2, 2\), but got 2"):
        tf.concat([tf.zeros([2, 3]), tf.zeros([2, 3])], 2)
    check_gradients(lambda a, b: tf.concat([a, b, a], axis=1), A23, A34[:2], order=2)


def test_split():
    x = tf.constant(np.arange(20.0).reshape(10, 2))
    parts = tf.split(x, [4, -1, 2])
    assert [p.shape[0] for p in parts] == [4, 4, 2]
    np.testing.assert_array_equal(_np(parts[1]), np.arange(20.0).reshape(10, 2)[4:8])
    assert [p.shape for p in tf.split(x, 2, axis=1)] == [(10, 1), (10, 1)]
    with pytest.raises(InvalidArgumentError, match="should evenly divide the split dimension"):
        tf.split(x, 3)
    check_gradients(lambda v: tf.split(v, [1, 3], axis=1)[1], A34, order=2)
    check_gradients(lambda v: tf.concat(tf.split(v, 2, axis=1)[::-1], axis=0), A34, order=2)


def test_stack_unstack_gradients():
    check_gradients(lambda a, b: tf.stack([a, b], axis=1), A23, A23 + 1, order=2)
    check_gradients(lambda v: tf.unstack(v, axis=1)[2], A23, order=2)


def test_tile():
    np.testing.assert_array_equal(_np(tf.tile(A23, [2, 3])), np.tile(A23, [2, 3]))
    with pytest.raises(InvalidArgumentError, match="Expected multiples argument to be a vector of length 1"):
        tf.tile(tf.constant([1, 2]), [2, 1])
    check_gradients(lambda v: tf.tile(v, [2, 1, 3]), A234[:, :2, :2], order=2)


def test_broadcast_to_and_shapes():
    np.testing.assert_array_equal(_np(tf.broadcast_to([1, 2, 3], [2, 3])), [[1, 2, 3], [1, 2, 3]])
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[3\] vs. \[2,4\]"):
        tf.broadcast_to([1, 2, 3], [2, 4])
    assert tf.broadcast_static_shape(tf.TensorShape([2, 1]), tf.TensorShape([3])).as_list() == [2, 3]
    assert tf.broadcast_static_shape(tf.TensorShape([None, 1]), tf.TensorShape([3])).as_list() == [None, 3]
    with pytest.raises(ValueError, match="Incompatible shapes for broadcasting"):
        tf.broadcast_static_shape(tf.TensorShape([2]), tf.TensorShape([3]))
    np.testing.assert_array_equal(_np(tf.broadcast_dynamic_shape([2, 1], [1, 4])), [2, 4])
    check_gradients(lambda v: tf.broadcast_to(v, [2, 3, 3]), A23[:1], order=2)


@pytest.mark.parametrize("mode", ["CONSTANT", "REFLECT", "SYMMETRIC"])
def test_pad_values_and_gradients(mode):
    paddings = [[1, 2], [2, 1]]
    expected = np.pad(A34, paddings, mode=mode.lower())
    np.testing.assert_allclose(_np(tf.pad(A34, paddings, mode)), expected)
    check_gradients(lambda v: tf.pad(v, paddings, mode) * tf.pad(v, paddings, mode), A34, order=2)


def test_pad_constant_values_and_errors():
    np.testing.assert_array_equal(_np(tf.pad([1, 2], [[1, 1]], constant_values=9)), [9, 1, 2, 9])
    with pytest.raises(InvalidArgumentError, match="paddings must be less than the dimension size: 3, 0"):
        tf.pad(A34, [[3, 0], [0, 0]], "REFLECT")
    with pytest.raises(ValueError, match="Received `mode` = wrap"):
        tf.pad(A34, [[1, 1], [0, 0]], "wrap")
    with pytest.raises(InvalidArgumentError, match="Paddings must be non-negative"):
        tf.pad(A34, [[-1, 1], [0, 0]])


def test_slice_and_strided_slice():
    np.testing.assert_array_equal(_np(tf.slice(A34, [1, 1], [-1, 2])), A34[1:, 1:3])
    with pytest.raises(InvalidArgumentError, match=r"Expected size\[1\] in \[0, 3\], but got 4"):
        tf.slice(A34, [0, 1], [1, 4])
    got = tf.strided_slice(A234, [1, 0, 3], [0, 3, 0], [1, 2, -1], begin_mask=0b010, end_mask=0b001)
    np.testing.assert_array_equal(_np(got), A234[1:, ::2, 3:0:-1])
    got = tf.strided_slice(A234, [0, 2], [0, 3], [1, 1], ellipsis_mask=1, shrink_axis_mask=2)
    np.testing.assert_array_equal(_np(got), A234[..., 2])
    got = tf.strided_slice(A234, [0, 1], [0, 2], [1, 1], new_axis_mask=1, shrink_axis_mask=2)
    np.testing.assert_array_equal(_np(got), A234[None, 1])
    check_gradients(lambda v: tf.slice(v, [0, 1], [2, -1]), A34, order=2)
    check_gradients(lambda v: tf.strided_slice(v, [1, 3], [0, 0], [1, -2], begin_mask=1, end_mask=1), A34,
                    order=2)


def test_reverse_and_roll():
    np.testing.assert_array_equal(_np(tf.reverse(A234, [0, -1])), A234[::-1, :, ::-1])
    with pytest.raises(InvalidArgumentError, match="axis 1 specified more than once"):
        tf.reverse(A23, [1, -1])
    np.testing.assert_array_equal(_np(tf.roll(A234, [1, -2], [0, 2])), np.roll(A234, [1, -2], [0, 2]))
    np.testing.assert_array_equal(_np(tf.roll(A23, [1, 1], [1, 1])), np.roll(A23, 2, 1))
    check_gradients(lambda v: tf.reverse(v, [1]), A23, order=2)
    check_gradients(lambda v: tf.roll(v, [1, 2], [0, 1]), A23, order=2)


def test_size_rank_shape_n():
    assert int(tf.size(A234)) == 24 and tf.size(A234).dtype == tf.int32
    assert tf.size(A234, out_type=tf.int64).dtype == tf.int64
    assert int(tf.rank(A234)) == 3
    shapes = tf.shape_n([A23, A234], out_type=tf.int64)
    assert [s.numpy().tolist() for s in shapes] == [[2, 3], [2, 3, 4]] and shapes[0].dtype == tf.int64
    with pytest.raises(InvalidArgumentError, match="out_type"):
        tf.shape(A23, out_type=tf.float32)


def test_stop_gradient_blocks_the_path():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.stop_gradient(x * x) + x
        z = tf.stop_gradient(x)
    assert float(tape.gradient(y, x)) == 1.0
    assert tape.gradient(z, x) is None


def test_ensure_shape():
    x = tf.constant(A23)
    assert tf.ensure_shape(x, [2, None]) is not None
    with pytest.raises(InvalidArgumentError, match=r"Shape of tensor input \[2,3\] is not compatible with "
                                                   r"expected shape \[2,4\]"):
        tf.ensure_shape(x, [2, 4])
    check_gradients(lambda v: tf.ensure_shape(v, [None, 3]), A23, order=2)


# ---------------------------------------------------------------------------------------------------------
# tensor[...]


def test_getitem_follows_numpy_basic_indexing():
    x = tf.constant(A234)
    for key in [(1,), (slice(None, None, -1), 2), (Ellipsis, 1), (None, 0, Ellipsis, None),
                (slice(5, 10),), (slice(-10, 1), slice(None, None, -2)), (1, slice(3, 0, -1), -1)]:
        np.testing.assert_array_equal(_np(x[key]), A234[key])
    i = tf.constant(1)
    np.testing.assert_array_equal(_np(x[i, i:]), A234[1, 1:])
    np.testing.assert_array_equal(_np(x[[0, 1]]), A234[0, 1])


def test_getitem_errors():
    x = tf.constant(A23)
    with pytest.raises(InvalidArgumentError, match="slice index 2 of dimension 0 out of bounds"):
        x[2]
    with pytest.raises(TypeError, match="Only integers, slices"):
        x[1.0]
    with pytest.raises(TypeError, match="Only integers, slices"):
        x[tf.constant([0])]
    with pytest.raises(InvalidArgumentError, match=r"strides\[1\] must be non-zero"):
        x[:, ::0]
    with pytest.raises(InvalidArgumentError, match="Multiple ellipses"):
        x[..., ...]
    with pytest.raises(InvalidArgumentError, match="Attempting to slice scalar input"):
        tf.constant(1.0)[0]


def test_getitem_boolean_mask():
    mask = np.array([[True, False, True], [False, False, True]])
    np.testing.assert_array_equal(_np(tf.constant(A23)[tf.constant(mask)]), A23[mask])


def test_getitem_gradients():
    check_gradients(lambda v: v[1, ::-2, None, 1:], A234, order=2)
    check_gradients(lambda v: v[..., 0] * v[:, :, -1], A234, order=2)


def test_sliced_variable_read_is_watched():
    v = tf.Variable(A23)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v[0, 1:] * 2.0)
    expected = np.zeros_like(A23)
    expected[0, 1:] = 2.0
    np.testing.assert_array_equal(_np(tape.gradient(y, v)), expected)


# ---------------------------------------------------------------------------------------------------------
# gather / scatter


def test_gather_values():
    np.testing.assert_array_equal(_np(tf.gather(A234, [[0, 2], [1, 1]], axis=1)),
                                  np.take(A234, [[0, 2], [1, 1]], axis=1))
    idx = np.array([[0, 2, 3], [1, 1, 0]])
    expected = np.stack([np.take(A234[b], idx[b], axis=1) for b in range(2)])
    np.testing.assert_array_equal(_np(tf.gather(A234, idx, axis=2, batch_dims=1)), expected)
    with pytest.raises(InvalidArgumentError, match=r"indices\[1\] = 5 is not in \[0, 3\)"):
        tf.gather([1.0, 2.0, 3.0], [0, 5])


def test_gather_gradients():
    check_gradients(lambda p: tf.gather(p, [2, 0, 2], axis=1), A34, order=2)
    check_gradients(lambda p: tf.gather(p, [[0, 3], [1, 1]], axis=2, batch_dims=1), A234, order=2)
    check_gradients(lambda p: tf.gather(p, np.array([[1, 1], [0, 2]]), axis=1, batch_dims=1), A23, order=2)


def test_gather_gradient_of_a_variable_is_indexed_slices():
    v = tf.Variable(A34)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(v, [2, 2, 0]))
    grad = tape.gradient(y, v)
    assert isinstance(grad, tf.IndexedSlices)  # as in TF
    np.testing.assert_array_equal(_np(tf.convert_to_tensor(grad)), np.array([[1.0] * 4, [0.0] * 4, [2.0] * 4]))


def test_gather_nd_values_and_gradients():
    idx = np.array([[1, 2], [0, 0], [1, 2]])
    np.testing.assert_array_equal(_np(tf.gather_nd(A234, idx)), A234[idx[:, 0], idx[:, 1]])
    np.testing.assert_array_equal(_np(tf.gather_nd(A234, [[1], [2]], batch_dims=1)), A234[[0, 1], [1, 2]])
    with pytest.raises(InvalidArgumentError, match=r"indices\[0\] = \[2, 0\] does not index into param"):
        tf.gather_nd(A234, [[2, 0]])
    check_gradients(lambda p: tf.gather_nd(p, idx), A234, order=2)
    check_gradients(lambda p: tf.gather_nd(p, [[[1, 2]], [[2, 0]]], batch_dims=1), A234, order=2)


def test_scatter_nd_adds_duplicates():
    got = tf.scatter_nd([[4], [3], [1], [7], [1]], [4.4, 3.3, 1.1, 7.7, 1.0], [8])
    expected = np.zeros(8, np.float32)
    np.add.at(expected, [4, 3, 1, 7, 1], np.float32([4.4, 3.3, 1.1, 7.7, 1.0]))
    np.testing.assert_allclose(_np(got), expected)
    with pytest.raises(InvalidArgumentError, match=r"indices\[1\] = \[5\] does not index into shape \[4\]"):
        tf.scatter_nd([[1], [5]], [1.0, 2.0], [4])
    check_gradients(lambda u: tf.scatter_nd([[1], [0], [1]], u, [3, 2]), A23.T, order=2)


@pytest.mark.parametrize("fn", ["update", "add", "sub", "max", "min"])
def test_tensor_scatter_values_and_gradients(fn):
    op = getattr(tf, f"tensor_scatter_nd_{fn}")
    base = np.arange(12.0).reshape(4, 3) / 7.0
    updates = RS.randn(2, 3)
    idx = [[2], [0]]
    expected = base.copy()
    ufunc = {"update": None, "add": np.add, "sub": np.subtract, "max": np.maximum, "min": np.minimum}[fn]
    if ufunc is None:
        expected[[2, 0]] = updates
    else:
        ufunc.at(expected, [2, 0], updates)
    np.testing.assert_allclose(_np(op(base, idx, updates)), expected)
    check_gradients(lambda t, u: op(t, idx, u), base, updates, order=2)


def test_variable_scatter_methods_use_tensor_scatter():
    v = tf.Variable([1.0, 2.0, 3.0])
    v.scatter_nd_add([[0], [0]], [1.0, 1.0])
    v.scatter_nd_update([[2]], [9.0])
    np.testing.assert_array_equal(v.numpy(), [3.0, 2.0, 9.0])


def test_boolean_mask_values_and_gradients():
    mask = np.array([True, False, True])
    np.testing.assert_array_equal(_np(tf.boolean_mask(A23, mask, axis=1)), A23[:, mask])
    mask2 = np.array([[True, False, True], [False, False, True]])
    np.testing.assert_array_equal(_np(tf.boolean_mask(A234, mask2)), A234[mask2])
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(3,\) are incompatible"):
        tf.boolean_mask(A23, mask)
    with pytest.raises(ValueError, match="mask cannot be scalar"):
        tf.boolean_mask(A23, True)
    check_gradients(lambda v: tf.boolean_mask(v, mask2), A234, order=2)
    check_gradients(lambda v: tf.boolean_mask(v, mask, axis=1), A23, order=2)


def test_slicing_and_gradients_inside_function_with_unknown_dims():
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float64)])
    def grad_of(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = (tf.reduce_sum(x[1:, ::-1] ** 2) + tf.reduce_sum(tf.concat([x, x], 0))
                 + tf.reduce_sum(tf.pad(x, [[1, 0], [0, 2]])) + tf.reduce_sum(tf.gather(x, [0, 0])))
        return tape.gradient(y, x)

    x = np.arange(6.0).reshape(2, 3)
    expected = np.full((2, 3), 3.0)
    expected[0] += 2.0
    expected[1:] += 2 * x[1:]
    np.testing.assert_allclose(_np(grad_of(tf.constant(x))), expected)


def test_pad_with_constant_value_gradient():
    check_gradients(lambda v: tf.pad(v, [[1, 0], [0, 2]], constant_values=3.5) ** 2, A23, order=2)
