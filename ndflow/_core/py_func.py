"""``py_function`` / ``numpy_function``: run arbitrary Python as an op (inside graphs too)."""
from __future__ import annotations

from typing import Any, Callable

from . import dtypes, nest
from .context import state
from .execute import execute
from .mode import eager_disabled
from .op import register
from .shape import TensorShape
from .tensor import EagerTensor, convert_to_tensor

__all__ = ["py_function", "numpy_function"]


def _numpy_scalar(value: Any) -> Any:
    item = value[()] if hasattr(value, "shape") else value
    return bytes(item) if isinstance(item, bytes) else item


def _call_forward(xp, *arrays, func, Tout, eager_inputs, in_graph=False):
    if eager_inputs:
        args = [EagerTensor(a) for a in arrays]
    else:  # as TF: inside graphs, scalars arrive as NumPy scalars (bytes for strings)
        args = [_numpy_scalar(a) if in_graph and xp.ndim(a) == 0 else xp.asarray(a) for a in arrays]
    # As in TF, the body runs eagerly even when a graph (Session.run, a traced function) runs this op; only
    # ``numpy_function`` under ``disable_eager_execution`` keeps graph mode.
    graph = state.graph
    if eager_inputs or not eager_disabled():
        state.graph = None
    try:
        result = func(*args)
    finally:
        state.graph = graph
    flat = result if isinstance(result, (list, tuple)) else [result]
    outs = []
    for value, dtype in zip(flat, Tout):
        value = value.numpy() if hasattr(value, "numpy") else value
        outs.append(xp.asarray(value, dtype=dtype.as_numpy_dtype if dtype is not dtypes.string else object))
    return tuple(outs)


def _py_function_grad(entry, *dys):
    from .tape import GradientTape

    func = entry.attrs["func"]
    inputs = entry.inputs

    def gradient_of(*values: Any) -> list:
        n = len(inputs)
        xs, seeds = [convert_to_tensor(v) for v in values[:n]], values[n:]
        with GradientTape() as tape:
            tape.watch(xs)
            outs = func(*xs)
        grads = tape.gradient(nest.flatten(outs), xs, output_gradients=list(seeds),
                              unconnected_gradients="zero")
        return grads

    return tuple(py_function(gradient_of, list(inputs) + list(dys), [t.dtype for t in inputs]))


def _unknown_shapes(*specs, func, Tout, eager_inputs, in_graph=False):
    """The outputs' dtypes are declared; their shapes are unknown until ``func`` runs."""
    return [(TensorShape(None), dtype) for dtype in Tout]


PyFunction = register("EagerPyFunc", _call_forward, grad=_py_function_grad, infer=_unknown_shapes,
                      num_outputs=None, stateful=True)
NumpyFunction = register("PyFunc", _call_forward, infer=_unknown_shapes, num_outputs=None, stateful=True)


def _run(op: Any, func: Callable, inp: Any, Tout: Any, eager_inputs: bool) -> Any:
    single = not isinstance(Tout, (list, tuple))
    tout = [dtypes.as_dtype(t) for t in ([Tout] if single else Tout)]
    inputs = tuple(convert_to_tensor(x) for x in (inp if isinstance(inp, (list, tuple)) else [inp]))
    attrs = {"func": func, "Tout": tuple(tout), "eager_inputs": eager_inputs}
    if state.graph is not None and not eager_inputs:
        attrs["in_graph"] = True
    outs = execute(op, inputs, attrs)
    return outs[0] if single else list(outs)


def py_function(func: Callable, inp: Any, Tout: Any, name: str | None = None) -> Any:
    """Calls ``func`` on eager tensors when the op runs; differentiable through ``func``'s own ops."""
    return _run(PyFunction, func, inp, Tout, True)


def numpy_function(func: Callable, inp: Any, Tout: Any, stateful: bool = True, name: str | None = None) -> Any:
    """Calls ``func`` on NumPy arrays when the op runs (no gradient)."""
    return _run(NumpyFunction, func, inp, Tout, False)
