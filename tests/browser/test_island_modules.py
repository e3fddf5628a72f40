"""What the browser fetches: nothing on pages without islands, each shared chunk once, only
what the page needs; and the module graph's import map and public environment at work.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from browsing import HOLD_IDLE, Served, Tab, html_pages, url_of

GREETING = "hello from the build"


@pytest.fixture(scope="module")
def hydration(built: Callable[..., Path], serve: Callable[..., Served]) -> Served:
    return serve(built("hydration"))


@pytest.fixture(scope="module")
def modules(built: Callable[..., Path], serve: Callable[..., Served]) -> Served:
    env = {"ISLANDGEN_PUBLIC_GREETING": GREETING, "ISLANDGEN_SECRET_TOKEN": "do-not-ship"}
    return serve(built("modules", env=env))


@pytest.mark.parametrize("name", ["hydration", "nesting", "codec", "modules"])
def test_pages_without_islands_have_no_script_element(built: Callable[..., Path],
                                                      name: str) -> None:
    out = built(name)
    plain = [page for page in html_pages(out) if "<ig-island" not in page.read_text("utf-8")]
    assert plain  # every fixture site has some (the theme's tag list and 404 at least)
    for page in plain:
        assert "<script" not in page.read_text(encoding="utf-8").lower(), page


def test_a_page_without_islands_requests_no_script(tab_for: Callable[..., Tab],
                                                   hydration: Served) -> None:
    tab = tab_for(hydration).open("/plain/")
    assert tab.page.locator("script").count() == 0
    assert [p for p in hydration.requests if "/_islands/" in p] == []
    assert tab.evaluate("customElements.get('ig-island') === undefined") is True
    assert tab.errors == []


def test_a_shared_module_is_one_chunk_requested_once(tab_for: Callable[..., Tab],
                                                     hydration: Served) -> None:
    tab = tab_for(hydration, init_script=HOLD_IDLE).open("/shared/")
    assert tab.hydrated() == ["left"]
    preloaded = tab.page.eval_on_selector_all(
        "link[rel=modulepreload]", "links => links.map((l) => l.href.split('/').pop().split('.')[0])")
    assert sorted(preloaded) == ["Left", "shared"]  # Right waits for idle: no preload
    tab.evaluate("window.runIdle()")
    tab.page.wait_for_function("(window.hydrated || []).includes('right')")
    assert len(hydration.chunks("shared")) == 1
    assert len(hydration.chunks("Left")) == 1 and len(hydration.chunks("Right")) == 1
    assert len(list((hydration.root / "_islands").glob("shared.*.js"))) == 1
    assert tab.errors == []


def test_every_page_with_islands_fetches_each_chunk_at_most_once(tab_for: Callable[..., Tab],
                                                                 hydration: Served) -> None:
    tab = tab_for(hydration)
    for page in html_pages(hydration.root):
        if "<ig-island" in page.read_text(encoding="utf-8"):
            tab.open(url_of(hydration.root, page), settle=False)
            tab.runtime_ready()
            tab.pause(100)
            scripts = hydration.scripts()
            assert len(scripts) == len(set(scripts)), page


def test_bare_imports_resolve_through_the_import_map(tab_for: Callable[..., Tab],
                                                     modules: Served) -> None:
    tab = tab_for(modules).open("/")
    assert tab.page.text_content(".greeting ig-island") == f"★ {GREETING.upper()}!"
    stems = {name.split(".")[0] for name in modules.scripts()}
    assert {"tiny-format", "star", "Greeting"} <= stems
    assert tab.errors == []


def test_only_public_environment_variables_reach_the_browser(tab_for: Callable[..., Tab],
                                                             modules: Served) -> None:
    tab = tab_for(modules).open("/")
    island = tab.page.locator(".greeting ig-island")
    assert island.get_attribute("data-unset") == "undefined"
    env = island.get_attribute("data-env")
    assert '"ISLANDGEN_PUBLIC_GREETING":"hello from the build"' in env
    assert all(key.startswith("ISLANDGEN_PUBLIC_") for key in tab.evaluate(f"Object.keys({env})"))
    for chunk in (modules.root / "_islands").glob("*.js"):
        assert "do-not-ship" not in chunk.read_text(encoding="utf-8")


def test_a_dynamic_import_is_fetched_when_it_runs(tab_for: Callable[..., Tab],
                                                  modules: Served) -> None:
    tab = tab_for(modules).open("/")
    assert modules.chunks("heavy") == []
    tab.page.get_by_role("button", name="load the rest").click()
    tab.page.get_by_role("button", name="the rest, loaded").wait_for()
    assert len(modules.chunks("heavy")) == 1
