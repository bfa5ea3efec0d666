"""ndflow.learn.tree against the real scikit-learn: same trees, same exports, and sklearn's estimator checks."""
import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn import tree as sk_tree  # noqa: E402
from sklearn.datasets import load_iris, make_moons  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from ndflow.learn import tree as nd_tree  # noqa: E402

pytestmark = pytest.mark.parity

IRIS_X, IRIS_Y = load_iris(return_X_y=True)


def _with_checks(estimators, **kwargs):
    """``parametrize_with_checks`` without its warning that ndflow estimators do not derive from sklearn's."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Estimator .* does not inherit from `sklearn.base.BaseEstimator`")
        return parametrize_with_checks(estimators, **kwargs)


def assert_same_tree(ours, theirs):
    a, b = ours.tree_, theirs.tree_
    assert a.node_count == b.node_count and a.max_depth == b.max_depth
    for name in ("children_left", "children_right", "feature", "n_node_samples"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for name in ("threshold", "impurity", "value", "weighted_n_node_samples"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-9, atol=1e-12, err_msg=name)


def fit_both(name, X, y, sample_weight=None, **params):
    ours = getattr(nd_tree, name)(**params).fit(X, y, sample_weight=sample_weight)
    theirs = getattr(sk_tree, name)(**params).fit(X, y, sample_weight=sample_weight)
    return ours, theirs


@pytest.mark.parametrize("random_state", [40, 42, 0])
def test_iris_petal_tree_tie_breaks_like_sklearn(random_state):
    # petal length 2.45 and petal width 0.8 separate setosa equally well: the feature draw decides
    ours, theirs = fit_both("DecisionTreeClassifier", IRIS_X[:, 2:], IRIS_Y, max_depth=2, random_state=random_state)
    assert_same_tree(ours, theirs)


@pytest.mark.parametrize("params", [
    {}, {"criterion": "entropy"}, {"max_features": 2}, {"max_features": "log2", "criterion": "log_loss"},
    {"max_leaf_nodes": 6}, {"min_samples_leaf": 3, "min_samples_split": 7}, {"splitter": "random"},
    {"ccp_alpha": 0.01}, {"class_weight": "balanced", "max_depth": 3}, {"min_impurity_decrease": 0.01},
])
@pytest.mark.parametrize("random_state", [0, 7])
def test_iris_classifier_trees_identical(params, random_state):
    ours, theirs = fit_both("DecisionTreeClassifier", IRIS_X, IRIS_Y, random_state=random_state, **params)
    assert_same_tree(ours, theirs)
    np.testing.assert_allclose(ours.predict_proba(IRIS_X), theirs.predict_proba(IRIS_X))
    np.testing.assert_allclose(ours.feature_importances_, theirs.feature_importances_)
    assert (ours.decision_path(IRIS_X) != theirs.decision_path(IRIS_X)).nnz == 0


def test_moons_min_samples_leaf_identical():
    X, y = make_moons(n_samples=100, noise=0.25, random_state=53)
    for params in ({"random_state": 42}, {"min_samples_leaf": 4, "random_state": 42}):
        assert_same_tree(*fit_both("DecisionTreeClassifier", X, y, **params))


@pytest.mark.parametrize("criterion", ["squared_error", "absolute_error", "poisson"])
def test_regression_trees_identical_on_distinct_values(criterion):
    rng = np.random.RandomState(0)
    X, y = rng.rand(300, 5), rng.rand(300)
    assert_same_tree(*fit_both("DecisionTreeRegressor", X, y, criterion=criterion, max_depth=4, random_state=0))


def test_spec_regression_tree_numbers():
    rng = np.random.RandomState(42)
    X = rng.rand(200, 1)
    y = 4 * (X[:, 0] - 0.5) ** 2 + rng.randn(200) / 10
    ours, theirs = fit_both("DecisionTreeRegressor", X, y, max_depth=2, random_state=42)
    assert_same_tree(ours, theirs)
    leaf = ours.apply(np.array([[0.6]]))[0]  # spec: x1 = 0.6 reaches value 0.111, 110 samples, mse 0.015
    assert ours.tree_.n_node_samples[leaf] == 110 and round(ours.tree_.value[leaf, 0, 0], 3) == 0.111
    assert round(ours.tree_.impurity[leaf], 3) == 0.015


def test_weighted_and_multioutput_trees_identical():
    rng = np.random.RandomState(3)
    X = rng.rand(120, 4)
    Y = np.stack([X[:, 0] > 0.5, X[:, 1] + X[:, 2] > 1], axis=1).astype(int)
    assert_same_tree(*fit_both("DecisionTreeClassifier", X, Y, random_state=1))
    w = rng.randint(1, 4, 120).astype(float)
    assert_same_tree(*fit_both("DecisionTreeClassifier", X, Y[:, 0], sample_weight=w, random_state=1,
                               min_weight_fraction_leaf=0.02))


def test_extra_tree_classifier_identical():
    for rs in (0, 1, 2):
        assert_same_tree(*fit_both("ExtraTreeClassifier", IRIS_X, IRIS_Y, random_state=rs))


def test_cost_complexity_path_identical():
    ours = nd_tree.DecisionTreeClassifier(random_state=0).cost_complexity_pruning_path(IRIS_X, IRIS_Y)
    theirs = sk_tree.DecisionTreeClassifier(random_state=0).cost_complexity_pruning_path(IRIS_X, IRIS_Y)
    np.testing.assert_allclose(ours.ccp_alphas, theirs.ccp_alphas, atol=1e-12)
    np.testing.assert_allclose(ours.impurities, theirs.impurities, atol=1e-12)


@pytest.mark.parametrize("kwargs", [
    {}, {"filled": True, "rounded": True, "class_names": ["a", "b", "c"]},
    {"proportion": True, "node_ids": True, "label": "root", "class_names": True, "filled": True,
     "leaves_parallel": True, "rotate": True},
    {"max_depth": 1, "filled": True, "special_characters": True, "impurity": False},
])
def test_export_graphviz_identical(kwargs):
    ours, theirs = fit_both("DecisionTreeClassifier", IRIS_X, IRIS_Y, max_depth=4, random_state=0)
    assert nd_tree.export_graphviz(ours, **kwargs) == sk_tree.export_graphviz(theirs, **kwargs)
    rng = np.random.RandomState(42)
    X = rng.rand(200, 1)
    y = 4 * (X[:, 0] - 0.5) ** 2 + rng.randn(200) / 10
    ours, theirs = fit_both("DecisionTreeRegressor", X, y, max_depth=3, random_state=42)
    kwargs = {k: v for k, v in kwargs.items() if k != "class_names"}
    assert nd_tree.export_graphviz(ours, **kwargs) == sk_tree.export_graphviz(theirs, **kwargs)


@pytest.mark.parametrize("kwargs", [{}, {"show_weights": True, "max_depth": 1, "decimals": 3},
                                    {"class_names": list("abc"), "spacing": 2}])
def test_export_text_identical(kwargs):
    ours, theirs = fit_both("DecisionTreeClassifier", IRIS_X, IRIS_Y, random_state=0)
    assert nd_tree.export_text(ours, **kwargs) == sk_tree.export_text(theirs, **kwargs)


@_with_checks([nd_tree.DecisionTreeClassifier(), nd_tree.DecisionTreeRegressor(),
                          nd_tree.ExtraTreeClassifier(), nd_tree.ExtraTreeRegressor()])
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)
