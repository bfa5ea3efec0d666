"""``compat.v1.contrib``: the few ``tf.contrib`` helpers TF1 programs in the spec use."""
from . import layers

__all__ = ["layers"]
