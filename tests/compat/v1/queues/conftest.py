"""Graph mode around each queue test (TF1 programs), eager mode restored after."""
import pytest

import ndflow.compat.v1 as tf


@pytest.fixture(autouse=True)
def graph_mode():
    tf.disable_eager_execution()
    tf.reset_default_graph()
    yield
    tf.enable_eager_execution()
