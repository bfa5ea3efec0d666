"""``tf.data.Options`` and its groups: typed option records that merge (later values win).

ndflow acts on ``deterministic`` (the default order of parallel transformations) and
``threading.private_threadpool_size`` (their thread count); the others are accepted and kept.
"""
from __future__ import annotations

import enum
from typing import Any

__all__ = ["Options", "ThreadingOptions", "AutotuneOptions", "OptimizationOptions", "DistributeOptions",
           "AutoShardPolicy", "ExternalStatePolicy", "AutotuneAlgorithm"]


class AutoShardPolicy(enum.IntEnum):
    """How a distributed input pipeline is split between workers."""

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3

    def __str__(self) -> str:
        return str(self.value)


class ExternalStatePolicy(enum.Enum):
    """What to do with state a checkpoint cannot capture."""

    WARN = 0
    IGNORE = 1
    FAIL = 2


class AutotuneAlgorithm(enum.Enum):
    DEFAULT = 0
    HILL_CLIMB = 1
    GRADIENT_DESCENT = 2
    MAX_PARALLELISM = 3
    STAGE_BASED = 4


class _OptionsBase:
    """Options record: the attributes in ``_FIELDS`` (name → (type, default)); others cannot be set."""

    _FIELDS: dict[str, tuple] = {}

    def __init__(self) -> None:
        for name, (kind, default) in self._FIELDS.items():
            object.__setattr__(self, name, kind() if isinstance(kind, type) and
                               issubclass(kind, _OptionsBase) else default)

    def __setattr__(self, name: str, value: Any) -> None:
        field = self._FIELDS.get(name)
        if field is None:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")
        kind = field[0]
        if value is not None and not isinstance(value, kind):
            raise TypeError(f"Property \"{name}\" must be of type {kind}, got: {value} (type: {type(value)})")
        object.__setattr__(self, name, value)

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self._FIELDS)

    def __ne__(self, other: Any) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def _merge_into(self, result: _OptionsBase, other: _OptionsBase) -> None:
        for name, (_, default) in self._FIELDS.items():
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, _OptionsBase):
                merged = type(mine)()
                mine._merge_into(merged, mine)
                mine._merge_into(merged, theirs)
                object.__setattr__(result, name, merged)
            elif theirs != default:
                object.__setattr__(result, name, theirs)
            else:
                object.__setattr__(result, name, mine)


class ThreadingOptions(_OptionsBase):
    """``max_intra_op_parallelism`` and ``private_threadpool_size`` (threads of parallel transformations)."""

    _FIELDS = {"max_intra_op_parallelism": (int, None), "private_threadpool_size": (int, None)}


class AutotuneOptions(_OptionsBase):
    _FIELDS = {"enabled": (bool, None), "cpu_budget": (int, None), "ram_budget": (int, None),
               "autotune_algorithm": (AutotuneAlgorithm, None), "initial_parallelism": (int, None),
               "min_parallelism": (int, None)}


class OptimizationOptions(_OptionsBase):
    _FIELDS = {name: (bool, None) for name in (
        "apply_default_optimizations", "filter_fusion", "filter_parallelization", "inject_prefetch",
        "map_and_batch_fusion", "map_and_filter_fusion", "map_fusion", "map_parallelization", "noop_elimination",
        "parallel_batch", "seq_interleave_prefetch", "shuffle_and_repeat_fusion")}


class DistributeOptions(_OptionsBase):
    _FIELDS = {"auto_shard_policy": (AutoShardPolicy, AutoShardPolicy.AUTO), "num_devices": (int, None)}


class ServiceOptions(_OptionsBase):
    _FIELDS = {"pinned": (bool, None)}


class Options(_OptionsBase):
    """Options of a dataset pipeline (``dataset.with_options(options)``)."""

    _FIELDS = {
        "autotune": (AutotuneOptions, None), "dataset_name": (str, None), "deterministic": (bool, None),
        "experimental_distribute": (DistributeOptions, None),
        "experimental_external_state_policy": (ExternalStatePolicy, None),
        "experimental_optimization": (OptimizationOptions, None), "experimental_service": (ServiceOptions, None),
        "experimental_slack": (bool, None), "experimental_symbolic_checkpoint": (bool, None),
        "experimental_warm_start": (bool, None), "framework_type": (list, None), "threading": (ThreadingOptions, None),
    }

    @property
    def experimental_deterministic(self) -> bool | None:
        return self.deterministic

    @experimental_deterministic.setter
    def experimental_deterministic(self, value: bool | None) -> None:
        self.deterministic = value

    @property
    def experimental_threading(self) -> ThreadingOptions:
        return self.threading

    @experimental_threading.setter
    def experimental_threading(self, value: ThreadingOptions) -> None:
        self.threading = value

    def __setattr__(self, name: str, value: Any) -> None:
        prop = getattr(type(self), name, None)
        if isinstance(prop, property):
            prop.fset(self, value)
            return
        if name not in self._FIELDS:
            raise AttributeError(f"Cannot set the property {name} on Options.")
        super().__setattr__(name, value)

    def merge(self, options: Options | None) -> Options:
        """These options with the values set in ``options`` (non-defaults) taking precedence."""
        result = Options()
        self._merge_into(result, self)
        if options is not None:
            self._merge_into(result, options)
        return result
