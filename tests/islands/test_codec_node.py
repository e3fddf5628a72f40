"""Every row of the wire table round-trips: encoded in Python, decoded by the runtime under Node.

Each case is a Python value and a JavaScript check on the decoded value `v`
(`island(uid)` reaches other islands of the same page).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
from typing import Any

import pytest
from islandtools import DECODER, HERE, RUNTIME, node_json

from islandgen.islands.codec import PagePayload, ServerReference, embed_payload


class Color(enum.Enum):
    RED = "red"


class Size(enum.IntEnum):
    BIG = 3


@dataclasses.dataclass(frozen=True)
class Author:
    name: str
    born: dt.date


@dataclasses.dataclass
class Post:
    title: str
    author: Author
    tags: frozenset[str]


class Like(ServerReference):
    @property
    def id(self) -> str:
        return "likes.like_post.3f9a"


def _cycle() -> dict[str, Any]:
    node: dict[str, Any] = {"name": "root"}
    node["self"] = node
    return node


def _map_cycle() -> dict[Any, Any]:
    node: dict[Any, Any] = {}
    node[1] = node
    return node


def _list_cycle() -> list[Any]:
    items: list[Any] = [1]
    items.append(items)
    return items


SHARED = {"shared": True}
AUTHOR = Author("Ada", dt.date(1815, 12, 10))

CASES: list[tuple[str, Any, str]] = [
    ("str", "hello", "v === 'hello'"),
    ("str-unicode", "héllo 🌍 \u2028\u2029", "v === 'héllo 🌍 \\u2028\\u2029'"),
    ("str-script-breakout", "</script><!-- -->&'\"", "v === '</script><!-- -->&\\'\"'"),
    ("str-dollar", "$", "v === '$'"),
    ("str-double-dollar", "$$x", "v === '$$x'"),
    ("str-dollar-digit", "$0", "v === '$0'"),
    ("str-dollar-tag", "$W1", "v === '$W1'"),
    ("str-dollar-neg-zero", "$-0", "v === '$-0'"),
    ("int", 42, "v === 42"),
    ("int-max-safe", 2**53 - 1, "v === Number.MAX_SAFE_INTEGER"),
    ("int-min-safe", -(2**53 - 1), "v === Number.MIN_SAFE_INTEGER"),
    ("bigint", 2**53, "typeof v === 'bigint' && v === 9007199254740992n"),
    ("bigint-negative", -(10**30), "v === -(10n ** 30n)"),
    ("float", 1.5, "v === 1.5"),
    ("float-zero", 0.0, "Object.is(v, 0)"),
    ("float-negative-zero", -0.0, "Object.is(v, -0)"),
    ("float-nan", math.nan, "Number.isNaN(v)"),
    ("float-inf", math.inf, "v === Infinity"),
    ("float-neg-inf", -math.inf, "v === -Infinity"),
    ("true", True, "v === true"),
    ("none", None, "v === null"),
    ("list", [1, "a", None], "Array.isArray(v) && v.length === 3 && v[1] === 'a'"),
    ("tuple", (1, 2), "Array.isArray(v) && v[1] === 2"),
    ("dict", {"a": {"b": [1]}}, "v.a.b[0] === 1"),
    ("dict-proto-key", {"__proto__": 1}, "Object.getPrototypeOf(v) === Object.prototype"
                                         " && Object.keys(v)[0] === '__proto__'"),
    ("date", dt.date(2024, 2, 29), "v instanceof Date && v.toISOString() === '2024-02-29T00:00:00.000Z'"),
    ("datetime-naive", dt.datetime(2024, 1, 2, 3, 4, 5, 678901),
     "v instanceof Date && v.toISOString() === '2024-01-02T03:04:05.678Z'"),
    ("datetime-aware", dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.timezone(dt.timedelta(hours=2))),
     "v.toISOString() === '2024-01-02T01:04:00.000Z'"),
    ("set", {3, 1, 2}, "v instanceof Set && v.size === 3 && v.has(2)"),
    ("frozenset", frozenset({"b", "a"}), "v instanceof Set && v.has('a') && v.has('b')"),
    ("set-of-bigints", {2**60}, "v.has(2n ** 60n)"),
    ("map-int-keys", {1: "one", 2: "two"}, "v instanceof Map && v.get(2) === 'two'"),
    ("map-tuple-keys", {(1, 2): "pair"}, "[...v.keys()][0][1] === 2 && [...v.values()][0] === 'pair'"),
    ("map-mixed-keys", {"a": 1, 2: "b"}, "v instanceof Map && v.get('a') === 1 && v.get(2) === 'b'"),
    ("bytes", b"\x00\xffhi", "v instanceof Uint8Array && v.join() === '0,255,104,105'"),
    ("bytes-empty", b"", "v instanceof Uint8Array && v.length === 0"),
    ("bytearray", bytearray(b"\x01"), "v instanceof Uint8Array && v[0] === 1"),
    ("enum", Color.RED, "v === 'red'"),
    ("int-enum", Size.BIG, "v === 3"),
    ("dataclass", Post("Hi", AUTHOR, frozenset({"x"})),
     "v.title === 'Hi' && v.author.name === 'Ada' && v.author.born instanceof Date"
     " && v.tags instanceof Set && v.tags.has('x')"),
    ("shared-in-island", {"x": SHARED, "y": [SHARED]}, "v.x === v.y[0] && v.x.shared === true"),
    ("shared-dataclass", [AUTHOR, AUTHOR], "v[0] === v[1] && v[0].name === 'Ada'"),
    ("cycle-dict", _cycle(), "v.self === v && v.name === 'root'"),
    ("cycle-list", _list_cycle(), "v[1] === v && v[0] === 1"),
    ("cycle-map", _map_cycle(), "v instanceof Map && v.get(1) === v"),
    ("server-function", Like(),
     "typeof v === 'function' && (await v(1, 'x')).id === 'likes.like_post.3f9a'"
     " && (await v(1, 'x')).args[1] === 'x'"),
    ("server-function-twice", [Like(), Like()], "v[0] === v[1]"),
    ("deep", [[[[["deep"]]]]], "v[0][0][0][0][0] === 'deep'"),
]

# An object given to two islands is encoded once and decodes to one object.
CROSS_ISLAND = ("shared-across-islands", SHARED, "v === island('shared-in-island').value.x")


def _payload() -> str:
    payload = PagePayload()
    for name, value, _ in [*CASES, CROSS_ISLAND]:
        payload.add(name, {"value": value})
    return embed_payload(payload.to_json())


@pytest.fixture(scope="module")
def decoded() -> dict[str, Any]:
    checks = {name: {"uid": name, "check": check} for name, _, check in [*CASES, CROSS_ISLAND]}
    stdin = json.dumps({"payload": _payload(), "checks": checks})
    result: dict[str, Any] = node_json(HERE / "js" / "decode_harness.mjs", str(DECODER), str(RUNTIME),
                                       stdin=stdin)
    return result


@pytest.mark.parametrize("name", [c[0] for c in [*CASES, CROSS_ISLAND]])
def test_round_trip(decoded: dict[str, Any], name: str) -> None:
    assert decoded["results"][name] is True, decoded["results"][name]


def test_shared_object_is_encoded_once() -> None:
    payload = PagePayload()
    payload.add("1", {"a": SHARED})
    payload.add("2", {"b": SHARED, "c": SHARED})
    encoded = payload.encode()
    assert encoded["refs"] == [{"shared": True}]
    assert encoded["islands"] == {"1": {"a": "$0"}, "2": {"b": "$0", "c": "$0"}}
