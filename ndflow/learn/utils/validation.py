"""Input validation at the estimator boundary, with scikit-learn's checks and messages."""
from __future__ import annotations

import functools
import numbers
import sys
import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..exceptions import DataConversionWarning, NotFittedError

_ComplexWarning = getattr(np, "exceptions", np).ComplexWarning

__all__ = [
    "check_array",
    "check_X_y",
    "check_consistent_length",
    "check_is_fitted",
    "check_random_state",
    "column_or_1d",
    "validate_data",
    "check_scalar",
    "indexable",
    "_num_samples",
    "_check_feature_names_in",
    "_check_sample_weight",
]


@functools.cache
def _bridged(ours: type, theirs: type) -> type:
    def reduce(self):  # pickles (e.g. from joblib workers) as ndflow's own class
        return ours, self.args

    return type(ours.__name__, (ours, theirs), {"__module__": ours.__module__, "__doc__": ours.__doc__,
                                                 "__reduce__": reduce})


def _interoperable(ours: type) -> type:
    """``ours``, or -- when scikit-learn is already loaded -- a subclass of both it and scikit-learn's class
    of the same name, so that sklearn's tools (``check_estimator``, its meta-estimators) recognise it.

    scikit-learn is never imported here; only an already imported ``sklearn.exceptions`` is used.
    """
    theirs = getattr(sys.modules.get("sklearn.exceptions"), ours.__name__, None)
    return ours if theirs is None else _bridged(ours, theirs)


def _num_samples(x: Any) -> int:
    if not hasattr(x, "shape") and not hasattr(x, "__len__") and hasattr(x, "__array__"):
        x = np.asarray(x)
    if hasattr(x, "shape") and x.shape is not None and len(x.shape) > 0:
        return int(x.shape[0])
    if hasattr(x, "__len__") and not isinstance(x, str):
        return len(x)
    raise TypeError(f"Expected sequence or array-like, got {type(x)}")


def check_consistent_length(*arrays: Any) -> None:
    """Raises ValueError unless all non-None ``arrays`` have the same number of samples."""
    lengths = [_num_samples(x) for x in arrays if x is not None]
    if len(set(lengths)) > 1:
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: %r" % [int(n) for n in lengths]
        )


def indexable(*iterables: Any) -> list:
    """Makes each iterable indexable (lists stay lists) after checking consistent lengths."""
    out = [x if x is None or sp.issparse(x) or hasattr(x, "__getitem__") else np.asarray(x)
           for x in iterables]
    check_consistent_length(*out)
    return out


def _is_pandas_df(x: Any) -> bool:
    return type(x).__module__.startswith("pandas") and type(x).__name__ == "DataFrame"


def _get_feature_names(X: Any) -> np.ndarray | None:
    if not _is_pandas_df(X):
        return None
    names = np.asarray(X.columns, dtype=object)
    if len(names) == 0:
        return None
    kinds = {type(n) for n in names}
    if all(issubclass(k, str) for k in kinds):
        return names
    if any(issubclass(k, str) for k in kinds):
        raise TypeError(
            "Feature names are only supported if all input features have string names, but your input "
            f"has {sorted(k.__name__ for k in kinds)} as feature name / column name types. If you want "
            "feature names to be stored and validated, you must convert them all to strings, by using "
            "X.columns = X.columns.astype(str) for example. Otherwise you can remove feature / column "
            "names from your input data, or convert them all to a non-string data type."
        )
    return None


def check_array(
    array: Any,
    accept_sparse: bool | str | list | tuple = False,
    *,
    dtype: Any = "numeric",
    order: str | None = None,
    copy: bool = False,
    ensure_all_finite: bool | str = True,
    ensure_2d: bool = True,
    allow_nd: bool = False,
    ensure_min_samples: int = 1,
    ensure_min_features: int = 1,
    ensure_non_negative: bool = False,
    estimator: Any = None,
    input_name: str = "",
    accept_large_sparse: bool = True,
    force_all_finite: bool | str | None = None,
) -> Any:
    """Converts ``array`` to a validated NumPy array (or accepted sparse matrix).

    Args:
        dtype: ``"numeric"`` keeps numeric dtypes and converts objects to float64; a dtype or list of
            dtypes converts unless the input already has one of them; None keeps the dtype.
        ensure_all_finite: True rejects NaN and inf; ``"allow-nan"`` rejects only inf.
        ensure_non_negative: reject negative values.

    Raises:
        ValueError: wrong dimensionality, too few samples/features, NaN or infinity, non-numeric strings.
        TypeError: a sparse matrix where none is accepted.
    """
    if force_all_finite is not None:
        ensure_all_finite = force_all_finite
    est_name = None if estimator is None else estimator if isinstance(estimator, str) else type(estimator).__name__
    context = f" by {est_name}" if estimator is not None else ""

    if sp.issparse(array):
        return _check_sparse(array, accept_sparse, dtype, copy, ensure_all_finite, est_name, input_name)

    dtype_numeric = isinstance(dtype, str) and dtype == "numeric"
    wanted = dtype
    if isinstance(dtype, (list, tuple)):
        orig = getattr(array, "dtype", None)
        wanted = None if orig is not None and orig in dtype else dtype[0]
    if _is_pandas_df(array):
        if dtype_numeric and all(getattr(d, "kind", "O") in "biuf" for d in array.dtypes):
            array = array.to_numpy()
        else:
            array = array.to_numpy(dtype=None if dtype_numeric else wanted)
    if dtype_numeric and getattr(array, "dtype", None) is not None and array.dtype.kind == "O":
        wanted, dtype_numeric = np.float64, False  # numpy's conversion errors are the messages users see
    try:
        with warnings.catch_warnings():
            # casting complex numbers to a real dtype only warns in NumPy; here it is an error
            warnings.simplefilter("error", _ComplexWarning)
            arr = np.asarray(array, dtype=None if dtype_numeric else wanted, order=order)
    except _ComplexWarning:
        raise ValueError(f"Complex data not supported\n{array}\n") from None
    if np.iscomplexobj(arr):
        raise ValueError(f"Complex data not supported\n{arr}\n")
    if dtype_numeric and arr.dtype.kind == "O":
        arr = arr.astype(np.float64)

    if ensure_2d and arr.ndim < 2:
        kind = "scalar" if arr.ndim == 0 else "1D"
        raise ValueError(
            f"Expected 2D array, got {kind} array instead:\narray={arr}.\n"
            "Reshape your data either using array.reshape(-1, 1) if your data has a single feature "
            "or array.reshape(1, -1) if it contains a single sample."
        )
    if dtype_numeric and arr.dtype.kind in "USV":
        raise ValueError("dtype='numeric' is not compatible with arrays of bytes/strings."
                         "Convert your data to numeric values explicitly instead.")
    if not allow_nd and arr.ndim >= 3:
        raise ValueError(f"Found array with dim {arr.ndim}, while dim <= 2 is required{context}.")
    if ensure_all_finite and arr.dtype.kind in "fc":
        _assert_all_finite(arr, allow_nan=ensure_all_finite == "allow-nan", estimator_name=est_name,
                           input_name=input_name)
    if ensure_min_samples > 0 and arr.ndim >= 1:
        n = arr.shape[0]
        if n < ensure_min_samples:
            raise ValueError(
                f"Found array with {n} sample(s) (shape={arr.shape}) while a minimum of "
                f"{ensure_min_samples} is required{context}."
            )
    if ensure_min_features > 0 and arr.ndim == 2:
        n = arr.shape[1]
        if n < ensure_min_features:
            raise ValueError(
                f"Found array with {n} feature(s) (shape={arr.shape}) while a minimum of "
                f"{ensure_min_features} is required{context}."
            )
    if ensure_non_negative:
        whom = input_name + (f" in {est_name}" if est_name else "")
        _check_non_negative(arr, whom)
    if copy and np.may_share_memory(arr, array):
        arr = arr.copy(order=order or "K")
    return arr


def _check_non_negative(X: Any, whom: str) -> None:
    values = X.data if sp.issparse(X) else X
    if values.size and np.nanmin(values) < 0:
        raise ValueError(f"Negative values in data passed to {whom}.")


def _check_sparse(array, accept_sparse, dtype, copy, ensure_all_finite, estimator_name, input_name):
    if accept_sparse is False or accept_sparse is None:
        padded_input = f" for {input_name}" if input_name else ""
        raise TypeError(
            f"Sparse data was passed{padded_input}, but dense data is required. Use '.toarray()' to convert "
            "to a dense numpy array."
        )
    if isinstance(accept_sparse, str):
        accept_sparse = [accept_sparse]
    if isinstance(accept_sparse, (list, tuple)) and array.format not in accept_sparse:
        array = array.asformat(accept_sparse[0])
    if dtype is not None and not (isinstance(dtype, str) and dtype == "numeric"):
        target = dtype[0] if isinstance(dtype, (list, tuple)) and array.dtype not in dtype else dtype
        if not isinstance(target, (list, tuple)):
            array = array.astype(target)
    elif copy:
        array = array.copy()
    if ensure_all_finite and array.dtype.kind in "fc":
        # lil and dok matrices have no flat ``.data`` array of values
        values = array.data if array.format in ("csr", "csc", "coo", "bsr", "dia") else array.tocsr().data
        _assert_all_finite(values, allow_nan=ensure_all_finite == "allow-nan", estimator_name=estimator_name,
                           input_name=input_name)
    return array


def _assert_all_finite(arr: np.ndarray, *, allow_nan: bool = False, estimator_name: str | None = None,
                       input_name: str = "") -> None:
    if arr.size == 0 or np.isfinite(np.sum(arr)):
        return
    has_nan_error = not allow_nan and bool(np.isnan(arr).any())
    if not (has_nan_error or np.isinf(arr).any()):
        return
    what = "NaN" if has_nan_error else f"infinity or a value too large for {arr.dtype!r}"
    padded_input_name = f"{input_name} " if input_name else ""
    msg = f"Input {padded_input_name}contains {what}."
    if estimator_name and input_name == "X" and has_nan_error:
        msg += (
            f"\n{estimator_name} does not accept missing values encoded as NaN natively. For supervised "
            "learning, you might want to consider sklearn.ensemble.HistGradientBoostingClassifier and "
            "Regressor which accept missing values encoded as NaNs natively. Alternatively, it is possible to "
            "preprocess the data, for instance by using an imputer transformer in a pipeline or drop samples "
            "with missing values. See https://scikit-learn.org/stable/modules/impute.html You can find a list "
            "of all estimators that handle NaN values at the following page: "
            "https://scikit-learn.org/stable/modules/impute.html#estimators-that-handle-nan-values"
        )
    raise ValueError(msg)


def column_or_1d(y: Any, *, dtype: Any = None, warn: bool = False) -> np.ndarray:
    """Ravels a column vector ``(n, 1)`` or 1-D array to 1-D.

    Raises:
        ValueError: any other shape.
    """
    arr = np.asarray(y, dtype=dtype)
    if arr.ndim == 1:
        return arr
    if arr.ndim == 2 and arr.shape[1] == 1:
        if warn:
            import warnings

            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. Please change the shape of "
                "y to (n_samples, ), for example using ravel().",
                _interoperable(DataConversionWarning),
                stacklevel=2,
            )
        return arr.ravel()
    raise ValueError(
        f"y should be a 1d array, got an array of shape {arr.shape} instead."
    )


def check_X_y(
    X: Any,
    y: Any,
    accept_sparse: bool | str | list | tuple = False,
    *,
    dtype: Any = "numeric",
    order: str | None = None,
    copy: bool = False,
    ensure_all_finite: bool | str = True,
    ensure_2d: bool = True,
    allow_nd: bool = False,
    multi_output: bool = False,
    ensure_min_samples: int = 1,
    ensure_min_features: int = 1,
    y_numeric: bool = False,
    estimator: Any = None,
) -> tuple[Any, np.ndarray]:
    """Validates ``X`` with ``check_array`` and ``y`` as a target of the same length.

    Raises:
        ValueError: ``y`` is None, has NaN/inf, the wrong shape, or a different length than ``X``.
    """
    if y is None:
        name = type(estimator).__name__ if estimator is not None else "estimator"
        raise ValueError(f"{name} requires y to be passed, but the target y is None")
    X = check_array(X, accept_sparse, dtype=dtype, order=order, copy=copy,
                    ensure_all_finite=ensure_all_finite, ensure_2d=ensure_2d, allow_nd=allow_nd,
                    ensure_min_samples=ensure_min_samples, ensure_min_features=ensure_min_features,
                    estimator=estimator, input_name="X")
    y = _check_y(y, multi_output=multi_output, y_numeric=y_numeric, estimator=estimator)
    check_consistent_length(X, y)
    return X, y


def _check_y(y: Any, multi_output: bool = False, y_numeric: bool = False, estimator: Any = None):
    if multi_output:
        y = check_array(y, accept_sparse="csr", ensure_all_finite=True, ensure_2d=False, dtype=None,
                        input_name="y", estimator=estimator)
    else:
        y = column_or_1d(y, warn=True)
        if y.dtype.kind in "fc":
            _assert_all_finite(y, input_name="y")
    if y_numeric and getattr(y, "dtype", None) is not None and y.dtype.kind == "O":
        y = y.astype(np.float64)
    return y


def validate_data(
    estimator: Any,
    X: Any = "no_validation",
    y: Any = "no_validation",
    reset: bool = True,
    validate_separately: Any = False,
    skip_check_array: bool = False,
    **check_params: Any,
):
    """Validates ``X`` (and ``y``) and records or checks ``n_features_in_`` and ``feature_names_in_``.

    With ``reset`` (in ``fit``) the feature count and names are stored; otherwise (``predict``,
    ``transform``) they are compared with what ``fit`` saw.

    Raises:
        ValueError: a feature-count or feature-name mismatch, or whatever ``check_array`` raises.
    """
    _check_feature_names(estimator, X, reset=reset)
    no_X = isinstance(X, str) and X == "no_validation"
    no_y = y is None or (isinstance(y, str) and y == "no_validation")
    if y is None and reset and getattr(estimator, "_estimator_type", None) in ("classifier", "regressor"):
        raise ValueError(f"This {type(estimator).__name__} estimator requires y to be passed, but the "
                         "target y is None.")
    if no_X and no_y:
        raise ValueError("Validation should be done on X, y or both.")
    if skip_check_array:
        out = X if no_y else (X, y)
    elif not no_X and no_y:
        out = check_array(X, estimator=estimator, input_name="X", **check_params)
    elif no_X and not no_y:
        out = _check_y(y, estimator=estimator, **check_params)
    else:
        if validate_separately:
            x_params, y_params = validate_separately
            X = check_array(X, estimator=estimator, input_name="X", **x_params)
            y = check_array(y, estimator=estimator, input_name="y", **y_params)
            check_consistent_length(X, y)
        else:
            X, y = check_X_y(X, y, estimator=estimator, **check_params)
        out = (X, y)
    if not no_X and check_params.get("ensure_2d", True):
        _check_n_features(estimator, out[0] if isinstance(out, tuple) else out, reset=reset)
    return out


def _check_n_features(estimator: Any, X: Any, reset: bool) -> None:
    n_features = X.shape[1] if hasattr(X, "shape") and len(X.shape) > 1 else None
    if n_features is None:
        return
    if reset:
        estimator.n_features_in_ = n_features
        return
    if not hasattr(estimator, "n_features_in_"):
        return
    if n_features != estimator.n_features_in_:
        raise ValueError(
            f"X has {n_features} features, but {type(estimator).__name__} is expecting "
            f"{estimator.n_features_in_} features as input."
        )


def _check_feature_names(estimator: Any, X: Any, *, reset: bool) -> None:
    import warnings

    names = _get_feature_names(X)
    if reset:
        if names is not None:
            estimator.feature_names_in_ = names
        elif hasattr(estimator, "feature_names_in_"):
            delattr(estimator, "feature_names_in_")
        return
    fitted = getattr(estimator, "feature_names_in_", None)
    if fitted is None and names is None:
        return
    name = type(estimator).__name__
    if names is not None and fitted is None:
        warnings.warn(f"X has feature names, but {name} was fitted without feature names", UserWarning,
                      stacklevel=3)
        return
    if names is None and fitted is not None:
        warnings.warn(f"X does not have valid feature names, but {name} was fitted with feature names",
                      UserWarning, stacklevel=3)
        return
    if len(fitted) != len(names) or np.any(fitted != names):
        unexpected = sorted(set(names) - set(fitted))
        missing = sorted(set(fitted) - set(names))
        msg = "The feature names should match those that were passed during fit.\n"
        if unexpected:
            msg += "Feature names unseen at fit time:\n" + "".join(f"- {n}\n" for n in unexpected)
        if missing:
            msg += "Feature names seen at fit time, yet now missing:\n" + "".join(f"- {n}\n" for n in missing)
        if not unexpected and not missing:
            msg += "Feature names must be in the same order as they were in fit.\n"
        raise ValueError(msg)


def _check_feature_names_in(estimator: Any, input_features: Any = None, *, generate_names: bool = True):
    fitted = getattr(estimator, "feature_names_in_", None)
    n_in = getattr(estimator, "n_features_in_", None)
    if input_features is not None:
        input_features = np.asarray(input_features, dtype=object)
        if fitted is not None and not np.array_equal(fitted, input_features):
            raise ValueError("input_features is not equal to feature_names_in_")
        if n_in is not None and len(input_features) != n_in:
            raise ValueError(
                f"input_features should have length equal to number of features ({n_in}), got "
                f"{len(input_features)}"
            )
        return input_features
    if fitted is not None:
        return fitted
    if not generate_names:
        return None
    if n_in is None:
        raise ValueError("Unable to generate feature names without n_features_in_")
    return np.asarray([f"x{i}" for i in range(n_in)], dtype=object)


def check_is_fitted(estimator: Any, attributes: Any = None, *, msg: str | None = None,
                    all_or_any: Any = all) -> None:
    """Raises ``NotFittedError`` unless ``estimator`` has been fitted.

    Raises:
        TypeError: ``estimator`` is a class or has no ``fit``.
        NotFittedError: not fitted yet.
    """
    if isinstance(estimator, type):
        raise TypeError(f"{estimator} is a class, not an instance.")
    if msg is None:
        msg = (
            "This %(name)s instance is not fitted yet. Call 'fit' with appropriate arguments before "
            "using this estimator."
        )
    if not hasattr(estimator, "fit"):
        raise TypeError(f"{estimator} is not an estimator instance.")
    if attributes is not None:
        if isinstance(attributes, str):
            attributes = [attributes]
        fitted = all_or_any(hasattr(estimator, a) for a in attributes)
    elif hasattr(estimator, "__sklearn_is_fitted__"):
        fitted = estimator.__sklearn_is_fitted__()
    else:
        fitted = any(k.endswith("_") and not k.startswith("__") for k in vars(estimator))
    if not fitted:
        raise _interoperable(NotFittedError)(msg % {"name": type(estimator).__name__})


def check_random_state(seed: Any) -> np.random.RandomState:
    """Turns ``seed`` (None, int or RandomState) into a ``numpy.random.RandomState``.

    Raises:
        ValueError: anything else.
    """
    if seed is None or seed is np.random:
        return np.random.mtrand._rand
    if isinstance(seed, numbers.Integral):
        return np.random.RandomState(int(seed))
    if isinstance(seed, np.random.RandomState):
        return seed
    raise ValueError(f"{seed!r} cannot be used to seed a numpy.random.RandomState instance")


def check_scalar(x: Any, name: str, target_type: Any, *, min_val: Any = None, max_val: Any = None,
                 include_boundaries: str = "both") -> Any:
    """Checks a scalar hyper-parameter's type and range.

    Raises:
        TypeError: wrong type.
        ValueError: out of range.
    """
    if not isinstance(x, target_type):
        raise TypeError(f"{name} must be an instance of {target_type}, not {type(x).__name__}.")
    low_incl = include_boundaries in ("left", "both")
    high_incl = include_boundaries in ("right", "both")
    if min_val is not None and (x < min_val or (x == min_val and not low_incl)):
        raise ValueError(f"{name} == {x}, must be {'>=' if low_incl else '>'} {min_val}.")
    if max_val is not None and (x > max_val or (x == max_val and not high_incl)):
        raise ValueError(f"{name} == {x}, must be {'<=' if high_incl else '<'} {max_val}.")
    return x


def _check_sample_weight(sample_weight: Any, X: Any, *, dtype: Any = None, force_float_dtype: bool = True,
                         ensure_non_negative: bool = False, ensure_same_device: bool = True,
                         copy: bool = False, allow_all_zero_weights: bool = False) -> np.ndarray:
    """Returns ``sample_weight`` as a 1-D float array of length ``n_samples`` (ones when None).

    Raises:
        ValueError: wrong shape, all weights zero (unless ``allow_all_zero_weights``), or, with
            ``ensure_non_negative``, negative weights.
    """
    n = _num_samples(X)
    if force_float_dtype and dtype is not None and dtype not in (np.float32, np.float64):
        dtype = np.float64
    if sample_weight is None:
        sw = np.ones(n, dtype=dtype or np.float64)
    elif isinstance(sample_weight, numbers.Number):
        sw = np.full(n, sample_weight, dtype=dtype or np.float64)
    else:
        if force_float_dtype and dtype is None:
            dtype = [np.float64, np.float32]
        sw = check_array(sample_weight, ensure_2d=False, dtype=dtype, order="C", copy=copy,
                         input_name="sample_weight")
        if sw.ndim != 1:
            raise ValueError(f"Sample weights must be 1D array or scalar, got {sw.ndim}D array. Expected "
                             f"either a scalar value or a 1D array of length {n}.")
        if sw.shape != (n,):
            raise ValueError(f"sample_weight.shape == {sw.shape}, expected {(n,)}!")
    if not allow_all_zero_weights and np.all(sw == 0):
        raise ValueError("Sample weights must contain at least one non-zero number.")
    if ensure_non_negative:
        _check_non_negative(sw, "`sample_weight`")
    return sw

