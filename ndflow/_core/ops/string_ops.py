"""``tf.strings``: elementwise string ops on ``string`` tensors (NumPy object arrays of ``bytes``).

Every op is registered without a gradient, so it runs eagerly and inside ``ndflow.function``. Ops that
TF applies elementwise also accept a ``RaggedTensor`` (they map over its flat values).

Regular expressions follow RE2's syntax, run by Python's ``re`` on UTF-8 text: RE2's rejections of
lookaround and backreferences are reproduced, ``\\z`` is translated, ``\\pL``/``\\pN`` (and ``\\p{L}``,
``\\p{N}``) map to ``re`` classes, and other ``\\p{…}`` classes raise ``NotImplementedError``.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Callable

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..export import export
from ..ragged_tensor import RaggedTensor
from ..shape import TensorShape
from ..tensor import Tensor, convert_to_tensor
from ._helpers import execute, invalid_arg, object_scalar, register
from .string_hash import fingerprint64, murmur64, siphash24

__all__ = [
    "length", "lower", "upper", "strip", "split", "join", "reduce_join", "regex_full_match", "regex_replace",
    "substr", "to_number", "as_string", "format", "to_hash_bucket_fast", "to_hash_bucket_strong",
    "to_hash_bucket", "ngrams", "string_input", "ragged_from_rows",
]

_TF_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


# ---------------------------------------------------------------------------------------------------------
# Shared helpers


def string_input(x: Any, op_name: str, index: int = 0) -> Tensor:
    """``x`` as a string tensor.

    Raises:
        TypeError: a Python value that is not text.
        InvalidArgumentError: a tensor of another dtype (TF's message).
    """
    if not isinstance(x, Tensor):
        if np.asarray(x).dtype.kind not in "SUO":
            raise TypeError(f"Cannot convert {x!r} to EagerTensor of dtype string")
        x = convert_to_tensor(x, dtype=dtypes.string)
    t = x
    if t.dtype is not dtypes.string:
        got = _TF_NAMES.get(t.dtype.name, t.dtype.name)
        raise InvalidArgumentError(None, None, f"cannot compute {op_name} as input #{index}(zero-based) was "
                                               f"expected to be a string tensor but is a {got} tensor "
                                               f"[Op:{op_name}] name: ")
    return t


def map_strings(fn: Callable, arr: np.ndarray, dtype: Any = object) -> np.ndarray:
    """``fn`` applied to each element of ``arr``; the result has ``arr``'s shape."""
    flat = [fn(s) for s in arr.reshape(-1)]
    if dtype is object:
        out = np.empty(arr.shape, dtype=object)
        out.reshape(-1)[:] = flat
        return out
    return np.asarray(flat, dtype=dtype).reshape(arr.shape)


def _same_shape(dtype: dtypes.DType) -> Callable:
    return lambda x, *rest, **attrs: [(x[0], dtype)]


def _ragged_outputs(values_dtype: dtypes.DType) -> Callable:
    return lambda *inputs, **attrs: [(TensorShape([None]), values_dtype), (TensorShape([None]), dtypes.int64)]


def _elementwise(fn: Callable) -> Callable:
    """Lets an op on a string tensor accept a ragged tensor (mapped over its flat values)."""

    @functools.wraps(fn)
    def wrapper(input: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(input, RaggedTensor):
            return input.with_flat_values(fn(input.flat_values, *args, **kwargs))
        return fn(input, *args, **kwargs)

    return wrapper


def ragged_from_rows(values: Tensor, splits: Tensor, like: Tensor) -> Any:
    """Rows produced for each element of ``like``: a 1-D tensor for a scalar ``like``, else a ragged tensor
    whose outer (uniform) dimensions are ``like``'s."""
    from ..ragged_tensor import _range
    from . import array_ops, math_ops
    from .reduction_ops import reduce_prod

    rank = like.shape.rank
    if rank is None:
        raise ValueError("Rank of input must be statically known.")
    if rank == 0:
        return values
    result: Any = RaggedTensor._create(values, splits)
    if rank == 1:
        return result
    dims = array_ops.shape(like, out_type=splits.dtype)
    static = like.shape.as_list()
    for level in range(rank - 1, 0, -1):
        nrows = reduce_prod(dims[:level])
        result = RaggedTensor._create(result, math_ops.multiply(_range(nrows + 1, splits.dtype), dims[level]),
                                      static[level])
    return result


def _flat(x: Tensor) -> Tensor:
    from .array_ops import reshape

    return reshape(x, [-1])


# ---------------------------------------------------------------------------------------------------------
# length / lower / upper / strip


def _utf8_length(s: bytes) -> int:
    return sum(1 for b in s if b & 0xC0 != 0x80)


def _length_forward(xp, x, *, unit):
    count = len if unit == "BYTE" else _utf8_length
    return map_strings(count, x, np.int32)


StringLength = register("StringLength", _length_forward, infer=_same_shape(dtypes.int32))


def _check_choice(op_name: str, attr: str, value: str, allowed: tuple) -> None:
    if value not in allowed:
        names = ", ".join(f'"{a}"' for a in allowed)
        raise invalid_arg(op_name, f'Value for attr \'{attr}\' of "{value}" is not in the list of allowed values: '
                                   f"{names}")


@export("strings.length")
@_elementwise
def length(input: Any, unit: str = "BYTE", name: str | None = None) -> Tensor:
    """The length of each string in bytes (``unit="BYTE"``) or UTF-8 characters (``"UTF8_CHAR"``)."""
    _check_choice("StringLength", "unit", unit, ("BYTE", "UTF8_CHAR"))
    return execute(StringLength, (string_input(input, "StringLength"),), {"unit": unit})


def _case_forward(xp, x, *, encoding, upper):
    if encoding == "":
        return map_strings(bytes.upper if upper else bytes.lower, x)

    def convert(s: bytes) -> bytes:
        text = s.decode("utf-8", "surrogateescape")
        return (text.upper() if upper else text.lower()).encode("utf-8", "surrogateescape")

    return map_strings(convert, x)


StringLower = register("StringLower", functools.partial(_case_forward, upper=False), infer=_same_shape(dtypes.string))
StringUpper = register("StringUpper", functools.partial(_case_forward, upper=True), infer=_same_shape(dtypes.string))


def _case(op, input: Any, encoding: str) -> Tensor:
    encoding = encoding.lower().replace("_", "-") if encoding else ""
    if encoding not in ("", "utf-8", "utf8"):
        raise invalid_arg(op.name, f"only utf-8 or '' (no encoding) is supported, received {encoding}")
    return execute(op, (string_input(input, op.name),), {"encoding": "utf-8" if encoding else ""})


@export("strings.lower")
@_elementwise
def lower(input: Any, encoding: str = "", name: str | None = None) -> Tensor:
    """Lower-cases ASCII letters (all letters with ``encoding="utf-8"``)."""
    return _case(StringLower, input, encoding)


@export("strings.upper")
@_elementwise
def upper(input: Any, encoding: str = "", name: str | None = None) -> Tensor:
    """Upper-cases ASCII letters (all letters with ``encoding="utf-8"``)."""
    return _case(StringUpper, input, encoding)


StringStrip = register("StringStrip", lambda xp, x: map_strings(bytes.strip, x), infer=_same_shape(dtypes.string))


@export("strings.strip")
@_elementwise
def strip(input: Any, name: str | None = None) -> Tensor:
    """Removes leading and trailing ASCII whitespace."""
    return execute(StringStrip, (string_input(input, "StringStrip"),))


# ---------------------------------------------------------------------------------------------------------
# split / join / reduce_join


def _split_forward(xp, x, sep, *, maxsplit):
    sep = bytes(sep.item()) or None
    rows = [s.split(sep, maxsplit) for s in x.reshape(-1)]
    splits = np.concatenate([[0], np.cumsum([len(r) for r in rows], dtype=np.int64)]).astype(np.int64)
    values = np.empty(int(splits[-1]), dtype=object)
    values[:] = [piece for r in rows for piece in r]
    return values, splits


StringSplit = register("StringSplitV2", _split_forward, num_outputs=2, infer=_ragged_outputs(dtypes.string))


@export("strings.split")
def split(input: Any, sep: Any = None, maxsplit: int = -1, name: str | None = None) -> Any:
    """Splits each string on ``sep`` (runs of ASCII whitespace when None or empty).

    Returns:
        A 1-D tensor for a scalar input, else a ragged tensor with one more (ragged) dimension.
    """
    if isinstance(input, RaggedTensor):
        return input.with_flat_values(split(input.flat_values, sep, maxsplit))
    if isinstance(input, Tensor) and input.dtype is not dtypes.string:
        raise ValueError(f"input: Tensor conversion requested dtype string for Tensor with dtype "
                         f"{input.dtype.name}: {input!r}")
    x = string_input(input, "StringSplitV2")
    sep_t = convert_to_tensor(b"" if sep is None else sep, dtype=dtypes.string)
    values, splits = execute(StringSplit, (_flat(x), sep_t), {"maxsplit": int(maxsplit)})
    return ragged_from_rows(values, splits, x)


def _broadcast_strings(op_name: str, arrays: tuple) -> tuple:
    shapes = [a.shape for a in arrays if a.ndim]
    for s in shapes[1:]:
        if s != shapes[0]:
            raise invalid_arg(op_name, f"Input shapes do not match: [{','.join(map(str, shapes[0]))}] vs. "
                                       f"[{','.join(map(str, s))}]")
    shape = shapes[0] if shapes else ()
    return tuple(np.broadcast_to(a, shape) for a in arrays), shape


def _join_forward(xp, *inputs, separator):
    arrays, shape = _broadcast_strings("StringJoin", inputs)
    out = np.empty(shape, dtype=object)
    flat = [a.reshape(-1) for a in arrays]
    out.reshape(-1)[:] = [separator.join(parts) for parts in zip(*flat)] if out.size else []
    return out


def _join_infer(*inputs, separator):
    shapes = [s for s, _ in inputs if s.rank != 0]
    return [(shapes[0] if shapes else TensorShape([]), dtypes.string)]


StringJoin = register("StringJoin", _join_forward, infer=_join_infer)


@export("strings.join")
def join(inputs: Any, separator: str = "", name: str | None = None) -> Tensor:
    """Concatenates the strings of ``inputs`` (equal shapes or scalars) elementwise, with ``separator``.

    Raises:
        InvalidArgumentError: inputs of different (non-scalar) shapes or of a non-string dtype.
    """
    tensors = tuple(string_input(x, "StringJoin", i) for i, x in enumerate(inputs))
    return execute(StringJoin, tensors, {"separator": _as_bytes(separator)})


def _as_bytes(s: Any) -> bytes:
    return s.encode("utf-8") if isinstance(s, str) else bytes(s)


def _reduce_join_forward(xp, x, *, axes, keepdims, separator):
    """Joins over ``axes``; the first listed axis varies fastest, as in TF."""
    rest = [a for a in range(x.ndim) if a not in axes]
    moved = np.transpose(x, rest + list(reversed(axes)))
    kept = moved.shape[:len(rest)]
    count = int(np.prod(moved.shape[len(rest):], dtype=np.int64))
    rows = moved.reshape((int(np.prod(kept, dtype=np.int64)), count))
    out = np.empty(kept, dtype=object)
    out.reshape(-1)[:] = [separator.join(r) for r in rows] if out.size else []
    if keepdims:
        out = out.reshape([1 if a in axes else d for a, d in enumerate(x.shape)])
    return out


def _reduce_join_infer(x, *, axes, keepdims, separator):
    dims = x[0].as_list()
    out = [1 if a in axes else d for a, d in enumerate(dims)] if keepdims else \
        [d for a, d in enumerate(dims) if a not in axes]
    return [(TensorShape(out), dtypes.string)]


ReduceJoin = register("ReduceJoin", _reduce_join_forward, infer=_reduce_join_infer)


def _segment_join_forward(xp, values, splits, *, separator):
    out = np.empty(splits.shape[0] - 1, dtype=object)
    out[:] = [separator.join(values[lo:hi]) for lo, hi in zip(splits[:-1], splits[1:])]
    return out


SegmentJoin = register("RaggedSegmentJoin", _segment_join_forward,
                       infer=lambda values, splits, separator: [(TensorShape([None]), dtypes.string)])


@export("strings.reduce_join")
def reduce_join(inputs: Any, axis: Any = None, keepdims: bool = False, separator: str = "",
                name: str | None = None) -> Any:
    """Joins the strings along ``axis`` (all axes when None) in row-major order.

    Raises:
        ValueError: an axis out of range.
    """
    sep = _as_bytes(separator)
    if isinstance(inputs, RaggedTensor):
        return _ragged_reduce_join(inputs, axis, keepdims, sep)
    x = string_input(inputs, "ReduceJoin")
    rank = x.shape.rank
    axes = list(range(rank - 1, -1, -1)) if axis is None else [int(a) for a in np.asarray(axis).reshape(-1)]
    for a in axes:
        if not -rank <= a < max(rank, 1):
            raise invalid_arg("ReduceJoin", f"Invalid reduction dimension {a} for input with {rank} dimensions.")
    axes = tuple(dict.fromkeys(a + rank if a < 0 else a for a in axes))
    return execute(ReduceJoin, (x,), {"axes": axes, "keepdims": bool(keepdims), "separator": sep})


def _ragged_reduce_join(rt: RaggedTensor, axis: Any, keepdims: bool, sep: bytes) -> Any:
    if axis is None:
        return reduce_join(rt.flat_values, None, keepdims, sep)
    rank = rt.shape.rank
    a = int(axis)
    a = a + rank if a < 0 else a
    if a > rt.ragged_rank:
        return rt.with_flat_values(reduce_join(rt.flat_values, a - rt.ragged_rank, keepdims, sep))
    if a == rt.ragged_rank and rt.flat_values.shape.rank == 1 and not keepdims:
        joined = execute(SegmentJoin, (rt.flat_values, rt.nested_row_splits[-1]), {"separator": sep})
        return _replace_innermost(rt, joined)
    raise NotImplementedError(f"reduce_join over axis {a} of a RaggedTensor is not supported yet")


def _replace_innermost(rt: RaggedTensor, values: Tensor) -> RaggedTensor:
    """``rt`` with its innermost ragged level replaced by ``values`` (one value per innermost row)."""
    if not isinstance(rt.values, RaggedTensor):
        return values
    return RaggedTensor._create(_replace_innermost(rt.values, values), rt.row_splits)


# ---------------------------------------------------------------------------------------------------------
# Regular expressions

_LOOKAROUND = re.compile(r"\(\?(<?[=!])")


_UNICODE_CLASSES = {"L": r"[^\W\d_]", "N": r"\d"}
_NEGATED_CLASSES = {"L": r"[\W\d_]", "N": r"\D"}


@functools.lru_cache(maxsize=256)
def compile_re2(pattern: bytes, op_name: str) -> re.Pattern:
    """Compiles an RE2 pattern with Python's ``re`` (see the module docstring for the differences).

    Raises:
        InvalidArgumentError: a pattern RE2 rejects (syntax errors, lookaround, backreferences).
        NotImplementedError: a Unicode class other than L and N.
    """
    text = pattern.decode("utf-8", "surrogateescape")
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        lookaround = _LOOKAROUND.match(text, i) if ch == "(" else None
        if lookaround:
            raise _bad_pattern(op_name, text, f"invalid perl operator: {lookaround.group(0)}")
        if ch != "\\" or i + 1 == len(text):
            out.append(ch)
            i += 1
            continue
        escaped = text[i + 1]
        i += 2
        if escaped.isdigit() and escaped != "0":
            raise _bad_pattern(op_name, text, f"invalid escape sequence: \\{escaped}")
        if escaped == "z":
            out.append(r"\Z")
        elif escaped in "pP":
            if text[i:i + 1] == "{":
                close = text.find("}", i)
                name, i = text[i + 1:close], close + 1
            else:
                name, i = text[i:i + 1], i + 1
            table = _UNICODE_CLASSES if escaped == "p" else _NEGATED_CLASSES
            if name not in table:
                raise NotImplementedError(f"the Unicode class \\{escaped}{{{name}}} in regular expressions is not "
                                          "supported yet")
            out.append(table[name])
        else:
            out.append("\\" + escaped)
    try:
        return re.compile("".join(out))
    except re.error as exc:
        raise _bad_pattern(op_name, text, exc.msg) from None


def _bad_pattern(op_name: str, pattern: str, why: str) -> InvalidArgumentError:
    return invalid_arg(op_name, f"Invalid pattern: {pattern}, error: {why}")


def _as_text(s: bytes) -> str:
    return s.decode("utf-8", "surrogateescape")


def _full_match_forward(xp, x, pattern):
    compiled = compile_re2(bytes(pattern.item()), "RegexFullMatch")
    return map_strings(lambda s: compiled.fullmatch(_as_text(s)) is not None, x, np.bool_)


RegexFullMatch = register("RegexFullMatch", _full_match_forward, infer=_same_shape(dtypes.bool))


@export("strings.regex_full_match")
@_elementwise
def regex_full_match(input: Any, pattern: Any, name: str | None = None) -> Tensor:
    """Whether each whole string matches the RE2 ``pattern``.

    Raises:
        InvalidArgumentError: an invalid pattern.
    """
    x = string_input(input, "RegexFullMatch")
    return execute(RegexFullMatch, (x, convert_to_tensor(pattern, dtype=dtypes.string)))


def _rewrite_parts(rewrite: str) -> list:
    r"""RE2 rewrite text as literal strings and group numbers (``\0``–``\9``; ``\\`` is a backslash)."""
    parts: list = []
    i = 0
    while i < len(rewrite):
        ch, escaped = rewrite[i], rewrite[i] == "\\" and i + 1 < len(rewrite)
        if escaped:
            ch = rewrite[i + 1]
        i += 2 if escaped else 1
        if escaped and ch.isdigit():
            parts.append(int(ch))
        elif parts and isinstance(parts[-1], str):
            parts[-1] += ch
        else:
            parts.append(ch)
    return parts


def _replace_forward(xp, x, pattern, rewrite, *, replace_global):
    compiled = compile_re2(bytes(pattern.item()), "RegexReplace")
    parts = _rewrite_parts(_as_text(bytes(rewrite.item())))
    if any(isinstance(p, int) and p > compiled.groups for p in parts):
        return x.copy()  # RE2 refuses a rewrite naming a missing group: strings stay unchanged

    def expand(match: re.Match) -> str:
        return "".join(p if isinstance(p, str) else (match.group(p) or "") for p in parts)

    count = 0 if replace_global else 1
    return map_strings(lambda s: compiled.sub(expand, _as_text(s), count=count).encode("utf-8", "surrogateescape"),
                       x)


RegexReplace = register("RegexReplace", _replace_forward, infer=_same_shape(dtypes.string))


@export("strings.regex_replace")
@_elementwise
def regex_replace(input: Any, pattern: Any, rewrite: Any, replace_global: bool = True,
                  name: str | None = None) -> Tensor:
    r"""Replaces matches of the RE2 ``pattern`` with ``rewrite`` (``\1`` … name groups, ``\0`` the match).

    Raises:
        InvalidArgumentError: an invalid pattern.
    """
    x = string_input(input, "RegexReplace")
    return execute(RegexReplace, (x, convert_to_tensor(pattern, dtype=dtypes.string),
                                  convert_to_tensor(rewrite, dtype=dtypes.string)),
                   {"replace_global": bool(replace_global)})


# ---------------------------------------------------------------------------------------------------------
# substr


def _utf8_chars(s: bytes) -> list[bytes]:
    starts = [i for i, b in enumerate(s) if b & 0xC0 != 0x80]
    if s and (not starts or starts[0] != 0):
        starts.insert(0, 0)
    return [s[a:b] for a, b in zip(starts, starts[1:] + [len(s)])]


def _substr_forward(xp, x, pos, length, *, unit):
    if pos.shape != length.shape:
        raise invalid_arg("Substr", f"pos and len should have the same shape, got: "
                                    f"[{','.join(map(str, pos.shape))}] vs. [{','.join(map(str, length.shape))}]")
    try:
        x, pos, length = np.broadcast_arrays(x, pos, length)
    except ValueError:
        raise invalid_arg("Substr", f"Incompatible shapes: [{','.join(map(str, x.shape))}] vs. "
                                    f"[{','.join(map(str, pos.shape))}]") from None
    out = np.empty(x.shape, dtype=object)
    flat_out = out.reshape(-1)
    for i, (s, p, n) in enumerate(zip(x.reshape(-1), pos.reshape(-1), length.reshape(-1))):
        pieces = s if unit == "BYTE" else _utf8_chars(s)
        size, p, n = len(pieces), int(p), int(n)
        if not -size <= p <= size:
            where = f"string b'{s.decode('latin-1')}' " if unit == "BYTE" else "string "
            raise invalid_arg("Substr", f"pos {p} out of range for {where}at index {i}")
        start = p + size if p < 0 else p
        stop = size if n < 0 else min(start + n, size)
        flat_out[i] = pieces[start:stop] if unit == "BYTE" else b"".join(pieces[start:stop])
    return out


def _substr_infer(x, pos, length, *, unit):
    shape = x[0] if x[0].rank and (pos[0].rank or 0) <= x[0].rank else pos[0]
    return [(shape, dtypes.string)]


Substr = register("Substr", _substr_forward, infer=_substr_infer)


@export("strings.substr")
@_elementwise
def substr(input: Any, pos: Any, len: Any, unit: str = "BYTE", name: str | None = None) -> Tensor:  # noqa: A002
    """``len`` bytes (or UTF-8 characters) from position ``pos`` (negative counts from the end).

    Raises:
        InvalidArgumentError: ``pos`` outside a string, or ``pos``/``len`` of different shapes.
    """
    _check_choice("Substr", "unit", unit, ("BYTE", "UTF8_CHAR"))
    x = string_input(input, "Substr")
    pos_t = convert_to_tensor(pos, dtype_hint=dtypes.int32)
    len_t = convert_to_tensor(len, dtype=pos_t.dtype)
    return execute(Substr, (x, pos_t, len_t), {"unit": unit})


# ---------------------------------------------------------------------------------------------------------
# to_number / as_string

_INT_TEXT = re.compile(rb"[+-]?\d+")
_HEX_FLOAT = re.compile(rb"[+-]?0[xX][0-9a-fA-F.]+([pP][+-]?\d+)?")
_WHITESPACE = b" \t\n\v\f\r"


def _parse_number(s: bytes, kind: str) -> Any:
    text = s.strip(_WHITESPACE)
    if kind in "iu":
        return int(text) if _INT_TEXT.fullmatch(text) else None
    if b"_" in text or not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    if not _HEX_FLOAT.fullmatch(text):
        return None
    try:
        return float.fromhex(text.decode("ascii"))
    except ValueError:
        return None


def _to_number_forward(xp, x, *, out_type):
    dtype = np.dtype(out_type)
    values = []
    for s in x.reshape(-1):
        v = _parse_number(s, dtype.kind)
        if v is not None and dtype.kind in "iu":
            info = np.iinfo(dtype)
            v = v if info.min <= v <= info.max else None
        if v is None:
            raise invalid_arg("StringToNumber", f"StringToNumberOp could not correctly convert string: "
                                                f"{s.decode('utf-8', 'replace')}")
        values.append(v)
    with np.errstate(over="ignore"):
        return np.asarray(values, dtype=np.float64 if dtype.kind == "f" else object).astype(dtype).reshape(x.shape)


StringToNumber = register("StringToNumber", _to_number_forward,
                          infer=lambda x, out_type: [(x[0], dtypes.from_numpy(np.dtype(out_type)))])
_NUMBER_TYPES = ("float32", "float64", "int32", "int64", "uint32", "uint64")


@export("strings.to_number")
@_elementwise
def to_number(input: Any, out_type: Any = dtypes.float32, name: str | None = None) -> Tensor:
    """Parses each string as a number of ``out_type`` (surrounding whitespace allowed).

    Raises:
        InvalidArgumentError: a string that is not a number of that type, or an unsupported ``out_type``.
    """
    out_type = dtypes.as_dtype(out_type)
    if out_type.name not in _NUMBER_TYPES:
        names = ", ".join(_TF_NAMES.get(n, n) for n in _NUMBER_TYPES)
        got = _TF_NAMES.get(out_type.name, out_type.name)
        raise invalid_arg("StringToNumber", f"Value for attr 'out_type' of {got} is not in the list of allowed "
                                            f"values: {names}")
    return execute(StringToNumber, (string_input(input, "StringToNumber"),), {"out_type": out_type._np})


def _as_string_forward(xp, x, *, spec, kind):
    if kind == "b":
        return map_strings(lambda v: b"true" if v else b"false", x)
    if kind == "O":
        return map_strings(lambda v: (spec % v.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape"),
                           x)
    if kind == "c":
        return map_strings(lambda v: f"({spec % v.real},{spec % v.imag})".encode(), x)
    convert = int if kind in "iu" else float
    return map_strings(lambda v: (spec % convert(v)).encode(), x)


AsString = register("AsString", _as_string_forward, infer=_same_shape(dtypes.string))


@export("strings.as_string")
@_elementwise
def as_string(input: Any, precision: int = -1, scientific: bool = False, shortest: bool = False,
              width: int = -1, fill: str = "", name: str | None = None) -> Tensor:
    """Formats each element as text the way C's ``printf`` does (``%f``/``%e``/``%g``, ``%d``, ``true``).

    Raises:
        InvalidArgumentError: options the dtype doesn't support, or a ``fill`` other than one of ``" +-0#"``.
    """
    x = input if isinstance(input, Tensor) else convert_to_tensor(input)
    dt = x.dtype
    name_ = _TF_NAMES.get(dt.name, dt.name)
    kind = "O" if dt is dtypes.string else np.dtype(dt._np).kind
    if scientific and shortest:
        raise invalid_arg("AsString", "Cannot select both scientific and shortest notation")
    if len(fill) > 1:
        raise invalid_arg("AsString", "Fill string must be one or fewer characters")
    if fill and fill not in " +-0#":
        raise invalid_arg("AsString", f'Fill argument not supported: "{fill}"')
    if kind not in "fc" and precision > -1:
        raise invalid_arg("AsString", f"precision not supported for datatype {name_}")
    if kind not in "fc" and (scientific or shortest):
        raise invalid_arg("AsString", f"scientific and shortest format not supported for datatype {name_}")
    spec = "%" + fill + (str(width) if width > -1 else "")
    if kind in "fc":
        spec += (f".{precision}" if precision > -1 else "") + ("e" if scientific else "g" if shortest else "f")
    else:
        spec += "s" if kind == "O" else "d"
    return execute(AsString, (x,), {"spec": spec, "kind": kind})


# ---------------------------------------------------------------------------------------------------------
# format (TF's tensor summaries)


_C_ESCAPES = {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", ord('"'): '\\"', ord("'"): "\\'",
              ord("\\"): "\\\\"}


def _escape(s: bytes) -> str:
    """C-style escapes for quotes, backslashes and control bytes; other bytes pass through."""
    text = s.decode("utf-8", "surrogateescape")
    return "".join(_C_ESCAPES.get(ord(c)) or (f"\\{ord(c):03o}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
                   for c in text)


def _shortest(v: Any) -> str:
    """The shortest ``%g`` text that reads back as the same value in the value's own precision."""
    kind = type(v) if isinstance(v, np.floating) else np.float64
    for digits in range(1, 18):
        text = f"{float(v):.{digits}g}"
        if kind(text) == v or np.isnan(v):
            return text
    return repr(float(v))


def _format_element(v: Any) -> str:
    if isinstance(v, (bytes, np.bytes_)):
        return '"' + _escape(bytes(v)) + '"'
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, (float, np.floating)):
        return _shortest(v)
    if isinstance(v, (complex, np.complexfloating)):
        return f"({_shortest(v.real)},{_shortest(v.imag)})"
    return str(v)


def summarize_array(arr: np.ndarray, summarize: int) -> str:
    """A tensor's value as TF prints it: nested brackets, elided to ``summarize`` items per end."""
    if arr.ndim == 0:
        return _format_element(arr.item() if arr.dtype.kind != "O" else arr[()])
    return _summarize(arr, summarize, 1)


def _summarize(arr: np.ndarray, summarize: int, depth: int) -> str:
    n = arr.shape[0]
    if 0 <= summarize and n > 2 * summarize:
        index: list = [*range(summarize), None, *range(n - summarize, n)]
    else:
        index = list(range(n))
    if arr.ndim == 1:
        return "[" + " ".join("..." if i is None else _format_element(arr[i]) for i in index) + "]"
    sep = "\n" * (arr.ndim - 1) + " " * depth
    return "[" + sep.join("..." if i is None else _summarize(arr[i], summarize, depth + 1) for i in index) + "]"


def _format_forward(xp, *inputs, pieces, summarize):
    values = iter(inputs)
    text = "".join(p if isinstance(p, str) else summarize_array(np.asarray(next(values)), summarize) for p in pieces)
    return object_scalar(text.encode("utf-8", "surrogateescape"))


StringFormat = register("StringFormat", _format_forward,
                        infer=lambda *inputs, **attrs: [(TensorShape([]), dtypes.string)])


@export("strings.format")
def format(template: str, inputs: Any, placeholder: str = "{}", summarize: int = 3,  # noqa: A001
           name: str | None = None) -> Tensor:
    """``template`` with each ``placeholder`` replaced by the next input, printed as TF prints tensors.

    Raises:
        ValueError: the number of placeholders differs from the number of inputs.
    """
    if not isinstance(inputs, (list, tuple)):
        inputs = [inputs]
    texts = template.split(placeholder)
    if len(texts) - 1 != len(inputs):
        raise ValueError(f"The template expects {len(texts) - 1} tensors, but the inputs only has {len(inputs)}. "
                         "Please ensure the number of placeholders in template matches inputs length.")
    pieces: list = []
    for i, text in enumerate(texts):
        pieces.append(text)
        if i < len(inputs):
            pieces.append(None)
    tensors = tuple(convert_to_tensor(x) for x in inputs)
    return execute(StringFormat, tensors, {"pieces": tuple(pieces), "summarize": int(summarize)})


# ---------------------------------------------------------------------------------------------------------
# Hash buckets


def _bucket_forward(hash_fn: Callable) -> Callable:
    def forward(xp, x, *, num_buckets, **key):
        return map_strings(lambda s: hash_fn(bytes(s), **key) % num_buckets, x, np.int64)

    return forward


def _check_buckets(op_name: str, num_buckets: Any) -> int:
    n = int(num_buckets)
    if n < 1:
        raise invalid_arg(op_name, f"Value for attr 'num_buckets' of {n} must be at least minimum 1")
    return n


HashBucketFast = register("StringToHashBucketFast", _bucket_forward(fingerprint64), infer=_same_shape(dtypes.int64))
HashBucketStrong = register("StringToHashBucketStrong",
                            _bucket_forward(lambda s, key: siphash24(key, s)), infer=_same_shape(dtypes.int64))
HashBucket = register("StringToHashBucket", _bucket_forward(murmur64), infer=_same_shape(dtypes.int64))


@export("strings.to_hash_bucket_fast")
@_elementwise
def to_hash_bucket_fast(input: Any, num_buckets: int, name: str | None = None) -> Tensor:
    """``Fingerprint64(s) % num_buckets`` for each string (FarmHash; identical to TF's buckets)."""
    x = string_input(input, "StringToHashBucketFast")
    return execute(HashBucketFast, (x,), {"num_buckets": _check_buckets("StringToHashBucketFast", num_buckets)})


@export("strings.to_hash_bucket_strong")
@_elementwise
def to_hash_bucket_strong(input: Any, num_buckets: int, key: Any, name: str | None = None) -> Tensor:
    """``SipHash-2-4(key, s) % num_buckets`` for each string (``key``: two non-negative ints).

    Raises:
        InvalidArgumentError: a ``key`` that is not a list of two ints.
    """
    key = [int(k) for k in key]
    if len(key) != 2:
        raise invalid_arg("StringToHashBucketStrong", f"Key must have 2 elements, got {len(key)}")
    x = string_input(input, "StringToHashBucketStrong")
    return execute(HashBucketStrong, (x,), {"num_buckets": _check_buckets("StringToHashBucketStrong", num_buckets),
                                            "key": tuple(key)})


@export("strings.to_hash_bucket")
@_elementwise
def to_hash_bucket(input: Any, num_buckets: int, name: str | None = None) -> Tensor:
    """TF's legacy bucketing hash (``to_hash_bucket_fast`` is faster and as good)."""
    x = string_input(input, "StringToHashBucket")
    return execute(HashBucket, (x,), {"num_buckets": _check_buckets("StringToHashBucket", num_buckets)})


# ---------------------------------------------------------------------------------------------------------
# ngrams


def _ngrams_forward(xp, data, splits, *, separator, widths, left_pad, right_pad, pad_width, preserve_short):
    grams: list = []
    lengths = []
    for lo, hi in zip(splits[:-1], splits[1:]):
        row = list(data[lo:hi])
        before = len(grams)
        for w in widths:
            pw = 0 if left_pad is None else (w - 1 if pad_width is None else min(pad_width, w - 1))
            padded = [left_pad] * pw + row + [right_pad] * pw
            count = len(padded) - w + 1
            if count <= 0 and preserve_short and row:
                grams.append(separator.join(padded))
                continue
            grams.extend(separator.join(padded[i:i + w]) for i in range(max(count, 0)))
        lengths.append(len(grams) - before)
    values = np.empty(len(grams), dtype=object)
    values[:] = grams
    new_splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(splits.dtype)
    return values, new_splits


NGrams = register("StringNGrams", _ngrams_forward, num_outputs=2,
                  infer=lambda data, splits, **attrs: [(TensorShape([None]), dtypes.string),
                                                       (TensorShape([None]), splits[1])])


@export("strings.ngrams")
def ngrams(data: Any, ngram_width: Any, separator: str = " ", pad_values: Any = None, padding_width: Any = None,
           preserve_short_sequences: bool = False, name: str | None = None) -> Any:
    """The n-grams of each sequence along the last axis of ``data``, joined by ``separator``.

    Args:
        ngram_width: an int, or several to produce n-grams of each width (in that order) per sequence.
        pad_values: a string for both ends, or a ``(left, right)`` pair; None for no padding.
        padding_width: pad values added per end (default ``width - 1``; never more than that).
        preserve_short_sequences: a non-empty sequence too short for any n-gram gives one n-gram of all of it.

    Raises:
        ValueError: a ``padding_width`` of 0 or less, or a scalar ``data``.
    """
    widths = (int(ngram_width),) if np.ndim(ngram_width) == 0 else tuple(int(w) for w in ngram_width)
    if padding_width is not None and int(padding_width) < 1:
        raise ValueError("padding_width must be greater than 0.")
    if pad_values is None:
        left = right = None
    elif isinstance(pad_values, (tuple, list)):
        if len(pad_values) != 2:
            raise ValueError("pad_values must be a string, tuple or list.")
        left, right = _as_bytes(pad_values[0]), _as_bytes(pad_values[1])
    else:
        left = right = _as_bytes(pad_values)
    attrs = {"separator": _as_bytes(separator), "widths": widths, "left_pad": left, "right_pad": right,
             "pad_width": None if padding_width is None else int(padding_width),
             "preserve_short": bool(preserve_short_sequences)}
    if isinstance(data, RaggedTensor):
        if data.ragged_rank > 1:
            return data.with_values(ngrams(data.values, ngram_width, separator, pad_values, padding_width,
                                           preserve_short_sequences))
        values, splits = execute(NGrams, (string_input(data.values, "StringNGrams"), data.row_splits), attrs)
        return RaggedTensor._create(values, splits)
    x = string_input(data, "StringNGrams")
    if x.shape.rank == 0:
        raise ValueError("Data must have rank>0")
    if x.shape.rank == 1:
        from .array_ops import shape, stack

        n = shape(x, out_type=dtypes.int64)[0]
        values, _ = execute(NGrams, (x, stack([convert_to_tensor(0, dtype=dtypes.int64), n])), attrs)
        return values
    rt = RaggedTensor.from_tensor(x, ragged_rank=x.shape.rank - 1)
    return ngrams(rt, ngram_width, separator, pad_values, padding_width, preserve_short_sequences).to_tensor()
