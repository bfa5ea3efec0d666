"""The blocked nearest-center search of ndflow.learn.cluster against a plain NumPy arg-min."""
import numpy as np
import pytest

from ndflow.learn.cluster import MiniBatchKMeans
from ndflow.learn.cluster._common import nearest_center, nearest_center_labels


def argmin_reference(X, centers):
    """Labels and squared distances from the full distance matrix (first center on ties)."""
    d = ((X[:, None, :].astype(np.float64) - centers[None, :, :]) ** 2).sum(axis=2)
    return d.argmin(axis=1), d.min(axis=1)


@pytest.mark.parametrize("n_centers", [1, 2, 8, 32, 33, 60])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_labels_match_argmin_on_both_paths(n_centers, dtype):
    rng = np.random.RandomState(n_centers)
    X = rng.randn(9000, 6).astype(dtype)  # more rows than one block
    centers = X[rng.choice(len(X), n_centers, replace=False)]
    labels, sq = nearest_center(X, centers)
    ref_labels, ref_sq = argmin_reference(X, centers)
    assert labels.dtype == np.int32 and sq.dtype == dtype
    np.testing.assert_array_equal(labels, ref_labels)
    np.testing.assert_allclose(sq, ref_sq, rtol=1e-4 if dtype == np.float32 else 1e-9, atol=1e-4)
    np.testing.assert_array_equal(nearest_center_labels(X, centers), labels)


@pytest.mark.parametrize("n_centers", [5, 40])
def test_ties_go_to_the_first_center(n_centers):
    rng = np.random.RandomState(0)
    X = rng.randint(-3, 4, size=(500, 2)).astype(float)
    centers = rng.randint(-3, 4, size=(n_centers, 2)).astype(float)
    centers[3] = centers[1]  # duplicated center: every row nearest to it must get label 1
    labels = nearest_center_labels(X, centers)
    np.testing.assert_array_equal(labels, argmin_reference(X, centers)[0])
    assert not np.any(labels == 3)


def test_integer_centers():
    X = np.array([[0.0, 0.0], [5.0, 5.0], [9.0, 9.0]])
    labels, sq = nearest_center(X, np.array([[1, 1], [8, 8]]))
    np.testing.assert_array_equal(labels, [0, 1, 1])
    np.testing.assert_allclose(sq, [2, 18, 2])


@pytest.mark.parity
def test_minibatch_draws_follow_rng_choice():
    """The reused probability table gives the same batches as ``rng.choice(..., p=...)`` on every step."""
    rng = np.random.RandomState(0)
    X = rng.randn(3000, 3)
    w = rng.rand(3000)
    a = MiniBatchKMeans(4, batch_size=100, max_iter=3, random_state=0, max_no_improvement=None).fit(X, sample_weight=w)
    sklearn_cluster = pytest.importorskip("sklearn.cluster")
    b = sklearn_cluster.MiniBatchKMeans(4, batch_size=100, max_iter=3, random_state=0,
                                        max_no_improvement=None).fit(X, sample_weight=w)
    assert a.n_steps_ == b.n_steps_ == 90
    np.testing.assert_allclose(a.cluster_centers_, b.cluster_centers_, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(a.labels_, b.labels_)
