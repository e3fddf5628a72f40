"""Parameter annotations -> checks for untrusted arguments, and a JSON description (stdlib only).

Every argument of a server function comes from the network, so before the
call each one is checked against its parameter's annotation and converted to
what the function expects (a dict into its dataclass, a list into a tuple).
A mismatch is an `Invalid` naming where it is (`entry.tags[2]`), which the
dispatcher answers with 400. The same rules, in `form` mode, read HTML form
fields, where every value is text: `"3"` for an int, `"on"` for a bool,
`""` for None, repeated fields for a list.

The rules are one table, `RULES`; the first whose `matches` accepts an
annotation checks values for it. An annotation no rule accepts is an
`Unsupported` error, raised when the function is loaded (at build time), never
at call time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
import types
import typing
from collections.abc import Callable, Mapping, MutableMapping, MutableSequence, Sequence, Set
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

from .request import UploadedFile

_TRUE = frozenset({"on", "true", "1", "yes"})
_FALSE = frozenset({"", "off", "false", "0", "no"})
_SEQUENCES = (list, tuple, Sequence, MutableSequence, set, frozenset, Set)
_MAPPINGS = (dict, Mapping, MutableMapping)


class Invalid(ValueError):
    """An argument that does not match its annotation; `where` is its path in the arguments."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


class Unsupported(TypeError):
    """An annotation islandgen cannot check untrusted values against."""


@dataclass(frozen=True)
class Rule:
    """How one kind of annotation checks a value and describes itself."""

    name: str
    matches: Callable[[Any], bool]
    convert: Callable[[Any, Any, str, bool], Any]  # (annotation, value, where, form) -> value
    describe: Callable[[Any, set[type]], dict[str, Any]]


def convert(annotation: Any, value: Any, where: str, *, form: bool = False) -> Any:
    """`value` checked against `annotation` and converted; raises `Invalid`."""
    return rule_for(annotation).convert(annotation, value, where, form)


def describe(annotation: Any, seen: set[type] | None = None) -> dict[str, Any]:
    """A JSON-Schema-like description for the manifest; raises `Unsupported`."""
    return rule_for(annotation).describe(annotation, set() if seen is None else seen)


def rule_for(annotation: Any) -> Rule:
    for rule in RULES:
        if rule.matches(annotation):
            return rule
    raise Unsupported(
        f"islandgen cannot check arguments of type {_name(annotation)}; use int, float, str, "
        "bool, None, bytes, date, datetime, list[...], dict[str, ...], Literal, a union, "
        "an Enum, a dataclass or a TypedDict"
    )


def _name(annotation: Any) -> str:
    if isinstance(annotation, type) and get_origin(annotation) is None:
        return annotation.__qualname__
    return repr(annotation).replace("typing.", "")


def _got(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"got the text {shown!r}"
    if value is None:
        return "got nothing (null)"
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list",
             dict: "an object", bytes: "bytes"}
    return f"got {names.get(type(value), type(value).__name__)}"


def _fail(where: str, wanted: str, value: Any) -> Invalid:
    return Invalid(where, f"expected {wanted}, {_got(value)}")


def _no_form(where: str, annotation: Any) -> Invalid:
    return Invalid(where, f"a {_name(annotation)} cannot come from a form field")


# -- scalars ----------------------------------------------------------------------


def _any(annotation: Any, value: Any, where: str, form: bool) -> Any:
    return value


def _none(annotation: Any, value: Any, where: str, form: bool) -> None:
    if value is None or (form and value == ""):
        return None
    raise _fail(where, "nothing (null)", value)


def _bool(annotation: Any, value: Any, where: str, form: bool) -> bool:
    if isinstance(value, bool):
        return value
    if form and isinstance(value, str) and value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    raise _fail(where, "true or false", value)


def _int(annotation: Any, value: Any, where: str, form: bool) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if form and isinstance(value, str):
        text = value.strip()
        if text.lstrip("+-").isdigit() and text.isascii() and len(text) <= 100:
            return int(text)
    raise _fail(where, "a whole number", value)


def _float(annotation: Any, value: Any, where: str, form: bool) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if form and isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            pass
        else:
            if math.isfinite(number):
                return number
    raise _fail(where, "a number", value)


def _str(annotation: Any, value: Any, where: str, form: bool) -> str:
    if isinstance(value, str):
        return value
    raise _fail(where, "text", value)


def _bytes(annotation: Any, value: Any, where: str, form: bool) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, UploadedFile):
        return value.data
    if form and isinstance(value, str):
        return value.encode("utf-8")
    raise _fail(where, "bytes", value)


def _file(annotation: Any, value: Any, where: str, form: bool) -> UploadedFile:
    if isinstance(value, UploadedFile):
        return value
    if isinstance(value, bytes):
        return UploadedFile("", "application/octet-stream", value)
    raise _fail(where, "a file", value)


def _datetime(annotation: Any, value: Any, where: str, form: bool) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
    raise _fail(where, "a date and time", value)


def _date(annotation: Any, value: Any, where: str, form: bool) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _fail(where, "a date (YYYY-MM-DD)", value)


def _enum(annotation: Any, value: Any, where: str, form: bool) -> enum.Enum:
    for member in annotation:
        if _same(member.value, value) or (form and str(member.value) == value):
            return member  # type: ignore[no-any-return]
    choices = ", ".join(repr(member.value) for member in annotation)
    raise _fail(where, f"one of {choices}", value)


def _same(expected: Any, value: Any) -> bool:
    """Equal and of the same kind: `1 == True`, but the literal 1 does not accept true."""
    return type(expected) is type(value) and bool(expected == value)


def _literal(annotation: Any, value: Any, where: str, form: bool) -> Any:
    for choice in get_args(annotation):
        if _same(choice, value):
            return choice
        if form and isinstance(value, str) and _form_text(choice) == value:
            return choice
    choices = ", ".join(repr(choice) for choice in get_args(annotation))
    raise _fail(where, f"one of {choices}", value)


def _form_text(choice: Any) -> str:
    if isinstance(choice, bool):
        return "true" if choice else "false"
    return "" if choice is None else str(choice)


def _union(annotation: Any, value: Any, where: str, form: bool) -> Any:
    members = get_args(annotation)
    if form and value == "" and type(None) in members:
        return None  # an empty field of an optional parameter: not given
    for member in members:
        try:
            return convert(member, value, where, form=form)
        except Invalid:
            continue
    raise _fail(where, " or ".join(_wanted(member) for member in members), value)


def _wanted(annotation: Any) -> str:
    if annotation is type(None) or annotation is None:
        return "nothing"
    return _name(annotation)


# -- containers ---------------------------------------------------------------------


def _sequence(annotation: Any, value: Any, where: str, form: bool) -> Any:
    origin, args = get_origin(annotation) or annotation, get_args(annotation)
    if isinstance(value, (set, frozenset)) and origin in (set, frozenset, Set):
        items = sorted(value, key=repr)
    elif isinstance(value, list):
        items = value
    else:
        raise _fail(where, f"a list ({_name(annotation)})", value)
    if origin is tuple and args and args[-1] is not Ellipsis:
        if len(items) != len(args):
            raise Invalid(where, f"expected {len(args)} items, got {len(items)}")
        return tuple(convert(a, v, f"{where}[{i}]", form=form)
                     for i, (a, v) in enumerate(zip(args, items, strict=True)))
    item_type = args[0] if args else Any
    converted = [convert(item_type, item, f"{where}[{i}]", form=form) for i, item in enumerate(items)]
    if origin in (set, frozenset, Set):
        try:
            return frozenset(converted) if origin is frozenset else set(converted)
        except TypeError:
            raise Invalid(where, "set items must be hashable values") from None
    return tuple(converted) if origin is tuple else converted


def _mapping(annotation: Any, value: Any, where: str, form: bool) -> dict[Any, Any]:
    if form:
        raise _no_form(where, annotation)
    if not isinstance(value, dict):
        raise _fail(where, "an object", value)
    key_type, value_type = get_args(annotation) or (Any, Any)
    result: dict[Any, Any] = {}
    for key, item in value.items():
        shown = f"{where}[{key!r}]"
        result[convert(key_type, key, f"{shown} (a key)")] = convert(value_type, item, shown)
    return result


def _fields(annotation: Any, value: Any, where: str, form: bool,
            required: Set[str], hints: Mapping[str, Any]) -> dict[str, Any]:
    """The checked values of a dataclass's or TypedDict's fields, from an object."""
    if form:
        raise _no_form(where, annotation)
    if not isinstance(value, dict):
        raise _fail(where, f"an object ({_name(annotation)})", value)
    unknown = sorted(str(key) for key in value if key not in hints)
    if unknown:
        raise Invalid(where, f"unexpected key {unknown[0]!r} for {_name(annotation)}")
    missing = sorted(required - set(value))
    if missing:
        raise Invalid(f"{where}.{missing[0]}", "missing")
    return {key: convert(hints[key], item, f"{where}.{key}") for key, item in value.items()}


def _dataclass(annotation: Any, value: Any, where: str, form: bool) -> Any:
    fields = {f.name: f for f in dataclasses.fields(annotation) if f.init}
    hints = {name: hint for name, hint in _hints(annotation).items() if name in fields}
    required = {name for name, f in fields.items()
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    return annotation(**_fields(annotation, value, where, form, required, hints))


def _typeddict(annotation: Any, value: Any, where: str, form: bool) -> dict[str, Any]:
    hints = _hints(annotation)
    return _fields(annotation, value, where, form, _required_keys(annotation), hints)


def _required_keys(annotation: Any) -> frozenset[str]:
    """A TypedDict's required keys, read from its hints: `__required_keys__` misses
    `NotRequired[...]` written as a string (`from __future__ import annotations`)."""
    required = set(annotation.__required_keys__)
    for name, hint in get_type_hints(annotation, include_extras=True).items():
        while get_origin(hint) is typing.Annotated:
            hint = get_args(hint)[0]
        if get_origin(hint) is typing.NotRequired:
            required.discard(name)
        elif get_origin(hint) is typing.Required:
            required.add(name)
    return frozenset(required)


def _hints(annotation: Any) -> dict[str, Any]:
    return {name: plain(hint) for name, hint in get_type_hints(annotation).items()}


def plain(hint: Any) -> Any:
    """`Required[X]`, `NotRequired[X]`, `Annotated[X, ...]` -> X."""
    while get_origin(hint) in (typing.Required, typing.NotRequired, typing.Annotated):
        hint = get_args(hint)[0]
    return hint


# -- descriptions ---------------------------------------------------------------------


def _object(annotation: Any, seen: set[type], hints: Mapping[str, Any],
            required: Set[str]) -> dict[str, Any]:
    if annotation in seen:
        return {"$ref": annotation.__qualname__}
    seen = seen | {annotation}
    return {"type": "object", "title": annotation.__qualname__,
            "properties": {name: describe(hint, seen) for name, hint in hints.items()},
            "required": sorted(required), "additionalProperties": False}


def _describe_dataclass(annotation: Any, seen: set[type]) -> dict[str, Any]:
    fields = {f.name: f for f in dataclasses.fields(annotation) if f.init}
    hints = {name: hint for name, hint in _hints(annotation).items() if name in fields}
    required = {name for name, f in fields.items()
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    return _object(annotation, seen, hints, required)


def _describe_sequence(annotation: Any, seen: set[type]) -> dict[str, Any]:
    origin, args = get_origin(annotation) or annotation, get_args(annotation)
    if origin is tuple and args and args[-1] is not Ellipsis:
        return {"type": "array", "prefixItems": [describe(a, seen) for a in args]}
    unique = {"uniqueItems": True} if origin in (set, frozenset, Set) else {}
    return {"type": "array", "items": describe(args[0] if args else Any, seen), **unique}


def _describe_mapping(annotation: Any, seen: set[type]) -> dict[str, Any]:
    key_type, value_type = get_args(annotation) or (str, Any)
    keys = {} if key_type is str else {"propertyNames": describe(key_type, seen)}
    return {"type": "object", "additionalProperties": describe(value_type, seen), **keys}


def _const(schema: dict[str, Any]) -> Callable[[Any, set[type]], dict[str, Any]]:
    return lambda annotation, seen: schema


def _is(*kinds: Any) -> Callable[[Any], bool]:
    return lambda annotation: any(annotation is kind for kind in kinds)


def _origin_in(kinds: tuple[Any, ...]) -> Callable[[Any], bool]:
    return lambda annotation: (get_origin(annotation) or annotation) in kinds


def _subclass(kind: type) -> Callable[[Any], bool]:
    return lambda annotation: isinstance(annotation, type) and issubclass(annotation, kind)


RULES: tuple[Rule, ...] = (
    Rule("anything", _is(Any, object), _any, _const({})),
    Rule("None", _is(None, type(None)), _none, _const({"type": "null"})),
    Rule("bool", _is(bool), _bool, _const({"type": "boolean"})),
    Rule("enum", _subclass(enum.Enum), _enum,
         lambda a, seen: {"enum": [member.value for member in a], "title": a.__qualname__}),
    Rule("int", _is(int), _int, _const({"type": "integer"})),
    Rule("float", _is(float), _float, _const({"type": "number"})),
    Rule("str", _is(str), _str, _const({"type": "string"})),
    Rule("bytes", _is(bytes), _bytes, _const({"type": "string", "format": "binary"})),
    Rule("file", _is(UploadedFile), _file, _const({"type": "string", "format": "binary"})),
    Rule("datetime", _is(dt.datetime), _datetime, _const({"type": "string", "format": "date-time"})),
    Rule("date", _is(dt.date), _date, _const({"type": "string", "format": "date"})),
    Rule("Literal", lambda a: get_origin(a) is Literal, _literal,
         lambda a, seen: {"enum": list(get_args(a))}),
    Rule("union", lambda a: get_origin(a) in (Union, types.UnionType), _union,
         lambda a, seen: {"anyOf": [describe(m, seen) for m in get_args(a)]}),
    Rule("Annotated", lambda a: get_origin(a) is typing.Annotated,
         lambda a, v, where, form: convert(plain(a), v, where, form=form),
         lambda a, seen: describe(plain(a), seen)),
    Rule("list", _origin_in(_SEQUENCES), _sequence, _describe_sequence),
    Rule("dict", _origin_in(_MAPPINGS), _mapping, _describe_mapping),
    Rule("TypedDict", is_typeddict, _typeddict,
         lambda a, seen: _object(a, seen, _hints(a), _required_keys(a))),
    Rule("dataclass", lambda a: dataclasses.is_dataclass(a) and isinstance(a, type),
         _dataclass, _describe_dataclass),
)
