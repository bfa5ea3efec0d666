"""Composite tensors: values made of several tensors (``SparseTensor``, ``IndexedSlices``, ``TensorArray``).

``nest.flatten(x, expand_composites=True)`` replaces a composite (or its ``TypeSpec``) by its component
tensors (or their ``TensorSpec``s); ``nest.pack_sequence_as(..., expand_composites=True)`` rebuilds it. That
is how ``ndflow.function``, ``while_loop`` and ``cond`` carry composites through graphs.
"""
from __future__ import annotations

from typing import Any

__all__ = ["CompositeTensor", "TypeSpec"]


class TypeSpec:
    """Describes a composite type: its component specs and how to split and rebuild values."""

    _is_composite = True
    _is_type_spec = True

    @property
    def _component_specs(self) -> list:
        """The ``TensorSpec`` of each component, in ``_to_components`` order."""
        raise NotImplementedError

    def _to_components(self, value: Any) -> list:
        """The component tensors of ``value``."""
        raise NotImplementedError

    def _from_components(self, components: list) -> Any:
        """A value of this type built from its component tensors."""
        raise NotImplementedError

    def _key(self) -> tuple:
        """A hashable description used to decide whether a traced function can be reused."""
        raise NotImplementedError

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and other._key() == self._key()

    def __hash__(self) -> int:
        return hash(self._key())


class CompositeTensor:
    """Base class of values made of several tensors; ``_type_spec`` describes their type."""

    _is_composite = True

    @property
    def _type_spec(self) -> TypeSpec:
        raise NotImplementedError


def is_composite(x: Any) -> bool:
    """True for composite values and their ``TypeSpec``s."""
    return getattr(x, "_is_composite", False) is True


def type_spec(x: Any) -> TypeSpec:
    """The ``TypeSpec`` of a composite value (a ``TypeSpec`` is its own)."""
    return x if getattr(x, "_is_type_spec", False) else x._type_spec


def component_specs(x: Any) -> list:
    """The ``TensorSpec`` of each component of a composite value or ``TypeSpec``."""
    return list(type_spec(x)._component_specs)


def components(x: Any) -> list:
    """The component tensors of a composite value, or the component specs of a ``TypeSpec``."""
    if getattr(x, "_is_type_spec", False):
        return list(x._component_specs)
    return list(x._type_spec._to_components(x))


def rebuild(template: Any, parts: list) -> Any:
    """A composite like ``template`` (a value or a ``TypeSpec``) made from ``parts``."""
    return type_spec(template)._from_components(list(parts))
