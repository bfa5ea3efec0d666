"""The Sequential MLP classifier (inventory 001b §(d)/(e) 'Fashion MNIST', 003 §(j) containers and metrics).

The book trains on Fashion-MNIST; here the same programs run on the bundled 8×8 digits.
"""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from tests.spec.keras_spec_data import digits_images

CLASS_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


@pytest.fixture(autouse=True)
def fresh_session():
    keras.backend.clear_session()
    # the book's np.random.seed + tf.random.set_seed is not enough in Keras 3: unseeded initializers draw from
    # Python's `random`, which set_random_seed seeds too
    keras.utils.set_random_seed(42)


def test_sequential_built_with_add_has_the_books_parameter_counts_names_and_weights(capsys):
    model = keras.models.Sequential()
    model.add(keras.layers.Flatten(input_shape=[28, 28]))
    model.add(keras.layers.Dense(300, activation="relu"))
    model.add(keras.layers.Dense(100, activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.summary()
    out = capsys.readouterr().out
    assert "Total params: 266,610" in out
    assert "Trainable params: 266,610" in out and "Non-trainable params: 0" in out
    assert "(None, 784)" in out and "(None, 300)" in out

    assert [layer.name for layer in model.layers] == ["flatten", "dense", "dense_1", "dense_2"]
    assert [layer.count_params() for layer in model.layers] == [0, 235_500, 30_100, 1_010]
    hidden1 = model.layers[1]
    assert hidden1.name == "dense"
    assert model.get_layer(hidden1.name) is hidden1
    weights, biases = hidden1.get_weights()
    assert weights.shape == (784, 300) and biases.shape == (300,)
    assert np.all(biases == 0) and weights.std() > 0  # kernels start random, biases at zero
    hidden1.set_weights([np.ones_like(weights), biases + 1])
    assert np.all(hidden1.get_weights()[0] == 1) and np.all(hidden1.bias.numpy() == 1)


def test_list_form_and_input_layer_are_equivalent():
    by_list = keras.models.Sequential([
        keras.layers.Flatten(input_shape=[28, 28]),
        keras.layers.Dense(300, activation="relu"),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    with_input_layer = keras.models.Sequential([
        keras.layers.InputLayer(shape=[28, 28]),
        keras.layers.Flatten(),
        keras.layers.Dense(300, activation=keras.activations.relu),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    assert by_list.count_params() == with_input_layer.count_params() == 266_610
    assert by_list.output_shape == with_input_layer.output_shape == (None, 10)


def test_deferred_build_has_no_weights_until_built(capsys):
    model = keras.models.Sequential([keras.layers.Dense(30, activation="relu"), keras.layers.Dense(1)])
    assert not model.built and model.weights == []
    model.summary()  # Keras 3 prints the layers as unbuilt instead of refusing
    assert "0 (unbuilt)" in capsys.readouterr().out
    model.build(input_shape=(None, 8))
    assert model.count_params() == 30 * 8 + 30 + 31


def test_compile_fit_history_evaluate_predict_on_digits(capsys):
    X_train, y_train, X_valid, y_valid, X_test, y_test = digits_images()
    model = keras.models.Sequential([
        keras.layers.Flatten(input_shape=[8, 8]),
        keras.layers.Dense(300, activation="relu"),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=12, validation_data=(X_valid, y_valid))
    out = capsys.readouterr().out
    assert "Epoch 1/12" in out and "Epoch 12/12" in out
    assert "38/38" in out and "val_accuracy:" in out  # 1200 samples at the default batch size 32

    assert history.params == {"verbose": "auto", "epochs": 12, "steps": 38}
    assert history.epoch == list(range(12))
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(values) == 12 for values in history.history.values())
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert history.history["val_accuracy"][-1] > 0.85

    history = model.fit(X_train, y_train, epochs=18, validation_data=(X_valid, y_valid), verbose=0)  # continues
    assert history.history["loss"][0] < losses[-1]

    test_loss, test_accuracy = model.evaluate(X_test, y_test, verbose=0)
    assert test_accuracy > 0.9 and test_loss < 0.35

    X_new = X_test[:3]
    y_proba = model.predict(X_new, verbose=0)
    assert y_proba.shape == (3, 10) and y_proba.dtype == np.float32
    np.testing.assert_allclose(y_proba.sum(axis=1), 1.0, rtol=1e-5)
    assert y_proba.round(2).max() <= 1.0
    y_pred = np.argmax(model.predict(X_new, verbose=0), axis=-1)
    assert list(np.array(CLASS_NAMES)[y_pred]) == list(np.array(CLASS_NAMES)[y_test[:3]])


def test_fit_with_one_hot_targets_and_validation_split():
    X_train, y_train, *_ = digits_images()
    y_onehot = keras.utils.to_categorical(y_train)
    assert y_onehot.shape == (1200, 10)
    assert np.array_equal(np.argmax(y_onehot, axis=1), y_train)
    model = keras.models.Sequential([
        keras.layers.Flatten(input_shape=[8, 8]),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=0.1),
                  metrics=["accuracy"])
    history = model.fit(X_train, y_onehot, epochs=5, batch_size=64, validation_split=0.2, verbose=0)
    assert history.params["steps"] == 15  # 960 training samples at batch 64
    assert history.history["val_accuracy"][-1] > 0.85


def test_tf_notes_containers_and_build_summary(capsys):
    network = keras.Sequential([keras.layers.Dense(3, activation=None), keras.layers.ReLU(),
                                keras.layers.Dense(3, activation=None), keras.layers.ReLU()])
    out = network(tf.random.normal([4, 3]))
    assert out.shape == (4, 3) and np.all(out.numpy() >= 0)

    model = tf.keras.Sequential()
    model.add(tf.keras.layers.Dense(8))
    model.add(tf.keras.layers.Dense(4))
    model.build(input_shape=(5, 5))
    model.summary()
    text = capsys.readouterr().out
    rows = [line for line in text.splitlines() if "(Dense)" in line]
    assert "(5, 8)" in rows[0] and rows[0].rstrip("│ ").endswith("48")
    assert "(5, 4)" in rows[1] and rows[1].rstrip("│ ").endswith("36")
    assert "Total params: 84" in text


def test_tf_notes_compile_with_logits_and_validation_freq():
    X_train, y_train, X_valid, y_valid, *_ = digits_images()
    x_train, x_valid = X_train.reshape(-1, 64), X_valid.reshape(-1, 64)
    y_train, y_valid = tf.one_hot(y_train, depth=10), tf.one_hot(y_valid, depth=10)
    model = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    his_log = model.fit(x_train, y_train, epochs=5, validation_data=(x_valid, y_valid), validation_freq=2,
                        verbose=0)
    assert len(his_log.history["loss"]) == len(his_log.history["accuracy"]) == 5
    assert len(his_log.history["val_loss"]) == len(his_log.history["val_accuracy"]) == 2
    assert his_log.history["val_accuracy"][-1] > 0.9
    logits = model.predict(x_valid, verbose=0)
    assert logits.shape == (250, 10) and logits.min() < 0  # raw scores: the loss applies the softmax


def test_tf_notes_fit_on_a_dataset_pipeline():
    X_train, y_train, X_valid, y_valid, *_ = digits_images()

    def preprocess(x, y):
        x = tf.reshape(tf.cast(x, dtype=tf.float32), [-1, 64])
        return x, tf.one_hot(y, depth=10)

    train_db = tf.data.Dataset.from_tensor_slices((X_train, y_train)).shuffle(10000).batch(128).map(preprocess)
    val_db = tf.data.Dataset.from_tensor_slices((X_valid, y_valid)).batch(128).map(preprocess)
    model = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    his_log = model.fit(train_db, epochs=5, validation_data=val_db, validation_freq=2, verbose=0)
    assert len(his_log.history["val_accuracy"]) == 2
    assert model.evaluate(val_db, verbose=0)[1] > 0.9


def test_tf_notes_metrics_in_a_hand_written_loop():
    loss_meter = keras.metrics.Mean()
    for value in (1.0, 2.0, 3.0):
        loss_meter.update_state(float(tf.constant(value)))
    assert float(loss_meter.result()) == 2.0
    loss_meter.reset_state()
    assert float(loss_meter.result()) == 0.0
    assert not hasattr(loss_meter, "reset_states")  # Keras 3 renamed it

    acc_meter = keras.metrics.Accuracy()
    acc_meter.update_state([1, 2, 3, 4], [1, 2, 0, 4])
    assert acc_meter.result().numpy() == pytest.approx(0.75)

    X_train, y_train, X_valid, y_valid, *_ = digits_images()
    model = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(10)])
    optimizer = keras.optimizers.Adam(learning_rate=0.01)
    criteon = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    x_all, y_all = X_train.reshape(-1, 64), y_train
    first_mean = None
    for step in range(60):
        x, y = x_all[(step * 64) % 1152:][:64], y_all[(step * 64) % 1152:][:64]
        with tf.GradientTape() as tape:
            loss = criteon(y, model(x))
        grads = tape.gradient(loss, model.trainable_variables)
        grads, _ = tf.clip_by_global_norm(grads, 25)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        loss_meter.update_state(float(loss))
        if step % 20 == 19:
            first_mean = first_mean if first_mean is not None else float(loss_meter.result())
            last_mean = float(loss_meter.result())
            loss_meter.reset_state()
    assert last_mean < 0.5 * first_mean
    acc_meter.reset_state()
    pred = tf.cast(tf.argmax(model(X_valid.reshape(-1, 64)), axis=1), dtype=tf.int32)
    acc_meter.update_state(y_valid, pred)
    assert acc_meter.result().numpy() > 0.85
