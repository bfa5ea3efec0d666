"""Run-time side of AutoGraph: statements that stay Python for Python values and become graph control flow
for symbolic tensors.

Every operator receives the statement's blocks as functions plus ``get_state``/``set_state`` over the
variables the blocks assign. Variables that are undefined before a statement and in one of its branches
are temporaries of that statement and are not carried out of it.
"""
from __future__ import annotations

from typing import Any, Callable

from ..graph import GraphTensor

__all__ = ["ld", "Undefined", "if_stmt", "while_stmt", "for_stmt", "range_", "proceed", "and_"]


class Undefined:
    """Marks a variable that has no value yet."""

    __slots__ = ("name",)

    def __init__(self, name: str = "") -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Undefined({self.name!r})"


UNDEFINED = Undefined()


def ld(getter: Callable[[], Any]) -> Any:
    """The value of a variable, or ``UNDEFINED`` when it is not bound yet."""
    try:
        return getter()
    except NameError:
        return UNDEFINED


def _is_symbolic(value: Any) -> bool:
    return isinstance(value, GraphTensor)


def _carried(values: tuple) -> list[int]:
    """Indices of state entries that can be carried through graph control flow."""
    from ..tensor import Tensor

    keep = []
    for i, v in enumerate(values):
        if isinstance(v, Tensor) or hasattr(v, "_as_tensor") or getattr(v, "_is_composite", False) or (
                isinstance(v, (int, float, bool)) and not isinstance(v, Undefined)):
            keep.append(i)
    return keep


def if_stmt(cond: Any, body: Callable, orelse: Callable, get_state: Callable, set_state: Callable,
            names: tuple) -> None:
    """``if cond: body() else: orelse()``; a symbolic ``cond`` builds ``ndflow.cond`` over the state."""
    if not _is_symbolic(cond):
        if hasattr(cond, "numpy"):
            cond = bool(cond)
        if cond:
            body()
        else:
            orelse()
        return
    from .. import composite_tensor
    from ..control_flow import cond_over_state

    initial = get_state()
    specs: dict = {}  # composite state (TensorArray, SparseTensor) travels as its component tensors

    def branch(fn: Callable) -> Callable:
        def run() -> dict:
            set_state(initial)
            fn()
            state = get_state()
            out = {}
            for i in _carried(state):
                if composite_tensor.is_composite(state[i]):
                    specs.setdefault(i, composite_tensor.type_spec(state[i]))
                    out.update({(i, j): c for j, c in enumerate(composite_tensor.components(state[i]))})
                else:
                    out[(i, 0)] = state[i]
            return out
        return run

    results = cond_over_state(cond, branch(body), branch(orelse))
    final = list(initial)
    for i in {i for i, _ in results}:
        parts = [results[key] for key in sorted(key for key in results if key[0] == i)]
        final[i] = composite_tensor.rebuild(specs[i], parts) if i in specs else parts[0]
    set_state(tuple(final))


def while_stmt(test: Callable, body: Callable, get_state: Callable, set_state: Callable, names: tuple) -> None:
    """``while test(): body()``; a symbolic test builds ``ndflow.while_loop`` over the defined variables."""
    first = test()
    if not _is_symbolic(first):
        while bool(first):
            body()
            first = test()
        return
    _graph_loop(test, body, get_state, set_state)


def _graph_loop(test: Callable, body: Callable, get_state: Callable, set_state: Callable) -> None:
    from ..control_flow import while_loop

    initial = get_state()
    keep = _carried(initial)

    def with_values(values: tuple) -> None:
        state = list(initial)
        for i, v in zip(keep, values):
            state[i] = v
        set_state(tuple(state))

    def cond_fn(*values: Any) -> Any:
        with_values(values)
        return test()

    def body_fn(*values: Any) -> tuple:
        with_values(values)
        body()
        state = get_state()
        return tuple(state[i] for i in keep)

    results = while_loop(cond_fn, body_fn, [initial[i] for i in keep])
    with_values(tuple(results))


def proceed(*flags: Any) -> Any:
    """``not any(flags)`` for the break/continue flags; a tensor when any flag is one."""
    if not any(_is_symbolic(f) or hasattr(f, "numpy") for f in flags):
        return not any(flags)
    from ..ops.math_ops import logical_not, logical_or
    from ..tensor import convert_to_tensor

    tensors = [convert_to_tensor(f) for f in flags]
    combined = tensors[0]
    for t in tensors[1:]:
        combined = logical_or(combined, t)
    return logical_not(combined)


def and_(first: Callable, second: Callable) -> Any:
    """Lazy ``first() and second()`` that also works on boolean tensors."""
    a = first()
    if not (_is_symbolic(a) or hasattr(a, "numpy")):
        return second() if a else a
    from ..ops.math_ops import logical_and

    return logical_and(a, second())


def for_stmt(iterable: Any, body: Callable, get_state: Callable, set_state: Callable, names: tuple,
             extra_test: Callable | None = None) -> None:
    """``for item in iterable: body(item)``; a symbolic tensor iterates with ``while_loop`` over its rows.

    ``extra_test`` (from a lowered ``break``) must hold before each iteration.
    """
    if not _is_symbolic(iterable):
        for item in iterable:
            if extra_test is not None:
                go = extra_test()
                if _is_symbolic(go):
                    raise NotImplementedError("break on a tensor condition inside a loop over Python values is "
                                              "not supported yet")
                if not go:
                    break
            body(item)
        return
    from ..ops.array_ops import shape
    from ..ops.indexing_ops import gather
    from ..tensor import convert_to_tensor

    n = shape(iterable)[0]
    index_holder = [convert_to_tensor(0)]
    original_get, original_set = get_state, set_state

    def get_with_index() -> tuple:
        return (index_holder[0],) + tuple(original_get())

    def set_with_index(values: tuple) -> None:
        index_holder[0] = values[0]
        original_set(tuple(values[1:]))

    def test() -> Any:
        if extra_test is None:
            return index_holder[0] < n
        return and_(lambda: index_holder[0] < n, extra_test)

    def step() -> None:
        i = index_holder[0]
        body(gather(iterable, i))
        index_holder[0] = i + 1

    _graph_loop(test, step, get_with_index, set_with_index)


def range_(*args: Any) -> Any:
    """``range`` for Python ints; ``ndflow.range`` when any bound is a symbolic tensor."""
    if any(_is_symbolic(a) for a in args):
        from ..ops.creation_ops import range as tensor_range

        return tensor_range(*args)
    return range(*args)
