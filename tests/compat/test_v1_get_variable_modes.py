"""``get_variable`` outside plain graphs: TF2 eager (no sharing without a store) and inside loop bodies."""
import pytest

import ndflow as tf

v1 = tf.compat.v1


def test_eager_get_variable_makes_a_new_variable_each_call_like_tf2():
    first, second = v1.get_variable("x", [2]), v1.get_variable("x", [2])
    assert first is not second and first.name == second.name == "x:0"
    with v1.variable_scope("s", reuse=True):
        assert v1.get_variable("x", [2]).name == "s/x:0"


def test_eager_variable_store_shares_variables_inside_it():
    store = v1.EagerVariableStore()
    with store.as_default():
        first = v1.get_variable("w", [3])
        with v1.variable_scope("", reuse=True):
            assert v1.get_variable("w", [3]) is first
    assert store.variables() == [first]


@pytest.mark.parity
def test_eager_get_variable_matches_tensorflow():
    real_tf = pytest.importorskip("tensorflow")
    theirs = real_tf.compat.v1.get_variable("x", [2]) is real_tf.compat.v1.get_variable("x", [2])
    assert (v1.get_variable("x", [2]) is v1.get_variable("x", [2])) == theirs


def test_get_variable_inside_a_while_body_lives_in_the_outer_graph():
    with v1.Graph().as_default():
        with v1.variable_scope("outer"):
            def body(i):
                return i + v1.get_variable("v", [], initializer=v1.ones_initializer())

            result = v1.while_loop(lambda i: i < 3.0, body, [v1.constant(0.0)])
        assert [v.name for v in v1.global_variables()] == ["outer/v:0"]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            assert sess.run(result) == [3.0]
