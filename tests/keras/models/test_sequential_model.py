"""Sequential: add/pop, deferred and explicit builds, the functional graph it becomes, configs and errors."""
import json

import numpy as np
import pytest

from ndflow import keras
from ndflow.keras import layers
from ndflow.keras.models import Functional

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def test_input_first_builds_immediately():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu"), layers.Dense(2)])
    assert model.built and isinstance(model._functional, Functional)
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]
    assert model.input_shape == (None, 4) and model.output_shape == (None, 2)
    assert len(model.weights) == 4 and model.count_params() == 4 * 3 + 3 + 3 * 2 + 2
    assert [w.path for w in model.weights][:2] == ["sequential/dense/kernel", "sequential/dense/bias"]
    data = _rand(5, 4)
    k1, b1, k2, b2 = model.get_weights()
    np.testing.assert_allclose(model(data).numpy(), np.maximum(data @ k1 + b1, 0) @ k2 + b2, **TOL)


def test_deferred_build_on_first_call_keeps_the_batch_size():
    model = keras.Sequential([layers.Dense(3), layers.Dense(1)])
    assert not model.built and model.weights == []
    with pytest.raises(AttributeError, match="Sequential model 'sequential' has no defined input shape yet."):
        _ = model.input_shape
    with pytest.raises(ValueError, match="isn't built"):
        model.count_params()
    model(_rand(2, 5))
    assert model.built and model.input_shape == (2, 5) and len(model.weights) == 4


def test_explicit_build_and_input_shape_argument():
    model = keras.Sequential([layers.Dense(3)])
    model.build((None, 7))
    assert model.output_shape == (None, 3) and model.weights[0].shape == (7, 3)
    legacy = keras.Sequential([layers.Dense(2, input_shape=(6,)), layers.Dense(1)])
    assert legacy.built and legacy.input_shape == (None, 6)
    assert [layer.name for layer in legacy.layers] == ["dense_1", "dense_2"]
    with pytest.raises(ValueError, match="has already been configured to use input shape \\(None, 6\\)"):
        legacy.build((None, 5))


def test_add_and_pop():
    model = keras.Sequential()
    model.add(keras.Input((3,)))
    model.add(layers.Dense(4))
    assert model.built and model.output_shape == (None, 4)
    model.add(layers.Dense(2))
    assert model.output_shape == (None, 2)
    popped = model.pop()
    assert popped.name == "dense_1" and model.output_shape == (None, 4) and len(model.layers) == 1


def test_add_errors():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="d")])
    with pytest.raises(ValueError, match="Only instances of `keras.Layer` can be added to a Sequential model."):
        model.add(3)
    with pytest.raises(ValueError, match="should have unique names. Name 'd' is already the name of a layer"):
        model.add(layers.Dense(2, name="d"))
    with pytest.raises(ValueError, match="You cannot add a different Input layer to it."):
        model.add(keras.Input((3,)))
    with pytest.raises(AttributeError, match="`Sequential.layers` attribute is reserved"):
        model.layers = []
    with pytest.raises(ValueError, match="cannot be built because it has no layers"):
        keras.Sequential().build((None, 3))


def test_multi_input_layer_is_refused_when_building():
    class TwoInputs(layers.Layer):
        def call(self, a, b):
            return a + b

    with pytest.raises(ValueError, match="can only have a single required positional argument"):
        keras.Sequential([keras.Input((2,)), TwoInputs()])


def test_training_and_masks_flow_through():
    model = keras.Sequential([keras.Input((3, 2)), layers.Masking(0.0), layers.GlobalAveragePooling1D(),
                              layers.Dropout(0.5)])
    data = np.array([[[2, 4], [0, 0], [4, 6]]], "float32")
    np.testing.assert_allclose(model(data).numpy(), [[3.0, 5.0]], **TOL)
    assert set(np.unique(model(data, training=True).numpy())) <= {0.0, 6.0, 10.0}


def test_sequential_as_a_layer_of_a_functional_model():
    inner = keras.Sequential([layers.Dense(3), layers.Dense(2)], name="inner")
    x = keras.Input((4,))
    outer = keras.Model(x, inner(x))
    assert inner.built and inner.input_shape == (None, 4)
    assert [w.path for w in outer.weights][0] == "inner/dense/kernel"
    data = _rand(2, 4)
    np.testing.assert_allclose(outer(data).numpy(), inner(data).numpy(), **TOL)


def test_config_round_trip():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu"), layers.Dense(1)], name="m")
    config = model.get_config()
    assert config["name"] == "m" and config["build_input_shape"] == (None, 4)
    assert [entry["class_name"] for entry in config["layers"]] == ["InputLayer", "Dense", "Dense"]
    assert config["layers"][1]["module"] == "keras.layers"
    assert config["layers"][1]["build_config"] == {"input_shape": (None, 4)}
    clone = keras.Sequential.from_config(json.loads(json.dumps(config)))
    assert clone.name == "m" and clone.built and clone.input_shape == (None, 4)
    clone.set_weights(model.get_weights())
    data = _rand(3, 4)
    np.testing.assert_allclose(clone(data).numpy(), model(data).numpy(), **TOL)
    restored = keras.models.model_from_json(model.to_json())
    assert type(restored) is keras.Sequential and [l.name for l in restored.layers] == ["dense", "dense_1"]
    with pytest.raises(ValueError, match="must be a dictionary containing the 'name' and 'layers' keys"):
        keras.Sequential.from_config({"layers": []})


def test_unbuilt_config_round_trip():
    model = keras.Sequential([layers.Dense(2)])
    config = model.get_config()
    assert "build_input_shape" not in config
    assert not keras.Sequential.from_config(config).built
