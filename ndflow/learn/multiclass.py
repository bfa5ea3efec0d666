"""Multiclass and multilabel strategies built from binary classifiers (``sklearn.multiclass``):
one-vs-rest, one-vs-one and error-correcting output codes."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone, is_classifier, is_regressor
from .utils.multiclass import check_classification_targets, type_of_target
from .utils.validation import (
    _num_samples,
    check_array,
    check_is_fitted,
    check_random_state,
    column_or_1d,
    validate_data,
)

__all__ = ["OneVsRestClassifier", "OneVsOneClassifier", "OutputCodeClassifier"]


class _AvailableIf:
    """Method descriptor that exists on an instance only while ``check(instance)`` is true."""

    def __init__(self, method, check) -> None:
        self.method, self.check = method, check
        self.__doc__ = method.__doc__

    def __set_name__(self, owner, name) -> None:
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self.method
        if not self.check(instance):
            raise AttributeError(f"This {type(instance).__name__!r} has no attribute {self.name!r}")
        return self.method.__get__(instance, owner)


def _available_if(check):
    return lambda method: _AvailableIf(method, check)


def _wrapped_has(name: str):
    """True when the fitted estimators (or, before fit, the wrapped estimator) have method ``name``."""
    def check(self) -> bool:
        if hasattr(self, "estimators_"):
            return hasattr(self.estimators_[0], name)
        return hasattr(self.estimator, name)
    return check


class _ConstantPredictor(BaseEstimator):
    """Stands in for a binary classifier whose training labels were all the same."""

    def fit(self, X: Any, y: Any) -> _ConstantPredictor:
        X = check_array(X, accept_sparse=True, dtype=None, ensure_all_finite=False, ensure_2d=False)
        self.y_ = np.unique(y)
        if X.ndim == 2:
            self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X: Any) -> np.ndarray:
        return np.repeat(self.y_, _num_samples(X))

    def decision_function(self, X: Any) -> np.ndarray:
        return np.repeat(self.y_, _num_samples(X))

    def predict_proba(self, X: Any) -> np.ndarray:
        positive = self.y_.astype(np.float64)
        return np.repeat([np.hstack([1 - positive, positive])], _num_samples(X), axis=0)


def _fit_binary(estimator: Any, X: Any, y: np.ndarray, label: Any = None) -> Any:
    """Fits a clone of ``estimator`` on one binary problem (a constant predictor when ``y`` has one value).

    Args:
        label: the class that ``y == 1`` stands for, named in the warning about a constant ``y``.
    """
    values = np.unique(y)
    if len(values) == 1:
        if label is not None:
            shown = label if values[0] == 1 else f"not {label}"
            warnings.warn(f"Label {shown} is present in all training examples.", stacklevel=3)
        return _ConstantPredictor().fit(X, values)
    return clone(estimator).fit(X, y)


def _binary_scores(estimator: Any, X: Any) -> np.ndarray:
    """The positive-class confidence: regressor output, ``decision_function``, or ``predict_proba[:, 1]``."""
    if is_regressor(estimator):
        return estimator.predict(X)
    try:
        return np.ravel(estimator.decision_function(X))
    except (AttributeError, NotImplementedError):
        return estimator.predict_proba(X)[:, 1]


def _binary_threshold(estimator: Any) -> float:
    """Where ``_binary_scores`` switches to the positive class: 0 for decision values, else 0.5."""
    return 0.0 if hasattr(estimator, "decision_function") and is_classifier(estimator) else 0.5


class _LabelIndicator:
    """Label <-> indicator-matrix encoding for one-vs-rest (LabelBinarizer's role, with dense output).

    Binary targets use one column (the second class is positive); multiclass targets one column per
    class; multilabel indicator matrices pass through.
    """

    def fit(self, y: Any) -> _LabelIndicator:
        y = np.asarray(y)
        self.y_type_ = type_of_target(y)
        if self.y_type_ == "multilabel-indicator":
            self.classes_ = np.arange(y.shape[1])
        else:
            self.classes_ = np.unique(column_or_1d(y))
        return self

    def transform(self, y: Any) -> np.ndarray:
        y = np.asarray(y)
        if self.y_type_ == "multilabel-indicator":
            return (y != 0).astype(np.int64)
        indicator = (y[:, None] == self.classes_[None, :]).astype(np.int64)
        if len(self.classes_) == 1:  # a single class is the negative one
            return np.zeros_like(indicator)
        return indicator[:, 1:] if self.y_type_ == "binary" else indicator

    def inverse_transform(self, indicator: np.ndarray) -> np.ndarray:
        if self.y_type_ == "multilabel-indicator":
            return indicator.astype(np.int64)
        if self.y_type_ == "binary":
            codes = indicator[:, 0] if len(self.classes_) > 1 else np.zeros(len(indicator))
            return self.classes_[codes.astype(np.intp)]
        return self.classes_[indicator.argmax(axis=1)]


class _MulticlassMeta(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Fitted-state helpers shared by the three strategies."""

    @property
    def n_classes_(self) -> int:
        return len(self.classes_)

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "estimators_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.pairwise = inner.input_tags.pairwise
        return tags


class _FeaturesFromEstimators:
    """``n_features_in_`` and ``feature_names_in_`` read from the first fitted binary classifier."""

    @property
    def n_features_in_(self) -> int:
        check_is_fitted(self, "estimators_")
        return self.estimators_[0].n_features_in_

    @property
    def feature_names_in_(self) -> np.ndarray:
        check_is_fitted(self, "estimators_")
        return self.estimators_[0].feature_names_in_


class OneVsRestClassifier(_FeaturesFromEstimators, _MulticlassMeta):
    """One binary classifier per class (or per label, for multilabel targets), each against the rest.

    Attributes:
        estimators_: the fitted binary classifiers, one per column of the label indicator.
        classes_: the class labels (or label indices for multilabel ``y``).
        label_binarizer_: the label <-> indicator encoder.
    """

    def __init__(self, estimator: Any, *, n_jobs: int | None = None, verbose: int = 0) -> None:
        self.estimator = estimator
        self.n_jobs = n_jobs
        self.verbose = verbose

    def fit(self, X: Any, y: Any) -> OneVsRestClassifier:
        """Fits one classifier per column of the indicator encoding of ``y``."""
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None")
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if y.shape[0] == 0:
            raise ValueError(f"y has 0 samples: {y!r}")
        check_classification_targets(y)
        self.label_binarizer_ = _LabelIndicator().fit(y)
        self.classes_ = self.label_binarizer_.classes_
        indicator = self.label_binarizer_.transform(y)
        positive = self.classes_[-1:] if indicator.shape[1] == 1 else self.classes_
        self.estimators_ = [_fit_binary(self.estimator, X, indicator[:, i], label=positive[i])
                            for i in range(indicator.shape[1])]
        return self

    @property
    def multilabel_(self) -> bool:
        """Whether the problem is multilabel."""
        return self.label_binarizer_.y_type_.startswith("multilabel")

    def predict(self, X: Any) -> np.ndarray:
        """The class of the most confident classifier (the last on ties); indicator rows if multilabel."""
        check_is_fitted(self)
        if self.label_binarizer_.y_type_ == "multiclass":
            scores = np.column_stack([_binary_scores(e, X) for e in self.estimators_])
            last_max = scores.shape[1] - 1 - np.argmax(scores[:, ::-1], axis=1)
            return self.classes_[last_max]
        threshold = _binary_threshold(self.estimators_[0])
        indicator = np.column_stack([_binary_scores(e, X) > threshold for e in self.estimators_])
        return self.label_binarizer_.inverse_transform(indicator)

    @_available_if(_wrapped_has("predict_proba"))
    def predict_proba(self, X: Any) -> np.ndarray:
        """Per-class positive probabilities, normalised to sum to 1 unless multilabel."""
        check_is_fitted(self)
        proba = np.column_stack([e.predict_proba(X)[:, 1] for e in self.estimators_])
        if len(self.estimators_) == 1:
            proba = np.column_stack([1 - proba, proba])
        if not self.multilabel_:
            proba = proba / proba.sum(axis=1, keepdims=True)
        return proba

    @_available_if(_wrapped_has("decision_function"))
    def decision_function(self, X: Any) -> np.ndarray:
        """Decision values ``(n_samples, n_classes)`` (1-D for a binary problem)."""
        check_is_fitted(self)
        if len(self.estimators_) == 1:
            return self.estimators_[0].decision_function(X)
        return np.column_stack([np.ravel(e.decision_function(X)) for e in self.estimators_])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


def ovr_decision_function(predictions: np.ndarray, confidences: np.ndarray, n_classes: int) -> np.ndarray:
    """One-vs-one votes per class plus a tie-breaking confidence term kept inside (-1/3, 1/3).

    Args:
        predictions: ``(n_samples, n_pairs)`` 0/1 winner of each pair ``(i, j)``, ``i < j``, in order.
        confidences: ``(n_samples, n_pairs)`` confidence that the second class of the pair wins.
    """
    first, second = np.triu_indices(n_classes, k=1)
    to_first = np.zeros((len(first), n_classes))
    to_first[np.arange(len(first)), first] = 1.0
    to_second = np.zeros((len(first), n_classes))
    to_second[np.arange(len(first)), second] = 1.0
    votes = (predictions == 0) @ to_first + (predictions == 1) @ to_second
    confidence = confidences @ (to_second - to_first)
    return votes + confidence / (3 * (np.abs(confidence) + 1))


class OneVsOneClassifier(_MulticlassMeta):
    """One binary classifier per pair of classes; prediction by votes, ties broken by summed confidence.

    Attributes:
        estimators_: ``n_classes * (n_classes - 1) / 2`` classifiers, for pairs ``(0, 1), (0, 2), ...``.
        classes_: the class labels.
    """

    def __init__(self, estimator: Any, *, n_jobs: int | None = None) -> None:
        self.estimator = estimator
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: Any) -> OneVsOneClassifier:
        """Fits a classifier on the samples of each pair of classes (labels 0 and 1).

        Raises:
            ValueError: only one class in ``y``.
        """
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], ensure_all_finite=False)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) == 1:
            raise ValueError("OneVsOneClassifier can not be fit when only one class is present.")
        first, second = np.triu_indices(len(self.classes_), k=1)
        self.estimators_ = []
        for i, j in zip(first, second):
            rows = np.flatnonzero((y == self.classes_[i]) | (y == self.classes_[j]))
            binary = (y[rows] == self.classes_[j]).astype(np.int64)
            self.estimators_.append(_fit_binary(self.estimator, X[rows], binary))
        self.pairwise_indices_ = None
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The class with the highest ``decision_function`` (for two classes: above 0, or 0.5 for
        probability-based binary classifiers)."""
        scores = self.decision_function(X)
        if self.n_classes_ == 2:
            threshold = _binary_threshold(self.estimators_[0])
            return self.classes_[(scores > threshold).astype(np.intp)]
        return self.classes_[scores.argmax(axis=1)]

    def decision_function(self, X: Any) -> np.ndarray:
        """Votes plus normalised confidences, ``(n_samples, n_classes)`` (1-D for two classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=True, ensure_all_finite=False, reset=False)
        predictions = np.column_stack([e.predict(X) for e in self.estimators_])
        confidences = np.column_stack([_binary_scores(e, X) for e in self.estimators_])
        scores = ovr_decision_function(predictions, confidences, self.n_classes_)
        return scores[:, 1] if self.n_classes_ == 2 else scores


class OutputCodeClassifier(_FeaturesFromEstimators, _MulticlassMeta):
    """Error-correcting output codes: each class gets a random binary code word, one classifier learns each
    bit, and a sample gets the class whose code word is nearest to the predicted bits.

    Attributes:
        code_book_: ``(n_classes, int(n_classes * code_size))`` code words of ±1 (0/1 without
            ``decision_function``).
    """

    def __init__(self, estimator: Any, *, code_size: float = 1.5, random_state: Any = None,
                 n_jobs: int | None = None) -> None:
        self.estimator = estimator
        self.code_size = code_size
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: Any) -> OutputCodeClassifier:
        """Draws the code book and fits one classifier per code bit."""
        y = column_or_1d(np.asarray(y), warn=True)
        check_classification_targets(y)
        rng = check_random_state(self.random_state)
        self.classes_ = np.unique(y)
        n_bits = int(len(self.classes_) * self.code_size)
        if n_bits <= 0:
            raise ValueError(f"code_size should be greater than 0, got {self.code_size}")
        book = rng.uniform(size=(len(self.classes_), n_bits))
        book[book > 0.5] = 1.0
        book[book != 1] = -1.0 if hasattr(self.estimator, "decision_function") else 0.0
        self.code_book_ = book
        bits = book[np.searchsorted(self.classes_, y)].astype(np.int64)
        self.estimators_ = [_fit_binary(self.estimator, X, bits[:, b]) for b in range(n_bits)]
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The class whose code word is nearest (Euclidean) to the classifiers' outputs."""
        check_is_fitted(self)
        outputs = np.column_stack([_binary_scores(e, X) for e in self.estimators_])
        distances = ((outputs[:, None, :] - self.code_book_[None, :, :]) ** 2).sum(axis=2)
        return self.classes_[distances.argmin(axis=1)]
