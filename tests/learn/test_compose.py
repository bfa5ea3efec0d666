"""Tests of ndflow.learn.compose: column routing, remainder, sparse output, target transforms, parity."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from ndflow.learn.base import BaseEstimator, RegressorMixin
from ndflow.learn.compose import (
    ColumnTransformer,
    TransformedTargetRegressor,
    make_column_selector,
    make_column_transformer,
)
from ndflow.learn.impute import SimpleImputer
from ndflow.learn.pipeline import Pipeline
from ndflow.learn.preprocessing import FunctionTransformer, MinMaxScaler, OneHotEncoder, StandardScaler

pd = pytest.importorskip("pandas")

RNG = np.random.RandomState(42)
N = 60
HOUSING = pd.DataFrame(
    {
        "longitude": RNG.uniform(-124, -114, N),
        "latitude": RNG.uniform(32, 42, N),
        "total_rooms": RNG.randint(100, 5000, N).astype(float),
        "median_income": RNG.gamma(2.0, 2.0, N),
        "ocean_proximity": RNG.choice(["<1H OCEAN", "INLAND", "NEAR BAY", "ISLAND", "NEAR OCEAN"], N),
    }
)
HOUSING.loc[RNG.rand(N) < 0.2, "total_rooms"] = np.nan
NUM = ["longitude", "latitude", "total_rooms", "median_income"]
ARRAY = np.c_[RNG.randn(20, 3), RNG.rand(20, 2)]


def _dense(a):
    return a.toarray() if sp.issparse(a) else a


def _standardize(a):
    return (a - a.mean(0)) / a.std(0)


def _housing_pipeline(pipeline, impute, compose, preprocessing):
    num_pipeline = pipeline.Pipeline(
        [("imputer", impute.SimpleImputer(strategy="median")), ("std_scaler", preprocessing.StandardScaler())]
    )
    return compose.ColumnTransformer(
        [("num", num_pipeline, NUM), ("cat", preprocessing.OneHotEncoder(), ["ocean_proximity"])]
    )


def test_housing_preprocessing_by_hand():
    full = _housing_pipeline(
        __import__("ndflow.learn.pipeline", fromlist=["x"]),
        __import__("ndflow.learn.impute", fromlist=["x"]),
        __import__("ndflow.learn.compose", fromlist=["x"]),
        __import__("ndflow.learn.preprocessing", fromlist=["x"]),
    )
    prepared = full.fit_transform(HOUSING)
    assert isinstance(prepared, np.ndarray)  # 5/9 of the entries are non-zero: above the 0.3 sparse threshold
    numeric = HOUSING[NUM].fillna(HOUSING[NUM].median()).to_numpy()
    np.testing.assert_allclose(prepared[:, :4], _standardize(numeric))
    categories = sorted(HOUSING["ocean_proximity"].unique())
    np.testing.assert_array_equal(prepared[:, 4:], (HOUSING[["ocean_proximity"]].to_numpy() == categories) * 1.0)
    cat = full.named_transformers_["cat"]
    assert cat.categories_[0].tolist() == categories
    np.testing.assert_allclose(
        full.named_transformers_["num"].named_steps["imputer"].statistics_, HOUSING[NUM].median().to_numpy()
    )
    np.testing.assert_allclose(full.transform(HOUSING.iloc[:5]), prepared[:5])
    assert full.get_feature_names_out().tolist()[:5] == [
        "num__longitude",
        "num__latitude",
        "num__total_rooms",
        "num__median_income",
        "cat__ocean_proximity_<1H OCEAN",
    ]
    assert full.output_indices_ == {"num": slice(0, 4), "cat": slice(4, 9), "remainder": slice(0, 0)}


class CombinedAttributesAdder(BaseEstimator):
    """The spec's custom transformer: appends rooms per household (fit does nothing)."""

    def __init__(self, add_ratio: bool = True):
        self.add_ratio = add_ratio

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        X = np.asarray(X)
        return np.c_[X, X[:, 2] / X[:, 3]] if self.add_ratio else X


def test_spec_num_pipeline_with_custom_transformer():
    num_pipeline = Pipeline(
        [
            ("imputer", SimpleImputer(strategy="median")),
            ("attribs_adder", CombinedAttributesAdder()),
            ("std_scaler", StandardScaler()),
        ]
    )
    full = ColumnTransformer([("num", num_pipeline, NUM), ("cat", OneHotEncoder(), ["ocean_proximity"])])
    prepared = full.fit_transform(HOUSING)
    numeric = HOUSING[NUM].fillna(HOUSING[NUM].median()).to_numpy()
    with_ratio = np.c_[numeric, numeric[:, 2] / numeric[:, 3]]
    np.testing.assert_allclose(prepared[:, :5], _standardize(with_ratio))
    assert prepared.shape == (N, 10)
    full.set_params(num__attribs_adder__add_ratio=False)
    assert full.fit_transform(HOUSING).shape == (N, 9)


def test_column_specifications_are_equivalent():
    expected = np.c_[_standardize(ARRAY[:, :2]), ARRAY[:, 4]]
    specs = [
        ([0, 1], [4]),
        (slice(0, 2), [-1]),
        ([True, True, False, False, False], [4]),
        (lambda X: [0, 1], np.array([4])),
    ]
    for first, second in specs:
        ct = ColumnTransformer([("std", StandardScaler(), first), ("keep", "passthrough", second)])
        np.testing.assert_allclose(ct.fit_transform(ARRAY), expected)
    frame = pd.DataFrame(ARRAY, columns=list("abcde"))
    by_name = ColumnTransformer([("std", StandardScaler(), ["a", "b"]), ("keep", "passthrough", ["e"])])
    np.testing.assert_allclose(by_name.fit_transform(frame), expected)
    assert by_name.get_feature_names_out().tolist() == ["std__a", "std__b", "keep__e"]
    assert by_name.transformers_[-1] == ("remainder", "drop", ["c", "d"])
    with pytest.raises(ValueError, match="Specifying the columns using strings is only supported for dataframes"):
        ColumnTransformer([("std", StandardScaler(), ["a"])]).fit(ARRAY)
    with pytest.raises(ValueError, match="Some column names are not columns of the dataframe"):
        ColumnTransformer([("std", StandardScaler(), ["zz"])]).fit(frame)


def test_remainder_options():
    passthrough = ColumnTransformer([("std", StandardScaler(), [0])], remainder="passthrough").fit(ARRAY)
    np.testing.assert_allclose(passthrough.transform(ARRAY), np.c_[_standardize(ARRAY[:, :1]), ARRAY[:, 1:]])
    assert passthrough.get_feature_names_out().tolist() == ["std__x0"] + [f"remainder__x{i}" for i in range(1, 5)]
    assert passthrough.output_indices_["remainder"] == slice(1, 5)
    scaled = ColumnTransformer([("drop_me", "drop", [0])], remainder=MinMaxScaler()).fit(ARRAY)
    rest = ARRAY[:, 1:]
    np.testing.assert_allclose(scaled.transform(ARRAY), (rest - rest.min(0)) / (rest.max(0) - rest.min(0)))
    assert isinstance(scaled.named_transformers_["remainder"], MinMaxScaler)
    scaled.set_params(remainder__feature_range=(-1, 1))
    assert scaled.remainder.feature_range == (-1, 1)
    dropped = ColumnTransformer([("std", StandardScaler(), [0])]).fit(ARRAY)
    assert dropped.transform(ARRAY).shape == (20, 1) and dropped.output_indices_["remainder"] == slice(0, 0)


def test_sparse_threshold_and_weights():
    cats = np.array([["a"], ["b"], ["c"], ["d"]] * 5, dtype=object)
    data = np.c_[cats, np.arange(20.0)]
    dense_block = [("num", StandardScaler(), [1])]
    one_hot = [("cat", OneHotEncoder(), [0])]
    sparse = ColumnTransformer(one_hot + dense_block, sparse_threshold=0.5).fit(data)
    assert sparse.sparse_output_ and sp.issparse(sparse.transform(data))  # density 2/5
    dense = ColumnTransformer(one_hot + dense_block).fit(data)
    assert not dense.sparse_output_ and isinstance(dense.transform(data), np.ndarray)
    np.testing.assert_allclose(sparse.transform(data).toarray(), dense.transform(data))
    weighted = ColumnTransformer(dense_block, transformer_weights={"num": 3.0}).fit_transform(data)
    np.testing.assert_allclose(weighted.ravel(), 3 * _standardize(np.arange(20.0)))


def test_column_selector_and_make_column_transformer():
    selector = make_column_selector(dtype_include=np.number)
    assert selector(HOUSING) == NUM
    assert make_column_selector(pattern="^l")(HOUSING) == ["longitude", "latitude"]
    assert make_column_selector(dtype_exclude=np.number)(HOUSING) == ["ocean_proximity"]
    ct = make_column_transformer(
        (SimpleImputer(strategy="median"), selector),
        (OneHotEncoder(), make_column_selector(dtype_exclude=np.number)),
    )
    assert [name for name, _, _ in ct.transformers] == ["simpleimputer", "onehotencoder"]
    out = ct.fit_transform(HOUSING)
    assert out.shape == (N, 9)
    assert ct.transformers_[0][2] == NUM
    with pytest.raises(ValueError, match="can only be applied to pandas dataframes"):
        selector(ARRAY)


def test_transform_by_name_and_feature_checks():
    frame = pd.DataFrame(ARRAY, columns=list("abcde"))
    ct = ColumnTransformer([("std", StandardScaler(), ["b", "a"])]).fit(frame)
    reordered = frame[["e", "a", "b"]]
    np.testing.assert_allclose(ct.transform(reordered), ct.transform(frame))
    with pytest.raises(ValueError, match="columns are missing"):
        ct.transform(frame[["a", "c"]])
    positional = ColumnTransformer([("std", StandardScaler(), [0])]).fit(ARRAY)
    with pytest.raises(ValueError, match="X has 2 features, but ColumnTransformer is expecting 5"):
        positional.transform(ARRAY[:, :2])
    no_prefix = ColumnTransformer(
        [("a", StandardScaler(), ["a"]), ("b", MinMaxScaler(), ["a"])], verbose_feature_names_out=False
    ).fit(frame)
    with pytest.raises(ValueError, match="are not unique"):
        no_prefix.get_feature_names_out()


def test_column_transformer_pandas_output():
    ct = ColumnTransformer([("std", StandardScaler(), ["median_income"])], remainder="passthrough")
    out = ct.set_output(transform="pandas").fit_transform(HOUSING)
    assert isinstance(out, pd.DataFrame)
    assert out.columns.tolist()[:2] == ["std__median_income", "remainder__longitude"]
    assert out["remainder__ocean_proximity"].tolist() == HOUSING["ocean_proximity"].tolist()


def test_parallel_fit_and_unsupported_output():
    specs = [("a", StandardScaler(), [0, 1]), ("b", MinMaxScaler(), [2, 3])]
    serial = ColumnTransformer(specs).fit_transform(ARRAY)
    np.testing.assert_allclose(ColumnTransformer(specs, n_jobs=2).fit_transform(ARRAY), serial)
    with pytest.raises(NotImplementedError, match="is not supported yet"):
        ColumnTransformer(specs).set_output(transform="polars").fit_transform(ARRAY)


class LinearFit(RegressorMixin, BaseEstimator):
    """Least squares with intercept (test helper)."""

    def fit(self, X, y):
        self.coef_ = np.linalg.lstsq(np.c_[np.ones(len(X)), X], y, rcond=None)[0]
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        return np.c_[np.ones(len(X)), X] @ self.coef_


def test_transformed_target_regressor():
    X = RNG.rand(40, 2)
    y = np.exp(1.0 + X @ [2.0, -1.0])
    ttr = TransformedTargetRegressor(regressor=LinearFit(), func=np.log, inverse_func=np.exp).fit(X, y)
    np.testing.assert_allclose(ttr.regressor_.coef_, [1.0, 2.0, -1.0], atol=1e-10)
    np.testing.assert_allclose(ttr.predict(X), y)
    scaled = TransformedTargetRegressor(regressor=LinearFit(), transformer=StandardScaler()).fit(X, y)
    np.testing.assert_allclose(scaled.transformer_.mean_, [y.mean()])
    assert scaled.predict(X).shape == (40,)
    with pytest.warns(UserWarning, match="not strictly inverse"):
        TransformedTargetRegressor(regressor=LinearFit(), func=np.log, inverse_func=np.sqrt).fit(X, y)
    with pytest.raises(ValueError, match="cannot both be set"):
        TransformedTargetRegressor(transformer=StandardScaler(), func=np.log).fit(X, y)
    identity = TransformedTargetRegressor(regressor=LinearFit(), transformer=FunctionTransformer()).fit(X, y)
    np.testing.assert_allclose(identity.predict(X), LinearFit().fit(X, y).predict(X))


def test_clone_and_params_of_nested_composition():
    from ndflow.learn.base import clone

    full = ColumnTransformer([("num", Pipeline([("imp", SimpleImputer()), ("std", StandardScaler())]), NUM)])
    full.set_params(num__imp__strategy="median")
    assert full.get_params()["num__imp__strategy"] == "median"
    copy = clone(full)
    assert copy.transformers[0][1] is not full.transformers[0][1]
    assert copy.get_params()["num__imp__strategy"] == "median"


@pytest.mark.parity
def test_housing_pipeline_parity_with_sklearn():
    pytest.importorskip("sklearn")
    import sklearn.compose
    import sklearn.impute
    import sklearn.pipeline
    import sklearn.preprocessing

    import ndflow.learn.compose
    import ndflow.learn.impute
    import ndflow.learn.pipeline
    import ndflow.learn.preprocessing

    theirs = _housing_pipeline(sklearn.pipeline, sklearn.impute, sklearn.compose, sklearn.preprocessing)
    mine = _housing_pipeline(
        ndflow.learn.pipeline, ndflow.learn.impute, ndflow.learn.compose, ndflow.learn.preprocessing
    )
    expected, got = theirs.fit_transform(HOUSING), mine.fit_transform(HOUSING)
    assert type(got) is type(expected)
    np.testing.assert_allclose(got, expected)
    np.testing.assert_allclose(mine.transform(HOUSING.iloc[::7]), theirs.transform(HOUSING.iloc[::7]))
    assert mine.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    assert mine.output_indices_ == theirs.output_indices_
    assert mine.sparse_output_ == theirs.sparse_output_
    assert [(n, c) for n, _, c in mine.transformers_] == [(n, c) for n, _, c in theirs.transformers_]
    np.testing.assert_allclose(
        mine.named_transformers_["num"]["imputer"].statistics_,
        theirs.named_transformers_["num"]["imputer"].statistics_,
    )


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"remainder": "passthrough"},
        {"remainder": "drop", "sparse_threshold": 0.9},
        {"remainder": "passthrough", "verbose_feature_names_out": False},
        {"transformer_weights": {"scale": 2.0}},
    ],
)
def test_column_transformer_parity(kwargs):
    pytest.importorskip("sklearn")
    import sklearn.compose
    import sklearn.preprocessing as skp

    frame = HOUSING.drop(columns="total_rooms")
    mine = ColumnTransformer(
        [
            ("scale", StandardScaler(), ["median_income", "latitude"]),
            ("cat", OneHotEncoder(), ["ocean_proximity"]),
        ],
        **kwargs,
    )
    theirs = sklearn.compose.ColumnTransformer(
        [
            ("scale", skp.StandardScaler(), ["median_income", "latitude"]),
            ("cat", skp.OneHotEncoder(), ["ocean_proximity"]),
        ],
        **kwargs,
    )
    got, expected = mine.fit_transform(frame), theirs.fit_transform(frame)
    assert sp.issparse(got) == sp.issparse(expected)
    np.testing.assert_allclose(_dense(got).astype(float), _dense(expected).astype(float))
    assert mine.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    assert mine.output_indices_ == theirs.output_indices_


@pytest.mark.parity
def test_transformed_target_regressor_parity():
    pytest.importorskip("sklearn")
    from sklearn.compose import TransformedTargetRegressor as SkTTR
    from sklearn.linear_model import LinearRegression
    from sklearn.preprocessing import QuantileTransformer as SkQT

    from ndflow.learn.preprocessing import QuantileTransformer

    X = RNG.rand(50, 3)
    y = np.exp(X @ [1.0, 2.0, 0.5]) + RNG.rand(50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for mine, theirs in [
            (
                TransformedTargetRegressor(LinearRegression(), func=np.log1p, inverse_func=np.expm1),
                SkTTR(LinearRegression(), func=np.log1p, inverse_func=np.expm1),
            ),
            (
                TransformedTargetRegressor(LinearRegression(), transformer=QuantileTransformer(n_quantiles=20)),
                SkTTR(LinearRegression(), transformer=SkQT(n_quantiles=20)),
            ),
        ]:
            np.testing.assert_allclose(mine.fit(X, y).predict(X), theirs.fit(X, y).predict(X), rtol=1e-8)


@pytest.mark.parity
@pytest.mark.parametrize(
    "make",
    [
        lambda c, p: c.ColumnTransformer([("s", p.StandardScaler(), ["a"])]).fit(ARRAY),
        lambda c, p: c.ColumnTransformer([("s", p.StandardScaler(), ["zz"])]).fit(HOUSING),
        lambda c, p: c.ColumnTransformer([("s", p.StandardScaler(), [0])]).fit(ARRAY).transform(ARRAY[:, :2]),
        lambda c, p: (
            c.ColumnTransformer([("s", p.StandardScaler(), ["latitude"])])
            .fit(HOUSING)
            .transform(HOUSING[["longitude"]])
        ),
        lambda c, p: (
            c.ColumnTransformer(
                [("a", p.StandardScaler(), [0]), ("b", p.StandardScaler(), [0])],
                verbose_feature_names_out=False,
            )
            .fit(HOUSING)
            .get_feature_names_out()
        ),
        lambda c, p: c.make_column_selector()(ARRAY),
        lambda c, p: c.TransformedTargetRegressor(LinearFit(), func=np.log).fit(ARRAY, ARRAY[:, 0]),
        lambda c, p: c.TransformedTargetRegressor(LinearFit(), inverse_func=np.exp).fit(ARRAY, ARRAY[:, 0]),
        lambda c, p: c.TransformedTargetRegressor(transformer=p.StandardScaler(), func=np.log).fit(ARRAY, ARRAY[:, 0]),
    ],
)
def test_compose_error_parity(make):
    pytest.importorskip("sklearn")
    import sklearn.compose
    import sklearn.preprocessing

    import ndflow.learn.compose
    import ndflow.learn.preprocessing

    with pytest.raises(Exception) as theirs:
        make(sklearn.compose, sklearn.preprocessing)
    with pytest.raises(type(theirs.value)) as mine:
        make(ndflow.learn.compose, ndflow.learn.preprocessing)
    assert str(mine.value) == str(theirs.value)
