"""``ndflow.errors``: TensorFlow's error classes and codes."""
from ._core.errors import *  # noqa: F401,F403
from ._core.errors import OperatorNotAllowedInGraphError, OpError  # noqa: F401
