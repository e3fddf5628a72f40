"""Nested islands hydrate parent first; server-rendered children arrive as ctx.children.

tests/browser/sites/nesting: Parent.js records when it starts and when it is
done (it waits `delay` ms first), then appends ctx.fragment; Child.js records
when it runs. A child sits in a parent's shell, in its children, or in the
children of a parent that is itself in the children.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from browsing import Served, Tab


@pytest.fixture(scope="module")
def site(built: Callable[..., Path], serve: Callable[..., Served]) -> Served:
    return serve(built("nesting"))


@pytest.fixture
def tab(tab_for: Callable[..., Tab], site: Served) -> Tab:
    return tab_for(site)


def _order(tab: Tab, expected: int) -> list[str]:
    tab.page.wait_for_function(f"(window.order || []).length >= {expected}")
    tab.pause(200)  # anything that would come late (or twice) has time to show up
    return list(tab.evaluate("window.order"))


def test_children_hydrate_after_their_parent_is_done(tab: Tab) -> None:
    tab.open("/nested/", settle=False)
    order = _order(tab, 7)
    assert sorted(order) == sorted([
        "outer", "outer:done", "outer/shell", "outer/children",
        "middle", "middle:done", "middle/children",
    ])
    assert order[:2] == ["outer", "outer:done"]  # nothing inside it ran before it was done
    assert order.index("middle:done") < order.index("middle/children")
    assert tab.page.locator("ig-island[hydrated]").count() == 5
    assert tab.page.locator("ig-island[error]").count() == 0
    assert tab.errors == []


def test_a_child_waits_for_its_parents_strategy(tab: Tab) -> None:
    tab.open("/waits/", settle=False)
    tab.runtime_ready()
    tab.pause()
    assert tab.evaluate("window.order || []") == []  # the child is 'load', but its parent is not
    tab.page.click(".parent button")
    assert _order(tab, 3) == ["lazy", "lazy:done", "lazy/shell"]


def test_server_rendered_children_arrive_as_ctx_children(tab: Tab) -> None:
    tab.open("/nested/", settle=False)
    _order(tab, 7)
    children = tab.evaluate("window.children.outer")
    assert children.startswith('<p class="kid">server <b>children</b> &amp; more</p>')
    assert 'component="' in children  # the nested islands come along as markup
    assert tab.evaluate("window.children.middle").startswith("<ig-island")
    # ctx.fragment put them on the page, where they are live elements
    assert tab.page.text_content(".parent[data-name=outer] > .slot > .kid") == "server children & more"
    assert tab.page.locator(".slot ig-island[hydrated]").count() == 3


def test_children_written_in_markdown(tab: Tab) -> None:
    tab.open("/markdown/", settle=False)
    order = _order(tab, 4)
    assert order[:2] == ["md", "md:done"]
    assert sorted(order[2:]) == ["md/children", "md/shell"]
    assert tab.evaluate("window.children.md").startswith("<p>Some <strong>bold</strong> Markdown.</p>")
    assert tab.errors == []
