"""feature_column: dense representations, linear models and variables against NumPy references."""
import numpy as np
import pytest

import ndflow as tf

fc = tf.feature_column
v1 = tf.compat.v1


def _run(fetches, feed=None):
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        return sess.run(fetches, feed)


def test_numeric_and_bucketized_columns_in_input_layer():
    x = np.array([[0.5, -1.0], [2.0, 3.5], [1.0, 0.0]], np.float32)
    age = np.array([15.0, 40.0, 70.0], np.float32)
    with tf.Graph().as_default():
        columns = [fc.numeric_column("x", shape=[2], normalizer_fn=lambda t: t * 2.0),
                   fc.bucketized_column(fc.numeric_column("age"), boundaries=[18, 25, 65])]
        out = fc.input_layer({"x": tf.constant(x), "age": tf.constant(age)}, columns)
        assert out.shape.as_list() == [3, 6]
        value = _run(out)
    buckets = np.eye(4)[np.digitize(age, [18, 25, 65])]
    # input_layer orders columns by name: "age_bucketized" before "x"
    np.testing.assert_allclose(value, np.concatenate([buckets, x * 2.0], axis=1))


def test_categorical_columns_as_indicators():
    with tf.Graph().as_default():
        words = tf.constant(["b", "z", "a", "c"])
        ids = tf.constant([[1, 3], [0, 0], [5, 2], [2, 2]])
        vocab = fc.indicator_column(fc.categorical_column_with_vocabulary_list("w", ["a", "b", "c"]))
        oov = fc.indicator_column(fc.categorical_column_with_vocabulary_list("w", ["a", "b"], num_oov_buckets=2))
        ident = fc.indicator_column(fc.categorical_column_with_identity("i", num_buckets=4))
        hashed = fc.categorical_column_with_hash_bucket("w", 7)
        features = {"w": words, "i": ids}
        values = _run([vocab.dense_tensor(features), oov.dense_tensor(features), ident.dense_tensor(features),
                       hashed.ids(features), tf.strings.to_hash_bucket_fast(words, 7)])
    np.testing.assert_array_equal(values[0], [[0, 1, 0], [0, 0, 0], [1, 0, 0], [0, 0, 1]])
    assert values[1][:, :2].tolist() == [[0, 1], [0, 0], [1, 0], [0, 0]]
    np.testing.assert_array_equal(values[1].sum(1), np.ones(4))  # unknown words land in one OOV bucket
    np.testing.assert_array_equal(values[2], [[0, 1, 0, 1], [2, 0, 0, 0], [0, 0, 1, 0], [0, 0, 2, 0]])
    np.testing.assert_array_equal(values[3][:, 0], values[4])


def test_embedding_column_combiners_and_variable_name():
    with tf.Graph().as_default():
        cat = fc.categorical_column_with_identity("i", num_buckets=5)
        ids = tf.constant([[1, 3], [4, 4]])
        mean = fc.input_layer({"i": ids}, [fc.embedding_column(cat, 3)])
        total = fc.input_layer({"i": ids}, [fc.embedding_column(cat, 3, combiner="sum")])
        names = [v.name for v in v1.global_variables()]
        assert names == ["input_layer/i_embedding/embedding_weights:0",
                         "input_layer_1/i_embedding/embedding_weights:0"]
        table_mean, table_sum, m, s = _run([*v1.global_variables(), mean, total])
    np.testing.assert_allclose(m, [(table_mean[1] + table_mean[3]) / 2, table_mean[4]], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(s, [table_sum[1] + table_sum[3], 2 * table_sum[4]], rtol=1e-5, atol=1e-6)
    assert np.abs(table_mean).max() <= 2 / np.sqrt(3) + 1e-6  # truncated normal, stddev 1/sqrt(3)


def test_linear_model_weights_and_bias():
    x = np.array([[1.0, 2.0], [3.0, -1.0]], np.float32)
    with tf.Graph().as_default():
        columns = [fc.numeric_column("x", shape=[2]), fc.categorical_column_with_identity("c", 3)]
        logits = fc.linear_model({"x": tf.constant(x), "c": tf.constant([2, 0])}, columns, units=1)
        names = [v.name for v in v1.global_variables()]
        assert names == ["linear_model/c/weights:0", "linear_model/x/weights:0", "linear_model/bias_weights:0"]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(logits), np.zeros((2, 1)))
            c_w, x_w, bias = v1.global_variables()
            sess.run([c_w.assign([[10.0], [20.0], [30.0]]), x_w.assign([[1.0], [0.5]]), bias.assign([0.25])])
            value = sess.run(logits)
    np.testing.assert_allclose(value, x @ [[1.0], [0.5]] + np.array([[30.0], [10.0]]) + 0.25)


def test_dense_features_eagerly_reuses_its_variables():
    layer = fc.DenseFeatures([fc.embedding_column(fc.categorical_column_with_identity("k", 4), 2),
                              fc.numeric_column("n")])
    first = layer({"k": tf.constant([1, 2]), "n": tf.constant([0.5, 1.5])})
    second = layer({"k": tf.constant([1, 2]), "n": tf.constant([0.5, 1.5])})
    np.testing.assert_array_equal(first.numpy(), second.numpy())
    np.testing.assert_array_equal(first.numpy()[:, 2], [0.5, 1.5])


def test_bad_columns_raise():
    with pytest.raises(ValueError, match="shape dimensions must be greater than 0"):
        fc.numeric_column("x", shape=[0])
    with pytest.raises(ValueError, match="boundaries must be a sorted list"):
        fc.bucketized_column(fc.numeric_column("x"), [3, 1])
    with pytest.raises(ValueError, match="Duplicate keys in vocabulary_list"):
        fc.categorical_column_with_vocabulary_list("w", ["a", "a"])
    with pytest.raises(ValueError, match="combiner must be one of"):
        fc.embedding_column(fc.categorical_column_with_identity("i", 2), 2, combiner="max")
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="feature_columns must not be empty"):
            fc.input_layer({"x": tf.ones([1])}, [])
        with pytest.raises(ValueError, match="must be a DenseColumn"):
            fc.input_layer({"x": tf.ones([1])}, [fc.categorical_column_with_identity("x", 2)])


def test_crossed_column_ids_and_errors():
    with tf.Graph().as_default():
        cross = fc.crossed_column(["a", fc.categorical_column_with_identity("n", 5)], hash_bucket_size=10)
        assert cross.name == "a_X_n" and cross.num_buckets == 10
        features = {"a": tf.constant([["x", "y"], ["x", "x"]]), "n": tf.constant([[3], [-1]])}
        ids, dense = _run([cross.ids(features), fc.indicator_column(cross).dense_tensor(features)])
    assert ids.shape == (2, 2) and np.all((ids[0] >= 0) & (ids[0] < 10))
    np.testing.assert_array_equal(ids[1], [-2, -2])  # -1 in an identity column is a missing value: no crosses
    np.testing.assert_array_equal(dense.sum(1), [2, 0])
    with pytest.raises(ValueError, match="keys must be a list with length > 1"):
        fc.crossed_column(["a"], 10)
    with pytest.raises(ValueError, match="categorical_column_with_hash_bucket is not supported for crossing"):
        fc.crossed_column(["a", fc.categorical_column_with_hash_bucket("b", 3)], 10)
