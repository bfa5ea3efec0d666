"""AdaBoost: SAMME for classification and AdaBoost.R2 for regression."""
from __future__ import annotations

import inspect
import warnings
from typing import Any, Iterator

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, RegressorMixin
from ..utils.validation import _check_sample_weight, check_is_fitted, check_random_state, validate_data
from ._base import make_member

__all__ = ["AdaBoostClassifier", "AdaBoostRegressor"]


class BaseWeightBoosting(MetaEstimatorMixin, BaseEstimator):
    """Sequential reweighting loop shared by the AdaBoost classifier and regressor."""

    def _check_X(self, X: Any) -> Any:
        return validate_data(self, X, dtype=None, reset=False)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> BaseWeightBoosting:
        """Fits up to ``n_estimators`` learners, each on the weights left by the previous ones.

        Raises:
            ValueError: the base estimator has no ``sample_weight`` or is worse than random at the start.
        """
        from ..tree._classes import _invalid, _is_int, _is_real

        X, y = validate_data(self, X, y, dtype=None, y_numeric=isinstance(self, RegressorMixin))
        if not (_is_int(self.n_estimators) and self.n_estimators >= 1):
            raise _invalid(self, "n_estimators", "an int in the range [1, inf)", self.n_estimators)
        if not (_is_real(self.learning_rate) and self.learning_rate > 0):
            raise _invalid(self, "learning_rate", "a float in the range (0.0, inf)", self.learning_rate)
        sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64, copy=True,
                                             ensure_non_negative=True)
        sample_weight = sample_weight / sample_weight.sum()
        self.estimator_ = self._default_estimator() if self.estimator is None else self.estimator
        if "sample_weight" not in inspect.signature(self.estimator_.fit).parameters:
            raise ValueError(f"{type(self.estimator_).__name__} doesn't support sample_weight.")
        self.estimators_ = []
        self.estimator_weights_ = np.zeros(self.n_estimators)
        self.estimator_errors_ = np.ones(self.n_estimators)
        random_state = check_random_state(self.random_state)
        eps = np.finfo(np.float64).eps
        zero = sample_weight == 0.0
        for iboost in range(self.n_estimators):
            sample_weight = np.clip(sample_weight, eps, None)
            sample_weight[zero] = 0.0
            sample_weight, weight, error = self._boost(iboost, X, y, sample_weight, random_state)
            if sample_weight is None:
                break
            self.estimator_weights_[iboost] = weight
            self.estimator_errors_[iboost] = error
            if error == 0:
                break
            total = np.sum(sample_weight)
            if not np.isfinite(total):
                warnings.warn(f"Sample weights have reached infinite values, at iteration {iboost}, causing "
                              "overflow. Iterations stopped. Try lowering the learning rate.", stacklevel=2)
                break
            if total <= 0:
                break
            if iboost < self.n_estimators - 1:
                sample_weight = sample_weight / total
        return self

    @property
    def feature_importances_(self) -> np.ndarray:
        """Learner importances averaged with the learner weights."""
        check_is_fitted(self)
        norm = self.estimator_weights_.sum()
        return sum(w * est.feature_importances_ for w, est in zip(self.estimator_weights_, self.estimators_)) / norm


class AdaBoostClassifier(ClassifierMixin, BaseWeightBoosting):
    """AdaBoost with the multi-class SAMME update (decision stumps by default).

    Attributes (after ``fit``): ``estimators_``, ``estimator_weights_``, ``estimator_errors_``,
    ``classes_``, ``n_classes_``.
    """

    def __init__(self, estimator: Any = None, *, n_estimators: int = 50, learning_rate: float = 1.0,
                 random_state: Any = None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.random_state = random_state

    def _default_estimator(self) -> Any:
        from ..tree import DecisionTreeClassifier

        return DecisionTreeClassifier(max_depth=1)

    def _boost(self, iboost: int, X: Any, y: np.ndarray, sample_weight: np.ndarray, random_state):
        estimator = make_member(self.estimator_, {}, random_state)
        self.estimators_.append(estimator)
        estimator.fit(X, y, sample_weight=sample_weight)
        y_predict = estimator.predict(X)
        if iboost == 0:
            self.classes_ = getattr(estimator, "classes_", None)
            self.n_classes_ = len(self.classes_)
        incorrect = y_predict != y
        error = float(np.mean(np.average(incorrect, weights=sample_weight, axis=0)))
        if error <= 0:
            return sample_weight, 1.0, 0.0
        n_classes = self.n_classes_
        if error >= 1.0 - 1.0 / n_classes:
            self.estimators_.pop(-1)
            if not self.estimators_:
                raise ValueError("BaseClassifier in AdaBoostClassifier ensemble is worse than random, ensemble can "
                                 "not be fit.")
            return None, None, None
        weight = self.learning_rate * (np.log((1.0 - error) / error) + np.log(n_classes - 1.0))
        if iboost != self.n_estimators - 1:
            sample_weight = np.exp(np.log(sample_weight) + weight * incorrect * (sample_weight > 0))
        return sample_weight, weight, error

    def _votes(self, estimator: Any, weight: float, X: Any) -> np.ndarray:
        hit = estimator.predict(X)[:, None] == self.classes_[None, :]
        return np.where(hit, weight, -weight / (self.n_classes_ - 1))

    def staged_decision_function(self, X: Any) -> Iterator[np.ndarray]:
        """``decision_function`` after each boosting iteration."""
        check_is_fitted(self)
        X = self._check_X(X)
        total, norm = None, 0.0
        for estimator, weight in zip(self.estimators_, self.estimator_weights_):
            norm += weight
            votes = self._votes(estimator, weight, X)
            total = votes if total is None else total + votes
            yield self._finish_decision(total / norm)

    def _finish_decision(self, pred: np.ndarray) -> np.ndarray:
        if self.n_classes_ == 2:
            return pred[:, 1] - pred[:, 0]
        return pred

    def decision_function(self, X: Any) -> np.ndarray:
        """Weighted SAMME votes; for two classes one column, positive for ``classes_[1]``."""
        check_is_fitted(self)
        X = self._check_X(X)
        if self.n_classes_ == 1:
            return np.zeros((X.shape[0], 1))
        total = sum(self._votes(e, w, X) for e, w in zip(self.estimators_, self.estimator_weights_))
        return self._finish_decision(total / self.estimator_weights_.sum())

    def _decision_to_class(self, pred: np.ndarray) -> np.ndarray:
        if self.n_classes_ == 2:
            return self.classes_.take((pred > 0).astype(int), axis=0)
        return self.classes_.take(np.argmax(pred, axis=1), axis=0)

    def predict(self, X: Any) -> np.ndarray:
        """The class with the largest weighted vote."""
        return self._decision_to_class(self.decision_function(X))

    def staged_predict(self, X: Any) -> Iterator[np.ndarray]:
        """``predict`` after each boosting iteration."""
        for pred in self.staged_decision_function(X):
            yield self._decision_to_class(pred)

    def _proba(self, decision: np.ndarray) -> np.ndarray:
        from scipy.special import softmax

        if self.n_classes_ == 2:
            decision = np.vstack([-decision, decision]).T / 2
        else:
            decision = decision / (self.n_classes_ - 1)
        return softmax(decision, axis=1)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities: softmax of the (scaled) decision function."""
        check_is_fitted(self)
        if self.n_classes_ == 1:
            return np.ones((self._check_X(X).shape[0], 1))
        return self._proba(self.decision_function(X))

    def staged_predict_proba(self, X: Any) -> Iterator[np.ndarray]:
        """``predict_proba`` after each boosting iteration."""
        for decision in self.staged_decision_function(X):
            yield self._proba(decision)

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Logarithm of ``predict_proba``."""
        return np.log(self.predict_proba(X))

    def staged_score(self, X: Any, y: Any, sample_weight: Any = None) -> Iterator[float]:
        """Accuracy after each boosting iteration."""
        from ..metrics import accuracy_score

        for pred in self.staged_predict(X):
            yield accuracy_score(y, pred, sample_weight=sample_weight)


class AdaBoostRegressor(RegressorMixin, BaseWeightBoosting):
    """AdaBoost.R2: learners fit on weighted bootstrap samples, prediction = weighted median.

    Args:
        loss: ``"linear"``, ``"square"`` or ``"exponential"`` error scaling.
    """

    def __init__(self, estimator: Any = None, *, n_estimators: int = 50, learning_rate: float = 1.0,
                 loss: str = "linear", random_state: Any = None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.loss = loss
        self.random_state = random_state

    def _default_estimator(self) -> Any:
        from ..tree import DecisionTreeRegressor

        return DecisionTreeRegressor(max_depth=3)

    def _boost(self, iboost: int, X: Any, y: np.ndarray, sample_weight: np.ndarray, random_state):
        if self.loss not in ("linear", "square", "exponential"):
            from ..tree._classes import _invalid

            raise _invalid(self, "loss", "a str among {'exponential', 'linear', 'square'}", self.loss)
        estimator = make_member(self.estimator_, {}, random_state)
        self.estimators_.append(estimator)
        n = X.shape[0]
        picked = random_state.choice(np.arange(n), size=n, replace=True, p=sample_weight)
        estimator.fit(X[picked], y[picked])
        errors = np.abs(estimator.predict(X) - y)
        mask = sample_weight > 0
        masked_weight, masked_error = sample_weight[mask], errors[mask]
        error_max = masked_error.max()
        if error_max != 0:
            masked_error = masked_error / error_max
        if self.loss == "square":
            masked_error = masked_error ** 2
        elif self.loss == "exponential":
            masked_error = 1.0 - np.exp(-masked_error)
        error = float((masked_weight * masked_error).sum())
        if error <= 0:
            return sample_weight, 1.0, 0.0
        if error >= 0.5:
            if len(self.estimators_) > 1:
                self.estimators_.pop(-1)
            return None, None, None
        beta = error / (1.0 - error)
        weight = self.learning_rate * np.log(1.0 / beta)
        if iboost != self.n_estimators - 1:
            sample_weight[mask] *= np.power(beta, (1.0 - masked_error) * self.learning_rate)
        return sample_weight, weight, error

    def _weighted_median(self, X: Any, limit: int) -> np.ndarray:
        predictions = np.array([est.predict(X) for est in self.estimators_[:limit]]).T
        order = np.argsort(predictions, axis=1)
        cdf = np.cumsum(self.estimator_weights_[order], axis=1)
        median_pos = (cdf >= 0.5 * cdf[:, -1:]).argmax(axis=1)
        rows = np.arange(X.shape[0])
        return predictions[rows, order[rows, median_pos]]

    def predict(self, X: Any) -> np.ndarray:
        """Weighted median of the learners' predictions."""
        check_is_fitted(self)
        X = self._check_X(X)
        return self._weighted_median(X, len(self.estimators_))

    def staged_predict(self, X: Any) -> Iterator[np.ndarray]:
        """``predict`` using the first 1, 2, ... learners."""
        check_is_fitted(self)
        X = self._check_X(X)
        for i in range(len(self.estimators_)):
            yield self._weighted_median(X, i + 1)
