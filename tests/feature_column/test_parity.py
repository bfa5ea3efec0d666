"""Parity with real TensorFlow's (v1) feature columns: input_layer and linear_model outputs and names."""
import numpy as np
import pytest

import ndflow as tf

real_tf = pytest.importorskip("tensorflow")
pytestmark = pytest.mark.parity

TABLE = np.arange(15, dtype=np.float32).reshape(5, 3) / 10.0


def _features(module):
    return {"x": module.constant([[0.5, -1.0], [2.0, 3.5], [1.0, 0.0]]),
            "age": module.constant([15.0, 40.0, 70.0]),
            "word": module.constant(["b", "zebra", "a"]),
            "ids": module.constant([[1, 3], [4, 4], [0, 2]], dtype=module.int64),
            "n": module.constant([7, 12, 7], dtype=module.int64)}


def _columns(module):
    fc = module.feature_column
    ids = fc.categorical_column_with_identity("ids", num_buckets=5)
    return [fc.numeric_column("x", shape=[2]),
            fc.bucketized_column(fc.numeric_column("age"), boundaries=[18, 25, 65]),
            fc.indicator_column(fc.categorical_column_with_vocabulary_list("word", ["a", "b", "c"],
                                                                           num_oov_buckets=3)),
            fc.indicator_column(fc.categorical_column_with_hash_bucket("n", 6, dtype=module.int64)),
            fc.embedding_column(ids, 3, combiner="sqrtn", initializer=module.compat.v1.constant_initializer(TABLE))]


def _run(module, build):
    """Builds ``(setup ops, output)`` in a fresh graph, runs the variable initializers, the setup, the output."""
    with module.Graph().as_default():
        setup, out = build()
        names = [v.name for v in module.compat.v1.global_variables()]
        with module.compat.v1.Session() as sess:
            sess.run(module.compat.v1.global_variables_initializer())
            if hasattr(module.compat.v1, "tables_initializer"):
                sess.run(module.compat.v1.tables_initializer())
            sess.run(setup)
            return names, sess.run(out)


def test_input_layer_matches_tensorflow():
    def build_for(module):
        return lambda: ([], module.compat.v1.feature_column.input_layer(_features(module), _columns(module)))

    their_names, theirs = _run(real_tf, build_for(real_tf))
    our_names, ours = _run(tf, build_for(tf))
    assert our_names == their_names
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)


def test_linear_model_matches_tensorflow():
    if not hasattr(real_tf.compat.v1.feature_column, "linear_model"):
        pytest.skip("this TensorFlow has no compat.v1.feature_column.linear_model")

    def build_for(module):
        def build():
            fc = module.feature_column
            columns = [fc.numeric_column("x", shape=[2]), fc.categorical_column_with_identity("ids", 5)]
            logits = module.compat.v1.feature_column.linear_model(_features(module), columns, units=2)
            variables = module.compat.v1.global_variables()
            rng = np.random.RandomState(0)
            return [v.assign(rng.randn(*v.shape.as_list()).astype(np.float32)) for v in variables], logits
        return build

    their_names, theirs = _run(real_tf, build_for(real_tf))
    our_names, ours = _run(tf, build_for(tf))
    assert our_names == their_names
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_crossed_columns_and_missing_values_match_tensorflow():
    def build_for(module):
        def build():
            fc = module.feature_column
            features = {"a": module.constant([["x", "y"], ["z", ""]]),
                        "n": module.constant([[3], [7]], dtype=module.int64),
                        "b": module.constant([5.0, 50.0]),
                        "i": module.constant([[-1, 2], [1, 1]], dtype=module.int64)}
            vocab = fc.categorical_column_with_vocabulary_list("a", ["x", "z"], num_oov_buckets=2)
            columns = [fc.indicator_column(fc.crossed_column(["a", "n"], 11)),
                       fc.indicator_column(fc.crossed_column(
                           [fc.bucketized_column(fc.numeric_column("b"), [10, 20]), "a"], 13)),
                       fc.indicator_column(fc.crossed_column([fc.categorical_column_with_identity("i", 3), "a", "n"],
                                                             17))]
            vocab_columns = [fc.indicator_column(fc.crossed_column([vocab, "n"], 7)), fc.indicator_column(vocab)]
            input_layer = module.compat.v1.feature_column.input_layer
            return [], [input_layer(features, columns), input_layer(features, vocab_columns)]
        return build

    _, theirs = _run(real_tf, build_for(real_tf))
    _, ours = _run(tf, build_for(tf))
    for expected, got in zip(theirs, ours):
        np.testing.assert_array_equal(got, expected)
