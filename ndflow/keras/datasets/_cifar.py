"""Reading the pickled batch files of the CIFAR-10/100 python archives."""
from __future__ import annotations

import numpy as np

from .. import backend
from ._common import ArrayOnlyUnpickler


def load_batch(fpath: str, label_key: str = "labels") -> tuple[np.ndarray, list]:
    """``(data (n, 3, 32, 32) uint8, labels)`` from one pickled CIFAR batch file (byte-string keys)."""
    with open(fpath, "rb") as file:
        batch = {key.decode("utf8"): value for key, value in ArrayOnlyUnpickler(file, encoding="bytes").load().items()}
    data = batch["data"]
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def to_image_layout(*images: np.ndarray) -> list[np.ndarray]:
    """Channels-first CIFAR arrays moved to ``keras.config.image_data_format()``."""
    if backend.image_data_format() == "channels_last":
        return [x.transpose(0, 2, 3, 1) for x in images]
    return list(images)
