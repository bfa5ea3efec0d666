"""``tf.strings.unicode_*`` and ``bytes_split``: code points, encodings and scripts.

Decoding uses Python's codecs: an invalid sequence counts as one error (the "maximal subpart" rule that
ICU, which TF uses, follows too). ``unicode_script`` derives each code point's script from its Unicode
character name (``unicodedata``) and returns ICU's ``UScriptCode`` numbers; it agrees with TF on about 99%
of assigned code points. Known limits: punctuation and digits named after a script but listed as Common
(or the reverse) by Unicode's Scripts.txt, and characters assigned in a different Unicode version than
Python's ``unicodedata`` (those give 103, Unknown, in one of the two).
"""
from __future__ import annotations

import codecs
import unicodedata
from typing import Any

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..export import export
from ..ragged_tensor import RaggedTensor
from ..shape import TensorShape
from ..tensor import Tensor, convert_to_tensor
from ._helpers import execute, invalid_arg, register
from .string_ops import ragged_from_rows, string_input

__all__ = ["unicode_decode", "unicode_decode_with_offsets", "unicode_encode", "unicode_split",
           "unicode_split_with_offsets", "unicode_transcode", "unicode_script", "bytes_split"]

_OUTPUT_ENCODINGS = {"UTF-8": "utf-8", "UTF-16-BE": "utf-16-be", "UTF-32-BE": "utf-32-be"}
_ERRORS = ("ignore", "replace", "strict")
_MARK = "\udfff"  # a lone surrogate: no valid decoding produces it, so it marks an invalid sequence
_error_spans: list = []


def _mark_invalid(exc: UnicodeDecodeError) -> tuple[str, int]:
    _error_spans.append(exc.end - exc.start)
    return _MARK, exc.end


codecs.register_error("ndflow.mark_invalid", _mark_invalid)


def _codec(encoding: str, op_name: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise invalid_arg(op_name, f"Could not create converter for input encoding: {encoding}") from None


def _decode_one(s: bytes, codec: str, errors: str, replacement: int, replace_control: bool) -> tuple[list, list]:
    """Code points of ``s`` and the byte offset where each starts."""
    _error_spans.clear()
    text = s.decode(codec, "ndflow.mark_invalid")
    spans = iter(list(_error_spans))
    points, offsets, pos = [], [], 0
    for ch in text:
        size = next(spans) if ch == _MARK else len(ch.encode(codec))
        if ch == _MARK:
            if errors == "strict":
                raise InvalidArgumentError(None, None, "Invalid formatting on input string")
            if errors == "replace":
                points.append(replacement)
                offsets.append(pos)
        else:
            cp = ord(ch)
            points.append(replacement if replace_control and cp < 0x20 else cp)
            offsets.append(pos)
        pos += size
    return points, offsets


def _decode_forward(xp, x, *, codec, errors, replacement, replace_control):
    rows = [_decode_one(bytes(s), codec, errors, replacement, replace_control) for s in x.reshape(-1)]
    splits = np.concatenate([[0], np.cumsum([len(r[0]) for r in rows], dtype=np.int64)]).astype(np.int64)
    points = np.array([p for r in rows for p in r[0]], dtype=np.int32)
    offsets = np.array([o for r in rows for o in r[1]], dtype=np.int64)
    return splits, points, offsets


_DECODE_SPECS = [(TensorShape([None]), dtypes.int64), (TensorShape([None]), dtypes.int32),
                 (TensorShape([None]), dtypes.int64)]
UnicodeDecode = register("UnicodeDecodeWithOffsets", _decode_forward, num_outputs=3,
                         infer=lambda x, **attrs: list(_DECODE_SPECS))


def _check_errors(op_name: str, errors: str) -> None:
    if errors not in _ERRORS:
        names = ", ".join(f'"{e}"' for e in _ERRORS)
        raise invalid_arg(op_name, f"Value for attr 'errors' of \"{errors}\" is not in the list of allowed values: "
                                   f"{names}")


def _decode(input: Any, input_encoding: str, errors: str, replacement_char: int,
            replace_control_characters: bool) -> tuple:
    _check_errors("UnicodeDecode", errors)
    x = string_input(input, "UnicodeDecode")
    attrs = {"codec": _codec(input_encoding, "UnicodeDecode"), "errors": errors,
             "replacement": int(replacement_char), "replace_control": bool(replace_control_characters)}
    from .array_ops import reshape

    splits, points, offsets = execute(UnicodeDecode, (reshape(x, [-1]),), attrs)
    return ragged_from_rows(points, splits, x), ragged_from_rows(offsets, splits, x)


@export("strings.unicode_decode")
def unicode_decode(input: Any, input_encoding: str, errors: str = "replace", replacement_char: int = 65533,
                   replace_control_characters: bool = False, name: str | None = None) -> Any:
    """The int32 code points of each string (a ragged tensor with one more dimension; 1-D for a scalar).

    Args:
        errors: ``"replace"`` invalid sequences with ``replacement_char``, ``"ignore"`` them, or ``"strict"``.

    Raises:
        InvalidArgumentError: an unknown encoding, or invalid text with ``errors="strict"``.
    """
    if isinstance(input, RaggedTensor):
        return input.with_flat_values(unicode_decode(input.flat_values, input_encoding, errors, replacement_char,
                                                     replace_control_characters))
    return _decode(input, input_encoding, errors, replacement_char, replace_control_characters)[0]


@export("strings.unicode_decode_with_offsets")
def unicode_decode_with_offsets(input: Any, input_encoding: str, errors: str = "replace",
                                replacement_char: int = 65533, replace_control_characters: bool = False,
                                name: str | None = None) -> tuple:
    """``unicode_decode`` plus the int64 byte offset where each character starts."""
    if isinstance(input, RaggedTensor):
        points, offsets = unicode_decode_with_offsets(input.flat_values, input_encoding, errors, replacement_char,
                                                      replace_control_characters)
        return input.with_flat_values(points), input.with_flat_values(offsets)
    return _decode(input, input_encoding, errors, replacement_char, replace_control_characters)


def _encode_one(points: np.ndarray, codec: str, errors: str, replacement: int) -> bytes:
    chars = []
    for cp in points.tolist():
        if cp < 0 or cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
            if errors == "strict":
                raise InvalidArgumentError(None, None, "Code point is out of range for Unicode, or is a surrogate. "
                                                       "[Op:UnicodeEncode]")
            if errors == "ignore":
                continue
            cp = replacement
        chars.append(chr(cp))
    return "".join(chars).encode(codec)


def _encode_forward(xp, points, splits, *, codec, errors, replacement):
    out = np.empty(splits.shape[0] - 1, dtype=object)
    out[:] = [_encode_one(points[lo:hi], codec, errors, replacement) for lo, hi in zip(splits[:-1], splits[1:])]
    return out


UnicodeEncode = register("UnicodeEncode", _encode_forward,
                         infer=lambda points, splits, **attrs: [(TensorShape([None]), dtypes.string)])


def _output_codec(op_name: str, encoding: str) -> str:
    if encoding not in _OUTPUT_ENCODINGS:
        names = ", ".join(f'"{e}"' for e in _OUTPUT_ENCODINGS)
        raise invalid_arg(op_name, f"Value for attr 'output_encoding' of \"{encoding}\" is not in the list of "
                                   f"allowed values: {names}")
    return _OUTPUT_ENCODINGS[encoding]


def _code_points(x: Any) -> Tensor:
    t = convert_to_tensor(x, dtype_hint=dtypes.int32)
    if t.dtype is not dtypes.int32:
        raise invalid_arg("UnicodeEncode", f"cannot compute UnicodeEncode as input #0(zero-based) was expected to "
                                           f"be a int32 tensor but is a {t.dtype.name} tensor")
    return t


@export("strings.unicode_encode")
def unicode_encode(input: Any, output_encoding: str, errors: str = "replace", replacement_char: int = 65533,
                   name: str | None = None) -> Any:
    """Encodes the code points along the last axis of ``input`` into one string each.

    Raises:
        InvalidArgumentError: an encoding other than UTF-8, UTF-16-BE or UTF-32-BE, or an invalid code
            point with ``errors="strict"``.
    """
    from ..ragged_tensor import _range
    from . import array_ops
    from .reduction_ops import reduce_prod

    _check_errors("UnicodeEncode", errors)
    attrs = {"codec": _output_codec("UnicodeEncode", output_encoding), "errors": errors,
             "replacement": int(replacement_char)}
    if isinstance(input, RaggedTensor):
        if input.flat_values.shape.rank != 1:
            return input.with_flat_values(unicode_encode(input.flat_values, output_encoding, errors,
                                                         replacement_char))
        if isinstance(input.values, RaggedTensor):
            return input.with_values(unicode_encode(input.values, output_encoding, errors, replacement_char))
        return execute(UnicodeEncode, (_code_points(input.values), input.row_splits), attrs)
    x = _code_points(input)
    if x.shape.rank == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    dims = array_ops.shape(x, out_type=dtypes.int64)
    nrows = reduce_prod(dims[:-1])
    splits = _range(nrows + 1, dtypes.int64) * dims[-1]
    encoded = execute(UnicodeEncode, (array_ops.reshape(x, [-1]), splits), attrs)
    return array_ops.reshape(encoded, dims[:-1])


def _transcode_forward(xp, x, *, codec, out_codec, errors, replacement, replace_control):
    def convert(s: bytes) -> bytes:
        points, _ = _decode_one(bytes(s), codec, errors, replacement, replace_control)
        return "".join(chr(p) for p in points).encode(out_codec)

    out = np.empty(x.shape, dtype=object)
    out.reshape(-1)[:] = [convert(s) for s in x.reshape(-1)]
    return out


UnicodeTranscode = register("UnicodeTranscode", _transcode_forward,
                            infer=lambda x, **attrs: [(x[0], dtypes.string)])


@export("strings.unicode_transcode")
def unicode_transcode(input: Any, input_encoding: str, output_encoding: str, errors: str = "replace",
                      replacement_char: int = 65533, replace_control_characters: bool = False,
                      name: str | None = None) -> Any:
    """Re-encodes each string from ``input_encoding`` to ``output_encoding``."""
    if isinstance(input, RaggedTensor):
        return input.with_flat_values(unicode_transcode(input.flat_values, input_encoding, output_encoding, errors,
                                                        replacement_char, replace_control_characters))
    _check_errors("UnicodeTranscode", errors)
    x = string_input(input, "UnicodeTranscode")
    attrs = {"codec": _codec(input_encoding, "UnicodeTranscode"),
             "out_codec": _output_codec("UnicodeTranscode", output_encoding), "errors": errors,
             "replacement": int(replacement_char), "replace_control": bool(replace_control_characters)}
    return execute(UnicodeTranscode, (x,), attrs)


def _split_chars(input: Any, input_encoding: str, errors: str, replacement_char: int, with_offsets: bool) -> Any:
    from ..ragged_tensor import _range
    from . import array_ops

    if isinstance(input, RaggedTensor):
        result = _split_chars(input.flat_values, input_encoding, errors, replacement_char, with_offsets)
        if with_offsets:
            return input.with_flat_values(result[0]), input.with_flat_values(result[1])
        return input.with_flat_values(result)
    _check_errors("UnicodeDecode", errors)
    x = string_input(input, "UnicodeDecode")
    codec = _codec(input_encoding, "UnicodeDecode")
    attrs = {"codec": codec, "errors": errors, "replacement": int(replacement_char), "replace_control": False}
    splits, points, offsets = execute(UnicodeDecode, (array_ops.reshape(x, [-1]),), attrs)
    n = array_ops.shape(points, out_type=dtypes.int64)[0]
    chars = execute(UnicodeEncode, (points, _range(n + 1, dtypes.int64)),
                    {"codec": _OUTPUT_ENCODINGS.get(input_encoding, codec), "errors": errors,
                     "replacement": int(replacement_char)})
    result = ragged_from_rows(chars, splits, x)
    return (result, ragged_from_rows(offsets, splits, x)) if with_offsets else result


@export("strings.unicode_split")
def unicode_split(input: Any, input_encoding: str, errors: str = "replace", replacement_char: int = 65533,
                  name: str | None = None) -> Any:
    """Each string split into its characters (each re-encoded in ``input_encoding``)."""
    return _split_chars(input, input_encoding, errors, replacement_char, with_offsets=False)


@export("strings.unicode_split_with_offsets")
def unicode_split_with_offsets(input: Any, input_encoding: str, errors: str = "replace",
                               replacement_char: int = 65533, name: str | None = None) -> tuple:
    """``unicode_split`` plus the byte offset where each character starts."""
    return _split_chars(input, input_encoding, errors, replacement_char, with_offsets=True)


def _bytes_split_forward(xp, x):
    rows = [bytes(s) for s in x.reshape(-1)]
    splits = np.concatenate([[0], np.cumsum([len(r) for r in rows], dtype=np.int64)]).astype(np.int64)
    values = np.empty(int(splits[-1]), dtype=object)
    values[:] = [r[i:i + 1] for r in rows for i in range(len(r))]
    return values, splits


BytesSplit = register("StringBytesSplit", _bytes_split_forward, num_outputs=2,
                      infer=lambda x: [(TensorShape([None]), dtypes.string), (TensorShape([None]), dtypes.int64)])


@export("strings.bytes_split")
def bytes_split(input: Any, name: str | None = None) -> Any:
    """Each string split into single bytes (a 1-D tensor for a scalar input, else ragged)."""
    from .array_ops import reshape

    if isinstance(input, RaggedTensor):
        return input.with_flat_values(bytes_split(input.flat_values))
    x = string_input(input, "StringBytesSplit")
    values, splits = execute(BytesSplit, (reshape(x, [-1]),))
    return ragged_from_rows(values, splits, x)


# ---------------------------------------------------------------------------------------------------------
# unicode_script

# ICU ``UScriptCode`` numbers, keyed by the script's name as it begins Unicode character names.
_SCRIPTS = {
    "ARABIC": 2, "ARMENIAN": 3, "BENGALI": 4, "BOPOMOFO": 5, "CHEROKEE": 6, "COPTIC": 7, "CYRILLIC": 8,
    "DESERET": 9, "DEVANAGARI": 10, "ETHIOPIC": 11, "GEORGIAN": 12, "GOTHIC": 13, "GREEK": 14, "GUJARATI": 15,
    "GURMUKHI": 16, "CJK UNIFIED IDEOGRAPH": 17, "CJK COMPATIBILITY IDEOGRAPH": 17, "CJK RADICAL": 17,
    "KANGXI RADICAL": 17, "HANGUL": 18, "HEBREW": 19, "HIRAGANA": 20, "HENTAIGANA": 20, "KANNADA": 21,
    "KATAKANA": 22, "KHMER": 23, "LAO": 24, "LATIN": 25, "MODIFIER LETTER SMALL": 25, "MODIFIER LETTER CAPITAL": 25,
    "MALAYALAM": 26, "MONGOLIAN": 27, "MYANMAR": 28, "OGHAM": 29, "OLD ITALIC": 30, "ORIYA": 31, "RUNIC": 32,
    "SINHALA": 33, "SYRIAC": 34, "TAMIL": 35, "TELUGU": 36, "THAANA": 37, "THAI": 38, "TIBETAN": 39,
    "CANADIAN SYLLABICS": 40, "YI": 41, "TAGALOG": 42, "HANUNOO": 43, "BUHID": 44, "TAGBANWA": 45, "BRAILLE": 46,
    "CYPRIOT": 47, "LIMBU": 48, "LINEAR B": 49, "OSMANYA": 50, "SHAVIAN": 51, "TAI LE": 52, "UGARITIC": 53,
    "BUGINESE": 55, "GLAGOLITIC": 56, "KHAROSHTHI": 57, "SYLOTI NAGRI": 58, "NEW TAI LUE": 59, "TIFINAGH": 60,
    "OLD PERSIAN": 61, "BALINESE": 62, "BATAK": 63, "BRAHMI": 65, "CHAM": 66, "EGYPTIAN HIEROGLYPH": 71,
    "PAHAWH HMONG": 75, "OLD HUNGARIAN": 76, "JAVANESE": 78, "KAYAH LI": 79, "LEPCHA": 82, "LINEAR A": 83,
    "MANDAIC": 84, "MEROITIC HIEROGLYPHIC": 86, "NKO": 87, "OLD TURKIC": 88, "OLD PERMIC": 89, "PHAGS-PA": 90,
    "PHOENICIAN": 91, "MIAO": 92, "VAI": 99, "CUNEIFORM": 101, "CARIAN": 104, "TAI THAM": 106, "LYCIAN": 107,
    "LYDIAN": 108, "OL CHIKI": 109, "REJANG": 110, "SAURASHTRA": 111, "SIGNWRITING": 112, "SUNDANESE": 113,
    "MEETEI MAYEK": 115, "IMPERIAL ARAMAIC": 116, "AVESTAN": 117, "CHAKMA": 118, "KAITHI": 120, "MANICHAEAN": 121,
    "INSCRIPTIONAL PAHLAVI": 122, "PSALTER PAHLAVI": 123, "INSCRIPTIONAL PARTHIAN": 125, "SAMARITAN": 126,
    "TAI VIET": 127, "BAMUM": 130, "LISU": 131, "OLD SOUTH ARABIAN": 133, "BASSA VAH": 134, "DUPLOYAN": 135,
    "ELBASAN": 136, "GRANTHA": 137, "MENDE KIKAKUI": 140, "MEROITIC CURSIVE": 141, "OLD NORTH ARABIAN": 142,
    "NABATAEAN": 143, "PALMYRENE": 144, "KHUDAWADI": 145, "WARANG CITI": 146, "MRO": 149, "NUSHU": 150,
    "SHARADA": 151, "SORA SOMPENG": 152, "TAKRI": 153, "TANGUT": 154, "ANATOLIAN HIEROGLYPH": 156, "KHOJKI": 157,
    "TIRHUTA": 158, "CAUCASIAN ALBANIAN": 159, "MAHAJANI": 160, "AHOM": 161, "HATRAN": 162, "MODI": 163,
    "MULTANI": 164, "PAU CIN HAU": 165, "SIDDHAM": 166, "ADLAM": 167, "BHAIKSUKI": 168, "MARCHEN": 169, "NEWA": 170,
    "OSAGE": 171, "MASARAM GONDI": 175, "SOYOMBO": 176, "ZANABAZAR SQUARE": 177, "DOGRA": 178, "GUNJALA GONDI": 179,
    "MAKASAR": 180, "MEDEFAIDRIN": 181, "HANIFI ROHINGYA": 182, "SOGDIAN": 183, "OLD SOGDIAN": 184, "ELYMAIC": 185,
    "NYIAKENG PUACHUE HMONG": 186, "NANDINAGARI": 187, "WANCHO": 188, "CHORASMIAN": 189, "DIVES AKURU": 190,
    "KHITAN SMALL SCRIPT": 191, "YEZIDI": 192,
}
_BY_LENGTH = sorted(_SCRIPTS, key=len, reverse=True)
# Blocks whose characters have generated names (``CJK UNIFIED IDEOGRAPH-4E00``) or none in unicodedata.
_RANGES = ((0x3400, 0x4DC0, 17), (0x4E00, 0x9FFD, 17), (0x17000, 0x18B00, 154), (0x20000, 0x2A6E0, 17))
# Words before a script name that keep the character in that script (for letters, marks and digits).
_QUALIFIERS = ("COMBINING ", "HALFWIDTH ", "FULLWIDTH ", "CIRCLED ", "PARENTHESIZED ", "EXTENDED ")
COMMON, INHERITED, UNKNOWN, INVALID = 0, 1, 103, -1


def _named_script(name: str) -> int | None:
    for prefix in _BY_LENGTH:
        if name.startswith(prefix) and (len(name) == len(prefix) or name[len(prefix)] in " -"):
            return _SCRIPTS[prefix]
    return None


def script_of(cp: int) -> int:
    """ICU's script code of code point ``cp`` (-1 when it is not a code point)."""
    if cp < 0 or cp > 0x10FFFF:
        return INVALID
    ch = chr(cp)
    category = unicodedata.category(ch)
    if category in ("Cn", "Co", "Cs"):
        return UNKNOWN
    for lo, hi, code in _RANGES:
        if lo <= cp < hi:
            return code
    name = unicodedata.name(ch, "")
    script = _named_script(name)
    if script is not None:
        return script
    for qualifier in _QUALIFIERS:
        if name.startswith(qualifier) and category[0] in "LMN":
            script = _named_script(name[len(qualifier):])
            if script is not None:
                return script
    return INHERITED if category in ("Mn", "Me") else COMMON


UnicodeScript = register("UnicodeScript", lambda xp, x: np.vectorize(script_of, otypes=[np.int32])(x)
                         if x.size else x.copy(), infer=lambda x: [x])


@export("strings.unicode_script")
def unicode_script(input: Any, name: str | None = None) -> Any:
    """ICU's script code (``UScriptCode``) of each int32 code point: 0 Common, 1 Inherited, 25 Latin, 17 Han …

    Raises:
        InvalidArgumentError: a non-int32 input.
    """
    if isinstance(input, RaggedTensor):
        return input.with_flat_values(unicode_script(input.flat_values))
    x = convert_to_tensor(input, dtype_hint=dtypes.int32)
    if x.dtype is not dtypes.int32:
        raise invalid_arg("UnicodeScript", f"cannot compute UnicodeScript as input #0(zero-based) was expected to be "
                                           f"a int32 tensor but is a {x.dtype.name} tensor")
    return execute(UnicodeScript, (x,))
