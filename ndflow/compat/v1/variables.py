"""``tf.compat.v1.Variable``: TF1's argument order, with ``collections=`` placing graph variables."""
from __future__ import annotations

from typing import Any

from ..._core.graph_variables import place_in_collections
from ..._core.variable import Variable, VariableAggregation, VariableSynchronization

__all__ = ["VariableV1"]


class VariableV1(Variable):
    """A variable created with TF1's signature (``collections`` is the third positional argument).

    ``collections`` (graph mode): the collections the variable goes in instead of GLOBAL_VARIABLES
    (TRAINABLE_VARIABLES is added for trainable ones). ``expected_shape`` and ``use_resource`` are accepted and
    ignored, as TF2's runtime ignores them.
    """

    def __init__(self, initial_value: Any = None, trainable: bool | None = None, collections: Any = None,
                 validate_shape: bool = True, caching_device: Any = None, name: str | None = None,
                 variable_def: Any = None, dtype: Any = None, expected_shape: Any = None, import_scope: Any = None,
                 constraint: Any = None, use_resource: Any = None,
                 synchronization: int = VariableSynchronization.AUTO,
                 aggregation: int = VariableAggregation.NONE, shape: Any = None) -> None:
        super().__init__(initial_value, trainable=trainable, validate_shape=validate_shape,
                         caching_device=caching_device, name=name, variable_def=variable_def, dtype=dtype,
                         import_scope=import_scope, constraint=constraint, synchronization=synchronization,
                         aggregation=aggregation, shape=shape)
        place_in_collections(self, collections)
