"""``ndflow.config``: devices, threading and function execution settings."""
from __future__ import annotations

import types
from typing import Any

from ._core import blas_threads as _blas_threads
from ._core import function as _function

__all__ = ["list_physical_devices", "list_logical_devices", "run_functions_eagerly", "functions_run_eagerly",
           "threading", "experimental", "PhysicalDevice"]


class PhysicalDevice:
    """A device ndflow can run on (``name``, ``device_type``)."""

    def __init__(self, name: str, device_type: str) -> None:
        self.name = name
        self.device_type = device_type

    def __repr__(self) -> str:
        return f"PhysicalDevice(name='{self.name}', device_type='{self.device_type}')"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, PhysicalDevice) and (self.name, self.device_type) == (other.name,
                                                                                       other.device_type)


def _gpu_count() -> int:
    try:
        import cupy
    except ImportError:
        return 0
    try:
        return int(cupy.cuda.runtime.getDeviceCount())
    except Exception:
        return 0


def list_physical_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """The CPU, plus the GPUs CuPy can see."""
    devices = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    devices += [PhysicalDevice(f"/physical_device:GPU:{i}", "GPU") for i in range(_gpu_count())]
    return [d for d in devices if device_type is None or d.device_type == device_type.upper()]


def list_logical_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    return [PhysicalDevice(d.name.replace("/physical_device", "/device"), d.device_type)
            for d in list_physical_devices(device_type)]


def run_functions_eagerly(run_eagerly: bool) -> None:
    """Makes every ``ndflow.function`` call run its Python function directly (for debugging)."""
    _function.RUN_EAGERLY[0] = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    return _function.RUN_EAGERLY[0]


threading = types.SimpleNamespace(
    set_intra_op_parallelism_threads=_blas_threads.set_user_count,
    get_intra_op_parallelism_threads=_blas_threads.user_count,
    set_inter_op_parallelism_threads=lambda n: None,
    get_inter_op_parallelism_threads=lambda: 0,
)

experimental = types.SimpleNamespace(
    set_memory_growth=lambda device, enable: None,
    get_memory_growth=lambda device: False,
    list_physical_devices=list_physical_devices,
    set_visible_devices=lambda devices, device_type=None: None,
)
