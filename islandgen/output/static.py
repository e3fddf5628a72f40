"""static/ folders and content-side assets -> output files and the URLs templates use.

CSS and JS get a content hash in their file name (`site.3f9a2c1b.css`) so hosts
may cache them forever; `asset()` in templates returns the hashed URL. The
unhashed file is written too, for hand-written links.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from ..routing.urls import encode_path
from ..themes import Layer
from ..walk import files_below

HASHED_SUFFIXES = (".css", ".js")


@dataclass(frozen=True)
class StaticFile:
    """A file to put in the output: copied from `source`, or written from `data`."""

    source: Path | None
    target: PurePosixPath  # path in the output folder
    data: bytes | None = None

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.source is not None
        return self.source.read_bytes()


@dataclass(frozen=True)
class StaticPlan:
    files: tuple[StaticFile, ...]
    urls: dict[str, str]  # 'css/site.css' -> '/css/site.3f9a2c1b.css' (site-relative)


def plan_static(
    layers: Sequence[Layer], content_dir: Path, generated: Mapping[str, bytes]
) -> StaticPlan:
    """Which files to copy where.

    The site's static/ hides a theme's file of the same path; `generated` files
    (such as css/highlight.css) come last, so a site or theme can replace them.
    """
    chosen: dict[PurePosixPath, StaticFile] = {}
    for layer in layers:
        for rel, path in _walk(layer.path / "static"):
            chosen.setdefault(rel, StaticFile(path, rel))
    for rel, path in _walk(content_dir, exclude=(".md",)):
        chosen.setdefault(rel, StaticFile(path, rel))
    for name, data in generated.items():
        rel = PurePosixPath(name)
        chosen.setdefault(rel, StaticFile(None, rel, data))
    files: list[StaticFile] = []
    urls: dict[str, str] = {}
    for rel in sorted(chosen):
        item = chosen[rel]
        files.append(item)
        target = rel
        if rel.suffix in HASHED_SUFFIXES:
            digest = hashlib.sha256(item.read()).hexdigest()[:8]
            target = rel.with_name(f"{rel.stem}.{digest}{rel.suffix}")
            files.append(replace(item, target=target))
        urls[str(rel)] = "/" + encode_path(str(target))
    return StaticPlan(tuple(files), urls)


def _walk(root: Path, exclude: tuple[str, ...] = ()) -> Iterator[tuple[PurePosixPath, Path]]:
    for rel, path in files_below(root, exclude=exclude):
        yield PurePosixPath(rel), path
