"""Tests of ndflow.learn.mixture against SciPy densities and hand-derivable results.

Parity with scikit-learn is in test_mixture_parity.py.
"""
import warnings

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from ndflow.learn.exceptions import ConvergenceWarning, NotFittedError
from ndflow.learn.mixture import BayesianGaussianMixture, GaussianMixture

TRUE_WEIGHTS = np.array([0.4, 0.4, 0.2])
TRUE_MEANS = np.array([[0.0, 0.0], [8.0, 0.0], [4.0, 7.0]])
TRUE_COVS = np.array([[[1.0, 0.6], [0.6, 1.0]], [[0.5, 0.0], [0.0, 2.0]], [[1.0, -0.3], [-0.3, 0.4]]])
COV_TYPES = ["full", "tied", "diag", "spherical"]


def ellipsoids(n=1000, seed=0):
    rng = np.random.RandomState(seed)
    counts = (TRUE_WEIGHTS * n).astype(int)
    X = np.vstack([rng.multivariate_normal(m, c, k) for m, c, k in zip(TRUE_MEANS, TRUE_COVS, counts)])
    return X, np.repeat(np.arange(3), counts)


def full_covariances(gm):
    k, d = gm.means_.shape
    if gm.covariance_type == "full":
        return gm.covariances_
    if gm.covariance_type == "tied":
        return np.broadcast_to(gm.covariances_, (k, d, d))
    if gm.covariance_type == "diag":
        return np.array([np.diag(c) for c in gm.covariances_])
    return np.array([c * np.eye(d) for c in gm.covariances_])


def reference_log_density(gm, X):
    """log Σ_k w_k N(x | μ_k, Σ_k) with SciPy's multivariate normal."""
    comps = [np.log(w) + multivariate_normal(m, c).logpdf(X)
             for w, m, c in zip(gm.weights_, gm.means_, full_covariances(gm))]
    return logsumexp(np.column_stack(comps), axis=1)


def n_free_parameters(gm):
    k, d = gm.means_.shape
    cov = {"full": k * d * (d + 1) // 2, "tied": d * (d + 1) // 2, "diag": k * d, "spherical": k}
    return cov[gm.covariance_type] + k * d + k - 1


def test_gaussian_mixture_recovers_weights_and_means():
    X, _ = ellipsoids()
    gm = GaussianMixture(n_components=3, n_init=10, random_state=42).fit(X)
    order = np.argsort(gm.means_[:, 0] + gm.means_[:, 1])
    np.testing.assert_allclose(gm.weights_[order], TRUE_WEIGHTS, atol=0.01)
    np.testing.assert_allclose(gm.means_[order], TRUE_MEANS, atol=0.2)
    np.testing.assert_allclose(gm.covariances_[order], TRUE_COVS, atol=0.25)
    assert gm.converged_ and 1 <= gm.n_iter_ <= 100


@pytest.mark.parametrize("covariance_type", COV_TYPES)
def test_scores_match_scipy_density(covariance_type):
    X, _ = ellipsoids(seed=1)
    gm = GaussianMixture(n_components=3, covariance_type=covariance_type, random_state=0).fit(X)
    expected = reference_log_density(gm, X)
    np.testing.assert_allclose(gm.score_samples(X), expected, rtol=1e-9)
    assert gm.score(X) == pytest.approx(expected.mean())
    proba = gm.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(gm.predict(X), proba.argmax(axis=1))
    n, p = len(X), n_free_parameters(gm)
    assert gm.bic(X) == pytest.approx(np.log(n) * p - 2 * expected.sum())
    assert gm.aic(X) == pytest.approx(2 * p - 2 * expected.sum())


@pytest.mark.parametrize("covariance_type", COV_TYPES)
def test_precisions_invert_covariances(covariance_type):
    X, _ = ellipsoids(seed=2)
    gm = GaussianMixture(n_components=3, covariance_type=covariance_type, random_state=0).fit(X)
    k, d = 3, 2
    shapes = {"full": (k, d, d), "tied": (d, d), "diag": (k, d), "spherical": (k,)}
    assert gm.covariances_.shape == gm.precisions_.shape == shapes[covariance_type]
    if covariance_type in ("full", "tied"):
        np.testing.assert_allclose(gm.precisions_, np.linalg.inv(gm.covariances_), rtol=1e-8)
        chol = gm.precisions_cholesky_
        np.testing.assert_allclose(chol @ np.swapaxes(chol, -1, -2), gm.precisions_, rtol=1e-8)
    else:
        np.testing.assert_allclose(gm.precisions_, 1 / gm.covariances_)
        np.testing.assert_allclose(gm.precisions_cholesky_ ** 2, gm.precisions_)


def test_em_step_from_hard_assignment_is_weighted_moments():
    """With max_iter=0 the parameters are the first M-step's: moments of the k-means partition."""
    X, _ = ellipsoids(seed=3)
    gm = GaussianMixture(n_components=3, max_iter=0, random_state=0, reg_covar=0.0).fit(X)
    from ndflow.learn.cluster import KMeans

    labels = KMeans(3, n_init=1, random_state=np.random.RandomState(0)).fit(X).labels_
    for j in range(3):
        members = X[labels == j]
        np.testing.assert_allclose(gm.means_[j], members.mean(axis=0), atol=1e-10)
        np.testing.assert_allclose(gm.covariances_[j], np.cov(members.T, bias=True), atol=1e-10)
        assert gm.weights_[j] == pytest.approx(len(members) / len(X))
    assert gm.n_iter_ == 0


def test_lower_bound_is_non_decreasing_and_equals_mean_log_likelihood():
    X, _ = ellipsoids(seed=4)
    gm = GaussianMixture(n_components=3, init_params="random", random_state=1, tol=1e-8, max_iter=500).fit(X)
    assert np.all(np.diff(gm.lower_bounds_) >= -1e-10)
    assert gm.lower_bound_ == gm.lower_bounds_[-1]
    assert gm.lower_bound_ == pytest.approx(gm.score(X), abs=1e-6)


def test_sample_draws_by_component_and_sorted_labels():
    X, _ = ellipsoids(seed=5)
    gm = GaussianMixture(n_components=3, random_state=42).fit(X)
    X_new, y_new = gm.sample(6)
    assert X_new.shape == (6, 2)
    np.testing.assert_array_equal(y_new, np.sort(y_new))
    big, labels = gm.sample(20000)
    np.testing.assert_allclose(np.bincount(labels, minlength=3) / 20000, gm.weights_, atol=0.015)
    for j in range(3):
        np.testing.assert_allclose(big[labels == j].mean(axis=0), gm.means_[j], atol=0.1)
    with pytest.raises(ValueError, match="Invalid value for 'n_samples'"):
        gm.sample(0)


def test_density_threshold_anomaly_detection_workflow():
    X, _ = ellipsoids(seed=6)
    X = np.vstack([X, [[20.0, 20.0], [-10.0, 15.0]]])
    gm = GaussianMixture(n_components=3, n_init=3, random_state=42).fit(X)
    densities = gm.score_samples(X)
    threshold = np.percentile(densities, 4)
    anomalies = np.flatnonzero(densities < threshold)
    assert len(anomalies) == pytest.approx(0.04 * len(X), abs=1)
    assert {len(X) - 2, len(X) - 1} <= set(anomalies)


def test_bic_selects_the_true_number_of_components():
    X, _ = ellipsoids(n=600, seed=7)
    bics = [GaussianMixture(n_components=k, n_init=2, random_state=42).fit(X).bic(X) for k in range(1, 6)]
    assert int(np.argmin(bics)) + 1 == 3


def test_warm_start_continues_from_fitted_parameters():
    X, _ = ellipsoids(seed=8)
    gm = GaussianMixture(n_components=3, max_iter=2, warm_start=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        first = gm.fit(X).lower_bound_
        second = gm.fit(X).lower_bound_
    assert second >= first


def test_init_parameters_are_used_and_validated():
    X, _ = ellipsoids(seed=9)
    gm = GaussianMixture(n_components=3, means_init=TRUE_MEANS, weights_init=TRUE_WEIGHTS, max_iter=0).fit(X)
    np.testing.assert_allclose(gm.means_, TRUE_MEANS)
    np.testing.assert_allclose(gm.weights_, TRUE_WEIGHTS)
    precisions = np.linalg.inv(TRUE_COVS)
    gm = GaussianMixture(n_components=3, precisions_init=precisions, means_init=TRUE_MEANS, max_iter=0).fit(X)
    np.testing.assert_allclose(gm.covariances_, TRUE_COVS, rtol=1e-10)
    chol = gm.precisions_cholesky_
    np.testing.assert_allclose(chol @ np.swapaxes(chol, -1, -2), precisions, rtol=1e-10)
    with pytest.raises(ValueError, match="The parameter 'weights' should be normalized"):
        GaussianMixture(n_components=3, weights_init=[0.5, 0.5, 0.5]).fit(X)
    with pytest.raises(ValueError, match=r"The parameter 'means' should have the shape of \(3, 2\)"):
        GaussianMixture(n_components=3, means_init=np.zeros((2, 2))).fit(X)


def test_errors_and_warnings():
    X, _ = ellipsoids(n=50, seed=10)
    with pytest.raises(ValueError, match="Expected n_samples >= n_components"):
        GaussianMixture(n_components=60).fit(X)
    with pytest.raises(ValueError, match="'covariance_type' parameter of GaussianMixture must be a str among"):
        GaussianMixture(covariance_type="round").fit(X)
    with pytest.raises(NotFittedError):
        GaussianMixture().predict(X)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        GaussianMixture(n_components=3, max_iter=1, random_state=0).fit(X)


def test_fit_predict_equals_fit_then_predict():
    X, _ = ellipsoids(seed=11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        labels = GaussianMixture(n_components=3, max_iter=3, random_state=0).fit_predict(X)
        gm = GaussianMixture(n_components=3, max_iter=3, random_state=0).fit(X)
    np.testing.assert_array_equal(labels, gm.predict(X))


@pytest.mark.parametrize("prior_type", ["dirichlet_process", "dirichlet_distribution"])
def test_bayesian_mixture_switches_off_unneeded_components(prior_type):
    X, _ = ellipsoids(seed=12)
    bgm = BayesianGaussianMixture(n_components=8, weight_concentration_prior_type=prior_type,
                                  weight_concentration_prior=0.01, max_iter=500, random_state=42).fit(X)
    big = np.sort(bgm.weights_)[::-1]
    np.testing.assert_allclose(big[:3], [0.4, 0.4, 0.2], atol=0.02)
    assert big[3:].sum() < 0.01
    assert bgm.weights_.sum() == pytest.approx(1.0)
    proba = bgm.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(bgm.predict(X), proba.argmax(axis=1))
    assert bgm.mean_prior_ == pytest.approx(X.mean(axis=0))
    assert bgm.degrees_of_freedom_prior_ == 2


def test_bayesian_mixture_errors():
    X, _ = ellipsoids(n=50, seed=13)
    with pytest.raises(ValueError, match="'degrees_of_freedom_prior' should be greater than 1"):
        BayesianGaussianMixture(degrees_of_freedom_prior=0.5).fit(X)
    with pytest.raises(ValueError, match="'weight_concentration_prior_type' parameter"):
        BayesianGaussianMixture(weight_concentration_prior_type="beta").fit(X)
