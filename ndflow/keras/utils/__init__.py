"""``keras.utils``: helpers shared across Keras (``to_categorical``, ``set_random_seed``, ``Progbar`` …).

Names load lazily from the module that defines them, so this package imports nothing heavy up front.
"""
import importlib as _importlib

_NAMES = {
    "to_categorical": "ndflow.keras.utils.numerical_utils",
    "normalize": "ndflow.keras.utils.numerical_utils",
    "set_random_seed": "ndflow.keras.utils.rng_utils",
    "Progbar": "ndflow.keras.utils.progbar",
    "get_file": "ndflow.keras.utils.file_utils",
    "plot_model": "ndflow.keras.utils.model_visualization",
    "model_to_dot": "ndflow.keras.utils.model_visualization",
    "pad_sequences": "ndflow.keras.utils.sequence_utils",
    "load_img": "ndflow.keras.utils.image_utils", "img_to_array": "ndflow.keras.utils.image_utils",
    "array_to_img": "ndflow.keras.utils.image_utils", "save_img": "ndflow.keras.utils.image_utils",
    "image_dataset_from_directory": "ndflow.keras.utils.image_dataset_utils",
    "text_dataset_from_directory": "ndflow.keras.utils.text_dataset_utils",
    "timeseries_dataset_from_array": "ndflow.keras.utils.timeseries_dataset_utils",
    "register_keras_serializable": "ndflow.keras.saving",
    "get_custom_objects": "ndflow.keras.saving",
    "custom_object_scope": "ndflow.keras.saving",
    "CustomObjectScope": "ndflow.keras.saving",
    "get_registered_name": "ndflow.keras.saving",
    "get_registered_object": "ndflow.keras.saving",
    "serialize_keras_object": "ndflow.keras.saving",
    "deserialize_keras_object": "ndflow.keras.saving",
    "Sequence": "ndflow.keras.trainers.data_adapters",
    "PyDataset": "ndflow.keras.trainers.data_adapters",
    "pack_x_y_sample_weight": "ndflow.keras.trainers.data_adapters",
    "unpack_x_y_sample_weight": "ndflow.keras.trainers.data_adapters",
}


def __getattr__(name: str):
    module_name = _NAMES.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        module = _importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is None or not module_name.startswith(error.name):
            raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r} ({module_name} is not available)") \
            from None
    try:
        return getattr(module, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r} ({module_name} does not define it)") \
            from None


def __dir__():
    return sorted([*globals(), *_NAMES])
