"""Linear models: least squares, ridge, lasso/elastic-net, logistic, SGD (``sklearn.linear_model``)."""
from ._base import LinearRegression
from ._coordinate_descent import ElasticNet, ElasticNetCV, Lasso, LassoCV, enet_path, lasso_path
from ._logistic import LogisticRegression
from ._ridge import Ridge, RidgeClassifier, RidgeCV
from ._sgd import Perceptron, SGDClassifier, SGDRegressor

__all__ = ["LinearRegression", "Ridge", "RidgeCV", "RidgeClassifier", "Lasso", "ElasticNet", "LassoCV",
           "ElasticNetCV", "enet_path", "lasso_path", "LogisticRegression",
           "SGDClassifier", "SGDRegressor", "Perceptron"]
