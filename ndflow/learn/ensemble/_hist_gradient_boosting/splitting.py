"""Best split of a node from its histogram, searched over every bin of every feature in one go.

Like scikit-learn, bins are scanned left to right with missing values sent right, and, for features that
had missing values in training, right to left with missing values sent left; ties keep the first feature,
the first bin of the left-to-right scan and the last bin of the right-to-left scan.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .categorical import best_categorical_split


def node_value(sum_gradients, sum_hessians, l2_regularization):
    """Newton step ``−G / (H + λ)`` of a node."""
    return -sum_gradients / (sum_hessians + l2_regularization + 1e-15)


@dataclass
class SplitInfo:
    gain: float
    feature: int = -1
    bin_idx: int = -1
    missing_go_to_left: bool = False
    sum_gradient_left: float = 0.0
    sum_hessian_left: float = 0.0
    sum_gradient_right: float = 0.0
    sum_hessian_right: float = 0.0
    n_samples_left: int = 0
    n_samples_right: int = 0
    value_left: float = 0.0
    value_right: float = 0.0
    left_categories: np.ndarray | None = None  # categorical split: bins (categories) going left


class Splitter:
    """Finds the best split of a node given its histogram (rows: gradients, [hessians,] counts)."""

    def __init__(self, n_bins_non_missing: np.ndarray, has_missing_values: np.ndarray, n_bins: int, *,
                 min_samples_leaf: int = 20, l2_regularization: float = 0.0, min_hessian_to_split: float = 1e-3,
                 constant_hessian: bool = False, feature_fraction: float = 1.0, rng=None,
                 monotonic_cst: np.ndarray | None = None, is_categorical: np.ndarray | None = None):
        n_features = n_bins_non_missing.shape[0]
        bins = np.arange(n_bins - 1)
        # left-to-right candidates: bin b goes left with everything below it, missing values go right
        self.ltr_allowed = bins[None, :] < (n_bins_non_missing - 1 + has_missing_values)[:, None]
        # right-to-left candidates (features with missing values): missing values go left
        self.rtl_allowed = (bins[None, :] < (n_bins_non_missing - 1)[:, None]) & has_missing_values[:, None]
        self.any_missing = bool(np.any(has_missing_values))
        self.categorical_features = [] if is_categorical is None else [int(f) for f in np.flatnonzero(is_categorical)]
        # the bins that are categories of each categorical feature: its non-missing bins, then the missing bin
        self.category_bins = {f: np.append(np.arange(n_bins_non_missing[f]), [n_bins - 1] * int(has_missing_values[f]))
                              .astype(np.intp) for f in self.categorical_features}
        if self.categorical_features:  # their splits are searched apart
            self.ltr_allowed[self.categorical_features] = False
            self.rtl_allowed[self.categorical_features] = False
        self.n_features = n_features
        self.min_samples_leaf = min_samples_leaf
        self.l2 = l2_regularization
        self.constant_hessian = constant_hessian  # histograms have no hessian row: the counts stand for it
        self.min_hessian = min_hessian_to_split
        self.feature_fraction = feature_fraction
        self.rng = rng
        # +1 / −1: the value of the left child must not be above / below the right one (None: no constraint)
        self.monotonic_cst = None if monotonic_cst is None or not np.any(monotonic_cst) else \
            np.asarray(monotonic_cst, dtype=np.int8)[None, :, None]

    def _gains(self, g_left, h_left, n_left, G, H, N, parent_loss, invalid, bounds=None):
        """Loss reduction of every candidate, −inf where a constraint fails (``invalid``: excluded bins).

        Arrays are (n_nodes, n_features, n_bins − 1); ``G``, ``H``, ``N``, ``parent_loss`` are (n_nodes, 1, 1).
        ``bounds`` (lower, upper), if given, clip the children values (monotonic constraints).
        A gain that is not positive never wins: callers check the best one.
        """
        constant = h_left is n_left  # a constant hessian of 1: hessian sums are the counts
        g_right = G - g_left
        n_right = N - n_left
        h_right = n_right if constant else H - h_left
        invalid = invalid | (n_left < self.min_samples_leaf)
        invalid |= n_right < self.min_samples_leaf
        if not constant:
            invalid |= h_left < self.min_hessian
            invalid |= h_right < self.min_hessian
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if bounds is None:
                # parent − g·v_left − g·v_right with v = −g / (h + λ), written without the sign flips
                gain = self._half_step(g_left, h_left)
                gain += parent_loss
                gain += self._half_step(g_right, h_right)
            else:
                value_left = np.clip(node_value(g_left, h_left, self.l2), *bounds)
                value_right = np.clip(node_value(g_right, h_right, self.l2), *bounds)
                gain = parent_loss - g_left * value_left
                gain -= g_right * value_right
                if self.monotonic_cst is not None:
                    invalid |= (self.monotonic_cst == 1) & (value_left > value_right)
                    invalid |= (self.monotonic_cst == -1) & (value_left < value_right)
        np.copyto(gain, -np.inf, where=invalid)
        return gain

    def _half_step(self, g, h):
        """``g · (g / (h + λ + 1e-15))`` (= −g · node value), in the rounding order of the scalar formula."""
        if self.l2:
            denominator = h + self.l2
            denominator += 1e-15
        else:
            denominator = h + 1e-15
        np.divide(g, denominator, out=denominator)
        denominator *= g
        return denominator

    def find_node_splits(self, hist: np.ndarray, n_samples: list, sum_gradients: list, sum_hessians: list,
                         values: list, bounds: tuple[list, list] | None = None,
                         allowed_features: list | None = None) -> list[SplitInfo]:
        """Best split of each node (one vectorised search for all of them), in the order given.

        Args:
            hist: the nodes' histograms stacked, shape (n_nodes, n_rows, n_features, n_bins).
            bounds: per node, the lower and upper bounds of its children's values (monotonic constraints).
            allowed_features: per node, the sorted features it may split on (interaction constraints).
        """
        k = hist.shape[0]
        non_missing = hist[:, :, :, :-1]
        G = np.asarray(sum_gradients, dtype=np.float64).reshape(k, 1, 1)
        H = np.asarray(sum_hessians, dtype=np.float64).reshape(k, 1, 1)
        N = np.asarray(n_samples, dtype=np.float64).reshape(k, 1, 1)
        parent_loss = G * np.asarray(values, dtype=np.float64).reshape(k, 1, 1)
        excluded_ltr, excluded_rtl = ~self.ltr_allowed, ~self.rtl_allowed
        dropped = None
        if self.feature_fraction < 1.0 or allowed_features is not None:
            dropped = self._dropped_features(k, allowed_features)
            excluded_ltr, excluded_rtl = excluded_ltr | dropped, excluded_rtl | dropped
        if bounds is not None or self.monotonic_cst is not None:
            lower, upper = ([-np.inf] * k, [np.inf] * k) if bounds is None else bounds
            bounds = (np.asarray(lower, dtype=np.float64).reshape(k, 1, 1),
                      np.asarray(upper, dtype=np.float64).reshape(k, 1, 1))
        left = np.cumsum(non_missing, axis=3)
        g_l, n_l = left[:, 0], left[:, -1]
        ltr = self._gains(g_l, n_l if self.constant_hessian else left[:, 1], n_l, G, H, N, parent_loss, excluded_ltr,
                          bounds)
        n_candidates = ltr.shape[2]
        if not self.any_missing and not self.categorical_features:
            # row-major arg-max: the first feature with the best gain, then its first bin
            flat = np.argmax(ltr.reshape(k, -1), axis=1)
            return [self._split_info(node, left[node], float(G[node, 0, 0]), float(H[node, 0, 0]), n_samples[node],
                                     *divmod(int(flat[node]), n_candidates), float(ltr[node].flat[flat[node]]), False,
                                     bounds)
                    for node in range(k)]
        if self.any_missing:
            # right sums of bins b+1 .. last, accumulated from the right as the sequential scan does
            right = np.zeros_like(non_missing)
            right[..., :-1] = np.cumsum(non_missing[..., :0:-1], axis=3)[..., ::-1]
            n_r = right[:, -1]
            h_r = n_r if self.constant_hessian else right[:, 1]
            rtl = self._gains(G - right[:, 0], H - h_r, N - n_r, G, H, N, parent_loss, excluded_rtl, bounds)
        splits = []
        rows = np.arange(self.n_features)
        for node in range(k):
            best_ltr_bin = np.argmax(ltr[node], axis=1)
            best = ltr[node, rows, best_ltr_bin]
            rtl_wins = np.zeros(self.n_features, dtype=bool)
            if self.any_missing:
                last = n_candidates - 1 - np.argmax(rtl[node, :, ::-1], axis=1)
                best_rtl = rtl[node, rows, last]
                rtl_wins = best_rtl > best
                best = np.where(rtl_wins, best_rtl, best)
            categorical = {}
            for f in self.categorical_features:
                if dropped is not None and dropped[node, f, 0]:
                    continue
                categorical[f] = best_categorical_split(
                    hist[node, :, f], self.category_bins[f], n_samples[node], G[node, 0, 0], H[node, 0, 0],
                    parent_loss[node, 0, 0], constant_hessian=self.constant_hessian,
                    min_samples_leaf=self.min_samples_leaf, min_hessian=self.min_hessian, l2=self.l2)
                best[f] = categorical[f][0] if categorical[f][1] is not None else -np.inf
            feature = int(np.argmax(best))
            G_n, H_n = float(G[node, 0, 0]), float(H[node, 0, 0])
            if feature in categorical:
                splits.append(self._categorical_info(node, feature, categorical[feature], G_n, H_n, n_samples[node]))
            elif rtl_wins[feature]:
                splits.append(self._split_info(node, right[node], G_n, H_n, n_samples[node], feature,
                                               int(last[feature]), float(best[feature]), True, bounds))
            else:
                splits.append(self._split_info(node, left[node], G_n, H_n, n_samples[node], feature,
                                               int(best_ltr_bin[feature]), float(best[feature]), False, bounds))
        return splits

    def _categorical_info(self, node, feature, found, G, H, N) -> SplitInfo:
        gain, left_bins, g_l, h_l, n_l = found
        if left_bins is None:
            return SplitInfo(gain=-1.0)
        g_r, h_r, n_r = G - g_l, H - h_l, N - n_l
        value_l, value_r = node_value(g_l, h_l, self.l2), node_value(g_r, h_r, self.l2)
        missing_left = bool(left_bins[-1]) if self.category_bins[feature][-1] == left_bins.size - 1 else False
        return SplitInfo(gain, feature, 0, missing_left, g_l, h_l, g_r, h_r, n_l, n_r, float(value_l),
                         float(value_r), left_bins)

    def _dropped_features(self, k: int, allowed_features: list | None) -> np.ndarray:
        """(k, n_features, 1) mask of the features each node may not split on: outside its interaction
        constraints, or not drawn in the ``feature_fraction`` subsample (drawn among the allowed ones)."""
        dropped = np.ones((k, self.n_features, 1), dtype=bool)
        for node in range(k):
            allowed = np.arange(self.n_features) if allowed_features is None else allowed_features[node]
            if self.feature_fraction < 1.0:
                kept = np.zeros(allowed.size, dtype=bool)
                kept[:max(1, int(np.ceil(self.feature_fraction * allowed.size)))] = True
                self.rng.shuffle(kept)
                allowed = allowed[kept]
            dropped[node, allowed] = False
        return dropped

    def _split_info(self, node, sums, G, H, N, feature, bin_idx, gain, missing_go_to_left, bounds) -> SplitInfo:
        """SplitInfo of a chosen candidate; ``sums`` are the cumulated sums of the side that was scanned and
        ``bounds`` the (lower, upper) arrays clipping the children values, if any."""
        if not gain > 0:
            return SplitInfo(gain=-1.0)
        g, n = sums[0, feature, bin_idx], sums[-1, feature, bin_idx]
        h = n if self.constant_hessian else sums[1, feature, bin_idx]
        if missing_go_to_left:  # right-to-left scan: the sums are those of the right child
            g_r, h_r, n_r = g, h, n
            g_l, h_l, n_l = G - g_r, H - h_r, N - n_r
        else:
            g_l, h_l, n_l = g, h, n
            g_r, h_r, n_r = G - g_l, H - h_l, N - n_l
        value_l, value_r = node_value(g_l, h_l, self.l2), node_value(g_r, h_r, self.l2)
        if bounds is not None:
            lower, upper = bounds[0][node, 0, 0], bounds[1][node, 0, 0]
            value_l, value_r = min(max(value_l, lower), upper), min(max(value_r, lower), upper)
        return SplitInfo(gain, feature, bin_idx, missing_go_to_left, float(g_l), float(h_l), float(g_r), float(h_r),
                         int(n_l), int(n_r), float(value_l), float(value_r))
