"""``Dataset.cache(filename)``: the file round-trips every tensor kind, and reading never executes code."""
import os
import pickle

import numpy as np
import pytest

import ndflow as tf

D = tf.data.Dataset
DATA_SUFFIX = ".data-00000-of-00001"


def _source():
    ints = np.array([3, -7, 2**40], dtype=np.int64)
    floats = np.array([[0.5, -1.25], [np.inf, np.nan], [1e-30, 3.0]], dtype=np.float32)
    words = np.array([[b"", b"a"], [b"\x00\xffbytes", "héllo".encode()], [b"x" * 300, b"z"]], dtype=object)
    return {
        "id": ints,
        "pair": (floats, np.array([True, False, True])),
        "text": {"word": np.array([b"one", b"", b"three"], dtype=object), "grid": words},
        "pixels": np.arange(3 * 2 * 2, dtype=np.uint8).reshape(3, 2, 2),
        "wave": np.array([1 + 2j, -3j, 0], dtype=np.complex128),
    }


def _expected():
    src = _source()
    return [{"id": src["id"][i], "pair": (src["pair"][0][i], src["pair"][1][i]),
             "text": {"word": src["text"]["word"][i], "grid": src["text"]["grid"][i]},
             "pixels": src["pixels"][i], "wave": src["wave"][i]} for i in range(3)]


def _assert_elements_equal(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        for a, b in zip(tf.nest.flatten(g), tf.nest.flatten(w)):
            a, b = np.asarray(a), np.asarray(b)
            assert a.dtype == b.dtype and a.shape == b.shape
            if a.dtype.kind == "f":
                np.testing.assert_array_equal(a.view(np.uint32), b.view(np.uint32))  # nan payloads too
            else:
                np.testing.assert_array_equal(a, b)


def test_file_cache_round_trips_every_component_kind_in_a_fresh_dataset(tmp_path):
    path = str(tmp_path / "cache")
    first = D.from_tensor_slices(_source()).cache(path)
    _assert_elements_equal(list(first.as_numpy_iterator()), _expected())
    assert sorted(os.listdir(tmp_path)) == ["cache" + DATA_SUFFIX, "cache.index"]

    def must_not_run(x):
        raise AssertionError("the cached dataset read its input instead of the cache file")

    fresh = D.from_tensor_slices(_source()).map(lambda e: tf.nest.map_structure(
        lambda t: tf.numpy_function(must_not_run, [t], t.dtype), e)).cache(path)
    replay = list(fresh.as_numpy_iterator())
    _assert_elements_equal(replay, _expected())
    assert isinstance(replay[0]["text"]["word"], bytes) and replay[1]["text"]["word"] == b""
    assert replay[2]["text"]["grid"].tolist() == [b"x" * 300, b"z"]


def test_file_cache_keeps_scalars_bfloat16_and_empty_datasets(tmp_path):
    ml_dtypes = pytest.importorskip("ml_dtypes")
    path = str(tmp_path / "scalars")
    values = np.array([1.5, -2.0, 3.25], dtype=ml_dtypes.bfloat16)
    dataset = D.range(3).map(lambda i: (i * 2, tf.cast(i, tf.float64) / 4,
                                        tf.constant(values)[i], tf.strings.as_string(i))).cache(path)
    expected = [(2 * i, i / 4, values[i], str(i).encode()) for i in range(3)]
    assert list(dataset.as_numpy_iterator()) == expected
    replay = list(D.range(0).map(lambda i: (i, tf.cast(i, tf.float64), tf.constant(values)[i],
                                            tf.strings.as_string(i))).cache(path).as_numpy_iterator())
    assert replay == expected
    assert replay[0][2].dtype == ml_dtypes.bfloat16 and replay[0][1].dtype == np.float64

    empty = str(tmp_path / "empty")
    assert list(D.range(0).cache(empty).as_numpy_iterator()) == []
    assert list(D.range(5).cache(empty).as_numpy_iterator()) == []


class _Planted:
    """A pickle payload that would create ``marker`` if unpickled."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_planted_pickle_is_not_executed_and_raises_data_loss(tmp_path):
    path = str(tmp_path / "cache")
    marker = tmp_path / "pwned"
    with open(path + DATA_SUFFIX, "wb") as f:
        pickle.dump((_Planted(str(marker)),), f)
    open(path + ".index", "wb").close()
    with pytest.raises(tf.errors.DataLossError, match="not a dataset cache file"):
        list(D.range(3).cache(path))
    assert not marker.exists()


def test_truncated_or_altered_cache_files_raise_data_loss(tmp_path):
    path = str(tmp_path / "cache")
    data = path + DATA_SUFFIX
    assert len(list(D.range(4).map(lambda i: (i, tf.strings.as_string(i))).cache(path))) == 4
    complete = open(data, "rb").read()

    def read_with(content):
        with open(data, "wb") as f:
            f.write(content)
        return list(D.range(4).map(lambda i: (i, tf.strings.as_string(i))).cache(path))

    assert len(read_with(complete)) == 4
    with pytest.raises(tf.errors.DataLossError, match="truncated"):
        read_with(complete[:-20])
    with pytest.raises(tf.errors.DataLossError, match="truncated"):
        read_with(complete[:-9])  # every element, but no end record
    with pytest.raises(tf.errors.DataLossError, match="corrupted"):
        read_with(complete + b"E")
    with pytest.raises(tf.errors.DataLossError, match="corrupted"):
        at = complete.index(b"int64")
        read_with(complete[:at] + b"int99" + complete[at + 5:])
    with pytest.raises(tf.errors.DataLossError, match="not a dataset cache file"):
        read_with(b"")
