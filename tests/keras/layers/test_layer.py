"""The Layer base class: naming, weights, build, training/mask propagation, losses, errors."""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from ndflow.keras.layers.layer import Layer


class Linear(Layer):
    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), name="w", regularizer="l2")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b", trainable=False)

    def call(self, x):
        return tf.matmul(x, self.w) + self.b


class TrainingProbe(Layer):
    def call(self, x, training=None):
        self.seen = training
        return x


class Outer(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = TrainingProbe()
        self.blocks = [Linear(3), Linear(1)]

    def call(self, x, training=None):
        x = self.inner(x)
        for block in self.blocks:
            x = block(x)
        return x


def test_unique_snake_case_names():
    assert [Linear().name, Linear().name, TrainingProbe().name] == ["linear", "linear_1", "training_probe"]


def test_build_on_first_call_creates_named_weights_and_autocasts():
    layer = Linear(4)
    assert not layer.built
    y = layer(np.ones((2, 3)))
    assert layer.built and y.dtype == tf.float32 and tuple(y.shape) == (2, 4)
    assert [w.name for w in layer.weights] == ["w", "b"]
    assert [w.path for w in layer.weights] == ["linear/w", "linear/b"]
    assert [w.name for w in layer.trainable_weights] == ["w"]
    assert [w.name for w in layer.non_trainable_weights] == ["b"]
    assert layer.count_params() == 3 * 4 + 4


def test_sublayers_tracked_in_attribute_order_with_nested_paths():
    outer = Outer()
    outer(np.ones((1, 2), np.float32))
    assert [layer.name for layer in outer._direct_sublayers()] == ["training_probe", "linear", "linear_1"]
    assert [w.path for w in outer.weights] == ["outer/linear/w", "outer/linear/b", "outer/linear_1/w",
                                               "outer/linear_1/b"]


def test_training_flag_propagates_to_inner_layers():
    outer = Outer()
    outer(np.ones((1, 2), np.float32), training=True)
    assert outer.inner.seen is True
    outer(np.ones((1, 2), np.float32))
    assert outer.inner.seen is None
    outer(np.ones((1, 2), np.float32), training=False)
    assert outer.inner.seen is False


def test_freezing_moves_weights_to_non_trainable():
    outer = Outer()
    outer(np.ones((1, 2), np.float32))
    outer.blocks[0].trainable = False
    assert [w.path for w in outer.trainable_weights] == ["outer/linear_1/w"]
    outer.trainable = False
    assert outer.trainable_weights == [] and len(outer.non_trainable_weights) == 4
    assert not outer.blocks[1].trainable


def test_regularization_and_added_losses_reset_each_top_level_call():
    class AddsLoss(Layer):
        def call(self, x):
            self.add_loss(tf.reduce_sum(x))
            return x

    layer = AddsLoss()
    layer(np.ones((2,), np.float32))
    layer(np.ones((3,), np.float32))
    assert [float(t) for t in layer.losses] == [3.0]
    linear = Linear(2)
    linear(np.ones((1, 2), np.float32))
    expected = 0.01 * np.sum(np.square(linear.w.numpy()))
    np.testing.assert_allclose(float(linear.losses[0]), expected, rtol=1e-6)


def test_mask_is_passed_to_call_and_propagated():
    class MakeMask(Layer):
        def call(self, x):
            return x

        def compute_mask(self, inputs, mask=None):
            return tf.not_equal(inputs, 0.0)

    class ReadMask(Layer):
        supports_masking = True

        def call(self, x, mask=None):
            self.mask = mask
            return x

    x = MakeMask()(np.array([1.0, 0.0, 2.0], np.float32))
    reader = ReadMask()
    y = reader(x)
    assert reader.mask.numpy().tolist() == [True, False, True]
    assert y._keras_mask.numpy().tolist() == [True, False, True]


def test_set_weights_and_count_params_errors_match_keras():
    layer = Linear(2, name="lin")
    with pytest.raises(ValueError, match="isn't built"):
        layer.count_params()
    layer(np.ones((1, 3), np.float32))
    with pytest.raises(ValueError, match="weight list of length 1, but the layer was expecting 2 weights"):
        layer.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"weight shape \(3, 2\) is not compatible with provided weight shape"):
        layer.set_weights([np.zeros((3, 5)), np.zeros(2)])
    layer.set_weights([np.ones((3, 2)), np.full(2, 0.5)])
    np.testing.assert_allclose(layer(np.ones((1, 3), np.float32)).numpy(), [[3.5, 3.5]])


def test_unknown_kwargs_and_input_spec_errors():
    with pytest.raises(ValueError, match=r"Unrecognized keyword arguments passed to Linear: \{'foo': 1\}"):
        Linear(foo=1)
    layer = Linear(2)
    layer.input_spec = keras.layers.InputSpec(min_ndim=2)
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        layer(np.ones((3,), np.float32))


def test_auto_config_round_trip():
    layer = Linear(units=5, name="custom")
    config = layer.get_config()
    assert config["units"] == 5 and config["name"] == "custom"
    clone = Linear.from_config(config)
    assert clone.units == 5 and clone.name == "custom"


@pytest.mark.parity
def test_errors_and_config_like_keras():
    real = pytest.importorskip("keras")

    class RealLinear(real.layers.Layer):
        def __init__(self, units=2, **kwargs):
            super().__init__(**kwargs)
            self.units = units

    ours, theirs = Linear(units=3, name="x").get_config(), RealLinear(units=3, name="x").get_config()
    assert ours == theirs
