"""Untrusted arguments against annotations: each rule accepts, converts and refuses what it should.

Cases are rows of (annotation, value, expected): expected is the converted
value, or an `Invalid("<where>: <message piece>")` the check must raise.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import Annotated, Any, Literal, NotRequired, Optional, TypedDict, Union

import pytest

from islandgen.functions import UploadedFile
from islandgen.functions.schema import Invalid, Unsupported, convert, describe


class Size(enum.Enum):
    S = "s"
    L = "l"


@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: int = 0


@dataclasses.dataclass(frozen=True)
class Shape:
    name: str
    points: list[Point]


class Options(TypedDict):
    mode: Literal["fast", "slow"]
    depth: NotRequired[int]


class Refused:
    """An expected refusal: the message must contain `text` (which starts with the path)."""

    def __init__(self, text: str) -> None:
        self.text = text


FILE = UploadedFile("a.txt", "text/plain", b"hi")

JSON_CASES: list[tuple[str, Any, Any, Any]] = [
    ("int", int, 3, 3),
    ("int-big", int, 2**70, 2**70),
    ("int-refuses-bool", int, True, Refused("p: expected a whole number, got true/false")),
    ("int-refuses-float", int, 3.0, Refused("p: expected a whole number, got a number")),
    ("int-refuses-text", int, "3", Refused("p: expected a whole number, got the text '3'")),
    ("float-from-int", float, 2, 2.0),
    ("float-refuses-bool", float, False, Refused("p: expected a number")),
    ("str", str, "x", "x"),
    ("str-refuses-none", str, None, Refused("p: expected text, got nothing (null)")),
    ("bool", bool, False, False),
    ("bool-refuses-text", bool, "on", Refused("p: expected true or false")),
    ("none", None, None, None),
    ("optional", Optional[int], None, None),  # noqa: UP045 (the typing spelling, on purpose)
    ("union-second", Union[int, str], "x", "x"),  # noqa: UP007
    ("union-refused", int | None, "x", Refused("p: expected int or nothing")),
    ("literal", Literal["a", "b"], "b", "b"),
    ("literal-refused", Literal["a", "b"], "c", Refused("p: expected one of 'a', 'b'")),
    ("literal-no-bool-for-int", Literal[1], True, Refused("p: expected one of 1")),
    ("enum", Size, "l", Size.L),
    ("enum-refused", Size, "m", Refused("p: expected one of 's', 'l'")),
    ("list", list[int], [1, 2], [1, 2]),
    ("list-item-refused", list[int], [1, "2"], Refused("p[1]: expected a whole number")),
    ("list-refuses-object", list[int], {"a": 1}, Refused("p: expected a list")),
    ("tuple-fixed", tuple[int, str], [1, "a"], (1, "a")),
    ("tuple-length", tuple[int, str], [1], Refused("p: expected 2 items, got 1")),
    ("tuple-variadic", tuple[int, ...], [1, 2, 3], (1, 2, 3)),
    ("set-from-set", set[int], {1, 2}, {1, 2}),
    ("set-from-list", frozenset[str], ["a", "a"], frozenset({"a"})),
    ("dict", dict[str, float], {"a": 1}, {"a": 1.0}),
    ("dict-value-refused", dict[str, int], {"a": "x"}, Refused("p['a']: expected a whole number")),
    ("dict-int-keys", dict[int, str], {1: "a"}, {1: "a"}),
    ("dict-key-refused", dict[int, str], {"1": "a"}, Refused("p['1'] (a key): expected a whole number")),
    ("dataclass", Point, {"x": 1}, Point(1, 0)),
    ("dataclass-nested", Shape, {"name": "s", "points": [{"x": 1, "y": 2}]}, Shape("s", [Point(1, 2)])),
    ("dataclass-nested-refused", Shape, {"name": "s", "points": [{"x": "1"}]},
     Refused("p.points[0].x: expected a whole number")),
    ("dataclass-missing", Point, {"y": 1}, Refused("p.x: missing")),
    ("dataclass-unknown-key", Point, {"x": 1, "z": 2}, Refused("p: unexpected key 'z' for Point")),
    ("dataclass-refuses-list", Point, [1], Refused("p: expected an object (Point)")),
    ("typeddict", Options, {"mode": "fast"}, {"mode": "fast"}),
    ("typeddict-optional", Options, {"mode": "slow", "depth": 2}, {"mode": "slow", "depth": 2}),
    ("typeddict-missing", Options, {"depth": 2}, Refused("p.mode: missing")),
    ("typeddict-bad-literal", Options, {"mode": "warp"}, Refused("p.mode: expected one of")),
    ("date", dt.date, dt.date(2024, 1, 2), dt.date(2024, 1, 2)),
    ("date-from-text", dt.date, "2024-01-02", dt.date(2024, 1, 2)),
    ("date-refuses-datetime", dt.date, dt.datetime(2024, 1, 2), Refused("p: expected a date")),
    ("datetime-from-text", dt.datetime, "2024-01-02T03:04:05Z",
     dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)),
    ("bytes", bytes, b"\x00", b"\x00"),
    ("bytes-refuses-text", bytes, "x", Refused("p: expected bytes")),
    ("file-from-bytes", UploadedFile, b"x", UploadedFile("", "application/octet-stream", b"x")),
    ("annotated", Annotated[int, "doc"], 4, 4),
    ("any", Any, {"anything": [1]}, {"anything": [1]}),
]

FORM_CASES: list[tuple[str, Any, Any, Any]] = [
    ("int", int, " 42 ", 42),
    ("int-signed", int, "-3", -3),
    ("int-refused", int, "4.5", Refused("p: expected a whole number, got the text '4.5'")),
    ("int-refuses-unicode-digits", int, "٣", Refused("p: expected a whole number")),
    ("float", float, "2.5", 2.5),
    ("float-refuses-nan", float, "nan", Refused("p: expected a number")),
    ("bool-on", bool, "on", True),
    ("bool-false", bool, "false", False),
    ("bool-refused", bool, "maybe", Refused("p: expected true or false")),
    ("optional-empty", int | None, "", None),
    ("optional-value", int | None, "7", 7),
    ("optional-str-empty", str | None, "", None),
    ("str-empty-stays", str, "", ""),
    ("literal", Literal[1, 2], "2", 2),
    ("literal-bool", Literal[True], "true", True),
    ("enum", Size, "s", Size.S),
    ("list", list[int], ["1", "2"], [1, 2]),
    ("list-refused", list[int], ["1", "x"], Refused("p[1]: expected a whole number")),
    ("file", UploadedFile, FILE, FILE),
    ("bytes-from-file", bytes, FILE, b"hi"),
    ("bytes-from-text", bytes, "é", "é".encode()),
    ("date", dt.date, "2024-02-03", dt.date(2024, 2, 3)),
    ("datetime-local", dt.datetime, "2024-02-03T10:00", dt.datetime(2024, 2, 3, 10, 0)),
    ("dict-refused", dict[str, str], "x", Refused("p: a dict[str, str] cannot come from a form field")),
    ("dataclass-refused", Point, "x", Refused("p: a Point cannot come from a form field")),
]


def _check(annotation: Any, value: Any, expected: Any, *, form: bool) -> None:
    if isinstance(expected, Refused):
        with pytest.raises(Invalid) as caught:
            convert(annotation, value, "p", form=form)
        assert expected.text in str(caught.value)
    else:
        result = convert(annotation, value, "p", form=form)
        assert result == expected
        assert type(result) is type(expected)


@pytest.mark.parametrize(("name", "annotation", "value", "expected"), JSON_CASES,
                         ids=[c[0] for c in JSON_CASES])
def test_json_arguments(name: str, annotation: Any, value: Any, expected: Any) -> None:
    _check(annotation, value, expected, form=False)


@pytest.mark.parametrize(("name", "annotation", "value", "expected"), FORM_CASES,
                         ids=[c[0] for c in FORM_CASES])
def test_form_fields(name: str, annotation: Any, value: Any, expected: Any) -> None:
    _check(annotation, value, expected, form=True)


@pytest.mark.parametrize("annotation", [complex, dt.timedelta, type, list[complex], dict[str, object()]],  # type: ignore[misc]
                         ids=["complex", "timedelta", "type", "list-of-complex", "dict-of-instance"])
def test_unsupported_annotations_are_refused_up_front(annotation: Any) -> None:
    with pytest.raises(Unsupported, match="islandgen cannot check arguments of type"):
        describe(annotation)


def test_descriptions_are_json_schema_like() -> None:
    assert describe(int | None) == {"anyOf": [{"type": "integer"}, {"type": "null"}]}
    assert describe(list[str]) == {"type": "array", "items": {"type": "string"}}
    assert describe(Options) == {
        "type": "object", "title": "Options", "additionalProperties": False, "required": ["mode"],
        "properties": {"mode": {"enum": ["fast", "slow"]}, "depth": {"type": "integer"}},
    }
    assert describe(Shape)["properties"]["points"]["items"]["title"] == "Point"
