"""TF1 iterators: ``make_one_shot_iterator`` / ``make_initializable_iterator`` whose ``get_next()`` is a graph op
advanced by ``Session.run``."""
import numpy as np
import pytest

import ndflow as tf
import ndflow.compat.v1 as tf1


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def test_one_shot_iterator_advances_per_run_and_ends_with_out_of_range(graph):
    dataset = tf1.data.Dataset.range(3).map(lambda x: (x, x * 2))
    next_element = tf1.data.make_one_shot_iterator(dataset).get_next()
    assert [t.name for t in next_element] == ["IteratorGetNext:0", "IteratorGetNext:1"]
    assert next_element[0].shape == tf.TensorShape([]) and next_element[0].dtype == tf.int64
    with tf1.Session(graph=graph) as sess:
        assert [tuple(int(v) for v in sess.run(next_element)) for _ in range(3)] == [(0, 0), (1, 2), (2, 4)]
        with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
            sess.run(next_element)
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(next_element)


def test_one_shot_iterator_feeds_graph_computations(graph):
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    features, labels = tf1.data.Dataset.from_tensor_slices((x, np.arange(3))).batch(2).make_one_shot_iterator() \
        .get_next()
    total = tf.reduce_sum(features) + tf.cast(tf.reduce_sum(labels), tf.float32)
    with tf1.Session(graph=graph) as sess:
        assert sess.run(total) == pytest.approx(x[:2].sum() + 1)
        assert sess.run(total) == pytest.approx(x[2:].sum() + 2)


def test_dict_elements_come_back_as_dicts(graph):
    element = tf1.data.make_one_shot_iterator(tf1.data.Dataset.from_tensor_slices({"a": [1, 2]}).batch(1)).get_next()
    assert list(element) == ["a"] and element["a"].shape.as_list() == [None]
    with tf1.Session(graph=graph) as sess:
        value = sess.run(element)
    assert value["a"].tolist() == [1]


def test_initializable_iterator_restarts(graph):
    iterator = tf1.data.make_initializable_iterator(tf1.data.Dataset.range(2))
    next_element = iterator.get_next()
    with tf1.Session(graph=graph) as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="iterator has not been initialized"):
            sess.run(next_element)
        sess.run(iterator.initializer)
        assert [sess.run(next_element), sess.run(next_element)] == [0, 1]
        sess.run(iterator.initializer)
        assert sess.run(next_element) == 0


def test_python_iteration_is_refused_in_graph_mode(graph):
    with pytest.raises(RuntimeError, match="only supports Python-style iteration in eager mode"):
        iter(tf1.data.Dataset.range(2))
    one_shot = tf1.data.make_one_shot_iterator(tf1.data.Dataset.range(2))
    with pytest.raises(ValueError, match="does not have an initializer"):
        assert one_shot.initializer is None


def test_eagerly_the_one_shot_iterator_is_an_ordinary_iterator():
    iterator = tf1.data.make_one_shot_iterator(tf1.data.Dataset.range(2))
    assert int(iterator.get_next()) == 0 and int(next(iterator)) == 1
    with pytest.raises(RuntimeError, match="not supported in eager mode"):
        tf1.data.make_initializable_iterator(tf1.data.Dataset.range(2))


def test_legacy_output_properties():
    dataset = tf1.data.Dataset.from_tensor_slices(({"a": [1, 2]}, [[1.0], [2.0]]))
    assert tf1.data.get_output_types(dataset) == ({"a": tf.int32}, tf.float32)
    assert tf1.data.get_output_shapes(dataset) == ({"a": tf.TensorShape([])}, tf.TensorShape([1]))
    assert dataset.output_types == ({"a": tf.int32}, tf.float32)


def test_tf1_program_with_eager_execution_disabled():
    tf1.disable_eager_execution()
    tf1.reset_default_graph()
    try:
        features = np.arange(8, dtype=np.float32).reshape(4, 2)
        dataset = tf1.data.Dataset.from_tensor_slices(features).map(lambda x: x * 2.0).batch(3)
        batch = dataset.make_one_shot_iterator().get_next()
        weights = tf1.Variable(np.ones((2, 1), np.float32))
        output = tf.matmul(batch, weights)
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            results = []
            while True:
                try:
                    results.append(sess.run(output))
                except tf.errors.OutOfRangeError:
                    break
    finally:
        tf1.enable_eager_execution()
        tf1.reset_default_graph()
    np.testing.assert_allclose(np.concatenate(results), (features * 2).sum(axis=1, keepdims=True))
