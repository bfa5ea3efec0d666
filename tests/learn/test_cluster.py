"""Tests of ndflow.learn.cluster against NumPy/SciPy reference computations and hand-derivable results.

Parity with scikit-learn is in test_cluster_parity.py.
"""
import warnings

import numpy as np
import pytest
from scipy.cluster import hierarchy
from scipy.spatial.distance import cdist

from ndflow.learn.cluster import (
    DBSCAN,
    AgglomerativeClustering,
    KMeans,
    MeanShift,
    MiniBatchKMeans,
    SpectralClustering,
    estimate_bandwidth,
    k_means,
    kmeans_plusplus,
)
from ndflow.learn.exceptions import ConvergenceWarning, NotFittedError

CENTERS = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0], [6.0, 6.0]])


def blobs(n_per=50, std=0.5, seed=0, centers=CENTERS):
    rng = np.random.RandomState(seed)
    X = np.vstack([c + std * rng.randn(n_per, centers.shape[1]) for c in centers])
    return X, np.repeat(np.arange(len(centers)), n_per)


def moons(n=400, noise=0.05, seed=0):
    rng = np.random.RandomState(seed)
    t = np.pi * rng.rand(n)
    upper = rng.rand(n) < 0.5
    X = np.where(upper[:, None], np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    return X + noise * rng.randn(n, 2), (~upper).astype(int)


def same_partition(a, b):
    """Labelings equal up to a renaming of the clusters."""
    pairs = np.unique(np.c_[a, b], axis=0)
    return len(pairs) == len(np.unique(a)) == len(np.unique(b))


def sq_dist_to_nearest(X, centers):
    return cdist(X, centers, "sqeuclidean").min(axis=1)


# --- KMeans ---------------------------------------------------------------------------------------------

def test_kmeans_recovers_blobs_and_attributes_match_numpy():
    X, y = blobs()
    km = KMeans(n_clusters=4, random_state=0).fit(X)
    assert same_partition(km.labels_, y)
    for j in range(4):  # centers are the means of their members
        np.testing.assert_allclose(km.cluster_centers_[j], X[km.labels_ == j].mean(axis=0), atol=1e-10)
    assert km.inertia_ == pytest.approx(sq_dist_to_nearest(X, km.cluster_centers_).sum())
    assert km.score(X) == pytest.approx(-km.inertia_)
    np.testing.assert_allclose(km.transform(X), cdist(X, km.cluster_centers_), atol=1e-9)
    np.testing.assert_array_equal(km.predict(X), km.labels_)
    assert km.n_iter_ >= 1 and km.n_features_in_ == 2
    np.testing.assert_array_equal(km.get_feature_names_out(), [f"kmeans{i}" for i in range(4)])


def test_kmeans_fit_predict_is_labels_and_fit_transform_distances():
    X, _ = blobs(seed=1)
    km = KMeans(n_clusters=4, random_state=3)
    labels = km.fit_predict(X)
    assert labels is km.labels_
    dist = KMeans(n_clusters=4, random_state=3).fit_transform(X)
    np.testing.assert_array_equal(dist.argmin(axis=1), labels)


def test_kmeans_explicit_init_converges_to_lloyd_fixed_point():
    X, _ = blobs(seed=2)
    init = np.array([[1.0, 1.0], [5.0, 1.0], [1.0, 5.0], [5.0, 5.0]])
    km = KMeans(n_clusters=4, init=init, n_init=1).fit(X)
    # hand-run Lloyd iterations from the same start
    centers = init.copy()
    for _ in range(50):
        labels = cdist(X, centers, "sqeuclidean").argmin(axis=1)
        centers = np.array([X[labels == j].mean(axis=0) for j in range(4)])
    np.testing.assert_allclose(km.cluster_centers_, centers, atol=1e-10)
    with pytest.warns(RuntimeWarning, match="Explicit initial center position passed"):
        KMeans(n_clusters=4, init=init, n_init=3).fit(X)


def test_kmeans_max_iter_one_is_one_lloyd_step():
    X, _ = blobs(seed=3)
    init = X[[0, 60, 120, 180]]
    km = KMeans(n_clusters=4, init=init, n_init=1, max_iter=1).fit(X)
    labels = cdist(X, init, "sqeuclidean").argmin(axis=1)
    expected = np.array([X[labels == j].mean(axis=0) for j in range(4)])
    np.testing.assert_allclose(km.cluster_centers_, expected, atol=1e-10)
    assert km.n_iter_ == 1


def test_kmeans_integer_sample_weight_equals_repeating_rows():
    X, _ = blobs(n_per=20, seed=4)
    w = np.random.RandomState(0).randint(1, 4, len(X))
    init = X[[0, 20, 40, 60]]
    weighted = KMeans(n_clusters=4, init=init, n_init=1).fit(X, sample_weight=w)
    repeated = KMeans(n_clusters=4, init=init, n_init=1).fit(np.repeat(X, w, axis=0))
    np.testing.assert_allclose(weighted.cluster_centers_, repeated.cluster_centers_, atol=1e-10)
    assert weighted.inertia_ == pytest.approx(repeated.inertia_)


def test_kmeans_random_init_and_n_init_keep_the_best_run():
    X, _ = blobs(seed=5)
    runs = [KMeans(4, init="random", n_init=1, random_state=s).fit(X).inertia_ for s in range(5)]
    best = KMeans(4, init="random", n_init=10, random_state=0).fit(X).inertia_
    assert best <= min(runs) + 1e-9


def test_kmeans_float32_is_preserved():
    X, _ = blobs(seed=6)
    km = KMeans(4, random_state=0).fit(X.astype(np.float32))
    assert km.cluster_centers_.dtype == np.float32
    assert km.transform(X.astype(np.float32)).dtype == np.float32


def test_kmeans_errors():
    X, _ = blobs(n_per=2)
    with pytest.raises(ValueError, match=r"n_samples=8 should be >= n_clusters=9"):
        KMeans(n_clusters=9).fit(X)
    with pytest.raises(ValueError, match="'algorithm' parameter of KMeans must be a str among"):
        KMeans(algorithm="full").fit(X)
    with pytest.raises(ValueError, match="'n_clusters' parameter of KMeans must be an int in the range"):
        KMeans(n_clusters=0).fit(X)
    with pytest.raises(ValueError, match=r"The shape of the initial centers \(2, 2\) does not match"):
        KMeans(n_clusters=3, init=X[:2], n_init=1).fit(X)
    with pytest.raises(NotFittedError):
        KMeans().predict(X)
    with pytest.raises(ValueError, match="X has 3 features, but KMeans is expecting 2 features"):
        KMeans(2, random_state=0).fit(X).predict(np.ones((2, 3)))


def test_kmeans_warns_when_fewer_distinct_clusters():
    X = np.array([[0.0, 0.0]] * 5 + [[1.0, 1.0]] * 5)
    with pytest.warns(ConvergenceWarning, match="Number of distinct clusters"):
        KMeans(n_clusters=3, random_state=0).fit(X)


def test_kmeans_plusplus_returns_rows_of_x_spread_over_blobs():
    X, y = blobs(seed=7)
    centers, idx = kmeans_plusplus(X, 4, random_state=0)
    np.testing.assert_array_equal(centers, X[idx])
    assert len(set(y[idx])) == 4  # greedy D² sampling lands in every well-separated blob


def test_k_means_function_matches_estimator():
    X, _ = blobs(seed=8)
    centers, labels, inertia, n_iter = k_means(X, 4, random_state=1, return_n_iter=True)
    km = KMeans(4, random_state=1).fit(X)
    np.testing.assert_array_equal(labels, km.labels_)
    assert inertia == km.inertia_ and n_iter == km.n_iter_


def test_kmeans_accepts_dataframe_and_records_feature_names():
    pd = pytest.importorskip("pandas")
    X, _ = blobs(seed=9)
    df = pd.DataFrame(X, columns=["a", "b"])
    km = KMeans(4, random_state=0).fit(df)
    np.testing.assert_array_equal(km.feature_names_in_, ["a", "b"])
    np.testing.assert_array_equal(km.predict(df), km.labels_)


def test_color_segmentation_workflow():
    """The spec's image segmentation: pixels replaced by their cluster's center colour."""
    rng = np.random.RandomState(0)
    palette = np.array([[0.9, 0.1, 0.1], [0.1, 0.6, 0.1], [0.2, 0.2, 0.8]])
    image = palette[rng.randint(0, 3, (20, 30))] + 0.01 * rng.randn(20, 30, 3)
    X = image.reshape(-1, 3)
    km = KMeans(n_clusters=3, random_state=42).fit(X)
    segmented = km.cluster_centers_[km.labels_].reshape(image.shape)
    assert np.abs(segmented - image).max() < 0.06
    assert np.sort(km.cluster_centers_[:, 0]) == pytest.approx(np.sort(palette[:, 0]), abs=0.01)


def test_representative_samples_and_label_propagation_workflow():
    """The spec's semi-supervised recipe: label the sample closest to each centroid, then propagate."""
    X, y = blobs(n_per=30, std=0.4, seed=10)
    km = KMeans(n_clusters=4, random_state=42)
    dist = km.fit_transform(X)
    representative = np.argmin(dist, axis=0)
    np.testing.assert_array_equal(km.labels_[representative], np.arange(4))
    propagated = y[representative][km.labels_]
    assert np.mean(propagated == y) == 1.0


def test_kmeans_pipeline_grid_search_over_n_clusters():
    from ndflow.learn.model_selection import GridSearchCV
    from ndflow.learn.pipeline import Pipeline

    linear_model = pytest.importorskip("ndflow.learn.linear_model")
    X, y = blobs(n_per=25, seed=11)
    pipe = Pipeline([("kmeans", KMeans(random_state=42)), ("clf", linear_model.LogisticRegression(max_iter=500))])
    grid = GridSearchCV(pipe, {"kmeans__n_clusters": [2, 4]}, cv=2).fit(X, y)
    assert grid.best_params_ == {"kmeans__n_clusters": 4}
    assert grid.score(X, y) == 1.0


# --- MiniBatchKMeans ------------------------------------------------------------------------------------

def test_minibatch_kmeans_recovers_blobs():
    X, y = blobs(n_per=100, seed=12)
    mbk = MiniBatchKMeans(n_clusters=4, batch_size=64, random_state=0, n_init=3).fit(X)
    assert same_partition(mbk.labels_, y)
    assert mbk.inertia_ == pytest.approx(sq_dist_to_nearest(X, mbk.cluster_centers_).sum())
    assert mbk.n_steps_ >= 1 and mbk.n_iter_ >= 1


def test_minibatch_partial_fit_first_step_is_a_weighted_mean_update():
    X, _ = blobs(n_per=30, seed=13)
    init = X[[0, 30, 60, 90]]
    mbk = MiniBatchKMeans(n_clusters=4, init=init, n_init=1, reassignment_ratio=0).partial_fit(X)
    labels = cdist(X, init, "sqeuclidean").argmin(axis=1)
    # counts start at zero, so the first update moves each center to its members' mean
    expected = np.array([X[labels == j].mean(axis=0) for j in range(4)])
    np.testing.assert_allclose(mbk.cluster_centers_, expected, atol=1e-10)
    mbk.partial_fit(X)
    assert mbk.n_steps_ == 2
    assert mbk.score(X) == pytest.approx(-sq_dist_to_nearest(X, mbk.cluster_centers_).sum())


# --- DBSCAN ---------------------------------------------------------------------------------------------

def reference_dbscan(X, eps, min_samples):
    """Textbook DBSCAN by breadth-first expansion in index order (used as the reference)."""
    D = cdist(X, X)
    neighbors = [np.flatnonzero(row <= eps) for row in D]
    core = np.array([len(n) >= min_samples for n in neighbors])
    labels = np.full(len(X), -1)
    current = 0
    for i in range(len(X)):
        if labels[i] != -1 or not core[i]:
            continue
        stack = [i]
        while stack:
            j = stack.pop()
            if labels[j] == -1:
                labels[j] = current
                if core[j]:
                    stack.extend(k for k in neighbors[j] if labels[k] == -1)
        current += 1
    return np.flatnonzero(core), labels


def test_dbscan_points_on_a_line():
    X = np.array([[0.0], [1.0], [2.0], [3.0], [10.0], [11.0], [12.0], [30.0]])
    db = DBSCAN(eps=1.0, min_samples=3).fit(X)
    np.testing.assert_array_equal(db.core_sample_indices_, [1, 2, 5])
    np.testing.assert_array_equal(db.labels_, [0, 0, 0, 0, 1, 1, 1, -1])
    np.testing.assert_array_equal(db.components_, X[[1, 2, 5]])


@pytest.mark.parametrize("eps,min_samples", [(0.05, 5), (0.1, 4), (0.2, 5), (0.02, 2)])
def test_dbscan_matches_reference_on_moons(eps, min_samples):
    X, _ = moons()
    core, labels = reference_dbscan(X, eps, min_samples)
    db = DBSCAN(eps=eps, min_samples=min_samples).fit(X)
    np.testing.assert_array_equal(db.core_sample_indices_, core)
    np.testing.assert_array_equal(db.labels_, labels)


def test_dbscan_generic_metric_path_matches_kd_tree_path():
    X, _ = moons(seed=1)
    fast = DBSCAN(eps=0.1).fit(X)
    for kwargs in ({"algorithm": "brute"}, {"metric": "minkowski", "p": 2, "algorithm": "ball_tree"}):
        np.testing.assert_array_equal(DBSCAN(eps=0.1, **kwargs).fit(X).labels_, fast.labels_)
    precomputed = DBSCAN(eps=0.1, metric="precomputed").fit(cdist(X, X))
    np.testing.assert_array_equal(precomputed.labels_, fast.labels_)


def test_dbscan_sample_weight_counts_towards_core():
    X = np.array([[0.0], [0.5], [5.0]])
    db = DBSCAN(eps=1.0, min_samples=3).fit(X, sample_weight=[1, 2, 3])
    np.testing.assert_array_equal(db.core_sample_indices_, [0, 1, 2])
    np.testing.assert_array_equal(db.labels_, [0, 0, 1])


def test_dbscan_all_noise_and_errors():
    X = np.array([[0.0, 0.0], [10.0, 10.0]])
    db = DBSCAN(eps=1.0, min_samples=2).fit(X)
    np.testing.assert_array_equal(db.labels_, [-1, -1])
    assert db.components_.shape == (0, 2)
    with pytest.raises(ValueError, match="'eps' parameter of DBSCAN must be a float in the range"):
        DBSCAN(eps=0).fit(X)
    assert not hasattr(DBSCAN(), "predict")


def test_dbscan_with_knn_on_core_samples_workflow():
    """The spec's prediction recipe: a KNN classifier trained on the core samples, distance cut-off → -1."""
    neighbors = pytest.importorskip("ndflow.learn.neighbors")
    X, y = moons(n=600, seed=2)
    db = DBSCAN(eps=0.2).fit(X)
    assert len(np.unique(db.labels_)) == 2 and same_partition(db.labels_, y)
    knn = neighbors.KNeighborsClassifier(n_neighbors=50)
    knn.fit(db.components_, db.labels_[db.core_sample_indices_])
    X_new = np.array([[-0.5, 0.0], [0.0, 0.5], [1.0, -0.1], [2.0, 1.0]])
    dist, idx = knn.kneighbors(X_new, n_neighbors=1)
    y_pred = db.labels_[db.core_sample_indices_][idx]
    y_pred[dist > 0.2] = -1
    assert y_pred.ravel()[0] == -1 and y_pred.ravel()[3] == -1
    assert knn.predict_proba(X_new).sum(axis=1) == pytest.approx(np.ones(4))


# --- AgglomerativeClustering ----------------------------------------------------------------------------

@pytest.mark.parametrize("linkage", ["ward", "complete", "average", "single"])
def test_agglomerative_tree_and_labels_match_scipy(linkage):
    X, _ = blobs(n_per=15, std=1.0, seed=14)
    model = AgglomerativeClustering(n_clusters=4, linkage=linkage, compute_distances=True).fit(X)
    Z = hierarchy.linkage(X, method=linkage)
    np.testing.assert_allclose(model.distances_, Z[:, 2])
    np.testing.assert_array_equal(np.sort(model.children_, axis=1), np.sort(Z[:, :2].astype(int), axis=1))
    assert same_partition(model.labels_, hierarchy.fcluster(Z, 4, criterion="maxclust"))
    assert model.n_leaves_ == len(X) and model.n_clusters_ == 4


def test_agglomerative_distance_threshold():
    X, y = blobs(n_per=15, seed=15)
    model = AgglomerativeClustering(n_clusters=None, distance_threshold=10.0).fit(X)
    assert model.n_clusters_ == int((model.distances_ >= 10.0).sum()) + 1 == 4
    assert same_partition(model.labels_, y)


def test_agglomerative_errors():
    X, _ = blobs(n_per=3)
    with pytest.raises(ValueError, match="Exactly one of n_clusters and distance_threshold"):
        AgglomerativeClustering(n_clusters=2, distance_threshold=1.0).fit(X)
    with pytest.raises(ValueError, match="Ward can only work with euclidean distances"):
        AgglomerativeClustering(metric="manhattan").fit(X)
    with pytest.raises(NotImplementedError, match="connectivity"):
        AgglomerativeClustering(connectivity=np.eye(len(X))).fit(X)


# --- SpectralClustering and MeanShift --------------------------------------------------------------------

def test_spectral_clustering_separates_moons_with_a_neighbors_graph():
    X, y = moons(n=300, noise=0.04, seed=3)
    sc = SpectralClustering(n_clusters=2, affinity="nearest_neighbors", n_neighbors=15, random_state=0).fit(X)
    assert same_partition(sc.labels_, y)
    A = sc.affinity_matrix_.toarray()
    np.testing.assert_allclose(A, A.T)


def test_spectral_clustering_rbf_and_precomputed_agree():
    X, y = blobs(n_per=20, seed=16)
    rbf = SpectralClustering(n_clusters=4, gamma=0.5, random_state=0).fit(X)
    np.testing.assert_allclose(rbf.affinity_matrix_, np.exp(-0.5 * cdist(X, X, "sqeuclidean")))
    pre = SpectralClustering(n_clusters=4, affinity="precomputed", random_state=0).fit(rbf.affinity_matrix_)
    np.testing.assert_array_equal(pre.labels_, rbf.labels_)
    assert same_partition(rbf.labels_, y)


def test_estimate_bandwidth_is_mean_kth_neighbor_distance():
    X, _ = blobs(n_per=20, seed=17)
    k = int(len(X) * 0.3)
    expected = np.sort(cdist(X, X), axis=1)[:, k - 1].mean()
    assert estimate_bandwidth(X) == pytest.approx(expected)


def test_mean_shift_finds_blob_modes():
    X, y = blobs(n_per=40, std=0.5, seed=18)
    ms = MeanShift(bandwidth=2.0).fit(X)
    assert same_partition(ms.labels_, y)
    order = np.lexsort(np.round(ms.cluster_centers_).T)  # by y, then x, like CENTERS
    np.testing.assert_allclose(ms.cluster_centers_[order], CENTERS, atol=0.3)
    np.testing.assert_array_equal(ms.predict(X), ms.labels_)
    binned = MeanShift(bandwidth=2.0, bin_seeding=True).fit(X)
    assert same_partition(binned.labels_, y)


def test_mean_shift_cluster_all_false_marks_far_points():
    X, _ = blobs(n_per=30, std=0.3, seed=19)
    X = np.vstack([X, [[30.0, 30.0]]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ms = MeanShift(bandwidth=1.5, cluster_all=False, seeds=CENTERS).fit(X)
    assert ms.labels_[-1] == -1 and (ms.labels_[:-1] >= 0).all()
