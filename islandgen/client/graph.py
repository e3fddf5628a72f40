"""'use client' entry modules -> the client module graph: every module they reach, resolved.

Relative specifiers resolve against the importing file, bare ones through the
site's import map (`{"preact": "vendor/preact.mjs"}`, paths relative to the
site folder; a key ending in `/` maps a prefix). Imports of `.py` files are
server function doors (issue 4): kept as `server` edges, not followed; the
browser gets a stub module for them, which imports the server function client
(functions/client.js), so that module is in any graph with a `server` edge. A
`'server-only'` module reached from client code, an unresolved import, and a
non-public `import.meta.env.X` are errors at the importing file's line.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import ComponentError
from . import FUNCTIONS_CLIENT
from .env import check_env
from .scan import ImportRef, ModuleScan, Span, scan_module

EdgeKind = Literal["static", "dynamic", "server", "external"]
MODULE_SUFFIXES = (".js", ".mjs")
SERVER_SUFFIX = ".py"
_URL_PREFIXES = ("http://", "https://")


@dataclass(frozen=True)
class Edge:
    """One import of a module, resolved."""

    specifier: str
    kind: EdgeKind
    target: Path | None  # the file (None for an external URL)
    line: int
    span: Span  # the specifier's string literal in the importing module
    lazy: bool = False  # a `server` edge written as `import()`: its stub loads when that runs


@dataclass(frozen=True)
class ClientModule:
    path: Path
    scan: ModuleScan
    edges: tuple[Edge, ...]  # in source order

    @property
    def module_edges(self) -> tuple[Edge, ...]:
        """Edges to other client modules (static and dynamic)."""
        return tuple(e for e in self.edges if e.kind in ("static", "dynamic"))


@dataclass(frozen=True)
class ClientGraph:
    """Every client module reachable from the entries, keyed and ordered by path."""

    site_root: Path
    entries: tuple[Path, ...]
    modules: Mapping[Path, ClientModule]

    def name(self, path: Path) -> str:
        """A module's path as users see it: relative to the site, with `/`."""
        return display_name(path, self.site_root)

    def static_deps(self, path: Path) -> tuple[Path, ...]:
        """Modules loaded with `path` (static imports, transitively), sorted; not itself.

        A server module (`.py`) stands for its stub, which the browser loads
        with the importer and which loads the server function client.
        """
        seen: set[Path] = set()
        todo = [path]
        while todo:
            for target in self._loaded_with(todo.pop()):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        seen.discard(path)
        return tuple(sorted(seen))

    def _loaded_with(self, path: Path) -> Iterator[Path]:
        """What the browser loads as soon as it loads `path`: its static imports."""
        if path.suffix == SERVER_SUFFIX:
            yield FUNCTIONS_CLIENT.resolve()
            return
        for edge in self.modules[path].edges:
            if edge.target is not None and (
                edge.kind == "static" or (edge.kind == "server" and not edge.lazy)
            ):
                yield edge.target

    def server_imports(self) -> tuple[tuple[Path, Edge], ...]:
        """Every `.py` import (importing module, edge), for the server function stubs."""
        return tuple(
            (path, edge)
            for path, module in self.modules.items()
            for edge in module.edges
            if edge.kind == "server"
        )


def display_name(path: Path, site_root: Path) -> str:
    return Path(os.path.relpath(path, site_root)).as_posix()


def is_client_module(path: Path) -> bool:
    """True when the file's first statement is `'use client'`."""
    return scan_module(path).is_client


def build_graph(
    entries: Iterable[Path],
    *,
    site_root: Path,
    import_map: Mapping[str, str] | None = None,
    scan: Callable[[Path], ModuleScan] = scan_module,
) -> ClientGraph:
    """Walk from the entries (breadth first, sorted) and resolve every import."""
    root = site_root.resolve()
    starts = tuple(sorted({p.resolve() for p in entries}))
    resolver = _Resolver(root, dict(import_map or {}))
    modules: dict[Path, ClientModule] = {}
    reached_from: dict[Path, tuple[Path, Edge] | None] = dict.fromkeys(starts)
    queue = deque(starts)
    while queue:
        path = queue.popleft()
        module_scan = scan(path)
        if module_scan.is_server_only:
            raise _server_only_error(path, reached_from, root)
        check_env(module_scan)
        edges = tuple(resolver.resolve(ref, path) for ref in module_scan.imports
                      if ref.specifier != "server-only")
        modules[path] = ClientModule(path, module_scan, edges)
        for edge in edges:
            target = FUNCTIONS_CLIENT.resolve() if edge.kind == "server" else edge.target
            if edge.kind != "external" and target not in reached_from:
                assert target is not None
                reached_from[target] = (path, edge)
                queue.append(target)
    ordered = {path: modules[path] for path in sorted(modules)}
    return ClientGraph(root, starts, ordered)


class _Resolver:
    def __init__(self, site_root: Path, import_map: dict[str, str]) -> None:
        self.site_root = site_root
        self.import_map = import_map

    def resolve(self, ref: ImportRef, importer: Path) -> Edge:
        spec = ref.specifier
        if spec.startswith(_URL_PREFIXES):
            return Edge(spec, "external", None, ref.line, ref.span)
        if spec.startswith("/"):  # site-root relative
            target = (self.site_root / spec.lstrip("/")).resolve()
        elif spec.startswith(("./", "../")):
            target = (importer.parent / spec).resolve()
        else:
            mapped = self._mapped(spec)
            if mapped is None:
                raise ComponentError(
                    f"cannot resolve import {spec!r}: it is not in the import map",
                    path=importer, line=ref.line,
                    hint=f"map it to a file in islandgen.yaml's import map "
                    f"(e.g. {spec}: vendor/{spec}.mjs), or import a relative path ('./{spec}.js')",
                )
            if mapped.startswith(_URL_PREFIXES):
                return Edge(spec, "external", None, ref.line, ref.span)
            target = (self.site_root / mapped).resolve()
        return self._file_edge(ref, importer, target)

    def _mapped(self, spec: str) -> str | None:
        if spec in self.import_map:
            return self.import_map[spec]
        prefixes = [k for k in self.import_map if k.endswith("/") and spec.startswith(k)]
        if not prefixes:
            return None
        longest = max(prefixes, key=len)
        return self.import_map[longest] + spec[len(longest):]

    def _file_edge(self, ref: ImportRef, importer: Path, target: Path) -> Edge:
        shown = display_name(target, self.site_root)
        if not target.is_file():
            guess = next((c for c in _candidates(target) if c.is_file()), None)
            hint = (f"did you mean {_relative_spec(guess, importer)!r}?" if guess
                    else "check the path; browsers need the full file name with its extension")
            raise ComponentError(f"cannot resolve import {ref.specifier!r}: {shown} does not exist",
                                 path=importer, line=ref.line, hint=hint)
        if target.suffix == SERVER_SUFFIX:
            return Edge(ref.specifier, "server", target, ref.line, ref.span,
                        lazy=ref.kind == "dynamic")
        if target.suffix not in MODULE_SUFFIXES:
            raise ComponentError(
                f"cannot import {ref.specifier!r} into client code: only JavaScript modules "
                f"({', '.join(MODULE_SUFFIXES)}) and server functions (.py) can be imported",
                path=importer, line=ref.line,
                hint="fetch other files at run time, or put them in static/",
            )
        return Edge(ref.specifier, ref.kind, target, ref.line, ref.span)


def _candidates(target: Path) -> list[Path]:
    return [target.with_name(target.name + s) for s in MODULE_SUFFIXES] + [
        target / f"index{s}" for s in MODULE_SUFFIXES
    ]


def _relative_spec(target: Path, importer: Path) -> str:
    spec = Path(os.path.relpath(target, importer.parent)).as_posix()
    return spec if spec.startswith("../") else f"./{spec}"


def _server_only_error(
    path: Path, reached_from: Mapping[Path, tuple[Path, Edge] | None], root: Path
) -> ComponentError:
    chain = [path]
    step = reached_from[path]
    while step is not None:
        chain.append(step[0])
        step = reached_from[step[0]]
    names = [display_name(p, root) for p in reversed(chain)]
    shown = " → ".join(names) + " ('server-only')"
    first = reached_from[path]
    if first is None:
        return ComponentError(f"client entry {shown} is marked 'server-only'", path=path, line=1,
                              hint="a module cannot be both 'use client' and 'server-only'")
    importer, edge = first
    return ComponentError(
        f"client code reaches a 'server-only' module: {shown}",
        path=importer, line=edge.line,
        hint=f"everything a client component imports ships to the browser; move what it needs "
        f"out of {names[-1]}, or call the server through a server function",
    )
