"""Dispatching lexers give exactly the tokens Pygments gives, for every lexer they apply to.

`accelerated()` only skips rules that cannot match the next character, so any
difference from Pygments, on any lexer and any text, is a bug: these tests sweep
all of Pygments' regex lexers over texts that exercise many of their rules, and
the benchmark corpus's code blocks through the whole highlighter.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pygments
import pytest
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer, RegexLexer
from pygments.lexers import get_all_lexers, get_lexer_by_name
from pygments.token import Error, Name, Text, Whitespace

from islandgen.content.fast_lexing import ANYWHERE, _accepts, _first_characters, accelerated
from islandgen.content.highlight import highlight_code

MAKE_CORPUS = Path(__file__).parent.parent.parent / "shared" / "bench" / "make_corpus.py"
REPO = Path(__file__).parent.parent
PYGMENTS = Path(pygments.__file__).parent


def sample_texts() -> list[str]:
    """Code in several languages plus every printable ASCII character, odd Unicode and CRLF."""
    files = [PYGMENTS / "lexers" / "python.py", PYGMENTS / "formatters" / "html.py",
             REPO / "islandgen" / "client" / "runtime" / "island.js",
             REPO / "themes" / "default" / "layouts" / "base.html",
             REPO / "themes" / "default" / "static" / "css" / "site.css",
             REPO / "scripts" / "test", REPO / "pyproject.toml"]
    texts = [path.read_text(encoding="utf-8")[:1500] for path in files]
    texts.append("".join(map(chr, range(32, 127))) * 2
                 + "\n\t ÄéΣ \u212a K \u017f s \u0131 İ\r\n@@ -1 +1 @@\n<?php echo 1; ?>\n")
    return texts


def regex_lexers() -> list[str]:
    """An alias of every Pygments lexer that accelerated() changes."""
    names = []
    for _, aliases, _, _ in get_all_lexers():
        if aliases:
            lexer = get_lexer_by_name(aliases[0])
            if accelerated(lexer) is not lexer:
                names.append(aliases[0])
    return names


def tokens(lexer: Lexer, text: str) -> list[tuple[int, object, str]]:
    return list(lexer.get_tokens_unprocessed(text))


def test_most_lexers_are_accelerated() -> None:
    assert len(regex_lexers()) > 300
    for name in ("python", "js", "ts", "bash", "html", "css", "toml", "sql", "rust", "go", "java"):
        lexer = get_lexer_by_name(name)
        assert accelerated(lexer) is not lexer, name


def test_every_accelerated_lexer_gives_the_tokens_pygments_gives() -> None:
    texts = sample_texts()
    mismatched = []
    for name in regex_lexers():
        original = get_lexer_by_name(name)
        fast = accelerated(original)
        for text in texts:
            try:
                expected = tokens(original, text)
            except Exception:  # a lexer Pygments itself cannot run on this text
                continue
            if tokens(fast, text) != expected:
                mismatched.append(name)
                break
    assert mismatched == []


def test_lexers_with_their_own_loop_are_left_alone() -> None:
    for name in ("php", "ruby", "pycon", "console", "html+jinja"):
        lexer = get_lexer_by_name(name)
        assert accelerated(lexer) is lexer


def test_the_accelerated_lexer_keeps_its_class_and_options() -> None:
    original = get_lexer_by_name("python", stripnl=False, tabsize=4)
    fast = accelerated(original)
    assert isinstance(fast, type(original))
    assert fast.options == original.options
    assert fast.name == original.name
    code = "\n\n\tdef f():\n\t\treturn 1\n"
    formatter = HtmlFormatter(nowrap=True)
    assert highlight(code, fast, formatter) == highlight(code, original, formatter)


def test_lexers_whose_rules_depend_on_their_options_keep_them_apart() -> None:
    # Inform 7 lexes `(- ... -)` with a second instance made by using(this, i6t=...),
    # whose rules differ from the first one's
    original = get_lexer_by_name("inform7")
    text = "To say foo: (- print {x}; -).\nUse bar translates as (- Constant X = {N}; -).\n"
    assert tokens(accelerated(original), text) == tokens(original, text)


def test_a_group_with_its_own_type_flag_is_read_as_re_reads_it() -> None:
    class Words(RegexLexer):
        tokens = {"root": [(r"(?a:\w+)", Name), (r"\s+", Whitespace), (r"(?u:\w)", Text)]}  # noqa: RUF012

    original = Words()
    text = "abc déf"
    assert tokens(accelerated(original), text) == tokens(original, text)


def test_recovery_from_unmatched_characters_is_pygments_recovery() -> None:
    # the TOML lexer has no rule for these: each becomes an Error token, a newline resets
    original = get_lexer_by_name("toml")
    text = 'a = 1 ¤ §\n} ¤\nb = "x"\n'
    expected = tokens(original, text)
    assert sum(1 for _, kind, _ in expected if kind is Error) == 4
    assert tokens(accelerated(original), text) == expected


@pytest.mark.parametrize(("regex", "flags", "can_start", "cannot_start"), [
    (r"def\b", 0, "d", "De_ \n"),
    (r"[a-c]+|\d", 0, "abc09", "dA_ "),
    (r"\s+", 0, " \t\n\u2003", "a1"),
    (r"[^\n]+", 0, "a #", "\n"),
    (r"(?i)select", 0, "sS", "ex"),
    # the long s (U+017F) matches s when case is ignored
    (r"select", re.IGNORECASE, "sS\u017f", "ex"),
    (r"(?:0x)?[0-9a-f]+", 0, "0123abcf", "gx"),  # an optional prefix: what follows counts too
    (r"(?=foo)\w+", 0, "f", " "),  # a lookahead is zero-width; the next item decides
    (r"@?\w+", 0, "@a_", " -"),
    (r"(?:\$|\b)var", 0, "$v", "a"),
])
def test_first_characters_are_read_from_the_regex(regex: str, flags: int, can_start: str,
                                                  cannot_start: str) -> None:
    first = _first_characters(re.compile(regex, flags | re.MULTILINE).match)
    assert first is not ANYWHERE
    table = {char: any(_accepts(atom, char) for atom in first)
             for char in can_start + cannot_start}
    assert [c for c in can_start if not table[c]] == []
    assert [c for c in cannot_start if table[c]] == []


@pytest.mark.parametrize("regex", [
    r"",  # a default() transition
    r"\s*",  # can match nothing
    r"(?:a|)",
    r".+",
    r"(a)?\1b",  # a back-reference can be first
])
def test_rules_that_may_match_anywhere_are_always_tried(regex: str) -> None:
    assert _first_characters(re.compile(regex).match) is ANYWHERE


def test_the_benchmark_corpus_highlights_exactly_as_pygments_does(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(MAKE_CORPUS), "--pages", "300", "--out", str(tmp_path)],
                   check=True, capture_output=True)
    fence = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
    blocks = [match.groups() for path in sorted(tmp_path.glob("*.md"))
              for match in fence.finditer(path.read_text(encoding="utf-8"))]
    assert len(blocks) >= 300
    formatter = HtmlFormatter(nowrap=True)
    for lang, code in blocks:
        html = highlight_code(code, lang)
        assert highlight(code, get_lexer_by_name(lang), formatter) in html
