"""Tests of ndflow.learn.utils.validation: conversions, checks and their messages (parity with
scikit-learn's)."""
import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from ndflow.learn.base import BaseEstimator, ClassifierMixin
from ndflow.learn.exceptions import DataConversionWarning, NotFittedError
from ndflow.learn.utils import validation as V


class Fitted(BaseEstimator):
    def fit(self, X, y=None):
        self.coef_ = 1
        return self


class Classifier(ClassifierMixin, BaseEstimator):
    def fit(self, X, y=None):
        return self


def test_check_array_conversions():
    np.testing.assert_array_equal(V.check_array([[1, 2], [3, 4]]), [[1, 2], [3, 4]])
    assert V.check_array([[1, 2]]).dtype.kind == "i"  # "numeric" keeps numeric dtypes
    assert V.check_array(np.array([[1, "2"]], dtype=object)).dtype == np.float64
    assert V.check_array([[1, 2]], dtype=np.float32).dtype == np.float32
    assert V.check_array(np.ones((1, 1), np.float32), dtype=[np.float64, np.float32]).dtype == np.float32
    assert V.check_array(np.ones((1, 1), int), dtype=[np.float64, np.float32]).dtype == np.float64
    X = np.ones((2, 2))
    assert V.check_array(X) is X and V.check_array(X, copy=True) is not X
    assert V.check_array([1, 2], ensure_2d=False).shape == (2,)
    assert V.check_array([[np.nan]], ensure_all_finite="allow-nan").shape == (1, 1)
    assert sp.issparse(V.check_array(sp.csr_matrix(X), accept_sparse="csr"))
    assert V.check_array(sp.csr_matrix(X), accept_sparse=["csc"]).format == "csc"


def test_check_array_errors():
    with pytest.raises(ValueError, match="Expected 2D array, got 1D array instead"):
        V.check_array([1, 2])
    with pytest.raises(ValueError, match="Expected 2D array, got scalar array instead"):
        V.check_array(3.0)
    with pytest.raises(ValueError, match="Found array with dim 3, while dim <= 2 is required."):
        V.check_array(np.ones((1, 1, 1)))
    with pytest.raises(ValueError, match="Input contains NaN."):
        V.check_array([[np.nan]])
    with pytest.raises(ValueError, match="Input X contains NaN.\nFitted does not accept missing values"):
        V.check_array([[np.nan]], estimator=Fitted(), input_name="X")
    with pytest.raises(ValueError, match="Input contains infinity"):
        V.check_array([[np.inf]], ensure_all_finite="allow-nan")
    with pytest.raises(ValueError, match="Complex data not supported"):
        V.check_array([[1 + 1j]])
    with pytest.raises(ValueError, match="Complex data not supported"):
        V.check_array(np.array([[1 + 1j]]), dtype=np.float64)
    with pytest.raises(ValueError, match="dtype='numeric' is not compatible with arrays of bytes/strings"):
        V.check_array([["a"]])
    with pytest.raises(ValueError, match="could not convert string to float"):
        V.check_array(np.array([["a"]], dtype=object))
    with pytest.raises(TypeError, match="argument must be a string or a real number"):
        V.check_array(np.array([[{}]], dtype=object))
    with pytest.raises(TypeError, match="Sparse data was passed for X, but dense data is required"):
        V.check_array(sp.csr_matrix(np.ones((2, 2))), input_name="X")
    with pytest.raises(ValueError, match=r"Found array with 0 sample\(s\) \(shape=\(0, 2\)\) while a minimum of 1"):
        V.check_array(np.empty((0, 2)))
    with pytest.raises(ValueError, match="Negative values in data passed to X"):
        V.check_array([[-1.0]], ensure_non_negative=True, input_name="X")


def test_check_X_y_and_column_or_1d():
    with pytest.warns(DataConversionWarning):
        X, y = V.check_X_y([[1], [2]], [[0], [1]])
    assert y.shape == (2,)
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[2, 3\]"):
        V.check_X_y([[1], [2]], [0, 1, 2])
    with pytest.raises(ValueError, match="estimator requires y to be passed, but the target y is None"):
        V.check_X_y([[1]], None)
    with pytest.raises(ValueError, match="Input y contains NaN"):
        V.check_X_y([[1]], [np.nan])
    with pytest.warns(DataConversionWarning, match="A column-vector y was passed"):
        np.testing.assert_array_equal(V.column_or_1d([[1], [2]], warn=True), [1, 2])
    with pytest.raises(ValueError, match=r"y should be a 1d array, got an array of shape \(2, 2\) instead"):
        V.column_or_1d(np.ones((2, 2)))


def test_validate_data_records_and_checks_features():
    est = Fitted()
    V.validate_data(est, np.ones((3, 2)))
    assert est.n_features_in_ == 2
    with pytest.raises(ValueError, match="X has 3 features, but Fitted is expecting 2 features as input"):
        V.validate_data(est, np.ones((3, 3)), reset=False)
    with pytest.raises(ValueError, match="This Classifier estimator requires y to be passed"):
        V.validate_data(Classifier(), np.ones((3, 2)), None)


def test_validate_data_feature_names():
    pd = pytest.importorskip("pandas")
    est = Fitted()
    V.validate_data(est, pd.DataFrame(np.ones((2, 2)), columns=["a", "b"]))
    np.testing.assert_array_equal(est.feature_names_in_, ["a", "b"])
    with pytest.raises(ValueError, match="Feature names unseen at fit time:\n- c\n"):
        V.validate_data(est, pd.DataFrame(np.ones((2, 2)), columns=["a", "c"]), reset=False)
    with pytest.warns(UserWarning, match="X does not have valid feature names, but Fitted was fitted with"):
        V.validate_data(est, np.ones((2, 2)), reset=False)


def test_check_is_fitted():
    with pytest.raises(NotFittedError, match="This Fitted instance is not fitted yet"):
        V.check_is_fitted(Fitted())
    V.check_is_fitted(Fitted().fit(None))
    with pytest.raises(NotFittedError):
        V.check_is_fitted(Fitted().fit(None), "other_")
    with pytest.raises(TypeError, match="is a class, not an instance"):
        V.check_is_fitted(Fitted)
    error = pytest.raises(NotFittedError, V.check_is_fitted, Fitted()).value
    assert isinstance(error, ValueError) and isinstance(error, AttributeError)


def test_random_state_scalar_and_sample_weight():
    assert V.check_random_state(3).randint(100) == np.random.RandomState(3).randint(100)
    rng = np.random.RandomState(0)
    assert V.check_random_state(rng) is rng
    with pytest.raises(ValueError, match="cannot be used to seed"):
        V.check_random_state("seed")
    assert V.check_scalar(3, "n", int, min_val=1) == 3
    with pytest.raises(ValueError, match="n == 0, must be >= 1."):
        V.check_scalar(0, "n", int, min_val=1)
    with pytest.raises(TypeError, match="n must be an instance of"):
        V.check_scalar(1.5, "n", int)
    X = np.ones((3, 2))
    np.testing.assert_array_equal(V._check_sample_weight(None, X), [1, 1, 1])
    np.testing.assert_array_equal(V._check_sample_weight(2, X), [2, 2, 2])
    with pytest.raises(ValueError, match="Sample weights must contain at least one non-zero number"):
        V._check_sample_weight([0, 0, 0], X)
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(2,\), expected \(3,\)!"):
        V._check_sample_weight([1, 2], X)
    with pytest.raises(ValueError, match="Negative values in data passed to `sample_weight`"):
        V._check_sample_weight([1, -1, 1], X, ensure_non_negative=True)


# --- parity with scikit-learn ---------------------------------------------------------------------------

ERROR_CASES = [
    ("check_array", ([1.0, 2.0],), {}),
    ("check_array", (3.0,), {}),
    ("check_array", (np.ones((1, 1, 1)),), {}),
    ("check_array", ([[np.nan, 1.0]],), {}),
    ("check_array", ([[np.inf]],), {"ensure_all_finite": "allow-nan"}),
    ("check_array", ([[1 + 2j]],), {}),
    ("check_array", ([["a", "b"]],), {}),
    ("check_array", (np.empty((0, 3)),), {}),
    ("check_array", (np.empty((2, 0)),), {}),
    ("check_array", (np.ones((1, 3)),), {"ensure_min_samples": 2}),
    ("check_array", (sp.csr_matrix(np.eye(2)),), {}),
    ("check_X_y", ([[1.0], [2.0]], [1, 2, 3]), {}),
    ("check_X_y", ([[1.0]], None), {}),
    ("check_X_y", ([[1.0]], [np.inf]), {}),
    ("column_or_1d", (np.ones((2, 3)),), {}),
    ("check_random_state", ("x",), {}),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,args,kwargs", ERROR_CASES)
def test_parity_error_types_and_messages(name, args, kwargs):
    sk_validation = pytest.importorskip("sklearn.utils.validation")
    with pytest.raises(Exception) as ours:
        getattr(V, name)(*args, **kwargs)
    with pytest.raises(Exception) as theirs:
        getattr(sk_validation, name)(*args, **kwargs)
    assert type(ours.value).__name__ == type(theirs.value).__name__
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parity
def test_parity_not_fitted_error_is_sklearns_when_sklearn_is_loaded():
    exceptions = pytest.importorskip("sklearn.exceptions")
    sk_validation = pytest.importorskip("sklearn.utils.validation")
    sk_base = pytest.importorskip("sklearn.base")
    with pytest.raises(exceptions.NotFittedError) as ours:
        V.check_is_fitted(Fitted())
    assert isinstance(ours.value, NotFittedError)

    class SkFitted(sk_base.BaseEstimator):
        def fit(self):
            return self

    with pytest.raises(exceptions.NotFittedError) as theirs:
        sk_validation.check_is_fitted(SkFitted())
    assert str(ours.value) == str(theirs.value).replace("SkFitted", "Fitted")
    restored = pickle.loads(pickle.dumps(ours.value))
    assert type(restored) is NotFittedError and restored.args == ours.value.args
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", exceptions.DataConversionWarning)
        V.column_or_1d([[1], [2]], warn=True)
    assert len(caught) == 1 and issubclass(caught[0].category, DataConversionWarning)


@pytest.mark.parity
def test_parity_feature_count_message():
    sk_validation = pytest.importorskip("sklearn.utils.validation")
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    theirs = preprocessing.StandardScaler().fit(np.ones((3, 2)))
    with pytest.raises(ValueError) as theirs_error:
        sk_validation.validate_data(theirs, np.ones((3, 3)), reset=False)
    ours = Fitted()
    V.validate_data(ours, np.ones((3, 2)))
    with pytest.raises(ValueError) as ours_error:
        V.validate_data(ours, np.ones((3, 3)), reset=False)
    assert str(ours_error.value) == str(theirs_error.value).replace("StandardScaler", "Fitted")
