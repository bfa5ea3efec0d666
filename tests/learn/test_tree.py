"""ndflow.learn.tree: CART trees checked against hand computations, NumPy references and the spec's numbers."""
import numpy as np
import pytest
import scipy.sparse as sp

from ndflow.learn.datasets import load_iris, make_moons
from ndflow.learn.exceptions import NotFittedError
from ndflow.learn.tree import (
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    ExtraTreeClassifier,
    ExtraTreeRegressor,
    export_graphviz,
    export_text,
    plot_tree,
)


@pytest.fixture(scope="module")
def iris():
    return load_iris()


@pytest.fixture(scope="module")
def petal_tree(iris):
    return DecisionTreeClassifier(max_depth=2, random_state=42).fit(iris.data[:, 2:], iris.target)


def _gini(y):
    p = np.bincount(y) / y.size
    return 1.0 - np.sum(p ** 2)


def test_iris_depth2_tree_matches_the_spec(petal_tree, iris):
    t = petal_tree.tree_
    # spec: root "petal length <= 2.45", then "petal width <= 1.75", gini 0.168 in the left grandchild
    assert t.node_count == 5 and petal_tree.get_depth() == 2 and petal_tree.get_n_leaves() == 3
    assert t.feature[0] == 0 and round(t.threshold[0], 2) == 2.45
    assert t.feature[2] == 1 and round(t.threshold[2], 2) == 1.75
    assert round(t.impurity[3], 3) == 0.168
    assert t.impurity[0] == pytest.approx(_gini(iris.target))
    np.testing.assert_allclose(petal_tree.predict_proba([[5, 1.5]]), [[0, 49 / 54, 5 / 54]])
    assert petal_tree.predict([[5, 1.5]])[0] == 1


def test_leaf_marks_and_value_fractions(petal_tree):
    t = petal_tree.tree_
    leaves = t.children_left == -1
    assert np.all(t.children_right[leaves] == -1)
    assert np.all(t.feature[leaves] == -2) and np.all(t.threshold[leaves] == -2)
    np.testing.assert_allclose(t.value.sum(axis=2), 1.0)  # class fractions
    np.testing.assert_array_equal(t.n_node_samples, [150, 50, 100, 54, 46])
    np.testing.assert_allclose(t.weighted_n_node_samples, t.n_node_samples)


def test_thresholds_are_midpoints_and_children_are_consistent():
    rng = np.random.RandomState(0)
    X = rng.rand(60, 3)
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    tree = DecisionTreeClassifier(random_state=0).fit(X, y)
    t = tree.tree_
    X32 = X.astype(np.float32).astype(np.float64)
    for node in np.flatnonzero(t.children_left >= 0):
        leaf_rows = tree.decision_path(X)[:, node].toarray().ravel().astype(bool)
        col = X32[leaf_rows, t.feature[node]]
        below, above = col[col <= t.threshold[node]], col[col > t.threshold[node]]
        assert t.threshold[node] == pytest.approx((below.max() + above.min()) / 2, abs=1e-6)
        assert below.size == t.n_node_samples[t.children_left[node]]
        assert above.size == t.n_node_samples[t.children_right[node]]
    assert tree.score(X, y) == 1.0  # fully grown on distinct points


def test_apply_and_decision_path(petal_tree, iris):
    X = iris.data[:, 2:]
    leaves = petal_tree.apply(X)
    path = petal_tree.decision_path(X)
    assert sp.issparse(path) and path.shape == (150, 5)
    rows, cols = path.nonzero()
    assert np.all(path[np.arange(150), leaves] == 1) and np.all(path[:, 0].toarray() == 1)
    np.testing.assert_array_equal(np.bincount(rows), np.where(leaves == 1, 2, 3))
    is_leaf = petal_tree.tree_.children_left == -1
    np.testing.assert_array_equal(np.bincount(leaves, minlength=5)[is_leaf], petal_tree.tree_.n_node_samples[is_leaf])


def test_feature_importances_are_weighted_impurity_decreases(petal_tree):
    t = petal_tree.tree_
    w = t.weighted_n_node_samples * t.impurity
    gain0 = w[0] - w[1] - w[2]
    gain1 = w[2] - w[3] - w[4]
    np.testing.assert_allclose(petal_tree.feature_importances_, np.array([gain0, gain1]) / (gain0 + gain1))


def test_entropy_criterion_root_is_log2_classes(iris):
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=1, random_state=0).fit(iris.data, iris.target)
    assert tree.tree_.impurity[0] == pytest.approx(np.log2(3))
    log_loss = DecisionTreeClassifier(criterion="log_loss", max_depth=1, random_state=0).fit(iris.data, iris.target)
    np.testing.assert_array_equal(log_loss.tree_.threshold, tree.tree_.threshold)


def test_regression_tree_leaf_means_and_mse():
    rng = np.random.RandomState(42)
    X = rng.rand(200, 1)
    y = 4 * (X[:, 0] - 0.5) ** 2 + rng.randn(200) / 10
    reg = DecisionTreeRegressor(max_depth=2, random_state=42).fit(X, y)
    t = reg.tree_
    leaves = reg.apply(X)
    for leaf in np.unique(leaves):
        assert t.value[leaf, 0, 0] == pytest.approx(y[leaves == leaf].mean())
        assert t.impurity[leaf] == pytest.approx(y[leaves == leaf].var())
    assert t.impurity[0] == pytest.approx(y.var())
    # best single split minimises the summed squared error over all midpoints (brute force reference)
    xs = np.sort(X[:, 0].astype(np.float32).astype(np.float64))
    costs = [np.var(y[X[:, 0] <= m]) * np.sum(X[:, 0] <= m) + np.var(y[X[:, 0] > m]) * np.sum(X[:, 0] > m)
             for m in (xs[:-1] + xs[1:]) / 2]
    assert t.threshold[0] == pytest.approx(((xs[:-1] + xs[1:]) / 2)[int(np.argmin(costs))], abs=1e-6)
    np.testing.assert_allclose(reg.predict(X), t.value[leaves, 0, 0])


def test_absolute_error_and_poisson_criteria():
    rng = np.random.RandomState(0)
    X = rng.rand(80, 2)
    y = rng.poisson(3 * X[:, 0] + 0.5).astype(float)
    mae = DecisionTreeRegressor(criterion="absolute_error", max_depth=2).fit(X, y)
    leaves = mae.apply(X)
    for leaf in np.unique(leaves):
        assert mae.tree_.value[leaf, 0, 0] == pytest.approx(np.median(y[leaves == leaf]))
    assert mae.tree_.impurity[0] == pytest.approx(np.mean(np.abs(y - np.median(y))))
    poisson = DecisionTreeRegressor(criterion="poisson", max_depth=2).fit(X, y)
    mean = y.mean()
    expected = np.mean(np.where(y > 0, y * np.log(np.where(y > 0, y, 1) / mean), 0.0))
    assert poisson.tree_.impurity[0] == pytest.approx(expected)
    with pytest.raises(ValueError, match="negative"):
        DecisionTreeRegressor(criterion="poisson").fit(X, -y - 1)


def test_friedman_mse_is_deprecated_alias():
    X = np.arange(10.0).reshape(-1, 1)
    y = X[:, 0] ** 2
    with pytest.warns(FutureWarning, match="friedman_mse"):
        a = DecisionTreeRegressor(criterion="friedman_mse").fit(X, y)
    b = DecisionTreeRegressor().fit(X, y)
    np.testing.assert_array_equal(a.tree_.threshold, b.tree_.threshold)


def test_regularisation_parameters():
    X, y = make_moons(n_samples=100, noise=0.25, random_state=53)
    full = DecisionTreeClassifier(random_state=42).fit(X, y)
    leafy = DecisionTreeClassifier(min_samples_leaf=4, random_state=42).fit(X, y)
    assert full.score(X, y) == 1.0 and leafy.get_n_leaves() < full.get_n_leaves()
    assert leafy.tree_.n_node_samples[leafy.tree_.children_left == -1].min() >= 4
    small = DecisionTreeClassifier(max_leaf_nodes=5, random_state=0).fit(X, y)
    assert small.get_n_leaves() == 5
    split = DecisionTreeClassifier(min_samples_split=30, random_state=0).fit(X, y)
    internal = split.tree_.children_left >= 0
    assert split.tree_.n_node_samples[internal].min() >= 30
    frac = DecisionTreeClassifier(min_weight_fraction_leaf=0.1, random_state=0).fit(X, y)
    assert frac.tree_.weighted_n_node_samples[frac.tree_.children_left == -1].min() >= 10
    decrease = DecisionTreeClassifier(min_impurity_decrease=0.05, random_state=0).fit(X, y)
    assert decrease.get_n_leaves() < full.get_n_leaves()


def test_sample_weight_equals_repeating_rows():
    rng = np.random.RandomState(1)
    X = rng.rand(40, 3)
    y = rng.randint(0, 2, 40)
    w = rng.randint(1, 3, 40)
    weighted = DecisionTreeClassifier(random_state=0).fit(X, y, sample_weight=w)
    repeated = DecisionTreeClassifier(random_state=0).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_array_equal(weighted.tree_.feature, repeated.tree_.feature)
    np.testing.assert_allclose(weighted.tree_.threshold, repeated.tree_.threshold)
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X))


def test_class_weight_balanced_reweights_root(iris):
    X, y = iris.data[:120], iris.target[:120]  # 50/50/20
    tree = DecisionTreeClassifier(class_weight="balanced", max_depth=1).fit(X, y)
    np.testing.assert_allclose(tree.tree_.value[0, 0], [1 / 3, 1 / 3, 1 / 3])
    assert tree.tree_.weighted_n_node_samples[0] == pytest.approx(120)


def test_multi_output_classifier_and_regressor():
    rng = np.random.RandomState(0)
    X = rng.rand(50, 2)
    Y = np.stack([(X[:, 0] > 0.5).astype(int), (X[:, 1] > 0.3).astype(int) + 2], axis=1)
    clf = DecisionTreeClassifier(random_state=0).fit(X, Y)
    assert clf.n_outputs_ == 2 and len(clf.classes_) == 2
    np.testing.assert_array_equal(clf.predict(X), Y)
    assert len(clf.predict_proba(X)) == 2
    reg = DecisionTreeRegressor(random_state=0).fit(X, Y.astype(float))
    np.testing.assert_allclose(reg.predict(X), Y)


def test_max_features_and_random_state_are_reproducible(iris):
    a = DecisionTreeClassifier(max_features="sqrt", random_state=3).fit(iris.data, iris.target)
    b = DecisionTreeClassifier(max_features=2, random_state=3).fit(iris.data, iris.target)
    np.testing.assert_array_equal(a.tree_.feature, b.tree_.feature)
    assert a.max_features_ == 2


def test_extra_trees_use_random_thresholds(iris):
    tree = ExtraTreeClassifier(random_state=0).fit(iris.data, iris.target)
    assert tree.score(iris.data, iris.target) == 1.0
    reg = ExtraTreeRegressor(random_state=0, max_depth=3).fit(iris.data, iris.data[:, 0])
    assert reg.get_depth() == 3


def test_cost_complexity_pruning(iris):
    X, y = iris.data, iris.target
    tree = DecisionTreeClassifier(random_state=0)
    path = tree.cost_complexity_pruning_path(X, y)
    assert np.all(np.diff(path.ccp_alphas) >= 0) and path.ccp_alphas[0] == 0.0
    assert path.impurities[0] == pytest.approx(0.0)
    full = DecisionTreeClassifier(random_state=0).fit(X, y)
    assert path.impurities[-1] == pytest.approx(full.tree_.impurity[0])  # the root alone
    leaves = [DecisionTreeClassifier(random_state=0, ccp_alpha=a).fit(X, y).get_n_leaves()
              for a in path.ccp_alphas[1:-1] + 1e-12]
    assert leaves == sorted(leaves, reverse=True) and leaves[0] < full.get_n_leaves()
    assert DecisionTreeClassifier(ccp_alpha=1.0).fit(X, y).tree_.node_count == 1


def test_pandas_feature_names(iris):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(iris.data, columns=iris.feature_names)
    tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(df, iris.target)
    np.testing.assert_array_equal(tree.feature_names_in_, iris.feature_names)
    assert tree.n_features_in_ == 4


def test_errors(iris):
    with pytest.raises(NotFittedError):
        DecisionTreeClassifier().predict(iris.data)
    tree = DecisionTreeClassifier().fit(iris.data, iris.target)
    with pytest.raises(ValueError, match="features"):
        tree.predict(iris.data[:, :2])
    with pytest.raises(ValueError, match="max_depth"):
        DecisionTreeClassifier(max_depth=0).fit(iris.data, iris.target)
    with pytest.raises(ValueError, match="criterion"):
        DecisionTreeClassifier(criterion="mse").fit(iris.data, iris.target)
    with pytest.raises(ValueError, match="min_samples_split"):
        DecisionTreeClassifier(min_samples_split=1).fit(iris.data, iris.target)
    with pytest.raises(ValueError, match="NaN"):
        DecisionTreeClassifier().fit(np.array([[np.nan], [1.0]]), [0, 1])
    with pytest.raises(NotImplementedError, match="monotonic_cst"):
        DecisionTreeClassifier(monotonic_cst=[1, 0, 0, 0]).fit(iris.data, iris.target)


def test_export_graphviz_iris_text(petal_tree, iris):
    dot = export_graphviz(petal_tree, out_file=None, feature_names=iris.feature_names[2:],
                          class_names=iris.target_names, rounded=True, filled=True)
    lines = dot.splitlines()
    assert lines[0] == "digraph Tree {"
    assert lines[1] == 'node [shape=box, style="filled, rounded", color="black", fontname="helvetica"] ;'
    assert ('0 [label="petal length (cm) <= 2.45\\ngini = 0.667\\nsamples = 150\\nvalue = [50, 50, 50]\\n'
            'class = setosa", fillcolor="#ffffff"] ;') in lines
    assert '3 [label="gini = 0.168\\nsamples = 54\\nvalue = [0, 49, 5]\\nclass = versicolor", ' \
           'fillcolor="#4de88e"] ;' in lines
    assert '0 -> 1 [labeldistance=2.5, labelangle=45, headlabel="True"] ;' in lines
    assert lines[-1] == "}"
    plain = export_graphviz(petal_tree)
    assert '0 [label="x[0] <= 2.45\\ngini = 0.667\\nsamples = 150\\nvalue = [50, 50, 50]"] ;' in plain


def test_export_graphviz_regression_and_file(tmp_path):
    rng = np.random.RandomState(42)
    X = rng.rand(200, 1)
    y = 4 * (X[:, 0] - 0.5) ** 2 + rng.randn(200) / 10
    reg = DecisionTreeRegressor(max_depth=2, random_state=42).fit(X, y)
    out = tmp_path / "tree.dot"
    assert export_graphviz(reg, out_file=str(out), feature_names=["x1"]) is None
    text = out.read_text()
    leaf = reg.apply(np.array([[0.6]]))[0]
    t = reg.tree_
    assert (f'{leaf} [label="squared_error = {round(t.impurity[leaf], 3)}\\nsamples = {t.n_node_samples[leaf]}'
            f'\\nvalue = {round(t.value[leaf, 0, 0], 3)}"] ;') in text


def test_export_text(petal_tree, iris):
    text = export_text(petal_tree, feature_names=list(iris.feature_names[2:]))
    assert text == ("|--- petal length (cm) <= 2.45\n|   |--- class: 0\n|--- petal length (cm) >  2.45\n"
                    "|   |--- petal width (cm) <= 1.75\n|   |   |--- class: 1\n"
                    "|   |--- petal width (cm) >  1.75\n|   |   |--- class: 2\n")
    weights = export_text(petal_tree, show_weights=True)
    assert "|   |   |--- weights: [0.00, 49.00, 5.00] class: 1\n" in weights
    assert export_text(petal_tree, max_depth=0).count("truncated branch of depth 2") == 1


def test_plot_tree_without_matplotlib_raises_clearly(petal_tree):
    try:
        import matplotlib
    except ImportError:
        with pytest.raises(ImportError, match="matplotlib"):
            plot_tree(petal_tree)
    else:
        matplotlib.use("Agg")
        assert len(plot_tree(petal_tree, filled=True)) == 5
