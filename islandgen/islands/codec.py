"""Python prop values -> one JSON payload per page, in the wire format of DESIGN.md.

The payload of a page (one `<script type="application/json" id="ig-props">`):

    {"v": 1,
     "refs": [<encoded value>, ...],
     "islands": {"<uid>": {"<prop>": <encoded value>, ...}, ...}}

An encoded value is plain JSON, where a string that starts with `$` is a token:

    $$...     a string that starts with `$` (one `$` dropped)
    $n<int>   a BigInt (an int outside +-(2**53-1))
    $N $I $-I $-0               NaN, Infinity, -Infinity, -0
    $D<iso>   a Date: `YYYY-MM-DD` for a date; a datetime in UTC as
              `YYYY-MM-DDTHH:MM:SS.sssZ` (naive datetimes count as UTC;
              microseconds are cut to the milliseconds a Date holds)
    $B<b64>   a Uint8Array (standard base64 with padding)
    $<k>      refs[k], an object or array shared by several places (or in a cycle)
    $W<k>     a Set whose items are the array refs[k]
    $Q<k>     a Map whose entries are the array of [key, value] pairs refs[k]
    $h<k>     a server function; refs[k] is {"id": "<function id>"}

Refs are numbered in the order the encoder first meets them, and a ref may
point at itself or at later refs, so cycles and sharing across islands survive:
the decoder keeps one JavaScript value per ref. Object keys are never tokens.

Every row lives in `REGISTRY`, one small `Tag` per Python type or special
value; `TOKENS` lists the tokens and a test checks the JavaScript decoder's
table (islandgen/client/runtime/island.js) against it, so the two cannot drift.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import enum
import json
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from ..errors import ComponentError
from .refusals import describe_refusal

FORMAT_VERSION = 1
MAX_SAFE_INTEGER = 2**53 - 1
REF_TOKEN = ""  # `$` followed by digits: a shared object

Json: TypeAlias = bool | int | float | str | list["Json"] | dict[str, "Json"] | None


class ServerReference(ABC):
    """A server function passed as a prop; the browser gets an async stub for it.

    Issue 4 (server functions) subclasses this; the codec needs only the id the
    stub posts to (`POST <functions base>/_fn/<id>`).
    """

    @property
    @abstractmethod
    def id(self) -> str:
        """The function's stable id."""


class CodecError(ComponentError):
    """A prop value that cannot cross to the browser, with its path and a fix."""

    def __init__(
        self,
        prop_path: str,
        type_name: str,
        what: str,
        hint: str,
        *,
        component: str | None = None,
        path: Path | str | None = None,
        line: int | None = None,
    ) -> None:
        owner = f" of {component}" if component else ""
        message = f"prop {prop_path}{owner} cannot be sent to the browser: {what} ({type_name})"
        super().__init__(message, path=path, line=line, hint=hint)
        self.prop_path = prop_path
        self.type_name = type_name
        self.what = what
        self.component = component

    def located(
        self, *, component: str | None, path: Path | str | None, line: int | None
    ) -> CodecError:
        """The same error, naming the component and the template line that placed it."""
        return CodecError(
            self.prop_path, self.type_name, self.what, self.hint or "",
            component=component, path=path, line=line,
        )


# -- the registry ------------------------------------------------------------

Children = Callable[[Any, str], Iterable[tuple[Any, str]]]


def _no_children(value: Any, path: str) -> Iterable[tuple[Any, str]]:
    return ()


@dataclass(frozen=True)
class Tag:
    """How one kind of Python value crosses: plain JSON, or a `$<token>` string.

    `identity` values are tracked by identity (sharing and cycles become refs);
    `outlined` ones always live in `refs` and are written `$<token><k>`.
    `children` lists the nested values with their prop paths, for the pass that
    finds shared objects before encoding.
    """

    name: str
    token: str | None
    matches: Callable[[Any], bool]
    encode: Callable[[_Encoder, Any, str], Json]
    children: Children = _no_children
    identity: bool = False
    outlined: bool = False

    def ref_key(self, value: Any) -> object:
        return ("server", value.id) if isinstance(value, ServerReference) else id(value)


def _is_float(value: Any) -> bool:
    return isinstance(value, float)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_plain_dict(value: Any) -> bool:
    return isinstance(value, Mapping) and all(isinstance(key, str) for key in value)


def _is_dataclass_instance(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def _key_path(path: str, key: object) -> str:
    shown = json.dumps(key, ensure_ascii=False) if isinstance(key, str) else repr(key)
    return f"{path}[{shown}]"


def _dict_children(value: Mapping[Any, Any], path: str) -> Iterator[tuple[Any, str]]:
    for key, item in value.items():
        if not isinstance(key, str):
            yield key, f"{path} (a key)"
        yield item, _key_path(path, key)


def _array_children(value: Iterable[Any], path: str) -> Iterator[tuple[Any, str]]:
    for index, item in enumerate(value):
        yield item, f"{path}[{index}]"


def _set_children(value: Iterable[Any], path: str) -> Iterator[tuple[Any, str]]:
    for item in _sorted_set(value):
        yield item, f"{path}{{…}}"


def _field_children(value: Any, path: str) -> Iterator[tuple[Any, str]]:
    for item in dataclasses.fields(value):
        yield getattr(value, item.name), f"{path}.{item.name}"


def _iso(value: dt.date) -> str:
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    if value.utcoffset() is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def _sort_key(value: Any) -> str:
    """A stable order for set items (str hashes change between runs)."""
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_sort_key(item) for item in value)) + "}"
    if isinstance(value, tuple):
        return "(" + ",".join(_sort_key(item) for item in value) + ")"
    return f"{type(value).__qualname__}:{value!r}"


def _sorted_set(value: Iterable[Any]) -> list[Any]:
    return sorted(value, key=_sort_key)


def _token(token: str) -> Callable[[_Encoder, Any, str], Json]:
    return lambda enc, value, path: f"${token}"


def _same(enc: _Encoder, value: Any, path: str) -> Json:
    return value  # type: ignore[no-any-return]


REGISTRY: tuple[Tag, ...] = (
    Tag("server function", "h", lambda v: isinstance(v, ServerReference),
        lambda enc, v, path: {"id": v.id}, identity=True, outlined=True),
    Tag("enum member", None, lambda v: isinstance(v, enum.Enum),
        lambda enc, v, path: enc.value(v.value, path),
        children=lambda v, path: [(v.value, path)]),
    Tag("string starting with $", "$", lambda v: isinstance(v, str) and v.startswith("$"),
        lambda enc, v, path: "$" + str(v)),
    Tag("string", None, lambda v: isinstance(v, str), lambda enc, v, path: str(v)),
    Tag("bool or None", None, lambda v: v is None or isinstance(v, bool), _same),
    Tag("big integer", "n", lambda v: _is_int(v) and abs(v) > MAX_SAFE_INTEGER,
        lambda enc, v, path: f"$n{int(v)}"),
    Tag("integer", None, _is_int, lambda enc, v, path: int(v)),
    Tag("NaN", "N", lambda v: _is_float(v) and math.isnan(v), _token("N")),
    Tag("Infinity", "I", lambda v: _is_float(v) and v == math.inf, _token("I")),
    Tag("-Infinity", "-I", lambda v: _is_float(v) and v == -math.inf, _token("-I")),
    Tag("negative zero", "-0", lambda v: _is_float(v) and v == 0 and math.copysign(1, v) < 0,
        _token("-0")),
    Tag("float", None, _is_float, lambda enc, v, path: float(v)),
    Tag("date", "D", lambda v: isinstance(v, dt.date), lambda enc, v, path: "$D" + _iso(v)),
    Tag("bytes", "B", lambda v: isinstance(v, (bytes, bytearray)),
        lambda enc, v, path: "$B" + base64.b64encode(bytes(v)).decode("ascii")),
    Tag("set", "W", lambda v: isinstance(v, (set, frozenset)),
        lambda enc, v, path: [enc.value(item, p) for item, p in _set_children(v, path)],
        children=_set_children, identity=True, outlined=True),
    Tag("dict with str keys", None, _is_plain_dict,
        lambda enc, v, path: {k: enc.value(item, _key_path(path, k)) for k, item in v.items()},
        children=_dict_children, identity=True),
    Tag("dict with other keys", "Q", lambda v: isinstance(v, Mapping),
        lambda enc, v, path: [[enc.value(k, f"{path} (a key)"), enc.value(item, _key_path(path, k))]
                              for k, item in v.items()],
        children=_dict_children, identity=True, outlined=True),
    Tag("list or tuple", None, lambda v: isinstance(v, (list, tuple)),
        lambda enc, v, path: [enc.value(item, p) for item, p in _array_children(v, path)],
        children=_array_children, identity=True),
    Tag("dataclass", None, _is_dataclass_instance,
        lambda enc, v, path: {f.name: enc.value(getattr(v, f.name), f"{path}.{f.name}")
                              for f in dataclasses.fields(v)},
        children=_field_children, identity=True),
)

# Every token a decoder must know, with the row it comes from.
TOKENS: dict[str, str] = {
    **{tag.token: tag.name for tag in REGISTRY if tag.token is not None},
    REF_TOKEN: "shared object",
}


def tag_for(value: Any, path: str) -> Tag:
    """The registry row for a value, or a CodecError that says what to do instead."""
    for tag in REGISTRY:
        if tag.matches(value):
            return tag
    what, hint = describe_refusal(value)
    raise CodecError(path, type(value).__qualname__, what, hint)


# -- the two passes ----------------------------------------------------------


@dataclass
class _Census:
    """Pass 1: check every value and count how often each object is reached."""

    counts: dict[object, int] = field(default_factory=dict)
    pinned: list[Any] = field(default_factory=list)  # keeps id()s unique while we run

    def visit(self, value: Any, path: str) -> None:
        tag = tag_for(value, path)
        if tag.identity:
            key = tag.ref_key(value)
            seen = self.counts.get(key, 0)
            self.counts[key] = seen + 1
            if seen:
                return
            self.pinned.append(value)
        for child, child_path in tag.children(value, path):
            self.visit(child, child_path)


@dataclass
class _Encoder:
    """Pass 2: write JSON, outlining sets, maps, server functions and shared objects."""

    counts: Mapping[object, int]
    refs: list[Json] = field(default_factory=list)
    tokens: dict[object, str] = field(default_factory=dict)

    def value(self, value: Any, path: str) -> Json:
        tag = tag_for(value, path)
        if not tag.identity:
            return tag.encode(self, value, path)
        key = tag.ref_key(value)
        if key in self.tokens:
            return self.tokens[key]
        if not tag.outlined and self.counts.get(key, 0) < 2:
            return tag.encode(self, value, path)
        index = len(self.refs)
        self.refs.append(None)
        self.tokens[key] = f"${tag.token or REF_TOKEN}{index}"
        self.refs[index] = tag.encode(self, value, path)
        return self.tokens[key]


def check_value(value: Any, path: str) -> None:
    """Raise CodecError if `value` (or anything inside it) cannot be encoded."""
    _Census().visit(value, path)


def encode_values(values: Mapping[str, Any]) -> tuple[dict[str, Json], list[Json]]:
    """Encode named values together: (encoded values, refs); shared objects once."""
    census = _Census()
    for name, value in values.items():
        census.visit(value, name)
    encoder = _Encoder(census.counts)
    encoded = {name: encoder.value(value, name) for name, value in values.items()}
    return encoded, encoder.refs


def dumps(payload: Json) -> str:
    """Compact, deterministic JSON text (no NaN: those are tokens)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# -- the page payload --------------------------------------------------------


@dataclass(frozen=True)
class IslandProps:
    """The props of one island and where it was placed, for error messages."""

    uid: str
    props: Mapping[str, Any]
    component: str | None = None
    path: Path | None = None
    line: int | None = None


class PagePayload:
    """Collects the props of one page's islands; `encode()` writes them as one payload.

    `add` checks the props at once, so a value that cannot cross fails at the
    template line that placed the island, not at the end of the page.
    """

    def __init__(self) -> None:
        self._islands: dict[str, IslandProps] = {}

    def __len__(self) -> int:
        return len(self._islands)

    def add(
        self,
        uid: str,
        props: Mapping[str, Any],
        *,
        component: str | None = None,
        path: Path | None = None,
        line: int | None = None,
    ) -> None:
        if uid in self._islands:
            raise ValueError(f"island uid {uid!r} used twice on one page")
        entry = IslandProps(uid, dict(props), component, path, line)
        with _located(entry):
            for name, value in entry.props.items():
                check_value(value, name)
        self._islands[uid] = entry

    def encode(self) -> dict[str, Json]:
        """The payload as a JSON-ready dict: {"v": 1, "refs": [...], "islands": {...}}."""
        census = _Census()
        for entry in self._islands.values():
            with _located(entry):
                for name, value in entry.props.items():
                    census.visit(value, name)
        encoder = _Encoder(census.counts)
        islands: dict[str, Json] = {}
        for uid, entry in self._islands.items():
            with _located(entry):
                islands[uid] = {name: encoder.value(v, name) for name, v in entry.props.items()}
        return {"v": FORMAT_VERSION, "refs": encoder.refs, "islands": islands}

    def to_json(self) -> str:
        """The payload as JSON text (embed it with `embed_payload`)."""
        return dumps(self.encode())


@contextmanager
def _located(entry: IslandProps) -> Iterator[None]:
    """Re-raise a CodecError with the island's component and template line."""
    try:
        yield
    except CodecError as error:
        if error.component is not None:
            raise
        raise error.located(component=entry.component, path=entry.path, line=entry.line) from None


# -- embedding ---------------------------------------------------------------

_EMBED_ESCAPES = str.maketrans({
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
})


def embed_payload(json_text: str) -> str:
    """JSON text made safe inside `<script type="application/json">`.

    `<`, `>`, `&`, U+2028 and U+2029 can only occur inside JSON strings, where
    `\\uXXXX` means the same character; so `</script>` and `<!--` cannot appear
    and the text still parses to the same value.
    """
    return json_text.translate(_EMBED_ESCAPES)
