"""site.data.examples: every file under examples/, and every file of the bundled themes.

Keys are paths below examples/ ("starter/components/Counter.js"), or
"theme:<name>/<path>" for a bundled theme's file ("theme:docs/layouts/home.html").
Each entry holds the file's text, the path to show, the language to highlight it
as, and a code fence longer than any run of backticks inside it.

Reading the files here (a data loader) rather than from a template keeps rebuilds
right: data is part of what every page depends on, so editing an example
re-renders the pages.
"""

from __future__ import annotations

import re
from pathlib import Path

from islandgen.themes import bundled_themes_dir

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SKIP = {"dist", "dist-functions", ".islandgen-cache", "__pycache__", "build", "public",
        "public-functions"}
LANGUAGES = {
    ".html": "jinja", ".jinja": "jinja", ".js": "js", ".mjs": "js", ".py": "python",
    ".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json", ".md": "markdown",
    ".css": "css", ".conf": "nginx", ".sh": "sh", ".xml": "xml",
}


def load() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for key, path, shown in [*_files(EXAMPLES, "", "examples/"),
                             *_files(bundled_themes_dir(), "theme:", "themes/")]:
        text = path.read_text(encoding="utf-8")
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        found[key] = {
            "text": text,
            "path": shown,
            "lang": LANGUAGES.get(path.suffix, "text"),
            "fence": "`" * max(3, longest + 1),
        }
    return found


def _files(root: Path, key_prefix: str, shown_prefix: str) -> list[tuple[str, Path, str]]:
    files = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not SKIP.intersection(rel.parts) and path.suffix != ".svg" \
                and not any(part.endswith(".egg-info") for part in rel.parts):
            files.append((key_prefix + rel.as_posix(), path, shown_prefix + rel.as_posix()))
    return files
