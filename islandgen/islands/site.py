"""The site's client components -> the chunks of their module graph, stubs included.

The build and the component catalog both call this, so a component's chunk has
the same URL in both (same inputs, same hashes).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..client.chunks import ChunkSet, build_chunks
from ..client.graph import build_graph
from ..config import Config
from ..deps import digest, file_digest
from ..functions.discover import SiteFunctions
from ..functions.stubs import server_stubs
from ..model import OutputFile
from ..themes import Layer
from .component import discover_client_components, island_entries


@dataclass(frozen=True)
class ClientChunks:
    """The site's client components and the chunks of their module graph."""

    entries: dict[str, tuple[Path, Path | None]]  # name -> (module, shell)
    chunks: ChunkSet
    files: tuple[OutputFile, ...]
    manifest_digest: str


def site_chunks(layers: Sequence[Layer], site_dir: Path, config: Config,
                   functions: SiteFunctions | None) -> ClientChunks:
    """Find the 'use client' components and build every chunk their imports reach."""
    entries = discover_client_components(layers)
    graph = build_graph(island_entries(entries) if entries else (), site_root=site_dir,
                        import_map=config.import_map)
    stubs = server_stubs(graph, functions, base_path=config.base_path, environ=os.environ,
                         minify=config.build.minify)
    chunks = build_chunks(graph, base_path=config.base_path, environ=os.environ,
                          minify=config.build.minify, server_stubs=stubs.urls,
                          stub_files=stubs.files)
    files = (*chunks.files({name: path for name, (path, _) in entries.items()}), *stubs.files) \
        if entries else ()
    return ClientChunks(entries, chunks, files, digest([(f.path, file_digest(f.data)) for f in files]))


