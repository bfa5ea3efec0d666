"""Metrics on predicted class labels: accuracy, confusion matrices, precision/recall/F, report, losses."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..exceptions import UndefinedMetricWarning
from ..utils.multiclass import type_of_target, unique_labels
from ..utils.validation import _num_samples, check_array, check_consistent_length, column_or_1d

__all__ = [
    "accuracy_score",
    "balanced_accuracy_score",
    "confusion_matrix",
    "multilabel_confusion_matrix",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "f1_score",
    "fbeta_score",
    "classification_report",
    "log_loss",
    "hinge_loss",
    "matthews_corrcoef",
    "cohen_kappa_score",
    "jaccard_score",
]

_AVERAGE_OPTIONS = (None, "micro", "macro", "weighted", "samples")


def _check_targets(y_true: Any, y_pred: Any) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """Validates a pair of classification targets.

    Returns:
        ``(y_type, labels, y_true, y_pred)`` with ``y_type`` one of binary/multiclass/multilabel-indicator;
        multilabel targets come back as dense 2-D arrays.

    Raises:
        ValueError: different lengths, empty input, mixed or unsupported target kinds.
    """
    check_consistent_length(y_true, y_pred)
    type_true = type_of_target(y_true, input_name="y_true")
    type_pred = type_of_target(y_pred, input_name="y_pred")
    for array in (y_true, y_pred):
        if _num_samples(array) < 1:
            raise ValueError("Found empty input array (e.g., `y_true` or `y_pred`) while a minimum of 1 "
                             "sample is required.")
    y_types = {type_true, type_pred}
    if y_types == {"binary", "multiclass"}:
        y_types = {"multiclass"}
    if len(y_types) > 1:
        raise ValueError(f"Classification metrics can't handle a mix of {type_true} and {type_pred} targets")
    y_type = y_types.pop()
    if y_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(f"{y_type} is not supported")
    labels = unique_labels(y_true, y_pred)
    if y_type == "multilabel-indicator":
        return y_type, labels, _dense(y_true), _dense(y_pred)
    y_true, y_pred = column_or_1d(y_true), column_or_1d(y_pred)
    if y_type == "binary" and labels.shape[0] > 2:
        y_type = "multiclass"
    return y_type, labels, y_true, y_pred


def _dense(y: Any) -> np.ndarray:
    return np.asarray(y.toarray() if hasattr(y, "toarray") else y)


def _weighted_sum_or_mean(values: np.ndarray, sample_weight: Any, normalize: bool) -> float:
    values = np.asarray(values, dtype=np.float64)
    if normalize:
        return float(np.average(values, weights=sample_weight))
    if sample_weight is not None:
        return float(np.dot(values, np.asarray(sample_weight, dtype=np.float64)))
    return float(values.sum())


def accuracy_score(y_true: Any, y_pred: Any, *, normalize: bool = True, sample_weight: Any = None) -> float:
    """Fraction (``normalize=False``: count) of correct predictions; subset accuracy for multilabel."""
    y_type, _, y_true, y_pred = _check_targets(y_true, y_pred)
    check_consistent_length(y_true, y_pred, sample_weight)
    if y_type == "multilabel-indicator":
        correct = np.all(y_true == y_pred, axis=1)
    else:
        correct = y_true == y_pred
    return _weighted_sum_or_mean(correct, sample_weight, normalize)


def confusion_matrix(y_true: Any, y_pred: Any, *, labels: Any = None, sample_weight: Any = None,
                     normalize: str | None = None) -> np.ndarray:
    """Counts ``C[i, j]`` of samples of true class ``labels[i]`` predicted as ``labels[j]``.

    Args:
        normalize: ``"true"`` (rows sum to 1), ``"pred"`` (columns) or ``"all"``; None keeps counts.

    Raises:
        ValueError: multilabel targets, empty ``labels``, or no label of ``labels`` in ``y_true``.
    """
    y_type, present, y_true, y_pred = _check_targets(y_true, y_pred)
    if y_type not in ("binary", "multiclass"):
        raise ValueError(f"{y_type} is not supported")
    if normalize not in ("true", "pred", "all", None):
        raise ValueError("The 'normalize' parameter of confusion_matrix must be a str among {'all', "
                         f"'pred', 'true'}} or None. Got {normalize!r} instead.")
    if labels is None:
        labels = present
    else:
        labels = np.asarray(labels)
        if labels.size == 0:
            raise ValueError("'labels' should contains at least one label.")
        if len(np.intersect1d(y_true, labels)) == 0:
            raise ValueError("At least one label specified must be in y_true")
    n_labels = labels.size
    if sample_weight is None:
        sample_weight = np.ones(y_true.shape[0], dtype=np.int64)
    else:
        sample_weight = np.asarray(sample_weight)
    check_consistent_length(y_true, y_pred, sample_weight)

    true_idx, true_ok = _label_positions(y_true, labels)
    pred_idx, pred_ok = _label_positions(y_pred, labels)
    keep = true_ok & pred_ok
    dtype = np.int64 if sample_weight.dtype.kind in "iub" else np.float64
    flat = true_idx[keep] * n_labels + pred_idx[keep]
    cm = np.bincount(flat, weights=sample_weight[keep], minlength=n_labels * n_labels)
    cm = cm.reshape(n_labels, n_labels).astype(dtype)
    if normalize is None:
        return cm
    with np.errstate(all="ignore"):
        if normalize == "true":
            cm = cm / cm.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            cm = cm / cm.sum(axis=0, keepdims=True)
        else:
            cm = cm / cm.sum()
    return np.nan_to_num(cm)


def _label_positions(y: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each element of ``y`` in ``labels`` and whether it was found there."""
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    pos = np.clip(np.searchsorted(sorted_labels, y), 0, len(labels) - 1)
    found = sorted_labels[pos] == y
    return order[pos], np.asarray(found, dtype=bool)


def multilabel_confusion_matrix(y_true: Any, y_pred: Any, *, sample_weight: Any = None, labels: Any = None,
                                samplewise: bool = False) -> np.ndarray:
    """One 2x2 matrix ``[[tn, fp], [fn, tp]]`` per label (or, with ``samplewise``, per sample).

    Raises:
        ValueError: ``samplewise`` outside multilabel, or labels out of range for multilabel targets.
    """
    y_type, present, y_true, y_pred = _check_targets(y_true, y_pred)
    if sample_weight is not None:
        sample_weight = column_or_1d(sample_weight)
    check_consistent_length(y_true, y_pred, sample_weight)
    if labels is None:
        labels, n_labels = present, None
    else:
        labels = np.asarray(labels)
        n_labels = labels.size
        labels = np.hstack([labels, np.setdiff1d(present, labels, assume_unique=True)])

    if y_type != "multilabel-indicator":
        if samplewise:
            raise ValueError("Samplewise metrics are not available outside of multilabel classification.")
        sorted_labels = np.sort(labels)
        true_enc = np.searchsorted(sorted_labels, y_true)
        pred_enc = np.searchsorted(sorted_labels, y_pred)
        weights = None if sample_weight is None else sample_weight[y_true == y_pred]
        tp_sum = np.bincount(true_enc[y_true == y_pred], weights=weights, minlength=len(labels))
        pred_sum = np.bincount(pred_enc, weights=sample_weight, minlength=len(labels))
        true_sum = np.bincount(true_enc, weights=sample_weight, minlength=len(labels))
        order = np.searchsorted(sorted_labels, labels[:n_labels])
        tp_sum, pred_sum, true_sum = tp_sum[order], pred_sum[order], true_sum[order]
        total = y_true.shape[0] if sample_weight is None else sample_weight.sum()
    else:
        if n_labels is not None:
            if np.max(labels) > np.max(present):
                raise ValueError("All labels must be in [0, n labels) for multilabel targets. Got "
                                 f"{np.max(labels)} > {np.max(present)}")
            if np.min(labels) < 0:
                raise ValueError("All labels must be in [0, n labels) for multilabel targets. Got "
                                 f"{np.min(labels)} < 0")
            y_true, y_pred = y_true[:, labels[:n_labels]], y_pred[:, labels[:n_labels]]
        axis = 1 if samplewise else 0
        w = None if samplewise or sample_weight is None else sample_weight[:, None]
        both = (y_true != 0) & (y_pred != 0)

        def count(mask: np.ndarray) -> np.ndarray:
            return mask.sum(axis=axis) if w is None else (mask * w).sum(axis=axis)

        tp_sum, pred_sum, true_sum = count(both), count(y_pred != 0), count(y_true != 0)
        if samplewise:
            total = y_true.shape[1]
        else:
            total = y_true.shape[0] if sample_weight is None else sample_weight.sum()
    fp = pred_sum - tp_sum
    fn = true_sum - tp_sum
    tn = total - tp_sum - fp - fn
    return np.array([tn, fp, fn, tp_sum]).T.reshape(-1, 2, 2)


def balanced_accuracy_score(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                            adjusted: bool = False) -> float:
    """Mean per-class recall; with ``adjusted``, rescaled so that chance is 0 and perfect is 1."""
    cm = confusion_matrix(y_true, y_pred, sample_weight=sample_weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_class = np.diag(cm) / cm.sum(axis=1)
    if np.any(np.isnan(per_class)):
        warnings.warn("y_pred contains classes not in y_true", stacklevel=2)
        per_class = per_class[~np.isnan(per_class)]
    score = np.mean(per_class)
    if adjusted:
        chance = 1 / len(per_class)
        score = (score - chance) / (1 - chance)
    return float(score)


def _zero_division_value(zero_division: Any) -> float:
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if isinstance(zero_division, (int, float)) and zero_division in (0, 1):
        return float(zero_division)
    if isinstance(zero_division, float) and np.isnan(zero_division):
        return np.nan
    raise ValueError("The 'zero_division' parameter must be a float among {0.0, 1.0, nan} or a str among "
                     f"{{'warn'}}. Got {zero_division!r} instead.")


def _divide(numerator: np.ndarray, denominator: np.ndarray, metric: str, modifier: str, average: Any,
            warn_for: Any, zero_division: Any) -> np.ndarray:
    """``numerator / denominator`` with ``zero_division``'s value (and maybe a warning) where it is 0."""
    denominator = np.asarray(denominator, dtype=np.float64)
    mask = denominator == 0
    result = np.asarray(numerator, dtype=np.float64) / np.where(mask, 1.0, denominator)
    if not np.any(mask):
        return result
    result[mask] = _zero_division_value(zero_division)
    if isinstance(zero_division, str) and zero_division == "warn" and metric in warn_for:
        _warn_ill_defined(average, modifier, f"{metric.capitalize()} is", result.shape[0])
    return result


def _warn_ill_defined(average: Any, modifier: str, msg_start: str, result_size: int) -> None:
    axis0, axis1 = ("label", "sample") if average == "samples" else ("sample", "label")
    where = "due to" if result_size == 1 else f"in {axis1}s with"
    warnings.warn(f"{msg_start} ill-defined and being set to 0.0 {where} no {modifier} {axis0}s. Use "
                  "`zero_division` parameter to control this behavior.", UndefinedMetricWarning, stacklevel=3)


def _set_wise_labels(y_true: Any, y_pred: Any, average: Any, labels: Any, pos_label: Any) -> Any:
    if average not in _AVERAGE_OPTIONS and average != "binary":
        raise ValueError("average has to be one of " + str(_AVERAGE_OPTIONS))
    y_type, present, _, _ = _check_targets(y_true, y_pred)
    if average == "binary":
        if y_type == "binary":
            if pos_label not in present and len(present) >= 2:
                raise ValueError(f"pos_label={pos_label} is not a valid label. It should be one of {present}")
            return [pos_label]
        options = [o for o in _AVERAGE_OPTIONS if not (y_type == "multiclass" and o == "samples")]
        raise ValueError(f"Target is {y_type} but average='binary'. Please choose another average setting, "
                         f"one of {options!r}.")
    if pos_label not in (None, 1):
        warnings.warn(f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' (got "
                      f"{average!r}). You may use labels=[pos_label] to specify a single positive class.",
                      UserWarning, stacklevel=3)
    return labels


def _nan_average(values: np.ndarray, weights: Any) -> float:
    """Average over the non-NaN entries (NaN when all are NaN); zero total weight falls back to the mean."""
    keep = ~np.isnan(values)
    if not np.any(keep):
        return np.nan
    if weights is None:
        return float(np.mean(values[keep]))
    weights = np.asarray(weights, dtype=np.float64)[keep]
    if weights.sum() == 0:
        return float(np.mean(values[keep]))
    return float(np.average(values[keep], weights=weights))


def precision_recall_fscore_support(
    y_true: Any, y_pred: Any, *, beta: float = 1.0, labels: Any = None, pos_label: Any = 1,
    average: str | None = None, warn_for: Any = ("precision", "recall", "f-score"),
    sample_weight: Any = None, zero_division: Any = "warn",
) -> tuple:
    """Precision, recall, F-beta and support per label, or averaged.

    Args:
        average: None (per label), ``"binary"`` (``pos_label`` only), ``"micro"``, ``"macro"``,
            ``"weighted"`` (by support) or ``"samples"`` (multilabel).
        zero_division: value for 0/0 (0, 1 or NaN); ``"warn"`` gives 0 and an ``UndefinedMetricWarning``.

    Returns:
        ``(precision, recall, fbeta, support)``: arrays, or floats and ``None`` support when averaged.
    """
    _zero_division_value(zero_division)
    if beta < 0:
        raise ValueError("The 'beta' parameter of precision_recall_fscore_support must be a float in the "
                         f"range [0.0, inf]. Got {beta!r} instead.")
    labels = _set_wise_labels(y_true, y_pred, average, labels, pos_label)
    samplewise = average == "samples"
    mcm = multilabel_confusion_matrix(y_true, y_pred, sample_weight=sample_weight, labels=labels,
                                      samplewise=samplewise)
    tp_sum = mcm[:, 1, 1]
    pred_sum = tp_sum + mcm[:, 0, 1]
    true_sum = tp_sum + mcm[:, 1, 0]
    if average == "micro":
        tp_sum, pred_sum, true_sum = (np.array([s.sum()]) for s in (tp_sum, pred_sum, true_sum))
    precision = _divide(tp_sum, pred_sum, "precision", "predicted", average, warn_for, zero_division)
    recall = _divide(tp_sum, true_sum, "recall", "true", average, warn_for, zero_division)
    if np.isposinf(beta):
        f_score = recall
    elif beta == 0:
        f_score = precision
    else:
        beta2 = beta ** 2
        f_score = _divide((1 + beta2) * np.asarray(tp_sum, dtype=np.float64),
                          beta2 * np.asarray(true_sum, dtype=np.float64) + pred_sum,
                          "f-score", "true nor predicted", average, warn_for, zero_division)
    if average is None:
        return precision, recall, f_score, true_sum
    weights = true_sum if average == "weighted" else sample_weight if samplewise else None
    return (_nan_average(precision, weights), _nan_average(recall, weights),
            _nan_average(f_score, weights), None)


def fbeta_score(y_true: Any, y_pred: Any, *, beta: float, labels: Any = None, pos_label: Any = 1,
                average: str | None = "binary", sample_weight: Any = None, zero_division: Any = "warn"):
    """F-beta score: weighted harmonic mean of precision and recall (recall ``beta`` times as important)."""
    _, _, f, _ = precision_recall_fscore_support(
        y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label, average=average,
        warn_for=("f-score",), sample_weight=sample_weight, zero_division=zero_division)
    return f


def f1_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1,
             average: str | None = "binary", sample_weight: Any = None, zero_division: Any = "warn"):
    """F1 score: harmonic mean of precision and recall."""
    return fbeta_score(y_true, y_pred, beta=1, labels=labels, pos_label=pos_label, average=average,
                       sample_weight=sample_weight, zero_division=zero_division)


def precision_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1,
                    average: str | None = "binary", sample_weight: Any = None, zero_division: Any = "warn"):
    """Precision ``tp / (tp + fp)``."""
    p, _, _, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average, warn_for=("precision",),
        sample_weight=sample_weight, zero_division=zero_division)
    return p


def recall_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1,
                 average: str | None = "binary", sample_weight: Any = None, zero_division: Any = "warn"):
    """Recall ``tp / (tp + fn)``."""
    _, r, _, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average, warn_for=("recall",),
        sample_weight=sample_weight, zero_division=zero_division)
    return r


def jaccard_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1,
                  average: str | None = "binary", sample_weight: Any = None, zero_division: Any = "warn"):
    """Jaccard index ``tp / (tp + fp + fn)`` per label, or averaged like ``precision_score``."""
    labels = _set_wise_labels(y_true, y_pred, average, labels, pos_label)
    samplewise = average == "samples"
    mcm = multilabel_confusion_matrix(y_true, y_pred, sample_weight=sample_weight, labels=labels,
                                      samplewise=samplewise)
    numerator = mcm[:, 1, 1]
    denominator = mcm[:, 1, 1] + mcm[:, 0, 1] + mcm[:, 1, 0]
    if average == "micro":
        numerator, denominator = np.array([numerator.sum()]), np.array([denominator.sum()])
    jaccard = _divide(numerator, denominator, "jaccard", "true or predicted", average, ("jaccard",),
                      zero_division)
    if average is None:
        return jaccard
    weights = None
    if average == "weighted":
        weights = mcm[:, 1, 0] + mcm[:, 1, 1]
        weights = weights if np.any(weights) else None
    elif samplewise:
        weights = sample_weight
    return float(np.average(jaccard, weights=weights))


def classification_report(y_true: Any, y_pred: Any, *, labels: Any = None, target_names: Any = None,
                          sample_weight: Any = None, digits: int = 2, output_dict: bool = False,
                          zero_division: Any = "warn") -> str | dict:
    """Text (or dict) summary of precision, recall, F1 and support per class and averaged.

    Raises:
        ValueError: ``target_names`` does not match the number of classes found.
    """
    y_type, present, y_true, y_pred = _check_targets(y_true, y_pred)
    labels_given = labels is not None
    labels = np.asarray(labels) if labels_given else present
    micro_is_accuracy = y_type in ("binary", "multiclass") and (
        not labels_given or set(labels.tolist()) >= set(unique_labels(y_true, y_pred).tolist()))
    if target_names is not None and len(labels) != len(target_names):
        if labels_given:
            warnings.warn(f"labels size, {len(labels)}, does not match size of target_names, "
                          f"{len(target_names)}", stacklevel=2)
        else:
            raise ValueError(f"Number of classes, {len(labels)}, does not match size of target_names, "
                             f"{len(target_names)}. Try specifying the labels parameter")
    if target_names is None:
        target_names = [f"{label}" for label in labels]

    headers = ["precision", "recall", "f1-score", "support"]
    p, r, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, sample_weight=sample_weight, zero_division=zero_division)
    rows = list(zip(target_names, p, r, f1, support))
    averages = ("micro", "macro", "weighted", "samples") if y_type.startswith("multilabel") \
        else ("micro", "macro", "weighted")
    avg_rows = []
    for average in averages:
        heading = "accuracy" if average == "micro" and micro_is_accuracy else f"{average} avg"
        avg_p, avg_r, avg_f1, _ = precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=average, sample_weight=sample_weight,
            zero_division=zero_division)
        avg_rows.append((heading, avg_p, avg_r, avg_f1, np.sum(support)))

    if output_dict:
        report = {row[0]: {h: float(v) for h, v in zip(headers, row[1:])} for row in rows + avg_rows}
        if "accuracy" in report:
            report["accuracy"] = report["accuracy"]["precision"]
        return report

    width = max(max(len(name) for name in target_names), len("weighted avg"), digits)
    text = f"{'':>{width}s} " + "".join(f" {h:>9}" for h in headers) + "\n\n"
    for row in rows:
        text += _report_row(row, width, digits)
    text += "\n"
    for row in avg_rows:
        if row[0] == "accuracy":
            text += f"{'accuracy':>{width}s} " + f" {'':>9}" * 2 + f" {row[3]:>9.{digits}f} {row[4]:>9}\n"
        else:
            text += _report_row(row, width, digits)
    return text


def _report_row(row: tuple, width: int, digits: int) -> str:
    name, p, r, f, s = row
    return f"{name:>{width}s} " + "".join(f" {v:>9.{digits}f}" for v in (p, r, f)) + f" {s:>9}\n"


def log_loss(y_true: Any, y_proba: Any = None, *, normalize: bool = True, sample_weight: Any = None,
             labels: Any = None) -> float:
    """Cross-entropy of predicted probabilities ``y_proba`` against the true labels.

    Raises:
        ValueError: probabilities outside [0, 1], a single class, or a class count that disagrees.
    """
    y_proba = check_array(y_proba, ensure_2d=False, dtype=[np.float64, np.float32, np.float16])
    if np.max(y_proba) > 1:
        raise ValueError(f"y_prob contains values greater than 1: {np.max(y_proba)}")
    if np.min(y_proba) < 0:
        raise ValueError(f"y_prob contains values lower than 0: {np.min(y_proba)}")
    check_consistent_length(y_proba, y_true, sample_weight)
    y_true = np.asarray(y_true)
    if labels is not None:
        classes = np.unique(np.asarray(labels))
        missing = set(np.unique(y_true).tolist()) - set(classes.tolist())
        if missing:
            raise ValueError(f"y_true contains values {missing} not belonging to the passed labels {labels}.")
    else:
        classes = unique_labels(y_true)
    if classes.shape[0] == 1:
        if labels is None:
            raise ValueError(f"y_true contains only one label ({classes[0]}). Please provide the list of all "
                             "expected class labels explicitly through the labels argument.")
        raise ValueError("The labels array needs to contain at least two labels for log_loss, got "
                         f"{classes}.")
    onehot = (y_true.reshape(-1, 1) == classes.reshape(1, -1)) if y_true.ndim == 1 else y_true
    if y_proba.ndim == 1:
        y_proba = y_proba[:, None]
    if y_proba.shape[1] == 1:
        y_proba = np.hstack([1 - y_proba, y_proba])
    eps = np.finfo(y_proba.dtype).eps
    if not np.allclose(y_proba.sum(axis=1), 1, rtol=np.sqrt(eps)):
        warnings.warn("The y_prob values do not sum to one. Make sure to pass probabilities.", UserWarning,
                      stacklevel=2)
    if classes.shape[0] != y_proba.shape[1]:
        if labels is None:
            raise ValueError(f"y_true and y_prob contain different number of classes: {onehot.shape[1]} vs "
                             f"{y_proba.shape[1]}. Please provide the true labels explicitly through the "
                             f"labels argument. Classes found in y_true: {classes}")
        raise ValueError("The number of classes in labels is different from that in y_prob. Classes found "
                         f"in labels: {classes}")
    from scipy.special import xlogy

    y_proba = np.clip(y_proba, eps, 1 - eps)
    loss = -xlogy(onehot.astype(y_proba.dtype), y_proba).sum(axis=1)
    return _weighted_sum_or_mean(loss, sample_weight, normalize)


def hinge_loss(y_true: Any, pred_decision: Any, *, labels: Any = None, sample_weight: Any = None) -> float:
    """Average hinge loss ``max(0, 1 - margin)`` (Crammer-Singer margin for multiclass).

    Raises:
        ValueError: ``pred_decision``'s shape does not fit the number of classes.
    """
    check_consistent_length(y_true, pred_decision, sample_weight)
    pred_decision = check_array(pred_decision, ensure_2d=False)
    y_true = column_or_1d(y_true)
    classes = np.unique(labels if labels is not None else y_true)
    if classes.size > 2:
        n = y_true.shape[0]
        if pred_decision.ndim <= 1:
            raise ValueError("The shape of pred_decision cannot be 1d arraywith a multiclass target. "
                             f"pred_decision shape must be (n_samples, n_classes), that is ({n}, "
                             f"{classes.size}). Got: {pred_decision.shape}")
        if classes.size != pred_decision.shape[1]:
            if labels is None:
                raise ValueError("Please include all labels in y_true or pass labels as third argument")
            raise ValueError("The shape of pred_decision is not consistent with the number of classes. With "
                             "a multiclass target, pred_decision shape must be (n_samples, n_classes), that "
                             f"is ({n}, {classes.size}). Got: {pred_decision.shape}")
        true_idx = np.searchsorted(classes, y_true)
        rows = np.arange(n)
        margin = pred_decision[rows, true_idx].astype(np.float64)
        others = pred_decision.astype(np.float64)
        others[rows, true_idx] = -np.inf
        margin = margin - others.max(axis=1)
    else:
        pred_decision = column_or_1d(pred_decision).ravel()
        y_classes = np.unique(y_true)
        signs = np.where((y_classes.size == 2) & (y_true == y_classes[-1]), 1.0, -1.0)
        margin = signs * pred_decision
    losses = np.clip(1 - margin, 0, None)
    return float(np.average(losses, weights=sample_weight))


def matthews_corrcoef(y_true: Any, y_pred: Any, *, sample_weight: Any = None) -> float:
    """Matthews correlation coefficient (its multiclass generalisation, R_K); 0 when undefined."""
    y_type, _, y_true, y_pred = _check_targets(y_true, y_pred)
    if y_type not in ("binary", "multiclass"):
        raise ValueError(f"{y_type} is not supported")
    cm = confusion_matrix(y_true, y_pred, sample_weight=sample_weight).astype(np.float64)
    t_sum, p_sum = cm.sum(axis=1), cm.sum(axis=0)
    n_correct, n = np.trace(cm), p_sum.sum()
    cov_tp = n_correct * n - t_sum @ p_sum
    cov_pp = n ** 2 - p_sum @ p_sum
    cov_tt = n ** 2 - t_sum @ t_sum
    if cov_pp * cov_tt == 0:
        return 0.0
    return float(cov_tp / np.sqrt(cov_pp * cov_tt))


def cohen_kappa_score(y1: Any, y2: Any, *, labels: Any = None, weights: str | None = None,
                      sample_weight: Any = None, replace_undefined_by: float = np.nan) -> float:
    """Cohen's kappa: agreement between two annotators beyond chance (weights None/linear/quadratic)."""
    try:
        cm = confusion_matrix(y1, y2, labels=labels, sample_weight=sample_weight)
    except ValueError as e:
        if "At least one label specified must be in y_true" in str(e):
            raise ValueError("At least one label in `labels` must be present in `y1` (even though "
                             "`cohen_kappa_score` is otherwise agnostic to the order of `y1` and "
                             "`y2`).") from e
        raise
    cm = cm.astype(np.float64)
    n_classes = cm.shape[0]
    sum0, sum1 = cm.sum(axis=0), cm.sum(axis=1)
    total = sum0.sum()
    if total == 0:
        warnings.warn("`y2` contains no labels that are present in both `y1` and "
                      "`labels`.`cohen_kappa_score` is undefined and set to the value defined by the "
                      "`replace_undefined_by` param, which is set to "
                      f"{replace_undefined_by}.", UndefinedMetricWarning, stacklevel=2)
        return replace_undefined_by
    expected = np.outer(sum0, sum1) / total
    grid = np.arange(n_classes)
    if weights is None:
        w = 1.0 - np.eye(n_classes)
    elif weights == "linear":
        w = np.abs(grid[:, None] - grid[None, :]).astype(np.float64)
    elif weights == "quadratic":
        w = ((grid[:, None] - grid[None, :]) ** 2).astype(np.float64)
    else:
        raise ValueError("The 'weights' parameter of cohen_kappa_score must be a str among {'linear', "
                         f"'quadratic'}} or None. Got {weights!r} instead.")
    denominator = np.sum(w * expected)
    if denominator == 0:
        warnings.warn("`y1`, `y2` and `labels` have only one label in common. `cohen_kappa_score` is "
                      "undefined and set to the value defined by the the `replace_undefined_by` param, "
                      f"which is set to {replace_undefined_by}.", UndefinedMetricWarning, stacklevel=2)
        return replace_undefined_by
    return float(1 - np.sum(w * cm) / denominator)
