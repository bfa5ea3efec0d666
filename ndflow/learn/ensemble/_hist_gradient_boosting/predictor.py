"""A fitted tree as flat node arrays, predicting on raw features or on bin codes level by level."""
from __future__ import annotations

import numpy as np


class TreePredictor:
    """Node arrays of one tree: ``feature``, ``num_threshold`` (raw value), ``bin_threshold``,
    ``missing_go_to_left``, ``left``/``right`` child ids, ``is_leaf``, ``value`` and ``count``; categorical
    splits keep the categories going left as rows of ``left_categories`` (``category_row`` per node, −1 when
    the split is numeric). Categories are coded ``0 .. k-1`` both raw and binned."""

    def __init__(self, nodes: list):
        self.nodes = nodes
        self.feature = np.array([n["feature"] for n in nodes], dtype=np.intp)
        self.num_threshold = np.array([n["num_threshold"] for n in nodes], dtype=np.float64)
        self.bin_threshold = np.array([n["bin_threshold"] for n in nodes], dtype=np.intp)
        self.missing_go_to_left = np.array([n["missing_go_to_left"] for n in nodes], dtype=bool)
        self.left = np.array([n["left"] for n in nodes], dtype=np.intp)
        self.right = np.array([n["right"] for n in nodes], dtype=np.intp)
        self.is_leaf = np.array([n["is_leaf"] for n in nodes], dtype=bool)
        self.value = np.array([n["value"] for n in nodes], dtype=np.float64)
        self.count = np.array([n["count"] for n in nodes], dtype=np.intp)
        categorical = [n["left_categories"] for n in nodes if n.get("left_categories") is not None]
        self.category_row = np.full(len(nodes), -1, dtype=np.intp)
        self.category_row[[i for i, n in enumerate(nodes) if n.get("left_categories") is not None]] = \
            np.arange(len(categorical))
        self.left_categories = np.array(categorical, dtype=bool) if categorical else None

    def _category_goes_left(self, at: np.ndarray, values: np.ndarray, numeric_left: np.ndarray) -> np.ndarray:
        """``numeric_left`` with the decisions of the categorical splits among nodes ``at`` replaced (``values``:
        the category codes there; NaN is decided by the caller)."""
        if self.left_categories is None:
            return numeric_left
        row = self.category_row[at]
        categorical = row >= 0
        if categorical.any():
            codes = values[categorical]
            codes = np.where(codes != codes, 0, codes).astype(np.intp)  # NaN rows are overridden later
            numeric_left = numeric_left.copy()
            numeric_left[categorical] = self.left_categories[row[categorical], codes]
        return numeric_left

    def get_n_leaf_nodes(self) -> int:
        return int(self.is_leaf.sum())

    def get_max_depth(self) -> int:
        return max(n["depth"] for n in self.nodes)

    def _leaves(self, n_samples: int, go_left) -> np.ndarray:
        """Leaf id of every sample; ``go_left(rows, nodes)`` says which of ``rows`` go left at ``nodes``."""
        node = np.zeros(n_samples, dtype=np.intp)
        active = np.arange(n_samples)
        while active.size:
            at = node[active]
            inner = ~self.is_leaf[at]
            active, at = active[inner], at[inner]
            if not active.size:
                break
            node[active] = np.where(go_left(active, at), self.left[at], self.right[at])
        return node

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Values for raw features ``X`` (n_samples, n_features); NaN follows ``missing_go_to_left``."""
        def go_left(rows, at):
            x = X[rows, self.feature[at]]
            missing = np.isnan(x)
            left = self._category_goes_left(at, x, x <= self.num_threshold[at])
            return np.where(missing, self.missing_go_to_left[at], left)
        return self.value[self._leaves(X.shape[0], go_left)]

    def predict_binned(self, X_binned: np.ndarray, missing_bin: int) -> np.ndarray:
        """Values for feature-major bin codes ``X_binned`` (n_features, n_samples)."""
        def go_left(rows, at):
            code = X_binned[self.feature[at], rows]
            left = self._category_goes_left(at, code, code <= self.bin_threshold[at])
            return np.where(code == missing_bin, self.missing_go_to_left[at], left)
        return self.value[self._leaves(X_binned.shape[1], go_left)]
