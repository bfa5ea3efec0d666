"""Nested structures (lists, tuples, namedtuples, dicts) as in ``tf.nest``: dict keys are visited sorted."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable

from . import composite_tensor

__all__ = ["is_nested", "flatten", "pack_sequence_as", "map_structure", "assert_same_structure"]


def is_nested(x: Any) -> bool:
    """True for lists, tuples (namedtuples too) and mappings."""
    return isinstance(x, (list, tuple, Mapping))


def _sorted_keys(mapping: Mapping) -> list:
    try:
        return sorted(mapping)
    except TypeError:
        return list(mapping)


def _children(x: Any) -> list:
    if isinstance(x, Mapping):
        return [x[k] for k in _sorted_keys(x)]
    return list(x)


def flatten(structure: Any, expand_composites: bool = False) -> list:
    """The leaves of ``structure`` in TF's order; a non-nested value gives ``[value]``.

    With ``expand_composites``, composite tensors (``SparseTensor`` …) give their component tensors.
    """
    if expand_composites and composite_tensor.is_composite(structure):
        return flatten(composite_tensor.components(structure), True)
    if not is_nested(structure):
        return [structure]
    out: list = []
    for child in _children(structure):
        out.extend(flatten(child, expand_composites))
    return out


def flatten_up_to(shallow: Any, structure: Any) -> list:
    """``structure`` flattened only as deep as ``shallow`` is nested (its leaves may be arrays or lists).

    Raises:
        ValueError: ``structure`` has fewer items than ``shallow`` somewhere.
    """
    if not is_nested(shallow):
        return [structure]
    children = _children(structure) if is_nested(structure) else None
    if children is None or len(children) != len(shallow):
        raise ValueError(f"The two structures don't have the same sequence length. Input structure has length "
                         f"{len(shallow)}, while shallow structure has length "
                         f"{'a non-sequence' if children is None else len(children)}.")
    out: list = []
    for part, child in zip(_children(shallow), children):
        out.extend(flatten_up_to(part, child))
    return out


def _rebuild(template: Any, values: list) -> Any:
    if isinstance(template, Mapping):
        keys = _sorted_keys(template)
        rebuilt = dict(zip(keys, values))
        try:
            return type(template)((k, rebuilt[k]) for k in template)
        except TypeError:
            return {k: rebuilt[k] for k in template}
    if isinstance(template, tuple) and hasattr(template, "_fields"):
        return type(template)(*values)
    if isinstance(template, tuple):
        return tuple(values)
    return list(values)


def pack_sequence_as(structure: Any, flat_sequence: Any, expand_composites: bool = False) -> Any:
    """Rebuilds ``structure``'s shape with the leaves ``flat_sequence``.

    Raises:
        ValueError: the leaf counts differ.
    """
    flat_sequence = list(flat_sequence)
    if not is_nested(structure) and not (expand_composites and composite_tensor.is_composite(structure)):
        if len(flat_sequence) != 1:
            raise ValueError(f"Structure is a scalar but len(flat_sequence) == {len(flat_sequence)} > 1")
        return flat_sequence[0]
    n = len(flatten(structure, expand_composites))
    if n != len(flat_sequence):
        raise ValueError(
            f"Could not pack sequence. Structure had {n} atoms, but flat_sequence had "
            f"{len(flat_sequence)} items. Structure: {structure}, flat_sequence: {flat_sequence}.")
    pos = 0

    def build(s: Any) -> Any:
        nonlocal pos
        if expand_composites and composite_tensor.is_composite(s):
            size = len(flatten(s, True))
            pos += size
            return composite_tensor.rebuild(s, flat_sequence[pos - size:pos])
        if not is_nested(s):
            pos += 1
            return flat_sequence[pos - 1]
        return _rebuild(s, [build(c) for c in _children(s)])

    return build(structure)


def assert_same_structure(a: Any, b: Any, check_types: bool = True, expand_composites: bool = False) -> None:
    """Raises ValueError (or TypeError for differing sequence types) unless ``a`` and ``b`` nest alike."""
    if is_nested(a) != is_nested(b):
        raise ValueError(f"The two structures don't have the same nested structure.\n\nFirst structure: "
                         f"{a}\n\nSecond structure: {b}")
    if not is_nested(a):
        return
    if check_types and type(a) is not type(b):
        raise TypeError(f"The two structures don't have the same sequence type. Input structure has type "
                        f"{type(a)}, while shallow structure has type {type(b)}.")
    ca, cb = _children(a), _children(b)
    if len(ca) != len(cb) or (isinstance(a, Mapping) and _sorted_keys(a) != _sorted_keys(b)):
        raise ValueError(f"The two structures don't have the same nested structure.\n\nFirst structure: "
                         f"{a}\n\nSecond structure: {b}")
    for x, y in zip(ca, cb):
        assert_same_structure(x, y, check_types)


def map_structure(func: Callable, *structures: Any, **kwargs: Any) -> Any:
    """Applies ``func`` leaf-wise across structures of the same shape."""
    if not structures:
        raise ValueError("Must provide at least one structure")
    for other in structures[1:]:
        assert_same_structure(structures[0], other, kwargs.get("check_types", True))
    expand = kwargs.get("expand_composites", False)
    flats = [flatten(s, expand) for s in structures]
    return pack_sequence_as(structures[0], [func(*xs) for xs in zip(*flats)], expand)
