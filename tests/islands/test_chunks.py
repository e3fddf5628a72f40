"""Chunks: content hashes that cover dependencies, rewritten specifiers, env values, the manifest."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path, PurePosixPath

import pytest
from islandtools import FIXTURES, HERE, node_json

from islandgen.client import DECODER, FUNCTIONS_CLIENT, RUNTIME_ENTRY
from islandgen.client.chunks import ChunkSet, build_chunks
from islandgen.client.graph import build_graph
from islandgen.errors import ComponentError
from islandgen.model import OutputFile

IMPORT_MAP = {"preact": "vendor/preact/preact.mjs"}
ENVIRON = {"ISLANDGEN_PUBLIC_API": "https://api.example.test", "SECRET": "never shipped"}
COMPONENTS = {"Counter": Path("components/Counter.js"), "Tabs": Path("components/Tabs.js")}


def _copy_site(tmp_path: Path, name: str = "site") -> Path:
    site = tmp_path / name
    shutil.copytree(FIXTURES / "site", site)
    return site


def _chunks(site: Path, **options: object) -> ChunkSet:
    graph = build_graph([site / p for p in COMPONENTS.values()], site_root=site,
                        import_map=IMPORT_MAP)
    stubs = {site / "server" / "likes.py": "./server-likes.1234abcd.js"}
    return build_chunks(graph, environ=ENVIRON, server_stubs=stubs, **options)  # type: ignore[arg-type]


def _names(chunks: ChunkSet) -> dict[str, str]:
    return {chunks.graph.name(path): chunk.file.name for path, chunk in chunks.chunks.items()}


def _text(chunks: ChunkSet, site: Path, module: str) -> str:
    return chunks.chunks[(site / module).resolve()].data.decode()


def test_one_chunk_per_module_named_by_stem_and_hash(tmp_path: Path) -> None:
    names = _names(_chunks(_copy_site(tmp_path)))
    assert sorted(n for n in names if not n.startswith("../")) == [
        "components/Counter.js", "components/Tabs.js", "lib/cycle_a.js", "lib/cycle_b.js",
        "lib/format.js", "lib/lazy.js", "vendor/preact/preact.mjs"]
    # Counter imports server functions: their stub loads islandgen's server function client
    assert sorted(Path(n).name for n in names if n.startswith("../")) == ["client.js", "decode.js"]
    for module, name in names.items():
        assert re.fullmatch(rf"{Path(module).stem}\.[0-9a-f]{{8}}\.js", name), name


def test_specifiers_are_rewritten_to_hashed_siblings(tmp_path: Path) -> None:
    site = _copy_site(tmp_path)
    chunks = _chunks(site)
    names = _names(chunks)
    counter = _text(chunks, site, "components/Counter.js")
    assert f"from \"./{names['vendor/preact/preact.mjs']}\";" in counter
    assert f"from \"./{names['lib/format.js']}\";" in counter
    assert f"import(\"./{names['lib/lazy.js']}\")" in counter
    assert 'from "./server-likes.1234abcd.js";' in counter
    assert "import 'https://cdn.example.test/polyfill.js';" in counter
    # look-alikes in comments, strings, templates and regexes are left alone
    assert "// import nope from './not-imported.js';" in counter
    assert "\"import x from './decoy.js'\"" in counter
    assert "`import('./template.js') ${api}`" in counter


def test_shared_module_is_one_chunk(tmp_path: Path) -> None:
    site = _copy_site(tmp_path)
    chunks = _chunks(site)
    format_chunk = _names(chunks)["lib/format.js"]
    assert format_chunk in _text(chunks, site, "components/Counter.js")
    assert format_chunk in _text(chunks, site, "components/Tabs.js")
    assert len({c.file for c in chunks.chunks.values()}) == len(chunks.chunks)


def test_public_env_is_replaced_and_secrets_never_ship(tmp_path: Path) -> None:
    site = _copy_site(tmp_path)
    chunks = _chunks(site)
    counter = _text(chunks, site, "components/Counter.js")
    assert 'const api = "https://api.example.test";' in counter
    assert all(b"never shipped" not in c.data for c in chunks.chunks.values())


def test_unset_public_env_is_undefined(tmp_path: Path) -> None:
    site = _copy_site(tmp_path)
    graph = build_graph([site / "components" / "Tabs.js"], site_root=site, import_map=IMPORT_MAP)
    tabs = site / "components" / "Tabs.js"
    tabs.write_text(tabs.read_text() + "export const e = import.meta.env.ISLANDGEN_PUBLIC_NOPE;\n"
                    "export const all = import.meta.env;\n")
    graph = build_graph([tabs], site_root=site, import_map=IMPORT_MAP)
    text = build_chunks(graph, environ=ENVIRON).chunks[tabs.resolve()].data.decode()
    assert "export const e = undefined;" in text
    assert 'export const all = ({"ISLANDGEN_PUBLIC_API": "https://api.example.test"});' in text


CHANGES = [
    # (file changed, modules whose chunk name must change)
    ("lib/lazy.js", {"lib/lazy.js", "components/Counter.js"}),
    ("vendor/preact/preact.mjs", {"vendor/preact/preact.mjs", "lib/format.js",
                                  "components/Counter.js", "components/Tabs.js"}),
    ("lib/cycle_b.js", {"lib/cycle_a.js", "lib/cycle_b.js", "components/Tabs.js"}),
    ("components/Tabs.js", {"components/Tabs.js"}),
]


@pytest.mark.parametrize(("changed", "renamed"), CHANGES, ids=[c[0] for c in CHANGES])
def test_hash_covers_dependencies(tmp_path: Path, changed: str, renamed: set[str]) -> None:
    site = _copy_site(tmp_path)
    before = _names(_chunks(site))
    path = site / changed
    path.write_text(path.read_text() + "\n// changed\n")
    after = _names(_chunks(site))
    assert {m for m in before if before[m] != after[m]} == renamed


def test_env_value_is_part_of_the_hash(tmp_path: Path) -> None:
    site = _copy_site(tmp_path)
    before = _names(_chunks(site))
    ENVIRON["ISLANDGEN_PUBLIC_API"] = "https://other.example.test"
    try:
        after = _names(_chunks(site))
    finally:
        ENVIRON["ISLANDGEN_PUBLIC_API"] = "https://api.example.test"
    assert {m for m in before if before[m] != after[m]} == {"components/Counter.js"}


def test_deterministic_and_independent_of_the_site_folder(tmp_path: Path) -> None:
    one = _chunks(_copy_site(tmp_path, "one"))
    two = _chunks(_copy_site(tmp_path, "elsewhere"))
    files_one = [(f.path, f.data) for f in one.files(_components(one))]
    files_two = [(f.path, f.data) for f in two.files(_components(two))]
    assert files_one == files_two


def _components(chunks: ChunkSet) -> dict[str, Path]:
    return {name: chunks.graph.site_root / rel for name, rel in COMPONENTS.items()}


def test_manifest_lists_entry_and_static_deps_under_base_path(tmp_path: Path) -> None:
    site = _copy_site(tmp_path)
    chunks = _chunks(site, base_path="/blog")
    names = _names(chunks)
    files = chunks.files(_components(chunks))
    assert files[-1].path.as_posix() == "_islands/manifest.json"
    manifest = json.loads(files[-1].data)

    def url(module: str) -> str:
        return f"/blog/_islands/{names[module]}"

    runtime = {Path(n).name: url(n) for n in names if n.startswith("../")}
    assert manifest == {
        # Counter imports a server function: its stub and the client the stub imports
        "Counter": {"entry": url("components/Counter.js"),
                    "deps": sorted([runtime["client.js"], runtime["decode.js"], url("lib/format.js"),
                                    "/blog/_islands/server-likes.1234abcd.js",
                                    url("vendor/preact/preact.mjs")])},
        "Tabs": {"entry": url("components/Tabs.js"),
                 "deps": [url("lib/cycle_a.js"), url("lib/cycle_b.js"), url("lib/format.js"),
                          url("vendor/preact/preact.mjs")]},
    }
    assert [f.path.as_posix() for f in files[:-1]] == sorted(
        f"_islands/{n}" for n in names.values()
    )


def test_server_import_without_stub_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                ) -> None:
    site = _copy_site(tmp_path)
    monkeypatch.chdir(site)
    graph = build_graph([site / "components" / "Counter.js"], site_root=site,
                        import_map=IMPORT_MAP)
    with pytest.raises(ComponentError) as caught:
        build_chunks(graph)
    assert str(caught.value).startswith(
        "components/Counter.js:5: cannot import server functions from '../server/likes.py' yet"
    )


@pytest.mark.parametrize("minify", [False, True], ids=["plain", "minified"])
def test_chunks_link_and_run_under_node(tmp_path: Path, minify: bool) -> None:
    site = _copy_site(tmp_path)
    chunks = _chunks(site, minify=minify)
    out = tmp_path / "dist"
    for file in chunks.files(_components(chunks)):
        (out / file.path).parent.mkdir(parents=True, exist_ok=True)
        (out / file.path).write_bytes(file.data)
    tabs = out / chunks.chunks[(site / "components" / "Tabs.js").resolve()].file
    result = node_json(HERE / "js" / "run_chunk.mjs", str(tabs))
    assert result == {"innerHTML": "<p>kids</p>#pingpong", "exports": ["default", "ping"]}


def test_minified_chunks_are_smaller(tmp_path: Path) -> None:
    site = _copy_site(tmp_path)
    plain = sum(len(c.data) for c in _chunks(site).chunks.values())
    small = sum(len(c.data) for c in _chunks(site, minify=True).chunks.values())
    assert small < plain


def test_runtime_builds_as_a_chunk() -> None:
    graph = build_graph([RUNTIME_ENTRY], site_root=RUNTIME_ENTRY.parent)
    chunks = build_chunks(graph, minify=True)
    chunk = chunks.chunks[RUNTIME_ENTRY.resolve()]
    assert re.fullmatch(r"_islands/island\.[0-9a-f]{8}\.js", chunk.file.as_posix())
    assert graph.static_deps(RUNTIME_ENTRY.resolve()) == ()  # the server function client loads lazily
    assert b"BEGIN TAGS" not in chunk.data


def test_runtime_hash_does_not_depend_on_where_it_is_built_from(tmp_path: Path) -> None:
    alone = build_chunks(build_graph([RUNTIME_ENTRY], site_root=RUNTIME_ENTRY.parent))
    site = _copy_site(tmp_path)
    together = build_chunks(build_graph([RUNTIME_ENTRY, site / "components" / "Tabs.js"],
                                        site_root=site, import_map=IMPORT_MAP))
    assert alone.url(RUNTIME_ENTRY) == together.url(RUNTIME_ENTRY)


def test_identical_modules_share_one_chunk(tmp_path: Path) -> None:
    site = _copy_site(tmp_path)
    (site / "components" / "copy").mkdir()
    shutil.copy(site / "lib" / "lazy.js", site / "components" / "copy" / "lazy.js")
    tabs = site / "components" / "Tabs.js"
    tabs.write_text("import './copy/lazy.js';\nimport '../lib/lazy.js';\n" + tabs.read_text())
    chunks = build_chunks(build_graph([tabs], site_root=site, import_map=IMPORT_MAP))
    assert chunks.url(site / "lib" / "lazy.js") == chunks.url(site / "components/copy/lazy.js")
    files = [f.path.name for f in chunks.files({})]
    assert len([f for f in files if f.startswith("lazy.")]) == 1


def test_a_stub_name_is_hashed_into_its_importers(tmp_path: Path) -> None:
    site = _copy_site(tmp_path)
    graph = build_graph([site / p for p in COMPONENTS.values()], site_root=site,
                        import_map=IMPORT_MAP)
    likes = site / "server" / "likes.py"
    one = build_chunks(graph, server_stubs={likes: "./server-likes.11111111.js"})
    two = build_chunks(graph, server_stubs={likes: "./server-likes.22222222.js"})
    counter, tabs = (site / p for p in COMPONENTS.values())
    assert one.url(counter) != two.url(counter)  # Counter imports the server module
    assert one.url(tabs) == two.url(tabs)


def test_a_stub_is_a_static_dependency_counted_when_its_bytes_are_known(tmp_path: Path) -> None:
    site = _copy_site(tmp_path)
    graph = build_graph([site / p for p in COMPONENTS.values()], site_root=site,
                        import_map=IMPORT_MAP)
    likes = site / "server" / "likes.py"
    stub = OutputFile(PurePosixPath("_islands/server-likes.1234abcd.js"), b"export {};\n" * 20)
    chunks = build_chunks(graph, server_stubs={likes: "./server-likes.1234abcd.js"},
                          stub_files=[stub])
    url = "/_islands/server-likes.1234abcd.js"
    assert url in chunks.preload_urls(site / "components" / "Counter.js")
    assert chunks.gzip_sizes()[url] == len(gzip.compress(stub.data, mtime=0))


def test_the_functions_client_is_written_only_when_imported(tmp_path: Path) -> None:
    site = _copy_site(tmp_path)
    client = FUNCTIONS_CLIENT.resolve()
    imported = _chunks(site)  # Counter imports server functions
    assert imported.on_demand(client) is None
    assert imported.chunks[client].file in {f.path for f in imported.files(_components(imported))}
    alone = build_chunks(build_graph([RUNTIME_ENTRY], site_root=site))
    on_demand = alone.on_demand(client)
    assert on_demand is not None and on_demand.path == alone.chunks[client].file
    assert on_demand.path not in {f.path for f in alone.files({})}
    assert alone.on_demand(DECODER) is None  # the other runtime chunks are always written


def test_the_runtime_loads_its_other_chunks_on_demand() -> None:
    graph = build_graph([RUNTIME_ENTRY], site_root=RUNTIME_ENTRY.parent)
    kinds = {(graph.name(e.target), e.kind) for e in graph.modules[RUNTIME_ENTRY.resolve()].edges
             if e.target is not None}
    assert kinds == {("decode.js", "dynamic"), ("interaction.js", "dynamic")}
    assert graph.static_deps(DECODER.resolve()) == ()
    assert graph.static_deps(FUNCTIONS_CLIENT.resolve()) == (DECODER.resolve(),)
