"""ndflow.learn.ensemble: forests, bagging, isolation forest and AdaBoost against hand-derivable facts."""
import numpy as np
import pytest

from ndflow.learn.datasets import load_iris, make_moons
from ndflow.learn.ensemble import (
    AdaBoostClassifier,
    AdaBoostRegressor,
    BaggingClassifier,
    BaggingRegressor,
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    IsolationForest,
    RandomForestClassifier,
    RandomForestRegressor,
)
from ndflow.learn.exceptions import NotFittedError
from ndflow.learn.tree import DecisionTreeClassifier, DecisionTreeRegressor


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(n_samples=300, noise=0.3, random_state=42)
    return X[:200], y[:200], X[200:], y[200:]


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def test_random_forest_basics(moons):
    X, y, Xt, yt = moons
    rf = RandomForestClassifier(n_estimators=30, random_state=0, oob_score=True).fit(X, y)
    assert len(rf.estimators_) == 30 and rf.n_classes_ == 2
    assert rf.score(Xt, yt) > 0.8 and 0.8 < rf.oob_score_ < 1.0
    proba = rf.predict_proba(Xt)
    np.testing.assert_allclose(proba, np.mean([t.predict_proba(Xt) for t in rf.estimators_], axis=0))
    np.testing.assert_array_equal(rf.predict(Xt), rf.classes_[np.argmax(proba, axis=1)])
    np.testing.assert_allclose(rf.oob_decision_function_.sum(axis=1), 1.0)
    assert rf.feature_importances_.sum() == pytest.approx(1.0)
    assert all(t.max_features_ == 1 for t in rf.estimators_)  # sqrt(2) features per split
    assert rf.apply(Xt).shape == (100, 30)
    indicator, offsets = rf.decision_path(Xt)
    assert offsets[-1] == indicator.shape[1] == sum(t.tree_.node_count for t in rf.estimators_)


def test_random_forest_oob_uses_only_unseen_trees(iris):
    X, y = iris
    rf = RandomForestClassifier(n_estimators=25, random_state=1, oob_score=True).fit(X, y)
    samples = rf.estimators_samples_
    i = 0
    seen_by = [k for k, s in enumerate(samples) if i not in s]
    expected = np.mean([rf.estimators_[k].predict_proba(X[:1]) for k in seen_by], axis=0)[0]
    np.testing.assert_allclose(rf.oob_decision_function_[i], expected)
    expected_score = np.mean(np.argmax(rf.oob_decision_function_, axis=1) == y)
    assert rf.oob_score_ == pytest.approx(expected_score)


def test_forest_seeds_warm_start_and_n_jobs(moons):
    X, y, Xt, _ = moons
    full = RandomForestClassifier(n_estimators=10, random_state=3).fit(X, y)
    warm = RandomForestClassifier(n_estimators=5, random_state=3, warm_start=True).fit(X, y)
    warm.set_params(n_estimators=10).fit(X, y)
    np.testing.assert_allclose(full.predict_proba(Xt), warm.predict_proba(Xt))
    threads = RandomForestClassifier(n_estimators=10, random_state=3, n_jobs=2).fit(X, y)
    np.testing.assert_allclose(full.predict_proba(Xt), threads.predict_proba(Xt))
    with pytest.warns(UserWarning, match="does not fit new trees"):
        warm.fit(X, y)
    with pytest.raises(ValueError, match="must be larger or equal"):
        warm.set_params(n_estimators=3).fit(X, y)


def test_forest_errors(moons):
    X, y, _, _ = moons
    with pytest.raises(ValueError, match="Out of bag estimation only available if bootstrap=True"):
        ExtraTreesClassifier(oob_score=True).fit(X, y)
    with pytest.raises(ValueError, match="max_sample"):
        RandomForestClassifier(bootstrap=False, max_samples=10).fit(X, y)
    with pytest.raises(NotFittedError):
        RandomForestClassifier().predict(X)


def test_regression_forests():
    rng = np.random.RandomState(0)
    X = rng.rand(150, 4)
    y = 3 * X[:, 0] + np.sin(4 * X[:, 1]) + 0.1 * rng.randn(150)
    rf = RandomForestRegressor(n_estimators=20, random_state=0, oob_score=True, max_samples=0.8).fit(X, y)
    np.testing.assert_allclose(rf.predict(X), np.mean([t.predict(X) for t in rf.estimators_], axis=0))
    assert rf.oob_score_ > 0.7 and rf.oob_prediction_.shape == (150,)
    assert all(np.sum(np.bincount(s, minlength=150) > 0) < 150 for s in rf.estimators_samples_)
    et = ExtraTreesRegressor(n_estimators=10, random_state=0).fit(X, y)
    assert et.score(X, y) == pytest.approx(1.0)  # no bootstrap, fully grown
    assert np.argmax(et.feature_importances_) == 0


def test_extra_trees_classifier_and_class_weight(iris):
    X, y = iris
    et = ExtraTreesClassifier(n_estimators=20, random_state=0, class_weight="balanced").fit(X, y)
    assert et.score(X, y) == 1.0
    sub = RandomForestClassifier(n_estimators=10, random_state=0, class_weight="balanced_subsample").fit(X, y)
    assert sub.score(X, y) > 0.95


def test_bagging_oob_and_pasting(moons):
    X, y, Xt, yt = moons
    bag = BaggingClassifier(DecisionTreeClassifier(), n_estimators=50, bootstrap=True, oob_score=True,
                            random_state=40).fit(X, y)
    np.testing.assert_allclose(bag.oob_decision_function_.sum(axis=1), 1.0)
    assert bag.oob_score_ == pytest.approx(np.mean(np.argmax(bag.oob_decision_function_, axis=1) == y))
    assert bag.score(Xt, yt) > 0.8
    paste = BaggingClassifier(DecisionTreeClassifier(), n_estimators=10, max_samples=50, bootstrap=False,
                              random_state=0).fit(X, y)
    assert all(np.unique(s).size == s.size == 50 for s in paste.estimators_samples_)
    with pytest.raises(ValueError, match="Out of bag estimation only available if bootstrap=True"):
        BaggingClassifier(bootstrap=False, oob_score=True).fit(X, y)


def test_random_subspaces_and_patches(iris):
    X, y = iris
    sub = BaggingClassifier(n_estimators=10, max_features=2, bootstrap=False, random_state=0).fit(X, y)
    assert all(len(np.unique(f)) == 2 for f in sub.estimators_features_)
    assert all(t.n_features_in_ == 2 for t in sub.estimators_)
    patches = BaggingClassifier(n_estimators=10, max_features=3, bootstrap_features=True, max_samples=0.5,
                                random_state=0).fit(X, y)
    assert all(len(f) == 3 for f in patches.estimators_features_)
    assert patches.score(X, y) > 0.9
    assert not hasattr(sub, "decision_function")


def test_bagging_regressor():
    rng = np.random.RandomState(0)
    X = rng.rand(100, 3)
    y = X[:, 0] * 2 + rng.randn(100) * 0.05
    bag = BaggingRegressor(DecisionTreeRegressor(), n_estimators=25, oob_score=True, random_state=0).fit(X, y)
    members = np.mean([m.predict(X) for m in bag.estimators_], axis=0)
    np.testing.assert_allclose(bag.predict(X), members)
    assert bag.oob_score_ > 0.9


def test_isolation_forest_flags_far_points():
    rng = np.random.RandomState(0)
    inliers = rng.randn(120, 2)
    outliers = np.array([[8.0, 8.0], [-9.0, 7.0], [10.0, -8.0]])
    X = np.vstack([inliers, outliers])
    iso = IsolationForest(n_estimators=30, random_state=0).fit(X)
    assert iso.offset_ == -0.5 and iso.max_samples_ == 123 and iso.estimators_[0].max_depth == 7
    scores = iso.score_samples(X)
    assert np.all(scores[-3:] < scores[:-3].min())
    np.testing.assert_allclose(iso.decision_function(X), scores + 0.5)
    np.testing.assert_array_equal(iso.predict(outliers), [-1, -1, -1])
    contaminated = IsolationForest(n_estimators=30, contamination=0.1, random_state=0).fit(X)
    assert np.mean(contaminated.predict(X) == -1) == pytest.approx(0.1, abs=0.01)
    assert contaminated.offset_ == pytest.approx(np.percentile(contaminated.score_samples(X), 10))


def test_isolation_forest_average_path_length_formula():
    from ndflow.learn.ensemble._iforest import _average_path_length

    n = np.array([1, 2, 5, 256])
    h = np.log(n[2:] - 1) + np.euler_gamma
    np.testing.assert_allclose(_average_path_length(n), [0, 1, *(2 * h - 2 * (n[2:] - 1) / n[2:])])


def test_adaboost_samme_weights_by_hand(moons):
    X, y, Xt, yt = moons
    ada = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=20, learning_rate=0.5,
                             random_state=42).fit(X, y)
    stump = DecisionTreeClassifier(max_depth=1).fit(X, y, sample_weight=np.full(len(y), 1 / len(y)))
    err = np.mean(stump.predict(X) != y)
    assert ada.estimator_errors_[0] == pytest.approx(err)
    assert ada.estimator_weights_[0] == pytest.approx(0.5 * np.log((1 - err) / err))  # log(K - 1) = 0
    staged = list(ada.staged_predict(Xt))
    assert len(staged) == 20
    np.testing.assert_array_equal(staged[-1], ada.predict(Xt))
    decision = ada.decision_function(Xt)
    np.testing.assert_array_equal(ada.predict(Xt), ada.classes_[(decision > 0).astype(int)])
    proba = ada.predict_proba(Xt)
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-decision)))
    assert ada.score(Xt, yt) > 0.8


def test_adaboost_multiclass_and_regressor(iris):
    X, y = iris
    ada = AdaBoostClassifier(n_estimators=10, random_state=0).fit(X, y)
    assert ada.decision_function(X).shape == (150, 3) and ada.score(X, y) > 0.9
    assert ada.feature_importances_.sum() == pytest.approx(1.0)
    reg = AdaBoostRegressor(n_estimators=10, random_state=0).fit(X[:, :3], X[:, 3])
    assert reg.score(X[:, :3], X[:, 3]) > 0.9
    assert len(list(reg.staged_predict(X[:, :3]))) == len(reg.estimators_)


def test_adaboost_rejects_estimators_without_sample_weight(iris):
    X, y = iris

    class NoWeights(DecisionTreeClassifier):
        def fit(self, X, y):
            return super().fit(X, y)

    with pytest.raises(ValueError, match="doesn't support sample_weight"):
        AdaBoostClassifier(NoWeights()).fit(X, y)


def test_voting_classifier_hard_and_soft(moons):
    from ndflow.learn.ensemble import VotingClassifier

    X, y, Xt, yt = moons
    members = [("deep", DecisionTreeClassifier(random_state=0)), ("stump", DecisionTreeClassifier(max_depth=1)),
               ("rf", RandomForestClassifier(n_estimators=10, random_state=0))]
    hard = VotingClassifier(members, voting="hard", weights=[1, 1, 2]).fit(X, y)
    votes = hard.transform(Xt)
    tally = np.stack([(votes == c) @ np.array([1, 1, 2]) for c in (0, 1)], axis=1)
    np.testing.assert_array_equal(hard.predict(Xt), np.argmax(tally, axis=1))
    assert not hasattr(hard, "predict_proba")
    soft = VotingClassifier(members, voting="soft").fit(X, y)
    mean = np.mean([m.predict_proba(Xt) for m in soft.estimators_], axis=0)
    np.testing.assert_allclose(soft.predict_proba(Xt), mean)
    assert soft.transform(Xt).shape == (100, 6) and set(soft.named_estimators_) == {"deep", "stump", "rf"}
    with pytest.raises(ValueError, match="weights must be equal"):
        VotingClassifier(members, weights=[1, 2]).fit(X, y)


def test_voting_regressor_averages():
    from ndflow.learn.ensemble import VotingRegressor

    rng = np.random.RandomState(0)
    X = rng.rand(60, 2)
    y = X[:, 0] + X[:, 1]
    vote = VotingRegressor([("a", DecisionTreeRegressor(max_depth=2)), ("b", DecisionTreeRegressor())],
                           weights=[3, 1]).fit(X, y)
    preds = vote.transform(X)
    np.testing.assert_allclose(vote.predict(X), (3 * preds[:, 0] + preds[:, 1]) / 4)
