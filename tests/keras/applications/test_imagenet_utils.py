"""``preprocess_input``, ``decode_predictions`` and the input-shape helpers of ``keras.applications``."""
import json
import os

import numpy as np
import pytest

import ndflow as tf
from ndflow import keras as ours
from ndflow.keras.applications import _common, imagenet_utils

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

MODES = {"densenet": "torch", "vgg16": "caffe", "vgg19": "caffe", "resnet": "caffe", "resnet50": "caffe",
         "resnet_v2": "tf", "inception_resnet_v2": "tf", "inception_v3": "tf", "xception": "tf", "mobilenet": "tf",
         "mobilenet_v2": "tf", "nasnet": "tf"}
CAFFE_MEAN_BGR = np.array([103.939, 116.779, 123.68])


def _reference(images, mode):
    """Independent float64 reference for channels-last images."""
    x = images.astype(np.float64)
    if mode == "tf":
        return x / 127.5 - 1.0
    if mode == "torch":
        return (x / 255.0 - np.array([0.485, 0.456, 0.406])) / np.array([0.229, 0.224, 0.225])
    return x[..., ::-1] - CAFFE_MEAN_BGR


@pytest.fixture
def images():
    return np.random.default_rng(0).uniform(0, 255, (2, 5, 4, 3)).astype("float32")


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_preprocess_numpy_matches_reference_and_works_in_place(images, mode):
    original = images.copy()
    out = imagenet_utils.preprocess_input(images, mode=mode)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, _reference(original, mode), rtol=1e-5, atol=1e-4)
    assert not np.array_equal(images, original)  # float arrays are written over, as in Keras


def test_preprocess_integer_array_is_converted_to_floatx_and_left_alone():
    pixels = np.arange(36, dtype="uint8").reshape(1, 3, 4, 3)
    out = imagenet_utils.preprocess_input(pixels, mode="caffe")
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, _reference(pixels, "caffe"), rtol=1e-6, atol=1e-4)
    assert pixels[0, 0, 0, 0] == 0


@pytest.mark.parametrize("mode", ["caffe", "torch"])
def test_preprocess_channels_first(images, mode):
    expected = np.moveaxis(_reference(images, mode), -1, 1)
    batch = np.ascontiguousarray(np.moveaxis(images, -1, 1))
    np.testing.assert_allclose(imagenet_utils.preprocess_input(batch.copy(), "channels_first", mode), expected,
                               rtol=1e-5, atol=1e-4)
    single = imagenet_utils.preprocess_input(batch[0].copy(), "channels_first", mode)
    np.testing.assert_allclose(single, expected[0], rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_preprocess_eager_tensor(images, mode):
    out = imagenet_utils.preprocess_input(tf.constant(images), mode=mode)
    assert tf.is_tensor(out)
    np.testing.assert_allclose(out.numpy(), _reference(images, mode), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("module", sorted(MODES))
def test_preprocess_inside_a_functional_model(images, module):
    inputs = ours.Input((5, 4, 3))
    outputs = getattr(ours.applications, module).preprocess_input(inputs)
    model = ours.Model(inputs, outputs)
    np.testing.assert_allclose(model(images).numpy(), _reference(images, MODES[module]), rtol=1e-5, atol=1e-4)


def test_preprocess_rejects_unknown_mode_and_data_format(images):
    with pytest.raises(ValueError, match="Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode=x"):
        imagenet_utils.preprocess_input(images, mode="x")
    with pytest.raises(ValueError, match="Received: data_format=nhwc"):
        imagenet_utils.preprocess_input(images, data_format="nhwc")


@pytest.fixture
def class_index(tmp_path, monkeypatch):
    """A fixture ``imagenet_class_index.json`` served by a stand-in ``get_file``; records the requests."""
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    path = tmp_path / "imagenet_class_index.json"
    path.write_text(json.dumps(index))
    requests = []

    def fake_get_file(fname, origin, file_hash=None):
        requests.append((fname, origin, file_hash))
        return str(path)

    monkeypatch.setattr(_common, "get_file", fake_get_file)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    return requests


def test_decode_predictions_top_k_sorted(class_index):
    preds = np.random.default_rng(1).random((2, 1000)).astype("float32")
    decoded = ours.applications.resnet50.decode_predictions(preds, top=3)
    assert len(decoded) == 2
    for row, result in zip(preds, decoded):
        best = np.argsort(-row)[:3]
        assert [entry[:2] for entry in result] == [(f"n{i:08d}", f"class_{i}") for i in best]
        np.testing.assert_array_equal([entry[2] for entry in result], row[best])
    assert class_index == [("imagenet_class_index.json",
                            "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json",
                            "c2c37ea517e94d9795004a39431a14cb")]
    ours.applications.vgg16.decode_predictions(tf.constant(preds))
    assert len(class_index) == 1  # the index is read once


def test_decode_predictions_rejects_other_shapes(class_index):
    with pytest.raises(ValueError, match=r"Received array with shape: \(2, 10\)"):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))


def test_obtain_input_shape_defaults_and_errors():
    assert imagenet_utils.obtain_input_shape(None, 224, 32, "channels_last", True) == (224, 224, 3)
    assert imagenet_utils.obtain_input_shape(None, 224, 32, "channels_last", False) == (None, None, 3)
    assert imagenet_utils.obtain_input_shape(None, 299, 75, "channels_first", False) == (3, None, None)
    with pytest.raises(ValueError, match="at least 75x75"):
        imagenet_utils.obtain_input_shape((60, 80, 3), 299, 75, "channels_last", False)
    with pytest.raises(ValueError, match="should be \\(224, 224, 3\\)"):
        imagenet_utils.obtain_input_shape((200, 200, 3), 224, 32, "channels_last", True, weights="imagenet")
    with pytest.raises(ValueError, match="must have 3 channels"):
        imagenet_utils.obtain_input_shape((64, 64, 1), 224, 32, "channels_last", False, weights="imagenet")
    with pytest.warns(UserWarning, match="with 5 input channels"):
        imagenet_utils.obtain_input_shape((64, 64, 5), 224, 32, "channels_last", False)


def test_correct_pad():
    assert imagenet_utils.correct_pad(ours.Input((224, 224, 3)), 3) == ((0, 1), (0, 1))
    assert imagenet_utils.correct_pad(ours.Input((225, 225, 3)), (3, 3)) == ((1, 1), (1, 1))
    assert imagenet_utils.correct_pad(ours.Input((None, None, 3)), 5) == ((1, 2), (1, 2))


# -- parity ---------------------------------------------------------------------------------------------------
@pytest.mark.parity
@pytest.mark.parametrize("module", sorted(MODES))
def test_preprocess_parity(images, module):
    keras = pytest.importorskip("keras")
    theirs = getattr(keras.applications, module).preprocess_input(images.copy())
    np.testing.assert_allclose(getattr(ours.applications, module).preprocess_input(images.copy()), theirs,
                               rtol=1e-6, atol=1e-5)
    theirs_tensor = getattr(keras.applications, module).preprocess_input(keras.ops.convert_to_tensor(images))
    mine_tensor = getattr(ours.applications, module).preprocess_input(tf.constant(images))
    np.testing.assert_allclose(mine_tensor.numpy(), keras.ops.convert_to_numpy(theirs_tensor), rtol=1e-6, atol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("mode", ["caffe", "torch"])
def test_preprocess_channels_first_parity(images, mode):
    keras = pytest.importorskip("keras")
    batch = np.ascontiguousarray(np.moveaxis(images, -1, 1))
    theirs = keras.applications.imagenet_utils.preprocess_input(batch.copy(), "channels_first", mode)
    np.testing.assert_allclose(imagenet_utils.preprocess_input(batch.copy(), "channels_first", mode), theirs,
                               rtol=1e-6, atol=1e-5)


@pytest.mark.parity
def test_decode_predictions_parity(class_index, monkeypatch):
    keras = pytest.importorskip("keras")
    from keras.src.applications import imagenet_utils as keras_imagenet_utils

    preds = np.random.default_rng(2).random((3, 1000)).astype("float32")
    mine = imagenet_utils.decode_predictions(preds, top=4)
    monkeypatch.setattr(keras_imagenet_utils, "CLASS_INDEX", dict(imagenet_utils.CLASS_INDEX))
    assert keras.applications.imagenet_utils.decode_predictions(preds, top=4) == mine


@pytest.mark.parity
@pytest.mark.parametrize("args", [((60, 80, 3), 299, 75, "channels_last", False),
                                  ((3, 60, 80), 299, 75, "channels_first", False),
                                  ((200, 200, 3), 224, 32, "channels_last", True, "imagenet"),
                                  ((64, 64, 1), 224, 32, "channels_last", False, "imagenet"),
                                  ((64, 64), 224, 32, "channels_last", False),
                                  ((None, 64, 3), 224, 32, "channels_last", True)])
def test_obtain_input_shape_error_parity(args):
    pytest.importorskip("keras")
    from keras.src.applications import imagenet_utils as keras_imagenet_utils

    with pytest.raises(ValueError) as theirs:
        keras_imagenet_utils.obtain_input_shape(*args)
    with pytest.raises(ValueError) as mine:
        imagenet_utils.obtain_input_shape(*args)
    assert str(mine.value) == str(theirs.value)


def test_self_preprocessing_models_preprocess_input_is_the_identity(images):
    assert ours.applications.mobilenet_v3.preprocess_input(images) is images
    assert ours.applications.efficientnet.preprocess_input(images) is images
    assert ours.applications.efficientnet_v2.preprocess_input(images) is images
