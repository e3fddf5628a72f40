"""Helpers for the browser tests: build a site, serve its output on 127.0.0.1, watch a page.

A built site is served by a `ThreadingHTTPServer` in a thread (no caching, so
the request log is exactly what the browser fetched); `Served.requests` is
that log. A `Tab` is one Playwright page with everything that went wrong on
it collected: console errors, uncaught exceptions, failed and 4xx/5xx requests.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from islandgen import BuildOptions, build

HERE = Path(__file__).parent
SITES = HERE / "sites"
SAMPLE_SITE = HERE.parent.parent / "sample_site"

# Chunks and the runtime are named <stem>.<8 hex>.js.
SCRIPT_SUFFIXES = (".js", ".mjs")

# What "all islands settled" means: every island that loads with the page has run or failed.
SETTLED = """() => [...document.querySelectorAll('ig-island')]
  .filter((el) => /(^|\\|)(load|only)($|\\|)/.test(el.getAttribute('client') || 'load'))
  .filter((el) => el.isConnected && !el.closest('template'))
  .every((el) => el.hasAttribute('hydrated') || el.hasAttribute('error'))"""


def build_site(source: Path, out: Path, *, edit_config: str = "",
               env: Mapping[str, str] | None = None) -> Path:
    """Copy `source` to a scratch folder next to `out`, build it into `out`, return `out`.

    The copy keeps the repository clean (no cache, no __pycache__ from data
    loaders); `edit_config` is appended to its islandgen.yaml; `env` is set
    while it builds (for ISLANDGEN_PUBLIC_* variables).
    """
    site = out.with_name(out.name + "-src")
    shutil.copytree(source, site, ignore=shutil.ignore_patterns(
        "dist", ".islandgen-cache", "__pycache__"))
    if edit_config:
        config = site / "islandgen.yaml"
        config.write_text(config.read_text(encoding="utf-8") + edit_config, encoding="utf-8")
    with _environment(env or {}):
        build(site, BuildOptions(out_dir=out, use_cache=False))
    return out


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass
class Served:
    """A built output folder served over HTTP at `base` (which ends with the base path)."""

    root: Path
    base: str
    requests: list[str] = field(default_factory=list)  # paths, in the order asked
    delays: dict[str, float] = field(default_factory=dict)  # path part -> seconds to wait

    def url(self, path: str = "/") -> str:
        return self.base + path.lstrip("/")

    def scripts(self) -> list[str]:
        """The file names of the scripts requested so far: ['island.ee1af551.js', ...]."""
        return [p.rsplit("/", 1)[-1] for p in self.requests if p.endswith(SCRIPT_SUFFIXES)]

    def chunks(self, stem: str) -> list[str]:
        """Requests for the chunk of one module, by its stem ('Probe' -> Probe.<hash>.js)."""
        return [name for name in self.scripts() if name.split(".")[0] == stem]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves `served.root` below its base path, logs every path, never lets the browser cache."""

    served: Served
    prefix: str
    extensions_map = {  # noqa: RUF012 - the base class's own attribute
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
    }

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.served.requests.append(path)
        for part, seconds in self.served.delays.items():
            if part in path:
                time.sleep(seconds)
        super().do_GET()

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.prefix):
            return str(self.served.root / "__outside_the_base_path__")
        return super().translate_path("/" + path[len(self.prefix):])

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(root: Path, base_path: str = "/") -> Iterator[Served]:
    """Serve `root` on 127.0.0.1 (a free port) until the block ends."""
    served = Served(root, "")
    handler = type("Handler", (_Handler,), {"served": served, "prefix": base_path})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    served.base = f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Tab:
    """One browser page and what went wrong on it."""

    page: Any
    served: Served
    errors: list[str] = field(default_factory=list)

    def open(self, path: str, *, settle: bool = True) -> Tab:
        """Go to `path` of the served site with a fresh request log; wait for eager islands."""
        self.served.requests.clear()
        self.page.goto(self.served.url(path))
        if settle:
            self.settle()
        return self

    def settle(self) -> None:
        """Wait until the runtime is defined and every load/only island has run or failed."""
        self.page.wait_for_function(
            "() => !document.querySelector('ig-island') || !!customElements.get('ig-island')")
        self.page.wait_for_function(SETTLED)

    def runtime_ready(self) -> None:
        """Wait until the island runtime has defined <ig-island> (its strategies are armed)."""
        self.page.wait_for_function("() => !!customElements.get('ig-island')")

    def pause(self, ms: int = 300) -> None:
        """Give the page time to do something it should not do."""
        self.page.wait_for_timeout(ms)

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def hydrated(self) -> list[str]:
        """`window.hydrated`: what the test components recorded, in order."""
        return list(self.page.evaluate("window.hydrated || []"))


def watch(page: Any, served: Served) -> Tab:
    """A Tab that records console errors, page errors and failed requests of `page`."""
    tab = Tab(page, served)

    def note(what: str, when: bool = True) -> None:
        if when:
            tab.errors.append(f"{page.url}: {what}")

    page.on("console", lambda m: note(f"console: {m.text} {m.location}", m.type == "error"))
    page.on("pageerror", lambda e: note(f"exception: {e}"))
    # ERR_ABORTED: the browser dropped a request because the page navigated or reloaded
    # meanwhile (a favicon still loading when the test clicks on); nothing failed to serve
    page.on("requestfailed", lambda r: note(f"failed: {r.url} {r.failure}",
                                            "ERR_ABORTED" not in str(r.failure)))
    page.on("response", lambda r: note(f"HTTP {r.status}: {r.url}", r.status >= 400))
    return tab


# An init script that holds requestIdleCallback callbacks until the test runs them.
HOLD_IDLE = """
window.idleCallbacks = [];
window.requestIdleCallback = (callback) => window.idleCallbacks.push(callback);
window.runIdle = () => window.idleCallbacks.splice(0).forEach(
  (callback) => callback({ didTimeout: false, timeRemaining: () => 50 }));
"""

# An init script that records every ig:hydrated and ig:error event by island uid.
RECORD_EVENTS = """
window.events = [];
for (const type of ['ig:hydrated', 'ig:error']) {
  addEventListener(type, (event) => window.events.push(
    [type, event.target.getAttribute('uid'), String(event.detail?.error ?? '')]));
}
"""


def html_pages(out: Path) -> Iterator[Path]:
    """Every HTML page of an output folder (a file that starts with a doctype), sorted."""
    for path in sorted(out.rglob("*.html")):
        if path.read_text(encoding="utf-8").lstrip()[:15].lower() == "<!doctype html>":
            yield path


def calls_the_server(out: Path, file: Path) -> bool:
    """True when a page has an island whose code calls server functions (`/_fn/` in its chunks).

    A static server cannot answer those calls; such pages need `islandgen serve`.
    """
    html = file.read_text(encoding="utf-8")
    chunks = {out / "_islands" / name for name in re.findall(r'component="[^"]*/_islands/([^"]+)"', html)}
    seen: set[Path] = set()
    while chunks:
        chunk = chunks.pop()
        if chunk in seen or not chunk.is_file():
            continue
        seen.add(chunk)
        text = chunk.read_text(encoding="utf-8")
        if "/_fn/" in text:
            return True
        chunks.update(chunk.parent / name for name in re.findall(r"""["']\./([\w.-]+\.js)["']""", text))
    return False


def url_of(out: Path, file: Path) -> str:
    """The URL path a file is served at: dist/blog/x/index.html -> /blog/x/."""
    rel = file.relative_to(out).as_posix()
    return "/" + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)

