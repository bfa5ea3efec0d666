"""``keras.config``: global Keras settings (float type, epsilon, image layout, safe mode, traceback filtering)."""
from __future__ import annotations

from .backend import backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx, set_image_data_format
from .saving.serialization import enable_unsafe_deserialization

__all__ = ["backend", "epsilon", "floatx", "image_data_format", "set_epsilon", "set_floatx", "set_image_data_format",
           "enable_unsafe_deserialization", "enable_traceback_filtering", "disable_traceback_filtering",
           "is_traceback_filtering_enabled"]

_TRACEBACK_FILTERING = {"enabled": True}


def enable_traceback_filtering() -> None:
    """Records that traceback filtering is on (ndflow never filters tracebacks; the flag is kept for Keras code)."""
    _TRACEBACK_FILTERING["enabled"] = True


def disable_traceback_filtering() -> None:
    """Records that traceback filtering is off (ndflow's tracebacks are always complete)."""
    _TRACEBACK_FILTERING["enabled"] = False


def is_traceback_filtering_enabled() -> bool:
    """The flag set by ``enable_traceback_filtering`` / ``disable_traceback_filtering`` (default ``True``)."""
    return _TRACEBACK_FILTERING["enabled"]
