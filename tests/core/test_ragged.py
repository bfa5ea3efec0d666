"""RaggedTensor: construction, queries, conversion, indexing, math, reductions, concat/stack, functions,
gradients, printing; the spec's ragged examples; parity with TensorFlow."""
import numpy as np
import pytest

import ndflow as tf
from tests.gradcheck import check_gradients

RT = [[3, 1, 4, 1], [], [5, 9, 2], [6], []]


def rt():
    return tf.ragged.constant(RT)


# ---------------------------------------------------------------------------------------------------------
# The spec's examples (inventory 001b, section (f) and 4.2)


def test_spec_unicode_decode_gives_ragged_rows():
    p = tf.constant(["Café", "Coffee", "caffè", "咖啡"])
    assert tf.strings.length(p, unit="UTF8_CHAR").numpy().tolist() == [4, 6, 5, 2]
    r = tf.strings.unicode_decode(p, "UTF8")
    assert isinstance(r, tf.RaggedTensor)
    assert repr(r) == ("<tf.RaggedTensor [[67, 97, 102, 233], [67, 111, 102, 102, 101, 101],\n"
                       " [99, 97, 102, 102, 232], [21654, 21857]]>")
    assert r[1].numpy().tolist() == [67, 111, 102, 102, 101, 101]
    assert r[1].dtype == tf.int32
    assert r[1:3].to_list() == [[67, 111, 102, 102, 101, 101], [99, 97, 102, 102, 232]]


def test_spec_concat_and_encode():
    r = tf.strings.unicode_decode(tf.constant(["Café", "Coffee", "caffè", "咖啡"]), "UTF8")
    r2 = tf.ragged.constant([[65, 66], [], [67]])
    assert tf.concat([r, r2], axis=0).to_list()[4:] == [[65, 66], [], [67]]
    r3 = tf.ragged.constant([[68, 69, 70], [71], [], [72, 73]])
    assert tf.concat([r, r3], axis=1).to_list() == [
        [67, 97, 102, 233, 68, 69, 70], [67, 111, 102, 102, 101, 101, 71], [99, 97, 102, 102, 232],
        [21654, 21857, 72, 73]]
    assert tf.strings.unicode_encode(r3, "UTF-8").numpy().tolist() == [b"DEF", b"G", b"", b"HI"]
    dense = r.to_tensor()
    assert dense.shape == (4, 6)
    np.testing.assert_array_equal(dense.numpy()[3], [21654, 21857, 0, 0, 0, 0])


# ---------------------------------------------------------------------------------------------------------
# Construction


def test_constant_properties():
    x = rt()
    assert x.shape.as_list() == [5, None]
    assert x.dtype == tf.int32 and x.ragged_rank == 1
    assert x.row_splits.dtype == tf.int64
    assert x.row_splits.numpy().tolist() == [0, 4, 4, 7, 8, 8]
    assert x.values.numpy().tolist() == [3, 1, 4, 1, 5, 9, 2, 6]
    assert x.row_lengths().numpy().tolist() == [4, 0, 3, 1, 0]
    assert x.value_rowids().numpy().tolist() == [0, 0, 0, 0, 2, 2, 2, 3]
    assert int(x.nrows()) == 5 and x.nrows().dtype == tf.int64
    assert x.row_starts().numpy().tolist() == [0, 4, 4, 7, 8]
    assert x.row_limits().numpy().tolist() == [4, 4, 7, 8, 8]
    assert x.bounding_shape().numpy().tolist() == [5, 4]
    assert x.uniform_row_length is None
    assert x.to_list() == RT


def test_constant_options():
    assert tf.ragged.constant([[1, 2], [3]], dtype=tf.float64).to_list() == [[1.0, 2.0], [3.0]]
    assert tf.ragged.constant([[1, 2], [3]], row_splits_dtype=tf.int32).row_splits.dtype == tf.int32
    inner = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert inner.shape.as_list() == [2, None, 2]
    assert inner.flat_values.shape == (3, 2)
    deep = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    assert deep.shape.as_list() == [2, None, None] and deep.ragged_rank == 2
    assert [s.numpy().tolist() for s in deep.nested_row_splits] == [[0, 2, 3], [0, 2, 3, 4]]
    assert [s.numpy().tolist() for s in deep.nested_row_lengths()] == [[2, 1], [2, 1, 1]]
    empty = tf.ragged.constant([[], []])
    assert empty.dtype == tf.float32 and empty.to_list() == [[], []]
    assert tf.ragged.constant([["a"], ["b", "c"]]).dtype == tf.string
    scalar = tf.ragged.constant(5)
    assert isinstance(scalar, tf.Tensor) and int(scalar) == 5


def test_constant_errors():
    with pytest.raises(ValueError, match="same nesting depth"):
        tf.ragged.constant([[1, [2]], [3]])
    with pytest.raises(ValueError, match="inconsistent shape"):
        tf.ragged.constant([[[1, 2], [3]]], ragged_rank=1)
    with pytest.raises(ValueError, match="requires scalar value depth greater than 2"):
        tf.ragged.constant([[1, 2], [3]], ragged_rank=2)
    with pytest.raises(ValueError, match="constructor is private"):
        tf.RaggedTensor([1], [0, 1])


def test_factories_agree():
    values = [1, 2, 3, 4]
    expected = [[1, 2], [], [3, 4]]
    assert tf.RaggedTensor.from_row_splits(values, [0, 2, 2, 4]).to_list() == expected
    assert tf.RaggedTensor.from_row_lengths(values, [2, 0, 2]).to_list() == expected
    assert tf.RaggedTensor.from_row_starts(values, [0, 2, 2]).to_list() == expected
    assert tf.RaggedTensor.from_row_limits(values, [2, 2, 4]).to_list() == expected
    assert tf.RaggedTensor.from_value_rowids(values, [0, 0, 2, 2], nrows=4).to_list() == expected + [[]]
    assert tf.RaggedTensor.from_value_rowids(values, [0, 0, 2, 2]).to_list() == expected
    nested = tf.RaggedTensor.from_nested_row_splits([1, 2, 3, 4, 5], ([0, 2, 3], [0, 1, 3, 5]))
    assert nested.to_list() == [[[1], [2, 3]], [[4, 5]]]
    assert tf.RaggedTensor.from_nested_row_lengths([1, 2, 3], ([2, 1], [1, 0, 2])).to_list() == [[[1], []], [[2, 3]]]
    assert tf.RaggedTensor.from_row_splits(values, tf.constant([0, 4])).row_splits.dtype == tf.int32


def test_factory_validation_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="do not form a valid RaggedTensor"):
        tf.RaggedTensor.from_row_splits([1, 2, 3, 4], [0, 2, 5])
    with pytest.raises(tf.errors.InvalidArgumentError, match="from_row_splits do not form a valid RaggedTensor:zero"):
        tf.RaggedTensor.from_row_splits([1, 2, 3, 4], [1, 2, 4])
    with pytest.raises(tf.errors.InvalidArgumentError, match="monotonic"):
        tf.RaggedTensor.from_row_splits([1, 2], [0, 2, 1, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="from_row_lengths"):
        tf.RaggedTensor.from_row_lengths([1, 2], [3, -1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="from_value_rowids"):
        tf.RaggedTensor.from_value_rowids([1, 2], [1, 0])


def test_from_tensor():
    dense = [[1, 0, 0], [2, 3, 0]]
    assert tf.RaggedTensor.from_tensor(dense, padding=0).to_list() == [[1], [2, 3]]
    assert tf.RaggedTensor.from_tensor(dense, lengths=[1, 3]).to_list() == [[1], [2, 3, 0]]
    assert tf.RaggedTensor.from_tensor(dense).to_list() == dense
    three = tf.RaggedTensor.from_tensor(np.arange(12).reshape(2, 3, 2), ragged_rank=2)
    assert three.ragged_rank == 2 and three.to_list() == np.arange(12).reshape(2, 3, 2).tolist()
    with pytest.raises(ValueError, match="lengths or padding, but not both"):
        tf.RaggedTensor.from_tensor(dense, lengths=[1, 1], padding=0)


# ---------------------------------------------------------------------------------------------------------
# Conversion and printing


def test_to_tensor_default_and_shape():
    x = rt()
    np.testing.assert_array_equal(x.to_tensor(default_value=-1).numpy()[2], [5, 9, 2, -1])
    assert x.to_tensor(shape=[3, 2]).numpy().tolist() == [[3, 1], [0, 0], [5, 9]]
    assert x.to_tensor(shape=[6, 5]).shape == (6, 5)
    deep = tf.ragged.constant([[[1, 2], [3]], [[4]]]).to_tensor()
    assert deep.numpy().tolist() == [[[1, 2], [3, 0]], [[4, 0], [0, 0]]]
    strings = tf.ragged.constant([["a"], ["b", "c"]]).to_tensor()
    assert strings.numpy().tolist() == [[b"a", b""], [b"b", b"c"]]


def test_printing_like_tf():
    assert repr(rt()) == "<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9, 2], [6], []]>"
    assert str(rt()) == repr(rt())
    assert repr(tf.ragged.constant([[1.5, 2.0], [3.25]])) == "<tf.RaggedTensor [[1.5, 2.0], [3.25]]>"
    assert repr(tf.ragged.constant([["a", "bc"], []])) == "<tf.RaggedTensor [[b'a', b'bc'], []]>"
    assert repr(tf.ragged.constant([[1, 2], [3, 4]])) == "<tf.RaggedTensor [[1, 2],\n [3, 4]]>"
    assert repr(tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)) == \
        "<tf.RaggedTensor [[[1, 2],\n  [3, 4]], [[5, 6]]]>"
    assert repr(tf.RaggedTensor.from_row_splits(tf.zeros([0], tf.int32), [0])) == "<tf.RaggedTensor []>"
    uniform = rt().numpy()
    assert uniform.dtype == object and uniform[0].tolist() == [3, 1, 4, 1]


# ---------------------------------------------------------------------------------------------------------
# Indexing


def test_indexing():
    x = rt()
    assert x[2].numpy().tolist() == [5, 9, 2]
    assert x[-1].numpy().tolist() == []
    assert int(x[2, 1]) == 9
    assert x[1:3].to_list() == [[], [5, 9, 2]]
    assert x[::-1].to_list() == RT[::-1]
    assert x[:, 1:].to_list() == [[1, 4, 1], [], [9, 2], [], []]
    assert x[:, ::-1].to_list() == [r[::-1] for r in RT]
    assert x[..., :1].to_list() == [r[:1] for r in RT]
    deep = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    assert deep[0].to_list() == [[1, 2], [3]]
    assert deep[:, :, :1].to_list() == [[[1], [3]], [[4]]]
    inner = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert inner[:, :, 0].to_list() == [[1, 3], [5]]
    with pytest.raises(ValueError, match="Cannot index into an inner ragged dimension"):
        x[:, 0]
    with pytest.raises(IndexError, match="Row key 10 out of bounds"):
        x[10]


# ---------------------------------------------------------------------------------------------------------
# Elementwise math


def test_operators_and_dispatch():
    x = rt()
    assert (x + 1).to_list() == [[v + 1 for v in r] for r in RT]
    assert (1 + x).to_list() == (x + 1).to_list()
    assert (tf.constant(1) + x).to_list() == (x + 1).to_list()
    assert (x * x).to_list() == [[v * v for v in r] for r in RT]
    assert (x / 2).dtype == tf.float64
    assert (-x).to_list() == [[-v for v in r] for r in RT]
    assert tf.abs(-x).to_list() == RT
    assert tf.math.abs(-x).to_list() == RT
    assert (x == 1).to_list() == [[v == 1 for v in r] for r in RT]
    assert tf.equal(x, 1).to_list() == (x == 1).to_list()
    assert (x > 2).to_list() == [[v > 2 for v in r] for r in RT]
    f = tf.cast(x, tf.float32)
    assert f.dtype == tf.float32
    np.testing.assert_allclose(tf.sqrt(f).flat_values.numpy(), np.sqrt(x.flat_values.numpy()), rtol=1e-6)
    np.testing.assert_allclose(tf.exp(f).flat_values.numpy(), np.exp(x.flat_values.numpy()), rtol=1e-6)
    assert tf.add(x, x).to_list() == (x * 2).to_list()
    assert tf.multiply(x, 3).to_list() == (x * 3).to_list()
    assert tf.zeros_like(x).to_list() == [[0] * len(r) for r in RT]
    assert tf.ragged.map_flat_values(tf.square, x).to_list() == (x * x).to_list()


def test_dense_broadcasting_and_errors():
    x = tf.ragged.constant([[1], [2, 3]])
    assert (x + tf.constant([[10], [20]])).to_list() == [[11], [22, 23]]
    assert (x + tf.constant([10])).to_list() == [[11], [12, 13]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Condition x == y did not hold"):
        x + tf.constant([10, 20])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Condition x == y did not hold"):
        x + tf.ragged.constant([[1, 2], [3]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="AddV2"):
        x + 1.5
    with pytest.raises(TypeError, match="may not be used as a boolean"):
        bool(x)


# ---------------------------------------------------------------------------------------------------------
# Reductions


def test_reductions_over_ragged_dims():
    x = rt()
    assert tf.reduce_sum(x, axis=1).numpy().tolist() == [9, 0, 16, 6, 0]
    assert tf.reduce_sum(x, axis=0).numpy().tolist() == [14, 10, 6, 1]
    assert int(tf.reduce_sum(x)) == 31
    mean = tf.reduce_mean(x, axis=1)
    assert mean.dtype == tf.float64
    np.testing.assert_allclose(mean.numpy(), [2.25, np.nan, 16 / 3, 6, np.nan])
    assert tf.reduce_max(x, axis=1).numpy().tolist() == [4, -2**31, 9, 6, -2**31]
    assert tf.reduce_min(x, axis=0).numpy().tolist() == [3, 1, 2, 1]
    f = tf.ragged.constant([[1.0, 2.0], [], [3.0]])
    assert tf.reduce_max(f, axis=1).numpy().tolist() == [2.0, np.finfo(np.float32).min, 3.0]
    assert tf.reduce_prod(f, axis=1).numpy().tolist() == [2.0, 1.0, 3.0]
    assert tf.reduce_mean(f, axis=0).numpy().tolist() == [2.0, 2.0]
    assert tf.reduce_sum(f, axis=1, keepdims=True).shape == (3, 1)
    assert float(tf.reduce_sum(f, axis=[0, 1])) == 6.0
    assert tf.reduce_any(tf.ragged.constant([[True], []]), axis=1).numpy().tolist() == [True, False]
    assert tf.reduce_all(tf.ragged.constant([[True], []]), axis=1).numpy().tolist() == [True, True]


def test_reductions_of_deeper_ragged():
    deep = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    assert tf.reduce_sum(deep, axis=2).to_list() == [[3, 3], [4]]
    assert tf.reduce_sum(deep, axis=1).to_list() == [[4, 2], [4]]
    assert tf.reduce_sum(deep, axis=0).to_list() == [[5, 2], [3]]
    inner = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert tf.reduce_sum(inner, axis=2).to_list() == [[3, 7], [11]]
    assert tf.reduce_sum(inner, axis=1).numpy().tolist() == [[4, 6], [5, 6]]


# ---------------------------------------------------------------------------------------------------------
# concat / stack / gather / masks / helpers


def test_concat_and_stack():
    a, b = tf.ragged.constant([[1], [2, 3]]), tf.constant([[4, 5], [6, 7]])
    assert tf.concat([a, b], axis=0).to_list() == [[1], [2, 3], [4, 5], [6, 7]]
    assert tf.concat([a, b], axis=1).to_list() == [[1, 4, 5], [2, 3, 6, 7]]
    assert tf.concat([a, a], axis=1).shape.as_list() == [2, None]
    deep = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    assert tf.concat([deep, deep], axis=1).to_list() == [[[1, 2], [3], [1, 2], [3]], [[4], [4]]]
    assert tf.concat([deep, deep], axis=2).to_list() == [[[1, 2, 1, 2], [3, 3]], [[4, 4]]]
    assert tf.stack([a, a], axis=0).to_list() == [[[1], [2, 3]], [[1], [2, 3]]]
    assert tf.stack([a, a], axis=0).shape.as_list() == [2, None, None]
    assert tf.stack([a, a], axis=1).to_list() == [[[1], [1]], [[2, 3], [2, 3]]]
    assert tf.ragged.stack([a, tf.constant([[4], [5]])], axis=1).to_list() == [[[1], [4]], [[2, 3], [5]]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="incompatible shapes"):
        tf.concat([a, tf.ragged.constant([[1]])], axis=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="ConcatV2"):
        tf.concat([a, tf.ragged.constant([[1.0]])], axis=0)


def test_gather_mask_range_segments():
    x = tf.ragged.constant([[1], [2, 3], []])
    assert tf.gather(x, [2, 0, 1, 1]).to_list() == [[], [1], [2, 3], [2, 3]]
    assert tf.gather(tf.constant([10, 20, 30]), tf.ragged.constant([[0, 2], [1]])).to_list() == [[10, 30], [20]]
    mask = tf.constant([[True, False, True], [False, False, True]])
    assert tf.ragged.boolean_mask(tf.constant([[1, 2, 3], [4, 5, 6]]), mask).to_list() == [[1, 3], [6]]
    assert tf.ragged.boolean_mask(rt(), rt() > 2).to_list() == [[3, 4], [], [5, 9], [6], []]
    assert tf.ragged.boolean_mask(rt(), [True, False, True, False, False]).to_list() == [RT[0], RT[2]]
    assert tf.ragged.range([3, 0, 2]).to_list() == [[0, 1, 2], [], [0, 1]]
    assert tf.ragged.range([1, 5], [4, 2], [1, -1]).to_list() == [[1, 2, 3], [5, 4, 3]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="delta != 0"):
        tf.ragged.range([1], [4], [0])
    assert tf.ragged.row_splits_to_segment_ids([0, 2, 2, 5]).numpy().tolist() == [0, 0, 2, 2, 2]
    assert tf.ragged.segment_ids_to_row_splits([0, 0, 2, 2, 2]).numpy().tolist() == [0, 2, 2, 5]
    assert tf.ragged.segment_ids_to_row_splits([0, 0, 2], num_segments=5).numpy().tolist() == [0, 2, 2, 3, 3, 3]
    assert tf.ragged.is_ragged(x) and not tf.ragged.is_ragged(tf.constant(1))


def test_merge_dims_and_with_values():
    deep = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    assert deep.merge_dims(0, 1).to_list() == [[1, 2], [3], [4]]
    assert deep.merge_dims(1, 2).to_list() == [[1, 2, 3], [4]]
    assert deep.merge_dims(0, -1).numpy().tolist() == [1, 2, 3, 4]
    inner = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert inner.merge_dims(1, 2).to_list() == [[1, 2, 3, 4], [5, 6]]
    assert inner.merge_dims(0, 1).numpy().tolist() == [[1, 2], [3, 4], [5, 6]]
    x = rt().with_flat_values(tf.cast(rt().flat_values, tf.float32))
    assert x.dtype == tf.float32 and x.to_list() == RT
    assert rt().with_row_splits_dtype(tf.int32).row_splits.dtype == tf.int32


# ---------------------------------------------------------------------------------------------------------
# Inside ndflow.function


def test_ragged_arguments_and_results_in_functions():
    @tf.function
    def f(x):
        y = x * 2 + 1
        return tf.reduce_sum(y, axis=1), y, y[1:], tf.concat([y, y], axis=1), y.to_tensor()

    total, y, tail, joined, dense = f(tf.ragged.constant([[1.0, 2.0], [3.0]]))
    assert total.numpy().tolist() == [8.0, 7.0]
    assert isinstance(y, tf.RaggedTensor) and y.to_list() == [[3.0, 5.0], [7.0]]
    assert tail.to_list() == [[7.0]] and joined.to_list() == [[3.0, 5.0, 3.0, 5.0], [7.0, 7.0]]
    assert dense.numpy().tolist() == [[3.0, 5.0], [7.0, 0.0]]
    f(tf.ragged.constant([[1.0], [3.0, 4.0, 5.0]]))
    assert f.experimental_get_tracing_count() == 1
    f(tf.ragged.constant([[1.0], [3.0], []]))
    assert f.experimental_get_tracing_count() == 2


def test_building_ragged_from_graph_tensors():
    @tf.function
    def g(values, splits):
        x = tf.RaggedTensor.from_row_splits(values, splits)
        return x.row_lengths(), tf.reduce_mean(x, axis=1), x.bounding_shape(), x[0], tf.stack([x, x], axis=1)

    lengths, mean, bound, first, stacked = g(tf.constant([1.0, 2.0, 3.0, 4.0]), tf.constant([0, 2, 2, 4], tf.int64))
    assert lengths.numpy().tolist() == [2, 0, 2]
    np.testing.assert_allclose(mean.numpy(), [1.5, np.nan, 3.5])
    assert bound.numpy().tolist() == [3, 2] and first.numpy().tolist() == [1.0, 2.0]
    assert stacked.to_list() == [[[1.0, 2.0], [1.0, 2.0]], [[], []], [[3.0, 4.0], [3.0, 4.0]]]
    assert tf.nest.flatten(tf.ragged.constant([[1], [2, 3]]), expand_composites=True)[1].numpy().tolist() == [0, 1, 3]


# ---------------------------------------------------------------------------------------------------------
# Gradients (through the flat values, float64 finite differences)

SPLITS = [0, 2, 2, 5]
VALUES = np.array([0.5, -1.2, 2.0, 0.3, 1.7])


def ragged(v):
    return tf.RaggedTensor.from_row_splits(v, SPLITS)


@pytest.mark.parametrize("f", [
    lambda v: (ragged(v) * ragged(v) + 3.0).flat_values,
    lambda v: tf.reduce_sum(ragged(v), axis=1),
    lambda v: tf.reduce_mean(ragged(v), axis=0),
    lambda v: tf.reduce_max(ragged(v), axis=1)[::2],
    lambda v: ragged(v).to_tensor(default_value=0.5),
    lambda v: tf.concat([ragged(v), ragged(v)[::-1]], axis=1).flat_values,
    lambda v: tf.stack([ragged(v), ragged(v)], axis=0)[1, 2],
    lambda v: ragged(v)[:, 1:].flat_values,
    lambda v: tf.exp(ragged(v)).flat_values,
], ids=["mul", "sum1", "mean0", "max1", "to_tensor", "concat1", "stack0", "slice", "exp"])
def test_gradients_through_values(f):
    check_gradients(f, VALUES)


def test_tape_gradient_values():
    v = tf.constant([1.0, 2.0, 3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(v)
        x = tf.RaggedTensor.from_row_splits(v, [0, 2, 2, 4])
        y = tf.reduce_sum(tf.reduce_max(x * x, axis=1)) + tf.reduce_sum(x.to_tensor(default_value=5.0))
    assert tape.gradient(y, v).numpy().tolist() == [1.0, 5.0, 1.0, 9.0]


# ---------------------------------------------------------------------------------------------------------
# Parity with TensorFlow

PARITY = {
    "constant": lambda t: t.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []]),
    "floats": lambda t: t.ragged.constant([[1.0, 2.123456789], [3.0]]),
    "strings": lambda t: t.ragged.constant([["a", "bc"], []]),
    "deep": lambda t: t.ragged.constant([[[1, 2], [3]], [[4]]]),
    "inner": lambda t: t.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1),
    "uniform": lambda t: t.ragged.constant([[1, 2], [3, 4]]),
    "long": lambda t: t.ragged.range(t.range(8)),
    "from_value_rowids": lambda t: t.RaggedTensor.from_value_rowids([1, 2, 3, 4], [0, 0, 2, 2], nrows=4),
    "from_tensor_padding": lambda t: t.RaggedTensor.from_tensor([[1, 0, 0], [2, 3, 0]], padding=0),
    "to_tensor_shape": lambda t: t.ragged.constant([[3, 1, 4], [], [5]]).to_tensor(shape=[2, 2]),
    "row_lengths": lambda t: t.ragged.constant([[1], [2, 3], []]).row_lengths(),
    "value_rowids": lambda t: t.ragged.constant([[1], [2, 3], []]).value_rowids(),
    "bounding_shape": lambda t: t.ragged.constant([[[1, 2], [3]], [[4]]]).bounding_shape(),
    "sqrt": lambda t: t.sqrt(t.ragged.constant([[3.0, 1.0], [], [5.0]])),
    "divide": lambda t: t.ragged.constant([[3, 1], [5]]) / 2,
    "sum0": lambda t: t.reduce_sum(t.ragged.constant([[3, 1, 4], [], [5]]), axis=0),
    "mean1": lambda t: t.reduce_mean(t.ragged.constant([[3.0, 1.0, 4.0], [], [5.0]]), axis=1),
    "max1": lambda t: t.reduce_max(t.ragged.constant([[3, 1, 4], [], [5]]), axis=1),
    "min_float": lambda t: t.reduce_min(t.ragged.constant([[3.0], []]), axis=1),
    "sum_deep0": lambda t: t.reduce_sum(t.ragged.constant([[[1, 2], [3]], [[4]]]), axis=0),
    "concat0": lambda t: t.concat([t.ragged.constant([[1], [2, 3]]), t.constant([[4, 5]])], axis=0),
    "concat1": lambda t: t.concat([t.ragged.constant([[1], [2, 3]]), t.constant([[4], [5]])], axis=1),
    "stack1": lambda t: t.stack([t.ragged.constant([[1], [2, 3]])] * 2, axis=1),
    "slice_rows": lambda t: t.ragged.constant([[1], [2, 3], [4]])[1:],
    "slice_inner": lambda t: t.ragged.constant([[1, 2, 3], [4]])[:, -2:],
    "row": lambda t: t.ragged.constant([[[1, 2], [3]], [[4]]])[0],
    "merge": lambda t: t.ragged.constant([[[1, 2], [3]], [[4]]]).merge_dims(1, 2),
    "boolean_mask": lambda t: t.ragged.boolean_mask(t.constant([[1, 2], [3, 4]]), [[True, False], [True, True]]),
    "seg_to_splits": lambda t: t.ragged.segment_ids_to_row_splits([2, 0]),
    "splits_to_ids": lambda t: t.ragged.row_splits_to_segment_ids([0, 0, 3, 4]),
    "from_row_starts": lambda t: t.RaggedTensor.from_row_starts([1.5, 2.5, 3.5], [0, 0, 2]),
    "from_row_limits": lambda t: t.RaggedTensor.from_row_limits(["a", "b"], [1, 1, 2]),
    "from_nested_lengths": lambda t: t.RaggedTensor.from_nested_row_lengths([1, 2, 3], ([2, 1], [1, 0, 2])),
    "from_tensor_lengths": lambda t: t.RaggedTensor.from_tensor([[1, 0, 0], [2, 3, 0]], lengths=[0, 3]),
    "nrows": lambda t: t.ragged.constant([[1], [2, 3], []]).nrows(out_type=t.int32),
    "with_flat_values": lambda t: t.ragged.constant([[1], [2, 3]]).with_flat_values(t.constant([0.5, 1.5, 2.5])),
    "map_flat_values": lambda t: t.ragged.map_flat_values(t.multiply, t.ragged.constant([[1], [2, 3]]), 10),
    "gather": lambda t: t.gather(t.ragged.constant([[1], [2, 3], []]), [2, 0, 1]),
    "reduce_any": lambda t: t.reduce_any(t.ragged.constant([[True, False], []]), axis=1),
    "reduce_mean_all": lambda t: t.reduce_mean(t.ragged.constant([[1.0, 2.0], [], [6.0]])),
    "equal": lambda t: t.equal(t.ragged.constant([[1, 2], [3]]), 2),
    "cast": lambda t: t.cast(t.ragged.constant([[1, 2], [3]]), t.float64),
    "stack0_mixed": lambda t: t.stack([t.ragged.constant([[1], [2, 3]]), t.constant([[4, 5], [6, 7]])], axis=0),
}


def _same(ours, theirs):
    if hasattr(theirs, "to_list"):
        assert isinstance(ours, tf.RaggedTensor)
        assert repr(ours) == repr(theirs)
        assert ours.to_list() == theirs.to_list()
        assert ours.shape.as_list() == theirs.shape.as_list()
        assert ours.dtype.name == theirs.dtype.name and ours.ragged_rank == theirs.ragged_rank
        assert ours.row_splits.dtype.name == theirs.row_splits.dtype.name
    else:
        assert ours.dtype.name == theirs.dtype.name
        assert tuple(ours.shape) == tuple(theirs.shape)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parity
@pytest.mark.parametrize("name", sorted(PARITY))
def test_parity_with_tensorflow(name):
    real_tf = pytest.importorskip("tensorflow")
    _same(PARITY[name](tf), PARITY[name](real_tf))
