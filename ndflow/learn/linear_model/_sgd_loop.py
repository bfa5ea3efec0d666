"""The plain stochastic-gradient loop shared by ``SGDClassifier``, ``SGDRegressor`` and ``Perceptron``.

One update per sample, in scikit-learn's order: the epoch permutation comes from the same xorshift
generator and seeds, so fitted weights match scikit-learn's to rounding. The loop is inherently
sequential; each step is a handful of scalar operations and one vector update.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["LOSSES", "SGDProblem", "plain_sgd", "epoch_permutation"]

_RAND_R_MAX = 0x7FFFFFFF
_MAX_DLOSS = 1e12


def _sequential_dot(a: np.ndarray, b: np.ndarray) -> float:
    """``a · b`` summed left to right with each product rounded, as scikit-learn's C loop does (BLAS ``ddot``
    may fuse multiply-adds or reorder the sum depending on the CPU, which changes SGD trajectories)."""
    return float(np.cumsum(a * b)[-1]) if a.size else 0.0


def _hinge(threshold):
    def loss(p, y):
        z = p * y
        return threshold - z if z <= threshold else 0.0

    def dloss(p, y):
        return -y if p * y <= threshold else 0.0

    return loss, dloss


def _squared_hinge(p, y):
    z = 1.0 - p * y
    return z * z if z > 0 else 0.0


def _squared_hinge_d(p, y):
    z = 1.0 - p * y
    return -2.0 * y * z if z > 0 else 0.0


def _log(p, y):
    z = p * y
    if z > 18:
        return math.exp(-z)
    if z < -18:
        return -z
    return math.log1p(math.exp(-z))


def _log_d(p, y):
    z = p * y
    if z > 18.0:
        return -y * math.exp(-z)
    if z < -18.0:
        return -y
    return -y / (math.exp(z) + 1.0)


def _modified_huber(p, y):
    z = p * y
    if z >= 1.0:
        return 0.0
    if z >= -1.0:
        return (1.0 - z) * (1.0 - z)
    return -4.0 * z


def _modified_huber_d(p, y):
    z = p * y
    if z >= 1.0:
        return 0.0
    if z >= -1.0:
        return 2.0 * (1.0 - z) * -y
    return -4.0 * y


def _squared(p, y):
    return 0.5 * (p - y) * (p - y)


def _squared_d(p, y):
    return p - y


def _huber(c):
    def loss(p, y):
        r = abs(p - y)
        return 0.5 * r * r if r <= c else c * r - 0.5 * c * c

    def dloss(p, y):
        r = p - y
        if abs(r) <= c:
            return r
        return c if r > 0 else -c

    return loss, dloss


def _eps_insensitive(eps):
    def loss(p, y):
        return max(0.0, abs(y - p) - eps)

    def dloss(p, y):
        if y - p > eps:
            return -1.0
        if p - y > eps:
            return 1.0
        return 0.0

    return loss, dloss


def _squared_eps_insensitive(eps):
    def loss(p, y):
        r = max(0.0, abs(y - p) - eps)
        return r * r

    def dloss(p, y):
        z = y - p
        if z > eps:
            return -2.0 * (z - eps)
        if z < -eps:
            return 2.0 * (-z - eps)
        return 0.0

    return loss, dloss


LOSSES = {
    "hinge": lambda eps: _hinge(1.0),
    "perceptron": lambda eps: _hinge(0.0),
    "squared_hinge": lambda eps: (_squared_hinge, _squared_hinge_d),
    "log_loss": lambda eps: (_log, _log_d),
    "modified_huber": lambda eps: (_modified_huber, _modified_huber_d),
    "squared_error": lambda eps: (_squared, _squared_d),
    "huber": _huber,
    "epsilon_insensitive": _eps_insensitive,
    "squared_epsilon_insensitive": _squared_eps_insensitive,
}


def epoch_permutation(n: int, seed: int) -> np.ndarray:
    """The Fisher-Yates permutation scikit-learn's SGD applies to its sample order at every epoch.

    The generator is the 32-bit xorshift ``x ^= x << 13; x ^= x >> 17; x ^= x << 5`` reduced to 31 bits;
    the same seed is reused each epoch, so epoch ``e`` visits ``order_{e-1}[perm]``.
    """
    perm = list(range(n))
    s = int(seed) & 0xFFFFFFFF
    for i in range(n - 1):
        if s == 0:
            s = 1
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        j = i + (s % (_RAND_R_MAX + 1)) % (n - i)
        perm[i], perm[j] = perm[j], perm[i]
    return np.asarray(perm, dtype=np.intp)


@dataclass
class SGDProblem:
    """Everything one run of the loop needs (hyper-parameters already validated)."""

    X: np.ndarray
    y: np.ndarray
    sample_weight: np.ndarray
    loss: str
    epsilon: float
    penalty: str | None
    alpha: float
    l1_ratio: float
    learning_rate: str
    eta0: float
    power_t: float
    fit_intercept: bool
    max_iter: int
    tol: float | None
    shuffle: bool
    seed: int
    n_iter_no_change: int
    t: float
    average: int = 0
    weight_pos: float = 1.0
    weight_neg: float = 1.0
    validation_mask: np.ndarray | None = None
    validation_score: object = None
    avg_coef: np.ndarray | None = None
    avg_intercept: float = 0.0


def plain_sgd(prob: SGDProblem, coef: np.ndarray, intercept: float):
    """Runs SGD epochs until the objective (or validation score) stops improving.

    Returns:
        ``(coef, intercept, avg_coef, avg_intercept, n_epochs)``.
    """
    loss_fn, dloss_fn = LOSSES[prob.loss](prob.epsilon)
    X, y, sw = prob.X, prob.y, prob.sample_weight
    n = X.shape[0]
    alpha = prob.alpha
    l1_ratio = {"l2": 0.0, "l1": 1.0}.get(prob.penalty, prob.l1_ratio) if prob.penalty else 0.0
    use_l2 = prob.penalty in ("l2", "elasticnet")
    use_l1 = prob.penalty in ("l1", "elasticnet")
    regularised = prob.penalty is not None
    lr = prob.learning_rate
    eta0, power_t = prob.eta0, prob.power_t
    fit_intercept = prob.fit_intercept
    weight_pos, weight_neg = prob.weight_pos, prob.weight_neg
    average = int(prob.average)
    v = np.array(coef, dtype=np.float64)  # weights = wscale * v
    wscale = 1.0
    sq_norm = float(v @ v)
    b = float(intercept)
    avg_v = np.zeros_like(v) if prob.avg_coef is None else np.array(prob.avg_coef, dtype=np.float64)
    avg_b = float(prob.avg_intercept)
    q = np.zeros_like(v) if use_l1 else None
    u = 0.0
    t = prob.t
    mask = prob.validation_mask if prob.validation_mask is not None else np.zeros(n, dtype=bool)
    early_stopping = prob.validation_score is not None
    train_count = n - int(mask.sum())

    X = np.ascontiguousarray(X, dtype=np.float64)
    rows = list(X)
    row_sq = np.einsum("ij,ij->i", X, X).tolist()
    y_list, sw_list, mask_list = y.tolist(), sw.tolist(), mask.tolist()
    optimal_init = 0.0
    eta = eta0
    if lr == "optimal":
        typw = math.sqrt(1.0 / math.sqrt(alpha))
        initial_eta0 = typw / max(1.0, dloss_fn(-typw, 1.0))
        optimal_init = 1.0 / (initial_eta0 * alpha)
    perm = epoch_permutation(n, prob.seed) if prob.shuffle else None
    order = np.arange(n)
    best_objective, best_score = math.inf, -math.inf
    no_improvement = 0
    tol = -math.inf if prob.tol is None else prob.tol
    track_objective = not early_stopping
    l2_decay = (1.0 - l1_ratio) * alpha
    alpha_l2_half = alpha * (1 - l1_ratio) * 0.5
    is_optimal, is_invscaling = lr == "optimal", lr == "invscaling"
    has_validation, averaging = bool(mask.any()), average > 0
    epoch = 0
    for epoch in range(prob.max_iter):
        if perm is not None:
            order = order[perm]
        objective_sum = 0.0
        for i in order.tolist():
            if has_validation and mask_list[i]:
                continue
            x = rows[i]
            yi = y_list[i]
            dot = _sequential_dot(v, x)
            p = dot * wscale + b
            if is_optimal:
                eta = 1.0 / (alpha * (optimal_init + t - 1))
            elif is_invscaling:
                eta = eta0 / t ** power_t
            if track_objective:
                objective_sum += loss_fn(p, yi)
                if regularised:
                    objective_sum += alpha_l2_half * sq_norm * wscale * wscale
                    if l1_ratio > 0:
                        objective_sum += alpha * l1_ratio * float(np.abs(v).sum()) * abs(wscale)
            dloss = dloss_fn(p, yi)
            if dloss > _MAX_DLOSS:
                dloss = _MAX_DLOSS
            elif dloss < -_MAX_DLOSS:
                dloss = -_MAX_DLOSS
            update = -eta * dloss * (weight_pos if yi > 0 else weight_neg) * sw_list[i]
            if use_l2:
                factor = 1.0 - eta * l2_decay
                wscale *= factor if factor > 0.0 else 0.0  # the shrinkage lives in the scale
                if wscale < 1e-9:
                    v *= wscale
                    sq_norm = float(v @ v)
                    dot = _sequential_dot(v, x)
                    wscale = 1.0
            if update != 0.0:
                c = update / wscale
                sq_norm += 2.0 * c * dot + c * c * row_sq[i]
                v += x * c  # product rounded before the add, as scikit-learn (BLAS daxpy may fuse them)
            if fit_intercept:
                b += update
            if averaging and average <= t:
                k = t - average + 1
                avg_v += (v * wscale - avg_v) / k
                avg_b += (b - avg_b) / k
            if use_l1:
                u += l1_ratio * eta * alpha
                z = v * wscale
                v = np.where(z > 0, np.maximum(0.0, v - (u + q) / wscale),
                             np.where(z < 0, np.minimum(0.0, v + (u - q) / wscale), v))
                q += v * wscale - z
                sq_norm = float(v @ v)
            t += 1
        weights = v * wscale
        if not (math.isfinite(b) and np.all(np.isfinite(weights))):
            raise ValueError(f"Floating-point under-/overflow occurred at epoch #{epoch + 1}. Scaling input "
                             "data with StandardScaler or MinMaxScaler might help.")
        if early_stopping:
            # scikit-learn scores the stored vector without its pending scale factor; do the same
            score = prob.validation_score(v, b)
            no_improvement = no_improvement + 1 if score < best_score + tol else 0
            best_score = max(best_score, score)
        else:
            objective = objective_sum / train_count
            no_improvement = no_improvement + 1 if objective > best_objective - tol else 0
            best_objective = min(best_objective, objective)
        if no_improvement >= prob.n_iter_no_change:
            if lr == "adaptive" and eta > 1e-6:
                eta /= 5
                no_improvement = 0
            else:
                break
    return v * wscale, b, avg_v, avg_b, epoch + 1
