"""Subclassed models and the Model API shared by all models: tracking, weights, freezing, build, saving hooks."""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from ndflow.keras import layers

TOL = {"rtol": 1e-5, "atol": 1e-5}


class TwoLayers(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(4, activation="relu")
        self.norm = layers.BatchNormalization()
        self.out = layers.Dense(1)

    def call(self, inputs, training=None):
        return self.out(self.norm(self.hidden(inputs), training=training))


def test_subclass_tracks_layers_and_builds_on_first_call():
    model = TwoLayers()
    assert model.name == "two_layers" and not model.built
    assert [layer.name for layer in model.layers] == ["dense", "batch_normalization", "dense_1"]
    model(np.ones((2, 3), "float32"))
    assert model.built
    assert [w.path for w in model.weights] == [
        "two_layers/dense/kernel", "two_layers/dense/bias", "two_layers/batch_normalization/gamma",
        "two_layers/batch_normalization/beta", "two_layers/batch_normalization/moving_mean",
        "two_layers/batch_normalization/moving_variance", "two_layers/dense_1/kernel", "two_layers/dense_1/bias"]
    assert [w.name for w in model.trainable_weights] == ["kernel", "bias", "gamma", "beta", "kernel", "bias"]
    assert [w.name for w in model.non_trainable_weights] == ["moving_mean", "moving_variance"]
    assert model.count_params() == 3 * 4 + 4 + 4 * 4 + 4 + 1


def test_training_flag_reaches_sublayers():
    model = TwoLayers()
    data = np.random.default_rng(0).standard_normal((8, 3)).astype("float32")
    model(data)
    before = model.norm.moving_mean.numpy().copy()
    model(data, training=True)
    assert not np.allclose(model.norm.moving_mean.numpy(), before)
    after = model.norm.moving_mean.numpy().copy()
    model(data, training=False)
    np.testing.assert_array_equal(model.norm.moving_mean.numpy(), after)


def test_build_marks_built_without_building_layers_as_keras_3():
    model = TwoLayers()
    with pytest.warns(UserWarning, match="does not have a `build\\(\\)` method implemented"):
        model.build((None, 3))
    assert model.built and not model.hidden.built
    assert model(np.ones((1, 3), "float32")).shape == (1, 1)


def test_call_must_be_implemented():
    with pytest.raises(NotImplementedError, match="Model Model does not have a `call\\(\\)` method implemented."):
        keras.Model()(np.ones((1, 2), "float32"))


def test_get_and_set_weights_round_trip():
    model = TwoLayers()
    model(np.ones((1, 3), "float32"))
    new = [np.full(w.shape, i, "float32") for i, w in enumerate(model.get_weights())]
    model.set_weights(new)
    for got, want in zip(model.get_weights(), new):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="with a weight list of length 1, but the layer was expecting 8 weights"):
        model.set_weights(new[:1])


def test_freezing_before_and_after_building():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2), layers.Dense(1)])
    model.layers[0].trainable = False
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2
    model.trainable = False
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 4
    model.trainable = True
    assert len(model.trainable_weights) == 4
    lazy = TwoLayers()
    lazy.hidden.trainable = False
    lazy(np.ones((1, 3), "float32"))
    assert [w.name for w in lazy.trainable_weights] == ["gamma", "beta", "kernel", "bias"]


def test_freezing_after_compile_stops_updates():
    model = keras.Sequential([keras.Input((2,)), layers.Dense(2), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.layers[0].trainable = False
    frozen = model.layers[0].get_weights()
    model.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
    for got, want in zip(model.layers[0].get_weights(), frozen):
        np.testing.assert_array_equal(got, want)


def test_nested_model_weights_in_tracking_order():
    class Outer(keras.Model):
        def __init__(self):
            super().__init__()
            self.block = keras.Sequential([layers.Dense(2), layers.Dense(2)])
            self.head = layers.Dense(1)

        def call(self, inputs):
            return self.head(self.block(inputs))

    model = Outer()
    model(np.ones((1, 3), "float32"))
    assert [w.path for w in model.weights] == [
        "outer/sequential/dense/kernel", "outer/sequential/dense/bias", "outer/sequential/dense_1/kernel",
        "outer/sequential/dense_1/bias", "outer/dense_2/kernel", "outer/dense_2/bias"]


def test_subclass_called_on_keras_tensor():
    model = TwoLayers()
    x = keras.Input((3,))
    y = model(x)
    assert y.shape == (None, 1) and model.hidden.built
    assert model.hidden._build_shapes == (None, 3)
    functional = keras.Model(x, y)
    data = np.ones((2, 3), "float32")
    np.testing.assert_allclose(functional(data).numpy(), model(data).numpy(), **TOL)


def test_saving_methods_delegate_to_the_saving_module(monkeypatch):
    import sys
    import types

    calls = []
    fake = types.SimpleNamespace(save_model=lambda *a, **k: calls.append(("save", a[1])),
                                 save_weights=lambda *a, **k: calls.append(("save_weights", a[1])),
                                 load_weights=lambda *a, **k: calls.append(("load_weights", a[1])))
    monkeypatch.setitem(sys.modules, "ndflow.keras.saving", fake)
    monkeypatch.setattr(keras, "saving", fake, raising=False)  # `from .. import saving` reads the attribute
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    model.save("m.keras")
    model.save_weights("m.weights.h5")
    model.load_weights("m.weights.h5")
    assert calls == [("save", "m.keras"), ("save_weights", "m.weights.h5"), ("load_weights", "m.weights.h5")]


def test_gradient_flows_through_models():
    model = TwoLayers()
    data = tf.constant(np.random.default_rng(1).standard_normal((4, 3)).astype("float32"))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(data, training=True))
    grads = tape.gradient(loss, model.trainable_weights)
    assert len(grads) == 6 and all(g is not None for g in grads)
