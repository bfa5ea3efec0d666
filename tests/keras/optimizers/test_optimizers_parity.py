"""Parity with real Keras 3 (TensorFlow backend): same start, same gradients → same weights and optimizer state."""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras as nd_keras
from ndflow.keras.layers import KerasVariable

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.parity

RNG = np.random.default_rng(11)
SHAPES = [(3, 4), (4,)]
INIT = [RNG.normal(size=s).astype(np.float32) for s in SHAPES]
GRADS = [[RNG.normal(size=s).astype(np.float32) for s in SHAPES] for _ in range(6)]


def keras_run(name, kwargs):
    optimizer = getattr(keras.optimizers, name)(**kwargs)
    weights = [keras.Variable(w, name=n) for w, n in zip(INIT, ["kernel", "bias"])]
    for grads in GRADS:
        optimizer.apply_gradients(zip([keras.ops.convert_to_tensor(g) for g in grads], weights))
    return optimizer, weights


def ndflow_run(name, kwargs):
    optimizer = getattr(nd_keras.optimizers, name)(**kwargs)
    weights = [KerasVariable(w, name=n, path=n) for w, n in zip(INIT, ["kernel", "bias"])]
    for grads in GRADS:
        optimizer.apply_gradients(zip([tf.constant(g) for g in grads], weights))
    return optimizer, weights


CASES = [
    ("SGD", {}), ("SGD", {"momentum": 0.9}), ("SGD", {"momentum": 0.9, "nesterov": True}),
    ("Adam", {}), ("Adam", {"amsgrad": True}), ("AdamW", {}), ("AdamW", {"weight_decay": 0.1, "amsgrad": True}),
    ("Adagrad", {}), ("Adadelta", {"learning_rate": 1.0}), ("RMSprop", {}),
    ("RMSprop", {"momentum": 0.5, "centered": True}), ("RMSprop", {"centered": True}), ("Adamax", {}),
    ("Nadam", {}), ("Ftrl", {}),
    ("Ftrl", {"l1_regularization_strength": 0.01, "l2_regularization_strength": 0.02,
              "l2_shrinkage_regularization_strength": 0.03, "beta": 0.1, "learning_rate_power": -0.3}),
    ("Lion", {}), ("Adam", {"clipnorm": 0.5}), ("Adam", {"clipvalue": 0.3}), ("Adam", {"global_clipnorm": 0.7}),
    ("SGD", {"weight_decay": 0.1, "learning_rate": 0.1}), ("Adam", {"use_ema": True}),
    ("Adam", {"use_ema": True, "ema_overwrite_frequency": 2}), ("Adam", {"gradient_accumulation_steps": 2}),
    ("SGD", {"loss_scale_factor": 4.0, "momentum": 0.5}),
]


def case_id(case):
    name, kwargs = case
    return name + "".join(f"-{k}={v}" for k, v in kwargs.items())


@pytest.mark.parametrize("name,kwargs", CASES, ids=[case_id(c) for c in CASES])
def test_weights_and_state_match_keras(name, kwargs):
    k_opt, k_weights = keras_run(name, kwargs)
    n_opt, n_weights = ndflow_run(name, kwargs)
    # TF's float32 pow (Ftrl, Nadam's schedule) is within an ulp or two of NumPy's correctly rounded one
    rtol = 1e-5 if name in ("Ftrl", "Nadam") else 1e-6
    for k, n in zip(k_weights, n_weights):
        np.testing.assert_allclose(n.numpy(), k.numpy(), rtol=rtol, atol=1e-6)
    assert [v.name for v in n_opt.variables] == [v.name for v in k_opt.variables]
    for k, n in zip(k_opt.variables, n_opt.variables):
        assert n.dtype.name == k.dtype
        np.testing.assert_allclose(np.asarray(n.numpy()), np.asarray(k.numpy()), rtol=rtol, atol=1e-6)


@pytest.mark.parametrize("name,kwargs", CASES, ids=[case_id(c) for c in CASES])
def test_config_matches_keras(name, kwargs):
    k_config = getattr(keras.optimizers, name)(**kwargs).get_config()
    n_config = getattr(nd_keras.optimizers, name)(**kwargs).get_config()
    k_config.pop("name")
    n_config.pop("name")
    assert n_config == k_config


@pytest.mark.parametrize("schedule", ["ExponentialDecay", "PiecewiseConstantDecay"])
def test_schedule_driven_optimizer_matches_keras(schedule):
    args = {"ExponentialDecay": (0.1, 2, 0.5), "PiecewiseConstantDecay": ([1, 3], [0.1, 0.05, 0.01])}[schedule]
    k_opt, k_weights = keras_run("Adam", {"learning_rate": getattr(keras.optimizers.schedules, schedule)(*args)})
    n_opt, n_weights = ndflow_run("Adam",
                                  {"learning_rate": getattr(nd_keras.optimizers.schedules, schedule)(*args)})
    for k, n in zip(k_weights, n_weights):
        np.testing.assert_allclose(n.numpy(), k.numpy(), rtol=1e-6, atol=1e-6)
    assert n_opt.get_config()["learning_rate"] == k_opt.get_config()["learning_rate"]


def test_slot_names_follow_layer_paths_like_keras():
    layer = keras.layers.Dense(2, name="dense")
    layer.build((None, 3))
    k_opt = keras.optimizers.Adam(name="adam_parity")
    k_opt.build(layer.trainable_variables)
    n_opt = nd_keras.optimizers.Adam(name="adam_parity")
    n_opt.build([KerasVariable(v.numpy(), name=v.name, path=v.path) for v in layer.trainable_variables])
    assert [v.path for v in n_opt.variables] == [v.path for v in k_opt.variables]


@pytest.mark.parametrize("identifier", ["adam", "SGD", "rmsprop", "Adamw", "NADAM", "ftrl", "lion"])
def test_get_matches_keras(identifier):
    assert type(nd_keras.optimizers.get(identifier)).__name__ == type(keras.optimizers.get(identifier)).__name__


def test_error_messages_match_keras():
    for kwargs in [{"clipnorm": 1.0, "clipvalue": 2.0}, {"learning_rate": 1}, {"lr": 0.1}]:
        with pytest.raises(ValueError) as expected:
            keras.optimizers.SGD(**kwargs)
        with pytest.raises(ValueError) as got:
            nd_keras.optimizers.SGD(**kwargs)
        assert str(got.value) == str(expected.value)
