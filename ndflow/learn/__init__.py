"""scikit-learn's API on ndflow's array namespace: ``ndflow.learn.<submodule>`` mirrors ``sklearn.<submodule>``.

Submodules are imported on first access so that ``import ndflow`` stays fast.
"""
import importlib

_SUBMODULES = (
    "base", "exceptions", "utils", "preprocessing", "impute", "pipeline", "compose", "model_selection",
    "metrics", "linear_model", "svm", "neighbors", "multiclass", "datasets", "tree", "ensemble",
    "decomposition", "cluster", "mixture", "manifold", "feature_selection", "naive_bayes", "calibration",
    "dummy", "inspection", "kernel_approximation", "covariance", "discriminant_analysis",
)

__all__ = list(_SUBMODULES) + ["clone"]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name == "clone":
        from .base import clone

        return clone
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
