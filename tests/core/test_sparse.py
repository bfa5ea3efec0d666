"""SparseTensor and ``tf.sparse``: the spec's printed examples, NumPy references, gradients, graphs, TF parity."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.errors import InvalidArgumentError
from tests.gradcheck import check_gradients

RS = np.random.RandomState(7)
S_INDICES = [[0, 1], [1, 0], [2, 3]]
S_VALUES = [1.0, 2.0, 3.0]


def s():
    return tf.SparseTensor(indices=S_INDICES, values=S_VALUES, dense_shape=[3, 4])


def dense(sp):
    """NumPy reference densification (duplicates add up)."""
    out = np.zeros(sp.dense_shape.numpy(), dtype=sp.values.dtype.as_numpy_dtype)
    for index, value in zip(sp.indices.numpy(), sp.values.numpy()):
        out[tuple(index)] += value
    return out


def parts(sp):
    return sp.indices.numpy(), sp.values.numpy(), sp.dense_shape.numpy()


# ---------------------------------------------------------------------------------------------------------
# The spec's examples (inventory 001b, 4.2)


def test_spec_to_dense_and_scalar_ops():
    np.testing.assert_array_equal(tf.sparse.to_dense(s()).numpy(), [[0, 1, 0, 0], [2, 0, 0, 0], [0, 0, 0, 3]])
    np.testing.assert_array_equal((s() * 2.0).values.numpy(), [2.0, 4.0, 6.0])
    np.testing.assert_array_equal((s() / 2.0).values.numpy(), [0.5, 1.0, 1.5])
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+: 'SparseTensor' and 'float'"):
        s() + 1.0


def test_spec_sparse_dense_matmul():
    s4 = tf.constant([[10.0, 20.0], [30.0, 40.0], [50.0, 60.0], [70.0, 80.0]])
    np.testing.assert_array_equal(tf.sparse.sparse_dense_matmul(s(), s4).numpy(),
                                  [[30, 40], [20, 40], [210, 240]])


def test_spec_out_of_order_indices_and_reorder():
    s5 = tf.SparseTensor(indices=[[0, 2], [0, 1]], values=[1.0, 2.0], dense_shape=[3, 4])
    with pytest.raises(InvalidArgumentError, match=r"indices\[1\] = \[0,1\] is out of order"):
        tf.sparse.to_dense(s5)
    np.testing.assert_array_equal(tf.sparse.to_dense(tf.sparse.reorder(s5)).numpy(),
                                  [[0, 2, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]])


def test_printing_and_properties():
    sp = s()
    text = ("SparseTensor(indices=tf.Tensor(\n[[0 1]\n [1 0]\n [2 3]], shape=(3, 2), dtype=int64), "
            "values=tf.Tensor([1. 2. 3.], shape=(3,), dtype=float32), "
            "dense_shape=tf.Tensor([3 4], shape=(2,), dtype=int64))")
    assert repr(sp) == str(sp) == text
    assert sp.shape == tf.TensorShape([3, 4]) and sp.get_shape().as_list() == [3, 4]
    assert sp.dtype == tf.float32 and sp.indices.dtype == tf.int64 and sp.dense_shape.dtype == tf.int64
    assert tf.sparse.SparseTensor is tf.SparseTensor
    assert repr(tf.SparseTensorSpec([3, 4], tf.float32)) == "SparseTensorSpec(TensorShape([3, 4]), tf.float32)"
    assert sp._type_spec == tf.SparseTensorSpec([3, 4], tf.float32)


def test_construction_errors():
    with pytest.raises(ValueError, match=r"indices: Tensor conversion requested dtype int64"):
        tf.SparseTensor(tf.constant([[0, 1]]), [1.0], [3, 4])
    with pytest.raises(ValueError, match=r"Shape \(2,\) must have rank 2"):
        tf.SparseTensor([0, 5], [1.0], [3, 4])
    with pytest.raises(ValueError, match="Dimensions 1 and 2 are not compatible"):
        tf.SparseTensor([[0, 1]], [1.0, 2.0], [3, 4])
    with pytest.raises(TypeError):
        tf.SparseTensor([[0.5, 1]], [1.0], [3, 4])
    with pytest.raises(TypeError, match="Input must be a SparseTensor"):
        tf.sparse.to_dense(tf.ones([2]))


# ---------------------------------------------------------------------------------------------------------
# Values against NumPy references


def test_to_dense_default_value_strings_and_errors():
    np.testing.assert_array_equal(tf.sparse.to_dense(s(), default_value=9.0).numpy(),
                                  np.where(dense(s()) == 0, 9.0, dense(s())))
    strings = tf.sparse.to_dense(tf.SparseTensor([[0, 1]], ["a"], [1, 2]))
    assert strings.numpy().tolist() == [[b"", b"a"]]
    repeated = tf.SparseTensor([[0, 1], [0, 1]], [1.0, 2.0], [3, 4])
    with pytest.raises(InvalidArgumentError, match=r"indices\[1\] = \[0,1\] is repeated"):
        tf.sparse.to_dense(repeated)
    assert tf.sparse.to_dense(repeated, validate_indices=False).numpy()[0, 1] == 2.0
    with pytest.raises(InvalidArgumentError, match=r"indices\[0\] = \[0,5\] is out of bounds: need 0 <= index < "
                                                   r"\[3,4\]"):
        tf.sparse.to_dense(tf.SparseTensor([[0, 5]], [1.0], [3, 4]))


def test_from_dense_round_trip():
    x = RS.randint(-1, 2, size=(3, 4)).astype(np.float32)
    sp = tf.sparse.from_dense(x)
    np.testing.assert_array_equal(sp.indices.numpy(), np.argwhere(x != 0))
    np.testing.assert_array_equal(tf.sparse.to_dense(sp).numpy(), x)
    assert sp.shape == tf.TensorShape([3, 4])
    assert tf.sparse.from_dense(tf.constant([[True, False]])).values.numpy().tolist() == [True]
    assert tf.sparse.from_dense(tf.constant([[b"", b"x"]])).indices.numpy().tolist() == [[0, 1]]


def test_static_shape_inside_a_graph():
    # TF reads the static shape with constant_value_as_shape: tf.shape(x) gives x's shape, a placeholder only its rank
    shapes = []

    @tf.function
    def build(x, dense_shape):
        shapes.append(tf.SparseTensor([[0, 0]], [1.0], tf.shape(x, out_type=tf.int64)).shape.as_list())
        shapes.append(tf.SparseTensor([[0, 0]], [1.0], dense_shape).shape.as_list())
        return x

    build(tf.zeros([2, 3]), tf.constant([2, 3], tf.int64))
    assert shapes == [[2, 3], [None, None]]


def test_add_sparse_sparse_threshold_and_dense():
    a, b = s(), tf.SparseTensor([[0, 1], [1, 1], [2, 3]], [10.0, -2.0, -3.0], [3, 4])
    total = tf.sparse.add(a, b)
    np.testing.assert_array_equal(total.indices.numpy(), [[0, 1], [1, 0], [1, 1], [2, 3]])
    np.testing.assert_array_equal(total.values.numpy(), [11.0, 2.0, -2.0, 0.0])
    kept = tf.sparse.add(a, b, threshold=0.5)
    np.testing.assert_array_equal(kept.values.numpy(), [11.0, 2.0, -2.0])
    d = RS.randn(3, 4).astype(np.float32)
    np.testing.assert_allclose(tf.sparse.add(a, d).numpy(), dense(a) + d)
    np.testing.assert_allclose(tf.sparse.add(d, a).numpy(), dense(a) + d)
    with pytest.raises(TypeError, match="At least one input should be SparseTensor"):
        tf.sparse.add(d, d)
    with pytest.raises(InvalidArgumentError, match="Operands' shapes do not match: got 4 and 5 for dimension 1"):
        tf.sparse.add(a, tf.SparseTensor([[0, 0]], [1.0], [3, 5]))
    with pytest.raises(InvalidArgumentError, match=r"input #4\(zero-based\) was expected to be a float tensor"):
        tf.sparse.add(a, tf.SparseTensor([[0, 0]], [1], [3, 4]))


def test_maximum_minimum_and_map_values():
    a, b = s(), tf.SparseTensor([[0, 1], [1, 1], [2, 3]], [10.0, -2.0, -3.0], [3, 4])
    np.testing.assert_array_equal(tf.sparse.maximum(a, b).values.numpy(), [10.0, 2.0, 0.0, 3.0])
    np.testing.assert_array_equal(tf.sparse.minimum(a, b).values.numpy(), [1.0, 0.0, -2.0, -3.0])
    np.testing.assert_array_equal(tf.sparse.map_values(tf.square, a).values.numpy(), [1.0, 4.0, 9.0])


@pytest.mark.parametrize("adjoint_a,adjoint_b", [(False, False), (True, False), (False, True), (True, True)])
def test_sparse_dense_matmul_adjoints(adjoint_a, adjoint_b):
    a = s()
    a_dense = dense(a).T if adjoint_a else dense(a)
    b = RS.randn(*(a_dense.shape[1], 2)[::-1 if adjoint_b else 1]).astype(np.float32)
    expected = a_dense @ (b.T if adjoint_b else b)
    got = tf.sparse.sparse_dense_matmul(a, b, adjoint_a=adjoint_a, adjoint_b=adjoint_b)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6)
    inner = dense(a).shape[1 if adjoint_b else 0]
    c = RS.randn(*((inner, 2) if adjoint_a else (2, inner))).astype(np.float32)
    expected = (c.T if adjoint_a else c) @ (dense(a).T if adjoint_b else dense(a))
    got = tf.sparse.sparse_dense_matmul(c, a, adjoint_a=adjoint_a, adjoint_b=adjoint_b)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6)


def test_sparse_dense_matmul_errors():
    with pytest.raises(InvalidArgumentError, match="inner dimension does not match: 4 vs. 3"):
        tf.sparse.sparse_dense_matmul(s(), tf.ones([3, 2]))
    with pytest.raises(InvalidArgumentError, match="was expected to be a float tensor but is a double tensor"):
        tf.sparse.sparse_dense_matmul(s(), tf.ones([4, 2], tf.float64))


def test_reductions():
    sp = s()
    assert float(tf.sparse.reduce_sum(sp)) == 6.0
    np.testing.assert_array_equal(tf.sparse.reduce_sum(sp, axis=1).numpy(), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(tf.sparse.reduce_sum(sp, axis=0, keepdims=True).numpy(), [[2.0, 1.0, 0.0, 3.0]])
    out = tf.sparse.reduce_sum(sp, axis=1, output_is_sparse=True)
    np.testing.assert_array_equal(out.indices.numpy(), [[0], [1], [2]])
    neg = tf.SparseTensor([[0, 1]], [-1.0], [2, 2])
    np.testing.assert_array_equal(tf.sparse.reduce_max(neg, axis=1).numpy(), [-1.0, 0.0])
    assert tf.sparse.reduce_max(neg, axis=1, output_is_sparse=True).indices.numpy().tolist() == [[0]]
    with pytest.raises(InvalidArgumentError, match="Invalid reduction dimension 2, for input with 2 dimensions"):
        tf.sparse.reduce_sum(sp, axis=2)


def test_concat_reshape_slice_split():
    a, b = s(), tf.SparseTensor([[0, 1], [1, 1], [2, 3]], [10.0, -2.0, -3.0], [3, 4])
    wide = tf.sparse.concat(1, [a, b])
    np.testing.assert_array_equal(tf.sparse.to_dense(wide).numpy(), np.concatenate([dense(a), dense(b)], 1))
    tall = tf.sparse.concat(0, [a, tf.SparseTensor([[0, 0]], [5.0], [1, 2])], expand_nonconcat_dims=True)
    assert tall.dense_shape.numpy().tolist() == [4, 4]
    with pytest.raises(InvalidArgumentError, match="Input shapes must match: expected 4 for dimension 1 but got 2"):
        tf.sparse.concat(0, [a, tf.SparseTensor([[0, 0]], [5.0], [1, 2])])
    reshaped = tf.sparse.reshape(a, [-1, 2])
    np.testing.assert_array_equal(tf.sparse.to_dense(reshaped).numpy(), dense(a).reshape(-1, 2))
    with pytest.raises(InvalidArgumentError, match="only one output dimension may be -1, not both 0 and 1"):
        tf.sparse.reshape(a, [-1, -1])
    with pytest.raises(InvalidArgumentError, match="Input to reshape is a tensor with 12 dense values, but the "
                                                   "requested shape has 15"):
        tf.sparse.reshape(a, [5, 3])
    piece = tf.sparse.slice(a, [1, 0], [2, 2])
    np.testing.assert_array_equal(tf.sparse.to_dense(piece).numpy(), dense(a)[1:3, 0:2])
    assert tf.sparse.slice(a, [5, 0], [2, 2]).dense_shape.numpy().tolist() == [0, 2]
    left, right = tf.sparse.split(sp_input=a, num_split=2, axis=1)
    np.testing.assert_array_equal(tf.sparse.to_dense(right).numpy(), dense(a)[:, 2:])


def test_pattern_edits():
    a = s()
    np.testing.assert_array_equal(tf.sparse.retain(a, [True, False, True]).values.numpy(), [1.0, 3.0])
    with pytest.raises(ValueError, match="Dimensions 3 and 2 are not compatible"):
        tf.sparse.retain(a, [True, False])
    np.testing.assert_array_equal(tf.sparse.to_dense(tf.sparse.transpose(a)).numpy(), dense(a).T)
    np.testing.assert_array_equal(tf.sparse.to_dense(tf.sparse.expand_dims(a, 1)).numpy(), dense(a)[:, None])
    np.testing.assert_array_equal(tf.sparse.to_dense(tf.sparse.eye(2, 3)).numpy(), np.eye(2, 3))
    filled, empty = tf.sparse.fill_empty_rows(tf.SparseTensor([[0, 1], [2, 3]], [1.0, 2.0], [4, 4]), -1.0)
    np.testing.assert_array_equal(filled.indices.numpy(), [[0, 1], [1, 0], [2, 3], [3, 0]])
    np.testing.assert_array_equal(filled.values.numpy(), [1.0, -1.0, 2.0, -1.0])
    np.testing.assert_array_equal(empty.numpy(), [False, True, False, True])
    ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [0, 3, 2], [2, 3])
    np.testing.assert_array_equal(tf.sparse.to_indicator(ids, 4).numpy(),
                                  [[True, False, False, True], [False, False, True, False]])
    masked = tf.sparse.mask(tf.IndexedSlices(tf.constant([[1.0], [2.0], [3.0]]), tf.constant([0, 4, 8])), [4])
    np.testing.assert_array_equal(masked.indices.numpy(), [0, 8])


def test_dense_operand_broadcast_and_dtype_error():
    a = s()
    col = tf.constant([[1.0], [2.0], [3.0]])
    np.testing.assert_array_equal((a * col).values.numpy(), [1.0, 4.0, 9.0])
    np.testing.assert_array_equal((a / col).values.numpy(), [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="y: Tensor conversion requested dtype float32 for Tensor with dtype int32"):
        a * tf.constant([1, 2])


def test_segment_ops_on_selected_rows():
    data = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)
    np.testing.assert_array_equal(tf.sparse.segment_sum(data, [0, 2], [0, 0]).numpy(), [[6.0, 8.0]])
    np.testing.assert_array_equal(tf.sparse.segment_sum(data, [0, 2, 1], [0, 1, 1], num_segments=3).numpy(),
                                  [[1.0, 2.0], [8.0, 10.0], [0.0, 0.0]])
    np.testing.assert_array_equal(tf.sparse.segment_mean(data, [0, 2], [0, 0]).numpy(), [[3.0, 4.0]])
    np.testing.assert_allclose(tf.sparse.segment_sqrt_n(data, [0, 2], [0, 0]).numpy(), [[6.0, 8.0]] / np.sqrt(2))


# ---------------------------------------------------------------------------------------------------------
# Gradients (float64 finite differences)

IDX = [[0, 1], [1, 0], [1, 2], [2, 3]]


def _sp(values, shape=(3, 4)):
    return tf.SparseTensor(IDX, values, list(shape))


def test_gradient_to_dense():
    check_gradients(lambda v: tf.sparse.to_dense(_sp(v)), RS.randn(4), order=2)
    check_gradients(lambda v, d: tf.sparse.to_dense(_sp(v), default_value=d), RS.randn(4), np.float64(0.5))


@pytest.mark.parametrize("adjoint_a,adjoint_b", [(False, False), (True, False), (False, True), (True, True)])
def test_gradient_sparse_dense_matmul(adjoint_a, adjoint_b):
    inner = 3 if adjoint_a else 4
    b = RS.randn(*((2, inner) if adjoint_b else (inner, 2)))
    check_gradients(lambda v, m: tf.sparse.sparse_dense_matmul(_sp(v), m, adjoint_a=adjoint_a, adjoint_b=adjoint_b),
                    RS.randn(4), b)


def test_gradient_reductions_add_and_pattern_ops():
    other = tf.SparseTensor([[0, 1], [2, 0]], tf.constant([1.0, 2.0], tf.float64), [3, 4])
    check_gradients(lambda v: tf.sparse.reduce_sum(_sp(v), axis=1), RS.randn(4))
    check_gradients(lambda v: tf.sparse.reduce_sum(_sp(v), axis=0, output_is_sparse=True).values, RS.randn(4))
    check_gradients(lambda v: tf.sparse.add(_sp(v), other).values, RS.randn(4))
    check_gradients(lambda v, d: tf.sparse.add(_sp(v), d), RS.randn(4), RS.randn(3, 4))
    check_gradients(lambda v: tf.sparse.reorder(tf.SparseTensor(IDX[::-1], v, [3, 4])).values, RS.randn(4))
    check_gradients(lambda v: tf.sparse.concat(1, [_sp(v), other]).values, RS.randn(4))
    check_gradients(lambda v: tf.sparse.slice(_sp(v), [1, 0], [2, 3]).values, RS.randn(4))
    column = tf.constant(RS.randn(3, 1))
    check_gradients(lambda v: (_sp(v) * column).values, RS.randn(4))
    check_gradients(lambda v, d: tf.sparse.fill_empty_rows(tf.SparseTensor([[0, 1], [2, 3]], v, [4, 4]), d)[0].values,
                    RS.randn(2), np.float64(0.5))


def test_gradient_segment_sum_and_embedding_lookup_sparse():
    ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 0]], tf.constant([1, 3, 1, 2], tf.int64), [3, 2])
    weights = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 0]], tf.constant([1.0, 2.0, 3.0, 4.0], tf.float64),
                              [3, 2])
    check_gradients(lambda d: tf.sparse.segment_sum(d, [0, 2], [0, 0]), RS.randn(3, 2))
    for combiner in ("sum", "mean", "sqrtn"):
        for w in (weights, None):
            check_gradients(lambda p, w=w, c=combiner: tf.nn.embedding_lookup_sparse(p, ids, w, combiner=c),
                            RS.randn(4, 2))


def test_embedding_lookup_sparse_gradient_is_indexed_slices_of_unique_ids():
    params = tf.Variable(RS.randn(4, 2).astype(np.float32))
    ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([3, 1, 3], tf.int64), [2, 2])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.nn.embedding_lookup_sparse(params, ids, None, combiner="sum"))
    grad = tape.gradient(y, params)
    assert isinstance(grad, tf.IndexedSlices)
    np.testing.assert_array_equal(grad.indices.numpy(), [3, 1])
    np.testing.assert_array_equal(tf.convert_to_tensor(grad).numpy(), [[0, 0], [1, 1], [0, 0], [2, 2]])


# ---------------------------------------------------------------------------------------------------------
# Inside ndflow.function


def test_sparse_tensors_pass_through_functions():
    traces = []

    @tf.function
    def f(sp, m):
        traces.append(sp.shape)
        product = tf.sparse.sparse_dense_matmul(sp, m)
        doubled = tf.sparse.add(sp * 2.0, sp)
        return doubled, product, tf.sparse.to_dense(tf.sparse.reorder(tf.sparse.transpose(doubled)))

    m = RS.randn(4, 2).astype(np.float32)
    doubled, product, dense_t = f(s(), m)
    assert isinstance(doubled, tf.SparseTensor)
    np.testing.assert_array_equal(doubled.values.numpy(), [3.0, 6.0, 9.0])
    np.testing.assert_allclose(product.numpy(), dense(s()) @ m, rtol=1e-6)
    np.testing.assert_array_equal(dense_t.numpy(), 3 * dense(s()).T)
    other = tf.SparseTensor([[2, 2]], [5.0], [3, 4])
    np.testing.assert_array_equal(f(other, m)[0].values.numpy(), [15.0])
    assert len(traces) == 1 and traces[0] == tf.TensorShape([3, 4])
    f(tf.SparseTensor([[0, 0]], [1.0], [2, 4]), m)
    assert len(traces) == 2


def test_input_signature_with_a_sparse_tensor_spec():
    traces = []

    @tf.function(input_signature=[tf.SparseTensorSpec([None, 4], tf.float32)])
    def f(sp):
        traces.append(sp.shape)
        return tf.sparse.to_dense(sp * 2.0)

    np.testing.assert_array_equal(f(tf.SparseTensor([[0, 1]], [1.0], [2, 4])).numpy(), [[0, 2, 0, 0], [0, 0, 0, 0]])
    assert f(tf.SparseTensor([[2, 3]], [3.0], [3, 4])).numpy()[2, 3] == 6.0
    assert traces == [tf.TensorShape([None, 4])]
    with pytest.raises(TypeError, match="Binding inputs to tf.function failed"):
        f(tf.SparseTensor([[0, 1]], [1], [2, 4]))


def test_sparse_ops_built_inside_a_function_and_their_errors():
    @tf.function
    def g():
        a = tf.SparseTensor([[0, 1], [1, 0]], [1.0, 2.0], [2, 2])
        return tf.sets.union(tf.constant([[1, 2]]), tf.constant([[3, 2]])), tf.sparse.reduce_sum(a, 0)

    union, total = g()
    assert union.values.numpy().tolist() == [1, 2, 3]
    np.testing.assert_array_equal(total.numpy(), [2.0, 1.0])

    @tf.function
    def bad(sp):
        return tf.sparse.to_dense(sp)

    with pytest.raises(InvalidArgumentError, match="is out of order"):
        bad(tf.SparseTensor([[0, 2], [0, 1]], [1.0, 2.0], [3, 4]))


def test_gradient_inside_a_function():
    @tf.function
    def grads(v, m):
        with tf.GradientTape() as tape:
            tape.watch([v, m])
            y = tf.reduce_sum(tf.sparse.sparse_dense_matmul(tf.SparseTensor(S_INDICES, v, [3, 4]), m) ** 2)
        return tape.gradient(y, [v, m])

    v, m = tf.constant(S_VALUES), tf.constant(RS.randn(4, 2).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch([v, m])
        y = tf.reduce_sum(tf.sparse.sparse_dense_matmul(tf.SparseTensor(S_INDICES, v, [3, 4]), m) ** 2)
    for got, want in zip(grads(v, m), tape.gradient(y, [v, m])):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)


def test_conversion_error_and_session_fetches():
    with pytest.raises(ValueError, match=r"(?s)Attempt to convert a value \(SparseTensor\(.*with an unsupported type"):
        tf.convert_to_tensor(s())
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        doubled = s() * 2.0
        with v1.Session() as sess:
            value = sess.run(doubled)
    assert type(value).__name__ == "SparseTensorValue"
    np.testing.assert_array_equal(value.indices, S_INDICES)
    np.testing.assert_array_equal(value.values, [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(value.dense_shape, [3, 4])


# ---------------------------------------------------------------------------------------------------------
# Parity with TensorFlow


def _tf_sparse(real_tf, sp):
    return real_tf.SparseTensor(*parts(sp))


def _assert_same(ours, theirs):
    if isinstance(ours, tf.SparseTensor):
        for a, b in zip(parts(ours), (theirs.indices.numpy(), theirs.values.numpy(), theirs.dense_shape.numpy())):
            np.testing.assert_allclose(a, b, rtol=1e-6) if a.dtype.kind == "f" else np.testing.assert_array_equal(a, b)
        assert ours.dtype.name == theirs.dtype.name
        return
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)
    assert ours.dtype.name == theirs.dtype.name


@pytest.mark.parity
def test_parity_printing_and_ops():
    real_tf = pytest.importorskip("tensorflow")
    a, b = s(), tf.SparseTensor([[0, 1], [1, 1], [2, 3]], [10.0, -2.0, -3.0], [3, 4])
    ta, tb = _tf_sparse(real_tf, a), _tf_sparse(real_tf, b)
    assert str(a) == str(ta) and repr(a * 2.0) == repr(ta * 2.0)
    m = RS.randn(4, 2).astype(np.float32)
    cases = [
        (tf.sparse.add(a, b), real_tf.sparse.add(ta, tb)),
        (tf.sparse.add(a, b, threshold=0.5), real_tf.sparse.add(ta, tb, threshold=0.5)),
        (tf.sparse.sparse_dense_matmul(a, m), real_tf.sparse.sparse_dense_matmul(ta, m)),
        (tf.sparse.sparse_dense_matmul(a, m.T, adjoint_b=True), real_tf.sparse.sparse_dense_matmul(ta, m.T,
                                                                                                 adjoint_b=True)),
        (tf.sparse.reduce_sum(a, 1), real_tf.sparse.reduce_sum(ta, 1)),
        (tf.sparse.reduce_sum(a, 0, output_is_sparse=True), real_tf.sparse.reduce_sum(ta, 0, output_is_sparse=True)),
        (tf.sparse.reduce_max(b, 1), real_tf.sparse.reduce_max(tb, 1)),
        (tf.sparse.concat(1, [a, b]), real_tf.sparse.concat(1, [ta, tb])),
        (tf.sparse.concat(0, [a, b]), real_tf.sparse.concat(0, [ta, tb])),
        (tf.sparse.reshape(a, [2, -1]), real_tf.sparse.reshape(ta, [2, -1])),
        (tf.sparse.slice(a, [1, 0], [2, 3]), real_tf.sparse.slice(ta, [1, 0], [2, 3])),
        (tf.sparse.retain(a, [False, True, True]), real_tf.sparse.retain(ta, [False, True, True])),
        (tf.sparse.transpose(a), real_tf.sparse.transpose(ta)),
        (tf.sparse.expand_dims(a, -1), real_tf.sparse.expand_dims(ta, -1)),
        (tf.sparse.maximum(a, b), real_tf.sparse.maximum(ta, tb)),
        (tf.sparse.minimum(a, b), real_tf.sparse.minimum(ta, tb)),
        (tf.sparse.eye(3, 2, dtype=tf.int32), real_tf.sparse.eye(3, 2, dtype=real_tf.int32)),
        (tf.sparse.from_dense(dense(b)), real_tf.sparse.from_dense(dense(b))),
        (tf.sparse.to_indicator(tf.SparseTensor([[0, 0], [1, 2]], [3, 1], [2, 3]), 5),
         real_tf.sparse.to_indicator(real_tf.SparseTensor([[0, 0], [1, 2]], [3, 1], [2, 3]), 5)),
        (tf.sparse.fill_empty_rows(a, 7.0)[0], real_tf.sparse.fill_empty_rows(ta, 7.0)[0]),
        (tf.sparse.segment_sqrt_n(m, [0, 3, 1], [0, 0, 2]), real_tf.sparse.segment_sqrt_n(m, [0, 3, 1], [0, 0, 2])),
    ]
    for ours, theirs in cases:
        _assert_same(ours, theirs)
    for left, right in zip(tf.sparse.split(sp_input=a, num_split=3, axis=1),
                           real_tf.sparse.split(sp_input=ta, num_split=3, axis=1)):
        _assert_same(left, right)


@pytest.mark.parity
def test_parity_gradients():
    real_tf = pytest.importorskip("tensorflow")
    values, m = RS.randn(4), RS.randn(4, 2)

    def run(lib, fn):
        v, b = lib.constant(values), lib.constant(m)
        with lib.GradientTape() as tape:
            tape.watch([v, b])
            y = fn(lib, lib.SparseTensor(IDX, v, [3, 4]), b)
        return [g.numpy() for g in tape.gradient(y, [v, b], unconnected_gradients="zero")]

    fns = [lambda lib, sp, b: lib.sparse.sparse_dense_matmul(sp, b) ** 2,
           lambda lib, sp, b: lib.sparse.to_dense(sp) * lib.transpose(lib.concat([b, b[:, :1] * 3], 1)[:, :3]),
           lambda lib, sp, b: lib.sparse.reduce_sum(sp, 1) * b[:3, 0],
           lambda lib, sp, b: lib.sparse.add(sp, lib.sparse.reorder(sp)).values * 2.0]
    for fn in fns:
        for ours, theirs in zip(run(tf, fn), run(real_tf, fn)):
            np.testing.assert_allclose(ours, theirs, rtol=1e-6)


@pytest.mark.parity
def test_parity_embedding_lookup_sparse():
    real_tf = pytest.importorskip("tensorflow")
    params = RS.randn(5, 3).astype(np.float32)
    idx = [[0, 0], [0, 1], [1, 0], [3, 0]]
    ids, weights = np.array([1, 3, 0, 4], np.int64), np.array([1.0, 2.0, 3.0, 0.5], np.float32)
    bad_ids = np.array([1, -1, 0, 4], np.int64)
    def run(lib, lib_ids, w, combiner):
        sp_ids = lib.SparseTensor(idx, lib_ids, [4, 2])
        sp_w = None if w is None else lib.SparseTensor(idx, w, [4, 2])
        results = [lib.nn.safe_embedding_lookup_sparse(params, sp_ids, sp_w, combiner=combiner)]
        if lib_ids is ids:
            results.append(lib.nn.embedding_lookup_sparse(params, sp_ids, sp_w, combiner=combiner))
        return results

    for lib_ids in (ids, bad_ids):
        for combiner in ("sum", "mean", "sqrtn"):
            for w in (weights, None):
                for ours, theirs in zip(run(tf, lib_ids, w, combiner), run(real_tf, lib_ids, w, combiner)):
                    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)
    default = tf.nn.safe_embedding_lookup_sparse(params, tf.SparseTensor(idx, bad_ids, [4, 2]), default_id=2)
    expected = real_tf.nn.safe_embedding_lookup_sparse(params, real_tf.SparseTensor(idx, bad_ids, [4, 2]),
                                                       default_id=2)
    np.testing.assert_allclose(default.numpy(), expected.numpy(), rtol=1e-5)
