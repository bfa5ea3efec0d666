"""Functions given to transformations: traced once with AutoGraph, tuple unpacking, result specs, eager
execution of dataset-valued functions."""
import numpy as np
import pytest

import ndflow as tf

D = tf.data.Dataset


def test_map_function_is_traced_once(capsys):
    def double(x):
        print("tracing")
        return x * 2

    dataset = D.range(5).map(double)
    assert capsys.readouterr().out == "tracing\n"
    assert list(dataset.as_numpy_iterator()) == [0, 2, 4, 6, 8]
    assert list(dataset.as_numpy_iterator()) == [0, 2, 4, 6, 8]
    assert capsys.readouterr().out == ""


def test_autograph_converts_tensor_conditions():
    def piecewise(x):
        if x > 2:
            y = x * 10
        else:
            y = -x
        total = tf.constant(0, tf.int64)
        for i in tf.range(x):
            total += i
        return y, total

    assert list(D.range(5).map(piecewise).as_numpy_iterator()) == [(0, 0), (-1, 0), (-2, 1), (30, 3), (40, 6)]


def test_tuple_elements_are_unpacked_but_dicts_and_namedtuples_are_not():
    pairs = D.from_tensor_slices(([1, 2], [10, 20]))
    assert list(pairs.map(lambda a, b: a + b).as_numpy_iterator()) == [11, 22]
    records = D.from_tensor_slices({"a": [1, 2], "b": [3, 4]})
    assert list(records.map(lambda r: r["a"] * r["b"]).as_numpy_iterator()) == [3, 8]


def test_result_structure_and_spec():
    dataset = D.range(3).map(lambda x: [x, tf.cast(x, tf.float32), "s"])
    assert dataset.element_spec == (tf.TensorSpec((), tf.int64), tf.TensorSpec((), tf.float32),
                                    tf.TensorSpec((), tf.string))
    assert list(dataset.as_numpy_iterator())[1] == (1, 1.0, b"s")
    dynamic = D.range(3).map(lambda x: tf.fill([x], x))
    assert dynamic.element_spec == tf.TensorSpec((None,), tf.int64)
    unknown = D.range(3).map(lambda x: tf.py_function(lambda v: v, [x], tf.int64))
    assert unknown.element_spec.shape.rank is None


def test_python_errors_raise_when_the_transformation_is_built():
    def broken(x):
        raise KeyError("no such feature")

    with pytest.raises(KeyError, match="no such feature"):
        D.range(3).map(broken)
    with pytest.raises(NotImplementedError):
        D.range(3).map(lambda x: x.numpy())
    with pytest.raises(TypeError, match="must return a `Dataset` object"):
        D.range(3).flat_map(lambda x: x)


def test_captured_values_and_variables():
    offset = tf.constant(100, tf.int64)
    scale = tf.Variable(2, dtype=tf.int64)
    dataset = D.range(3).map(lambda x: x * scale + offset)
    assert list(dataset.as_numpy_iterator()) == [100, 102, 104]
    scale.assign(3)
    assert list(dataset.as_numpy_iterator()) == [100, 103, 106]


def test_dataset_functions_run_eagerly_per_element():
    calls = []

    def expand(x):
        calls.append(type(x).__name__)
        return D.from_tensors(x).repeat(x)

    dataset = D.range(4).flat_map(expand)
    traced = len(calls)
    assert list(dataset.as_numpy_iterator()) == [1, 2, 2, 3, 3, 3]
    assert calls[traced:] == ["EagerTensor"] * 4


def test_window_elements_are_datasets_inside_functions():
    sums = D.range(6).window(3).map(lambda w: w.reduce(np.int64(0), lambda s, x: s + x))
    assert list(sums.as_numpy_iterator()) == [3, 12]
    key_pairs = D.range(6).group_by_window(lambda x: x % 2, lambda key, w: w.map(lambda x: (key, x)).batch(3),
                                           window_size=3)
    assert [(k.tolist(), v.tolist()) for k, v in key_pairs.as_numpy_iterator()] == [([0, 0, 0], [0, 2, 4]),
                                                                                   ([1, 1, 1], [1, 3, 5])]


def test_filter_predicate_must_be_a_boolean_scalar():
    with pytest.raises(ValueError, match="`predicate` must return a `tf.bool` scalar tensor"):
        D.range(3).filter(lambda x: tf.fill([2], True))
    assert list(D.range(6).filter(lambda x: tf.logical_and(x > 1, x < 4)).as_numpy_iterator()) == [2, 3]


def test_reduce_relaxes_the_state_shape():
    grown = D.range(4).reduce(tf.constant([], tf.int64), lambda s, x: tf.concat([s, [x * x]], 0))
    assert grown.numpy().tolist() == [0, 1, 4, 9]


def test_functions_work_in_graph_mode_programs():
    graph = tf.Graph()
    with graph.as_default():
        dataset = D.range(3).map(lambda x: x + 1)
    assert list(dataset.as_numpy_iterator()) == [1, 2, 3]
