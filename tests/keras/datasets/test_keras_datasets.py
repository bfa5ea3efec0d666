"""Tests for ``keras.datasets``: each loader reads small fixture files written here in the real on-disk formats
(npz, gzipped IDX, CIFAR tar.gz of pickled batches, JSON word indexes) from a temporary ``KERAS_HOME``.

The canonical hashes cannot match the fixtures, so ``get_file`` is wrapped to record its arguments (checked
against real Keras's loaders) and to skip the hash check.
"""
import gzip
import io
import json
import pickle
import tarfile
import types

import numpy as np
import pytest

import ndflow as tf
from ndflow.keras.datasets import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    digits,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)
from ndflow.keras.utils import file_utils

_LOADERS = (boston_housing, california_housing, cifar10, cifar100, fashion_mnist, imdb, mnist, reuters)


def _recording_get_file(real_get_file, calls):
    def get_file(fname=None, origin=None, **kwargs):
        calls.append({"fname": fname, "origin": origin, **kwargs})
        kwargs.pop("file_hash", None)
        return real_get_file(fname, origin=origin, **kwargs)

    return get_file


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A temporary KERAS_HOME with ``datasets/``; our loaders' ``get_file`` calls land in ``calls``."""
    root = tmp_path / "keras_home"
    (root / "datasets").mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(root))
    calls = []
    for module in _LOADERS:
        monkeypatch.setattr(module, "get_file", _recording_get_file(file_utils.get_file, calls))
    return types.SimpleNamespace(root=root, datasets=root / "datasets", calls=calls)


@pytest.fixture
def real_keras(home, monkeypatch):
    """Real Keras's dataset modules reading the same KERAS_HOME; their ``get_file`` calls land in ``calls``."""
    pytest.importorskip("keras")
    import importlib

    from keras.src.backend import config as keras_config
    from keras.src.utils import file_utils as keras_file_utils

    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(home.root))
    calls = []
    modules = {}
    for module in _LOADERS:
        name = module.__name__.rsplit(".", 1)[1]
        modules[name] = importlib.import_module(f"keras.src.datasets.{name}")
        monkeypatch.setattr(modules[name], "get_file", _recording_get_file(keras_file_utils.get_file, calls))
    modules["calls"] = calls
    return modules


def _origin_of(call):
    return {key: call.get(key) for key in ("origin", "file_hash", "extract", "cache_subdir")}


def _assert_same_downloads(ours, theirs):
    assert [_origin_of(c) for c in ours] == [_origin_of(c) for c in theirs]
    assert [c["fname"] for c in ours] == [c["fname"] for c in theirs]


def _flat(result):
    (x_train, y_train), (x_test, y_test) = result
    return [x_train, y_train, x_test, y_test]


def _save_npz(path, **arrays):
    with open(path, "wb") as file:
        np.savez(file, **arrays)


def _ragged(rng, count, vocabulary):
    sequences = np.empty(count, dtype=object)
    sequences[:] = [rng.randint(1, vocabulary, size=rng.randint(2, 9)).tolist() for _ in range(count)]
    return sequences


# -- images ---------------------------------------------------------------------------------------------------
def test_mnist_shapes_dtypes_and_values(home):
    rng = np.random.RandomState(0)
    arrays = {"x_train": rng.randint(0, 256, (6, 28, 28)).astype("uint8"), "y_train": np.arange(6, dtype="uint8"),
              "x_test": rng.randint(0, 256, (3, 28, 28)).astype("uint8"), "y_test": np.arange(3, dtype="uint8")}
    _save_npz(home.datasets / "mnist.npz", **arrays)
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert x_train.shape == (6, 28, 28) and x_train.dtype == np.uint8 and y_test.dtype == np.uint8
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    np.testing.assert_array_equal(y_test, arrays["y_test"])
    assert home.calls[0]["origin"] == "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
    assert len(home.calls[0]["file_hash"]) == 64


def _idx_gz(path, array, header_bytes):
    with gzip.open(path, "wb") as file:
        file.write(b"\0" * header_bytes + array.tobytes())


def _write_fashion(home, rng):
    folder = home.datasets / "fashion-mnist"
    folder.mkdir()
    images = rng.randint(0, 256, (5, 28, 28)).astype("uint8")
    labels = np.array([3, 1, 4, 1, 5], dtype="uint8")
    _idx_gz(folder / "train-labels-idx1-ubyte.gz", labels, 8)
    _idx_gz(folder / "train-images-idx3-ubyte.gz", images, 16)
    _idx_gz(folder / "t10k-labels-idx1-ubyte.gz", labels[:2], 8)
    _idx_gz(folder / "t10k-images-idx3-ubyte.gz", images[:2], 16)
    return images, labels


def test_fashion_mnist_reads_idx_files(home):
    images, labels = _write_fashion(home, np.random.RandomState(1))
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train, images)
    np.testing.assert_array_equal(y_train, labels)
    assert x_test.shape == (2, 28, 28) and y_test.dtype == np.uint8
    assert [c["cache_subdir"] for c in home.calls] == ["datasets/fashion-mnist"] * 4


def _pickled_batch(data, **labels):
    return pickle.dumps({b"data": data, **{key.encode(): value for key, value in labels.items()}}, protocol=4)


def _tar_gz(path, members):
    with tarfile.open(path, "w:gz") as archive:
        for name, payload in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))


def test_cifar10_tar_layout_and_channels(home):
    rng = np.random.RandomState(2)
    batches = [rng.randint(0, 256, (4, 3072)).astype("uint8") for _ in range(6)]
    labels = [rng.randint(0, 10, 4).tolist() for _ in range(6)]
    members = {f"cifar-10-batches-py/data_batch_{i + 1}": _pickled_batch(batches[i], labels=labels[i])
               for i in range(5)}
    members["cifar-10-batches-py/test_batch"] = _pickled_batch(batches[5], labels=labels[5])
    _tar_gz(home.datasets / "cifar-10-batches-py-target_archive", members)
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (20, 32, 32, 3) and y_train.shape == (20, 1)
    assert x_train.dtype == y_train.dtype == x_test.dtype == y_test.dtype == np.uint8
    expected = np.concatenate(batches[:5]).reshape(20, 3, 32, 32).transpose(0, 2, 3, 1)
    np.testing.assert_array_equal(x_train, expected)
    np.testing.assert_array_equal(y_test[:, 0], labels[5])
    tf.keras.backend.set_image_data_format("channels_first")
    try:
        (x_first, _), _ = cifar10.load_data()
    finally:
        tf.keras.backend.set_image_data_format("channels_last")
    assert x_first.shape == (20, 3, 32, 32)


def _write_cifar100(home, rng):
    members = {}
    for split, count in (("train", 5), ("test", 3)):
        members[f"cifar-100-python/{split}"] = _pickled_batch(
            rng.randint(0, 256, (count, 3072)).astype("uint8"), fine_labels=rng.randint(0, 100, count).tolist(),
            coarse_labels=rng.randint(0, 20, count).tolist())
    _tar_gz(home.datasets / "cifar-100-python-target_archive", members)


@pytest.mark.parity
def test_cifar100_parity(home, real_keras):
    _write_cifar100(home, np.random.RandomState(3))
    for mode in ("fine", "coarse"):
        ours = cifar100.load_data(label_mode=mode)
        theirs = real_keras["cifar100"].load_data(label_mode=mode)
        for a, b in zip(_flat(ours), _flat(theirs)):
            assert a.dtype == b.dtype and a.shape == b.shape
            np.testing.assert_array_equal(a, b)
    _assert_same_downloads(home.calls, real_keras["calls"])
    with pytest.raises(ValueError, match='`label_mode` must be one of `"fine"`, `"coarse"`'):
        cifar100.load_data(label_mode="medium")


@pytest.mark.parity
def test_mnist_and_fashion_parity(home, real_keras):
    rng = np.random.RandomState(4)
    _save_npz(home.datasets / "mnist.npz", x_train=rng.randint(0, 256, (4, 28, 28)).astype("uint8"),
              y_train=np.arange(4, dtype="uint8"), x_test=np.zeros((2, 28, 28), "uint8"),
              y_test=np.ones(2, "uint8"))
    _write_fashion(home, rng)
    for name, module in (("mnist", mnist), ("fashion_mnist", fashion_mnist)):
        ours, theirs = module.load_data(), real_keras[name].load_data()
        for a, b in zip(_flat(ours), _flat(theirs)):
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)
    _assert_same_downloads(home.calls, real_keras["calls"])


# -- sequences ------------------------------------------------------------------------------------------------
def _write_imdb(home, rng):
    _save_npz(home.datasets / "imdb.npz", x_train=_ragged(rng, 12, 30), y_train=rng.randint(0, 2, 12),
              x_test=_ragged(rng, 8, 30), y_test=rng.randint(0, 2, 8))
    (home.datasets / "imdb_word_index.json").write_text(json.dumps({"the": 1, "movie": 2, "good": 3}))


def test_imdb_defaults_and_word_index(home):
    rng = np.random.RandomState(5)
    _write_imdb(home, rng)
    (x_train, y_train), (x_test, y_test) = imdb.load_data()
    assert x_train.dtype == object and len(x_train) == 12 and len(x_test) == 8
    with np.load(home.datasets / "imdb.npz", allow_pickle=True) as raw:
        train_order, test_order = np.arange(12), np.arange(8)
        rng = np.random.RandomState(113)
        rng.shuffle(train_order)
        rng.shuffle(test_order)
        raw_train, raw_test = raw["x_train"][train_order], raw["x_test"][test_order]
        np.testing.assert_array_equal(y_train, raw["y_train"][train_order])
    shifted = [[1] + [w + 3 for w in seq] for seq in [*raw_train, *raw_test]]
    top = max(max(seq) for seq in shifted)  # without num_words the largest id itself counts as out of vocabulary
    expected = [[w if w < top else 2 for w in seq] for seq in shifted]
    assert [list(seq) for seq in x_train] == expected[:12]
    assert [list(seq) for seq in x_test] == expected[12:]
    assert imdb.get_word_index() == {"the": 1, "movie": 2, "good": 3}
    assert home.calls[-1]["file_hash"] == "bfafd718b763782e994055a2d397834f"


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [
    {}, {"num_words": 10}, {"num_words": 12, "skip_top": 5, "oov_char": None}, {"maxlen": 7, "seed": 1},
    {"start_char": None, "index_from": 0}, {"start_char": None, "index_from": 2}, {"index_from": 5, "oov_char": 9},
])
def test_imdb_parity(home, real_keras, kwargs):
    _write_imdb(home, np.random.RandomState(6))
    (xa, ya), (xta, yta) = imdb.load_data(**kwargs)
    (xb, yb), (xtb, ytb) = real_keras["imdb"].load_data(**kwargs)
    assert [list(s) for s in xa] == [list(s) for s in xb] and [list(s) for s in xta] == [list(s) for s in xtb]
    assert xa.dtype == xb.dtype == object and xa.shape == xb.shape
    np.testing.assert_array_equal(ya, yb)
    np.testing.assert_array_equal(yta, ytb)
    assert imdb.get_word_index() == real_keras["imdb"].get_word_index()
    _assert_same_downloads(home.calls, real_keras["calls"])


def test_imdb_maxlen_too_small(home):
    _write_imdb(home, np.random.RandomState(7))
    with pytest.raises(ValueError, match="After filtering for sequences shorter than maxlen=2, no sequence was kept"):
        imdb.load_data(maxlen=2)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"num_words": 8, "test_split": 0.3}, {"maxlen": 6, "oov_char": None}])
def test_reuters_parity(home, real_keras, kwargs):
    rng = np.random.RandomState(8)
    _save_npz(home.datasets / "reuters.npz", x=_ragged(rng, 15, 20), y=rng.randint(0, 46, 15))
    (home.datasets / "reuters_word_index.json").write_text(json.dumps({"said": 1, "oil": 2}))
    ours, theirs = reuters.load_data(**kwargs), real_keras["reuters"].load_data(**kwargs)
    for (xa, ya), (xb, yb) in zip(ours, theirs):
        assert [list(s) for s in xa] == [list(s) for s in xb]
        assert ya.dtype == yb.dtype
        np.testing.assert_array_equal(ya, yb)
    assert reuters.get_word_index() == real_keras["reuters"].get_word_index()
    assert reuters.get_label_names() == real_keras["reuters"].get_label_names()
    _assert_same_downloads(home.calls, real_keras["calls"])


def test_npz_loader_refuses_foreign_pickles(home):
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    _save_npz(home.datasets / "reuters.npz", x=np.array([Evil()], dtype=object), y=np.zeros(1))
    with pytest.raises(pickle.UnpicklingError, match="Refusing to deserialize `builtins.print`"):
        reuters.load_data()


# -- tabular --------------------------------------------------------------------------------------------------
@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"test_split": 0.5, "seed": 3}, {"test_split": 0}])
def test_housing_parity(home, real_keras, kwargs):
    rng = np.random.RandomState(9)
    _save_npz(home.datasets / "boston_housing.npz", x=rng.rand(20, 13), y=rng.rand(20) * 50)
    _save_npz(home.datasets / "california_housing.npz", x=rng.rand(700, 8), y=rng.rand(700) * 5e5)
    pairs = [(boston_housing.load_data(**kwargs), real_keras["boston_housing"].load_data(**kwargs)),
             (california_housing.load_data(**kwargs), real_keras["california_housing"].load_data(**kwargs)),
             (california_housing.load_data(version="small", **kwargs),
              real_keras["california_housing"].load_data(version="small", **kwargs))]
    for ours, theirs in pairs:
        for a, b in zip(_flat(ours), _flat(theirs)):
            assert a.shape == b.shape and a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)
    _assert_same_downloads(home.calls, real_keras["calls"])


def test_housing_errors(home):
    with pytest.raises(ValueError, match="Invalid `test_split` argument: 1. It must be between 0 and 1"):
        boston_housing.load_data(test_split=1)
    _save_npz(home.datasets / "california_housing.npz", x=np.zeros((4, 8)), y=np.zeros(4))
    with pytest.raises(ValueError, match="Argument `version` must be one of 'small', 'large'"):
        california_housing.load_data(version="medium")


# -- bundled digits -------------------------------------------------------------------------------------------
def test_digits_bundled_offline_split():
    (x_train, y_train), (x_test, y_test) = digits.load_data()
    assert x_train.shape == (1437, 8, 8) and x_test.shape == (360, 8, 8)
    assert x_train.dtype == y_train.dtype == np.uint8 and x_train.max() == 16 and x_train.min() == 0
    assert sorted(set(y_train.tolist())) == list(range(10))
    from ndflow.learn.datasets import load_digits

    bunch = load_digits()
    order = np.arange(1797)
    np.random.RandomState(113).shuffle(order)
    np.testing.assert_array_equal(x_test, bunch.images[order[1437:]])
    np.testing.assert_array_equal(y_train, bunch.target[order[:1437]])
    (again, _), _ = digits.load_data()
    np.testing.assert_array_equal(again, x_train)


def test_datasets_namespace_is_lazy():
    assert tf.keras.datasets.mnist is mnist
    with pytest.raises(AttributeError):
        tf.keras.datasets.not_a_dataset  # noqa: B018
