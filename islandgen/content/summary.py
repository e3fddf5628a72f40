"""Rendered body HTML -> its summary: the part above `<!-- more -->`, else the first paragraph."""

from __future__ import annotations

import re

MORE = "<!-- more -->"
_FIRST_PARAGRAPH = re.compile(r"<p>.*?</p>", re.DOTALL)


def summary_of(html: str) -> str:
    if MORE in html:
        return html.split(MORE, 1)[0].strip()
    match = _FIRST_PARAGRAPH.search(html)
    return match.group(0) if match else ""
