"""In Chromium: the catalog page of `islandgen serve` hydrates client components; the docs
theme's search island finds pages and its copy island adds a button to every code block."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from themekit import SITES, copy_site, dev_server, static_server

HYDRATED = "(selector) => document.querySelector(selector)?.hasAttribute('hydrated')"


def test_the_catalog_page_hydrates_client_components(page: Any, tmp_path: Path) -> None:
    site = copy_site(SITES / "catalog", tmp_path / "catalog")
    with dev_server(site) as url:
        page.goto(url.rstrip("/") + "/_islandgen/components")
        counter = "#component-Counter ig-island"
        page.wait_for_function(HYDRATED, arg=counter)
        page.click(f"{counter} button")
        page.click(f"{counter} button")
        assert page.text_content(f"{counter} output") == "7"  # the example starts at 5
        page.wait_for_function(HYDRATED, arg="#component-Bare ig-island")  # client="idle"
        assert page.text_content("#component-Bare ig-island") == "bare island"
        assert page.is_visible("#component-Broken .ig-catalog__error")
        page.goto("about:blank")  # drop the live-reload connection before the server stops


def test_the_docs_search_finds_a_page(page: Any, docs_site) -> None:
    with static_server(docs_site.out) as url:
        page.goto(url + "cli/")
        search = "ig-island[component*='/DocsSearch.']"
        page.wait_for_function(HYDRATED, arg=search)
        page.keyboard.press("/")  # focuses the search box from anywhere
        assert page.evaluate("document.activeElement.type") == "search"
        page.keyboard.insert_text("installable the")  # one input event: title words count most
        first = page.locator(f"{search} .docs-search__result a").first
        first.wait_for()
        assert first.text_content() == "Installable themes"
        page.keyboard.press("Enter")  # opens the best match
        page.wait_for_url(url + "themes/packages/")
        page.wait_for_load_state("networkidle")  # before the server goes away


def test_the_docs_copy_buttons_copy_the_code(page: Any, docs_site) -> None:
    with static_server(docs_site.out) as url:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.goto(url + "functions/")
        page.wait_for_function(HYDRATED, arg="ig-island[component*='/CopyCode.']")
        blocks = page.locator(".docs-article pre.highlight")
        assert page.locator(".docs-article .code-block__copy").count() == blocks.count() > 3
        page.locator(".code-block__copy").first.click()
        # the label changes once the clipboard write, a promise, has settled
        page.locator(".code-block__copy").first.filter(has_text="Copied").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == blocks.first.locator("code").text_content()
        page.wait_for_load_state("networkidle")
