"""``ndflow.image``: values against NumPy references, dtype/shape rules, errors, gradients, the augmentation
pipeline of the spec (004.md) and T38 (003.md §7.5)."""
from __future__ import annotations

import sys

import numpy as np
import pytest

import ndflow as tf
from ndflow._core.ops.image_resize import _resize_float
from tests.gradcheck import check_gradients

RNG = np.random.default_rng(3)


def _image(*shape):
    return RNG.uniform(0.1, 0.9, shape)


# ---------------------------------------------------------------------------------------------------------
# dtype conversion


def test_convert_image_dtype_scaling_rules():
    pixels = np.array([0, 1, 128, 255], np.uint8)
    np.testing.assert_allclose(tf.image.convert_image_dtype(pixels, tf.float32).numpy(), pixels / 255.0,
                               rtol=1e-6)
    assert tf.image.convert_image_dtype(pixels, tf.uint16).numpy().tolist() == [0, 256, 128 * 256, 255 * 256]
    assert tf.image.convert_image_dtype(np.array([0, 300, 65535], np.uint16), tf.uint8).numpy().tolist() == [
        0, 1, 255]
    floats = np.array([-0.5, 0.0, 0.5, 1.0, 1.5], np.float32)
    assert tf.image.convert_image_dtype(floats, tf.uint8, saturate=True).numpy().tolist() == [0, 0, 127, 255, 255]
    out = tf.image.convert_image_dtype(floats, tf.float64)
    assert out.dtype == tf.float64
    with pytest.raises(AttributeError):
        tf.image.convert_image_dtype(pixels, tf.bool)


# ---------------------------------------------------------------------------------------------------------
# Geometry


def test_flips_rotations_transpose_against_numpy():
    image = RNG.integers(0, 255, (4, 5, 3)).astype(np.uint8)
    batch = RNG.random((2, 4, 5, 3))
    np.testing.assert_array_equal(tf.image.flip_left_right(image).numpy(), image[:, ::-1])
    np.testing.assert_array_equal(tf.image.flip_up_down(image).numpy(), image[::-1])
    np.testing.assert_array_equal(tf.image.flip_left_right(batch).numpy(), batch[:, :, ::-1])
    np.testing.assert_array_equal(tf.image.transpose(batch).numpy(), batch.transpose(0, 2, 1, 3))
    for k in range(-2, 6):
        np.testing.assert_array_equal(tf.image.rot90(image, k).numpy(), np.rot90(image, k, axes=(0, 1)))
        np.testing.assert_array_equal(tf.image.rot90(batch, k).numpy(), np.rot90(batch, k, axes=(1, 2)))


def test_t38_rot90_random_flips_random_crop():
    image = RNG.random((300, 280, 3)).astype(np.float32)
    np.testing.assert_array_equal(tf.image.rot90(image, k=2).numpy(), image[::-1, ::-1])
    for seed in range(6):
        flipped = tf.image.random_flip_left_right(image, seed=seed).numpy()
        assert np.array_equal(flipped, image) or np.array_equal(flipped, image[:, ::-1])
        flipped = tf.image.random_flip_up_down(image, seed=seed).numpy()
        assert np.array_equal(flipped, image) or np.array_equal(flipped, image[::-1])
    crop = tf.image.random_crop(image, [244, 244, 3], seed=1)
    assert crop.shape == (244, 244, 3) and crop.dtype == tf.float32
    windows = {(i, j) for i in range(57) for j in range(37)
               if np.array_equal(image[i:i + 244, j:j + 244], crop.numpy())}
    assert len(windows) == 1


def test_random_flip_batch_flips_images_independently():
    batch = RNG.random((16, 3, 4, 1))
    out = tf.image.random_flip_left_right(batch, seed=5).numpy()
    flipped = [np.array_equal(o, b[:, ::-1]) for o, b in zip(out, batch)]
    kept = [np.array_equal(o, b) for o, b in zip(out, batch)]
    assert all(f or k for f, k in zip(flipped, kept)) and any(flipped) and any(kept)


def test_crops_and_pads():
    image = RNG.random((6, 8, 2))
    np.testing.assert_array_equal(tf.image.crop_to_bounding_box(image, 1, 2, 3, 4).numpy(), image[1:4, 2:6])
    padded = tf.image.pad_to_bounding_box(image, 1, 2, 9, 12).numpy()
    assert padded.shape == (9, 12, 2)
    np.testing.assert_array_equal(padded[1:7, 2:10], image)
    assert padded.sum() == pytest.approx(image.sum())
    assert tf.image.resize_with_crop_or_pad(image, 4, 11).shape == (4, 11, 2)
    np.testing.assert_array_equal(tf.image.resize_with_crop_or_pad(image, 4, 8).numpy(), image[1:5])
    np.testing.assert_array_equal(tf.image.central_crop(image, 0.5).numpy(), image[1:5, 2:6])
    assert tf.image.central_crop(image[None], 0.5).shape == (1, 4, 4, 2)
    with pytest.raises(ValueError, match="height must be >= target \\+ offset"):
        tf.image.crop_to_bounding_box(image, 4, 0, 3, 2)
    with pytest.raises(ValueError, match="width must be <= target - offset"):
        tf.image.pad_to_bounding_box(image, 0, 2, 9, 9)
    with pytest.raises(ValueError, match="central_fraction"):
        tf.image.central_crop(image, 0.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Need value.shape >= size"):
        tf.image.random_crop(image, [7, 2, 2])


def test_extract_patches_against_numpy():
    images = RNG.random((1, 5, 6, 2))
    out = tf.image.extract_patches(images, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 1, 1], "VALID").numpy()
    assert out.shape == (1, 2, 4, 12)
    np.testing.assert_array_equal(out[0, 1, 3], images[0, 2:4, 3:6].ravel())


# ---------------------------------------------------------------------------------------------------------
# Resize


def _bilinear_reference(row, out_size):
    """Half-pixel-centre linear interpolation of a 1-D signal, clamped at the borders."""
    positions = (np.arange(out_size) + 0.5) * len(row) / out_size - 0.5
    return np.interp(positions, np.arange(len(row)), row)


def test_resize_bilinear_half_pixel_centres():
    column = np.array([0.0, 1.0, 4.0, 2.0])
    image = np.tile(column[:, None, None], (1, 3, 1))
    out = tf.image.resize(image, [7, 3]).numpy()[:, 0, 0]
    np.testing.assert_allclose(out, _bilinear_reference(column, 7), rtol=1e-6)
    same = RNG.random((2, 5, 4, 3)).astype(np.float32)
    np.testing.assert_allclose(tf.image.resize(same, [5, 4]).numpy(), same, rtol=1e-6)


def test_resize_dtypes_and_shapes():
    uint8 = RNG.integers(0, 255, (6, 4, 3)).astype(np.uint8)
    assert tf.image.resize(uint8, [3, 2]).dtype == tf.float32
    nearest = tf.image.resize(uint8, [12, 8], method="nearest")
    assert nearest.dtype == tf.uint8
    np.testing.assert_array_equal(nearest.numpy(), uint8.repeat(2, 0).repeat(2, 1))
    area = tf.image.resize(uint8.astype(np.float32), [3, 2], method=tf.image.ResizeMethod.AREA).numpy()
    np.testing.assert_allclose(area, uint8.reshape(3, 2, 2, 2, 3).mean(axis=(1, 3)), rtol=1e-5)
    assert tf.image.resize(uint8, [10, 10], preserve_aspect_ratio=True).shape == (10, 7, 3)
    assert tf.image.resize_with_pad(uint8, 10, 10).shape == (10, 10, 3)
    with pytest.raises(ValueError, match="Resize method is not implemented"):
        tf.image.resize(uint8, [3, 3], method="cubic")
    with pytest.raises(ValueError, match="3 or 4 dimensions"):
        tf.image.resize(uint8[0], [3, 3])


@pytest.mark.parametrize("method,antialias", [("bilinear", False), ("bicubic", False), ("area", False),
                                              ("lanczos3", False), ("gaussian", True), ("mitchellcubic", False),
                                              ("bilinear", True), ("lanczos5", True)])
def test_resize_gradients(method, antialias):
    check_gradients(lambda x: _resize_float(x, [3, 5], method, antialias), _image(1, 4, 3, 2))


def test_resize_nearest_and_crop_and_resize_gradients():
    check_gradients(lambda x: tf.image.resize(x, [5, 2], method="nearest"), _image(1, 3, 4, 2))
    boxes = np.array([[0.1, 0.2, 0.7, 0.9], [0.3, 0.05, 0.95, 0.6]])
    # crop_and_resize computes in float32 (as TF): coarser differences and tolerances.
    check_gradients(lambda x, b: tf.image.crop_and_resize(x, b, [0, 0], [3, 2]), _image(1, 5, 4, 2), boxes,
                    delta=1e-3, rtol=1e-2, atol=1e-3)


def test_spec_calls_with_lists_of_images_and_boxes():
    pytest.importorskip("PIL")
    china, flower = (tf.constant(RNG.random((30, 40, 3)).astype(np.float32)) for _ in range(2))
    crops = tf.image.crop_and_resize([china, flower], [[0, 0.03, 1, 0.68], [0.19, 0.26, 0.86, 0.7]], [0, 1],
                                     [24, 24])
    assert crops.shape == (2, 24, 24, 3) and crops.dtype == tf.float32
    assert tf.image.resize([china, flower], [22, 22]).shape == (2, 22, 22, 3)
    jpeg = tf.image.encode_jpeg(tf.image.convert_image_dtype(china, tf.uint8))
    assert bool(tf.image.is_jpeg(jpeg)) and not bool(tf.image.is_jpeg(tf.image.encode_png(np.zeros((1, 1, 1),
                                                                                                    np.uint8))))


def test_crop_and_resize_whole_image_and_extrapolation():
    image = RNG.random((1, 4, 5, 2)).astype(np.float32)
    out = tf.image.crop_and_resize(image, [[0.0, 0.0, 1.0, 1.0]], [0], [4, 5])
    np.testing.assert_allclose(out.numpy()[0], image[0], rtol=1e-6)
    outside = tf.image.crop_and_resize(image, [[1.5, 0.0, 2.0, 1.0]], [0], [2, 2], extrapolation_value=7.0)
    np.testing.assert_array_equal(outside.numpy(), np.full((1, 2, 2, 2), 7.0, np.float32))


@pytest.mark.parametrize("name,args", [("flip_left_right", ()), ("flip_up_down", ()), ("transpose", ()),
                                       ("rot90", (3,)), ("crop_to_bounding_box", (1, 0, 2, 2)),
                                       ("pad_to_bounding_box", (1, 2, 5, 6)), ("central_crop", (0.5,)),
                                       ("resize_with_crop_or_pad", (2, 5))])
def test_geometry_gradients(name, args):
    check_gradients(lambda x: getattr(tf.image, name)(x, *args), _image(1, 4, 3, 2))


def test_extract_patches_gradient():
    check_gradients(lambda x: tf.image.extract_patches(x, [1, 2, 2, 1], [1, 1, 2, 1], [1, 1, 1, 1], "SAME"),
                    _image(1, 3, 4, 2))


def test_resize_inside_function():
    image = RNG.random((1, 4, 4, 1)).astype(np.float32)
    traced = tf.function(lambda x: tf.image.flip_left_right(tf.image.resize(x, [2, 2])))
    np.testing.assert_allclose(traced(image).numpy(), tf.image.flip_left_right(tf.image.resize(image, [2, 2])),
                               rtol=1e-6)


# ---------------------------------------------------------------------------------------------------------
# Colour


def _hsv_reference(rgb):
    import colorsys

    return np.array([colorsys.rgb_to_hsv(*p) for p in rgb.reshape(-1, 3)]).reshape(rgb.shape)


def test_hsv_round_trip_against_colorsys():
    rgb = RNG.random((4, 5, 3))
    hsv = tf.image.rgb_to_hsv(rgb)
    np.testing.assert_allclose(hsv.numpy(), _hsv_reference(rgb), atol=1e-12)
    np.testing.assert_allclose(tf.image.hsv_to_rgb(hsv).numpy(), rgb, atol=1e-12)
    grey = np.full((1, 1, 3), 0.4)
    np.testing.assert_array_equal(tf.image.rgb_to_hsv(grey).numpy(), [[[0.0, 0.0, 0.4]]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="not in the list of allowed values"):
        tf.image.rgb_to_hsv(rgb.astype(np.uint8))


def test_adjustments_values_and_dtypes():
    rgb = RNG.random((3, 4, 3)).astype(np.float32)
    np.testing.assert_allclose(tf.image.adjust_brightness(rgb, 0.1).numpy(), rgb + 0.1, rtol=1e-6)
    mean = rgb.mean(axis=(0, 1))
    np.testing.assert_allclose(tf.image.adjust_contrast(rgb, 2.0).numpy(), (rgb - mean) * 2 + mean, rtol=1e-5)
    np.testing.assert_allclose(tf.image.adjust_gamma(rgb, 2.0, 0.5).numpy(), 0.5 * rgb ** 2, rtol=1e-6)
    hsv = _hsv_reference(rgb)
    shifted = tf.image.rgb_to_hsv(tf.image.adjust_hue(rgb, 0.25)).numpy()
    np.testing.assert_allclose(np.cos(2 * np.pi * shifted[..., 0]), np.cos(2 * np.pi * (hsv[..., 0] + 0.25)),
                               atol=1e-5)
    desaturated = tf.image.adjust_saturation(rgb, -5).numpy()
    np.testing.assert_allclose(desaturated, np.repeat(rgb.max(-1, keepdims=True), 3, -1), rtol=1e-6)
    uint8 = RNG.integers(0, 256, (3, 4, 3)).astype(np.uint8)
    for out in (tf.image.adjust_brightness(uint8, 0.5), tf.image.adjust_hue(uint8, 0.1),
                tf.image.adjust_saturation(uint8, 1.3), tf.image.adjust_contrast(uint8, 3.0),
                tf.image.rgb_to_grayscale(uint8)):
        assert out.dtype == tf.uint8
    assert tf.image.adjust_brightness(uint8, 1.0).numpy().min() == 255
    gray = tf.image.rgb_to_grayscale(rgb)
    np.testing.assert_allclose(gray.numpy()[..., 0], rgb @ [0.2989, 0.5870, 0.1140], rtol=1e-6)
    assert tf.image.grayscale_to_rgb(gray).shape == (3, 4, 3)
    with pytest.raises(ValueError, match="Gamma should be a non-negative"):
        tf.image.adjust_gamma(rgb, -1.0)
    with pytest.raises(ValueError, match="delta must be in the interval"):
        tf.image.adjust_hue(rgb, 1.5)
    with pytest.raises(ValueError, match="Last dimension of a grayscale image"):
        tf.image.grayscale_to_rgb(rgb)


def test_random_colour_ops_stay_in_range_and_check_arguments():
    rgb = RNG.random((5, 6, 3)).astype(np.float32)
    delta = tf.image.random_brightness(rgb, 0.2, seed=1).numpy() - rgb
    assert np.allclose(delta, delta.flat[0], atol=1e-6) and abs(delta.flat[0]) <= 0.2
    for out in (tf.image.random_contrast(rgb, 0.5, 1.5, seed=2), tf.image.random_hue(rgb, 0.3, seed=3),
                tf.image.random_saturation(rgb, 0.0, 5.0, seed=4)):
        assert out.shape == rgb.shape and out.dtype == tf.float32
    with pytest.raises(ValueError, match="upper must be > lower"):
        tf.image.random_contrast(rgb, 1.0, 0.5)
    with pytest.raises(ValueError, match="max_delta must be <= 0.5"):
        tf.image.random_hue(rgb, 0.6)
    with pytest.raises(ValueError, match="max_delta must be non-negative"):
        tf.image.random_brightness(rgb, -0.1)


def test_yuv_standardization_statistics():
    rgb = RNG.random((4, 4, 3)).astype(np.float32)
    np.testing.assert_allclose(tf.image.yuv_to_rgb(tf.image.rgb_to_yuv(rgb)).numpy(), rgb, atol=1e-5)
    standard = tf.image.per_image_standardization(RNG.integers(0, 256, (2, 6, 5, 3)).astype(np.uint8))
    assert standard.dtype == tf.float32
    np.testing.assert_allclose(standard.numpy().mean(axis=(1, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(standard.numpy().std(axis=(1, 2, 3)), 1, atol=1e-4)
    flat = tf.image.per_image_standardization(np.full((2, 2, 1), 3.0, np.float32))
    np.testing.assert_array_equal(flat.numpy(), np.zeros((2, 2, 1)))
    batch = RNG.random((2, 3, 4, 1))
    expected = [np.abs(np.diff(b, axis=0)).sum() + np.abs(np.diff(b, axis=1)).sum() for b in batch]
    np.testing.assert_allclose(tf.image.total_variation(batch).numpy(), expected)
    dy, dx = tf.image.image_gradients(batch)
    np.testing.assert_allclose(dy.numpy()[:, :-1], np.diff(batch, axis=1))
    assert np.all(dx.numpy()[:, :, -1] == 0)
    assert tf.image.sobel_edges(batch).shape == (2, 3, 4, 1, 2)


@pytest.mark.parametrize("name,args,order", [
    ("adjust_brightness", (0.2,), 2), ("adjust_contrast", (1.7,), 2), ("adjust_gamma", (1.6, 0.8), 2),
    ("adjust_hue", (0.15,), 1), ("adjust_saturation", (0.7,), 1), ("rgb_to_hsv", (), 1), ("hsv_to_rgb", (), 1),
    ("rgb_to_grayscale", (), 2), ("rgb_to_yuv", (), 2), ("yiq_to_rgb", (), 2), ("total_variation", (), 1),
    ("sobel_edges", (), 1)])
def test_colour_gradients(name, args, order):
    check_gradients(lambda x: getattr(tf.image, name)(x, *args), _image(1, 3, 4, 3), order=order)


def test_image_gradients_and_standardization_gradients():
    check_gradients(lambda x: tf.image.image_gradients(x)[0] * 2.0 + tf.image.image_gradients(x)[1],
                    _image(1, 3, 4, 2))
    # per_image_standardization computes in float32, as TF does.
    check_gradients(tf.image.per_image_standardization, _image(3, 4, 2), delta=1e-3, rtol=1e-2, atol=1e-3)


# ---------------------------------------------------------------------------------------------------------
# Boxes


def test_draw_bounding_boxes_outline():
    canvas = np.zeros((1, 5, 6, 3), np.float32)
    out = tf.image.draw_bounding_boxes(canvas, [[[0.25, 0.2, 0.75, 0.8]]], [[1.0, 0.5, 0.25, 1.0]]).numpy()[0]
    outline = np.zeros((5, 6), bool)
    outline[1, 1:5] = outline[3, 1:5] = outline[1:4, 1] = outline[1:4, 4] = True
    np.testing.assert_array_equal(out[..., 0] == 1.0, outline)
    np.testing.assert_array_equal(out[outline], np.tile([1.0, 0.5, 0.25], (outline.sum(), 1)))


def test_sample_distorted_bounding_box_properties():
    boxes = tf.constant([[[0.05, 0.05, 0.9, 0.7], [0.35, 0.47, 0.5, 0.56]]])
    for seed in range(1, 15):
        begin, size, bbox = tf.image.sample_distorted_bounding_box(
            [300, 300, 3], boxes, seed=seed, min_object_covered=0.1, area_range=(0.1, 1.0))
        assert begin.dtype == tf.int32 and size.numpy()[2] == -1 and begin.numpy()[2] == 0
        (y, x, _), (h, w, _) = begin.numpy(), size.numpy()
        assert 0 <= y and y + h <= 300 and 0 <= x and x + w <= 300
        assert 0.1 * 300 * 300 <= h * w
        np.testing.assert_allclose(bbox.numpy(), [[[y / 300, x / 300, (y + h) / 300, (x + w) / 300]]], rtol=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError, match="No bounding boxes"):
        tf.image.sample_distorted_bounding_box([10, 10, 3], np.zeros((1, 0, 4), np.float32))
    begin, size, _ = tf.image.sample_distorted_bounding_box([10, 10, 3], np.zeros((1, 0, 4), np.float32), seed=1,
                                                            use_image_if_no_bounding_boxes=True)
    assert size.shape == (3,)


def test_non_max_suppression_greedy():
    boxes = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [0, 10.1, 1, 11.1],
                      [0, 100, 1, 101]], np.float32)
    scores = np.array([0.9, 0.75, 0.6, 0.95, 0.5, 0.3], np.float32)
    selected = tf.image.non_max_suppression(boxes, scores, 3, iou_threshold=0.5)
    assert selected.dtype == tf.int32 and selected.numpy().tolist() == [3, 0, 5]
    assert tf.image.non_max_suppression(boxes, scores, 10, 0.5, score_threshold=0.4).numpy().tolist() == [3, 0]
    indices, kept = tf.image.non_max_suppression_with_scores(boxes, scores, 10, soft_nms_sigma=0.5)
    assert indices.numpy().tolist()[:2] == [3, 0] and np.all(kept.numpy() <= 0.95)


# ---------------------------------------------------------------------------------------------------------
# Codecs


def test_png_round_trip_and_string_tensors():
    pytest.importorskip("PIL")
    image = RNG.integers(0, 256, (5, 7, 4)).astype(np.uint8)
    data = tf.image.encode_png(image, compression=9)
    assert data.dtype == tf.string and data.shape == ()
    decoded = tf.image.decode_png(data)
    assert decoded.dtype == tf.uint8
    np.testing.assert_array_equal(decoded.numpy(), image)
    deep = RNG.integers(0, 65536, (3, 2, 3)).astype(np.uint16)
    np.testing.assert_array_equal(tf.image.decode_image(tf.image.encode_png(deep[..., :1]), dtype=tf.uint16),
                                  deep[..., :1])
    as_float = tf.image.decode_image(data, dtype=tf.float32)
    np.testing.assert_allclose(as_float.numpy(), image / 255.0, rtol=1e-6)


def test_jpeg_round_trip_is_close():
    pytest.importorskip("PIL")
    image = (np.linspace(0, 255, 16 * 16).reshape(16, 16, 1) * np.ones(3)).astype(np.uint8)
    data = tf.image.encode_jpeg(image, quality=95)
    decoded = tf.image.decode_jpeg(data, channels=3)
    assert decoded.shape == (16, 16, 3) and np.abs(decoded.numpy().astype(int) - image).max() <= 4
    assert tf.image.decode_jpeg(data, ratio=2).shape == (8, 8, 3)
    assert tf.image.decode_image(data, channels=1).shape == (16, 16, 1)


def test_codecs_name_pillow_when_missing(monkeypatch):
    data = tf.image.encode_png(np.zeros((2, 2, 1), np.uint8))  # the PNG encoder needs no Pillow
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match="pip install pillow"):
        tf.image.decode_png(data)


# ---------------------------------------------------------------------------------------------------------
# The spec's training-time augmentation pipeline (004.md)


def _distort_color(image, color_ordering=0):
    if color_ordering == 0:
        image = tf.image.random_brightness(image, max_delta=32.0 / 255.0)
        image = tf.image.random_saturation(image, lower=0.5, upper=1.5)
        image = tf.image.random_hue(image, max_delta=0.2)
        image = tf.image.random_contrast(image, lower=0.5, upper=1.5)
    else:
        image = tf.image.random_saturation(image, lower=0.5, upper=1.5)
        image = tf.image.random_brightness(image, max_delta=32.0 / 255.0)
        image = tf.image.random_contrast(image, lower=0.5, upper=1.5)
        image = tf.image.random_hue(image, max_delta=0.2)
    return tf.clip_by_value(image, 0.0, 1.0)


def _preprocess_for_train(image, height, width, bbox, method, ordering):
    if bbox is None:
        bbox = tf.constant([0.0, 0.0, 1.0, 1.0], dtype=tf.float32, shape=[1, 1, 4])
    if image.dtype != tf.float32:
        image = tf.image.convert_image_dtype(image, dtype=tf.float32)
    begin, size, _ = tf.image.sample_distorted_bounding_box(tf.shape(image), bounding_boxes=bbox,
                                                            min_object_covered=0.1)
    distorted = tf.slice(image, begin, size)
    distorted = tf.image.resize(distorted, [height, width], method=method)
    distorted = tf.image.random_flip_left_right(distorted)
    return _distort_color(distorted, ordering)


@pytest.mark.parametrize("method,ordering", [("bilinear", 0), ("nearest", 1), ("bicubic", 0), ("area", 1)])
def test_preprocess_for_train_pipeline(method, ordering):
    y, x = np.mgrid[0:120, 0:160]
    image = np.stack([y * 2, x, (x + y) % 256], axis=-1).astype(np.uint8)
    boxes = tf.constant([[[0.05, 0.05, 0.9, 0.7], [0.35, 0.47, 0.5, 0.56]]])
    for bbox in (None, boxes):
        out = _preprocess_for_train(tf.constant(image), 64, 64, bbox, method, ordering)
        assert out.shape == (64, 64, 3) and out.dtype == tf.float32
        values = out.numpy()
        assert values.min() >= 0.0 and values.max() <= 1.0 and values.std() > 0.01
    drawn = tf.image.draw_bounding_boxes(tf.expand_dims(tf.image.resize(image, [300, 300]) / 255.0, 0), boxes,
                                         None)
    assert drawn.shape == (1, 300, 300, 3)


def test_ops_trace_into_graphs():
    image = RNG.random((8, 9, 3)).astype(np.float32)

    @tf.function
    def augment(x):
        x = tf.image.random_crop(x, [6, 6, 3], seed=4)
        x = tf.image.random_flip_left_right(x, seed=5)
        x = tf.image.adjust_gamma(tf.image.adjust_hue(x, 0.1), 1.2)
        return tf.image.resize(x, [3, 4], method="bicubic")

    out = augment(tf.constant(image))
    assert out.shape == (3, 4, 3) and out.dtype == tf.float32


def test_stateless_variants_are_deterministic_per_seed():
    image = RNG.random((6, 7, 3)).astype(np.float32)
    for seed in ([1, 2], [3, 4], [5, 6]):
        crop = tf.image.stateless_random_crop(image, [3, 4, 3], seed=seed)
        np.testing.assert_array_equal(crop.numpy(), tf.image.stateless_random_crop(image, [3, 4, 3], seed).numpy())
        assert any(np.array_equal(crop.numpy(), image[i:i + 3, j:j + 4]) for i in range(4) for j in range(4))
        flipped = tf.image.stateless_random_flip_left_right(image, seed).numpy()
        assert np.array_equal(flipped, image) or np.array_equal(flipped, image[:, ::-1])
        flipped = tf.image.stateless_random_flip_up_down(image, seed).numpy()
        assert np.array_equal(flipped, image) or np.array_equal(flipped, image[::-1])
        delta = tf.image.stateless_random_brightness(image, 0.3, seed).numpy() - image
        assert np.ptp(delta) < 1e-6 and abs(delta.flat[0]) <= 0.3
        for name, args in (("contrast", (0.5, 1.5)), ("hue", (0.2,)), ("saturation", (0.5, 1.5))):
            op = getattr(tf.image, f"stateless_random_{name}")
            np.testing.assert_array_equal(op(image, *args, seed).numpy(), op(image, *args, seed).numpy())
    with pytest.raises(ValueError, match="max_delta must be <= 0.5"):
        tf.image.stateless_random_hue(image, 0.7, [1, 2])


def test_decode_image_inside_dataset_map_has_static_dtype_and_channels(tmp_path):
    pytest.importorskip("PIL")
    path = str(tmp_path / "a.png")
    tf.io.write_file(path, tf.image.encode_png(tf.zeros((5, 6, 3), tf.uint8)))
    ds = tf.data.Dataset.from_tensor_slices([path]).map(
        lambda p: tf.image.decode_image(tf.io.read_file(p), channels=3, expand_animations=False))
    assert ds.element_spec.dtype == tf.uint8 and ds.element_spec.shape.as_list() == [None, None, 3]
    assert next(iter(ds)).shape == (5, 6, 3)
