"""`islandgen serve`: build into a private cache folder, serve it with live reload, rebuild on save.

Three threads share one `DevState`: the watcher fills a `ChangeQueue`, the
rebuild thread turns each batch into a new output folder (or an error), and
request threads answer from whatever the state holds at that moment. Nothing
a site can do (a syntax error, a deleted folder, an exception inside the
engine) stops the server; the error is shown in every page until fixed.
The build output lives under `SITE/.islandgen-cache/`, so `dist/` is never touched,
and neither is the functions bundle (`dist-functions/`): server functions run
here, in-process, from the modules the latest good build imported.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
import sys
import tempfile
import threading
import uuid
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..cache import CACHE_DIR
from ..catalog import CATALOG_PATH, render_catalog
from ..errors import EXIT_OK, UsageError
from ..functions.dispatch import ENDPOINT, Dispatcher, error_json
from ..model import BuildOptions
from .collector import QUIET_SECONDS, QuietCollector
from .errorpage import render_error_page
from .httpd import (
    Request,
    Response,
    bind,
    method_not_allowed,
    serve_until_stopped,
    server_url,
    stop_on_sigterm,
    text_response,
)
from .rebuild import Changes, Rebuilder, Rebuilt, SessionRebuilder
from .reload import EVENTS_PATH, Broker, BuildEvent, client_tag, inject
from .report import FUNCTIONS_LOGGER, FunctionLog, Reporter
from .resolve import Found, NotFound, Redirect, Resolution, resolve
from .static import content_type
from .watch import ChangeQueue, Watcher, watch_roots

NO_STORE = ("Cache-Control", "no-store")
_NOT_FOUND_PAGE = b"<!doctype html><title>Not found</title><h1>404 Not found</h1>\n"
BUILD_WAIT_SECONDS = 30.0  # a request for a missing file waits at most this long for a build


@dataclass(frozen=True)
class Snapshot:
    """What the server answers with right now."""

    event: BuildEvent  # which build pages are from, for the reload client
    out_dir: Path | None  # the last good output; None until a build succeeds
    base_path: str
    error: BaseException | None  # the last build's failure, shown instead of pages
    dispatcher: Dispatcher | None = None  # the last good build's server functions


class DevState:
    """The current `Snapshot`, and whether a build is running right now."""

    def __init__(self, server_id: str) -> None:
        self._cond = threading.Condition()
        self._snapshot = Snapshot(BuildEvent(server_id, 0, 0), None, "/", None)
        self._building = False

    @property
    def snapshot(self) -> Snapshot:
        with self._cond:
            return self._snapshot

    def building(self) -> None:
        with self._cond:
            self._building = True

    def wait_for_build(self, timeout: float = BUILD_WAIT_SECONDS) -> Snapshot | None:
        """If a build is running, wait for it and return the new snapshot; else None."""
        with self._cond:
            if not self._building:
                return None
            self._cond.wait_for(lambda: not self._building, timeout=timeout)
            return self._snapshot

    def settled(self) -> None:
        """A build ended without a new snapshot (another follows at once)."""
        with self._cond:
            self._building = False
            self._cond.notify_all()

    def succeeded(self, rebuilt: Rebuilt, *, css_only: bool) -> Snapshot:
        with self._cond:
            old = self._snapshot
            number = old.event.build + 1
            keep_page = css_only and old.error is None and old.out_dir is not None
            event = replace(old.event, build=number,
                            reload=old.event.reload if keep_page else number)
            return self._settle(Snapshot(event, rebuilt.out_dir, rebuilt.base_path, None,
                                         rebuilt.dispatcher))

    def failed(self, error: BaseException) -> Snapshot:
        with self._cond:
            old = self._snapshot
            number = old.event.build + 1
            event = replace(old.event, build=number, reload=number)
            return self._settle(replace(old, event=event, error=error))

    def _settle(self, snapshot: Snapshot) -> Snapshot:
        self._snapshot = snapshot
        self._building = False
        self._cond.notify_all()
        return snapshot


class DevApp:
    """Answers requests from the current snapshot, with the reload client in every page."""

    def __init__(self, site_dir: Path, state: DevState, broker: Broker) -> None:
        self.site_dir = site_dir
        self.state = state
        self.broker = broker

    def __call__(self, request: Request) -> Response:
        path = request.target.partition("?")[0]
        if path == EVENTS_PATH:
            if request.method in ("GET", "HEAD"):
                return self.broker.response()
            return method_not_allowed()
        if path.rstrip("/") == CATALOG_PATH:
            return self._catalog(request)
        if path.startswith("/_islandgen/"):
            return text_response(404, "404 Not Found\n", NO_STORE)
        snapshot = self.state.snapshot
        if path.startswith(snapshot.base_path.rstrip("/") + ENDPOINT):
            return call_function(snapshot, request)
        if request.method not in ("GET", "HEAD"):
            return method_not_allowed()
        answer = self._answer(snapshot, request)
        if answer.status == 404:  # maybe only while a build swaps the folder: ask again after it
            rebuilt = self.state.wait_for_build()
            if rebuilt is not None:
                answer = self._answer(rebuilt, request)
        return answer

    def _catalog(self, request: Request) -> Response:
        """Every component rendered on its own (catalog.py), from the files as they are now.

        Its island chunks are the build's own (same files, same hashes); a site
        error is shown as on any page, and a broken example only in its place.
        """
        if request.method not in ("GET", "HEAD"):
            return method_not_allowed()
        snapshot = self.state.snapshot
        try:
            page = render_catalog(self.site_dir)
        except Exception as exc:  # the server survives everything; the page says what broke
            return self._html(500, render_error_page(exc, self.site_dir).encode("utf-8"), snapshot)
        return self._html(200, page.encode("utf-8"), snapshot)

    def _answer(self, snapshot: Snapshot, request: Request) -> Response:
        found: Resolution = NotFound()
        if snapshot.out_dir is not None:
            found = resolve(snapshot.out_dir, snapshot.base_path, request.target)
        if isinstance(found, Redirect):
            return Response(301, (("Location", found.location), NO_STORE))
        if snapshot.error is not None and _is_page(found, request):
            page = render_error_page(snapshot.error, self.site_dir).encode("utf-8")
            return self._html(500, page, snapshot)
        if isinstance(found, Found):
            answer = self._read(found.file, 200, snapshot)
            if answer is not None:
                return answer
        if request.target.partition("?")[0] == "/" and snapshot.base_path != "/":
            return Response(302, (("Location", snapshot.base_path), NO_STORE))
        return self._not_found(snapshot)

    def _not_found(self, snapshot: Snapshot) -> Response:
        if snapshot.out_dir is not None:
            answer = self._read(snapshot.out_dir / "404.html", 404, snapshot)
            if answer is not None:
                return answer
        return self._html(404, _NOT_FOUND_PAGE, snapshot)

    def _read(self, file: Path, status: int, snapshot: Snapshot) -> Response | None:
        """The file as a response; None if it is not there (a build may be replacing it)."""
        try:
            data = file.read_bytes()
        except OSError:
            return None
        if file.suffix in (".html", ".htm"):
            return self._html(status, data, snapshot)
        return Response(status, (("Content-Type", content_type(file.name)), NO_STORE), data)

    @staticmethod
    def _html(status: int, page: bytes, snapshot: Snapshot) -> Response:
        body = inject(page, client_tag(snapshot.event))
        return Response(status, (("Content-Type", "text/html; charset=utf-8"), NO_STORE), body)


def call_function(snapshot: Snapshot, request: Request) -> Response:
    """A request to `<base>/_fn/<id>`, answered by the last good build's dispatcher, any method.

    The dispatcher decides everything (404, 405, 403, 413, 415, 400, the call,
    its 500); this only feeds it the body within its limit and guards the
    server against what escapes it. While the build is broken, calls get a
    JSON 503: the functions may be the broken part.
    """
    if snapshot.error is not None:
        return _function_error(503, "build_failed", "the site has a build error; server functions "
                               "answer again once it is fixed (see the page or the console)")
    dispatcher = snapshot.dispatcher
    if dispatcher is None:
        if snapshot.out_dir is None:
            return _function_error(503, "not_built", "the site has not been built yet")
        return _function_error(404, "not_found", "no such server function (this site has none)")
    body = request.body.read(dispatcher.settings.max_body)
    if body is None and request.body.length is None:
        return _function_error(411, "length_required", "send the body with a Content-Length")
    path, _, query = request.target.partition("?")
    try:
        answer = dispatcher.handle(request.method, path, request.headers, body or b"",
                                   client=request.client, query=query)
    except BaseException as error:  # SystemExit from a function must not end the request thread
        logging.getLogger(FUNCTIONS_LOGGER).error(
            "the call to %s raised %s", path, type(error).__name__, exc_info=error)
        return _function_error(500, "internal", "the server function failed")
    return Response(answer.status, answer.headers, answer.body)


def _function_error(status: int, code: str, message: str) -> Response:
    refusal = error_json(status, code, message)
    return Response(status, refusal.headers, refusal.body)


def _is_page(found: Resolution, request: Request) -> bool:
    """Would this request show a page (so it gets the error page while the build is broken)?"""
    if isinstance(found, Found):
        return found.file.suffix in (".html", ".htm")
    if isinstance(found, Redirect):
        return False
    last = request.target.partition("?")[0].rsplit("/", 1)[-1]
    return "text/html" in request.header("accept") or "." not in last or last.endswith(".html")


class RebuildLoop:
    """The one thread that builds: the first build, then one rebuild per burst of changes."""

    def __init__(self, site_dir: Path, rebuilder: Rebuilder, state: DevState, broker: Broker,
                 watcher: Watcher, changes: ChangeQueue, reporter: Reporter) -> None:
        self.site_dir = site_dir
        self.rebuilder = rebuilder
        self.state = state
        self.broker = broker
        self.watcher = watcher
        self.changes = changes
        self.reporter = reporter
        self.collector = QuietCollector()
        self._thread = threading.Thread(target=self._run, name="islandgen-rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float) -> None:
        if self._thread.is_alive():
            self._thread.join(timeout)

    def build(self, changes: Changes | None) -> None:
        """Build once; any failure becomes the error page, never an exception here.

        A failure while files are still being saved is not shown: it may come
        from a file caught half-written or deleted mid-build, and the build for
        those saves follows at once.
        """
        was_broken = self.state.snapshot.error is not None
        self.state.building()
        try:
            with self.collector.paused():
                rebuilt = self.rebuilder.rebuild(changes)
        except Exception as exc:  # a site error or an engine bug: both shown, neither fatal
            if self.changes.wait_pending(self.changes.quiet):
                self.state.settled()  # saved again meanwhile: maybe a half-written file
                return
            snapshot = self.state.failed(exc)
            self.reporter.failed(exc)
        else:
            css_only = changes is not None and changes.css_only
            snapshot = self.state.succeeded(rebuilt, css_only=css_only)
            self.reporter.built(rebuilt, changes, fixed=was_broken)
        self.broker.publish(snapshot.event)

    def _run(self) -> None:
        with self.collector.paused():  # first, while no edit has come (one that does waits)
            self.rebuilder.prepare()
        while True:
            if self.collector.overdue or not self.changes.wait_pending(QUIET_SECONDS):
                self.collector.catch_up()  # the reloaded pages have been served by now
            if (batch := self.changes.next_batch()) is None:
                return
            try:
                self.watcher.update(watch_roots(self.site_dir), batch)
            except Exception as exc:  # keep rebuilding even if a folder cannot be watched
                self.reporter.failed(exc)
            self.build(Changes(batch))


def serve_dev(site: Path, *, host: str, port: int, drafts: bool = False,
              open_browser: bool = False, quiet: bool = False, verbose: bool = False) -> int:
    """Build, serve and rebuild until Ctrl+C or SIGTERM; returns the exit code."""
    if not site.is_dir():
        raise UsageError(f"no site folder at {site}",
                         hint="pass the folder that holds islandgen.yaml")
    site = site.absolute()
    sys.dont_write_bytecode = True  # __pycache__ in data/ or components/ would look like a change
    state = DevState(uuid.uuid4().hex[:12])
    broker = Broker(state.snapshot.event)
    server = bind(host, port, DevApp(site, state, broker))  # first: a busy port fails fast
    reporter = Reporter(site, quiet=quiet, verbose=verbose)
    changes = ChangeQueue()
    watcher = Watcher(site, changes)
    with contextlib.ExitStack() as cleanup:  # undone in reverse order, whatever happens
        cleanup.callback(server.server_close)
        out_dir, release = claim_output_dir(site)
        cleanup.callback(release)
        # server functions are served from memory: the bundle is for `islandgen build` alone
        options = BuildOptions(out_dir=out_dir, drafts=drafts or None, future=drafts or None,
                               write_functions=False)
        loop = RebuildLoop(site, SessionRebuilder(site, options), state, broker, watcher,
                           changes, reporter)
        cleanup.callback(watcher.stop)
        cleanup.callback(loop.join, timeout=5)
        cleanup.callback(changes.close)
        cleanup.callback(broker.close)
        cleanup.enter_context(FunctionLog(reporter))
        try:
            with stop_on_sigterm():
                watcher.start()  # before the first build, so no save during it is missed
                loop.build(None)
                url = server_url(server, state.snapshot.base_path)
                reporter.serving(url, "with live reload")
                if open_browser:
                    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
                loop.start()
                serve_until_stopped(server)
        except KeyboardInterrupt:
            pass
    return EXIT_OK


def claim_output_dir(site: Path) -> tuple[Path, Callable[[], None]]:
    """The folder this server builds into, and how to let go of it on exit.

    The first server of a site gets `serve/dist` and keeps it afterwards, so
    the next start finds the build up to date. A second server at the same
    time builds into a folder of its own, removed when it stops.
    """
    root = site / CACHE_DIR / "serve"
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only site still serves
        private = Path(tempfile.mkdtemp(prefix="islandgen-serve-"))
        return private / "dist", functools.partial(shutil.rmtree, private, ignore_errors=True)
    for folder in root.iterdir():
        if folder.name.isdigit() and not _alive(int(folder.name)):
            shutil.rmtree(folder, ignore_errors=True)  # left by a server that was killed
    lock = root / "server.pid"
    if _lock(lock):
        return root / "dist", functools.partial(lock.unlink, missing_ok=True)
    private = root / str(os.getpid())
    return private / "dist", functools.partial(shutil.rmtree, private, ignore_errors=True)


def _lock(lock: Path) -> bool:
    """Create `lock` holding our pid; a lock whose process is gone is taken over."""
    for _attempt in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                holder = int(lock.read_text(encoding="utf-8").strip() or "0")
            except (OSError, ValueError):
                holder = 0
            if holder and _alive(holder):
                return False
            lock.unlink(missing_ok=True)
            continue
        except OSError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(str(os.getpid()))
        return True
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
