"""The Python registries are the source of truth; the runtime's tables must match them exactly."""

from __future__ import annotations

import re
from pathlib import Path

from islandtools import DECODER, HERE, RUNTIME, node_json

from islandgen.islands.codec import TOKENS
from islandgen.islands.strategies import STRATEGIES

# a key of the table: a line indented by exactly two spaces, `name:` or `'name':`
_KEY = re.compile(r"^  (?:'([^']*)'|([A-Za-z_$][\w$]*))\s*:", re.MULTILINE)


def _table_keys(module: Path, name: str) -> set[str]:
    """The keys of the `// BEGIN name` ... `// END name` object literal in a runtime module."""
    source = module.read_text(encoding="utf-8")
    body = source.split(f"// BEGIN {name}\n", 1)[1].split(f"// END {name}\n", 1)[0]
    return {quoted or bare for quoted, bare in _KEY.findall(body)}


def test_runtime_tags_match_codec_registry() -> None:
    assert _table_keys(DECODER, "TAGS") == set(TOKENS)


def test_runtime_strategies_match_python_table() -> None:
    assert _table_keys(RUNTIME, "STRATEGIES") == set(STRATEGIES)


def test_runtime_tables_as_node_sees_them() -> None:
    seen = node_json(HERE / "js" / "decode_harness.mjs", str(DECODER), str(RUNTIME),
                     stdin='{"payload": "{\\"v\\": 1}", "checks": {}}')
    assert set(seen["tags"]) == set(TOKENS)
    assert set(seen["strategies"]) == set(STRATEGIES)
