"""Keras workflows at small scale: classification, regression, weighting, custom steps, callbacks, inputs."""
import warnings

import numpy as np
import pytest

import ndflow as tf
from ndflow import keras


def _blobs(n=300, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    centers = np.array([[0.0, 4.0], [4.0, -2.0], [-4.0, -2.0]])[:classes]
    labels = rng.integers(0, classes, n)
    return (centers[labels] + rng.normal(0, 0.6, (n, 2))).astype("float32"), labels


def _mlp(outputs=3, activation="softmax", hidden=16, **dense_kwargs):
    return keras.Sequential([keras.Input((2,)), keras.layers.Dense(hidden, activation="relu", **dense_kwargs),
                             keras.layers.Dense(outputs, activation=activation)])


def _numpy_forward(model, x):
    (w1, b1), (w2, b2) = [layer.get_weights() for layer in model.layers]
    h = np.maximum(x @ w1 + b1, 0)
    logits = h @ w2 + b2
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_mlp_classifier_learns():
    x, y = _blobs()
    model = _mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=15, batch_size=32, verbose=0)
    assert list(history.history) == ["accuracy", "loss"]
    assert history.params == {"verbose": 0, "epochs": 15, "steps": 10}
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy > 0.95
    probabilities = model.predict(x, verbose=0)
    assert probabilities.shape == (300, 3) and isinstance(probabilities, np.ndarray)
    np.testing.assert_allclose(probabilities, _numpy_forward(model, x), rtol=1e-4, atol=1e-6)
    expected_loss = -np.mean(np.log(probabilities[np.arange(300), y]))
    assert loss == pytest.approx(expected_loss, rel=1e-4)


def test_regression_with_metrics():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(256, 3)).astype("float32")
    y = x @ np.array([[1.5], [-2.0], [0.5]], dtype="float32") + 0.3
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=20, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 1e-3
    result = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(result) == ["loss", "mae"]
    prediction = model.predict(x, verbose=0)
    assert result["loss"] == pytest.approx(np.mean((prediction - y) ** 2), rel=1e-3, abs=1e-7)
    assert result["mae"] == pytest.approx(np.mean(np.abs(prediction - y)), rel=1e-3, abs=1e-7)


def test_class_weight_equals_sample_weight():
    x, y = _blobs(96)
    class_weight = {0: 1.0, 1: 3.0, 2: 0.5}
    first = _mlp()
    initial = first.get_weights()
    trained = []
    for weighting in (dict(class_weight=class_weight), dict(sample_weight=np.array([class_weight[c] for c in y]))):
        model = first if not trained else _mlp()
        model.set_weights(initial)
        model.compile(keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
        model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0, **weighting)
        trained.append(model.get_weights())
    for a, b in zip(*trained):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    assert not np.allclose(trained[0][0], initial[0])


def test_sample_weight_in_evaluate_and_weighted_metrics():
    x, y = _blobs(64)
    model = _mlp()
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"], weighted_metrics=["accuracy"])
    weights = np.linspace(0.0, 2.0, 64).astype("float32")
    result = model.evaluate(x, y, sample_weight=weights, batch_size=64, verbose=0, return_dict=True)
    probabilities = _numpy_forward(model, x)
    per_sample = -np.log(probabilities[np.arange(64), y])
    assert result["loss"] == pytest.approx(np.sum(per_sample * weights) / 64, rel=1e-4)
    correct = probabilities.argmax(axis=1) == y
    assert result["accuracy"] == pytest.approx(correct.mean(), rel=1e-6)
    assert result["weighted_accuracy"] == pytest.approx(np.sum(correct * weights) / weights.sum(), rel=1e-5)


def test_validation_split_uses_the_last_samples_before_shuffling():
    x, y = _blobs(50)
    model = _mlp()
    model.compile(keras.optimizers.SGD(0.0), "sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=1, validation_split=0.2, verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(model.evaluate(x[40:], y[40:], verbose=0), rel=1e-6)
    assert history.history["loss"][0] == pytest.approx(model.evaluate(x[:40], y[:40], verbose=0), rel=1e-6)
    with pytest.raises(ValueError, match="not sufficient to split it"):
        model.fit(x[:1], y[:1], validation_split=0.1, verbose=0)


def test_validation_data_and_frequency():
    x, y = _blobs(60)
    model = _mlp()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=4, validation_data=(x[:20], y[:20]), validation_freq=[2, 4], verbose=0)
    assert list(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert len(history.history["loss"]) == 4 and len(history.history["val_loss"]) == 2
    with pytest.raises(ValueError, match="Expected `validation_freq` to be a list or int"):
        model.fit(x, y, validation_data=(x, y), validation_freq="often", verbose=0)


def test_losses_from_regularizers_and_add_loss_are_added():
    class Penalty(keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(0.5 * tf.reduce_mean(inputs))
            return inputs

    rng = np.random.default_rng(2)
    x = rng.random((16, 2)).astype("float32")
    y = rng.random((16, 1)).astype("float32")
    model = keras.Sequential([keras.Input((2,)), Penalty(), keras.layers.Dense(1, kernel_regularizer="l2")])
    model.compile("sgd", "mse")
    loss = model.evaluate(x, y, batch_size=16, verbose=0)
    kernel, bias = model.layers[1].get_weights()
    mse = np.mean((x @ kernel + bias - y) ** 2)
    expected = mse + 0.01 * np.sum(kernel ** 2) + 0.5 * x.mean()
    assert loss == pytest.approx(expected, rel=1e-5)


def test_custom_train_step_and_metrics_property():
    class Custom(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)
            self.loss_tracker = keras.metrics.Mean(name="my_loss")

        def call(self, inputs):
            return self.dense(inputs)

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(self(x, training=True) - y))
            grads = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
            self.loss_tracker.update_state(loss)
            return {"my_loss": self.loss_tracker.result()}

    rng = np.random.default_rng(3)
    x = rng.normal(size=(64, 2)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = Custom()
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    history = model.fit(x, y, epochs=10, batch_size=16, verbose=0)
    assert list(history.history) == ["my_loss"]
    assert history.history["my_loss"][-1] < 0.05 * history.history["my_loss"][0]
    assert model.loss_tracker in model.metrics
    assert "my_loss" in model.metrics_names


def test_custom_compute_loss_without_training_argument():
    class Scaled(keras.Sequential):
        def compute_loss(self, x, y, y_pred, sample_weight=None):
            return 10.0 * tf.reduce_mean(tf.square(y_pred - y))

    model = Scaled([keras.Input((1,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile("sgd")
    x = np.ones((4, 1), "float32")
    assert model.evaluate(x, np.zeros((4, 1), "float32"), verbose=0) == pytest.approx(10.0)


def test_subclassed_model_built_inside_the_traced_step():
    class TwoLayers(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(8, activation="relu")
            self.out = keras.layers.Dense(3, activation="softmax")

        def call(self, inputs, training=None):
            return self.out(self.hidden(inputs))

    x, y = _blobs(80)
    model = TwoLayers()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=3, batch_size=32, verbose=0)
    assert model.built and len(model.trainable_weights) == 4
    assert all(isinstance(w.numpy(), np.ndarray) for w in model.weights)


def test_traced_once_per_batch_shape():
    x, y = _blobs(70)
    model = _mlp()
    model.compile("sgd", "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=3, batch_size=32, verbose=0)
    assert model.train_function.traced.experimental_get_tracing_count() == 2  # full batches + the last one
    eager = _mlp()
    eager.set_weights(model.get_weights())
    eager.compile("sgd", "sparse_categorical_crossentropy", run_eagerly=True)
    np.testing.assert_allclose(eager.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0), rtol=1e-6)
    assert not hasattr(eager.test_function, "traced") or eager.test_function.traced is None


def test_multi_output_dict_outputs_and_predict_structure():
    inputs = keras.Input((2,), name="features")
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    outputs = {"score": keras.layers.Dense(1, name="score")(hidden),
               "kind": keras.layers.Dense(3, activation="softmax", name="kind")(hidden)}
    model = keras.Model(inputs, outputs)
    model.compile("adam", loss={"score": "mse", "kind": "sparse_categorical_crossentropy"},
                  metrics={"kind": "accuracy"})
    x, y = _blobs(64)
    history = model.fit(x, {"score": x[:, :1], "kind": y}, epochs=2, batch_size=16, verbose=0)
    assert set(history.history) == {"loss", "kind_loss", "score_loss", "kind_accuracy"}
    prediction = model.predict(x, verbose=0)
    assert set(prediction) == {"score", "kind"} and prediction["kind"].shape == (64, 3)


def test_accuracy_resolution():
    x, y = _blobs(40, classes=2)
    for model, target, loss, expected in (
            (_mlp(1, "sigmoid"), y.reshape(-1, 1), "binary_crossentropy", "BinaryAccuracy"),
            (_mlp(2), y, "sparse_categorical_crossentropy", "SparseCategoricalAccuracy"),
            (_mlp(2), np.eye(2)[y], "categorical_crossentropy", "CategoricalAccuracy")):
        model.compile("sgd", loss, metrics=["acc"])
        model.fit(x, target, epochs=1, verbose=0)
        metric = model.metrics[1].metrics[0]
        assert type(metric).__name__ == expected and metric.name == "acc"


def test_steps_per_execution_calls_batch_hooks_every_n_batches():
    seen = []
    x, y = _blobs(50)
    model = _mlp()
    model.compile("sgd", "sparse_categorical_crossentropy", steps_per_execution=2)
    hooks = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(batch))
    model.fit(x, y, batch_size=10, callbacks=[hooks], verbose=0)
    assert seen == [1, 3, 5]


def test_stop_training_from_a_callback():
    x, y = _blobs(40)
    model = _mlp()
    model.compile("sgd", "sparse_categorical_crossentropy")

    def stop(epoch, logs):
        model.stop_training = epoch == 1

    history = model.fit(x, y, epochs=5, callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=stop)], verbose=0)
    assert history.epoch == [0, 1]


def test_early_stopping_restores_best_weights():
    x, y = _blobs(40)
    model = _mlp()
    model.compile(keras.optimizers.SGD(0.05), "sparse_categorical_crossentropy")
    scripted = [0.5, 0.3, 0.4, 0.45, 0.2]
    snapshots = []

    class Script(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = scripted[epoch]  # callbacks share one logs dict
            snapshots.append(self.model.get_weights())

    stopper = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    history = model.fit(x, y, epochs=5, callbacks=[Script(), stopper], verbose=0)
    assert history.epoch == [0, 1, 2, 3] and stopper.stopped_epoch == 3 and stopper.best_epoch == 1
    for restored, best in zip(model.get_weights(), snapshots[1]):
        np.testing.assert_array_equal(restored, best)


def test_learning_rate_scheduler_in_fit_logs_the_rate():
    x, y = _blobs(32)
    model = _mlp()
    model.compile(keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
    scheduler = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1))
    history = model.fit(x, y, epochs=3, callbacks=[scheduler], verbose=0)
    np.testing.assert_allclose(history.history["learning_rate"], [0.1, 0.05, 0.1 / 3], rtol=1e-6)


def test_csv_logger_in_fit(tmp_path):
    x, y = _blobs(32)
    model = _mlp()
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    path = tmp_path / "log.csv"
    model.fit(x, y, epochs=2, validation_data=(x, y), callbacks=[keras.callbacks.CSVLogger(str(path))], verbose=0)
    lines = path.read_text().splitlines()
    assert lines[0] == "epoch,accuracy,loss,val_accuracy,val_loss" and len(lines) == 3


def test_model_checkpoint_in_fit(tmp_path):
    model = _mlp()
    x, y = _blobs(32)
    model.compile("sgd", "sparse_categorical_crossentropy")
    pattern = str(tmp_path / "ckpt-{epoch:02d}.weights.h5")
    model.fit(x, y, epochs=2, callbacks=[keras.callbacks.ModelCheckpoint(pattern, save_weights_only=True,
                                                                           monitor="loss")], verbose=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt-01.weights.h5", "ckpt-02.weights.h5"]


# -- inputs ----------------------------------------------------------------------------------------------------
def _trained(data_kwargs, epochs=2, **fit_kwargs):
    model = _mlp()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model, model.fit(epochs=epochs, verbose=0, **data_kwargs, **fit_kwargs)


def test_tensor_inputs():
    x, y = _blobs(64)
    model, history = _trained(dict(x=tf.constant(x), y=tf.constant(y)))
    assert len(history.history["loss"]) == 2
    np.testing.assert_allclose(model.predict(tf.constant(x), verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_generator_input_replays_its_first_batches():
    x, y = _blobs(64)

    def batches():
        for i in range(4):
            yield x[i * 16:(i + 1) * 16], y[i * 16:(i + 1) * 16]

    seen = []
    counter = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(batch))
    with pytest.warns(UserWarning, match="Your input ran out of data"):
        _trained(dict(x=batches()), callbacks=[counter], shuffle=False)
    assert seen == [0, 1, 2, 3, 0, 1]  # Keras replays the two batches it peeked at


def test_generator_with_sample_weights_and_steps_per_epoch():
    x, y = _blobs(64)

    def forever():
        while True:
            yield x[:16], y[:16], np.ones(16, "float32")

    _, history = _trained(dict(x=forever()), epochs=3, steps_per_epoch=2, shuffle=False)
    assert len(history.history["loss"]) == 3 and history.params["steps"] == 2


def test_py_dataset_input_shuffles_batches_and_calls_epoch_end():
    x, y = _blobs(60)

    class Batches(keras.utils.PyDataset):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.epochs_ended = 0
            self.requested = []

        def __len__(self):
            return 3

        def __getitem__(self, index):
            self.requested.append(index)
            return x[index * 20:(index + 1) * 20], y[index * 20:(index + 1) * 20]

        def on_epoch_end(self):
            self.epochs_ended += 1

    for workers in (1, 2):
        data = Batches(workers=workers)
        _, history = _trained(dict(x=data), epochs=2)
        assert data.epochs_ended == 2 and sorted(data.requested) == [0, 0, 1, 1, 2, 2]
        assert history.params["steps"] == 3
    assert keras.utils.Sequence is keras.utils.PyDataset


def test_multi_input_list_and_dict():
    a = keras.Input((2,), name="left")
    b = keras.Input((1,), name="right")
    out = keras.layers.Dense(1)(keras.layers.Concatenate()([a, b]))
    model = keras.Model([a, b], out)
    model.compile("sgd", "mse")
    rng = np.random.default_rng(4)
    left, right = rng.random((20, 2)).astype("float32"), rng.random((20, 1)).astype("float32")
    target = rng.random((20, 1)).astype("float32")
    model.fit([left, right], target, epochs=1, verbose=0)
    np.testing.assert_allclose(model.evaluate({"left": left, "right": right}, target, verbose=0),
                               model.evaluate([left, right], target, verbose=0), rtol=1e-6)


def test_iterable_dataset_input():
    x, y = _blobs(40)

    class Dataset:
        """Duck-typed like ``ndflow.data.Dataset``: re-iterable, yields tuples of batch tensors."""

        def __iter__(self):
            for i in range(0, 40, 10):
                yield tf.constant(x[i:i + 10]), tf.constant(y[i:i + 10])

        def __len__(self):
            return 4

    _, history = _trained(dict(x=Dataset()), shuffle=False)
    assert history.params["steps"] == 4


def test_ndflow_data_dataset():
    x, y = _blobs(40)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(40, seed=0).batch(10).prefetch(tf.data.AUTOTUNE)
    model, history = _trained(dict(x=dataset, shuffle=False))
    assert len(history.history["loss"]) == 2 and history.params["steps"] == 4
    loss, accuracy = model.evaluate(tf.data.Dataset.from_tensor_slices((x, y)).batch(8), verbose=0)
    assert loss == pytest.approx(model.evaluate(x, y, verbose=0)[0], rel=1e-5)
    predictions = model.predict(tf.data.Dataset.from_tensor_slices(x).batch(16), verbose=0)
    np.testing.assert_allclose(predictions, model.predict(x, verbose=0), rtol=1e-6)
    with pytest.raises(ValueError, match="When providing `x` as a tf.data.Dataset, `y` should not be passed"):
        model.fit(dataset, y, verbose=0)
    with pytest.warns(UserWarning, match="provided as a tf.data.Dataset. The Dataset is expected"):
        model.fit(dataset, epochs=1, shuffle=True, verbose=0)


# -- errors ----------------------------------------------------------------------------------------------------
def test_errors_like_keras():
    x, y = _blobs(20)
    model = _mlp()
    with pytest.raises(ValueError, match=r"You must call `compile\(\)` before using the model."):
        model.fit(x, y, verbose=0)
    model.compile("sgd", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="Data cardinality is ambiguous"):
        model.fit(x, y[:10], verbose=0)
    with pytest.raises(ValueError, match="When providing `x` as a generator, `y` should not be passed"):
        model.fit((b for b in [(x, y)]), y, verbose=0)
    with pytest.raises(ValueError, match="Unrecognized data type"):
        model.fit("data.csv", verbose=0)
    with pytest.raises(ValueError, match="Arguments not recognized"):
        model.evaluate(x, y, verbose=0, unknown=1)
    with pytest.raises(ValueError, match="You cannot `class_weight` and `sample_weight` at the same time."):
        model.fit(x, y, class_weight={0: 1.0}, sample_weight=np.ones(20), verbose=0)
    with pytest.raises(ValueError, match="Expected `metrics` argument to be a list, tuple, or dict"):
        model.compile("sgd", "mse", metrics="accuracy")
    bare = _mlp()
    bare.compile("sgd")
    with pytest.raises(ValueError, match="No loss to compute"):
        bare.evaluate(x, y, verbose=0)


def test_on_batch_methods():
    x, y = _blobs(32)
    model = _mlp()
    model.compile(keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy", metrics=["accuracy"])
    before = model.get_weights()
    logs = model.train_on_batch(x, y, return_dict=True)
    assert list(logs) == ["accuracy", "loss"]
    assert not np.allclose(before[0], model.get_weights()[0])
    loss, accuracy = model.test_on_batch(x, y)
    assert 0.0 <= accuracy <= 1.0 and loss > 0
    np.testing.assert_allclose(model.predict_on_batch(x), _numpy_forward(model, x), rtol=1e-4, atol=1e-6)
    with pytest.raises(ValueError, match="`sample_weight` and `class_weight` cannot be specified at the same time"):
        model.train_on_batch(x, y, sample_weight=np.ones(32), class_weight={0: 2.0})
    weighted = model.train_on_batch(x, y, class_weight={0: 2.0, 1: 1.0, 2: 1.0})
    assert len(weighted) == 2


def test_no_trainable_weights_warns():
    model = _mlp()
    model.compile("sgd", "sparse_categorical_crossentropy", run_eagerly=True)
    model.trainable = False
    x, y = _blobs(8)
    with pytest.warns(UserWarning, match="The model does not have any trainable weights."):
        model.fit(x, y, verbose=0)


def test_fit_returns_history_attached_to_the_model():
    x, y = _blobs(16)
    model = _mlp()
    model.compile("sgd", "sparse_categorical_crossentropy")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = model.fit(x, y, verbose=0)
    assert model.history is history and history.model is model


def test_deferred_build_with_batch_norm_and_dropout_in_the_traced_step():
    x, y = _blobs(64)
    model = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.BatchNormalization(),
                              keras.layers.Dropout(0.5), keras.layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    assert model.built and [w.name for w in model.layers[1].weights] == ["gamma", "beta", "moving_mean",
                                                                         "moving_variance"]
    assert not np.allclose(model.layers[1].moving_mean.numpy(), 0.0)  # updated by the traced training step
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))  # no dropout


def test_broadcast_to_a_run_time_shape_in_a_traced_step():
    """Metrics broadcast sample weights to ``tf.shape(values)``; inside ``ndflow.function`` that is a graph tensor."""
    @tf.function
    def spread(value, like):
        return tf.broadcast_to(value, tf.shape(like)), tf.broadcast_to(value > 0, tf.shape(like))

    numbers, flags = spread(tf.constant([1.5, -2.0]), tf.zeros((3, 2)))
    np.testing.assert_array_equal(numbers.numpy(), np.broadcast_to([1.5, -2.0], (3, 2)))
    np.testing.assert_array_equal(flags.numpy(), np.broadcast_to([True, False], (3, 2)))
