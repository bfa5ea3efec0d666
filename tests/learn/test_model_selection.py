"""Tests for ndflow.learn.model_selection: splitters, cross-validation helpers and searches."""
import warnings

import numpy as np
import pytest

from ndflow.learn import model_selection as MS
from ndflow.learn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from ndflow.learn.exceptions import FitFailedWarning, NotFittedError
from ndflow.learn.metrics import accuracy_score, r2_score


class _ThresholdClassifier(ClassifierMixin, BaseEstimator):
    """Predicts ``classes_[1]`` when the first feature exceeds ``threshold``."""

    def __init__(self, threshold=0.0, fail=False):
        self.threshold = threshold
        self.fail = fail

    def fit(self, X, y):
        if self.fail:
            raise ValueError("asked to fail")
        self.classes_ = np.unique(y)
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def decision_function(self, X):
        return np.asarray(X)[:, 0] - self.threshold

    def predict_proba(self, X):
        p = 1 / (1 + np.exp(-self.decision_function(X)))
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


class _MeanRegressor(RegressorMixin, BaseEstimator):
    """Predicts the training mean of y plus ``shift``."""

    def __init__(self, shift=0.0):
        self.shift = shift

    def fit(self, X, y):
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_ + self.shift)


def _splits(cv, *args, **kwargs):
    return [(train.tolist(), test.tolist()) for train, test in cv.split(*args, **kwargs)]


# ----------------------------------------------------------------------------------------------- splitters


def test_kfold_fold_sizes_and_shuffle():
    X = np.zeros((10, 1))
    tests = [test for _, test in _splits(MS.KFold(3), X)]
    assert tests == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    shuffled = np.arange(10)
    np.random.RandomState(0).shuffle(shuffled)
    tests = [test for _, test in _splits(MS.KFold(2, shuffle=True, random_state=0), X)]
    assert tests == [sorted(shuffled[:5].tolist()), sorted(shuffled[5:].tolist())]
    assert MS.KFold(4).get_n_splits() == 4
    assert repr(MS.KFold(3)) == "KFold(n_splits=3, random_state=None, shuffle=False)"


def test_kfold_errors():
    with pytest.raises(ValueError, match="k-fold cross-validation requires at least one train/test split"):
        MS.KFold(1)
    with pytest.raises(ValueError, match="Setting a random_state has no effect since shuffle is False"):
        MS.KFold(3, random_state=0)
    with pytest.raises(ValueError, match="Cannot have number of splits n_splits=5 greater than the number "
                                         "of samples: n_samples=3."):
        list(MS.KFold(5).split(np.zeros((3, 1))))


def test_stratified_kfold_keeps_proportions():
    y = np.array([0] * 6 + [1] * 3)
    for train, test in MS.StratifiedKFold(3).split(np.zeros((9, 1)), y):
        assert np.bincount(y[test]).tolist() == [2, 1]
        assert len(set(train) & set(test)) == 0
    with pytest.raises(ValueError, match="n_splits=4 cannot be greater than the number of members in each"):
        list(MS.StratifiedKFold(4).split(np.zeros((4, 1)), [0, 0, 1, 1]))
    with pytest.warns(UserWarning, match="The least populated class in y has only 2 members"):
        list(MS.StratifiedKFold(3).split(np.zeros((6, 1)), [0, 0, 1, 1, 1, 1]))
    with pytest.raises(ValueError, match="Supported target types are"):
        list(MS.StratifiedKFold(2).split(np.zeros((4, 1)), [0.5, 1.5, 2.5, 3.5]))


def test_group_kfold_and_time_series_split():
    groups = np.array([0, 0, 0, 1, 1, 2, 3, 3, 3, 3])
    for train, test in MS.GroupKFold(3).split(np.zeros((10, 1)), groups=groups):
        assert not set(groups[train]) & set(groups[test])
    with pytest.raises(ValueError, match="The 'groups' parameter should not be None"):
        list(MS.GroupKFold(2).split(np.zeros((4, 1))))
    assert _splits(MS.TimeSeriesSplit(), np.zeros((6, 1))) == [
        ([0], [1]), ([0, 1], [2]), ([0, 1, 2], [3]), ([0, 1, 2, 3], [4]), ([0, 1, 2, 3, 4], [5])]
    assert _splits(MS.TimeSeriesSplit(3, test_size=2, gap=2), np.zeros((12, 1))) == [
        ([0, 1, 2, 3], [6, 7]), ([0, 1, 2, 3, 4, 5], [8, 9]), ([0, 1, 2, 3, 4, 5, 6, 7], [10, 11])]
    assert _splits(MS.TimeSeriesSplit(2, max_train_size=2), np.zeros((6, 1))) == [
        ([0, 1], [2, 3]), ([2, 3], [4, 5])]


def test_leave_one_out_and_predefined_split():
    assert _splits(MS.LeaveOneOut(), np.zeros((3, 1))) == [([1, 2], [0]), ([0, 2], [1]), ([0, 1], [2])]
    assert MS.LeaveOneOut().get_n_splits(np.zeros((4, 1))) == 4
    assert _splits(MS.PredefinedSplit([0, 1, -1, 1])) == [([1, 2, 3], [0]), ([0, 2], [1, 3])]


def test_shuffle_split_is_a_permutation_prefix():
    X = np.zeros((10, 1))
    splits = _splits(MS.ShuffleSplit(n_splits=2, test_size=0.3, random_state=7), X)
    rng = np.random.RandomState(7)
    for train, test in splits:
        perm = rng.permutation(10)
        assert test == perm[:3].tolist()
        assert train == perm[3:].tolist()
    assert [len(t) for _, t in _splits(MS.ShuffleSplit(n_splits=1, random_state=0), X)] == [1]


def test_stratified_shuffle_split():
    y = np.array([0] * 8 + [1] * 4)
    for train, test in MS.StratifiedShuffleSplit(n_splits=3, test_size=0.25, random_state=0).split(
            np.zeros((12, 1)), y):
        assert np.bincount(y[test]).tolist() == [2, 1]
        assert np.bincount(y[train]).tolist() == [6, 3]
    with pytest.raises(ValueError, match="The least populated classes in y have only 1 member"):
        list(MS.StratifiedShuffleSplit(test_size=0.5).split(np.zeros((4, 1)), [0, 0, 0, 1]))


def test_train_test_split():
    X = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    X_train, X_test, y_train, y_test = MS.train_test_split(X, y, test_size=0.25, random_state=3)
    perm = np.random.RandomState(3).permutation(10)
    np.testing.assert_array_equal(y_test, perm[:3])  # ceil(0.25 * 10) = 3
    np.testing.assert_array_equal(y_train, perm[3:])
    np.testing.assert_array_equal(X_test, X[perm[:3]])
    a_train, a_test = MS.train_test_split(list("abcdefghij"), shuffle=False, test_size=2)
    assert a_train == list("abcdefgh") and a_test == ["i", "j"]
    _, _, y_train, y_test = MS.train_test_split(X, y % 2, test_size=4, stratify=y % 2, random_state=0)
    assert np.bincount(y_test).tolist() == [2, 2]
    with pytest.raises(ValueError, match="At least one array required as input"):
        MS.train_test_split()
    with pytest.raises(ValueError, match=r"test_size=1.5 should be either positive and smaller than the "
                                         r"number of samples 10 or a float in the \(0, 1\) range"):
        MS.train_test_split(X, test_size=1.5)
    with pytest.raises(ValueError, match="Stratified train/test split is not implemented for shuffle=False"):
        MS.train_test_split(X, y, shuffle=False, stratify=y)


def test_train_test_split_pandas():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": range(8), "b": range(8, 16)})
    train, test = MS.train_test_split(df, test_size=0.25, random_state=1)
    assert isinstance(train, pd.DataFrame)
    perm = np.random.RandomState(1).permutation(8)
    assert test.index.tolist() == perm[:2].tolist()


def test_check_cv():
    y_cls = np.array([0, 1, 0, 1, 1])
    assert isinstance(MS.check_cv(3, y_cls, classifier=True), MS.StratifiedKFold)
    assert isinstance(MS.check_cv(3, y_cls, classifier=False), MS.KFold)
    assert isinstance(MS.check_cv(None), MS.KFold) and MS.check_cv(None).n_splits == 5
    wrapped = MS.check_cv([(np.array([0, 1]), np.array([2]))])
    assert wrapped.get_n_splits() == 1
    with pytest.raises(ValueError, match="Expected `cv` as an integer"):
        MS.check_cv("foo")


# -------------------------------------------------------------------------------------- validation helpers


def _regression_data():
    rng = np.random.RandomState(0)
    return rng.randn(12, 2), rng.randn(12)


def test_cross_val_score_matches_manual_loop():
    X, y = _regression_data()
    scores = MS.cross_val_score(_MeanRegressor(), X, y, cv=3)
    expected = []
    for train, test in MS.KFold(3).split(X):
        expected.append(r2_score(y[test], np.full(len(test), y[train].mean())))
    np.testing.assert_allclose(scores, expected)
    neg_mse = MS.cross_val_score(_MeanRegressor(), X, y, cv=3, scoring="neg_mean_squared_error")
    manual = [-np.mean((y[test] - y[train].mean()) ** 2) for train, test in MS.KFold(3).split(X)]
    np.testing.assert_allclose(neg_mse, manual)


def test_cross_validate_outputs():
    X, y = _regression_data()
    out = MS.cross_validate(_MeanRegressor(), X, y, cv=4, scoring=["r2", "neg_mean_absolute_error"],
                            return_train_score=True, return_estimator=True, return_indices=True)
    assert list(out) == ["fit_time", "score_time", "estimator", "indices", "test_r2", "train_r2",
                         "test_neg_mean_absolute_error", "train_neg_mean_absolute_error"]
    assert out["fit_time"].shape == (4,) and len(out["estimator"]) == 4
    for est, train, test, score in zip(out["estimator"], out["indices"]["train"], out["indices"]["test"],
                                       out["test_r2"]):
        assert est.mean_ == pytest.approx(y[train].mean())
        assert score == pytest.approx(r2_score(y[test], est.predict(X[test])))


def test_classifier_gets_stratified_folds():
    X = np.arange(12, dtype=float).reshape(-1, 1)
    y = np.array([0] * 6 + [1] * 6)
    scores = MS.cross_val_score(_ThresholdClassifier(threshold=5.5), X, y, cv=3)
    # Stratified folds each hold two samples of either class; the threshold separates them perfectly.
    np.testing.assert_allclose(scores, [1.0, 1.0, 1.0])
    unstratified = MS.cross_val_score(_ThresholdClassifier(threshold=5.5), X, y, cv=MS.KFold(3))
    assert unstratified.tolist() == [1.0, 1.0, 1.0]


def test_cross_val_predict_methods():
    X = np.linspace(-2, 2, 10).reshape(-1, 1)
    y = (X[:, 0] > 0).astype(int)
    pred = MS.cross_val_predict(_ThresholdClassifier(), X, y, cv=2)
    np.testing.assert_array_equal(pred, y)
    decision = MS.cross_val_predict(_ThresholdClassifier(threshold=1.0), X, y, cv=2,
                                    method="decision_function")
    np.testing.assert_allclose(decision, X[:, 0] - 1.0)
    proba = MS.cross_val_predict(_ThresholdClassifier(), X, y, cv=2, method="predict_proba")
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-X[:, 0])))
    with pytest.raises(ValueError, match="cross_val_predict only works for partitions"):
        MS.cross_val_predict(_ThresholdClassifier(), X, y, cv=MS.ShuffleSplit(2, random_state=0))


def test_fit_failures_warn_or_raise():
    X = np.linspace(-1, 1, 8).reshape(-1, 1)
    y = (X[:, 0] > 0).astype(int)
    with pytest.raises(ValueError, match="All the 2 fits failed"):
        MS.cross_val_score(_ThresholdClassifier(fail=True), X, y, cv=2)
    with pytest.raises(ValueError, match="asked to fail"):
        MS.cross_val_score(_ThresholdClassifier(fail=True), X, y, cv=2, error_score="raise")
    search = MS.GridSearchCV(_ThresholdClassifier(), {"fail": [False, True]}, cv=2)
    with pytest.warns(FitFailedWarning, match="2 fits failed out of a total of 4"), \
            pytest.warns(UserWarning, match="One or more of the test scores are non-finite"):
        search.fit(X, y)
    assert np.isnan(search.cv_results_["mean_test_score"][1])
    assert search.cv_results_["rank_test_score"].tolist() == [1, 2]


def test_learning_and_validation_curves():
    X, y = _regression_data()
    sizes, train_scores, test_scores = MS.learning_curve(_MeanRegressor(), X, y, cv=3, train_sizes=[0.5, 1.0],
                                                        scoring="neg_mean_squared_error")
    np.testing.assert_array_equal(sizes, [4, 8])
    assert train_scores.shape == test_scores.shape == (2, 3)
    train, test = next(MS.KFold(3).split(X))
    mean4 = y[train[:4]].mean()
    assert test_scores[0, 0] == pytest.approx(-np.mean((y[test] - mean4) ** 2))
    assert train_scores[0, 0] == pytest.approx(-np.mean((y[train[:4]] - mean4) ** 2))
    train_s, test_s = MS.validation_curve(_MeanRegressor(), X, y, param_name="shift", param_range=[0.0, 1.0],
                                          cv=3, scoring="neg_mean_absolute_error")
    assert train_s.shape == test_s.shape == (2, 3)
    expected = [-np.mean(np.abs(y[te] - y[tr].mean() - 1.0)) for tr, te in MS.KFold(3).split(X)]
    np.testing.assert_allclose(test_s[1], expected)
    with pytest.raises(ValueError, match="train_sizes has been interpreted as fractions"):
        MS.learning_curve(_MeanRegressor(), X, y, cv=3, train_sizes=[0.0, 0.5])


# --------------------------------------------------------------------------------------------------- searches


def test_parameter_grid():
    grid = MS.ParameterGrid([{"b": [1, 2], "a": ["x", "y", "z"]}, {}, {"c": [5]}])
    points = list(grid)
    assert len(grid) == len(points) == 8
    assert points[0] == {"a": "x", "b": 1} and points[1] == {"a": "x", "b": 2}
    assert points[6:] == [{}, {"c": 5}]
    assert [grid[i] for i in range(8)] == points
    with pytest.raises(TypeError, match="Parameter grid for parameter 'a' needs to be a list or a numpy "):
        MS.ParameterGrid({"a": 1})
    with pytest.raises(ValueError, match="Parameter grid for parameter 'a' need to be a non-empty sequence"):
        MS.ParameterGrid({"a": []})


def test_parameter_sampler():
    from scipy.stats import uniform

    samples = list(MS.ParameterSampler({"a": uniform(0, 1), "b": [1, 2, 3]}, n_iter=4, random_state=0))
    rng = np.random.RandomState(0)
    expected = []
    for _ in range(4):
        a = uniform(0, 1).rvs(random_state=rng)
        expected.append({"a": a, "b": [1, 2, 3][rng.randint(3)]})
    assert samples == expected
    with pytest.warns(UserWarning, match="The total space of parameters 2 is smaller than n_iter=5"):
        assert len(list(MS.ParameterSampler({"a": [1, 2]}, n_iter=5, random_state=0))) == 2
    drawn = list(MS.ParameterSampler({"a": list(range(10))}, n_iter=4, random_state=1))
    assert [d["a"] for d in drawn] == np.random.RandomState(1).permutation(10)[:4].tolist()


def test_grid_search_cv_results():
    X = np.linspace(-3, 3, 12).reshape(-1, 1)
    y = (X[:, 0] > 0.5).astype(int)
    search = MS.GridSearchCV(_ThresholdClassifier(), [{"threshold": [-1.0, 0.5]}, {"fail": [False]}], cv=3,
                             return_train_score=True)
    search.fit(X, y)
    res = search.cv_results_
    assert list(res) == [
        "mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time", "param_threshold", "param_fail",
        "params", "split0_test_score", "split1_test_score", "split2_test_score", "mean_test_score",
        "std_test_score", "rank_test_score", "split0_train_score", "split1_train_score", "split2_train_score",
        "mean_train_score", "std_train_score"]
    assert res["params"] == [{"threshold": -1.0}, {"threshold": 0.5}, {"fail": False}]
    assert res["param_threshold"].mask.tolist() == [False, False, True]
    assert res["param_fail"].mask.tolist() == [True, True, False]
    folds = list(MS.StratifiedKFold(3).split(X, y))
    for i, params in enumerate(res["params"]):
        model = _ThresholdClassifier(**params)
        split_scores = [accuracy_score(y[te], model.fit(X[tr], y[tr]).predict(X[te])) for tr, te in folds]
        assert res["mean_test_score"][i] == pytest.approx(np.mean(split_scores))
        assert res["std_test_score"][i] == pytest.approx(np.std(split_scores))
    assert search.best_params_ == {"threshold": 0.5} and search.best_index_ == 1
    assert search.best_score_ == pytest.approx(1.0)
    assert search.best_estimator_.threshold == 0.5
    np.testing.assert_array_equal(search.predict(X), y)
    np.testing.assert_array_equal(search.classes_, [0, 1])
    assert search.score(X, y) == 1.0
    assert search.n_splits_ == 3 and search.n_features_in_ == 1
    np.testing.assert_allclose(search.decision_function(X), X[:, 0] - 0.5)
    assert not hasattr(search, "transform")
    assert not hasattr(MS.GridSearchCV(_MeanRegressor(), {}), "predict_proba")


def test_grid_search_multimetric_and_refit_options():
    X = np.linspace(-3, 3, 12).reshape(-1, 1)
    y = (X[:, 0] > 0.5).astype(int)
    grid = {"threshold": [-1.0, 0.5, 2.0]}
    search = MS.GridSearchCV(_ThresholdClassifier(), grid, scoring=["accuracy", "f1"], refit="f1", cv=2)
    search.fit(X, y)
    assert "mean_test_accuracy" in search.cv_results_ and "rank_test_f1" in search.cv_results_
    assert search.best_params_ == {"threshold": 0.5}
    with pytest.raises(ValueError, match="For multi-metric scoring, the parameter refit must be set to a"):
        MS.GridSearchCV(_ThresholdClassifier(), grid, scoring=["accuracy", "f1"], cv=2).fit(X, y)
    no_refit = MS.GridSearchCV(_ThresholdClassifier(), grid, refit=False, cv=2).fit(X, y)
    assert no_refit.best_params_ == {"threshold": 0.5} and not hasattr(no_refit, "best_estimator_")
    with pytest.raises(AttributeError, match="initialized with `refit=False`"):
        no_refit.predict(X)
    chosen = MS.GridSearchCV(_ThresholdClassifier(), grid, refit=lambda res: 2, cv=2).fit(X, y)
    assert chosen.best_index_ == 2 and chosen.best_estimator_.threshold == 2.0
    with pytest.raises(NotFittedError):
        MS.GridSearchCV(_ThresholdClassifier(), grid).predict(X)


def test_randomized_search():
    from scipy.stats import uniform

    X = np.linspace(-3, 3, 12).reshape(-1, 1)
    y = (X[:, 0] > 0.5).astype(int)
    search = MS.RandomizedSearchCV(_ThresholdClassifier(), {"threshold": uniform(-1, 2)}, n_iter=3,
                                   random_state=0, cv=2).fit(X, y)
    expected = list(MS.ParameterSampler({"threshold": uniform(-1, 2)}, 3, random_state=0))
    assert search.cv_results_["params"] == expected
    assert search.best_params_ == expected[int(np.argmax(search.cv_results_["mean_test_score"]))]
    assert search.get_params()["n_iter"] == 3


def test_callable_scorer_returning_several_scores():
    X = np.linspace(-3, 3, 12).reshape(-1, 1)
    y = (X[:, 0] > 0.5).astype(int)

    def two_scores(estimator, X_, y_):
        pred = estimator.predict(X_)
        return {"hits": float(np.sum(pred == y_)), "misses": -float(np.sum(pred != y_))}

    out = MS.cross_validate(_ThresholdClassifier(threshold=0.5), X, y, cv=2, scoring=two_scores)
    assert list(out) == ["fit_time", "score_time", "test_hits", "test_misses"]
    np.testing.assert_allclose(out["test_hits"], [6, 6])
    search = MS.GridSearchCV(_ThresholdClassifier(), {"threshold": [-1.0, 0.5]}, cv=2, scoring=two_scores,
                             refit="hits").fit(X, y)
    assert search.multimetric_ and search.best_params_ == {"threshold": 0.5}
    assert search.score(X, y) == 12.0


def test_n_jobs_gives_same_results():
    joblib = pytest.importorskip("joblib")
    X, y = _regression_data()
    serial = MS.GridSearchCV(_MeanRegressor(), {"shift": [0.0, 0.5]}, cv=3).fit(X, y)
    with joblib.parallel_config(backend="threading"):  # no worker processes to start in a unit test
        parallel = MS.GridSearchCV(_MeanRegressor(), {"shift": [0.0, 0.5]}, cv=3, n_jobs=2).fit(X, y)
    np.testing.assert_allclose(serial.cv_results_["mean_test_score"], parallel.cv_results_["mean_test_score"])


# ------------------------------------------------------------------------------------------- sklearn parity

_SPLITTER_CASES = [
    ("KFold", {"n_splits": 5}), ("KFold", {"n_splits": 4, "shuffle": True, "random_state": 3}),
    ("StratifiedKFold", {"n_splits": 5}),
    ("StratifiedKFold", {"n_splits": 3, "shuffle": True, "random_state": 7}),
    ("GroupKFold", {"n_splits": 4}), ("GroupKFold", {"n_splits": 3, "shuffle": True, "random_state": 1}),
    ("TimeSeriesSplit", {"n_splits": 3, "test_size": 5, "gap": 2, "max_train_size": 10}),
    ("LeaveOneOut", {}),
    ("ShuffleSplit", {"n_splits": 3, "random_state": 0}),
    ("ShuffleSplit", {"n_splits": 2, "test_size": 10, "train_size": 0.5, "random_state": 5}),
    ("StratifiedShuffleSplit", {"n_splits": 3, "test_size": 0.3, "random_state": 42}),
    ("GroupShuffleSplit", {"n_splits": 3, "random_state": 0}),
    ("RepeatedKFold", {"n_splits": 3, "n_repeats": 2, "random_state": 0}),
    ("RepeatedStratifiedKFold", {"n_splits": 3, "n_repeats": 2, "random_state": 0}),
]


@pytest.mark.parity
@pytest.mark.parametrize("name, kwargs", _SPLITTER_CASES)
def test_splitter_parity(name, kwargs):
    sk_ms = pytest.importorskip("sklearn.model_selection")
    rng = np.random.RandomState(0)
    X, y, groups = rng.randn(53, 2), rng.randint(0, 3, 53), rng.randint(0, 9, 53)
    uses_groups = name.startswith("Group")
    split_args = (X, y, groups) if uses_groups else (X, y)
    expected = list(getattr(sk_ms, name)(**kwargs).split(*split_args))
    got = list(getattr(MS, name)(**kwargs).split(*split_args))
    assert len(expected) == len(got)
    for (tr_a, te_a), (tr_b, te_b) in zip(expected, got):
        np.testing.assert_array_equal(tr_a, tr_b)
        np.testing.assert_array_equal(te_a, te_b)
    assert repr(getattr(MS, name)(**kwargs)) == repr(getattr(sk_ms, name)(**kwargs))


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{"random_state": 42}, {"test_size": 0.2, "random_state": 42},
                                    {"test_size": 7, "train_size": 20, "random_state": 1},
                                    {"stratify": "y", "random_state": 0},
                                    {"shuffle": False, "test_size": 0.3}])
def test_train_test_split_parity(kwargs):
    sk_ms = pytest.importorskip("sklearn.model_selection")
    rng = np.random.RandomState(1)
    X, y = rng.randn(41, 3), rng.randint(0, 3, 41)
    kwargs = {k: y if v == "y" else v for k, v in kwargs.items()}
    for a, b in zip(sk_ms.train_test_split(X, y, **kwargs), MS.train_test_split(X, y, **kwargs)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parity
@pytest.mark.parametrize("n_iter, grid", [(3, {"a": list(range(1000))}), (900, {"a": list(range(1000))}),
                                          (4, {"a": list(range(10)), "b": [1, 2]}), (2, {"a": [1, 2]})])
def test_parameter_sampler_parity(n_iter, grid):
    sk_ms = pytest.importorskip("sklearn.model_selection")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = list(sk_ms.ParameterSampler(grid, n_iter, random_state=4))
    assert list(MS.ParameterSampler(grid, n_iter, random_state=4)) == expected


def _compare_cv_results(expected, got):
    assert list(expected) == list(got)
    for key, value in expected.items():
        if "time" in key:
            continue
        if key == "params":
            assert value == got[key]
        elif isinstance(value, np.ma.MaskedArray):
            np.testing.assert_array_equal(value.mask, got[key].mask)
            assert value.dtype == got[key].dtype
            assert value.compressed().tolist() == got[key].compressed().tolist()
        else:
            np.testing.assert_allclose(value, got[key])


@pytest.mark.parity
@pytest.mark.parametrize("case", ["logistic", "svc_list_grid", "multimetric", "log_loss"])
def test_grid_search_parity_with_sklearn_estimators(case):
    sk_ms = pytest.importorskip("sklearn.model_selection")
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import SVC

    rng = np.random.RandomState(0)
    X = rng.randn(60, 3)
    y = (X[:, 0] + 0.5 * rng.randn(60) > 0).astype(int)
    estimator, grid, kwargs = {
        "logistic": (LogisticRegression(), {"C": [0.01, 0.1, 1.0]}, {"cv": 3}),
        "svc_list_grid": (SVC(), [{"kernel": ["rbf"], "gamma": [0.1, 1]},
                                  {"kernel": ["poly"], "degree": [2, 3]}],
                          {"cv": 4, "return_train_score": True}),
        "multimetric": (LogisticRegression(), {"C": [0.1, 1.0]},
                        {"scoring": ["accuracy", "f1", "roc_auc"], "refit": "f1", "cv": 3}),
        "log_loss": (LogisticRegression(), {"C": [0.1, 1.0]}, {"scoring": "neg_log_loss", "cv": 3}),
    }[case]
    expected = sk_ms.GridSearchCV(estimator, grid, **kwargs).fit(X, y)
    got = MS.GridSearchCV(estimator, grid, **kwargs).fit(X, y)
    _compare_cv_results(expected.cv_results_, got.cv_results_)
    assert got.best_params_ == expected.best_params_ and got.best_index_ == expected.best_index_
    assert got.best_score_ == pytest.approx(expected.best_score_)
    np.testing.assert_array_equal(got.predict(X), expected.predict(X))


@pytest.mark.parity
def test_randomized_search_parity_with_distributions():
    sk_ms = pytest.importorskip("sklearn.model_selection")
    from scipy.stats import loguniform
    from sklearn.linear_model import LogisticRegression

    rng = np.random.RandomState(1)
    X = rng.randn(50, 2)
    y = (X[:, 1] > 0).astype(int)
    dist = {"C": loguniform(1e-2, 1e1), "fit_intercept": [True, False]}
    expected = sk_ms.RandomizedSearchCV(LogisticRegression(), dist, n_iter=4, random_state=0, cv=3).fit(X, y)
    got = MS.RandomizedSearchCV(LogisticRegression(), dist, n_iter=4, random_state=0, cv=3).fit(X, y)
    _compare_cv_results(expected.cv_results_, got.cv_results_)
    assert got.best_params_ == expected.best_params_


@pytest.mark.parity
def test_cross_validation_helpers_parity():
    sk_ms = pytest.importorskip("sklearn.model_selection")
    from sklearn.linear_model import LogisticRegression, Ridge

    rng = np.random.RandomState(2)
    X = rng.randn(45, 3)
    y_cls = rng.randint(0, 3, 45)
    y_reg = X @ [1.0, 2.0, 3.0] + rng.randn(45)
    kwargs = {"scoring": ["accuracy", "neg_log_loss"], "return_train_score": True, "cv": 3}
    expected = sk_ms.cross_validate(LogisticRegression(), X, y_cls, **kwargs)
    got = MS.cross_validate(LogisticRegression(), X, y_cls, **kwargs)
    assert list(expected) == list(got)
    for key in expected:
        if "time" not in key:
            np.testing.assert_allclose(expected[key], got[key])
    np.testing.assert_allclose(
        sk_ms.cross_val_score(Ridge(), X, y_reg, cv=4, scoring="neg_root_mean_squared_error"),
        MS.cross_val_score(Ridge(), X, y_reg, cv=4, scoring="neg_root_mean_squared_error"))
    for method in ["predict", "predict_proba", "decision_function"]:
        expected = sk_ms.cross_val_predict(LogisticRegression(), X, y_cls, cv=3, method=method)
        got = MS.cross_val_predict(LogisticRegression(), X, y_cls, cv=3, method=method)
        np.testing.assert_allclose(expected, got)
    lc_kwargs = {"cv": 4, "train_sizes": [0.3, 0.6, 1.0], "shuffle": True, "random_state": 0}
    for a, b in zip(sk_ms.learning_curve(Ridge(), X, y_reg, **lc_kwargs),
                    MS.learning_curve(Ridge(), X, y_reg, **lc_kwargs)):
        np.testing.assert_allclose(a, b)
    vc_kwargs = {"param_name": "alpha", "param_range": [0.1, 1.0, 10.0], "cv": 3}
    for a, b in zip(sk_ms.validation_curve(Ridge(), X, y_reg, **vc_kwargs),
                    MS.validation_curve(Ridge(), X, y_reg, **vc_kwargs)):
        np.testing.assert_allclose(a, b)
