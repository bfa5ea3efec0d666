"""``ndflow.random``: TensorFlow's ``tf.random`` namespace (re-exports from the op modules)."""
from ._core.export import namespace as _namespace

globals().update(_namespace("random"))
