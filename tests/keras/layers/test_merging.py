"""Merging layers: parity with Keras 3 (outputs, gradients, broadcasting, masks), shapes, configs, errors."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import layers

keras = pytest.importorskip("keras")
real_tf = pytest.importorskip("tensorflow")

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _tensors(framework, arrays, masks):
    tensors = [framework.constant(a) for a in arrays]
    for t, m in zip(tensors, masks or [None] * len(arrays)):
        if m is not None:
            t._keras_mask = framework.constant(m)
    return tensors


def _run(framework, layer, arrays, masks, upstream=None):
    tensors = _tensors(framework, arrays, masks)
    with framework.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        out = layer(tensors)
        loss = framework.reduce_sum(out * (upstream if upstream is not None else 1.0))
    return out, tape.gradient(loss, tensors)


def _merge_parity(name, arrays, kwargs=None, masks=None):
    kwargs = kwargs or {}
    ours, theirs = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    expected, their_grads = _run(real_tf, theirs, arrays, masks)
    upstream = _rand(*expected.shape, seed=9)
    expected, their_grads = _run(real_tf, theirs, arrays, masks, upstream)
    got, our_grads = _run(tf, ours, arrays, masks, upstream)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), **TOL)
    for mine, reference in zip(our_grads, their_grads):
        np.testing.assert_allclose(mine.numpy(), reference.numpy(), **TOL)
    shapes = [a.shape for a in arrays]
    assert ours.compute_output_shape(shapes) == tuple(theirs.compute_output_shape(shapes))
    their_mask = getattr(expected, "_keras_mask", None)
    our_mask = getattr(got, "_keras_mask", None)
    if their_mask is None:
        assert our_mask is None
    else:
        np.testing.assert_array_equal(our_mask.numpy(), their_mask.numpy())
    config = ours.get_config()
    assert config.keys() == theirs.get_config().keys()
    assert type(ours).from_config(config).get_config() == config
    return ours, theirs


ELEMENTWISE = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"]


@pytest.mark.parity
@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("shapes", [[(2, 3), (2, 3)], [(2, 3, 4), (2, 4)], [(2, 3, 1), (2, 3, 4)], [(2, 1), (2, 3)]])
def test_elementwise_parity(name, shapes):
    _merge_parity(name, [_rand(*s, seed=i) for i, s in enumerate(shapes)])


@pytest.mark.parity
@pytest.mark.parametrize("name", ["Add", "Multiply", "Average", "Maximum", "Minimum"])
def test_three_inputs_parity(name):
    _merge_parity(name, [_rand(2, 3, seed=i) for i in range(3)])


@pytest.mark.parity
@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("which", ["both", "first", "second"])
def test_masked_elementwise_parity(name, which):
    arrays = [_rand(2, 3, 4, seed=1), _rand(2, 3, 4, seed=2)]
    mask_a = np.array([[True, False, True], [False, False, True]])
    mask_b = np.array([[True, True, False], [False, True, True]])
    masks = {"both": [mask_a, mask_b], "first": [mask_a, None], "second": [None, mask_b]}[which]
    _merge_parity(name, arrays, masks=masks)


@pytest.mark.parity
@pytest.mark.parametrize("axis,shapes", [(-1, [(2, 3), (2, 4)]), (1, [(2, 3, 4), (2, 1, 4), (2, 2, 4)]),
                                         (2, [(2, 3, 1), (2, 3, 2)]), (0, [(1, 3), (2, 3)])])
def test_concatenate_parity(axis, shapes):
    _merge_parity("Concatenate", [_rand(*s, seed=i) for i, s in enumerate(shapes)], {"axis": axis})


@pytest.mark.parity
@pytest.mark.parametrize("axis", [1, -1])
def test_concatenate_mask_parity(axis):
    arrays = [_rand(2, 3, 4, seed=1), _rand(2, 3, 4, seed=2)]
    _merge_parity("Concatenate", arrays, {"axis": axis}, masks=[np.array([[1, 0, 1], [0, 1, 1]], bool), None])


@pytest.mark.parity
@pytest.mark.parametrize("kwargs,shapes", [
    ({"axes": 1}, [(2, 3), (2, 3)]),
    ({"axes": -1}, [(2, 3, 4), (2, 5, 4)]),
    ({"axes": (2, 1)}, [(2, 3, 4), (2, 4, 5)]),
    ({"axes": (1, 1)}, [(2, 3, 4), (2, 3, 2)]),
    ({"axes": 1, "normalize": True}, [(2, 3), (2, 3)]),
    ({"axes": (2, 2), "normalize": True}, [(2, 3, 4), (2, 5, 4)]),
    ({"axes": (1, 1)}, [(2, 3), (2, 3, 5)]),
    ({"axes": (2, 1)}, [(2, 4, 3), (2, 3)]),
    ({"axes": (3, 1)}, [(2, 2, 3, 4), (2, 4, 5)]),
])
def test_dot_parity(kwargs, shapes):
    _merge_parity("Dot", [_rand(*s, seed=i) for i, s in enumerate(shapes)], kwargs)


@pytest.mark.parity
def test_dot_drops_masks_like_keras():
    arrays = [_rand(2, 3, seed=1), _rand(2, 3, seed=2)]
    _merge_parity("Dot", arrays, {"axes": 1}, masks=[np.array([True, False]), np.array([True, True])])


def test_numpy_references():
    a, b, c = _rand(2, 3, seed=1), _rand(2, 3, seed=2), _rand(2, 3, seed=3)
    np.testing.assert_allclose(layers.add([a, b, c]).numpy(), a + b + c, rtol=1e-6)
    np.testing.assert_allclose(layers.subtract([a, b]).numpy(), a - b, rtol=1e-6)
    np.testing.assert_allclose(layers.multiply([a, b, c]).numpy(), a * b * c, rtol=1e-6)
    np.testing.assert_allclose(layers.average([a, b, c]).numpy(), (a + b + c) / 3, rtol=1e-6)
    np.testing.assert_allclose(layers.maximum([a, b, c]).numpy(), np.maximum(np.maximum(a, b), c))
    np.testing.assert_allclose(layers.minimum([a, b]).numpy(), np.minimum(a, b))
    np.testing.assert_allclose(layers.concatenate([a, b], axis=0).numpy(), np.concatenate([a, b]))
    np.testing.assert_allclose(layers.dot([a, b], axes=1).numpy(), (a * b).sum(1, keepdims=True), rtol=1e-6)
    cosine = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    np.testing.assert_allclose(layers.dot([a, b], axes=1, normalize=True).numpy()[:, 0], cosine, rtol=1e-5)
    assert layers.add([a, b], name="summed") is not None


def test_functional_forms_pass_kwargs():
    a, b = _rand(2, 3, seed=1), _rand(2, 4, seed=2)
    layer_out = layers.concatenate([a, b], axis=-1, name="joined")
    assert tuple(layer_out.shape) == (2, 7)


def test_merge_inside_function_with_unknown_batch():
    layer = layers.Add()
    fn = tf.function(lambda x, y: layer([x, y]),
                     input_signature=[tf.TensorSpec([None, 3, 4]), tf.TensorSpec([None, 4])])
    a, b = _rand(2, 3, 4), _rand(2, 4)
    np.testing.assert_allclose(fn(tf.constant(a), tf.constant(b)).numpy(), a + b[:, None, :], rtol=1e-6)


def test_errors():
    a = _rand(2, 3)
    with pytest.raises(ValueError, match="A merge layer should be called on a list of inputs"):
        layers.Add()(a)
    with pytest.raises(ValueError, match=r"Inputs have incompatible shapes. Received shapes \(3,\) and \(4,\)"):
        layers.Add()([a, _rand(2, 4)])
    with pytest.raises(ValueError, match="Cannot merge tensors with different batch sizes"):
        layers.Add()([a, _rand(3, 3)])
    with pytest.raises(ValueError, match="A `Subtract` layer should be called on exactly 2 inputs"):
        layers.Subtract()([a, a, a])
    with pytest.raises(ValueError, match="requires inputs with matching shapes except for the concatenation axis"):
        layers.Concatenate()([_rand(2, 3, 4), _rand(2, 2, 4)])
    with pytest.raises(ValueError, match="A `Concatenate` layer should be called on a list of at least 1 input"):
        layers.Concatenate()(a)
    with pytest.raises(ValueError, match="A `Dot` layer should be called on a list of 2 inputs"):
        layers.Dot(axes=1)([a, a, a])
    with pytest.raises(ValueError, match=r"Incompatible input shapes: axis values 3 \(at axis 1\) != 4"):
        layers.Dot(axes=1)([a, _rand(2, 4)])
    with pytest.raises(TypeError, match="it should be a list or an int"):
        layers.Dot(axes="1")
    with pytest.raises(ValueError, match="it should contain two elements"):
        layers.Dot(axes=(1, 2, 3))
    with pytest.raises(ValueError, match="list elements should be integers"):
        layers.Dot(axes=(1, 2.0))
    with pytest.raises(ValueError, match="Cannot perform batch_dot over axis 0"):
        layers.Dot(axes=0)([a, a])


def test_compute_output_shape_with_unknown_dims():
    assert layers.Add().compute_output_shape([(None, 3), (None, 3)]) == (None, 3)
    assert layers.Add().compute_output_shape([(None, 3, 1), (5, 3, 4)]) == (5, 3, 4)
    assert layers.Multiply().compute_output_shape([(None, None, 4), (None, 2, 4)]) == (None, None, 4)
    assert layers.Concatenate(axis=1).compute_output_shape([(None, None, 4), (None, 2, 4)]) == (None, None, 4)
    assert layers.Dot(axes=(2, 2)).compute_output_shape([(None, 3, 4), (None, 5, 4)]) == (None, 3, 5)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["Add", "Multiply", "Maximum", "Concatenate"])
def test_mixed_dtypes_are_promoted_like_keras(name):
    arrays = [np.array([[1, 2]]), np.array([[1.5, -2.0]], "float32")]
    got = getattr(layers, name)()(arrays)
    expected = getattr(keras.layers, name)()(arrays)
    assert got.dtype.name == expected.dtype.name
    np.testing.assert_allclose(got.numpy(), np.asarray(expected), **TOL)
