import numpy as np
import pytest

import ndflow as tf


def test_function_traces_once_per_signature(capsys):
    @tf.function
    def cube(x):
        print("tracing", x)
        return x * x * x

    assert float(cube(tf.constant(2.0))) == 8.0
    assert float(cube(tf.constant(3.0))) == 27.0
    np.testing.assert_array_equal(cube(tf.constant([1.0, 2.0])).numpy(), [1.0, 8.0])
    out = capsys.readouterr().out.splitlines()
    assert out == ['tracing Tensor("x:0", shape=(), dtype=float32)',
                   'tracing Tensor("x:0", shape=(2,), dtype=float32)']
    assert cube.experimental_get_tracing_count() == 2


def test_python_arguments_are_part_of_the_signature():
    @tf.function
    def cube(x):
        return x * x * x

    result = cube(2)
    assert result.dtype == tf.int32 and int(result) == 8
    cube(3)
    assert cube.experimental_get_tracing_count() == 2


def test_input_signature_allows_any_batch_and_checks_inputs():
    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28], tf.float32)])
    def shrink(images):
        return images[:, ::2, ::2]

    assert shrink(tf.zeros([100, 28, 28])).shape == (100, 14, 14)
    assert shrink(tf.zeros([50, 28, 28])).shape == (50, 14, 14)
    assert shrink.experimental_get_tracing_count() == 1
    with pytest.raises(TypeError):
        shrink(tf.zeros([2, 3]))


def test_variables_are_read_and_updated_at_call_time():
    counter = tf.Variable(0)

    @tf.function
    def increment(c):
        c.assign_add(1)
        return c.read_value()

    assert int(increment(counter)) == 1
    assert int(increment(counter)) == 2
    assert int(counter) == 2


def test_variables_may_only_be_created_on_first_trace():
    @tf.function
    def make(x):
        v = tf.Variable(1.0)
        return x + v

    make(tf.constant(1.0))
    with pytest.raises(ValueError, match="singleton tf.Variables"):
        make(tf.constant([1.0, 2.0]))


def test_gradient_tape_inside_function():
    w = tf.Variable(2.0)

    @tf.function
    def grad_step(x):
        with tf.GradientTape() as tape:
            y = w * x * x
        return tape.gradient(y, w)

    assert float(grad_step(tf.constant(3.0))) == 9.0


def test_gradient_tape_around_function():
    @tf.function
    def square(x):
        return x * x

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = square(x)
    assert float(tape.gradient(y, x)) == 6.0


def test_methods_can_be_decorated():
    class Scaler:
        def __init__(self, k):
            self.k = k

        @tf.function
        def __call__(self, x):
            return x * self.k

    assert float(Scaler(2.0)(tf.constant(3.0))) == 6.0
    assert float(Scaler(5.0)(tf.constant(3.0))) == 15.0


def test_concrete_function_graph_lists_ops():
    @tf.function
    def f(x):
        return x * x

    concrete = f.get_concrete_function(tf.TensorSpec([], tf.float32))
    assert [op.type for op in concrete.graph.get_operations()] == ["Placeholder", "Mul", "Identity"]
    assert concrete.graph.inputs[0].name == "x:0"
    assert float(concrete(tf.constant(4.0))) == 16.0
