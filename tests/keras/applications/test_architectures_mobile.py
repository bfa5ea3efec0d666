"""MobileNet, MobileNetV2 and MobileNetV3 have Keras's layers and give Keras's predictions."""
import pytest

CASES = [
    ("MobileNet", {}),
    ("MobileNet", {"alpha": 0.5, "depth_multiplier": 2, "include_top": False, "input_shape": (96, 96, 3)}),
    ("MobileNetV2", {"alpha": 1.4, "include_top": False, "pooling": "avg", "input_shape": (96, 96, 3)}),
    ("MobileNetV2", {"alpha": 0.35, "input_shape": (32, 32, 3), "classes": 7}),
    ("MobileNetV3Small", {}),
    ("MobileNetV3Large", {"minimalistic": True, "include_top": False, "pooling": "max", "input_shape": (64, 64, 3)}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("constructor", "kwargs"), CASES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES)])
def test_architecture_parity(constructor, kwargs, assert_same_architecture):
    assert_same_architecture(constructor, kwargs)


@pytest.mark.parity
@pytest.mark.parametrize(("constructor", "module", "kwargs"), [("MobileNet", "mobilenet", {"alpha": 0.25}),
                                                             ("MobileNetV3Small", "mobilenet_v3", {"alpha": 0.75})])
def test_small_forward_pass_matches_keras(constructor, module, kwargs, assert_same_predictions):
    assert_same_predictions(constructor, module, kwargs)
