"""A failing island sets `error`, dispatches `ig:error`, logs, and the rest of the page hydrates.

tests/browser/sites/failures: a component that throws, one that rejects after
an await, one whose chunk is deleted from the output, one with no default
export, and one whose props are undecodable (its payload entry is corrupted
after the build), between healthy islands.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from browsing import RECORD_EVENTS, Served, Tab

FAILING = {"2": "Throw", "4": "Reject", "5": "Gone", "6": "NoDefault", "7": "bad props"}


@pytest.fixture(scope="module")
def site(built: Callable[..., Path], serve: Callable[..., Served]) -> Served:
    out = built("failures")
    for chunk in (out / "_islands").glob("Gone.*.js"):
        chunk.unlink()
    page = out / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace('{"name":"bad props"}', '{"name":"$Zbad props"}'), encoding="utf-8")
    return serve(out)


@pytest.fixture
def tab(tab_for: Callable[..., Tab], site: Served) -> Tab:
    tab = tab_for(site, init_script=RECORD_EVENTS)
    tab.open("/")
    tab.page.wait_for_function("(window.hydrated || []).includes('idle after')")
    return tab


def test_failed_islands_are_marked_and_announced(tab: Tab) -> None:
    failed = tab.page.eval_on_selector_all("ig-island[error]", "all => all.map((e) => e.getAttribute('uid'))")
    assert sorted(failed) == sorted(FAILING)
    events = tab.evaluate("window.events")
    errors = {uid: detail for kind, uid, detail in events if kind == "ig:error"}
    assert sorted(errors) == sorted(FAILING)
    assert "broken on purpose" in errors["2"]
    assert "broken after an await" in errors["4"]
    assert "$Zbad" in errors["7"]
    assert re.fullmatch(r"Error: /_islands/NoDefault\.[0-9a-f]{8}\.js has no export default", errors["6"])
    assert tab.page.locator("ig-island[error][hydrated]").count() == 0


def test_other_islands_still_hydrate(tab: Tab) -> None:
    assert sorted(tab.hydrated()) == ["after", "before", "idle after", "in a failed shell"]
    hydrated = [uid for kind, uid, _ in tab.evaluate("window.events") if kind == "ig:hydrated"]
    assert sorted(hydrated) == ["1", "3", "8", "9"]


def test_every_failure_is_logged_never_silent(tab: Tab) -> None:
    ours = [e for e in tab.errors if "islandgen: island failed" in e]
    assert len(ours) == len(FAILING)
    unexplained = [e for e in tab.errors if e not in ours and "Gone." not in e and "404" not in e]
    assert unexplained == []
