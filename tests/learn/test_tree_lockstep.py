"""The fast tree paths: forests grown in lock-step and presorted single trees give the same trees as the
plain one-node-at-a-time builder (and, in the parity tests, as scikit-learn)."""
import warnings

import numpy as np
import pytest

from ndflow.learn.datasets import make_classification
from ndflow.learn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
    _forest,
)
from ndflow.learn.tree import DecisionTreeClassifier, DecisionTreeRegressor, _splitter_lockstep, _tree
from ndflow.learn.tree._splitter_lockstep import _comparable, _float32_keys, _keys_float32, _RandStreams

TREE_ARRAYS = ("children_left", "children_right", "feature", "threshold", "impurity", "n_node_samples",
               "weighted_n_node_samples", "value", "missing_go_to_left")


def assert_same_tree(a, b, names=TREE_ARRAYS):
    assert a.node_count == b.node_count
    assert a.max_depth == b.max_depth
    for name in names:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


def assert_same_forest(a, b):
    assert len(a.estimators_) == len(b.estimators_)
    for ta, tb in zip(a.estimators_, b.estimators_):
        assert_same_tree(ta.tree_, tb.tree_)


def tricky_data(n_samples=400, n_features=8, n_classes=3, seed=1):
    """Continuous, rounded (many ties) and constant columns."""
    X, y = make_classification(n_samples=n_samples, n_features=n_features, n_informative=4, n_classes=n_classes,
                               random_state=seed)
    X[:, 0] = np.round(X[:, 0])
    X[:, 1] = 1.0
    return X, y


def one_by_one(monkeypatch, klass, params, X, y, **fit_kwargs):
    with monkeypatch.context() as m:
        m.setattr(_forest, "lockstep_supported", lambda *args: False)
        return klass(**params).fit(X, y, **fit_kwargs)


def test_rand_streams_match_rand_r():
    seeds = np.array([0, 1, 12345, 2**31 - 2], dtype=np.uint32)
    streams = _RandStreams(seeds, 16)
    references = [_tree.RandR(int(s)) for s in seeds]
    every = np.arange(seeds.size)
    for step in range(40):  # several refills, uneven consumption
        take = 1 + step % 5
        streams.reserve(every, take)
        got = streams.peek(every[:, None], np.arange(take))
        streams.ptr[every] += take
        expected = [[ref._next() for _ in range(take)] for ref in references]
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("klass", [RandomForestClassifier, ExtraTreesClassifier])
@pytest.mark.parametrize("params", [
    {},
    {"max_features": None, "min_samples_leaf": 3},
    {"max_depth": 4, "min_samples_split": 5, "bootstrap": False},
    {"min_weight_fraction_leaf": 0.01, "min_impurity_decrease": 0.001, "bootstrap": True},
    {"max_features": 1, "max_samples": 0.5, "bootstrap": True},
])
def test_lockstep_forest_matches_one_by_one(monkeypatch, klass, params):
    X, y = tricky_data()
    params = {"n_estimators": 6, "random_state": 0, **params}
    fast = klass(**params).fit(X, y)
    expected = one_by_one(monkeypatch, klass, params, X, y)
    assert_same_forest(fast, expected)
    np.testing.assert_array_equal(fast.predict_proba(X), expected.predict_proba(X))


@pytest.mark.parametrize("klass", [RandomForestClassifier, ExtraTreesClassifier])
def test_lockstep_with_zero_sample_weights_and_many_features(monkeypatch, klass):
    X, y = tricky_data(n_samples=200, n_features=70, n_classes=2, seed=3)
    weights = np.random.RandomState(0).randint(0, 3, size=y.size).astype(float)
    params = {"n_estimators": 4, "random_state": 1, "bootstrap": False}
    fast = klass(**params).fit(X, y, sample_weight=weights)
    assert_same_forest(fast, one_by_one(monkeypatch, klass, params, X, y, sample_weight=weights))


def test_extra_trees_with_a_class_missing_from_the_samples(monkeypatch):
    # zero weights on every sample of class 1: each node's block of that class is empty
    X, y = tricky_data(n_samples=300, n_classes=4, seed=5)
    weights = (y != 1).astype(float)
    params = {"n_estimators": 5, "random_state": 2}
    fast = ExtraTreesClassifier(**params).fit(X, y, sample_weight=weights)
    assert_same_forest(fast, one_by_one(monkeypatch, ExtraTreesClassifier, params, X, y, sample_weight=weights))


@pytest.mark.parametrize("klass", [RandomForestClassifier, ExtraTreesClassifier])
def test_steps_split_in_groups_of_trees_give_the_same_forest(monkeypatch, klass):
    X, y = tricky_data()
    params = {"n_estimators": 7, "random_state": 4}
    expected = one_by_one(monkeypatch, klass, params, X, y)
    monkeypatch.setattr(_splitter_lockstep, "_STEP_SAMPLES", 300)  # a root holds 400 samples
    assert_same_forest(klass(**params).fit(X, y), expected)


def test_float32_thresholds_compare_like_float64_ones():
    rng = np.random.RandomState(0)
    values = (rng.rand(2000) * 4 - 2).astype(np.float32)
    thresholds = np.concatenate([rng.rand(500) * 4 - 2, values[:500].astype(np.float64),
                                 np.nextafter(values[:500].astype(np.float64), 3.0)])
    down = _comparable(thresholds, np.dtype(np.float32))
    assert down.dtype == np.float32
    np.testing.assert_array_equal(values[:, None] <= down[None, :], values[:, None] <= thresholds[None, :])


def test_float32_keys_sort_like_the_values():
    rng = np.random.RandomState(1)
    tiny = np.finfo(np.float32).smallest_subnormal
    values = np.concatenate([(rng.randn(500) * 10.0 ** rng.randint(-30, 30, 500)).astype(np.float32),
                             np.array([0.0, -0.0, tiny, -tiny, 1.0, -1.0, 3.4e38, -3.4e38], dtype=np.float32)])
    keys = _float32_keys(values)
    assert keys.dtype == np.int32
    np.testing.assert_array_equal(keys[:, None] <= keys[None, :], values[:, None] <= values[None, :])
    np.testing.assert_array_equal(_keys_float32(keys), values)  # -0.0 comes back as 0.0, an equal value


def test_lockstep_single_class_gives_single_leaves():
    X = np.random.RandomState(0).rand(30, 3)
    forest = ExtraTreesClassifier(n_estimators=3, random_state=0).fit(X, np.zeros(30, dtype=int))
    assert all(t.tree_.node_count == 1 for t in forest.estimators_)
    np.testing.assert_array_equal(forest.predict_proba(X), np.ones((30, 1)))


@pytest.mark.parametrize("klass", [RandomForestClassifier, ExtraTreesClassifier, RandomForestRegressor])
def test_n_jobs_and_warm_start_give_the_same_trees(klass):
    X, y = tricky_data(seed=4)
    serial = klass(n_estimators=6, random_state=3).fit(X, y)
    assert_same_forest(klass(n_estimators=6, random_state=3, n_jobs=2).fit(X, y), serial)
    warm = klass(n_estimators=2, random_state=3, warm_start=True).fit(X, y)
    warm.set_params(n_estimators=6).fit(X, y)
    assert_same_forest(warm, serial)


@pytest.mark.parametrize("params", [{}, {"max_leaf_nodes": 12}, {"min_samples_leaf": 4, "max_depth": 6}])
def test_presorted_tree_matches_sorting_each_node(monkeypatch, params):
    X, y = tricky_data(seed=5)
    weights = np.random.RandomState(1).randint(1, 4, size=y.size).astype(float)
    for sample_weight in (None, weights):
        fast = DecisionTreeClassifier(random_state=0, **params).fit(X, y, sample_weight=sample_weight)
        with monkeypatch.context() as m:
            m.setattr(_tree, "_PRESORT_ELEMENTS", 0)
            plain = DecisionTreeClassifier(random_state=0, **params).fit(X, y, sample_weight=sample_weight)
        assert_same_tree(fast.tree_, plain.tree_)


def regression_data(n_samples=400, n_features=8, seed=0, ties=False):
    """Continuous features (a rounded one and a constant one with ``ties``) and positive targets."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n_samples, n_features)
    y = np.exp(X[:, 2] + 0.5 * X[:, 3] * X[:, 4] + 0.3 * rng.randn(n_samples))
    if ties:
        X[:, 0] = np.round(X[:, 0])
        X[:, 1] = 1.0
    return X, y


@pytest.mark.parametrize("criterion", ["squared_error", "poisson"])
@pytest.mark.parametrize("params", [{}, {"max_leaf_nodes": 12}, {"min_samples_leaf": 4, "max_depth": 6},
                                    {"max_features": 5, "min_weight_fraction_leaf": 0.02}])
def test_presorted_regression_tree_matches_sorting_each_node(monkeypatch, criterion, params):
    X, y = regression_data(seed=5)
    weights = np.random.RandomState(1).rand(y.size) + 0.5
    weights[::7] = 0.0  # zero-weight samples stay out of the root
    for sample_weight in (None, weights):
        model = DecisionTreeRegressor(criterion=criterion, random_state=0, **params)
        fast = model.fit(X, y, sample_weight=sample_weight).tree_
        with monkeypatch.context() as m:
            m.setattr(_tree, "_PRESORT_ELEMENTS", 0)
            plain = model.fit(X, y, sample_weight=sample_weight).tree_
        assert_same_tree(fast, plain)


def test_presorted_regression_tree_with_ties_matches_up_to_rounding(monkeypatch):
    X, y = regression_data(seed=6, ties=True)
    fast = DecisionTreeRegressor(random_state=0, max_depth=8).fit(X, y).tree_
    with monkeypatch.context() as m:
        m.setattr(_tree, "_PRESORT_ELEMENTS", 0)
        plain = DecisionTreeRegressor(random_state=0, max_depth=8).fit(X, y).tree_
    assert_same_tree(fast, plain, TREE_ARRAYS[:4] + ("n_node_samples",))
    # tied samples are summed in another order: the node statistics agree to rounding
    np.testing.assert_allclose(fast.value, plain.value, rtol=1e-12)
    np.testing.assert_allclose(fast.impurity, plain.impurity, rtol=1e-9, atol=1e-12)


def test_shared_feature_order_skips_zero_weights():
    X, y = regression_data(n_samples=120, seed=7)
    X = X.astype(np.float32)
    weights = np.random.RandomState(3).randint(0, 3, size=y.size).astype(float)
    trees = []
    for feature_order in (None, _tree.presort_features(X)):
        jobs = []
        DecisionTreeRegressor(random_state=0)._fit(X, y, sample_weight=weights, check_input=False, build_jobs=jobs)
        builder, tree, X_tree, y_tree, w_tree = jobs[0]
        builder.build(tree, X_tree, y_tree, w_tree, feature_order=feature_order)
        trees.append(tree)
    assert trees[0].node_count > 20
    assert_same_tree(*trees)


def test_node_depths_match_a_recursive_walk():
    X, y = tricky_data(seed=6)
    tree = DecisionTreeClassifier(random_state=0, max_leaf_nodes=30).fit(X, y).tree_
    expected = np.zeros(tree.node_count, dtype=int)

    def walk(node, depth):
        expected[node] = depth
        if tree.children_left[node] != -1:
            walk(tree.children_left[node], depth + 1)
            walk(tree.children_right[node], depth + 1)

    walk(0, 1)
    np.testing.assert_array_equal(tree.compute_node_depths(), expected)
    assert tree.max_depth == expected.max() - 1


@pytest.mark.parity
@pytest.mark.parametrize("name", ["RandomForestClassifier", "ExtraTreesClassifier"])
@pytest.mark.parametrize("params", [
    {},
    {"max_features": None, "min_samples_leaf": 3},
    {"max_depth": 5, "bootstrap": False},
    {"min_weight_fraction_leaf": 0.01, "min_impurity_decrease": 0.001},
])
def test_lockstep_forest_identical_to_sklearn(name, params):
    sk_ens = pytest.importorskip("sklearn.ensemble")
    from ndflow.learn import ensemble as nd_ens

    X, y = tricky_data(seed=7)
    params = {"n_estimators": 5, "random_state": 0, **params}
    ours = getattr(nd_ens, name)(**params).fit(X, y)
    theirs = getattr(sk_ens, name)(**params).fit(X, y)
    assert_same_forest(ours, theirs)


@pytest.mark.parity
@pytest.mark.parametrize("params", [{}, {"max_leaf_nodes": 15}, {"min_samples_leaf": 3}])
def test_presorted_tree_identical_to_sklearn(params):
    sk_tree = pytest.importorskip("sklearn.tree")
    X, y = tricky_data(seed=8)
    weights = np.random.RandomState(2).randint(1, 4, size=y.size).astype(float)
    ours = DecisionTreeClassifier(random_state=0, **params).fit(X, y, sample_weight=weights)
    theirs = sk_tree.DecisionTreeClassifier(random_state=0, **params).fit(X, y, sample_weight=weights)
    assert_same_tree(ours.tree_, theirs.tree_, TREE_ARRAYS[:-1])  # leaves' missing_go_to_left differs with a budget


@pytest.mark.parity
@pytest.mark.parametrize("criterion", ["squared_error", "friedman_mse", "poisson"])
@pytest.mark.parametrize("params", [{"max_leaf_nodes": 15}, {"min_samples_leaf": 5, "max_depth": 8}])
def test_presorted_regression_tree_identical_to_sklearn(criterion, params):
    # (fully grown trees are left out: in nodes of a few samples several features give splits whose proxies
    # are equal up to rounding, and scikit-learn's summation order then decides)
    sk_tree = pytest.importorskip("sklearn.tree")
    X, y = regression_data(seed=9)
    weights = np.random.RandomState(2).rand(y.size) + 0.5
    kwargs = {"criterion": criterion, "random_state": 0, **params}
    for sample_weight in (None, weights):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # friedman_mse is deprecated in both
            ours = DecisionTreeRegressor(**kwargs).fit(X, y, sample_weight=sample_weight).tree_
            theirs = sk_tree.DecisionTreeRegressor(**kwargs).fit(X, y, sample_weight=sample_weight).tree_
        assert ours.node_count > 25
        assert_same_tree(ours, theirs, TREE_ARRAYS[:4] + ("n_node_samples",))
        for name in ("impurity", "weighted_n_node_samples", "value"):
            np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-9, atol=1e-9,
                                       err_msg=name)


@pytest.mark.parametrize("klass", [RandomForestClassifier, ExtraTreesClassifier])
def test_stacks_deeper_than_their_first_capacity_give_the_same_forest(monkeypatch, klass):
    X, y = tricky_data(seed=9)
    params = {"n_estimators": 5, "random_state": 6}
    expected = one_by_one(monkeypatch, klass, params, X, y)
    monkeypatch.setattr(_splitter_lockstep, "_STACK_DEPTH", 1)  # every tree's stack gets deepened
    assert_same_forest(klass(**params).fit(X, y), expected)


def test_lockstep_needs_class_weights_that_fit_int32():
    X, y = tricky_data(n_samples=60, seed=2)
    jobs = []
    DecisionTreeClassifier(random_state=0)._fit(X.astype(np.float32), y, sample_weight=np.ones(60),
                                                check_input=False, build_jobs=jobs)
    builder, _, _, y_tree, weights = jobs[0]
    assert _splitter_lockstep.lockstep_supported(builder, y_tree, weights)
    assert not _splitter_lockstep.lockstep_supported(builder, y_tree, weights * 2.0**26)


def integer_regression_data(n_samples=300, n_features=6, seed=0):
    """Continuous, rounded (ties) and constant features and integer targets: every weighted sum is exact."""
    X, y = regression_data(n_samples=n_samples, n_features=n_features, seed=seed, ties=True)
    return X, np.round(10.0 * y)


@pytest.mark.parametrize("params", [
    {},
    {"max_features": 3, "min_samples_leaf": 3},
    {"max_depth": 4, "min_samples_split": 5, "bootstrap": False},
    {"min_weight_fraction_leaf": 0.01, "min_impurity_decrease": 0.5},
    {"max_features": 1, "max_samples": 0.5, "criterion": "friedman_mse"},
])
def test_lockstep_regression_forest_matches_one_by_one(monkeypatch, params):
    X, y = integer_regression_data(seed=1)
    params = {"n_estimators": 5, "random_state": 0, **params}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # friedman_mse is deprecated
        fast = RandomForestRegressor(**params).fit(X, y)
        expected = one_by_one(monkeypatch, RandomForestRegressor, params, X, y)
    assert_same_forest(fast, expected)
    np.testing.assert_array_equal(fast.predict(X), expected.predict(X))


@pytest.mark.parametrize("forest, seed, extra", [(RandomForestRegressor, 2, {"bootstrap": False}),
                                                 (ExtraTreesRegressor, 9, {})])
def test_lockstep_regression_with_weights_groups_and_deep_stacks(monkeypatch, forest, seed, extra):
    X, y = integer_regression_data(n_samples=200, seed=seed)
    weights = np.random.RandomState(0).randint(0, 3, size=y.size).astype(float)
    params = {"n_estimators": 4, "random_state": 1, **extra}
    expected = one_by_one(monkeypatch, forest, params, X, y, sample_weight=weights)
    monkeypatch.setattr(_splitter_lockstep, "_STEP_SAMPLES", 150)
    monkeypatch.setattr(_splitter_lockstep, "_STACK_DEPTH", 1)
    assert_same_forest(forest(**params).fit(X, y, sample_weight=weights), expected)


def test_lockstep_regression_continuous_targets_match_up_to_rounding(monkeypatch):
    # leaves of 5 samples or more: no split is decided by the rounding of the sums (in small nodes several
    # features often cut off the same extreme sample, with proxies equal but for rounding)
    X, y = regression_data(n_samples=300, seed=3)
    params = {"n_estimators": 5, "random_state": 0, "min_samples_leaf": 5}
    fast = RandomForestRegressor(**params).fit(X, y)
    expected = one_by_one(monkeypatch, RandomForestRegressor, params, X, y)
    for a, b in zip(fast.estimators_, expected.estimators_):
        assert_same_tree(a.tree_, b.tree_, TREE_ARRAYS[:4] + ("n_node_samples", "weighted_n_node_samples"))
        np.testing.assert_allclose(a.tree_.value, b.tree_.value, rtol=1e-12)
        np.testing.assert_allclose(a.tree_.impurity, b.tree_.impurity, rtol=1e-9, atol=1e-12)


def test_lockstep_covers_squared_error_with_both_splitters():
    X, y = integer_regression_data(n_samples=60, seed=4)

    def supported(weights=None, **params):
        jobs = []
        weights = np.ones(y.size) if weights is None else weights
        DecisionTreeRegressor(random_state=0, **params)._fit(X.astype(np.float32), y, sample_weight=weights,
                                                             check_input=False, build_jobs=jobs)
        builder, _, _, y_tree, w_tree = jobs[0]
        return _splitter_lockstep.lockstep_supported(builder, y_tree, w_tree)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # friedman_mse is deprecated
        assert supported(criterion="friedman_mse")
    assert supported() and supported(np.arange(60.0) % 3)
    assert supported(splitter="random") and supported(np.arange(60.0) % 3, splitter="random")
    assert not supported(criterion="poisson")
    assert not supported(criterion="absolute_error")
    assert not supported(max_leaf_nodes=10)
    assert not supported(np.full(60, 0.5))


@pytest.mark.parity
@pytest.mark.parametrize("params", [{}, {"max_features": 2, "min_samples_leaf": 2},
                                    {"bootstrap": False, "max_depth": 6}])
def test_lockstep_regression_forest_identical_to_sklearn(params):
    sk_ens = pytest.importorskip("sklearn.ensemble")
    X, y = integer_regression_data(seed=5)
    params = {"n_estimators": 5, "random_state": 0, **params}
    ours = RandomForestRegressor(**params).fit(X, y)
    theirs = sk_ens.RandomForestRegressor(**params).fit(X, y)
    assert_same_forest(ours, theirs)


@pytest.mark.parity
def test_lockstep_regression_forest_close_to_sklearn_on_continuous_targets():
    sk_ens = pytest.importorskip("sklearn.ensemble")
    X, y = regression_data(n_samples=600, seed=6)
    train, test = slice(0, 400), slice(400, None)
    # leaves of 5 samples or more: the same trees, node statistics equal up to rounding
    ours = RandomForestRegressor(n_estimators=5, random_state=0, min_samples_leaf=5).fit(X[train], y[train])
    theirs = sk_ens.RandomForestRegressor(n_estimators=5, random_state=0, min_samples_leaf=5).fit(X[train], y[train])
    for a, b in zip(ours.estimators_, theirs.estimators_):
        assert_same_tree(a.tree_, b.tree_, TREE_ARRAYS[:4] + ("n_node_samples", "weighted_n_node_samples"))
        np.testing.assert_allclose(a.tree_.value, b.tree_.value, rtol=1e-9)
        np.testing.assert_allclose(a.tree_.impurity, b.tree_.impurity, rtol=1e-9, atol=1e-9)
    # fully grown: splits that only the rounding of the sums tells apart may differ
    X = np.random.RandomState(7).randn(600, 6)
    y = X @ np.array([3.0, -2.0, 1.0, 0.5, 0.0, 0.0]) + 0.5 * np.sin(3 * X[:, 4])
    ours = RandomForestRegressor(n_estimators=10, random_state=0).fit(X[train], y[train])
    theirs = sk_ens.RandomForestRegressor(n_estimators=10, random_state=0).fit(X[train], y[train])
    assert [t.tree_.node_count for t in ours.estimators_] == [t.tree_.node_count for t in theirs.estimators_]
    assert abs(ours.score(X[test], y[test]) - theirs.score(X[test], y[test])) < 0.005


@pytest.mark.parametrize("params", [
    {},
    {"max_features": 3, "min_samples_leaf": 3},
    {"max_depth": 4, "min_samples_split": 5, "bootstrap": True},
    {"min_weight_fraction_leaf": 0.01, "min_impurity_decrease": 0.5, "bootstrap": True},
])
def test_lockstep_extra_trees_regression_matches_one_by_one(monkeypatch, params):
    X, y = integer_regression_data(seed=8)
    params = {"n_estimators": 5, "random_state": 0, **params}
    fast = ExtraTreesRegressor(**params).fit(X, y)
    expected = one_by_one(monkeypatch, ExtraTreesRegressor, params, X, y)
    assert_same_forest(fast, expected)
    np.testing.assert_array_equal(fast.predict(X), expected.predict(X))


@pytest.mark.parity
@pytest.mark.parametrize("params", [{}, {"max_features": 2, "min_samples_leaf": 2},
                                    {"bootstrap": True, "max_depth": 6}])
def test_lockstep_extra_trees_regression_identical_to_sklearn(params):
    sk_ens = pytest.importorskip("sklearn.ensemble")
    X, y = integer_regression_data(seed=10)
    params = {"n_estimators": 5, "random_state": 0, **params}
    # with a constant feature (the general path) and without one (unit weights: the lean path)
    for X_fit in (X, np.delete(X, 1, axis=1)):
        ours = ExtraTreesRegressor(**params).fit(X_fit, y)
        theirs = sk_ens.ExtraTreesRegressor(**params).fit(X_fit, y)
        assert_same_forest(ours, theirs)
        np.testing.assert_array_equal(ours.predict(X_fit), theirs.predict(X_fit))


@pytest.mark.parity
def test_lockstep_extra_trees_regression_close_to_sklearn_on_float_targets():
    sk_ens = pytest.importorskip("sklearn.ensemble")
    X = np.random.RandomState(11).randn(800, 6)
    y = X @ np.array([3.0, -2.0, 1.0, 0.5, 0.0, 0.0]) + 0.5 * np.sin(3 * X[:, 4])
    train, test = slice(0, 500), slice(500, None)
    ours = ExtraTreesRegressor(n_estimators=10, random_state=0).fit(X[train], y[train])
    theirs = sk_ens.ExtraTreesRegressor(n_estimators=10, random_state=0).fit(X[train], y[train])
    assert abs(ours.score(X[test], y[test]) - theirs.score(X[test], y[test])) < 1e-3
