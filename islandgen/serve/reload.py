"""Finished rebuilds -> server-sent events -> open pages reload (or swap only their CSS).

Each page the dev server sends carries a small script tagged with the server's
id and the build it was rendered from. The script listens on `EVENTS_PATH`; on
connecting it hears the latest build, so a page that missed an event (loaded
just before a rebuild, or from a server since restarted) still catches up.
One tab per browser holds the stream and relays it to the others, so any
number of open tabs costs one connection. Nothing here touches the build
output: the script is added while answering.
"""

from __future__ import annotations

import json
import queue
import threading
from dataclasses import asdict, dataclass

from .httpd import Response, Sink

EVENTS_PATH = "/_islandgen/events"
PING_SECONDS = 15.0  # a comment line this often finds closed tabs and keeps proxies open
RETRY_MS = 500  # how soon EventSource reconnects after the server went away


@dataclass(frozen=True)
class BuildEvent:
    """The state a page compares itself with.

    `build` counts every rebuild; `reload` is the last build that changed more
    than stylesheets. A page from build N reloads when `reload > N`, and only
    swaps its stylesheets when just `build > N`.
    """

    server: str
    build: int
    reload: int

    def encode(self) -> bytes:
        return f"event: build\ndata: {json.dumps(asdict(self))}\n\n".encode()


class Broker:
    """Hands every build event to every open event stream."""

    def __init__(self, first: BuildEvent) -> None:
        self._lock = threading.Lock()
        self._latest = first
        self._streams: set[queue.SimpleQueue[BuildEvent | None]] = set()
        self._closed = False

    @property
    def latest(self) -> BuildEvent:
        with self._lock:
            return self._latest

    def publish(self, event: BuildEvent) -> None:
        with self._lock:
            self._latest = event
            for stream in self._streams:
                stream.put(event)

    def close(self) -> None:
        """End every stream, so the threads serving them return."""
        with self._lock:
            self._closed = True
            for stream in self._streams:
                stream.put(None)

    def response(self) -> Response:
        headers = (("Content-Type", "text/event-stream; charset=utf-8"),
                   ("Cache-Control", "no-store"))
        return Response(200, headers, stream=self._stream)

    def _stream(self, sink: Sink) -> None:
        events: queue.SimpleQueue[BuildEvent | None] = queue.SimpleQueue()
        with self._lock:
            if self._closed:
                return
            self._streams.add(events)
            events.put(self._latest)  # the hello: subscribed and read under one lock
        try:
            sink.write(f"retry: {RETRY_MS}\n\n".encode())
            self._pump(events, sink)
        except OSError:  # the page went away
            pass
        finally:
            with self._lock:
                self._streams.discard(events)

    @staticmethod
    def _pump(events: queue.SimpleQueue[BuildEvent | None], sink: Sink) -> None:
        while True:
            try:
                event = events.get(timeout=PING_SECONDS)
            except queue.Empty:
                sink.write(b": ping\n\n")
                sink.flush()
                continue
            if event is None:
                return
            sink.write(event.encode())
            sink.flush()


def client_tag(event: BuildEvent) -> bytes:
    """The `<script>` added to every HTML page the dev server sends."""
    return (
        f'<script data-islandgen-server="{event.server}" data-islandgen-build="{event.build}">'
        f"{CLIENT_JS}</script>"
    ).encode()


def inject(html: bytes, tag: bytes) -> bytes:
    """`html` with `tag` before its closing `</body>` (or `</html>`, or at the end)."""
    lowered = html.lower()
    for closing in (b"</body", b"</html"):
        at = lowered.rfind(closing)
        if at != -1:
            return html[:at] + tag + html[at:]
    return html + tag


# Reload on a page change; on a CSS-only change fetch this page again and point
# each stylesheet link at its new (content-hashed) URL, so state survives.
CLIENT_JS = """
(() => {
  const me = document.currentScript;
  const server = me.dataset.islandgenServer;
  let build = Number(me.dataset.islandgenBuild);
  const stem = (href) =>
    new URL(href, location.href).pathname.replace(/\\.[0-9a-f]{8}(\\.css)$/, "$1");
  const bust = (href) => {
    const url = new URL(href, location.href);
    url.searchParams.set("_islandgen", String(Date.now()));
    return url.href;
  };
  const swapStyles = async () => {
    const answer = await fetch(location.href, { cache: "no-store" });
    if (!answer.ok) { location.reload(); return; }
    const fresh = new DOMParser().parseFromString(await answer.text(), "text/html");
    const urls = new Map();
    for (const link of fresh.querySelectorAll('link[rel~="stylesheet"][href]')) {
      urls.set(stem(link.getAttribute("href")), link.getAttribute("href"));
    }
    for (const old of document.querySelectorAll('link[rel~="stylesheet"][href]')) {
      const next = old.cloneNode();
      next.href = bust(urls.get(stem(old.getAttribute("href"))) || old.getAttribute("href"));
      const done = () => old.remove();
      next.addEventListener("load", done, { once: true });
      next.addEventListener("error", done, { once: true });
      old.after(next);
    }
  };
  const onBuild = (state) => {
    if (state.server !== server || state.reload > build) {
      location.reload();
    } else if (state.build > build) {
      build = state.build;
      swapStyles().catch(() => location.reload());
    }
  };
  const follow = (onState) => {
    const events = new EventSource("/_islandgen/events");
    events.addEventListener("build", (message) => onState(JSON.parse(message.data)));
    return events;
  };
  if (navigator.locks && window.BroadcastChannel) {
    // Browsers allow ~6 connections per host: one tab holds the stream and
    // passes each event on; when it goes, another tab takes the lock over.
    // A tab that joins asks for the latest state, as its own stream would tell it.
    const channel = new BroadcastChannel("islandgen-events");
    let latest = null;  // kept by the tab holding the stream
    channel.onmessage = (message) => {
      if (message.data !== "ask") onBuild(message.data);
      else if (latest) channel.postMessage(latest);
    };
    channel.postMessage("ask");
    navigator.locks.request("islandgen-events", () => new Promise(() => {
      follow((state) => { latest = state; channel.postMessage(state); onBuild(state); });
    }));
  } else {
    // Not a secure context (a LAN address): hidden tabs let go of their stream.
    let events = follow(onBuild);
    document.addEventListener("visibilitychange", () => {
      if (document.hidden) { events?.close(); events = null; }
      else if (!events) events = follow(onBuild);
    });
  }
})();
"""
