"""``Model``: a ``Layer`` with training, summaries and saving.

``Model(inputs, outputs)`` returns a ``Functional`` model (as Keras 3 does); a subclass of ``Model`` whose
``__init__`` calls ``super().__init__(inputs, outputs)`` becomes functional too. Otherwise subclass it and write
``call(inputs, training=None, mask=None)``.
"""
from __future__ import annotations

import json
import warnings
from typing import Any

from ..layers.layer import Layer, _shapes_of
from ..trainers.trainer import Trainer

__all__ = ["Model"]


def _functional_init_arguments(args: tuple, kwargs: dict) -> bool:
    return len(args) == 2 or (len(args) == 1 and "outputs" in kwargs) or ("inputs" in kwargs and "outputs" in kwargs)


def _inject_functional(cls: type) -> type:
    """Puts ``Functional`` in place of ``Model`` among the bases of ``cls`` (a functional subclass of Model)."""
    from .functional import Functional

    if cls is Model:
        return Functional
    if cls is object or not issubclass(cls, Model) or issubclass(cls, Functional):
        return cls
    cls.__bases__ = tuple(_inject_functional(base) for base in cls.__bases__)
    return cls


class Model(Trainer, Layer):
    """A trainable, savable group of layers.

    Args (subclassing): ``name``, ``trainable``, ``dtype`` as for ``Layer``.
    Args (functional): ``inputs``, ``outputs``, ``name`` (see ``Functional``).
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Model:
        if cls is Model and _functional_init_arguments(args, kwargs):
            from .functional import Functional

            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if _functional_init_arguments(args, kwargs):
            from .functional import Functional

            _inject_functional(type(self))
            Functional.__init__(self, *args, **kwargs)
        else:
            Layer.__init__(self, *args, **kwargs)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"Model {type(self).__name__} does not have a `call()` method implemented.")

    def build(self, input_shape: Any = None) -> None:
        """Marks the model built; a subclassed model's layers are built by its first call (as in Keras 3)."""
        if type(self).build is Model.build and any(not layer.built for layer in self._direct_sublayers()):
            warnings.warn(f"`build()` was called on layer '{self.name}', however the layer does not have a "
                          "`build()` method implemented and it looks like it has unbuilt state. This will cause "
                          "the layer to be marked as built, despite not being actually built, which may cause "
                          "failures down the line. Make sure to implement a proper `build()` method.",
                          stacklevel=2)
        self.built = True

    def _maybe_build(self, inputs: Any, args: tuple = (), kwargs: dict | None = None) -> None:
        if type(self).build is Model.build:
            self._build_shapes = _shapes_of(inputs)
            self.built = True
        else:
            super()._maybe_build(inputs, args, kwargs)

    @property
    def layers(self) -> list[Layer]:
        return self._direct_sublayers()

    @layers.setter
    def layers(self, _: Any) -> None:
        raise AttributeError("`Model.layers` attribute is reserved and should not be used. Please use another "
                             "name.")

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A layer by ``name`` or by ``index`` (in ``layers`` order).

        Raises:
            ValueError: both or neither given, an index out of range or an unknown name.
        """
        if index is not None and name is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: index={index}, name={name}.")
        layers = self.layers
        if index is not None:
            if len(layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only has {len(layers)} "
                                 "layers.")
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def summary(self, line_length: int | None = None, positions: Any = None, print_fn: Any = None,
                expand_nested: bool = False, show_trainable: bool = False, layer_range: Any = None) -> None:
        """Prints the table of layers, output shapes and parameter counts (Keras 3's layout).

        Args:
            line_length: total width (default: 88, or 108 with a "Connected to" column, capped by the terminal).
            positions: the columns' right edges, as fractions of ``line_length`` or absolute widths.
            print_fn: called once with the whole text instead of printing it.
            expand_nested: also list the layers of nested models.
            show_trainable: add a "Trainable" column.
            layer_range: ``[first, last]`` layer names (regular expressions) to show.
        """
        from .summary import print_summary

        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable, layer_range=layer_range)

    # -- configuration and saving --------------------------------------------------------------------------
    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Model:
        """Creates the model from ``get_config()`` output (functional configs are replayed layer by layer)."""
        from .functional import Functional, _functional_like_constructor, functional_from_config

        functional_keys = ("name", "layers", "input_layers", "output_layers")
        if all(key in config for key in functional_keys) and (
                cls in (Functional, Model) or _functional_like_constructor(cls)):
            return functional_from_config(Functional if cls is Model else cls, config, custom_objects)
        return cls(**config)

    def to_json(self, **kwargs: Any) -> str:
        """The model's config in Keras's ``{"module", "class_name", "config", …}`` envelope, as JSON.

        Args:
            **kwargs: passed to ``json.dumps``.
        """
        from .config import serialize_layer

        return json.dumps(serialize_layer(self), **kwargs)

    def save(self, filepath: Any, overwrite: bool = True, zipped: bool | None = None, **kwargs: Any) -> None:
        """Saves the model as a ``.keras`` archive (see ``keras.saving.save_model``)."""
        from .. import saving

        saving.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath: Any, overwrite: bool = True, max_shard_size: Any = None) -> None:
        """Saves the weights to a ``.weights.h5`` file (Keras 3's layout)."""
        from .. import saving

        saving.save_weights(self, filepath, overwrite=overwrite, max_shard_size=max_shard_size)

    def load_weights(self, filepath: Any, skip_mismatch: bool = False, **kwargs: Any) -> None:
        """Loads weights saved by ``save_weights`` (ours or Keras 3's)."""
        from .. import saving

        saving.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def export(self, filepath: Any, format: str = "tf_saved_model", verbose: bool = True, input_signature: Any = None,
               **kwargs: Any) -> None:
        """Writes an inference-only SavedModel with a ``serve`` endpoint (see ``ndflow.saved_model``)."""
        from ...saved_model.keras_export import export_model

        export_model(self, filepath, format=format, verbose=verbose, input_signature=input_signature, **kwargs)
