"""Tensors to and from bytes: ``serialize_tensor``/``parse_tensor`` (TensorProto) and ``decode_raw``."""
from __future__ import annotations

import base64
from typing import Any

import numpy as np

from .._core import dtypes
from .._core.execute import execute
from .._core.op import register
from .._core.ops._helpers import invalid_arg, object_scalar, shape_text
from .._core.shape import TensorShape
from .._core.tensor import Tensor, convert_to_tensor
from ..protos import load
from ..protos.tensors import array_to_proto, proto_to_array

__all__ = ["serialize_tensor", "parse_tensor", "decode_raw"]

_TF_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _tf_name(dtype: dtypes.DType) -> str:
    return _TF_NAMES.get(dtype.name, dtype.name)


# ---------------------------------------------------------------------------------------------------------
# serialize_tensor / parse_tensor


def _serialize_forward(xp, array):
    return object_scalar(array_to_proto(array).SerializeToString())


def _cannot_parse(proto: Any) -> Exception:
    return invalid_arg("ParseTensor", f"Cannot parse tensor from proto: {proto}")


def _parse_tensor_forward(xp, serialized, *, out_type):
    if serialized.ndim:
        raise invalid_arg("ParseTensor", f"Expected `serialized` to be a scalar, got shape: "
                                         f"{shape_text(serialized.shape)}")
    data = serialized.item()
    proto = load("tensor").TensorProto()
    try:
        proto.ParseFromString(data)
    except Exception:  # protobuf's DecodeError
        raise invalid_arg("ParseTensor", "Could not parse `serialized` as TensorProto, base64: "
                                         f"{base64.urlsafe_b64encode(data).decode()}") from None
    try:
        dtype = dtypes.as_dtype(proto.dtype) if proto.dtype else None
    except (TypeError, ValueError):
        dtype = None
    if dtype is None or any(d.size < 0 for d in proto.tensor_shape.dim):
        raise _cannot_parse(proto)
    if dtype is not out_type:
        raise invalid_arg("ParseTensor", f"Type mismatch between parsed tensor ({_tf_name(dtype)}) and dtype "
                                         f"({_tf_name(out_type)})")
    try:
        return proto_to_array(proto, dtype)
    except ValueError:
        raise _cannot_parse(proto) from None


SerializeTensor = register("SerializeTensor", _serialize_forward,
                           infer=lambda tensor: [(TensorShape([]), dtypes.string)])
ParseTensor = register("ParseTensor", _parse_tensor_forward,
                       infer=lambda serialized, *, out_type: [(TensorShape(None), out_type)])


def serialize_tensor(tensor: Any, name: str | None = None) -> Tensor:
    """A scalar string holding ``tensor`` as a serialized TensorProto (the bytes TensorFlow produces).

    Raises:
        ImportError: the ``protobuf`` package is missing.
    """
    return execute(SerializeTensor, (convert_to_tensor(tensor),))


def parse_tensor(serialized: Any, out_type: Any, name: str | None = None) -> Tensor:
    """The tensor inside a serialized TensorProto (as written by ``serialize_tensor``).

    Raises:
        InvalidArgumentError: unparsable bytes, or a tensor of another dtype than ``out_type``.
    """
    out_type = dtypes.as_dtype(out_type)
    return execute(ParseTensor, (convert_to_tensor(serialized, dtypes.string),), {"out_type": out_type})


# ---------------------------------------------------------------------------------------------------------
# decode_raw

_RAW_TYPES = ("float16", "float32", "float64", "int32", "uint16", "uint8", "int16", "int8", "int64",
              "complex64", "complex128", "bool", "bfloat16")


def _decode_raw_forward(xp, data, *, out_type, little_endian, fixed_length):
    np_type = np.dtype(out_type.as_numpy_dtype)
    size = np_type.itemsize
    flat = data.reshape(-1)
    op_name = "DecodeRaw" if fixed_length is None else "DecodePaddedRaw"
    if fixed_length is None:
        width = len(flat[0]) if flat.size else 0
        for i, item in enumerate(flat):
            if len(item) != width:
                raise invalid_arg(op_name, f"DecodeRaw requires input strings to all be the same size, but element "
                                           f"{i} has size {width} != {len(item)}")  # (sic) TF's order
        if width % size:
            raise invalid_arg(op_name, f"Input to DecodeRaw has length {width} that is not a multiple of {size}, "
                                       f"the size of {_tf_name(out_type)}")
        joined = b"".join(flat.tolist())
    else:
        if fixed_length % size:
            raise invalid_arg(op_name, f"fixed_length ({fixed_length}) must be a multiple of the size of out_type "
                                       f"({size})")
        width = fixed_length
        joined = b"".join(item[:width].ljust(width, b"\0") for item in flat.tolist())
    if out_type is dtypes.bool:
        values = np.frombuffer(joined, dtype=np.uint8) != 0
    else:
        stored = np_type.newbyteorder("<" if little_endian else ">") if size > 1 else np_type
        values = np.frombuffer(joined, dtype=stored).astype(np_type)
    return values.reshape(data.shape + (width // size,))


def _infer_decode_raw(data, *, out_type, little_endian, fixed_length):
    dims = None if data[0].rank is None else data[0].as_list()
    last = None if fixed_length is None else fixed_length // np.dtype(out_type.as_numpy_dtype).itemsize
    return [(TensorShape(None if dims is None else dims + [last]), out_type)]


DecodeRaw = register("DecodeRaw", _decode_raw_forward, infer=_infer_decode_raw)


def decode_raw(input_bytes: Any, out_type: Any, little_endian: bool = True, fixed_length: int | None = None,
               name: str | None = None) -> Tensor:
    """Reinterprets each string's bytes as a vector of ``out_type`` numbers (a new last dimension).

    Args:
        input_bytes: a string tensor whose elements all have the same length (unless ``fixed_length``).
        out_type: the element type. little_endian: the byte order of the data.
        fixed_length: pad with zeros or cut each string to this many bytes first.

    Raises:
        InvalidArgumentError: an unsupported ``out_type``, strings of different lengths, or lengths that are
            not a multiple of the element size.
    """
    out_type = dtypes.as_dtype(out_type)
    if out_type.name not in _RAW_TYPES:
        names = ", ".join(_TF_NAMES.get(n, n) for n in _RAW_TYPES)
        raise invalid_arg("DecodeRaw", f"Value for attr 'out_type' of {_tf_name(out_type)} is not in the list "
                                       f"of allowed values: {names}")
    attrs = {"out_type": out_type, "little_endian": bool(little_endian),
             "fixed_length": None if fixed_length is None else int(fixed_length)}
    return execute(DecodeRaw, (convert_to_tensor(input_bytes, dtypes.string),), attrs)
