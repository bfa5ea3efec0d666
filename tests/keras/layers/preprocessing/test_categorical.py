"""CategoryEncoding and Hashing: parity with Keras 3 (encodings, FarmHash/SipHash bins, configs, errors)."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

pytestmark = pytest.mark.parity


def _check(ours, theirs, x, **call_kwargs):
    expected = np.asarray(theirs(x, **call_kwargs))
    got = ours(x, **call_kwargs)
    assert got.dtype.name == str(expected.dtype)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6)
    assert ours.compute_output_shape(np.shape(x)) == tuple(theirs.compute_output_shape(np.shape(x)))
    config = ours.get_config()
    assert set(config) == set(theirs.get_config())
    assert type(ours).from_config(config).get_config() == config


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
@pytest.mark.parametrize("x", [[[0, 1], [3, 3], [2, 0]], [1, 3, 0], [[2], [1]], 3])
def test_category_encoding_matches_keras(mode, x):
    x = np.array(x)
    _check(layers.CategoryEncoding(4, output_mode=mode), keras.layers.CategoryEncoding(4, output_mode=mode), x)


def test_category_encoding_count_weights_and_errors():
    x = np.array([[0, 1, 1], [2, 2, 0]])
    weights = np.array([[0.5, 1.0, 2.0], [1.0, 1.0, 3.0]], "float32")
    _check(layers.CategoryEncoding(3, output_mode="count"), keras.layers.CategoryEncoding(3, output_mode="count"), x,
           count_weights=weights)
    with pytest.raises(ValueError, match="num_tokens must be set"):
        layers.CategoryEncoding()
    with pytest.raises(ValueError, match="Unknown arg for output_mode"):
        layers.CategoryEncoding(3, output_mode="int")
    with pytest.raises(ValueError, match="`count_weights` is not used"):
        layers.CategoryEncoding(3)(x, count_weights=weights)


@pytest.mark.parametrize("kwargs", [{"num_bins": 7}, {"num_bins": 5, "mask_value": "b"},
                                    {"num_bins": 6, "salt": 133}, {"num_bins": 4, "salt": [7, 11]},
                                    {"num_bins": 9, "output_mode": "multi_hot"},
                                    {"num_bins": 5, "output_mode": "one_hot"},
                                    {"num_bins": 5, "output_mode": "count"}])
def test_hashing_strings_match_keras(kwargs):
    x = np.array([["a"], ["b"], ["hello"], ["zebra"], [""]])
    _check(layers.Hashing(**kwargs), keras.layers.Hashing(**kwargs), x)


@pytest.mark.parametrize("x", [np.array([[1, 2], [-3, 1000], [0, 2]]), np.array([[1.7, -2.2], [0.0, 9.9]], "float32")])
def test_hashing_numbers_match_keras(x):
    _check(layers.Hashing(num_bins=11), keras.layers.Hashing(num_bins=11), x)
    _check(layers.Hashing(num_bins=11, mask_value=0), keras.layers.Hashing(num_bins=11, mask_value=0), x)


def test_hashing_in_dataset_map_and_errors():
    layer = layers.Hashing(num_bins=5)
    data = tf.data.Dataset.from_tensor_slices(["a", "b", "c"]).map(layer)
    expected = np.asarray(keras.layers.Hashing(num_bins=5)(np.array(["a", "b", "c"])))
    np.testing.assert_array_equal([int(v) for v in data], expected)
    with pytest.raises(ValueError, match="cannot be `None` or non-positive"):
        layers.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="`salt` argument for `Hashing`"):
        layers.Hashing(num_bins=3, salt="x")
    with pytest.raises(ValueError, match="`dtype` should be an integer type"):
        layers.Hashing(num_bins=3, dtype="float32")


def test_hashing_ragged_and_sparse_inputs_match_keras():
    words = [["a", "zz"], ["c"]]
    ours, theirs = layers.Hashing(num_bins=5), keras.layers.Hashing(num_bins=5)
    assert ours(tf.ragged.constant(words)).to_list() == theirs(real_tf.ragged.constant(words)).to_list()
    sparse = ([[0, 0], [1, 2]], ["b", "q"], [2, 3])
    np.testing.assert_array_equal(ours(tf.sparse.SparseTensor(*sparse)).values.numpy(),
                                  theirs(real_tf.sparse.SparseTensor(*sparse)).values.numpy())


@pytest.mark.parametrize("name,kwargs,x", [
    ("CategoryEncoding", {"num_tokens": 4, "output_mode": "count"}, np.array([[0, 1, 1], [3, 3, 0]])),
    ("CategoryEncoding", {"num_tokens": 4, "output_mode": "one_hot"}, np.array([2, 0, 3])),
    ("Hashing", {"num_bins": 6, "output_mode": "multi_hot"}, np.array([["a", "b"], ["c", "c"]])),
    ("Discretization", {"bin_boundaries": [0.0, 1.0], "output_mode": "count"}, np.array([[-1.0, 0.5, 2.0]])),
    ("StringLookup", {"vocabulary": ["a", "b"], "output_mode": "multi_hot"}, np.array([["a", "q"], ["b", "b"]])),
    ("IntegerLookup", {"vocabulary": [4, 9], "output_mode": "count"}, np.array([[4, 4, 9], [1, 9, 9]])),
])
def test_sparse_outputs_match_keras(name, kwargs, x):
    got = getattr(layers, name)(sparse=True, **kwargs)(x)
    expected = getattr(keras.layers, name)(sparse=True, **kwargs)(x)
    assert isinstance(got, tf.sparse.SparseTensor)
    np.testing.assert_array_equal(got.indices.numpy(), expected.indices.numpy())
    np.testing.assert_allclose(got.values.numpy(), expected.values.numpy(), rtol=1e-6)
    np.testing.assert_array_equal(got.dense_shape.numpy(), expected.dense_shape.numpy())
    assert got.values.dtype.name == expected.values.dtype.name
