"""Graph mode around each queue test (TF1 programs), eager mode restored after."""
import pytest


@pytest.fixture(autouse=True)
def _every_queue_test_in_graph_mode(graph_mode):
    yield
