"""What ``Layer.__call__`` caches between calls (input-spec checks, mask work, call signatures) must never hide a
change: a new shape, dtype or spec is checked again, masks still flow, and ``call_accepts`` answers per function."""
import functools
import warnings

import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from ndflow.keras.layers.input_spec import InputSpec
from ndflow.keras.layers.layer import Layer
from ndflow.keras.layers.rnn._util import call_accepts


class Passthrough(Layer):
    def call(self, x):
        return x


def _ones(*shape, dtype="float32"):
    return tf.constant(np.ones(shape, dtype=dtype))


def test_input_spec_is_checked_again_for_a_new_shape():
    layer = keras.layers.Dense(2)
    layer(_ones(3, 4))
    layer(_ones(3, 4))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 4"):
        layer(_ones(3, 5))
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        layer(_ones(4))
    assert layer(_ones(7, 4)).shape == (7, 2)


def test_a_rejected_input_is_rejected_every_time():
    layer = keras.layers.Dense(2)
    layer(_ones(3, 4))
    for _ in range(2):
        with pytest.raises(ValueError, match="expected axis -1"):
            layer(_ones(3, 6))


def test_input_spec_is_checked_again_for_a_new_dtype():
    layer = Passthrough(autocast=False)
    layer.input_spec = InputSpec(dtype="float32")
    layer(_ones(2, 2))
    with pytest.raises(ValueError, match="expected dtype=float32, found dtype=float64"):
        layer(_ones(2, 2, dtype="float64"))


def test_a_replaced_input_spec_is_checked():
    layer = Passthrough()
    layer.input_spec = InputSpec(ndim=2)
    layer(_ones(2, 3))
    layer.input_spec = InputSpec(ndim=3)
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        layer(_ones(2, 3))


def test_list_specs_and_numpy_inputs_are_still_checked():
    layer = Passthrough()
    layer.input_spec = [InputSpec(ndim=2), InputSpec(ndim=2)]
    layer([_ones(2, 3), _ones(2, 3)])
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=1"):
        layer([_ones(2, 3), _ones(3)])
    layer.input_spec = InputSpec(ndim=2)
    layer(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        layer(np.ones((2, 3, 1), "float32"))


def test_masks_still_flow_through_layers_with_the_default_compute_mask():
    x = np.array([[1.0, 0.0], [2.0, 3.0]], "float32")[..., None]
    masked = keras.layers.Masking(0.0)(tf.constant(x))
    out = keras.layers.Dense(2)(masked)
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[True, False], [True, True]])
    unmasked = keras.layers.Dense(2)(tf.constant(x))
    assert getattr(unmasked, "_keras_mask", None) is None


def test_a_layer_with_its_own_compute_mask_sets_a_mask_without_an_input_mask():
    out = keras.layers.Embedding(5, 2, mask_zero=True)(tf.constant([[1, 0, 3]]))
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[True, False, True]])


def test_a_mask_given_as_argument_wins_over_the_input_mask():
    class MaskProbe(Layer):
        supports_masking = True

        def call(self, x, mask=None):
            self.seen = mask
            return x + 0.0

    x = keras.layers.Masking(0.0)(tf.constant(np.array([[[1.0], [0.0]]], "float32")))
    probe = MaskProbe()
    given = tf.constant([[False, False]])
    out = probe(x, mask=given)
    np.testing.assert_array_equal(probe.seen.numpy(), [[False, False]])
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[False, False]])
    probe(x)
    np.testing.assert_array_equal(probe.seen.numpy(), [[True, False]])


def test_call_accepts_answers_per_function():
    class WithTraining(Layer):
        def call(self, x, training=None):
            return x

    assert call_accepts(WithTraining().call, "training")
    assert not call_accepts(Passthrough().call, "training")
    assert call_accepts(WithTraining().call, "training")  # cached answer, same function
    assert not call_accepts(WithTraining().call, "mask")
    assert call_accepts(lambda x, mask=None: x, "mask")
    assert not call_accepts(lambda x: x, "mask")
    assert call_accepts(functools.partial(lambda x, training=None: x), "training")


def test_call_accepts_handles_callables_without_weak_references():
    class Slotted:
        __slots__ = ()

        def __call__(self, x, training=None):
            return x

    assert call_accepts(Slotted(), "training")
    assert not call_accepts(Slotted(), "mask")


def test_functional_single_input_keeps_its_checks():
    inputs = keras.Input((3,))
    model = keras.Model([inputs], keras.layers.Dense(2)(inputs))
    assert model(_ones(4, 3)).shape == (4, 2)
    assert model(_ones(4, 3, 1)).shape == (4, 2)  # a trailing axis of size 1 is squeezed
    with pytest.raises(ValueError, match="Invalid input shape for input"):
        model(_ones(4, 3, 2, 1))


def test_functional_dict_input_given_one_tensor_still_warns():
    inputs = {"a": keras.Input((3,), name="a")}
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs["a"]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = model(_ones(4, 3))
    assert out.shape == (4, 2)
    assert any("structure of `inputs`" in str(w.message) for w in caught)


@pytest.mark.parity
def test_rejected_shape_after_accepted_one_matches_keras():
    keras_ref = pytest.importorskip("keras")
    for module in (keras, keras_ref):
        layer = module.layers.Dense(2)
        layer(np.ones((3, 4), "float32"))
        with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 4"):
            layer(np.ones((3, 5), "float32"))
