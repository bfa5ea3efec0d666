"""``ndflow.ragged``: TensorFlow's ``tf.ragged`` namespace (ragged tensor constructors and helpers)."""
from .._core import ragged_ops as _ragged_ops  # noqa: F401 - registers the ragged.* exports
from .._core.export import namespace as _namespace
from .._core.ragged_tensor import is_ragged  # noqa: F401 - ndflow's own helper (TF keeps it private)

globals().update(_namespace("ragged"))
