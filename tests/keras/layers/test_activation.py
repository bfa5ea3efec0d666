"""Activation layers: parity with Keras 3 (outputs, input and weight gradients, masks), configs, errors."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _rand(*shape, seed=0):
    return (2 * np.random.default_rng(seed).standard_normal(shape)).astype("float32")


def _grads(framework, layer, x, upstream, **call_kwargs):
    x = framework.constant(x)
    with framework.GradientTape() as tape:
        tape.watch(x)
        loss = framework.reduce_sum(layer(x, **call_kwargs) * upstream)
    return tape.gradient(loss, [x, *layer.trainable_weights])


def _parity(name, kwargs, x, **call_kwargs):
    ours, theirs = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    expected = np.asarray(theirs(x, **call_kwargs))
    ours(x, **call_kwargs)
    assert [(w.name, tuple(w.shape)) for w in ours.weights] == [(w.name, tuple(w.shape)) for w in theirs.weights]
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours(x, **call_kwargs).numpy(), expected, **TOL)
    upstream = np.random.default_rng(5).standard_normal(expected.shape).astype("float32")
    for mine, reference in zip(_grads(tf, ours, x, upstream, **call_kwargs),
                               _grads(real_tf, theirs, x, upstream, **call_kwargs), strict=True):
        np.testing.assert_allclose(mine.numpy(), reference.numpy(), **TOL)
    assert ours.compute_output_shape(x.shape) == tuple(theirs.compute_output_shape(x.shape))
    config = ours.get_config()
    assert config == theirs.get_config() or config.keys() == theirs.get_config().keys()
    assert type(ours).from_config(config).get_config() == config
    return ours, theirs


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"max_value": 1.5}, {"max_value": 6.0}, {"negative_slope": 0.1},
                                    {"threshold": 0.5}, {"negative_slope": 0.2, "threshold": 0.3, "max_value": 2.0},
                                    {"negative_slope": 0.1, "max_value": 1.0}])
def test_relu_parity(kwargs):
    ours, _ = _parity("ReLU", kwargs, _rand(3, 5))
    assert ours.built and ours.count_params() == 0


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"negative_slope": 0.01}, {"negative_slope": 0.0}])
def test_leaky_relu_parity(kwargs):
    _parity("LeakyReLU", kwargs, _rand(3, 5))


def test_leaky_relu_accepts_deprecated_alpha():
    with pytest.warns(UserWarning, match="Argument `alpha` is deprecated"):
        layer = layers.LeakyReLU(alpha=0.5)
    np.testing.assert_allclose(layer(np.array([-2.0, 2.0], "float32")).numpy(), [-1.0, 2.0])


@pytest.mark.parity
@pytest.mark.parametrize("kwargs,shape", [({}, (3, 4)), ({"alpha_initializer": "ones"}, (2, 3, 4)),
                                          ({"shared_axes": [1, 2], "alpha_initializer": "random_normal"},
                                           (2, 3, 3, 2)),
                                          ({"shared_axes": 1, "alpha_initializer": "glorot_uniform"}, (2, 3, 4))])
def test_prelu_parity(kwargs, shape):
    ours, theirs = _parity("PReLU", kwargs, _rand(*shape))
    their_alpha = np.random.default_rng(1).standard_normal(theirs.get_weights()[0].shape).astype("float32")
    theirs.set_weights([their_alpha])
    ours.set_weights([their_alpha])
    x = _rand(*shape, seed=2)
    np.testing.assert_allclose(ours(x).numpy(), np.asarray(theirs(x)), **TOL)


def test_prelu_numpy_reference_and_input_spec():
    layer = layers.PReLU(alpha_initializer=keras_constant(0.25), shared_axes=[1])
    x = _rand(2, 3, 4)
    np.testing.assert_allclose(layer(x).numpy(), np.where(x > 0, x, 0.25 * x), rtol=1e-6)
    assert tuple(layer.alpha.shape) == (1, 4)
    with pytest.raises(ValueError, match="expected axis 2 of input shape to have value 4"):
        layer(_rand(2, 3, 5))


def keras_constant(value):
    from ndflow.keras import initializers

    return initializers.Constant(value)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"alpha": 0.5}, {"alpha": 2.0}])
def test_elu_parity(kwargs):
    _parity("ELU", kwargs, _rand(3, 5))


def test_elu_positional_config():
    assert layers.ELU(0.3).get_config()["alpha"] == 0.3


@pytest.mark.parity
@pytest.mark.parametrize("kwargs,shape", [({}, (3, 5)), ({"axis": 1}, (2, 3, 4)), ({"axis": [1, 2]}, (2, 3, 4)),
                                          ({"axis": (-1,)}, (2, 3))])
def test_softmax_parity(kwargs, shape):
    _parity("Softmax", kwargs, _rand(*shape))


@pytest.mark.parity
@pytest.mark.parametrize("mask", [
    np.array([[True, False, True, True], [False, True, True, False]]),
    np.array([[1, 0, 1, 1], [0, 1, 1, 0]], "float32"),
    np.array([[[True, True, False, True]], [[True, False, False, True]]]),
])
def test_softmax_mask_parity(mask):
    x = _rand(2, 3, 4) if mask.ndim == 3 else _rand(2, 4)
    ours, theirs = layers.Softmax(), keras.layers.Softmax()
    got = ours(x, mask=tf.constant(mask)).numpy()
    np.testing.assert_allclose(got, np.asarray(theirs(x, mask=real_tf.constant(mask))), **TOL)
    keep = np.broadcast_to(mask.astype(bool), x.shape)
    assert (got[~keep] == 0).all()
    np.testing.assert_allclose(got.sum(-1), 1.0, rtol=1e-5)


def test_softmax_takes_mask_from_previous_layer():
    x = np.array([[1.0, 0.0, 2.0]], "float32")
    tensor = tf.constant(x)
    tensor._keras_mask = tf.constant([[True, False, True]])
    out = layers.Softmax()(tensor).numpy()
    expected = np.exp([1.0, 2.0]) / np.exp([1.0, 2.0]).sum()
    np.testing.assert_allclose(out, [[expected[0], 0.0, expected[1]]], rtol=1e-6)


def test_softmax_mask_errors():
    with pytest.raises(ValueError, match="must not have more dimensions"):
        layers.Softmax()(_rand(2, 3), mask=tf.ones((1, 2, 3), tf.bool))
    with pytest.raises(ValueError, match="Each mask dimension must be 1 or match"):
        layers.Softmax()(_rand(2, 3), mask=tf.ones((2, 2), tf.bool))


@pytest.mark.parametrize("factory,message", [
    (lambda: layers.ReLU(max_value=-1.0), "max_value of a ReLU layer cannot be a negative value"),
    (lambda: layers.ReLU(negative_slope=-0.1), "negative_slope of a ReLU layer cannot be None or a negative"),
    (lambda: layers.ReLU(threshold=None), "threshold of a ReLU layer cannot be None"),
    (lambda: layers.LeakyReLU(negative_slope=-1.0), "cannot be None or negative value"),
])
def test_argument_errors(factory, message):
    with pytest.raises(ValueError, match=message):
        factory()


def test_activation_layers_pass_masks_through():
    tensor = tf.constant(_rand(2, 3))
    tensor._keras_mask = tf.constant([True, False])
    for layer in (layers.ReLU(), layers.LeakyReLU(), layers.ELU(), layers.PReLU()):
        np.testing.assert_array_equal(layer(tensor)._keras_mask.numpy(), [True, False])
