"""AutoGraph's source rewrite: ``if``/``while``/``for`` statements become calls to ``ag__`` operators.

Each statement's blocks become local functions; the variables they assign are shared through ``nonlocal``
declarations plus ``get_state``/``set_state`` helpers, so the operators can run the blocks as Python (for
Python conditions) or as ``cond``/``while_loop`` (for tensor conditions). Statements containing ``break``,
``continue`` or ``return`` (and loops with ``else``) are left as Python.
"""
from __future__ import annotations

import ast
import inspect
import textwrap
import types
from typing import Any, Callable

from . import operators

__all__ = ["convert", "to_source"]


class _Assigned(ast.NodeVisitor):
    """Names bound in a block, not descending into nested scopes."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def _add(self, name: str) -> None:
        if name not in self.names:
            self.names.append(name)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store):
            self._add(node.id)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._add(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._add(node.name)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        pass

    def visit_comprehension(self, node: ast.comprehension) -> None:
        pass

    def visit_ListComp(self, node: ast.AST) -> None:
        pass

    visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_ListComp


def _assigned(nodes: list) -> list[str]:
    finder = _Assigned()
    for n in nodes:
        finder.visit(n)
    return [name for name in finder.names if not name.startswith("ag__")]


class _Escapes(ast.NodeVisitor):
    """Finds return (anywhere) and break/continue that leave the block being converted."""

    def __init__(self, loop_depth: int = 0) -> None:
        self.found = False
        self.depth = loop_depth

    def visit_Return(self, node: ast.Return) -> None:
        self.found = True

    def visit_Break(self, node: ast.Break) -> None:
        if self.depth == 0:
            self.found = True

    visit_Continue = visit_Break

    def _loop(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_For = visit_While = _loop

    def visit_FunctionDef(self, node: ast.AST) -> None:
        pass

    visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = visit_FunctionDef


def _escapes(nodes: list) -> bool:
    finder = _Escapes()
    for n in nodes:
        finder.visit(n)
    return finder.found


def _parse_stmts(code: str) -> list:
    return ast.parse(textwrap.dedent(code)).body


class _Transformer(ast.NodeTransformer):
    def __init__(self) -> None:
        self.counter = 0
        self.all_assigned: list[str] = []

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def _state_helpers(self, n: int, names: list[str]) -> list:
        for name in names:
            if name not in self.all_assigned:
                self.all_assigned.append(name)
        getters = ", ".join(f"ag__.ld(lambda: {name})" for name in names)
        getters += "," if len(names) == 1 else ""
        nonlocal_line = f"nonlocal {', '.join(names)}\n    " if names else ""
        targets = ", ".join(names) + ("," if len(names) == 1 else "")
        setter_body = f"{targets} = ag__vals" if names else "pass"
        return _parse_stmts(
            f"def ag__get_state_{n}():\n    return ({getters})\n"
            f"def ag__set_state_{n}(ag__vals):\n    {nonlocal_line}{setter_body}\n")

    def _block(self, name: str, args: str, names: list[str], body: list) -> ast.FunctionDef:
        fn = _parse_stmts(f"def {name}({args}):\n    pass\n")[0]
        header = _parse_stmts(f"nonlocal {', '.join(names)}\n") if names else []
        fn.body = header + (body or [ast.Pass()])
        return fn

    # nested scopes are converted separately (not at all): leave them untouched
    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        return node

    visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = visit_FunctionDef

    def visit_If(self, node: ast.If) -> Any:
        self.generic_visit(node)
        if _escapes(node.body + node.orelse):
            return node
        n = self._next()
        names = _assigned(node.body + node.orelse)
        names_tuple = repr(tuple(names))
        stmts = [self._block(f"ag__if_true_{n}", "", names, node.body),
                 self._block(f"ag__if_false_{n}", "", names, node.orelse)]
        stmts += self._state_helpers(n, names)
        call = _parse_stmts(f"ag__.if_stmt(None, ag__if_true_{n}, ag__if_false_{n}, ag__get_state_{n}, "
                            f"ag__set_state_{n}, {names_tuple})\n")[0]
        call.value.args[0] = node.test
        return stmts + [call]

    def visit_While(self, node: ast.While) -> Any:
        self.generic_visit(node)
        if node.orelse or _escapes(node.body):
            return node
        n = self._next()
        names = _assigned(node.body)
        test_fn = _parse_stmts(f"def ag__loop_test_{n}():\n    return None\n")[0]
        test_fn.body[0].value = node.test
        stmts = [test_fn, self._block(f"ag__loop_body_{n}", "", names, node.body)]
        stmts += self._state_helpers(n, names)
        stmts += _parse_stmts(f"ag__.while_stmt(ag__loop_test_{n}, ag__loop_body_{n}, ag__get_state_{n}, "
                              f"ag__set_state_{n}, {tuple(names)!r})\n")
        return stmts

    def visit_For(self, node: ast.For) -> Any:
        self.generic_visit(node)
        if node.orelse or _escapes(node.body):
            return node
        n = self._next()
        names = _assigned([node.target] + node.body)
        assign = ast.Assign(targets=[node.target], value=ast.Name(id="ag__item", ctx=ast.Load()))
        body = self._block(f"ag__loop_body_{n}", "ag__item", names, [assign] + node.body)
        stmts = [body] + self._state_helpers(n, names)
        call = _parse_stmts(f"ag__.for_stmt(None, ag__loop_body_{n}, ag__get_state_{n}, ag__set_state_{n}, "
                            f"{tuple(names)!r})\n")[0]
        iterable = node.iter
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "range":
            iterable.func = ast.Attribute(value=ast.Name(id="ag__", ctx=ast.Load()), attr="range_",
                                          ctx=ast.Load())
        call.value.args[0] = iterable
        return stmts + [call]


def _function_node(fn: Callable) -> tuple[ast.FunctionDef, str]:
    source = textwrap.dedent(inspect.getsource(fn))
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == fn.__name__:
            return node, source
    raise ValueError(f"could not find the source of {fn.__name__}")


def _transform(fn: Callable) -> ast.Module:
    node, _ = _function_node(fn)
    node.decorator_list = []
    transformer = _Transformer()
    new_body = []
    for stmt in node.body:
        result = transformer.visit(stmt)
        new_body.extend(result if isinstance(result, list) else [result])
    params = {a.arg for a in node.args.args + node.args.kwonlyargs + node.args.posonlyargs}
    params |= {a.arg for a in (node.args.vararg, node.args.kwarg) if a is not None}
    declared = [name for name in transformer.all_assigned if name not in params]
    binding = _parse_stmts("if False:\n" + "".join(f"    {name} = None\n" for name in declared)) \
        if declared else []
    node.body = binding + new_body
    node.name = fn.__name__
    freevars = list(fn.__code__.co_freevars)
    factory = _parse_stmts(f"def ag__factory(ag__, {', '.join(freevars)}):\n    pass\n")[0] if freevars else \
        _parse_stmts("def ag__factory(ag__):\n    pass\n")[0]
    factory.body = [node, ast.Return(value=ast.Name(id=fn.__name__, ctx=ast.Load()))]
    module = ast.Module(body=[factory], type_ignores=[])
    return ast.fix_missing_locations(module)


def to_source(fn: Callable) -> str:
    """The converted source of ``fn`` (what ``ndflow.autograph.to_code`` shows)."""
    module = _transform(fn)
    return ast.unparse(module.body[0].body[0]) + "\n"


def convert(fn: Callable) -> Callable:
    """The AutoGraph-converted version of ``fn``, sharing its globals and closure cells.

    Raises:
        ValueError / OSError / TypeError: the source is unavailable or can't be rewritten.
    """
    module = _transform(fn)
    namespace: dict = {}
    exec(compile(module, filename=f"<autograph {fn.__qualname__}>", mode="exec"), fn.__globals__, namespace)
    cells = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ()))
    factory = namespace["ag__factory"]
    placeholder_args = [operators] + [None] * len(fn.__code__.co_freevars)
    inner = factory(*placeholder_args)
    closure = []
    for name in inner.__code__.co_freevars:
        if name == "ag__":
            closure.append(types.CellType(operators))
        elif name in cells:
            closure.append(cells[name])
        else:
            closure.append(types.CellType(None))
    converted = types.FunctionType(inner.__code__, fn.__globals__, fn.__name__, fn.__defaults__,
                                   tuple(closure))
    converted.__kwdefaults__ = fn.__kwdefaults__
    converted.__dict__.update(getattr(fn, "__dict__", {}))
    converted.__wrapped__ = fn
    return converted
