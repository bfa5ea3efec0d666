"""``tf.sets``: the spec's examples, dense and sparse operands, strings, errors, graphs and TF parity."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.errors import InvalidArgumentError

SET1 = [[2, 3, 5, 7], [7, 9, 0, 0]]
SET2 = [[4, 5, 6], [9, 10, 0]]


def to_dense(sp, default=0):
    return tf.sparse.to_dense(sp, default_value=default).numpy().tolist()


def test_spec_examples():
    assert to_dense(tf.sets.union(tf.constant([[1, 5, 9]]), tf.constant([[5, 6, 9, 11]]))) == [[1, 5, 6, 9, 11]]
    union = tf.sets.union(tf.constant(SET1), tf.constant(SET2))
    assert isinstance(union, tf.SparseTensor)
    assert to_dense(union) == [[2, 3, 4, 5, 6, 7], [0, 7, 9, 10, 0, 0]]
    assert to_dense(union, -1) == [[2, 3, 4, 5, 6, 7], [0, 7, 9, 10, -1, -1]]
    assert to_dense(tf.sets.difference(tf.constant(SET1), tf.constant(SET2))) == [[2, 3, 7], [7, 0, 0]]
    assert to_dense(tf.sets.intersection(tf.constant(SET1), tf.constant(SET2))) == [[5, 0], [0, 9]]


def test_result_layout_and_difference_direction():
    union = tf.sets.union(tf.constant(SET1), tf.constant(SET2))
    assert union.dense_shape.numpy().tolist() == [2, 6]
    assert union.indices.numpy()[:7].tolist() == [[0, 0], [0, 1], [0, 2], [0, 3], [0, 4], [0, 5], [1, 0]]
    assert union.values.dtype == tf.int32
    assert to_dense(tf.sets.difference(tf.constant(SET1), tf.constant(SET2), aminusb=False)) == [[4, 6], [10, 0]]


def test_strings_need_a_string_default():
    a = tf.constant([["a", "b"], ["c", "a"]])
    b = tf.constant([["b", "z"], ["", ""]])
    assert to_dense(tf.sets.union(a, b), b"") == [[b"a", b"b", b"z"], [b"", b"a", b"c"]]


def test_sparse_operands_and_size():
    sp = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [1, 2, 3], [2, 3])
    assert to_dense(tf.sets.union(tf.constant(SET1)[:, :3], sp)) == [[1, 2, 3, 5], [0, 3, 7, 9]]
    assert to_dense(tf.sets.union(sp, tf.constant(SET1))) == [[1, 2, 3, 5, 7], [0, 3, 7, 9, 0]]
    assert to_dense(tf.sets.difference(sp, tf.constant([[2], [3]]))) == [[1], [0]]
    assert to_dense(tf.sets.intersection(sp, sp)) == [[1, 2], [3, 0]]
    np.testing.assert_array_equal(tf.sets.size(sp).numpy(), [2, 1])
    assert tf.sets.size(sp).dtype == tf.int32
    batched = tf.sparse.from_dense(tf.constant([[[1, 2, 2], [3, 3, 0]]]))
    np.testing.assert_array_equal(tf.sets.size(batched).numpy(), [[2, 1]])


def test_errors():
    floats = "'a' has invalid dtype `<dtype: 'float32'>` not in supported dtypes"
    with pytest.raises(TypeError, match=floats):
        tf.sets.union(tf.constant([[1.0, 2.0]]), tf.constant([[1.0, 2.0]]))
    with pytest.raises(TypeError, match="Types don't match, <dtype: 'int64'> vs <dtype: 'int32'>."):
        tf.sets.union(tf.constant([[1, 2]], tf.int64), tf.constant([[3]], tf.int32))
    with pytest.raises(InvalidArgumentError, match=r"Shape \[2\] has rank 1 < 2"):
        tf.sets.union(tf.constant([1, 2]), tf.constant([1, 2]))
    with pytest.raises(InvalidArgumentError, match=r"Mismatched shapes \[2\] vs \[1\]"):
        tf.sets.union(tf.constant([[1, 2], [3, 4]]), tf.constant([[3]]))
    with pytest.raises(TypeError, match="Expected `SparseTensor`"):
        tf.sets.size(tf.constant(SET1))


def test_inside_a_function():
    @tf.function
    def f(a, b):
        return tf.sets.intersection(a, b), tf.sets.size(tf.sets.union(a, b))

    common, sizes = f(tf.constant(SET1), tf.constant(SET2))
    assert to_dense(common) == [[5, 0], [0, 9]]
    np.testing.assert_array_equal(sizes.numpy(), [6, 4])


@pytest.mark.parity
def test_parity_with_tensorflow():
    real_tf = pytest.importorskip("tensorflow")
    rs = np.random.RandomState(3)
    a = rs.randint(0, 6, size=(2, 3, 4)).astype(np.int64)
    b = rs.randint(0, 6, size=(2, 3, 5)).astype(np.int64)
    sp_idx = [[0, 0, 1], [0, 2, 0], [1, 1, 3], [1, 1, 4]]
    sp_vals = np.array([4, 1, 9, 2], np.int64)
    for name in ("union", "intersection", "difference"):
        ours_fn, theirs_fn = getattr(tf.sets, name), getattr(real_tf.sets, name)
        pairs = [((a, b), (a, b)),
                 ((a, tf.SparseTensor(sp_idx, sp_vals, [2, 3, 5])), (a, real_tf.SparseTensor(sp_idx, sp_vals,
                                                                                            [2, 3, 5]))),
                 ((tf.SparseTensor(sp_idx, sp_vals, [2, 3, 5]), b), (real_tf.SparseTensor(sp_idx, sp_vals, [2, 3, 5]),
                                                                    b))]
        for ours_args, theirs_args in pairs:
            ours, theirs = ours_fn(*ours_args), theirs_fn(*theirs_args)
            np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())
            np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
            np.testing.assert_array_equal(ours.dense_shape.numpy(), theirs.dense_shape.numpy())
            assert ours.values.dtype.name == theirs.values.dtype.name
    sizes = tf.sets.size(tf.SparseTensor(sp_idx, sp_vals, [2, 3, 5]))
    expected = real_tf.sets.size(real_tf.SparseTensor(sp_idx, sp_vals, [2, 3, 5]))
    np.testing.assert_array_equal(sizes.numpy(), expected.numpy())
    strings = [["x", "y"], ["", "x"]]
    assert str(tf.sets.union(strings, strings)) == str(real_tf.sets.union(strings, strings))
    with pytest.raises(TypeError) as ours_error:
        tf.sets.union(tf.constant([[1.0]]), tf.constant([[1.0]]))
    with pytest.raises(TypeError) as theirs_error:
        real_tf.sets.union(real_tf.constant([[1.0]]), real_tf.constant([[1.0]]))
    assert str(ours_error.value).split(" not in")[0] == str(theirs_error.value).split(" not in")[0]
