"""The props encoder: the exact wire form of each row, sharing, determinism and refusals."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Undefined

from islandgen.islands.codec import (
    CodecError,
    PagePayload,
    embed_payload,
    encode_values,
    needs_decoder,
    tokens_in,
)

WIRE: list[tuple[str, Any, Any]] = [
    ("str", "a", "a"),
    ("str-dollar", "$5", "$$5"),
    ("int", 7, 7),
    ("bigint", 2**53, "$n9007199254740992"),
    ("bigint-negative", -(2**53), "$n-9007199254740992"),
    ("nan", math.nan, "$N"),
    ("inf", math.inf, "$I"),
    ("neg-inf", -math.inf, "$-I"),
    ("neg-zero", -0.0, "$-0"),
    ("float", 0.25, 0.25),
    ("bool", False, False),
    ("none", None, None),
    ("tuple", (1, "b"), [1, "b"]),
    ("date", dt.date(2024, 5, 1), "$D2024-05-01"),
    ("datetime-utc", dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC), "$D2024-05-01T12:00:00.000Z"),
    ("bytes", b"hi", "$BaGk="),
    ("set", {2, 1}, "$W0"),
    ("map", {1: "a"}, "$Q0"),
    ("dict", {"k": [1]}, {"k": [1]}),
]


@pytest.mark.parametrize(("value", "wire"), [(v, w) for _, v, w in WIRE], ids=[i for i, _, _ in WIRE])
def test_wire_form(value: Any, wire: Any) -> None:
    encoded, _ = encode_values({"p": value})
    assert encoded["p"] == wire


def test_outlined_values_live_in_refs() -> None:
    encoded, refs = encode_values({"s": {3, 1, 2}, "m": {(1, 2): {"x": 1}}})
    assert encoded == {"s": "$W0", "m": "$Q1"}
    assert refs == [[1, 2, 3], [[[1, 2], {"x": 1}]]]


def test_cycle_points_back_at_its_ref() -> None:
    node: dict[str, Any] = {}
    node["me"] = node
    encoded, refs = encode_values({"n": node})
    assert encoded == {"n": "$0"}
    assert refs == [{"me": "$0"}]


def test_object_seen_once_stays_inline() -> None:
    once = {"a": 1}
    assert encode_values({"x": [once]}) == ({"x": [{"a": 1}]}, [])


def test_set_order_does_not_depend_on_hash_seed() -> None:
    code = (
        "from islandgen.islands.codec import encode_values;"
        "print(encode_values({'s': {'pear', 'apple', 'fig', ('a', 1)}}))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


@dataclasses.dataclass
class Author:
    name: str
    avatar: Any


@dataclasses.dataclass
class Post:
    author: Author


class Widget:
    pass


def _generator() -> Any:
    yield 1


def _refusals() -> list[tuple[str, dict[str, Any], str, str, str]]:
    posts = [Post(Author("a", None)) for _ in range(3)] + [Post(Author("b", _generator))]
    return [
        # id, props, prop path, what, a piece of the hint
        ("function-in-dataclass", {"posts": posts}, "posts[3].author.avatar", "a function",
         "mark it a server function"),
        ("lambda-in-dict", {"meta": {"key": lambda: 1}}, 'meta["key"]', "a function",
         "mark it a server function"),
        ("class-instance", {"w": Widget()}, "w", "a class instance", "make Widget a @dataclass"),
        ("class", {"w": Widget}, "w", "a class", "pass a dict or a dataclass"),
        ("generator", {"g": _generator()}, "g", "a generator", "list(...)"),
        ("file", {"f": io.StringIO("x")}, "f", "an open file", "contents"),
        ("module", {"m": os}, "m", "a module", "values the island needs"),
        ("path", {"p": [Path("x")]}, "p[0]", "no browser equivalent", "str(value)"),
        ("decimal", {"d": {1: Decimal(1)}}, "d[1]", "no browser equivalent", "str(value)"),
        ("bad-map-key", {"d": {Widget: 1}}, "d (a key)", "a class", "dataclass"),
        ("set-item", {"s": {len}}, "s{…}", "a function", "server function"),
        ("undefined", {"u": Undefined(name="x")}, "u", "an undefined template variable", "pass None"),
    ]


@pytest.mark.parametrize(
    ("props", "prop_path", "what", "hint"),
    [r[1:] for r in _refusals()],
    ids=[r[0] for r in _refusals()],
)
def test_refusal_names_prop_path_and_fix(
    props: dict[str, Any], prop_path: str, what: str, hint: str
) -> None:
    with pytest.raises(CodecError) as caught:
        encode_values(props)
    error = caught.value
    assert error.prop_path == prop_path
    assert what in error.what
    assert hint in (error.hint or "")


def test_payload_error_names_component_and_template_line() -> None:
    payload = PagePayload()
    with pytest.raises(CodecError) as caught:
        payload.add("1", {"posts": [{"author": print}]}, component="Counter",
                    path=Path("pages/index.html"), line=12)
    text = str(caught.value)
    assert text.startswith('pages/index.html:12: prop posts[0]["author"] of Counter cannot be sent')
    assert "(builtin_function_or_method)" in text
    assert "hint: mark it a server function" in text


def test_payload_shape_and_json() -> None:
    payload = PagePayload()
    payload.add("1", {"start": 3})
    payload.add("2", {})
    assert json.loads(payload.to_json()) == {"v": 1, "refs": [], "islands": {"1": {"start": 3}, "2": {}}}
    assert len(payload) == 2


def test_uid_twice_is_a_bug() -> None:
    payload = PagePayload()
    payload.add("1", {})
    with pytest.raises(ValueError, match="twice"):
        payload.add("1", {})


BREAKOUTS = ["</script>", "</SCRIPT >", "<!--", "-->", "<script>", "&amp;", "\u2028", "\u2029", "'\""]


@pytest.mark.parametrize("text", BREAKOUTS)
def test_embedded_payload_cannot_break_out(text: str) -> None:
    payload = PagePayload()
    payload.add("1", {"text": text, text: text})
    embedded = embed_payload(payload.to_json())
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in embedded
    assert json.loads(embedded)["islands"]["1"] == {"text": text, text: text}


@pytest.mark.parametrize(("value", "decoder", "tokens"), [
    ({"a": [1, "x", None]}, False, set()),
    ({"price": "$5"}, True, {"$"}),
    ({"big": 2**60, "day": dt.date(2024, 1, 1)}, True, {"n", "D"}),
    ({"inf": -math.inf, "zero": -0.0}, True, {"-I", "-0"}),
    ({"set": {1}, "map": {1: 2}}, True, {"W", "Q"}),
    ({"quote": 'say "$5"'}, True, set()),  # a needless decoder load, never a missed one
], ids=["plain", "dollar", "bigint-date", "negative", "collections", "quoted-dollar"])
def test_the_runtime_decodes_exactly_the_payloads_that_need_it(
        value: dict[str, Any], decoder: bool, tokens: set[str]) -> None:
    payload = PagePayload()
    payload.add("1", value)
    assert needs_decoder(payload.to_json()) is decoder
    assert tokens_in(payload.encode()) == tokens


def test_shared_objects_are_the_ref_token() -> None:
    shared = {"a": 1}
    payload = PagePayload()
    payload.add("1", {"x": shared, "y": shared})
    assert tokens_in(payload.encode()) == {""}


def test_a_dataclass_a_data_loader_defines_crosses_as_props(make_site: Callable[..., Any]) -> None:
    site = make_site({
        "data/points.py": (
            "from __future__ import annotations\n"
            "import dataclasses\n\n\n"
            "@dataclasses.dataclass\n"
            "class Point:\n"
            "    x: int\n\n\n"
            "def load() -> list[Point]:\n"
            "    return [Point(1)]\n"
        ),
        "components/Plot.js": "'use client';\nexport default () => {};\n",
        "pages/p.html": "<html><head></head><body>{{ Plot(point=site.data.points[0]) }}</body></html>",
    })
    site.build()
    payload = site.page("/p/").select_one("#ig-props")
    assert json.loads(payload.text)["islands"] == {"1": {"point": {"x": 1}}}
