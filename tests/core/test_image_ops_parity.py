"""Parity of ``ndflow.image`` with TensorFlow: values, dtypes and error types on the same inputs."""
from __future__ import annotations

import io

import numpy as np
import pytest

import ndflow as tf

pytestmark = pytest.mark.parity

RNG = np.random.default_rng(7)
IMAGE = RNG.random((2, 9, 11, 3)).astype(np.float32)
UINT8 = RNG.integers(0, 256, (7, 6, 3)).astype(np.uint8)


def _tf():
    return pytest.importorskip("tensorflow")


def _close(ours, theirs, rtol=2e-5, atol=2e-5):
    theirs_np = theirs.numpy() if hasattr(theirs, "numpy") else np.asarray(theirs)
    assert ours.dtype.name == theirs.dtype.name
    assert tuple(ours.shape) == tuple(theirs_np.shape)
    np.testing.assert_allclose(np.asarray(ours.numpy(), np.float64), np.asarray(theirs_np, np.float64),
                               rtol=rtol, atol=atol)


@pytest.mark.parametrize("method", ["bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5",
                                    "gaussian", "mitchellcubic"])
@pytest.mark.parametrize("antialias", [False, True])
@pytest.mark.parametrize("size", [(4, 5), (17, 23), (9, 30)])
def test_resize_matches_tf(method, antialias, size):
    tf_ref = _tf()
    _close(tf.image.resize(IMAGE, size, method=method, antialias=antialias),
           tf_ref.image.resize(IMAGE, size, method=method, antialias=antialias), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("method", ["bilinear", "nearest", "area", "bicubic"])
def test_resize_uint8_and_aspect_ratio_match_tf(method):
    tf_ref = _tf()
    _close(tf.image.resize(UINT8, [5, 13], method=method), tf_ref.image.resize(UINT8, [5, 13], method=method),
           rtol=1e-4, atol=1e-3)
    _close(tf.image.resize(UINT8, [20, 9], method=method, preserve_aspect_ratio=True),
           tf_ref.image.resize(UINT8, [20, 9], method=method, preserve_aspect_ratio=True), rtol=1e-4, atol=1e-3)


def test_resize_with_pad_and_crop_or_pad_match_tf():
    tf_ref = _tf()
    for th, tw in [(12, 20), (5, 5), (9, 3)]:
        _close(tf.image.resize_with_pad(IMAGE, th, tw), tf_ref.image.resize_with_pad(IMAGE, th, tw), 1e-4, 1e-5)
        _close(tf.image.resize_with_crop_or_pad(UINT8, th, tw), tf_ref.image.resize_with_crop_or_pad(UINT8, th, tw))


def test_geometry_matches_tf():
    tf_ref = _tf()
    for image in (IMAGE, IMAGE[0], UINT8):
        for name in ("flip_left_right", "flip_up_down", "transpose"):
            _close(getattr(tf.image, name)(image), getattr(tf_ref.image, name)(image))
        for k in range(-1, 5):
            _close(tf.image.rot90(image, k), tf_ref.image.rot90(image, k))
        for fraction in (0.5, 0.33, 0.9, 1.0):
            _close(tf.image.central_crop(image, fraction), tf_ref.image.central_crop(image, fraction))
    _close(tf.image.crop_to_bounding_box(IMAGE, 1, 2, 5, 4), tf_ref.image.crop_to_bounding_box(IMAGE, 1, 2, 5, 4))
    _close(tf.image.pad_to_bounding_box(UINT8, 1, 2, 10, 12), tf_ref.image.pad_to_bounding_box(UINT8, 1, 2, 10, 12))


def test_geometry_errors_match_tf():
    tf_ref = _tf()
    cases = [lambda m: m.image.crop_to_bounding_box(np.ones((4, 4, 3)), 1, 1, 5, 2),
             lambda m: m.image.pad_to_bounding_box(np.ones((4, 4, 3)), 1, 1, 3, 9),
             lambda m: m.image.flip_left_right(m.constant(np.ones((2, 3)))),
             lambda m: m.image.resize(np.ones((2, 3)), [2, 2]),
             lambda m: m.image.central_crop(np.ones((4, 4, 3)), 1.5)]
    for case in cases:
        with pytest.raises(Exception) as theirs:
            case(tf_ref)
        with pytest.raises(type(theirs.value)) as ours:
            case(tf)
        assert str(ours.value).split("\n")[0] == str(theirs.value).split("\n")[0]


@pytest.mark.parametrize("padding", ["VALID", "SAME"])
def test_extract_patches_matches_tf(padding):
    tf_ref = _tf()
    for sizes, strides, rates in [([1, 3, 2, 1], [1, 2, 3, 1], [1, 1, 1, 1]), ([1, 2, 2, 1], [1, 1, 1, 1],
                                                                               [1, 2, 3, 1])]:
        _close(tf.image.extract_patches(IMAGE, sizes, strides, rates, padding),
               tf_ref.image.extract_patches(IMAGE, sizes, strides, rates, padding))


@pytest.mark.parametrize("method", ["bilinear", "nearest"])
def test_crop_and_resize_matches_tf(method):
    tf_ref = _tf()
    boxes = np.array([[0.1, 0.2, 0.8, 0.9], [-0.2, 0.3, 0.6, 1.3], [0.5, 0.5, 0.5, 0.5], [0.9, 0.8, 0.2, 0.1]],
                     np.float32)
    indices = np.array([0, 1, 1, 0], np.int32)
    for crop in ([5, 4], [1, 3], [1, 1]):
        _close(tf.image.crop_and_resize(IMAGE, boxes, indices, crop, method, extrapolation_value=-1.0),
               tf_ref.image.crop_and_resize(IMAGE, boxes, indices, crop, method, extrapolation_value=-1.0),
               1e-4, 1e-5)


@pytest.mark.parametrize("target", ["uint8", "uint16", "int32", "float32", "float64", "int8"])
def test_convert_image_dtype_matches_tf(target):
    tf_ref = _tf()
    sources = [UINT8, IMAGE[0], (RNG.random((3, 4)) * 1.4 - 0.2), (RNG.random(6) * 3 - 1).astype(np.float32),
               RNG.integers(-2**31, 2**31 - 1, 5,
                                                                                 dtype=np.int64).astype(np.int32)]
    for source in sources:
        for saturate in (False, True):
            if not saturate and source.dtype.kind == "f" and target not in ("float32", "float64"):
                continue  # out-of-range float→int casts are undefined in TF
            _close(tf.image.convert_image_dtype(source, target, saturate=saturate),
                   tf_ref.image.convert_image_dtype(source, getattr(tf_ref, target), saturate=saturate), 1e-6, 0)


def test_colour_ops_match_tf():
    tf_ref = _tf()
    for image in (IMAGE, IMAGE[0].astype(np.float64), UINT8):
        for name, args in [("adjust_brightness", (0.2,)), ("adjust_brightness", (-0.3,)), ("adjust_contrast", (1.7,)),
                           ("adjust_contrast", (0.4,)), ("adjust_gamma", (2.2, 0.9)), ("adjust_hue", (0.3,)),
                           ("adjust_hue", (-0.7,)), ("adjust_saturation", (1.8,)), ("adjust_saturation", (0.3,)),
                           ("rgb_to_grayscale", ()), ("per_image_standardization", ())]:
            atol = 1.01 if image.dtype == np.uint8 else 2e-5
            _close(getattr(tf.image, name)(image, *args), getattr(tf_ref.image, name)(image, *args), 1e-4, atol)
    for image in (IMAGE, IMAGE[0].astype(np.float64)):
        for name in ("rgb_to_hsv", "rgb_to_yuv", "yuv_to_rgb", "rgb_to_yiq", "yiq_to_rgb", "total_variation"):
            _close(getattr(tf.image, name)(image), getattr(tf_ref.image, name)(tf_ref.constant(image)), 1e-5, 1e-5)
        hsv = tf_ref.image.rgb_to_hsv(image).numpy()
        _close(tf.image.hsv_to_rgb(hsv), tf_ref.image.hsv_to_rgb(hsv), 1e-5, 1e-5)
    gray = UINT8[..., :1]
    _close(tf.image.grayscale_to_rgb(gray), tf_ref.image.grayscale_to_rgb(tf_ref.constant(gray)))
    _close(tf.image.sobel_edges(IMAGE), tf_ref.image.sobel_edges(tf_ref.constant(IMAGE)), 1e-5, 1e-5)
    for ours, theirs in zip(tf.image.image_gradients(IMAGE), tf_ref.image.image_gradients(tf_ref.constant(IMAGE))):
        _close(ours, theirs)


def test_draw_bounding_boxes_matches_tf():
    tf_ref = _tf()
    boxes = np.array([[[0.1, 0.1, 0.6, 0.7], [0.3, -0.2, 1.4, 0.5], [0.0, 0.0, 1.0, 1.0]],
                      [[0.5, 0.5, 0.2, 0.9], [0.2, 0.3, 0.4, 0.35], [1.2, 0.0, 1.5, 1.0]]], np.float32)
    colors = np.array([[1.0, 0.0, 0.0, 1.0], [0.0, 0.5, 1.0, 1.0]], np.float32)
    _close(tf.image.draw_bounding_boxes(IMAGE, boxes, colors), tf_ref.image.draw_bounding_boxes(IMAGE, boxes, colors))
    _close(tf.image.draw_bounding_boxes(IMAGE, boxes, None), tf_ref.image.draw_bounding_boxes(IMAGE, boxes, None))
    tenths = np.array([[[0.7, 0.3, 0.9, 0.7]], [[0.1, 0.7, 0.3, 0.9]]], np.float32)  # edges at x.9999 in float64
    _close(tf.image.draw_bounding_boxes(np.zeros((2, 11, 11, 3), np.float32), tenths, colors),
           tf_ref.image.draw_bounding_boxes(np.zeros((2, 11, 11, 3), np.float32), tenths, colors))
    gray = IMAGE[..., :1]
    _close(tf.image.draw_bounding_boxes(gray, boxes, colors), tf_ref.image.draw_bounding_boxes(gray, boxes, colors))


def test_non_max_suppression_matches_tf():
    tf_ref = _tf()
    corners = RNG.random((40, 2, 2)).astype(np.float32)
    boxes = np.concatenate([corners.min(1), corners.max(1)], axis=1)[:, [0, 1, 2, 3]]
    boxes[5] = boxes[3][[2, 3, 0, 1]]  # corners in the other order
    scores = RNG.random(40).astype(np.float32)
    scores[7] = scores[9]
    for iou, floor in [(0.5, float("-inf")), (0.2, 0.3), (0.0, 0.1), (1.0, float("-inf"))]:
        _close(tf.image.non_max_suppression(boxes, scores, 15, iou, floor),
               tf_ref.image.non_max_suppression(boxes, scores, 15, iou, floor))
    for sigma in (0.0, 0.5):
        ours = tf.image.non_max_suppression_with_scores(boxes, scores, 20, 0.6, 0.2, sigma)
        theirs = tf_ref.image.non_max_suppression_with_scores(boxes, scores, 20, 0.6, 0.2, sigma)
        for a, b in zip(ours, theirs):
            _close(a, b, 1e-5, 1e-6)


def _png(tf_ref, array):
    return tf_ref.io.encode_png(array).numpy()


def test_codecs_match_tf():
    tf_ref = _tf()
    pytest.importorskip("PIL")
    rgb = RNG.integers(0, 256, (13, 17, 3)).astype(np.uint8)
    smooth = (np.linspace(0, 255, 16 * 24).reshape(16, 24, 1) * np.ones((1, 1, 3))).astype(np.uint8)
    for array in (rgb, rgb[..., :1], np.concatenate([rgb, rgb[..., :1]], -1)):
        data = _png(tf_ref, array)
        for channels in (0, 1, 3, 4):
            _close(tf.image.decode_png(data, channels), tf_ref.io.decode_png(data, channels))
        _close(tf.image.decode_png(data, dtype=tf.uint16), tf_ref.io.decode_png(data, dtype=tf_ref.uint16))
        ours = tf.image.encode_png(array)
        assert ours.dtype == tf.string and ours.shape == ()
        np.testing.assert_array_equal(tf_ref.io.decode_png(ours.numpy()).numpy(), array)
    deep = RNG.integers(0, 65536, (5, 4, 1)).astype(np.uint16)
    data = tf_ref.io.encode_png(deep).numpy()
    _close(tf.image.decode_png(data, dtype=tf.uint16), tf_ref.io.decode_png(data, dtype=tf_ref.uint16))
    _close(tf.image.decode_png(data), tf_ref.io.decode_png(data))
    np.testing.assert_array_equal(tf_ref.io.decode_png(tf.image.encode_png(deep).numpy(), dtype=tf_ref.uint16),
                                  deep)

    jpeg = tf_ref.io.encode_jpeg(smooth, quality=90).numpy()
    for channels in (0, 1, 3):
        for ratio in (1, 2):
            ours = tf.image.decode_jpeg(jpeg, channels=channels, ratio=ratio)
            theirs = tf_ref.io.decode_jpeg(jpeg, channels=channels, ratio=ratio, dct_method="INTEGER_ACCURATE")
            _close(ours, theirs, 0, 3)
    ours = tf.image.encode_jpeg(smooth, quality=80)
    np.testing.assert_allclose(tf_ref.io.decode_jpeg(ours.numpy()).numpy(), smooth, atol=8)
    _close(tf.image.decode_image(jpeg, dtype=tf.float32),
           tf_ref.io.decode_image(jpeg, dtype=tf_ref.float32), 0, 3 / 255)
    png = _png(tf_ref, rgb)
    _close(tf.image.decode_image(png, channels=3), tf_ref.io.decode_image(png, channels=3))
    for data in (jpeg, png, [jpeg, png]):
        _close(tf.image.is_jpeg(data), tf_ref.io.is_jpeg(data))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.image.decode_image(b"not an image")


def test_decode_gif_and_bmp_match_tf():
    tf_ref = _tf()
    image_module = pytest.importorskip("PIL.Image")

    frames = [image_module.fromarray(RNG.integers(0, 256, (6, 5, 3)).astype(np.uint8)).quantize(8).convert("RGB")
              for _ in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=50, disposal=1)
    gif = buffer.getvalue()
    _close(tf.image.decode_gif(gif), tf_ref.io.decode_gif(gif))
    _close(tf.image.decode_image(gif, expand_animations=False), tf_ref.io.decode_image(gif, expand_animations=False))
    buffer = io.BytesIO()
    image_module.fromarray(UINT8).save(buffer, "BMP")
    bmp = buffer.getvalue()
    _close(tf.image.decode_bmp(bmp), tf_ref.io.decode_bmp(bmp))
    _close(tf.image.decode_image(bmp), tf_ref.io.decode_image(bmp))


def _same_error(tf_ref, case):
    with pytest.raises(Exception) as theirs:
        case(tf_ref)
    with pytest.raises(Exception) as ours:
        case(tf)
    assert type(ours.value).__name__ == type(theirs.value).__name__, (ours.value, theirs.value)
    expected = str(theirs.value).split("}} ")[-1].split(" [Op:")[0].split("\n")[0]
    assert expected in str(ours.value)


def test_op_errors_match_tf():
    tf_ref = _tf()
    pytest.importorskip("PIL")
    image = IMAGE[0]
    png = _png(tf_ref, UINT8)
    cases = [lambda m: m.image.draw_bounding_boxes(m.constant(image), [[[0.1, 0.1, 0.5, 0.5]]], None),
             lambda m: m.image.draw_bounding_boxes(m.constant(IMAGE), [[0.1, 0.1, 0.5, 0.5]], None),
             lambda m: m.image.adjust_contrast(m.constant(image[0]), 2.0),
             lambda m: m.image.rgb_to_hsv(m.constant(image[..., :2])),
             lambda m: m.image.adjust_hue(m.constant(image), 1.5),
             lambda m: m.image.resize(image, [0, 3]),
             lambda m: m.image.crop_and_resize(IMAGE, [[0, 0, 1, 1.0]], [0], [0, 2]),
             lambda m: m.image.sample_distorted_bounding_box([10, 10, 3], np.zeros((1, 0, 4), np.float32)),
             lambda m: m.image.decode_png(b"garbage"),
             lambda m: m.image.decode_bmp(png),
             lambda m: m.image.decode_png(png, channels=2),
             lambda m: m.image.decode_png(m.constant([png, png])),
             lambda m: m.image.encode_png(UINT8.astype(np.int32)),
             lambda m: m.image.rgb_to_yuv(m.constant(UINT8)),
             lambda m: m.image.crop_and_resize(IMAGE, [[0, 0, 1, 1.0]], [0], [2, 2], method="bicubic")]
    for case in cases:
        _same_error(tf_ref, case)


def test_decoders_sniff_the_format_like_tf():
    tf_ref = _tf()
    pytest.importorskip("PIL")
    png = _png(tf_ref, UINT8)
    jpeg = tf_ref.io.encode_jpeg(UINT8, quality=100).numpy()
    _close(tf.image.decode_jpeg(png), tf_ref.io.decode_jpeg(png))
    _close(tf.image.decode_gif(png), tf_ref.io.decode_gif(png))
    ours, theirs = tf.image.decode_png(jpeg), tf_ref.io.decode_png(jpeg)
    assert ours.shape == tuple(theirs.shape) and ours.dtype == tf.uint8
    _close(tf.image.decode_image(png, dtype=tf.float64), tf_ref.io.decode_image(png, dtype=tf_ref.float64), 1e-12)
