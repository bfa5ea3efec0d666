"""Application constructors reject bad arguments with Keras's exception types and messages."""
import os

import numpy as np
import pytest

from ndflow import keras as ours

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ALL = ["VGG16", "VGG19", "ResNet50", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2", "ResNet152V2",
       "DenseNet121", "DenseNet169", "DenseNet201", "InceptionV3", "InceptionResNetV2", "Xception", "MobileNet",
       "MobileNetV2", "MobileNetV3Small", "MobileNetV3Large", "EfficientNetB0", "EfficientNetB7",
       "EfficientNetV2B0", "EfficientNetV2M", "ConvNeXtTiny", "ConvNeXtXLarge",
       "NASNetMobile", "NASNetLarge"]

BAD_CALLS = [
    *[(name, {"weights": "no/such/file.h5"}) for name in ALL],
    *[(name, {"classes": 10}) for name in ALL],
    *[(name, {"input_shape": (200, 200, 3)}) for name in ALL if "V3" not in name],  # V3 only warns
    *[(name, {"include_top": False, "weights": None, "input_shape": (20, 20, 3)}) for name in ALL],
    *[(name, {"include_top": False, "weights": None, "input_shape": (64, 64)}) for name in ("VGG16", "Xception")],
    ("InceptionV3", {"include_top": False, "weights": None, "input_shape": (74, 200, 3)}),
    ("Xception", {"include_top": False, "weights": None, "input_shape": (70, 80, 3)}),
    ("ResNet50", {"include_top": False, "input_shape": (64, 64, 1)}),
    ("ResNet50", {"weights": None, "input_shape": (None, 224, 3)}),
    ("MobileNet", {"alpha": 0.3}),
    ("MobileNet", {"depth_multiplier": 2}),
    ("MobileNetV2", {"alpha": 0.6}),
    ("MobileNetV3Small", {"alpha": 0.5}),
    ("NASNetLarge", {"include_top": False, "input_shape": (None, None, 3)}),
    ("MobileNetV3Large", {"alpha": 0.75, "minimalistic": True}),
    ("MobileNet", {"input_shape": (128, 128, 3), "alpha": 0.25, "classifier_activation": "relu"}),
    ("MobileNetV2", {"input_shape": (96, 96, 3), "alpha": 0.35, "classifier_activation": "sigmoid"}),
]


def _message(error):
    """The message with function addresses (``<function relu at 0x…>``) removed."""
    text = str(error)
    return text.split(" at 0x")[0] if "<function" in text else text


@pytest.mark.parametrize(("constructor", "kwargs"), BAD_CALLS,
                         ids=[f"{c}-{'-'.join(k)}-{i}" for i, (c, k) in enumerate(BAD_CALLS)])
def test_bad_arguments_raise_value_error(constructor, kwargs):
    with pytest.raises(ValueError):
        getattr(ours.applications, constructor)(**kwargs)


@pytest.mark.parity
@pytest.mark.parametrize(("constructor", "kwargs"), BAD_CALLS,
                         ids=[f"{c}-{'-'.join(k)}-{i}" for i, (c, k) in enumerate(BAD_CALLS)])
def test_bad_argument_messages_match_keras(constructor, kwargs):
    keras = pytest.importorskip("keras")
    with pytest.raises(ValueError) as theirs:
        getattr(keras.applications, constructor)(**kwargs)
    with pytest.raises(ValueError) as mine:
        getattr(ours.applications, constructor)(**kwargs)
    assert _message(mine.value) == _message(theirs.value)


def test_activation_is_free_without_pretrained_weights():
    model = ours.applications.MobileNet(weights=None, input_shape=(32, 32, 3), alpha=0.25, classes=3,
                                        classifier_activation="sigmoid")
    out = model(np.zeros((1, 32, 32, 3), "float32")).numpy()
    assert out.shape == (1, 3) and np.all((out > 0) & (out < 1))


@pytest.mark.parity
def test_mobilenet_v2_input_tensor_checks_match_keras():
    keras = pytest.importorskip("keras")
    cases = [(keras.Input((64, 64, 3)), ours.Input((64, 64, 3)), (32, 32, 3)),
             (np.zeros((1, 64, 64, 3)), np.zeros((1, 64, 64, 3)), (64, 64, 3))]
    for theirs_tensor, my_tensor, shape in cases:
        with pytest.raises(ValueError) as theirs:
            keras.applications.MobileNetV2(weights=None, input_tensor=theirs_tensor, input_shape=shape)
        with pytest.raises(ValueError) as mine:
            ours.applications.MobileNetV2(weights=None, input_tensor=my_tensor, input_shape=shape)
        assert str(mine.value).split("Received")[0] == str(theirs.value).split("Received")[0]


@pytest.mark.parity
def test_densenet_rejects_channels_first_like_keras():
    keras = pytest.importorskip("keras")
    for backend in (keras.backend, ours.backend):
        backend.set_image_data_format("channels_first")
    try:
        with pytest.raises(ValueError) as theirs:
            keras.applications.DenseNet121(weights=None)
        with pytest.raises(ValueError) as mine:
            ours.applications.DenseNet121(weights=None)
    finally:
        for backend in (keras.backend, ours.backend):
            backend.set_image_data_format("channels_last")
    assert str(mine.value) == str(theirs.value)


def test_densenet_imagenet_needs_a_published_layout():
    with pytest.raises(ValueError, match="weights_path undefined"):
        ours.applications.densenet.DenseNet([1, 1, 1, 1], include_top=False, input_shape=(32, 32, 3))
