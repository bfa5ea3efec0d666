import numpy as np
import pytest

import ndflow as tf


class Dense(tf.Module):
    def __init__(self, in_features, out_features, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.ones([in_features, out_features]), name="w")
        self.b = tf.Variable(tf.zeros([out_features]), name="b", trainable=False)

    def __call__(self, x):
        return tf.matmul(x, self.w) + self.b


class Sequential(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.layers = [Dense(3, 4), Dense(4, 2)]
        self.extra = {"scale": tf.Variable(2.0)}

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x * self.extra["scale"]


def test_module_collects_variables_and_submodules():
    model = Sequential(name="model")
    assert model.name == "model"
    assert len(model.variables) == 5 and len(model.trainable_variables) == 3
    assert len(model.non_trainable_variables) == 2
    assert len(model.submodules) == 2 and all(isinstance(m, Dense) for m in model.submodules)
    assert Dense(1, 1).name == "dense"
    np.testing.assert_allclose(model(tf.ones([1, 3])).numpy(), [[24.0, 24.0]])


def test_module_gradients_and_invalid_name():
    model = Sequential()
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(tf.ones([2, 3])))
    grads = tape.gradient(loss, model.trainable_variables)
    assert all(g is not None for g in grads)
    with pytest.raises(ValueError):
        tf.Module(name="not valid!")
