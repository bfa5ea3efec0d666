"""Birch against scikit-learn: the same CF-tree, sub-clusters and labels on the same data."""
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

sklearn = pytest.importorskip("sklearn")
from sklearn import cluster as sk_cluster  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from ndflow.learn import cluster  # noqa: E402
from ndflow.learn.exceptions import ConvergenceWarning, NotFittedError  # noqa: E402
from ndflow.learn.preprocessing._utils import InvalidParameterError  # noqa: E402

pytestmark = pytest.mark.parity


@pytest.fixture(scope="module")
def blobs():
    X, _ = make_blobs(800, centers=5, n_features=3, cluster_std=1.2, random_state=0)
    return X


def assert_same_birch(ours, theirs):
    np.testing.assert_allclose(ours.subcluster_centers_, theirs.subcluster_centers_, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(ours.subcluster_labels_, theirs.subcluster_labels_)
    if hasattr(theirs, "labels_"):
        np.testing.assert_array_equal(ours.labels_, theirs.labels_)


@pytest.mark.parametrize("params", [
    {},
    {"threshold": 0.3, "branching_factor": 8},
    {"threshold": 1.0, "n_clusters": None},
    {"threshold": 0.6, "branching_factor": 3, "n_clusters": 4},
])
def test_fit_matches_sklearn(blobs, params):
    ours, theirs = cluster.Birch(**params).fit(blobs), sk_cluster.Birch(**params).fit(blobs)
    assert_same_birch(ours, theirs)
    X_new = np.random.RandomState(1).uniform(-10, 10, (60, 3))
    np.testing.assert_array_equal(ours.predict(X_new), theirs.predict(X_new))
    np.testing.assert_allclose(ours.transform(X_new), theirs.transform(X_new), rtol=1e-9)
    assert ours.n_features_in_ == 3


def test_tree_structure_matches_sklearn(blobs):
    ours = cluster.Birch(threshold=0.4, branching_factor=5).fit(blobs)
    theirs = sk_cluster.Birch(threshold=0.4, branching_factor=5).fit(blobs)

    def shape(node):
        return [(sub.n_samples_, None if sub.child_ is None else shape(sub.child_)) for sub in node.subclusters_]

    assert shape(ours.root_) == shape(theirs.root_)
    assert not ours.root_.is_leaf and ours.dummy_leaf_.next_leaf_ is not None
    assert sum(len(leaf.subclusters_) for leaf in ours._get_leaves()) == len(ours.subcluster_centers_)


def test_clusterer_instance_as_global_step(blobs):
    ours = cluster.Birch(threshold=0.8, n_clusters=cluster.KMeans(3, n_init=1, random_state=0)).fit(blobs)
    theirs = sk_cluster.Birch(threshold=0.8, n_clusters=sk_cluster.KMeans(3, n_init=1, random_state=0)).fit(blobs)
    assert_same_birch(ours, theirs)


def test_partial_fit_matches_sklearn(blobs):
    ours, theirs = cluster.Birch(n_clusters=None), sk_cluster.Birch(n_clusters=None)
    for batch in np.array_split(blobs, 4):
        ours.partial_fit(batch)
        theirs.partial_fit(batch)
        assert_same_birch(ours, theirs)
    # the global step alone, after changing the number of clusters
    ours.set_params(n_clusters=5).partial_fit()
    theirs.set_params(n_clusters=5).partial_fit()
    np.testing.assert_array_equal(ours.subcluster_labels_, theirs.subcluster_labels_)
    np.testing.assert_array_equal(ours.predict(blobs), theirs.predict(blobs))
    # partial_fit grows the same tree as one fit
    one_shot = cluster.Birch(n_clusters=5).fit(blobs)
    np.testing.assert_allclose(ours.subcluster_centers_, one_shot.subcluster_centers_)


def test_sparse_input_and_fit_predict(blobs):
    dense = cluster.Birch(n_clusters=4).fit(blobs)
    labels = cluster.Birch(n_clusters=4).fit_predict(sp.csr_matrix(blobs))
    np.testing.assert_array_equal(labels, dense.labels_)
    np.testing.assert_allclose(dense.fit_transform(blobs), dense.transform(blobs))
    assert list(dense.get_feature_names_out()[:2]) == ["birch0", "birch1"]


def test_compute_labels_false_and_too_few_subclusters(blobs):
    model = cluster.Birch(compute_labels=False).fit(blobs)
    assert not hasattr(model, "labels_")
    with pytest.warns(ConvergenceWarning, match=r"Number of subclusters found \(1\) by BIRCH is less than \(3\)"):
        few = cluster.Birch(threshold=100.0).fit(blobs)
    np.testing.assert_array_equal(few.subcluster_labels_, [0])


def test_errors(blobs):
    with pytest.raises(InvalidParameterError, match="'threshold' parameter of Birch must be a float"):
        cluster.Birch(threshold=0).fit(blobs)
    with pytest.raises(InvalidParameterError, match="'branching_factor' parameter of Birch"):
        cluster.Birch(branching_factor=1).fit(blobs)
    with pytest.raises(InvalidParameterError, match="'n_clusters' parameter of Birch"):
        cluster.Birch(n_clusters=0).fit(blobs)
    with pytest.raises(NotFittedError):
        cluster.Birch().predict(blobs)
    model = cluster.Birch().fit(blobs)
    with pytest.raises(ValueError, match="X has 2 features, but Birch is expecting 3 features"):
        model.partial_fit(blobs[:, :2])


with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Estimator .* does not inherit from")
    _CHECKS = parametrize_with_checks([cluster.Birch()])


@_CHECKS
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)
