"""``ndflow.bitwise``: TensorFlow's ``tf.bitwise`` namespace."""
from ._core.export import namespace as _namespace

globals().update(_namespace("bitwise"))
