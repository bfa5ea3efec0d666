"""``GradientTape``: records ops on watched tensors and walks them back to compute gradients."""
from __future__ import annotations

import contextlib
import enum
import functools
import inspect
from typing import Any, Callable

from . import nest
from .context import state
from .op import OpDef
from .tensor import Tensor

__all__ = ["GradientTape", "UnconnectedGradients", "custom_gradient", "stop_recording", "backward"]


class UnconnectedGradients(enum.Enum):
    """What ``gradient`` returns for sources the target does not depend on."""

    NONE = "none"
    ZERO = "zero"


class TapeEntry:
    """One recorded op call; also the ``entry`` argument of gradient functions."""

    __slots__ = ("opdef", "inputs", "attrs", "outputs", "needs")

    def __init__(self, opdef: OpDef, inputs: tuple, attrs: dict, outputs: tuple) -> None:
        self.opdef = opdef
        self.inputs = inputs
        self.attrs = attrs
        self.outputs = outputs


def _identity_grad(entry: TapeEntry, dy: Any) -> tuple:
    return (dy,)


# Reading a variable: the entry's input is the variable itself, its output the tensor that was read.
READ_VARIABLE = OpDef("ReadVariableOp", forward=None, grad=_identity_grad)


def _is_differentiable(x: Any) -> bool:
    dtype = x.dtype
    return dtype.is_floating or dtype.is_complex or dtype.name == "variant"


class GradientTape:
    """Records operations for automatic differentiation (TF's ``tf.GradientTape``).

    Args:
        persistent: allow several ``gradient``/``jacobian`` calls.
        watch_accessed_variables: watch every trainable variable read while recording.
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True) -> None:
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._entries: list[TapeEntry] = []
        self._watched: set[int] = set()
        self._watched_objects: list = []
        self._variables: dict[int, Any] = {}
        self._read_ids: set[int] = set()  # tensors recorded as a variable's value (graphs reuse one read)
        self._used = False

    def __enter__(self) -> GradientTape:
        state.tapes.append(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._pop()

    def _pop(self) -> None:
        tapes = state.tapes
        for i in range(len(tapes) - 1, -1, -1):
            if tapes[i] is self:
                del tapes[i]
                return

    @property
    def _recording(self) -> bool:
        return any(t is self for t in state.tapes)

    def watch(self, tensor: Any) -> None:
        """Ensures ``tensor`` (or each tensor/variable of a nested structure) is traced by this tape."""
        for t in nest.flatten(tensor):
            if hasattr(t, "_is_variable"):
                self._watch_variable(t)
            elif isinstance(t, Tensor):
                self._watched.add(id(t))
                self._watched_objects.append(t)
            else:
                raise ValueError(f"Passed in object {t!r} of type {type(t).__name__!r}, not tf.Tensor or "
                                 "tf.Variable or ExtensionType.")

    def _watch_variable(self, var: Any) -> None:
        if id(var) not in self._variables:
            self._variables[id(var)] = var
            self._watched.add(id(var))

    def _record(self, op: OpDef, inputs: tuple, attrs: dict, outputs: tuple) -> None:
        watched = self._watched
        for t in inputs:
            if id(t) in watched:
                break
        else:
            return
        self._entries.append(TapeEntry(op, inputs, attrs, outputs))
        for o in outputs:
            watched.add(id(o))

    def _record_variable_read(self, var: Any, value: Tensor) -> None:
        if id(var) not in self._variables:
            if not (self._watch_accessed_variables and var.trainable):
                return
            self._watch_variable(var)
        if id(value) in self._read_ids:
            return
        self._read_ids.add(id(value))
        self._entries.append(TapeEntry(READ_VARIABLE, (var,), {}, (value,)))
        self._watched.add(id(value))

    def stop_recording(self):
        """A context in which this tape does not record (ops run inside are invisible to it).

        Raises:
            ValueError: the tape is not recording.
        """
        if not self._recording:
            raise ValueError("Tape must be recording.")
        return _paused(self)

    def reset(self) -> None:
        """Clears everything recorded so far (the tape keeps recording)."""
        self._entries.clear()
        self._watched.clear()
        self._watched_objects.clear()
        self._variables.clear()

    def watched_variables(self) -> tuple:
        """The variables this tape watches, in the order first watched."""
        return tuple(self._variables.values())

    def gradient(self, target: Any, sources: Any, output_gradients: Any = None,
                 unconnected_gradients: Any = UnconnectedGradients.NONE) -> Any:
        """d(sum of targets)/d(source) for each source, in ``sources``' structure.

        Raises:
            RuntimeError: a non-persistent tape used twice.
            ValueError: a target or source that is not a tensor or variable.
        """
        self._check_usable()
        unconnected = UnconnectedGradients(unconnected_gradients)
        flat_targets = [_as_target(t) for t in nest.flatten(target)]
        flat_sources = nest.flatten(sources)
        for s in flat_sources:
            if not (isinstance(s, Tensor) or hasattr(s, "_is_variable")):
                raise ValueError(f"Cannot differentiate with respect to {s!r} of type {type(s).__name__}: "
                                 "sources must be tensors or variables.")
        flat_out_grads = None if output_gradients is None else nest.flatten(output_gradients)
        with _paused(self):
            grads = backward(self._entries, flat_targets, flat_sources, flat_out_grads, unconnected)
        if not self._persistent:
            self._release()
        return nest.pack_sequence_as(sources, grads)

    def _check_usable(self) -> None:
        if self._used:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one set of "
                               "gradients (or jacobians)")

    def _release(self) -> None:
        self._used = True
        self._entries = []
        self._watched_objects = []

    def jacobian(self, target: Any, sources: Any, unconnected_gradients: Any = UnconnectedGradients.NONE,
                 parallel_iterations: Any = None, experimental_use_pfor: bool = True) -> Any:
        """Full Jacobian ``target.shape + source.shape`` of ``target`` with respect to each source."""
        from .ops import array_ops

        self._check_usable()
        unconnected = UnconnectedGradients(unconnected_gradients)
        target = _as_target(target)
        flat_sources = nest.flatten(sources)
        n = target.shape.num_elements()
        rows: list[list] = [[] for _ in flat_sources]
        with _paused(self):
            for i in range(n):
                seed = array_ops.reshape(array_ops.one_hot(i, n, dtype=target.dtype), array_ops.shape(target))
                grads = backward(self._entries, [target], flat_sources, [seed], UnconnectedGradients.ZERO)
                for r, g in zip(rows, grads):
                    r.append(g)
        out = []
        for src, r in zip(flat_sources, rows):
            src_shape = list(src.shape)
            if unconnected is UnconnectedGradients.NONE and not _depends(self._entries, target, src):
                out.append(None)
            elif n == 0:
                out.append(array_ops.zeros(list(target.shape) + src_shape, dtype=src.dtype))
            else:
                out.append(array_ops.reshape(array_ops.stack(r), list(target.shape) + src_shape))
        if not self._persistent:
            self._release()
        return nest.pack_sequence_as(sources, out)

    def batch_jacobian(self, target: Any, source: Any, unconnected_gradients: Any = UnconnectedGradients.NONE,
                       parallel_iterations: Any = None, experimental_use_pfor: bool = True) -> Any:
        """Per-example Jacobians: ``[batch] + target.shape[1:] + source.shape[1:]``.

        Raises:
            ValueError: target and source batch sizes differ.
        """
        from .ops import array_ops

        self._check_usable()
        target = _as_target(target)
        t_shape, s_shape = list(target.shape), list(source.shape)
        if t_shape[0] != s_shape[0]:
            raise ValueError(f"Need first dimension of target shape ({t_shape}) and source shape "
                             f"({s_shape}) to match.")
        batch = t_shape[0]
        per_example = 1
        for d in t_shape[1:]:
            per_example *= d
        cols = []
        with _paused(self):
            for j in range(per_example):
                seed = array_ops.reshape(
                    array_ops.one_hot(array_ops.fill([batch], j), per_example, dtype=target.dtype), t_shape)
                (g,) = backward(self._entries, [target], [source], [seed], UnconnectedGradients.ZERO)
                cols.append(array_ops.reshape(g, [batch, -1]))
        connected = _depends(self._entries, target, source)
        if not self._persistent:
            self._release()
        if UnconnectedGradients(unconnected_gradients) is UnconnectedGradients.NONE and not connected:
            return None
        if not cols:
            return array_ops.zeros(t_shape + s_shape[1:], dtype=source.dtype)
        return array_ops.reshape(array_ops.stack(cols, axis=1), t_shape + s_shape[1:])


def _as_target(t: Any) -> Tensor:
    if hasattr(t, "_is_variable"):
        return t.read_value()
    if not isinstance(t, Tensor):
        from .tensor import convert_to_tensor

        return convert_to_tensor(t)
    return t


@contextlib.contextmanager
def _paused(tape: GradientTape):
    """Runs gradient code unrecorded by ``tape`` itself but visible to outer tapes (higher order)."""
    tapes = list(state.tapes)
    state.tapes[:] = [t for t in tapes if t is not tape]
    try:
        yield
    finally:
        state.tapes[:] = tapes


def _depends(entries: list, target: Tensor, source: Any) -> bool:
    reach = {id(source)}
    for e in entries:
        if any(id(i) in reach for i in e.inputs):
            reach.update(id(o) for o in e.outputs)
    return id(target) in reach


def backward(entries: list, targets: list, sources: list, output_gradients: list | None,
             unconnected: UnconnectedGradients) -> list:
    """Reverse-mode accumulation over tape ``entries`` from ``targets`` to ``sources``.

    Only entries that lie on a path from a source to a target are visited. Gradients are computed with
    ndflow ops, so an enclosing tape records them (higher-order derivatives).
    """
    from .indexed_slices import add_gradients, densify, pass_through
    from .ops import array_ops

    source_ids = {id(s) for s in sources}
    reach = set(source_ids)
    forward_entries = []
    for e in entries:
        for i in e.inputs:
            if id(i) in reach:
                forward_entries.append(e)
                for o in e.outputs:
                    reach.add(id(o))
                break
    needed = {id(t) for t in targets}
    relevant = []
    for e in reversed(forward_entries):
        for o in e.outputs:
            if id(o) in needed:
                relevant.append(e)
                for i in e.inputs:
                    needed.add(id(i))
                break

    grads: dict[int, Any] = {}
    for k, t in enumerate(targets):
        if output_gradients is not None and output_gradients[k] is not None:
            seed = output_gradients[k]
            if not isinstance(seed, Tensor):
                from .tensor import convert_to_tensor

                seed = convert_to_tensor(seed, dtype=t.dtype)
        else:
            seed = array_ops.ones_like(t)
        _accumulate(grads, id(t), seed, add_gradients)

    for e in relevant:
        dys = [grads.get(id(o)) for o in e.outputs]
        if all(d is None for d in dys):
            continue
        grad_fn = e.opdef.grad
        if grad_fn is None:
            continue
        if len(dys) > 1:
            dys = [array_ops.zeros_like(o) if d is None else d for d, o in zip(dys, e.outputs)]
        e.needs = tuple(id(i) in reach for i in e.inputs)
        in_grads = pass_through(e, dys) or grad_fn(e, *[densify(d) for d in dys])
        for inp, g in zip(e.inputs, in_grads):
            if g is None or id(inp) not in reach or not _is_differentiable(inp):
                continue
            _accumulate(grads, id(inp), g, add_gradients)

    out = []
    for s in sources:
        g = grads.get(id(s))
        if g is None and unconnected is UnconnectedGradients.ZERO:
            g = array_ops.zeros(list(s.shape), dtype=s.dtype)
        elif g is not None and not _is_differentiable(s):
            g = None
        out.append(g)
    return out


def _accumulate(grads: dict, key: int, g: Any, add: Callable) -> None:
    prev = grads.get(key)
    grads[key] = g if prev is None else add(prev, g)


@contextlib.contextmanager
def stop_recording():
    """Stops all tapes from recording inside the block."""
    tapes = list(state.tapes)
    state.tapes[:] = []
    try:
        yield
    finally:
        state.tapes[:] = tapes


def custom_gradient(f: Callable | None = None) -> Callable:
    """Decorator for functions returning ``(y, grad_fn)``: ``grad_fn(*dys)`` gives the input gradients.

    When ``grad_fn`` accepts ``variables``, variables read inside ``f`` are differentiated too and
    ``grad_fn`` returns ``(input_grads, variable_grads)``.
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .tensor import convert_to_tensor

        arg_tensors = [a if isinstance(a, Tensor) or hasattr(a, "_is_variable") else convert_to_tensor(a)
                       for a in args]
        outer = list(state.tapes)
        probe = GradientTape(watch_accessed_variables=True)
        state.tapes[:] = [probe]
        try:
            result, grad_fn = f(*arg_tensors, **kwargs)
        finally:
            state.tapes[:] = outer
        variables = list(probe.watched_variables())
        wants_vars = "variables" in inspect.signature(grad_fn).parameters
        flat_out = nest.flatten(result)
        n_args = len(arg_tensors)

        def grad(entry: TapeEntry, *dys: Any) -> tuple:
            dy = dys[0] if len(dys) == 1 else list(dys)
            if wants_vars:
                in_grads, var_grads = grad_fn(dy, variables=variables)
            else:
                in_grads, var_grads = grad_fn(dy), []
            in_grads = list(in_grads) if isinstance(in_grads, (list, tuple)) else [in_grads]
            return tuple(in_grads[:n_args]) + tuple(var_grads)

        if state.tapes and flat_out:
            op = OpDef("CustomGradient", forward=None, grad=grad, num_outputs=len(flat_out))
            inputs = tuple(arg_tensors) + tuple(variables)
            for tape in state.tapes:
                for var in variables:
                    if tape._watch_accessed_variables and var.trainable:
                        tape._watch_variable(var)
                tape._record(op, inputs, {}, tuple(flat_out))
        return result

    return wrapper
