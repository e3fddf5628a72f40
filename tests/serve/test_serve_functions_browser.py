"""The sample site under `islandgen serve`, in Chromium: its islands and forms call server functions
that run inside the dev server, and an edit to a server module is live after the page reloads.

Uses Playwright's Python package with the system Chromium; skipped, visibly, where either is missing.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from serving import REPO, Server, edit

sync_api = pytest.importorskip("playwright.sync_api")

WAIT_MS = 30_000
expect = sync_api.expect


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample site, its SQLite file in the test's folder (the server inherits the env)."""
    site = tmp_path / "sample"
    shutil.copytree(REPO / "sample_site", site, ignore=shutil.ignore_patterns(
        "dist", "dist-functions", ".islandgen-cache", "__pycache__", "*.sqlite3*"))
    monkeypatch.setenv("HARBOUR_DB", str(tmp_path / "harbour.sqlite3"))
    return site


@pytest.fixture
def server(sample: Path, start_server: Callable[..., Server]) -> Server:
    return start_server(str(sample))


def _page(browser: Any, *, javascript: bool = True) -> Any:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def console_error(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console_error)
    page.errors = errors
    return page


def _likes(tmp_path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(tmp_path / "harbour.sqlite3") as db:
        return list(db.execute("SELECT count FROM likes WHERE post_id = 'guestbook'"))


def test_the_like_island_calls_the_in_process_function_and_follows_its_edits(
        browser: Any, server: Server, sample: Path, tmp_path: Path) -> None:
    page = _page(browser)
    page.goto(server.url + "guestbook/")
    island = page.locator("ig-island[component*=LikeButton]")
    expect(island).to_have_attribute("hydrated", "", timeout=WAIT_MS)
    island.get_by_role("button", name="♥ Like").click()
    expect(island.locator("output")).to_have_text("1 like", timeout=WAIT_MS)
    island.get_by_role("button", name="♥ Like").click()
    expect(island.locator("output")).to_have_text("2 likes", timeout=WAIT_MS)
    assert page.url == server.url + "guestbook/"  # in place: the form was not submitted
    assert _likes(tmp_path) == [(2,)]

    page.evaluate("window.beforeEdit = true")
    edit(sample / "server/likes.py", "return int(count)\n", "return int(count) * 100\n")
    page.wait_for_function("window.beforeEdit === undefined", timeout=WAIT_MS)  # live reload
    island = page.locator("ig-island[component*=LikeButton]")
    expect(island).to_have_attribute("hydrated", "", timeout=WAIT_MS)
    island.get_by_role("button", name="♥ Like").click()
    expect(island.locator("output")).to_have_text("300 likes", timeout=WAIT_MS)
    assert _likes(tmp_path) == [(3,)]  # the same database: only the module was reloaded
    assert page.errors == []
    page.context.close()


def test_the_guestbook_form_posts_to_the_dev_server_without_javascript(
        browser: Any, server: Server) -> None:
    page = _page(browser, javascript=False)
    page.goto(server.url + "guestbook/")
    page.get_by_label("Name").fill("Ada")
    page.get_by_label("Message").fill("Signed on the dev server, no script")
    page.get_by_role("button", name="Sign the guestbook").click()
    page.wait_for_url(server.url + "guestbook/#signed", timeout=WAIT_MS)
    expect(page.locator("#signed")).to_be_visible()
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("harbour_name") == "Ada"
    page.context.close()
