"""The ResNet family has Keras's layers: names, order, classes, weight shapes and parameter counts.

ResNet101 and ResNet101V2 run the same builders as the 152-layer models with fewer blocks; to keep this file
fast only their parameter counts are checked (against Keras's numbers).
"""
import time

import pytest

from ndflow import keras as ours

CASES = [
    ("ResNet50", {}),
    ("ResNet152", {"include_top": False, "input_shape": (32, 32, 3)}),
    ("ResNet50V2", {"classes": 10, "classifier_activation": None}),
    ("ResNet152V2", {"include_top": False, "pooling": "avg", "input_shape": (32, 32, 3)}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("constructor", "kwargs"), CASES, ids=[c for c, _ in CASES])
def test_architecture_parity(constructor, kwargs, assert_same_architecture):
    assert_same_architecture(constructor, kwargs)


@pytest.mark.parametrize(("constructor", "params"), [("ResNet101", 44707176), ("ResNet101V2", 44675560)])
def test_resnet101_parameter_counts(constructor, params):
    # keras.applications.<constructor>(weights=None).count_params() on Keras 3.15.1
    assert getattr(ours.applications, constructor)(weights=None).count_params() == params


def test_resnet50_features_are_7x7x2048_and_build_fast():
    start = time.perf_counter()
    model = ours.applications.ResNet50(weights=None, include_top=False, input_shape=(224, 224, 3))
    assert time.perf_counter() - start < 5.0
    assert tuple(model.output.shape) == (None, 7, 7, 2048)
    assert model.count_params() == 23587712  # keras.applications.ResNet50(include_top=False), Keras 3.15.1


def test_resnet_imagenet_without_published_file_is_rejected_like_keras():
    def stacks(x):
        return ours.applications.resnet.stack_residual_blocks_v1(x, 8, 1, name="conv2")

    with pytest.raises(ValueError, match="File format not supported: filepath=imagenet"):
        ours.applications.resnet.ResNet(stacks, preact=False, use_bias=True, include_top=False,
                                        input_shape=(32, 32, 3), weights_name="tiny")
