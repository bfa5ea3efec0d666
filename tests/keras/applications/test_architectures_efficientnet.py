"""EfficientNet and EfficientNetV2 have Keras's layers and give Keras's predictions."""
import pytest

CASES = [
    ("EfficientNetB0", {}),
    ("EfficientNetB3", {"include_top": False, "pooling": "max", "input_shape": (32, 32, 3)}),
    ("EfficientNetV2B0", {}),
    ("EfficientNetV2S", {"include_top": False, "pooling": "avg", "input_shape": (32, 32, 3)}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("constructor", "kwargs"), CASES, ids=[c for c, _ in CASES])
def test_architecture_parity(constructor, kwargs, assert_same_architecture):
    assert_same_architecture(constructor, kwargs)


@pytest.mark.parity
@pytest.mark.parametrize(("constructor", "module"), [("EfficientNetB0", "efficientnet"),
                                                    ("EfficientNetV2B0", "efficientnet_v2")])
def test_small_forward_pass_matches_keras(constructor, module, assert_same_predictions):
    assert_same_predictions(constructor, module, {})
