import sys

import numpy as np
import pytest

import ndflow as tf


def test_cond_eager_runs_one_branch():
    calls = []
    out = tf.cond(tf.constant(True), lambda: calls.append("t") or tf.constant(1), lambda: calls.append("f"))
    assert int(out) == 1 and calls == ["t"]


def test_cond_in_function_picks_branch_at_run_time():
    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: x * 2.0, lambda: -x)

    assert float(f(tf.constant(3.0))) == 6.0
    assert float(f(tf.constant(-4.0))) == 4.0
    assert f.experimental_get_tracing_count() == 1


def test_cond_gradients_inside_function_and_in_tf1_graphs():
    @tf.function
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cond(x > 0, lambda: x * x * 3.0, lambda: -x)
        return tape.gradient(y, x)

    assert float(grad(tf.constant(2.0))) == 12.0
    assert float(grad(tf.constant(-2.0))) == -1.0

    import ndflow.compat.v1 as v1

    g = tf.Graph()
    with g.as_default():
        a = v1.placeholder(tf.float32, [])
        b = tf.cond(a > 1.0, lambda: a * 10.0, lambda: a)
        (db,) = v1.gradients(b, [a])
    with v1.Session(graph=g) as sess:
        assert sess.run([b, db], {a: 2.0}) == [20.0, 10.0]
        assert sess.run([b, db], {a: 0.5}) == [0.5, 1.0]


def test_cond_branches_must_agree():
    @tf.function
    def bad(x):
        return tf.cond(x > 0, lambda: (x, x), lambda: x)

    with pytest.raises(ValueError, match="same number, type, and overall structure"):
        bad(tf.constant(1.0))


def test_case_and_switch_case():
    x = tf.constant(5)
    out = tf.case([(x < 3, lambda: tf.constant(1)), (x < 10, lambda: tf.constant(2))],
                  default=lambda: tf.constant(3))
    assert int(out) == 2

    @tf.function
    def pick(i):
        return tf.switch_case(i, [lambda: tf.constant(10), lambda: tf.constant(20), lambda: tf.constant(30)])

    assert [int(pick(tf.constant(k))) for k in (0, 1, 2, 7)] == [10, 20, 30, 30]


def test_while_loop_eager_and_in_function():
    i, total = tf.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i), [tf.constant(0), tf.constant(0)])
    assert (int(i), int(total)) == (5, 10)

    @tf.function
    def add_10(x):
        return tf.while_loop(lambda i, v: i < 10, lambda i, v: (i + 1, v + 1), [0, x])[1]

    assert int(add_10(tf.constant(5))) == 15

    @tf.function
    def capped(x):
        return tf.while_loop(lambda v: v < 100, lambda v: v * 2, [x], maximum_iterations=3)

    assert int(capped(tf.constant(1))[0]) == 8


def test_while_loop_shape_change_needs_invariant():
    @tf.function
    def grow(x):
        return tf.while_loop(lambda v: tf.size(v) < 8, lambda v: tf.concat([v, v], 0), [x])

    with pytest.raises(ValueError, match="shape_invariants"):
        grow(tf.constant([1]))


def test_functional_loops():
    elems = tf.constant([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(tf.map_fn(lambda x: x * x, elems).numpy(), [1, 4, 9, 16])
    np.testing.assert_array_equal(tf.scan(lambda a, x: a + x, elems).numpy(), [1, 3, 6, 10])
    assert float(tf.foldl(lambda a, x: a - x, elems)) == 1 - 2 - 3 - 4
    assert float(tf.foldr(lambda a, x: a - x, elems)) == 4 - 3 - 2 - 1


def test_print_runs_on_every_call_and_python_print_only_when_tracing(capsys):
    @tf.function
    def f(x):
        print("traced")
        tf.print("value:", x, output_stream=sys.stdout)
        return x + 1

    f(tf.constant(1))
    f(tf.constant(2))
    assert capsys.readouterr().out.splitlines() == ["traced", "value: 1", "value: 2"]
    tf.print(tf.range(10), output_stream=sys.stdout)
    assert capsys.readouterr().out == "[0 1 2 ... 7 8 9]\n"


def test_group_and_control_dependencies_order_effects():
    import ndflow.compat.v1 as v1

    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(0)
        inc = v.assign_add(1)
        with tf.control_dependencies([inc]):
            read = tf.identity(v.read_value() * 1)
        both = tf.group(inc, v.assign_add(10))
    with v1.Session(graph=g) as sess:
        sess.run(v.initializer)
        sess.run(both)
        assert sess.run(v) == 11
        assert sess.run(read) == 12


def test_while_loop_gradients_inside_functions():
    @tf.function
    def f(x, w):
        with tf.GradientTape() as tape:
            tape.watch([x, w])
            _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x + w), [0, tf.constant(1.0)])
        return y, tape.gradient(y, [x, w])

    y, (dx, dw) = f(tf.constant(2.0), tf.constant(0.5))
    # y = x³ + x²w + xw + w
    assert float(y) == 11.5 and float(dx) == 3 * 4 + 2 * 2 * 0.5 + 0.5 and float(dw) == 4 + 2 + 1


def test_while_loop_gradient_matches_finite_differences_in_tf1_graphs():
    import ndflow.compat.v1 as v1

    g = tf.Graph()
    with g.as_default():
        x0 = v1.placeholder(tf.float64, [3])
        a = v1.placeholder(tf.float64, [])
        n, x = tf.while_loop(lambda n, x: n < 4, lambda n, x: (n + 1, tf.sin(x) * a + x), [0, x0])
        loss = tf.reduce_sum(x * x)
        dx0, da = v1.gradients(loss, [x0, a])

    def value(x0v, av):
        x = np.array(x0v)
        for _ in range(4):
            x = np.sin(x) * av + x
        return np.sum(x * x)

    point, scale, eps = np.array([0.3, -1.1, 2.0]), 0.7, 1e-6
    with v1.Session(graph=g) as sess:
        gx, ga = sess.run([dx0, da], {x0: point, a: scale})
    numeric_x = [(value(point + eps * e, scale) - value(point - eps * e, scale)) / (2 * eps) for e in np.eye(3)]
    numeric_a = (value(point, scale + eps) - value(point, scale - eps)) / (2 * eps)
    np.testing.assert_allclose(gx, numeric_x, rtol=1e-6)
    np.testing.assert_allclose(ga, numeric_a, rtol=1e-6)


def test_autograph_loop_gradient():
    @tf.function
    def power(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.constant(1.0)
            for _ in tf.range(5):
                y = y * x
        return tape.gradient(y, x)

    assert float(power(tf.constant(2.0))) == 5 * 2.0 ** 4


def test_while_loop_differentiates_variables_read_in_its_body():
    w = tf.Variable(2.0)

    @tf.function
    def gradient():
        with tf.GradientTape() as tape:
            _, a = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * w), [tf.constant(0), tf.constant(1.0)])
        return tape.gradient(a, w)

    assert float(gradient()) == 12.0  # d(w**3)/dw at 2


def test_while_loop_rereads_variables_its_body_assigns():
    v = tf.Variable(0.0)

    @tf.function
    def run():
        def body(i):
            v.assign_add(v + 1.0)
            return i + 1

        tf.while_loop(lambda i: i < 3, body, [tf.constant(0)])
        return v.read_value()

    assert float(run()) == 7.0  # 0 -> 1 -> 3 -> 7


def test_tf1_while_and_cond_gradients_reach_graph_variables():
    v1 = tf.compat.v1
    with v1.Graph().as_default():
        w = v1.Variable(2.0)
        _, a = v1.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * w), [v1.constant(0), v1.constant(1.0)])
        y = v1.cond(v1.constant(True), lambda: w * 3.0, lambda: w)
        grads = v1.gradients(a, w) + v1.gradients(y, w)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            assert sess.run(grads) == [12.0, 3.0]
