"""Core layers: parity with Keras 3 (outputs, input and weight gradients, masks), shapes, configs, errors."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _grads(framework, layer, x, upstream, **call_kwargs):
    x = framework.constant(x)
    with framework.GradientTape() as tape:
        tape.watch(x)
        loss = framework.reduce_sum(layer(x, **call_kwargs) * upstream)
    return tape.gradient(loss, [x, *layer.trainable_weights])


def _parity(name, kwargs, x, seed=0, grads=True, **call_kwargs):
    """Builds ``name`` in both libraries with Keras's weights; compares outputs and gradients."""
    theirs = getattr(keras.layers, name)(**kwargs)
    ours = getattr(layers, name)(**kwargs)
    expected = np.asarray(theirs(x, **call_kwargs))
    ours(x, **call_kwargs)
    assert [(w.name, tuple(w.shape)) for w in ours.weights] == [(w.name, tuple(w.shape)) for w in theirs.weights]
    ours.set_weights(theirs.get_weights())
    got = ours(x, **call_kwargs)
    assert tuple(got.shape) == expected.shape
    np.testing.assert_allclose(got.numpy(), expected, **TOL)
    assert ours.compute_output_shape(x.shape) == tuple(theirs.compute_output_shape(x.shape))
    if grads:
        upstream = np.random.default_rng(seed).standard_normal(expected.shape).astype("float32")
        mine = _grads(tf, ours, x, upstream, **call_kwargs)
        reference = _grads(real_tf, theirs, x, upstream, **call_kwargs)
        assert len(mine) == len(reference)
        for a, b in zip(mine, reference):
            np.testing.assert_allclose(tf.convert_to_tensor(a).numpy(), real_tf.convert_to_tensor(b).numpy(), **TOL)
    return ours, theirs


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _assert_config_matches(ours, theirs):
    config = ours.get_config()
    assert set(config) == set(theirs.get_config())
    clone = type(ours).from_config(config)
    assert clone.get_config() == config


@pytest.mark.parity
@pytest.mark.parametrize("kwargs,shape", [
    ({"units": 4}, (3, 5)),
    ({"units": 3, "activation": "relu"}, (3, 5)),
    ({"units": 2, "activation": "softmax", "use_bias": False}, (4, 3)),
    ({"units": 4, "activation": "tanh", "bias_initializer": "ones"}, (2, 3, 5)),
    ({"units": 2, "activation": "sigmoid"}, (2, 2, 3, 4)),
])
def test_dense_parity(kwargs, shape):
    ours, theirs = _parity("Dense", kwargs, _rand(*shape))
    _assert_config_matches(ours, theirs)


@pytest.mark.parity
def test_dense_regularization_losses_match_keras():
    kwargs = {"units": 3, "kernel_regularizer": "l2", "bias_regularizer": {"class_name": "L1", "config": {"l1": 0.1}},
              "activity_regularizer": "l1", "bias_initializer": "ones"}
    x = _rand(4, 5)
    theirs = keras.layers.Dense(**kwargs)
    ours = layers.Dense(**kwargs)
    theirs(x)
    ours(x)
    ours.set_weights(theirs.get_weights())
    theirs(x)
    ours(x)
    assert len(ours.losses) == len(theirs.losses) == 3
    np.testing.assert_allclose(sorted(float(v) for v in ours.losses), sorted(float(v) for v in theirs.losses),
                               rtol=1e-5)
    _assert_config_matches(ours, theirs)


def test_dense_numpy_reference_and_input_checks():
    x = _rand(2, 4)
    layer = layers.Dense(3, activation="relu")
    out = layer(x).numpy()
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(out, np.maximum(x @ kernel + bias, 0), rtol=1e-6)
    assert layer.count_params() == 15
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 4"):
        layer(_rand(2, 5))
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        layers.Dense(3)(_rand(2))
    with pytest.raises(ValueError, match="expected a positive integer. Received: units=0"):
        layers.Dense(0)
    with pytest.raises(AttributeError, match="build the layer"):
        _ = layers.Dense(2).kernel
    with pytest.raises(NotImplementedError):
        layers.Dense(2, lora_rank=2)


def test_dense_inside_function_with_unknown_batch():
    layer = layers.Dense(2)
    x = _rand(3, 4)
    expected = layer(x).numpy()
    fn = tf.function(lambda t: layer(t), input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    np.testing.assert_allclose(fn(tf.constant(x)).numpy(), expected, rtol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs,shape", [
    ({"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "c"}, (3, 5)),
    ({"equation": "abc,cd->abd", "output_shape": (None, 4), "bias_axes": "d"}, (2, 3, 5)),
    ({"equation": "abc,cde->abde", "output_shape": (None, 2, 3), "bias_axes": "de", "activation": "relu"},
     (2, 3, 4)),
    ({"equation": "...b,bc->...c", "output_shape": 3}, (2, 3, 4)),
    ({"equation": "abc,cd->ad", "output_shape": 2, "bias_axes": "d"}, (2, 3, 4)),
    ({"equation": "ab...,bc->ac...", "output_shape": (4, None), "bias_axes": "c"}, (2, 3, 5)),
    ({"equation": "...ab,bc->...ac", "output_shape": (None, 4), "bias_axes": "c"}, (2, 6, 3, 5)),
])
def test_einsum_dense_parity(kwargs, shape):
    ours, theirs = _parity("EinsumDense", kwargs, _rand(*shape))
    _assert_config_matches(ours, theirs)


def test_einsum_dense_errors_and_fans():
    with pytest.raises(ValueError, match="Invalid einsum equation"):
        layers.EinsumDense("ab->b", output_shape=2)(_rand(2, 3))
    with pytest.raises(ValueError, match="Bias dimension 'x' was requested"):
        layers.EinsumDense("ab,bc->ac", output_shape=2, bias_axes="x")(_rand(2, 3))
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 40, 50), kernel_initializer="glorot_uniform")
    layer(_rand(1, 2, 30))
    limit = np.sqrt(6.0 / (30 + 40 * 50))
    kernel = layer.kernel.numpy()
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.9 * limit


@pytest.mark.parity
@pytest.mark.parametrize("activation", ["relu", "softmax", "gelu", "selu"])
def test_activation_parity(activation):
    ours, theirs = _parity("Activation", {"activation": activation}, _rand(3, 4))
    _assert_config_matches(ours, theirs)
    assert ours.built and ours.count_params() == 0


def test_activation_callable():
    layer = layers.Activation(tf.math.square)
    np.testing.assert_allclose(layer(np.array([[2.0, -3.0]], "float32")).numpy(), [[4.0, 9.0]])


@pytest.mark.parity
@pytest.mark.parametrize("kwargs,shape", [
    ({}, (2, 3, 4)),
    ({}, (3,)),
    ({}, (2, 5)),
    ({"data_format": "channels_first"}, (2, 3, 4, 5)),
    ({"data_format": "channels_last"}, (2, 3, 4, 5)),
])
def test_flatten_parity(kwargs, shape):
    ours, theirs = _parity("Flatten", kwargs, _rand(*shape))
    _assert_config_matches(ours, theirs)


def test_flatten_unknown_dims_and_errors():
    fn = tf.function(lambda t: layers.Flatten()(t), input_signature=[tf.TensorSpec([None, None, 3], tf.float32)])
    assert tuple(fn(tf.constant(_rand(2, 4, 3))).shape) == (2, 12)
    assert layers.Flatten().compute_output_shape((None, None, 3)) == (None, None)
    with pytest.raises(ValueError, match="data_format"):
        layers.Flatten(data_format="nhwc")


@pytest.mark.parity
@pytest.mark.parametrize("target,shape", [((12,), (2, 3, 4)), ((-1,), (2, 3, 4)), ((4, -1), (2, 12)),
                                          ((2, 3, 2), (1, 12)), ((-1, 2, 1), (3, 4))])
def test_reshape_parity(target, shape):
    ours, theirs = _parity("Reshape", {"target_shape": target}, _rand(*shape))
    _assert_config_matches(ours, theirs)


def test_reshape_errors_and_symbolic_shapes():
    with pytest.raises(ValueError, match=r"The total size of the tensor must be unchanged. Received: "
                                         r"input_shape=\(12,\), target_shape=\(5,\)"):
        layers.Reshape((5,))(_rand(2, 12))
    with pytest.raises(ValueError, match="input size cannot by divided"):
        layers.Reshape((5, -1))(_rand(2, 12))
    with pytest.raises(ValueError, match="at most one unknown dimension"):
        layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match="non-negative integer"):
        layers.Reshape((-2, 3))
    assert layers.Reshape((-1, 2)).compute_output_shape((None, None, 4)) == (None, None, 2)
    assert layers.Reshape((-1, 2)).compute_output_shape((None, 3, 4)) == (None, 6, 2)
    fn = tf.function(lambda t: layers.Reshape((-1, 2))(t), input_signature=[tf.TensorSpec([None, 6], tf.float32)])
    assert tuple(fn(tf.constant(_rand(3, 6))).shape) == (3, 3, 2)


@pytest.mark.parity
@pytest.mark.parametrize("dims,shape", [((2, 1), (2, 3, 4)), ((3, 1, 2), (2, 3, 4, 5)), ((1,), (2, 3))])
def test_permute_parity(dims, shape):
    ours, theirs = _parity("Permute", {"dims": dims}, _rand(*shape))
    _assert_config_matches(ours, theirs)


def test_permute_errors():
    with pytest.raises(ValueError, match="must be consecutive and start from 1"):
        layers.Permute((0, 1))
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=4"):
        layers.Permute((2, 1))(_rand(1, 2, 3, 4))


@pytest.mark.parity
def test_repeat_vector_parity_and_errors():
    ours, theirs = _parity("RepeatVector", {"n": 3}, _rand(2, 4))
    _assert_config_matches(ours, theirs)
    with pytest.raises(TypeError, match="Expected an integer value for `n`"):
        layers.RepeatVector(2.0)
    with pytest.raises(ValueError, match="positive integer"):
        layers.RepeatVector(0)
    with pytest.raises(ValueError, match="expected ndim=2"):
        layers.RepeatVector(2)(_rand(2, 3, 4))


@pytest.mark.parity
@pytest.mark.parametrize("kwargs,shape", [
    ({"input_dim": 6, "output_dim": 3}, (2, 4)),
    ({"input_dim": 5, "output_dim": 2, "mask_zero": True}, (3, 5)),
    ({"input_dim": 4, "output_dim": 3}, (2, 2, 3)),
])
def test_embedding_parity(kwargs, shape):
    indices = np.random.default_rng(1).integers(0, kwargs["input_dim"], size=shape)
    theirs = keras.layers.Embedding(**kwargs)
    ours = layers.Embedding(**kwargs)
    theirs(indices)
    ours(indices)
    assert [w.name for w in ours.weights] == ["embeddings"]
    ours.set_weights(theirs.get_weights())
    got, expected = ours(indices), theirs(indices)
    np.testing.assert_allclose(got.numpy(), np.asarray(expected), **TOL)
    assert ours.compute_output_shape(shape) == tuple(theirs.compute_output_shape(shape))
    their_mask = getattr(expected, "_keras_mask", None)
    our_mask = getattr(got, "_keras_mask", None)
    if kwargs.get("mask_zero"):
        np.testing.assert_array_equal(our_mask.numpy(), their_mask.numpy())
    else:
        assert our_mask is None
    upstream = np.random.default_rng(2).standard_normal(tuple(got.shape)).astype("float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(ours(indices.astype("float32")) * upstream)
    with real_tf.GradientTape() as tape2:
        loss2 = real_tf.reduce_sum(theirs(indices.astype("float32")) * upstream)
    mine = tf.convert_to_tensor(tape.gradient(loss, ours.trainable_weights)[0]).numpy()
    reference = real_tf.convert_to_tensor(tape2.gradient(loss2, theirs.trainable_weights)[0]).numpy()
    np.testing.assert_allclose(mine, reference, **TOL)
    _assert_config_matches(ours, theirs)


def test_embedding_weights_argument_and_errors():
    table = np.arange(6, dtype="float32").reshape(3, 2)
    layer = layers.Embedding(3, 2, weights=table)
    assert layer.built
    np.testing.assert_array_equal(layer(np.array([2, 0])).numpy(), table[[2, 0]])
    with pytest.raises(ValueError, match=r"`input_dim` must be a positive integer. Received: input_dim=0 \(of type"):
        layers.Embedding(0, 2)
    with pytest.raises(ValueError, match="`output_dim` must be a positive integer"):
        layers.Embedding(2, True)
    with pytest.warns(UserWarning, match="input_length"):
        layers.Embedding(3, 2, input_length=4)


@pytest.mark.parity
def test_masking_parity():
    x = _rand(2, 4, 3)
    x[0, 1] = 0.0
    x[1, 3] = 0.0
    x[1, 0, 0] = 0.0
    ours, theirs = _parity("Masking", {}, x)
    np.testing.assert_array_equal(ours(x)._keras_mask.numpy(), theirs(x)._keras_mask.numpy())
    _assert_config_matches(ours, theirs)
    layer = layers.Masking(mask_value=1.5)
    y = np.full((1, 2, 2), 1.5, "float32")
    y[0, 1, 0] = 2.0
    np.testing.assert_array_equal(layer(y)._keras_mask.numpy(), [[False, True]])
    np.testing.assert_array_equal(layer(y).numpy(), [[[0, 0], [2.0, 1.5]]])


def test_masking_feeds_mask_to_next_layer():
    seen = {}

    class Probe(layers.Layer):
        def call(self, inputs, mask=None):
            seen["mask"] = mask
            return inputs

    x = np.zeros((1, 3, 2), "float32")
    x[0, 1] = 1.0
    Probe()(layers.Masking()(x))
    np.testing.assert_array_equal(seen["mask"].numpy(), [[False, True, False]])


@pytest.mark.parity
def test_identity_parity_and_mask_passthrough():
    ours, theirs = _parity("Identity", {}, _rand(2, 3))
    _assert_config_matches(ours, theirs)
    x = tf.constant(_rand(2, 3))
    x._keras_mask = tf.constant([True, False])
    assert ours(x)._keras_mask is not None


# ---------------------------------------------------------------------------------------------------------
# Lambda


def _scale(x, factor=2.0):
    return x * factor


@pytest.mark.parity
def test_lambda_forward_and_config_match_keras():
    x = _rand(2, 3)
    ours = layers.Lambda(_scale, output_shape=(3,), arguments={"factor": 3.0})
    theirs = keras.layers.Lambda(_scale, output_shape=(3,), arguments={"factor": 3.0})
    np.testing.assert_allclose(ours(x).numpy(), np.asarray(theirs(x)), **TOL)
    assert ours.compute_output_shape((None, 3)) == (None, 3)
    config, their_config = ours.get_config(), theirs.get_config()
    assert set(config) == set(their_config)
    assert config["function"] == their_config["function"]
    assert config["arguments"] == their_config["arguments"] == {"factor": 3.0}
    clone = layers.Lambda.from_config(config, custom_objects={"_scale": _scale})
    np.testing.assert_allclose(clone(x).numpy(), x * 3.0, rtol=1e-6)


@pytest.mark.parity
def test_lambda_bytecode_needs_unsafe_mode():
    layer = layers.Lambda(lambda t: t + 1.0)
    config = layer.get_config()
    their_config = keras.layers.Lambda(lambda t: t + 1.0).get_config()
    assert set(config) == set(their_config)
    assert config["function"]["class_name"] == their_config["function"]["class_name"] == "__lambda__"
    assert set(config["function"]["config"]) == set(their_config["function"]["config"])
    with pytest.raises(ValueError, match="Requested the deserialization of a `Lambda` layer"):
        layers.Lambda.from_config(config, safe_mode=True)
    clone = layers.Lambda.from_config(config, safe_mode=False)
    np.testing.assert_allclose(clone(np.ones((1, 2), "float32")).numpy(), [[2.0, 2.0]])


def test_lambda_bytecode_refused_by_default():
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.Lambda.from_config(layers.Lambda(lambda t: t).get_config())


def test_lambda_closure_defaults_mask_and_training():
    offset = 5.0
    layer = layers.Lambda(lambda t, k=2.0: t * k + offset)
    clone = layers.Lambda.from_config(layer.get_config(), safe_mode=False)
    np.testing.assert_allclose(clone(np.ones((1, 1), "float32")).numpy(), [[7.0]])

    def fn(t, mask=None, training=None):
        return t * (2.0 if training else 1.0) + (0.0 if mask is None else 10.0)

    masked = layers.Lambda(fn, mask=lambda inputs, mask: tf.constant([True]))
    out = masked(np.ones((1, 1), "float32"), training=True)
    np.testing.assert_allclose(out.numpy(), [[2.0]])
    np.testing.assert_array_equal(out._keras_mask.numpy(), [True])
    assert masked.supports_masking and not layers.Lambda(fn).supports_masking
    assert layers.Lambda(fn, output_shape=lambda s: (s[0], 7)).compute_output_shape((None, 3)) == (None, 7)


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", [("Dense", {"units": 2}),
                                         ("EinsumDense", {"equation": "ab,bc->ac", "output_shape": 2})])
def test_integer_inputs_are_cast_like_keras(name, kwargs):
    x = np.array([[1, 2, 3], [4, 5, 6]])
    ours, theirs = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    theirs(x)
    ours(x)
    ours.set_weights(theirs.get_weights())
    got = ours(x)
    assert got.dtype.name == "float32"
    np.testing.assert_allclose(got.numpy(), np.asarray(theirs(x)), **TOL)
