"""HistGradientBoostingClassifier/Regressor against scikit-learn: same bins, trees and predictions."""
import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn import ensemble as sk_ens  # noqa: E402
from sklearn.datasets import make_classification, make_regression  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from ndflow.learn import ensemble as nd_ens  # noqa: E402
from ndflow.learn.ensemble._hist_gradient_boosting.binning import BinMapper  # noqa: E402
from ndflow.learn.ensemble._hist_gradient_boosting.losses import make_loss  # noqa: E402
from ndflow.learn.exceptions import NotFittedError  # noqa: E402
from ndflow.learn.preprocessing._utils import InvalidParameterError  # noqa: E402

pytestmark = pytest.mark.parity


@pytest.fixture(autouse=True)
def _single_thread():
    """scikit-learn's boosting is OpenMP-parallel: on a busy machine one thread is much faster."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with threadpoolctl.threadpool_limits(1):
        yield


def _regression(n=600, seed=0):
    X, y = make_regression(n, 6, noise=10.0, random_state=seed)
    return X, y


def _both(name, X, y, sample_weight=None, **params):
    ours = getattr(nd_ens, name)(**params).fit(X, y, sample_weight=sample_weight)
    theirs = getattr(sk_ens, name)(**params).fit(X, y, sample_weight=sample_weight)
    return ours, theirs


@pytest.mark.parametrize("params", [
    {"max_iter": 30},
    {"max_iter": 15, "max_depth": 3, "learning_rate": 0.3},
    {"max_iter": 15, "l2_regularization": 2.0, "min_samples_leaf": 5, "max_leaf_nodes": 8},
    {"max_iter": 15, "max_bins": 16},
    {"max_iter": 10, "max_leaf_nodes": None, "max_depth": 4},
])
def test_regressor_matches_sklearn(params):
    X, y = _regression()
    ours, theirs = _both("HistGradientBoostingRegressor", X, y, **params)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-9, atol=1e-9)
    X_new = np.random.RandomState(1).normal(size=(50, X.shape[1])) * 2
    np.testing.assert_allclose(ours.predict(X_new), theirs.predict(X_new), rtol=1e-9, atol=1e-9)


def test_wide_data_matches_sklearn():
    # more than 255 features: flat bin ids no longer fit in 16 bits
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 300))
    y = X[:, 0] + 2 * X[:, 299] + 0.1 * rng.normal(size=300)
    ours, theirs = _both("HistGradientBoostingRegressor", X, y, max_iter=4)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("loss, target", [("absolute_error", "raw"), ("quantile", "raw"), ("poisson", "count"),
                                          ("gamma", "positive")])
def test_regression_losses_match_sklearn(loss, target):
    X, y = _regression(400)
    rng = np.random.RandomState(0)
    if target == "count":
        y = rng.poisson(np.exp(0.5 + 0.3 * X[:, 0]))
    elif target == "positive":
        y = np.exp(0.2 * X[:, 0] + 0.1 * rng.normal(size=len(X)))
    params = {"loss": loss, "max_iter": 15}
    if loss == "quantile":
        params["quantile"] = 0.8
    ours, theirs = _both("HistGradientBoostingRegressor", X, y, **params)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-7, atol=1e-7)


def test_binary_classifier_matches_sklearn():
    X, y = make_classification(800, 8, n_informative=5, random_state=0)
    labels = np.array(["no", "yes"])[y]
    ours, theirs = _both("HistGradientBoostingClassifier", X, labels, max_iter=25)
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    assert ours.n_trees_per_iteration_ == 1
    assert ours.score(X, labels) == pytest.approx(theirs.score(X, labels))


def test_multiclass_classifier_matches_sklearn():
    X, y = make_classification(900, 8, n_informative=6, n_classes=4, random_state=1)
    ours, theirs = _both("HistGradientBoostingClassifier", X, y, max_iter=12)
    assert ours.n_trees_per_iteration_ == theirs.n_trees_per_iteration_ == 4
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), rtol=1e-9, atol=1e-9)
    for a, b in zip(ours.staged_predict_proba(X[:50]), theirs.staged_predict_proba(X[:50])):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_sample_and_class_weights_match_sklearn():
    X, y = make_classification(600, 6, weights=[0.8, 0.2], random_state=2)
    w = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    ours, theirs = _both("HistGradientBoostingClassifier", X, y, sample_weight=w, max_iter=10,
                         class_weight="balanced")
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-7, atol=1e-10)
    Xr, yr = _regression(400)
    ours, theirs = _both("HistGradientBoostingRegressor", Xr, yr, sample_weight=w[:400], max_iter=10)
    np.testing.assert_allclose(ours.predict(Xr), theirs.predict(Xr), rtol=1e-7, atol=1e-7)


def test_missing_values_learn_their_direction_like_sklearn():
    X, y = _regression(800, seed=3)
    rng = np.random.RandomState(0)
    X[rng.rand(*X.shape) < 0.15] = np.nan
    y[np.isnan(X[:, 0])] += 200.0  # missing values of feature 0 carry signal
    ours, theirs = _both("HistGradientBoostingRegressor", X, y, max_iter=20)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-9, atol=1e-9)
    # a feature without NaN in training sends NaN at predict time to the larger child, like sklearn
    X_clean, y_clean = _regression(500, seed=4)
    ours, theirs = _both("HistGradientBoostingRegressor", X_clean, y_clean, max_iter=5)
    X_test = X_clean[:40].copy()
    X_test[::2, 1] = np.nan
    np.testing.assert_allclose(ours.predict(X_test), theirs.predict(X_test), rtol=1e-9, atol=1e-9)


def test_bin_thresholds_match_sklearn():
    from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper

    rng = np.random.RandomState(0)
    X = np.column_stack([rng.normal(size=3000), rng.randint(0, 7, 3000).astype(float), rng.exponential(size=3000)])
    X[rng.rand(3000) < 0.1, 2] = np.nan
    for n_bins in (256, 17):
        ours = BinMapper(n_bins).fit(X)
        theirs = _BinMapper(n_bins=n_bins).fit(X)
        for a, b in zip(ours.bin_thresholds_, theirs.bin_thresholds_):
            np.testing.assert_allclose(a, b)
        np.testing.assert_array_equal(ours.n_bins_non_missing_, theirs.n_bins_non_missing_)
        np.testing.assert_array_equal(ours.transform(X), theirs.transform(X).T)


@pytest.mark.parametrize("name", ["squared_error", "absolute_error", "poisson", "gamma", "log_loss"])
def test_loss_gradients_match_sklearn_losses(name):
    from sklearn._loss import loss as sk_loss

    rng = np.random.RandomState(0)
    raw = rng.normal(size=(50, 1))
    y = rng.randint(0, 2, 50).astype(float) if name == "log_loss" else rng.uniform(0.1, 3, 50)
    ours = make_loss(name, n_classes=2)
    theirs = {"squared_error": sk_loss.HalfSquaredError, "absolute_error": sk_loss.AbsoluteError,
              "poisson": sk_loss.HalfPoissonLoss, "gamma": sk_loss.HalfGammaLoss,
              "log_loss": sk_loss.HalfBinomialLoss}[name]()
    grad, hess = ours.gradient_hessian(y, raw)
    sk_grad, sk_hess = theirs.gradient_hessian(y, raw[:, 0])
    np.testing.assert_allclose(grad[:, 0], sk_grad, rtol=1e-12)
    if not ours.constant_hessian:
        np.testing.assert_allclose(hess[:, 0], sk_hess, rtol=1e-12)
    assert ours(y, raw) == pytest.approx(theirs(y, raw[:, 0]), rel=1e-12)


def test_early_stopping_matches_sklearn():
    X, y = make_classification(1500, 6, n_informative=4, flip_y=0.2, random_state=0)
    params = {"early_stopping": True, "max_iter": 200, "n_iter_no_change": 5, "random_state": 7}
    ours, theirs = _both("HistGradientBoostingClassifier", X, y, **params)
    assert ours.do_early_stopping_ and ours.n_iter_ == theirs.n_iter_ < 200
    np.testing.assert_allclose(ours.train_score_, theirs.train_score_, rtol=1e-9)
    np.testing.assert_allclose(ours.validation_score_, theirs.validation_score_, rtol=1e-9)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-9, atol=1e-12)
    # without a validation set the training loss decides
    params["validation_fraction"] = None
    ours, theirs = _both("HistGradientBoostingClassifier", X, y, **params)
    assert ours.n_iter_ == theirs.n_iter_ and ours.validation_score_.size == 0
    np.testing.assert_allclose(ours.train_score_, theirs.train_score_, rtol=1e-9)


def test_explicit_validation_data_matches_sklearn():
    X, y = make_classification(1200, 6, random_state=0)
    params = {"max_iter": 50, "n_iter_no_change": 3, "early_stopping": True}
    ours = nd_ens.HistGradientBoostingClassifier(**params).fit(X[:800], y[:800], X_val=X[800:], y_val=y[800:])
    theirs = sk_ens.HistGradientBoostingClassifier(**params).fit(X[:800], y[:800], X_val=X[800:], y_val=y[800:])
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_allclose(ours.validation_score_, theirs.validation_score_, rtol=1e-9)
    with pytest.raises(ValueError, match="X_val is provided, but y_val was not provided."):
        nd_ens.HistGradientBoostingClassifier().fit(X, y, X_val=X)
    with pytest.raises(ValueError, match="X_val and y_val are passed to fit while at the same time early_stopping"):
        nd_ens.HistGradientBoostingClassifier(early_stopping=False).fit(X, y, X_val=X, y_val=y)


def test_early_stopping_auto_and_scorer():
    X, y = make_classification(10_050, 5, random_state=0)
    model = nd_ens.HistGradientBoostingClassifier(max_iter=3).fit(X, y)
    assert model.do_early_stopping_ and model.train_score_.shape == (4,) and model.validation_score_.shape == (4,)
    X_small, y_small = X[:500], y[:500]
    model = nd_ens.HistGradientBoostingClassifier(max_iter=3).fit(X_small, y_small)
    assert not model.do_early_stopping_ and model.train_score_.size == 0
    params = {"early_stopping": True, "scoring": "accuracy", "max_iter": 40, "n_iter_no_change": 3, "random_state": 0}
    ours, theirs = _both("HistGradientBoostingClassifier", X_small, y_small, **params)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_allclose(ours.validation_score_, theirs.validation_score_)


@pytest.mark.parametrize("params", [
    {"monotonic_cst": [1, -1, 0, 0, 0]},
    {"monotonic_cst": [1, -1, 1, 0, -1], "max_depth": 3},
    {"interaction_cst": [[0, 1], [2, 3]]},
    {"interaction_cst": "no_interactions"},
    {"interaction_cst": [[0, 1], [1, 2, 3]], "max_features": 0.5, "random_state": 3},
    {"monotonic_cst": [1, 0, 0, 0, -1], "interaction_cst": "pairwise", "l2_regularization": 1.0},
])
def test_constraints_match_sklearn(params):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(600, 5))
    y = 2 * X[:, 0] - X[:, 1] + np.sin(3 * X[:, 2]) + X[:, 3] * X[:, 4] + 0.3 * rng.normal(size=600)
    ours, theirs = _both("HistGradientBoostingRegressor", X, y, max_iter=15, **params)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-9, atol=1e-9)
    if "monotonic_cst" in params:  # predictions increase along feature 0 with the others fixed
        grid = np.repeat(X[:1], 50, axis=0)
        grid[:, 0] = np.linspace(-3, 3, 50)
        assert np.all(np.diff(ours.predict(grid)) >= 0)


def test_monotonic_constraints_by_feature_name():
    pd = pytest.importorskip("pandas")
    X, y = _regression(300)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)])
    ours = nd_ens.HistGradientBoostingRegressor(max_iter=10, monotonic_cst={"f0": 1, "f3": -1}).fit(frame, y)
    theirs = sk_ens.HistGradientBoostingRegressor(max_iter=10, monotonic_cst={"f0": 1, "f3": -1}).fit(frame, y)
    np.testing.assert_allclose(ours.predict(frame), theirs.predict(frame), rtol=1e-9, atol=1e-9)
    with pytest.raises(ValueError, match=r"monotonic_cst contains 1 unexpected feature names: \['g'\]."):
        nd_ens.HistGradientBoostingRegressor(monotonic_cst={"g": 1}).fit(frame, y)


def _categorical_frame(n=800, seed=0):
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(seed)
    letters = rng.choice(list("abcdefgh"), n)
    codes = rng.randint(0, 12, n)
    numeric = rng.normal(size=n)
    effect = dict(zip("hgfedcba", range(8)))
    y = 0.5 * np.array([effect[c] for c in letters]) + np.sin(codes) + numeric + 0.2 * rng.normal(size=n)
    return pd.DataFrame({"x": numeric, "letters": pd.Categorical(letters), "codes": codes}), y


@pytest.mark.parametrize("categorical_features", ["from_dtype", ["letters", "codes"], [False, True, True]])
def test_categorical_features_match_sklearn(categorical_features):
    frame, y = _categorical_frame()
    params = {"max_iter": 15, "categorical_features": categorical_features}
    ours, theirs = _both("HistGradientBoostingRegressor", frame, y, **params)
    np.testing.assert_array_equal(ours.is_categorical_, theirs.is_categorical_)
    np.testing.assert_allclose(ours.predict(frame), theirs.predict(frame), rtol=1e-9, atol=1e-9)
    # missing and unseen categories at predict time
    test = frame.iloc[:20].copy()
    test["letters"] = test["letters"].astype(object)
    test.loc[test.index[:5], "letters"] = np.nan
    test.loc[test.index[5:10], "letters"] = "unseen"
    np.testing.assert_allclose(ours.predict(test), theirs.predict(test), rtol=1e-9, atol=1e-9)


def test_categorical_with_missing_values_matches_sklearn():
    frame, y = _categorical_frame(seed=1)
    X = frame[["x", "codes"]].to_numpy(dtype=float)
    X[::7, 1] = np.nan
    labels = (y > np.median(y)).astype(int)
    ours, theirs = _both("HistGradientBoostingClassifier", X, labels, max_iter=15, categorical_features=[1])
    X_test = X.copy()
    X_test[:5, 1] = 99.0  # unseen category
    np.testing.assert_allclose(ours.predict_proba(X_test), theirs.predict_proba(X_test), rtol=1e-9, atol=1e-12)
    with pytest.raises(ValueError, match="Categorical features cannot have monotonic constraints."):
        nd_ens.HistGradientBoostingClassifier(categorical_features=[1], monotonic_cst=[0, 1]).fit(X, labels)


def test_max_features_subsampling_matches_sklearn():
    X, y = _regression(500)
    ours, theirs = _both("HistGradientBoostingRegressor", X, y, max_iter=10, max_features=0.5, random_state=3)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-9, atol=1e-9)


def test_warm_start_and_staged_predictions():
    X, y = _regression(400)
    warm = nd_ens.HistGradientBoostingRegressor(max_iter=5, warm_start=True, random_state=0).fit(X, y)
    warm.set_params(max_iter=12).fit(X, y)
    cold, reference = _both("HistGradientBoostingRegressor", X, y, max_iter=12, random_state=0)
    assert warm.n_iter_ == 12
    np.testing.assert_allclose(warm.predict(X), cold.predict(X))
    staged = list(cold.staged_predict(X))
    assert len(staged) == 12
    np.testing.assert_allclose(staged[-1], cold.predict(X))
    for ours, theirs in zip(staged, reference.staged_predict(X), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9)
    with pytest.raises(ValueError, match="max_iter=3 must be larger than or equal to n_iter_=12"):
        warm.set_params(max_iter=3).fit(X, y)
    Xc, yc = make_classification(300, 5, random_state=0)
    clf, clf_reference = _both("HistGradientBoostingClassifier", Xc, yc, max_iter=6)
    stages = list(clf.staged_predict(Xc))
    assert len(stages) == 6
    np.testing.assert_array_equal(stages[-1], clf.predict(Xc))
    np.testing.assert_allclose(list(clf.staged_decision_function(Xc))[-1], clf.decision_function(Xc))
    for ours, theirs in zip(clf.staged_decision_function(Xc), clf_reference.staged_decision_function(Xc),
                            strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9)


def test_benchmark_like_accuracy_close_to_sklearn():
    # large enough for the sparse-product histograms of big nodes
    X, y = make_classification(4000, 20, n_informative=10, random_state=0)
    ours, theirs = _both("HistGradientBoostingClassifier", X[:3000], y[:3000], max_iter=40, random_state=0)
    assert abs(ours.score(X[3000:], y[3000:]) - theirs.score(X[3000:], y[3000:])) <= 0.005
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), rtol=1e-9, atol=1e-9)


def test_errors():
    X, y = _regression(100)
    with pytest.raises(InvalidParameterError, match="'learning_rate' parameter of HistGradientBoostingRegressor"):
        nd_ens.HistGradientBoostingRegressor(learning_rate=0).fit(X, y)
    with pytest.raises(InvalidParameterError, match="'max_bins'"):
        nd_ens.HistGradientBoostingRegressor(max_bins=256).fit(X, y)
    with pytest.raises(InvalidParameterError, match="'loss'"):
        nd_ens.HistGradientBoostingClassifier(loss="hinge").fit(X, y > 0)
    with pytest.raises(ValueError, match="loss='gamma' requires strictly positive y."):
        nd_ens.HistGradientBoostingRegressor(loss="gamma").fit(X, y)
    with pytest.raises(ValueError, match="loss='poisson' requires non-negative y and sum"):
        nd_ens.HistGradientBoostingRegressor(loss="poisson").fit(X, -np.abs(y))
    with pytest.raises(TypeError, match="quantile must be an instance of float, not NoneType."):
        nd_ens.HistGradientBoostingRegressor(loss="quantile").fit(X, y)
    with pytest.raises(ValueError, match=r"quantile == 1.0, must be < 1."):
        nd_ens.HistGradientBoostingRegressor(loss="quantile", quantile=1.0).fit(X, y)
    with pytest.raises(ValueError, match=r"categorical_features set as integer indices must be in \[0, n_features"):
        nd_ens.HistGradientBoostingRegressor(categorical_features=[7]).fit(X, y)
    with pytest.raises(ValueError, match="categorical_features should be passed as an array of integers or as a"):
        nd_ens.HistGradientBoostingRegressor(categorical_features=["a"]).fit(X, y)
    with pytest.raises(ValueError, match="Categorical feature at index 0 is expected to have a cardinality <= 255 but"):
        nd_ens.HistGradientBoostingRegressor(categorical_features=[0]).fit(np.arange(600.0)[:, None], np.ones(600))
    with pytest.raises(ValueError, match=r"monotonic_cst has shape \(2,\) but the input data X has 6 features."):
        nd_ens.HistGradientBoostingRegressor(monotonic_cst=[1, 0]).fit(X, y)
    with pytest.raises(ValueError, match=r"monotonic_cst must be an array-like of -1, 0 or 1. Observed values: \[2\]"):
        nd_ens.HistGradientBoostingRegressor(monotonic_cst=[2, 0, 0, 0, 0, 0]).fit(X, y)
    Xc, yc = make_classification(100, 6, n_informative=4, n_classes=3, random_state=0)
    with pytest.raises(ValueError, match="monotonic constraints are not supported for multiclass classification."):
        nd_ens.HistGradientBoostingClassifier(monotonic_cst=[1, 0, 0, 0, 0, 0]).fit(Xc, yc)
    with pytest.raises(ValueError, match=r"integer indices in \[0, n_features - 1\] = \[0, 5\], specifying"):
        nd_ens.HistGradientBoostingRegressor(interaction_cst=[[0, 9]]).fit(X, y)
    with pytest.raises(NotFittedError):
        nd_ens.HistGradientBoostingClassifier().predict(X)
    model = nd_ens.HistGradientBoostingRegressor(max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but HistGradientBoostingRegressor is expecting 6"):
        model.predict(X[:, :3])


with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Estimator .* does not inherit from")
    _CHECKS = parametrize_with_checks([nd_ens.HistGradientBoostingClassifier(max_iter=10),
                                       nd_ens.HistGradientBoostingRegressor(max_iter=10)])


@_CHECKS
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)
