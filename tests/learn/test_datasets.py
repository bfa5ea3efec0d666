"""Tests of ndflow.learn.datasets: bundled loaders, generators, the data folder and the downloaders
(served from fixture files written by the tests, never from the network)."""
import gzip
import hashlib
import io
import json
import os
import pickle
import tarfile

import numpy as np
import pytest

from ndflow.learn import datasets
from ndflow.learn.datasets import _download, _openml
from ndflow.learn.utils import Bunch

LOADERS = ["load_iris", "load_digits", "load_diabetes", "load_wine", "load_breast_cancer"]
SHAPES = {"load_iris": (150, 4, 3), "load_digits": (1797, 64, 10), "load_diabetes": (442, 10, None),
          "load_wine": (178, 13, 3), "load_breast_cancer": (569, 30, 2)}


# --- Bunch ------------------------------------------------------------------------------------------------


def test_bunch_attribute_and_key_access():
    b = Bunch(a=1)
    b.b = 2
    b["c"] = 3
    assert (b.a, b["b"], b.c) == (1, 2, 3)
    assert sorted(dir(b)) == ["a", "b", "c"]
    del b.a
    with pytest.raises(AttributeError):
        _ = b.a
    restored = pickle.loads(pickle.dumps(b))
    assert restored == {"b": 2, "c": 3} and restored.c == 3


# --- bundled loaders --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LOADERS)
def test_loader_shapes_and_return_modes(name):
    n_samples, n_features, n_classes = SHAPES[name]
    bunch = getattr(datasets, name)()
    assert isinstance(bunch, Bunch)
    assert bunch.data.shape == (n_samples, n_features) and bunch.data.dtype == np.float64
    assert bunch.target.shape == (n_samples,)
    assert len(bunch.feature_names) == n_features
    assert bunch.frame is None and "Source" in bunch.DESCR
    if n_classes is not None:
        assert np.unique(bunch.target).size == n_classes and bunch.target.dtype == np.int64
    X, y = getattr(datasets, name)(return_X_y=True)
    np.testing.assert_array_equal(X, bunch.data)
    np.testing.assert_array_equal(y, bunch.target)


@pytest.mark.parametrize("name", LOADERS)
def test_loader_as_frame(name):
    pd = pytest.importorskip("pandas")
    bunch = getattr(datasets, name)(as_frame=True)
    assert isinstance(bunch.frame, pd.DataFrame) and isinstance(bunch.target, pd.Series)
    assert list(bunch.frame.columns) == list(bunch.feature_names) + ["target"]
    np.testing.assert_array_equal(bunch.data.to_numpy(), getattr(datasets, name)().data)


def test_iris_known_values():
    iris = datasets.load_iris()
    np.testing.assert_array_equal(iris.data[0], [5.1, 3.5, 1.4, 0.2])
    np.testing.assert_array_equal(np.bincount(iris.target), [50, 50, 50])
    np.testing.assert_array_equal(iris.target_names, ["setosa", "versicolor", "virginica"])
    assert iris.feature_names[2:] == ["petal length (cm)", "petal width (cm)"]


def test_digits_images_and_n_class():
    digits = datasets.load_digits()
    np.testing.assert_array_equal(digits.images.reshape(len(digits.images), -1), digits.data)
    assert digits.data.max() == 16 and digits.data.min() == 0
    few = datasets.load_digits(n_class=3)
    assert set(np.unique(few.target)) == {0, 1, 2}
    np.testing.assert_array_equal(few.data, digits.data[digits.target < 3])


def test_diabetes_scaling():
    raw = datasets.load_diabetes(scaled=False).data
    scaled = datasets.load_diabetes().data
    np.testing.assert_allclose(scaled.mean(axis=0), 0, atol=1e-15)
    np.testing.assert_allclose(np.linalg.norm(scaled, axis=0), 1.0)
    centred = raw - raw.mean(axis=0)
    np.testing.assert_allclose(scaled, centred / np.linalg.norm(centred, axis=0), rtol=1e-12)


@pytest.mark.parity
@pytest.mark.parametrize("name", LOADERS)
def test_parity_loaders_identical_to_sklearn(name):
    sk_datasets = pytest.importorskip("sklearn.datasets")
    ours, theirs = getattr(datasets, name)(), getattr(sk_datasets, name)()
    np.testing.assert_array_equal(ours.data, theirs.data)
    assert ours.data.dtype == theirs.data.dtype and ours.target.dtype == theirs.target.dtype
    np.testing.assert_array_equal(ours.target, theirs.target)
    assert list(ours.feature_names) == list(theirs.feature_names)
    if "target_names" in theirs:
        np.testing.assert_array_equal(ours.target_names, theirs.target_names)
    pd_testing = pytest.importorskip("pandas.testing")
    pd_testing.assert_frame_equal(getattr(datasets, name)(as_frame=True).frame,
                                  getattr(sk_datasets, name)(as_frame=True).frame)


@pytest.mark.parity
def test_parity_digits_subset_and_raw_diabetes():
    sk_datasets = pytest.importorskip("sklearn.datasets")
    np.testing.assert_array_equal(datasets.load_digits(n_class=5).images, sk_datasets.load_digits(n_class=5).images)
    np.testing.assert_array_equal(datasets.load_diabetes(scaled=False).data,
                                  sk_datasets.load_diabetes(scaled=False).data)


# --- generators -------------------------------------------------------------------------------------------


def test_make_moons_and_circles_geometry():
    X, y = datasets.make_moons(n_samples=(3, 5), shuffle=False)
    np.testing.assert_allclose(X[:3], [[1, 0], [0, 1], [-1, 0]], atol=1e-15)
    np.testing.assert_array_equal(y, [0, 0, 0, 1, 1, 1, 1, 1])
    X, y = datasets.make_circles(n_samples=8, factor=0.5, shuffle=False)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), [1.0] * 4 + [0.5] * 4)
    with pytest.raises(ValueError, match="When a tuple, n_samples must have exactly two elements"):
        datasets.make_circles(n_samples=(1, 2, 3))


def test_make_blobs_counts_and_centers():
    X, y, centers = datasets.make_blobs(n_samples=[10, 20, 30], n_features=2, cluster_std=0.01, random_state=0,
                                        return_centers=True)
    np.testing.assert_array_equal(np.bincount(y), [10, 20, 30])
    for k in range(3):
        np.testing.assert_allclose(X[y == k].mean(axis=0), centers[k], atol=0.02)
    X, y = datasets.make_blobs(n_samples=10, centers=3, random_state=0)
    np.testing.assert_array_equal(np.bincount(y), [4, 3, 3])


def test_make_classification_structure():
    X, y = datasets.make_classification(n_samples=200, n_features=6, n_informative=3, n_redundant=2,
                                        n_repeated=1, shuffle=False, flip_y=0.0, random_state=1)
    # redundant columns are linear combinations of the informative ones; the repeated one is a copy
    coef = np.linalg.lstsq(X[:, :3], X[:, 3:5], rcond=None)[0]
    np.testing.assert_allclose(X[:, :3] @ coef, X[:, 3:5], atol=1e-8)
    assert any(np.array_equal(X[:, 5], X[:, j]) for j in range(5))
    np.testing.assert_array_equal(np.bincount(y), [100, 100])
    with pytest.raises(ValueError, match="must sum to less than the number of total features"):
        datasets.make_classification(n_features=3, n_informative=2, n_redundant=2)


def test_make_regression_coefficients():
    X, y, coef = datasets.make_regression(n_samples=30, n_features=5, n_informative=2, bias=3.0, coef=True,
                                          random_state=0)
    np.testing.assert_allclose(X @ coef + 3.0, y)
    assert np.count_nonzero(coef) == 2


def test_make_swiss_roll_on_the_spiral():
    X, t = datasets.make_swiss_roll(n_samples=50, random_state=0)
    np.testing.assert_allclose(X[:, 0], t * np.cos(t))
    np.testing.assert_allclose(X[:, 2], t * np.sin(t))


GENERATOR_CASES = [
    ("make_moons", dict(n_samples=101, noise=0.3)),
    ("make_circles", dict(n_samples=(30, 41), noise=0.1, factor=0.3)),
    ("make_blobs", dict(n_samples=103, centers=4, n_features=3, cluster_std=[1, 2, 3, 0.5])),
    ("make_blobs", dict(n_samples=[10, 20])),
    ("make_classification", dict()),
    ("make_classification", dict(n_samples=300, n_features=40, n_informative=35, n_redundant=2, n_repeated=2,
                                 n_classes=5, weights=[0.1, 0.2, 0.3, 0.2], hypercube=False, shift=None,
                                 scale=None)),
    ("make_classification", dict(n_samples=50, n_features=8, n_informative=7, n_redundant=0, n_classes=3,
                                 n_clusters_per_class=40)),
    ("make_regression", dict(n_samples=50, n_features=8, noise=1.0, coef=True, n_targets=2)),
    ("make_regression", dict(n_samples=50, effective_rank=3, bias=2.0)),
    ("make_swiss_roll", dict(noise=0.2)),
    ("make_swiss_roll", dict(noise=0.2, hole=True)),
]


@pytest.mark.parity
@pytest.mark.parametrize("seed", [0, 42])
@pytest.mark.parametrize("name,params", GENERATOR_CASES)
def test_parity_generators_identical_to_sklearn(name, params, seed):
    sk_datasets = pytest.importorskip("sklearn.datasets")
    ours = getattr(datasets, name)(random_state=seed, **params)
    theirs = getattr(sk_datasets, name)(random_state=seed, **params)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype


@pytest.mark.parity
def test_parity_make_classification_bunch():
    sk_datasets = pytest.importorskip("sklearn.datasets")
    ours = datasets.make_classification(return_X_y=False, n_repeated=2, random_state=3)
    theirs = sk_datasets.make_classification(return_X_y=False, n_repeated=2, random_state=3)
    assert ours.feature_info == theirs.feature_info
    np.testing.assert_array_equal(ours.X, theirs.X)


# --- data folder ------------------------------------------------------------------------------------------


def test_data_home_resolution(tmp_path, monkeypatch):
    monkeypatch.setenv("NDFLOW_DATA", str(tmp_path / "from_env"))
    assert datasets.get_data_home() == str(tmp_path / "from_env")
    assert os.path.isdir(tmp_path / "from_env")
    explicit = datasets.get_data_home(tmp_path / "explicit")
    assert explicit == str(tmp_path / "explicit")
    (tmp_path / "explicit" / "file").write_text("x")
    datasets.clear_data_home(explicit)
    assert not os.path.exists(explicit)
    monkeypatch.delenv("NDFLOW_DATA")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert datasets.get_data_home() == str(tmp_path / "ndflow_learn_data")


@pytest.fixture
def served(monkeypatch):
    """Replaces the network: ``served[url] = bytes``; records each URL requested."""
    files, requested = {}, []

    def fake_open(url, timeout=60.0):
        requested.append(url)
        if url not in files:
            from urllib.error import HTTPError

            raise HTTPError(url, 412, "Precondition failed", {}, io.BytesIO(b"{}"))
        return io.BytesIO(files[url])

    monkeypatch.setattr(_download, "open_url", fake_open)
    files["__requested__"] = requested
    return files


def test_fetch_file_checksum_and_atomic_write(tmp_path, served):
    served["https://example.org/a"] = b"payload"
    good = hashlib.sha256(b"payload").hexdigest()
    path = _download.fetch_file("https://example.org/a", str(tmp_path / "a"), checksum=good)
    assert open(path, "rb").read() == b"payload"
    with pytest.raises(OSError, match="checksum differing from expected"):
        _download.fetch_file("https://example.org/a", str(tmp_path / "b"), checksum="0" * 64, n_retries=1,
                             delay=0)
    assert sorted(os.listdir(tmp_path)) == ["a"]  # no partial or corrupt file left behind


# --- California housing -----------------------------------------------------------------------------------

HOUSING_ROWS = np.array([
    # longitude, latitude, age, total rooms, total bedrooms, population, households, income, value
    [-122.23, 37.88, 41.0, 880.0, 129.0, 322.0, 126.0, 8.3252, 452600.0],
    [-122.22, 37.86, 21.0, 7099.0, 1106.0, 2401.0, 1138.0, 8.3014, 358500.0],
    [-121.0, 36.5, 5.0, 300.0, 60.0, 90.0, 30.0, 2.5, 100000.0],
])


def _housing_archive() -> bytes:
    text = "\n".join(",".join(repr(float(v)) for v in row) for row in HOUSING_ROWS).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("CaliforniaHousing/cal_housing.data")
        info.size = len(text)
        archive.addfile(info, io.BytesIO(text))
    return buffer.getvalue()


def test_fetch_california_housing_from_fixture(tmp_path, served, monkeypatch):
    from ndflow.learn.datasets import _california_housing as cal

    payload = _housing_archive()
    served[cal.ARCHIVE_URL] = payload
    monkeypatch.setattr(cal, "ARCHIVE_SHA256", hashlib.sha256(payload).hexdigest())
    with pytest.raises(OSError, match="Data not found and `download_if_missing` is False"):
        datasets.fetch_california_housing(data_home=tmp_path, download_if_missing=False)
    housing = datasets.fetch_california_housing(data_home=tmp_path)
    r = HOUSING_ROWS
    expected = np.column_stack([r[:, 7], r[:, 2], r[:, 3] / r[:, 6], r[:, 4] / r[:, 6], r[:, 5],
                                r[:, 5] / r[:, 6], r[:, 1], r[:, 0]])
    np.testing.assert_allclose(housing.data, expected)
    np.testing.assert_allclose(housing.target, r[:, 8] / 100000)
    assert housing.feature_names[:2] == ["MedInc", "HouseAge"] and housing.target_names == ["MedHouseVal"]
    assert os.listdir(tmp_path) == ["cal_housing.npz"]  # archive removed, table cached
    served.pop(cal.ARCHIVE_URL)
    X, y = datasets.fetch_california_housing(data_home=tmp_path, return_X_y=True)  # from the cache
    np.testing.assert_allclose(X, expected)
    assert served["__requested__"] == [cal.ARCHIVE_URL]


def test_fetch_california_housing_rejects_corrupt_download(tmp_path, served):
    from ndflow.learn.datasets import _california_housing as cal

    served[cal.ARCHIVE_URL] = _housing_archive()  # its checksum is not the real archive's
    with pytest.raises(OSError, match="checksum"):
        datasets.fetch_california_housing(data_home=tmp_path, n_retries=0)
    assert os.listdir(tmp_path) == []


# --- OpenML -----------------------------------------------------------------------------------------------

ARFF = """% a tiny data set
@RELATION 'toy'
@ATTRIBUTE 'sepal' NUMERIC
@ATTRIBUTE width REAL
@ATTRIBUTE colour {'red', green, 'dark blue'}
@ATTRIBUTE 'class' {'a','b'}
@DATA
1.5,2,red,a
2.5,?,'dark blue',b
% a comment line
3.0,4.5,green,'b'
"""


def _serve_openml(served, payload: bytes, md5: str | None = None) -> None:
    api = _openml.OPENML_API
    served[f"{api}/data/list/data_name/toy/limit/2/data_version/1"] = json.dumps(
        {"data": {"dataset": [{"did": 99, "name": "toy", "version": 1}]}}).encode()
    served[f"{api}/data/list/data_name/toy/limit/2/status/active/"] = served[
        f"{api}/data/list/data_name/toy/limit/2/data_version/1"]
    served[f"{api}/data/99"] = json.dumps({"data_set_description": {
        "id": "99", "name": "toy", "version": "1", "format": "ARFF", "description": "A toy set.",
        "url": "https://api.openml.org/data/v1/download/1234/toy.arff", "file_id": "1234",
        "md5_checksum": md5 or hashlib.md5(payload).hexdigest(), "default_target_attribute": "class"}}).encode()
    features = [{"index": str(i), "name": n, "data_type": t, "is_target": "true" if n == "class" else "false",
                 "is_ignore": "false", "is_row_identifier": "false"}
                for i, (n, t) in enumerate([("sepal", "numeric"), ("width", "numeric"), ("colour", "nominal"),
                                            ("class", "nominal")])]
    served[f"{api}/data/features/99"] = json.dumps({"data_features": {"feature": features}}).encode()
    served["https://api.openml.org/data/v1/download/1234/toy.arff"] = payload


@pytest.mark.parametrize("parser", ["liac-arff", "pandas"])
def test_fetch_openml_arrays(tmp_path, served, parser):
    if parser == "pandas":
        pytest.importorskip("pandas")
    _serve_openml(served, ARFF.encode())
    bunch = datasets.fetch_openml("toy", version=1, as_frame=False, data_home=tmp_path, parser=parser)
    np.testing.assert_array_equal(bunch.data, [[1.5, 2.0, 0.0], [2.5, np.nan, 2.0], [3.0, 4.5, 1.0]])
    np.testing.assert_array_equal(bunch.target, ["a", "b", "b"])
    assert bunch.feature_names == ["sepal", "width", "colour"] and bunch.target_names == ["class"]
    assert bunch.categories == {"colour": ["red", "green", "dark blue"], "class": ["a", "b"]}
    assert bunch.url == "https://www.openml.org/d/99" and bunch.DESCR.startswith("A toy set.")
    assert bunch.details["file_id"] == "1234"
    # everything is cached: a second call needs no network
    n_requests = len(served["__requested__"])
    X, y = datasets.fetch_openml("toy", version=1, as_frame=False, data_home=tmp_path, return_X_y=True,
                                 parser=parser)
    assert len(served["__requested__"]) == n_requests
    np.testing.assert_array_equal(y, ["a", "b", "b"])


def test_fetch_openml_frame_and_gzip_payload(tmp_path, served):
    pd = pytest.importorskip("pandas")
    _serve_openml(served, gzip.compress(ARFF.encode()))
    bunch = datasets.fetch_openml("toy", data_home=tmp_path)  # as_frame="auto", active version
    assert isinstance(bunch.frame, pd.DataFrame)
    assert list(bunch.data.columns) == ["sepal", "width", "colour"]
    assert list(bunch.target.cat.categories) == ["a", "b"]
    assert bunch.data["colour"].tolist() == ["red", "dark blue", "green"]
    np.testing.assert_array_equal(bunch.data["sepal"], [1.5, 2.5, 3.0])


def test_fetch_openml_errors(tmp_path, served):
    _serve_openml(served, ARFF.encode(), md5="0" * 32)
    with pytest.raises(ValueError, match="md5 checksum"):
        datasets.fetch_openml("toy", version=1, data_home=tmp_path, n_retries=0)
    with pytest.raises(ValueError, match="Dataset missing with version 3 not found"):
        datasets.fetch_openml("missing", version=3, data_home=tmp_path)
    with pytest.raises(ValueError, match="Neither name nor data_id are provided"):
        datasets.fetch_openml(data_home=tmp_path)
    with pytest.raises(ValueError, match="you can only specify a numeric data_id or a name"):
        datasets.fetch_openml("toy", data_id=99, data_home=tmp_path)
