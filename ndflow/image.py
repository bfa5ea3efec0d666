"""``ndflow.image``: TensorFlow's ``tf.image`` namespace (re-exports from the image op modules)."""
from ._core.export import namespace as _namespace
from ._core.ops import image_boxes, image_color, image_ops, image_resize  # noqa: F401 - registers the ops

globals().update(_namespace("image"))
