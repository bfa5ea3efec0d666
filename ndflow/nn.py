"""``ndflow.nn``: TensorFlow's ``tf.nn`` namespace (re-exports from the op modules)."""
from ._core.export import deferred_attributes as _deferred_attributes
from ._core.export import namespace as _namespace

globals().update(_namespace("nn"))
__getattr__, __dir__ = _deferred_attributes(globals())  # names of the op modules loaded on first use
