"""Live reload in a real browser: pages reload after an edit, CSS swaps in place, errors come and go.

Uses Playwright's Python package with the system Chromium (never a downloaded
browser); skipped, visibly, where either is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from serving import Server, ServerProcess, edit

sync_api = pytest.importorskip("playwright.sync_api")

WAIT_MS = 30_000
expect = sync_api.expect


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_open_page_reloads_after_an_edit(page: Any, dev_server: Server, site: Path) -> None:
    page.goto(dev_server.url + "about/")
    expect(page.locator("main")).to_have_text("About us.")
    page.evaluate("window.beforeEdit = true")
    edit(site / "content/about.md", "About us.", "About the new us.")
    expect(page.locator("main")).to_have_text(
        "About the new us.", timeout=WAIT_MS)
    assert page.evaluate("window.beforeEdit") is None


def test_css_change_swaps_the_stylesheet_without_reload(
        page: Any, dev_server: Server, site: Path) -> None:
    page.goto(dev_server.url)
    heading = page.locator("h1")
    expect(heading).to_have_css("color", "rgb(0, 0, 128)")
    page.evaluate("window.beforeEdit = true")
    edit(site / "static/css/site.css", "rgb(0, 0, 128)", "rgb(200, 0, 0)")
    expect(heading).to_have_css("color", "rgb(200, 0, 0)", timeout=WAIT_MS)
    assert page.evaluate("window.beforeEdit") is True
    hrefs = page.eval_on_selector_all(
        'link[rel="stylesheet"]', "links => links.map(link => link.href)")
    assert len(hrefs) == 1  # the old link is gone once the new one loaded


def test_error_page_appears_and_recovers(page: Any, dev_server: Server, site: Path) -> None:
    page.goto(dev_server.url + "about/")
    expect(page.locator("h1")).to_have_text("About")
    layout = site / "themes/tiny/layouts/page.html"
    edit(layout, "{{ page.title }}", "{{ page.title }")
    error = page.locator("#islandgen-error")
    expect(error).to_be_visible(timeout=WAIT_MS)
    expect(error.locator(".location")).to_have_text("themes/tiny/layouts/page.html:2")
    expect(error.locator(".error-line")).to_contain_text("{{ page.title }<")
    edit(layout, "{{ page.title }", "{{ page.title }}")
    expect(page.locator("h1")).to_have_text("About", timeout=WAIT_MS)
    expect(error).to_have_count(0)


def test_page_reloads_from_a_restarted_server(page: Any, site: Path, tmp_path: Path) -> None:
    first = ServerProcess(["serve", str(site), "--port", "0"], cwd=tmp_path)
    url = first.wait_for_url()
    port = urlsplit(url).port
    page.goto(url + "about/")
    page.evaluate("window.beforeEdit = true")
    assert first.stop() == 0
    edit(site / "content/about.md", "About us.", "About, after a restart.")
    second = ServerProcess(["serve", str(site), "--port", str(port)], cwd=tmp_path)
    try:
        second.wait_for_url()
        expect(page.locator("main")).to_have_text("About, after a restart.", timeout=WAIT_MS)
        assert page.evaluate("window.beforeEdit") is None
    finally:
        second.stop()


def test_many_tabs_share_one_stream(browser: Any, dev_server: Server, site: Path) -> None:
    """More tabs than a browser's connections per host all load and all follow edits."""
    context = browser.new_context()
    try:
        tabs = []
        for _ in range(8):
            tab = context.new_page()
            tab.goto(dev_server.url + "about/")
            tabs.append(tab)
        edit(site / "content/about.md", "About us.", "About all tabs.")
        for tab in tabs:
            expect(tab.locator("main")).to_have_text("About all tabs.", timeout=WAIT_MS)
        tabs[0].close()  # whichever tab held the stream, the others carry on
        tabs[1].close()
        edit(site / "content/about.md", "About all tabs.", "About the rest.")
        for tab in tabs[2:]:
            expect(tab.locator("main")).to_have_text("About the rest.", timeout=WAIT_MS)
    finally:
        context.close()


def test_a_tab_opened_on_a_stale_page_catches_up(
        browser: Any, dev_server: Server, site: Path) -> None:
    """A tab that does not hold the stream asks the one that does for the latest build."""
    url = dev_server.url + "about/"
    context = browser.new_context()
    try:
        holder = context.new_page()
        holder.goto(url)
        stale = dev_server.get("about/").body  # the page as built before the edit
        edit(site / "content/about.md", "About us.", "About, caught up.")
        expect(holder.locator("main")).to_have_text("About, caught up.", timeout=WAIT_MS)
        late = context.new_page()
        answers: list[bytes] = [stale]

        def stale_once(route: Any) -> None:
            if answers:
                route.fulfill(body=answers.pop(), content_type="text/html; charset=utf-8")
            else:
                route.continue_()

        late.route(url, stale_once)
        late.goto(url)
        expect(late.locator("main")).to_have_text("About, caught up.", timeout=WAIT_MS)
        assert not answers  # it did get the stale page first
    finally:
        context.close()
