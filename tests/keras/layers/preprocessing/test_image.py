"""Image preprocessing layers: parity with Keras 3 for the deterministic layers and for the random layers with
fixed parameters (a zero-width factor range), plus the statistics/geometry of random draws, inference identity,
gradients, models and dataset pipelines."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers
from ndflow.keras.layers.preprocessing._image_ops import affine_transform

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

pytestmark = pytest.mark.parity
TOL = {"rtol": 1e-4, "atol": 1e-3}  # pixel values up to 255
IMAGES = np.random.default_rng(0).uniform(0, 255, (2, 6, 8, 3)).astype("float32")


def _both(name, **kwargs):
    return getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)


def _assert_same(ours, theirs, x, training=True):
    expected = np.asarray(theirs(x, training=training))
    got = ours(x, training=training)
    assert got.dtype.name == str(expected.dtype)
    np.testing.assert_allclose(got.numpy(), expected, **TOL)
    config = ours.get_config()
    assert set(config) == set(theirs.get_config())
    assert type(ours).from_config(config).get_config() == config


@pytest.mark.parametrize("kwargs", [{}, {"interpolation": "nearest"}, {"interpolation": "bicubic"},
                                    {"interpolation": "area"}, {"crop_to_aspect_ratio": True},
                                    {"pad_to_aspect_ratio": True, "fill_value": 7.0}, {"antialias": True}])
def test_resizing_matches_keras(kwargs):
    ours, theirs = _both("Resizing", height=4, width=3, **kwargs)
    _assert_same(ours, theirs, IMAGES)
    _assert_same(ours, theirs, IMAGES[0])
    assert ours.compute_output_shape((None, 6, 8, 3)) == tuple(theirs.compute_output_shape((None, 6, 8, 3)))


def test_resizing_integer_images_and_channels_first():
    ours, theirs = _both("Resizing", height=5, width=9)
    images = IMAGES.astype("uint8")
    expected = np.asarray(theirs(images))
    got = ours(images)
    assert got.dtype == tf.uint8
    # rounding ties: ndflow's tf.image.resize can differ from TensorFlow's in the last float bit (130.5 vs 130.50002)
    np.testing.assert_allclose(got.numpy(), expected, atol=1)
    ours, theirs = _both("Resizing", height=3, width=4, data_format="channels_first")
    first = IMAGES.transpose(0, 3, 1, 2)
    _assert_same(ours, theirs, first)
    assert ours.compute_output_shape(first.shape) == tuple(theirs.compute_output_shape(first.shape))


@pytest.mark.parametrize("size", [(4, 4), (3, 8), (8, 10), (2, 12)])
def test_center_crop_matches_keras(size):
    ours, theirs = _both("CenterCrop", height=size[0], width=size[1])
    _assert_same(ours, theirs, IMAGES)
    assert ours.compute_output_shape(IMAGES.shape) == tuple(theirs.compute_output_shape(IMAGES.shape))


@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_affine_transform_matches_tensorflow(fill_mode, interpolation):
    transform = np.array([[0.9, -0.4, 2.5, 0.3, 1.2, -3.1, 0.0, 0.0], [-1.3, 0.2, 9.0, 0.1, 0.7, 2.2, 0.01, 0.02]],
                         "float32")
    expected = real_tf.raw_ops.ImageProjectiveTransformV3(
        images=IMAGES, transforms=transform, output_shape=[6, 8], fill_value=3.0,
        interpolation=interpolation.upper(), fill_mode=fill_mode.upper())
    got = affine_transform(tf.constant(IMAGES), tf.constant(transform), interpolation, fill_mode, 3.0)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), **TOL)


@pytest.mark.parametrize("name,kwargs", [
    ("RandomRotation", {"factor": (0.1, 0.1)}),
    ("RandomRotation", {"factor": (-0.25, -0.25), "fill_mode": "constant", "fill_value": 5.0}),
    ("RandomRotation", {"factor": (0.3, 0.3), "interpolation": "nearest", "fill_mode": "wrap"}),
    ("RandomZoom", {"height_factor": (0.3, 0.3)}),
    ("RandomZoom", {"height_factor": (-0.4, -0.4), "width_factor": (0.2, 0.2), "fill_mode": "nearest"}),
    ("RandomTranslation", {"height_factor": (0.2, 0.2), "width_factor": (-0.3, -0.3)}),
    ("RandomTranslation", {"height_factor": (-0.5, -0.5), "width_factor": (0.1, 0.1), "fill_mode": "constant"}),
    ("RandomContrast", {"factor": (-0.4, 0.4)}),
    ("RandomBrightness", {"factor": (0.1, 0.1)}),
    ("RandomBrightness", {"factor": (-0.3, -0.3), "value_range": (0, 1)}),
])
def test_random_layers_with_fixed_parameters_match_keras(name, kwargs):
    ours, theirs = _both(name, **kwargs)
    _assert_same(ours, theirs, IMAGES)
    _assert_same(ours, theirs, IMAGES[1])
    _assert_same(ours, theirs, IMAGES, training=False)


def test_rotation_input_gradient_is_the_transpose_of_the_sampling():
    # the transform is linear in the image: its input gradient is A^T @ upstream (TensorFlow's registered gradient
    # instead resamples the upstream gradient through the inverse transform, an approximation)
    layer = layers.RandomRotation((0.07, 0.07), fill_mode="reflect")
    image = np.random.default_rng(1).uniform(size=(1, 3, 4, 1)).astype("float32")
    basis = np.eye(12, dtype="float32").reshape(12, 3, 4, 1)
    matrix = layer(basis).numpy().reshape(12, 12).T
    upstream = np.random.default_rng(2).standard_normal((1, 3, 4, 1)).astype("float32")
    x = tf.constant(image)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(layer(x) * upstream)
    np.testing.assert_allclose(tape.gradient(loss, x).numpy().ravel(), matrix.T @ upstream.ravel(), rtol=1e-5,
                               atol=1e-5)
    np.testing.assert_allclose(layer(x).numpy().ravel(), matrix @ image.ravel(), rtol=1e-5, atol=1e-5)


def test_random_flip_flips_whole_images_about_half_the_time():
    images = np.random.default_rng(2).uniform(size=(200, 3, 4, 1)).astype("float32")
    horizontal = layers.RandomFlip("horizontal", seed=3)(images).numpy()
    same = np.all(horizontal == images, axis=(1, 2, 3))
    flipped = np.all(horizontal == images[:, :, ::-1], axis=(1, 2, 3))
    assert np.all(same ^ flipped)
    assert 70 < flipped.sum() < 130
    both = layers.RandomFlip(seed=4)(images).numpy()
    assert np.all(np.all(both == images, axis=(1, 2, 3)) | np.all(both == images[:, ::-1, ::-1], axis=(1, 2, 3)))
    assert np.array_equal(layers.RandomFlip("vertical")(images, training=False).numpy(), images)


def test_random_contrast_factors_stay_in_range_and_vary():
    images = np.random.default_rng(3).uniform(50, 200, (64, 4, 4, 1)).astype("float32")
    out = layers.RandomContrast(0.3, seed=5)(images).numpy()
    mean = images.mean(axis=(1, 2), keepdims=True)
    factors = ((out - mean) / (images - mean)).reshape(64, -1)
    np.testing.assert_allclose(factors, factors[:, :1] * np.ones_like(factors), rtol=1e-3)
    # a single number f draws from [1, 1 + f] in Keras 3 (its lower bound is clipped to 0)
    assert factors.min() >= 1.0 - 1e-4 and factors.max() <= 1.3 + 1e-4
    assert factors[:, 0].std() > 0.05


def test_random_rotation_brightness_translation_draw_within_their_ranges():
    images = np.full((50, 5, 5, 1), 100.0, "float32")
    shifted = layers.RandomBrightness(0.2, seed=1)(images).numpy()[:, 0, 0, 0] - 100.0
    assert shifted.min() >= -0.2 * 255 - 1e-3 and shifted.max() <= 0.2 * 255 + 1e-3 and shifted.std() > 5
    ramp = np.tile(np.arange(9, dtype="float32")[None, None, :, None], (40, 1, 1, 1))
    moved = layers.RandomTranslation(0.0, (0.2, 0.2), fill_mode="nearest", seed=1)(ramp).numpy()
    np.testing.assert_allclose(moved[:, 0, 4, 0], np.full(40, 4 - 0.2 * 9), atol=1e-4)


def test_random_crop_windows_inference_and_small_inputs():
    ours = layers.RandomCrop(4, 5, seed=7)
    crops = [ours(IMAGES).numpy() for _ in range(6)]
    for crop in crops:
        assert crop.shape == (2, 4, 5, 3)
        windows = [(i, j) for i in range(3) for j in range(4)
                   if np.array_equal(IMAGES[:, i:i + 4, j:j + 5], crop)]
        assert len(windows) == 1
    assert len({c.tobytes() for c in crops}) > 1
    assert np.array_equal(ours(IMAGES, training=False).numpy(), IMAGES)
    mine, theirs = _both("RandomCrop", height=9, width=10, seed=1)
    np.testing.assert_allclose(mine(IMAGES).numpy(), np.asarray(theirs(IMAGES)), **TOL)
    assert set(mine.get_config()) == set(theirs.get_config())
    for shape, data_format in (((None, 6, 8, 3), None), ((None, 3, 6, 8), "channels_first"), ((6, 8, 3), None)):
        mine, theirs = _both("RandomCrop", height=4, width=5, data_format=data_format)
        assert mine.compute_output_shape(shape) == tuple(theirs.compute_output_shape(shape))


def test_seeded_layers_repeat_and_models_skip_augmentation_at_inference():
    first = layers.RandomRotation(0.2, seed=11)(IMAGES).numpy()
    again = layers.RandomRotation(0.2, seed=11)(IMAGES).numpy()
    np.testing.assert_array_equal(first, again)
    model = tf.keras.Sequential([tf.keras.Input((6, 8, 3)), layers.RandomFlip(seed=1), layers.RandomRotation(0.3),
                                 layers.RandomZoom(0.2), layers.Rescaling(1 / 255.0)])
    np.testing.assert_allclose(model.predict(IMAGES, verbose=0), IMAGES / 255.0, rtol=1e-6)
    assert not np.allclose(model(IMAGES, training=True).numpy(), IMAGES / 255.0)


def test_augmentation_in_dataset_map_and_dict_inputs():
    flip = layers.RandomFlip("horizontal", seed=2)
    pipeline = tf.data.Dataset.from_tensor_slices(IMAGES).batch(2).map(lambda x: flip(x, training=True))
    out = next(iter(pipeline)).numpy()
    for image, result in zip(IMAGES, out):
        assert np.array_equal(result, image) or np.array_equal(result, image[:, ::-1])
    data = layers.RandomZoom((0.5, 0.5), fill_mode="constant")({"images": IMAGES, "labels": np.array([1, 2])})
    assert data["images"].shape == IMAGES.shape and list(np.asarray(data["labels"])) == [1, 2]


def test_image_layer_errors():
    with pytest.raises(ValueError, match="rank 3 .* or 4"):
        layers.RandomFlip()(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"in the range \[-1, 1\]"):
        layers.RandomRotation(1.5)
    with pytest.raises(ValueError, match=r"range \(-1.0, 1.0\]"):
        layers.RandomZoom(-1.0)
    with pytest.raises(NotImplementedError, match="Unknown `fill_mode`"):
        layers.RandomTranslation(0.1, 0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match="`value_range` argument should be a list of two numbers"):
        layers.RandomBrightness(0.1, value_range=5)


@pytest.mark.parametrize("make", [lambda: layers.Resizing(5, 5, pad_to_aspect_ratio=True),
                                  lambda: layers.Resizing(3, 4, crop_to_aspect_ratio=True),
                                  lambda: layers.CenterCrop(7, 9), lambda: layers.CenterCrop(4, 4),
                                  lambda: layers.RandomRotation((0.1, 0.1)), lambda: layers.RandomZoom((0.2, 0.2)),
                                  lambda: layers.RandomTranslation((0.1, 0.1), (-0.2, -0.2)),
                                  lambda: layers.RandomContrast((-0.3, 0.3)),
                                  lambda: layers.RandomBrightness((0.1, 0.1))])
@pytest.mark.parametrize("batched", [True, False])
def test_traced_in_dataset_map_equals_eager(make, batched):
    layer = make()
    dataset = tf.data.Dataset.from_tensor_slices(IMAGES)
    dataset = dataset.batch(2) if batched else dataset
    got = [x.numpy() for x in dataset.map(lambda x: layer(x, training=True))][0]
    expected = layer(IMAGES if batched else IMAGES[0], training=True).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)


def test_augmentation_model_fits_and_draws_new_parameters_each_step():
    images = np.random.default_rng(4).uniform(0, 255, (16, 8, 8, 3)).astype("float32")
    labels = np.arange(16) % 2
    augment = tf.keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1),
                                   layers.RandomZoom(0.1), layers.RandomTranslation(0.1, 0.1),
                                   layers.RandomContrast(0.2), layers.RandomBrightness(0.1), layers.RandomCrop(6, 6)])
    model = tf.keras.Sequential([tf.keras.Input((8, 8, 3)), augment, layers.Rescaling(1 / 255.0), layers.Conv2D(2, 3),
                                 layers.GlobalAveragePooling2D(), layers.Dense(2)])
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(images, labels, epochs=2, batch_size=8, verbose=0)
    assert len(history.history["loss"]) == 2
    assert int(augment.layers[1].generator.state.numpy()[1]) == 4  # one draw per training step
    assert model.predict(images[:2], verbose=0).shape == (2, 2)


def test_segmentation_masks_follow_geometry_only():
    masks = np.random.default_rng(5).integers(0, 3, (2, 6, 8, 1)).astype("float32")
    data = {"images": IMAGES, "segmentation_masks": masks}
    for name, kwargs in (("RandomRotation", {"factor": (0.1, 0.1)}), ("Resizing", {"height": 3, "width": 5}),
                         ("RandomContrast", {"factor": (-0.4, 0.4)})):
        ours, theirs = _both(name, **kwargs)
        expected = theirs({"images": IMAGES, "segmentation_masks": masks})
        got = ours(dict(data))
        np.testing.assert_allclose(got["segmentation_masks"].numpy(), np.asarray(expected["segmentation_masks"]),
                                   **TOL)
        np.testing.assert_allclose(got["images"].numpy(), np.asarray(expected["images"]), **TOL)
