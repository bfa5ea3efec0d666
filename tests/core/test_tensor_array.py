"""TensorArray: the spec's examples, eager and graph semantics, loops, errors, gradients and TF parity."""
import numpy as np
import pytest

import ndflow as tf
from ndflow._core import tensor_array as lists
from ndflow.errors import InvalidArgumentError, OutOfRangeError
from tests.gradcheck import check_gradients

RS = np.random.RandomState(5)


def spec_array():
    array = tf.TensorArray(dtype=tf.float32, size=3)
    array = array.write(0, tf.constant([1.0, 2.0]))
    array = array.write(1, tf.constant([3.0, 10.0]))
    array = array.write(2, tf.constant([5.0, 7.0]))
    return array


def test_spec_read_pops_and_moments():
    array = spec_array()
    np.testing.assert_array_equal(array.read(1).numpy(), [3.0, 10.0])
    np.testing.assert_array_equal(array.stack().numpy(), [[1.0, 2.0], [0.0, 0.0], [5.0, 7.0]])
    mean, variance = tf.nn.moments(array.stack(), axes=0)
    np.testing.assert_array_equal(mean.numpy(), [2.0, 3.0])
    np.testing.assert_allclose(variance.numpy(), [4.6666665, 8.666667], rtol=1e-6)


def test_eager_semantics():
    array = spec_array()
    array.read(0)
    np.testing.assert_array_equal(array.read(0).numpy(), [0.0, 0.0])  # read twice: the slot was cleared
    kept = tf.TensorArray(tf.float32, size=2, clear_after_read=False).unstack([[1.0, 2.0], [3.0, 4.0]])
    assert kept.read(1).numpy().tolist() == kept.read(1).numpy().tolist() == [3.0, 4.0]
    assert array.size().numpy() == 3 and array.size().dtype == tf.int32
    assert array.dtype == tf.float32 and array.element_shape == tf.TensorShape([2]) and not array.dynamic_size
    grown = tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(2, [1.0, 2.0])
    assert grown.size().numpy() == 3
    np.testing.assert_array_equal(grown.stack().numpy(), [[0, 0], [0, 0], [1, 2]])
    assert tf.TensorArray(tf.float32, size=2, element_shape=[3]).stack().shape == tf.TensorShape([2, 3])
    assert tf.TensorArray(tf.float32, size=0).stack().shape == tf.TensorShape([0])
    written = tf.TensorArray(tf.float32, size=2).write(0, [1, 2])  # Python ints take the array's dtype
    assert written.read(0).dtype == tf.float32


def test_eager_bulk_operations():
    values = RS.randn(3, 2).astype(np.float32)
    array = tf.TensorArray(tf.float32, size=3, clear_after_read=False).unstack(values)
    np.testing.assert_array_equal(array.gather([2, 0]).numpy(), values[[2, 0]])
    scattered = tf.TensorArray(tf.float32, size=3).scatter([2, 0], values[:2])
    np.testing.assert_array_equal(scattered.stack().numpy(), [values[1], [0, 0], values[0]])
    ragged = tf.TensorArray(tf.float32, size=2, infer_shape=False).write(0, [1.0, 2.0]).write(1, [3.0])
    np.testing.assert_array_equal(ragged.concat().numpy(), [1.0, 2.0, 3.0])
    pieces = tf.TensorArray(tf.float32, size=2).split([1.0, 2.0, 3.0], [1, 2])
    np.testing.assert_array_equal(pieces.read(1).numpy(), [2.0, 3.0])
    assert array.identity() is array
    array.close()
    assert array.size().numpy() == 0


def test_eager_errors():
    with pytest.raises(ValueError, match="Size must be declared for TensorArrays when eager execution is enabled."):
        tf.TensorArray(tf.float32)
    array = spec_array()
    with pytest.raises(OutOfRangeError, match="Tried to write to index 3 but array is not resizeable and size is: 3"):
        array.write(3, [1.0, 2.0])
    with pytest.raises(OutOfRangeError, match=r"Writing to negative indices \(index -1\) is not allowed."):
        array.write(-1, [1.0, 2.0])
    with pytest.raises(OutOfRangeError, match="Tried to read from index 5 but array size is: 3"):
        array.read(5)
    with pytest.raises(ValueError, match=r"Incompatible shape for value \(\(3,\)\), expected \(\(2,\)\)"):
        array.write(0, [1.0, 2.0, 3.0])
    with pytest.raises(InvalidArgumentError, match="TensorArray dtype is int32 but Op is trying to write dtype "
                                                   "float32"):
        tf.TensorArray(tf.int32, size=2).write(0, [1.5, 2.0])
    with pytest.raises(ValueError, match="Cannot convert a partially known TensorShape <unknown> to a Tensor."):
        tf.TensorArray(tf.float32, size=2).read(0)
    with pytest.raises(ValueError, match="Cannot unstack 2 tensors into a TensorArray of static size 1"):
        tf.TensorArray(tf.float32, size=1).unstack([[1.0], [2.0]])
    with pytest.raises(InvalidArgumentError, match="Expected sum of lengths to be equal to values.shape"):
        tf.TensorArray(tf.float32, size=2).split([1.0, 2.0, 3.0], [1, 1])


# ---------------------------------------------------------------------------------------------------------
# Inside ndflow.function


@tf.function
def doubled(x):
    array = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for i in tf.range(tf.shape(x)[0]):
        array = array.write(i, tf.gather(x, i) * 2.0)
    return array.stack()


def test_autograph_for_loop_with_dynamic_size():
    x = RS.randn(4, 2).astype(np.float32)
    np.testing.assert_allclose(doubled(tf.constant(x)).numpy(), 2 * x)
    np.testing.assert_allclose(doubled(tf.constant(x[:2])).numpy(), 2 * x[:2])


def test_while_loop_and_graph_semantics():
    @tf.function
    def f(x):
        array = tf.TensorArray(tf.float32, size=3)

        def body(i, a):
            return i + 1, a.write(i, tf.gather(x, i) * 3.0)

        _, array = tf.while_loop(lambda i, a: i < 3, body, [0, array])
        first, again = array.read(0), array.read(0)  # graphs never clear a slot
        unassigned = tf.TensorArray(tf.float32, size=2)
        unassigned.write(0, [1.0])  # not reassigned: the graph's array stays empty (the shape is learnt)
        return array.stack(), first, again, unassigned.stack(), array.size(), array.gather([2, 1])

    stacked, first, again, empty, size, picked = f(tf.constant([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(stacked.numpy(), [3.0, 6.0, 9.0])
    assert first.numpy() == again.numpy() == 3.0
    np.testing.assert_array_equal(empty.numpy(), [[0.0], [0.0]])
    assert size.numpy() == 3
    np.testing.assert_array_equal(picked.numpy(), [9.0, 6.0])


def test_graph_bulk_operations_and_returned_flow():
    @tf.function
    def f(x):
        array = tf.TensorArray(tf.float32, size=3).unstack(x)
        scattered = tf.TensorArray(tf.float32, size=3).scatter([2, 0], x[:2])
        pieces = tf.TensorArray(tf.float32, size=2).split(tf.reshape(x, [-1]), [2, 4])
        return array.stack(), scattered.stack(), pieces.read(1), pieces.concat(), array

    x = RS.randn(3, 2).astype(np.float32)
    stacked, scattered, piece, joined, flow = f(tf.constant(x))
    np.testing.assert_array_equal(stacked.numpy(), x)
    np.testing.assert_array_equal(scattered.numpy(), [x[1], [0, 0], x[0]])
    np.testing.assert_array_equal(piece.numpy(), x.reshape(-1)[2:])
    np.testing.assert_array_equal(joined.numpy(), x.reshape(-1))
    assert flow.dtype == tf.dtypes.variant and flow.shape == tf.TensorShape([])
    assert repr(tf.TensorArraySpec([2], tf.float32)) == "TensorArraySpec(TensorShape([2]), tf.float32, False, True)"
    with pytest.raises(ValueError, match="Attempt to convert a value .* with an unsupported type"):
        tf.convert_to_tensor(tf.TensorArray(tf.float32, size=1))


def test_autograph_if_carries_tensor_arrays():
    @tf.function
    def f(x):
        array = tf.TensorArray(tf.float32, size=2)
        if x > 0:
            array = array.write(0, x)
        else:
            array = array.write(0, -x)
        return array.write(1, x * 2.0).stack()

    np.testing.assert_array_equal(f(tf.constant(3.0)).numpy(), [3.0, 6.0])
    np.testing.assert_array_equal(f(tf.constant(-2.0)).numpy(), [2.0, -4.0])


def test_graph_errors():
    @tf.function
    def past_the_end():
        return tf.TensorArray(tf.float32, size=2).write(3, [1.0]).stack()

    with pytest.raises(InvalidArgumentError, match="Trying to modify element 3 in a list with 2 elements."):
        past_the_end()

    @tf.function
    def unknown_element():
        return tf.TensorArray(tf.float32, size=2).read(0)

    with pytest.raises(InvalidArgumentError, match="Trying to read an uninitialized tensor but element_shape is not "
                                                   "fully defined"):
        unknown_element()

    @tf.function
    def inconsistent():
        return tf.TensorArray(tf.float32, size=2).write(0, [1.0, 2.0]).write(1, [1.0]).stack()

    with pytest.raises(ValueError, match=r"Inconsistent shapes: saw \(1,\) but expected \(2,\)"):
        inconsistent()


# ---------------------------------------------------------------------------------------------------------
# Gradients


def test_eager_gradient_through_write_read_and_stack():
    x = tf.constant([1.0, 2.0, 3.0], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        array = tf.TensorArray(tf.float64, size=3)
        for i in range(3):
            array = array.write(i, x[i] * x[i])
        y = tf.reduce_sum(array.stack()) + array.read(0)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [4.0, 4.0, 6.0])


def test_graph_gradient_through_a_while_loop_matches_finite_differences():
    @tf.function
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            array = tf.TensorArray(tf.float64, size=3)
            for i in tf.range(3):
                array = array.write(i, tf.sin(tf.gather(x, i)) * tf.gather(x, 2 - i))
            y = tf.reduce_sum(array.stack() ** 2)
        return tape.gradient(y, x)

    x = RS.randn(3)

    def loss(v):
        terms = np.sin(v) * v[::-1]
        return np.sum(terms ** 2)

    numeric = [(loss(x + e) - loss(x - e)) / 2e-6 for e in np.eye(3) * 1e-6]
    np.testing.assert_allclose(grad(tf.constant(x)).numpy(), numeric, rtol=1e-5)


def _run(op, inputs, attrs=None):
    return lists.execute(op, tuple(inputs), attrs)


def test_list_op_gradients():
    shape = {"element_shape": (2,), "dtype": np.float64}

    def set_and_stack(values):
        flow = _run(lists.Reserve, [tf.constant(4)])
        flow = _run(lists.SetItems, [flow, tf.constant([3, 0, 1]), values], {"dynamic": False})
        return _run(lists.Stack, [flow], shape)

    def unstack_and_read(t):
        flow = _run(lists.FromTensor, [t])
        return _run(lists.GetItems, [flow, tf.constant([2, 0, 2])], shape) * 2.0

    def split_and_concat(t):
        flow = _run(lists.FromSplit, [t, tf.constant([1, 3], tf.int64)])
        return _run(lists.Concat, [flow], {"element_shape": None, "dtype": np.float64})[0] * t

    check_gradients(set_and_stack, RS.randn(3, 2))
    check_gradients(unstack_and_read, RS.randn(3, 2))
    check_gradients(split_and_concat, RS.randn(4))


# ---------------------------------------------------------------------------------------------------------
# Parity with TensorFlow


def _program(lib, x):
    array = lib.TensorArray(lib.float32, size=0, dynamic_size=True, clear_after_read=False)
    array = array.unstack(x)
    array = array.write(4, x[0] * 3.0)
    gathered = array.gather([4, 1])
    concat = lib.TensorArray(lib.float32, size=2, infer_shape=False).write(0, x[0]).write(1, x[1, :1]).concat()
    return [array.stack(), gathered, concat, array.size(), array.read(3)]


@pytest.mark.parity
def test_parity_eager_and_function():
    real_tf = pytest.importorskip("tensorflow")
    x = RS.randn(3, 2).astype(np.float32)
    for ours, theirs in zip(_program(tf, tf.constant(x)), _program(real_tf, real_tf.constant(x))):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
        assert ours.dtype.name == theirs.dtype.name
    ours_fn, theirs_fn = tf.function(lambda v: _program(tf, v)), real_tf.function(lambda v: _program(real_tf, v))
    for ours, theirs in zip(ours_fn(tf.constant(x)), theirs_fn(real_tf.constant(x))):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
        assert ours.shape == tuple(theirs.shape)
    spec = spec_array()
    spec.read(1)
    real = real_tf.TensorArray(real_tf.float32, size=3).write(0, [1.0, 2.0]).write(1, [3.0, 10.0])
    real = real.write(2, [5.0, 7.0])
    real.read(1)
    assert str(spec.stack()) == str(real.stack())


def test_cond_reading_a_tensor_array_differentiates_in_both_branches():
    v1 = tf.compat.v1
    with v1.Graph().as_default():
        x = v1.placeholder(tf.float32, [3, 2])
        i = v1.placeholder(tf.int32, [])
        ta = tf.TensorArray(tf.float32, 3).unstack(x)
        y = tf.cond(i < 3, lambda: ta.read(i), lambda: tf.zeros([2]))
        grad = v1.gradients(tf.reduce_sum(y * y), x)[0]
        values = np.arange(1.0, 7.0).reshape(3, 2)
        with v1.Session() as sess:
            np.testing.assert_array_equal(sess.run(grad, {x: values, i: 1}), [[0, 0], [6, 8], [0, 0]])
            np.testing.assert_array_equal(sess.run(grad, {x: values, i: 5}), np.zeros((3, 2)))
