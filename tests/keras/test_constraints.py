"""Tests for ``ndflow.keras.constraints``: projections, configs and Keras parity."""
import numpy as np
import pytest

from ndflow.keras import constraints

W = np.random.RandomState(1).randn(5, 4).astype(np.float32) * 2
EPS = 1e-7


def _norms(w, axis):
    return np.sqrt((w.astype(np.float64) ** 2).sum(axis=axis, keepdims=True))


def test_projections_match_formulas():
    norms = _norms(W, 0)
    np.testing.assert_allclose(constraints.MaxNorm(1.5)(W).numpy(), W * np.clip(norms, 0, 1.5) / (EPS + norms),
                               rtol=1e-5)
    np.testing.assert_allclose(constraints.NonNeg()(W).numpy(), np.maximum(W, 0))
    row_norms = _norms(W, 1)
    np.testing.assert_allclose(constraints.UnitNorm(axis=1)(W).numpy(), W / (EPS + row_norms), rtol=1e-5)
    desired = 0.7 * np.clip(norms, 0.5, 1.0) + 0.3 * norms
    np.testing.assert_allclose(constraints.MinMaxNorm(0.5, 1.0, rate=0.7)(W).numpy(), W * desired / (EPS + norms),
                               rtol=1e-5)
    np.testing.assert_array_equal(constraints.Constraint()(W), W)


def test_unit_norm_over_several_axes():
    kernel = np.random.RandomState(2).randn(3, 3, 2, 4).astype(np.float32)
    projected = constraints.UnitNorm(axis=[0, 1, 2])(kernel).numpy()
    np.testing.assert_allclose(_norms(projected, (0, 1, 2)).ravel(), np.ones(4), rtol=1e-5)


def test_get_aliases_and_round_trip():
    assert constraints.get(None) is None
    for name, cls in [("max_norm", constraints.MaxNorm), ("MaxNorm", constraints.MaxNorm),
                      ("non_neg", constraints.NonNeg), ("unit_norm", constraints.UnitNorm),
                      ("min_max_norm", constraints.MinMaxNorm), ("constraint", constraints.Constraint)]:
        assert type(constraints.get(name)) is cls
    assert constraints.max_norm is constraints.MaxNorm
    with pytest.raises(ValueError, match="Could not interpret constraint identifier: nonneg"):
        constraints.get("nonneg")
    for original in [constraints.MaxNorm(3, axis=1), constraints.NonNeg(), constraints.UnitNorm(axis=[0, 1]),
                     constraints.MinMaxNorm(0.1, 2.0, 0.5, axis=1)]:
        rebuilt = constraints.deserialize(constraints.serialize(original))
        assert type(rebuilt) is type(original) and rebuilt.get_config() == original.get_config()


@pytest.mark.parity
@pytest.mark.parametrize("make", [lambda m: m.MaxNorm(1.5), lambda m: m.MaxNorm(), lambda m: m.NonNeg(),
                                  lambda m: m.UnitNorm(axis=1), lambda m: m.MinMaxNorm(0.5, 1.0, 0.7),
                                  lambda m: m.MinMaxNorm(axis=1)])
def test_parity_with_keras(make):
    keras = pytest.importorskip("keras")
    ours, theirs = make(constraints), make(keras.constraints)
    np.testing.assert_allclose(ours(W).numpy(), np.asarray(theirs(W)), rtol=1e-5, atol=1e-6)
    assert constraints.serialize(ours) == keras.constraints.serialize(theirs)
