"""The island runtime in headless Chromium: strategies, nesting, props, children, failures.

A page is put together from the building blocks (codec payload, island markup,
chunks of tests/islands/fixtures/browser, the minified runtime) and served on
127.0.0.1. Skipped where Playwright or Chromium is missing.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import math
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from islandtools import FIXTURES

from islandgen.client import RUNTIME_ENTRY
from islandgen.client.chunks import build_chunks
from islandgen.client.graph import build_graph
from islandgen.islands.codec import PagePayload
from islandgen.islands.markup import island_element, payload_script, runtime_script
from islandgen.islands.strategies import parse_client

COMPONENTS = FIXTURES / "browser"


def _island(uid: str, component: str, client: str, urls: dict[str, str], **extra: Any) -> str:
    return island_element(uid=uid, component_url=urls[component], strategies=parse_client(client),
                          **extra)


def _page(out: Path) -> None:
    entries = [*sorted(COMPONENTS.glob("*.js")), RUNTIME_ENTRY]
    graph = build_graph(entries, site_root=COMPONENTS)
    chunks = build_chunks(graph, minify=True)
    for chunk in chunks.chunks.values():
        (out / chunk.file).parent.mkdir(parents=True, exist_ok=True)
        (out / chunk.file).write_bytes(chunk.data)
    urls = {p.stem: chunks.url(p) for p in entries}
    urls["Missing"] = "/_islands/Missing.00000000.js"
    shared = {"shared": True}
    cycle: dict[str, Any] = {}
    cycle["self"] = cycle
    payload = PagePayload()
    payload.add("props", {"big": 2**60, "nan": math.nan, "zero": -0.0, "day": dt.date(2024, 1, 1),
                          "set": {1, 2}, "map": {1: "one"}, "bytes": b"hi", "shared": shared,
                          "cycle": cycle, "text": "</script><!-- $x", "dollar": "$"})
    payload.add("parent", {"delay": 300, "shared": shared})
    for uid in ("child", "media", "visible", "click", "throw", "missing", "named", "only"):
        payload.add(uid, {})
    child = _island("child", "Log", "load", urls)
    body = [
        _island("props", "Log", "load", urls, children_html="<b>kids</b>"),
        _island("parent", "Log", "load", urls, shell_html=f"<div>parent {child}</div>"),
        _island("media", "Log", "media:(min-width: 5000px)", urls, shell_html="<p>wide</p>"),
        _island("click", "Clicker", "interaction", urls,
                shell_html="<button id=button>click me</button>"),
        _island("throw", "Throw", "load", urls),
        _island("missing", "Missing", "load", urls),
        _island("named", "Named", "idle", urls, export="Widget"),
        _island("only", "Log", "only", urls, shell_html="never shown"),
        '<div style="height: 4000px"></div>',
        _island("visible", "Log", "visible:100px|interaction", urls, shell_html="<p>far below</p>"),
    ]
    html = (
        "<!doctype html><html><head>"
        "<script>window.failed = []; addEventListener('ig:error', "
        "(e) => failed.push(e.target.getAttribute('uid')))</script>"
        f"{runtime_script(urls['island'])}</head><body>{''.join(body)}"
        f"{payload_script(payload.to_json())}</body></html>"
    )
    (out / "index.html").write_text(html, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("browser")
    _page(out)
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_runtime_in_chromium(site: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 800, "height": 600})
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url.rsplit("/", 1)[-1].split(".")[0]))
    errors: list[str] = []
    page.on("console", lambda m: errors.extend([m.text] if m.type == "error" else []))
    page.goto(site)
    page.wait_for_function("document.querySelector('[uid=named][hydrated]')")
    page.wait_for_function("(window.order || []).includes('child')")
    state = page.evaluate(_STATE)
    assert state["order"][-2:] == ["parent", "child"]  # parent first, then its child
    assert sorted(state["failed"]) == ["missing", "throw"]
    assert sorted(state["error"]) == ["missing", "throw"]
    assert sorted(state["hydrated"]) == ["child", "named", "only", "parent", "props"]
    assert state["props"] == [True] * 12
    assert state["children"] == ["<b>kids</b>", 1]
    assert state["onlyHtml"] == ""
    assert "Log" in requested and "Clicker" not in requested  # interaction waits
    ours = [e for e in errors if e.startswith("islandgen: island failed")]
    assert len(ours) == 2  # never silent
    assert all(e in ours or e.startswith("Failed to load resource") for e in errors)

    page.click("#button")  # the first click hydrates, then is replayed
    page.wait_for_function("document.querySelector('[uid=click][hydrated]')")
    assert page.text_content("#button") == "clicked 1"
    page.click("#button")
    assert page.text_content("#button") == "clicked 2"

    assert "visible" not in page.evaluate("window.order")
    page.evaluate("window.scrollTo(0, 3500)")
    page.wait_for_function("window.order.includes('visible')")
    assert page.evaluate("window.order.includes('media')") is False


_STATE = """() => {
  const uids = (selector) => [...document.querySelectorAll(selector)].map((e) => e.getAttribute('uid'));
  const { props, ctx } = window.seen.props;
  return {
    order: window.order,
    failed: window.failed,
    error: uids('ig-island[error]'),
    hydrated: uids('ig-island[hydrated]'),
    props: [
      props.big === 2n ** 60n, Number.isNaN(props.nan), Object.is(props.zero, -0),
      props.day instanceof Date, props.set instanceof Set && props.set.has(2),
      props.map instanceof Map && props.map.get(1) === 'one',
      props.bytes instanceof Uint8Array && props.bytes[0] === 104,
      props.shared === window.seen.parent.props.shared, props.cycle.self === props.cycle,
      props.text === '</script><!-- $x', props.dollar === '$',
      document.getElementById('ig-props') !== null,
    ],
    children: [ctx.children, ctx.fragment.childNodes.length],
    onlyHtml: document.querySelector('[uid=only]').innerHTML,
  };
}"""
