"""JavaScript module text -> its directives, import specifiers and `import.meta.env` uses.

Parsed with tree-sitter's JavaScript grammar, so an `import` inside a comment,
string, template literal or regular expression is never mistaken for one, and
every finding carries its line and byte span for errors and rewriting.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import tree_sitter_javascript
from tree_sitter import Language, Node, Parser

from ..errors import ComponentError

ImportKind = Literal["static", "dynamic"]
Span = tuple[int, int]  # byte offsets into the module's UTF-8 source


@dataclass(frozen=True)
class ImportRef:
    """`import ... from 'x'`, `import 'x'`, `export ... from 'x'` or `import('x')`."""

    specifier: str
    kind: ImportKind
    line: int
    span: Span  # the string literal, quotes included


@dataclass(frozen=True)
class EnvRef:
    """`import.meta.env.NAME` (name given) or the whole `import.meta.env` object (None)."""

    name: str | None
    line: int
    span: Span  # the whole expression


@dataclass(frozen=True)
class ModuleScan:
    """What the module graph needs to know about one JavaScript module."""

    path: Path
    source: bytes
    directives: tuple[str, ...]  # the string statements that open the module
    imports: tuple[ImportRef, ...]  # in source order
    env: tuple[EnvRef, ...]  # in source order

    @property
    def is_client(self) -> bool:
        return "use client" in self.directives

    @property
    def is_server_only(self) -> bool:
        return "server-only" in self.directives or any(
            ref.specifier == "server-only" for ref in self.imports
        )


@cache
def js_parser() -> Parser:
    return Parser(Language(tree_sitter_javascript.language()))


def scan_module(path: Path) -> ModuleScan:
    """Read and scan a module file; a syntax error is a ComponentError at its line."""
    try:
        source = path.read_bytes()
    except OSError as error:
        raise ComponentError(f"cannot read client module: {error.strerror}", path=path) from None
    return scan_source(source, path)


def scan_source(source: bytes, path: Path) -> ModuleScan:
    tree = js_parser().parse(source)
    root = tree.root_node
    if root.has_error:
        raise ComponentError(
            "JavaScript syntax error (or syntax islandgen cannot parse)",
            path=path, line=_first_error_line(root),
            hint="client components must be standard ES modules",
        )
    imports: list[ImportRef] = []
    env: list[EnvRef] = []
    for node in walk_nodes(root):
        if node.type in ("import_statement", "export_statement"):
            found = node.child_by_field_name("source")
            if found is not None:
                imports.append(_import(found, "static", path))
        elif node.type == "call_expression":
            literal = _dynamic_import_literal(node)
            if literal is not None:
                imports.append(_import(literal, "dynamic", path))
        elif _is_import_meta_env(node):
            env.append(_env_ref(node))
    return ModuleScan(path, source, _directives(root), tuple(imports), tuple(env))


def walk_nodes(root: Node) -> Iterator[Node]:
    """Every node, in source order, without recursion."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _first_error_line(root: Node) -> int:
    for node in walk_nodes(root):
        if node.type == "ERROR" or node.is_missing:
            return node.start_point[0] + 1
    return 1


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8")


def _string_value(node: Node, path: Path) -> str:
    """The value of a plain string literal (or a template literal without `${}`)."""
    if any(child.type in ("escape_sequence", "template_substitution") for child in node.children):
        raise ComponentError(
            f"import path {_text(node)} must be a plain string",
            path=path, line=node.start_point[0] + 1,
            hint="write it without escapes or ${...}",
        )
    return _text(node)[1:-1]


def _import(literal: Node, kind: ImportKind, path: Path) -> ImportRef:
    return ImportRef(
        _string_value(literal, path), kind, literal.start_point[0] + 1,
        (literal.start_byte, literal.end_byte),
    )


def _dynamic_import_literal(call: Node) -> Node | None:
    """The string literal of `import('x')`; None for other calls and computed specifiers."""
    function = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    if function is None or function.type != "import" or arguments is None:
        return None
    values = arguments.named_children
    if not values or values[0].type not in ("string", "template_string"):
        return None
    if values[0].type == "template_string" and any(
        child.type == "template_substitution" for child in values[0].children
    ):
        return None
    return values[0]


def _is_import_meta_env(node: Node) -> bool:
    """`import.meta.env` itself (not `import.meta.url`, not `new.target`)."""
    if node.type != "member_expression":
        return False
    target = node.child_by_field_name("object")
    prop = node.child_by_field_name("property")
    return (
        target is not None and target.type == "meta_property" and _text(target) == "import.meta"
        and prop is not None and _text(prop) == "env"
    )


def _env_ref(env: Node) -> EnvRef:
    """`import.meta.env.X` / `import.meta.env['X']` as a named ref, else the whole object."""
    parent = env.parent
    if parent is not None and parent.child_by_field_name("object") == env:
        if parent.type == "member_expression":
            prop = parent.child_by_field_name("property")
            if prop is not None:
                return EnvRef(_text(prop), parent.start_point[0] + 1,
                              (parent.start_byte, parent.end_byte))
        if parent.type == "subscript_expression":
            index = parent.child_by_field_name("index")
            if index is not None and index.type == "string" and len(index.named_children) <= 1:
                return EnvRef(_text(index)[1:-1], parent.start_point[0] + 1,
                              (parent.start_byte, parent.end_byte))
    return EnvRef(None, env.start_point[0] + 1, (env.start_byte, env.end_byte))


def _directives(root: Node) -> tuple[str, ...]:
    """The directive prologue: `'use client'`, `'server-only'`, `'use strict'`..."""
    found: list[str] = []
    for node in root.named_children:
        if node.type == "comment":
            continue
        literal = node.named_children[0] if node.type == "expression_statement" else None
        if literal is None or literal.type != "string" or len(node.named_children) != 1:
            break
        found.append(_text(literal)[1:-1])
    return tuple(found)
