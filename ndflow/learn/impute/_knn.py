"""Imputation from the k nearest neighbours under the NaN-aware Euclidean distance."""

from __future__ import annotations

import numbers

import numpy as np

from ..._core.backend import get_namespace
from ..preprocessing._utils import (
    FLOAT_DTYPES,
    InvalidParameterError,
    check_option,
    sklearn_tags_hook,
    wrap_output,
)
from ..utils.validation import _check_feature_names_in, check_is_fitted
from ._base import _BaseImputer, missing_mask, validate_missing

__all__ = ["KNNImputer", "nan_euclidean_distances"]


def nan_euclidean_distances(
    X: np.ndarray, Y: np.ndarray, *, missing_X: np.ndarray, missing_Y: np.ndarray
) -> np.ndarray:
    """Euclidean distances over the coordinates present in both rows, scaled up by
    ``n_features / n_present``; NaN where two rows share no present coordinate.
    """
    xp = get_namespace(X, Y)
    present_X = (~missing_X).astype(np.float64)
    present_Y = (~missing_Y).astype(np.float64)
    Xz = xp.where(missing_X, 0.0, X)
    Yz = xp.where(missing_Y, 0.0, Y)
    squared = (Xz * Xz) @ present_Y.T - 2.0 * (Xz @ Yz.T) + present_X @ (Yz * Yz).T
    shared = present_X @ present_Y.T
    with np.errstate(divide="ignore", invalid="ignore"):
        squared = xp.maximum(squared, 0.0) * X.shape[1] / shared
    squared[shared == 0] = np.nan
    return xp.sqrt(squared)


class KNNImputer(_BaseImputer):
    """Fills each missing entry with the (weighted) mean of that feature over the ``n_neighbors`` nearest
    training rows that have it.
    """

    _update_sklearn_tags = sklearn_tags_hook(allow_nan=True)

    def __init__(
        self,
        *,
        missing_values=np.nan,
        n_neighbors: int = 5,
        weights="uniform",
        metric: str = "nan_euclidean",
        copy: bool = True,
        add_indicator: bool = False,
        keep_empty_features: bool = False,
    ):
        self.missing_values = missing_values
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.metric = metric
        self.copy = copy
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    def fit(self, X, y=None) -> KNNImputer:
        """Stores the training rows used as donors.

        Raises:
            ValueError: invalid parameters.
        """
        if not (isinstance(self.n_neighbors, numbers.Integral) and self.n_neighbors >= 1):
            raise InvalidParameterError(
                "The 'n_neighbors' parameter of KNNImputer must be an int in the range [1, inf). Got "
                f"{self.n_neighbors!r} instead."
            )
        if not callable(self.weights):
            check_option(self, "weights", self.weights, ("uniform", "distance"))
        if callable(self.metric) or self.metric != "nan_euclidean":
            raise NotImplementedError("KNNImputer with a metric other than 'nan_euclidean' is not supported yet")
        X = validate_missing(self, X, reset=True, dtype=FLOAT_DTYPES, copy=self.copy)
        self._fit_X = X
        self._mask_fit_X = missing_mask(X, self.missing_values)
        self._valid_mask = ~self._mask_fit_X.all(axis=0)
        self._fit_indicator(X)
        return self

    def _weights(self, distances: np.ndarray) -> np.ndarray:
        if self.weights == "uniform":
            weights = np.ones_like(distances)
        elif self.weights == "distance":
            with np.errstate(divide="ignore"):
                weights = 1.0 / distances
            exact = np.isinf(weights)
            rows = exact.any(axis=1)
            weights[rows] = exact[rows]
        else:
            weights = np.asarray(self.weights(distances), dtype=np.float64)
        weights[np.isnan(distances)] = 0.0
        return weights

    def transform(self, X):
        """Returns ``X`` with missing entries imputed (columns missing throughout ``fit`` are dropped)."""
        check_is_fitted(self)
        X_in = X
        X = validate_missing(self, X, reset=False, dtype=FLOAT_DTYPES, copy=True)
        mask = missing_mask(X, self.missing_values)
        indicator = self.indicator_.transform(X) if self.add_indicator else None
        valid = self._valid_mask
        fit_X, fit_mask = self._fit_X, self._mask_fit_X
        receivers = np.flatnonzero(mask[:, valid].any(axis=1))
        if receivers.size:
            distances = nan_euclidean_distances(X[receivers], fit_X, missing_X=mask[receivers], missing_Y=fit_mask)
            for col in np.flatnonzero(valid):
                rows = np.flatnonzero(mask[receivers, col])
                if rows.size == 0:
                    continue
                donors = np.flatnonzero(~fit_mask[:, col])
                dist = distances[np.ix_(rows, donors)]
                no_overlap = np.isnan(dist).all(axis=1)
                values = np.empty(rows.size)
                values[no_overlap] = fit_X[donors, col].mean()
                if (~no_overlap).any():
                    values[~no_overlap] = self._average(dist[~no_overlap], fit_X[donors, col])
                X[receivers[rows], col] = values
        if self.keep_empty_features:
            X[:, ~valid] = 0.0
            out = X
        else:
            out = X[:, valid]
        return wrap_output(self, self._concatenate_indicator(out, indicator), X_in)

    def _average(self, dist: np.ndarray, donor_values: np.ndarray) -> np.ndarray:
        k = min(self.n_neighbors, dist.shape[1])
        ordered = np.where(np.isnan(dist), np.inf, dist)
        nearest = np.argpartition(ordered, k - 1, axis=1)[:, :k]
        chosen = np.take_along_axis(dist, nearest, axis=1)
        weights = self._weights(chosen)
        return (weights * donor_values[nearest]).sum(axis=1) / weights.sum(axis=1)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the kept input features, then ``missingindicator_<feature>`` names."""
        check_is_fitted(self, "n_features_in_")
        names = _check_feature_names_in(self, input_features)
        kept = list(names) if self.keep_empty_features else list(names[self._valid_mask])
        return np.asarray(kept + self._indicator_names(names), dtype=object)
