"""TF1's ``collections=`` argument of ``compat.v1.Variable`` and ``get_variable``, against real TensorFlow."""
import pytest

import ndflow as nd

pytestmark = pytest.mark.parity


def _collections(tf):
    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        v1.Variable(1.0, name="plain")
        v1.Variable(1.0, name="local", collections=[v1.GraphKeys.LOCAL_VARIABLES])
        v1.Variable(1.0, trainable=False, collections=["custom"], name="custom")
        v1.get_variable("got_local", [1], collections=[v1.GraphKeys.LOCAL_VARIABLES])
        v1.get_variable("got_custom", [1], collections=["custom", "variables"], trainable=False)
    keys = ("variables", "trainable_variables", "local_variables", "custom")
    return {k: [v.name for v in graph.get_collection(k)] for k in keys}


def test_collections_match_tensorflow():
    real = pytest.importorskip("tensorflow")
    assert _collections(nd) == _collections(real)


def test_v1_variable_is_a_variable_and_eager_ignores_collections():
    v = nd.compat.v1.Variable(2.0, collections=["custom"])
    assert isinstance(v, nd.Variable) and float(v.numpy()) == 2.0
