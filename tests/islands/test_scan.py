"""Scanning JavaScript modules: imports, directives and import.meta.env, never fooled by look-alikes."""

from __future__ import annotations

from pathlib import Path

import pytest
from islandtools import FIXTURES, read_fixture

from islandgen.client.scan import scan_source
from islandgen.errors import ComponentError

SCAN = read_fixture(FIXTURES / "scan.txt")
DIRECTIVES = read_fixture(FIXTURES / "directives.txt")


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in SCAN], ids=[c[0] for c in SCAN])
def test_imports(source: str, expected: str) -> None:
    found = scan_source(source.encode(), Path("m.js")).imports
    assert "\n".join(f"{i.kind} {i.specifier} {i.line}" for i in found) == expected


@pytest.mark.parametrize(
    ("source", "expected"), [c[1:] for c in DIRECTIVES], ids=[c[0] for c in DIRECTIVES]
)
def test_directives(source: str, expected: str) -> None:
    assert "|".join(scan_source(source.encode(), Path("m.js")).directives) == expected


def test_spans_cover_the_string_literal() -> None:
    source = b"import a from './a.js';\nconst b = import(\"./b.js\");\n"
    spans = [source[i.span[0]:i.span[1]] for i in scan_source(source, Path("m.js")).imports]
    assert spans == [b"'./a.js'", b'"./b.js"']


def test_server_only_by_import() -> None:
    module = scan_source(b"import 'server-only';\nexport const k = 1;\n", Path("m.js"))
    assert module.is_server_only


ENV = [
    ("member", "const a = import.meta.env.ISLANDGEN_PUBLIC_A;", [("ISLANDGEN_PUBLIC_A", 1)]),
    ("subscript", "f(import.meta.env['SECRET']);", [("SECRET", 1)]),
    ("whole-object", "const all = import.meta.env;", [(None, 1)]),
    ("computed", "const x = import.meta.env[name];", [(None, 1)]),
    ("not-env", "const u = import.meta.url; const n = new.target;", []),
    ("in-template", "const t = `${import.meta.env.B}`;", [("B", 1)]),
    ("in-comment", "// import.meta.env.SECRET\nconst s = 'import.meta.env.SECRET';", []),
]


@pytest.mark.parametrize(("source", "expected"), [e[1:] for e in ENV], ids=[e[0] for e in ENV])
def test_env_refs(source: str, expected: list[tuple[str | None, int]]) -> None:
    found = scan_source(source.encode(), Path("m.js")).env
    assert [(ref.name, ref.line) for ref in found] == expected


def test_syntax_error_points_at_its_line() -> None:
    with pytest.raises(ComponentError) as caught:
        scan_source(b"const a = 1;\nconst = ;\n", Path("components/Bad.js"))
    assert str(caught.value).startswith("components/Bad.js:2: JavaScript syntax error")


def test_escaped_specifier_is_refused() -> None:
    with pytest.raises(ComponentError, match="must be a plain string"):
        scan_source(b"import a from './\\x61.js';\n", Path("m.js"))
