"""scikit-learn's own estimator checks (``parametrize_with_checks``) on every estimator class of ndflow.learn.

The classes are discovered by walking the public ``ndflow.learn`` submodules, so an estimator added later is
checked without editing this file. Checks an estimator is known to fail are listed, with the reason, in
``EXPECTED_FAILURES`` (they run as non-strict xfails, so fixing one needs no edit here).
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import warnings

import pytest

pytest.importorskip("sklearn")
from sklearn.utils import get_tags  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

import ndflow.learn  # noqa: E402
from ndflow.learn.base import BaseEstimator  # noqa: E402

pytestmark = pytest.mark.parity


# These modules run scikit-learn's checks in their own test files (test_cluster_parity.py …).
CHECKED_IN_OWN_FILES = ("ndflow.learn.cluster", "ndflow.learn.mixture", "ndflow.learn.tree",
                        "ndflow.learn.ensemble", "ndflow.learn.decomposition", "ndflow.learn.manifold")


def _public_modules():
    for info in pkgutil.walk_packages(ndflow.learn.__path__, "ndflow.learn."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        if info.name.startswith(CHECKED_IN_OWN_FILES):
            continue
        try:
            yield importlib.import_module(info.name)
        except ModuleNotFoundError:  # an optional dependency or a submodule not written yet
            continue


def discover_estimator_classes() -> list[type]:
    """Every public class with ``fit`` derived from ndflow's ``BaseEstimator``, by name."""
    found = {}
    for module in _public_modules():
        for name, obj in vars(module).items():
            if (inspect.isclass(obj) and issubclass(obj, BaseEstimator) and hasattr(obj, "fit")
                    and not name.startswith("_") and obj.__module__.startswith("ndflow.learn")
                    and not obj.__module__.startswith(CHECKED_IN_OWN_FILES)
                    and not inspect.isabstract(obj)):
                found[obj.__name__] = obj
    return [found[name] for name in sorted(found)]


def _ndflow(module: str, name: str):
    """``ndflow.learn.<module>.<name>`` or None when it does not exist (yet)."""
    try:
        return getattr(importlib.import_module(f"ndflow.learn.{module}"), name)
    except (ModuleNotFoundError, AttributeError):
        return None


def _classifier():
    cls = _ndflow("linear_model", "LogisticRegression")
    return None if cls is None else cls()


def _regressor():
    cls = _ndflow("linear_model", "Ridge")
    return None if cls is None else cls()


def _scalers():
    standard, minmax = _ndflow("preprocessing", "StandardScaler"), _ndflow("preprocessing", "MinMaxScaler")
    return None if standard is None or minmax is None else (standard(), minmax())


# Instances for the classes whose constructor has required arguments (as scikit-learn's own test suite
# builds them). A builder returns None when an estimator it needs is not in ndflow (yet).
BUILDERS = {
    "Pipeline": lambda cls: None if _scalers() is None or _classifier() is None
    else cls([("scale", _scalers()[0]), ("clf", _classifier())]),
    "FeatureUnion": lambda cls: None if _scalers() is None
    else cls([("standard", _scalers()[0]), ("minmax", _scalers()[1])]),
    "ColumnTransformer": lambda cls: None if _scalers() is None
    else cls([("scale", _scalers()[0], [0])], remainder="passthrough"),
    "GridSearchCV": lambda cls: None if _regressor() is None else cls(_regressor(), {"alpha": [0.1, 1.0]}),
    "RandomizedSearchCV": lambda cls: None if _regressor() is None
    else cls(_regressor(), {"alpha": [0.1, 1.0]}, n_iter=2, random_state=0),
    "OneVsRestClassifier": lambda cls: None if _classifier() is None else cls(_classifier()),
    "OneVsOneClassifier": lambda cls: None if _classifier() is None else cls(_classifier()),
    "OutputCodeClassifier": lambda cls: None if _classifier() is None else cls(_classifier(), random_state=0),
}


def _fits_on_y_alone(cls: type) -> bool:
    params = [p for p in inspect.signature(cls.fit).parameters if p != "self"]
    return bool(params) and params[0] == "y"


def build_instances() -> tuple[list, dict[str, str]]:
    """Instances to check, and the reason each class that cannot be checked is left out."""
    instances, left_out = [], {}
    for cls in discover_estimator_classes():
        if _fits_on_y_alone(cls):
            left_out[cls.__name__] = "label transformer fitted on y alone; scikit-learn does not check these"
            continue
        required = [p.name for p in inspect.signature(cls.__init__).parameters.values()
                    if p.name != "self" and p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        builder = BUILDERS.get(cls.__name__) if required else (lambda c: c())
        instance = builder(cls) if builder is not None else None
        if instance is None:
            left_out[cls.__name__] = f"needs constructor arguments {required} that this test cannot build"
            continue
        instances.append(instance)
    return instances, left_out


INSTANCES, LEFT_OUT = build_instances()


def _tags_error(estimator) -> str | None:
    try:
        get_tags(estimator)
    except Exception as exc:  # reported by test_sklearn_tags_are_computable
        return f"{type(exc).__name__}: {exc}"
    return None


CHECKABLE = [e for e in INSTANCES if _tags_error(e) is None]
# Estimators whose full check run takes more than ~10 s on a loaded 2-core machine.
SLOW = {"ElasticNetCV", "LassoCV", "LinearSVC", "LinearSVR"}

# --- known failures, with the reason (the owner's fix in brackets) --------------------------------------

NAN = ("fit lets NaN/inf through while tags.input_tags.allow_nan is False [set the tag in __sklearn_tags__ "
       "when NaN is supported, and still reject inf]")
SPARSE = ("sparse X is neither accepted (tags.input_tags.sparse) nor rejected with check_array's 'Sparse data "
          "was passed' TypeError")
COLUMN_Y = ("no DataConversionWarning for a column-vector y [ravel it with validation.column_or_1d(y, "
            "warn=True), or add base.MultiOutputMixin where 2-D y is supported as in scikit-learn]")
WEIGHT_EQUIVALENCE = ("fitting with integer sample_weight is not equivalent to repeating samples "
                      "[weighted objective/intercept handling]")
MUTATES_PARAMS = "fit replaces the steps/transformer_list parameter with fitted clones [keep fitted ones apart]"
N_ITER = "n_iter_ is None for the closed-form solvers (scikit-learn leaves the attribute out, or sets 1)"

EXPECTED_FAILURES: dict[str, dict[str, str]] = {
    "ColumnTransformer": {"check_estimators_nan_inf": NAN},
    "FeatureUnion": {
        "check_dont_overwrite_parameters": MUTATES_PARAMS,
        "check_estimators_overwrite_params": MUTATES_PARAMS,
        "check_estimators_nan_inf": NAN,
    },
    "GridSearchCV": {
        "check_estimator_sparse_array": SPARSE,
        "check_estimator_sparse_matrix": SPARSE,
    },
    "LinearSVC": {"check_sample_weight_equivalence_on_dense_data": WEIGHT_EQUIVALENCE},
    "LinearSVR": {"check_sample_weight_equivalence_on_dense_data": WEIGHT_EQUIVALENCE},
    "Perceptron": {"check_sample_weight_equivalence_on_dense_data": WEIGHT_EQUIVALENCE},
    "Pipeline": {
        "check_dont_overwrite_parameters": MUTATES_PARAMS,
        "check_estimators_overwrite_params": MUTATES_PARAMS,
    },
    "RandomizedSearchCV": {
        "check_estimator_sparse_array": SPARSE,
        "check_estimator_sparse_matrix": SPARSE,
    },
    "Ridge": {"check_non_transformer_estimators_n_iter": N_ITER},
    "RidgeClassifier": {"check_non_transformer_estimators_n_iter": N_ITER},
    "SGDClassifier": {"check_sample_weight_equivalence_on_dense_data": WEIGHT_EQUIVALENCE},
    "SGDRegressor": {"check_sample_weight_equivalence_on_dense_data": WEIGHT_EQUIVALENCE},
    "SVC": {"check_sample_weight_equivalence_on_dense_data": WEIGHT_EQUIVALENCE},
    "SVR": {"check_sample_weight_equivalence_on_dense_data": WEIGHT_EQUIVALENCE},
    "TransformedTargetRegressor": {"check_supervised_y_2d": COLUMN_Y},
}


def expected_failures(estimator) -> dict[str, str]:
    return EXPECTED_FAILURES.get(type(estimator).__name__, {})


def test_discovery_finds_this_helpers_estimators():
    names = {type(e).__name__ for e in INSTANCES}
    assert {"NearestNeighbors", "KNeighborsClassifier", "KNeighborsRegressor", "RadiusNeighborsClassifier",
            "RadiusNeighborsRegressor"} <= names
    if _classifier() is not None:
        assert {"OneVsRestClassifier", "OneVsOneClassifier", "OutputCodeClassifier"} <= names
    assert all(reason for reason in LEFT_OUT.values())


@pytest.mark.parametrize("estimator", INSTANCES, ids=lambda e: type(e).__name__)
def test_sklearn_tags_are_computable(estimator):
    assert _tags_error(estimator) is None


def _with_checks(estimators: list):
    """``parametrize_with_checks`` without its warning that ndflow estimators do not derive from sklearn's."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Estimator .* does not inherit from `sklearn.base.BaseEstimator`")
        return parametrize_with_checks(estimators, expected_failed_checks=expected_failures)


@_with_checks([e for e in CHECKABLE if type(e).__name__ not in SLOW])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.mark.slow
@_with_checks([e for e in CHECKABLE if type(e).__name__ in SLOW])
def test_sklearn_estimator_checks_slow(estimator, check):
    check(estimator)
