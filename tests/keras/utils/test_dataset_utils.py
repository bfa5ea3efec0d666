"""Tests for ``image_dataset_from_directory``, ``text_dataset_from_directory`` and
``timeseries_dataset_from_array`` on directories written here, with parity against real Keras."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras.utils import (
    image_dataset_from_directory,
    text_dataset_from_directory,
    timeseries_dataset_from_array,
)

Image = pytest.importorskip("PIL.Image")

CLASSES = ("cats", "dogs", "owls")


@pytest.fixture
def image_dir(tmp_path):
    rng = np.random.RandomState(0)
    root = tmp_path / "images"
    for index, name in enumerate(CLASSES):
        (root / name / "nested").mkdir(parents=True)
        for k in range(index + 2):
            pixels = rng.randint(0, 256, (6 + k, 9, 3)).astype("uint8")
            Image.fromarray(pixels).save(root / name / f"{k}.png")
        Image.fromarray(rng.randint(0, 256, (5, 5)).astype("uint8")).save(root / name / "nested" / "g.png")
        (root / name / "notes.txt").write_text("not an image")
    (root / ".hidden").mkdir()
    return root  # 3 + 4 + 5 = 12 images


@pytest.fixture
def text_dir(tmp_path):
    root = tmp_path / "texts"
    for label in ("neg", "pos"):
        (root / label).mkdir(parents=True)
        for k in range(5):
            (root / label / f"{k}.txt").write_text(f"{label} review number {k} " * (k + 1))
        (root / label / "skip.md").write_text("ignored")
    return root


def _batches(dataset):
    return list(dataset.as_numpy_iterator())


def test_image_dataset_inferred_int_labels(image_dir, capsys):
    ds = image_dataset_from_directory(image_dir, image_size=(4, 5), batch_size=5, shuffle=False)
    assert capsys.readouterr().out == "Found 12 files belonging to 3 classes.\n"
    assert ds.class_names == list(CLASSES) and len(ds.file_paths) == 12
    batches = _batches(ds)
    assert [len(y) for _, y in batches] == [5, 5, 2]
    images = np.concatenate([x for x, _ in batches])
    labels = np.concatenate([y for _, y in batches])
    assert images.dtype == np.float32 and images.shape == (12, 4, 5, 3)
    assert labels.dtype == np.int32 and labels.tolist() == [0] * 3 + [1] * 4 + [2] * 5
    assert ds.element_spec[0].shape.as_list() == [None, 4, 5, 3]


def test_image_dataset_label_modes_and_color(image_dir):
    ds = image_dataset_from_directory(image_dir, label_mode="categorical", color_mode="grayscale",
                                      image_size=3, batch_size=None, shuffle=False, verbose=False)
    x, y = next(ds.as_numpy_iterator())
    assert x.shape == (3, 3, 1) and y.dtype == np.float32 and y.tolist() == [1, 0, 0]
    images_only = image_dataset_from_directory(image_dir, labels=None, image_size=(2, 2), batch_size=4,
                                               shuffle=False, verbose=False)
    assert images_only.class_names is None
    assert [x.shape for x in _batches(images_only)] == [(4, 2, 2, 3)] * 3
    binary = image_dataset_from_directory(image_dir, class_names=["dogs", "cats"], label_mode="binary",
                                          image_size=(2, 2), shuffle=False, verbose=False)
    _, y = _batches(binary)[0]
    assert y.shape == (7, 1) and y.dtype == np.float32 and y[:, 0].tolist() == [0] * 4 + [1] * 3


def test_image_dataset_explicit_labels_and_shuffle_split(image_dir, capsys):
    ds = image_dataset_from_directory(image_dir, labels=list(range(12)), image_size=(2, 2), batch_size=12,
                                      shuffle=False)
    assert capsys.readouterr().out == "Found 12 files belonging to 12 classes.\n"
    assert _batches(ds)[0][1].tolist() == list(range(12))
    train, val = image_dataset_from_directory(image_dir, image_size=(2, 2), validation_split=0.25, subset="both",
                                              seed=7)
    out = capsys.readouterr().out
    assert out.splitlines() == ["Found 12 files belonging to 3 classes.", "Using 9 files for training.",
                                "Using 3 files for validation."]
    assert len(train.file_paths) == 9 and len(val.file_paths) == 3
    assert not set(train.file_paths) & set(val.file_paths)
    expected = sorted(train.file_paths + val.file_paths)
    order = np.arange(12)
    np.random.RandomState(7).shuffle(order)
    assert [expected[i] for i in order] == train.file_paths + val.file_paths
    train_labels = sorted(np.concatenate([y for _, y in _batches(train)]).tolist())
    assert len(train_labels) == 9


def test_image_dataset_errors(image_dir, tmp_path):
    with pytest.raises(ValueError, match="`labels` argument should be a list/tuple of integer labels"):
        image_dataset_from_directory(image_dir, labels="folders")
    with pytest.raises(ValueError, match='`label_mode` argument must be one of "int", "categorical", "binary"'):
        image_dataset_from_directory(image_dir, label_mode="sparse")
    with pytest.raises(ValueError, match="`color_mode` must be one of"):
        image_dataset_from_directory(image_dir, color_mode="cmyk")
    with pytest.raises(ValueError, match="Invalid `image_size` value"):
        image_dataset_from_directory(image_dir, image_size=(1, 2, 3))
    with pytest.raises(ValueError, match="Argument `interpolation` should be one of"):
        image_dataset_from_directory(image_dir, interpolation="magic")
    with pytest.raises(ValueError, match="you must provide a `seed` argument"):
        image_dataset_from_directory(image_dir, validation_split=0.2, subset="training")
    with pytest.raises(ValueError, match="If `subset` is set, `validation_split` must be set"):
        image_dataset_from_directory(image_dir, subset="training")
    with pytest.raises(ValueError, match="`validation_split` must be between 0 and 1"):
        image_dataset_from_directory(image_dir, validation_split=1.5, subset="training", seed=1)
    with pytest.raises(ValueError, match='there must be exactly 2 class_names'):
        image_dataset_from_directory(image_dir, label_mode="binary", verbose=False)
    with pytest.raises(ValueError, match="The `class_names` passed did not match"):
        image_dataset_from_directory(image_dir, class_names=["cats", "zebras"])
    with pytest.raises(ValueError, match="Expected the lengths of `labels` to match"):
        image_dataset_from_directory(image_dir, labels=[0, 1], verbose=False)
    with pytest.raises(ValueError, match="No images found in directory"):
        (tmp_path / "empty" / "only_class").mkdir(parents=True)
        image_dataset_from_directory(tmp_path / "empty", verbose=False)


def test_image_dataset_trains_a_model(image_dir):
    ds = image_dataset_from_directory(image_dir, image_size=(4, 4), batch_size=4, seed=1, verbose=False)
    model = tf.keras.Sequential([tf.keras.Input((4, 4, 3)), tf.keras.layers.Rescaling(1 / 255.0),
                                 tf.keras.layers.Flatten(), tf.keras.layers.Dense(3)])
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(ds, epochs=2, verbose=0, shuffle=False)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [
    {"image_size": (4, 5)}, {"image_size": (7, 3), "interpolation": "bicubic", "label_mode": "categorical"},
    {"image_size": (4, 4), "crop_to_aspect_ratio": True, "color_mode": "rgba"},
    {"image_size": (5, 5), "pad_to_aspect_ratio": True, "interpolation": "nearest"},
    {"image_size": (3, 3), "color_mode": "grayscale", "validation_split": 0.3, "subset": "validation",
     "shuffle": True, "seed": 11},
])
def test_image_dataset_parity(image_dir, kwargs):
    keras = pytest.importorskip("keras")
    options = {"shuffle": False, "batch_size": 32, "verbose": False, **kwargs}
    shuffle = options.pop("shuffle")
    ours = image_dataset_from_directory(image_dir, shuffle=shuffle, **options)
    theirs = keras.utils.image_dataset_from_directory(str(image_dir), shuffle=shuffle, **options)
    assert ours.class_names == theirs.class_names
    if shuffle:  # the file split comes from the same RandomState; batch order differs (different shufflers)
        assert sorted(ours.file_paths) == sorted(theirs.file_paths)
        return
    (x_ours, y_ours), = _batches(ours)
    (x_theirs, y_theirs), = list(theirs.as_numpy_iterator())
    assert x_ours.dtype == x_theirs.dtype and y_ours.dtype == y_theirs.dtype
    np.testing.assert_allclose(x_ours, x_theirs, rtol=1e-5, atol=1e-4)
    np.testing.assert_array_equal(y_ours, y_theirs)


def test_text_dataset(text_dir, capsys):
    ds = text_dataset_from_directory(text_dir, batch_size=4, shuffle=False, max_length=12)
    assert capsys.readouterr().out == "Found 10 files belonging to 2 classes.\n"
    assert ds.class_names == ["neg", "pos"]
    texts, labels = _batches(ds)[0]
    assert texts.dtype == object and texts[0] == b"neg review n"
    assert labels.dtype == np.int32 and labels.tolist() == [0, 0, 0, 0]
    full = text_dataset_from_directory(text_dir, labels=None, batch_size=None, shuffle=False, verbose=False)
    assert next(full.as_numpy_iterator()) == b"neg review number 0 "
    train, val = text_dataset_from_directory(text_dir, validation_split=0.2, subset="both", seed=3,
                                             label_mode="binary", verbose=False)
    assert sum(len(y) for _, y in _batches(train)) == 8
    assert _batches(val)[0][1].shape == (2, 1)
    with pytest.raises(ValueError, match="No text files found in directory"):
        text_dataset_from_directory(text_dir / "neg", verbose=False)


@pytest.mark.parity
def test_text_dataset_parity(text_dir):
    keras = pytest.importorskip("keras")
    for kwargs in ({}, {"max_length": 7, "label_mode": "categorical"}):
        ours = _batches(text_dataset_from_directory(text_dir, shuffle=False, verbose=False, **kwargs))
        theirs = list(keras.utils.text_dataset_from_directory(str(text_dir), shuffle=False, verbose=False,
                                                              **kwargs).as_numpy_iterator())
        assert ours[0][0].tolist() == theirs[0][0].tolist()
        assert ours[0][1].dtype == theirs[0][1].dtype
        np.testing.assert_array_equal(ours[0][1], theirs[0][1])


def test_timeseries_windows_and_targets():
    data = np.arange(30).reshape(15, 2)
    targets = np.arange(15) * 10
    ds = timeseries_dataset_from_array(data, targets, sequence_length=3, sequence_stride=2, sampling_rate=2,
                                       batch_size=2, start_index=1, end_index=12)
    windows = np.concatenate([x for x, _ in _batches(ds)])
    labels = np.concatenate([y for _, y in _batches(ds)])
    starts = np.arange(0, 11 - 4, 2)
    np.testing.assert_array_equal(windows, [data[1 + s:1 + s + 6:2] for s in starts])
    np.testing.assert_array_equal(labels, targets[1 + starts])
    unbatched = timeseries_dataset_from_array(data, None, sequence_length=4, batch_size=None)
    assert len(_batches(unbatched)) == 12
    shuffled = timeseries_dataset_from_array(data, targets, 5, shuffle=True, seed=4, batch_size=4)
    pairs = [(window, target) for xb, yb in _batches(shuffled) for window, target in zip(xb, yb)]
    assert sorted(int(target) for _, target in pairs) == list(targets[:11])
    for window, target in pairs:
        np.testing.assert_array_equal(window, data[target // 10:target // 10 + 5])


def test_timeseries_errors():
    data = np.zeros((10, 1))
    for kwargs, message in (({"start_index": -1}, "`start_index` must be 0 or greater"),
                            ({"start_index": 10}, "`start_index` must be lower than the length of the data"),
                            ({"start_index": 5, "end_index": 4}, "`end_index` must be higher than `start_index`"),
                            ({"end_index": 10}, "`end_index` must be lower than the length of the data"),
                            ({"sampling_rate": 0}, "`sampling_rate` must be higher than 0"),
                            ({"sequence_stride": 10}, "`sequence_stride` must be lower than the length")):
        with pytest.raises(ValueError, match=message):
            timeseries_dataset_from_array(data, None, 3, **kwargs)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [
    {"sequence_length": 4}, {"sequence_length": 3, "sequence_stride": 3, "sampling_rate": 2, "batch_size": 4},
    {"sequence_length": 2, "start_index": 3, "end_index": 17, "batch_size": None},
])
def test_timeseries_parity(kwargs):
    keras = pytest.importorskip("keras")
    data = np.random.RandomState(5).rand(20, 3).astype("float32")
    targets = np.arange(20)
    ours = _batches(timeseries_dataset_from_array(data, targets, **kwargs))
    theirs = list(keras.utils.timeseries_dataset_from_array(data, targets, **kwargs).as_numpy_iterator())
    assert len(ours) == len(theirs)
    for (xa, ya), (xb, yb) in zip(ours, theirs):
        assert xa.dtype == xb.dtype and ya.dtype == yb.dtype
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)


def test_image_dataset_reads_jpeg_bmp_and_gif(tmp_path):
    rng = np.random.RandomState(12)
    for extension in ("jpg", "jpeg", "bmp", "gif"):
        folder = tmp_path / "mixed" / extension
        folder.mkdir(parents=True)
        Image.fromarray(rng.randint(0, 256, (8, 6, 3)).astype("uint8")).save(folder / f"a.{extension.upper()}")
    ds = image_dataset_from_directory(tmp_path / "mixed", image_size=(4, 4), shuffle=False, verbose=False)
    (images, labels), = _batches(ds)
    assert images.shape == (4, 4, 4, 3) and labels.tolist() == [0, 1, 2, 3]
    assert ds.class_names == ["bmp", "gif", "jpeg", "jpg"]
    assert ds.cardinality().numpy() == 1


@pytest.mark.parity
def test_timeseries_list_input_dtypes_parity():
    keras = pytest.importorskip("keras")
    data, targets = [[float(i), 2.0 * i] for i in range(12)], list(range(12))
    (x_ours, y_ours), = _batches(timeseries_dataset_from_array(data, targets, 3, batch_size=16))
    (x_theirs, y_theirs), = list(keras.utils.timeseries_dataset_from_array(data, targets, 3, batch_size=16)
                                 .as_numpy_iterator())
    assert (x_ours.dtype, y_ours.dtype) == (x_theirs.dtype, y_theirs.dtype) == (np.float32, np.int32)
    np.testing.assert_array_equal(x_ours, x_theirs)
    np.testing.assert_array_equal(y_ours, y_theirs)


def test_format_argument(image_dir, text_dir):
    with pytest.raises(ValueError, match='`format` should be either "tf" or "grain". Received: format=torch'):
        image_dataset_from_directory(image_dir, format="torch")
    with pytest.raises(NotImplementedError, match='format="grain" is not supported yet'):
        text_dataset_from_directory(text_dir, format="grain")
    with pytest.raises(NotImplementedError, match='format="grain" is not supported yet'):
        timeseries_dataset_from_array(np.zeros((5, 1)), None, 2, format="grain")
    ds = timeseries_dataset_from_array(np.zeros((5, 1)), None, 2, format="tf")
    assert _batches(ds)[0].shape == (4, 2, 1)


@pytest.mark.parity
def test_empty_subset_messages_match_keras(image_dir, text_dir):
    keras = pytest.importorskip("keras")
    # 0.05 of 12 (or 10) files rounds to no validation file, which leaves the training part empty (as in Keras)
    cases = [(image_dataset_from_directory, keras.utils.image_dataset_from_directory, image_dir),
             (text_dataset_from_directory, keras.utils.text_dataset_from_directory, text_dir)]
    for ours, theirs, directory in cases:
        with pytest.raises(ValueError) as expected:
            theirs(directory, validation_split=0.05, subset="both", seed=1, verbose=False)
        with pytest.raises(ValueError) as got:
            ours(directory, validation_split=0.05, subset="both", seed=1, verbose=False)
        assert str(got.value).replace(str(directory), "DIR") == str(expected.value).replace(str(directory), "DIR")
        assert "No training" in str(got.value)
