"""Changed source files -> an up-to-date output folder to serve: the dev server's call into the engine.

`Rebuilder` is the seam: the dev server hands it each batch of changes and
serves the folder it returns. `SessionRebuilder` drives the engine's
incremental `BuildSession`. The engine writes changed files in place, each
replaced atomically; the server covers the moment a whole folder is swapped
(a first build) by retrying after the build.

Server functions run in the server's own process: each good build hands over
the dispatcher of the functions that build imported. The session re-imports
`server/` whenever anything but content changed (an edited server module among
them), so the dispatcher is taken afresh after every build, never kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import IslandgenError
from ..functions.discover import SiteFunctions
from ..functions.dispatch import Dispatcher
from ..model import BuildOptions, BuildResult
from ..pipeline import BuildSession


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
    dispatcher: Dispatcher | None = None  # the site's server functions as this build imported them


class Rebuilder(Protocol):
    """Turns changes into a servable output folder; raises like `build()` on a site error."""

    def rebuild(self, changes: Changes | None) -> Rebuilt:
        """`changes` is None for the first build, which must build everything."""
        ...

    def prepare(self) -> None:
        """Get ready for the first edit while none has come; never raises."""
        ...


class SessionRebuilder:
    """Keeps one engine `BuildSession` alive and tells it which paths changed.

    The session redoes only what those paths can affect. It remembers the last
    *successful* build, so paths changed during a run of failed builds are
    passed on until one succeeds. An unexpected exception (an engine bug)
    drops the session: the next build starts afresh rather than from a state
    that may be wrong.

    A page saved while `prepare` loads the site may be written by `prepare`
    itself; the rebuild for that save then finds nothing left to do. So what
    `prepare` wrote is counted into the report of the rebuild that follows: the
    console says the save rendered a page, as it did.
    """

    def __init__(self, site_dir: Path, options: BuildOptions) -> None:
        self.site_dir = site_dir
        self.options = options
        self.session = BuildSession(site_dir, options)
        self._unbuilt: set[Path] | None = None  # None: build everything (first build, reset)
        self._functions: SiteFunctions | None = None
        self._dispatcher: Dispatcher | None = None
        self._prepared: tuple[int, int] = (0, 0)  # pages rendered, files written by prepare()

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
        rendered, written = (result.rendered + self._prepared[0],
                             result.files_written + self._prepared[1])
        self._prepared = (0, 0)
        files = f"{written} file{'s' if written != 1 else ''}"
        pages = f"{rendered} page{'s' if rendered != 1 else ''}"
        return Rebuilt(result.out_dir, result.base_path, result,
                       f"{pages} rendered, {files} written, {len(result.routes)} pages in all",
                       self._current_dispatcher())

    def prepare(self) -> None:
        """Load the site into the session if the first build was answered from the cache.

        Only right after a good build, before any change: if something was saved
        meanwhile, the rebuild for it follows and reports what this wrote. A site
        error is left for that rebuild to report; an engine bug drops the session,
        as in `rebuild`.
        """
        if self._unbuilt != set():
            return
        try:
            prepared = self.session.prepare()
        except IslandgenError:
            return
        except Exception:
            self.session = BuildSession(self.site_dir, self.options)
            self._unbuilt = None
            return
        if prepared is not None:
            self._prepared = (prepared.rendered, prepared.files_written)

    def _current_dispatcher(self) -> Dispatcher | None:
        """The dispatcher of the functions the session holds now (a new one when they were re-imported)."""
        functions = self.session.functions
        if functions is not self._functions:
            self._functions = functions
            self._dispatcher = functions.dispatcher() if functions is not None else None
        return self._dispatcher

    def _paths_for_engine(self) -> frozenset[Path] | None:
        """Every path changed since the last good build; None (compare file stats) after a crash."""
        return frozenset(self._unbuilt) if self._unbuilt is not None else None
