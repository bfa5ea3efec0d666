"""Metric values against NumPy references: accuracy family, confusion metrics, AUC, regression,
probabilistic, F-scores and IoU, accumulated over several weighted batches."""
import numpy as np
import pytest

from ndflow.keras import losses, metrics

RNG = np.random.RandomState(42)
N, C = 12, 4


def _batches(make, count=3):
    return [make() for _ in range(count)]


def _accumulate(metric, batches, weighted=True):
    for y_true, y_pred, weights in batches:
        metric.update_state(y_true, y_pred, sample_weight=weights if weighted else None)
    return metric.result().numpy()


def _stack(batches, index):
    return np.concatenate([b[index] for b in batches])


def _weighted_mean(values, weights):
    return (values * weights).sum() / weights.sum()


BINARY = _batches(lambda: ((RNG.rand(N) > 0.5).astype(np.float32), RNG.rand(N).astype(np.float32),
                           RNG.rand(N).astype(np.float32)))
ONEHOT = _batches(lambda: (np.eye(C, dtype=np.float32)[RNG.randint(0, C, N)], RNG.rand(N, C).astype(np.float32),
                           RNG.rand(N).astype(np.float32)))
MULTILABEL = _batches(lambda: ((RNG.rand(N, C) > 0.5).astype(np.float32), RNG.rand(N, C).astype(np.float32),
                               RNG.rand(N).astype(np.float32)))
REGRESSION = _batches(lambda: (RNG.rand(N, C).astype(np.float32), RNG.rand(N, C).astype(np.float32),
                               RNG.rand(N).astype(np.float32)))


def test_accuracy_family():
    y, p, w = _stack(BINARY, 0), _stack(BINARY, 1), _stack(BINARY, 2)
    got = _accumulate(metrics.BinaryAccuracy(threshold=0.3), BINARY)
    np.testing.assert_allclose(got, _weighted_mean((p > 0.3) == y, w), rtol=1e-6)

    y, p, w = _stack(ONEHOT, 0), _stack(ONEHOT, 1), _stack(ONEHOT, 2)
    labels = y.argmax(-1)
    np.testing.assert_allclose(_accumulate(metrics.CategoricalAccuracy(), ONEHOT),
                               _weighted_mean(p.argmax(-1) == labels, w), rtol=1e-6)
    sparse = [(b[0].argmax(-1), b[1], b[2]) for b in ONEHOT]
    np.testing.assert_allclose(_accumulate(metrics.SparseCategoricalAccuracy(), sparse),
                               _weighted_mean(p.argmax(-1) == labels, w), rtol=1e-6)
    top2 = (np.argsort(-p, axis=-1)[:, :2] == labels[:, None]).any(-1)
    np.testing.assert_allclose(_accumulate(metrics.TopKCategoricalAccuracy(k=2), ONEHOT), _weighted_mean(top2, w),
                               rtol=1e-6)
    np.testing.assert_allclose(_accumulate(metrics.SparseTopKCategoricalAccuracy(k=2), sparse),
                               _weighted_mean(top2, w), rtol=1e-6)
    ids = [(b[0].argmax(-1), np.argsort(-b[1], axis=-1), b[2]) for b in ONEHOT]
    np.testing.assert_allclose(_accumulate(metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True), ids),
                               _weighted_mean(top2, w), rtol=1e-6)
    exact = metrics.Accuracy()
    exact.update_state([1, 2, 3, 4], [1, 2, 0, 4])
    np.testing.assert_allclose(exact.result().numpy(), 0.75)


def test_accuracy_functions_keep_label_shape():
    y_true = np.array([[1], [2], [0]])
    y_pred = np.eye(3, dtype=np.float32)[[1, 0, 0]]
    np.testing.assert_array_equal(metrics.sparse_categorical_accuracy(y_true, y_pred).numpy(), [1, 0, 1])
    sequence = metrics.categorical_accuracy(np.eye(3)[[[0, 1], [2, 2]]], np.eye(3)[[[0, 2], [2, 2]]])
    np.testing.assert_array_equal(sequence.numpy(), [[1, 0], [1, 1]])


def _counts(y, p, w, thresholds):
    y = y.astype(bool)
    out = {"tp": [], "fp": [], "tn": [], "fn": []}
    for t in thresholds:
        pos = p > t
        out["tp"].append((w * (pos & y)).sum())
        out["fp"].append((w * (pos & ~y)).sum())
        out["tn"].append((w * (~pos & ~y)).sum())
        out["fn"].append((w * (~pos & y)).sum())
    return {k: np.array(v) for k, v in out.items()}


def test_confusion_counts_precision_recall():
    y, p, w = _stack(BINARY, 0), _stack(BINARY, 1), _stack(BINARY, 2)
    thresholds = [0.2, 0.5, 0.8]
    counts = _counts(y, p, w, thresholds)
    for cls, key in [(metrics.TruePositives, "tp"), (metrics.FalsePositives, "fp"), (metrics.TrueNegatives, "tn"),
                     (metrics.FalseNegatives, "fn")]:
        np.testing.assert_allclose(_accumulate(cls(thresholds=thresholds), BINARY), counts[key], rtol=1e-5)
        np.testing.assert_allclose(_accumulate(cls(), BINARY), _counts(y, p, w, [0.5])[key][0], rtol=1e-5)
    np.testing.assert_allclose(_accumulate(metrics.Precision(thresholds=thresholds), BINARY),
                               counts["tp"] / (counts["tp"] + counts["fp"]), rtol=1e-5)
    np.testing.assert_allclose(_accumulate(metrics.Recall(thresholds=thresholds), BINARY),
                               counts["tp"] / (counts["tp"] + counts["fn"]), rtol=1e-5)
    # evenly spaced thresholds take the bucketed path
    even = [0.0, 0.25, 0.5, 0.75, 1.0]
    counts = _counts(y, p, w, even)
    np.testing.assert_allclose(_accumulate(metrics.TruePositives(thresholds=even), BINARY), counts["tp"], rtol=1e-5)
    np.testing.assert_allclose(_accumulate(metrics.FalseNegatives(thresholds=even), BINARY), counts["fn"], rtol=1e-5)


def test_precision_recall_top_k_and_class_id():
    y, p, w = _stack(MULTILABEL, 0), _stack(MULTILABEL, 1), _stack(MULTILABEL, 2)
    top2 = np.zeros_like(p, dtype=bool)
    np.put_along_axis(top2, np.argsort(-p, axis=-1)[:, :2], True, axis=-1)
    tp = (w[:, None] * (top2 & (y > 0))).sum()
    fp = (w[:, None] * (top2 & (y == 0))).sum()
    fn = (w[:, None] * (~top2 & (y > 0))).sum()
    np.testing.assert_allclose(_accumulate(metrics.Precision(top_k=2), MULTILABEL), tp / (tp + fp), rtol=1e-5)
    np.testing.assert_allclose(_accumulate(metrics.Recall(top_k=2), MULTILABEL), tp / (tp + fn), rtol=1e-5)
    counts = _counts(y[:, 1], p[:, 1], w, [0.5])
    np.testing.assert_allclose(_accumulate(metrics.Precision(class_id=1), MULTILABEL),
                               counts["tp"][0] / (counts["tp"][0] + counts["fp"][0]), rtol=1e-5)


def _recall_precision_fpr(counts):
    tp, fp, tn, fn = counts["tp"], counts["fp"], counts["tn"], counts["fn"]
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.nan_to_num(tp / (tp + fn)), np.nan_to_num(tp / (tp + fp)), np.nan_to_num(fp / (fp + tn)))


def _riemann_auc(x, y, heights=lambda a, b: (a + b) / 2):
    return ((x[:-1] - x[1:]) * heights(y[:-1], y[1:])).sum(axis=0)


def test_auc_matches_riemann_sum_over_thresholds():
    y, p, w = _stack(BINARY, 0), _stack(BINARY, 1), _stack(BINARY, 2)
    thresholds = np.array([-1e-7] + [(i + 1) / 199 for i in range(198)] + [1 + 1e-7])
    recall, precision, fpr = _recall_precision_fpr(_counts(y, p, w, thresholds))
    np.testing.assert_allclose(_accumulate(metrics.AUC(), BINARY), _riemann_auc(fpr, recall), rtol=1e-5)
    np.testing.assert_allclose(_accumulate(metrics.AUC(curve="PR", summation_method="majoring"), BINARY),
                               _riemann_auc(recall, precision, np.maximum), rtol=1e-5)

    y, p, w = _stack(MULTILABEL, 0), _stack(MULTILABEL, 1), _stack(MULTILABEL, 2)
    per_label = []
    for j in range(C):
        recall, _, fpr = _recall_precision_fpr(_counts(y[:, j], p[:, j], w, thresholds))
        per_label.append(_riemann_auc(fpr, recall))
    np.testing.assert_allclose(_accumulate(metrics.AUC(multi_label=True), MULTILABEL), np.mean(per_label),
                               rtol=1e-5)
    weights = np.array([1.0, 2.0, 0.5, 1.5])
    np.testing.assert_allclose(_accumulate(metrics.AUC(multi_label=True, label_weights=weights), MULTILABEL),
                               (np.array(per_label) * weights).sum() / weights.sum(), rtol=1e-5)


def test_auc_extremes_and_logits():
    y = np.array([0, 0, 1, 1], np.float32)
    assert metrics.AUC()(y, [0.1, 0.2, 0.8, 0.9]).numpy() == pytest.approx(1.0)
    assert metrics.AUC()(y, [0.9, 0.8, 0.2, 0.1]).numpy() == pytest.approx(0.0, abs=1e-6)
    assert metrics.AUC(from_logits=True)(y, [-3.0, -1.0, 2.0, 4.0]).numpy() == pytest.approx(1.0)
    assert metrics.AUC(curve="PR")(y, [0.1, 0.2, 0.8, 0.9]).numpy() == pytest.approx(1.0, abs=1e-3)


def test_sensitivity_specificity_family():
    y, p, w = _stack(BINARY, 0), _stack(BINARY, 1), _stack(BINARY, 2)
    thresholds = [0.0] + [(i + 1) / 199 for i in range(198)] + [1.0]
    sens, prec, fpr = _recall_precision_fpr(_counts(y, p, w, thresholds))
    spec = 1 - fpr

    def best(constrained, dependent, value):
        return max(np.where(constrained >= value, dependent, 0).max(), 0)

    cases = [(metrics.SensitivityAtSpecificity(0.6), best(spec, sens, 0.6)),
             (metrics.SpecificityAtSensitivity(0.6), best(sens, spec, 0.6)),
             (metrics.PrecisionAtRecall(0.5), best(sens, prec, 0.5)),
             (metrics.RecallAtPrecision(0.6), best(prec, sens, 0.6))]
    for metric, expected in cases:
        np.testing.assert_allclose(_accumulate(metric, BINARY), expected, rtol=1e-5, err_msg=metric.name)


def test_regression_metrics():
    y, p, w = _stack(REGRESSION, 0), _stack(REGRESSION, 1), _stack(REGRESSION, 2)
    err = p - y
    cases = [(metrics.MeanSquaredError(), (err ** 2).mean(-1)), (metrics.MeanAbsoluteError(), np.abs(err).mean(-1)),
             (metrics.MeanAbsolutePercentageError(), 100 * np.abs(err / y).mean(-1)),
             (metrics.MeanSquaredLogarithmicError(), ((np.log1p(p) - np.log1p(y)) ** 2).mean(-1)),
             (metrics.LogCoshError(), np.log(np.cosh(err)).mean(-1)),
             (metrics.CosineSimilarity(), (y * p).sum(-1) / np.linalg.norm(y, axis=-1) / np.linalg.norm(p, axis=-1))]
    for metric, per_sample in cases:
        np.testing.assert_allclose(_accumulate(metric, REGRESSION), _weighted_mean(per_sample, w), rtol=1e-5,
                                   err_msg=metric.name)
    np.testing.assert_allclose(_accumulate(metrics.RootMeanSquaredError(), REGRESSION),
                               np.sqrt(_weighted_mean((err ** 2).mean(-1), w)), rtol=1e-5)


def test_correlation_metrics():
    y, p, w = _stack(REGRESSION, 0), _stack(REGRESSION, 1), _stack(REGRESSION, 2)
    pearson = np.array([np.corrcoef(a, b)[0, 1] for a, b in zip(y, p)])
    np.testing.assert_allclose(_accumulate(metrics.PearsonCorrelation(), REGRESSION), _weighted_mean(pearson, w),
                               rtol=1e-4)
    perfect = metrics.ConcordanceCorrelation()
    perfect.update_state(y, y)
    np.testing.assert_allclose(perfect.result().numpy(), 1.0, rtol=1e-4)


def test_r2_score():
    y, p, w = _stack(REGRESSION, 0), _stack(REGRESSION, 1), _stack(REGRESSION, 2)
    mean = (w[:, None] * y).sum(0) / w.sum()
    ss_res = (w[:, None] * (y - p) ** 2).sum(0)
    ss_tot = (w[:, None] * (y - mean) ** 2).sum(0)
    per_column = 1 - ss_res / ss_tot
    np.testing.assert_allclose(_accumulate(metrics.R2Score(class_aggregation=None), REGRESSION), per_column,
                               rtol=1e-4)
    np.testing.assert_allclose(_accumulate(metrics.R2Score(), REGRESSION), per_column.mean(), rtol=1e-4)
    np.testing.assert_allclose(_accumulate(metrics.R2Score(class_aggregation="variance_weighted_average"),
                                           REGRESSION), (per_column * ss_tot).sum() / ss_tot.sum(), rtol=1e-4)
    n, k = y.size, 3
    adjusted = 1 - (1 - per_column.mean()) * (n - 1) / (n - k - 1)
    np.testing.assert_allclose(_accumulate(metrics.R2Score(num_regressors=k), REGRESSION), adjusted, rtol=1e-4)
    with pytest.warns(UserWarning, match="More independent predictors"):
        metrics.R2Score(num_regressors=1000)(y, p)
    with pytest.raises(ValueError, match="R2Score expects 2D inputs"):
        metrics.R2Score()(np.ones((2, 2, 2)), np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="class_aggregation"):
        metrics.R2Score(class_aggregation="median")


def test_probabilistic_metrics_average_the_loss_functions():
    cases = [(metrics.BinaryCrossentropy(label_smoothing=0.1), MULTILABEL,
              lambda y, p: losses.binary_crossentropy(y, p, label_smoothing=0.1)),
             (metrics.CategoricalCrossentropy(), ONEHOT, losses.categorical_crossentropy),
             (metrics.KLDivergence(), ONEHOT, losses.kl_divergence), (metrics.Poisson(), REGRESSION, losses.poisson),
             (metrics.Hinge(), MULTILABEL, losses.hinge), (metrics.SquaredHinge(), MULTILABEL, losses.squared_hinge),
             (metrics.CategoricalHinge(), ONEHOT, losses.categorical_hinge)]
    for metric, batches, fn in cases:
        values = np.concatenate([fn(y, p).numpy() for y, p, _ in batches])
        np.testing.assert_allclose(_accumulate(metric, batches), _weighted_mean(values, _stack(batches, 2)),
                                   rtol=1e-5, err_msg=metric.name)
    sparse = [(b[0].argmax(-1), b[1], b[2]) for b in ONEHOT]
    values = np.concatenate([losses.sparse_categorical_crossentropy(y, p).numpy() for y, p, _ in sparse])
    np.testing.assert_allclose(_accumulate(metrics.SparseCategoricalCrossentropy(), sparse),
                               _weighted_mean(values, _stack(sparse, 2)), rtol=1e-5)


def _f_scores(tp, fp, fn, beta):
    eps = 1e-7
    precision, recall = tp / (tp + fp + eps), tp / (tp + fn + eps)
    return (1 + beta ** 2) * precision * recall / (beta ** 2 * precision + recall + eps)


def test_f_scores():
    y, p, w = _stack(MULTILABEL, 0), _stack(MULTILABEL, 1), _stack(MULTILABEL, 2)
    pred = (p > 0.5).astype(np.float32)
    tp, fp, fn = [((w[:, None]) * v).sum(0) for v in (pred * y, pred * (1 - y), (1 - pred) * y)]
    per_class = _f_scores(tp, fp, fn, 2.0)
    np.testing.assert_allclose(_accumulate(metrics.FBetaScore(beta=2.0, threshold=0.5), MULTILABEL), per_class,
                               rtol=1e-5)
    np.testing.assert_allclose(_accumulate(metrics.FBetaScore(beta=2.0, threshold=0.5, average="macro"), MULTILABEL),
                               per_class.mean(), rtol=1e-5)
    support = (w[:, None] * y).sum(0)
    np.testing.assert_allclose(
        _accumulate(metrics.FBetaScore(beta=2.0, threshold=0.5, average="weighted"), MULTILABEL),
        (per_class * support / (support.sum() + 1e-7)).sum(), rtol=1e-5)
    np.testing.assert_allclose(_accumulate(metrics.F1Score(threshold=0.5, average="micro"), MULTILABEL),
                               _f_scores(tp.sum(), fp.sum(), fn.sum(), 1.0), rtol=1e-5)
    y, p = _stack(ONEHOT, 0), _stack(ONEHOT, 1)
    pred = (p == p.max(-1, keepdims=True)).astype(np.float32)
    tp, fp, fn = [v.sum(0) for v in (pred * y, pred * (1 - y), (1 - pred) * y)]
    np.testing.assert_allclose(_accumulate(metrics.F1Score(), ONEHOT, weighted=False), _f_scores(tp, fp, fn, 1.0),
                               rtol=1e-5)
    for kwargs in [{"average": "mean"}, {"beta": 1}, {"beta": -1.0}, {"threshold": 1}, {"threshold": 1.5}]:
        with pytest.raises(ValueError, match="Invalid"):
            metrics.FBetaScore(**kwargs)


def test_iou_metrics():
    y = RNG.randint(0, 3, (2, 5))
    p = RNG.randint(0, 3, (2, 5))
    w = RNG.randint(0, 3, (2, 5))
    cm = np.zeros((3, 3))
    np.add.at(cm, (y.ravel(), p.ravel()), w.ravel())
    tp = np.diag(cm)
    iou = tp / (cm.sum(0) + cm.sum(1) - tp)
    mean_iou = metrics.MeanIoU(num_classes=3)
    mean_iou.update_state(y, p, sample_weight=w)
    np.testing.assert_allclose(mean_iou.result().numpy(), np.nanmean(iou), rtol=1e-5)
    assert mean_iou.variables[0].dtype.name == "int64"
    target = metrics.IoU(num_classes=3, target_class_ids=[0, 2])
    target.update_state(y, p, sample_weight=w)
    np.testing.assert_allclose(target.result().numpy(), iou[[0, 2]].mean(), rtol=1e-5)
    one_hot = metrics.OneHotMeanIoU(num_classes=3)
    one_hot.update_state(np.eye(3)[y.ravel()], np.eye(3)[p.ravel()] * 0.9, sample_weight=w.ravel())
    np.testing.assert_allclose(one_hot.result().numpy(), np.nanmean(iou), rtol=1e-5)
    binary = metrics.BinaryIoU(threshold=0.5)
    binary.update_state([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6])
    np.testing.assert_allclose(binary.result().numpy(), (1 / 3 + 1 / 3) / 2, rtol=1e-5)
    ignored = metrics.MeanIoU(num_classes=3, ignore_class=0)
    ignored.update_state([0, 1, 2, 2], [1, 1, 2, 1])
    np.testing.assert_allclose(ignored.result().numpy(), (1 / 2 + 1 / 2) / 2, rtol=1e-5)
    with pytest.raises(ValueError, match="Target class id 3 is out of range"):
        metrics.IoU(num_classes=3, target_class_ids=[3])
