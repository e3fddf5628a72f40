"""Changed source files -> an up-to-date output folder to serve: the dev server's call into the engine.

`Rebuilder` is the seam: the dev server hands it each batch of changes and
serves the folder it returns. `SessionRebuilder` drives the engine's
incremental `BuildSession`. The engine writes changed files in place, each
replaced atomically; the server covers the moment a whole folder is swapped
(a first build) by retrying after the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..build import BuildOptions, BuildSession
from ..config import load_config
from ..errors import IslandgenError
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
    rendered: str  # for the console: '2 files written, 12 pages in all'


class Rebuilder(Protocol):
    """Turns changes into a servable output folder; raises like `build()` on a site error."""

    def rebuild(self, changes: Changes | None) -> Rebuilt:
        """`changes` is None for the first build, which must build everything."""
        ...


class SessionRebuilder:
    """Keeps one engine `BuildSession` alive and tells it which paths changed.

    The session redoes only what those paths can affect. It remembers the last
    *successful* build, so paths changed during a run of failed builds are
    passed on until one succeeds. An unexpected exception (an engine bug)
    drops the session: the next build starts afresh rather than from a state
    that may be wrong.
    """

    def __init__(self, site_dir: Path, options: BuildOptions) -> None:
        self.site_dir = site_dir
        self.options = options
        self.session = BuildSession(site_dir, options)
        self._unbuilt: set[Path] | None = None  # None: build everything (first build, reset)

    def rebuild(self, changes: Changes | None) -> Rebuilt:
        if changes is not None and self._unbuilt is not None:
            self._unbuilt |= changes.paths
        changed = self._paths_for_engine()
        try:
            result = self.session.build(changed)
        except IslandgenError:
            raise
        except Exception:
            self.session = BuildSession(self.site_dir, self.options)
            self._unbuilt = None
            raise
        self._unbuilt = set()
        base_path = load_config(self.site_dir).base_path
        files = f"{result.files_written} file{'s' if result.files_written != 1 else ''}"
        return Rebuilt(result.out_dir, base_path, result,
                       f"{files} written, {len(result.routes)} pages in all")

    def _paths_for_engine(self) -> frozenset[Path] | None:
        """The changed paths, when the engine's in-memory shortcut is sound for them.

        Only Markdown under content/ is passed on: for a changed component the
        session reuses its Jinja environment, whose templates do not reload
        (auto_reload is off), and serves the old component. With None the
        session compares file stats instead, which is slower but right.
        """
        if self._unbuilt is None:
            return None
        content = (self.site_dir / "content").absolute()
        markdown_only = all(path.suffix == ".md" and path.absolute().is_relative_to(content)
                            for path in self._unbuilt)
        return frozenset(self._unbuilt) if markdown_only else None
