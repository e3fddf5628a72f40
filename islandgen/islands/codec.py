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
table (islandgen/client/runtime/decode.js) against it, so the two cannot drift.

The runtime reads an inline payload whose text holds no `"$` as plain JSON and
loads the decoder (a chunk of its own) only for the others (`needs_decoder`) and
for a payload moved to a file; the build preloads the decoder on those pages.
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

    `islandgen.functions.templates.FunctionRef` subclasses this. The browser
    gets `refs[k] = {"id", "url"?, "bound"?}`: the stub posts to `url`
    (`<functions base>/_fn/<id>`), adding the `.bind()` arguments by name.
    """

    @property
    @abstractmethod
    def id(self) -> str:
        """The function's stable id."""

    @property
    def url(self) -> str | None:
        """The endpoint the browser posts to; None: `/_fn/<id>` on the page's own origin."""
        return None

    @property
    def bound(self) -> Mapping[str, Any]:
        """Arguments bound by name (`.bind(post_id=3)`), sent with every call."""
        return {}


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

# Where a value sits in the props, built cheaply while walking and spelled out
# (`posts[3].author`, `meta["key"]`) only for an error: the prop name, or
# (parent, step, key) with step one of "[]", ".", "{}" (a set item), "key".
Where: TypeAlias = "str | tuple[Where, str, Any]"
Children = Callable[[Any, "Where"], Iterable[tuple[Any, "Where"]]]


def spell(where: Where) -> str:
    """`posts[3].author`: the prop path as a user would write it in Python."""
    if isinstance(where, str):
        return where
    parent, step, key = where
    if step == "[]":
        shown = json.dumps(key, ensure_ascii=False) if isinstance(key, str) else repr(key)
        return f"{spell(parent)}[{shown}]"
    if step == ".":
        return f"{spell(parent)}.{key}"
    if step == "{}":
        return f"{spell(parent)}{{…}}"
    return f"{spell(parent)} (a key)"


def _no_children(value: Any, where: Where) -> Iterable[tuple[Any, Where]]:
    return ()


@dataclass(frozen=True)
class Tag:
    """How one kind of Python value crosses: plain JSON, or a `$<token>` string.

    A value takes the first row whose `types` it is an instance of and whose
    `when` (if any) holds. `identity` values are tracked by identity (sharing
    and cycles become refs); `outlined` ones always live in `refs`, written
    `$<token><k>`. `children` lists the nested values, for the pass that
    finds shared objects before encoding.
    """

    name: str
    token: str | None
    types: tuple[type, ...]
    encode: Callable[[_Encoder, Any, Where], Json]
    when: Callable[[Any], bool] | None = None
    children: Children = _no_children
    identity: bool = False
    outlined: bool = False

    def ref_key(self, value: Any) -> object:
        if isinstance(value, ServerReference) and not value.bound:
            return ("server", value.id)
        return id(value)


def _dict_children(value: Mapping[Any, Any], where: Where) -> Iterator[tuple[Any, Where]]:
    for key, item in value.items():
        if not isinstance(key, str):
            yield key, (where, "key", key)
        yield item, (where, "[]", key)


def _array_children(value: Iterable[Any], where: Where) -> Iterator[tuple[Any, Where]]:
    for index, item in enumerate(value):
        yield item, (where, "[]", index)


def _set_children(value: Iterable[Any], where: Where) -> Iterator[tuple[Any, Where]]:
    for item in sorted(value, key=_sort_key):
        yield item, (where, "{}", None)


def _field_children(value: Any, where: Where) -> Iterator[tuple[Any, Where]]:
    for item in dataclasses.fields(value):
        yield getattr(value, item.name), (where, ".", item.name)


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


def _server_ref(enc: _Encoder, ref: ServerReference, where: Where) -> Json:
    encoded: dict[str, Json] = {"id": ref.id}
    if ref.url is not None:
        encoded["url"] = ref.url
    if ref.bound:
        encoded["bound"] = {k: enc.value(item, (where, ".", k)) for k, item in ref.bound.items()}
    return encoded


def _token(token: str) -> Callable[[_Encoder, Any, Where], Json]:
    return lambda enc, value, where: f"${token}"


def _same(enc: _Encoder, value: Any, where: Where) -> Json:
    return value  # type: ignore[no-any-return]


def _each(children: Children) -> Callable[[_Encoder, Any, Where], Json]:
    return lambda enc, v, where: [enc.value(item, w) for item, w in children(v, where)]


REGISTRY: tuple[Tag, ...] = (
    Tag("server function", "h", (ServerReference,), lambda enc, v, where: _server_ref(enc, v, where),
        children=lambda v, where: [(item, (where, ".", k)) for k, item in v.bound.items()],
        identity=True, outlined=True),
    Tag("enum member", None, (enum.Enum,), lambda enc, v, where: enc.value(v.value, where),
        children=lambda v, where: [(v.value, where)]),
    Tag("bool or None", None, (bool, type(None)), _same),
    Tag("string starting with $", "$", (str,), lambda enc, v, where: "$" + str(v),
        when=lambda v: v.startswith("$")),
    Tag("string", None, (str,), lambda enc, v, where: str(v)),
    Tag("big integer", "n", (int,), lambda enc, v, where: f"$n{int(v)}",
        when=lambda v: abs(v) > MAX_SAFE_INTEGER),
    Tag("integer", None, (int,), lambda enc, v, where: int(v)),
    Tag("NaN", "N", (float,), _token("N"), when=math.isnan),
    Tag("Infinity", "I", (float,), _token("I"), when=lambda v: v == math.inf),
    Tag("-Infinity", "-I", (float,), _token("-I"), when=lambda v: v == -math.inf),
    Tag("negative zero", "-0", (float,), _token("-0"),
        when=lambda v: v == 0 and math.copysign(1, v) < 0),
    Tag("float", None, (float,), lambda enc, v, where: float(v)),
    Tag("date", "D", (dt.date,), lambda enc, v, where: "$D" + _iso(v)),
    Tag("bytes", "B", (bytes, bytearray),
        lambda enc, v, where: "$B" + base64.b64encode(bytes(v)).decode("ascii")),
    Tag("set", "W", (set, frozenset), _each(_set_children), children=_set_children,
        identity=True, outlined=True),
    Tag("dict with str keys", None, (Mapping,),
        lambda enc, v, where: {k: enc.value(item, (where, "[]", k)) for k, item in v.items()},
        when=lambda v: all(isinstance(key, str) for key in v),
        children=_dict_children, identity=True),
    Tag("dict with other keys", "Q", (Mapping,),
        lambda enc, v, where: [[enc.value(k, (where, "key", k)), enc.value(item, (where, "[]", k))]
                               for k, item in v.items()],
        children=_dict_children, identity=True, outlined=True),
    Tag("list or tuple", None, (list, tuple), _each(_array_children), children=_array_children,
        identity=True),
    Tag("dataclass", None, (object,),
        lambda enc, v, where: {f.name: enc.value(getattr(v, f.name), (where, ".", f.name))
                               for f in dataclasses.fields(v)},
        when=lambda v: dataclasses.is_dataclass(v) and not isinstance(v, type),
        children=_field_children, identity=True),
)

# Every token a decoder must know, with the row it comes from.
TOKENS: dict[str, str] = {
    **{tag.token: tag.name for tag in REGISTRY if tag.token is not None},
    REF_TOKEN: "shared object",
}


_ROWS: dict[type, tuple[Tag, ...]] = {}  # per type, the rows it can take


def _rows_for(kind: type) -> tuple[Tag, ...]:
    rows = _ROWS.get(kind)
    if rows is None:
        rows = _ROWS[kind] = tuple(tag for tag in REGISTRY if issubclass(kind, tag.types))
    return rows


def tag_for(value: Any, where: Where) -> Tag:
    """The registry row for a value, or a CodecError that says what to do instead."""
    for tag in _rows_for(type(value)):
        if tag.when is None or tag.when(value):
            return tag
    what, hint = describe_refusal(value)
    raise CodecError(spell(where), type(value).__qualname__, what, hint)


# -- the two passes ----------------------------------------------------------


@dataclass
class _Census:
    """Pass 1: check every value and count how often each object is reached."""

    counts: dict[object, int] = field(default_factory=dict)
    pinned: list[Any] = field(default_factory=list)  # keeps id()s unique while we run

    def visit(self, value: Any, where: Where) -> None:
        tag = tag_for(value, where)
        if tag.identity:
            key = tag.ref_key(value)
            seen = self.counts.get(key, 0)
            self.counts[key] = seen + 1
            if seen:
                return
            self.pinned.append(value)
        for child, child_where in tag.children(value, where):
            self.visit(child, child_where)


@dataclass
class _Encoder:
    """Pass 2: write JSON, outlining sets, maps, server functions and shared objects."""

    counts: Mapping[object, int]
    refs: list[Json] = field(default_factory=list)
    tokens: dict[object, str] = field(default_factory=dict)

    def value(self, value: Any, where: Where) -> Json:
        tag = tag_for(value, where)
        if not tag.identity:
            return tag.encode(self, value, where)
        key = tag.ref_key(value)
        if key in self.tokens:
            return self.tokens[key]
        if not tag.outlined and self.counts.get(key, 0) < 2:
            return tag.encode(self, value, where)
        index = len(self.refs)
        self.refs.append(None)
        self.tokens[key] = f"${tag.token or REF_TOKEN}{index}"
        self.refs[index] = tag.encode(self, value, where)
        return self.tokens[key]


def check_value(value: Any, name: str) -> None:
    """Raise CodecError if the prop `name` (or anything inside it) cannot be encoded."""
    _Census().visit(value, name)


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


def needs_decoder(json_text: str) -> bool:
    """True when the runtime hands this payload text to the decoder: some string starts with `$`.

    The runtime makes the same test on an inline payload's text (island.js); a
    `$` key or an escaped quote before a `$` only costs a needless decoder load.
    """
    return '"$' in json_text


def tokens_in(value: Json) -> set[str]:
    """The tokens an encoded value uses, read as the decoder reads them (`"h"`: a server function)."""
    found: set[str] = set()
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, str) and item.startswith("$"):
            found.add(_token_of(item))
    return found


def _token_of(text: str) -> str:
    """`$-I` -> `-I`, `$h3` -> `h`, `$12` -> `` (a ref): what follows the `$`."""
    if text[1:2] == "-":
        return text[1:3]
    return "" if text[1:2].isdigit() else text[1:2]


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
