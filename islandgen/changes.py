"""Input files -> what changed since the last build, and which dependency tokens that touches.

Two sources of truth: a stat fingerprint of every input (for `islandgen build`,
which starts cold each time), and the list of paths a file watcher reports
(for `islandgen serve`, which keeps the previous build in memory).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import CONFIG_FILE
from .deps import Token, digest
from .model import Page
from .themes import THEME_FILE, Layer

if TYPE_CHECKING:  # the no-change exit imports this module, and never needs the collections
    from .routing.collections import Collections

# Folders of the site and of each theme whose files can change the output.
INPUT_FOLDERS = ("content", "pages", "layouts", "partials", "components", "data", "static",
                 "server")


def input_stamp(layers: Sequence[Layer], extra: object, also: Iterable[str] = ()) -> str:
    """A fingerprint of every input file's path, size and modification time, plus `extra`.

    `also`: files read from outside the input folders (client modules a component
    imports from lib/, vendored files of the import map), as the last build found them.
    """
    return stamp(input_stats(layers), extra, also)


def input_stats(layers: Sequence[Layer]) -> list[tuple[str, int, int]]:
    entries: list[tuple[str, int, int]] = []
    for layer in layers:
        for name in (CONFIG_FILE, THEME_FILE):
            entries.extend(_stats(layer.path / name))
        for folder in INPUT_FOLDERS:
            entries.extend(_stats(layer.path / folder))
    return entries


def stamp(entries: list[tuple[str, int, int]], extra: object, also: Iterable[str]) -> str:
    return digest(extra, entries, [entry for path in sorted(also) for entry in _stats(Path(path))])


def _stats(path: Path) -> list[tuple[str, int, int]]:
    try:
        if path.is_file():
            stat = path.stat()
            return [(str(path), stat.st_size, stat.st_mtime_ns)]
        found: list[tuple[str, int, int]] = []
        for root, folders, files in os.walk(path):
            folders.sort()
            for name in sorted(files):
                full = os.path.join(root, name)
                stat = os.stat(full)
                found.append((full, stat.st_size, stat.st_mtime_ns))
        return found
    except OSError:
        return []


@dataclass(frozen=True)
class ChangeSet:
    """Watcher-reported paths, sorted by what they can affect."""

    content: frozenset[Path]  # Markdown files under a content/ folder
    components: frozenset[Path]
    other: frozenset[Path]  # anything else: templates, config, data, static, themes

    @property
    def content_only(self) -> bool:
        return not self.other


def classify(changed: Collection[Path], site_dir: Path, layers: Sequence[Layer]) -> ChangeSet:
    """Markdown under content/, files under a layer's components/, and everything else."""
    content_dir = (site_dir / "content").absolute()
    component_dirs = [(layer.path / "components").absolute() for layer in layers]
    content: set[Path] = set()
    components: set[Path] = set()
    other: set[Path] = set()
    for path in changed:
        resolved = path.absolute()
        if resolved.suffix == ".md" and resolved.is_relative_to(content_dir):
            content.add(resolved)
        elif any(resolved.is_relative_to(folder) for folder in component_dirs):
            components.add(resolved)
        else:
            other.add(resolved)
    return ChangeSet(frozenset(content), frozenset(components), frozenset(other))


def touched_tokens(
    before: Collections | None,
    after: Collections,
    changed_ids: Iterable[str],
    changed_components: Iterable[str],
) -> set[Token]:
    """Tokens whose fingerprints may differ after these pages and components changed.

    Only routes that recorded one of these need their fingerprints checked; the
    rest cannot have changed (their global signature did not).
    """
    tokens: set[Token] = {("pages",), ("tags",), ("sections",)}
    tokens.update(("component", name) for name in changed_components)
    for page_id in changed_ids:
        tokens.update({("page", page_id), ("content", page_id), ("summary", page_id),
                       ("neighbours", page_id)})
        for collections in (before, after):
            if collections is None:
                continue
            page = _find(collections, page_id)
            if page is None:
                continue
            tokens.add(("section", page.section))
            tokens.update(("tag", tag) for tag in _tag_slugs(collections, page))
            for neighbour in collections.neighbours.get(page_id, ()):
                if neighbour is not None:
                    tokens.add(("neighbours", neighbour.id))
    return tokens


def _find(collections: Collections, page_id: str) -> Page | None:
    for section in collections.sections.values():
        for page in section.pages:
            if page.id == page_id:
                return page
        if section.index is not None and section.index.id == page_id:
            return section.index
    return None


def _tag_slugs(collections: Collections, page: Page) -> list[str]:
    return [slug for slug, tag in collections.tags.items() if tag.name in page.tags]


def routes_reading(index: Mapping[Token, set[str]], tokens: Iterable[Token]) -> set[str]:
    """URLs of the routes that recorded any of `tokens`."""
    urls: set[str] = set()
    for token in tokens:
        urls |= index.get(token, set())
    return urls
