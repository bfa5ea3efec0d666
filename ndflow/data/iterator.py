"""Iterators over datasets: ``tf.data.Iterator`` (what ``iter(dataset)`` gives), the NumPy iterator, TF1's
one-shot and initializable iterators (a graph op that ``Session.run`` advances), and ``Optional``."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._core import nest
from .._core.context import state
from .._core.errors import FailedPreconditionError, OutOfRangeError
from .._core.execute import execute
from .._core.function import FuncGraph
from .._core.op import register
from .._core.tensor import EagerTensor
from .._core.tensor_spec import TensorSpec
from .core import close_iterator
from .structure import eager_scope, make_packer

__all__ = ["Iterator", "OwnedIterator", "NumpyIterator", "Optional", "make_one_shot_iterator",
           "make_initializable_iterator", "get_next_as_optional", "get_output_types", "get_output_shapes",
           "get_output_classes"]

_END_OF_SEQUENCE = "End of sequence"


class Iterator:
    """Base class of dataset iterators (``tf.data.Iterator``)."""

    @property
    def element_spec(self) -> Any:
        raise NotImplementedError

    def get_next(self) -> Any:
        """The next element.

        Raises:
            OutOfRangeError: the dataset is exhausted.
        """
        raise NotImplementedError

    def get_next_as_optional(self) -> Optional:
        """The next element wrapped in an ``Optional`` (empty at the end)."""
        try:
            return Optional.from_value(self.get_next())
        except OutOfRangeError:
            return Optional.empty(self.element_spec)

    @property
    def output_types(self) -> Any:
        return get_output_types(self)

    @property
    def output_shapes(self) -> Any:
        return get_output_shapes(self)

    @property
    def output_classes(self) -> Any:
        return get_output_classes(self)


class OwnedIterator(Iterator):
    """The iterator of one pass over a dataset, giving eager tensors; it stops and joins its threads when it
    ends, fails for good or is dropped."""

    def __init__(self, dataset: Any) -> None:
        self._element_spec = dataset.element_spec
        self._pack = make_packer(self._element_spec)
        self._source: Any = None
        with eager_scope():
            self._source = dataset._element_iterator()

    @property
    def element_spec(self) -> Any:
        return self._element_spec

    def __iter__(self) -> OwnedIterator:
        return self

    def __next__(self) -> Any:
        source = self._source
        if source is None:
            raise StopIteration
        try:
            if state.graph is None and not state.tapes:
                leaves = next(source)
            else:
                with eager_scope():
                    leaves = next(source)
        except StopIteration:
            self.close()
            raise
        return self._pack(leaves)

    def get_next(self) -> Any:
        try:
            return self.__next__()
        except StopIteration:
            raise OutOfRangeError(None, None, f"{_END_OF_SEQUENCE} [Op:IteratorGetNext]") from None

    def close(self) -> None:
        """Stops the iteration now, releasing its threads and files."""
        source, self._source = self._source, None
        if source is not None:
            close_iterator(source)

    def __del__(self) -> None:
        self.close()


class NumpyIterator:
    """Elements as NumPy values (``Dataset.as_numpy_iterator()``); string scalars become ``bytes``."""

    def __init__(self, dataset: Any) -> None:
        self._iterator = OwnedIterator(dataset)

    def __iter__(self) -> NumpyIterator:
        return self

    def __next__(self) -> Any:
        return nest.map_structure(_to_numpy, next(self._iterator))

    def __repr__(self) -> str:
        return f"NumpyIterator(iterator={self._iterator!r})"


def _to_numpy(value: Any) -> Any:
    if isinstance(value, EagerTensor):
        arr = value._value
        if isinstance(arr, np.ndarray) and arr.ndim == 0:
            return arr[()]
        return arr
    return value


# -- Optional --------------------------------------------------------------------------------------------------------
class Optional:
    """A value that may be absent (``tf.experimental.Optional``)."""

    def __init__(self, value: Any, element_spec: Any) -> None:
        self._value = value
        self._element_spec = element_spec

    @staticmethod
    def from_value(value: Any) -> Optional:
        from .structure import normalize, structure_spec

        return Optional(value, structure_spec(normalize(value)))

    @staticmethod
    def empty(element_spec: Any) -> Optional:
        return Optional(None, element_spec)

    @property
    def element_spec(self) -> Any:
        return self._element_spec

    def has_value(self, name: str | None = None) -> EagerTensor:
        return EagerTensor(np.bool_(self._value is not None))

    def get_value(self, name: str | None = None) -> Any:
        """The value.

        Raises:
            InvalidArgumentError: the optional is empty.
        """
        if self._value is None:
            from .._core.errors import InvalidArgumentError

            raise InvalidArgumentError(None, None, "The optional does not have a value. [Op:OptionalGetValue]")
        return self._value


def get_next_as_optional(iterator: Iterator) -> Optional:
    """``iterator.get_next_as_optional()``."""
    return iterator.get_next_as_optional()


# -- TF1 graph iterators ---------------------------------------------------------------------------------------------
class _IteratorState:
    """The iterator behind graph ops: ``IteratorGetNext`` advances it, ``MakeIterator`` restarts it."""

    def __init__(self, dataset: Any, one_shot: bool) -> None:
        self.dataset = dataset
        self.iterator: OwnedIterator | None = None
        self.one_shot = one_shot

    def restart(self) -> None:
        if self.iterator is not None:
            self.iterator.close()
        self.iterator = OwnedIterator(self.dataset)

    def next_leaves(self) -> tuple:
        if self.iterator is None:
            if not self.one_shot:
                raise FailedPreconditionError(None, None, "GetNext() failed because the iterator has not been "
                                              "initialized. Ensure that you have run the initializer operation for "
                                              "this iterator before getting the next element.")
            self.restart()
        try:
            with eager_scope():
                source = self.iterator._source
                if source is None:
                    raise StopIteration
                return next(source)
        except StopIteration:
            self.iterator.close()
            raise OutOfRangeError(None, None, _END_OF_SEQUENCE) from None

    def __repr__(self) -> str:
        return f"<iterator over {self.dataset!r}>"


def _components(leaf: Any, spec: Any) -> list:
    if isinstance(spec, TensorSpec):
        return [leaf]
    return [c._value for c in spec._to_components(leaf)]


def _get_next_forward(xp, *, iterator: _IteratorState, specs: tuple):
    leaves = iterator.next_leaves()
    return tuple(part for leaf, spec in zip(leaves, specs) for part in _components(leaf, spec))


def _get_next_specs(*, iterator: _IteratorState, specs: tuple):
    out = []
    for spec in specs:
        for part in ([spec] if isinstance(spec, TensorSpec) else spec._component_specs):
            out.append((part.shape, part.dtype))
    return out


def _make_iterator_forward(xp, *, iterator: _IteratorState):
    iterator.restart()
    return ()


IteratorGetNext = register("IteratorGetNext", _get_next_forward, infer=_get_next_specs, num_outputs=None,
                           stateful=True)
MakeIterator = register("MakeIterator", _make_iterator_forward, infer=lambda **attrs: [], num_outputs=None,
                        stateful=True)


class GraphIterator(Iterator):
    """TF1's ``Iterator``: in graph mode ``get_next()`` is an op that gives the next element each time a session
    runs it (``OutOfRangeError`` at the end)."""

    def __init__(self, dataset: Any, one_shot: bool) -> None:
        self._dataset = dataset
        self._state = _IteratorState(dataset, one_shot)
        self._graph = state.graph
        self._initializer = None

    @property
    def element_spec(self) -> Any:
        return self._dataset.element_spec

    @property
    def initializer(self) -> Any:
        """The op that (re)starts the iteration.

        Raises:
            ValueError: a one-shot iterator (it has none).
        """
        if self._state.one_shot:
            raise ValueError("The iterator does not have an initializer. This means it was likely created using "
                             "`tf.data.Dataset.make_one_shot_iterator()`. For an initializable iterator, use "
                             "`tf.data.Dataset.make_initializable_iterator()` instead.")
        if self._initializer is None:
            self._initializer = self._graph._add_op(MakeIterator, (), {"iterator": self._state}, "MakeIterator", [])
        return self._initializer

    def get_next(self, name: str | None = None) -> Any:
        spec = self.element_spec
        flat = nest.flatten(spec)
        outputs = list(execute(IteratorGetNext, (), {"iterator": self._state, "specs": tuple(flat)},
                               name=name or "IteratorGetNext"))
        leaves = []
        for s in flat:
            if isinstance(s, TensorSpec):
                leaves.append(outputs.pop(0))
            else:
                n = len(s._component_specs)
                leaves.append(s._from_components(outputs[:n]))
                del outputs[:n]
        return nest.pack_sequence_as(spec, leaves)


def _in_graph_mode() -> bool:
    return state.graph is not None and not isinstance(state.graph, FuncGraph)


def make_one_shot_iterator(dataset: Any) -> Iterator:
    """TF1's ``make_one_shot_iterator``: a graph iterator in graph mode, an ordinary iterator eagerly."""
    if _in_graph_mode():
        return GraphIterator(dataset, one_shot=True)
    return OwnedIterator(dataset)


def make_initializable_iterator(dataset: Any, shared_name: str | None = None) -> Iterator:
    """TF1's ``make_initializable_iterator`` (graph mode only).

    Raises:
        RuntimeError: called while executing eagerly.
    """
    if not _in_graph_mode():
        raise RuntimeError("`make_initializable_iterator()` is not supported in eager mode. Use Python-style "
                           "iteration instead.")
    return GraphIterator(dataset, one_shot=False)


def get_output_types(dataset_or_iterator: Any) -> Any:
    return nest.map_structure(lambda s: getattr(s, "dtype", None), dataset_or_iterator.element_spec)


def get_output_shapes(dataset_or_iterator: Any) -> Any:
    return nest.map_structure(lambda s: s.shape, dataset_or_iterator.element_spec)


def get_output_classes(dataset_or_iterator: Any) -> Any:
    from .._core.tensor import Tensor

    return nest.map_structure(lambda s: Tensor if isinstance(s, TensorSpec) else getattr(s, "value_type", type(s)),
                              dataset_or_iterator.element_spec)
