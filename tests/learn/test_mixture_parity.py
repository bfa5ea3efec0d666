"""Parity of ndflow.learn.mixture with scikit-learn: same initialisation draws, so same EM path and results."""
import warnings

import numpy as np
import pytest
from scipy import stats

sklearn = pytest.importorskip("sklearn")
from sklearn import mixture as sk_mixture  # noqa: E402
from sklearn.datasets import load_iris, make_blobs  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from ndflow.learn import mixture  # noqa: E402

pytestmark = pytest.mark.parity

PARAMS = ("weights_", "means_", "covariances_", "precisions_", "precisions_cholesky_")


@pytest.fixture(scope="module")
def ellipsoidal():
    """The spec's data set: two sheared blobs and a round one."""
    X1, _ = make_blobs(n_samples=1000, centers=((4, -4), (0, 0)), random_state=42)
    X1 = X1.dot(np.array([[0.374, 0.95], [0.732, 0.598]]))
    X2, _ = make_blobs(n_samples=250, centers=1, random_state=42)
    return np.r_[X1, X2 + [6, -8]]


def fit_both(ours_cls, theirs_cls, X, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ours_cls(**params).fit(X), theirs_cls(**params).fit(X)


def assert_same_model(ours, theirs, X):
    for name in PARAMS:
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-6, atol=1e-9, err_msg=name)
    assert ours.n_iter_ == theirs.n_iter_ and ours.converged_ == theirs.converged_
    assert ours.lower_bound_ == pytest.approx(float(np.squeeze(theirs.lower_bound_)), rel=1e-8)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(ours.score_samples(X), theirs.score_samples(X), rtol=1e-8)


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
@pytest.mark.parametrize("init_params", ["kmeans", "k-means++", "random", "random_from_data"])
def test_gaussian_mixture_matches_sklearn(ellipsoidal, covariance_type, init_params):
    ours, theirs = fit_both(mixture.GaussianMixture, sk_mixture.GaussianMixture, ellipsoidal, n_components=3,
                            covariance_type=covariance_type, init_params=init_params, n_init=2, random_state=0)
    assert_same_model(ours, theirs, ellipsoidal)
    assert ours.bic(ellipsoidal) == pytest.approx(theirs.bic(ellipsoidal), rel=1e-9)
    assert ours.aic(ellipsoidal) == pytest.approx(theirs.aic(ellipsoidal), rel=1e-9)


def test_spec_gmm_numbers(ellipsoidal):
    """BIC/AIC that the spec reports for scikit-learn 1.9.1 (n_init=10)."""
    ours = mixture.GaussianMixture(n_components=3, n_init=10, random_state=42).fit(ellipsoidal)
    assert ours.bic(ellipsoidal) == pytest.approx(8189.73, abs=0.01)
    assert ours.aic(ellipsoidal) == pytest.approx(8102.51, abs=0.01)
    np.testing.assert_allclose(np.sort(ours.weights_), [0.2, 0.4, 0.4], atol=0.02)


def test_sample_matches_sklearn(ellipsoidal):
    ours, theirs = fit_both(mixture.GaussianMixture, sk_mixture.GaussianMixture, ellipsoidal, n_components=3,
                            random_state=42)
    (X_ours, y_ours), (X_theirs, y_theirs) = ours.sample(6), theirs.sample(6)
    np.testing.assert_allclose(X_ours, X_theirs, rtol=1e-10)
    np.testing.assert_array_equal(y_ours, y_theirs)


def test_spec_iris_clusters_map_to_classes():
    iris = load_iris()
    X, y = iris.data, iris.target
    y_pred = mixture.GaussianMixture(n_components=3, random_state=42).fit(X).predict(X)
    np.testing.assert_array_equal(y_pred, sk_mixture.GaussianMixture(n_components=3, random_state=42)
                                  .fit(X).predict(X))
    mapping = {stats.mode(y_pred[y == c]).mode: c for c in range(3)}
    assert np.sum(np.array([mapping[c] for c in y_pred]) == y) == 145


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
@pytest.mark.parametrize("prior_type", ["dirichlet_process", "dirichlet_distribution"])
def test_bayesian_mixture_matches_sklearn(ellipsoidal, covariance_type, prior_type):
    params = dict(n_components=5, covariance_type=covariance_type, weight_concentration_prior_type=prior_type,
                  random_state=1, max_iter=100)
    X = ellipsoidal[::6]  # scikit-learn's variational fit is slow
    ours, theirs = fit_both(mixture.BayesianGaussianMixture, sk_mixture.BayesianGaussianMixture, X, **params)
    assert_same_model(ours, theirs, X)
    for name in ("mean_precision_", "degrees_of_freedom_", "mean_prior_", "covariance_prior_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-6)
    np.testing.assert_allclose(np.ravel(ours.weight_concentration_), np.ravel(theirs.weight_concentration_),
                               rtol=1e-6)


def test_bayesian_mixture_with_explicit_priors():
    X = load_iris().data
    params = dict(n_components=4, weight_concentration_prior=0.5, mean_precision_prior=0.8, mean_prior=np.zeros(4),
                  degrees_of_freedom_prior=6.0, covariance_prior=np.eye(4), random_state=0)
    ours, theirs = fit_both(mixture.BayesianGaussianMixture, sk_mixture.BayesianGaussianMixture, X, **params)
    assert_same_model(ours, theirs, X)


with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Estimator .* does not inherit from")
    _CHECKS = parametrize_with_checks([mixture.GaussianMixture(), mixture.BayesianGaussianMixture()])


@_CHECKS
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)
