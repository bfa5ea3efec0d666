"""Every Keras test starts with fresh automatic layer names (``dense``, ``dense_1`` …) on both sides.

Tests compare names, configs and summaries with real Keras, whose names come from process-wide counters.
Only the name counters are reset on the real-Keras side: its full ``clear_session`` costs ~0.1 s.
"""
import sys

import pytest

from ndflow.keras.layers.layer import reset_uids


@pytest.fixture(autouse=True)
def _fresh_layer_names():
    reset_uids()
    if "keras" in sys.modules:
        from keras.src.backend.common import global_state

        global_state.set_global_attribute("object_name_uids", None)
