"""``ndflow.print``, ``group``, ``no_op``, ``tuple``: ops that matter for their effects and ordering."""
from __future__ import annotations

import sys
from typing import Any

import numpy as np

from . import nest
from .context import state
from .graph import NoOp, Operation
from .op import register
from .tensor import Tensor, convert_to_tensor

__all__ = ["print_v2", "group", "no_op", "tuple_"]


def _format_value(value: Any, summarize: int) -> str:
    arr = np.asarray(value)
    if arr.dtype.kind == "O":
        if arr.ndim == 0:
            item = arr.item()
            return item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)
        arr = np.vectorize(lambda b: b.decode("utf-8", "replace") if isinstance(b, bytes) else str(b),
                           otypes=[object])(arr)
        return np.array2string(arr, separator=" ", formatter={"all": lambda s: f'"{s}"'},
                               threshold=summarize * 2 if summarize > 0 else sys.maxsize,
                               edgeitems=max(summarize, 1))
    threshold = sys.maxsize if summarize is None or summarize < 0 else max(2 * summarize, 1)
    return np.array2string(arr, separator=" ", threshold=threshold, edgeitems=max(summarize or 3, 1))


def _print_forward(xp, *values, template, output_stream, end, summarize):
    parts = []
    it = iter(values)
    for piece in template:
        parts.append(_format_value(next(it), summarize) if piece is None else piece)
    stream = {"stderr": sys.stderr, "stdout": sys.stdout}.get(output_stream, output_stream)
    if callable(stream):
        stream("".join(parts))
    else:
        stream.write("".join(parts) + end)
        stream.flush()
    return ()


PrintV2 = register("PrintV2", _print_forward, num_outputs=0, stateful=True)


def print_v2(*inputs: Any, output_stream: Any = "stderr", summarize: int = 3, sep: str = " ", end: str = "\n",
             name: str | None = None) -> Any:
    """Prints tensors (and Python values) when the op runs: immediately eagerly, on each call in graphs.

    Tensors print like NumPy arrays, summarised to ``summarize`` items per dimension at each end.
    """
    template: list = []
    tensors = []
    for i, value in enumerate(inputs):
        if i:
            template.append(sep)
        if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
            template.append(None)
            tensors.append(convert_to_tensor(value))
        else:
            template.append(str(nest.map_structure(lambda v: v, value)) if not isinstance(value, str) else value)
    if output_stream is sys.stderr:
        output_stream = "stderr"
    elif output_stream is sys.stdout:
        output_stream = "stdout"
    attrs = {"template": tuple(template), "output_stream": output_stream, "end": end, "summarize": summarize}
    graph = state.graph
    if graph is None:
        _print_forward(None, *[t.numpy() for t in tensors], **attrs)
        return None
    return graph._add_op(PrintV2, tuple(tensors), attrs, name or "PrintV2", [])


def no_op(name: str | None = None) -> Operation | None:
    """An op that does nothing (a hook for control dependencies)."""
    graph = state.graph
    if graph is None:
        return None
    return graph._add_op(NoOp, (), {}, name or "NoOp", [])


def group(*inputs: Any, name: str | None = None) -> Operation | None:
    """One op that runs after all ``inputs`` (ops or tensors)."""
    graph = state.graph
    if graph is None:
        return None
    deps = [x.op if hasattr(x, "op") and not isinstance(x, Operation) else x for x in nest.flatten(inputs)]
    deps = [d.initializer if hasattr(d, "_is_variable") else d for d in deps if d is not None]
    with graph.control_dependencies(deps):
        return graph._add_op(NoOp, (), {}, name or "group_deps", [])


def tuple_(tensors: Any, name: str | None = None, control_inputs: Any = None) -> list:
    """The ``tensors``, each available only after all of them (and ``control_inputs``) are computed."""
    from .ops.array_ops import identity

    graph = state.graph
    if graph is None:
        return list(tensors)
    gate = group(*[t for t in tensors if t is not None], *(control_inputs or []))
    with graph.control_dependencies([gate]):
        return [None if t is None else identity(t) for t in tensors]


def _tf1_print_forward(xp, input_, *data, message, summarize):
    parts = [message] + [_format_value(d, summarize) for d in data]
    sys.stderr.write("".join(parts[:1]) + " ".join(parts[1:]) + "\n")
    sys.stderr.flush()
    return input_


TF1Print = register("Print", _tf1_print_forward, grad=lambda entry, dy: (dy,) + (None,) * (len(entry.inputs) - 1),
                    infer=lambda input_, *data, **attrs: [input_], stateful=True)


def tf1_print(input_: Any, data: Any, message: str | None = None, first_n: Any = None, summarize: int | None = None,
              name: str | None = None) -> Any:
    """TF1's ``tf.Print``: ``input_`` unchanged, printing ``message`` and ``data`` (to stderr) when it runs."""
    tensors = tuple(convert_to_tensor(d) for d in data)
    from .execute import execute

    return execute(TF1Print, (convert_to_tensor(input_), *tensors),
                   {"message": message or "", "summarize": 3 if summarize is None else summarize}, name)
