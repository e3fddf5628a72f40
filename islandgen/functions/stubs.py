"""Client imports of "use server" modules -> checked names and one stub module per server module.

`import { like_post } from '../server/likes.py'` in client code never ships
Python: the chunk graph swaps the specifier for the URL of a stub module,

    import { serverFunction as f } from './client.<hash>.js';
    const f0 = f("<id>", "<url>");
    export { f0 as like_post };

whose functions POST to the endpoint (functions/client.js does the call). A
stub is named by its content hash like every chunk and sits beside them in
`_islands/`, so the rewritten specifier is `./server-likes.<hash>.js`.

Importing a name the module does not export, a default import, or a `.py`
file that is not a server module is an error at the importing line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from tree_sitter import Node

from ..client import RUNTIME_ENTRY
from ..client.chunks import CHUNK_DIR, HASH_LENGTH, build_chunks
from ..client.graph import ClientGraph, Edge, build_graph
from ..client.scan import js_parser, walk_nodes
from ..errors import ComponentError, suggest
from ..model import OutputFile
from .discover import ServerModule, SiteFunctions

CLIENT_MODULE = Path(__file__).parent / "client.js"


@dataclass(frozen=True)
class Stubs:
    """What `build_chunks` needs (`server_stubs`) and the stub files to write."""

    urls: Mapping[Path, str]  # server module path -> specifier that replaces it (./name.js)
    files: tuple[OutputFile, ...]


def server_stubs(graph: ClientGraph, site: SiteFunctions | None, *, base_path: str,
                 environ: Mapping[str, str], minify: bool) -> Stubs:
    """Check every client import of a `.py` file and make the stubs they need."""
    imports = graph.server_imports()
    if not imports:
        return Stubs({}, ())
    used: dict[Path, ServerModule] = {}
    for importer, edge in imports:
        assert edge.target is not None
        module = site.module_at(edge.target) if site is not None else None
        if module is None:
            raise ComponentError(
                f"{edge.specifier!r} is not a server module",
                path=importer, line=edge.line,
                hint=f'client code can import a .py file only when its first statement is "use server" '
                f"(in server/ of the site): {graph.name(edge.target)}",
            )
        _check_names(importer, edge, module)
        used[edge.target] = module
    assert site is not None
    client = client_chunk_name(graph.site_root, base_path=base_path, environ=environ, minify=minify)
    urls: dict[Path, str] = {}
    files: list[OutputFile] = []
    for path, module in sorted(used.items()):
        text = stub_text(module, site, client).encode("utf-8")
        digest = hashlib.sha256(text).hexdigest()[:HASH_LENGTH]
        file = CHUNK_DIR / f"{module.name.replace('.', '-')}.{digest}.js"
        urls[path] = f"./{file.name}"
        files.append(OutputFile(file, text))
    return Stubs(urls, tuple(files))


def client_chunk_name(site_root: Path, *, base_path: str, environ: Mapping[str, str],
                      minify: bool) -> str:
    """The chunk name of functions/client.js in any graph that holds the runtime.

    Chunk names depend only on the modules' names and contents, and the
    runtime and the client import nothing else, so building them alone gives
    the name they get in the site's graph (the build checks that it does).
    """
    chunks = build_chunks(build_graph([RUNTIME_ENTRY], site_root=site_root),
                          base_path=base_path, environ=environ, minify=minify)
    return chunks.chunks[CLIENT_MODULE.resolve()].file.name


def stub_text(module: ServerModule, site: SiteFunctions, client_chunk: str) -> str:
    lines = [f"// server functions of {module.file}: calls over HTTP, never the code",
             f"import {{ serverFunction as f }} from './{client_chunk}';"]
    exports = []
    for index, (name, function) in enumerate(module.functions.items()):
        lines.append(f"const f{index} = f({json.dumps(function.id)}, {json.dumps(site.url(function.id))});")
        exports.append(f"f{index} as {name}")
    lines.append(f"export {{ {', '.join(exports)} }};" if exports else "export {};")
    return "\n".join(lines) + "\n"




# -- imported names --------------------------------------------------------------------


def _check_names(importer: Path, edge: Edge, module: ServerModule) -> None:
    for name, line in _imported_names(importer, edge):
        if name not in module.functions:
            names = list(module.functions)
            what = "has no default export" if name == "default" else f"exports no server function {name!r}"
            raise ComponentError(
                f"{module.file} {what}",
                path=importer, line=line,
                hint=suggest(name, names) or f"it exports: {', '.join(names) or 'nothing'} "
                "(public top-level functions; names starting with _ stay private)",
            )


def _imported_names(importer: Path, edge: Edge) -> Iterator[tuple[str, int]]:
    """(name, line) for each name the statement with this specifier takes from the module."""
    if edge.kind == "dynamic":
        return
    tree = js_parser().parse(importer.read_bytes())
    statement = next((node for node in walk_nodes(tree.root_node)
                      if node.type in ("import_statement", "export_statement")
                      and _source_span(node) == edge.span), None)
    if statement is None:
        return
    for node in walk_nodes(statement):
        if node.type in ("import_specifier", "export_specifier"):
            name = node.child_by_field_name("name") or node.children[0]
            yield _text(name), name.start_point[0] + 1
        elif node.type == "import_clause":
            default = next((c for c in node.children if c.type == "identifier"), None)
            if default is not None:
                yield "default", default.start_point[0] + 1


def _source_span(node: Node) -> tuple[int, int] | None:
    source = node.child_by_field_name("source")
    return (source.start_byte, source.end_byte) if source is not None else None


def _text(node: Node) -> str:
    text = (node.text or b"").decode("utf-8")
    return text[1:-1] if node.type == "string" else text
