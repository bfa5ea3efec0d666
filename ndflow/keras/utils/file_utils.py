"""``keras.utils.get_file``: download a file into the Keras cache, verify its hash, extract archives.

The cache lives in ``$KERAS_HOME`` (read when ``get_file`` runs) or ``~/.keras``; downloads go to a temporary
file in the target folder that is renamed into place only once complete, so an interrupted download never
leaves a half-written file under the final name.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile
from typing import Any

from .progbar import Progbar, print_msg

__all__ = ["get_file", "hash_file", "validate_file", "extract_archive", "keras_home"]

_CHUNK = 65535


def keras_home() -> str:
    """The Keras cache root: ``$KERAS_HOME`` when set, else ``~/.keras`` (``/tmp/.keras`` if home is read-only)."""
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    home = os.path.expanduser("~")
    return os.path.join(home if os.access(home, os.W_OK) else "/tmp", ".keras")


def _hasher(algorithm: str, file_hash: str | None = None):
    if algorithm == "sha256" or (algorithm == "auto" and file_hash is not None and len(file_hash) == 64):
        return hashlib.sha256()
    return hashlib.md5()


def hash_file(fpath: str, algorithm: Any = "sha256", chunk_size: int = _CHUNK) -> str:
    """The hex digest of ``fpath`` (``algorithm``: ``"sha256"``, ``"md5"``, ``"auto"`` = sha256, or a hashlib
    object)."""
    hasher = _hasher(algorithm) if isinstance(algorithm, str) else algorithm
    with open(fpath, "rb") as file:
        for chunk in iter(lambda: file.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath: str, file_hash: str, algorithm: str = "auto", chunk_size: int = _CHUNK) -> bool:
    """Whether ``fpath`` hashes to ``file_hash`` (``"auto"``: sha256 for 64-character hashes, else md5)."""
    return hash_file(fpath, _hasher(algorithm, file_hash), chunk_size) == str(file_hash)


def _inside(base: str, relative: str) -> bool:
    target = os.path.realpath(os.path.join(base, relative))
    try:
        return os.path.commonpath([target, base]) == base
    except ValueError:
        return False


def _safe_tar_members(archive: tarfile.TarFile, base: str):
    for member in archive:
        ok = _inside(base, member.name)
        if ok and member.issym():
            ok = _inside(base, os.path.join(os.path.dirname(member.name), member.linkname))
        elif ok and member.islnk():
            ok = _inside(base, member.linkname)
        if ok:
            yield member
        else:
            warnings.warn(f"Skipping invalid path during archive extraction: '{member.name}'.", stacklevel=3)


def _extract_tar(file_path: str, path: str) -> None:
    base = os.path.realpath(path)
    with tarfile.open(file_path) as archive:
        kwargs = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        archive.extractall(path, members=_safe_tar_members(archive, base), **kwargs)


def _extract_zip(file_path: str, path: str) -> None:
    base = os.path.realpath(path)
    with zipfile.ZipFile(file_path) as archive:
        members = []
        for info in archive.infolist():
            if _inside(base, info.filename):
                members.append(info)
            else:
                warnings.warn(f"Skipping invalid path during archive extraction: '{info.filename}'.", stacklevel=3)
        archive.extractall(path, members=members)


_EXTRACTORS = {"tar": (tarfile.is_tarfile, _extract_tar), "zip": (zipfile.is_zipfile, _extract_zip)}


def extract_archive(file_path: str, path: str = ".", archive_format: Any = "auto") -> bool:
    """Extracts a tar (``.tar``, ``.tar.gz``, ``.tar.bz2``) or zip archive into ``path``, skipping members that
    would land outside it.

    Returns:
        ``True`` when ``file_path`` matched one of ``archive_format`` and was extracted, else ``False``.
    """
    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else archive_format
    formats = [formats] if isinstance(formats, str) else formats
    file_path, path = os.fspath(file_path), os.fspath(path)
    for name in formats:
        if name not in _EXTRACTORS:
            raise NotImplementedError(name)
        is_match, extract = _EXTRACTORS[name]
        if is_match(file_path):
            try:
                extract(file_path, path)
            except (tarfile.TarError, RuntimeError, KeyboardInterrupt):
                if os.path.isfile(path):
                    os.remove(path)
                elif os.path.isdir(path):
                    shutil.rmtree(path)
                raise
            return True
    return False


class _DownloadProgress:
    """``urlretrieve`` report hook drawing a Keras ``Progbar``."""

    def __init__(self):
        self.progbar = None
        self.finished = False

    def __call__(self, block_num: int, block_size: int, total_size: int) -> None:
        total = None if total_size == -1 else total_size
        if self.progbar is None:
            self.progbar = Progbar(total)
        current = block_num * block_size
        if total is None or current < total:
            self.progbar.update(current)
        elif not self.finished:
            self.progbar.update(total)
            self.finished = True


def _download(origin: str, target: str) -> None:
    """Fetches ``origin`` into a temporary file beside ``target``, then renames it into place."""
    print_msg(f"Downloading data from {origin}")
    handle, partial = tempfile.mkstemp(prefix=os.path.basename(target) + ".", suffix=".part",
                                       dir=os.path.dirname(target))
    os.close(handle)
    try:
        try:
            urllib.request.urlretrieve(origin, partial, _DownloadProgress())
        except urllib.error.HTTPError as error:
            raise Exception(f"URL fetch failure on {origin}: {error.code} -- {error.msg}") from None
        except urllib.error.URLError as error:
            raise Exception(f"URL fetch failure on {origin}: {error.errno} -- {error.reason}") from None
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def get_file(fname: str | None = None, origin: str | None = None, untar: bool = False, md5_hash: str | None = None,
             file_hash: str | None = None, cache_subdir: str = "datasets", hash_algorithm: str = "auto",
             extract: bool = False, archive_format: Any = "auto", cache_dir: str | None = None,
             force_download: bool = False) -> str:
    """Downloads ``origin`` into ``<cache_dir>/<cache_subdir>/<fname>`` unless a valid copy is already cached.

    Args:
        fname: local file name (default: the last part of ``origin``'s path). With ``extract``, a name without
            an extension names the extraction folder; ``"x.tar.gz"`` extracts into ``x_extracted``.
        origin: the URL (``http(s)://``, ``file://`` …).
        untar: deprecated spelling of ``extract=True, archive_format="tar"``.
        md5_hash: deprecated spelling of ``file_hash`` with ``hash_algorithm="md5"``.
        file_hash: expected sha256 or md5 hex digest; a cached file that does not match is downloaded again,
            a fresh download that does not match raises ``ValueError``.
        cache_subdir: folder under the cache root (an absolute path is used as is).
        hash_algorithm: ``"auto"``, ``"sha256"`` or ``"md5"``.
        extract: extract the downloaded tar/zip archive and return the extraction folder.
        archive_format: ``"auto"`` (tar then zip), ``"tar"``, ``"zip"``, a list of these, or ``None``.
        cache_dir: cache root (default ``$KERAS_HOME`` or ``~/.keras``).
        force_download: download even when the file is cached.

    Returns:
        The path of the downloaded file, or of the extraction folder when extracting.
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    base = os.path.expanduser(cache_dir if cache_dir is not None else keras_home())
    if os.path.isdir(base) and not os.access(base, os.W_OK):
        base = os.path.join(tempfile.gettempdir(), ".keras")
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)

    given_name = os.fspath(fname) if fname is not None else None
    name = given_name or os.path.basename(urllib.parse.urlsplit(origin).path)
    if not name:
        raise ValueError(f"Can't parse the file name from the origin provided: '{origin}'."
                         "Please specify the `fname` argument.")
    if given_name and os.sep in given_name:
        raise ValueError("Paths are no longer accepted as the `fname` argument. To specify the file's parent "
                         f"directory, use the `cache_dir` argument. Received: fname={given_name}")

    extraction_dir = None
    if extract or untar:
        if given_name and "." in name:
            download_target = os.path.join(datadir, name)
            extraction_dir = os.path.join(datadir, f"{name[:name.find('.')]}_extracted")
        else:
            download_target = os.path.join(datadir, f"{name}_archive")
            extraction_dir = os.path.join(datadir, name)
    else:
        download_target = os.path.join(datadir, name)

    download = force_download or not os.path.exists(download_target)
    if not download and file_hash is not None and not validate_file(download_target, file_hash, hash_algorithm):
        print_msg("A local file was found, but it seems to be incomplete or outdated because the "
                  f"{hash_algorithm} file hash does not match the original value of {file_hash} "
                  "so we will re-download the data.")
        download = True
    if download:
        _download(origin, download_target)
        if file_hash is not None and not validate_file(download_target, file_hash, hash_algorithm):
            raise ValueError(f"Incomplete or corrupted file detected. The {hash_algorithm} file hash does not match "
                             f"the provided value of {file_hash}.")

    if extraction_dir is None:
        return download_target
    if not extract_archive(download_target, extraction_dir, "tar" if untar else archive_format):
        warnings.warn("Could not extract archive.", stacklevel=2)
    return extraction_dir
