"""Gradient boosting and stacking: behaviour, the spec's GBRT examples, and parity with scikit-learn."""
import numpy as np
import pytest

from ndflow.learn.datasets import make_classification, make_regression
from ndflow.learn.ensemble import (
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    StackingClassifier,
    StackingRegressor,
)
from ndflow.learn.exceptions import NotFittedError
from ndflow.learn.linear_model import LogisticRegression, Ridge
from ndflow.learn.metrics import mean_squared_error
from ndflow.learn.model_selection import train_test_split
from ndflow.learn.preprocessing._utils import InvalidParameterError
from ndflow.learn.tree import DecisionTreeClassifier, DecisionTreeRegressor


@pytest.fixture(scope="module")
def quad():
    rng = np.random.RandomState(42)
    X = rng.rand(100, 1) - 0.5
    y = 3 * X[:, 0] ** 2 + 0.05 * rng.randn(100)
    return X, y


def test_three_tree_gbrt_equals_manual_residual_fitting(quad):
    X, y = quad
    trees, resid = [], y
    for _ in range(3):
        tree = DecisionTreeRegressor(max_depth=2, random_state=42).fit(X, resid)
        resid = resid - tree.predict(X)
        trees.append(tree)
    X_new = np.array([[0.8]])
    manual = sum(t.predict(X_new) for t in trees)
    gbrt = GradientBoostingRegressor(max_depth=2, n_estimators=3, learning_rate=1.0, random_state=42).fit(X, y)
    np.testing.assert_allclose(gbrt.predict(X_new), manual, rtol=1e-12)
    np.testing.assert_allclose(manual, [0.75026781], atol=1e-8)
    assert gbrt.estimators_.shape == (3, 1) and gbrt.n_estimators_ == 3


def test_early_stopping_with_staged_predict(quad):
    X, y = quad
    X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=49)
    gbrt = GradientBoostingRegressor(max_depth=2, n_estimators=120, random_state=42).fit(X_train, y_train)
    errors = [mean_squared_error(y_val, p) for p in gbrt.staged_predict(X_val)]
    assert len(errors) == 120
    best = int(np.argmin(errors)) + 1
    assert best == 56
    best_model = GradientBoostingRegressor(max_depth=2, n_estimators=best, random_state=42).fit(X_train, y_train)
    np.testing.assert_allclose(best_model.predict(X_val), list(gbrt.staged_predict(X_val))[best - 1], rtol=1e-12)


def test_warm_start_early_stopping(quad):
    X, y = quad
    X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=49)
    gbrt = GradientBoostingRegressor(max_depth=2, warm_start=True, random_state=42)
    min_err, going_up = np.inf, 0
    for n in range(1, 120):
        gbrt.n_estimators = n
        gbrt.fit(X_train, y_train)
        err = mean_squared_error(y_val, gbrt.predict(X_val))
        if err < min_err:
            min_err, going_up = err, 0
        else:
            going_up += 1
            if going_up == 5:
                break
    assert gbrt.n_estimators == 61
    np.testing.assert_allclose(min_err, 0.002712853325235463, rtol=1e-9)
    cold = GradientBoostingRegressor(max_depth=2, n_estimators=61, random_state=42).fit(X_train, y_train)
    np.testing.assert_allclose(gbrt.predict(X_val), cold.predict(X_val), rtol=1e-12)
    gbrt.n_estimators = 10
    with pytest.raises(ValueError, match="must be larger or equal"):
        gbrt.fit(X_train, y_train)


def test_subsample_sets_oob_attributes(quad):
    X, y = quad
    gbrt = GradientBoostingRegressor(max_depth=2, n_estimators=20, subsample=0.25, random_state=42).fit(X, y)
    assert gbrt.oob_improvement_.shape == gbrt.oob_scores_.shape == gbrt.train_score_.shape == (20,)
    assert gbrt.oob_score_ == gbrt.oob_scores_[-1]
    full = GradientBoostingRegressor(max_depth=2, n_estimators=20, random_state=42).fit(X, y)
    assert not hasattr(full, "oob_improvement_")


def test_n_iter_no_change_stops_early():
    X, y = make_regression(n_samples=200, n_features=5, noise=10.0, random_state=0)
    gbrt = GradientBoostingRegressor(n_estimators=1000, n_iter_no_change=5, random_state=0).fit(X, y)
    assert gbrt.n_estimators_ < 1000
    assert gbrt.estimators_.shape[0] == gbrt.train_score_.shape[0] == gbrt.n_estimators_


def test_classifier_multiclass_shapes_and_staged_outputs():
    X, y = make_classification(n_samples=150, n_classes=3, n_informative=4, random_state=0)
    labels = np.array(["a", "b", "c"])[y]
    clf = GradientBoostingClassifier(n_estimators=10, random_state=0).fit(X, labels)
    assert clf.estimators_.shape == (10, 3) and clf.n_trees_per_iteration_ == 3
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(clf.predict(X)) <= set("abc")
    staged = list(clf.staged_predict_proba(X))
    assert len(staged) == 10
    np.testing.assert_allclose(staged[-1], proba)
    assert clf.decision_function(X).shape == (150, 3)
    assert clf.apply(X).shape == (150, 10, 3)
    np.testing.assert_allclose(clf.feature_importances_.sum(), 1.0)


def test_errors():
    X, y = make_regression(n_samples=30, n_features=3, random_state=0)
    with pytest.raises(NotFittedError):
        GradientBoostingRegressor().predict(X)
    with pytest.raises(InvalidParameterError):
        GradientBoostingRegressor(loss="log_loss").fit(X, y)
    with pytest.raises(InvalidParameterError):
        GradientBoostingRegressor(subsample=0.0).fit(X, y)
    Xc, yc = make_classification(n_samples=60, n_classes=3, n_informative=3, random_state=0)
    with pytest.raises(ValueError, match="only suitable for a binary"):
        GradientBoostingClassifier(loss="exponential").fit(Xc, yc)
    with pytest.warns(FutureWarning, match="criterion"):
        GradientBoostingRegressor(criterion="friedman_mse", n_estimators=2).fit(X, y)


def test_stacking_basic():
    X, y = make_classification(n_samples=120, random_state=0)
    stack = StackingClassifier([("lr", LogisticRegression()), ("dt", DecisionTreeClassifier(max_depth=3)),
                                ("skip", "drop")]).fit(X, y)
    assert stack.transform(X).shape == (120, 2)
    assert stack.named_estimators_["skip"] == "drop" and len(stack.estimators_) == 2
    assert stack.stack_method_ == ["predict_proba", "predict_proba"]
    assert stack.predict(X).shape == (120,)
    Xr, yr = make_regression(n_samples=80, n_features=4, random_state=0)
    reg = StackingRegressor([("r", Ridge()), ("dt", DecisionTreeRegressor(max_depth=3))], passthrough=True)
    assert reg.fit(Xr, yr).transform(Xr).shape == (80, 6)
    with pytest.raises(ValueError, match="not unique"):
        StackingRegressor([("a", Ridge()), ("a", Ridge())]).fit(Xr, yr)
    names = reg.get_feature_names_out()
    assert list(names) == ["stackingregressor_r", "stackingregressor_dt", "x0", "x1", "x2", "x3"]
    with pytest.raises(ValueError, match="should be a classifier"):
        StackingClassifier([("lr", LogisticRegression())], final_estimator=Ridge()).fit(X, y)


@pytest.mark.parametrize("klass,kw", [
    (GradientBoostingRegressor, {}),
    (GradientBoostingRegressor, {"subsample": 0.6, "max_depth": 4}),
    (GradientBoostingRegressor, {"max_features": 2}),  # too few features drawn: each tree sorts per node
    (GradientBoostingClassifier, {"max_leaf_nodes": 6}),
    (GradientBoostingClassifier, {"subsample": 0.7, "min_samples_leaf": 3}),
])
def test_features_sorted_once_per_ensemble_give_the_same_trees(monkeypatch, klass, kw):
    from ndflow.learn.ensemble import _gradient_boosting

    if klass is GradientBoostingRegressor:
        X, y = make_regression(n_samples=150, n_features=6, noise=3.0, random_state=0)
    else:
        X, y = make_classification(n_samples=150, n_features=6, n_informative=3, n_classes=3, random_state=0)
    X = np.round(X, 1)  # ties too
    weights = np.random.RandomState(0).rand(y.size) + 0.5
    shared = klass(n_estimators=8, random_state=0, **kw).fit(X, y, sample_weight=weights)
    with monkeypatch.context() as m:  # every tree sorts the features itself
        m.setattr(_gradient_boosting, "presort_features", lambda X: None)
        own = klass(n_estimators=8, random_state=0, **kw).fit(X, y, sample_weight=weights)
    for a, b in zip(shared.estimators_.ravel(), own.estimators_.ravel()):
        for name in ("children_left", "feature", "threshold", "n_node_samples", "value"):
            np.testing.assert_array_equal(getattr(a.tree_, name), getattr(b.tree_, name), err_msg=name)
    np.testing.assert_array_equal(shared.train_score_, own.train_score_)


# ---------------------------------------------------------------------------------------------- parity


@pytest.mark.parity
@pytest.mark.parametrize("kw", [{}, {"loss": "absolute_error"}, {"loss": "huber"}, {"max_features": 2},
                                {"learning_rate": 0.5, "max_depth": 4}])
def test_regressor_parity(kw):
    sk = pytest.importorskip("sklearn.ensemble")
    skd = pytest.importorskip("sklearn.datasets")
    X, y = skd.make_regression(n_samples=200, n_features=5, noise=5.0, random_state=0)
    ours = GradientBoostingRegressor(n_estimators=40, random_state=0, **kw).fit(X, y)
    ref = sk.GradientBoostingRegressor(n_estimators=40, random_state=0, **kw).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.train_score_, ref.train_score_, rtol=1e-10)
    for a, b in zip(ours.staged_predict(X[:20]), ref.staged_predict(X[:20])):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)
    # equal-gain splits on different features (ties) may be resolved differently: same predictions, and
    # importances that agree only roughly
    np.testing.assert_allclose(ours.feature_importances_, ref.feature_importances_, atol=2e-2)


@pytest.mark.parity
def test_regressor_subsample_and_early_stopping_parity():
    sk = pytest.importorskip("sklearn.ensemble")
    skd = pytest.importorskip("sklearn.datasets")
    X, y = skd.make_regression(n_samples=200, n_features=5, noise=5.0, random_state=0)
    ours = GradientBoostingRegressor(n_estimators=5, subsample=0.5, random_state=0).fit(X, y)
    ref = sk.GradientBoostingRegressor(n_estimators=5, subsample=0.5, random_state=0).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-10)
    np.testing.assert_allclose(ours.oob_scores_, ref.oob_scores_, rtol=1e-10)
    np.testing.assert_allclose(ours.oob_improvement_, ref.oob_improvement_, rtol=1e-8)
    rng = np.random.RandomState(42)
    Xq = rng.rand(100, 1) - 0.5
    yq = 3 * Xq[:, 0] ** 2 + 0.05 * rng.randn(100)
    ours = GradientBoostingRegressor(n_estimators=500, n_iter_no_change=5, random_state=0).fit(Xq, yq)
    ref = sk.GradientBoostingRegressor(n_estimators=500, n_iter_no_change=5, random_state=0).fit(Xq, yq)
    assert ours.n_estimators_ == ref.n_estimators_
    np.testing.assert_allclose(ours.predict(Xq), ref.predict(Xq), rtol=1e-10)


@pytest.mark.parity
@pytest.mark.parametrize("data,kw", [("classification", {}), ("moons", {}), ("multiclass", {}),
                                     ("classification", {"loss": "exponential"})])
def test_classifier_parity(data, kw):
    sk = pytest.importorskip("sklearn.ensemble")
    skd = pytest.importorskip("sklearn.datasets")
    if data == "classification":
        X, y = skd.make_classification(n_samples=200, random_state=0)
    elif data == "moons":
        X, y = skd.make_moons(n_samples=200, noise=0.3, random_state=0)
    else:
        X, y = skd.make_classification(n_samples=200, n_classes=3, n_informative=4, random_state=0)
    ours = GradientBoostingClassifier(n_estimators=30, random_state=0, **kw).fit(X, y)
    ref = sk.GradientBoostingClassifier(n_estimators=30, random_state=0, **kw).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    np.testing.assert_allclose(ours.train_score_, ref.train_score_, rtol=1e-9)
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), rtol=1e-9, atol=1e-12)
    for a, b in zip(ours.staged_predict_proba(X[:15]), ref.staged_predict_proba(X[:15])):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    for a, b in zip(ours.staged_predict(X[:15]), ref.staged_predict(X[:15])):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parity
def test_stacking_parity():
    skl = pytest.importorskip("sklearn")
    from sklearn import ensemble as ske
    from sklearn import linear_model as sklm
    from sklearn import tree as skt
    from sklearn.datasets import make_classification as skmc
    from sklearn.datasets import make_regression as skmr

    assert skl
    X, y = skmc(n_samples=150, n_classes=3, n_informative=4, random_state=0)
    ours = StackingClassifier([("lr", LogisticRegression()),
                               ("dt", DecisionTreeClassifier(max_depth=3, random_state=0))]).fit(X, y)
    ref = ske.StackingClassifier([("lr", sklm.LogisticRegression()),
                                  ("dt", skt.DecisionTreeClassifier(max_depth=3, random_state=0))]).fit(X, y)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-6, atol=1e-8)
    X, y = skmc(n_samples=150, random_state=0)
    ours = StackingClassifier([("lr", LogisticRegression()),
                               ("dt", DecisionTreeClassifier(max_depth=3, random_state=0))],
                              passthrough=True).fit(X, y)
    ref = ske.StackingClassifier([("lr", sklm.LogisticRegression()),
                                  ("dt", skt.DecisionTreeClassifier(max_depth=3, random_state=0))],
                                 passthrough=True).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-6, atol=1e-8)
    X, y = skmr(n_samples=150, n_features=5, noise=3.0, random_state=0)
    ours = StackingRegressor([("r", Ridge()), ("dt", DecisionTreeRegressor(max_depth=3, random_state=0))]).fit(X, y)
    ref = ske.StackingRegressor([("r", sklm.Ridge()),
                                 ("dt", skt.DecisionTreeRegressor(max_depth=3, random_state=0))]).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-8)


@pytest.mark.parity
@pytest.mark.parametrize("kw", [{}, {"loss": "huber", "alpha": 0.8}, {"loss": "quantile", "alpha": 0.3},
                                {"init": "zero"}])
def test_regressor_sample_weight_parity(kw):
    sk = pytest.importorskip("sklearn.ensemble")
    skd = pytest.importorskip("sklearn.datasets")
    X, y = skd.make_regression(n_samples=200, n_features=5, noise=5.0, random_state=0)
    w = np.random.RandomState(0).rand(200) + 0.5
    ours = GradientBoostingRegressor(n_estimators=20, random_state=0, **kw).fit(X, y, sample_weight=w)
    ref = sk.GradientBoostingRegressor(n_estimators=20, random_state=0, **kw).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.train_score_, ref.train_score_, rtol=1e-10)


@pytest.mark.parity
def test_classifier_sample_weight_and_init_estimator_parity():
    sk = pytest.importorskip("sklearn.ensemble")
    sklm = pytest.importorskip("sklearn.linear_model")
    skd = pytest.importorskip("sklearn.datasets")
    X, y = skd.make_classification(n_samples=200, random_state=0)
    w = np.random.RandomState(0).rand(200) + 0.5
    ours = GradientBoostingClassifier(n_estimators=20, random_state=0).fit(X, y, sample_weight=w)
    ref = sk.GradientBoostingClassifier(n_estimators=20, random_state=0).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-9, atol=1e-12)
    ours = GradientBoostingClassifier(n_estimators=20, random_state=0, init=LogisticRegression()).fit(X, y)
    ref = sk.GradientBoostingClassifier(n_estimators=20, random_state=0, init=sklm.LogisticRegression()).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)
