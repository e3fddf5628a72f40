"""Python values for every row of the props codec: site.data.cases.

`CASES` maps a case name to the value one Echo island receives; `SHARED` is
given to two islands at once (pages/shared.html); `LARGE` is big enough to
move the page's payload into a JSON file of its own.
"""

import dataclasses
import datetime as dt
import enum
import math
from typing import Any

from islandgen.islands.codec import ServerReference


@dataclasses.dataclass
class Point:
    x: int
    y: float


@dataclasses.dataclass(frozen=True)
class Line:
    start: Point
    end: Point
    tags: frozenset[str] = frozenset()


class Colour(enum.Enum):
    RED = "red"
    NESTED = {"hex": "#00f", "rgb": (0, 0, 255)}  # noqa: RUF012 - a member whose value is a dict


class Level(enum.IntEnum):
    HIGH = 3


class Flags(enum.Flag):
    READ = 1
    WRITE = 2


class Likes(ServerReference):
    """A stand-in for a server function: the browser gets an async function."""

    @property
    def id(self) -> str:
        return "likes-1234"


def _cycles() -> dict[str, Any]:
    node: dict[str, Any] = {"name": "node"}
    node["self"] = node
    ring: list[Any] = ["ring"]
    ring.append(ring)
    a: dict[str, Any] = {"name": "a"}
    b: dict[str, Any] = {"name": "b", "a": a}
    a["b"] = b
    return {"node": node, "ring": ring, "pair": a}


def _sharing() -> dict[str, Any]:
    inner = {"shared": True}
    items = [1, 2]
    return {"first": inner, "second": inner, "list": [inner, items], "again": items}


CASES: dict[str, Any] = {
    "json": {
        "text": "plain",
        "empty": "",
        "int": 42,
        "negative": -7,
        "float": 0.1,
        "whole float": 2.0,
        "true": True,
        "false": False,
        "none": None,
        "list": [1, "two", None, [3]],
        "tuple": (1, (2, 3)),
        "nested": {"a": {"b": [{}, []]}},
    },
    "integers": [2**53 - 1, -(2**53 - 1), 2**53, -(2**53), 2**64 + 1, -(10**30), 0],
    "floats": [math.nan, math.inf, -math.inf, -0.0, 0.0, 1e300, 5e-324, -1.5, 1 / 3],
    "nan alone": math.nan,
    "minus zero alone": -0.0,
    "big alone": 10**20,
    "dates": [
        dt.date(2024, 2, 29),
        dt.date(1, 1, 1),
        dt.datetime(2024, 1, 1, 12, 30, 45, 123456, tzinfo=dt.UTC),
        dt.datetime(2024, 1, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
        dt.datetime(2024, 6, 1, 23, 59, 59),
        dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
    ],
    "sets": [{1, 2, 3}, frozenset({"b", "a"}), set(), {(1, 2), (3, 4)}, {None, True, 2.5}],
    "maps": [
        {1: "one", 2: "two"},
        {(1, 2): "pair"},
        {None: "none", True: "true", 2.5: "float"},
        {"text": 1, 2: "mixed keys"},
        {10**20: "big key"},
    ],
    "bytes": [b"\x00\xffhello", bytearray(b"ab"), b"", bytes(range(256))],
    "dataclasses": [Point(1, 2.5), Line(Point(0, 0), Point(1, 1), frozenset({"x"}))],
    "enums": [Colour.RED, Colour.NESTED, Level.HIGH, Flags.READ | Flags.WRITE],
    "dollars": ["$", "$$", "$x", "$1", "$D2024-01-01", "$n5", "$-0", "$W0", "cost: $5",
                {"$key": "$value", "$": "$$"}],
    "breakouts": ["</script>", "</SCRIPT >", "<!--", "-->", "<script>alert(1)</script>",
                  "\u2028", "\u2029", "a\u2028b\u2029c", "\"'&<>", "\x00\x1f", "]]>",
                  "&lt;not an entity&gt;", "island 🏝 café"],
    "cycles": _cycles(),
    "sharing": _sharing(),
    "server function": Likes(),
}

SHARED: dict[str, Any] = {"owner": "both islands", "tags": {"a", "b"}}
SHARED["self"] = SHARED

LARGE: dict[str, Any] = {
    "text": "x" * 40_000,
    "special": ["</script>", "\u2028", "$dollar", math.nan, 2**60, b"bytes"],
}


def load() -> dict[str, Any]:
    return {"cases": CASES, "shared": SHARED, "large": LARGE}
