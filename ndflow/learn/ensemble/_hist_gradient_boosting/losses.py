"""Losses of the histogram gradient boosting estimators, written on raw predictions of shape (n, K).

Each loss gives its pointwise value (the "half" deviances scikit-learn uses, without constant terms), the
gradient and hessian with respect to the raw prediction, the intercept-only baseline and the inverse link.
Losses that are not differentiable (absolute error, quantile) re-fit their leaf values after each tree.
"""
from __future__ import annotations

import numpy as np
from scipy.special import expit, log_expit

from .._gradient_boosting import _softmax, _weighted_percentile

_EPS = np.finfo(np.float64).eps


class Loss:
    """Base loss on raw predictions ``raw`` of shape (n, K); ``y`` is 1-D float64."""

    differentiable = True
    constant_hessian = False  # the hessian is 1 everywhere (without sample weights)
    n_outputs = 1

    def pointwise(self, y: np.ndarray, raw: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, y: np.ndarray, raw: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
        """Mean (weighted) loss."""
        return float(np.average(self.pointwise(y, raw), weights=sample_weight))

    def gradient_hessian(self, y: np.ndarray, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def baseline(self, y: np.ndarray, sample_weight: np.ndarray | None) -> np.ndarray:
        """Raw prediction of the best constant model, shape (K,)."""
        mean = np.average(y, weights=sample_weight)
        return np.atleast_1d(self.link(self._clip_mean(mean)))

    def _clip_mean(self, mean: float) -> float:
        return mean

    def link(self, mean):
        return mean

    def inverse_link(self, raw: np.ndarray) -> np.ndarray:
        return raw


class SquaredError(Loss):
    """Half squared error ``(y - raw)² / 2``."""

    constant_hessian = True

    def pointwise(self, y, raw):
        return 0.5 * (y - raw[:, 0]) ** 2

    def gradient_hessian(self, y, raw):
        return (raw[:, 0] - y)[:, None], np.ones((y.size, 1))


class AbsoluteError(Loss):
    """Absolute error; leaves are re-fitted to the median of the residuals."""

    differentiable = False
    constant_hessian = True
    quantile = 0.5

    def pointwise(self, y, raw):
        return np.abs(y - raw[:, 0])

    def gradient_hessian(self, y, raw):
        return np.where(raw[:, 0] > y, 1.0, -1.0)[:, None], np.ones((y.size, 1))

    def baseline(self, y, sample_weight):
        if sample_weight is None:
            return np.array([np.median(y)])
        return np.array([_weighted_percentile(y, sample_weight, 50.0)])


class PinballLoss(AbsoluteError):
    """Pinball (quantile) loss; leaves are re-fitted to the ``quantile`` of the residuals."""

    def __init__(self, quantile: float):
        self.quantile = quantile

    def pointwise(self, y, raw):
        diff = y - raw[:, 0]
        return np.where(diff >= 0, self.quantile * diff, (self.quantile - 1.0) * diff)

    def gradient_hessian(self, y, raw):
        return np.where(y > raw[:, 0], -self.quantile, 1.0 - self.quantile)[:, None], np.ones((y.size, 1))

    def baseline(self, y, sample_weight):
        return np.array([_weighted_percentile(y, sample_weight, 100.0 * self.quantile)])


class _LogLink(Loss):
    def _clip_mean(self, mean):
        return np.clip(mean, 10 * _EPS, None)

    def link(self, mean):
        return np.log(mean)

    def inverse_link(self, raw):
        return np.exp(raw)


class PoissonLoss(_LogLink):
    """Half Poisson deviance ``exp(raw) − y·raw`` (constant terms dropped)."""

    def pointwise(self, y, raw):
        return np.exp(raw[:, 0]) - y * raw[:, 0]

    def gradient_hessian(self, y, raw):
        mu = np.exp(raw[:, 0])
        return (mu - y)[:, None], mu[:, None]


class GammaLoss(_LogLink):
    """Half Gamma deviance ``raw + y·exp(−raw)`` (constant terms dropped)."""

    def pointwise(self, y, raw):
        return raw[:, 0] + y * np.exp(-raw[:, 0])

    def gradient_hessian(self, y, raw):
        t = y * np.exp(-raw[:, 0])
        return (1.0 - t)[:, None], t[:, None]


class BinomialLoss(Loss):
    """Half binomial deviance (log loss) on the logit."""

    def pointwise(self, y, raw):
        return -log_expit(-raw[:, 0]) - y * raw[:, 0]  # log(1 + exp(raw)) − y·raw

    def gradient_hessian(self, y, raw):
        p = expit(raw[:, 0])
        return (p - y)[:, None], (p * (1.0 - p))[:, None]

    def _clip_mean(self, mean):
        return np.clip(mean, 10 * _EPS, 1 - 10 * _EPS)

    def link(self, mean):
        return np.log(mean / (1.0 - mean))

    def predict_proba(self, raw: np.ndarray) -> np.ndarray:
        p = expit(raw[:, 0])
        return np.column_stack([1.0 - p, p])


class MultinomialLoss(Loss):
    """Multinomial log loss on K raw scores (symmetric logit baseline)."""

    def __init__(self, n_classes: int):
        self.n_outputs = n_classes

    def pointwise(self, y, raw):
        m = raw.max(axis=1)
        lse = m + np.log(np.exp(raw - m[:, None]).sum(axis=1))
        return lse - raw[np.arange(raw.shape[0]), y.astype(np.intp)]

    def gradient_hessian(self, y, raw):
        p = _softmax(raw)
        onehot = y.astype(np.intp)[:, None] == np.arange(raw.shape[1])
        return p - onehot, p * (1.0 - p)

    def baseline(self, y, sample_weight):
        onehot = (y[:, None] == np.arange(self.n_outputs)).astype(np.float64)
        p = np.clip(np.average(onehot, axis=0, weights=sample_weight), _EPS, 1 - _EPS)
        log_p = np.log(p)
        return log_p - log_p.mean()

    def predict_proba(self, raw: np.ndarray) -> np.ndarray:
        return _softmax(raw)


def make_loss(name: str, *, n_classes: int = 1, quantile: float | None = None) -> Loss:
    """The loss object for a loss name of the estimators."""
    if name == "log_loss":
        return BinomialLoss() if n_classes <= 2 else MultinomialLoss(n_classes)
    if name == "quantile":
        return PinballLoss(quantile)
    return {"squared_error": SquaredError, "absolute_error": AbsoluteError, "poisson": PoissonLoss,
            "gamma": GammaLoss}[name]()
