"""Pygments regex lexers that only try the rules that can match the next character.

A Pygments `RegexLexer` tokenizes by trying the rules of its current state in
order, at every position, until one matches: on typical code that is about
twenty failed regex matches per token, and lexing is ~80 % of highlighting.
Reading each rule's regex with the standard library's own regex parser tells
which characters a match can begin with; the lexers made here look up the
character at the current position and try just the rules that can begin with
it, in their original order. The first rule to match is therefore the same
rule, and the tokens are the same tokens (tests/test_fast_lexing.py compares
every Pygments lexer this applies to), at well under half the cost.

What the analysis cannot rule out it keeps: a rule that can match the empty
string, starts with a back-reference or `.`, or uses a construct not handled
here is tried at every position, as before. Lexers that replace Pygments'
tokenizing loop with their own are used unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pygments.lexer import Lexer, RegexLexer
from pygments.token import Error, Whitespace, _TokenType

if TYPE_CHECKING:  # typeshed types the regex parser under its former public names
    import sre_constants as constants
    import sre_parse as parser
else:
    from re import _constants as constants
    from re import _parser as parser

Rule = tuple[Callable[[str, int], "re.Match[str] | None"], Any, Any]  # (match, action, new state)
Token = tuple[int, _TokenType, str]
# a character a match can begin with, as the parser describes it: (opcode, argument, flags)
Atom = tuple[Any, Any, int]
ANYWHERE = None  # a rule whose possible first characters are unknown: tried at every position
_TABLES: dict[int, tuple[dict[str, list[Rule]], _Tables]] = {}  # id(rules) -> rules, tables
_CATEGORIES = {
    constants.CATEGORY_DIGIT: r"\d", constants.CATEGORY_NOT_DIGIT: r"\D",
    constants.CATEGORY_SPACE: r"\s", constants.CATEGORY_NOT_SPACE: r"\S",
    constants.CATEGORY_WORD: r"\w", constants.CATEGORY_NOT_WORD: r"\W",
    constants.CATEGORY_UNI_DIGIT: r"\d", constants.CATEGORY_UNI_NOT_DIGIT: r"\D",
    constants.CATEGORY_UNI_SPACE: r"\s", constants.CATEGORY_UNI_NOT_SPACE: r"\S",
    constants.CATEGORY_UNI_WORD: r"\w", constants.CATEGORY_UNI_NOT_WORD: r"\W",
}


def accelerated(lexer: Lexer) -> Lexer:
    """The same lexer (class, options, rules) with the dispatching loop, when it applies."""
    cls = type(lexer)
    if not isinstance(lexer, RegexLexer) or (
        cls.get_tokens_unprocessed is not RegexLexer.get_tokens_unprocessed
    ):
        return lexer
    dispatching = type(cls.__name__, (cls,), {
        "__module__": cls.__module__,
        "__doc__": cls.__doc__,
        "_tokens": lexer._tokens,  # type: ignore[attr-defined]  # what Pygments compiled, shared
        "get_tokens_unprocessed": _tokens,
    })
    result: Lexer = dispatching(**lexer.options)
    return result


def make_tables(lexer: Lexer) -> None:
    """Make now the dispatch table of every state of a lexer from `accelerated`, which it
    would otherwise make on entering each state for the first time (~10 ms a lexer)."""
    if type(lexer).get_tokens_unprocessed is _tokens:
        rules = lexer._tokens  # type: ignore[attr-defined]
        tables = _tables_for(rules)
        for state in rules:
            tables[state]  # a state's table is made when first looked up


def _tokens(self: Any, text: str, stack: Sequence[str] = ("root",)) -> Iterator[Token]:
    """`RegexLexer.get_tokens_unprocessed`, trying only the rules the next character allows."""
    tables = _tables_for(self._tokens)
    pos, end = 0, len(text)
    states = list(stack)
    table = tables[states[-1]]
    while True:
        for match, action, new_state in table[text[pos] if pos < end else ""]:
            found = match(text, pos)
            if found is None:
                continue
            if action is not None:
                if type(action) is _TokenType:
                    yield pos, action, found.group()
                else:
                    yield from action(self, found)
            pos = found.end()
            if new_state is not None:
                _transition(states, new_state)
                table = tables[states[-1]]
            break
        else:  # no rule matched: Pygments' recovery, to the letter
            if pos >= end:
                return
            if text[pos] == "\n":
                states = ["root"]
                table = tables["root"]
                yield pos, Whitespace, "\n"
            else:
                yield pos, Error, text[pos]
            pos += 1


def _transition(states: list[str], new_state: Any) -> None:
    """Apply a rule's state change to the stack, as `RegexLexer` does."""
    if isinstance(new_state, tuple):
        for state in new_state:
            if state == "#pop":
                if len(states) > 1:
                    states.pop()
            elif state == "#push":
                states.append(states[-1])
            else:
                states.append(state)
    elif isinstance(new_state, int):  # pop that many, keeping the bottom state
        if abs(new_state) >= len(states):
            del states[1:]
        else:
            del states[new_state:]
    elif new_state == "#push":
        states.append(states[-1])
    else:
        raise ValueError(f"unknown state transition {new_state!r}")


def _tables_for(rules: dict[str, list[Rule]]) -> _Tables:
    """The dispatch tables of a set of rules. Kept by the rules' identity, not the class:
    lexers with option-dependent rules (`token_variants`, such as Inform 7's) give each
    instance its own, and `using(this, ...)` makes such instances while lexing."""
    known = _TABLES.get(id(rules))
    if known is None or known[0] is not rules:
        known = _TABLES[id(rules)] = (rules, _Tables(rules))
    return known[1]


class _Tables(dict[str, "_StateTable"]):
    """One dispatch table per lexer state, made when the state is first entered."""

    def __init__(self, tokendefs: dict[str, list[Rule]]) -> None:
        super().__init__()
        self.tokendefs = tokendefs

    def __missing__(self, state: str) -> _StateTable:
        table = self[state] = _StateTable(self.tokendefs[state])
        return table


class _StateTable(dict[str, tuple[Rule, ...]]):
    """Character -> the state's rules whose match can begin with it, in rule order.

    The key "" stands for the end of the text, where only rules that can match
    the empty string can match.
    """

    def __init__(self, rules: list[Rule]) -> None:
        super().__init__()
        self.rules = rules
        self.starts = [_first_characters(rule[0]) for rule in rules]
        self[""] = tuple(rule for rule, start in zip(rules, self.starts, strict=True)
                         if start is ANYWHERE)

    def __missing__(self, char: str) -> tuple[Rule, ...]:
        rules = self[char] = tuple(
            rule for rule, start in zip(self.rules, self.starts, strict=True)
            if start is ANYWHERE or any(_accepts(atom, char) for atom in start)
        )
        return rules


def _first_characters(match: Callable[..., Any]) -> list[Atom] | None:
    """What a rule's match can begin with, or ANYWHERE if that is not known."""
    pattern = getattr(match, "__self__", None)
    if not isinstance(pattern, re.Pattern) or not isinstance(pattern.pattern, str):
        return ANYWHERE
    try:
        atoms, can_be_empty = _sequence(parser.parse(pattern.pattern, pattern.flags),
                                        pattern.flags)
    except Exception:  # a construct the parser of this Python reads differently: keep the rule
        return ANYWHERE
    return ANYWHERE if atoms is ANYWHERE or can_be_empty else atoms


def _sequence(items: Any, flags: int) -> tuple[list[Atom] | None, bool]:
    """First characters of consecutive items, and whether all of them can match nothing."""
    atoms: list[Atom] = []
    for op, argument in items:
        first, can_be_empty = _item(op, argument, flags)
        if first is ANYWHERE:
            return ANYWHERE, True
        atoms.extend(first)
        if not can_be_empty:
            return atoms, False
    return atoms, True


def _item(op: Any, argument: Any, flags: int) -> tuple[list[Atom] | None, bool]:
    if op in (constants.LITERAL, constants.NOT_LITERAL, constants.IN):
        return [(op, argument, flags)], False
    if op is constants.SUBPATTERN:  # a group, perhaps with its own flags: (?i:...)
        _, added, removed, items = argument
        if added & parser.TYPE_FLAGS:  # (?a:...) replaces the pattern's UNICODE, as re does
            flags &= ~parser.TYPE_FLAGS
        return _sequence(items, (flags | added) & ~removed)
    if op is constants.ATOMIC_GROUP:
        return _sequence(argument, flags)
    if op in (constants.MAX_REPEAT, constants.MIN_REPEAT, constants.POSSESSIVE_REPEAT):
        low, high, items = argument
        if high == 0:
            return [], True
        first, can_be_empty = _sequence(items, flags)
        return first, can_be_empty or low == 0
    if op is constants.BRANCH:
        return _union([_sequence(branch, flags) for branch in argument[1]])
    if op is constants.GROUPREF_EXISTS:  # (?(1)yes|no)
        _, yes, no = argument
        return _union([_sequence(yes, flags), _sequence(no, flags) if no else ([], True)])
    if op in (constants.AT, constants.ASSERT, constants.ASSERT_NOT):
        return [], True  # zero-width: the next item decides (ignoring the condition only adds)
    return ANYWHERE, True  # ANY, back-references, anything else


def _union(choices: list[tuple[list[Atom] | None, bool]]) -> tuple[list[Atom] | None, bool]:
    atoms: list[Atom] = []
    for first, _ in choices:
        if first is ANYWHERE:
            return ANYWHERE, True
        atoms.extend(first)
    return atoms, any(can_be_empty for _, can_be_empty in choices)


# as plain ints: `int & re.LOCALE` goes through the enum's own `__rand__`, 20x slower
_LOCALE, _IGNORECASE, _TYPE = int(re.LOCALE), int(re.IGNORECASE), int(re.ASCII | re.UNICODE)


def _accepts(atom: Atom, char: str) -> bool:
    """Can `atom` match `char`? When in doubt, yes."""
    op, argument, flags = atom
    if flags & _LOCALE:
        return True
    if flags & _IGNORECASE:
        # ASCII case pairs are simple; beyond ASCII, Unicode case folding has special
        # cases (the Kelvin sign is a K), so anything non-ASCII may match
        if not char.isascii() or not _ascii_only(op, argument):
            return True
        return any(_accepts_exactly(op, argument, flags, variant)
                   for variant in {char, char.lower(), char.upper()})
    return _accepts_exactly(op, argument, flags, char)


def _ascii_only(op: Any, argument: Any) -> bool:
    """A literal or set that names only ASCII characters and is not negated."""
    if op is constants.LITERAL:
        return bool(argument < 128)
    if op is constants.IN:
        return all(
            (kind is constants.LITERAL and value < 128)
            or (kind is constants.RANGE and value[1] < 128)
            or kind is constants.CATEGORY
            for kind, value in argument
        )
    return False


def _accepts_exactly(op: Any, argument: Any, flags: int, char: str) -> bool:
    code = ord(char)
    if op is constants.LITERAL:
        return bool(code == argument)
    if op is constants.NOT_LITERAL:
        return bool(code != argument)
    negated, hit = False, False
    for kind, value in argument:
        if kind is constants.NEGATE:
            negated = True
        elif kind is constants.LITERAL:
            hit = hit or code == value
        elif kind is constants.RANGE:
            hit = hit or value[0] <= code <= value[1]
        elif kind is constants.CATEGORY and value in _CATEGORIES:
            hit = hit or re.match(_CATEGORIES[value], char, flags & _TYPE) is not None
        else:
            return True
    return hit != negated
