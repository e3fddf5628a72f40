"""Changed source files -> an up-to-date output folder to serve: the dev server's call into the engine.

`Rebuilder` is the seam: the dev server hands it each batch of changes and
serves the folder it returns, so a faster engine path replaces
`EngineRebuilder` without touching the server. The engine writes changed files
in place, each replaced atomically; the server covers the moment a whole
folder is swapped (a first build) by retrying after the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..build import BuildOptions, build
from ..config import load_config
from ..model import BuildResult


@dataclass(frozen=True)
class Changes:
    """One burst of changed source paths (absolute); a path may be gone by now."""

    paths: frozenset[Path]

    @property
    def css_only(self) -> bool:
        """True when a page can keep its DOM and only swap stylesheets."""
        return bool(self.paths) and all(path.suffix == ".css" for path in self.paths)


@dataclass(frozen=True)
class Rebuilt:
    """A successful rebuild: where its output is and what was redone."""

    out_dir: Path
    base_path: str
    result: BuildResult
    rendered: str  # for the console: '12 pages, 2 files written'


class Rebuilder(Protocol):
    """Turns changes into a servable output folder; raises like `build()` on a site error."""

    def rebuild(self, changes: Changes | None) -> Rebuilt:
        """`changes` is None for the first build, which must build everything."""
        ...


class EngineRebuilder:
    """Runs `build()` into the dev server's own folder; the engine's build cache skips unchanged work.

    The engine finds what changed by itself (file stats and recorded
    dependencies), so `changes` only matters to a future engine call that
    takes the changed paths directly.
    """

    def __init__(self, site_dir: Path, options: BuildOptions) -> None:
        self.site_dir = site_dir
        self.options = options

    def rebuild(self, changes: Changes | None) -> Rebuilt:
        result = build(self.site_dir, self.options)
        base_path = load_config(self.site_dir).base_path
        written = f"{result.files_written} file{'s' if result.files_written != 1 else ''} written"
        return Rebuilt(result.out_dir, base_path, result, f"{len(result.routes)} pages, {written}")
