"""``keras.random``: random tensors driven by explicit seeds (Keras 3 semantics).

Every function takes ``seed``: an ``int`` gives the same values on each call, a ``SeedGenerator`` advances its
state on each call, and ``None`` uses Keras's global seed generator (reset by ``keras.utils.set_random_seed``).
Draws go through ndflow's stateless random ops, so they are reproducible and work inside ``ndflow.function``.
"""
from __future__ import annotations

import random as python_random
from typing import Any

import numpy as np

from .. import random as nd_random
from .._core.dtypes import as_dtype
from .._core.tensor import Tensor, convert_to_tensor
from .._core.variable import Variable

__all__ = ["SeedGenerator", "normal", "uniform", "truncated_normal", "randint", "categorical", "dropout",
           "shuffle"]

_SEED_DTYPE = "int64"
_GLOBAL: dict[str, Any] = {"generator": None}
_SEED_NAME_COUNTS: dict[str, int] = {}


def make_default_seed() -> int:
    """A fresh seed from Python's ``random`` module (so ``random.seed`` makes it reproducible)."""
    return python_random.randint(1, int(1e9))


def _auto_name() -> str:
    count = _SEED_NAME_COUNTS.get("seed_generator", 0)
    _SEED_NAME_COUNTS["seed_generator"] = count + 1
    return "seed_generator" if count == 0 else f"seed_generator_{count}"


class SeedGenerator:
    """A random state that yields a new seed on each ``next()`` call.

    Args:
        seed: an ``int`` initial seed; ``None`` draws one from Python's ``random`` module.
        name: the generator's name.

    Raises:
        ValueError: when ``seed`` is not an integer.
    """

    def __init__(self, seed: int | None = None, name: str | None = None, **kwargs: Any) -> None:
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
        self.name = name or _auto_name()
        self._initial_seed = seed
        if seed is None:
            seed = make_default_seed()
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed}")
        self.state = Variable(np.array([int(seed), 0], dtype=_SEED_DTYPE), trainable=False,
                              name="seed_generator_state")

    def next(self, ordered: bool = True) -> Tensor:
        """Returns the current state (a 2-element int tensor) and advances it."""
        current = self.state.read_value()
        if ordered:
            self.state.assign(current + convert_to_tensor(np.array([0, 1], dtype=_SEED_DTYPE)))
        else:
            self.state.assign((current + 1) * 5387 % 933199)
        return current

    def get_config(self) -> dict:
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> SeedGenerator:
        return cls(**config)


def global_seed_generator() -> SeedGenerator:
    """The generator behind unseeded random calls (created on first use)."""
    if _GLOBAL["generator"] is None:
        _GLOBAL["generator"] = SeedGenerator()
    return _GLOBAL["generator"]


def reset_global_seed_generator() -> None:
    """Forgets the global generator; the next unseeded draw makes a new one from Python's ``random``."""
    _GLOBAL["generator"] = None


def draw_seed(seed: Any) -> Any:
    """The 2-element seed for a stateless op from ``seed`` (int, ``SeedGenerator`` or ``None``).

    Raises:
        ValueError: for any other kind of ``seed``.
    """
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return convert_to_tensor(np.array([int(seed), 0], dtype=_SEED_DTYPE))
    if seed is None:
        return global_seed_generator().next(ordered=False)
    raise ValueError("Argument `seed` must be either an integer or an instance of `SeedGenerator`. "
                     f"Received: seed={seed} (of type {type(seed)})")


def _float_dtype(dtype: Any, function: str) -> Any:
    if dtype is None:
        from .backend import floatx

        return as_dtype(floatx())
    dtype = as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"`keras.random.{function}` requires a floating point `dtype`. Received: dtype={dtype.name}")
    return dtype


def _shape(shape: Any) -> tuple:
    return tuple(int(d) for d in shape)


def normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None) -> Tensor:
    """Samples from a normal distribution."""
    dtype = _float_dtype(dtype, "normal")
    return nd_random.stateless_normal(_shape(shape), seed=draw_seed(seed), mean=mean, stddev=stddev, dtype=dtype)


def uniform(shape: Any, minval: float = 0.0, maxval: float = 1.0, dtype: Any = None, seed: Any = None) -> Tensor:
    """Samples uniformly from ``[minval, maxval)``."""
    dtype = _float_dtype(dtype, "uniform")
    return nd_random.stateless_uniform(_shape(shape), seed=draw_seed(seed), minval=minval, maxval=maxval,
                                       dtype=dtype)


def truncated_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None,
                     seed: Any = None) -> Tensor:
    """Samples from a normal distribution, redrawing values more than two ``stddev`` from ``mean``."""
    dtype = _float_dtype(dtype, "truncated_normal")
    return nd_random.stateless_truncated_normal(_shape(shape), seed=draw_seed(seed), mean=mean, stddev=stddev,
                                                dtype=dtype)


def randint(shape: Any, minval: int, maxval: int, dtype: Any = "int32", seed: Any = None) -> Tensor:
    """Samples integers uniformly from ``[minval, maxval)``.

    Raises:
        ValueError: when ``dtype`` is not an integer type.
    """
    dtype = as_dtype(dtype)
    if not dtype.is_integer:
        raise ValueError(f"`keras.random.randint` requires an integer `dtype`. Received: dtype={dtype.name}")
    return nd_random.stateless_uniform(_shape(shape), seed=draw_seed(seed), minval=minval, maxval=maxval,
                                       dtype=dtype)


def categorical(logits: Any, num_samples: int, dtype: Any = "int32", seed: Any = None) -> Tensor:
    """Draws ``num_samples`` class indices per row of 2-D ``logits``.

    Raises:
        ValueError: when ``logits`` is not 2-D.
    """
    logits = convert_to_tensor(logits)
    if len(logits.shape) != 2:
        raise ValueError(f"`logits` should be a 2-D tensor with shape [batch_size, num_classes]. "
                         f"Received: logits={logits}")
    return nd_random.stateless_categorical(logits, int(num_samples), seed=draw_seed(seed), dtype=as_dtype(dtype))


def dropout(inputs: Any, rate: float, noise_shape: Any = None, seed: Any = None) -> Tensor:
    """Zeroes each entry with probability ``rate`` and scales the rest by ``1 / (1 - rate)``."""
    from .. import cast, multiply
    from .. import shape as dynamic_shape

    inputs = convert_to_tensor(inputs)
    if rate == 0:
        return inputs
    if noise_shape is None:
        noise_shape = inputs.shape if inputs.shape.is_fully_defined() else dynamic_shape(inputs)
    else:
        noise_shape = [inputs.shape[i] if d is None else d for i, d in enumerate(noise_shape)]
    noise = nd_random.stateless_uniform(noise_shape, seed=draw_seed(seed), dtype=inputs.dtype)
    keep = cast(noise >= rate, inputs.dtype)
    return multiply(inputs, keep * (1.0 / (1.0 - rate)))


def shuffle(x: Any, axis: int = 0, seed: Any = None) -> Tensor:
    """Randomly permutes ``x`` along ``axis``."""
    from .. import argsort, gather

    x = convert_to_tensor(x)
    keys = nd_random.stateless_uniform([x.shape[axis]], seed=draw_seed(seed))
    return gather(x, argsort(keys), axis=axis)
