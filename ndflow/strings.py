"""``ndflow.strings``: TensorFlow's ``tf.strings`` namespace (string and Unicode ops)."""
from ._core.export import namespace as _namespace
from ._core.ops import string_ops as _string_ops  # noqa: F401 - registers the strings.* exports
from ._core.ops import unicode_ops as _unicode_ops  # noqa: F401

globals().update(_namespace("strings"))
