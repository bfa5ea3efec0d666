"""Support vector machines (``sklearn.svm``): kernel ``SVC``/``SVR``, linear ``LinearSVC``/``LinearSVR``."""
from ._liblinear import LinearSVC, LinearSVR
from ._libsvm import SVC, SVR

__all__ = ["SVC", "SVR", "LinearSVC", "LinearSVR"]
