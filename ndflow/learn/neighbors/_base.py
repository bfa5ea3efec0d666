"""Shared machinery of the neighbor estimators: parameter checks, fitting the index, k and radius queries."""
from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..base import BaseEstimator, is_classifier
from ..utils.multiclass import check_classification_targets
from ..utils.validation import (
    check_array,
    check_is_fitted,
    column_or_1d,
    validate_data,
)
from ._brute import brute_kneighbors, brute_radius_pairs, pairs_to_csr, split_rows
from ._distances import BRUTE_METRICS, METRIC_ALIASES
from ._trees import BallTree, KDTree

__all__ = ["NeighborsBase", "KNeighborsMixin", "RadiusNeighborsMixin", "get_weights", "get_radius_weights"]

_ALGORITHMS = ("auto", "ball_tree", "brute", "kd_tree")
_EXACT_P = {1: "manhattan", 2: "euclidean", np.inf: "chebyshev"}


def get_weights(dist: np.ndarray, weights: Any) -> np.ndarray | None:
    """Neighbor weights from their distances: None for uniform, ``1/d`` for "distance" or ``weights(dist)``.

    With "distance", a query at distance 0 from some fitted points gives those points weight 1, others 0.
    """
    if weights in (None, "uniform"):
        return None
    if weights == "distance":
        zero = dist == 0.0
        with np.errstate(divide="ignore"):
            inv = 1.0 / dist
        exact_rows = zero.any(axis=-1, keepdims=True)
        return np.where(exact_rows, zero.astype(np.float64), inv)
    return np.asarray(weights(dist), dtype=np.float64)


def get_radius_weights(rows: np.ndarray, dist: np.ndarray, n_queries: int, weights: Any) -> np.ndarray | None:
    """``get_weights`` for radius results flattened as (query row, distance) pairs."""
    if weights in (None, "uniform"):
        return None
    if weights == "distance":
        zero = dist == 0.0
        exact_rows = np.bincount(rows, weights=zero, minlength=n_queries) > 0
        with np.errstate(divide="ignore"):
            return np.where(exact_rows[rows], zero.astype(np.float64), 1.0 / dist)
    return np.asarray(weights(dist), dtype=np.float64)


def _invalid_param(estimator: Any, name: str, constraint: str, value: Any) -> ValueError:
    return ValueError(
        f"The {name!r} parameter of {type(estimator).__name__} must be {constraint}. Got {value!r} instead."
    )


class NeighborsBase(BaseEstimator):
    """Fits the search index (brute force, KD tree or ball tree) and stores the training targets."""

    def _validate_params(self) -> None:
        n_neighbors = getattr(self, "n_neighbors", None)
        if n_neighbors is not None and (
            not isinstance(n_neighbors, numbers.Integral) or isinstance(n_neighbors, bool) or n_neighbors < 1
        ):
            raise _invalid_param(self, "n_neighbors", "an int in the range [1, inf) or None", n_neighbors)
        radius = getattr(self, "radius", None)
        if radius is not None and (not isinstance(radius, numbers.Real) or radius < 0):
            raise _invalid_param(self, "radius", "a float in the range [0.0, inf) or None", radius)
        if self.algorithm not in _ALGORITHMS:
            raise _invalid_param(self, "algorithm", "a str among {'auto', 'ball_tree', 'brute', 'kd_tree'}",
                                 self.algorithm)
        if not isinstance(self.leaf_size, numbers.Integral) or self.leaf_size < 1:
            raise _invalid_param(self, "leaf_size", "an int in the range [1, inf)", self.leaf_size)
        if self.p is not None and (not isinstance(self.p, numbers.Real) or self.p <= 0):
            raise _invalid_param(self, "p", "a float in the range (0.0, inf] or None", self.p)
        if not callable(self.metric) and self.metric not in BRUTE_METRICS:
            raise ValueError(
                f"Metric '{self.metric}' not valid. Use sorted(sklearn.neighbors.VALID_METRICS['brute']) to "
                "get valid options. Metric can also be a callable function."
            )
        weights = getattr(self, "weights", "uniform")
        if not (weights in (None, "uniform", "distance") or callable(weights)):
            raise _invalid_param(self, "weights", "a str among {'distance', 'uniform'}, a callable or None",
                                 weights)

    def _effective_metric(self) -> tuple[Any, dict]:
        params = dict(self.metric_params or {})
        if "p" in params and self.p is not None:
            warnings.warn("Parameter p is found in metric_params. The corresponding parameter from __init__ "
                          "is ignored.", SyntaxWarning, stacklevel=3)
        metric = self.metric if callable(self.metric) else METRIC_ALIASES[self.metric]
        if metric == "minkowski":
            p = params.pop("p", 2 if self.p is None else self.p)
            if p in _EXACT_P and params.get("w") is None:
                return _EXACT_P[p], params
            params["p"] = p
        return metric, params

    def _choose_method(self, X: Any, n_samples: int) -> str:
        metric, p = self.effective_metric_, self.effective_metric_params_.get("p", 2)
        if self.algorithm != "auto":
            if sp.issparse(X) and self.algorithm != "brute":
                warnings.warn("cannot use tree with sparse input: using brute force", stacklevel=3)
                return "brute"
            return self.algorithm
        n_neighbors = getattr(self, "n_neighbors", None)
        if (metric == "precomputed" or sp.issparse(X) or X.shape[1] > 15 or p < 1
                or (n_neighbors is not None and n_neighbors >= n_samples // 2)):
            return "brute"
        if metric in ("euclidean", "manhattan", "chebyshev", "minkowski") and \
                self.effective_metric_params_.get("w") is None:
            return "kd_tree"
        return "ball_tree" if metric in BallTree.valid_metrics or callable(metric) else "brute"

    def _build_tree(self) -> KDTree | BallTree | None:
        metric, params = self.effective_metric_, self.effective_metric_params_
        if self._fit_method == "brute":
            if params.get("p", 2) < 1:
                warnings.warn("Mind that for 0 < p < 1, Minkowski metrics are not distance metrics. "
                              "Continuing the execution with `algorithm='brute'`.", stacklevel=3)
            return None
        if params.get("p", 2) < 1:
            raise ValueError(
                f'algorithm="{self._fit_method}" does not support 0 < p < 1 for the Minkowski metric. To '
                'resolve this problem either set p >= 1 or algorithm="brute".'
            )
        tree_cls = KDTree if self._fit_method == "kd_tree" else BallTree
        if tree_cls is KDTree and params.get("w") is not None:
            raise ValueError("algorithm='kd_tree' is not valid for metric='minkowski' with a weight parameter "
                             "'w': try algorithm='ball_tree' or algorithm='brute' instead.")
        if callable(metric) and tree_cls is KDTree:
            raise ValueError(f"kd_tree does not support callable metric '{metric}'Function call overhead will "
                             "resultin very poor performance.")
        if not callable(metric) and metric not in tree_cls.valid_metrics:
            raise ValueError(
                f"Metric '{self.metric}' not valid. Use sorted(sklearn.neighbors.VALID_METRICS"
                f"['{self._fit_method}']) to get valid options. Metric can also be a callable function."
            )
        return tree_cls(self._fit_X, leaf_size=self.leaf_size, metric=metric, **params)

    def _fit(self, X: Any, y: Any = None) -> NeighborsBase:
        self._validate_params()
        self.effective_metric_, self.effective_metric_params_ = self._effective_metric()
        if self._is_supervised():
            X, y = validate_data(self, X, y, accept_sparse="csr", multi_output=True,
                                 y_numeric=not is_classifier(self))
            self._store_targets(y)
        else:
            X = validate_data(self, X, accept_sparse="csr")
        if self.effective_metric_ == "precomputed":
            _check_precomputed(X)
            if X.shape[0] != X.shape[1]:
                raise ValueError(
                    f"Precomputed matrix must be square. Input is a {X.shape[0]}x{X.shape[1]} matrix."
                )
        self._fit_X = X
        self.n_samples_fit_ = X.shape[0]
        self._fit_method = self._choose_method(X, X.shape[0])
        self._tree = self._build_tree()
        return self

    def _is_supervised(self) -> bool:
        return getattr(self, "_estimator_type", None) in ("classifier", "regressor")

    def _store_targets(self, y: np.ndarray) -> None:
        if not is_classifier(self):
            self._y = y
            return
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self.outputs_2d_ = y.ndim == 2
        columns = y if self.outputs_2d_ else y[:, None]
        encoded = [np.unique(columns[:, k], return_inverse=True) for k in range(columns.shape[1])]
        classes = [c for c, _ in encoded]
        codes = np.stack([inv.ravel() for _, inv in encoded], axis=1).astype(np.intp)
        self.classes_ = classes if self.outputs_2d_ else classes[0]
        self._y = codes if self.outputs_2d_ else codes[:, 0]

    def _validate_query(self, X: Any) -> Any:
        if self.effective_metric_ == "precomputed":
            X = check_array(X, accept_sparse="csr", estimator=self, input_name="X")
            _check_precomputed(X)
            if X.shape[1] != self.n_samples_fit_:
                raise ValueError(
                    f"Precomputed metric requires shape (n_queries, n_indexed). Got ({X.shape[0]}, "
                    f"{X.shape[1]}) for {self.n_samples_fit_} indexed."
                )
            return X
        return validate_data(self, X, reset=False, accept_sparse="csr")

    def _query_points(self, X: Any) -> tuple[Any, bool]:
        """The validated queries and whether they are the fitted points themselves (``X is None``)."""
        check_is_fitted(self)
        if X is None:
            return self._fit_X, True
        return self._validate_query(X), False

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.metric == "precomputed"
        tags.input_tags.sparse = not tags.input_tags.pairwise
        tags.input_tags.positive_only = tags.input_tags.pairwise
        if tags.classifier_tags is not None:
            tags.classifier_tags.multi_label = True
        return tags


def _check_precomputed(X: Any) -> None:
    if sp.issparse(X):
        raise NotImplementedError("metric='precomputed' with a sparse neighbors graph is not supported yet")
    if X.size and X.min() < 0:
        raise ValueError("Negative values in data passed to precomputed distance matrix.")


class KNeighborsMixin:
    """``kneighbors`` and ``kneighbors_graph``."""

    def kneighbors(self, X: Any = None, n_neighbors: int | None = None, return_distance: bool = True):
        """The ``n_neighbors`` nearest fitted points of each query, by distance then index.

        Args:
            X: queries; None uses the fitted points, each excluded from its own neighbors.

        Returns:
            ``(distances, indices)`` of shape ``(n_queries, n_neighbors)``, or only the indices.

        Raises:
            ValueError: ``n_neighbors`` < 1 or larger than the number of fitted points.
        """
        check_is_fitted(self)
        if n_neighbors is None:
            n_neighbors = self.n_neighbors
        elif n_neighbors <= 0:
            raise ValueError(f"Expected n_neighbors > 0. Got {n_neighbors}")
        elif not isinstance(n_neighbors, numbers.Integral):
            raise TypeError(f"n_neighbors does not take {type(n_neighbors)} value, enter integer value")
        X, query_is_train = self._query_points(X)
        k = n_neighbors + 1 if query_is_train else n_neighbors
        if k > self.n_samples_fit_:
            relation = "n_neighbors < n_samples_fit" if query_is_train else "n_neighbors <= n_samples_fit"
            raise ValueError(
                f"Expected {relation}, but n_neighbors = {n_neighbors}, n_samples_fit = "
                f"{self.n_samples_fit_}, n_samples = {X.shape[0]}"
            )
        if self._tree is not None:
            if sp.issparse(X):
                raise ValueError(f"{self._fit_method} does not work with sparse matrices. Densify the data, "
                                 "or set algorithm='brute'")
            dist, ind = self._tree.query(X, k=k)
        else:
            dist, ind = brute_kneighbors(X, self._fit_X, k, self.effective_metric_,
                                         self.effective_metric_params_)
        if query_is_train:
            dist, ind = _drop_self(dist, ind)
        return (dist, ind) if return_distance else ind

    def kneighbors_graph(self, X: Any = None, n_neighbors: int | None = None, mode: str = "connectivity"):
        """Sparse CSR graph ``(n_queries, n_samples_fit)`` linking each query to its neighbors.

        Args:
            mode: "connectivity" (ones) or "distance" (the distances).
        """
        if mode not in ("connectivity", "distance"):
            raise ValueError('Unsupported mode, must be one of "connectivity", or "distance" but got '
                             f'"{mode}" instead')
        dist, ind = self.kneighbors(X, n_neighbors, return_distance=True)
        n_queries, k = ind.shape
        data = np.ones(n_queries * k) if mode == "connectivity" else dist.ravel()
        return sp.csr_matrix((data, ind.ravel(), np.arange(0, n_queries * k + 1, k)),
                             shape=(n_queries, self.n_samples_fit_))


def _drop_self(dist: np.ndarray, ind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Removes each query's own index from its ``k + 1`` neighbors (the first one when absent: duplicates)."""
    keep = ind != np.arange(ind.shape[0])[:, None]
    missing_self = keep.all(axis=1)
    keep[missing_self, 0] = False
    shape = (ind.shape[0], ind.shape[1] - 1)
    return dist[keep].reshape(shape), ind[keep].reshape(shape)


class RadiusNeighborsMixin:
    """``radius_neighbors`` and ``radius_neighbors_graph``."""

    def _radius_csr(self, X: Any, radius: float | None, sort_results: bool):
        """Validated radius query as CSR parts ``(indptr, indices, distances)``."""
        check_is_fitted(self)
        radius = self.radius if radius is None else radius
        X, query_is_train = self._query_points(X)
        radii = np.full(X.shape[0], float(radius))
        if self._tree is not None:
            if sp.issparse(X):
                raise ValueError(f"{self._fit_method} does not work with sparse matrices. Densify the data, "
                                 "or set algorithm='brute'")
            rows, cols, dist = self._tree._radius_pairs(np.asarray(X, dtype=np.float64), radii)
        else:
            rows, cols, dist = brute_radius_pairs(X, self._fit_X, radii, self.effective_metric_,
                                                  self.effective_metric_params_)
        if query_is_train:
            other = rows != cols
            rows, cols, dist = rows[other], cols[other], dist[other]
        return pairs_to_csr(rows, cols, dist, X.shape[0], sort_results)

    def radius_neighbors(self, X: Any = None, radius: float | None = None, return_distance: bool = True,
                         sort_results: bool = False):
        """Fitted points within ``radius`` of each query (inclusive).

        Returns:
            object arrays with one array per query: ``(distances, indices)``, or only the indices. Each
            row is in index order, or by distance then index with ``sort_results``.

        Raises:
            ValueError: ``sort_results`` without ``return_distance``.
        """
        if sort_results and not return_distance:
            raise ValueError("return_distance must be True if sort_results is True.")
        indptr, ind, dist = self._radius_csr(X, radius, sort_results)
        if return_distance:
            return split_rows(indptr, dist), split_rows(indptr, ind)
        return split_rows(indptr, ind)

    def radius_neighbors_graph(self, X: Any = None, radius: float | None = None, mode: str = "connectivity",
                               sort_results: bool = False):
        """Sparse CSR graph ``(n_queries, n_samples_fit)`` of the radius neighbors of each query."""
        if mode not in ("connectivity", "distance"):
            raise ValueError('Unsupported mode, must be one of "connectivity", or "distance" but got '
                             f'"{mode}" instead')
        indptr, ind, dist = self._radius_csr(X, radius, sort_results)
        data = np.ones(ind.size) if mode == "connectivity" else dist
        return sp.csr_matrix((data, ind, indptr), shape=(len(indptr) - 1, self.n_samples_fit_))
