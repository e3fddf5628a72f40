"""The client component docs show real files: every `::Example(file=...)` on the islands pages
of the docs site (docs/content/islands/) names a file in docs/examples/, so no sample can drift
from the code it shows. tests/themes_kit/ builds the example sites those files belong to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent.parent
PAGES = ROOT / "docs" / "content" / "islands"
EXAMPLES = ROOT / "docs" / "examples"
_SAMPLE = re.compile(r'^::Example\(file="([^"]+)"', re.MULTILINE)


def _samples() -> list[tuple[str, str]]:
    return [(page.name, name) for page in sorted(PAGES.glob("*.md"))
            for name in _SAMPLE.findall(page.read_text(encoding="utf-8"))]


def test_the_doc_has_file_samples() -> None:
    assert len(_samples()) >= 8


@pytest.mark.parametrize(("page", "path"), _samples(), ids=[f"{p}:{f}" for p, f in _samples()])
def test_a_sample_is_a_real_file(page: str, path: str) -> None:
    assert (EXAMPLES / path).is_file(), f"{page} shows {path}, which is not in docs/examples/"
