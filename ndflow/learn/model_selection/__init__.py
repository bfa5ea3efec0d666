"""Data splitting, cross-validation and hyper-parameter search (``sklearn.model_selection``)."""
from ._search import GridSearchCV, ParameterGrid, ParameterSampler, RandomizedSearchCV
from ._split import (
    BaseCrossValidator,
    GroupKFold,
    GroupShuffleSplit,
    KFold,
    LeaveOneOut,
    PredefinedSplit,
    RepeatedKFold,
    RepeatedStratifiedKFold,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
    TimeSeriesSplit,
    check_cv,
    train_test_split,
)
from ._validation import cross_val_predict, cross_val_score, cross_validate, learning_curve, validation_curve

__all__ = [
    "BaseCrossValidator", "GridSearchCV", "GroupKFold", "GroupShuffleSplit", "KFold", "LeaveOneOut",
    "ParameterGrid", "ParameterSampler", "PredefinedSplit", "RandomizedSearchCV", "RepeatedKFold",
    "RepeatedStratifiedKFold", "ShuffleSplit", "StratifiedKFold", "StratifiedShuffleSplit",
    "TimeSeriesSplit", "check_cv", "cross_val_predict", "cross_val_score", "cross_validate",
    "learning_curve", "train_test_split", "validation_curve",
]
