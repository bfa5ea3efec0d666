"""``ndflow.image``: TensorFlow's ``tf.image`` namespace (re-exports from the image op modules)."""
from ._core.export import namespace as _namespace
from ._core.ops import image_boxes as _boxes  # noqa: F401 - importing registers the ops
from ._core.ops import image_color as _color  # noqa: F401
from ._core.ops import image_ops as _ops  # noqa: F401
from ._core.ops import image_resize as _resize  # noqa: F401

globals().update(_namespace("image"))
