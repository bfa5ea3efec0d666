"""Evaluation metrics and scorers (``sklearn.metrics``)."""
from . import cluster, pairwise
from ._classification import (
    accuracy_score,
    balanced_accuracy_score,
    classification_report,
    cohen_kappa_score,
    confusion_matrix,
    f1_score,
    fbeta_score,
    hinge_loss,
    jaccard_score,
    log_loss,
    matthews_corrcoef,
    multilabel_confusion_matrix,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from ._ranking import (
    auc,
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
    top_k_accuracy_score,
)
from ._regression import (
    explained_variance_score,
    max_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_log_error,
    median_absolute_error,
    r2_score,
    root_mean_squared_error,
)
from ._scorer import check_scoring, get_scorer, get_scorer_names, make_scorer
from .cluster import (
    adjusted_mutual_info_score,
    adjusted_rand_score,
    completeness_score,
    contingency_matrix,
    fowlkes_mallows_score,
    homogeneity_completeness_v_measure,
    homogeneity_score,
    mutual_info_score,
    normalized_mutual_info_score,
    pair_confusion_matrix,
    rand_score,
    silhouette_samples,
    silhouette_score,
    v_measure_score,
)
from .pairwise import (
    cosine_distances,
    cosine_similarity,
    euclidean_distances,
    manhattan_distances,
    pairwise_distances,
    pairwise_kernels,
)

__all__ = [
    "accuracy_score", "adjusted_mutual_info_score", "adjusted_rand_score", "auc", "average_precision_score",
    "balanced_accuracy_score", "check_scoring", "classification_report", "cluster", "cohen_kappa_score",
    "completeness_score", "confusion_matrix", "contingency_matrix", "cosine_distances", "cosine_similarity",
    "euclidean_distances", "explained_variance_score", "f1_score", "fbeta_score", "fowlkes_mallows_score",
    "get_scorer", "get_scorer_names", "hinge_loss", "homogeneity_completeness_v_measure",
    "homogeneity_score", "jaccard_score", "log_loss", "make_scorer", "manhattan_distances",
    "matthews_corrcoef", "max_error", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_error", "mean_squared_log_error", "median_absolute_error", "multilabel_confusion_matrix",
    "mutual_info_score", "normalized_mutual_info_score", "pair_confusion_matrix", "pairwise",
    "pairwise_distances", "pairwise_kernels", "precision_recall_curve", "precision_recall_fscore_support",
    "precision_score", "r2_score", "rand_score", "recall_score", "roc_auc_score", "roc_curve",
    "root_mean_squared_error", "silhouette_samples", "silhouette_score", "top_k_accuracy_score",
    "v_measure_score",
]
