"""``tf.contrib.framework``: ``arg_scope`` (default arguments for layer functions) and variable helpers."""
from __future__ import annotations

import contextlib
import functools
from typing import Any, Callable

__all__ = ["arg_scope", "add_arg_scope", "has_arg_scope", "arg_scoped_arguments", "current_arg_scope",
           "get_variables", "get_model_variables", "get_trainable_variables", "get_local_variables",
           "get_variables_by_name", "get_variables_to_restore", "get_global_step",
           "get_or_create_global_step", "model_variable", "variable"]

_scope_stack: list[dict] = [{}]


def _key(op: Callable) -> str:
    return getattr(op, "_key_op", str(op))


def current_arg_scope() -> dict:
    """The innermost scope: ``{op key: {argument: default}}``."""
    return _scope_stack[-1]


def add_arg_scope(func: Callable) -> Callable:
    """Decorates ``func`` so that enclosing ``arg_scope`` blocks supply defaults for its keyword arguments."""
    @functools.wraps(func)
    def with_scope(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **{**current_arg_scope().get(with_scope._key_op, {}), **kwargs})

    with_scope._key_op = f"{func.__module__}.{func.__qualname__}"
    return with_scope


def has_arg_scope(func: Callable) -> bool:
    return hasattr(func, "_key_op")


def arg_scoped_arguments(func: Callable) -> list:
    """The argument names of the function that ``func`` decorates."""
    import inspect

    return list(inspect.signature(inspect.unwrap(func)).parameters)


@contextlib.contextmanager
def arg_scope(list_ops_or_scope: Any, **kwargs: Any):
    """Sets default keyword arguments for the listed ``@add_arg_scope`` functions inside the block.

    Args:
        list_ops_or_scope: a list/tuple of decorated functions, or a scope dict yielded by an earlier
            ``arg_scope`` (re-entered as it was; no ``kwargs`` then).
        **kwargs: the defaults.

    Yields:
        The new scope (a dict usable with ``arg_scope`` later).

    Raises:
        ValueError: a scope dict together with keyword arguments.
        TypeError: neither a list/tuple nor a dict.
        ValueError: a function not decorated with ``add_arg_scope``.
    """
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling a dictionary, kwargs must be empty.")
        scope = list_ops_or_scope
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError("list_ops_or_scope must either be a list/tuple or reused scope (i.e. dict)")
        scope = {key: dict(value) for key, value in current_arg_scope().items()}
        for op in list_ops_or_scope:
            if not has_arg_scope(op):
                raise ValueError(f"{op} is not decorated with @add_arg_scope", getattr(op, "__name__", op))
            scope.setdefault(_key(op), {}).update(kwargs)
    _scope_stack.append(scope)
    try:
        yield scope
    finally:
        _scope_stack.pop()


# -- variables -----------------------------------------------------------------------------------------------
def _v1():
    from ... import v1

    return v1


def _base_name(var: Any) -> str:
    return var.name.split(":")[0]


def get_variables(scope: Any = None, suffix: str | None = None, collection: str = "variables") -> list:
    """Variables of ``collection`` whose names start with ``scope`` (a name or VariableScope), optionally
    ending with ``suffix``."""
    name = getattr(scope, "name", scope)
    found = _v1().get_collection(collection, name)
    if suffix is not None:
        found = [v for v in found if _base_name(v).endswith(suffix)]
    return found


def get_model_variables(scope: Any = None, suffix: str | None = None) -> list:
    return get_variables(scope, suffix, "model_variables")


def get_trainable_variables(scope: Any = None, suffix: str | None = None) -> list:
    return get_variables(scope, suffix, "trainable_variables")


def get_local_variables(scope: Any = None, suffix: str | None = None) -> list:
    return get_variables(scope, suffix, "local_variables")


def get_variables_by_name(given_name: str, scope: Any = None) -> list:
    """Variables whose last name component is ``given_name``."""
    return get_variables(scope, suffix="/" + given_name) + [
        v for v in get_variables(scope) if _base_name(v) == given_name]


def get_variables_to_restore(include: list | None = None, exclude: list | None = None) -> list:
    """Global variables under the ``include`` scopes (all when None) and not under any ``exclude`` scope."""
    variables = get_variables() if include is None else [v for s in include for v in get_variables(s)]
    excluded = {id(v) for s in (exclude or []) for v in get_variables(s)}
    return [v for v in variables if id(v) not in excluded]


def get_global_step(graph: Any = None) -> Any:
    return _v1().train.get_global_step(graph)


def get_or_create_global_step(graph: Any = None) -> Any:
    return _v1().train.get_or_create_global_step(graph)


@add_arg_scope
def variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None, regularizer: Any = None,
             trainable: bool = True, collections: list | None = None, caching_device: Any = None,
             device: Any = None, partitioner: Any = None, custom_getter: Any = None, use_resource: Any = None) -> Any:
    """``get_variable`` placed in ``collections`` (GLOBAL_VARIABLES when None)."""
    return _v1().get_variable(name, shape, dtype, initializer, regularizer, trainable, collections)


@add_arg_scope
def model_variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                   regularizer: Any = None, trainable: bool = True, collections: list | None = None,
                   caching_device: Any = None, device: Any = None, partitioner: Any = None,
                   custom_getter: Any = None, use_resource: Any = None) -> Any:
    """A variable in the MODEL_VARIABLES collection too."""
    return variable(name, shape, dtype, initializer, regularizer, trainable,
                    list(collections or []) + ["variables", "model_variables"])
