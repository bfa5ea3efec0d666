"""Tests for ndflow.learn.svm: KKT conditions of the duals and closed forms, then parity with scikit-learn."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from ndflow.learn.exceptions import NotFittedError
from ndflow.learn.svm import SVC, SVR, LinearSVC, LinearSVR
from ndflow.learn.svm._platt import couple_pairwise, fit_sigmoid
from ndflow.learn.svm._smo import solve_smo


@pytest.fixture
def two_moons():
    rng = np.random.RandomState(42)
    t = rng.rand(100) * np.pi
    upper = rng.rand(100) < 0.5
    X = np.column_stack([np.where(upper, np.cos(t), 1 - np.cos(t)), np.where(upper, np.sin(t), 0.5 - np.sin(t))])
    return X + 0.15 * rng.randn(100, 2), upper.astype(int)


@pytest.fixture
def three_blobs():
    rng = np.random.RandomState(7)
    y = np.repeat([0, 1, 2], 30)
    X = np.array([[0.0, 0.0], [2.5, 0.0], [0.0, 2.5]])[y] + rng.randn(90, 2)
    return X, y


def _rbf(A, B, gamma):
    return np.exp(-gamma * ((A[:, None, :] - B[None, :, :]) ** 2).sum(-1))


def test_svc_satisfies_dual_kkt_conditions(two_moons):
    X, y = two_moons
    C, gamma = 2.0, 1.5
    model = SVC(C=C, gamma=gamma, tol=1e-6).fit(X, y)
    y_pm = np.where(y == 1, 1.0, -1.0)
    alpha_y = np.zeros(len(y))
    alpha_y[model.support_] = model.dual_coef_[0]  # positive decision means classes_[1]
    alpha = alpha_y * y_pm
    assert np.all(alpha >= -1e-12) and np.all(alpha <= C + 1e-12)
    assert abs(alpha_y.sum()) < 1e-8  # equality constraint Σ α_i y_i = 0
    f = _rbf(X, X, gamma) @ alpha_y + model.intercept_[0]
    np.testing.assert_allclose(model.decision_function(X), f, rtol=1e-10, atol=1e-10)
    margin = y_pm * f
    free = (alpha > 1e-8) & (alpha < C - 1e-8)
    assert free.any()
    np.testing.assert_allclose(margin[free], 1.0, atol=1e-5)
    assert np.all(margin[alpha <= 1e-8] >= 1 - 1e-5)
    assert np.all(margin[alpha >= C - 1e-8] <= 1 + 1e-5)


def test_smo_solves_a_tiny_qp_exactly():
    # Two points x=±1 with a linear kernel: the hard-margin solution is w=1, b=0, α=(1/2, 1/2).
    K = np.array([[1.0, -1.0], [-1.0, 1.0]])
    y = np.array([1.0, -1.0])
    alpha, rho, _, status = solve_smo(lambda i: K[i], np.diag(K), y, -np.ones(2), np.full(2, 10.0), tol=1e-12)
    np.testing.assert_allclose(alpha, [0.5, 0.5])
    assert abs(rho) < 1e-12 and status == 0


def test_svc_hard_margin_linear_separable():
    X = np.array([[1.0, 1.0], [2.0, 2.5], [1.5, 0.5], [4.0, 4.0], [5.0, 3.5], [4.5, 5.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    model = SVC(kernel="linear", C=float("inf")).fit(X, y)
    margins = (2 * y - 1) * model.decision_function(X)
    assert margins.min() >= 1 - 1e-6
    np.testing.assert_allclose(margins[model.support_], 1.0, atol=1e-6)
    np.testing.assert_allclose(model.coef_ @ X.T + model.intercept_, model.decision_function(X)[None])


def test_svc_multiclass_layout_and_votes(three_blobs):
    X, y = three_blobs
    model = SVC(kernel="linear", C=1.0, decision_function_shape="ovo").fit(X, y)
    assert model.dual_coef_.shape == (2, model.support_.size)
    assert model.n_support_.sum() == model.support_.size
    assert model.intercept_.shape == (3,)
    # support vectors are grouped by class
    labels = y[model.support_]
    np.testing.assert_array_equal(labels, np.sort(labels))
    dec = model.decision_function(X)
    assert dec.shape == (90, 3)
    votes = np.zeros((90, 3))
    for k, (a, b) in enumerate([(0, 1), (0, 2), (1, 2)]):
        votes[:, a] += dec[:, k] > 0
        votes[:, b] += dec[:, k] <= 0
    np.testing.assert_array_equal(model.predict(X), np.argmax(votes, axis=1))
    ovr = model.set_params(decision_function_shape="ovr").decision_function(X)
    np.testing.assert_array_equal(np.round(ovr), votes)  # confidences stay within ±1/3 of the votes
    assert (model.predict(X) == y).mean() > 0.8


def test_svc_kernels_gamma_and_errors(two_moons):
    X, y = two_moons
    assert SVC().fit(X, y)._gamma == pytest.approx(1 / (2 * X.var()))
    assert SVC(gamma="auto").fit(X, y)._gamma == 0.5
    for kernel in ("linear", "poly", "sigmoid"):
        assert (SVC(kernel=kernel, gamma=0.5, coef0=1.0).fit(X, y).predict(X) == y).mean() > 0.6
    K = _rbf(X, X, 0.7)
    pre = SVC(kernel="precomputed", tol=1e-9).fit(K, y)
    ref = SVC(gamma=0.7, tol=1e-9).fit(X, y)
    np.testing.assert_allclose(pre.decision_function(K), ref.decision_function(X), atol=1e-6)
    fn = SVC(kernel=lambda A, B: _rbf(A, B, 0.7), tol=1e-9).fit(X, y)
    np.testing.assert_allclose(fn.decision_function(X), ref.decision_function(X), atol=1e-6)
    with pytest.raises(AttributeError, match="only available when using a linear kernel"):
        _ = ref.coef_
    with pytest.raises(ValueError, match="The number of classes has to be greater than one"):
        SVC().fit(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="Precomputed matrix must be a square matrix"):
        SVC(kernel="precomputed").fit(X, y)
    with pytest.raises(NotFittedError):
        SVC().predict(X)
    assert not hasattr(SVC(), "predict_proba")


def test_svc_class_weight_scales_c(two_moons):
    X, y = two_moons
    weighted = SVC(C=1.0, class_weight={1: 5.0}).fit(X, y)
    alpha = np.abs(weighted.dual_coef_[0])
    assert np.all(alpha[y[weighted.support_] == 1] <= 5.0 + 1e-9)
    assert np.all(alpha[y[weighted.support_] == 0] <= 1.0 + 1e-9)
    assert np.isclose(alpha[y[weighted.support_] == 1].max(), 5.0)


def test_svr_satisfies_epsilon_tube_conditions():
    rng = np.random.RandomState(0)
    X = np.sort(rng.rand(60, 1) * 4, axis=0)
    y = np.sin(X).ravel() + 0.1 * rng.randn(60)
    C, eps = 3.0, 0.1
    model = SVR(C=C, epsilon=eps, gamma=1.0, tol=1e-6).fit(X, y)
    beta = np.zeros(60)
    beta[model.support_] = model.dual_coef_[0]
    assert abs(beta.sum()) < 1e-8 and np.all(np.abs(beta) <= C + 1e-12)
    residual = y - model.predict(X)
    inside = np.abs(beta) < 1e-8
    assert np.all(np.abs(residual[inside]) <= eps + 1e-5)
    free = (np.abs(beta) > 1e-8) & (np.abs(beta) < C - 1e-8)
    np.testing.assert_allclose(np.abs(residual[free]), eps, atol=1e-5)
    np.testing.assert_allclose(np.sign(residual[free]), np.sign(beta[free]))


def test_platt_sigmoid_and_coupling():
    dec = np.linspace(-3, 3, 200)
    labels = np.where(np.random.RandomState(0).rand(200) < 1 / (1 + np.exp(-2 * dec)), 1, -1)
    A, B = fit_sigmoid(dec, labels)
    assert A < 0 and abs(B) < 0.5
    # two classes: the coupled probabilities are the pairwise ones
    p = couple_pairwise(np.array([[0.0], [2.0]]), np.array([-2.0]), np.array([0.0]), 2)
    np.testing.assert_allclose(p[:, 0], 1 / (1 + np.exp(-2 * np.array([0.0, 2.0]))))
    # three classes with consistent pairwise probabilities recover the class distribution
    true = np.array([0.5, 0.3, 0.2])
    pair = [true[a] / (true[a] + true[b]) for a, b in [(0, 1), (0, 2), (1, 2)]]
    dec3 = -np.log(1 / np.array(pair) - 1)[None, :]  # sigmoid(-dec*A) with A=-1, B=0
    np.testing.assert_allclose(couple_pairwise(dec3, -np.ones(3), np.zeros(3), 3)[0], true, atol=1e-10)


def test_svc_probability(three_blobs):
    X, y = three_blobs
    with pytest.warns(FutureWarning, match="probability"):
        model = SVC(probability=True, random_state=0).fit(X, y)
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(1), 1)
    assert (proba.argmax(1) == y).mean() > 0.8
    np.testing.assert_allclose(model.predict_log_proba(X), np.log(proba))


def test_linear_svc_kkt_of_squared_hinge(two_moons):
    X, y = two_moons
    C = 0.5
    model = LinearSVC(C=C, tol=1e-8).fit(X, y)
    y_pm = np.where(y == 1, 1.0, -1.0)
    w = np.r_[model.coef_[0], model.intercept_[0]]
    Xa = np.column_stack([X, np.ones(len(X))])
    slack = np.maximum(0, 1 - y_pm * (Xa @ w))
    np.testing.assert_allclose(w - 2 * C * Xa.T @ (slack * y_pm), 0, atol=1e-5)  # gradient of the primal
    dual = LinearSVC(C=C, dual=True, tol=1e-8).fit(X, y)
    np.testing.assert_allclose(dual.coef_, model.coef_, atol=1e-4)


def test_linear_svc_hinge_dual_and_errors(three_blobs):
    X, y = three_blobs
    model = LinearSVC(loss="hinge", C=1.0).fit(X, y)
    assert model.coef_.shape == (3, 2) and (model.predict(X) == y).mean() > 0.8
    with pytest.raises(ValueError, match="Unsupported set of arguments"):
        LinearSVC(loss="hinge", dual=False).fit(X, y)
    with pytest.raises(ValueError, match="penalty='l1' and loss='hinge' is not supported"):
        LinearSVC(penalty="l1", loss="hinge").fit(X, y)
    with pytest.raises(NotImplementedError):
        LinearSVC(multi_class="crammer_singer").fit(X, y)


def test_linear_svr_tube():
    rng = np.random.RandomState(42)
    X = 2 * rng.rand(50, 1)
    y = (4 + 3 * X + 0.2 * rng.randn(50, 1)).ravel()
    model = LinearSVR(epsilon=0.5, C=10.0).fit(X, y)
    assert np.mean(np.abs(y - model.predict(X)) <= 0.5 + 1e-6) > 0.9
    np.testing.assert_allclose(model.coef_, [3.0], atol=0.3)
    with pytest.raises(ValueError, match="Unsupported set of arguments"):
        LinearSVR(dual=False).fit(X, y)


# ---------------------------------------------------------------- parity with scikit-learn

@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"kernel": "linear"}, {"kernel": "poly", "degree": 3, "coef0": 1, "C": 5},
                                    {"gamma": "auto", "C": 10}, {"class_weight": "balanced"},
                                    {"kernel": "sigmoid", "gamma": 0.01}])
def test_parity_svc_iris(kwargs):
    datasets = pytest.importorskip("sklearn.datasets")
    sksvm = pytest.importorskip("sklearn.svm")
    X, y = datasets.load_iris(return_X_y=True)
    ours, theirs = SVC(**kwargs).fit(X, y), sksvm.SVC(**kwargs).fit(X, y)
    np.testing.assert_array_equal(ours.support_, theirs.support_)
    np.testing.assert_array_equal(ours.n_support_, theirs.n_support_)
    # both stop at KKT violation < tol = 1e-3: coefficients agree to a few percent, decisions much closer
    np.testing.assert_allclose(ours.dual_coef_, theirs.dual_coef_, atol=5e-2)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=5e-3)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), atol=5e-3)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


@pytest.mark.parity
def test_parity_spec_moons_svc_grid():
    datasets = pytest.importorskip("sklearn.datasets")
    sksvm = pytest.importorskip("sklearn.svm")
    X, y = datasets.make_moons(n_samples=100, noise=0.15, random_state=42)
    X = (X - X.mean(0)) / X.std(0)
    grid = np.random.RandomState(0).uniform(-2, 2, (300, 2))
    for kw in [dict(kernel="poly", degree=3, coef0=1, C=5), dict(kernel="rbf", gamma=0.1, C=0.001),
               dict(kernel="rbf", gamma=0.1, C=1000), dict(kernel="rbf", gamma=5, C=0.001),
               dict(kernel="rbf", gamma=5, C=1000)]:
        ours, theirs = SVC(**kw).fit(X, y), sksvm.SVC(**kw).fit(X, y)
        np.testing.assert_array_equal(ours.predict(grid), theirs.predict(grid))
        np.testing.assert_array_equal(ours.support_, theirs.support_)



@pytest.mark.parity
def test_parity_svc_hard_margin_iris_and_probability():
    datasets = pytest.importorskip("sklearn.datasets")
    sksvm = pytest.importorskip("sklearn.svm")
    iris = datasets.load_iris()
    X, y = iris.data[:, (2, 3)], iris.target
    setosa_or_versicolor = (y == 0) | (y == 1)
    ours = SVC(kernel="linear", C=float("inf")).fit(X[setosa_or_versicolor], y[setosa_or_versicolor])
    theirs = sksvm.SVC(kernel="linear", C=float("inf")).fit(X[setosa_or_versicolor], y[setosa_or_versicolor])
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-5)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        ours = SVC(probability=True, random_state=0).fit(iris.data, y)
        theirs = sksvm.SVC(probability=True, random_state=0).fit(iris.data, y)
    # the internal cross-validation folds differ (different random streams): close, not equal
    np.testing.assert_allclose(ours.predict_proba(iris.data), theirs.predict_proba(iris.data), atol=0.05)


@pytest.mark.parity
def test_parity_svr_spec_quadratic():
    sksvm = pytest.importorskip("sklearn.svm")
    rng = np.random.RandomState(42)
    X = 2 * rng.rand(100, 1) - 1
    y = (0.2 + 0.1 * X + 0.5 * X ** 2 + rng.randn(100, 1) / 10).ravel()
    for kw in [dict(kernel="poly", degree=2, C=100, epsilon=0.1, gamma="scale"),
               dict(kernel="poly", degree=2, C=0.01, epsilon=0.1, gamma="scale"), dict()]:
        ours, theirs = SVR(**kw).fit(X, y), sksvm.SVR(**kw).fit(X, y)
        np.testing.assert_array_equal(ours.support_, theirs.support_)
        np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=2e-3)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{"C": 1, "loss": "hinge"}, {"C": 100, "loss": "hinge"}, {},
                                    {"dual": True}, {"penalty": "l1", "dual": False},
                                    {"C": 10, "class_weight": "balanced"}])
def test_parity_linear_svc_spec_iris(kwargs):
    datasets = pytest.importorskip("sklearn.datasets")
    sksvm = pytest.importorskip("sklearn.svm")
    iris = datasets.load_iris()
    X = iris["data"][:, (2, 3)]
    X = (X - X.mean(0)) / X.std(0)
    y = (iris["target"] == 2).astype(np.float64)
    ours = LinearSVC(random_state=42, **kwargs).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # liblinear does not converge at C=100 (as the notes say)
        theirs = sksvm.LinearSVC(random_state=42, **kwargs).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=5e-3, atol=5e-3)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=5e-3, atol=5e-3)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


@pytest.mark.parity
def test_parity_linear_svr_spec():
    sksvm = pytest.importorskip("sklearn.svm")
    rng = np.random.RandomState(42)
    X = 2 * rng.rand(50, 1)
    y = (4 + 3 * X + rng.randn(50, 1)).ravel()
    for kw in [dict(epsilon=1.5), dict(epsilon=0.5), dict(loss="squared_epsilon_insensitive")]:
        ours, theirs = LinearSVR(random_state=42, **kw).fit(X, y), sksvm.LinearSVR(random_state=42, **kw).fit(X, y)
        np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-3)
        np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-3)
