"""AutoGraph inside ndflow.function (spec 001b.md: sum_squares, add_10, tf.range loops)."""
import numpy as np
import pytest

import ndflow as tf


def test_if_on_tensor_becomes_cond():
    @tf.function
    def f(x):
        if x > 0:
            y = x * 2
        else:
            y = -x
        return y

    assert int(f(tf.constant(3))) == 6 and int(f(tf.constant(-4))) == 4
    assert f.experimental_get_tracing_count() == 1
    ops = [op.type for op in f.get_concrete_function(tf.TensorSpec([], tf.int32)).graph.get_operations()]
    assert "If" in ops


def test_while_on_tensor_becomes_while_loop():
    @tf.function
    def f(x):
        while x < 100:
            x = x * 3
        return x

    assert int(f(tf.constant(2))) == 162
    assert "While" in [op.type for op in f.get_concrete_function(tf.TensorSpec([], tf.int32)).graph.get_operations()]


def test_sum_squares_and_range_loops():
    @tf.function
    def sum_squares(n):
        s = 0
        for i in range(n):
            s += i ** 2
        return s

    assert int(sum_squares(tf.constant(10))) == sum(i * i for i in range(10))

    @tf.function
    def add_10(x):
        for _ in tf.range(10):
            x += 1
        return x

    assert int(add_10(tf.constant(5))) == 15
    graph = add_10.get_concrete_function(tf.TensorSpec([], tf.int32)).graph
    assert "While" in [op.type for op in graph.get_operations()]


def test_python_range_is_unrolled_at_trace_time():
    @tf.function
    def add_10(x):
        for _ in range(10):
            x += 1
        return x

    assert int(add_10(tf.constant(5))) == 15
    graph = add_10.get_concrete_function(tf.TensorSpec([], tf.int32)).graph
    assert [op.type for op in graph.get_operations()].count("AddV2") == 10


def test_loop_over_tensor_rows():
    @tf.function
    def total(rows):
        acc = tf.zeros([2])
        for row in rows:
            acc = acc + row
        return acc

    np.testing.assert_array_equal(total(tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])).numpy(), [9, 12])


def test_python_conditions_stay_python_and_autograph_can_be_disabled():
    @tf.function
    def f(x, flag):
        if flag:
            return x + 1
        return x - 1

    assert int(f(tf.constant(1), True)) == 2 and int(f(tf.constant(1), False)) == 0

    @tf.function(autograph=False)
    def g(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(TypeError):
        g(tf.constant(1))


def test_to_code_shows_the_conversion():
    def sum_squares(n):
        s = 0
        for i in range(n):
            s += i ** 2
        return s

    code = tf.autograph.to_code(sum_squares)
    assert "ag__.for_stmt" in code and "def ag__loop_body_1" in code


def test_early_return_on_a_tensor_condition():
    @tf.function
    def magnitude(x):
        if x > 0:
            return x
        return -x

    assert int(magnitude(tf.constant(3))) == 3 and int(magnitude(tf.constant(-5))) == 5
    assert magnitude.experimental_get_tracing_count() == 1


def test_break_and_continue_on_tensor_conditions():
    @tf.function
    def sum_until_over(xs, limit):
        total = tf.constant(0)
        for v in xs:
            if v > limit:
                break
            total += v
        return total

    @tf.function
    def sum_odd(n):
        s = 0
        i = 0
        while i < n:
            i += 1
            if i % 2 == 0:
                continue
            s += i
        return s

    assert int(sum_until_over(tf.constant([1, 2, 5, 1]), tf.constant(3))) == 3
    assert int(sum_until_over(tf.constant([1, 2, 2, 1]), tf.constant(3))) == 6
    assert int(sum_odd(tf.constant(7))) == 1 + 3 + 5 + 7


def test_python_loops_with_break_keep_python_semantics():
    @tf.function
    def f(x):
        for i in range(10):
            if i == 3:
                break
            x = x + 1
        return x

    assert int(f(tf.constant(0))) == 3


def test_state_assigned_in_nested_ifs_is_carried_by_loops():
    @tf.function
    def count_positive(xs):
        count = 0
        for v in xs:
            if v > 0:
                count += 1
        return count

    assert int(count_positive(tf.constant([1, -2, 3, 4]))) == 3
