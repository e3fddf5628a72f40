"""Text -> URL-safe slugs, used for heading ids and URL segments."""

from __future__ import annotations

import functools
import re
import unicodedata

_DROP = re.compile(r"[^\w\s-]", re.UNICODE)
_DASHES = re.compile(r"[\s_-]+")


def slugify(text: str) -> str:
    """'Hello, Wörld!' -> 'hello-wörld': lower case, letters kept, punctuation dropped.

    Letters outside ASCII stay (browsers show them; URLs percent-encode them),
    so headings in any language get readable, stable ids.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DROP.sub("", text)
    return _DASHES.sub("-", text).strip("-") or "section"


_TAG_WORDS = {"+": " plus ", "#": " sharp ", "&": " and "}


@functools.cache
def tag_slug(name: str) -> str:
    """A tag's URL segment: like `slugify`, but C, C++ and C# stay three different tags."""
    for symbol, word in _TAG_WORDS.items():
        name = name.replace(symbol, word)
    return slugify(name)
