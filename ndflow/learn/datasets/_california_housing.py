"""``fetch_california_housing``: the 1990 California census housing data, downloaded once and cached."""
from __future__ import annotations

import os
import tarfile
from typing import Any

import numpy as np

from ..utils._bunch import Bunch
from . import _descriptions
from ._base import get_data_home, to_frame
from ._download import fetch_file

__all__ = ["fetch_california_housing"]

ARCHIVE_URL = "https://ndownloader.figshare.com/files/5976036"
ARCHIVE_SHA256 = "aaa5c9a6afe2225cc2aed2723682ae403280c4a3695a2ddda4ffb5d8215ea681"
ARCHIVE_MEMBER = "CaliforniaHousing/cal_housing.data"
CACHE_NAME = "cal_housing.npz"
FEATURES = ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup", "Latitude", "Longitude"]
# Columns of the archive: longitude, latitude, housing median age, total rooms, total bedrooms,
# population, households, median income, median house value.
_TARGET_FIRST_ORDER = [8, 7, 2, 3, 4, 5, 6, 1, 0]


def _read_archive(path: str) -> np.ndarray:
    with tarfile.open(path, mode="r:gz") as archive:
        raw = np.loadtxt(archive.extractfile(ARCHIVE_MEMBER), delimiter=",")
    return raw[:, _TARGET_FIRST_ORDER]


def fetch_california_housing(*, data_home: Any = None, download_if_missing: bool = True,
                             return_X_y: bool = False, as_frame: bool = False, n_retries: int = 3,
                             delay: float = 1.0):
    """The California housing regression data: 20640 samples, 8 features, median house value in $100k.

    The archive is downloaded once (SHA-256 checked) and the table cached as ``cal_housing.npz`` in
    ``get_data_home(data_home)``.

    Raises:
        OSError: not cached and ``download_if_missing`` is false, or the download failed.
    """
    home = get_data_home(data_home)
    cache = os.path.join(home, CACHE_NAME)
    if not os.path.exists(cache):
        if not download_if_missing:
            raise OSError("Data not found and `download_if_missing` is False")
        archive = fetch_file(ARCHIVE_URL, os.path.join(home, "cal_housing.tgz"), checksum=ARCHIVE_SHA256,
                             n_retries=n_retries, delay=delay)
        table = _read_archive(archive)
        tmp = cache + ".part.npz"
        np.savez_compressed(tmp, table=table)
        os.replace(tmp, cache)
        os.remove(archive)
    with np.load(cache) as stored:
        table = stored["table"]
    target, data = table[:, 0] / 100000.0, table[:, 1:].copy()
    households = data[:, 5].copy()
    data[:, 2] /= households  # rooms per household
    data[:, 3] /= households  # bedrooms per household
    data[:, 5] = data[:, 4] / households  # people per household
    frame = None
    if as_frame:
        frame, data, target = to_frame(data, target, FEATURES, ["MedHouseVal"])
    if return_X_y:
        return data, target
    return Bunch(data=data, target=target, frame=frame, target_names=["MedHouseVal"],
                 feature_names=list(FEATURES), DESCR=_descriptions.CALIFORNIA_HOUSING)
