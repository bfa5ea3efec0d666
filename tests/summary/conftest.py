"""Each test starts without a default summary writer, step or recording condition."""
import pytest


@pytest.fixture(autouse=True)
def _fresh_summary_state():
    from ndflow.summary import trace_off
    from ndflow.summary.writer import _state

    yield
    _state.writer = _state.step = None
    _state.recording = True
    trace_off()
