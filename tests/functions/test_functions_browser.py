"""The built sample site with its server functions, in Chromium: islands call them, forms need no script.

One local server plays the deployed site: dist/ as a static host would serve
it, and `/_fn/` answered by the bundle's own `wsgi_app` (loaded from
dist-functions/, its SQLite file in a temporary folder).
"""

from __future__ import annotations

import mimetypes
import os
import socketserver
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from fntools import Built

from islandgen.functions.adapters import make_wsgi
from islandgen.functions.dispatch import endpoint_id

playwright = pytest.importorskip("playwright.sync_api")


class _Threading(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def site_app(dist: Path, functions: Any) -> Any:
    """dist/ as a static host serves it, with /_fn/ going to the functions' WSGI app."""

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if endpoint_id(path) is not None:
            return functions(environ, start_response)  # type: ignore[no-any-return]
        file = dist / path.lstrip("/")
        if file.is_dir():
            file = file / "index.html"
        status = "200 OK"
        if not file.is_file() or not file.resolve().is_relative_to(dist.resolve()):
            file, status = dist / "404.html", "404 Not Found"
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [file.read_bytes()]

    return app


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("db") / "harbour.sqlite3"
    saved = os.environ.get("HARBOUR_DB")
    os.environ["HARBOUR_DB"] = str(path)
    yield path
    if saved is None:
        os.environ.pop("HARBOUR_DB", None)
    else:
        os.environ["HARBOUR_DB"] = saved


@pytest.fixture(scope="module")
def origin(sample: Built, database: Path) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, site_app(sample.dist, make_wsgi(sample.dispatcher())),
                         _Threading, _Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()



def _page(browser: Any, *, javascript: bool) -> Any:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.errors = errors
    return page


def _rows(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as db:
        return list(db.execute(sql))


def test_the_like_island_calls_its_server_function_and_shows_the_count(
        browser: Any, origin: str, database: Path) -> None:
    page = _page(browser, javascript=True)
    page.goto(f"{origin}/guestbook/")
    island = page.locator("ig-island[component*=LikeButton]")
    playwright.expect(island).to_have_attribute("hydrated", "")
    button = island.get_by_role("button", name="♥ Like")
    button.click()
    playwright.expect(island.locator("output")).to_have_text("1 like")
    button.click()
    playwright.expect(island.locator("output")).to_have_text("2 likes")
    assert page.url == f"{origin}/guestbook/"  # in place: the form was not submitted
    assert _rows(database, "SELECT count FROM likes WHERE post_id = 'guestbook'") == [(2,)]
    assert page.errors == []
    page.context.close()


def _sign(page: Any, origin: str, name: str, message: str) -> None:
    page.goto(f"{origin}/guestbook/")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Message").fill(message)
    page.get_by_role("button", name="Sign the guestbook").click()
    page.wait_for_url(f"{origin}/guestbook/#signed")


def test_the_guestbook_form_works_with_javascript_disabled(browser: Any, origin: str,
                                                           database: Path) -> None:
    page = _page(browser, javascript=False)
    page.goto(f"{origin}/guestbook/")
    assert page.locator("script[type=module]").count() > 0  # there is script on the page; it is off
    notice = page.locator("#signed")
    playwright.expect(notice).to_be_hidden()
    _sign(page, origin, "Ada <Lovelace>", "Signed without a single line of JavaScript — é ✓")
    playwright.expect(notice).to_be_visible()
    playwright.expect(notice).to_have_text("Thank you — your entry is in the book.")
    assert ("Ada <Lovelace>", "Signed without a single line of JavaScript — é ✓") in _rows(
        database, "SELECT name, message FROM guestbook")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert "harbour_name" in cookies  # set by the server function through the request API
    page.context.close()


def test_the_like_form_works_with_javascript_disabled(browser: Any, origin: str, database: Path) -> None:
    before = _rows(database, "SELECT count FROM likes WHERE post_id = 'guestbook'")
    page = _page(browser, javascript=False)
    page.goto(f"{origin}/guestbook/")
    page.get_by_role("button", name="♥ Like").click()
    page.wait_for_load_state()
    assert page.url == f"{origin}/guestbook/"  # the 303 went back to the page
    after = _rows(database, "SELECT count FROM likes WHERE post_id = 'guestbook'")
    assert after[0][0] == (before[0][0] if before else 0) + 1
    page.context.close()


def test_the_entries_island_lists_what_the_form_stored(browser: Any, origin: str) -> None:
    page = _page(browser, javascript=True)
    _sign(page, origin, "Grace <Hopper>", "Signed with script on: the form posts all the same")
    page.get_by_role("button", name="Show the entries").click()
    entries = page.locator(".guestbook__entry")
    playwright.expect(entries.first).to_contain_text("Signed with script on: the form posts all the same")
    playwright.expect(entries.first).to_contain_text("Grace <Hopper>")
    assert page.locator(".guestbook__entry strong").first.inner_html() == "Grace &lt;Hopper&gt;"
    assert page.errors == []
    page.context.close()
