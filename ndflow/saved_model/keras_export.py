"""Keras ``model.export(filepath)``: an inference-only SavedModel with a ``serve`` endpoint."""
from __future__ import annotations

from typing import Any

from .._core import nest
from .._core.module import Module
from .._core.tensor_spec import TensorSpec
from .save import keras_input_specs, keras_serving_function, save

__all__ = ["export_model"]


def export_model(model: Any, filepath: str, format: str = "tf_saved_model", verbose: bool = True,
                 input_signature: Any = None, **kwargs: Any) -> None:
    """Writes ``model``'s inference function as a SavedModel with the endpoint (and signature) ``serve``.

    Args:
        model: a built Keras model.
        filepath: the SavedModel directory.
        format: only ``"tf_saved_model"``.
        verbose: print the endpoint summary as Keras does.
        input_signature: ``[TensorSpec]`` for the single input (default: the model's inputs).

    Raises:
        ValueError: an unknown format, or a model that was never built or called.
        NotImplementedError: other formats, or models with several inputs.
    """
    if format in ("onnx", "openvino"):
        raise NotImplementedError(f"exporting to {format!r} is not supported yet")
    if format != "tf_saved_model":
        raise ValueError(f"Unrecognized format={format}")
    specs = list(input_signature) if input_signature is not None else keras_input_specs(model)
    if specs is None:
        raise ValueError("The model provided has never called. It must be called at least once before export.")
    if len(specs) != 1 or not isinstance(specs[0], TensorSpec):
        raise NotImplementedError("exporting a model with several inputs is not supported yet")
    archive = Module(name="export_archive")
    archive._variables = list(model.variables)
    archive.serve = keras_serving_function(model, specs)
    save(archive, filepath, signatures={"serve": archive.serve, "serving_default": archive.serve})
    if verbose:
        print(_summary(archive, filepath, specs))


def _summary(archive: Module, filepath: str, specs: list) -> str:
    concrete = archive.serve.get_concrete_function()
    outputs = nest.map_structure(lambda t: TensorSpec(t.shape, t.dtype), concrete.structured_outputs)
    captured = []
    for op in concrete.graph.get_operations():
        var = op.attrs.get("var")
        if var is not None and all(var is not v for v in captured):
            captured.append(var)
    lines = [f"Saved artifact at '{filepath}'. The following endpoints are available:", "", "* Endpoint 'serve'"]
    lines += [f"  args_{i} (POSITIONAL_ONLY): {spec!r}" for i, spec in enumerate(specs)]
    lines += ["Output Type:", f"  {outputs!r}", "Captures:"]
    lines += [f"  {id(var)}: TensorSpec(shape=(), dtype=tf.resource, name=None)" for var in captured]
    return "\n".join(lines)
