"""Parity with Keras 3: several weighted ``update_state`` calls, ``result``, ``reset_state``; variable names and
config keys."""
import numpy as np
import pytest

from ndflow.keras import metrics

RNG = np.random.RandomState(7)
N, C = 6, 4


def _batches(kind, count=3):
    out = []
    for _ in range(count):
        y_pred = RNG.rand(N, C).astype(np.float32)
        weights = RNG.rand(N).astype(np.float32)
        if kind == "values":
            y_true = None
        elif kind == "binary":
            y_true, y_pred = (RNG.rand(N, 1) > 0.5).astype(np.float32), y_pred[:, :1]
        elif kind == "multilabel":
            y_true = (RNG.rand(N, C) > 0.5).astype(np.float32)
        elif kind == "onehot":
            y_true = np.eye(C, dtype=np.float32)[RNG.randint(0, C, N)]
        elif kind == "sparse":
            y_true = RNG.randint(0, C, (N, 1))
        elif kind == "regression":
            y_true = RNG.rand(N, C).astype(np.float32)
        elif kind == "ids":
            y_true, y_pred = RNG.randint(0, C, N), RNG.randint(0, C, N)
        else:  # segmentation maps with per-pixel integer weights
            y_true, y_pred = RNG.randint(0, C, (N, 3)), RNG.randint(0, C, (N, 3))
            weights = RNG.randint(0, 3, (N, 3))
        out.append((y_true, y_pred, weights))
    return out


CASES = [
    ("Mean", {}, "values"), ("Sum", {}, "values"),
    ("Accuracy", {}, "ids"), ("BinaryAccuracy", {"threshold": 0.3}, "binary"), ("CategoricalAccuracy", {}, "onehot"),
    ("SparseCategoricalAccuracy", {}, "sparse"), ("TopKCategoricalAccuracy", {"k": 2}, "onehot"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("Precision", {}, "binary"), ("Recall", {}, "binary"), ("Precision", {"thresholds": [0.2, 0.5, 0.7]}, "multilabel"),
    ("Recall", {"top_k": 2}, "multilabel"), ("Precision", {"class_id": 1}, "multilabel"),
    ("Recall", {"thresholds": [0.0, 0.5, 1.0]}, "multilabel"),
    ("TruePositives", {}, "binary"), ("TrueNegatives", {"thresholds": [0.1, 0.9]}, "binary"),
    ("FalsePositives", {}, "binary"), ("FalseNegatives", {}, "binary"),
    ("AUC", {}, "binary"), ("AUC", {"curve": "PR"}, "binary"),
    ("AUC", {"curve": "PR", "summation_method": "majoring"}, "multilabel"),
    ("AUC", {"num_thresholds": 7, "summation_method": "minoring"}, "multilabel"),
    ("AUC", {"multi_label": True}, "multilabel"),
    ("AUC", {"multi_label": True, "curve": "PR", "label_weights": [1, 2, 0.5, 1]}, "multilabel"),
    ("AUC", {"thresholds": [0.3, 0.6]}, "binary"), ("AUC", {"from_logits": True, "curve": "PRGAIN"}, "multilabel"),
    ("PrecisionAtRecall", {"recall": 0.5}, "binary"), ("RecallAtPrecision", {"precision": 0.6}, "binary"),
    ("SensitivityAtSpecificity", {"specificity": 0.4}, "multilabel"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.7, "num_thresholds": 1}, "binary"),
    ("MeanSquaredError", {}, "regression"), ("RootMeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"), ("MeanAbsolutePercentageError", {}, "regression"),
    ("MeanSquaredLogarithmicError", {}, "regression"), ("CosineSimilarity", {}, "regression"),
    ("LogCoshError", {}, "regression"), ("R2Score", {}, "regression"),
    ("R2Score", {"class_aggregation": "variance_weighted_average", "num_regressors": 2}, "regression"),
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, "binary"), ("CategoricalCrossentropy", {}, "onehot"),
    ("SparseCategoricalCrossentropy", {}, "sparse"), ("KLDivergence", {}, "onehot"), ("Poisson", {}, "regression"),
    ("Hinge", {}, "binary"), ("SquaredHinge", {}, "binary"), ("CategoricalHinge", {}, "onehot"),
    ("F1Score", {}, "onehot"), ("F1Score", {"average": "micro", "threshold": 0.5}, "multilabel"),
    ("FBetaScore", {"average": "weighted", "beta": 2.0}, "multilabel"),
    ("FBetaScore", {"average": "macro"}, "multilabel"),
    ("MeanIoU", {"num_classes": 4}, "segmentation"),
    ("IoU", {"num_classes": 4, "target_class_ids": [0, 2]}, "segmentation"),
    ("OneHotMeanIoU", {"num_classes": 4}, "onehot"),
    ("OneHotIoU", {"num_classes": 4, "target_class_ids": [1]}, "onehot"),
    ("PearsonCorrelation", {}, "regression"), ("ConcordanceCorrelation", {}, "regression"),
]


def _update(metric, y_true, y_pred, weights):
    if y_true is None:
        metric.update_state(y_pred, sample_weight=weights)
    else:
        metric.update_state(y_true, y_pred, sample_weight=weights)


@pytest.mark.parity
@pytest.mark.filterwarnings("ignore")  # R2Score warns (as Keras does) and divides 0/0 after a reset
@pytest.mark.parametrize("name, kwargs, kind", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_parity_with_keras(name, kwargs, kind):
    keras = pytest.importorskip("keras")
    for weighted in (False, True):
        ours, theirs = getattr(metrics, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
        for _ in range(2):  # the second round checks reset_state
            for y_true, y_pred, weights in _batches(kind):
                _update(ours, y_true, y_pred, weights if weighted else None)
                _update(theirs, y_true, y_pred, weights if weighted else None)
            np.testing.assert_allclose(ours.result().numpy(), np.asarray(theirs.result()), rtol=1e-5, atol=1e-6)
            ours.reset_state()
            theirs.reset_state()
            np.testing.assert_allclose(ours.result().numpy(), np.asarray(theirs.result()), atol=1e-7)
        assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]
        assert set(ours.get_config()) == set(theirs.get_config())


@pytest.mark.parity
def test_parity_of_configs_and_names():
    keras = pytest.importorskip("keras")
    for name, kwargs, _ in CASES:
        if "label_weights" in kwargs:
            continue
        ours, theirs = getattr(metrics, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
        expected = {k: v for k, v in theirs.get_config().items() if k != "name"}
        got = {k: v for k, v in ours.get_config().items() if k != "name"}
        if name == "AUC":
            expected["curve"], expected["summation_method"] = str(expected["curve"]), str(expected["summation_method"])
        assert got == expected, name
        assert ours.name.split("_")[0] == theirs.name.split("_")[0]
