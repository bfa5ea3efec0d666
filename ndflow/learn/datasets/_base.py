"""The data folder (``get_data_home``) and the loaders of the data sets bundled with ndflow."""
from __future__ import annotations

import gzip
import os
import shutil
from importlib import resources
from typing import Any

import numpy as np

from ..utils._bunch import Bunch
from . import _descriptions

__all__ = ["get_data_home", "clear_data_home", "load_iris", "load_digits", "load_diabetes", "load_wine",
           "load_breast_cancer"]

DATA_MODULE = "ndflow.learn.datasets.data"

WINE_FEATURES = [
    "alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
    "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280/od315_of_diluted_wines",
    "proline",
]
_NUCLEUS_PROPERTIES = ["radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity",
                       "concave points", "symmetry", "fractal dimension"]
BREAST_CANCER_FEATURES = ([f"mean {p}" for p in _NUCLEUS_PROPERTIES]
                          + [f"{p} error" for p in _NUCLEUS_PROPERTIES]
                          + [f"worst {p}" for p in _NUCLEUS_PROPERTIES])


def get_data_home(data_home: str | os.PathLike | None = None) -> str:
    """The folder downloaded data sets are cached in, created if missing.

    Args:
        data_home: explicit folder; otherwise ``$NDFLOW_DATA`` or ``~/ndflow_learn_data``.
    """
    if data_home is None:
        data_home = os.environ.get("NDFLOW_DATA", os.path.join("~", "ndflow_learn_data"))
    data_home = os.path.expanduser(os.fspath(data_home))
    os.makedirs(data_home, exist_ok=True)
    return data_home


def clear_data_home(data_home: str | os.PathLike | None = None) -> None:
    """Deletes the data folder and everything cached in it."""
    shutil.rmtree(get_data_home(data_home))


def _open_data(name: str):
    return resources.files(DATA_MODULE).joinpath(name).open("rb")


def _load_labelled_csv(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reads a bundled CSV whose header is ``n_samples,n_features,<target names...>`` and whose last
    column is the integer class."""
    with _open_data(name) as raw:
        header = raw.readline().decode("utf-8").strip().split(",")
        table = np.loadtxt(raw, delimiter=",", dtype=np.float64, ndmin=2)
    n_samples, n_features = int(header[0]), int(header[1])
    if table.shape != (n_samples, n_features + 1):
        raise ValueError(f"{name}: expected {n_samples} x {n_features + 1} values, got {table.shape}")
    return table[:, :-1].copy(), table[:, -1].astype(np.int64), np.array(header[2:])


def _load_gzip_csv(name: str, **loadtxt_args: Any) -> np.ndarray:
    with _open_data(name) as raw, gzip.open(raw, mode="rt", encoding="utf-8") as text:
        return np.loadtxt(text, **loadtxt_args)


def to_frame(data: np.ndarray, target: np.ndarray, feature_names: list, target_names: list):
    """``(frame, X, y)``: one pandas DataFrame with the features and target columns, and its two parts
    (``y`` a Series when there is one target column)."""
    import pandas as pd

    X = pd.DataFrame(data, columns=feature_names)
    y = pd.DataFrame(np.asarray(target).reshape(len(X), -1), columns=target_names)
    frame = pd.concat([X, y], axis=1)
    X, y = frame[feature_names], frame[target_names]
    return frame, X, (y.iloc[:, 0] if y.shape[1] == 1 else y)


def _finish(data, target, feature_names, *, return_X_y: bool, as_frame: bool, **extra: Any):
    frame = None
    if as_frame:
        frame, data, target = to_frame(data, target, list(feature_names), ["target"])
    if return_X_y:
        return data, target
    return Bunch(data=data, target=target, frame=frame, feature_names=feature_names, **extra)


def load_iris(*, return_X_y: bool = False, as_frame: bool = False):
    """The iris data set: 150 samples, 4 features, 3 classes.

    Returns:
        a ``Bunch`` (data, target, frame, target_names, DESCR, feature_names, filename, data_module), or
        ``(data, target)`` with ``return_X_y``; pandas objects with ``as_frame``.
    """
    data, target, target_names = _load_labelled_csv("iris.csv")
    features = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
    return _finish(data, target, features, return_X_y=return_X_y, as_frame=as_frame,
                   target_names=target_names, DESCR=_descriptions.IRIS, filename="iris.csv",
                   data_module=DATA_MODULE)


def load_wine(*, return_X_y: bool = False, as_frame: bool = False):
    """The wine recognition data set: 178 samples, 13 features, 3 classes."""
    data, target, target_names = _load_labelled_csv("wine.csv")
    return _finish(data, target, list(WINE_FEATURES), return_X_y=return_X_y, as_frame=as_frame,
                   target_names=target_names, DESCR=_descriptions.WINE)


def load_breast_cancer(*, return_X_y: bool = False, as_frame: bool = False):
    """The breast cancer Wisconsin (diagnostic) data set: 569 samples, 30 features, 2 classes."""
    data, target, target_names = _load_labelled_csv("breast_cancer.csv")
    return _finish(data, target, np.array(BREAST_CANCER_FEATURES), return_X_y=return_X_y, as_frame=as_frame,
                   target_names=target_names, DESCR=_descriptions.BREAST_CANCER, filename="breast_cancer.csv",
                   data_module=DATA_MODULE)


def load_digits(*, n_class: int = 10, return_X_y: bool = False, as_frame: bool = False):
    """The handwritten digits data set: 8x8 images with 64 features, classes 0 to ``n_class - 1``.

    Returns:
        a ``Bunch`` with ``images`` (n, 8, 8) besides data, target, frame, feature_names, target_names and
        DESCR, or ``(data, target)`` with ``return_X_y``.
    """
    table = _load_gzip_csv("digits.csv.gz", delimiter=",")
    data, target = table[:, :-1], table[:, -1].astype(np.int64)
    if n_class < 10:
        keep = target < n_class
        data, target = data[keep], target[keep]
    data = np.ascontiguousarray(data)
    images = data.view().reshape(-1, 8, 8)
    features = [f"pixel_{row}_{col}" for row in range(8) for col in range(8)]
    return _finish(data, target, features, return_X_y=return_X_y, as_frame=as_frame,
                   target_names=np.arange(10), images=images, DESCR=_descriptions.DIGITS)


def load_diabetes(*, return_X_y: bool = False, as_frame: bool = False, scaled: bool = True):
    """The diabetes regression data set: 442 samples, 10 features, a disease-progression target.

    Args:
        scaled: centre each feature and scale it to unit Euclidean norm (scikit-learn's default).
    """
    data = _load_gzip_csv("diabetes_data_raw.csv.gz")
    target = _load_gzip_csv("diabetes_target.csv.gz")
    if scaled:
        data = _center_and_scale(data) / data.shape[0] ** 0.5
    features = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    return _finish(data, target, features, return_X_y=return_X_y, as_frame=as_frame,
                   DESCR=_descriptions.DIABETES, data_filename="diabetes_data_raw.csv.gz",
                   target_filename="diabetes_target.csv.gz", data_module=DATA_MODULE)


def _center_and_scale(X: np.ndarray) -> np.ndarray:
    """Standardises columns (population std), re-centring once more where rounding left a visible mean."""
    mean, std = np.nanmean(X, axis=0), np.nanstd(X, axis=0)
    X = X - mean
    residual = np.nanmean(X, axis=0)
    if not np.allclose(residual, 0):
        X -= residual
    std[std < 10 * np.finfo(std.dtype).eps] = 1.0
    X /= std
    residual = np.nanmean(X, axis=0)
    if not np.allclose(residual, 0):
        X -= residual
    return X
