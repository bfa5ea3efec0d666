"""Split criteria, vectorised over every candidate split of a node.

A criterion turns each sample into a row of additive statistics (weighted class counts, weighted target
sums, ...). Cumulative sums of those rows along a sorted feature give the statistics of every left child at
once; the right child is the node total minus the left. From the statistics the criterion computes node
impurities, the proxy that the split search maximises, and node values.
"""
from __future__ import annotations

import math

import numpy as np

EPSILON = np.finfo(np.float64).eps


def gini(counts: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Gini impurity from class counts (last axis) and their total ``weight`` (NaN for empty nodes)."""
    return 1.0 - np.einsum("...k,...k->...", counts, counts) / (weight * weight)


class ClassificationCriterion:
    """Gini or entropy impurity from weighted class counts, averaged over outputs."""

    def __init__(self, name: str, n_outputs: int, n_classes: np.ndarray):
        self.name = name
        self.n_outputs = n_outputs
        self.max_n_classes = int(np.max(n_classes))

    def sample_stats(self, y: np.ndarray, sample_weight: np.ndarray) -> np.ndarray:
        """Rows of weighted one-hot class indicators, shape (n_samples, n_outputs * max_n_classes)."""
        n, k = y.shape[0], self.max_n_classes
        stats = np.zeros((n, self.n_outputs, k))
        rows = np.arange(n)
        for o in range(self.n_outputs):
            stats[rows, o, y[:, o].astype(np.intp)] = sample_weight
        return stats.reshape(n, -1)

    def impurity(self, stats: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """Impurity of nodes with class-count rows ``stats`` and total weights ``weight``.

        Callers run under ``np.errstate(divide="ignore", invalid="ignore")`` (empty children give NaN).
        """
        counts = stats.reshape(stats.shape[:-1] + (self.n_outputs, self.max_n_classes))
        w = np.asarray(weight)[..., None]
        if self.name == "gini":
            per_output = gini(counts, w)
        else:
            p = counts / w[..., None]
            per_output = -np.sum(np.where(counts > 0, p * np.log2(np.where(counts > 0, p, 1.0)), 0.0), axis=-1)
        if self.n_outputs == 1:
            return per_output[..., 0]
        return np.sum(per_output, axis=-1) / self.n_outputs

    def proxy(self, left: np.ndarray, w_left: np.ndarray, right: np.ndarray, w_right: np.ndarray) -> np.ndarray:
        if self.name == "gini" and self.n_outputs == 1:  # the common case, without reshapes
            return -w_right * gini(right, w_right) - w_left * gini(left, w_left)
        return -w_right * self.impurity(right, w_right) - w_left * self.impurity(left, w_left)

    def node_impurity(self, stats: np.ndarray, weight: float) -> float:
        """Impurity of one node (plain floats: a few classes); exactly 0 for a pure output."""
        k = self.max_n_classes
        values = stats.tolist()
        total = 0.0
        for o in range(self.n_outputs):
            counts = [c for c in values[o * k:(o + 1) * k] if c > 0]
            if len(counts) <= 1:
                continue
            if self.name == "gini":
                squares = 0.0
                for c in counts:
                    squares += c * c
                total += 1.0 - squares / (weight * weight)
            else:
                total -= sum(c / weight * math.log2(c / weight) for c in counts)
        return total / self.n_outputs

    def value(self, stats: np.ndarray, weight: float) -> np.ndarray:
        return stats.reshape(self.n_outputs, self.max_n_classes) / weight


class SquaredErrorCriterion:
    """Within-node variance of the targets, averaged over outputs."""

    def __init__(self, n_outputs: int):
        self.n_outputs = n_outputs
        self.n_proxy_stats = n_outputs  # the proxy reads the weighted target sums only

    def sample_stats(self, y: np.ndarray, sample_weight: np.ndarray) -> np.ndarray:
        wy = y * sample_weight[:, None]
        return np.hstack([wy, (wy * y).sum(axis=1, keepdims=True)])

    def impurity(self, stats: np.ndarray, weight: np.ndarray) -> np.ndarray:
        w = np.asarray(weight)
        means = stats[..., : self.n_outputs] / w[..., None]
        return (stats[..., -1] / w - np.sum(means * means, axis=-1)) / self.n_outputs

    def proxy(self, left: np.ndarray, w_left: np.ndarray, right: np.ndarray, w_right: np.ndarray) -> np.ndarray:
        k = self.n_outputs
        if k == 1:  # in place on two temporaries, the same operations as the formula
            sum_left, sum_right = left[..., 0], right[..., 0]
            proxy = sum_left * sum_left
            proxy /= w_left
            term = sum_right * sum_right
            term /= w_right
            proxy += term
            return proxy
        return np.sum(left[..., :k] ** 2, axis=-1) / w_left + np.sum(right[..., :k] ** 2, axis=-1) / w_right

    def value(self, stats: np.ndarray, weight: float) -> np.ndarray:
        return (stats[: self.n_outputs] / weight)[:, None]

    def node_impurity(self, stats: np.ndarray, weight: float) -> float:
        if self.n_outputs == 1 and weight != 0:  # plain floats, the same operations as ``impurity``
            total, squares = stats.tolist()
            mean = total / weight
            return float(squares / weight - mean * mean)
        return float(self.impurity(stats, np.float64(weight)))


class PoissonCriterion:
    """Half Poisson deviance ``sum(y log(y / mean)) / n``, averaged over outputs."""

    def __init__(self, n_outputs: int):
        self.n_outputs = n_outputs
        self.n_proxy_stats = n_outputs  # the proxy reads the weighted target sums only

    def sample_stats(self, y: np.ndarray, sample_weight: np.ndarray) -> np.ndarray:
        from scipy.special import xlogy

        w = sample_weight[:, None]
        return np.hstack([w * y, w * xlogy(y, y)])

    def impurity(self, stats: np.ndarray, weight: np.ndarray) -> np.ndarray:
        k = self.n_outputs
        sums, ylogy = stats[..., :k], stats[..., k:]
        w = np.asarray(weight)[..., None]
        with np.errstate(divide="ignore", invalid="ignore"):
            loss = ylogy - sums * np.log(sums / w)
            total = np.sum(loss, axis=-1) / (w[..., 0] * k)
        return np.where(np.any(sums <= EPSILON, axis=-1), np.inf, total)

    def proxy(self, left: np.ndarray, w_left: np.ndarray, right: np.ndarray, w_right: np.ndarray) -> np.ndarray:
        k = self.n_outputs
        sl, sr = left[..., :k], right[..., :k]
        with np.errstate(divide="ignore", invalid="ignore"):
            # scikit-learn's proxy uses log base 2; the base only rescales it
            proxy = np.sum(sl * np.log2(sl / w_left[..., None]) + sr * np.log2(sr / w_right[..., None]), axis=-1)
        bad = np.any(sl <= EPSILON, axis=-1) | np.any(sr <= EPSILON, axis=-1)
        return np.where(bad, -np.inf, proxy)

    def value(self, stats: np.ndarray, weight: float) -> np.ndarray:
        return (stats[: self.n_outputs] / weight)[:, None]

    def node_impurity(self, stats: np.ndarray, weight: float) -> float:
        return float(self.impurity(stats, np.float64(weight)))


class AbsoluteErrorCriterion:
    """Mean absolute deviation from the weighted median, averaged over outputs.

    Statistics are not additive here, so the search evaluates every prefix of the sorted samples directly
    (block-wise, quadratic in the node size).
    """

    def __init__(self, n_outputs: int):
        self.n_outputs = n_outputs

    def sample_stats(self, y: np.ndarray, sample_weight: np.ndarray) -> np.ndarray:
        return np.hstack([y, sample_weight[:, None]])

    def _cost(self, y: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Weighted absolute deviation from the weighted median of every prefix ``y[:p]``, p = 1..m."""
        m = y.shape[0]
        out = np.empty(m)
        block = max(1, 4_000_000 // max(m, 1))
        for start in range(0, m, block):
            p = np.arange(start + 1, min(m, start + block) + 1)
            inside = np.arange(m)[None, :] < p[:, None]
            vals = np.where(inside, y[None, :], np.inf)
            order = np.argsort(vals, axis=1, kind="stable")
            sv = np.take_along_axis(vals, order, axis=1)
            sw = np.where(inside, w[None, :], 0.0)
            sw = np.take_along_axis(sw, order, axis=1)
            cw = np.cumsum(sw, axis=1)
            med_pos = np.argmax(cw >= cw[:, -1:] / 2.0, axis=1)
            med = sv[np.arange(p.size), med_pos]
            dev = np.where(np.isfinite(sv), np.abs(sv - med[:, None]), 0.0)
            out[p - 1] = np.sum(sw * dev, axis=1)
        return out

    def split_impurities(self, stats_sorted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Impurities of the left (first p) and right (rest) children for p = 1..m-1."""
        k = self.n_outputs
        w = stats_sorted[:, k]
        cw = np.cumsum(w)
        rcw = np.cumsum(w[::-1])
        left = np.zeros(w.size - 1)
        right = np.zeros(w.size - 1)
        for o in range(k):
            y = stats_sorted[:, o]
            left += self._cost(y, w)[:-1]
            right += self._cost(y[::-1], w[::-1])[:-1][::-1]
        with np.errstate(divide="ignore", invalid="ignore"):
            return left / (cw[:-1] * k), right / (rcw[:-1][::-1] * k)

    def node_impurity(self, stats: np.ndarray) -> float:
        k = self.n_outputs
        w = stats[:, k]
        cost = sum(self._cost(stats[:, o], w)[-1] for o in range(k))
        return float(cost / (w.sum() * k))

    def value(self, stats: np.ndarray, weight: float) -> np.ndarray:
        k = self.n_outputs
        w = stats[:, k]
        medians = []
        for o in range(k):
            order = np.argsort(stats[:, o], kind="stable")
            y, cw = stats[order, o], np.cumsum(w[order])
            half = cw[-1] / 2.0
            i = int(np.searchsorted(cw, half))
            if np.isclose(cw[i], half) and i + 1 < y.size:
                medians.append((y[i] + y[i + 1]) / 2.0)
            else:
                medians.append(y[i])
        return np.asarray(medians)[:, None]


def make_criterion(name: str, n_outputs: int, n_classes: np.ndarray | None):
    if n_classes is not None:
        return ClassificationCriterion("gini" if name == "gini" else "entropy", n_outputs, n_classes)
    if name == "poisson":
        return PoissonCriterion(n_outputs)
    if name == "absolute_error":
        return AbsoluteErrorCriterion(n_outputs)
    return SquaredErrorCriterion(n_outputs)
