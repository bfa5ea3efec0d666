"""Parity: ``.keras`` and ``.weights.h5`` files interchange with real Keras 3, optimizer state included."""
import json
import os
import zipfile

import numpy as np
import pytest

from ndflow import keras as ours

keras = pytest.importorskip("keras")
h5py = pytest.importorskip("h5py")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

pytestmark = [pytest.mark.parity,  # real Keras saving TF variables trips a NumPy 2 deprecation inside TF
              pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword")]
TOL = {"rtol": 1e-5, "atol": 1e-5}


def _mlp(k):
    return k.Sequential([k.Input((4,)), k.layers.Dense(5, activation="relu"), k.layers.Dropout(0.1),
                         k.layers.Dense(2)]), [(3, 4)]


def _multi_input(k):
    a, b = k.Input((4,), name="a"), k.Input((3,), name="b")
    merged = k.layers.Concatenate()([k.layers.Dense(5)(a), b])
    model = k.Model([a, b], [k.layers.Dense(2, name="out1")(merged), k.layers.Dense(1, name="out2")(merged)])
    return model, [(3, 4), (3, 3)]


def _cnn(k):
    return k.Sequential([k.Input((6, 6, 2)), k.layers.Conv2D(3, 3, padding="same"), k.layers.BatchNormalization(),
                         k.layers.MaxPooling2D(), k.layers.Conv2D(2, 2), k.layers.Flatten(),
                         k.layers.Dense(2)]), [(3, 6, 6, 2)]


def _recurrent(k):
    inputs = k.Input((5, 3))
    x = k.layers.LSTM(4, return_sequences=True)(inputs)
    x = k.layers.Bidirectional(k.layers.GRU(2, return_sequences=True))(x)
    x = k.layers.TimeDistributed(k.layers.Dense(3))(x)
    x = k.layers.SimpleRNN(2)(x)
    return k.Model(inputs, k.layers.Dense(1)(x)), [(3, 5, 3)]


def _nested(k):
    inner = k.Sequential([k.Input((4,)), k.layers.Dense(3), k.layers.LayerNormalization()], name="inner")
    inputs, ids = k.Input((4,)), k.Input((2,), dtype="int32")
    embedded = k.layers.Flatten()(k.layers.Embedding(7, 2)(ids))
    return k.Model([inputs, ids], k.layers.Concatenate()([inner(inputs), embedded])), [(3, 4), (3, 2)]


MODELS = [_mlp, _multi_input, _cnn, _recurrent, _nested]


def _inputs(model_fn, shapes, seed=0):
    rng = np.random.default_rng(seed)
    arrays = [rng.integers(0, 7, shape).astype("int32") if model_fn is _nested and i == 1
              else rng.standard_normal(shape).astype("float32") for i, shape in enumerate(shapes)]
    return arrays if len(arrays) > 1 else arrays[0]


def _train_one_step(module, model, x):
    # eager Keras skips tf.function tracing, which takes seconds for the recurrent model
    model.compile(optimizer=module.optimizers.Adam(0.01), loss=module.losses.MeanSquaredError(),
                  run_eagerly=module is keras)
    targets = [np.ones_like(o) for o in _outputs(model, x)]
    model.fit(x, targets if len(targets) > 1 else targets[0], epochs=1, verbose=0, shuffle=False)


@pytest.fixture(scope="module", params=MODELS, ids=lambda fn: fn.__name__.strip("_"))
def saved(request, tmp_path_factory):
    """For one architecture: trained Keras and ndflow models, and the files each saved."""
    directory = tmp_path_factory.mktemp(request.param.__name__.strip("_"))
    theirs, shapes = request.param(keras)
    mine, _ = request.param(ours)
    x = _inputs(request.param, shapes)
    _train_one_step(keras, theirs, x)
    _train_one_step(ours, mine, x)
    for name, model in (("theirs", theirs), ("mine", mine)):
        model.save(directory / f"{name}.keras")
        model.save_weights(directory / f"{name}.weights.h5")
        model.save(directory / f"{name}.h5")
    return {"build": request.param, "theirs": theirs, "mine": mine, "x": x, "dir": directory}


def _layout(path):
    """``{h5 path: dataset shape and dtype, or "group" (+ whether it carries a name)}``."""
    found = {}
    with h5py.File(path) as file:
        file.visititems(lambda name, obj: found.__setitem__(
            name, (obj.shape, obj.dtype.str) if isinstance(obj, h5py.Dataset) else ("group", "name" in obj.attrs)))
    return found


def _optimizer_values(model):
    return [np.asarray(v.numpy() if hasattr(v, "numpy") else v) for v in model.optimizer.variables]


def _outputs(model, x):
    """Inference outputs of a direct call (Keras's ``predict`` would spend seconds tracing a tf.function)."""
    outputs = model(x, training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [np.asarray(o.numpy() if hasattr(o, "numpy") else o) for o in outputs]


def _assert_same_outputs(a, b, x):
    left, right = _outputs(a, x), _outputs(b, x)
    assert len(left) == len(right)
    for mine, theirs in zip(left, right):
        np.testing.assert_allclose(mine, theirs, **TOL)


def _assert_same_optimizer_state(a, b):
    for mine, theirs in zip(_optimizer_values(a), _optimizer_values(b), strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_weights_file_layout_matches_keras(saved):
    assert _layout(saved["dir"] / "mine.weights.h5") == _layout(saved["dir"] / "theirs.weights.h5")


def test_archive_layout_matches_keras(saved):
    with zipfile.ZipFile(saved["dir"] / "mine.keras") as mine, zipfile.ZipFile(saved["dir"] / "theirs.keras") as th:
        assert mine.namelist() == th.namelist()
        assert set(json.loads(mine.read("metadata.json"))) == set(json.loads(th.read("metadata.json")))
        my_config, their_config = json.loads(mine.read("config.json")), json.loads(th.read("config.json"))
    assert set(my_config) == set(their_config)
    assert [layer["class_name"] for layer in my_config["config"]["layers"]] == \
        [layer["class_name"] for layer in their_config["config"]["layers"]]
    assert set(my_config["compile_config"]) == set(their_config["compile_config"])


def test_keras_weights_load_into_ndflow(saved):
    model, _ = saved["build"](ours)
    model.compile(optimizer=ours.optimizers.Adam(0.01), loss="mse")
    model.optimizer.build(model.trainable_variables)
    model.load_weights(saved["dir"] / "theirs.weights.h5")
    _assert_same_outputs(model, saved["theirs"], saved["x"])
    _assert_same_optimizer_state(model, saved["theirs"])


def test_ndflow_weights_load_into_keras(saved):
    model, _ = saved["build"](keras)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    model.optimizer.build(model.trainable_variables)
    model.load_weights(saved["dir"] / "mine.weights.h5")
    _assert_same_outputs(model, saved["mine"], saved["x"])
    _assert_same_optimizer_state(saved["mine"], model)


def test_keras_archive_loads_in_ndflow(saved):
    model = ours.models.load_model(saved["dir"] / "theirs.keras")
    assert model.compiled and isinstance(model.optimizer, ours.optimizers.Adam)
    _assert_same_outputs(model, saved["theirs"], saved["x"])
    _assert_same_optimizer_state(model, saved["theirs"])


def test_ndflow_archive_loads_in_keras(saved):
    model = keras.saving.load_model(saved["dir"] / "mine.keras")
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    _assert_same_outputs(model, saved["mine"], saved["x"])
    _assert_same_optimizer_state(saved["mine"], model)


def test_keras_legacy_h5_loads_in_ndflow(saved):
    model = ours.models.load_model(saved["dir"] / "theirs.h5")
    assert model.compiled and isinstance(model.loss, ours.losses.MeanSquaredError)
    _assert_same_outputs(model, saved["theirs"], saved["x"])
    _assert_same_optimizer_state(model, saved["theirs"])
    weights_only, _ = saved["build"](ours)
    weights_only.load_weights(saved["dir"] / "theirs.h5")
    _assert_same_outputs(weights_only, saved["theirs"], saved["x"])


def test_ndflow_legacy_h5_loads_in_keras(saved):
    model = keras.saving.load_model(saved["dir"] / "mine.h5")
    assert isinstance(model.loss, keras.losses.MeanSquaredError)
    _assert_same_outputs(model, saved["mine"], saved["x"])
    weights_only, _ = saved["build"](keras)
    weights_only.load_weights(saved["dir"] / "mine.h5")
    _assert_same_outputs(weights_only, saved["mine"], saved["x"])


def test_legacy_h5_layout_matches_keras(saved):
    with h5py.File(saved["dir"] / "mine.h5") as mine, h5py.File(saved["dir"] / "theirs.h5") as theirs:
        assert set(mine.attrs) == set(theirs.attrs)
        my_config, their_config = json.loads(mine.attrs["model_config"]), json.loads(theirs.attrs["model_config"])
        assert [set(layer) for layer in my_config["config"]["layers"]] == \
            [set(layer) for layer in their_config["config"]["layers"]]
        assert set(json.loads(mine.attrs["training_config"])) == set(json.loads(theirs.attrs["training_config"]))
        layouts = []
        for file in (mine, theirs):
            group = file["model_weights"]
            layouts.append([[group[name][weight].shape for weight in group[name].attrs["weight_names"]]
                            for name in group.attrs["layer_names"]])
        assert layouts[0] == layouts[1]
        assert [theirs["optimizer_weights"][n].shape for n in theirs["optimizer_weights"].attrs["weight_names"]] == \
            [mine["optimizer_weights"][n].shape for n in mine["optimizer_weights"].attrs["weight_names"]]


def _scale_layer_class(module):
    """A custom layer class named ``Scale`` for ``module`` (Keras names layers in files by their class name)."""

    def build(self, input_shape):
        self.scale = self.add_weight(name="scale", shape=(input_shape[-1],), initializer="ones")

    def call(self, x):
        return x * self.scale

    cls = type("Scale", (module.layers.Layer,), {"build": build, "call": call, "__module__": __name__})
    return module.saving.register_keras_serializable(package="Interchange")(cls)


def test_registered_custom_layers_interchange(tmp_path):
    our_scale, their_scale = _scale_layer_class(ours), _scale_layer_class(keras)
    x = np.random.default_rng(3).standard_normal((2, 3)).astype("float32")
    theirs = keras.Sequential([keras.Input((3,)), their_scale(), keras.layers.Dense(2)])
    theirs.layers[0].scale.assign(np.array([1.0, 2.0, 3.0], "float32"))
    theirs.save(tmp_path / "theirs.keras")
    mine = ours.models.load_model(tmp_path / "theirs.keras")
    assert isinstance(mine.layers[0], our_scale)
    _assert_same_outputs(mine, theirs, x)
    mine.save(tmp_path / "mine.keras")
    back = keras.saving.load_model(tmp_path / "mine.keras")
    assert isinstance(back.layers[0], their_scale)
    _assert_same_outputs(back, theirs, x)
