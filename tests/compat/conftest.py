"""``graph_mode``: a TF1 test in graph mode on a fresh default graph, eager mode restored after."""
import pytest

import ndflow.compat.v1 as tf


@pytest.fixture
def graph_mode():
    tf.disable_eager_execution()
    tf.reset_default_graph()
    yield
    tf.enable_eager_execution()
