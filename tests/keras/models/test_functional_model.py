"""Functional models: graph mapping, running, structures, shared and nested layers, configs, errors."""
import json

import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from ndflow.keras import layers
from ndflow.keras.models import Functional

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _dense(x, layer):
    kernel, bias = layer.get_weights()
    return x @ kernel + bias


def test_model_with_inputs_and_outputs_is_functional():
    x = keras.Input((3,))
    model = keras.Model(x, layers.Dense(2)(x), name="net")
    assert type(model) is Functional and isinstance(model, keras.Model)
    assert model.name == "net" and model.built
    assert model.inputs == [x] and model.input is x and model.output is model.outputs[0]
    assert model.input_shape == (None, 3) and model.output_shape == (None, 2)
    assert model.output_names == ["dense"]
    assert type(keras.Model(inputs=x, outputs=model.output)) is Functional


def test_forward_matches_numpy():
    x = keras.Input((4,))
    d1, d2 = layers.Dense(5, activation="relu"), layers.Dense(2)
    model = keras.Model(x, d2(d1(x)))
    data = _rand(3, 4)
    expected = _dense(np.maximum(_dense(data, d1), 0), d2)
    np.testing.assert_allclose(model(data).numpy(), expected, **TOL)
    np.testing.assert_allclose(model.predict(data, verbose=0), expected, **TOL)


def test_multiple_inputs_and_outputs_lists_and_dicts():
    a, b = keras.Input((2,), name="a"), keras.Input((3,), name="b")
    joined = layers.Concatenate()([a, b])
    head1, head2 = layers.Dense(1, name="h1"), layers.Dense(2, name="h2")
    model = keras.Model({"a": a, "b": b}, {"first": head1(joined), "second": head2(joined)})
    da, db = _rand(4, 2), _rand(4, 3, seed=1)
    out = model({"b": db, "a": da})
    assert set(out) == {"first", "second"}
    both = np.concatenate([da, db], axis=1)
    np.testing.assert_allclose(out["first"].numpy(), _dense(both, head1), **TOL)
    np.testing.assert_allclose(out["second"].numpy(), _dense(both, head2), **TOL)
    listed = keras.Model([a, b], [head1(joined), head2(joined)])
    first, second = listed([da, db])
    np.testing.assert_allclose(second.numpy(), _dense(both, head2), **TOL)
    assert listed.output_names == ["h1", "h2"]
    np.testing.assert_allclose(listed({"a": da, "b": db})[0].numpy(), first.numpy(), **TOL)


def test_shared_layer_makes_two_nodes():
    a, b = keras.Input((3,)), keras.Input((3,))
    shared = layers.Dense(2, name="shared")
    model = keras.Model([a, b], layers.Subtract()([shared(a), shared(b)]))
    assert len(shared._inbound_nodes) == 2 and len(model.weights) == 2
    da, db = _rand(2, 3), _rand(2, 3, seed=1)
    np.testing.assert_allclose(model([da, db]).numpy(), _dense(da, shared) - _dense(db, shared), **TOL)


def test_nested_models_share_weights():
    inner_in = keras.Input((3,))
    inner = keras.Model(inner_in, layers.Dense(4, activation="tanh")(inner_in), name="inner")
    x = keras.Input((3,))
    outer = keras.Model(x, layers.Dense(1)(inner(x)))
    assert [layer.name for layer in outer.layers] == ["input_layer_1", "inner", "dense_1"]
    assert len(outer.weights) == 4 and outer.weights[0] is inner.weights[0]
    data = _rand(5, 3)
    expected = _dense(np.tanh(_dense(data, inner.layers[1])), outer.layers[2])
    np.testing.assert_allclose(outer(data).numpy(), expected, **TOL)


def test_model_from_intermediate_tensors():
    x = keras.Input((3,))
    hidden = layers.Dense(4, name="hidden")(x)
    out = layers.Dense(2, name="out")(hidden)
    keras.Model(x, out)
    head = keras.Model(hidden, out)
    assert [layer.name for layer in head.layers][1:] == ["out"]
    data = _rand(2, 4)
    np.testing.assert_allclose(head(data).numpy(), _dense(data, head.get_layer("out")), **TOL)


def test_training_flag_reaches_layers():
    x = keras.Input((200,))
    model = keras.Model(x, layers.Dropout(0.5)(x))
    ones = np.ones((1, 200), "float32")
    np.testing.assert_array_equal(model(ones).numpy(), ones)
    dropped = model(ones, training=True).numpy()
    assert set(np.unique(dropped)) <= {0.0, 2.0} and (dropped == 0).any()
    forced = keras.Model(x, layers.Dropout(0.5)(x, training=True))
    assert (forced(ones).numpy() == 0).any()
    np.testing.assert_array_equal(forced(ones, training=False).numpy(), ones)


def test_mask_propagates_through_the_graph():
    x = keras.Input((4, 2))
    masked = layers.Masking(0.0)(x)
    pooled = layers.GlobalAveragePooling1D()(masked)
    model = keras.Model(x, pooled)
    data = np.array([[[1, 2], [3, 4], [0, 0], [0, 0]]], "float32")
    np.testing.assert_allclose(model(data).numpy(), [[2.0, 3.0]], **TOL)


def test_inputs_are_converted_and_rank_adjusted():
    ids = keras.Input((3,), dtype="int32")
    model = keras.Model(ids, ids * 2)
    out = model(np.array([[1, 2, 3]], dtype="int64"))
    assert out.dtype == tf.int32
    x = keras.Input((4,))
    dense = keras.Model(x, layers.Dense(1)(x))
    assert dense(np.ones((2, 4, 1), "float32")).shape == (2, 1)
    column = keras.Input((1,))
    assert keras.Model(column, column + 1)(np.ones(3, "float32")).shape == (3, 1)
    with pytest.raises(ValueError, match="expected shape=\\(None, 4\\), found shape=\\(2, 5\\)"):
        dense(np.ones((2, 5), "float32"))
    with pytest.raises(ValueError, match="Invalid input shape for input"):
        dense(np.ones((2, 4, 3), "float32"))


def test_get_layer():
    x = keras.Input((3,), name="in")
    model = keras.Model(x, layers.Dense(2, name="d")(x))
    assert model.get_layer("d").name == "d" and model.get_layer(index=0).name == "in"
    with pytest.raises(ValueError, match=r"No such layer: zz. Existing layers are: \['in', 'd'\]."):
        model.get_layer("zz")
    with pytest.raises(ValueError, match="Was asked to retrieve layer at index 5 but model only has 2 layers."):
        model.get_layer(index=5)
    with pytest.raises(ValueError, match="Provide either a layer name or layer index at `get_layer`."):
        model.get_layer()
    with pytest.raises(ValueError, match="Provide only a layer name or a layer index."):
        model.get_layer("d", 0)
    with pytest.raises(AttributeError, match="`Model.layers` attribute is reserved"):
        model.layers = []


def test_construction_errors():
    x, y = keras.Input((3,)), keras.Input((3,))
    with pytest.raises(ValueError, match="All `outputs` values must be KerasTensors"):
        keras.Model(x, 3)
    with pytest.raises(ValueError, match="All `inputs` values must be KerasTensors"):
        keras.Model(np.zeros(3), layers.Dense(1)(x))
    with pytest.raises(ValueError, match="Output with path `` is not connected to `inputs`"):
        keras.Model(x, layers.Dense(2)(y))
    out = layers.Dense(1, name="same")(layers.Dense(1, name="same")(x))
    with pytest.raises(ValueError, match='The name "same" is used 2 times in the model'):
        keras.Model(x, out)


def test_compute_output_shape_and_spec():
    x = keras.Input((None, 3))
    model = keras.Model(x, layers.Dense(2)(x))
    assert model.compute_output_shape((4, 7, 3)) == (4, 7, 2)
    spec = model.compute_output_spec(keras.Input((5, 3)))
    assert spec.shape == (None, 5, 2)


def test_subclass_with_functional_constructor():
    class Tower(keras.Model):
        def __init__(self, units, **kwargs):
            inputs = keras.Input((3,))
            super().__init__(inputs, layers.Dense(units)(inputs), **kwargs)
            self.units = units

    tower = Tower(4, name="tower")
    assert isinstance(tower, Functional) and isinstance(tower, Tower)
    assert tower.name == "tower" and tower(np.ones((2, 3), "float32")).shape == (2, 4)


def test_config_round_trip_replays_the_graph():
    a, b = keras.Input((2,), name="a"), keras.Input((2,), name="b")
    shared = layers.Dense(3, name="shared")
    merged = layers.Add()([shared(a), shared(b)])
    model = keras.Model([a, b], {"out": layers.Dense(1, name="out")(merged), "raw": merged * 2.0})
    config = model.get_config()
    assert [entry["name"] for entry in config["layers"]] == ["a", "b", "shared", "add", "out", "multiply"]
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    assert config["output_layers"] == {"out": ["out", 0, 0], "raw": ["multiply", 0, 0]}
    shared_nodes = config["layers"][2]["inbound_nodes"]
    assert [node["args"][0]["config"]["keras_history"] for node in shared_nodes] == [["a", 0, 0], ["b", 0, 0]]
    clone = keras.Model.from_config(json.loads(json.dumps(config)))
    assert type(clone) is Functional and [w.shape for w in clone.weights] == [w.shape for w in model.weights]
    clone.set_weights(model.get_weights())
    data = [_rand(2, 2), _rand(2, 2, seed=1)]
    for key in ("out", "raw"):
        np.testing.assert_allclose(clone(data)[key].numpy(), model(data)[key].numpy(), **TOL)


def test_to_json_and_model_from_json_with_custom_objects():
    class Twice(layers.Layer):
        def call(self, inputs):
            return inputs * 2

    x = keras.Input((2,))
    model = keras.Model(x, Twice(name="twice")(x))
    text = model.to_json()
    envelope = json.loads(text)
    assert envelope["class_name"] == "Functional" and envelope["module"] == "keras.src.models.functional"
    with pytest.raises(TypeError, match="Could not locate class 'Twice'"):
        keras.models.model_from_json(text)
    restored = keras.models.model_from_json(text, custom_objects={"Twice": Twice})
    np.testing.assert_allclose(restored(np.ones((1, 2), "float32")).numpy(), [[2.0, 2.0]])
