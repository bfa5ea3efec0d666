"""StringLookup and IntegerLookup: parity with Keras 3 (adapted vocabularies, lookups, inversion, encodings)."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

pytestmark = pytest.mark.parity

WORDS = np.array([["b", "a", "c", "b"], ["d", "b", "a", "e"], ["c", "e", "b", "[UNK]"]])
QUERY = np.array([["a", "b", "zz"], ["e", "", "q"]])
INTS = np.array([[7, 3, 3, 9], [0, 12, 3, 7], [9, 9, 3, 5]])
INT_QUERY = np.array([[3, 9, 42], [0, 5, -8]])


def _both(name, **kwargs):
    return getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)


def _assert_same(ours, theirs, query):
    assert ours.get_vocabulary() == list(theirs.get_vocabulary())
    assert ours.vocabulary_size() == theirs.vocabulary_size()
    expected = np.asarray(theirs(query))
    got = ours(query)
    assert got.dtype.name == str(expected.dtype)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6)
    assert ours.compute_output_shape(np.shape(query)) == tuple(theirs.compute_output_shape(np.shape(query)))
    config = ours.get_config()
    assert config == {**theirs.get_config(), "name": config["name"]}
    clone = type(ours).from_config(config)
    assert clone.get_config() == config


@pytest.mark.parametrize("kwargs", [{}, {"mask_token": ""}, {"max_tokens": 4}, {"num_oov_indices": 3},
                                    {"num_oov_indices": 2, "salt": 9}, {"output_mode": "multi_hot"},
                                    {"output_mode": "count", "mask_token": ""}, {"output_mode": "tf_idf"},
                                    {"output_mode": "one_hot"},
                                    {"output_mode": "multi_hot", "max_tokens": 8, "pad_to_max_tokens": True}])
def test_string_lookup_adapt_matches_keras(kwargs):
    ours, theirs = _both("StringLookup", **kwargs)
    ours.adapt(WORDS)
    theirs.adapt(WORDS)
    query = QUERY[:, :1] if kwargs.get("output_mode") == "one_hot" else QUERY
    _assert_same(ours, theirs, query)


def test_string_lookup_given_vocabulary_invert_and_special_tokens():
    vocab = ["[UNK]", "x", "y", "z"]
    ours, theirs = _both("StringLookup", vocabulary=vocab)
    _assert_same(ours, theirs, np.array(["y", "w", "x"]))
    assert ours.get_vocabulary(include_special_tokens=False) == ["x", "y", "z"]
    ours, theirs = _both("StringLookup", vocabulary=["x", "y"], invert=True, mask_token="")
    indices = np.array([[0, 1, 2, 3, 9]])
    assert [v.decode() for v in ours(indices).numpy().ravel()] == [v.decode() for v in
                                                                   np.asarray(theirs(indices)).ravel()]
    ours, theirs = _both("StringLookup", vocabulary=["x", "y"], idf_weights=[0.5, 2.0], output_mode="tf_idf")
    _assert_same(ours, theirs, np.array([["x", "y", "y", "q"]]))


def test_string_lookup_vocabulary_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("one\ntwo\nthree\n")
    ours, theirs = layers.StringLookup(vocabulary=str(path)), keras.layers.StringLookup(vocabulary=str(path))
    assert ours.get_vocabulary() == list(theirs.get_vocabulary())
    query = np.array(["two", "four"])
    np.testing.assert_array_equal(ours(query).numpy(), np.asarray(theirs(query)))


@pytest.mark.parametrize("kwargs", [{}, {"mask_token": 0}, {"num_oov_indices": 2},
                                    {"num_oov_indices": 3, "oov_method": "farmhash"}, {"max_tokens": 3},
                                    {"output_mode": "count"}, {"output_mode": "tf_idf", "mask_token": 0}])
def test_integer_lookup_adapt_matches_keras(kwargs):
    ours, theirs = _both("IntegerLookup", **kwargs)
    ours.adapt(INTS)
    theirs.adapt(INTS)
    _assert_same(ours, theirs, INT_QUERY)


def test_integer_lookup_invert_and_dataset_adapt():
    ours, theirs = _both("IntegerLookup", vocabulary=[12, 36, 1138, 42], invert=True)
    indices = np.array([[1, 2, 0, 4, 7]])
    np.testing.assert_array_equal(ours(indices).numpy(), np.asarray(theirs(indices)))
    ours, theirs = _both("IntegerLookup")
    ours.adapt(tf.data.Dataset.from_tensor_slices(INTS.ravel()).batch(5))
    theirs.adapt(real_tf.data.Dataset.from_tensor_slices(INTS.ravel()).batch(5))
    assert ours.get_vocabulary() == [int(v) for v in theirs.get_vocabulary()]


def test_lookup_in_dataset_map_and_function():
    layer = layers.StringLookup(vocabulary=["a", "b", "c"])
    mapped = tf.data.Dataset.from_tensor_slices(QUERY).map(layer)
    got = np.stack([row.numpy() for row in mapped])
    np.testing.assert_array_equal(got, np.asarray(keras.layers.StringLookup(vocabulary=["a", "b", "c"])(QUERY)))
    traced = tf.function(lambda x: layer(x))
    np.testing.assert_array_equal(traced(tf.constant(QUERY)).numpy(), got)


def test_lookup_errors():
    with pytest.raises(ValueError, match="repeated term"):
        layers.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="larger than the maximum vocab size"):
        layers.StringLookup(vocabulary=["a", "b", "c"], max_tokens=3)
    with pytest.raises(ValueError, match="`output_mode` must be `'int'` when `invert` is true"):
        layers.StringLookup(invert=True, output_mode="count")
    with pytest.raises(ValueError, match="Cannot adapt layer"):
        layers.StringLookup(vocabulary=["a"]).adapt(["a"])
    with pytest.raises(RuntimeError, match="must set the layer's vocabulary"):
        layers.StringLookup(output_mode="multi_hot")(np.array(["a"]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="all inputs should be in vocabulary"):
        layers.StringLookup(vocabulary=["a"], num_oov_indices=0)(np.array(["b"]))
    with pytest.raises(ValueError, match="Only `vocabulary_dtype='int64'`"):
        layers.IntegerLookup(vocabulary_dtype="int32")


def test_ragged_and_sparse_inputs_match_keras():
    ours, theirs = _both("StringLookup", vocabulary=["a", "b", "c"])
    words = [["a", "z"], ["c"]]
    assert ours(tf.ragged.constant(words)).to_list() == theirs(real_tf.ragged.constant(words)).to_list()
    sparse = ([[0, 0], [1, 2]], ["b", "q"], [2, 3])
    got = ours(tf.sparse.SparseTensor(*sparse))
    expected = theirs(real_tf.sparse.SparseTensor(*sparse))
    np.testing.assert_array_equal(got.values.numpy(), expected.values.numpy())
    np.testing.assert_array_equal(got.indices.numpy(), expected.indices.numpy())
    ours, theirs = _both("StringLookup", vocabulary=["a", "b", "c"], output_mode="count")
    np.testing.assert_array_equal(ours(tf.ragged.constant(words)).numpy(), theirs(real_tf.ragged.constant(words)))
