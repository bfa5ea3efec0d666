"""``keras.saving``: ``.keras`` archives, ``.weights.h5`` files and object (de)serialization, in Keras 3's formats."""
from .object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from .saving_api import load_model, load_weights, save_model, save_weights
from .serialization import deserialize_keras_object, enable_unsafe_deserialization, in_safe_mode, serialize_keras_object

__all__ = ["save_model", "load_model", "save_weights", "load_weights", "serialize_keras_object",
           "deserialize_keras_object", "register_keras_serializable", "get_custom_objects", "custom_object_scope",
           "CustomObjectScope", "get_registered_name", "get_registered_object", "in_safe_mode",
           "enable_unsafe_deserialization"]
