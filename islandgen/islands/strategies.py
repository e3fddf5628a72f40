"""A `client=` value -> the hydration strategies the runtime will run, checked at build time.

The runtime (islandgen/client/runtime/island.js) has the same names in its
`STRATEGIES` table; a test keeps the two lists equal. A strategy whose code is
a runtime chunk of its own (`interaction`) names it here, so the pages that
use it preload that chunk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..client import INTERACTION
from ..errors import ComponentError, suggest

DEFAULT = "load"
_MARGIN_PART = re.compile(r"-?\d+(\.\d+)?(px|%)|0")


@dataclass(frozen=True)
class Strategy:
    """One strategy of a `client=` value: `visible:200px` is ("visible", "200px")."""

    name: str
    argument: str = ""

    def __str__(self) -> str:
        return f"{self.name}:{self.argument}" if self.argument else self.name


def _no_argument(argument: str) -> str | None:
    return "takes no argument" if argument else None


def _root_margin(argument: str) -> str | None:
    parts = argument.split()
    if not argument or (len(parts) <= 4 and all(_MARGIN_PART.fullmatch(p) for p in parts)):
        return None
    return "takes a root margin of 1 to 4 lengths in px or %, e.g. visible:200px"


def _media_query(argument: str) -> str | None:
    if not argument.strip():
        return "needs a media query, e.g. media:(min-width: 40em)"
    if argument.count("(") != argument.count(")"):
        return "has unbalanced parentheses in its media query"
    return None


@dataclass(frozen=True)
class StrategyRule:
    """A strategy name, when it fires, and how its argument is checked."""

    name: str
    fires: str
    check_argument: Callable[[str], str | None] = _no_argument
    eager: bool = False  # the chunk loads with the page: worth a modulepreload
    shell: bool = True  # the island's build-time HTML is rendered
    module: Path | None = None  # the runtime chunk the strategy's code is in, if not the runtime


STRATEGIES: dict[str, StrategyRule] = {
    rule.name: rule
    for rule in (
        StrategyRule("load", "as soon as the page loads", eager=True),
        StrategyRule("only", "as soon as the page loads; no build-time HTML", eager=True,
                     shell=False),
        StrategyRule("idle", "when the browser is idle (requestIdleCallback)"),
        StrategyRule("visible", "when scrolled into view; visible:200px widens the margin",
                     _root_margin),
        StrategyRule("media", "when a media query matches, e.g. media:(min-width: 40em)",
                     _media_query),
        StrategyRule("interaction", "on the first pointer, focus, key or click inside it, "
                     "which is replayed after hydration", module=INTERACTION),
    )
}


class StrategyError(ComponentError):
    """A `client=` value the runtime would not understand."""


def parse_client(
    value: object, *, path: Path | None = None, line: int | None = None
) -> tuple[Strategy, ...]:
    """`"visible|interaction"` -> its strategies; `None` means the default (`load`).

    Raises StrategyError (at `path:line`) for unknown names, bad arguments,
    repeats, and `only` combined with anything (it has no HTML to wait on).
    """
    text = DEFAULT if value is None else value
    if not isinstance(text, str) or not text.strip():
        raise StrategyError(f"client= must be a strategy name, not {value!r}",
                            path=path, line=line, hint=_names_hint())
    strategies = tuple(_parse_one(part.strip(), path, line) for part in text.split("|"))
    names = [s.name for s in strategies]
    if len(set(names)) != len(names):
        raise StrategyError(f"client={text!r} names a strategy twice", path=path, line=line)
    if "only" in names and len(names) > 1:
        raise StrategyError(f"client={text!r}: 'only' cannot be combined", path=path, line=line,
                            hint="an island with no build-time HTML has nothing to wait on")
    return strategies


def format_client(strategies: tuple[Strategy, ...]) -> str:
    """The `client` attribute of the island element."""
    return "|".join(str(s) for s in strategies)


def is_eager(strategies: tuple[Strategy, ...]) -> bool:
    """True when the island's chunk loads with the page (so preload it)."""
    return any(STRATEGIES[s.name].eager for s in strategies)


def runtime_modules(strategies: tuple[Strategy, ...]) -> tuple[Path, ...]:
    """The runtime chunks the strategies need at once (so preload them)."""
    return tuple(rule.module for s in strategies
                 if (rule := STRATEGIES[s.name]).module is not None)


def renders_shell(strategies: tuple[Strategy, ...]) -> bool:
    """False for `only`: the island has no build-time HTML."""
    return all(STRATEGIES[s.name].shell for s in strategies)


def _parse_one(part: str, path: Path | None, line: int | None) -> Strategy:
    name, _, argument = part.partition(":")
    name, argument = name.strip(), argument.strip()
    rule = STRATEGIES.get(name)
    if rule is None:
        hint = suggest(name, STRATEGIES) or _names_hint()
        raise StrategyError(f"unknown client strategy {name!r}", path=path, line=line, hint=hint)
    problem = rule.check_argument(argument)
    if problem:
        raise StrategyError(f"client strategy {part!r} {problem}", path=path, line=line)
    return Strategy(name, argument)


def _names_hint() -> str:
    names = ", ".join(STRATEGIES)
    return f"use one of {names}, or several joined by | (visible|interaction)"
