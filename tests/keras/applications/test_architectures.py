"""VGG, DenseNet, Inception(-ResNet) and Xception have Keras's layers (names, order, classes, weight shapes,
parameter counts); package names and ``input_tensor``. Other families: ``test_architectures_*``.
"""
import os

import numpy as np
import pytest

from ndflow import keras as ours

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

CASES = [
    ("VGG16", {"include_top": False, "input_shape": (64, 64, 3)}),
    ("VGG19", {"include_top": False, "pooling": "max"}),
    ("DenseNet121", {"include_top": False, "input_shape": (32, 32, 3)}),
    ("InceptionV3", {}),
    ("InceptionResNetV2", {"include_top": False, "pooling": "max", "input_shape": (75, 75, 3)}),
    ("Xception", {"include_top": False, "pooling": "avg"}),
]

@pytest.mark.parity
@pytest.mark.parametrize(("constructor", "kwargs"), CASES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES)])
def test_architecture_parity(constructor, kwargs, assert_same_architecture):
    assert_same_architecture(constructor, kwargs)


def test_module_and_package_names():
    apps = ours.applications
    assert apps.resnet50.ResNet50 is apps.ResNet50 is apps.resnet.ResNet50
    assert apps.resnet_v2.ResNet50V2 is apps.ResNet50V2
    assert {"VGG16", "Xception", "mobilenet_v2", "imagenet_utils"} <= set(dir(apps))
    namespace = {}
    exec("from ndflow.keras.applications import *", namespace)
    assert namespace["NASNetLarge"] is apps.nasnet.NASNetLarge
    keras = pytest.importorskip("keras")
    assert sorted(name for name in dir(keras.applications) if not name.startswith("_")) == apps.__all__
    with pytest.raises(AttributeError):
        apps.NoSuchNet  # noqa: B018


def test_input_tensor_keeps_its_predecessors():
    raw = ours.Input((40, 40, 3), name="raw")
    scaled = ours.layers.Rescaling(1 / 127.5, offset=-1)(raw)
    model = ours.applications.MobileNetV2(weights=None, include_top=False, input_tensor=scaled, alpha=0.35)
    assert model.inputs[0] is raw
    assert model.layers[1].name == "rescaling"
    assert model.name == "mobilenetv2_0.35_None"  # Keras names it after the unknown input height
    assert tuple(model.output.shape) == (None, 2, 2, 1280)


def test_custom_scale_layer_adds_the_scaled_branch_and_round_trips():
    from ndflow.keras.applications.inception_resnet_v2 import CustomScaleLayer

    layer = CustomScaleLayer(0.17, name="scale")
    x, branch = np.full((1, 2), 2.0, "float32"), np.full((1, 2), 10.0, "float32")
    np.testing.assert_allclose(layer([x, branch]).numpy(), 2.0 + 10.0 * 0.17, rtol=1e-6)
    config = layer.get_config()
    assert config["scale"] == 0.17
    assert CustomScaleLayer.from_config(config).scale == 0.17
