"""`client=` values: parsing, the errors a user sees, and what the renderer asks of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from islandgen.islands.strategies import (
    Strategy,
    StrategyError,
    format_client,
    is_eager,
    parse_client,
    renders_shell,
)

VALID = [
    ("default", None, (Strategy("load"),)),
    ("load", "load", (Strategy("load"),)),
    ("idle", "idle", (Strategy("idle"),)),
    ("visible", "visible", (Strategy("visible"),)),
    ("visible-margin", "visible:200px", (Strategy("visible", "200px"),)),
    ("visible-four-margins", "visible:10px 0 5% -2px", (Strategy("visible", "10px 0 5% -2px"),)),
    ("media", "media:(min-width: 40em)", (Strategy("media", "(min-width: 40em)"),)),
    ("interaction", "interaction", (Strategy("interaction"),)),
    ("only", "only", (Strategy("only"),)),
    ("either", "visible | interaction", (Strategy("visible"), Strategy("interaction"))),
]


@pytest.mark.parametrize(("value", "expected"), [v[1:] for v in VALID], ids=[v[0] for v in VALID])
def test_parse(value: str | None, expected: tuple[Strategy, ...]) -> None:
    assert parse_client(value) == expected


def test_format_is_what_the_runtime_splits() -> None:
    assert format_client(parse_client(" media:(min-width: 40em) | idle ")) == (
        "media:(min-width: 40em)|idle"
    )


INVALID = [
    ("typo", "visble", "unknown client strategy 'visble'", "did you mean 'visible'?"),
    ("unknown", "hover", "unknown client strategy 'hover'", "use one of load, only, idle"),
    ("empty", "", "client= must be a strategy name", "use one of"),
    ("not-a-string", 3, "client= must be a strategy name", "use one of"),
    ("margin-no-unit", "visible:200", "takes a root margin", ""),
    ("margin-em", "visible:2em", "takes a root margin", ""),
    ("media-missing", "media", "needs a media query", ""),
    ("media-unbalanced", "media:(min-width: 40em", "unbalanced parentheses", ""),
    ("argument-not-taken", "load:now", "'load:now' takes no argument", ""),
    ("repeat", "idle|idle", "names a strategy twice", ""),
    ("only-combined", "only|visible", "'only' cannot be combined", "nothing to wait on"),
]


@pytest.mark.parametrize(
    ("value", "message", "hint"), [v[1:] for v in INVALID], ids=[v[0] for v in INVALID]
)
def test_invalid(value: object, message: str, hint: str) -> None:
    with pytest.raises(StrategyError) as caught:
        parse_client(value, path=Path("pages/index.html"), line=4)
    assert str(caught.value).startswith("pages/index.html:4: ")
    assert message in caught.value.message
    assert hint in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("value", "eager", "shell"),
    [("load", True, True), ("only", True, False), ("visible|interaction", False, True),
     ("idle|load", True, True), ("media:print", False, True)],
)
def test_eager_and_shell(value: str, eager: bool, shell: bool) -> None:
    strategies = parse_client(value)
    assert is_eager(strategies) is eager
    assert renders_shell(strategies) is shell
