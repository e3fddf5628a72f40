"""docs/islands.md shows real files: a code block introduced by a line "`path`:" is that file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent.parent
DOC = ROOT / "docs" / "islands.md"
_SAMPLE = re.compile(r"^`([^`]+)`:\n\n```[a-z]*\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _samples() -> list[tuple[str, str]]:
    return _SAMPLE.findall(DOC.read_text(encoding="utf-8"))


def test_the_doc_has_file_samples() -> None:
    assert len(_samples()) >= 8


@pytest.mark.parametrize(("path", "shown"), _samples(), ids=[path for path, _ in _samples()])
def test_a_sample_is_the_file_it_names(path: str, shown: str) -> None:
    assert shown == (ROOT / path).read_text(encoding="utf-8")
