"""Tests for ``keras.utils.get_file``: caching, hashes, atomic downloads, extraction (``file://`` and a local
HTTP server; no network)."""
import hashlib
import http.server
import io
import os
import tarfile
import threading
import zipfile

import pytest

from ndflow.keras import utils
from ndflow.keras.utils import file_utils
from ndflow.keras.utils.file_utils import extract_archive, get_file, hash_file, validate_file


def _write(path, data: bytes):
    path.write_bytes(data)
    return path.as_uri()


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("KERAS_HOME", str(home))
    return home


def test_downloads_into_keras_home_and_reuses_cache(tmp_path, keras_home, capsys):
    origin = _write(tmp_path / "data.bin", b"hello")
    path = get_file("data.bin", origin=origin)
    assert path == str(keras_home / "datasets" / "data.bin")
    assert open(path, "rb").read() == b"hello"
    assert f"Downloading data from {origin}" in capsys.readouterr().out
    (tmp_path / "data.bin").write_bytes(b"changed")
    assert open(get_file("data.bin", origin=origin), "rb").read() == b"hello"  # cached, no download
    assert "Downloading" not in capsys.readouterr().out
    assert open(get_file("data.bin", origin=origin, force_download=True), "rb").read() == b"changed"


def test_fname_defaults_to_url_name_and_cache_dir_and_subdir(tmp_path):
    origin = _write(tmp_path / "weights.h5", b"w")
    path = get_file(origin=origin, cache_dir=str(tmp_path / "cache"), cache_subdir="models")
    assert path == str(tmp_path / "cache" / "models" / "weights.h5")
    absolute = tmp_path / "absolute"
    assert get_file("w.h5", origin=origin, cache_subdir=str(absolute)) == str(absolute / "w.h5")


def test_sha256_and_md5_verification(tmp_path, keras_home, capsys):
    data = b"some payload"
    origin = _write(tmp_path / "p.bin", data)
    sha, md5 = hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest()
    assert hash_file(get_file("p.bin", origin=origin, file_hash=sha)) == sha
    assert validate_file(str(keras_home / "datasets" / "p.bin"), md5)
    assert validate_file(str(keras_home / "datasets" / "p.bin"), md5, algorithm="md5")
    assert not validate_file(str(keras_home / "datasets" / "p.bin"), sha, algorithm="md5")
    get_file("q.bin", origin=origin, md5_hash=md5)
    with pytest.raises(ValueError, match="Incomplete or corrupted file detected. The auto file hash does not"):
        get_file("r.bin", origin=origin, file_hash="0" * 64)


def test_mismatched_cached_file_is_downloaded_again(tmp_path, keras_home, capsys):
    data = b"fresh copy"
    origin = _write(tmp_path / "f.bin", data)
    stale = keras_home / "datasets" / "f.bin"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"stale")
    sha = hashlib.sha256(data).hexdigest()
    assert open(get_file("f.bin", origin=origin, file_hash=sha), "rb").read() == data
    out = capsys.readouterr().out
    assert "A local file was found, but it seems to be incomplete or outdated because the auto file hash" in out


def test_failed_download_leaves_no_file(tmp_path, keras_home):
    with pytest.raises(Exception, match="URL fetch failure on"):
        get_file("missing.bin", origin=(tmp_path / "nope.bin").as_uri())
    assert os.listdir(keras_home / "datasets") == []


def test_argument_errors(tmp_path):
    with pytest.raises(ValueError, match='Please specify the "origin" argument'):
        get_file("x")
    with pytest.raises(ValueError, match="Paths are no longer accepted as the `fname` argument"):
        get_file(os.path.join("a", "b"), origin="file:///x", cache_dir=str(tmp_path))
    with pytest.raises(ValueError, match="Can't parse the file name from the origin provided"):
        get_file(origin="http://example.com/", cache_dir=str(tmp_path))


def _tar_gz(members: dict) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_extract_tar_with_and_without_extension(tmp_path, keras_home):
    origin = _write(tmp_path / "arch.tar.gz", _tar_gz({"inner/a.txt": b"A"}))
    folder = get_file("arch.tar.gz", origin=origin, extract=True)
    assert folder == str(keras_home / "datasets" / "arch_extracted")
    assert open(os.path.join(folder, "inner", "a.txt"), "rb").read() == b"A"
    folder = get_file("plain", origin=origin, extract=True)
    assert folder == str(keras_home / "datasets" / "plain")
    assert os.path.exists(str(keras_home / "datasets" / "plain_archive"))
    assert os.path.isfile(os.path.join(get_file("old", origin=origin, untar=True), "inner", "a.txt"))


def test_extract_zip_and_unsafe_member_skipped(tmp_path, keras_home):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ok.txt", "fine")
        archive.writestr("../evil.txt", "bad")
    origin = _write(tmp_path / "z.zip", buffer.getvalue())
    with pytest.warns(UserWarning, match="Skipping invalid path during archive extraction"):
        folder = get_file("z.zip", origin=origin, extract=True)
    assert open(os.path.join(folder, "ok.txt")).read() == "fine"
    assert not os.path.exists(os.path.join(os.path.dirname(folder), "evil.txt"))


def test_extract_archive_formats(tmp_path):
    archive = tmp_path / "a.tar"
    archive.write_bytes(_tar_gz({"x.txt": b"x"}))
    assert not extract_archive(str(archive), str(tmp_path / "out"), archive_format="zip")
    assert not extract_archive(str(archive), str(tmp_path / "out"), archive_format=None)
    assert extract_archive(str(archive), str(tmp_path / "out"), archive_format=["zip", "tar"])
    with pytest.warns(UserWarning, match="Could not extract archive."):
        get_file("notarchive.bin", origin=_write(tmp_path / "n.bin", b"xx"), extract=True,
                 cache_dir=str(tmp_path / "c"))


def test_http_download_through_local_server(tmp_path, keras_home):
    served = tmp_path / "served"
    served.mkdir()
    (served / "blob.bin").write_bytes(b"0123456789" * 1000)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(served), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        path = get_file(origin=f"{base}/blob.bin", file_hash=hashlib.sha256(b"0123456789" * 1000).hexdigest())
        assert open(path, "rb").read() == b"0123456789" * 1000
        with pytest.raises(Exception, match="URL fetch failure on .*404"):
            get_file(origin=f"{base}/absent.bin")
    finally:
        server.shutdown()
        server.server_close()
    assert sorted(os.listdir(keras_home / "datasets")) == ["blob.bin"]  # no partial files left behind


def test_keras_home_default(monkeypatch):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    assert file_utils.keras_home().endswith(".keras")
    assert utils.get_file is get_file


@pytest.mark.parity
def test_parity_same_cache_layout_as_keras(tmp_path, monkeypatch):
    keras_file_utils = pytest.importorskip("keras.src.utils.file_utils")
    origin = _write(tmp_path / "arch.tar.gz", _tar_gz({"d/a.txt": b"A"}))
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir()
    theirs.mkdir()
    for fname, extract in (("arch.tar.gz", True), ("named", True), ("plain.bin", False), (None, False)):
        expected = keras_file_utils.get_file(fname, origin=origin, extract=extract, cache_dir=str(theirs))
        got = get_file(fname, origin=origin, extract=extract, cache_dir=str(ours))
        assert os.path.relpath(got, ours) == os.path.relpath(expected, theirs)
