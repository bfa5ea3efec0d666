"""NASNet has Keras's layers and gives Keras's predictions."""
import pytest

from ndflow import keras as ours


@pytest.mark.parity
def test_architecture_parity(assert_same_architecture):
    assert_same_architecture("NASNetMobile", {"include_top": False, "pooling": "max", "input_shape": (32, 32, 3)})


@pytest.mark.parity
def test_small_forward_pass_matches_keras(assert_same_predictions):
    assert_same_predictions("NASNetMobile", "nasnet", {})


def test_mobile_without_top_defaults_to_224():
    model = ours.applications.NASNetMobile(weights=None, include_top=False)
    assert tuple(model.output.shape) == (None, 7, 7, 1056)


def test_penultimate_filters_must_fit_the_multiplier():
    with pytest.raises(ValueError, match="must be a multiple of 24"):
        ours.applications.nasnet.NASNet(input_shape=(32, 32, 3), penultimate_filters=100, include_top=False,
                                        weights=None)
