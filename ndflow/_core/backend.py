"""Array namespaces: NumPy on the CPU, CuPy on NVIDIA GPUs when present.

Op kernels and estimators receive ``xp`` (a module with NumPy's API) instead of importing NumPy, so the
same code can run on another backend.
"""
from __future__ import annotations

import sys
from types import ModuleType

import numpy

__all__ = ["numpy_namespace", "get_namespace"]

numpy_namespace: ModuleType = numpy


def get_namespace(*arrays) -> ModuleType:
    """Returns the array namespace of ``arrays``: CuPy when any is a CuPy array, otherwise NumPy."""
    cupy = sys.modules.get("cupy")
    if cupy is not None:
        for a in arrays:
            if isinstance(a, cupy.ndarray):
                return cupy
    return numpy
