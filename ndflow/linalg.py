"""``ndflow.linalg``: TensorFlow's ``tf.linalg`` namespace (re-exports from the op modules)."""
from ._core.export import namespace as _namespace

globals().update(_namespace("linalg"))
