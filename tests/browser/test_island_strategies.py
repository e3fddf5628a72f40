"""Each hydration strategy fires when, and only when, it should (tests/browser/sites/hydration).

"Fired" is seen two ways: the island's chunk is requested from the server,
and the component records its name in `window.hydrated`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from browsing import HOLD_IDLE, Served, Tab

Opener = Callable[..., Tab]


@pytest.fixture(scope="module")
def site(built: Callable[..., Path], serve: Callable[..., Served]) -> Served:
    return serve(built("hydration"))


@pytest.fixture
def tab(tab_for: Opener, site: Served) -> Tab:
    return tab_for(site)


def test_load_hydrates_at_once_and_is_preloaded(tab: Tab) -> None:
    tab.open("/load/")
    assert tab.hydrated() == ["load"]
    assert tab.page.locator("ig-island[hydrated]").count() == 1
    preloaded = tab.page.eval_on_selector_all(
        "link[rel=modulepreload]", "links => links.map((l) => l.href.split('/').pop())")
    assert [name.split(".")[0] for name in preloaded] == ["Probe"]
    assert tab.errors == []


def test_no_client_means_load(tab: Tab) -> None:
    tab.open("/default/")
    assert tab.hydrated() == ["default"]
    assert tab.page.get_attribute("ig-island", "client") == "load"


def test_idle_waits_for_an_idle_callback(tab_for: Opener, site: Served) -> None:
    tab = tab_for(site, init_script=HOLD_IDLE)
    tab.open("/idle/", settle=False)
    tab.page.wait_for_function("window.idleCallbacks.length == 1")
    tab.pause()
    assert tab.hydrated() == []
    assert site.chunks("Probe") == []
    tab.evaluate("window.runIdle()")
    tab.page.wait_for_selector("ig-island[hydrated]")
    assert tab.hydrated() == ["idle"]
    assert len(site.chunks("Probe")) == 1
    assert tab.errors == []


def test_idle_hydrates_in_a_real_browser(tab: Tab) -> None:
    tab.open("/idle/", settle=False)
    tab.page.wait_for_selector("ig-island[hydrated]")
    assert tab.hydrated() == ["idle"]


def test_visible_loads_nothing_until_scrolled_into_view(tab: Tab, site: Served) -> None:
    tab.open("/visible/", settle=False)
    tab.runtime_ready()
    tab.pause(500)
    assert site.chunks("Probe") == []
    assert tab.hydrated() == []
    assert any(name.startswith("island.") for name in site.scripts())  # the runtime did load
    tab.page.locator("ig-island").scroll_into_view_if_needed()
    tab.page.wait_for_selector("ig-island[hydrated]")
    assert tab.hydrated() == ["visible"]
    assert len(site.chunks("Probe")) == 1
    assert tab.errors == []


def test_visible_island_without_a_shell_still_wakes(tab: Tab, site: Served) -> None:
    tab.open("/visible-empty/", settle=False)  # an empty <ig-island>: a box with no size
    tab.runtime_ready()
    tab.pause()
    assert site.chunks("Right") == []
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    tab.page.wait_for_selector("ig-island[hydrated]", state="attached")
    assert tab.hydrated() == ["right"]


def test_visible_root_margin_widens_the_view(tab: Tab) -> None:
    # Both islands sit a little below the window; only the one with a 300px margin "sees" it.
    tab.open("/margin/", settle=False)
    tab.page.wait_for_function("(window.hydrated || []).includes('wide')")
    tab.pause()
    assert tab.hydrated() == ["wide"]
    assert tab.evaluate("window.scrollY") == 0


def test_media_never_loads_when_the_query_does_not_match(tab: Tab, site: Served) -> None:
    tab.open("/media-never/", settle=False)
    tab.runtime_ready()
    tab.page.set_viewport_size({"width": 1600, "height": 900})  # still far from 5000px
    tab.pause(500)
    assert site.chunks("Probe") == []
    assert tab.hydrated() == []
    assert tab.errors == []


def test_media_loads_when_the_query_starts_to_match(tab: Tab, site: Served) -> None:
    tab.page.emulate_media(color_scheme="light")
    tab.open("/media-later/", settle=False)
    tab.runtime_ready()
    tab.pause()
    assert site.chunks("Probe") == []
    tab.page.emulate_media(color_scheme="dark")
    tab.page.wait_for_selector("ig-island[hydrated]")
    assert tab.hydrated() == ["dark"]
    assert len(site.chunks("Probe")) == 1


def test_media_that_matches_at_once_loads_at_once(tab_for: Opener, site: Served) -> None:
    tab = tab_for(site, color_scheme="dark")
    tab.open("/media-later/", settle=False)
    tab.page.wait_for_selector("ig-island[hydrated]")
    assert tab.hydrated() == ["dark"]


def test_interaction_waits_and_replays_the_first_click(tab: Tab, site: Served) -> None:
    tab.open("/interaction/", settle=False)
    tab.runtime_ready()
    tab.pause()
    assert site.chunks("Probe") == []
    tab.page.click("button.probe")
    tab.page.wait_for_selector("ig-island[hydrated]")
    assert tab.page.text_content("button.probe output") == "1"  # the click that woke it counted
    tab.page.click("button.probe")
    assert tab.page.text_content("button.probe output") == "2"
    assert len(site.chunks("Probe")) == 1
    assert tab.errors == []


def test_interaction_keeps_every_click_made_while_the_chunk_loads(tab: Tab, site: Served) -> None:
    tab.open("/interaction/", settle=False)
    tab.runtime_ready()
    site.delays["/Probe."] = 0.6
    for _ in range(3):
        tab.page.click("button.probe")
    assert tab.hydrated() == []  # still loading: the clicks were held
    tab.page.wait_for_selector("ig-island[hydrated]")
    assert tab.page.text_content("button.probe output") == "3"


def test_interaction_wakes_on_keyboard_focus(tab: Tab) -> None:
    tab.open("/interaction/", settle=False)
    tab.runtime_ready()
    tab.page.keyboard.press("Tab")
    tab.page.wait_for_selector("ig-island[hydrated]")
    tab.page.keyboard.press("Enter")
    assert tab.page.text_content("button.probe output") == "1"


def test_either_strategy_fires_on_whichever_comes_first(tab: Tab, site: Served) -> None:
    tab.open("/either/", settle=False)
    tab.runtime_ready()
    tab.pause()
    assert site.chunks("Probe") == []
    tab.page.dispatch_event("button.probe", "pointerdown")  # touched, though out of view
    tab.page.wait_for_selector("ig-island[hydrated]")
    assert tab.evaluate("window.scrollY") == 0

    tab.open("/either/", settle=False)
    tab.runtime_ready()
    tab.pause()
    assert tab.hydrated() == []
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    tab.page.wait_for_selector("ig-island[hydrated]")
    assert tab.hydrated() == ["either"]


def test_only_has_no_build_time_html_and_renders_in_the_browser(tab: Tab, site: Served) -> None:
    built_html = (site.root / "only" / "index.html").read_text(encoding="utf-8")
    assert 'client="only"></ig-island>' in built_html
    tab.open("/only/")
    assert tab.hydrated() == ["only"]
    tab.page.click("button.probe")
    assert tab.page.text_content("button.probe output") == "1"


def test_islands_placed_from_markdown_hydrate(tab: Tab) -> None:
    tab.open("/from-markdown/")
    assert tab.hydrated() == ["markdown"]
    assert tab.errors == []
