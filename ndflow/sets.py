"""``ndflow.sets``: TensorFlow's ``tf.sets`` (set operations along the last dimension)."""
from ._core.export import namespace as _namespace

globals().update(_namespace("sets"))
