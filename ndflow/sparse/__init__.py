"""``ndflow.sparse``: TensorFlow's ``tf.sparse`` namespace (``SparseTensor`` and the ops on it)."""
from .._core.export import namespace as _namespace

globals().update(_namespace("sparse"))
