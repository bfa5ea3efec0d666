"""Tests for ``ndflow.keras.regularizers``: penalties, defaults, validation, configs and Keras parity."""
import numpy as np
import pytest

import ndflow as tf
from ndflow.keras import regularizers

W = np.random.RandomState(0).randn(5, 4).astype(np.float32)


def _orthogonal_penalty(w, factor, axis):
    unit = w / np.linalg.norm(w, axis=axis, keepdims=True)
    product = unit @ unit.T if axis == 1 else unit.T @ unit
    size = product.shape[0]
    return factor * 0.5 * np.abs(product - np.diag(np.diag(product))).sum() / (size * (size - 1) / 2)


def test_penalties_match_formulas():
    np.testing.assert_allclose(regularizers.L1(0.1)(W).numpy(), 0.1 * np.abs(W).sum(), rtol=1e-6)
    np.testing.assert_allclose(regularizers.L2(0.3)(W).numpy(), 0.3 * (W ** 2).sum(), rtol=1e-6)
    np.testing.assert_allclose(regularizers.L1L2(l1=0.1, l2=0.2)(W).numpy(),
                               0.1 * np.abs(W).sum() + 0.2 * (W ** 2).sum(), rtol=1e-6)
    np.testing.assert_allclose(regularizers.OrthogonalRegularizer(0.1)(W).numpy(),
                               _orthogonal_penalty(W, 0.1, axis=1), rtol=1e-5)
    np.testing.assert_allclose(regularizers.OrthogonalRegularizer(0.2, mode="columns")(W).numpy(),
                               _orthogonal_penalty(W, 0.2, axis=0), rtol=1e-5)
    assert float(regularizers.L1L2()(W)) == 0.0
    assert regularizers.Regularizer()(W) == 0.0


def test_defaults_and_aliases():
    assert regularizers.l1().get_config() == {"l1": float(np.float32(0.01))}
    assert regularizers.l2().get_config() == {"l2": 0.01}
    assert regularizers.l1_l2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.L1(None).l1 == pytest.approx(0.01)
    assert regularizers.L1L2(l1=None, l2=0.5).get_config() == {"l1": 0.0, "l2": 0.5}


def test_penalty_keeps_input_dtype_and_is_differentiable():
    w = tf.Variable(W.astype(np.float64))
    with tf.GradientTape() as tape:
        penalty = regularizers.L1L2(l1=0.1, l2=0.2)(w)
    assert penalty.dtype == tf.float64
    np.testing.assert_allclose(tape.gradient(penalty, w).numpy(), 0.1 * np.sign(W) + 0.4 * W, rtol=1e-6)


def test_invalid_arguments():
    for bad in [-1.0, float("inf"), float("nan"), "0.1"]:
        with pytest.raises(ValueError, match="Invalid value for argument l2: expected a non-negative float"):
            regularizers.L2(bad)
    with pytest.raises(ValueError, match="Invalid value for argument `mode`"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="Inputs to OrthogonalRegularizer must have rank 2"):
        regularizers.OrthogonalRegularizer()(np.ones((2, 2, 2), np.float32))
    with pytest.raises(NotImplementedError):
        regularizers.Regularizer().get_config()


def test_get_and_round_trip():
    assert regularizers.get(None) is None
    assert isinstance(regularizers.get("l2"), regularizers.L2)
    assert isinstance(regularizers.get("L1L2"), regularizers.L1L2)
    assert isinstance(regularizers.get("l1l2"), regularizers.L1L2)
    assert isinstance(regularizers.get(regularizers.L1), regularizers.L1)

    def custom(weights):
        return tf.reduce_sum(weights)

    assert regularizers.get(custom) is custom
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier: l1_l2"):
        regularizers.get("l1_l2")
    for original in [regularizers.L1(0.2), regularizers.L2(0.3), regularizers.L1L2(0.1, 0.4),
                     regularizers.OrthogonalRegularizer(0.05, "columns")]:
        rebuilt = regularizers.get(regularizers.serialize(original))
        assert type(rebuilt) is type(original) and rebuilt.get_config() == original.get_config()
        np.testing.assert_allclose(rebuilt(W).numpy(), original(W).numpy())


@pytest.mark.parity
@pytest.mark.parametrize("make", [lambda m: m.L1(0.1), lambda m: m.L2(0.3), lambda m: m.L1L2(0.1, 0.2),
                                  lambda m: m.l1(), lambda m: m.l2(), lambda m: m.l1_l2(),
                                  lambda m: m.OrthogonalRegularizer(0.1),
                                  lambda m: m.OrthogonalRegularizer(0.2, "columns")])
def test_parity_with_keras(make):
    keras = pytest.importorskip("keras")
    ours, theirs = make(regularizers), make(keras.regularizers)
    np.testing.assert_allclose(ours(W).numpy(), np.asarray(theirs(keras.ops.convert_to_tensor(W))), rtol=1e-5)
    assert regularizers.serialize(ours) == keras.regularizers.serialize(theirs)
