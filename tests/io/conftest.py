"""Fixtures for the io tests: the real TensorFlow, for parity tests."""
import os

import pytest


@pytest.fixture(scope="session")
def real_tf():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("tensorflow")
