"""Voting ensembles: majority (hard) or averaged-probability (soft) votes, and averaged regressions."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, RegressorMixin, TransformerMixin, clone
from ..utils import Bunch
from ..utils.multiclass import check_classification_targets
from ..utils.validation import check_is_fitted, column_or_1d
from ._forest import _run_parallel

__all__ = ["VotingClassifier", "VotingRegressor"]


class _BaseVoting(MetaEstimatorMixin, TransformerMixin, BaseEstimator):
    """Fits every named estimator (except those set to ``"drop"``) on the same data."""

    def _fit_members(self, X: Any, y: Any, sample_weight: Any) -> None:
        if not self.estimators:
            raise ValueError("Invalid 'estimators' attribute, 'estimators' should be a non-empty list of "
                             "(string, estimator) tuples.")
        names, members = zip(*self.estimators)
        if len(set(names)) != len(names):
            raise ValueError(f"Names provided are not unique: {list(names)!r}")
        if any("__" in name for name in names):
            raise ValueError(f"Estimator names must not contain __: got {list(names)!r}")
        if self.weights is not None and len(self.weights) != len(self.estimators):
            raise ValueError(f"Number of `estimators` and weights must be equal; got {len(self.weights)} weights, "
                             f"{len(self.estimators)} estimators")
        if all(m == "drop" for m in members):
            raise ValueError("All estimators are dropped. At least one is required to be an estimator.")
        kept = [(n, m) for n, m in self.estimators if m != "drop"]
        fit_kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
        self.estimators_ = _run_parallel(self.n_jobs, lambda m: clone(m).fit(X, y, **fit_kwargs),
                                         [m for _, m in kept])
        self.named_estimators_ = Bunch(**{n: est for (n, _), est in zip(kept, self.estimators_)})
        for attr in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.estimators_[0], attr):
                setattr(self, attr, getattr(self.estimators_[0], attr))

    @property
    def _weights_not_none(self) -> list | None:
        if self.weights is None:
            return None
        return [w for (_, m), w in zip(self.estimators, self.weights) if m != "drop"]

    def _predictions(self, X: Any) -> np.ndarray:
        return np.asarray([est.predict(X) for est in self.estimators_]).T


class VotingClassifier(ClassifierMixin, _BaseVoting):
    """Combines classifiers by majority vote (``voting="hard"``) or by averaging their probabilities
    (``voting="soft"``), optionally weighted."""

    def __init__(self, estimators: list, *, voting: str = "hard", weights: Any = None, n_jobs: int | None = None,
                 flatten_transform: bool = True, verbose: bool = False):
        self.estimators = estimators
        self.voting = voting
        self.weights = weights
        self.n_jobs = n_jobs
        self.flatten_transform = flatten_transform
        self.verbose = verbose

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> VotingClassifier:
        """Fits every classifier on ``X`` and the encoded labels.

        Raises:
            ValueError: ``voting`` not "hard"/"soft", duplicate names, wrong number of weights.
            NotImplementedError: a multi-output ``y``.
        """
        if self.voting not in ("soft", "hard"):
            raise ValueError(f"The 'voting' parameter of VotingClassifier must be a str among {{'hard', 'soft'}}. "
                             f"Got {self.voting!r} instead.")
        y = np.asarray(y)
        if y.ndim > 1 and y.shape[1] > 1:
            raise NotImplementedError("Multilabel and multi-output classification is not supported.")
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        self._fit_members(X, encoded, sample_weight)
        return self

    def _collect_probas(self, X: Any) -> np.ndarray:
        return np.asarray([est.predict_proba(X) for est in self.estimators_])

    def predict(self, X: Any) -> np.ndarray:
        """The majority (hard) or most probable on average (soft) class."""
        check_is_fitted(self)
        if self.voting == "soft":
            winners = np.argmax(self.predict_proba(X), axis=1)
        else:
            votes = self._predictions(X).astype(np.intp)
            weights = np.ones(votes.shape[1]) if self._weights_not_none is None else np.asarray(
                self._weights_not_none, dtype=np.float64)
            tally = np.zeros((votes.shape[0], self.classes_.size))
            np.add.at(tally, (np.repeat(np.arange(votes.shape[0]), votes.shape[1]), votes.ravel()),
                      np.tile(weights, votes.shape[0]))
            winners = np.argmax(tally, axis=1)
        return self.classes_[winners]

    @property
    def predict_proba(self):
        """Weighted mean of the members' probabilities; only with ``voting="soft"``."""
        if self.voting == "hard":
            raise AttributeError(f"predict_proba is not available when voting={self.voting!r}")
        return self._predict_proba

    def _predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        return np.average(self._collect_probas(X), axis=0, weights=self._weights_not_none)

    def transform(self, X: Any) -> np.ndarray:
        """Members' probabilities (soft; side by side when ``flatten_transform``) or predicted labels (hard)."""
        check_is_fitted(self)
        if self.voting == "soft":
            probas = self._collect_probas(X)
            return np.hstack(probas) if self.flatten_transform else probas
        return self._predictions(X)


class VotingRegressor(RegressorMixin, _BaseVoting):
    """Averages the predictions of several regressors, optionally weighted."""

    def __init__(self, estimators: list, *, weights: Any = None, n_jobs: int | None = None, verbose: bool = False):
        self.estimators = estimators
        self.weights = weights
        self.n_jobs = n_jobs
        self.verbose = verbose

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> VotingRegressor:
        """Fits every regressor on ``X`` and ``y``."""
        self._fit_members(X, column_or_1d(y, warn=True), sample_weight)
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Weighted mean of the members' predictions."""
        check_is_fitted(self)
        return np.average(self._predictions(X), axis=1, weights=self._weights_not_none)

    def transform(self, X: Any) -> np.ndarray:
        """The members' predictions, one column each."""
        check_is_fitted(self)
        return self._predictions(X)
