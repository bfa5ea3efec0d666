"""``ndflow.dtypes``: TensorFlow's ``tf.dtypes`` namespace."""
from ._core.dtypes import *  # noqa: F401,F403
from ._core.dtypes import DType, as_dtype  # noqa: F401
from ._core.export import namespace as _namespace

globals().update(_namespace("dtypes"))
