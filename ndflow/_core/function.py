"""``ndflow.function``: trace Python into a graph once per input signature, then run the graph.

Python side effects (``print``) happen while tracing only; ``ndflow.print`` and other stateful ops run on
every call. Calls made while a tape watches the inputs run the Python function eagerly, so outer tapes see
ordinary ops (tapes *inside* the function are traced like any other code).
"""
from __future__ import annotations

import functools
import inspect
import types
import weakref
from typing import Any, Callable

import numpy as np

from . import composite_tensor, nest
from .autograph.converter import convert as autograph_convert
from .context import state
from .execute import _variant_dtype
from .executor import Plan
from .graph import Graph, GraphTensor, Placeholder, placeholder
from .graph_variables import ReadVariable
from .tensor import EagerTensor, Tensor, convert_to_tensor
from .tensor_spec import TensorSpec

__all__ = ["function", "Function", "ConcreteFunction", "FuncGraph", "RUN_EAGERLY"]

# ``config.run_functions_eagerly``: when set, functions call their Python code instead of tracing.
RUN_EAGERLY = [False]
CALL_OBSERVERS: list[Callable] = []  # each gets every ConcreteFunction about to run (tf.summary.trace_on)


class FuncGraph(Graph):
    """The graph of one traced function; variables created while tracing are created eagerly."""

    _lifts_variables = True

    def __init__(self, name: str) -> None:
        super().__init__()
        self._elementwise_equality = True
        self.name = name
        self.inputs: list[GraphTensor] = []
        self.outputs: list[GraphTensor] = []
        self.structured_outputs: Any = None


class ConcreteFunction:
    """A traced graph for one input signature; calling it runs the graph on new input values."""

    def __init__(self, graph: FuncGraph, arg_template: Any, input_signature: list) -> None:
        self.graph = graph
        self._arg_template = arg_template
        self.structured_input_signature = input_signature
        stateful = [op for op in graph._ops if op.opdef.stateful and op.opdef not in (Placeholder, ReadVariable)]
        # ops with effects but no consumers (print, assign) still run on every call, in program order
        self._plan = Plan(graph, [t for t in graph.outputs], stateful, graph.inputs)

    @property
    def inputs(self) -> list:
        return list(self.graph.inputs)

    @property
    def outputs(self) -> list:
        return list(self.graph.outputs)

    @property
    def structured_outputs(self) -> Any:
        return self.graph.structured_outputs

    @property
    def name(self) -> str:
        return self.graph.name

    def _call_flat(self, tensors: list) -> Any:
        for observe in CALL_OBSERVERS:
            observe(self)
        arrays = [t._value if isinstance(t, EagerTensor) else convert_to_tensor(t)._value for t in tensors]
        results = iter(EagerTensor(v, _variant_dtype(v)) for v in self._plan.run(arrays))
        flat = [next(results) if isinstance(o, GraphTensor) else o
                for o in nest.flatten(self.structured_outputs, expand_composites=True)]
        return nest.pack_sequence_as(self.structured_outputs, flat, expand_composites=True)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        flat = [a for a in nest.flatten((args, kwargs), expand_composites=True)
                if isinstance(a, Tensor) or hasattr(a, "_as_tensor")]
        return self._call_flat([convert_to_tensor(a) for a in flat])

    def __repr__(self) -> str:
        return f"<ConcreteFunction {self.graph.name}>"


class Function:
    """A Python function compiled to graphs on demand (TF's ``tf.function``)."""

    def __init__(self, python_function: Callable, input_signature: Any = None, autograph: bool = True,
                 jit_compile: Any = None, reduce_retracing: bool = False, name: str | None = None) -> None:
        self.python_function = python_function
        self._autograph = autograph
        self._traced_function: Callable | None = None
        self.input_signature = None if input_signature is None else list(input_signature)
        self._reduce_retracing = reduce_retracing
        self._name = name or getattr(python_function, "__name__", "function")
        self._cache: dict = {}
        self._relaxed: dict = {}
        self._created_variables = False
        self._trace_count = 0
        self._bound: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._signature = _signature_or_none(python_function)
        functools.update_wrapper(self, python_function)

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self
        bound = self._bound.get(instance)
        if bound is None:
            bound = Function(functools.partial(self._function_to_trace(), instance), self.input_signature,
                             autograph=False, reduce_retracing=self._reduce_retracing, name=self._name)
            bound._signature = _signature_or_none(self.python_function, drop_first=True)
            self._bound[instance] = bound
        return bound

    def _function_to_trace(self) -> Callable:
        """The AutoGraph-converted function (or the original when disabled or not convertible)."""
        if self._traced_function is None:
            fn = self.python_function
            if self._autograph and not getattr(fn, "__ag_do_not_convert__", False) and \
                    isinstance(fn, types.FunctionType):
                try:
                    fn = autograph_convert(fn)
                except (OSError, TypeError, ValueError, SyntaxError, IndentationError):
                    fn = self.python_function
            self._traced_function = fn
        return self._traced_function

    def experimental_get_tracing_count(self) -> int:
        return self._trace_count

    def _bind(self, args: tuple, kwargs: dict) -> tuple:
        if self._signature is None:
            return args, kwargs
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError:
            return args, kwargs
        bound.apply_defaults()
        return tuple(bound.arguments.values()), {}

    def _key(self, args: tuple, kwargs: dict) -> tuple:
        return tuple(_leaf_key(x) for x in nest.flatten((args, kwargs))) + (_structure_key((args, kwargs)),)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # an active tape (outside the function) must see ordinary ops: run the Python code eagerly
        if state.graph is not None or RUN_EAGERLY[0] or state.tapes:
            return self.python_function(*args, **kwargs)
        args, kwargs = self._bind(args, kwargs)
        # like TF, NumPy arrays are tensor arguments (traced by shape and dtype, not by value)
        args, kwargs = nest.map_structure(lambda a: convert_to_tensor(a) if isinstance(a, np.ndarray) else a,
                                          (args, kwargs))
        if self.input_signature is not None:
            args = self._check_signature(args)
        concrete = self._concrete(args, kwargs)
        return concrete(*args, **kwargs)

    def _check_signature(self, args: tuple) -> tuple:
        """Converts the arguments the signature covers; the rest (parameters with defaults) stay Python values.

        Raises:
            TypeError: too few arguments, or one that does not fit its ``TensorSpec``.
        """
        n = len(self.input_signature)
        if len(args) < n:
            raise TypeError(f"{self._name}() takes {n} positional arguments as per input_signature, but got "
                            f"{len(args)}")
        out = []
        for spec, value in zip(self.input_signature, args[:n]):
            if getattr(spec, "_is_type_spec", False):  # SparseTensorSpec …: the value stays a composite
                if not spec.is_compatible_with(value):
                    raise TypeError(f"Binding inputs to tf.function failed due to `Can not cast {value!r} to "
                                    f"{spec!r}`. Received args: {args} and kwargs: {{}} for signature: "
                                    f"{self.input_signature}.")
                out.append(value)
                continue
            t = convert_to_tensor(value, dtype_hint=spec.dtype)
            if not spec.is_compatible_with(t):
                raise TypeError(f"Binding inputs to tf.function failed due to `Can not cast {t!r} to "
                                f"{spec!r}`. Received args: {args} and kwargs: {{}} for signature: "
                                f"{self.input_signature}.")
            out.append(t)
        return tuple(out) + tuple(args[n:])

    def _concrete(self, args: tuple, kwargs: dict) -> ConcreteFunction:
        key = self._key(args, kwargs) if self.input_signature is None else \
            ("signature",) + tuple(_leaf_key(a) for a in args[len(self.input_signature):])
        concrete = self._cache.get(key)
        if concrete is None:
            specs = self._specs_for(args, kwargs, key)
            concrete = self._trace(args, kwargs, specs)
            self._cache[key] = concrete
        return concrete

    def _specs_for(self, args: tuple, kwargs: dict, key: tuple) -> list:
        flat = nest.flatten((args, kwargs))
        if self.input_signature is not None:
            return list(self.input_signature)
        specs = [TensorSpec.from_tensor(convert_to_tensor(x)) for x in flat if _is_tensor_arg(x)]
        if self._reduce_retracing:
            family = tuple(("T", s.dtype.name, s.shape.rank) if isinstance(k, tuple) and k and k[0] == "T"
                           else k for k, s in zip(key, specs + [None] * len(key)))
            previous = self._relaxed.get(family)
            if previous is not None:
                specs = [p.most_specific_compatible_type(s) for p, s in zip(previous, specs)]
            self._relaxed[family] = specs
        return specs

    def get_concrete_function(self, *args: Any, **kwargs: Any) -> ConcreteFunction:
        """The concrete function for these arguments (tensors or ``TensorSpec``s), tracing if needed."""
        if not args and not kwargs and self.input_signature is not None:
            args = tuple(self.input_signature)
        args, kwargs = self._bind(args, kwargs)
        key = self._key(args, kwargs)
        concrete = self._cache.get(key)
        if concrete is None:
            specs = [x if isinstance(x, TensorSpec) else TensorSpec.from_tensor(convert_to_tensor(x))
                     for x in nest.flatten((args, kwargs)) if _is_tensor_arg(x) or isinstance(x, TensorSpec)]
            concrete = self._trace(args, kwargs, specs)
            self._cache[key] = concrete
        return concrete

    def _trace(self, args: tuple, kwargs: dict, specs: list) -> ConcreteFunction:
        graph = FuncGraph(self._name)
        names = self._arg_names(args, kwargs)
        spec_iter = iter([s for s in specs if not getattr(s, "_is_type_spec", False)])
        signature_types = iter([s for s in self.input_signature or [] if getattr(s, "_is_type_spec", False)])
        with graph.as_default():
            flat = []
            for leaf, arg_name in zip(nest.flatten((args, kwargs)), names):
                if composite_tensor.is_composite(leaf):
                    # one placeholder per component, shaped by the composite's type (not this value's)
                    leaf_type = next(signature_types, None) or composite_tensor.type_spec(leaf)
                    parts = [placeholder(c.dtype, c.shape, name=f"{arg_name}_{j}")
                             for j, c in enumerate(composite_tensor.component_specs(leaf_type))]
                    graph.inputs.extend(parts)
                    flat.append(composite_tensor.rebuild(leaf_type, parts))
                elif _is_tensor_arg(leaf) or isinstance(leaf, TensorSpec):
                    spec = next(spec_iter)
                    ph = placeholder(spec.dtype, spec.shape, name=spec.name or arg_name)
                    graph.inputs.append(ph)
                    flat.append(ph)
                else:
                    flat.append(leaf)
            t_args, t_kwargs = nest.pack_sequence_as((args, kwargs), flat)
            n_vars_before = _variable_count()
            result = self._function_to_trace()(*t_args, **t_kwargs)
            if _variable_count() != n_vars_before:
                if self._created_variables:
                    raise ValueError(
                        "tf.function only supports singleton tf.Variables created on the first call. Make "
                        "sure the tf.Variable is only created once or created outside tf.function. See "
                        "https://www.tensorflow.org/guide/function#creating_tfvariables for more "
                        "information.")
                self._created_variables = True
            # like TF, each output goes through an Identity op (the graph's internals stay internal)
            outputs = [_identity(_as_graph_output(graph, o)) for o in nest.flatten(result, expand_composites=True)]
        structured = nest.is_nested(result) or composite_tensor.is_composite(result)
        graph.structured_outputs = nest.pack_sequence_as(result, outputs, expand_composites=True) if structured \
            else outputs[0] if outputs else None
        graph.outputs = [o for o in outputs if isinstance(o, GraphTensor)]
        self._trace_count += 1
        return ConcreteFunction(graph, (args, kwargs), specs)

    def _arg_names(self, args: tuple, kwargs: dict) -> list[str]:
        params = list(self._signature.parameters) if self._signature is not None else []
        names = []
        for i, a in enumerate(args):
            base = params[i] if i < len(params) else f"args_{i}"
            n = len(nest.flatten(a))
            names += [base] if n == 1 else [f"{base}_{j}" for j in range(n)]
        for k in sorted(kwargs):
            n = len(nest.flatten(kwargs[k]))
            names += [k] if n == 1 else [f"{k}_{j}" for j in range(n)]
        return names

    def __repr__(self) -> str:
        return f"<ndflow.function {self._name}>"


def _signature_or_none(fn: Callable, drop_first: bool = False) -> inspect.Signature | None:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    params = list(sig.parameters.values())
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        return None
    if drop_first and params:
        params = params[1:]
    return sig.replace(parameters=params)


def _is_tensor_arg(x: Any) -> bool:
    return isinstance(x, EagerTensor)


def _leaf_key(x: Any) -> Any:
    if isinstance(x, EagerTensor):
        return ("T", x.dtype.name, tuple(x._value.shape))
    if isinstance(x, TensorSpec):
        return ("T", x.dtype.name, None if x.shape.rank is None else tuple(x.shape.dims))
    if hasattr(x, "_is_variable"):
        return ("V", id(x))
    if composite_tensor.is_composite(x):
        return ("C", composite_tensor.type_spec(x)._key())
    try:
        hash(x)
        return ("P", type(x).__name__, x)
    except TypeError:
        return ("O", id(x))


def _structure_key(structure: Any) -> Any:
    if isinstance(structure, dict):
        return ("d", tuple((k, _structure_key(structure[k])) for k in sorted(structure)))
    if isinstance(structure, (list, tuple)):
        return (type(structure).__name__, tuple(_structure_key(s) for s in structure))
    return "."


def _variable_count() -> int:
    from .variable import Variable

    return Variable._created_count


def _as_graph_output(graph: FuncGraph, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, GraphTensor):
        return value
    if hasattr(value, "_as_tensor"):
        return value._as_tensor()
    if isinstance(value, Tensor):
        return graph.capture(value)
    try:
        return graph.capture(convert_to_tensor(value))
    except (TypeError, ValueError):
        return value


def _identity(value: Any) -> Any:
    from .ops.array_ops import identity

    return identity(value) if isinstance(value, GraphTensor) else value


def function(func: Callable | None = None, input_signature: Any = None, autograph: bool = True,
             jit_compile: Any = None, reduce_retracing: bool = False, experimental_relax_shapes: Any = None,
             experimental_compile: Any = None, name: str | None = None, **unused: Any) -> Any:
    """Compiles ``func`` into a ``Function`` (usable as ``@function`` or ``@function(...)``)."""
    relax = reduce_retracing or bool(experimental_relax_shapes)

    def decorate(fn: Callable) -> Function:
        return Function(fn, input_signature, autograph, jit_compile, relax, name)

    return decorate if func is None else decorate(func)
