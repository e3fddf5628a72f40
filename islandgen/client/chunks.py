"""The client module graph -> one hashed chunk per module, specifiers rewritten, and a manifest.

A chunk is `_islands/<stem>.<hash>.js`. Its hash covers the module's text
(after `import.meta.env` substitution), the names of the chunks it imports,
and the minifier, so it changes whenever anything it loads changes (a Merkle
hash). Modules that import each other in a cycle are hashed together: the
strongly connected component gets one digest over all its members, and each
member's hash is that digest with the member's own name and text. Folders
never go in, so hashes do not depend on where the site lives, and two
identical modules (same file name, text and imports) share one chunk. Imports between chunks
are rewritten to `./<stem>.<hash>.js` (chunks are siblings, so this holds under
any base path); `base_path` applies to the manifest's URLs.

An import of a server module (`.py`) is rewritten to its stub's name (made by
islandgen/functions/stubs.py), which is hashed in like any import. The server
function client chunk is written only when some module imports server
functions; otherwise a page whose props carry a server function asks for it
(`ChunkSet.on_demand`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import ComponentError
from ..model import OutputFile
from . import FUNCTIONS_CLIENT
from .env import env_literal
from .graph import ClientGraph, ClientModule
from .minify import minifier_version, minify_js
from .scan import Span

CHUNK_DIR = PurePosixPath("_islands")
MANIFEST = CHUNK_DIR / "manifest.json"
HASH_LENGTH = 8
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Chunk:
    """One client module as written to the output."""

    source: Path
    file: PurePosixPath  # _islands/Counter.3f9a2c1b.js
    data: bytes


@dataclass(frozen=True)
class ChunkSet:
    """Every chunk of a graph, by source module, and the URLs they are served at."""

    graph: ClientGraph
    chunks: Mapping[Path, Chunk]
    base_path: str
    stubs: Mapping[Path, str] = field(default_factory=dict)  # server module -> stub file name
    stub_sizes: Mapping[Path, int] = field(default_factory=dict)  # server module -> gzip bytes
    left_out: frozenset[Path] = frozenset()  # chunks `files` leaves out (see `on_demand`)

    def url(self, module: Path) -> str:
        """The URL of a module's chunk (e.g. /_islands/Counter.3f9a2c1b.js), or a server module's stub."""
        path = module.resolve()
        if path in self.stubs:
            return self.base_path + (CHUNK_DIR / self.stubs[path]).as_posix()
        return self.base_path + self.chunks[path].file.as_posix()

    def preload_urls(self, entry: Path) -> tuple[str, ...]:
        """The entry chunk, then every chunk it imports statically by URL: what to modulepreload."""
        path = entry.resolve()
        return (self.url(path), *sorted({self.url(dep) for dep in self.graph.static_deps(path)}))

    def gzip_sizes(self) -> dict[str, int]:
        """Chunk URL -> its gzip size: what a page's first load costs over the wire."""
        sizes = {self.url(path): len(gzip.compress(chunk.data, mtime=0))
                 for path, chunk in self.chunks.items()}
        sizes.update((self.url(path), size) for path, size in self.stub_sizes.items())
        return sizes

    def on_demand(self, module: Path) -> OutputFile | None:
        """A chunk `files` leaves out, for a page that needs it; None when it is written anyway.

        That is the server function client when no module imports server
        functions: only a page whose props carry one (`$h`) can call it.
        """
        path = module.resolve()
        if path not in self.left_out:
            return None
        chunk = self.chunks[path]
        return OutputFile(chunk.file, chunk.data)

    def manifest(self, components: Mapping[str, Path]) -> dict[str, dict[str, object]]:
        """{component id: {"entry": url, "deps": [static dependency urls]}}, sorted."""
        return {
            name: {"entry": self.url(path), "deps": list(self.preload_urls(path)[1:])}
            for name, path in sorted(components.items())
        }

    def files(self, components: Mapping[str, Path]) -> tuple[OutputFile, ...]:
        """Every chunk plus `_islands/manifest.json`, sorted by path."""
        manifest = json.dumps(self.manifest(components), indent=2, sort_keys=True) + "\n"
        unique = {c.file: c.data for c in self.chunks.values() if c.source not in self.left_out}
        chunks = [OutputFile(file, unique[file]) for file in sorted(unique)]
        return (*chunks, OutputFile(MANIFEST, manifest.encode("utf-8")))


def build_chunks(
    graph: ClientGraph,
    *,
    base_path: str = "/",
    environ: Mapping[str, str] | None = None,
    minify: bool = False,
    server_stubs: Mapping[Path, str] | None = None,
    stub_files: Iterable[OutputFile] = (),
) -> ChunkSet:
    """Hash, rewrite and (optionally) minify every module of the graph.

    `environ` supplies `ISLANDGEN_PUBLIC_*` values; `server_stubs` maps each
    imported `.py` file to the URL of its client stub (server functions),
    `./<name>.<hash>.js`, and `stub_files` are those stubs, counted in the
    first-load JS of the pages that preload them.
    """
    env = dict(environ or {})
    stubs = {p.resolve(): url for p, url in (server_stubs or {}).items()}
    mode = f"islandgen-chunk-1\0{minifier_version() if minify else 'plain'}"
    texts = {path: _substitute_env(module, env) for path, module in graph.modules.items()}
    files: dict[Path, PurePosixPath] = {}
    for component in strongly_connected(graph):
        for path, digest in _hash_component(graph, component, texts, files, stubs, mode).items():
            files[path] = CHUNK_DIR / f"{_safe_stem(path)}.{digest}.js"
    chunks: dict[Path, Chunk] = {}
    for path, module in graph.modules.items():
        text = _rewrite(module, files, stubs, env).decode("utf-8")
        data = (minify_js(text) if minify else text).encode("utf-8")
        chunks[path] = Chunk(path, files[path], data)
    _check_unique(chunks, graph)
    stub_names = {path: PurePosixPath(url).name for path, url in stubs.items()}
    sizes = {file.path.name: len(gzip.compress(file.data, mtime=0)) for file in stub_files}
    stub_sizes = {path: sizes[name] for path, name in stub_names.items() if name in sizes}
    client = FUNCTIONS_CLIENT.resolve()
    left_out = frozenset({client} if client in chunks and not graph.server_imports() else ())
    return ChunkSet(graph, chunks, base_path if base_path.endswith("/") else base_path + "/",
                    stub_names, stub_sizes, left_out)


def strongly_connected(graph: ClientGraph) -> list[tuple[Path, ...]]:
    """Tarjan's components, dependencies before dependents; deterministic order."""
    index: dict[Path, int] = {}
    low: dict[Path, int] = {}
    stack: list[Path] = []
    on_stack: set[Path] = set()
    found: list[tuple[Path, ...]] = []

    def successors(path: Path) -> Iterator[Path]:
        for edge in graph.modules[path].module_edges:
            assert edge.target is not None
            yield edge.target

    for start in graph.modules:
        if start in index:
            continue
        work: list[tuple[Path, Iterator[Path]]] = [(start, successors(start))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    members: list[Path] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == node:
                            break
                    found.append(tuple(sorted(members)))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, successors(child)))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def _hash_component(
    graph: ClientGraph,
    members: tuple[Path, ...],
    texts: Mapping[Path, bytes],
    files: Mapping[Path, PurePosixPath],
    stubs: Mapping[Path, str],
    mode: str,
) -> dict[Path, str]:
    """The hash of each member: one digest over the members and their outside imports.

    Outside imports are other chunks' names and the stub names of imported
    server modules (a stub's name changes with the server module's functions).
    Only names and contents go in, never folders, so a site (or islandgen
    itself) hashes the same wherever it lives.
    """
    outside = sorted({
        files[edge.target].name if edge.kind != "server" else stubs.get(edge.target, "")
        for path in members
        for edge in graph.modules[path].edges
        if edge.target is not None and edge.target not in members
    })
    own = {path: f"{path.stem}\0{hashlib.sha256(texts[path]).hexdigest()}" for path in members}
    digest = hashlib.sha256(mode.encode("utf-8"))
    _feed(digest, *(own[path].encode("utf-8") for path in sorted(members, key=own.__getitem__)))
    _feed(digest, *(name.encode("utf-8") for name in outside))
    if len(members) == 1:
        return {members[0]: digest.hexdigest()[:HASH_LENGTH]}
    shared = digest.hexdigest()
    return {
        path: hashlib.sha256(f"{shared}\0{own[path]}".encode()).hexdigest()[:HASH_LENGTH]
        for path in members
    }


def _safe_stem(path: Path) -> str:
    """The file's stem, kept to characters that need no escaping in a URL."""
    return _UNSAFE.sub("-", path.stem).strip("-") or "module"


def _feed(digest: hashlib._Hash, *parts: bytes) -> None:
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)


def _substitute_env(module: ClientModule, env: Mapping[str, str]) -> bytes:
    return _splice(module.scan.source, [(ref.span, env_literal(ref, env)) for ref in module.scan.env])


def _rewrite(
    module: ClientModule,
    files: Mapping[Path, PurePosixPath],
    stubs: Mapping[Path, str],
    env: Mapping[str, str],
) -> bytes:
    """The module with its chunk imports and `import.meta.env` uses replaced."""
    edits = [(ref.span, env_literal(ref, env)) for ref in module.scan.env]
    for edge in module.edges:
        if edge.kind in ("static", "dynamic"):
            assert edge.target is not None
            edits.append((edge.span, json.dumps(f"./{files[edge.target].name}")))
        elif edge.kind == "server":
            assert edge.target is not None
            if edge.target not in stubs:
                raise ComponentError(
                    f"cannot import server functions from {edge.specifier!r} yet",
                    path=module.path, line=edge.line,
                    hint="server functions are not available in this version of islandgen",
                )
            edits.append((edge.span, json.dumps(stubs[edge.target])))
    return _splice(module.scan.source, edits)


def _splice(source: bytes, edits: list[tuple[Span, str]]) -> bytes:
    """Replace byte spans (which never overlap) with new text."""
    out = bytearray()
    position = 0
    for (start, end), text in sorted(edits):
        out += source[position:start]
        out += text.encode("utf-8")
        position = end
    out += source[position:]
    return bytes(out)


def _check_unique(chunks: Mapping[Path, Chunk], graph: ClientGraph) -> None:
    """Two modules may share a chunk only when their bytes are the same."""
    seen: dict[PurePosixPath, Chunk] = {}
    for chunk in chunks.values():
        other = seen.setdefault(chunk.file, chunk)
        if other.data != chunk.data:
            raise ComponentError(
                f"two client modules would both be written to {chunk.file}",
                path=chunk.source, hint=f"the other is {graph.name(other.source)}; rename one",
            )
