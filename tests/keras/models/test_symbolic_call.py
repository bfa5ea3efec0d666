"""Calling layers on KerasTensors: building, output shapes (declared or probed), nodes, training and masks."""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from ndflow.keras import layers
from ndflow.keras.models.symbolic import probe_output_shape


class Repeat(layers.Layer):
    """No compute_output_shape: its output shape must be probed (doubles the last axis, drops the middle one)."""

    def call(self, inputs):
        return tf.concat([inputs[:, 0], inputs[:, 0]], axis=-1)


class Pair(layers.Layer):
    """Two outputs of different shapes, as a dict."""

    def call(self, inputs):
        return {"sum": tf.reduce_sum(inputs, axis=-1), "same": inputs}


class Scale(layers.Layer):
    def build(self, input_shape):
        self.factor = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="factor")

    def call(self, inputs):
        return inputs * self.factor


def test_symbolic_call_builds_and_records_a_node():
    x = keras.Input((None, 4))
    layer = Scale()
    y = layer(x)
    assert layer.built and layer.factor.shape == (4,) and layer._build_shapes == (None, None, 4)
    assert y.shape == (None, None, 4) and y.dtype == "float32"
    node = layer._inbound_nodes[0]
    assert node.input_tensors == [x] and node.outputs == [y] and node.operation is layer
    assert y._keras_history == (layer, 0, 0)
    assert x._keras_history.operation._outbound_nodes == [node]
    assert layer.input is x and layer.output is y


def test_probe_marks_unknown_dimensions():
    y = Repeat()(keras.Input((5, None)))
    assert y.shape == (None, None)
    y = Repeat()(keras.Input((5, 3), batch_size=7))
    assert y.shape == (7, 6)


def test_probe_structures_and_dtypes():
    out = Pair()(keras.Input((2, 3)))
    assert set(out) == {"sum", "same"}
    assert out["sum"].shape == (None, 2) and out["same"].shape == (None, 2, 3)
    ids = keras.Input((4,), dtype="int32")
    assert Repeat()(ids[:, None]).dtype == "int32"


def test_declared_compute_output_shape_is_used():
    class Declared(layers.Layer):
        def call(self, inputs):
            raise AssertionError("must not run during a symbolic call")

        def compute_output_shape(self, input_shape):
            return (input_shape[0], 7)

    assert Declared()(keras.Input((3,))).shape == (None, 7)


def test_compute_output_shape_with_several_tensor_arguments():
    class Attend(layers.Layer):
        def call(self, query, value):
            raise AssertionError("not run")

        def compute_output_shape(self, query_shape, value_shape):
            return (*query_shape[:-1], value_shape[-1])

    out = Attend()(keras.Input((4, 2)), keras.Input((6, 5)))
    assert out.shape == (None, 4, 5)


def test_base_compute_output_shape_probes():
    assert Repeat().compute_output_shape((None, 5, 3)) == (None, 6)
    assert probe_output_shape(Pair(), (2, 3, 4)) == {"sum": (2, 3), "same": (2, 3, 4)}


def test_probe_leaves_layer_state_untouched():
    class Normalize(layers.Layer):
        def __init__(self):
            super().__init__()
            self.norm = layers.BatchNormalization()

        def call(self, inputs, training=None):
            return self.norm(inputs, training=training) + 1.0

    layer = Normalize()
    layer(keras.Input((3,)), training=True)
    np.testing.assert_array_equal(layer.norm.moving_mean.numpy(), np.zeros(3))
    np.testing.assert_array_equal(layer.norm.moving_variance.numpy(), np.ones(3))
    assert layer.losses == []


def test_layers_built_by_a_probe_record_an_unknown_batch():
    class Wrapper(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = layers.Dense(2)

        def call(self, inputs):
            return self.inner(inputs)

    wrapper = Wrapper()
    wrapper(keras.Input((3,)))
    assert wrapper.inner._build_shapes == (None, 3)


def test_training_argument_recorded_as_keras_does():
    x = keras.Input((3,))
    dropout, explicit, norm = layers.Dropout(0.5), layers.Dropout(0.5), layers.BatchNormalization()
    dropout(x)
    explicit(x, training=True)
    norm(x)
    assert dropout._inbound_nodes[0].call_kwargs == {"training": False}
    assert explicit._inbound_nodes[0].call_kwargs == {"training": True}
    assert norm._inbound_nodes[0].call_kwargs == {"mask": None}


def test_symbolic_masks_follow_compute_mask():
    x = keras.Input((4, 3))
    masked = layers.Masking()(x)
    assert masked._keras_mask is not None and masked._keras_mask.shape == (None, 4)
    assert masked._keras_mask.dtype == "bool"
    passed = layers.Dropout(0.1)(masked)
    assert passed._keras_mask is masked._keras_mask
    assert layers.Dense(2)(x)._keras_mask is None


def test_input_spec_checked_symbolically():
    conv = layers.Conv2D(2, 3)
    with pytest.raises(ValueError, match="expected min_ndim=4, found ndim=2|expected ndim=4, found ndim=2"):
        conv(keras.Input((5,)))


def test_graph_operations_on_plain_values_run_eagerly():
    from ndflow.keras.models.operations import Add

    np.testing.assert_allclose(Add()(tf.constant([1.0]), 2.0).numpy(), [3.0])
