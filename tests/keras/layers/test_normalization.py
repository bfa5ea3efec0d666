"""Normalization layers: parity with Keras 3 (outputs, gradients, moving statistics, masks), configs, errors."""
import warnings

import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _rand(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return (3 * rng.standard_normal(shape) + rng.uniform(-2, 2, shape[-1:])).astype("float32")


def _grads(framework, layer, x, upstream, **call_kwargs):
    x = framework.constant(x)
    with framework.GradientTape() as tape:
        tape.watch(x)
        loss = framework.reduce_sum(layer(x, **call_kwargs) * upstream)
    return tape.gradient(loss, [x, *layer.trainable_weights])


def _build_pair(name, kwargs, x):
    ours, theirs = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    theirs.build(x.shape)
    ours.build(x.shape)
    assert [(w.name, tuple(w.shape)) for w in ours.weights] == [(w.name, tuple(w.shape)) for w in theirs.weights]
    rng = np.random.default_rng(3)
    weights = [w + rng.uniform(0.1, 0.5, w.shape).astype("float32") for w in theirs.get_weights()]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    return ours, theirs


def _compare(ours, theirs, x, **call_kwargs):
    expected = np.asarray(theirs(x, **call_kwargs))
    got = ours(x, **call_kwargs)
    np.testing.assert_allclose(got.numpy(), expected, **TOL)
    upstream = np.random.default_rng(5).standard_normal(expected.shape).astype("float32")
    for mine, reference in zip(_grads(tf, ours, x, upstream, **call_kwargs),
                               _grads(real_tf, theirs, x, upstream, **call_kwargs), strict=True):
        np.testing.assert_allclose(mine.numpy(), reference.numpy(), **TOL)


def _check_config(ours, theirs):
    config = ours.get_config()
    assert config.keys() == theirs.get_config().keys()
    assert type(ours).from_config(config).get_config() == config


BN_CASES = [
    ({}, (6, 4)),
    ({"momentum": 0.9, "epsilon": 1e-5}, (4, 3, 5)),
    ({"axis": 1}, (3, 4, 2, 2)),
    ({"axis": 1, "center": False}, (4, 3, 5)),
    ({"scale": False, "momentum": 0.5}, (2, 3, 3, 2)),
    ({"center": False, "scale": False}, (5, 3)),
]


@pytest.mark.parity
@pytest.mark.parametrize("kwargs,shape", BN_CASES)
def test_batch_normalization_parity_and_moving_statistics(kwargs, shape):
    x = _rand(*shape)
    ours, theirs = _build_pair("BatchNormalization", kwargs, x)
    _compare(ours, theirs, x, training=False)
    for step in range(3):
        batch = _rand(*shape, seed=10 + step)
        np.testing.assert_allclose(ours(batch, training=True).numpy(), np.asarray(theirs(batch, training=True)),
                                   **TOL)
    for mine, reference in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(mine, reference, rtol=1e-6, atol=1e-6)
    _compare(ours, theirs, x, training=True)
    _compare(ours, theirs, x)
    assert ours.compute_output_shape(shape) == tuple(theirs.compute_output_shape(shape))
    _check_config(ours, theirs)


@pytest.mark.parity
def test_batch_normalization_frozen_runs_in_inference_mode():
    x = _rand(6, 3)
    ours, theirs = _build_pair("BatchNormalization", {}, x)
    ours.trainable = False
    theirs.trainable = False
    before = ours.get_weights()
    _compare(ours, theirs, x, training=True)
    for mine, old in zip(ours.get_weights(), before):
        np.testing.assert_array_equal(mine, old)
    assert ours.trainable_weights == [] and len(ours.non_trainable_weights) == 4


@pytest.mark.parity
def test_batch_normalization_with_mask_matches_keras():
    x = _rand(3, 5, 4)
    mask = np.array([[1, 1, 0, 1, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 1]], bool)
    ours, theirs = _build_pair("BatchNormalization", {"momentum": 0.8}, x)
    expected = theirs(x, training=True, mask=real_tf.constant(mask))
    got = ours(x, training=True, mask=tf.constant(mask))
    np.testing.assert_allclose(got.numpy(), np.asarray(expected), **TOL)
    for mine, reference in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(mine, reference, rtol=1e-6, atol=1e-6)
    with pytest.raises(ValueError, match="one dimension less than the inputs"):
        ours(x, training=True, mask=tf.ones((3, 5, 4), tf.bool))


@pytest.mark.parity
def test_batch_renormalization_parity():
    kwargs = {"renorm": True, "renorm_clipping": {"rmax": 1.5, "rmin": 0.7, "dmax": 0.5}, "renorm_momentum": 0.9,
              "momentum": 0.8}
    x = _rand(6, 3)
    ours, theirs = _build_pair("BatchNormalization", kwargs, x)
    for step in range(3):
        batch = _rand(6, 3, seed=20 + step)
        np.testing.assert_allclose(ours(batch, training=True).numpy(), np.asarray(theirs(batch, training=True)),
                                   **TOL)
    for mine, reference in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-6)
    _compare(ours, theirs, x, training=True)
    _check_config(ours, theirs)


def test_batch_normalization_numpy_reference():
    x = _rand(8, 3)
    layer = layers.BatchNormalization(momentum=0.9, epsilon=0.01)
    out = layer(x, training=True).numpy()
    mean, var = x.mean(0), x.var(0)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 0.01), rtol=1e-4, atol=1e-5)
    moving_mean, moving_var = layer.moving_mean.numpy(), layer.moving_variance.numpy()
    np.testing.assert_allclose(moving_mean, 0.1 * mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(moving_var, 0.9 + 0.1 * var, rtol=1e-5)
    np.testing.assert_allclose(layer(x).numpy(), (x - moving_mean) / np.sqrt(moving_var + 0.01), rtol=1e-5,
                               atol=1e-5)


def test_batch_normalization_in_function_updates_moving_stats():
    layer = layers.BatchNormalization()
    step = tf.function(lambda t: layer(t, training=True), input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    x = _rand(5, 3)
    step(tf.constant(x))
    step(tf.constant(x))
    np.testing.assert_allclose(layer.moving_mean.numpy(), (1 - 0.99 ** 2) * x.mean(0), rtol=1e-4, atol=1e-6)


def test_batch_normalization_errors():
    with pytest.raises(ValueError, match="invalid keys for `renorm_clipping`"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"bad": 1})
    layer = layers.BatchNormalization()
    layer(_rand(2, 3))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(_rand(2, 4))
    with pytest.raises(ValueError, match="Axis 3 is out of bounds for input shape"):
        layers.BatchNormalization(axis=3).compute_output_shape((2, 3))


@pytest.mark.parity
@pytest.mark.parametrize("kwargs,shape", [({}, (3, 5)), ({"axis": 1}, (2, 3, 4)), ({"axis": [1, 2]}, (2, 3, 4)),
                                          ({"axis": (-2, -1), "epsilon": 1e-6}, (2, 3, 4)),
                                          ({"center": False}, (2, 4)), ({"scale": False}, (2, 3, 4))])
def test_layer_normalization_parity(kwargs, shape):
    x = _rand(*shape)
    ours, theirs = _build_pair("LayerNormalization", kwargs, x)
    _compare(ours, theirs, x)
    assert ours.compute_output_shape(shape) == tuple(theirs.compute_output_shape(shape))
    _check_config(ours, theirs)


@pytest.mark.parity
def test_layer_normalization_rms_scaling_parity():
    x = _rand(3, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = _build_pair("LayerNormalization", {"rms_scaling": True}, x)
        _compare(ours, theirs, x)
    assert [w.name for w in ours.weights] == ["gamma"]
    assert ours.get_config()["rms_scaling"] is True


def test_layer_normalization_numpy_reference_and_errors():
    x = _rand(4, 6)
    out = layers.LayerNormalization(epsilon=1e-3)(x).numpy()
    expected = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    with pytest.raises(TypeError, match="Expected an int or a list/tuple of ints for the argument 'axis'"):
        layers.LayerNormalization(axis="x")


@pytest.mark.parity
@pytest.mark.parametrize("kwargs,shape", [({"groups": 2}, (2, 3, 4)), ({"groups": -1}, (2, 5, 3)),
                                          ({"groups": 1}, (2, 2, 2, 4)), ({"groups": 3, "axis": 1}, (2, 6, 4)),
                                          ({"groups": 2, "center": False, "epsilon": 1e-5}, (3, 2, 2, 4)),
                                          ({"groups": 2, "axis": -2}, (2, 4, 3))])
def test_group_normalization_parity(kwargs, shape):
    x = _rand(*shape)
    ours, theirs = _build_pair("GroupNormalization", kwargs, x)
    _compare(ours, theirs, x)
    _check_config(ours, theirs)


def test_group_normalization_unknown_dims_and_errors():
    layer = layers.GroupNormalization(groups=2)
    x = _rand(2, 5, 4)
    expected = layer(x).numpy()
    fn = tf.function(lambda t: layer(t), input_signature=[tf.TensorSpec([None, None, 4], tf.float32)])
    np.testing.assert_allclose(fn(tf.constant(x)).numpy(), expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="expected a positive integer"):
        layers.GroupNormalization(groups=0)
    with pytest.raises(ValueError, match=r"Number of groups \(3\) must be a multiple of the number of channels"):
        layers.GroupNormalization(groups=3)(_rand(2, 4))
    with pytest.raises(ValueError, match="cannot be more than the number of channels"):
        layers.GroupNormalization(groups=8)(_rand(2, 4))


@pytest.mark.parity
@pytest.mark.parametrize("kwargs,shape", [({}, (3, 4)), ({"axis": [1, 2]}, (2, 3, 4)), ({"axis": 1}, (2, 3, 4))])
def test_unit_normalization_parity(kwargs, shape):
    x = _rand(*shape)
    ours, theirs = layers.UnitNormalization(**kwargs), keras.layers.UnitNormalization(**kwargs)
    _compare(ours, theirs, x)
    assert ours.compute_output_shape(shape) == tuple(theirs.compute_output_shape(shape))
    _check_config(ours, theirs)
    norms = np.sqrt((ours(x).numpy() ** 2).sum(axis=tuple(np.atleast_1d(kwargs.get("axis", -1)))))
    np.testing.assert_allclose(norms, 1.0, rtol=1e-5)


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
def test_unit_normalization_errors():
    with pytest.raises(TypeError, match="Invalid value for `axis` argument"):
        layers.UnitNormalization(axis="a")
    with pytest.raises(ValueError, match="is out of bounds for input shape"):
        layers.UnitNormalization(axis=2).compute_output_shape((2, 3))
    np.testing.assert_array_equal(layers.UnitNormalization()(np.zeros((1, 3), "float32")).numpy(), 0.0)


def test_normalization_layers_pass_masks():
    tensor = tf.constant(_rand(2, 3, 4))
    tensor._keras_mask = tf.constant([[True, False, True], [True, True, False]])
    for layer in (layers.BatchNormalization(), layers.LayerNormalization(), layers.GroupNormalization(groups=2),
                  layers.UnitNormalization()):
        np.testing.assert_array_equal(layer(tensor)._keras_mask.numpy(), tensor._keras_mask.numpy())
