"""``ndflow.math``: TensorFlow's ``tf.math`` namespace (re-exports from the op modules)."""
import types as _types

from ._core.export import namespace as _namespace

globals().update(_namespace("math"))
special = _types.ModuleType("ndflow.math.special", "``tf.math.special``: special functions.")
special.__dict__.update(_namespace("math.special"))
