"""Dataset elements: their specs, the conversion of Python values to *leaves*, and back to tensors.

Inside a pipeline an element travels as a tuple of leaves, one per ``nest.flatten(element_spec)`` entry: a NumPy
array (or NumPy scalar) for a ``TensorSpec``, the value itself for a ``DatasetSpec`` or a composite ``TypeSpec``
(``SparseTensor`` …). Tensors are made only when an element reaches user code. While a dataset function is
traced, leaves may be symbolic graph tensors instead; such datasets describe specs and cannot be iterated.
"""
from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any, Callable

import numpy as np

from .._core import dtypes, nest
from .._core.context import state
from .._core.graph import GraphTensor
from .._core.shape import TensorShape
from .._core.tensor import EagerTensor, Tensor, convert_to_tensor
from .._core.tensor_spec import TensorSpec

__all__ = ["DatasetSpec", "eager_scope", "normalize", "spec_of", "to_leaf", "leaves_of", "make_packer",
           "is_symbolic", "describe", "flatten_up_to"]


@contextlib.contextmanager
def eager_scope():
    """Runs the block eagerly: no graph being built, no tape recording (datasets are not differentiable)."""
    graph, tapes = state.graph, state.tapes
    if graph is None and not tapes:
        yield
        return
    state.graph, state.tapes = None, []
    try:
        yield
    finally:
        state.graph, state.tapes = graph, tapes


class DatasetSpec:
    """The type of a dataset used as an element (``window`` gives datasets of datasets).

    Args:
        element_spec: the nested dataset's ``element_spec``.
        dataset_shape: the shape of the dataset value itself (``[]`` for one dataset).
    """

    def __init__(self, element_spec: Any, dataset_shape: Any = ()) -> None:
        self._element_spec = element_spec
        self._dataset_shape = TensorShape(dataset_shape)

    @property
    def element_spec(self) -> Any:
        return self._element_spec

    @property
    def shape(self) -> TensorShape:
        return self._dataset_shape

    @property
    def value_type(self) -> type:
        from .dataset import Dataset

        return Dataset

    @classmethod
    def from_value(cls, value: Any) -> DatasetSpec:
        return cls(value.element_spec)

    def is_compatible_with(self, other: Any) -> bool:
        spec = other if isinstance(other, DatasetSpec) else getattr(other, "_type_spec", None)
        return isinstance(spec, DatasetSpec) and _same_structure(spec._element_spec, self._element_spec) and all(
            _leaf_compatible(a, b) for a, b in zip(nest.flatten(self._element_spec), nest.flatten(spec._element_spec)))

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, DatasetSpec) and describe(self._element_spec) == describe(other._element_spec) \
            and self._dataset_shape == other._dataset_shape

    def __hash__(self) -> int:
        return hash((describe(self._element_spec), self._dataset_shape))

    def __repr__(self) -> str:
        return f"DatasetSpec({self._element_spec!r}, {self._dataset_shape!r})"


def _same_structure(a: Any, b: Any) -> bool:
    try:
        nest.assert_same_structure(a, b)
    except (ValueError, TypeError):
        return False
    return True


def _leaf_compatible(spec: Any, other: Any) -> bool:
    if isinstance(spec, TensorSpec) and isinstance(other, TensorSpec):
        return spec.dtype == other.dtype and spec.shape.is_compatible_with(other.shape)
    return spec == other


def describe(spec: Any) -> str:
    """A hashable text of a spec nest (used to compare and key them)."""
    return repr(spec)


def is_dataset(value: Any) -> bool:
    return getattr(value, "_is_ndflow_dataset", False) is True


def _is_composite(value: Any) -> bool:
    return getattr(value, "_is_composite", False) is True and not getattr(value, "_is_type_spec", False)


def is_symbolic(leaf: Any) -> bool:
    """True for graph tensors (and composites made of them): values of a function being traced."""
    if isinstance(leaf, GraphTensor):
        return True
    if _is_composite(leaf):
        return any(isinstance(c, GraphTensor) for c in nest.flatten(leaf, expand_composites=True))
    return False


def normalize(value: Any) -> Any:
    """TF's element normalization: tuples and dicts are structure, lists (and everything else) become tensors."""
    if isinstance(value, Mapping):
        return type(value)((k, normalize(v)) for k, v in value.items()) if type(value) is not dict \
            else {k: normalize(v) for k, v in value.items()}
    if isinstance(value, tuple):
        items = [normalize(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    return to_leaf(value)


def to_leaf(value: Any, dtype: Any = None) -> Any:
    """One leaf: an array for tensor-like values; datasets, composites and graph tensors unchanged.

    Raises:
        TypeError / ValueError: the value cannot be a tensor (as ``convert_to_tensor`` raises).
    """
    if isinstance(value, EagerTensor):
        return value._value if dtype is None else convert_to_tensor(value, dtype)._value
    if is_dataset(value) or _is_composite(value) or isinstance(value, GraphTensor):
        return value
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor") or hasattr(value, "read_value"):
        with eager_scope():
            return convert_to_tensor(value, dtype)._value
    if isinstance(value, (list, tuple)) and any(isinstance(v, GraphTensor) for v in nest.flatten(list(value))):
        return convert_to_tensor(value, dtype)
    with eager_scope():
        return convert_to_tensor(value, dtype)._value


def spec_of(leaf: Any) -> Any:
    """The spec of one leaf (array, tensor, dataset or composite)."""
    if isinstance(leaf, (np.ndarray, np.generic)):
        return TensorSpec(leaf.shape, dtypes.from_numpy(leaf.dtype))
    if isinstance(leaf, Tensor):
        return TensorSpec(leaf.shape, leaf.dtype)
    if is_dataset(leaf):
        return DatasetSpec(leaf.element_spec)
    if _is_composite(leaf):
        return leaf._type_spec
    raise TypeError(f"Cannot describe {leaf!r} as a dataset element.")


def structure_spec(structure: Any) -> Any:
    """The spec nest of a normalized element structure."""
    return nest.map_structure(spec_of, structure)


def leaves_of(value: Any, spec: Any, what: str) -> tuple:
    """The leaves of a user-made element ``value`` that must fit ``spec`` (converted to its dtypes).

    ``what`` starts the error messages (``"`generator` yielded"``).

    Raises:
        TypeError: ``value`` has another structure than ``spec``, or a leaf cannot have its dtype.
        ValueError: a leaf has an incompatible shape.
    """
    try:
        flat = flatten_up_to(spec, value)
    except (ValueError, TypeError, KeyError):
        types = nest.map_structure(lambda s: getattr(s, "dtype", s), spec)
        raise TypeError(f"{what} an element that did not match the expected structure. The expected structure was "
                        f"{types}, but the {what.split()[-1]} element was {value}.") from None
    out = []
    for leaf_spec, leaf in zip(nest.flatten(spec), flat):
        if isinstance(leaf_spec, TensorSpec):
            arr = _as_array(leaf, leaf_spec, what)
            if not leaf_spec.shape.is_compatible_with(arr.shape):
                raise TypeError(f"{what} an element of shape {TensorShape(arr.shape)} where an element of shape "
                                f"{leaf_spec.shape} was expected.")
            out.append(arr)
        else:
            out.append(leaf)
    return tuple(out)


def _as_array(value: Any, spec: TensorSpec, what: str) -> Any:
    if isinstance(value, EagerTensor) and value.dtype == spec.dtype:
        return value._value
    try:
        if spec.dtype is dtypes.string:
            return to_leaf(value, dtypes.string)
        arr = np.asarray(value.numpy() if isinstance(value, EagerTensor) else value)
        if arr.dtype.kind in "OSU":
            raise TypeError
        return arr.astype(spec.dtype.as_numpy_dtype, copy=False)
    except (TypeError, ValueError):
        raise TypeError(f"{what} an element that could not be converted to the expected type. The expected type "
                        f"was {spec.dtype.name}, but the {what.split()[-1]} element was {value!r}.") from None


def _wrapper_for(spec: Any) -> Callable[[Any], Any]:
    if isinstance(spec, TensorSpec):
        dtype = spec.dtype
        return lambda leaf: EagerTensor(leaf, dtype)
    return lambda leaf: leaf


def make_packer(spec: Any) -> Callable[[tuple], Any]:
    """A function turning an element's leaves into the user's structure of eager tensors (and datasets …)."""
    flat = nest.flatten(spec)
    wrappers = [_wrapper_for(s) for s in flat]
    if not nest.is_nested(spec):
        wrap = wrappers[0]
        return lambda leaves: wrap(leaves[0])
    if type(spec) is tuple and all(isinstance(s, TensorSpec) for s in spec):
        types = [s.dtype for s in spec]
        return lambda leaves: tuple(EagerTensor(v, t) for v, t in zip(leaves, types))
    return lambda leaves: nest.pack_sequence_as(spec, [w(v) for w, v in zip(wrappers, leaves)])


def unbatched_spec(spec: Any, what: str) -> Any:
    """The spec of one row of ``spec`` (its first dimension removed).

    Raises:
        ValueError: a scalar (or unknown-rank) component.
    """
    if not isinstance(spec, TensorSpec):
        raise NotImplementedError(f"{what} of {type(spec).__name__} elements is not supported yet")
    if spec.shape.rank == 0:
        raise ValueError(f"Cannot {what} an input with scalar components.")
    if spec.shape.rank is None:
        return TensorSpec(None, spec.dtype)
    return TensorSpec(spec.shape[1:], spec.dtype)


def flatten_up_to(spec: Any, value: Any) -> list:
    """``value``'s items matching ``spec``'s leaves (``value`` may hold lists where ``spec`` has a leaf).

    Raises:
        ValueError: ``value`` does not have ``spec``'s structure.
    """
    if isinstance(spec, dict):
        return [x for k in sorted(spec) for x in flatten_up_to(spec[k], value[k])]
    if isinstance(spec, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(spec):
            raise ValueError(f"The padded shapes or values {value} do not match the element structure {spec}.")
        return [x for s, v in zip(spec, value) for x in flatten_up_to(s, v)]
    return [value]
