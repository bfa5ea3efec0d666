"""``KNeighborsClassifier`` and ``RadiusNeighborsClassifier``: (weighted) votes of the neighbors' classes."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..base import ClassifierMixin, MultiOutputMixin
from ..utils.validation import check_is_fitted
from ._base import KNeighborsMixin, NeighborsBase, RadiusNeighborsMixin, get_radius_weights, get_weights

__all__ = ["KNeighborsClassifier", "RadiusNeighborsClassifier"]


def _votes(rows: np.ndarray, labels: np.ndarray, weights: np.ndarray | None, n_queries: int,
           n_classes: int) -> np.ndarray:
    """Per-query class totals ``(n_queries, n_classes)`` of the (weighted) labels of ``rows``' neighbors."""
    flat = np.bincount(rows * n_classes + labels, weights=weights, minlength=n_queries * n_classes)
    return flat.reshape(n_queries, n_classes).astype(np.float64)


def _normalize(votes: np.ndarray) -> np.ndarray:
    total = votes.sum(axis=1, keepdims=True)
    total[total == 0.0] = 1.0
    return votes / total


class _VotingClassifier(MultiOutputMixin, ClassifierMixin, NeighborsBase):
    """Turns per-output vote tables into labels; subclasses provide ``_output_votes(X)``."""

    def _per_output(self) -> tuple[list, np.ndarray]:
        check_is_fitted(self)
        classes = self.classes_ if self.outputs_2d_ else [self.classes_]
        codes = self._y if self.outputs_2d_ else self._y[:, None]
        return classes, codes

    def predict_proba(self, X: Any) -> np.ndarray | list[np.ndarray]:
        """Class probabilities ``(n_queries, n_classes)`` (a list of them for multi-output ``y``)."""
        check_is_fitted(self)
        probas = [_normalize(v) for v in self._output_votes(X)]
        return probas if self.outputs_2d_ else probas[0]

    def predict(self, X: Any) -> np.ndarray:
        """The class with most (weighted) votes, the smallest class on ties."""
        classes, _ = self._per_output()
        labels = [c[v.argmax(axis=1)] for c, v in zip(classes, self._output_votes(X))]
        return np.stack(labels, axis=1) if self.outputs_2d_ else labels[0]


class KNeighborsClassifier(KNeighborsMixin, _VotingClassifier):
    """Classifies by the (weighted) majority class among the ``n_neighbors`` nearest training points."""

    def __init__(self, n_neighbors: int = 5, *, weights: Any = "uniform", algorithm: str = "auto",
                 leaf_size: int = 30, p: float = 2, metric: Any = "minkowski",
                 metric_params: dict | None = None, n_jobs: int | None = None) -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.metric = metric
        self.metric_params = metric_params
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: Any) -> KNeighborsClassifier:
        """Indexes ``X`` and encodes the labels ``y`` (1-D, or 2-D for multi-output/multilabel)."""
        return self._fit(X, y)

    def _output_votes(self, X: Any) -> list[np.ndarray]:
        dist, ind = self.kneighbors(X)
        weights = get_weights(dist, self.weights)
        n_queries, k = ind.shape
        rows = np.repeat(np.arange(n_queries), k)
        w = None if weights is None else weights.ravel()
        classes, codes = self._per_output()
        return [_votes(rows, codes[ind.ravel(), j], w, n_queries, len(c)) for j, c in enumerate(classes)]


class RadiusNeighborsClassifier(RadiusNeighborsMixin, _VotingClassifier):
    """Classifies by the (weighted) majority class among the training points within ``radius``.

    Queries without neighbors get ``outlier_label`` (a label, "most_frequent", or None to raise).
    """

    def __init__(self, radius: float = 1.0, *, weights: Any = "uniform", algorithm: str = "auto",
                 leaf_size: int = 30, p: float = 2, metric: Any = "minkowski", outlier_label: Any = None,
                 metric_params: dict | None = None, n_jobs: int | None = None) -> None:
        self.radius = radius
        self.weights = weights
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.metric = metric
        self.outlier_label = outlier_label
        self.metric_params = metric_params
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: Any) -> RadiusNeighborsClassifier:
        """Indexes ``X``, encodes ``y`` and resolves ``outlier_label_`` (one label per output).

        Raises:
            ValueError: a list ``outlier_label`` whose length differs from the number of outputs.
            TypeError: a non-scalar label, or one whose type does not match the classes.
        """
        self._fit(X, y)
        classes, codes = self._per_output()
        if self.outlier_label is None:
            self.outlier_label_ = None
        elif isinstance(self.outlier_label, str) and self.outlier_label == "most_frequent":
            self.outlier_label_ = [c[np.bincount(codes[:, j]).argmax()] for j, c in enumerate(classes)]
        else:
            self.outlier_label_ = self._explicit_outlier_labels(classes)
        return self

    def _explicit_outlier_labels(self, classes: list) -> list:
        label = self.outlier_label
        is_list = hasattr(label, "__len__") and not isinstance(label, str)
        if is_list and len(label) != len(classes):
            raise ValueError(f"The length of outlier_label: {label} is inconsistent with the output length: "
                             f"{len(classes)}")
        labels = list(label) if is_list else [label] * len(classes)
        for c, lab in zip(classes, labels):
            if hasattr(lab, "__len__") and not isinstance(lab, str):
                raise TypeError(f"The outlier_label of classes {c} is supposed to be a scalar, got {lab}.")
            if np.append(c, lab).dtype != c.dtype:
                raise TypeError(f"The dtype of outlier_label {lab} is inconsistent with classes {c} in y.")
        return labels

    def _output_votes(self, X: Any) -> list[np.ndarray]:
        indptr, ind, dist = self._radius_csr(X, None, sort_results=False)
        n_queries = len(indptr) - 1
        counts = np.diff(indptr)
        outliers = np.flatnonzero(counts == 0)
        if outliers.size and self.outlier_label_ is None:
            raise ValueError(
                f"No neighbors found for test samples {outliers!r}, you can try using larger radius, giving "
                "a label for outliers, or considering removing them from your dataset."
            )
        rows = np.repeat(np.arange(n_queries), counts)
        weights = get_radius_weights(rows, dist, n_queries, self.weights)
        classes, codes = self._per_output()
        tables = []
        for j, c in enumerate(classes):
            votes = _votes(rows, codes[ind, j], weights, n_queries, len(c))
            if outliers.size:
                position = np.flatnonzero(c == self.outlier_label_[j])
                if position.size == 1:
                    votes[outliers, position[0]] = 1.0
                else:
                    warnings.warn(f"Outlier label {self.outlier_label_[j]} is not in training classes. All "
                                  "class probabilities of outliers will be assigned with 0.", stacklevel=3)
            tables.append(votes)
        return tables

    def predict(self, X: Any) -> np.ndarray:
        """The class with most (weighted) votes; ``outlier_label_`` for queries with no votes at all."""
        classes, _ = self._per_output()
        labels = []
        for j, (c, votes) in enumerate(zip(classes, self._output_votes(X))):
            pred = c[votes.argmax(axis=1)]
            no_votes = np.flatnonzero((votes == 0).all(axis=1))
            if no_votes.size:
                pred = pred.astype(np.result_type(pred, np.asarray(self.outlier_label_[j])))
                pred[no_votes] = self.outlier_label_[j]
            labels.append(pred)
        return np.stack(labels, axis=1) if self.outputs_2d_ else labels[0]
