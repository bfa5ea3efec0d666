"""TF Functions claims of the Hands-On ML notes, ch. 12 (inventory 001b.md §(h) 'TF Functions')."""
import numpy as np

import ndflow as tf


def cube(x):
    return x ** 3


def test_tf_cube_results_and_concrete_functions():
    tf_cube = tf.function(cube)
    assert cube(2) == 8
    result = tf_cube(2)
    assert result.dtype == tf.int32 and int(result) == 8
    assert float(tf_cube(tf.constant(2.0))) == 8.0
    assert tf_cube.python_function(2) == 8
    concrete = tf_cube.get_concrete_function(tf.constant(2.0))
    assert concrete is tf_cube.get_concrete_function(tf.constant(2.0))
    assert float(concrete(tf.constant(5.0))) == 125.0
    ops = concrete.graph.get_operations()
    assert [op.type for op in ops] == ["Placeholder", "Const", "Pow", "Identity"]
    pow_op = ops[2]
    assert [t.name for t in pow_op.inputs][0] == "x:0" and pow_op.outputs[0].name == "pow:0"
    assert concrete.graph.get_operation_by_name("x") is ops[0]
    assert concrete.graph.get_tensor_by_name("Identity:0") is ops[3].outputs[0]


def test_each_python_value_makes_a_new_graph():
    tf_cube = tf.function(cube)
    tf_cube(10)
    tf_cube(20)
    assert tf_cube.experimental_get_tracing_count() == 2
    tf_cube(tf.constant([2.0]))
    tf_cube(tf.constant([3.0]))
    tf_cube(tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    assert tf_cube.experimental_get_tracing_count() == 4


def test_add_10_three_ways():
    @tf.function
    def add_10_static(x):
        for _ in range(10):
            x += 1
        return x

    @tf.function
    def add_10_while(x):
        condition = lambda i, x: tf.less(i, 10)  # noqa: E731
        body = lambda i, x: (tf.add(i, 1), tf.add(x, 1))  # noqa: E731
        return tf.while_loop(condition, body, [tf.constant(0), x])[1]

    @tf.function
    def add_10_range(x):
        for _ in tf.range(10):
            x += 1
        return x

    for fn in (add_10_static, add_10_while, add_10_range):
        assert int(fn(tf.constant(5))) == 15
    graph = add_10_static.get_concrete_function(tf.constant(5)).graph
    assert [op.type for op in graph.get_operations()].count("AddV2") == 10
    assert "While" in [op.type for op in add_10_range.get_concrete_function(tf.constant(5)).graph.get_operations()]


def test_resources_and_python_randomness():
    counter = tf.Variable(0)

    @tf.function
    def increment(counter, c=1):
        return counter.assign_add(c)

    increment(counter)
    increment(counter)
    assert int(counter) == 2

    @tf.function
    def random_at_trace(x):
        return np.random.rand()

    a, b = random_at_trace(tf.constant(2.0)), random_at_trace(tf.constant(3.0))
    assert float(a) == float(b)
    assert float(random_at_trace(tf.constant([2.0, 3.0]))) != float(a)
