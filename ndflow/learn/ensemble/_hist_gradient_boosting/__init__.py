"""Histogram-based gradient boosting: binning, histograms, split finding, best-first growth, predictors."""
from .gradient_boosting import HistGradientBoostingClassifier, HistGradientBoostingRegressor

__all__ = ["HistGradientBoostingClassifier", "HistGradientBoostingRegressor"]
