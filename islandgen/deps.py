"""What each route read while it rendered, and fingerprints of those things.

Rendering a route records tokens such as ("section", "blog") or
("component", "Card") as templates touch views. The next build recomputes the
fingerprint of every recorded token; a route whose tokens all match, under an
unchanged global signature, is not rendered again. This is how one edited post
re-renders itself and the lists that show it, and nothing else.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
from collections.abc import Iterator

Token = tuple[str, ...]

_recording: contextvars.ContextVar[set[Token] | None] = contextvars.ContextVar(
    "islandgen_recording", default=None
)


def record(token: Token) -> None:
    """Note that the route being rendered depends on `token`."""
    current = _recording.get()
    if current is not None:
        current.add(token)


def record_all(tokens: set[Token]) -> None:
    current = _recording.get()
    if current is not None:
        current |= tokens


@contextlib.contextmanager
def recording() -> Iterator[set[Token]]:
    """Collect every token recorded inside the block (nested blocks report outward too)."""
    tokens: set[Token] = set()
    reset = _recording.set(tokens)
    try:
        yield tokens
    finally:
        _recording.reset(reset)
        record_all(tokens)


@contextlib.contextmanager
def unrecorded() -> Iterator[None]:
    """Record nothing inside the block: a list's own token already covers its members."""
    reset = _recording.set(None)
    try:
        yield
    finally:
        _recording.reset(reset)


def digest(*parts: object) -> str:
    """A short stable hash of `parts`: a string by its text, anything else by its repr (reprs
    of our records are deterministic). Each part is length-prefixed, so none can run into
    the next; strings skip `repr`, which costs more than the hashing on a page of HTML."""
    hasher = hashlib.blake2b(digest_size=12)
    for part in parts:
        if type(part) is str:
            data = part.encode("utf-8", "surrogatepass")
            hasher.update(b"s%d:" % len(data))
        else:
            data = repr(part).encode("utf-8", "surrogatepass")
            hasher.update(b"r%d:" % len(data))
        hasher.update(data)
    return hasher.hexdigest()


def file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()
