"""Tests of ndflow.learn.pipeline: composition semantics with small local estimators, then sklearn parity."""

import numpy as np
import pytest

from ndflow.learn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
from ndflow.learn.exceptions import NotFittedError
from ndflow.learn.impute import SimpleImputer
from ndflow.learn.pipeline import FeatureUnion, Pipeline, make_pipeline, make_union
from ndflow.learn.preprocessing import MinMaxScaler, PolynomialFeatures, StandardScaler

RNG = np.random.RandomState(0)
X = RNG.randn(30, 3) * [1.0, 4.0, 0.5] + [1.0, -2.0, 0.0]
Y = X @ [1.5, -0.5, 2.0] + 0.3


class LeastSquares(RegressorMixin, BaseEstimator):
    """Ordinary least squares with an intercept (test helper); records fit keyword arguments."""

    def __init__(self, shift: float = 0.0):
        self.shift = shift

    def fit(self, X, y, sample_weight=None):
        design = np.c_[np.ones(len(X)), X]
        weights = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight, float)
        root = np.sqrt(weights)[:, None]
        self.coef_ = np.linalg.lstsq(design * root, np.asarray(y) * root.ravel(), rcond=None)[0]
        self.sample_weight_seen_ = sample_weight is not None
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return np.c_[np.ones(len(X)), X] @ self.coef_ + self.shift

    def score(self, X, y, sample_weight=None):
        residual = np.asarray(y) - self.predict(X)
        return 1 - residual @ residual / ((y - np.mean(y)) @ (y - np.mean(y)))


class SignClassifier(ClassifierMixin, BaseEstimator):
    """Predicts whether the first feature is positive (test helper)."""

    def fit(self, X, y):
        self.classes_ = np.array([0, 1])
        return self

    def decision_function(self, X):
        return np.asarray(X)[:, 0]

    def predict_proba(self, X):
        p = 1 / (1 + np.exp(-self.decision_function(X)))
        return np.c_[1 - p, p]

    def predict(self, X):
        return (self.decision_function(X) > 0).astype(int)


class Doubler(TransformerMixin, BaseEstimator):
    """Multiplies by two, with an inverse (test helper)."""

    def fit(self, X, y=None):
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def transform(self, X):
        return np.asarray(X) * 2.0

    def inverse_transform(self, X):
        return np.asarray(X) / 2.0


def test_pipeline_fit_transforms_then_fits_final_step():
    pipe = Pipeline([("scaler", StandardScaler()), ("reg", LeastSquares())]).fit(X, Y)
    scaled = (X - X.mean(0)) / X.std(0)
    reference = LeastSquares().fit(scaled, Y)
    np.testing.assert_allclose(pipe.predict(X), reference.predict(scaled))
    np.testing.assert_allclose(pipe.score(X, Y), 1.0)
    assert pipe.named_steps["scaler"] is pipe["scaler"] is pipe[0] is pipe.named_steps.scaler
    np.testing.assert_allclose(pipe.named_steps.scaler.mean_, X.mean(0))
    assert pipe.n_features_in_ == 3 and len(pipe) == 2


def test_pipeline_indexing_slicing_and_params():
    pipe = make_pipeline(StandardScaler(), PolynomialFeatures(), LeastSquares())
    assert [name for name, _ in pipe.steps] == ["standardscaler", "polynomialfeatures", "leastsquares"]
    head = pipe[:2]
    assert isinstance(head, Pipeline) and len(head) == 2
    with pytest.raises(ValueError, match="Pipeline slicing only supports a step of 1"):
        pipe[::2]
    pipe.set_params(polynomialfeatures__degree=3, leastsquares__shift=1.0)
    assert pipe["polynomialfeatures"].degree == 3 and pipe[-1].shift == 1.0
    params = pipe.get_params()
    assert params["polynomialfeatures__include_bias"] is True and params["standardscaler"] is pipe[0]
    pipe.set_params(standardscaler="passthrough")
    assert pipe[0] == "passthrough"
    pipe.fit(X, Y)
    expected = (
        LeastSquares(shift=1.0)
        .fit(PolynomialFeatures(3).fit_transform(X), Y)
        .predict(PolynomialFeatures(3).fit_transform(X))
    )
    np.testing.assert_allclose(pipe.predict(X), expected)
    assert make_pipeline(StandardScaler(), StandardScaler()).steps[1][0] == "standardscaler-2"


def test_pipeline_delegation_and_availability():
    clf = Pipeline([("double", Doubler()), ("clf", SignClassifier())]).fit(X, X[:, 0] > 0)
    np.testing.assert_allclose(clf.decision_function(X), 2 * X[:, 0])
    np.testing.assert_allclose(clf.predict_proba(X)[:, 1], 1 / (1 + np.exp(-2 * X[:, 0])))
    assert clf.classes_.tolist() == [0, 1] and clf._estimator_type == "classifier"
    assert not hasattr(clf, "transform") and not hasattr(clf, "inverse_transform")
    reg = Pipeline([("double", Doubler()), ("reg", LeastSquares())])
    assert not hasattr(reg, "predict_proba")
    transformers = Pipeline([("double", Doubler()), ("scale", StandardScaler()), ("none", None)]).fit(X)
    np.testing.assert_allclose(transformers.transform(X), (X - X.mean(0)) / X.std(0))
    np.testing.assert_allclose(transformers.inverse_transform(transformers.transform(X)), X)
    np.testing.assert_allclose(transformers.fit_transform(X), transformers.transform(X))


def test_pipeline_fit_params_routing():
    pipe = Pipeline([("scale", StandardScaler()), ("reg", LeastSquares())])
    pipe.fit(X, Y, reg__sample_weight=np.ones(30), scale__sample_weight=np.arange(1, 31))
    assert pipe[-1].sample_weight_seen_
    weighted_mean = np.average(X, axis=0, weights=np.arange(1, 31))
    np.testing.assert_allclose(pipe[0].mean_, weighted_mean)
    with pytest.raises(ValueError, match="Pipeline.fit does not accept the sample_weight parameter"):
        pipe.fit(X, Y, sample_weight=np.ones(30))


def test_pipeline_validation_errors():
    with pytest.raises(ValueError, match="Names provided are not unique"):
        Pipeline([("a", StandardScaler()), ("a", LeastSquares())]).fit(X, Y)
    with pytest.raises(ValueError, match="Estimator names must not contain __"):
        Pipeline([("a__b", StandardScaler()), ("c", LeastSquares())]).fit(X, Y)
    with pytest.raises(TypeError, match="All intermediate steps should be transformers"):
        Pipeline([("reg", LeastSquares()), ("scale", StandardScaler())]).fit(X, Y)
    with pytest.raises(NotFittedError):
        Pipeline([("scale", StandardScaler()), ("reg", LeastSquares())]).predict(X)


def test_pipeline_feature_names_and_set_output():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    pipe = make_pipeline(SimpleImputer(), PolynomialFeatures(2, include_bias=False)).fit(df)
    assert pipe.get_feature_names_out().tolist()[:4] == ["a", "b", "c", "a^2"]
    out = pipe.set_output(transform="pandas").fit(df).transform(df)
    assert isinstance(out, pd.DataFrame) and out.columns[-1] == "c^2"
    with pytest.raises(AttributeError, match="does not provide get_feature_names_out"):
        make_pipeline(StandardScaler(), LeastSquares()).fit(X, Y).get_feature_names_out()


def test_feature_union_concatenates_and_weights():
    union = FeatureUnion([("std", StandardScaler()), ("minmax", MinMaxScaler())], transformer_weights={"minmax": 10.0})
    out = union.fit_transform(X)
    std = (X - X.mean(0)) / X.std(0)
    minmax = (X - X.min(0)) / (X.max(0) - X.min(0))
    np.testing.assert_allclose(out, np.c_[std, 10 * minmax])
    np.testing.assert_allclose(union.transform(X), out)
    assert union.get_feature_names_out().tolist()[:4] == ["std__x0", "std__x1", "std__x2", "minmax__x0"]
    union.set_params(minmax="drop")
    np.testing.assert_allclose(union.fit_transform(X), std)
    passthrough = make_union(StandardScaler(), "passthrough", n_jobs=2).fit(X)
    np.testing.assert_allclose(passthrough.transform(X), np.c_[std, X])
    assert passthrough.get_feature_names_out()[-1] == "passthrough__x2"
    with pytest.raises(ValueError, match='Attempting to weight transformer "nope"'):
        FeatureUnion([("a", StandardScaler())], transformer_weights={"nope": 1}).fit(X)


def test_verbose_messages_and_parallel_union(capsys):
    Pipeline([("scaler", StandardScaler()), ("s2", StandardScaler())], verbose=True).fit(X)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(len(line) == 70 for line in lines)
    assert lines[0].startswith("[Pipeline] ....") and "(step 1 of 2) Processing scaler, total=" in lines[0]
    serial = make_union(StandardScaler(), MinMaxScaler()).fit_transform(X)
    np.testing.assert_allclose(make_union(StandardScaler(), MinMaxScaler(), n_jobs=2).fit_transform(X), serial)


@pytest.mark.parity
def test_pipeline_parity_with_sklearn():
    sk_pipe = pytest.importorskip("sklearn.pipeline")
    from sklearn.linear_model import Ridge
    from sklearn.preprocessing import PolynomialFeatures as SkPoly
    from sklearn.preprocessing import StandardScaler as SkScaler

    mine = make_pipeline(PolynomialFeatures(degree=3, include_bias=False), StandardScaler(), Ridge(alpha=1e-3))
    theirs = sk_pipe.make_pipeline(SkPoly(degree=3, include_bias=False), SkScaler(), Ridge(alpha=1e-3))
    mine.fit(X, Y)
    theirs.fit(X, Y)
    np.testing.assert_allclose(mine.predict(X), theirs.predict(X), rtol=1e-8)
    np.testing.assert_allclose(mine.score(X, Y), theirs.score(X, Y))
    np.testing.assert_allclose(mine[:-1].transform(X), theirs[:-1].transform(X))
    assert mine[:-1].get_feature_names_out().tolist() == theirs[:-1].get_feature_names_out().tolist()
    assert sorted(mine.get_params()) == sorted(theirs.get_params())
    assert [n for n, _ in mine.steps] == [n for n, _ in theirs.steps]


@pytest.mark.parity
def test_pipeline_works_inside_sklearn_tooling():
    pytest.importorskip("sklearn")
    from sklearn.base import is_classifier, is_regressor
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.model_selection import GridSearchCV

    labels = (X[:, 0] + X[:, 2] > 1).astype(int)
    clf = make_pipeline(StandardScaler(), LogisticRegression())
    assert is_classifier(clf) and is_regressor(make_pipeline(StandardScaler(), Ridge()))
    search = GridSearchCV(clf, {"logisticregression__C": [0.01, 100.0]}, cv=3).fit(X, labels)
    assert search.best_params_ == {"logisticregression__C": 100.0}
    assert search.best_estimator_.named_steps["standardscaler"].mean_.shape == (3,)


@pytest.mark.parity
def test_feature_union_parity_with_sklearn():
    sk_pipe = pytest.importorskip("sklearn.pipeline")
    from sklearn.preprocessing import MinMaxScaler as SkMinMax
    from sklearn.preprocessing import StandardScaler as SkScaler

    mine = make_union(StandardScaler(), MinMaxScaler(), "passthrough")
    theirs = sk_pipe.make_union(SkScaler(), SkMinMax(), "passthrough")
    np.testing.assert_allclose(mine.fit_transform(X), theirs.fit_transform(X))
    assert mine.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()


@pytest.mark.parity
@pytest.mark.parametrize(
    "make",
    [
        lambda m, s: m.Pipeline([("a", s.StandardScaler()), ("a", s.StandardScaler())]).fit(X),
        lambda m, s: m.Pipeline([("a__b", s.StandardScaler())]).fit(X),
        lambda m, s: m.Pipeline([("steps", s.StandardScaler())]).fit(X),
        lambda m, s: m.Pipeline([("a", s.StandardScaler()), ("b", 3)]).fit(X),
        lambda m, s: m.make_pipeline(s.StandardScaler()).fit(X, foo=1),
        lambda m, s: m.make_pipeline(s.StandardScaler())[::2],
    ],
)
def test_pipeline_error_parity(make):
    sk_pipe = pytest.importorskip("sklearn.pipeline")
    import sklearn.preprocessing as sk_pre

    import ndflow.learn.pipeline as ours
    import ndflow.learn.preprocessing as our_pre

    with pytest.raises(Exception) as theirs:
        make(sk_pipe, sk_pre)
    with pytest.raises(type(theirs.value)) as mine:
        make(ours, our_pre)
    assert str(mine.value) == str(theirs.value).replace(
        "sklearn.preprocessing._data", "ndflow.learn.preprocessing._data"
    )
