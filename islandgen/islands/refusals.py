"""A value the props codec refuses -> what it is, in words, and how to pass it instead."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import inspect
import io
import os
import types
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from jinja2 import Undefined

_SERVER_FUNCTION = (
    'mark it a server function (a public function in a Python module under server/ whose '
    'first statement is "use server"): the island then gets an async function that calls it'
)
_TO_TEXT = "convert it to a str (or a number) first, e.g. str(value)"

# (test, what it is, the fix); the first matching row wins.
REFUSALS: tuple[tuple[Callable[[Any], bool], str, str], ...] = (
    (lambda v: isinstance(v, Undefined), "an undefined template variable",
     "check the variable's name in the template, or pass None for no value"),
    (lambda v: isinstance(v, type), "a class", "pass a dict or a dataclass instance"),
    (lambda v: inspect.isroutine(v) or isinstance(v, functools.partial),
     "a function", _SERVER_FUNCTION),
    (lambda v: isinstance(v, types.ModuleType), "a module",
     "pass the values the island needs from it"),
    (lambda v: isinstance(v, io.IOBase), "an open file",
     "read it at build time and pass its contents (a str or bytes)"),
    (lambda v: inspect.isgenerator(v) or inspect.isasyncgen(v) or isinstance(v, Iterator),
     "a generator or iterator", "pass a list instead, e.g. list(...)"),
    (lambda v: isinstance(v, (os.PathLike, decimal.Decimal, uuid.UUID, dt.time, dt.timedelta,
                              complex)),
     "a value with no browser equivalent", _TO_TEXT),
    (callable, "a callable object", _SERVER_FUNCTION),
)


def describe_refusal(value: Any) -> tuple[str, str]:
    """(what the value is, what to pass instead) for a value the codec cannot encode."""
    for test, what, hint in REFUSALS:
        if test(value):
            return what, hint
    name = type(value).__qualname__
    return (
        "a class instance",
        f"pass a dict or a dataclass: make {name} a @dataclass, or pass a dict of the "
        "fields the island needs",
    )
