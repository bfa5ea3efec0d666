"""Parsing serialized ``tf.train.Example``/``SequenceExample`` protos into tensors (``tf.io.parse_*``).

Feature specs say what to extract: ``FixedLenFeature`` (a dense tensor of known shape, with an optional
default), ``VarLenFeature`` (a SparseTensor of all values) and ``FixedLenSequenceFeature`` (a dense tensor
with a leading dimension of any length). Parsing runs as one op, so it works eagerly and inside graphs
(``Dataset.map``, ``tf.function``); error messages are TensorFlow's.
"""
from __future__ import annotations

import functools
import itertools
import operator
from collections import namedtuple
from typing import Any

import numpy as np

from .._core import dtypes
from .._core.errors import InvalidArgumentError
from .._core.execute import execute
from .._core.op import register
from .._core.ops._helpers import invalid_arg, shape_text
from .._core.ops.array_ops import reshape
from .._core.shape import TensorShape
from .._core.sparse_tensor import SparseTensor
from .._core.tensor import Tensor, convert_to_tensor
from ..protos import load

__all__ = ["FixedLenFeature", "VarLenFeature", "FixedLenSequenceFeature", "parse_example", "parse_single_example",
           "parse_sequence_example", "parse_single_sequence_example"]


class FixedLenFeature(namedtuple("FixedLenFeature", ["shape", "dtype", "default_value"])):
    """A dense input feature of fixed ``shape``; ``default_value`` fills in for examples without it."""

    __slots__ = ()

    def __new__(cls, shape: Any, dtype: Any, default_value: Any = None) -> FixedLenFeature:
        return super().__new__(cls, shape, dtype, default_value)


class VarLenFeature(namedtuple("VarLenFeature", ["dtype"])):
    """A feature with any number of values per example, parsed into a SparseTensor."""

    __slots__ = ()


class FixedLenSequenceFeature(namedtuple("FixedLenSequenceFeature",
                                         ["shape", "dtype", "allow_missing", "default_value"])):
    """A dense feature of any number of ``shape``-shaped rows (stacked along a new first dimension).

    ``allow_missing`` lets examples lack the feature (zero rows); ``default_value`` pads batched examples
    to the longest one.
    """

    __slots__ = ()

    def __new__(cls, shape: Any, dtype: Any, allow_missing: bool = False,
                default_value: Any = None) -> FixedLenSequenceFeature:
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


# ---------------------------------------------------------------------------------------------------------
# Specs


_KINDS = {"float32": "float_list", "int64": "int64_list", "string": "bytes_list"}
_KIND_WORDS = {"float_list": "float", "int64_list": "int64", "bytes_list": "string"}
_COUNT_WORDS = {"float_list": "float", "int64_list": "int64", "bytes_list": "bytes"}
_TF_WORDS = {"float32": "float", "int64": "int64", "string": "string"}


class _Spec:
    """One feature to extract: how (``dense``, ``sparse`` or ``sequence``), its type, shape and default.

    ``kind`` is the Feature list it reads (``float_list`` …), ``size`` the values per dense value or
    sequence row, ``default_flat`` the default's values as a Python list.
    """

    __slots__ = ("key", "how", "dtype", "shape", "default", "allow_missing", "kind", "size", "default_flat")

    def __init__(self, key: str, how: str, dtype: dtypes.DType, shape: tuple = (), default: Any = None,
                 allow_missing: bool = False) -> None:
        self.key, self.how, self.dtype, self.shape = key, how, dtype, shape
        self.default, self.allow_missing = default, allow_missing
        self.kind = _KINDS[dtype.name]
        self.size = int(np.prod(shape, dtype=np.int64))
        self.default_flat = None if default is None else default.reshape(-1).tolist()

    def empty(self) -> np.ndarray:
        return np.empty(0, dtype=self.dtype.as_numpy_dtype)

    def array(self, values: list) -> np.ndarray:
        """A flat array of this feature's dtype from Python values."""
        if self.dtype is dtypes.string:
            out = np.empty(len(values), dtype=object)
            out[:] = values
            return out
        return np.array(values, dtype=self.dtype.as_numpy_dtype)


def _feature_dtype(feature: Any, attr: str) -> dtypes.DType:
    dtype = dtypes.as_dtype(feature.dtype)
    if dtype.name not in _KINDS:
        word = {"float64": "double", "float16": "half"}.get(dtype.name, dtype.name)
        raise InvalidArgumentError(None, None, f"Value for attr '{attr}' of {word} is not in the list of allowed "
                                               "values: float, int64, string")
    return dtype


def _shape(key: str, feature: Any) -> tuple:
    if feature.shape is None:
        raise ValueError(f"Missing shape for feature {key}. Received feature={feature!r}.")
    return tuple(int(d) for d in TensorShape(feature.shape).as_list())


def _dense_default(feature: Any, dtype: dtypes.DType, shape: tuple) -> np.ndarray | None:
    if feature.default_value is None:
        return None
    return reshape(convert_to_tensor(feature.default_value, dtype), shape)._value


def _specs(features: dict, sequence: bool = False) -> tuple[_Spec, ...]:
    """Specs in TensorFlow's output order: sparse features sorted by key, then dense ones sorted by key."""
    sparse, dense = [], []
    for key in sorted(features):
        feature = features[key]
        if isinstance(feature, VarLenFeature):
            sparse.append(_Spec(key, "sparse", _feature_dtype(feature, "sparse_types")))
        elif isinstance(feature, FixedLenFeature):
            dtype = _feature_dtype(feature, "Tdense")
            shape = _shape(key, feature)
            dense.append(_Spec(key, "dense", dtype, shape, _dense_default(feature, dtype, shape)))
        elif isinstance(feature, FixedLenSequenceFeature):
            dtype = _feature_dtype(feature, "Tdense")
            if sequence and feature.default_value is not None:
                raise ValueError(f"Value feature_list.dense_defaults[{key}] must be None")
            pad = None if feature.default_value is None else \
                convert_to_tensor(feature.default_value, dtype)._value.reshape(())
            dense.append(_Spec(key, "sequence", dtype, _shape(key, feature), pad, bool(feature.allow_missing)))
        else:
            raise ValueError(f"Invalid feature {key}:{feature!r}.")
    return tuple(sparse + dense)


# ---------------------------------------------------------------------------------------------------------
# Value extraction


def _values(spec: _Spec, feature: Any) -> tuple[str | None, Any]:
    """``(kind, values)`` of a Feature message; kind None for a feature with no list set."""
    kind = feature.WhichOneof("kind")
    if kind is None:
        return None, spec.empty()
    values = getattr(feature, kind).value
    if kind == "bytes_list":
        out = np.empty(len(values), dtype=object)
        out[:] = list(values)
        return kind, out
    return kind, np.array(values, dtype=np.float32 if kind == "float_list" else np.int64)


def _parse_message(message_type: Any, data: bytes, error: str) -> Any:
    try:
        return message_type.FromString(data)
    except Exception:  # protobuf's DecodeError
        raise invalid_arg(*error) from None


def _pad_value(spec: _Spec) -> Any:
    if spec.default is not None:
        return spec.default
    return b"" if spec.dtype is dtypes.string else 0


def _stack_rows(spec: _Spec, rows: list[np.ndarray]) -> np.ndarray:
    """Rows of shape ``(n_i,) + shape`` padded to the longest and stacked: ``(batch, max_n) + shape``."""
    longest = max((len(r) for r in rows), default=0)
    out = np.full((len(rows), longest) + spec.shape, _pad_value(spec), dtype=spec.dtype.as_numpy_dtype)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return out


def _sparse_outputs(values: list[np.ndarray], dtype: dtypes.DType, batched: bool) -> tuple:
    """COO ``(indices, values, dense_shape)`` of per-example value arrays (one leading index when batched)."""
    lengths = np.array([len(v) for v in values], dtype=np.int64)
    flat = np.concatenate(values) if values else np.empty(0, dtype=dtype.as_numpy_dtype)
    if dtype is dtypes.string and flat.dtype != object:
        flat = flat.astype(object)
    return _coo(flat, lengths, batched)


def _coo(flat: np.ndarray, lengths: np.ndarray, batched: bool) -> tuple:
    """COO components of values ``flat`` split into consecutive runs of ``lengths``."""
    positions = np.arange(flat.size, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    longest = int(lengths.max()) if lengths.size else 0
    if not batched:
        return positions.reshape(-1, 1), flat, np.array([longest], dtype=np.int64)
    rows = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    return np.stack([rows, positions], axis=1), flat, np.array([len(lengths), longest], dtype=np.int64)


# ---------------------------------------------------------------------------------------------------------
# Example


def _type_message(spec: _Spec, kind: str, where: str) -> str:
    expected = _TF_WORDS[spec.dtype.name]
    if spec.how == "sparse":
        return f"{where}  Data types don't match. Expected type: {expected}, Actual type: {_KIND_WORDS[kind]}"
    return f"{where}  Data types don't match. Data type: {_KIND_WORDS[kind]} but expected type: {expected}"


def _count_message(where: str, kind: str, count: int, spec: _Spec, batched: bool) -> str:
    """TF's words for a dense feature with the wrong number of values (bytes overflow differently)."""
    if kind == "bytes_list" and count > spec.size:
        return f"{where}  Can't parse serialized Example." if batched else \
            f"{where}  Can't parse serialized Example: Parsing bytes_list failed."
    if batched:
        return (f"{where}  Number of {_COUNT_WORDS[kind]} values != expected.  Values size: {count} but output "
                f"shape: {shape_text(spec.shape)}")
    return f"{where}  Can't parse serialized Example: Some {kind} slice was not parsed."


def _stride_message(where: str, count: int, spec: _Spec, batched: bool) -> str:
    if batched:
        return (f"{where}  Number of {_COUNT_WORDS[spec.kind]} values is not a multiple of stride length. Saw "
                f"{count} values but output shape is: {shape_text(('?',) + spec.shape)}")
    return (f"Error while parsing feature with key {spec.key}: number of elements should be divisible by "
            f"{spec.size}, found {count} instead")


def _where(spec: _Spec, batched: bool, names: Any, index: int) -> str:
    if batched:
        return f"Name: {names[index] if names else '<unknown>'}, Key: {spec.key}, Index: {index}."
    return f"Key: {spec.key}."


def _collect(spec: _Spec, fmap: Any, flat: list, counts: list, batched: bool, names: Any, index: int) -> None:
    """Appends one example's values for ``spec`` to ``flat`` (and, unless dense, their number to ``counts``).

    Raises:
        InvalidArgumentError: TF's message for a missing required feature or values of the wrong type/count.
    """
    feature = fmap.get(spec.key)
    kind = None if feature is None else feature.WhichOneof("kind")
    if kind is None:  # absent, or present with no list set
        if spec.how == "dense":
            if spec.default_flat is None:
                prefix = f"Name: {names[index] if names else '<unknown>'}, " if batched else ""
                raise invalid_arg("ParseExampleV2", f"{prefix}Feature: {spec.key} (data type: "
                                                    f"{_TF_WORDS[spec.dtype.name]}) is required but could not be "
                                                    "found.")
            flat.extend(spec.default_flat)
        else:
            counts.append(0)
        return
    if kind != spec.kind:
        raise invalid_arg("ParseExampleV2", _type_message(spec, kind, _where(spec, batched, names, index)))
    values = getattr(feature, kind).value
    count = len(values)
    if spec.how == "dense" and count != spec.size:
        raise invalid_arg("ParseExampleV2", _count_message(_where(spec, batched, names, index), kind, count, spec,
                                                           batched))
    if spec.how == "sequence" and count % max(spec.size, 1):
        raise invalid_arg("ParseExampleV2", _stride_message(_where(spec, batched, names, index), count, spec,
                                                            batched))
    flat.extend(values)
    if spec.how != "dense":
        counts.append(count)


def _bytes_text(data: bytes) -> str:
    return data.decode("utf-8", "backslashreplace")


def _example_outputs(spec: _Spec, flat: list, counts: list, n: int, batched: bool) -> list:
    """The op outputs for ``spec`` from the values of ``n`` examples."""
    values = spec.array(flat)
    if spec.how == "sparse":
        return list(_coo(values, np.array(counts, dtype=np.int64), batched))
    if spec.how == "dense":
        return [values.reshape(((n,) if batched else ()) + spec.shape)]
    rows = np.split(values.reshape((-1,) + spec.shape), np.cumsum(counts)[:-1] // max(spec.size, 1)) if n else []
    return [_stack_rows(spec, rows) if batched else rows[0]]


@functools.cache
def _example_module() -> Any:
    """``example_pb2``, imported once (parsing runs per element in ``Dataset.map``)."""
    return load("example")


@functools.lru_cache(maxsize=4096)
def _field_one_header(length: int) -> bytes:
    """The tag and varint length that frame ``length`` bytes as field 1 of a message."""
    out = bytearray(b"\x0a")
    while length > 0x7F:
        out.append((length & 0x7F) | 0x80)
        length >>= 7
    out.append(length)
    return bytes(out)


@functools.cache
def _example_batch() -> Any:
    """A message class with one field, ``repeated Example examples = 1``: a batch parses in one protobuf call."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    _example_module()  # registers ndflow/protos/example.proto in the default pool
    field = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(name="ndflow/io/parsing_example_batch.proto",
                                               package="ndflow.io.parsing", syntax="proto3",
                                               dependency=["ndflow/protos/example.proto"])
    proto.message_type.add(name="ExampleBatch").field.add(
        name="examples", number=1, label=field.LABEL_REPEATED, type=field.TYPE_MESSAGE,
        type_name=".ndflow.Example")
    pool = descriptor_pool.Default()
    pool.Add(proto)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("ndflow.io.parsing.ExampleBatch"))


def _feature_maps(records: list) -> list | None:
    """The feature maps of serialized Examples, parsed together; None where any record is not valid."""
    parts = [b""] * (2 * len(records))
    parts[1::2] = records
    try:
        parts[::2] = map(_field_one_header, map(len, records))
        batch = _example_batch().FromString(b"".join(parts))
    except Exception:  # a str record, or protobuf's DecodeError: the per-example path says which one
        return None
    return list(map(_FEATURE_MAP, batch.examples))


_FEATURE_MAP = operator.attrgetter("features.feature")


def _fast_outputs(spec: _Spec, features: list) -> list | None:
    """The op outputs for a dense (of at least one value) or sparse ``spec`` from its Feature in each example of
    a batch (an empty Feature where the example lacks it), or None where an example needs the per-example path (a
    missing dense value without default, a wrong type or count).
    """
    n, size = len(features), spec.size
    values = list(map(operator.attrgetter(spec.kind + ".value"), features))
    counts = list(map(len, values))
    if spec.how == "sparse":
        if counts.count(0) and any(not c and f.WhichOneof("kind") not in (None, spec.kind)
                                   for f, c in zip(features, counts)):
            return None
        flat = [v for vs in values for v in vs]
        return list(_coo(spec.array(flat), np.array(counts, dtype=np.int64), True))
    # A Feature's kinds are a oneof: `size` values in spec's list mean that list is the one set.
    if counts.count(size) != n:
        if spec.default_flat is None:
            return None
        default = tuple(spec.default_flat)
        for i, count in enumerate(counts):
            if count != size:
                if count or features[i].WhichOneof("kind") is not None:
                    return None
                values[i] = default
    rows = list(map(operator.itemgetter(0), values) if size == 1 else itertools.chain.from_iterable(values))
    return [spec.array(rows).reshape((n,) + spec.shape)]


def _parse_batch(records: list, specs: tuple) -> tuple | None:
    """The outputs of a valid batch of Examples in one pass per feature; None to take the per-example path."""
    if any(spec.how == "sequence" or not spec.size for spec in specs if spec.how != "sparse"):
        return None
    fmaps = _feature_maps(records)
    if fmaps is None:
        return None
    # Indexing a parsed map adds an empty Feature for a missing key: it reads like one present without values,
    # which parsing treats as absent. (The maps are this function's own.)
    outputs: list = []
    for spec in specs:
        out = _fast_outputs(spec, list(map(operator.itemgetter(spec.key), fmaps)))
        if out is None:
            return None
        outputs.extend(out)
    return tuple(outputs)


def _parse_example_forward(xp, serialized, *, specs, names):
    if serialized.ndim > 1:
        raise invalid_arg("ParseExampleV2", f"Expected serialized to be a scalar or vector, got shape: "
                                            f"{shape_text(serialized.shape)}")
    batched = serialized.ndim == 1
    if batched and serialized.size:
        outputs = _parse_batch(serialized.tolist(), specs)
        if outputs is not None:
            return outputs
    from_string = _example_module().Example.FromString
    flats: list[list] = [[] for _ in specs]
    counts: list[list] = [[] for _ in specs]
    for index, data in enumerate(serialized.reshape(-1).tolist()):
        try:
            fmap = from_string(data).features.feature
        except Exception:  # protobuf's DecodeError
            raise invalid_arg("ParseExampleV2", f"Could not parse example input, value: '{_bytes_text(data)}'"
                              ) from None
        for spec, flat, count in zip(specs, flats, counts):
            feature = fmap.get(spec.key)
            if feature is not None and spec.how == "dense":  # the common case, inline for speed
                kind = feature.WhichOneof("kind")
                if kind == spec.kind:
                    values = getattr(feature, kind).value
                    if len(values) == spec.size:
                        flat.extend(values)
                        continue
            _collect(spec, fmap, flat, count, batched, names, index)
    outputs: list = []
    n = serialized.size
    for spec, flat, count in zip(specs, flats, counts):
        outputs.extend(_example_outputs(spec, flat, count, n, batched))
    return tuple(outputs)


def _output_specs(specs: tuple, batch_dims: list, feature_lists: bool = False) -> list:
    """Static ``(shape, dtype)`` of each output (feature-list SparseTensors have one more index column)."""
    out = []
    rank = len(batch_dims) + feature_lists + 1
    for spec in specs:
        if spec.how == "sparse":
            out += [(TensorShape([None, rank]), dtypes.int64), (TensorShape([None]), spec.dtype),
                    (TensorShape([rank]), dtypes.int64)]
        elif spec.how == "sequence":
            out.append((TensorShape(batch_dims + [None] + list(spec.shape)), spec.dtype))
        else:
            out.append((TensorShape(batch_dims + list(spec.shape)), spec.dtype))
    return out


def _infer_parse_example(serialized, *, specs, names):
    dims = serialized[0].as_list() if serialized[0].rank is not None else [None]
    return _output_specs(specs, dims)


ParseExampleV2 = register("ParseExampleV2", _parse_example_forward, infer=_infer_parse_example, num_outputs=None)


def _assemble(specs: tuple, outputs: list) -> dict:
    result = {}
    it = iter(outputs)
    for spec in specs:
        if spec.how == "sparse":
            result[spec.key] = SparseTensor(next(it), next(it), next(it))
        else:
            result[spec.key] = next(it)
    return result


def _names(example_names: Any) -> tuple | None:
    if example_names is None:
        return None
    values = convert_to_tensor(example_names, dtypes.string)._value.reshape(-1)
    return tuple(v.decode("utf-8", "backslashreplace") for v in values.tolist())


def _check_features(features: dict) -> None:
    if not features:
        raise ValueError("Invalid argument: features cannot be empty.")


def parse_example(serialized: Any, features: dict, example_names: Any = None, name: str | None = None) -> dict:
    """Parses a vector of serialized Examples into a dict of batched tensors (one entry per feature).

    ``FixedLenFeature`` gives ``[batch] + shape``, ``VarLenFeature`` a SparseTensor with ``dense_shape``
    ``[batch, longest]``, ``FixedLenSequenceFeature`` (``allow_missing=True`` required) gives
    ``[batch, longest] + shape`` padded with its ``default_value``.

    Raises:
        ValueError: empty ``features``, a FixedLenFeature without shape, or a FixedLenSequenceFeature
            without ``allow_missing``.
        InvalidArgumentError: unparsable bytes, a required feature missing, values of the wrong type or
            count (TensorFlow's messages).
    """
    _check_features(features)
    for feature in features.values():
        if isinstance(feature, FixedLenSequenceFeature) and not feature.allow_missing:
            raise ValueError("Unsupported: FixedLenSequenceFeature requires allow_missing to be True.")
    specs = _specs(features)
    serialized = convert_to_tensor(serialized, dtypes.string)
    outputs = execute(ParseExampleV2, (serialized,), {"specs": specs, "names": _names(example_names)})
    return _assemble(specs, list(outputs))


def parse_single_example(serialized: Any, features: dict, example_names: Any = None,
                         name: str | None = None) -> dict:
    """Parses one serialized Example (a scalar string) into a dict of tensors; see ``parse_example``."""
    return parse_example(convert_to_tensor(serialized, dtypes.string), features, example_names, name)


# ---------------------------------------------------------------------------------------------------------
# SequenceExample


def _context_value(spec: _Spec, fmap: Any, name: str) -> np.ndarray:
    feature = fmap.get(spec.key)
    kind, values = (None, spec.empty()) if feature is None else _values(spec, feature)
    if kind is not None and kind != spec.kind:
        raise invalid_arg("ParseSequenceExampleV2", f"Name: {name}, Context feature: {spec.key}.  Data types "
                                                    f"don't match. Expected type: {_TF_WORDS[spec.dtype.name]}")
    if spec.how == "sparse":
        return values
    if kind is None and spec.default is not None:
        return spec.default
    if values.size != spec.size:
        raise invalid_arg("ParseSequenceExampleV2", f"Inconsistent max number of elements for feature {spec.key}: "
                                                    f"expected {spec.size}, but found {values.size}")
    return values.reshape(spec.shape)


def _feature_list_value(spec: _Spec, lists: Any, name: str) -> list[np.ndarray]:
    """The per-step value arrays of one feature list."""
    feature_list = lists.get(spec.key)
    if feature_list is None:
        if spec.how == "sequence" and not spec.allow_missing:
            raise invalid_arg("ParseSequenceExampleV2", f"Name: {name}, Feature list '{spec.key}' is required but "
                                                        "could not be found.  Did you mean to include it in "
                                                        "feature_list_dense_missing_assumed_empty or "
                                                        "feature_list_dense_defaults?")
        return []
    steps = []
    for step, feature in enumerate(feature_list.feature):
        kind, values = _values(spec, feature)
        if kind is not None and kind != spec.kind:
            raise invalid_arg("ParseSequenceExampleV2", f"Name: {name}, Feature list: {spec.key}, Index: {step}.  "
                                                        "Data types don't match. Expected type: "
                                                        f"{_TF_WORDS[spec.dtype.name]}")
        if spec.how == "sequence" and values.size != spec.size:
            raise invalid_arg("ParseSequenceExampleV2", f"Name: {name}, Key: {spec.key}, Index: {step}.  Number of "
                                                        f"values != expected.  values size: {values.size} but "
                                                        f"output shape: {shape_text(spec.shape)}")
        steps.append(values)
    return steps


def _sequence_sparse(steps_per_example: list[list[np.ndarray]], dtype: dtypes.DType, batched: bool) -> tuple:
    """COO components of a VarLen feature list: indices ``[example,] step, position``."""
    index_rows, values = [], []
    longest_steps = longest_values = 0
    for example, steps in enumerate(steps_per_example):
        longest_steps = max(longest_steps, len(steps))
        for step, v in enumerate(steps):
            longest_values = max(longest_values, v.size)
            lead = (example, step) if batched else (step,)
            index_rows.extend(lead + (i,) for i in range(v.size))
            values.append(v)
    rank = 3 if batched else 2
    indices = np.array(index_rows, dtype=np.int64).reshape(-1, rank)
    flat = np.concatenate(values) if values else np.empty(0, dtype=dtype.as_numpy_dtype)
    if dtype is dtypes.string:
        flat = flat.astype(object)
    shape = ([len(steps_per_example)] if batched else []) + [longest_steps, longest_values]
    return indices, flat, np.array(shape, dtype=np.int64)


def _parse_sequence_example_forward(xp, serialized, *, context_specs, list_specs, names):
    if serialized.ndim > 1:
        raise invalid_arg("ParseSequenceExampleV2", f"Expected serialized to be a scalar or vector, got shape: "
                                                    f"{shape_text(serialized.shape)}")
    batched = serialized.ndim == 1
    message_type = _example_module().SequenceExample
    contexts: list[list] = [[] for _ in context_specs]
    lists: list[list] = [[] for _ in list_specs]
    for index, data in enumerate(serialized.reshape(-1).tolist()):
        name = names[index] if names else "<unknown>"
        example = _parse_message(message_type, data, (
            "ParseSequenceExampleV2", f"Invalid protocol message input, example id: {name}"))
        for spec, collected in zip(context_specs, contexts):
            collected.append(_context_value(spec, example.context.feature, name))
        for spec, collected in zip(list_specs, lists):
            collected.append(_feature_list_value(spec, example.feature_lists.feature_list, name))
    outputs: list = []
    for spec, collected in zip(context_specs, contexts):
        if spec.how == "sparse":
            outputs.extend(_sparse_outputs(collected, spec.dtype, batched))
        elif batched:
            outputs.append(np.stack(collected) if collected else np.empty((0,) + spec.shape, spec.dtype.as_numpy_dtype))
        else:
            outputs.append(collected[0])
    lengths = []
    for spec, collected in zip(list_specs, lists):
        if spec.how == "sparse":
            outputs.extend(_sequence_sparse(collected, spec.dtype, batched))
            continue
        rows = [np.stack(steps).reshape((-1,) + spec.shape) if steps
                else np.empty((0,) + spec.shape, spec.dtype.as_numpy_dtype) for steps in collected]
        outputs.append(_stack_rows(spec, rows) if batched else rows[0])
        lengths.append(np.array([len(r) for r in rows], dtype=np.int64))
    return tuple(outputs + (lengths if batched else []))


def _infer_parse_sequence_example(serialized, *, context_specs, list_specs, names):
    dims = serialized[0].as_list() if serialized[0].rank is not None else [None]
    out = _output_specs(context_specs, dims)
    out += _output_specs(list_specs, dims, feature_lists=True)
    if dims:
        out += [(TensorShape(dims), dtypes.int64) for spec in list_specs if spec.how == "sequence"]
    return out


ParseSequenceExampleV2 = register("ParseSequenceExampleV2", _parse_sequence_example_forward,
                                  infer=_infer_parse_sequence_example, num_outputs=None)


def _sequence_specs(context_features: dict | None, sequence_features: dict | None,
                    batched: bool) -> tuple[tuple, tuple]:
    if context_features is None and sequence_features is None:
        names = "`context_features` and `sequence_features` argument" if batched else \
            "context_features and sequence_features"
        raise ValueError(f"Both {names} are None, but at least one should have values.")
    for key, feature in (context_features or {}).items():
        if isinstance(feature, FixedLenSequenceFeature):
            raise ValueError(f"Unsupported FixedLenSequenceFeature {feature!r} for key '{key}'")
    list_specs = _specs(sequence_features or {}, sequence=True)
    for spec in list_specs:
        if spec.how == "dense":
            raise ValueError(f"Unsupported FixedLenFeature for feature list '{spec.key}': use "
                             "FixedLenSequenceFeature or VarLenFeature.")
    return _specs(context_features or {}), list_specs


def _parse_sequence(serialized: Tensor, context_features: Any, sequence_features: Any, names: Any,
                    batched: bool) -> tuple:
    context_specs, list_specs = _sequence_specs(context_features, sequence_features, batched)
    attrs = {"context_specs": context_specs, "list_specs": list_specs, "names": names}
    outputs = list(execute(ParseSequenceExampleV2, (serialized,), attrs))
    n_context = sum(3 if s.how == "sparse" else 1 for s in context_specs)
    n_lists = sum(3 if s.how == "sparse" else 1 for s in list_specs)
    context = _assemble(context_specs, outputs[:n_context])
    lists = _assemble(list_specs, outputs[n_context:n_context + n_lists])
    dense_lists = [s.key for s in list_specs if s.how == "sequence"]
    return context, lists, dict(zip(dense_lists, outputs[n_context + n_lists:]))


def parse_sequence_example(serialized: Any, context_features: dict | None = None,
                           sequence_features: dict | None = None, example_names: Any = None,
                           name: str | None = None) -> tuple[dict, dict, dict]:
    """Parses a vector of serialized SequenceExamples.

    Returns:
        ``(context, feature_lists, lengths)``: batched context features; feature lists as
        ``[batch, longest] + shape`` tensors (``FixedLenSequenceFeature``) or SparseTensors with indices
        ``[example, step, position]`` (``VarLenFeature``); and each dense feature list's number of steps.

    Raises:
        ValueError: no features at all, or unsupported specs. InvalidArgumentError: bad input (TF's messages).
    """
    serialized = convert_to_tensor(serialized, dtypes.string)
    return _parse_sequence(serialized, context_features, sequence_features, _names(example_names), True)


def parse_single_sequence_example(serialized: Any, context_features: dict | None = None,
                                  sequence_features: dict | None = None, example_name: Any = None,
                                  name: str | None = None) -> tuple[dict, dict]:
    """Parses one serialized SequenceExample; returns ``(context, feature_lists)`` (see
    ``parse_sequence_example``, without the batch dimension)."""
    serialized = convert_to_tensor(serialized, dtypes.string)
    context, lists, _ = _parse_sequence(serialized, context_features, sequence_features, _names(example_name),
                                        False)
    return context, lists
