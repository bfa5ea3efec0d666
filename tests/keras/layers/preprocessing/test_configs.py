"""Every preprocessing layer's ``get_config()`` equals Keras 3's for the same arguments and round-trips."""
import pytest

from ndflow.keras import layers

keras = pytest.importorskip("keras")

pytestmark = pytest.mark.parity

CASES = [("Resizing", {"height": 3, "width": 4, "interpolation": "nearest"}), ("CenterCrop", {"height": 2, "width": 2}),
         ("RandomFlip", {"mode": "vertical", "seed": 3}), ("RandomRotation", {"factor": 0.2, "seed": 1}),
         ("RandomRotation", {"factor": (-0.1, 0.3), "fill_mode": "constant"}),
         ("RandomZoom", {"height_factor": 0.2, "width_factor": (0.1, 0.3)}),
         ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.1}), ("RandomContrast", {"factor": 0.3}),
         ("RandomContrast", {"factor": (0.1, 0.2)}), ("RandomBrightness", {"factor": 0.3, "value_range": (1, 0)}),
         ("RandomCrop", {"height": 2, "width": 2, "seed": 5}), ("Rescaling", {"scale": 0.5, "offset": 1}),
         ("Normalization", {"axis": (1, 2)}), ("Normalization", {"mean": [1.0, 2.0], "variance": [1.0, 4.0]}),
         ("Discretization", {"num_bins": 3}), ("CategoryEncoding", {"num_tokens": 3, "output_mode": "count"}),
         ("Hashing", {"num_bins": 3, "salt": 4}), ("StringLookup", {"vocabulary": ["a"], "mask_token": "[M]"}),
         ("IntegerLookup", {"mask_token": 0, "num_oov_indices": 2}), ("TextVectorization", {"ngrams": 2}),
         ("TextVectorization", {"output_mode": "count", "max_tokens": 9, "pad_to_max_tokens": True})]


@pytest.mark.parametrize("name,kwargs", CASES)
def test_config_equals_keras_and_round_trips(name, kwargs):
    ours = getattr(layers, name)(**kwargs)
    config = ours.get_config()
    expected = getattr(keras.layers, name)(**kwargs).get_config()
    assert config == {**expected, "name": config["name"]}
    assert type(ours).from_config(config).get_config() == config
