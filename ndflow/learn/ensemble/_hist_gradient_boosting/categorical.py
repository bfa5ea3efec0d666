"""Categorical features: which columns are categorical, their ordinal codes, and the split search on them.

Categories are coded ``0 .. k-1`` in sorted order (missing and unknown values become NaN), so a category's
code is also its bin. A split sends a set of categories left: categories are ordered by their mean gradient
ratio ``G / (H + 10)`` (those with too little support are left out) and the best prefix, scanned from either
end up to the middle, is chosen (Fisher's grouping, as scikit-learn does).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ...preprocessing._encoders import _missing_masks

MIN_CAT_SUPPORT = 10.0


def check_categorical_features(X: Any, categorical_features: Any) -> np.ndarray | None:
    """Boolean mask of the categorical columns of ``X`` (None when there are none).

    ``categorical_features``: None, ``"from_dtype"`` (pandas ``category`` columns), a boolean mask, integer
    indices or feature names.
    """
    dtypes = getattr(X, "dtypes", None)
    is_frame = dtypes is not None and hasattr(X, "columns")
    by_dtype = isinstance(categorical_features, str) and categorical_features == "from_dtype"
    if categorical_features is None or (by_dtype and not is_frame):
        return None
    if by_dtype:
        spec = np.asarray([getattr(d, "name", "") == "category" for d in dtypes])
    else:
        spec = np.asarray(categorical_features)
    if spec.size == 0:
        return None
    if spec.dtype.kind not in ("i", "b", "U", "O"):
        raise ValueError(f"categorical_features must be an array-like of bool, int or str, got: {spec.dtype.name}.")
    if spec.dtype.kind == "O":
        types = {type(f) for f in spec}
        if types != {str}:
            raise ValueError("categorical_features must be an array-like of bool, int or str, got: "
                             f"{', '.join(sorted(t.__name__ for t in types))}.")
    n_features = X.shape[1]
    if spec.dtype.kind in ("U", "O"):
        if not is_frame:
            raise ValueError("categorical_features should be passed as an array of integers or as a boolean mask "
                             "when the model is fitted on data without feature names.")
        names = list(X.columns)
        mask = np.zeros(n_features, dtype=bool)
        for name in spec:
            if name not in names:
                raise ValueError(f"categorical_features has an item value '{name}' which is not a valid feature "
                                 f"name of the training data. Observed feature names: {names}")
            mask[names.index(name)] = True
    elif spec.dtype.kind == "i":
        if np.max(spec) >= n_features or np.min(spec) < 0:
            raise ValueError("categorical_features set as integer indices must be in [0, n_features - 1]")
        mask = np.zeros(n_features, dtype=bool)
        mask[spec] = True
    else:
        if spec.shape[0] != n_features:
            raise ValueError(f"categorical_features set as a boolean mask must have shape (n_features,), got: "
                             f"{spec.shape}")
        mask = spec
    return mask if np.any(mask) else None


def _missing(column: np.ndarray) -> np.ndarray:
    is_none, is_nan = _missing_masks(column)
    return is_none | is_nan


class CategoricalEncoder:
    """Codes the categories of some columns ``0 .. k-1`` (sorted); missing and unseen values become NaN."""

    def fit(self, columns: list[np.ndarray]) -> CategoricalEncoder:
        self.categories_ = [np.unique(col[~_missing(col)]) for col in columns]
        return self

    def transform(self, columns: list[np.ndarray]) -> np.ndarray:
        out = np.full((len(columns[0]) if columns else 0, len(columns)), np.nan)
        for j, (col, cats) in enumerate(zip(columns, self.categories_)):
            present = np.flatnonzero(~_missing(col))
            if cats.dtype.kind in "biuf" and col.dtype.kind in "biuf":
                values = col[present]
                codes = np.minimum(np.searchsorted(cats, values), max(cats.size - 1, 0))
                known = cats[codes] == values if cats.size else np.zeros(values.size, dtype=bool)
                out[present[known], j] = codes[known]
            else:  # object columns (strings, mixed Python values): look each value up
                index = {category: i for i, category in enumerate(cats.tolist())}
                out[present, j] = [index.get(value, np.nan) for value in col[present].tolist()]
        return out


def best_categorical_split(hist_f: np.ndarray, used_bins: np.ndarray, n_samples: int, sum_gradients: float,
                           sum_hessians: float, parent_loss: float, *, constant_hessian: bool, min_samples_leaf: int,
                           min_hessian: float, l2: float) -> tuple[float, np.ndarray | None, float, float, int]:
    """Best category split of one feature of a node.

    Args:
        hist_f: the feature's histogram rows (gradients, [hessians,] counts) over all bins.
        used_bins: the bins that are categories of this feature (non-missing ones, then the missing bin).

    Returns:
        ``(gain, left_bins, g_left, h_left, n_left)``; ``left_bins`` is None (gain −1) when no split is valid.
    """
    grads, counts = hist_f[0, used_bins], hist_f[-1, used_bins]
    hess = counts if constant_hessian else hist_f[1, used_bins]
    supported = hess * (n_samples / sum_hessians) >= MIN_CAT_SUPPORT
    bins, grads, hess, counts = used_bins[supported], grads[supported], hess[supported], counts[supported]
    n_used = bins.size
    if n_used <= 1:
        return -1.0, None, 0.0, 0.0, 0
    order = np.argsort(grads / (hess + MIN_CAT_SUPPORT), kind="stable")
    best = (-1.0, None, 0.0, 0.0, 0)
    for direction in (1, -1):
        middle = (n_used + 1) // 2 - (0 if direction == 1 else 1)
        if middle <= 0:
            continue
        scan = order[:middle] if direction == 1 else order[::-1][:middle]
        g_left, h_left, n_left = np.cumsum(grads[scan]), np.cumsum(hess[scan]), np.cumsum(counts[scan])
        g_right, h_right, n_right = sum_gradients - g_left, sum_hessians - h_left, n_samples - n_left
        valid = (n_left >= min_samples_leaf) & (h_left >= min_hessian) & (n_right >= min_samples_leaf) \
            & (h_right >= min_hessian)
        with np.errstate(divide="ignore", invalid="ignore"):
            gain = parent_loss - g_left * (-g_left / (h_left + l2 + 1e-15))
            gain -= g_right * (-g_right / (h_right + l2 + 1e-15))
        gain = np.where(valid & (gain > 0), gain, -np.inf)
        i = int(np.argmax(gain))
        if gain[i] > best[0]:
            left = np.zeros(hist_f.shape[-1], dtype=bool)
            left[bins[scan[:i + 1]]] = True
            best = (float(gain[i]), left, float(g_left[i]), float(h_left[i]), int(n_left[i]))
    return best
