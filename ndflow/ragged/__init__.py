"""``ndflow.ragged``: TensorFlow's ``tf.ragged`` namespace (ragged tensor constructors and helpers)."""
from .._core import ragged_ops as _ragged_ops  # noqa: F401 - registers the ragged.* exports
from .._core.export import namespace as _namespace
from .._core.ragged_tensor import RaggedTensor as _RaggedTensor

globals().update(_namespace("ragged"))


def is_ragged(x) -> bool:
    """True for ``RaggedTensor`` values."""
    return isinstance(x, _RaggedTensor)
