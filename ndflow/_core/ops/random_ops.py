"""Random numbers (``tf.random``): seeded ops, stateless ops and ``tf.random.Generator``.

All kernels draw from NumPy's counter-based Philox bit generator (through ``xp.random``), so a stream is
fully described by a 128-bit key and a counter, as in TensorFlow. The numbers differ from TensorFlow's, but
the seeding rules are TF's:

- ``tf.random.set_seed`` fixes the global seed; each op call without ``seed=`` then gets the next
  operation seed, so a program repeats its numbers, and calling ``set_seed`` again restarts the sequence.
- an op called with ``seed=`` keeps one stream per (op, dtype, global seed, op seed): calling it again
  continues that stream; ``set_seed`` resets those streams too.
- no global and no op seed: fresh entropy on every call.
- stateless ops derive the stream from their ``seed`` tensor alone; ``Generator`` objects keep theirs in a
  ``[counter..., key]`` int64 state variable.
"""
from __future__ import annotations

import enum
import math
import random
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..export import export
from ..shape import TensorShape
from ..tensor import EagerTensor, Tensor
from ._helpers import as_int_list, execute, invalid_arg, register, static_shape, to_tensor
from .math_ops import add, broadcast_like, divide, multiply, negative, subtract, sum_to
from .shape_rules import broadcast_shapes

_DEFAULT_GLOBAL_SEED = 87654321
_ENTROPY = random.SystemRandom()  # os.urandom bits for unseeded streams (``secrets`` costs an hmac import)
_MAX_INT32 = 2**31 - 1
_MASK64 = 2**64 - 1
_GOLDEN64 = 0x9E3779B97F4A7C15  # an odd constant that spreads folded-in data over the key
_COUNTER_STEP = 256  # counter advance per generated element (TF's Generator uses the same reservation)

_FLOAT_NAMES = ("float16", "bfloat16", "float32", "float64")


# ---------------------------------------------------------------------------------------------------------
# Seeds and streams


class _Stream:
    """One random op's stream: a Philox key; each kernel run takes the next block of counters."""

    __slots__ = ("key", "runs")

    def __init__(self, key: int) -> None:
        self.key = key
        self.runs = 0

    def generator(self, xp):
        run = self.runs
        self.runs += 1
        return xp.random.Generator(xp.random.Philox(key=self.key, counter=run << 128))


class _SeedState:
    """The global seed, the operation-seed sequence and the streams of explicitly seeded ops."""

    def __init__(self) -> None:
        self.global_seed: int | None = None
        self.op_seeds = random.Random()   # draws the operation seeds of ops called without ``seed=``
        self.streams: dict[tuple, _Stream] = {}


_seeds = _SeedState()


@export("random.set_seed")
def set_seed(seed: Any) -> None:
    """Sets the global random seed (None: back to nondeterministic) and restarts every seeded sequence."""
    _seeds.global_seed = None if seed is None else int(seed)
    _seeds.op_seeds = random.Random(_seeds.global_seed)
    _seeds.streams.clear()


def _seed_key(seed: int, seed2: int) -> int:
    return (seed & _MASK64) | ((seed2 & _MASK64) << 64)


def get_seed(op_seed: Any) -> tuple[int | None, int | None]:
    """The ``(global seed, operation seed)`` pair a random op uses, by TF's rules.

    Neither seed set: ``(None, None)`` (nondeterministic). Only the global seed: the next operation seed of the
    sequence ``set_seed`` restarted. Only ``op_seed``: TF's default global seed. Both are taken modulo 2³¹ − 1,
    and ``(0, 0)``, which TF's kernels read as "unseeded", becomes ``(0, 2³¹ − 1)``.
    """
    global_seed = _seeds.global_seed
    if global_seed is None and op_seed is None:
        return None, None
    if op_seed is None:
        op_seed = _seeds.op_seeds.randint(0, _MAX_INT32)
    if global_seed is None:
        global_seed = _DEFAULT_GLOBAL_SEED
    seeds = (int(global_seed) % _MAX_INT32, int(op_seed) % _MAX_INT32)
    return (0, _MAX_INT32) if seeds == (0, 0) else seeds


def _stream(op_name: str, dtype: Any, op_seed: Any) -> _Stream:
    """The stream an op call draws from: fresh entropy when unseeded, a new stream per call when only the global
    seed is set, and one continuing stream per (op, dtype, seeds) when ``op_seed`` is given."""
    global_seed, seed = get_seed(op_seed)
    if global_seed is None:
        return _Stream(_ENTROPY.getrandbits(128))
    if op_seed is None:
        return _Stream(_seed_key(global_seed, seed))
    key = (op_name, str(dtype), global_seed, seed)
    stream = _seeds.streams.get(key)
    if stream is None:
        stream = _seeds.streams[key] = _Stream(_seed_key(global_seed, seed))
    return stream


def _generator_from_seed(xp, seed):
    s0, s1 = (int(v) for v in seed.tolist())
    return xp.random.Generator(xp.random.Philox(key=_seed_key(s0, s1)))


def _generator_from_state(xp, state):
    words = [int(v) & _MASK64 for v in state.tolist()]
    counter = words[0] | (words[1] << 64 if len(words) == 3 else 0)
    return xp.random.Generator(xp.random.Philox(key=words[-1], counter=counter))


# ---------------------------------------------------------------------------------------------------------
# Samplers: (xp, rng, *arrays, **attrs) -> array


_LOW_PRECISION_BITS = {"float16": 11, "bfloat16": 8}


def _draw_uniform(xp, rng, *, shape, dtype):
    if dtype.name in _LOW_PRECISION_BITS:
        # round down onto the type's grid so that no value rounds up to 1
        scale = float(2 ** _LOW_PRECISION_BITS[dtype.name])
        return (xp.floor(rng.random(shape) * scale) / scale).astype(dtype)
    return rng.random(shape, dtype=dtype)


def _draw_normal(xp, rng, *, shape, dtype):
    if dtype == xp.float32 or dtype == xp.float64:
        return rng.standard_normal(shape, dtype=dtype)
    return rng.standard_normal(shape, dtype=xp.float32).astype(dtype)


def _draw_truncated_normal(xp, rng, *, shape, dtype):
    values = rng.standard_normal(shape)
    flat = values.reshape(-1)
    redo = xp.flatnonzero(xp.abs(flat) > 2)
    while redo.size:  # redraw only the rejected positions, in order
        fresh = rng.standard_normal(redo.size)
        flat[redo] = fresh
        redo = redo[xp.abs(fresh) > 2]
    return values.astype(dtype)


def _draw_uniform_int(xp, rng, minval, maxval, *, shape, dtype, op_name):
    if minval.ndim or maxval.ndim:
        which, bad = ("minval", minval) if minval.ndim else ("maxval", maxval)
        raise invalid_arg(op_name, f"{which} must be 0-D, got shape {list(bad.shape)}")
    low, high = int(minval), int(maxval)
    if low >= high and math.prod(shape) > 0:
        raise invalid_arg(op_name, f"Need minval < maxval, got {low} >= {high}")
    return rng.integers(low, high, size=shape, dtype=dtype)


def _draw_full_int(xp, rng, *, shape, dtype):
    info = xp.iinfo(dtype)
    return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)


def _draw_categorical(xp, rng, logits, *, num_samples, dtype, op_name):
    if logits.ndim != 2:
        raise invalid_arg(op_name, f"logits should be a matrix, got shape {list(logits.shape)}")
    if num_samples < 0:
        raise invalid_arg(op_name, f"num_samples should be non-negative, got {num_samples}")
    batch, classes = logits.shape
    if batch == 0 or num_samples == 0 or classes == 0:
        return xp.zeros((batch, num_samples), dtype=dtype)
    logits = logits.astype(xp.float64)
    top = xp.max(logits, axis=1, keepdims=True)
    top = xp.where(xp.isfinite(top), top, 0.0)
    cdf = xp.cumsum(xp.exp(logits - top), axis=1)
    cdf /= cdf[:, -1:]
    rows = xp.arange(batch)[:, None]
    # one sorted array for all rows: row r's cdf is shifted by r
    draws = rng.random((batch, num_samples)) + rows
    picks = xp.searchsorted((cdf + rows).ravel(), draws.ravel(), side="right")
    picks = picks.reshape(batch, num_samples) - rows * classes
    return xp.clip(picks, 0, classes - 1).astype(dtype)


def _draw_gamma(xp, rng, alpha, beta, *, shape, dtype, batch_params):
    """``batch_params``: the output is ``shape + params`` (``tf.random.gamma``), else ``shape``."""
    size = tuple(shape) + xp.broadcast_shapes(alpha.shape, beta.shape) if batch_params else tuple(shape)
    sample = rng.standard_gamma(alpha.astype(xp.float64), size=size) / beta
    tiny = xp.finfo(dtype).tiny
    return xp.maximum(sample.astype(dtype), tiny)


def _draw_poisson(xp, rng, lam, *, shape, dtype, batch_params):
    size = tuple(shape) + lam.shape if batch_params else tuple(shape)
    sample = rng.poisson(lam.astype(xp.float64), size=size)
    return sample.astype(dtype)


def _draw_shuffle(xp, rng, value):
    if value.ndim == 0:
        return value
    return value[rng.permutation(value.shape[0])]


def _declare(name: str, draw: Callable, source: str, shaped: bool = True) -> Any:
    """Registers ``draw`` as an op taking its generator from an attr stream, a seed input or a state input.

    ``shaped`` ops get their output shape as the ``shape`` attr or, when ``dynamic_shape`` is set, as a
    leading int tensor input (a shape only known when the graph runs, like ``tf.shape(x)``), whose dims
    known while tracing are the ``known_dims`` attr.
    """
    def forward(xp, *arrays, **attrs):
        attrs.pop("known_dims", None)
        if attrs.pop("dynamic_shape", False):
            attrs["shape"] = _run_time_shape(name, arrays[0])
            arrays = arrays[1:]
        if source == "stream":
            rng = attrs.pop("stream").generator(xp)
        elif source == "seed":
            rng, arrays = _generator_from_seed(xp, arrays[0]), arrays[1:]
        else:
            rng, arrays = _generator_from_state(xp, arrays[0]), arrays[1:]
        return draw(xp, rng, *arrays, **attrs)

    def infer(*specs, **attrs):
        specs = list(specs)
        if attrs.get("dynamic_shape"):
            rank = specs.pop(0)[0][0]
            dims = TensorShape(None if rank is None else [None] * rank).merge_with(
                TensorShape(attrs["known_dims"]))
        else:
            dims = TensorShape(list(attrs["shape"]))
        if source != "stream":
            specs.pop(0)
        if attrs.get("batch_params"):
            params = TensorShape([])
            for param_shape, _ in specs:
                params = broadcast_shapes(params, param_shape)
            dims = dims.concatenate(params)
        return [(dims, dtypes.from_numpy(attrs["dtype"]))]

    return register(name, forward, infer=infer if shaped else None, stateful=source != "seed")


def _run_time_shape(op_name: str, shape) -> tuple:
    dims = tuple(int(d) for d in shape.reshape(-1).tolist())
    for d in dims:
        if d < 0:
            raise invalid_arg(op_name, f"Dimension {d} must be >= 0")
    return dims


RandomUniform = _declare("RandomUniform", _draw_uniform, "stream")
RandomStandardNormal = _declare("RandomStandardNormal", _draw_normal, "stream")
TruncatedNormal = _declare("TruncatedNormal", _draw_truncated_normal, "stream")
RandomUniformInt = _declare("RandomUniformInt", _draw_uniform_int, "stream")
Multinomial = _declare("Multinomial", _draw_categorical, "stream", shaped=False)
RandomGamma = _declare("RandomGamma", _draw_gamma, "stream")
RandomPoisson = _declare("RandomPoissonV2", _draw_poisson, "stream")
RandomShuffle = _declare("RandomShuffle", _draw_shuffle, "stream", shaped=False)

StatelessUniform = _declare("StatelessRandomUniformV2", _draw_uniform, "seed")
StatelessNormal = _declare("StatelessRandomNormalV2", _draw_normal, "seed")
StatelessTruncatedNormal = _declare("StatelessTruncatedNormalV2", _draw_truncated_normal, "seed")
StatelessUniformInt = _declare("StatelessRandomUniformIntV2", _draw_uniform_int, "seed")
StatelessUniformFullInt = _declare("StatelessRandomUniformFullIntV2", _draw_full_int, "seed")
StatelessMultinomial = _declare("StatelessMultinomial", _draw_categorical, "seed", shaped=False)
StatelessGamma = _declare("StatelessRandomGammaV3", _draw_gamma, "seed")
StatelessPoisson = _declare("StatelessRandomPoisson", _draw_poisson, "seed")

StatefulUniform = _declare("StatefulUniform", _draw_uniform, "state")
StatefulNormal = _declare("StatefulStandardNormalV2", _draw_normal, "state")
StatefulTruncatedNormal = _declare("StatefulTruncatedNormal", _draw_truncated_normal, "state")
StatefulUniformInt = _declare("StatefulUniformInt", _draw_uniform_int, "state")
StatefulUniformFullInt = _declare("StatefulUniformFullInt", _draw_full_int, "state")


# ---------------------------------------------------------------------------------------------------------
# Gamma's reparameterisation gradient


def _gamma_sample_grad_forward(xp, alpha, sample):
    """d sample / d alpha for unit-rate gamma samples: -(∂P/∂α) / (∂P/∂x), P the regularised gamma CDF."""
    from scipy import special

    a = alpha.astype(xp.float64)
    x = sample.astype(xp.float64)
    step = 1e-6 * xp.maximum(a, 1.0)
    dcdf_da = (special.gammainc(a + step, x) - special.gammainc(a - step, x)) / (2 * step)
    log_pdf = (a - 1) * xp.log(x) - x - special.gammaln(a)
    return (-dcdf_da / xp.exp(log_pdf)).astype(sample.dtype)


RandomGammaGrad = register("RandomGammaGrad", _gamma_sample_grad_forward)


def _gamma_grad(entry, dy):
    alpha, beta = entry.inputs[-2:]
    sample = entry.outputs[0]
    standard = multiply(sample, beta)   # the unit-rate sample behind this one
    alpha_b = broadcast_like(alpha, standard)
    d_alpha = divide(execute(RandomGammaGrad, (alpha_b, standard)), beta)
    d_beta = negative(divide(sample, beta))
    leading = (None,) * (len(entry.inputs) - 2)   # shape, seed: not differentiable
    return leading + (sum_to(multiply(dy, d_alpha), alpha), sum_to(multiply(dy, d_beta), beta))


# ---------------------------------------------------------------------------------------------------------
# Argument handling


def _shape_args(shape: Any, op_name: str) -> tuple[tuple, dict]:
    """``(leading inputs, attrs)`` describing an output shape: an attr when concrete, else a tensor input."""
    if isinstance(shape, Tensor) and not isinstance(shape, EagerTensor):
        return (shape,), {"dynamic_shape": True, "known_dims": _known_dims(shape)}
    if isinstance(shape, (list, tuple)) and any(isinstance(d, Tensor) and not isinstance(d, EagerTensor)
                                                for d in shape):
        from .array_ops import stack

        packed = stack([to_tensor(d, dtype=dtypes.int32) for d in shape])
        return (packed,), {"dynamic_shape": True, "known_dims": _known_dims(shape)}
    return (), {"shape": _shape_attr(shape, op_name)}


def _known_dims(shape: Any) -> tuple | None:
    """The dims of a run-time shape known while tracing, as an attribute (None: not even the rank)."""
    known = static_shape(shape)
    return None if known.rank is None else tuple(known.dims)


def _shape_attr(shape: Any, op_name: str) -> tuple:
    dims = tuple(as_int_list(shape)) if not isinstance(shape, int) else (shape,)
    for d in dims:
        if d < 0:
            raise invalid_arg(op_name, f"Dimension {d} must be >= 0")
    return dims


def _float_dtype(dtype: Any, op_name: str) -> dtypes.DType:
    dtype = dtypes.as_dtype(dtype)
    if dtype.name not in _FLOAT_NAMES:
        raise InvalidArgumentError(
            None, None, f"Value for attr 'dtype' of {dtype.name} is not in the list of allowed values: half, "
                        f"bfloat16, float, double\n\t; NodeDef: {{{{node {op_name}}}}} [Op:{op_name}] name: ")
    return dtype


def _check_float_param(mean: Any, dtype: dtypes.DType) -> None:
    """TF converts ``mean`` to ``dtype`` first, so an integer dtype fails on the float default."""
    if (dtype.is_integer or dtype.is_bool) and isinstance(mean, float):
        raise TypeError(f"Cannot convert {mean!r} to EagerTensor of dtype {dtype.name}")


def _accepted_dtype(dtype: Any, accepted: tuple) -> dtypes.DType:
    dtype = dtypes.as_dtype(dtype)
    if dtype.name not in accepted:
        names = ", ".join(f"tf.{a}" for a in accepted)
        raise ValueError(f"Argument `dtype` got invalid value <dtype: '{dtype.name}'>. Accepted dtypes are "
                         f"({names}).")
    return dtype


def _seed_tensor(seed: Any) -> Tensor:
    seed = to_tensor(seed)
    if seed.dtype.name not in ("int32", "int64"):
        raise InvalidArgumentError(
            None, None, f"Value for attr 'Tseed' of {_tf_name(seed.dtype)} is not in the list of allowed "
                        "values: "
                        "int32, int64\n\t; NodeDef: {{node StatelessRandomGetKeyCounter}} "
                        "[Op:StatelessRandomGetKeyCounter]")
    if seed.shape.as_list() != [2]:
        raise invalid_arg("StatelessRandomGetKeyCounter",
                          f"seed must have shape [2], not {list(seed.shape.as_list())}")
    return seed


def _tf_name(dtype: dtypes.DType) -> str:
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)


def _is_python_value(x: Any, value: float) -> bool:
    return not isinstance(x, Tensor) and not hasattr(x, "_as_tensor") and np.ndim(x) == 0 and x == value


def _is_python_number(x: Any) -> bool:
    return not isinstance(x, Tensor) and not hasattr(x, "_as_tensor") and isinstance(x, (int, float, np.number))


def _affine_in_place(unit: Tensor, scale: Any, shift: Any) -> Tensor | None:
    """``unit * scale + shift`` on a fresh eager sample with Python-number parameters, without temporaries
    (the same float operations as the ops, so the same values); None where ops are needed."""
    if not isinstance(unit, EagerTensor) or not _is_python_number(scale) or not _is_python_number(shift):
        return None
    values = unit._value
    values *= values.dtype.type(scale)
    values += values.dtype.type(shift)
    return EagerTensor(values, unit.dtype)


def _scale_shift(unit: Tensor, scale: Any, shift: Any, dtype: dtypes.DType) -> Tensor:
    """``unit * scale + shift``, skipping the arithmetic for the Python defaults 1 and 0."""
    fused = _affine_in_place(unit, scale, shift)
    if fused is not None:
        return fused
    if not _is_python_value(scale, 1):
        unit = multiply(unit, _param(scale, dtype, "stddev"))
    if not _is_python_value(shift, 0):
        unit = add(unit, _param(shift, dtype, "mean"))
    return unit


def _param(value: Any, dtype: dtypes.DType, label: str) -> Tensor:
    if isinstance(value, Tensor) and value.dtype is not dtype:
        raise ValueError(f"{label}: Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                         f"{value.dtype.name}: {value!r}")
    return to_tensor(value, dtype=dtype)


# ---------------------------------------------------------------------------------------------------------
# Seeded (stateful) ops


@export("random.normal")
def normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32, seed: Any = None,
           name: str | None = None) -> Tensor:
    """Samples from N(mean, stddev²); ``mean``/``stddev`` broadcast against ``shape`` and get gradients."""
    dtype = dtypes.as_dtype(dtype)
    _check_float_param(mean, dtype)
    dtype = _float_dtype(dtype, "RandomStandardNormal")
    inputs, attrs = _shape_args(shape, "RandomStandardNormal")
    attrs.update(dtype=dtype._np, stream=_stream("RandomStandardNormal", dtype, seed))
    unit = execute(RandomStandardNormal, inputs, attrs)
    return _scale_shift(unit, stddev, mean, dtype)


@export("random.truncated_normal")
def truncated_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32,
                     seed: Any = None, name: str | None = None) -> Tensor:
    """Samples from N(mean, stddev²) restricted to ``mean ± 2 stddev`` (values beyond are redrawn)."""
    dtype = dtypes.as_dtype(dtype)
    _check_float_param(mean, dtype)
    dtype = _float_dtype(dtype, "TruncatedNormal")
    inputs, attrs = _shape_args(shape, "TruncatedNormal")
    attrs.update(dtype=dtype._np, stream=_stream("TruncatedNormal", dtype, seed))
    unit = execute(TruncatedNormal, inputs, attrs)
    return _scale_shift(unit, stddev, mean, dtype)


_UNIFORM_TYPES = ("float16", "bfloat16", "float32", "float64", "int32", "int64")


@export("random.uniform")
def uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = dtypes.float32, seed: Any = None,
            name: str | None = None) -> Tensor:
    """Samples uniformly from ``[minval, maxval)`` (``maxval`` defaults to 1 for floats).

    Raises:
        ValueError: an unsupported dtype, or an integer dtype without ``maxval``.
        InvalidArgumentError: integer bounds that are not scalars or with ``minval >= maxval``.
    """
    dtype = _accepted_dtype(dtype, _UNIFORM_TYPES)
    inputs, attrs = _shape_args(shape, "RandomUniform")
    if dtype.is_integer:
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype tf.{dtype.name}")
        low, high = to_tensor(minval, dtype=dtype), to_tensor(maxval, dtype=dtype)
        attrs.update(dtype=dtype._np, op_name="RandomUniformInt",
                     stream=_stream("RandomUniformInt", dtype, seed))
        return execute(RandomUniformInt, inputs + (low, high), attrs)
    if maxval is None:
        maxval = 1
    attrs.update(dtype=dtype._np, stream=_stream("RandomUniform", dtype, seed))
    unit = execute(RandomUniform, inputs, attrs)
    return _uniform_range(unit, minval, maxval, dtype)


def _uniform_range(unit: Tensor, minval: Any, maxval: Any, dtype: dtypes.DType) -> Tensor:
    if _is_python_value(minval, 0) and _is_python_value(maxval, 1):
        return unit
    if _is_python_number(minval) and _is_python_number(maxval):
        np_type = dtype._np if dtype._np is not None else np.float32
        width = np.asarray(maxval, dtype=np_type) - np.asarray(minval, dtype=np_type)
        fused = _affine_in_place(unit, width[()], np.asarray(minval, dtype=np_type)[()])
        if fused is not None:
            return fused
    low = _param(minval, dtype, "min")
    high = _param(maxval, dtype, "max")
    return add(multiply(unit, subtract(high, low)), low)


@export("random.shuffle")
def shuffle(value: Any, seed: Any = None, name: str | None = None) -> Tensor:
    """A random permutation of ``value`` along its first dimension."""
    value = to_tensor(value)
    return execute(RandomShuffle, (value,), {"stream": _stream("RandomShuffle", value.dtype, seed)})


def _categorical_args(logits: Any, dtype: Any) -> tuple[Tensor, dtypes.DType]:
    logits = to_tensor(logits)
    dtype = _accepted_dtype(dtypes.int64 if dtype is None else dtype, ("int32", "int64"))
    if not logits.dtype.is_floating:
        from ..errors import NotFoundError

        raise NotFoundError(None, None, f"Could not find device for node: {{{{node Multinomial}}}} = "
                                        f"Multinomial[T=DT_{logits.dtype.name.upper()}] [Op:Multinomial] "
                                        "name: ")
    return logits, dtype


@export("random.categorical")
def categorical(logits: Any, num_samples: Any, dtype: Any = None, seed: Any = None,
                name: str | None = None) -> Tensor:
    """``num_samples`` class indices per row of ``logits`` (``[batch, classes]`` unnormalised log-probs).

    Returns:
        ``[batch, num_samples]`` indices, int64 unless ``dtype`` is int32.
    """
    logits, dtype = _categorical_args(logits, dtype)
    attrs = {"num_samples": int(num_samples), "dtype": dtype._np, "op_name": "Multinomial",
             "stream": _stream("Multinomial", dtype, seed)}
    return execute(Multinomial, (logits,), attrs)


def _gamma_args(alpha: Any, beta: Any, dtype: Any) -> tuple[Tensor, Tensor, dtypes.DType]:
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"data type <class 'numpy.{dtype.name}'> not inexact")
    alpha = to_tensor(alpha, dtype=dtype)
    beta = to_tensor(1 if beta is None else beta, dtype=dtype)
    return alpha, beta, dtype


@export("random.gamma")
def gamma(shape: Any, alpha: Any, beta: Any = None, dtype: Any = dtypes.float32, seed: Any = None,
          name: str | None = None) -> Tensor:
    """Gamma(alpha, rate=beta) samples of shape ``shape + broadcast(alpha, beta).shape``.

    Differentiable in ``alpha`` (implicit reparameterisation) and ``beta``.
    """
    alpha, beta, dtype = _gamma_args(alpha, beta, dtype)
    inputs, attrs = _shape_args(shape, "RandomGamma")
    attrs.update(dtype=dtype._np, batch_params=True, stream=_stream("RandomGamma", dtype, seed))
    return execute(RandomGamma, inputs + (alpha, beta), attrs)


RandomGamma.grad = StatelessGamma.grad = _gamma_grad

_POISSON_TYPES = ("float16", "float32", "float64", "int32", "int64")


def _poisson_args(lam: Any, dtype: Any) -> tuple[Tensor, dtypes.DType]:
    dtype = dtypes.as_dtype(dtype)
    if dtype.name not in _POISSON_TYPES:
        raise InvalidArgumentError(None, None, f"Value for attr 'dtype' of {dtype.name} is not in the "
                                               "list of "
                                               "allowed values: half, float, double, int32, int64 "
                                               "[Op:RandomPoissonV2] name: ")
    return to_tensor(lam, dtype_hint=dtypes.float32), dtype


@export("random.poisson")
def poisson(shape: Any, lam: Any, dtype: Any = dtypes.float32, seed: Any = None,
            name: str | None = None) -> Tensor:
    """Poisson(lam) samples of shape ``shape + lam.shape``."""
    lam, dtype = _poisson_args(lam, dtype)
    inputs, attrs = _shape_args(shape, "RandomPoissonV2")
    attrs.update(dtype=dtype._np, batch_params=True, stream=_stream("RandomPoissonV2", dtype, seed))
    return execute(RandomPoisson, inputs + (lam,), attrs)


# ---------------------------------------------------------------------------------------------------------
# Stateless ops: the same seed gives the same numbers


@export("random.stateless_normal")
def stateless_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32,
                     name: str | None = None, alg: Any = "auto_select") -> Tensor:
    """Deterministic N(mean, stddev²) samples for the shape-``[2]`` integer ``seed``."""
    dtype = dtypes.as_dtype(dtype)
    _check_float_param(mean, dtype)
    dtype = _float_dtype(dtype, "StatelessRandomNormalV2")
    inputs, attrs = _shape_args(shape, "StatelessRandomNormalV2")
    unit = execute(StatelessNormal, inputs + (_seed_tensor(seed),), {**attrs, "dtype": dtype._np})
    return _scale_shift(unit, stddev, mean, dtype)


@export("random.stateless_truncated_normal")
def stateless_truncated_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                               dtype: Any = dtypes.float32, name: str | None = None,
                               alg: Any = "auto_select") -> Tensor:
    """Deterministic truncated-normal samples (within ``mean ± 2 stddev``) for ``seed``."""
    dtype = dtypes.as_dtype(dtype)
    _check_float_param(mean, dtype)
    dtype = _float_dtype(dtype, "StatelessTruncatedNormalV2")
    inputs, attrs = _shape_args(shape, "StatelessTruncatedNormalV2")
    unit = execute(StatelessTruncatedNormal, inputs + (_seed_tensor(seed),), {**attrs, "dtype": dtype._np})
    return _scale_shift(unit, stddev, mean, dtype)


_STATELESS_UNIFORM_TYPES = ("float16", "bfloat16", "float32", "float64", "int32", "int64", "uint32", "uint64")


@export("random.stateless_uniform")
def stateless_uniform(shape: Any, seed: Any, minval: Any = 0, maxval: Any = None, dtype: Any = dtypes.float32,
                      name: str | None = None, alg: Any = "auto_select") -> Tensor:
    """Deterministic uniform samples in ``[minval, maxval)`` for ``seed``.

    Integer dtypes need both bounds, or neither (then the full range of the dtype is used).

    Raises:
        ValueError: only one integer bound given.
    """
    dtype = _accepted_dtype(dtype, _STATELESS_UNIFORM_TYPES)
    inputs, attrs = _shape_args(shape, "StatelessRandomUniformV2")
    inputs += (_seed_tensor(seed),)
    attrs["dtype"] = dtype._np
    if dtype.is_integer:
        if minval is None and maxval is None:
            return execute(StatelessUniformFullInt, inputs, attrs)
        if minval is None or maxval is None:
            raise ValueError(f"For integer `dtype` argument <dtype: '{dtype.name}'>, argument `minval` and "
                             f"`maxval` must be both None or not None. Got `minval`={minval} and "
                             f"`maxval`={maxval}.")
        low, high = to_tensor(minval, dtype=dtype), to_tensor(maxval, dtype=dtype)
        attrs["op_name"] = "StatelessRandomUniformIntV2"
        return execute(StatelessUniformInt, inputs + (low, high), attrs)
    if dtype.name.startswith("uint"):
        raise ValueError(f"Argument `dtype` got invalid value <dtype: '{dtype.name}'>.")
    unit = execute(StatelessUniform, inputs, attrs)
    return _uniform_range(unit, 0 if minval is None else minval, 1 if maxval is None else maxval, dtype)


@export("random.stateless_categorical")
def stateless_categorical(logits: Any, num_samples: Any, seed: Any, dtype: Any = dtypes.int64,
                          name: str | None = None) -> Tensor:
    """Deterministic ``categorical`` draws for ``seed``."""
    logits, dtype = _categorical_args(logits, dtype)
    attrs = {"num_samples": int(num_samples), "dtype": dtype._np, "op_name": "StatelessMultinomial"}
    return execute(StatelessMultinomial, (_seed_tensor(seed), logits), attrs)


@export("random.stateless_gamma")
def stateless_gamma(shape: Any, seed: Any, alpha: Any, beta: Any = None, dtype: Any = dtypes.float32,
                    name: str | None = None) -> Tensor:
    """Deterministic Gamma(alpha, rate=beta) samples of shape ``shape`` (``alpha``, ``beta`` broadcast)."""
    alpha, beta, dtype = _gamma_args(alpha, beta, dtype)
    inputs, attrs = _shape_args(shape, "StatelessRandomGammaV3")
    attrs.update(dtype=dtype._np, batch_params=False)
    return execute(StatelessGamma, inputs + (_seed_tensor(seed), alpha, beta), attrs)


@export("random.stateless_poisson")
def stateless_poisson(shape: Any, seed: Any, lam: Any, dtype: Any = dtypes.int32,
                      name: str | None = None) -> Tensor:
    """Deterministic Poisson(lam) samples of shape ``shape`` (``lam`` broadcasts to it)."""
    lam, dtype = _poisson_args(lam, dtype)
    inputs, attrs = _shape_args(shape, "StatelessRandomPoisson")
    attrs.update(dtype=dtype._np, batch_params=False)
    return execute(StatelessPoisson, inputs + (_seed_tensor(seed), lam), attrs)


@export("random.split")
def split(seed: Any, num: int = 2, alg: Any = "auto_select") -> Tensor:
    """``num`` new stateless seeds (shape ``[num, 2]``) derived from ``seed``."""
    seed = _seed_tensor(seed)
    return execute(StatelessUniformFullInt, (seed,), {"shape": (int(num), 2), "dtype": seed.dtype._np})


@export("random.fold_in")
def fold_in(seed: Any, data: Any, alg: Any = "auto_select") -> Tensor:
    """A new stateless seed derived from ``seed`` and the integer ``data``."""
    seed = _seed_tensor(seed)
    first, second = (int(v) for v in seed.numpy())
    mixed = (second + int(to_tensor(data).numpy()) * _GOLDEN64) & _MASK64
    words = np.array([first & _MASK64, mixed], dtype=np.uint64).view(np.int64)
    words = words.astype(seed.dtype.as_numpy_dtype)
    return split(to_tensor(words), num=1)[0]


# ---------------------------------------------------------------------------------------------------------
# Generator


@export("random.Algorithm")
class Algorithm(enum.Enum):
    """Counter-based RNG algorithms (ndflow draws Philox numbers for all of them)."""

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


_STATE_SIZES = {Algorithm.PHILOX: 3, Algorithm.THREEFRY: 2}


def _algorithm(alg: Any) -> Algorithm:
    if alg is None:
        return Algorithm.PHILOX
    if isinstance(alg, Algorithm):
        return Algorithm.PHILOX if alg is Algorithm.AUTO_SELECT else alg
    if isinstance(alg, str):
        named = {"philox": Algorithm.PHILOX, "threefry": Algorithm.THREEFRY, "auto_select": Algorithm.PHILOX}
        if alg.lower() in named:
            return named[alg.lower()]
    elif isinstance(alg, int) and alg in (1, 2, 3):
        return _algorithm(Algorithm(alg))
    raise ValueError(f"Argument `alg` got unsupported value {alg}. Supported values are philox for the "
                     "Philox "
                     "algorithm, threefry for the ThreeFry algorithm, and auto_select for auto-selection.")


@export("random.create_rng_state")
def create_rng_state(seed: Any, alg: Any) -> np.ndarray:
    """The initial int64 state ``[counter..., key]`` of a ``Generator`` made from the integer ``seed``."""
    size = _STATE_SIZES[_algorithm(alg)]
    value = int(seed) % (1 << (64 * size))
    words = [(value >> (64 * i)) & _MASK64 for i in range(size)]
    return np.array(words, dtype=np.uint64).view(np.int64)


class Generator:
    """A random generator with its own Philox state (``tf.random.Generator``).

    The state is an int64 variable ``[counter_low, counter_high, key]`` (``[counter, key]`` for ThreeFry);
    each draw advances the counter by 256 per generated element, like TensorFlow.
    """

    def __init__(self, copy_from: Generator | None = None, state: Any = None, alg: Any = None) -> None:
        from ..variable import Variable

        if copy_from is not None:
            self._alg = copy_from._alg
            state = copy_from.state.numpy()
        else:
            self._alg = _algorithm(alg)
            if state is None:
                raise ValueError("When `copy_from` is None, argument `state` must not be None.")
            state = np.asarray(to_tensor(state, dtype=dtypes.int64).numpy(), dtype=np.int64)
            if state.shape != (_STATE_SIZES[self._alg],):
                raise ValueError(f"The size of `state` must be {_STATE_SIZES[self._alg]} for algorithm "
                                 f"{self._alg.name.lower()}, got {state.shape}")
        self._state_var = Variable(np.array(state, dtype=np.int64), trainable=False, dtype=dtypes.int64)

    @classmethod
    def from_state(cls, state: Any, alg: Any) -> Generator:
        """A generator starting from ``state``."""
        return cls(state=state, alg=alg)

    @classmethod
    def from_seed(cls, seed: Any, alg: Any = None) -> Generator:
        """A generator whose state is ``create_rng_state(seed, alg)``."""
        alg = _algorithm(alg)
        return cls(state=create_rng_state(seed, alg), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg: Any = None) -> Generator:
        """A generator seeded from operating-system entropy."""
        alg = _algorithm(alg)
        return cls(state=create_rng_state(_ENTROPY.getrandbits(64 * _STATE_SIZES[alg]), alg), alg=alg)

    @classmethod
    def from_key_counter(cls, key: Any, counter: Any, alg: Any) -> Generator:
        """A generator with the given ``key`` (scalar) and ``counter`` (vector)."""
        counter = [int(c) for c in np.ravel(to_tensor(counter, dtype=dtypes.int64).numpy())]
        return cls(state=counter + [int(to_tensor(key, dtype=dtypes.int64).numpy())], alg=alg)

    @property
    def state(self) -> Any:
        """The int64 state variable."""
        return self._state_var

    @property
    def algorithm(self) -> int:
        """The algorithm's integer id (1: Philox, 2: ThreeFry)."""
        return self._alg.value

    @property
    def key(self) -> Tensor:
        """The key part of the state."""
        return self._state_var.read_value()[-1]

    def reset(self, state: Any) -> None:
        """Replaces the state."""
        self._state_var.assign(to_tensor(state, dtype=dtypes.int64))

    def reset_from_seed(self, seed: Any) -> None:
        """Resets the state as ``from_seed`` would."""
        self.reset(create_rng_state(seed, self._alg))

    def reset_from_key_counter(self, key: Any, counter: Any) -> None:
        """Resets the state to ``key`` and ``counter``."""
        self.reset(Generator.from_key_counter(key, counter, self._alg).state.numpy())

    def skip(self, delta: Any) -> None:
        """Advances the counter as drawing ``delta`` elements would."""
        self._advance(int(to_tensor(delta).numpy()))

    def _advance(self, elements: int) -> None:
        words = [int(w) & _MASK64 for w in self._state_var.numpy()]
        size = len(words) - 1
        counter = sum(w << (64 * i) for i, w in enumerate(words[:size])) + elements * _COUNTER_STEP
        counter %= 1 << (64 * size)
        words[:size] = [(counter >> (64 * i)) & _MASK64 for i in range(size)]
        self._state_var.assign(np.array(words, dtype=np.uint64).view(np.int64))

    def _draw(self, op: Any, dims: tuple, inputs: tuple, attrs: dict) -> Tensor:
        out = execute(op, (self._state_var.read_value(),) + inputs, {"shape": dims, **attrs})
        self._advance(int(np.prod(dims, dtype=np.int64)))
        return out

    def normal(self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32,
               name: str | None = None) -> Tensor:
        """N(mean, stddev²) samples."""
        dtype = _float_dtype(dtypes.as_dtype(dtype), "StatefulStandardNormalV2")
        dims = _shape_attr(shape, "StatefulStandardNormalV2")
        unit = self._draw(StatefulNormal, dims, (), {"dtype": dtype._np})
        return _scale_shift(unit, stddev, mean, dtype)

    def truncated_normal(self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32,
                         name: str | None = None) -> Tensor:
        """Normal samples within ``mean ± 2 stddev``."""
        dtype = _float_dtype(dtypes.as_dtype(dtype), "StatefulTruncatedNormal")
        unit = self._draw(StatefulTruncatedNormal, _shape_attr(shape, "StatefulTruncatedNormal"), (),
                          {"dtype": dtype._np})
        return _scale_shift(unit, stddev, mean, dtype)

    def uniform(self, shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = dtypes.float32,
                name: str | None = None) -> Tensor:
        """Uniform samples in ``[minval, maxval)``; integer dtypes need both bounds or neither (full range).

        Raises:
            ValueError: only one integer bound given.
        """
        dtype = _accepted_dtype(dtype, _STATELESS_UNIFORM_TYPES)
        dims = _shape_attr(shape, "StatefulUniform")
        if dtype.is_integer:
            if minval is None and maxval is None:
                return self.uniform_full_int(dims, dtype)
            if minval is None or maxval is None:
                raise ValueError(f"For integer dtype tf.{dtype.name}, minval and maxval must be both `None` "
                                 f"or "
                                 f"both non-`None`; got minval={minval} and maxval={maxval}")
            low, high = to_tensor(minval, dtype=dtype), to_tensor(maxval, dtype=dtype)
            return self._draw(StatefulUniformInt, dims, (low, high), {"dtype": dtype._np,
                                                                       "op_name": "StatefulUniformInt"})
        unit = self._draw(StatefulUniform, dims, (), {"dtype": dtype._np})
        return _uniform_range(unit, 0 if minval is None else minval, 1 if maxval is None else maxval, dtype)

    def uniform_full_int(self, shape: Any, dtype: Any = dtypes.uint64, name: str | None = None) -> Tensor:
        """Integers uniform over the dtype's whole range."""
        dtype = dtypes.as_dtype(dtype)
        return self._draw(StatefulUniformFullInt, _shape_attr(shape, "StatefulUniformFullInt"), (),
                          {"dtype": dtype._np})

    def make_seeds(self, count: int = 1) -> Tensor:
        """``count`` seeds for stateless ops, as an int64 ``[2, count]`` tensor."""
        return self.uniform_full_int([2, count], dtype=dtypes.int64)

    def split(self, count: int = 1) -> list:
        """``count`` new independent generators (this generator's state advances)."""
        keys = self.uniform_full_int([count], dtype=dtypes.int64).numpy()
        size = _STATE_SIZES[self._alg]
        return [Generator(state=[0] * (size - 1) + [int(k)], alg=self._alg) for k in keys]

    def __repr__(self) -> str:
        state = self._state_var.numpy().tolist()
        return f"<ndflow.random.Generator algorithm={self._alg.name} state={state}>"


export("random.Generator")(Generator)

_global_generator: Generator | None = None


@export("random.get_global_generator")
def get_global_generator() -> Generator:
    """The process-wide generator (created from nondeterministic state on first use)."""
    global _global_generator
    if _global_generator is None:
        _global_generator = Generator.from_non_deterministic_state()
    return _global_generator


@export("random.set_global_generator")
def set_global_generator(generator: Generator) -> None:
    """Replaces the process-wide generator."""
    global _global_generator
    _global_generator = generator
