"""Tests for ndflow.learn.metrics and utils.multiclass: hand-derived values and sklearn parity."""
import warnings

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from ndflow.learn import metrics as M
from ndflow.learn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from ndflow.learn.exceptions import UndefinedMetricWarning
from ndflow.learn.metrics import pairwise as P
from ndflow.learn.utils.multiclass import check_classification_targets, type_of_target, unique_labels

# ---------------------------------------------------------------------------------------------- multiclass


@pytest.mark.parametrize("y, expected", [
    ([0.1, 0.6], "continuous"),
    ([1, -1, -1, 1], "binary"),
    (["a", "b", "a"], "binary"),
    ([1.0, 2.0], "binary"),
    ([1, 0, 2], "multiclass"),
    ([1.0, 0.0, 3.0], "multiclass"),
    (["a", "b", "c"], "multiclass"),
    (np.array([[1, 2], [3, 1]]), "multiclass-multioutput"),
    ([[1.5, 2.0], [3.0, 1.6]], "continuous-multioutput"),
    (np.array([[0, 1], [1, 1]]), "multilabel-indicator"),
    ([[1], [0]], "binary"),
    ([], "binary"),
    (np.array([[[1]]]), "unknown"),
])
def test_type_of_target(y, expected):
    assert type_of_target(y) == expected


def test_type_of_target_rejects_strings_and_nan():
    with pytest.raises(ValueError, match="Expected array-like"):
        type_of_target("abc")
    with pytest.raises(ValueError, match="Input y contains NaN"):
        type_of_target([0.5, np.nan], input_name="y")
    with pytest.raises(ValueError, match="legacy multi-label"):
        type_of_target([[1, 2], [1]])


def test_unique_labels_and_errors():
    np.testing.assert_array_equal(unique_labels([3, 5, 5, 5, 7, 7]), [3, 5, 7])
    np.testing.assert_array_equal(unique_labels([1, 2, 3, 4], [2, 2, 3, 4]), [1, 2, 3, 4])
    np.testing.assert_array_equal(unique_labels([1, 2, 10], [5, 11]), [1, 2, 5, 10, 11])
    np.testing.assert_array_equal(unique_labels(np.eye(3, dtype=int)), [0, 1, 2])
    with pytest.raises(ValueError, match="No argument has been passed"):
        unique_labels()
    with pytest.raises(ValueError, match="Mix type of y not allowed"):
        unique_labels([0, 1], [0.5, 1.5])
    with pytest.raises(ValueError, match=r"Mix of label input types \(string and number\)"):
        unique_labels([0, 1], ["a", "b"])


def test_check_classification_targets():
    check_classification_targets([0, 1, 2])
    with pytest.raises(ValueError, match="Unknown label type: continuous. Maybe you are trying to fit a"):
        check_classification_targets([0.5, 1.5])


# ------------------------------------------------------------------------------------------ classification

Y_TRUE = np.array([0, 1, 1, 0, 1, 1])
Y_PRED = np.array([0, 1, 0, 1, 1, 1])  # tp=3, fp=1, fn=1, tn=1


def test_accuracy_score():
    assert M.accuracy_score(Y_TRUE, Y_PRED) == pytest.approx(4 / 6)
    assert M.accuracy_score(Y_TRUE, Y_PRED, normalize=False) == 4
    w = np.array([1, 1, 3, 1, 1, 1.0])
    assert M.accuracy_score(Y_TRUE, Y_PRED, sample_weight=w) == pytest.approx(4 / 8)
    assert M.accuracy_score(np.array([[1, 0], [1, 1]]), np.array([[1, 0], [0, 1]])) == 0.5
    assert M.accuracy_score(["a", "b"], ["a", "a"]) == 0.5


def test_check_targets_errors():
    with pytest.raises(ValueError, match="Classification metrics can't handle a mix of binary and"):
        M.accuracy_score([0, 1], [0.5, 1.5])
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[2, 3\]"):
        M.accuracy_score([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="continuous is not supported"):
        M.accuracy_score([0.5, 1.5], [0.5, 1.5])


def test_confusion_matrix():
    cm = M.confusion_matrix(Y_TRUE, Y_PRED)
    np.testing.assert_array_equal(cm, [[1, 1], [1, 3]])
    assert cm.dtype == np.int64
    np.testing.assert_array_equal(M.confusion_matrix(Y_TRUE, Y_PRED, labels=[1, 0]), [[3, 1], [1, 1]])
    for normalize, expected in [("true", [[0.5, 0.5], [0.25, 0.75]]), ("pred", [[0.5, 0.25], [0.5, 0.75]]),
                                ("all", np.array([[1, 1], [1, 3]]) / 6)]:
        np.testing.assert_allclose(M.confusion_matrix(Y_TRUE, Y_PRED, normalize=normalize), expected)
    cm = M.confusion_matrix(["cat", "ant", "cat", "bird"], ["ant", "ant", "cat", "cat"],
                            labels=["ant", "bird", "cat"])
    np.testing.assert_array_equal(cm, [[1, 0, 0], [0, 0, 1], [1, 0, 1]])
    with pytest.raises(ValueError, match="At least one label specified must be in y_true"):
        M.confusion_matrix([0, 1], [0, 1], labels=[5])
    with pytest.raises(ValueError, match="'labels' should contains at least one label"):
        M.confusion_matrix([0, 1], [0, 1], labels=[])


def test_multilabel_confusion_matrix():
    mcm = M.multilabel_confusion_matrix(Y_TRUE, Y_PRED)
    np.testing.assert_array_equal(mcm, [[[3, 1], [1, 1]], [[1, 1], [1, 3]]])
    with pytest.raises(ValueError, match="Samplewise metrics are not available outside of multilabel"):
        M.multilabel_confusion_matrix(Y_TRUE, Y_PRED, samplewise=True)


def test_precision_recall_f_binary():
    assert M.precision_score(Y_TRUE, Y_PRED) == pytest.approx(3 / 4)
    assert M.recall_score(Y_TRUE, Y_PRED) == pytest.approx(3 / 4)
    assert M.f1_score(Y_TRUE, Y_PRED) == pytest.approx(3 / 4)
    assert M.precision_score(Y_TRUE, Y_PRED, pos_label=0) == pytest.approx(1 / 2)
    beta = 2.0
    p, r = 3 / 4, 3 / 4
    expected = (1 + beta**2) * p * r / (beta**2 * p + r)
    assert M.fbeta_score(Y_TRUE, Y_PRED, beta=beta) == pytest.approx(expected)


def test_precision_recall_f_averages():
    y_true = np.array([0, 1, 2, 0, 1, 2])
    y_pred = np.array([0, 2, 1, 0, 0, 1])
    p, r, f, s = M.precision_recall_fscore_support(y_true, y_pred, zero_division=0)
    np.testing.assert_allclose(p, [2 / 3, 0, 0])
    np.testing.assert_allclose(r, [1, 0, 0])
    np.testing.assert_allclose(f, [0.8, 0, 0])
    np.testing.assert_array_equal(s, [2, 2, 2])
    assert M.f1_score(y_true, y_pred, average="macro") == pytest.approx(0.8 / 3)
    assert M.f1_score(y_true, y_pred, average="micro") == pytest.approx(2 / 6)
    assert M.f1_score(y_true, y_pred, average="weighted") == pytest.approx(0.8 / 3)
    per_label = M.precision_score(y_true, y_pred, average=None, labels=[2, 0])
    assert per_label.tolist() == pytest.approx([0, 2 / 3])


def test_precision_recall_multilabel_samples():
    y_true = np.array([[1, 0, 1], [0, 1, 0]])
    y_pred = np.array([[1, 1, 0], [0, 1, 0]])
    # Sample 0: p=1/2, r=1/2; sample 1: p=1, r=1.
    assert M.precision_score(y_true, y_pred, average="samples") == pytest.approx(0.75)
    assert M.recall_score(y_true, y_pred, average="samples") == pytest.approx(0.75)
    np.testing.assert_allclose(M.recall_score(y_true, y_pred, average=None), [1, 1, 0])


def test_zero_division_and_warning():
    with pytest.warns(UndefinedMetricWarning, match="Precision is ill-defined and being set to 0.0 due to "
                                                    "no predicted samples"):
        assert M.precision_score([0, 1, 1], [0, 0, 0]) == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert M.precision_score([0, 1, 1], [0, 0, 0], zero_division=1) == 1.0
        assert np.isnan(M.precision_score([0, 1, 1], [0, 0, 0], zero_division=np.nan))
    with pytest.warns(UndefinedMetricWarning, match="Recall is ill-defined and being set to 0.0 in labels "
                                                    "with no true samples"):
        M.recall_score([0, 0, 1], [0, 2, 1], average=None)


def test_average_errors():
    with pytest.raises(ValueError, match="Target is multiclass but average='binary'"):
        M.f1_score([0, 1, 2], [0, 1, 2])
    with pytest.raises(ValueError, match="pos_label=2 is not a valid label"):
        M.f1_score([0, 1, 1], [0, 1, 0], pos_label=2)
    with pytest.raises(ValueError, match="average has to be one of"):
        M.f1_score([0, 1, 1], [0, 1, 0], average="foo")


def test_balanced_accuracy():
    # Recall of class 0: 1/2, class 1: 3/4.
    assert M.balanced_accuracy_score(Y_TRUE, Y_PRED) == pytest.approx(0.625)
    assert M.balanced_accuracy_score(Y_TRUE, Y_PRED, adjusted=True) == pytest.approx((0.625 - 0.5) / 0.5)


def test_classification_report_text_and_dict():
    report = M.classification_report(Y_TRUE, Y_PRED, target_names=["neg", "pos"])
    expected = (
        "              precision    recall  f1-score   support\n\n         neg       0.50      0.50      "
        "0.50         2\n         pos       0.75      0.75      0.75         4\n\n    accuracy              "
        "             0.67         6\n   macro avg       0.62      0.62      0.62         6\nweighted avg   "
        "    0.67      0.67      0.67         6\n"
    )
    assert report == expected
    as_dict = M.classification_report(Y_TRUE, Y_PRED, output_dict=True)
    assert as_dict["1"] == {"precision": 0.75, "recall": 0.75, "f1-score": 0.75, "support": 4.0}
    assert as_dict["accuracy"] == pytest.approx(4 / 6)
    assert as_dict["macro avg"]["precision"] == pytest.approx(0.625)
    with pytest.raises(ValueError, match="Number of classes, 2, does not match size of target_names, 3"):
        M.classification_report(Y_TRUE, Y_PRED, target_names=["a", "b", "c"])


def test_log_loss_and_hinge_loss():
    y = [0, 1, 1]
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6]])
    expected = -(np.log(0.9) + np.log(0.8) + np.log(0.6)) / 3
    assert M.log_loss(y, proba) == pytest.approx(expected)
    assert M.log_loss(y, proba[:, 1]) == pytest.approx(expected)
    assert M.log_loss(y, proba, normalize=False) == pytest.approx(3 * expected)
    with pytest.raises(ValueError, match=r"y_true contains only one label \(1\)"):
        M.log_loss([1, 1], [[0.2, 0.8], [0.3, 0.7]])
    with pytest.raises(ValueError, match="y_prob contains values greater than 1"):
        M.log_loss([0, 1], [1.5, 0.2])
    assert M.hinge_loss([-1, 1, 1], [-2.18, 2.36, 0.09]) == pytest.approx(0.91 / 3)
    decision = np.array([[1.0, 0.5, -1.0], [0.0, 2.0, 0.5]])
    # Margins: 1.0 - 0.5 = 0.5 (loss 0.5); 0.5 - 2.0 = -1.5 (loss 2.5).
    assert M.hinge_loss([0, 2], decision, labels=[0, 1, 2]) == pytest.approx(1.5)


def test_matthews_and_kappa():
    tp, tn, fp, fn = 3, 1, 1, 1
    mcc = (tp * tn - fp * fn) / np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    assert M.matthews_corrcoef(Y_TRUE, Y_PRED) == pytest.approx(mcc)
    assert M.matthews_corrcoef([1, 1, 1], [1, 1, 1]) == 0.0
    po = 4 / 6
    pe = (2 / 6) * (2 / 6) + (4 / 6) * (4 / 6)
    assert M.cohen_kappa_score(Y_TRUE, Y_PRED) == pytest.approx((po - pe) / (1 - pe))


def test_jaccard_score():
    # Class 1: tp=3, fp=1, fn=1 -> 3/5; class 0: tp=1, fp=1, fn=1 -> 1/3.
    assert M.jaccard_score(Y_TRUE, Y_PRED) == pytest.approx(3 / 5)
    np.testing.assert_allclose(M.jaccard_score(Y_TRUE, Y_PRED, average=None), [1 / 3, 3 / 5])
    assert M.jaccard_score(Y_TRUE, Y_PRED, average="macro") == pytest.approx((1 / 3 + 3 / 5) / 2)
    assert M.jaccard_score(Y_TRUE, Y_PRED, average="micro") == pytest.approx(4 / 8)


# --------------------------------------------------------------------------------------------------- ranking

RANK_Y = np.array([0, 0, 1, 1])
RANK_S = np.array([0.1, 0.4, 0.35, 0.8])


def test_roc_curve_and_auc():
    fpr, tpr, thr = M.roc_curve(RANK_Y, RANK_S)
    np.testing.assert_allclose(fpr, [0, 0, 0.5, 0.5, 1])
    np.testing.assert_allclose(tpr, [0, 0.5, 0.5, 1, 1])
    np.testing.assert_allclose(thr, [np.inf, 0.8, 0.4, 0.35, 0.1])
    assert M.roc_auc_score(RANK_Y, RANK_S) == pytest.approx(0.75)
    assert M.auc(fpr, tpr) == pytest.approx(0.75)
    assert M.auc([0, 1, 2], [1, 3, 2]) == pytest.approx(4.5)
    assert M.auc([2, 1, 0], [2, 3, 1]) == pytest.approx(4.5)
    with pytest.raises(ValueError, match="x is neither increasing nor decreasing"):
        M.auc([0, 2, 1], [1, 1, 1])


def test_roc_curve_drop_intermediate():
    y = [0, 1, 0, 1, 0, 1]
    s = [0.0, 0.2, 0.5, 0.6, 0.7, 1.0]
    _, _, thr = M.roc_curve(y, s, drop_intermediate=True)
    np.testing.assert_allclose(thr, [np.inf, 1.0, 0.7, 0.6, 0.5, 0.2, 0.0])
    _, _, thr = M.roc_curve([0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.8, 0.9], drop_intermediate=True)
    np.testing.assert_allclose(thr, [np.inf, 0.9, 0.8, 0.1])


def test_precision_recall_curve_and_average_precision():
    precision, recall, thr = M.precision_recall_curve(RANK_Y, RANK_S)
    np.testing.assert_allclose(precision, [0.5, 2 / 3, 0.5, 1, 1])
    np.testing.assert_allclose(recall, [1, 1, 0.5, 0.5, 0])
    np.testing.assert_allclose(thr, [0.1, 0.35, 0.4, 0.8])
    # AP = sum over thresholds of (R_n - R_{n-1}) P_n = 0.5 * 1 + 0.5 * 2/3.
    assert M.average_precision_score(RANK_Y, RANK_S) == pytest.approx(0.5 + 1 / 3)


def test_pos_label_required_for_string_targets():
    with pytest.raises(ValueError, match=r"y_true takes value in \{'a', 'b'\} and pos_label is not "):
        M.roc_curve(["a", "b"], [0.1, 0.9])
    fpr, tpr, _ = M.roc_curve(["a", "b", "b"], [0.1, 0.9, 0.4], pos_label="b")
    assert M.auc(fpr, tpr) == 1.0


def test_roc_auc_multiclass():
    y = np.array([0, 1, 2, 2])
    proba = np.array([[0.6, 0.3, 0.1], [0.3, 0.5, 0.2], [0.2, 0.3, 0.5], [0.5, 0.1, 0.4]])
    # One-vs-rest AUCs, computed by counting correctly ordered (positive, negative) pairs.
    per_class = []
    for k in range(3):
        pos, neg = proba[y == k, k], proba[y != k, k]
        pairs = (pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean()
        per_class.append(pairs)
    assert M.roc_auc_score(y, proba, multi_class="ovr") == pytest.approx(np.mean(per_class))
    np.testing.assert_allclose(M.roc_auc_score(y, proba, multi_class="ovr", average=None), per_class)
    with pytest.raises(ValueError, match=r"multi_class must be in \('ovo', 'ovr'\)"):
        M.roc_auc_score(y, proba)


def test_top_k_accuracy():
    y = np.array([0, 1, 2, 2])
    scores = np.array([[0.5, 0.2, 0.2], [0.3, 0.4, 0.2], [0.2, 0.4, 0.3], [0.7, 0.2, 0.1]])
    # Two highest classes per row: {0, 1}, {1, 0}, {1, 2}, {0, 1}; hits on rows 0, 1 and 2.
    assert M.top_k_accuracy_score(y, scores, k=2) == pytest.approx(0.75)
    assert M.top_k_accuracy_score(y, scores, k=1) == pytest.approx(0.5)
    assert M.top_k_accuracy_score(y, scores, k=2, normalize=False) == 3.0


def test_roc_auc_single_class_is_nan():
    with pytest.warns(UndefinedMetricWarning, match="Only one class is present in y_true"):
        assert np.isnan(M.roc_auc_score([1, 1], [0.2, 0.7]))


# ------------------------------------------------------------------------------------------------ regression

REG_TRUE = np.array([3, -0.5, 2, 7])
REG_PRED = np.array([2.5, 0.0, 2, 8])


def test_regression_metrics_single_output():
    err = REG_TRUE - REG_PRED
    assert M.mean_squared_error(REG_TRUE, REG_PRED) == pytest.approx(0.375)
    assert M.root_mean_squared_error(REG_TRUE, REG_PRED) == pytest.approx(np.sqrt(0.375))
    assert M.mean_absolute_error(REG_TRUE, REG_PRED) == pytest.approx(0.5)
    assert M.median_absolute_error(REG_TRUE, REG_PRED) == pytest.approx(0.5)
    assert M.max_error(REG_TRUE, REG_PRED) == pytest.approx(1.0)
    mape = np.mean(np.abs(err / REG_TRUE))
    assert M.mean_absolute_percentage_error(REG_TRUE, REG_PRED) == pytest.approx(mape)
    ss_tot = np.sum((REG_TRUE - REG_TRUE.mean()) ** 2)
    assert M.r2_score(REG_TRUE, REG_PRED) == pytest.approx(1 - np.sum(err**2) / ss_tot)
    assert M.explained_variance_score(REG_TRUE, REG_PRED) == pytest.approx(1 - np.var(err) / np.var(REG_TRUE))


def test_regression_multioutput_modes():
    y_true = np.array([[0.5, 1], [-1, 1], [7, -6]])
    y_pred = np.array([[0, 2], [-1, 2], [8, -5]])
    raw = np.mean((y_true - y_pred) ** 2, axis=0)
    np.testing.assert_allclose(M.mean_squared_error(y_true, y_pred, multioutput="raw_values"), raw)
    assert M.mean_squared_error(y_true, y_pred) == pytest.approx(raw.mean())
    assert M.mean_squared_error(y_true, y_pred, multioutput=[0.3, 0.7]) == pytest.approx(raw @ [0.3, 0.7])
    ss_res = np.sum((y_true - y_pred) ** 2, axis=0)
    ss_tot = np.sum((y_true - y_true.mean(axis=0)) ** 2, axis=0)
    r2 = 1 - ss_res / ss_tot
    np.testing.assert_allclose(M.r2_score(y_true, y_pred, multioutput="raw_values"), r2)
    weighted = M.r2_score(y_true, y_pred, multioutput="variance_weighted")
    assert weighted == pytest.approx(np.average(r2, weights=ss_tot))
    with pytest.raises(ValueError, match="Allowed 'multioutput' string values are"):
        M.r2_score(y_true, y_pred, multioutput="foo")
    with pytest.raises(ValueError, match=r"y_true and y_pred have different number of output \(2!=1\)"):
        M.mean_squared_error(y_true, y_pred[:, 0])


def test_r2_edge_cases():
    assert M.r2_score([1, 1, 1], [1, 1, 1]) == 1.0
    assert M.r2_score([1, 1, 1], [1, 2, 1]) == 0.0
    assert M.r2_score([1, 1, 1], [1, 2, 1], force_finite=False) == -np.inf
    with pytest.warns(UndefinedMetricWarning, match="R\\^2 score is not well-defined with less than two"):
        assert np.isnan(M.r2_score([1.0], [2.0]))


def test_weighted_median_absolute_error():
    # Weighted median of |err| = [0, 1, 2] with weights [1, 1, 5] is 2.
    assert M.median_absolute_error([0, 0, 0], [0, 1, 2], sample_weight=[1, 1, 5]) == pytest.approx(2.0)


# --------------------------------------------------------------------------------------------------- cluster


def test_rand_indices():
    assert M.rand_score([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(5 / 6)
    assert M.adjusted_rand_score([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0
    np.testing.assert_array_equal(M.pair_confusion_matrix([0, 0, 1, 1], [0, 0, 1, 2]), [[8, 0], [2, 2]])
    # ARI from the pair counts: 2 (tp tn - fn fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn)).
    tn, fp, fn, tp = 8, 0, 2, 2
    expected = 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
    assert M.adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(expected)


def test_mutual_information():
    a = np.array([0, 0, 0, 1, 1, 1])
    b = np.array([0, 0, 1, 1, 2, 2])
    joint = M.contingency_matrix(a, b) / 6.0
    pa, pb = joint.sum(axis=1), joint.sum(axis=0)
    nz = joint > 0
    mi = np.sum(joint[nz] * np.log(joint[nz] / np.outer(pa, pb)[nz]))
    assert M.mutual_info_score(a, b) == pytest.approx(mi)
    h_a = -np.sum(pa * np.log(pa))
    h_b = -np.sum(pb * np.log(pb))
    assert M.normalized_mutual_info_score(a, b) == pytest.approx(mi / ((h_a + h_b) / 2))
    assert M.normalized_mutual_info_score(a, b, average_method="min") == pytest.approx(mi / min(h_a, h_b))
    assert M.adjusted_mutual_info_score(a, a) == pytest.approx(1.0)
    assert M.adjusted_mutual_info_score([0, 0, 0], [1, 1, 1]) == 1.0


def test_homogeneity_completeness_v_measure_and_fowlkes_mallows():
    # Splitting a class in two keeps homogeneity perfect but loses completeness.
    h, c, v = M.homogeneity_completeness_v_measure([0, 0, 1, 1], [0, 1, 2, 2])
    assert h == pytest.approx(1.0)
    mi = M.mutual_info_score([0, 0, 1, 1], [0, 1, 2, 2])
    h_pred = -(0.25 * np.log(0.25) * 2 + 0.5 * np.log(0.5))
    assert c == pytest.approx(mi / h_pred)
    assert v == pytest.approx(2 * h * c / (h + c))
    expected = 1.5 * h * c / (0.5 * h + c)
    assert M.v_measure_score([0, 0, 1, 1], [0, 1, 2, 2], beta=0.5) == pytest.approx(expected)
    # Pairs: TP = 1 (the pair in cluster 2); true-same pairs = 2, predicted-same pairs = 1.
    assert M.fowlkes_mallows_score([0, 0, 1, 1], [0, 1, 2, 2]) == pytest.approx(1 / np.sqrt(2 * 1))


def test_silhouette():
    X = np.array([[0.0], [1.0], [10.0], [11.0], [12.0]])
    labels = np.array([0, 0, 1, 1, 1])
    D = cdist(X, X)
    expected = []
    for i in range(5):
        same = labels == labels[i]
        a = D[i, same].sum() / (same.sum() - 1)
        b = D[i, ~same].mean()
        expected.append((b - a) / max(a, b))
    np.testing.assert_allclose(M.silhouette_samples(X, labels), expected)
    assert M.silhouette_score(X, labels) == pytest.approx(np.mean(expected))
    assert M.silhouette_score(D, labels, metric="precomputed") == pytest.approx(np.mean(expected))
    with pytest.raises(ValueError, match="Number of labels is 1. Valid values are 2 to n_samples - 1"):
        M.silhouette_score(X, np.zeros(5))


# -------------------------------------------------------------------------------------------------- pairwise


def test_pairwise_distances_and_kernels():
    rng = np.random.RandomState(0)
    X, Y = rng.randn(6, 3), rng.randn(4, 3)
    np.testing.assert_allclose(P.euclidean_distances(X, Y), cdist(X, Y))
    np.testing.assert_allclose(P.euclidean_distances(X), cdist(X, X), atol=1e-12)
    np.testing.assert_allclose(P.euclidean_distances(X, Y, squared=True), cdist(X, Y, "sqeuclidean"))
    np.testing.assert_allclose(P.manhattan_distances(X, Y), cdist(X, Y, "cityblock"))
    np.testing.assert_allclose(P.cosine_distances(X, Y), cdist(X, Y, "cosine"))
    np.testing.assert_allclose(P.cosine_similarity(X, Y), 1 - cdist(X, Y, "cosine"))
    np.testing.assert_allclose(P.linear_kernel(X, Y), X @ Y.T)
    np.testing.assert_allclose(P.polynomial_kernel(X, Y, degree=2, coef0=1), (X @ Y.T / 3 + 1) ** 2)
    np.testing.assert_allclose(P.sigmoid_kernel(X, Y, gamma=0.5), np.tanh(0.5 * X @ Y.T + 1))
    np.testing.assert_allclose(P.rbf_kernel(X, Y, gamma=0.2), np.exp(-0.2 * cdist(X, Y, "sqeuclidean")))
    np.testing.assert_allclose(P.pairwise_distances(X, Y, metric="chebyshev"), cdist(X, Y, "chebyshev"))
    np.testing.assert_allclose(P.pairwise_kernels(X, Y, metric="rbf", gamma=0.2),
                               P.rbf_kernel(X, Y, gamma=0.2))
    assert P.euclidean_distances(X.astype(np.float32)).dtype == np.float32
    with pytest.raises(ValueError, match="Incompatible dimension for X and Y matrices"):
        P.euclidean_distances(X, Y[:, :2])
    with pytest.raises(ValueError, match="Unknown metric foo"):
        P.pairwise_distances(X, metric="foo")


def test_pairwise_sparse_matches_dense():
    import scipy.sparse as sp

    X = sp.random(8, 5, density=0.4, format="csr", random_state=1)
    dense = X.toarray()
    np.testing.assert_allclose(P.euclidean_distances(X), P.euclidean_distances(dense), atol=1e-12)
    np.testing.assert_allclose(P.cosine_similarity(X), P.cosine_similarity(dense))
    np.testing.assert_allclose(P.linear_kernel(X), dense @ dense.T)


# ---------------------------------------------------------------------------------------------------- scorers


class _SignClassifier(ClassifierMixin, BaseEstimator):
    """Predicts the class by the sign of the first feature; decision = first feature."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def decision_function(self, X):
        return np.asarray(X)[:, 0]

    def predict_proba(self, X):
        p = 1 / (1 + np.exp(-self.decision_function(X)))
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


class _FirstFeatureRegressor(RegressorMixin, BaseEstimator):
    def fit(self, X, y):
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        return np.asarray(X)[:, 0]


def test_scorers_use_the_right_response():
    X = np.array([[-2.0], [-0.5], [0.3], [1.0], [-0.1]])
    y = np.array([0, 0, 1, 1, 1])
    clf = _SignClassifier().fit(X, y)
    assert M.get_scorer("accuracy")(clf, X, y) == pytest.approx(0.8)
    assert M.get_scorer("roc_auc")(clf, X, y) == pytest.approx(M.roc_auc_score(y, X[:, 0]))
    assert M.get_scorer("neg_log_loss")(clf, X, y) == pytest.approx(-M.log_loss(y, clf.predict_proba(X)))
    assert M.get_scorer("f1")(clf, X, y) == pytest.approx(M.f1_score(y, clf.predict(X)))
    reg = _FirstFeatureRegressor().fit(X, y)
    mse = M.mean_squared_error(y, X[:, 0])
    assert M.get_scorer("neg_mean_squared_error")(reg, X, y) == pytest.approx(-mse)
    assert M.get_scorer("neg_root_mean_squared_error")(reg, X, y) == pytest.approx(
        -np.sqrt(M.mean_squared_error(y, X[:, 0])))
    assert M.get_scorer("r2")(reg, X, y) == pytest.approx(M.r2_score(y, X[:, 0]))


def test_scorer_pos_label_picks_column_and_flips_decision():
    X = np.array([[-2.0], [-0.5], [0.3], [1.0]])
    y = np.array(["a", "a", "b", "b"])
    clf = _SignClassifier().fit(X, y)
    scorer = M.make_scorer(M.average_precision_score, response_method="decision_function", pos_label="a")
    assert scorer(clf, X, y) == pytest.approx(M.average_precision_score(y, -X[:, 0], pos_label="a"))
    proba_scorer = M.make_scorer(M.roc_auc_score, response_method="predict_proba")
    assert proba_scorer(clf, X, y) == pytest.approx(1.0)


def test_make_scorer_and_check_scoring():
    X = np.array([[1.0], [2.0], [3.0]])
    y = np.array([1.0, 2.5, 2.0])
    reg = _FirstFeatureRegressor().fit(X, y)
    scorer = M.make_scorer(M.mean_absolute_error, greater_is_better=False)
    assert scorer(reg, X, y) == pytest.approx(-M.mean_absolute_error(y, X[:, 0]))
    assert repr(scorer) == ("make_scorer(mean_absolute_error, greater_is_better=False, "
                            "response_method='predict')")
    assert M.check_scoring(reg)(reg, X, y) == pytest.approx(reg.score(X, y))
    multi = M.check_scoring(reg, scoring=["r2", "neg_mean_absolute_error"])
    assert multi(reg, X, y) == pytest.approx({"r2": M.r2_score(y, X[:, 0]),
                                              "neg_mean_absolute_error": -M.mean_absolute_error(y, X[:, 0])})
    with pytest.raises(ValueError, match="'foo' is not a valid scoring value"):
        M.get_scorer("foo")
    with pytest.raises(TypeError, match="If no scoring is specified, the estimator passed should have a"):
        M.check_scoring(object())
    with pytest.raises(ValueError, match="looks like it is a metric function rather than a scorer"):
        M.check_scoring(reg, scoring=M.r2_score)
    names = M.get_scorer_names()
    for name in ["accuracy", "neg_mean_squared_error", "neg_root_mean_squared_error", "r2", "f1", "f1_macro",
                 "roc_auc", "neg_log_loss", "precision", "recall", "jaccard", "top_k_accuracy"]:
        assert name in names


# ------------------------------------------------------------------------------------------- sklearn parity


def _parity_data():
    rng = np.random.RandomState(0)
    return {
        "yb": rng.randint(0, 2, 50), "pb": rng.randint(0, 2, 50), "sb": rng.rand(50),
        "ym": rng.randint(0, 4, 60), "pm": rng.randint(0, 4, 60), "sw": rng.rand(60),
        "yl": rng.randint(0, 2, (40, 3)), "pl": rng.randint(0, 2, (40, 3)),
        "P": rng.dirichlet(np.ones(4), 60), "D": rng.randn(60, 4), "Sl": rng.rand(40, 3),
        "yr": rng.randn(30, 3), "pr": rng.randn(30, 3), "swr": rng.rand(30),
        "lt": rng.randint(0, 5, 120), "lp": rng.randint(0, 6, 120),
        "X": rng.randn(60, 3), "lab": rng.randint(0, 3, 60),
    }


_PARITY_CASES = [
    ("accuracy_score", ("yb", "pb"), {}), ("accuracy_score", ("yl", "pl"), {}),
    ("accuracy_score", ("ym", "pm"), {"sample_weight": "sw", "normalize": False}),
    ("balanced_accuracy_score", ("ym", "pm"), {"adjusted": True}),
    ("confusion_matrix", ("ym", "pm"), {"sample_weight": "sw"}),
    ("confusion_matrix", ("ym", "pm"), {"normalize": "true"}),
    ("confusion_matrix", ("ym", "pm"), {"labels": [3, 1, 7]}),
    ("multilabel_confusion_matrix", ("yl", "pl"), {"samplewise": True}),
    ("matthews_corrcoef", ("ym", "pm"), {}), ("cohen_kappa_score", ("ym", "pm"), {"weights": "quadratic"}),
    ("f1_score", ("yb", "pb"), {}), ("f1_score", ("ym", "pm"), {"average": "macro", "sample_weight": "sw"}),
    ("precision_score", ("ym", "pm"), {"average": "weighted"}),
    ("recall_score", ("ym", "pm"), {"average": None}),
    ("f1_score", ("yl", "pl"), {"average": "samples"}),
    ("precision_score", ("yl", "pl"), {"average": "micro"}),
    ("fbeta_score", ("ym", "pm"), {"beta": 0.5, "average": "macro", "labels": [0, 2, 5]}),
    ("precision_recall_fscore_support", ("ym", "pm"), {}),
    ("classification_report", ("ym", "pm"), {}), ("classification_report", ("yl", "pl"), {"digits": 4}),
    ("classification_report", ("ym", "pm"), {"output_dict": True, "sample_weight": "sw"}),
    ("classification_report", ("ym", "pm"), {"labels": [0, 1, 2]}),
    ("log_loss", ("ym", "P"), {"sample_weight": "sw"}), ("log_loss", ("yb", "sb"), {}),
    ("hinge_loss", ("ym", "D"), {}),
    ("roc_curve", ("yb", "sb"), {}), ("roc_curve", ("yb", "sb"), {"drop_intermediate": False}),
    ("precision_recall_curve", ("yb", "sb"), {"drop_intermediate": True}),
    ("roc_auc_score", ("yb", "sb"), {"max_fpr": 0.3}),
    ("roc_auc_score", ("ym", "P"), {"multi_class": "ovo", "average": "weighted"}),
    ("roc_auc_score", ("ym", "P"), {"multi_class": "ovr", "average": "micro"}),
    ("roc_auc_score", ("yl", "Sl"), {"average": "samples"}),
    ("average_precision_score", ("yb", "sb"), {}), ("average_precision_score", ("ym", "P"), {}),
    ("average_precision_score", ("yl", "Sl"), {"average": "weighted"}),
    ("mean_squared_error", ("yr", "pr"), {"multioutput": "raw_values", "sample_weight": "swr"}),
    ("root_mean_squared_error", ("yr", "pr"), {"multioutput": [0.2, 0.3, 0.5]}),
    ("mean_absolute_error", ("yr", "pr"), {}), ("median_absolute_error", ("yr", "pr"), {}),
    ("median_absolute_error", ("yr", "pr"), {"sample_weight": "swr", "multioutput": "raw_values"}),
    ("mean_absolute_percentage_error", ("yr", "pr"), {"sample_weight": "swr"}),
    ("r2_score", ("yr", "pr"), {"multioutput": "variance_weighted", "sample_weight": "swr"}),
    ("explained_variance_score", ("yr", "pr"), {"multioutput": "raw_values"}),
    ("adjusted_rand_score", ("lt", "lp"), {}), ("rand_score", ("lt", "lp"), {}),
    ("mutual_info_score", ("lt", "lp"), {}), ("normalized_mutual_info_score", ("lt", "lp"), {}),
    ("adjusted_mutual_info_score", ("lt", "lp"), {"average_method": "geometric"}),
    ("jaccard_score", ("ym", "pm"), {"average": "weighted", "sample_weight": "sw"}),
    ("jaccard_score", ("yl", "pl"), {"average": "samples"}), ("jaccard_score", ("yb", "pb"), {}),
    ("top_k_accuracy_score", ("ym", "P"), {"k": 2, "sample_weight": "sw"}),
    ("top_k_accuracy_score", ("yb", "sb"), {"k": 1}),
    ("homogeneity_completeness_v_measure", ("lt", "lp"), {"beta": 2.0}),
    ("fowlkes_mallows_score", ("lt", "lp"), {}),
    ("silhouette_samples", ("X", "lab"), {}), ("silhouette_score", ("X", "lab"), {"metric": "manhattan"}),
    ("silhouette_score", ("X", "lab"), {"sample_size": 30, "random_state": 1}),
]


def _same_result(a, b):
    if isinstance(a, (str, dict)):
        return a == b
    if isinstance(a, tuple):
        return all((x is None and y is None) or np.allclose(np.asarray(x, float), np.asarray(y, float))
                   for x, y in zip(a, b))
    return np.allclose(np.asarray(a, float), np.asarray(b, float), equal_nan=True)


@pytest.mark.parity
@pytest.mark.parametrize("name, args, kwargs", _PARITY_CASES)
def test_metric_parity(name, args, kwargs):
    sk_metrics = pytest.importorskip("sklearn.metrics")
    data = _parity_data()
    args = [data[a] for a in args]
    kwargs = {k: data[v] if isinstance(v, str) and v in data else v for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = getattr(sk_metrics, name)(*args, **kwargs)
        got = getattr(M, name)(*args, **kwargs)
    assert _same_result(expected, got)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["euclidean_distances", "manhattan_distances", "cosine_similarity",
                                  "cosine_distances", "linear_kernel", "polynomial_kernel", "sigmoid_kernel",
                                  "rbf_kernel", "laplacian_kernel"])
def test_pairwise_parity(name):
    sk_pairwise = pytest.importorskip("sklearn.metrics.pairwise")
    rng = np.random.RandomState(3)
    X, Y = rng.randn(9, 4), rng.randn(5, 4)
    np.testing.assert_allclose(getattr(P, name)(X, Y), getattr(sk_pairwise, name)(X, Y), atol=1e-12)
    np.testing.assert_allclose(getattr(P, name)(X), getattr(sk_pairwise, name)(X), atol=1e-12)


@pytest.mark.parity
def test_scorer_names_and_reprs_are_sklearn_ones():
    sk_metrics = pytest.importorskip("sklearn.metrics")
    assert set(M.get_scorer_names()) <= set(sk_metrics.get_scorer_names())
    for name in M.get_scorer_names():
        assert repr(M.get_scorer(name)) == repr(sk_metrics.get_scorer(name))


@pytest.mark.parity
@pytest.mark.parametrize("scoring", ["accuracy", "roc_auc", "neg_log_loss", "f1", "f1_macro", "precision",
                                     "balanced_accuracy", "average_precision", "jaccard", "top_k_accuracy"])
def test_scorer_parity_on_sklearn_classifier(scoring):
    pytest.importorskip("sklearn")
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import get_scorer

    rng = np.random.RandomState(0)
    X = rng.randn(60, 3)
    y = (X[:, 0] + rng.randn(60) > 0).astype(int)
    clf = LogisticRegression().fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        warnings.filterwarnings("ignore", message="'k' .* greater than or equal to 'n_classes'")
        assert M.get_scorer(scoring)(clf, X, y) == pytest.approx(get_scorer(scoring)(clf, X, y))
