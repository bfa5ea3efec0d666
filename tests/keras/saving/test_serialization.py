"""serialize_keras_object / deserialize_keras_object, the custom-object registry and safe mode."""
import json
import re

import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from ndflow.keras import layers, saving
from ndflow.keras.saving import object_registration, serialization
from ndflow.keras.saving.serialization import SafeModeScope


@pytest.fixture(autouse=True)
def _clean_registry():
    keras.backend.clear_session()
    before = dict(saving.get_custom_objects())
    names_before = dict(object_registration._GLOBAL_CUSTOM_NAMES)
    yield
    saving.get_custom_objects().clear()
    saving.get_custom_objects().update(before)
    object_registration._GLOBAL_CUSTOM_NAMES.clear()
    object_registration._GLOBAL_CUSTOM_NAMES.update(names_before)
    object_registration._SCOPE.objects = {}


def _roundtrip(obj, **kwargs):
    return saving.deserialize_keras_object(json.loads(json.dumps(saving.serialize_keras_object(obj))), **kwargs)


# -- plain values ---------------------------------------------------------------------------------------------
def test_plain_values_and_containers():
    value = {"a": 1, "b": [1.5, "x", None, True], "c": (1, 2)}
    serialized = saving.serialize_keras_object(value)
    assert serialized == value and isinstance(serialized["c"], tuple)
    assert _roundtrip(value) == {"a": 1, "b": [1.5, "x", None, True], "c": [1, 2]}


def test_special_values():
    array = np.arange(6, dtype="float32").reshape(2, 3)
    entry = saving.serialize_keras_object(array)
    assert entry == {"class_name": "__numpy__", "config": {"value": array.tolist(), "dtype": "float32"}}
    np.testing.assert_array_equal(_roundtrip(array), array)
    assert saving.serialize_keras_object(np.float32(2.5)) == 2.5
    tensor = tf.constant([[1, 2]], dtype=tf.int32)
    restored = _roundtrip(tensor)
    assert restored.dtype == tf.int32
    np.testing.assert_array_equal(restored.numpy(), [[1, 2]])
    assert _roundtrip(slice(1, None, 2)) == slice(1, None, 2)
    assert _roundtrip(Ellipsis) is Ellipsis
    assert _roundtrip(b"bytes") == b"bytes"


def test_plain_dict_without_class_name_is_deserialized_item_by_item():
    config = {"units": 3, "init": {"module": "keras.initializers", "class_name": "Ones", "config": {},
                                   "registered_name": None}}
    restored = saving.deserialize_keras_object(config)
    assert restored["units"] == 3 and isinstance(restored["init"], keras.initializers.Ones)


# -- built-in objects ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda k: k.layers.Dense(3, activation="relu", name="d"),
    lambda k: k.optimizers.Adam(learning_rate=0.5),
    lambda k: k.losses.MeanSquaredError(),
    lambda k: k.metrics.Precision(name="p"),
    lambda k: k.initializers.GlorotUniform(seed=1),
    lambda k: k.regularizers.L2(0.1),
    lambda k: k.constraints.MaxNorm(2.0),
    lambda k: k.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5),
])
def test_builtin_envelope_matches_keras(make):
    real_keras = pytest.importorskip("keras")
    obj = make(keras)
    ours = saving.serialize_keras_object(obj)
    theirs = real_keras.saving.serialize_keras_object(make(real_keras))
    for key in ("module", "class_name", "registered_name"):
        assert ours[key] == theirs[key]
    assert set(ours["config"]) == set(theirs["config"])
    restored = _roundtrip(obj)
    assert type(restored) is type(obj) and restored.get_config() == obj.get_config()
    assert type(saving.deserialize_keras_object(json.loads(json.dumps(theirs)))) is type(obj)


def test_functions_serialize_like_keras():
    real_keras = pytest.importorskip("keras")
    ours = saving.serialize_keras_object(keras.activations.relu)
    assert ours == real_keras.saving.serialize_keras_object(real_keras.activations.relu)
    assert saving.deserialize_keras_object(ours) is keras.activations.relu
    public = {"module": "keras.activations", "class_name": "function", "config": "relu", "registered_name": "relu"}
    assert saving.deserialize_keras_object(public) is keras.activations.relu
    assert saving.deserialize_keras_object("relu") == "relu"


def test_layer_round_trip_builds_from_build_config():
    layer = layers.Dense(2, name="dense_x")
    layer(np.ones((1, 5), "float32"))
    config = saving.serialize_keras_object(layer)
    assert config["build_config"] == {"input_shape": (1, 5)}
    clone = saving.deserialize_keras_object(json.loads(json.dumps(config)))
    assert clone.built and tuple(clone.kernel.shape) == (5, 2) and clone.name == "dense_x"


@pytest.mark.parity
def test_get_build_config_matches_keras():
    real_keras = pytest.importorskip("keras")

    def build_configs(lib):
        dense = lib.layers.Dense(2)
        dense(np.zeros((1, 5), "float32"))
        attention = lib.layers.MultiHeadAttention(2, 3)
        attention(np.zeros((1, 4, 6), "float32"), np.zeros((1, 5, 6), "float32"))
        sequential = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1)])
        inputs = lib.Input((3,))
        functional = lib.Model(inputs, lib.layers.Dense(1)(inputs))
        return [obj.get_build_config() for obj in (dense, attention, sequential, functional, lib.layers.Dense(1))]

    assert build_configs(keras) == build_configs(real_keras)


def test_keras_written_layer_config_deserializes():
    real_keras = pytest.importorskip("keras")
    theirs = real_keras.layers.Conv2D(4, 3, padding="same", name="c")
    theirs.build((None, 8, 8, 2))
    config = json.loads(json.dumps(real_keras.saving.serialize_keras_object(theirs)))
    ours = saving.deserialize_keras_object(config)
    assert isinstance(ours, layers.Conv2D) and ours.built
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]


def test_non_modeling_api_is_refused():
    config = {"module": "keras.saving", "class_name": "load_model", "config": {}, "registered_name": None}
    with pytest.raises(ValueError, match="Cannot deserialize `keras.saving.load_model` because it is not a "
                                         "modeling function"):
        saving.deserialize_keras_object(config)


# -- custom objects ------------------------------------------------------------------------------------------
class Scale(layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_unknown_class_raises_keras_type_error():
    config = saving.serialize_keras_object(Scale(3.0))
    assert config["registered_name"] == "Scale" and config["module"] == __name__
    with pytest.raises(TypeError, match=re.escape("Could not locate class 'Scale'. Make sure custom classes and "
                                                  "functions are decorated with "
                                                  "`@keras.saving.register_keras_serializable()`")):
        saving.deserialize_keras_object(config)


def test_custom_objects_argument_and_scope():
    config = json.loads(json.dumps(saving.serialize_keras_object(Scale(3.0))))
    assert saving.deserialize_keras_object(config, custom_objects={"Scale": Scale}).factor == 3.0
    with saving.custom_object_scope({"Scale": Scale}):
        assert saving.deserialize_keras_object(config).factor == 3.0
        assert saving.get_registered_object("Scale") is Scale
        assert "Scale" not in saving.get_custom_objects()
    with pytest.raises(TypeError):
        saving.deserialize_keras_object(config)


def test_register_keras_serializable_names_and_lookup():
    registered = saving.register_keras_serializable(package="MyPkg")(Scale)
    assert registered is Scale
    assert saving.get_registered_name(Scale) == "MyPkg>Scale"
    assert saving.get_custom_objects()["MyPkg>Scale"] is Scale
    assert saving.get_registered_object("MyPkg>Scale") is Scale
    config = json.loads(json.dumps(saving.serialize_keras_object(Scale(4.0))))
    assert config["registered_name"] == "MyPkg>Scale"
    assert saving.deserialize_keras_object(config).factor == 4.0

    @saving.register_keras_serializable(name="double")
    def double(x):
        return 2 * x

    assert saving.get_registered_name(double) == "Custom>double"
    assert _roundtrip(double) is double
    assert saving.get_registered_name(len) == "len"


def test_register_rejects_classes_without_get_config():
    class NoConfig:
        pass

    with pytest.raises(ValueError, match="Cannot register a class that does not have a get_config\\(\\) method."):
        saving.register_keras_serializable()(NoConfig)


def test_scope_entries_reach_component_lookups():
    def my_init(shape, dtype=None):
        return tf.ones(shape, dtype=dtype)

    with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
        keras.initializers.get("my_init")
    with saving.custom_object_scope({"my_init": my_init}):
        assert keras.initializers.get("my_init") is my_init
        layer = layers.Dense(2, kernel_initializer="my_init")
    layer.build((None, 3))
    np.testing.assert_array_equal(layer.kernel.numpy(), np.ones((3, 2)))


def test_utils_namespace_exposes_the_registry():
    assert keras.utils.register_keras_serializable is saving.register_keras_serializable
    assert keras.utils.custom_object_scope is saving.custom_object_scope
    assert keras.utils.get_custom_objects() is saving.get_custom_objects()


# -- lambdas and safe mode -----------------------------------------------------------------------------------
def test_lambda_needs_unsafe_mode():
    config = json.loads(json.dumps(saving.serialize_keras_object(lambda x: x + 1)))
    assert config["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match="Requested the deserialization of a Python lambda"):
        saving.deserialize_keras_object(config)
    assert saving.deserialize_keras_object(config, safe_mode=False)(2) == 3
    with SafeModeScope(True), pytest.raises(ValueError):
        saving.deserialize_keras_object(config, safe_mode=False)  # an enclosing scope wins, as in Keras


def test_enable_unsafe_deserialization_is_keras_config():
    assert keras.config.enable_unsafe_deserialization is saving.enable_unsafe_deserialization
    config = saving.serialize_keras_object(lambda x: x * 3)
    previous = saving.in_safe_mode()
    try:
        keras.config.enable_unsafe_deserialization()
        assert saving.in_safe_mode() is False
        assert saving.deserialize_keras_object(config)(2) == 6
    finally:
        serialization._STATE.safe_mode = previous


def test_keras_config_settings():
    assert keras.config.floatx() == "float32" and keras.config.epsilon() == 1e-7
    assert keras.config.image_data_format() == "channels_last" and keras.config.backend() == "tensorflow"
    keras.config.disable_traceback_filtering()
    assert keras.config.is_traceback_filtering_enabled() is False
    keras.config.enable_traceback_filtering()
    assert keras.config.is_traceback_filtering_enabled() is True


def test_keras_internal_module_names_resolve_by_section():
    def entry(module, name):
        return {"module": module, "class_name": name, "config": {}, "registered_name": None}

    assert isinstance(saving.deserialize_keras_object(entry("keras.src.metrics.regression_metrics",
                                                            "MeanSquaredError")), keras.metrics.MeanSquaredError)
    assert isinstance(saving.deserialize_keras_object(entry("keras.src.losses.losses", "MeanSquaredError")),
                      keras.losses.MeanSquaredError)


def test_keras_builtins_missing_here_are_not_supported_yet():
    config = {"module": "keras.layers", "class_name": "MelSpectrogram", "config": {}, "registered_name": None}
    with pytest.raises(NotImplementedError, match="`keras.layers.MelSpectrogram` is not supported yet"):
        saving.deserialize_keras_object(config)


def test_tf_keras_2_configs_without_module_resolve_layers_and_models():
    config = {"class_name": "Sequential", "config": {"name": "old", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 3], "name": "in"}},
        {"class_name": "Dense", "config": {"units": 2, "name": "d"}}]}}
    model = saving.deserialize_keras_object(config)
    assert isinstance(model, keras.Sequential) and model.layers[0].units == 2
    assert model.output_shape == (None, 2)


def test_module_objects_lookup():
    table = {"Ones": keras.initializers.Ones, "relu": keras.activations.relu}
    assert isinstance(saving.deserialize_keras_object("Ones", module_objects=table), keras.initializers.Ones)
    assert saving.deserialize_keras_object({"class_name": "function", "module": "builtins", "config": "relu",
                                            "registered_name": "function"}, module_objects=table) is \
        keras.activations.relu
    assert saving.deserialize_keras_object("unknown", module_objects=table) == "unknown"
    assert saving.deserialize_keras_object("Scale", module_objects=table, custom_objects={"Scale": Scale}) is Scale
    with pytest.raises(TypeError, match="Cannot deserialize object of type `Mine`"):
        saving.deserialize_keras_object({"class_name": "Mine", "module": None, "config": {}}, module_objects=table)
