"""Update rules of every optimizer against NumPy implementations written from the papers' formulas."""
import numpy as np
import pytest

import ndflow as tf
from ndflow import keras

RNG = np.random.default_rng(7)
SHAPES = [(3, 2), (2,)]
INIT = [RNG.normal(size=s).astype(np.float32) for s in SHAPES]
GRADS = [[RNG.normal(size=s).astype(np.float32) for s in SHAPES] for _ in range(5)]


def run(optimizer):
    variables = [tf.Variable(w) for w in INIT]
    for grads in GRADS:
        optimizer.apply_gradients(zip([tf.constant(g) for g in grads], variables))
    return [v.numpy() for v in variables]


def reference(step_fn, state_fn):
    """Runs ``step_fn(w, g, state, t)`` (t = 1, 2, …) in float64 for each variable."""
    out = []
    for i, w in enumerate(INIT):
        w = w.astype(np.float64)
        state = state_fn(w)
        for t, grads in enumerate(GRADS, start=1):
            w = step_fn(w, grads[i].astype(np.float64), state, t)
        out.append(w)
    return out


def check(optimizer, step_fn, state_fn=lambda w: {}, rtol=1e-5):
    for got, want in zip(run(optimizer), reference(step_fn, state_fn)):
        np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-6)


def zeros(*names):
    return lambda w: {n: np.zeros_like(w) for n in names}


def test_sgd():
    check(keras.optimizers.SGD(0.1), lambda w, g, s, t: w - 0.1 * g)


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum(nesterov):
    def step(w, g, s, t):
        s["v"] = 0.9 * s["v"] - 0.1 * g
        return w + (0.9 * s["v"] - 0.1 * g if nesterov else s["v"])

    check(keras.optimizers.SGD(0.1, momentum=0.9, nesterov=nesterov), step, zeros("v"))


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam(amsgrad):
    b1, b2, eps, lr = 0.9, 0.999, 1e-7, 0.01

    def step(w, g, s, t):
        s["m"] = b1 * s["m"] + (1 - b1) * g
        s["v"] = b2 * s["v"] + (1 - b2) * g * g
        s["vhat"] = np.maximum(s["vhat"], s["v"])
        v = s["vhat"] if amsgrad else s["v"]
        return w - lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t) * s["m"] / (np.sqrt(v) + eps)

    check(keras.optimizers.Adam(lr, amsgrad=amsgrad), step, zeros("m", "v", "vhat"))


def test_adamw_decays_before_the_adam_step():
    b1, b2, eps, lr, wd = 0.9, 0.999, 1e-7, 0.01, 0.1

    def step(w, g, s, t):
        w = w - w * wd * lr
        s["m"] = b1 * s["m"] + (1 - b1) * g
        s["v"] = b2 * s["v"] + (1 - b2) * g * g
        return w - lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t) * s["m"] / (np.sqrt(s["v"]) + eps)

    check(keras.optimizers.AdamW(lr, weight_decay=wd), step, zeros("m", "v"))


def test_adagrad():
    def step(w, g, s, t):
        s["acc"] = s["acc"] + g * g
        return w - 0.1 * g / np.sqrt(s["acc"] + 1e-7)

    check(keras.optimizers.Adagrad(0.1, initial_accumulator_value=0.2), step, lambda w: {"acc": np.full_like(w, 0.2)})


def test_adadelta():
    rho, eps, lr = 0.95, 1e-7, 1.0

    def step(w, g, s, t):
        s["eg"] = rho * s["eg"] + (1 - rho) * g * g
        dx = -np.sqrt(s["edx"] + eps) / np.sqrt(s["eg"] + eps) * g
        s["edx"] = rho * s["edx"] + (1 - rho) * dx * dx
        return w + lr * dx

    check(keras.optimizers.Adadelta(lr), step, zeros("eg", "edx"))


@pytest.mark.parametrize("momentum,centered", [(0.0, False), (0.5, False), (0.0, True), (0.5, True)])
def test_rmsprop(momentum, centered):
    rho, eps, lr = 0.9, 1e-7, 0.01

    def step(w, g, s, t):
        s["v"] = rho * s["v"] + (1 - rho) * g * g
        s["avg"] = rho * s["avg"] + (1 - rho) * g
        denominator = s["v"] - s["avg"] ** 2 + eps if centered else s["v"] + eps
        increment = lr * g / np.sqrt(denominator)
        s["mom"] = momentum * s["mom"] + increment
        return w - (s["mom"] if momentum else increment)

    check(keras.optimizers.RMSprop(lr, momentum=momentum, centered=centered), step, zeros("v", "avg", "mom"))


def test_adamax():
    b1, b2, eps, lr = 0.9, 0.999, 1e-7, 0.01

    def step(w, g, s, t):
        s["m"] = b1 * s["m"] + (1 - b1) * g
        s["u"] = np.maximum(b2 * s["u"], np.abs(g))
        return w - lr * s["m"] / ((1 - b1 ** t) * (s["u"] + eps))

    check(keras.optimizers.Adamax(lr), step, zeros("m", "u"))


def test_nadam():
    b1, b2, eps, lr = 0.9, 0.999, 1e-7, 0.01

    def mu(t):
        return b1 * (1 - 0.5 * 0.96 ** t)

    def step(w, g, s, t):
        s["m"] = b1 * s["m"] + (1 - b1) * g
        s["v"] = b2 * s["v"] + (1 - b2) * g * g
        product = np.prod([mu(i) for i in range(1, t + 1)])
        m_hat = mu(t + 1) * s["m"] / (1 - product * mu(t + 1)) + (1 - mu(t)) * g / (1 - product)
        return w - lr * m_hat / (np.sqrt(s["v"] / (1 - b2 ** t)) + eps)

    check(keras.optimizers.Nadam(lr), step, zeros("m", "v"))


def test_ftrl():
    lr, l1, l2, shrink, beta = 0.1, 0.01, 0.02, 0.03, 0.5

    def step(w, g, s, t):
        shrunk = g + 2 * shrink * w
        new_n = s["n"] + g * g
        s["z"] = s["z"] + shrunk - (np.sqrt(new_n) - np.sqrt(s["n"])) / lr * w
        s["n"] = new_n
        quadratic = np.sqrt(new_n) / lr + 2 * (l2 + beta / (2 * lr))
        return np.where(np.abs(s["z"]) > l1, (np.sign(s["z"]) * l1 - s["z"]) / quadratic, 0.0)

    optimizer = keras.optimizers.Ftrl(lr, l1_regularization_strength=l1, l2_regularization_strength=l2,
                                      l2_shrinkage_regularization_strength=shrink, beta=beta)
    check(optimizer, step, lambda w: {"n": np.full_like(w, 0.1), "z": np.zeros_like(w)})


def test_lion():
    b1, b2, lr = 0.9, 0.99, 0.01

    def step(w, g, s, t):
        update = np.sign(b1 * s["m"] + (1 - b1) * g)
        s["m"] = b2 * s["m"] + (1 - b2) * g
        return w - lr * update

    check(keras.optimizers.Lion(lr), step, zeros("m"))


def test_optimizers_accept_float64_variables():
    variable = tf.Variable(np.array([1.0, -2.0]))
    optimizer = keras.optimizers.Adam(0.1)
    optimizer.apply([tf.constant([0.5, 0.5], dtype=tf.float64)], [variable])
    assert variable.dtype == tf.float64
    assert optimizer.variables[2].dtype == tf.float64
    # the first Adam step moves each weight by about lr (the hyperparameters pass through float32, as in TF)
    np.testing.assert_allclose(variable.numpy(), [0.9, -2.1], rtol=1e-5)


def test_lion_rejects_beta_1_out_of_range():
    with pytest.raises(ValueError, match="`beta_1` must be in the \\[0, 1\\] range"):
        keras.optimizers.Lion(beta_1=0.0)


@pytest.mark.parametrize("kwargs,argument", [
    ({"initial_accumulator_value": -1.0}, "initial_accumulator_value"),
    ({"l1_regularization_strength": -1.0}, "l1_regularization_strength"),
    ({"l2_regularization_strength": -1.0}, "l2_regularization_strength"),
    ({"l2_shrinkage_regularization_strength": -1.0}, "l2_shrinkage_regularization_strength")])
def test_ftrl_rejects_negative_strengths(kwargs, argument):
    with pytest.raises(ValueError, match=f"`{argument}` needs to be positive or zero"):
        keras.optimizers.Ftrl(**kwargs)


def test_ftrl_rejects_positive_power():
    with pytest.raises(ValueError, match="`learning_rate_power` needs to be negative or zero"):
        keras.optimizers.Ftrl(learning_rate_power=0.5)


@pytest.mark.parametrize("momentum", [-0.1, 1.5, 1])
def test_sgd_rejects_bad_momentum(momentum):
    with pytest.raises(ValueError, match=r"`momentum` must be a float between \[0, 1\]."):
        keras.optimizers.SGD(momentum=momentum)


def test_adamw_requires_weight_decay():
    with pytest.raises(ValueError, match="Argument `weight_decay` must be a float. Received: weight_decay=None"):
        keras.optimizers.AdamW(weight_decay=None)
