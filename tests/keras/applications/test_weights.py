"""Loading application weights: Keras's published ``.h5`` layout (``weights="imagenet"`` through ``get_file``),
weight-file paths, and files real Keras writes. No network: ``get_file`` is replaced by a stand-in."""
import os

import numpy as np
import pytest

from ndflow import keras as ours
from ndflow.keras.applications import _common

h5py = pytest.importorskip("h5py")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

BASE = "https://storage.googleapis.com/tensorflow/keras-applications/"


def write_application_h5(path, layer_weights):
    """Writes ``[(layer name, [arrays])]`` the way Keras's published application files are laid out: root
    ``layer_names`` (layers without weights included), one group per layer whose ``weight_names`` (TF-style
    ``<layer>/<weight>:0`` names) point at nested datasets."""
    with h5py.File(path, "w") as file:
        file.attrs["layer_names"] = [name.encode() for name, _ in layer_weights]
        file.attrs["backend"] = b"tensorflow"
        file.attrs["keras_version"] = b"2.2.4"
        for name, arrays in layer_weights:
            group = file.create_group(name)
            weight_names = [f"{name}/param_{i}:0" for i in range(len(arrays))]
            group.attrs["weight_names"] = [n.encode() for n in weight_names]
            for weight_name, array in zip(weight_names, arrays):
                if array.size > 1 and not any(array.strides):  # a constant: stored as the fill value only
                    group.create_dataset(weight_name, shape=array.shape, dtype=array.dtype, fillvalue=array.flat[0])
                else:
                    group.create_dataset(weight_name, data=array)


def random_weights(model, seed=0):
    """Positive random values (valid batch-norm variances) for every layer of ``model``, in order."""
    rng = np.random.default_rng(seed)
    return [(layer.name, [rng.uniform(0.5, 1.5, tuple(w.shape)).astype("float32") for w in layer.weights])
            for layer in model.layers]


def constant_weights(model):
    """One constant per weight (broadcast views: no memory, tiny files) that tells layers and weights apart."""
    return [(layer.name, [np.broadcast_to(np.asarray(0.5 + index + position / 10).astype(w.numpy().dtype),
                                          tuple(w.shape))
                          for position, w in enumerate(layer.weights)])
            for index, layer in enumerate(model.layers)]


def assert_model_holds(model, layer_weights):
    with_weights = [arrays for _, arrays in layer_weights if arrays]
    layers = [layer for layer in model.layers if layer.weights]
    assert len(layers) == len(with_weights)
    for layer, arrays in zip(layers, with_weights):
        for variable, array in zip(layer.weights, arrays):
            np.testing.assert_array_equal(variable.numpy(), array)


@pytest.fixture
def served(monkeypatch, tmp_path):
    """Replaces ``get_file``: records each request and serves the file set in ``served.path``."""

    class Server:
        path = None
        requests = []

    def fake_get_file(fname, origin, file_hash=None):
        Server.requests.append((fname, origin, file_hash))
        return Server.path

    monkeypatch.setattr(_common, "get_file", fake_get_file)
    return Server


def test_weights_path_in_published_layout(tmp_path):
    kwargs = {"input_shape": (32, 32, 3), "alpha": 0.25, "include_top": False}
    layer_weights = random_weights(ours.applications.MobileNet(weights=None, **kwargs))
    path = str(tmp_path / "mobilenet.h5")
    write_application_h5(path, layer_weights)
    assert_model_holds(ours.applications.MobileNet(weights=path, **kwargs), layer_weights)


IMAGENET_CASES = [
    ("VGG16", {"include_top": False, "input_shape": (32, 32, 3)},
     ("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
      BASE + "vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "6d6bbae143d832006294945121d1f1fc")),
    ("ResNet50", {"include_top": False, "input_shape": (32, 32, 3)},
     ("resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
      BASE + "resnet/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", "4d473c1dd8becc155b73f8504c6f6626")),
    ("ResNet50V2", {"include_top": False, "input_shape": (32, 32, 3)},
     ("resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5",
      BASE + "resnet/resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5", "fac2f116257151a9d068a22e544a4917")),
    ("DenseNet121", {"include_top": False, "input_shape": (32, 32, 3)},
     ("densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5",
      BASE + "densenet/densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5", "30ee3e1110167f948a6b9946edeeb738")),
    ("InceptionV3", {"include_top": False, "input_shape": (75, 75, 3)},
     ("inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
      BASE + "inception_v3/inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
      "bcbd6486424b2319ff4ef7d526e38f63")),
    ("Xception", {"include_top": False, "input_shape": (71, 71, 3)},
     ("xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
      BASE + "xception/xception_weights_tf_dim_ordering_tf_kernels_notop.h5", "b0042744bf5b25fce3cb969f33bebb97")),
    ("MobileNet", {"alpha": 0.25, "input_shape": (128, 128, 3)},
     ("mobilenet_2_5_128_tf.h5", BASE + "mobilenet/mobilenet_2_5_128_tf.h5", None)),
    ("MobileNetV3Small", {"include_top": False, "input_shape": (224, 224, 3)},
     ("weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5",
      BASE + "mobilenet_v3/weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5", "d3e8ec802a04aa4fc771ee12a9a9b836")),
    ("EfficientNetB0", {"include_top": False, "input_shape": (32, 32, 3)},
     ("efficientnetb0_notop.h5", "https://storage.googleapis.com/keras-applications/efficientnetb0_notop.h5",
      "50bc09e76180e00e4465e1a485ddc09d")),
    ("EfficientNetV2B0", {"include_top": False, "input_shape": (32, 32, 3)},
     ("efficientnetv2-b0_notop.h5", BASE + "efficientnet_v2/efficientnetv2-b0_notop.h5",
      "893217f2bb855e2983157299931e43ff")),
    ("ConvNeXtTiny", {"include_top": False, "input_shape": (32, 32, 3)},
     ("convnext_tiny_notop.h5", BASE + "convnext/convnext_tiny_notop.h5",
      "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1")),
    ("NASNetMobile", {"include_top": False, "input_shape": (32, 32, 3)},
     ("nasnet_mobile_no_top.h5", BASE + "nasnet/NASNet-mobile-no-top.h5", "1ed92395b5b598bdda52abe5c0dbfd63")),
    ("MobileNetV2", {"alpha": 0.35, "include_top": False, "input_shape": (96, 96, 3)},
     ("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5",
      BASE + "mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5", None)),
]


@pytest.mark.parametrize(("constructor", "kwargs", "request_"), IMAGENET_CASES, ids=[c[0] for c in IMAGENET_CASES])
def test_imagenet_weights_come_through_get_file(served, tmp_path, constructor, kwargs, request_):
    build = getattr(ours.applications, constructor)
    layer_weights = constant_weights(build(weights=None, **kwargs))
    served.path = str(tmp_path / request_[0])
    write_application_h5(served.path, layer_weights)
    model = build(weights="imagenet", **kwargs)
    assert served.requests == [request_]
    assert_model_holds(model, layer_weights)


def test_mobilenet_imagenet_falls_back_to_224_weights(served, tmp_path):
    kwargs = {"alpha": 0.25, "include_top": False, "input_shape": (32, 32, 3)}
    layer_weights = random_weights(ours.applications.MobileNet(weights=None, **kwargs))
    served.path = str(tmp_path / "w.h5")
    write_application_h5(served.path, layer_weights)
    with pytest.warns(UserWarning, match="Weights for input shape \\(224, 224\\) will be loaded"):
        model = ours.applications.MobileNet(weights="imagenet", **kwargs)
    assert served.requests[0][0] == "mobilenet_2_5_224_tf_no_top.h5"
    assert model.name == "mobilenet_0.25_224"


def test_mismatched_file_is_rejected(tmp_path):
    kwargs = {"input_shape": (32, 32, 3), "alpha": 0.25, "include_top": False}
    layer_weights = random_weights(ours.applications.MobileNet(weights=None, **kwargs))
    path = str(tmp_path / "short.h5")
    write_application_h5(path, layer_weights[:-3])
    with pytest.raises(ValueError, match="Layer count mismatch"):
        ours.applications.MobileNet(weights=path, **kwargs)


# -- parity with files and requests of real Keras ---------------------------------------------------------------
@pytest.mark.parity
@pytest.mark.parametrize(("constructor", "kwargs", "request_"), [IMAGENET_CASES[i] for i in (5, 6, 7, 8, 9, 10, 11)],
                         ids=[IMAGENET_CASES[i][0] for i in (5, 6, 7, 8, 9, 10, 11)])
def test_imagenet_request_and_file_parity(served, tmp_path, monkeypatch, constructor, kwargs, request_):
    keras = pytest.importorskip("keras")
    from keras.src.utils import file_utils

    layer_weights = constant_weights(getattr(ours.applications, constructor)(weights=None, **kwargs))
    served.path = str(tmp_path / request_[0])
    write_application_h5(served.path, layer_weights)
    keras_requests = []

    def keras_get_file(fname, origin, cache_subdir="datasets", file_hash=None, **_):
        keras_requests.append((fname, origin, file_hash))
        assert cache_subdir == "models"
        return served.path

    monkeypatch.setattr(file_utils, "get_file", keras_get_file)
    theirs = getattr(keras.applications, constructor)(weights="imagenet", **kwargs)
    mine = getattr(ours.applications, constructor)(weights="imagenet", **kwargs)
    assert served.requests == keras_requests
    for a, b in zip(mine.get_weights(), theirs.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.fixture(scope="module")
def keras_mobilenet_files(tmp_path_factory):
    """A small MobileNet built by real Keras with random weights, saved as a legacy application ``.h5``, a
    ``.weights.h5`` and a whole-model ``.h5``; with its predictions on some images."""
    keras = pytest.importorskip("keras")
    from keras.src.legacy.saving import legacy_h5_format

    folder = tmp_path_factory.mktemp("keras_files")
    model = keras.applications.MobileNet(weights=None, input_shape=(32, 32, 3), alpha=0.25)
    rng = np.random.default_rng(3)
    model.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32") for w in model.get_weights()])
    with h5py.File(folder / "app.h5", "w") as file:
        legacy_h5_format.save_weights_to_hdf5_group(file, model)
    model.save_weights(str(folder / "model.weights.h5"))
    model.save(str(folder / "whole.h5"))
    images = rng.uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    expected = model.predict(keras.applications.mobilenet.preprocess_input(images.copy()), verbose=0)
    return folder, images, expected


@pytest.mark.parity
@pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword")
@pytest.mark.parametrize("file_name", ["app.h5", "model.weights.h5", "whole.h5"])
def test_weights_written_by_keras_give_keras_predictions(keras_mobilenet_files, file_name):
    folder, images, expected = keras_mobilenet_files
    model = ours.applications.MobileNet(weights=str(folder / file_name), input_shape=(32, 32, 3), alpha=0.25)
    x = ours.applications.mobilenet.preprocess_input(images.copy())
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)


def test_imagenet_weights_from_the_real_get_file_cache(tmp_path, monkeypatch):
    """Through ``keras.utils.get_file``: a file already in ``$KERAS_HOME/models`` is used without a download
    (MobileNet's files have no published hash)."""
    pytest.importorskip("ndflow.keras.utils.file_utils")
    kwargs = {"alpha": 0.25, "include_top": False, "input_shape": (128, 128, 3)}
    layer_weights = random_weights(ours.applications.MobileNet(weights=None, **kwargs))
    (tmp_path / "models").mkdir()
    write_application_h5(str(tmp_path / "models" / "mobilenet_2_5_128_tf_no_top.h5"), layer_weights)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert_model_holds(ours.applications.MobileNet(weights="imagenet", **kwargs), layer_weights)


@pytest.mark.parametrize("build", [
    lambda: ours.applications.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), alpha=0.75),
    lambda: ours.applications.convnext.ConvNeXt([1, 1, 1, 1], [8, 8, 16, 16], include_top=False,
                                                input_shape=(32, 32, 3), name="tiny_convnext"),
], ids=["MobileNetV3Small", "ConvNeXt"])
def test_keras_archive_round_trip(tmp_path, build):
    """Graph operations (MobileNetV3's hard sigmoid), nested Sequential models and the applications' own layers
    (ConvNeXt's LayerScale) survive ``model.save`` / ``load_model``."""
    model = build()
    path = str(tmp_path / "model.keras")
    model.save(path)
    restored = ours.models.load_model(path)
    images = np.random.default_rng(4).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    assert [layer.name for layer in restored.layers] == [layer.name for layer in model.layers]
    np.testing.assert_allclose(restored.predict(images, verbose=0), model.predict(images, verbose=0), rtol=1e-6)
