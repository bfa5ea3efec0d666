"""``ndflow.linalg``: TensorFlow's ``tf.linalg`` namespace (re-exports from the op modules)."""
from ._core.export import deferred_attributes as _deferred_attributes
from ._core.export import namespace as _namespace

globals().update(_namespace("linalg"))
__getattr__, __dir__ = _deferred_attributes(globals())  # names of the op modules loaded on first use
