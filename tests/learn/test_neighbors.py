"""Tests of ndflow.learn.neighbors: searches against brute-force NumPy, estimators against hand-computed
votes and means, and parity with scikit-learn."""
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.spatial.distance import cdist

from ndflow.learn.exceptions import NotFittedError
from ndflow.learn.neighbors import (
    BallTree,
    KDTree,
    KNeighborsClassifier,
    KNeighborsRegressor,
    NearestNeighbors,
    RadiusNeighborsClassifier,
    RadiusNeighborsRegressor,
    kneighbors_graph,
    radius_neighbors_graph,
)

ALGORITHMS = ["brute", "kd_tree", "ball_tree", "auto"]
# (metric, p, the scipy cdist equivalent)
METRICS = [
    ("minkowski", 2, ("euclidean", {})),
    ("minkowski", 1, ("cityblock", {})),
    ("minkowski", 3, ("minkowski", {"p": 3})),
    ("euclidean", 2, ("euclidean", {})),
    ("manhattan", 2, ("cityblock", {})),
    ("chebyshev", 2, ("chebyshev", {})),
]


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    return rng.randn(120, 4), rng.randn(30, 4)


def reference_kneighbors(D, k):
    """Stable sort of each row: by distance, ties by index."""
    ind = np.argsort(D, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(D, ind, 1), ind


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("metric,p,ref", METRICS)
def test_kneighbors_matches_numpy_brute_force(data, algorithm, metric, p, ref):
    X, Q = data
    nn = NearestNeighbors(n_neighbors=7, algorithm=algorithm, metric=metric, p=p).fit(X)
    dist, ind = nn.kneighbors(Q)
    ref_dist, ref_ind = reference_kneighbors(cdist(Q, X, ref[0], **ref[1]), 7)
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-10, atol=1e-7)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_kneighbors_without_X_excludes_each_point_itself(data, algorithm):
    X, _ = data
    dist, ind = NearestNeighbors(n_neighbors=3, algorithm=algorithm).fit(X).kneighbors()
    D = cdist(X, X)
    np.fill_diagonal(D, np.inf)
    ref_dist, ref_ind = reference_kneighbors(D, 3)
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist, atol=1e-7)


@pytest.mark.parametrize("algorithm", ["brute", "kd_tree", "ball_tree"])
def test_ties_are_ordered_by_index(algorithm):
    # four points at distance 1 from the origin, plus exact duplicates of the query
    X = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, -1.0], [-1.0, 0.0], [0.0, 0.0], [0.0, 0.0], [5.0, 5.0]])
    dist, ind = NearestNeighbors(n_neighbors=5, algorithm=algorithm).fit(X).kneighbors([[0.0, 0.0]])
    np.testing.assert_array_equal(ind, [[4, 5, 0, 1, 2]])
    np.testing.assert_allclose(dist, [[0, 0, 1, 1, 1]], atol=1e-12)


def test_kneighbors_with_duplicate_training_points_drops_one_occurrence():
    X = np.array([[0.0], [0.0], [3.0]])
    dist, ind = NearestNeighbors(n_neighbors=1, algorithm="brute").fit(X).kneighbors()
    np.testing.assert_array_equal(ind, [[1], [0], [0]])
    np.testing.assert_allclose(dist, [[0.0], [0.0], [3.0]])


def test_cosine_metric_matches_scipy(data):
    X, Q = data
    dist, ind = NearestNeighbors(n_neighbors=4, metric="cosine").fit(X).kneighbors(Q)
    ref_dist, ref_ind = reference_kneighbors(cdist(Q, X, "cosine"), 4)
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist, atol=1e-12)


@pytest.mark.parametrize("algorithm", ["brute", "ball_tree"])
def test_weighted_minkowski_matches_scipy(data, algorithm):
    X, Q = data
    w = np.array([1.0, 2.0, 0.5, 3.0])
    nn = NearestNeighbors(n_neighbors=3, algorithm=algorithm, p=3, metric_params={"w": w}).fit(X)
    ref_dist, ref_ind = reference_kneighbors(cdist(Q, X, "minkowski", p=3, w=w), 3)
    np.testing.assert_array_equal(nn.kneighbors(Q)[1], ref_ind)
    np.testing.assert_allclose(nn.kneighbors(Q)[0], ref_dist)
    with pytest.raises(ValueError, match="algorithm='kd_tree' is not valid for metric='minkowski' with a weight"):
        NearestNeighbors(algorithm="kd_tree", metric_params={"w": w}).fit(X)


def test_p_in_metric_params_wins_with_a_warning(data):
    X, Q = data
    with pytest.warns(SyntaxWarning, match="Parameter p is found in metric_params"):
        nn = NearestNeighbors(n_neighbors=2, metric_params={"p": 1}).fit(X)
    np.testing.assert_array_equal(nn.kneighbors(Q)[1], reference_kneighbors(cdist(Q, X, "cityblock"), 2)[1])


def test_precomputed_metric_gives_same_neighbors_as_features(data):
    X, Q = data
    direct = NearestNeighbors(n_neighbors=5).fit(X).kneighbors(Q)
    pre = NearestNeighbors(n_neighbors=5, metric="precomputed").fit(cdist(X, X)).kneighbors(cdist(Q, X))
    np.testing.assert_array_equal(direct[1], pre[1])
    np.testing.assert_allclose(direct[0], pre[0], atol=1e-7)


def test_callable_metric(data):
    X, Q = data

    def l1(a, b):
        return np.abs(a - b).sum()

    dist, ind = NearestNeighbors(n_neighbors=3, metric=l1).fit(X[:40]).kneighbors(Q[:5])
    ref_dist, ref_ind = reference_kneighbors(cdist(Q[:5], X[:40], "cityblock"), 3)
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist)


def test_sparse_input_matches_dense(data):
    X, Q = data
    X = np.where(np.abs(X) < 0.5, 0.0, X)
    dense = NearestNeighbors(n_neighbors=4).fit(X).kneighbors(Q)
    sparse = NearestNeighbors(n_neighbors=4).fit(sp.csr_matrix(X)).kneighbors(sp.csr_matrix(Q))
    np.testing.assert_array_equal(dense[1], sparse[1])
    np.testing.assert_allclose(dense[0], sparse[0], atol=1e-7)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_radius_neighbors_matches_numpy(data, algorithm):
    X, Q = data
    nn = NearestNeighbors(radius=1.3, algorithm=algorithm).fit(X)
    dist, ind = nn.radius_neighbors(Q)
    D = cdist(Q, X)
    for i in range(len(Q)):
        expected = np.flatnonzero(D[i] <= 1.3)
        np.testing.assert_array_equal(ind[i], expected)  # index order when not sorted
        np.testing.assert_allclose(dist[i], D[i, expected], atol=1e-7)
    dist, ind = nn.radius_neighbors(Q, radius=2.0, sort_results=True)
    for i in range(len(Q)):
        within = np.flatnonzero(D[i] <= 2.0)
        expected = within[np.argsort(D[i, within], kind="stable")]
        np.testing.assert_array_equal(ind[i], expected)
        assert np.all(np.diff(dist[i]) >= 0)


def test_radius_neighbors_without_X_excludes_itself(data):
    X, _ = data
    ind = NearestNeighbors(radius=1.0).fit(X).radius_neighbors(return_distance=False)
    D = cdist(X, X)
    for i in range(len(X)):
        expected = np.flatnonzero(D[i] <= 1.0)
        np.testing.assert_array_equal(ind[i], expected[expected != i])


def test_graphs_match_dense_construction(data):
    X, Q = data
    nn = NearestNeighbors(n_neighbors=3, radius=1.2).fit(X)
    dist, ind = nn.kneighbors(Q)
    conn = nn.kneighbors_graph(Q).toarray()
    expected = np.zeros((len(Q), len(X)))
    np.put_along_axis(expected, ind, 1.0, axis=1)
    np.testing.assert_array_equal(conn, expected)
    weighted = nn.kneighbors_graph(Q, mode="distance").toarray()
    np.testing.assert_allclose(np.take_along_axis(weighted, ind, 1), dist)
    radius_graph = nn.radius_neighbors_graph(Q, mode="distance").toarray()
    D = cdist(Q, X)
    np.testing.assert_allclose(radius_graph, np.where(D <= 1.2, D, 0.0), atol=1e-7)
    assert sp.isspmatrix_csr(nn.radius_neighbors_graph(Q))
    with pytest.raises(ValueError, match="Unsupported mode"):
        nn.kneighbors_graph(Q, mode="weights")


def test_graph_functions(data):
    X, _ = data
    D = cdist(X, X)
    with_self = kneighbors_graph(X, 3, include_self=True).toarray()
    np.testing.assert_array_equal(np.diag(with_self), 1.0)
    without = kneighbors_graph(X, 3, mode="distance").toarray()
    np.fill_diagonal(D, np.inf)
    expected = np.zeros_like(D)
    ind = reference_kneighbors(D, 3)[1]
    np.put_along_axis(expected, ind, np.take_along_axis(D, ind, 1), axis=1)
    np.testing.assert_allclose(without, expected, atol=1e-7)
    radius = radius_neighbors_graph(X, 1.0).toarray()
    np.testing.assert_array_equal(radius, (D <= 1.0).astype(float))


def test_kneighbors_errors(data):
    X, Q = data
    nn = NearestNeighbors(n_neighbors=3).fit(X[:5])
    with pytest.raises(ValueError, match="Expected n_neighbors <= n_samples_fit, but n_neighbors = 6"):
        nn.kneighbors(Q, n_neighbors=6)
    with pytest.raises(ValueError, match="Expected n_neighbors < n_samples_fit"):
        nn.kneighbors(n_neighbors=5)
    with pytest.raises(ValueError, match="Expected n_neighbors > 0. Got 0"):
        nn.kneighbors(Q, n_neighbors=0)
    with pytest.raises(TypeError, match="n_neighbors does not take"):
        nn.kneighbors(Q, n_neighbors=2.5)
    with pytest.raises(ValueError, match="X has 3 features, but NearestNeighbors is expecting 4 features"):
        nn.kneighbors(Q[:, :3])
    with pytest.raises(NotFittedError):
        NearestNeighbors().kneighbors(Q)
    with pytest.raises(ValueError, match="The 'algorithm' parameter of NearestNeighbors"):
        NearestNeighbors(algorithm="octree").fit(X)
    with pytest.raises(ValueError, match="Metric 'hamming2' not valid"):
        NearestNeighbors(metric="hamming2").fit(X)
    with pytest.raises(ValueError, match="Precomputed matrix must be square"):
        NearestNeighbors(metric="precomputed").fit(np.ones((3, 4)))
    with pytest.raises(ValueError, match="Negative values in data passed to precomputed"):
        NearestNeighbors(metric="precomputed").fit(-np.ones((3, 3)))
    with pytest.raises(ValueError, match="return_distance must be True if sort_results is True"):
        NearestNeighbors().fit(X).radius_neighbors(Q, return_distance=False, sort_results=True)


def test_auto_algorithm_choice(data):
    X, _ = data
    assert NearestNeighbors().fit(X)._fit_method == "kd_tree"
    assert NearestNeighbors(metric="cosine").fit(X)._fit_method == "brute"
    assert NearestNeighbors().fit(np.random.RandomState(0).randn(50, 20))._fit_method == "brute"
    assert NearestNeighbors(n_neighbors=70).fit(X)._fit_method == "brute"
    nn = NearestNeighbors(p=1).fit(X)
    assert (nn.effective_metric_, nn.effective_metric_params_) == ("manhattan", {})
    nn = NearestNeighbors(p=3).fit(X)
    assert (nn.effective_metric_, nn.effective_metric_params_) == ("minkowski", {"p": 3})


def test_classifier_uniform_votes_by_hand():
    X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0]])
    y = np.array(["a", "a", "b", "b", "b"])
    clf = KNeighborsClassifier(n_neighbors=3).fit(X, y)
    # nearest three of 0.4: 0, 1, 2 -> a, a, b ; of 9: 10, 11, 2 -> b, b, b
    np.testing.assert_array_equal(clf.predict([[0.4], [9.0]]), ["a", "b"])
    np.testing.assert_allclose(clf.predict_proba([[0.4], [9.0]]), [[2 / 3, 1 / 3], [0, 1]])
    np.testing.assert_array_equal(clf.classes_, ["a", "b"])


def test_classifier_tie_picks_smallest_class():
    X = np.array([[0.0], [2.0]])
    clf = KNeighborsClassifier(n_neighbors=2).fit(X, [1, 0])
    np.testing.assert_array_equal(clf.predict([[1.0]]), [0])


def test_distance_weights_by_hand():
    X = np.array([[0.0], [1.0], [3.0]])
    y = np.array([0, 1, 1])
    clf = KNeighborsClassifier(n_neighbors=3, weights="distance").fit(X, y)
    # query 0.5: weights 1/0.5 = 2 (class 0), 1/0.5 = 2 and 1/2.5 = 0.4 (class 1)
    np.testing.assert_allclose(clf.predict_proba([[0.5]]), [[2 / 4.4, 2.4 / 4.4]])
    # a query on a training point: only the zero-distance neighbor counts
    np.testing.assert_allclose(clf.predict_proba([[3.0]]), [[0.0, 1.0]])
    reg = KNeighborsRegressor(n_neighbors=2, weights="distance").fit(X, [0.0, 10.0, 30.0])
    # query 0.25: weights 4 and 4/3 -> (0*4 + 10*4/3) / (16/3) = 2.5
    np.testing.assert_allclose(reg.predict([[0.25]]), [2.5])


def test_callable_weights():
    X = np.array([[0.0], [1.0], [4.0]])
    reg = KNeighborsRegressor(n_neighbors=3, weights=lambda d: np.exp(-d)).fit(X, [1.0, 2.0, 3.0])
    w = np.exp(-np.array([1.0, 0.0, 3.0]))
    np.testing.assert_allclose(reg.predict([[1.0]]), [(w @ [1.0, 2.0, 3.0]) / w.sum()])


def test_regressor_mean_and_multioutput(data):
    X, Q = data
    Y = np.column_stack([X.sum(axis=1), X[:, 0] ** 2])
    reg = KNeighborsRegressor(n_neighbors=4).fit(X, Y)
    _, ref_ind = reference_kneighbors(cdist(Q, X), 4)
    np.testing.assert_allclose(reg.predict(Q), Y[ref_ind].mean(axis=1))
    np.testing.assert_allclose(KNeighborsRegressor(n_neighbors=4).fit(X, Y[:, 0]).predict(Q),
                               Y[ref_ind, 0].mean(axis=1))


def test_multilabel_classifier(data):
    X, Q = data
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0.5]).astype(int)
    clf = KNeighborsClassifier(n_neighbors=5).fit(X, Y)
    pred = clf.predict(Q)
    _, ref_ind = reference_kneighbors(cdist(Q, X), 5)
    np.testing.assert_array_equal(pred, (Y[ref_ind].mean(axis=1) > 0.5).astype(int))
    proba = clf.predict_proba(Q)
    assert isinstance(proba, list) and len(proba) == 2
    np.testing.assert_allclose(proba[1][:, 1], Y[ref_ind, 1].mean(axis=1))


def test_radius_classifier_and_outliers():
    X = np.array([[0.0], [0.5], [1.0], [5.0]])
    y = np.array([0, 0, 1, 1])
    clf = RadiusNeighborsClassifier(radius=0.55).fit(X, y)
    np.testing.assert_allclose(clf.predict_proba([[0.6]]), [[0.5, 0.5]])  # neighbors 0.5 and 1.0
    with pytest.raises(ValueError, match="No neighbors found for test samples"):
        clf.predict([[3.0]])
    clf = RadiusNeighborsClassifier(radius=0.6, outlier_label="most_frequent").fit(X, y)
    assert clf.outlier_label_ == [0]
    np.testing.assert_array_equal(clf.predict([[3.0], [0.1]]), [0, 0])
    clf = RadiusNeighborsClassifier(radius=0.6, outlier_label=7).fit(X, y)
    with pytest.warns(UserWarning, match="Outlier label 7 is not in training classes"):
        proba = clf.predict_proba([[3.0]])
    np.testing.assert_array_equal(proba, [[0.0, 0.0]])
    with pytest.warns(UserWarning):
        np.testing.assert_array_equal(clf.predict([[3.0]]), [7])
    with pytest.raises(TypeError, match="The dtype of outlier_label"):
        RadiusNeighborsClassifier(outlier_label="x").fit(X, y)


def test_radius_regressor_weights_and_empty_neighborhoods():
    X = np.array([[0.0], [1.0], [3.0]])
    reg = RadiusNeighborsRegressor(radius=1.5, weights="distance").fit(X, [1.0, 3.0, 10.0])
    # query 0.5: neighbors 0 and 1 at distance 0.5 -> equal weights
    np.testing.assert_allclose(reg.predict([[0.5]]), [2.0])
    with pytest.warns(UserWarning, match="no neighbors within specified radius; predicting NaN"):
        pred = reg.predict([[20.0], [3.0]])
    assert np.isnan(pred[0]) and pred[1] == 10.0


@pytest.mark.parametrize("tree_cls", [KDTree, BallTree])
def test_trees_match_numpy(data, tree_cls):
    X, Q = data
    tree = tree_cls(X, leaf_size=5)
    dist, ind = tree.query(Q, k=4)
    ref_dist, ref_ind = reference_kneighbors(cdist(Q, X), 4)
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist, atol=1e-7)
    counts = tree.query_radius(Q, r=1.1, count_only=True)
    np.testing.assert_array_equal(counts, (cdist(Q, X) <= 1.1).sum(axis=1))
    ind, dist = tree.query_radius(Q[:3], r=[0.5, 1.0, 1.5], return_distance=True, sort_results=True)
    for i, r in enumerate([0.5, 1.0, 1.5]):
        d = cdist(Q[i:i + 1], X)[0]
        within = np.flatnonzero(d <= r)
        np.testing.assert_array_equal(ind[i], within[np.argsort(d[within], kind="stable")])
    with pytest.raises(ValueError, match="k must be less than or equal to the number of training points"):
        tree.query(Q, k=len(X) + 1)
    manhattan = tree_cls(X, metric="manhattan")
    np.testing.assert_array_equal(manhattan.query(Q, k=2)[1], reference_kneighbors(cdist(Q, X, "cityblock"), 2)[1])


def test_kdtree_pickles_without_scipy_tree(data):
    import pickle

    X, Q = data
    tree = KDTree(X)
    tree.query(Q[:1])
    clone = pickle.loads(pickle.dumps(tree))
    np.testing.assert_array_equal(clone.query(Q, k=2)[1], tree.query(Q, k=2)[1])


def test_feature_names_from_dataframe(data):
    pd = pytest.importorskip("pandas")
    X, Q = data
    frame = pd.DataFrame(X, columns=list("abcd"))
    clf = KNeighborsClassifier().fit(frame, (X[:, 0] > 0).astype(int))
    np.testing.assert_array_equal(clf.feature_names_in_, list("abcd"))
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        plain = clf.predict(Q)
    np.testing.assert_array_equal(clf.predict(pd.DataFrame(Q, columns=list("abcd"))), plain)


def test_continuous_target_rejected_by_classifier(data):
    X, _ = data
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        KNeighborsClassifier().fit(X, X[:, 0])


# --- parity with scikit-learn ---------------------------------------------------------------------------


@pytest.mark.parity
@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("metric,p", [("minkowski", 2), ("minkowski", 1), ("minkowski", 3), ("chebyshev", 2)])
def test_parity_knn_estimators(data, algorithm, weights, metric, p):
    neighbors = pytest.importorskip("sklearn.neighbors")
    X, Q = data
    y = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 0.5)
    y_reg = X @ [1.0, 2.0, 3.0, 4.0]
    params = dict(algorithm=algorithm, metric=metric, p=p, weights=weights)
    ours = KNeighborsClassifier(n_neighbors=6, **params).fit(X, y)
    theirs = neighbors.KNeighborsClassifier(n_neighbors=6, **params).fit(X, y)
    np.testing.assert_array_equal(ours.predict(Q), theirs.predict(Q))
    np.testing.assert_allclose(ours.predict_proba(Q), theirs.predict_proba(Q))
    np.testing.assert_array_equal(ours.kneighbors(Q)[1], theirs.kneighbors(Q)[1])
    np.testing.assert_allclose(ours.kneighbors(Q)[0], theirs.kneighbors(Q)[0], atol=1e-7)
    np.testing.assert_allclose(KNeighborsRegressor(**params).fit(X, y_reg).predict(Q),
                               neighbors.KNeighborsRegressor(**params).fit(X, y_reg).predict(Q))
    np.testing.assert_allclose(
        RadiusNeighborsClassifier(radius=2.0, outlier_label=1, **params).fit(X, y).predict_proba(Q),
        neighbors.RadiusNeighborsClassifier(radius=2.0, outlier_label=1, **params).fit(X, y).predict_proba(Q))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        np.testing.assert_allclose(
            RadiusNeighborsRegressor(radius=1.0, **params).fit(X, y_reg).predict(Q),
            neighbors.RadiusNeighborsRegressor(radius=1.0, **params).fit(X, y_reg).predict(Q), equal_nan=True)


@pytest.mark.parity
def test_parity_iris_and_multilabel_predictions():
    neighbors = pytest.importorskip("sklearn.neighbors")
    datasets = pytest.importorskip("sklearn.datasets")
    X, y = datasets.load_iris(return_X_y=True)
    for algorithm in ["brute", "kd_tree", "ball_tree"]:
        np.testing.assert_array_equal(KNeighborsClassifier(algorithm=algorithm).fit(X, y).predict(X),
                                      neighbors.KNeighborsClassifier(algorithm=algorithm).fit(X, y).predict(X))
    Y = np.column_stack([y >= 1, y % 2 == 1])
    np.testing.assert_array_equal(KNeighborsClassifier().fit(X, Y).predict(X[::7]),
                                  neighbors.KNeighborsClassifier().fit(X, Y).predict(X[::7]))


@pytest.mark.parity
def test_parity_radius_neighbors_and_graphs(data):
    neighbors = pytest.importorskip("sklearn.neighbors")
    X, Q = data
    ours = NearestNeighbors(n_neighbors=4, radius=1.2).fit(X)
    theirs = neighbors.NearestNeighbors(n_neighbors=4, radius=1.2).fit(X)
    for a, b in zip(ours.radius_neighbors(Q, sort_results=True)[1], theirs.radius_neighbors(Q, sort_results=True)[1]):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(ours.kneighbors_graph(Q, mode="distance").toarray(),
                               theirs.kneighbors_graph(Q, mode="distance").toarray(), atol=1e-7)
    np.testing.assert_allclose(ours.radius_neighbors_graph(mode="distance").toarray(),
                               theirs.radius_neighbors_graph(mode="distance").toarray(), atol=1e-7)
    for include_self in (False, True):
        np.testing.assert_allclose(
            kneighbors_graph(X, 4, mode="distance", include_self=include_self).toarray(),
            neighbors.kneighbors_graph(X, 4, mode="distance", include_self=include_self).toarray(), atol=1e-7)
        np.testing.assert_array_equal(radius_neighbors_graph(X, 0.9, include_self=include_self).toarray(),
                                      neighbors.radius_neighbors_graph(X, 0.9, include_self=include_self).toarray())


@pytest.mark.parity
def test_parity_error_messages(data):
    neighbors = pytest.importorskip("sklearn.neighbors")
    import ndflow.learn.neighbors as ours

    X, Q = data
    cases = [
        lambda m: m.NearestNeighbors(n_neighbors=2).fit(X[:3]).kneighbors(Q, n_neighbors=4),
        lambda m: m.NearestNeighbors(n_neighbors=2).fit(X[:3]).kneighbors(n_neighbors=3),
        lambda m: m.NearestNeighbors().fit(X).kneighbors(Q, n_neighbors=0),
        lambda m: m.NearestNeighbors().fit(X).kneighbors(Q[:, :2]),
        lambda m: m.NearestNeighbors(metric="precomputed").fit(np.ones((2, 3))),
        lambda m: m.RadiusNeighborsClassifier(radius=0.01).fit(X, X[:, 0] > 0).predict(Q[:2] + 9),
        lambda m: m.KNeighborsClassifier().fit(X, X[:, 0]),
    ]
    for case in cases:
        with pytest.raises(ValueError) as ours_error:
            case(ours)
        with pytest.raises(ValueError) as theirs_error:
            case(neighbors)
        assert str(ours_error.value) == str(theirs_error.value)
