"""The sample site's islands in Chromium: every page clean, and each island doing its job.

The site is built from sample_site/ as it is in the repository, once at `/`
and once below a base path (`/harbour/`), the way GitHub Pages serves it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browsing import Served, Tab, calls_the_server, html_pages, url_of
from playwright.sync_api import expect

BASE_PATH = "/harbour/"
DARK_BACKGROUND = "rgb(22, 24, 28)"  # --bg of the default theme's dark palette
LIGHT_BACKGROUND = "rgb(253, 252, 250)"


@pytest.fixture(scope="module")
def site(built: Callable[..., Path], serve: Callable[..., Served]) -> Served:
    return serve(built("sample"))


@pytest.fixture(scope="module")
def subpath_site(built: Callable[..., Path], serve: Callable[..., Served]) -> Served:
    return serve(built("sample", edit_config=f"\nbase_path: {BASE_PATH}\n"), BASE_PATH)


@pytest.fixture
def tab(tab_for: Callable[..., Tab], site: Served) -> Tab:
    return tab_for(site)


def _visit_everything(tab: Tab, path: str) -> None:
    """Open a page, wake every island that waits to be seen, wait until each has run."""
    tab.open(path)
    for island in tab.page.locator("ig-island[client*=visible]:visible").all():
        island.scroll_into_view_if_needed()
        expect(island, f"{path}: an island that was scrolled to").to_have_attribute("hydrated", "")
    tab.page.wait_for_function("""() => [...document.querySelectorAll('ig-island')]
      .filter((el) => !el.closest('template, [hidden]'))
      .filter((el) => !/interaction|media/.test(el.getAttribute('client')))
      .every((el) => el.hasAttribute('hydrated') || el.hasAttribute('error'))""")
    assert tab.page.locator("ig-island[error]").count() == 0, path


def test_no_page_has_console_errors_or_failed_requests(tab: Tab, site: Served) -> None:
    static = [f for f in html_pages(site.root) if not calls_the_server(site.root, f)]
    assert len(static) >= 30
    for file in static:
        _visit_everything(tab, url_of(site.root, file))
    assert tab.errors == []


def test_no_page_has_errors_below_a_base_path(tab_for: Callable[..., Tab],
                                              subpath_site: Served) -> None:
    tab = tab_for(subpath_site)
    for path in ("/", "/docs/islands/", "/docs/getting-started/", "/releases/", "/search/"):
        _visit_everything(tab, path)
    assert all(p.startswith(BASE_PATH) for p in subpath_site.requests)
    assert tab.errors == []


def test_pages_without_islands_ship_no_javascript(tab: Tab, site: Served) -> None:
    plain = [file for file in html_pages(site.root) if "<ig-island" not in file.read_text("utf-8")]
    assert {url_of(site.root, f) for f in plain} >= {"/", "/about/", "/blog/"}
    for file in plain:
        assert "<script" not in file.read_text(encoding="utf-8"), file
    for path in ("/", "/blog/", "/about/"):
        tab.open(path)
        assert site.scripts() == [], path


def test_counter_from_markdown_wakes_when_scrolled_to(tab_for: Callable[..., Tab],
                                                      site: Served) -> None:
    tab = tab_for(site, viewport={"width": 800, "height": 400})
    tab.open("/docs/islands/")
    assert site.chunks("Counter") == []
    counter = tab.page.locator("ig-island[client=visible]").first
    tab.pause()
    assert counter.get_attribute("hydrated") is None
    counter.scroll_into_view_if_needed()
    expect(counter).to_have_attribute("hydrated", "")
    assert len(site.chunks("Counter")) == 1
    counter.locator("button").click()
    counter.locator("button").click()
    expect(counter.locator("output")).to_have_text("5")


def test_interaction_counter_counts_the_click_that_woke_it(tab: Tab) -> None:
    tab.open("/docs/islands/")
    counter = tab.page.locator("ig-island[client=interaction]")
    assert counter.get_attribute("hydrated") is None
    counter.locator("button").click()
    expect(counter).to_have_attribute("hydrated", "")
    expect(counter.locator("output")).to_have_text("1")


def test_tabs_show_server_rendered_panels(tab: Tab) -> None:
    tab.open("/docs/islands/")
    tabs = tab.page.locator("ig-island:has(.tabs)")
    panels = tabs.locator(".tabs__panels > [role=tabpanel]")
    expect(panels).to_have_count(3)
    expect(panels.nth(0)).to_be_visible()
    expect(panels.nth(0)).to_contain_text("ship only HTML")
    expect(panels.nth(2)).to_be_hidden()

    nested = panels.nth(2).locator("ig-island")
    expect(nested).not_to_have_attribute("hydrated", "")  # visible, in a hidden panel
    tabs.get_by_role("tab", name="Nested").click()
    expect(panels.nth(2)).to_be_visible()
    expect(panels.nth(0)).to_be_hidden()
    nested.scroll_into_view_if_needed()
    expect(nested).to_have_attribute("hydrated", "")
    nested.locator("button").click()
    expect(nested.locator("output")).to_have_text("11")

    tabs.get_by_role("tab", name="Nested").press("Home")
    expect(tabs.get_by_role("tab", name="Server")).to_be_focused()
    expect(tabs.get_by_role("tab", name="Server")).to_have_attribute("aria-selected", "true")
    tab.page.keyboard.press("ArrowLeft")
    expect(tabs.get_by_role("tab", name="Nested")).to_have_attribute("aria-selected", "true")
    assert tab.errors == []


@pytest.mark.parametrize(("path", "labels", "second_panel_text"), [
    ("/docs/getting-started/", ["pip", "pipx", "uv"], "pipx install islandgen"),
    ("/releases/", ["By version", "By kind"], "Changed"),
])
def test_tabs_elsewhere(tab: Tab, path: str, labels: list[str], second_panel_text: str) -> None:
    tab.open(path)
    expect(tab.page.get_by_role("tab")).to_have_text(labels)
    tab.page.get_by_role("tab", name=labels[1]).click()
    expect(tab.page.get_by_role("tabpanel")).to_contain_text(second_panel_text)
    assert tab.errors == []


def test_theme_toggle_persists_across_pages_and_reloads(tab_for: Callable[..., Tab],
                                                        site: Served) -> None:
    tab = tab_for(site, color_scheme="light")
    tab.open("/docs/configuration/")
    toggle = tab.page.locator(".theme-toggle")
    body = tab.page.locator("body")
    expect(toggle).to_be_enabled()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(body).to_have_css("background-color", LIGHT_BACKGROUND)

    toggle.click()
    expect(tab.page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(body).to_have_css("background-color", DARK_BACKGROUND)
    assert tab.evaluate("localStorage.getItem('harbour-theme')") == "dark"

    tab.page.reload()
    expect(tab.page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    tab.open("/search/")
    expect(body).to_have_css("background-color", DARK_BACKGROUND)
    toggle.click()
    expect(body).to_have_css("background-color", LIGHT_BACKGROUND)
    assert tab.evaluate("localStorage.getItem('harbour-theme')") == "light"
    assert tab.errors == []


def test_theme_toggle_starts_from_the_system_setting(tab_for: Callable[..., Tab],
                                                     site: Served) -> None:
    tab = tab_for(site, color_scheme="dark")
    tab.open("/docs/configuration/")
    expect(tab.page.locator(".theme-toggle")).to_have_attribute("aria-pressed", "true")
    tab.page.locator(".theme-toggle").click()
    expect(tab.page.locator("body")).to_have_css("background-color", LIGHT_BACKGROUND)


def _search(tab: Tab, query: str) -> Any:
    field = tab.page.get_by_role("searchbox")
    tab.page.wait_for_selector("ig-island:has(.search)[hydrated]")
    field.fill(query)
    return tab.page.locator(".search__result a")


def test_search_finds_pages_from_the_built_index(tab: Tab, site: Served) -> None:
    tab.open("/search/")
    results = _search(tab, "subpath")
    expect(results.first).to_have_text("Deploying under a subpath")
    expect(results.first).to_have_attribute("href", "/blog/deploying-under-a-subpath/")
    expect(tab.page.locator(".search__status")).to_contain_text("for “subpath”")
    results = _search(tab, "no such word anywhere")
    expect(results).to_have_count(0)
    expect(tab.page.locator(".search__status")).to_have_text("0 results for “no such word anywhere”")
    assert [p for p in site.requests if "search-index" in p][:1] == ["/search-index.json"]
    results = _search(tab, "")
    expect(results).to_have_count(0)
    assert tab.errors == []


def test_search_reads_the_query_from_the_address(tab: Tab) -> None:
    tab.open("/search/?q=markdown")
    tab.page.wait_for_selector("ig-island:has(.search)[hydrated]")
    expect(tab.page.get_by_role("searchbox")).to_have_value("markdown")
    expect(tab.page.locator(".search__result a").first).to_have_text("A tour of Markdown in islandgen")


def test_search_follows_the_base_path(tab_for: Callable[..., Tab], subpath_site: Served) -> None:
    tab = tab_for(subpath_site)
    tab.open("/search/")
    results = _search(tab, "islands")
    expect(results.first).to_have_attribute("href", f"{BASE_PATH}docs/islands/")
    assert f"{BASE_PATH}search-index.json" in subpath_site.requests
    results.first.click()
    expect(tab.page).to_have_url(subpath_site.url("/docs/islands/"))
    assert tab.errors == []


def test_a_shared_module_is_fetched_once(tab: Tab, site: Served) -> None:
    tab.open("/docs/islands/")
    # the page has an `interaction` island, so the runtime's interaction chunk loads with it
    assert sorted(name.split(".")[0] for name in site.scripts()) == [
        "Tabs", "ThemeToggle", "dom", "interaction", "island"]
    tab.page.get_by_role("tab", name="Nested").click()
    for island in tab.page.locator("ig-island[client=visible]").all():
        island.scroll_into_view_if_needed()
    tab.page.locator("ig-island[client=interaction] button").click()
    tab.page.wait_for_function("document.querySelectorAll('ig-island[hydrated]').length == 5")
    scripts = site.scripts()
    stems = sorted(name.split(".")[0] for name in scripts)
    assert stems == ["Counter", "Tabs", "ThemeToggle", "dom", "interaction", "island"]
