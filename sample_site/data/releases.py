"""Release notes for the releases pages: `site.data.releases`, newest first.

A data loader is any `data/*.py` module with a `load()` function; it runs once
per build. Here the notes are plain Python, but they could as well come from a
changelog file or a git log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

_RELEASES: list[dict[str, Any]] = [
    {
        "version": "0.3.0",
        "date": dt.date(2024, 5, 20),
        "summary": "Pages under a subpath, and a default theme worth keeping.",
        "notes": [
            ("added", "`base_path` puts a whole site below a subpath."),
            ("added", "The default theme: light and dark, no JavaScript."),
            ("changed", "Tag pages are ordinary dynamic routes in the theme."),
            ("fixed", "Code blocks keep `{{ }}` and `{% %}` exactly as written."),
        ],
    },
    {
        "version": "0.2.0",
        "date": dt.date(2024, 3, 8),
        "summary": "Dynamic routes fed from Python.",
        "notes": [
            ("added", "`paths:` and `paginate:` in page template front matter."),
            ("added", "Data loaders: `data/*.py` modules with a `load()` function."),
            ("fixed", "Footnote numbering restarts on every page."),
        ],
    },
    {
        "version": "0.1.0",
        "date": dt.date(2024, 1, 15),
        "summary": "The first public release.",
        "notes": [
            ("added", "Markdown content with front matter, sections and tags."),
            ("added", "Server components with declared props."),
        ],
    },
]


def load() -> list[dict[str, Any]]:
    """Every release, newest first; each note is a dict with `kind` and `text`."""
    return [
        {**release, "notes": [{"kind": kind, "text": text} for kind, text in release["notes"]]}
        for release in _RELEASES
    ]
