"""``clone_model``: same architecture, new weights; custom clone/call functions, input tensors, errors."""
import numpy as np
import pytest

from ndflow import keras
from ndflow.keras import layers
from ndflow.keras.models import Functional, clone_model

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _data(*shape):
    return np.random.default_rng(0).standard_normal(shape).astype("float32")


def _assert_new_weights_same_function(original, clone, data):
    assert [w.shape for w in clone.weights] == [w.shape for w in original.weights]
    assert not any(a is b for a, b in zip(clone.weights, original.weights))
    clone.set_weights(original.get_weights())
    np.testing.assert_allclose(clone(data).numpy(), original(data).numpy(), **TOL)


def test_clone_sequential():
    model = keras.Sequential([keras.Input((3,), name="x"), layers.Dense(4, activation="relu"), layers.Dense(2)],
                             name="seq")
    clone = clone_model(model)
    assert type(clone) is keras.Sequential and clone.name == "seq" and clone.input_shape == (None, 3)
    assert [layer.name for layer in clone.layers] == ["dense", "dense_1"]
    assert clone._layers[0].name == "x"
    _assert_new_weights_same_function(model, clone, _data(2, 3))


def test_clone_unbuilt_sequential_and_input_tensors():
    model = keras.Sequential([layers.Dense(2)])
    clone = clone_model(model)
    assert not clone.built and clone(_data(1, 5)).shape == (1, 2)
    built_on = clone_model(model, input_tensors=keras.Input((6,)))
    assert built_on.input_shape == (None, 6)
    with pytest.raises(ValueError, match="must contain a single tensor"):
        clone_model(model, input_tensors=[keras.Input((1,)), keras.Input((1,))])


def test_clone_functional_keeps_sharing():
    a, b = keras.Input((3,)), keras.Input((3,))
    shared = layers.Dense(2)
    model = keras.Model([a, b], layers.Add()([shared(a), shared(b)]) * 3.0)
    clone = clone_model(model)
    assert type(clone) is Functional and len(clone.weights) == 2
    assert len(clone.layers) == len(model.layers)
    data = [_data(2, 3), _data(2, 3) + 1]
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone(data).numpy(), model(data).numpy(), **TOL)


def test_clone_function_and_call_function():
    x = keras.Input((4,))
    model = keras.Model(x, layers.Dense(3, name="head")(layers.Dense(5, name="body")(x)))

    def widen(layer):
        config = layer.get_config()
        if layer.name == "body":
            config["units"] = 7
        return type(layer).from_config(config)

    wider = clone_model(model, clone_function=widen)
    assert wider.get_layer("body").kernel.shape == (4, 7)

    def double_output(layer, *args, **kwargs):
        out = layer(*args, **kwargs)
        return out * 2.0 if layer.name == "head" else out

    doubled = clone_model(model, call_function=double_output)
    doubled.set_weights(model.get_weights())
    data = _data(2, 4)
    np.testing.assert_allclose(doubled(data).numpy(), 2 * model(data).numpy(), **TOL)


def test_clone_nested_models_recursively():
    inner = keras.Sequential([keras.Input((3,)), layers.Dense(2)], name="inner")
    x = keras.Input((3,))
    model = keras.Model(x, layers.Dense(1)(inner(x)))
    shallow = clone_model(model)
    deep = clone_model(model, recursive=True)
    assert shallow.get_layer("inner") is not inner and deep.get_layer("inner") is not inner
    _assert_new_weights_same_function(model, deep, _data(2, 3))


def test_clone_subclassed_model_and_errors():
    class Sub(keras.Model):
        def __init__(self, units=2, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.dense = layers.Dense(units)

        def call(self, inputs):
            return self.dense(inputs)

        def get_config(self):
            return {"units": self.units, "name": self.name}

    clone = clone_model(Sub(3, name="s"))
    assert type(clone) is Sub and clone.units == 3
    with pytest.raises(ValueError, match="only supported for Sequential models or Functional models"):
        clone_model(Sub(), clone_function=lambda layer: layer)
    with pytest.raises(ValueError, match="`call_function` argument is not supported with Sequential models."):
        clone_model(keras.Sequential([layers.Dense(1)]), call_function=lambda layer, *a: layer(*a))
    with pytest.raises(ValueError, match="Unexpected keyword argument"):
        clone_model(clone, bogus=1)
