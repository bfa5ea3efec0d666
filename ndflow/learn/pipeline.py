"""Chaining estimators (``Pipeline``) and concatenating transformer outputs (``FeatureUnion``)."""

from __future__ import annotations

import time
from collections import Counter
from functools import partial
from typing import Any

import numpy as np
import scipy.sparse as sp

from .base import BaseEstimator, MetaEstimatorMixin, TransformerMixin, clone
from .preprocessing._utils import available_if, is_pandas_df, wrap_output
from .utils._bunch import Bunch
from .utils.validation import check_is_fitted

__all__ = ["Pipeline", "FeatureUnion", "make_pipeline", "make_union"]


def _log_step(source: str, label: str, start: float) -> None:
    """Prints scikit-learn's verbose progress line, e.g. ``[Pipeline] ... (step 1 of 2) Processing a``."""
    elapsed = time.time() - start
    took = f"{elapsed / 60:4.1f}min" if elapsed > 60 else f" {elapsed:5.1f}s"
    head, tail = f"[{source}] ", f" {label}, total={took}"
    print(head + "." * (70 - len(head) - len(tail)) + tail)


def _fit_transform_one(
    transformer: Any, X: Any, y: Any, params: dict, transform: bool = True, log: tuple[str, str] | None = None
):
    """Fits ``transformer`` in place and returns its transform of ``X`` (None when ``transform`` is False)."""
    start = time.time()
    if transform and hasattr(transformer, "fit_transform"):
        out = transformer.fit_transform(X, y, **params)
    else:
        transformer.fit(X, y, **params)
        out = transformer.transform(X) if transform else None
    if log is not None:
        _log_step(*log, start)
    return out


def _run_jobs(jobs: list, n_jobs: int | None) -> list:
    """Calls the zero-argument ``jobs`` in order, on ``n_jobs`` joblib threads when more than one is asked.

    Without joblib installed the jobs run one after the other.
    """
    if n_jobs in (None, 1) or len(jobs) < 2:
        return [job() for job in jobs]
    try:
        from joblib import Parallel, delayed
    except ImportError:
        return [job() for job in jobs]
    return Parallel(n_jobs=n_jobs, prefer="threads")(delayed(job)() for job in jobs)


def _is_passthrough(step: Any) -> bool:
    return isinstance(step, str) and step == "passthrough"


def _is_skipped(step: Any) -> bool:
    return step is None or _is_passthrough(step)


class _BaseComposition(MetaEstimatorMixin, BaseEstimator):
    """Parameter access for estimators holding a list of ``(name, estimator, ...)`` tuples in ``attr``."""

    def _named_items(self, attr: str) -> list | None:
        """The ``(name, estimator, ...)`` tuples of ``attr``, or None while it holds something else."""
        items = getattr(self, attr)
        if isinstance(items, (list, tuple)) and all(
            isinstance(i, (list, tuple)) and len(i) >= 2 and isinstance(i[0], str) for i in items
        ):
            return list(items)
        return None

    def _get_params(self, attr: str, deep: bool = True) -> dict[str, Any]:
        out = super().get_params(deep=deep)
        if not deep:
            return out
        items = self._named_items(attr)
        if items is not None:
            for item in items:
                name, estimator = item[0], item[1]
                out[name] = estimator
                if hasattr(estimator, "get_params") and not isinstance(estimator, type):
                    out.update((f"{name}__{k}", v) for k, v in estimator.get_params(deep=True).items())
        return out

    def _set_params(self, attr: str, **params: Any):
        if attr in params:
            setattr(self, attr, params.pop(attr))
        items = self._named_items(attr)
        if items:
            names = [item[0] for item in items]
            for name in list(params):
                if "__" not in name and name in names:
                    self._replace_estimator(attr, name, params.pop(name))
        super().set_params(**params)
        return self

    def _replace_estimator(self, attr: str, name: str, new_value: Any) -> None:
        items = list(getattr(self, attr))
        for i, item in enumerate(items):
            if item[0] == name:
                items[i] = (name, new_value) + tuple(item[2:])
                break
        setattr(self, attr, items)

    def _validate_names(self, names: list[str]) -> None:
        if len(set(names)) != len(names):
            raise ValueError(f"Names provided are not unique: {list(names)!r}")
        conflicts = sorted(set(names) & set(self._get_param_names()))
        if conflicts:
            raise ValueError(f"Estimator names conflict with constructor arguments: {conflicts!r}")
        invalid = [name for name in names if "__" in name]
        if invalid:
            raise ValueError(f"Estimator names must not contain __: got {invalid!r}")


def _final_has(method: str):
    def check(pipeline: Pipeline) -> bool:
        final = pipeline._final_estimator
        if method == "transform" and _is_skipped(final):
            return True
        return hasattr(final, method)

    return check


def _final_can_fit_transform(pipeline: Pipeline) -> bool:
    final = pipeline._final_estimator
    return _is_passthrough(final) or hasattr(final, "transform") or hasattr(final, "fit_transform")


def _all_can_inverse(pipeline: Pipeline) -> bool:
    return all(hasattr(step, "inverse_transform") for _, _, step in pipeline._iter())


def _route_fit_params(params: dict, names: list[str]) -> dict[str, dict]:
    """Splits ``<step>__<param>`` fit parameters by step.

    Raises:
        ValueError: a parameter without a step prefix.
    """
    routed: dict[str, dict] = {name: {} for name in names}
    for key, value in params.items():
        if "__" not in key:
            raise ValueError(
                f"Pipeline.fit does not accept the {key} parameter. You can pass parameters to specific "
                "steps of your pipeline using the stepname__parameter format, e.g. "
                "`Pipeline.fit(X, y, logisticregression__sample_weight=sample_weight)`."
            )
        step, param = key.split("__", 1)
        routed.setdefault(step, {})[param] = value
    return routed


class Pipeline(_BaseComposition):
    """Transformers applied in sequence, ending in any estimator (or ``"passthrough"``).

    ``fit`` calls ``fit_transform`` on every intermediate step and ``fit`` on the last; the pipeline exposes
    the last step's methods (``predict``, ``predict_proba``, ``score``, ...). Step parameters are reached as
    ``<step>__<param>``.
    """

    def __init__(self, steps, *, transform_input=None, memory=None, verbose: bool = False):
        self.steps = steps
        self.transform_input = transform_input
        self.memory = memory
        self.verbose = verbose

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters, including each step by name and ``<step>__<param>`` with ``deep``."""
        return self._get_params("steps", deep=deep)

    def set_params(self, **params: Any) -> Pipeline:
        """Sets parameters; a step name replaces that step, ``<step>__<param>`` sets inside it."""
        return self._set_params("steps", **params)

    def _validate_steps(self) -> None:
        if self.transform_input is not None:
            raise NotImplementedError("Pipeline(transform_input=...) is not supported yet")
        names = [name for name, _ in self.steps]
        self._validate_names(names)
        for _, step in self.steps[:-1]:
            if _is_skipped(step):
                continue
            if not (hasattr(step, "fit") or hasattr(step, "fit_transform")) or not hasattr(step, "transform"):
                raise TypeError(
                    "All intermediate steps should be transformers and implement fit and transform or be the "
                    f"string 'passthrough' '{step}' (type {type(step)}) doesn't"
                )
        final = self.steps[-1][1]
        if not _is_skipped(final) and not hasattr(final, "fit"):
            raise TypeError(
                "Last step of Pipeline should implement fit or be the string 'passthrough'. "
                f"'{final}' (type {type(final)}) doesn't"
            )

    def _iter(self, with_final: bool = True, filter_passthrough: bool = True):
        stop = len(self.steps) if with_final else len(self.steps) - 1
        for idx, (name, step) in enumerate(self.steps[:stop]):
            if not filter_passthrough or not _is_skipped(step):
                yield idx, name, step

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, index):
        """A step by position or name, or a sub-pipeline for a slice."""
        if isinstance(index, slice):
            if index.step not in (1, None):
                raise ValueError("Pipeline slicing only supports a step of 1")
            return type(self)(self.steps[index], memory=self.memory, verbose=self.verbose)
        if isinstance(index, str):
            return self.named_steps[index]
        return self.steps[index][1]

    @property
    def named_steps(self) -> Bunch:
        """The steps by name (also as attributes)."""
        return Bunch(**dict(self.steps))

    @property
    def _final_estimator(self):
        final = self.steps[-1][1]
        return "passthrough" if final is None else final

    @property
    def _estimator_type(self):
        return getattr(self._final_estimator, "_estimator_type", None)

    @property
    def classes_(self):
        """The final step's ``classes_``."""
        return self.steps[-1][1].classes_

    @property
    def n_features_in_(self) -> int:
        """The first step's ``n_features_in_``."""
        return self.steps[0][1].n_features_in_

    @property
    def feature_names_in_(self):
        """The first step's ``feature_names_in_``."""
        return self.steps[0][1].feature_names_in_

    def _update_sklearn_tags(self, tags) -> None:
        """Estimator kind and target tags of the final step; sparse input only if every step takes it."""
        final = self._final_estimator
        if not _is_passthrough(final) and hasattr(final, "__sklearn_tags__"):
            final_tags = final.__sklearn_tags__()
            tags.estimator_type = final_tags.estimator_type
            tags.target_tags = final_tags.target_tags
            tags.classifier_tags = final_tags.classifier_tags
            tags.regressor_tags = final_tags.regressor_tags
            tags.transformer_tags = final_tags.transformer_tags
        steps = [step for _, step in self.steps if not _is_skipped(step) and hasattr(step, "__sklearn_tags__")]
        if steps:
            tags.input_tags.pairwise = steps[0].__sklearn_tags__().input_tags.pairwise
            tags.input_tags.sparse = all(step.__sklearn_tags__().input_tags.sparse for step in steps)

    def __sklearn_is_fitted__(self) -> bool:
        last = next((step for _, _, step in reversed(list(self._iter()))), None)
        if last is None:
            return True
        try:
            check_is_fitted(last)
            return True
        except Exception:
            return False

    def _log(self, idx: int, name: str, start: float) -> None:
        if self.verbose:
            _log_step("Pipeline", f"(step {idx + 1} of {len(self.steps)}) Processing {name}", start)

    def _fit(self, X, y, routed: dict[str, dict]):
        self._validate_steps()
        self.steps = list(self.steps)
        for idx, name, transformer in self._iter(with_final=False):
            start = time.time()
            params = routed.get(name, {})
            if hasattr(transformer, "fit_transform"):
                X = transformer.fit_transform(X, y, **params)
            else:
                X = transformer.fit(X, y, **params).transform(X)
            self.steps[idx] = (name, transformer)
            self._log(idx, name, start)
        return X

    def fit(self, X, y=None, **params) -> Pipeline:
        """Fits the transformers one after the other, then the final estimator.

        Raises:
            ValueError: a fit parameter without a ``<step>__`` prefix.
            TypeError: steps that are not transformers/estimators.
        """
        routed = _route_fit_params(params, [n for n, _ in self.steps])
        Xt = self._fit(X, y, routed)
        final = self._final_estimator
        if not _is_passthrough(final):
            start = time.time()
            final.fit(Xt, y, **routed.get(self.steps[-1][0], {}))
            self._log(len(self.steps) - 1, self.steps[-1][0], start)
        return self

    @available_if(_final_can_fit_transform)
    def fit_transform(self, X, y=None, **params):
        """Fits all steps and returns the last step's transform of the data."""
        routed = _route_fit_params(params, [n for n, _ in self.steps])
        Xt = self._fit(X, y, routed)
        final = self._final_estimator
        last_params = routed.get(self.steps[-1][0], {})
        if _is_passthrough(final):
            return Xt
        if hasattr(final, "fit_transform"):
            return final.fit_transform(Xt, y, **last_params)
        return final.fit(Xt, y, **last_params).transform(Xt)

    def _transform_until_final(self, X):
        for _, _, transformer in self._iter(with_final=False):
            X = transformer.transform(X)
        return X

    @available_if(_final_has("predict"))
    def predict(self, X, **params):
        """Transforms ``X`` through the steps and returns the final estimator's ``predict``."""
        return self.steps[-1][1].predict(self._transform_until_final(X), **params)

    @available_if(_final_has("fit_predict"))
    def fit_predict(self, X, y=None, **params):
        """Fits the transformers and returns the final estimator's ``fit_predict`` on the result."""
        routed = _route_fit_params(params, [n for n, _ in self.steps])
        Xt = self._fit(X, y, routed)
        return self.steps[-1][1].fit_predict(Xt, y, **routed.get(self.steps[-1][0], {}))

    @available_if(_final_has("predict_proba"))
    def predict_proba(self, X, **params):
        """The final estimator's ``predict_proba`` on the transformed ``X``."""
        return self.steps[-1][1].predict_proba(self._transform_until_final(X), **params)

    @available_if(_final_has("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        """The final estimator's ``predict_log_proba`` on the transformed ``X``."""
        return self.steps[-1][1].predict_log_proba(self._transform_until_final(X), **params)

    @available_if(_final_has("decision_function"))
    def decision_function(self, X, **params):
        """The final estimator's ``decision_function`` on the transformed ``X``."""
        return self.steps[-1][1].decision_function(self._transform_until_final(X), **params)

    @available_if(_final_has("score_samples"))
    def score_samples(self, X):
        """The final estimator's ``score_samples`` on the transformed ``X``."""
        return self.steps[-1][1].score_samples(self._transform_until_final(X))

    @available_if(_final_has("score"))
    def score(self, X, y=None, sample_weight=None, **params):
        """The final estimator's ``score`` on the transformed ``X``."""
        if sample_weight is not None:
            params["sample_weight"] = sample_weight
        return self.steps[-1][1].score(self._transform_until_final(X), y, **params)

    @available_if(_final_has("transform"))
    def transform(self, X, **params):
        """Applies every step's ``transform``."""
        for _, _, transformer in self._iter():
            X = transformer.transform(X)
        return X

    @available_if(_all_can_inverse)
    def inverse_transform(self, X, **params):
        """Applies every step's ``inverse_transform`` in reverse order."""
        for _, _, transformer in reversed(list(self._iter())):
            X = transformer.inverse_transform(X)
        return X

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Feature names after the last transforming step.

        Raises:
            AttributeError: a step without ``get_feature_names_out``.
        """
        names = input_features
        for _, name, transformer in self._iter():
            if not hasattr(transformer, "get_feature_names_out"):
                raise AttributeError(
                    f"Estimator {name} does not provide get_feature_names_out. Did you mean to call "
                    "pipeline[:-1].get_feature_names_out()?"
                )
            names = transformer.get_feature_names_out(names)
        return names

    def set_output(self, *, transform: str | None = None) -> Pipeline:
        """Sets the output container of every step that supports it."""
        for _, _, step in self._iter():
            if hasattr(step, "set_output"):
                step.set_output(transform=transform)
        return self


def _name_estimators(estimators) -> list[tuple[str, Any]]:
    """Lower-case class names, numbered ``-1``, ``-2``, ... where they repeat."""
    names = [est if isinstance(est, str) else type(est).__name__.lower() for est in estimators]
    counts = Counter(names)
    seen: Counter = Counter()
    out = []
    for name, est in zip(names, estimators):
        if counts[name] > 1:
            seen[name] += 1
            name = f"{name}-{seen[name]}"
        out.append((name, est))
    return out


def make_pipeline(*steps, memory=None, transform_input=None, verbose: bool = False) -> Pipeline:
    """A ``Pipeline`` whose step names are the lower-cased class names."""
    return Pipeline(_name_estimators(steps), transform_input=transform_input, memory=memory, verbose=verbose)


def _hstack(blocks: list, n_samples: int):
    if not blocks:
        return np.zeros((n_samples, 0))
    if any(sp.issparse(b) for b in blocks):
        return sp.hstack(blocks).tocsr()
    if any(is_pandas_df(b) for b in blocks):
        import pandas as pd

        return pd.concat(blocks, axis=1)
    return np.hstack([np.asarray(b) if np.ndim(b) == 2 else np.asarray(b).reshape(n_samples, -1) for b in blocks])


def _n_samples(X) -> int:
    return X.shape[0] if hasattr(X, "shape") else np.asarray(X).shape[0]


class FeatureUnion(TransformerMixin, _BaseComposition):
    """Applies several transformers to the same input and concatenates their outputs side by side."""

    def __init__(
        self,
        transformer_list,
        *,
        n_jobs=None,
        transformer_weights=None,
        verbose: bool = False,
        verbose_feature_names_out: bool = True,
    ):
        self.transformer_list = transformer_list
        self.n_jobs = n_jobs
        self.transformer_weights = transformer_weights
        self.verbose = verbose
        self.verbose_feature_names_out = verbose_feature_names_out

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters, including each transformer by name and ``<name>__<param>`` with ``deep``."""
        return self._get_params("transformer_list", deep=deep)

    def set_params(self, **params: Any) -> FeatureUnion:
        """Sets parameters; a transformer name replaces it, ``<name>__<param>`` sets inside it."""
        return self._set_params("transformer_list", **params)

    @property
    def named_transformers(self) -> Bunch:
        """The transformers by name."""
        return Bunch(**{name: trans for name, trans in self.transformer_list})

    def __getitem__(self, name: str):
        if not isinstance(name, str):
            raise KeyError("Only string keys are supported")
        return self.named_transformers[name]

    def _validate(self) -> None:
        names = [name for name, _ in self.transformer_list]
        self._validate_names(names)
        for _, trans in self.transformer_list:
            if isinstance(trans, str) and trans in ("drop", "passthrough"):
                continue
            if not (hasattr(trans, "fit") or hasattr(trans, "fit_transform")) or not hasattr(trans, "transform"):
                raise TypeError(
                    f"All estimators should implement fit and transform. '{trans}' (type {type(trans)}) doesn't"
                )
        weights = self.transformer_weights or {}
        for name in weights:
            if name not in names:
                raise ValueError(
                    f'Attempting to weight transformer "{name}", but it is not present in transformer_list.'
                )

    def _iter(self):
        weights = self.transformer_weights or {}
        for name, trans in self.transformer_list:
            if isinstance(trans, str) and trans == "drop":
                continue
            if _is_passthrough(trans):
                from .preprocessing import FunctionTransformer

                trans = FunctionTransformer(feature_names_out="one-to-one")
            yield name, trans, weights.get(name)

    def fit(self, X, y=None, **params) -> FeatureUnion:
        """Fits every transformer on ``X``."""
        self._fit_all(X, y, params, transform=False)
        return self

    def fit_transform(self, X, y=None, **params):
        """Fits every transformer and returns their concatenated (weighted) outputs."""
        blocks = self._fit_all(X, y, params, transform=True)
        return wrap_output(self, _hstack(blocks, _n_samples(X)), X)

    def _fit_all(self, X, y, params: dict, transform: bool) -> list:
        """Fits a clone of every transformer (each receiving all of ``params``), optionally transforming."""
        self._validate()
        specs = list(self._iter())
        clones = [clone(trans) for _, trans, _ in specs]
        jobs = [
            partial(
                _fit_transform_one,
                est,
                X,
                y,
                params,
                transform,
                (("FeatureUnion", f"(step {i + 1} of {len(specs)}) Processing {name}") if self.verbose else None),
            )
            for i, ((name, _, _), est) in enumerate(zip(specs, clones))
        ]
        outputs = _run_jobs(jobs, self.n_jobs)
        fitted = {name: est for (name, _, _), est in zip(specs, clones)}
        passthrough = {name for name, trans in self.transformer_list if _is_passthrough(trans)}
        self.transformer_list = [
            (name, trans if name in passthrough else fitted.get(name, trans)) for name, trans in self.transformer_list
        ]
        self._fitted_passthrough = {name: fitted[name] for name in passthrough}
        if not transform:
            return []
        return [out if weight is None else out * weight for out, (_, _, weight) in zip(outputs, specs)]

    def _fitted_iter(self):
        passthrough = getattr(self, "_fitted_passthrough", {})
        for name, trans, weight in self._iter():
            yield name, passthrough.get(name, trans), weight

    def transform(self, X):
        """Returns the concatenated (weighted) outputs of the fitted transformers."""
        blocks = []
        for _, trans, weight in self._fitted_iter():
            out = trans.transform(X)
            blocks.append(out if weight is None else out * weight)
        return wrap_output(self, _hstack(blocks, _n_samples(X)), X)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """``<transformer>__<feature>`` names (bare names without ``verbose_feature_names_out``).

        Raises:
            AttributeError: a transformer without ``get_feature_names_out``.
            ValueError: duplicate bare names.
        """
        pairs = []
        for name, trans, _ in self._fitted_iter():
            if not hasattr(trans, "get_feature_names_out"):
                raise AttributeError(
                    f"Transformer {name} (type {type(trans).__name__}) does not provide get_feature_names_out."
                )
            pairs.extend((name, f) for f in trans.get_feature_names_out(input_features))
        if self.verbose_feature_names_out:
            return np.asarray([f"{name}__{f}" for name, f in pairs], dtype=object)
        names = [f for _, f in pairs]
        duplicates = sorted(n for n, c in Counter(names).items() if c > 1)
        if duplicates:
            raise ValueError(
                f"Output feature names: {duplicates[:5]} are not unique. Please set "
                "verbose_feature_names_out=True to add prefixes to feature names"
            )
        return np.asarray(names, dtype=object)

    @property
    def n_features_in_(self) -> int:
        """The first transformer's ``n_features_in_``."""
        for _, trans, _ in self._fitted_iter():
            return trans.n_features_in_
        raise AttributeError("n_features_in_")

    @property
    def feature_names_in_(self):
        """The first transformer's ``feature_names_in_``."""
        for _, trans, _ in self._fitted_iter():
            return trans.feature_names_in_
        raise AttributeError("feature_names_in_")

    def __sklearn_is_fitted__(self) -> bool:
        for _, trans, _ in self._fitted_iter():
            check_is_fitted(trans)
        return True

    def set_output(self, *, transform: str | None = None) -> FeatureUnion:
        """Sets the output container of the union and of every transformer."""
        super().set_output(transform=transform)
        for _, trans in self.transformer_list:
            if hasattr(trans, "set_output"):
                trans.set_output(transform=transform)
        return self


def make_union(
    *transformers, n_jobs=None, verbose: bool = False, verbose_feature_names_out: bool = True
) -> FeatureUnion:
    """A ``FeatureUnion`` whose transformer names are the lower-cased class names."""
    return FeatureUnion(
        _name_estimators(transformers),
        n_jobs=n_jobs,
        verbose=verbose,
        verbose_feature_names_out=verbose_feature_names_out,
    )
