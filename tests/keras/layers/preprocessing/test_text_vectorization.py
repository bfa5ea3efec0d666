"""TextVectorization: parity with Keras 3 (adapted vocabularies, output modes, n-grams, configs) and use in models
and dataset pipelines."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

pytestmark = pytest.mark.parity

CORPUS = np.array(["The cat sat on the mat.", "The dog ate my homework!", "A cat, a dog; the END?",
                   "dog dog DOG cat"])
QUERY = np.array(["the cat ate the dog's mat", "nothing known here", "Dog"])


def _both(**kwargs):
    return layers.TextVectorization(**kwargs), keras.layers.TextVectorization(**kwargs)


def _assert_same(ours, theirs, query=QUERY):
    assert ours.get_vocabulary() == list(theirs.get_vocabulary())
    expected = np.asarray(theirs(query))
    got = ours(query)
    assert got.dtype.name == str(expected.dtype)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5, atol=1e-6)
    assert ours.compute_output_shape((3,)) == tuple(theirs.compute_output_shape((3,)))
    config = ours.get_config()
    assert config == {**theirs.get_config(), "name": config["name"]}
    clone = layers.TextVectorization.from_config(config)
    their_clone = keras.layers.TextVectorization.from_config(theirs.get_config())
    assert clone.get_config() == {**their_clone.get_config(), "name": config["name"]}


@pytest.mark.parametrize("kwargs", [{}, {"output_sequence_length": 4}, {"output_sequence_length": 9},
                                    {"max_tokens": 5}, {"ngrams": 2}, {"ngrams": (1, 3)},
                                    {"standardize": "lower"}, {"standardize": None, "split": "character"},
                                    {"output_mode": "multi_hot"}, {"output_mode": "count", "max_tokens": 6},
                                    {"output_mode": "tf_idf"}, {"output_mode": "tf_idf", "ngrams": 2},
                                    {"output_mode": "multi_hot", "max_tokens": 12, "pad_to_max_tokens": True}])
def test_adapt_and_call_match_keras(kwargs):
    ours, theirs = _both(**kwargs)
    ours.adapt(CORPUS)
    theirs.adapt(CORPUS)
    _assert_same(ours, theirs)


def test_adapt_from_dataset_and_ragged_output():
    ours, theirs = _both(ragged=True)
    ours.adapt(tf.data.Dataset.from_tensor_slices(CORPUS).batch(2))
    theirs.adapt(real_tf.data.Dataset.from_tensor_slices(CORPUS).batch(2))
    assert ours.get_vocabulary() == list(theirs.get_vocabulary())
    assert ours(QUERY).to_list() == theirs(QUERY).to_list()


def test_given_vocabulary_and_idf_weights():
    vocab = ["cat", "dog", "the"]
    ours, theirs = _both(vocabulary=vocab, output_sequence_length=3)
    _assert_same(ours, theirs)
    ours, theirs = _both(vocabulary=vocab, idf_weights=[0.5, 1.0, 2.0], output_mode="tf_idf")
    _assert_same(ours, theirs)
    assert ours.get_vocabulary(include_special_tokens=False) == vocab


def test_in_sequential_model_with_embedding_and_fit():
    vectorize = layers.TextVectorization(max_tokens=20, output_sequence_length=6)
    vectorize.adapt(CORPUS)
    model = tf.keras.Sequential([tf.keras.Input(shape=(1,), dtype="string"), vectorize,
                                 layers.Embedding(20, 4), layers.GlobalAveragePooling1D(), layers.Dense(1)])
    assert model.predict(CORPUS[:, None], verbose=0).shape == (4, 1)
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(CORPUS[:, None], np.ones((4, 1), "float32"), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_in_dataset_map():
    vectorize = layers.TextVectorization(output_sequence_length=5)
    vectorize.adapt(CORPUS)
    pipeline = tf.data.Dataset.from_tensor_slices((QUERY, [0, 1, 2])).batch(2).map(lambda x, y: (vectorize(x), y))
    got = np.concatenate([x.numpy() for x, _ in pipeline])
    np.testing.assert_array_equal(got, vectorize(QUERY).numpy())


def test_callable_standardize_and_errors():
    def shout(text):
        return tf.strings.upper(text)

    layer = layers.TextVectorization(standardize=shout)
    layer.adapt(["a b", "b"])
    assert layer.get_vocabulary() == ["", "[UNK]", "B", "A"]
    with pytest.raises(ValueError, match="Unknown value for `standardize`"):
        layers.TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match="`output_sequence_length` must not be set"):
        layers.TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="`ngrams` must be None"):
        layers.TextVectorization(ngrams=[1, 2])
    with pytest.raises(ValueError, match="the last shape dimension must be 1"):
        layers.TextVectorization()(np.array([["a", "b"]]))


def test_traced_output_keeps_static_sequence_length():
    vectorize = layers.TextVectorization(output_sequence_length=7)
    vectorize.adapt(CORPUS)
    mapped = tf.data.Dataset.from_tensor_slices(QUERY).batch(2).map(vectorize)
    assert mapped.element_spec.shape.as_list() == [None, 7]
