"""Tests of ndflow.learn.impute: hand/NumPy references, then parity with scikit-learn."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from ndflow.learn.exceptions import NotFittedError
from ndflow.learn.impute import KNNImputer, MissingIndicator, SimpleImputer
from ndflow.learn.impute._knn import nan_euclidean_distances

RNG = np.random.RandomState(0)
X = RNG.randn(30, 4)
X[RNG.rand(30, 4) < 0.25] = np.nan
X[:, 3] = np.nan
X_NEW = RNG.randn(10, 4)
X_NEW[RNG.rand(10, 4) < 0.3] = np.nan

SMALL = np.array([[1.0, np.nan, 3.0], [np.nan, 4.0, 3.0], [7.0, 6.0, np.nan], [7.0, 8.0, 9.0]])


def test_simple_imputer_mean_median_most_frequent():
    mean = SimpleImputer().fit(SMALL)
    np.testing.assert_allclose(mean.statistics_, [5.0, 6.0, 5.0])
    np.testing.assert_allclose(mean.transform(SMALL), [[1, 6, 3], [5, 4, 3], [7, 6, 5], [7, 8, 9]])
    median = SimpleImputer(strategy="median").fit(SMALL)
    np.testing.assert_allclose(median.statistics_, [7.0, 6.0, 3.0])
    frequent = SimpleImputer(strategy="most_frequent").fit(SMALL)
    np.testing.assert_allclose(frequent.statistics_, [7.0, 4.0, 3.0])
    constant = SimpleImputer(strategy="constant", fill_value=-1).fit(SMALL)
    np.testing.assert_allclose(constant.transform(SMALL)[0], [1, -1, 3])


def test_simple_imputer_matches_nan_reductions():
    imputer = SimpleImputer(strategy="median").fit(X[:, :3])
    np.testing.assert_allclose(imputer.statistics_, np.nanmedian(X[:, :3], axis=0))
    out = imputer.transform(X_NEW[:, :3])
    np.testing.assert_allclose(out, np.where(np.isnan(X_NEW[:, :3]), np.nanmedian(X[:, :3], axis=0), X_NEW[:, :3]))


def test_simple_imputer_empty_features_and_indicator():
    imputer = SimpleImputer(add_indicator=True).fit(X)
    assert np.isnan(imputer.statistics_[3])
    with pytest.warns(UserWarning, match="Skipping features without any observed values"):
        out = imputer.transform(X)
    n_missing_cols = int(np.isnan(X).any(0).sum())
    assert out.shape == (30, 3 + n_missing_cols)
    np.testing.assert_array_equal(out[:, 3:], np.isnan(X[:, imputer.indicator_.features_]))
    assert imputer.get_feature_names_out().tolist()[:4] == ["x0", "x1", "x2", "missingindicator_x0"]
    with pytest.warns(UserWarning):
        restored = imputer.inverse_transform(imputer.transform(X))
    np.testing.assert_array_equal(np.isnan(restored), np.isnan(X))
    kept = SimpleImputer(keep_empty_features=True).fit(X)
    assert kept.statistics_[3] == 0 and kept.transform(X).shape == (30, 4)


def test_simple_imputer_non_numeric_and_custom_missing():
    data = np.array([["a", None], ["b", "c"], ["a", "c"], [None, "d"]], dtype=object)
    frequent = SimpleImputer(strategy="most_frequent", missing_values=None).fit(data)
    assert frequent.statistics_.tolist() == ["a", "c"]
    assert frequent.transform(data).tolist() == [["a", "c"], ["b", "c"], ["a", "c"], ["a", "d"]]
    constant = SimpleImputer(strategy="constant", missing_values=None).fit_transform(data)
    assert constant[0, 1] == "missing_value"
    with pytest.raises(ValueError, match="Cannot use mean strategy with non-numeric data"):
        SimpleImputer().fit(np.array([["a"], ["b"]], dtype=object))
    minus_one = SimpleImputer(missing_values=-1, strategy="mean").fit([[1, -1], [3, 2], [-1, 4]])
    np.testing.assert_allclose(minus_one.statistics_, [2.0, 3.0])
    with pytest.raises(NotFittedError):
        SimpleImputer().transform(SMALL)


def test_simple_imputer_dataframe_like_housing():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"rooms": [2.0, np.nan, 5.0, 4.0], "income": [1.5, 2.5, np.nan, 3.5]})
    imputer = SimpleImputer(strategy="median").fit(df)
    np.testing.assert_allclose(imputer.statistics_, df.median().values)
    assert imputer.feature_names_in_.tolist() == ["rooms", "income"]
    assert isinstance(imputer.transform(df), np.ndarray)
    out = imputer.set_output(transform="pandas").transform(df)
    assert out.columns.tolist() == ["rooms", "income"] and out.isna().sum().sum() == 0


def test_simple_imputer_sparse_counts_implicit_zeros():
    dense = np.array([[1.0, np.nan, 0.0], [0.0, 0.0, 2.0], [np.nan, 3.0, 0.0], [5.0, 0.0, 0.0]])
    sparse = sp.csr_matrix(dense)
    mean = SimpleImputer().fit(sparse)
    np.testing.assert_allclose(mean.statistics_, [2.0, 1.0, 0.5])
    out = mean.transform(sparse)
    assert sp.issparse(out)
    np.testing.assert_allclose(out.toarray(), np.where(np.isnan(dense), mean.statistics_, dense))
    np.testing.assert_allclose(SimpleImputer(strategy="median").fit(sparse).statistics_, [1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="Imputation not possible when missing_values == 0"):
        SimpleImputer(missing_values=0).fit(sparse)


def test_missing_indicator():
    indicator = MissingIndicator().fit(SMALL)
    np.testing.assert_array_equal(indicator.features_, [0, 1, 2])
    np.testing.assert_array_equal(indicator.transform(SMALL), np.isnan(SMALL))
    partial = MissingIndicator().fit(SMALL[:, [0, 1]][[0, 3]])
    np.testing.assert_array_equal(partial.features_, [1])
    with pytest.raises(ValueError, match="have missing values in transform but have no missing values in fit"):
        partial.transform(SMALL[:, [0, 1]])
    all_features = MissingIndicator(features="all", sparse=True).fit(SMALL)
    out = all_features.transform(SMALL)
    assert sp.issparse(out) and out.toarray().tolist() == np.isnan(SMALL).tolist()
    assert indicator.get_feature_names_out().tolist() == [f"missingindicator_x{i}" for i in range(3)]


def test_nan_euclidean_distance_formula():
    a = np.array([[3.0, np.nan, np.nan, 6.0]])
    b = np.array([[1.0, np.nan, 4.0, 5.0], [np.nan, 2.0, np.nan, np.nan]])
    dist = nan_euclidean_distances(a, b, missing_X=np.isnan(a), missing_Y=np.isnan(b))
    np.testing.assert_allclose(dist[0, 0], np.sqrt(4 / 2 * ((3 - 1) ** 2 + (6 - 5) ** 2)))
    assert np.isnan(dist[0, 1])


def test_knn_imputer_hand_computed():
    fit_data = np.array([[1.0, 2.0, np.nan], [3.0, 4.0, 3.0], [np.nan, 6.0, 5.0], [8.0, 8.0, 7.0]])
    imputer = KNNImputer(n_neighbors=2).fit(fit_data)
    out = imputer.transform(np.array([[1.0, 2.0, np.nan], [np.nan, np.nan, np.nan]]))
    # nearest donors of row 0 having column 2: rows 1 (d^2=3/2*8) and 2 (d^2=3*16): mean of 3 and 5
    np.testing.assert_allclose(out[0], [1, 2, 4])
    # a row without observed values falls back to the column means of the training data
    np.testing.assert_allclose(out[1], np.nanmean(fit_data, axis=0))
    distance = KNNImputer(n_neighbors=2, weights="distance").fit(fit_data)
    d1, d2 = np.sqrt(1.5 * 8), np.sqrt(3 * 16)
    np.testing.assert_allclose(distance.transform(fit_data[:1])[0, 2], (3 / d1 + 5 / d2) / (1 / d1 + 1 / d2))


def test_knn_imputer_indicator_and_empty_columns():
    imputer = KNNImputer(add_indicator=True).fit(X)
    out = imputer.transform(X_NEW)
    assert not np.isnan(out).any()
    assert out.shape[1] == 3 + imputer.indicator_.features_.size
    names = imputer.get_feature_names_out()
    assert names.tolist()[:3] == ["x0", "x1", "x2"] and names[3].startswith("missingindicator_")


@pytest.mark.parity
@pytest.mark.parametrize(
    "name, params",
    [
        ("SimpleImputer", {}),
        ("SimpleImputer", {"strategy": "median", "add_indicator": True}),
        ("SimpleImputer", {"strategy": "most_frequent"}),
        ("SimpleImputer", {"strategy": "constant", "fill_value": 3.5}),
        ("SimpleImputer", {"keep_empty_features": True}),
        ("KNNImputer", {}),
        ("KNNImputer", {"n_neighbors": 3, "weights": "distance", "add_indicator": True}),
        ("KNNImputer", {"n_neighbors": 1}),
        ("MissingIndicator", {}),
        ("MissingIndicator", {"features": "all"}),
    ],
)
def test_imputer_parity(name, params):
    skl = pytest.importorskip("sklearn.impute")
    import ndflow.learn.impute as ours

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mine, theirs = getattr(ours, name)(**params).fit(X), getattr(skl, name)(**params).fit(X)
        data = X if name == "MissingIndicator" else X_NEW
        np.testing.assert_allclose(
            np.asarray(mine.transform(data), float), np.asarray(theirs.transform(data), float), rtol=1e-10
        )
    if hasattr(theirs, "statistics_"):
        np.testing.assert_allclose(np.asarray(mine.statistics_, float), np.asarray(theirs.statistics_, float))
    assert mine.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()


@pytest.mark.parity
def test_imputer_parity_on_objects_and_dataframes():
    pd = pytest.importorskip("pandas")
    skl = pytest.importorskip("sklearn.impute")
    df = pd.DataFrame({"kind": ["x", np.nan, "y", "x"], "size": [1.0, 2.0, np.nan, 2.0]})
    for params in [{"strategy": "most_frequent"}, {"strategy": "constant", "fill_value": "z"}]:
        data = df if params["strategy"] == "most_frequent" else df[["kind"]]
        assert (
            SimpleImputer(**params).fit_transform(data).tolist()
            == skl.SimpleImputer(**params).fit_transform(data).tolist()
        )


@pytest.mark.parity
@pytest.mark.parametrize("strategy", ["mean", "median", "most_frequent"])
def test_sparse_simple_imputer_parity(strategy):
    skl = pytest.importorskip("sklearn.impute")
    dense = sp.random(40, 5, density=0.4, random_state=3).toarray()
    dense[RNG.rand(40, 5) < 0.1] = np.nan
    sparse = sp.csr_matrix(dense)
    mine = SimpleImputer(strategy=strategy, add_indicator=True).fit(sparse)
    theirs = skl.SimpleImputer(strategy=strategy, add_indicator=True).fit(sparse)
    np.testing.assert_allclose(mine.statistics_, theirs.statistics_)
    np.testing.assert_allclose(mine.transform(sparse).toarray(), theirs.transform(sparse).toarray())


@pytest.mark.parity
@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.SimpleImputer().fit(np.array([["a"], ["b"]], dtype=object)),
        lambda m: m.SimpleImputer(strategy="constant", fill_value="x").fit(SMALL),
        lambda m: m.SimpleImputer().fit(SMALL).inverse_transform(SMALL),
        lambda m: m.MissingIndicator().fit(SMALL[[0, 3]][:, [0, 1]]).transform(SMALL[:, [0, 1]]),
        lambda m: m.SimpleImputer().fit(SMALL).transform(SMALL[:, :2]),
    ],
)
def test_imputer_error_parity(make):
    skl = pytest.importorskip("sklearn.impute")
    import ndflow.learn.impute as ours

    with pytest.raises(Exception) as theirs:
        make(skl)
    with pytest.raises(Exception) as mine:
        make(ours)
    assert type(mine.value).__name__ == type(theirs.value).__name__
    assert isinstance(mine.value, type(theirs.value).__mro__[1])
    assert str(mine.value) == str(theirs.value)
