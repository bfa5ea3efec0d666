"""Up-sampling, zero-padding and cropping layers: parity with Keras 3, shapes, configs, errors."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _parity(name: str, kwargs: dict, shape: tuple, seed: int = 0):
    """Runs ``name`` in Keras and ndflow on the same input; compares outputs and input gradients."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype("float32")
    theirs = getattr(keras.layers, name)(**kwargs)
    ours = getattr(layers, name)(**kwargs)
    x_theirs = real_tf.constant(x)
    with real_tf.GradientTape() as tape:
        tape.watch(x_theirs)
        expected = theirs(x_theirs)
        upstream = rng.standard_normal(expected.shape).astype("float32")
        loss = real_tf.reduce_sum(expected * upstream)
    their_grad = tape.gradient(loss, x_theirs)
    x_ours = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x_ours)
        got = ours(x_ours)
        loss = tf.reduce_sum(got * upstream)
    our_grad = tape.gradient(loss, x_ours)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), **TOL)
    np.testing.assert_allclose(our_grad.numpy(), their_grad.numpy(), **TOL)
    assert ours.compute_output_shape(shape) == tuple(theirs.compute_output_shape(shape)) == tuple(got.shape)
    return ours


CASES = [
    ("UpSampling1D", {}, (2, 3, 4)),
    ("UpSampling1D", {"size": 3}, (2, 3, 4)),
    ("UpSampling2D", {}, (2, 3, 2, 4)),
    ("UpSampling2D", {"size": (1, 3), "data_format": "channels_first"}, (2, 3, 2, 4)),
    ("UpSampling2D", {"size": (2, 3), "interpolation": "bilinear"}, (2, 3, 4, 2)),
    ("UpSampling2D", {"size": 2, "interpolation": "bilinear", "data_format": "channels_first"}, (2, 2, 3, 4)),
    ("UpSampling2D", {"size": 2, "interpolation": "bicubic"}, (1, 3, 4, 2)),
    ("UpSampling3D", {}, (1, 2, 3, 2, 2)),
    ("UpSampling3D", {"size": (1, 2, 3), "data_format": "channels_first"}, (1, 2, 2, 3, 2)),
    ("ZeroPadding1D", {}, (2, 3, 4)),
    ("ZeroPadding1D", {"padding": (2, 0), "data_format": "channels_first"}, (2, 3, 4)),
    ("ZeroPadding2D", {}, (2, 3, 4, 2)),
    ("ZeroPadding2D", {"padding": ((1, 0), (2, 3)), "data_format": "channels_first"}, (2, 2, 3, 4)),
    ("ZeroPadding2D", {"padding": 2}, (1, 2, 2, 1)),
    ("ZeroPadding3D", {}, (1, 2, 3, 2, 2)),
    ("ZeroPadding3D", {"padding": (1, 0, 2), "data_format": "channels_first"}, (1, 2, 2, 3, 2)),
    ("Cropping1D", {}, (2, 5, 3)),
    ("Cropping1D", {"cropping": (2, 0)}, (2, 5, 3)),
    ("Cropping2D", {}, (2, 4, 5, 2)),
    ("Cropping2D", {"cropping": ((1, 0), (2, 1))}, (2, 4, 5, 2)),
    ("Cropping2D", {"cropping": 1, "data_format": "channels_first"}, (2, 2, 4, 5)),
    ("Cropping2D", {"cropping": ((0, 2), (1, 0))}, (2, 4, 5, 2)),
    ("Cropping3D", {}, (1, 4, 3, 5, 2)),
    ("Cropping3D", {"cropping": ((0, 1), (1, 0), (0, 0)), "data_format": "channels_first"}, (1, 2, 3, 4, 5)),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs,shape", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_parity_forward_and_gradient(name, kwargs, shape):
    _parity(name, kwargs, shape)


SHAPE_CASES = [
    ("UpSampling1D", {"size": 3}, (None, None, 2)),
    ("UpSampling2D", {"data_format": "channels_first"}, (None, 3, None, 4)),
    ("UpSampling3D", {"size": (1, 2, 3)}, (None, 2, None, 4, 1)),
    ("ZeroPadding1D", {"padding": (1, 2)}, (None, None, 3)),
    ("ZeroPadding2D", {"padding": ((1, 2), (3, 4))}, (None, 5, None, 2)),
    ("ZeroPadding3D", {"data_format": "channels_first"}, (None, 2, None, 3, 4)),
    ("Cropping1D", {"cropping": (1, 2)}, (None, None, 3)),
    ("Cropping2D", {"cropping": ((1, 2), (0, 1))}, (None, None, 5, 2)),
    ("Cropping3D", {"data_format": "channels_first"}, (None, 2, 4, None, 5)),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs,shape", SHAPE_CASES, ids=[c[0] for c in SHAPE_CASES])
def test_compute_output_shape_with_unknown_dims(name, kwargs, shape):
    expected = getattr(keras.layers, name)(**kwargs).compute_output_shape(shape)
    assert getattr(layers, name)(**kwargs).compute_output_shape(shape) == tuple(expected)


CONFIG_CASES = [
    ("UpSampling1D", {"size": 3}),
    ("UpSampling2D", {"size": (2, 3), "interpolation": "Bilinear"}),
    ("UpSampling3D", {"data_format": "channels_first"}),
    ("ZeroPadding1D", {"padding": 2}),
    ("ZeroPadding2D", {"padding": (1, 2)}),
    ("ZeroPadding3D", {"padding": 1}),
    ("Cropping1D", {"cropping": 2}),
    ("Cropping2D", {"cropping": ((1, 2), (3, 4))}),
    ("Cropping3D", {"cropping": (1, 2, 3), "data_format": "channels_first"}),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_get_config_matches_keras_and_round_trips(name, kwargs):
    ours = getattr(layers, name)(name="probe", **kwargs)
    config = ours.get_config()
    assert config == getattr(keras.layers, name)(name="probe", **kwargs).get_config()
    assert getattr(layers, name).from_config(config).get_config() == config


def test_values_against_numpy():
    x = np.arange(24, dtype="float32").reshape(1, 2, 3, 4)
    np.testing.assert_array_equal(layers.UpSampling2D((2, 3))(x).numpy(), x.repeat(2, axis=1).repeat(3, axis=2))
    np.testing.assert_array_equal(layers.ZeroPadding2D(((1, 0), (0, 2)))(x).numpy(),
                                  np.pad(x, ((0, 0), (1, 0), (0, 2), (0, 0))))
    np.testing.assert_array_equal(layers.Cropping2D(((0, 1), (1, 1)))(x).numpy(), x[:, :1, 1:2])


@pytest.mark.parametrize("spec,static", [([None, None, None, 2], (None, None, None, 2)),
                                         ([None, 3, 4, 2], (None, 6, 12, 2))])
def test_up_sampling_inside_function(spec, static):
    layer = layers.UpSampling2D((2, 3))
    x = np.random.default_rng(5).standard_normal((2, 3, 4, 2)).astype("float32")
    shapes = []

    @tf.function(input_signature=[tf.TensorSpec(spec, tf.float32)])
    def run(inputs):
        outputs = layer(inputs)
        shapes.append(tuple(outputs.shape))
        return outputs

    np.testing.assert_array_equal(run(x).numpy(), x.repeat(2, axis=1).repeat(3, axis=2))
    assert shapes == [static]


@pytest.mark.parametrize("name,kwargs,shape", [
    ("UpSampling2D", {"interpolation": "bilinear", "data_format": "channels_first"}, (2, 2, 3, 4)),
    ("UpSampling3D", {"size": (1, 2, 3)}, (2, 2, 3, 2, 1)),
    ("ZeroPadding2D", {"padding": ((1, 0), (2, 3))}, (2, 3, 4, 2)),
    ("Cropping3D", {"cropping": 1, "data_format": "channels_first"}, (2, 1, 3, 4, 5)),
])
def test_traced_with_unknown_batch_matches_eager(name, kwargs, shape):
    layer = getattr(layers, name)(**kwargs)
    x = np.random.default_rng(7).standard_normal(shape).astype("float32")
    eager = layer(x).numpy()
    run = tf.function(lambda inputs: layer(inputs), input_signature=[tf.TensorSpec([None, *shape[1:]], tf.float32)])
    np.testing.assert_allclose(run(x).numpy(), eager, rtol=1e-6)


INIT_ERRORS = [
    ("UpSampling1D", {"size": 2.0}),
    ("UpSampling1D", {"size": 0}),
    ("UpSampling2D", {"size": (1, 2, 3)}),
    ("UpSampling3D", {"size": 0}),
    ("ZeroPadding1D", {"padding": -1}),
    ("ZeroPadding2D", {"padding": (1, 2, 3)}),
    ("ZeroPadding2D", {"padding": 1.5}),
    ("ZeroPadding2D", {"padding": ((1, 2), (3,))}),
    ("ZeroPadding3D", {"padding": (1, 2)}),
    ("ZeroPadding3D", {"padding": None}),
    ("Cropping1D", {"cropping": (1, 2, 3)}),
    ("Cropping2D", {"cropping": -1}),
    ("Cropping2D", {"cropping": (1,)}),
    ("Cropping2D", {"cropping": "a"}),
    ("Cropping3D", {"cropping": 1.0}),
    ("Cropping3D", {"cropping": ((1, 1), (1, 1), (1, -1))}),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", INIT_ERRORS, ids=[c[0] for c in INIT_ERRORS])
def test_argument_errors_match_keras(name, kwargs):
    with pytest.raises(Exception) as theirs:
        getattr(keras.layers, name)(**kwargs)
    with pytest.raises(type(theirs.value)) as ours:
        getattr(layers, name)(**kwargs)
    assert str(ours.value) == str(theirs.value)


CROP_ERRORS = [
    ("Cropping1D", {"cropping": (2, 3)}, (1, 5, 2)),
    ("Cropping2D", {"cropping": ((2, 2), (0, 0))}, (1, 4, 5, 2)),
    ("Cropping3D", {"cropping": 2, "data_format": "channels_first"}, (1, 2, 5, 4, 5)),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs,shape", CROP_ERRORS, ids=[c[0] for c in CROP_ERRORS])
def test_cropping_too_much_matches_keras(name, kwargs, shape):
    with pytest.raises(ValueError) as theirs:
        getattr(keras.layers, name)(**kwargs).compute_output_shape(shape)
    with pytest.raises(ValueError) as ours:
        getattr(layers, name)(**kwargs).compute_output_shape(shape)
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="cropping"):
        getattr(layers, name)(**kwargs)(np.zeros(shape, "float32"))


@pytest.mark.parity
def test_bilinear_keeps_the_input_dtype():
    x = np.random.default_rng(6).standard_normal((1, 3, 3, 2))
    expected = keras.layers.UpSampling2D(interpolation="bilinear", dtype="float64")(x)
    got = layers.UpSampling2D(interpolation="bilinear", dtype="float64")(x)
    assert got.dtype == tf.float64
    np.testing.assert_allclose(got.numpy(), np.asarray(expected), **TOL)


def test_unknown_interpolation_is_rejected():
    with pytest.raises(ValueError, match="Invalid value for argument `interpolation`"):
        layers.UpSampling2D(interpolation="cubic")(np.zeros((1, 2, 2, 1), "float32"))
