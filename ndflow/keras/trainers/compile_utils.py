"""What ``compile(loss=…, metrics=…)`` becomes: ``CompileLoss`` and ``CompileMetrics``.

Both resolve their user arguments on first use, when the structure and shapes of ``y_true``/``y_pred`` are
known: one loss (or list of metrics) per model output, given as a single value for every output, a list in
output order, or a dict keyed by output name. ``"accuracy"``/``"acc"`` (and the losses ``"crossentropy"``/
``"ce"``) become their binary, sparse categorical or categorical variant from the shapes.
"""
from __future__ import annotations

from typing import Any

import ndflow as tf

from ..._core import nest
from ..backend import floatx

__all__ = ["CompileLoss", "CompileMetrics", "get_loss", "get_metric"]


def _losses_module() -> Any:
    from .. import losses

    return losses


def _metrics_module() -> Any:
    from .. import metrics

    return metrics


def _kind_from_shapes(y_true: Any, y_pred: Any) -> str:
    """``"binary"``, ``"sparse"`` or ``"categorical"`` from the targets' and predictions' static shapes."""
    true_shape, pred_shape = tuple(y_true.shape), tuple(y_pred.shape)
    if pred_shape and pred_shape[-1] == 1:
        return "binary"
    if len(true_shape) < len(pred_shape) or (true_shape and true_shape[-1] == 1 and pred_shape[-1] != 1):
        return "sparse"
    return "categorical"


def _object_name(obj: Any) -> str:
    name = getattr(obj, "name", None)
    if isinstance(name, str):
        return name
    return getattr(obj, "__name__", type(obj).__name__.lower())


def get_metric(identifier: Any, y_true: Any, y_pred: Any) -> Any:
    """A metric object for ``identifier`` (a name, function or ``Metric``), named as Keras logs it.

    Raises:
        ValueError: ``identifier`` is ``None`` or unknown.
    """
    metrics = _metrics_module()
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        kind = _kind_from_shapes(y_true, y_pred)
        cls = {"binary": metrics.BinaryAccuracy, "sparse": metrics.SparseCategoricalAccuracy,
               "categorical": metrics.CategoricalAccuracy}[kind]
        metric = cls(name=identifier)
    else:
        metric = metrics.get(identifier)
    name = identifier if isinstance(identifier, str) else _object_name(metric)
    if not isinstance(metric, metrics.Metric):
        metric = metrics.MeanMetricWrapper(metric)
    metric.name = name
    return metric


def get_loss(identifier: Any, y_true: Any, y_pred: Any) -> Any:
    """A ``Loss`` object for ``identifier`` (a name, function or ``Loss``); ``None`` stays ``None``."""
    losses = _losses_module()
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        kind = _kind_from_shapes(y_true, y_pred)
        loss = {"binary": losses.binary_crossentropy, "sparse": losses.sparse_categorical_crossentropy,
                "categorical": losses.categorical_crossentropy}[kind]
    else:
        loss = losses.get(identifier)
    if isinstance(loss, losses.Loss):
        return loss
    name = identifier if isinstance(identifier, str) else _object_name(loss)
    return losses.LossFunctionWrapper(loss, name=name)


def _output_names(y_pred: Any, output_names: list | None) -> list | None:
    """The names of the flattened outputs: the model's when they fit, a dict's keys, else ``None``."""
    if isinstance(y_pred, dict):
        if output_names and set(output_names) == set(y_pred):
            return list(output_names)
        return sorted(y_pred)
    if output_names and len(output_names) == len(_flat_outputs(y_pred, None)):
        return list(output_names)
    return None


def _flat_outputs(y: Any, names: list | None) -> list:
    if isinstance(y, dict):
        return [y[name] for name in (names or sorted(y))]
    return list(y) if isinstance(y, (list, tuple)) else [y]


def _per_output(value: Any, names: list | None, count: int, what: str) -> list:
    """Spreads a ``loss``/``loss_weights``/``metrics`` argument over ``count`` outputs.

    Raises:
        ValueError: a list of the wrong length or a dict with unknown keys.
    """
    if isinstance(value, dict):
        if count == 1 and names is None:
            return [nest.flatten(value) if what.endswith("metrics") else next(iter(value.values()))]
        unknown = [k for k in value if names is None or k not in names]
        if unknown:
            raise ValueError(f"Expected keys {names} in {what} dict, but found {what}.keys()={list(value)}")
        return [value.get(name) for name in names]
    if isinstance(value, (list, tuple)) and count > 1:
        if len(value) != count:
            raise ValueError(f"Invalid `{what}`. `{what}` should match the {count} outputs of the model (a list of "
                             f"{count} entries or a dict keyed by output name). Received: {what}={value}")
        return list(value)
    return [value] * count


class CompileLoss:
    """The compiled loss: the weighted sum of one loss per output (plus a ``<name>_loss`` tracker per output
    when there are several).

    Args:
        loss: a loss for every output, or a list/dict of them (``None`` entries: no loss for that output).
        loss_weights: a float, or a list/dict of floats matching ``loss``.
        output_names: the model's output names.

    Raises:
        ValueError: ``loss_weights`` of an unsupported type.
    """

    def __init__(self, loss: Any, loss_weights: Any = None, output_names: list | None = None) -> None:
        if loss_weights and not isinstance(loss_weights, (list, tuple, dict, float)):
            raise ValueError("Expected `loss_weights` argument to be a float (single output case) or a list, tuple, "
                             f"or dict (multiple output case). Received instead: loss_weights={loss_weights} of "
                             f"type {type(loss_weights)}")
        self.name = "compile_loss"
        self._user_loss = loss
        self._user_loss_weights = loss_weights
        self.output_names = output_names
        self.built = False
        self._entries: list = []  # (output index, Loss, weight, tracker or None)
        self._names: list | None = None

    @property
    def metrics(self) -> list:
        return [tracker for _, _, _, tracker in self._entries if tracker is not None]

    @property
    def variables(self) -> list:
        return [v for m in self.metrics for v in m.variables]

    def build(self, y_true: Any, y_pred: Any) -> None:
        """Resolves the losses for the outputs in ``y_pred`` (targets ``y_true``)."""
        self._names = _output_names(y_pred, self.output_names)
        outputs = _flat_outputs(y_pred, self._names)
        targets = self._align(y_true, len(outputs))
        losses = _per_output(self._user_loss, self._names, len(outputs), "loss")
        weights = [None] * len(outputs)
        user_weights = self._user_loss_weights
        if (not isinstance(self._user_loss, (list, tuple, dict)) and isinstance(user_weights, (list, tuple, dict))
                and len(user_weights) != 1):
            raise ValueError(f"`loss_weights` must match the number of losses, got 1 losses and {len(user_weights)} "
                             "weights.")
        if user_weights is not None:
            weights = _per_output(user_weights, self._names, len(outputs), "loss_weights")
        entries = [(i, get_loss(loss, targets[i], outputs[i]), weights[i])
                   for i, loss in enumerate(losses) if loss is not None]
        metrics = _metrics_module()
        several = len(entries) > 1
        self._entries = []
        for i, loss, weight in entries:
            name = self._names[i] if self._names else loss.name
            tracker = metrics.Mean(name=f"{name}_loss") if several else None
            self._entries.append((i, loss, weight, tracker))
        self.built = True

    def _align(self, y: Any, count: int) -> list:
        """``y`` (targets or sample weights) as one entry per output.

        Raises:
            ValueError: a structure that does not fit the outputs.
        """
        if isinstance(y, dict) and self._names is not None:
            return [y.get(name) for name in self._names]
        if isinstance(y, (list, tuple)):
            if len(y) == count:
                return list(y)
            with_loss = [i for i, loss in enumerate(_per_output(self._user_loss, self._names, count, "loss"))
                         if loss is not None]
            if len(y) == len(with_loss):
                aligned = [None] * count
                for i, value in zip(with_loss, y):
                    aligned[i] = value
                return aligned
        elif count == 1:
            return [y]
        raise ValueError("y_true and y_pred have different structures.\n"
                         f"y_true: {nest.map_structure(lambda _: '*', y)}\n"
                         f"y_pred: {['*'] * count}\n")

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        """The weighted total loss (``None`` when no output has a loss); updates the per-output trackers."""
        if not self.built:
            self.build(y_true, y_pred)
        outputs = _flat_outputs(y_pred, self._names)
        targets = self._align(y_true, len(outputs))
        if nest.is_nested(sample_weight):
            weights = self._align(sample_weight, len(outputs))
        else:
            weights = [sample_weight] * len(outputs)
        total = None
        for i, loss, loss_weight, tracker in self._entries:
            value = tf.cast(loss(targets[i], outputs[i], weights[i]), floatx())
            if tracker is not None:
                # Keras weights by the static batch size, which TensorFlow's batched data leaves unknown
                # whenever an epoch ends in a partial batch: so each batch counts once
                tracker.update_state(value)
            if loss_weight is not None:
                value = value * loss_weight
            total = value if total is None else total + value
        return total


class CompileMetrics:
    """The compiled metrics of every output; ``result()`` gives ``{name: value}`` with Keras's names
    (``<output>_<metric>`` for named outputs, ``_1`` for repeats, ``weighted_`` for weighted repeats).

    Args:
        metrics: metrics applied without sample weights: a list (for every output), a list of lists (one per
            output) or a dict keyed by output name.
        weighted_metrics: the same, applied with the sample weights.
        output_names: the model's output names.

    Raises:
        ValueError: ``metrics``/``weighted_metrics`` that are not a list, tuple or dict.
    """

    def __init__(self, metrics: Any, weighted_metrics: Any, output_names: list | None = None) -> None:
        for arg, value in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if value and not isinstance(value, (list, tuple, dict)):
                raise ValueError(f"Expected `{arg}` argument to be a list, tuple, or dict. Received instead: "
                                 f"{arg}={value} of type {type(value)}")
        self.name = "compile_metrics"
        self._user_metrics = metrics
        self._user_weighted_metrics = weighted_metrics
        self.output_names = output_names
        self.built = False
        self._names: list | None = None
        self._plain: list = []  # per output: list of metrics
        self._weighted: list = []

    @property
    def metrics(self) -> list:
        return [m for group in self._plain + self._weighted for m in group]

    def __repr__(self) -> str:
        return f"<CompileMetrics name={self.name}>"

    @property
    def variables(self) -> list:
        return [v for m in self.metrics for v in m.variables]

    def build(self, y_true: Any, y_pred: Any) -> None:
        """Resolves the metrics for the outputs in ``y_pred`` (targets ``y_true``)."""
        self._names = _output_names(y_pred, self.output_names)
        outputs = _flat_outputs(y_pred, self._names)
        targets = _flat_outputs(y_true, self._names) if nest.is_nested(y_true) else [y_true] * len(outputs)
        self._plain = self._resolve(self._user_metrics, "metrics", outputs, targets)
        self._weighted = self._resolve(self._user_weighted_metrics, "weighted_metrics", outputs, targets)
        self.built = True

    def _resolve(self, spec: Any, what: str, outputs: list, targets: list) -> list:
        if not spec:
            return [[] for _ in outputs]
        if len(outputs) == 1:
            per_output = [nest.flatten(spec)]
        else:
            per_output = _per_output(spec, self._names, len(outputs), what)
        return [[get_metric(m, targets[i], outputs[i]) for m in nest.flatten(group) if m is not None]
                for i, group in enumerate(per_output)]

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        if not self.built:
            self.build(y_true, y_pred)
        outputs = _flat_outputs(y_pred, self._names)
        targets = _flat_outputs(y_true, self._names) if nest.is_nested(y_true) else [y_true]
        if sample_weight is None:
            weights = [None] * len(outputs)
        else:
            weights = _flat_outputs(sample_weight, self._names)
            if len(weights) < len(outputs):
                weights = [weights[0]] * len(outputs)
        for group, y_t, y_p in zip(self._plain, targets, outputs):
            for metric in group:
                metric.update_state(y_t, y_p)
        for group, y_t, y_p, s_w in zip(self._weighted, targets, outputs, weights):
            for metric in group:
                metric.update_state(y_t, y_p, sample_weight=s_w)

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def result(self) -> dict:
        """``{name: value}`` for every metric.

        Raises:
            ValueError: before the first update (the metrics are not resolved yet).
        """
        if not self.built:
            raise ValueError("Cannot get result() since the metric has not yet been built.")
        results: dict = {}
        counts: dict = {}
        names = self._names if self._names and len(self._plain) > 1 else [None] * len(self._plain)
        for weighted, groups in ((False, self._plain), (True, self._weighted)):
            for output_name, group in zip(names, groups):
                for metric in group:
                    prefix = f"{output_name}_" if output_name else ""
                    name = prefix + metric.name
                    if name in counts and weighted:
                        name = f"{prefix}weighted_{metric.name}"
                    if name in counts:
                        counts[name] += 1
                        name = f"{name}_{counts[name] - 1}"
                    else:
                        counts[name] = 1
                    results[name] = metric.result()
        return results
