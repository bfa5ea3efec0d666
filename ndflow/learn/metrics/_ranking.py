"""Metrics on continuous scores: ROC and precision-recall curves, their areas, and ``auc``."""
from __future__ import annotations

import warnings
from collections.abc import Callable
from itertools import combinations
from typing import Any

import numpy as np

from ..exceptions import UndefinedMetricWarning
from ..utils.multiclass import type_of_target
from ..utils.validation import _assert_all_finite, check_array, check_consistent_length, column_or_1d

__all__ = ["auc", "roc_curve", "precision_recall_curve", "roc_auc_score", "average_precision_score",
           "top_k_accuracy_score"]


def auc(x: Any, y: Any) -> float:
    """Area under the curve through the points ``(x, y)`` by the trapezoidal rule (``x`` monotonic).

    Raises:
        ValueError: fewer than 2 points, or ``x`` neither increasing nor decreasing.
    """
    check_consistent_length(x, y)
    x, y = column_or_1d(x), column_or_1d(y)
    if x.shape[0] < 2:
        raise ValueError("At least 2 points are needed to compute area under curve, but x.shape = "
                         f"{x.shape[0]}")
    direction = 1
    dx = np.diff(x)
    if np.any(dx < 0):
        if not np.all(dx <= 0):
            raise ValueError(f"x is neither increasing nor decreasing : {x}.")
        direction = -1
    return float(direction * np.trapezoid(y, x))


def _check_pos_label(pos_label: Any, y_true: np.ndarray) -> Any:
    if pos_label is not None:
        return pos_label
    classes = np.unique(y_true)
    if classes.dtype.kind in "OUS" or classes.shape[0] > 2 or not any(
        classes.shape[0] == len(ref) and np.all(classes == np.asarray(ref))
        for ref in ([0, 1], [-1, 1], [0], [-1], [1])
    ):
        shown = ", ".join(repr(c) for c in classes.tolist())
        raise ValueError(f"y_true takes value in {{{shown}}} and pos_label is not specified: either make "
                         "y_true take value in {0, 1} or {-1, 1} or pass pos_label explicitly.")
    return 1


def _binary_clf_curve(y_true: Any, y_score: Any, pos_label: Any = None, sample_weight: Any = None):
    """Cumulative false and true positives at each distinct score, from the highest score down.

    Returns:
        ``(fps, tps, thresholds)``.
    """
    y_type = type_of_target(y_true, input_name="y_true")
    if not (y_type == "binary" or (y_type == "multiclass" and pos_label is not None)):
        raise ValueError(f"{y_type} format is not supported")
    check_consistent_length(y_true, y_score, sample_weight)
    y_true, y_score = column_or_1d(y_true), column_or_1d(y_score)
    for values, name in ((y_true, "y_true"), (y_score, "y_score")):
        if values.dtype.kind in "fc":
            _assert_all_finite(values, input_name=name)
    if sample_weight is not None:
        sample_weight = column_or_1d(sample_weight)
        nonzero = sample_weight != 0
        y_true, y_score, sample_weight = y_true[nonzero], y_score[nonzero], sample_weight[nonzero]
    pos_label = _check_pos_label(pos_label, y_true)
    positive = (y_true == pos_label).astype(np.float64)
    order = np.argsort(y_score, kind="mergesort")[::-1]
    y_score, positive = y_score[order], positive[order]
    weight = 1.0 if sample_weight is None else sample_weight[order]
    last_of_each_score = np.r_[np.where(np.diff(y_score))[0], positive.size - 1]
    tps = np.cumsum(positive * weight, dtype=np.float64)[last_of_each_score]
    if sample_weight is None:
        fps = 1 + last_of_each_score - tps
    else:
        fps = np.cumsum((1 - positive) * weight, dtype=np.float64)[last_of_each_score]
    return fps, tps, y_score[last_of_each_score]


def roc_curve(y_true: Any, y_score: Any, *, pos_label: Any = None, sample_weight: Any = None,
              drop_intermediate: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Receiver operating characteristic of a binary problem.

    Returns:
        ``(fpr, tpr, thresholds)``, thresholds decreasing from ``inf``.
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label=pos_label,
                                             sample_weight=sample_weight)
    if drop_intermediate and fps.shape[0] > 2:
        keep = np.where(np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True])[0]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    tps = np.r_[0.0, tps]
    fps = np.r_[0.0, fps]
    thresholds = np.r_[np.inf, thresholds.astype(np.float64)]
    if fps[-1] <= 0:
        warnings.warn("No negative samples in y_true, false positive value should be meaningless",
                      UndefinedMetricWarning, stacklevel=2)
        fpr = np.full(fps.shape, np.nan)
    else:
        fpr = fps / fps[-1]
    if tps[-1] <= 0:
        warnings.warn("No positive samples in y_true, true positive value should be meaningless",
                      UndefinedMetricWarning, stacklevel=2)
        tpr = np.full(tps.shape, np.nan)
    else:
        tpr = tps / tps[-1]
    return fpr, tpr, thresholds


def precision_recall_curve(y_true: Any, y_score: Any, *, pos_label: Any = None, sample_weight: Any = None,
                           drop_intermediate: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision and recall at every distinct score threshold of a binary problem.

    Returns:
        ``(precision, recall, thresholds)``: thresholds increasing; precision ends with 1 and recall with 0
        (one more entry than thresholds).
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label=pos_label,
                                             sample_weight=sample_weight)
    if drop_intermediate and fps.shape[0] > 2:
        keep = np.where(np.r_[True, np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:])), True])[0]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    predicted = tps + fps
    precision = np.divide(tps, predicted, out=np.zeros_like(tps), where=predicted != 0)
    if tps[-1] == 0:
        warnings.warn("No positive class found in y_true, recall is set to one for all thresholds.",
                      stacklevel=2)
        recall = np.ones_like(tps)
    else:
        recall = tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]


def _binarize(y: np.ndarray, classes: np.ndarray) -> np.ndarray:
    return (y.reshape(-1, 1) == classes.reshape(1, -1)).astype(np.int64)


def _average_binary_score(metric: Callable, y_true: Any, y_score: Any, average: str | None,
                          sample_weight: Any = None):
    """Applies a binary ``metric`` per label (or per sample, or once on everything) and averages."""
    options = (None, "micro", "macro", "weighted", "samples")
    if average not in options:
        raise ValueError(f"average has to be one of {options}")
    y_type = type_of_target(y_true)
    if y_type not in ("binary", "multilabel-indicator"):
        raise ValueError(f"{y_type} format is not supported")
    if y_type == "binary":
        return metric(y_true, y_score, sample_weight=sample_weight)
    check_consistent_length(y_true, y_score, sample_weight)
    y_true, y_score = check_array(y_true), check_array(y_score)
    axis, score_weight, average_weight = 1, sample_weight, None
    if average == "micro":
        if score_weight is not None:
            score_weight = np.repeat(score_weight, y_true.shape[1])
        y_true, y_score = y_true.reshape(-1, 1), y_score.reshape(-1, 1)
    elif average == "weighted":
        weights = np.ones(y_true.shape[0]) if sample_weight is None else np.asarray(sample_weight)
        average_weight = (y_true * weights[:, None]).sum(axis=0)
        if np.isclose(average_weight.sum(), 0):
            return 0
    elif average == "samples":
        average_weight, score_weight, axis = score_weight, None, 0
    n_scores = y_score.shape[axis]
    scores = np.array([metric(np.take(y_true, c, axis=axis), np.take(y_score, c, axis=axis),
                              sample_weight=score_weight) for c in range(n_scores)], dtype=np.float64)
    if average is None:
        return scores
    if average_weight is not None:
        scores[np.asarray(average_weight) == 0] = 0
    return float(np.average(scores, weights=average_weight))


def _binary_roc_auc(y_true: np.ndarray, y_score: np.ndarray, sample_weight: Any = None,
                    max_fpr: float | None = None) -> float:
    if len(np.unique(y_true)) != 2:
        warnings.warn("Only one class is present in y_true. ROC AUC score is not defined in that case.",
                      UndefinedMetricWarning, stacklevel=3)
        return np.nan
    fpr, tpr, _ = roc_curve(y_true, y_score, sample_weight=sample_weight)
    if max_fpr is None or max_fpr == 1:
        return auc(fpr, tpr)
    if max_fpr <= 0 or max_fpr > 1:
        raise ValueError(f"Expected max_fpr in range (0, 1], got: {max_fpr!r}")
    # McClish-standardised partial AUC up to max_fpr.
    stop = np.searchsorted(fpr, max_fpr, "right")
    tpr_at_max = np.interp(max_fpr, fpr[stop - 1:stop + 1], tpr[stop - 1:stop + 1])
    partial = auc(np.append(fpr[:stop], max_fpr), np.append(tpr[:stop], tpr_at_max))
    min_area, max_area = 0.5 * max_fpr ** 2, max_fpr
    return 0.5 * (1 + (partial - min_area) / (max_area - min_area))


def roc_auc_score(y_true: Any, y_score: Any, *, average: str | None = "macro", sample_weight: Any = None,
                  max_fpr: float | None = None, multi_class: str = "raise", labels: Any = None):
    """Area under the ROC curve: binary, multilabel, or multiclass one-vs-rest / one-vs-one.

    Raises:
        ValueError: a multiclass target without ``multi_class`` set, or scores of the wrong shape.
    """
    y_type = type_of_target(y_true, input_name="y_true")
    y_true = check_array(y_true, ensure_2d=False, dtype=None)
    y_score = check_array(y_score, ensure_2d=False)
    if sample_weight is not None:
        sample_weight = column_or_1d(sample_weight)
    if y_type == "multiclass" or (y_type == "binary" and y_score.ndim == 2 and y_score.shape[1] > 2):
        if max_fpr is not None and max_fpr != 1.0:
            raise ValueError("Partial AUC computation not available in multiclass setting, 'max_fpr' must "
                             f"be set to `None`, received `max_fpr={max_fpr}` instead")
        if multi_class == "raise":
            raise ValueError("multi_class must be in ('ovo', 'ovr')")
        return _multiclass_roc_auc(y_true, y_score, labels, multi_class, average, sample_weight)

    def binary_auc(t, s, sample_weight=None):
        return _binary_roc_auc(t, s, sample_weight=sample_weight, max_fpr=max_fpr)

    if y_type == "binary":
        classes = np.unique(y_true)
        y_true = (y_true == classes[-1]).astype(np.int64) if classes.size == 2 else np.zeros(len(y_true))
    return _average_binary_score(binary_auc, y_true, y_score, average, sample_weight=sample_weight)


def _multiclass_roc_auc(y_true: np.ndarray, y_score: np.ndarray, labels: Any, multi_class: str,
                        average: str | None, sample_weight: Any) -> float:
    if y_score.ndim != 2:
        raise ValueError("`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains "
                         f"multiple classes. Got `y_score.shape={y_score.shape}`.")
    if not np.allclose(1, y_score.sum(axis=1)):
        raise ValueError("Target scores need to be probabilities for multiclass roc_auc, i.e. they should "
                         "sum up to 1.0 over classes")
    options = (("micro",) if multi_class == "ovr" else ()) + ("macro", "weighted", None)
    if average not in options:
        raise ValueError(f"average must be one of {options} for multiclass problems")
    if multi_class not in ("ovo", "ovr"):
        raise ValueError(f"multi_class='{multi_class}' is not supported for multiclass ROC AUC, multi_class "
                         "must be in ('ovo', 'ovr')")
    if average is None and multi_class == "ovo":
        raise NotImplementedError("average=None is not implemented for multi_class='ovo'.")
    if labels is not None:
        labels = column_or_1d(labels)
        classes = np.unique(labels)
        if len(classes) != len(labels):
            raise ValueError("Parameter 'labels' must be unique")
        if not np.array_equal(classes, labels):
            raise ValueError("Parameter 'labels' must be ordered")
        if len(classes) != y_score.shape[1]:
            raise ValueError(f"Number of given labels, {len(classes)}, not equal to the number of columns in "
                             f"'y_score', {y_score.shape[1]}")
        if len(np.setdiff1d(y_true, classes)):
            raise ValueError("'y_true' contains labels not in parameter 'labels'")
    else:
        classes = np.unique(y_true)
        if len(classes) != y_score.shape[1]:
            raise ValueError("Number of classes in y_true not equal to the number of columns in 'y_score'")
    if multi_class == "ovr":
        return _average_binary_score(_binary_roc_auc, _binarize(y_true, classes), y_score, average,
                                     sample_weight=sample_weight)
    if sample_weight is not None:
        raise ValueError("sample_weight is not supported for multiclass one-vs-one ROC AUC, 'sample_weight' "
                         "must be None in this case.")
    # Hand & Till: mean over class pairs of the two directed AUCs restricted to those classes.
    encoded = np.searchsorted(classes, y_true)
    present = np.unique(encoded)
    pair_scores, prevalence = [], []
    for a, b in combinations(present, 2):
        in_pair = (encoded == a) | (encoded == b)
        a_true = encoded[in_pair] == a
        score_a = _binary_roc_auc(a_true, y_score[in_pair, a])
        score_b = _binary_roc_auc(~a_true, y_score[in_pair, b])
        pair_scores.append((score_a + score_b) / 2)
        prevalence.append(np.mean(in_pair))
    return float(np.average(pair_scores, weights=prevalence if average == "weighted" else None))


def average_precision_score(y_true: Any, y_score: Any, *, average: str | None = "macro", pos_label: Any = 1,
                            sample_weight: Any = None):
    """Average precision: the precision at each threshold weighted by the recall gained there.

    Raises:
        ValueError: ``pos_label`` absent from a binary ``y_true``, or set for multiclass/multilabel targets.
    """
    if sample_weight is not None:
        sample_weight = column_or_1d(sample_weight)

    def binary_ap(t, s, sample_weight=None):
        precision, recall, _ = precision_recall_curve(t, s, pos_label=pos_label, sample_weight=sample_weight)
        return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))

    y_type = type_of_target(y_true, input_name="y_true")
    present = np.unique(np.asarray(y_true))
    if y_type == "binary":
        if present.shape[0] == 2 and pos_label not in present:
            raise ValueError(f"pos_label={pos_label} is not a valid label. It should be one of {present}")
    elif y_type == "multilabel-indicator" and pos_label != 1:
        raise ValueError("Parameter pos_label is fixed to 1 for multilabel-indicator y_true. Do not set "
                         "pos_label or set pos_label to 1.")
    elif y_type == "multiclass":
        if pos_label != 1:
            raise ValueError("Parameter pos_label is fixed to 1 for multiclass y_true. Do not set pos_label "
                             "or set pos_label to 1.")
        y_true = _binarize(column_or_1d(y_true), present)
        if np.shape(y_score) != y_true.shape:
            raise ValueError("`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` "
                             f"contains multiple classes. Got `y_score.shape={np.shape(y_score)}`.")
    return _average_binary_score(binary_ap, y_true, y_score, average, sample_weight=sample_weight)


def top_k_accuracy_score(y_true: Any, y_score: Any, *, k: int = 2, normalize: bool = True,
                         sample_weight: Any = None, labels: Any = None) -> float:
    """Fraction of samples whose true class is among the ``k`` highest-scored classes.

    Raises:
        ValueError: a target that is not binary/multiclass, or scores/labels that do not match the classes.
    """
    y_true = column_or_1d(check_array(y_true, ensure_2d=False, dtype=None))
    y_type = type_of_target(y_true, input_name="y_true")
    if y_type == "binary" and labels is not None and len(labels) > 2:
        y_type = "multiclass"
    if y_type not in ("binary", "multiclass"):
        raise ValueError(f"y type must be 'binary' or 'multiclass', got '{y_type}' instead.")
    y_score = check_array(y_score, ensure_2d=False)
    if y_type == "binary":
        if y_score.ndim == 2 and y_score.shape[1] != 1:
            raise ValueError(f"`y_true` is binary while y_score is 2d with {y_score.shape[1]} classes. If "
                             "`y_true` does not contain all the labels, `labels` must be provided.")
        y_score = column_or_1d(y_score)
    elif y_score.ndim != 2:
        raise ValueError("`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains "
                         f"multiple classes. Got `y_score.shape={y_score.shape}`.")
    check_consistent_length(y_true, y_score, sample_weight)
    n_score_classes = y_score.shape[1] if y_score.ndim == 2 else 2
    if labels is None:
        classes = np.unique(y_true)
        if len(classes) != n_score_classes:
            raise ValueError(f"Number of classes in 'y_true' ({len(classes)}) not equal to the number of "
                             f"classes in 'y_score' ({n_score_classes}).You can provide a list of all known "
                             "classes by assigning it to the `labels` parameter.")
    else:
        labels = column_or_1d(labels)
        classes = np.unique(labels)
        if len(classes) != len(labels):
            raise ValueError("Parameter 'labels' must be unique.")
        if not np.array_equal(classes, labels):
            raise ValueError("Parameter 'labels' must be ordered.")
        if len(classes) != n_score_classes:
            raise ValueError(f"Number of given labels ({len(classes)}) not equal to the number of classes in "
                             f"'y_score' ({n_score_classes}).")
        if len(np.setdiff1d(y_true, classes)):
            raise ValueError("'y_true' contains labels not in parameter 'labels'.")
    if k >= len(classes):
        warnings.warn(f"'k' ({k}) greater than or equal to 'n_classes' ({len(classes)}) will result in a "
                      "perfect score and is therefore meaningless.", UndefinedMetricWarning, stacklevel=2)
    encoded = np.searchsorted(classes, y_true)
    if y_type == "binary":
        if k == 1:
            threshold = 0.5 if y_score.min() >= 0 and y_score.max() <= 1 else 0
            hits = (y_score > threshold).astype(np.int64) == encoded
        else:
            hits = np.ones_like(y_score, dtype=bool)
    else:
        top_k = np.argsort(y_score, axis=1, kind="mergesort")[:, ::-1][:, :k]
        hits = (top_k == encoded[:, None]).any(axis=1)
    if normalize:
        return float(np.average(hits, weights=sample_weight))
    if sample_weight is None:
        return float(np.sum(hits))
    return float(np.dot(hits, sample_weight))
