"""Variables inside functions read what earlier assigns wrote; eager assign_add/assign_sub update in place
without changing tensors read earlier."""
import numpy as np
import pytest

import ndflow as tf


def _read_after_assigns(lib):
    v = lib.Variable(1.0)

    @lib.function
    def f():
        v.assign_add(1.0)
        a = v * 2.0
        v.assign(a + 1.0)
        return v * 1.0

    return float(f().numpy()), float(v.numpy())


def test_read_after_assign_sees_the_new_value():
    # 1 + 1 = 2; a = 4; v = 5; the last read must see 5, not the cached 2
    assert _read_after_assigns(tf) == (5.0, 5.0)


def test_every_call_orders_reads_after_assigns():
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def step(x):
        before = v * 1.0
        v.assign_sub(x)
        middle = tf.reduce_sum(v)
        v.assign_add(2.0 * x)
        return before, middle, v + 0.0

    for _ in range(2):
        start = v.numpy()
        before, middle, after = step(tf.constant([0.5, 0.5]))
        np.testing.assert_allclose(before.numpy(), start)
        np.testing.assert_allclose(middle.numpy(), (start - 0.5).sum())
        np.testing.assert_allclose(after.numpy(), start + 0.5)


def test_reads_after_assign_in_a_cond_branch():
    v = tf.Variable(1.0)

    @tf.function
    def f(p):
        first = v * 1.0
        tf.cond(p, lambda: v.assign(3.0), lambda: v.assign(4.0))
        return first, v * 1.0

    first, last = f(tf.constant(True))
    assert (float(first.numpy()), float(last.numpy())) == (1.0, 3.0)
    first, last = f(tf.constant(False))
    assert (float(first.numpy()), float(last.numpy())) == (3.0, 4.0)


def test_reads_without_assign_share_one_op():
    v = tf.Variable(2.0)

    @tf.function
    def f():
        return v * 1.0 + v * 2.0

    f()
    graph = f.get_concrete_function().graph
    assert [op.type for op in graph.get_operations()].count("ReadVariableOp") == 1


def test_read_after_assign_depends_on_it():
    v = tf.Variable(2.0)

    @tf.function
    def f():
        v.assign(5.0)
        return v * 1.0

    f()
    ops = f.get_concrete_function().graph.get_operations()
    read = [op for op in ops if op.type == "ReadVariableOp"][0]
    assert [op.type for op in read.control_inputs] == ["AssignVariableOp"]


def test_gradient_through_reads_before_and_after_assign():
    v = tf.Variable(3.0)

    @tf.function
    def f():
        with tf.GradientTape() as tape:
            y = v * v
            v.assign_add(1.0)
            y = y + 10.0 * v
        return tape.gradient(y, v)

    # d/dv (v*v) at 3 plus d/dv (10 * v) through the second read: 6 + 10
    assert float(f().numpy()) == 16.0


def test_gradient_of_a_variable_read_twice_in_a_function():
    v = tf.Variable(3.0)

    @tf.function
    def f():
        with tf.GradientTape() as tape:
            y = v * v  # two reads of one cached graph tensor: linked to the variable once
        return tape.gradient(y, v)

    assert float(f().numpy()) == 6.0


@pytest.mark.parity
def test_read_after_assign_matches_tensorflow():
    real_tf = pytest.importorskip("tensorflow")
    assert _read_after_assigns(tf) == _read_after_assigns(real_tf)


# ---------------------------------------------------------------------------------------------------------
# Eager assign_add / assign_sub


def test_earlier_reads_stay_snapshots():
    v = tf.Variable(np.ones((3, 2), np.float32))
    before = v.value()
    view = v[0]
    as_array = np.asarray(v)
    v.assign_add(np.ones((3, 2), np.float32))
    v.assign_sub(np.full((3, 2), 0.5, np.float32))
    np.testing.assert_array_equal(before.numpy(), np.ones((3, 2)))
    np.testing.assert_array_equal(view.numpy(), np.ones(2))
    np.testing.assert_array_equal(as_array, np.ones((3, 2)))
    np.testing.assert_array_equal(v.numpy(), np.full((3, 2), 1.5))


def test_repeated_updates_reuse_the_buffer():
    v = tf.Variable(np.zeros((4, 3), np.float32))
    v.assign_add(np.ones((4, 3), np.float32))  # after creation nothing aliases the buffer
    buffer = v._value
    for _ in range(3):
        v.assign_add(tf.ones((4, 3)))
        v.assign_sub(np.full((3,), 0.5, np.float32))  # broadcasting into the variable's shape
    assert v._value is buffer
    np.testing.assert_array_equal(v.numpy(), np.full((4, 3), 2.5))
    snapshot = v.read_value()
    v.assign_add(tf.ones((4, 3)))
    assert v._value is not buffer
    np.testing.assert_array_equal(snapshot.numpy(), np.full((4, 3), 2.5))
    np.testing.assert_array_equal(v.numpy(), np.full((4, 3), 3.5))


def test_function_outputs_stay_snapshots():
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def read():
        return tf.identity(v)

    out = read()
    v.assign_add([1.0, 1.0])
    np.testing.assert_array_equal(out.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(v.numpy(), [2.0, 3.0])


def test_update_errors_and_results():
    v = tf.Variable([1, 2], dtype=tf.int32)
    assert v.assign_add([1, 1]) is v
    assert v.assign_sub([1, 1], read_value=False) is None
    np.testing.assert_array_equal(v.numpy(), [1, 2])
    with pytest.raises(ValueError, match="Shape mismatch"):
        v.assign_add(np.ones((2, 2), np.int32))
    with pytest.raises(TypeError):
        v.assign_add(tf.constant([1.0, 1.0]))
    np.testing.assert_array_equal(v.numpy(), [1, 2])


def test_scalar_variables_update_in_place_too():
    v = tf.Variable(1.0)
    for _ in range(3):
        v.assign_add(2.0)
    v.assign_sub(tf.constant(0.5))
    assert float(v.numpy()) == 6.5

    @tf.function
    def bump():
        v.assign_add(1.0)  # the variable's value then comes from the graph's assign op

    bump()
    v.assign_add(1.0)
    assert float(v.numpy()) == 8.5
