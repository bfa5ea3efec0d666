"""``tf.compat.v1.random``: TF2's ``tf.random`` plus TF1's seed functions (``set_random_seed``, ``get_seed``)."""
from ..._core.export import namespace as _namespace
from ..._core.ops.random_ops import get_seed
from ..._core.ops.random_ops import set_seed as set_random_seed

_TF2_NAMES = _namespace("random")
globals().update(_TF2_NAMES)

__all__ = ["get_seed", "set_random_seed", *_TF2_NAMES]
