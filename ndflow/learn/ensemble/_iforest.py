"""Isolation forest: anomaly scores from how quickly random trees isolate a sample."""
from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

from ..utils.validation import _check_sample_weight, check_is_fitted, check_random_state, validate_data
from ._bagging import BaseBagging

__all__ = ["IsolationForest"]


def _average_path_length(n_samples_leaf: Any) -> np.ndarray:
    """Expected path length of an unsuccessful search in a binary search tree of ``n`` samples."""
    n = np.asarray(n_samples_leaf, dtype=np.float64)
    out = np.zeros(n.shape)
    out[n == 2] = 1.0
    big = n > 2
    out[big] = 2.0 * (np.log(n[big] - 1.0) + np.euler_gamma) - 2.0 * (n[big] - 1.0) / n[big]
    return out


class IsolationForest(BaseBagging):
    """Isolation forest of random trees on subsamples; short average paths mean anomalies.

    Args:
        max_samples: samples per tree: ``"auto"`` (min(256, n_samples)), an int or a fraction.
        contamination: ``"auto"`` (offset -0.5) or the expected outlier fraction in (0, 0.5].

    Attributes (after ``fit``): ``estimators_``, ``max_samples_``, ``offset_``.
    """

    def __init__(self, *, n_estimators: int = 100, max_samples: Any = "auto", contamination: Any = "auto",
                 max_features: int | float = 1.0, bootstrap: bool = False, n_jobs: int | None = None,
                 random_state: Any = None, verbose: int = 0, warm_start: bool = False):
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.contamination = contamination
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start

    # the bagging machinery reads these; an isolation forest has no choice of base estimator or OOB score
    estimator = None
    bootstrap_features = False
    oob_score = False

    def _default_estimator(self) -> Any:
        from ..tree import ExtraTreeRegressor

        return ExtraTreeRegressor(max_features=1, splitter="random")

    def _validate_y(self, y: np.ndarray) -> np.ndarray:
        return y

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> IsolationForest:
        """Grows the isolation trees and sets ``offset_`` from ``contamination``.

        Raises:
            ValueError: invalid ``contamination`` or ``max_samples``.
        """
        X = validate_data(self, X, dtype=np.float32)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=None)
        c = self.contamination
        if not (isinstance(c, str) and c == "auto") and not (
                isinstance(c, numbers.Real) and not isinstance(c, bool) and 0.0 < c <= 0.5):
            raise ValueError("The 'contamination' parameter of IsolationForest must be a str among {'auto'} or a "
                             f"float in the range (0.0, 0.5]. Got {c!r} instead.")
        rng = check_random_state(self.random_state)
        y = rng.uniform(size=X.shape[0])
        n_samples = X.shape[0]
        ms = self.max_samples
        if isinstance(ms, str) and ms == "auto":
            max_samples = min(256, n_samples)
        elif isinstance(ms, numbers.Integral) and not isinstance(ms, bool):
            if ms > n_samples:
                warnings.warn(f"max_samples ({ms}) is greater than the total number of samples ({n_samples}). "
                              "max_samples will be set to n_samples for estimation.", stacklevel=2)
                max_samples = n_samples
            else:
                max_samples = int(ms)
        elif isinstance(ms, numbers.Real) and 0.0 < ms <= 1.0:
            max_samples = int(ms * n_samples)
        else:
            raise ValueError("The 'max_samples' parameter of IsolationForest must be a str among {'auto'}, an int "
                             f"in the range [1, inf) or a float in the range (0.0, 1.0]. Got {ms!r} instead.")
        self.max_samples_ = max_samples
        max_depth = int(np.ceil(np.log2(max(max_samples, 2))))
        self._fit(X, y, max_samples, max_depth, sample_weight, {})
        self._path_offsets = [(t.tree_.compute_node_depths() - 1.0 + _average_path_length(t.tree_.n_node_samples))
                              for t in self.estimators_]
        if isinstance(c, str):
            self.offset_ = -0.5
        else:
            self.offset_ = float(np.percentile(self._score_samples(X), 100.0 * c))
        return self

    def _score_samples(self, X: np.ndarray) -> np.ndarray:
        depths = np.zeros(X.shape[0])
        subset = self._max_features != X.shape[1]
        for tree, features, offsets in zip(self.estimators_, self.estimators_features_, self._path_offsets):
            Xt = X[:, features] if subset else X
            depths += offsets[tree.tree_.apply(np.asarray(Xt, dtype=np.float32))]
        denominator = len(self.estimators_) * _average_path_length([self._max_samples])[0]
        scores = 2.0 ** (-np.divide(depths, denominator, out=np.ones_like(depths), where=denominator != 0))
        return -scores

    def score_samples(self, X: Any) -> np.ndarray:
        """Opposite of the anomaly score of the original paper: the lower, the more abnormal."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float32, reset=False)
        return self._score_samples(X)

    def decision_function(self, X: Any) -> np.ndarray:
        """``score_samples(X) - offset_``: negative for outliers, positive for inliers."""
        return self.score_samples(X) - self.offset_

    def predict(self, X: Any) -> np.ndarray:
        """+1 for inliers, -1 for outliers."""
        decision = self.decision_function(X)
        return np.where(decision < 0, -1, 1)

    def fit_predict(self, X: Any, y: Any = None, sample_weight: Any = None) -> np.ndarray:
        """Fits, then returns ``predict(X)``."""
        return self.fit(X, sample_weight=sample_weight).predict(X)

    def _update_sklearn_tags(self, tags) -> None:
        tags.estimator_type = "outlier_detector"

    _estimator_type = "outlier_detector"

