"""JavaScript module text -> smaller text that behaves the same.

The minifier is minify-html's JavaScript minifier (oxc: a full ES2024+ parser,
so ES modules, template and regex literals and `import()` survive), fed the
module as the body of a `<script type=module>`; what it leaves of comments
is then removed with the tree-sitter parse (licence comments `/*! ... */`,
`@license`, `@preserve` stay). A module whose text contains `</script` or
`<!--` would not survive the wrapping, so it is returned unminified.
"""

from __future__ import annotations

import re
from importlib.metadata import version

from .scan import js_parser, walk_nodes

_OPEN = "<script type=module>"
_CLOSE = "</script>"
_UNWRAPPABLE = re.compile(r"</script|<!--", re.IGNORECASE)
_WORD = re.compile(r"[\w$\\]")
_KEEP = re.compile(rb"^/\*!|@license|@preserve")
_SPACE = b" \t\r\n"


def minifier_version() -> str:
    """Part of every chunk hash: a new minifier means new bytes, so new names."""
    return f"minify-html {version('minify-html')}"


def minify_js(text: str) -> str:
    """Minified module text; the input itself when it cannot be minified safely."""
    if _UNWRAPPABLE.search(text):
        return text
    import minify_html  # a native library: loaded by sites that have client modules

    wrapped = minify_html.minify(f"{_OPEN}{text}{_CLOSE}", minify_js=True)
    if not (wrapped.startswith(_OPEN) and wrapped.endswith(_CLOSE)):
        return text
    return strip_comments(wrapped[len(_OPEN):-len(_CLOSE)])


def strip_comments(text: str) -> str:
    """Remove comments (except licences) without joining tokens or lines that must stay apart."""
    source = text.encode("utf-8")
    comments = [n for n in walk_nodes(js_parser().parse(source).root_node)
                if n.type == "comment" and not _KEEP.search(n.text or b"")]
    out = bytearray()
    position = 0
    for comment in comments:
        start, end = comment.start_byte, comment.end_byte
        out += source[position:start]
        kept = len(out.rstrip(_SPACE))
        if bytes(out[kept - 1:kept]) in (b";", b"{", b""):
            # after `;` or `{` (or at the start) no space or line break is needed
            del out[kept:]
            while end < len(source) and source[end] in _SPACE:
                end += 1
        else:
            out += _gap(source, start, end)
        position = end
    out += source[position:]
    return out.decode("utf-8")


def _gap(source: bytes, start: int, end: int) -> bytes:
    """What a removed comment leaves behind so the tokens around it stay apart."""
    if b"\n" in source[start:end]:
        return b"\n"
    left = source[start - 1:start].decode("latin-1")
    right = source[end:end + 1].decode("latin-1")
    if (_WORD.match(left) and _WORD.match(right)) or (left and left == right and left in "+-/"):
        return b" "
    return b""
