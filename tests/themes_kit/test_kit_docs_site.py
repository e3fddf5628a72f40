"""docs/ is an islandgen site built with the docs theme: it builds, checks clean, and its
theme does what it says (sidebar by weight, contents, previous/next, search index, copy buttons)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from themekit import DOCS, EXAMPLES

from islandgen.check import route_output

EXAMPLE_CALL = re.compile(r'^::Example\(file="([^"]+)"', re.MULTILINE)
CONTENT = DOCS / "content"


def soup(built, url: str) -> BeautifulSoup:
    return BeautifulSoup((built.out / route_output(url)).read_text(encoding="utf-8"), "html.parser")


def test_the_docs_build_with_no_broken_links_and_no_orphans(docs_site) -> None:
    assert not docs_site.report.problems, "\n".join(map(str, docs_site.report.problems))
    pages = {route.url for route in docs_site.result.routes}
    for source in sorted(CONTENT.rglob("*.md")):
        rel = source.relative_to(CONTENT)
        path = rel.parent if rel.name == "index.md" else rel.with_suffix("")
        assert ("/" + f"{path.as_posix()}/".removeprefix("./")) in pages, source


def test_the_docs_cover_what_users_and_theme_authors_need(docs_site) -> None:
    titles = {route.url: soup(docs_site, route.url).h1.get_text(strip=True)
              for route in docs_site.result.routes if route.url.endswith("/") and
              not route.url.startswith("/tags/")}
    for url in ["/start/site-layout/", "/start/configuration/", "/start/front-matter/",
                "/components/", "/components/python/", "/islands/", "/islands/shells/",
                "/islands/placing/", "/islands/props/", "/islands/children/", "/islands/modules/",
                "/functions/", "/themes/", "/themes/overriding/", "/themes/packages/",
                "/themes/catalog/", "/deploy/", "/cli/"]:
        assert url in titles


@pytest.mark.parametrize("page", sorted(CONTENT.rglob("*.md")), ids=lambda p: str(p.relative_to(CONTENT)))
def test_every_sample_is_a_real_file(page: Path) -> None:
    for name in EXAMPLE_CALL.findall(page.read_text(encoding="utf-8")):
        if not name.startswith("theme:"):
            assert (EXAMPLES / name).is_file(), f"{page.name} shows {name}: no such file in docs/examples/"


def test_a_sample_is_shown_exactly_as_its_file(docs_site) -> None:
    figure = soup(docs_site, "/start/new-site/").find("code", string="examples/starter/server/greetings.py")
    shown = figure.find_parent("figure").pre.get_text()
    assert shown == (EXAMPLES / "starter" / "server" / "greetings.py").read_text(encoding="utf-8")


def test_the_sidebar_follows_weights_and_marks_the_current_page(docs_site) -> None:
    nav = soup(docs_site, "/islands/shells/").select_one(".docs-nav")
    parts = [a.get_text(strip=True) for a in nav.select(":scope > ul > li > a")]
    assert parts == ["Getting started", "Server components", "Client components", "Server functions",
                     "Themes", "Deploying", "The command line"]
    islands = nav.select_one("li.is-active")
    assert islands.a.get_text(strip=True) == "Client components"
    pages = [a.get_text(strip=True) for a in islands.select(":scope > ul a")]
    assert pages == ["Shells", "Placing islands", "Children and nesting", "Props on the wire",
                     "The module graph", "What lands in the page"]
    assert nav.select("[aria-current=page]")[0].get_text(strip=True) == "Shells"


def test_previous_and_next_run_through_the_whole_guide(docs_site) -> None:
    def neighbours(url: str) -> tuple[str | None, str | None]:
        pager = soup(docs_site, url).select_one(".docs-pager")
        prev, nxt = pager.select_one("[rel=prev]"), pager.select_one("[rel=next]")
        return (prev["href"] if prev else None, nxt["href"] if nxt else None)

    assert neighbours("/start/") == ("/", "/start/new-site/")
    assert neighbours("/start/markdown/") == ("/start/front-matter/", "/components/")  # across parts
    assert neighbours("/cli/") == ("/deploy/", None)


def test_each_page_has_its_table_of_contents(docs_site) -> None:
    page = soup(docs_site, "/start/new-site/")
    entries = [a["href"] for a in page.select(".docs-toc a")]
    headings = ["#" + h["id"] for h in page.select(".docs-article .prose h2")]
    assert entries[: len(headings)] == headings and len(headings) >= 3
    for anchor in entries:
        assert page.find(id=anchor[1:]) is not None


def test_code_copy_is_one_island_on_pages_with_code_only(docs_site) -> None:
    with_code = soup(docs_site, "/islands/shells/")
    copiers = with_code.select("ig-island[component*='/CopyCode.']")
    assert len(copiers) == 1 and copiers[0]["client"] == "idle"
    assert with_code.select(".docs-article pre.highlight")
    without = soup(docs_site, "/")  # the home page (layouts/home.html) places no islands
    assert not without.select("ig-island") and not without.select("script")


def test_the_search_index_lists_every_page(docs_site) -> None:
    entries = json.loads((docs_site.out / "search-index.json").read_text(encoding="utf-8"))
    by_url = {entry["url"]: entry for entry in entries}
    pages = {route.url for route in docs_site.result.routes if route.source.startswith("content/")}
    assert pages <= set(by_url)
    shells = by_url["/islands/shells/"]
    assert shells["title"] == "Shells" and shells["section"] == "Client components"
    assert "props" in shells["text"] and "<figure" not in shells["text"]  # text, not markup
    search = soup(docs_site, "/islands/shells/").select_one("ig-island[component*='/DocsSearch.']")
    assert search["client"] == "idle" and search.select_one("input[disabled]")


def test_a_part_lists_its_pages_as_cards(docs_site) -> None:
    cards = [a.get_text(strip=True) for a in soup(docs_site, "/themes/").select(".docs-cards a")]
    assert cards == ["Extending and overriding", "Installable themes", "The component catalog",
                     "The bundled themes"]


def test_the_docs_theme_extends_the_default_theme(docs_site) -> None:
    page = soup(docs_site, "/cli/")
    assert page.select_one("a.skip-link") and page.select_one("footer.site-footer")  # default's shell
    stylesheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert any("/css/site." in href for href in stylesheets)  # default's
    assert any("/css/docs." in href for href in stylesheets)  # docs' block head
    home = soup(docs_site, "/")
    assert home.select_one(".home .hero h1")  # default home through super()
    assert home.select_one(".docs-home .card")  # the docs theme's cards after it


@pytest.mark.parametrize("name", ["templates.md", "islands.md"])
def test_the_old_reference_files_point_at_real_pages(name: str) -> None:
    text = (DOCS / name).read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)]+)\)", text)
    assert links
    for link in links:
        assert (DOCS / link).is_file(), link
