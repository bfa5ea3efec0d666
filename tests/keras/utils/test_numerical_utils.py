"""Tests for ``keras.utils``: ``to_categorical``, ``normalize``, ``set_random_seed`` and lazy names."""
import random as python_random

import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import utils
from ndflow.keras.utils import normalize, set_random_seed, to_categorical


def test_to_categorical_numpy_behaviour():
    encoded = to_categorical([0, 2, 1])
    assert encoded.dtype == np.float64 and isinstance(encoded, np.ndarray)
    np.testing.assert_array_equal(encoded, np.eye(3)[[0, 2, 1]])
    assert to_categorical(np.array([[1], [0]]), num_classes=4).shape == (2, 4)
    assert to_categorical(np.zeros((2, 3), int), num_classes=5).shape == (2, 3, 5)
    assert to_categorical(np.array(2), num_classes=3).shape == (3,)


def test_to_categorical_tensor_input():
    encoded = to_categorical(tf.constant([[1], [3]]), num_classes=4)
    assert encoded.dtype == tf.float32
    np.testing.assert_array_equal(encoded.numpy(), np.eye(4)[[1, 3]])


def test_normalize_numpy_and_tensor():
    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(normalize(x), [[0.6, 0.8], [0.0, 0.0]])
    np.testing.assert_allclose(normalize(x, order=1), [[3 / 7, 4 / 7], [0.0, 0.0]])
    tensor = normalize(tf.constant(x, dtype=tf.float32), axis=0)
    np.testing.assert_allclose(tensor.numpy(), [[1.0, 1.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match="Argument `order` must be an int >= 1"):
        normalize(tf.constant(x), order=0.5)


def test_set_random_seed_seeds_every_generator():
    set_random_seed(7)
    first = (python_random.random(), np.random.rand(), tf.random.uniform((2,)).numpy())
    set_random_seed(7)
    second = (python_random.random(), np.random.rand(), tf.random.uniform((2,)).numpy())
    assert first[:2] == second[:2]
    np.testing.assert_array_equal(first[2], second[2])
    with pytest.raises(ValueError, match="Expected `seed` argument to be an integer"):
        set_random_seed(1.5)


def test_lazy_names_resolve_or_raise_attribute_error():
    assert utils.to_categorical is to_categorical
    from ndflow.keras.utils.progbar import Progbar

    assert utils.Progbar is Progbar
    with pytest.raises(AttributeError, match="has no attribute 'not_a_utility'"):
        utils.not_a_utility  # noqa: B018
    assert "pad_sequences" in dir(utils)
    for name in ["get_file", "plot_model", "pad_sequences", "register_keras_serializable", "PyDataset"]:
        try:
            assert getattr(utils, name) is not None
        except AttributeError as error:
            assert name in str(error)


@pytest.mark.parity
@pytest.mark.parametrize("labels, num_classes", [([0, 2, 1], None), ([[1], [0]], 4), (np.zeros((2, 3), int), 5),
                                                 (np.array(2), 3)])
def test_to_categorical_parity_with_keras(labels, num_classes):
    keras = pytest.importorskip("keras")
    expected = keras.utils.to_categorical(labels, num_classes)
    got = to_categorical(labels, num_classes)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)
