"""Islands hydrate in Chromium when the site is served below a subpath by nginx.

Uses Playwright's Python package with the system Chromium (never a downloaded
browser); skipped, visibly, where either is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hosting import BuiltSite, Crawler, Nginx

from islandgen import BuildOptions, build

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

WAIT_MS = 15_000
HYDRATED = re.compile(".*")  # the attribute is present, whatever its value

COUNTER_SITE = {
    "islandgen.yaml": "title: Islands\nbase_url: https://example.org\nbase_path: /myrepo/\n",
    "content/index.md": "# Home\n\n[The counter](/counter/)\n",
    "pages/counter.html": (
        '{% extends "layouts/base.html" %}\n'
        '{% block content %}<h1>Counter</h1>{{ Counter(start=1, client="load") }}{% endblock %}\n'),
    "components/Counter.html": '{% props start %}\n<button type="button">count {{ start }}</button>\n',
    "components/Counter.js": (
        "'use client';\n"
        "import { label } from '../lib/label.js';\n"
        "export default function Counter(el, props) {\n"
        "  let count = props.start;\n"
        "  const button = el.querySelector('button');\n"
        "  button.addEventListener('click', () => { count += 1; button.textContent = label(count); });\n"
        "}\n"),
    "lib/label.js": "export const label = (n) => `count ${n}`;\n",
}



@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records failed requests, HTTP errors and console errors."""
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    # ERR_ABORTED: dropped because the page navigated meanwhile, not a failure to serve
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in str(r.failure)
            and page.problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"{r.status}: {r.url}"))
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"error: {e}"))
    yield page
    context.close()


@pytest.fixture(scope="module")
def counter_site(tmp_path_factory: pytest.TempPathFactory,
                 start_nginx: Callable[..., Nginx]) -> Nginx:
    root = tmp_path_factory.mktemp("islands") / "site"
    for rel, text in COUNTER_SITE.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    build(root, BuildOptions(use_cache=False))
    return start_nginx(root / "dist", "/myrepo/")


def test_a_counter_hydrates_below_the_subpath(page: Any, counter_site: Nginx) -> None:
    page.goto(counter_site.url + "counter/")
    island = page.locator("ig-island")
    expect(island).to_have_attribute("hydrated", HYDRATED, timeout=WAIT_MS)
    assert island.get_attribute("component").startswith("/myrepo/_islands/Counter.")
    page.locator("ig-island button").click()
    expect(page.locator("ig-island button")).to_have_text("count 2")
    assert page.problems == []


@pytest.mark.parametrize("sample", ["/myrepo/"], indirect=True, ids=["subpath"])
def test_the_sample_sites_islands_hydrate_below_the_subpath(page: Any, sample: BuiltSite,
                                                            served: Nginx) -> None:
    pages = [url for url, soup in Crawler(served.url).crawl().pages.items()
             if soup.find("ig-island") is not None]
    assert pages, "the sample site has islands"
    for url in pages:
        page.goto(url)
        islands = page.locator("ig-island:not(ig-island ig-island)")
        for index in range(islands.count()):
            island = islands.nth(index)
            island.scroll_into_view_if_needed()
            if "interaction" in (island.get_attribute("client") or ""):
                island.focus() if island.evaluate("el => el.tabIndex >= 0") else island.hover()
                island.dispatch_event("pointerdown")
            expect(island).to_have_attribute("hydrated", HYDRATED, timeout=WAIT_MS)
            assert island.get_attribute("error") is None, url
    assert page.problems == []
