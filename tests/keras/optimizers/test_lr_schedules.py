"""Learning-rate schedules: values against NumPy formulas, errors, config, (de)serialization and Keras parity."""
import math

import numpy as np
import pytest

import ndflow as tf
from ndflow import keras

schedules = keras.optimizers.schedules
STEPS = [0, 1, 3, 5, 6, 10, 14, 15, 16, 25, 33, 40, 77]


def values(schedule, steps=STEPS):
    return np.array([float(schedule(tf.constant(s, tf.int64))) for s in steps])


def test_exponential_decay():
    np.testing.assert_allclose(values(schedules.ExponentialDecay(0.1, 10, 0.9)),
                               [0.1 * 0.9 ** (s / 10) for s in STEPS], rtol=1e-6)
    np.testing.assert_allclose(values(schedules.ExponentialDecay(0.1, 10, 0.9, staircase=True)),
                               [0.1 * 0.9 ** (s // 10) for s in STEPS], rtol=1e-6)


def test_piecewise_constant_decay():
    schedule = schedules.PiecewiseConstantDecay([5, 15], [1.0, 0.5, 0.1])
    np.testing.assert_allclose(values(schedule), [1.0 if s <= 5 else 0.5 if s <= 15 else 0.1 for s in STEPS])
    assert schedule(3).dtype == tf.float32


def test_polynomial_decay():
    np.testing.assert_allclose(values(schedules.PolynomialDecay(0.1, 20)),
                               [(0.1 - 1e-4) * (1 - min(s, 20) / 20) + 1e-4 for s in STEPS], rtol=1e-6)
    cycled = schedules.PolynomialDecay(0.1, 20, end_learning_rate=0.01, power=2.0, cycle=True)

    def expected(s):
        decay_steps = 20 * max(1, math.ceil(s / 20))
        return (0.1 - 0.01) * (1 - s / decay_steps) ** 2 + 0.01

    np.testing.assert_allclose(values(cycled), [expected(s) for s in STEPS], rtol=1e-6)


def test_inverse_time_decay():
    np.testing.assert_allclose(values(schedules.InverseTimeDecay(0.1, 10, 0.5)),
                               [0.1 / (1 + 0.5 * s / 10) for s in STEPS], rtol=1e-6)
    np.testing.assert_allclose(values(schedules.InverseTimeDecay(0.1, 10, 0.5, staircase=True)),
                               [0.1 / (1 + 0.5 * (s // 10)) for s in STEPS], rtol=1e-6)


def test_cosine_decay():
    def cosine(s, decay_steps, alpha, start):
        s = min(s, decay_steps)
        return start * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * s / decay_steps)) + alpha)

    np.testing.assert_allclose(values(schedules.CosineDecay(0.1, 30, alpha=0.1)),
                               [cosine(s, 30, 0.1, 0.1) for s in STEPS], rtol=1e-6)
    warm = schedules.CosineDecay(0.1, 30, alpha=0.1, warmup_target=0.5, warmup_steps=10)
    np.testing.assert_allclose(values(warm), [0.1 + 0.4 * s / 10 if s < 10 else cosine(s - 10, 30, 0.1, 0.5)
                                              for s in STEPS], rtol=1e-6)


def test_cosine_decay_restarts():
    def expected(s, first, t_mul, m_mul, alpha):
        period, start, restart = first, 0, 0
        while s >= start + period:
            start, period, restart = start + period, period * t_mul, restart + 1
        fraction = (s - start) / period
        return 0.1 * ((1 - alpha) * 0.5 * m_mul ** restart * (1 + math.cos(math.pi * fraction)) + alpha)

    for first, t_mul, m_mul, alpha in [(10, 2.0, 1.0, 0.0), (10, 1.0, 0.5, 0.05), (7, 1.5, 0.9, 0.0)]:
        schedule = schedules.CosineDecayRestarts(0.1, first, t_mul=t_mul, m_mul=m_mul, alpha=alpha)
        np.testing.assert_allclose(values(schedule), [expected(s, first, t_mul, m_mul, alpha) for s in STEPS],
                                   rtol=1e-5, atol=1e-7)


def test_schedules_accept_python_steps_and_run_traced():
    schedule = schedules.CosineDecay(0.1, 30, warmup_target=0.2, warmup_steps=5)
    traced = tf.function(lambda step: schedule(step))
    for step in [0, 3, 8, 40]:
        assert float(traced(tf.constant(step, tf.int64))) == float(schedule(step))


@pytest.mark.parametrize("make,argument", [
    (lambda: schedules.ExponentialDecay(0.1, 0, 0.9), "decay_steps"),
    (lambda: schedules.PolynomialDecay(0.1, -1), "decay_steps"),
    (lambda: schedules.InverseTimeDecay(0.1, 0, 0.5), "decay_steps"),
    (lambda: schedules.CosineDecay(0.1, 0), "decay_steps"),
    (lambda: schedules.CosineDecayRestarts(0.1, 0), "first_decay_steps")])
def test_steps_must_be_positive(make, argument):
    with pytest.raises(ValueError, match=f"Argument `{argument}` must be > 0"):
        make()


def test_piecewise_lengths_must_match():
    with pytest.raises(ValueError, match="The length of boundaries should be 1 less than the length of values"):
        schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2])


def test_base_class_must_be_overridden():
    class Incomplete(schedules.LearningRateSchedule):
        pass

    with pytest.raises(NotImplementedError, match="must override `__call__"):
        Incomplete()(1)
    with pytest.raises(NotImplementedError, match="must override `get_config"):
        Incomplete().get_config()


ALL = [schedules.ExponentialDecay(0.1, 10, 0.9, staircase=True),
       schedules.PiecewiseConstantDecay([5, 15], [1.0, 0.5, 0.1]),
       schedules.PolynomialDecay(0.1, 20, cycle=True), schedules.InverseTimeDecay(0.1, 10, 0.5),
       schedules.CosineDecay(0.1, 30, warmup_target=0.2, warmup_steps=3),
       schedules.CosineDecayRestarts(0.1, 10, t_mul=1.5)]


@pytest.mark.parametrize("schedule", ALL, ids=lambda s: type(s).__name__)
def test_serialize_round_trip(schedule):
    config = schedules.serialize(schedule)
    assert config["module"] == "keras.optimizers.schedules"
    assert config["class_name"] == type(schedule).__name__ and config["registered_name"] is None
    restored = schedules.deserialize(config)
    assert type(restored) is type(schedule) and restored.get_config() == schedule.get_config()
    np.testing.assert_array_equal(values(restored), values(schedule))


def test_deserialize_custom_and_unknown():
    class Constant(schedules.LearningRateSchedule):
        def __init__(self, rate):
            self.rate = rate

        def __call__(self, step):
            return tf.constant(self.rate)

        def get_config(self):
            return {"rate": self.rate}

    config = schedules.serialize(Constant(0.3))
    assert config["registered_name"] == "Constant"
    assert schedules.deserialize(config, custom_objects={"Constant": Constant}).rate == 0.3
    with pytest.raises(ValueError, match="Unknown decay: 'Constant'"):
        schedules.deserialize(config)


@pytest.mark.parity
@pytest.mark.parametrize("schedule", ALL + [schedules.CosineDecay(0.1, 30, alpha=0.2),
                                            schedules.CosineDecayRestarts(0.1, 10, m_mul=0.5, alpha=0.1)],
                         ids=lambda s: type(s).__name__)
def test_values_and_config_match_keras(schedule):
    real = pytest.importorskip("keras")
    import tensorflow

    theirs = getattr(real.optimizers.schedules, type(schedule).__name__).from_config(schedule.get_config())
    expected = [float(theirs(tensorflow.constant(s, tensorflow.int64))) for s in STEPS]
    np.testing.assert_allclose(values(schedule), expected, rtol=1e-6, atol=1e-8)
    assert real.optimizers.schedules.serialize(theirs) == schedules.serialize(schedule)
