"""``tf.io.decode_csv``: CSV records (strings) to one tensor per column, with TensorFlow's rules.

Fields are separated by a one-character delimiter; with ``use_quote_delim`` a field may be enclosed in double
quotes (a doubled quote inside stands for one quote). Empty fields and fields equal to ``na_value`` take the
column's default; a column without a default (an empty default tensor) is required.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Sequence

import numpy as np

from .._core import dtypes
from .._core.execute import execute
from .._core.op import register
from .._core.ops._helpers import invalid_arg
from .._core.tensor import Tensor, convert_to_tensor

__all__ = ["decode_csv", "decode_csv_records", "CsvFormat", "CsvColumn", "CsvError"]

_OUT_TYPES = ("float32", "float64", "int32", "int64", "string")
_TF_WORDS = {"float32": "float", "float64": "double", "int32": "int32", "int64": "int64", "string": "string"}
_INT = re.compile(rb"\s*[+-]?\d+\s*")
_HEX_FLOAT = re.compile(rb"\s*[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?\s*")
_INT_RANGES = {"int32": (-(2 ** 31), 2 ** 31 - 1), "int64": (-(2 ** 63), 2 ** 63 - 1)}


class CsvError(ValueError):
    """A record that breaks TensorFlow's CSV rules (the message is TF's, without the op suffix)."""


# ---------------------------------------------------------------------------------------------------------
# Splitting


def _split_quoted(record: bytes, delim: int) -> list[bytes]:
    """Fields of a record that contains quotes, unquoted, following TF's strict rules."""
    fields = []
    i, n = 0, len(record)
    while True:
        if i < n and record[i] == 0x22:  # a quoted field
            i += 1
            parts = []
            while True:
                end = record.find(b'"', i)
                if end < 0:
                    raise CsvError("Quoted field has to end with quote followed by delim or end")
                parts.append(record[i:end])
                if end + 1 < n and record[end + 1] == 0x22:
                    parts.append(b'"')
                    i = end + 2
                    continue
                i = end + 1
                break
            if i < n and record[i] != delim:
                raise CsvError("Quote inside a string has to be escaped by another quote")
            fields.append(b"".join(parts))
        else:
            end = record.find(bytes((delim,)), i)
            end = n if end < 0 else end
            field = record[i:end]
            if b'"' in field or b"\r" in field or b"\n" in field:
                raise CsvError("Unquoted fields cannot have quotes/CRLFs inside")
            fields.append(field)
            i = end
        if i >= n:
            return fields
        i += 1  # past the delimiter
        if i == n:
            fields.append(b"")
            return fields


def split_record(record: bytes, delim: bytes, use_quote_delim: bool, blank_is_field: bool = False) -> list[bytes]:
    """The raw fields of one record (an empty record has none, or one empty field with ``blank_is_field``).

    Raises:
        CsvError: misplaced quotes or line breaks.
    """
    if not record:
        return [b""] if blank_is_field else []
    if use_quote_delim and b'"' in record:
        return _split_quoted(record, delim[0])
    if b"\r" in record or b"\n" in record:
        raise CsvError("Unquoted fields cannot have quotes/CRLFs inside")
    return record.split(delim)


# ---------------------------------------------------------------------------------------------------------
# Field conversion


def _parse_int(text: bytes, dtype_name: str) -> int:
    if _INT.fullmatch(text) is None:
        raise ValueError(text)
    value = int(text)
    lo, hi = _INT_RANGES[dtype_name]
    if not lo <= value <= hi:
        raise ValueError(text)
    return value


def _parse_float(text: bytes) -> float:
    if b"_" in text:
        raise ValueError(text)
    try:
        return float(text)
    except ValueError:
        if _HEX_FLOAT.fullmatch(text) is None:
            raise
        return float.fromhex(text.strip().decode())


def _field_parser(dtype_name: str) -> Callable[[bytes], Any]:
    if dtype_name == "string":
        return lambda text: text
    if dtype_name in _INT_RANGES:
        return lambda text: _parse_int(text, dtype_name)
    return _parse_float


class CsvColumn:
    """One output column: its dtype, default (None when required) and source field index."""

    __slots__ = ("dtype", "default", "source")

    def __init__(self, dtype: dtypes.DType, default: Any, source: int) -> None:
        self.dtype, self.default, self.source = dtype, default, source


class CsvFormat:
    """How records split into fields and which fields become which columns.

    Args:
        columns: the output columns. delim: the one-byte separator. use_quote_delim: honour double quotes.
        na_value: field text meaning "missing". selected: columns pick fields by ``source`` (extra fields are
            ignored) rather than one column per field. blank_is_field: an empty record is one empty field
            (CsvDataset) instead of none (decode_csv). record_word: how errors name record ``i``.
    """

    def __init__(self, columns: list[CsvColumn], delim: bytes, use_quote_delim: bool, na_value: bytes,
                 selected: bool, blank_is_field: bool, record_word: Callable[[int], str]) -> None:
        self.columns, self.delim, self.use_quote_delim, self.na_value = columns, delim, use_quote_delim, na_value
        self.selected, self.blank_is_field, self.record_word = selected, blank_is_field, record_word

    def split(self, record: bytes) -> list[bytes]:
        return split_record(record, self.delim, self.use_quote_delim, self.blank_is_field)


def _strict_rows(records: Sequence[bytes], fmt: CsvFormat) -> list[list]:
    """Record-by-record decoding that raises TF's error at the first bad record and field."""
    columns = fmt.columns
    parsers = [_field_parser(c.dtype.name) for c in columns]
    rows = []
    for r, record in enumerate(records):
        fields = fmt.split(record)
        found = sum(1 for c in columns if c.source < len(fields)) if fmt.selected else len(fields)
        if found != len(columns):
            raise CsvError(f"Expect {len(columns)} fields but have {found} in record{fmt.record_word(r)}")
        row = []
        for f, (column, parse) in enumerate(zip(columns, parsers)):
            text = fields[column.source]
            if not text or text == fmt.na_value:
                if column.default is None:
                    raise CsvError(f"Field {f} is required but missing in record{fmt.record_word(r)}!")
                row.append(column.default)
                continue
            try:
                row.append(parse(text))
            except ValueError:
                raise CsvError(f"Field {f} in record{fmt.record_word(r)} is not a valid "
                               f"{_TF_WORDS[column.dtype.name]}: {text.decode('utf-8', 'backslashreplace')}") from None
        rows.append(row)
    return rows


def _fast_columns(records: Sequence[bytes], fmt: CsvFormat) -> list[np.ndarray] | None:
    """Vectorized decoding of well-formed records; None when anything needs the strict path."""
    joined = b"\n".join(records)
    if (fmt.use_quote_delim and b'"' in joined) or b"\r" in joined or b"\0" in joined or \
            joined.count(b"\n") != max(len(records) - 1, 0):
        return None  # quotes, line breaks or NULs inside records
    blank = [b""] if fmt.blank_is_field else []
    split = [r.split(fmt.delim) if r else blank for r in records]
    if fmt.selected:
        width = max(c.source for c in fmt.columns) + 1
        if any(len(fields) < width for fields in split):
            return None
    elif any(len(fields) != len(fmt.columns) for fields in split):
        return None
    out = []
    for column in fmt.columns:
        values = _convert([fields[column.source] for fields in split], column, fmt.na_value)
        if values is None:
            return None
        out.append(values)
    return out


def _convert(texts: list[bytes], column: CsvColumn, na_value: bytes) -> np.ndarray | None:
    """One column's values (defaults where missing); None when a field needs the strict path."""
    if column.dtype is dtypes.string:
        values = np.empty(len(texts), dtype=object)
        values[:] = texts
        missing = (values == b"") | (values == na_value) if na_value else values == b""
    else:
        if b"_" in b"".join(texts):
            return None
        raw = np.array(texts, dtype=bytes)
        missing = (raw == b"") | (raw == na_value) if na_value else raw == b""
        try:
            if column.dtype.is_integer:
                wide = raw[~missing].astype(np.int64)
                lo, hi = _INT_RANGES[column.dtype.name]
                if wide.size and (wide.min() < lo or wide.max() > hi):
                    return None
                parsed = wide.astype(column.dtype.as_numpy_dtype)
            else:
                parsed = raw[~missing].astype(column.dtype.as_numpy_dtype)
        except (ValueError, OverflowError):
            return None
        values = np.empty(len(texts), dtype=column.dtype.as_numpy_dtype)
        values[~missing] = parsed
    if missing.any():
        if column.default is None:
            return None
        values[missing] = column.default
    return values


def decode_csv_records(records: Sequence[bytes], fmt: CsvFormat) -> list[np.ndarray]:
    """Decodes records into one flat array per column.

    Raises:
        CsvError: TF's message for the first bad record.
    """
    fast = _fast_columns(records, fmt)
    if fast is not None:
        return fast
    rows = _strict_rows(records, fmt)
    out = []
    for i, column in enumerate(fmt.columns):
        values = np.empty(len(rows), dtype=column.dtype.as_numpy_dtype)
        values[:] = [row[i] for row in rows]
        out.append(values)
    return out


# ---------------------------------------------------------------------------------------------------------
# The op


def _decode_csv_forward(xp, records, *defaults, field_delim, use_quote_delim, na_value, select_cols):
    if len(field_delim) != 1:
        raise invalid_arg("DecodeCSV", "field_delim should be only 1 char")
    columns = []
    for i, default in enumerate(defaults):
        if default.size > 1:
            raise invalid_arg("DecodeCSV", f"There should only be 1 default per field but field {i} has "
                                           f"{default.size}")
        value = default.reshape(-1)[0] if default.size else None
        columns.append(CsvColumn(dtypes.from_numpy(default.dtype), value, select_cols[i] if select_cols else i))
    fmt = CsvFormat(columns, field_delim, use_quote_delim, na_value, bool(select_cols), False, lambda r: f" {r}")
    try:
        flat = decode_csv_records(records.reshape(-1).tolist(), fmt)
    except CsvError as exc:
        raise invalid_arg("DecodeCSV", str(exc)) from None
    return tuple(values.reshape(records.shape) for values in flat)


DecodeCSV = register("DecodeCSV", _decode_csv_forward, num_outputs=None,
                     infer=lambda records, *defaults, **attrs: [(records[0], d[1]) for d in defaults])


def _default_tensor(value: Any) -> Tensor:
    tensor = value if isinstance(value, Tensor) else convert_to_tensor(value)
    if tensor.dtype.name not in _OUT_TYPES:
        word = {"float16": "half"}.get(tensor.dtype.name, tensor.dtype.name)
        raise invalid_arg("DecodeCSV", f"Value for attr 'OUT_TYPE' of {word} is not in the list of allowed "
                                       "values: float, double, int32, int64, string")
    return tensor


def check_select_cols(select_cols: Any, n_defaults: int) -> tuple:
    """``select_cols`` as a tuple, validated as TF does.

    Raises:
        ValueError: negative, not strictly increasing, or not one per default.
    """
    if select_cols is None:
        return ()
    cols = tuple(int(c) for c in select_cols)
    if any(c < 0 for c in cols):
        raise ValueError("select_cols contains negative values.")
    if any(b <= a for a, b in zip(cols, cols[1:])):
        raise ValueError("select_cols is not strictly increasing.")
    if cols and len(cols) != n_defaults:
        raise ValueError("Length of select_cols and record_defaults do not match.")
    return cols


def as_bytes(text: Any) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else bytes(text)


def decode_csv(records: Any, record_defaults: Sequence[Any], field_delim: str = ",", use_quote_delim: bool = True,
               name: str | None = None, na_value: str = "", select_cols: Sequence[int] | None = None) -> list:
    """Converts CSV records to tensors, one per column, each shaped like ``records``.

    Args:
        records: a string tensor of any shape, one CSV line per element.
        record_defaults: one entry per output column: a one-element tensor/list giving its dtype (float32,
            float64, int32, int64 or string) and default, or an empty tensor for a required column.
        field_delim: the one-character separator. use_quote_delim: honour double-quoted fields.
        na_value: a field text that also means "missing". select_cols: the (increasing) columns to keep.

    Raises:
        ValueError: bad ``select_cols``. InvalidArgumentError: a malformed record (TF's message).
    """
    defaults = [_default_tensor(d) for d in record_defaults]
    attrs = {"field_delim": as_bytes(field_delim), "use_quote_delim": bool(use_quote_delim),
             "na_value": as_bytes(na_value), "select_cols": check_select_cols(select_cols, len(defaults))}
    outputs = execute(DecodeCSV, (convert_to_tensor(records, dtypes.string), *defaults), attrs)
    return list(outputs)
