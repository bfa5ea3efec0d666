"""Convolution layers: parity with Keras 3 (forward, input and weight gradients), shapes, configs, errors."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers, regularizers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _parity(name: str, kwargs: dict, shape: tuple, seed: int = 0):
    """Builds ``name`` in Keras and ndflow with the same weights; compares outputs and all gradients."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype("float32")
    theirs = getattr(keras.layers, name)(**kwargs)
    ours = getattr(layers, name)(**kwargs)
    expected = np.asarray(theirs(x))
    ours(x)
    assert [(w.name, tuple(w.shape)) for w in ours.weights] == [(w.name, tuple(w.shape)) for w in theirs.weights]
    ours.set_weights(theirs.get_weights())
    got = ours(x)
    assert tuple(got.shape) == expected.shape
    np.testing.assert_allclose(got.numpy(), expected, **TOL)

    upstream = rng.standard_normal(expected.shape).astype("float32")
    x_theirs = real_tf.constant(x)
    with real_tf.GradientTape() as tape:
        tape.watch(x_theirs)
        loss = real_tf.reduce_sum(theirs(x_theirs) * upstream)
    their_grads = tape.gradient(loss, [x_theirs, *theirs.trainable_weights])
    x_ours = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x_ours)
        loss = tf.reduce_sum(ours(x_ours) * upstream)
    our_grads = tape.gradient(loss, [x_ours, *ours.trainable_weights])
    assert len(our_grads) == len(their_grads)
    for mine, reference in zip(our_grads, their_grads):
        np.testing.assert_allclose(mine.numpy(), reference.numpy(), **TOL)
    return ours, theirs


CASES = [
    ("Conv1D", {"filters": 4, "kernel_size": 3}, (2, 9, 3)),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "padding": "same", "strides": 2}, (2, 9, 3)),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, (2, 9, 3)),
    ("Conv1D", {"filters": 4, "kernel_size": 2, "data_format": "channels_first", "groups": 2}, (2, 4, 7)),
    ("Conv1D", {"filters": 2, "kernel_size": 3, "padding": "causal", "data_format": "channels_first"}, (2, 3, 6)),
    ("Conv2D", {"filters": 3, "kernel_size": 3}, (2, 6, 5, 2)),
    ("Conv2D", {"filters": 3, "kernel_size": (3, 2), "strides": (2, 1), "padding": "same",
                "activation": "relu"}, (2, 7, 6, 2)),
    ("Conv2D", {"filters": 4, "kernel_size": 3, "dilation_rate": 2, "use_bias": False}, (1, 8, 8, 2)),
    ("Conv2D", {"filters": 4, "kernel_size": 2, "groups": 2, "padding": "same"}, (2, 5, 5, 4)),
    ("Conv2D", {"filters": 3, "kernel_size": 3, "strides": 2, "data_format": "channels_first"}, (2, 2, 7, 9)),
    ("Conv3D", {"filters": 2, "kernel_size": 2}, (1, 4, 4, 3, 2)),
    ("Conv3D", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (1, 5, 4, 5, 2)),
    ("Conv3D", {"filters": 4, "kernel_size": 2, "groups": 2, "dilation_rate": (1, 2, 1)}, (1, 4, 5, 4, 4)),
    ("Conv3D", {"filters": 2, "kernel_size": 2, "data_format": "channels_first"}, (1, 3, 4, 4, 5)),
    ("Conv1DTranspose", {"filters": 3, "kernel_size": 3}, (2, 5, 2)),
    ("Conv1DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 5, 2)),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 3, "strides": 3, "output_padding": 1}, (2, 4, 2)),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2, "data_format": "channels_first"},
     (2, 3, 4)),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 3}, (2, 4, 5, 2)),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 4, 3, 2)),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": (2, 3), "output_padding": (1, 2),
                         "padding": "same"}, (1, 3, 3, 2)),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "dilation_rate": 2}, (1, 4, 4, 3)),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2, "data_format": "channels_first",
                         "activation": "tanh"}, (2, 3, 3, 4)),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2}, (1, 2, 3, 2, 2)),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 3, "padding": "same", "output_padding": 1, "strides": 2},
     (1, 2, 2, 3, 2)),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 2, "data_format": "channels_first"}, (1, 3, 2, 3, 2)),
    ("DepthwiseConv1D", {"kernel_size": 3}, (2, 7, 3)),
    ("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"}, (2, 8, 3)),
    ("DepthwiseConv1D", {"kernel_size": 2, "dilation_rate": 2, "data_format": "channels_first"}, (2, 3, 7)),
    ("DepthwiseConv1D", {"kernel_size": 3, "strides": 2, "dilation_rate": 2, "padding": "same"}, (1, 11, 2)),
    ("DepthwiseConv2D", {"kernel_size": 3}, (2, 5, 6, 3)),
    ("DepthwiseConv2D", {"kernel_size": (3, 2), "depth_multiplier": 3, "strides": 2, "padding": "same",
                         "use_bias": False}, (2, 7, 6, 2)),
    ("DepthwiseConv2D", {"kernel_size": 2, "dilation_rate": (2, 1), "data_format": "channels_first"},
     (2, 3, 6, 5)),
    ("DepthwiseConv2D", {"kernel_size": 3, "strides": 2, "dilation_rate": 2, "padding": "same"}, (1, 9, 8, 2)),
    ("SeparableConv1D", {"filters": 4, "kernel_size": 3}, (2, 7, 3)),
    ("SeparableConv1D", {"filters": 2, "kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same",
                         "data_format": "channels_first"}, (2, 3, 8)),
    ("SeparableConv2D", {"filters": 4, "kernel_size": 3, "activation": "relu"}, (2, 6, 5, 3)),
    ("SeparableConv2D", {"filters": 3, "kernel_size": 2, "depth_multiplier": 2, "dilation_rate": 2,
                         "padding": "same", "data_format": "channels_first"}, (2, 2, 6, 6)),
    ("SeparableConv2D", {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2, "use_bias": False},
     (1, 9, 9, 2)),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs,shape", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_parity_forward_and_gradients(name, kwargs, shape):
    ours, theirs = _parity(name, kwargs, shape)
    assert ours.compute_output_shape(shape) == tuple(theirs.compute_output_shape(shape))


SHAPE_CASES = [
    ("Conv1D", {"filters": 4, "kernel_size": 3, "padding": "causal"}, (None, None, 3)),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "strides": 2}, (None, 10, 3)),
    ("Conv2D", {"filters": 5, "kernel_size": 3, "strides": 2, "padding": "same"}, (None, None, 9, 2)),
    ("Conv2D", {"filters": 5, "kernel_size": 3, "data_format": "channels_first"}, (4, 2, 9, None)),
    ("Conv3D", {"filters": 2, "kernel_size": 2, "dilation_rate": 2}, (None, 5, None, 6, 1)),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 4, "strides": 3}, (None, 5, 2)),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (None, None, 5, 3)),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1}, (3, 4, 5, 3)),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 3, "data_format": "channels_first"}, (None, 3, 2, None, 4)),
    ("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2}, (None, None, 3)),
    ("DepthwiseConv2D", {"kernel_size": 3, "strides": 2, "padding": "same"}, (None, 7, None, 4)),
    ("SeparableConv1D", {"filters": 2, "kernel_size": 3}, (None, 9, 2)),
    ("SeparableConv2D", {"filters": 2, "kernel_size": 3, "data_format": "channels_first"}, (None, 2, 9, None)),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs,shape", SHAPE_CASES, ids=[c[0] for c in SHAPE_CASES])
def test_compute_output_shape_with_unknown_dims(name, kwargs, shape):
    expected = getattr(keras.layers, name)(**kwargs).compute_output_shape(shape)
    assert getattr(layers, name)(**kwargs).compute_output_shape(shape) == tuple(expected)


CONFIG_CASES = [
    ("Conv1D", {"filters": 2, "kernel_size": 3, "padding": "causal", "activation": "relu", "groups": 2}),
    ("Conv2D", {"filters": 2, "kernel_size": (3, 1), "strides": 2, "kernel_regularizer": "l2",
                "bias_initializer": "ones", "kernel_constraint": "non_neg", "data_format": "channels_first"}),
    ("Conv3D", {"filters": 2, "kernel_size": 2, "use_bias": False, "activity_regularizer": "l1"}),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1}),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "kernel_initializer": "he_normal"}),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 3, "padding": "same"}),
    ("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2, "depthwise_regularizer": "l1"}),
    ("DepthwiseConv2D", {"kernel_size": 3, "activation": "sigmoid", "depthwise_constraint": "max_norm"}),
    ("SeparableConv1D", {"filters": 2, "kernel_size": 3, "pointwise_initializer": "zeros"}),
    ("SeparableConv2D", {"filters": 2, "kernel_size": 3, "depth_multiplier": 2, "pointwise_regularizer": "l2"}),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_get_config_matches_keras_and_round_trips(name, kwargs):
    ours = getattr(layers, name)(name="probe", **kwargs)
    config = ours.get_config()
    assert config == getattr(keras.layers, name)(name="probe", **kwargs).get_config()
    restored = getattr(layers, name).from_config(config)
    assert restored.get_config() == config


def test_aliases_are_the_same_classes():
    assert layers.Convolution1D is layers.Conv1D
    assert layers.Convolution2D is layers.Conv2D
    assert layers.Convolution3D is layers.Conv3D
    assert layers.Convolution2DTranspose is layers.Conv2DTranspose
    assert layers.SeparableConvolution2D is layers.SeparableConv2D


def test_conv2d_matches_a_numpy_reference():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 5, 4, 3)).astype("float32")
    layer = layers.Conv2D(2, (2, 3), bias_initializer="ones")
    y = layer(x).numpy()
    kernel = layer.kernel.numpy()
    expected = np.empty((2, 4, 2, 2), "float32")
    for i in range(4):
        for j in range(2):
            expected[:, i, j] = np.einsum("bhwc,hwcf->bf", x[:, i:i + 2, j:j + 3], kernel) + 1.0
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)


def test_channels_first_bias_goes_on_the_channel_axis():
    # Keras 3.15's TensorFlow backend adds the bias on the last axis when that axis happens to be as long as
    # `filters` (its `ops.add` guesses a BiasAdd layout); the documented behaviour, followed here, is per channel.
    layer = layers.Conv2D(3, 1, data_format="channels_first", kernel_initializer="zeros",
                          bias_initializer=lambda shape, dtype=None: tf.constant([1.0, 2.0, 3.0]))
    y = layer(np.ones((1, 2, 4, 3), "float32")).numpy()
    np.testing.assert_array_equal(y, np.broadcast_to(np.array([1.0, 2.0, 3.0])[None, :, None, None], (1, 3, 4, 3)))


def test_regularizer_losses_and_weight_paths():
    layer = layers.Conv2D(2, 3, kernel_regularizer=regularizers.L2(0.5), name="reg_conv")
    layer(np.ones((1, 4, 4, 1), "float32"))
    assert [w.path for w in layer.weights] == ["reg_conv/kernel", "reg_conv/bias"]
    (loss,) = layer.losses
    np.testing.assert_allclose(loss.numpy(), 0.5 * np.sum(layer.kernel.numpy() ** 2), rtol=1e-5)


FUNCTION_CASES = [
    ("Conv1D", {"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, (3, 8, 2)),
    ("Conv2D", {"filters": 2, "kernel_size": 3, "strides": 2, "data_format": "channels_first"}, (3, 2, 7, 6)),
    ("Conv3D", {"filters": 4, "kernel_size": 2, "groups": 2}, (2, 3, 4, 3, 4)),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1}, (3, 5, 2)),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (3, 4, 5, 2)),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2, "data_format": "channels_first"},
     (2, 2, 2, 3, 2)),
    ("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2}, (3, 6, 2)),
    ("SeparableConv2D", {"filters": 3, "kernel_size": 3, "padding": "same"}, (3, 5, 5, 2)),
]


@pytest.mark.parametrize("name,kwargs,shape", FUNCTION_CASES, ids=[c[0] for c in FUNCTION_CASES])
def test_traced_with_unknown_batch_matches_eager(name, kwargs, shape):
    layer = getattr(layers, name)(**kwargs)
    x = np.random.default_rng(2).standard_normal(shape).astype("float32")
    eager = layer(x).numpy()
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x) ** 2)
    eager_grads = [g.numpy() for g in tape.gradient(loss, layer.trainable_weights)]
    static_shapes = []

    @tf.function(input_signature=[tf.TensorSpec([None, *shape[1:]], tf.float32)])
    def run(inputs):
        with tf.GradientTape() as tape:
            outputs = layer(inputs)
            loss = tf.reduce_sum(outputs ** 2)
        static_shapes.append(tuple(outputs.shape))
        return outputs, tape.gradient(loss, layer.trainable_weights)

    outputs, grads = run(x)
    np.testing.assert_allclose(outputs.numpy(), eager, rtol=1e-5, atol=1e-5)
    for got, expected in zip(grads, eager_grads):
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-4, atol=1e-4)
    assert static_shapes == [(None, *eager.shape[1:])]


def test_input_spec_locks_channels_after_build():
    layer = layers.Conv1D(2, 2)
    layer(np.zeros((1, 4, 3), "float32"))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(np.zeros((1, 4, 2), "float32"))
    with pytest.raises(ValueError, match="expected min_ndim=3"):
        layer(np.zeros((4, 3), "float32"))


INIT_ERRORS = [
    ("Conv2D", {"filters": 0, "kernel_size": 3}),
    ("Conv2D", {"filters": 3, "kernel_size": 3, "groups": 2}),
    ("Conv2D", {"filters": 2, "kernel_size": 3, "groups": 0}),
    ("Conv2D", {"filters": 2, "kernel_size": (3, 3, 3)}),
    ("Conv2D", {"filters": 2, "kernel_size": (3, 0)}),
    ("Conv2D", {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}),
    ("Conv2D", {"filters": 2, "kernel_size": 3, "padding": "causal"}),
    ("Conv2D", {"filters": 2, "kernel_size": 3, "data_format": "channels_middle"}),
    ("Conv1D", {"filters": 2, "kernel_size": "a"}),
    ("Conv1D", {"filters": 2, "kernel_size": 3, "strides": 0}),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 2}),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}),
    ("Conv1DTranspose", {"filters": -1, "kernel_size": 3}),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 0}),
    ("DepthwiseConv1D", {"kernel_size": 3, "padding": "causal"}),
    ("SeparableConv2D", {"filters": 0, "kernel_size": 3}),
    ("SeparableConv1D", {"filters": 2, "kernel_size": 0}),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", INIT_ERRORS, ids=[c[0] for c in INIT_ERRORS])
def test_argument_errors_match_keras(name, kwargs):
    with pytest.raises(Exception) as theirs:
        getattr(keras.layers, name)(**kwargs)
    with pytest.raises(type(theirs.value)) as ours:
        getattr(layers, name)(**kwargs)
    assert str(ours.value) == str(theirs.value)


BUILD_ERRORS = [
    ("Conv2D", {"filters": 2, "kernel_size": 2, "groups": 2}, (1, 4, 4, 3)),
    ("Conv2D", {"filters": 2, "kernel_size": 5}, (1, 4, 4, 3)),
    ("Conv2D", {"filters": 2, "kernel_size": 2}, (1, 4, 4, 4, 3)),
    ("SeparableConv1D", {"filters": 2, "kernel_size": 5}, (1, 4, 3)),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs,shape", BUILD_ERRORS, ids=[c[0] for c in BUILD_ERRORS])
def test_build_errors_match_keras(name, kwargs, shape):
    with pytest.raises(ValueError) as theirs:
        getattr(keras.layers, name)(**kwargs).build(shape)
    with pytest.raises(ValueError) as ours:
        getattr(layers, name)(**kwargs).build(shape)
    assert str(ours.value) == str(theirs.value)


def test_lora_is_refused_plainly():
    with pytest.raises(NotImplementedError, match="LoRA"):
        layers.Conv2D(2, 3, lora_rank=2)
