"""Models against real Keras 3: outputs, gradients, weight order and configs for the same architectures."""
import json
import warnings

import numpy as np
import pytest

import ndflow as tf
from ndflow import keras as ours

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")
pytestmark = pytest.mark.parity

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _branchy(module):
    layers = module.layers
    module.backend.clear_session()
    image, extra = module.Input((6, 6, 2), name="image"), module.Input((3,), name="extra")
    x = layers.Conv2D(4, 3, padding="same", activation="relu")(image)
    x = layers.BatchNormalization()(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    shared = layers.Dense(5, name="shared")
    merged = layers.Concatenate()([shared(x), layers.Dense(5)(extra)])
    residual = layers.Add()([merged[:, :5], shared(layers.Dense(36)(extra))])
    return module.Model({"image": image, "extra": extra},
                        {"score": layers.Dense(1, name="score")(residual), "code": layers.Dropout(0.3)(merged)})


def _text_classifier(module):
    layers = module.layers
    module.backend.clear_session()
    tokens = module.Input((6,), dtype="int32")
    x = layers.Embedding(12, 4, mask_zero=True)(tokens)
    x = layers.LSTM(3)(x)
    return module.Model(tokens, layers.Dense(2, activation="softmax")(x))


def _nested(module):
    layers = module.layers
    module.backend.clear_session()
    inner_in = module.Input((4,))
    inner = module.Model(inner_in, layers.Dense(3)(inner_in), name="inner")
    block = module.Sequential([layers.Dense(3)], name="block")
    x = module.Input((4,))
    hidden = inner(x)
    return module.Model(x, [layers.Dense(2)(layers.BatchNormalization()(block(hidden))), hidden])


def _pair(builder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, mine = builder(keras), builder(ours)
    assert [(w.path, tuple(w.shape)) for w in mine.weights] == [(w.path, tuple(w.shape)) for w in theirs.weights]
    mine.set_weights(theirs.get_weights())
    return mine, theirs


def test_nested_models_match():
    mine, theirs = _pair(_nested)
    data = _rand(3, 4)
    for got, want in zip(mine(data), theirs(data), strict=True):
        np.testing.assert_allclose(got.numpy(), np.asarray(want), **TOL)


def test_functional_outputs_and_gradients_match():
    mine, theirs = _pair(_branchy)
    inputs = {"image": _rand(3, 6, 6, 2), "extra": _rand(3, 3, seed=1)}
    expected = theirs(inputs, training=False)
    got = mine(inputs, training=False)
    for key in ("score", "code"):
        np.testing.assert_allclose(got[key].numpy(), np.asarray(expected[key]), **TOL)

    def grads(framework, model):
        with framework.GradientTape() as tape:
            out = model(inputs, training=False)
            loss = framework.reduce_sum(out["score"]) + framework.reduce_sum(out["code"] ** 2)
        return tape.gradient(loss, model.trainable_weights)

    for a, b in zip(grads(tf, mine), grads(real_tf, theirs), strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-5)


def test_masked_sequence_model_matches():
    mine, theirs = _pair(_text_classifier)
    tokens = np.array([[3, 5, 1, 0, 0, 0], [7, 2, 9, 4, 4, 0]], "int32")
    np.testing.assert_allclose(mine(tokens).numpy(), np.asarray(theirs(tokens)), **TOL)


def test_sequential_cnn_matches_after_fit_free_copy():
    def cnn(module):
        layers = module.layers
        module.backend.clear_session()
        return module.Sequential([module.Input((8, 8, 1)), layers.Conv2D(3, 3, activation="relu"),
                                  layers.MaxPooling2D(), layers.Flatten(), layers.Dense(4, activation="softmax")])

    mine, theirs = _pair(cnn)
    data = _rand(2, 8, 8, 1)
    np.testing.assert_allclose(mine.predict(data, verbose=0), theirs.predict(data, verbose=0), **TOL)


def _comparable(config):
    """A config without the entries whose layout belongs to other components (compile settings)."""
    config = json.loads(json.dumps(config))
    for entry in config.get("layers", []):
        entry.pop("compile_config", None)
    return config


@pytest.mark.parametrize("builder", [_branchy, _text_classifier, _nested])
def test_functional_config_equals_keras(builder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, mine = builder(keras), builder(ours)
    mine_config, their_config = _comparable(mine.get_config()), _comparable(theirs.get_config())
    assert mine_config == their_config


def test_sequential_config_equals_keras():
    def mlp(module):
        module.backend.clear_session()
        return module.Sequential([module.Input((4,)), module.layers.Dense(8, activation="relu"),
                                  module.layers.Dropout(0.2), module.layers.Dense(1)], name="mlp")

    assert _comparable(mlp(ours).get_config()) == _comparable(mlp(keras).get_config())


@pytest.mark.parametrize("builder, inputs", [
    (_branchy, {"image": _rand(2, 6, 6, 2), "extra": _rand(2, 3, seed=1)}),
    (_text_classifier, np.array([[3, 5, 0, 0, 0, 0]], "int32")),
    (_nested, _rand(2, 4))])
def test_keras_configs_load_into_ndflow(builder, inputs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = builder(keras)
    mine = ours.Model.from_config(json.loads(json.dumps(theirs.get_config())))
    mine.set_weights(theirs.get_weights())
    for got, want in zip(tf.nest.flatten(mine(inputs)), tf.nest.flatten(theirs(inputs)), strict=True):
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), **TOL)


def test_keras_json_loads_with_model_from_json():
    keras.backend.clear_session()
    theirs = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    mine = ours.models.model_from_json(theirs.to_json())
    mine.set_weights(theirs.get_weights())
    data = _rand(2, 3)
    np.testing.assert_allclose(mine(data).numpy(), np.asarray(theirs(data)), **TOL)
