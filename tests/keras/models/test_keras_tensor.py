"""KerasTensor, Input and InputLayer: attributes, operators on symbolic tensors, refusals and errors."""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from ndflow.keras import layers
from ndflow.keras.models.keras_tensor import KerasTensor, is_keras_tensor


def test_input_creates_named_keras_tensor_with_history():
    x = keras.Input((3, None), batch_size=4, dtype="int32", name="ids")
    assert isinstance(x, KerasTensor) and is_keras_tensor(x)
    assert x.shape == (4, 3, None) and x.dtype == "int32" and x.ndim == 3 and x.name == "ids"
    layer, node_index, tensor_index = x._keras_history
    assert isinstance(layer, layers.InputLayer) and (node_index, tensor_index) == (0, 0)
    assert layer.name == "ids" and layer.batch_shape == (4, 3, None) and layer.dtype == "int32"
    assert repr(x) == "<KerasTensor shape=(4, 3, None), dtype=int32, sparse=False, ragged=False, name=ids>"


def test_default_names_and_dtype():
    a, b = keras.Input((2,)), keras.Input((2,))
    assert (a.name, b.name) == ("keras_tensor", "keras_tensor_1")
    assert [t._keras_history.operation.name for t in (a, b)] == ["input_layer", "input_layer_1"]
    assert a.dtype == keras.backend.floatx()


def test_input_layer_config_round_trip():
    layer = layers.InputLayer(shape=(5,), name="feat", optional=True)
    config = layer.get_config()
    assert config == {"batch_shape": (None, 5), "dtype": "float32", "sparse": False, "ragged": False,
                      "name": "feat", "optional": True}
    clone = layers.InputLayer.from_config(config)
    assert clone.batch_shape == (None, 5) and clone.output.shape == (None, 5) and clone.optional


def test_input_layer_argument_errors():
    with pytest.raises(ValueError, match="You must pass a `shape` argument."):
        layers.InputLayer()
    with pytest.raises(ValueError, match="both `shape` and `batch_shape`"):
        layers.InputLayer(shape=(2,), batch_shape=(None, 2))
    with pytest.raises(ValueError, match="both `batch_size` and `batch_shape`"):
        layers.InputLayer(batch_size=2, batch_shape=(None, 2))
    with pytest.raises(ValueError, match="must be a KerasTensor"):
        layers.InputLayer(input_tensor=np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Negative dimensions are not allowed"):
        keras.Input((-1,))


def test_input_wraps_existing_tensor():
    base = KerasTensor((None, 4), dtype="float64", name="base")
    x = keras.Input(tensor=base)
    assert x is base and x._keras_history.operation.batch_shape == (None, 4)
    with pytest.raises(ValueError, match="incompatible `shape` argument"):
        keras.Input(shape=(5,), tensor=KerasTensor((None, 4)))


@pytest.mark.parametrize("expression, shape, reference", [
    (lambda x: x + 1, (None, 3), lambda v: v + 1),
    (lambda x: 2 - x, (None, 3), lambda v: 2 - v),
    (lambda x: x * x, (None, 3), lambda v: v * v),
    (lambda x: x / 4.0, (None, 3), lambda v: v / 4.0),
    (lambda x: x // 2.0, (None, 3), lambda v: v // 2.0),
    (lambda x: x % 2.0, (None, 3), lambda v: v % 2.0),
    (lambda x: x ** 2, (None, 3), lambda v: v ** 2),
    (lambda x: -x, (None, 3), lambda v: -v),
    (lambda x: abs(x), (None, 3), np.abs),
    (lambda x: x[:, 1:], (None, 2), lambda v: v[:, 1:]),
    (lambda x: x[:, 0], (None,), lambda v: v[:, 0]),
    (lambda x: x[..., None, :2], (None, 1, 2), lambda v: v[..., None, :2]),
    (lambda x: x @ np.ones((3, 2), "float32"), (None, 2), lambda v: v @ np.ones((3, 2), "float32")),
    (lambda x: x.reshape((-1, 3, 1)), (None, 3, 1), lambda v: v.reshape((-1, 3, 1))),
    (lambda x: round(x * 10), (None, 3), lambda v: np.round(v * 10)),
])
def test_operators_build_graph_operations(expression, shape, reference):
    x = keras.Input((3,))
    y = expression(x)
    assert isinstance(y, KerasTensor) and y.shape == shape
    model = keras.Model(x, y)
    assert model.layers == [x._keras_history.operation]  # operations are not layers
    data = np.array([[1.5, -2.0, 3.25], [0.5, 4.0, -1.0]], "float32")
    np.testing.assert_allclose(model(data).numpy(), reference(data), rtol=1e-6)


def test_comparison_and_logical_operators():
    x = keras.Input((3,))
    y = (x > 0) & (x < 2) | ~(x != 1)
    assert y.dtype == "bool" and y.shape == (None, 3)
    data = np.array([[1.0, 5.0, -1.0]], "float32")
    expected = ((data > 0) & (data < 2)) | ~(data != 1)
    np.testing.assert_array_equal(keras.Model(x, y)(data).numpy(), expected)


def test_operation_names_follow_keras():
    x = keras.Input((3,))
    y = (x + 1)[:, :2]
    assert y._keras_history.operation.name == "get_item"
    assert y._keras_history.operation.get_config() == {"name": "get_item"}
    assert (x + 2)._keras_history.operation.name == "add_1"


def test_symbolic_tensors_refuse_values():
    x = keras.Input((3,))
    with pytest.raises(ValueError, match="cannot be used as input to a TensorFlow function"):
        tf.nn.relu(x)
    with pytest.raises(ValueError, match="You cannot convert it to a NumPy array"):
        np.asarray(x)
    with pytest.raises(ValueError, match="You cannot convert it to a float"):
        float(x)
    with pytest.raises(TypeError, match="cannot be used as a boolean"):
        bool(x)
    with pytest.raises(NotImplementedError, match="Iterating over a symbolic KerasTensor"):
        iter(x)


def test_keras_tensor_is_exported():
    assert layers.KerasTensor is KerasTensor and keras.KerasTensor is KerasTensor
