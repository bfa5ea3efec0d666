"""NumPy arrays to and from ``TensorProto``: numbers as little-endian ``tensor_content``, strings in ``string_val``
(the encoding TensorFlow's ``SerializeTensor`` and summary writer use); reading also accepts the typed value
fields (``float_val`` …), where missing trailing values repeat the last one."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import load

__all__ = ["array_to_proto", "proto_to_array"]

# TensorProto's typed value fields: (field, NumPy type the field holds)
_VALUE_FIELDS = {
    "float32": ("float_val", np.float32), "float64": ("double_val", np.float64),
    "int32": ("int_val", np.int32), "int16": ("int_val", np.int16), "int8": ("int_val", np.int8),
    "uint8": ("int_val", np.uint8), "uint16": ("int_val", np.uint16), "int64": ("int64_val", np.int64),
    "bool": ("bool_val", np.bool_), "uint32": ("uint32_val", np.uint32), "uint64": ("uint64_val", np.uint64),
    "float16": ("half_val", np.uint16), "bfloat16": ("half_val", np.uint16),
    "complex64": ("scomplex_val", np.float32), "complex128": ("dcomplex_val", np.float64),
}


def array_to_proto(array: Any) -> Any:
    """A ``TensorProto`` holding ``array`` (str values are stored UTF-8 encoded)."""
    from .._core import dtypes

    array = np.asarray(array)
    strings = array.dtype.kind in "OSU"
    dtype = dtypes.string if strings else dtypes.from_numpy(array.dtype)
    proto = load("tensor").TensorProto(dtype=dtype.as_datatype_enum)
    proto.tensor_shape.SetInParent()
    for size in array.shape:
        proto.tensor_shape.dim.add(size=size)
    if strings:
        proto.string_val.extend(v.encode("utf-8") if isinstance(v, str) else bytes(v)
                                for v in array.reshape(-1).tolist())
    elif array.size:
        proto.tensor_content = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
    return proto


def proto_to_array(proto: Any, dtype: Any) -> np.ndarray:
    """The array a ``TensorProto`` of ``dtype`` (an ndflow DType) holds.

    Raises:
        ValueError: a negative dimension, or ``tensor_content`` of the wrong length.
    """
    from .._core import dtypes

    shape = [d.size for d in proto.tensor_shape.dim]
    if any(s < 0 for s in shape):
        raise ValueError(f"negative dimension in {shape}")
    count = int(np.prod(shape, dtype=np.int64))
    if proto.tensor_content and dtype is not dtypes.string:
        np_type = np.dtype(dtype.as_numpy_dtype)
        if len(proto.tensor_content) != count * np_type.itemsize:
            raise ValueError(f"tensor_content holds {len(proto.tensor_content)} bytes, not {count} values")
        values = np.frombuffer(proto.tensor_content, dtype=np_type.newbyteorder("<")).astype(np_type)
    else:
        values = _typed_values(proto, dtype, count)
    return values.reshape(shape)


def _typed_values(proto: Any, dtype: Any, count: int) -> np.ndarray:
    from .._core import dtypes

    if dtype is dtypes.string:
        values = np.empty(len(proto.string_val), dtype=object)
        values[:] = list(proto.string_val)
    else:
        field, holder = _VALUE_FIELDS[dtype.name]
        values = np.asarray(getattr(proto, field), dtype=holder)
        if dtype.is_complex:
            values = values.view(dtype.as_numpy_dtype)
        elif holder is np.uint16 and dtype.name != "uint16":
            values = values.view(dtype.as_numpy_dtype)
        else:
            values = values.astype(dtype.as_numpy_dtype, copy=False)
    if values.size >= count:
        return values[:count]
    if values.size == 0:
        return np.zeros(count, dtype=values.dtype) if dtype is not dtypes.string else np.full(count, b"", object)
    return np.concatenate([values, np.repeat(values[-1:], count - values.size)])
