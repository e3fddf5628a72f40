"""Arguments and results on the wire: the bundle's codec agrees with the props encoder and the browser.

`islandgen.functions.wire` ships in the bundle without islandgen, so it has its
own encoder; these tests hold it to the props encoder byte for byte, decode
what the browser's encoder (functions/client.js) sends, and let the runtime's
decoder read what the bundle answers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
from pathlib import Path
from typing import Any

import pytest
from fntools import node_json

from islandgen.functions import wire
from islandgen.islands import codec

HARNESS = Path(__file__).parent / "js" / "wire_harness.mjs"


class Color(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Author:
    name: str
    born: dt.date


def _cycle() -> dict[str, Any]:
    node: dict[str, Any] = {"name": "root"}
    node["self"] = node
    return node


SHARED = {"shared": True}
VALUES: list[tuple[str, Any]] = [
    ("str", "hello"), ("dollar", "$x"), ("double-dollar", "$$"), ("unicode", "é 🌍 \u2028"),
    ("int", 42), ("big", 2**64), ("negative-big", -(2**60)), ("float", 1.5), ("nan", math.nan),
    ("inf", math.inf), ("neg-inf", -math.inf), ("neg-zero", -0.0), ("bool", True), ("none", None),
    ("date", dt.date(2024, 5, 1)), ("datetime-naive", dt.datetime(2024, 5, 1, 9, 30, 0, 123456)),
    ("datetime-aware", dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
    ("bytes", b"\x00\xffabc"), ("set", {3, 1, 2}), ("frozenset", frozenset({"a"})),
    ("map", {1: "one", (1, 2): "pair"}), ("list", [1, [2, [3]]]), ("tuple", (1, "a")),
    ("dict", {"a": {"b": [1]}}), ("shared", [SHARED, SHARED]), ("cycle", _cycle()),
    ("enum", Color.RED), ("dataclass", Author("Ada", dt.date(1815, 12, 10))),
    ("shared-dataclass", [Author("A", dt.date(2000, 1, 1))] * 2), ("empty", {}),
]


def test_tokens_are_the_props_tokens() -> None:
    assert set(wire.TOKENS) == set(codec.TOKENS)


@pytest.mark.parametrize(("name", "value"), VALUES, ids=[name for name, _ in VALUES])
def test_results_encode_exactly_like_props(name: str, value: Any) -> None:
    encoded, refs = codec.encode_values({"value": value})
    assert wire.encode_value(value) == (encoded["value"], refs)


ROUND_TRIPS: list[tuple[str, Any]] = [
    (name, value) for name, value in VALUES
    if name not in ("nan", "cycle", "enum", "dataclass", "shared-dataclass", "tuple", "frozenset",
                    "datetime-naive", "datetime-aware")
]


@pytest.mark.parametrize(("name", "value"), ROUND_TRIPS, ids=[name for name, _ in ROUND_TRIPS])
def test_arguments_round_trip(name: str, value: Any) -> None:
    args, kwargs = wire.decode_call(wire.encode_call([value], {"named": value}))
    assert args == [value]
    assert kwargs == {"named": value}


def test_decoding_keeps_sharing_cycles_and_times() -> None:
    [shared, cycle, when, nan] = wire.decode_call(
        wire.encode_call([[SHARED, SHARED], _cycle(), dt.datetime(2024, 5, 1, 9, 30), math.nan]))[0]
    assert shared[0] is shared[1]
    assert cycle["self"] is cycle
    assert when == dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.UTC)
    assert math.isnan(nan)


BAD_BODIES = [
    ("not-json", b"{", "not JSON"),
    ("not-an-object", b"[1]", '"v": 1'),
    ("wrong-version", b'{"v": 2}', '"v": 1'),
    ("args-not-a-list", b'{"v": 1, "args": {}}', "must be arrays"),
    ("unknown-token", b'{"v": 1, "args": ["$Z1"]}', "unknown token"),
    ("bad-big-int", b'{"v": 1, "args": ["$nxyz"]}', "malformed token"),
    ("bad-date", b'{"v": 1, "args": ["$Dnever"]}', "malformed token"),
    ("bad-base64", b'{"v": 1, "args": ["$B!!"]}', "malformed token"),
    ("ref-out-of-range", b'{"v": 1, "refs": [], "args": ["$0"]}', "bad reference"),
    ("set-of-objects", b'{"v": 1, "refs": [[{"a": 1}]], "args": ["$W0"]}', "set item or dict key"),
    ("map-not-pairs", b'{"v": 1, "refs": [[1]], "args": ["$Q0"]}', "pairs"),
    ("server-function-argument", b'{"v": 1, "refs": [{"id": "x"}], "args": ["$h0"]}', "server function"),
    ("deep", b'{"v": 1, "args": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "JSON|deep"),
]


@pytest.mark.parametrize(("name", "body", "message"), BAD_BODIES, ids=[n for n, _, _ in BAD_BODIES])
def test_malformed_calls_are_wire_errors(name: str, body: bytes, message: str) -> None:
    with pytest.raises(wire.WireError, match=message):
        wire.decode_call(body)


def test_a_result_that_cannot_cross_is_a_wire_error() -> None:
    with pytest.raises(wire.WireError, match="object cannot be sent"):
        wire.encode_value({"x": object()})


# What the browser sends: functions/client.js's encoder, decoded by the bundle.
BROWSER_VALUES: list[tuple[str, str, Any]] = [
    ("string", "'hi'", "hi"),
    ("dollar", "'$5'", "$5"),
    ("number", "1.25", 1.25),
    ("bigint", "2n ** 64n", 2**64),
    ("small-bigint", "5n", 5),
    ("neg-zero", "-0", -0.0),
    ("infinity", "-Infinity", -math.inf),
    ("null", "null", None),
    ("undefined-in-array", "[undefined, 1]", [None, 1]),
    ("undefined-in-object", "({a: undefined, b: 1})", {"b": 1}),
    ("date", "new Date(Date.UTC(2024, 4, 1, 9, 30))", dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.UTC)),
    ("bytes", "new Uint8Array([0, 255, 7])", b"\x00\xff\x07"),
    ("set", "new Set([1, 2])", {1, 2}),
    ("map", "new Map([[1, 'a'], ['b', 2]])", {1: "a", "b": 2}),
    ("nested", "({list: [1, {deep: ['x']}], s: 'é'})", {"list": [1, {"deep": ["x"]}], "s": "é"}),
    ("shared", "(() => { const o = {a: 1}; return [o, o]; })()", [{"a": 1}, {"a": 1}]),
]


def test_what_the_browser_encodes_the_bundle_decodes() -> None:
    result = node_json(HARNESS, json.dumps({"encode": {n: js for n, js, _ in BROWSER_VALUES}}))
    for name, _, expected in BROWSER_VALUES:
        [value], kwargs = wire.decode_call(result["encoded"][name].encode())
        assert kwargs == {}
        assert value == expected, name
        if name == "neg-zero":
            assert math.copysign(1, value) < 0
    shared = wire.decode_call(result["encoded"]["shared"].encode())[0][0]
    assert shared[0] is shared[1]


def test_the_browser_refuses_what_cannot_cross() -> None:
    cases = {"function": "() => 1", "class": "new (class Foo {})()"}
    result = node_json(HARNESS, json.dumps({"encode": cases}))
    assert "cannot send" in result["encoded"]["function"]["error"]
    assert "cannot send Foo" in result["encoded"]["class"]["error"]


def test_what_the_bundle_answers_the_browser_decodes() -> None:
    cases = {
        "map": ({1: "one"}, "v instanceof Map && v.get(1) === 'one'"),
        "set": ({"a"}, "v instanceof Set && v.has('a')"),
        "big": (2**64, "v === 2n ** 64n"),
        "bytes": (b"\x01\x02", "v instanceof Uint8Array && v[1] === 2"),
        "date": (dt.datetime(2024, 5, 1, tzinfo=dt.UTC), "v instanceof Date && v.getUTCMonth() === 4"),
        "cycle": (_cycle(), "v.self === v"),
        "dataclass": (Author("Ada", dt.date(1815, 12, 10)), "v.name === 'Ada' && v.born instanceof Date"),
    }
    replies = {}
    for name, (value, check) in cases.items():
        encoded, refs = wire.encode_value(value)
        replies[name] = {"reply": {"value": encoded, "refs": refs}, "check": check}
    result = node_json(HARNESS, json.dumps({"decode": replies}))
    assert result["decoded"] == dict.fromkeys(cases, True)
