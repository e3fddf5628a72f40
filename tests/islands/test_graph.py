"""The client module graph: resolution, edge kinds, and every error a user can hit."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest
from islandtools import FIXTURES

from islandgen.client import DECODER, FUNCTIONS_CLIENT
from islandgen.client.graph import ClientGraph, build_graph, is_client_module
from islandgen.errors import ComponentError

SITE = FIXTURES / "site"
IMPORT_MAP = {"preact": "vendor/preact/preact.mjs"}


def _graph() -> ClientGraph:
    entries = [SITE / "components" / "Tabs.js", SITE / "components" / "Counter.js"]
    return build_graph(entries, site_root=SITE, import_map=IMPORT_MAP)


def _shown(graph: ClientGraph, paths: object) -> list[str]:
    """Site modules relative to the site; islandgen's own by file name."""
    assert isinstance(paths, (tuple, list, dict))
    return [p.name if p.is_relative_to(FUNCTIONS_CLIENT.parents[1]) else graph.name(p)
            for p in paths]


def test_reaches_every_client_module() -> None:
    graph = _graph()
    assert set(graph.modules) >= {FUNCTIONS_CLIENT.resolve(), DECODER.resolve()}
    assert [graph.name(p) for p in graph.modules if p.is_relative_to(SITE.resolve())] == [
        "components/Counter.js",
        "components/Tabs.js",
        "lib/cycle_a.js",
        "lib/cycle_b.js",
        "lib/format.js",
        "lib/lazy.js",
        "vendor/preact/preact.mjs",
    ]
    assert [graph.name(p) for p in graph.entries] == ["components/Counter.js", "components/Tabs.js"]


def test_edge_kinds_of_counter() -> None:
    graph = _graph()
    counter = graph.modules[(SITE / "components" / "Counter.js").resolve()]
    assert [(e.kind, e.specifier, e.line) for e in counter.edges] == [
        ("static", "preact", 3),
        ("static", "../lib/format.js", 4),
        ("server", "../server/likes.py", 5),
        ("external", "https://cdn.example.test/polyfill.js", 6),
        ("dynamic", "../lib/lazy.js", 15),
    ]


def test_static_deps_skip_dynamic_imports() -> None:
    graph = _graph()
    deps = graph.static_deps(SITE / "components" / "Counter.js")
    # the server module stands for its stub, which loads the server function client
    assert sorted(_shown(graph, deps)) == ["client.js", "decode.js", "lib/format.js",
                                           "server/likes.py", "vendor/preact/preact.mjs"]


def test_a_server_module_imported_with_import_is_not_a_static_dep(tmp_path: Path) -> None:
    site = _site(tmp_path, {
        "components/Lazy.js": "'use client';\nexport default async () => import('../server/x.py');\n",
        "server/x.py": '"use server"\n',
    })
    graph = build_graph([site / "components" / "Lazy.js"], site_root=site)
    assert graph.static_deps(site / "components" / "Lazy.js") == ()
    assert FUNCTIONS_CLIENT.resolve() in graph.modules


def test_server_imports_are_exposed_not_followed() -> None:
    graph = _graph()
    [(importer, edge)] = graph.server_imports()
    assert graph.name(importer) == "components/Counter.js"
    assert edge.target == (SITE / "server" / "likes.py").resolve()


def test_is_client_module() -> None:
    assert is_client_module(SITE / "components" / "Counter.js")
    assert not is_client_module(SITE / "lib" / "format.js")


def _site(tmp_path: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


ERRORS = [
    (
        "missing-relative",
        {"components/A.js": "'use client';\nimport x from './lib/x.js';\n"},
        "components/A.js:2: cannot resolve import './lib/x.js': components/lib/x.js does not exist",
        "browsers need the full file name",
    ),
    (
        "missing-extension",
        {"components/A.js": "'use client';\n\nimport x from './x';\n", "components/x.js": ""},
        "components/A.js:3: cannot resolve import './x': components/x does not exist",
        "did you mean './x.js'?",
    ),
    (
        "bare-not-mapped",
        {"components/A.js": "'use client';\nimport { h } from 'react';\n"},
        "components/A.js:2: cannot resolve import 'react': it is not in the import map",
        "import map",
    ),
    (
        "mapped-file-missing",
        {"components/A.js": "'use client';\nimport { h } from 'preact';\n"},
        "components/A.js:2: cannot resolve import 'preact': vendor/preact/preact.mjs does not exist",
        "",
    ),
    (
        "not-javascript",
        {"components/A.js": "'use client';\nimport css from './a.css';\n", "components/a.css": ""},
        "components/A.js:2: cannot import './a.css' into client code: only JavaScript modules "
        "(.js, .mjs) and server functions (.py) can be imported",
        "static/",
    ),
    (
        "server-only-chain",
        {
            "components/Counter.js": "'use client';\nimport { q } from '../lib/db.js';\n",
            "lib/db.js": "import { key } from './secret.js';\nexport const q = key;\n",
            "lib/secret.js": "'server-only';\nexport const key = 'k';\n",
        },
        "lib/db.js:1: client code reaches a 'server-only' module: "
        "components/Counter.js → lib/db.js → lib/secret.js ('server-only')",
        "move what it needs out of lib/secret.js",
    ),
    (
        "server-only-import-package-style",
        {
            "components/Counter.js": "'use client';\nconst m = import('../lib/secret.js');\n",
            "lib/secret.js": "import 'server-only';\nexport const key = 'k';\n",
        },
        "components/Counter.js:2: client code reaches a 'server-only' module: "
        "components/Counter.js → lib/secret.js ('server-only')",
        "",
    ),
    (
        "non-public-env",
        {"components/A.js": "'use client';\nconst k = 1;\nconst s = import.meta.env.API_KEY;\n"},
        "components/A.js:3: import.meta.env.API_KEY is not visible to client code",
        "rename it ISLANDGEN_PUBLIC_API_KEY",
    ),
    (
        "non-public-env-in-dependency",
        {
            "components/A.js": "'use client';\nimport './lib.js';\n",
            "components/lib.js": "export const s = import.meta.env['DATABASE_URL'];\n",
        },
        "components/lib.js:1: import.meta.env.DATABASE_URL is not visible to client code",
        "",
    ),
]


@pytest.mark.parametrize(
    ("files", "message", "hint"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: Mapping[str, str], message: str,
    hint: str,
) -> None:
    site = _site(tmp_path, files)
    monkeypatch.chdir(site)  # errors show paths relative to the working directory
    entries = [p for p in (site / "components").glob("*.js") if is_client_module(p)]
    with pytest.raises(ComponentError) as caught:
        build_graph(entries, site_root=site, import_map=IMPORT_MAP)
    assert str(caught.value).split("\n")[0] == message
    assert hint in (caught.value.hint or "")


def test_prefix_import_map_and_external_url(tmp_path: Path) -> None:
    site = _site(tmp_path, {
        "components/A.js": "'use client';\nimport a from 'lib/deep/a.js';\nimport 'cdn';\n",
        "vendor/lib/deep/a.js": "export default 1;\n",
    })
    graph = build_graph([site / "components" / "A.js"], site_root=site,
                        import_map={"lib/": "vendor/lib/", "cdn": "https://cdn.example.test/x.js"})
    module = graph.modules[(site / "components" / "A.js").resolve()]
    assert [(e.kind, e.target and graph.name(e.target)) for e in module.edges] == [
        ("static", "vendor/lib/deep/a.js"),
        ("external", None),
    ]
