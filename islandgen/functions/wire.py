"""Server function calls and replies <-> Python values, in the props wire format (stdlib only).

This module ships inside the functions bundle, so it cannot import the props
encoder (`islandgen.islands.codec`, which needs Jinja for its error hints). It
speaks the same tokens: `TOKENS` must equal `codec.TOKENS`, and the tests
encode the props corpus with both encoders and compare the bytes, so the two
cannot drift.

A call body (what the browser stub posts):

    {"v": 1, "refs": [...], "args": [<encoded>, ...], "kwargs": {"name": <encoded>}}

A reply:

    {"ok": true, "v": 1, "refs": [...], "value": <encoded>}
    {"ok": false, "error": {"code": "...", "message": "..."}}

Decoding builds plain Python values only: str, int, float, bool, None, list,
dict, set, bytes, date and datetime. Anything shaped otherwise is a
`WireError`, which the dispatcher answers with 400.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import enum
import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeAlias

FORMAT_VERSION = 1
MAX_SAFE_INTEGER = 2**53 - 1

Json: TypeAlias = bool | int | float | str | list["Json"] | dict[str, "Json"] | None


class WireError(ValueError):
    """A call body that is not a well-formed payload, or a result that cannot be encoded."""


# -- decoding -----------------------------------------------------------------


def _date(text: str) -> dt.date:
    """`2024-05-01` is a date; anything with a time is an aware datetime (`Z` is UTC)."""
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _bytes(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def _big(text: str) -> int:
    if not text.lstrip("-").isdigit():
        raise ValueError(text)
    return int(text)


# token -> how the text after it becomes a value (refs are handled by `_Decoder`)
SCALARS: dict[str, Callable[[str], Any]] = {
    "$": lambda text: "$" + text,
    "n": _big,
    "N": lambda text: math.nan,
    "I": lambda text: math.inf,
    "-I": lambda text: -math.inf,
    "-0": lambda text: -0.0,
    "D": _date,
    "B": _bytes,
}
REF_TOKENS = {"": "shared object", "W": "set", "Q": "dict with other keys", "h": "server function"}
TOKENS: frozenset[str] = frozenset(SCALARS) | frozenset(REF_TOKENS)


class _Decoder:
    """One payload's refs, each decoded once so sharing and cycles survive."""

    def __init__(self, refs: list[Any]) -> None:
        self.refs = refs
        self.done: dict[int, Any] = {}

    def value(self, raw: Any) -> Any:
        if isinstance(raw, list):
            return [self.value(item) for item in raw]
        if isinstance(raw, dict):
            return {key: self.value(item) for key, item in raw.items()}
        if not isinstance(raw, str) or not raw.startswith("$"):
            return raw
        token = raw[1:3] if raw[1:2] == "-" else raw[1:2] if not raw[1:2].isdigit() else ""
        rest = raw[1 + len(token):]
        if token in SCALARS:
            try:
                return SCALARS[token](rest)
            except (ValueError, binascii.Error):
                raise WireError(f"malformed token {raw[:40]!r}") from None
        if token in REF_TOKENS:
            return self.ref(token, rest)
        raise WireError(f"unknown token {raw[:40]!r}")

    def ref(self, token: str, text: str) -> Any:
        if not text.isdigit() or int(text) >= len(self.refs):
            raise WireError(f"bad reference ${token}{text[:20]}")
        index = int(text)
        if index in self.done:
            return self.done[index]
        raw = self.refs[index]
        if token == "h":
            raise WireError("a server function cannot be passed as an argument")
        if token == "":
            return self._container(index, raw)
        if not isinstance(raw, list):
            raise WireError(f"${token}{index} must refer to a list")
        try:
            if token == "W":
                items: set[Any] = set()
                self.done[index] = items
                items.update(_hashable(self.value(item)) for item in raw)
                return items
            mapping: dict[Any, Any] = {}
            self.done[index] = mapping
            for entry in raw:
                if not isinstance(entry, list) or len(entry) != 2:
                    raise WireError(f"$Q{index} entries must be [key, value] pairs")
                mapping[_hashable(self.value(entry[0]))] = self.value(entry[1])
            return mapping
        except TypeError:  # an unhashable set item or key
            raise WireError("a set item or dict key must be a string, number or date") from None

    def _container(self, index: int, raw: Any) -> Any:
        """A shared list or dict: registered before it is filled, so cycles close."""
        if isinstance(raw, list):
            items: list[Any] = []
            self.done[index] = items
            items.extend(self.value(item) for item in raw)
            return items
        if isinstance(raw, dict):
            mapping: dict[str, Any] = {}
            self.done[index] = mapping
            mapping.update((key, self.value(item)) for key, item in raw.items())
            return mapping
        raise WireError(f"${index} must refer to a list or an object")


def _hashable(value: Any) -> Any:
    """A set item or map key: arrays become tuples (a Python tuple key crosses as an array)."""
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    return value


def decode_call(body: bytes) -> tuple[list[Any], dict[str, Any]]:
    """A JSON call body -> (positional arguments, keyword arguments)."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        raise WireError("the body is not JSON") from None
    if not isinstance(payload, dict) or payload.get("v") != FORMAT_VERSION:
        raise WireError(f'the body must be an object with "v": {FORMAT_VERSION}')
    refs, args, kwargs = payload.get("refs", []), payload.get("args", []), payload.get("kwargs", {})
    if not isinstance(refs, list) or not isinstance(args, list) or not isinstance(kwargs, dict):
        raise WireError('"refs" and "args" must be arrays and "kwargs" an object')
    decoder = _Decoder(refs)
    try:
        return decoder.value(args), decoder.value(kwargs)
    except RecursionError:
        raise WireError("the arguments are nested too deeply") from None


# -- encoding -----------------------------------------------------------------

# How a Python value crosses, in the order `codec.REGISTRY` tries them: (test, token, encode).
# Values that are tracked for sharing (dicts, lists, dataclasses, sets) are handled by _Encoder.


def _iso(value: dt.date) -> str:
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    if value.utcoffset() is not None:
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


SCALAR_ENCODERS: tuple[tuple[Callable[[Any], bool], Callable[[Any], Json]], ...] = (
    (lambda v: isinstance(v, bool) or v is None, lambda v: v),
    (lambda v: isinstance(v, str), lambda v: "$" + v if v.startswith("$") else str(v)),
    (lambda v: isinstance(v, int), lambda v: f"$n{int(v)}" if abs(v) > MAX_SAFE_INTEGER else int(v)),
    (lambda v: isinstance(v, float),
     lambda v: "$N" if math.isnan(v) else "$I" if v == math.inf else "$-I" if v == -math.inf
     else "$-0" if v == 0 and math.copysign(1, v) < 0 else float(v)),
    (lambda v: isinstance(v, dt.date), lambda v: "$D" + _iso(v)),
    (lambda v: isinstance(v, (bytes, bytearray)),
     lambda v: "$B" + base64.b64encode(bytes(v)).decode("ascii")),
)


def _sort_key(value: Any) -> str:
    """The props encoder's stable order for set items."""
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_sort_key(item) for item in value)) + "}"
    if isinstance(value, tuple):
        return "(" + ",".join(_sort_key(item) for item in value) + ")"
    return f"{type(value).__qualname__}:{value!r}"


def _kind(value: Any) -> str:
    """Which container a tracked value is: 'set', 'map', 'dict', 'list', 'dataclass' or ''."""
    if isinstance(value, (set, frozenset)):
        return "set"
    if isinstance(value, Mapping):
        return "dict" if all(isinstance(key, str) for key in value) else "map"
    if isinstance(value, (list, tuple)):
        return "list"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return "dataclass"
    return ""


def _children(value: Any, kind: str) -> Iterable[Any]:
    if kind == "set":
        return sorted(value, key=_sort_key)
    if kind == "dict":
        return value.values()  # type: ignore[no-any-return]
    if kind == "map":
        return [part for entry in value.items() for part in entry]
    if kind == "list":
        return value  # type: ignore[no-any-return]
    return [getattr(value, f.name) for f in dataclasses.fields(value)]


class _Encoder:
    """Two passes like the props encoder: count what is shared, then write it."""

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}
        self.pinned: list[Any] = []
        self.refs: list[Json] = []
        self.tokens: dict[int, str] = {}

    def census(self, value: Any) -> None:
        while isinstance(value, enum.Enum):
            value = value.value
        kind = _kind(value)
        if not kind:
            return
        seen = self.counts.get(id(value), 0)
        self.counts[id(value)] = seen + 1
        if seen:
            return
        self.pinned.append(value)
        for child in _children(value, kind):
            self.census(child)

    def value(self, value: Any) -> Json:
        while isinstance(value, enum.Enum):
            value = value.value
        kind = _kind(value)
        if not kind:
            for test, encode in SCALAR_ENCODERS:
                if test(value):
                    return encode(value)
            raise WireError(f"a {type(value).__qualname__} cannot be sent to the browser")
        if id(value) in self.tokens:
            return self.tokens[id(value)]
        outlined = kind in ("set", "map")
        if not outlined and self.counts.get(id(value), 0) < 2:
            return self._write(value, kind)
        index = len(self.refs)
        self.refs.append(None)
        self.tokens[id(value)] = f"${'W' if kind == 'set' else 'Q' if kind == 'map' else ''}{index}"
        self.refs[index] = self._write(value, kind)
        return self.tokens[id(value)]

    def _write(self, value: Any, kind: str) -> Json:
        if kind == "dict":
            return {key: self.value(item) for key, item in value.items()}
        if kind == "map":
            return [[self.value(key), self.value(item)] for key, item in value.items()]
        if kind == "dataclass":
            return {f.name: self.value(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return [self.value(item) for item in _children(value, kind)]


def encode_value(value: Any) -> tuple[Json, list[Json]]:
    """A Python value -> (encoded value, refs); raises WireError for what cannot cross."""
    encoder = _Encoder()
    try:
        encoder.census(value)
        return encoder.value(value), encoder.refs
    except RecursionError:
        raise WireError("the value is nested too deeply") from None


def encode_call(args: Iterable[Any] = (), kwargs: Mapping[str, Any] | None = None) -> bytes:
    """A call body, as the browser stub would post it (for tests and Python callers)."""
    encoder = _Encoder()
    arguments, named = list(args), dict(kwargs or {})
    encoder.census(arguments)
    encoder.census(named)
    body = {"v": FORMAT_VERSION, "args": encoder.value(arguments), "kwargs": encoder.value(named)}
    return dumps({**body, "refs": encoder.refs})


def decode_reply(body: bytes) -> Any:
    """The value of an ok reply (for tests and Python callers); raises WireError otherwise."""
    payload = json.loads(body)
    if not payload.get("ok"):
        raise WireError(str(payload.get("error")))
    return _Decoder(payload.get("refs", [])).value(payload["value"])


def dumps(payload: Json) -> bytes:
    """Compact, deterministic JSON (no NaN: those are tokens)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
