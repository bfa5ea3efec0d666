"""``StackedRNNCells``: several cells run one after the other at each timestep, as one cell."""
from __future__ import annotations

from typing import Any

from ...._core import nest
from ..layer import Layer
from ._util import build_sublayer, call_accepts, deserialize_layer, serialize_layer, zeros_state


class StackedRNNCells(Layer):
    """Wraps a list of cells so that ``RNN`` runs them as a deep cell (each cell feeds the next).

    Args:
        cells: the cells, first to last.

    Raises:
        ValueError: a cell without ``call`` or ``state_size``.
    """

    def __init__(self, cells: list, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for cell in cells:
            if "call" not in dir(cell):
                raise ValueError(f"All cells must have a `call` method. Received cell without a `call` method: "
                                 f"{cell}")
            if "state_size" not in dir(cell):
                raise ValueError("All cells must have a `state_size` attribute. Received cell without a "
                                 f"`state_size`: {cell}")
        self.cells = list(cells)

    @property
    def state_size(self) -> list:
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self) -> int:
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size: Any = None) -> list:
        states = []
        for cell in self.cells:
            get_initial_state = getattr(cell, "get_initial_state", None)
            if get_initial_state is not None:
                states.append(get_initial_state(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                states.append(zeros_state(batch_size, (cell.state_size,), self.compute_dtype))
            else:
                states.append([zeros_state(batch_size, (size,), self.compute_dtype) for size in cell.state_size])
        return states

    def build(self, input_shape: Any) -> None:
        for cell in self.cells:
            build_sublayer(self, cell, input_shape)
            input_shape = (nest.flatten(input_shape)[0], _output_size(cell))
        self.built = True

    def call(self, inputs: Any, states: Any, training: Any = False, **kwargs: Any) -> tuple:
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            was_list = isinstance(cell_states, (list, tuple))
            cell_states = list(cell_states) if was_list else [cell_states]
            call = cell if callable(cell) else cell.call
            if isinstance(cell, Layer) and call_accepts(cell.call, "training"):
                kwargs["training"] = training
            else:
                kwargs.pop("training", None)
            inputs, cell_states = call(inputs, cell_states, **kwargs)
            if not isinstance(cell_states, (list, tuple)):
                cell_states = [cell_states]
            if len(cell_states) == 1 and not was_list:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        if len(new_states) == 1:
            new_states = new_states[0]
        return inputs, new_states

    def get_config(self) -> dict:
        return {**super().get_config(), "cells": [serialize_layer(cell) for cell in self.cells]}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> StackedRNNCells:
        config = dict(config)
        cells = [deserialize_layer(c, custom_objects=custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)


def _output_size(cell: Any) -> int:
    if getattr(cell, "output_size", None) is not None:
        return cell.output_size
    if isinstance(cell.state_size, (list, tuple)):
        return cell.state_size[0]
    return cell.state_size
