import numpy as np

import ndflow as tf


def test_py_function_eager_with_gradient():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.py_function(lambda a: a * a * 3.0, [x], tf.float32)
    np.testing.assert_allclose(y.numpy(), [3.0, 12.0])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [6.0, 12.0])


def test_py_function_inside_function_runs_each_call_and_differentiates():
    calls = []

    def python_side(v):
        calls.append(1)
        return tf.sin(v)

    @tf.function
    def grad(a):
        with tf.GradientTape() as tape:
            tape.watch(a)
            y = tf.py_function(python_side, [a], tf.float32)
        return tape.gradient(y, a)

    np.testing.assert_allclose(grad(tf.constant([0.0, 1.0])).numpy(), np.cos([0.0, 1.0]), rtol=1e-6)
    grad(tf.constant([2.0, 3.0]))
    assert len(calls) >= 2


def test_numpy_function_in_graph():
    @tf.function
    def f(a):
        return tf.numpy_function(lambda v: np.sort(v)[::-1].copy(), [a], tf.float32) + 1.0

    np.testing.assert_array_equal(f(tf.constant([3.0, 1.0, 2.0])).numpy(), [4.0, 3.0, 2.0])


def test_py_function_gradient_check():
    from tests.gradcheck import check_gradients

    check_gradients(lambda a: tf.py_function(lambda v: tf.sin(v) * v, [a], tf.float64),
                    np.array([0.3, -1.2, 2.0]))


def test_tf1_print_gradient_is_the_identity(capsys):
    from ndflow.compat.v1 import Print
    from tests.gradcheck import check_gradients

    check_gradients(lambda a: Print(a * a, [a], message="a: ") * 2.0, np.array([0.5, -1.5]))


def test_numpy_function_in_graphs_passes_scalars_as_numpy_scalars_like_tf():
    seen = []

    def record(*values):
        seen.append([type(v) for v in values])
        return np.int64(0)

    inputs = [tf.constant("a"), tf.constant(1.0), tf.constant([1, 2])]
    tf.numpy_function(record, inputs, tf.int64)
    tf.function(lambda: tf.numpy_function(record, inputs, tf.int64))()
    assert seen == [[np.ndarray, np.ndarray, np.ndarray], [bytes, np.float32, np.ndarray]]
