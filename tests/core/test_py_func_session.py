"""``py_function`` / ``numpy_function`` run by a TF1 ``Session``: the Python body runs eagerly, as in TF."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import ndflow as tf


def _session_program(m):
    """Builds a TF1 graph calling both script ops and runs it; returns what the bodies saw and the results."""
    v1 = m.compat.v1
    seen = []

    def numpy_body(a, word):
        seen.append(["numpy", m.executing_eagerly(), type(a).__name__, type(word).__name__])
        return (m.constant(a) * 2).numpy(), m.strings.upper(word).numpy()

    def py_body(a):
        seen.append(["py", m.executing_eagerly(), type(a).__name__])
        return m.constant(a.numpy()) * a + m.reduce_sum(a)

    graph = m.Graph()
    with graph.as_default():
        x = v1.placeholder(m.float32, [3])
        word = v1.placeholder(m.string, [])
        doubled, upper = m.numpy_function(numpy_body, [x, word], [m.float32, m.string])
        squared = m.py_function(py_body, [x], m.float32)
        grad = v1.gradients(m.py_function(lambda a: m.sin(a) * a, [x], m.float32), x)[0]
        with v1.Session(graph=graph) as session:
            results = session.run([doubled, upper, squared, grad], {x: [1.0, -2.0, 0.5], word: b"ab"})
    return seen, results


def test_script_op_bodies_run_eagerly_under_session_run():
    seen, (doubled, upper, squared, grad) = _session_program(tf)
    a = np.array([1.0, -2.0, 0.5], np.float32)
    assert seen == [["numpy", True, "ndarray", "bytes"], ["py", True, "EagerTensor"]]
    np.testing.assert_array_equal(doubled, a * 2)
    assert upper == b"AB"
    np.testing.assert_allclose(squared, a * a + a.sum(), rtol=1e-6)
    np.testing.assert_allclose(grad, np.cos(a) * a + np.sin(a), rtol=1e-5)


@pytest.mark.parity
def test_script_ops_under_session_run_match_tensorflow():
    real_tf = pytest.importorskip("tensorflow")
    mine_seen, mine = _session_program(tf)
    ref_seen, ref = _session_program(real_tf)
    assert sorted(mine_seen) == sorted(ref_seen)  # TF's executor may run the two independent ops in any order
    assert mine[1] == ref[1]
    for i in (0, 2, 3):  # doubled, squared, gradient
        assert mine[i].dtype == ref[i].dtype
        np.testing.assert_allclose(mine[i], ref[i], rtol=1e-5)


_DISABLED_EAGER_PROGRAM = textwrap.dedent("""
    import importlib, json, sys
    m = importlib.import_module(sys.argv[1])
    v1 = m.compat.v1
    v1.disable_eager_execution()
    seen = []

    def numpy_body(a):
        seen.append(["numpy", m.executing_eagerly(), type(a).__name__])
        return a * 2

    def py_body(a):
        seen.append(["py", m.executing_eagerly(), type(a).__name__])
        return m.constant(a.numpy()) + a

    x = v1.placeholder(m.float32, [2])
    outs = [m.numpy_function(numpy_body, [x], m.float32), m.py_function(py_body, [x], m.float32)]
    with v1.Session() as session:
        values = session.run(outs, {x: [1.0, 2.0]})
    print(json.dumps({"seen": seen, "values": [v.tolist() for v in values]}))
""")


def _run_disabled_eager(module):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", _DISABLED_EAGER_PROGRAM, module], capture_output=True, text=True,
                          env=env, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_under_disable_eager_execution_only_py_function_bodies_run_eagerly():
    out = _run_disabled_eager("ndflow")
    assert out["values"] == [[2.0, 4.0], [2.0, 4.0]]
    assert {tuple(s) for s in out["seen"]} == {("numpy", False, "ndarray"), ("py", True, "EagerTensor")}


@pytest.mark.parity
def test_under_disable_eager_execution_matches_tensorflow():
    pytest.importorskip("tensorflow")
    mine, ref = _run_disabled_eager("ndflow"), _run_disabled_eager("tensorflow")
    assert mine["values"] == ref["values"]
    assert sorted(mine["seen"]) == sorted(ref["seen"])
