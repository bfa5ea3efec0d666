"""Transfer learning (inventory 001c §(a) 'Transfer learning', §(d) 'Transfer learning on tf_flowers'; 003 §(j)
6.6): reuse a trained model's layers, clone, freeze, recompile, fine-tune. Task A: digits without 5 and 6
(8 classes); task B: "is it a 6?" with few labels. Learning rates are raised for the 40× smaller data.
"""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from tests.spec.keras_spec_data import digits_images


@pytest.fixture(autouse=True)
def fresh_session():
    keras.backend.clear_session()
    # the book's np.random.seed + tf.random.set_seed is not enough in Keras 3: unseeded initializers draw from
    # Python's `random`, which set_random_seed seeds too
    keras.utils.set_random_seed(42)


def split_dataset(X, y):
    y_5_or_6 = (y == 5) | (y == 6)  # sandals or shirts in the book
    y_A = y[~y_5_or_6]
    y_A[y_A > 6] -= 2  # class indices 7, 8, 9 should be moved to 5, 6, 7
    y_B = (y[y_5_or_6] == 6).astype(np.float32)  # binary classification task: is it a shirt (class 6)?
    return ((X[~y_5_or_6], y_A), (X[y_5_or_6], y_B))


@pytest.fixture(scope="module")
def tasks():
    X_train, y_train, X_valid, y_valid, X_test, y_test = digits_images()
    (X_train_A, y_train_A), (X_train_B, y_train_B) = split_dataset(X_train, y_train)
    (X_valid_A, y_valid_A), (X_valid_B, y_valid_B) = split_dataset(X_valid, y_valid)
    (X_test_A, y_test_A), (X_test_B, y_test_B) = split_dataset(X_test, y_test)
    return {"A": (X_train_A, y_train_A, X_valid_A, y_valid_A, X_test_A, y_test_A),
            "B": (X_train_B[:40], y_train_B[:40], X_valid_B, y_valid_B, X_test_B, y_test_B),
            "B_all": (X_train_B, y_train_B, X_valid_B, y_valid_B, X_test_B, y_test_B)}


def build_model(output_layer, input_shape=(8, 8)):
    model = keras.models.Sequential()
    model.add(keras.layers.Flatten(input_shape=input_shape))
    for n_hidden in (300, 100, 50, 50, 50):
        model.add(keras.layers.Dense(n_hidden, activation="selu"))
    model.add(output_layer)
    return model


@pytest.fixture()
def model_A(tasks):
    X_train_A, y_train_A, X_valid_A, y_valid_A, *_ = tasks["A"]
    model = build_model(keras.layers.Dense(8, activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1e-2),
                  metrics=["accuracy"])
    history = model.fit(X_train_A, y_train_A, epochs=10, validation_data=(X_valid_A, y_valid_A), verbose=0)
    assert history.history["val_accuracy"][-1] > 0.9
    return model


def test_the_books_parameter_counts():
    assert build_model(keras.layers.Dense(8, activation="softmax"), [28, 28]).count_params() == 276_158
    assert build_model(keras.layers.Dense(1, activation="sigmoid"), [28, 28]).count_params() == 275_801


def test_split_dataset(tasks):
    X_train_A, y_train_A, *_ = tasks["A"]
    X_train_B, y_train_B, *_ = tasks["B"]
    assert sorted(set(y_train_A)) == list(range(8))
    assert len(X_train_B) == 40 and set(y_train_B) == {0.0, 1.0}


def test_reusing_layers_shares_them_and_cloning_does_not(model_A, tasks):
    X_train_B, y_train_B, *_ = tasks["B"]
    model_B_on_A = keras.models.Sequential(model_A.layers[:-1])
    model_B_on_A.add(keras.layers.Dense(1, activation="sigmoid"))
    assert model_B_on_A.layers[0] is model_A.layers[0]
    kernel_before = model_A.layers[1].kernel.numpy().copy()
    model_B_on_A.compile(loss="binary_crossentropy", optimizer="sgd", metrics=["accuracy"])
    model_B_on_A.fit(X_train_B, y_train_B, epochs=1, verbose=0)
    assert not np.array_equal(model_A.layers[1].kernel.numpy(), kernel_before)  # training B changed A

    model_A_clone = keras.models.clone_model(model_A)
    assert model_A_clone.layers[1] is not model_A.layers[1]
    assert not np.array_equal(model_A_clone.layers[1].kernel.numpy(), model_A.layers[1].kernel.numpy())
    model_A_clone.set_weights(model_A.get_weights())  # clone_model does not copy the weights
    for a, b in zip(model_A_clone.get_weights(), model_A.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_freeze_train_unfreeze_fine_tune(model_A, tasks):
    X_train_B, y_train_B, X_valid_B, y_valid_B, X_test_B, y_test_B = tasks["B"]
    model_A_clone = keras.models.clone_model(model_A)
    model_A_clone.set_weights(model_A.get_weights())
    model_B_on_A = keras.models.Sequential(model_A_clone.layers[:-1])
    model_B_on_A.add(keras.layers.Dense(1, activation="sigmoid"))

    for layer in model_B_on_A.layers[:-1]:
        layer.trainable = False
    model_B_on_A.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1e-2),
                         metrics=["accuracy"])
    frozen = [w.copy() for w in model_B_on_A.layers[1].get_weights()]
    history = model_B_on_A.fit(X_train_B, y_train_B, epochs=4, validation_data=(X_valid_B, y_valid_B), verbose=0)
    assert len(model_B_on_A.trainable_weights) == 2  # built on the first batch: only the new output layer
    for before, after in zip(frozen, model_B_on_A.layers[1].get_weights()):
        np.testing.assert_array_equal(before, after)

    for layer in model_B_on_A.layers[:-1]:
        layer.trainable = True
    model_B_on_A.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1e-2),
                         metrics=["accuracy"])  # recompile after every freeze or unfreeze
    assert len(model_B_on_A.trainable_weights) == 12
    history = model_B_on_A.fit(X_train_B, y_train_B, epochs=16, validation_data=(X_valid_B, y_valid_B), verbose=0)
    assert not np.array_equal(model_B_on_A.layers[1].get_weights()[0], frozen[0])
    assert history.history["val_accuracy"][-1] > 0.9
    assert model_B_on_A.evaluate(X_test_B, y_test_B, verbose=0)[1] > 0.9

    model_B = build_model(keras.layers.Dense(1, activation="sigmoid"))
    model_B.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1e-2),
                    metrics=["accuracy"])
    model_B.fit(X_train_B, y_train_B, epochs=20, validation_data=(X_valid_B, y_valid_B), verbose=0)
    assert model_B.evaluate(X_test_B, y_test_B, verbose=0)[1] > 0.5  # from scratch, for comparison


def test_reuse_a_saved_model(model_A, tasks, tmp_path):
    path = str(tmp_path / "my_model_A.keras")
    model_A.save(path)
    reloaded = keras.models.load_model(path)
    model_B_on_A = keras.models.Sequential(reloaded.layers[:-1])
    model_B_on_A.add(keras.layers.Dense(1, activation="sigmoid"))
    X_test_A = tasks["A"][4]
    np.testing.assert_allclose(reloaded.predict(X_test_A, verbose=0), model_A.predict(X_test_A, verbose=0),
                               rtol=1e-5)
    assert model_B_on_A.predict(tasks["B"][4], verbose=0).shape == (len(tasks["B"][4]), 1)


def conv_base(tasks):
    """A small CNN trained on task A, standing in for a pretrained ImageNet model without its top."""
    X_train_A, y_train_A, *_ = tasks["A"]
    base = keras.models.Sequential([
        keras.layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=[8, 8, 1]),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
    ])
    pretrain = keras.models.Sequential([base, keras.layers.GlobalAveragePooling2D(),
                                        keras.layers.Dense(8, activation="softmax")])
    pretrain.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    pretrain.fit(X_train_A[..., np.newaxis], y_train_A, epochs=4, verbose=0)
    return base


def test_tf_notes_frozen_backbone_in_a_sequential(tasks, capsys):
    base = conv_base(tasks)
    base.trainable = False
    global_average_layer = keras.layers.GlobalAveragePooling2D()
    fc = keras.layers.Dense(100)
    x = tf.random.normal([4, 8, 8, 1])
    out = base(x)
    assert out.shape == (4, 4, 4, 64)
    assert global_average_layer(out).shape == (4, 64) and fc(global_average_layer(out)).shape == (4, 100)
    mynet = keras.Sequential([base, global_average_layer, fc])
    mynet.summary()
    text = capsys.readouterr().out
    assert f"Non-trainable params: {base.count_params():,}" in text
    assert f"Trainable params: {fc.count_params():,}" in text


def test_functional_transfer_with_a_frozen_then_unfrozen_base(tasks):
    X_train_B, y_train_B, X_valid_B, y_valid_B, X_test_B, y_test_B = tasks["B_all"]  # about 260 images
    X_train_B, X_valid_B, X_test_B = (X[..., np.newaxis] for X in (X_train_B, X_valid_B, X_test_B))
    base_model = conv_base(tasks)
    avg = keras.layers.GlobalAveragePooling2D()(base_model.output)
    output = keras.layers.Dense(2, activation="softmax")(avg)
    model = keras.models.Model(inputs=base_model.input, outputs=output)
    assert model.layers[1] is base_model.layers[0] and len(model.layers) == 6

    for layer in base_model.layers:
        layer.trainable = False
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=0.2,
                                                                                         momentum=0.9),
                  metrics=["accuracy"])
    history = model.fit(X_train_B, y_train_B, epochs=20, validation_data=(X_valid_B, y_valid_B), verbose=0)
    assert len(model.trainable_weights) == 2
    assert history.history["val_accuracy"][-1] > 0.8

    for layer in base_model.layers:
        layer.trainable = True
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=0.01,
                                                                                         momentum=0.9),
                  metrics=["accuracy"])
    history = model.fit(X_train_B, y_train_B, epochs=10, validation_data=(X_valid_B, y_valid_B), verbose=0)
    assert len(model.trainable_weights) == 6  # two conv layers and the new output layer
    assert history.history["val_accuracy"][-1] > 0.8
    assert model.evaluate(X_test_B, y_test_B, verbose=0)[1] > 0.8
