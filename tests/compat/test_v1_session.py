"""TF1 graphs and sessions (spec 000.md ch. 9)."""
import numpy as np
import pytest

import ndflow.compat.v1 as tf

pytestmark = pytest.mark.usefixtures("graph_mode")


def test_first_graph_evaluates_to_42_three_ways():
    x = tf.Variable(3, name="x")
    y = tf.Variable(4, name="y")
    f = x * x * y + y + 2
    sess = tf.Session()
    sess.run(x.initializer)
    sess.run(y.initializer)
    assert sess.run(f) == 42
    sess.close()
    with tf.Session() as sess:
        x.initializer.run()
        y.initializer.run()
        assert f.eval() == 42
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        init.run()
        assert f.eval() == 42
    assert x.graph is tf.get_default_graph()


def test_interactive_session_is_default_until_closed():
    x = tf.Variable(3)
    session = tf.InteractiveSession()
    x.initializer.run()
    assert x.eval() == 3
    session.close()
    assert tf.get_default_session() is None


def test_run_evaluates_nested_fetches_in_one_pass():
    w = tf.constant(3)
    x = w + 2
    y = x + 5
    z = x * 3
    with tf.Session() as sess:
        y_val, z_val = sess.run([y, z])
        out = sess.run({"y": y, "pair": (x, z)})
    assert (y_val, z_val) == (10, 15)
    assert out["y"] == 10 and out["pair"] == (5, 15)


def test_placeholders_feed_any_batch_size_and_must_be_fed():
    A = tf.placeholder(tf.float32, shape=(None, 3))
    B = A + 5
    with tf.Session():
        np.testing.assert_array_equal(B.eval(feed_dict={A: [[1, 2, 3]]}), [[6, 7, 8]])
        np.testing.assert_array_equal(B.eval(feed_dict={A: [[4, 5, 6], [7, 8, 9]]}),
                                      [[9, 10, 11], [12, 13, 14]])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="You must feed a value for placeholder tensor 'Placeholder' with dtype "
                                 r"float and shape \[\?,3\]"):
            B.eval()
        with pytest.raises(ValueError, match="Cannot feed value of shape"):
            B.eval(feed_dict={A: [1, 2]})


def test_feeding_an_intermediate_tensor_skips_its_inputs():
    A = tf.placeholder(tf.float32, shape=(None, 2))
    hidden = A * 2.0
    out = hidden + 1.0
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(out, feed_dict={hidden: [[1.0, 1.0]]}), [[2.0, 2.0]])


def test_uninitialized_variable_raises_failed_precondition():
    v = tf.Variable(1.0, name="weights")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value weights"):
            sess.run(v)


def test_assign_ops_update_state_across_runs():
    counter = tf.Variable(0, name="counter")
    step = tf.assign(counter, counter + 1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert [sess.run(step) for _ in range(3)] == [1, 2, 3]
        assert sess.run(counter) == 3


def test_variables_get_unique_names_and_collections():
    a = tf.Variable(1.0)
    b = tf.Variable(2.0)
    c = tf.Variable(3.0, trainable=False)
    assert (a.name, b.name, c.name) == ("Variable:0", "Variable_1:0", "Variable_2:0")
    assert tf.global_variables() == [a, b, c] or len(tf.global_variables()) == 3
    assert [v.name for v in tf.trainable_variables()] == ["Variable:0", "Variable_1:0"]


def test_gradients_of_linear_regression_cost():
    X = tf.placeholder(tf.float32, shape=(None, 2))
    y = tf.placeholder(tf.float32, shape=(None, 1))
    theta = tf.Variable([[1.0], [2.0]], name="theta")
    error = tf.matmul(X, theta) - y
    mse = tf.reduce_sum(error * error)
    (grad,) = tf.gradients(mse, [theta])
    xv = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    yv = np.array([[1.0], [2.0]], np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(grad, feed_dict={X: xv, y: yv})
    expected = 2 * xv.T @ (xv @ np.array([[1.0], [2.0]], np.float32) - yv)
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_hessians_of_a_cubic():
    x = tf.placeholder(tf.float32, [2])
    y = tf.reduce_sum(x * x * x) + x[0] * x[1]
    (h,) = tf.hessians(y, [x])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(h, {x: [1.0, 2.0]}), [[6.0, 1.0], [1.0, 12.0]])


def test_op_names_follow_name_arguments_and_scopes():
    X = tf.placeholder(tf.float32, shape=(None, 2), name="X")
    theta = tf.Variable([[1.0], [2.0]], name="theta")
    y_pred = tf.matmul(X, theta, name="predictions")
    with tf.name_scope("loss"):
        error = y_pred - 1.0
        mse = tf.reduce_mean(tf.square(error), name="mse")
    assert (X.name, y_pred.name) == ("X:0", "predictions:0")
    assert mse.op.name == "loss/mse" and error.op.name == "loss/sub"
    assert tf.cast(X, tf.float32, name="unchanged") is X


def test_each_session_holds_its_own_variable_values():
    v = tf.Variable(1.0)
    bump = tf.assign_add(v, 1.0)
    first, second = tf.Session(), tf.Session()
    first.run(v.initializer)
    second.run(v.initializer)
    first.run(bump)
    first.run(bump)
    assert (first.run(v), second.run(v)) == (3.0, 1.0)
    third = tf.Session()
    with pytest.raises(tf.errors.FailedPreconditionError):
        third.run(v)


def test_tf1_print_passes_its_input_through_and_prints_when_run(capfd):
    x = tf.placeholder(tf.float32, [3])
    y = tf.Print(x * 2, [x], message="x is ")
    assert capfd.readouterr().err == ""
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: [1, 2, 3]}), [2, 4, 6])
    assert capfd.readouterr().err == "x is [1 2 3]\n"
