"""``serialize_keras_object`` / ``deserialize_keras_object`` in Keras 3's format.

Objects become ``{"module", "class_name", "config", "registered_name"[, "build_config", "compile_config"]}``.
Built-in classes are written under Keras's public module names (``keras.layers``, ``keras.optimizers`` …) and
resolved back through them; custom classes through ``custom_objects``, ``custom_object_scope`` or
``register_keras_serializable``. Python lambdas are written as marshalled bytecode and are only ever rebuilt
with safe mode off.
"""
from __future__ import annotations

import codecs
import importlib
import inspect
import marshal
import threading
import types
from typing import Any, Callable

import numpy as np

from . import object_registration

__all__ = ["serialize_keras_object", "deserialize_keras_object", "SafeModeScope", "in_safe_mode",
           "enable_unsafe_deserialization", "ObjectSharingScope", "public_module_of", "get_build_config",
           "build_from_config"]

_PLAIN_TYPES = (str, int, float, bool)

# Keras's public modules and the ndflow modules holding the same classes, in the order names are looked for.
_PUBLIC_MODULES = (
    ("keras", "ndflow.keras.models"),
    ("keras.layers", "ndflow.keras.layers"),
    ("keras.optimizers.schedules", "ndflow.keras.optimizers.schedules"),
    ("keras.optimizers", "ndflow.keras.optimizers"),
    ("keras.losses", "ndflow.keras.losses"),
    ("keras.metrics", "ndflow.keras.metrics"),
    ("keras.initializers", "ndflow.keras.initializers"),
    ("keras.regularizers", "ndflow.keras.regularizers"),
    ("keras.constraints", "ndflow.keras.constraints"),
    ("keras.activations", "ndflow.keras.activations"),
)
_PUBLIC_MODEL_NAMES = ("Sequential", "Model")
# Keras modules whose functions may be named by a bare string (``{"module": "builtins", …}`` function entries).
_FUNCTION_MODULES = ("ndflow.keras.activations", "ndflow.keras.constraints", "ndflow.keras.initializers",
                     "ndflow.keras.losses", "ndflow.keras.metrics", "ndflow.keras.optimizers",
                     "ndflow.keras.regularizers")
_NON_MODELING_APIS = frozenset(
    f"keras.{name}" for name in (
        "backend.clear_session", "config.enable_unsafe_deserialization", "models.load_model",
        "models.model_from_json", "models.save_model", "saving.deserialize_keras_object", "saving.load_model",
        "saving.load_weights", "saving.register_keras_serializable", "saving.save_model", "saving.save_weights",
        "saving.serialize_keras_object", "utils.clear_session", "utils.deserialize_keras_object", "utils.get_file",
        "utils.register_keras_serializable", "utils.serialize_keras_object"))

_LAMBDA_ERROR = ("Requested the deserialization of a Python lambda. This carries a potential risk of arbitrary code "
                 "execution and thus it is disallowed by default. If you trust the source of the artifact, you can "
                 "override this error by passing `safe_mode=False` to the loading function, or calling "
                 "`keras.config.enable_unsafe_deserialization().")


# -- safe mode and object sharing ------------------------------------------------------------------------------
class _State(threading.local):
    def __init__(self) -> None:
        self.safe_mode: bool | None = None
        self.shared_objects: dict | None = None


_STATE = _State()


def in_safe_mode() -> bool | None:
    """The safe-mode flag of this thread: ``None`` when never set (callers treat that as safe)."""
    return _STATE.safe_mode


def enable_unsafe_deserialization() -> None:
    """Turns safe mode off for this thread, allowing Python lambdas to be deserialized."""
    _STATE.safe_mode = False


class SafeModeScope:
    """Sets the safe-mode flag for nested deserialization calls within a ``with`` block."""

    def __init__(self, safe_mode: bool | None = True) -> None:
        self.safe_mode = safe_mode
        self._previous: bool | None = None

    def __enter__(self) -> SafeModeScope:
        self._previous = _STATE.safe_mode
        _STATE.safe_mode = self.safe_mode
        return self

    def __exit__(self, *exc_info: Any) -> None:
        _STATE.safe_mode = self._previous


class ObjectSharingScope:
    """Within the block, configs carrying the same ``shared_object_id`` deserialize to one object."""

    def __enter__(self) -> ObjectSharingScope:
        self._previous = _STATE.shared_objects
        _STATE.shared_objects = {}
        return self

    def __exit__(self, *exc_info: Any) -> None:
        _STATE.shared_objects = self._previous


# -- class <-> public name -----------------------------------------------------------------------------------
def _import(module_name: str) -> Any:
    return importlib.import_module(module_name)


def public_module_of(cls: type) -> str | None:
    """Keras's public module for an ndflow built-in class (``"keras.layers"`` for ``Dense``), else ``None``."""
    if not getattr(cls, "__module__", "").startswith("ndflow.keras"):
        return None
    for keras_module, module_name in _PUBLIC_MODULES:
        if keras_module == "keras" and cls.__name__ not in _PUBLIC_MODEL_NAMES:
            continue
        if getattr(_import(module_name), cls.__name__, None) is cls:
            return keras_module
    return None


def _class_envelope(cls: type) -> tuple[str | None, str | None]:
    """``(module, registered_name)`` as Keras writes them for an instance of ``cls``."""
    public = public_module_of(cls)
    if public is not None:
        return public, None
    special = _internal_class_module(cls)
    if special is not None:
        return special, cls.__name__
    module = None if cls.__module__ == "__main__" else cls.__module__
    return module, object_registration.get_registered_name(cls)


def _internal_class_module(cls: type) -> str | None:
    """Keras's module names for the non-exported classes that still appear in configs."""
    from ..models.functional import Functional
    from ..models.operations import OPERATIONS

    if cls is Functional:
        return "keras.src.models.functional"
    if OPERATIONS.get(cls.__name__) is cls:
        return "keras.src.ops.numpy"
    return None


def _find_builtin(module: str, name: str) -> Any:
    """The ndflow object for Keras's ``module.name`` (public or ``keras.src.*``), else ``None``."""
    if module == "keras" or module.startswith("keras."):
        if f"{module}.{name}" in _NON_MODELING_APIS:
            raise ValueError(f"Cannot deserialize `{module}.{name}` because it is not a modeling function. "
                             "Non-modeling APIs are disallowed during deserialization for security. Model "
                             "configuration should only contains operations, layers, metrics, losses, or registered "
                             "custom objects and functions.")
        if module == "keras.src.models.functional" and name == "Functional":
            from ..models.functional import Functional

            return Functional
        if module.startswith("keras.src.ops"):
            from ..models.operations import OPERATIONS

            return OPERATIONS.get(name)
        for keras_module, module_name in _candidate_modules(module):
            if keras_module == "keras" and name not in _PUBLIC_MODEL_NAMES:
                continue
            found = getattr(_import(module_name), name, None)
            if found is not None:
                return found
        return None
    if module.startswith("ndflow.keras."):
        try:
            found = getattr(_import(module), name, None)
        except ImportError:
            return None
        return found if inspect.isclass(found) and hasattr(found, "from_config") else None
    return None


def _candidate_modules(module: str) -> list[tuple[str, str]]:
    """The public modules to search for a name Keras wrote under ``module``: that module itself, or for an
    internal ``keras.src.<section>…`` module the public modules of that section first, then all others."""
    if not module.startswith("keras.src."):
        return [entry for entry in _PUBLIC_MODULES if entry[0] == module]
    section = module.split(".")[2]
    public = "keras" if section == "models" else f"keras.{section}"
    preferred = [entry for entry in _PUBLIC_MODULES if entry[0] == public or entry[0].startswith(f"{public}.")]
    return preferred + [entry for entry in _PUBLIC_MODULES if entry not in preferred]


def _legacy_module(name: str) -> str | None:
    if name == "Functional":
        return "keras.src.models.functional"
    if name in _PUBLIC_MODEL_NAMES:
        return "keras"
    return "keras.layers" if getattr(_import("ndflow.keras.layers"), name, None) is not None else None


def _builtin_function(name: str) -> Any:
    for module_name in _FUNCTION_MODULES:
        found = getattr(_import(module_name), name, None)
        if inspect.isfunction(found):
            return found
    return None


# -- serialization -------------------------------------------------------------------------------------------
def serialize_keras_object(obj: Any) -> Any:
    """A JSON-compatible description of ``obj`` that ``deserialize_keras_object`` turns back into it.

    Plain values, lists, tuples and dicts are kept (their items serialized); tensors and NumPy arrays become
    ``__tensor__``/``__numpy__`` entries; functions become ``{"class_name": "function", …}``; objects with
    ``get_config()`` become ``{"module", "class_name", "config", "registered_name", …}``.

    Raises:
        TypeError: an object without ``get_config()``, or whose ``get_config()`` is not a dict.
    """
    if obj is None or isinstance(obj, _PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return _serialize_dict(obj)
    special = _serialize_special(obj)
    if special is not None:
        return special
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        return {"class_name": "__lambda__", "config": {"value": _dump_function(obj)}}
    if isinstance(obj, types.FunctionType):
        return {"module": "builtins", "class_name": "function",
                "config": object_registration.get_registered_name(obj), "registered_name": "function"}
    module, registered_name = _class_envelope(type(obj))
    config = {"module": module, "class_name": type(obj).__name__, "config": _object_config(obj),
              "registered_name": registered_name}
    _add_build_and_compile_config(obj, config)
    return config


def _serialize_dict(obj: dict) -> dict:
    return {key: serialize_keras_object(value) for key, value in obj.items()}


def _serialize_special(obj: Any) -> Any:
    """Entries for bytes, slices, Ellipsis, graph and eager tensors, NumPy values and dtypes (else ``None``)."""
    from ..._core.dtypes import DType
    from ..._core.tensor import Tensor
    from ..models.keras_tensor import KerasTensor

    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {"class_name": "__slice__", "config": {"start": serialize_keras_object(obj.start),
                                                      "stop": serialize_keras_object(obj.stop),
                                                      "step": serialize_keras_object(obj.step)}}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, KerasTensor):
        history = getattr(obj, "_keras_history", None)
        if history:
            history = [history[0].name, *list(history)[1:]]
        return {"class_name": "__keras_tensor__",
                "config": {"shape": obj.shape, "dtype": obj.dtype, "keras_history": history or None}}
    if isinstance(obj, Tensor):
        return {"class_name": "__tensor__", "config": {"value": np.asarray(obj.numpy()).tolist(),
                                                       "dtype": obj.dtype.name}}
    if isinstance(obj, np.ndarray) and obj.ndim > 0:
        return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
    if isinstance(obj, (np.generic, np.ndarray)):
        return obj.item()
    if isinstance(obj, (DType, np.dtype)):
        return obj.name
    return None


def _object_config(obj: Any) -> Any:
    if not hasattr(obj, "get_config"):
        if hasattr(obj, "__name__"):
            return object_registration.get_registered_name(obj)
        raise TypeError(f"Cannot serialize object {obj} of type {type(obj)}. To be serializable, a class must "
                        "implement the `get_config()` method.")
    config = obj.get_config()
    if not isinstance(config, dict):
        raise TypeError(f"The `get_config()` method of {obj} should return a dict. It returned: {config}")
    return _serialize_dict(config)


def _add_build_and_compile_config(obj: Any, config: dict) -> None:
    build_config = get_build_config(obj)
    if build_config is not None:
        config["build_config"] = _serialize_dict(build_config)
    if hasattr(obj, "get_compile_config"):
        compile_config = obj.get_compile_config()
        if compile_config is not None:
            config["compile_config"] = _serialize_dict(compile_config)


def get_build_config(obj: Any) -> dict | None:
    """``obj.get_build_config()`` (layers record the shapes they were built with); ``None`` for other objects."""
    return obj.get_build_config() if hasattr(obj, "get_build_config") else None


def build_from_config(obj: Any, build_config: dict) -> None:
    """Creates the weights of a deserialized, unbuilt layer from its ``build_config``.

    The layer's own ``build_from_config`` wins; a model without its own ``build`` is called once on zeros of the
    recorded shape (unknown dimensions taken as 1), as Keras builds such models by running them.
    """
    if hasattr(obj, "build_from_config"):
        obj.build_from_config(build_config)
        return
    if build_config and "shapes_dict" in build_config:
        shapes_dict = {name: _as_shape_tuples(shape) for name, shape in build_config["shapes_dict"].items()}
        obj.build(**shapes_dict)
        obj._build_shapes_dict = shapes_dict
        obj.built = True
        return
    if not build_config or "input_shape" not in build_config:
        return
    shape = build_config["input_shape"]
    from ..layers.layer import Layer
    from ..models.model import Model

    if isinstance(obj, Model) and type(obj).build is Model.build:
        if shape is not None:
            obj(_zeros_like_shape(shape))
        return
    if isinstance(obj, Layer):
        shapes = _as_shape_tuples(shape)
        obj.build(shapes)
        obj._build_shapes = shapes
        obj.built = True


def _is_shape(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(d is None or isinstance(d, int) for d in value)


def _as_shape_tuples(shape: Any) -> Any:
    if shape is None or _is_shape(shape):
        return None if shape is None else tuple(shape)
    if isinstance(shape, dict):
        return {k: _as_shape_tuples(v) for k, v in shape.items()}
    return [_as_shape_tuples(s) for s in shape]


def _zeros_like_shape(shape: Any) -> Any:
    from ..backend import floatx

    if _is_shape(shape):
        return np.zeros([1 if d is None else d for d in shape], dtype=floatx())
    if isinstance(shape, dict):
        return {k: _zeros_like_shape(v) for k, v in shape.items()}
    return [_zeros_like_shape(s) for s in shape]


# -- deserialization -----------------------------------------------------------------------------------------
def deserialize_keras_object(config: Any, custom_objects: dict | None = None, safe_mode: bool = True,
                             **kwargs: Any) -> Any:
    """Rebuilds the object that ``serialize_keras_object`` described.

    Args:
        config: the serialized form (a dict, list, plain value or function name).
        custom_objects: ``{name: class or function}`` for custom objects.
        safe_mode: refuse Python lambdas (an enclosing ``SafeModeScope`` / ``load_model(safe_mode=...)`` or
            ``keras.config.enable_unsafe_deserialization()`` takes precedence).
        **kwargs: ``module_objects``: ``{name: object}`` for names that are not full configs.

    Raises:
        TypeError: the class or function cannot be found, or its ``from_config`` fails.
        ValueError: a lambda in safe mode; a non-modeling Keras API.
    """
    scoped = in_safe_mode()
    safe_mode = scoped if scoped is not None else safe_mode
    module_objects = kwargs.pop("module_objects", None)
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {list(kwargs)}")
    custom_objects = {**(custom_objects or {}), **object_registration.scoped_custom_objects(),
                      **object_registration.get_custom_objects()}
    if config is None:
        return None
    if isinstance(config, str) and custom_objects.get(config) is not None:
        return custom_objects[config]
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(x, custom_objects=custom_objects, safe_mode=safe_mode) for x in config]
    if module_objects is not None:
        found = _from_module_objects(config, module_objects, custom_objects)
        if found is not _NOT_FOUND:
            return found
    if isinstance(config, _PLAIN_TYPES):
        return config
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config}")
    if "class_name" not in config or "config" not in config:
        return {key: deserialize_keras_object(value, custom_objects=custom_objects, safe_mode=safe_mode)
                for key, value in config.items()}
    special = _deserialize_special(config, custom_objects, safe_mode)
    if special is not _NOT_FOUND:
        return special
    return _deserialize_class_or_function(config, custom_objects, safe_mode)


_NOT_FOUND = object()


def _from_module_objects(config: Any, module_objects: dict, custom_objects: dict) -> Any:
    """Keras's lookup of a name or short config in ``module_objects``: the object found, the name itself when
    unknown, or ``_NOT_FOUND`` when a custom object is meant (full deserialization then handles it).

    Raises:
        ValueError: a dict without ``class_name``.
        TypeError: a class config whose ``module`` is ``None`` (an unregistered custom class).
    """
    inner = None
    if isinstance(config, dict):
        if "class_name" not in config:
            raise ValueError(f"Unknown `config` as a `dict`, config={config}")
        inner = config.get("config")
        names = (config["class_name"], config.get("registered_name"), inner if isinstance(inner, str) else None)
        if any(name is not None and name in custom_objects for name in names):
            return _NOT_FOUND
        if config["class_name"] == "function":
            name = inner if config.get("module") == "builtins" else config.get("registered_name")
        elif config.get("module", "_") is None:
            raise TypeError(f"Cannot deserialize object of type `{config['class_name']}`. If "
                            f"`{config['class_name']}` is a custom class, please register it using the "
                            "`@keras.saving.register_keras_serializable()` decorator.")
        else:
            name = config["class_name"]
    else:
        name = config
    if not isinstance(name, str) or name not in module_objects:
        return name
    found = module_objects[name]
    if not inspect.isclass(found):
        return found
    return found.from_config(inner if isinstance(inner, dict) else {})


def _deserialize_special(config: dict, custom_objects: dict, safe_mode: bool) -> Any:
    kind = config["class_name"]
    inner = config["config"] if config["config"] is not None else {}
    if kind == "__keras_tensor__":
        from ..models.keras_tensor import KerasTensor

        tensor = KerasTensor(inner["shape"], dtype=inner["dtype"])
        tensor._pre_serialization_keras_history = inner.get("keras_history")
        return tensor
    if kind == "__tensor__":
        from ..._core.tensor import convert_to_tensor

        return convert_to_tensor(np.asarray(inner["value"], dtype=inner["dtype"]))
    if kind == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if kind == "__bytes__":
        return inner["value"].encode("utf-8")
    if kind == "__ellipsis__":
        return Ellipsis
    if kind == "__slice__":
        return slice(*(deserialize_keras_object(inner[key], custom_objects=custom_objects, safe_mode=safe_mode)
                       for key in ("start", "stop", "step")))
    if kind == "__lambda__":
        if safe_mode:
            raise ValueError(_LAMBDA_ERROR)
        return _load_function(inner)
    return _NOT_FOUND


def _deserialize_class_or_function(config: dict, custom_objects: dict, safe_mode: bool) -> Any:
    class_name = config["class_name"]
    inner = config["config"] if config["config"] is not None else {}
    module = config.get("module")
    registered_name = config.get("registered_name", class_name)
    if class_name == "function":
        if not isinstance(inner, str):
            raise TypeError(f"Expected 'config' to be a non-null str for a function classname,\ninstead got "
                            f"{type(inner)}\nFull config: {config}")
        return _retrieve(inner, registered_name, module, "function", config, custom_objects)
    if not isinstance(inner, dict):
        raise TypeError(f"Expected 'config' to be a dict for {class_name},\ninstead got {type(inner)}\n"
                        f"Full config: {config}")
    shared_id = config.get("shared_object_id")
    if shared_id is not None and _STATE.shared_objects is not None and shared_id in _STATE.shared_objects:
        return _STATE.shared_objects[shared_id]
    cls = _retrieve(class_name, registered_name, module, "class", config, custom_objects)
    if isinstance(cls, types.FunctionType):
        return cls
    if not hasattr(cls, "from_config"):
        raise TypeError(f"Unable to reconstruct an instance of '{class_name}' because the class is missing a "
                        f"`from_config()` method. Full object config: {config}")
    with object_registration.CustomObjectScope(custom_objects), SafeModeScope(safe_mode):
        try:
            instance = cls.from_config(inner)
        except TypeError as error:
            raise TypeError(f"{cls} could not be deserialized properly. Please ensure that components that are "
                            "Python object instances (layers, models, etc.) returned by `get_config()` are "
                            "explicitly deserialized in the model's `from_config()` method.\n\nconfig="
                            f"{config}.\n\nException encountered: {error}") from error
        build_config = config.get("build_config")
        if build_config and not getattr(instance, "built", True):
            build_from_config(instance, build_config)
            instance.built = True
        compile_config = config.get("compile_config")
        if compile_config:
            instance.compile_from_config(compile_config)
    if shared_id is not None and _STATE.shared_objects is not None:
        _STATE.shared_objects[shared_id] = instance
    return instance


def _retrieve(name: str, registered_name: Any, module: Any, kind: str, full_config: dict,
              custom_objects: dict) -> Any:
    """Finds a class or function: registered/custom objects first, then Keras built-ins.

    Raises:
        TypeError: nothing by that name.
        NotImplementedError: a Keras built-in that ndflow does not have.
    """
    custom = object_registration.get_registered_object(name if kind == "function" else registered_name,
                                                       custom_objects=custom_objects)
    if custom is not None:
        return custom
    if "module" not in full_config and kind == "class":
        module = _legacy_module(name)  # tf.keras 2 configs name built-in layers and models by class only
    if module:
        found = _find_builtin(module, name)
        if found is not None:
            return found
        if kind == "function" and module == "builtins":
            found = _builtin_function(name)
            if found is not None:
                return found
            for custom_name, custom_object in custom_objects.items():
                if custom_name.endswith(f">{name}"):
                    return custom_object
        if module == "keras" or module.startswith("keras."):
            raise NotImplementedError(f"`{module}.{name}` is not supported yet")
    raise TypeError(f"Could not locate {kind} '{name}'. Make sure custom classes and functions are decorated with "
                    "`@keras.saving.register_keras_serializable()`. If they are already decorated, make sure they "
                    f"are all imported so that the decorator is run before trying to load them. Full object config: "
                    f"{full_config}")


# -- Python lambdas ------------------------------------------------------------------------------------------
def _dump_function(fn: Callable) -> tuple:
    """``(base64 bytecode, defaults, closure values)`` of a function."""
    code = codecs.encode(marshal.dumps(fn.__code__), "base64").decode("ascii")
    closure = tuple(cell.cell_contents for cell in fn.__closure__) if fn.__closure__ else None
    return code, fn.__defaults__, closure


def _load_function(inner: dict) -> Callable:
    """Rebuilds a function from ``_dump_function`` output (only reached with safe mode off)."""
    if "value" in inner:
        code, defaults, closure = inner["value"]
    else:
        code, defaults, closure = inner["code"], inner.get("defaults"), inner.get("closure")
    bytecode = marshal.loads(codecs.decode(code.encode("ascii"), "base64"))
    cells = tuple(types.CellType(value) for value in closure) if closure is not None else None
    return types.FunctionType(bytecode, globals(), bytecode.co_name, tuple(defaults) if defaults else None, cells)
