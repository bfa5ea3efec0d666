"""``HistGradientBoostingClassifier`` / ``HistGradientBoostingRegressor``: Newton boosting on binned features.

Features are binned once into at most ``max_bins`` quantile bins (plus a bin for NaN); each iteration fits
one tree per output to the gradients and hessians of the loss with best-first growth on histograms, and
adds its shrunk leaf values to the raw predictions. The random state is consumed like scikit-learn's so the
same ``random_state`` gives the same validation split and bin subsample.
"""
from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from ...base import BaseEstimator, ClassifierMixin, RegressorMixin, is_classifier
from ...model_selection import train_test_split
from ...preprocessing._utils import InvalidParameterError
from ...tree._classes import _invalid, _is_int, _is_real, compute_sample_weight
from ...utils.multiclass import check_classification_targets
from ...utils.validation import (
    _check_sample_weight,
    _check_y,
    check_array,
    check_consistent_length,
    check_is_fitted,
    check_random_state,
    validate_data,
)
from .._forest import _forest_init
from .binning import BinMapper
from .categorical import CategoricalEncoder, check_categorical_features
from .grower import TreeGrower
from .histogram import HistogramBuilder
from .losses import Loss, make_loss

__all__ = ["HistGradientBoostingClassifier", "HistGradientBoostingRegressor"]

_SMALL_TRAINSET = 10_000


class BaseHistGradientBoosting(BaseEstimator):
    """Shared fitting loop, early stopping, warm start and prediction of the two estimators."""

    _LOSSES: tuple = ()

    def _check_params(self) -> None:
        def bad(param: str, expected: str) -> InvalidParameterError:
            return _invalid(self, param, expected, getattr(self, param))

        def check_int(param: str, low: int, high: int | None = None, allow_none: bool = False) -> None:
            value = getattr(self, param)
            if value is None and allow_none:
                return
            if not _is_int(value) or value < low or (high is not None and value > high):
                upper = "inf)" if high is None else f"{high}]"
                raise bad(param, f"an int in the range [{low}, {upper}" + (" or None" if allow_none else ""))

        if not isinstance(self.loss, str) or self.loss not in self._LOSSES:
            raise bad("loss", f"a str among {set(self._LOSSES)}")
        if not _is_real(self.learning_rate) or self.learning_rate <= 0:
            raise bad("learning_rate", "a float in the range (0.0, inf)")
        check_int("max_iter", 1)
        check_int("max_leaf_nodes", 2, allow_none=True)
        check_int("max_depth", 1, allow_none=True)
        check_int("min_samples_leaf", 1)
        if not _is_real(self.l2_regularization) or self.l2_regularization < 0:
            raise bad("l2_regularization", "a float in the range [0.0, inf)")
        if not _is_real(self.max_features) or _is_int(self.max_features) or not 0 < self.max_features <= 1:
            raise bad("max_features", "a float in the range (0.0, 1.0]")
        check_int("max_bins", 2, 255)
        check_int("n_iter_no_change", 1)
        if not _is_real(self.tol) or self.tol < 0:
            raise bad("tol", "a float in the range [0.0, inf)")
        vf = self.validation_fraction
        if not (vf is None or (_is_int(vf) and vf >= 1) or (_is_real(vf) and not _is_int(vf) and 0 < vf < 1)):
            raise bad("validation_fraction", "a float in the range (0.0, 1.0), an int in the range [1, inf) or None")
        if not (isinstance(self.early_stopping, bool) or self.early_stopping == "auto"):
            raise bad("early_stopping", "a str among {'auto'} or an instance of 'bool'")
        if not isinstance(self.warm_start, (bool, np.bool_)):
            raise bad("warm_start", "an instance of 'bool'")
        if not (self.scoring is None or isinstance(self.scoring, str) or callable(self.scoring)):
            raise bad("scoring", "an instance of 'str', a callable or None")
        if hasattr(self, "quantile"):
            q = self.quantile
            if q is not None and (not _is_real(q) or not 0 <= q <= 1):
                raise bad("quantile", "a float in the range [0.0, 1.0] or None")
            if self.loss == "quantile":
                if q is None:
                    raise TypeError("quantile must be an instance of float, not NoneType.")
                if q in (0, 1):
                    raise ValueError(f"quantile == {float(q)}, must be {'> 0' if q == 0 else '< 1'}.")
        ic = self.interaction_cst
        if not (ic is None or isinstance(ic, (list, tuple)) or (isinstance(ic, str) and ic in (
                "pairwise", "no_interactions"))):
            raise bad("interaction_cst", "an instance of 'list', an instance of 'tuple', a str among "
                      "{'no_interactions', 'pairwise'} or None")

    def _monotonic_constraints(self) -> np.ndarray | None:
        """``monotonic_cst`` as one int8 per feature (None when unconstrained)."""
        cst = self.monotonic_cst
        if cst is None:
            return None
        name = type(self).__name__
        if isinstance(cst, dict):
            if not hasattr(self, "feature_names_in_"):
                raise ValueError(f"{name} was not fitted on data with feature names. Pass monotonic_cst as an "
                                 "integer array instead.")
            unexpected = sorted(set(cst) - set(self.feature_names_in_))
            if unexpected:
                shown = unexpected[:5] + (["..."] if len(unexpected) > 5 else [])
                raise ValueError(f"monotonic_cst contains {len(unexpected)} unexpected feature names: {shown}.")
            values = np.zeros(self.n_features_in_, dtype=np.int8)
            for i, feature in enumerate(self.feature_names_in_):
                if feature in cst:
                    if cst[feature] not in (-1, 0, 1):
                        raise ValueError(f"monotonic_cst['{feature}'] must be either -1, 0 or 1. Got {cst[feature]!r}.")
                    values[i] = cst[feature]
        else:
            unexpected = np.setdiff1d(cst, [-1, 0, 1])
            if unexpected.shape[0]:
                raise ValueError(f"monotonic_cst must be an array-like of -1, 0 or 1. Observed values: "
                                 f"{unexpected.tolist()}.")
            values = np.asarray(cst, dtype=np.int8)
            if values.shape[0] != self.n_features_in_:
                raise ValueError(f"monotonic_cst has shape {values.shape} but the input data X has "
                                 f"{self.n_features_in_} features.")
        if self.n_trees_per_iteration_ != 1:
            raise ValueError("monotonic constraints are not supported for multiclass classification.")
        if self.is_categorical_ is not None:
            if np.any(values[self.is_categorical_]):
                raise ValueError("Categorical features cannot have monotonic constraints.")
            values = np.concatenate([values[self.is_categorical_], values[~self.is_categorical_]])
        return values if np.any(values) else None

    def _internal_categorical(self) -> np.ndarray | None:
        """Categorical mask in the internal feature order (categorical features first)."""
        if self.is_categorical_ is None:
            return None
        n_categorical = int(self.is_categorical_.sum())
        return np.arange(self.is_categorical_.size) < n_categorical

    def _interaction_constraints(self, n_features: int) -> list[set] | None:
        """``interaction_cst`` as a list of feature sets, the features of no group forming one more group."""
        cst = self.interaction_cst
        if cst is None:
            return None
        if isinstance(cst, str):
            groups = [[i] for i in range(n_features)] if cst == "no_interactions" else \
                itertools.combinations(range(n_features), 2)
        else:
            groups = cst
        try:
            constraints = [set(group) for group in groups]
        except TypeError:
            raise ValueError(f"Interaction constraints must be a sequence of tuples or lists, got: {cst!r}.") from None
        for group in constraints:
            if not all(_is_int(i) and 0 <= i < n_features for i in group):
                raise ValueError("Interaction constraints must consist of integer indices in [0, n_features - 1] = "
                                 f"[0, {n_features - 1}], specifying the position of features, got invalid indices: "
                                 f"{group!r}")
        rest = set(range(n_features)) - set().union(*constraints)
        if rest:
            constraints.append(rest)
        return constraints

    def _validate_X(self, X: Any, reset: bool) -> np.ndarray:
        """Validated float features; with categorical features, their codes first, then the numeric ones."""
        if reset:
            if isinstance(self.categorical_features, str) and self.categorical_features != "from_dtype":
                raise _invalid(self, "categorical_features", "an array-like, a str among {'from_dtype'} or None",
                               self.categorical_features)
            self.is_categorical_ = check_categorical_features(X, self.categorical_features)
            self._encoder = None
        if self.is_categorical_ is None:
            return validate_data(self, X, reset=reset, dtype=[np.float64], ensure_all_finite=False)
        X = validate_data(self, X, reset=reset, dtype=None, ensure_all_finite=False)
        columns = [X[:, j] for j in np.flatnonzero(self.is_categorical_)]
        if reset:
            self._encoder = CategoricalEncoder().fit(columns)
            for j, categories in zip(np.flatnonzero(self.is_categorical_), self._encoder.categories_):
                if categories.size > self.max_bins:
                    names = getattr(self, "feature_names_in_", None)
                    where = repr(names[j]) if names is not None else f"at index {j}"
                    raise ValueError(f"Categorical feature {where} is expected to have a cardinality <= "
                                     f"{self.max_bins} but actually has a cardinality of {categories.size}.")
        numeric = check_array(X[:, ~self.is_categorical_], dtype=np.float64, ensure_all_finite=False,
                              ensure_min_features=0, estimator=self)
        return np.hstack([self._encoder.transform(columns), numeric])

    def _is_fitted(self) -> bool:
        return len(getattr(self, "_predictors", [])) > 0

    @property
    def n_iter_(self) -> int:
        """Number of boosting iterations done (with early stopping, at most ``max_iter``)."""
        check_is_fitted(self)
        return len(self._predictors)

    def fit(self, X: Any, y: Any, sample_weight: Any = None, *, X_val: Any = None, y_val: Any = None,
            sample_weight_val: Any = None) -> BaseHistGradientBoosting:
        """Fits the boosted trees (continuing the existing ones when ``warm_start``).

        ``X_val``/``y_val`` (and ``sample_weight_val``) replace the internal validation split of early stopping.
        """
        self._check_params()
        X = self._validate_X(X, reset=True)
        y = _check_y(y, estimator=self)
        check_consistent_length(X, y)
        y = self._encode_y(y)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64)
        sample_weight = self._finalize_sample_weight(sample_weight, y)
        val_given = X_val is not None or y_val is not None
        if val_given:
            if y_val is None:
                raise ValueError("X_val is provided, but y_val was not provided.")
            if X_val is None:
                raise ValueError("y_val is provided, but X_val was not provided.")
            X_val = self._validate_X(X_val, reset=False)
            y_val = self._encode_y_val(_check_y(y_val, estimator=self))
            check_consistent_length(X_val, y_val)
            if sample_weight_val is not None:
                sample_weight_val = _check_sample_weight(sample_weight_val, X_val, dtype=np.float64)
            if self.early_stopping is False:
                raise ValueError("X_val and y_val are passed to fit while at the same time early_stopping is False. "
                                 "When passing X_val and y_val to fit,early_stopping should be set to either 'auto' "
                                 "or True.")
        rng = check_random_state(self.random_state)
        if not (self.warm_start and self._is_fitted()):
            self._random_seed = rng.randint(np.iinfo(np.uint32).max, dtype="u8")
            self._feature_rng = np.random.default_rng(rng.randint(np.iinfo(np.uint32).max, dtype="u8"))
        monotonic_cst = self._monotonic_constraints()
        interaction_cst = self._interaction_constraints(X.shape[1])
        loss = self._make_loss()
        n_samples = X.shape[0]
        self.do_early_stopping_ = n_samples > 10_000 if self.early_stopping == "auto" else self.early_stopping
        (X_train, y_train, sw_train), (X_val, y_val, sw_val) = self._train_validation_split(
            X, y, sample_weight, (X_val, y_val, sample_weight_val) if val_given else None)
        n_bins = self.max_bins + 1
        n_categories = None if self.is_categorical_ is None else [c.size for c in self._encoder.categories_]
        self._bin_mapper = BinMapper(n_bins, random_state=self._random_seed).fit(X_train, sw_train, n_categories)
        binned_train = self._bin_mapper.transform(X_train)
        binned_val = None if X_val is None else self._bin_mapper.transform(X_val)
        has_missing = (binned_train == self._bin_mapper.missing_values_bin_idx_).any(axis=1)
        scorer = None
        if self.do_early_stopping_ and self.scoring != "loss":
            from ...metrics import check_scoring

            scorer = check_scoring(self, self.scoring)
            small = self._small_trainset(X_train.shape[0])
            small_train = (X_train[small], y_train[small], None if sw_train is None else sw_train[small])

        if not (self.warm_start and self._is_fitted()):
            self._baseline_prediction = loss.baseline(y_train, sw_train).reshape(1, -1)
            raw = np.zeros((X_train.shape[0], self.n_trees_per_iteration_)) + self._baseline_prediction
            self._predictors = []
            self.train_score_, self.validation_score_ = [], []
            raw_val = None
            if self.do_early_stopping_:
                if binned_val is not None:
                    raw_val = np.zeros((binned_val.shape[1], self.n_trees_per_iteration_)) + self._baseline_prediction
                if scorer is None:
                    self._record_loss(loss, raw, y_train, sw_train, raw_val, y_val, sw_val)
                else:
                    self._record_scores(scorer, small_train, X_val, y_val, sw_val)
            begin = 0
        else:
            if self.max_iter < self.n_iter_:
                raise ValueError(f"max_iter={self.max_iter} must be larger than or equal to n_iter_={self.n_iter_} "
                                 "when warm_start==True")
            self.train_score_, self.validation_score_ = list(self.train_score_), list(self.validation_score_)
            raw = self._raw_predict_binned(binned_train)
            raw_val = None if binned_val is None else self._raw_predict_binned(binned_val)
            begin = self.n_iter_

        constant_hessian = loss.constant_hessian and sw_train is None
        histograms = HistogramBuilder(binned_train, n_bins)
        for iteration in range(begin, self.max_iter):
            gradients, hessians = loss.gradient_hessian(y_train, raw)
            if sw_train is not None:
                gradients, hessians = gradients * sw_train[:, None], hessians * sw_train[:, None]
            gradients = gradients.astype(np.float32)
            hessians = None if constant_hessian else hessians.astype(np.float32)
            stage = []
            for k in range(self.n_trees_per_iteration_):
                grower = TreeGrower(
                    binned_train, np.ascontiguousarray(gradients[:, k]),
                    None if hessians is None else np.ascontiguousarray(hessians[:, k]), n_bins=n_bins,
                    histograms=histograms,
                    n_bins_non_missing=self._bin_mapper.n_bins_non_missing_, has_missing_values=has_missing,
                    max_leaf_nodes=self.max_leaf_nodes, max_depth=self.max_depth,
                    min_samples_leaf=self.min_samples_leaf, l2_regularization=self.l2_regularization,
                    feature_fraction=self.max_features, rng=self._feature_rng, shrinkage=self.learning_rate,
                    monotonic_cst=monotonic_cst, interaction_cst=interaction_cst,
                    is_categorical=self._internal_categorical()).grow()
                if not loss.differentiable:
                    self._refit_leaves(loss, grower, y_train, raw[:, k], sw_train)
                stage.append(grower.make_predictor(self._bin_mapper.bin_thresholds_,
                                                   self._bin_mapper.n_bins_non_missing_))
                raw[:, k] += grower.leaf_values_per_sample(raw.shape[0])
            self._predictors.append(stage)
            stop = False
            if self.do_early_stopping_:
                if raw_val is not None:
                    for k, predictor in enumerate(stage):
                        raw_val[:, k] += predictor.predict_binned(binned_val, self._bin_mapper.missing_values_bin_idx_)
                if scorer is None:
                    stop = self._record_loss(loss, raw, y_train, sw_train, raw_val, y_val, sw_val)
                else:
                    stop = self._record_scores(scorer, small_train, X_val, y_val, sw_val)
            if self.verbose:
                print(f"[{iteration + 1}/{self.max_iter}] {sum(p.get_n_leaf_nodes() for p in stage)} leaves"
                      + (f", train score: {self.train_score_[-1]:.5f}" if self.train_score_ else ""), flush=True)
            if stop:
                break
        self.train_score_ = np.asarray(self.train_score_)
        self.validation_score_ = np.asarray(self.validation_score_)
        return self

    def _train_validation_split(self, X, y, sample_weight, validation) -> tuple[tuple, tuple]:
        """``(X, y, w)`` for training and for early stopping: the given validation data, a split of
        ``validation_fraction`` of the data (stratified for classifiers), or none (``(None, None, None)``)."""
        if validation is not None:
            return (X, y, sample_weight), validation
        if not (self.do_early_stopping_ and self.validation_fraction is not None):
            return (X, y, sample_weight), (None, None, None)
        arrays = (X, y) if sample_weight is None else (X, y, sample_weight)
        parts = train_test_split(*arrays, test_size=self.validation_fraction,
                                 stratify=y if is_classifier(self) else None, random_state=self._random_seed)
        weights = (None, None) if sample_weight is None else parts[4:]
        return (parts[0], parts[2], weights[0]), (parts[1], parts[3], weights[1])

    def _small_trainset(self, n_train: int) -> np.ndarray | slice:
        """Indices of at most 10 000 training samples on which a scorer is evaluated."""
        if n_train <= _SMALL_TRAINSET:
            return slice(None)
        return np.sort(check_random_state(self._random_seed).permutation(n_train)[:_SMALL_TRAINSET])

    def _record_loss(self, loss: Loss, raw, y_train, sw_train, raw_val, y_val, sw_val) -> bool:
        self.train_score_.append(-loss(y_train, raw, sw_train))
        if raw_val is None:
            return self._should_stop(self.train_score_)
        self.validation_score_.append(-loss(y_val, raw_val, sw_val))
        return self._should_stop(self.validation_score_)

    def _record_scores(self, scorer, small_train, X_val, y_val, sw_val) -> bool:
        self.train_score_.append(self._score_with(scorer, *small_train))
        if X_val is None:
            return self._should_stop(self.train_score_)
        self.validation_score_.append(self._score_with(scorer, X_val, y_val, sw_val))
        return self._should_stop(self.validation_score_)

    def _score_with(self, scorer, X, y, sample_weight) -> float:
        if is_classifier(self):
            y = self.classes_[y.astype(np.intp)]
        if sample_weight is None:
            return float(scorer(self, X, y))
        return float(scorer(self, X, y, sample_weight=sample_weight))

    def _should_stop(self, scores: list) -> bool:
        """True when none of the last ``n_iter_no_change`` scores beats the one before them by ``tol``."""
        reference = self.n_iter_no_change + 1
        if len(scores) < reference:
            return False
        return not any(score > scores[-reference] + self.tol for score in scores[-reference + 1:])

    @staticmethod
    def _refit_leaves(loss: Loss, grower: TreeGrower, y, raw_k, sample_weight) -> None:
        for leaf in grower.leaves:
            idx = leaf.sample_indices
            sw = None if sample_weight is None else sample_weight[idx]
            leaf.value = grower.shrinkage * float(loss.baseline(y[idx] - raw_k[idx], sw)[0])

    def _finalize_sample_weight(self, sample_weight, y):
        return sample_weight

    def _raw_predict_binned(self, binned: np.ndarray) -> np.ndarray:
        raw = np.zeros((binned.shape[1], self.n_trees_per_iteration_)) + self._baseline_prediction
        for stage in self._predictors:
            for k, predictor in enumerate(stage):
                raw[:, k] += predictor.predict_binned(binned, self._bin_mapper.missing_values_bin_idx_)
        return raw

    def _check_X(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        return self._validate_X(X, reset=False)

    def _raw_predict(self, X: Any) -> np.ndarray:
        X = self._check_X(X)
        raw = np.zeros((X.shape[0], self.n_trees_per_iteration_)) + self._baseline_prediction
        for stage in self._predictors:
            for k, predictor in enumerate(stage):
                raw[:, k] += predictor.predict(X)
        return raw

    def _staged_raw_predict(self, X: Any):
        X = self._check_X(X)
        raw = np.zeros((X.shape[0], self.n_trees_per_iteration_)) + self._baseline_prediction
        for stage in self._predictors:
            for k, predictor in enumerate(stage):
                raw[:, k] += predictor.predict(X)
            yield raw.copy()

    def _update_sklearn_tags(self, tags) -> None:
        tags.input_tags.allow_nan = True


_PARAMS_DOC = """
    Parameters follow scikit-learn 1.9: ``loss``, ``learning_rate``, ``max_iter``, ``max_leaf_nodes``,
    ``max_depth``, ``min_samples_leaf``, ``l2_regularization``, ``max_features``, ``max_bins``,
    ``categorical_features`` (``"from_dtype"``: pandas ``category`` columns; or a mask, indices or names),
    ``monotonic_cst``, ``interaction_cst``, ``warm_start``, ``early_stopping``
    (``"auto"``: on above 10 000 samples), ``scoring``, ``validation_fraction``, ``n_iter_no_change``, ``tol``,
    ``verbose``, ``random_state``. NaN values are binned apart and each split learns where they go.

    Fitted attributes: ``n_iter_``, ``n_trees_per_iteration_``, ``train_score_``, ``validation_score_``,
    ``is_categorical_``, ``do_early_stopping_``, ``n_features_in_``.
"""


class HistGradientBoostingRegressor(RegressorMixin, BaseHistGradientBoosting):
    __doc__ = ("Histogram-based gradient boosting for regression (squared_error, absolute_error, gamma, poisson, "
               "quantile).") + _PARAMS_DOC

    _LOSSES = ("squared_error", "absolute_error", "gamma", "poisson", "quantile")

    def __init__(self, loss: str = "squared_error", *, quantile: float | None = None, learning_rate: float = 0.1,
                 max_iter: int = 100, max_leaf_nodes: int | None = 31, max_depth: int | None = None,
                 min_samples_leaf: int = 20, l2_regularization: float = 0.0, max_features: float = 1.0,
                 max_bins: int = 255, categorical_features: Any = "from_dtype", monotonic_cst: Any = None,
                 interaction_cst: Any = None, warm_start: bool = False, early_stopping: Any = "auto",
                 scoring: Any = "loss", validation_fraction: Any = 0.1, n_iter_no_change: int = 10,
                 tol: float = 1e-7, verbose: int = 0, random_state: Any = None):
        _forest_init(self, locals())

    def _encode_y(self, y: Any) -> np.ndarray:
        self.n_trees_per_iteration_ = 1
        y = np.asarray(y, dtype=np.float64)
        if self.loss == "gamma" and not np.all(y > 0):
            raise ValueError("loss='gamma' requires strictly positive y.")
        if self.loss == "poisson" and not (np.all(y >= 0) and np.sum(y) > 0):
            raise ValueError("loss='poisson' requires non-negative y and sum(y) > 0.")
        return y

    def _encode_y_val(self, y: np.ndarray) -> np.ndarray:
        return self._encode_y(y)

    def _make_loss(self) -> Loss:
        self._loss = make_loss(self.loss, quantile=self.quantile)
        return self._loss

    def predict(self, X: Any) -> np.ndarray:
        """Predicted target values."""
        raw = self._raw_predict(X)
        return self._loss.inverse_link(raw[:, 0])

    def staged_predict(self, X: Any):
        """Yields the predictions after each iteration."""
        for raw in self._staged_raw_predict(X):
            yield self._loss.inverse_link(raw[:, 0])


class HistGradientBoostingClassifier(ClassifierMixin, BaseHistGradientBoosting):
    __doc__ = ("Histogram-based gradient boosting for classification (log loss; one tree per class per "
               "iteration with more than two classes). ``class_weight`` scales the sample weights.") + _PARAMS_DOC

    _LOSSES = ("log_loss",)

    def __init__(self, loss: str = "log_loss", *, learning_rate: float = 0.1, max_iter: int = 100,
                 max_leaf_nodes: int | None = 31, max_depth: int | None = None, min_samples_leaf: int = 20,
                 l2_regularization: float = 0.0, max_features: float = 1.0, max_bins: int = 255,
                 categorical_features: Any = "from_dtype", monotonic_cst: Any = None, interaction_cst: Any = None,
                 warm_start: bool = False, early_stopping: Any = "auto", scoring: Any = "loss",
                 validation_fraction: Any = 0.1, n_iter_no_change: int = 10, tol: float = 1e-7, verbose: int = 0,
                 random_state: Any = None, class_weight: Any = None):
        _forest_init(self, locals())

    def _encode_y(self, y: Any) -> np.ndarray:
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        n_classes = self.classes_.shape[0]
        self.n_trees_per_iteration_ = 1 if n_classes <= 2 else n_classes
        return encoded.astype(np.float64)

    def _encode_y_val(self, y: np.ndarray) -> np.ndarray:
        encoded = np.searchsorted(self.classes_, y)
        unseen = (encoded >= self.classes_.size) | (self.classes_[np.minimum(encoded, self.classes_.size - 1)] != y)
        if np.any(unseen):
            raise ValueError(f"y contains previously unseen labels: {np.unique(np.asarray(y)[unseen]).tolist()}")
        return encoded.astype(np.float64)

    def _finalize_sample_weight(self, sample_weight, y):
        if self.class_weight is None:
            return sample_weight
        expanded = compute_sample_weight(self.class_weight, y)
        return expanded if sample_weight is None else sample_weight * expanded

    def _make_loss(self) -> Loss:
        self._loss = make_loss("log_loss", n_classes=self.classes_.shape[0])
        return self._loss

    def decision_function(self, X: Any) -> np.ndarray:
        """Raw scores: shape (n_samples,) for two classes, (n_samples, n_classes) otherwise."""
        raw = self._raw_predict(X)
        return raw[:, 0] if raw.shape[1] == 1 else raw

    def staged_decision_function(self, X: Any):
        """Yields the decision function after each iteration."""
        for raw in self._staged_raw_predict(X):
            yield raw[:, 0] if raw.shape[1] == 1 else raw

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes)."""
        raw = self._raw_predict(X)
        return self._loss.predict_proba(raw)

    def staged_predict_proba(self, X: Any):
        """Yields the class probabilities after each iteration."""
        for raw in self._staged_raw_predict(X):
            yield self._loss.predict_proba(raw)

    def predict(self, X: Any) -> np.ndarray:
        """Predicted class labels."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def staged_predict(self, X: Any):
        """Yields the predicted labels after each iteration."""
        for proba in self.staged_predict_proba(X):
            yield self.classes_[np.argmax(proba, axis=1)]
