"""Bagging and pasting meta-estimators, with random subspaces/patches and out-of-bag scoring."""
from __future__ import annotations

import inspect
import numbers
import warnings
from typing import Any

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, RegressorMixin
from ..utils.multiclass import check_classification_targets
from ..utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    check_random_state,
    column_or_1d,
    validate_data,
)
from ._base import MAX_INT, make_member, n_draws, sample_without_replacement
from ._forest import _run_parallel

__all__ = ["BaggingClassifier", "BaggingRegressor"]


def _draw(rng: np.random.RandomState, with_replacement: bool, n_population: int, n_samples: int) -> np.ndarray:
    if with_replacement:
        return rng.randint(0, n_population, n_samples)
    return sample_without_replacement(n_population, n_samples, rng)


def _bagging_indices(seed: int, bootstrap_features: bool, bootstrap: bool, n_features: int, n_samples: int,
                     max_features: int, max_samples: int, sample_weight: np.ndarray | None):
    """Feature and sample indices of one member, drawn from its seed in scikit-learn's order."""
    rng = check_random_state(seed)
    features = _draw(rng, bootstrap_features, n_features, max_features)
    if sample_weight is None:
        samples = _draw(rng, bootstrap, n_samples, max_samples)
    else:
        samples = rng.choice(n_samples, max_samples, replace=bootstrap, p=sample_weight / np.sum(sample_weight))
    return features, samples


def _accepts_sample_weight(estimator: Any) -> bool:
    return "sample_weight" in inspect.signature(estimator.fit).parameters


class BaseBagging(MetaEstimatorMixin, BaseEstimator):
    """Fits copies of a base estimator on random subsets of samples and/or features."""

    def _default_estimator(self) -> Any:
        raise NotImplementedError

    def fit(self, X: Any, y: Any, sample_weight: Any = None, **fit_params: Any) -> BaseBagging:
        """Fits ``n_estimators`` members, each on its own draw of samples and features.

        Raises:
            ValueError: ``oob_score`` without ``bootstrap`` or with ``warm_start``, too many samples to draw
                without replacement, ``max_features`` above ``n_features``.
        """
        X, y = validate_data(self, X, y, dtype=None, ensure_all_finite=False, multi_output=True)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=None)
        return self._fit(X, y, self.max_samples, None, sample_weight, fit_params)

    def _fit(self, X: Any, y: Any, max_samples: Any, max_depth: int | None, sample_weight: np.ndarray | None,
             fit_params: dict) -> BaseBagging:
        random_state = check_random_state(self.random_state)
        n_samples = X.shape[0]
        self._n_samples = n_samples
        y = self._validate_y(y)
        self.estimator_ = self._default_estimator() if self.estimator is None else self.estimator
        if max_depth is not None:
            self.estimator_ = make_member(self.estimator_, {"max_depth": max_depth})
        max_samples = n_draws(n_samples, max_samples, sample_weight)
        if not self.bootstrap and max_samples > n_samples:
            raise ValueError(f"Effective max_samples={max_samples} must be <= n_samples={n_samples} to be able to "
                             "sample without replacement.")
        self._max_samples = max_samples
        if isinstance(self.max_features, numbers.Integral):
            max_features = int(self.max_features)
        else:
            max_features = int(self.max_features * self.n_features_in_)
        if max_features > self.n_features_in_:
            raise ValueError("max_features must be <= n_features")
        self._max_features = max(1, max_features)
        self._sample_weight = sample_weight
        if not self.bootstrap and self.oob_score:
            raise ValueError("Out of bag estimation only available if bootstrap=True")
        if self.warm_start and self.oob_score:
            raise ValueError("Out of bag estimate only available if warm_start=False")
        if hasattr(self, "oob_score_") and self.warm_start:
            del self.oob_score_
        if not self.warm_start or not hasattr(self, "estimators_"):
            self.estimators_, self.estimators_features_ = [], []
        n_more = self.n_estimators - len(self.estimators_)
        if n_more < 0:
            raise ValueError(f"n_estimators={self.n_estimators} must be larger or equal to "
                             f"len(estimators_)={len(self.estimators_)} when warm_start==True")
        if n_more == 0:
            warnings.warn("Warm-start fitting without increasing n_estimators does not fit new trees.",
                          stacklevel=2)
            return self
        if self.warm_start and self.estimators_:
            random_state.randint(MAX_INT, size=len(self.estimators_))
        seeds = random_state.randint(MAX_INT, size=n_more)
        self._seeds = seeds if not hasattr(self, "_seeds") or not self.warm_start else np.concatenate(
            [self._seeds, seeds])
        fitted = _run_parallel(self.n_jobs, lambda seed: self._fit_member(seed, X, y, fit_params), list(seeds))
        for estimator, features in fitted:
            self.estimators_.append(estimator)
            self.estimators_features_.append(features)
        if self.oob_score:
            self._set_oob_score(X, y)
        return self

    def _fit_member(self, seed: int, X: Any, y: np.ndarray, fit_params: dict):
        estimator = make_member(self.estimator_, {}, seed)
        n_samples, n_features = X.shape
        features, indices = _bagging_indices(seed, self.bootstrap_features, self.bootstrap, n_features, n_samples,
                                              self._max_features, self._max_samples, self._sample_weight)
        subset = self.bootstrap_features or self._max_features != n_features
        if _accepts_sample_weight(estimator):
            weights = np.bincount(indices, minlength=n_samples)
            estimator.fit(X[:, features] if subset else X, y, sample_weight=weights, **fit_params)
        else:
            X_ = X[indices]
            estimator.fit(X_[:, features] if subset else X_, y[indices], **fit_params)
        return estimator, features

    def _members(self):
        for seed in self._seeds:
            yield _bagging_indices(seed, self.bootstrap_features, self.bootstrap, self.n_features_in_,
                                   self._n_samples, self._max_features, self._max_samples, self._sample_weight)

    @property
    def estimators_samples_(self) -> list[np.ndarray]:
        """The sample indices each member was drawn on."""
        return [samples for _, samples in self._members()]

    def _validate_X_predict(self, X: Any) -> Any:
        check_is_fitted(self)
        return validate_data(self, X, dtype=None, ensure_all_finite=False, reset=False)

    def _oob_mask(self, samples: np.ndarray) -> np.ndarray:
        mask = np.ones(self._n_samples, dtype=bool)
        mask[samples] = False
        return mask


class BaggingClassifier(ClassifierMixin, BaseBagging):
    """Bagging (bootstrap) or pasting of classifiers; soft voting when members have ``predict_proba``.

    Args:
        estimator: the base classifier (a ``DecisionTreeClassifier`` when None).
        max_samples: samples drawn per member: int, fraction, or None for all.
        max_features: features drawn per member (random subspaces); ``bootstrap_features`` draws them
            with replacement.
        oob_score: score on the samples each member did not see (needs ``bootstrap``).
    """

    def __init__(self, estimator: Any = None, n_estimators: int = 10, *, max_samples: Any = None,
                 max_features: int | float = 1.0, bootstrap: bool = True, bootstrap_features: bool = False,
                 oob_score: bool = False, warm_start: bool = False, n_jobs: int | None = None,
                 random_state: Any = None, verbose: int = 0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _default_estimator(self) -> Any:
        from ..tree import DecisionTreeClassifier

        return DecisionTreeClassifier()

    def _validate_y(self, y: Any) -> np.ndarray:
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self.classes_, y = np.unique(y, return_inverse=True)
        self.n_classes_ = len(self.classes_)
        return y

    def _member_proba(self, estimator: Any, X: Any) -> np.ndarray:
        proba = np.zeros((X.shape[0], self.n_classes_))
        if hasattr(estimator, "predict_proba"):
            p = estimator.predict_proba(X)
            if p.shape[1] == self.n_classes_:
                return p
            proba[:, np.asarray(estimator.classes_, dtype=np.intp)] = p
            return proba
        proba[np.arange(X.shape[0]), np.asarray(estimator.predict(X), dtype=np.intp)] = 1.0
        return proba

    def _set_oob_score(self, X: Any, y: np.ndarray) -> None:
        from ..metrics import accuracy_score

        votes = np.zeros((X.shape[0], self.n_classes_))
        for estimator, samples, features in zip(self.estimators_, self.estimators_samples_,
                                                self.estimators_features_):
            mask = self._oob_mask(samples)
            votes[mask] += self._member_proba(estimator, X[mask][:, features])
        totals = votes.sum(axis=1)
        if (totals == 0).any():
            warnings.warn("Some inputs do not have OOB scores. This probably means too few estimators were used "
                          "to compute any reliable oob estimates.", UserWarning, stacklevel=3)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.oob_decision_function_ = votes / totals[:, None]
        self.oob_score_ = accuracy_score(y, np.argmax(votes, axis=1))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Mean member probabilities (or vote fractions for members without ``predict_proba``)."""
        X = self._validate_X_predict(X)
        parts = _run_parallel(self.n_jobs, lambda m: self._member_proba(m[0], X[:, m[1]]),
                              list(zip(self.estimators_, self.estimators_features_)))
        return np.sum(parts, axis=0) / self.n_estimators

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Logarithm of ``predict_proba``."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    @property
    def decision_function(self):
        """Mean of the members' decision functions; only when the base estimator has ``decision_function``."""
        base = getattr(self, "estimator_", None) or self.estimator or self._default_estimator()
        if not hasattr(base, "decision_function"):
            raise AttributeError(f"This {type(base).__name__!r} has no attribute 'decision_function'")
        return self._decision_function

    def _decision_function(self, X: Any) -> np.ndarray:
        X = self._validate_X_predict(X)
        total = sum(m.decision_function(X[:, f]) for m, f in zip(self.estimators_, self.estimators_features_))
        return total / self.n_estimators

    def predict(self, X: Any) -> np.ndarray:
        """The class with the highest mean probability."""
        proba = self.predict_proba(X)
        return self.classes_.take(np.argmax(proba, axis=1), axis=0)


class BaggingRegressor(RegressorMixin, BaseBagging):
    """Bagging (bootstrap) or pasting of regressors; the prediction is the members' mean."""

    def __init__(self, estimator: Any = None, n_estimators: int = 10, *, max_samples: Any = None,
                 max_features: int | float = 1.0, bootstrap: bool = True, bootstrap_features: bool = False,
                 oob_score: bool = False, warm_start: bool = False, n_jobs: int | None = None,
                 random_state: Any = None, verbose: int = 0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _default_estimator(self) -> Any:
        from ..tree import DecisionTreeRegressor

        return DecisionTreeRegressor()

    def _validate_y(self, y: Any) -> np.ndarray:
        y = np.asarray(y)
        if y.ndim == 1 or y.shape[1] == 1:
            return column_or_1d(y, warn=True)
        return y

    def _set_oob_score(self, X: Any, y: np.ndarray) -> None:
        from ..metrics import r2_score

        total = np.zeros(y.shape)
        counts = np.zeros(X.shape[0])
        for estimator, samples, features in zip(self.estimators_, self.estimators_samples_,
                                                self.estimators_features_):
            mask = self._oob_mask(samples)
            total[mask] += estimator.predict(X[mask][:, features])
            counts[mask] += 1
        if (counts == 0).any():
            warnings.warn("Some inputs do not have OOB scores. This probably means too few estimators were used "
                          "to compute any reliable oob estimates.", UserWarning, stacklevel=3)
            counts[counts == 0] = 1
        self.oob_prediction_ = total / (counts if total.ndim == 1 else counts[:, None])
        self.oob_score_ = r2_score(y, self.oob_prediction_)

    def predict(self, X: Any) -> np.ndarray:
        """Mean of the members' predictions."""
        X = self._validate_X_predict(X)
        parts = _run_parallel(self.n_jobs, lambda m: m[0].predict(X[:, m[1]]),
                              list(zip(self.estimators_, self.estimators_features_)))
        return np.sum(parts, axis=0) / self.n_estimators
