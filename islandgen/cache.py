"""The build cache: what the previous build read, rendered and wrote, kept in `.islandgen-cache/`.

A cache that cannot be read (missing, corrupt, from another islandgen version)
is simply empty: the cache only ever saves work, it never changes output.
"""

from __future__ import annotations

import functools
import os
import pickle
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from .deps import digest
from .model import Document, RenderedMarkdown, RouteReport
from .version import __version__

CACHE_DIR = ".islandgen-cache"


@functools.cache
def code_stamp() -> str:
    """Which islandgen wrote a cache: its version and its own files, so an upgrade (or an
    edit to islandgen itself) never reuses what older code rendered."""
    package = Path(__file__).parent
    files = sorted((str(p.relative_to(package)), p.stat().st_size, p.stat().st_mtime_ns)
                   for p in package.rglob("*.py"))
    return digest(__version__, sys.version_info[:2], files)



@dataclass
class CachedMarkdown:
    key: str  # digest of the body and the Markdown options
    linked: dict[str, str]  # .md targets the body links to -> the URL they had
    rendered: RenderedMarkdown


@dataclass
class CachedRoute:
    key: str  # digest of the global signature and the route itself
    deps: dict[tuple[str, ...], str]  # token -> its fingerprint when the route rendered
    output: str  # path in the output folder
    size: int
    extras: tuple[str, ...] = ()  # other files the route wrote (a large props payload)
    islands: int = 0
    first_load_js: int = 0
    source: str = ""  # the file the route came from, for reports (site-relative)


@dataclass
class WrittenFile:
    digest: str
    size: int
    mtime_ns: int


@dataclass
class BuildCache:
    stamp: str = field(default_factory=lambda: code_stamp())
    inputs: str | None = None  # fingerprint of every input file's stat, for the no-change exit
    out_dir: str | None = None
    documents: dict[str, tuple[int, int, Document]] = field(default_factory=dict)
    markdown: dict[str, CachedMarkdown] = field(default_factory=dict)
    routes: dict[str, CachedRoute] = field(default_factory=dict)
    outputs: dict[str, WrittenFile] = field(default_factory=dict)
    result_summary: dict[str, int] = field(default_factory=dict)
    watched: tuple[str, ...] = ()  # client modules the stamp covers besides the input folders


    def index(self) -> BuildIndex:
        """The part of the cache a no-change build needs, small enough to load in a blink."""
        reports = tuple(RouteReport(url, record.source or "(unchanged)", record.size,
                                    record.islands, record.first_load_js)
                        for url, record in self.routes.items())
        return BuildIndex(self.stamp, self.inputs, self.out_dir, self.outputs,
                          self.result_summary, reports, self.watched)


@dataclass
class BuildIndex:
    """What `fastpath.up_to_date` reads: no documents, no rendered bodies."""

    stamp: str
    inputs: str | None
    out_dir: str | None
    outputs: dict[str, WrittenFile]
    result_summary: dict[str, int]
    reports: tuple[RouteReport, ...]
    watched: tuple[str, ...] = ()


Memo = tuple[str, dict[str, tuple[int, int, Document]], dict[str, CachedMarkdown]]


def cache_file(site_dir: Path, out_dir: Path, part: str = "build") -> Path:
    """One cache per output folder: `build` and `serve` (or two --out folders) keep their own.

    Parts: `build` (routes and output files), `memo` (parsed documents and rendered
    bodies: nine tenths of the bytes) and `index` (for the no-change exit).
    """
    return site_dir / CACHE_DIR / f"{part}-{digest(str(out_dir.absolute()))[:12]}.pickle"


def load_cache(site_dir: Path, out_dir: Path) -> BuildCache:
    cache = _load(cache_file(site_dir, out_dir))
    if not isinstance(cache, BuildCache) or cache.stamp != code_stamp():
        return BuildCache()
    memo = _load(cache_file(site_dir, out_dir, "memo"))
    if isinstance(memo, tuple) and len(memo) == 3 and memo[0] == cache.stamp:
        cache.documents, cache.markdown = memo[1], memo[2]
    return cache


def load_entry(site_dir: Path, name: str) -> object:
    """A small cache file of its own (such as `settings`); None when missing or unreadable."""
    return _load(site_dir / CACHE_DIR / f"{name}.pickle")


def save_entry(site_dir: Path, name: str, value: object) -> None:
    _dump(value, _prepared(site_dir / CACHE_DIR / f"{name}.pickle"))


def load_index(site_dir: Path, out_dir: Path) -> BuildIndex | None:
    index = _load(cache_file(site_dir, out_dir, "index"))
    return index if isinstance(index, BuildIndex) and index.stamp == code_stamp() else None


def _load(path: Path) -> object:
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # missing, truncated, or written by another version: start afresh
        return None


def save_memo(site_dir: Path, out_dir: Path, documents: dict[str, tuple[int, int, Document]],
              markdown: dict[str, CachedMarkdown]) -> None:
    """Write the parsed documents and rendered bodies, atomically.

    Each entry carries what it is valid for (a file's size and mtime, a body's
    digest and link targets), so the memo is right whichever build wrote it: a
    build saves it while its routes are still rendering, and a build that fails
    afterwards leaves nothing inconsistent.
    """
    memo: Memo = (code_stamp(), documents, markdown)
    _dump(memo, _prepared(cache_file(site_dir, out_dir, "memo")))


def save_cache(site_dir: Path, out_dir: Path, cache: BuildCache) -> None:
    """Write the cache (all but the memo) and its index, each atomically (an interrupted
    save keeps the old one)."""
    path = _prepared(cache_file(site_dir, out_dir))
    _dump(replace(cache, documents={}, markdown={}), path)
    _dump(cache.index(), cache_file(site_dir, out_dir, "index"))


def _prepared(path: Path) -> Path:
    """`path`, once its folder exists and tells git to ignore it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ignore = path.parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    return path


def _dump(value: object, path: Path) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)
