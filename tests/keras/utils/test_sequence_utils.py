"""Tests for ``keras.utils.pad_sequences`` (values, dtypes, errors; parity with real Keras)."""
import numpy as np
import pytest

from ndflow.keras.utils import pad_sequences

SEQUENCES = [[1, 2, 3], [4, 5], [], [6, 7, 8, 9, 10]]


def test_pre_padding_and_truncating_defaults():
    out = pad_sequences(SEQUENCES, maxlen=4)
    assert out.dtype == np.int32 and out.shape == (4, 4)
    np.testing.assert_array_equal(out, [[0, 1, 2, 3], [0, 0, 4, 5], [0, 0, 0, 0], [7, 8, 9, 10]])


def test_post_padding_and_truncating_and_value():
    out = pad_sequences(SEQUENCES, maxlen=3, padding="post", truncating="post", value=-1)
    np.testing.assert_array_equal(out, [[1, 2, 3], [4, 5, -1], [-1, -1, -1], [6, 7, 8]])


def test_maxlen_defaults_to_longest_and_float_dtype():
    out = pad_sequences([[0.5], [1.5, 2.5]], dtype="float32")
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[0.0, 0.5], [1.5, 2.5]])


def test_multidimensional_steps():
    out = pad_sequences([np.ones((2, 3)), np.full((1, 3), 2.0)], dtype="float64")
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out[1], [[0, 0, 0], [2, 2, 2]])
    with pytest.raises(ValueError, match=r"Shape of sample \(2,\) of sequence at position 1 is different from "
                                         r"expected shape \(3,\)"):
        pad_sequences([np.ones((2, 3)), np.ones((1, 2))])


def test_string_values():
    out = pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert out.tolist() == [["a", "b"], ["<pad>", "c"]]
    with pytest.raises(ValueError, match="`dtype` int32 is not compatible with `value`'s type: <class 'str'>"):
        pad_sequences([["a"]], value="x")


def test_errors():
    with pytest.raises(ValueError, match="`sequences` must be iterable."):
        pad_sequences(5)
    with pytest.raises(ValueError, match="`sequences` must be a list of iterables. Found non-iterable: 3"):
        pad_sequences([[1], 3])
    with pytest.raises(ValueError, match='Truncating type "middle" not understood'):
        pad_sequences([[1, 2]], truncating="middle")
    with pytest.raises(ValueError, match='Padding type "middle" not understood'):
        pad_sequences([[1, 2]], padding="middle")


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [
    {}, {"maxlen": 2}, {"maxlen": 6, "padding": "post"}, {"maxlen": 3, "truncating": "post", "value": 7},
    {"dtype": "float32", "value": 0.5}, {"dtype": "int64", "maxlen": 1, "padding": "post", "truncating": "post"},
])
def test_parity_with_keras(kwargs):
    keras = pytest.importorskip("keras")
    ours = pad_sequences(SEQUENCES, **kwargs)
    theirs = keras.utils.pad_sequences(SEQUENCES, **kwargs)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)
