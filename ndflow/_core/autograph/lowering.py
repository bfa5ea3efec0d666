"""Source rewrites that remove early exits before AutoGraph converts control flow.

- ``return`` inside ``if``: the statements after an ``if`` whose branch always returns move into the other
  branch, then every ``return x`` becomes ``ag__retval = x`` with one ``return ag__retval`` at the end.
- ``break``/``continue``: become flag assignments; the statements after them run under ``if`` guards and
  the loop condition also checks the break flag.
"""
from __future__ import annotations

import ast
import copy
from typing import Callable

__all__ = ["lower_returns", "lower_loop_jumps"]


def _always_returns(stmts: list) -> bool:
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, ast.Return):
        return True
    if isinstance(last, ast.If):
        return _always_returns(last.body) and _always_returns(last.orelse)
    return False


def _lift(stmts: list) -> list:
    """Moves the statements after an ``if`` that always returns on one side into its other side."""
    out = []
    for i, stmt in enumerate(stmts):
        if isinstance(stmt, ast.If):
            rest = stmts[i + 1:]
            stmt.body = _lift(stmt.body)
            stmt.orelse = _lift(stmt.orelse)
            if rest and _always_returns(stmt.body) and not _always_returns(stmt.orelse):
                stmt.orelse = _lift(stmt.orelse + rest)
                out.append(stmt)
                return out
            if rest and _always_returns(stmt.orelse) and not _always_returns(stmt.body):
                stmt.body = _lift(stmt.body + rest)
                out.append(stmt)
                return out
        out.append(stmt)
    return out


def _returns_only_in_tail(stmts: list) -> bool:
    for i, stmt in enumerate(stmts):
        last = i == len(stmts) - 1
        if isinstance(stmt, ast.Return) and not last:
            return False
        if isinstance(stmt, ast.If):
            if not (_returns_only_in_tail(stmt.body) and _returns_only_in_tail(stmt.orelse)):
                return False
            if not last and (_contains_return(stmt.body) or _contains_return(stmt.orelse)):
                return False
        elif not isinstance(stmt, ast.Return) and _contains_return([stmt]):
            return False  # inside a loop, with, try …
    return True


def _contains_return(stmts: list) -> bool:
    for stmt in stmts:
        for node in _walk_same_scope(stmt):
            if isinstance(node, ast.Return):
                return True
    return False


def _walk_same_scope(node: ast.AST):
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        yield from _walk_same_scope(child)


def _to_assignments(stmts: list) -> list:
    out = []
    for stmt in stmts:
        if isinstance(stmt, ast.Return):
            value = stmt.value if stmt.value is not None else ast.Constant(value=None)
            out.append(ast.Assign(targets=[ast.Name(id="ag__retval", ctx=ast.Store())], value=value))
        elif isinstance(stmt, ast.If):
            stmt.body = _to_assignments(stmt.body)
            stmt.orelse = _to_assignments(stmt.orelse)
            out.append(stmt)
        else:
            out.append(stmt)
    return out


def lower_returns(body: list) -> list:
    """Rewrites a function body so that its only ``return`` is the last statement (when that is possible:
    returns inside loops, or after which code could still run, leave the body unchanged)."""
    nested = any(isinstance(s, ast.If) and _contains_return([s]) for s in body)
    if not nested:
        return body
    lifted = _lift(copy.deepcopy(body))
    if not _returns_only_in_tail(lifted) or not _always_returns(lifted):
        return body
    return _to_assignments(lifted) + [ast.Return(value=ast.Name(id="ag__retval", ctx=ast.Load()))]


class _JumpFinder(ast.NodeVisitor):
    """break/continue belonging to the loop being examined (not to nested loops)."""

    def __init__(self) -> None:
        self.has_break = self.has_continue = self.has_return = False

    def visit_Break(self, node: ast.Break) -> None:
        self.has_break = True

    def visit_Continue(self, node: ast.Continue) -> None:
        self.has_continue = True

    def visit_Return(self, node: ast.Return) -> None:
        self.has_return = True

    def _skip(self, node: ast.AST) -> None:
        pass

    visit_For = visit_While = visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = _skip


def _jumps(stmts: list) -> _JumpFinder:
    finder = _JumpFinder()
    for s in stmts:
        finder.visit(s)
    return finder


def _flag_call(flags: list[str]) -> ast.expr:
    return ast.Call(func=ast.Attribute(value=ast.Name(id="ag__", ctx=ast.Load()), attr="proceed", ctx=ast.Load()),
                    args=[ast.Name(id=f, ctx=ast.Load()) for f in flags], keywords=[])


def _guard(stmts: list, flags: list[str], brk: str | None, cont: str | None) -> list:
    """Replaces break/continue with flag assignments and guards what follows them."""
    out: list = []
    for i, stmt in enumerate(stmts):
        if isinstance(stmt, ast.Break):
            out.append(ast.Assign(targets=[ast.Name(id=brk, ctx=ast.Store())], value=ast.Constant(value=True)))
            return out
        if isinstance(stmt, ast.Continue):
            out.append(ast.Assign(targets=[ast.Name(id=cont, ctx=ast.Store())], value=ast.Constant(value=True)))
            return out
        jumps = _jumps([stmt])
        if isinstance(stmt, ast.If) and (jumps.has_break or jumps.has_continue):
            stmt.body = _guard(stmt.body, flags, brk, cont)
            stmt.orelse = _guard(stmt.orelse, flags, brk, cont)
            out.append(stmt)
            rest = stmts[i + 1:]
            if rest:
                out.append(ast.If(test=_flag_call(flags), body=_guard(rest, flags, brk, cont), orelse=[]))
            return out
        out.append(stmt)
    return out


def lower_loop_jumps(node: ast.While | ast.For, next_id: Callable[[], int]) -> list | None:
    """The loop rewritten without break/continue (plus the flag initialisation before it), or None when
    the loop has none (or has a ``return``/``else`` that keeps it in Python)."""
    jumps = _jumps(node.body)
    if not (jumps.has_break or jumps.has_continue) or jumps.has_return or node.orelse:
        return None
    counter = next_id()
    brk = f"ag__break_{counter}" if jumps.has_break else None
    cont = f"ag__continue_{counter}" if jumps.has_continue else None
    flags = [f for f in (brk, cont) if f]
    body = _guard(node.body, flags, brk, cont)
    if cont:
        body = [ast.Assign(targets=[ast.Name(id=cont, ctx=ast.Store())], value=ast.Constant(value=False))] + body
    node.body = body
    before = []
    if brk:
        before.append(ast.Assign(targets=[ast.Name(id=brk, ctx=ast.Store())], value=ast.Constant(value=False)))
        if isinstance(node, ast.While):
            node.test = ast.Call(
                func=ast.Attribute(value=ast.Name(id="ag__", ctx=ast.Load()), attr="and_", ctx=ast.Load()),
                args=[ast.Lambda(args=_no_args(), body=_flag_call([brk])),
                      ast.Lambda(args=_no_args(), body=node.test)], keywords=[])
        else:
            node.ag_extra_test = brk
    return before + [node]


def _no_args() -> ast.arguments:
    return ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None,
                         defaults=[])
