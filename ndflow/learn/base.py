"""The estimator contract: ``BaseEstimator``, the mixins and ``clone``.

Hyper-parameters are the keyword arguments of ``__init__`` and are stored unchanged as attributes of the
same name; learned state is set in ``fit`` and ends with ``_``.
"""
from __future__ import annotations

import copy
import inspect
from collections import defaultdict
from typing import Any

import numpy as np

__all__ = [
    "BaseEstimator",
    "ClassifierMixin",
    "RegressorMixin",
    "TransformerMixin",
    "ClusterMixin",
    "OneToOneFeatureMixin",
    "ClassNamePrefixFeaturesOutMixin",
    "MetaEstimatorMixin",
    "MultiOutputMixin",
    "clone",
    "is_classifier",
    "is_regressor",
]


def clone(estimator: Any, *, safe: bool = True) -> Any:
    """Returns an unfitted copy of ``estimator`` with the same hyper-parameters (deep-copied).

    Raises:
        TypeError: ``estimator`` has no ``get_params`` and ``safe`` is true.
    """
    if isinstance(estimator, (list, tuple, set, frozenset)):
        return type(estimator)([clone(e, safe=safe) for e in estimator])
    if not hasattr(estimator, "get_params") or isinstance(estimator, type):
        if not safe:
            return copy.deepcopy(estimator)
        raise TypeError(
            f"Cannot clone object '{estimator!r}' (type {type(estimator)}): it does not seem to be a "
            "scikit-learn estimator as it does not implement a 'get_params' method."
        )
    cloned = {k: clone(v, safe=False) for k, v in estimator.get_params(deep=False).items()}
    new = type(estimator)(**cloned)
    stored = new.get_params(deep=False)
    for name in cloned:
        if stored[name] is not cloned[name]:
            raise RuntimeError(
                f"Cannot clone object {estimator}, as the constructor either does not set or modifies "
                f"parameter {name}"
            )
    if hasattr(estimator, "_output_container"):  # set_output() is configuration, kept like sklearn does
        new._output_container = estimator._output_container
    return new


class BaseEstimator:
    """Base class of all estimators: parameter access, ``repr`` and state for pickling."""

    @classmethod
    def _get_param_names(cls) -> list[str]:
        init = cls.__init__
        if init is object.__init__:
            return []
        params = [
            p for p in inspect.signature(init).parameters.values()
            if p.name != "self" and p.kind != p.VAR_KEYWORD
        ]
        for p in params:
            if p.kind == p.VAR_POSITIONAL:
                raise RuntimeError(
                    f"scikit-learn estimators should always specify their parameters in the signature of "
                    f"their __init__ (no varargs). {cls} doesn't follow this convention."
                )
        return sorted(p.name for p in params)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Returns the hyper-parameters; with ``deep``, also those of nested estimators as ``name__param``."""
        out: dict[str, Any] = {}
        for key in self._get_param_names():
            value = getattr(self, key)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{key}__{k}", v) for k, v in value.get_params().items())
            out[key] = value
        return out

    def set_params(self, **params: Any) -> BaseEstimator:
        """Sets hyper-parameters, ``name__param`` reaching into nested estimators.

        Raises:
            ValueError: a parameter name this estimator does not have.
        """
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested: dict[str, dict[str, Any]] = defaultdict(dict)
        for key, value in params.items():
            key, delim, sub_key = key.partition("__")
            if key not in valid:
                local_valid = self._get_param_names()
                raise ValueError(
                    f"Invalid parameter {key!r} for estimator {self}. "
                    f"Valid parameters are: {local_valid!r}."
                )
            if delim:
                nested[key][sub_key] = value
            else:
                setattr(self, key, value)
                valid[key] = value
        for key, sub_params in nested.items():
            valid[key].set_params(**sub_params)
        return self

    def __repr__(self) -> str:
        defaults = {
            name: p.default
            for name, p in inspect.signature(type(self).__init__).parameters.items()
            if p.default is not inspect.Parameter.empty
        }
        shown = []
        for name in self._get_param_names():
            value = getattr(self, name, None)
            if name in defaults and _same_default(value, defaults[name]):
                continue
            shown.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    def __getstate__(self) -> dict:
        return dict(self.__dict__)

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __sklearn_tags__(self):
        """Tags for scikit-learn's own tooling (``check_estimator``); needs scikit-learn installed."""
        from sklearn.utils import Tags, TargetTags

        tags = Tags(estimator_type=None, target_tags=TargetTags(required=False), transformer_tags=None,
                    regressor_tags=None, classifier_tags=None)
        for mixin_tags in _mixin_tag_hooks(self):
            mixin_tags(tags)
        return tags

    def __sklearn_is_fitted__(self) -> bool:
        return any(k.endswith("_") and not k.startswith("__") for k in vars(self))


def _same_default(value: Any, default: Any) -> bool:
    if value is default:
        return True
    if isinstance(value, np.ndarray) or isinstance(default, np.ndarray):
        return False
    if type(value) is not type(default):
        return False
    try:
        return bool(value == default)
    except Exception:
        return False


def _mixin_tag_hooks(estimator: Any):
    for klass in reversed(type(estimator).__mro__):
        hook = klass.__dict__.get("_update_sklearn_tags")
        if hook is not None:
            yield lambda tags, hook=hook: hook(estimator, tags)


class ClassifierMixin:
    """Mixin for classifiers: ``score`` is the mean accuracy."""

    _estimator_type = "classifier"

    def score(self, X, y, sample_weight=None) -> float:
        from .metrics import accuracy_score

        return accuracy_score(y, self.predict(X), sample_weight=sample_weight)

    def _update_sklearn_tags(self, tags) -> None:
        from sklearn.utils import ClassifierTags

        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        tags.target_tags.required = True


class RegressorMixin:
    """Mixin for regressors: ``score`` is the coefficient of determination R²."""

    _estimator_type = "regressor"

    def score(self, X, y, sample_weight=None) -> float:
        from .metrics import r2_score

        return r2_score(y, self.predict(X), sample_weight=sample_weight)

    def _update_sklearn_tags(self, tags) -> None:
        from sklearn.utils import RegressorTags

        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags()
        tags.target_tags.required = True


class TransformerMixin:
    """Mixin for transformers: ``fit_transform`` and ``set_output``."""

    def fit_transform(self, X, y=None, **fit_params):
        if y is None:
            return self.fit(X, **fit_params).transform(X)
        return self.fit(X, y, **fit_params).transform(X)

    def set_output(self, *, transform: str | None = None):
        """Chooses the container of ``transform``'s output: ``"default"`` (arrays) or ``"pandas"``."""
        if transform is not None:
            self._output_container = transform
        return self

    def _update_sklearn_tags(self, tags) -> None:
        from sklearn.utils import TransformerTags

        tags.transformer_tags = TransformerTags()


class ClusterMixin:
    """Mixin for clusterers: ``fit_predict`` returns ``labels_``."""

    _estimator_type = "clusterer"

    def fit_predict(self, X, y=None, **kwargs):
        self.fit(X, **kwargs)
        return self.labels_

    def _update_sklearn_tags(self, tags) -> None:
        tags.estimator_type = "clusterer"
        if tags.transformer_tags is not None:
            tags.transformer_tags.preserves_dtype = []


class MetaEstimatorMixin:
    """Mixin for estimators that wrap other estimators."""


class MultiOutputMixin:
    """Mixin for estimators that accept a 2-D ``y`` (several outputs) in ``fit``."""

    def _update_sklearn_tags(self, tags) -> None:
        tags.target_tags.multi_output = True


class OneToOneFeatureMixin:
    """``get_feature_names_out`` for transformers that keep one output column per input column."""

    def get_feature_names_out(self, input_features=None):
        from .utils.validation import _check_feature_names_in, check_is_fitted

        check_is_fitted(self, "n_features_in_")
        return _check_feature_names_in(self, input_features)


class ClassNamePrefixFeaturesOutMixin:
    """``get_feature_names_out`` as ``<classname><i>`` for transformers that make new features."""

    def get_feature_names_out(self, input_features=None):
        from .utils.validation import check_is_fitted

        check_is_fitted(self, "_n_features_out")
        prefix = type(self).__name__.lower()
        return np.asarray([f"{prefix}{i}" for i in range(self._n_features_out)], dtype=object)


def _estimator_kind(estimator: Any) -> str | None:
    """``_estimator_type``, or for estimators that only declare tags (scikit-learn >= 1.6) their tag."""
    kind = getattr(estimator, "_estimator_type", None)
    foreign = not isinstance(estimator, (BaseEstimator, type))  # ndflow's own tags would import sklearn
    if kind is None and foreign and hasattr(estimator, "__sklearn_tags__"):
        try:
            kind = estimator.__sklearn_tags__().estimator_type
        except Exception:  # tags of a third-party estimator that cannot be computed: unknown kind
            kind = None
    return kind


def is_classifier(estimator: Any) -> bool:
    """True when ``estimator`` is a classifier."""
    return _estimator_kind(estimator) == "classifier"


def is_regressor(estimator: Any) -> bool:
    """True when ``estimator`` is a regressor."""
    return _estimator_kind(estimator) == "regressor"
