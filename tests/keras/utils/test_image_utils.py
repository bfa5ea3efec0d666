"""Tests for ``keras.utils`` image helpers (Pillow) on files written here, with parity against real Keras."""
import io
import pathlib
import sys

import numpy as np
import pytest

from ndflow.keras.utils import array_to_img, img_to_array, load_img, save_img
from ndflow.keras.utils.image_utils import smart_resize

Image = pytest.importorskip("PIL.Image")


@pytest.fixture
def rgb_file(tmp_path):
    pixels = np.random.RandomState(0).randint(0, 256, (12, 20, 3)).astype("uint8")
    path = tmp_path / "img.png"
    Image.fromarray(pixels).save(path)
    return path, pixels


def test_load_img_round_trip_and_modes(rgb_file):
    path, pixels = rgb_file
    img = load_img(str(path))
    assert img.mode == "RGB" and img.size == (20, 12)
    array = img_to_array(img)
    assert array.dtype == np.float32 and array.shape == (12, 20, 3)
    np.testing.assert_array_equal(array, pixels)
    assert load_img(path, color_mode="grayscale").mode == "L"
    assert load_img(io.BytesIO(path.read_bytes()), color_mode="rgba").mode == "RGBA"
    assert img_to_array(load_img(path, color_mode="grayscale")).shape == (12, 20, 1)
    assert img_to_array(load_img(path, color_mode="grayscale"), data_format="channels_first").shape == (1, 12, 20)
    assert img_to_array(img, data_format="channels_first", dtype="uint8").dtype == np.uint8


def test_load_img_resize_and_keep_aspect_ratio(rgb_file):
    path, pixels = rgb_file
    assert load_img(path, target_size=(6, 10)).size == (10, 6)
    nearest = img_to_array(load_img(path, target_size=(12, 20), interpolation="bilinear"))
    np.testing.assert_array_equal(nearest, pixels)  # same size: returned unchanged
    cropped = img_to_array(load_img(path, target_size=(12, 12), keep_aspect_ratio=True))
    np.testing.assert_array_equal(cropped, pixels[:, 4:16])  # centred 12x12 box, nearest resize is exact


def test_load_img_errors(rgb_file):
    path, _ = rgb_file
    with pytest.raises(ValueError, match='color_mode must be "grayscale", "rgb", or "rgba"'):
        load_img(path, color_mode="cmyk")
    with pytest.raises(ValueError, match="Invalid interpolation method magic specified"):
        load_img(path, target_size=(3, 3), interpolation="magic")
    with pytest.raises(TypeError, match="path should be path-like or io.BytesIO"):
        load_img(3)


def test_array_to_img_scaling_and_channels():
    x = np.linspace(-1, 1, 2 * 3 * 3).reshape(2, 3, 3)
    img = array_to_img(x)
    assert img.mode == "RGB"
    values = np.asarray(img)
    assert values.min() == 0 and values.max() == 255
    assert array_to_img(np.full((2, 2, 1), 7.0), scale=False).mode == "L"
    assert array_to_img(np.full((2, 2, 1), 1000.0), scale=False).mode == "I"
    assert array_to_img(np.zeros((2, 2, 4))).mode == "RGBA"
    assert array_to_img(np.zeros((3, 2, 2)), data_format="channels_first").size == (2, 2)
    with pytest.raises(ValueError, match="Expected image array to have rank 3"):
        array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Unsupported channel number: 2"):
        array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="Unsupported image shape"):
        img_to_array(np.zeros((1, 2, 2, 3)))


def test_save_img_formats(tmp_path):
    x = np.random.RandomState(1).randint(0, 256, (4, 5, 3)).astype("float32")
    save_img(tmp_path / "a.png", x, scale=False)
    np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / "a.png")), x)
    with pytest.warns(UserWarning, match="The JPEG format does not support RGBA images, converting to RGB."):
        save_img(str(tmp_path / "b.jpg"), np.zeros((4, 4, 4)))
    assert Image.open(tmp_path / "b.jpg").format == "JPEG"
    buffer = io.BytesIO()
    save_img(buffer, x, file_format="png")
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_smart_resize_shapes():
    x = np.random.RandomState(2).rand(10, 16, 3).astype("float32")
    assert smart_resize(x, (4, 4)).shape == (4, 4, 3)
    assert smart_resize(np.stack([x, x]), (5, 3)).shape == (2, 5, 3, 3)
    assert smart_resize(x.transpose(2, 0, 1), (4, 4), data_format="channels_first").shape == (3, 4, 4)
    with pytest.raises(ValueError, match="Expected an image array with shape"):
        smart_resize(np.zeros((4, 4)), (2, 2))


def test_missing_pillow_message(monkeypatch, rgb_file):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match="Could not import PIL.Image. The use of `load_img` requires PIL."):
        load_img(rgb_file[0])


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [
    {}, {"color_mode": "grayscale"}, {"color_mode": "rgba"}, {"target_size": (7, 9)},
    {"target_size": (9, 7), "interpolation": "bicubic"}, {"target_size": (5, 5), "keep_aspect_ratio": True},
    {"target_size": (8, 3), "interpolation": "lanczos", "keep_aspect_ratio": True},
])
def test_load_img_parity(rgb_file, kwargs):
    keras = pytest.importorskip("keras")
    path, _ = rgb_file
    ours = img_to_array(load_img(path, **kwargs))
    theirs = keras.utils.img_to_array(keras.utils.load_img(path, **kwargs))
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parity
def test_array_to_img_save_img_and_smart_resize_parity(tmp_path):
    keras = pytest.importorskip("keras")
    x = np.random.RandomState(3).randn(6, 7, 3)
    np.testing.assert_array_equal(np.asarray(array_to_img(x)), np.asarray(keras.utils.array_to_img(x)))
    save_img(tmp_path / "ours.png", x)
    keras.utils.save_img(tmp_path / "theirs.png", x)
    np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / "ours.png")),
                                  np.asarray(Image.open(pathlib.Path(tmp_path / "theirs.png"))))
    y = x.astype("float32")
    for size, method in (((4, 4), "bilinear"), ((3, 5), "nearest"), ((8, 2), "bicubic")):
        np.testing.assert_allclose(smart_resize(y, size, interpolation=method),
                                   keras.preprocessing.image.smart_resize(y, size, interpolation=method),
                                   rtol=1e-5, atol=1e-5)
    batch = np.random.RandomState(4).rand(2, 3, 9, 6).astype("float32")
    np.testing.assert_allclose(smart_resize(batch, (4, 5), data_format="channels_first"),
                               keras.preprocessing.image.smart_resize(batch, (4, 5), data_format="channels_first"),
                               rtol=1e-5, atol=1e-5)
