"""``ndflow.nn``: TensorFlow's ``tf.nn`` namespace (re-exports from the op modules)."""
from ._core.export import namespace as _namespace

globals().update(_namespace("nn"))
