"""Checkpoints of Keras models and optimizers: weights by attribute path, slots keyed to their variables, and
deferred restoration into models and optimizers that are built later."""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras

X = np.random.RandomState(0).randn(16, 3).astype("float32")
Y = (X @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3).astype("float32")


def _sequential(with_input: bool) -> keras.Model:
    layers = [keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)]
    return keras.Sequential(([keras.Input((3,))] if with_input else []) + layers)


def _train(model, optimizer, epochs=2):
    model.compile(optimizer, "mse")
    model.fit(X, Y, epochs=epochs, batch_size=8, shuffle=False, verbose=0)


def test_keys_name_layers_weights_and_slots(tmp_path):
    model, optimizer = _sequential(True), keras.optimizers.SGD(0.01, momentum=0.9)
    _train(model, optimizer, epochs=1)
    prefix = tf.train.Checkpoint(model=model, optimizer=optimizer).write(str(tmp_path / "k"))
    names = [n for n, _ in tf.train.list_variables(prefix)]
    assert names == [
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "model/layers/0/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "model/layers/0/bias/.OPTIMIZER_SLOT/optimizer/momentums/.ATTRIBUTES/VARIABLE_VALUE",
        "model/layers/0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "model/layers/0/kernel/.OPTIMIZER_SLOT/optimizer/momentums/.ATTRIBUTES/VARIABLE_VALUE",
        "model/layers/1/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "model/layers/1/bias/.OPTIMIZER_SLOT/optimizer/momentums/.ATTRIBUTES/VARIABLE_VALUE",
        "model/layers/1/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "model/layers/1/kernel/.OPTIMIZER_SLOT/optimizer/momentums/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/iterations/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/learning_rate/.ATTRIBUTES/VARIABLE_VALUE",
    ]
    reader = tf.train.load_checkpoint(prefix)
    np.testing.assert_array_equal(reader.get_tensor("model/layers/0/kernel/.ATTRIBUTES/VARIABLE_VALUE"),
                                  model.layers[0].kernel.numpy())
    assert reader.get_tensor("optimizer/iterations/.ATTRIBUTES/VARIABLE_VALUE") == 2


@pytest.mark.parametrize("with_input", [True, False])
def test_restored_training_continues_identically(tmp_path, with_input):
    model, optimizer = _sequential(True), keras.optimizers.Adam(0.01)
    _train(model, optimizer)
    prefix = tf.train.Checkpoint(model=model, optimizer=optimizer).save(str(tmp_path / "ckpt"))
    _train(model, optimizer)
    expected = model.get_weights() + [v.numpy() for v in optimizer.variables]

    # a fresh model (unbuilt when without Input) and an unbuilt optimizer: their variables are created later
    fresh, fresh_optimizer = _sequential(with_input), keras.optimizers.Adam(0.01)
    status = tf.train.Checkpoint(model=fresh, optimizer=fresh_optimizer).restore(prefix)
    assert fresh_optimizer.iterations.numpy() == 4  # exists already: restored at once
    with pytest.raises(AssertionError, match="Unresolved"):
        status.assert_consumed()  # the slots (and an unbuilt model's weights) are still waiting
    _train(fresh, fresh_optimizer)
    status.assert_consumed()
    got = fresh.get_weights() + [v.numpy() for v in fresh_optimizer.variables]
    assert len(got) == len(expected)
    for a, b in zip(expected, got):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_subclassed_model_by_attribute_path(tmp_path):
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(3)
            self.blocks = [keras.layers.Dense(2), keras.layers.Dense(1)]

        def call(self, x):
            return self.blocks[1](self.blocks[0](self.hidden(x)))

    net = Net()
    expected = net(X).numpy()
    prefix = tf.train.Checkpoint(net=net).write(str(tmp_path / "s"))
    names = {n for n, _ in tf.train.list_variables(prefix)}
    assert "net/hidden/kernel/.ATTRIBUTES/VARIABLE_VALUE" in names
    assert "net/blocks/1/bias/.ATTRIBUTES/VARIABLE_VALUE" in names
    other = Net()
    status = tf.train.Checkpoint(net=other).read(prefix)
    np.testing.assert_allclose(other(X).numpy(), expected, rtol=1e-6)
    status.assert_consumed()


def test_layer_weights_are_restored_into_a_built_layer(tmp_path):
    layer = keras.layers.BatchNormalization()
    layer(X, training=True)
    prefix = tf.train.Checkpoint(layer=layer).write(str(tmp_path / "bn"))
    assert "layer/moving_mean/.ATTRIBUTES/VARIABLE_VALUE" in dict(tf.train.list_variables(prefix))
    other = keras.layers.BatchNormalization()
    other.build((None, 3))
    tf.train.Checkpoint(layer=other).read(prefix).assert_consumed()
    for a, b in zip(layer.weights, other.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
