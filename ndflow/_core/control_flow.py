"""Control flow: ``cond``, ``case``, ``switch_case``, ``while_loop`` and the functional loops.

Executing eagerly they are plain Python. In a graph, each branch or loop body is traced into a nested
graph; an ``If``/``While`` op runs the chosen nested graph with the outer tensors it captured. Gradients
of ``If`` re-trace the branch under a tape (the forward is recomputed inside the gradient branch).
"""
from __future__ import annotations

from typing import Any, Callable

from . import nest
from .context import state
from .errors import InvalidArgumentError
from .executor import Plan
from .graph import Graph, GraphTensor, placeholder_in
from .graph_variables import stale_captured_reads
from .op import register
from .shape import TensorShape
from .tensor import EagerTensor, Tensor, convert_to_tensor

__all__ = ["cond", "case", "switch_case", "while_loop", "map_fn", "scan", "foldl", "foldr"]


class _SubGraph(Graph):
    """A branch or loop body nested in ``outer``; outer tensors it uses become captured placeholders."""

    _lifts_variables = False

    def __init__(self, outer: Graph, name: str) -> None:
        super().__init__()
        self.outer_graph = outer
        self._elementwise_equality = outer._elementwise_equality
        self.name = name
        self.inputs: list[GraphTensor] = []
        self.outputs: list[GraphTensor] = []


class _Traced:
    """A traced nested graph with a plan from (explicit inputs + captures) to outputs."""

    def __init__(self, graph: _SubGraph, structure: Any) -> None:
        self.graph = graph
        self.structure = structure
        self.captured_outer = [outer for outer, _ in graph.captures]
        feeds = graph.inputs + [inner for _, inner in graph.captures]
        stateful = [op for op in graph._ops if op.opdef.stateful and op.type not in ("Placeholder",
                                                                                     "ReadVariableOp")]
        self.plan = Plan(graph, graph.outputs, stateful, feeds)

    def run(self, inputs: list, captured: dict) -> list:
        values = list(inputs) + [captured[id(t)] for t in self.captured_outer]
        return self.plan.run(values)


def _trace(fn: Callable, name: str, input_specs: list | None = None, allow_none: bool = False,
           fresh_reads: frozenset = frozenset()) -> _Traced:
    """Traces ``fn`` into a nested graph; with ``allow_none``, None outputs stay None (not graph outputs).

    Variables in ``fresh_reads`` are read inside the nested graph instead of captured from the outer one.
    """
    outer = state.graph
    graph = _SubGraph(outer, name)
    graph._fresh_reads = fresh_reads
    with graph.as_default():
        args = [placeholder_in(graph, dtype, shape, "loop_var") for shape, dtype in (input_specs or [])]
        graph.inputs = list(args)
        result = fn(*args) if input_specs is not None else fn()
        flat = [_to_graph(graph, r) for r in nest.flatten(result) if r is not None or not allow_none]
    graph.outputs = flat
    return _Traced(graph, result)


def _differentiable(dtype: Any) -> bool:
    """Floating and complex tensors carry gradients, and so do TensorArray flows (``variant``)."""
    return dtype.is_floating or dtype.is_complex or dtype.name == "variant"


def _to_graph(graph: Graph, value: Any) -> GraphTensor:
    if hasattr(value, "_as_tensor"):
        value = value._as_tensor()
    if not isinstance(value, Tensor):
        value = convert_to_tensor(value)
    return graph.capture(value)


# ---------------------------------------------------------------------------------------------------------
# If


def _if_forward(xp, pred, *captured, branches, fns, outer_ids):
    branch = branches[0] if bool(pred) else branches[1]
    values = dict(zip(outer_ids, captured))
    return tuple(branch.run([], values))


def _if_grad(entry, *dys):
    from .ops.array_ops import zeros_like
    from .tape import GradientTape

    pred, captured = entry.inputs[0], entry.inputs[1:]
    true_fn, false_fn = entry.attrs["fns"]

    def branch_gradient(fn: Callable) -> Callable:
        def grads() -> list:
            graph = state.graph
            with GradientTape(persistent=True) as tape:
                if graph is not None:
                    graph._capture_watchers.append(tape)
                else:
                    tape.watch([c for c in captured])
                outs = [o for o in nest.flatten(fn()) if o is not None]
                if graph is not None:
                    outs = [_to_graph(graph, o) for o in outs]
            sources = []
            for c in captured:
                known = graph._captures.get(id(c)) if graph is not None else None
                sources.append(known[1] if known is not None else (c if graph is None else None))
            result = []
            for c, src in zip(captured, sources):
                g = None
                if src is not None and _differentiable(c.dtype):
                    g = tape.gradient(outs, src, output_gradients=list(dys))
                result.append(zeros_like(c) if g is None else g)
            return result
        return grads

    return (None, *cond(pred, branch_gradient(true_fn), branch_gradient(false_fn)))


If = register("If", _if_forward, grad=_if_grad, num_outputs=None, stateful=True)


def _check_branch_outputs(t: _Traced, f: _Traced) -> None:
    try:
        nest.assert_same_structure(t.structure, f.structure, check_types=False)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"true_fn and false_fn arguments to tf.cond must have the same number, type, and "
                         f"overall structure of return values. {exc}") from None
    t_none = [leaf is None for leaf in nest.flatten(t.structure)]
    f_none = [leaf is None for leaf in nest.flatten(f.structure)]
    if t_none != f_none:
        raise ValueError(f"Lengths of branch outputs of cond must match.\nlen(graphs[0].outputs): "
                         f"{len(t.graph.outputs)}\nlen(graphs[1].outputs): {len(f.graph.outputs)}")
    for a, b in zip(t.graph.outputs, f.graph.outputs):
        if a.dtype != b.dtype:
            raise TypeError(f"true_fn and false_fn arguments to tf.cond must have the same dtypes: "
                            f"{a.dtype.name} vs {b.dtype.name}")


def cond(pred: Any, true_fn: Callable | None = None, false_fn: Callable | None = None,
         name: str | None = None) -> Any:
    """``true_fn()`` if ``pred`` else ``false_fn()``; in graphs, both are traced and one runs.

    Raises:
        TypeError: a missing branch, or branches whose outputs differ in dtype.
        ValueError: branches returning different structures.
    """
    if true_fn is None or false_fn is None:
        raise TypeError("cond(): 'true_fn' and 'false_fn' arguments are required")
    graph = state.graph
    if graph is None or not isinstance(pred, GraphTensor):
        value = pred.numpy() if isinstance(pred, EagerTensor) else pred
        if isinstance(pred, GraphTensor):
            raise TypeError("pred must be a tensor of the current graph")
        return true_fn() if bool(value) else false_fn()
    t = _trace(true_fn, "cond_true", allow_none=True)
    f = _trace(false_fn, "cond_false", allow_none=True)
    _check_branch_outputs(t, f)
    return _build_if(graph, pred, t, f, (true_fn, false_fn), name)


def cond_over_state(pred: GraphTensor, true_fn: Callable, false_fn: Callable) -> dict:
    """``cond`` for AutoGraph: branches return ``{index: value}``; only indices both define are outputs."""
    graph = state.graph
    t = _trace(true_fn, "cond_true", allow_none=True)
    f = _trace(false_fn, "cond_false", allow_none=True)
    keep = sorted(set(t.structure) & set(f.structure))
    if not keep:
        return {}
    t, f = _select(t, keep), _select(f, keep)
    _check_branch_outputs(t, f)

    def pick(fn: Callable) -> Callable:
        return lambda: tuple(fn()[k] for k in keep)

    results = _build_if(graph, pred, t, f, (pick(true_fn), pick(false_fn)), None)
    return dict(zip(keep, results))


def _select(traced: _Traced, keep: list) -> _Traced:
    keys = [k for k in sorted(traced.structure) if traced.structure[k] is not None]
    by_key = dict(zip(keys, traced.graph.outputs))
    traced.graph.outputs = [by_key[k] for k in keep if k in by_key]
    return _Traced(traced.graph, tuple(traced.structure[k] for k in keep))


def _build_if(graph: Graph, pred: GraphTensor, t: _Traced, f: _Traced, fns: tuple, name: str | None) -> Any:
    captured: list = []
    for outer in t.captured_outer + f.captured_outer:
        if not any(outer is c for c in captured):
            captured.append(outer)
    specs = [(a.shape.merge_with(b.shape) if a.shape.is_compatible_with(b.shape)
              else TensorShape([None] * a.shape.rank) if a.shape.rank == b.shape.rank else TensorShape(None),
              a.dtype) for a, b in zip(t.graph.outputs, f.graph.outputs)]
    attrs = {"branches": (t, f), "fns": fns, "outer_ids": tuple(id(c) for c in captured)}
    op = graph._add_op(If, (pred, *captured), attrs, name or "cond", specs)
    outputs = list(op.outputs)
    for tape in state.tapes:
        tape._record(If, (pred, *captured), attrs, tuple(outputs))
    results = iter(outputs)
    leaves = [None if leaf is None else next(results) for leaf in nest.flatten(t.structure)]
    return nest.pack_sequence_as(t.structure, leaves)


def case(pred_fn_pairs: Any, default: Callable | None = None, exclusive: bool = False, strict: bool = False,
         name: str = "case") -> Any:
    """The function of the first true predicate (``default`` when none is true)."""
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else list(pred_fn_pairs)
    if not pairs:
        if default is None:
            raise ValueError("pred_fn_pairs must not be empty when default is None")
        return default()
    if default is None:
        default = pairs[-1][1]
        pairs = pairs[:-1]
        if not pairs:
            return default()
    result = default
    for pred, fn in reversed(pairs):
        result = _bind_cond(pred, fn, result)
    return result()


def _bind_cond(pred: Any, fn: Callable, otherwise: Callable) -> Callable:
    return lambda: cond(pred, fn, otherwise)


def switch_case(branch_index: Any, branch_fns: Any, default: Callable | None = None,
                name: str = "switch_case") -> Any:
    """``branch_fns[branch_index]()``; out-of-range indices run ``default`` (the last branch if None)."""
    from .ops.math_ops import equal

    fns = list(branch_fns.items()) if isinstance(branch_fns, dict) else list(enumerate(branch_fns))
    fns = sorted(fns)
    default = default if default is not None else fns[-1][1]
    if not isinstance(branch_index, GraphTensor):
        index = int(branch_index.numpy() if isinstance(branch_index, EagerTensor) else branch_index)
        return dict(fns).get(index, default)()
    return case([(equal(branch_index, i), fn) for i, fn in fns], default=default)


# ---------------------------------------------------------------------------------------------------------
# While


def _while_forward(xp, *values, n_vars, cond_fn, body_fn, body_py, outer_ids, max_iter):
    loop = list(values[:n_vars])
    captured = dict(zip(outer_ids, values[n_vars:]))
    steps = 0
    while bool(cond_fn.run(loop, captured)[0]):
        if max_iter is not None and steps >= max_iter:
            break
        loop = body_fn.run(loop, captured)
        steps += 1
    return tuple(loop)


def _while_grad(entry, *dys):
    """Reverse pass of a graph ``While``: a ``WhileGrad`` op that replays the loop, keeping every state, then
    applies the body's gradient graph (traced here from the Python body) from the last iteration back."""
    from .ops.array_ops import zeros_like
    from .tape import GradientTape

    n_vars = entry.attrs["n_vars"]
    loop_inputs, forward_captured = entry.inputs[:n_vars], entry.inputs[n_vars:]
    graph = state.graph
    specs = [(t.shape, t.dtype) for t in entry.outputs]
    body_py = entry.attrs["body_py"]

    def body_gradient(*args: Any) -> list:
        sub = state.graph
        values, seeds = list(args[:n_vars]), list(args[n_vars:])
        with GradientTape(persistent=True) as tape:
            sub._capture_watchers.append(tape)
            tape.watch(values)
            outs = [_to_graph(sub, o) for o in nest.flatten(body_py(*values))]
        float_outs = [(o, s) for o, s in zip(outs, seeds) if _differentiable(o.dtype)]
        targets, weights = [o for o, _ in float_outs], [s for _, s in float_outs]

        def grad_of(source: Any) -> Any:
            g = tape.gradient(targets, source, output_gradients=weights, unconnected_gradients="zero") \
                if targets else None
            return zeros_like(source) if g is None else g

        grads = [grad_of(v) if _differentiable(v.dtype) else zeros_like(v) for v in values]
        for c in forward_captured:
            known = sub._captures.get(id(c))
            inner = known[1] if known is not None else None
            grads.append(grad_of(inner) if inner is not None and _differentiable(c.dtype)
                         else zeros_like(c))
        return grads

    grad_traced = _trace(body_gradient, "while_body_grad", specs + specs)
    captured = list(forward_captured)
    for outer in grad_traced.captured_outer:
        if not any(outer is c for c in captured):
            captured.append(outer)
    attrs = dict(entry.attrs, grad_fn=grad_traced, outer_ids=tuple(id(c) for c in captured),
                 n_captured=len(captured))
    out_specs = [(t.shape, t.dtype) for t in entry.inputs]
    op = graph._add_op(WhileGrad, (*loop_inputs, *captured, *dys), attrs, "while_grad", out_specs)
    return tuple(op.outputs)


def _while_grad_forward(xp, *values, n_vars, cond_fn, body_fn, body_py, grad_fn, outer_ids, n_captured,
                        max_iter):
    loop = list(values[:n_vars])
    captured = dict(zip(outer_ids, values[n_vars:n_vars + n_captured]))
    dys = list(values[n_vars + n_captured:])
    states = []
    while bool(cond_fn.run(loop, captured)[0]):
        if max_iter is not None and len(states) >= max_iter:
            break
        states.append(loop)
        loop = body_fn.run(loop, captured)
    n_forward_captured = len(grad_fn.graph.outputs) - n_vars
    grad_vars = dys
    grad_captured = [xp.zeros_like(values[n_vars + i]) for i in range(n_forward_captured)]
    for loop_state in reversed(states):
        out = grad_fn.run(list(loop_state) + list(grad_vars), captured)
        grad_vars = out[:n_vars]
        grad_captured = [a + b for a, b in zip(grad_captured, out[n_vars:])]
    extra = [xp.zeros_like(v) for v in values[n_vars + n_forward_captured:n_vars + n_captured]]
    return tuple(grad_vars) + tuple(grad_captured) + tuple(extra)


While = register("While", _while_forward, grad=_while_grad, num_outputs=None, stateful=True)
WhileGrad = register("WhileGrad", _while_grad_forward, num_outputs=None, stateful=True)


def while_loop(cond: Callable, body: Callable, loop_vars: Any, shape_invariants: Any = None,
               parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
               maximum_iterations: Any = None, name: str | None = None) -> Any:
    """Repeats ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``; returns the final loop_vars.

    Raises:
        ValueError: ``body`` changes a loop variable's shape beyond its shape invariant.
    """
    structure = loop_vars
    flat = nest.flatten(loop_vars, expand_composites=True)
    graph = state.graph
    if graph is None:
        return _eager_while(cond, body, loop_vars, maximum_iterations)
    flat = [graph.capture(convert_to_tensor(v) if not isinstance(v, Tensor) else v) for v in flat]
    invariants = nest.flatten(shape_invariants) if shape_invariants is not None else [v.shape for v in flat]
    specs = [(TensorShape(s), v.dtype) for s, v in zip(invariants, flat)]

    def body_py(*args: Any) -> Any:
        return nest.flatten(_call_packed(body, structure, args), expand_composites=True)

    cond_traced = _trace(lambda *a: _call_packed(cond, structure, a), "while_cond", specs)
    body_traced = _trace(body_py, "while_body", specs)
    stale = stale_captured_reads(body_traced.graph) | stale_captured_reads(cond_traced.graph)
    if stale:  # the loop assigns variables it read from outside: read them afresh on every iteration
        cond_traced = _trace(lambda *a: _call_packed(cond, structure, a), "while_cond", specs,
                             fresh_reads=frozenset(stale))
        body_traced = _trace(body_py, "while_body", specs, fresh_reads=frozenset(stale))
    for spec, out in zip(specs, body_traced.graph.outputs):
        if not spec[0].is_compatible_with(out.shape):
            raise ValueError(f"Input tensor enters the loop with shape {spec[0]}, but has shape {out.shape} "
                             "after one iteration. To allow the shape to vary across iterations, use the "
                             "`shape_invariants` argument of tf.while_loop to specify a less-specific shape.")
    captured: list = []
    for outer in cond_traced.captured_outer + body_traced.captured_outer:
        if not any(outer is c for c in captured):
            captured.append(outer)
    max_iter = None if maximum_iterations is None else int(maximum_iterations)
    attrs = {"n_vars": len(flat), "cond_fn": cond_traced, "body_fn": body_traced, "body_py": body_py,
             "outer_ids": tuple(id(c) for c in captured), "max_iter": max_iter}
    op = graph._add_op(While, (*flat, *captured), attrs, name or "while", specs)
    for tape in state.tapes:
        tape._record(While, op.inputs, attrs, tuple(op.outputs))
    return nest.pack_sequence_as(structure, list(op.outputs), expand_composites=True)


def _call_packed(fn: Callable, structure: Any, args: tuple) -> Any:
    packed = nest.pack_sequence_as(structure, list(args), expand_composites=True)
    if isinstance(structure, (list, tuple)) and not hasattr(structure, "_fields"):
        return fn(*packed)
    return fn(packed)


def _eager_while(cond: Callable, body: Callable, loop_vars: Any, maximum_iterations: Any) -> Any:
    is_seq = isinstance(loop_vars, (list, tuple)) and not hasattr(loop_vars, "_fields")
    steps = 0
    while True:
        go = cond(*loop_vars) if is_seq else cond(loop_vars)
        if not bool(go.numpy() if isinstance(go, EagerTensor) else go):
            break
        if maximum_iterations is not None and steps >= int(maximum_iterations):
            break
        result = body(*loop_vars) if is_seq else body(loop_vars)
        if is_seq and not isinstance(result, (list, tuple)):
            result = [result]
        loop_vars = type(loop_vars)(result) if is_seq and not isinstance(loop_vars, list) else result
        steps += 1
    return loop_vars


# ---------------------------------------------------------------------------------------------------------
# Functional loops (unrolled over the static leading dimension)


def _leading(elems: Any) -> tuple[list, int]:
    flat = [convert_to_tensor(e) if not isinstance(e, Tensor) else e for e in nest.flatten(elems)]
    n = flat[0].shape[0]
    if n is None:
        raise InvalidArgumentError(None, None, "map_fn/scan need a statically known leading dimension in "
                                               "graphs (not supported yet for unknown sizes)")
    return flat, n


def map_fn(fn: Callable, elems: Any, dtype: Any = None, parallel_iterations: Any = None, back_prop: bool = True,
           swap_memory: bool = False, infer_shape: bool = True, name: str | None = None,
           fn_output_signature: Any = None) -> Any:
    """Stacks ``fn(elem)`` over the first dimension of ``elems`` (a tensor or nested structure)."""
    from .ops.array_ops import stack

    flat, n = _leading(elems)
    results = [fn(nest.pack_sequence_as(elems, [t[i] for t in flat])) for i in range(n)]
    if not results:
        raise ValueError("map_fn on an empty leading dimension is not supported yet")
    columns = zip(*[nest.flatten(r) for r in results])
    return nest.pack_sequence_as(results[0], [stack(list(c)) for c in columns])


def scan(fn: Callable, elems: Any, initializer: Any = None, parallel_iterations: int = 10, back_prop: bool = True,
         swap_memory: bool = False, infer_shape: bool = True, reverse: bool = False,
         name: str | None = None) -> Any:
    """Accumulates ``acc = fn(acc, elem)`` over ``elems`` and stacks every ``acc``."""
    from .ops.array_ops import stack

    flat, n = _leading(elems)
    order = range(n - 1, -1, -1) if reverse else range(n)
    items = [nest.pack_sequence_as(elems, [t[i] for t in flat]) for i in order]
    if initializer is None:
        acc, items = items[0], items[1:]
        outs = [acc]
    else:
        acc, outs = initializer, []
    for item in items:
        acc = fn(acc, item)
        outs.append(acc)
    if reverse:
        outs = outs[::-1]
    columns = zip(*[nest.flatten(o) for o in outs])
    return nest.pack_sequence_as(outs[0], [stack(list(c)) for c in columns])


def foldl(fn: Callable, elems: Any, initializer: Any = None, parallel_iterations: int = 10,
          back_prop: bool = True, swap_memory: bool = False, name: str | None = None) -> Any:
    """Folds ``fn(acc, elem)`` over ``elems`` from the left."""
    flat, n = _leading(elems)
    items = [nest.pack_sequence_as(elems, [t[i] for t in flat]) for i in range(n)]
    acc = initializer if initializer is not None else items.pop(0)
    for item in items:
        acc = fn(acc, item)
    return acc


def foldr(fn: Callable, elems: Any, initializer: Any = None, parallel_iterations: int = 10,
          back_prop: bool = True, swap_memory: bool = False, name: str | None = None) -> Any:
    """Folds ``fn(acc, elem)`` over ``elems`` from the right."""
    flat, n = _leading(elems)
    items = [nest.pack_sequence_as(elems, [t[i] for t in flat]) for i in range(n - 1, -1, -1)]
    acc = initializer if initializer is not None else items.pop(0)
    for item in items:
        acc = fn(acc, item)
    return acc
