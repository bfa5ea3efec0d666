"""``fetch_openml``: data sets from openml.org by name and version (or id), cached in the data folder.

The JSON API gives the data set's description (file URL, MD5 checksum, target), its features and its
row count; the data itself is a dense ARFF file. Every response is cached under
``<data_home>/openml/openml.org/<path of the URL>``.
"""
from __future__ import annotations

import csv
import io
import json
import os
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ..utils._bunch import Bunch
from . import _download
from ._base import get_data_home

__all__ = ["fetch_openml"]

OPENML_API = "https://www.openml.org/api/v1/json"
_SEARCH_NAME = OPENML_API + "/data/list/data_name/{}/limit/2"
_DATA_INFO = OPENML_API + "/data/{}"
_DATA_FEATURES = OPENML_API + "/data/features/{}"


class OpenMLError(ValueError):
    """The OpenML API answered with an error (unknown name, version or id)."""


def _cache_path(url: str, data_home: str) -> str:
    parsed = urlparse(url)
    return os.path.join(data_home, "openml", "openml.org", parsed.path.strip("/"))


def _get_json(url: str, data_home: str | None, error_message: str) -> dict:
    """The JSON answer to ``url``, read from the cache when present.

    Raises:
        OpenMLError: ``error_message`` when the server answers 412 (OpenML's "no such data").
    """
    from urllib.error import HTTPError

    path = _cache_path(url, data_home) if data_home is not None else None
    if path is not None and os.path.exists(path):
        with open(path, "rb") as cached:
            return json.loads(cached.read().decode("utf-8"))
    try:
        with _download.open_url(url) as response:
            payload = response.read()
    except HTTPError as exc:
        if exc.code == 412:
            raise OpenMLError(error_message) from None
        raise
    if path is not None:
        _download.write_atomic(path, payload)
    return json.loads(payload.decode("utf-8"))


def _data_id(name: str, version: Any, data_home: str | None) -> int:
    if version == "active":
        url = _SEARCH_NAME.format(name) + "/status/active/"
        found = _get_json(url, data_home, f"No active dataset {name} found.")["data"]["dataset"]
        if len(found) > 1:
            import warnings

            warnings.warn(f"Multiple active versions of the dataset matching the name {name} exist. Versions "
                          "may be fundamentally different, returning version "
                          f"{found[0]['version']}. Available versions:\n", stacklevel=3)
        return int(found[0]["did"])
    url = (_SEARCH_NAME + "/data_version/{}").format(name, version)
    found = _get_json(url, data_home, f"Dataset {name} with version {version} not found.")["data"]["dataset"]
    return int(found[0]["did"])


# --- ARFF -------------------------------------------------------------------------------------------------


def _parse_attribute(line: str) -> tuple[str, Any]:
    """``(name, kind)`` of an ``@attribute`` line: "numeric", "string", "date" or the list of categories."""
    rest = line.split(None, 1)[1].strip()
    if rest[0] in "'\"":
        end = rest.index(rest[0], 1)
        name, kind = rest[1:end], rest[end + 1:].strip()
    else:
        name, kind = rest.split(None, 1)
    if kind.startswith("{"):
        inner = kind[1:kind.rindex("}")]
        values = next(csv.reader([inner], quotechar="'", skipinitialspace=True))
        return name, [v.strip().strip('"') for v in values]
    kind = kind.split()[0].lower()
    return name, "numeric" if kind in ("numeric", "real", "integer") else kind


def split_arff(text: str) -> tuple[list[tuple[str, Any]], str]:
    """Splits a dense ARFF document into its attributes and the text of its ``@data`` section.

    Raises:
        NotImplementedError: sparse ARFF rows (``{index value, ...}``).
    """
    attributes, position = [], 0
    for line in text.splitlines(keepends=True):
        position += len(line)
        stripped = line.strip()
        if not stripped or stripped.startswith("%"):
            continue
        keyword = stripped.split(None, 1)[0].lower()
        if keyword == "@attribute":
            attributes.append(_parse_attribute(stripped))
        elif keyword == "@data":
            break
    body = text[position:]
    if body.lstrip().startswith("{"):
        raise NotImplementedError("fetch_openml with sparse ARFF data is not supported yet")
    return attributes, body


def read_arff_columns(body: str, attributes: list[tuple[str, Any]], use_pandas: bool) -> dict[str, np.ndarray]:
    """One array per attribute of the ``@data`` text: float64 (NaN for "?") for numeric attributes, objects
    (None for "?") for the others. ``use_pandas`` parses with ``pandas.read_csv`` (fast, little memory)."""
    if use_pandas:
        return _read_with_pandas(body, attributes)
    lines = [ln for ln in body.splitlines() if ln.strip() and not ln.lstrip().startswith("%")]
    rows = [[v.strip('"') for v in row] for row in csv.reader(lines, quotechar="'", skipinitialspace=True)]
    table = np.array(rows, dtype=str).reshape(len(rows), len(attributes))
    missing = table == "?"
    columns = {}
    for i, (name, kind) in enumerate(attributes):
        if kind == "numeric":
            columns[name] = np.where(missing[:, i], "nan", table[:, i]).astype(np.float64)
        else:
            columns[name] = table[:, i].astype(object)
            columns[name][missing[:, i]] = None
    return columns


def _read_with_pandas(body: str, attributes: list[tuple[str, Any]]) -> dict[str, np.ndarray]:
    import pandas as pd

    names = [name for name, _ in attributes]
    dtypes = {name: np.float64 if kind == "numeric" else object for name, kind in attributes}
    frame = pd.read_csv(io.StringIO(body), header=None, names=names, dtype=dtypes, na_values=["?"],
                        keep_default_na=False, comment="%", quotechar='"', skipinitialspace=True,
                        escapechar="\\")
    columns = {}
    for name, kind in attributes:
        values = frame[name].to_numpy()
        if kind != "numeric":  # single-quoted values keep their quotes in read_csv
            values = np.array([None if pd.isna(v) else str(v).strip("'") for v in values], dtype=object)
        columns[name] = values
    return columns


# --- fetch_openml -----------------------------------------------------------------------------------------


def fetch_openml(name: str | None = None, *, version: Any = "active", data_id: int | None = None,
                 data_home: Any = None, target_column: Any = "default-target", cache: bool = True,
                 return_X_y: bool = False, as_frame: Any = "auto", n_retries: int = 3, delay: float = 1.0,
                 parser: str = "auto", read_csv_kwargs: dict | None = None):
    """Loads an OpenML data set (dense ARFF) by ``name`` and ``version``, or by ``data_id``.

    ``parser`` picks how the data section is read: "pandas" (``pandas.read_csv``), "liac-arff" (ndflow's
    pure-Python reader) or "auto" (pandas when installed); ``read_csv_kwargs`` is ignored.

    Returns:
        a ``Bunch`` with data, target, frame, categories, feature_names, target_names, DESCR, details and
        url, or ``(data, target)`` with ``return_X_y``. With ``as_frame`` (the "auto" default for dense data)
        data is a DataFrame and categorical columns are pandas categories; otherwise data is a float64
        array and categorical targets are arrays of strings.

    Raises:
        ValueError: neither or both of ``name`` and ``data_id``, an unknown parser, a checksum mismatch, or
            non-numeric features without ``as_frame``.
    """
    if parser not in ("auto", "pandas", "liac-arff"):
        raise ValueError(f"The 'parser' parameter of fetch_openml must be a str among {{'auto', 'liac-arff', "
                         f"'pandas'}}. Got {parser!r} instead.")
    home = get_data_home(data_home) if cache else None
    if name is not None and data_id is not None:
        raise ValueError(f"Dataset data_id={data_id} and name={name} passed, but you can only specify a "
                         "numeric data_id or a name, not both.")
    if name is None and data_id is None:
        raise ValueError("Neither name nor data_id are provided. Please provide name or data_id.")
    if name is not None:
        data_id = _data_id(name.lower(), version, home)
    description = _get_json(_DATA_INFO.format(data_id), home,
                            f"Dataset with data_id {data_id} not found.")["data_set_description"]
    features = _get_json(_DATA_FEATURES.format(data_id), home,
                         f"Dataset with data_id {data_id} not found.")["data_features"]["feature"]
    if description.get("format", "").lower() == "sparse_arff":
        raise NotImplementedError("fetch_openml with sparse ARFF data is not supported yet")
    as_frame = True if as_frame == "auto" else bool(as_frame)

    payload = _arff_payload(description, home, n_retries, delay)
    if payload[:2] == b"\x1f\x8b":
        import gzip

        payload = gzip.decompress(payload)
    attributes, body = split_arff(payload.decode("utf-8"))

    targets = _target_names(features, target_column)
    ignored = {f["name"] for f in features if "true" in (f.get("is_ignore"), f.get("is_row_identifier"))}
    kinds = dict(attributes)
    columns = read_arff_columns(body, attributes, use_pandas=_use_pandas(parser))
    data_names = [n for n, _ in attributes if n not in targets and n not in ignored]
    bunch = (_as_frame(columns, kinds, data_names, targets) if as_frame
             else _as_arrays(columns, kinds, data_names, targets))
    if return_X_y:
        return bunch.data, bunch.target
    bunch.update(DESCR=f"{description.pop('description', '')}\n\nDownloaded from openml.org.",
                 details=description, url=f"https://www.openml.org/d/{data_id}")
    return bunch


def _arff_payload(description: dict, home: str | None, n_retries: int, delay: float) -> bytes:
    """The bytes of the data file, MD5-checked; cached under ``home`` (a temporary folder when None)."""
    import tempfile

    url = description["url"]
    with tempfile.TemporaryDirectory(prefix="ndflow-openml-") as scratch:
        path = _cache_path(url, home if home is not None else scratch)
        try:
            _download.fetch_file(url, path, checksum=description["md5_checksum"], algorithm="md5",
                                 n_retries=n_retries, delay=delay)
        except OSError as exc:
            if "checksum" not in str(exc):
                raise
            raise ValueError(f"The md5 checksum of the file {url} does not match the expected checksum from "
                             f"the dataset description: expected {description['md5_checksum']}. The "
                             "downloaded file could have been modified or corrupted.") from None
        with open(path, "rb") as raw:
            return raw.read()


def _use_pandas(parser: str) -> bool:
    """pandas for "pandas", the Python reader for "liac-arff", pandas when installed for "auto"."""
    if parser != "auto":
        return parser == "pandas"
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def _target_names(features: list[dict], target_column: Any) -> list[str]:
    if isinstance(target_column, str) and target_column == "default-target":
        return [f["name"] for f in features if f.get("is_target") == "true"]
    if target_column is None:
        return []
    return [target_column] if isinstance(target_column, str) else list(target_column)


def _as_arrays(columns: dict, kinds: dict, data_names: list, targets: list) -> Bunch:
    for name in data_names:
        if kinds[name] == "string":
            raise ValueError("STRING attributes are not supported for array representation. "
                             "Try as_frame=True")
    categories = {n: list(kinds[n]) for n in data_names + targets if isinstance(kinds[n], list)}
    data_columns = []
    for name in data_names:
        col = columns[name]
        if isinstance(kinds[name], list):  # nominal features become category codes, as floats
            codes = {v: float(i) for i, v in enumerate(kinds[name])}
            col = np.array([np.nan if v is None else codes[v] for v in col])
        data_columns.append(col)
    data = np.column_stack(data_columns) if data_columns else np.empty((len(next(iter(columns.values()))), 0))
    target_columns = [columns[t] for t in targets]
    if not target_columns:
        target = None
    elif len(target_columns) == 1:
        target = target_columns[0]
    else:
        target = np.column_stack(target_columns)
    return Bunch(data=data, target=target, frame=None, categories=categories or None,
                 feature_names=data_names, target_names=targets)


def _as_frame(columns: dict, kinds: dict, data_names: list, targets: list) -> Bunch:
    import pandas as pd

    def series(name):
        kind = kinds[name]
        if isinstance(kind, list):
            return pd.Series(pd.Categorical(columns[name], categories=kind), name=name)
        if kind == "numeric":
            values = columns[name]
            integral = values.size and not np.isnan(values).any() and np.all(values == np.round(values))
            return pd.Series(values.astype(np.int64) if integral else values, name=name)
        return pd.Series(columns[name], name=name)

    frame = pd.concat([series(n) for n in data_names + targets], axis=1)
    target = None
    if len(targets) == 1:
        target = frame[targets[0]]
    elif targets:
        target = frame[targets]
    return Bunch(data=frame[data_names], target=target, frame=frame, categories=None,
                 feature_names=data_names, target_names=targets)
