"""Tests of ndflow.learn.multiclass: one-vs-rest, one-vs-one and output codes, with small binary classifiers
whose decisions can be derived by hand, and parity with scikit-learn."""
import numpy as np
import pytest

from ndflow.learn.base import BaseEstimator, ClassifierMixin
from ndflow.learn.datasets import load_digits, load_iris
from ndflow.learn.exceptions import NotFittedError
from ndflow.learn.multiclass import (
    OneVsOneClassifier,
    OneVsRestClassifier,
    OutputCodeClassifier,
    ovr_decision_function,
)
from ndflow.learn.neighbors import KNeighborsClassifier


class CentroidClassifier(ClassifierMixin, BaseEstimator):
    """Binary: decision = distance to the first class's centroid minus distance to the second's."""

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_ = np.unique(y)
        self.centroids_ = np.array([X[y == c].mean(axis=0) for c in self.classes_])
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X):
        X = np.asarray(X, dtype=float)
        return np.linalg.norm(X - self.centroids_[0], axis=1) - np.linalg.norm(X - self.centroids_[-1], axis=1)

    def predict(self, X):
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


class ZeroDecision(CentroidClassifier):
    """Always undecided: every decision value is 0."""

    def decision_function(self, X):
        return np.zeros(len(X))


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def test_ovr_fits_one_classifier_per_class(iris):
    X, y = iris
    ovr = OneVsRestClassifier(CentroidClassifier()).fit(X, y)
    assert len(ovr.estimators_) == 3 and ovr.n_classes_ == 3 and ovr.n_features_in_ == 4
    for k, est in enumerate(ovr.estimators_):
        np.testing.assert_allclose(est.centroids_[1], X[y == k].mean(axis=0))
        np.testing.assert_allclose(est.centroids_[0], X[y != k].mean(axis=0))
    scores = ovr.decision_function(X)
    assert scores.shape == (150, 3)
    np.testing.assert_array_equal(ovr.predict(X), scores.argmax(axis=1))
    assert not ovr.multilabel_


def test_ovr_ties_go_to_the_last_class(iris):
    X, y = iris
    ovr = OneVsRestClassifier(ZeroDecision()).fit(X, y)
    np.testing.assert_array_equal(ovr.predict(X[:5]), [2] * 5)


def test_ovr_binary_uses_one_classifier(iris):
    X, y = iris
    labels = np.where(y == 2, "yes", "no")
    ovr = OneVsRestClassifier(CentroidClassifier()).fit(X, labels)
    assert len(ovr.estimators_) == 1
    scores = ovr.decision_function(X)
    assert scores.shape == (150,)
    np.testing.assert_array_equal(ovr.predict(X), np.where(scores > 0, "yes", "no"))


def test_ovr_predict_proba_normalises_knn_probabilities(iris):
    X, y = iris
    ovr = OneVsRestClassifier(KNeighborsClassifier(n_neighbors=10)).fit(X, y)
    positive = np.column_stack([KNeighborsClassifier(n_neighbors=10).fit(X, y == k).predict_proba(X)[:, 1]
                                for k in range(3)])
    np.testing.assert_allclose(ovr.predict_proba(X), positive / positive.sum(axis=1, keepdims=True))
    assert not hasattr(ovr, "decision_function")
    assert not hasattr(OneVsOneClassifier(KNeighborsClassifier()), "predict_proba")


def test_ovr_multilabel(iris):
    X, y = iris
    Y = np.column_stack([y == 0, y >= 1, np.zeros_like(y)]).astype(int)
    with pytest.warns(UserWarning, match="Label not 2 is present in all training examples"):
        ovr = OneVsRestClassifier(KNeighborsClassifier(n_neighbors=3)).fit(X, Y)
    assert ovr.multilabel_
    pred = ovr.predict(X)
    assert pred.shape == (150, 3)
    np.testing.assert_array_equal(pred[:, 2], 0)
    proba = ovr.predict_proba(X)
    assert proba.shape == (150, 3) and np.all(proba[:, 2] == 0)  # not normalised for multilabel


def test_ovr_errors():
    with pytest.raises(NotFittedError):
        OneVsRestClassifier(CentroidClassifier()).predict(np.ones((2, 2)))
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        OneVsRestClassifier(CentroidClassifier()).fit(np.ones((3, 2)), [0.5, 1.5, 2.2])


def test_ovr_decision_function_by_hand():
    # 3 classes, pairs (0,1), (0,2), (1,2); one sample: 1 beats 0, 0 beats 2, 1 beats 2
    predictions = np.array([[1, 0, 0]])
    confidences = np.array([[0.8, -0.5, -1.0]])
    votes = np.array([1.0, 2.0, 0.0])
    summed = np.array([-0.8 - (-0.5), 0.8 - (-1.0), -0.5 + (-1.0)])
    expected = votes + summed / (3 * (np.abs(summed) + 1))
    np.testing.assert_allclose(ovr_decision_function(predictions, confidences, 3), [expected])


def test_ovo_fits_one_classifier_per_pair_of_digits():
    X, y = load_digits(return_X_y=True)
    ovo = OneVsOneClassifier(CentroidClassifier()).fit(X[::3], y[::3])
    assert len(ovo.estimators_) == 45
    first = ovo.estimators_[0]  # classes 0 and 1, relabelled 0/1
    np.testing.assert_allclose(first.centroids_[1], X[::3][y[::3] == 1].mean(axis=0))
    scores = ovo.decision_function(X[:20])
    assert scores.shape == (20, 10)
    np.testing.assert_array_equal(ovo.predict(X[:20]), scores.argmax(axis=1))
    assert (ovo.predict(X) == y).mean() > 0.85


def test_ovo_binary_and_errors(iris):
    X, y = iris
    ovo = OneVsOneClassifier(CentroidClassifier()).fit(X, y == 1)
    assert len(ovo.estimators_) == 1
    np.testing.assert_array_equal(ovo.predict(X), ovo.decision_function(X) > 0)
    with pytest.raises(ValueError, match="OneVsOneClassifier can not be fit when only one class is present"):
        OneVsOneClassifier(CentroidClassifier()).fit(X, np.zeros(150))
    with pytest.raises(NotFittedError):
        OneVsOneClassifier(CentroidClassifier()).decision_function(X)


def test_output_code_classifier(iris):
    X, y = iris
    occ = OutputCodeClassifier(CentroidClassifier(), code_size=2.0, random_state=0).fit(X, y)
    assert occ.code_book_.shape == (3, 6) and set(np.unique(occ.code_book_)) <= {-1.0, 1.0}
    assert len(occ.estimators_) == 6
    outputs = np.column_stack([e.decision_function(X) for e in occ.estimators_])
    distances = ((outputs[:, None, :] - occ.code_book_[None]) ** 2).sum(axis=2)
    np.testing.assert_array_equal(occ.predict(X), distances.argmin(axis=1))
    knn_book = OutputCodeClassifier(KNeighborsClassifier(), random_state=0).fit(X, y).code_book_
    assert set(np.unique(knn_book)) <= {0.0, 1.0}


# --- parity with scikit-learn ---------------------------------------------------------------------------


@pytest.mark.parity
def test_parity_with_sklearn_meta_estimators(iris):
    linear_model = pytest.importorskip("sklearn.linear_model")
    multiclass = pytest.importorskip("sklearn.multiclass")
    X, y = iris
    X = (X - X.mean(axis=0)) / X.std(axis=0)  # quick, well-conditioned fits
    base = linear_model.LogisticRegression()
    for ours_cls, theirs_cls in [(OneVsRestClassifier, multiclass.OneVsRestClassifier),
                                 (OneVsOneClassifier, multiclass.OneVsOneClassifier)]:
        for target in (y, y == 1):
            ours, theirs = ours_cls(base).fit(X, target), theirs_cls(base).fit(X, target)
            np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
            np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), rtol=1e-10)
    np.testing.assert_allclose(OneVsRestClassifier(base).fit(X, y).predict_proba(X),
                               multiclass.OneVsRestClassifier(base).fit(X, y).predict_proba(X))
    ours = OutputCodeClassifier(base, random_state=4).fit(X, y)
    theirs = multiclass.OutputCodeClassifier(base, random_state=4).fit(X, y)
    np.testing.assert_array_equal(ours.code_book_, theirs.code_book_)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


@pytest.mark.parity
def test_parity_with_knn_base_and_multilabel(iris):
    multiclass = pytest.importorskip("sklearn.multiclass")
    X, y = iris
    Y = np.column_stack([y == 0, y >= 1, y == 2]).astype(int)
    ours = OneVsRestClassifier(KNeighborsClassifier(n_neighbors=7)).fit(X, Y)
    theirs = multiclass.OneVsRestClassifier(KNeighborsClassifier(n_neighbors=7)).fit(X, Y)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X))
    ours = OneVsOneClassifier(KNeighborsClassifier(n_neighbors=7)).fit(X, y)
    theirs = multiclass.OneVsOneClassifier(KNeighborsClassifier(n_neighbors=7)).fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X))
