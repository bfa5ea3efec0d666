"""ConvNeXt has Keras's layers and gives Keras's predictions; its LayerScale and StochasticDepth layers."""
import numpy as np
import pytest

from ndflow import keras as ours
from ndflow.keras.applications.convnext import LayerScale, StochasticDepth


@pytest.mark.parity
def test_architecture_parity(assert_same_architecture):
    assert_same_architecture("ConvNeXtTiny", {"include_top": False, "pooling": "avg", "input_shape": (32, 32, 3)})


@pytest.mark.parity
def test_small_forward_pass_matches_keras(assert_same_predictions):
    assert_same_predictions("ConvNeXtTiny", "convnext", {})


def test_layer_scale_multiplies_channels_and_round_trips():
    layer = LayerScale(0.5, 3)
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(layer(x).numpy(), x * 0.5)
    assert [tuple(w.shape) for w in layer.trainable_weights] == [(3,)]
    clone = LayerScale.from_config(layer.get_config())
    assert (clone.init_values, clone.projection_dim) == (0.5, 3)


def test_stochastic_depth_drops_whole_samples_only_in_training():
    layer = StochasticDepth(0.5)
    x = np.ones((200, 3, 2), "float32")
    np.testing.assert_array_equal(layer(x).numpy(), x)
    out = layer(x, training=True).numpy()
    per_sample = out.reshape(200, -1)
    assert set(np.unique(per_sample)) <= {0.0, 2.0}
    assert np.all(per_sample.min(axis=1) == per_sample.max(axis=1))
    assert 40 < np.count_nonzero(per_sample[:, 0]) < 160
    assert StochasticDepth.from_config(layer.get_config()).drop_path_rate == 0.5


def test_imagenet_weights_need_the_variant_in_the_name():
    with pytest.raises(ValueError, match='Model name "tiny" does not match weights variant "convnext_tiny"'):
        ours.applications.ConvNeXtTiny(include_top=False, input_shape=(32, 32, 3), name="tiny")
