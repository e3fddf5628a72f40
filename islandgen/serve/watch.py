"""File-system events in the site and its themes -> one batch of changed paths per burst of saves.

Editors save in bursts (a temp file, a rename, a backup), and `git checkout`
touches hundreds of files at once; `ChangeQueue` waits for a short quiet spell
and hands over the whole burst, so one burst costs one rebuild. The folders
watched follow the site: a folder that is created, deleted or replaced (or a
theme switched in islandgen.yaml) is picked up at the next batch.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from ..config import CONFIG_FILE, load_config
from ..errors import IslandgenError
from ..themes import resolve_layers

# Every folder of a site (or theme) whose files can change the output or the server.
SOURCE_FOLDERS = ("content", "pages", "layouts", "partials", "components", "data", "static",
                  "server", "themes")
_CHANGE_EVENTS = frozenset({"created", "deleted", "modified", "moved"})
_NOISE_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".pyc", ".pyo")


def is_noise(path: Path) -> bool:
    """Editor droppings and caches that never change the site (`path` relative to its root)."""
    name = path.name
    return (
        any(part.startswith(".") or part == "__pycache__" for part in path.parts)
        or name.endswith(("~", *_NOISE_SUFFIXES))
        or name == "4913"  # vim probes whether it may write here with this file
    )


def watch_roots(site_dir: Path) -> tuple[Path, ...]:
    """Folders to watch recursively: the site's source folders and its themes outside the site.

    The theme chain comes from the config; while the config is broken, only the
    site's own folders are watched (fixing islandgen.yaml is seen from there).
    """
    site_dir = site_dir.absolute()
    roots = [site_dir / name for name in SOURCE_FOLDERS]
    try:
        config = load_config(site_dir)
        layers = resolve_layers(site_dir, config.theme, site_dir / CONFIG_FILE)
    except IslandgenError:
        layers = ()
    for layer in layers:
        path = layer.path.absolute()
        if layer.is_theme and not path.is_relative_to(site_dir):
            roots.append(path)
    return tuple(root for root in roots if root.is_dir())


class ChangeQueue:
    """Changed paths from the watcher thread, handed to the rebuild thread one burst at a time."""

    def __init__(self, quiet: float = 0.1, longest: float = 1.0) -> None:
        self.quiet = quiet  # seconds without events that end a burst
        self.longest = longest  # a burst that never goes quiet is cut after this
        self._cond = threading.Condition()
        self._pending: set[Path] = set()
        self._created: set[Path] = set()
        self._last_added = 0.0
        self._closed = False

    def add(self, paths: Iterable[Path], created: Iterable[Path] = ()) -> None:
        with self._cond:
            self._pending.update(paths)
            self._created.update(created)
            self._last_added = time.monotonic()
            self._cond.notify_all()

    def wait_pending(self, timeout: float) -> bool:
        """True if changes are waiting, or arrive within `timeout` seconds."""
        with self._cond:
            return self._cond.wait_for(lambda: bool(self._pending) or self._closed, timeout)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def next_batch(self) -> frozenset[Path] | None:
        """Block until a burst of changes is over and return it; None once closed.

        A file created and gone again within the burst (an editor's temp file
        or lock) changed nothing and is left out; a burst of only those is skipped.
        """
        with self._cond:
            while not self._closed:
                self._wait_for_quiet()
                batch = frozenset(path for path in self._pending
                                  if path not in self._created or path.exists())
                self._pending.clear()
                self._created.clear()
                if batch:
                    return batch
            return None

    def _wait_for_quiet(self) -> None:
        while not self._pending and not self._closed:
            self._cond.wait()
        started = time.monotonic()
        while not self._closed:
            deadline = min(self._last_added + self.quiet, started + self.longest)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._cond.wait(remaining)


class _Forward(FileSystemEventHandler):
    """Watchdog callback: relevant paths of an event go into the queue."""

    def __init__(self, watcher: Watcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGE_EVENTS:
            return
        if event.is_directory and event.event_type == "modified":
            return  # a file inside changed; that file has its own event
        paths = [Path(_text(event.src_path))]
        if event.dest_path:
            paths.append(Path(_text(event.dest_path)))
        self._watcher.offer(paths, created=event.event_type == "created")


def _text(path: bytes | str) -> str:
    return path.decode() if isinstance(path, bytes) else path


class Watcher:
    """Watchdog over the site folder (not recursive, for the config) and every watch root."""

    def __init__(self, site_dir: Path, changes: ChangeQueue) -> None:
        self.site_dir = site_dir.absolute()
        self._changes = changes
        self._observer: BaseObserver = Observer()
        self._handler = _Forward(self)
        self._lock = threading.Lock()
        self._roots: dict[Path, ObservedWatch] = {}

    def start(self) -> None:
        self._observer.schedule(self._handler, str(self.site_dir), recursive=False)
        self.update(watch_roots(self.site_dir))
        self._observer.start()

    def stop(self) -> None:
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)

    def update(self, roots: Iterable[Path], changed: Iterable[Path] = ()) -> None:
        """Watch exactly `roots`; re-watch any that was itself deleted or replaced."""
        wanted = set(roots)
        replaced = wanted & set(changed)
        with self._lock:
            for root in [r for r in self._roots if r not in wanted or r in replaced]:
                self._unschedule(root)
            for root in sorted(wanted - set(self._roots)):
                try:
                    self._roots[root] = self._observer.schedule(self._handler, str(root),
                                                                recursive=True)
                except OSError:  # deleted since watch_roots looked
                    continue

    def offer(self, paths: Iterable[Path], *, created: bool = False) -> None:
        relevant = [path for path in paths if self._is_source(path)]
        if relevant:
            self._changes.add(relevant, created=relevant if created else ())

    def _is_source(self, path: Path) -> bool:
        if path == self.site_dir / CONFIG_FILE:
            return True
        root = self._root_of(path)
        return root is not None and not is_noise(path.relative_to(root))

    def _root_of(self, path: Path) -> Path | None:
        """The watched folder `path` belongs to (a source folder appearing counts too)."""
        if path.parent == self.site_dir:
            return path if path.name in SOURCE_FOLDERS else None
        with self._lock:
            roots = list(self._roots)
        return next((root for root in roots if path.is_relative_to(root)), None)

    def _unschedule(self, root: Path) -> None:
        watch = self._roots.pop(root)
        with contextlib.suppress(KeyError, OSError):  # watchdog may have dropped it already
            self._observer.unschedule(watch)
