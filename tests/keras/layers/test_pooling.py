"""Pooling layers: parity with Keras 3 (forward and input gradients), masks, shapes, configs, errors."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _parity(name: str, kwargs: dict, shape: tuple, seed: int = 0, mask: np.ndarray | None = None):
    """Runs ``name`` in Keras and ndflow on the same input; compares outputs and input gradients."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype("float32")
    theirs = getattr(keras.layers, name)(**kwargs)
    ours = getattr(layers, name)(**kwargs)
    extra_theirs = {} if mask is None else {"mask": real_tf.constant(mask)}
    extra_ours = {} if mask is None else {"mask": tf.constant(mask)}
    x_theirs = real_tf.constant(x)
    with real_tf.GradientTape() as tape:
        tape.watch(x_theirs)
        expected = theirs(x_theirs, **extra_theirs)
        upstream = rng.standard_normal(expected.shape).astype("float32")
        loss = real_tf.reduce_sum(expected * upstream)
    their_grad = tape.gradient(loss, x_theirs)
    x_ours = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x_ours)
        got = ours(x_ours, **extra_ours)
        loss = tf.reduce_sum(got * upstream)
    our_grad = tape.gradient(loss, x_ours)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), **TOL)
    np.testing.assert_allclose(our_grad.numpy(), their_grad.numpy(), **TOL)
    return ours, theirs, got


CASES = [
    ("MaxPooling1D", {}, (2, 7, 3)),
    ("MaxPooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 8, 3)),
    ("MaxPooling1D", {"pool_size": 2, "data_format": "channels_first"}, (2, 3, 7)),
    ("MaxPooling2D", {}, (2, 6, 5, 3)),
    ("MaxPooling2D", {"pool_size": (3, 2), "strides": (1, 2), "padding": "same"}, (2, 5, 6, 2)),
    ("MaxPooling2D", {"pool_size": 2, "strides": 1, "data_format": "channels_first"}, (2, 3, 4, 5)),
    ("MaxPooling3D", {}, (1, 4, 5, 4, 2)),
    ("MaxPooling3D", {"pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"},
     (1, 2, 5, 4, 5)),
    ("AveragePooling1D", {"pool_size": 2}, (2, 7, 3)),
    ("AveragePooling1D", {"pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"},
     (2, 3, 8)),
    ("AveragePooling2D", {"pool_size": 2}, (2, 6, 5, 3)),
    ("AveragePooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 6, 7, 2)),
    ("AveragePooling2D", {"pool_size": (2, 3), "data_format": "channels_first"}, (2, 3, 4, 6)),
    ("AveragePooling3D", {"pool_size": 2}, (1, 4, 5, 4, 2)),
    ("AveragePooling3D", {"pool_size": 2, "strides": 1, "padding": "same", "data_format": "channels_first"},
     (1, 2, 3, 4, 3)),
    ("GlobalMaxPooling1D", {}, (2, 5, 3)),
    ("GlobalMaxPooling1D", {"keepdims": True, "data_format": "channels_first"}, (2, 3, 5)),
    ("GlobalMaxPooling2D", {}, (2, 4, 5, 3)),
    ("GlobalMaxPooling2D", {"keepdims": True}, (2, 4, 5, 3)),
    ("GlobalMaxPooling3D", {"data_format": "channels_first"}, (2, 3, 2, 3, 4)),
    ("GlobalAveragePooling1D", {}, (2, 5, 3)),
    ("GlobalAveragePooling1D", {"keepdims": True, "data_format": "channels_first"}, (2, 3, 5)),
    ("GlobalAveragePooling2D", {"data_format": "channels_first"}, (2, 3, 4, 5)),
    ("GlobalAveragePooling2D", {"keepdims": True}, (2, 4, 5, 3)),
    ("GlobalAveragePooling3D", {"keepdims": True}, (2, 2, 3, 4, 3)),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs,shape", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_parity_forward_and_gradient(name, kwargs, shape):
    ours, theirs, got = _parity(name, kwargs, shape)
    assert ours.compute_output_shape(shape) == tuple(theirs.compute_output_shape(shape)) == tuple(got.shape)


@pytest.mark.parity
@pytest.mark.parametrize("data_format,keepdims", [("channels_last", False), ("channels_first", True)])
def test_global_average_pooling_1d_with_mask(data_format, keepdims):
    mask = np.array([[True, True, False, True, False], [False, True, True, True, True]])
    shape = (2, 5, 3) if data_format == "channels_last" else (2, 3, 5)
    ours, _, got = _parity("GlobalAveragePooling1D", {"data_format": data_format, "keepdims": keepdims}, shape,
                           mask=mask)
    assert getattr(got, "_keras_mask", None) is None
    assert ours.supports_masking


def test_masked_global_average_matches_numpy_and_ignores_masked_infinities():
    x = np.arange(12, dtype="float32").reshape(1, 4, 3)
    x[0, 1] = np.inf
    mask = np.array([[True, False, True, True]])
    got = layers.GlobalAveragePooling1D()(x, mask=mask).numpy()
    np.testing.assert_allclose(got, x[0, [0, 2, 3]].mean(axis=0, keepdims=True))


SHAPE_CASES = [
    ("MaxPooling1D", {"pool_size": 3}, (None, None, 4)),
    ("MaxPooling2D", {"padding": "same", "strides": 3}, (None, 7, None, 2)),
    ("AveragePooling3D", {"pool_size": 2, "data_format": "channels_first"}, (None, 3, 5, None, 4)),
    ("GlobalAveragePooling2D", {"keepdims": True, "data_format": "channels_first"}, (None, 3, None, None)),
    ("GlobalMaxPooling3D", {}, (None, None, None, None, 2)),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs,shape", SHAPE_CASES, ids=[c[0] for c in SHAPE_CASES])
def test_compute_output_shape_with_unknown_dims(name, kwargs, shape):
    expected = getattr(keras.layers, name)(**kwargs).compute_output_shape(shape)
    assert getattr(layers, name)(**kwargs).compute_output_shape(shape) == tuple(expected)


CONFIG_CASES = [
    ("MaxPooling1D", {"pool_size": 3, "strides": 1, "padding": "same"}),
    ("MaxPooling2D", {}),
    ("MaxPooling3D", {"data_format": "channels_first"}),
    ("AveragePooling1D", {"pool_size": 2}),
    ("AveragePooling2D", {"pool_size": (2, 3), "strides": 1}),
    ("AveragePooling3D", {"pool_size": 2, "padding": "same"}),
    ("GlobalMaxPooling1D", {"keepdims": True}),
    ("GlobalMaxPooling2D", {"data_format": "channels_first"}),
    ("GlobalAveragePooling1D", {}),
    ("GlobalAveragePooling3D", {"keepdims": True}),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_get_config_matches_keras_and_round_trips(name, kwargs):
    ours = getattr(layers, name)(name="probe", **kwargs)
    config = ours.get_config()
    assert config == getattr(keras.layers, name)(name="probe", **kwargs).get_config()
    assert getattr(layers, name).from_config(config).get_config() == config
    assert ours.built


def test_aliases_are_the_same_classes():
    assert layers.MaxPool2D is layers.MaxPooling2D
    assert layers.AvgPool1D is layers.AveragePooling1D
    assert layers.GlobalAvgPool2D is layers.GlobalAveragePooling2D
    assert layers.GlobalMaxPool3D is layers.GlobalMaxPooling3D


def test_max_pooling_2d_matches_numpy():
    x = np.random.default_rng(3).standard_normal((2, 4, 6, 3)).astype("float32")
    got = layers.MaxPooling2D()(x).numpy()
    np.testing.assert_array_equal(got, x.reshape(2, 2, 2, 3, 2, 3).max(axis=(2, 4)))


def test_pooling_runs_inside_function_with_unknown_batch():
    layer = layers.AveragePooling2D(2, padding="same")
    x = np.random.default_rng(4).standard_normal((3, 5, 5, 2)).astype("float32")

    @tf.function(input_signature=[tf.TensorSpec([None, 5, 5, 2], tf.float32)])
    def run(inputs):
        return layer(inputs)

    np.testing.assert_allclose(run(x).numpy(), layer(x).numpy(), rtol=1e-6)


INIT_ERRORS = [
    ("MaxPooling2D", {"pool_size": (2, 2, 2)}),
    ("MaxPooling1D", {"pool_size": 0}),
    ("AveragePooling2D", {"pool_size": 2, "strides": -1}),
    ("AveragePooling3D", {"pool_size": 2, "data_format": "nchw"}),
    ("GlobalMaxPooling2D", {"data_format": "last"}),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", INIT_ERRORS, ids=[c[0] for c in INIT_ERRORS])
def test_argument_errors_match_keras(name, kwargs):
    with pytest.raises(Exception) as theirs:
        getattr(keras.layers, name)(**kwargs)
    with pytest.raises(type(theirs.value)) as ours:
        getattr(layers, name)(**kwargs)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parity
def test_output_size_error_matches_keras():
    with pytest.raises(ValueError) as theirs:
        keras.layers.MaxPooling2D(3).compute_output_shape((1, 2, 5, 1))
    with pytest.raises(ValueError) as ours:
        layers.MaxPooling2D(3).compute_output_shape((1, 2, 5, 1))
    assert str(ours.value) == str(theirs.value)


def test_rank_is_checked():
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        layers.MaxPooling2D()(np.zeros((1, 4, 4), "float32"))
