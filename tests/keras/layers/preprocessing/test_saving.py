"""Preprocessing layers in ``.keras`` files: adapted state (statistics, vocabularies as assets, IDF weights)
survives saving, and files move both ways between ndflow and Keras 3."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers

keras = pytest.importorskip("keras")

pytestmark = pytest.mark.parity
CORPUS = np.array([["The cat sat"], ["the dog ran far"], ["a cat and a dog"]])
X = np.random.default_rng(0).normal(3.0, 2.0, (10, 3)).astype("float32")


@pytest.mark.parametrize("mode", ["int", "tf_idf"])
def test_text_vectorization_vocabulary_round_trips_with_keras(tmp_path, mode):
    ours = layers.TextVectorization(output_mode=mode)
    ours.adapt(CORPUS[:, 0])
    model = tf.keras.Sequential([tf.keras.Input((1,), dtype="string"), ours])
    model.save(tmp_path / "ours.keras")
    path = tmp_path / "ours.keras"
    for loaded in (keras.models.load_model(path), tf.keras.models.load_model(path)):
        np.testing.assert_allclose(np.asarray(loaded(CORPUS)), model(CORPUS).numpy(), rtol=1e-6)
    theirs = keras.layers.TextVectorization(output_mode=mode)
    theirs.adapt(CORPUS[:, 0])
    keras.Sequential([keras.Input((1,), dtype="string"), theirs]).save(tmp_path / "theirs.keras")
    loaded = tf.keras.models.load_model(tmp_path / "theirs.keras")
    assert loaded.layers[0].get_vocabulary() == list(theirs.get_vocabulary())
    np.testing.assert_allclose(loaded(CORPUS).numpy(), np.asarray(theirs(CORPUS)), rtol=1e-6)


def test_normalization_and_lookup_models_round_trip_with_keras(tmp_path):
    theirs = keras.layers.Normalization()
    theirs.adapt(X)
    lookup = keras.layers.IntegerLookup(output_mode="multi_hot")
    lookup.adapt(np.array([[3, 3, 7], [9, 3, 1]]))
    numbers = keras.Input((3,))
    ids = keras.Input((3,), dtype="int64")
    model = keras.Model([numbers, ids], [theirs(numbers), lookup(ids)])
    model.save(tmp_path / "theirs.keras")
    loaded = tf.keras.models.load_model(tmp_path / "theirs.keras")
    query = np.array([[3, 5, 9], [1, 1, 7]])
    for got, expected in zip(loaded([X[:2], query]), model([X[:2], query])):
        np.testing.assert_allclose(np.asarray(got), np.asarray(expected), rtol=1e-5, atol=1e-5)
    ours = layers.Normalization()
    ours.adapt(X)
    tf.keras.Sequential([tf.keras.Input((3,)), ours]).save(tmp_path / "ours.keras")
    np.testing.assert_allclose(np.asarray(keras.models.load_model(tmp_path / "ours.keras")(X)), ours(X).numpy(),
                               rtol=1e-5, atol=1e-5)
