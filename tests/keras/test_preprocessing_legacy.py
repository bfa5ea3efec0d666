"""Tests for the legacy ``keras.preprocessing`` namespace: ``text.Tokenizer`` & co, ``sequence`` helpers and the
``image`` re-exports, with parity against Keras's own legacy implementations."""
import json
import random
import warnings

import numpy as np
import pytest

import ndflow as tf
from ndflow.keras.preprocessing import image, sequence, text
from ndflow.keras.preprocessing.image import ImageDataGenerator
from ndflow.keras.preprocessing.text import Tokenizer, text_to_word_sequence, tokenizer_from_json

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "Cats and dogs: the eternal question?",
         "my cat, my rules"]


def _legacy(name):
    pytest.importorskip("keras")
    import importlib

    return importlib.import_module(f"keras.src.legacy.preprocessing.{name}")


def test_text_to_word_sequence():
    assert text_to_word_sequence("Hello, World!  again") == ["hello", "world", "again"]
    assert text_to_word_sequence("a-b c", filters="", lower=False, split="-") == ["a", "b c"]


def test_tokenizer_word_index_and_sequences():
    tokenizer = Tokenizer(num_words=5, oov_token="<OOV>")
    tokenizer.fit_on_texts(TEXTS)
    assert tokenizer.word_index["<OOV>"] == 1 and tokenizer.word_index["the"] == 2
    assert tokenizer.word_index["my"] == 3 and tokenizer.word_index["cat"] == 4
    assert tokenizer.index_word[2] == "the" and tokenizer.document_count == 4
    assert tokenizer.word_counts["the"] == 4 and tokenizer.word_docs["the"] == 3
    assert tokenizer.texts_to_sequences(["the cat ate a zebra"]) == [[2, 4, 1, 1, 1]]
    assert tokenizer.sequences_to_texts([[2, 4, 1, 99]]) == ["the cat <OOV> <OOV>"]
    no_oov = Tokenizer(num_words=4)
    no_oov.fit_on_texts(TEXTS)
    assert no_oov.texts_to_sequences(["the cat ate my zebra"]) == [[1, 3, 2]]  # the=1, my=2, cat=3


def test_tokenizer_matrices():
    tokenizer = Tokenizer()
    tokenizer.fit_on_texts(TEXTS)
    width = len(tokenizer.word_index) + 1
    binary = tokenizer.texts_to_matrix(["the the cat"])
    assert binary.shape == (1, width) and binary.dtype == np.float64
    the, cat = tokenizer.word_index["the"], tokenizer.word_index["cat"]
    assert binary[0, the] == 1 and binary[0, cat] == 1 and binary.sum() == 2
    np.testing.assert_allclose(tokenizer.texts_to_matrix(["the the cat"], mode="freq")[0, the], 2 / 3)
    counts = tokenizer.texts_to_matrix(["the the cat"], mode="count")
    assert counts[0, the] == 2
    tfidf = tokenizer.texts_to_matrix(["the the cat"], mode="tfidf")
    np.testing.assert_allclose(tfidf[0, the], (1 + np.log(2)) * np.log(1 + 4 / (1 + 3)))
    with pytest.raises(ValueError, match="Unknown vectorization mode"):
        tokenizer.texts_to_matrix(["cat"], mode="weird")
    with pytest.raises(ValueError, match="Specify a dimension"):
        Tokenizer().texts_to_matrix(["x"])
    with pytest.raises(ValueError, match="Fit the Tokenizer on some data before using tfidf mode."):
        Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf")


def test_tokenizer_char_level_json_and_errors():
    chars = Tokenizer(char_level=True)
    chars.fit_on_texts(["abca"])
    assert chars.word_index == {"a": 1, "b": 2, "c": 3}
    tokenizer = Tokenizer(num_words=10, oov_token="?")
    tokenizer.fit_on_texts(TEXTS)
    restored = tokenizer_from_json(tokenizer.to_json())
    assert restored.word_index == tokenizer.word_index and restored.index_word == tokenizer.index_word
    assert restored.texts_to_sequences(TEXTS) == tokenizer.texts_to_sequences(TEXTS)
    assert json.loads(tokenizer.to_json())["class_name"] == "Tokenizer"
    with pytest.raises(TypeError, match="Unrecognized keyword arguments"):
        Tokenizer(vocabulary=3)
    with pytest.warns(UserWarning, match="renamed `num_words`"):
        assert Tokenizer(nb_words=7).num_words == 7


def test_hashing_and_one_hot():
    ids = text.hashing_trick("the cat the", 10, hash_function="md5")
    assert ids[0] == ids[2] and all(1 <= i <= 9 for i in ids)
    assert all(1 <= i <= 4 for i in text.one_hot("a b c d", 5))


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"num_words": 6}, {"num_words": 6, "oov_token": "<unk>"},
                                    {"lower": False, "filters": ""}, {"char_level": True}])
def test_tokenizer_parity(kwargs):
    theirs = _legacy("text").Tokenizer(**kwargs)
    ours = Tokenizer(**kwargs)
    theirs.fit_on_texts(TEXTS)
    ours.fit_on_texts(TEXTS)
    probe = TEXTS + ["unknown words and the cat"]
    assert ours.word_index == theirs.word_index
    assert ours.texts_to_sequences(probe) == theirs.texts_to_sequences(probe)
    sequences = theirs.texts_to_sequences(probe) + [[1, 2, 50]]
    assert ours.sequences_to_texts(sequences) == theirs.sequences_to_texts(sequences)
    for mode in ("binary", "count", "freq", "tfidf"):
        np.testing.assert_allclose(ours.texts_to_matrix(probe, mode=mode), theirs.texts_to_matrix(probe, mode=mode))
    assert ours.get_config() == theirs.get_config()


@pytest.mark.parity
def test_sequence_helpers_parity():
    legacy = _legacy("sequence")
    np.testing.assert_allclose(sequence.make_sampling_table(20), legacy.make_sampling_table(20))
    for kwargs in ({"seed": 3}, {"categorical": True, "negative_samples": 0.5, "seed": 5}, {"shuffle": False}):
        random.seed(0)
        ours = sequence.skipgrams([1, 2, 0, 3, 4, 5], 6, window_size=2, **kwargs)
        random.seed(0)
        theirs = legacy.skipgrams([1, 2, 0, 3, 4, 5], 6, window_size=2, **kwargs)
        assert ours == theirs
    data, targets = np.arange(40).reshape(20, 2), np.arange(20)
    for kwargs in ({"length": 3}, {"length": 4, "sampling_rate": 2, "stride": 3, "batch_size": 2, "reverse": True},
                   {"length": 2, "start_index": 5, "end_index": 15, "batch_size": 4}):
        ours = sequence.TimeseriesGenerator(data, targets, **kwargs)
        theirs = legacy.TimeseriesGenerator(data, targets, **kwargs)
        assert len(ours) == len(theirs)
        for i in range(len(ours)):
            np.testing.assert_array_equal(ours[i][0], theirs[i][0])
            np.testing.assert_array_equal(ours[i][1], theirs[i][1])


def test_timeseries_generator_errors_and_fit():
    with pytest.raises(ValueError, match="Data and targets have to be of same length"):
        sequence.TimeseriesGenerator(np.zeros(5), np.zeros(4), length=2)
    with pytest.raises(ValueError, match="is disallowed, as no part of the sequence would be left"):
        sequence.TimeseriesGenerator(np.zeros(5), np.zeros(5), length=5)
    generator = sequence.TimeseriesGenerator(np.random.rand(30, 1).astype("float32"), np.random.rand(30, 1), 4,
                                             batch_size=8)
    assert json.loads(generator.to_json())["config"]["length"] == 4
    model = tf.keras.Sequential([tf.keras.Input((4, 1)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    assert len(model.fit(generator, epochs=1, verbose=0).history["loss"]) == 1


def test_namespaces():
    keras = tf.keras
    assert keras.preprocessing.sequence.pad_sequences is keras.utils.pad_sequences
    assert keras.preprocessing.image.load_img is keras.utils.load_img
    assert keras.preprocessing.image_dataset_from_directory is keras.utils.image_dataset_from_directory
    assert keras.preprocessing.text.Tokenizer is Tokenizer
    assert keras.preprocessing.image.ImageDataGenerator is ImageDataGenerator


# -- image augmentation ---------------------------------------------------------------------------------------
AUGMENTATIONS = dict(rotation_range=20, width_shift_range=0.2, height_shift_range=[1, 2, 3], shear_range=10,
                     zoom_range=0.2, horizontal_flip=True, vertical_flip=True, channel_shift_range=5.0,
                     brightness_range=[0.5, 1.5], fill_mode="reflect")


def _images(count=6, rows=10, cols=12, channels=3, seed=0):
    return np.random.RandomState(seed).rand(count, rows, cols, channels).astype("float32") * 255


def test_image_data_generator_flow_batches_and_standardization():
    x, y = _images(), np.arange(6)
    generator = ImageDataGenerator(rescale=1 / 255.0, featurewise_center=True, featurewise_std_normalization=True)
    generator.fit(x)
    np.testing.assert_allclose(generator.mean.ravel(), (x / 255.0).mean(axis=(0, 1, 2)), rtol=1e-5)
    batches = generator.flow(x, y, batch_size=4, shuffle=False)
    assert len(batches) == 2
    xb, yb = batches[0]
    assert xb.shape == (4, 10, 12, 3) and xb.dtype == np.float32 and yb.tolist() == [0, 1, 2, 3]
    expected = (x[:4] / 255.0 - generator.mean) / (generator.std + 1e-6)
    np.testing.assert_allclose(xb, expected, rtol=1e-4, atol=1e-4)
    weighted = generator.flow(x, y, sample_weight=np.ones(6), batch_size=6, shuffle=False)[0]
    assert len(weighted) == 3
    assert generator.flow(x, batch_size=6, shuffle=False)[0].shape == (6, 10, 12, 3)
    multi = generator.flow((x, [np.arange(6), np.arange(6) * 2]), y, batch_size=2, shuffle=False)[1]
    assert [part.tolist() for part in multi[0][1:]] == [[2, 3], [4, 6]]


def test_image_data_generator_samplewise_zca_and_warnings():
    x = _images(count=8, rows=4, cols=4)
    with pytest.warns(UserWarning, match="overrides setting of `samplewise_center`"):
        samplewise = ImageDataGenerator(samplewise_std_normalization=True)
    assert samplewise.samplewise_center
    out = samplewise.standardize(x[0].copy())
    np.testing.assert_allclose([out.mean(), out.std()], [0, 1], atol=1e-3)
    with pytest.warns(UserWarning, match="overrides setting of `featurewise_center`"):
        zca = ImageDataGenerator(zca_whitening=True)
    zca.fit(x)
    assert zca.zca_whitening_matrix.shape == (48, 48)
    with pytest.warns(UserWarning, match="hasn't been fit on any training data"):
        ImageDataGenerator(featurewise_center=True).standardize(x[0].copy())


def test_image_data_generator_errors():
    with pytest.raises(ValueError, match="`zoom_range` should be a float or a tuple or list of two floats"):
        ImageDataGenerator(zoom_range=[1, 2, 3])
    with pytest.raises(ValueError, match="`validation_split` must be strictly between 0 and 1"):
        ImageDataGenerator(validation_split=2)
    with pytest.raises(ValueError, match="`brightness_range should be tuple or list of two floats"):
        ImageDataGenerator(brightness_range=0.5)
    with pytest.raises(ValueError, match="`data_format` should be"):
        ImageDataGenerator(data_format="channels_middle")
    with pytest.raises(ValueError, match="should have rank 4"):
        ImageDataGenerator().flow(np.zeros((2, 3, 3)))
    with pytest.raises(ValueError, match="Input to `.fit\\(\\)` should have rank 4"):
        ImageDataGenerator().fit(np.zeros((2, 3, 3)))
    with pytest.raises(ValueError, match="should have the same length"):
        ImageDataGenerator().flow(np.zeros((2, 3, 3, 1)), np.zeros(3))
    with pytest.raises(ValueError, match="Training and validation subsets have different number of classes"):
        ImageDataGenerator(validation_split=0.5).flow(np.zeros((4, 2, 2, 1)), np.array([0, 0, 1, 1]),
                                                      subset="training")
    with pytest.raises(NotImplementedError, match="flow_from_dataframe is not supported yet"):
        ImageDataGenerator().flow_from_dataframe(None)
    with pytest.raises(ValueError, match="'row_axis', 'col_axis', and 'channel_axis' must be distinct"):
        image.apply_affine_transform(np.zeros((2, 2, 1)), theta=3, row_axis=0, col_axis=0, channel_axis=2)


def test_flow_from_directory_modes_and_training(tmp_path, capsys):
    from PIL import Image

    rng = np.random.RandomState(1)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        for k in range(4):
            Image.fromarray(rng.randint(0, 256, (9, 7, 3)).astype("uint8")).save(tmp_path / name / f"{k}.png")
    generator = ImageDataGenerator(rescale=1 / 255.0, validation_split=0.25, horizontal_flip=True)
    train = generator.flow_from_directory(tmp_path, target_size=(6, 5), batch_size=3, subset="training", seed=2)
    val = generator.flow_from_directory(tmp_path, target_size=(6, 5), class_mode="binary", subset="validation",
                                        shuffle=False)
    assert capsys.readouterr().out.splitlines() == ["Found 6 images belonging to 2 classes.",
                                                    "Found 2 images belonging to 2 classes."]
    assert train.class_indices == {"a": 0, "b": 1} and train.classes.tolist() == [0, 0, 0, 1, 1, 1]
    xb, yb = train[0]
    assert xb.shape == (3, 6, 5, 3) and yb.shape == (3, 2) and xb.max() <= 1.0
    assert val[0][1].tolist() == [0.0, 1.0]
    sparse = ImageDataGenerator().flow_from_directory(tmp_path, target_size=(6, 5), color_mode="grayscale",
                                                      class_mode=None, shuffle=False)
    assert sparse[0].shape == (8, 6, 5, 1)
    model = tf.keras.Sequential([tf.keras.Input((6, 5, 3)), tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dense(2, activation="softmax")])
    model.compile("sgd", "categorical_crossentropy")
    assert len(model.fit(train, epochs=2, verbose=0).history["loss"]) == 2
    with pytest.raises(ValueError, match="Invalid class_mode"):
        ImageDataGenerator().flow_from_directory(tmp_path, class_mode="onehot")
    with pytest.raises(ValueError, match="Invalid color mode"):
        ImageDataGenerator().flow_from_directory(tmp_path, color_mode="cmyk")


@pytest.mark.parity
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Keras's scipy import path
def test_image_data_generator_parity():
    legacy = _legacy("image")
    x, y = _images(), np.arange(6)
    for kwargs in ({**AUGMENTATIONS, "rescale": 1 / 255.0, "featurewise_center": True,
                    "featurewise_std_normalization": True},
                   {"rotation_range": 45, "fill_mode": "constant", "cval": 3.0, "zca_whitening": True,
                    "samplewise_center": True, "interpolation_order": 3}):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours, theirs = ImageDataGenerator(**kwargs), legacy.ImageDataGenerator(**kwargs)
        ours.fit(x, augment=True, rounds=2, seed=1)
        theirs.fit(x, augment=True, rounds=2, seed=1)
        np.testing.assert_allclose(ours.mean, theirs.mean, rtol=1e-6)
        flow_ours, flow_theirs = ours.flow(x, y, batch_size=4, seed=3), theirs.flow(x, y, batch_size=4, seed=3)
        for _ in range(3):
            (xa, ya), (xb, yb) = next(flow_ours), next(flow_theirs)
            np.testing.assert_allclose(xa, xb, rtol=1e-5, atol=1e-5)
            np.testing.assert_array_equal(ya, yb)
        np.testing.assert_allclose(flow_ours[1][0], flow_theirs[1][0], rtol=1e-5, atol=1e-5)


@pytest.mark.parity
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Keras's scipy import path
def test_flow_from_directory_parity(tmp_path):
    from PIL import Image

    legacy = _legacy("image")
    rng = np.random.RandomState(4)
    for name in ("cat", "dog", "eel"):
        (tmp_path / name / "sub").mkdir(parents=True)
        for k in range(3):
            Image.fromarray(rng.randint(0, 256, (8, 11, 3)).astype("uint8")).save(tmp_path / name / f"{k}.jpg")
        Image.fromarray(rng.randint(0, 256, (8, 11)).astype("uint8")).save(tmp_path / name / "sub" / "z.bmp")
    kwargs = {"target_size": (5, 6), "batch_size": 5, "seed": 9, "interpolation": "bilinear"}
    for mode in ("categorical", "sparse", "input"):
        ours = ImageDataGenerator(rotation_range=10, validation_split=0.3).flow_from_directory(
            tmp_path, class_mode=mode, subset="training", **kwargs)
        theirs = legacy.ImageDataGenerator(rotation_range=10, validation_split=0.3).flow_from_directory(
            str(tmp_path), class_mode=mode, subset="training", **kwargs)
        assert ours.filenames == theirs.filenames and ours.classes.tolist() == theirs.classes.tolist()
        for i in range(len(ours)):
            (xa, ya), (xb, yb) = ours[i], theirs[i]
            np.testing.assert_allclose(xa, xb, rtol=1e-5, atol=1e-4)
            np.testing.assert_allclose(ya, yb, rtol=1e-5, atol=1e-4)


@pytest.mark.parity
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Keras's scipy import path
def test_array_transform_functions_parity():
    legacy = _legacy("image")
    x = _images(count=1, rows=7, cols=9)[0]
    channels_first = np.moveaxis(x, 2, 0)
    np.testing.assert_allclose(image.apply_affine_transform(channels_first, theta=30, tx=1, ty=-2, shear=5, zx=0.8,
                                                            zy=1.2),
                               legacy.apply_affine_transform(channels_first, theta=30, tx=1, ty=-2, shear=5, zx=0.8,
                                                             zy=1.2), rtol=1e-5, atol=1e-4)
    for name, args in (("random_rotation", (40,)), ("random_shift", (0.2, 0.3)), ("random_shear", (20,)),
                       ("random_zoom", ((0.7, 1.3),)), ("random_channel_shift", (30.0,))):
        np.random.seed(5)
        ours = getattr(image, name)(channels_first, *args)
        np.random.seed(5)
        theirs = getattr(legacy, name)(channels_first, *args)
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-4)
    np.random.seed(6)
    ours = image.random_brightness(x, (0.5, 1.5))
    np.random.seed(6)
    np.testing.assert_allclose(ours, legacy.random_brightness(x, (0.5, 1.5)))
