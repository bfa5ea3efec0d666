"""Tests for ndflow.learn.linear_model: closed forms and optimality conditions, then parity with scikit-learn."""
from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest

from ndflow.learn.base import clone
from ndflow.learn.exceptions import ConvergenceWarning, NotFittedError
from ndflow.learn.linear_model import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    LinearRegression,
    LogisticRegression,
    Perceptron,
    Ridge,
    RidgeClassifier,
    RidgeCV,
    SGDClassifier,
    SGDRegressor,
)
from ndflow.learn.linear_model._sgd_loop import epoch_permutation


@pytest.fixture
def regression():
    rng = np.random.RandomState(0)
    X = rng.randn(80, 6)
    w = np.array([2.0, 0.0, -1.5, 0.0, 0.7, 0.0])
    y = X @ w + 3.0 + 0.3 * rng.randn(80)
    return X, y


@pytest.fixture
def blobs():
    rng = np.random.RandomState(1)
    centers = np.array([[0.0, 0.0], [3.0, 3.0], [0.0, 4.0]])
    y = np.repeat([0, 1, 2], 40)
    X = centers[y] + rng.randn(120, 2)
    return X, y


def _design(X):
    return np.column_stack([np.ones(len(X)), X])


# ---------------------------------------------------------------- least squares and ridge (closed forms)

def test_linear_regression_matches_normal_equations(regression):
    X, y = regression
    theta = np.linalg.solve(_design(X).T @ _design(X), _design(X).T @ y)
    model = LinearRegression().fit(X, y)
    np.testing.assert_allclose(model.intercept_, theta[0], rtol=1e-10)
    np.testing.assert_allclose(model.coef_, theta[1:], rtol=1e-10)
    np.testing.assert_allclose(model.predict(X[:3]), _design(X[:3]) @ theta, rtol=1e-10)


def test_linear_regression_sample_weight_is_weighted_least_squares(regression):
    X, y = regression
    sw = np.random.RandomState(3).rand(len(y))
    A = _design(X)
    theta = np.linalg.solve(A.T @ (sw[:, None] * A), A.T @ (sw * y))
    model = LinearRegression().fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(np.r_[model.intercept_, model.coef_], theta, rtol=1e-9)


def test_linear_regression_multioutput_and_positive(regression):
    X, y = regression
    Y = np.column_stack([y, -y])
    model = LinearRegression().fit(X, Y)
    assert model.coef_.shape == (2, 6) and model.intercept_.shape == (2,)
    np.testing.assert_allclose(model.coef_[0], -model.coef_[1], atol=1e-10)
    positive = LinearRegression(positive=True).fit(X, y)
    assert np.all(positive.coef_ >= 0)
    assert positive.coef_[2] == 0.0  # the truly negative coefficient is clipped


@pytest.mark.parametrize("solver", ["auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga"])
def test_ridge_solvers_match_closed_form(regression, solver):
    X, y = regression
    alpha = 2.5
    Xc, yc = X - X.mean(0), y - y.mean()
    w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(6), Xc.T @ yc)
    model = Ridge(alpha=alpha, solver=solver, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(model.coef_, w, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(model.intercept_, y.mean() - X.mean(0) @ w, rtol=1e-6)


def test_ridge_per_target_alpha_and_wide_data():
    rng = np.random.RandomState(2)
    X, Y = rng.randn(10, 25), rng.randn(10, 2)
    model = Ridge(alpha=[0.5, 5.0], fit_intercept=False).fit(X, Y)
    for k, a in enumerate([0.5, 5.0]):
        np.testing.assert_allclose(model.coef_[k], np.linalg.solve(X.T @ X + a * np.eye(25), X.T @ Y[:, k]),
                                   rtol=1e-8)
    with pytest.raises(ValueError, match="Number of targets and number of penalties"):
        Ridge(alpha=[1.0, 2.0, 3.0]).fit(X, Y)


def test_ridge_positive_uses_lbfgs(regression):
    X, y = regression
    model = Ridge(positive=True).fit(X, y)
    assert model.solver_ == "lbfgs" and np.all(model.coef_ >= 0)
    with pytest.raises(ValueError, match="does not support positive fitting"):
        Ridge(positive=True, solver="svd").fit(X, y)
    with pytest.raises(ValueError, match="'lbfgs' solver can be used only when positive=True"):
        Ridge(solver="lbfgs").fit(X, y)


def test_ridge_cv_loo_matches_brute_force(regression):
    X, y = regression
    alphas = [0.01, 1.0, 30.0]
    model = RidgeCV(alphas=alphas, store_cv_results=True).fit(X, y)
    brute = np.empty((len(y), len(alphas)))
    for i in range(len(y)):
        keep = np.arange(len(y)) != i
        for a, alpha in enumerate(alphas):
            pred = Ridge(alpha=alpha).fit(X[keep], y[keep]).predict(X[i:i + 1])[0]
            brute[i, a] = (y[i] - pred) ** 2
    np.testing.assert_allclose(model.cv_results_, brute, rtol=1e-8)
    best = int(np.argmin(brute.mean(0)))
    assert model.alpha_ == alphas[best]
    np.testing.assert_allclose(model.best_score_, -brute.mean(0)[best])
    np.testing.assert_allclose(model.coef_, Ridge(alpha=alphas[best]).fit(X, y).coef_)


def test_ridge_classifier_encodes_plus_minus_one(blobs):
    X, y = blobs
    model = RidgeClassifier(alpha=1.0).fit(X, y)
    Y = np.where(y[:, None] == np.arange(3), 1.0, -1.0)
    ridge = Ridge(alpha=1.0).fit(X, Y)
    np.testing.assert_allclose(model.coef_, ridge.coef_)
    np.testing.assert_array_equal(model.predict(X), np.argmax(ridge.predict(X), axis=1))


# ---------------------------------------------------------------- lasso / elastic net (KKT conditions)

def _enet_kkt_violation(model, X, y, alpha, l1_ratio):
    """Largest violation of the elastic-net optimality conditions (subgradient of the objective)."""
    Xc, yc = X - X.mean(0), y - y.mean()
    n = len(y)
    grad = -Xc.T @ (yc - Xc @ model.coef_) / n + alpha * (1 - l1_ratio) * model.coef_
    l1 = alpha * l1_ratio
    active = model.coef_ != 0
    violation_active = np.abs(grad[active] + l1 * np.sign(model.coef_[active]))
    violation_zero = np.maximum(np.abs(grad[~active]) - l1, 0)
    return max(violation_active.max(initial=0), violation_zero.max(initial=0))


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.2])
def test_enet_satisfies_kkt(regression, l1_ratio):
    X, y = regression
    model = ElasticNet(alpha=0.1, l1_ratio=l1_ratio, tol=1e-10, max_iter=10_000).fit(X, y)
    assert _enet_kkt_violation(model, X, y, 0.1, l1_ratio) < 1e-6
    np.testing.assert_allclose(model.intercept_, y.mean() - X.mean(0) @ model.coef_)


def test_lasso_zeroes_irrelevant_features_and_large_alpha_gives_mean(regression):
    X, y = regression
    model = Lasso(alpha=0.2).fit(X, y)
    assert np.all(model.coef_[[1, 3, 5]] == 0) and np.all(model.coef_[[0, 2]] != 0)
    flat = Lasso(alpha=1e3).fit(X, y)
    assert np.all(flat.coef_ == 0)
    np.testing.assert_allclose(flat.predict(X), y.mean())


def test_lasso_positive_warm_start_and_convergence_warning(regression):
    X, y = regression
    assert np.all(Lasso(alpha=0.01, positive=True).fit(X, y).coef_ >= 0)
    with pytest.warns(ConvergenceWarning, match="Objective did not converge"):
        Lasso(alpha=1e-4, max_iter=1, tol=1e-12).fit(X, y)
    model = Lasso(alpha=0.05, warm_start=True).fit(X, y)
    model.fit(X, y)
    assert model.n_iter_ <= 2  # starts at the optimum


def test_lasso_cv_chooses_alpha_on_the_grid(regression):
    X, y = regression
    model = LassoCV(cv=3, alphas=20).fit(X, y)
    assert model.mse_path_.shape == (20, 3)
    assert model.alpha_ == model.alphas_[np.argmin(model.mse_path_.mean(1))]
    refit = Lasso(alpha=model.alpha_).fit(X, y)
    np.testing.assert_allclose(model.coef_, refit.coef_)
    enet = ElasticNetCV(l1_ratio=[0.2, 0.9], cv=3, alphas=10).fit(X, y)
    assert enet.mse_path_.shape == (2, 10, 3) and enet.l1_ratio_ in (0.2, 0.9)


# ---------------------------------------------------------------- logistic regression (optimality)

def test_logistic_gradient_vanishes_at_the_solution(blobs):
    X, y = blobs
    C = 0.7
    model = LogisticRegression(C=C, tol=1e-10, max_iter=1000).fit(X, y)
    P = model.predict_proba(X)
    Y = np.eye(3)[y]
    grad_W = (P - Y).T @ X + model.coef_ / C
    np.testing.assert_allclose(grad_W, 0, atol=1e-5)
    np.testing.assert_allclose((P - Y).sum(0), 0, atol=1e-5)
    np.testing.assert_allclose(P.sum(1), 1)
    np.testing.assert_allclose(model.predict_log_proba(X), np.log(P), rtol=1e-10)


def test_logistic_binary_shapes_and_decision(blobs):
    X, y = blobs
    yb = (y == 1).astype(int)
    model = LogisticRegression().fit(X, yb)
    assert model.coef_.shape == (1, 2) and model.intercept_.shape == (1,)
    scores = model.decision_function(X)
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], 1 / (1 + np.exp(-scores)))
    np.testing.assert_array_equal(model.predict(X), (scores > 0).astype(int))


@pytest.mark.parametrize("solver", ["newton-cg", "sag", "saga", "newton-cholesky"])
def test_logistic_solvers_agree(blobs, solver):
    X, y = blobs
    ref = LogisticRegression(tol=1e-8, max_iter=1000).fit(X, y)
    model = LogisticRegression(solver=solver, tol=1e-8, max_iter=1000).fit(X, y)
    np.testing.assert_allclose(model.coef_, ref.coef_, atol=1e-4)


def test_logistic_l1_gives_sparse_kkt_solution(blobs):
    X, y = blobs
    rng = np.random.RandomState(0)
    Xn = np.column_stack([X, rng.randn(len(X), 3)])  # three pure-noise features
    model = LogisticRegression(solver="saga", l1_ratio=1.0, C=0.05, tol=1e-10, max_iter=2000).fit(Xn, y)
    grad = (model.predict_proba(Xn) - np.eye(3)[y]).T @ Xn
    zero = model.coef_ == 0
    assert zero.sum() >= 3
    assert np.all(np.abs(grad[zero]) <= 1 / 0.05 + 1e-4)
    np.testing.assert_allclose(grad[~zero], -np.sign(model.coef_[~zero]) / 0.05, atol=1e-3)


def test_logistic_errors(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="liblinear' solver does not support multiclass"):
        LogisticRegression(solver="liblinear").fit(X, y)
    with pytest.raises(ValueError, match="supports only 'l2' or None penalties"):
        LogisticRegression(l1_ratio=1.0).fit(X, y)
    with pytest.raises(ValueError, match="at least 2 classes"):
        LogisticRegression().fit(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="Unknown label type"):
        LogisticRegression().fit(X, np.linspace(0, 1, len(X)))
    with pytest.warns(ConvergenceWarning, match="failed to converge"):
        LogisticRegression(max_iter=1).fit(X, y)
    with pytest.raises(NotFittedError):
        LogisticRegression().predict(X)


# ---------------------------------------------------------------- SGD

def test_epoch_permutation_is_a_permutation():
    perm = epoch_permutation(50, 12345)
    np.testing.assert_array_equal(np.sort(perm), np.arange(50))
    assert not np.array_equal(perm, np.arange(50))


def test_sgd_regressor_learns_a_line():
    rng = np.random.RandomState(42)
    X = 2 * rng.rand(100, 1)
    y = 4 + 3 * X.ravel() + 0.1 * rng.randn(100)
    model = SGDRegressor(max_iter=1000, tol=1e-3, penalty=None, eta0=0.1, random_state=42).fit(X, y)
    np.testing.assert_allclose([model.intercept_[0], model.coef_[0]], [4, 3], atol=0.15)


def test_sgd_classifier_api(blobs):
    X, y = blobs
    model = SGDClassifier(loss="log_loss", random_state=0).fit(X, y)
    assert model.coef_.shape == (3, 2) and model.n_iter_ >= 1
    assert (model.predict(X) == y).mean() > 0.9
    np.testing.assert_allclose(model.predict_proba(X).sum(1), 1)
    with pytest.raises(AttributeError, match="probability estimates are not available"):
        SGDClassifier(loss="hinge").fit(X, y).predict_proba(X)
    assert not hasattr(SGDClassifier(loss="hinge"), "predict_proba")
    with pytest.raises(ValueError, match="classes must be passed on the first call to partial_fit"):
        SGDClassifier().partial_fit(X, y)
    with pytest.raises(ValueError, match="eta0 must be > 0"):
        SGDClassifier(learning_rate="constant", eta0=0).fit(X, y)


def test_sgd_warm_start_continues(blobs):
    X, y = blobs
    cold = SGDRegressor(max_iter=3, tol=None, learning_rate="constant", eta0=0.01, random_state=0)
    warm = clone(cold).set_params(warm_start=True, max_iter=1)
    cold.fit(X, y.astype(float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(3):
            warm.fit(X, y.astype(float))
    # the same learning-rate schedule restarts, but weights carry over: not equal to one epoch from zero
    one = clone(warm).set_params(warm_start=False).fit(X, y.astype(float))
    assert not np.allclose(warm.coef_, one.coef_)


def test_perceptron_separates_separable_data():
    X = np.array([[0.0, 0.0], [1.0, 0.2], [0.2, 1.0], [3.0, 3.0], [4.0, 3.5], [3.2, 4.2]])
    y = np.array([0, 0, 0, 1, 1, 1])
    model = Perceptron().fit(X, y)
    np.testing.assert_array_equal(model.predict(X), y)
    assert model.get_params()["eta0"] == 1.0 and "loss" not in model.get_params()
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.coef_, model.coef_)


# ---------------------------------------------------------------- parity with scikit-learn

@pytest.mark.parity
def test_parity_linear_regression_and_ridge(regression):
    sklm = pytest.importorskip("sklearn.linear_model")
    X, y = regression
    sw = np.random.RandomState(5).rand(len(y))
    for ours, theirs in [(LinearRegression(), sklm.LinearRegression()),
                         (Ridge(alpha=3.0, solver="cholesky"), sklm.Ridge(alpha=3.0, solver="cholesky")),
                         (Ridge(alpha=3.0, solver="svd"), sklm.Ridge(alpha=3.0, solver="svd"))]:
        ours.fit(X, y, sample_weight=sw)
        theirs.fit(X, y, sample_weight=sw)
        np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-9)
    ours, theirs = RidgeCV(alphas=[0.1, 1, 10]).fit(X, y), sklm.RidgeCV(alphas=[0.1, 1, 10]).fit(X, y)
    assert ours.alpha_ == theirs.alpha_
    np.testing.assert_allclose(ours.best_score_, theirs.best_score_, rtol=1e-9)


@pytest.mark.parity
def test_parity_spec_ridge_lasso_elasticnet_predictions():
    sklm = pytest.importorskip("sklearn.linear_model")
    rng = np.random.RandomState(42)
    X = 3 * rng.rand(20, 1)
    y = 1 + 0.5 * X + rng.randn(20, 1) / 1.5
    pairs = [(Ridge(alpha=1, solver="cholesky", random_state=42), sklm.Ridge(alpha=1, solver="cholesky")),
             (Lasso(alpha=0.1), sklm.Lasso(alpha=0.1)),
             (ElasticNet(alpha=0.1, l1_ratio=0.5, random_state=42), sklm.ElasticNet(alpha=0.1, l1_ratio=0.5))]
    for ours, theirs in pairs:
        target = y if isinstance(ours, Ridge) else y.ravel()
        np.testing.assert_allclose(ours.fit(X, target).predict([[1.5]]), theirs.fit(X, target).predict([[1.5]]),
                                   rtol=1e-7)
    sag = Ridge(alpha=1, solver="sag", random_state=42).fit(X, y).predict([[1.5]])
    np.testing.assert_allclose(sag, sklm.Ridge(alpha=1, solver="sag", random_state=42).fit(X, y).predict([[1.5]]),
                               rtol=1e-3)


@pytest.mark.parity
def test_parity_lasso_path_cv(regression):
    sklm = pytest.importorskip("sklearn.linear_model")
    X, y = regression
    ours, theirs = LassoCV(cv=4, alphas=30).fit(X, y), sklm.LassoCV(cv=4, alphas=30).fit(X, y)
    np.testing.assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-12)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-6)
    assert ours.alpha_ == theirs.alpha_
    for cls in ("Lasso", "ElasticNet"):
        kw = {"alpha": 0.05, "positive": cls == "Lasso"}
        a = globals()[cls](**kw).fit(X, y)
        b = getattr(sklm, cls)(**kw).fit(X, y)
        np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-10)
        np.testing.assert_allclose(a.dual_gap_, b.dual_gap_, rtol=1e-5, atol=1e-12)
        assert a.n_iter_ == b.n_iter_


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"C": 1e10}, {"solver": "liblinear"}, {"solver": "newton-cg"},
                                    {"class_weight": "balanced"}, {"fit_intercept": False}])
def test_parity_logistic_regression(kwargs):
    datasets = pytest.importorskip("sklearn.datasets")
    sklm = pytest.importorskip("sklearn.linear_model")
    X, y = datasets.load_iris(return_X_y=True)
    X = X[:, 2:]
    if kwargs.get("solver") == "liblinear" or "C" in kwargs:
        y = (y == 2).astype(int)
    ours = LogisticRegression(**kwargs, max_iter=1000).fit(X, y)
    theirs = sklm.LogisticRegression(**kwargs, max_iter=1000).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=2e-3)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=2e-2, atol=2e-2)


@pytest.mark.parity
def test_parity_spec_logistic_petal_width_boundary():
    datasets = pytest.importorskip("sklearn.datasets")
    sklm = pytest.importorskip("sklearn.linear_model")
    iris = datasets.load_iris()
    X, y = iris["data"][:, 3:], (iris["target"] == 2).astype(int)
    ours = LogisticRegression(solver="lbfgs", random_state=42).fit(X, y)
    theirs = sklm.LogisticRegression(solver="lbfgs", random_state=42).fit(X, y)
    np.testing.assert_array_equal(ours.predict([[1.7], [1.5]]), theirs.predict([[1.7], [1.5]]))
    boundary = -ours.intercept_[0] / ours.coef_[0, 0]
    assert 1.6 < boundary < 1.7  # the notes: "boundary ≈ 1.6 cm"
    softmax = LogisticRegression(C=10).fit(iris["data"][:, 2:], iris["target"])
    ref = sklm.LogisticRegression(C=10).fit(iris["data"][:, 2:], iris["target"])
    np.testing.assert_allclose(softmax.predict_proba([[5, 2]]), ref.predict_proba([[5, 2]]), atol=1e-3)


@pytest.mark.parity
def test_parity_spec_sgd_regressor_exact():
    sklm = pytest.importorskip("sklearn.linear_model")
    rng = np.random.RandomState(42)
    X = 2 * rng.rand(100, 1)
    y = (4 + 3 * X + rng.randn(100, 1)).ravel()
    kw = dict(max_iter=1000, tol=1e-3, penalty=None, eta0=0.1, random_state=42)
    ours, theirs = SGDRegressor(**kw).fit(X, y), sklm.SGDRegressor(**kw).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-10)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-10)
    assert ours.n_iter_ == theirs.n_iter_


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"loss": "log_loss"}, {"loss": "modified_huber", "average": True},
                                    {"loss": "squared_hinge", "penalty": "l1"},
                                    {"penalty": "elasticnet", "class_weight": "balanced"},
                                    {"learning_rate": "adaptive", "eta0": 0.1}, {"loss": "huber"}])
def test_parity_sgd_classifier_same_trajectory(blobs, kwargs):
    sklm = pytest.importorskip("sklearn.linear_model")
    X, y = blobs
    X = (X - X.mean(0)) / X.std(0)
    sw = np.random.RandomState(0).rand(len(y))
    ours = SGDClassifier(random_state=3, **kwargs).fit(X, y, sample_weight=sw)
    theirs = sklm.SGDClassifier(random_state=3, **kwargs).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-6, atol=1e-8)
    assert ours.n_iter_ == theirs.n_iter_


@pytest.mark.parity
def test_parity_perceptron_and_partial_fit(blobs):
    sklm = pytest.importorskip("sklearn.linear_model")
    X, y = blobs
    np.testing.assert_allclose(Perceptron().fit(X, y).coef_, sklm.Perceptron().fit(X, y).coef_)
    ours, theirs = SGDClassifier(random_state=1), sklm.SGDClassifier(random_state=1)
    for _ in range(3):
        ours.partial_fit(X, y, classes=[0, 1, 2])
        theirs.partial_fit(X, y, classes=[0, 1, 2])
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-8)
    assert ours.t_ == theirs.t_


@pytest.mark.parity
@pytest.mark.parametrize("binary", [True, False])
def test_parity_sgd_early_stopping(blobs, binary):
    sklm = pytest.importorskip("sklearn.linear_model")
    X, y = blobs
    X = (X - X.mean(0)) / X.std(0)
    y = (y == 1).astype(int) if binary else y
    sw = np.random.RandomState(0).rand(len(y))
    kw = dict(random_state=0, early_stopping=True, validation_fraction=0.2)
    ours, theirs = SGDClassifier(**kw).fit(X, y, sample_weight=sw), sklm.SGDClassifier(**kw).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-8, atol=1e-10)
    assert ours.n_iter_ == theirs.n_iter_
    reg, ref = SGDRegressor(**kw).fit(X, X @ [1.0, -2.0]), sklm.SGDRegressor(**kw).fit(X, X @ [1.0, -2.0])
    np.testing.assert_allclose(reg.coef_, ref.coef_, rtol=1e-8)


def test_pandas_feature_names_are_recorded(regression):
    pd = pytest.importorskip("pandas")
    X, y = regression
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    for model in (LinearRegression(), Ridge(), Lasso(alpha=0.1), SGDRegressor(random_state=0)):
        model.fit(df, y)
        np.testing.assert_array_equal(model.feature_names_in_, df.columns)
        with pytest.warns(UserWarning, match="X does not have valid feature names"):
            np.testing.assert_allclose(model.predict(df), model.predict(X))
    with pytest.raises(ValueError, match="X has 5 features, but Ridge is expecting 6 features"):
        Ridge().fit(X, y).predict(X[:, :5])
