"""Masked CRC32C checksums of TFRecord framing, computed by the ``crc32c`` (or ``google-crc32c``) package.

The library loads on first use, so ``import ndflow`` does not need it.
"""
from __future__ import annotations

from typing import Callable

MASK_DELTA = 0xA282EAD8
_crc32c: Callable[[bytes], int] | None = None


def _load() -> Callable[[bytes], int]:
    try:
        from crc32c import crc32c as fn
    except ImportError:
        try:
            from google_crc32c import value as fn
        except ImportError:
            raise ImportError("TFRecord files need a CRC32C library: install `crc32c` (pip install crc32c, or "
                              "ndflow[data]) or `google-crc32c`.") from None
    return fn


def library() -> Callable[[bytes], int]:
    """The loaded library's plain CRC32C function (for loops that mask inline)."""
    global _crc32c
    if _crc32c is None:
        _crc32c = _load()
    return _crc32c


def crc32c(data: bytes) -> int:
    """The CRC32C (Castagnoli) checksum of ``data``.

    Raises:
        ImportError: neither ``crc32c`` nor ``google-crc32c`` is installed.
    """
    return library()(data)


def masker() -> Callable[[bytes], int]:
    """TFRecord's masked checksum function: the CRC rotated right by 15 bits plus a constant (mod 2**32)."""
    fn = library()

    def masked(data: bytes) -> int:
        crc = fn(data)
        return (((crc >> 15) | (crc << 17)) + MASK_DELTA) & 0xFFFFFFFF

    return masked
