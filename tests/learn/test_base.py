"""Tests of ndflow.learn.base: parameters, clone, repr, pickling, mixins and the tags sklearn reads."""
import pickle

import numpy as np
import pytest

from ndflow.learn.base import (
    BaseEstimator,
    ClassifierMixin,
    MultiOutputMixin,
    RegressorMixin,
    TransformerMixin,
    clone,
    is_classifier,
    is_regressor,
)


class Inner(BaseEstimator):
    def __init__(self, alpha=1.0, beta=None):
        self.alpha = alpha
        self.beta = beta


class Outer(BaseEstimator):
    def __init__(self, estimator=None, n=3, grid=(1, 2)):
        self.estimator = estimator
        self.n = n
        self.grid = grid


class ThresholdClassifier(ClassifierMixin, BaseEstimator):
    def __init__(self, threshold=0.0):
        self.threshold = threshold

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return (np.asarray(X)[:, 0] > self.threshold).astype(int)


class Doubler(MultiOutputMixin, RegressorMixin, BaseEstimator):
    def fit(self, X, y):
        self.fitted_ = True
        return self

    def predict(self, X):
        return 2 * np.asarray(X)[:, 0]


class Scale(TransformerMixin, BaseEstimator):
    def fit(self, X, y=None):
        self.scale_ = np.abs(np.asarray(X)).max()
        return self

    def transform(self, X):
        return np.asarray(X) / self.scale_


def test_get_and_set_params_nested():
    est = Outer(Inner(alpha=2.0))
    params = est.get_params()
    assert params["estimator__alpha"] == 2.0 and params["n"] == 3
    assert set(est.get_params(deep=False)) == {"estimator", "n", "grid"}
    assert est.set_params(n=5, estimator__beta="x") is est
    assert est.n == 5 and est.estimator.beta == "x"
    with pytest.raises(ValueError, match=r"Invalid parameter 'gamma' for estimator Outer\(.*\). Valid parameters"):
        est.set_params(gamma=1)


def test_clone_copies_parameters_not_fitted_state():
    est = Outer(Inner(alpha=np.array([1.0, 2.0])), grid=[1, 2])
    est.fitted_ = True
    copy = clone(est)
    assert not hasattr(copy, "fitted_")
    assert copy.estimator is not est.estimator and copy.grid is not est.grid
    np.testing.assert_array_equal(copy.estimator.alpha, [1.0, 2.0])
    assert [type(e) for e in clone([Inner(), Inner()])] == [Inner, Inner]
    with pytest.raises(TypeError, match="Cannot clone object"):
        clone("not an estimator")
    assert clone("kept", safe=False) == "kept"


def test_repr_shows_changed_parameters_only():
    assert repr(Inner()) == "Inner()"
    assert repr(Inner(alpha=0.5, beta="b")) == "Inner(alpha=0.5, beta='b')"
    assert repr(Outer(Inner(alpha=3))) == "Outer(estimator=Inner(alpha=3))"


def test_pickle_round_trip_keeps_fitted_state():
    est = Scale().fit([[2.0], [-4.0]])
    restored = pickle.loads(pickle.dumps(est))
    assert restored.scale_ == 4.0
    np.testing.assert_allclose(restored.transform([[2.0]]), [[0.5]])


def test_mixins_and_scores():
    X = np.array([[-1.0], [0.5], [2.0], [-0.2]])
    clf = ThresholdClassifier().fit(X, [0, 1, 1, 1])
    assert is_classifier(clf) and not is_regressor(clf)
    assert clf.score(X, [0, 1, 1, 1]) == 0.75  # the last sample is misclassified
    reg = Doubler().fit(X, None)
    assert is_regressor(reg)
    y = np.array([-2.0, 1.0, 4.0, 0.0])
    residual = ((y - 2 * X[:, 0]) ** 2).sum()
    assert reg.score(X, y) == pytest.approx(1 - residual / ((y - y.mean()) ** 2).sum())
    np.testing.assert_allclose(Scale().fit_transform([[1.0], [-2.0]]), [[0.5], [-1.0]])


def test_fitted_detection():
    est = Scale()
    assert not est.__sklearn_is_fitted__()
    assert est.fit([[1.0]]).__sklearn_is_fitted__()


# --- parity with scikit-learn ---------------------------------------------------------------------------


@pytest.mark.parity
def test_parity_tags_read_by_sklearn():
    utils = pytest.importorskip("sklearn.utils")
    assert utils.get_tags(ThresholdClassifier()).estimator_type == "classifier"
    assert utils.get_tags(ThresholdClassifier()).target_tags.required
    regressor_tags = utils.get_tags(Doubler())
    assert regressor_tags.estimator_type == "regressor" and regressor_tags.target_tags.multi_output
    assert utils.get_tags(Scale()).transformer_tags is not None
    assert utils.get_tags(Inner()).estimator_type is None


@pytest.mark.parity
def test_parity_is_classifier_on_sklearn_estimators():
    linear_model = pytest.importorskip("sklearn.linear_model")
    assert is_classifier(linear_model.LogisticRegression())
    assert is_regressor(linear_model.Ridge())
    assert not is_classifier(linear_model.Ridge())


@pytest.mark.parity
def test_parity_messages_and_clone_interplay():
    base = pytest.importorskip("sklearn.base")
    with pytest.raises(TypeError) as ours:
        clone(object())
    with pytest.raises(TypeError) as theirs:
        base.clone(object())
    assert str(ours.value).split(":")[1] == str(theirs.value).split(":")[1]
    est = Outer(Inner(alpha=2.0))
    copy = base.clone(est)  # sklearn's clone works on ndflow estimators
    assert copy.get_params()["estimator__alpha"] == 2.0 and copy.estimator is not est.estimator

    class SkInner(base.BaseEstimator):
        def __init__(self, alpha=1.0):
            self.alpha = alpha

    with pytest.raises(ValueError) as theirs_error:
        SkInner().set_params(gamma=1)
    with pytest.raises(ValueError) as ours_error:
        Inner().set_params(gamma=1)
    assert str(ours_error.value).split("Valid")[0].replace("Inner()", "X") == \
        str(theirs_error.value).split("Valid")[0].replace("SkInner()", "X")
