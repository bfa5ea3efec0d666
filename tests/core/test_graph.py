import numpy as np
import pytest

import ndflow as tf
from ndflow._core.executor import Plan


def test_ops_get_tf_names_and_static_shapes():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant([1.0, 2.0])
        b = a + a
        c = a + b
        with tf.name_scope("scope"):
            d = c * 2.0
    assert a.name == "Const:0" and b.name == "add:0" and c.name == "add_1:0"
    assert d.name == "scope/mul:0"
    assert d.shape == (2,) and d.dtype == tf.float32
    assert g.get_tensor_by_name("add_1:0") is c
    assert g.get_operation_by_name("scope/mul") is d.op
    assert [op.type for op in g.get_operations()][:3] == ["Const", "AddV2", "AddV2"]
    with pytest.raises(KeyError):
        g.get_tensor_by_name("nothing:0")


def test_partial_shapes_are_inferred_from_probes():
    from ndflow._core.graph import placeholder

    g = tf.Graph()
    with g.as_default():
        x = placeholder(tf.float32, [None, 3])
        w = tf.constant(np.ones((3, 4), np.float32))
        y = tf.matmul(x, w)
        z = tf.reshape(y, [-1])
    assert y.shape.as_list() == [None, 4]
    assert z.shape.as_list() == [None]


def test_plan_runs_only_needed_ops_and_frees_dead_values():
    from ndflow._core.graph import placeholder

    g = tf.Graph()
    with g.as_default():
        a = placeholder(tf.float32, [])
        b = a * 3.0
        unused = a * 100.0
        c = b + 1.0
    plan = Plan(g, [c], [], [a])
    assert unused.op not in plan.ops
    assert [float(v) for v in plan.run([np.float32(2.0)])] == [7.0]
    freed = {key for step in plan.free_after for key in step}
    assert (b.op._id, 0) in freed and (c.op._id, 0) not in freed


def test_constant_folding_computes_constant_subgraphs_once():
    from ndflow._core.graph import placeholder

    g = tf.Graph()
    with g.as_default():
        x = placeholder(tf.float32, [2])
        k = tf.constant([1.0, 2.0]) * 2.0 + 1.0
        y = x * k
    plan = Plan(g, [y], [], [x])
    assert [op.type for op in plan.ops] == ["Mul"]
    np.testing.assert_array_equal(plan.run([np.array([1.0, 1.0], np.float32)])[0], [3.0, 5.0])
    unoptimized = Plan(g, [y], [], [x], optimize=False)
    assert len(unoptimized.ops) > 1


def test_common_subexpressions_run_once_but_stateful_ops_do_not_merge():
    from ndflow._core.graph import placeholder

    g = tf.Graph()
    with g.as_default():
        x = placeholder(tf.float32, [3])
        a = tf.exp(x)
        b = tf.exp(x)
        total = a + b
        r1 = tf.random.uniform([3], seed=1)
        r2 = tf.random.uniform([3], seed=1)
    plan = Plan(g, [total], [], [x])
    assert [op.type for op in plan.ops].count("Exp") == 1
    np.testing.assert_allclose(plan.run([np.zeros(3, np.float32)])[0], [2.0, 2.0, 2.0])
    random_plan = Plan(g, [r1, r2], [], [])
    assert sum(op.opdef.stateful for op in random_plan.ops) == 2


def test_symbolic_tensors_refuse_python_bool():
    g = tf.Graph()
    with g.as_default():
        t = tf.constant(1.0)
    with pytest.raises(TypeError):
        bool(t)


def test_graph_def_lists_nodes_and_inputs():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0)
        b = a + a
    nodes = g.as_graph_def()["node"]
    assert [n["name"] for n in nodes] == ["Const", "add"]
    assert nodes[1]["input"] == ["Const", "Const"] and nodes[1]["op"] == "AddV2"
    del b


def test_shapes_computed_in_the_graph():
    @tf.function(input_signature=[tf.TensorSpec([None, 3])])
    def f(x):
        a = tf.reshape(x, [1, 2, 1, 3])
        b = tf.reshape(x, [-1])
        c = tf.fill(tf.shape(x)[:1], 2.0)
        assert a.shape == (1, 2, 1, 3) and b.shape.as_list() == [None] and c.shape.as_list() == [None]
        return tf.reduce_sum(a) + tf.reduce_sum(c)

    assert float(f(tf.ones([2, 3]))) == 10.0


def test_graph_def_round_trips_through_json_and_import():
    import json

    import ndflow.compat.v1 as v1

    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        w = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
        y = tf.nn.relu(tf.matmul(x, w) - 4.0, name="out")
        flipped = y[:, ::-1]
        tf.constant(["ab", "c"], name="words")
    graph_def = json.loads(json.dumps(g.as_graph_def()))
    g2 = tf.Graph()
    with g2.as_default():
        inp = tf.constant([[1.0, 2.0, 3.0]])
        out, rev, text = tf.import_graph_def(graph_def, input_map={"x": inp},
                                             return_elements=["out:0", flipped.name, "words:0"])
        assert out.name == "import/out:0" and out.shape == (1, 2)
        with v1.Session() as sess:
            got_out, got_rev, got_text = sess.run([out, rev, text])
    np.testing.assert_array_equal(got_out, [[12.0, 18.0]])
    np.testing.assert_array_equal(got_rev, [[18.0, 12.0]])
    assert list(got_text) == [b"ab", b"c"]


def test_graph_def_with_python_objects_cannot_be_imported():
    import ndflow.compat.v1 as v1

    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.bool, [])
        tf.cond(p, lambda: tf.constant(1.0), lambda: tf.constant(2.0))
    with tf.Graph().as_default(), pytest.raises(NotImplementedError, match="not supported yet"):
        tf.import_graph_def(g.as_graph_def())


def test_reshape_to_shapes_computed_in_the_graph_and_graph_gradients():
    @tf.function(input_signature=[tf.TensorSpec([None, 6])])
    def f(x):
        doubled_rows = tf.reshape(x, [tf.shape(x)[0] * 2, -1])
        transposed_shape = tf.reshape(x, tf.shape(tf.transpose(x)))
        with tf.GradientTape() as tape:
            tape.watch(x)
            total = tf.reduce_sum(tf.tile(tf.reshape(x, [-1, tf.shape(x)[0]]), [2, 1]) * 2.0)
        return doubled_rows, transposed_shape, tape.gradient(total, x)

    a, b, grad = f(tf.ones([2, 6]))
    assert a.shape == (4, 3) and b.shape == (6, 2)
    np.testing.assert_array_equal(grad.numpy(), np.full((2, 6), 4.0))
