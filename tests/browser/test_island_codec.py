"""Every row of the props codec round-trips exactly, compared in the page.

The values come from a data loader (tests/browser/sites/codec/data/cases.py);
the Echo island writes what it received, described with types by
lib/describe.js, into the page; `describe` below does the same for the Python
value, following the codec's contract (DESIGN.md, "Props on the wire").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import importlib.util
import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from browsing import SITES, Served, Tab
from bs4 import BeautifulSoup, Tag

from islandgen.islands.codec import MAX_SAFE_INTEGER, TOKENS, ServerReference

Tree = Any


def _cases_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("codec_cases", SITES / "codec" / "data" / "cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CASES = _cases_module()


def describe(value: Any, path: str = "$", seen: dict[int, str] | None = None) -> Tree:
    """What lib/describe.js should write for a Python value sent as a prop."""
    seen = {} if seen is None else seen
    if isinstance(value, enum.Enum):
        return describe(value.value, path, seen)
    if value is None:
        return ["null"]
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["bigint", str(value)] if abs(value) > MAX_SAFE_INTEGER else ["number", value]
    if isinstance(value, float):
        return ["number", _float(value)]
    if isinstance(value, str):
        return ["string", value]
    if isinstance(value, dt.date):
        return ["Date", _iso_utc(value)]
    if isinstance(value, bytes | bytearray):
        return ["Uint8Array", list(value)]
    if isinstance(value, ServerReference):
        return ["function", "AsyncFunction"]
    if id(value) in seen:
        return ["ref", seen[id(value)]]
    seen[id(value)] = path
    if isinstance(value, set | frozenset):
        return ["Set", [describe(item, f"{path}{{{i}}}", seen) for i, item in enumerate(value)]]
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        return ["Object", {key: describe(item, f"{path}.{key}", seen) for key, item in value.items()}]
    if isinstance(value, Mapping):
        return ["Map", [[describe(key, f"{path}<k{i}>", seen), describe(item, f"{path}<v{i}>", seen)]
                        for i, (key, item) in enumerate(value.items())]]
    if isinstance(value, list | tuple):
        return ["Array", [describe(item, f"{path}[{i}]", seen) for i, item in enumerate(value)]]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return ["Object", {f.name: describe(getattr(value, f.name), f"{path}.{f.name}", seen)
                           for f in dataclasses.fields(value)}]
    raise TypeError(f"no codec row for {type(value).__name__}")


def _float(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0 and math.copysign(1, value) < 0:
        return "-0"
    return value


def _iso_utc(value: dt.date) -> str:
    """Date.toISOString() of the Date the browser should hold (milliseconds, cut not rounded)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return f"{value.year:04d}-" + value.strftime("%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def normalized(tree: Tree) -> Tree:
    """Sets are unordered: sort their items so the two sides compare equal."""
    if not isinstance(tree, list) or not tree:
        return tree
    kind, *rest = tree
    if kind == "Set":
        return ["Set", sorted((normalized(item) for item in rest[0]), key=json.dumps)]
    if kind == "Array":
        return ["Array", [normalized(item) for item in rest[0]]]
    if kind == "Map":
        return ["Map", [[normalized(k), normalized(v)] for k, v in rest[0]]]
    if kind == "Object":
        return ["Object", {key: normalized(item) for key, item in rest[0].items()}]
    return tree


@pytest.fixture(scope="module")
def site(built: Callable[..., Path], serve: Callable[..., Served]) -> Served:
    return serve(built("codec"))


@pytest.fixture(scope="module")
def received(browser: Any, site: Served) -> dict[str, Any]:
    """{case name: what its Echo island wrote}, from one visit to /cases/."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site.url("/cases/"))
        page.wait_for_function(f"document.querySelectorAll('pre.echo').length == {len(CASES.CASES)}")
        echoed = page.eval_on_selector_all(
            "pre.echo", "all => all.map((pre) => [pre.dataset.name, pre.textContent])")
        identities = page.evaluate(_IDENTITIES)
    finally:
        context.close()
    return {"echoed": {name: json.loads(text) for name, text in echoed}, "identities": identities}


@pytest.mark.parametrize("name", list(CASES.CASES))
def test_case_round_trips(received: dict[str, Any], name: str) -> None:
    echoed = received["echoed"][name]
    assert echoed["keys"] == ["name", "value"]
    assert normalized(echoed["value"]) == normalized(describe(CASES.CASES[name]))


def test_cycles_and_sharing_are_the_same_objects(received: dict[str, Any]) -> None:
    assert received["identities"] == {
        "node is its own self": True,
        "ring holds itself": True,
        "a.b.a is a": True,
        "first is second": True,
        "list[0] is first": True,
        "again is list[1]": True,
        "sets are Sets": True,
        "server function is async": True,
    }


_IDENTITIES = """() => {
  const { cycles, sharing, sets } = window.received;
  const call = window.received['server function'];
  return {
    'node is its own self': cycles.node.self === cycles.node,
    'ring holds itself': cycles.ring[1] === cycles.ring,
    'a.b.a is a': cycles.pair.b.a === cycles.pair,
    'first is second': sharing.first === sharing.second,
    'list[0] is first': sharing.list[0] === sharing.first,
    'again is list[1]': sharing.again === sharing.list[1],
    'sets are Sets': sets.every((s) => s instanceof Set),
    'server function is async': call.constructor.name === 'AsyncFunction',
  };
}"""


def test_every_token_of_the_codec_is_exercised(site: Served) -> None:
    """A new codec row fails this test until data/cases.py sends a value through it."""
    soup = BeautifulSoup((site.root / "cases" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    element = soup.find(id="ig-props")
    assert isinstance(element, Tag) and element.string is not None
    payload = json.loads(element.string)
    used: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.startswith("$"):
            rest = value[1:]
            used.add(rest[:2] if rest.startswith("-") else "" if rest[:1].isdigit() else rest[:1])

    walk(payload)
    assert used == set(TOKENS)


def test_no_prop_can_break_out_of_the_payload_element(site: Served) -> None:
    html = (site.root / "cases" / "index.html").read_text(encoding="utf-8")
    assert html.lower().count("</script") == html.lower().count("<script")
    assert "<!--" not in html
    assert "\u2028" not in html and "\u2029" not in html  # raw separators, not escapes


def test_one_object_given_to_two_islands_arrives_as_one_object(tab_for: Callable[..., Tab],
                                                                site: Served) -> None:
    tab = tab_for(site).open("/shared/")
    tab.page.wait_for_function("document.querySelectorAll('pre.echo').length == 2")
    assert tab.evaluate("window.received.first === window.received.second[0]") is True
    assert tab.evaluate("window.received.first.self === window.received.first") is True
    first = json.loads(tab.page.text_content("pre[data-name=first]"))["value"]
    assert normalized(first) == normalized(describe(CASES.SHARED))
    assert tab.errors == []


def test_a_large_payload_moves_to_a_file_and_still_round_trips(tab_for: Callable[..., Tab],
                                                              site: Served) -> None:
    html = (site.root / "large" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    element = soup.find(id="ig-props")
    assert isinstance(element, Tag)
    source = element["data-src"]
    assert isinstance(source, str) and (site.root / source.lstrip("/")).is_file()
    assert "x" * 1000 not in html
    tab = tab_for(site).open("/large/")
    tab.page.wait_for_selector("pre.echo")
    echoed = json.loads(tab.page.text_content("pre.echo"))["value"]
    assert normalized(echoed) == normalized(describe(CASES.LARGE))
    assert source in tab.served.requests
    assert tab.errors == []


def test_a_payload_file_is_found_below_a_base_path(built: Callable[..., Path],
                                                   serve: Callable[..., Served],
                                                   tab_for: Callable[..., Tab]) -> None:
    site = serve(built("codec", edit_config="\nbase_path: /sub/\n"), "/sub/")
    tab = tab_for(site).open("/large/")
    tab.page.wait_for_selector("pre.echo")
    echoed = json.loads(tab.page.text_content("pre.echo"))["value"]
    assert normalized(echoed) == normalized(describe(CASES.LARGE))
    assert any(p.startswith("/sub/_islands/props/") for p in site.requests)
    assert all(p.startswith("/sub/") for p in site.requests)
    assert tab.errors == []
