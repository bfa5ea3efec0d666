"""Downloads into the data folder: checksum verification and atomic writes (temporary file + rename)."""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
from typing import BinaryIO


def open_url(url: str, timeout: float = 60.0) -> BinaryIO:
    """Opens ``url`` for reading (the single place where the network is touched; tests replace it)."""
    from urllib.request import Request, urlopen

    return urlopen(Request(url, headers={"User-Agent": "ndflow"}), timeout=timeout)


def file_digest(path: str, algorithm: str = "sha256") -> str:
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_file(url: str, path: str, *, checksum: str | None = None, algorithm: str = "sha256",
               n_retries: int = 3, delay: float = 1.0) -> str:
    """Downloads ``url`` to ``path`` unless already there; returns ``path``.

    The bytes go to a temporary file in the same folder, are checked against ``checksum`` (hex digest
    with ``algorithm``), and only then renamed to ``path``, so an interrupted download leaves nothing behind.

    Raises:
        OSError: the checksum does not match, or the download failed ``n_retries + 1`` times.
    """
    if os.path.exists(path):
        return path
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    for attempt in range(n_retries + 1):
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out, open_url(url) as response:
                for block in iter(lambda: response.read(1 << 20), b""):
                    out.write(block)
            if checksum is not None and file_digest(tmp, algorithm) != checksum:
                raise OSError(f"{path} has an {algorithm} checksum differing from expected, file may be "
                              "corrupted.")
            os.replace(tmp, path)
            return path
        except OSError:
            if os.path.exists(tmp):
                os.remove(tmp)
            if attempt == n_retries:
                raise
            time.sleep(delay)
    return path


def write_atomic(path: str, payload: bytes) -> None:
    """Writes ``payload`` to ``path`` through a temporary file and a rename."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
