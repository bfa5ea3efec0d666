"""save_model / load_model / save_weights / load_weights on ndflow models (no real Keras needed)."""
import io
import json
import os
import sys
import zipfile

import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from ndflow.keras import layers, saving

pytest.importorskip("h5py")

TOL = {"rtol": 1e-6, "atol": 1e-6}


def _data(n=8, d=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)).astype("float32"), rng.standard_normal((n, 2)).astype("float32")


def _mlp(compile=True, dropout=0.2):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(5, activation="relu"), layers.Dropout(dropout),
                              layers.Dense(2)])
    if compile:
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    return model


def _trained_mlp():
    x, y = _data()
    model = _mlp()
    model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    return model, x, y


def _optimizer_values(model):
    return [np.asarray(v.numpy()) for v in model.optimizer.variables]


# -- .keras archives -----------------------------------------------------------------------------------------
def test_keras_archive_layout(tmp_path):
    model, _, _ = _trained_mlp()
    path = tmp_path / "model.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
        metadata = json.loads(archive.read("metadata.json"))
        config = json.loads(archive.read("config.json"))
    assert metadata["keras_version"] == keras.__version__ and set(metadata) == {"keras_version", "date_saved"}
    assert (config["module"], config["class_name"], config["registered_name"]) == ("keras", "Sequential", None)
    assert config["build_config"] == {"input_shape": [None, 4]}
    assert config["compile_config"]["loss"] == "mse" and config["compile_config"]["metrics"] == ["mae"]
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"
    assert [layer["class_name"] for layer in config["config"]["layers"]] == ["InputLayer", "Dense", "Dropout", "Dense"]
    assert not [p for p in os.listdir(tmp_path) if p != "model.keras"]  # no temporary files left behind


def test_sequential_round_trip_restores_weights_compile_and_optimizer_state(tmp_path):
    x, y = _data()
    model = _mlp(dropout=0.0)
    model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    model.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)
    assert restored.compiled and isinstance(restored.optimizer, keras.optimizers.Adam)
    for ours, theirs in zip(_optimizer_values(restored), _optimizer_values(model)):
        np.testing.assert_array_equal(ours, theirs)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    restored.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    assert [m.name for m in restored.metrics] == [m.name for m in model.metrics]


def test_load_model_without_compiling(tmp_path):
    model, x, _ = _trained_mlp()
    model.save(tmp_path / "m.keras")
    restored = saving.load_model(str(tmp_path / "m.keras"), compile=False)
    assert not restored.compiled and restored.optimizer is None
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)


def test_functional_multi_io_round_trip_through_file_objects():
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    merged = layers.Concatenate()([layers.Dense(4)(a), b])
    model = keras.Model([a, b], [layers.Dense(1, name="out1")(merged), layers.Dense(2, name="out2")(merged)])
    buffer = io.BytesIO()
    saving.save_model(model, buffer)
    buffer.seek(0)
    restored = saving.load_model(buffer)
    inputs = [np.ones((2, 3), "float32"), np.full((2, 2), 0.5, "float32")]
    for ours, theirs in zip(restored.predict(inputs, verbose=0), model.predict(inputs, verbose=0)):
        np.testing.assert_allclose(ours, theirs, **TOL)
    assert [layer.name for layer in restored.layers] == [layer.name for layer in model.layers]


@saving.register_keras_serializable(package="SavingTest")
class Residual(layers.Layer):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.inner = layers.Dense(units)

    def build(self, input_shape):
        self.inner.build(input_shape)
        self.scale = self.add_weight(name="scale", shape=(self.units,), initializer="ones")

    def call(self, x):
        return x + self.inner(x) * self.scale

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@saving.register_keras_serializable(package="SavingTest")
class Tower(keras.Model):
    def __init__(self, hidden=4, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.encoder = layers.Dense(hidden, activation="tanh")
        self.block = Residual(hidden)
        self.head = layers.Dense(1)

    def call(self, x):
        return self.head(self.block(self.encoder(x)))

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden}


def test_subclassed_model_with_registered_custom_layer(tmp_path):
    model = Tower(hidden=3)
    x, _ = _data()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, x[:, :1], epochs=1, verbose=0)
    model.save(tmp_path / "tower.keras")
    with zipfile.ZipFile(tmp_path / "tower.keras") as archive:
        config = json.loads(archive.read("config.json"))
    assert config["registered_name"] == "SavingTest>Tower" and config["build_config"]["input_shape"][1:] == [4]
    restored = keras.models.load_model(tmp_path / "tower.keras")
    assert isinstance(restored, Tower) and isinstance(restored.block, Residual)
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)
    for ours, theirs in zip(_optimizer_values(restored), _optimizer_values(model)):
        np.testing.assert_array_equal(ours, theirs)


@saving.register_keras_serializable(package="SavingTest")
class MinimalCell(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units))

    def call(self, x, states):
        output = x @ self.kernel + states[0]
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_registered_custom_rnn_cell(tmp_path):
    model = keras.Sequential([keras.Input((3, 2)), layers.RNN(MinimalCell(4))])
    model.save(tmp_path / "rnn.keras")
    restored = keras.models.load_model(tmp_path / "rnn.keras")
    assert isinstance(restored.layers[0].cell, MinimalCell)
    x = np.random.default_rng(0).standard_normal((2, 3, 2)).astype("float32")
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)


class Unregistered(layers.Layer):
    def call(self, x):
        return x * 2.0


def test_unregistered_custom_layer_needs_custom_objects(tmp_path):
    model = keras.Sequential([keras.Input((2,)), Unregistered(), layers.Dense(1)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(TypeError, match="Could not locate class 'Unregistered'"):
        keras.models.load_model(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras", custom_objects={"Unregistered": Unregistered})
    x = np.ones((1, 2), "float32")
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)
    with saving.custom_object_scope({"Unregistered": Unregistered}):
        assert isinstance(keras.models.load_model(tmp_path / "m.keras").layers[0], Unregistered)


def test_lambda_layer_refused_in_safe_mode(tmp_path):
    model = keras.Sequential([keras.Input((2,)), layers.Lambda(lambda t: t * 3.0), layers.Dense(1)])
    model.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="Requested the deserialization of a `Lambda` layer whose `function` is a "
                                         "Python lambda"):
        keras.models.load_model(tmp_path / "lambda.keras")
    restored = keras.models.load_model(tmp_path / "lambda.keras", safe_mode=False)
    x = np.ones((2, 2), "float32")
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)


def test_safe_mode_never_runs_code_from_the_file(tmp_path, monkeypatch):
    import marshal

    model = keras.Sequential([keras.Input((2,)), layers.Lambda(lambda t: t)])
    model.save(tmp_path / "lambda.keras")
    monkeypatch.setattr(marshal, "loads", lambda *a: pytest.fail("bytecode was unmarshalled in safe mode"))
    with pytest.raises(ValueError):
        keras.models.load_model(tmp_path / "lambda.keras")


def test_unzipped_model_directory(tmp_path):
    model, x, _ = _trained_mlp()
    model.save(tmp_path / "folder", zipped=False)
    assert sorted(os.listdir(tmp_path / "folder")) == ["config.json", "metadata.json", "model.weights.h5"]
    restored = keras.models.load_model(tmp_path / "folder")
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)


def test_to_json_and_model_from_json():
    model = _mlp(compile=False)
    text = model.to_json()
    assert json.loads(text)["class_name"] == "Sequential"
    restored = keras.models.model_from_json(text)
    assert [type(layer) for layer in restored.layers] == [type(layer) for layer in model.layers]
    assert restored.count_params() == model.count_params()


def test_save_model_argument_errors(tmp_path):
    model = _mlp()
    with pytest.raises(ValueError, match="Invalid filepath extension for saving"):
        model.save(tmp_path / "m.tf")
    with pytest.raises(ValueError, match=r"The following argument\(s\) are not supported: \['foo'\]"):
        model.save(tmp_path / "m.keras", foo=1)
    with pytest.raises(ValueError, match="When using `zipped=False`, the `filepath` argument should not end in "
                                         "`.keras`"):
        model.save(tmp_path / "m.keras", zipped=False)
    with pytest.raises(ValueError, match="File not found: filepath=.*missing.keras"):
        keras.models.load_model(tmp_path / "missing.keras")
    with pytest.raises(ValueError, match="File format not supported: filepath=.*m.pb"):
        keras.models.load_model(tmp_path / "m.pb")


def test_overwrite_false_asks_first(tmp_path, monkeypatch, capsys):
    model, x, _ = _trained_mlp()
    path = tmp_path / "m.keras"
    path.write_bytes(b"old")
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    model.save(path, overwrite=False)
    assert path.read_bytes() == b"old"
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    model.save(path, overwrite=False)
    assert zipfile.is_zipfile(path) and "[TIP] Next time specify overwrite=True!" in capsys.readouterr().out


def test_failed_save_leaves_the_previous_file(tmp_path, monkeypatch):
    model, _, _ = _trained_mlp()
    path = tmp_path / "m.weights.h5"
    path.write_bytes(b"previous")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(saving.saving_api, "save_state", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        model.save_weights(path)
    assert path.read_bytes() == b"previous" and os.listdir(tmp_path) == ["m.weights.h5"]


# -- weights only --------------------------------------------------------------------------------------------
def test_weights_round_trip_including_optimizer(tmp_path):
    model, x, _ = _trained_mlp()
    model.save_weights(tmp_path / "m.weights.h5")
    other = _mlp()
    other.optimizer.build(other.trainable_variables)
    other.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_allclose(other.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)
    for ours, theirs in zip(_optimizer_values(other), _optimizer_values(model)):
        np.testing.assert_array_equal(ours, theirs)
    uncompiled = _mlp(compile=False)
    uncompiled.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_allclose(uncompiled.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)


def test_weights_file_layout(tmp_path):
    h5py = pytest.importorskip("h5py")
    model, _, _ = _trained_mlp()
    model.save_weights(tmp_path / "m.weights.h5")
    with h5py.File(tmp_path / "m.weights.h5") as file:
        assert file["vars"].attrs["name"] == model.name
        assert file["layers/dense/vars"].attrs["name"] == "dense"
        np.testing.assert_array_equal(file["layers/dense/vars/0"][()], model.layers[0].kernel.numpy())
        np.testing.assert_array_equal(file["layers/dense_1/vars/1"][()], model.layers[2].bias.numpy())
        assert len(file["layers/dropout/vars"]) == 0
        assert file["optimizer/vars"].attrs["name"] == model.optimizer.name
        assert file["optimizer/vars/0"][()] == 4  # iterations
        assert len(file["optimizer/vars"]) == len(model.optimizer.variables)


def test_load_weights_from_a_keras_archive(tmp_path):
    model, x, _ = _trained_mlp()
    model.save(tmp_path / "m.keras")
    other = _mlp(compile=False)
    other.load_weights(tmp_path / "m.keras")
    np.testing.assert_allclose(other.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)


def test_weights_argument_errors(tmp_path):
    model = _mlp()
    with pytest.raises(ValueError, match="The filename must end in `.weights.h5`. Received: filepath=.*m.h5"):
        model.save_weights(tmp_path / "m.h5")
    with pytest.raises(ValueError, match="You are saving a model that has not yet been built"):
        keras.Sequential([layers.Dense(2)]).save_weights(tmp_path / "u.weights.h5")
    with pytest.raises(ValueError, match="You are loading weights into a model that has not yet been built"):
        keras.Sequential([layers.Dense(2)]).load_weights(tmp_path / "u.weights.h5")
    with pytest.raises(ValueError, match="File format not supported"):
        model.load_weights(tmp_path / "m.ckpt")
    with pytest.raises(ValueError, match="`by_name` only supports loading legacy"):
        model.load_weights(tmp_path / "m.weights.h5", by_name=True)


def test_mismatched_weights_raise_or_warn(tmp_path):
    model, _, _ = _trained_mlp()
    model.save_weights(tmp_path / "m.weights.h5")
    wider = keras.Sequential([keras.Input((4,)), layers.Dense(6), layers.Dropout(0.2), layers.Dense(2)])
    before = wider.get_weights()
    with pytest.raises(ValueError, match="(?s)A total of 2 objects could not be loaded.*variable.shape=\\(4, 6\\)"):
        wider.load_weights(tmp_path / "m.weights.h5")
    with pytest.warns(UserWarning, match="A total of 2 objects could not be loaded"):
        wider.load_weights(tmp_path / "m.weights.h5", skip_mismatch=True)
    for ours, theirs in zip(wider.get_weights(), before):
        np.testing.assert_array_equal(ours, theirs)
    fewer = keras.Sequential([keras.Input((4,)), layers.Dense(5, use_bias=False), layers.Dropout(0.2),
                              layers.Dense(2)])
    with pytest.raises(ValueError, match="Layer 'dense_\\d+' expected 1 variables, but received 2 variables during "
                                         "loading. Expected: \\['kernel'\\]"):
        fewer.load_weights(tmp_path / "m.weights.h5")


def test_objects_to_skip(tmp_path):
    model, x, _ = _trained_mlp()
    saving.save_weights(model, tmp_path / "m.weights.h5", objects_to_skip=[model.layers[0]])
    other = _mlp(compile=False)
    first = other.layers[0].get_weights()
    saving.load_weights(other, tmp_path / "m.weights.h5", objects_to_skip=[other.layers[0]])
    for ours, theirs in zip(other.layers[0].get_weights(), first):
        np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(other.layers[2].kernel.numpy(), model.layers[2].kernel.numpy())


def test_missing_h5py_gives_a_clear_error(tmp_path, monkeypatch):
    model, _, _ = _trained_mlp()
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ImportError, match="h5py is required to save weights; pip install h5py"):
        model.save_weights(tmp_path / "m.weights.h5")
    assert os.listdir(tmp_path) == []


# -- callbacks that save -------------------------------------------------------------------------------------
def test_model_checkpoint_saves_loadable_models(tmp_path):
    x, y = _data(16)
    model = _mlp()
    pattern = str(tmp_path / "model-{epoch:02d}.keras")
    model.fit(x, y, epochs=2, verbose=0, callbacks=[keras.callbacks.ModelCheckpoint(pattern, monitor="loss")])
    assert sorted(os.listdir(tmp_path)) == ["model-01.keras", "model-02.keras"]
    restored = keras.models.load_model(tmp_path / "model-02.keras")
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)


def test_backup_and_restore_resumes_training(tmp_path):
    x, y = _data(16)

    class InterruptAt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise RuntimeError("interrupted")

    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    model = _mlp()
    with pytest.raises(RuntimeError, match="interrupted"):
        model.fit(x, y, epochs=4, verbose=0, callbacks=[backup, InterruptAt()])
    saved = model.get_weights()
    assert os.path.exists(tmp_path / "backup" / "latest.weights.h5")

    class Capture(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.weights = self.model.get_weights()

    capture = Capture()
    resumed = _mlp()
    resumed(x[:1])
    history = resumed.fit(x, y, epochs=4, verbose=0,
                          callbacks=[keras.callbacks.BackupAndRestore(str(tmp_path / "backup")), capture])
    assert len(history.history["loss"]) == 2  # epochs 3 and 4 only
    for restored, original in zip(capture.weights, saved):
        np.testing.assert_array_equal(restored, original)
    assert not os.path.exists(tmp_path / "backup")


def test_tf_namespace_reaches_saving():
    assert tf.keras.saving.save_model is saving.save_model
    assert tf.keras.models.load_model is saving.load_model


# -- legacy HDF5 files ---------------------------------------------------------------------------------------
def huber_fn(y_true, y_pred):
    error = y_true - y_pred
    small = tf.abs(error) < 1.0
    return tf.where(small, tf.square(error) / 2, tf.abs(error) - 0.5)


def my_softplus(z):
    return tf.math.log(tf.exp(z) + 1.0)


class HuberLoss(keras.losses.Loss):
    def __init__(self, threshold=1.0, **kwargs):
        self.threshold = threshold
        super().__init__(**kwargs)

    def call(self, y_true, y_pred):
        error = y_true - y_pred
        small = tf.abs(error) < self.threshold
        return tf.where(small, tf.square(error) / 2, self.threshold * tf.abs(error) - self.threshold ** 2 / 2)

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}


class MyDense(layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=[input_shape[-1], self.units], initializer="he_normal")
        self.bias = self.add_weight(name="bias", shape=[self.units], initializer="zeros")

    def call(self, x):
        return self.activation(x @ self.kernel + self.bias)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": keras.activations.serialize(self.activation)}


def test_legacy_h5_model_with_custom_parts(tmp_path, capsys):
    x, y = _data(16)
    model = keras.Sequential([keras.Input((4,)), MyDense(5, activation=my_softplus), layers.BatchNormalization(),
                              layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.Nadam(0.01), loss=HuberLoss(2.0), metrics=[huber_fn])
    model.fit(x, y, epochs=2, verbose=0)
    path = tmp_path / "my_model_with_many_custom_parts.h5"
    model.save(path)
    assert "WARNING:absl:You are saving your model as an HDF5 file" in capsys.readouterr().err
    with pytest.raises(TypeError, match="Could not locate class 'MyDense'"):
        keras.models.load_model(path)
    restored = keras.models.load_model(path, custom_objects={
        "MyDense": MyDense, "my_softplus": my_softplus, "HuberLoss": HuberLoss, "huber_fn": huber_fn})
    assert "Compiled the loaded model" in capsys.readouterr().err
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)
    assert isinstance(restored.loss, HuberLoss) and restored.loss.threshold == 2.0
    assert isinstance(restored.optimizer, keras.optimizers.Nadam)
    for ours, theirs in zip(_optimizer_values(restored), _optimizer_values(model), strict=True):
        np.testing.assert_array_equal(ours, theirs)
    assert set(restored.evaluate(x, y, verbose=0, return_dict=True)) == {"loss", "huber_fn"}


def test_legacy_h5_layout_and_weight_loading(tmp_path):
    h5py = pytest.importorskip("h5py")
    model, x, _ = _trained_mlp()
    model.save(tmp_path / "m.h5", include_optimizer=False)
    with h5py.File(tmp_path / "m.h5") as file:
        assert set(file.attrs) == {"backend", "keras_version", "model_config"}
        config = json.loads(file.attrs["model_config"])
        assert config["class_name"] == "Sequential"
        assert [set(layer) for layer in config["config"]["layers"]] == [{"class_name", "config"}] * 4
        assert list(file["model_weights"].attrs["layer_names"]) == ["dense", "dropout", "dense_1"]
        assert list(file["model_weights/dense"].attrs["weight_names"]) == ["sequential/dense/kernel",
                                                                           "sequential/dense/bias"]
        assert "optimizer_weights" not in file
    assert not keras.models.load_model(tmp_path / "m.h5").compiled
    other = _mlp(compile=False)
    other.load_weights(tmp_path / "m.h5")
    np.testing.assert_allclose(other.predict(x, verbose=0), model.predict(x, verbose=0), **TOL)
    wider = keras.Sequential([keras.Input((4,)), layers.Dense(6, name="dense"), layers.Dense(2, name="dense_1")])
    with pytest.raises(ValueError, match="Shape mismatch in layer #0 \\(named dense\\)for weight "
                                         "sequential_\\d+/dense/kernel. Weight expects shape \\(4, 6\\)"):
        wider.load_weights(tmp_path / "m.h5")
    with pytest.warns(UserWarning, match="Skipping loading weights for layer #[01] \\(named dense(_1)?\\)due to "
                                         "mismatch in shape"):
        wider.load_weights(tmp_path / "m.h5", by_name=True, skip_mismatch=True)
    smaller = keras.Sequential([keras.Input((4,)), layers.Dense(5)])
    with pytest.raises(ValueError, match="Layer count mismatch when loading weights from file. Model expected 1 "
                                         "layers, found 2 saved layers."):
        smaller.load_weights(tmp_path / "m.h5")
    by_name = keras.Sequential([keras.Input((4,)), layers.Dense(5, name="dense")])
    by_name.load_weights(tmp_path / "m.h5", by_name=True)
    np.testing.assert_array_equal(by_name.layers[0].kernel.numpy(), model.layers[0].kernel.numpy())


def test_long_name_lists_are_chunked_like_keras(tmp_path):
    h5py = pytest.importorskip("h5py")
    from ndflow.keras.saving import legacy_h5

    names = [f"layer_with_a_rather_long_name_{i:05d}" for i in range(3000)]
    with h5py.File(tmp_path / "names.h5", "w") as file:
        legacy_h5._set_names(file, "layer_names", names)
        assert "layer_names" not in file.attrs and "layer_names0" in file.attrs and "layer_names1" in file.attrs
        assert legacy_h5._names(file, "layer_names") == names
